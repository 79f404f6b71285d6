/**
 * The project's training corpus: `packages/server/nlu/corpus/<en|es>/<intent-id>.txt`, one utterance a
 * line, `#` comment lines, blank lines ignored. English and Spanish train one model together: many
 * messages mix the two ("quiero hablar con un agent"), and intents are the same in both.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isIntent } from '../intents.js';
import type { Example } from './train.js';

export const CORPUS_LANGUAGES = ['en', 'es'] as const;

export class CorpusError extends Error {
  override name = 'CorpusError';
}

/**
 * Every example of the corpus, in a stable order (language, then file name, then line), so the same
 * files always train the same model. A file whose name is not an intent id is an error, not skipped:
 * a typo would otherwise silently drop a whole intent from the model.
 */
export function readCorpus(dir: string): Example[] {
  const examples: Example[] = [];
  for (const lang of CORPUS_LANGUAGES) {
    const langDir = path.join(dir, lang);
    let files: string[];
    try {
      files = readdirSync(langDir)
        .filter((f) => f.endsWith('.txt'))
        .sort();
    } catch {
      continue; // a language not written yet
    }
    for (const file of files) {
      const intent = file.slice(0, -'.txt'.length);
      if (!isIntent(intent)) {
        throw new CorpusError(`${path.join(langDir, file)}: "${intent}" is not an intent id (see intents.ts)`);
      }
      for (const line of readFileSync(path.join(langDir, file), 'utf8').split('\n')) {
        const text = line.trim();
        if (text && !text.startsWith('#')) examples.push({ text, intent });
      }
    }
  }
  if (examples.length === 0) throw new CorpusError(`${dir}: no corpus files (expected en/<intent>.txt)`);
  return examples;
}
