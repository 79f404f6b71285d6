/**
 * Greetings, thanks, goodbyes, and a "yes" or "no" that answers no question (the manager routes a
 * yes/no to the task when one is waiting). Each ends open-ended so the cardmember knows what to do next.
 */
import type { Table } from '@carechat/protocol';
import { done, type Flow, type FlowContext, type Step } from '../../dialogue/flow.js';
import type { IntentId } from '../../intents.js';
import { menu } from './menu.js';

type Key = 'greeting' | 'thanks' | 'goodbye' | 'affirm' | 'deny';

const s: Table<Key> = {
  en: {
    greeting: 'Hi {name}! How can I help you today?',
    thanks: "You're welcome, {name}! Is there anything else I can help with?",
    goodbye:
      'Thank you for chatting with Meridian, {name}. When you\'re finished, select "End chat" to close this conversation. Have a great day!',
    affirm: 'Anything else I can help with?',
    deny: "All right. If there's nothing else, you can select \"End chat\" whenever you're ready. I'm here if you need me.",
  },
  es: {
    greeting: '¡Hola, {name}! ¿En qué puedo ayudarle hoy?',
    thanks: '¡Con gusto, {name}! ¿Hay algo más en lo que pueda ayudarle?',
    goodbye:
      'Gracias por comunicarse con Meridian, {name}. Cuando termine, seleccione "Finalizar chat" para cerrar esta conversación. ¡Que tenga un buen día!',
    affirm: '¿Hay algo más en lo que pueda ayudarle?',
    deny: 'De acuerdo. Si no hay nada más, puede seleccionar "Finalizar chat" cuando quiera. Sigo aquí si me necesita.',
  },
};

/** A one-line answer; `withMenu` adds the usual quick replies and the agent. */
function reply(intent: IntentId & Key, withMenu: boolean): Flow {
  return {
    intent,
    async step(ctx: FlowContext): Promise<Step> {
      const text = ctx.t(s)(intent, { name: ctx.cardmember.firstName });
      const quickReplies = withMenu ? menu(ctx.lang, { agent: true }) : undefined;
      return done([{ text, quickReplies }]);
    },
  };
}

export const smallTalkFlows: Flow[] = [
  reply('greeting', true),
  reply('thanks', false),
  reply('goodbye', false),
  reply('affirm', true),
  reply('deny', false),
];
