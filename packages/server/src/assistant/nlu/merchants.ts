/**
 * Merchant names in a message: well-known merchants by name in any case ("amazon", "DoorDash"), and
 * any Capitalised name right after "at", "from", "to", "en", "de" ("a charge from Blue Fern Bakery").
 * Known merchants come back under their usual spelling so flows can match them against transactions;
 * others as written.
 */
import type { Entity } from './engine.js';
import { matches, W1 } from './entity-regex.js';

interface Known {
  name: string;
  /** A common word too ("target", "shell", "apple"): needs a capital or a cue word before it. */
  common?: boolean;
  /** Written forms besides the name, as regex sources; spaces and apostrophes are optional anyway. */
  also?: string[];
}

const KNOWN: Known[] = [
  { name: 'Amazon', also: ['amazon\\.com', 'amzn'] },
  { name: 'Uber Eats' },
  { name: 'Uber' },
  { name: 'Lyft' },
  { name: 'DoorDash' },
  { name: 'Grubhub' },
  { name: 'Instacart' },
  { name: 'Delta', common: true, also: ['delta air\\s*lines'] },
  { name: 'United', common: true, also: ['united air\\s*lines'] },
  { name: 'American Airlines' },
  { name: 'Southwest', common: true, also: ['southwest airlines'] },
  { name: 'JetBlue' },
  { name: 'Alaska Airlines' },
  { name: 'Spirit', common: true, also: ['spirit airlines'] },
  { name: 'Marriott' },
  { name: 'Hilton' },
  { name: 'Hyatt' },
  { name: 'Airbnb' },
  { name: 'Expedia' },
  { name: 'Booking.com' },
  { name: 'Hertz' },
  { name: 'Avis' },
  { name: 'Netflix' },
  { name: 'Spotify' },
  { name: 'Hulu' },
  { name: 'Disney+', also: ['disney plus'] },
  { name: 'Apple', common: true, also: ['itunes', 'apple\\.com'] },
  { name: 'Google', common: true },
  { name: 'Microsoft' },
  { name: 'PayPal' },
  { name: 'Venmo' },
  { name: 'eBay' },
  { name: 'Etsy' },
  { name: 'Walmart', also: ['wal-mart'] },
  { name: 'Target', common: true },
  { name: 'Costco' },
  { name: 'Best Buy' },
  { name: 'Home Depot' },
  { name: "Lowe's" },
  { name: 'IKEA' },
  { name: "Macy's" },
  { name: 'Nordstrom' },
  { name: 'Sephora' },
  { name: 'Whole Foods' },
  { name: "Trader Joe's" },
  { name: 'Kroger' },
  { name: 'Safeway' },
  { name: 'Walgreens' },
  { name: 'CVS' },
  { name: 'Starbucks' },
  { name: "McDonald's" },
  { name: 'Chipotle' },
  { name: 'Shell', common: true },
  { name: 'Chevron' },
  { name: 'Exxon' },
];

// "best buy" / "bestbuy", "mcdonalds" / "McDonald’s": spaces and apostrophes are optional.
const writtenForm = (name: string): string =>
  name
    .replace(/[.+]/g, (c) => `\\${c}`)
    .replace(/'/g, "['’]?")
    .replace(/ /g, '\\s*');

const forms = KNOWN.flatMap((k) =>
  [k.name, ...(k.also ?? [])].map((f, i) => ({ k, src: i === 0 ? writtenForm(f) : f })),
);
// Longest first, so "Uber Eats" wins over "Uber" and "Delta Airlines" over "Delta".
forms.sort((a, b) => b.src.length - a.src.length);
// The words a known merchant can start with ("best", "bestbuy", "amzn"). The alternation below is only
// tried where one of them starts: scanning a message with it costs several times more.
const FIRST_WORDS = new Set(
  KNOWN.flatMap((k) => [k.name, ...(k.also ?? [])]).flatMap((f) => {
    const lower = f.toLowerCase();
    return [/^[\p{L}]+/u.exec(lower)![0], lower.replace(/[^\p{L}]/gu, '')];
  }),
);
// Sticky: tried at one position at a time. W1 knows that "Amazonía" is not Amazon.
const KNOWN_AT = new RegExp(`(?:${forms.map((f) => `(${f.src})`).join('|')})${W1}`, 'iy');
const ASCII_WORD = /[A-Za-z]+/g;

// What must not be taken for the merchant that comes before it: "Apple Pay", "United States".
const NOT_AFTER = /^\s*(?:pay|wallet|cash|card|states|kingdom|nations|arab|air\s*miles)(?![\p{L}])/iu;
const CUE_BEFORE = /(?:^|[^\p{L}])(?:at|from|to|en|de|del|con|with|on|in)\s+$/iu;

// A Capitalised name of up to four words ("Blue Fern Bakery", "AT&T", "7-Eleven", "Joe's Pizza").
const CAP_WORD = "(?:\\p{Lu}[\\p{L}\\p{N}&'’.-]*|\\d+-\\p{Lu}\\p{L}*)";
// Tried right after a cue word ("at", "from", "to", "en", "de", "del", in any case). The name itself
// must be Capitalised, so no `i` flag.
const CUES = new Set(['at', 'from', 'to', 'en', 'de', 'del']);
const NAME_AT = new RegExp(`\\s+(${CAP_WORD}(?:\\s+(?:&\\s+)?${CAP_WORD}){0,3})`, 'uy');

// Capitalised words that follow those cues without being a merchant: the issuer, people and teams,
// languages, months and days, pronouns and articles that start a sentence-cased name.
const NOT_MERCHANT = new Set(
  [
    'meridian',
    'bank',
    'i',
    'me',
    'my',
    'you',
    'your',
    'mi',
    'su',
    'usted',
    'ustedes',
    'it',
    'this',
    'that',
    'agent',
    'agente',
    'person',
    'persona',
    'human',
    'humano',
    'representative',
    'representante',
    'supervisor',
    'manager',
    'someone',
    'customer',
    'service',
    'support',
    'servicio',
    'cliente',
    'clientes',
    'soporte',
    'settings',
    'spanish',
    'english',
    'español',
    'espanol',
    'inglés',
    'ingles',
    'credit',
    'debit',
    'crédito',
    'credito',
    'débito',
    'debito',
    'card',
    'tarjeta',
    'account',
    'cuenta',
    'chat',
    'pay',
    'wallet',
    'mr',
    'mrs',
    'ms',
    'dr',
    'sr',
    'sra',
    'ok',
    'okay',
    'yes',
    'no',
    'sí',
    'si',
    ...'january february march april may june july august september october november december'.split(' '),
    ...'enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre'.split(' '),
    ...'monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday'.split(' '),
    ...'lunes martes miércoles miercoles jueves viernes sábado sabado domingo hoy mañana ayer'.split(' '),
  ].map((w) => w.toLowerCase()),
);
const LEADING_ARTICLE = /^(?:the|el|la|los|las|a|an|un|una)\s+/iu;

/** Mostly upper case: every word looks Capitalised, so only known names are taken. */
function shouting(text: string): boolean {
  let upper = 0;
  let lower = 0;
  for (const ch of text) {
    if (ch !== ch.toLowerCase()) upper++;
    else if (ch !== ch.toUpperCase()) lower++;
  }
  return upper + lower >= 6 && upper / (upper + lower) > 0.6;
}

const span = (text: string, start: number, value: string): Entity => ({
  type: 'merchant',
  text,
  start,
  end: start + text.length,
  value,
});

/** Merchants in a message: known names, and Capitalised names after a cue word. */
export function findMerchants(text: string): Entity[] {
  const out: Entity[] = [];
  // One pass over the words finds both where a known name may start and where the cue words end.
  const cued: number[] = [];
  for (const w of matches(ASCII_WORD, text)) {
    const word = w[0].toLowerCase();
    if (CUES.has(word)) cued.push(w.index + word.length);
    if (!FIRST_WORDS.has(word)) continue;
    KNOWN_AT.lastIndex = w.index;
    const m = KNOWN_AT.exec(text);
    if (!m) continue;
    const at = m.index;
    const end = at + m[0].length;
    const f = forms[m.slice(1).findIndex((g) => g !== undefined)]!;
    if (NOT_AFTER.test(text.slice(end, end + 12))) continue;
    if (f.k.common && !/^\p{Lu}/u.test(m[0]) && !CUE_BEFORE.test(text.slice(Math.max(0, at - 6), at))) continue;
    out.push(span(m[0], at, f.k.name));
  }
  let loud: boolean | undefined;
  for (const cueEnd of cued) {
    NAME_AT.lastIndex = cueEnd;
    const m = NAME_AT.exec(text);
    if (!m || (loud ??= shouting(text))) continue;
    const nameStart = m.index + m[0].length - m[1]!.length;
    const article = LEADING_ARTICLE.exec(m[1]!);
    const body = article && m[1]!.length > article[0].length ? m[1]!.slice(article[0].length) : m[1]!;
    const offset = nameStart + m[1]!.length - body.length;
    // Words of the name with their ends; sentence punctuation that CAP_WORD let in goes ("at Walmart.").
    const words: Array<{ word: string; end: number }> = [];
    for (const w of body.matchAll(/\S+/g)) {
      const word = w[0].replace(/[.'’-]+$/u, '');
      words.push({ word, end: w.index + word.length });
      if (/\.$/.test(w[0])) break; // "at Walmart. Then I..." ends the name at the full stop
    }
    // Trailing words that are not part of a name go too ("from Delta Today").
    while (words.length && NOT_MERCHANT.has(words[words.length - 1]!.word.toLowerCase())) words.pop();
    if (!words.length || NOT_MERCHANT.has(words[0]!.word.toLowerCase())) continue;
    const end = offset + words[words.length - 1]!.end;
    if (NOT_AFTER.test(text.slice(end, end + 12))) continue;
    const name = text.slice(offset, end);
    out.push(span(name, offset, name));
  }
  return out;
}
