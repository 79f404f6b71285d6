/**
 * Which language a short chat message is written in, English or Spanish: enough to notice a Spanish
 * speaker writing in an English chat (the assistant then offers Spanish) and the reverse.
 *
 * Chat messages are too short for character n-gram statistics, so the cues are the ones a person
 * would use: Spanish punctuation and letters (¿ ¡ ñ, accented vowels), and common function words and
 * chat words of each language. Words both languages share ("no", "a", "me") count for neither, and
 * neither do numbers, so "ok" or "1005" come back with confidence 0.
 */
export type Lang = 'en' | 'es';

export interface LanguageGuess {
  lang: Lang;
  /** 0 (no evidence either way) .. 1; below ~0.5 the guess is weak, at 0 it is just the fallback. */
  confidence: number;
}

// Weights: 2 for a word only that language uses in chat, 1 for a common function word that the other
// language lacks but a name or a loanword could bring in ("con", "via", "in").
const SPANISH: Record<string, number> = {};
const ENGLISH: Record<string, number> = {};
const add = (table: Record<string, number>, weight: number, words: string) => {
  for (const w of words.split(/\s+/)) if (w) table[w] = weight;
};
add(
  SPANISH,
  2,
  `el la los las del al que qué en es está están estoy soy son por para pero como cómo cuándo cuando dónde donde
   cuál cual quién porque mi mis su sus tu tus usted ustedes nos le les lo se yo él ella ellos hay muy más
   sí también ya ahora hoy ayer mañana aquí eso esto esta este ese esa una uno unos unas pero sin sobre hasta
   desde entre hola gracias buenos buenas días tardes noches favor quiero quisiera necesito puedo puede tengo tiene
   hacer saber ver pagar pago tarjeta tarjetas cuenta cargo cargos saldo fecha límite crédito ayuda ayudar
   hablar persona agente español inglés bien mal cobro cobraron compra perdí robaron bloquear desbloquear
   cancelar cambiar dinero puntos viaje vuelo seguro correo dirección teléfono número dígitos mes semana
   cuanto cuánto cuánta cuanta debo debe deben hablas habla hablo espanol ingles veces vez dos tres fue era
   estaba tenía tenia hice hizo otra otro nueva nuevo todavía todavia aún llegó llego recibí recibi envié
   perdí perdi perdió perdio disputa fraude reconozco bueno vale claro adiós adios disculpe perdón perdon
   señor señora gustaría gustaria podría podria pueden quién quien mío mía`,
);
add(SPANISH, 1, `de con te un y o son`);
add(
  ENGLISH,
  2,
  `the and is are was were be been to of for on with at by from this that these those it its i i'm im i've
   you your my we our they their he she what when where why how which who can could would should will
   do does did don't dont can't cant won't isn't not have has had get got want need please thanks thank hi
   hello hey card cards account payment pay balance charge charged fee fees help talk speak agent person
   human someone english spanish there here just about my yes yeah lost stolen locked limit due date
   statement points travel trip dispute fraud an if so but or up out all any good morning afternoon evening
   bye goodbye cancel lock unlock new old received sent paid missing wrong twice again still already`,
);
add(ENGLISH, 1, `in`);

// Spanish-only letters and punctuation are the strongest cue short messages have.
const SPANISH_MARKS = /[ñ¿¡]/giu;
const ACCENTED = /[áéíóú]/giu;
const WORD = /[\p{L}']+/gu;

/**
 * Guesses the language of a short message. `fallback` is what comes back, with confidence 0, when
 * nothing in the text tells.
 */
export function detectLanguage(text: string, fallback: Lang = 'en'): LanguageGuess {
  const lower = text.toLowerCase().replace(/[’‘`]/g, "'");
  let es = 2 * Math.min(3, lower.match(SPANISH_MARKS)?.length ?? 0) + Math.min(2, lower.match(ACCENTED)?.length ?? 0);
  let en = 0;
  for (const [word] of lower.matchAll(WORD)) {
    es += SPANISH[word] ?? 0;
    en += ENGLISH[word] ?? 0;
    // English contractions and -ing forms ("what's", "charging") have no Spanish look-alikes.
    if (/'(?:s|t|m|re|ve|ll|d)$/.test(word) || /[a-z]{3,}ing$/.test(word)) en += 1;
    // "-ción" nouns and "-ado/-ida" participles ("rechazada", "cobrado", "recibido").
    if (/ci[oó]n(?:es)?$/.test(word) || /..(?:ad|id)[oa]s?$/.test(word)) es += 1;
  }
  if (es === en) return { lang: fallback, confidence: 0 };
  const margin = Math.abs(es - en);
  // The more the cues agree, the surer: one strong word gives ~0.5, three or more well over 0.8.
  const confidence = Math.round((1 - Math.exp(-margin / 3)) * (margin / (es + en)) * 100) / 100;
  return { lang: es > en ? 'es' : 'en', confidence };
}
