/**
 * store/prepared-statements.ts against a real PostgreSQL (in every pass): registered SQL texts run
 * as named statements, others stay unnamed, and a plan refused after another node changed the schema
 * (0A000) is run again unnamed instead of failing the call.
 */
import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, storeUnavailable, type TestDatabase } from '../../test/helpers.js';
import { openStore, type Store } from './db.js';
import { preparedStatement } from './prepared-statements.js';

const skip = await storeUnavailable('postgres');

describe.skipIf(skip)('prepared statements (PostgreSQL)', () => {
  let tdb: TestDatabase;
  let store: Store;

  beforeAll(async () => {
    tdb = await freshDatabase('postgres');
    store = await openStore(tdb.config);
    await sql`create table prep_items (id text primary key, n integer not null)`.execute(store.db);
    await sql`insert into prep_items values ('a', 1), ('b', 2)`.execute(store.db);
  });

  afterAll(async () => {
    await store?.close();
    await tdb?.drop();
  });

  /** Runs `text` with `values`, then the connection's prepared statements, on one pinned connection. */
  const onOneConnection = (text: string, values: unknown[]) =>
    store.db.connection().execute(async (c) => {
      const { rows } = await c.executeQuery<Record<string, unknown>>(CompiledQuery.raw(text, values));
      const prepared = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(c);
      return { rows, prepared: prepared.rows.map((r) => r.statement) };
    });

  it('names registered texts only, with the same results', async () => {
    const registered = 'select n from prep_items where id = $1 /* registered */';
    const other = 'select n from prep_items where id = $1 /* not registered */';
    preparedStatement(registered);
    for (let i = 0; i < 3; i++) {
      const a = await onOneConnection(registered, ['a']);
      expect(a.rows).toEqual([{ n: 1 }]);
      expect(a.prepared).toContain(registered);
      const b = await onOneConnection(other, ['b']);
      expect(b.rows).toEqual([{ n: 2 }]);
      expect(b.prepared).not.toContain(other);
    }
  });

  it('a plan refused after a schema change is run again unnamed', async () => {
    const text = 'select * from prep_items where id = $1 /* star */';
    preparedStatement(text);
    // Prepare it on every pooled connection the test may get.
    await Promise.all(Array.from({ length: 12 }, () => onOneConnection(text, ['a'])));
    await sql`alter table prep_items add column note text`.execute(store.db);
    await sql`update prep_items set note = 'x' where id = 'a'`.execute(store.db);
    for (let i = 0; i < 12; i++) {
      expect((await onOneConnection(text, ['a'])).rows).toEqual([{ id: 'a', n: 1, note: 'x' }]);
    }
  });
});
