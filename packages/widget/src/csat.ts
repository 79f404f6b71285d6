/**
 * Post-chat satisfaction (CSAT) in the widget: after a chat an agent handled ends, "How was your chat
 * with <agent>?" — a 1–5 rating with text labels and an optional comment. The HTTP call, when to ask,
 * the comment's check and the strings; components/Csat.tsx lays it out. The server redacts the
 * comment, accepts one response per chat (409 on a second) and refuses a score outside 1–5 (400).
 */
import { translator, type ConversationView, type Language, type Table } from '@carechat/protocol/client';
import { ApiError } from './api.js';
import type { WidgetConfig } from './config.js';

export const SCORES = [1, 2, 3, 4, 5] as const;
export type Score = (typeof SCORES)[number];
export const MAX_COMMENT_CHARS = 1000;

export interface CsatApi {
  submit(sessionToken: string, conversationId: string, body: { score: Score; comment?: string }): Promise<void>;
}

type Fetch = typeof fetch;

export function createCsatApi(
  config: Pick<WidgetConfig, 'serverUrl'>,
  fetchFn: Fetch = (...a) => globalThis.fetch(...a),
): CsatApi {
  return {
    async submit(token, id, body) {
      const url = new URL(`api/widget/conversations/${encodeURIComponent(id)}/csat`, config.serverUrl).href;
      let res: Response;
      try {
        res = await fetchFn(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      } catch {
        throw new ApiError('network', 0);
      }
      if (res.ok) return;
      let code: unknown;
      try {
        code = ((await res.json()) as { error?: { code?: unknown } } | null)?.error?.code;
      } catch {
        // Not JSON: the status decides.
      }
      throw new ApiError(
        typeof code === 'string' ? code : res.status === 401 ? 'unauthorized' : 'internal',
        res.status,
      );
    },
  };
}

/** Ask once a chat an agent handled has ended (and the cardmember has not answered or skipped yet). */
export function shouldAskCsat(c: ConversationView | null, answered: ReadonlySet<string>): c is ConversationView {
  return !!c && c.status === 'closed' && !!c.agent && !answered.has(c.id);
}

/** The body to send: the score, and the comment only when there is one. */
export function csatBody(score: Score, comment: string): { score: Score; comment?: string } {
  const text = comment.trim();
  return text ? { score, comment: text } : { score };
}

export const commentTooLong = (comment: string): boolean => comment.trim().length > MAX_COMMENT_CHARS;

/** A refusal that still means "we have your rating" (already rated): thank instead of an error. */
export const alreadyRated = (e: unknown): boolean => e instanceof ApiError && e.status === 409;

type Key =
  | 'question'
  | 'question.noName'
  | 'score.1'
  | 'score.2'
  | 'score.3'
  | 'score.4'
  | 'score.5'
  | 'comment'
  | 'commentHint'
  | 'send'
  | 'sending'
  | 'skip'
  | 'thanks'
  | 'chooseScore'
  | 'tooLong'
  | 'error';

const strings: Table<Key> = {
  en: {
    question: 'How was your chat with {agent}?',
    'question.noName': 'How was your chat with our agent?',
    'score.1': '1 – Very poor',
    'score.2': '2 – Poor',
    'score.3': '3 – Okay',
    'score.4': '4 – Good',
    'score.5': '5 – Excellent',
    comment: 'Anything you would like to add? (optional)',
    commentHint: 'Please do not include card numbers or other personal details.',
    send: 'Send',
    sending: 'Sending…',
    skip: 'Skip',
    thanks: 'Thank you for your feedback.',
    chooseScore: 'Please choose a rating from 1 to 5, or skip.',
    tooLong: 'Your comment is too long: please keep it under {max} characters.',
    error: "We couldn't send your rating. Please try again.",
  },
  es: {
    question: '¿Qué tal fue su chat con {agent}?',
    'question.noName': '¿Qué tal fue su chat con nuestro agente?',
    'score.1': '1 – Muy malo',
    'score.2': '2 – Malo',
    'score.3': '3 – Regular',
    'score.4': '4 – Bueno',
    'score.5': '5 – Excelente',
    comment: '¿Algo más que quiera agregar? (opcional)',
    commentHint: 'Por favor, no incluya números de tarjeta ni otros datos personales.',
    send: 'Enviar',
    sending: 'Enviando…',
    skip: 'Omitir',
    thanks: 'Gracias por su opinión.',
    chooseScore: 'Elija una calificación del 1 al 5, u omita la encuesta.',
    tooLong: 'Su comentario es demasiado largo: no supere los {max} caracteres.',
    error: 'No pudimos enviar su calificación. Inténtelo de nuevo.',
  },
};

export type CsatT = (key: Key, params?: Record<string, string | number>) => string;

export function csatT(lang: Language): CsatT {
  return translator(strings, lang);
}

export { strings as csatStrings };
