/**
 * Questions about the service itself: hours, how to reach the issuer, whether this is a bot, what the
 * issuer never asks for, and what the assistant can do. The facts (numbers, hours, addresses) live in
 * the knowledge base, so a flow picks the article that fits the question and sends it as written.
 */
import type { Table } from '@carechat/protocol';
import { translator } from '@carechat/protocol';
import { common } from '../../dialogue/common.strings.js';
import { done, say, type Flow, type FlowContext } from '../../dialogue/flow.js';
import { fold } from '../../dialogue/slots.js';
import type { ArticleId } from '../../knowledge/article.js';
import { knowledgeBase } from '../../knowledge/knowledge-base.js';
import { menu } from './menu.js';

/** The body of the article among `ids` that best answers the message, or of `fallback`. */
function article(ctx: FlowContext, ids: readonly ArticleId[], fallback: ArticleId): string {
  const kb = knowledgeBase();
  const hit = kb.search(ctx.text, ctx.lang, 5).find((h) => ids.includes(h.id));
  return hit?.body ?? body(ctx, fallback);
}

function body(ctx: FlowContext, id: ArticleId): string {
  const found = knowledgeBase().get(id, ctx.lang);
  if (!found) throw new Error(`knowledge article ${id} is missing`);
  return found.body;
}

// "What are your hours?" is about this chat; only a question that names the phone or a team is about
// those hours (search alone ranks the specialist article first for the bare question).
const ABOUT_PHONE = /\b(call|calling|phone|telephone|llamar|llamo|llamada|telefono|linea)\b/;
// Team names alone ("credit", "business") are not enough: "credit card" and "business hours" say nothing
// about a team.
const ABOUT_TEAMS = /\b(specialists?|teams?|departments?|disputes?|especialistas?|equipos?|departamentos?|disputas?)\b/;

export const faqHours: Flow = {
  intent: 'faq.hours',
  async step(ctx) {
    const f = fold(ctx.text);
    const id: ArticleId = ABOUT_TEAMS.test(f) ? 'specialist-hours' : ABOUT_PHONE.test(f) ? 'phone-hours' : 'chat-hours';
    return say(body(ctx, id));
  },
};

const CONTACT: readonly ArticleId[] = [
  'phone-numbers',
  'mail-payments',
  'mail-correspondence',
  'call-abroad',
  'tty',
  'reach-person',
  'spanish-service',
];

export const faqContact: Flow = {
  intent: 'faq.contact',
  async step(ctx) {
    return say(article(ctx, CONTACT, 'phone-numbers'));
  },
};

type Key = 'is_bot' | 'help' | 'qr.rewards';

const s: Table<Key> = {
  en: {
    is_bot: "I'm Meridian's virtual assistant: an AI program, not a person.",
    help: 'I can lock, replace or activate a card, explain your balance, due date and fees, make a payment, dispute a charge, report fraud, and help with rewards, credit, travel and your contact details. What would you like to do?',
    'qr.rewards': 'Check my rewards',
  },
  es: {
    is_bot: 'Soy el asistente virtual de Meridian: un programa de inteligencia artificial, no una persona.',
    help: 'Puedo bloquear, reemplazar o activar una tarjeta, explicarle su saldo, fecha de pago y cargos, hacer un pago, disputar un cargo, reportar un fraude y ayudarle con recompensas, crédito, viajes y sus datos de contacto. ¿Qué desea hacer?',
    'qr.rewards': 'Consultar mis puntos',
  },
};

export const faqIsBot: Flow = {
  intent: 'faq.is_bot',
  async step(ctx) {
    const c = translator(common, ctx.lang);
    // How to reach a person comes from the knowledge base: it quotes the phone numbers.
    return done([{ text: `${ctx.t(s)('is_bot')} ${body(ctx, 'reach-person')}`, quickReplies: [c('qr.agent')] }]);
  },
};

export const faqSecurity: Flow = {
  intent: 'faq.security',
  async step(ctx) {
    return say(article(ctx, ['never-ask', 'suspicious-contact', 'privacy'], 'never-ask'));
  },
};

export const help: Flow = {
  intent: 'help',
  async step(ctx) {
    const t = ctx.t(s);
    const c = translator(common, ctx.lang);
    return done([{ text: t('help'), quickReplies: [...menu(ctx.lang), t('qr.rewards'), c('qr.agent')] }]);
  },
};
