import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCorpus } from './corpus.js';
import { buildShippedModel } from './shipped.js';
import { TINY_CORPUS } from './test-corpus.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'carechat-nlu-build-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Writes TINY_CORPUS as corpus files: English lines to en/, the accented ones to es/. */
function writeCorpus(dir: string) {
  const byFile = new Map<string, string[]>();
  for (const { text, intent } of TINY_CORPUS) {
    const lang = /[áéíóúñ¿]|hola|buenos|qué|saldo|fecha|puntos/.test(text) ? 'es' : 'en';
    const key = `${lang}/${intent}.txt`;
    byFile.set(key, [...(byFile.get(key) ?? []), text]);
  }
  for (const [file, lines] of byFile) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), `# ${file}\n${lines.join('\n')}\n\n`);
  }
}

describe('corpus', () => {
  it('reads both languages, skipping comments and blank lines', () => {
    const dir = path.join(tmp, 'read');
    writeCorpus(dir);
    const examples = readCorpus(dir);
    expect(examples).toHaveLength(TINY_CORPUS.length);
    expect(examples.some((e) => e.text.startsWith('#') || !e.text)).toBe(false);
    expect(examples).toContainEqual({ text: 'perdí mi tarjeta', intent: 'card.lost_stolen' });
  });

  it('refuses a file named after no intent', () => {
    const dir = path.join(tmp, 'typo');
    writeCorpus(dir);
    writeFileSync(path.join(dir, 'en', 'card.lsot.txt'), 'lost card\n');
    expect(() => readCorpus(dir)).toThrow(/card\.lsot.*is not an intent id/);
  });
});

describe('buildShippedModel', () => {
  it('builds once, then skips while the corpus is unchanged, and rebuilds when it changes', () => {
    const corpusDir = path.join(tmp, 'corpus');
    const modelFile = path.join(tmp, 'build', 'model.json.gz');
    writeCorpus(corpusDir);
    const first = buildShippedModel({ corpusDir, modelFile });
    expect(first.status).toBe('built');
    const second = buildShippedModel({ corpusDir, modelFile });
    expect(second.status).toBe('up-to-date');
    expect(second.model.fingerprint).toBe(first.model.fingerprint);
    writeFileSync(path.join(corpusDir, 'en', 'greeting.txt'), 'hello\nhi\nhowdy\n');
    expect(buildShippedModel({ corpusDir, modelFile }).status).toBe('built');
    expect(buildShippedModel({ corpusDir, modelFile, force: true }).status).toBe('built');
  });

  it('rebuilds over a corrupt model file', () => {
    const corpusDir = path.join(tmp, 'corpus2');
    const modelFile = path.join(tmp, 'build2', 'model.json.gz');
    writeCorpus(corpusDir);
    mkdirSync(path.dirname(modelFile), { recursive: true });
    writeFileSync(modelFile, 'not a model');
    expect(buildShippedModel({ corpusDir, modelFile }).status).toBe('built');
  });
});
