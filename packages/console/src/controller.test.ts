import { describe, expect, it } from 'vitest';
import type { ConversationView, CustomerContextResponse, Message } from '@carechat/protocol';
import { ApiClient, type FetchLike } from './api.js';
import { CONTEXT_REFRESH_DEBOUNCE_MS, Controller } from './controller.js';
import { ConsoleSocket } from './socket.js';
import { createStore } from './state.js';
import { buildAgent, buildConversation, buildCustomerContext, buildMessage } from './testing/builders.js';
import { FakeSocket, FakeTimers, welcome } from './testing/fakes.js';

const agent = buildAgent({ status: 'offline' });
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const flush = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
};

/** A tiny in-memory server behind fetch, plus the real store, socket client and controller. */
function setup() {
  const server = {
    signedIn: false,
    /** Wrong codes the current challenge still takes; like the server, 5 and then it is burnt. */
    attemptsLeft: 5,
    waiting: [buildConversation()] as ConversationView[],
    mine: [] as ConversationView[],
    acceptStatus: 200,
    messages: [
      buildMessage({ seq: 1, author: { role: 'assistant', id: null, name: 'Assistant' }, body: 'Hi Maria' }),
      buildMessage({ seq: 2, body: 'I need a person' }),
    ] as Message[],
    requests: [] as string[],
    enroll: null as { secret: string; otpauthUri: string } | null,
    locked: false,
    codesSent: [] as string[],
    statusLog: [] as string[],
    statusFails: false,
    /** What GET .../context answers; `replies` are used first, one per request. */
    context: { status: 200, body: buildCustomerContext() as unknown, delayMs: 0 },
    contextReplies: [] as Array<{ status: number; body: unknown; delayMs: number }>,
  };
  const fetchImpl: FetchLike = async (url, init = {}) => {
    const method = init.method ?? 'GET';
    server.requests.push(`${method} ${url}`);
    const session = { agent, csrfToken: 'csrf-1', expiresAt: '' };
    if (url === '/api/auth/me')
      return server.signedIn ? json(200, session) : json(401, { error: { code: 'unauthorized', message: '' } });
    if (url === '/api/auth/login') {
      const body = JSON.parse(init.body as string) as { password: string };
      if (body.password !== 'right') return json(401, { error: { code: 'invalid_credentials', message: '' } });
      server.attemptsLeft = 5;
      const enrollment = server.enroll ? { enrollment: server.enroll } : {};
      return json(200, { mfaRequired: true, challenge: 'challenge-1', expiresAt: '', ...enrollment });
    }
    if (url === '/api/auth/login/totp') {
      const body = JSON.parse(init.body as string) as { challenge: string; code: string };
      server.codesSent.push(body.code);
      if (server.locked) return json(423, { error: { code: 'account_locked', message: '' } });
      if (body.challenge !== 'challenge-1' || server.attemptsLeft === 0)
        return json(401, { error: { code: 'challenge_expired', message: '' } });
      if (body.code !== '123456') {
        server.attemptsLeft--;
        return json(401, {
          error: { code: 'invalid_code', message: '', details: { attemptsLeft: server.attemptsLeft } },
        });
      }
      server.signedIn = true;
      return json(200, session);
    }
    if (!server.signedIn) return json(401, { error: { code: 'unauthorized', message: '' } });
    if (url === '/api/conversations?view=waiting') return json(200, { conversations: server.waiting });
    if (url === '/api/conversations?view=mine') return json(200, { conversations: server.mine });
    if (url === '/api/conversations/conv_1/accept') {
      if (server.acceptStatus === 409) return json(409, { error: { code: 'conversation_not_waiting', message: '' } });
      const conversation = buildConversation({
        status: 'assigned',
        agent: { id: agent.id, firstName: 'Ana' },
        lastSeq: 2,
      });
      server.waiting = [];
      server.mine = [conversation];
      return json(200, { conversation, messages: server.messages });
    }
    if (url === '/api/conversations/conv_1')
      return json(200, { conversation: server.mine[0] ?? buildConversation(), messages: server.messages });
    if (url === '/api/conversations/conv_1/context') {
      const reply = server.contextReplies.shift() ?? server.context;
      if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      return json(reply.status, reply.body);
    }
    if (url === '/api/auth/logout') return new Response(null, { status: 204 });
    if (url === '/api/agent/status') {
      const { status } = JSON.parse(init.body as string) as { status: string };
      server.statusLog.push(`start ${status}`);
      await new Promise((r) => setTimeout(r, 5));
      if (server.statusFails) return json(500, { error: { code: 'internal', message: '' } });
      server.statusLog.push(`end ${status}`);
      return json(200, { agent: { ...agent, status } });
    }
    return json(404, { error: { code: 'not_found', message: '' } });
  };

  const timers = new FakeTimers();
  const sockets: FakeSocket[] = [];
  const store = createStore();
  const api = new ApiClient(fetchImpl);
  let n = 0;
  const controller = new Controller({
    api,
    store,
    timers,
    now: () => Date.parse('2025-01-01T10:05:00Z'),
    createSocket: (on, checkSession) =>
      new ConsoleSocket({
        url: 'ws://test/ws',
        on,
        checkSession,
        timers,
        newId: () => `cmid-000${++n}`,
        createSocket: (url, protocols) => {
          const s = new FakeSocket(url, protocols);
          sockets.push(s);
          return s;
        },
      }),
  });
  const ws = () => sockets[sockets.length - 1]!;
  return { server, store, controller, ws, sockets, timers };
}

/** Both sign-in steps, as the console does them: password, then the authenticator code. */
async function signIn(controller: Controller, code = '123456') {
  const step = await controller.login('ana@example.test', 'right');
  if (!step || typeof step !== 'object') throw new Error(`expected the code step, got ${String(step)}`);
  return controller.loginCode(step.challenge, code);
}

describe('Controller', () => {
  it('shows sign-in when there is no session, and a translated error for bad credentials', async () => {
    const { controller, store } = setup();
    await controller.boot();
    expect(store.getState().screen).toBe('signin');
    expect(await controller.login('ana@example.test', 'wrong')).toBe('error.invalid_credentials');
    expect(await controller.login('', '')).toBe('signin.missing');
    expect(store.getState().screen).toBe('signin');
  });

  it('signs in in two steps: the password gives a code step, only the right code opens the workspace', async () => {
    const { controller, store, server } = setup();
    await controller.boot();
    const step = await controller.login(' ana@example.test ', 'right');
    expect(step).toEqual({ challenge: 'challenge-1', enrollment: null });
    expect(store.getState().screen).toBe('signin');
    expect(server.signedIn).toBe(false);

    // Not six digits: said at once, nothing sent.
    for (const bad of ['', '12345', '12a456', '1234567']) {
      expect(await controller.loginCode('challenge-1', bad)).toEqual({ error: 'signin.codeMissing', restart: false });
    }
    expect(server.codesSent).toEqual([]);
    expect(await controller.loginCode('challenge-1', '000000')).toEqual({
      error: 'error.invalid_code',
      restart: false,
    });
    expect(store.getState().screen).toBe('signin');
    // Typed as apps show it; sent without the space.
    expect(await controller.loginCode('challenge-1', '123 456')).toBeNull();
    expect(server.codesSent).toEqual(['000000', '123456']);
    expect(store.getState().screen).toBe('workspace');
  });

  it('sends the agent back to the password after the last wrong code, an expired challenge or a lockout', async () => {
    const { controller, server } = setup();
    await controller.boot();
    await controller.login('ana@example.test', 'right');
    for (let i = 0; i < 4; i++) {
      expect(await controller.loginCode('challenge-1', '000000')).toEqual({
        error: 'error.invalid_code',
        restart: false,
      });
    }
    expect(await controller.loginCode('challenge-1', '000000')).toEqual({ error: 'signin.codeTooMany', restart: true });
    expect(await controller.loginCode('challenge-1', '123456')).toEqual({
      error: 'error.challenge_expired',
      restart: true,
    });
    server.locked = true;
    await controller.login('ana@example.test', 'right');
    expect(await controller.loginCode('challenge-1', '123456')).toEqual({
      error: 'error.account_locked',
      restart: true,
    });
  });

  it('passes the setup key and link through on a first sign-in', async () => {
    const { controller, server } = setup();
    server.enroll = { secret: 'JBSWY3DPEHPK3PXP', otpauthUri: 'otpauth://totp/carechat:ana?secret=JBSWY3DPEHPK3PXP' };
    await controller.boot();
    expect(await controller.login('ana@example.test', 'right')).toEqual({
      challenge: 'challenge-1',
      enrollment: server.enroll,
    });
  });

  it('signs in, loads both lists, accepts a chat, follows it over the socket and sends a reply', async () => {
    const { controller, store, ws, server } = setup();
    await controller.boot();
    expect(await signIn(controller)).toBeNull();
    await flush();
    let s = store.getState();
    expect(s.screen).toBe('workspace');
    expect(s.waiting.map((c) => c.id)).toEqual(['conv_1']);
    expect(server.requests).toContain('GET /api/conversations?view=mine');

    ws().open();
    ws().receive(welcome());
    expect(await controller.accept('conv_1')).toBe(true);
    s = store.getState();
    expect(s.activeId).toBe('conv_1');
    expect(s.conversations.conv_1!.messages.map((m) => m.seq)).toEqual([1, 2]);
    expect(ws().framesOfType('subscribe')).toEqual([{ type: 'subscribe', conversationId: 'conv_1', lastSeq: 2 }]);

    expect(controller.send('conv_1', '  Hello Maria  ')).toBeNull();
    const sent = ws().framesOfType('send');
    expect(sent).toEqual([{ type: 'send', conversationId: 'conv_1', clientMsgId: 'cmid-0001', body: 'Hello Maria' }]);
    expect(store.getState().conversations.conv_1!.pending.map((p) => p.body)).toEqual(['Hello Maria']);

    ws().receive({
      type: 'ack',
      conversationId: 'conv_1',
      clientMsgId: 'cmid-0001',
      seq: 3,
      messageId: 'm3',
      duplicate: false,
      body: 'Hello Maria',
      createdAt: '2025-01-01T10:05:00Z',
    });
    const entry = store.getState().conversations.conv_1!;
    expect(entry.pending).toEqual([]);
    expect(entry.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('refuses empty and over-long replies without touching the socket', async () => {
    const { controller, ws } = setup();
    await signIn(controller);
    ws().open();
    ws().receive(welcome());
    expect(controller.send('conv_1', '   ')).toBe('wsError.message_empty');
    expect(controller.send('conv_1', 'x'.repeat(4001))).toBe('composer.tooLong');
    expect(ws().framesOfType('send')).toEqual([]);
  });

  it('tells the agent when another agent won the race, and refreshes the lists', async () => {
    const { controller, store, server } = setup();
    await signIn(controller);
    await flush();
    server.acceptStatus = 409;
    server.waiting = [];
    expect(await controller.accept('conv_1')).toBe(false);
    const s = store.getState();
    expect(s.notice?.key).toBe('error.conversation_not_waiting');
    expect(s.waiting).toEqual([]);
    expect(s.activeId).toBeNull();
  });

  it('does not let a slow HTTP list overwrite a newer inbox frame', async () => {
    const { controller, store, ws } = setup();
    await signIn(controller);
    // the frame lands before the HTTP answers are processed
    ws().open();
    ws().receive(welcome());
    ws().receive({ type: 'inbox', waiting: [], mine: [] });
    await flush();
    expect(store.getState().waiting).toEqual([]);
  });

  it('returns to sign-in with "session ended" when the socket closes with 4403', async () => {
    const { controller, store, ws, sockets, timers } = setup();
    await signIn(controller);
    await flush();
    ws().open();
    ws().receive(welcome());
    ws().drop(4403);
    const s = store.getState();
    expect(s.screen).toBe('signin');
    expect(s.signInNotice).toBe('sessionEnded');
    expect(s.waiting).toEqual([]);
    timers.advance(120_000);
    expect(sockets).toHaveLength(1);
  });

  it('sends typing start once while typing and stop after a pause', async () => {
    const { controller, ws, timers } = setup();
    await signIn(controller);
    ws().open();
    ws().receive(welcome());
    controller.typing('conv_1');
    controller.typing('conv_1');
    controller.typing('conv_1');
    expect(ws().framesOfType('typing')).toEqual([{ type: 'typing', conversationId: 'conv_1', state: 'start' }]);
    timers.advance(3_000);
    expect(
      ws()
        .framesOfType('typing')
        .map((f) => f.state),
    ).toEqual(['start', 'stop']);
  });

  it('clears a stale typing indicator', async () => {
    const { controller, store, ws, timers } = setup();
    await signIn(controller);
    await flush();
    ws().open();
    ws().receive(welcome());
    await controller.accept('conv_1');
    ws().receive({
      type: 'typing',
      conversationId: 'conv_1',
      from: { role: 'cardmember', name: 'Maria' },
      state: 'start',
    });
    expect(store.getState().conversations.conv_1!.typing).not.toBeNull();
    timers.advance(8_000);
    expect(store.getState().conversations.conv_1!.typing).toBeNull();
  });

  it('re-reads the lists after a reconnect', async () => {
    const { controller, ws, server, timers } = setup();
    await signIn(controller);
    await flush();
    ws().open();
    ws().receive(welcome());
    const before = server.requests.filter((r) => r.includes('view=waiting')).length;
    ws().drop(1006);
    timers.advance(30_000);
    ws().open();
    ws().receive(welcome());
    await flush();
    expect(server.requests.filter((r) => r.includes('view=waiting')).length).toBe(before + 1);
  });

  it('sends availability changes one at a time and only the latest wish', async () => {
    const { controller, store, server } = setup();
    await signIn(controller);
    // arrowing through the select: offline -> away -> available, faster than the server answers
    const a = controller.setStatus('away');
    const b = controller.setStatus('available');
    expect(store.getState().agent!.status).toBe('available');
    await Promise.all([a, b]);
    expect(server.statusLog).toEqual(['start away', 'end away', 'start available', 'end available']);
    expect(store.getState().agent!.status).toBe('available');
  });

  it('puts the select back and says so when a status change fails', async () => {
    const { controller, store, server } = setup();
    await signIn(controller);
    server.statusFails = true;
    await controller.setStatus('available');
    expect(store.getState().agent!.status).toBe('offline');
    expect(store.getState().notice?.key).toBe('error.status_failed');
  });
});

describe('Controller: customer context', () => {
  const contextCalls = (requests: string[]) => requests.filter((r) => r === 'GET /api/conversations/conv_1/context');
  const err = (status: number, code: string) => ({ status, body: { error: { code, message: '' } }, delayMs: 0 });

  async function accepted() {
    const t = setup();
    await signIn(t.controller);
    await flush();
    t.ws().open();
    t.ws().receive(welcome());
    return t;
  }

  it('loads the context of the chat it accepts, keeping sections the server could not answer', async () => {
    const t = setup();
    t.server.context.body = buildCustomerContext({
      card: null,
      recentTransactions: [],
      unavailable: ['card', 'transactions'],
    });
    await signIn(t.controller);
    await flush();
    expect(await t.controller.accept('conv_1')).toBe(true);
    expect(contextCalls(t.server.requests)).toHaveLength(1);
    const entry = t.store.getState().contexts.conv_1!;
    expect(entry.loading).toBe(false);
    expect(entry.error).toBeNull();
    expect(entry.data?.unavailable).toEqual(['card', 'transactions']);
    expect(entry.data?.cards.map((c) => c.last4)).toEqual(['1005', '2009']);
    // A failing panel is not a failing chat: no notice over the conversation.
    expect(t.store.getState().notice).toBeNull();
  });

  it('reloads the context every time a chat is opened again', async () => {
    const t = await accepted();
    await t.controller.accept('conv_1');
    await t.controller.open('conv_1');
    expect(contextCalls(t.server.requests)).toHaveLength(2);
  });

  it('says "not found" for a 404 and offers a retry that recovers', async () => {
    const t = await accepted();
    t.server.contextReplies.push(err(404, 'conversation_not_found'));
    await t.controller.accept('conv_1');
    expect(t.store.getState().contexts.conv_1).toEqual({ data: null, loading: false, error: 'context.error.notFound' });
    await t.controller.loadContext('conv_1');
    expect(t.store.getState().contexts.conv_1).toMatchObject({ loading: false, error: null });
    expect(t.store.getState().contexts.conv_1!.data?.conversationId).toBe('conv_1');
  });

  it('says "could not be loaded" for a 503, and keeps the last good answer when a refresh fails', async () => {
    const t = await accepted();
    await t.controller.accept('conv_1');
    const good = t.store.getState().contexts.conv_1!.data;
    t.server.contextReplies.push(err(503, 'unavailable'));
    await t.controller.loadContext('conv_1');
    const entry = t.store.getState().contexts.conv_1!;
    expect(entry.error).toBe('context.error.generic');
    expect(entry.data).toBe(good);
    expect(t.store.getState().screen).toBe('workspace');
  });

  it('shows "loading" while a request runs, without dropping what is on screen', async () => {
    const t = await accepted();
    await t.controller.accept('conv_1');
    t.server.contextReplies.push({ status: 200, body: buildCustomerContext(), delayMs: 20 });
    const pending = t.controller.loadContext('conv_1');
    expect(t.store.getState().contexts.conv_1).toMatchObject({ loading: true });
    expect(t.store.getState().contexts.conv_1!.data).not.toBeNull();
    await pending;
    expect(t.store.getState().contexts.conv_1!.loading).toBe(false);
  });

  it('goes back to sign-in when the context answers 401', async () => {
    const t = await accepted();
    t.server.contextReplies.push(err(401, 'unauthorized'));
    await t.controller.accept('conv_1');
    expect(t.store.getState().screen).toBe('signin');
    expect(t.store.getState().signInNotice).toBe('sessionEnded');
  });

  it('applies only the newest answer when requests overlap', async () => {
    const t = await accepted();
    await t.controller.accept('conv_1');
    const older = buildCustomerContext({ unavailable: ['cards'] });
    const newer = buildCustomerContext({ unavailable: [] });
    t.server.contextReplies.push({ status: 200, body: older, delayMs: 30 }, { status: 200, body: newer, delayMs: 0 });
    await Promise.all([t.controller.loadContext('conv_1'), t.controller.loadContext('conv_1')]);
    expect(t.store.getState().contexts.conv_1!.data?.unavailable).toEqual([]);
  });

  it('refreshes once after a burst of conversation frames for the open chat, and not for other chats', async () => {
    const t = await accepted();
    await t.controller.accept('conv_1');
    const before = contextCalls(t.server.requests).length;
    const conversation = buildConversation({ status: 'assigned', agent: { id: agent.id, firstName: 'Ana' } });
    for (let i = 0; i < 3; i++) t.ws().receive({ type: 'conversation', conversation });
    t.ws().receive({ type: 'conversation', conversation: buildConversation({ id: 'conv_2' }) });
    t.timers.advance(CONTEXT_REFRESH_DEBOUNCE_MS - 1);
    await flush();
    expect(contextCalls(t.server.requests)).toHaveLength(before);
    t.timers.advance(1);
    await flush();
    expect(contextCalls(t.server.requests)).toHaveLength(before + 1);
    expect(t.server.requests.filter((r) => r.includes('conv_2/context'))).toEqual([]);
  });

  it('drops a pending refresh when the agent switches to another chat', async () => {
    const t = await accepted();
    await t.controller.accept('conv_1');
    const before = contextCalls(t.server.requests).length;
    t.ws().receive({ type: 'conversation', conversation: buildConversation({ status: 'assigned' }) });
    t.store.dispatch({ type: 'open', conversationId: null });
    t.timers.advance(CONTEXT_REFRESH_DEBOUNCE_MS);
    await flush();
    expect(contextCalls(t.server.requests)).toHaveLength(before);
  });

  it('treats a body that is not JSON like any other failure', async () => {
    const t = await accepted();
    t.server.contextReplies.push({ status: 500, body: 'oops' as unknown as CustomerContextResponse, delayMs: 0 });
    await t.controller.accept('conv_1');
    expect(t.store.getState().contexts.conv_1!.error).toBe('context.error.generic');
  });
});
