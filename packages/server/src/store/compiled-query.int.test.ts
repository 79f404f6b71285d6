/**
 * The message path's query shortcuts against the real database chosen by CARECHAT_TEST_DB:
 * compiled-once queries (store/compiled-query.ts) give exactly the SQL and parameters of a query
 * built afresh and run inside transactions; the SQLite statement cache (store/statement-cache.ts)
 * reuses statements, never hands out one that is mid-iteration, and stays bounded; the checkpoint
 * worker (store/checkpointer.ts) moves committed pages into the database file; group commit
 * (store/group-commit.ts) shares one COMMIT among concurrent units, each atomic and answered after it.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql, type Kysely, type Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, storeUnavailable, type TestDatabase } from '../../test/helpers.js';
import { ConversationsStore } from '../conversations/conversations.store.js';
import { seedDemo } from '../seed/demo.js';
import { startCheckpointer } from './checkpointer.js';
import { compiledQuery } from './compiled-query.js';
import { isUniqueViolation, openStore, type Db, type Store } from './db.js';
import { GroupCommit } from './group-commit.js';
import type { Database } from './schema.js';
import { withStatementCache } from './statement-cache.js';

const skip = await storeUnavailable();

describe.skipIf(skip)('compiled queries', () => {
  let tdb: TestDatabase;
  let store: Store;
  let db: Db;
  let convId: string;

  beforeAll(async () => {
    tdb = await freshDatabase();
    store = await openStore(tdb.config);
    db = store.db;
    await seedDemo(db, new Date('2026-01-05T12:00:00Z'));
    convId = randomUUID();
    const now = new Date().toISOString();
    await db
      .insertInto('conversations')
      .values({
        id: convId,
        cardmember_id: 'cm_maria',
        card_id: 'card_maria_gold',
        language: 'en',
        status: 'bot',
        team_id: null,
        priority: 0,
        queued_at: null,
        assigned_agent_id: null,
        assigned_at: null,
        closed_at: null,
        closed_by: null,
        last_seq: 0,
        created_at: now,
        updated_at: now,
        accommodation: null,
      })
      .execute();
  });
  afterAll(async () => {
    await store?.close();
    await tdb?.drop();
  });

  const byClientMsgId = () =>
    compiledQuery(db, 2, (db, conversationId: string, clientMsgId: string) =>
      db
        .selectFrom('messages')
        .select(['seq', 'body'])
        .where('conversation_id', '=', conversationId)
        .where('kind', '!=', 'note')
        .where('client_msg_id', '=', clientMsgId),
    );

  it('binds the same SQL and parameters as the query built afresh, constants kept in place', () => {
    const q = byClientMsgId();
    const fresh = db
      .selectFrom('messages')
      .select(['seq', 'body'])
      .where('conversation_id', '=', 'conv-1')
      .where('kind', '!=', 'note')
      .where('client_msg_id', '=', 'cmid-1')
      .compile();
    const bound = q.compile('conv-1', 'cmid-1');
    expect(bound.sql).toBe(fresh.sql);
    expect(bound.parameters).toEqual(['conv-1', 'note', 'cmid-1']);
    // A second binding does not disturb the first.
    expect(q.compile('conv-2', 'cmid-2').parameters).toEqual(['conv-2', 'note', 'cmid-2']);
    expect(bound.parameters).toEqual(['conv-1', 'note', 'cmid-1']);
  });

  it('runs on the database and inside a transaction, which sees its own writes and can roll back', async () => {
    const q = byClientMsgId();
    const store2 = new ConversationsStore(db);
    const cmid = randomUUID();
    expect((await q(db, convId, cmid)).rows).toEqual([]);
    await expect(
      db.transaction().execute(async (tx) => {
        const { row } = await store2.append(
          tx,
          convId,
          {
            clientMsgId: cmid,
            authorType: 'cardmember',
            authorId: 'cm_maria',
            authorName: 'Maria',
            kind: 'text',
            body: 'hello',
          },
          new Date().toISOString(),
        );
        expect((await q(tx, convId, cmid)).rows).toEqual([{ seq: row.seq, body: 'hello' }]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await q(db, convId, cmid)).rows).toEqual([]);
    const kept = await db.transaction().execute((tx) =>
      store2.append(
        tx,
        convId,
        {
          clientMsgId: cmid,
          authorType: 'cardmember',
          authorId: 'cm_maria',
          authorName: 'Maria',
          kind: 'text',
          body: 'kept',
        },
        new Date().toISOString(),
      ),
    );
    expect((await q(db, convId, cmid)).rows).toEqual([{ seq: kept.row.seq, body: 'kept' }]);
    // The store's compiled reads agree with plain Kysely.
    const viaKysely = await db
      .selectFrom('conversations')
      .select('last_seq')
      .where('id', '=', convId)
      .executeTakeFirst();
    expect((await store2.get(convId))?.last_seq).toBe(viaKysely?.last_seq);
    expect(await store2.get('no-such-conversation')).toBeUndefined();
  });

  it('refuses an argument that is not a bound value', () => {
    // Two arguments declared, one used: the second never reaches the SQL.
    const unused = compiledQuery(db, 2, (db, id: string, _ignored: string) =>
      db.selectFrom('messages').select('seq').where('id', '=', id),
    );
    expect(() => unused.compile('a', 'b')).toThrow(/argument 1 is not a bound parameter/);
    // A value Kysely inlines into the SQL text is refused too.
    const inlined = compiledQuery(db, 1, (db, n: string) => db.selectFrom('messages').select(sql.lit(n).as('v')));
    expect(() => inlined.compile('x')).toThrow(/argument 0 is not a bound parameter/);
  });
});

describe('the SQLite statement cache', () => {
  let dir: string;
  let raw: SQLite.Database;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'carechat-stmt-'));
    raw = new SQLite(path.join(dir, 'cache.sqlite'));
    raw.exec('create table t (n integer)');
    raw.exec('insert into t values (1), (2), (3)');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prepares each SQL text once, with fresh parameters on every run', () => {
    const cached = withStatementCache(raw);
    const a = cached.prepare('select n from t where n > ? order by n');
    const b = cached.prepare('select n from t where n > ? order by n');
    expect(b).toBe(a);
    expect(a.all([1])).toEqual([{ n: 2 }, { n: 3 }]);
    expect(b.all([2])).toEqual([{ n: 3 }]);
  });

  it('never hands out a statement that is still being iterated', () => {
    const cached = withStatementCache(raw);
    const sqlText = 'select n from t order by n';
    const it1 = cached.prepare(sqlText).iterate([]);
    expect(it1.next().value).toEqual({ n: 1 });
    // Mid-iteration: a second user gets its own statement, and both read correctly.
    const second = cached.prepare(sqlText);
    expect(second.all([])).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect([...it1]).toEqual([{ n: 2 }, { n: 3 }]);
  });

  it('keeps at most `capacity` statements, dropping the least recently used', () => {
    const cached = withStatementCache(raw, 2);
    const one = cached.prepare('select 1 as v');
    const two = cached.prepare('select 2 as v');
    expect(cached.prepare('select 1 as v')).toBe(one); // 1 is now the most recent
    cached.prepare('select 3 as v'); // evicts 2
    expect(cached.prepare('select 1 as v')).toBe(one);
    expect(cached.prepare('select 2 as v')).not.toBe(two);
  });

  it('a failed run leaves the cached statement usable', () => {
    const cached = withStatementCache(raw);
    raw.exec('create table u (k text primary key)');
    const ins = cached.prepare('insert into u (k) values (?)');
    ins.run(['a']);
    expect(() => cached.prepare('insert into u (k) values (?)').run(['a'])).toThrow(/UNIQUE/);
    cached.prepare('insert into u (k) values (?)').run(['b']);
    expect(raw.prepare('select count(*) as c from u').get()).toEqual({ c: 2 });
  });
});

describe('the SQLite checkpoint worker', () => {
  it('copies committed pages from the WAL into the database file off the main thread', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'carechat-ckpt-'));
    const file = path.join(dir, 'wal.sqlite');
    const writer = new SQLite(file);
    try {
      writer.pragma('journal_mode = WAL');
      writer.pragma('synchronous = NORMAL');
      // The writer never checkpoints by itself here: only the worker can move pages into the file.
      writer.pragma('wal_autocheckpoint = 0');
      writer.exec('create table blobs (b blob)');
      const insert = writer.prepare('insert into blobs (b) values (?)');
      for (let i = 0; i < 64; i++) insert.run([Buffer.alloc(32 * 1024, i)]);
      expect(statSync(file).size).toBeLessThan(1024 * 1024);
      const checkpointer = await startCheckpointer(file, 20);
      const deadline = Date.now() + 5000;
      while (statSync(file).size < 2 * 1024 * 1024 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      expect(statSync(file).size).toBeGreaterThanOrEqual(2 * 1024 * 1024);
      // The writer goes on while the worker runs; stopping twice is harmless.
      insert.run([Buffer.alloc(1024, 1)]);
      await checkpointer.stop();
      await checkpointer.stop();
      expect(writer.prepare('select count(*) as c from blobs').get()).toEqual({ c: 65 });
    } finally {
      writer.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('group commit (SQLite)', () => {
  let dir: string;
  let store: Store;
  let db: Db;
  let commits = 0;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'carechat-group-'));
    store = await openStore({ kind: 'sqlite', file: path.join(dir, 'group.sqlite') }, (q) => {
      if (q.sql === 'commit') commits++;
    });
    db = store.db;
    await db.schema
      .createTable('items')
      .addColumn('k', 'text', (c) => c.primaryKey())
      .execute();
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (k: string) => async (tx: Transaction<Database>) => {
    await (tx as unknown as Kysely<{ items: { k: string } }>).insertInto('items').values({ k }).execute();
    return k;
  };
  const count = async (k: string) =>
    (await sql<{ n: number }>`select count(*) as n from items where k = ${k}`.execute(db)).rows[0]!.n;

  it('concurrent units share one commit, each resolving only after it', async () => {
    const group = new GroupCommit<Database>(db);
    const before = commits;
    const keys = Array.from({ length: 10 }, () => randomUUID());
    const settledBeforeCommit: boolean[] = [];
    const results = await Promise.all(
      keys.map((k) => group.run(insert(k)).then((v) => (settledBeforeCommit.push(commits === before), v))),
    );
    expect(results).toEqual(keys);
    expect(commits - before).toBe(1);
    expect(settledBeforeCommit.every((b) => !b)).toBe(true);
    for (const k of keys) expect(await count(k)).toBe(1);
  });

  it('a failing unit is rolled back alone and its caller gets its own error; the others commit', async () => {
    const group = new GroupCommit<Database>(db);
    const taken = randomUUID();
    await group.run(insert(taken));
    const a = randomUUID();
    const b = randomUUID();
    const partial = randomUUID();
    const outcomes = await Promise.allSettled([
      group.run(insert(a)),
      // Writes one row, then fails on a duplicate: neither row may remain.
      group.run(async (tx) => {
        await insert(partial)(tx);
        return insert(taken)(tx);
      }),
      group.run(insert(b)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(isUniqueViolation((outcomes[1] as PromiseRejectedResult).reason)).toBe(true);
    expect(await count(a)).toBe(1);
    expect(await count(b)).toBe(1);
    expect(await count(partial)).toBe(0);
    expect(await count(taken)).toBe(1);
  });

  it('units run in arrival order and see the writes of the units before them', async () => {
    const group = new GroupCommit<Database>(db);
    const first = randomUUID();
    const seen = await Promise.all([
      group.run(insert(first)),
      group.run(
        async (tx) =>
          (await sql<{ n: number }>`select count(*) as n from items where k = ${first}`.execute(tx)).rows[0]!.n,
      ),
    ]);
    expect(seen).toEqual([first, 1]);
  });

  it('the message store groups only when asked, and only where it was enabled', async () => {
    const plain = new ConversationsStore(db);
    const grouped = new ConversationsStore(db, { groupCommit: true });
    const before = commits;
    await Promise.all([1, 2, 3].map(() => plain.transaction(insert(randomUUID()), undefined, { grouped: true })));
    expect(commits - before).toBe(3);
    const mid = commits;
    await Promise.all([1, 2, 3].map(() => grouped.transaction(insert(randomUUID()), undefined, { grouped: true })));
    expect(commits - mid).toBe(1);
    // A racing retry's unique violation still reaches onConflict.
    const k = randomUUID();
    await grouped.transaction(insert(k), undefined, { grouped: true });
    expect(await grouped.transaction(insert(k), async () => 'conflict', { grouped: true })).toBe('conflict');
  });
});
