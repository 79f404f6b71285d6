/**
 * The assistant's flow for contact details: email, phone (normalised to E.164) or an address, each
 * checked before the cardmember is asked to confirm.
 */
import type { Table } from '@carechat/protocol';
import type { AddressInput, CardmemberProfile } from '../../accounts/accounts.port.js';
import { checkAddress, checkEmail, normalizePhone } from '../../accounts/rules/profile.rules.js';
import type { Flow, FlowContext, Slots, Step } from '../dialogue/flow.js';
import { ask, choose, confirm, done, say } from '../dialogue/flow.js';
import { fold } from '../dialogue/slots.js';
import { ruleOf } from './shared.js';
import { reask, slotText as str } from './slot-helpers.js';

type Key =
  | 'contact.what'
  | 'contact.opt.email'
  | 'contact.opt.phone'
  | 'contact.opt.address'
  | 'contact.email'
  | 'contact.email_invalid'
  | 'contact.phone'
  | 'contact.phone_invalid'
  | 'contact.kind'
  | 'contact.kind.home'
  | 'contact.kind.mailing'
  | 'contact.kind.business'
  | 'contact.address'
  | 'contact.address_invalid'
  | 'contact.same'
  | 'contact.confirm_email'
  | 'contact.confirm_phone'
  | 'contact.confirm_address'
  | 'contact.done_email'
  | 'contact.done_phone'
  | 'contact.done_address'
  | 'contact.rule.looks_like_card_number'
  | 'contact.rule.unsupported_country';

const s: Table<Key> = {
  en: {
    'contact.what': 'What would you like to update?',
    'contact.opt.email': 'Email address',
    'contact.opt.phone': 'Phone number',
    'contact.opt.address': 'Address',
    'contact.email': "What's your new email address?",
    'contact.email_invalid': "That doesn't look like a complete email address (like name@example.com).",
    'contact.phone': "What's your new phone number? For example: (302) 555-0188.",
    'contact.phone_invalid':
      "That doesn't look like a phone number I can use: please give a 10-digit US number, or + and the country code.",
    'contact.kind': 'Which address would you like to change?',
    'contact.kind.home': 'Home',
    'contact.kind.mailing': 'Mailing',
    'contact.kind.business': 'Business',
    'contact.address':
      'Please type the new address on one line: street, apartment (if any), city, state and ZIP code. For example: 12 Main St, Apt 4, Austin, TX 78701.',
    'contact.address_invalid': "I couldn't read that as a US address.",
    'contact.same': "That's already what we have on file, so there's nothing to change.",
    'contact.confirm_email': 'Change your email address from {old} to {new}?',
    'contact.confirm_phone': 'Change your phone number from {old} to {new}?',
    'contact.confirm_address': 'Change your {kind} address to {address}?',
    'contact.done_email': "Done: your email address is now {new}. We'll use it for statements and alerts.",
    'contact.done_phone': 'Done: your phone number is now {new}.',
    'contact.done_address': 'Done: your {kind} address is now {address}.',
    'contact.rule.looks_like_card_number':
      "That looks like a card number, so I can't save it in your contact details. Please never share your card number here.",
    'contact.rule.unsupported_country': 'For now we can only keep addresses in the United States on file.',
  },
  es: {
    'contact.what': '¿Qué desea actualizar?',
    'contact.opt.email': 'Correo electrónico',
    'contact.opt.phone': 'Número de teléfono',
    'contact.opt.address': 'Dirección',
    'contact.email': '¿Cuál es su nuevo correo electrónico?',
    'contact.email_invalid': 'Eso no parece un correo electrónico completo (como nombre@ejemplo.com).',
    'contact.phone': '¿Cuál es su nuevo número de teléfono? Por ejemplo: (302) 555-0188.',
    'contact.phone_invalid':
      'Ese número no parece válido: indique un número de EE. UU. de 10 dígitos, o + y el código de país.',
    'contact.kind': '¿Qué dirección desea cambiar?',
    'contact.kind.home': 'Casa',
    'contact.kind.mailing': 'Correspondencia',
    'contact.kind.business': 'Negocio',
    'contact.address':
      'Escriba la nueva dirección en una línea: calle, apartamento (si tiene), ciudad, estado y código postal. Por ejemplo: 12 Main St, Apt 4, Austin, TX 78701.',
    'contact.address_invalid': 'No pude leer eso como una dirección de EE. UU.',
    'contact.same': 'Eso ya es lo que tenemos registrado, así que no hay nada que cambiar.',
    'contact.confirm_email': '¿Cambio su correo electrónico de {old} a {new}?',
    'contact.confirm_phone': '¿Cambio su número de teléfono de {old} a {new}?',
    'contact.confirm_address': '¿Cambio su dirección de {kind} a {address}?',
    'contact.done_email': 'Listo: su correo electrónico ahora es {new}. Lo usaremos para estados de cuenta y alertas.',
    'contact.done_phone': 'Listo: su número de teléfono ahora es {new}.',
    'contact.done_address': 'Listo: su dirección de {kind} ahora es {address}.',
    'contact.rule.looks_like_card_number':
      'Eso parece un número de tarjeta, así que no puedo guardarlo en sus datos de contacto. Por favor, nunca comparta aquí su número de tarjeta.',
    'contact.rule.unsupported_country': 'Por ahora solo podemos registrar direcciones en Estados Unidos.',
  },
};

type ContactField = 'email' | 'phone' | 'address';
type AddressKind = AddressInput['kind'];

const EMAIL_IN = /[^\s<>()[\],;:"]+@[^\s<>()[\],;:"]*[A-Za-z0-9]/;
const PHONE_IN = /\+?\(?\d[\d\s().-]{6,}\d/;

function fieldIn(text: string): ContactField | undefined {
  const f = fold(text);
  if (EMAIL_IN.test(text) || /\b(e-?mail|correo( electronico)?)\b/.test(f)) return 'email';
  if (/\b(phone|mobile|cell|number|telefono|celular|movil|numero)\b/.test(f)) return 'phone';
  if (/\b(address|moved|direccion|domicilio|me mude|mudanza)\b/.test(f)) return 'address';
  return undefined;
}

function kindIn(text: string): AddressKind | undefined {
  const f = fold(text);
  if (/\b(mailing|postal|correspondencia)\b/.test(f)) return 'mailing';
  if (/\b(business|work|office|negocio|trabajo|oficina)\b/.test(f)) return 'business';
  if (/\b(home|house|casa|particular)\b/.test(f)) return 'home';
  return undefined;
}

/** "12 Main St, Apt 4, Austin, TX 78701" → the parts of a US address, or null. */
function parseAddress(text: string, kind: AddressKind): AddressInput | null {
  const m = /^(.*?)[\s,]+([A-Za-z]{2})\.?[\s,]+(\d{5}(?:-\d{4})?)\s*\.?$/.exec(text.trim());
  if (!m) return null;
  const parts = m[1]!
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length < 2) return null;
  const checked = checkAddress({
    kind,
    line1: parts[0],
    line2: parts.length > 2 ? parts.slice(1, -1).join(', ') : null,
    city: parts[parts.length - 1],
    state: m[2],
    zip: m[3],
    country: 'US',
  });
  return checked.ok ? checked.value : null;
}

const oneLine = (a: Pick<AddressInput, 'line1' | 'line2' | 'city' | 'state' | 'zip'>) =>
  [a.line1, a.line2, a.city, `${a.state} ${a.zip}`].filter(Boolean).join(', ');

/** "+13025550188" → "(302) 555-0188"; other countries stay in E.164. */
const showPhone = (e164: string) =>
  /^\+1\d{10}$/.test(e164) ? `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}` : e164;

export const updateContact: Flow = {
  intent: 'account.update_contact',
  init(ctx) {
    const field = fieldIn(ctx.text);
    const slots: Slots = field ? { field } : {};
    const email = EMAIL_IN.exec(ctx.text)?.[0];
    const phone = PHONE_IN.exec(ctx.text)?.[0];
    if (field === 'email' && email) slots.value = email;
    if (field === 'phone' && phone) slots.value = phone;
    const kind = field === 'address' ? kindIn(ctx.text) : undefined;
    if (kind) slots.kind = kind;
    return slots;
  },
  async step(ctx, slots) {
    const t = ctx.t(s);
    const field = str(slots.field) as ContactField | undefined;
    if (!field) {
      return choose('field', t('contact.what'), [
        { label: t('contact.opt.email'), value: 'email', aliases: ['email', 'e-mail', 'correo'] },
        { label: t('contact.opt.phone'), value: 'phone', aliases: ['phone', 'mobile', 'cell', 'telefono', 'celular'] },
        { label: t('contact.opt.address'), value: 'address', aliases: ['address', 'direccion', 'domicilio'] },
      ]);
    }
    const profile = await ctx.accounts.port.getProfile(ctx.accounts.caller);
    const planned = field === 'address' ? planAddress(ctx, slots) : planValue(ctx, slots, field, profile);
    if ('step' in planned) return planned.step;
    // Once confirmed, "same as on file" may be this run's own change (a retried turn): act again anyway.
    if (slots.confirmed !== true) return planned.same ? say(t('contact.same')) : confirm(planned.confirm);
    try {
      await ctx.accounts.act('updateContact', planned.update);
    } catch (err) {
      const rule = ruleOf(err);
      if (rule === 'looks_like_card_number' || rule === 'unsupported_country') return say(t(`contact.rule.${rule}`));
      throw err;
    }
    return done([planned.done], { record: { intent: 'account.update_contact', description: planned.record } });
  },
};

type Plan =
  | { step: Step }
  | {
      same: boolean;
      update: Record<string, unknown>;
      confirm: string;
      done: string;
      /** English, for agents: names the field, never the value. */
      record: string;
    };

const contactPerson = (field: ContactField) => ({
  team: 'general' as const,
  reason: 'account.update_contact',
  summary: `Wants to update their ${field}; the answers given were not valid.`,
});

function planValue(ctx: FlowContext, slots: Slots, field: 'email' | 'phone', profile: CardmemberProfile): Plan {
  const t = ctx.t(s);
  const again = ask('value', 'text', t(field === 'email' ? 'contact.email' : 'contact.phone'));
  const raw = str(slots.value);
  if (raw === undefined) return { step: again };
  const found = (field === 'email' ? EMAIL_IN : PHONE_IN).exec(raw)?.[0] ?? raw;
  const checked = field === 'email' ? checkEmail(found) : normalizePhone(found);
  if (!checked.ok) {
    const why = t(field === 'email' ? 'contact.email_invalid' : 'contact.phone_invalid');
    return { step: reask(ctx, slots, 'value', why, again, contactPerson(field)) };
  }
  const value = checked.value;
  if (field === 'email') {
    return {
      same: value.toLowerCase() === profile.email.toLowerCase(),
      update: { email: value },
      confirm: t('contact.confirm_email', { old: profile.email, new: value }),
      done: t('contact.done_email', { new: value }),
      record: 'Updated the email address on file',
    };
  }
  return {
    same: value === profile.phone,
    update: { phone: value },
    confirm: t('contact.confirm_phone', { old: showPhone(profile.phone), new: showPhone(value) }),
    done: t('contact.done_phone', { new: showPhone(value) }),
    record: 'Updated the phone number on file',
  };
}

function planAddress(ctx: FlowContext, slots: Slots): Plan {
  const t = ctx.t(s);
  const kind = str(slots.kind) as AddressKind | undefined;
  if (!kind) {
    return {
      step: choose(
        'kind',
        t('contact.kind'),
        (['home', 'mailing', 'business'] as const).map((k) => ({ label: t(`contact.kind.${k}`), value: k })),
      ),
    };
  }
  const again = ask('value', 'text', t('contact.address'));
  const raw = str(slots.value);
  if (raw === undefined) return { step: again };
  const address = parseAddress(raw, kind);
  if (!address) {
    return { step: reask(ctx, slots, 'value', t('contact.address_invalid'), again, contactPerson('address')) };
  }
  const kindName = t(`contact.kind.${kind}`).toLowerCase();
  return {
    same: false,
    update: { address },
    confirm: t('contact.confirm_address', { kind: kindName, address: oneLine(address) }),
    done: t('contact.done_address', { kind: kindName, address: oneLine(address) }),
    record: `Updated the ${kind} address on file`,
  };
}
