/**
 * Where and how a replacement card travels, shared by the lost/stolen and damaged-card flows: one of
 * the addresses on file (shown as street + city only) and the shipping method with its estimate.
 * A new address cannot be added here (that needs step-up and its own flow), so "another address"
 * goes to a person.
 */
import type { Table } from '@carechat/protocol';
import type { Address, ShippingMethod } from '../../../accounts/accounts.port.js';
import { estimateDelivery } from '../../../accounts/rules/cards.rules.js';
import type { IntentId } from '../../intents.js';
import { choose, day, handoff, type FlowContext, type Option, type Slots, type Step } from '../../dialogue/flow.js';
import { fold } from '../../dialogue/slots.js';

type Key =
  | 'address.ask'
  | 'address.other'
  | 'address.other.handoff'
  | 'address.none'
  | 'method.ask'
  | 'method.standard'
  | 'method.expedited'
  | 'method.standard.word'
  | 'method.expedited.word';

const s: Table<Key> = {
  en: {
    'address.ask': 'Where should we send the new card?',
    'address.other': 'Another address',
    'address.other.handoff': "To send it to an address we don't have on file, a live agent needs to help you.",
    'address.none': "We don't have an address on file to send the card to, so a live agent will help you with it.",
    'method.ask': 'How should we ship it?',
    'method.standard': 'Standard (by {date})',
    'method.expedited': 'Expedited (by {date})',
    'method.standard.word': 'standard',
    'method.expedited.word': 'expedited',
  },
  es: {
    'address.ask': '¿A qué dirección le enviamos la tarjeta nueva?',
    'address.other': 'Otra dirección',
    'address.other.handoff': 'Para enviarla a una dirección que no tenemos registrada, necesita la ayuda de un agente.',
    'address.none': 'No tenemos una dirección registrada para enviarle la tarjeta, así que un agente le ayudará.',
    'method.ask': '¿Cómo se la enviamos?',
    'method.standard': 'Estándar (llega el {date})',
    'method.expedited': 'Urgente (llega el {date})',
    'method.standard.word': 'estándar',
    'method.expedited.word': 'urgente',
  },
};

export interface Shipping {
  address: Address;
  method: ShippingMethod;
  /** The estimated delivery day if ordered today (the core's own estimate comes back with the order). */
  arrives: string;
}

const OTHER = 'other';

/** "1420 Coral Way, Miami": enough to recognise an address without showing all of it. */
export const shortAddress = (a: Pick<Address, 'line1' | 'city'>): string => `${a.line1}, ${a.city}`;

/** "standard" / "urgente": the method as a word inside a sentence. */
export const methodWord = (ctx: FlowContext, method: ShippingMethod): string => ctx.t(s)(`method.${method}.word`);

/** "Send it express" in the first message chooses the method; otherwise it is asked. */
export function methodIn(text: string): ShippingMethod | undefined {
  return /\b(expedit\w*|express|rush|overnight|fastest|urgente?|expres|rapid[oa]|lo antes posible)\b/.test(fold(text))
    ? 'expedited'
    : undefined;
}

const KIND_WORDS: Record<Address['kind'], string[]> = {
  home: ['home', 'house', 'casa', 'domicilio'],
  mailing: ['mailing', 'postal', 'correo'],
  business: ['business', 'work', 'office', 'negocio', 'trabajo', 'oficina'],
};

/**
 * The address and method of a replacement: filled from the slots `address` and `method`, or the step
 * that asks for the missing one. With one address on file nothing is asked: the confirmation shows it.
 * `summary` (English) tells the agent what the cardmember was doing if a person has to take over.
 */
export async function shipping(
  ctx: FlowContext,
  slots: Slots,
  o: { intent: IntentId; summary: string },
): Promise<Shipping | { step: Step }> {
  const t = ctx.t(s);
  const profile = await ctx.accounts.port.getProfile(ctx.accounts.caller);
  const addresses = [...profile.addresses].sort((a, b) => Number(b.primary) - Number(a.primary));
  const toAgent = (text: string, code: string, why: string) =>
    handoff([text], { team: 'general', reason: `${o.intent}:${code}`, summary: `${o.summary} ${why}.` });
  if (addresses.length === 0) {
    return { step: toAgent(t('address.none'), 'no_shipping_address', 'No shipping address on file') };
  }
  if (slots.address === OTHER) {
    return {
      step: toAgent(t('address.other.handoff'), 'other_address', 'Wants the card sent to an address not on file'),
    };
  }
  const address = addresses.length === 1 ? addresses[0]! : addresses.find((a) => a.id === slots.address);
  if (!address) {
    const options: Option[] = addresses.map((a) => ({
      label: shortAddress(a),
      value: a.id,
      aliases: KIND_WORDS[a.kind],
    }));
    options.push({ label: t('address.other'), value: OTHER, aliases: ['other', 'otra', 'new address', 'nueva'] });
    return { step: choose('address', t('address.ask'), options) };
  }
  const method = slots.method === 'standard' || slots.method === 'expedited' ? slots.method : undefined;
  if (!method) {
    const date = (m: ShippingMethod) => day(estimateDelivery(ctx.today, m), ctx.lang);
    return {
      step: choose('method', t('method.ask'), [
        {
          label: t('method.standard', { date: date('standard') }),
          value: 'standard',
          aliases: ['standard', 'regular', 'normal', 'estandar'],
        },
        {
          label: t('method.expedited', { date: date('expedited') }),
          value: 'expedited',
          aliases: ['expedited', 'express', 'rush', 'fast', 'faster', 'urgente', 'expres', 'rapido'],
        },
      ]),
    };
  }
  return { address, method, arrives: estimateDelivery(ctx.today, method) };
}
