/** The `events` table: the record of what happened, written in the transaction that made it happen. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

export interface EventRecord {
  type: string;
  conversationId: string | null;
  actorType: string;
  actorId: string | null;
  /** Ids, codes and counts; never message bodies, card numbers or secrets. */
  payload: unknown;
  now: string;
}

/** Inserts one event row inside the caller's transaction (or on the database). */
export async function recordEvent(tx: Transaction<Database> | Kysely<Database>, e: EventRecord): Promise<void> {
  await tx
    .insertInto('events')
    .values({
      type: e.type,
      conversation_id: e.conversationId,
      actor_type: e.actorType,
      actor_id: e.actorId,
      payload: JSON.stringify(e.payload),
      created_at: e.now,
    })
    .execute();
}
