/**
 * Bounded in-memory failure counter for sign-in. Per node: with several nodes an attacker gets
 * N x the budget; the scale-out issue moves this to Redis.
 */
export class LoginThrottle {
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
