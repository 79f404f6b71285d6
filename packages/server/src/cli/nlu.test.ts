/**
 * The `carechat nlu` contract, through the real CLI in a child process: output shapes, order of
 * `--jsonl` answers, exit codes. A tiny model trained by `nlu train` keeps it fast; one test uses the
 * shipped model (built before the suite by scripts/test.mjs, or here if missing).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY_CORPUS } from '../assistant/nlu/test-corpus.js';

const root = path.resolve(import.meta.dirname, '../../../..');
const tmp = mkdtempSync(path.join(tmpdir(), 'carechat-nlu-cli-'));
const model = path.join(tmp, 'tiny.json.gz');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function carechat(args: string[], stdin = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/cli.ts', ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const lines = (s: string) => s.trimEnd().split('\n');

beforeAll(async () => {
  const data = path.join(tmp, 'tiny.jsonl');
  // "oos" is how datasets spell out-of-scope; train must accept it.
  const rows = TINY_CORPUS.map((e) => ({ text: e.text, intent: e.intent === 'out_of_scope' ? 'oos' : e.intent }));
  writeFileSync(data, rows.map((r) => JSON.stringify(r)).join('\n'));
  const r = await carechat(['nlu', 'train', '--data', data, '--out', model]);
  expect(r.code, r.stderr).toBe(0);
  expect(existsSync(model)).toBe(true);
});

describe('carechat nlu', () => {
  it('classify prints one JSON line {intent, confidence, entities}', async () => {
    const r = await carechat(['nlu', 'classify', '--model', model, '--lang', 'en', 'I lost my card ending in 1005']);
    expect(r.code, r.stderr).toBe(0);
    expect(lines(r.stdout)).toHaveLength(1);
    const p = JSON.parse(r.stdout) as { intent: string; confidence: number; entities: Array<{ type: string }> };
    expect(Object.keys(p)).toEqual(['intent', 'confidence', 'entities']);
    expect(p.intent).toBe('card.lost_stolen');
    expect(p.confidence).toBeGreaterThan(0);
    expect(p.confidence).toBeLessThanOrEqual(1);
    expect(p.entities.map((e) => e.type)).toContain('card_last4');
  });

  it('classify --jsonl answers each stdin line in order, one line each', async () => {
    const input = ['how many points do i have', 'perdí mi tarjeta', 'what is the weather tomorrow']
      .map((text) => JSON.stringify({ text }))
      .join('\n');
    const r = await carechat(['nlu', 'classify', '--model', model, '--jsonl'], `${input}\n`);
    expect(r.code, r.stderr).toBe(0);
    expect(lines(r.stdout).map((l) => (JSON.parse(l) as { intent: string }).intent)).toEqual([
      'rewards.balance',
      'card.lost_stolen',
      'out_of_scope',
    ]);
  });

  it('eval prints the metrics', async () => {
    const data = path.join(tmp, 'eval.jsonl');
    const rows = [
      { text: 'my card was stolen', intent: 'card.lost_stolen' },
      { text: 'how many points do i have', intent: 'rewards.balance' },
      { text: 'tell me a joke', intent: 'oos' },
    ];
    writeFileSync(data, rows.map((r) => JSON.stringify(r)).join('\n'));
    const r = await carechat(['nlu', 'eval', '--data', data, '--model', model]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Record<string, unknown>;
    for (const key of ['n', 'accuracy', 'in_scope_accuracy', 'oos_recall', 'per_intent', 'confusions']) {
      expect(report).toHaveProperty(key);
    }
    expect(report).toMatchObject({ n: 3, accuracy: 1, in_scope_accuracy: 1, oos_recall: 1 });
  });

  // Each case is a process start (about 2 s): run them side by side.
  it('bad arguments: usage on stderr, exit 2', async () => {
    const cases: Array<[string[], string]> = [
      [['nlu', 'frobnicate'], 'unknown nlu command'],
      [['nlu', 'classify'], 'either a text or --jsonl'],
      [['nlu', 'classify', '--lang', 'fr', '--bogus', 'hola'], 'unknown option'],
    ];
    const runs = await Promise.all(cases.map(([args]) => carechat(args)));
    runs.forEach((r, i) => {
      const [args, message] = cases[i]!;
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain('usage: carechat nlu');
    });
  });

  it('unreadable files: one line on stderr, exit 1, no stack trace', async () => {
    const missing = path.join(tmp, 'missing.jsonl');
    const cases = [
      ['nlu', 'eval', '--data', missing],
      ['nlu', 'classify', '--model', missing, 'hello'],
      ['nlu', 'classify', '--model', path.join(root, 'package.json'), 'hello'],
    ];
    const runs = await Promise.all(cases.map((args) => carechat(args)));
    runs.forEach((r, i) => {
      expect(r.code, cases[i]!.join(' ')).toBe(1);
      expect(lines(r.stderr), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(/^carechat nlu: cannot (read|load)/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  });

  it('classify without --model uses the shipped model', async () => {
    const r = await carechat(['nlu', 'classify', 'what is the weather like in paris tomorrow']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ intent: 'out_of_scope' });
  });
});
