/** Opening hours: 24/7, weekday and overnight intervals, DST change days in New York, next opening. */
import type { TeamHours } from '@carechat/protocol';
import { describe, expect, it } from 'vitest';
import { isOpen, localTime, nextOpening } from './hours.js';

const NY = 'America/New_York';
const at = (s: string) => new Date(s);
const weekly = (days: Partial<Record<number, Array<[string, string]>>>, timeZone = NY): TeamHours => ({
  timeZone,
  weekly: [0, 1, 2, 3, 4, 5, 6].map((d) => (days[d] ?? []).map(([open, close]) => ({ open, close }))),
});
/** Monday to Friday 09:00–17:00 New York time. */
const OFFICE = weekly({
  1: [['09:00', '17:00']],
  2: [['09:00', '17:00']],
  3: [['09:00', '17:00']],
  4: [['09:00', '17:00']],
  5: [['09:00', '17:00']],
});

describe('localTime', () => {
  it('reads weekday and minutes in the zone, midnight as 0 (not 24:00)', () => {
    // 2026-11-25 is a Wednesday; 05:00Z is midnight in New York (EST, UTC-5).
    expect(localTime(at('2026-11-25T05:00:00Z'), NY)).toEqual({ weekday: 3, minutes: 0 });
    expect(localTime(at('2026-11-25T04:59:00Z'), NY)).toEqual({ weekday: 2, minutes: 23 * 60 + 59 });
    expect(localTime(at('2026-11-25T05:00:00Z'), 'UTC')).toEqual({ weekday: 3, minutes: 300 });
  });
});

describe('isOpen', () => {
  it('null hours are open around the clock and never have a next opening', () => {
    for (const s of ['2026-11-25T00:00:00Z', '2026-11-28T03:17:00Z', '2026-03-08T07:30:00Z'])
      expect(isOpen(null, at(s))).toBe(true);
    expect(nextOpening(null, at('2026-11-28T03:17:00Z'))).toBeNull();
  });

  it('weekday interval: open from the opening minute, closed at the closing minute', () => {
    // Wednesday 2026-11-25, EST: 09:00 local = 14:00Z, 17:00 local = 22:00Z.
    expect(isOpen(OFFICE, at('2026-11-25T13:59:59Z'))).toBe(false);
    expect(isOpen(OFFICE, at('2026-11-25T14:00:00Z'))).toBe(true);
    expect(isOpen(OFFICE, at('2026-11-25T21:59:59Z'))).toBe(true);
    expect(isOpen(OFFICE, at('2026-11-25T22:00:00Z'))).toBe(false);
    // Saturday noon: closed all day.
    expect(isOpen(OFFICE, at('2026-11-28T17:00:00Z'))).toBe(false);
  });

  it('several intervals a day (a lunch break)', () => {
    const h = weekly(
      {
        3: [
          ['09:00', '12:00'],
          ['13:00', '17:00'],
        ],
      },
      'UTC',
    );
    expect(isOpen(h, at('2026-11-25T11:59:00Z'))).toBe(true);
    expect(isOpen(h, at('2026-11-25T12:30:00Z'))).toBe(false);
    expect(isOpen(h, at('2026-11-25T13:00:00Z'))).toBe(true);
  });

  it('overnight interval runs past midnight into the next day, and only that night', () => {
    // Friday 22:00 to Saturday 06:00 (UTC zone keeps the arithmetic visible).
    const h = weekly({ 5: [['22:00', '06:00']] }, 'UTC');
    expect(isOpen(h, at('2026-11-27T21:59:00Z'))).toBe(false); // Friday before
    expect(isOpen(h, at('2026-11-27T22:00:00Z'))).toBe(true);
    expect(isOpen(h, at('2026-11-27T23:59:00Z'))).toBe(true);
    expect(isOpen(h, at('2026-11-28T00:00:00Z'))).toBe(true); // Saturday, from Friday's interval
    expect(isOpen(h, at('2026-11-28T05:59:00Z'))).toBe(true);
    expect(isOpen(h, at('2026-11-28T06:00:00Z'))).toBe(false);
    // Thursday night is not Friday night.
    expect(isOpen(h, at('2026-11-26T23:00:00Z'))).toBe(false);
    expect(isOpen(h, at('2026-11-27T01:00:00Z'))).toBe(false);
  });

  it('an interval from 00:00 to 00:00 is the whole day', () => {
    const h = weekly({ 3: [['00:00', '00:00']] }, 'UTC');
    expect(isOpen(h, at('2026-11-25T00:00:00Z'))).toBe(true);
    expect(isOpen(h, at('2026-11-25T23:59:00Z'))).toBe(true);
    expect(isOpen(h, at('2026-11-26T00:00:00Z'))).toBe(false);
  });

  it('DST starts (2026-03-08, 02:00 EST -> 03:00 EDT): local hours follow the wall clock', () => {
    const sunday = weekly({ 0: [['08:00', '12:00']], 6: [['08:00', '12:00']] });
    // Saturday 08:00 EST = 13:00Z; Sunday 08:00 EDT = 12:00Z.
    expect(isOpen(sunday, at('2026-03-07T12:59:00Z'))).toBe(false);
    expect(isOpen(sunday, at('2026-03-07T13:00:00Z'))).toBe(true);
    expect(isOpen(sunday, at('2026-03-08T11:59:00Z'))).toBe(false);
    expect(isOpen(sunday, at('2026-03-08T12:00:00Z'))).toBe(true);
    expect(isOpen(sunday, at('2026-03-08T15:59:00Z'))).toBe(true);
    expect(isOpen(sunday, at('2026-03-08T16:00:00Z'))).toBe(false);
  });

  it('DST ends (2026-11-01, 02:00 EDT -> 01:00 EST): an overnight shift lasts the extra hour', () => {
    const h = weekly({ 6: [['22:00', '06:00']] });
    // Saturday 22:00 EDT = 02:00Z Sunday; Sunday 06:00 EST = 11:00Z: nine real hours.
    expect(isOpen(h, at('2026-11-01T01:59:00Z'))).toBe(false);
    expect(isOpen(h, at('2026-11-01T02:00:00Z'))).toBe(true);
    expect(isOpen(h, at('2026-11-01T05:30:00Z'))).toBe(true); // 01:30 EDT
    expect(isOpen(h, at('2026-11-01T06:30:00Z'))).toBe(true); // 01:30 EST, the repeated hour
    expect(isOpen(h, at('2026-11-01T10:59:00Z'))).toBe(true);
    expect(isOpen(h, at('2026-11-01T11:00:00Z'))).toBe(false);
  });
});

describe('nextOpening', () => {
  it('is null while open', () => {
    expect(nextOpening(OFFICE, at('2026-11-25T15:00:00Z'))).toBeNull();
  });

  it('later the same day, rounded up to the minute', () => {
    expect(nextOpening(OFFICE, at('2026-11-25T12:34:56.789Z'))?.toISOString()).toBe('2026-11-25T14:00:00.000Z');
  });

  it('across a weekend: Friday evening -> Monday 09:00', () => {
    // Friday 2026-11-27 18:00 EST -> Monday 2026-11-30 09:00 EST = 14:00Z.
    expect(nextOpening(OFFICE, at('2026-11-27T23:00:00Z'))?.toISOString()).toBe('2026-11-30T14:00:00.000Z');
  });

  it('across a weekend with a DST change: Monday opens at 09:00 EDT', () => {
    // Friday 2026-03-06 18:00 EST -> Monday 2026-03-09 09:00 EDT = 13:00Z.
    expect(nextOpening(OFFICE, at('2026-03-06T23:00:00Z'))?.toISOString()).toBe('2026-03-09T13:00:00.000Z');
    // Friday 2026-10-30 18:00 EDT -> Monday 2026-11-02 09:00 EST = 14:00Z.
    expect(nextOpening(OFFICE, at('2026-10-30T22:00:00Z'))?.toISOString()).toBe('2026-11-02T14:00:00.000Z');
  });

  it('an opening time skipped by DST opens at the first wall-clock minute after it', () => {
    // 02:30 does not exist in New York on 2026-03-08: the queue opens at 03:00 EDT = 07:00Z.
    const h = weekly({ 0: [['02:30', '05:00']] });
    expect(nextOpening(h, at('2026-03-08T05:00:00Z'))?.toISOString()).toBe('2026-03-08T07:00:00.000Z');
  });

  it('an overnight interval opens the evening before', () => {
    const h = weekly({ 5: [['22:00', '06:00']] }, 'UTC');
    expect(nextOpening(h, at('2026-11-28T06:00:00Z'))?.toISOString()).toBe('2026-12-04T22:00:00.000Z');
  });

  it('is null when the queue never opens', () => {
    expect(nextOpening(weekly({}), at('2026-11-25T12:00:00Z'))).toBeNull();
  });
});
