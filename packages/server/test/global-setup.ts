/**
 * Vitest global setup and teardown. Setup names the run (`CARECHAT_TEST_RUN`, 8 hex, inherited by the
 * workers); the workers' PostgreSQL schemas are `t_` + run id + 8 hex (test/helpers.ts), and teardown
 * drops this run's schemas, once, after every worker is done, so no DROP SCHEMA races a migrator and
 * two runs against the same database (a developer and a helper, two checkouts) leave each other alone.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';

export function setup(): void {
  process.env.CARECHAT_TEST_RUN ??= randomUUID().replace(/-/g, '').slice(0, 8);
}

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function teardown(): Promise<void> {
  const run = process.env.CARECHAT_TEST_RUN;
  if (!run || !/^[0-9a-f]{8}$/.test(run)) return; // no run id: this process created no schemas
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
  } catch {
    return; // no PostgreSQL here: nothing was created
  }
  try {
    const { rows } = await c.query<{ nspname: string }>('select nspname from pg_namespace where nspname ~ $1', [
      `^t_${run}[0-9a-f]{8}$`,
    ]);
    for (const { nspname } of rows) await c.query(`drop schema if exists "${nspname}" cascade`);
  } finally {
    await c.end();
  }
}
