/**
 * Audit records written by the access layer, in the same `audit_log` the accounts core uses, so one
 * query answers "who looked at this cardmember's data, and why".
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Db } from '../store/db.js';
import type { Database } from '../store/schema.js';

export const VIEWED_WITH_REASON = 'conversation.viewed_with_reason';

/** The reason an administrator must give to read a conversation: a sentence, not a checkbox. */
export const REASON_MIN_CHARS = 10;
export const REASON_MAX_CHARS = 500;

/** Records that a staff member read a conversation for a stated (already redacted) reason. */
export async function recordReasonedRead(
  db: Db | Transaction<Database>,
  e: { actorType: string; actorId: string; cardmemberId: string; conversationId: string; reason: string; at: string },
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: `aud_${randomUUID().replace(/-/g, '').slice(0, 20)}`,
      at: e.at,
      actor_type: e.actorType,
      actor_id: e.actorId,
      on_behalf_of: e.cardmemberId,
      conversation_id: e.conversationId,
      operation: VIEWED_WITH_REASON,
      target_type: 'conversation',
      target_id: e.conversationId,
      outcome: 'ok',
      idempotency_key: null,
      details: JSON.stringify({ reason: e.reason }),
    })
    .execute();
}
