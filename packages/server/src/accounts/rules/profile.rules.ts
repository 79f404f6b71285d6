/**
 * Profile and authorized-user rules as pure functions: contact details, communication preferences,
 * and who may be added to or removed from an account. Inputs in, a decision out; no database, no clock.
 */
import type { AddressInput, CommunicationPreferences } from '@carechat/protocol';
import { addMonths, isDate } from './dates.js';

/** A rule's answer: the cleaned value, or why not (`invalid` input, or a business `rule` with its id). */
export type Decision<T> =
  | { ok: true; value: T }
  | { ok: false; kind: 'invalid' | 'rule'; rule?: string; message: string; details?: Record<string, unknown> };

const ok = <T>(value: T): Decision<T> => ({ ok: true, value });
const bad = (message: string, details?: Record<string, unknown>): Decision<never> => ({
  ok: false,
  kind: 'invalid',
  message,
  ...(details ? { details } : {}),
});
const rule = (id: string, message: string, details?: Record<string, unknown>): Decision<never> => ({
  ok: false,
  kind: 'rule',
  rule: id,
  message,
  ...(details ? { details } : {}),
});

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keys of `o` that are not in `allowed`. */
const unknownKeys = (o: Record<string, unknown>, allowed: readonly string[]) =>
  Object.keys(o).filter((k) => !allowed.includes(k));

// ------------------------------------------------------------------ redaction safety

// Same shape the edge redactor looks for: 12+ digits, optionally split by short runs of spaces, dots or
// dashes. A card number must never be stored in a contact field, where it would be shown and logged.
const CARD_LIKE_RUN = /\d(?:[\s.\u2010-\u2015-]{0,3}\d){11,}/;

/** True when the text contains a run of 12 or more digits (possibly grouped), i.e. could be a card number. */
export const looksLikeCardNumber = (text: string): boolean => CARD_LIKE_RUN.test(text);

const cardNumberRefused = (field: string) =>
  rule(
    'looks_like_card_number',
    'That looks like a card number, so I can’t save it in your contact details. Please never share your card number here.',
    { field },
  );

/**
 * An id as the port hands them out (letters, digits, `_`, `-`; at most 64), or null. Ids end up in the
 * audit trail, so anything else (a card number typed as an id, above all) is refused before it can.
 * Our ids carry a letter prefix and random hex, which may hold long digit runs, so only a bare number is
 * taken for a card number.
 */
export function safeId(v: unknown): string | null {
  if (typeof v !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(v)) return null;
  if (/^[\d-]+$/.test(v) && looksLikeCardNumber(v)) return null;
  return v;
}

// ------------------------------------------------------------------ email

// RFC 5321 caps a forward path at 254 characters and a local part at 64; the character set is the
// RFC 5322 dot-atom, which is what mail providers actually accept.
const EMAIL_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const EMAIL_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** Checks an email address and returns it trimmed, with the domain in lower case. */
export function checkEmail(raw: unknown): Decision<string> {
  if (typeof raw !== 'string') return bad('The email address must be text.', { field: 'email' });
  const email = raw.trim();
  if (looksLikeCardNumber(email)) return cardNumberRefused('email');
  if (email.length < 3 || email.length > 254)
    return bad('The email address must be 3 to 254 characters.', { field: 'email' });
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  const labels = domain.split('.');
  const valid =
    at > 0 &&
    local.length <= 64 &&
    EMAIL_LOCAL.test(local) &&
    labels.length >= 2 &&
    labels.every((l) => EMAIL_LABEL.test(l)) &&
    /^[A-Za-z]{2,63}$/.test(labels[labels.length - 1]!);
  if (!valid) return bad('That does not look like a valid email address.', { field: 'email' });
  return ok(`${local}@${domain.toLowerCase()}`);
}

// ------------------------------------------------------------------ phone

/**
 * Normalises a phone number to E.164. A US number may be given as 10 digits (or 11 starting with 1);
 * anything else must start with + and have 8 to 15 digits (ITU-T E.164 maximum).
 */
export function normalizePhone(raw: unknown): Decision<string> {
  if (typeof raw !== 'string') return bad('The phone number must be text.', { field: 'phone' });
  const text = raw.trim();
  if (text.length > 32) return bad('The phone number is too long.', { field: 'phone' });
  if (!/^\+?[\d\s().-]+$/.test(text))
    return bad('A phone number may only contain digits, spaces, dashes, dots and brackets.', { field: 'phone' });
  const digits = text.replace(/\D/g, '');
  if (text.startsWith('+')) {
    // E.164: up to 15 digits and the country code never starts with 0.
    if (!/^[1-9]\d{7,14}$/.test(digits))
      return bad('An international phone number must start with + and have 8 to 15 digits.', { field: 'phone' });
    return ok(`+${digits}`);
  }
  // Without a country code, 12+ digits cannot be a phone number; treat it as a card number typed here.
  if (digits.length >= 12) return cardNumberRefused('phone');
  // NANP: a 10-digit US number whose area code and exchange do not start with 0 or 1.
  const us = digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
  if (!/^[2-9]\d{2}[2-9]\d{6}$/.test(us))
    return bad(
      'Please give a 10-digit US phone number, or an international number starting with + and the country code.',
      { field: 'phone' },
    );
  return ok(`+1${us}`);
}

// ------------------------------------------------------------------ addresses

/** USPS codes for the 50 states, DC, the inhabited territories, and the armed forces (APO/FPO) regions. */
// prettier-ignore
export const US_STATE_CODES: readonly string[] = [
  'AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY',
  'LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND',
  'OH', 'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY',
  'DC',
  'AS', 'GU', 'MP', 'PR', 'VI',
  'AA', 'AE', 'AP',
];

export const ADDRESS_KINDS = ['home', 'mailing', 'business'] as const;
const ADDRESS_KEYS = ['kind', 'line1', 'line2', 'city', 'state', 'zip', 'country'] as const;

/** Checks an address; only US addresses are supported for now (`unsupported_country`). */
export function checkAddress(raw: unknown): Decision<AddressInput> {
  if (!isPlainObject(raw)) return bad('The address must be an object.', { field: 'address' });
  const extra = unknownKeys(raw, ADDRESS_KEYS);
  if (extra.length) return bad(`Unknown address fields: ${extra.join(', ')}.`, { field: 'address' });
  const { kind, line1, line2, city, state, zip, country } = raw;
  if (typeof kind !== 'string' || !(ADDRESS_KINDS as readonly string[]).includes(kind))
    return bad('The address kind must be home, mailing or business.', { field: 'address.kind' });
  for (const [name, v] of [
    ['line1', line1],
    ['line2', line2],
    ['city', city],
  ] as const) {
    if (typeof v === 'string' && looksLikeCardNumber(v)) return cardNumberRefused(`address.${name}`);
  }
  if (typeof line1 !== 'string' || line1.trim().length < 1 || line1.trim().length > 100)
    return bad('The first address line must be 1 to 100 characters.', { field: 'address.line1' });
  let l2: string | null = null;
  if (line2 !== undefined && line2 !== null) {
    if (typeof line2 !== 'string' || line2.trim().length > 100)
      return bad('The second address line must be at most 100 characters.', { field: 'address.line2' });
    l2 = line2.trim() || null;
  }
  if (typeof city !== 'string' || !/^[\p{L}][\p{L}\p{M} .'’-]{0,49}$/u.test(city.trim()))
    return bad('The city must be 1 to 50 letters.', { field: 'address.city' });
  if (typeof country !== 'string' || !/^[A-Za-z]{2}$/.test(country.trim()))
    return bad('The country must be a two-letter code such as US.', { field: 'address.country' });
  if (country.trim().toUpperCase() !== 'US')
    return rule('unsupported_country', 'For now we can only keep addresses in the United States on file.', {
      country: country.trim().toUpperCase(),
    });
  if (typeof state !== 'string' || !US_STATE_CODES.includes(state.trim().toUpperCase()))
    return bad('The state must be a US state or territory code, such as NY.', { field: 'address.state' });
  if (typeof zip !== 'string' || !/^\d{5}(?:-\d{4})?$/.test(zip.trim()))
    return bad('The ZIP code must be 5 digits, or ZIP+4 such as 10285-0001.', { field: 'address.zip' });
  return ok({
    kind: kind as AddressInput['kind'],
    line1: line1.trim(),
    line2: l2,
    city: city.trim(),
    state: state.trim().toUpperCase(),
    zip: zip.trim(),
    country: 'US',
  });
}

/** What an address change does: replace the address of that kind (keeping its id) or add it. */
export function planAddressChange(
  existing: ReadonlyArray<{ id: string; kind: string }>,
  kind: AddressInput['kind'],
): { action: 'replace'; id: string; primary: boolean } | { action: 'add'; primary: boolean } {
  // The home address is where cards and letters go by default, so it is always the primary one.
  const primary = kind === 'home';
  const same = existing.find((a) => a.kind === kind);
  return same ? { action: 'replace', id: same.id, primary } : { action: 'add', primary };
}

export interface CleanContactUpdate {
  email?: string;
  phone?: string;
  address?: AddressInput;
}

/** Checks a contact update: at least one of email, phone, address, each valid. */
export function checkContactUpdate(raw: unknown): Decision<CleanContactUpdate> {
  if (!isPlainObject(raw)) return bad('The update must be an object.');
  const extra = unknownKeys(raw, ['email', 'phone', 'address']);
  if (extra.length) return bad(`Unknown contact fields: ${extra.join(', ')}.`);
  const out: CleanContactUpdate = {};
  if (raw.email !== undefined) {
    const d = checkEmail(raw.email);
    if (!d.ok) return d;
    out.email = d.value;
  }
  if (raw.phone !== undefined) {
    const d = normalizePhone(raw.phone);
    if (!d.ok) return d;
    out.phone = d.value;
  }
  if (raw.address !== undefined) {
    const d = checkAddress(raw.address);
    if (!d.ok) return d;
    out.address = d.value;
  }
  if (!Object.keys(out).length) return bad('Give at least one of email, phone or address to change.');
  return ok(out);
}

// ------------------------------------------------------------------ communication preferences

export const ALERT_CHANNELS = ['email', 'sms', 'push'] as const;
const PREF_KEYS = ['paperlessStatements', 'alertChannels', 'marketingOptIn', 'language'] as const;

/** Preferences for a cardmember who never set any: paper statements, email alerts, no marketing. */
export const defaultPreferences = (language: 'en' | 'es' = 'en'): CommunicationPreferences => ({
  paperlessStatements: false,
  alertChannels: ['email'],
  // Marketing is opt-in only (CAN-SPAM / TCPA consent is never assumed).
  marketingOptIn: false,
  language,
});

/** Reads stored preferences (JSON or null), falling back field by field to the defaults. */
export function readPreferences(stored: string | null, language: 'en' | 'es' = 'en'): CommunicationPreferences {
  const d = defaultPreferences(language);
  if (!stored) return d;
  let v: unknown;
  try {
    v = JSON.parse(stored);
  } catch {
    return d;
  }
  if (!isPlainObject(v)) return d;
  const channels = Array.isArray(v.alertChannels)
    ? ALERT_CHANNELS.filter((c) => (v.alertChannels as unknown[]).includes(c))
    : d.alertChannels;
  return {
    paperlessStatements: typeof v.paperlessStatements === 'boolean' ? v.paperlessStatements : d.paperlessStatements,
    alertChannels: channels,
    marketingOptIn: typeof v.marketingOptIn === 'boolean' ? v.marketingOptIn : d.marketingOptIn,
    language: v.language === 'en' || v.language === 'es' ? v.language : d.language,
  };
}

/**
 * Merges a partial preferences change into the current ones. Alert channels are a subset of
 * email/sms/push without duplicates; SMS alerts need a phone number on file (`sms_requires_phone`).
 */
export function mergePreferences(
  current: CommunicationPreferences,
  patch: unknown,
  hasPhone: boolean,
): Decision<CommunicationPreferences> {
  if (!isPlainObject(patch)) return bad('The preferences must be an object.');
  const extra = unknownKeys(patch, PREF_KEYS);
  if (extra.length) return bad(`Unknown preference fields: ${extra.join(', ')}.`);
  if (!Object.keys(patch).some((k) => patch[k] !== undefined)) return bad('Give at least one preference to change.');
  const next: CommunicationPreferences = { ...current, alertChannels: [...current.alertChannels] };
  for (const key of ['paperlessStatements', 'marketingOptIn'] as const) {
    if (patch[key] === undefined) continue;
    if (typeof patch[key] !== 'boolean') return bad(`${key} must be true or false.`, { field: key });
    next[key] = patch[key];
  }
  if (patch.language !== undefined) {
    if (patch.language !== 'en' && patch.language !== 'es')
      return bad('The language must be en or es.', { field: 'language' });
    next.language = patch.language;
  }
  if (patch.alertChannels !== undefined) {
    const ch = patch.alertChannels;
    if (!Array.isArray(ch) || ch.some((c) => !(ALERT_CHANNELS as readonly unknown[]).includes(c)))
      return bad('Alert channels must be a list of email, sms and push.', { field: 'alertChannels' });
    if (new Set(ch).size !== ch.length)
      return bad('Each alert channel may only be listed once.', { field: 'alertChannels' });
    next.alertChannels = ALERT_CHANNELS.filter((c) => ch.includes(c));
  }
  if (next.alertChannels.includes('sms') && !hasPhone)
    return rule('sms_requires_phone', 'To get text alerts, please add a mobile phone number first.');
  return ok(next);
}

// ------------------------------------------------------------------ authorized users

/** Most authorized users an account may have at once. */
export const MAX_AUTHORIZED_USERS = 5;
/** Youngest age, in whole years, at which someone may be an authorized user. */
export const MIN_AUTHORIZED_USER_AGE = 13;

/** Checks a person's first or last name: 1 to 50 letters, spaces, hyphens or apostrophes. */
export function checkPersonName(raw: unknown, field: string): Decision<string> {
  if (typeof raw !== 'string') return bad(`The ${field} must be text.`, { field });
  const name = raw.trim().replace(/\s+/g, ' ');
  if (!/^\p{L}[\p{L}\p{M} '’-]{0,49}$/u.test(name))
    return bad(`The ${field} must be 1 to 50 letters (spaces, hyphens and apostrophes are fine).`, { field });
  return ok(name);
}

/**
 * Whole years of age on `today`. Someone born on 29 February has their birthday on 1 March in
 * common years (they have not reached the 29th until the 28th has passed).
 */
export function ageOn(dateOfBirth: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(dateOfBirth.slice(0, 4));
  return today.slice(5) >= dateOfBirth.slice(5) ? years : years - 1;
}

export interface NewAuthorizedUserInput {
  cardId: string;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
}

/** Checks the shape of a new authorized user (names, a real date of birth not after today). */
export function checkNewAuthorizedUser(raw: unknown, today: string): Decision<NewAuthorizedUserInput> {
  if (!isPlainObject(raw)) return bad('The new authorized user must be an object.');
  const extra = unknownKeys(raw, ['cardId', 'firstName', 'lastName', 'dateOfBirth']);
  if (extra.length) return bad(`Unknown fields: ${extra.join(', ')}.`);
  if (typeof raw.cardId !== 'string' || !raw.cardId || raw.cardId.length > 64)
    return bad('A card id is required.', { field: 'cardId' });
  const first = checkPersonName(raw.firstName, 'first name');
  if (!first.ok) return first;
  const last = checkPersonName(raw.lastName, 'last name');
  if (!last.ok) return last;
  const dob = raw.dateOfBirth;
  if (!isDate(dob) || dob < '1900-01-01' || dob > today)
    return bad('The date of birth must be a real date (YYYY-MM-DD) that is not in the future.', {
      field: 'dateOfBirth',
    });
  return ok({ cardId: raw.cardId, firstName: first.value, lastName: last.value, dateOfBirth: dob });
}

/**
 * May this authorized user be added? Only through the account's primary card, on an open account,
 * for someone at least 13 today, while the account has fewer than 5 active authorized users.
 */
export function evaluateAddAuthorizedUser(i: {
  cardRole: 'primary' | 'authorized_user' | null;
  accountStatus: string;
  dateOfBirth: string;
  today: string;
  activeAuthorizedUsers: number;
}): Decision<{ age: number }> {
  // The primary cardmember is liable for the account, so only they can extend it to someone else.
  if (i.cardRole !== 'primary')
    return rule(
      'not_primary_card',
      'Authorized users can only be added by the primary cardmember, using the primary card of the account.',
    );
  if (i.accountStatus !== 'open')
    return rule('account_not_open', 'This account is closed, so no authorized users can be added to it.');
  const age = ageOn(i.dateOfBirth, i.today);
  // Issuer policy (and the common US minimum) for authorized users.
  if (age < MIN_AUTHORIZED_USER_AGE)
    return rule(
      'authorized_user_too_young',
      `Authorized users must be at least ${MIN_AUTHORIZED_USER_AGE} years old.`,
      { minimumAge: MIN_AUTHORIZED_USER_AGE },
    );
  // Caps the issuer's exposure on one account.
  if (i.activeAuthorizedUsers >= MAX_AUTHORIZED_USERS)
    return rule(
      'authorized_user_limit',
      `An account can have at most ${MAX_AUTHORIZED_USERS} authorized users. Remove one before adding another.`,
      { limit: MAX_AUTHORIZED_USERS, active: i.activeAuthorizedUsers },
    );
  return ok({ age });
}

/** Expiry (YYYY-MM) of an authorized user's new card: four years, like every newly issued card here. */
export const authorizedUserCardExpiry = (today: string): string => addMonths(today, 48).slice(0, 7);

/** May this authorized user be removed? Only while still active. */
export function evaluateRemoveAuthorizedUser(i: { status: string }): Decision<true> {
  if (i.status !== 'active')
    return rule('authorized_user_already_removed', 'This authorized user has already been removed from the account.');
  return ok(true);
}

/** Orders authorized users for display: active first, then by the day they were added, then by name. */
export function compareAuthorizedUsers(
  a: { status: string; addedOn: string; lastName: string; firstName: string },
  b: { status: string; addedOn: string; lastName: string; firstName: string },
): number {
  const rank = (s: string) => (s === 'active' ? 0 : 1);
  return (
    rank(a.status) - rank(b.status) ||
    a.addedOn.localeCompare(b.addedOn) ||
    a.lastName.localeCompare(b.lastName) ||
    a.firstName.localeCompare(b.firstName)
  );
}
