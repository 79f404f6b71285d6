/** Calendar arithmetic on `YYYY-MM-DD` strings, in UTC, with no time-zone surprises. */

const DAY_MS = 86_400_000;

export function parseDate(d: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new Error(`not a date: ${d}`);
  const t = new Date(`${d}T00:00:00.000Z`);
  if (Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== d) throw new Error(`not a date: ${d}`);
  return t;
}

/** True for a real calendar date in `YYYY-MM-DD` form. */
export function isDate(d: unknown): d is string {
  if (typeof d !== 'string') return false;
  try {
    parseDate(d);
    return true;
  } catch {
    return false;
  }
}

export const formatDate = (d: Date): string => d.toISOString().slice(0, 10);
export const toDateString = formatDate;

export const addDays = (d: string, n: number): string => formatDate(new Date(parseDate(d).getTime() + n * DAY_MS));

/** Whole days from a to b (positive when b is later). */
export const daysBetween = (a: string, b: string): number =>
  Math.round((parseDate(b).getTime() - parseDate(a).getTime()) / DAY_MS);

/** Adds calendar months, clamping to the month's last day (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(d: string, n: number): string {
  const t = parseDate(d);
  const y = t.getUTCFullYear();
  const m = t.getUTCMonth() + n;
  const target = new Date(Date.UTC(y, m, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(t.getUTCDate(), lastDay));
  return formatDate(target);
}

/** Monday to Friday; bank holidays are the core's business, not ours. */
export function addBusinessDays(d: string, n: number): string {
  let t = parseDate(d).getTime();
  let left = n;
  while (left > 0) {
    t += DAY_MS;
    const wd = new Date(t).getUTCDay();
    if (wd !== 0 && wd !== 6) left--;
  }
  return formatDate(new Date(t));
}

/** The date with the given day-of-month in the month of `d` (day is 1..28, so always valid). */
export function withDay(d: string, day: number): string {
  const t = parseDate(d);
  return formatDate(new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), day)));
}

/** Today's date (UTC) from a clock. */
export const today = (clock: { now(): Date }): string => formatDate(clock.now());
