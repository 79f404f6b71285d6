/** TOTP against the RFC 6238 test vectors, the acceptance window, URIs, and secrets at rest. */
import { Secret, URI } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box.js';
import { matchTotpStep, newTotpSecret, otpauthUri, totpCode, totpSecondsLeft, totpStep } from './totp.js';

// RFC 6238 appendix B: the SHA-1 seed is the ASCII string "12345678901234567890".
const RFC_SECRET = Secret.fromLatin1('12345678901234567890').base32;
const RFC_VECTORS: Array<[number, string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('totp', () => {
  it.each(RFC_VECTORS)('matches RFC 6238 at T=%i (last six digits of %s)', (seconds, eight) => {
    expect(totpCode(RFC_SECRET, new Date(seconds * 1000))).toBe(eight.slice(-6));
  });

  it('accepts the current step and one either side, and names the step the code belongs to', () => {
    const secret = newTotpSecret();
    const at = new Date('2026-03-02T10:00:10.000Z');
    const now = totpStep(at);
    for (const delta of [-1, 0, 1]) {
      expect(matchTotpStep(secret, totpCode(secret, at, now + delta), at)).toBe(now + delta);
    }
    for (const delta of [-3, -2, 2, 3]) {
      const code = totpCode(secret, at, now + delta);
      // A far step's code could equal a near one's by chance (1 in 10^6 per step); then it is that step.
      const near = [-1, 0, 1].some((d) => totpCode(secret, at, now + d) === code);
      if (!near) expect(matchTotpStep(secret, code, at)).toBeNull();
    }
  });

  it('rejects anything that is not six digits, and a code made with another secret', () => {
    const secret = newTotpSecret();
    const at = new Date();
    const code = totpCode(secret, at);
    for (const bad of ['', '12345', '1234567', `${code} `, 'abcdef', `${code.slice(0, 5)}x`, '١٢٣٤٥٦']) {
      expect(matchTotpStep(secret, bad, at)).toBeNull();
    }
    const other = newTotpSecret();
    const otherCode = totpCode(other, at);
    if (otherCode !== code) expect(matchTotpStep(secret, otherCode, at)).toBeNull();
  });

  it('steps are 30 seconds long', () => {
    expect(totpStep(new Date(0))).toBe(0);
    expect(totpStep(new Date(29_999))).toBe(0);
    expect(totpStep(new Date(30_000))).toBe(1);
    expect(totpSecondsLeft(new Date(30_000))).toBe(30);
    expect(totpSecondsLeft(new Date(59_500))).toBe(1);
  });

  it('makes new secrets of 160 random bits in base32', () => {
    const secrets = new Set(Array.from({ length: 50 }, () => newTotpSecret()));
    expect(secrets.size).toBe(50);
    for (const s of secrets) expect(s).toMatch(/^[A-Z2-7]{32}$/);
  });

  it('builds an otpauth:// URI that authenticator apps import: issuer, account, SHA1, 6 digits, 30 s', () => {
    const uri = otpauthUri('CARECHATDEMOANA2CARECHATDEMOANA2', 'ana@carechat.test');
    expect(uri.startsWith('otpauth://totp/carechat:ana%40carechat.test?')).toBe(true);
    const parsed = URI.parse(uri);
    expect(parsed).toMatchObject({ issuer: 'carechat', label: 'ana@carechat.test', algorithm: 'SHA1', digits: 6 });
    expect((parsed as unknown as { period: number }).period).toBe(30);
    expect(parsed.secret.base32).toBe('CARECHATDEMOANA2CARECHATDEMOANA2');
  });
});

describe('secret box', () => {
  const master = new TextEncoder().encode('a-master-key-of-at-least-32-bytes-long!!');

  it('round-trips, and never shows the secret in the ciphertext', () => {
    const box = new SecretBox(master);
    const secret = newTotpSecret();
    const blob = box.encrypt(secret, 'agent_ana');
    expect(blob).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(blob).not.toContain(secret);
    expect(box.decrypt(blob, 'agent_ana')).toBe(secret);
    // A fresh IV each time: the same secret never gives the same ciphertext.
    expect(box.encrypt(secret, 'agent_ana')).not.toBe(blob);
  });

  it('refuses another owner, a tampered blob, another master key and another purpose', () => {
    const box = new SecretBox(master);
    const blob = box.encrypt('JBSWY3DPEHPK3PXP', 'agent_ana');
    expect(() => box.decrypt(blob, 'agent_ben')).toThrow();
    const [v, iv, tag, ct] = blob.split('.') as [string, string, string, string];
    const flipped = Buffer.from(ct, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => box.decrypt([v, iv, tag, flipped.toString('base64url')].join('.'), 'agent_ana')).toThrow();
    expect(() => box.decrypt('v2.a.b.c', 'agent_ana')).toThrow(/format/);
    const otherKey = new SecretBox(new TextEncoder().encode('another-master-key-of-at-least-32-bytes!'));
    expect(() => otherKey.decrypt(blob, 'agent_ana')).toThrow();
    expect(() => new SecretBox(master, 'carechat pan encryption').decrypt(blob, 'agent_ana')).toThrow();
  });

  it('needs a master key of at least 32 bytes', () => {
    expect(() => new SecretBox(new Uint8Array(31))).toThrow(/32 bytes/);
  });
});
