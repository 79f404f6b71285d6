/** Time behind an interface so tests can control it. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** ISO-8601 UTC with milliseconds: sorts lexicographically in both SQLite and PostgreSQL text columns. */
export const iso = (d: Date): string => d.toISOString();
