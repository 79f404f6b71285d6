/**
 * Time-based one-time codes (RFC 6238) for the staff second factor: 30-second steps, 6 digits,
 * HMAC-SHA-1, which is what every authenticator app understands (Google Authenticator ignores other
 * algorithms in otpauth:// URIs). The code is checked against the step it was made in, so replay
 * protection can refuse any step at or before the last one accepted for the account.
 */
import { Secret, TOTP } from 'otpauth';

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps accepted either side of "now": one, for clock drift and the time it takes to type. */
export const TOTP_WINDOW = 1;
const ALGORITHM = 'SHA1';
const ISSUER = 'carechat';

/** A new random 160-bit secret (the RFC 4226 recommended length), base32 as apps expect it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The step (RFC 6238 "T") that `at` falls in. */
export function totpStep(at: Date): number {
  return TOTP.counter({ period: TOTP_PERIOD_SECONDS, timestamp: at.getTime() });
}

/** The code an authenticator shows at `at` (or, with `step`, for that exact step). */
export function totpCode(secretBase32: string, at: Date, step?: number): string {
  const timestamp = step === undefined ? at.getTime() : step * TOTP_PERIOD_SECONDS * 1000;
  return TOTP.generate({
    secret: Secret.fromBase32(secretBase32),
    algorithm: ALGORITHM,
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    timestamp,
  });
}

/**
 * The step whose code `code` is, within TOTP_WINDOW steps of `at`; null when it matches none.
 * otpauth compares in constant time.
 */
export function matchTotpStep(secretBase32: string, code: string, at: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = TOTP.validate({
    token: code,
    secret: Secret.fromBase32(secretBase32),
    algorithm: ALGORITHM,
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    timestamp: at.getTime(),
    window: TOTP_WINDOW,
  });
  return delta === null ? null : totpStep(at) + delta;
}

/** Seconds until the code shown at `at` changes. */
export function totpSecondsLeft(at: Date): number {
  return Math.ceil(TOTP.remaining({ period: TOTP_PERIOD_SECONDS, timestamp: at.getTime() }) / 1000);
}

/** `otpauth://totp/carechat:<email>?secret=...`: what an authenticator app imports (or shows as QR). */
export function otpauthUri(secretBase32: string, accountName: string): string {
  return new TOTP({
    issuer: ISSUER,
    label: accountName,
    secret: Secret.fromBase32(secretBase32),
    algorithm: ALGORITHM,
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  }).toString();
}
