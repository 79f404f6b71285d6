import { sql, type Kysely } from 'kysely';

/**
 * Live-agent operations (docs/routing.md). Everything routing needs lives here, not in a process:
 * - teams: opening hours (JSON, null = 24/7), the phone line shown when nobody serves the queue, and
 *   the answer-time SLA;
 * - agents: `idle_since` orders free agents (idle longest first);
 * - conversations: escalation, wrap-up disposition, the accommodation the cardmember noted;
 * - offers: a waiting chat offered to one agent until it expires. At most one pending queue offer per
 *   conversation (a partial unique index), so two nodes can never offer the same chat twice;
 * - queue_stats: the smoothed handle time per (team, language) behind the wait estimate;
 * - canned_responses: templates with {{variables}}, per language and optionally per team.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('teams').addColumn('hours', 'text').execute();
  await db.schema.alterTable('teams').addColumn('phone', 'text').execute();
  await db.schema
    .alterTable('teams')
    .addColumn('answer_sla_seconds', 'integer', (c) => c.notNull().defaultTo(120))
    .execute();
  await db.schema.alterTable('agents').addColumn('idle_since', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('escalated_at', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('disposition', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('wrapped_up_at', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('accommodation', 'text').execute();

  await db.schema
    .createTable('offers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
    .addColumn('agent_id', 'text', (c) => c.notNull().references('agents.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_agent_id', 'text')
    .addColumn('note', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('offered_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .execute();
  await sql`CREATE UNIQUE INDEX offers_one_pending_queue_offer ON offers (conversation_id) WHERE state = 'pending' AND kind = 'queue'`.execute(
    db,
  );
  await db.schema.createIndex('offers_agent_state').on('offers').columns(['agent_id', 'state']).execute();
  await db.schema.createIndex('offers_state_expiry').on('offers').columns(['state', 'expires_at']).execute();
  await db.schema.createIndex('offers_conversation').on('offers').columns(['conversation_id', 'agent_id']).execute();

  await db.schema
    .createTable('queue_stats')
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('aht_seconds', 'real', (c) => c.notNull())
    .addColumn('samples', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('queue_stats_pk', ['team_id', 'language'])
    .execute();

  await db.schema
    .createTable('canned_responses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.references('teams.id'))
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('canned_responses_lang')
    .on('canned_responses')
    .columns(['language', 'team_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('canned_responses').execute();
  await db.schema.dropTable('queue_stats').execute();
  await db.schema.dropTable('offers').execute();
  for (const c of ['accommodation', 'wrapped_up_at', 'disposition', 'escalated_at']) {
    await db.schema.alterTable('conversations').dropColumn(c).execute();
  }
  await db.schema.alterTable('agents').dropColumn('idle_since').execute();
  for (const c of ['answer_sla_seconds', 'phone', 'hours']) await db.schema.alterTable('teams').dropColumn(c).execute();
}
