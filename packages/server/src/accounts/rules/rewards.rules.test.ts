import { describe, expect, it } from 'vitest';
import {
  checkRewardsProgram,
  evaluatePayWithPoints,
  parseBenefits,
  pointsNeeded,
  PWP_WINDOW_DAYS,
  statementCreditUsed,
  type PayWithPointsInput,
} from './rewards.rules.js';

const base: PayWithPointsInput = {
  product: { payWithPoints: true, pwpValue: 70 },
  charge: { status: 'posted', amountCents: 35_000, category: 'travel', date: '2026-11-01', redeemed: false },
  ageDays: 24,
  balancePoints: 100_000,
};
const ruleOf = (i: PayWithPointsInput) => {
  const d = evaluatePayWithPoints(i);
  return d.ok ? 'ok' : d.rule;
};

describe('checkRewardsProgram', () => {
  it('names the program, or refuses when the product has none', () => {
    expect(checkRewardsProgram('Meridian Rewards')).toEqual({ ok: true, value: 'Meridian Rewards' });
    expect(checkRewardsProgram(null)).toMatchObject({ ok: false, rule: 'no_rewards_program' });
    expect(checkRewardsProgram('')).toMatchObject({ ok: false, rule: 'no_rewards_program' });
  });
});

describe('pointsNeeded', () => {
  it('is ceil(amount * 100 / value)', () => {
    expect(pointsNeeded(35_000, 70)).toBe(50_000);
    expect(pointsNeeded(10_000, 70)).toBe(14_286);
    expect(pointsNeeded(7, 70)).toBe(10);
    expect(pointsNeeded(1, 70)).toBe(2);
    expect(pointsNeeded(1, 100)).toBe(1);
    expect(pointsNeeded(12_345, 60)).toBe(20_575);
  });
  it('never undercharges, even where floating point would', () => {
    for (let cents = 1; cents < 5_000; cents += 7) {
      for (const v of [60, 70, 100, 125]) {
        const p = pointsNeeded(cents, v);
        expect(p * v).toBeGreaterThanOrEqual(cents * 100);
        expect((p - 1) * v).toBeLessThan(cents * 100);
      }
    }
  });
  it('refuses nonsense inputs', () => {
    expect(() => pointsNeeded(0, 70)).toThrow(RangeError);
    expect(() => pointsNeeded(100, 0)).toThrow(RangeError);
    expect(() => pointsNeeded(1.5, 70)).toThrow(RangeError);
  });
});

describe('evaluatePayWithPoints', () => {
  it('allows a recent posted travel purchase the balance covers', () => {
    expect(evaluatePayWithPoints(base)).toEqual({ ok: true, value: { points: 50_000, creditCents: 35_000 } });
  });
  it('needs a product that offers it', () => {
    expect(ruleOf({ ...base, product: { payWithPoints: false, pwpValue: 100 } })).toBe('pay_with_points_unavailable');
    expect(ruleOf({ ...base, product: { payWithPoints: true, pwpValue: 0 } })).toBe('pay_with_points_unavailable');
  });
  it('needs a posted charge', () => {
    expect(ruleOf({ ...base, charge: { ...base.charge, status: 'pending' } })).toBe('charge_pending');
  });
  it('needs a positive purchase', () => {
    expect(ruleOf({ ...base, charge: { ...base.charge, amountCents: -35_000 } })).toBe('not_a_purchase');
    expect(ruleOf({ ...base, charge: { ...base.charge, amountCents: 0 } })).toBe('not_a_purchase');
  });
  it('covers travel only', () => {
    const d = evaluatePayWithPoints({ ...base, charge: { ...base.charge, category: 'dining' } });
    expect(d).toMatchObject({ ok: false, rule: 'not_travel_charge', details: { category: 'dining' } });
  });
  it('allows a charge 90 days old, refuses 91', () => {
    expect(ruleOf({ ...base, ageDays: PWP_WINDOW_DAYS })).toBe('ok');
    expect(ruleOf({ ...base, ageDays: 91 })).toBe('charge_too_old');
    expect(ruleOf({ ...base, ageDays: 0 })).toBe('ok');
  });
  it('refuses a charge already redeemed', () => {
    expect(ruleOf({ ...base, charge: { ...base.charge, redeemed: true } })).toBe('already_redeemed');
  });
  it('allows exactly enough points, refuses one short with needed and available', () => {
    expect(ruleOf({ ...base, balancePoints: 50_000 })).toBe('ok');
    expect(evaluatePayWithPoints({ ...base, balancePoints: 49_999 })).toMatchObject({
      ok: false,
      rule: 'insufficient_points',
      details: { needed: 50_000, available: 49_999 },
    });
  });
  it('ignores the balance when none is given (the eligibility list)', () => {
    expect(ruleOf({ ...base, balancePoints: undefined })).toBe('ok');
  });
  it('reports the first failing rule in a stable order', () => {
    const everythingWrong: PayWithPointsInput = {
      product: { payWithPoints: false, pwpValue: 70 },
      charge: { status: 'pending', amountCents: -1, category: 'dining', date: '2020-01-01', redeemed: true },
      ageDays: 500,
      balancePoints: 0,
    };
    expect(ruleOf(everythingWrong)).toBe('pay_with_points_unavailable');
    const p = { ...everythingWrong, product: base.product };
    expect(ruleOf(p)).toBe('charge_pending');
    expect(ruleOf({ ...p, charge: { ...p.charge, status: 'posted' } })).toBe('not_a_purchase');
    expect(ruleOf({ ...p, charge: { ...p.charge, status: 'posted', amountCents: 100 } })).toBe('not_travel_charge');
    expect(ruleOf({ ...p, charge: { ...p.charge, status: 'posted', amountCents: 100, category: 'travel' } })).toBe(
      'already_redeemed',
    );
    expect(
      ruleOf({
        ...p,
        charge: { ...p.charge, status: 'posted', amountCents: 100, category: 'travel', redeemed: false },
      }),
    ).toBe('charge_too_old');
    expect(
      ruleOf({
        ...p,
        ageDays: 1,
        charge: { ...p.charge, status: 'posted', amountCents: 100, category: 'travel', redeemed: false },
      }),
    ).toBe('insufficient_points');
  });
});

describe('parseBenefits', () => {
  it('reads the catalog JSON and drops malformed entries', () => {
    const json = JSON.stringify([
      { id: 'airline_credit', kind: 'statement_credit', name: 'Airline', terms: 't', annualAmountCents: 20000 },
      { id: 'lounge', kind: 'lounge_access', name: 'Lounge', terms: 't', annualAmountCents: null },
      { id: 'x', kind: 'cashback', name: 'X', terms: 't' },
      { kind: 'insurance', name: 'No id', terms: 't' },
      null,
    ]);
    expect(parseBenefits(json).map((b) => b.id)).toEqual(['airline_credit', 'lounge']);
    expect(parseBenefits(json)[1]!.annualAmountCents).toBeNull();
  });
  it('is empty for nothing or garbage', () => {
    expect(parseBenefits(null)).toEqual([]);
    expect(parseBenefits('{')).toEqual([]);
    expect(parseBenefits('{}')).toEqual([]);
  });
});

describe('statementCreditUsed', () => {
  const benefit = { id: 'airline_credit', annualAmountCents: 20_000 };
  const credit = (
    amountCents: number,
    postedOn: string,
    reference: string | null = 'airline_credit',
    kind = 'statement_credit',
  ) => ({
    kind,
    amountCents,
    postedOn,
    reference,
  });
  it('sums this calendar year’s statement credits for the benefit', () => {
    expect(statementCreditUsed(benefit, [credit(5_000, '2026-01-01'), credit(2_500, '2026-12-31')], 2026)).toBe(7_500);
  });
  it('ignores other years, other benefits and other credit kinds', () => {
    const credits = [
      credit(5_000, '2025-12-31'),
      credit(5_000, '2027-01-01'),
      credit(5_000, '2026-06-01', 'dining_credit'),
      credit(5_000, '2026-06-01', null),
      credit(5_000, '2026-06-01', 'airline_credit', 'goodwill'),
      credit(1_000, '2026-06-01'),
    ];
    expect(statementCreditUsed(benefit, credits, 2026)).toBe(1_000);
  });
  it('is capped at the yearly amount', () => {
    expect(statementCreditUsed(benefit, [credit(15_000, '2026-02-01'), credit(15_000, '2026-03-01')], 2026)).toBe(
      20_000,
    );
    expect(statementCreditUsed(benefit, [credit(20_000, '2026-02-01')], 2026)).toBe(20_000);
  });
  it('is zero with no credits or no yearly amount', () => {
    expect(statementCreditUsed(benefit, [], 2026)).toBe(0);
    expect(
      statementCreditUsed({ id: 'airline_credit', annualAmountCents: null }, [credit(100, '2026-01-01')], 2026),
    ).toBe(0);
  });
});
