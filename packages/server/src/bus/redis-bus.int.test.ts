/**
 * The Redis bus against a real Redis: events cross buses (nodes) on the channels subscribed, a node
 * never hears its own echo, `ready()` means a subscription is live, unsubscribed channels stop arriving,
 * and a subscriber connection that Redis drops comes back with `bus.resync` for every channel (what was
 * published meanwhile is gone; subscribers re-read the store).
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { REDIS_URL, redisUnavailable, sleep } from '../../test/helpers.js';
import { createLogger } from '../shared/logger.js';
import type { BusEvent } from './events.js';
import { RedisBus } from './redis-bus.js';

const skip = await redisUnavailable();

describe.skipIf(skip)('RedisBus', () => {
  const open: RedisBus[] = [];
  const prefix = `t:bus:${randomUUID().slice(0, 8)}:`;
  const bus = async (nodeId: string, retryDelayMs?: (n: number) => number) => {
    const b = new RedisBus({ url: REDIS_URL, prefix, nodeId, logger: createLogger('silent'), retryDelayMs });
    await b.connected();
    open.push(b);
    return b;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((b) => b.close()));
  });
  const event = (n: number): BusEvent => ({ name: 'queue.changed', payload: { teamId: `t${n}`, language: null } });
  const until = async (fn: () => boolean) => {
    for (let i = 0; i < 200 && !fn(); i++) await sleep(10);
  };

  it('delivers to subscribers on every node once, in publish order, without echo', async () => {
    const a = await bus('a');
    const b = await bus('b');
    const onA: BusEvent[] = [];
    const onB: BusEvent[] = [];
    a.subscribe('staff', (e) => onA.push(e));
    b.subscribe('staff', (e) => onB.push(e));
    await Promise.all([a.ready('staff'), b.ready('staff')]);
    for (let i = 0; i < 50; i++) await a.publish('staff', event(i));
    await until(() => onB.length === 50);
    // Local subscribers hear it at once; the other node in order; nobody twice.
    expect(onA.map((e) => (e.payload as { teamId: string }).teamId)).toEqual(
      onB.map((e) => (e.payload as { teamId: string }).teamId),
    );
    expect(onB.length).toBe(50);
    await sleep(50);
    expect(onA.length).toBe(50);
  });

  it('only carries channels a node subscribed to, and stops after the last unsubscribe', async () => {
    const a = await bus('a');
    const b = await bus('b');
    const got: string[] = [];
    const off1 = b.subscribe('conversation:1', () => got.push('1'));
    const off2 = b.subscribe('conversation:1', () => got.push('1bis'));
    await b.ready('conversation:1');
    await a.publish('conversation:2', event(0));
    await a.publish('conversation:1', event(1));
    await until(() => got.length === 2);
    expect(got.sort()).toEqual(['1', '1bis']);
    off1();
    await a.publish('conversation:1', event(2));
    await until(() => got.length === 3);
    expect(got.at(-1)).toBe('1bis');
    off2();
    await sleep(50);
    expect(b.channelCount).toBe(0);
    await a.publish('conversation:1', event(3));
    await sleep(100);
    expect(got.length).toBe(3);
  });

  it('tells every local channel to resync after Redis drops its subscriber connection', async () => {
    const a = await bus('a');
    // A slow reconnect, so the publishes below certainly fall into the gap.
    const b = await bus('b', () => 400);
    const onB: string[] = [];
    b.subscribe('conversation:x', (e) => onB.push(e.name));
    b.subscribe('staff', (e) => onB.push(`staff:${e.name}`));
    await Promise.all([b.ready('conversation:x'), b.ready('staff')]);
    const admin = new Redis(REDIS_URL);
    try {
      const line = String(await admin.client('LIST'))
        .split('\n')
        .find((l) => l.includes(`name=${b.subscriberName} `));
      const id = /\bid=(\d+)/.exec(line ?? '')![1]!;
      expect(await admin.client('KILL', 'ID', id)).toBe(1);
      await sleep(50);
      expect(b.healthy).toBe(false);
      await a.publish('conversation:x', event(1));
      await until(() => onB.length >= 2);
      // The event published in the gap is lost; both channels are told to re-read the store instead.
      expect(onB.sort()).toEqual(['bus.resync', 'staff:bus.resync']);
      expect(b.healthy).toBe(true);
      // And the subscription works again.
      await a.publish('conversation:x', event(2));
      await until(() => onB.length === 3);
      expect(onB).toContain('queue.changed');
    } finally {
      admin.disconnect();
    }
  });

  it('ignores malformed payloads on its channels', async () => {
    const b = await bus('b');
    const got: BusEvent[] = [];
    b.subscribe('staff', (e) => got.push(e));
    await b.ready('staff');
    const raw = new Redis(REDIS_URL);
    await raw.publish(`${prefix}staff`, 'not json');
    await raw.publish(`${prefix}staff`, JSON.stringify({ o: 'z' }));
    await raw.publish(`${prefix}staff`, JSON.stringify({ o: 'z', e: event(9) }));
    raw.disconnect();
    await until(() => got.length === 1);
    expect(got).toEqual([event(9)]);
  });
});
