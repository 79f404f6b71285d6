import type { Kysely } from 'kysely';

/**
 * The assistant's dialogue state, one row per conversation: the task in progress (intent, filled
 * slots, the question awaiting an answer), failed-understanding count and what was done so far. It
 * lives in the store, not in a process, so any node can take the next turn.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('assistant_states')
    .addColumn('conversation_id', 'text', (c) => c.primaryKey().references('conversations.id'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('assistant_states').execute();
}
