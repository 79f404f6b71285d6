/**
 * Graceful drain over real sockets: every socket is told to `reconnect` (each after its own random
 * delay) and closed with 1012; a send the node already received is finished (stored and acked) before
 * the close, and stored once even when the client re-sends it to another node; a client that moves to
 * another node resumes by seq without losing anything written while it was away.
 * "Another node": on PostgreSQL with Redis a real two-node cluster; on SQLite a second app on the same
 * database file (a rolling restart), which is all the resume path needs: the store is the truth.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerFrame } from '@carechat/protocol';
import { createApp } from '../app.js';
import {
  dbKind,
  eventually,
  freshDatabase,
  redisUnavailable,
  sleep,
  startCluster,
  startServer,
  staffLogin,
  storeUnavailable,
  testConfig,
  TestSocket,
  widgetSession,
  type TestServer,
} from '../../test/helpers.js';

const skip = await storeUnavailable();
const cluster = dbKind === 'postgres' && !skip && !(await redisUnavailable());

/** Two nodes on one store (see the file comment). */
async function twoNodes(
  env: Record<string, string>,
): Promise<{ a: TestServer; b: TestServer; close(): Promise<void> }> {
  if (cluster) {
    const c = await startCluster(2, { env, db: 'postgres' });
    return { a: c.nodes[0]!, b: c.nodes[1]!, close: () => c.close() };
  }
  const db = await freshDatabase(dbKind);
  const start = async (nodeId: string): Promise<TestServer> => {
    const app = await createApp(testConfig(db, { NODE_ID: nodeId, ...env }));
    const url = (await app.listen()).replace('localhost', '127.0.0.1');
    return { app, url, wsUrl: url.replace(/^http/, 'ws') + '/ws', origin: url, close: () => app.close() };
  };
  const a = await start('node-a');
  const b = await start('node-b');
  return {
    a,
    b,
    async close() {
      await Promise.allSettled([a.close(), b.close()]);
      await db.drop();
    },
  };
}

const seqsOf = (frames: ServerFrame[]) =>
  frames.flatMap((f) => (f.type === 'message' ? [f.message.seq] : f.type === 'ack' ? [f.seq] : []));

async function storedSeqs(s: TestServer, conversationId: string): Promise<number[]> {
  const rows = await s.app.store.db
    .selectFrom('messages')
    .select('seq')
    .where('conversation_id', '=', conversationId)
    .where('kind', '!=', 'note')
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.seq);
}

async function storedWith(s: TestServer, conversationId: string, clientMsgId: string) {
  return s.app.store.db
    .selectFrom('messages')
    .select(['seq', 'body'])
    .where('conversation_id', '=', conversationId)
    .where('client_msg_id', '=', clientMsgId)
    .execute();
}

describe.skipIf(skip)('graceful drain', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('tells every socket to reconnect with its own delay, then closes it with 1012 and refuses new ones', async () => {
    const s = await startServer({ env: { SHUTDOWN_DRAIN_MS: '0' } });
    cleanups.push(() => s.close());
    const sockets: TestSocket[] = [];
    for (let i = 0; i < 4; i++) {
      const session = await widgetSession(s);
      const cm = await TestSocket.open(s, { sessionToken: session.sessionToken });
      await cm.handshake(session.conversation.id, session.conversation.lastSeq);
      sockets.push(cm);
    }
    const staff = await staffLogin(s);
    const console_ = await TestSocket.open(s, { cookie: staff.cookie });
    await console_.handshake();
    sockets.push(console_);
    expect(s.app.gateway.size).toBe(5);

    const started = Date.now();
    await s.app.drain();
    const delays: number[] = [];
    for (const t of sockets) {
      expect(await t.closed()).toBe(1012);
      const reconnects = t.frames.filter((f) => f.type === 'reconnect');
      expect(reconnects).toHaveLength(1);
      const r = reconnects[0] as Extract<ServerFrame, { type: 'reconnect' }>;
      expect(r.reason).toBe('draining');
      expect(r.retryAfterMs).toBeGreaterThanOrEqual(0);
      expect(r.retryAfterMs).toBeLessThanOrEqual(2000);
      delays.push(r.retryAfterMs);
    }
    // Spread, not one instant for everyone (5 draws from 0..2000 all equal: practically impossible).
    expect(new Set(delays).size).toBeGreaterThan(1);
    // Idle sockets are closed at once, not after the spread: the client waits, not the server.
    expect(Date.now() - started).toBeLessThan(1500);
    expect(s.app.gateway.size).toBe(0);

    const session = await widgetSession(s);
    const refused = await TestSocket.open(s, { sessionToken: session.sessionToken }).then(
      () => null,
      (err: { status?: number; body?: any }) => err,
    );
    expect(refused?.status).toBe(503);
    expect(refused?.body?.error?.code).toBe('draining');
  });

  it('finishes sends already received before closing: each acked, stored once, a re-send on another node a duplicate', async () => {
    const nodes = await twoNodes({ SHUTDOWN_DRAIN_MS: '0' });
    cleanups.push(() => nodes.close());
    const { a, b } = nodes;
    const session = await widgetSession(a);
    const convId = session.conversation.id;
    const cm = await TestSocket.open(a, { sessionToken: session.sessionToken });
    await cm.handshake(convId, session.conversation.lastSeq);

    // Make the store slow for sends on node A, so the drain starts while they are being handled.
    const conversations = a.app.services.conversations;
    const send = conversations.send.bind(conversations);
    let entered = 0;
    conversations.send = async (...args: Parameters<typeof send>) => {
      entered++;
      await sleep(300);
      return send(...args);
    };
    const ids = ['race-0000-0001', 'race-0000-0002', 'race-0000-0003'];
    for (const [i, id] of ids.entries())
      cm.send({ type: 'send', conversationId: convId, clientMsgId: id, body: `racing ${i}` });
    await eventually(() => entered === 1);
    await sleep(50); // the other two frames are read and queued behind the first
    const drained = a.app.drain();
    await drained;

    expect(await cm.closed()).toBe(1012);
    const acks = cm.frames.filter((f): f is Extract<ServerFrame, { type: 'ack' }> => f.type === 'ack');
    expect(acks.map((f) => f.clientMsgId)).toEqual(ids);
    expect(acks.every((f) => !f.duplicate)).toBe(true);
    // The client was told to move first, and still got every ack before the close.
    const order = cm.frames.map((f) => f.type);
    expect(order.indexOf('reconnect')).toBeLessThan(order.lastIndexOf('ack'));
    for (const [i, id] of ids.entries()) {
      const rows = await storedWith(a, convId, id);
      expect(rows).toEqual([{ seq: acks[i]!.seq, body: `racing ${i}` }]);
    }

    // A client that missed the acks re-sends on the node it reaches: same seq, nothing new stored.
    const moved = await TestSocket.open(b, { sessionToken: session.sessionToken });
    await moved.handshake(convId, 0);
    for (const [i, id] of ids.entries()) {
      const ack = moved.next('ack', (f) => f.clientMsgId === id);
      moved.send({ type: 'send', conversationId: convId, clientMsgId: id, body: `racing ${i}` });
      expect(await ack).toMatchObject({ duplicate: true, seq: acks[i]!.seq });
      expect(await storedWith(b, convId, id)).toHaveLength(1);
    }
    moved.terminate();
  });

  it('a client that moves to another node resumes by seq: nothing written while it was away is lost or doubled', async () => {
    const nodes = await twoNodes({ SHUTDOWN_DRAIN_MS: '0' });
    cleanups.push(() => nodes.close());
    const { a, b } = nodes;
    const session = await widgetSession(a);
    const convId = session.conversation.id;
    const cm = await TestSocket.open(a, { sessionToken: session.sessionToken });
    await cm.handshake(convId, session.conversation.lastSeq);
    const before = cm.next('ack');
    cm.send({ type: 'send', conversationId: convId, clientMsgId: 'move-0000-0001', body: 'What are your hours?' });
    await before;
    // The assistant's answer, so the drain does not race it (that is the previous test's subject).
    await eventually(() => cm.frames.some((f) => f.type === 'message' && f.message.author.role === 'assistant'));

    await a.app.drain();
    const reconnect = cm.frames.find((f) => f.type === 'reconnect');
    expect(reconnect).toBeDefined();
    expect(await cm.closed()).toBe(1012);
    const held = [session.conversation.lastSeq, ...seqsOf(cm.frames)];
    const lastSeq = Math.max(...held);

    // While it waits, the conversation goes on elsewhere (another tab of the same cardmember, on B).
    const other = await TestSocket.open(b, { sessionToken: session.sessionToken });
    await other.handshake(convId, lastSeq);
    const away = other.next('ack');
    other.send({
      type: 'send',
      conversationId: convId,
      clientMsgId: 'move-0000-0002',
      body: 'Thanks, and my balance?',
    });
    await away;
    other.terminate();

    // It reconnects (the balancer sends it to B) and resumes from the highest seq it holds.
    const resumed = await TestSocket.open(b, { sessionToken: session.sessionToken });
    const subscribed = await resumed.handshake(convId, lastSeq);
    expect(subscribed!.headSeq).toBeGreaterThan(lastSeq);
    const replayed = seqsOf(resumed.frames);
    expect(replayed.every((q) => q > lastSeq)).toBe(true);
    // Everything the store has arrives exactly once across the two sockets (answers may still be coming).
    await eventually(async () => {
      const all = [...new Set([...held.filter((q) => q > 0), ...seqsOf(resumed.frames)])].sort((x, y) => x - y);
      const stored = await storedSeqs(b, convId);
      return stored.length > 0 && JSON.stringify(all) === JSON.stringify(stored);
    });
    const fromB = seqsOf(resumed.frames.filter((f) => f.type === 'message'));
    expect(new Set(fromB).size).toBe(fromB.length);
    resumed.terminate();
  });
});
