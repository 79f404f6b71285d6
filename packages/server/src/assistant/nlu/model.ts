/**
 * The trained linear model: vectorizer, softmax weights, labels and the rejection threshold, and how
 * it is stored on disk.
 *
 * File format: gzip of one JSON object; number arrays are base64 of little-endian typed arrays.
 * Weights are int8 with one float32 scale per feature row: a quarter of float32's size, and CLINC150
 * accuracy within 0.05 points of the float weights. Training quantizes right away, so the model in
 * memory after training predicts exactly as the same model loaded from its file.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { Vectorizer, type FeatureOptions } from './features.js';
import { logits, softmaxInPlace, type SoftmaxWeights } from './softmax.js';

/**
 * Bump when normalisation, features or training change in a way options do not show: a stored model
 * with another version is rebuilt (see shipped.ts).
 */
export const ENGINE_VERSION = 'linear-2';
const FORMAT = 'carechat-nlu-linear';

export const OUT_OF_SCOPE = 'out_of_scope';

export interface LinearModel {
  engineVersion: string;
  /** Hash of the training data and options; decides whether a stored model is up to date. */
  fingerprint: string;
  labels: string[];
  vectorizer: Vectorizer;
  weights: QuantizedWeights;
  /** Below this top probability the prediction is `out_of_scope`. */
  threshold: number;
  /** Examples per label the model was trained on, for `nlu build` output and debugging. */
  trainingCounts: Record<string, number>;
}

/** Class probabilities, in `labels` order. */
export function predictProba(model: LinearModel, text: string): Float64Array {
  const z = new Float64Array(model.labels.length);
  logits(model.weights, model.vectorizer.transform(text), z);
  softmaxInPlace(z);
  return z;
}

/** Softmax weights as stored (int8 + row scales) along with their float32 values for prediction. */
export interface QuantizedWeights extends SoftmaxWeights {
  q: Int8Array;
  scales: Float32Array;
}

/** int8 per feature row, scaled by the row's largest magnitude. */
export function quantize(trained: SoftmaxWeights): QuantizedWeights {
  const { features, classes, weights, bias } = trained;
  const q = new Int8Array(weights.length);
  const scales = new Float32Array(features);
  const out = new Float32Array(weights.length);
  for (let f = 0; f < features; f++) {
    const base = f * classes;
    let max = 0;
    for (let c = 0; c < classes; c++) max = Math.max(max, Math.abs(weights[base + c]!));
    const scale = Math.fround(max / 127);
    scales[f] = scale;
    for (let c = 0; c < classes; c++) {
      const v = scale > 0 ? Math.round(weights[base + c]! / scale) : 0;
      q[base + c] = v;
      out[base + c] = v * scale;
    }
  }
  return { features, classes, weights: out, bias, q, scales };
}

function dequantize(q: Int8Array, scales: Float32Array, bias: Float32Array): QuantizedWeights {
  const features = scales.length;
  const classes = bias.length;
  const weights = new Float32Array(q.length);
  for (let f = 0; f < features; f++) {
    const base = f * classes;
    const scale = scales[f]!;
    for (let c = 0; c < classes; c++) weights[base + c] = q[base + c]! * scale;
  }
  return { features, classes, weights, bias, q, scales };
}

const b64 = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
const bytes = (s: string) => {
  const buf = Buffer.from(s, 'base64');
  // Copy into a fresh, aligned buffer: typed array views need offsets that are multiples of their size.
  return new Uint8Array(buf).buffer;
};

const fileSchema = z.object({
  format: z.literal(FORMAT),
  engineVersion: z.string(),
  fingerprint: z.string(),
  labels: z.array(z.string()).min(1),
  features: z.object({
    charMin: z.number().int(),
    charMax: z.number().int(),
    wordWeight: z.number(),
    charWeight: z.number(),
    minDf: z.number().int(),
  }),
  threshold: z.number().min(0).max(1),
  trainingCounts: z.record(z.string(), z.number()),
  keys: z.array(z.string()),
  idf: z.string(),
  weights: z.string(),
  scales: z.string(),
  bias: z.string(),
});

export function serializeModel(model: LinearModel): Buffer {
  const file: z.infer<typeof fileSchema> = {
    format: FORMAT,
    engineVersion: model.engineVersion,
    fingerprint: model.fingerprint,
    labels: model.labels,
    features: model.vectorizer.options,
    threshold: model.threshold,
    trainingCounts: model.trainingCounts,
    keys: model.vectorizer.keys(),
    idf: b64(model.vectorizer.idf),
    weights: b64(model.weights.q),
    scales: b64(model.weights.scales),
    bias: b64(model.weights.bias),
  };
  return gzipSync(JSON.stringify(file));
}

export class ModelFileError extends Error {
  override name = 'ModelFileError';
}

export function parseModel(data: Buffer): LinearModel {
  let json: unknown;
  try {
    json = JSON.parse(gunzipSync(data).toString('utf8'));
  } catch {
    throw new ModelFileError('not a carechat NLU model (expected gzipped JSON)');
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) throw new ModelFileError('not a carechat NLU model (unexpected content)');
  const f = parsed.data;
  const k = f.labels.length;
  const vectorizer = Vectorizer.restore(f.features as FeatureOptions, f.keys, new Float32Array(bytes(f.idf)));
  const q = new Int8Array(bytes(f.weights));
  const scales = new Float32Array(bytes(f.scales));
  const bias = new Float32Array(bytes(f.bias));
  if (scales.length !== f.keys.length || bias.length !== k || q.length !== f.keys.length * k) {
    throw new ModelFileError('corrupt carechat NLU model (array sizes do not match)');
  }
  return {
    engineVersion: f.engineVersion,
    fingerprint: f.fingerprint,
    labels: f.labels,
    vectorizer,
    weights: dequantize(q, scales, bias),
    threshold: f.threshold,
    trainingCounts: f.trainingCounts,
  };
}

/** Writes to a temporary file and renames it, so a concurrent reader never sees half a model. */
export function saveModel(model: LinearModel, file: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, serializeModel(model));
  renameSync(tmp, file);
}

export function loadModel(file: string): LinearModel {
  return parseModel(readFileSync(file));
}
