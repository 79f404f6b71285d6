import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors.js';
import {
  effectiveLevel,
  isSensitive,
  presentAssurance,
  REQUIRED_ASSURANCE,
  requireVerified,
  SENSITIVE_OPERATIONS,
  StepUpRequiredError,
  VERIFIED_FOR_MS,
  type AccountOperation,
  type AssuranceState,
} from './stepup.policy.js';

const NOW = new Date('2026-03-02T10:00:00.000Z');
const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString();

/** Builder: a conversation's stored step-up state. */
const buildAssurance = (o: Partial<AssuranceState> = {}): AssuranceState => ({
  assurance_level: 'session',
  assurance_method: null,
  assurance_expires_at: null,
  ...o,
});
const verifiedUntil = (ms: number) =>
  buildAssurance({ assurance_level: 'verified', assurance_method: 'device', assurance_expires_at: at(ms) });

function refusal(fn: () => void): StepUpRequiredError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StepUpRequiredError) return e;
    throw e;
  }
  throw new Error('expected step_up_required');
}

describe('step-up policy: the table', () => {
  it('marks exactly contact change, authorized users, credit-limit increase and travel changes as sensitive', () => {
    expect([...SENSITIVE_OPERATIONS].sort()).toEqual(
      [
        'addAuthorizedUser',
        'addTravelNotice',
        'removeAuthorizedUser',
        'requestCreditLimitIncrease',
        'updateContact',
      ].sort(),
    );
  });

  it('leaves reads and protective actions (lock, lost/stolen) at session level', () => {
    for (const op of ['getProfile', 'listTransactions', 'lockCard', 'reportLostOrStolen', 'checkCreditLimitIncrease'])
      expect(isSensitive(op as AccountOperation)).toBe(false);
  });

  it('classifies every port operation (the table is a Record over the port)', () => {
    expect(Object.keys(REQUIRED_ASSURANCE)).toHaveLength(40);
    for (const level of Object.values(REQUIRED_ASSURANCE)) expect(['session', 'verified']).toContain(level);
  });
});

describe('step-up policy: effective level', () => {
  it('is session by default and for a row that predates step-up', () => {
    expect(effectiveLevel(buildAssurance(), NOW)).toBe('session');
    expect(effectiveLevel({}, NOW)).toBe('session');
  });

  it('is verified until the expiry and session from the expiry on', () => {
    expect(effectiveLevel(verifiedUntil(1), NOW)).toBe('verified');
    expect(effectiveLevel(verifiedUntil(0), NOW)).toBe('session');
    expect(effectiveLevel(verifiedUntil(-1), NOW)).toBe('session');
  });

  it('needs both the level and an expiry', () => {
    expect(effectiveLevel(buildAssurance({ assurance_level: 'verified' }), NOW)).toBe('session');
    expect(effectiveLevel(buildAssurance({ assurance_expires_at: at(60_000) }), NOW)).toBe('session');
  });

  it('verification lasts 15 minutes', () => {
    expect(VERIFIED_FOR_MS).toBe(15 * 60_000);
  });
});

describe('step-up policy: requireVerified', () => {
  it('refuses a sensitive action in a session-level chat with a typed 403 naming the action and methods', () => {
    const e = refusal(() => requireVerified(buildAssurance(), 'updateContact', NOW));
    expect(e).toBeInstanceOf(AppError);
    expect(e.code).toBe('step_up_required');
    expect(e.status).toBe(403);
    expect(e.details).toEqual({ action: 'updateContact', methods: ['device', 'challenge'] });
  });

  it('passes the methods the caller says are open to this cardmember', () => {
    const e = refusal(() => requireVerified(buildAssurance(), 'addTravelNotice', NOW, ['challenge']));
    expect(e.details).toEqual({ action: 'addTravelNotice', methods: ['challenge'] });
  });

  it('allows every sensitive action while verified, and refuses again once it lapses', () => {
    for (const op of SENSITIVE_OPERATIONS) {
      expect(() => requireVerified(verifiedUntil(60_000), op, NOW)).not.toThrow();
      expect(refusal(() => requireVerified(verifiedUntil(-1), op, NOW)).details).toMatchObject({ action: op });
    }
  });

  it('never refuses a non-sensitive action', () => {
    for (const op of Object.keys(REQUIRED_ASSURANCE) as AccountOperation[]) {
      if (!isSensitive(op)) expect(() => requireVerified(buildAssurance(), op, NOW)).not.toThrow();
    }
  });
});

describe('step-up policy: presentAssurance', () => {
  const prompt = {
    id: 'p1',
    status: 'pending' as const,
    deviceName: 'iPhone 15',
    expiresAt: at(120_000),
    requestedBy: 'agent' as const,
  };

  it('shows verified with its expiry and method, and nothing of an expired verification', () => {
    expect(presentAssurance(verifiedUntil(60_000), null, NOW)).toEqual({
      level: 'verified',
      expiresAt: at(60_000),
      method: 'device',
      prompt: null,
    });
    expect(presentAssurance(verifiedUntil(-60_000), null, NOW)).toEqual({
      level: 'session',
      expiresAt: null,
      method: null,
      prompt: null,
    });
  });

  it('shows a pending prompt as pending until it runs out, then as expired', () => {
    expect(presentAssurance(buildAssurance(), prompt, NOW).prompt).toEqual(prompt);
    expect(presentAssurance(buildAssurance(), prompt, new Date(at(120_000))).prompt).toEqual({
      ...prompt,
      status: 'expired',
    });
    const denied = { ...prompt, status: 'denied' as const };
    expect(presentAssurance(buildAssurance(), denied, new Date(at(999_999))).prompt).toEqual(denied);
  });
});
