import { describe, expect, it } from 'vitest';
import {
  disputeDeadlines,
  disputeEligibilityOf,
  disputeReference,
  normalizeDisputeReference,
  openDisputeEligibility,
  openDisputeRequest,
} from './disputes.rules.js';

const TODAY = '2026-11-25';

describe('dispute rules: openDisputeRequest', () => {
  it('accepts a minimal request: no description, the notice is today’s', () => {
    expect(openDisputeRequest({ transactionId: 'txn_1', reason: 'unauthorized' }, TODAY)).toEqual({
      ok: true,
      request: { transactionId: 'txn_1', reason: 'unauthorized', description: null, noticeDate: null },
    });
  });

  it('trims the description (blank means none) and keeps a past or present notice date', () => {
    const r = openDisputeRequest(
      { transactionId: 'txn_1', reason: 'duplicate', description: '  charged twice  ', noticeDate: TODAY },
      TODAY,
    );
    expect(r).toMatchObject({ ok: true, request: { description: 'charged twice', noticeDate: TODAY } });
    expect(openDisputeRequest({ transactionId: 't', reason: 'cancelled', description: '   ' }, TODAY)).toMatchObject({
      request: { description: null },
    });
  });

  it('refuses bad shapes as invalid input', () => {
    for (const input of [
      null,
      [],
      'txn_1',
      { reason: 'unauthorized' },
      { transactionId: '', reason: 'unauthorized' },
      { transactionId: 'x'.repeat(65), reason: 'unauthorized' },
      { transactionId: 'txn_1', reason: 'fraud' },
      { transactionId: 'txn_1', reason: 'unauthorized', description: 42 },
      { transactionId: 'txn_1', reason: 'unauthorized', description: 'x'.repeat(1001) },
      { transactionId: 'txn_1', reason: 'unauthorized', noticeDate: '2026-02-30' },
      { transactionId: 'txn_1', reason: 'unauthorized', noticeDate: '2026-11-26' },
      { transactionId: 'txn_1', reason: 'unauthorized', notice: '2026-11-20' },
    ]) {
      expect(openDisputeRequest(input, TODAY), JSON.stringify(input)).toMatchObject({
        ok: false,
        code: 'invalid_input',
      });
    }
  });
});

describe('dispute rules: eligibility', () => {
  const charge = { amountCents: 8_900, status: 'posted' as const, statementClosingDate: '2026-09-26' };

  it('refuses a charge that already has a dispute before anything else', () => {
    expect(disputeEligibilityOf({ ...charge, today: '2027-06-01', disputed: true })).toMatchObject({
      eligible: false,
      reason: 'already_disputed',
    });
    expect(disputeEligibilityOf({ ...charge, today: TODAY, disputed: false })).toMatchObject({
      eligible: true,
      deadline: TODAY,
    });
  });

  it('judges timeliness on the notice date, with dispute.-prefixed rule ids', () => {
    const f = { ...charge, transactionDate: '2026-09-20', disputed: false };
    expect(openDisputeEligibility({ ...f, noticeDate: TODAY })).toMatchObject({ ok: true });
    expect(openDisputeEligibility({ ...f, noticeDate: '2026-11-26' })).toMatchObject({
      ok: false,
      code: 'rule_violation',
      rule: 'dispute.window_closed',
    });
    expect(openDisputeEligibility({ ...f, status: 'pending', noticeDate: TODAY })).toMatchObject({
      rule: 'dispute.pending',
    });
    expect(openDisputeEligibility({ ...f, amountCents: -100, noticeDate: TODAY })).toMatchObject({
      rule: 'dispute.not_a_charge',
    });
    expect(openDisputeEligibility({ ...f, disputed: true, noticeDate: TODAY })).toMatchObject({
      rule: 'dispute.already_disputed',
    });
  });

  it('refuses a notice dated before the charge', () => {
    expect(
      openDisputeEligibility({ ...charge, transactionDate: '2026-09-20', disputed: false, noticeDate: '2026-09-19' }),
    ).toMatchObject({ ok: false, code: 'invalid_input' });
  });
});

describe('dispute rules: disputeDeadlines', () => {
  it('acknowledges in 30 days and resolves at the end of the second complete cycle when sooner than 90 days', () => {
    // Closings on the 26th: the notice's own cycle ends 2026-11-26, then two complete ones.
    expect(disputeDeadlines(TODAY, ['2026-09-26', '2026-10-26'])).toEqual({
      acknowledgeBy: '2026-12-25',
      resolveBy: '2027-01-26',
      resolveLimit: 'two_billing_cycles',
    });
  });

  it('caps resolution at 90 days when the cycles end later', () => {
    // Notice the day after closing: the second complete cycle ends 2027-02-24, after notice + 90.
    expect(disputeDeadlines('2026-11-25', ['2026-10-24', '2026-11-24'])).toEqual({
      acknowledgeBy: '2026-12-25',
      resolveBy: '2027-02-23',
      resolveLimit: 'ninety_days',
    });
  });

  it('projects far enough from an old last statement, in any order', () => {
    expect(disputeDeadlines('2026-11-25', ['2026-03-26', '2026-01-26']).resolveBy).toBe('2027-01-26');
  });

  it('without any statement assumes a cycle closes on the notice day (the earliest it could)', () => {
    expect(disputeDeadlines('2026-11-25', [])).toEqual({
      acknowledgeBy: '2026-12-25',
      resolveBy: '2027-01-25',
      resolveLimit: 'two_billing_cycles',
    });
  });
});

describe('dispute rules: references', () => {
  it('encodes 5 random bytes as DSP- and 8 Crockford base32 characters', () => {
    expect(disputeReference(new Uint8Array([0, 0, 0, 0, 0]))).toBe('DSP-00000000');
    expect(disputeReference(new Uint8Array([255, 255, 255, 255, 255]))).toBe('DSP-ZZZZZZZZ');
    // 0x0842108421 is 1 in every 5-bit group.
    expect(disputeReference(new Uint8Array([0x08, 0x42, 0x10, 0x84, 0x21]))).toBe('DSP-11111111');
    expect(disputeReference(new Uint8Array([0xab, 0xcd, 0xef, 0x01, 0x23]))).toMatch(/^DSP-[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(() => disputeReference(new Uint8Array(4))).toThrow(RangeError);
  });

  it('reads a reference as people type it, and nothing else', () => {
    expect(normalizeDisputeReference('DSP-7K2M9QXA')).toBe('DSP-7K2M9QXA');
    expect(normalizeDisputeReference(' dsp7k2m9qxa ')).toBe('DSP-7K2M9QXA');
    expect(normalizeDisputeReference('DSP-O0IL1234')).toBe('DSP-00111234');
    expect(normalizeDisputeReference('DSP-7K2M9QXU')).toBeNull();
    expect(normalizeDisputeReference('DSP-7K2M9QX')).toBeNull();
    expect(normalizeDisputeReference('dsp_0123456789abcdef0123')).toBeNull();
  });
});
