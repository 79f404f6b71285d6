/**
 * Opening hours of a queue (protocol `TeamHours`): weekly intervals in the team's own time zone.
 * `null` hours mean open 24/7. Pure functions of the hours and an instant.
 */
import type { TeamHours } from '@carechat/protocol';

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

// Building a DateTimeFormat costs ~40 µs, formatting ~1 µs: nextOpening formats up to 10,080 times.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Weekday (0 = Sunday) and minutes since local midnight of an instant in a time zone. */
export function localTime(at: Date, timeZone: string): { weekday: number; minutes: number } {
  const parts = formatter(timeZone).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return { weekday: WEEKDAYS[get('weekday')] ?? 0, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether the queue is open at `at`. An interval closing at or before it opens runs past midnight. */
export function isOpen(hours: TeamHours | null, at: Date): boolean {
  if (!hours) return true;
  const { weekday, minutes } = localTime(at, hours.timeZone);
  const today = hours.weekly[weekday] ?? [];
  const yesterday = hours.weekly[(weekday + 6) % 7] ?? [];
  for (const i of today) {
    const open = toMinutes(i.open);
    const close = toMinutes(i.close);
    if (close > open ? minutes >= open && minutes < close : minutes >= open) return true;
  }
  // Yesterday's overnight interval still running after midnight.
  for (const i of yesterday) {
    const open = toMinutes(i.open);
    const close = toMinutes(i.close);
    if (close <= open && minutes < close) return true;
  }
  return false;
}

/** The next instant the queue opens (to the minute), or null when it is open now or never opens. */
export function nextOpening(hours: TeamHours | null, at: Date): Date | null {
  if (isOpen(hours, at)) return null;
  // Minute steps over a week are 10,080 checks at most; stepping to interval boundaries would be
  // faster but must handle DST shifts, which the per-minute check gets right for free.
  const start = Math.ceil(at.getTime() / 60_000) * 60_000;
  for (let t = start; t <= start + 7 * 24 * 60 * 60_000; t += 60_000) {
    const d = new Date(t);
    if (isOpen(hours, d)) return d;
  }
  return null;
}
