/**
 * Staff live operations against a real server, on SQLite and PostgreSQL: notes and whispers (never
 * seen by the cardmember: socket, replay, transcript), transfer to a team and to an agent, conference
 * and leave, escalate, monitor (invisible) and barge (visible), wrap-up and agent states, the Spanish
 * handoff notice, staff-only view fields, canned responses, the supervisor board, team and agent lists,
 * and the 4xx answers to bad input. Real sockets and HTTP; the assistant stays silent.
 */
import { randomUUID } from 'node:crypto';
import type { ConversationView, Message, OfferView, ServerFrame, SupervisorBoard } from '@carechat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Assistant } from '../src/assistant/assistant.js';
import { DEMO_CANNED, fillTemplate } from '../src/live/canned.js';
import { seedDemo } from '../src/seed/demo.js';
import {
  dbKind,
  eventually,
  sleep,
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

type Staff = Awaited<ReturnType<typeof staffLogin>>;
const CARDS = {
  maria: { sub: 'cm_maria', card: 'card_maria_gold' },
  jose: { sub: 'cm_jose', card: 'card_jose_green' },
  sam: { sub: 'cm_sam', card: 'card_sam_blue' },
  priya: { sub: 'cm_priya', card: 'card_priya_gold' },
  leo: { sub: 'cm_leo', card: 'card_leo_plat' },
  noah: { sub: 'cm_noah', card: 'card_noah_green' },
  ellen: { sub: 'cm_ellen', card: 'card_ellen_gold' },
  omar: { sub: 'cm_omar', card: 'card_omar_blue' },
  grace: { sub: 'cm_grace', card: 'card_grace_gold' },
} as const;
const STAFF_FIELDS = ['priority', 'accommodation', 'escalated', 'participants', 'disposition'];

describe.each(stores)('staff live operations on %s', (kind) => {
  let s: TestServer;
  let ana: Staff;
  let ben: Staff;
  let sofia: Staff;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    if (unavailable[kind]) return;
    s = await startServer({ db: kind, assistant: SILENT, env: { ROUTING_SWEEP_MS: '60000' } });
    ana = await staffLogin(s, 'ana@carechat.test', 'demo-ana-2024');
    ben = await staffLogin(s, 'ben@carechat.test', 'demo-ben-2024');
    sofia = await staffLogin(s, 'sofia@carechat.test', 'demo-sofia-2024');
  }, 60_000);
  afterAll(async () => {
    for (const sock of sockets) sock.terminate();
    await s?.close();
  });

  const db = () => s.app.store.db;
  const conversations = () => s.app.services.conversations;

  /** A fresh chat for the persona's card (earlier ones closed), queued to general in its language. */
  async function queuedChat(who: keyof typeof CARDS, teamId = 'general') {
    await db()
      .updateTable('conversations')
      .set({ status: 'closed', closed_at: new Date().toISOString(), closed_by: 'system' })
      .where('card_id', '=', CARDS[who].card)
      .where('status', '!=', 'closed')
      .execute();
    const session = await widgetSession(s, CARDS[who]);
    const id = session.conversation.id;
    await conversations().enqueue(id, teamId, 0, 'test');
    return { id, token: session.sessionToken };
  }

  /** A chat Ana holds, with the cardmember's socket subscribed. */
  async function anasChat(who: keyof typeof CARDS = 'maria') {
    const chat = await queuedChat(who);
    expect((await ana.call('POST', `/api/conversations/${chat.id}/accept`)).status).toBe(200);
    const cm = await cardmemberSocket(chat.token, chat.id);
    return { ...chat, cm };
  }

  async function cardmemberSocket(token: string, id: string, lastSeq = 0) {
    const sock = await TestSocket.open(s, { sessionToken: token });
    sockets.push(sock);
    await sock.handshake(id, lastSeq);
    return sock;
  }
  async function staffSocket(who: Staff, id?: string) {
    const sock = await TestSocket.open(s, { cookie: who.cookie });
    sockets.push(sock);
    await sock.handshake(id);
    return sock;
  }
  /** Everything the socket received up to a ping's pong (so nothing published before is still in flight). */
  async function settle(sock: TestSocket) {
    await conversations().idle();
    const nonce = randomUUID().slice(0, 12);
    const pong = sock.next('pong', (f) => f.nonce === nonce);
    sock.send({ type: 'ping', nonce });
    await pong;
  }
  const messagesOf = (sock: TestSocket, id: string) =>
    sock.frames
      .filter((f): f is Extract<ServerFrame, { type: 'message' }> => f.type === 'message')
      .map((f) => f.message)
      .filter((m) => m.conversationId === id);
  const conversationFrames = (sock: TestSocket) =>
    sock.frames.filter((f): f is Extract<ServerFrame, { type: 'conversation' }> => f.type === 'conversation');
  async function staffMessages(id: string): Promise<Message[]> {
    const r = await sofia.call('GET', `/api/conversations/${id}`);
    expect(r.status).toBe(200);
    return r.json.messages as Message[];
  }
  const systemCodes = (ms: Message[]) => ms.filter((m) => m.system).map((m) => m.system!.code);
  async function setStatus(who: Staff, status: string) {
    expect((await who.call('PUT', '/api/agent/status', { status })).status).toBe(200);
  }
  const agentState = async (id: string) =>
    (await db().selectFrom('agents').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
  async function send(sock: TestSocket, id: string, body: string) {
    const clientMsgId = randomUUID();
    const answer = sock.next('ack', (f) => f.clientMsgId === clientMsgId).catch(() => null);
    const error = sock.next('error', (f) => f.clientMsgId === clientMsgId).catch(() => null);
    sock.send({ type: 'send', conversationId: id, clientMsgId, body });
    const got = await Promise.race([answer, error]);
    return got?.type === 'ack' ? 'ack' : `error ${got?.type === 'error' ? got.code : 'none'}`;
  }

  it.skipIf(unavailable[kind])(
    'notes and whispers reach staff only: never the cardmember socket, replay, transcript',
    async () => {
      const chat = await anasChat();
      // A note goes through redaction like any message.
      const note = await ana.call('POST', `/api/conversations/${chat.id}/notes`, {
        body: 'Caller read out 4111 1111 1111 1111, told them not to.',
      });
      expect(note.status).toBe(200);
      expect(note.json.message).toMatchObject({ kind: 'note', author: { role: 'agent', name: 'Ana' } });
      expect(note.json.message.body).not.toContain('4111 1111 1111 1111');
      const whisper = await sofia.call('POST', `/api/conversations/${chat.id}/whisper`, {
        body: 'Offer the courtesy credit.',
      });
      expect(whisper.status).toBe(200);
      expect(whisper.json.message).toMatchObject({ kind: 'note', whisper: true });
      // The cardmember's next message comes after the notes (a gap in seqs the widget accepts).
      const anaSock = await staffSocket(ana, chat.id);
      expect(await send(anaSock, chat.id, 'Thanks for waiting, Maria.')).toBe('ack');
      // After a gap in seqs (the notes) the socket fills from the store: wait for that delivery.
      await eventually(() => messagesOf(chat.cm, chat.id).some((m) => m.body === 'Thanks for waiting, Maria.'));
      await settle(chat.cm);
      await settle(anaSock);

      const live = messagesOf(chat.cm, chat.id);
      expect(live.map((m) => m.body)).toContain('Thanks for waiting, Maria.');
      expect(live.some((m) => m.kind === 'note')).toBe(false);
      expect(JSON.stringify(chat.cm.frames)).not.toContain('courtesy credit');
      // Staff sockets get both, live.
      const staffLive = messagesOf(anaSock, chat.id);
      expect(staffLive.filter((m) => m.kind === 'note').map((m) => m.body)).toContain('Offer the courtesy credit.');

      // Replay after a reconnect, from the start and from just before the notes.
      for (const lastSeq of [0, note.json.message.seq - 1]) {
        const again = await cardmemberSocket(chat.token, chat.id, lastSeq);
        const replay = messagesOf(again, chat.id);
        expect(replay.some((m) => m.kind === 'note')).toBe(false);
        expect(replay.map((m) => m.body)).toContain('Thanks for waiting, Maria.');
      }
      const rest = await fetch(`${s.url}/api/widget/conversations/${chat.id}/messages?after=0`, {
        headers: { authorization: `Bearer ${chat.token}` },
      });
      expect(rest.status).toBe(200);
      expect(JSON.stringify(await rest.json())).not.toContain('courtesy credit');

      // Transcripts: the cardmember's has no notes; staff read them marked as internal.
      const mine = await fetch(`${s.url}/api/widget/conversations/${chat.id}/transcript`, {
        headers: { authorization: `Bearer ${chat.token}` },
      });
      const cmText = await mine.text();
      expect(cmText).toContain('Thanks for waiting, Maria.');
      expect(cmText).not.toContain('courtesy credit');
      expect(cmText).not.toContain('Caller read out');
      const staffText = (await ana.call('GET', `/api/conversations/${chat.id}/transcript`)).json as string;
      expect(staffText).toMatch(/Ana \(internal note\): Caller read out/);
      expect(staffText).toMatch(/Sofía \(supervisor whisper, internal\): Offer the courtesy credit\./);

      // Bad input and the wrong people.
      expect((await ana.call('POST', `/api/conversations/${chat.id}/notes`, { body: '   ' })).json.error.code).toBe(
        'bad_request',
      );
      const benNote = await ben.call('POST', `/api/conversations/${chat.id}/notes`, { body: 'hi' });
      expect([benNote.status, benNote.json.error.code]).toEqual([404, 'conversation_not_found']);
      const anaWhisper = await ana.call('POST', `/api/conversations/${chat.id}/whisper`, { body: 'hi' });
      expect([anaWhisper.status, anaWhisper.json.error.code]).toEqual([403, 'forbidden']);
      const unknown = await ana.call('POST', `/api/conversations/no-such-chat/notes`, { body: 'hi' });
      expect(unknown.status).toBe(404);
    },
  );

  it.skipIf(unavailable[kind])(
    'staff views carry priority, accommodation, participants; the cardmember view never does',
    async () => {
      await db()
        .updateTable('cardmembers')
        .set({ accommodations_note: 'Hard of hearing: please type slowly.' })
        .where('id', '=', 'cm_sam')
        .execute();
      const chat = await anasChat('sam');
      const detail = await ana.call('GET', `/api/conversations/${chat.id}`);
      expect(detail.json.conversation).toMatchObject({
        priority: 0,
        accommodation: 'Hard of hearing: please type slowly.',
        escalated: false,
        disposition: null,
        participants: [{ agentId: 'agent_ana', displayName: 'Ana Ruiz', role: 'assignee' }],
      });
      // A system message publishes the conversation (staff view on the bus): stripped for the cardmember.
      await ana.call('POST', `/api/conversations/${chat.id}/escalate`, {});
      await settle(chat.cm);
      const frames = conversationFrames(chat.cm);
      expect(frames.length).toBeGreaterThan(0);
      for (const f of frames) for (const k of STAFF_FIELDS) expect(f.conversation).not.toHaveProperty(k);
      const subscribed = chat.cm.frames.find((f) => f.type === 'subscribed') as { conversation: ConversationView };
      for (const k of STAFF_FIELDS) expect(subscribed.conversation).not.toHaveProperty(k);
      expect(JSON.stringify(chat.cm.frames)).not.toContain('Hard of hearing');
    },
  );

  it.skipIf(unavailable[kind])('transfer to a team re-queues the chat and routing offers it there', async () => {
    await setStatus(ana, 'offline');
    const chat = await anasChat('priya');
    await setStatus(ben, 'available');
    const bad = await ana.call('POST', `/api/conversations/${chat.id}/transfer`, {
      teamId: 'disputes',
      agentId: 'agent_ben',
    });
    expect([bad.status, bad.json.error.code]).toEqual([400, 'bad_request']);
    const noTeam = await ana.call('POST', `/api/conversations/${chat.id}/transfer`, { teamId: 'nope' });
    expect([noTeam.status, noTeam.json.error.code]).toEqual([404, 'not_found']);
    // Only the assignee transfers.
    const notYours = await ben.call('POST', `/api/conversations/${chat.id}/transfer`, { teamId: 'disputes' });
    expect(notYours.status).toBe(404);

    const r = await ana.call('POST', `/api/conversations/${chat.id}/transfer`, {
      teamId: 'disputes',
      note: 'Duplicate charge at Luna Azul, already verified.',
    });
    expect(r.status).toBe(200);
    expect(r.json.conversation).toMatchObject({ status: 'queued', teamId: 'disputes', agent: null });
    const parts = await db()
      .selectFrom('participants')
      .selectAll()
      .where('conversation_id', '=', chat.id)
      .where('participant_id', '=', 'agent_ana')
      .executeTakeFirstOrThrow();
    expect(parts.left_at).not.toBeNull();
    const ms = await staffMessages(chat.id);
    expect(systemCodes(ms)).toContain('conversation.transferred');
    expect(ms.find((m) => m.kind === 'note')?.body).toBe('Duplicate charge at Luna Azul, already verified.');
    await settle(chat.cm);
    expect(messagesOf(chat.cm, chat.id).some((m) => m.system?.code === 'conversation.transferred')).toBe(true);
    expect(messagesOf(chat.cm, chat.id).some((m) => m.kind === 'note')).toBe(false);
    // Ana no longer holds it: she cannot write or transfer again.
    expect((await ana.call('POST', `/api/conversations/${chat.id}/notes`, { body: 'x' })).status).toBe(404);

    // Routing offers it to Ben (disputes, English).
    const offer = await eventually(async () => {
      await s.app.services.routing.idle();
      await s.app.services.routing.sweep();
      const o = await ben.call('GET', '/api/offers');
      return (o.json.offers as OfferView[]).find((x) => x.conversation.id === chat.id);
    });
    expect(offer.kind).toBe('queue');
    // Ben reads why before accepting: the transfer note travels on the offer.
    expect(offer.note).toBe('Duplicate charge at Luna Azul, already verified.');
    const took = await ben.call('POST', `/api/offers/${offer.id}/accept`);
    expect(took.status).toBe(200);
    expect(took.json.conversation).toMatchObject({ status: 'assigned', agent: { id: 'agent_ben' } });
    await setStatus(ben, 'offline');
  });

  it.skipIf(unavailable[kind])('transfer to an agent goes through their offer; the cardmember is told', async () => {
    const chat = await anasChat('leo');
    const self = await ana.call('POST', `/api/conversations/${chat.id}/transfer`, { agentId: 'agent_ana' });
    expect(self.status).toBe(400);
    const admin = await ana.call('POST', `/api/conversations/${chat.id}/transfer`, { agentId: 'agent_admin' });
    expect(admin.status).toBe(404);
    const ghost = await ana.call('POST', `/api/conversations/${chat.id}/transfer`, { agentId: 'agent_nobody' });
    expect(ghost.status).toBe(404);

    const benSock = await staffSocket(ben);
    const offered = benSock.next('offer', (f) => f.offer.conversation.id === chat.id);
    const r = await ana.call('POST', `/api/conversations/${chat.id}/transfer`, {
      agentId: 'agent_ben',
      note: 'Trip to Lisbon, needs travel notice.',
    });
    expect(r.status).toBe(200);
    expect(r.json.conversation).toMatchObject({ status: 'assigned', agent: { id: 'agent_ana' } });
    const { offer } = await offered;
    expect(offer).toMatchObject({ kind: 'transfer', note: 'Trip to Lisbon, needs travel notice.' });
    // Ben cannot write before accepting.
    expect(await send(benSock, chat.id, 'hello')).toBe('error conversation_not_found');
    const accepted = await ben.call('POST', `/api/offers/${offer.id}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.json.conversation).toMatchObject({ status: 'assigned', agent: { id: 'agent_ben' } });
    expect(accepted.json.conversation.participants).toEqual([
      expect.objectContaining({ agentId: 'agent_ben', role: 'assignee' }),
    ]);
    await settle(chat.cm);
    const told = messagesOf(chat.cm, chat.id).filter((m) => m.system);
    expect(told.slice(-2).map((m) => [m.system!.code, m.system!.params.name])).toEqual([
      ['agent.left', 'Ana'],
      ['agent.joined', 'Ben'],
    ]);
    const benSub = benSock.next('subscribed', (f) => f.conversationId === chat.id);
    benSock.send({ type: 'subscribe', conversationId: chat.id, lastSeq: 0 });
    await benSub;
    expect(await send(benSock, chat.id, 'Hi Leo, Ben here.')).toBe('ack');
    const anaSock = await staffSocket(ana);
    expect(await send(anaSock, chat.id, 'still here?')).toBe('error conversation_not_found');
    // The same offer cannot be accepted twice.
    expect((await ben.call('POST', `/api/offers/${offer.id}/accept`)).status).toBe(409);
  });

  it.skipIf(unavailable[kind])('conference: the invited agent joins, writes, and leaves', async () => {
    const chat = await anasChat('noah');
    const benSock = await staffSocket(ben);
    // Not in the chat: Ben can neither read nor write it.
    expect(await send(benSock, chat.id, 'sneaky')).toBe('error conversation_not_found');
    const offered = benSock.next('offer', (f) => f.offer.conversation.id === chat.id);
    const r = await ana.call('POST', `/api/conversations/${chat.id}/conference`, {
      agentId: 'agent_ben',
      note: 'Can you check the limit rules?',
    });
    expect(r.status).toBe(200);
    expect(r.json.offer).toMatchObject({ kind: 'conference' });
    await offered;
    const again = await ana.call('POST', `/api/conversations/${chat.id}/conference`, { agentId: 'agent_ben' });
    expect(again.status).toBe(409);
    const acc = await ben.call('POST', `/api/offers/${r.json.offer.id}/accept`);
    expect(acc.status).toBe(200);
    expect(
      acc.json.conversation.participants.map((p: { agentId: string; role: string }) => [p.agentId, p.role]),
    ).toEqual([
      ['agent_ana', 'assignee'],
      ['agent_ben', 'conference'],
    ]);
    expect(await send(benSock, chat.id, 'Ben from Credit here.')).toBe('ack');
    await settle(chat.cm);
    const seen = messagesOf(chat.cm, chat.id);
    expect(seen.some((m) => m.system?.code === 'agent.conference_joined')).toBe(true);
    expect(seen.some((m) => m.body === 'Ben from Credit here.')).toBe(true);
    // The assignee cannot "leave"; Ben can, and then cannot write any more.
    expect((await ana.call('POST', `/api/conversations/${chat.id}/leave`)).status).toBe(403);
    const left = await ben.call('POST', `/api/conversations/${chat.id}/leave`);
    expect(left.status).toBe(200);
    expect(left.json.conversation.participants).toHaveLength(1);
    expect(await send(benSock, chat.id, 'one more')).toBe('error conversation_not_found');
    await settle(chat.cm);
    expect(messagesOf(chat.cm, chat.id).at(-1)?.system).toMatchObject({ code: 'agent.left', params: { name: 'Ben' } });
  });

  it.skipIf(unavailable[kind])(
    'monitor is invisible to the cardmember; escalate shows on the board; barge is visible',
    async () => {
      const chat = await anasChat('omar');
      const sofiaSock = await staffSocket(sofia);
      await settle(chat.cm);
      const before = chat.cm.frames.length;
      // Agents cannot monitor or barge.
      expect((await ana.call('POST', `/api/conversations/${chat.id}/monitor`)).status).toBe(403);
      const mon = await sofia.call('POST', `/api/conversations/${chat.id}/monitor`);
      expect(mon.status).toBe(200);
      expect(mon.json.conversation.participants).toContainEqual(
        expect.objectContaining({ agentId: 'agent_sofia', role: 'monitor' }),
      );
      expect(Array.isArray(mon.json.messages)).toBe(true);
      const sub = sofiaSock.next('subscribed', (f) => f.conversationId === chat.id);
      sofiaSock.send({ type: 'subscribe', conversationId: chat.id, lastSeq: 0 });
      await sub;
      // A monitor never writes.
      expect(await send(sofiaSock, chat.id, 'hello from the monitor')).toBe('error forbidden');
      await settle(chat.cm);
      // Nothing but the settle pings' pongs reached the cardmember.
      expect(chat.cm.frames.slice(before).filter((f) => f.type !== 'pong')).toEqual([]);
      const replay = await cardmemberSocket(chat.token, chat.id);
      await settle(replay);
      expect(JSON.stringify(replay.frames)).not.toContain('Sof');

      const esc = await ana.call('POST', `/api/conversations/${chat.id}/escalate`, { note: 'Wants a manager.' });
      expect(esc.status).toBe(200);
      expect(esc.json.conversation.escalated).toBe(true);
      const board = (await sofia.call('GET', '/api/supervisor/board')).json as SupervisorBoard;
      expect(board.escalations.map((c) => c.id)).toContain(chat.id);
      expect((await ana.call('GET', '/api/supervisor/board')).status).toBe(403);

      const barge = await sofia.call('POST', `/api/conversations/${chat.id}/barge`);
      expect(barge.status).toBe(200);
      expect(barge.json.conversation.escalated).toBe(false);
      expect(barge.json.conversation.participants).toContainEqual(
        expect.objectContaining({ agentId: 'agent_sofia', role: 'supervisor' }),
      );
      expect(await send(sofiaSock, chat.id, 'Hello Omar, I am the supervisor.')).toBe('ack');
      await eventually(() => messagesOf(chat.cm, chat.id).some((m) => m.body === 'Hello Omar, I am the supervisor.'));
      const seen = messagesOf(chat.cm, chat.id);
      expect(seen.map((m) => m.system?.code)).toEqual(
        expect.arrayContaining(['conversation.escalated', 'supervisor.joined']),
      );
      expect(seen.some((m) => m.body === 'Hello Omar, I am the supervisor.')).toBe(true);
      const after = (await sofia.call('GET', '/api/supervisor/board')).json as SupervisorBoard;
      expect(after.escalations.map((c) => c.id)).not.toContain(chat.id);
      // Supervisors get board frames on their socket.
      await eventually(() => sofiaSock.frames.some((f) => f.type === 'board'));
    },
  );

  it.skipIf(unavailable[kind])('wrap-up: closing puts the agent in wrap_up; wrapping up returns them', async () => {
    await setStatus(ben, 'offline');
    const chat = await anasChat('ellen');
    await setStatus(ana, 'available');
    // The cardmember ends the chat: Ana goes to wrap_up.
    const end = await fetch(`${s.url}/api/widget/conversations/${chat.id}/end`, {
      method: 'POST',
      headers: { authorization: `Bearer ${chat.token}` },
    });
    expect(end.status).toBe(200);
    await eventually(async () => (await agentState('agent_ana')) === 'wrap_up');
    const bad = await ana.call('POST', `/api/conversations/${chat.id}/wrap-up`, { disposition: 'sorted' });
    expect(bad.status).toBe(400);
    expect((await ben.call('POST', `/api/conversations/${chat.id}/wrap-up`, { disposition: 'resolved' })).status).toBe(
      404,
    );
    const w = await ana.call('POST', `/api/conversations/${chat.id}/wrap-up`, {
      disposition: 'resolved_with_action',
      note: 'Replacement activated.',
    });
    expect(w.status).toBe(200);
    expect(w.json.conversation).toMatchObject({ status: 'closed', disposition: 'resolved_with_action' });
    expect(await agentState('agent_ana')).toBe('available');
    const twice = await ana.call('POST', `/api/conversations/${chat.id}/wrap-up`, { disposition: 'resolved' });
    expect([twice.status, twice.json.error.code]).toEqual([409, 'conflict']);
    expect((await staffMessages(chat.id)).some((m) => m.kind === 'note' && m.body === 'Replacement activated.')).toBe(
      true,
    );

    // Wrapping up an open chat closes it; a busy agent stays busy.
    await setStatus(ana, 'busy');
    const open = await anasChat('grace');
    const w2 = await ana.call('POST', `/api/conversations/${open.id}/wrap-up`, { disposition: 'resolved' });
    expect(w2.status).toBe(200);
    expect(w2.json.conversation.status).toBe('closed');
    expect(await agentState('agent_ana')).toBe('busy');
    await settle(open.cm);
    expect(messagesOf(open.cm, open.id).at(-1)?.system?.code).toBe('conversation.closed_by_agent');
    await setStatus(ana, 'offline');
  });

  it.skipIf(unavailable[kind])('a Spanish chat is told of the handoff to a Spanish-speaking agent', async () => {
    const chat = await queuedChat('jose');
    const ms = await staffMessages(chat.id);
    const codes = systemCodes(ms);
    expect(codes.slice(-2)).toEqual(['conversation.queued', 'handoff.language']);
    expect(ms.at(-1)!.body).toContain('español');
    const en = await queuedChat('maria');
    expect(systemCodes(await staffMessages(en.id))).not.toContain('handoff.language');
  });

  it.skipIf(unavailable[kind])('canned responses: the chat language, team first, variables filled', async () => {
    const chat = await anasChat('maria');
    const r = await ana.call('GET', `/api/conversations/${chat.id}/canned`);
    expect(r.status).toBe(200);
    const responses = r.json.responses as Array<{ id: string; text: string; template: string; language: string }>;
    expect(responses.length).toBeGreaterThanOrEqual(4);
    expect(responses.every((x) => x.language === 'en' && !x.text.includes('{{'))).toBe(true);
    expect(responses.some((x) => x.id.startsWith('canned_en_dispute'))).toBe(false); // another team's
    const greeting = responses.find((x) => x.id === 'canned_en_greeting')!;
    expect(greeting.text).toBe(
      "Hi Maria, I'm Ana from Customer Care. I've read your conversation so far. How can I help?",
    );
    const closing = responses.find((x) => x.id === 'canned_en_closing')!;
    expect(closing.text).toContain(chat.id.replace(/-/g, '').slice(0, 8).toUpperCase());
    expect(responses.find((x) => x.id === 'canned_en_verify')!.text).toContain('ending in 1005');
    // Team templates come first for a disputes chat.
    const disputes = await queuedChat('omar', 'disputes');
    const forBen = (await ben.call('GET', `/api/conversations/${disputes.id}/canned`)).json.responses as Array<{
      id: string;
    }>;
    expect(forBen[0]!.id).toMatch(/^canned_en_dispute/);
    expect((await ben.call('GET', `/api/conversations/${chat.id}/canned`)).status).toBe(404);
    expect(fillTemplate('Hi {{firstName}} {{secret}}, ref {{reference}}.', { firstName: 'Ana' })).toBe('Hi Ana, ref.');
  });

  it.skipIf(unavailable[kind])(
    'the board counts depth, oldest wait and SLA breaches per queue from the store',
    async () => {
      await setStatus(ana, 'offline');
      await setStatus(ben, 'offline');
      const a = await queuedChat('sam');
      const b = await queuedChat('priya');
      const c = await queuedChat('leo');
      const now = Date.now();
      const ago = (sec: number) => new Date(now - sec * 1000).toISOString();
      // SLA 120 s: a and b breached, c not.
      await db()
        .updateTable('conversations')
        .set({ queued_at: ago(600) })
        .where('id', '=', a.id)
        .execute();
      await db()
        .updateTable('conversations')
        .set({ queued_at: ago(200) })
        .where('id', '=', b.id)
        .execute();
      await db()
        .updateTable('conversations')
        .set({ queued_at: ago(10) })
        .where('id', '=', c.id)
        .execute();
      const board = (await sofia.call('GET', '/api/supervisor/board')).json as SupervisorBoard;
      const depth = await db()
        .selectFrom('conversations')
        .select('id')
        .where('status', '=', 'queued')
        .where('team_id', '=', 'general')
        .where('language', '=', 'en')
        .execute();
      const q = board.queues.find((x) => x.teamId === 'general' && x.language === 'en')!;
      expect(q.depth).toBe(depth.length);
      expect(q.depth).toBeGreaterThanOrEqual(3);
      expect(q.oldestWaitSeconds).toBeGreaterThanOrEqual(600);
      expect(q.slaBreaches).toBe(board.breaches.filter((x) => x.teamId === 'general' && x.language === 'en').length);
      const ids = board.breaches.map((x) => x.conversationId);
      expect(ids).toContain(a.id);
      expect(ids).toContain(b.id);
      expect(ids).not.toContain(c.id);
      expect(board.breaches.find((x) => x.conversationId === a.id)!.waitedSeconds).toBeGreaterThanOrEqual(600);
      expect(q).toMatchObject({ agentsAvailable: 0, open: true, teamName: 'Customer Care' });
      expect(board.slaSeconds).toBe(120);
      // Business keeps office hours; the queue list covers every team Sofía supervises, both languages.
      expect(board.queues.filter((x) => x.teamId === 'business')).toHaveLength(2);
      expect(board.agents.map((x) => x.id)).toEqual(expect.arrayContaining(['agent_ana', 'agent_ben']));
      expect(board.agents.find((x) => x.id === 'agent_admin')).toBeUndefined();
      // Ana goes available: the board sees her.
      await setStatus(ana, 'available');
      const after = (await sofia.call('GET', '/api/supervisor/board')).json as SupervisorBoard;
      expect(after.queues.find((x) => x.teamId === 'general' && x.language === 'en')!.agentsAvailable).toBe(1);
      await setStatus(ana, 'offline');
      for (const x of [a, b, c]) expect((await sofia.call('POST', `/api/conversations/${x.id}/end`)).status).toBe(200);
    },
  );

  it.skipIf(unavailable[kind])('board frames reach supervisors at most once a second, agents never', async () => {
    const sup = await staffSocket(sofia);
    const agent = await staffSocket(ben);
    await eventually(() => sup.frames.some((f) => f.type === 'board'));
    await sleep(1100);
    const before = sup.frames.filter((f) => f.type === 'board').length;
    // A burst of floor changes within a second.
    for (const status of ['available', 'busy', 'away', 'available', 'offline', 'busy', 'offline']) {
      await setStatus(ben, status);
    }
    await sleep(1300);
    const pushed = sup.frames.filter((f) => f.type === 'board').length - before;
    expect(pushed).toBeGreaterThanOrEqual(1);
    expect(pushed).toBeLessThanOrEqual(2);
    const last = sup.frames.filter((f) => f.type === 'board').at(-1) as { board: SupervisorBoard };
    expect(last.board.agents.find((x) => x.id === 'agent_ben')?.state).toBe('offline');
    await settle(agent);
    expect(agent.frames.some((f) => f.type === 'board')).toBe(false);
  });

  it.skipIf(unavailable[kind])('seeding again fills missing team phones and adds no duplicates', async () => {
    const count = async () => (await db().selectFrom('canned_responses').select('id').execute()).length;
    const canned = await count();
    expect(canned).toBe(DEMO_CANNED.length);
    await db().updateTable('teams').set({ phone: null }).where('id', '=', 'general').execute();
    await db().updateTable('teams').set({ phone: '1-800-555-0100' }).where('id', '=', 'credit').execute();
    await seedDemo(db());
    const phones = await db().selectFrom('teams').select(['id', 'phone', 'hours']).execute();
    expect(phones.find((t) => t.id === 'general')?.phone).toBe('1-800-555-0134');
    expect(phones.find((t) => t.id === 'credit')?.phone).toBe('1-800-555-0100'); // never overwritten
    expect(phones.filter((t) => t.hours).map((t) => t.id)).toEqual(['business']);
    expect(await count()).toBe(canned);
    await db().updateTable('teams').set({ phone: '1-800-555-0134' }).where('id', '=', 'credit').execute();
  });

  it.skipIf(unavailable[kind])('team and agent lists for transfer and conference targets', async () => {
    const teams = await ana.call('GET', '/api/teams');
    expect(teams.status).toBe(200);
    const business = teams.json.teams.find((t: { id: string }) => t.id === 'business');
    expect(business.hours.timeZone).toBe('America/New_York');
    expect(business.hours.weekly[0]).toEqual([]);
    expect(business.hours.weekly[1]).toEqual([{ open: '08:00', close: '20:00' }]);
    expect(teams.json.teams.find((t: { id: string }) => t.id === 'fraud')).toMatchObject({
      hours: null,
      phone: '1-800-555-0199',
    });
    const all = await ana.call('GET', '/api/agents');
    const ids = (all.json.agents as Array<{ id: string }>).map((x) => x.id);
    expect(ids).toContain('agent_ben');
    expect(ids).toContain('agent_sofia');
    expect(ids).not.toContain('agent_ana'); // the caller
    expect(ids).not.toContain('agent_admin');
    const disputes = await ana.call('GET', '/api/agents?teamId=disputes&language=en');
    expect((disputes.json.agents as Array<{ id: string }>).map((x) => x.id).sort()).toEqual([
      'agent_ben',
      'agent_sofia',
    ]);
    expect(disputes.json.agents[0]).toEqual(
      expect.objectContaining({
        displayName: expect.any(String),
        state: expect.any(String),
        load: 0,
        maxConcurrent: 3,
      }),
    );
    expect((await ana.call('GET', '/api/agents?language=fr')).status).toBe(400);
  });
});
