/**
 * `carechat nlu ...`: the NLU engine from the command line. A public contract (operators and
 * benchmarks script it): output shapes and exit codes do not change. Exit 2 with usage on bad
 * arguments, exit 1 with one line on stderr when a file cannot be read or a data line is bad.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Language } from '@carechat/protocol';
import { CorpusError } from '../assistant/nlu/corpus.js';
import { LinearEngine } from '../assistant/nlu/linear-engine.js';
import { evaluate } from '../assistant/nlu/metrics.js';
import { loadModel, saveModel } from '../assistant/nlu/model.js';
import { buildShippedModel, shippedEngine } from '../assistant/nlu/shipped.js';
import { canonicalLabel, trainModel, type Example } from '../assistant/nlu/train.js';
import { parseArgs, UsageError } from './args.js';

export const NLU_USAGE = `  nlu classify [--lang en|es] [--model FILE] "TEXT"
                     print {"intent","confidence","entities"} for TEXT
  nlu classify [--lang en|es] [--model FILE] --jsonl
                     the same for each JSON line {"text": "..."} on stdin, in order
  nlu train --data FILE.jsonl --out MODEL [--runs N]
                     train a model on JSON lines {"text","intent"} ("oos" or "out_of_scope": out of scope);
                     --runs N averages N training runs (steadier, N times slower; default 1)
  nlu eval --data FILE.jsonl [--model MODEL]
                     accuracy, in-scope accuracy, out-of-scope recall, per-intent precision/recall and
                     the worst confusions of MODEL (default: the shipped model) on JSON lines {"text","intent"}
  nlu build [--force]
                     train the shipped model on packages/server/nlu/corpus unless it is up to date
`;

/** A failure the user can fix (a file, a data line): one line on stderr, exit 1. */
class InputError extends Error {}

export async function nlu(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  try {
    switch (sub) {
      case 'classify':
        return await classify(rest);
      case 'train':
        return train(rest);
      case 'eval':
        return evalCommand(rest);
      case 'build':
        return build(rest);
      default:
        throw new UsageError(sub ? `unknown nlu command "${sub}"` : 'which nlu command?');
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(
        `carechat nlu: ${err.message}\n\nusage: carechat nlu <classify|train|eval|build>\n${NLU_USAGE}`,
      );
      return 2;
    }
    if (err instanceof InputError || err instanceof CorpusError) {
      process.stderr.write(`carechat nlu: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

function engineFor(modelFile: string | undefined): LinearEngine {
  if (!modelFile) return shippedEngine();
  try {
    return new LinearEngine(loadModel(modelFile));
  } catch (err) {
    throw new InputError(`cannot load model ${modelFile}: ${reason(err)}`);
  }
}

const reason = (err: unknown) =>
  err instanceof Error ? ((err as NodeJS.ErrnoException).code ?? err.message) : String(err);

const predictionLine = (engine: LinearEngine, text: string, lang: Language | undefined) => {
  const p = engine.predict(text, { lang });
  return `${JSON.stringify({ intent: p.intent, confidence: Math.round(p.confidence * 1e4) / 1e4, entities: p.entities })}\n`;
};

async function classify(args: string[]): Promise<number> {
  const { positional, values, flags } = parseArgs(args, ['lang', 'model'], ['jsonl']);
  const lang = values.get('lang');
  if (lang !== undefined && lang !== 'en' && lang !== 'es') throw new UsageError('--lang is en or es');
  const jsonl = flags.has('jsonl');
  if (jsonl === positional.length > 0) throw new UsageError('give either a text or --jsonl');
  const text = positional.join(' ');
  if (!jsonl && !text.trim()) throw new UsageError('the text is empty');
  const engine = engineFor(values.get('model'));
  if (!jsonl) {
    process.stdout.write(predictionLine(engine, text, lang));
    return 0;
  }
  // Streams: each line is answered as it arrives, so output line N always answers input line N.
  let status = 0;
  let lineNo = 0;
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    lineNo++;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      row = undefined;
    }
    const t = (row as { text?: unknown } | undefined)?.text;
    if (typeof t !== 'string') {
      process.stdout.write(
        `${JSON.stringify({ error: `line ${lineNo}: expected a JSON object with a string "text"` })}\n`,
      );
      status = 1;
      continue;
    }
    process.stdout.write(predictionLine(engine, t, lang));
  }
  return status;
}

/** Reads JSON lines {"text","intent"}; a bad line is an error naming the file and line. */
function readLabelled(file: string): Example[] {
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read ${file}: ${reason(err)}`);
  }
  const examples: Example[] = [];
  content.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let row: { text?: unknown; intent?: unknown } | undefined;
    try {
      row = JSON.parse(line) as typeof row;
    } catch {
      row = undefined;
    }
    if (typeof row?.text !== 'string' || typeof row.intent !== 'string' || !row.intent) {
      throw new InputError(`${file}:${i + 1}: expected a JSON object with string "text" and "intent"`);
    }
    examples.push({ text: row.text, intent: canonicalLabel(row.intent) });
  });
  if (examples.length === 0) throw new InputError(`${file}: no examples`);
  return examples;
}

function train(args: string[]): number {
  const { positional, values } = parseArgs(args, ['data', 'out', 'runs']);
  const data = values.get('data');
  const out = values.get('out');
  if (!data || !out || positional.length) throw new UsageError('train needs --data FILE.jsonl and --out MODEL');
  const runs = values.get('runs') ?? '1';
  if (!/^([1-9]|10)$/.test(runs)) throw new UsageError('--runs is a number from 1 to 10');
  const examples = readLabelled(data);
  const started = performance.now();
  const model = trainModel(examples, { runs: Number(runs) });
  try {
    saveModel(model, out);
  } catch (err) {
    throw new InputError(`cannot write ${out}: ${reason(err)}`);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stderr.write(
    `Trained on ${examples.length} examples, ${model.labels.length} labels, ${model.vectorizer.size} features in ${seconds} s: ${out}\n`,
  );
  return 0;
}

function evalCommand(args: string[]): number {
  const { positional, values } = parseArgs(args, ['data', 'model']);
  const data = values.get('data');
  if (!data || positional.length) throw new UsageError('eval needs --data FILE.jsonl');
  const examples = readLabelled(data);
  const engine = engineFor(values.get('model'));
  const report = evaluate(examples.map((e) => ({ gold: e.intent, predicted: engine.intentOf(e.text).intent })));
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return 0;
}

function build(args: string[]): number {
  const { positional, flags } = parseArgs(args, [], ['force']);
  if (positional.length) throw new UsageError('build takes no arguments');
  const r = buildShippedModel({ force: flags.has('force') });
  const what = r.status === 'built' ? `built in ${r.seconds.toFixed(1)} s` : 'up to date';
  process.stdout.write(
    `NLU model ${what}: ${r.examples} examples, ${r.model.labels.length} intents, ${r.model.vectorizer.size} features (${r.file})\n`,
  );
  return 0;
}
