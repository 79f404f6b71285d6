/**
 * The supervisor's case deadlines through the real server (SQLite, then PostgreSQL): open cases first by
 * the nearest deadline still owed, SLA days left, warning and breach (overdue now, or met late), only the
 * supervisor's teams, refused to agents. Day counts use the server's day (UTC).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, formatDate } from '../accounts/rules/dates.js';
import { dbKind, staffLogin, startServer, storeUnavailable, type TestServer } from '../../test/helpers.js';
import type { CaseActor } from './cases.service.js';
import { slaOf, supervisorCases } from './sla.routes.js';

const unavailable = await storeUnavailable(dbKind);
const AGENT: CaseActor = { type: 'agent', id: 'agent_ben', name: 'Ben' };

describe('slaOf', () => {
  const today = '2026-11-25';
  const base = { status: 'open' as const, acknowledged_at: null, resolved_at: null };
  it('counts days left to each deadline still owed', () => {
    expect(slaOf({ ...base, acknowledge_by: '2026-12-25', resolve_by: '2027-01-25' }, today)).toEqual({
      acknowledgeInDays: 30,
      resolveInDays: 61,
      warning: false,
      breached: false,
    });
  });
  it('warns 5 days before acknowledge-by and 10 before resolve-by, not before', () => {
    expect(slaOf({ ...base, acknowledge_by: '2026-11-30', resolve_by: '2027-01-25' }, today).warning).toBe(true);
    expect(slaOf({ ...base, acknowledge_by: '2026-12-01', resolve_by: '2027-01-25' }, today).warning).toBe(false);
    const acked = { ...base, status: 'acknowledged' as const, acknowledged_at: '2026-11-20T10:00:00.000Z' };
    expect(slaOf({ ...acked, acknowledge_by: '2026-11-30', resolve_by: '2026-12-05' }, today)).toEqual({
      acknowledgeInDays: null,
      resolveInDays: 10,
      warning: true,
      breached: false,
    });
    expect(slaOf({ ...acked, acknowledge_by: '2026-11-30', resolve_by: '2026-12-06' }, today).warning).toBe(false);
  });
  it('is breached on the day after a deadline, and stays breached when met late', () => {
    expect(slaOf({ ...base, acknowledge_by: '2026-11-25', resolve_by: '2027-01-25' }, today)).toMatchObject({
      acknowledgeInDays: 0,
      breached: false,
      warning: true,
    });
    expect(slaOf({ ...base, acknowledge_by: '2026-11-24', resolve_by: '2027-01-25' }, today)).toMatchObject({
      acknowledgeInDays: -1,
      breached: true,
      warning: false,
    });
    const resolvedLate = {
      status: 'resolved' as const,
      acknowledge_by: '2026-10-01',
      resolve_by: '2026-11-01',
      acknowledged_at: '2026-09-20T09:00:00.000Z',
      resolved_at: '2026-11-02T09:00:00.000Z',
    };
    expect(slaOf(resolvedLate, today)).toEqual({
      acknowledgeInDays: null,
      resolveInDays: null,
      warning: false,
      breached: true,
    });
    expect(slaOf({ ...resolvedLate, resolved_at: '2026-11-01T23:00:00.000Z' }, today).breached).toBe(false);
  });
  it('has nothing to say about a case without deadlines', () => {
    expect(slaOf({ ...base, acknowledge_by: null, resolve_by: null }, today)).toEqual({
      acknowledgeInDays: null,
      resolveInDays: null,
      warning: false,
      breached: false,
    });
  });
});

describe.skipIf(unavailable)(`GET /api/supervisor/cases on ${dbKind}`, () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ db: dbKind });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('lists the teams’ cases, open ones by nearest deadline, with SLA flags; agents are refused', async () => {
    const cases = s.app.services.cases;
    const today = formatDate(new Date());
    const open = (title: string, ack: string | null, res: string | null, ownerTeamId = 'disputes') =>
      cases.open({
        type: 'general',
        title,
        cardmemberId: 'cm_jose',
        language: 'es',
        ownerTeamId,
        acknowledgeBy: ack,
        resolveBy: res,
        actor: AGENT,
      });
    const later = await open('Later', addDays(today, 20), addDays(today, 60));
    const overdue = await open('Overdue', addDays(today, -1), addDays(today, 30));
    const none = await open('No deadlines', null, null, 'general');
    const near = await open('Near', addDays(today, 3), addDays(today, 40));
    const settled = await open('Settled', addDays(today, 20), addDays(today, 60));
    await cases.transition(settled.id, 'resolved', AGENT, 'Done.');
    const fraud = await open('Fraud team', addDays(today, 2), addDays(today, 50), 'fraud');

    const sofia = await staffLogin(s, 'sofia@carechat.test', 'demo-sofia-2024');
    const r = await sofia.call('GET', '/api/supervisor/cases');
    expect(r.status).toBe(200);
    const rows = r.json.cases as Array<{ id: string; title: string; status: string; sla: Record<string, unknown> }>;
    expect(rows.map((c) => c.title)).toEqual(['Overdue', 'Fraud team', 'Near', 'Later', 'No deadlines', 'Settled']);
    const byId = new Map(rows.map((c) => [c.id, c]));
    expect(byId.get(overdue.id)!.sla).toEqual({
      acknowledgeInDays: -1,
      resolveInDays: 30,
      warning: false,
      breached: true,
    });
    expect(byId.get(near.id)!.sla).toEqual({ acknowledgeInDays: 3, resolveInDays: 40, warning: true, breached: false });
    expect(byId.get(later.id)!.sla).toEqual({
      acknowledgeInDays: 20,
      resolveInDays: 60,
      warning: false,
      breached: false,
    });
    expect(byId.get(none.id)!.sla).toEqual({
      acknowledgeInDays: null,
      resolveInDays: null,
      warning: false,
      breached: false,
    });
    expect(byId.get(settled.id)).toMatchObject({ status: 'resolved', sla: { resolveInDays: null, breached: false } });
    // A staff view: the timeline and links are there.
    expect(byId.get(settled.id)).toHaveProperty('links');

    // Only the teams one supervises.
    const onlyFraud = await supervisorCases({ db: s.app.store.db, cases, clock: { now: () => new Date() } }, ['fraud']);
    expect(onlyFraud.map((c) => c.id)).toEqual([fraud.id]);

    const ana = await staffLogin(s);
    const refused = await ana.call('GET', '/api/supervisor/cases');
    expect(refused.status).toBe(403);
    expect(refused.json.error).toMatchObject({ code: 'forbidden' });
  });
});
