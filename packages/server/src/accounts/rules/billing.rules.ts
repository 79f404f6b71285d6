/**
 * Billing rules of the demo issuer, as pure functions: transaction filters, the billing summary's
 * figures, scheduling payments, due-date changes, late-fee goodwill and the Fair Credit Billing Act
 * clocks. No database, no clock: the embedded core gathers the facts and passes `today`.
 */
import { addDays, addMonths, daysBetween, isDate, parseDate, withDay } from './dates.js';

/** Every rule id the billing area can answer with (`AccountsError.rule`). */
export type BillingRule =
  | 'amount_exceeds_balance'
  | 'payment_date_out_of_range'
  | 'due_day_unchanged'
  | 'due_date_changed_recently'
  | 'account_past_due'
  | 'no_late_fee'
  | 'not_a_late_fee'
  | 'fee_already_reversed'
  | 'late_fee_not_first_in_12_months'
  | 'goodwill_used_recently';

/** Why a request is refused: bad input (`invalid_input`) or a business rule (`rule_violation` + rule id). */
export type Refusal =
  | { ok: false; code: 'invalid_input'; rule: null; message: string }
  | { ok: false; code: 'rule_violation'; rule: BillingRule; message: string };

/** A rule's answer: the facts it decided, or why not. */
export type Decision<T> = ({ ok: true } & T) | Refusal;

const invalidInput = (message: string): Refusal => ({ ok: false, code: 'invalid_input', rule: null, message });
const refuse = (rule: BillingRule, message: string): Refusal => ({ ok: false, code: 'rule_violation', rule, message });

/** The first date strictly after `after` whose day of month is `day` (1..28, so every month has it). */
export function nextDateWithDay(after: string, day: number): string {
  const sameMonth = withDay(after, day);
  return sameMonth > after ? sameMonth : withDay(addMonths(withDay(after, 1), 1), day);
}

/** The first date on or after `from` whose day of month is `day` (1..28). */
export const dateWithDayOnOrAfter = (from: string, day: number): string => nextDateWithDay(addDays(from, -1), day);

// ------------------------------------------------------------------ transaction filter

/** Without a limit a list shows this many transactions; a chat cannot usefully show more than the max. */
export const TRANSACTIONS_DEFAULT_LIMIT = 50;
export const TRANSACTIONS_MAX_LIMIT = 200;
/** Merchant names in the core are far shorter; a longer search text is a mistake, not a search. */
export const MERCHANT_SEARCH_MAX_LENGTH = 100;

export interface NormalizedTransactionFilter {
  cardId: string | null;
  /** Lower-cased, trimmed substring. */
  merchant: string | null;
  minAmountCents: number | null;
  maxAmountCents: number | null;
  from: string | null;
  to: string | null;
  status: 'pending' | 'posted' | null;
  limit: number;
}

const FILTER_KEYS = new Set([
  'cardId',
  'merchant',
  'minAmountCents',
  'maxAmountCents',
  'from',
  'to',
  'status',
  'limit',
]);

const isAmount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Checks every filter field (types, ranges, formats, min <= max, from <= to) and fills the defaults. */
export function normalizeTransactionFilter(filter: unknown): Decision<{ filter: NormalizedTransactionFilter }> {
  if (filter === undefined || filter === null) filter = {};
  if (typeof filter !== 'object' || Array.isArray(filter)) return invalidInput('The filter must be an object.');
  const f = filter as Record<string, unknown>;
  // Unknown fields are refused so a misspelt filter ("minAmount") cannot silently match everything.
  const unknown = Object.keys(f).filter((k) => !FILTER_KEYS.has(k) && f[k] !== undefined);
  if (unknown.length > 0) return invalidInput(`Unknown filter: ${unknown.join(', ')}.`);
  const out: NormalizedTransactionFilter = {
    cardId: null,
    merchant: null,
    minAmountCents: null,
    maxAmountCents: null,
    from: null,
    to: null,
    status: null,
    limit: TRANSACTIONS_DEFAULT_LIMIT,
  };
  if (f.cardId !== undefined) {
    if (typeof f.cardId !== 'string' || f.cardId.length === 0 || f.cardId.length > 64)
      return invalidInput('cardId must be a card id.');
    out.cardId = f.cardId;
  }
  if (f.merchant !== undefined) {
    if (typeof f.merchant !== 'string') return invalidInput('merchant must be text.');
    const m = f.merchant.trim().toLowerCase();
    if (m.length === 0 || m.length > MERCHANT_SEARCH_MAX_LENGTH)
      return invalidInput(`merchant must be 1 to ${MERCHANT_SEARCH_MAX_LENGTH} characters.`);
    out.merchant = m;
  }
  if (f.minAmountCents !== undefined) {
    if (!isAmount(f.minAmountCents))
      return invalidInput('minAmountCents must be a whole, non-negative number of cents.');
    out.minAmountCents = f.minAmountCents;
  }
  if (f.maxAmountCents !== undefined) {
    if (!isAmount(f.maxAmountCents))
      return invalidInput('maxAmountCents must be a whole, non-negative number of cents.');
    out.maxAmountCents = f.maxAmountCents;
  }
  if (out.minAmountCents !== null && out.maxAmountCents !== null && out.minAmountCents > out.maxAmountCents)
    return invalidInput('minAmountCents must not be more than maxAmountCents.');
  if (f.from !== undefined) {
    if (!isDate(f.from)) return invalidInput('from must be a date (YYYY-MM-DD).');
    out.from = f.from;
  }
  if (f.to !== undefined) {
    if (!isDate(f.to)) return invalidInput('to must be a date (YYYY-MM-DD).');
    out.to = f.to;
  }
  if (out.from !== null && out.to !== null && out.from > out.to) return invalidInput('from must not be after to.');
  if (f.status !== undefined) {
    if (f.status !== 'pending' && f.status !== 'posted') return invalidInput('status must be pending or posted.');
    out.status = f.status;
  }
  if (f.limit !== undefined) {
    if (typeof f.limit !== 'number' || !Number.isInteger(f.limit) || f.limit < 1 || f.limit > TRANSACTIONS_MAX_LIMIT)
      return invalidInput(`limit must be a whole number from 1 to ${TRANSACTIONS_MAX_LIMIT}.`);
    out.limit = f.limit;
  }
  return { ok: true, filter: out };
}

// ------------------------------------------------------------------ billing summary

export interface StatementFacts {
  closingDate: string;
  dueDate: string;
  newBalanceCents: number;
  minimumDueCents: number;
}

export interface PaymentFacts {
  amountCents: number;
  status: 'scheduled' | 'processing' | 'posted' | 'returned';
  scheduledFor: string;
  postedOn: string | null;
}

export interface BillingFigures {
  statementBalanceCents: number;
  minimumDueCents: number;
  remainingMinimumDueCents: number;
  dueDate: string;
  pastDue: boolean;
  availableCreditCents: number;
  /** Open (or acknowledged) disputes' amounts held out of what is due (Reg Z 1026.13(d)). */
  disputedCents: number;
}

/**
 * The minimum owed on a statement while `disputedCents` of it is disputed: never more than the
 * undisputed balance (on a charge card, where the minimum is the whole balance, that is the balance less
 * the disputed amount). The disputed amount is not collectible while the dispute is open.
 */
export function minimumDueExcludingDisputes(
  statement: Pick<StatementFacts, 'newBalanceCents' | 'minimumDueCents'>,
  disputedCents: number,
): number {
  const undisputed = Math.max(0, statement.newBalanceCents - Math.max(0, disputedCents));
  return Math.max(0, Math.min(statement.minimumDueCents, undisputed));
}

/** Money received: posted and processing payments (scheduled ones may be cancelled, returned ones bounced). */
export const countsAsPaid = (p: PaymentFacts): boolean => p.status === 'posted' || p.status === 'processing';

/** The minimum still owed on a statement: its minimum less the money received after it closed. */
export function remainingMinimumDue(
  statement: Pick<StatementFacts, 'closingDate' | 'minimumDueCents'>,
  payments: PaymentFacts[],
): number {
  const paid = payments
    .filter((p) => countsAsPaid(p) && (p.postedOn ?? p.scheduledFor) > statement.closingDate)
    .reduce((sum, p) => sum + p.amountCents, 0);
  return Math.max(0, statement.minimumDueCents - paid);
}

/** Past due: the due date has gone by (today is later) and part of the minimum is still owed. */
export const isPastDue = (today: string, dueDate: string, remainingMinimumDueCents: number): boolean =>
  today > dueDate && remainingMinimumDueCents > 0;

/**
 * The billing summary's figures from the latest statement (null before the first one) and the account.
 * Without a statement nothing is due yet; the due date is the next date on the account's due day.
 */
export function billingFigures(f: {
  today: string;
  dueDay: number;
  creditLimitCents: number;
  currentBalanceCents: number;
  latest: StatementFacts | null;
  payments: PaymentFacts[];
  /** Amounts of open or acknowledged disputes on charges billed on the latest statement or before. */
  disputedCents?: number;
}): BillingFigures {
  const availableCreditCents = Math.max(0, f.creditLimitCents - f.currentBalanceCents);
  const disputedCents = Math.max(0, f.disputedCents ?? 0);
  if (!f.latest) {
    return {
      statementBalanceCents: 0,
      minimumDueCents: 0,
      remainingMinimumDueCents: 0,
      dueDate: dateWithDayOnOrAfter(f.today, f.dueDay),
      pastDue: false,
      availableCreditCents,
      disputedCents,
    };
  }
  // Late fees and delinquency follow the minimum, so neither ever counts the disputed amount.
  const minimumDueCents = minimumDueExcludingDisputes(f.latest, disputedCents);
  const remaining = remainingMinimumDue({ closingDate: f.latest.closingDate, minimumDueCents }, f.payments);
  return {
    statementBalanceCents: f.latest.newBalanceCents,
    minimumDueCents,
    remainingMinimumDueCents: remaining,
    dueDate: f.latest.dueDate,
    pastDue: isPastDue(f.today, f.latest.dueDate, remaining),
    availableCreditCents,
    disputedCents,
  };
}

// ------------------------------------------------------------------ scheduling a payment

/** A payment may exceed the balance a little (new charges may post first); more is almost surely a typo. */
export const PAYMENT_OVERPAY_ALLOWANCE_CENTS = 100_000;
/** Our ACH scheduler books payments up to 60 days ahead. */
export const PAYMENT_MAX_DAYS_AHEAD = 60;

/** Validates a payment request; a payment for today starts processing at once, later ones wait. */
export function schedulePaymentDecision(f: {
  today: string;
  currentBalanceCents: number;
  amountCents: unknown;
  date: unknown;
}): Decision<{ amountCents: number; date: string; status: 'scheduled' | 'processing' }> {
  if (typeof f.amountCents !== 'number' || !Number.isSafeInteger(f.amountCents) || f.amountCents < 1)
    return invalidInput('The amount must be a whole number of cents, at least 1.');
  if (!isDate(f.date)) return invalidInput('The payment date must be a date (YYYY-MM-DD).');
  const max = f.currentBalanceCents + PAYMENT_OVERPAY_ALLOWANCE_CENTS;
  if (f.amountCents > max)
    return refuse(
      'amount_exceeds_balance',
      `That payment is more than the current balance plus $${(PAYMENT_OVERPAY_ALLOWANCE_CENTS / 100).toLocaleString('en-US')}; please choose a smaller amount.`,
    );
  const last = addDays(f.today, PAYMENT_MAX_DAYS_AHEAD);
  if (f.date < f.today || f.date > last)
    return refuse(
      'payment_date_out_of_range',
      `A payment can be scheduled for today or any day up to ${PAYMENT_MAX_DAYS_AHEAD} days from now (until ${last}).`,
    );
  return {
    ok: true,
    amountCents: f.amountCents,
    date: f.date,
    status: f.date === f.today ? 'processing' : 'scheduled',
  };
}

// ------------------------------------------------------------------ due-date change

/** Days 1..28 exist in every month, so a due day never slides. */
export const DUE_DAY_MIN = 1;
export const DUE_DAY_MAX = 28;
/** One change per 180 days keeps statement cycles stable (and stops cycling around a late payment). */
export const DUE_DAY_CHANGE_COOLDOWN_DAYS = 180;

/** The due date being worked towards: the latest statement's if still ahead, else the next on the due day. */
export function upcomingDueDate(latestDueDate: string | null, dueDay: number, today: string): string {
  if (latestDueDate && latestDueDate >= today) return latestDueDate;
  return dateWithDayOnOrAfter(today, dueDay);
}

/**
 * Decides a due-day change. The upcoming due date stays as it is; the new day applies from the first
 * date on that day strictly after it (simple and predictable; a real core aligns it to statement closing).
 */
export function dueDateChangeDecision(f: {
  today: string;
  currentDueDay: number;
  newDueDay: unknown;
  lastChangeOn: string | null;
  pastDue: boolean;
  upcomingDueDate: string;
}): Decision<{ newDueDay: number; effectiveDueDate: string }> {
  const d = f.newDueDay;
  if (typeof d !== 'number' || !Number.isInteger(d) || d < DUE_DAY_MIN || d > DUE_DAY_MAX)
    return invalidInput(`The new due day must be a whole number from ${DUE_DAY_MIN} to ${DUE_DAY_MAX}.`);
  if (d === f.currentDueDay)
    return refuse('due_day_unchanged', `Your payment is already due on day ${d} of the month.`);
  if (f.lastChangeOn && daysBetween(f.lastChangeOn, f.today) < DUE_DAY_CHANGE_COOLDOWN_DAYS) {
    const next = addDays(f.lastChangeOn, DUE_DAY_CHANGE_COOLDOWN_DAYS);
    return refuse(
      'due_date_changed_recently',
      `The due date can be changed once every ${DUE_DAY_CHANGE_COOLDOWN_DAYS} days; the next change is possible on ${next}.`,
    );
  }
  if (f.pastDue)
    return refuse(
      'account_past_due',
      'The due date cannot be changed while a payment is past due; please pay the minimum first.',
    );
  return { ok: true, newDueDay: d, effectiveDueDate: nextDateWithDay(f.upcomingDueDate, d) };
}

// ------------------------------------------------------------------ late-fee goodwill

/** The stated policy, repeated to the cardmember word for word. */
export const GOODWILL_POLICY =
  'We reverse a late fee once in any 12 months: the fee is reversible if no other late fee was assessed in the 365 days before it and no late fee was reversed in the 365 days before today.';
export const GOODWILL_LOOKBACK_DAYS = 365;

export interface FeeFacts {
  id: string;
  kind: 'late' | 'annual' | 'foreign_transaction' | 'returned_payment';
  amountCents: number;
  assessedOn: string;
  reversedOn: string | null;
}

/** The fee a goodwill request without a fee id means: the most recent late fee not yet reversed. */
export function defaultGoodwillFee(fees: FeeFacts[]): FeeFacts | null {
  const open = fees.filter((f) => f.kind === 'late' && f.reversedOn === null);
  open.sort((a, b) => (a.assessedOn === b.assessedOn ? (a.id < b.id ? 1 : -1) : a.assessedOn < b.assessedOn ? 1 : -1));
  return open[0] ?? null;
}

/** `date` is within the `days` days up to and including `until` (0..days days before it). */
const withinDaysBefore = (date: string, until: string, days: number): boolean => {
  const n = daysBetween(date, until);
  return n >= 0 && n <= days;
};

/**
 * The goodwill policy (GOODWILL_POLICY), read literally: a fee counts as "the first in 12 months" when
 * no other late fee (reversed or not) was assessed 0..365 days before it; any late-fee reversal 0..365
 * days before today uses up the year's goodwill.
 */
export function lateFeeGoodwillDecision(f: {
  today: string;
  fee: FeeFacts | null;
  /** All fees of the account (the fee itself may be among them). */
  fees: FeeFacts[];
}): Decision<{ fee: FeeFacts; creditCents: number }> {
  const fee = f.fee;
  if (!fee) return refuse('no_late_fee', 'There is no late fee on this account to reverse.');
  if (fee.kind !== 'late') return refuse('not_a_late_fee', 'Only late fees can be reversed as a courtesy.');
  if (fee.reversedOn !== null)
    return refuse('fee_already_reversed', `This late fee was already reversed on ${fee.reversedOn}.`);
  const lateFees = f.fees.filter((o) => o.kind === 'late' && o.id !== fee.id);
  if (lateFees.some((o) => withinDaysBefore(o.assessedOn, fee.assessedOn, GOODWILL_LOOKBACK_DAYS)))
    return refuse(
      'late_fee_not_first_in_12_months',
      'We can reverse a late fee only when it is the first one in 12 months, and there was another late fee in the year before this one.',
    );
  if (
    f.fees.some(
      (o) =>
        o.kind === 'late' && o.reversedOn !== null && withinDaysBefore(o.reversedOn, f.today, GOODWILL_LOOKBACK_DAYS),
    )
  )
    return refuse(
      'goodwill_used_recently',
      'We already reversed a late fee in the last 12 months, so we cannot reverse another one yet.',
    );
  return { ok: true, fee, creditCents: fee.amountCents };
}

// ------------------------------------------------------------------ disputes: Fair Credit Billing Act

/** FCBA / Reg Z 12 CFR 1026.13(b)(1): a billing-error notice is timely within 60 days after the statement was sent. */
export const FCBA_NOTICE_DAYS = 60;
/** Reg Z 1026.13(c)(1): acknowledge a billing-error notice in writing within 30 days. */
export const FCBA_ACKNOWLEDGE_DAYS = 30;
/** Reg Z 1026.13(c)(2): resolve within two complete billing cycles, and never later than 90 days. */
export const FCBA_RESOLVE_MAX_DAYS = 90;

export interface FcbaWindow {
  /** The last day a billing-error notice is timely. */
  deadline: string;
  eligible: boolean;
  /** Days left including none on the deadline itself; 0 once the window has closed. */
  daysRemaining: number;
}

/**
 * The 60-day notice window. The statement's "sent" date is not kept, so the window runs from the
 * statement's closing date (never later than the mailing date, so we never promise too much time).
 */
export function fcbaWindow(closingDate: string, today: string): FcbaWindow {
  const deadline = addDays(closingDate, FCBA_NOTICE_DAYS);
  const left = daysBetween(today, deadline);
  return { deadline, eligible: left >= 0, daysRemaining: Math.max(0, left) };
}

/** The monthly closing dates after `closingDate` (k months on from it, clamped to month ends without drift). */
export function projectClosingDates(closingDate: string, count: number): string[] {
  parseDate(closingDate);
  return Array.from({ length: count }, (_, k) => addMonths(closingDate, k + 1));
}

export interface FcbaDeadlines {
  acknowledgeBy: string;
  resolveBy: string;
  /** Which limit set resolveBy. */
  resolveLimit: 'two_billing_cycles' | 'ninety_days';
}

/**
 * The issuer's clocks once a billing-error notice arrives. `closingDates` are the account's statement
 * closing dates (past, and projected ones with projectClosingDates); the cycle the notice arrives in
 * is not complete, so the two complete cycles end on the 2nd and 3rd closing dates on or after the
 * notice. resolveBy is the earlier of the end of the second one and notice + 90 days.
 */
export function fcbaDeadlines(noticeDate: string, closingDates: readonly string[]): FcbaDeadlines {
  parseDate(noticeDate);
  closingDates.forEach((d) => parseDate(d));
  const upcoming = [...new Set(closingDates)].filter((d) => d >= noticeDate).sort();
  const endOfSecondCycle = upcoming[2];
  if (endOfSecondCycle === undefined)
    throw new RangeError(
      'fcbaDeadlines needs the three closing dates on or after the notice (see projectClosingDates).',
    );
  const ninety = addDays(noticeDate, FCBA_RESOLVE_MAX_DAYS);
  const byCycles = endOfSecondCycle <= ninety;
  return {
    acknowledgeBy: addDays(noticeDate, FCBA_ACKNOWLEDGE_DAYS),
    resolveBy: byCycles ? endOfSecondCycle : ninety,
    resolveLimit: byCycles ? 'two_billing_cycles' : 'ninety_days',
  };
}

export type DisputeIneligibleReason = 'pending' | 'window_closed' | 'not_a_charge' | 'already_disputed';

export interface DisputeEligibilityFacts {
  eligible: boolean;
  reason: DisputeIneligibleReason | null;
  statementClosingDate: string | null;
  deadline: string | null;
  daysRemaining: number | null;
}

/**
 * Whether a billing-error dispute is still timely. Credits are not charges; a pending charge may still
 * change, so it is disputed once posted; a posted charge not yet on a statement has a window that has
 * not started. (`already_disputed` is decided by the cases area.)
 */
export function disputeEligibility(f: {
  today: string;
  amountCents: number;
  status: 'pending' | 'posted';
  statementClosingDate: string | null;
}): DisputeEligibilityFacts {
  const no = (reason: DisputeIneligibleReason): DisputeEligibilityFacts => ({
    eligible: false,
    reason,
    statementClosingDate: null,
    deadline: null,
    daysRemaining: null,
  });
  if (f.amountCents <= 0) return no('not_a_charge');
  if (f.status === 'pending') return no('pending');
  if (f.statementClosingDate === null)
    return { eligible: true, reason: null, statementClosingDate: null, deadline: null, daysRemaining: null };
  const w = fcbaWindow(f.statementClosingDate, f.today);
  return {
    eligible: w.eligible,
    reason: w.eligible ? null : 'window_closed',
    statementClosingDate: f.statementClosingDate,
    deadline: w.deadline,
    daysRemaining: w.daysRemaining,
  };
}
