/**
 * Client-side nudge before a cardmember shares a full card number or a security code.
 * The server redacts regardless; this only asks the user to think twice, so it favours
 * catching real card numbers (Luhn-valid 13-19 digits) over catching every possible format.
 */

export interface SensitiveFinding {
  cardNumber: boolean;
  securityCode: boolean;
}

/** True when the digit string passes the Luhn checksum. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
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

// Runs of digits where single spaces or dashes may separate groups ("4111 1111-1111 1111").
const DIGIT_RUN = /\d(?:[ -]?\d)*/g;

/** True when the text holds a Luhn-valid 13-19 digit number, optionally grouped by spaces or dashes. */
export function containsCardNumber(text: string): boolean {
  for (const match of text.matchAll(DIGIT_RUN)) {
    const run = match[0];
    const digits = run.replace(/[ -]/g, '');
    if (digits.length < 13) continue;
    if (digits.length <= 19 && luhnValid(digits)) return true;
    // A card number followed by more digits ("4111 1111 1111 1111 123"): try every prefix that ends
    // at a group separator, which is how people type a number and then something else.
    let count = 0;
    for (let i = 0; i < run.length; i++) {
      const ch = run[i]!;
      if (ch === ' ' || ch === '-') {
        if (count >= 13 && count <= 19 && luhnValid(run.slice(0, i).replace(/[ -]/g, ''))) return true;
      } else {
        count++;
      }
    }
  }
  return false;
}

// "cvv 123", "my CVC is 1234", "security code: 123", "código de seguridad es 123".
const SECURITY_CODE =
  /\b(?:cvv2?|cvc2?|cvn|cid|csc|security\s+code|c[oó]digo\s+de\s+seguridad)\b[^\d\n]{0,20}\d{3,4}(?!\d)/i;

/** True when the text names a card security code next to a 3-4 digit number. */
export function containsSecurityCode(text: string): boolean {
  return SECURITY_CODE.test(text);
}

/** Looks for what cardmembers should not type into chat; null when the text looks fine. */
export function findSensitive(text: string): SensitiveFinding | null {
  const finding = { cardNumber: containsCardNumber(text), securityCode: containsSecurityCode(text) };
  return finding.cardNumber || finding.securityCode ? finding : null;
}
