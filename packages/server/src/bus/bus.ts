/**
 * Cross-node fan-out. In-process when one node runs; a Redis implementation plugs in behind the same
 * interface when several do (see the scale-out issue).
 */
import type { BusEvent } from './events.js';

export type Handler = (event: BusEvent) => void;

export interface Bus {
  publish(channel: string, event: BusEvent): Promise<void>;
  /** Returns an unsubscribe function. */
  subscribe(channel: string, handler: Handler): () => void;
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

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
