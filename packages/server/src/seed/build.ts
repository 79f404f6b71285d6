/**
 * Row helpers shared by the personas and the generator: card rows that keep only ciphertext,
 * fingerprint and last 4 of a number, card numbers with a chosen ending, contact details.
 */
import type { CommunicationPreferences } from '../accounts/accounts.port.js';
import { generatePan, luhnCheckDigit, type PanVault } from '../accounts/embedded/pan-vault.js';
import { PRODUCTS } from '../accounts/embedded/products.js';
import { parseDate } from '../accounts/rules/dates.js';
import type { AddressesTable, CardsTable } from '../store/schema.js';
import type { Rng } from './rng.js';

/** `YYYY-MM-DDTHH:MM:00.000Z` for a date and a minute of the day. */
export function at(date: string, minuteOfDay = 720): string {
  const h = String(Math.floor(minuteOfDay / 60) % 24).padStart(2, '0');
  const m = String(minuteOfDay % 60).padStart(2, '0');
  return `${date}T${h}:${m}:00.000Z`;
}

/**
 * A 15-digit number in the 34/37 range ending in `last4` that passes Luhn. The last digit is the
 * check digit, so one free middle digit (undoubled by Luhn, so each value shifts the sum by a
 * different amount) is varied until the check digit comes out as wanted; one of ten always does.
 */
export function panEndingIn(last4: string, rng: Rng): string {
  if (!/^\d{4}$/.test(last4)) throw new Error('last4 must be 4 digits');
  const prefix = (rng.chance(0.5) ? '34' : '37') + rng.digits(8);
  const start = rng.int(10);
  for (let k = 0; k < 10; k++) {
    const body = prefix + String((start + k) % 10) + last4.slice(0, 3);
    if (luhnCheckDigit(body) === last4[3]) return body + last4[3];
  }
  throw new Error('unreachable: one of ten digits always gives the check digit');
}

/** A fresh number from the generator's stream that is not in `taken` (which it joins). */
export function uniquePan(rng: Rng, taken: Set<string>): string {
  for (;;) {
    const pan = generatePan((n) => rng.int(n));
    if (!taken.has(pan)) {
      taken.add(pan);
      return pan;
    }
  }
}

export const productName = (productId: string): string => {
  const p = PRODUCTS.find((x) => x.id === productId);
  if (!p) throw new Error(`unknown product ${productId}`);
  return p.name;
};

export interface CardSpec {
  id: string;
  cardmemberId: string;
  accountId: string;
  productId: string;
  pan: string;
  holderName: string;
  role: 'primary' | 'authorized_user';
  /** YYYY-MM */
  expiry: string;
  createdAt: string;
  activatedAt: string | null;
  status?: string;
  statusChangedAt?: string;
  replacedByCardId?: string | null;
}

/** The card row: the full number only as vault ciphertext and fingerprint. */
export function cardRow(vault: PanVault, c: CardSpec): CardsTable {
  return {
    id: c.id,
    cardmember_id: c.cardmemberId,
    product_name: productName(c.productId),
    last4: c.pan.slice(-4),
    status: c.status ?? 'active',
    created_at: c.createdAt,
    account_id: c.accountId,
    pan_ciphertext: vault.encrypt(c.pan),
    pan_fingerprint: vault.fingerprint(c.pan),
    expiry: c.expiry,
    holder_name: c.holderName,
    role: c.role,
    activated_at: c.activatedAt,
    replaced_by_card_id: c.replacedByCardId ?? null,
    status_changed_at: c.statusChangedAt ?? c.createdAt,
  };
}

/** Lower-case ASCII letters of a name, for e-mail addresses ("José" -> "jose", "O'Brien" -> "obrien"). */
export const emailPart = (name: string): string =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');

/** The address snapshot a replacement keeps (as the embedded core writes it). */
export const shipTo = (a: AddressesTable): string =>
  JSON.stringify({
    addressId: a.id,
    line1: a.line1,
    line2: a.line2,
    city: a.city,
    state: a.state,
    zip: a.zip,
    country: a.country,
  });

export const prefsJson = (p: CommunicationPreferences): string => JSON.stringify(p);

// Date arithmetic on the hot path: generating 100,000 cardmembers adds days tens of millions of times,
// and the strict parser in rules/dates.ts is made for untrusted input, not for that. Dates seen once
// are remembered (a few thousand distinct days at most).
const DAY_MS = 86_400_000;
const dayNumbers = new Map<string, number>();
const dayStrings = new Map<number, string>();

const dayNumber = (d: string): number => {
  let n = dayNumbers.get(d);
  if (n === undefined) {
    n = Math.round(parseDate(d).getTime() / DAY_MS);
    dayNumbers.set(d, n);
  }
  return n;
};

const dayString = (n: number): string => {
  let d = dayStrings.get(n);
  if (d === undefined) {
    d = new Date(n * DAY_MS).toISOString().slice(0, 10);
    dayStrings.set(n, d);
    dayNumbers.set(d, n);
  }
  return d;
};

/** `addDays` of rules/dates.ts, memoised. */
export const plusDays = (d: string, n: number): string => dayString(dayNumber(d) + n);
/** `daysBetween` of rules/dates.ts, memoised. */
export const daysFrom = (a: string, b: string): number => dayNumber(b) - dayNumber(a);
