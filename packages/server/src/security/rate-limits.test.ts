/** RateLimits: budgets per bucket and key, the wait it reports, and a swappable store. */
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { describe, expect, it } from 'vitest';
import { RateLimits, userKey, type LimiterFactory, type RateLimitsConfig } from './rate-limits.js';

const config: RateLimitsConfig = {
  widgetSessionPerIp: { points: 2, durationSeconds: 60 },
  staffLoginPerIp: { points: 1, durationSeconds: 60 },
  siteLoginPerIp: { points: 1, durationSeconds: 60 },
  sendsPerUser: { points: 3, durationSeconds: 10 },
};

describe('RateLimits', () => {
  it('allows the budget, then says how long to wait; keys and buckets are separate', async () => {
    const limits = new RateLimits(config);
    expect(await limits.consume('widget_session', '10.0.0.1')).toEqual({ allowed: true });
    expect(await limits.consume('widget_session', '10.0.0.1')).toEqual({ allowed: true });
    const over = await limits.consume('widget_session', '10.0.0.1');
    expect(over.allowed).toBe(false);
    if (!over.allowed) {
      expect(over.retryAfterMs).toBeGreaterThan(0);
      expect(over.retryAfterMs).toBeLessThanOrEqual(60_000);
    }
    // Another IP, and another bucket for the same IP, have their own budgets.
    expect(await limits.consume('widget_session', '10.0.0.2')).toEqual({ allowed: true });
    expect(await limits.consume('staff_login', '10.0.0.1')).toEqual({ allowed: true });
  });

  it('builds every limiter through the factory, so a shared store (Redis) can be swapped in', async () => {
    const built: Array<{ keyPrefix: string; points: number; duration: number }> = [];
    const factory: LimiterFactory = (o) => {
      built.push(o);
      return new RateLimiterMemory(o);
    };
    const limits = new RateLimits(config, factory);
    expect(built.map((b) => b.keyPrefix).sort()).toEqual([
      'cc_rl_send',
      'cc_rl_site_login',
      'cc_rl_staff_login',
      'cc_rl_widget_session',
    ]);
    expect(built.find((b) => b.keyPrefix === 'cc_rl_send')).toMatchObject({ points: 3, duration: 10 });
    for (let i = 0; i < 3; i++) expect((await limits.consume('send', 'cardmember:cm_1')).allowed).toBe(true);
    expect((await limits.consume('send', 'cardmember:cm_1')).allowed).toBe(false);
  });

  it('a failing store is an error, not a silent allow or deny', async () => {
    const broken: LimiterFactory = (o) => {
      const l = new RateLimiterMemory(o);
      l.consume = () => Promise.reject(new Error('store down'));
      return l;
    };
    await expect(new RateLimits(config, broken).consume('send', 'x')).rejects.toThrow('store down');
  });

  it('keys sends by person: one cardmember or staff member, whatever the session', () => {
    const base = { sessionHash: 'h', firstName: 'A' };
    expect(userKey({ ...base, role: 'cardmember', cardmemberId: 'cm_1', cardId: 'c', language: 'en' })).toBe(
      'cardmember:cm_1',
    );
    expect(userKey({ ...base, role: 'agent', agentId: 'agent_1', skills: [] })).toBe('staff:agent_1');
  });
});
