/**
 * Building blocks for the entity patterns. They are case-insensitive but not in Unicode mode: V8 runs a
 * `/iu` pattern several times slower than an `/i` one (Unicode case folding at every step), and these
 * run on every message. So letters are spelled out as Latin ranges (all of Spanish and English,
 * accented letters included) instead of `\p{L}`.
 */
import type { Entity, EntityType } from './engine.js';

export const LETTER = 'A-Za-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u024F';

/** Start of a word for a pattern that starts with an ASCII letter or digit: the cheap ASCII \b. */
export const B0 = '\\b';
/** Start of a word for a pattern that may start with an accented letter ("últimos"). */
export const W0 = `(?<![${LETTER}0-9_])`;
/** End of a word: accent-aware, since Spanish words end in accented letters ("está", "inglés"). */
export const W1 = `(?![${LETTER}0-9_])`;

export const re = (source: string): RegExp => new RegExp(source, 'gi');

/**
 * Whether a message's words (lower case) include one of `wanted`. Patterns are gated on this: a look in
 * a set costs far less than a regex scan, and most messages hold one entity or none.
 */
export const hasAny = (words: ReadonlySet<string>, wanted: ReadonlySet<string>): boolean => {
  for (const w of words) if (wanted.has(w)) return true;
  return false;
};

/**
 * Every match of a global pattern. `String.prototype.matchAll` clones the pattern on every call, which
 * costs more than the scan itself on a short message; this reuses it (calls never interleave).
 */
export function matches(pattern: RegExp, text: string): RegExpExecArray[] {
  const found: RegExpExecArray[] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    found.push(m);
    if (m[0] === '') pattern.lastIndex++;
  }
  return found;
}

/** The entity a pattern match stands for: its type, the text matched, where, and the value read from it. */
export const entity = (type: EntityType, m: RegExpMatchArray, value: string | number): Entity => ({
  type,
  text: m[0],
  start: m.index!,
  end: m.index! + m[0].length,
  value,
});

/**
 * Nouns that make a number a choice among options ("the 2nd one", "option 3", "la segunda tarjeta"): a
 * choice for the number finder, and for the date finder a sign that "the 2nd" is not a day.
 */
export const CHOICE_NOUN = '(?:one|ones|option|card|charge|transaction|uno|una|opci[oó]n|tarjeta|cargo)';
