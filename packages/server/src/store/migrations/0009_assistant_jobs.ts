import type { Kysely } from 'kysely';

/**
 * The assistant's turns as stored jobs (docs/assistant.md#turns-as-stored-jobs). A row is written in the
 * same transaction as the cardmember's message it answers and deleted in the transaction that stores the
 * assistant's replies, so "answered" and "job done" are one fact and a node that dies between the two
 * loses nothing: another node takes the job once its lease has run out.
 * - `message_seq`: the cardmember message the turn answers; one job per message, turns run in seq order;
 * - `attempts`: how many times a node took the job (each take adds one; the take's number is its token);
 * - `lease_until` / `leased_by`: until when, and by which node, the job is being worked on (null: free).
 * The sweep reads free or expired jobs oldest first (`assistant_jobs_sweep`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('assistant_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('message_seq', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_until', 'text')
    .addColumn('leased_by', 'text')
    .execute();
  await db.schema
    .createIndex('assistant_jobs_message')
    .on('assistant_jobs')
    .columns(['conversation_id', 'message_seq'])
    .unique()
    .execute();
  await db.schema.createIndex('assistant_jobs_sweep').on('assistant_jobs').columns(['created_at', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('assistant_jobs').execute();
}
