/**
 * Routing against a real server and store, on SQLite or PostgreSQL (CARECHAT_TEST_DB; a fresh database per test):
 * skills, language, capacity, priority, idle order, offer expiry, decline, hours, withdrawal, the
 * offer HTTP errors and the staff socket frames. Time is a MutableClock; the periodic sweep is off
 * (60 s), so each test sweeps when it means to (bus-driven sweeps still run and are awaited).
 */
import { randomUUID } from 'node:crypto';
import type { OfferView } from '@carechat/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { MutableClock } from '../accounts/testing/clock.js';
import type { Assistant } from '../assistant/assistant.js';
import type { Actor } from '../security/access.js';
import { iso } from '../shared/clock.js';
import type { AgentsTable } from '../store/schema.js';
import {
  dbKind,
  sleep,
  staffLogin,
  startServer,
  storeUnavailable,
  TestSocket,
  type TestServer,
} from '../../test/helpers.js';

// Like every store-backed test: SQLite in the first pass of `npm test`, PostgreSQL in the second.
const stores = [dbKind] as const;
const unavailable = { sqlite: null, postgres: await storeUnavailable('postgres') };

/** The chats here are queued directly; the assistant never speaks. */
const SILENT: Assistant = { greet: () => ({ replies: [] }), respond: async () => ({ replies: [] }) };
const TIMEOUT = 30;

type Skill = readonly [string, 'en' | 'es'];
type StaffActor = Exclude<Actor, { role: 'cardmember' }>;

describe.each(stores)('routing on %s', (kind) => {
  let s: TestServer | null = null;
  let clock: MutableClock;

  afterEach(async () => {
    await s?.close();
    s = null;
  });

  async function boot(start = new Date()) {
    clock = new MutableClock(start);
    s = await startServer({
      db: kind,
      clock,
      assistant: SILENT,
      env: { ROUTING_SWEEP_MS: '60000', ROUTING_OFFER_TIMEOUT_SECONDS: String(TIMEOUT) },
    });
    return s;
  }
  const server = () => s!;
  const db = () => server().app.store.db;
  const routing = () => server().app.services.routing;
  const ago = (seconds: number) => iso(new Date(clock.now().getTime() - seconds * 1000));
  const advance = (seconds: number) => clock.set(new Date(clock.now().getTime() + seconds * 1000));

  /** Lets bus-driven sweeps finish, then sweeps once more. */
  async function sweep() {
    await routing().idle();
    const r = await routing().sweep();
    await routing().idle();
    return r;
  }

  async function addAgent(
    id: string,
    o: { skills: Skill[]; max?: number; status?: AgentsTable['status']; idleFor?: number },
  ): Promise<StaffActor> {
    await db()
      .insertInto('agents')
      .values({
        id,
        email: `${id}@routing.test`,
        password_hash: 'not-a-hash',
        first_name: id,
        display_name: id,
        role: 'agent',
        status: o.status ?? 'available',
        status_changed_at: ago(o.idleFor ?? 60),
        idle_since: ago(o.idleFor ?? 60),
        max_concurrent: o.max ?? 3,
        created_at: ago(3600),
        totp_secret_ciphertext: null,
        totp_enrolled_at: null,
        totp_last_step: null,
        failed_logins_since: null,
        locked_until: null,
      })
      .execute();
    for (const [team_id, language] of o.skills)
      await db().insertInto('agent_skills').values({ agent_id: id, team_id, language }).execute();
    return {
      role: 'agent',
      agentId: id,
      firstName: id,
      sessionHash: 'test',
      skills: o.skills.map(([teamId, language]) => ({ teamId, language })),
    };
  }

  /** A chat waiting in (team, language) since `waitedFor` seconds. */
  async function queueChat(o: { team?: string; language?: 'en' | 'es'; priority?: number; waitedFor?: number } = {}) {
    const id = randomUUID();
    const at = ago(o.waitedFor ?? 10);
    await db()
      .insertInto('conversations')
      .values({
        id,
        cardmember_id: 'cm_maria',
        card_id: 'card_maria_gold',
        language: o.language ?? 'en',
        status: 'queued',
        team_id: o.team ?? 'general',
        priority: o.priority ?? 0,
        queued_at: at,
        assigned_agent_id: null,
        assigned_at: null,
        closed_at: null,
        closed_by: null,
        last_seq: 0,
        created_at: at,
        updated_at: at,
      })
      .execute();
    return id;
  }

  const offers = (where: { agent?: string; chat?: string; state?: string } = {}) => {
    let q = db().selectFrom('offers').selectAll().orderBy('offered_at').orderBy('id');
    if (where.agent) q = q.where('agent_id', '=', where.agent);
    if (where.chat) q = q.where('conversation_id', '=', where.chat);
    if (where.state) q = q.where('state', '=', where.state as 'pending');
    return q.execute();
  };
  const pendingFor = async (agent: string) => (await offers({ agent, state: 'pending' })).map((o) => o.conversation_id);
  const acceptAll = async (actor: StaffActor) => {
    for (const o of await offers({ agent: actor.agentId, state: 'pending' })) await routing().accept(actor, o.id);
  };

  describe.skipIf(kind === 'postgres' && unavailable.postgres)('', () => {
    it('offers a chat only to agents of its team', async () => {
      await boot();
      await addAgent('a_disputes', { skills: [['disputes', 'en']], idleFor: 600 });
      await addAgent('a_general', { skills: [['general', 'en']], idleFor: 10 });
      const chat = await queueChat({ team: 'general' });
      const dispute = await queueChat({ team: 'disputes' });
      expect((await sweep()).offered).toBe(2);
      expect(await pendingFor('a_general')).toEqual([chat]);
      expect(await pendingFor('a_disputes')).toEqual([dispute]);
    });

    it('offers a Spanish chat only to Spanish-skilled agents, however long others are idle', async () => {
      await boot();
      await addAgent('a_en', { skills: [['general', 'en']], idleFor: 3600 });
      const es = await queueChat({ language: 'es' });
      expect((await sweep()).offered).toBe(0);
      expect(await offers()).toEqual([]);
      await addAgent('a_es', { skills: [['general', 'es']], idleFor: 5 });
      await sweep();
      expect(await pendingFor('a_es')).toEqual([es]);
      expect(await pendingFor('a_en')).toEqual([]);
    });

    it('never offers beyond capacity: assigned chats and pending offers both count', async () => {
      await boot();
      const a = await addAgent('a_one', { skills: [['general', 'en']], max: 2 });
      const chats = [
        await queueChat({ waitedFor: 30 }),
        await queueChat({ waitedFor: 20 }),
        await queueChat({ waitedFor: 10 }),
      ];
      await sweep();
      expect((await pendingFor('a_one')).sort()).toEqual(chats.slice(0, 2).sort());
      // Accepting turns offers into assigned chats: still full.
      await acceptAll(a);
      expect((await sweep()).offered).toBe(0);
      const assigned = await db()
        .selectFrom('conversations')
        .select('id')
        .where('assigned_agent_id', '=', 'a_one')
        .execute();
      expect(assigned.map((r) => r.id).sort()).toEqual(chats.slice(0, 2).sort());
      // One chat ends: one slot, the third chat.
      await server().app.services.conversations.end(a, chats[0]!);
      // Ending a chat puts the agent in wrap-up (no offers); done wrapping up, they are available again.
      const wrap = await db().selectFrom('agents').select('status').where('id', '=', 'a_one').executeTakeFirstOrThrow();
      expect(wrap.status).toBe('wrap_up');
      expect((await sweep()).offered).toBe(0);
      await server().app.services.agents.setStatus('a_one', 'available');
      await sweep();
      expect(await pendingFor('a_one')).toEqual([chats[2]]);
    });

    it('offers a priority chat before older ordinary ones', async () => {
      await boot();
      await addAgent('a_one', { skills: [['general', 'en']], max: 1 });
      await queueChat({ priority: 0, waitedFor: 600 });
      await queueChat({ priority: 0, waitedFor: 300 });
      const fraud = await queueChat({ priority: 10, waitedFor: 1 });
      await sweep();
      expect(await pendingFor('a_one')).toEqual([fraud]);
    });

    it('offers to the agent idle longest; taking a chat sends them to the back', async () => {
      await boot();
      const a = await addAgent('a_a', { skills: [['general', 'en']], idleFor: 300 });
      const b = await addAgent('a_b', { skills: [['general', 'en']], idleFor: 200 });
      const c = await addAgent('a_c', { skills: [['general', 'en']], idleFor: 100 });
      const order: string[] = [];
      for (let i = 0; i < 5; i++) {
        advance(1);
        const chat = await queueChat({ waitedFor: 0 });
        await sweep();
        const o = (await offers({ chat, state: 'pending' }))[0]!;
        order.push(o.agent_id);
        await routing().accept(
          [a, b, c].find((x) => x.agentId === o.agent_id)!,
          o.id,
        );
      }
      expect(order).toEqual(['a_a', 'a_b', 'a_c', 'a_a', 'a_b']);
    });

    it('an unanswered offer expires: the agent goes away, the chat goes to the next agent and never back', async () => {
      await boot();
      await addAgent('a_slow', { skills: [['general', 'en']], idleFor: 300 });
      const next = await addAgent('a_next', { skills: [['general', 'en']], idleFor: 100 });
      const chat = await queueChat();
      await sweep();
      const first = (await offers({ chat }))[0]!;
      expect(first.agent_id).toBe('a_slow');
      expect(Date.parse(first.expires_at) - Date.parse(first.offered_at)).toBe(TIMEOUT * 1000);

      advance(TIMEOUT - 1);
      expect((await sweep()).expired).toBe(0);
      advance(1);
      expect((await sweep()).expired).toBe(1);
      expect((await offers({ chat })).map((o) => [o.agent_id, o.state])).toEqual([
        ['a_slow', 'expired'],
        ['a_next', 'pending'],
      ]);
      const slow = await db()
        .selectFrom('agents')
        .select('status')
        .where('id', '=', 'a_slow')
        .executeTakeFirstOrThrow();
      expect(slow.status).toBe('away');
      const events = await db().selectFrom('events').select('payload').where('type', '=', 'offer.expired').execute();
      expect(events.map((e) => JSON.parse(e.payload).agentId)).toEqual(['a_slow']);

      // The slow agent comes back, the next one passes: the chat waits rather than going back.
      await server().app.services.agents.setStatus('a_slow', 'available');
      await routing().decline(next, (await offers({ agent: 'a_next', state: 'pending' }))[0]!.id);
      await sweep();
      expect(await offers({ chat, state: 'pending' })).toEqual([]);
      // ...and does not hold up the chats behind it: a new chat goes to the idle-longest agent, then the other.
      const other = await queueChat();
      await sweep();
      expect(await pendingFor('a_next')).toEqual([other]);
      await routing().decline(next, (await offers({ agent: 'a_next', state: 'pending' }))[0]!.id);
      await sweep();
      expect(await pendingFor('a_slow')).toEqual([other]);
      expect(await offers({ chat, state: 'pending' })).toEqual([]);
    });

    it('a declined chat goes to the next agent at once', async () => {
      await boot();
      const a = await addAgent('a_a', { skills: [['general', 'en']], idleFor: 300 });
      await addAgent('a_b', { skills: [['general', 'en']], idleFor: 100 });
      const chat = await queueChat();
      await sweep();
      const o = (await offers({ agent: 'a_a', state: 'pending' }))[0]!;
      await routing().decline(a, o.id);
      // No sweep from the test: the decline's own kick routes it.
      await routing().idle();
      expect(await pendingFor('a_b')).toEqual([chat]);
      expect((await offers({ agent: 'a_a' }))[0]!.state).toBe('declined');
      // Declining twice is a conflict, not a second decline.
      await expect(routing().decline(a, o.id)).rejects.toMatchObject({ code: 'offer_closed', status: 409 });
    });

    it('a closed queue routes nothing and says when it opens; once open, the chat is offered', async () => {
      // Wednesday 2026-11-25 12:00Z; the team is open 13:00–17:00 UTC on weekdays.
      await boot(new Date('2026-11-25T12:00:00Z'));
      const hours = {
        timeZone: 'UTC',
        weekly: [[], ...Array(5).fill([{ open: '13:00', close: '17:00' }]), []],
      };
      await db()
        .updateTable('teams')
        .set({ hours: JSON.stringify(hours), phone: '+1 800 555 0100' })
        .where('id', '=', 'general')
        .execute();
      await addAgent('a_a', { skills: [['general', 'en']] });
      const chat = await queueChat();
      expect((await sweep()).offered).toBe(0);
      const view = (await server().app.services.conversations.viewById(chat))!;
      expect(view.queue).toMatchObject({
        position: 1,
        open: false,
        serving: false,
        opensAt: '2026-11-25T13:00:00.000Z',
        phone: '+1 800 555 0100',
      });
      clock.set(new Date('2026-11-25T13:00:00Z'));
      expect((await sweep()).offered).toBe(1);
      expect(await pendingFor('a_a')).toEqual([chat]);
      const open = (await server().app.services.conversations.viewById(chat))!;
      expect(open.queue).toMatchObject({ open: true, opensAt: null });
    });

    it('the estimate counts the slots of agents wrapping up, not of agents who chose busy', async () => {
      await boot();
      await addAgent('a_full', { skills: [['general', 'en']], max: 3 });
      const held = [await queueChat(), await queueChat(), await queueChat()];
      await db()
        .updateTable('conversations')
        .set({ status: 'assigned', assigned_agent_id: 'a_full', assigned_at: ago(60) })
        .where('id', 'in', held)
        .execute();
      await addAgent('a_wrap', { skills: [['general', 'en']], max: 3, status: 'wrap_up' });
      await addAgent('a_busy', { skills: [['general', 'en']], max: 3, status: 'busy' });
      const chat = await queueChat();
      const view = (await server().app.services.conversations.viewById(chat))!;
      // No free slot; 6 slots turn over (a_full, a_wrap); default AHT 360 s: 15 s pickup + 360 / 6.
      expect(view.queue).toMatchObject({ position: 1, serving: true, agentsAvailable: 3, estimatedWaitSeconds: 75 });
    });

    it('nobody serving: the estimate says so rather than inventing a number', async () => {
      await boot();
      await addAgent('a_away', { skills: [['general', 'en']], status: 'away' });
      const chat = await queueChat();
      const view = (await server().app.services.conversations.viewById(chat))!;
      expect(view.queue).toMatchObject({ open: true, serving: false, agentsAvailable: 0 });
    });
  });

  describe.skipIf(kind === 'postgres' && unavailable.postgres)('over HTTP and sockets', () => {
    /** Ana and Ben (demo agents, General in English) signed in and available, each with a console socket. */
    async function consoles() {
      const srv = await boot();
      const ana = await staffLogin(srv, 'ana@carechat.test', 'demo-ana-2024');
      const ben = await staffLogin(srv, 'ben@carechat.test', 'demo-ben-2024');
      const anaSock = await TestSocket.open(srv, { cookie: ana.cookie });
      const benSock = await TestSocket.open(srv, { cookie: ben.cookie });
      await anaSock.handshake();
      await benSock.handshake();
      expect((await ana.call('PUT', '/api/agent/status', { status: 'available' })).status).toBe(200);
      advance(1); // Ben becomes available later: Ana is idle longer
      expect((await ben.call('PUT', '/api/agent/status', { status: 'available' })).status).toBe(200);
      await routing().idle();
      return { ana, ben, anaSock, benSock };
    }
    const offerFrames = (sock: TestSocket) =>
      sock.frames.filter((f) => f.type === 'offer' || f.type === 'offer_closed') as Array<
        { type: 'offer'; offer: OfferView } | { type: 'offer_closed'; offerId: string; reason: string }
      >;

    it('offer frames reach the offered agent only; a decline moves the chat to the next agent', async () => {
      const { ana, anaSock, benSock } = await consoles();
      const chat = await queueChat();
      const frame = anaSock.next('offer', (f) => f.offer.conversation.id === chat);
      routing().kick();
      const { offer } = await frame;
      expect(offer).toMatchObject({ kind: 'queue', note: null });
      expect(Date.parse(offer.expiresAt) - Date.parse(offer.offeredAt)).toBe(TIMEOUT * 1000);
      await sleep(100);
      expect(offerFrames(benSock)).toEqual([]);

      const listed = await ana.call('GET', '/api/offers');
      expect(listed.json.offers.map((o: OfferView) => o.id)).toEqual([offer.id]);

      const closed = anaSock.next('offer_closed', (f) => f.offerId === offer.id);
      const toBen = benSock.next('offer', (f) => f.offer.conversation.id === chat);
      expect((await ana.call('POST', `/api/offers/${offer.id}/decline`)).json).toEqual({ ok: true });
      expect((await closed).reason).toBe('declined');
      await toBen;
      // Ana saw her offer and its close, nothing of Ben's.
      expect(offerFrames(anaSock).map((f) => f.type)).toEqual(['offer', 'offer_closed']);
      anaSock.terminate();
      benSock.terminate();
    });

    it('accepting assigns the chat; a late or foreign accept is refused with a clear error', async () => {
      const { ana, ben, anaSock, benSock } = await consoles();
      const chat = await queueChat();
      const got = anaSock.next('offer', (f) => f.offer.conversation.id === chat);
      routing().kick();
      const { offer } = await got;

      // Ben cannot see or answer Ana's offer: it does not exist for him.
      const foreign = await ben.call('POST', `/api/offers/${offer.id}/accept`);
      expect(foreign.status).toBe(404);
      expect(foreign.json.error.code).toBe('offer_not_found');
      expect((await ben.call('POST', `/api/offers/no-such-offer/accept`)).json.error.code).toBe('offer_not_found');
      expect((await ben.call('POST', `/api/offers/${offer.id}/decline`)).status).toBe(404);

      const closed = anaSock.next('offer_closed', (f) => f.offerId === offer.id);
      const ok = await ana.call('POST', `/api/offers/${offer.id}/accept`);
      expect(ok.status).toBe(200);
      expect(ok.json.conversation).toMatchObject({ id: chat, status: 'assigned' });
      expect((await closed).reason).toBe('accepted');
      const again = await ana.call('POST', `/api/offers/${offer.id}/accept`);
      expect(again.status).toBe(409);
      expect(again.json.error.code).toBe('offer_closed');

      // An offer past its deadline is refused even before any sweep has expired it.
      const late = await queueChat();
      const lateOffer = anaSock.next('offer', (f) => f.offer.conversation.id === late);
      routing().kick();
      const { offer: o2 } = await lateOffer;
      advance(TIMEOUT);
      const expired = await ana.call('POST', `/api/offers/${o2.id}/accept`);
      expect(expired.status).toBe(409);
      expect(expired.json.error).toMatchObject({ code: 'offer_closed', message: expect.stringMatching(/expired/) });
      const row = await db()
        .selectFrom('conversations')
        .select('status')
        .where('id', '=', late)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('queued');
      // Bad ids are a 400, not a 500.
      expect((await ana.call('POST', `/api/offers/${'x'.repeat(100)}/accept`)).status).toBe(400);
      anaSock.terminate();
      benSock.terminate();
    });

    it('a chat taken from the list or ended withdraws its pending offer (offer_closed frame)', async () => {
      const { ana, anaSock, benSock } = await consoles();
      const taken = await queueChat({ waitedFor: 20 });
      const ended = await queueChat({ waitedFor: 10 });
      const both = Promise.all([
        anaSock.next('offer', (f) => f.offer.conversation.id === taken),
        benSock.next('offer', (f) => f.offer.conversation.id === ended),
      ]);
      // Ana has room for both; make Ben's turn come by filling Ana after the first offer.
      await db().updateTable('agents').set({ max_concurrent: 1 }).where('id', '=', 'agent_ana').execute();
      routing().kick();
      const [{ offer: toAna }, { offer: toBen }] = await both;

      // Ben takes Ana's chat straight from the waiting list.
      const withdrawn = anaSock.next('offer_closed', (f) => f.offerId === toAna.id);
      const benActor: Actor = {
        role: 'agent',
        agentId: 'agent_ben',
        firstName: 'Ben',
        sessionHash: 'x',
        skills: [{ teamId: 'general', language: 'en' }],
      };
      await server().app.services.conversations.accept(benActor, taken);
      expect((await withdrawn).reason).toBe('withdrawn');
      // The cardmember leaves while Ben's offer is open.
      const gone = benSock.next('offer_closed', (f) => f.offerId === toBen.id);
      const maria: Actor = {
        role: 'cardmember',
        cardmemberId: 'cm_maria',
        cardId: 'card_maria_gold',
        sessionHash: 'x',
        firstName: 'Maria',
        language: 'en',
      };
      await server().app.services.conversations.end(maria, ended);
      expect((await gone).reason).toBe('withdrawn');
      const states = await offers();
      expect(states.map((o) => o.state)).toEqual(['withdrawn', 'withdrawn']);
      expect((await ana.call('POST', `/api/offers/${toAna.id}/accept`)).json.error.code).toBe('offer_closed');
      anaSock.terminate();
      benSock.terminate();
    });

    it('a console that reconnects gets its open offers again', async () => {
      const { ana, anaSock, benSock } = await consoles();
      const chat = await queueChat();
      const first = anaSock.next('offer', (f) => f.offer.conversation.id === chat);
      routing().kick();
      const { offer } = await first;
      anaSock.terminate();
      const again = await TestSocket.open(server(), { cookie: ana.cookie });
      const replay = again.next('offer', (f) => f.offer.id === offer.id);
      await again.handshake();
      expect((await replay).offer.conversation.id).toBe(chat);
      // An expired one is not replayed.
      advance(TIMEOUT);
      const late = await TestSocket.open(server(), { cookie: ana.cookie });
      await late.handshake();
      await sleep(200);
      expect(offerFrames(late)).toEqual([]);
      again.terminate();
      late.terminate();
      benSock.terminate();
    });

    // Re-telling a whole queue its places reads capacity once per queue; the answer must be exactly
    // what each chat would be told on its own.
    it('tells many waiting chats the same places and estimates as one at a time', async () => {
      await boot();
      await addAgent('a_busy', { skills: [['general', 'en']], status: 'busy' });
      await addAgent('a_free', {
        skills: [
          ['general', 'en'],
          ['disputes', 'en'],
        ],
        max: 1,
      });
      for (const [team, priority, waitedFor] of [
        ['general', 0, 300],
        ['general', 0, 200],
        ['general', 10, 5],
        ['disputes', 0, 100],
        ['general', 5, 50],
        ['disputes', 0, 400],
      ] as const)
        await queueChat({ team, priority, waitedFor });
      const rows = await db()
        .selectFrom('conversations')
        .selectAll()
        .where('status', '=', 'queued')
        .orderBy('priority', 'desc')
        .orderBy('queued_at', 'asc')
        .orderBy('id', 'asc')
        .execute();
      const now = clock.now();
      const queues = server().app.services.queues;
      const batch = await queues.infoForQueued(rows, now);
      expect(batch.size).toBe(6);
      for (const r of rows) expect(batch.get(r.id)).toEqual(await queues.info(r, now));
      expect(rows.filter((r) => r.team_id === 'general').map((r) => batch.get(r.id)!.position)).toEqual([1, 2, 3, 4]);
    });
  });
});
