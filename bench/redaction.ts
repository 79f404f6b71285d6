/**
 * Redaction cost per message: the PatternRedactor alone, in process, on typical chat messages of about
 * 100 and about 1,000 characters, clean and with sensitive values, and on a realistic mix. Every chat
 * message pays this once, on the send path, before anything else sees it.
 * `npm run bench` includes these rows; `node --import tsx bench/redaction.ts` runs them alone.
 */
import { PatternRedactor } from '../packages/server/src/redaction/redactor.js';
import { percentile } from './stats.js';

export interface RedactionResult {
  case: string;
  chars: number;
  messages: number;
  usMean: number;
  usP50: number;
  usP99: number;
}

const ITERATIONS = Number(process.env.BENCH_REDACTION_ITERATIONS ?? 20_000);

// Made-up but typical messages: questions with amounts, dates, phone numbers and last-4 references
// (which must stay), and the same with card numbers, codes, SSNs and passwords (which must go).
const PLAIN_SHORT = [
  'Hi! I would like to know why my statement shows an annual fee this month, I thought it was waived.',
  'Hola, perdí mi tarjeta en el aeropuerto esta mañana y necesito bloquearla lo antes posible, gracias.',
];
const CLEAN_SHORT = [
  'Hi, I was charged $54.20 twice at the grocery store on 11/24. Can you check the card ending 1005?',
  'Hola, quisiera saber cuándo vence mi pago de noviembre y si puedo cambiar la fecha al día 15.',
  'My order 1234567890123 never arrived; please call me at (212) 555-0142 after 5 pm. ZIP 10001.',
  'I am traveling to Madrid from 2026-12-03 to 2026-12-18, please make sure my card keeps working.',
];
const SENSITIVE_SHORT = [
  'My card 4539 1488 0343 6467 exp 09/28 was declined at the pharmacy, the cvv is 318. Please help me.',
  'Mi tarjeta nueva es 5283-7194-0065-2139 y el código de seguridad 771, ¿por qué la rechazaron hoy?',
  'They asked for my SSN 912-70-4831 and then texted me a one-time code 583920. Is that really you?',
  'I changed it yesterday: my password is Zebra!Kite-42 but the app still says it is not correct now.',
];

const padTo = (parts: string[], chars: number) => {
  let out = '';
  for (let i = 0; out.length < chars; i++) out += (out ? ' ' : '') + parts[i % parts.length];
  return out.slice(0, chars);
};
const longOf = (msgs: string[]) => msgs.map((m, i) => padTo([m, ...CLEAN_SHORT.slice(i), ...CLEAN_SHORT], 1000));

const CASES: Array<{ name: string; messages: string[] }> = [
  { name: 'clean, no digits, ~100 chars', messages: PLAIN_SHORT },
  { name: 'clean with numbers, ~100 chars', messages: CLEAN_SHORT },
  { name: 'sensitive, ~100 chars', messages: SENSITIVE_SHORT },
  { name: 'clean with numbers, ~1000 chars', messages: longOf(CLEAN_SHORT) },
  { name: 'sensitive, ~1000 chars', messages: longOf(SENSITIVE_SHORT) },
  // Most chat messages are short and clean: of 12, 4 without digits, 4 with harmless numbers,
  // 1 short sensitive, 1 long sensitive and 2 long clean.
  {
    name: 'typical mix',
    messages: [
      ...PLAIN_SHORT,
      ...PLAIN_SHORT,
      ...CLEAN_SHORT,
      longOf(CLEAN_SHORT)[2]!,
      SENSITIVE_SHORT[0]!,
      longOf(CLEAN_SHORT)[0]!,
      longOf(SENSITIVE_SHORT)[1]!,
    ],
  },
];

/** Runs every case ITERATIONS times after a warm-up and returns µs per message. */
export function benchRedaction(iterations = ITERATIONS): RedactionResult[] {
  const redactor = new PatternRedactor();
  const results: RedactionResult[] = [];
  for (const c of CASES) {
    for (let i = 0; i < 2000; i++) redactor.redact(c.messages[i % c.messages.length]!); // JIT warm-up
    const times: number[] = [];
    let sink = 0;
    for (let i = 0; i < iterations; i++) {
      const text = c.messages[i % c.messages.length]!;
      const t = process.hrtime.bigint();
      sink += redactor.redact(text).findings.length;
      times.push(Number(process.hrtime.bigint() - t) / 1000);
    }
    if (sink < 0) console.log(sink); // keeps the work observable
    times.sort((a, b) => a - b);
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    results.push({
      case: c.name,
      chars: Math.round(c.messages.reduce((a, m) => a + m.length, 0) / c.messages.length),
      messages: iterations,
      usMean: +mean.toFixed(1),
      usP50: +percentile(times, 50).toFixed(1),
      usP99: +percentile(times, 99).toFixed(1),
    });
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) console.table(benchRedaction());
