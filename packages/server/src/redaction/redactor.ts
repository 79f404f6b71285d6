/**
 * Redaction at the edge: runs on every inbound text before storage, broadcast, logs or the assistant.
 * Only the returned text exists after this point. Findings record type and position, never the value.
 *
 * What goes (PCI DSS 3.3.1 forbids keeping a security code or PIN; 3.4.1 requires masking the number):
 * - card numbers: 12-19 digits in any grouping, Luhn-valid, with an issuer prefix and a length that
 *   network issues; replaced by `•••• 1234` (the last 4 stay, as on a receipt);
 * - security codes (CVV/CVC/CID, PIN) next to a context word, or typed right after a card number;
 * - SSNs/ITINs: ddd-dd-dddd with dashes, spaces or dots anywhere, or 9 digits next to a context word;
 * - one-time codes next to a context word; passwords after "password is", "pwd:", "contraseña es"...
 * What stays: phone numbers, amounts, dates, ZIP codes, "ending in 1005", case and order numbers.
 * Context words are English and Spanish.
 */
import type { RedactedType } from '@carechat/protocol';

export type FindingType = RedactedType;
export interface Finding {
  type: FindingType;
  /** Offsets into the redacted text: where the replacement (`•••• 1005`, `[removed]`...) sits. */
  start: number;
  end: number;
}
export interface Redaction {
  text: string;
  findings: Finding[];
}
export interface Redactor {
  redact(text: string): Redaction;
}

/** Luhn checksum over a digit string. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

// ------------------------------------------------------------------ card numbers

// Issuer prefixes (IIN ranges) and the lengths each network issues. A Luhn-valid string without a
// matching prefix and length is left alone: it is far more likely an order or tracking number. Lengths
// matter inside longer runs: "4539 1488 0343 6468" (a mistyped Visa) must not yield a 12-digit "Visa".
const NETWORKS: Array<{ prefix: RegExp; min: number; max: number; only?: number[] }> = [
  { prefix: /^3[47]/, min: 15, max: 15 }, // American Express
  { prefix: /^4/, min: 13, max: 19, only: [13, 16, 19] }, // Visa
  { prefix: /^(5[1-5]|222[1-9]|22[3-9]\d|2[3-6]\d\d|27[01]\d|2720)/, min: 16, max: 16 }, // Mastercard, 2-series too
  { prefix: /^220[0-4]/, min: 16, max: 19 }, // Mir
  { prefix: /^(30[0-59]|3[689])/, min: 14, max: 19 }, // Diners Club
  { prefix: /^35(2[89]|[3-8]\d)/, min: 16, max: 19 }, // JCB
  { prefix: /^(5[06-9]|6)/, min: 12, max: 19 }, // Maestro, Discover, UnionPay, RuPay
];

/** True for a digit string that could be a real card number. */
export function isCardNumber(digits: string): boolean {
  if (digits.length < 12 || digits.length > 19) return false;
  const network = NETWORKS.find((n) => n.prefix.test(digits));
  if (!network || digits.length < network.min || digits.length > network.max) return false;
  if (network.only && !network.only.includes(digits.length)) return false;
  return luhnValid(digits);
}

// What people put between digit groups: spaces (one or more, NBSP too), dots, ASCII and typographic
// dashes, and the invisible characters a copy from a PDF or a web page leaves behind.
const SEP = '[\\s.\\u00ad\\u200b-\\u200d\\u2060\\u2010-\\u2015\\u2212-]';
// A run of 12+ digits with up to three separator characters between digits. Not capped at 19 digits:
// an expiry or CVV typed next to the card joins the run, and cardsIn() looks inside it.
const DIGIT_RUN = new RegExp(`(?<!\\d)\\d(?:${SEP}{0,3}\\d){11,}(?!\\d)`, 'g');

interface Span {
  type: FindingType;
  start: number;
  end: number;
  replacement: string;
}

// How card numbers are printed and typed: one block, 4-4-4-4 (plus up to 3 on 17-19 digit cards),
// Amex 4-6-5 (or 4-4-4-3 at the start of the run), Diners 4-6-4. Only a part of a longer run shaped
// like this is taken for a card, so a mistyped number ("6236-6202-3054-8250-3") never yields a "card"
// from some of its groups.
const CARD_SHAPE = /^(?:1[3-9]|4-4-4-4(?:-[1-3])?|4-6-[45])$/;
const cardShaped = (groups: Array<{ digits: string }>, digits: string, first: boolean): boolean => {
  const shape = groups.map((g) => g.digits.length).join('-');
  return CARD_SHAPE.test(shape) || (first && shape === '4-4-4-3' && /^3[47]/.test(digits));
};

/**
 * Card numbers inside one digit run, as spans of whole groups: earliest start first, then the longest.
 * Checking only the whole run would let "4539 1488 0343 6467 12/28" through with every digit visible.
 * A run right after "+" is a phone number in international form, never a card, at its start.
 */
function cardsIn(run: string, afterPlus: boolean): Array<{ start: number; end: number; digits: string }> {
  const groups = [...run.matchAll(/\d+/g)].map((g) => ({ start: g.index, end: g.index + g[0].length, digits: g[0] }));
  const found: Array<{ start: number; end: number; digits: string }> = [];
  for (let i = afterPlus ? 1 : 0; i < groups.length;) {
    let best: { start: number; end: number; digits: string; next: number } | null = null;
    let digits = '';
    for (let j = i; j < groups.length && digits.length + groups[j]!.digits.length <= 19; j++) {
      digits += groups[j]!.digits;
      const whole = i === 0 && j === groups.length - 1;
      if (isCardNumber(digits) && (whole || cardShaped(groups.slice(i, j + 1), digits, i === 0)))
        best = { start: groups[i]!.start, end: groups[j]!.end, digits, next: j + 1 };
    }
    if (best) {
      found.push(best);
      i = best.next;
    } else i++;
  }
  return found;
}

// The security code people type straight after the number, with or without the expiry between:
// "4539 1488 0343 6467 12/28 456", "... 6467, cvv 456". A card number is context enough (PCI 3.3.1.2).
const CODE_AFTER_CARD =
  /(?:[\s,;:.\u2010-\u2015-]{1,3}(?:(?:exp(?:iry|ires|iration)?|vence|venc|vto)\.?:?\s*)?\d{1,2}\s?\/\s?\d{2,4})?[\s,;:.\u2010-\u2015-]{1,3}(?:(?:cvv2?|cvc2?|cvn|cid|csc|code|c[oó]digo)\.?:?\s*)?(\d{3,4})(?![\d/])(?![-.,:]\d)/iy;

// ------------------------------------------------------------------ values next to context words

// Unicode-aware word edges (\b only knows ASCII, and Spanish words start and end with accents).
const W0 = '(?<![\\p{L}\\p{N}_])';
const W1 = '(?![\\p{L}\\p{N}_])';
// A value that is part of a date, a dashed id, a decimal or a time is not a code ("2026-11-25").
const NOT_PART_OF_NUMBER = '(?!\\d)(?![-/.,:]\\d)';

const SECURITY_WORDS = [
  'cvv2?',
  'cvc2?',
  'cvn',
  'cav2',
  'cid',
  'csc',
  'security\\s+(?:code|number|digits)',
  'card\\s+verification(?:\\s+(?:value|code|number))?',
  '(?:3|4|three|four)[-\\s]digit\\s+(?:security\\s+)?code',
  '(?:digits|numbers?)\\s+(?:on|at|from)\\s+the\\s+back(?:\\s+of\\s+(?:the|my)\\s+card)?',
  'c[oó]digo\\s+(?:de\\s+seguridad|cvv|cvc)',
  'n[uú]mero\\s+de\\s+seguridad',
  '(?:d[ií]gitos|n[uú]meros)\\s+(?:de\\s+seguridad|de\\s+atr[aá]s|del\\s+reverso|de\\s+la\\s+parte\\s+(?:de\\s+)?atr[aá]s)',
].join('|');
// "Verification code" is a CVV when it has 3 digits and a one-time code when it has more.
const VERIFICATION_WORDS = 'verification\\s+(?:code|number|value)|c[oó]digo\\s+de\\s+verificaci[oó]n';
const PIN_WORDS = 'pin(?:\\s+(?:number|code))?|nip|n[uú]mero\\s+(?:de\\s+)?pin|clave\\s+(?:del\\s+)?cajero';
// Plain "code" counts, but not the codes that must stay readable (ZIP, area, case, promo...).
const NOT_A_SECRET_CODE =
  'zip|postal|post|area|country|dial(?:ing)?|case|reference|ref|promo|promotional|discount|coupon|error|status|reason|tracking|merchant|category|mcc|swift|sort|routing|product|offer|gift|qr|bar|source';
const OTP_WORDS = [
  'one[-\\s]time\\s+(?:pass)?(?:code|password|pin)',
  'passcode',
  'otp',
  'totp',
  '2fa',
  'mfa',
  'verification\\s+(?:code|number)',
  `(?<!(?:${NOT_A_SECRET_CODE})[\\s-])code`,
  `c[oó]digo(?!\\s+(?:postal|promocional|de\\s+(?:[aá]rea|pa[ií]s|error|descuento|referencia|seguimiento|barras|promoci[oó]n|caso)))`,
  'clave\\s+(?:din[aá]mica|temporal|de\\s+un\\s+solo\\s+uso|de\\s+verificaci[oó]n)',
  'contraseña\\s+de\\s+un\\s+solo\\s+uso',
].join('|');
const SSN_WORDS = [
  'ssn',
  'ss#',
  'social(?:\\s+security)?(?:\\s+(?:number|no\\.?|num|#))?',
  'soc\\.?\\s+sec\\.?(?:\\s+(?:number|no\\.?|#))?',
  'itin',
  'tin',
  'tax\\s+id(?:entification)?(?:\\s+(?:number|no\\.?|#))?',
  'taxpayer\\s+id(?:entification)?(?:\\s+(?:number|no\\.?|#))?',
  '(?:n[uú]mero\\s+de(?:l)?\\s+)?seguro\\s+social',
  'n[uú]mero\\s+de\\s+identificaci[oó]n\\s+(?:fiscal|personal\\s+del\\s+contribuyente)',
].join('|');

// Between the context word and the value: at most 20 characters without a digit ("cvv is: 123").
const GAP = '([^\\d]{0,20}?)';
// Words right before a number that say it is something else ("code for case 20261125", "ending in 1005").
const OTHER_NUMBER_BEFORE =
  /(?:case|order|ref|reference|ticket|claim|invoice|tracking|caso|pedido|orden|referencia|factura|reclamo|zip|postal|ending(?:\s+in)?|ends\s+(?:in|with)|last\s+(?:four|4)(?:\s+digits)?|terminada\s+en|termina\s+en|últimos\s+(?:cuatro|4)(?:\s+d[ií]gitos)?)\s*(?:no\.?|number|n[uú]mero|#|:)?\s*$|[$€£+]\s*$/iu;

interface ContextRule {
  type: FindingType;
  replacement: string;
  /** context word, gap, value */
  after: RegExp;
  /** value, "is my", context word: "123 is my cvv" */
  before?: RegExp;
}

const rule = (type: FindingType, replacement: string, words: string, value: string, before = true): ContextRule => ({
  type,
  replacement,
  after: new RegExp(`${W0}(?:${words})${W1}${GAP}(${value})${NOT_PART_OF_NUMBER}`, 'giu'),
  before: before
    ? new RegExp(
        `(?<!\\d[-/.,:]?)(?<![$€£+])(${value})${NOT_PART_OF_NUMBER}\\s+(?:is|was|=|es|era)\\s+(?:(?:my|the|mi|el|la|su)\\s+)?(?:${words})${W1}`,
        'giu',
      )
    : undefined,
});

// 3-2-4 with any separators or none, and the 3-3-3 some people type.
const SSN_VALUE = '\\d{3}(?:[-.]|\\s{1,2})?\\d{2}(?:[-.]|\\s{1,2})?\\d{4}|\\d{3}(?<sep>[-.\\s])\\d{3}\\k<sep>\\d{3}';
// Order matters on ties (same span): the first rule's type wins.
const CONTEXT_RULES: ContextRule[] = [
  rule('security_code', '[removed]', SECURITY_WORDS, '\\d{3,4}'),
  rule('security_code', '[removed]', VERIFICATION_WORDS, '\\d{3}'),
  rule('security_code', '[removed]', PIN_WORDS, '\\d{4,6}'),
  rule('ssn', '[SSN removed]', SSN_WORDS, SSN_VALUE),
  rule('one_time_code', '[code removed]', OTP_WORDS, '\\d{3}[-\\s]\\d{3}|\\d{4,8}'),
];

// An SSN or ITIN needs no context when written ddd-dd-dddd with one kind of separator (ITINs start with 9).
const SSN_SHAPE = /(?<!\d[-/.,:]?)\d{3}([-.]|\s{1,2})\d{2}\1\d{4}(?!\d)(?![-/.,:]\d)/g;

// Passwords: the word, "is"/"es"/":"/"=", then one token (or a quoted phrase). Common words after
// "my password is" ("not working", "incorrecta") are not passwords and stay.
const PASSWORD_WORDS =
  'password|passwd|pass\\s*word|passphrase|pwd|pw|contraseña|contrasena|clave(?:\\s+de\\s+acceso)?|clave\\s+secreta';
const NOT_A_PASSWORD = [
  'not',
  "isn't",
  'wrong',
  'incorrect',
  'invalid',
  'expired',
  'locked',
  'blocked',
  'correct',
  'right',
  'the',
  'my',
  'a',
  'an',
  'too',
  'still',
  'being',
  'no',
  'now',
  'also',
  'same',
  'different',
  'fine',
  'ok',
  'okay',
  'working',
  'changed',
  'reset',
  'required',
  'missing',
  'forgotten',
  'lost',
  'what',
  'how',
  'why',
  'when',
  'where',
  'that',
  'this',
  'it',
  'and',
  'or',
  'for',
  'to',
  'in',
  'on',
  'at',
  'of',
  'never',
  'always',
  'just',
  'only',
  'set',
  'saved',
  'secure',
  'strong',
  'weak',
  'long',
  'short',
  'case-sensitive',
  'incorrecta',
  'incorrecto',
  'inválida',
  'invalida',
  'válida',
  'valida',
  'correcta',
  'correcto',
  'bloqueada',
  'bloqueado',
  'vencida',
  'caducada',
  'expirada',
  'la',
  'el',
  'lo',
  'mi',
  'su',
  'tu',
  'muy',
  'demasiado',
  'todavía',
  'todavia',
  'aún',
  'aun',
  'de',
  'que',
  'y',
  'o',
  'para',
  'en',
  'con',
  'igual',
  'misma',
  'mismo',
  'diferente',
  'nueva',
  'nuevo',
  'segura',
  'seguro',
  'olvidada',
  'perdida',
  'esta',
  'este',
  'esa',
  'ese',
  'cual',
  'cuál',
  'qué',
  'sí',
  'si',
].join('|');
const PASSWORD_GATE = /p(?:ass|wd|w)|contrase|clave/i;
const PASSWORD = new RegExp(
  `${W0}(?:${PASSWORD_WORDS})(?:\\s+(?:is|was|es|era)(?:\\s+(?:now|ahora))?\\s*:?\\s*|\\s*[:=]\\s*)` +
    `(?!(?:${NOT_A_PASSWORD})(?![\\p{L}\\p{N}'-]))(?!\\[[a-zA-Z ]*removed\\])("[^"\\n]{1,100}"|'[^'\\n]{1,100}'|“[^”\\n]{1,100}”|[^\\s"']\\S*)`,
  'giu',
);

// ------------------------------------------------------------------ the redactor

/** The default redactor: card numbers (keeps last 4), security codes, SSNs, one-time codes, passwords. */
export class PatternRedactor implements Redactor {
  redact(text: string): Redaction {
    const spans: Span[] = [];
    // Cheap gates first: most chat messages have no digits at all, and every value below but a
    // password has some (a card number typed digit by digit included).
    if (/\d/.test(text)) this.numbers(text, spans);
    if (PASSWORD_GATE.test(text)) {
      for (const m of text.matchAll(PASSWORD)) {
        const value = m[1]!;
        const end = m.index + m[0].length;
        spans.push({ type: 'password', start: end - value.length, end, replacement: '[password removed]' });
      }
    }
    return apply(text, spans);
  }

  private numbers(text: string, spans: Span[]): void {
    for (const m of text.matchAll(DIGIT_RUN)) {
      const afterPlus = /\+\s?$/.test(text.slice(Math.max(0, m.index - 2), m.index));
      for (const card of cardsIn(m[0], afterPlus)) {
        const start = m.index + card.start;
        const end = m.index + card.end;
        spans.push({ type: 'card_number', start, end, replacement: `•••• ${card.digits.slice(-4)}` });
        CODE_AFTER_CARD.lastIndex = end;
        const code = CODE_AFTER_CARD.exec(text);
        if (code) {
          const codeEnd = CODE_AFTER_CARD.lastIndex;
          spans.push({
            type: 'security_code',
            start: codeEnd - code[1]!.length,
            end: codeEnd,
            replacement: '[removed]',
          });
        }
      }
    }
    // Every value found by context or shape starts with three digits in a row.
    if (!/\d{3}/.test(text)) return;
    for (const r of CONTEXT_RULES) {
      for (const m of text.matchAll(r.after)) {
        const [whole, gap, value] = m as unknown as [string, string, string];
        if (OTHER_NUMBER_BEFORE.test(gap)) continue;
        const end = m.index + whole.length;
        spans.push({ type: r.type, start: end - value.length, end, replacement: r.replacement });
      }
      for (const m of r.before ? text.matchAll(r.before) : []) {
        if (OTHER_NUMBER_BEFORE.test(text.slice(Math.max(0, m.index - 30), m.index))) continue;
        spans.push({ type: r.type, start: m.index, end: m.index + m[1]!.length, replacement: r.replacement });
      }
    }
    for (const m of text.matchAll(SSN_SHAPE)) {
      spans.push({ type: 'ssn', start: m.index, end: m.index + m[0].length, replacement: '[SSN removed]' });
    }
  }
}

/** Replaces spans (earliest first, the longest on a tie; overlapping later ones are dropped). */
function apply(text: string, spans: Span[]): Redaction {
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Span[] = [];
  for (const s of spans) {
    const last = kept[kept.length - 1];
    if (last && s.start < last.end) {
      // A later span reaching past the kept one (an SSN context spanning a short code) widens it, so
      // no digit of either survives.
      if (s.end > last.end) last.end = s.end;
      continue;
    }
    kept.push({ ...s });
  }
  let out = '';
  let pos = 0;
  const findings: Finding[] = [];
  for (const s of kept) {
    out += text.slice(pos, s.start);
    const start = out.length;
    out += s.replacement;
    findings.push({ type: s.type, start, end: out.length });
    pos = s.end;
  }
  out += text.slice(pos);
  return { text: out, findings };
}

const TYPES = new Set<string>(['card_number', 'security_code', 'ssn', 'one_time_code', 'password']);

/** Each kind found, once, in the order first found: what the sender's notice names. */
export function redactedTypes(findings: ReadonlyArray<{ type: string }>): FindingType[] {
  return [...new Set(findings.map((f) => f.type).filter((t): t is FindingType => TYPES.has(t)))];
}

/** The redaction receipt stored in a message's meta JSON (`{redactions: [{type, start, end}]}`), or []. */
export function storedRedactions(meta: string | null | undefined): Array<{ type: string }> {
  try {
    const r = (JSON.parse(meta ?? '{}') as { redactions?: unknown }).redactions;
    return Array.isArray(r) ? r.filter((f): f is { type: string } => typeof f?.type === 'string') : [];
  } catch {
    return [];
  }
}
