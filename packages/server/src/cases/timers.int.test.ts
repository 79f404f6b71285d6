/**
 * Case deadline timers on the real store (SQLite, then PostgreSQL in the second pass): written when a
 * dispute's case opens, fired by the sweep as the (mutable) clock passes them, each exactly once, as a
 * staff-only timeline entry and a `case.updated` event; cancelled by acknowledging and resolving;
 * kept across a restart (they are rows); and two nodes sweeping at once fire every timer once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MutableClock } from '../accounts/testing/clock.js';
import { InProcessBus } from '../bus/bus.js';
import { channels, type BusEvent } from '../bus/events.js';
import { PatternRedactor } from '../redaction/redactor.js';
import { seedDemo } from '../seed/demo.js';
import { createLogger } from '../shared/logger.js';
import { openStore, type Store } from '../store/db.js';
import { dbKind, freshDatabase, storeUnavailable, type TestDatabase } from '../../test/helpers.js';
import { CasesService, type CaseActor } from './cases.service.js';
import { CaseTimers } from './timers.js';

const unavailable = await storeUnavailable(dbKind);
const AGENT: CaseActor = { type: 'agent', id: 'agent_ben', name: 'Ben' };
const START = '2026-11-25T12:00:00Z';
// Notice 2026-11-25: acknowledge by Dec 25, resolve by Jan 25 (see timers.fcba.test.ts).
const DISPUTE = { id: 'dsp_t1', reference: 'DSP-7K2M9QXB', acknowledgeBy: '2026-12-25', resolveBy: '2027-01-25' };

describe.skipIf(unavailable)(`case timers on ${dbKind}`, () => {
  let db: TestDatabase | undefined;
  const stores: Store[] = [];
  const nodes: CaseTimers[] = [];
  afterEach(async () => {
    for (const n of nodes.splice(0)) await n.stop();
    for (const s of stores.splice(0)) await s.close();
    await db?.drop();
    db = undefined;
  });

  /** A node: its own connection (PostgreSQL) or the one SQLite connection, its own services and clock. */
  async function node(clock = new MutableClock(new Date(START)), opts: { shareSqlite?: boolean } = {}) {
    const first = !db;
    db ??= await freshDatabase(dbKind);
    const share = dbKind === 'sqlite' && (opts.shareSqlite ?? true) && stores[0];
    const store = share ? stores[0]! : await openStore(db.config);
    if (!stores.includes(store)) stores.push(store);
    if (first) await seedDemo(store.db, new Date(START));
    const bus = new InProcessBus();
    const events: BusEvent[] = [];
    bus.subscribe(channels.staff, (e) => events.push(e));
    const cases = new CasesService({ db: store.db, bus, clock, redactor: new PatternRedactor() });
    const timers = new CaseTimers({ db: store.db, cases, clock, logger: createLogger('silent'), sweepMs: 60_000 });
    nodes.push(timers);
    return { store, cases, timers, events, clock };
  }

  const openDispute = (cases: CasesService, dispute = DISPUTE) =>
    cases.open({
      type: 'dispute',
      title: 'Dispute: Harbor Electronics',
      cardmemberId: 'cm_maria',
      language: 'en',
      dispute,
      actor: AGENT,
    });

  async function timerRows(store: Store, caseId: string) {
    return store.db
      .selectFrom('case_timers')
      .select(['kind', 'due_at', 'fired_at', 'cancelled_at'])
      .where('case_id', '=', caseId)
      .orderBy('due_at')
      .execute();
  }

  async function slaEvents(store: Store, caseId: string) {
    return store.db
      .selectFrom('case_events')
      .select(['type', 'text', 'visible_to_cardmember', 'payload', 'actor_type'])
      .where('case_id', '=', caseId)
      .where('type', 'in', ['sla_warning', 'sla_breached'])
      .orderBy('seq')
      .execute();
  }

  it('writes four timers when a case with deadlines opens, and none for a case without', async () => {
    const { store, cases } = await node();
    const c = await openDispute(cases);
    expect(await timerRows(store, c.id)).toEqual([
      { kind: 'acknowledge_warning', due_at: '2026-12-20T00:00:00.000Z', fired_at: null, cancelled_at: null },
      { kind: 'acknowledge_breach', due_at: '2026-12-26T00:00:00.000Z', fired_at: null, cancelled_at: null },
      { kind: 'resolve_warning', due_at: '2027-01-15T00:00:00.000Z', fired_at: null, cancelled_at: null },
      { kind: 'resolve_breach', due_at: '2027-01-26T00:00:00.000Z', fired_at: null, cancelled_at: null },
    ]);
    const plain = await cases.open({
      type: 'general',
      title: 'Q',
      cardmemberId: 'cm_maria',
      language: 'en',
      actor: AGENT,
    });
    expect(await timerRows(store, plain.id)).toEqual([]);
  });

  it('fires each timer once as the clock passes it: a staff-only event and case.updated', async () => {
    const { store, cases, timers, events, clock } = await node();
    const c = await openDispute(cases);
    events.length = 0;
    expect(await timers.sweep()).toBe(0);
    clock.set(new Date('2026-12-19T23:59:59.999Z'));
    expect(await timers.sweep()).toBe(0);
    clock.set(new Date('2026-12-20T00:00:00.000Z'));
    expect(await timers.sweep()).toBe(1);
    expect(await timers.sweep()).toBe(0);
    expect(events.map((e) => [e.name, (e.payload as { change: string }).change])).toEqual([
      ['case.updated', 'sla_warning'],
    ]);
    // The deadline day is the deadline's until it ends (midnight UTC).
    clock.set(new Date('2026-12-25T23:59:00.000Z'));
    expect(await timers.sweep()).toBe(0);
    clock.set(new Date('2026-12-26T00:00:01.000Z'));
    expect(await timers.sweep()).toBe(1);
    const sla = await slaEvents(store, c.id);
    expect(sla.map((e) => [e.type, e.text, e.visible_to_cardmember, e.actor_type])).toEqual([
      ['sla_warning', 'Acknowledgement is due by 2026-12-25.', 0, 'system'],
      ['sla_breached', 'Acknowledgement deadline 2026-12-25 has passed.', 0, 'system'],
    ]);
    expect(JSON.parse(sla[1]!.payload)).toMatchObject({ timer: 'acknowledge_breach', deadline: '2026-12-25' });
    // The cardmember's timeline does not show SLA entries.
    const view = await cases.view((await cases.get(c.id))!, 'cardmember');
    expect(view.timeline!.map((e) => e.type)).toEqual(['created']);
    // Much later, one sweep fires what is left, once.
    clock.set(new Date('2027-03-01T00:00:00.000Z'));
    expect(await timers.sweep()).toBe(2);
    expect(await timers.sweep()).toBe(0);
    expect((await slaEvents(store, c.id)).map((e) => e.type)).toEqual([
      'sla_warning',
      'sla_breached',
      'sla_warning',
      'sla_breached',
    ]);
  });

  it('cancels the acknowledge timers on acknowledgement and all of them on resolution; reopening re-arms', async () => {
    const { store, cases, timers, clock } = await node();
    const c = await openDispute(cases);
    clock.set(new Date('2026-12-21T10:00:00.000Z'));
    expect(await timers.sweep()).toBe(1); // the acknowledge warning
    await cases.transition(c.id, 'acknowledged', AGENT, 'We have your dispute.');
    let rows = await timerRows(store, c.id);
    expect(rows.map((r) => [r.kind, r.fired_at !== null, r.cancelled_at !== null])).toEqual([
      ['acknowledge_warning', true, false],
      ['acknowledge_breach', false, true],
      ['resolve_warning', false, false],
      ['resolve_breach', false, false],
    ]);
    clock.set(new Date('2026-12-27T00:00:00.000Z'));
    expect(await timers.sweep()).toBe(0); // acknowledged in time: no breach
    await cases.transition(c.id, 'resolved', AGENT, 'Credited.');
    rows = await timerRows(store, c.id);
    expect(rows.filter((r) => r.kind.startsWith('resolve')).every((r) => r.cancelled_at !== null)).toBe(true);
    clock.set(new Date('2027-02-01T00:00:00.000Z'));
    expect(await timers.sweep()).toBe(0);
    // Reopened after the deadlines: the resolve clock is owed again, and fires (the acknowledge one does not).
    await cases.transition(c.id, 'in_progress', AGENT, 'Reopened: the merchant re-billed.');
    expect(await timers.sweep()).toBe(2);
    expect((await slaEvents(store, c.id)).map((e) => JSON.parse(e.payload).timer)).toEqual([
      'acknowledge_warning',
      'resolve_warning',
      'resolve_breach',
    ]);
  });

  it('keeps timers across a restart: a new node fires what the old one scheduled', async () => {
    const a = await node();
    const c = await openDispute(a.cases);
    await a.timers.stop();
    await stores[0]!.close();
    stores.splice(0);
    const clock = new MutableClock(new Date('2026-12-26T06:00:00.000Z'));
    const b = await node(clock, { shareSqlite: false });
    expect(await b.timers.sweep()).toBe(2);
    expect((await slaEvents(b.store, c.id)).map((e) => e.type)).toEqual(['sla_warning', 'sla_breached']);
    expect(b.events.map((e) => e.name)).toEqual(['case.updated', 'case.updated']);
  });

  it('fires every timer exactly once when two nodes sweep at the same time', async () => {
    const a = await node();
    const b = await node(a.clock);
    const opened = [];
    for (let i = 0; i < 5; i++)
      opened.push(await openDispute(a.cases, { ...DISPUTE, id: `dsp_race_${i}`, reference: `DSP-RACE000${i}` }));
    a.clock.set(new Date('2027-03-01T00:00:00.000Z'));
    const [x, y] = await Promise.all([a.timers.sweep(), b.timers.sweep()]);
    expect(x + y).toBe(20);
    for (const c of opened) expect(await slaEvents(a.store, c.id)).toHaveLength(4);
    const fired = await a.store.db.selectFrom('case_timers').select('id').where('fired_at', 'is not', null).execute();
    expect(fired).toHaveLength(20);
    expect(await Promise.all([a.timers.sweep(), b.timers.sweep()])).toEqual([0, 0]);
  });

  it('runs on its own every sweep period once started, and stops', async () => {
    const { cases, clock, store } = await node();
    const c = await openDispute(cases);
    clock.set(new Date('2027-03-01T00:00:00.000Z'));
    const timers = new CaseTimers({
      db: store.db,
      cases: new CasesService({ db: store.db, bus: new InProcessBus(), clock, redactor: new PatternRedactor() }),
      clock,
      logger: createLogger('silent'),
      sweepMs: 50,
    });
    nodes.push(timers);
    timers.start();
    const deadline = Date.now() + 5_000;
    while ((await slaEvents(store, c.id)).length < 4 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 25));
    await timers.stop();
    expect(await slaEvents(store, c.id)).toHaveLength(4);
  });
});
