/**
 * Reference numbers people read aloud and retype: a three-letter prefix, a dash and 8 characters of
 * Crockford's base32 (no I, L, O or U) from 5 random bytes (40 bits, about a trillion values). They
 * are unique across nodes by a unique index; a collision is simply drawn again.
 */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const REFERENCE_RANDOM_BYTES = 5;

/** `PRE-` + 8 Crockford base32 characters of 5 random bytes. */
export function reference(prefix: string, random: Uint8Array): string {
  if (!/^[A-Z]{3}$/.test(prefix)) throw new RangeError('A reference prefix is three capital letters.');
  if (random.length !== REFERENCE_RANDOM_BYTES)
    throw new RangeError(`A reference needs ${REFERENCE_RANDOM_BYTES} random bytes.`);
  let out = '';
  let value = 0;
  let bits = 0;
  for (const byte of random) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return `${prefix}-${out}`;
}

/**
 * The canonical form of a reference with one of `prefixes` as people type or say it (any case, with
 * or without the dash, O for 0, I or L for 1), or null when the text is not one.
 */
export function normalizeReference(text: string, prefixes: readonly string[]): string | null {
  const m = /^([A-Z]{3})-?([0-9A-Z]{8})$/.exec(text.trim().toUpperCase());
  if (!m || !prefixes.includes(m[1]!)) return null;
  const code = m[2]!.replace(/O/g, '0').replace(/[IL]/g, '1');
  return /^[0-9A-HJKMNP-TV-Z]{8}$/.test(code) ? `${m[1]}-${code}` : null;
}
