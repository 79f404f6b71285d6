/** Embedded accounts core: billing operations. */
import { sql } from 'kysely';
import type { FeesTable, PaymentsTable, StatementsTable } from '../../store/schema.js';
import type {
  BillingSummary,
  Caller,
  DisputeEligibility,
  DueDateChangeResult,
  Fee,
  GoodwillResult,
  Payment,
  Statement,
  Transaction,
  TransactionFilter,
} from '../accounts.port.js';
import {
  billingFigures,
  defaultGoodwillFee,
  dueDateChangeDecision,
  GOODWILL_POLICY,
  lateFeeGoodwillDecision,
  normalizeTransactionFilter,
  schedulePaymentDecision,
  upcomingDueDate,
  type FeeFacts,
  type PaymentFacts,
  type StatementFacts,
} from '../rules/billing.rules.js';
import { disputeEligibilityOf } from '../rules/disputes.rules.js';
import {
  enforce,
  accountForCard,
  auditRead,
  cardFor,
  checkCaller,
  invalid,
  mutate,
  newId,
  notFound,
  nowIso,
  presentTransaction,
  todayOf,
  type OpsContext,
  type TransactionRow,
  type Tx,
} from './context.js';

// ------------------------------------------------------------------ helpers

/** Mutation inputs arrive from the assistant's slots: anything but an object is bad input. */
function inputObject(input: unknown): Record<string, unknown> {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw invalid('The request must be an object.');
  return input as Record<string, unknown>;
}

const cardIdOf = (input: unknown): string | null => {
  const id = (input as { cardId?: unknown } | null)?.cardId;
  return typeof id === 'string' ? id : null;
};

/** Every card the port hands out belongs to an account; one without is not a billing card. */
function accountIdOf(card: { account_id: string | null }): string {
  if (!card.account_id) throw notFound('Card');
  return card.account_id;
}

// ------------------------------------------------------------------ presenters

function presentStatement(s: StatementsTable): Statement {
  return {
    id: s.id,
    accountId: s.account_id,
    periodStart: s.period_start,
    closingDate: s.closing_date,
    dueDate: s.due_date,
    previousBalanceCents: Number(s.previous_balance_cents),
    paymentsAndCreditsCents: Number(s.payments_credits_cents),
    purchasesCents: Number(s.purchases_cents),
    feesCents: Number(s.fees_cents),
    interestCents: Number(s.interest_cents),
    newBalanceCents: Number(s.new_balance_cents),
    minimumDueCents: Number(s.minimum_due_cents),
  };
}

function presentPayment(p: PaymentsTable): Payment {
  return {
    id: p.id,
    accountId: p.account_id,
    amountCents: Number(p.amount_cents),
    status: p.status,
    scheduledFor: p.scheduled_for,
    postedOn: p.posted_on,
    fromBankLast4: p.from_bank_last4,
    createdAt: p.created_at,
  };
}

function presentFee(f: FeesTable): Fee {
  return {
    id: f.id,
    accountId: f.account_id,
    kind: f.kind,
    amountCents: Number(f.amount_cents),
    assessedOn: f.assessed_on,
    reversedOn: f.reversed_on,
  };
}

const statementFacts = (s: StatementsTable): StatementFacts => ({
  closingDate: s.closing_date,
  dueDate: s.due_date,
  newBalanceCents: Number(s.new_balance_cents),
  minimumDueCents: Number(s.minimum_due_cents),
});

const paymentFacts = (p: PaymentsTable): PaymentFacts => ({
  amountCents: Number(p.amount_cents),
  status: p.status,
  scheduledFor: p.scheduled_for,
  postedOn: p.posted_on,
});

const feeFacts = (f: FeesTable): FeeFacts => ({
  id: f.id,
  kind: f.kind,
  amountCents: Number(f.amount_cents),
  assessedOn: f.assessed_on,
  reversedOn: f.reversed_on,
});

// ------------------------------------------------------------------ queries (any connection or tx)

const latestStatement = (db: Tx, accountId: string) =>
  db
    .selectFrom('statements')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('closing_date', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();

const paymentsOf = (db: Tx, accountId: string) =>
  db
    .selectFrom('payments')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('scheduled_for', 'desc')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();

const feesOf = (db: Tx, accountId: string) =>
  db
    .selectFrom('fees')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('assessed_on', 'desc')
    .orderBy('id', 'desc')
    .execute();

/**
 * What open (or acknowledged) disputes hold out of collection: charges billed on the statement closing
 * `closingDate` or before (later charges are not in what is due yet). Reg Z 1026.13(d).
 */
export async function disputedOn(db: Tx, accountId: string, closingDate: string): Promise<number> {
  const r = await db
    .selectFrom('disputes')
    .select((eb) => eb.fn.sum<number | string | null>('amount_cents').as('cents'))
    .where('account_id', '=', accountId)
    .where('status', 'in', ['open', 'acknowledged'])
    .where('statement_closing_date', 'is not', null)
    .where('statement_closing_date', '<=', closingDate)
    .executeTakeFirst();
  return Number(r?.cents ?? 0);
}

/** The figures of the billing summary for one account (shared by the summary and the due-date change). */
async function figuresFor(
  db: Tx,
  today: string,
  account: { id: string; due_day: number; credit_limit_cents: number; current_balance_cents: number },
) {
  // One after the other: inside a transaction both run on the same single connection anyway.
  const latest = await latestStatement(db, account.id);
  const payments = await paymentsOf(db, account.id);
  const disputedCents = latest ? await disputedOn(db, account.id, latest.closing_date) : 0;
  const figures = billingFigures({
    disputedCents,
    today,
    dueDay: Number(account.due_day),
    creditLimitCents: Number(account.credit_limit_cents),
    currentBalanceCents: Number(account.current_balance_cents),
    latest: latest ? statementFacts(latest) : null,
    payments: payments.map(paymentFacts),
  });
  return { figures, latest, payments };
}

// ------------------------------------------------------------------ reads

/** See AccountsPort.listTransactions. */
export async function listTransactions(
  ctx: OpsContext,
  caller: Caller,
  filter?: TransactionFilter,
): Promise<Transaction[]> {
  checkCaller(caller);
  const f = enforce(normalizeTransactionFilter(filter)).filter;
  // A named card must be the caller's own; its id alone is never trusted.
  const card = f.cardId !== null ? await cardFor(ctx.db, caller, f.cardId) : null;
  let q = ctx.db
    .selectFrom('transactions as t')
    .innerJoin('accounts as a', 'a.id', 't.account_id')
    .innerJoin('cards as k', 'k.id', 't.card_id')
    .selectAll('t')
    .select('k.last4 as card_last4')
    .where('a.cardmember_id', '=', caller.onBehalfOf);
  if (card) q = q.where('t.card_id', '=', card.id);
  if (f.merchant !== null) {
    // lower() on both sides: SQLite's LIKE ignores case, PostgreSQL's does not. '!' escapes wildcards.
    const pattern = `%${f.merchant.replace(/[!%_]/g, '!$&')}%`;
    q = q.where(sql<boolean>`lower(t.merchant) like ${pattern} escape '!'`);
  }
  if (f.minAmountCents !== null) q = q.where('t.amount_cents', '>=', f.minAmountCents);
  if (f.maxAmountCents !== null) q = q.where('t.amount_cents', '<=', f.maxAmountCents);
  if (f.from !== null) q = q.where('t.transaction_date', '>=', f.from);
  if (f.to !== null) q = q.where('t.transaction_date', '<=', f.to);
  if (f.status !== null) q = q.where('t.status', '=', f.status);
  const rows = await q.orderBy('t.transaction_date', 'desc').orderBy('t.id', 'desc').limit(f.limit).execute();
  await auditRead(ctx, caller, 'listTransactions', card ? 'card' : 'cardmember', card ? card.id : caller.onBehalfOf);
  return rows.map((r) => presentTransaction(r as TransactionRow));
}

/** See AccountsPort.listStatements. */
export async function listStatements(ctx: OpsContext, caller: Caller, cardId: string): Promise<Statement[]> {
  const card = await cardFor(ctx.db, caller, cardId);
  const rows = await ctx.db
    .selectFrom('statements')
    .selectAll()
    .where('account_id', '=', accountIdOf(card))
    .orderBy('closing_date', 'desc')
    .orderBy('id', 'desc')
    .execute();
  await auditRead(ctx, caller, 'listStatements', 'card', card.id);
  return rows.map(presentStatement);
}

/** See AccountsPort.getBillingSummary. */
export async function getBillingSummary(ctx: OpsContext, caller: Caller, cardId: string): Promise<BillingSummary> {
  const { card, account } = await accountForCard(ctx.db, caller, cardId);
  const { figures, payments } = await figuresFor(ctx.db, todayOf(ctx), account);
  const lastPosted = payments
    .filter((p) => p.status === 'posted')
    .sort((a, b) => ((a.posted_on ?? a.scheduled_for) < (b.posted_on ?? b.scheduled_for) ? 1 : -1))[0];
  await auditRead(ctx, caller, 'getBillingSummary', 'card', card.id);
  return {
    accountId: account.id,
    currentBalanceCents: Number(account.current_balance_cents),
    statementBalanceCents: figures.statementBalanceCents,
    minimumDueCents: figures.minimumDueCents,
    remainingMinimumDueCents: figures.remainingMinimumDueCents,
    dueDate: figures.dueDate,
    dueDay: Number(account.due_day),
    pastDue: figures.pastDue,
    creditLimitCents: Number(account.credit_limit_cents),
    availableCreditCents: figures.availableCreditCents,
    disputedCents: figures.disputedCents,
    lastPayment: lastPosted ? presentPayment(lastPosted) : null,
  };
}

/** See AccountsPort.listPayments. */
export async function listPayments(ctx: OpsContext, caller: Caller, cardId: string): Promise<Payment[]> {
  const card = await cardFor(ctx.db, caller, cardId);
  const rows = await paymentsOf(ctx.db, accountIdOf(card));
  await auditRead(ctx, caller, 'listPayments', 'card', card.id);
  return rows.map(presentPayment);
}

/** See AccountsPort.listFees. */
export async function listFees(ctx: OpsContext, caller: Caller, cardId: string): Promise<Fee[]> {
  const card = await cardFor(ctx.db, caller, cardId);
  const rows = await feesOf(ctx.db, accountIdOf(card));
  await auditRead(ctx, caller, 'listFees', 'card', card.id);
  return rows.map(presentFee);
}

/** See AccountsPort.checkDisputeEligibility. */
export async function checkDisputeEligibility(
  ctx: OpsContext,
  caller: Caller,
  transactionId: string,
): Promise<DisputeEligibility> {
  checkCaller(caller);
  if (typeof transactionId !== 'string' || !transactionId || transactionId.length > 64) throw notFound('Transaction');
  const row = await ctx.db
    .selectFrom('transactions as t')
    .innerJoin('accounts as a', 'a.id', 't.account_id')
    // The statement must be the same account's; a dangling id counts as "not on a statement yet".
    .leftJoin('statements as s', (j) =>
      j.onRef('s.id', '=', 't.statement_id').onRef('s.account_id', '=', 't.account_id'),
    )
    .select(['t.id', 't.amount_cents', 't.status', 't.dispute_id', 's.closing_date'])
    .where('t.id', '=', transactionId)
    .where('a.cardmember_id', '=', caller.onBehalfOf)
    .executeTakeFirst();
  if (!row) throw notFound('Transaction');
  const d = disputeEligibilityOf({
    today: todayOf(ctx),
    amountCents: Number(row.amount_cents),
    status: row.status,
    statementClosingDate: row.closing_date ?? null,
    disputed: row.dispute_id !== null && row.dispute_id !== undefined,
  });
  await auditRead(ctx, caller, 'checkDisputeEligibility', 'transaction', row.id);
  return { transactionId: row.id, ...d };
}

// ------------------------------------------------------------------ mutations

/** See AccountsPort.schedulePayment. */
export async function schedulePayment(
  ctx: OpsContext,
  caller: Caller,
  input: { cardId: string; amountCents: number; date: string },
  idempotencyKey: string,
): Promise<Payment> {
  return mutate(
    ctx,
    caller,
    { operation: 'schedulePayment', targetType: 'card', targetId: cardIdOf(input), idempotencyKey, request: input },
    async (tx) => {
      const i = inputObject(input);
      const { card, account } = await accountForCard(tx, caller, i.cardId);
      const d = enforce(
        schedulePaymentDecision({
          today: todayOf(ctx),
          currentBalanceCents: Number(account.current_balance_cents),
          amountCents: i.amountCents,
          date: i.date,
        }),
      );
      const row: PaymentsTable = {
        id: newId('pay'),
        account_id: account.id,
        amount_cents: d.amountCents,
        status: d.status,
        scheduled_for: d.date,
        posted_on: null,
        from_bank_last4: account.bank_last4,
        created_at: nowIso(ctx),
      };
      await tx.insertInto('payments').values(row).execute();
      return {
        result: presentPayment(row),
        targetId: card.id,
        details: {
          paymentId: row.id,
          accountId: account.id,
          amountCents: row.amount_cents,
          scheduledFor: row.scheduled_for,
          status: row.status,
        },
      };
    },
  );
}

/** See AccountsPort.changeDueDate. */
export async function changeDueDate(
  ctx: OpsContext,
  caller: Caller,
  input: { cardId: string; newDueDay: number },
  idempotencyKey: string,
): Promise<DueDateChangeResult> {
  return mutate(
    ctx,
    caller,
    { operation: 'changeDueDate', targetType: 'card', targetId: cardIdOf(input), idempotencyKey, request: input },
    async (tx) => {
      const i = inputObject(input);
      const { card, account } = await accountForCard(tx, caller, i.cardId);
      const today = todayOf(ctx);
      const { figures, latest } = await figuresFor(tx, today, account);
      const currentDueDay = Number(account.due_day);
      const d = enforce(
        dueDateChangeDecision({
          today,
          currentDueDay,
          newDueDay: i.newDueDay,
          lastChangeOn: account.last_due_day_change_on,
          pastDue: figures.pastDue,
          upcomingDueDate: upcomingDueDate(latest?.due_date ?? null, currentDueDay, today),
        }),
      );
      await tx
        .updateTable('accounts')
        .set({ due_day: d.newDueDay, last_due_day_change_on: today })
        .where('id', '=', account.id)
        .execute();
      const result: DueDateChangeResult = {
        accountId: account.id,
        previousDueDay: currentDueDay,
        newDueDay: d.newDueDay,
        effectiveDueDate: d.effectiveDueDate,
      };
      return { result, targetId: card.id, details: { ...result } };
    },
  );
}

/** See AccountsPort.requestLateFeeGoodwill. */
export async function requestLateFeeGoodwill(
  ctx: OpsContext,
  caller: Caller,
  input: { cardId: string; feeId?: string },
  idempotencyKey: string,
): Promise<GoodwillResult> {
  return mutate(
    ctx,
    caller,
    {
      operation: 'requestLateFeeGoodwill',
      targetType: 'card',
      targetId: cardIdOf(input),
      idempotencyKey,
      request: input,
    },
    async (tx) => {
      const i = inputObject(input);
      const feeId = i.feeId ?? null;
      if (feeId !== null && (typeof feeId !== 'string' || !feeId || feeId.length > 64))
        throw invalid('feeId must be a fee id.');
      const { card, account } = await accountForCard(tx, caller, i.cardId);
      const fees = await feesOf(tx, account.id);
      const facts = fees.map(feeFacts);
      let fee: FeeFacts | null;
      if (feeId !== null) {
        // Only this account's fees can be named; any other id is not found, never revealed.
        fee = facts.find((f) => f.id === feeId) ?? null;
        if (!fee) throw notFound('Fee');
      } else {
        fee = defaultGoodwillFee(facts);
      }
      const today = todayOf(ctx);
      const d = enforce(lateFeeGoodwillDecision({ today, fee, fees: facts }));
      await tx
        .updateTable('fees')
        .set({ reversed_on: today, reversal_reason: 'goodwill' })
        .where('id', '=', d.fee.id)
        .where('account_id', '=', account.id)
        .execute();
      const creditId = newId('cr');
      await tx
        .insertInto('credits')
        .values({
          id: creditId,
          account_id: account.id,
          kind: 'goodwill',
          amount_cents: d.creditCents,
          posted_on: today,
          reference: d.fee.id,
        })
        .execute();
      // Relative update: a concurrent posting to the balance is not lost.
      await tx
        .updateTable('accounts')
        .set({ current_balance_cents: sql<number>`current_balance_cents - ${d.creditCents}` })
        .where('id', '=', account.id)
        .execute();
      const reversed = fees.find((f) => f.id === d.fee.id)!;
      const result: GoodwillResult = {
        fee: presentFee({ ...reversed, reversed_on: today, reversal_reason: 'goodwill' }),
        creditCents: d.creditCents,
        policy: GOODWILL_POLICY,
      };
      return {
        result,
        targetId: card.id,
        details: { feeId: d.fee.id, creditId, creditCents: d.creditCents, accountId: account.id },
      };
    },
  );
}
