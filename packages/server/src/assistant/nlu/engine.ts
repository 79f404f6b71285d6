/**
 * The NLU seam. Flows only see `NluEngine`; the shipped engine is a linear model trained ahead of
 * time on the project's corpus (`linear-engine.ts`), and an operator may plug in another one (for
 * example an OpenAI-compatible model endpoint) without touching flows.
 */
import type { Language } from '@carechat/protocol';

export type EntityType =
  /** Money: value in integer cents. "$45.20", "45 dollars", "45,20 dólares". */
  | 'amount'
  /** A calendar day: value `YYYY-MM-DD`, resolved against "today". "March 3", "tomorrow", "el 15 de mayo". */
  | 'date'
  /** A day of the month for due dates: value 1..31. "the 15th", "el día 20". */
  | 'day_of_month'
  /** The last 4 digits of a card: value "1005". "ending in 1005", "terminada en 1005". */
  | 'card_last4'
  /** A merchant name as written: value the name. "at Amazon", "from Delta", "en Walmart". */
  | 'merchant'
  /** A language named in the text: value "en" | "es". */
  | 'language'
  /** A plain count or choice number: value a number. "the second one", "2". */
  | 'number'
  /** Points: value integer points. "5,000 points". */
  | 'points';

export interface Entity {
  type: EntityType;
  /** The matched span of the input, as written. */
  text: string;
  start: number;
  end: number;
  value: string | number;
}

export interface RankedIntent {
  intent: string;
  confidence: number;
}

export interface Prediction {
  /** A catalog id, an extra id (`affirm`...), or `out_of_scope` when the engine is unsure. */
  intent: string;
  /** 0..1 */
  confidence: number;
  entities: Entity[];
  /** Best first; at most 5. The top entry may differ from `intent` when it was rejected as unsure. */
  ranking: RankedIntent[];
}

export interface ClassifyOptions {
  /** The conversation's language, when known; engines may use it, entities use it for dates. */
  lang?: Language;
  /** "Today" for relative dates, `YYYY-MM-DD`; defaults to the system clock. */
  today?: string;
}

export interface NluEngine {
  readonly name: string;
  classify(text: string, options?: ClassifyOptions): Promise<Prediction>;
}
