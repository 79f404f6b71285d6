/** Embedded accounts core: rewards operations (points, Pay with Points, benefits). */
import type { Benefit, Caller, PayWithPointsResult, RewardsSummary, Transaction } from '../accounts.port.js';
import { addDays, daysBetween } from '../rules/dates.js';
import { safeId } from '../rules/profile.rules.js';
import {
  checkRewardsProgram,
  evaluatePayWithPoints,
  parseBenefits,
  PWP_CATEGORIES,
  PWP_WINDOW_DAYS,
  statementCreditUsed,
  type RewardsDecision,
} from '../rules/rewards.rules.js';
import {
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
  ruleViolation,
  todayOf,
  type OpsContext,
  type Tx,
} from './context.js';

/** Unwraps a rule decision, turning a refusal into a `rule_violation`. */
function decided<T>(d: RewardsDecision<T>): T {
  if (d.ok) return d.value;
  throw ruleViolation(d.rule, d.message, d.details);
}

/** Transactions on accounts the caller owns (the join through accounts is the scoping). */
function transactionsQuery(tx: Tx, caller: Caller) {
  return tx
    .selectFrom('transactions as t')
    .innerJoin('accounts as a', 'a.id', 't.account_id')
    .innerJoin('cards as k', 'k.id', 't.card_id')
    .selectAll('t')
    .select('k.last4 as card_last4')
    .where('a.cardmember_id', '=', caller.onBehalfOf);
}

/** See AccountsPort.getRewards. */
export async function getRewards(ctx: OpsContext, caller: Caller, cardId: string): Promise<RewardsSummary> {
  const { card, account } = await accountForCard(ctx.db, caller, cardId);
  const program = decided(checkRewardsProgram(card.p.rewards_program));
  const pending = await ctx.db
    .selectFrom('rewards_ledger')
    .select((eb) => eb.fn.sum<number | null>('points').as('points'))
    .where('account_id', '=', account.id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  await auditRead(ctx, caller, 'getRewards', 'account', account.id);
  return {
    accountId: account.id,
    program,
    balancePoints: Number(account.rewards_balance),
    pendingPoints: Number(pending?.points ?? 0),
    payWithPointsValue: Number(card.p.pwp_value),
  };
}

/** See AccountsPort.listPayWithPointsEligible. */
export async function listPayWithPointsEligible(
  ctx: OpsContext,
  caller: Caller,
  cardId: string,
): Promise<Transaction[]> {
  const card = await cardFor(ctx.db, caller, cardId);
  const today = todayOf(ctx);
  const product = { payWithPoints: Number(card.p.pay_with_points) === 1, pwpValue: Number(card.p.pwp_value) };
  // The SQL narrows the candidates; the rule decides, so listing and redeeming can never disagree.
  const rows = await transactionsQuery(ctx.db, caller)
    .where('t.account_id', '=', card.account_id!)
    .where('t.status', '=', 'posted')
    .where('t.category', 'in', [...PWP_CATEGORIES])
    .where('t.amount_cents', '>', 0)
    .where('t.pwp_redeemed', '=', 0)
    .where('t.transaction_date', '>=', addDays(today, -PWP_WINDOW_DAYS))
    .orderBy('t.transaction_date', 'desc')
    .orderBy('t.id')
    .execute();
  const eligible = rows.filter(
    (t) =>
      evaluatePayWithPoints({
        product,
        charge: {
          status: t.status,
          amountCents: Number(t.amount_cents),
          category: t.category,
          date: t.transaction_date,
          redeemed: Number(t.pwp_redeemed) === 1,
        },
        ageDays: daysBetween(t.transaction_date, today),
      }).ok,
  );
  await auditRead(ctx, caller, 'listPayWithPointsEligible', 'account', card.account_id);
  return eligible.map(presentTransaction);
}

/** See AccountsPort.redeemPayWithPoints. */
export async function redeemPayWithPoints(
  ctx: OpsContext,
  caller: Caller,
  input: { transactionId: string },
  idempotencyKey: string,
): Promise<PayWithPointsResult> {
  checkCaller(caller);
  const id = safeId(input && typeof input === 'object' ? input.transactionId : undefined);
  return mutate(
    ctx,
    caller,
    {
      operation: 'redeemPayWithPoints',
      targetType: 'transaction',
      targetId: id,
      idempotencyKey,
      request: input,
    },
    async (tx) => {
      // Inside the mutation so a malformed request is audited as rejected, like a rule refusal.
      if (!id) throw invalid('A transaction id is required.');
      const found = await transactionsQuery(tx, caller).where('t.id', '=', id).executeTakeFirst();
      if (!found) throw notFound('Transaction');
      const accountId = found.account_id;
      // Row lock on the account: the balance check and the debit must see the same balance.
      await tx
        .updateTable('accounts')
        .set((eb) => ({ rewards_balance: eb.ref('rewards_balance') }))
        .where('id', '=', accountId)
        .execute();
      // Re-read after the lock: a concurrent redemption of the same charge may have committed meanwhile.
      const t = await transactionsQuery(tx, caller).where('t.id', '=', id).executeTakeFirstOrThrow();
      const account = await tx
        .selectFrom('accounts as a')
        .innerJoin('products as p', 'p.id', 'a.product_id')
        .select(['a.rewards_balance', 'p.pay_with_points', 'p.pwp_value'])
        .where('a.id', '=', accountId)
        .executeTakeFirstOrThrow();
      const today = todayOf(ctx);
      const { points, creditCents } = decided(
        evaluatePayWithPoints({
          product: { payWithPoints: Number(account.pay_with_points) === 1, pwpValue: Number(account.pwp_value) },
          charge: {
            status: t.status,
            amountCents: Number(t.amount_cents),
            category: t.category,
            date: t.transaction_date,
            redeemed: Number(t.pwp_redeemed) === 1,
          },
          ageDays: daysBetween(t.transaction_date, today),
          balancePoints: Number(account.rewards_balance),
        }),
      );
      const now = nowIso(ctx);
      await tx
        .insertInto('rewards_ledger')
        .values({
          id: newId('rwd'),
          account_id: accountId,
          points: -points,
          kind: 'redeem',
          description: `Pay with Points: ${t.merchant}`,
          transaction_id: t.id,
          status: 'posted',
          created_at: now,
        })
        .execute();
      await tx
        .updateTable('accounts')
        .set((eb) => ({
          rewards_balance: eb('rewards_balance', '-', points),
          current_balance_cents: eb('current_balance_cents', '-', creditCents),
        }))
        .where('id', '=', accountId)
        .execute();
      await tx.updateTable('transactions').set({ pwp_redeemed: 1 }).where('id', '=', t.id).execute();
      await tx
        .insertInto('credits')
        .values({
          id: newId('cr'),
          account_id: accountId,
          kind: 'pay_with_points',
          amount_cents: creditCents,
          posted_on: today,
          reference: t.id,
        })
        .execute();
      const balancePoints = Number(account.rewards_balance) - points;
      return {
        result: { transactionId: t.id, pointsRedeemed: points, creditCents, balancePoints },
        details: { accountId, transactionId: t.id, points, creditCents, balancePoints },
      };
    },
  );
}

/** See AccountsPort.listBenefits. */
export async function listBenefits(ctx: OpsContext, caller: Caller, cardId: string): Promise<Benefit[]> {
  const card = await cardFor(ctx.db, caller, cardId);
  const defs = parseBenefits(card.p.benefits);
  const year = Number(todayOf(ctx).slice(0, 4));
  const credits = defs.some((b) => b.kind === 'statement_credit')
    ? await ctx.db
        .selectFrom('credits')
        .select(['kind', 'amount_cents', 'posted_on', 'reference'])
        .where('account_id', '=', card.account_id!)
        .where('kind', '=', 'statement_credit')
        .where('posted_on', '>=', `${year}-01-01`)
        .where('posted_on', '<=', `${year}-12-31`)
        .execute()
    : [];
  const used = credits.map((c) => ({
    kind: c.kind,
    amountCents: Number(c.amount_cents),
    postedOn: c.posted_on,
    reference: c.reference,
  }));
  await auditRead(ctx, caller, 'listBenefits', 'account', card.account_id);
  return defs.map((b) => ({
    id: b.id,
    kind: b.kind,
    name: b.name,
    terms: b.terms,
    annualAmountCents: b.kind === 'statement_credit' ? b.annualAmountCents : null,
    usedThisYearCents: b.kind === 'statement_credit' ? statementCreditUsed(b, used, year) : null,
  }));
}
