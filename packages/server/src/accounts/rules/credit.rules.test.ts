import { describe, expect, it } from 'vitest';
import {
  aprDisclosure,
  creditLimitEligibility,
  decideCreditLimitIncrease,
  formatBps,
  formatUsd,
  isPastDue,
  maxNewLimit,
  PRIME_RATE_BPS,
  productChangeOption,
  withinDays,
  withinMonths,
  type CreditLimitFacts,
  type PaymentFacts,
  type StatementFacts,
} from './credit.rules.js';

const TODAY = '2026-11-25';
const facts = (over: Partial<CreditLimitFacts> = {}): CreditLimitFacts => ({
  today: TODAY,
  productType: 'personal',
  accountStatus: 'open',
  openedOn: '2023-11-25',
  creditLimitCents: 1_000_000,
  lastLimitChangeOn: null,
  lateFeeDates: [],
  pastDue: false,
  declinedRequestDates: [],
  ...over,
});

describe('credit rules: windows', () => {
  it('withinMonths counts exactly N months ago as outside and the day after as inside', () => {
    expect(withinMonths('2026-05-25', 6, TODAY)).toBe(false);
    expect(withinMonths('2026-05-26', 6, TODAY)).toBe(true);
    expect(withinMonths(TODAY, 6, TODAY)).toBe(true);
    expect(withinMonths('2026-11-26', 6, TODAY)).toBe(false);
  });
  it('withinDays counts exactly N days ago as outside', () => {
    expect(withinDays('2026-08-27', 90, TODAY)).toBe(false);
    expect(withinDays('2026-08-28', 90, TODAY)).toBe(true);
    expect(withinDays('2026-11-26', 90, TODAY)).toBe(false);
  });
});

describe('credit rules: maxNewLimit', () => {
  it('is 1.5 x the limit rounded down to $100 for small limits', () => {
    expect(maxNewLimit(500_000)).toBe(750_000);
    expect(maxNewLimit(123_456)).toBe(180_000); // 185,184 -> 180,000
    expect(maxNewLimit(10_050)).toBe(10_000); // 15,075 -> 10,000
  });
  it('adds at most $10,000 for large limits', () => {
    expect(maxNewLimit(2_000_000)).toBe(3_000_000);
    expect(maxNewLimit(3_000_000)).toBe(4_000_000);
  });
  it('switches between the two caps at $20,000', () => {
    expect(maxNewLimit(1_999_900)).toBe(2_990_000); // $29,998.50 -> $29,900
    expect(maxNewLimit(2_000_100)).toBe(3_000_000); // $30,001.50 -> $30,000 < $30,001
    expect(maxNewLimit(2_100_000)).toBe(3_100_000);
  });
});

describe('credit rules: creditLimitEligibility', () => {
  it('is eligible with the max new limit when every rule holds', () => {
    expect(creditLimitEligibility(facts())).toEqual({ eligible: true, reasons: [], maxNewLimitCents: 1_500_000 });
  });
  it('accepts an account open exactly 6 months and refuses one a day short', () => {
    expect(creditLimitEligibility(facts({ openedOn: '2026-05-25' })).eligible).toBe(true);
    expect(creditLimitEligibility(facts({ openedOn: '2026-05-26' }))).toEqual({
      eligible: false,
      reasons: ['account_too_new'],
      maxNewLimitCents: null,
    });
  });
  it('handles month-end openings (Aug 31 + 6 months = Feb 28)', () => {
    expect(creditLimitEligibility(facts({ openedOn: '2026-08-31', today: '2027-02-28' })).eligible).toBe(true);
    expect(creditLimitEligibility(facts({ openedOn: '2026-08-31', today: '2027-02-27' })).reasons).toEqual([
      'account_too_new',
    ]);
  });
  it('refuses after a late fee 5 months ago but not 7 months ago', () => {
    expect(creditLimitEligibility(facts({ lateFeeDates: ['2026-06-25'] })).reasons).toEqual(['recent_late_payment']);
    expect(creditLimitEligibility(facts({ lateFeeDates: ['2026-04-25'] })).eligible).toBe(true);
    expect(creditLimitEligibility(facts({ lateFeeDates: ['2026-05-25'] })).eligible).toBe(true);
    expect(creditLimitEligibility(facts({ lateFeeDates: ['2026-05-26'] })).reasons).toEqual(['recent_late_payment']);
  });
  it('refuses within 6 months of a limit change', () => {
    expect(creditLimitEligibility(facts({ lastLimitChangeOn: '2026-09-01' })).reasons).toEqual(['recent_increase']);
    expect(creditLimitEligibility(facts({ lastLimitChangeOn: '2026-05-25' })).eligible).toBe(true);
  });
  it('refuses a past-due account', () => {
    expect(creditLimitEligibility(facts({ pastDue: true })).reasons).toEqual(['account_past_due']);
  });
  it('refuses within 90 days of a declined request', () => {
    expect(creditLimitEligibility(facts({ declinedRequestDates: ['2026-11-25'] })).reasons).toEqual([
      'recent_request_declined',
    ]);
    expect(creditLimitEligibility(facts({ declinedRequestDates: ['2026-08-28'] })).reasons).toEqual([
      'recent_request_declined',
    ]);
    expect(creditLimitEligibility(facts({ declinedRequestDates: ['2026-08-27'] })).eligible).toBe(true);
  });
  it('refuses corporate accounts (managed by the program administrator)', () => {
    expect(creditLimitEligibility(facts({ productType: 'corporate' })).reasons).toEqual(['corporate_account']);
    expect(creditLimitEligibility(facts({ productType: 'business' })).eligible).toBe(true);
  });
  it('refuses a closed account', () => {
    expect(creditLimitEligibility(facts({ accountStatus: 'closed' })).reasons).toEqual(['account_closed']);
  });
  it('lists every failing reason', () => {
    const d = creditLimitEligibility(
      facts({
        productType: 'corporate',
        openedOn: '2026-10-01',
        lateFeeDates: ['2026-11-01'],
        lastLimitChangeOn: '2026-10-15',
        pastDue: true,
        declinedRequestDates: ['2026-11-20'],
      }),
    );
    expect(d.eligible).toBe(false);
    expect(d.maxNewLimitCents).toBeNull();
    expect(d.reasons).toEqual([
      'corporate_account',
      'account_too_new',
      'recent_late_payment',
      'recent_increase',
      'account_past_due',
      'recent_request_declined',
    ]);
  });
});

describe('credit rules: decideCreditLimitIncrease', () => {
  const eligible = creditLimitEligibility(facts()); // max 1,500,000
  it('approves the requested limit when within every cap', () => {
    expect(decideCreditLimitIncrease(eligible, 1_000_000, 1_200_000, 10_000_000)).toEqual({
      decision: 'approved',
      newLimitCents: 1_200_000,
      reasons: [],
    });
  });
  it('caps at the max increase', () => {
    expect(decideCreditLimitIncrease(eligible, 1_000_000, 5_000_000, 100_000_000)).toEqual({
      decision: 'approved',
      newLimitCents: 1_500_000,
      reasons: ['capped_at_max_increase'],
    });
  });
  it('caps at 30% of income rounded down to $100', () => {
    // 30% of $43,210.99 = $12,963.29 -> $12,900
    expect(decideCreditLimitIncrease(eligible, 1_000_000, 1_500_000, 4_321_099)).toEqual({
      decision: 'approved',
      newLimitCents: 1_290_000,
      reasons: ['capped_by_income'],
    });
  });
  it('names both caps when they coincide', () => {
    expect(decideCreditLimitIncrease(eligible, 1_000_000, 2_000_000, 5_000_000).reasons).toEqual([
      'capped_at_max_increase',
      'capped_by_income',
    ]);
  });
  it('declines for insufficient income when the income cap is at or below the current limit', () => {
    expect(decideCreditLimitIncrease(eligible, 1_000_000, 1_200_000, 3_333_400)).toEqual({
      decision: 'declined',
      newLimitCents: 1_000_000,
      reasons: ['insufficient_income'],
    });
    // 30% of $33,400 = $10,020 -> $10,000 = the current limit: no increase
    expect(decideCreditLimitIncrease(eligible, 1_000_000, 1_200_000, 3_340_000).decision).toBe('declined');
    // 30% of $33,700 = $10,110 -> $10,100: approved for $100 more
    expect(decideCreditLimitIncrease(eligible, 1_000_000, 1_200_000, 3_370_000)).toMatchObject({
      decision: 'approved',
      newLimitCents: 1_010_000,
    });
  });
  it('declines with the eligibility reasons when not eligible', () => {
    const no = creditLimitEligibility(facts({ pastDue: true, lastLimitChangeOn: '2026-11-01' }));
    expect(decideCreditLimitIncrease(no, 1_000_000, 1_200_000, 50_000_000)).toEqual({
      decision: 'declined',
      newLimitCents: 1_000_000,
      reasons: ['recent_increase', 'account_past_due'],
    });
  });
});

describe('credit rules: isPastDue', () => {
  const stmt: StatementFacts = { closingDate: '2026-10-20', dueDate: '2026-11-14', minimumDueCents: 3_500 };
  const pay = ({ date = '2026-11-10', ...over }: Partial<PaymentFacts> & { date?: string }): PaymentFacts => ({
    amountCents: 3_500,
    status: 'posted',
    scheduledFor: date,
    postedOn: (over.status ?? 'posted') === 'posted' ? date : null,
    ...over,
  });
  it('is false without statements', () => {
    expect(isPastDue([], [], TODAY)).toBe(false);
  });
  it('is true when the due date passed and nothing was paid', () => {
    expect(isPastDue([stmt], [], TODAY)).toBe(true);
  });
  it('is false on the due date itself and before it', () => {
    expect(isPastDue([stmt], [], '2026-11-14')).toBe(false);
    expect(isPastDue([stmt], [], '2026-11-15')).toBe(true);
  });
  it('is false when the minimum was paid after closing, even late', () => {
    expect(isPastDue([stmt], [pay({})], TODAY)).toBe(false);
    expect(isPastDue([stmt], [pay({ date: '2026-11-20' })], TODAY)).toBe(false);
    expect(isPastDue([stmt], [pay({ amountCents: 2_000 }), pay({ amountCents: 1_500 })], TODAY)).toBe(false);
  });
  it('is true when payments fall short of the minimum', () => {
    expect(isPastDue([stmt], [pay({ amountCents: 3_499 })], TODAY)).toBe(true);
  });
  it('ignores payments before the closing date, scheduled or returned ones', () => {
    expect(isPastDue([stmt], [pay({ date: '2026-10-20' })], TODAY)).toBe(true);
    expect(isPastDue([stmt], [pay({ status: 'scheduled' })], TODAY)).toBe(true);
    expect(isPastDue([stmt], [pay({ status: 'returned' })], TODAY)).toBe(true);
  });
  it('counts processing payments as received', () => {
    expect(isPastDue([stmt], [pay({ status: 'processing' })], TODAY)).toBe(false);
  });
  it('looks at the latest statement only', () => {
    const older: StatementFacts = { closingDate: '2026-09-20', dueDate: '2026-10-15', minimumDueCents: 9_999 };
    expect(isPastDue([stmt, older], [pay({})], TODAY)).toBe(false);
    const newer: StatementFacts = { closingDate: '2026-11-20', dueDate: '2026-12-15', minimumDueCents: 3_500 };
    expect(isPastDue([older, stmt, newer], [], TODAY)).toBe(false);
  });
  it('is false for a zero minimum', () => {
    expect(isPastDue([{ ...stmt, minimumDueCents: 0 }], [], TODAY)).toBe(false);
  });
});

describe('credit rules: aprDisclosure', () => {
  it('discloses variable rates with the prime rate and the penalty conditions', () => {
    const d = aprDisclosure({
      productType: 'personal',
      purchaseAprBps: 2124,
      cashAprBps: 2974,
      btAprBps: 2124,
      penaltyAprBps: 2999,
    });
    expect(d.variable).toBe(true);
    expect(d.primeRateBps).toBe(PRIME_RATE_BPS);
    expect(d.text).toContain('Purchase APR 21.24% variable');
    expect(d.text).toContain('prime rate of 7.50% plus 13.74%');
    expect(d.text).toContain('Cash advance APR 29.74%');
    expect(d.text).toContain('Balance transfer APR 21.24%');
    expect(d.text).toContain('Penalty APR up to 29.99%');
    expect(d.text).toContain('60 or more days late');
  });
  it('omits the penalty sentence without a penalty APR', () => {
    const d = aprDisclosure({
      productType: 'business',
      purchaseAprBps: 1949,
      cashAprBps: 2974,
      btAprBps: 1949,
      penaltyAprBps: 0,
    });
    expect(d.text).not.toContain('Penalty');
  });
  it('says a 0% corporate card is due in full each month', () => {
    const d = aprDisclosure({
      productType: 'corporate',
      purchaseAprBps: 0,
      cashAprBps: 0,
      btAprBps: 0,
      penaltyAprBps: 0,
    });
    expect(d.variable).toBe(false);
    expect(d.text).toContain('due in full each month');
    expect(d.text).toContain('corporate');
  });
  it('formats basis points and dollars', () => {
    expect(formatBps(2124)).toBe('21.24%');
    expect(formatBps(750)).toBe('7.50%');
    expect(formatBps(0)).toBe('0.00%');
    expect(formatUsd(69_500)).toBe('$695');
    expect(formatUsd(123_456_78)).toBe('$123,456.78');
    expect(formatUsd(5)).toBe('$0.05');
    expect(formatUsd(-37_000)).toBe('-$370');
  });
});

describe('credit rules: productChangeOption', () => {
  const base = {
    today: TODAY,
    openedOn: '2024-01-10',
    pastDue: false,
    current: { tier: 2, annualFeeCents: 32_500 },
  };
  it('always allows a downgrade and explains the fee saving', () => {
    const o = productChangeOption({
      ...base,
      openedOn: '2026-11-01',
      pastDue: true,
      candidate: { name: 'Meridian Green Card', tier: 1, annualFeeCents: 15_000 },
    });
    expect(o).toMatchObject({ change: 'downgrade', eligible: true, reasons: [] });
    expect(o.note).toContain('$150 instead of $325');
    expect(o.note).toContain('$175 less a year');
  });
  it('allows an upgrade after 12 months without a past due', () => {
    const o = productChangeOption({
      ...base,
      candidate: { name: 'Meridian Platinum Card', tier: 3, annualFeeCents: 69_500 },
    });
    expect(o).toMatchObject({ change: 'upgrade', eligible: true, reasons: [] });
    expect(o.note).toContain('$370 more a year');
  });
  it('accepts an upgrade at exactly 12 months and refuses one a day short', () => {
    const candidate = { name: 'Meridian Platinum Card', tier: 3, annualFeeCents: 69_500 };
    expect(productChangeOption({ ...base, openedOn: '2025-11-25', candidate }).eligible).toBe(true);
    const short = productChangeOption({ ...base, openedOn: '2025-11-26', candidate });
    expect(short).toMatchObject({ eligible: false, reasons: ['upgrade_account_too_new'] });
    expect(short.note).toContain('at least 12 months');
  });
  it('refuses an upgrade while past due', () => {
    const o = productChangeOption({
      ...base,
      pastDue: true,
      candidate: { name: 'Meridian Platinum Card', tier: 3, annualFeeCents: 69_500 },
    });
    expect(o).toMatchObject({ change: 'upgrade', eligible: false, reasons: ['upgrade_past_due'] });
    expect(o.note).toContain('past-due');
  });
  it('treats the same tier as lateral, always allowed', () => {
    const o = productChangeOption({
      ...base,
      current: { tier: 1, annualFeeCents: 15_000 },
      openedOn: '2026-11-01',
      pastDue: true,
      candidate: { name: 'Meridian Blue Cash', tier: 1, annualFeeCents: 0 },
    });
    expect(o).toMatchObject({ change: 'lateral', eligible: true });
    expect(o.note).toContain('$0 instead of $150');
  });
  it('says when the fee stays the same', () => {
    const o = productChangeOption({ ...base, candidate: { name: 'X', tier: 2, annualFeeCents: 32_500 } });
    expect(o.note).toBe('The annual fee stays the same ($325).');
  });
});
