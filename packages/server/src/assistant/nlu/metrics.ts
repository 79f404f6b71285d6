/**
 * Evaluation arithmetic for `nlu eval` and the benchmark. The conventions of the CLINC150 paper:
 * in-scope accuracy counts a rejected in-scope message as wrong; out-of-scope recall is the share of
 * out-of-scope messages rejected.
 */
import { OUT_OF_SCOPE } from './model.js';

export interface Outcome {
  /** Gold label, `out_of_scope` for out-of-scope lines. */
  gold: string;
  predicted: string;
}

export interface EvalReport {
  n: number;
  accuracy: number;
  in_scope_accuracy: number;
  oos_recall: number;
  /** Of the messages rejected, the share that were really out of scope. */
  oos_precision: number;
  per_intent: Record<string, { precision: number; recall: number; support: number }>;
  /** The most frequent mistakes, worst first. */
  confusions: Array<{ true: string; predicted: string; count: number }>;
}

const ratio = (num: number, den: number) => (den === 0 ? 0 : num / den);
const round = (x: number) => Math.round(x * 10000) / 10000;

export function evaluate(outcomes: readonly Outcome[], maxConfusions = 20): EvalReport {
  let correct = 0;
  let inScope = 0;
  let inScopeCorrect = 0;
  let oos = 0;
  let oosRejected = 0;
  let rejected = 0;
  const support = new Map<string, number>();
  const predictedCount = new Map<string, number>();
  const hits = new Map<string, number>();
  const confusions = new Map<string, number>();
  const bump = (m: Map<string, number>, key: string) => m.set(key, (m.get(key) ?? 0) + 1);
  for (const { gold, predicted } of outcomes) {
    bump(support, gold);
    bump(predictedCount, predicted);
    if (predicted === OUT_OF_SCOPE) rejected++;
    if (gold === OUT_OF_SCOPE) {
      oos++;
      if (predicted === OUT_OF_SCOPE) oosRejected++;
    } else {
      inScope++;
      if (predicted === gold) inScopeCorrect++;
    }
    if (predicted === gold) {
      correct++;
      bump(hits, gold);
    } else {
      bump(confusions, `${gold}\t${predicted}`);
    }
  }
  const labels = [...new Set([...support.keys(), ...predictedCount.keys()])].sort();
  const perIntent: EvalReport['per_intent'] = {};
  for (const label of labels) {
    const h = hits.get(label) ?? 0;
    perIntent[label] = {
      precision: round(ratio(h, predictedCount.get(label) ?? 0)),
      recall: round(ratio(h, support.get(label) ?? 0)),
      support: support.get(label) ?? 0,
    };
  }
  return {
    n: outcomes.length,
    accuracy: round(ratio(correct, outcomes.length)),
    in_scope_accuracy: round(ratio(inScopeCorrect, inScope)),
    oos_recall: round(ratio(oosRejected, oos)),
    oos_precision: round(ratio(oosRejected, rejected)),
    per_intent: perIntent,
    confusions: [...confusions]
      .map(([key, count]) => {
        const [t, p] = key.split('\t') as [string, string];
        return { true: t, predicted: p, count };
      })
      .sort((a, b) => b.count - a.count || a.true.localeCompare(b.true) || a.predicted.localeCompare(b.predicted))
      .slice(0, maxConfusions),
  };
}

export interface CurvePoint {
  threshold: number;
  in_scope_accuracy: number;
  oos_recall: number;
}

/**
 * In-scope accuracy and out-of-scope recall at each threshold, from each message's gold label, the
 * model's top label (which may be `out_of_scope` itself) and its top probability.
 */
export function thresholdCurve(
  scored: ReadonlyArray<{ gold: string; top: string; confidence: number }>,
  thresholds: readonly number[],
): CurvePoint[] {
  return thresholds.map((threshold) => {
    let inScope = 0;
    let inScopeCorrect = 0;
    let oos = 0;
    let oosRejected = 0;
    for (const s of scored) {
      const predicted = s.top === OUT_OF_SCOPE || s.confidence < threshold ? OUT_OF_SCOPE : s.top;
      if (s.gold === OUT_OF_SCOPE) {
        oos++;
        if (predicted === OUT_OF_SCOPE) oosRejected++;
      } else {
        inScope++;
        if (predicted === s.gold) inScopeCorrect++;
      }
    }
    return {
      threshold,
      in_scope_accuracy: round(ratio(inScopeCorrect, inScope)),
      oos_recall: round(ratio(oosRejected, oos)),
    };
  });
}
