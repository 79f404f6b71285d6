import type { WidgetSessionResponse } from '@carechat/protocol/client';
import { describe, expect, it } from 'vitest';
import {
  accommodationErrorText,
  accommodationStrings,
  accommodationT,
  charsLeft,
  checkNote,
  createAccommodationApi,
  MAX_NOTE_CHARS,
  savedStatus,
  type AccommodationApi,
} from './accommodation.js';
import { ApiError, type Api } from './api.js';
import { ChatController } from './controller.js';
import { buildConversation, buildMessage, FakeClock, FakeSocket, MemoryStorage } from './test-support.js';

const flush = () => new Promise((r) => setTimeout(r, 0));
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('accommodation HTTP client', () => {
  it('reads and saves with the bearer token, on the conversation’s own path', async () => {
    const seen: Array<{ url: string; init: RequestInit }> = [];
    const api = createAccommodationApi({ serverUrl: 'https://chat.test/' }, async (url, init) => {
      seen.push({ url: String(url), init: init ?? {} });
      return json(200, { note: 'More time, please', redactedTypes: [] });
    });
    expect(await api.get('sess', 'conv 1')).toEqual({ note: 'More time, please', redactedTypes: [] });
    expect(seen[0]!.url).toBe('https://chat.test/api/widget/conversations/conv%201/accommodation');
    expect(seen[0]!.init.method ?? 'GET').toBe('GET');
    expect(seen[0]!.init.headers).toMatchObject({ authorization: 'Bearer sess' });

    await api.save('sess', 'conv 1', 'More time, please', true);
    expect(seen[1]!.init.method).toBe('PUT');
    expect(seen[1]!.init.headers).toMatchObject({ authorization: 'Bearer sess', 'content-type': 'application/json' });
    expect(JSON.parse(String(seen[1]!.init.body))).toEqual({ note: 'More time, please', saveForFuture: true });
  });

  it('turns an empty note into null and failures into ApiError codes', async () => {
    const answering = (r: () => Response | Promise<Response>) =>
      createAccommodationApi({ serverUrl: 'https://chat.test/' }, async () => r());
    expect(await answering(() => json(200, { note: '', redactedTypes: [] })).get('s', 'c')).toEqual({
      note: null,
      redactedTypes: [],
    });
    const fail = (r: () => Response | Promise<Response>) =>
      answering(r)
        .save('s', 'c', 'x', false)
        .catch((e: unknown) => e);
    expect(await fail(() => json(404, { error: { code: 'conversation_not_found', message: 'x' } }))).toMatchObject({
      code: 'conversation_not_found',
      status: 404,
    });
    expect(await fail(() => new Response('<html>bad gateway</html>', { status: 502 }))).toMatchObject({
      code: 'internal',
      status: 502,
    });
    expect(await fail(() => new Response('nope', { status: 401 }))).toMatchObject({ code: 'unauthorized' });
    const offline = await fail(() => {
      throw new TypeError('fetch failed');
    });
    expect(offline).toBeInstanceOf(ApiError);
    expect(offline).toMatchObject({ code: 'network' });
  });
});

describe('accommodation note checks and wording', () => {
  it('allows up to 300 characters after trimming, and empty (which removes it)', () => {
    expect(MAX_NOTE_CHARS).toBe(300);
    expect(checkNote('')).toBeNull();
    expect(checkNote('x'.repeat(300))).toBeNull();
    expect(checkNote(`  ${'x'.repeat(300)}  `)).toBeNull();
    expect(checkNote('x'.repeat(301))).toBe('too_long');
    expect(charsLeft('  abc  ')).toBe(297);
    expect(charsLeft('x'.repeat(305))).toBe(-5);
  });

  it('has every string in English and Spanish, with the same placeholders, really translated', () => {
    const en = accommodationStrings.en;
    const es = accommodationStrings.es;
    expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort());
    const holes = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const k of Object.keys(en) as Array<keyof typeof en>) {
      expect(en[k].trim(), k).not.toBe('');
      expect(holes(es[k]), k).toEqual(holes(en[k]));
      expect(es[k], k).not.toBe(en[k]);
    }
    expect(accommodationT('en')('open')).toBe('Need an accommodation?');
    expect(accommodationT('en')('hint')).toBe(
      'Tell us how we can help — e.g. more time, shorter messages, screen reader.',
    );
    expect(accommodationT('es')('open')).toBe('¿Necesita una adaptación?');
  });

  it('announces what happened: saved, saved for the future, removed, and redaction', () => {
    const t = accommodationT('en');
    expect(savedStatus(t, { note: 'x', redactedTypes: [] }, false)).toBe(
      'Saved. The agent will see your accommodation.',
    );
    expect(savedStatus(t, { note: 'x', redactedTypes: [] }, true)).toMatch(/future chats/);
    expect(savedStatus(t, { note: null, redactedTypes: [] }, false)).toBe('Accommodation removed.');
    expect(savedStatus(t, { note: 'x', redactedTypes: ['card_number'] }, false)).toMatch(/removed sensitive details/);
    expect(accommodationErrorText(t, 'too_long')).toBe('Please shorten it to 300 characters or fewer.');
    expect(accommodationErrorText(t, 'conversation_closed')).toMatch(/ended/);
    expect(accommodationErrorText(t, 'network')).toMatch(/connection/);
    expect(accommodationErrorText(t, 'something_else')).toBe("We couldn't save that. Please try again.");
  });
});

describe('ChatController accommodation calls', () => {
  function setup(accommodation?: AccommodationApi) {
    const calls: string[] = [];
    let n = 0;
    const session = (): WidgetSessionResponse => ({
      sessionToken: `sess_${++n}`,
      expiresAt: 'x',
      cardmember: { id: 'cm_1', firstName: 'Maria', language: 'en' },
      conversation: buildConversation(),
      messages: [buildMessage(1)],
    });
    const api: Api = {
      siteToken: async () => 'jwt',
      createSession: async () => session(),
      newConversation: async () => ({ conversation: buildConversation(), messages: [] }),
      endConversation: async () => ({}),
      endSession: async () => ({ conversation: null }),
      transcript: async () => '',
      messagesAfter: async () => [],
    };
    const controller = new ChatController({
      config: {
        tokenUrl: 'https://bank.test/token',
        cardId: 'card_1',
        lang: 'en',
        bankName: null,
        serverUrl: 'https://chat.test/',
      },
      api,
      createSocket: (url, protocols) => new FakeSocket(url, protocols),
      storage: new MemoryStorage(),
      saveFile: () => undefined,
      timers: new FakeClock(),
      accommodation,
    });
    return { controller, calls };
  }

  it('is offered only when the API is wired in', () => {
    expect(setup().controller.canNoteAccommodation).toBe(false);
  });

  it('uses the session token, and refreshes an expired session once before retrying', async () => {
    const calls: string[] = [];
    const t = setup({
      get: async (token, id) => {
        calls.push(`get:${token}:${id}`);
        return { note: 'Screen reader', redactedTypes: [] };
      },
      save: async (token, id, note, future) => {
        calls.push(`save:${token}:${id}:${note}:${future}`);
        if (token === 'sess_1') throw new ApiError('session_expired', 401);
        return { note, redactedTypes: [] };
      },
    });
    expect(t.controller.canNoteAccommodation).toBe(true);
    t.controller.open();
    await flush();
    expect(await t.controller.loadAccommodation('conv_1')).toEqual({ note: 'Screen reader', redactedTypes: [] });
    expect(await t.controller.saveAccommodation('conv_1', 'More time', true)).toEqual({
      note: 'More time',
      redactedTypes: [],
    });
    expect(calls).toEqual([
      'get:sess_1:conv_1',
      'save:sess_1:conv_1:More time:true',
      'save:sess_2:conv_1:More time:true',
    ]);
  });

  it('passes other failures on to the form', async () => {
    const t = setup({
      get: async () => ({ note: null, redactedTypes: [] }),
      save: async () => {
        throw new ApiError('conversation_closed', 409);
      },
    });
    t.controller.open();
    await flush();
    await expect(t.controller.saveAccommodation('conv_1', 'x', false)).rejects.toMatchObject({
      code: 'conversation_closed',
    });
  });
});
