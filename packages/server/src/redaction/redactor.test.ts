/** Redaction at the edge: what must go, what must stay readable, and what the findings may say. */
import { describe, expect, it } from 'vitest';
import { isCardNumber, luhnValid, PatternRedactor, type Finding } from './redactor.js';

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

/** The check digit that makes `body + digit` Luhn-valid. */
function luhnComplete(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}

/** A small deterministic PRNG (mulberry32), so the generated cases are the same on every run. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    digits: (n: number) => Array.from({ length: n }, () => String(Math.floor(next() * 10))).join(''),
  };
}

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

describe('luhnValid and isCardNumber', () => {
  it('accepts numbers whose checksum is right and rejects a single changed or swapped digit', () => {
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
    expect(luhnValid('4539148803436467')).toBe(true);
    expect(luhnValid('4539148803436468')).toBe(false);
    expect(luhnValid('4539148803436476')).toBe(false); // two digits swapped
    expect(luhnValid('379461028537717')).toBe(true);
    expect(luhnValid('379461028537718')).toBe(false);
    expect(luhnValid('4351028364719205834')).toBe(true);
  });

  it('wants an issuer prefix and a length that network issues, not only a checksum', () => {
    expect(isCardNumber('4539148803436467')).toBe(true);
    expect(isCardNumber(luhnComplete('900012345678901'))).toBe(false); // no issuer starts with 9
    expect(isCardNumber(luhnComplete('123456789012'))).toBe(false); // nor with 1
    expect(isCardNumber(luhnComplete('45391488034364'))).toBe(false); // Visa has 13, 16 or 19 digits
    expect(isCardNumber(luhnComplete('52837194006521'))).toBe(false); // Mastercard has 16
    expect(isCardNumber(luhnComplete('2721000000000000'.slice(0, 15)))).toBe(false); // past the 2-series
    expect(isCardNumber(luhnComplete('272000000000000'))).toBe(true); // the last 2-series prefix
    expect(isCardNumber(luhnComplete('22210000000000'.padEnd(15, '3')))).toBe(true); // the first one
    expect(isCardNumber(luhnComplete('50123456789'))).toBe(true); // Maestro, 12 digits
  });
});

describe('PatternRedactor: card numbers', () => {
  // Luhn-valid numbers made up for these tests, one per network / length.
  const cards = [
    { name: 'Visa 16', digits: '4539148803436467', sizes: [4, 4, 4, 4] },
    { name: 'Visa 13', digits: luhnComplete('401288888881'), sizes: [4, 4, 5] },
    { name: 'Mastercard 51-55', digits: '5283719400652139', sizes: [4, 4, 4, 4] },
    { name: 'Mastercard 2-series (2221)', digits: '2221847360155025', sizes: [4, 4, 4, 4] },
    { name: 'Mastercard 2-series (2720)', digits: '2720395018461276', sizes: [4, 4, 4, 4] },
    { name: 'Amex 4-6-5', digits: '379461028537717', sizes: [4, 6, 5] },
    { name: 'Diners 4-6-4', digits: luhnComplete('3682051937412'), sizes: [4, 6, 4] },
    { name: 'Discover', digits: '6011728304951163', sizes: [4, 4, 4, 4] },
    { name: 'JCB', digits: luhnComplete('353011133330000'), sizes: [4, 4, 4, 4] },
    { name: 'UnionPay 18', digits: '622847160395284714', sizes: [4, 4, 4, 4, 2] },
    { name: 'Visa 19', digits: '4351028364719205834', sizes: [4, 4, 4, 4, 3] },
    { name: 'Maestro 19', digits: luhnComplete('676770123456789012'), sizes: [4, 4, 4, 4, 3] },
  ];

  it('uses Luhn-valid test numbers', () => {
    for (const c of cards) expect(luhnValid(c.digits), c.name).toBe(true);
  });

  const groupings: Array<[string, (d: string, sizes: number[]) => string]> = [
    ['plain', (d) => d],
    ['spaced', (d, s) => group(d, s, ' ')],
    ['double-spaced', (d, s) => group(d, s, '  ')],
    ['dashed', (d, s) => group(d, s, '-')],
    ['spaced dashes', (d, s) => group(d, s, ' - ')],
    ['dotted', (d, s) => group(d, s, '.')],
    ['non-breaking spaces', (d, s) => group(d, s, '\u00a0')],
    ['typographic dashes', (d, s) => group(d, s, '\u2013')],
    ['zero-width spaces (pasted)', (d, s) => group(d, s, '\u200b')],
  ];

  for (const c of cards) {
    for (const [how, fmt] of groupings) {
      it(`${c.name}, ${how}: replaced by •••• and the last 4, every other digit gone`, () => {
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

  it('covers all 19 digits of a 19-digit number, not just the first 16', () => {
    for (const n of ['4351028364719205834', '4351 0283 6471 9205 834', '4351-0283-6471-9205-834']) {
      const { text } = redact(`number ${n} here`);
      expect(text).toBe('number •••• 5834 here');
      for (const tail of ['9205', '4719', '2058']) expect(text).not.toContain(tail);
    }
  });

  it('redacts a number at the very start and end of the text and next to punctuation', () => {
    expect(redact('4539148803436467').text).toBe('•••• 6467');
    expect(redact('card:5283-7194-0065-2139.').text).toBe('card:•••• 2139.');
    expect(redact('(2221 8473 6015 5025)').text).toBe('(•••• 5025)');
    expect(redact('"3794-610285-37717"?').text).toBe('"•••• 7717"?');
  });

  it('redacts two cards in one message, each with its own last 4', () => {
    const { text, findings } = redact('Old one 4539 1488 0343 6467, new one 3794 610285 37717, please link them');
    expect(text).toBe('Old one •••• 6467, new one •••• 7717, please link them');
    expect(findings.map((f) => f.type)).toEqual(['card_number', 'card_number']);
    expect(digitsOf(text)).toBe('64677717');
    expectWellFormed(text, findings);
  });

  // A card is often typed with its expiry, its CVV or another number right after it. The expiry stays;
  // a 3-4 digit group right after the number (or after number and expiry) is its security code.
  it.each([
    ['expiry after the number', 'the card 4539 1488 0343 6467 12/28 was stolen', 'the card •••• 6467 12/28 was stolen'],
    ['CVV group after the number', 'use 4539 1488 0343 6467 456 please', 'use •••• 6467 [removed] please'],
    ['expiry then CVV', 'it is 4539148803436467 09/27 812', 'it is •••• 6467 09/27 [removed]'],
    ['"exp" and "cvv" spelled out', '5283 7194 0065 2139 exp 11/29 cvv 604', '•••• 2139 exp 11/29 cvv [removed]'],
    ['Spanish, vence', 'tarjeta 5283719400652139 vence 03/30, 7731', 'tarjeta •••• 2139 vence 03/30, [removed]'],
    ['short group before the number', 'ref 88 4539 1488 0343 6467', 'ref 88 •••• 6467'],
    ['dashed number with a trailing group', 'Card: 5283-7194-0065-2139-0931', 'Card: •••• 2139-[removed]'],
  ])('still finds the card when other digits touch it: %s', (_name, input, expected) => {
    const { text, findings } = redact(input);
    expect(text).toBe(expected);
    expect(findings.filter((f) => f.type === 'card_number')).toHaveLength(1);
    for (const group of ['4539', '1488', '0343', '7194', '0065', '456', '812', '604', '7731', '0931'])
      expect(text).not.toContain(group);
  });

  it('takes a 16-digit card followed by 3 more digits for a card and its code (the safe reading)', () => {
    // 4539 1488 0343 6467 is a valid Visa; the 19 digits together fail Luhn.
    expect(luhnValid('4539148803436467456')).toBe(false);
    expect(redact('4539 1488 0343 6467 456').text).toBe('•••• 6467 [removed]');
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

  it('leaves numbers that fail Luhn alone, in every grouping', () => {
    for (const c of cards) {
      const wrong = c.digits.slice(0, -1) + String((Number(c.digits.slice(-1)) + 1) % 10);
      expect(luhnValid(wrong)).toBe(false);
      for (const [how, fmt] of groupings) {
        const input = `I think it is ${fmt(wrong, c.sizes)} but I am not sure`;
        expect(redact(input), `${c.name}, ${how}`).toEqual({ text: input, findings: [] });
      }
    }
  });

  it.each([
    ['Luhn-invalid 16 digits', 'my card is 4539148803436468 right'],
    ['Luhn-invalid 16 digits, spaced', 'my card is 4539 1488 0343 6468 right'],
    ['Luhn-valid but no card prefix (order number)', 'order 9000123456789016 shipped'],
    ['order number of 13 digits', 'my order 1234567890123 never arrived'],
    ['Luhn-valid 14 digits with a Visa prefix (Visa has no 14-digit cards)', 'tracking 45391488034360 says delivered'],
    ['phone, US style', 'call me at (212) 555-0142 tomorrow'],
    ['phone, dashed', 'my number is 212-555-0142'],
    ['phone, dotted', 'or 212.555.0142 after six'],
    ['phone, with country code', 'my number is +1 212 555 0142'],
    ['phone, toll free', 'I called 1-800-555-0199 already'],
    ['phone, UK mobile', 'reach me on +44 7911 123456 please'],
    ['phone, Mexico', 'mi celular es +52 55 1234 5678'],
    ['phone, Spain', 'mi teléfono es +34 612 345 678'],
    ['amount', 'I was charged $1,234.56 twice'],
    ['amount in euros, Spanish style', 'me cobraron 1.234,56 € dos veces'],
    ['ISO date', 'the charge posted on 2026-11-25'],
    ['US date', 'the charge posted on 11/25/2026'],
    ['ZIP code', 'my zip code is 10001'],
    ['ZIP+4', 'my zip is 10001-2345'],
    ['ZIP code, capitalised', 'ZIP Code: 94107'],
    ['ZIP code, hyphenated', 'zip-code 94107'],
    ['Spanish postal code', 'mi código postal 28013'],
    ['card ending', 'my card ending 1005 was declined'],
    ['card ending in', 'the one ending in 1005'],
    ['last 4', 'last 4 1005'],
    ['Spanish, terminada en', 'la tarjeta terminada en 1005 no funciona'],
    ['case number', 'I have case 12345678 open already'],
    ['dated case number', 'about case 20261125-0042, any news?'],
    ['area code', 'the area code is 212'],
    ['error code', 'the app shows error code 4012'],
    ['promo code', 'promo code 2026 did not apply'],
    ['nine digits without SSN context', 'tracking 123456789 arrived'],
  ])('leaves non-sensitive numbers alone: %s', (_name, input) => {
    expect(redact(input)).toEqual({ text: input, findings: [] });
  });

  it('leaves a last-4 reference alone even right after a context word', () => {
    for (const input of [
      'I never got the code for my card ending 1005',
      'what is the security code for the card ending in 1005?',
      'el código de la tarjeta terminada en 1005',
      'code for case 20261125-0042',
      'the code was sent on 2026-11-25',
    ]) {
      expect(redact(input), input).toEqual({ text: input, findings: [] });
    }
  });

  // Generated: every network, random digits, random grouping and separators, inside a sentence.
  it('redacts 2,000 generated card numbers in random groupings and leaves their Luhn-broken twins', () => {
    const rnd = prng(20261125);
    const networks = [
      { prefixes: ['4'], lengths: [13, 16, 19] },
      { prefixes: ['51', '52', '53', '54', '55', '2221', '2500', '2720'], lengths: [16] },
      { prefixes: ['34', '37'], lengths: [15] },
      { prefixes: ['6011', '65', '644'], lengths: [16, 19] },
      { prefixes: ['62'], lengths: [16, 17, 18, 19] },
      { prefixes: ['3528', '3589'], lengths: [16] },
      { prefixes: ['36', '38'], lengths: [14] },
    ];
    const seps = [' ', '-', '.', '  ', ' - ', '\u00a0', ''];
    let checked = 0;
    for (let n = 0; n < 2000; n++) {
      const net = rnd.pick(networks);
      const prefix = rnd.pick(net.prefixes);
      const length = rnd.pick(net.lengths);
      const digits = luhnComplete(prefix + rnd.digits(length - prefix.length - 1));
      const sizes = length === 15 ? [4, 6, 5] : length === 14 ? [4, 6, 4] : [];
      if (!sizes.length) {
        for (let left = length; left > 0; left -= 4) sizes.push(Math.min(4, left));
      }
      const formatted = group(digits, sizes, rnd.pick(seps));
      const { text } = redact(`Here: ${formatted}, thanks.`);
      expect(text, formatted).toBe(`Here: •••• ${digits.slice(-4)}, thanks.`);
      checked++;
      const wrong = digits.slice(0, -1) + String((Number(digits.slice(-1)) + rnd.int(1, 9)) % 10);
      // A broken 17-19 digit number that starts with a valid 16-digit one is taken for that card and
      // what follows it (the safe reading, tested above); only the others must stay whole.
      let at = 0;
      if (sizes.some((n) => (at += n) < length && isCardNumber(wrong.slice(0, at)))) continue;
      const input = `Here: ${group(wrong, sizes, rnd.pick(seps))}, thanks.`;
      expect(redact(input).text, input).toBe(input);
    }
    expect(checked).toBe(2000);
  });

  it('leaves 2,000 generated phone numbers, amounts and dates alone', () => {
    const rnd = prng(7);
    const area = () => String(rnd.int(201, 989));
    const line = () => rnd.digits(4);
    const forms = [
      () => `(${area()}) ${rnd.int(200, 999)}-${line()}`,
      () => `${area()}-${rnd.int(200, 999)}-${line()}`,
      () => `${area()}.${rnd.int(200, 999)}.${line()}`,
      () => `+1 ${area()} ${rnd.int(200, 999)} ${line()}`,
      () => `+1-${area()}-${rnd.int(200, 999)}-${line()}`,
      () => `+44 7${rnd.digits(3)} ${rnd.digits(6)}`,
      () => `+52 55 ${rnd.digits(4)} ${rnd.digits(4)}`,
      () => `+34 6${rnd.digits(2)} ${rnd.digits(3)} ${rnd.digits(3)}`,
      () => `$${rnd.int(1, 99)},${rnd.digits(3)}.${rnd.digits(2)}`,
      () =>
        `${rnd.int(2000, 2039)}-${String(rnd.int(1, 12)).padStart(2, '0')}-${String(rnd.int(1, 28)).padStart(2, '0')}`,
      () => `${rnd.int(1, 12)}/${rnd.int(1, 28)}/${rnd.int(2000, 2039)}`,
      () => `${rnd.digits(5)}-${rnd.digits(4)}`,
    ];
    for (let n = 0; n < 2000; n++) {
      const input = `Please note ${rnd.pick(forms)()} for my file.`;
      expect(redact(input), input).toEqual({ text: input, findings: [] });
    }
  });
});

describe('PatternRedactor: security codes', () => {
  it.each([
    ['cvv 123', 'the cvv 123 is on the back', 'the cvv [removed] is on the back', '123'],
    ['cvv with a colon', 'cvv: 123', 'cvv: [removed]', '123'],
    ['CVV2 "is"', 'my CVV2 is 5521', 'my CVV2 is [removed]', '5521'],
    ['CVC with colon', 'CVC: 809', 'CVC: [removed]', '809'],
    ['CID (Amex, 4 digits)', 'the CID on the front is 7312', 'the CID on the front is [removed]', '7312'],
    ['security code', 'security code: 4321', 'security code: [removed]', '4321'],
    ['3-digit code', 'the 3-digit code is 911', 'the 3-digit code is [removed]', '911'],
    ['the digits on the back', 'the 3 digits on the back are 246', 'the 3 digits on the back are [removed]', '246'],
    ['verification code of 3 digits', 'card verification code 385', 'card verification code [removed]', '385'],
    ['value first', '123 is my cvv', '[removed] is my cvv', '123'],
    ['PIN', 'my PIN is 4826', 'my PIN is [removed]', '4826'],
    ['Spanish', 'el código de seguridad 987 está atrás', 'el código de seguridad [removed] está atrás', '987'],
    ['Spanish, "es"', 'mi código de seguridad es 741', 'mi código de seguridad es [removed]', '741'],
    ['Spanish, verificación', 'código de verificación: 552', 'código de verificación: [removed]', '552'],
    [
      'Spanish, the digits on the back',
      'los 3 dígitos de atrás son 845',
      'los 3 dígitos de atrás son [removed]',
      '845',
    ],
    ['Spanish, reverso', 'los números del reverso: 663', 'los números del reverso: [removed]', '663'],
    ['Spanish, value first', '319 es el cvv', '[removed] es el cvv', '319'],
    ['Spanish, NIP', 'mi NIP es 0429', 'mi NIP es [removed]', '0429'],
  ])('removes security codes after context words: %s', (_name, input, expected, secret) => {
    const { text, findings } = redact(input);
    expect(text).toBe(expected);
    expect(text).not.toContain(secret);
    expect(findings.map((f) => f.type)).toEqual(['security_code']);
    expectWellFormed(text, findings);
  });

  it('removes nothing without a context word', () => {
    for (const input of ['I paid 123 dollars', 'room 412 please', 'it took 365 days', 'we are 3 people']) {
      expect(redact(input), input).toEqual({ text: input, findings: [] });
    }
  });
});

describe('PatternRedactor: SSNs and ITINs', () => {
  it.each([
    ['dashed', 'it is 123-45-6789 ok', 'it is [SSN removed] ok'],
    ['spaced', 'it is 123 45 6789 ok', 'it is [SSN removed] ok'],
    ['double-spaced', 'it is 123  45  6789 ok', 'it is [SSN removed] ok'],
    ['dotted', 'it is 123.45.6789 ok', 'it is [SSN removed] ok'],
    ['starting with 9 (ITIN)', 'my ITIN is 912-78-4321', 'my ITIN is [SSN removed]'],
    ['starting with 9, no context', 'use 987-65-4320 for it', 'use [SSN removed] for it'],
    ['starting with 9, dotted', '955.12.3456 is mine', '[SSN removed] is mine'],
    ['nine digits after "ssn"', 'my ssn is 123456789', 'my ssn is [SSN removed]'],
    ['nine digits after "social"', 'my social is 234567891', 'my social is [SSN removed]'],
    ['3-3-3 after context', 'social security number 123 456 789', 'social security number [SSN removed]'],
    ['tax id', 'tax ID: 912345678', 'tax ID: [SSN removed]'],
    ['value first', '345678912 is my ssn', '[SSN removed] is my ssn'],
    ['Spanish context', 'mi seguro social es 987654321', 'mi seguro social es [SSN removed]'],
    [
      'Spanish, número de seguro social',
      'número de seguro social: 123 45 6789',
      'número de seguro social: [SSN removed]',
    ],
  ])('removes SSNs: %s', (_name, input, expected) => {
    const { text, findings } = redact(input);
    expect(text).toBe(expected);
    expect(digitsOf(text)).toBe('');
    expect(findings.map((f) => f.type)).toEqual(['ssn']);
    expectWellFormed(text, findings);
  });

  it('does not treat nine digits or a last-4 without SSN context as an SSN', () => {
    for (const input of ['tracking 123456789 arrived', 'last 4 of my ssn are 6789', 'ZIP 10001-2345']) {
      expect(redact(input), input).toEqual({ text: input, findings: [] });
    }
  });
});

describe('PatternRedactor: one-time codes', () => {
  it.each([
    ['one-time code', 'my one-time code is 482913', 'my one-time code is [code removed]', '482913'],
    ['OTP', 'OTP 1234', 'OTP [code removed]', '1234'],
    ['passcode', 'the passcode you texted: 90817', 'the passcode you texted: [code removed]', '90817'],
    ['verification code', 'the verification code: 77310', 'the verification code: [code removed]', '77310'],
    ['"code" alone', 'the code is 660217', 'the code is [code removed]', '660217'],
    ['split code', 'your code is 123 456', 'your code is [code removed]', '123 456'],
    ['code with a letter prefix', 'the code says G-507731', 'the code says G-[code removed]', '507731'],
    ['value first', '839201 is the code', '[code removed] is the code', '839201'],
    ['Spanish', 'el código 5521', 'el código [code removed]', '5521'],
    ['Spanish, verificación', 'código de verificación 554812', 'código de verificación [code removed]', '554812'],
    ['Spanish, clave dinámica', 'mi clave dinámica es 310775', 'mi clave dinámica es [code removed]', '310775'],
  ])('removes one-time codes: %s', (_name, input, expected, secret) => {
    const { text, findings } = redact(input);
    expect(text).toBe(expected);
    expect(text).not.toContain(secret);
    expect(findings.map((f) => f.type)).toEqual(['one_time_code']);
    expectWellFormed(text, findings);
  });
});

describe('PatternRedactor: passwords', () => {
  it.each([
    ['"is"', 'my password is hunter2!', 'my password is [password removed]', 'hunter2!'],
    ['"was"', 'the old password was Kx8#pL', 'the old password was [password removed]', 'Kx8#pL'],
    ['"is now"', 'my password is now Tulip-42', 'my password is now [password removed]', 'Tulip-42'],
    ['pwd:', 'pwd: x9!Kq', 'pwd: [password removed]', 'x9!Kq'],
    ['equals', 'Password=Tr0ub4dor', 'Password=[password removed]', 'Tr0ub4dor'],
    ['quoted phrase', 'my password is "blue moon 77" ok', 'my password is [password removed] ok', 'blue moon'],
    ['colon, Spanish', 'contraseña: Secreto123', 'contraseña: [password removed]', 'Secreto123'],
    [
      '"es", Spanish',
      'Mi contraseña es Gato-Azul9 gracias',
      'Mi contraseña es [password removed] gracias',
      'Gato-Azul9',
    ],
    ['clave, Spanish', 'mi clave es Pera2020', 'mi clave es [password removed]', 'Pera2020'],
  ])('removes passwords: %s', (_name, input, expected, secret) => {
    const { text, findings } = redact(input);
    expect(text).toBe(expected);
    expect(text).not.toContain(secret);
    expect(findings.map((f) => f.type)).toEqual(['password']);
    expectWellFormed(text, findings);
  });

  it('keeps what people say about their password', () => {
    for (const input of [
      'my password is not working',
      'my password is wrong',
      'My password is expired and I am locked out',
      'the password is the same as before',
      'I forgot my password',
      'Mi contraseña es incorrecta',
      'la clave es que no puedo entrar',
    ]) {
      expect(redact(input), input).toEqual({ text: input, findings: [] });
    }
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

  it('is idempotent: redacting the redacted text changes nothing', () => {
    const once = redact('card 4539 1488 0343 6467 cvv 123, ssn 123-45-6789, password: abc123').text;
    expect(redact(once)).toEqual({ text: once, findings: [] });
  });
});
