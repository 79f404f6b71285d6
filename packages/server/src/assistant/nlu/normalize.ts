/**
 * Text normalisation shared by training and prediction. Cardmembers type without accents, with
 * curly or missing apostrophes, in any case and with stray punctuation ("¿¿cuando vence mi tarjeta??"),
 * so all of that is folded away before features are taken: "Don’t" and "dont", "año" and "ano" meet.
 */

/** Lower case, no diacritics, no apostrophes, digits folded to 0, punctuation to spaces; words joined by one space. */
export function normalize(text: string): string {
  return (
    text
      .normalize('NFKD')
      // Combining marks are what NFKD split off accented letters ("é" -> "e" + U+0301).
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      // Apostrophes inside words go away entirely, so "don't", "don’t" and "dont" are one token.
      .replace(/['’‘`´]/g, '')
      // Amounts, dates and last-4s vary endlessly; their shape is what carries meaning.
      .replace(/\p{Nd}/gu, '0')
      .replace(/[^\p{L}0]+/gu, ' ')
      .trim()
  );
}

export function tokenize(text: string): string[] {
  const normal = normalize(text);
  return normal ? normal.split(' ') : [];
}
