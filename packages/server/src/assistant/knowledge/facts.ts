/**
 * The demo issuer's contact facts, in one place so the English and Spanish articles can never quote
 * different numbers. Phone numbers use the fictional 555-01xx range. A real deployment replaces these
 * (and the articles) with its own.
 */
import { PRODUCTS } from '../../accounts/embedded/products.js';
import { FCBA_ACKNOWLEDGE_DAYS, FCBA_NOTICE_DAYS, FCBA_RESOLVE_MAX_DAYS } from '../../accounts/rules/billing.rules.js';
import { MAX_DESTINATIONS } from '../../accounts/rules/travel.rules.js';

export const ISSUER = 'Meridian Bank';

export const PHONE = {
  /** Customer care, live agents 24/7. */
  general: '1-800-555-0134',
  /** Lost or stolen cards and fraud, 24/7. */
  fraud: '1-800-555-0199',
  /** Customer care in Spanish. */
  spanish: '1-800-555-0177',
  /** Relay service for callers who are deaf, hard of hearing or speech-disabled. */
  tty: '711',
  /** From outside the US: call collect. */
  abroad: '+1-302-555-0110',
} as const;

export const MAIL = {
  payments: ['Meridian Bank Card Services', 'P.O. Box 6100', 'Wilmington, DE 19886'].join(', '),
  correspondence: ['Meridian Bank Card Services', 'P.O. Box 6200', 'Wilmington, DE 19886'].join(', '),
} as const;

/** The dispute clocks the disputes flow enforces (Fair Credit Billing Act), so articles quote the same days. */
export const DISPUTE = {
  noticeDays: FCBA_NOTICE_DAYS,
  acknowledgeDays: FCBA_ACKNOWLEDGE_DAYS,
  resolveMaxDays: FCBA_RESOLVE_MAX_DAYS,
} as const;

/** What a travel notice may hold, as the travel rules check it. */
export const TRAVEL_NOTICE = { maxDestinations: MAX_DESTINATIONS } as const;

const dollars = (cents: number): string => `$${(cents / 100).toLocaleString('en-US')}`;

/** "Meridian Platinum Card: $695" for every product, from the product catalog itself. */
export const annualFees = (separator: string): string =>
  PRODUCTS.map((p) => `${p.name}: ${p.annualFeeCents ? dollars(p.annualFeeCents) : '$0'}`).join(separator);

/** The cards that include airport lounge access, from the product catalog. */
export const loungeCards = (and: string): string => {
  const names = PRODUCTS.filter((p) => p.loungeAccess).map((p) => p.name);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} ${and} ${names[names.length - 1]}` : (names[0] ?? '');
};
