import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LinearEngine } from './linear-engine.js';
import { loadModel, parseModel, saveModel, serializeModel } from './model.js';
import { TINY_CORPUS, TINY_TRAINING } from './test-corpus.js';
import { trainModel } from './train.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'carechat-nlu-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const model = trainModel(TINY_CORPUS, TINY_TRAINING);
const engine = new LinearEngine(model);

describe('training', () => {
  it('is deterministic: the same corpus and options give the same bytes', () => {
    const again = trainModel(TINY_CORPUS, TINY_TRAINING);
    expect(serializeModel(again).equals(serializeModel(model))).toBe(true);
    const otherSeed = trainModel(TINY_CORPUS, { softmax: { ...TINY_TRAINING.softmax, seed: 8 } });
    expect(serializeModel(otherSeed).equals(serializeModel(model))).toBe(false);
    const averaged = () => serializeModel(trainModel(TINY_CORPUS, { ...TINY_TRAINING, runs: 3 }));
    expect(averaged().equals(averaged())).toBe(true);
  });

  it('learns a tiny corpus, and generalises to unseen phrasing in both languages', () => {
    for (const { text, intent } of TINY_CORPUS) expect(engine.intentOf(text).intent, text).toBe(intent);
    expect(engine.intentOf('My CARD got stolen!!').intent).toBe('card.lost_stolen');
    expect(engine.intentOf('¿Cuándo VENCE el pago?').intent).toBe('payment.due_date');
    expect(engine.intentOf('how many reward pts do I have').intent).toBe('rewards.balance');
  });

  it('maps the dataset label "oos" to out_of_scope', () => {
    const m = trainModel(
      TINY_CORPUS.map((e) => (e.intent === 'out_of_scope' ? { ...e, intent: 'oos' } : e)),
      TINY_TRAINING,
    );
    expect(m.labels).toContain('out_of_scope');
    expect(m.labels).not.toContain('oos');
  });
});

describe('LinearEngine', () => {
  it('returns the top intent, a confidence in 0..1, a ranking of at most 5 and entities', async () => {
    const p = await engine.classify('I lost my card ending in 1005 yesterday', { today: '2026-03-10' });
    expect(p.intent).toBe('card.lost_stolen');
    expect(p.confidence).toBeGreaterThan(0.5);
    expect(p.confidence).toBeLessThanOrEqual(1);
    expect(p.ranking).toHaveLength(5);
    expect(p.ranking[0]).toEqual({ intent: 'card.lost_stolen', confidence: p.confidence });
    expect(p.ranking.map((r) => r.confidence)).toEqual([...p.ranking.map((r) => r.confidence)].sort((a, b) => b - a));
    expect(p.entities).toContainEqual(expect.objectContaining({ type: 'card_last4', value: '1005' }));
    expect(p.entities).toContainEqual(expect.objectContaining({ type: 'date', value: '2026-03-09' }));
  });

  it('predicts the trained out_of_scope class', () => {
    expect(engine.intentOf('what is the weather').intent).toBe('out_of_scope');
  });

  it('rejects as out_of_scope whatever falls below the threshold, and keeps the guess in the ranking', () => {
    const text = 'points card';
    const open = new LinearEngine(model, 0).intentOf(text);
    expect(open.intent).not.toBe('out_of_scope');
    const strict = new LinearEngine(model, open.confidence + 0.01).intentOf(text);
    expect(strict.intent).toBe('out_of_scope');
    expect(strict.confidence).toBeCloseTo(1 - open.confidence, 10);
    expect(strict.ranking).toEqual(open.ranking);
  });

  it('uses the threshold stored in the model by default', () => {
    const strictModel = trainModel(TINY_CORPUS, { ...TINY_TRAINING, threshold: 0.999 });
    expect(new LinearEngine(strictModel).intentOf('how many points do i have').intent).toBe('out_of_scope');
  });
});

describe('model file', () => {
  it('round-trips: the loaded model predicts exactly as the trained one', () => {
    const file = path.join(tmp, 'model.json.gz');
    saveModel(model, file);
    const loaded = new LinearEngine(loadModel(file));
    const probes = [...TINY_CORPUS.map((e) => e.text), 'points card', 'hola quiero mis puntos', '', '1234 $$$'];
    for (const text of probes) expect(loaded.intentOf(text), text).toEqual(engine.intentOf(text));
    expect(loaded.model.labels).toEqual(model.labels);
    expect(loaded.model.fingerprint).toBe(model.fingerprint);
  });

  it('refuses a file that is not a model with a clear error', () => {
    expect(() => parseModel(Buffer.from('hello'))).toThrow(/not a carechat NLU model/);
  });
});
