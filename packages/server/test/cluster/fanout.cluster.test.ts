/**
 * Cross-node fan-out to the right audiences, on a three-node cluster (PostgreSQL + Redis, nodes in this
 * process): what happens on one node reaches the sockets on the others, and only those who may see it.
 *   - a chat's messages, typing and status cross nodes; an internal note reaches the agent on another
 *     node but never the cardmember (live or on replay);
 *   - a routing offer made by any node reaches the agent's console on its node, and so does its withdrawal;
 *   - signing out on one node closes that session's sockets on every node;
 *   - the supervisor board on one node follows a chat queued on another;
 *   - Redis dropping a node's subscriber connection loses nothing: the node resyncs from the store.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerFrame } from '@carechat/protocol';
import type { RedisBus } from '../../src/bus/redis-bus.js';
import {
  REDIS_URL,
  redisUnavailable,
  sleep,
  startCluster,
  staffLogin,
  storeUnavailable,
  TestSocket,
  widgetSession,
  type TestServer,
} from '../helpers.js';

const skip = (await storeUnavailable('postgres')) ?? (await redisUnavailable());

describe.skipIf(skip)('fan-out across three nodes', () => {
  let cluster: Awaited<ReturnType<typeof startCluster>>;
  let a: TestServer;
  let b: TestServer;
  let c: TestServer;
  beforeAll(async () => {
    cluster = await startCluster(3, { env: { ROUTING_SWEEP_MS: '200' } });
    [a, b, c] = cluster.nodes as [TestServer, TestServer, TestServer];
  }, 120_000);
  afterAll(async () => cluster?.close());

  const messages = (s: TestSocket) =>
    s.frames.filter((f): f is Extract<ServerFrame, { type: 'message' }> => f.type === 'message');

  it('carries a chat between nodes, offers to the agent where they are, and keeps notes from the cardmember', async () => {
    // Supervisor on C watches the board; agent Ben's console is on B; the cardmember is on A.
    const sofia = await staffLogin(c, 'sofia@carechat.test', 'demo-sofia-2024');
    const board = await TestSocket.open(c, { cookie: sofia.cookie });
    await board.handshake();
    const ben = await staffLogin(b, 'ben@carechat.test', 'demo-ben-2024');
    const console_ = await TestSocket.open(b, { cookie: ben.cookie });
    await console_.handshake();

    const session = await widgetSession(a, { sub: 'cm_sam', card: 'card_sam_blue' });
    const convId = session.conversation.id;
    const cm = await TestSocket.open(a, { sessionToken: session.sessionToken });
    await cm.handshake(convId, session.conversation.lastSeq);

    // Queued on A: the board on C shows it waiting.
    const onBoard = board.next('board', (f) => f.board.queues.some((q) => q.depth > 0), 15_000);
    cm.send({
      type: 'send',
      conversationId: convId,
      clientMsgId: 'fanout-msg-0001',
      body: 'I want to talk to a live agent please',
    });
    await cm.next('conversation', (f) => f.conversation.status === 'queued');
    await onBoard;

    // Ben goes available through A's API; routing (any node) offers the chat; his console on B hears it.
    const offer = console_.next('offer', (f) => f.offer.conversation.id === convId, 15_000);
    expect((await ben.call('PUT', '/api/agent/status', { status: 'available' })).status).toBe(200);
    const offered = (await offer).offer;
    // He accepts on C; the cardmember on A sees him join.
    const joined = cm.next('message', (f) => f.message.system?.code === 'agent.joined');
    const closedOffer = console_.next('offer_closed', (f) => f.offerId === offered.id);
    const accept = await fetch(`${c.url}/api/offers/${offered.id}/accept`, {
      method: 'POST',
      headers: { cookie: ben.cookie, 'x-csrf-token': ben.csrf },
    });
    expect(accept.status).toBe(200);
    await joined;
    expect((await closedOffer).reason).toBe('accepted');

    // Ben on B follows the chat; typing and messages cross A <-> B.
    await console_.handshake(convId, 0);
    const typing = cm.next('typing', (f) => f.state === 'start');
    console_.send({ type: 'typing', conversationId: convId, state: 'start' });
    expect((await typing).from.role).toBe('agent');
    const reply = cm.next('message', (f) => f.message.body === 'Hello Sam, Ben here.');
    console_.send({ type: 'send', conversationId: convId, clientMsgId: 'ben-msg-0001', body: 'Hello Sam, Ben here.' });
    await reply;

    // An internal note written through C: Ben's socket on B gets it, the cardmember's on A does not.
    const noteSeen = console_.next('message', (f) => f.message.body === 'Customer verified by phone earlier.');
    expect(
      (await ben.call('POST', `/api/conversations/${convId}/notes`, { body: 'Customer verified by phone earlier.' }))
        .status,
    ).toBe(200);
    const note = (await noteSeen).message;
    // A message after the note, so the cardmember's stream has moved past the note's seq.
    const after = cm.next('message', (f) => f.message.body === 'Thanks!');
    cm.send({ type: 'send', conversationId: convId, clientMsgId: 'fanout-msg-0002', body: 'Thanks!' });
    await after;
    expect(messages(cm).some((f) => f.message.seq === note.seq)).toBe(false);
    // Nor on a replay from another node.
    const replay = await TestSocket.open(c, { sessionToken: session.sessionToken });
    await replay.handshake(convId, 0);
    expect(messages(replay).map((f) => f.message.body)).toContain('Hello Sam, Ben here.');
    expect(messages(replay).some((f) => f.message.seq === note.seq)).toBe(false);

    // Every side saw its stream once, in order.
    for (const s of [cm, console_, replay]) {
      const seqs = messages(s)
        .filter((f) => f.message.conversationId === convId)
        .map((f) => f.message.seq);
      expect(seqs).toEqual([...new Set(seqs)].sort((x, y) => x - y));
    }

    // Ben signs out on A: his console socket on B is closed (4401-style session end), wherever it is.
    const closed = console_.closed();
    expect((await ben.call('POST', '/api/auth/logout')).status).toBe(200);
    expect(await closed).not.toBe(1006);
    for (const s of [cm, board, replay]) s.terminate();
  });

  it('loses nothing when Redis drops a node subscriber connection', async () => {
    const ana = await staffLogin(a, 'ana@carechat.test', 'demo-ana-2024');
    const session = await widgetSession(b, { sub: 'cm_priya', card: 'card_priya_gold' });
    const convId = session.conversation.id;
    const cm = await TestSocket.open(b, { sessionToken: session.sessionToken });
    await cm.handshake(convId, session.conversation.lastSeq);
    cm.send({
      type: 'send',
      conversationId: convId,
      clientMsgId: 'redis-cut-0000',
      body: 'I want to talk to a live agent please',
    });
    await cm.next('conversation', (f) => f.conversation.status === 'queued');
    expect((await ana.call('PUT', '/api/agent/status', { status: 'available' })).status).toBe(200);
    await sleep(300);
    const accepted = await ana.call('POST', `/api/conversations/${convId}/accept`);
    if (accepted.status !== 200) {
      // Routing may have offered it first: take the offer instead.
      const offers = (await ana.call('GET', '/api/offers')).json.offers as Array<{ id: string }>;
      expect((await ana.call('POST', `/api/offers/${offers[0]!.id}/accept`)).status).toBe(200);
    }
    const agent = await TestSocket.open(a, { cookie: ana.cookie });
    await agent.handshake(convId, 0);

    // Cut node B's subscriber connection at Redis while the agent on A keeps writing.
    const admin = new Redis(REDIS_URL);
    const name = (b.app.bus as RedisBus).subscriberName;
    const line = String(await admin.client('LIST'))
      .split('\n')
      .find((l) => l.includes(`name=${name} `));
    const id = /\bid=(\d+)/.exec(line ?? '')?.[1];
    expect(id, 'node B subscriber connection at Redis').toBeTruthy();
    expect(await admin.client('KILL', 'ID', id!)).toBe(1);
    const bodies = Array.from({ length: 20 }, (_, i) => `update ${i + 1}`);
    for (const [i, body] of bodies.entries()) {
      agent.send({ type: 'send', conversationId: convId, clientMsgId: `ana-redis-cut-${i}`, body });
    }
    // Sent while B's subscription is down: no later event will reveal a gap, only B's resync can.
    await cm.next('message', (f) => f.message.body === 'update 20', 15_000);
    const got = messages(cm)
      .filter((f) => f.message.author.role === 'agent')
      .map((f) => f.message.body);
    expect(got).toEqual(bodies);
    const seqs = messages(cm).map((f) => f.message.seq);
    expect(seqs).toEqual([...new Set(seqs)].sort((x, y) => x - y));
    admin.disconnect();
    cm.terminate();
    agent.terminate();
  });
});
