/** Embedded accounts core: billing-error disputes (opening one, listing and reading them). */
import { randomBytes } from 'node:crypto';
import type { DisputesTable } from '../../store/schema.js';
import { AccountsError, type Caller, type Dispute, type OpenDisputeInput } from '../accounts.port.js';
import {
  disputeDeadlines,
  disputeReference,
  DISPUTE_REFERENCE_RANDOM_BYTES,
  ineligibleMessage,
  normalizeDisputeReference,
  openDisputeEligibility,
  openDisputeRequest,
} from '../rules/disputes.rules.js';
import {
  auditRead,
  cardFor,
  checkCaller,
  enforce,
  mutate,
  newId,
  notFound,
  nowIso,
  ruleViolation,
  todayOf,
  type OpsContext,
  type Tx,
} from './context.js';

/** Where reference numbers get their randomness; tests pass their own to force a collision. */
export type RandomSource = (size: number) => Uint8Array;

/** A collision is one in a trillion; needing this many tries in a row means something else is wrong. */
const REFERENCE_ATTEMPTS = 5;

type DisputeRow = DisputesTable & { merchant: string; card_last4: string };

/** The caller's cardmember's disputes only, with the charge's merchant and the card's last 4 digits. */
const disputesOf = (db: Tx, caller: Caller) =>
  db
    .selectFrom('disputes as d')
    .innerJoin('transactions as t', 't.id', 'd.transaction_id')
    .innerJoin('cards as k', 'k.id', 'd.card_id')
    .selectAll('d')
    .select(['t.merchant as merchant', 'k.last4 as card_last4'])
    .where('d.cardmember_id', '=', caller.onBehalfOf);

function presentDispute(d: DisputeRow): Dispute {
  return {
    id: d.id,
    reference: d.reference,
    cardId: d.card_id,
    cardLast4: d.card_last4,
    transactionId: d.transaction_id,
    merchant: d.merchant,
    amountCents: Number(d.amount_cents),
    reason: d.reason,
    description: d.description,
    status: d.status,
    noticeDate: d.notice_date,
    statementClosingDate: d.statement_closing_date,
    acknowledgeBy: d.acknowledge_by,
    resolveBy: d.resolve_by,
    createdAt: d.created_at,
    updatedAt: d.updated_at,
  };
}

/**
 * Inserts the dispute under a fresh reference, drawing again when another node took it first.
 * `on conflict do nothing` rather than catching the error: on PostgreSQL a failed statement would
 * abort the whole transaction.
 */
async function insertWithReference(
  tx: Tx,
  row: Omit<DisputesTable, 'reference'>,
  random: RandomSource,
): Promise<DisputesTable> {
  for (let attempt = 0; attempt < REFERENCE_ATTEMPTS; attempt++) {
    const withReference = { ...row, reference: disputeReference(random(DISPUTE_REFERENCE_RANDOM_BYTES)) };
    const r = await tx
      .insertInto('disputes')
      .values(withReference)
      .onConflict((oc) => oc.column('reference').doNothing())
      .executeTakeFirst();
    if (Number(r.numInsertedOrUpdatedRows ?? 0) === 1) return withReference;
  }
  throw new AccountsError('unavailable', 'Could not assign a dispute reference; please try again.');
}

/** See AccountsPort.openDispute. */
export async function openDispute(
  ctx: OpsContext,
  caller: Caller,
  input: OpenDisputeInput,
  idempotencyKey: string,
  random: RandomSource = randomBytes,
): Promise<Dispute> {
  const named = (input as { transactionId?: unknown } | null)?.transactionId;
  const transactionId = typeof named === 'string' && named.length <= 64 ? named : null;
  return mutate(
    ctx,
    caller,
    { operation: 'openDispute', targetType: 'transaction', targetId: transactionId, idempotencyKey, request: input },
    async (tx) => {
      // Inside the mutation so a malformed request is audited as rejected, like a rule refusal.
      const today = todayOf(ctx);
      const { request } = enforce(openDisputeRequest(input, today));
      const t = await tx
        .selectFrom('transactions as t')
        .innerJoin('accounts as a', 'a.id', 't.account_id')
        .innerJoin('cards as k', 'k.id', 't.card_id')
        // As in checkDisputeEligibility: only the same account's statement counts.
        .leftJoin('statements as s', (j) =>
          j.onRef('s.id', '=', 't.statement_id').onRef('s.account_id', '=', 't.account_id'),
        )
        .select([
          't.id',
          't.account_id',
          't.card_id',
          't.transaction_date',
          't.merchant',
          't.amount_cents',
          't.status',
          't.dispute_id',
          'k.last4 as card_last4',
          's.closing_date',
        ])
        .where('t.id', '=', request.transactionId)
        .where('a.cardmember_id', '=', caller.onBehalfOf)
        .executeTakeFirst();
      if (!t) throw notFound('Transaction');
      const noticeDate = request.noticeDate ?? today;
      const { eligibility } = enforce(
        openDisputeEligibility({
          noticeDate,
          transactionDate: t.transaction_date,
          amountCents: Number(t.amount_cents),
          status: t.status,
          statementClosingDate: t.closing_date ?? null,
          disputed: t.dispute_id !== null && t.dispute_id !== undefined,
        }),
      );
      const id = newId('dsp');
      // Claim the charge first: of two concurrent disputes of it, the second finds it taken.
      const claimed = await tx
        .updateTable('transactions')
        .set({ dispute_id: id })
        .where('id', '=', t.id)
        .where('dispute_id', 'is', null)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) {
        throw ruleViolation('dispute.already_disputed', ineligibleMessage('already_disputed', null));
      }
      const closings = await tx
        .selectFrom('statements')
        .select('closing_date')
        .where('account_id', '=', t.account_id)
        .execute();
      const deadlines = disputeDeadlines(
        noticeDate,
        closings.map((c) => c.closing_date),
      );
      const now = nowIso(ctx);
      const row = await insertWithReference(
        tx,
        {
          id,
          cardmember_id: caller.onBehalfOf,
          account_id: t.account_id,
          card_id: t.card_id,
          transaction_id: t.id,
          // The whole charge, whatever the reason: a partial amount is for the disputes team to settle.
          amount_cents: Number(t.amount_cents),
          reason: request.reason,
          description: request.description,
          status: 'open',
          notice_date: noticeDate,
          statement_closing_date: eligibility.statementClosingDate,
          acknowledge_by: deadlines.acknowledgeBy,
          resolve_by: deadlines.resolveBy,
          created_at: now,
          updated_at: now,
        },
        random,
      );
      return {
        result: presentDispute({ ...row, merchant: t.merchant, card_last4: t.card_last4 }),
        targetId: t.id,
        // Ids, dates and amounts only: the cardmember's description stays out of the audit trail.
        details: {
          disputeId: row.id,
          reference: row.reference,
          accountId: row.account_id,
          amountCents: row.amount_cents,
          reason: row.reason,
          noticeDate: row.notice_date,
          acknowledgeBy: row.acknowledge_by,
          resolveBy: row.resolve_by,
          resolveLimit: deadlines.resolveLimit,
        },
      };
    },
  );
}

/** See AccountsPort.listDisputes. */
export async function listDisputes(ctx: OpsContext, caller: Caller, cardId?: string): Promise<Dispute[]> {
  checkCaller(caller);
  // A named card must be the caller's own; its id alone is never trusted.
  const card = cardId !== undefined ? await cardFor(ctx.db, caller, cardId) : null;
  let q = disputesOf(ctx.db, caller);
  if (card) q = q.where('d.card_id', '=', card.id);
  const rows = await q.orderBy('d.created_at', 'desc').orderBy('d.id', 'desc').execute();
  await auditRead(ctx, caller, 'listDisputes', card ? 'card' : 'cardmember', card ? card.id : caller.onBehalfOf);
  return rows.map(presentDispute);
}

/** See AccountsPort.getDispute. */
export async function getDispute(ctx: OpsContext, caller: Caller, disputeIdOrReference: string): Promise<Dispute> {
  checkCaller(caller);
  if (typeof disputeIdOrReference !== 'string' || !disputeIdOrReference || disputeIdOrReference.length > 64)
    throw notFound('Dispute');
  const reference = normalizeDisputeReference(disputeIdOrReference);
  const row = await disputesOf(ctx.db, caller)
    .where(reference !== null ? 'd.reference' : 'd.id', '=', reference ?? disputeIdOrReference)
    .executeTakeFirst();
  if (!row) throw notFound('Dispute');
  await auditRead(ctx, caller, 'getDispute', 'dispute', row.id);
  return presentDispute(row);
}
