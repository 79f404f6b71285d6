/**
 * The shipped NLU engine: a trained `LinearModel` plus the pattern-based entities.
 *
 * Out-of-scope is decided twice over: the model has an `out_of_scope` class trained on things a card
 * issuer does not handle, and any message whose top probability is below the model's threshold is
 * rejected as well (the class cannot know every topic; low confidence catches the rest). For a
 * rejected message `confidence` is 1 - the top probability, i.e. how sure the engine is that it should
 * not guess; `ranking` still shows what it would have guessed.
 */
import type { ClassifyOptions, NluEngine, Prediction, RankedIntent } from './engine.js';
import { extractEntities } from './entities.js';
import { OUT_OF_SCOPE, predictProba, type LinearModel } from './model.js';

const RANKING_SIZE = 5;

export class LinearEngine implements NluEngine {
  readonly name = 'linear';

  constructor(
    readonly model: LinearModel,
    /** Overrides the model's own threshold (benchmarks sweep it). */
    readonly threshold: number = model.threshold,
  ) {}

  /** The intent alone, without entities: what benchmarks and `nlu eval` need. */
  intentOf(text: string): { intent: string; confidence: number; ranking: RankedIntent[] } {
    const p = predictProba(this.model, text);
    const ranking = topK(p, this.model.labels, RANKING_SIZE);
    const top = ranking[0]!;
    if (top.intent === OUT_OF_SCOPE) return { intent: OUT_OF_SCOPE, confidence: top.confidence, ranking };
    if (top.confidence < this.threshold) return { intent: OUT_OF_SCOPE, confidence: 1 - top.confidence, ranking };
    return { intent: top.intent, confidence: top.confidence, ranking };
  }

  predict(text: string, options: ClassifyOptions = {}): Prediction {
    const entities = extractEntities(text, { lang: options.lang, today: options.today });
    return { ...this.intentOf(text), entities };
  }

  async classify(text: string, options?: ClassifyOptions): Promise<Prediction> {
    return this.predict(text, options);
  }
}

function topK(p: Float64Array, labels: readonly string[], k: number): RankedIntent[] {
  const order = Array.from(p.keys()).sort((a, b) => p[b]! - p[a]! || a - b);
  return order.slice(0, k).map((i) => ({ intent: labels[i]!, confidence: p[i]! }));
}
