/**
 * Translation tables. Every user-visible string goes through `translator(table, lang)`; each part
 * (widget, console, site, server notices) owns its table and must provide every key in both languages,
 * which the type `Table<K>` enforces at compile time.
 */
import type { Language } from './wire.js';

export type Strings<K extends string> = Record<K, string>;
export type Table<K extends string> = Record<Language, Strings<K>>;

/** Returns `t(key, params)` that fills `{name}` placeholders; unknown params stay visible. */
export function translator<K extends string>(table: Table<K>, lang: Language) {
  const strings = table[lang] ?? table.en;
  return (key: K, params: Record<string, string | number> = {}): string =>
    (strings[key] ?? table.en[key] ?? key).replace(/\{(\w+)\}/g, (m, p: string) =>
      p in params ? String(params[p]) : m,
    );
}

/** Narrows any string to a supported language, defaulting to English. */
export function toLanguage(value: string | null | undefined): Language {
  return value?.toLowerCase().startsWith('es') ? 'es' : 'en';
}

/** Human-readable duration for wait estimates ("about 4 minutes"). */
export function formatWait(seconds: number, lang: Language): string {
  const minutes = Math.max(1, Math.round(seconds / 60));
  if (lang === 'es') return minutes === 1 ? 'alrededor de 1 minuto' : `alrededor de ${minutes} minutos`;
  return minutes === 1 ? 'about 1 minute' : `about ${minutes} minutes`;
}

type SystemKey =
  | 'conversation.queued'
  | 'agent.joined'
  | 'agent.left'
  | 'conversation.closed_by_agent'
  | 'conversation.closed_by_cardmember'
  | 'conversation.closed_by_system'
  | 'conversation.transferred'
  | 'conversation.escalated'
  | 'agent.conference_joined'
  | 'supervisor.joined'
  | 'handoff.language'
  | 'assistant.unavailable';

/** Notices the server stores as system messages; clients may re-render them in the viewer's language. */
export const systemStrings: Table<SystemKey> = {
  en: {
    'conversation.queued': 'You are in the queue for the {team} team. An agent will join shortly.',
    'agent.joined': '{name} joined the chat.',
    'agent.left': '{name} left the chat.',
    'conversation.closed_by_agent': '{name} ended the chat.',
    'conversation.closed_by_cardmember': 'You ended the chat.',
    'conversation.closed_by_system': 'This chat was closed.',
    'conversation.transferred':
      'You are being transferred to the {team} team. Everything you have written stays with the chat.',
    'conversation.escalated': 'A supervisor has been asked to join the chat.',
    'agent.conference_joined': '{name} joined the chat to help.',
    'supervisor.joined': '{name}, a supervisor, joined the chat.',
    'handoff.language': 'One moment: we are connecting you with an agent who speaks {language}.',
    'assistant.unavailable':
      'Sorry, the assistant could not answer your last message. Please send it again, or ask for an agent.',
  },
  es: {
    'conversation.queued': 'Está en la fila del equipo {team}. Un agente se unirá en breve.',
    'agent.joined': '{name} se unió al chat.',
    'agent.left': '{name} salió del chat.',
    'conversation.closed_by_agent': '{name} finalizó el chat.',
    'conversation.closed_by_cardmember': 'Usted finalizó el chat.',
    'conversation.closed_by_system': 'Este chat se cerró.',
    'conversation.transferred': 'Le estamos transfiriendo al equipo {team}. Todo lo que escribió sigue en el chat.',
    'conversation.escalated': 'Se pidió a un supervisor que se una al chat.',
    'agent.conference_joined': '{name} se unió al chat para ayudar.',
    'supervisor.joined': '{name}, supervisor, se unió al chat.',
    'handoff.language': 'Un momento: le estamos conectando con un agente que habla {language}.',
    'assistant.unavailable':
      'Lo sentimos, el asistente no pudo responder a su último mensaje. Envíelo de nuevo o pida hablar con un agente.',
  },
};
