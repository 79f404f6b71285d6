/**
 * The bus across nodes, over Redis pub/sub (ioredis). Each event is delivered to this node's own
 * subscribers at once and published to Redis for every other node; a node ignores its own echo.
 * Each channel is one Redis channel (`<prefix><channel>`), subscribed while at least one local
 * handler wants it, so a node only receives the conversations its clients follow.
 *
 * Redis pub/sub is at-most-once: while the link is down, events are lost. That is acceptable because
 * the store is the truth: when the subscriber connection is ready again every local channel gets a
 * `bus.resync` event and re-reads the store (sockets fill their seq gaps, consoles refresh).
 * A publish never waits for Redis: the message is committed, the sender's ack must not depend on the
 * bus, and receivers fill any gap from the store on the next event or resync.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../shared/logger.js';
import { InProcessBus, type Bus, type Handler } from './bus.js';
import type { BusEvent } from './events.js';

export interface RedisBusOptions {
  url: string;
  /** This node's id: its own echoes are dropped. */
  nodeId: string;
  /** Namespaces the channels (several deployments or test runs on one Redis). */
  prefix: string;
  logger: Logger;
  /** Delay before reconnect attempt n (default: 50 ms x n, at most 2 s). */
  retryDelayMs?: (attempt: number) => number;
}

interface Envelope {
  /** Origin node. */
  o: string;
  e: BusEvent;
}

export class RedisBus implements Bus {
  private readonly local = new InProcessBus();
  private readonly pub: Redis;
  private readonly sub: Redis;
  /** Channels subscribed (or being subscribed) in Redis, with the SUBSCRIBE's completion. */
  private readonly subscribed = new Map<string, Promise<void>>();
  private readonly counts = new Map<string, number>();
  private everReady = false;
  private closed = false;
  published = 0;
  received = 0;
  /** The subscriber connection's client name at Redis (CLIENT LIST), unique per bus instance. */
  readonly subscriberName: string;

  constructor(private readonly o: RedisBusOptions) {
    const common = {
      lazyConnect: false,
      maxRetriesPerRequest: null,
      enableAutoPipelining: true,
      retryStrategy: o.retryDelayMs ?? ((n: number) => Math.min(n * 50, 2000)),
    } as const;
    this.pub = new Redis(o.url, { ...common, connectionName: `carechat-pub-${o.nodeId}` });
    this.subscriberName = `carechat-sub-${o.nodeId}-${randomUUID().slice(0, 8)}`;
    this.sub = new Redis(o.url, { ...common, connectionName: this.subscriberName });
    for (const [name, conn] of [
      ['publisher', this.pub],
      ['subscriber', this.sub],
    ] as const) {
      conn.on('error', (err: Error) => {
        if (!this.closed) o.logger.warn({ err: { message: err.message }, connection: name }, 'redis bus error');
      });
    }
    this.sub.on('message', (channel: string, raw: string) => this.onMessage(channel, raw));
    this.sub.on('ready', () => {
      // ioredis re-subscribes by itself after a reconnect; whatever was published meanwhile is gone.
      if (this.everReady) {
        o.logger.warn('redis bus reconnected: resyncing subscribers from the store');
        for (const ch of this.local.channels()) this.local.deliver(ch, { name: 'bus.resync', payload: {} });
      }
      this.everReady = true;
    });
  }

  /** Resolves when both connections are up (boot waits for it, /readyz reports it). */
  async connected(timeoutMs = 10_000): Promise<void> {
    const wait = (c: Redis) =>
      c.status === 'ready'
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            const t = setTimeout(
              () => reject(new Error(`Redis at ${redactUrl(this.o.url)} is not reachable`)),
              timeoutMs,
            );
            c.once('ready', () => {
              clearTimeout(t);
              resolve();
            });
          });
    await Promise.all([wait(this.pub), wait(this.sub)]);
  }

  /** True while both Redis connections are usable. */
  get healthy(): boolean {
    return this.pub.status === 'ready' && this.sub.status === 'ready';
  }

  async publish(channel: string, event: BusEvent): Promise<void> {
    if (event.name === 'bus.resync') return;
    await this.local.publish(channel, event);
    if (this.closed) return;
    const envelope: Envelope = { o: this.o.nodeId, e: event };
    this.published++;
    this.pub.publish(this.o.prefix + channel, JSON.stringify(envelope)).catch((err: unknown) => {
      this.o.logger.warn(
        { err: { message: (err as Error).message }, channel: channelKind(channel) },
        'redis publish failed',
      );
    });
  }

  subscribe(channel: string, handler: Handler): () => void {
    const off = this.local.subscribe(channel, handler);
    this.counts.set(channel, (this.counts.get(channel) ?? 0) + 1);
    if (!this.subscribed.has(channel)) {
      const done = this.sub.subscribe(this.o.prefix + channel).then(
        () => undefined,
        (err: unknown) => {
          this.subscribed.delete(channel);
          this.o.logger.warn({ err: { message: (err as Error).message } }, 'redis subscribe failed');
        },
      );
      this.subscribed.set(channel, done);
    }
    let done = false;
    return () => {
      if (done) return;
      done = true;
      off();
      const n = (this.counts.get(channel) ?? 1) - 1;
      if (n > 0) {
        this.counts.set(channel, n);
        return;
      }
      this.counts.delete(channel);
      const pending = this.subscribed.get(channel);
      this.subscribed.delete(channel);
      if (this.closed) return;
      // After the SUBSCRIBE completes, so a quick subscribe/unsubscribe pair cannot leave it behind.
      void (pending ?? Promise.resolve()).then(() => {
        if (!this.counts.has(channel) && !this.closed) {
          this.sub.unsubscribe(this.o.prefix + channel).catch(() => undefined);
        }
      });
    };
  }

  ready(channel: string): Promise<void> {
    return this.subscribed.get(channel) ?? Promise.resolve();
  }

  /** Channels this node listens to in Redis (metrics). */
  get channelCount(): number {
    return this.subscribed.size;
  }

  private onMessage(channel: string, raw: string): void {
    if (!channel.startsWith(this.o.prefix)) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(raw) as Envelope;
    } catch {
      this.o.logger.warn('redis bus: dropped a malformed event');
      return;
    }
    if (envelope.o === this.o.nodeId || !envelope.e || typeof envelope.e.name !== 'string') return;
    this.received++;
    this.local.deliver(channel.slice(this.o.prefix.length), envelope.e);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.local.close();
    await Promise.allSettled([this.pub.quit(), this.sub.quit()]);
    this.pub.disconnect();
    this.sub.disconnect();
  }
}

/** `conversation`, `staff`, `agent`, ... without ids (logs). */
function channelKind(channel: string): string {
  return channel.split(':')[0] ?? channel;
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the configured URL';
  }
}
