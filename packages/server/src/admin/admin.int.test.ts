/**
 * The configuration API against a real server and store (SQLite, or PostgreSQL with
 * CARECHAT_TEST_DB=postgres): admins only, validation with clear 400s, the audit row per change, the
 * `queue.changed` events after commit, and that routing really follows a changed skill and hours.
 */
import type { AdminAgentView, AdminTeamView, TeamView } from '@carechat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../seed/demo.js';
import type { Assistant } from '../assistant/assistant.js';
import { InProcessBus } from '../bus/bus.js';
import { channels, type BusEvent } from '../bus/events.js';
import { dbKind, eventually, staffLogin, startServer, storeUnavailable, type TestServer } from '../../test/helpers.js';

const stores = [dbKind] as const;
const skip = await storeUnavailable();
const SILENT: Assistant = { greet: () => ({ replies: [] }), respond: async () => ({ replies: [] }) };

type Login = Awaited<ReturnType<typeof staffLogin>>;

const WEEKDAYS_9_TO_5 = {
  timeZone: 'Europe/Madrid',
  weekly: [[], ...Array.from({ length: 5 }, () => [{ open: '09:00', close: '17:00' }]), []],
};
const teamBody = (o: Record<string, unknown> = {}) => ({
  name: { en: 'Business', es: 'Empresas' },
  hours: WEEKDAYS_9_TO_5,
  phone: '+1 800 555 0199',
  answerSlaSeconds: 90,
  ...o,
});

describe.skipIf(skip).each(stores)('admin configuration on %s', (kind) => {
  let s: TestServer;
  let admin: Login;
  let ana: Login;
  const events: BusEvent[] = [];

  beforeAll(async () => {
    const bus = new InProcessBus();
    bus.subscribe(channels.staff, (e) => events.push(e));
    s = await startServer({ db: kind, bus, assistant: SILENT, env: { ROUTING_SWEEP_MS: '60000' } });
    admin = await staffLogin(s, 'admin@carechat.test', 'demo-admin-2024');
    ana = await staffLogin(s, 'ana@carechat.test', 'demo-ana-2024');
  }, 60_000);
  afterAll(async () => s?.close());

  const audits = (targetId: string) =>
    s.app.store.db.selectFrom('audit_log').selectAll().where('target_id', '=', targetId).orderBy('at').execute();
  const queueEvents = () =>
    events.filter((e) => e.name === 'queue.changed').map((e) => e.payload as { teamId: string; language: string });

  describe('teams', () => {
    it('lists every team with hours, phone and SLA', async () => {
      const r = await admin.call('GET', '/api/admin/teams');
      expect(r.status).toBe(200);
      const teams = r.json.teams as AdminTeamView[];
      expect(teams.map((t) => t.id)).toEqual(expect.arrayContaining(['general', 'business', 'fraud']));
      const business = teams.find((t) => t.id === 'business')!;
      expect(business.name).toEqual({ en: 'Business', es: 'Empresas' });
      expect(business.hours?.timeZone).toBe('America/New_York');
      expect(business.answerSlaSeconds).toBe(120);
      expect(teams.find((t) => t.id === 'general')!.hours).toBeNull();
    });

    it('updates a team: agents see the new hours at once, the change is audited and queues are told', async () => {
      events.length = 0;
      const r = await admin.call('PUT', '/api/admin/teams/business', teamBody());
      expect(r.status).toBe(200);
      expect(r.json.team).toEqual({ id: 'business', ...teamBody() });
      const seen = (await ana.call('GET', '/api/teams')).json.teams as TeamView[];
      expect(seen.find((t) => t.id === 'business')).toEqual({
        id: 'business',
        name: { en: 'Business', es: 'Empresas' },
        hours: WEEKDAYS_9_TO_5,
        phone: '+1 800 555 0199',
      });
      expect(await s.app.services.queues.team('business')).toMatchObject({ answerSlaSeconds: 90 });
      const [row] = await audits('business');
      expect(row).toMatchObject({
        operation: 'admin.team.updated',
        actor_type: 'admin',
        actor_id: 'agent_admin',
        target_type: 'team',
        outcome: 'ok',
      });
      const changes = JSON.parse(row!.details).changes as Record<string, unknown>;
      expect(Object.keys(changes).sort()).toEqual(['answer_sla_seconds', 'hours', 'phone']);
      expect(queueEvents()).toEqual([
        { teamId: 'business', language: 'en' },
        { teamId: 'business', language: 'es' },
      ]);
    });

    it('creates a team (201) and then updates it (200); 24/7 is hours null, no phone is null', async () => {
      const body = teamBody({ name: { en: 'Premium', es: 'Premium' }, hours: null, phone: '' });
      const created = await admin.call('PUT', '/api/admin/teams/premium', body);
      expect(created.status).toBe(201);
      expect(created.json.team).toMatchObject({ id: 'premium', hours: null, phone: null });
      const again = await admin.call('PUT', '/api/admin/teams/premium', { ...body, answerSlaSeconds: 300 });
      expect(again.status).toBe(200);
      expect(again.json.team.answerSlaSeconds).toBe(300);
      expect((await audits('premium')).map((a) => a.operation)).toEqual(['admin.team.created', 'admin.team.updated']);
    });

    it.each([
      ['a bad team id', '/api/admin/teams/Bad%20Id', teamBody(), 'id'],
      [
        'an unknown time zone',
        '/api/admin/teams/business',
        teamBody({ hours: { ...WEEKDAYS_9_TO_5, timeZone: 'Mars/Olympus' } }),
        'hours.timeZone',
      ],
      [
        'an impossible time',
        '/api/admin/teams/business',
        teamBody({
          hours: { ...WEEKDAYS_9_TO_5, weekly: [[{ open: '25:00', close: '26:00' }], [], [], [], [], [], []] },
        }),
        'hours.weekly.0.0.open',
      ],
      [
        'six weekdays',
        '/api/admin/teams/business',
        teamBody({ hours: { ...WEEKDAYS_9_TO_5, weekly: [[], [], [], [], [], []] } }),
        'hours.weekly',
      ],
      ['an SLA under 10 s', '/api/admin/teams/business', teamBody({ answerSlaSeconds: 9 }), 'answerSlaSeconds'],
      ['an SLA over a day', '/api/admin/teams/business', teamBody({ answerSlaSeconds: 86_401 }), 'answerSlaSeconds'],
      ['a blank name', '/api/admin/teams/business', teamBody({ name: { en: ' ', es: 'x' } }), 'name.en'],
      ['letters in the phone', '/api/admin/teams/business', teamBody({ phone: 'call us' }), 'phone'],
    ])('refuses %s with a 400 naming the field', async (_what, path, body, field) => {
      const before = await audits('business');
      const r = await admin.call('PUT', path, body);
      expect(r.status).toBe(400);
      expect(r.json.error.code).toBe('bad_request');
      expect((r.json.error.details as Array<{ path: string }>).map((d) => d.path)).toContain(field);
      expect(await audits('business')).toHaveLength(before.length);
    });

    // The demo seed runs at every boot and fills missing demo hours and phones; a team an operator
    // configured keeps what they chose, null (24/7, no phone) included.
    it("keeps an operator's 24/7 and no-phone choice when the demo seed runs again", async () => {
      const r = await admin.call('PUT', '/api/admin/teams/business', teamBody({ hours: null, phone: '' }));
      expect(r.status).toBe(200);
      await seedDemo(s.app.store.db, new Date());
      const business = await s.app.store.db
        .selectFrom('teams')
        .select(['hours', 'phone'])
        .where('id', '=', 'business')
        .executeTakeFirstOrThrow();
      expect(business).toEqual({ hours: null, phone: null });
      // A demo team nobody configured still gets its line filled in.
      await s.app.store.db.updateTable('teams').set({ phone: null }).where('id', '=', 'travel').execute();
      await seedDemo(s.app.store.db, new Date());
      const travel = await s.app.store.db
        .selectFrom('teams')
        .select('phone')
        .where('id', '=', 'travel')
        .executeTakeFirstOrThrow();
      expect(travel.phone).not.toBeNull();
    });

    it('accepts a close of 24:00, an overnight interval and a whole day', async () => {
      const hours = { timeZone: 'UTC', weekly: Array.from({ length: 7 }, () => [{ open: '22:00', close: '06:00' }]) };
      hours.weekly[1] = [{ open: '08:00', close: '24:00' }];
      hours.weekly[2] = [{ open: '00:00', close: '00:00' }];
      const r = await admin.call('PUT', '/api/admin/teams/premium', teamBody({ name: { en: 'P', es: 'P' }, hours }));
      expect(r.status).toBe(200);
      expect(r.json.team.hours).toEqual(hours);
    });
  });

  describe('agents', () => {
    it('lists every staff account with role, state, max concurrent and skills', async () => {
      const r = await admin.call('GET', '/api/admin/agents');
      expect(r.status).toBe(200);
      const agents = r.json.agents as AdminAgentView[];
      expect(agents.find((a) => a.id === 'agent_ana')).toEqual({
        id: 'agent_ana',
        email: 'ana@carechat.test',
        displayName: 'Ana Ruiz',
        role: 'agent',
        state: expect.any(String),
        maxConcurrent: 3,
        skills: [
          { teamId: 'general', language: 'en' },
          { teamId: 'general', language: 'es' },
        ],
      });
      expect(agents.find((a) => a.id === 'agent_admin')).toMatchObject({ role: 'admin', skills: [] });
    });

    it('changes skills and max concurrent: routing offers the new queue to the agent at once', async () => {
      // Business open around the clock, so the waiting chat can be offered whenever the test runs.
      expect((await admin.call('PUT', '/api/admin/teams/business', teamBody({ hours: null }))).status).toBe(200);
      const ben = await staffLogin(s, 'ben@carechat.test', 'demo-ben-2024');
      expect((await ben.call('PUT', '/api/agent/status', { status: 'available' })).status).toBe(200);
      const conversations = s.app.services.conversations;
      const chat = await conversations.openForCard({
        cardmemberId: 'cm_dana',
        cardId: 'card_dana_biz',
        language: 'en',
      });
      await conversations.enqueue(chat.id, 'business', 0, 'admin test');
      await s.app.services.routing.idle();
      await s.app.services.routing.sweep();
      expect((await ben.call('GET', '/api/offers')).json.offers).toEqual([]);

      events.length = 0;
      const r = await admin.call('PUT', '/api/admin/agents/agent_ben', {
        skills: [
          { teamId: 'general', language: 'en' },
          { teamId: 'business', language: 'en' },
          { teamId: 'business', language: 'en' }, // duplicates collapse
        ],
        maxConcurrent: 5,
      });
      expect(r.status).toBe(200);
      expect(r.json.agent).toMatchObject({
        id: 'agent_ben',
        maxConcurrent: 5,
        skills: [
          { teamId: 'business', language: 'en' },
          { teamId: 'general', language: 'en' },
        ],
      });
      // Old and new queues alike: disputes/en lost Ben, business/en gained him.
      expect(queueEvents()).toEqual(
        expect.arrayContaining([
          { teamId: 'disputes', language: 'en' },
          { teamId: 'business', language: 'en' },
          { teamId: 'general', language: 'en' },
        ]),
      );
      const offers = await eventually(async () => {
        const o = (await ben.call('GET', '/api/offers')).json.offers as Array<{ conversation: { id: string } }>;
        return o.length ? o : null;
      });
      expect(offers.map((o) => o.conversation.id)).toEqual([chat.id]);
      expect((await ben.call('GET', '/api/auth/me')).json.agent).toMatchObject({ maxConcurrent: 5 });

      const [row] = await audits('agent_ben');
      expect(row?.operation).toBe('admin.agent.updated');
      expect(JSON.parse(row!.details).changes).toEqual({
        maxConcurrent: { from: 3, to: 5 },
        skills: { added: [{ teamId: 'business', language: 'en' }], removed: [{ teamId: 'disputes', language: 'en' }] },
      });
    });

    it('promotes an agent to supervisor and back', async () => {
      const up = await admin.call('PUT', '/api/admin/agents/agent_ana', { role: 'supervisor' });
      expect(up.json.agent.role).toBe('supervisor');
      expect((await ana.call('GET', '/api/supervisor/board')).status).toBe(200);
      const down = await admin.call('PUT', '/api/admin/agents/agent_ana', { role: 'agent' });
      expect(down.json.agent.role).toBe('agent');
      expect((await ana.call('GET', '/api/supervisor/board')).status).toBe(403);
    });

    it.each([
      ['an unknown team', 'agent_ben', { skills: [{ teamId: 'nope', language: 'en' }] }, 400, 'bad_request'],
      ['an unknown language', 'agent_ben', { skills: [{ teamId: 'general', language: 'fr' }] }, 400, 'bad_request'],
      ['0 chats', 'agent_ben', { maxConcurrent: 0 }, 400, 'bad_request'],
      ['21 chats', 'agent_ben', { maxConcurrent: 21 }, 400, 'bad_request'],
      ['a fraction of a chat', 'agent_ben', { maxConcurrent: 2.5 }, 400, 'bad_request'],
      ['making an admin', 'agent_ben', { role: 'admin' }, 400, 'bad_request'],
      ['an empty change', 'agent_ben', {}, 400, 'bad_request'],
      ['skills for an admin', 'agent_admin', { skills: [{ teamId: 'general', language: 'en' }] }, 400, 'bad_request'],
      ['demoting oneself', 'agent_admin', { role: 'supervisor' }, 403, 'forbidden'],
      ['an unknown agent', 'agent_nobody', { maxConcurrent: 2 }, 404, 'not_found'],
    ])('refuses %s', async (_what, id, body, status, code) => {
      const before = await audits(id);
      const r = await admin.call('PUT', `/api/admin/agents/${id}`, body);
      expect(r.status).toBe(status);
      expect(r.json.error.code).toBe(code);
      expect(await audits(id)).toHaveLength(before.length);
    });
  });

  describe('access', () => {
    it('refuses agents and supervisors (403) and anonymous callers (401)', async () => {
      const sofia = await staffLogin(s, 'sofia@carechat.test', 'demo-sofia-2024');
      for (const who of [ana, sofia]) {
        expect((await who.call('GET', '/api/admin/teams')).status).toBe(403);
        expect((await who.call('PUT', '/api/admin/agents/agent_ana', { maxConcurrent: 20 })).status).toBe(403);
      }
      expect((await fetch(`${s.url}/api/admin/agents`)).status).toBe(401);
    });

    it('needs the CSRF token on writes', async () => {
      const res = await fetch(`${s.url}/api/admin/teams/business`, {
        method: 'PUT',
        headers: { cookie: admin.cookie, 'content-type': 'application/json' },
        body: JSON.stringify(teamBody()),
      });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('csrf_failed');
    });
  });
});
