/**
 * Protocol guarantees over real sockets: exactly-once, in-order delivery across 100 killed
 * connections, idempotent retries, and a clear error (with nothing stored) for every kind of bad input.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FRAME_BYTES, type Message } from '@carechat/protocol';
import {
  eventually,
  postJson,
  siteToken,
  startServer,
  staffLogin,
  storeUnavailable,
  TestSocket,
  widgetSession,
  type TestServer,
} from './helpers.js';

const skip = await storeUnavailable();

/** A client that behaves like the widget/console: outbox, resend after reconnect, dedupe by seq. */
class ResilientClient {
  readonly received = new Map<number, Message>();
  readonly deliveries: number[] = [];
  readonly outbox = new Map<string, string>();
  readonly acked = new Map<string, number>();
  duplicateAcks = 0;
  sock: TestSocket | null = null;

  constructor(
    private readonly s: TestServer,
    private readonly auth: { sessionToken?: string; cookie?: string },
    private readonly conversationId: string,
  ) {}

  get lastSeq(): number {
    let n = 0;
    while (this.received.has(n + 1)) n++;
    return n;
  }

  async connect(): Promise<void> {
    const sock = await TestSocket.open(this.s, this.auth);
    this.sock = sock;
    sock.ws.on('message', (data) => {
      const f = JSON.parse(String(data));
      if (f.type === 'message' && f.message.conversationId === this.conversationId) {
        this.deliveries.push(f.message.seq);
        this.received.set(f.message.seq, f.message);
      }
      if (f.type === 'ack') {
        this.acked.set(f.clientMsgId, f.seq);
        if (f.duplicate) this.duplicateAcks++;
        this.outbox.delete(f.clientMsgId);
      }
    });
    await sock.handshake(this.conversationId, this.lastSeq);
    for (const [clientMsgId, body] of this.outbox) {
      sock.send({ type: 'send', conversationId: this.conversationId, clientMsgId, body });
    }
  }

  sendText(body: string): string {
    const clientMsgId = randomUUID();
    this.outbox.set(clientMsgId, body);
    this.sock?.send({ type: 'send', conversationId: this.conversationId, clientMsgId, body });
    return clientMsgId;
  }

  kill(): void {
    this.sock?.terminate();
    this.sock = null;
  }
}

describe.skipIf(skip)('protocol', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(async () => s?.close());

  /** A conversation between Maria (card 1005) and agent Ana, assigned so the assistant stays quiet. */
  async function assignedConversation() {
    const session = await widgetSession(s, { card: 'card_maria_biz' });
    const convId = session.conversation.id;
    await s.app.services.conversations.enqueue(convId, 'general', 0, 'test');
    const agent = await staffLogin(s);
    const r = await agent.call('POST', `/api/conversations/${convId}/accept`);
    expect(r.status).toBe(200);
    return { session, convId, agent };
  }

  it('delivers every message exactly once, in order, on both sides across 100 killed connections', async () => {
    const { session, convId, agent } = await assignedConversation();
    const cm = new ResilientClient(s, { sessionToken: session.sessionToken }, convId);
    const ag = new ResilientClient(s, { cookie: agent.cookie }, convId);
    await cm.connect();
    await ag.connect();

    const sentBodies: string[] = [];
    for (let round = 0; round < 100; round++) {
      // Both sides send; one side's socket dies mid-send (right after the frame is written).
      sentBodies.push(`cm ${round}`);
      cm.sendText(`cm ${round}`);
      sentBodies.push(`ag ${round}`);
      ag.sendText(`ag ${round}`);
      const victim = round % 2 === 0 ? cm : ag;
      victim.kill();
      // Every few rounds, re-send an already-acked clientMsgId to prove retries are idempotent.
      if (round % 10 === 5) {
        const [id, seq] = [...cm.acked.entries()][0] ?? [];
        if (id) {
          cm.outbox.set(id, 'retried text must not be stored');
          expect(seq).toBeGreaterThan(0);
        }
      }
      await victim.connect();
    }
    await eventually(() => cm.outbox.size === 0 && ag.outbox.size === 0, 15_000);
    const head = (await s.app.services.conversations.viewById(convId))!.lastSeq;
    await eventually(() => cm.lastSeq === head && ag.lastSeq === head, 15_000);

    // Stored exactly once each, nothing extra (the 2 system messages + 200 texts + greeting).
    const rows = await s.app.store.db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', convId)
      .orderBy('seq')
      .execute();
    const texts = rows.filter((r) => r.kind === 'text' && r.author_type !== 'assistant').map((r) => r.body);
    expect(texts.sort()).toEqual([...sentBodies].sort());
    expect(texts).not.toContain('retried text must not be stored');
    // The retry path was really exercised: resent, already-stored messages were answered as duplicates.
    expect(cm.duplicateAcks).toBeGreaterThanOrEqual(10);
    expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));

    for (const c of [cm, ag]) {
      // Both sides hold every seq 1..head, and no seq was shown twice on any one connection's stream
      // after resume (the client-side map dedupes; the server must not skip any seq).
      expect([...c.received.keys()].sort((a, b) => a - b)).toEqual(rows.map((r) => Number(r.seq)));
      expect(c.received.get(head)!.body).toBe(rows[rows.length - 1]!.body);
    }
    // Within each connection's lifetime delivery is strictly increasing (replay then live, no dupes).
    const strictlyIncreasingRuns = (seqs: number[]) => {
      let violations = 0;
      for (let i = 1; i < seqs.length; i++) if (seqs[i]! <= seqs[i - 1]! && seqs[i]! > 0) violations++;
      return violations;
    };
    // A reconnect restarts at lastSeq+1, which is > anything held, so even across connections no seq repeats.
    expect(strictlyIncreasingRuns(cm.deliveries)).toBe(0);
    expect(strictlyIncreasingRuns(ag.deliveries)).toBe(0);
    cm.kill();
    ag.kill();
  }, 120_000);

  it('answers a retried clientMsgId with the first result and stores it once', async () => {
    const session = await widgetSession(s, { card: 'card_maria_gold' });
    const convId = session.conversation.id;
    const sock = await TestSocket.open(s, { sessionToken: session.sessionToken });
    await sock.handshake(convId, session.conversation.lastSeq);
    const clientMsgId = randomUUID();
    sock.send({ type: 'send', conversationId: convId, clientMsgId, body: 'first' });
    const a1 = await sock.next('ack', (f) => f.clientMsgId === clientMsgId);
    sock.send({ type: 'send', conversationId: convId, clientMsgId, body: 'second' });
    const a2 = await sock.next('ack', (f) => f.clientMsgId === clientMsgId && f.duplicate);
    expect(a2.seq).toBe(a1.seq);
    expect(a2.body).toBe('first');
    const n = await s.app.store.db
      .selectFrom('messages')
      .select('id')
      .where('client_msg_id', '=', clientMsgId)
      .execute();
    expect(n).toHaveLength(1);
    sock.terminate();
  });

  describe('bad input', () => {
    async function openCardmember(card = 'card_sam_blue', sub = 'cm_sam') {
      const session = await widgetSession(s, { sub, card });
      const sock = await TestSocket.open(s, { sessionToken: session.sessionToken });
      await sock.handshake(session.conversation.id, session.conversation.lastSeq);
      return { session, sock, convId: session.conversation.id };
    }
    const messageCount = async () =>
      Number(
        (
          await s.app.store.db
            .selectFrom('messages')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it('malformed JSON gets bad_json and the connection stays usable', async () => {
      const { sock, convId } = await openCardmember();
      const before = await messageCount();
      sock.send('{"type":"send", nope');
      expect((await sock.next('error')).code).toBe('bad_json');
      sock.send({ type: 'send', conversationId: convId, clientMsgId: 'x', body: 'hi' });
      expect((await sock.next('error', (f) => f.code === 'bad_frame')).message).toMatch(/clientMsgId/);
      sock.send({ type: 'launch_missiles' });
      await sock.next('error', (f) => f.code === 'bad_frame' && /type/.test(f.message));
      expect(await messageCount()).toBe(before);
      sock.send({ type: 'ping', nonce: 'still-alive' });
      expect((await sock.next('pong')).nonce).toBe('still-alive');
      sock.terminate();
    });

    it('an oversize frame gets frame_too_large and close 1009; an overlong body message_too_long', async () => {
      const { sock, convId } = await openCardmember();
      const before = await messageCount();
      sock.send({ type: 'send', conversationId: convId, clientMsgId: randomUUID(), body: 'a'.repeat(4001) });
      expect((await sock.next('error')).code).toBe('message_too_long');
      sock.send({ type: 'send', conversationId: convId, clientMsgId: randomUUID(), body: '   ' });
      expect((await sock.next('error', (f) => f.code === 'message_empty')).clientMsgId).toBeTruthy();
      sock.send({
        type: 'send',
        conversationId: convId,
        clientMsgId: randomUUID(),
        body: 'x'.repeat(MAX_FRAME_BYTES + 10),
      });
      expect((await sock.next('error', (f) => f.code === 'frame_too_large')).code).toBe('frame_too_large');
      expect(await sock.closed()).toBe(1009);
      expect(await messageCount()).toBe(before);
    });

    it('unknown and foreign conversation ids both get conversation_not_found', async () => {
      const { sock } = await openCardmember();
      const maria = await widgetSession(s, { sub: 'cm_maria', card: 'card_maria_gold' });
      const before = await messageCount();
      for (const conversationId of ['does-not-exist', maria.conversation.id]) {
        sock.send({ type: 'subscribe', conversationId, lastSeq: 0 });
        expect((await sock.next('error', (f) => f.conversationId === conversationId)).code).toBe(
          'conversation_not_found',
        );
        sock.send({ type: 'send', conversationId, clientMsgId: randomUUID(), body: 'let me in' });
        await sock.next('error', (f) => f.conversationId === conversationId && !!f.clientMsgId);
      }
      expect(
        sock.frames.filter((f) => f.type === 'message' && f.message.conversationId === maria.conversation.id),
      ).toHaveLength(0);
      expect(await messageCount()).toBe(before);
      const r = await fetch(`${s.url}/api/widget/conversations/${maria.conversation.id}/transcript`, {
        headers: {
          authorization: `Bearer ${(await widgetSession(s, { sub: 'cm_sam', card: 'card_sam_blue' })).sessionToken}`,
        },
      });
      expect(r.status).toBe(404);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('conversation_not_found');
      sock.terminate();
    });

    it('frames before hello get hello_required; a wrong protocol version is refused', async () => {
      const session = await widgetSession(s, { sub: 'cm_sam', card: 'card_sam_blue' });
      const sock = await TestSocket.open(s, { sessionToken: session.sessionToken });
      sock.send({ type: 'subscribe', conversationId: session.conversation.id, lastSeq: 0 });
      expect((await sock.next('error')).code).toBe('hello_required');
      sock.send({ type: 'hello', protocol: 99 });
      expect((await sock.next('error', (f) => f.code === 'unsupported_protocol')).code).toBe('unsupported_protocol');
      expect(await sock.closed()).toBe(4400);
    });

    it('an expired site token gets token_expired and no chat', async () => {
      const countConvs = async () =>
        Number(
          (
            await s.app.store.db
              .selectFrom('conversations')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await countConvs();
      const expired = await siteToken(
        { sub: 'cm_jose', card: 'card_jose_green' },
        { iat: Math.floor(Date.now() / 1000) - 900, expiresIn: Math.floor(Date.now() / 1000) - 60 },
      );
      const r = await postJson(`${s.url}/api/widget/session`, { token: expired });
      expect(r.status).toBe(401);
      expect(r.json.error.code).toBe('token_expired');
      expect(await countConvs()).toBe(before);
    });

    it('a wrong Origin, a missing credential and a bad session are refused at upgrade', async () => {
      const session = await widgetSession(s, { sub: 'cm_sam', card: 'card_sam_blue' });
      await expect(
        TestSocket.open(s, { sessionToken: session.sessionToken, origin: 'https://evil.example' }),
      ).rejects.toMatchObject({
        status: 403,
        body: { error: { code: 'forbidden' } },
      });
      await expect(TestSocket.open(s, {})).rejects.toMatchObject({ status: 401 });
      await expect(TestSocket.open(s, { sessionToken: 'not-a-real-session' })).rejects.toMatchObject({
        status: 401,
        body: { error: { code: 'unauthorized' } },
      });
      await expect(
        TestSocket.open(s, { sessionToken: session.sessionToken, protocols: ['chat'] }),
      ).rejects.toMatchObject({ status: 400 });
    });

    it('a flood is rate limited and nothing beyond the budget is stored', async () => {
      const { sock, convId } = await openCardmember();
      const before = await messageCount();
      for (let i = 0; i < 80; i++) sock.send({ type: 'typing', conversationId: convId, state: 'start' });
      await sock.next('error', (f) => f.code === 'rate_limited');
      expect(await messageCount()).toBe(before);
      // A dropped send is named, so the client can re-send exactly that message later.
      sock.send({ type: 'send', conversationId: convId, clientMsgId: 'flooded-msg-0001', body: 'dropped' });
      const dropped = await sock.next('error', (f) => f.code === 'rate_limited' && !!f.clientMsgId);
      expect(dropped.clientMsgId).toBe('flooded-msg-0001');
      expect(await messageCount()).toBe(before);
      sock.terminate();
    });
  });
});
