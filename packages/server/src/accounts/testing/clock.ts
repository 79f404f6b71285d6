import type { Clock } from '../../shared/clock.js';

/** A clock tests can set: `clock.set('2026-11-25')` makes "today" that date (at noon UTC). */
export class MutableClock implements Clock {
  private t: Date;
  constructor(start: string | Date = '2026-11-25') {
    this.t = typeof start === 'string' ? new Date(`${start}T12:00:00.000Z`) : start;
  }
  now(): Date {
    return new Date(this.t);
  }
  set(date: string | Date): void {
    this.t = typeof date === 'string' ? new Date(`${date}T12:00:00.000Z`) : date;
  }
  advanceDays(n: number): void {
    this.t = new Date(this.t.getTime() + n * 86_400_000);
  }
}
