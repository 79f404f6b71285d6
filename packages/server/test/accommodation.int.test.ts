/**
 * The cardmember notes an accommodation (issue 6), against a real server on SQLite and PostgreSQL:
 * stored redacted on the chat, pushed live to the agent's socket (staff view only), never on the
 * cardmember's own frames, audited, optionally kept on the profile for later chats; owner only.
 * And the open disputes in the agent's customer context panel.
 */
import type { ConversationView, CustomerContextResponse, ServerFrame } from '@carechat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountsError } from '../src/accounts/accounts.port.js';
import type { Assistant } from '../src/assistant/assistant.js';
import {
  dbKind,
  eventually,
  staffLogin,
  startServer,
  storeUnavailable,
  TestSocket,
  widgetSession,
  type TestServer,
} from './helpers.js';

const stores = dbKind === 'postgres' ? (['postgres'] as const) : (['sqlite', 'postgres'] as const);
const unavailable = { sqlite: null, postgres: await storeUnavailable('postgres') };
const SILENT: Assistant = { greet: () => ({ replies: [] }), respond: async () => ({ replies: [] }) };
const MARIA = { sub: 'cm_maria', card: 'card_maria_gold' };
const SAM = { sub: 'cm_sam', card: 'card_sam_blue' };
const OMAR = { sub: 'cm_omar', card: 'card_omar_blue' };

describe.each(stores)('accommodations and open disputes on %s', (kind) => {
  let s: TestServer;
  let ana: Awaited<ReturnType<typeof staffLogin>>;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    if (unavailable[kind]) return;
    s = await startServer({ db: kind, assistant: SILENT, env: { ROUTING_SWEEP_MS: '60000' } });
    ana = await staffLogin(s, 'ana@carechat.test', 'demo-ana-2024');
  }, 60_000);
  afterAll(async () => {
    for (const sock of sockets) sock.terminate();
    await s?.close();
  });

  const db = () => s.app.store.db;

  /** A fresh chat for the card (earlier ones closed), queued to general and taken by Ana. */
  async function anasChat(who: { sub: string; card: string }) {
    await db()
      .updateTable('conversations')
      .set({ status: 'closed', closed_at: new Date().toISOString(), closed_by: 'system' })
      .where('card_id', '=', who.card)
      .where('status', '!=', 'closed')
      .execute();
    const session = await widgetSession(s, who);
    const id = session.conversation.id;
    await s.app.services.conversations.enqueue(id, 'general', 0, 'test');
    expect((await ana.call('POST', `/api/conversations/${id}/accept`)).status).toBe(200);
    return { id, token: session.sessionToken };
  }

  async function widgetCall(token: string, method: string, path: string, body?: unknown) {
    const res = await fetch(`${s.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any = text;
    try {
      json = JSON.parse(text);
    } catch {
      /* text body */
    }
    return { status: res.status, json };
  }
  const put = (token: string, id: string, body: unknown) =>
    widgetCall(token, 'PUT', `/api/widget/conversations/${id}/accommodation`, body);

  async function socket(auth: { sessionToken: string } | { cookie: string }, id: string) {
    const sock = await TestSocket.open(s, auth);
    sockets.push(sock);
    await sock.handshake(id);
    return sock;
  }
  const conversationFrames = (sock: TestSocket) =>
    sock.frames
      .filter((f): f is Extract<ServerFrame, { type: 'conversation' }> => f.type === 'conversation')
      .map((f) => f.conversation);
  const staffView = async (id: string) =>
    (await ana.call('GET', `/api/conversations/${id}`)).json.conversation as ConversationView;

  it('a noted accommodation reaches the agent live, never the cardmember socket, and is audited', async (ctx) => {
    if (unavailable[kind]) return ctx.skip();
    const chat = await anasChat(MARIA);
    const agentSock = await socket({ cookie: ana.cookie }, chat.id);
    const cmSock = await socket({ sessionToken: chat.token }, chat.id);

    const r = await put(chat.token, chat.id, { note: '  I use a screen reader; please send short messages.  ' });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ note: 'I use a screen reader; please send short messages.', redactedTypes: [] });

    const live = await eventually(() =>
      conversationFrames(agentSock).find(
        (c) => c.accommodation === 'I use a screen reader; please send short messages.',
      ),
    );
    expect(live.id).toBe(chat.id);
    expect((await staffView(chat.id)).accommodation).toBe('I use a screen reader; please send short messages.');

    // The cardmember's socket got the update too, stripped of every staff field.
    await eventually(() => conversationFrames(cmSock).length > 0 || null);
    for (const c of conversationFrames(cmSock)) expect(c).not.toHaveProperty('accommodation');
    expect(JSON.stringify(cmSock.frames)).not.toContain('screen reader');
    // ...and reads it back through the route instead.
    const got = await widgetCall(chat.token, 'GET', `/api/widget/conversations/${chat.id}/accommodation`);
    expect(got).toEqual({
      status: 200,
      json: { note: 'I use a screen reader; please send short messages.', redactedTypes: [] },
    });

    const events = await db()
      .selectFrom('events')
      .select(['actor_type', 'actor_id', 'payload'])
      .where('conversation_id', '=', chat.id)
      .where('type', '=', 'conversation.accommodation_noted')
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor_type: 'cardmember', actor_id: 'cm_maria' });
    expect(JSON.parse(events[0]!.payload)).toEqual({ cleared: false, savedForFuture: false, redacted: [] });
    // Not kept for later chats unless asked.
    const profile = await db()
      .selectFrom('cardmembers')
      .select('accommodations_note')
      .where('id', '=', 'cm_maria')
      .executeTakeFirstOrThrow();
    expect(profile.accommodations_note ?? null).toBeNull();
  });

  it('redacts a card number typed in the note before storing or showing it', async (ctx) => {
    if (unavailable[kind]) return ctx.skip();
    const chat = await anasChat(MARIA);
    const r = await put(chat.token, chat.id, { note: 'My card 4111 1111 1111 1111 is lost, please go slowly' });
    expect(r.status).toBe(200);
    expect(r.json.redactedTypes).toEqual(['card_number']);
    expect(r.json.note).not.toMatch(/4111/);
    expect(r.json.note).toContain('please go slowly');
    const stored = await db()
      .selectFrom('conversations')
      .select('accommodation')
      .where('id', '=', chat.id)
      .executeTakeFirstOrThrow();
    expect(stored.accommodation).toBe(r.json.note);
    expect((await staffView(chat.id)).accommodation).not.toMatch(/4111/);
    const events = await db().selectFrom('events').select('payload').where('conversation_id', '=', chat.id).execute();
    expect(JSON.stringify(events)).not.toMatch(/4111/);
  });

  it('an empty note clears it; "save for future chats" keeps it on the profile for the next chat', async (ctx) => {
    if (unavailable[kind]) return ctx.skip();
    const chat = await anasChat(SAM);
    expect((await put(chat.token, chat.id, { note: 'More time to reply, please.', saveForFuture: true })).status).toBe(
      200,
    );
    const profile = () =>
      db().selectFrom('cardmembers').select('accommodations_note').where('id', '=', 'cm_sam').executeTakeFirstOrThrow();
    expect((await profile()).accommodations_note).toBe('More time to reply, please.');

    // The next chat starts with it.
    const next = await anasChat(SAM);
    expect((await staffView(next.id)).accommodation).toBe('More time to reply, please.');
    expect((await widgetCall(next.token, 'GET', `/api/widget/conversations/${next.id}/accommodation`)).json.note).toBe(
      'More time to reply, please.',
    );

    // Cleared for this chat only; the profile keeps it until cleared with saveForFuture.
    expect((await put(next.token, next.id, { note: '   ' })).json).toEqual({ note: null, redactedTypes: [] });
    expect((await staffView(next.id)).accommodation ?? null).toBeNull();
    expect((await profile()).accommodations_note).toBe('More time to reply, please.');
    expect((await put(next.token, next.id, { note: '', saveForFuture: true })).status).toBe(200);
    expect((await profile()).accommodations_note).toBeNull();
  });

  it('refuses a foreign cardmember (404), bad input (400), staff (401) and a closed chat (409)', async (ctx) => {
    if (unavailable[kind]) return ctx.skip();
    const chat = await anasChat(MARIA);
    const foreign = await widgetSession(s, SAM);
    const r = await put(foreign.sessionToken, chat.id, { note: 'not mine' });
    expect(r.status).toBe(404);
    expect(r.json.error.code).toBe('conversation_not_found');
    const read = await widgetCall(foreign.sessionToken, 'GET', `/api/widget/conversations/${chat.id}/accommodation`);
    expect(read.status).toBe(404);
    expect((await staffView(chat.id)).accommodation ?? null).toBeNull();

    for (const body of [
      { note: 'x'.repeat(301) },
      { note: 42 },
      {},
      'not json',
      { note: 'ok', saveForFuture: 'yes' },
    ]) {
      const bad = await put(chat.token, chat.id, body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.json.error.code).toEqual(expect.any(String));
      expect(JSON.stringify(bad.json)).not.toMatch(/at .*\.ts|stack/i);
    }
    expect((await put(chat.token, chat.id, { note: 'x'.repeat(300) })).status).toBe(200);

    const staff = await ana.call('PUT', `/api/widget/conversations/${chat.id}/accommodation`, { note: 'hi' });
    expect(staff.status).toBe(401);

    await widgetCall(chat.token, 'POST', `/api/widget/conversations/${chat.id}/end`, {});
    const closed = await put(chat.token, chat.id, { note: 'too late' });
    expect(closed.status).toBe(409);
    expect(closed.json.error.code).toBe('conversation_closed');
  });

  it('the customer context lists open disputes with their FCBA dates, and says when the core cannot', async (ctx) => {
    if (unavailable[kind]) return ctx.skip();
    const chat = await anasChat(OMAR);
    const context = async () => {
      const r = await ana.call('GET', `/api/conversations/${chat.id}/context`);
      expect(r.status).toBe(200);
      return r.json as CustomerContextResponse;
    };
    expect((await context()).openDisputes).toEqual([]);

    const accounts = s.app.services.accounts;
    const caller = {
      actorType: 'agent' as const,
      actorId: 'agent_ana',
      onBehalfOf: 'cm_omar',
      conversationId: chat.id,
    };
    const opened = await accounts.openDispute(
      caller,
      { transactionId: 'txn_omar_recent', reason: 'unauthorized', description: 'I never bought from NovaByte.' },
      `ctx-${kind}-${chat.id}`,
    );
    const withDispute = await context();
    expect(withDispute.openDisputes).toHaveLength(1);
    expect(withDispute.openDisputes[0]).toMatchObject({
      reference: opened.reference,
      merchant: 'NovaByte Online',
      amountCents: 12_999,
      status: 'open',
      acknowledgeBy: opened.acknowledgeBy,
      resolveBy: opened.resolveBy,
    });
    expect(withDispute.unavailable).not.toContain('disputes');

    // A resolved dispute is history, not an open case.
    await db().updateTable('disputes').set({ status: 'resolved_in_favor' }).where('id', '=', opened.id).execute();
    expect((await context()).openDisputes).toEqual([]);

    const original = accounts.listDisputes.bind(accounts);
    accounts.listDisputes = async () => {
      throw new AccountsError('unavailable', 'core timeout');
    };
    try {
      const degraded = await context();
      expect(degraded.openDisputes).toEqual([]);
      expect(degraded.unavailable).toContain('disputes');
      expect(degraded.cards.length).toBeGreaterThan(0);
    } finally {
      accounts.listDisputes = original;
    }
  });
});
