/**
 * How the card flows put a card's state and the cards rules' refusals (`accounts/rules/cards.rules.ts`)
 * into words for the cardmember, in their language. The rules' own messages are English only and name
 * no card, so the flows say it again here, with the card's name.
 */
import type { Table } from '@carechat/protocol';
import type { CardSummary } from '../../../accounts/accounts.port.js';
import type { FlowContext } from '../../dialogue/flow.js';
import { cardLabel, ruleOf } from '../shared.js';

type Key =
  | 'status.lost'
  | 'status.stolen'
  | 'status.replaced'
  | 'status.closed'
  | 'status.damaged'
  | 'status.locked'
  | 'status.active'
  | 'card_not_lockable'
  | 'card_not_unlockable'
  | 'card_already_active'
  | 'card_not_activatable'
  | 'card_not_activatable.locked'
  | 'card_not_reportable'
  | 'card_locked'
  | 'card_not_replaceable'
  | 'replacement_already_pending'
  | 'no_shipping_address';

const s: Table<Key> = {
  en: {
    'status.lost': 'was reported lost and its number is closed',
    'status.stolen': 'was reported stolen and its number is closed',
    'status.replaced': 'has been replaced by a new card',
    'status.closed': 'is closed',
    'status.damaged': 'was reported damaged',
    'status.locked': 'is locked',
    'status.active': 'is active',
    card_not_lockable: "Your {card} {status}, so it can't be locked: it can't be used for purchases anyway.",
    card_not_unlockable: "Your {card} {status}, so it can't be unlocked. Please use its replacement instead.",
    card_already_active: 'Your {card} is already activated and ready to use.',
    card_not_activatable: "Your {card} {status}, so it can't be activated.",
    'card_not_activatable.locked': 'Your {card} is locked. Please unlock it first, then activate it.',
    card_not_reportable: 'Your {card} {status}, so there is nothing more to report.',
    card_locked:
      'Your {card} is locked. A damaged card keeps its number, so please unlock it first, then order the replacement.',
    card_not_replaceable: "Your {card} {status}, so a damaged-card replacement can't be ordered.",
    replacement_already_pending:
      'A replacement for your {card} is already on its way. Please wait for it to arrive before ordering another.',
    no_shipping_address: "We don't have an address on file to send a card to.",
  },
  es: {
    'status.lost': 'se reportó como perdida y su número está cerrado',
    'status.stolen': 'se reportó como robada y su número está cerrado',
    'status.replaced': 'fue reemplazada por una tarjeta nueva',
    'status.closed': 'está cerrada',
    'status.damaged': 'se reportó como dañada',
    'status.locked': 'está bloqueada',
    'status.active': 'está activa',
    card_not_lockable: 'Su {card} {status}, así que no se puede bloquear: de todos modos ya no sirve para compras.',
    card_not_unlockable: 'Su {card} {status}, así que no se puede desbloquear. Use la tarjeta de reemplazo.',
    card_already_active: 'Su {card} ya está activada y lista para usar.',
    card_not_activatable: 'Su {card} {status}, así que no se puede activar.',
    'card_not_activatable.locked': 'Su {card} está bloqueada. Desbloquéela primero y después actívela.',
    card_not_reportable: 'Su {card} ya {status}, así que no hay nada más que reportar.',
    card_locked:
      'Su {card} está bloqueada. Una tarjeta dañada conserva su número, así que desbloquéela primero y luego pida el reemplazo.',
    card_not_replaceable: 'Su {card} {status}, así que no se puede pedir un reemplazo por daño.',
    replacement_already_pending: 'Ya hay un reemplazo de su {card} en camino. Espere a que llegue antes de pedir otro.',
    no_shipping_address: 'No tenemos una dirección registrada a la cual enviar una tarjeta.',
  },
};

type Status = CardSummary['status'];

/** "was reported lost and its number is closed": how a card's status reads after "Your card ...". */
export function statusText(ctx: FlowContext, status: Status): string {
  return ctx.t(s)(`status.${status}`);
}

/** A card whose number can still be used (possibly locked). */
export const inUse = (c: CardSummary): boolean => c.status === 'active' || c.status === 'locked';

/**
 * The refusal of a cards rule, in the cardmember's words, or null when `err` is no cards rule (the
 * caller rethrows it and the manager apologises). `rule` may also be passed directly, for refusals a
 * flow foresees before acting.
 */
export function refusal(ctx: FlowContext, errOrRule: unknown, card: CardSummary): string | null {
  const rule = typeof errOrRule === 'string' ? errOrRule : ruleOf(errOrRule);
  const t = ctx.t(s);
  const params = { card: cardLabel(card, ctx.lang), status: statusText(ctx, card.status) };
  switch (rule) {
    case 'card_not_activatable':
      return t(card.status === 'locked' ? 'card_not_activatable.locked' : 'card_not_activatable', params);
    case 'card_not_lockable':
    case 'card_not_unlockable':
    case 'card_already_active':
    case 'card_not_reportable':
    case 'card_locked':
    case 'card_not_replaceable':
    case 'replacement_already_pending':
    case 'no_shipping_address':
      return t(rule, params);
    default:
      return null;
  }
}
