/**
 * Counters shared by every node (multi-node mode, `config.redis` set): the per-IP and per-user rate
 * limits (security/rate-limits.ts) and the sign-in throttles of staff and of the demo site are kept in
 * Redis (`RateLimiterRedis`, one atomic INCR+EXPIRE per hit), under `<REDIS_PREFIX>cc_rl_...` and
 * `<REDIS_PREFIX>cc_lt_...`. Without it each node would grant its own allowance and an attacker would
 * multiply the budget by spreading attempts across nodes.
 *
 * When Redis is unreachable (or a command takes longer than a second) the limiters do not fail the
 * request: each falls back to a per-node memory counter (`insuranceLimiter`) with the same budget, so
 * during an outage the limit is per node again (at most N x the budget on N nodes), never unlimited
 * and never a 500. The first fallback of an outage is logged once as a warning, and the return of
 * Redis once as info. Throttle keys (they contain an e-mail or user name) are hashed before they
 * reach Redis.
 */
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { Logger } from '../shared/logger.js';
import type { LimiterFactory } from './rate-limits.js';

export interface SharedCounters {
  /** Builds limiters whose counts live in Redis, falling back to memory while Redis is away. */
  limiters: LimiterFactory;
  /** Resolves true once the Redis connection is ready, false after `timeoutMs` (the fallback covers it). */
  ready(timeoutMs?: number): Promise<boolean>;
  /** True while this node counts in memory because Redis is unreachable. */
  readonly degraded: boolean;
  close(): Promise<void>;
}

/** A one-way digest of a counter key, so e-mail addresses and user names are not stored in Redis. */
export const hashedKey = (key: string): string => createHash('sha256').update(key).digest('base64url').slice(0, 32);

/** Counters in Redis at `url`, with keys under `prefix`. */
export function redisCounters(o: { url: string; prefix: string; nodeId: string; logger: Logger }): SharedCounters {
  const client = new Redis(o.url, {
    connectionName: `carechat-counters-${o.nodeId}`,
    // Fail fast instead of queueing while disconnected: the limiters then use their memory fallback.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 1_000,
  });
  let degraded = false;
  let closed = false;
  client.on('error', () => undefined); // connection errors show up as fallbacks, logged once below
  client.on('ready', () => {
    if (degraded) o.logger.info('redis reachable again: rate limits and sign-in throttles are shared again');
    degraded = false;
  });
  const fellBack = () => {
    if (degraded || closed) return;
    degraded = true;
    o.logger.warn('redis unreachable: rate limits and sign-in throttles count per node in memory until it is back');
  };
  return {
    limiters: (l) =>
      new RateLimiterRedis({
        storeClient: client,
        keyPrefix: `${o.prefix}${l.keyPrefix}`,
        points: l.points,
        duration: l.duration,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new FallbackLimiter(l, fellBack),
      }),
    ready(timeoutMs = 5_000) {
      if (client.status === 'ready') return Promise.resolve(true);
      return new Promise((resolve) => {
        const t = setTimeout(() => {
          client.off('ready', onReady);
          resolve(false);
        }, timeoutMs);
        const onReady = () => {
          clearTimeout(t);
          resolve(true);
        };
        client.once('ready', onReady);
      });
    },
    get degraded() {
      return degraded;
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.quit().catch(() => undefined);
      client.disconnect();
    },
  };
}

/** The per-node memory limiter used while Redis is away; tells `onUse` each time it answers. */
class FallbackLimiter extends RateLimiterMemory {
  constructor(
    o: { keyPrefix: string; points: number; duration: number },
    private readonly onUse: () => void,
  ) {
    super(o);
  }

  override consume(...a: Parameters<RateLimiterMemory['consume']>) {
    this.onUse();
    return super.consume(...a);
  }

  override get(...a: Parameters<RateLimiterMemory['get']>) {
    this.onUse();
    return super.get(...a);
  }

  override delete(...a: Parameters<RateLimiterMemory['delete']>) {
    this.onUse();
    return super.delete(...a);
  }
}
