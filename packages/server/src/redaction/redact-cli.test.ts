/**
 * `carechat redact` is a public contract: JSON lines `{"text": "..."}` in, one
 * `{"text": "<redacted>", "findings": [{"type", "start", "end"}]}` line out per line in; or one text as
 * an argument. These tests run the real command (the same bin `npx carechat` runs) in a child process.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = path.resolve(import.meta.dirname, '../../bin/carechat.js');
const TYPES = ['card_number', 'security_code', 'ssn', 'one_time_code', 'password'];

function carechat(args: string[], input = '') {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, lines: r.stdout.split('\n').filter(Boolean) };
}

/** The output shape, exactly: only text and findings, each finding only type, start and end. */
function expectContract(out: unknown) {
  expect(Object.keys(out as object)).toEqual(['text', 'findings']);
  const { text, findings } = out as { text: unknown; findings: unknown[] };
  expect(typeof text).toBe('string');
  for (const f of findings as Array<Record<string, unknown>>) {
    expect(Object.keys(f)).toEqual(['type', 'start', 'end']);
    expect(TYPES).toContain(f.type);
    expect(Number.isInteger(f.start) && Number.isInteger(f.end)).toBe(true);
    expect(0 <= (f.start as number) && (f.start as number) < (f.end as number)).toBe(true);
    expect(f.end as number).toBeLessThanOrEqual((text as string).length);
  }
}

describe('carechat redact (the real command)', () => {
  it('reads JSON lines and writes one result per line, positions indexing the redacted text', () => {
    const input = [
      { text: 'Card 4539 1488 0343 6467, cvv 321 please' },
      { text: 'mi seguro social es 912-45-6789 y la clave dinámica 774120' },
      { text: 'my password is Lantern#8 - call me at (212) 555-0142' },
      { text: 'nothing sensitive, ZIP 10001, case 20261125-0042' },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const r = carechat(['redact'], input + '\n');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.lines).toHaveLength(4);
    const out = r.lines.map(
      (l) => JSON.parse(l) as { text: string; findings: Array<{ type: string; start: number; end: number }> },
    );
    for (const o of out) expectContract(o);

    expect(out[0]).toEqual({
      text: 'Card •••• 6467, cvv [removed] please',
      findings: [
        { type: 'card_number', start: 5, end: 14 },
        { type: 'security_code', start: 20, end: 29 },
      ],
    });
    expect(out[1]!.text).toBe('mi seguro social es [SSN removed] y la clave dinámica [code removed]');
    expect(out[1]!.findings.map((f) => f.type)).toEqual(['ssn', 'one_time_code']);
    expect(out[2]!.text).toBe('my password is [password removed] - call me at (212) 555-0142');
    expect(out[3]).toEqual({ text: 'nothing sensitive, ZIP 10001, case 20261125-0042', findings: [] });
    // start/end point at the replacement in the output, never at (or to) the removed value.
    for (const o of out) {
      for (const f of o.findings) expect(o.text.slice(f.start, f.end)).toMatch(/^(•••• \d{4}|\[[A-Za-z ]*removed\])$/);
    }
    for (const secret of ['4539', '1488', '0343', '321', '912-45', '774120', 'Lantern'])
      expect(r.stdout).not.toContain(secret);
  });

  it('redacts one text given as arguments', () => {
    const r = carechat(['redact', 'my ssn is 123-45-6789']);
    expect(r.status).toBe(0);
    expect(r.lines).toHaveLength(1);
    const out = JSON.parse(r.lines[0]!);
    expectContract(out);
    expect(out).toEqual({ text: 'my ssn is [SSN removed]', findings: [{ type: 'ssn', start: 10, end: 23 }] });
  });

  it('answers a bad line with an error line for that line only, keeps going, and exits 1', () => {
    const input = [
      JSON.stringify({ text: 'OTP 4821' }),
      'this is not json',
      JSON.stringify({ body: 'wrong field' }),
      JSON.stringify({ text: 42 }),
      '',
      JSON.stringify({ text: 'card 5283-7194-0065-2139' }),
    ].join('\n');
    const r = carechat(['redact'], input + '\n');
    expect(r.status).toBe(1);
    expect(r.lines).toHaveLength(6);
    const out = r.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out[0]).toEqual({ text: 'OTP [code removed]', findings: [{ type: 'one_time_code', start: 4, end: 18 }] });
    for (const [i, lineNo] of [
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 5],
    ] as const) {
      expect(Object.keys(out[i]!)).toEqual(['error']);
      expect(out[i]!.error).toMatch(new RegExp(`^line ${lineNo}: `));
    }
    expect(out[5]).toEqual({ text: 'card •••• 2139', findings: [{ type: 'card_number', start: 5, end: 14 }] });
    // A bad line is never echoed back (it might hold the very value we are removing).
    expect(r.stdout).not.toContain('this is not json');
  });

  it('keeps unicode intact and counts positions in UTF-16 code units (JavaScript string indices)', () => {
    const r = carechat(['redact'], JSON.stringify({ text: '¡Hola! 😀 código de seguridad: 845' }) + '\n');
    const out = JSON.parse(r.lines[0]!);
    expect(out.text).toBe('¡Hola! 😀 código de seguridad: [removed]');
    expect(out.findings).toEqual([{ type: 'security_code', start: 31, end: 40 }]);
    expect(out.text.slice(31, 40)).toBe('[removed]');
  });
});
