/**
 * Every flow, in English and in Spanish: a typical first message starts the flow of its intent, and
 * the assistant answers in the chat's language. The per-area files test each flow in depth; this one
 * makes sure no intent is missing a flow or a translation.
 */
import { describe, expect, it } from 'vitest';
import type { Language } from '@carechat/protocol';
import { CATALOG_INTENTS, type IntentId } from '../intents.js';
import { detectLanguage } from '../nlu/language.js';
import { useChatHarness } from './testing.js';
import type { PersonaName } from '../../../test/chat-harness.js';

const h = useChatHarness();

/** One first message per intent and language, as a cardmember would type it. */
const FIRST: Partial<Record<IntentId, Record<Language, string>>> = {
  'card.lost_stolen': { en: 'I lost my credit card', es: 'perdí mi tarjeta de crédito' },
  'card.damaged': { en: 'my card is cracked and the chip is broken', es: 'mi tarjeta está rota y el chip no funciona' },
  'card.delivery': { en: 'where is my replacement card', es: '¿dónde está mi tarjeta de reemplazo?' },
  'card.activate': { en: 'I need to activate my new card', es: 'necesito activar mi tarjeta nueva' },
  'card.lock': { en: 'please freeze my card for now', es: 'quiero bloquear mi tarjeta temporalmente' },
  'card.unlock': { en: 'unlock my card please', es: 'desbloquear mi tarjeta por favor' },
  'card.declined': { en: 'why was my card declined', es: '¿por qué rechazaron mi tarjeta?' },
  'card.expiration': { en: 'when does my card expire', es: '¿cuándo vence mi tarjeta?' },
  'card.pin': { en: 'how do I change my PIN', es: '¿cómo cambio el PIN de mi tarjeta?' },
  'card.wallet': { en: 'is my card in Apple Pay', es: '¿mi tarjeta está en Apple Pay?' },
  'payment.due_date': { en: 'when is my payment due', es: '¿cuándo es la fecha de pago?' },
  'payment.change_due_date': { en: 'can I change my due date', es: 'quiero cambiar mi fecha de pago' },
  'payment.minimum': { en: "what's my minimum payment", es: '¿cuál es mi pago mínimo?' },
  'payment.balance': { en: 'how much do I owe on my card', es: '¿cuánto debo en mi tarjeta?' },
  'payment.make': { en: 'I want to pay my card bill', es: 'quiero hacer un pago a mi tarjeta' },
  'payment.posting': { en: "my payment hasn't posted yet", es: 'mi pago todavía no aparece' },
  'fee.late': { en: 'I was charged a late fee', es: 'me cobraron un cargo por pago tardío' },
  'fee.foreign': { en: 'do you charge foreign transaction fees', es: '¿cobran comisión por compras en el extranjero?' },
  'transactions.recent': { en: 'show my recent transactions', es: 'muéstrame mis compras recientes' },
  'dispute.start': { en: 'I want to dispute a charge', es: 'quiero disputar un cargo' },
  'dispute.status': { en: "what's the status of my dispute", es: '¿cómo va mi disputa?' },
  'fraud.report': {
    en: 'someone is using my card right now, there are charges I did not make',
    es: 'alguien está usando mi tarjeta ahora mismo, hay cargos que no hice',
  },
  'rewards.balance': { en: 'how many points do I have', es: '¿cuántos puntos tengo?' },
  'rewards.redeem': { en: 'I want to pay with points', es: 'quiero pagar con puntos' },
  'rewards.benefits': { en: 'what benefits does my card have', es: '¿qué beneficios tiene mi tarjeta?' },
  'account.authorized_user': { en: 'add an authorized user to my account', es: 'quiero agregar un usuario autorizado' },
  'account.update_contact': { en: 'change my email address', es: 'quiero cambiar mi correo electrónico' },
  'account.preferences': { en: 'turn on paperless statements', es: 'quiero estados de cuenta sin papel' },
  'credit.limit': { en: "what's my credit limit", es: '¿cuál es mi límite de crédito?' },
  'credit.limit_increase': { en: 'I want a credit limit increase', es: 'quiero un aumento de límite de crédito' },
  'credit.apr': { en: "what's my APR", es: '¿cuál es la tasa de interés de mi tarjeta?' },
  'credit.product': { en: 'can I upgrade to a different card', es: '¿puedo cambiar a otra tarjeta mejor?' },
  'travel.booking': { en: 'book a hotel in Lisbon', es: 'quiero reservar un hotel en Lisboa' },
  'travel.itinerary': { en: 'show my trip itinerary', es: 'muéstrame el itinerario de mi viaje' },
  'travel.protection': { en: 'my flight was delayed, am I covered', es: 'mi vuelo se retrasó, ¿estoy cubierto?' },
  'travel.notification': { en: "I'm travelling abroad next month", es: 'voy a viajar al extranjero el mes que viene' },
  'complaint.file': { en: 'I want to file a formal complaint', es: 'quiero poner una queja formal' },
  'case.reference': { en: "what's my reference number", es: '¿cuál es mi número de referencia?' },
  'conversation.summary': { en: 'send me a summary of this chat', es: 'mándeme un resumen de este chat' },
  'faq.hours': { en: 'is chat available 24/7', es: '¿el chat está disponible las 24 horas?' },
  'faq.contact': { en: "what's your phone number", es: '¿cuál es su número de teléfono?' },
  'faq.is_bot': { en: 'am I talking to a bot', es: '¿estoy hablando con un robot?' },
  greeting: { en: 'hello', es: 'hola' },
  thanks: { en: 'thank you so much', es: 'muchas gracias' },
  goodbye: { en: 'bye, have a nice day', es: 'adiós, que tenga buen día' },
};

/** Intents the manager handles itself, or that move the chat between languages. */
const ELSEWHERE = new Set<string>([
  'agent.request',
  'agent.supervisor',
  'language.spanish',
  'language.english',
  'out_of_scope',
]);

/** A persona whose accounts have something for the intent (rewards, trips...). */
const personaFor = (intent: IntentId): PersonaName =>
  intent.startsWith('travel.') || intent.startsWith('rewards.')
    ? 'leo'
    : intent === 'card.activate'
      ? 'ellen'
      : 'grace';

describe('every catalog intent has a flow in both languages', () => {
  it('lists a first message for every catalog intent with a flow', () => {
    const missing = CATALOG_INTENTS.filter((i) => !ELSEWHERE.has(i) && !FIRST[i]);
    expect(missing).toEqual([]);
  });

  for (const [intent, texts] of Object.entries(FIRST) as Array<[IntentId, Record<Language, string>]>) {
    for (const lang of ['en', 'es'] as const) {
      it(`${intent} (${lang})`, async () => {
        const chat = await h.open(personaFor(intent), { language: lang });
        const turn = await chat.say(texts[lang]);
        const state = await h.app.store.db
          .selectFrom('assistant_states')
          .select('state')
          .where('conversation_id', '=', chat.conversationId)
          .executeTakeFirstOrThrow();
        expect((JSON.parse(state.state) as { topics: string[] }).topics, texts[lang]).toContain(intent);
        expect(turn.replies.length).toBeGreaterThan(0);
        // Every reply of the turn is in the chat's language (short ones like "$12.00" say nothing).
        for (const reply of turn.replies) {
          const guess = detectLanguage(reply);
          if (guess.confidence >= 0.6) expect(guess.lang, reply).toBe(lang);
        }
        expect((await chat.row()).language).toBe(lang);
      });
    }
  }
});
