import { describe, expect, it } from 'vitest';
import { panEndingIn } from './build.js';
import { Rng } from './rng.js';

/** Luhn validity, written out independently of the vault's check-digit helper. */
function luhnValid(pan: string): boolean {
  let sum = 0;
  for (let i = 0; i < pan.length; i++) {
    let d = Number(pan[pan.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

describe('panEndingIn', () => {
  it('gives a Luhn-valid 15-digit 34/37 number ending in every possible last 4', () => {
    const rng = new Rng('pan-ending-in');
    for (let n = 0; n < 10_000; n++) {
      const last4 = String(n).padStart(4, '0');
      const pan = panEndingIn(last4, rng);
      expect(pan).toMatch(/^3[47]\d{13}$/);
      expect(pan.endsWith(last4)).toBe(true);
      expect(luhnValid(pan)).toBe(true);
    }
  });

  it('the same seed gives the same number; another seed another one', () => {
    const a = panEndingIn('1005', new Rng('maria'));
    expect(panEndingIn('1005', new Rng('maria'))).toBe(a);
    expect(panEndingIn('1005', new Rng('jose'))).not.toBe(a);
  });

  it('refuses anything but four digits', () => {
    for (const bad of ['100', '10055', 'abcd', '']) expect(() => panEndingIn(bad, new Rng('x'))).toThrow();
  });
});

describe('Rng', () => {
  it('repeats its sequence for a seed and stays in range', () => {
    const a = new Rng('seed');
    const b = new Rng('seed');
    const xs = Array.from({ length: 1000 }, () => a.int(7));
    expect(Array.from({ length: 1000 }, () => b.int(7))).toEqual(xs);
    expect(new Set(xs)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6]));
    const c = new Rng('other');
    expect(Array.from({ length: 1000 }, () => c.int(7))).not.toEqual(xs);
    for (let i = 0; i < 1000; i++) {
      const v = a.between(10, 25);
      expect(v >= 10 && v <= 25 && Number.isInteger(v)).toBe(true);
    }
  });
});
