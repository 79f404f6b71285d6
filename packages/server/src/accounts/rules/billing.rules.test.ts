import { describe, expect, it } from 'vitest';
import {
  billingFigures,
  dateWithDayOnOrAfter,
  defaultGoodwillFee,
  disputeEligibility,
  dueDateChangeDecision,
  fcbaDeadlines,
  fcbaWindow,
  lateFeeGoodwillDecision,
  nextDateWithDay,
  normalizeTransactionFilter,
  projectClosingDates,
  remainingMinimumDue,
  schedulePaymentDecision,
  upcomingDueDate,
  type FeeFacts,
  type PaymentFacts,
  type StatementFacts,
} from './billing.rules.js';

const TODAY = '2026-11-25';

describe('billing rules: calendar helpers', () => {
  it.each([
    ['2026-11-25', 20, '2026-12-20'],
    ['2026-11-14', 15, '2026-11-15'],
    ['2026-11-15', 15, '2026-12-15'],
    ['2026-12-10', 5, '2027-01-05'],
    ['2026-12-31', 28, '2027-01-28'],
    ['2028-01-31', 28, '2028-02-28'],
    ['2028-02-28', 1, '2028-03-01'],
  ])('nextDateWithDay(%s, %i) = %s (strictly after)', (after, day, want) => {
    expect(nextDateWithDay(after, day)).toBe(want);
  });

  it.each([
    ['2026-11-25', 25, '2026-11-25'],
    ['2026-11-25', 15, '2026-12-15'],
    ['2026-11-25', 28, '2026-11-28'],
    ['2026-12-29', 1, '2027-01-01'],
  ])('dateWithDayOnOrAfter(%s, %i) = %s', (from, day, want) => {
    expect(dateWithDayOnOrAfter(from, day)).toBe(want);
  });
});

describe('billing rules: transaction filter', () => {
  it('fills the defaults for no filter', () => {
    for (const f of [undefined, null, {}]) {
      const d = normalizeTransactionFilter(f);
      expect(d).toEqual({
        ok: true,
        filter: {
          cardId: null,
          merchant: null,
          minAmountCents: null,
          maxAmountCents: null,
          from: null,
          to: null,
          status: null,
          limit: 50,
        },
      });
    }
  });

  it('keeps every valid field; the merchant is trimmed and lower-cased', () => {
    const d = normalizeTransactionFilter({
      cardId: 'card_1',
      merchant: '  Blue BOTTLE ',
      minAmountCents: 0,
      maxAmountCents: 0,
      from: '2028-02-29',
      to: '2028-02-29',
      status: 'posted',
      limit: 200,
    });
    expect(d).toEqual({
      ok: true,
      filter: {
        cardId: 'card_1',
        merchant: 'blue bottle',
        minAmountCents: 0,
        maxAmountCents: 0,
        from: '2028-02-29',
        to: '2028-02-29',
        status: 'posted',
        limit: 200,
      },
    });
    expect(normalizeTransactionFilter({ limit: 1 })).toMatchObject({ ok: true, filter: { limit: 1 } });
    expect(normalizeTransactionFilter({ cardId: undefined })).toMatchObject({ ok: true });
  });

  it.each([
    ['not an object', 'cards'],
    ['an array', []],
    ['unknown field', { minAmount: 5 }],
    ['empty cardId', { cardId: '' }],
    ['numeric cardId', { cardId: 7 }],
    ['empty merchant', { merchant: '   ' }],
    ['long merchant', { merchant: 'x'.repeat(101) }],
    ['numeric merchant', { merchant: 5 }],
    ['negative min', { minAmountCents: -1 }],
    ['fractional min', { minAmountCents: 1.5 }],
    ['string max', { maxAmountCents: '100' }],
    ['negative max', { maxAmountCents: -100 }],
    ['min > max', { minAmountCents: 101, maxAmountCents: 100 }],
    ['impossible date', { from: '2026-02-29' }],
    ['badly formatted date', { to: '11/25/2026' }],
    ['from > to', { from: '2026-11-02', to: '2026-11-01' }],
    ['unknown status', { status: 'declined' }],
    ['limit 0', { limit: 0 }],
    ['limit 201', { limit: 201 }],
    ['fractional limit', { limit: 2.5 }],
    ['string limit', { limit: '10' }],
  ])('refuses %s as invalid input', (_name, filter) => {
    expect(normalizeTransactionFilter(filter)).toMatchObject({ ok: false, code: 'invalid_input', rule: null });
  });
});

describe('billing rules: billing summary figures', () => {
  const stmt: StatementFacts = {
    closingDate: '2026-10-20',
    dueDate: '2026-11-15',
    newBalanceCents: 125_000,
    minimumDueCents: 3_500,
  };
  const pay = (amountCents: number, status: PaymentFacts['status'], date: string, posted = true): PaymentFacts => ({
    amountCents,
    status,
    scheduledFor: date,
    postedOn: status === 'posted' && posted ? date : null,
  });

  it('subtracts posted and processing payments made after the closing date', () => {
    expect(remainingMinimumDue(stmt, [pay(1_000, 'posted', '2026-10-21'), pay(500, 'processing', TODAY)])).toBe(2_000);
  });

  it('ignores payments on or before the closing date, scheduled and returned ones', () => {
    expect(
      remainingMinimumDue(stmt, [
        pay(1_000, 'posted', '2026-10-20'),
        pay(1_000, 'scheduled', '2026-12-01'),
        pay(1_000, 'returned', '2026-10-25'),
      ]),
    ).toBe(3_500);
  });

  it('never goes below zero', () => {
    expect(remainingMinimumDue(stmt, [pay(10_000, 'posted', '2026-11-01')])).toBe(0);
  });

  it('uses the posting date of a posted payment when it has one', () => {
    const p: PaymentFacts = {
      amountCents: 3_500,
      status: 'posted',
      scheduledFor: '2026-10-19',
      postedOn: '2026-10-21',
    };
    expect(remainingMinimumDue(stmt, [p])).toBe(0);
  });

  it('is past due only after the due date with a minimum still owed', () => {
    const base = { dueDay: 15, creditLimitCents: 1_000_000, currentBalanceCents: 125_000, latest: stmt };
    expect(billingFigures({ ...base, today: '2026-11-15', payments: [] }).pastDue).toBe(false);
    expect(billingFigures({ ...base, today: '2026-11-16', payments: [] }).pastDue).toBe(true);
    expect(
      billingFigures({ ...base, today: '2026-11-16', payments: [pay(3_500, 'posted', '2026-11-10')] }).pastDue,
    ).toBe(false);
    expect(billingFigures({ ...base, today: TODAY, payments: [] })).toEqual({
      statementBalanceCents: 125_000,
      minimumDueCents: 3_500,
      remainingMinimumDueCents: 3_500,
      dueDate: '2026-11-15',
      pastDue: true,
      availableCreditCents: 875_000,
      disputedCents: 0,
    });
  });

  it('leaves an open dispute out of the minimum and of being past due (never more than the undisputed balance)', () => {
    const base = { dueDay: 15, creditLimitCents: 1_000_000, currentBalanceCents: 125_000, today: '2026-11-16' };
    // Revolving: a 3,500 minimum on 125,000 is below the undisputed 25,000, so it stands.
    expect(billingFigures({ ...base, latest: stmt, payments: [], disputedCents: 100_000 })).toMatchObject({
      minimumDueCents: 3_500,
      disputedCents: 100_000,
      pastDue: true,
    });
    // Only 2,000 is undisputed: that is all that is due, and paying it ends the delinquency.
    expect(billingFigures({ ...base, latest: stmt, payments: [], disputedCents: 123_000 })).toMatchObject({
      minimumDueCents: 2_000,
      remainingMinimumDueCents: 2_000,
    });
    const paid = [pay(2_000, 'posted', '2026-11-10')];
    expect(billingFigures({ ...base, latest: stmt, payments: paid, disputedCents: 123_000 }).pastDue).toBe(false);
    expect(billingFigures({ ...base, latest: stmt, payments: paid }).pastDue).toBe(true);
    // A charge card (minimum = whole balance): the balance less the disputed amount; a whole-balance dispute owes nothing.
    const charge = { ...stmt, minimumDueCents: stmt.newBalanceCents };
    expect(billingFigures({ ...base, latest: charge, payments: [], disputedCents: 25_000 }).minimumDueCents).toBe(
      100_000,
    );
    expect(billingFigures({ ...base, latest: charge, payments: [], disputedCents: 200_000 })).toMatchObject({
      minimumDueCents: 0,
      pastDue: false,
    });
  });

  it('gives zeros and the next due day without a statement', () => {
    expect(
      billingFigures({
        today: TODAY,
        dueDay: 15,
        creditLimitCents: 500_000,
        currentBalanceCents: 0,
        latest: null,
        payments: [],
      }),
    ).toEqual({
      statementBalanceCents: 0,
      minimumDueCents: 0,
      remainingMinimumDueCents: 0,
      dueDate: '2026-12-15',
      pastDue: false,
      availableCreditCents: 500_000,
      disputedCents: 0,
    });
  });

  it('never shows negative available credit', () => {
    const f = billingFigures({
      today: TODAY,
      dueDay: 25,
      creditLimitCents: 100_000,
      currentBalanceCents: 120_000,
      latest: null,
      payments: [],
    });
    expect(f.availableCreditCents).toBe(0);
    expect(f.dueDate).toBe(TODAY);
  });
});

describe('billing rules: scheduling a payment', () => {
  const base = { today: TODAY, currentBalanceCents: 125_000 };

  it('schedules a future payment and processes one for today', () => {
    expect(schedulePaymentDecision({ ...base, amountCents: 5_000, date: '2026-12-01' })).toEqual({
      ok: true,
      amountCents: 5_000,
      date: '2026-12-01',
      status: 'scheduled',
    });
    expect(schedulePaymentDecision({ ...base, amountCents: 1, date: TODAY })).toMatchObject({
      ok: true,
      status: 'processing',
    });
  });

  it.each([0, -100, 1.5, Number.NaN, '5000', null, 2 ** 60])('refuses amount %s as invalid input', (amountCents) => {
    expect(schedulePaymentDecision({ ...base, amountCents, date: TODAY })).toMatchObject({
      ok: false,
      code: 'invalid_input',
    });
  });

  it.each(['2026-02-30', '26-11-25', '', 20261125, undefined])('refuses date %s as invalid input', (date) => {
    expect(schedulePaymentDecision({ ...base, amountCents: 100, date })).toMatchObject({
      ok: false,
      code: 'invalid_input',
    });
  });

  it('allows up to the balance plus $1,000, not a cent more', () => {
    expect(schedulePaymentDecision({ ...base, amountCents: 225_000, date: TODAY })).toMatchObject({ ok: true });
    expect(schedulePaymentDecision({ ...base, amountCents: 225_001, date: TODAY })).toMatchObject({
      ok: false,
      rule: 'amount_exceeds_balance',
    });
    expect(
      schedulePaymentDecision({ today: TODAY, currentBalanceCents: -100_000, amountCents: 1, date: TODAY }),
    ).toMatchObject({ ok: false, rule: 'amount_exceeds_balance' });
  });

  it('allows today to today + 60 days only', () => {
    expect(schedulePaymentDecision({ ...base, amountCents: 100, date: '2027-01-24' })).toMatchObject({ ok: true });
    for (const date of ['2026-11-24', '2027-01-25']) {
      expect(schedulePaymentDecision({ ...base, amountCents: 100, date })).toMatchObject({
        ok: false,
        code: 'rule_violation',
        rule: 'payment_date_out_of_range',
      });
    }
  });
});

describe('billing rules: due-date change', () => {
  const base = {
    today: TODAY,
    currentDueDay: 15,
    lastChangeOn: null,
    pastDue: false,
    upcomingDueDate: '2026-12-15',
  };

  it('applies the new day from the first date on it after the upcoming due date', () => {
    expect(dueDateChangeDecision({ ...base, newDueDay: 20 })).toEqual({
      ok: true,
      newDueDay: 20,
      effectiveDueDate: '2026-12-20',
    });
    expect(dueDateChangeDecision({ ...base, newDueDay: 1 })).toMatchObject({ effectiveDueDate: '2027-01-01' });
    expect(dueDateChangeDecision({ ...base, newDueDay: 28 })).toMatchObject({ effectiveDueDate: '2026-12-28' });
  });

  it.each([0, 29, 31, -1, 1.5, '20', null, undefined])('refuses day %s as invalid input', (newDueDay) => {
    expect(dueDateChangeDecision({ ...base, newDueDay })).toMatchObject({ ok: false, code: 'invalid_input' });
  });

  it('refuses the same day', () => {
    expect(dueDateChangeDecision({ ...base, newDueDay: 15 })).toMatchObject({ ok: false, rule: 'due_day_unchanged' });
  });

  it('allows one change per 180 days: day 179 refused, day 180 allowed', () => {
    expect(dueDateChangeDecision({ ...base, newDueDay: 20, lastChangeOn: '2026-05-30' })).toMatchObject({
      ok: false,
      rule: 'due_date_changed_recently',
    });
    expect(dueDateChangeDecision({ ...base, newDueDay: 20, lastChangeOn: '2026-05-29' })).toMatchObject({ ok: true });
    expect(dueDateChangeDecision({ ...base, newDueDay: 20, lastChangeOn: TODAY })).toMatchObject({
      rule: 'due_date_changed_recently',
    });
  });

  it('counts the 180 days across a leap day', () => {
    // 2028-02-29 exists: 180 days after 2027-12-01 is 2028-05-29.
    const b = { ...base, lastChangeOn: '2027-12-01', upcomingDueDate: '2028-06-15' };
    expect(dueDateChangeDecision({ ...b, today: '2028-05-28', newDueDay: 20 })).toMatchObject({
      rule: 'due_date_changed_recently',
    });
    expect(dueDateChangeDecision({ ...b, today: '2028-05-29', newDueDay: 20 })).toMatchObject({ ok: true });
  });

  it('refuses while past due', () => {
    expect(dueDateChangeDecision({ ...base, newDueDay: 20, pastDue: true })).toMatchObject({
      ok: false,
      rule: 'account_past_due',
    });
  });

  it('takes the latest statement due date while still ahead, else the next on the due day', () => {
    expect(upcomingDueDate('2026-12-10', 10, TODAY)).toBe('2026-12-10');
    expect(upcomingDueDate(TODAY, 25, TODAY)).toBe(TODAY);
    expect(upcomingDueDate('2026-11-15', 15, TODAY)).toBe('2026-12-15');
    expect(upcomingDueDate(null, 28, TODAY)).toBe('2026-11-28');
  });
});

describe('billing rules: late-fee goodwill', () => {
  const fee = (id: string, assessedOn: string, o: Partial<FeeFacts> = {}): FeeFacts => ({
    id,
    kind: 'late',
    amountCents: 4_000,
    assessedOn,
    reversedOn: null,
    ...o,
  });

  it('reverses a first late fee for its amount', () => {
    const f = fee('fee_1', '2026-11-20', { amountCents: 2_900 });
    expect(lateFeeGoodwillDecision({ today: TODAY, fee: f, fees: [f] })).toEqual({
      ok: true,
      fee: f,
      creditCents: 2_900,
    });
  });

  it('refuses without a late fee, for another kind of fee, and for a reversed fee', () => {
    expect(lateFeeGoodwillDecision({ today: TODAY, fee: null, fees: [] })).toMatchObject({ rule: 'no_late_fee' });
    const annual = fee('fee_a', '2026-11-01', { kind: 'annual' });
    expect(lateFeeGoodwillDecision({ today: TODAY, fee: annual, fees: [annual] })).toMatchObject({
      rule: 'not_a_late_fee',
    });
    const done = fee('fee_d', '2026-11-01', { reversedOn: '2026-11-02' });
    expect(lateFeeGoodwillDecision({ today: TODAY, fee: done, fees: [done] })).toMatchObject({
      rule: 'fee_already_reversed',
    });
  });

  it('needs the fee to be the first in 12 months: another 364 or 365 days before refuses, 366 allows', () => {
    const f = fee('fee_now', '2026-10-01');
    for (const [earlier, ok] of [
      ['2025-10-02', false],
      ['2025-10-01', false],
      ['2025-09-30', true],
      ['2026-10-01', false],
    ] as const) {
      const other = fee('fee_old', earlier);
      const d = lateFeeGoodwillDecision({ today: TODAY, fee: f, fees: [f, other] });
      expect(d.ok, earlier).toBe(ok);
      if (!ok) expect(d).toMatchObject({ rule: 'late_fee_not_first_in_12_months' });
    }
  });

  it('ignores later late fees and other kinds when checking the first in 12 months', () => {
    const f = fee('fee_now', '2026-10-01');
    const fees = [f, fee('fee_annual', '2026-09-01', { kind: 'annual' }), fee('fee_later', '2026-11-01')];
    expect(lateFeeGoodwillDecision({ today: TODAY, fee: f, fees })).toMatchObject({ ok: true });
  });

  it('counts an earlier late fee even when it was reversed', () => {
    const f = fee('fee_now', '2026-10-01');
    // 334 days before it, reversed 380 days before today: only the first-in-12-months rule applies.
    const old = fee('fee_old', '2025-11-01', { reversedOn: '2025-11-10' });
    expect(lateFeeGoodwillDecision({ today: TODAY, fee: f, fees: [f, old] })).toMatchObject({
      rule: 'late_fee_not_first_in_12_months',
    });
  });

  it('allows one reversal per 365 days before today: 200 days ago refuses, 366 days ago allows', () => {
    const f = fee('fee_now', '2026-11-20');
    const older = (reversedOn: string) => fee('fee_old', '2025-01-10', { reversedOn });
    expect(lateFeeGoodwillDecision({ today: TODAY, fee: f, fees: [f, older('2026-05-09')] })).toMatchObject({
      rule: 'goodwill_used_recently',
    });
    expect(lateFeeGoodwillDecision({ today: TODAY, fee: f, fees: [f, older('2025-11-25')] })).toMatchObject({
      rule: 'goodwill_used_recently',
    });
    expect(lateFeeGoodwillDecision({ today: TODAY, fee: f, fees: [f, older('2025-11-24')] })).toMatchObject({
      ok: true,
    });
  });

  it('defaults to the most recent unreversed late fee', () => {
    const fees = [
      fee('fee_1', '2026-06-01'),
      fee('fee_2', '2026-10-01', { reversedOn: '2026-10-05' }),
      fee('fee_3', '2026-11-01', { kind: 'annual' }),
      fee('fee_4', '2026-08-01'),
    ];
    expect(defaultGoodwillFee(fees)?.id).toBe('fee_4');
    expect(defaultGoodwillFee([fees[1]!, fees[2]!])).toBeNull();
    expect(defaultGoodwillFee([])).toBeNull();
  });
});

describe('billing rules: Fair Credit Billing Act', () => {
  it.each([
    // closing, today, eligible, deadline, daysRemaining
    ['2026-09-26', TODAY, true, TODAY, 0], // day 60
    ['2026-09-25', TODAY, false, '2026-11-24', 0], // day 61
    ['2026-11-20', TODAY, true, '2027-01-19', 55],
    ['2026-11-25', TODAY, true, '2027-01-24', 60], // the closing day itself
    ['2028-01-01', '2028-03-01', true, '2028-03-01', 0], // leap year: Jan 31 + Feb 29 days
    ['2028-01-01', '2028-03-02', false, '2028-03-01', 0],
    ['2027-01-01', '2027-03-02', true, '2027-03-02', 0], // common year: one day later
    ['2028-02-29', '2028-04-01', true, '2028-04-29', 28],
    ['2027-12-31', '2028-02-29', true, '2028-02-29', 0],
  ])('fcbaWindow(%s, %s): eligible %s, deadline %s, %i days left', (closing, today, eligible, deadline, left) => {
    expect(fcbaWindow(closing, today)).toEqual({ eligible, deadline, daysRemaining: left });
  });

  it('projects monthly closings from the anchor, clamped to month ends without drifting', () => {
    expect(projectClosingDates('2026-01-31', 4)).toEqual(['2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31']);
    expect(projectClosingDates('2028-01-31', 2)).toEqual(['2028-02-29', '2028-03-31']);
    expect(projectClosingDates('2026-11-20', 2)).toEqual(['2026-12-20', '2027-01-20']);
  });

  it.each([
    // name, notice, closings, acknowledgeBy, resolveBy, limit
    [
      'monthly cycles',
      '2026-03-10',
      ['2026-03-25', '2026-04-25', '2026-05-25'],
      '2026-04-09',
      '2026-05-25',
      'two_billing_cycles',
    ],
    [
      'notice on a closing date (its cycle is not complete after it)',
      '2026-03-25',
      ['2026-02-25', '2026-03-25', '2026-04-25', '2026-05-25', '2026-06-25'],
      '2026-04-24',
      '2026-05-25',
      'two_billing_cycles',
    ],
    [
      'month-end closings in a common year',
      '2026-02-01',
      projectClosingDates('2026-01-31', 4),
      '2026-03-03',
      '2026-04-30',
      'two_billing_cycles',
    ],
    [
      'month-end closings in a leap year',
      '2028-02-01',
      projectClosingDates('2028-01-31', 4),
      '2028-03-02',
      '2028-04-30',
      'two_billing_cycles',
    ],
    [
      'notice on a leap day',
      '2028-02-29',
      projectClosingDates('2028-01-31', 4),
      '2028-03-30',
      '2028-04-30',
      'two_billing_cycles',
    ],
    [
      'short 14-day cycles',
      '2026-03-10',
      ['2026-03-14', '2026-03-28', '2026-04-11', '2026-04-25'],
      '2026-04-09',
      '2026-04-11',
      'two_billing_cycles',
    ],
    [
      'long 45-day cycles: 90 days comes first',
      '2026-03-20',
      ['2026-03-31', '2026-05-15', '2026-06-30'],
      '2026-04-19',
      '2026-06-18',
      'ninety_days',
    ],
    [
      'exactly 90 days: both limits agree',
      '2026-01-01',
      ['2026-01-15', '2026-03-01', '2026-04-01'],
      '2026-01-31',
      '2026-04-01',
      'two_billing_cycles',
    ],
    [
      'unsorted, duplicated closings',
      '2026-03-10',
      ['2026-05-25', '2026-03-25', '2026-04-25', '2026-03-25', '2026-01-25'],
      '2026-04-09',
      '2026-05-25',
      'two_billing_cycles',
    ],
  ] as const)('fcbaDeadlines: %s', (_name, notice, closings, acknowledgeBy, resolveBy, resolveLimit) => {
    expect(fcbaDeadlines(notice, closings)).toEqual({ acknowledgeBy, resolveBy, resolveLimit });
  });

  it('needs three closing dates on or after the notice, and real dates', () => {
    expect(() => fcbaDeadlines('2026-03-10', ['2026-03-25', '2026-04-25', '2026-02-25'])).toThrow(RangeError);
    expect(() => fcbaDeadlines('2026-02-30', ['2026-03-25', '2026-04-25', '2026-05-25'])).toThrow();
    expect(() => fcbaDeadlines('2026-03-10', ['2026-03-25', '2026-04-25', '2026-05-32'])).toThrow();
  });

  it('decides dispute eligibility of a transaction', () => {
    const base = { today: TODAY, amountCents: 4_500, status: 'posted' as const };
    expect(disputeEligibility({ ...base, statementClosingDate: '2026-09-26' })).toEqual({
      eligible: true,
      reason: null,
      statementClosingDate: '2026-09-26',
      deadline: TODAY,
      daysRemaining: 0,
    });
    expect(disputeEligibility({ ...base, statementClosingDate: '2026-09-25' })).toEqual({
      eligible: false,
      reason: 'window_closed',
      statementClosingDate: '2026-09-25',
      deadline: '2026-11-24',
      daysRemaining: 0,
    });
    expect(disputeEligibility({ ...base, statementClosingDate: null })).toEqual({
      eligible: true,
      reason: null,
      statementClosingDate: null,
      deadline: null,
      daysRemaining: null,
    });
    expect(disputeEligibility({ ...base, status: 'pending', statementClosingDate: null })).toMatchObject({
      eligible: false,
      reason: 'pending',
    });
    expect(disputeEligibility({ ...base, amountCents: -4_500, statementClosingDate: '2026-11-20' })).toMatchObject({
      eligible: false,
      reason: 'not_a_charge',
    });
    expect(disputeEligibility({ ...base, amountCents: 0, statementClosingDate: null })).toMatchObject({
      reason: 'not_a_charge',
    });
  });
});
