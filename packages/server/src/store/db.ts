/**
 * Opens the store: embedded SQLite (default) or PostgreSQL, through one typed query layer (Kysely),
 * and brings the schema up to date with the same migrations on both.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type LogEvent, type Migration } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config.js';
import * as m0001 from './migrations/0001_init.js';
import * as m0002 from './migrations/0002_accounts.js';
import * as m0003staffTotp from './migrations/0003_staff_totp.js';
import * as m0004stepup from './migrations/0004_stepup.js';
import * as m0005disputes from './migrations/0005_disputes.js';
import * as m0006assistant from './migrations/0006_assistant.js';
import * as m0007liveAgents from './migrations/0007_live_agents.js';
import * as m0008cases from './migrations/0008_cases.js';
import * as m0009assistantJobs from './migrations/0009_assistant_jobs.js';
import * as m0010presence from './migrations/0010_presence.js';
import type { Database } from './schema.js';
import { withStatementCache } from './statement-cache.js';
import { withPreparedStatements } from './prepared-statements.js';
import { startCheckpointer, type Checkpointer } from './checkpointer.js';

/** SQLite: how often the checkpoint worker runs, and the writer's own threshold (pages) behind it. */
const CHECKPOINT_INTERVAL_MS = 200;
const BACKSTOP_CHECKPOINT_PAGES = 10_000;

export type Db = Kysely<Database>;
export interface Store {
  db: Db;
  kind: 'sqlite' | 'postgres';
  close(): Promise<void>;
}

const migrations: Record<string, Migration> = {
  '0001_init': m0001,
  '0002_accounts': m0002,
  '0003_staff_totp': m0003staffTotp,
  '0004_stepup': m0004stepup,
  '0005_disputes': m0005disputes,
  '0006_assistant': m0006assistant,
  '0007_live_agents': m0007liveAgents,
  '0008_cases': m0008cases,
  '0009_assistant_jobs': m0009assistantJobs,
  '0010_presence': m0010presence,
};

/** Told about every query after it ran (metrics): its SQL text, never its parameters. */
export type QueryObserver = (q: { sql: string; durationMs: number; failed: boolean }) => void;

/** Opens the database described by config and runs pending migrations. */
export async function openStore(config: DatabaseConfig, observe?: QueryObserver): Promise<Store> {
  let db: Db;
  let schema: string | undefined;
  let checkpointer: Checkpointer | null = null;
  const log = observe
    ? (e: LogEvent) => observe({ sql: e.query.sql, durationMs: e.queryDurationMillis, failed: e.level === 'error' })
    : undefined;
  if (config.kind === 'sqlite') {
    mkdirSync(path.dirname(config.file), { recursive: true });
    const sqlite = new SQLite(config.file);
    // WAL lets readers proceed during a write; busy_timeout rides out a second process (CLI) briefly.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    // WAL checkpoints (and their fsyncs) run on a worker thread, off the event loop; the writer's own
    // automatic checkpoint stays as a backstop at a higher threshold (store/checkpointer.ts).
    checkpointer = await startCheckpointer(config.file, CHECKPOINT_INTERVAL_MS).catch(() => null);
    if (checkpointer) sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
    // Each SQL text is prepared once (store/statement-cache.ts): preparing cost more than running.
    db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
      ...(log ? { log } : {}),
    });
  } else {
    // BIGINT (int8) counts come back as strings by default; ours stay far below 2^53.
    pg.types.setTypeParser(20, (v) => Number(v));
    // The message path's statements are parsed and planned once per connection (store/prepared-statements.ts).
    const pool = withPreparedStatements(
      new pg.Pool({
        connectionString: config.url,
        max: 10,
        ...(config.schema ? { options: `-c search_path=${config.schema}` } : {}),
      }),
    );
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...(log ? { log } : {}) });
    if (config.schema) await sql`create schema if not exists ${sql.id(config.schema)}`.execute(db);
    // Pin Kysely's migration tables to our schema: unpinned, a kysely_migration table in ANY schema
    // of the database (another app, another carechat) counts as ours and migrating fails.
    schema = config.schema ?? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s;
  }
  await migrate(db, schema);
  const stopCheckpoints = checkpointer ? () => checkpointer.stop() : async () => undefined;
  return { db, kind: config.kind, close: () => stopCheckpoints().then(() => db.destroy()) };
}

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrate(db: Db, migrationTableSchema?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? '?'} failed: ${String(error)}`);
  }
}

/** True when the error is a unique-constraint violation on either database. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
