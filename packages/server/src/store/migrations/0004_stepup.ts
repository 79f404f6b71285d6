import type { Kysely } from 'kysely';

/**
 * Step-up verification. Each conversation carries its assurance level (`session` by default,
 * `verified` until `assurance_expires_at`) and points at its newest device prompt. Device prompts keep
 * only a SHA-256 of their secret link. Failed last-4 + ZIP challenges are counted per cardmember, so a
 * new chat does not reset the count, and lock the challenge until `locked_until`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('conversations')
    .addColumn('assurance_level', 'text', (c) => c.notNull().defaultTo('session'))
    .execute();
  for (const col of ['assurance_method', 'assurance_expires_at', 'stepup_prompt_id']) {
    await db.schema.alterTable('conversations').addColumn(col, 'text').execute();
  }

  await db.schema
    .createTable('stepup_prompts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
    .addColumn('cardmember_id', 'text', (c) => c.notNull().references('cardmembers.id'))
    .addColumn('device_id', 'text', (c) => c.notNull())
    /** The device's name when the prompt was sent ("iPhone 15"), as the cardmember saw it. */
    .addColumn('device_name', 'text', (c) => c.notNull())
    .addColumn('requested_by_type', 'text', (c) => c.notNull())
    .addColumn('requested_by_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .execute();
  await db.schema
    .createIndex('stepup_prompts_conversation')
    .on('stepup_prompts')
    .columns(['conversation_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('stepup_lockouts')
    .addColumn('cardmember_id', 'text', (c) => c.primaryKey().references('cardmembers.id'))
    .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('stepup_lockouts').execute();
  await db.schema.dropTable('stepup_prompts').execute();
  for (const col of ['stepup_prompt_id', 'assurance_expires_at', 'assurance_method', 'assurance_level']) {
    await db.schema.alterTable('conversations').dropColumn(col).execute();
  }
}
