/**
 * Travel rules of the demo issuer, as pure functions: trip-protection coverage and travel-notice
 * validation. No database, no clock: the embedded core gathers the facts and passes `today`.
 */
import type { TripProtectionDef } from '../embedded/products.js';
import { addDays, isDate } from './dates.js';

export const TRIP_EVENTS = ['delay', 'cancellation', 'lost_luggage'] as const;
export type TripEventId = (typeof TRIP_EVENTS)[number];

/** Longest delay we reason about; anything longer is a cancellation in practice. */
export const MAX_DELAY_HOURS = 24 * 14;

export interface TripProtectionFacts {
  paidWithCard: boolean;
  protection: TripProtectionDef;
  event: TripEventId;
  /** Required (and validated by the caller) for `delay`. */
  delayHours?: number;
}

export interface TripProtectionDecision {
  covered: boolean;
  reason: 'not_paid_with_card' | 'not_covered_by_product' | 'delay_too_short' | null;
  /** The most the benefit pays for this event when covered; 0 when not covered. */
  maxBenefitCents: number;
  /** What a claim needs, in plain English; empty when the product has no cover for the event. */
  conditions: string[];
}

const hours = (n: number) => `${n} hour${n === 1 ? '' : 's'}`;

/** What the card's benefit terms ask a claimant for, by event. */
export function tripConditions(event: TripEventId, protection: TripProtectionDef): string[] {
  const paid = 'The trip was paid for with the card';
  switch (event) {
    case 'delay':
      return protection.delay
        ? [
            `Delay of ${hours(protection.delay.minHours)} or more`,
            paid,
            'Receipts for meals, lodging and essentials bought during the delay',
            'Confirmation of the delay from the airline',
          ]
        : [];
    case 'cancellation':
      return protection.cancellation
        ? [
            'Cancellation or interruption for a covered reason, such as illness or severe weather',
            paid,
            'Receipts for the prepaid, non-refundable trip costs',
            'Confirmation of the cancellation from the airline or travel provider',
          ]
        : [];
    case 'lost_luggage':
      return protection.lost_luggage
        ? [
            paid,
            'A property irregularity report from the airline',
            'Receipts or other proof of value for the lost items',
          ]
        : [];
  }
}

/**
 * Trip protection covers a booking only if it was paid with the card and the card's product covers the
 * event; a delay must reach the product's minimum hours (exactly the minimum is covered).
 */
export function tripProtection(f: TripProtectionFacts): TripProtectionDecision {
  const cover = f.protection[f.event];
  const conditions = tripConditions(f.event, f.protection);
  const no = (reason: NonNullable<TripProtectionDecision['reason']>): TripProtectionDecision => ({
    covered: false,
    reason,
    maxBenefitCents: 0,
    conditions,
  });
  if (!f.paidWithCard) return no('not_paid_with_card');
  if (!cover) return no('not_covered_by_product');
  if (f.event === 'delay' && f.protection.delay && (f.delayHours ?? 0) < f.protection.delay.minHours)
    return no('delay_too_short');
  return { covered: true, reason: null, maxBenefitCents: cover.maxCents, conditions };
}

// ------------------------------------------------------------------ travel notices

export const MAX_DESTINATIONS = 10;
export const DESTINATION_MIN_CHARS = 2;
export const DESTINATION_MAX_CHARS = 60;
/** Notices longer than a year are stale by the time they matter; the cardmember renews them instead. */
export const MAX_NOTICE_DAYS = 365;
/** Place names: letters (any script), spaces and light punctuation; no digits, so no card numbers. */
const DESTINATION_RE = /^[\p{L}\p{M}][\p{L}\p{M} .,'’()/-]*$/u;

export type TravelNoticeCheck =
  | { ok: true; destinations: string[] }
  | { ok: false; kind: 'invalid'; message: string }
  | { ok: false; kind: 'rule'; rule: 'travel_notice_too_long'; message: string };

/**
 * Checks a travel notice: 1 to 10 destinations of 2 to 60 characters (trimmed; repeats dropped,
 * ignoring case), a start no earlier than today, an end no earlier than the start and at most 365
 * days after it.
 */
export function checkTravelNotice(
  input: { destinations: unknown; startOn: unknown; endOn: unknown },
  today: string,
): TravelNoticeCheck {
  const bad = (message: string): TravelNoticeCheck => ({ ok: false, kind: 'invalid', message });
  if (!Array.isArray(input.destinations)) return bad('Destinations must be a list of places.');
  if (input.destinations.length < 1 || input.destinations.length > MAX_DESTINATIONS)
    return bad(`A travel notice needs 1 to ${MAX_DESTINATIONS} destinations.`);
  const destinations: string[] = [];
  const seen = new Set<string>();
  for (const d of input.destinations as unknown[]) {
    if (typeof d !== 'string') return bad('Each destination must be the name of a place.');
    const name = d.trim().replace(/\s+/g, ' ');
    if (name.length < DESTINATION_MIN_CHARS || name.length > DESTINATION_MAX_CHARS)
      return bad(`Each destination must be ${DESTINATION_MIN_CHARS} to ${DESTINATION_MAX_CHARS} characters long.`);
    if (!DESTINATION_RE.test(name)) return bad("A destination may contain only letters, spaces and . , ' - ( ) /.");
    const key = name.toLocaleLowerCase('en-US');
    if (!seen.has(key)) {
      seen.add(key);
      destinations.push(name);
    }
  }
  if (!isDate(input.startOn)) return bad('The start date must be a date in YYYY-MM-DD form.');
  if (!isDate(input.endOn)) return bad('The end date must be a date in YYYY-MM-DD form.');
  if (input.startOn < today) return bad('The trip cannot start in the past.');
  if (input.endOn < input.startOn) return bad('The trip cannot end before it starts.');
  if (input.endOn > addDays(input.startOn, MAX_NOTICE_DAYS))
    return {
      ok: false,
      kind: 'rule',
      rule: 'travel_notice_too_long',
      message: `A travel notice can cover at most ${MAX_NOTICE_DAYS} days; please add a new notice for the rest of the trip later.`,
    };
  return { ok: true, destinations };
}
