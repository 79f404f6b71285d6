import type { Kysely } from 'kysely';

/**
 * Cases (docs/cases.md): every handled matter gets a reference. A case has a type, a status with its
 * history (`case_events`, which is also the timeline the cardmember sees), an owner team, links to the
 * conversations and account actions behind it, and for disputes the FCBA deadlines. Deadline timers
 * are rows (`case_timers`) that any node may fire, each exactly once. Secure messages are the
 * cardmember's inbox on the issuer's site; upload links and uploads carry documents to a case;
 * `csat_responses` hold post-chat surveys. Conversations get their own reference when a person
 * handles them or an account changes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('cardmember_id', 'text', (c) => c.notNull().references('cardmembers.id'))
    .addColumn('card_id', 'text', (c) => c.references('cards.id'))
    .addColumn('owner_team_id', 'text', (c) => c.notNull().references('teams.id'))
    .addColumn('complaint_category', 'text')
    .addColumn('dispute_id', 'text', (c) => c.unique())
    .addColumn('acknowledge_by', 'text')
    .addColumn('resolve_by', 'text')
    .addColumn('acknowledged_at', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cases_cardmember').on('cases').columns(['cardmember_id', 'created_at']).execute();
  await db.schema.createIndex('cases_team_status').on('cases').columns(['owner_team_id', 'status']).execute();

  await db.schema
    .createTable('case_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    /** Order within the case's timeline (1, 2, ...); written under the case row's lock. */
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text')
    .addColumn('text', 'text')
    .addColumn('payload', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('visible_to_cardmember', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_events_case').on('case_events').columns(['case_id', 'seq']).unique().execute();

  await db.schema
    .createTable('case_links')
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_links_pk', ['case_id', 'kind', 'target_id'])
    .execute();
  await db.schema.createIndex('case_links_target').on('case_links').columns(['kind', 'target_id']).execute();

  await db.schema
    .createTable('case_timers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('fired_at', 'text')
    .addColumn('cancelled_at', 'text')
    .execute();
  await db.schema.createIndex('case_timers_due').on('case_timers').columns(['fired_at', 'due_at']).execute();
  await db.schema.createIndex('case_timers_case').on('case_timers').columns(['case_id', 'kind']).execute();

  await db.schema
    .createTable('secure_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cardmember_id', 'text', (c) => c.notNull().references('cardmembers.id'))
    .addColumn('case_id', 'text', (c) => c.references('cases.id'))
    .addColumn('conversation_id', 'text', (c) => c.references('conversations.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    /** Makes a message idempotent: the same key never sends twice (timers, retries). */
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .execute();
  await db.schema
    .createIndex('secure_messages_inbox')
    .on('secure_messages')
    .columns(['cardmember_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('upload_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('cardmember_id', 'text', (c) => c.notNull().references('cardmembers.id'))
    .addColumn('request', 'text')
    .addColumn('created_by_type', 'text', (c) => c.notNull())
    .addColumn('created_by_id', 'text')
    .addColumn('max_bytes', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('uploads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('cardmember_id', 'text', (c) => c.notNull().references('cardmembers.id'))
    .addColumn('link_id', 'text', (c) => c.notNull().references('upload_links.id'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('uploads_case').on('uploads').columns(['case_id', 'created_at']).execute();

  await db.schema
    .createTable('csat_responses')
    .addColumn('conversation_id', 'text', (c) => c.primaryKey().references('conversations.id'))
    .addColumn('cardmember_id', 'text', (c) => c.notNull().references('cardmembers.id'))
    .addColumn('agent_id', 'text')
    .addColumn('team_id', 'text')
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.alterTable('conversations').addColumn('reference', 'text').execute();
  await db.schema.createIndex('conversations_reference').on('conversations').column('reference').unique().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('conversations_reference').execute();
  await db.schema.alterTable('conversations').dropColumn('reference').execute();
  for (const t of [
    'csat_responses',
    'uploads',
    'upload_links',
    'secure_messages',
    'case_timers',
    'case_links',
    'case_events',
    'cases',
  ])
    await db.schema.dropTable(t).execute();
}
