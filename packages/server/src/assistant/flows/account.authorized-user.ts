/** The assistant's flow for authorized users: list them, add one (with age and limit checks) or remove one. */
import type { Table } from '@carechat/protocol';
import type { AuthorizedUser } from '../../accounts/accounts.port.js';
import { addMonths } from '../../accounts/rules/dates.js';
import {
  ageOn,
  checkPersonName,
  MAX_AUTHORIZED_USERS,
  MIN_AUTHORIZED_USER_AGE,
} from '../../accounts/rules/profile.rules.js';
import type { Flow, FlowContext, Option, Slots, Step } from '../dialogue/flow.js';
import { ask, choose, confirm, day, done, say } from '../dialogue/flow.js';
import { fold } from '../dialogue/slots.js';
import { cardLabel, pickCard, ruleOf } from './shared.js';
import { listOf, reask, slotText as str } from './slot-helpers.js';

type Key =
  | 'pick_card'
  | 'nothing'
  | 'au.list'
  | 'au.list.none'
  | 'au.entry'
  | 'au.opt.add'
  | 'au.opt.remove'
  | 'au.opt.none'
  | 'au.limit'
  | 'au.first'
  | 'au.last'
  | 'au.name_invalid'
  | 'au.dob'
  | 'au.dob_future'
  | 'au.dob_year'
  | 'au.too_young'
  | 'au.confirm_add'
  | 'au.added'
  | 'au.none'
  | 'au.which'
  | 'au.confirm_remove'
  | 'au.removed'
  | 'au.rule.not_primary_card'
  | 'au.rule.account_not_open'
  | 'au.rule.authorized_user_limit'
  | 'au.rule.authorized_user_already_removed'
  | 'au.rule.authorized_user_too_young';

const s: Table<Key> = {
  en: {
    pick_card: 'Which account is this for?',
    nothing: "Okay. Let me know if there's anything else I can help with.",
    'au.list': 'The authorized users on your {card} are {users}.',
    'au.list.none': 'There are no authorized users on your {card} yet.',
    'au.entry': '{name} (card ending in {last4})',
    'au.opt.add': 'Add an authorized user',
    'au.opt.remove': 'Remove an authorized user',
    'au.opt.none': "That's all, thanks",
    'au.limit':
      'Your account already has {limit} authorized users, the most it can have. To add someone, one of them needs to be removed first.',
    'au.first': "What's the first name of the person you'd like to add?",
    'au.last': "And {first}'s last name?",
    'au.name_invalid': 'A name can only have letters, spaces, hyphens and apostrophes.',
    'au.dob': "What's {first}'s date of birth? For example: March 14, 2001.",
    'au.dob_future': "That date hasn't happened yet.",
    'au.dob_year': 'Please include the year of birth.',
    'au.too_young':
      "Authorized users must be at least {age} years old, so I can't add {first} yet. You can add them from {date}.",
    'au.confirm_add':
      "Add {first} {last}, born {dob}, as an authorized user on your {card}? They'll get their own card on your account, and you'll be responsible for their charges.",
    'au.added':
      'Done: {first} {last} is now an authorized user. Their new card ends in {last4} and needs to be activated when it arrives.',
    'au.none': 'There are no authorized users on your {card} to remove.',
    'au.which': 'Who would you like to remove?',
    'au.confirm_remove':
      "Remove {name} as an authorized user? Their card ending in {last4} will be closed right away and can't be used again.",
    'au.removed': 'Done: {name} is no longer an authorized user, and their card ending in {last4} is closed.',
    'au.rule.not_primary_card':
      'Authorized users can only be added by the primary cardmember, through the main card of the account.',
    'au.rule.account_not_open': 'This account is closed, so no authorized users can be added to it.',
    'au.rule.authorized_user_limit':
      'Your account already has the most authorized users it can have. Remove one before adding another.',
    'au.rule.authorized_user_already_removed': 'That person had already been removed from your account.',
    'au.rule.authorized_user_too_young': "Authorized users must be at least 13 years old, so I couldn't add them.",
  },
  es: {
    pick_card: '¿Para qué cuenta es?',
    nothing: 'De acuerdo. Avíseme si hay algo más en lo que pueda ayudarle.',
    'au.list': 'Los usuarios autorizados de su {card} son {users}.',
    'au.list.none': 'Su {card} todavía no tiene usuarios autorizados.',
    'au.entry': '{name} (tarjeta terminada en {last4})',
    'au.opt.add': 'Agregar un usuario autorizado',
    'au.opt.remove': 'Quitar un usuario autorizado',
    'au.opt.none': 'Eso es todo, gracias',
    'au.limit':
      'Su cuenta ya tiene {limit} usuarios autorizados, el máximo permitido. Para agregar a alguien, primero hay que quitar a uno.',
    'au.first': '¿Cuál es el nombre de la persona que desea agregar?',
    'au.last': '¿Y el apellido de {first}?',
    'au.name_invalid': 'Un nombre solo puede tener letras, espacios, guiones y apóstrofos.',
    'au.dob': '¿Cuál es la fecha de nacimiento de {first}? Por ejemplo: 14 de marzo de 2001.',
    'au.dob_future': 'Esa fecha todavía no ha llegado.',
    'au.dob_year': 'Por favor, incluya el año de nacimiento.',
    'au.too_young':
      'Los usuarios autorizados deben tener al menos {age} años, así que todavía no puedo agregar a {first}. Podrá agregarle a partir del {date}.',
    'au.confirm_add':
      '¿Agrego a {first} {last} (fecha de nacimiento: {dob}) como usuario autorizado de su {card}? Recibirá su propia tarjeta de su cuenta, y usted será responsable de sus cargos.',
    'au.added':
      'Listo: {first} {last} ya es usuario autorizado. Su nueva tarjeta termina en {last4} y debe activarse cuando llegue.',
    'au.none': 'Su {card} no tiene usuarios autorizados que quitar.',
    'au.which': '¿A quién desea quitar?',
    'au.confirm_remove':
      '¿Quito a {name} como usuario autorizado? Su tarjeta terminada en {last4} se cerrará de inmediato y no podrá volver a usarse.',
    'au.removed': 'Listo: {name} ya no es usuario autorizado y su tarjeta terminada en {last4} está cerrada.',
    'au.rule.not_primary_card':
      'Solo el titular principal puede agregar usuarios autorizados, con la tarjeta principal de la cuenta.',
    'au.rule.account_not_open': 'Esta cuenta está cerrada, así que no se le pueden agregar usuarios autorizados.',
    'au.rule.authorized_user_limit':
      'Su cuenta ya tiene el máximo de usuarios autorizados. Quite a uno antes de agregar a otro.',
    'au.rule.authorized_user_already_removed': 'Esa persona ya se había quitado de su cuenta.',
    'au.rule.authorized_user_too_young':
      'Los usuarios autorizados deben tener al menos 13 años, así que no pude agregar a esa persona.',
  },
};

const AU_ADD = /\b(add|new|another|agregar|anadir|sumar|nuev[oa]|otr[oa])\b/;
const AU_REMOVE = /\b(remove|delete|take off|quitar|quite|eliminar|remover|borrar|dar de baja|sacar)\b/;

const auName = (u: AuthorizedUser) => `${u.firstName} ${u.lastName}`;

/** The active user the message names by first name, full name or card last 4, when exactly one fits. */
function namedUser(text: string, users: AuthorizedUser[]): AuthorizedUser | undefined {
  const words = new Set(fold(text).split(' '));
  const hits = users.filter(
    (u) => words.has(fold(u.firstName)) || words.has(fold(u.lastName)) || words.has(u.cardLast4),
  );
  return hits.length === 1 ? hits[0] : undefined;
}

export const authorizedUser: Flow = {
  intent: 'account.authorized_user',
  init(ctx): Slots {
    const f = fold(ctx.text);
    return AU_REMOVE.test(f) ? { action: 'remove' } : AU_ADD.test(f) ? { action: 'add' } : {};
  },
  async step(ctx, slots) {
    const t = ctx.t(s);
    const picked = await pickCard(ctx, slots, {
      prompt: t('pick_card'),
      whenSeveral: 'ask',
      filter: (c) => c.role === 'primary' && c.status === 'active',
    });
    if ('step' in picked) return picked.step;
    const card = picked.card;
    const label = cardLabel(card, ctx.lang);
    const all = await ctx.accounts.port.listAuthorizedUsers(ctx.accounts.caller, card.id);
    const users = all.filter((u) => u.status === 'active');
    const action = str(slots.action);
    if (!action) {
      const entries = users.map((u) => t('au.entry', { name: auName(u), last4: u.cardLast4 }));
      const intro = users.length
        ? t('au.list', { card: label, users: listOf(entries, ctx.lang) })
        : t('au.list.none', { card: label });
      const options: Option[] = [
        { label: t('au.opt.add'), value: 'add', aliases: ['add', 'agregar', 'anadir'] },
        ...(users.length
          ? [{ label: t('au.opt.remove'), value: 'remove', aliases: ['remove', 'quitar', 'eliminar'] }]
          : []),
        { label: t('au.opt.none'), value: 'none', aliases: ['no', 'nothing', 'nada', 'no thanks', 'no gracias'] },
      ];
      return choose('action', intro, options);
    }
    if (action === 'none') return say(t('nothing'));
    if (action === 'remove') return removeUser(ctx, slots, all, label);
    return addUser(ctx, slots, users, card.id, label);
  },
};

async function addUser(
  ctx: FlowContext,
  slots: Slots,
  users: AuthorizedUser[],
  cardId: string,
  label: string,
): Promise<Step> {
  const t = ctx.t(s);
  // Once confirmed, the count may include the very user this run added (a retried turn).
  if (slots.confirmed !== true && users.length >= MAX_AUTHORIZED_USERS) {
    return say(t('au.limit', { limit: MAX_AUTHORIZED_USERS }));
  }
  const person = {
    team: 'general' as const,
    reason: 'account.authorized_user',
    summary: 'Wants to add an authorized user; the assistant could not collect valid details.',
  };
  for (const [slot, prompt] of [
    ['first_name', t('au.first')],
    ['last_name', t('au.last', { first: str(slots.first_name) ?? '' })],
  ] as const) {
    const raw = str(slots[slot]);
    if (raw === undefined) return ask(slot, 'text', prompt);
    const name = checkPersonName(raw, slot);
    if (!name.ok) return reask(ctx, slots, slot, t('au.name_invalid'), ask(slot, 'text', prompt), person);
    slots[slot] = name.value;
  }
  const first = str(slots.first_name)!;
  const last = str(slots.last_name)!;
  const dob = str(slots.dob);
  const askDob = ask('dob', 'date', t('au.dob', { first }));
  if (!dob) return askDob;
  if (dob > ctx.today) return reask(ctx, slots, 'dob', t('au.dob_future'), askDob, person);
  const age = ageOn(dob, ctx.today);
  // A date without a year resolves to this year: nobody adds a newborn, so ask for the year.
  if (age < 1 || dob < '1900-01-01') return reask(ctx, slots, 'dob', t('au.dob_year'), askDob, person);
  if (age < MIN_AUTHORIZED_USER_AGE) {
    const from = addMonths(dob, 12 * MIN_AUTHORIZED_USER_AGE);
    return say(t('au.too_young', { age: MIN_AUTHORIZED_USER_AGE, first, date: day(from, ctx.lang) }));
  }
  if (slots.confirmed !== true) {
    return confirm(t('au.confirm_add', { first, last, dob: day(dob, ctx.lang), card: label }));
  }
  try {
    const added = await ctx.accounts.act<AuthorizedUser>('addAuthorizedUser', {
      cardId,
      firstName: first,
      lastName: last,
      dateOfBirth: dob,
    });
    return done([t('au.added', { first, last, last4: added.cardLast4 })], {
      record: {
        intent: 'account.authorized_user',
        description: `Added ${first} ${last} as an authorized user (new card ending ${added.cardLast4})`,
      },
    });
  } catch (err) {
    return auRefusal(ctx, err);
  }
}

async function removeUser(ctx: FlowContext, slots: Slots, all: AuthorizedUser[], label: string): Promise<Step> {
  const t = ctx.t(s);
  const users = all.filter((u) => u.status === 'active');
  if (!slots.au) {
    const named = namedUser(ctx.text, users);
    if (named) slots.au = named.id;
  }
  // Once confirmed, a retried turn finds the user already removed by this very run: act again anyway,
  // and the idempotency key returns the first removal.
  const user = (slots.confirmed === true ? all : users).find((u) => u.id === slots.au);
  if (!user) {
    if (!users.length) return say(t('au.none', { card: label }));
    return choose(
      'au',
      t('au.which'),
      users.map((u) => ({
        label: t('au.entry', { name: auName(u), last4: u.cardLast4 }),
        value: u.id,
        aliases: [u.firstName, u.lastName, auName(u), u.cardLast4],
      })),
    );
  }
  if (slots.confirmed !== true) {
    return confirm(t('au.confirm_remove', { name: auName(user), last4: user.cardLast4 }));
  }
  try {
    await ctx.accounts.act('removeAuthorizedUser', { authorizedUserId: user.id });
  } catch (err) {
    return auRefusal(ctx, err);
  }
  return done([t('au.removed', { name: auName(user), last4: user.cardLast4 })], {
    record: {
      intent: 'account.authorized_user',
      description: `Removed authorized user ${auName(user)} (card ending ${user.cardLast4} closed)`,
    },
  });
}

/** Refusals the core may still give after the flow's own checks (its data may have changed meanwhile). */
const AU_RULES = [
  'not_primary_card',
  'account_not_open',
  'authorized_user_limit',
  'authorized_user_already_removed',
  'authorized_user_too_young',
] as const;

function auRefusal(ctx: FlowContext, err: unknown): Step {
  const rule = ruleOf(err);
  const known = AU_RULES.find((r) => r === rule);
  if (known) return say(ctx.t(s)(`au.rule.${known}`));
  throw err;
}
