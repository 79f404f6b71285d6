/**
 * Credit rules of the demo issuer, as pure functions: credit-limit increase eligibility and decision,
 * past-due status, APR disclosure text and product-change options. No database, no clock: the
 * embedded core gathers the facts and passes `today`.
 */
import {
  isPastDue as pastDueOn,
  remainingMinimumDue,
  type PaymentFacts,
  type StatementFacts as BillingStatementFacts,
} from './billing.rules.js';
import { addDays, addMonths } from './dates.js';

/** The demo's prime rate (7.50%), the index its variable APRs move with. A real core reads it daily. */
export const PRIME_RATE_BPS = 750;

/** Months an account must be open before a limit increase (underwriting needs payment history). */
export const CLI_MIN_ACCOUNT_AGE_MONTHS = 6;
/** A late fee this recent shows risk; the issuer waits this many months. */
export const CLI_LATE_FEE_LOOKBACK_MONTHS = 6;
/** At most one limit change per this many months, so exposure grows in steps. */
export const CLI_CHANGE_COOLDOWN_MONTHS = 6;
/** After a declined request the cardmember waits this many days (repeated pulls on the same facts). */
export const CLI_DECLINE_COOLDOWN_DAYS = 90;
/** Upgrades need this much account history. */
export const UPGRADE_MIN_ACCOUNT_AGE_MONTHS = 12;
/** New limits are whole hundreds of dollars. */
export const LIMIT_STEP_CENTS = 10_000;
/** One increase adds at most $10,000 ... */
export const CLI_MAX_STEP_CENTS = 1_000_000;
/** ... and at most half the current limit (1.5 x, in basis points of the current limit). */
export const CLI_MAX_FACTOR_BPS = 15_000;
/** Ability to pay: a limit of at most 30% of stated annual income (in basis points of income). */
export const CLI_INCOME_SHARE_BPS = 3_000;

export type CreditLimitReason =
  | 'account_closed'
  | 'account_too_new'
  | 'recent_late_payment'
  | 'recent_increase'
  | 'account_past_due'
  | 'recent_request_declined'
  | 'corporate_account';

/** True when `date` falls within the `months` calendar months up to `today` (exactly N months ago is outside). */
export const withinMonths = (date: string, months: number, today: string): boolean =>
  date <= today && addMonths(date, months) > today;

/** True when `date` falls within the `days` days up to `today` (exactly N days ago is outside). */
export const withinDays = (date: string, days: number, today: string): boolean =>
  date <= today && addDays(date, days) > today;

/** Rounds down to whole hundreds of dollars. */
export const floorToStep = (cents: number): number => Math.floor(cents / LIMIT_STEP_CENTS) * LIMIT_STEP_CENTS;

// ------------------------------------------------------------------ past due

/** What past-due needs of a statement. */
export type StatementFacts = Pick<BillingStatementFacts, 'closingDate' | 'dueDate' | 'minimumDueCents'>;
export type { PaymentFacts };

/**
 * Past due on the latest statement, by billing's one definition (due date gone by, minimum not
 * covered by money received after closing), so credit decisions and the billing summary never disagree.
 */
export function isPastDue(statements: StatementFacts[], payments: PaymentFacts[], today: string): boolean {
  const latest = [...statements].sort((a, b) => (a.closingDate < b.closingDate ? 1 : -1))[0];
  if (!latest) return false;
  return pastDueOn(today, latest.dueDate, remainingMinimumDue(latest, payments));
}

// ------------------------------------------------------------------ credit-limit increase

export interface CreditLimitFacts {
  today: string;
  productType: 'personal' | 'business' | 'corporate';
  accountStatus: 'open' | 'closed';
  openedOn: string;
  creditLimitCents: number;
  lastLimitChangeOn: string | null;
  /** Dates late fees were assessed (reversed ones too: a goodwill waiver does not undo the late payment). */
  lateFeeDates: string[];
  pastDue: boolean;
  /** Dates (YYYY-MM-DD) of earlier declined increase requests. */
  declinedRequestDates: string[];
}

export interface CreditLimitEligibilityDecision {
  eligible: boolean;
  /** Every failing rule, in a stable order. */
  reasons: CreditLimitReason[];
  maxNewLimitCents: number | null;
}

/** The highest limit one increase may reach: 1.5 x the current limit (whole $100s), and at most +$10,000. */
export function maxNewLimit(currentLimitCents: number): number {
  return Math.min(
    floorToStep(Math.floor((currentLimitCents * CLI_MAX_FACTOR_BPS) / 10_000)),
    currentLimitCents + CLI_MAX_STEP_CENTS,
  );
}

/** The issuer's stated credit-limit-increase policy; lists every reason that fails, not just the first. */
export function creditLimitEligibility(f: CreditLimitFacts): CreditLimitEligibilityDecision {
  const reasons: CreditLimitReason[] = [];
  if (f.accountStatus !== 'open') reasons.push('account_closed');
  if (f.productType === 'corporate') reasons.push('corporate_account');
  if (addMonths(f.openedOn, CLI_MIN_ACCOUNT_AGE_MONTHS) > f.today) reasons.push('account_too_new');
  if (f.lateFeeDates.some((d) => withinMonths(d, CLI_LATE_FEE_LOOKBACK_MONTHS, f.today)))
    reasons.push('recent_late_payment');
  if (f.lastLimitChangeOn && withinMonths(f.lastLimitChangeOn, CLI_CHANGE_COOLDOWN_MONTHS, f.today))
    reasons.push('recent_increase');
  if (f.pastDue) reasons.push('account_past_due');
  if (f.declinedRequestDates.some((d) => withinDays(d, CLI_DECLINE_COOLDOWN_DAYS, f.today)))
    reasons.push('recent_request_declined');
  const eligible = reasons.length === 0;
  return { eligible, reasons, maxNewLimitCents: eligible ? maxNewLimit(f.creditLimitCents) : null };
}

export type CreditLimitDecisionReason =
  CreditLimitReason | 'insufficient_income' | 'capped_at_max_increase' | 'capped_by_income';

export interface CreditLimitIncreaseOutcome {
  decision: 'approved' | 'declined';
  newLimitCents: number;
  /** Declined: the failing rules. Approved for less than asked: which cap applied. */
  reasons: CreditLimitDecisionReason[];
}

/**
 * Decides a request that passed input validation: ineligible -> declined with the reasons; else the
 * lowest of the requested limit, the maximum increase and 30% of income; no actual increase -> declined.
 */
export function decideCreditLimitIncrease(
  eligibility: CreditLimitEligibilityDecision,
  currentLimitCents: number,
  requestedLimitCents: number,
  annualIncomeCents: number,
): CreditLimitIncreaseOutcome {
  if (!eligibility.eligible || eligibility.maxNewLimitCents === null) {
    return { decision: 'declined', newLimitCents: currentLimitCents, reasons: [...eligibility.reasons] };
  }
  const incomeCap = floorToStep(Math.floor((annualIncomeCents * CLI_INCOME_SHARE_BPS) / 10_000));
  const approved = Math.min(requestedLimitCents, eligibility.maxNewLimitCents, incomeCap);
  if (approved <= currentLimitCents) {
    return { decision: 'declined', newLimitCents: currentLimitCents, reasons: ['insufficient_income'] };
  }
  const reasons: CreditLimitDecisionReason[] = [];
  if (approved < requestedLimitCents) {
    if (approved === eligibility.maxNewLimitCents) reasons.push('capped_at_max_increase');
    if (approved === incomeCap) reasons.push('capped_by_income');
  }
  return { decision: 'approved', newLimitCents: approved, reasons };
}

/** Sentences the assistant can repeat for each reason id. */
export const CREDIT_REASON_TEXT: Record<CreditLimitDecisionReason, string> = {
  account_closed: 'The account is closed.',
  account_too_new: 'The account needs to be open for at least 6 months.',
  recent_late_payment: 'A late fee was charged in the last 6 months.',
  recent_increase: 'The credit limit changed in the last 6 months.',
  account_past_due: 'The account has a past-due minimum payment.',
  recent_request_declined: 'A credit limit increase request was declined in the last 90 days.',
  corporate_account: "Corporate card limits are managed by the company's program administrator.",
  insufficient_income: 'The stated income does not support a higher limit.',
  capped_at_max_increase: 'One increase can raise the limit by at most 50% and at most $10,000.',
  capped_by_income: 'The new limit is capped at 30% of the stated annual income.',
};

// ------------------------------------------------------------------ APR disclosures

export interface AprFacts {
  productType: 'personal' | 'business' | 'corporate';
  purchaseAprBps: number;
  cashAprBps: number;
  btAprBps: number;
  penaltyAprBps: number;
}

/** "21.24%" from 2124 basis points. */
export const formatBps = (bps: number): string => `${(bps / 100).toFixed(2)}%`;

/** "$1,234.56" (or "$1,234" for whole dollars) from cents. */
export function formatUsd(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const dollars = Math.floor(abs / 100).toLocaleString('en-US');
  const rest = abs % 100;
  return `${sign}$${dollars}${rest ? `.${String(rest).padStart(2, '0')}` : ''}`;
}

/**
 * The plain-English APR disclosure (Truth in Lending: rates, that they vary with prime, and when the
 * penalty rate applies). A card with 0% purchase APR is a charge card: due in full each month.
 */
export function aprDisclosure(f: AprFacts): { variable: boolean; primeRateBps: number; text: string } {
  const variable = f.purchaseAprBps > 0;
  if (!variable) {
    return {
      variable,
      primeRateBps: PRIME_RATE_BPS,
      text:
        (f.productType === 'corporate' ? 'This corporate card' : 'This card') +
        ' is a charge card with no interest rate: charges are due in full each month, and no purchase, cash advance or penalty APR applies.',
    };
  }
  const margin = (bps: number) => formatBps(bps - PRIME_RATE_BPS);
  const parts = [
    `Purchase APR ${formatBps(f.purchaseAprBps)} variable (the prime rate of ${formatBps(PRIME_RATE_BPS)} plus ${margin(f.purchaseAprBps)}).`,
    `Cash advance APR ${formatBps(f.cashAprBps)} variable.`,
    `Balance transfer APR ${formatBps(f.btAprBps)} variable.`,
  ];
  if (f.penaltyAprBps > 0) {
    parts.push(
      `Penalty APR up to ${formatBps(f.penaltyAprBps)}: it may apply after a payment is 60 or more days late.`,
    );
  }
  parts.push('Variable rates move with the prime rate.');
  return { variable, primeRateBps: PRIME_RATE_BPS, text: parts.join(' ') };
}

// ------------------------------------------------------------------ product change

export interface ProductChangeFacts {
  today: string;
  openedOn: string;
  pastDue: boolean;
  current: { tier: number; annualFeeCents: number };
  candidate: { name: string; tier: number; annualFeeCents: number };
}

export interface ProductChangeOption {
  change: 'upgrade' | 'downgrade' | 'lateral';
  eligible: boolean;
  /** `upgrade_account_too_new`, `upgrade_past_due` when an upgrade is not available yet. */
  reasons: string[];
  note: string;
}

/**
 * Product change within the same product type: moving down or across is always allowed (less risk to
 * the issuer); moving up needs 12 months of history and no past-due balance.
 */
export function productChangeOption(f: ProductChangeFacts): ProductChangeOption {
  const change =
    f.candidate.tier > f.current.tier ? 'upgrade' : f.candidate.tier < f.current.tier ? 'downgrade' : 'lateral';
  const reasons: string[] = [];
  if (change === 'upgrade') {
    if (addMonths(f.openedOn, UPGRADE_MIN_ACCOUNT_AGE_MONTHS) > f.today) reasons.push('upgrade_account_too_new');
    if (f.pastDue) reasons.push('upgrade_past_due');
  }
  const diff = f.candidate.annualFeeCents - f.current.annualFeeCents;
  const fee =
    diff === 0
      ? `The annual fee stays the same (${formatUsd(f.candidate.annualFeeCents)}).`
      : `The annual fee would be ${formatUsd(f.candidate.annualFeeCents)} instead of ${formatUsd(f.current.annualFeeCents)}` +
        ` (${formatUsd(Math.abs(diff))} ${diff > 0 ? 'more' : 'less'} a year).`;
  const why: string[] = [];
  if (reasons.includes('upgrade_account_too_new')) why.push('the account needs to be open for at least 12 months');
  if (reasons.includes('upgrade_past_due')) why.push('the past-due minimum payment needs to be paid first');
  const notice = why.length
    ? ` An upgrade to the ${f.candidate.name} is not available yet: ${why.join(', and ')}.`
    : '';
  return { change, eligible: reasons.length === 0, reasons, note: fee + notice };
}
