/**
 * Business rules for cards: locking, activation, lost/stolen and damaged replacements, delivery
 * estimates and the order cards are listed in. Pure functions (inputs -> decision), so the assistant's
 * answers and the embedded core agree, and every edge is unit-tested without a database.
 */
import type { ShippingMethod } from '../accounts.port.js';
import { addBusinessDays, addMonths } from './dates.js';

/** A refusal the assistant can repeat to the cardmember as it is. */
export interface Refusal {
  ok: false;
  rule: string;
  message: string;
}
export type Decision<T = object> = ({ ok: true } & T) | Refusal;

const refuse = (rule: string, message: string): Refusal => ({ ok: false, rule, message });

/** How a card's status reads in a sentence ("This card ..."). */
function statusPhrase(status: string): string {
  switch (status) {
    case 'lost':
      return 'was reported lost and its number is closed';
    case 'stolen':
      return 'was reported stolen and its number is closed';
    case 'replaced':
      return 'has been replaced by a new card';
    case 'closed':
      return 'is closed';
    case 'damaged':
      return 'was reported damaged';
    case 'locked':
      return 'is locked';
    default:
      return `is ${status}`;
  }
}

// ------------------------------------------------------------------ lock / unlock

export type LockDecision = Decision<{ change: boolean }>;

/** A lock is a temporary freeze of a working card; asking twice is not an error (nothing to do). */
export function decideLock(status: string): LockDecision {
  if (status === 'active') return { ok: true, change: true };
  if (status === 'locked') return { ok: true, change: false };
  return refuse(
    'card_not_lockable',
    `This card ${statusPhrase(status)}, so it can't be locked. It can no longer be used for purchases.`,
  );
}

/** Only a lock can be undone; a closed number (lost, stolen, replaced, closed) never comes back. */
export function decideUnlock(status: string): LockDecision {
  if (status === 'locked') return { ok: true, change: true };
  if (status === 'active') return { ok: true, change: false };
  return refuse(
    'card_not_unlockable',
    `This card ${statusPhrase(status)}, so it can't be unlocked. Please use the replacement card instead.`,
  );
}

// ------------------------------------------------------------------ activation

/**
 * A card is activated once, on arrival; a card that is no longer in use (or is locked) cannot be.
 * An activated card that is still in use (active or locked) answers "already active".
 */
export function decideActivate(status: string, activated: boolean): Decision {
  if (activated && (status === 'active' || status === 'locked')) {
    return refuse('card_already_active', 'This card is already activated and ready to use.');
  }
  if (status === 'locked') {
    return refuse('card_not_activatable', 'This card is locked. Please unlock it first, then activate it.');
  }
  if (status !== 'active') {
    return refuse('card_not_activatable', `This card ${statusPhrase(status)}, so it can't be activated.`);
  }
  return { ok: true };
}

// ------------------------------------------------------------------ replacements

/** A card in the cardmember's hands (even if locked) can be reported; a closed number cannot be again. */
export function decideReportLostOrStolen(status: string): Decision {
  if (status === 'active' || status === 'locked') return { ok: true };
  return refuse('card_not_reportable', `This card ${statusPhrase(status)}, so it can't be reported lost or stolen.`);
}

/**
 * A damaged card keeps its number, so it must be usable (not locked) to replace it, and one
 * replacement in the mail at a time is enough (a second would only duplicate plastic).
 */
export function decideReplaceDamaged(status: string, openDamagedReplacements: number): Decision {
  if (status === 'locked') {
    return refuse('card_locked', 'This card is locked. Please unlock it first, then order the replacement.');
  }
  if (status !== 'active') {
    return refuse(
      'card_not_replaceable',
      `This card ${statusPhrase(status)}, so a damaged-card replacement can't be ordered.`,
    );
  }
  if (openDamagedReplacements > 0) {
    return refuse(
      'replacement_already_pending',
      'A replacement for this card is already on its way. Please wait for it to arrive before ordering another.',
    );
  }
  return { ok: true };
}

/** Business days the carrier needs, by shipping method (Monday to Friday; holidays are the core's). */
export const DELIVERY_BUSINESS_DAYS: Record<ShippingMethod, number> = { standard: 5, expedited: 2 };

/** The date a replacement should arrive when ordered on `orderedOn`. */
export function estimateDelivery(orderedOn: string, method: ShippingMethod): string {
  return addBusinessDays(orderedOn, DELIVERY_BUSINESS_DAYS[method]);
}

export interface ReplacementProgress {
  status: 'ordered' | 'shipped' | 'delivered';
  deliveredOn: string | null;
}

/**
 * Where a replacement is, derived from today: the plastic leaves on the next business day and is
 * taken as delivered on its estimated date (a recorded delivery date, if the core has one, wins).
 */
export function replacementProgress(
  r: { orderedOn: string; estimatedDelivery: string; deliveredOn?: string | null },
  today: string,
): ReplacementProgress {
  if (r.deliveredOn && r.deliveredOn <= today) return { status: 'delivered', deliveredOn: r.deliveredOn };
  if (!r.deliveredOn && today >= r.estimatedDelivery) return { status: 'delivered', deliveredOn: r.estimatedDelivery };
  if (today >= addBusinessDays(r.orderedOn, 1)) return { status: 'shipped', deliveredOn: null };
  return { status: 'ordered', deliveredOn: null };
}

/** A new number gets a full four-year validity from the day it is issued (`YYYY-MM`). */
export function replacementExpiry(today: string): string {
  return addMonths(today, 48).slice(0, 7);
}

// ------------------------------------------------------------------ shipping address

export interface ShippingCandidate {
  id: string;
  kind: string;
  primary: boolean;
}

/**
 * Where the new card goes: the address the cardmember named (it must be theirs), else their primary
 * address, else their home address, else any address on file; with none on file we cannot ship.
 */
export function chooseShippingAddress<A extends ShippingCandidate>(
  addresses: readonly A[],
  addressId?: string,
): { ok: true; address: A } | { ok: false; notFound: true } | Refusal {
  if (addressId !== undefined) {
    const named = addresses.find((a) => a.id === addressId);
    return named ? { ok: true, address: named } : { ok: false, notFound: true };
  }
  const chosen = addresses.find((a) => a.primary) ?? addresses.find((a) => a.kind === 'home') ?? addresses[0];
  if (!chosen) {
    return refuse(
      'no_shipping_address',
      "We don't have an address on file to send the card to. Please add a mailing address first.",
    );
  }
  return { ok: true, address: chosen };
}

// ------------------------------------------------------------------ listing order

export interface OrderableCard {
  id: string;
  replacedByCardId: string | null;
  accountOpenedOn: string;
  accountId: string;
  role: string;
  createdAt: string;
}

/**
 * Cards grouped by account (oldest account first), primary before authorized users, and each
 * replacement right after the card it replaced, so a lost card and its successor read together.
 */
export function orderCards<C extends OrderableCard>(cards: readonly C[]): C[] {
  const byId = new Map(cards.map((c) => [c.id, c]));
  const successors = new Set(cards.map((c) => c.replacedByCardId).filter((id): id is string => !!id && byId.has(id)));
  const rank = (c: C) => (c.role === 'primary' ? 0 : 1);
  const cmp = (a: C, b: C) =>
    a.accountOpenedOn.localeCompare(b.accountOpenedOn) ||
    a.accountId.localeCompare(b.accountId) ||
    rank(a) - rank(b) ||
    a.createdAt.localeCompare(b.createdAt) ||
    a.id.localeCompare(b.id);
  const out: C[] = [];
  const seen = new Set<string>();
  const chain = (start: C) => {
    for (let c: C | undefined = start; c && !seen.has(c.id); c = byId.get(c.replacedByCardId ?? '')) {
      seen.add(c.id);
      out.push(c);
    }
  };
  for (const root of cards.filter((c) => !successors.has(c.id)).sort(cmp)) chain(root);
  // A malformed cycle has no root; still list every card once.
  for (const rest of [...cards].sort(cmp)) chain(rest);
  return out;
}
