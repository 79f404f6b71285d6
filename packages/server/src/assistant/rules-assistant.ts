/**
 * A deliberately small rule-based assistant for the spine: greets, answers a few questions and hands
 * off to a person when asked. The NLU-driven assistant replaces it behind the same interface.
 */
import { formatWait, translator, type Language, type Table } from '@carechat/protocol';
import type { Assistant, AssistantContext, AssistantDecision } from './assistant.js';

type Key =
  | 'greeting'
  | 'greeting.again'
  | 'handoff'
  | 'already_queued'
  | 'hours'
  | 'is_bot'
  | 'thanks'
  | 'goodbye'
  | 'fallback'
  | 'qr.agent'
  | 'qr.hours'
  | 'qr.is_bot';

const strings: Table<Key> = {
  en: {
    greeting:
      "Hi {name}, I'm the virtual assistant for your card ending {last4}. How can I help you today? You can ask for a live agent at any time.",
    'greeting.again': 'Hello again, {name}. What can I help you with?',
    handoff: "I'm connecting you with a live agent on our {team} team. I'll stay here while you wait.",
    already_queued: "You're already in line for an agent: you're number {position}, with an estimated wait of {wait}.",
    hours:
      'Chat with the assistant is available 24/7. Live agents are available 24 hours a day, 7 days a week. You can also call the number on the back of your card.',
    is_bot: 'I\'m a virtual assistant, not a person. If you\'d like to talk to a live agent, just say "agent".',
    thanks: "You're welcome! Is there anything else I can help with?",
    goodbye: 'Thanks for chatting with us. You can end the chat with the "End chat" button.',
    fallback:
      "I'm still learning to help with that here. I can answer questions about chat hours, or connect you with a live agent.",
    'qr.agent': 'Talk to an agent',
    'qr.hours': 'Chat hours',
    'qr.is_bot': 'Am I talking to a person?',
  },
  es: {
    greeting:
      'Hola, {name}. Soy el asistente virtual de su tarjeta terminada en {last4}. ¿En qué puedo ayudarle hoy? Puede pedir un agente en cualquier momento.',
    'greeting.again': 'Hola de nuevo, {name}. ¿En qué puedo ayudarle?',
    handoff: 'Le estoy comunicando con un agente de nuestro equipo {team}. Sigo aquí mientras espera.',
    already_queued: 'Ya está en la fila para un agente: es el número {position}, con una espera estimada de {wait}.',
    hours:
      'El chat con el asistente está disponible las 24 horas. Los agentes atienden las 24 horas, los 7 días de la semana. También puede llamar al número que aparece al reverso de su tarjeta.',
    is_bot: 'Soy un asistente virtual, no una persona. Si desea hablar con un agente, escriba "agente".',
    thanks: '¡De nada! ¿Hay algo más en lo que pueda ayudarle?',
    goodbye: 'Gracias por comunicarse con nosotros. Puede terminar el chat con el botón "Finalizar chat".',
    fallback:
      'Todavía estoy aprendiendo a ayudar con eso aquí. Puedo responder sobre el horario del chat o comunicarle con un agente.',
    'qr.agent': 'Hablar con un agente',
    'qr.hours': 'Horario del chat',
    'qr.is_bot': '¿Hablo con una persona?',
  },
};

const AGENT =
  /\b(live\s+agent|agent|representative|rep|human|real\s+person|person|someone|operator|customer\s+service|agente|representante|humano|persona|asesor|operador(a)?)\b/i;
const HOURS = /\b(hours?|24\s*\/\s*7|open|available|horario|horas|disponible)\b/i;
const IS_BOT =
  /\b(bot|robot|ai|artificial|automated|machine|real\s+person\?|autom[aá]tico|inteligencia\s+artificial)\b/i;
const THANKS = /\b(thanks?|thank\s+you|thx|gracias)\b/i;
const GOODBYE = /\b(bye|goodbye|see\s+you|adi[oó]s|hasta\s+luego)\b/i;
const GREETING = /^\s*(hi|hello|hey|good\s+(morning|afternoon|evening)|hola|buen[oa]s\s+(d[ií]as|tardes|noches))\b/i;

export const TEAM_NAMES: Record<string, Record<Language, string>> = {
  general: { en: 'General', es: 'General' },
};

export class RulesAssistant implements Assistant {
  greet(ctx: Omit<AssistantContext, 'text'>): AssistantDecision {
    const t = translator(strings, ctx.language);
    return {
      replies: [
        {
          text: t('greeting', { name: ctx.cardmemberFirstName, last4: ctx.cardLast4 }),
          quickReplies: [t('qr.agent'), t('qr.hours'), t('qr.is_bot')],
        },
      ],
    };
  }

  async respond(ctx: AssistantContext): Promise<AssistantDecision> {
    const t = translator(strings, ctx.language);
    const text = ctx.text;
    // "Am I talking to a real person?" mentions a person but asks about the bot: check that first.
    if (IS_BOT.test(text) && !/\b(talk|speak|connect|transfer|hablar|comunicar)\b/i.test(text)) {
      return { replies: [{ text: t('is_bot'), quickReplies: [t('qr.agent')] }] };
    }
    if (AGENT.test(text)) {
      if (ctx.status === 'queued' && ctx.queue) {
        return {
          replies: [
            {
              text: t('already_queued', {
                position: ctx.queue.position,
                wait: formatWait(ctx.queue.estimatedWaitSeconds, ctx.language),
              }),
            },
          ],
        };
      }
      const team = TEAM_NAMES.general?.[ctx.language] ?? 'General';
      return { replies: [{ text: t('handoff', { team }) }], handoff: { teamId: 'general', reason: 'agent.request' } };
    }
    if (HOURS.test(text)) return { replies: [{ text: t('hours') }] };
    if (THANKS.test(text)) return { replies: [{ text: t('thanks') }] };
    if (GOODBYE.test(text)) return { replies: [{ text: t('goodbye') }] };
    if (GREETING.test(text)) {
      return {
        replies: [
          {
            text: t('greeting.again', { name: ctx.cardmemberFirstName }),
            quickReplies: [t('qr.agent'), t('qr.hours')],
          },
        ],
      };
    }
    return { replies: [{ text: t('fallback'), quickReplies: [t('qr.agent'), t('qr.hours')] }] };
  }
}
