import { describe, expect, it, vi } from 'vitest';
import type { ServerFrame } from '@carechat/protocol';
import { backoffDelay, ConsoleSocket, socketUrl, type ConnectionStatus } from './socket.js';
import { buildConversation, buildMessage } from './testing/builders.js';
import { FakeSocket, FakeTimers, welcome } from './testing/fakes.js';

function setup(opts: { checkSession?: () => Promise<boolean>; random?: () => number } = {}) {
  const sockets: FakeSocket[] = [];
  const timers = new FakeTimers();
  const frames: ServerFrame[] = [];
  const statuses: ConnectionStatus[] = [];
  const sessionEnded = vi.fn();
  let n = 0;
  const client = new ConsoleSocket({
    url: 'wss://care.example/ws',
    createSocket: (url, protocols) => {
      const s = new FakeSocket(url, protocols);
      sockets.push(s);
      return s;
    },
    timers,
    random: opts.random ?? (() => 0.5),
    newId: () => `client-msg-${++n}`,
    backoff: { baseMs: 500, maxMs: 30_000 },
    checkSession: opts.checkSession,
    on: { frame: (f) => frames.push(f), status: (s) => statuses.push(s), sessionEnded },
  });
  const last = () => sockets[sockets.length - 1]!;
  /** Opens the newest socket and completes the handshake. */
  const connect = (heartbeatMs?: number) => {
    last().open();
    last().receive(welcome(heartbeatMs));
  };
  return { client, sockets, timers, frames, statuses, sessionEnded, last, connect };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('ConsoleSocket handshake', () => {
  it('connects with the carechat.v1 subprotocol and says hello first', () => {
    const { client, last } = setup();
    client.start();
    expect(last().url).toBe('wss://care.example/ws');
    expect(last().protocols).toEqual(['carechat.v1']);
    last().open();
    expect(last().sent).toEqual([{ type: 'hello', protocol: 1, client: 'carechat-console' }]);
  });

  it('holds subscribe and send until welcome, then subscribes before sending', () => {
    const { client, last } = setup();
    client.start();
    client.subscribe('conv_1', 3);
    client.send('conv_1', 'Hi Maria');
    last().open();
    expect(last().sent.map((f) => f.type)).toEqual(['hello']);
    last().receive(welcome());
    expect(last().sent.slice(1)).toEqual([
      { type: 'subscribe', conversationId: 'conv_1', lastSeq: 3 },
      { type: 'send', conversationId: 'conv_1', clientMsgId: 'client-msg-1', body: 'Hi Maria' },
    ]);
  });

  it('reports online only after welcome', () => {
    const { client, statuses, last } = setup();
    client.start();
    last().open();
    expect(statuses).toEqual(['connecting']);
    last().receive(welcome());
    expect(statuses).toEqual(['connecting', 'online']);
    expect(client.isOnline).toBe(true);
  });

  it('builds ws:// or wss:// from the page origin', () => {
    expect(socketUrl({ protocol: 'https:', host: 'care.example' })).toBe('wss://care.example/ws');
    expect(socketUrl({ protocol: 'http:', host: '127.0.0.1:3000' })).toBe('ws://127.0.0.1:3000/ws');
  });
});

describe('ConsoleSocket outbox', () => {
  it('removes a message from the outbox on ack', () => {
    const { client, connect, last } = setup();
    client.start();
    connect();
    const id = client.send('conv_1', 'Hello');
    expect(last().framesOfType('send')).toHaveLength(1);
    expect(client.pending().map((f) => f.clientMsgId)).toEqual([id]);
    last().receive({
      type: 'ack',
      conversationId: 'conv_1',
      clientMsgId: id,
      seq: 7,
      messageId: 'm7',
      duplicate: false,
      body: 'Hello',
      createdAt: '2025-01-01T10:00:00Z',
    });
    expect(client.pending()).toEqual([]);
  });

  it('re-sends un-acked messages with the SAME clientMsgId after a reconnect, after resubscribing from the newest seq', () => {
    const { client, connect, last, timers, sockets } = setup();
    client.start();
    connect();
    client.subscribe('conv_1', 2);
    const a = client.send('conv_1', 'first');
    const b = client.send('conv_1', 'second');
    // seq 3 arrives, then `a` is acked as seq 4; `b` is lost with the connection.
    last().receive({ type: 'message', message: buildMessage({ seq: 3 }) });
    last().receive({
      type: 'ack',
      conversationId: 'conv_1',
      clientMsgId: a,
      seq: 4,
      messageId: 'm4',
      duplicate: false,
      body: 'first',
      createdAt: '2025-01-01T10:00:00Z',
    });
    last().drop(1006);
    expect(sockets).toHaveLength(1);

    timers.advance(30_000);
    expect(sockets).toHaveLength(2);
    connect();
    const after = last().sent.slice(1); // after hello
    expect(after).toEqual([
      { type: 'subscribe', conversationId: 'conv_1', lastSeq: 4 },
      { type: 'send', conversationId: 'conv_1', clientMsgId: b, body: 'second' },
    ]);
  });

  it('queues sends made while disconnected and delivers them once, in order', () => {
    const { client, connect, last, timers } = setup();
    client.start();
    connect();
    last().drop(1006);
    const x = client.send('conv_1', 'one');
    const y = client.send('conv_1', 'two');
    timers.advance(30_000);
    connect();
    expect(
      last()
        .framesOfType('send')
        .map((f) => f.clientMsgId),
    ).toEqual([x, y]);
  });

  it('settles a send when its stored message arrives even if the ack was lost', () => {
    const { client, connect, last } = setup();
    client.start();
    connect();
    client.subscribe('conv_1', 0);
    const id = client.send('conv_1', 'Hello');
    last().receive({
      type: 'message',
      message: buildMessage({ seq: 1, clientMsgId: id, author: { role: 'agent', id: 'ag_1', name: 'Ana' } }),
    });
    expect(client.pending()).toEqual([]);
  });

  it('drops a refused message from the outbox but retries a rate-limited one with the same id', () => {
    const { client, connect, last, timers } = setup();
    client.start();
    connect();
    const tooLong = client.send('conv_1', 'x'.repeat(10));
    const limited = client.send('conv_1', 'slow down');
    last().receive({
      type: 'error',
      code: 'message_too_long',
      message: 'too long',
      conversationId: 'conv_1',
      clientMsgId: tooLong,
    });
    last().receive({
      type: 'error',
      code: 'rate_limited',
      message: 'slow',
      conversationId: 'conv_1',
      clientMsgId: limited,
    });
    expect(client.pending().map((f) => f.clientMsgId)).toEqual([limited]);
    const before = last().framesOfType('send').length;
    timers.advance(1_500);
    const sends = last().framesOfType('send');
    expect(sends).toHaveLength(before + 1);
    expect(sends[sends.length - 1]!.clientMsgId).toBe(limited);
  });
});

describe('ConsoleSocket reconnects', () => {
  it('backs off exponentially with jitter, capped, and resets after welcome', () => {
    expect(backoffDelay(0, 0, 500, 30_000)).toBe(250);
    expect(backoffDelay(0, 1, 500, 30_000)).toBe(500);
    expect(backoffDelay(3, 0.5, 500, 30_000)).toBe(3_000);
    expect(backoffDelay(20, 1, 500, 30_000)).toBe(30_000);

    const { client, last, timers, sockets, connect } = setup({ random: () => 1 });
    client.start();
    last().drop(1006);
    expect(timers.pendingTimeouts()).toEqual([500]);
    timers.advance(500);
    last().drop(1006);
    expect(timers.pendingTimeouts()).toEqual([1_000]);
    timers.advance(1_000);
    last().drop(1006);
    expect(timers.pendingTimeouts()).toEqual([2_000]);
    timers.advance(2_000);
    expect(sockets).toHaveLength(4);
    connect();
    last().drop(1006);
    expect(timers.pendingTimeouts()).toEqual([500]);
  });

  it('goes back to sign-in on 4401 and 4403 without reconnecting', () => {
    for (const code of [4401, 4403]) {
      const { client, connect, last, timers, sockets, sessionEnded, statuses } = setup();
      client.start();
      connect();
      last().drop(code);
      timers.advance(60_000);
      expect(sessionEnded).toHaveBeenCalledTimes(1);
      expect(sockets).toHaveLength(1);
      expect(statuses[statuses.length - 1]).toBe('stopped');
    }
  });

  it('asks whether the session lives when an upgrade is refused (close before open)', async () => {
    const dead = setup({ checkSession: async () => false });
    dead.client.start();
    dead.last().drop(1006);
    await flush();
    expect(dead.sessionEnded).toHaveBeenCalledTimes(1);
    dead.timers.advance(60_000);
    expect(dead.sockets).toHaveLength(1);

    const alive = setup({ checkSession: async () => true });
    alive.client.start();
    alive.last().drop(1006);
    await flush();
    expect(alive.sessionEnded).not.toHaveBeenCalled();
    alive.timers.advance(60_000);
    expect(alive.sockets.length).toBeGreaterThan(1);
  });

  it('does not reconnect after stop()', () => {
    const { client, connect, last, timers, sockets } = setup();
    client.start();
    connect();
    const ws = last();
    client.stop();
    expect(ws.closedWith).toBe(1000);
    ws.drop(1000);
    timers.advance(60_000);
    expect(sockets).toHaveLength(1);
  });

  it('gives up on 4400 (unsupported protocol)', () => {
    const { client, connect, last, timers, sockets, statuses } = setup();
    client.start();
    connect();
    last().drop(4400);
    timers.advance(60_000);
    expect(sockets).toHaveLength(1);
    expect(statuses[statuses.length - 1]).toBe('stopped');
  });
});

describe('ConsoleSocket heartbeat', () => {
  it('pings every heartbeatMs and reconnects when nothing comes back', () => {
    const { client, connect, last, timers, sockets } = setup();
    client.start();
    connect(10_000);
    timers.advance(10_000);
    expect(last().framesOfType('ping')).toHaveLength(1);
    last().receive({ type: 'pong', nonce: 'p1', serverTime: '2025-01-01T10:00:00Z' });
    timers.advance(10_000);
    expect(last().framesOfType('ping')).toHaveLength(2);
    // no pong this time: the next beat declares the socket dead
    const dead = last();
    timers.advance(10_000);
    expect(dead.closedWith).toBe(4000);
    timers.advance(30_000);
    expect(sockets).toHaveLength(2);
  });
});

describe('ConsoleSocket frames', () => {
  it('passes known frames on and ignores unknown types and junk', () => {
    const { client, connect, last, frames } = setup();
    client.start();
    connect();
    last().receive({ type: 'from_the_future', x: 1 });
    last().onmessage?.({ data: 'not json' });
    last().receive({ type: 'conversation', conversation: buildConversation() });
    expect(frames.map((f) => f.type)).toEqual(['welcome', 'conversation']);
  });

  it('tracks lastSeq from subscribed.headSeq for the next resubscribe', () => {
    const { client, connect, last, timers } = setup();
    client.start();
    connect();
    client.subscribe('conv_1', 0);
    last().receive({ type: 'subscribed', conversationId: 'conv_1', headSeq: 9, conversation: buildConversation() });
    last().drop(1006);
    timers.advance(30_000);
    connect();
    expect(last().framesOfType('subscribe')).toEqual([{ type: 'subscribe', conversationId: 'conv_1', lastSeq: 9 }]);
  });

  it('does not resubscribe a conversation after unsubscribe', () => {
    const { client, connect, last, timers } = setup();
    client.start();
    connect();
    client.subscribe('conv_1', 0);
    client.unsubscribe('conv_1');
    expect(last().framesOfType('unsubscribe')).toEqual([{ type: 'unsubscribe', conversationId: 'conv_1' }]);
    last().drop(1006);
    timers.advance(30_000);
    connect();
    expect(last().framesOfType('subscribe')).toEqual([]);
  });
});

describe('ConsoleSocket when the server drains (reconnect frame, close 1012)', () => {
  const reconnect = (retryAfterMs: number) => ({ type: 'reconnect', reason: 'draining', retryAfterMs }) as const;
  const ackOf = (clientMsgId: string, seq: number) => ({
    type: 'ack' as const,
    conversationId: 'conv_1',
    clientMsgId,
    seq,
    messageId: `m${seq}`,
    duplicate: false,
    body: 'x',
    createdAt: '2025-01-01T10:00:00Z',
  });

  it('holds new sends, takes the acks still coming, reconnects after retryAfterMs and resumes from the newest seq', () => {
    const { client, connect, last, timers, sockets, statuses, sessionEnded } = setup();
    client.start();
    connect();
    client.subscribe('conv_1', 4);
    const inFlight = client.send('conv_1', 'sent before the drain');
    last().receive(reconnect(1_500));
    expect(client.isOnline).toBe(false);
    expect(statuses[statuses.length - 1]).toBe('reconnecting');
    const held = client.send('conv_1', 'typed while moving');
    client.typing('conv_1', 'start');
    expect(
      last()
        .framesOfType('send')
        .map((f) => f.clientMsgId),
    ).toEqual([inFlight]);
    expect(last().framesOfType('typing')).toEqual([]);
    last().receive(ackOf(inFlight, 5));
    expect(client.pending().map((f) => f.clientMsgId)).toEqual([held]);

    timers.advance(200);
    last().drop(1012);
    timers.advance(1_299);
    expect(sockets).toHaveLength(1);
    timers.advance(1);
    expect(sockets).toHaveLength(2);
    connect();
    expect(last().sent.slice(1)).toEqual([
      { type: 'subscribe', conversationId: 'conv_1', lastSeq: 5 },
      { type: 'send', conversationId: 'conv_1', clientMsgId: held, body: 'typed while moving' },
    ]);
    expect(sessionEnded).not.toHaveBeenCalled();
    expect(statuses).toEqual(['connecting', 'online', 'reconnecting', 'reconnecting', 'online']);
  });

  it('reconnects at once when the server closes after the wait, without a backoff step', () => {
    const { client, connect, last, timers, sockets } = setup({ random: () => 1 });
    client.start();
    connect();
    last().receive(reconnect(300));
    timers.advance(1_000); // the server is still finishing frames
    expect(sockets).toHaveLength(1);
    last().drop(1012);
    expect(sockets).toHaveLength(2);
    // The next socket failing is the first backoff step (500 ms with random 1), not the second.
    last().drop(1006);
    expect(timers.pendingTimeouts()).toEqual([500]);
  });

  it('leaves by itself if the server never closes after asking it to move', () => {
    const { client, connect, last, timers, sockets } = setup();
    client.start();
    connect();
    const old = last();
    old.receive(reconnect(1_000));
    timers.advance(1_000 + 4_999);
    expect(sockets).toHaveLength(1);
    timers.advance(1);
    expect(old.closedWith).toBe(1000);
    expect(sockets).toHaveLength(2);
    old.drop(1000); // its late close is ignored
    timers.advance(60_000);
    expect(sockets).toHaveLength(2);
  });

  it('spreads a bare close 1012 (no reconnect frame seen) over up to 2 s', () => {
    const { client, connect, last, timers, sockets } = setup({ random: () => 0.25 });
    client.start();
    connect();
    last().drop(1012);
    expect(timers.pendingTimeouts()).toEqual([500]);
    timers.advance(500);
    expect(sockets).toHaveLength(2);
  });

  it('does not reconnect when stopped while moving', () => {
    const { client, connect, last, timers, sockets } = setup();
    client.start();
    connect();
    last().receive(reconnect(500));
    client.stop();
    timers.advance(60_000);
    expect(sockets).toHaveLength(1);
  });
});
