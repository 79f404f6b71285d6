import type { ServerFrame } from '@carechat/protocol/client';
import { describe, expect, it } from 'vitest';
import { backoffDelay, Connection, type ConnectionStatus } from './connection.js';
import { loadOutbox } from './outbox.js';
import { buildConversation, buildMessage, FakeClock, FakeSocket, MemoryStorage } from './test-support.js';

const KEY = 'outbox-test';

function setup(options: { storage?: MemoryStorage; lastSeq?: number; token?: string } = {}) {
  const clock = new FakeClock();
  const storage = options.storage ?? new MemoryStorage();
  const sockets: FakeSocket[] = [];
  const frames: ServerFrame[] = [];
  const statuses: ConnectionStatus[] = [];
  const authFailures: number[] = [];
  const fatals: string[] = [];
  const openFails: number[] = [];
  let lastSeq = options.lastSeq ?? 0;
  let ids = 0;
  const connection = new Connection({
    url: 'ws://chat.test/ws',
    sessionToken: options.token ?? 'sess_1',
    conversationId: 'conv_1',
    getLastSeq: () => lastSeq,
    createSocket: (url, protocols) => {
      const s = new FakeSocket(url, protocols);
      sockets.push(s);
      return s;
    },
    events: {
      frame: (f) => frames.push(f),
      status: (s) => statuses.push(s),
      outbox: () => {},
      authFailed: (code) => authFailures.push(code),
      fatal: (code) => fatals.push(code),
      openFailed: (count) => openFails.push(count),
    },
    timers: clock,
    random: () => 0.5,
    storage,
    storageKey: KEY,
    newId: () => `client-msg-${++ids}`,
  });
  const socket = () => sockets[sockets.length - 1]!;
  /** Plays the server side of a handshake on the newest socket. */
  const handshake = (heartbeatMs = 25_000) => {
    socket().open();
    socket().receive({
      type: 'welcome',
      protocol: 1,
      connectionId: 'c',
      identity: { role: 'cardmember', id: 'cm_1', displayName: 'Maria', language: 'en' },
      heartbeatMs,
    });
    socket().receive({
      type: 'subscribed',
      conversationId: 'conv_1',
      headSeq: lastSeq,
      conversation: buildConversation(),
    });
  };
  const ack = (clientMsgId: string, seq: number, body = 'stored') =>
    socket().receive({
      type: 'ack',
      conversationId: 'conv_1',
      clientMsgId,
      seq,
      messageId: `m${seq}`,
      duplicate: false,
      body,
      createdAt: 'x',
    });
  return {
    clock,
    storage,
    sockets,
    frames,
    statuses,
    authFailures,
    fatals,
    openFails,
    connection,
    socket,
    handshake,
    ack,
    setLastSeq: (n: number) => (lastSeq = n),
  };
}

describe('Connection handshake', () => {
  it('offers the versioned subprotocol plus the session token, says hello, then subscribes with lastSeq', () => {
    const t = setup({ lastSeq: 7, token: 'sess_abc' });
    t.connection.start();
    expect(t.socket().url).toBe('ws://chat.test/ws');
    expect(t.socket().protocols).toEqual(['carechat.v1', 'carechat.auth.sess_abc']);
    t.socket().open();
    expect(t.socket().sent).toEqual([{ type: 'hello', protocol: 1, client: 'carechat-widget' }]);
    t.handshake();
    expect(t.socket().sentOfType('subscribe')).toEqual([{ type: 'subscribe', conversationId: 'conv_1', lastSeq: 7 }]);
    expect(t.statuses.at(-1)).toBe('online');
    expect(t.connection.isOnline).toBe(true);
  });

  it('ignores frames that are not JSON objects and unknown frame types', () => {
    const t = setup();
    t.connection.start();
    t.handshake();
    t.socket().onmessage?.({ data: 'not json' });
    t.socket().receive({ type: 'brand_new_frame', x: 1 });
    expect(t.connection.isOnline).toBe(true);
  });
});

describe('Connection outbox', () => {
  it('holds a message typed while offline and sends it once subscribed', () => {
    const t = setup();
    t.connection.start();
    const id = t.connection.send('hello there');
    expect(t.socket().sentOfType('send')).toEqual([]);
    t.handshake();
    expect(t.socket().sentOfType('send')).toEqual([
      { type: 'send', conversationId: 'conv_1', clientMsgId: id, body: 'hello there' },
    ]);
  });

  it('removes an item (memory and sessionStorage) when its ack arrives', () => {
    const t = setup();
    t.connection.start();
    t.handshake();
    const id = t.connection.send('hi');
    expect(loadOutbox(t.storage, KEY).map((i) => i.clientMsgId)).toEqual([id]);
    t.ack(id, 2);
    expect(t.connection.outbox).toEqual([]);
    expect(t.storage.getItem(KEY)).toBeNull();
    expect(t.frames.some((f) => f.type === 'ack')).toBe(true);
  });

  it('re-sends every un-acked item with the same clientMsgId after a reconnect, and not the acked ones', () => {
    const t = setup();
    t.connection.start();
    t.handshake();
    const first = t.connection.send('first');
    const second = t.connection.send('second');
    t.ack(first, 3);
    t.setLastSeq(3);
    t.socket().drop(1006);
    expect(t.statuses.at(-1)).toBe('reconnecting');
    expect(t.sockets).toHaveLength(1);
    t.clock.advance(backoffDelay(0, () => 0.5));
    expect(t.sockets).toHaveLength(2);
    t.handshake();
    expect(t.socket().sentOfType('subscribe')[0]?.lastSeq).toBe(3);
    expect(t.socket().sentOfType('send')).toEqual([
      { type: 'send', conversationId: 'conv_1', clientMsgId: second, body: 'second' },
    ]);
  });

  it('survives a page reload: a new connection on the same storage re-sends with the original id', () => {
    const storage = new MemoryStorage();
    const before = setup({ storage });
    before.connection.start();
    const id = before.connection.send('typed before reload');
    const after = setup({ storage });
    after.connection.start();
    after.handshake();
    expect(after.socket().sentOfType('send')).toEqual([
      { type: 'send', conversationId: 'conv_1', clientMsgId: id, body: 'typed before reload' },
    ]);
  });

  it('treats the message echo of its own clientMsgId as an ack (the ack itself was lost)', () => {
    const t = setup();
    t.connection.start();
    t.handshake();
    const id = t.connection.send('hi');
    t.socket().receive({
      type: 'message',
      message: buildMessage(4, { clientMsgId: id, author: { role: 'cardmember', id: 'cm_1', name: 'Maria' } }),
    });
    expect(t.connection.outbox).toEqual([]);
  });

  it('re-sends an item whose ack is overdue on a live connection', () => {
    const t = setup();
    t.connection.start();
    t.handshake();
    const id = t.connection.send('hi');
    t.clock.advance(9_999);
    expect(t.socket().sentOfType('send')).toHaveLength(1);
    t.clock.advance(1);
    expect(
      t
        .socket()
        .sentOfType('send')
        .map((f) => f.clientMsgId),
    ).toEqual([id, id]);
  });

  it('keeps a rate-limited item and sends it again later with the same id', () => {
    const t = setup();
    t.connection.start();
    t.handshake();
    const id = t.connection.send('hi');
    t.socket().receive({ type: 'error', code: 'rate_limited', message: 'slow down', clientMsgId: id });
    expect(t.connection.outbox[0]?.status).toBe('pending');
    t.clock.advance(backoffDelay(1, () => 0.5, 1000));
    expect(
      t
        .socket()
        .sentOfType('send')
        .map((f) => f.clientMsgId),
    ).toEqual([id, id]);
  });

  it('re-sends in-flight items soon when the server rate-limits without naming the frame', () => {
    const t = setup();
    t.connection.start();
    t.handshake();
    const id = t.connection.send('hi');
    t.socket().receive({ type: 'error', code: 'rate_limited', message: 'slow down' });
    t.clock.advance(backoffDelay(1, () => 0.5, 1000));
    expect(
      t
        .socket()
        .sentOfType('send')
        .map((f) => f.clientMsgId),
    ).toEqual([id, id]);
    t.ack(id, 2);
    t.clock.advance(60_000);
    expect(t.socket().sentOfType('send')).toHaveLength(2);
  });

  it('marks a too-long message failed with the reason, keeps its text, and does not re-send it', () => {
    const t = setup();
    t.connection.start();
    t.handshake();
    const id = t.connection.send('x'.repeat(10));
    t.socket().receive({ type: 'error', code: 'message_too_long', message: 'too long', clientMsgId: id });
    expect(t.connection.outbox).toEqual([
      expect.objectContaining({ clientMsgId: id, status: 'failed', error: 'message_too_long', body: 'x'.repeat(10) }),
    ]);
    t.socket().drop();
    t.clock.advance(10_000);
    t.handshake();
    expect(t.socket().sentOfType('send')).toEqual([]);
    t.connection.retry(id);
    expect(
      t
        .socket()
        .sentOfType('send')
        .map((f) => f.clientMsgId),
    ).toEqual([id]);
  });

  it('drops items already present in the history (reconcile)', () => {
    const t = setup();
    const id = t.connection.send('hi');
    t.connection.reconcile([
      buildMessage(5, { clientMsgId: id, author: { role: 'cardmember', id: 'cm_1', name: null } }),
    ]);
    expect(t.connection.outbox).toEqual([]);
  });

  it('turns items of an ended conversation into failed ones when switching to a new chat', () => {
    const t = setup();
    t.connection.start();
    t.handshake();
    const id = t.connection.send('left behind');
    t.connection.setConversation('conv_2');
    expect(t.connection.outbox).toEqual([
      expect.objectContaining({
        clientMsgId: id,
        conversationId: 'conv_2',
        status: 'failed',
        error: 'conversation_closed',
      }),
    ]);
    expect(t.socket().sentOfType('unsubscribe')).toEqual([{ type: 'unsubscribe', conversationId: 'conv_1' }]);
    expect(t.socket().sentOfType('subscribe').at(-1)).toEqual({
      type: 'subscribe',
      conversationId: 'conv_2',
      lastSeq: 0,
    });
  });
});

describe('Connection reconnect and heartbeat', () => {
  it('backs off exponentially with jitter, capped at 10 s, and resets after a welcome', () => {
    const t = setup();
    t.connection.start();
    const gaps: number[] = [];
    for (let i = 0; i < 8; i++) {
      const before = t.sockets.length;
      t.socket().drop(1006);
      let waited = 0;
      while (t.sockets.length === before) {
        t.clock.advance(50);
        waited += 50;
      }
      gaps.push(waited);
    }
    expect(gaps[1]!).toBeGreaterThan(gaps[0]!);
    expect(gaps[3]!).toBeGreaterThan(gaps[2]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(10_000);
    t.handshake();
    t.socket().drop(1006);
    expect(t.clock.timerCount).toBe(1);
    t.clock.advance(backoffDelay(0, () => 0.5));
    expect(t.sockets).toHaveLength(10);
  });

  it('backoffDelay stays between half and all of the capped exponential', () => {
    expect(backoffDelay(0, () => 0)).toBe(250);
    expect(backoffDelay(0, () => 1)).toBe(500);
    expect(backoffDelay(3, () => 0.5)).toBe(3000);
    expect(backoffDelay(20, () => 1)).toBe(10_000);
    expect(backoffDelay(20, () => 0)).toBe(5_000);
  });

  it('stops and reports an auth failure on 4401/4403 instead of reconnecting', () => {
    for (const code of [4401, 4403]) {
      const t = setup();
      t.connection.start();
      t.handshake();
      t.socket().drop(code);
      t.clock.advance(60_000);
      expect(t.sockets).toHaveLength(1);
      expect(t.authFailures).toEqual([code]);
    }
  });

  it('reports unsupported protocol (4400) and too-big frames (1009) as fatal', () => {
    const a = setup();
    a.connection.start();
    a.socket().drop(4400);
    const b = setup();
    b.connection.start();
    b.socket().drop(1009);
    a.clock.advance(60_000);
    expect([...a.fatals, ...b.fatals]).toEqual(['unsupported_protocol', 'frame_too_large']);
    expect(a.sockets).toHaveLength(1);
  });

  it('pings every heartbeatMs and abandons a socket that has gone silent', () => {
    const t = setup();
    t.connection.start();
    t.handshake(1000);
    t.clock.advance(1000);
    expect(t.socket().sentOfType('ping')).toHaveLength(1);
    t.socket().receive({ type: 'pong', nonce: '1', serverTime: 'now' });
    t.clock.advance(1000);
    expect(t.socket().sentOfType('ping')).toHaveLength(2);
    // No more traffic from the server: after two heartbeats without a frame the socket is dropped.
    t.clock.advance(2000);
    expect(t.sockets[0]!.closedWith).toBe(4000);
    expect(t.statuses.at(-1)).toBe('reconnecting');
  });

  it('stop() closes normally and never reconnects', () => {
    const t = setup();
    t.connection.start();
    t.handshake();
    t.connection.stop();
    expect(t.sockets[0]!.closedWith).toBe(1000);
    t.clock.advance(60_000);
    expect(t.sockets).toHaveLength(1);
    expect(t.statuses.at(-1)).toBe('stopped');
  });
});

describe('Connection when the server drains (reconnect frame, close 1012)', () => {
  const reconnect = (retryAfterMs: number) => ({ type: 'reconnect', reason: 'draining', retryAfterMs }) as const;

  it('stops sending, still takes the acks, then reconnects after retryAfterMs and resumes by lastSeq', () => {
    const t = setup({ lastSeq: 4 });
    t.connection.start();
    t.handshake();
    const inFlight = t.connection.send('sent before the drain');
    t.socket().receive(reconnect(1200));
    expect(t.connection.isOnline).toBe(false);
    expect(t.statuses.at(-1)).toBe('reconnecting');
    // Typed while moving: kept in the outbox, not sent to the node that is going away.
    const typed = t.connection.send('typed while moving');
    expect(
      t
        .socket()
        .sentOfType('send')
        .map((f) => f.clientMsgId),
    ).toEqual([inFlight]);
    // The server finishes what it had: the ack still counts.
    t.ack(inFlight, 5);
    t.setLastSeq(5);
    expect(t.connection.outbox.map((i) => i.clientMsgId)).toEqual([typed]);

    t.clock.advance(300);
    t.socket().drop(1012, 'draining');
    t.clock.advance(899);
    expect(t.sockets).toHaveLength(1); // waits out what the server asked (1200 ms from the frame)
    t.clock.advance(1);
    expect(t.sockets).toHaveLength(2);
    t.handshake();
    expect(t.socket().sentOfType('subscribe')).toEqual([{ type: 'subscribe', conversationId: 'conv_1', lastSeq: 5 }]);
    expect(
      t
        .socket()
        .sentOfType('send')
        .map((f) => f.clientMsgId),
    ).toEqual([typed]);
    expect(t.statuses.at(-1)).toBe('online');
    // A planned move is not a failure of any kind.
    expect(t.authFailures).toEqual([]);
    expect(t.fatals).toEqual([]);
    expect(t.openFails).toEqual([]);
  });

  it('does not count the move as a failed attempt: the next outage backs off from the start', () => {
    const t = setup();
    t.connection.start();
    t.handshake();
    t.socket().receive(reconnect(0));
    t.socket().drop(1012, 'draining');
    t.clock.advance(0);
    expect(t.sockets).toHaveLength(2);
    // The next socket fails before opening: the first backoff step, as if the move never happened.
    t.socket().drop(1006);
    t.clock.advance(backoffDelay(0, () => 0.5) - 1);
    expect(t.sockets).toHaveLength(2);
    t.clock.advance(1);
    expect(t.sockets).toHaveLength(3);
  });

  it('spreads a bare close 1012 (no reconnect frame seen) over up to 2 s', () => {
    const t = setup(); // random() = 0.5
    t.connection.start();
    t.handshake();
    t.socket().drop(1012);
    t.clock.advance(999);
    expect(t.sockets).toHaveLength(1);
    t.clock.advance(1);
    expect(t.sockets).toHaveLength(2);
    expect(t.statuses.at(-1)).toBe('reconnecting');
  });

  it('leaves by itself if the server never closes after asking it to move', () => {
    const t = setup();
    t.connection.start();
    t.handshake();
    t.socket().receive(reconnect(500));
    t.clock.advance(500 + 4_999);
    expect(t.sockets).toHaveLength(1);
    t.clock.advance(1);
    expect(t.sockets[0]!.closedWith).toBe(1000);
    expect(t.sockets).toHaveLength(2);
  });

  it('caps an absurd retryAfterMs at 30 s', () => {
    const t = setup();
    t.connection.start();
    t.handshake();
    t.socket().receive(reconnect(10_000_000));
    t.socket().drop(1012);
    t.clock.advance(30_000);
    expect(t.sockets).toHaveLength(2);
  });
});
