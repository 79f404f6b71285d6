/**
 * A tiny hand-written corpus for the engine's unit tests: small enough to train in milliseconds,
 * distinct enough that a working classifier must get it right.
 */
import type { Example } from './train.js';

const LINES: Record<string, string[]> = {
  'card.lost_stolen': [
    'i lost my card',
    'my card was stolen',
    'someone stole my wallet with my card',
    'cannot find my credit card anywhere',
    'perdí mi tarjeta',
    'me robaron la tarjeta',
  ],
  'payment.due_date': [
    'when is my payment due',
    'what day is my bill due',
    'due date for my payment',
    'when do i have to pay my bill',
    'cuándo vence mi pago',
    'fecha de vencimiento del pago',
  ],
  'rewards.balance': [
    'how many points do i have',
    'what is my rewards balance',
    'points balance please',
    'check my reward points',
    'cuántos puntos tengo',
    'saldo de mis puntos',
  ],
  greeting: ['hello', 'hi there', 'good morning', 'hey', 'hola', 'buenos días'],
  out_of_scope: [
    'what is the weather tomorrow',
    'tell me a joke',
    'how do i cook pasta',
    'who won the game last night',
    'play some music',
    'qué tiempo hace mañana',
  ],
};

export const TINY_CORPUS: Example[] = Object.entries(LINES).flatMap(([intent, texts]) =>
  texts.map((text) => ({ text, intent })),
);

/** Fast settings for tests; the defaults are tuned for corpora a thousand times larger. */
export const TINY_TRAINING = { softmax: { epochs: 10, learningRate: 1, l2: 1e-5, dropout: 0.3, seed: 7 } };
