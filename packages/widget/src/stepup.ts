/**
 * Step-up verification in the widget: the HTTP calls (device prompt, last-4 + ZIP challenge, state)
 * and the small view state the StepUp component renders. The challenge answers go over HTTP, never
 * as chat text, and are never kept after the request.
 */
import type { ConversationView, StepUpResponse } from '@carechat/protocol/client';
import { ApiError } from './api.js';
import type { WidgetConfig } from './config.js';

/** A failed step-up call, with what the server said about attempts and lockout. */
export class StepUpError extends ApiError {
  constructor(
    code: string,
    status: number,
    readonly attemptsLeft: number | null = null,
    readonly lockedUntil: string | null = null,
  ) {
    super(code, status);
    this.name = 'StepUpError';
  }
}

export interface StepUpApi {
  state(sessionToken: string, conversationId: string): Promise<StepUpResponse>;
  requestDevicePrompt(sessionToken: string, conversationId: string): Promise<StepUpResponse>;
  answerChallenge(sessionToken: string, conversationId: string, last4: string, zip: string): Promise<StepUpResponse>;
}

/** The step-up part of the widget's view state (the assurance itself lives on the conversation). */
export interface StepUpState {
  /** The panel was opened by the cardmember (it also shows on its own while a prompt is pending). */
  open: boolean;
  /** Which way the cardmember chose: a prompt on their device, or the card + ZIP questions. */
  mode: 'device' | 'challenge';
  busy: boolean;
  /** The last failure: a code the component translates, with attempts left / lock end when known. */
  error: { code: string; attemptsLeft: number | null; lockedUntil: string | null } | null;
  /** Demo only: where the cardmember can approve the pending prompt. */
  demoDeviceUrl: string | null;
}

export const initialStepUp: StepUpState = {
  open: false,
  mode: 'device',
  busy: false,
  error: null,
  demoDeviceUrl: null,
};

/** True while the conversation holds a step-up that has not lapsed. */
export function isVerified(c: ConversationView | null, now: number): boolean {
  const a = c?.assurance;
  return !!a && a.level === 'verified' && !!a.expiresAt && Date.parse(a.expiresAt) > now;
}

/** The device prompt still waiting for an answer, if any. */
export function pendingPrompt(c: ConversationView | null, now: number) {
  const p = c?.assurance?.prompt;
  return p && p.status === 'pending' && Date.parse(p.expiresAt) > now ? p : null;
}

/** The widget's step-up HTTP client for one configuration. */
export function createStepUpApi(
  config: Pick<WidgetConfig, 'serverUrl'>,
  fetchFn: typeof fetch = (...a) => globalThis.fetch(...a),
): StepUpApi {
  const url = (id: string, tail = '') =>
    new URL(`api/widget/conversations/${encodeURIComponent(id)}/stepup${tail}`, config.serverUrl).href;

  async function call(token: string, href: string, body?: unknown): Promise<StepUpResponse> {
    let res: Response;
    try {
      res = await fetchFn(href, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new StepUpError('network', 0);
    }
    let data: unknown = null;
    try {
      data = await res.json();
    } catch {
      // not JSON: the status decides below
    }
    if (res.ok && data) {
      const r = data as StepUpResponse;
      // The server names the demo device page by path; the widget may run on another origin.
      return r.demoDeviceUrl ? { ...r, demoDeviceUrl: new URL(r.demoDeviceUrl, config.serverUrl).href } : r;
    }
    const error = (data as { error?: { code?: unknown; details?: Record<string, unknown> } } | null)?.error;
    const code = typeof error?.code === 'string' ? error.code : res.status === 401 ? 'unauthorized' : 'internal';
    const details = error?.details ?? {};
    throw new StepUpError(
      code,
      res.status,
      typeof details.attemptsLeft === 'number' ? details.attemptsLeft : null,
      typeof details.lockedUntil === 'string' ? details.lockedUntil : null,
    );
  }

  return {
    state: (token, id) => call(token, url(id)),
    requestDevicePrompt: (token, id) => call(token, url(id), { method: 'device' }),
    answerChallenge: (token, id, last4, zip) => call(token, url(id, '/challenge'), { last4, zip }),
  };
}
