/**
 * The assistant's turns as stored jobs (conversations/assistant-jobs.ts), on the real database chosen by
 * CARECHAT_TEST_DB: each message is answered exactly once and in order, a turn a node left behind (it
 * died mid-turn) is answered by another node after the lease runs out, a turn that keeps failing is
 * given up with a notice, and two nodes draining one backlog at once answer every job once (on SQLite two
 * connections to one file; on PostgreSQL with SKIP LOCKED).
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../app.js';
import type { Assistant, AssistantContext, AssistantDecision } from '../assistant/assistant.js';
import type { Actor } from '../security/access.js';
import {
  busKind,
  dbKind,
  eventually,
  freshDatabase,
  redisEnv,
  redisUnavailable,
  sleep,
  storeUnavailable,
  testConfig,
  type TestDatabase,
} from '../../test/helpers.js';

const skip = await storeUnavailable();
const noRedis = busKind === 'redis' ? await redisUnavailable() : null;

type Cardmember = Extract<Actor, { role: 'cardmember' }>;

/** Echoes each message as `tag:text` (two replies when asked), after an optional random delay. */
function echo(tag: string, o: { delayMs?: number; twice?: boolean; calls?: string[] } = {}): Assistant {
  return {
    greet: () => ({ replies: [] }),
    respond: async (ctx) => {
      o.calls?.push(`${ctx.conversationId}/${ctx.text}`);
      if (o.delayMs) await sleep(Math.random() * o.delayMs);
      const replies = [{ text: `${tag}:${ctx.text}` }];
      if (o.twice) replies.push({ text: `${tag}2:${ctx.text}` });
      return { replies };
    },
  };
}

/** An assistant whose answers wait until the test lets them go (a node stuck, or dead, mid-turn). */
function stuck(tag: string) {
  const waiting: Array<{ ctx: AssistantContext; go: (d: AssistantDecision) => void }> = [];
  const assistant: Assistant = {
    greet: () => ({ replies: [] }),
    respond: (ctx) => new Promise((go) => waiting.push({ ctx, go })),
  };
  return {
    assistant,
    waiting,
    release: () => waiting.splice(0).forEach((w) => w.go({ replies: [{ text: `${tag}:${w.ctx.text}` }] })),
  };
}

describe.skipIf(skip || noRedis)(`assistant turns as stored jobs (${dbKind})`, () => {
  let db: TestDatabase;
  let apps: App[] = [];
  let bus: Record<string, string>;

  beforeAll(() => {
    bus = busKind === 'redis' ? redisEnv() : {};
  });

  afterEach(async () => {
    await Promise.all(apps.map((a) => a.close()));
    apps = [];
    await db?.drop();
  });

  /** A node on the test's database (the first one migrates and seeds). */
  async function node(id: string, assistant: Assistant, env: Record<string, string> = {}): Promise<App> {
    const app = await createApp(testConfig(db, { ...bus, NODE_ID: id, ...env }), { assistant });
    apps.push(app);
    return app;
  }

  /** The first `n` demo cards, each with its cardmember as the actor. */
  async function cardmembers(app: App, n: number): Promise<Cardmember[]> {
    const rows = await app.store.db
      .selectFrom('cards as k')
      .innerJoin('cardmembers as cm', 'cm.id', 'k.cardmember_id')
      .select(['k.id as cardId', 'cm.id as cardmemberId', 'cm.first_name as firstName'])
      .orderBy('k.id')
      .limit(n)
      .execute();
    expect(rows).toHaveLength(n);
    return rows.map((r) => ({ role: 'cardmember', sessionHash: 'test', language: 'en', ...r }));
  }

  async function openChat(app: App, who: Cardmember): Promise<string> {
    const row = await app.services.conversations.openForCard({ ...who, language: 'en' });
    return row.id;
  }

  const say = (app: App, who: Cardmember, conversationId: string, body: string) =>
    app.services.conversations.send(who, { conversationId, clientMsgId: `c-${body}`, body });

  const transcript = async (app: App, conversationId: string) =>
    (
      await app.store.db
        .selectFrom('messages')
        .select(['author_type', 'body', 'meta'])
        .where('conversation_id', '=', conversationId)
        .orderBy('seq')
        .execute()
    ).map((m) => `${m.author_type}|${m.body}`);

  const jobs = (app: App) => app.store.db.selectFrom('assistant_jobs').selectAll().execute();

  it('answers a message once, its replies in order, and leaves no job behind', async () => {
    db = await freshDatabase();
    const s = stuck('held');
    const a = await node('node-a', s.assistant);
    const [maria] = await cardmembers(a, 1);
    const chat = await openChat(a, maria!);
    await say(a, maria!, chat, 'hello');
    await eventually(() => s.waiting.length === 1);
    // While the turn runs, its job is stored, leased to the node that stored the message (first take).
    const during = await jobs(a);
    expect(during).toHaveLength(1);
    expect(during[0]).toMatchObject({ conversation_id: chat, leased_by: 'node-a', attempts: 1 });
    expect(Date.parse(during[0]!.lease_until!)).toBeGreaterThan(Date.now());
    s.waiting.splice(0).forEach((w) => w.go({ replies: [{ text: 'first' }, { text: 'second' }] }));
    await a.services.conversations.idle();
    expect(await transcript(a, chat)).toEqual(['cardmember|hello', 'assistant|first', 'assistant|second']);
    expect(await jobs(a)).toEqual([]);
  });

  it('answers three quick messages in the order they were sent', async () => {
    db = await freshDatabase();
    const a = await node('node-a', echo('bot', { delayMs: 30 }));
    const [maria] = await cardmembers(a, 1);
    const chat = await openChat(a, maria!);
    await Promise.all(['one', 'two', 'three'].map((t) => say(a, maria!, chat, t)));
    await a.services.conversations.idle();
    const lines = await transcript(a, chat);
    const said = lines.filter((l) => l.startsWith('cardmember|')).map((l) => l.slice('cardmember|'.length));
    const answered = lines.filter((l) => l.startsWith('assistant|')).map((l) => l.slice('assistant|bot:'.length));
    expect(said).toHaveLength(3);
    expect(answered).toEqual(said);
    expect(await jobs(a)).toEqual([]);
  });

  it('a turn left behind by a node that died is answered by another node, exactly once', async () => {
    db = await freshDatabase();
    const fast = { ASSISTANT_JOB_LEASE_SECONDS: '1', ASSISTANT_JOB_SWEEP_MS: '100' };
    const s = stuck('A');
    const a = await node('node-a', s.assistant, fast);
    const [maria] = await cardmembers(a, 1);
    const chat = await openChat(a, maria!);
    await say(a, maria!, chat, 'lost-card');
    await eventually(() => s.waiting.length === 1);
    const [held] = await jobs(a);
    // Node A goes away mid-turn: it stops sweeping and never finishes (until the end of the test).
    apps = apps.filter((x) => x !== a);
    const closingA = a.close();
    const b = await node('node-b', echo('B'), fast);
    await eventually(async () => (await transcript(b, chat)).includes('assistant|B:lost-card'), 10_000);
    // Not before A's lease ran out.
    const reply = await b.store.db
      .selectFrom('messages')
      .select('created_at')
      .where('conversation_id', '=', chat)
      .where('author_type', '=', 'assistant')
      .executeTakeFirstOrThrow();
    expect(reply.created_at >= held!.lease_until!).toBe(true);
    expect(await jobs(b)).toEqual([]);
    // A wakes up and tries to store its answer: its take is stale, so nothing of it is stored.
    s.release();
    await closingA;
    expect(await transcript(b, chat)).toEqual(['cardmember|lost-card', 'assistant|B:lost-card']);
  });

  it('gives a turn up after five failed attempts and tells the cardmember', async () => {
    db = await freshDatabase();
    let calls = 0;
    const failing: Assistant = {
      greet: () => ({ replies: [] }),
      respond: async () => {
        calls++;
        throw new Error('model unavailable');
      },
    };
    const a = await node('node-a', failing, { ASSISTANT_JOB_SWEEP_MS: '50' });
    const [maria] = await cardmembers(a, 1);
    const chat = await openChat(a, maria!);
    await say(a, maria!, chat, 'help');
    await eventually(async () => (await jobs(a)).length === 0, 10_000);
    await a.services.conversations.idle();
    expect(calls).toBe(5);
    const rows = await a.store.db
      .selectFrom('messages')
      .select(['author_type', 'meta'])
      .where('conversation_id', '=', chat)
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => r.author_type)).toEqual(['cardmember', 'system']);
    expect(JSON.parse(rows[1]!.meta)).toEqual({ system: { code: 'assistant.unavailable', params: {} } });
  });

  it('two nodes sweeping one backlog of 30 turns answer each exactly once, in order per chat', async () => {
    db = await freshDatabase();
    const manual = { ASSISTANT_JOB_SWEEP_MS: '600000' };
    // Node 0 stores 10 chats x 3 messages and gets stuck on all of them: a backlog of 30 jobs.
    const s = stuck('zero');
    const n0 = await node('node-0', s.assistant, manual);
    const people = await cardmembers(n0, 10);
    const chats: string[] = [];
    for (const p of people) chats.push(await openChat(n0, p));
    for (let i = 0; i < 3; i++) {
      await Promise.all(people.map((p, k) => say(n0, p, chats[k]!, `m${i}-${k}`)));
    }
    expect(await jobs(n0)).toHaveLength(30);
    // Node 0's leases run out (as if it had died): the two others sweep the backlog at the same time.
    await n0.store.db.updateTable('assistant_jobs').set({ lease_until: '2000-01-01T00:00:00.000Z' }).execute();
    const calls: string[][] = [[], []];
    const n1 = await node('node-1', echo('one', { delayMs: 5, calls: calls[0] }), manual);
    const n2 = await node('node-2', echo('two', { delayMs: 5, calls: calls[1] }), manual);
    const drain = async (n: App) => {
      const deadline = Date.now() + 20_000;
      while ((await jobs(n)).length && Date.now() < deadline) {
        if ((await n.services.conversations.assistantJobs.sweep()) === 0) await sleep(5);
      }
    };
    await Promise.all([drain(n1), drain(n2)]);
    expect(await jobs(n1)).toEqual([]);
    // Each job's turn ran once (nobody took a job another node held), and each stored once.
    expect(calls[0]!.length + calls[1]!.length).toBe(30);
    expect(new Set([...calls[0]!, ...calls[1]!]).size).toBe(30);
    // Node 0 comes back: its stale takes store nothing.
    s.release();
    await n0.services.conversations.idle();
    for (const [k, chat] of chats.entries()) {
      const lines = await transcript(n1, chat);
      const said = lines.filter((l) => l.startsWith('cardmember|')).map((l) => l.split('|')[1]);
      const answered = lines.filter((l) => l.startsWith('assistant|')).map((l) => l.split(':')[1]);
      expect(said).toEqual([`m0-${k}`, `m1-${k}`, `m2-${k}`]);
      expect(answered).toEqual(said);
    }
  }, 60_000);
});
