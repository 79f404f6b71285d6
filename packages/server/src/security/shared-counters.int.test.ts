/**
 * Counters shared across nodes (security/shared-counters.ts) on the real Redis, with two app nodes on
 * one store: a per-IP rate limit, the staff sign-in throttle and the demo site's sign-in throttle each
 * count attempts made on node A on node B too. And with Redis unreachable the limits fall back to a
 * per-node memory counter (same budget, one warning), instead of failing requests.
 */
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { CounterLoginThrottle } from '../agents/login-throttle.js';
import { demoLoginsForSite } from '../seed/demo.js';
import { createLogger } from '../shared/logger.js';
import {
  dbKind,
  postJson,
  REDIS_URL,
  redisUnavailable,
  startCluster,
  storeUnavailable,
  type TestServer,
} from '../../test/helpers.js';
import { RateLimits } from './rate-limits.js';
import { redisCounters } from './shared-counters.js';

const skip = (await storeUnavailable()) ?? (await redisUnavailable());

const siteLogin = (s: TestServer, username: string, password: string) =>
  fetch(`${s.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: s.origin },
    body: new URLSearchParams({ username, password }),
  });

describe.skipIf(skip)(`counters shared by two nodes (${dbKind} + Redis)`, () => {
  let cluster: Awaited<ReturnType<typeof startCluster>> | undefined;
  afterEach(async () => {
    await cluster?.close();
    cluster = undefined;
  });

  it('a per-IP rate limit spent on node A is spent on node B', async () => {
    cluster = await startCluster(2, { db: dbKind, env: { RATE_LIMIT_WIDGET_SESSION: '3/60' } });
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    const attempt = (s: TestServer) => postJson(`${s.url}/api/widget/session`, { token: 'not-a-token' });
    // Three attempts in all (refused for their token, but counted), whichever node took them.
    expect((await attempt(a)).status).toBe(401);
    expect((await attempt(b)).status).toBe(401);
    expect((await attempt(a)).status).toBe(401);
    for (const s of [b, a]) {
      const r = await attempt(s);
      expect(r.status).toBe(429);
      expect(r.json.error.code).toBe('rate_limited');
    }
  });

  it("the staff sign-in throttle counts node A's failures on node B, and keeps e-mail addresses out of Redis", async () => {
    cluster = await startCluster(2, { db: dbKind });
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    const login = (s: TestServer, password: string) =>
      postJson(`${s.url}/api/auth/login`, { email: 'ana@carechat.test', password });
    // Five failures (the limit), split 3 + 2: on one node alone neither would be locked out.
    for (const s of [a, b, a, b, a]) expect((await login(s, 'wrong-password')).status).toBe(401);
    for (const s of [b, a]) {
      const r = await login(s, 'demo-ana-2024');
      expect(r.status).toBe(429);
      expect(r.json.error.code).toBe('rate_limited');
    }
    const redis = new Redis(REDIS_URL);
    try {
      const keys = await redis.keys(`${a.app.config.redis!.prefix}*`);
      expect(keys.some((k) => k.includes('cc_lt_staff'))).toBe(true);
      expect(keys.filter((k) => k.includes('ana@'))).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });

  it("the demo site's sign-in throttle counts node A's failures on node B", async () => {
    cluster = await startCluster(2, { db: dbKind });
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    const { username, password } = demoLoginsForSite()[0]!;
    for (const s of [a, b, a, b, b]) expect((await siteLogin(s, username, 'wrong-password')).status).toBe(401);
    for (const s of [a, b]) {
      const r = await siteLogin(s, username, password);
      expect(r.status).toBe(429);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // Another user name from the same address is not locked out.
    const other = demoLoginsForSite()[1]!;
    expect((await siteLogin(b, other.username, other.password)).status).toBe(303);
  });
});

describe('counters while Redis is unreachable', () => {
  it('fall back to a per-node memory counter with the same budget, and warn once', async () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (l: string) => lines.push(l) });
    // Nothing listens on port 1: every connection attempt is refused.
    const counters = redisCounters({ url: 'redis://127.0.0.1:1', prefix: 'unreachable:', nodeId: 'n1', logger });
    try {
      expect(await counters.ready(300)).toBe(false);
      const limits = new RateLimits(
        {
          widgetSessionPerIp: { points: 2, durationSeconds: 60 },
          staffLoginPerIp: { points: 1, durationSeconds: 60 },
          siteLoginPerIp: { points: 1, durationSeconds: 60 },
          sendsPerUser: { points: 1, durationSeconds: 60 },
        },
        counters.limiters,
      );
      expect(await limits.consume('widget_session', '10.0.0.1')).toEqual({ allowed: true });
      expect(await limits.consume('widget_session', '10.0.0.1')).toEqual({ allowed: true });
      const third = await limits.consume('widget_session', '10.0.0.1');
      expect(third.allowed).toBe(false);
      expect(await limits.consume('widget_session', '10.0.0.2')).toEqual({ allowed: true });

      const throttle = new CounterLoginThrottle(counters.limiters, { maxFailures: 2, windowMs: 60_000 });
      await throttle.fail('k');
      expect(await throttle.blocked('k')).toBe(false);
      await throttle.fail('k');
      expect(await throttle.blocked('k')).toBe(true);
      expect(await throttle.retryAfterMs('k')).toBeGreaterThan(0);
      await throttle.reset('k');
      expect(await throttle.blocked('k')).toBe(false);

      expect(counters.degraded).toBe(true);
      const warnings = lines.filter((l) => l.includes('redis unreachable'));
      expect(warnings).toHaveLength(1);
      expect(JSON.parse(warnings[0]!).level).toBe(40);
    } finally {
      await counters.close();
    }
  });
});
