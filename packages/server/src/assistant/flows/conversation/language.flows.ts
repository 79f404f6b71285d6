/**
 * language.spanish / language.english: the conversation switches language (stored on the chat, so
 * later turns and the agent queue use it) and the reply is already in the new language.
 */
import type { Language, Table } from '@carechat/protocol';
import { translator } from '@carechat/protocol';
import { done, type Flow } from '../../dialogue/flow.js';
import type { IntentId } from '../../intents.js';
import { menu } from './menu.js';

type Key = 'switched' | 'already';

const s: Table<Key> = {
  en: {
    switched: "Sure, we'll continue in English. How can I help you?",
    // Worded to also read well right after the automatic switch ("I'll continue in English.").
    already: "We're chatting in English now. How can I help you?",
  },
  es: {
    switched: 'Claro, continuamos en español. ¿En qué puedo ayudarle?',
    already: 'Ya estamos conversando en español. ¿En qué puedo ayudarle?',
  },
};

function switchTo(intent: IntentId, target: Language): Flow {
  return {
    intent,
    async step(ctx) {
      if (ctx.lang === target) return done([{ text: ctx.t(s)('already'), quickReplies: menu(target) }]);
      return done([{ text: translator(s, target)('switched'), quickReplies: menu(target) }], { language: target });
    },
  };
}

export const languageFlows: Flow[] = [switchTo('language.spanish', 'es'), switchTo('language.english', 'en')];
