import type { Assurance } from '@carechat/protocol/client';
import { describe, expect, it } from 'vitest';
import { ApiClient, type FetchLike } from './api.js';
import { assuranceState } from './components/VerifyCustomer.js';
import { Controller } from './controller.js';
import { createStore } from './state.js';
import { buildConversation } from './testing/builders.js';

const NOW = Date.parse('2025-01-01T10:05:00Z');
const at = (ms: number) => new Date(NOW + ms).toISOString();
const assurance = (o: Partial<Assurance> = {}): Assurance => ({
  level: 'session',
  expiresAt: null,
  method: null,
  prompt: null,
  ...o,
});
const prompt = (status: 'pending' | 'approved' | 'denied' | 'expired', expiresAt = at(60_000)) => ({
  id: 'p1',
  status,
  deviceName: 'iPhone 15',
  expiresAt,
  requestedBy: 'agent' as const,
});

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

describe('assuranceState', () => {
  it('reads session, pending, verified, denied and expired, with time lapsing both prompt and verification', () => {
    expect(assuranceState(buildConversation(), NOW)).toBe('session');
    expect(assuranceState(buildConversation({ assurance: assurance() }), NOW)).toBe('session');
    expect(assuranceState(buildConversation({ assurance: assurance({ prompt: prompt('pending') }) }), NOW)).toBe(
      'pending',
    );
    expect(
      assuranceState(buildConversation({ assurance: assurance({ prompt: prompt('pending', at(-1)) }) }), NOW),
    ).toBe('expired');
    expect(assuranceState(buildConversation({ assurance: assurance({ prompt: prompt('denied') }) }), NOW)).toBe(
      'denied',
    );
    const verified = assurance({
      level: 'verified',
      expiresAt: at(60_000),
      method: 'device',
      prompt: prompt('approved'),
    });
    expect(assuranceState(buildConversation({ assurance: verified }), NOW)).toBe('verified');
    expect(assuranceState(buildConversation({ assurance: verified }), NOW + 60_000)).toBe('session');
  });
});

describe('Controller.verifyCustomer', () => {
  function setup(reply: (url: string, init: RequestInit) => Response) {
    const requests: Array<{ url: string; method: string; csrf: string | undefined; body: unknown }> = [];
    const fetchImpl: FetchLike = async (url, init = {}) => {
      const headers = (init.headers ?? {}) as Record<string, string>;
      requests.push({
        url,
        method: init.method ?? 'GET',
        csrf: headers['x-csrf-token'],
        body: init.body ? JSON.parse(String(init.body)) : undefined,
      });
      return reply(url, init);
    };
    const store = createStore();
    const controller = new Controller({
      api: new ApiClient(fetchImpl),
      store,
      createSocket: () => {
        throw new Error('no socket in this test');
      },
    });
    store.dispatch({ type: 'loaded', conversation: buildConversation({ status: 'assigned' }), messages: [] });
    return { controller, store, requests };
  }

  it('posts the device prompt and shows the pending state from the answer', async () => {
    const sent = buildConversation({ status: 'assigned', assurance: assurance({ prompt: prompt('pending') }) });
    const t = setup(() => json(201, { conversation: sent, prompt: sent.assurance!.prompt }));
    expect(await t.controller.verifyCustomer('conv_1')).toBeNull();
    expect(t.requests).toEqual([
      { url: '/api/conversations/conv_1/stepup', method: 'POST', csrf: undefined, body: { method: 'device' } },
    ]);
    expect(t.store.getState().conversations.conv_1!.conversation.assurance?.prompt?.status).toBe('pending');
  });

  it('returns the error code for the button to explain (no registered device)', async () => {
    const t = setup(() => json(409, { error: { code: 'device_unavailable', message: 'No device' } }));
    expect(await t.controller.verifyCustomer('conv_1')).toBe('device_unavailable');
    expect(t.store.getState().conversations.conv_1!.conversation.assurance).toBeUndefined();
  });
});
