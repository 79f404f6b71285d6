/**
 * Shared machinery of the embedded accounts core: scoping every lookup to the caller's cardmember,
 * idempotency keys, the audit trail, and presenters that only ever expose the last 4 digits.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Transaction as KyselyTx } from 'kysely';
import type { Clock } from '../../shared/clock.js';
import { isUniqueViolation, type Db } from '../../store/db.js';
import type { AccountsTable, CardsTable, Database, ProductsTable, TransactionsTable } from '../../store/schema.js';
import { AccountsError, type CardSummary, type Caller, type Product, type Transaction } from '../accounts.port.js';
import { today } from '../rules/dates.js';
import type { PanVault } from './pan-vault.js';

export type Tx = KyselyTx<Database> | Db;

export interface OpsContext {
  db: Db;
  clock: Clock;
  vault: PanVault;
}

export const todayOf = (ctx: OpsContext): string => today(ctx.clock);
export const nowIso = (ctx: OpsContext): string => ctx.clock.now().toISOString();
export const newId = (prefix: string): string => `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 20)}`;

export const invalid = (message: string, details?: Record<string, unknown>) =>
  new AccountsError('invalid_input', message, undefined, details);
export const ruleViolation = (rule: string, message: string, details?: Record<string, unknown>) =>
  new AccountsError('rule_violation', message, rule, details);
export const notFound = (what: string) => new AccountsError('not_found', `${what} not found.`);

/** What a pure rule answers (`rules/*.rules.ts`): the facts it decided, bad input, or a broken rule. */
export type RuleAnswer<T> =
  | ({ ok: true } & T)
  | { ok: false; code: 'invalid_input'; message: string }
  | { ok: false; code: 'rule_violation'; rule: string; message: string };

/** A rule's refusal as the port's typed error; its facts otherwise. */
export function enforce<T>(d: RuleAnswer<T>): { ok: true } & T {
  if (d.ok) return d;
  if (d.code === 'invalid_input') throw invalid(d.message);
  throw ruleViolation(d.rule, d.message);
}

/** Rejects a caller that names nobody. */
export function checkCaller(caller: Caller): void {
  if (!caller || typeof caller.onBehalfOf !== 'string' || !caller.onBehalfOf)
    throw invalid('A caller must name the cardmember.');
  if (!['cardmember', 'assistant', 'agent', 'system'].includes(caller.actorType)) throw invalid('Unknown caller type.');
}

// ------------------------------------------------------------------ scoped lookups

export interface CardRow extends CardsTable {
  a_cardmember_id: string;
  a_credit_limit_cents: number;
  a_current_balance_cents: number;
  a_opened_on: string;
  a_due_day: number;
  a_status: AccountsTable['status'];
  p: ProductsTable;
}

/** Loads a card with its account and product, only if it belongs to the caller's cardmember. */
export async function cardFor(tx: Tx, caller: Caller, cardId: unknown): Promise<CardRow> {
  checkCaller(caller);
  if (typeof cardId !== 'string' || !cardId || cardId.length > 64) throw notFound('Card');
  const row = await tx
    .selectFrom('cards as k')
    .innerJoin('accounts as a', 'a.id', 'k.account_id')
    .innerJoin('products as p', 'p.id', 'a.product_id')
    .selectAll('k')
    .select([
      'a.cardmember_id as a_cardmember_id',
      'a.credit_limit_cents as a_credit_limit_cents',
      'a.current_balance_cents as a_current_balance_cents',
      'a.opened_on as a_opened_on',
      'a.due_day as a_due_day',
      'a.status as a_status',
      'p.id as p_id',
      'p.name as p_name',
      'p.type as p_type',
      'p.tier as p_tier',
      'p.annual_fee_cents as p_annual_fee_cents',
      'p.purchase_apr_bps as p_purchase_apr_bps',
      'p.cash_apr_bps as p_cash_apr_bps',
      'p.bt_apr_bps as p_bt_apr_bps',
      'p.penalty_apr_bps as p_penalty_apr_bps',
      'p.rewards_program as p_rewards_program',
      'p.points_per_dollar as p_points_per_dollar',
      'p.pay_with_points as p_pay_with_points',
      'p.pwp_value as p_pwp_value',
      'p.lounge_access as p_lounge_access',
      'p.benefits as p_benefits',
      'p.trip_protection as p_trip_protection',
    ])
    .where('k.id', '=', cardId)
    .where('k.cardmember_id', '=', caller.onBehalfOf)
    .executeTakeFirst();
  if (!row) throw notFound('Card');
  const p: ProductsTable = {
    id: row.p_id,
    name: row.p_name,
    type: row.p_type,
    tier: Number(row.p_tier),
    annual_fee_cents: Number(row.p_annual_fee_cents),
    purchase_apr_bps: Number(row.p_purchase_apr_bps),
    cash_apr_bps: Number(row.p_cash_apr_bps),
    bt_apr_bps: Number(row.p_bt_apr_bps),
    penalty_apr_bps: Number(row.p_penalty_apr_bps),
    rewards_program: row.p_rewards_program,
    points_per_dollar: Number(row.p_points_per_dollar),
    pay_with_points: Number(row.p_pay_with_points),
    pwp_value: Number(row.p_pwp_value),
    lounge_access: Number(row.p_lounge_access),
    benefits: row.p_benefits,
    trip_protection: row.p_trip_protection,
  };
  const card: Record<string, unknown> = { ...row };
  for (const k of Object.keys(card)) if (k.startsWith('p_')) delete card[k];
  return {
    ...(card as unknown as CardsTable),
    a_cardmember_id: row.a_cardmember_id,
    a_credit_limit_cents: Number(row.a_credit_limit_cents),
    a_current_balance_cents: Number(row.a_current_balance_cents),
    a_opened_on: row.a_opened_on,
    a_due_day: Number(row.a_due_day),
    a_status: row.a_status,
    p,
  };
}

/** Loads the account of a card the caller owns. */
export async function accountForCard(
  tx: Tx,
  caller: Caller,
  cardId: unknown,
): Promise<{ card: CardRow; account: AccountsTable }> {
  const card = await cardFor(tx, caller, cardId);
  const account = await tx
    .selectFrom('accounts')
    .selectAll()
    .where('id', '=', card.account_id!)
    .executeTakeFirstOrThrow();
  return { card, account };
}

// ------------------------------------------------------------------ presenters (last 4 only)

export function presentProduct(p: ProductsTable): Product {
  return {
    id: p.id,
    name: p.name,
    type: p.type,
    annualFeeCents: Number(p.annual_fee_cents),
    rewardsProgram: p.rewards_program,
    payWithPoints: Number(p.pay_with_points) === 1,
    loungeAccess: Number(p.lounge_access) === 1,
  };
}

export function presentCard(card: CardsTable, product: ProductsTable): CardSummary {
  const [y, m] = (card.expiry ?? '0000-00').split('-');
  return {
    id: card.id,
    accountId: card.account_id ?? '',
    last4: card.last4,
    product: presentProduct(product),
    status: card.status as CardSummary['status'],
    activated: card.activated_at !== null,
    role: card.role ?? 'primary',
    holderName: card.holder_name ?? '',
    expiry: `${m}/${(y ?? '').slice(2)}`,
  };
}

export type TransactionRow = TransactionsTable & { card_last4: string };

export function presentTransaction(t: TransactionRow): Transaction {
  return {
    id: t.id,
    cardId: t.card_id,
    cardLast4: t.card_last4,
    date: t.transaction_date,
    postedOn: t.posted_on,
    merchant: t.merchant,
    category: t.category,
    amount: { amountCents: Number(t.amount_cents), currency: t.currency },
    status: t.status,
    statementId: t.statement_id,
    foreign: Number(t.is_foreign) === 1,
    redeemedWithPoints: Number(t.pwp_redeemed) === 1,
  };
}

// ------------------------------------------------------------------ audit and idempotency

export interface AuditEntry {
  operation: string;
  targetType: string;
  targetId: string | null;
  outcome: 'ok' | 'rejected' | 'error';
  idempotencyKey?: string | null;
  /** Never a full card number or secret: ids, amounts, rule ids. */
  details?: Record<string, unknown>;
}

export async function audit(tx: Tx, ctx: OpsContext, caller: Caller, e: AuditEntry): Promise<void> {
  await tx
    .insertInto('audit_log')
    .values({
      id: newId('aud'),
      at: nowIso(ctx),
      actor_type: caller.actorType,
      actor_id: caller.actorId,
      on_behalf_of: caller.onBehalfOf,
      conversation_id: caller.conversationId ?? null,
      operation: e.operation,
      target_type: e.targetType,
      target_id: e.targetId,
      outcome: e.outcome,
      idempotency_key: e.idempotencyKey ?? null,
      details: JSON.stringify(e.details ?? {}),
    })
    .execute();
}

/** Agents' reads of account data are audited (who looked at what, for which chat). */
export async function auditRead(
  ctx: OpsContext,
  caller: Caller,
  operation: string,
  targetType: string,
  targetId: string | null,
): Promise<void> {
  if (caller.actorType !== 'agent') return;
  await audit(ctx.db, ctx, caller, { operation, targetType, targetId, outcome: 'ok' });
}

const hashRequest = (request: unknown) =>
  createHash('sha256')
    .update(JSON.stringify(request ?? null))
    .digest('hex');

export interface MutationSpec {
  operation: string;
  targetType: string;
  targetId?: string | null;
  idempotencyKey: string;
  /** The inputs, to detect a key reused for a different request. */
  request: unknown;
}

/**
 * Runs a mutating operation once per idempotency key, in one transaction with its audit record.
 * A repeat with the same key and request returns the stored result; the same key with another request
 * is a conflict. A business-rule refusal is audited as `rejected` and rethrown unchanged.
 */
export async function mutate<T>(
  ctx: OpsContext,
  caller: Caller,
  spec: MutationSpec,
  fn: (tx: KyselyTx<Database>) => Promise<{ result: T; targetId?: string | null; details?: Record<string, unknown> }>,
): Promise<T> {
  checkCaller(caller);
  const key = spec.idempotencyKey;
  if (typeof key !== 'string' || key.length < 8 || key.length > 128) {
    throw invalid('An idempotency key of 8 to 128 characters is required.');
  }
  const requestHash = hashRequest(spec.request);
  const replay = async (): Promise<T | undefined> => {
    const prior = await ctx.db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('cardmember_id', '=', caller.onBehalfOf)
      .where('operation', '=', spec.operation)
      .where('key', '=', key)
      .executeTakeFirst();
    if (!prior) return undefined;
    if (prior.request_hash !== requestHash) {
      throw new AccountsError(
        'conflict',
        'This idempotency key was already used for a different request.',
        'idempotency_key_reused',
      );
    }
    return JSON.parse(prior.response) as T;
  };
  const earlier = await replay();
  if (earlier !== undefined) return earlier;
  try {
    return await ctx.db.transaction().execute(async (tx) => {
      const out = await fn(tx);
      await tx
        .insertInto('idempotency_keys')
        .values({
          cardmember_id: caller.onBehalfOf,
          operation: spec.operation,
          key,
          request_hash: requestHash,
          response: JSON.stringify(out.result),
          created_at: nowIso(ctx),
        })
        .execute();
      await audit(tx, ctx, caller, {
        operation: spec.operation,
        targetType: spec.targetType,
        targetId: out.targetId ?? spec.targetId ?? null,
        outcome: 'ok',
        idempotencyKey: key,
        details: out.details,
      });
      return out.result;
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      // A concurrent retry with the same key committed first: answer with its result.
      const raced = await replay();
      if (raced !== undefined) return raced;
    }
    if (err instanceof AccountsError && (err.code === 'rule_violation' || err.code === 'invalid_input')) {
      await audit(ctx.db, ctx, caller, {
        operation: spec.operation,
        targetType: spec.targetType,
        targetId: spec.targetId ?? null,
        outcome: 'rejected',
        idempotencyKey: key,
        details: { rule: err.rule ?? err.code },
      }).catch(() => undefined);
    }
    throw err;
  }
}
