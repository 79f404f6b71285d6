/**
 * HTTP calls: the host site's token endpoint and the carechat widget API. Every failure becomes an
 * `ApiError` with a stable code (the server's `error.code`, or `network` / `internal` / `signin_required`),
 * which the UI translates; raw responses and tokens are never logged.
 */
import type {
  ConversationView,
  Message,
  WidgetConversationResponse,
  WidgetSessionResponse,
} from '@carechat/protocol/client';
import type { WidgetConfig } from './config.js';

export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
  ) {
    super(code);
    this.name = 'ApiError';
  }
}

/** Codes that mean the session token is no longer accepted. */
export function isAuthError(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 'unauthorized' || error.code === 'session_expired');
}

export interface Api {
  siteToken(): Promise<string>;
  createSession(siteToken: string): Promise<WidgetSessionResponse>;
  newConversation(sessionToken: string): Promise<WidgetConversationResponse>;
  endConversation(sessionToken: string, conversationId: string): Promise<Partial<WidgetConversationResponse>>;
  /** Ends the open chat and revokes the session everywhere (`POST /api/widget/session/end`). */
  endSession(sessionToken: string): Promise<{ conversation: ConversationView | null }>;
  transcript(sessionToken: string, conversationId: string): Promise<string>;
  messagesAfter(sessionToken: string, conversationId: string, after: number): Promise<Message[]>;
}

type Fetch = typeof fetch;

async function request(fetchFn: Fetch, url: string, init: RequestInit, fallback = 'internal'): Promise<Response> {
  let res: Response;
  try {
    res = await fetchFn(url, init);
  } catch {
    throw new ApiError('network', 0);
  }
  if (res.ok) return res;
  let code = res.status === 401 ? 'unauthorized' : res.status === 429 ? 'rate_limited' : fallback;
  try {
    const body = (await res.json()) as { error?: { code?: unknown } };
    if (typeof body?.error?.code === 'string') code = body.error.code;
  } catch {
    // Not JSON (a proxy's error page): keep the status-based code.
  }
  throw new ApiError(code, res.status);
}

async function json<T>(res: Response): Promise<T> {
  try {
    return (await res.json()) as T;
  } catch {
    throw new ApiError('internal', res.status);
  }
}

/** The widget's HTTP client for one configuration. */
export function createApi(config: WidgetConfig, fetchFn: Fetch = (...a) => globalThis.fetch(...a)): Api {
  const api = (path: string) => new URL(path, config.serverUrl).href;
  const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
  const conv = (id: string) => `api/widget/conversations/${encodeURIComponent(id)}`;

  return {
    async siteToken() {
      let res: Response;
      try {
        res = await request(
          fetchFn,
          config.tokenUrl,
          {
            method: 'POST',
            credentials: 'same-origin',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ cardId: config.cardId }),
          },
          'internal',
        );
      } catch (e) {
        // The host site refusing to sign means the cardmember's site login is gone.
        if (e instanceof ApiError && (e.status === 401 || e.status === 403))
          throw new ApiError('signin_required', e.status);
        throw e;
      }
      const body = await json<{ token?: unknown }>(res);
      if (typeof body.token !== 'string' || !body.token) throw new ApiError('signin_required', res.status);
      return body.token;
    },

    async createSession(token) {
      const res = await request(fetchFn, api('api/widget/session'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token }),
      });
      return json<WidgetSessionResponse>(res);
    },

    async newConversation(sessionToken) {
      const res = await request(fetchFn, api('api/widget/conversations'), {
        method: 'POST',
        headers: { ...bearer(sessionToken), 'content-type': 'application/json' },
        body: '{}',
      });
      return json<WidgetConversationResponse>(res);
    },

    async endConversation(sessionToken, id) {
      const res = await request(fetchFn, api(`${conv(id)}/end`), {
        method: 'POST',
        headers: { ...bearer(sessionToken), 'content-type': 'application/json' },
        body: '{}',
      });
      return res.status === 204 ? {} : json<Partial<WidgetConversationResponse>>(res).catch(() => ({}));
    },

    async endSession(sessionToken) {
      const res = await request(fetchFn, api('api/widget/session/end'), {
        method: 'POST',
        headers: { ...bearer(sessionToken), 'content-type': 'application/json' },
        body: '{}',
      });
      const body = await json<{ conversation?: ConversationView | null }>(res).catch(() => ({}) as never);
      return { conversation: body?.conversation ?? null };
    },

    async transcript(sessionToken, id) {
      const res = await request(fetchFn, api(`${conv(id)}/transcript`), { headers: bearer(sessionToken) });
      return res.text();
    },

    async messagesAfter(sessionToken, id, after) {
      const res = await request(fetchFn, api(`${conv(id)}/messages?after=${after}`), { headers: bearer(sessionToken) });
      const body = await json<Message[] | { messages?: Message[] }>(res);
      return Array.isArray(body) ? body : (body.messages ?? []);
    },
  };
}
