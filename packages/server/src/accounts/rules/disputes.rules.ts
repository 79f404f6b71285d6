/**
 * Dispute rules as pure functions: checking an openDispute request, eligibility once a charge may
 * already be disputed, the FCBA clocks from an account's closing dates, and reference numbers.
 * No database, no clock, no randomness of their own: the embedded core passes them in.
 */
import type { DisputeReason } from '../accounts.port.js';
import {
  disputeEligibility,
  fcbaDeadlines,
  FCBA_NOTICE_DAYS,
  projectClosingDates,
  type DisputeEligibilityFacts,
  type DisputeIneligibleReason,
  type FcbaDeadlines,
} from './billing.rules.js';
import { addDays, daysBetween, isDate } from './dates.js';
import { normalizeReference, reference, REFERENCE_RANDOM_BYTES } from '../../shared/references.js';

export const DISPUTE_REASONS = [
  'unauthorized',
  'duplicate',
  'not_received',
  'wrong_amount',
  'cancelled',
] as const satisfies readonly DisputeReason[];
export type DisputeReasonId = (typeof DISPUTE_REASONS)[number];

/** Enough for the cardmember's account of what happened; evidence goes to the disputes team separately. */
export const DISPUTE_DESCRIPTION_MAX_LENGTH = 1000;

/** The rule id of a refusal (`AccountsError.rule`), e.g. `dispute.window_closed`. */
export type DisputeRule = `dispute.${DisputeIneligibleReason}`;

export type OpenDisputeDecision<T> =
  | ({ ok: true } & T)
  | { ok: false; code: 'invalid_input'; message: string }
  | { ok: false; code: 'rule_violation'; rule: DisputeRule; message: string };

const invalidInput = (message: string) => ({ ok: false, code: 'invalid_input', message }) as const;

// ------------------------------------------------------------------ the request

export interface OpenDisputeRequest {
  transactionId: string;
  reason: DisputeReasonId;
  description: string | null;
  /** Null: the notice is today's. */
  noticeDate: string | null;
}

const REQUEST_KEYS = new Set(['transactionId', 'reason', 'description', 'noticeDate']);

/**
 * Checks the shape of an openDispute request. A notice date may be given for a notice that reached us
 * earlier (a letter, a call logged late), never a future one. Unknown fields are refused so that a
 * misspelt `noticeDate` cannot silently become today.
 */
export function openDisputeRequest(
  input: unknown,
  today: string,
): OpenDisputeDecision<{ request: OpenDisputeRequest }> {
  if (!input || typeof input !== 'object' || Array.isArray(input))
    return invalidInput('The request must be an object.');
  const i = input as Record<string, unknown>;
  const unknown = Object.keys(i).filter((k) => !REQUEST_KEYS.has(k) && i[k] !== undefined);
  if (unknown.length > 0) return invalidInput(`Unknown field: ${unknown.join(', ')}.`);
  if (typeof i.transactionId !== 'string' || !i.transactionId || i.transactionId.length > 64)
    return invalidInput('A transaction id is required.');
  if (!DISPUTE_REASONS.includes(i.reason as DisputeReasonId))
    return invalidInput(`The reason must be one of ${DISPUTE_REASONS.join(', ')}.`);
  let description: string | null = null;
  if (i.description !== undefined && i.description !== null) {
    if (typeof i.description !== 'string') return invalidInput('The description must be text.');
    if (i.description.trim().length > DISPUTE_DESCRIPTION_MAX_LENGTH)
      return invalidInput(`The description must be at most ${DISPUTE_DESCRIPTION_MAX_LENGTH} characters.`);
    description = i.description.trim() || null;
  }
  let noticeDate: string | null = null;
  if (i.noticeDate !== undefined && i.noticeDate !== null) {
    if (!isDate(i.noticeDate)) return invalidInput('The notice date must be a date (YYYY-MM-DD).');
    if (i.noticeDate > today) return invalidInput('The notice date cannot be in the future.');
    noticeDate = i.noticeDate;
  }
  return {
    ok: true,
    request: { transactionId: i.transactionId, reason: i.reason as DisputeReasonId, description, noticeDate },
  };
}

// ------------------------------------------------------------------ eligibility

/**
 * billingRules.disputeEligibility, plus what only the disputes area knows: a charge that already has
 * a dispute (whatever its status) is not disputed again. Used by checkDisputeEligibility and
 * openDispute alike, so the answer the assistant gave is the one the dispute gets.
 */
export function disputeEligibilityOf(f: {
  today: string;
  amountCents: number;
  status: 'pending' | 'posted';
  statementClosingDate: string | null;
  disputed: boolean;
}): DisputeEligibilityFacts {
  if (f.disputed)
    return {
      eligible: false,
      reason: 'already_disputed',
      statementClosingDate: null,
      deadline: null,
      daysRemaining: null,
    };
  return disputeEligibility(f);
}

/** The sentence the assistant repeats when a charge cannot be disputed. */
export function ineligibleMessage(reason: DisputeIneligibleReason, deadline: string | null): string {
  switch (reason) {
    case 'not_a_charge':
      return 'Only a charge can be disputed; this is a credit or refund.';
    case 'pending':
      return 'This charge is still pending; it can be disputed once it has posted.';
    case 'already_disputed':
      return 'This charge is already being disputed.';
    case 'window_closed':
      return `A billing error must be reported within ${FCBA_NOTICE_DAYS} days of the statement that first showed it; for this charge that was until ${deadline}.`;
  }
}

/**
 * Eligibility as a decision for openDispute: the rule is checked on the notice date (a timely notice
 * stays timely however late it is recorded), and a notice cannot predate the charge it complains about.
 */
export function openDisputeEligibility(f: {
  noticeDate: string;
  transactionDate: string;
  amountCents: number;
  status: 'pending' | 'posted';
  statementClosingDate: string | null;
  disputed: boolean;
}): OpenDisputeDecision<{ eligibility: DisputeEligibilityFacts }> {
  if (f.noticeDate < f.transactionDate) return invalidInput('The notice date cannot be before the charge.');
  const e = disputeEligibilityOf({ ...f, today: f.noticeDate });
  if (!e.eligible && e.reason)
    return {
      ok: false,
      code: 'rule_violation',
      rule: `dispute.${e.reason}`,
      message: ineligibleMessage(e.reason, e.deadline),
    };
  return { ok: true, eligibility: e };
}

// ------------------------------------------------------------------ deadlines

/**
 * The FCBA clocks of a notice, from the account's statement closing dates (any order, may be empty).
 * Later closings are projected monthly from the latest one. With no statement yet the cycle is
 * unknown, so one is assumed to close on the notice day: the earliest two complete cycles could end,
 * so we never promise more time than the law gives us.
 */
export function disputeDeadlines(noticeDate: string, closingDates: readonly string[]): FcbaDeadlines {
  const sorted = [...new Set(closingDates)].sort();
  const latest = sorted[sorted.length - 1] ?? null;
  const before = sorted[sorted.length - 2] ?? null;
  // A cycle that closes on the 29th-31st closes on a shorter month's last day (Jan 31 -> Feb 28): after
  // such a closing, project from the one before it, or every later closing would drift to the 28th.
  const anchor =
    latest !== null && before !== null && isMonthEnd(latest) && dayOf(before) > dayOf(latest)
      ? before
      : (latest ?? noticeDate);
  // Every month has at least 28 days: after this many the projection has passed the notice, then 3 more.
  const months = Math.ceil(Math.max(0, daysBetween(anchor, noticeDate)) / 28) + 3;
  const assumed = latest === null ? [noticeDate] : [];
  return fcbaDeadlines(noticeDate, [...closingDates, ...assumed, ...projectClosingDates(anchor, months)]);
}

const dayOf = (d: string): number => Number(d.slice(8, 10));
const isMonthEnd = (d: string): boolean => addDays(d, 1).slice(8, 10) === '01';

// ------------------------------------------------------------------ reference numbers

export const DISPUTE_REFERENCE_PREFIX = 'DSP-';
/** 5 random bytes = 40 bits = 8 characters; about a trillion values, collisions are retried. */
export const DISPUTE_REFERENCE_RANDOM_BYTES = REFERENCE_RANDOM_BYTES;

/** `DSP-` + 8 Crockford base32 characters of 5 random bytes. */
export function disputeReference(random: Uint8Array): string {
  if (random.length !== DISPUTE_REFERENCE_RANDOM_BYTES)
    throw new RangeError(`disputeReference needs ${DISPUTE_REFERENCE_RANDOM_BYTES} random bytes.`);
  return reference('DSP', random);
}

/**
 * The canonical form of a reference as a cardmember may type or say it (any case, with or without the
 * dash, O for 0, I or L for 1), or null when the text is not a reference (it may then be an id).
 */
export function normalizeDisputeReference(text: string): string | null {
  return normalizeReference(text, ['DSP']);
}
