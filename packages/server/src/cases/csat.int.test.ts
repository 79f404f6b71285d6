/**
 * Post-chat satisfaction against a real server, on SQLite and PostgreSQL: only the owner rates, only a
 * closed chat an agent handled, once; bad scores are 400; the comment is redacted; the response keeps
 * the agent and team; the supervisor board shows today's average and count per queue.
 */
import type { SupervisorBoard } from '@carechat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Assistant } from '../assistant/assistant.js';
import {
  dbKind,
  postJson,
  staffLogin,
  startServer,
  storeUnavailable,
  widgetSession,
  type TestServer,
} from '../../test/helpers.js';

const stores = dbKind === 'postgres' ? (['postgres'] as const) : (['sqlite', 'postgres'] as const);
const unavailable = { sqlite: null, postgres: await storeUnavailable('postgres') };
const SILENT: Assistant = { greet: () => ({ replies: [] }), respond: async () => ({ replies: [] }) };
const CARDS = {
  maria: { sub: 'cm_maria', card: 'card_maria_gold' },
  sam: { sub: 'cm_sam', card: 'card_sam_blue' },
  jose: { sub: 'cm_jose', card: 'card_jose_green' },
} as const;
type Staff = Awaited<ReturnType<typeof staffLogin>>;

describe.each(stores)('CSAT on %s', (kind) => {
  let s: TestServer;
  let ana: Staff;
  let sofia: Staff;

  beforeAll(async () => {
    if (unavailable[kind]) return;
    s = await startServer({ db: kind, assistant: SILENT, env: { ROUTING_SWEEP_MS: '60000' } });
    ana = await staffLogin(s, 'ana@carechat.test', 'demo-ana-2024');
    sofia = await staffLogin(s, 'sofia@carechat.test', 'demo-sofia-2024');
  }, 60_000);
  afterAll(async () => s?.close());

  /** A fresh chat of the persona; `handled`: Ana takes it; `close`: then it ends. */
  async function chat(persona: keyof typeof CARDS, o: { handled: boolean; close: boolean }) {
    await s.app.store.db
      .updateTable('conversations')
      .set({ status: 'closed', closed_at: new Date().toISOString(), closed_by: 'system' })
      .where('card_id', '=', CARDS[persona].card)
      .where('status', '!=', 'closed')
      .execute();
    const session = await widgetSession(s, CARDS[persona]);
    const id = session.conversation.id;
    const auth = { authorization: `Bearer ${session.sessionToken}` };
    if (o.handled) {
      await s.app.services.conversations.enqueue(id, 'general', 0, 'test');
      expect((await ana.call('POST', `/api/conversations/${id}/accept`)).status).toBe(200);
    }
    if (o.close) expect((await postJson(`${s.url}/api/widget/conversations/${id}/end`, {}, auth)).status).toBe(200);
    const rate = (body: unknown, headers = auth) =>
      postJson(`${s.url}/api/widget/conversations/${id}/csat`, body, headers);
    return { id, auth, rate };
  }

  it.skipIf(!!unavailable[kind])(
    'stores one rating of a closed chat an agent handled, with agent, team and redacted comment',
    async () => {
      const c = await chat('maria', { handled: true, close: true });
      const r = await c.rate({ score: 4, comment: 'Ana was great. My card 4111 1111 1111 1111 works again' });
      expect([r.status, r.json]).toEqual([201, { ok: true }]);
      const row = await s.app.store.db
        .selectFrom('csat_responses')
        .selectAll()
        .where('conversation_id', '=', c.id)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ cardmember_id: 'cm_maria', agent_id: 'agent_ana', team_id: 'general', score: 4 });
      expect(row.comment).toMatch(/Ana was great/);
      expect(row.comment).not.toMatch(/4111 ?1111 ?1111 ?1111/);
      // Once only.
      const again = await c.rate({ score: 1 });
      expect([again.status, again.json.error.code]).toEqual([409, 'conflict']);
      const stored = await s.app.store.db
        .selectFrom('csat_responses')
        .select('score')
        .where('conversation_id', '=', c.id)
        .execute();
      expect(stored).toEqual([{ score: 4 }]);
    },
  );

  it.skipIf(!!unavailable[kind])(
    'refuses open chats, chats no agent handled, bad scores and other people',
    async () => {
      const open = await chat('sam', { handled: true, close: false });
      const r1 = await open.rate({ score: 5 });
      expect([r1.status, r1.json.error.code]).toEqual([409, 'conflict']);

      const botOnly = await chat('sam', { handled: false, close: true });
      const r2 = await botOnly.rate({ score: 5 });
      expect([r2.status, r2.json.error.code]).toEqual([409, 'conflict']);

      const c = await chat('jose', { handled: true, close: true });
      for (const body of [
        { score: 0 },
        { score: 6 },
        { score: 3.5 },
        { score: '5' },
        {},
        { score: 3, comment: 'x'.repeat(1001) },
      ]) {
        const r = await c.rate(body);
        expect([r.status, r.json.error.code]).toEqual([400, 'bad_request']);
      }
      // Someone else's chat is not found; no session is a 401.
      const other = await widgetSession(s, CARDS.maria);
      const r3 = await c.rate({ score: 5 }, { authorization: `Bearer ${other.sessionToken}` });
      expect([r3.status, r3.json.error.code]).toEqual([404, 'conversation_not_found']);
      const r4 = await c.rate({ score: 5 }, {} as typeof c.auth);
      expect(r4.status).toBe(401);
      // Staff cookies are not chat sessions.
      const r5 = await fetch(`${s.url}/api/widget/conversations/${c.id}/csat`, {
        method: 'POST',
        headers: { cookie: ana.cookie, 'x-csrf-token': ana.csrf, 'content-type': 'application/json' },
        body: JSON.stringify({ score: 5 }),
      });
      expect(r5.status).toBe(401);
      expect((await c.rate({ score: 2 })).status).toBe(201);
    },
  );

  it.skipIf(!!unavailable[kind])("shows today's CSAT average and count per queue on the supervisor board", async () => {
    const before = await sofia.call('GET', '/api/supervisor/board');
    const general = (b: SupervisorBoard, language: string) =>
      b.queues.find((q) => q.teamId === 'general' && q.language === language)!;
    const base = general(before.json, 'en');
    const baseCount = base.csatCount ?? 0;
    const baseSum = (base.csatAverage ?? 0) * baseCount;
    const a = await chat('maria', { handled: true, close: true });
    const b = await chat('sam', { handled: true, close: true });
    expect((await a.rate({ score: 5 })).status).toBe(201);
    expect((await b.rate({ score: 2 })).status).toBe(201);
    // A response from yesterday does not count today.
    const old = await chat('maria', { handled: true, close: true });
    await s.app.store.db
      .insertInto('csat_responses')
      .values({
        conversation_id: old.id,
        cardmember_id: 'cm_maria',
        agent_id: 'agent_ana',
        team_id: 'general',
        score: 1,
        comment: null,
        created_at: new Date(Date.now() - 2 * 86_400_000).toISOString(),
      })
      .execute();
    const after = (await sofia.call('GET', '/api/supervisor/board')).json as SupervisorBoard;
    const q = general(after, 'en');
    expect(q.csatCount).toBe(baseCount + 2);
    expect(q.csatAverage).toBeCloseTo((baseSum + 7) / (baseCount + 2), 2);
    // A queue without responses today says so.
    const disputes = after.queues.find((x) => x.teamId === 'disputes' && x.language === 'es')!;
    expect(disputes).toMatchObject({ csatAverage: null, csatCount: 0 });
  });
});
