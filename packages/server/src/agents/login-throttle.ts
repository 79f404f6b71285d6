/**
 * Failed staff sign-ins per (IP, e-mail): after `maxFailures` within `windowMs` (a fixed window from
 * the first failure) the pair is refused until the window ends; a success forgets it.
 *
 * `LoginThrottle` counts in this process's memory (bounded), which is right for one node. With several
 * nodes an attacker would get N x the budget, so app.ts passes a `CounterLoginThrottle` on the shared
 * counters instead (security/shared-counters.ts: Redis, with a per-node memory fallback).
 */
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LimiterFactory } from '../security/rate-limits.js';
import { hashedKey } from '../security/shared-counters.js';

/** What the sign-in route needs; the memory throttle answers at once, the shared one asynchronously. */
export interface SignInThrottle {
  blocked(key: string, nowMs: number): boolean | Promise<boolean>;
  fail(key: string, nowMs: number): void | Promise<void>;
  reset(key: string): void | Promise<void>;
}

export class LoginThrottle implements SignInThrottle {
  private readonly failures = new Map<string, { count: number; first: number }>();
  constructor(private readonly o: { maxFailures: number; windowMs: number; maxKeys?: number }) {}

  blocked(key: string, now: number): boolean {
    const f = this.failures.get(key);
    if (!f) return false;
    if (now - f.first > this.o.windowMs) {
      this.failures.delete(key);
      return false;
    }
    return f.count >= this.o.maxFailures;
  }

  fail(key: string, now: number): void {
    const f = this.failures.get(key);
    if (!f || now - f.first > this.o.windowMs) this.failures.set(key, { count: 1, first: now });
    else f.count++;
    if (this.failures.size > (this.o.maxKeys ?? 10_000)) {
      // Drop the oldest entry (Map keeps insertion order) so memory stays bounded under a spray.
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
  }

  reset(key: string): void {
    this.failures.delete(key);
  }
}

/**
 * The same rule on a limiter from `factory` (shared across nodes when it is Redis-backed): each failure
 * spends a point of a `maxFailures`-point budget whose window starts with the first one. Keys are hashed.
 * It also serves the demo site's sign-in (`retryAfterMs`, packages/site/src/login-throttle.ts).
 */
export class CounterLoginThrottle implements SignInThrottle {
  private readonly limiter: RateLimiterAbstract;

  constructor(
    factory: LimiterFactory,
    private readonly o: { maxFailures: number; windowMs: number; keyPrefix?: string },
  ) {
    this.limiter = factory({
      keyPrefix: o.keyPrefix ?? 'cc_lt_staff',
      points: o.maxFailures,
      duration: Math.max(1, Math.ceil(o.windowMs / 1000)),
    });
  }

  async blocked(key: string): Promise<boolean> {
    const res = await this.limiter.get(hashedKey(key));
    return !!res && res.consumedPoints >= this.o.maxFailures;
  }

  /** Milliseconds until the pair may try again, or 0 (the demo site's throttle interface). */
  async retryAfterMs(key: string): Promise<number> {
    const res = await this.limiter.get(hashedKey(key));
    return res && res.consumedPoints >= this.o.maxFailures ? Math.max(1, res.msBeforeNext) : 0;
  }

  async fail(key: string): Promise<void> {
    try {
      await this.limiter.consume(hashedKey(key));
    } catch (err) {
      // Over the budget already: the failure is counted all the same.
      if (!(err instanceof RateLimiterRes)) throw err;
    }
  }

  async reset(key: string): Promise<void> {
    await this.limiter.delete(hashedKey(key));
  }
}
