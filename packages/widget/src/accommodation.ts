/**
 * Accommodations in the widget: the cardmember tells agents how to help (more time, shorter messages,
 * a screen reader). The HTTP calls, the note's checks and the strings; components/Accommodation.tsx
 * lays it out. The server redacts the note and answers with what it stored, which is what we show.
 */
import {
  MAX_ACCOMMODATION_CHARS,
  translator,
  type AccommodationResponse,
  type Language,
  type Table,
} from '@carechat/protocol/client';
import { ApiError } from './api.js';
import type { WidgetConfig } from './config.js';

export interface AccommodationApi {
  get(sessionToken: string, conversationId: string): Promise<AccommodationResponse>;
  save(
    sessionToken: string,
    conversationId: string,
    note: string,
    saveForFuture: boolean,
  ): Promise<AccommodationResponse>;
}

type Fetch = typeof fetch;

export function createAccommodationApi(
  config: Pick<WidgetConfig, 'serverUrl'>,
  fetchFn: Fetch = (...a) => globalThis.fetch(...a),
): AccommodationApi {
  const url = (id: string) =>
    new URL(`api/widget/conversations/${encodeURIComponent(id)}/accommodation`, config.serverUrl).href;
  const call = async (init: RequestInit & { url: string }): Promise<AccommodationResponse> => {
    let res: Response;
    try {
      res = await fetchFn(init.url, init);
    } catch {
      throw new ApiError('network', 0);
    }
    let body: unknown = null;
    try {
      body = await res.json();
    } catch {
      // Not JSON (a proxy's error page): the status decides below.
    }
    if (!res.ok) {
      const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
      throw new ApiError(
        typeof code === 'string' ? code : res.status === 401 ? 'unauthorized' : 'internal',
        res.status,
      );
    }
    const r = body as Partial<AccommodationResponse> | null;
    return {
      note: typeof r?.note === 'string' && r.note ? r.note : null,
      redactedTypes: Array.isArray(r?.redactedTypes) ? r.redactedTypes : [],
    };
  };
  return {
    get: (token, id) => call({ url: url(id), headers: { authorization: `Bearer ${token}` } }),
    save: (token, id, note, saveForFuture) =>
      call({
        url: url(id),
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ note, saveForFuture }),
      }),
  };
}

export const MAX_NOTE_CHARS = MAX_ACCOMMODATION_CHARS;

/** What is wrong with a draft before it is sent (an empty note is allowed: it removes the accommodation). */
export function checkNote(draft: string): 'too_long' | null {
  return draft.trim().length > MAX_NOTE_CHARS ? 'too_long' : null;
}

/** Characters left (negative when over), counted as the server counts: after trimming. */
export const charsLeft = (draft: string): number => MAX_NOTE_CHARS - draft.trim().length;

type Key =
  | 'open'
  | 'hint'
  | 'title'
  | 'label'
  | 'help'
  | 'left'
  | 'over'
  | 'future'
  | 'save'
  | 'cancel'
  | 'saved'
  | 'change'
  | 'savedStatus'
  | 'savedFutureStatus'
  | 'clearedStatus'
  | 'redacted'
  | 'err.too_long'
  | 'err.closed'
  | 'err.network'
  | 'err.generic';

const strings: Table<Key> = {
  en: {
    open: 'Need an accommodation?',
    hint: 'Tell us how we can help — e.g. more time, shorter messages, screen reader.',
    title: 'Accommodation',
    label: 'How can we help you in this chat? (optional)',
    help: 'For example: more time to reply, shorter messages, I use a screen reader. Up to {max} characters. Leave it empty to remove it.',
    left: '{count} characters left',
    over: '{count} characters too many',
    future: 'Save this for future chats',
    save: 'Save',
    cancel: 'Cancel',
    saved: 'Your accommodation: {note}',
    change: 'Change accommodation',
    savedStatus: 'Saved. The agent will see your accommodation.',
    savedFutureStatus: 'Saved for this chat and future chats. The agent will see your accommodation.',
    clearedStatus: 'Accommodation removed.',
    redacted: 'We removed sensitive details, such as a card number, from what you wrote.',
    'err.too_long': 'Please shorten it to {max} characters or fewer.',
    'err.closed': 'This chat has ended, so the accommodation could not be saved.',
    'err.network': "We couldn't reach the server. Check your connection and try again.",
    'err.generic': "We couldn't save that. Please try again.",
  },
  es: {
    open: '¿Necesita una adaptación?',
    hint: 'Díganos cómo podemos ayudarle — p. ej., más tiempo, mensajes más cortos, lector de pantalla.',
    title: 'Adaptación',
    label: '¿Cómo podemos ayudarle en este chat? (opcional)',
    help: 'Por ejemplo: más tiempo para responder, mensajes más cortos, uso un lector de pantalla. Hasta {max} caracteres. Déjelo vacío para quitarla.',
    left: 'Quedan {count} caracteres',
    over: 'Sobran {count} caracteres',
    future: 'Guardar esto para futuros chats',
    save: 'Guardar',
    cancel: 'Cancelar',
    saved: 'Su adaptación: {note}',
    change: 'Cambiar adaptación',
    savedStatus: 'Guardado. El agente verá su adaptación.',
    savedFutureStatus: 'Guardado para este chat y los futuros. El agente verá su adaptación.',
    clearedStatus: 'Adaptación eliminada.',
    redacted: 'Quitamos datos sensibles, como un número de tarjeta, de lo que escribió.',
    'err.too_long': 'Acórtelo a {max} caracteres o menos.',
    'err.closed': 'Este chat terminó, así que no se pudo guardar la adaptación.',
    'err.network': 'No pudimos conectar con el servidor. Revise su conexión e inténtelo de nuevo.',
    'err.generic': 'No pudimos guardarlo. Inténtelo de nuevo.',
  },
};

export type AccommodationT = (key: Key, params?: Record<string, string | number>) => string;
export const accommodationT = (lang: Language): AccommodationT => translator(strings, lang);
export const accommodationStrings = strings;

/** The sentence for a failed save, in the reader's language. */
export function accommodationErrorText(t: AccommodationT, code: string): string {
  switch (code) {
    case 'too_long':
    case 'bad_request':
      return t('err.too_long', { max: MAX_NOTE_CHARS });
    case 'conversation_closed':
      return t('err.closed');
    case 'network':
      return t('err.network');
    default:
      return t('err.generic');
  }
}

/** What to announce after a save: cleared, saved (for the future too), and whether redaction removed something. */
export function savedStatus(t: AccommodationT, r: AccommodationResponse, saveForFuture: boolean): string {
  const main = r.note === null ? t('clearedStatus') : saveForFuture ? t('savedFutureStatus') : t('savedStatus');
  return r.redactedTypes.length ? `${main} ${t('redacted')}` : main;
}
