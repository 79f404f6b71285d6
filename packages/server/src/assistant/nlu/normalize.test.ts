import { describe, expect, it } from 'vitest';
import { normalize, tokenize } from './normalize.js';

describe('normalize', () => {
  it('folds case, accents, apostrophes, digits and punctuation', () => {
    expect(normalize('¿Cuándo VENCE mi tarjeta??')).toBe('cuando vence mi tarjeta');
    expect(normalize('I don’t recognise this $45.20 charge!')).toBe('i dont recognise this 00 00 charge');
    expect(normalize("Don't")).toBe(normalize('dont'));
    expect(normalize('  año\tpasado\n')).toBe('ano pasado');
  });

  it('tokenizes into words, nothing for empty or symbol-only text', () => {
    expect(tokenize('Lost   my card.')).toEqual(['lost', 'my', 'card']);
    expect(tokenize('')).toEqual([]);
    expect(tokenize('?!… 💳')).toEqual([]);
  });

  it('is idempotent', () => {
    const once = normalize('Él perdió 2 tarjetas — ¡ayuda!');
    expect(normalize(once)).toBe(once);
  });
});
