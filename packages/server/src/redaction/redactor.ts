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
const PLAUSIBLE_PREFIX = /^(3[47]|4|5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720)|6(011|5|4[4-9]|22)|3(0[0-5]|[68])|35(2[89]|[3-8])|62|5[06-9]|6\d)/;

// A run of digits with optional single separators (space, dash, dot) between groups.
const DIGIT_RUN = /(?<![\d])\d(?:[ .-]?\d){11,18}(?![\d])/g;

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
      const digits = m[0].replace(/\D/g, '');
      if (digits.length < 12 || digits.length > 19) continue;
      if (!PLAUSIBLE_PREFIX.test(digits) || !luhnValid(digits)) continue;
      spans.push({
        type: 'card_number',
        start: m.index,
        end: m.index + m[0].length,
        replacement: `•••• ${digits.slice(-4)}`,
      });
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
