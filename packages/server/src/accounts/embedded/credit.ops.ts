/** Embedded accounts core: credit operations. */
import {
  AccountsError,
  type AprDisclosure,
  type Caller,
  type CreditLimitDecision,
  type CreditLimitEligibility,
  type CreditLimitInfo,
  type ProductChangeInfo,
} from '../accounts.port.js';
import {
  aprDisclosure,
  creditLimitEligibility,
  decideCreditLimitIncrease,
  isPastDue,
  productChangeOption,
  type CreditLimitEligibilityDecision,
  type PaymentFacts,
} from '../rules/credit.rules.js';
import { minimumDueExcludingDisputes } from '../rules/billing.rules.js';
import type { AccountsTable } from '../../store/schema.js';
import { disputedOn } from './billing.ops.js';
import {
  accountForCard,
  auditRead,
  cardFor,
  invalid,
  mutate,
  newId,
  nowIso,
  presentProduct,
  todayOf,
  type CardRow,
  type OpsContext,
  type Tx,
} from './context.js';

/** Largest limit or income we accept ($100 million), far above any real request. */
const MAX_CENTS = 10_000_000_000;

const isCents = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n);

/**
 * Whether the account's latest statement minimum is unpaid past its due date. The minimum is the one
 * owed while disputes are open: a disputed amount is never counted as past due (Reg Z 1026.13(d)).
 */
async function pastDue(tx: Tx, accountId: string, today: string): Promise<boolean> {
  const statements = await tx
    .selectFrom('statements')
    .select(['closing_date', 'due_date', 'minimum_due_cents', 'new_balance_cents'])
    .where('account_id', '=', accountId)
    .orderBy('closing_date', 'desc')
    .limit(1)
    .execute();
  const latest = statements[0];
  if (!latest) return false;
  const payments = await tx
    .selectFrom('payments')
    .select(['amount_cents', 'status', 'scheduled_for', 'posted_on'])
    .where('account_id', '=', accountId)
    .where('status', 'in', ['posted', 'processing'])
    .execute();
  const minimumDueCents = minimumDueExcludingDisputes(
    { newBalanceCents: Number(latest.new_balance_cents), minimumDueCents: Number(latest.minimum_due_cents) },
    await disputedOn(tx, accountId, latest.closing_date),
  );
  return isPastDue(
    [{ closingDate: latest.closing_date, dueDate: latest.due_date, minimumDueCents }],
    payments.map((p): PaymentFacts => ({
      amountCents: Number(p.amount_cents),
      status: p.status,
      scheduledFor: p.scheduled_for,
      postedOn: p.posted_on,
    })),
    today,
  );
}

/** Gathers the facts of the increase policy for one account and applies it. */
async function eligibilityOf(
  tx: Tx,
  card: CardRow,
  account: AccountsTable,
  today: string,
): Promise<CreditLimitEligibilityDecision> {
  const lateFees = await tx
    .selectFrom('fees')
    .select('assessed_on')
    .where('account_id', '=', account.id)
    .where('kind', '=', 'late')
    .execute();
  const declined = await tx
    .selectFrom('credit_limit_requests')
    .select('decided_at')
    .where('account_id', '=', account.id)
    .where('decision', '=', 'declined')
    .execute();
  return creditLimitEligibility({
    today,
    productType: card.p.type,
    accountStatus: account.status,
    openedOn: account.opened_on,
    creditLimitCents: Number(account.credit_limit_cents),
    lastLimitChangeOn: account.last_limit_change_on,
    lateFeeDates: lateFees.map((f) => f.assessed_on),
    pastDue: await pastDue(tx, account.id, today),
    declinedRequestDates: declined.map((r) => r.decided_at.slice(0, 10)),
  });
}

/** See AccountsPort.getCreditLimit. */
export async function getCreditLimit(ctx: OpsContext, caller: Caller, cardId: string): Promise<CreditLimitInfo> {
  const { account } = await accountForCard(ctx.db, caller, cardId);
  await auditRead(ctx, caller, 'getCreditLimit', 'account', account.id);
  const limit = Number(account.credit_limit_cents);
  const balance = Number(account.current_balance_cents);
  return {
    accountId: account.id,
    creditLimitCents: limit,
    currentBalanceCents: balance,
    availableCreditCents: Math.max(0, limit - balance),
  };
}

/** See AccountsPort.checkCreditLimitIncrease. */
export async function checkCreditLimitIncrease(
  ctx: OpsContext,
  caller: Caller,
  cardId: string,
): Promise<CreditLimitEligibility> {
  const { card, account } = await accountForCard(ctx.db, caller, cardId);
  const e = await eligibilityOf(ctx.db, card, account, todayOf(ctx));
  await auditRead(ctx, caller, 'checkCreditLimitIncrease', 'account', account.id);
  return { accountId: account.id, eligible: e.eligible, reasons: e.reasons, maxNewLimitCents: e.maxNewLimitCents };
}

/** See AccountsPort.requestCreditLimitIncrease. */
export async function requestCreditLimitIncrease(
  ctx: OpsContext,
  caller: Caller,
  input: { cardId: string; requestedLimitCents: number; annualIncomeCents: number },
  idempotencyKey: string,
): Promise<CreditLimitDecision> {
  if (!input || typeof input !== 'object') throw invalid('A credit limit request needs a card, a limit and an income.');
  const { cardId, requestedLimitCents, annualIncomeCents } = input;
  if (!isCents(requestedLimitCents) || requestedLimitCents <= 0 || requestedLimitCents > MAX_CENTS)
    throw invalid('The requested limit must be a whole number of cents above zero.');
  if (!isCents(annualIncomeCents) || annualIncomeCents <= 0 || annualIncomeCents > MAX_CENTS)
    throw invalid('The annual income must be a whole number of cents above zero.');
  return mutate(
    ctx,
    caller,
    {
      operation: 'requestCreditLimitIncrease',
      targetType: 'account',
      idempotencyKey,
      request: { cardId, requestedLimitCents, annualIncomeCents },
    },
    async (tx) => {
      const { card, account } = await accountForCard(tx, caller, cardId);
      const today = todayOf(ctx);
      const previous = Number(account.credit_limit_cents);
      if (requestedLimitCents <= previous) {
        throw new AccountsError(
          'invalid_input',
          'The requested limit must be higher than the current limit.',
          'requested_not_higher',
          { currentLimitCents: previous },
        );
      }
      const eligibility = await eligibilityOf(tx, card, account, today);
      const outcome = decideCreditLimitIncrease(eligibility, previous, requestedLimitCents, annualIncomeCents);
      const requestId = newId('cli');
      // A decline is recorded too: it starts the 90-day wait before the next request.
      await tx
        .insertInto('credit_limit_requests')
        .values({
          id: requestId,
          account_id: account.id,
          requested_cents: requestedLimitCents,
          annual_income_cents: annualIncomeCents,
          decision: outcome.decision,
          new_limit_cents: outcome.newLimitCents,
          reasons: JSON.stringify(outcome.reasons),
          decided_at: nowIso(ctx),
        })
        .execute();
      if (outcome.decision === 'approved') {
        // Guarded on the limit we decided from: a concurrent change makes this request retryable, not lost.
        const updated = await tx
          .updateTable('accounts')
          .set({ credit_limit_cents: outcome.newLimitCents, last_limit_change_on: today })
          .where('id', '=', account.id)
          .where('credit_limit_cents', '=', previous)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) {
          throw new AccountsError(
            'conflict',
            'The credit limit changed while this request was decided; please try again.',
          );
        }
      }
      const result: CreditLimitDecision = {
        accountId: account.id,
        decision: outcome.decision,
        previousLimitCents: previous,
        newLimitCents: outcome.newLimitCents,
        reasons: outcome.reasons,
      };
      return {
        result,
        targetId: account.id,
        details: {
          requestId,
          cardId: card.id,
          decision: outcome.decision,
          previousLimitCents: previous,
          requestedLimitCents,
          newLimitCents: outcome.newLimitCents,
          reasons: outcome.reasons,
        },
      };
    },
  );
}

/** See AccountsPort.getAprDisclosures. */
export async function getAprDisclosures(ctx: OpsContext, caller: Caller, cardId: string): Promise<AprDisclosure> {
  const card = await cardFor(ctx.db, caller, cardId);
  await auditRead(ctx, caller, 'getAprDisclosures', 'account', card.account_id);
  const p = card.p;
  const d = aprDisclosure({
    productType: p.type,
    purchaseAprBps: p.purchase_apr_bps,
    cashAprBps: p.cash_apr_bps,
    btAprBps: p.bt_apr_bps,
    penaltyAprBps: p.penalty_apr_bps,
  });
  return {
    accountId: card.account_id ?? '',
    purchaseAprBps: p.purchase_apr_bps,
    cashAdvanceAprBps: p.cash_apr_bps,
    balanceTransferAprBps: p.bt_apr_bps,
    penaltyAprBps: p.penalty_apr_bps,
    variable: d.variable,
    primeRateBps: d.primeRateBps,
    text: d.text,
  };
}

/** See AccountsPort.getProductChangeInfo. */
export async function getProductChangeInfo(
  ctx: OpsContext,
  caller: Caller,
  cardId: string,
): Promise<ProductChangeInfo> {
  const { card, account } = await accountForCard(ctx.db, caller, cardId);
  const today = todayOf(ctx);
  const others = await ctx.db
    .selectFrom('products')
    .selectAll()
    .where('type', '=', card.p.type)
    .where('id', '!=', card.p.id)
    .execute();
  const due = await pastDue(ctx.db, account.id, today);
  await auditRead(ctx, caller, 'getProductChangeInfo', 'account', account.id);
  const options = others
    .map((p) => ({ ...p, tier: Number(p.tier), annual_fee_cents: Number(p.annual_fee_cents) }))
    // Highest tier first, then by fee, so the list reads like the issuer's product ladder.
    .sort((a, b) => b.tier - a.tier || b.annual_fee_cents - a.annual_fee_cents || a.id.localeCompare(b.id))
    .map((p) => {
      const o = productChangeOption({
        today,
        openedOn: account.opened_on,
        pastDue: due,
        current: { tier: card.p.tier, annualFeeCents: card.p.annual_fee_cents },
        candidate: { name: p.name, tier: p.tier, annualFeeCents: p.annual_fee_cents },
      });
      return { product: presentProduct(p), change: o.change, eligible: o.eligible, note: o.note };
    });
  return { current: presentProduct(card.p), options };
}
