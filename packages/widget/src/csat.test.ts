import type { ConversationView, WidgetSessionResponse } from '@carechat/protocol/client';
import { describe, expect, it } from 'vitest';
import { ApiError, type Api } from './api.js';
import { ChatController } from './controller.js';
import {
  alreadyRated,
  commentTooLong,
  createCsatApi,
  csatBody,
  csatStrings,
  csatT,
  MAX_COMMENT_CHARS,
  shouldAskCsat,
  type CsatApi,
} from './csat.js';
import { buildConversation, buildMessage, FakeClock, FakeSocket, MemoryStorage } from './test-support.js';

const flush = () => new Promise((r) => setTimeout(r, 0));
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const handled = (over: Partial<ConversationView> = {}) =>
  buildConversation({ status: 'closed', agent: { id: 'agent_ana', firstName: 'Ana' }, ...over });

describe('CSAT HTTP client', () => {
  it('posts the rating with the session token to the chat it is about', async () => {
    const seen: Array<{ url: string; init: RequestInit }> = [];
    const api = createCsatApi({ serverUrl: 'https://chat.test/' }, async (url, init) => {
      seen.push({ url: String(url), init: init! });
      return json(201, { ok: true });
    });
    await api.submit('sess_1', 'conv 1', { score: 4, comment: 'Quick and kind' });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe('https://chat.test/api/widget/conversations/conv%201/csat');
    expect(seen[0]!.init.method).toBe('POST');
    expect(seen[0]!.init.headers).toMatchObject({ authorization: 'Bearer sess_1', 'content-type': 'application/json' });
    expect(JSON.parse(seen[0]!.init.body as string)).toEqual({ score: 4, comment: 'Quick and kind' });
  });

  it("turns the server's refusals and network failures into ApiErrors", async () => {
    const refuse = (status: number, body: unknown) =>
      createCsatApi({ serverUrl: 'https://chat.test/' }, async () =>
        typeof body === 'string' ? new Response(body, { status }) : json(status, body),
      );
    await expect(
      refuse(409, { error: { code: 'conflict', message: '' } }).submit('s', 'c', { score: 5 }),
    ).rejects.toMatchObject({ code: 'conflict', status: 409 });
    await expect(
      refuse(400, { error: { code: 'bad_request', message: '' } }).submit('s', 'c', { score: 5 }),
    ).rejects.toMatchObject({ code: 'bad_request', status: 400 });
    await expect(refuse(401, 'no').submit('s', 'c', { score: 5 })).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(refuse(502, '<html>').submit('s', 'c', { score: 5 })).rejects.toMatchObject({ code: 'internal' });
    const offline = createCsatApi({ serverUrl: 'https://chat.test/' }, async () => {
      throw new TypeError('failed to fetch');
    });
    await expect(offline.submit('s', 'c', { score: 5 })).rejects.toMatchObject({ code: 'network', status: 0 });
  });
});

describe('when and what to ask', () => {
  it('asks only after a chat an agent handled has ended, once', () => {
    expect(shouldAskCsat(handled(), new Set())).toBe(true);
    expect(shouldAskCsat(handled({ status: 'assigned' }), new Set())).toBe(false);
    expect(shouldAskCsat(handled({ agent: null }), new Set())).toBe(false); // the assistant alone
    expect(shouldAskCsat(handled(), new Set(['conv_1']))).toBe(false);
    expect(shouldAskCsat(null, new Set())).toBe(false);
  });

  it('sends a comment only when there is one, and checks its length as the server does', () => {
    expect(csatBody(5, '   ')).toEqual({ score: 5 });
    expect(csatBody(2, ' Too slow ')).toEqual({ score: 2, comment: 'Too slow' });
    expect(commentTooLong('x'.repeat(MAX_COMMENT_CHARS))).toBe(false);
    expect(commentTooLong(`  ${'x'.repeat(MAX_COMMENT_CHARS)}  `)).toBe(false);
    expect(commentTooLong('x'.repeat(MAX_COMMENT_CHARS + 1))).toBe(true);
    expect(alreadyRated(new ApiError('conflict', 409))).toBe(true);
    expect(alreadyRated(new ApiError('bad_request', 400))).toBe(false);
  });

  it('has every string in English and Spanish, with text labels for each score', () => {
    expect(Object.keys(csatStrings.es).sort()).toEqual(Object.keys(csatStrings.en).sort());
    expect(csatT('en')('question', { agent: 'Ana' })).toBe('How was your chat with Ana?');
    expect(csatT('es')('question', { agent: 'Ana' })).toBe('¿Qué tal fue su chat con Ana?');
    expect([1, 2, 3, 4, 5].map((s) => csatT('en')(`score.${s}` as 'score.1'))).toEqual([
      '1 – Very poor',
      '2 – Poor',
      '3 – Okay',
      '4 – Good',
      '5 – Excellent',
    ]);
    expect(csatT('es')('score.5')).toBe('5 – Excelente');
  });
});

describe('ChatController CSAT', () => {
  function setup(csat: CsatApi, conversation = handled()) {
    let n = 0;
    const session = (): WidgetSessionResponse => ({
      sessionToken: `sess_${++n}`,
      expiresAt: 'x',
      cardmember: { id: 'cm_1', firstName: 'Maria', language: 'en' },
      conversation,
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
    return new ChatController({
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
      csat,
    });
  }

  it('asks for a closed chat an agent handled, sends once with a fresh session if needed, then stops asking', async () => {
    const calls: string[] = [];
    const controller = setup({
      submit: async (token, id, body) => {
        calls.push(`${token}:${id}:${JSON.stringify(body)}`);
        if (token === 'sess_1') throw new ApiError('session_expired', 401);
      },
    });
    expect(controller.askCsat).toBe(false); // no chat loaded yet
    controller.open();
    await flush();
    expect(controller.askCsat).toBe(true);
    await controller.submitCsat('conv_1', 4, ' Thanks Ana ');
    expect(calls).toEqual([
      'sess_1:conv_1:{"score":4,"comment":"Thanks Ana"}',
      'sess_2:conv_1:{"score":4,"comment":"Thanks Ana"}',
    ]);
    expect(controller.askCsat).toBe(false);
  });

  it('takes "already rated" as done, keeps asking after a failure, and stops after Skip', async () => {
    let reply: ApiError | null = new ApiError('internal', 500);
    const controller = setup({
      submit: async () => {
        if (reply) throw reply;
      },
    });
    controller.open();
    await flush();
    await expect(controller.submitCsat('conv_1', 3, '')).rejects.toMatchObject({ status: 500 });
    expect(controller.askCsat).toBe(true);
    reply = new ApiError('conflict', 409);
    await controller.submitCsat('conv_1', 3, '');
    expect(controller.askCsat).toBe(false);

    const other = setup({ submit: async () => undefined });
    other.open();
    await flush();
    other.dismissCsat('conv_1');
    expect(other.askCsat).toBe(false);
  });

  it('does not ask about a chat only the assistant handled', async () => {
    const controller = setup({ submit: async () => undefined }, handled({ agent: null }));
    controller.open();
    await flush();
    expect(controller.askCsat).toBe(false);
  });
});
