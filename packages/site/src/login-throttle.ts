/**
 * Counts failed sign-ins per username + IP and locks the pair out for a while after too many.
 *
 * `LoginThrottle` keeps the map in this process's memory, bounded, which is enough for one node. With
 * several nodes each would grant its own allowance and an attacker would spread guesses across them,
 * so the host passes its own shared counter as `SiteDeps.loginThrottle` (carechat: Redis, see
 * packages/server/src/security/shared-counters.ts); this package stays free of any store.
 */

/** What the sign-in route needs (`SiteDeps.loginThrottle`); keys come from `LoginThrottle.key`. */
export interface SiteLoginThrottle {
  /** Milliseconds until the pair may try again, or 0 when it is not locked out. */
  retryAfterMs(key: string): number | Promise<number>;
  fail(key: string): void | Promise<void>;
  reset(key: string): void | Promise<void>;
}

export interface LoginThrottleOptions {
  maxFailures: number;
  windowMs: number;
  maxEntries: number;
  now: () => number;
}

interface Entry {
  failures: number;
  /** When the window that started with the first failure ends. */
  resetAt: number;
}

export const DEFAULT_THROTTLE: LoginThrottleOptions = {
  maxFailures: 5,
  windowMs: 5 * 60_000,
  maxEntries: 10_000,
  now: () => Date.now(),
};

export class LoginThrottle implements SiteLoginThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly opts: LoginThrottleOptions;

  constructor(opts: Partial<LoginThrottleOptions> = {}) {
    this.opts = { ...DEFAULT_THROTTLE, ...opts };
  }

  static key(username: string, ip: string): string {
    return `${username.trim().toLowerCase()}\u0000${ip}`;
  }

  /** Milliseconds until the pair may try again, or 0 when it is not locked out. */
  retryAfterMs(key: string): number {
    const entry = this.live(key);
    if (!entry || entry.failures < this.opts.maxFailures) return 0;
    return entry.resetAt - this.opts.now();
  }

  /** Records one failed attempt. */
  fail(key: string): void {
    const entry = this.live(key);
    if (entry) {
      entry.failures += 1;
      return;
    }
    this.makeRoom();
    this.entries.set(key, { failures: 1, resetAt: this.opts.now() + this.opts.windowMs });
  }

  /** Forgets the pair after a successful sign-in. */
  reset(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.resetAt <= this.opts.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private makeRoom(): void {
    if (this.entries.size < this.opts.maxEntries) return;
    const now = this.opts.now();
    for (const [k, e] of this.entries) if (e.resetAt <= now) this.entries.delete(k);
    // Still full: drop the oldest windows first (Map keeps insertion order), so memory stays bounded
    // even under a flood of distinct usernames.
    for (const k of this.entries.keys()) {
      if (this.entries.size < this.opts.maxEntries) break;
      this.entries.delete(k);
    }
  }
}
