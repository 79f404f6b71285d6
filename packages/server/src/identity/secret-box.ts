/**
 * Small secrets at rest (staff TOTP seeds): AES-256-GCM under a key derived with HKDF from the same
 * master key as card numbers (`config.accounts.encryptionKey`), with its own `info` so the two keys
 * are independent. The owner's id is bound as associated data: a ciphertext copied onto another row
 * does not decrypt.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export class SecretBox {
  private readonly key: Buffer;

  constructor(masterKey: Uint8Array, info = 'carechat totp') {
    if (masterKey.length < 32) throw new Error('the encryption master key needs at least 32 bytes');
    this.key = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), info, 32));
  }

  /** `v1.<iv>.<tag>.<ciphertext>` in base64url, bound to `owner`. */
  encrypt(plain: string, owner: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(owner, 'utf8'));
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join(
      '.',
    );
  }

  /** Throws when the blob was tampered with, belongs to another owner or another key. */
  decrypt(blob: string, owner: string): string {
    const [v, iv, tag, ct] = blob.split('.');
    if (v !== 'v1' || !iv || !tag || !ct) throw new Error('unknown secret ciphertext format');
    const d = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    d.setAAD(Buffer.from(owner, 'utf8'));
    d.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8');
  }
}
