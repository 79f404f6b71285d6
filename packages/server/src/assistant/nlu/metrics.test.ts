import { describe, expect, it } from 'vitest';
import { evaluate, thresholdCurve } from './metrics.js';

describe('evaluate', () => {
  // 6 in scope (4 right, 1 wrong intent, 1 rejected) and 4 out of scope (3 rejected, 1 taken for a).
  const outcomes = [
    { gold: 'a', predicted: 'a' },
    { gold: 'a', predicted: 'a' },
    { gold: 'a', predicted: 'b' },
    { gold: 'b', predicted: 'b' },
    { gold: 'b', predicted: 'b' },
    { gold: 'b', predicted: 'out_of_scope' },
    { gold: 'out_of_scope', predicted: 'out_of_scope' },
    { gold: 'out_of_scope', predicted: 'out_of_scope' },
    { gold: 'out_of_scope', predicted: 'out_of_scope' },
    { gold: 'out_of_scope', predicted: 'a' },
  ];
  const r = evaluate(outcomes);

  it('computes accuracy, in-scope accuracy and out-of-scope recall the CLINC150 way', () => {
    expect(r.n).toBe(10);
    expect(r.accuracy).toBe(0.7); // 4 + 3 right
    expect(r.in_scope_accuracy).toBe(0.6667); // 4 / 6: the rejected in-scope line counts as wrong
    expect(r.oos_recall).toBe(0.75); // 3 / 4
    expect(r.oos_precision).toBe(0.75); // 3 of 4 rejections were out of scope
  });

  it('computes precision and recall per label', () => {
    expect(r.per_intent.a).toEqual({ precision: 0.6667, recall: 0.6667, support: 3 }); // predicted a 3 times, 2 right
    expect(r.per_intent.b).toEqual({ precision: 0.6667, recall: 0.6667, support: 3 });
    expect(r.per_intent.out_of_scope).toEqual({ precision: 0.75, recall: 0.75, support: 4 });
  });

  it('lists confusions worst first', () => {
    const r2 = evaluate([...outcomes, { gold: 'a', predicted: 'b' }]);
    expect(r2.confusions[0]).toEqual({ true: 'a', predicted: 'b', count: 2 });
    expect(r2.confusions).toHaveLength(3);
    expect(r2.confusions.reduce((s, c) => s + c.count, 0)).toBe(4);
  });

  it('reports 0, not NaN, for empty groups', () => {
    const onlyIn = evaluate([{ gold: 'a', predicted: 'a' }]);
    expect(onlyIn.oos_recall).toBe(0);
    expect(onlyIn.oos_precision).toBe(0);
  });
});

describe('thresholdCurve', () => {
  it('rejects below each threshold and keeps the out_of_scope class as rejected', () => {
    const scored = [
      { gold: 'a', top: 'a', confidence: 0.9 },
      { gold: 'a', top: 'a', confidence: 0.3 },
      { gold: 'out_of_scope', top: 'a', confidence: 0.4 },
      { gold: 'out_of_scope', top: 'out_of_scope', confidence: 0.8 },
    ];
    expect(thresholdCurve(scored, [0, 0.35, 0.5, 0.95])).toEqual([
      { threshold: 0, in_scope_accuracy: 1, oos_recall: 0.5 },
      { threshold: 0.35, in_scope_accuracy: 0.5, oos_recall: 0.5 },
      { threshold: 0.5, in_scope_accuracy: 0.5, oos_recall: 1 },
      { threshold: 0.95, in_scope_accuracy: 0, oos_recall: 1 },
    ]);
  });
});
