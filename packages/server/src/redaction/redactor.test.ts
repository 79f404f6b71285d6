/** Redaction at the edge: what must go, what must stay readable, and what the findings may say. */
import { describe, expect, it } from 'vitest';
import { luhnValid, PatternRedactor, type Finding } from './redactor.js';

const redactor = new PatternRedactor();
const redact = (text: string) => redactor.redact(text);

/** Formats a digit string in groups of the given sizes joined by sep. */
function group(digits: string, sizes: number[], sep: string): string {
  const parts: string[] = [];
  let i = 0;
  for (const n of sizes) {
    parts.push(digits.slice(i, i + n));
    i += n;
  }
  expect(i).toBe(digits.length);
  return parts.join(sep);
}

const digitsOf = (s: string) => s.replace(/\D/g, '');

/** Every finding points at its replacement in the output and carries nothing but type and position. */
function expectWellFormed(out: string, findings: Finding[]) {
  for (const f of findings) {
    expect(Object.keys(f).sort()).toEqual(['end', 'start', 'type']);
    expect(f.start).toBeGreaterThanOrEqual(0);
    expect(f.end).toBeLessThanOrEqual(out.length);
    const replaced = out.slice(f.start, f.end);
    if (f.type === 'card_number') expect(replaced).toMatch(/^•••• \d{4}$/);
    else expect(replaced).toMatch(/^\[[a-zA-Z ]*removed\]$/);
  }
}

describe('luhnValid', () => {
  it('accepts numbers whose checksum is right and rejects a single changed digit', () => {
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
    expect(luhnValid('4539148803436467')).toBe(true);
    expect(luhnValid('4539148803436468')).toBe(false);
    expect(luhnValid('4539148803436476')).toBe(false); // two digits swapped
    expect(luhnValid('379461028537717')).toBe(true);
    expect(luhnValid('379461028537718')).toBe(false);
    expect(luhnValid('4351028364719205834')).toBe(true);
  });
});

describe('PatternRedactor: card numbers', () => {
  // Luhn-valid numbers made up for these tests, one per network / length.
  const cards = [
    { name: 'Visa 16', digits: '4539148803436467', sizes: [4, 4, 4, 4] },
    { name: 'Mastercard 51-55', digits: '5283719400652139', sizes: [4, 4, 4, 4] },
    { name: 'Mastercard 2-series (2221)', digits: '2221847360155025', sizes: [4, 4, 4, 4] },
    { name: 'Mastercard 2-series (2720)', digits: '2720395018461276', sizes: [4, 4, 4, 4] },
    { name: 'Amex 4-6-5', digits: '379461028537717', sizes: [4, 6, 5] },
    { name: 'Discover', digits: '6011728304951163', sizes: [4, 4, 4, 4] },
    { name: 'UnionPay 18', digits: '622847160395284714', sizes: [4, 4, 4, 4, 2] },
    { name: 'Visa 19', digits: '4351028364719205834', sizes: [4, 4, 4, 4, 3] },
  ];

  it('uses Luhn-valid test numbers', () => {
    for (const c of cards) expect(luhnValid(c.digits)).toBe(true);
  });

  const groupings: Array<[string, (d: string, sizes: number[]) => string]> = [
    ['plain', (d) => d],
    ['spaced', (d, s) => group(d, s, ' ')],
    ['dashed', (d, s) => group(d, s, '-')],
    ['dotted', (d, s) => group(d, s, '.')],
  ];

  for (const c of cards) {
    for (const [how, fmt] of groupings) {
      it(`${c.name}, ${how}: replaced by •••• and the last 4`, () => {
        const formatted = fmt(c.digits, c.sizes);
        const { text, findings } = redact(`Hi, my card number is ${formatted} and it was declined.`);
        const last4 = c.digits.slice(-4);
        expect(text).toBe(`Hi, my card number is •••• ${last4} and it was declined.`);
        expect(findings).toEqual([{ type: 'card_number', start: 22, end: 22 + `•••• ${last4}`.length }]);
        expect(digitsOf(text)).toBe(last4);
        expectWellFormed(text, findings);
      });
    }
  }

  it('redacts a number at the very start and end of the text and next to punctuation', () => {
    expect(redact('4539148803436467').text).toBe('•••• 6467');
    expect(redact('card:5283-7194-0065-2139.').text).toBe('card:•••• 2139.');
    expect(redact('(2221 8473 6015 5025)').text).toBe('(•••• 5025)');
  });

  it('redacts two cards in one message, each with its own last 4', () => {
    const { text, findings } = redact('Old one 4539 1488 0343 6467, new one 3794 610285 37717, please link them');
    expect(text).toBe('Old one •••• 6467, new one •••• 7717, please link them');
    expect(findings.map((f) => f.type)).toEqual(['card_number', 'card_number']);
    expect(digitsOf(text)).toBe('64677717');
    expectWellFormed(text, findings);
  });

  // A card is often typed with its expiry, its CVV or another number right after it.
  it.each([
    ['expiry after the number', 'the card 4539 1488 0343 6467 12/28 was stolen', 'the card •••• 6467 12/28 was stolen'],
    ['CVV group after the number', 'use 4539 1488 0343 6467 456 please', 'use •••• 6467 456 please'],
    ['short group before the number', 'ref 88 4539 1488 0343 6467', 'ref 88 •••• 6467'],
    ['dashed number with a trailing group', 'Card: 5283-7194-0065-2139-0931', 'Card: •••• 2139-0931'],
  ])('still finds the card when other digits touch it: %s', (_name, input, expected) => {
    const { text, findings } = redact(input);
    expect(text).toBe(expected);
    expect(findings.filter((f) => f.type === 'card_number')).toHaveLength(1);
    expect(text).not.toContain('4539');
    expect(text).not.toContain('1488');
    expect(text).not.toContain('0343');
    expect(text).not.toContain('7194');
    expect(text).not.toContain('0065');
  });

  it('finds every card in one long run of groups, wherever it starts', () => {
    expect(redact('4539 1488 0343 6467 5283 7194 0065 2139').text).toBe('•••• 6467 •••• 2139');
    expect(redact('ids 1234 5678 4539 1488 0343 6467').text).toBe('ids 1234 5678 •••• 6467');
  });

  it('stays fast on a long text made of digit groups', () => {
    const input = Array.from({ length: 2000 }, (_, i) => String(i % 10)).join(' ');
    const t = performance.now();
    const { text } = redact(input);
    expect(performance.now() - t).toBeLessThan(500);
    expect(text.length).toBeGreaterThan(0);
  });

  it.each([
    ['Luhn-invalid 16 digits', 'my card is 4539148803436468 right'],
    ['Luhn-invalid 16 digits, spaced', 'my card is 4539 1488 0343 6468 right'],
    ['Luhn-valid but no card prefix (order number)', 'order 9000123456789016 shipped'],
    ['phone, US style', 'call me at (212) 555-0142 tomorrow'],
    ['phone, international', 'my number is +1 212 555 0142'],
    ['amount', 'I was charged $1,234.56 twice'],
    ['ISO date', 'the charge posted on 2026-11-25'],
    ['US date', 'the charge posted on 11/25/2026'],
    ['ZIP code', 'my zip code is 10001'],
    ['ZIP code, capitalised', 'ZIP Code: 94107'],
    ['Spanish postal code', 'mi código postal 28013'],
    ['card ending', 'my card ending 1005 was declined'],
    ['case number', 'I have case 12345678 open already'],
    ['area code', 'the area code is 212'],
  ])('leaves non-sensitive numbers alone: %s', (_name, input) => {
    expect(redact(input)).toEqual({ text: input, findings: [] });
  });
});

describe('PatternRedactor: security codes, SSNs, one-time codes, passwords', () => {
  it.each([
    ['cvv 123', 'the cvv 123 is on the back', 'the cvv [removed] is on the back', '123'],
    ['CVC with colon', 'CVC: 809', 'CVC: [removed]', '809'],
    ['security code', 'security code: 4321', 'security code: [removed]', '4321'],
    ['Spanish', 'el código de seguridad 987 está atrás', 'el código de seguridad [removed] está atrás', '987'],
  ])('removes security codes: %s', (_name, input, expected, secret) => {
    const { text, findings } = redact(input);
    expect(text).toBe(expected);
    expect(text).not.toContain(secret);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.type).toBe('security_code');
    expectWellFormed(text, findings);
  });

  it.each([
    ['dashed', 'it is 123-45-6789 ok', 'it is [SSN removed] ok'],
    ['spaced', 'it is 123 45 6789 ok', 'it is [SSN removed] ok'],
    ['nine digits after "ssn"', 'my ssn is 123456789', 'my ssn is [SSN removed]'],
    ['Spanish context', 'mi seguro social es 987654321', 'mi seguro social es [SSN removed]'],
  ])('removes SSNs: %s', (_name, input, expected) => {
    const { text, findings } = redact(input);
    expect(text).toBe(expected);
    expect(digitsOf(text)).toBe('');
    expect(findings.map((f) => f.type)).toEqual(['ssn']);
    expectWellFormed(text, findings);
  });

  it('does not treat nine digits without SSN context as an SSN', () => {
    expect(redact('tracking 123456789 arrived')).toEqual({ text: 'tracking 123456789 arrived', findings: [] });
  });

  it.each([
    ['one-time code', 'my one-time code is 482913', 'my one-time code is [code removed]', '482913'],
    ['OTP', 'OTP 1234', 'OTP [code removed]', '1234'],
    ['verification code', 'the verification code: 77310', 'the verification code: [code removed]', '77310'],
    ['Spanish', 'el código 5521', 'el código [code removed]', '5521'],
  ])('removes one-time codes: %s', (_name, input, expected, secret) => {
    const { text, findings } = redact(input);
    expect(text).toBe(expected);
    expect(text).not.toContain(secret);
    expect(findings.map((f) => f.type)).toEqual(['one_time_code']);
    expectWellFormed(text, findings);
  });

  it.each([
    ['"is"', 'my password is hunter2!', 'my password is [password removed]', 'hunter2!'],
    ['colon, Spanish', 'contraseña: Secreto123', 'contraseña: [password removed]', 'Secreto123'],
    [
      '"es", Spanish',
      'Mi contraseña es Gato-Azul9 gracias',
      'Mi contraseña es [password removed] gracias',
      'Gato-Azul9',
    ],
    ['equals', 'Password=Tr0ub4dor', 'Password=[password removed]', 'Tr0ub4dor'],
  ])('removes passwords: %s', (_name, input, expected, secret) => {
    const { text, findings } = redact(input);
    expect(text).toBe(expected);
    expect(text).not.toContain(secret);
    expect(findings.map((f) => f.type)).toEqual(['password']);
    expectWellFormed(text, findings);
  });
});

describe('PatternRedactor: findings', () => {
  it('lists type and output positions for every removal, in order, and never the values', () => {
    const input =
      'Card 5283-7194-0065-2139, cvv 321, SSN 123-45-6789, OTP 482913 and my password is Blue-Moon77 thanks';
    const { text, findings } = redact(input);
    expect(text).toBe(
      'Card •••• 2139, cvv [removed], SSN [SSN removed], OTP [code removed] and my password is [password removed] thanks',
    );
    expect(findings.map((f) => f.type)).toEqual(['card_number', 'security_code', 'ssn', 'one_time_code', 'password']);
    expect(findings.map((f) => text.slice(f.start, f.end))).toEqual([
      '•••• 2139',
      '[removed]',
      '[SSN removed]',
      '[code removed]',
      '[password removed]',
    ]);
    for (let i = 1; i < findings.length; i++) expect(findings[i]!.start).toBeGreaterThanOrEqual(findings[i - 1]!.end);
    expectWellFormed(text, findings);
    const serialized = JSON.stringify(findings);
    for (const secret of ['5283', '7194', '0065', '321', '6789', '482913', 'Blue-Moon77']) {
      expect(serialized).not.toContain(secret);
      expect(text).not.toContain(secret);
    }
  });

  it('returns the text unchanged with no findings when nothing is sensitive', () => {
    const input = 'Hola, ¿cuál es mi saldo? Gracias.';
    expect(redact(input)).toEqual({ text: input, findings: [] });
  });

  it('a card number wins over a code pattern that overlaps it', () => {
    const { text, findings } = redact('code 4539148803436467');
    expect(text).toBe('code •••• 6467');
    expect(findings.map((f) => f.type)).toEqual(['card_number']);
  });
});
