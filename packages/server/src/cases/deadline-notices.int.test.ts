/**
 * Deadline warnings reach the owning team (issue 7), through the real server (SQLite, then PostgreSQL):
 * when a case timer fires, the staff sockets of the owning team (and its supervisors) get a `case_deadline`
 * frame and nobody else does; `GET /api/team/cases` lists the team's open cases with a warning or breach
 * still owed, for that team's staff only.
 */
import type { CaseDeadlineFrame } from '@carechat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, formatDate } from '../accounts/rules/dates.js';
import { MutableClock } from '../accounts/testing/clock.js';
import { dbKind, staffLogin, startServer, storeUnavailable, TestSocket, type TestServer } from '../../test/helpers.js';
import type { CaseActor } from './cases.service.js';

const unavailable = await storeUnavailable(dbKind);
const AGENT: CaseActor = { type: 'agent', id: 'agent_ben', name: 'Ben' };

describe.skipIf(unavailable)(`case deadline notices on ${dbKind}`, () => {
  let s: TestServer;
  const clock = new MutableClock(new Date());
  const today = formatDate(clock.now());
  const tomorrow = addDays(today, 1);
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    // Sessions idle out on the app's clock: long enough for the clock to reach tomorrow's first minute.
    // The test sweeps by hand (the background sweep would race it).
    s = await startServer({
      db: dbKind,
      clock,
      env: { STAFF_SESSION_IDLE_SECONDS: '86400', CASE_TIMER_SWEEP_MS: '3600000' },
    });
  });
  afterAll(async () => {
    sockets.forEach((w) => w.terminate());
    await s?.close();
  });

  async function socketOf(login: { cookie: string }) {
    const w = await TestSocket.open(s, { cookie: login.cookie });
    sockets.push(w);
    await w.handshake();
    return w;
  }
  /** Every frame sent to `w` before this call has arrived once the pong does. */
  async function drained(w: TestSocket) {
    const pong = w.next('pong', (f) => f.nonce === 'drain');
    w.send({ type: 'ping', nonce: 'drain' });
    await pong;
  }
  const deadlineFrames = (w: TestSocket) => w.frames.filter((f): f is CaseDeadlineFrame => f.type === 'case_deadline');

  it('tells the owning team’s sockets when the warning fires, and lists the case for that team only', async () => {
    const cases = s.app.services.cases;
    const timers = s.app.services.caseTimers;
    // Acknowledge-by in 6 days: the warning (5 days before) is due at the start of tomorrow.
    const dispute = await cases.open({
      type: 'general',
      title: 'Duplicate dinner',
      cardmemberId: 'cm_jose',
      language: 'es',
      ownerTeamId: 'disputes',
      acknowledgeBy: addDays(today, 6),
      resolveBy: addDays(today, 60),
      actor: AGENT,
    });
    // Another team's case whose warning is due at the same time: disputes staff are not told of it.
    const fraud = await cases.open({
      type: 'general',
      title: 'Fraud case',
      cardmemberId: 'cm_jose',
      language: 'es',
      ownerTeamId: 'fraud',
      acknowledgeBy: addDays(today, 6),
      resolveBy: addDays(today, 60),
      actor: AGENT,
    });

    const ben = await staffLogin(s, 'ben@carechat.test', 'demo-ben-2024'); // General + Disputes
    const ana = await staffLogin(s); // General only
    const sofia = await staffLogin(s, 'sofia@carechat.test', 'demo-sofia-2024'); // supervises all teams
    const benWs = await socketOf(ben);
    const anaWs = await socketOf(ana);
    const sofiaWs = await socketOf(sofia);

    // Nothing is due yet: no frame, and the team list is empty.
    expect(await timers.sweep()).toBe(0);
    const before = await ben.call('GET', '/api/team/cases');
    expect(before.status).toBe(200);
    expect(before.json).toEqual({ cases: [] });

    clock.set(new Date(`${tomorrow}T00:00:30.000Z`));
    const benFrame = benWs.next('case_deadline', (f) => f.caseId === dispute.id);
    const sofiaFrame = sofiaWs.next('case_deadline', (f) => f.caseId === dispute.id);
    expect(await timers.sweep()).toBe(2);
    const expected: CaseDeadlineFrame = {
      type: 'case_deadline',
      caseId: dispute.id,
      reference: dispute.reference,
      ownerTeamId: 'disputes',
      kind: 'acknowledge_warning',
      due: addDays(today, 6),
    };
    expect(await benFrame).toEqual(expected);
    expect(await sofiaFrame).toEqual(expected);
    await Promise.all([benWs, anaWs, sofiaWs].map(drained));
    // Exactly once each, and only the teams' own cases.
    expect(deadlineFrames(benWs)).toEqual([expected]);
    expect(deadlineFrames(anaWs)).toEqual([]);
    expect(
      deadlineFrames(sofiaWs)
        .map((f) => f.caseId)
        .sort(),
    ).toEqual([dispute.id, fraud.id].sort());

    // A second sweep fires nothing more.
    expect(await timers.sweep()).toBe(0);
    await drained(benWs);
    expect(deadlineFrames(benWs)).toHaveLength(1);

    // The console's list on load: disputes staff see the case with what is due; the General-only agent does not.
    const listed = await ben.call('GET', '/api/team/cases');
    expect(listed.status).toBe(200);
    const rows = listed.json.cases as Array<{ id: string; reference: string; deadline: unknown; timeline?: unknown }>;
    expect(rows.map((c) => c.id)).toEqual([dispute.id]);
    expect(rows[0]).toMatchObject({
      reference: dispute.reference,
      ownerTeamId: 'disputes',
      deadline: { kind: 'acknowledge_warning', due: addDays(today, 6) },
    });
    expect(rows[0]).toHaveProperty('timeline'); // a staff view
    const anaList = await ana.call('GET', '/api/team/cases');
    expect(anaList.status).toBe(200);
    expect(anaList.json).toEqual({ cases: [] });
    const sofiaList = await sofia.call('GET', '/api/team/cases');
    expect((sofiaList.json.cases as Array<{ id: string }>).map((c) => c.id).sort()).toEqual(
      [dispute.id, fraud.id].sort(),
    );

    // Acknowledged: the warning is no longer owed, so the case leaves the list.
    await cases.transition(dispute.id, 'acknowledged', AGENT, 'We are on it.');
    const after = await ben.call('GET', '/api/team/cases');
    expect(after.json).toEqual({ cases: [] });
  });

  it('refuses callers without a staff session', async () => {
    const r = await fetch(`${s.url}/api/team/cases`);
    expect(r.status).toBe(401);
    const body = (await r.json()) as { error: { code: string } };
    expect(body.error.code).toBeTruthy();
  });
});
