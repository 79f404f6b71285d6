/**
 * NLU benchmark: `node --import tsx bench/nlu.ts` (2-4 minutes on the 2-core machine). Needs the public
 * datasets in ../shared/datasets (skips with a message without them). Writes bench/results/nlu.json.
 *
 * 1. The engine on the CLINC150 protocol: train on clinc150/train.jsonl (150 intents + oos), evaluate on
 *    val.jsonl; in-scope accuracy (a rejected in-scope line is wrong) and out-of-scope recall over
 *    thresholds, for the default engine (one SGD run) and for three runs' weights averaged.
 * 2. The shipped model (project corpus only) on the mapped evaluation sets (nlu/dataset-map.ts):
 *    the same curve, the weakest intents and the worst confusions, for the corpus writers.
 * 3. Prediction latency per message (intent + entities), and the shipped model's file size.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { datasetsDir, MAPPED_SETS, mappedSet } from '../packages/server/src/assistant/nlu/dataset-map.js';
import { LinearEngine } from '../packages/server/src/assistant/nlu/linear-engine.js';
import { evaluate, thresholdCurve, type CurvePoint } from '../packages/server/src/assistant/nlu/metrics.js';
import type { LinearModel } from '../packages/server/src/assistant/nlu/model.js';
import { buildShippedModel } from '../packages/server/src/assistant/nlu/shipped.js';
import { canonicalLabel, trainModel, type Example } from '../packages/server/src/assistant/nlu/train.js';

const root = path.resolve(import.meta.dirname, '..');
const THRESHOLDS = [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7];

const pct = (x: number) => `${(100 * x).toFixed(1)}`;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

function readJsonl(file: string): Example[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const row = JSON.parse(l) as Example;
      return { text: row.text, intent: canonicalLabel(row.intent) };
    });
}

/** Scores every example once (threshold 0), so the curve costs one pass whatever the thresholds. */
function score(model: LinearModel, examples: readonly Example[]) {
  const open = new LinearEngine(model, 0);
  return examples.map((e) => {
    const top = open.intentOf(e.text);
    return { gold: e.intent, top: top.intent, confidence: top.confidence };
  });
}

function operatingPoint(model: LinearModel, examples: readonly Example[]) {
  const engine = new LinearEngine(model);
  return evaluate(examples.map((e) => ({ gold: e.intent, predicted: engine.intentOf(e.text).intent })));
}

function latency(model: LinearModel, texts: readonly string[]) {
  const engine = new LinearEngine(model);
  for (const t of texts.slice(0, 500)) engine.predict(t); // warm up the JIT
  const us: number[] = [];
  for (const t of texts) {
    const started = performance.now();
    engine.predict(t);
    us.push((performance.now() - started) * 1000);
  }
  us.sort((a, b) => a - b);
  return { messages: us.length, usP50: Math.round(percentile(us, 0.5)), usP99: Math.round(percentile(us, 0.99)) };
}

const curveTable = (curve: CurvePoint[]) =>
  curve.map(
    (c) => `    ${c.threshold.toFixed(2)}  ${pct(c.in_scope_accuracy).padStart(5)}  ${pct(c.oos_recall).padStart(5)}`,
  );

function clincProtocol(dir: string) {
  const train = readJsonl(path.join(dir, 'clinc150/train.jsonl'));
  const val = readJsonl(path.join(dir, 'clinc150/val.jsonl'));
  const rows = [];
  for (const runs of [1, 3]) {
    const started = performance.now();
    const model = trainModel(train, { runs });
    const trainSeconds = (performance.now() - started) / 1000;
    const curve = thresholdCurve(score(model, val), THRESHOLDS);
    const at = operatingPoint(model, val);
    const row = {
      runs,
      trainSeconds: Math.round(trainSeconds),
      features: model.vectorizer.size,
      threshold: model.threshold,
      in_scope_accuracy: at.in_scope_accuracy,
      oos_recall: at.oos_recall,
      curve,
      latency: latency(
        model,
        val.map((e) => e.text),
      ),
    };
    rows.push(row);
    console.log(
      `CLINC150 val, ${runs === 1 ? 'engine default (1 SGD run)' : `${runs} SGD runs averaged`}: in-scope ${pct(row.in_scope_accuracy)} %, ` +
        `oos recall ${pct(row.oos_recall)} % at threshold ${row.threshold} (trained in ${row.trainSeconds} s, ` +
        `${row.features} features; p50 ${row.latency.usP50} µs, p99 ${row.latency.usP99} µs per message)`,
    );
    console.log(`    thr.  in-sc  oos-r\n${curveTable(curve).join('\n')}`);
  }
  return rows;
}

function shippedOnMappedSets(dir: string) {
  const build = buildShippedModel();
  const model = build.model;
  const sets: Record<string, unknown> = {};
  console.log(
    `\nShipped model (${build.status}; ${build.examples} corpus lines, ${model.labels.length} intents, ` +
      `${(statSync(build.file).size / 1e6).toFixed(1)} MB file), threshold ${model.threshold}:`,
  );
  for (const set of MAPPED_SETS) {
    const examples = mappedSet(dir, set);
    const report = operatingPoint(model, examples);
    const curve = thresholdCurve(score(model, examples), THRESHOLDS);
    const weakest = Object.entries(report.per_intent)
      .filter(([, v]) => v.support > 0)
      .sort((a, b) => a[1].recall - b[1].recall)
      .slice(0, 8)
      .map(([intent, v]) => ({ intent, ...v }));
    sets[set] = { ...report, curve, weakest };
    console.log(
      `  ${set}: ${report.n} lines, in-scope ${pct(report.in_scope_accuracy)} %` +
        (set === 'clinc' ? `, oos recall ${pct(report.oos_recall)} %` : ''),
    );
    console.log(`    weakest recall: ${weakest.map((w) => `${w.intent} ${pct(w.recall)}`).join(', ')}`);
    console.log(
      `    worst confusions: ${report.confusions
        .slice(0, 8)
        .map((c) => `${c.true} -> ${c.predicted} (${c.count})`)
        .join(', ')}`,
    );
  }
  const texts = mappedSet(dir, 'clinc').map((e) => e.text);
  const lat = latency(model, texts);
  console.log(`  latency (intent + entities): p50 ${lat.usP50} µs, p99 ${lat.usP99} µs over ${lat.messages} messages`);
  return { status: build.status, examples: build.examples, fileBytes: statSync(build.file).size, sets, latency: lat };
}

const dir = datasetsDir(root);
if (!dir) {
  console.log(`bench/nlu: skipped: ${path.resolve(root, '../shared/datasets')} is absent.`);
} else {
  const started = performance.now();
  const clinc = clincProtocol(dir);
  const shipped = shippedOnMappedSets(dir);
  const out = path.join(root, 'bench/results/nlu.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), clinc150: clinc, shipped }, null, 2)}\n`);
  console.log(`\nWrote ${path.relative(root, out)} in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
}
