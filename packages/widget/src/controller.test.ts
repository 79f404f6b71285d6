import type { WidgetSessionResponse } from '@carechat/protocol/client';
import { describe, expect, it } from 'vitest';
import { ApiError, type Api } from './api.js';
import { ChatController } from './controller.js';
import { buildConversation, buildMessage, FakeClock, FakeSocket, MemoryStorage } from './test-support.js';

const flush = () => new Promise((r) => setTimeout(r, 0));

function session(n: number, overrides: Partial<WidgetSessionResponse> = {}): WidgetSessionResponse {
  return {
    sessionToken: `sess_${n}`,
    expiresAt: 'x',
    cardmember: { id: 'cm_1', firstName: 'Maria', language: 'en' },
    conversation: buildConversation(),
    messages: [buildMessage(1)],
    ...overrides,
  };
}

function setup(sessions: (WidgetSessionResponse | ApiError)[]) {
  const calls: string[] = [];
  const sockets: FakeSocket[] = [];
  const saved: [string, string][] = [];
  /** Runs inside the fake `POST /api/widget/session/end`, before it answers (the server's 4403 can overtake the reply). */
  const hooks: { onEndSession?: () => void; endSessionError?: ApiError } = {};
  let n = 0;
  const clock = new FakeClock();
  const api: Api = {
    siteToken: async () => {
      calls.push('siteToken');
      return `jwt_${n + 1}`;
    },
    createSession: async (token) => {
      calls.push(`createSession:${token}`);
      const next = sessions[n++];
      if (!next || next instanceof ApiError) throw next ?? new ApiError('internal', 500);
      return next;
    },
    newConversation: async (token) => {
      calls.push(`newConversation:${token}`);
      return {
        conversation: buildConversation({ id: 'conv_2' }),
        messages: [buildMessage(1, { conversationId: 'conv_2' })],
      };
    },
    endConversation: async (token, id) => {
      calls.push(`end:${token}:${id}`);
      if (token === 'sess_1') throw new ApiError('session_expired', 401);
      return { conversation: buildConversation({ status: 'closed' }) };
    },
    endSession: async (token) => {
      calls.push(`endSession:${token}`);
      hooks.onEndSession?.();
      if (hooks.endSessionError) throw hooks.endSessionError;
      return { conversation: buildConversation({ status: 'closed' }) };
    },
    transcript: async (token, id) => {
      calls.push(`transcript:${token}:${id}`);
      return 'transcript text';
    },
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
    createSocket: (url, protocols) => {
      const s = new FakeSocket(url, protocols);
      sockets.push(s);
      return s;
    },
    storage: new MemoryStorage(),
    saveFile: (name, text) => saved.push([name, text]),
    timers: clock,
  });
  const handshake = () => {
    const s = sockets[sockets.length - 1]!;
    s.open();
    s.receive({
      type: 'welcome',
      protocol: 1,
      connectionId: 'c',
      identity: { role: 'cardmember', id: 'cm_1', displayName: 'M', language: 'en' },
      heartbeatMs: 25_000,
    });
    s.receive({
      type: 'subscribed',
      conversationId: controller.state.conversation!.id,
      headSeq: controller.state.lastSeq,
      conversation: controller.state.conversation!,
    });
  };
  return { controller, calls, sockets, saved, handshake, hooks, clock };
}

describe('ChatController', () => {
  it('exchanges the site token for a session and connects with the session token', async () => {
    const t = setup([session(1)]);
    t.controller.open();
    await flush();
    expect(t.calls).toEqual(['siteToken', 'createSession:jwt_1']);
    expect(t.controller.state.phase).toBe('ready');
    expect(t.controller.state.messages.map((m) => m.seq)).toEqual([1]);
    expect(t.sockets[0]!.url).toBe('wss://chat.test/ws');
    expect(t.sockets[0]!.protocols).toEqual(['carechat.v1', 'carechat.auth.sess_1']);
  });

  it('shows the session error code and opens no socket', async () => {
    const t = setup([new ApiError('token_expired', 401)]);
    t.controller.open();
    await flush();
    expect(t.controller.state.phase).toBe('error');
    expect(t.controller.state.error).toBe('token_expired');
    expect(t.sockets).toHaveLength(0);
  });

  it('on 4403 gets a fresh session once and reconnects with the new token; a second failure shows the error', async () => {
    const t = setup([session(1), session(2), session(3)]);
    t.controller.open();
    await flush();
    t.sockets[0]!.drop(4403);
    await flush();
    expect(t.calls).toEqual(['siteToken', 'createSession:jwt_1', 'siteToken', 'createSession:jwt_2']);
    expect(t.sockets).toHaveLength(2);
    expect(t.sockets[1]!.protocols).toEqual(['carechat.v1', 'carechat.auth.sess_2']);
    expect(t.controller.state.phase).toBe('ready');
    // Rejected again before ever subscribing: no endless loop, the user sees why.
    t.sockets[1]!.drop(4401);
    await flush();
    expect(t.sockets).toHaveLength(2);
    expect(t.controller.state.phase).toBe('error');
    expect(t.controller.state.error).toBe('session_expired');
  });

  it('allows another refresh after a successful subscribe', async () => {
    const t = setup([session(1), session(2), session(3)]);
    t.controller.open();
    await flush();
    t.sockets[0]!.drop(4403);
    await flush();
    t.handshake();
    t.sockets[1]!.drop(4403);
    await flush();
    expect(t.sockets).toHaveLength(3);
    expect(t.sockets[2]!.protocols[1]).toBe('carechat.auth.sess_3');
  });

  it('refreshes an expired session for HTTP calls and retries them with the new bearer', async () => {
    const t = setup([session(1), session(2)]);
    t.controller.open();
    await flush();
    await t.controller.end();
    expect(t.calls.filter((c) => c.startsWith('end:'))).toEqual(['end:sess_1:conv_1', 'end:sess_2:conv_1']);
    expect(t.controller.state.conversation?.status).toBe('closed');
  });

  it('downloads the transcript under the conversation-specific file name', async () => {
    const t = setup([session(1)]);
    t.controller.open();
    await flush();
    await t.controller.downloadTranscript();
    expect(t.saved).toEqual([['carechat-transcript-conv_1.txt', 'transcript text']]);
  });

  it('starts a new chat and subscribes the same socket to it', async () => {
    const t = setup([session(1, { conversation: buildConversation({ status: 'closed' }) })]);
    t.controller.open();
    await flush();
    t.handshake();
    expect(t.controller.send('hello')).toBe(false); // closed: the box is disabled
    await t.controller.newChat();
    expect(t.controller.state.conversation?.id).toBe('conv_2');
    expect(t.sockets[0]!.sentOfType('subscribe').at(-1)).toEqual({
      type: 'subscribe',
      conversationId: 'conv_2',
      lastSeq: 1,
    });
  });

  it('sends trimmed text and refuses blank messages', async () => {
    const t = setup([session(1)]);
    t.controller.open();
    await flush();
    t.handshake();
    expect(t.controller.send('   ')).toBe(false);
    expect(t.controller.send('  hi there \n')).toBe(true);
    expect(t.sockets[0]!.sentOfType('send').map((f) => f.body)).toEqual(['hi there']);
    expect(t.controller.state.outbox.map((i) => i.body)).toEqual(['hi there']);
  });
  describe('end chat and sign out', () => {
    const creates = (calls: string[]) => calls.filter((c) => c.startsWith('createSession')).length;

    it('signs out with the bearer and never mints a new session, even when the 4403 overtakes the reply', async () => {
      const t = setup([session(1), session(2)]);
      t.controller.open();
      await flush();
      t.handshake();
      t.hooks.onEndSession = () => t.sockets[0]!.drop(4403, 'session_revoked');
      await t.controller.signOut();
      await flush();
      expect(t.calls).toContain('endSession:sess_1');
      expect(creates(t.calls)).toBe(1);
      expect(t.sockets).toHaveLength(1);
      expect(t.controller.state.phase).toBe('signedOut');
      expect(t.controller.state.signedOut).toBe('self');
      expect(t.controller.state.conversation?.status).toBe('closed');
      // Nothing the user can do in the widget starts a session again; only a page reload does.
      t.controller.close();
      t.controller.open();
      await t.controller.start();
      await flush();
      expect(creates(t.calls)).toBe(1);
      expect(t.controller.state.phase).toBe('signedOut');
    });

    it('a socket closed later with session_expired does not re-mint after a sign-out either', async () => {
      const t = setup([session(1), session(2)]);
      t.controller.open();
      await flush();
      t.handshake();
      const socket = t.sockets[0]!;
      const onclose = socket.onclose;
      await t.controller.signOut();
      onclose?.({ code: 4403, reason: 'session_expired' });
      await flush();
      expect(creates(t.calls)).toBe(1);
      expect(t.controller.state.phase).toBe('signedOut');
    });

    it('a failed sign-out says so and keeps the chat usable', async () => {
      const t = setup([session(1)]);
      t.controller.open();
      await flush();
      t.handshake();
      t.hooks.endSessionError = new ApiError('internal', 500);
      await t.controller.signOut();
      expect(t.controller.state.phase).toBe('ready');
      expect(t.controller.state.notice).toBe('signout');
    });

    it('another widget of the same session gets 4403 session_revoked: shows the ended state, no refresh', async () => {
      const t = setup([session(1), session(2)]);
      t.controller.open();
      await flush();
      t.handshake();
      t.sockets[0]!.drop(4403, 'session_revoked');
      await flush();
      expect(creates(t.calls)).toBe(1);
      expect(t.sockets).toHaveLength(1);
      expect(t.controller.state.phase).toBe('signedOut');
      expect(t.controller.state.signedOut).toBe('revoked');
      expect(t.controller.state.announcements.map((a) => a.text)).toContain(
        'This chat session was ended. Reload the page to start again.',
      );
      t.controller.open();
      await flush();
      expect(creates(t.calls)).toBe(1);
    });

    it('a 4403 session_expired (a real expiry) still refreshes once, as before', async () => {
      const t = setup([session(1), session(2)]);
      t.controller.open();
      await flush();
      t.handshake();
      t.sockets[0]!.drop(4403, 'session_expired');
      await flush();
      expect(creates(t.calls)).toBe(2);
      expect(t.controller.state.phase).toBe('ready');
    });
  });

  describe('waiting for an agent', () => {
    const queued = (position: number) =>
      buildConversation({
        status: 'queued',
        teamId: 'general',
        queue: {
          teamId: 'general',
          teamName: 'General',
          position,
          estimatedWaitSeconds: 240,
          agentsAvailable: 1,
          serving: true,
          open: true,
          opensAt: null,
          phone: null,
        },
      });

    it('keeps sending to the assistant while queued, and paces place-in-line announcements with its clock', async () => {
      const t = setup([session(1)]);
      t.controller.open();
      await flush();
      t.handshake();
      const socket = t.sockets[0]!;
      const said = () => t.controller.state.announcements.map((a) => a.text);
      socket.receive({ type: 'conversation', conversation: queued(6) });
      expect(t.controller.send('Meanwhile, what is my balance?')).toBe(true);
      expect(socket.sentOfType('send').map((f) => f.body)).toEqual(['Meanwhile, what is my balance?']);

      t.clock.advance(10_000);
      socket.receive({ type: 'conversation', conversation: queued(5) });
      t.clock.advance(10_000);
      socket.receive({ type: 'conversation', conversation: queued(4) });
      expect(said().filter((x) => x.includes('in line'))).toEqual([
        'You are number 6 in line for the General team. Estimated wait: about 4 minutes.',
      ]);
      // The minute since the first announcement runs out: the newest place is said, once.
      t.clock.advance(40_000);
      expect(said().filter((x) => x.includes('in line'))).toEqual([
        'You are number 6 in line for the General team. Estimated wait: about 4 minutes.',
        'You are number 4 in line for the General team. Estimated wait: about 4 minutes.',
      ]);
      t.clock.advance(120_000);
      expect(said().filter((x) => x.includes('in line'))).toHaveLength(2);
    });

    it('drops the pending announcement when an agent takes the chat first', async () => {
      const t = setup([session(1)]);
      t.controller.open();
      await flush();
      t.handshake();
      const socket = t.sockets[0]!;
      socket.receive({ type: 'conversation', conversation: queued(2) });
      t.clock.advance(1_000);
      socket.receive({ type: 'conversation', conversation: queued(1) });
      socket.receive({
        type: 'conversation',
        conversation: buildConversation({ status: 'assigned', agent: { id: 'a1', firstName: 'Ana' } }),
      });
      t.clock.advance(61_000);
      // (No pongs come from the fake server, so the heartbeat may also report a reconnect.)
      expect(t.controller.state.announcements.map((a) => a.text).filter((x) => x !== 'Reconnecting…')).toEqual([
        'You are number 2 in line for the General team. Estimated wait: about 4 minutes.',
        'Ana is here to help',
      ]);
    });
  });
});

describe('ChatController when the server drains', () => {
  it('moves to a new socket without an error, a notice or a new session', async () => {
    const t = setup([session(1)]);
    t.controller.open();
    await flush();
    t.handshake();
    expect(t.controller.state.connection).toBe('online');
    t.sockets[0]!.receive({ type: 'reconnect', reason: 'draining', retryAfterMs: 700 });
    t.sockets[0]!.drop(1012, 'draining');
    await flush();
    // A status line ("reconnecting"), never the error box.
    expect(t.controller.state.connection).toBe('reconnecting');
    expect(t.controller.state.phase).toBe('ready');
    expect(t.controller.state.error).toBeNull();
    expect(t.controller.state.notice).toBeNull();
    t.clock.advance(700);
    expect(t.sockets).toHaveLength(2);
    expect(t.sockets[1]!.protocols).toEqual(['carechat.v1', 'carechat.auth.sess_1']);
    t.handshake();
    expect(t.controller.state.connection).toBe('online');
    expect(t.calls).toEqual(['siteToken', 'createSession:jwt_1']);
  });
});
