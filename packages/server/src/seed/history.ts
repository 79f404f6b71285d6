/**
 * Six months of plausible history for one card account, simulated statement by statement so every
 * figure agrees with the rows behind it: purchases post and land on the statement whose period holds
 * their posting date; each statement's payment is decided when it closes and posts in the next cycle;
 * late payments draw a late fee the day after the due date; balances, minimums, interest, statement
 * credits and reward points follow. Everything is relative to `today`, so the story holds on any day.
 */
import { PRODUCTS } from '../accounts/embedded/products.js';
import { addMonths, withDay } from '../accounts/rules/dates.js';
import type {
  CreditsTable,
  FeesTable,
  PaymentsTable,
  RewardsLedgerTable,
  StatementsTable,
  TransactionsTable,
} from '../store/schema.js';
import {
  BUSINESS_CATEGORY_WEIGHTS,
  CATEGORY_WEIGHTS,
  FOREIGN_MERCHANTS,
  MERCHANTS,
  RECURRING,
  type Category,
} from './catalog.js';
import { at, daysFrom, plusDays } from './build.js';
import type { Rng } from './rng.js';
import type { SeedRows } from './rows.js';

/** Days from a statement's closing date to its payment due date. */
export const DUE_AFTER_CLOSING_DAYS = 25;
export const FIRST_LATE_FEE_CENTS = 3000;
/** A second late payment within 12 months costs more (as card agreements usually say). */
export const REPEAT_LATE_FEE_CENTS = 4100;

export type Payer = 'transactor' | 'revolver' | 'minimum';

export interface CardPlan {
  id: string;
  /** Share of the account's purchases this card makes (relative). */
  weight: number;
  /** The card makes purchases from this date... */
  from?: string;
  /** ...until this date (a lost, replaced or closed card). */
  until?: string;
}

/** A purchase a story needs, placed exactly. */
export interface PlannedTransaction {
  id?: string;
  date: string;
  /** Defaults to the next day (pending if that is after today); null keeps it pending. */
  postedOn?: string | null;
  merchant: string;
  category: Category;
  amountCents: number;
  cardId?: string;
  foreign?: boolean;
  /** Paid with points three days after posting (ledger, credit and flag written). */
  paidWithPoints?: boolean;
}

export interface AccountPlan {
  /** Suffix of every id of the account's rows: `acct_<key>`, `stmt_<key>_<YYYYMM>`, `txn_<key>_<n>`... */
  key: string;
  cardmemberId: string;
  productId: string;
  openedOn: string;
  /** 1..28 */
  dueDay: number;
  creditLimitCents: number;
  bankLast4: string;
  lastDueDayChangeOn?: string | null;
  lastLimitChangeOn?: string | null;
  payer: Payer;
  cards: CardPlan[];
  /** Random purchases per statement cycle, [min, max] (scaled down for partial cycles). */
  purchasesPerCycle: readonly [number, number];
  /** Closed statements to keep (default 6; fewer when the account is younger). */
  statements?: number;
  /** Chance that a statement is paid late (default 0). */
  lateProbability?: number;
  /** Statements paid late, counted back from the latest closed one (0 = latest); optionally waived. */
  lateStatements?: Array<{ statementsAgo: number; goodwill?: boolean }>;
  /** Balance carried in from before the first kept statement. */
  startingBalanceCents?: number;
  /** Points earned before the first kept statement. */
  startingPoints?: number;
  recurring?: Array<{ merchant: string; category: Category; amountCents: number; day: number }>;
  /** Chance that a random purchase is made abroad. */
  foreignShare?: number;
  extra?: (cal: Calendar) => PlannedTransaction[];
}

export interface Calendar {
  today: string;
  /** Closing dates of the kept statements, oldest first; the last one is strictly before today. */
  closings: string[];
  /** The closing date before the first kept statement, when the account was already open then. */
  before: string | null;
  /** First day of the current (open) cycle. */
  currentStart: string;
}

export interface AccountOutcome {
  accountId: string;
  calendar: Calendar;
  statementIds: string[];
  currentBalanceCents: number;
  rewardsBalance: number;
}

export const dueDateOf = (closing: string): string => plusDays(closing, DUE_AFTER_CLOSING_DAYS);

/**
 * The last `count` closing dates strictly before today, oldest first, for an account whose payments
 * fall due on `dueDay`: each closing date is its due date less DUE_AFTER_CLOSING_DAYS.
 */
export function closingDatesBefore(today: string, dueDay: number, count: number): string[] {
  const out: string[] = [];
  let month = addMonths(withDay(today, 1), 1);
  while (out.length < count) {
    const closing = plusDays(withDay(month, dueDay), -DUE_AFTER_CLOSING_DAYS);
    if (closing < today) out.unshift(closing);
    month = addMonths(month, -1);
  }
  return out;
}

/** Which statements an account opened on `openedOn` has, as of today. */
export function calendarFor(today: string, dueDay: number, openedOn: string, statements = 6): Calendar {
  const all = closingDatesBefore(today, dueDay, statements + 1);
  const before = all[0]! > openedOn ? all[0]! : null;
  const closings = all.slice(1).filter((c) => c > openedOn);
  const last = closings[closings.length - 1];
  return { today, closings, before, currentStart: last ? plusDays(last, 1) : openedOn };
}

const productOf = (id: string) => {
  const p = PRODUCTS.find((x) => x.id === id);
  if (!p) throw new Error(`unknown product ${id}`);
  return p;
};

/** Minimum payment: the whole balance on a charge card, else 1% plus interest and fees, at least $40. */
export function minimumDue(newBalance: number, interest: number, fees: number, chargeCard: boolean): number {
  if (newBalance <= 0) return 0;
  if (chargeCard) return newBalance;
  return Math.min(newBalance, Math.max(4000, Math.round(newBalance / 100) + interest + fees));
}

interface Period {
  start: string;
  end: string;
  /** Null for the open cycle. */
  statementId: string | null;
}

/** Simulates the account and appends its rows (account, statements, transactions, payments, fees...). */
export function simulateAccount(rng: Rng, today: string, plan: AccountPlan, rows: SeedRows): AccountOutcome {
  const product = productOf(plan.productId);
  const chargeCard = product.purchaseAprBps === 0;
  const accountId = `acct_${plan.key}`;
  const cal = calendarFor(today, plan.dueDay, plan.openedOn, plan.statements ?? 6);
  const periods: Period[] = [];
  let start = cal.before ? plusDays(cal.before, 1) : plan.openedOn;
  for (const closing of cal.closings) {
    periods.push({ start, end: closing, statementId: `stmt_${plan.key}_${closing.slice(0, 7).replace('-', '')}` });
    start = plusDays(closing, 1);
  }
  periods.push({ start: cal.currentStart, end: today, statementId: null });
  const windowStart = periods[0]!.start;

  // ---------------------------------------------------------------- purchases
  interface Draft extends PlannedTransaction {
    order: number;
  }
  const drafts: Draft[] = [];
  let order = 0;
  const cardOn = (date: string): string | null => {
    const usable = plan.cards.filter((c) => (!c.from || c.from <= date) && (!c.until || date <= c.until));
    if (!usable.length) return null;
    return rng.weighted(usable.map((c) => [c.id, c.weight] as const));
  };
  const weights = product.type === 'personal' ? CATEGORY_WEIGHTS : BUSINESS_CATEGORY_WEIGHTS;
  for (const p of periods) {
    const days = daysFrom(p.start, p.end) + 1;
    if (days <= 0) continue;
    const n = Math.round(rng.between(plan.purchasesPerCycle[0], plan.purchasesPerCycle[1]) * Math.min(1, days / 30));
    for (let k = 0; k < n; k++) {
      const date = plusDays(p.start, rng.int(days));
      const cardId = cardOn(date);
      if (!cardId) continue;
      if (plan.foreignShare && rng.chance(plan.foreignShare)) {
        const m = rng.pick(FOREIGN_MERCHANTS);
        drafts.push({
          order: order++,
          date,
          merchant: m.name,
          category: m.category,
          amountCents: rng.between(m.min, m.max),
          cardId,
          foreign: true,
        });
        continue;
      }
      const category = rng.weighted(weights);
      const m = rng.pick(MERCHANTS[category]);
      drafts.push({ order: order++, date, merchant: m.name, category, amountCents: rng.between(m.min, m.max), cardId });
    }
    for (const r of plan.recurring ?? []) {
      let date = withDay(p.start, r.day);
      if (date < p.start) date = withDay(addMonths(withDay(p.start, 1), 1), r.day);
      if (date > p.end) continue;
      const cardId = cardOn(date);
      if (!cardId) continue;
      const variance = r.category === 'utilities' ? rng.between(-900, 900) : 0;
      drafts.push({
        order: order++,
        date,
        merchant: r.merchant,
        category: r.category,
        amountCents: r.amountCents + variance,
        cardId,
      });
    }
    // Now and then something goes back: a refund of an earlier online purchase.
    const returnable = drafts.filter((d) => d.category === 'online' && d.amountCents > 0 && d.date < p.end);
    if (returnable.length && rng.chance(0.08)) {
      const orig = rng.pick(returnable);
      const date = plusDays(orig.date, rng.between(3, 12));
      if (date <= p.end) {
        drafts.push({ ...orig, order: order++, id: undefined, date, amountCents: -orig.amountCents, foreign: false });
      }
    }
  }
  for (const x of plan.extra?.(cal) ?? []) {
    drafts.push({ ...x, order: order++, cardId: x.cardId ?? plan.cards[0]!.id });
  }
  drafts.sort((a, b) => (a.date === b.date ? a.order - b.order : a.date < b.date ? -1 : 1));

  const periodOf = (date: string): Period | undefined => periods.find((p) => p.start <= date && date <= p.end);
  const txns: TransactionsTable[] = [];
  let seq = 0;
  for (const d of drafts) {
    let postedOn: string | null;
    if (d.postedOn !== undefined) postedOn = d.postedOn;
    else if (d.id) postedOn = plusDays(d.date, 1);
    else postedOn = plusDays(d.date, rng.weighted([[0, 3] as const, [1, 5] as const, [2, 2] as const]));
    // The last day or two of activity is mostly still authorised, not posted.
    if (postedOn && !d.id && d.date >= plusDays(today, -1) && rng.chance(0.7)) postedOn = null;
    if (postedOn && postedOn > today) postedOn = null;
    const period = postedOn ? periodOf(postedOn) : undefined;
    txns.push({
      id: d.id ?? `txn_${plan.key}_${++seq}`,
      account_id: accountId,
      card_id: d.cardId!,
      transaction_date: d.date,
      posted_on: postedOn,
      merchant: d.merchant,
      category: d.category,
      amount_cents: d.amountCents,
      currency: 'USD',
      status: postedOn ? 'posted' : 'pending',
      statement_id: period?.statementId ?? null,
      is_foreign: d.foreign ? 1 : 0,
      pwp_redeemed: d.paidWithPoints && postedOn ? 1 : 0,
    });
  }

  // ---------------------------------------------------------------- fees, credits, points known upfront
  const fees: FeesTable[] = [];
  const credits: CreditsTable[] = [];
  const ledger: RewardsLedgerTable[] = [];
  const payments: PaymentsTable[] = [];
  const rewards = product.rewardsProgram !== null;
  if (rewards && plan.startingPoints) {
    ledger.push({
      id: `rw_${plan.key}_${ledger.length + 1}`,
      account_id: accountId,
      points: plan.startingPoints,
      kind: 'adjust',
      description: 'Points balance brought forward',
      transaction_id: null,
      status: 'posted',
      created_at: at(windowStart, 0),
    });
  }
  if (product.annualFeeCents > 0) {
    for (let k = 0; ; k++) {
      const on = addMonths(plan.openedOn, 12 * k);
      if (on > today) break;
      if (on < windowStart) continue;
      fees.push({
        id: `fee_${plan.key}_${fees.length + 1}`,
        account_id: accountId,
        kind: 'annual',
        amount_cents: product.annualFeeCents,
        assessed_on: on,
        reversed_on: null,
        reversal_reason: null,
      });
    }
  }
  const monthlyCredit = product.benefits.find((b) => b.kind === 'statement_credit' && b.category === 'dining');
  if (monthlyCredit?.annualAmountCents) {
    const amount = Math.round(monthlyCredit.annualAmountCents / 12);
    for (const p of periods) {
      const first = txns.find(
        (t) => t.posted_on && t.posted_on >= p.start && t.posted_on <= p.end && t.category === 'dining',
      );
      if (!first || first.amount_cents < amount) continue;
      const on = plusDays(first.posted_on!, 2);
      if (on > p.end) continue;
      credits.push({
        id: `cr_${plan.key}_${credits.length + 1}`,
        account_id: accountId,
        kind: 'statement_credit',
        amount_cents: amount,
        posted_on: on,
        reference: monthlyCredit.id,
      });
    }
  }
  for (const t of txns) {
    if (!t.pwp_redeemed) continue;
    const on = plusDays(t.posted_on!, 3) <= today ? plusDays(t.posted_on!, 3) : today;
    const points = Math.floor((t.amount_cents * 100 + product.pwpValue - 1) / product.pwpValue);
    credits.push({
      id: `cr_${plan.key}_${credits.length + 1}`,
      account_id: accountId,
      kind: 'pay_with_points',
      amount_cents: t.amount_cents,
      posted_on: on,
      reference: t.id,
    });
    ledger.push({
      id: `rw_${plan.key}_${ledger.length + 1}`,
      account_id: accountId,
      points: -points,
      kind: 'redeem',
      description: `Pay with Points: ${t.merchant}`,
      transaction_id: t.id,
      status: 'posted',
      created_at: at(on, 600),
    });
  }

  // ---------------------------------------------------------------- statement by statement
  const lateAt = new Map((plan.lateStatements ?? []).map((l) => [cal.closings.length - 1 - l.statementsAgo, l]));
  const lateFeeDates: string[] = [];
  const payFor = (index: number, closing: string, balance: number, minimum: number) => {
    if (balance <= 0) return;
    const due = dueDateOf(closing);
    let amount: number;
    if (plan.payer === 'transactor' || chargeCard) amount = balance;
    else if (plan.payer === 'minimum') amount = minimum;
    else amount = Math.max(minimum, Math.round(rng.between(minimum, balance) / 100) * 100);
    amount = Math.min(amount, balance);
    const forced = lateAt.get(index);
    const feeOn = plusDays(due, 1);
    const late = feeOn < today && (forced !== undefined || (index >= 0 && rng.chance(plan.lateProbability ?? 0)));
    let on = late
      ? [plusDays(due, rng.between(2, 6)), plusDays(today, -1)].sort()[0]!
      : plusDays(closing, rng.between(8, DUE_AFTER_CLOSING_DAYS - 1));
    if (!late && on === today && rng.chance(0.5)) on = plusDays(on, 1);
    const status: PaymentsTable['status'] = on < today ? 'posted' : on === today ? 'processing' : 'scheduled';
    const created = [plusDays(on, -rng.between(0, 4)), today].sort()[0]!;
    payments.push({
      id: `pay_${plan.key}_${payments.length + 1}`,
      account_id: accountId,
      amount_cents: amount,
      status,
      scheduled_for: on,
      posted_on: status === 'posted' ? on : null,
      from_bank_last4: plan.bankLast4,
      created_at: at(created, 540 + rng.int(600)),
    });
    if (!late) return;
    const repeat = lateFeeDates.some((d) => daysFrom(d, feeOn) <= 365);
    const fee: FeesTable = {
      id: `fee_${plan.key}_${fees.length + 1}`,
      account_id: accountId,
      kind: 'late',
      amount_cents: repeat ? REPEAT_LATE_FEE_CENTS : FIRST_LATE_FEE_CENTS,
      assessed_on: feeOn,
      reversed_on: null,
      reversal_reason: null,
    };
    lateFeeDates.push(feeOn);
    const waivedOn = plusDays(feeOn, 3);
    if (forced?.goodwill && waivedOn < today) {
      fee.reversed_on = waivedOn;
      fee.reversal_reason = 'goodwill';
      credits.push({
        id: `cr_${plan.key}_${credits.length + 1}`,
        account_id: accountId,
        kind: 'goodwill',
        amount_cents: fee.amount_cents,
        posted_on: waivedOn,
        reference: fee.id,
      });
    }
    fees.push(fee);
  };

  const inPeriod = (date: string | null, p: Period) => date !== null && p.start <= date && date <= p.end;
  let balance = cal.before ? (plan.startingBalanceCents ?? 0) : 0;
  let carried = balance;
  if (cal.before) payFor(-1, cal.before, balance, minimumDue(balance, 0, 0, chargeCard));
  const statements: StatementsTable[] = [];
  for (const [i, p] of periods.entries()) {
    const own = txns.filter((t) => t.status === 'posted' && inPeriod(t.posted_on, p));
    const purchases = own.filter((t) => t.amount_cents > 0).reduce((s, t) => s + t.amount_cents, 0);
    const refunds = own.filter((t) => t.amount_cents < 0).reduce((s, t) => s - t.amount_cents, 0);
    const paid = payments
      .filter((x) => x.status === 'posted' && inPeriod(x.posted_on, p))
      .reduce((s, x) => s + x.amount_cents, 0);
    const periodFees = fees.filter((f) => inPeriod(f.assessed_on, p));
    const feeCents = periodFees.reduce((s, f) => s + f.amount_cents, 0);
    const credited = credits.filter((c) => inPeriod(c.posted_on, p)).reduce((s, c) => s + c.amount_cents, 0);
    if (p.statementId === null) {
      // The open cycle: posted activity moves the current balance; points on it are still pending.
      balance += purchases - refunds - paid + feeCents - credited;
      const pendingSpend = txns
        .filter((t) => t.amount_cents > 0 && (t.status === 'pending' || inPeriod(t.posted_on, p)))
        .reduce((s, t) => s + t.amount_cents, 0);
      const pts = Math.floor(pendingSpend / 100) * product.pointsPerDollar;
      if (rewards && pts > 0) {
        ledger.push({
          id: `rw_${plan.key}_${ledger.length + 1}`,
          account_id: accountId,
          points: pts,
          kind: 'earn',
          description: 'Points on purchases this cycle (pending until the statement closes)',
          transaction_id: null,
          status: 'pending',
          created_at: at(today, 0),
        });
      }
      break;
    }
    const unpaid = carried - paid;
    const interest =
      plan.payer !== 'transactor' && !chargeCard && unpaid > 0
        ? Math.round((unpaid * product.purchaseAprBps) / 120_000)
        : 0;
    const previous = balance;
    balance = previous + purchases + feeCents + interest - paid - credited - refunds;
    const lateFeeCents = periodFees.filter((f) => f.kind === 'late').reduce((s, f) => s + f.amount_cents, 0);
    const minimum = minimumDue(balance, interest, lateFeeCents, chargeCard);
    statements.push({
      id: p.statementId,
      account_id: accountId,
      period_start: p.start,
      closing_date: p.end,
      due_date: dueDateOf(p.end),
      previous_balance_cents: previous,
      payments_credits_cents: paid + credited + refunds,
      purchases_cents: purchases,
      fees_cents: feeCents,
      interest_cents: interest,
      new_balance_cents: balance,
      minimum_due_cents: minimum,
    });
    carried = balance;
    payFor(i, p.end, balance, minimum);
    const earned = Math.floor(Math.max(0, purchases - refunds) / 100) * product.pointsPerDollar;
    if (rewards && earned > 0) {
      ledger.push({
        id: `rw_${plan.key}_${ledger.length + 1}`,
        account_id: accountId,
        points: earned,
        kind: 'earn',
        description: `Points earned on the statement closing ${p.end}`,
        transaction_id: null,
        status: 'posted',
        created_at: at(p.end, 1320),
      });
    }
  }
  const rewardsBalance = rewards ? ledger.filter((l) => l.status === 'posted').reduce((s, l) => s + l.points, 0) : 0;

  rows.accounts.push({
    id: accountId,
    cardmember_id: plan.cardmemberId,
    product_id: product.id,
    credit_limit_cents: plan.creditLimitCents,
    current_balance_cents: balance,
    opened_on: plan.openedOn,
    due_day: plan.dueDay,
    last_due_day_change_on: plan.lastDueDayChangeOn ?? null,
    last_limit_change_on: plan.lastLimitChangeOn ?? null,
    status: 'open',
    bank_last4: plan.bankLast4,
    rewards_balance: rewardsBalance,
  });
  rows.statements.push(...statements);
  rows.transactions.push(...txns);
  rows.payments.push(...payments);
  rows.fees.push(...fees.sort((a, b) => (a.assessed_on < b.assessed_on ? -1 : 1)));
  rows.credits.push(...credits);
  rows.rewards_ledger.push(...ledger);
  return {
    accountId,
    calendar: cal,
    statementIds: statements.map((s) => s.id),
    currentBalanceCents: balance,
    rewardsBalance,
  };
}

/** `n` different monthly bills (utilities, subscriptions) for an account, each on its own day. */
export function pickRecurring(rng: Rng, n: number): NonNullable<AccountPlan['recurring']> {
  const out: NonNullable<AccountPlan['recurring']> = [];
  const pool = [...RECURRING];
  for (let i = 0; i < n && pool.length; i++) {
    const r = pool.splice(rng.int(pool.length), 1)[0]!;
    out.push({
      merchant: r.name,
      category: r.category,
      amountCents: rng.between(r.min, r.max),
      day: rng.between(1, 28),
    });
  }
  return out;
}
