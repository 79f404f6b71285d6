/**
 * Rate limits above the per-connection token bucket: per IP on the endpoints that take credentials
 * (widget session exchange, staff sign-in, the demo site's sign-in) and per user on message sends
 * across all of that user's connections.
 *
 * On one node the counters live in memory (`RateLimiterMemory`). With several nodes each would grant
 * its own allowance, so with Redis configured app.ts passes the factory of security/shared-counters.ts
 * (`RateLimiterRedis` with the same options, falling back to memory while Redis is away).
 */
import type { FastifyInstance } from 'fastify';
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Actor } from './access.js';

export interface RateLimit {
  points: number;
  durationSeconds: number;
}

export interface RateLimitsConfig {
  /** POST /api/widget/session, per client IP. */
  widgetSessionPerIp: RateLimit;
  /** POST /api/auth/login and its second-factor step, per client IP (on top of the per-account throttle). */
  staffLoginPerIp: RateLimit;
  /** POST /login on the demo site, per client IP. */
  siteLoginPerIp: RateLimit;
  /** Message sends per cardmember or staff member, across all their sockets. */
  sendsPerUser: RateLimit;
}

export type Bucket = 'widget_session' | 'staff_login' | 'site_login' | 'send';

/** Builds one limiter. Swap in `(o) => new RateLimiterRedis({ storeClient, ...o })` to share counters. */
export type LimiterFactory = (o: { keyPrefix: string; points: number; duration: number }) => RateLimiterAbstract;

export const memoryLimiters: LimiterFactory = (o) => new RateLimiterMemory(o);

export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

export class RateLimits {
  private readonly limiters: Record<Bucket, RateLimiterAbstract>;

  constructor(config: RateLimitsConfig, factory: LimiterFactory = memoryLimiters) {
    const make = (keyPrefix: string, l: RateLimit) =>
      factory({ keyPrefix: `cc_rl_${keyPrefix}`, points: l.points, duration: l.durationSeconds });
    this.limiters = {
      widget_session: make('widget_session', config.widgetSessionPerIp),
      staff_login: make('staff_login', config.staffLoginPerIp),
      site_login: make('site_login', config.siteLoginPerIp),
      send: make('send', config.sendsPerUser),
    };
  }

  /** Spends one point of `key`'s budget in `bucket`; when it is spent, says how long to wait. */
  async consume(bucket: Bucket, key: string): Promise<RateDecision> {
    try {
      await this.limiters[bucket].consume(key);
      return { allowed: true };
    } catch (err) {
      // The library rejects with a RateLimiterRes when over budget, with an Error when its store fails.
      if (err instanceof RateLimiterRes) return { allowed: false, retryAfterMs: Math.max(1, err.msBeforeNext) };
      throw err;
    }
  }
}

/** The per-user key for send limits: one budget per person, whatever the number of tabs or devices. */
export const userKey = (actor: Actor): string =>
  actor.role === 'cardmember' ? `cardmember:${actor.cardmemberId}` : `staff:${actor.agentId}`;

/** The per-IP rules for HTTP, matched on method and path (never the query string). */
const HTTP_RULES: Array<{ method: string; matches: (path: string) => boolean; bucket: Bucket; site?: true }> = [
  { method: 'POST', matches: (p) => p === '/api/widget/session', bucket: 'widget_session' },
  {
    method: 'POST',
    matches: (p) => p === '/api/auth/login' || p.startsWith('/api/auth/login/'),
    bucket: 'staff_login',
  },
  { method: 'POST', matches: (p) => p === '/login', bucket: 'site_login', site: true },
];

/**
 * Adds the per-IP limits as an onRequest hook, before any body is parsed or password hashed. Register
 * it before the routes and plugins it covers (Fastify copies hooks into child contexts at registration).
 * Over the limit: 429 `rate_limited` with `Retry-After` (seconds).
 */
export function registerHttpRateLimits(app: FastifyInstance, limits: RateLimits): void {
  app.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0]!;
    const rule = HTTP_RULES.find((r) => r.method === req.method && r.matches(path));
    if (!rule) return;
    const d = await limits.consume(rule.bucket, req.ip);
    if (d.allowed) return;
    const seconds = Math.ceil(d.retryAfterMs / 1000);
    const message = `Too many attempts from your network. Wait ${seconds} seconds and try again.`;
    reply.code(429).header('retry-after', String(seconds)).header('cache-control', 'no-store');
    // The demo site's sign-in is a browser form post: answer in words, not JSON.
    if (rule.site) return reply.type('text/plain; charset=utf-8').send(message);
    return reply.send({ error: { code: 'rate_limited', message, details: { retryAfterSeconds: seconds } } });
  });
}
