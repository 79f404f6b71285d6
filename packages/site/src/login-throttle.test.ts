import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.js';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('LoginThrottle', () => {
  it('locks a key out after maxFailures within the window, then lets it go when the window ends', () => {
    const c = clock();
    const th = new LoginThrottle({ maxFailures: 3, windowMs: 60_000, now: c.now });
    const key = LoginThrottle.key('Maria', '10.0.0.1');
    th.fail(key);
    th.fail(key);
    expect(th.retryAfterMs(key)).toBe(0);
    th.fail(key);
    expect(th.retryAfterMs(key)).toBe(60_000);
    c.advance(59_000);
    expect(th.retryAfterMs(key)).toBe(1_000);
    c.advance(1_000);
    expect(th.retryAfterMs(key)).toBe(0);
    expect(th.size).toBe(0);
  });

  it('keys by case-insensitive username and IP', () => {
    const th = new LoginThrottle({ maxFailures: 1 });
    th.fail(LoginThrottle.key(' MARIA ', '1.1.1.1'));
    expect(th.retryAfterMs(LoginThrottle.key('maria', '1.1.1.1'))).toBeGreaterThan(0);
    expect(th.retryAfterMs(LoginThrottle.key('maria', '2.2.2.2'))).toBe(0);
    expect(th.retryAfterMs(LoginThrottle.key('jose', '1.1.1.1'))).toBe(0);
  });

  it('reset clears the failures', () => {
    const th = new LoginThrottle({ maxFailures: 1 });
    th.fail('k');
    th.reset('k');
    expect(th.retryAfterMs('k')).toBe(0);
  });

  it('stays bounded under a flood of distinct keys, evicting the oldest', () => {
    const th = new LoginThrottle({ maxFailures: 1, maxEntries: 100 });
    for (let i = 0; i < 1000; i++) th.fail(`user${i}`);
    expect(th.size).toBeLessThanOrEqual(100);
    expect(th.retryAfterMs('user999')).toBeGreaterThan(0);
    expect(th.retryAfterMs('user0')).toBe(0);
  });
});
