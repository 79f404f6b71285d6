/**
 * The store against the real database chosen by CARECHAT_TEST_DB (SQLite file or PostgreSQL schema):
 * migrations, per-conversation sequencing under concurrency, idempotent appends, constraints, claims
 * and queue order.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, storeUnavailable, type TestDatabase } from '../../test/helpers.js';
import { QueueModel } from '../routing/queue-model.js';
import { ConversationsStore, type NewMessage } from '../conversations/conversations.store.js';
import { seedDemo } from '../seed/demo.js';
import type { ConversationsTable, MessagesTable } from './schema.js';
import { isUniqueViolation, openStore, type Db, type Store } from './db.js';

const skip = await storeUnavailable();

const TABLES = [
  'cardmembers',
  'cards',
  'teams',
  'agents',
  'agent_skills',
  'conversations',
  'participants',
  'messages',
  'events',
  'sessions',
  'used_tokens',
  'login_challenges',
  'products',
  'addresses',
  'devices',
  'accounts',
  'authorized_users',
  'statements',
  'transactions',
  'payments',
  'fees',
  'credits',
  'rewards_ledger',
  'wallet_tokens',
  'replacements',
  'travel_bookings',
  'travel_notices',
  'credit_limit_requests',
  'audit_log',
  'idempotency_keys',
  'stepup_prompts',
  'stepup_lockouts',
  'nodes',
  'staff_presence',
  'staff_absence',
] as const;

/** Every registered migration, in the order they apply (by name). */
const MIGRATIONS = [
  '0001_init',
  '0002_accounts',
  '0003_staff_totp',
  '0004_stepup',
  '0005_disputes',
  '0006_assistant',
  '0007_live_agents',
  '0008_cases',
  '0009_assistant_jobs',
  '0010_presence',
];

const T0 = Date.parse('2026-03-02T10:00:00.000Z');
const at = (secondsAfterT0: number) => new Date(T0 + secondsAfterT0 * 1000).toISOString();

/** Builder: a conversation row for a seeded demo card; override what the test cares about. */
function buildConversation(o: Partial<ConversationsTable> = {}): ConversationsTable {
  return {
    id: randomUUID(),
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
    created_at: at(0),
    updated_at: at(0),
    ...o,
  };
}

/** Builder: a cardmember text message. */
function buildMessage(o: Partial<NewMessage> = {}): NewMessage {
  return {
    clientMsgId: `cm-${randomUUID()}`,
    authorType: 'cardmember',
    authorId: 'cm_maria',
    authorName: 'Maria',
    kind: 'text',
    body: 'hello',
    ...o,
  };
}

async function countRows(db: Db, table: (typeof TABLES)[number], where?: { column: string; value: string }) {
  let q = db.selectFrom(table as 'messages').select((eb) => eb.fn.countAll<number>().as('n'));
  if (where) q = q.where(where.column as 'conversation_id', '=', where.value);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

async function appliedMigrations(db: Db): Promise<string[]> {
  const r = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return r.rows.map((x) => x.name);
}

describe.skipIf(skip)('store: migrations', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await freshDatabase();
  });
  afterAll(async () => tdb?.drop());

  it('creates every table on an empty database, and a second open of the same database is a no-op', async () => {
    const first = await openStore(tdb.config);
    try {
      expect(await appliedMigrations(first.db)).toEqual(MIGRATIONS);
      for (const t of TABLES) expect(await countRows(first.db, t)).toBe(0);
      await seedDemo(first.db, new Date(T0));
    } finally {
      await first.close();
    }

    const before = {
      cardmembers: 3,
      cards: 4,
      teams: 7,
      agents: 4, // Ana, Ben, Sofía and the demo admin
    };
    const second = await openStore(tdb.config);
    try {
      // Migrations did not run again (still one record) and data survived the reopen.
      expect(await appliedMigrations(second.db)).toEqual(MIGRATIONS);
      for (const [t, n] of Object.entries(before)) expect(await countRows(second.db, t as 'cards')).toBe(n);
      // Seeding is idempotent too.
      const skills = await countRows(second.db, 'agent_skills');
      await seedDemo(second.db, new Date(T0));
      for (const [t, n] of Object.entries(before)) expect(await countRows(second.db, t as 'cards')).toBe(n);
      expect(await countRows(second.db, 'agent_skills')).toBe(skills);
    } finally {
      await second.close();
    }
  });

  it('migrates a new database while another migrated one exists next to it (PostgreSQL: another schema)', async () => {
    const neighbour = await freshDatabase();
    const other = await freshDatabase();
    let a: Store | undefined;
    let b: Store | undefined;
    try {
      a = await openStore(neighbour.config);
      // The neighbour's migration tables must not be taken for this database's own.
      b = await openStore(other.config);
      expect(await appliedMigrations(b.db)).toEqual(MIGRATIONS);
      for (const t of TABLES) expect(await countRows(b.db, t)).toBe(0);
      await seedDemo(b.db, new Date(T0));
      expect(await countRows(b.db, 'cards')).toBe(4);
      expect(await countRows(a.db, 'cards')).toBe(0);
    } finally {
      await b?.close();
      await a?.close();
      await other.drop();
      await neighbour.drop();
    }
  });
});

describe.skipIf(skip)('store: conversations and messages', () => {
  let tdb: TestDatabase;
  let store: Store;
  let conversations: ConversationsStore;

  beforeAll(async () => {
    tdb = await freshDatabase();
    store = await openStore(tdb.config);
    await seedDemo(store.db, new Date(T0));
    conversations = new ConversationsStore(store.db);
  });
  afterAll(async () => {
    await store?.close();
    await tdb?.drop();
  });

  async function newConversation(o: Partial<ConversationsTable> = {}) {
    const row = buildConversation(o);
    await conversations.transaction((tx) => conversations.insert(tx, row));
    return row;
  }

  const append = (conversationId: string, m: NewMessage = buildMessage()) =>
    conversations.transaction((tx) => conversations.append(tx, conversationId, m, at(1)));

  async function seqsOf(conversationId: string): Promise<number[]> {
    const rows = await store.db
      .selectFrom('messages')
      .select('seq')
      .where('conversation_id', '=', conversationId)
      .orderBy('seq')
      .execute();
    return rows.map((r) => Number(r.seq));
  }

  const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

  it('inserts a conversation with its owner as participant', async () => {
    const c = await newConversation();
    const got = await conversations.get(c.id);
    expect(got).toMatchObject({
      id: c.id,
      status: 'bot',
      card_last4: '1005',
      cm_first_name: 'Maria',
      agent_first_name: null,
    });
    const parts = await store.db.selectFrom('participants').selectAll().where('conversation_id', '=', c.id).execute();
    expect(parts).toEqual([
      expect.objectContaining({ participant_type: 'cardmember', participant_id: 'cm_maria', role: 'owner' }),
    ]);
  });

  it('append gives seq 1, 2, 3 ... without gaps and keeps last_seq in step', async () => {
    const c = await newConversation();
    const got: number[] = [];
    for (let i = 0; i < 5; i++) got.push((await append(c.id, buildMessage({ body: `m${i}` }))).row.seq);
    expect(got).toEqual([1, 2, 3, 4, 5]);
    expect(await seqsOf(c.id)).toEqual([1, 2, 3, 4, 5]);
    expect((await conversations.get(c.id))!.last_seq).toBe(5);
    // Each append records one message.created event in the same transaction.
    expect(await countRows(store.db, 'events', { column: 'conversation_id', value: c.id })).toBe(5);
    const replay = await conversations.messagesAfter(c.id, 2);
    expect(replay.map((m) => [m.seq, m.body])).toEqual([
      [3, 'm2'],
      [4, 'm3'],
      [5, 'm4'],
    ]);
  });

  it('a rolled-back append leaves no gap: the next append reuses the seq', async () => {
    const c = await newConversation();
    await append(c.id);
    await expect(
      conversations.transaction(async (tx) => {
        await conversations.append(tx, c.id, buildMessage(), at(2));
        throw new Error('boom after insert');
      }),
    ).rejects.toThrow('boom after insert');
    expect(await seqsOf(c.id)).toEqual([1]);
    expect((await append(c.id)).row.seq).toBe(2);
    expect(await seqsOf(c.id)).toEqual([1, 2]);
  });

  it('appending to an unknown conversation fails and stores nothing', async () => {
    const messagesBefore = await countRows(store.db, 'messages');
    await expect(append('no-such-conversation')).rejects.toThrow();
    expect(await countRows(store.db, 'messages')).toBe(messagesBefore);
  });

  it('50 concurrent appends in separate transactions get exactly seqs 1..50, once each', async () => {
    const c = await newConversation();
    const results = await Promise.all(range(50).map((i) => append(c.id, buildMessage({ body: `concurrent ${i}` }))));
    expect(results.every((r) => !r.duplicate)).toBe(true);
    expect(results.map((r) => r.row.seq).sort((a, b) => a - b)).toEqual(range(50));
    expect(await seqsOf(c.id)).toEqual(range(50));
    expect((await conversations.get(c.id))!.last_seq).toBe(50);
    // Every body stored exactly once.
    const bodies = (await conversations.messagesAfter(c.id, 0)).map((m) => m.body).sort();
    expect(bodies).toEqual(
      range(50)
        .map((i) => `concurrent ${i}`)
        .sort(),
    );
  });

  it('concurrent appends to different conversations each count from 1', async () => {
    const a = await newConversation();
    const b = await newConversation({ cardmember_id: 'cm_sam', card_id: 'card_sam_blue' });
    await Promise.all(range(20).flatMap(() => [append(a.id), append(b.id)]));
    expect(await seqsOf(a.id)).toEqual(range(20));
    expect(await seqsOf(b.id)).toEqual(range(20));
  });

  it('a repeated clientMsgId returns the first row with duplicate: true and stores one row', async () => {
    const c = await newConversation();
    const first = await append(c.id, buildMessage({ clientMsgId: 'cm-retry-1', body: 'first try' }));
    await append(c.id, buildMessage({ clientMsgId: 'cm-other' }));
    const retry = await append(c.id, buildMessage({ clientMsgId: 'cm-retry-1', body: 'second try' }));
    expect(first.duplicate).toBe(false);
    expect(retry.duplicate).toBe(true);
    expect(retry.row.seq).toBe(first.row.seq);
    expect(retry.row.id).toBe(first.row.id);
    expect(retry.row.body).toBe('first try');
    expect(await seqsOf(c.id)).toEqual([1, 2]);
    expect((await conversations.get(c.id))!.last_seq).toBe(2);
    // The same clientMsgId in another conversation is a different message.
    const other = await newConversation();
    expect((await append(other.id, buildMessage({ clientMsgId: 'cm-retry-1' }))).duplicate).toBe(false);
  });

  it('10 racing duplicates of one clientMsgId store exactly one row and all see the same seq', async () => {
    const c = await newConversation();
    await append(c.id); // seq 1, so the winner's seq is not trivially 1
    const clientMsgId = 'cm-race-1';
    // Same shape as ConversationService.send: a unique violation from a racing twin returns the stored row.
    const sendOnce = (i: number) =>
      conversations.transaction(
        (tx) => conversations.append(tx, c.id, buildMessage({ clientMsgId, body: `racer ${i}` }), at(3)),
        async () => ({ row: (await conversations.findByClientMsgId(store.db, c.id, clientMsgId))!, duplicate: true }),
      );
    const results = await Promise.all(range(10).map(sendOnce));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    const winner = results.find((r) => !r.duplicate)!;
    expect(winner.row.seq).toBe(2);
    for (const r of results) {
      expect(r.row.id).toBe(winner.row.id);
      expect(r.row.seq).toBe(2);
      expect(r.row.body).toBe(winner.row.body);
    }
    const stored = await store.db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', c.id)
      .where('client_msg_id', '=', clientMsgId)
      .execute();
    expect(stored).toHaveLength(1);
    // Losers rolled back their seq bump: no gap before the next message.
    expect((await conversations.get(c.id))!.last_seq).toBe(2);
    expect((await append(c.id)).row.seq).toBe(3);
    expect(await seqsOf(c.id)).toEqual([1, 2, 3]);
  });

  describe('constraints', () => {
    function rawMessage(conversationId: string, o: Partial<MessagesTable>): MessagesTable {
      return {
        id: randomUUID(),
        conversation_id: conversationId,
        seq: 1,
        client_msg_id: null,
        author_type: 'cardmember',
        author_id: 'cm_maria',
        author_name: 'Maria',
        kind: 'text',
        body: 'raw',
        meta: '{}',
        created_at: at(4),
        ...o,
      };
    }

    async function insertError(p: Promise<unknown>): Promise<unknown> {
      try {
        await p;
      } catch (err) {
        return err;
      }
      throw new Error('expected the insert to fail');
    }

    it('(conversation_id, client_msg_id) is unique in the schema itself', async () => {
      const c = await newConversation();
      await store.db
        .insertInto('messages')
        .values(rawMessage(c.id, { seq: 1, client_msg_id: 'dup' }))
        .execute();
      const err = await insertError(
        store.db
          .insertInto('messages')
          .values(rawMessage(c.id, { seq: 2, client_msg_id: 'dup' }))
          .execute(),
      );
      expect(isUniqueViolation(err)).toBe(true);
      expect(await countRows(store.db, 'messages', { column: 'conversation_id', value: c.id })).toBe(1);
      // Same client id in another conversation is fine.
      const other = await newConversation();
      await store.db
        .insertInto('messages')
        .values(rawMessage(other.id, { seq: 1, client_msg_id: 'dup' }))
        .execute();
    });

    it('(conversation_id, seq) is unique, while many messages may have no clientMsgId', async () => {
      const c = await newConversation();
      await store.db
        .insertInto('messages')
        .values(rawMessage(c.id, { seq: 1 }))
        .execute();
      await store.db
        .insertInto('messages')
        .values(rawMessage(c.id, { seq: 2 }))
        .execute();
      const err = await insertError(
        store.db
          .insertInto('messages')
          .values(rawMessage(c.id, { seq: 2 }))
          .execute(),
      );
      expect(isUniqueViolation(err)).toBe(true);
      expect(await seqsOf(c.id)).toEqual([1, 2]);
    });

    it('a message must belong to an existing conversation', async () => {
      await expect(
        store.db
          .insertInto('messages')
          .values(rawMessage('missing-conversation', { seq: 1 }))
          .execute(),
      ).rejects.toThrow();
    });

    it('cards reject a last4 that is not exactly 4 characters', async () => {
      const card = (id: string, last4: string) => ({
        id,
        cardmember_id: 'cm_sam',
        product_name: 'Test Card',
        last4,
        status: 'active',
        created_at: at(0),
      });
      for (const bad of ['123', '12345', '', '4111111111111111']) {
        const err = await insertError(
          store.db
            .insertInto('cards')
            .values(card(`card_bad_${bad.length}`, bad))
            .execute(),
        );
        expect(err).toBeInstanceOf(Error);
        expect(isUniqueViolation(err)).toBe(false);
      }
      expect(await store.db.selectFrom('cards').select('id').where('id', 'like', 'card_bad_%').execute()).toEqual([]);
      await store.db.insertInto('cards').values(card('card_ok_1', '9876')).execute();
      expect(
        await store.db.selectFrom('cards').select('last4').where('id', '=', 'card_ok_1').executeTakeFirst(),
      ).toEqual({
        last4: '9876',
      });
    });
  });

  describe('claim', () => {
    it('exactly one of several concurrent claimers wins', async () => {
      const c = await newConversation({ status: 'queued', team_id: 'general', queued_at: at(10) });
      const claimers = [
        'agent_ana',
        'agent_ben',
        'agent_sofia',
        'agent_ana',
        'agent_ben',
        'agent_sofia',
        'agent_ana',
        'agent_ben',
      ];
      const wins = await Promise.all(
        claimers.map((agentId) => conversations.transaction((tx) => conversations.claim(tx, c.id, agentId, at(11)))),
      );
      expect(wins.filter(Boolean)).toHaveLength(1);
      const winner = claimers[wins.indexOf(true)];
      const row = (await conversations.get(c.id))!;
      expect(row.status).toBe('assigned');
      expect(row.assigned_agent_id).toBe(winner);
      expect(row.assigned_at).toBe(at(11));
    });

    it('cannot claim a conversation that is not queued', async () => {
      for (const status of ['bot', 'assigned', 'closed'] as const) {
        const c = await newConversation({ status });
        expect(await conversations.claim(store.db, c.id, 'agent_ana', at(12))).toBe(false);
        const row = (await conversations.get(c.id))!;
        expect(row.status).toBe(status);
        expect(row.assigned_agent_id).toBeNull();
      }
      expect(await conversations.claim(store.db, 'missing', 'agent_ana', at(12))).toBe(false);
    });
  });

  describe('queue order', () => {
    it('QueueModel.position orders by priority (high first), then queued_at, then id; per team and language', async () => {
      // A separate team keeps this queue independent of the other tests' conversations.
      const team = `team_${randomUUID().slice(0, 8)}`;
      await store.db.insertInto('teams').values({ id: team, name_en: 'Queue test', name_es: 'Cola' }).execute();
      const q = (o: Partial<ConversationsTable>) =>
        newConversation({ status: 'queued', team_id: team, language: 'en', ...o });

      const oldLow = await q({ priority: 0, queued_at: at(100) });
      const newLow = await q({ priority: 0, queued_at: at(300) });
      const newHigh = await q({ priority: 5, queued_at: at(400) });
      const oldHigh = await q({ priority: 5, queued_at: at(200) });
      const mid = await q({ priority: 2, queued_at: at(500) });
      // Same priority and time: the id breaks the tie so positions are distinct.
      const tieA = await q({ id: `00000000-tie-a-${randomUUID().slice(0, 8)}`, priority: 0, queued_at: at(350) });
      const tieB = await q({ id: `00000000-tie-b-${randomUUID().slice(0, 8)}`, priority: 0, queued_at: at(350) });
      // Not in this queue: other language, other status, other team.
      const spanish = await q({ language: 'es', priority: 9, queued_at: at(1) });
      await newConversation({ status: 'assigned', team_id: team, priority: 9, queued_at: at(1) });
      await newConversation({ status: 'queued', team_id: 'general', priority: 9, queued_at: at(1) });

      const queues = new QueueModel(store.db, 300);
      const expected = [oldHigh, newHigh, mid, oldLow, newLow, tieA, tieB];
      for (const [i, c] of expected.entries()) {
        const row = (await conversations.get(c.id))!;
        expect({ id: c.id, position: await queues.position(row) }).toEqual({ id: c.id, position: i + 1 });
      }
      expect(await queues.position((await conversations.get(spanish.id))!)).toBe(1);
      // A conversation that is not queued has no position.
      expect(await queues.position(buildConversation({ status: 'bot' }))).toBe(0);

      // The staff list uses the same order.
      const listed = (await conversations.listQueued({ skills: [{ teamId: team, language: 'en' }] })).map((r) => r.id);
      expect(listed.slice(0, 5)).toEqual(expected.slice(0, 5).map((c) => c.id));
      expect(new Set(listed.slice(5))).toEqual(new Set([tieA.id, tieB.id]));
      expect(listed).not.toContain(spanish.id);
    });
  });
});
