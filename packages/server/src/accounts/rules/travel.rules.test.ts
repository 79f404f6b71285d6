import { describe, expect, it } from 'vitest';
import type { TripProtectionDef } from '../embedded/products.js';
import { checkTravelNotice, tripConditions, tripProtection } from './travel.rules.js';

const PLATINUM: TripProtectionDef = {
  delay: { minHours: 6, maxCents: 50_000 },
  cancellation: { maxCents: 1_000_000 },
  lost_luggage: { maxCents: 300_000 },
};
const GOLD: TripProtectionDef = { delay: { minHours: 12, maxCents: 30_000 }, lost_luggage: { maxCents: 125_000 } };

describe('travel rules: tripProtection', () => {
  it('covers a delay of exactly the minimum hours and not just under', () => {
    expect(tripProtection({ paidWithCard: true, protection: PLATINUM, event: 'delay', delayHours: 6 })).toMatchObject({
      covered: true,
      reason: null,
      maxBenefitCents: 50_000,
    });
    expect(
      tripProtection({ paidWithCard: true, protection: PLATINUM, event: 'delay', delayHours: 5.99 }),
    ).toMatchObject({ covered: false, reason: 'delay_too_short', maxBenefitCents: 0 });
    expect(tripProtection({ paidWithCard: true, protection: GOLD, event: 'delay', delayHours: 11 }).reason).toBe(
      'delay_too_short',
    );
    expect(tripProtection({ paidWithCard: true, protection: GOLD, event: 'delay', delayHours: 12 }).covered).toBe(true);
  });
  it('treats a missing delay as zero hours', () => {
    expect(tripProtection({ paidWithCard: true, protection: PLATINUM, event: 'delay' }).reason).toBe('delay_too_short');
  });
  it('covers cancellation and lost luggage up to the product maximum', () => {
    expect(tripProtection({ paidWithCard: true, protection: PLATINUM, event: 'cancellation' })).toMatchObject({
      covered: true,
      maxBenefitCents: 1_000_000,
    });
    expect(tripProtection({ paidWithCard: true, protection: GOLD, event: 'lost_luggage' })).toMatchObject({
      covered: true,
      maxBenefitCents: 125_000,
    });
  });
  it('refuses a trip not paid with the card, before anything else', () => {
    expect(tripProtection({ paidWithCard: false, protection: PLATINUM, event: 'delay', delayHours: 24 })).toMatchObject(
      { covered: false, reason: 'not_paid_with_card', maxBenefitCents: 0 },
    );
    expect(tripProtection({ paidWithCard: false, protection: {}, event: 'cancellation' }).reason).toBe(
      'not_paid_with_card',
    );
  });
  it('refuses an event the product does not cover', () => {
    expect(tripProtection({ paidWithCard: true, protection: GOLD, event: 'cancellation' })).toEqual({
      covered: false,
      reason: 'not_covered_by_product',
      maxBenefitCents: 0,
      conditions: [],
    });
    expect(tripProtection({ paidWithCard: true, protection: {}, event: 'delay', delayHours: 30 }).reason).toBe(
      'not_covered_by_product',
    );
  });
  it('lists what each claim needs', () => {
    const delay = tripConditions('delay', PLATINUM);
    expect(delay).toContain('Delay of 6 hours or more');
    expect(delay.join(' ')).toMatch(/receipts/i);
    expect(delay.join(' ')).toMatch(/confirmation of the delay from the airline/i);
    expect(tripConditions('cancellation', PLATINUM).join(' ')).toMatch(/confirmation of the cancellation/i);
    expect(tripConditions('lost_luggage', PLATINUM).join(' ')).toMatch(/property irregularity report/i);
    expect(tripConditions('delay', { delay: { minHours: 1, maxCents: 1 } })).toContain('Delay of 1 hour or more');
    expect(tripConditions('cancellation', GOLD)).toEqual([]);
  });
});

describe('travel rules: checkTravelNotice', () => {
  const TODAY = '2026-11-25';
  const ok = { destinations: ['Lisbon, Portugal'], startOn: '2026-12-01', endOn: '2026-12-10' };
  it('accepts a valid notice, trimming names and dropping repeats', () => {
    expect(checkTravelNotice(ok, TODAY)).toEqual({ ok: true, destinations: ['Lisbon, Portugal'] });
    expect(
      checkTravelNotice({ ...ok, destinations: ['  São  Paulo ', 'são paulo', "Côte d'Ivoire", 'Zürich'] }, TODAY),
    ).toEqual({ ok: true, destinations: ['São Paulo', "Côte d'Ivoire", 'Zürich'] });
  });
  it('accepts a trip starting today and ending the same day', () => {
    expect(checkTravelNotice({ ...ok, startOn: TODAY, endOn: TODAY }, TODAY).ok).toBe(true);
  });
  it('needs 1 to 10 destinations', () => {
    expect(checkTravelNotice({ ...ok, destinations: [] }, TODAY)).toMatchObject({ ok: false, kind: 'invalid' });
    const ten = Array.from({ length: 10 }, (_, i) => `City ${String.fromCharCode(65 + i)}`);
    expect(checkTravelNotice({ ...ok, destinations: ten }, TODAY).ok).toBe(true);
    expect(checkTravelNotice({ ...ok, destinations: [...ten, 'Oslo'] }, TODAY)).toMatchObject({ kind: 'invalid' });
    expect(checkTravelNotice({ ...ok, destinations: 'Lisbon' }, TODAY)).toMatchObject({ kind: 'invalid' });
  });
  it('needs each destination to be 2 to 60 characters of a place name', () => {
    expect(checkTravelNotice({ ...ok, destinations: ['X'] }, TODAY)).toMatchObject({ kind: 'invalid' });
    expect(checkTravelNotice({ ...ok, destinations: ['Rome', ' Y '] }, TODAY)).toMatchObject({ kind: 'invalid' });
    expect(checkTravelNotice({ ...ok, destinations: ['NY'] }, TODAY).ok).toBe(true);
    expect(checkTravelNotice({ ...ok, destinations: ['a'.repeat(60)] }, TODAY).ok).toBe(true);
    expect(checkTravelNotice({ ...ok, destinations: ['a'.repeat(61)] }, TODAY)).toMatchObject({ kind: 'invalid' });
    expect(checkTravelNotice({ ...ok, destinations: [42] }, TODAY)).toMatchObject({ kind: 'invalid' });
    expect(checkTravelNotice({ ...ok, destinations: ['371449635398431'] }, TODAY)).toMatchObject({ kind: 'invalid' });
    expect(checkTravelNotice({ ...ok, destinations: ['<script>'] }, TODAY)).toMatchObject({ kind: 'invalid' });
  });
  it('needs real dates, not in the past, end not before start', () => {
    expect(checkTravelNotice({ ...ok, startOn: '2026-02-30' }, TODAY)).toMatchObject({ kind: 'invalid' });
    expect(checkTravelNotice({ ...ok, endOn: 20261210 }, TODAY)).toMatchObject({ kind: 'invalid' });
    expect(checkTravelNotice({ ...ok, startOn: '2026-11-24' }, TODAY)).toMatchObject({ kind: 'invalid' });
    expect(checkTravelNotice({ ...ok, endOn: '2026-11-30' }, TODAY)).toMatchObject({ kind: 'invalid' });
  });
  it('allows at most 365 days (travel_notice_too_long)', () => {
    expect(checkTravelNotice({ ...ok, startOn: '2026-12-01', endOn: '2027-12-01' }, TODAY).ok).toBe(true);
    expect(checkTravelNotice({ ...ok, startOn: '2026-12-01', endOn: '2027-12-02' }, TODAY)).toMatchObject({
      ok: false,
      kind: 'rule',
      rule: 'travel_notice_too_long',
    });
  });
});
