/**
 * Features of a message: word unigrams and bigrams plus character n-grams taken inside each word
 * (fastText-style, the word padded with `<` and `>`). Words carry phrasing ("credit limit" vs
 * "limit increase"); character n-grams carry typos, inflections and Spanish/English cognates
 * ("tarjeta"/"tarjetas", "cancelled"/"canceled"). Each block is TF-IDF weighted (sublinear tf, smooth
 * idf), L2-normalised on its own and scaled, so neither block drowns the other whatever the length.
 */
import { tokenize } from './normalize.js';

export interface FeatureOptions {
  /** Character n-gram lengths inside words, inclusive. */
  charMin: number;
  charMax: number;
  /** Block weights after per-block L2 normalisation. */
  wordWeight: number;
  charWeight: number;
  /** Features seen in fewer training texts are dropped: they cannot generalise and bloat the model. */
  minDf: number;
}

export const DEFAULT_FEATURES: FeatureOptions = { charMin: 2, charMax: 5, wordWeight: 1, charWeight: 1, minDf: 1 };

/** A sparse row: feature indices (ascending not required) with their weights. */
export interface SparseVector {
  idx: Int32Array;
  val: Float32Array;
}

/**
 * Calls `word` for each word unigram and bigram and `char` for each character n-gram of a text.
 * Callbacks rather than a list of prefixed keys: prediction looks each string up once, without
 * building another string for it.
 */
function visitFeatures(
  text: string,
  options: FeatureOptions,
  word: (key: string) => void,
  char: (key: string) => void,
): void {
  const tokens = tokenize(text);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    word(token);
    if (i > 0) word(`${tokens[i - 1]} ${token}`);
    const padded = `<${token}>`;
    for (let n = options.charMin; n <= options.charMax; n++) {
      for (let start = 0; start + n <= padded.length; start++) char(padded.slice(start, start + n));
    }
  }
}

// Stored keys carry their block, so one list of strings describes the whole vocabulary.
const WORD_PREFIX = 'w ';
const CHAR_PREFIX = 'c ';

export class Vectorizer {
  private constructor(
    readonly options: FeatureOptions,
    /** Word unigram or bigram -> column. */
    private readonly words: Map<string, number>,
    /** Character n-gram -> column. */
    private readonly chars: Map<string, number>,
    readonly idf: Float32Array,
  ) {}

  get size(): number {
    return this.idf.length;
  }

  /** Every feature key (block prefix + feature) in column order: what the model file stores. */
  keys(): string[] {
    const keys = new Array<string>(this.size);
    for (const [key, column] of this.words) keys[column] = WORD_PREFIX + key;
    for (const [key, column] of this.chars) keys[column] = CHAR_PREFIX + key;
    return keys;
  }

  /** The vocabulary and idf of a training set. Columns are in first-seen order, so fitting is deterministic. */
  static fit(texts: readonly string[], options: FeatureOptions): Vectorizer {
    const df = new Map<string, number>();
    for (const text of texts) {
      const seen = new Set<string>();
      visitFeatures(
        text,
        options,
        (key) => seen.add(WORD_PREFIX + key),
        (key) => seen.add(CHAR_PREFIX + key),
      );
      for (const key of seen) df.set(key, (df.get(key) ?? 0) + 1);
    }
    const keys: string[] = [];
    const idf: number[] = [];
    for (const [key, count] of df) {
      if (count < options.minDf) continue;
      keys.push(key);
      idf.push(Math.log((1 + texts.length) / (1 + count)) + 1);
    }
    return Vectorizer.restore(options, keys, Float32Array.from(idf));
  }

  /** Rebuilds a vectorizer from stored parts (see model.ts); `keys[i]` is column i. */
  static restore(options: FeatureOptions, keys: readonly string[], idf: Float32Array): Vectorizer {
    const words = new Map<string, number>();
    const chars = new Map<string, number>();
    keys.forEach((key, column) => (key.startsWith(WORD_PREFIX) ? words : chars).set(key.slice(2), column));
    return new Vectorizer(options, words, chars, idf);
  }

  transform(text: string): SparseVector {
    const wordCounts = new Map<number, number>();
    const charCounts = new Map<number, number>();
    visitFeatures(
      text,
      this.options,
      (key) => {
        const column = this.words.get(key);
        if (column !== undefined) wordCounts.set(column, (wordCounts.get(column) ?? 0) + 1);
      },
      (key) => {
        const column = this.chars.get(key);
        if (column !== undefined) charCounts.set(column, (charCounts.get(column) ?? 0) + 1);
      },
    );
    const n = wordCounts.size + charCounts.size;
    const idx = new Int32Array(n);
    const raw = new Float64Array(n);
    const val = new Float32Array(n);
    let i = 0;
    const block = (counts: Map<number, number>, weight: number) => {
      const start = i;
      let norm = 0;
      for (const [column, count] of counts) {
        const v = (1 + Math.log(count)) * this.idf[column]!;
        idx[i] = column;
        raw[i++] = v;
        norm += v * v;
      }
      const scale = norm > 0 ? weight / Math.sqrt(norm) : 0;
      for (let j = start; j < i; j++) val[j] = raw[j]! * scale;
    };
    block(wordCounts, this.options.wordWeight);
    block(charCounts, this.options.charWeight);
    return { idx, val };
  }
}
