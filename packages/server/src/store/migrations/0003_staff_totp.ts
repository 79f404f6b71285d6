import type { Kysely } from 'kysely';

/**
 * Staff second factor and session hygiene: each agent's TOTP secret (AES-256-GCM ciphertext, see
 * identity/secret-box.ts), the last accepted time step (replay protection), failure counting and
 * lockout; single-use sign-in challenges between the password and the code (only a SHA-256 of the
 * challenge is stored); and when a session was last used, for the idle timeout.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [col, type] of [
    ['totp_secret_ciphertext', 'text'],
    ['totp_enrolled_at', 'text'],
    ['totp_last_step', 'integer'],
    ['failed_logins_since', 'text'],
    ['locked_until', 'text'],
  ] as const) {
    await db.schema.alterTable('agents').addColumn(col, type).execute();
  }
  await db.schema
    .alterTable('agents')
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema.alterTable('sessions').addColumn('last_seen_at', 'text').execute();

  await db.schema
    .createTable('login_challenges')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('agent_id', 'text', (c) => c.notNull().references('agents.id'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_challenges_expiry').on('login_challenges').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('login_challenges').execute();
  await db.schema.alterTable('sessions').dropColumn('last_seen_at').execute();
  for (const col of [
    'failed_logins',
    'locked_until',
    'failed_logins_since',
    'totp_last_step',
    'totp_enrolled_at',
    'totp_secret_ciphertext',
  ]) {
    await db.schema.alterTable('agents').dropColumn(col).execute();
  }
}
