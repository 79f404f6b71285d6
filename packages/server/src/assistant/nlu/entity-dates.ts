/**
 * Calendar days and days of the month in English and Spanish chat, resolved against "today".
 *
 * Resolution rules, kept deliberately simple so a flow can explain them:
 * - a month and day without a year ("March 3", "el 15 de mayo") is that day of today's year, past or not;
 * - "last tuesday" / "el martes pasado" is the latest such weekday strictly before today, "next friday" /
 *   "el próximo viernes" the first one strictly after today, "this friday" / "este viernes" the first one
 *   from today on; a bare weekday ("on tuesday") is not resolved: it could be either;
 * - numeric dates are month/day in English and day/month in Spanish, swapped when only the other
 *   reading is a real date ("15/3" in English is March 15);
 * - two-digit years are 20yy.
 */
import type { Entity } from './engine.js';
import { B0, CHOICE_NOUN, entity, hasAny as has, LETTER, matches, re, W1 } from './entity-regex.js';

export type Lang = 'en' | 'es';

// ------------------------------------------------------------------ calendar arithmetic (UTC days)

const DAY_MS = 86_400_000;

/** Days since the epoch for a valid calendar day, or null ("February 30"). */
function dayNumber(year: number, month: number, day: number): number | null {
  const t = Date.UTC(year, month - 1, day);
  const d = new Date(t);
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day ? t / DAY_MS : null;
}

const iso = (days: number): string => new Date(days * DAY_MS).toISOString().slice(0, 10);

/** Today as days since the epoch: from `YYYY-MM-DD`, or the system clock's local date. */
export function todayNumber(today?: string): number {
  if (today) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
    const n = m ? dayNumber(Number(m[1]), Number(m[2]), Number(m[3])) : null;
    if (n === null) throw new Error(`today must be a YYYY-MM-DD calendar day, got "${today}"`);
    return n;
  }
  // Local-time fields cost a time-zone lookup each: the day is kept until the next local midnight.
  const now = Date.now();
  if (now >= clock.until) {
    const d = new Date(now);
    clock = {
      day: dayNumber(d.getFullYear(), d.getMonth() + 1, d.getDate())!,
      until: new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime(),
    };
  }
  return clock.day;
}
let clock = { day: 0, until: 0 };

// ------------------------------------------------------------------ vocabulary

const MONTHS: Record<string, number> = {
  january: 1,
  jan: 1,
  enero: 1,
  ene: 1,
  february: 2,
  feb: 2,
  febrero: 2,
  march: 3,
  mar: 3,
  marzo: 3,
  april: 4,
  apr: 4,
  abril: 4,
  abr: 4,
  may: 5,
  mayo: 5,
  june: 6,
  jun: 6,
  junio: 6,
  july: 7,
  jul: 7,
  julio: 7,
  august: 8,
  aug: 8,
  agosto: 8,
  ago: 8,
  september: 9,
  sept: 9,
  sep: 9,
  septiembre: 9,
  setiembre: 9,
  october: 10,
  oct: 10,
  octubre: 10,
  november: 11,
  nov: 11,
  noviembre: 11,
  december: 12,
  dec: 12,
  diciembre: 12,
  dic: 12,
};
// Longest first, so "march" wins over "mar" and "septiembre" over "sept".
const MONTH = `(${Object.keys(MONTHS)
  .sort((a, b) => b.length - a.length)
  .join('|')})`;

/** 0 = Sunday, as Date.getUTCDay(). Accents optional: people type "miercoles" and "sabado". */
const WEEKDAYS: Array<[RegExp, number]> = [
  [/^(?:sun(?:day)?|domingo)$/, 0],
  [/^(?:mon(?:day)?|lunes)$/, 1],
  [/^(?:tue(?:s|sday)?|martes)$/, 2],
  [/^(?:wed(?:nesday)?|mi[eé]rcoles)$/, 3],
  [/^(?:thu(?:r|rs|rsday)?|jueves)$/, 4],
  [/^(?:fri(?:day)?|viernes)$/, 5],
  [/^(?:sat(?:urday)?|s[aá]bado)$/, 6],
];
const WEEKDAY =
  '(sunday|monday|tuesday|wednesday|thursday|friday|saturday|sun|mon|tues|tue|wed|thurs|thur|thu|fri|sat|domingo|lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado)';
const weekdayOf = (word: string): number => WEEKDAYS.find(([re]) => re.test(word.toLowerCase()))![1];

// Small counts written as words: "in two weeks", "hace una semana".
const COUNT_WORDS: Record<string, number> = {
  a: 1,
  an: 1,
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
  un: 1,
  una: 1,
  uno: 1,
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
const COUNT = `(\\d{1,3}|${Object.keys(COUNT_WORDS).join('|')})`;
const count = (s: string): number => COUNT_WORDS[s.toLowerCase()] ?? Number(s);
const UNIT = '(days?|weeks?|d[ií]as?|semanas?)';
const unitDays = (s: string): number => (/^(?:w|s)/i.test(s) ? 7 : 1);

const ORDINAL_SUFFIX = '(?:st|nd|rd|th|º|°|ro|do|to|vo|mo)?';
// A day-of-month ordinal followed by a choice noun is a choice ("the 2nd one"), not a day.
const NOT_A_DAY_AFTER = `(?!\\s+${CHOICE_NOUN}(?![${LETTER}]))`;

// ------------------------------------------------------------------ patterns

const ISO_DATE = re('(?<![\\d-])(\\d{4})-(\\d{1,2})-(\\d{1,2})(?![\\d-])');
// With a year, dashes too ("03-15-2025"); without one only a slash, since "3-15" is as often a range.
const NUMERIC_DATE = re('(?<![\\d/.-])(\\d{1,2})(?:([/-])(\\d{1,2})\\2(\\d{4}|\\d{2})|/(\\d{1,2}))(?![\\d/-])');
const YEAR = '(?:,?\\s+(?:de(?:l)?\\s+)?(\\d{4}))?';
// "march 3", "March 3rd, 2025", "mayo 15", "march the 3rd". Sticky: tried only where a month name starts,
// since a scan with this alternation at every word costs more than the rest of the date patterns.
const MONTH_DAY = new RegExp(`${MONTH}\\.?\\s+(?:the\\s+)?(\\d{1,2})${ORDINAL_SUFFIX}(?!\\d)${YEAR}${W1}`, 'iy');
const ASCII_WORD = /[A-Za-z]+/g;
// "3 march", "the 3rd of March", "15 de mayo de 2025", "primero de mayo".
const DAY_MONTH = re(
  `${B0}(\\d{1,2}|primero)${ORDINAL_SUFFIX}\\s+(?:of\\s+|de\\s+)?${MONTH}${W1}\\.?${YEAR}(?![${LETTER}0-9])`,
);
// Fixed offsets from today, one pattern so one scan; the longer phrases come first, so "pasado mañana"
// is taken whole before "mañana" alone. "mañana" is also "morning": not after "la", "esta", "por"...
const RELATIVE = re(
  `${B0}(?:(?<plus2>(?:the\\s+)?day\\s+after\\s+tomorrow|pasado\\s+ma[nñ]ana)` +
    `|(?<minus2>(?:the\\s+)?day\\s+before\\s+yesterday|anteayer|antier|antes\\s+de\\s+ayer)` +
    `|(?<zero>today|tonight|hoy)` +
    `|(?<plus1>tomorrow|tmrw|tmr|(?<!${B0}(?:la|las|esta|una|cada|por)\\s+)ma[nñ]ana)` +
    `|(?<minus1>yesterday|ayer))${W1}`,
);
const OFFSETS: Record<string, number> = { plus2: 2, minus2: -2, zero: 0, plus1: 1, minus1: -1 };
const WEEKDAY_BEFORE = re(
  `${B0}(?:(?:the\\s+|el\\s+)?(last|past|previous|this\\s+past|next|this\\s+coming|coming|this|pr[oó]xim[oa]|pasad[oa]|este|esta)\\s+)${WEEKDAY}${W1}`,
);
const WEEKDAY_AFTER = re(`${B0}(?:el\\s+)?${WEEKDAY}\\s+(pasado|que\\s+viene|que\\s+entra|pr[oó]ximo)${W1}`);
const IN_DAYS = re(`${B0}(?:in|en|dentro\\s+de)\\s+${COUNT}\\s+${UNIT}${W1}`);
const DAYS_AGO = re(`${B0}${COUNT}\\s+${UNIT}\\s+ago${W1}`);
const HACE_DAYS = re(`${B0}hace\\s+${COUNT}\\s+${UNIT}${W1}`);

const DAY_OF_MONTH: RegExp[] = [
  // "the 15th", "on the 3rd"
  re(`${B0}(?:on\\s+)?the\\s+(\\d{1,2})(?:st|nd|rd|th)${W1}${NOT_A_DAY_AFTER}`),
  // "15th" alone
  re(`${B0}(\\d{1,2})(?:st|nd|rd|th)${W1}${NOT_A_DAY_AFTER}`),
  // "el día 20", "día 5", "los días 15"
  re(`${B0}(?:(?:el|los)\\s+)?d[ií]as?\\s+(\\d{1,2})(?!\\d)(?![.,/:-]\\d)`),
  // "el 20 de cada mes", "the 20th of every month"
  re(`${B0}(?:el\\s+)?(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:de\\s+cada\\s+mes|of\\s+(?:each|every|the)\\s+month)${W1}`),
];

// ------------------------------------------------------------------ gates

// Most messages name no date at all: each group of patterns runs only when one of its words is there.
const MONTH_WORDS = new Set([...Object.keys(MONTHS), 'primero']);
const RELATIVE_WORDS = new Set(
  'today tonight hoy tomorrow tmrw tmr yesterday ayer anteayer antier mañana manana'.split(' '),
);
const WEEKDAY_WORDS = new Set(
  `sunday monday tuesday wednesday thursday friday saturday sun mon tue tues wed thu thur thurs fri sat
   domingo lunes martes miércoles miercoles jueves viernes sábado sabado`.split(/\s+/),
);
const UNIT_WORDS = new Set('day days week weeks dia día dias días semana semanas'.split(' '));
const DAY_OF_MONTH_GATE = /\d(?:st|nd|rd|th)|d[ií]as?\s|\s(?:mes|month)/i;

// ------------------------------------------------------------------ finders

// Round-the-clock availability, never a date.
const NOT_A_DATE = /^(?:24\/7|7\/24)$/;

/** The day a weekday with a qualifier ("last", "next", "this", "pasado", "próximo", "este") names. */
function weekdayDate(qualifier: string, weekday: string, today: number): number {
  // 1970-01-01, day 0, was a Thursday (4).
  const ahead = (weekdayOf(weekday) - ((today + 4) % 7) + 7) % 7; // 0..6 days to it, today included
  const q = qualifier.toLowerCase();
  if (/^(?:last|past|previous|this\s+past|pasad)/u.test(q)) return today - (ahead === 0 ? 7 : 7 - ahead);
  if (/^(?:this|este|esta)$/u.test(q)) return today + ahead;
  return today + (ahead === 0 ? 7 : ahead);
}

/**
 * Every date mention; overlapping candidates are left to the caller to settle. `words` are the
 * message's lower-case words (runs of letters).
 */
export function findDates(text: string, words: ReadonlySet<string>, lang: Lang, today: number): Entity[] {
  const out: Entity[] = [];
  const year = new Date(today * DAY_MS).getUTCFullYear();
  const push = (m: RegExpMatchArray, days: number | null) => {
    if (days !== null) out.push(entity('date', m, iso(days)));
  };
  const digits = /\d/.test(text);
  if (digits && /\d[-/]\d/.test(text)) {
    for (const m of matches(ISO_DATE, text)) push(m, dayNumber(Number(m[1]), Number(m[2]), Number(m[3])));
    for (const m of matches(NUMERIC_DATE, text)) {
      if (NOT_A_DATE.test(m[0])) continue;
      const a = Number(m[1]);
      const b = Number(m[3] ?? m[5]);
      const y = m[4] ? (m[4].length === 2 ? 2000 + Number(m[4]) : Number(m[4])) : year;
      const [month, day] = lang === 'es' ? [b, a] : [a, b];
      push(m, dayNumber(y, month, day) ?? dayNumber(y, day, month));
    }
  }
  if (has(words, MONTH_WORDS)) {
    for (const w of digits ? matches(ASCII_WORD, text) : []) {
      if (MONTHS[w[0].toLowerCase()] === undefined) continue;
      MONTH_DAY.lastIndex = w.index;
      const m = MONTH_DAY.exec(text);
      if (m) push(m, dayNumber(m[3] ? Number(m[3]) : year, MONTHS[m[1]!.toLowerCase()]!, Number(m[2])));
    }
    for (const m of matches(DAY_MONTH, text)) {
      const day = m[1]!.toLowerCase() === 'primero' ? 1 : Number(m[1]);
      push(m, dayNumber(m[3] ? Number(m[3]) : year, MONTHS[m[2]!.toLowerCase()]!, day));
    }
  }
  if (has(words, RELATIVE_WORDS)) {
    for (const m of matches(RELATIVE, text)) {
      const [group] = Object.entries(m.groups!).find(([, v]) => v !== undefined)!;
      push(m, today + OFFSETS[group]!);
    }
  }
  if (has(words, WEEKDAY_WORDS)) {
    for (const m of matches(WEEKDAY_BEFORE, text)) push(m, weekdayDate(m[1]!, m[2]!, today));
    for (const m of matches(WEEKDAY_AFTER, text)) push(m, weekdayDate(m[2]!, m[1]!, today));
  }
  if (has(words, UNIT_WORDS)) {
    for (const m of matches(IN_DAYS, text)) push(m, today + count(m[1]!) * unitDays(m[2]!));
    for (const m of matches(DAYS_AGO, text)) push(m, today - count(m[1]!) * unitDays(m[2]!));
    for (const m of matches(HACE_DAYS, text)) push(m, today - count(m[1]!) * unitDays(m[2]!));
  }
  return out;
}

/** "the 15th", "el día 20": 1..31. */
export function findDaysOfMonth(text: string): Entity[] {
  if (!DAY_OF_MONTH_GATE.test(text)) return [];
  const out: Entity[] = [];
  for (const pattern of DAY_OF_MONTH) {
    for (const m of matches(pattern, text)) {
      const day = Number(m[1]);
      if (day >= 1 && day <= 31) out.push(entity('day_of_month', m, day));
    }
  }
  return out;
}
