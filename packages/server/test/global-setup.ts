/**
 * Vitest global teardown: drops the PostgreSQL schemas the test workers created (`t_` + 16 hex).
 * Done here, once, rather than per test file, so no DROP SCHEMA races another worker's migrations.
 * Two test runs at once against the same database would drop each other's schemas: run one at a time.
 */
import pg from 'pg';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function teardown(): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
  } catch {
    return; // no PostgreSQL here: nothing was created
  }
  try {
    const { rows } = await c.query<{ nspname: string }>(
      "select nspname from pg_namespace where nspname ~ '^t_[0-9a-f]{16}$'",
    );
    for (const { nspname } of rows) await c.query(`drop schema if exists "${nspname}" cascade`);
  } finally {
    await c.end();
  }
}
