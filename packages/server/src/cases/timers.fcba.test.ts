/**
 * The FCBA clocks, table-driven and checked exactly (docs/disputes.md#the-deadlines): the 60-day notice
 * window, acknowledge-by = notice + 30 days, resolve-by = the earlier of the end of the second complete
 * billing cycle after the notice and notice + 90 days, and the timers derived from them. Every expected
 * date below was counted by hand on a calendar, not computed by the code under test.
 */
import { describe, expect, it } from 'vitest';
import { disputeEligibility, fcbaWindow } from '../accounts/rules/billing.rules.js';
import { disputeDeadlines } from '../accounts/rules/disputes.rules.js';
import { timersFor } from './timers.js';

interface Row {
  what: string;
  closings: string[];
  notice: string;
  acknowledgeBy: string;
  resolveBy: string;
  limit: 'two_billing_cycles' | 'ninety_days';
}

const DEADLINES: Row[] = [
  {
    what: 'month-end cycle in a leap year (Jan 31 -> Feb 29 -> Mar 31 -> Apr 30)',
    closings: ['2024-01-31'],
    notice: '2024-02-10',
    acknowledgeBy: '2024-03-11',
    resolveBy: '2024-04-30', // notice + 90 = 2024-05-10
    limit: 'two_billing_cycles',
  },
  {
    what: 'notice on the closing date (Feb 29, 2024): that cycle is not complete after the notice',
    closings: ['2024-01-31'],
    notice: '2024-02-29',
    acknowledgeBy: '2024-03-30',
    resolveBy: '2024-04-30', // Mar and Apr are the two complete cycles; + 90 = 2024-05-29
    limit: 'two_billing_cycles',
  },
  {
    what: 'the day after a closing: two full cycles end May 31, so 90 days comes first',
    closings: ['2024-01-31', '2024-02-29'],
    notice: '2024-03-01',
    acknowledgeBy: '2024-03-31',
    resolveBy: '2024-05-30',
    limit: 'ninety_days',
  },
  {
    what: 'non-leap Feb 28 closing, notice on it (2025)',
    closings: ['2025-01-31'],
    notice: '2025-02-28',
    acknowledgeBy: '2025-03-30',
    resolveBy: '2025-04-30', // + 90 = 2025-05-29
    limit: 'two_billing_cycles',
  },
  {
    what: '2100 is not a leap year (Feb 28)',
    closings: ['2100-01-31'],
    notice: '2100-02-15',
    acknowledgeBy: '2100-03-17',
    resolveBy: '2100-04-30', // + 90 = 2100-05-16
    limit: 'two_billing_cycles',
  },
  {
    what: '2028 is a leap year (notice on Feb 29)',
    closings: ['2028-01-31'],
    notice: '2028-02-29',
    acknowledgeBy: '2028-03-30',
    resolveBy: '2028-04-30', // + 90 = 2028-05-29
    limit: 'two_billing_cycles',
  },
  {
    what: 'a cycle on the 30th after Apr 30: both limits fall on the same day',
    closings: ['2026-03-30', '2026-04-30'],
    notice: '2026-05-01',
    acknowledgeBy: '2026-05-31',
    resolveBy: '2026-07-30', // May 30, Jun 30, Jul 30; + 90 = 2026-07-30
    limit: 'two_billing_cycles',
  },
  {
    what: 'a month-end cycle known through Feb 28 keeps closing on month ends (Mar 31, Apr 30, May 31)',
    closings: ['2025-12-31', '2026-01-31', '2026-02-28'],
    notice: '2026-03-10',
    acknowledgeBy: '2026-04-09',
    resolveBy: '2026-05-31', // + 90 = 2026-06-08
    limit: 'two_billing_cycles',
  },
  {
    what: 'short cycles: a 28-day February (cycle on the 15th)',
    closings: ['2026-01-15'],
    notice: '2026-01-20',
    acknowledgeBy: '2026-02-19',
    resolveBy: '2026-04-15', // Feb 15 (incomplete), Mar 15, Apr 15; + 90 = 2026-04-20
    limit: 'two_billing_cycles',
  },
  {
    what: 'long cycles: 31-day August and October, notice the day after a closing',
    closings: ['2026-07-31'],
    notice: '2026-08-01',
    acknowledgeBy: '2026-08-31',
    resolveBy: '2026-10-30', // cycles end Oct 31
    limit: 'ninety_days',
  },
  {
    what: 'a cycle on the 30th projected from Jun 30 (Jul 30, Aug 30, Sep 30)',
    closings: ['2026-06-30'],
    notice: '2026-07-01',
    acknowledgeBy: '2026-07-31',
    resolveBy: '2026-09-29', // cycles end Sep 30
    limit: 'ninety_days',
  },
  {
    what: 'closings projected months past the latest statement',
    closings: ['2026-01-10'],
    notice: '2026-06-05',
    acknowledgeBy: '2026-07-05',
    resolveBy: '2026-08-10', // Jun 10 (incomplete), Jul 10, Aug 10; + 90 = 2026-09-03
    limit: 'two_billing_cycles',
  },
  {
    what: 'no statement yet: a closing on the notice day is assumed (the earliest the cycles could end)',
    closings: [],
    notice: '2026-11-25',
    acknowledgeBy: '2026-12-25',
    resolveBy: '2027-01-25', // + 90 = 2027-02-23
    limit: 'two_billing_cycles',
  },
];

describe('FCBA deadlines (acknowledge-by, resolve-by)', () => {
  it.each(DEADLINES)('$what', (r) => {
    expect(disputeDeadlines(r.notice, r.closings)).toEqual({
      acknowledgeBy: r.acknowledgeBy,
      resolveBy: r.resolveBy,
      resolveLimit: r.limit,
    });
  });

  it('does not depend on the order in which closing dates are given', () => {
    const closings = ['2026-02-28', '2025-12-31', '2026-01-31'];
    expect(disputeDeadlines('2026-03-10', closings).resolveBy).toBe('2026-05-31');
  });
});

const WINDOW: Array<{ what: string; closing: string; notice: string; eligible: boolean; daysRemaining: number }> = [
  {
    what: 'notice on the closing date',
    closing: '2026-01-31',
    notice: '2026-01-31',
    eligible: true,
    daysRemaining: 60,
  },
  {
    what: '60 days after a Jan 31 closing (2026)',
    closing: '2026-01-31',
    notice: '2026-04-01',
    eligible: true,
    daysRemaining: 0,
  },
  {
    what: '61 days after a Jan 31 closing (2026)',
    closing: '2026-01-31',
    notice: '2026-04-02',
    eligible: false,
    daysRemaining: 0,
  },
  {
    what: '60 days in a leap year (through Feb 29)',
    closing: '2024-01-31',
    notice: '2024-03-31',
    eligible: true,
    daysRemaining: 0,
  },
  { what: '61 days in a leap year', closing: '2024-01-31', notice: '2024-04-01', eligible: false, daysRemaining: 0 },
  { what: '60 days after Feb 28, 2100', closing: '2100-02-28', notice: '2100-04-29', eligible: true, daysRemaining: 0 },
  {
    what: '61 days after Feb 28, 2100',
    closing: '2100-02-28',
    notice: '2100-04-30',
    eligible: false,
    daysRemaining: 0,
  },
  { what: '60 days after Apr 30', closing: '2026-04-30', notice: '2026-06-29', eligible: true, daysRemaining: 0 },
  { what: '61 days after Apr 30', closing: '2026-04-30', notice: '2026-06-30', eligible: false, daysRemaining: 0 },
  { what: '59 days after Feb 29, 2028', closing: '2028-02-29', notice: '2028-04-28', eligible: true, daysRemaining: 1 },
];

describe('FCBA notice window (60 days after the statement closing)', () => {
  it.each(WINDOW)('$what', (r) => {
    expect(fcbaWindow(r.closing, r.notice)).toMatchObject({ eligible: r.eligible, daysRemaining: r.daysRemaining });
    expect(
      disputeEligibility({ today: r.notice, amountCents: 8_900, status: 'posted', statementClosingDate: r.closing }),
    ).toMatchObject({ eligible: r.eligible, reason: r.eligible ? null : 'window_closed' });
  });

  it('names the last timely day', () => {
    expect(fcbaWindow('2024-01-31', '2024-02-01').deadline).toBe('2024-03-31');
    expect(fcbaWindow('2100-02-28', '2100-03-01').deadline).toBe('2100-04-29');
  });
});

describe('deadline timers', () => {
  it('warns 5 and 10 days ahead and breaches at the end of the deadline day (UTC)', () => {
    expect(timersFor({ acknowledge_by: '2024-03-01', resolve_by: '2024-05-01' })).toEqual([
      { kind: 'acknowledge_warning', dueAt: '2024-02-25T00:00:00.000Z' },
      { kind: 'acknowledge_breach', dueAt: '2024-03-02T00:00:00.000Z' },
      { kind: 'resolve_warning', dueAt: '2024-04-21T00:00:00.000Z' },
      { kind: 'resolve_breach', dueAt: '2024-05-02T00:00:00.000Z' },
    ]);
    // Across a year end and a non-leap February.
    expect(timersFor({ acknowledge_by: '2100-03-03', resolve_by: '2100-12-31' })).toEqual([
      { kind: 'acknowledge_warning', dueAt: '2100-02-26T00:00:00.000Z' },
      { kind: 'acknowledge_breach', dueAt: '2100-03-04T00:00:00.000Z' },
      { kind: 'resolve_warning', dueAt: '2100-12-21T00:00:00.000Z' },
      { kind: 'resolve_breach', dueAt: '2101-01-01T00:00:00.000Z' },
    ]);
    expect(timersFor({ acknowledge_by: null, resolve_by: null })).toEqual([]);
  });
});
