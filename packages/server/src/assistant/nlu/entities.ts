/**
 * Entities of a chat message (see `EntityType` in engine.ts for what each value means), English and
 * Spanish. Pattern-based on purpose: the values flows need (amounts, dates, last 4s) are regular, a
 * model would add nothing but cost, and every rule here can be read and tested.
 *
 * The text is the redacted text. Redaction placeholders are never read as entities ("[SSN removed]"),
 * with one exception: a masked card number (`•••• 1005`) is the card ending 1005.
 *
 * Candidates may overlap ("ending in 1005" is also the number 1005); the more specific type wins, then
 * the longer span.
 */
import type { Entity, EntityType } from './engine.js';
import { findDates, findDaysOfMonth, todayNumber, type Lang } from './entity-dates.js';
import { B0, CHOICE_NOUN, entity, hasAny as has, LETTER, matches, re, W0, W1 } from './entity-regex.js';
import { findMerchants } from './merchants.js';

export interface EntityOptions {
  /** Decides numeric dates: month/day in English (default), day/month in Spanish. */
  lang?: Lang;
  /** `YYYY-MM-DD` that relative dates count from; defaults to the system clock's local date. */
  today?: string;
}

// ------------------------------------------------------------------ spans nothing may come from

// What the redactor writes (redaction/redactor.ts): `[removed]`, `[SSN removed]`, `[code removed]`,
// `[password removed]`; "[redacted ...]" for other redactors.
const PLACEHOLDER = /\[[^[\]\n]{0,40}?(?:removed|redacted)[^[\]\n]{0,40}?\]/gi;
// Phone numbers stay after redaction; their digit groups are not counts or last 4s.
const PHONE = /(?<![\d-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?!\d)/g;

function blockedSpans(text: string, hasDigit: boolean): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  if (text.includes('[')) for (const m of matches(PLACEHOLDER, text)) spans.push([m.index, m.index + m[0].length]);
  if (hasDigit) for (const m of matches(PHONE, text)) spans.push([m.index, m.index + m[0].length]);
  return spans;
}

// ------------------------------------------------------------------ amounts and points

// 1,200.50 / 1.200,50 / 1200 / 45,20: a last separator followed by one or two digits is the decimal one.
const NUM = '\\d{1,3}(?:[.,]\\d{3})+(?:[.,]\\d{1,2})?|\\d+(?:[.,]\\d{1,2})?';
const DOLLAR_WORDS = 'dollars?|d[oó]lar(?:es)?|bucks|usd|dlls?|dls';
const CENTS_WORDS = 'cents?|centavos?';
const AMOUNTS: RegExp[] = [
  // "$45.20", "US$ 1,200", "USD 1,200". Not "$1.5k": shorthand is left alone rather than guessed. The
  // lookbehind comes after the "$", so that it is only tried where there is one.
  re(
    `(?:${B0}US\\s?\\$|${B0}USD\\s?|\\$(?<![${LETTER}0-9]\\$))\\s?(${NUM})(?![\\d.,]?\\d)(?![kKmM]${W1})(?:\\s+(?:${DOLLAR_WORDS})${W1})?`,
  ),
  // "45 dollars", "45,20 dólares", "1,200 USD", "45$", with "and 20 cents" / "con 20 centavos"
  re(
    `${B0}(${NUM})\\s?(?:(?:${DOLLAR_WORDS})${W1}|\\$)(?:\\s+(?:and|y|con)\\s+(\\d{1,2})\\s+(?:${CENTS_WORDS})${W1})?`,
  ),
];
const AMOUNT_GATE = /\$|usd|d[oó]ll?ar|bucks|dls|cent|¢/i;
const CENTS_ONLY = re(`${B0}(\\d{1,2})\\s?(?:(?:${CENTS_WORDS})${W1}|¢)`);

/** Integer cents of "1,200.50", "1.200,50", "45,2"; null past what a card could be charged. */
function cents(num: string, extraCents = 0): number | null {
  const last = Math.max(num.lastIndexOf('.'), num.lastIndexOf(','));
  const decimals = last >= 0 && num.length - last - 1 <= 2 ? num.slice(last + 1) : '';
  const whole = (decimals ? num.slice(0, last) : num).replace(/[.,]/g, '');
  const value = Number(whole) * 100 + (decimals ? Number(decimals.padEnd(2, '0')) : extraCents);
  return value <= 100_000_000_00 ? value : null;
}

const POINT_WORDS = new Set(['point', 'points', 'pts', 'punto', 'puntos']);
const POINTS = re(`${B0}(\\d{1,3}(?:[.,]\\d{3})+|\\d+(?:[.,]\\d+)?)\\s?(k|mil)?\\s?(?:points?|pts|puntos?)${W1}`);

function points(num: string, thousands: boolean): number {
  // "5.000 puntos" and "5,000 points" are thousands; "2.5k points" and "2,5 mil puntos" are decimals.
  const decimal = Number(num.replace(',', '.'));
  if (thousands) return Math.round(decimal * 1000);
  return /[.,]\d{3}$/.test(num) ? Number(num.replace(/[.,]/g, '')) : Math.round(decimal);
}

// ------------------------------------------------------------------ cards

const CARD_CUES = [
  'ending(?:\\s+(?:in|with))?',
  'ends?\\s+(?:in|with)',
  'last\\s+(?:four|4)(?:\\s+digits)?(?:\\s+(?:are|is|of))?',
  'terminad[ao](?:\\s+en)?',
  'termina\\s+(?:en|con)',
  'terminaci[oó]n(?:\\s+en)?',
  'card(?:\\s+(?:number|no\\.?))?',
  'tarjeta(?:\\s+(?:n[uú]mero|no\\.?))?',
].join('|');
const CARD_WORDS = new Set(
  'ending end ends last terminada terminado termina terminación terminacion últimos ultimos card tarjeta'.split(' '),
);
const MASK_GATE = /[•*]{2}|xx/i;
const LAST4 = '(\\d{4})(?!\\d)(?![.,/:-]\\d)';
// "últimos" starts with an accented letter, where the ASCII \b cannot see a word start.
const CARD_CUED = re(
  `(?:${B0}(?:${CARD_CUES})|${W0}[uú]ltimos\\s+(?:cuatro|4)(?:\\s+d[ií]gitos)?(?:\\s+(?:son|es))?)\\s*[:#-]?\\s*${LAST4}`,
);
// The redactor's mask `•••• 1005`, and the `****1005` / `xxxx1005` people copy from statements.
const CARD_MASKED = re(`(?:[•*]{2,}|${B0}[xX]{2,})[\\s-]?${LAST4}`);

// ------------------------------------------------------------------ languages and numbers

const LANGUAGE_WORDS = new Set('spanish español espanol castellano english inglés ingles'.split(' '));
const LANGUAGE = re(`${B0}(spanish|espa[nñ]ol|castellano|english|ingl[eé]s)${W1}`);

const ORDINALS: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
  primer: 1,
  primero: 1,
  primera: 1,
  segundo: 2,
  segunda: 2,
  tercer: 3,
  tercero: 3,
  tercera: 3,
  cuarto: 4,
  cuarta: 4,
  quinto: 5,
  quinta: 5,
  sexto: 6,
  sexta: 6,
  séptimo: 7,
  séptima: 7,
  septimo: 7,
  septima: 7,
  octavo: 8,
  octava: 8,
  noveno: 9,
  novena: 9,
  décimo: 10,
  décima: 10,
  decimo: 10,
  decima: 10,
};
const CARDINALS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  uno: 1,
  una: 1,
  dos: 2,
  tres: 3,
  cuatro: 4,
  cinco: 5,
  seis: 6,
  siete: 7,
  ocho: 8,
  nueve: 9,
  diez: 10,
};
const ORDINAL_WORDS = new Set(Object.keys(ORDINALS));
const NUMBER_WORDS = new Set([...ORDINAL_WORDS, ...Object.keys(CARDINALS)]);
const NUMBER_NOUNS = new Set(['option', 'number', 'no', 'opción', 'opcion', 'número', 'numero']);
const ORDINAL = `(${Object.keys(ORDINALS).join('|')})`;
const CARDINAL = `(${Object.keys(CARDINALS).join('|')})`;
// A digit count or choice: "2", "option 3". Not part of a decimal, a time, a range, an id or an amount.
const DIGITS = re(`${B0}(?<![$€£.,/:#-])(\\d{1,6})(?![${LETTER}0-9_%]|[.,/:-]\\d)`);
interface NumberPattern {
  /** Whether the message can hold this pattern at all, from its words: cheaper than a scan. */
  gate: (words: ReadonlySet<string>, text: string) => boolean;
  pattern: RegExp;
  value: (m: RegExpMatchArray) => number;
}
const ordinal = (m: RegExpMatchArray) => ORDINALS[m[1]!.toLowerCase()]!;
const NUMBERS: NumberPattern[] = [
  {
    // "the 2nd one", "el 2do"
    gate: (_, text) => /\d(?:st|nd|rd|th|º|°|do|da|ro|ra|er)\s/i.test(text),
    pattern: re(`${B0}(?:(?:the|el|la)\\s+)?(\\d{1,2})(?:st|nd|rd|th|º|°|do|da|ro|ra|er)\\s+${CHOICE_NOUN}${W1}`),
    value: (m) => Number(m[1]),
  },
  // "the second one", "el segundo", "la tercera tarjeta": a determiner or a noun marks the choice, so
  // "wait a second" and "first, I..." stay plain words.
  { gate: (words) => has(words, ORDINAL_WORDS), pattern: re(`${B0}(?:the|el|la)\\s+${ORDINAL}${W1}`), value: ordinal },
  { gate: (words) => has(words, ORDINAL_WORDS), pattern: re(`${B0}${ORDINAL}\\s+${CHOICE_NOUN}${W1}`), value: ordinal },
  {
    // "option two", "número tres"
    gate: (words) => has(words, NUMBER_NOUNS),
    pattern: re(`${B0}(?:option|number|no\\.|opci[oó]n|n[uú]mero)\\s+${CARDINAL}${W1}`),
    value: (m) => CARDINALS[m[1]!.toLowerCase()]!,
  },
  {
    // A message that is nothing but the choice: "second", "two.", "la segunda".
    gate: (words) => words.size <= 3 && has(words, NUMBER_WORDS),
    pattern: re(`^\\s*(?:the\\s+|el\\s+|la\\s+)?(?:${ORDINAL}|${CARDINAL})\\s*(?:one|uno|una)?\\s*[.!?]*\\s*$`),
    value: (m) => ORDINALS[m[1]?.toLowerCase() ?? ''] ?? CARDINALS[m[2]!.toLowerCase()]!,
  },
];

// ------------------------------------------------------------------ putting it together

/** Lower wins an overlap: the more specific reading of the same characters. */
const PRIORITY: Record<EntityType, number> = {
  card_last4: 0,
  date: 1,
  points: 2,
  amount: 3,
  day_of_month: 4,
  language: 5,
  merchant: 6,
  number: 7,
};

// Each group of patterns runs only when a word or character it needs is in the message (see hasAny).
function candidates(text: string, hasDigit: boolean, lang: Lang, today: string | undefined): Entity[] {
  const out: Entity[] = [];
  const words = new Set(text.toLowerCase().match(/\p{L}+/gu));
  if (hasDigit) {
    if (has(words, CARD_WORDS)) for (const m of matches(CARD_CUED, text)) out.push(entity('card_last4', m, m[1]!));
    if (MASK_GATE.test(text)) for (const m of matches(CARD_MASKED, text)) out.push(entity('card_last4', m, m[1]!));
    if (AMOUNT_GATE.test(text)) {
      for (const pattern of AMOUNTS) {
        for (const m of matches(pattern, text)) {
          const value = cents(m[1]!, m[2] ? Number(m[2]) : 0);
          if (value !== null) out.push(entity('amount', m, value));
        }
      }
      for (const m of matches(CENTS_ONLY, text)) out.push(entity('amount', m, Number(m[1])));
    }
    if (has(words, POINT_WORDS)) {
      for (const m of matches(POINTS, text)) out.push(entity('points', m, points(m[1]!, m[2] !== undefined)));
    }
    out.push(...findDaysOfMonth(text));
    for (const m of matches(DIGITS, text)) out.push(entity('number', m, Number(m[1])));
  }
  out.push(...findDates(text, words, lang, todayNumber(today)));
  if (has(words, LANGUAGE_WORDS)) {
    for (const m of matches(LANGUAGE, text))
      out.push(entity('language', m, /^(?:english|ingl)/i.test(m[1]!) ? 'en' : 'es'));
  }
  out.push(...findMerchants(text));
  for (const n of NUMBERS) {
    if (n.gate(words, text)) for (const m of matches(n.pattern, text)) out.push(entity('number', m, n.value(m)));
  }
  return out;
}

/** The entities of a (redacted) message, without overlaps, sorted by start. */
export function extractEntities(text: string, options: EntityOptions = {}): Entity[] {
  const hasDigit = /\d/.test(text);
  const blocked = blockedSpans(text, hasDigit);
  const overlaps = (a: { start: number; end: number }, s: number, e: number) => a.start < e && s < a.end;
  const found = candidates(text, hasDigit, options.lang ?? 'en', options.today)
    .filter((c) => !blocked.some(([s, e]) => overlaps(c, s, e)))
    .sort((a, b) => PRIORITY[a.type] - PRIORITY[b.type] || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: Entity[] = [];
  for (const c of found) if (!kept.some((k) => overlaps(k, c.start, c.end))) kept.push(c);
  return kept.sort((a, b) => a.start - b.start);
}
