/**
 * Cross-node fan-out. In-process when one node runs (`InProcessBus`); with `REDIS_URL`, `RedisBus`
 * (bus/redis-bus.ts) carries every event to the other nodes too. The store is the truth and the bus a
 * prompt: a subscriber that may have missed events (a Redis reconnect) gets `bus.resync` and reads the
 * store again.
 */
import type { BusEvent } from './events.js';

export type Handler = (event: BusEvent) => void;

export interface Bus {
  publish(channel: string, event: BusEvent): Promise<void>;
  /** Returns an unsubscribe function. */
  subscribe(channel: string, handler: Handler): () => void;
  /**
   * Resolves once events published on `channel` by any node reach this node's subscribers. Callers
   * that subscribe and then read the store (resume) await it between the two, so nothing published
   * in between is missed.
   */
  ready(channel: string): Promise<void>;
  close(): Promise<void>;
}

/** Single-process bus; delivery is synchronous-after-publish but isolated per handler. */
export class InProcessBus implements Bus {
  private readonly handlers = new Map<string, Set<Handler>>();

  async publish(channel: string, event: BusEvent): Promise<void> {
    const set = this.handlers.get(channel);
    if (!set) return;
    for (const h of [...set]) {
      try {
        h(event);
      } catch {
        // One broken subscriber must not stop delivery to the rest.
      }
    }
  }

  subscribe(channel: string, handler: Handler): () => void {
    let set = this.handlers.get(channel);
    if (!set) this.handlers.set(channel, (set = new Set()));
    set.add(handler);
    return () => {
      set.delete(handler);
      if (set.size === 0) this.handlers.delete(channel);
    };
  }

  ready(): Promise<void> {
    return Promise.resolve();
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }

  /** Handlers of `channel` (for buses that deliver what arrives from elsewhere). */
  deliver(channel: string, event: BusEvent): void {
    void this.publish(channel, event);
  }

  /** Every channel with at least one handler here. */
  channels(): string[] {
    return [...this.handlers.keys()];
  }
}
