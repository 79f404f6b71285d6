/**
 * The message send's short path against the real database chosen by CARECHAT_TEST_DB:
 * - PostgreSQL: `ConversationsStore.appendOnce` stores the seq bump, the message, its event and the
 *   assistant's job in one statement; a repeated clientMsgId stores nothing (no seq gap); two nodes
 *   (two pools) sending to one chat at once keep seqs unique and gapless, each clientMsgId once.
 * - Both stores: the row and the staff who joined it come back together (`getWithStaff`), and the
 *   service still answers a retry with the first result when the chat has closed since, or when the
 *   retry itself would now be refused (the duplicate check only moved behind the refusals).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freshDatabase,
  startServer,
  storeUnavailable,
  type TestDatabase,
  type TestServer,
} from '../../test/helpers.js';
import type { Actor } from '../security/access.js';
import { seedDemo } from '../seed/demo.js';
import { isUniqueViolation, openStore, type Db, type Store } from '../store/db.js';
import { ConversationsStore, type NewMessage } from './conversations.store.js';

const skip = await storeUnavailable();
/** The one-statement send is PostgreSQL's path: its tests run against PostgreSQL in every pass. */
const noPostgres = await storeUnavailable('postgres');

async function newChat(db: Db, status: 'bot' | 'assigned' = 'bot'): Promise<string> {
  const id = randomUUID();
  const now = new Date().toISOString();
  await db
    .insertInto('conversations')
    .values({
      id,
      cardmember_id: 'cm_maria',
      card_id: 'card_maria_gold',
      language: 'en',
      status,
      team_id: status === 'assigned' ? 'general' : null,
      priority: 0,
      queued_at: null,
      assigned_agent_id: status === 'assigned' ? 'agent_ana' : null,
      assigned_at: status === 'assigned' ? now : null,
      closed_at: null,
      closed_by: null,
      last_seq: 0,
      created_at: now,
      updated_at: now,
      accommodation: null,
    })
    .execute();
  return id;
}

const text = (clientMsgId: string | null, body = 'hello'): NewMessage => ({
  clientMsgId,
  authorType: 'cardmember',
  authorId: 'cm_maria',
  authorName: 'María',
  kind: 'text',
  body,
  meta: { redactions: [{ type: 'pan', start: 0, end: 4 }] },
});

describe.skipIf(noPostgres)('send in one statement (PostgreSQL)', () => {
  let tdb: TestDatabase;
  let a: Store;
  let b: Store;
  let nodeA: ConversationsStore;
  let nodeB: ConversationsStore;

  beforeAll(async () => {
    tdb = await freshDatabase('postgres');
    a = await openStore(tdb.config);
    b = await openStore(tdb.config);
    await seedDemo(a.db, new Date('2026-01-05T12:00:00Z'));
    nodeA = new ConversationsStore(a.db, { kind: 'postgres' });
    nodeB = new ConversationsStore(b.db, { kind: 'postgres' });
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await tdb?.drop();
  });

  it('stores the bump, the message, its event and the job together', async () => {
    const conv = await newChat(a.db);
    const now = new Date().toISOString();
    const job = {
      id: randomUUID(),
      conversation_id: conv,
      created_at: now,
      attempts: 1,
      lease_until: now,
      leased_by: 'node-x',
    };
    const first = await nodeA.appendOnce(conv, text(randomUUID()), now);
    const second = await nodeA.appendOnce(conv, text(randomUUID(), 'again'), now, job);
    expect([first.seq, second.seq]).toEqual([1, 2]);
    expect(await nodeA.findByClientMsgId(a.db, conv, second.client_msg_id!)).toEqual(second);
    const row = await a.db.selectFrom('conversations').selectAll().where('id', '=', conv).executeTakeFirstOrThrow();
    expect([row.last_seq, row.updated_at]).toEqual([2, now]);
    const events = await a.db
      .selectFrom('events')
      .selectAll()
      .where('conversation_id', '=', conv)
      .orderBy('id')
      .execute();
    // The same event row the transaction path writes (payload text included).
    expect(events.map((e) => [e.type, e.actor_type, e.actor_id, e.payload, e.created_at])).toEqual([
      ['message.created', 'cardmember', 'cm_maria', JSON.stringify({ messageId: first.id, seq: 1 }), now],
      ['message.created', 'cardmember', 'cm_maria', JSON.stringify({ messageId: second.id, seq: 2 }), now],
    ]);
    const jobs = await a.db.selectFrom('assistant_jobs').selectAll().where('conversation_id', '=', conv).execute();
    expect(jobs).toEqual([{ ...job, message_seq: 2 }]);
  });

  it('a repeated clientMsgId stores nothing and leaves no seq gap', async () => {
    const conv = await newChat(a.db);
    const now = new Date().toISOString();
    const cmid = randomUUID();
    await nodeA.appendOnce(conv, text(cmid), now);
    const err = await nodeB.appendOnce(conv, text(cmid, 'retry'), now).catch((e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
    const next = await nodeB.appendOnce(conv, text(randomUUID()), now);
    expect(next.seq).toBe(2);
    const count = async (table: 'messages' | 'events') =>
      (await a.db.selectFrom(table).select('conversation_id').where('conversation_id', '=', conv).execute()).length;
    expect([await count('messages'), await count('events')]).toEqual([2, 2]);
  });

  it('an unknown conversation stores nothing', async () => {
    const missing = randomUUID();
    await expect(nodeA.appendOnce(missing, text(randomUUID()), new Date().toISOString())).rejects.toThrow(
      /does not exist/,
    );
    const events = await a.db.selectFrom('events').select('id').where('conversation_id', '=', missing).execute();
    expect(events).toHaveLength(0);
  });

  it('two nodes sending to one chat at once: seqs unique and gapless, each clientMsgId once', async () => {
    const conv = await newChat(a.db);
    const now = new Date().toISOString();
    const ids = Array.from({ length: 60 }, () => randomUUID());
    // Every clientMsgId is sent by both nodes at once (a client retrying on another node).
    const outcomes = await Promise.allSettled(
      ids.flatMap((id) => [nodeA.appendOnce(conv, text(id), now), nodeB.appendOnce(conv, text(id), now)]),
    );
    const stored = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(stored).toHaveLength(ids.length);
    expect(refused.every((o) => isUniqueViolation(o.reason))).toBe(true);
    const rows = await a.db
      .selectFrom('messages')
      .select(['seq', 'client_msg_id'])
      .where('conversation_id', '=', conv)
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => r.seq)).toEqual(ids.map((_, i) => i + 1));
    expect(new Set(rows.map((r) => r.client_msg_id))).toEqual(new Set(ids));
    const conversation = await a.db
      .selectFrom('conversations')
      .select('last_seq')
      .where('id', '=', conv)
      .executeTakeFirstOrThrow();
    expect(conversation.last_seq).toBe(ids.length);
    const events = await a.db.selectFrom('events').select('payload').where('conversation_id', '=', conv).execute();
    expect(events.map((e) => (JSON.parse(e.payload) as { seq: number }).seq).sort((x, y) => x - y)).toEqual(
      rows.map((r) => r.seq),
    );
  });
});

describe.skipIf(skip)('send: authorization read and retries (both stores)', () => {
  let s: TestServer;

  beforeAll(async () => {
    s = await startServer();
  });

  afterAll(async () => {
    await s?.close();
  });

  it('reads the row and the staff who joined it in one query, as get() and staffParticipants() do', async () => {
    const db = s.app.store.db;
    const store = new ConversationsStore(db);
    const conv = await newChat(db, 'assigned');
    const now = new Date().toISOString();
    const alone = await store.getWithStaff(conv);
    expect(alone).toEqual({ row: await store.get(conv), participants: [] });
    await db
      .insertInto('participants')
      .values([
        {
          conversation_id: conv,
          participant_type: 'agent',
          participant_id: 'agent_ana',
          role: 'assignee',
          joined_at: now,
          left_at: null,
        },
        {
          conversation_id: conv,
          participant_type: 'agent',
          participant_id: 'agent_ben',
          role: 'conference',
          joined_at: now,
          left_at: null,
        },
        {
          conversation_id: conv,
          participant_type: 'agent',
          participant_id: 'agent_sofia',
          role: 'monitor',
          joined_at: now,
          left_at: null,
        },
        {
          conversation_id: conv,
          participant_type: 'agent',
          participant_id: 'agent_old',
          role: 'conference',
          joined_at: now,
          left_at: now,
        },
      ])
      .execute();
    const joined = await store.getWithStaff(conv);
    expect(joined?.row).toEqual(await store.get(conv));
    const byId = (x: { agentId: string }, y: { agentId: string }) => x.agentId.localeCompare(y.agentId);
    expect(joined?.participants.sort(byId)).toEqual((await store.staffParticipants(conv)).sort(byId));
    expect(joined?.participants.map((p) => p.agentId).sort()).toEqual(['agent_ben', 'agent_sofia']);
    expect(await store.getWithStaff(randomUUID())).toBeUndefined();
  });

  it('a retry gets the first result even after the chat closed or with a body now refused', async () => {
    const conversations = s.app.services.conversations;
    const chat = await conversations.openForCard({
      cardmemberId: 'cm_jose',
      cardId: 'card_jose_green',
      language: 'en',
    });
    const actor: Actor = {
      role: 'cardmember',
      cardmemberId: 'cm_jose',
      cardId: 'card_jose_green',
      sessionHash: 'test',
      firstName: 'José',
      language: 'en',
    };
    const clientMsgId = randomUUID();
    const first = await conversations.send(actor, {
      conversationId: chat.id,
      clientMsgId,
      body: 'card 4111 1111 1111 1111',
    });
    expect(first.duplicate).toBe(false);
    expect(first.redactedTypes.length).toBeGreaterThan(0);
    // The retry's body differs (and here is empty): the first send's message and redaction notice stand.
    const empty = await conversations.send(actor, { conversationId: chat.id, clientMsgId, body: '   ' });
    expect([empty.duplicate, empty.message.id, empty.redactedTypes]).toEqual([
      true,
      first.message.id,
      first.redactedTypes,
    ]);
    const plain = await conversations.send(actor, { conversationId: chat.id, clientMsgId, body: 'nothing to redact' });
    expect([plain.duplicate, plain.message.seq, plain.redactedTypes]).toEqual([
      true,
      first.message.seq,
      first.redactedTypes,
    ]);
    await conversations.end(actor, chat.id);
    const afterEnd = await conversations.send(actor, { conversationId: chat.id, clientMsgId, body: 'again' });
    expect([afterEnd.duplicate, afterEnd.message.id]).toEqual([true, first.message.id]);
    await expect(
      conversations.send(actor, { conversationId: chat.id, clientMsgId: randomUUID(), body: 'new' }),
    ).rejects.toMatchObject({ code: 'conversation_closed' });
    const stored = await s.app.store.db
      .selectFrom('messages')
      .select('id')
      .where('client_msg_id', '=', clientMsgId)
      .execute();
    expect(stored).toHaveLength(1);
  });
});
