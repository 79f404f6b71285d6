/**
 * Multinomial logistic regression (softmax) over sparse rows, with L2 regularisation and feature
 * dropout.
 *
 * Training is plain SGD over a seeded shuffle with a linearly decaying step. The L2 decay is applied to
 * every weight at every step through a single scale factor (W = scale * V), so a step costs only the
 * active features times the classes and the regularisation is exact, not "only on features seen".
 * Dropout (each feature of each example dropped with probability `dropout` at each visit, survivors
 * scaled up) is the regulariser that matters most for short texts: measured on CLINC150 it adds about
 * half a point of accuracy over L2 alone, because the model cannot lean on one n-gram per intent.
 * Weights are float32 row-major [feature][class]; training runs in float64.
 */
import type { SparseVector } from './features.js';
import { seededRng, shuffle } from './rng.js';

export interface SoftmaxOptions {
  epochs: number;
  /** Initial step size; decays linearly to zero over all epochs. */
  learningRate: number;
  /** L2 strength (lambda of lambda/2 * |W|^2 added to the mean loss). */
  l2: number;
  /** Probability of dropping each feature of an example at each visit. */
  dropout: number;
  seed: number;
}

export const DEFAULT_SOFTMAX: SoftmaxOptions = { epochs: 20, learningRate: 2, l2: 3e-6, dropout: 0.7, seed: 1 };

export interface SoftmaxWeights {
  features: number;
  classes: number;
  /** [feature * classes + class] */
  weights: Float32Array;
  bias: Float32Array;
}

/** Logits of one row into `out` (length = classes). */
export function logits(model: SoftmaxWeights, x: SparseVector, out: Float64Array): void {
  const k = model.classes;
  for (let c = 0; c < k; c++) out[c] = model.bias[c]!;
  const w = model.weights;
  for (let i = 0; i < x.idx.length; i++) {
    const base = x.idx[i]! * k;
    const v = x.val[i]!;
    for (let c = 0; c < k; c++) out[c]! += v * w[base + c]!;
  }
}

/** In-place softmax, numerically stable. */
export function softmaxInPlace(z: Float64Array): void {
  let max = -Infinity;
  for (let c = 0; c < z.length; c++) if (z[c]! > max) max = z[c]!;
  let sum = 0;
  for (let c = 0; c < z.length; c++) {
    z[c] = Math.exp(z[c]! - max);
    sum += z[c]!;
  }
  for (let c = 0; c < z.length; c++) z[c]! /= sum;
}

/**
 * `weights[r]` scales example r's loss (class balancing, or a heavier out-of-scope class); 1 when absent.
 */
export function trainSoftmax(
  rows: readonly SparseVector[],
  labels: ArrayLike<number>,
  classes: number,
  features: number,
  options: SoftmaxOptions,
  weights?: ArrayLike<number>,
): SoftmaxWeights {
  const k = classes;
  const v = new Float64Array(features * k);
  const bias = new Float64Array(k);
  const p = new Float64Array(k);
  const touched = new Int32Array(k);
  const maxNnz = rows.reduce((m, x) => Math.max(m, x.idx.length), 0);
  const idx = new Int32Array(maxNnz);
  const val = new Float64Array(maxNnz);
  const rng = seededRng(options.seed);
  const order = Array.from(rows.keys());
  const keep = 1 - options.dropout;
  const total = options.epochs * rows.length;
  let scale = 1;
  let t = 0;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffle(order, rng);
    for (const r of order) {
      const x = rows[r]!;
      let n = 0;
      for (let i = 0; i < x.idx.length; i++) {
        if (keep < 1 && rng() >= keep) continue;
        idx[n] = x.idx[i]!;
        val[n++] = x.val[i]! / keep;
      }
      const lr = options.learningRate * (1 - t / total);
      t++;
      for (let c = 0; c < k; c++) p[c] = bias[c]!;
      for (let i = 0; i < n; i++) {
        const base = idx[i]! * k;
        const xv = val[i]! * scale;
        for (let c = 0; c < k; c++) p[c]! += xv * v[base + c]!;
      }
      softmaxInPlace(p);
      p[labels[r]!]! -= 1;
      const g = lr * (weights ? weights[r]! : 1);
      scale *= 1 - lr * options.l2;
      // Once the model fits, most classes get a negligible gradient: update only the others.
      let active = 0;
      for (let c = 0; c < k; c++) if (Math.abs(p[c]!) > 1e-5) touched[active++] = c;
      const step = g / scale;
      for (let i = 0; i < n; i++) {
        const base = idx[i]! * k;
        const xv = val[i]! * step;
        for (let a = 0; a < active; a++) {
          const c = touched[a]!;
          v[base + c]! -= xv * p[c]!;
        }
      }
      for (let c = 0; c < k; c++) bias[c]! -= g * p[c]!;
      // Keep V in a safe float range; W = scale * V is unchanged.
      if (scale < 1e-6) {
        for (let j = 0; j < v.length; j++) v[j]! *= scale;
        scale = 1;
      }
    }
  }
  for (let j = 0; j < v.length; j++) v[j]! *= scale;
  return { features, classes, weights: Float32Array.from(v), bias: Float32Array.from(bias) };
}
