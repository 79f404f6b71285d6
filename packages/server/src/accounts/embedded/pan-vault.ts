/**
 * Full card numbers at rest: AES-256-GCM ciphertext plus an HMAC fingerprint for lookups. Only the
 * embedded accounts core uses this; nothing outside the port ever receives a full number.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, randomInt } from 'node:crypto';

export class PanVault {
  private readonly encKey: Buffer;
  private readonly macKey: Buffer;

  constructor(masterKey: Uint8Array) {
    if (masterKey.length < 32) throw new Error('the accounts encryption key needs at least 32 bytes');
    this.encKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'carechat pan encryption', 32));
    this.macKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'carechat pan fingerprint', 32));
  }

  /** `v1.<iv>.<tag>.<ciphertext>` in base64url. */
  encrypt(pan: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    const ct = Buffer.concat([cipher.update(pan, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join(
      '.',
    );
  }

  decrypt(blob: string): string {
    const [v, iv, tag, ct] = blob.split('.');
    if (v !== 'v1' || !iv || !tag || !ct) throw new Error('unknown card number ciphertext format');
    const d = createDecipheriv('aes-256-gcm', this.encKey, Buffer.from(iv, 'base64url'));
    d.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8');
  }

  fingerprint(pan: string): string {
    return createHmac('sha256', this.macKey).update(pan).digest('hex');
  }
}

/** Luhn check digit for a digit string. */
export function luhnCheckDigit(partial: string): string {
  let sum = 0;
  let double = true;
  for (let i = partial.length - 1; i >= 0; i--) {
    let d = partial.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return String((10 - (sum % 10)) % 10);
}

/**
 * A 15-digit number in the 34/37 range that passes Luhn. `random(n)` returns an int in [0, n);
 * the seed passes a deterministic generator.
 */
export function generatePan(random: (n: number) => number = randomInt): string {
  let body = random(2) === 0 ? '34' : '37';
  while (body.length < 14) body += String(random(10));
  return body + luhnCheckDigit(body);
}
