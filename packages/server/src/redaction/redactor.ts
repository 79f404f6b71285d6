/**
 * Redaction at the edge: runs on every inbound text before storage, broadcast, logs or the assistant.
 * Only the returned text exists after this point. Findings record type and position, never the value.
 */
export type FindingType = 'card_number' | 'security_code' | 'ssn' | 'one_time_code' | 'password';
export interface Finding {
  type: FindingType;
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

// Issuer prefixes (IIN ranges) that real cards start with: Amex, Visa, Mastercard (incl. 2-series),
// Discover, Diners, JCB, UnionPay, Maestro. A Luhn-valid string without one is left alone
// (it is more likely an order number than a card).
const PLAUSIBLE_PREFIX =
  /^(3[47]|4|5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720)|6(011|5|4[4-9]|22)|3(0[0-5]|[68])|35(2[89]|[3-8])|62|5[06-9]|6\d)/;

// A run of digits with optional single separators (space, dash, dot) between groups. Not capped at 19
// digits: an expiry or CVV typed next to the card joins the run, and cardsIn() looks inside it.
// Separators: up to three of space/tab/NBSP, dot, ASCII or typographic dashes ("4539  1488 – 0343").
const DIGIT_RUN = /(?<![\d])\d(?:[\s.\u2010-\u2015-]{0,3}\d){11,}(?![\d])/g;

const isCard = (digits: string): boolean =>
  digits.length >= 12 && digits.length <= 19 && PLAUSIBLE_PREFIX.test(digits) && luhnValid(digits);

/**
 * Card numbers inside one digit run, as spans of whole groups: earliest start first, then the longest.
 * Checking only the whole run would let "4539 1488 0343 6467 12/28" through with every digit visible.
 */
function cardsIn(run: string): Array<{ start: number; end: number; digits: string }> {
  const groups = [...run.matchAll(/\d+/g)].map((g) => ({ start: g.index, end: g.index + g[0].length, digits: g[0] }));
  const found: Array<{ start: number; end: number; digits: string }> = [];
  for (let i = 0; i < groups.length;) {
    let best: { start: number; end: number; digits: string; next: number } | null = null;
    let digits = '';
    for (let j = i; j < groups.length && digits.length + groups[j]!.digits.length <= 19; j++) {
      digits += groups[j]!.digits;
      if (isCard(digits)) best = { start: groups[i]!.start, end: groups[j]!.end, digits, next: j + 1 };
    }
    if (best) {
      found.push(best);
      i = best.next;
    } else i++;
  }
  return found;
}

const SECURITY_CONTEXT =
  /\b(cvv2?|cvc2?|cid|csc|security\s+code|card\s+verification(?:\s+(?:value|code))?|c[oó]digo\s+de\s+seguridad|c[oó]digo\s+cvv)\b[^0-9]{0,20}?(\d{3,4})(?!\d)/gi;
const SSN_PATTERN = /(?<!\d)\d{3}([- .])\d{2}\1\d{4}(?!\d)/g;
const SSN_CONTEXT =
  /\b(ssn|social\s+security(?:\s+number)?|seguro\s+social|itin|tax\s+id)\b[^0-9]{0,20}?(\d{9}|\d{3}\s\d{2}\s\d{4})(?!\d)/gi;
// "code" alone counts, but not ZIP/postal/area/case codes, which must stay readable.
const OTP_CONTEXT =
  /\b(one[- ]time\s+(?:pass)?code|passcode|otp|verification\s+code|c[oó]digo(?!\s+postal)(?:\s+de\s+verificaci[oó]n)?|(?<!(?:zip|postal|area|case|reference|promo)\s)code)\b[^0-9]{0,20}?(\d{4,8})(?!\d)/gi;
const PASSWORD_CONTEXT = /\b(password|passwd|contraseña|clave)(\s+(?:is|es)\s*:?\s*|\s*:\s*|\s*=\s*)(\S+)/gi;

interface Span extends Finding {
  replacement: string;
}

/** The default redactor: card numbers (keeps last 4), security codes, SSNs, one-time codes, passwords. */
export class PatternRedactor implements Redactor {
  redact(text: string): Redaction {
    const spans: Span[] = [];
    for (const m of text.matchAll(DIGIT_RUN)) {
      for (const card of cardsIn(m[0])) {
        spans.push({
          type: 'card_number',
          start: m.index + card.start,
          end: m.index + card.end,
          replacement: `•••• ${card.digits.slice(-4)}`,
        });
      }
    }
    const addGroup = (re: RegExp, type: FindingType, group: number, replacement: string) => {
      for (const m of text.matchAll(re)) {
        const value = m[group];
        if (!value) continue;
        const start = m.index + m[0].lastIndexOf(value);
        spans.push({ type, start, end: start + value.length, replacement });
      }
    };
    addGroup(SECURITY_CONTEXT, 'security_code', 2, '[removed]');
    for (const m of text.matchAll(SSN_PATTERN)) {
      spans.push({ type: 'ssn', start: m.index, end: m.index + m[0].length, replacement: '[SSN removed]' });
    }
    addGroup(SSN_CONTEXT, 'ssn', 2, '[SSN removed]');
    addGroup(OTP_CONTEXT, 'one_time_code', 2, '[code removed]');
    addGroup(PASSWORD_CONTEXT, 'password', 3, '[password removed]');

    // Earliest span wins; overlapping later spans are dropped (a card number beats an "OTP" inside it).
    spans.sort((a, b) => a.start - b.start || b.end - a.end);
    const kept: Span[] = [];
    for (const s of spans) {
      const last = kept[kept.length - 1];
      if (last && s.start < last.end) continue;
      kept.push(s);
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
}
