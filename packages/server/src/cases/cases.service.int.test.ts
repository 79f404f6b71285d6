/**
 * The cases core on the real store (SQLite, or PostgreSQL in the second pass): references, the status
 * lifecycle and its timeline, one case per dispute even when two nodes race, chat references, and what
 * the cardmember sees of a timeline.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MutableClock } from '../accounts/testing/clock.js';
import { InProcessBus } from '../bus/bus.js';
import { channels, type BusEvent } from '../bus/events.js';
import { PatternRedactor } from '../redaction/redactor.js';
import { openStore, type Store } from '../store/db.js';
import { seedDemo } from '../seed/demo.js';
import { dbKind, freshDatabase, storeUnavailable, type TestDatabase } from '../../test/helpers.js';
import { CasesService, type CaseActor } from './cases.service.js';

const unavailable = await storeUnavailable(dbKind);
const AGENT: CaseActor = { type: 'agent', id: 'agent_ben', name: 'Ben' };
const ASSISTANT: CaseActor = { type: 'assistant', id: null, name: 'Assistant' };

describe.skipIf(unavailable)(`cases on ${dbKind}`, () => {
  let db: TestDatabase | undefined;
  let seeded = false;
  const stores: Store[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    await db?.drop();
    db = undefined;
    seeded = false;
  });

  /** A "node": its own connection to the database (SQLite: the same connection, it has one writer). */
  async function setup(random?: (n: number) => Uint8Array) {
    db ??= await freshDatabase(dbKind);
    const store = dbKind === 'sqlite' && stores[0] ? stores[0] : await openStore(db.config);
    if (!stores.includes(store)) stores.push(store);
    if (stores.length === 1 && !seeded) {
      seeded = true;
      await seedDemo(store.db, new Date('2026-11-25T12:00:00Z'));
    }
    const bus = new InProcessBus();
    const events: BusEvent[] = [];
    bus.subscribe(channels.staff, (e) => events.push(e));
    const clock = new MutableClock(new Date('2026-11-25T12:00:00Z'));
    const cases = new CasesService({ db: store.db, bus, clock, redactor: new PatternRedactor(), random });
    return { store, cases, events, clock };
  }

  it('opens a case with a typed reference, an owner team and a timeline entry, and says so after commit', async () => {
    const { cases, events } = await setup();
    const c = await cases.open({
      type: 'complaint',
      title: 'Fee charged twice',
      cardmemberId: 'cm_maria',
      language: 'en',
      complaintCategory: 'fees',
      note: 'Customer says the card 4111 1111 1111 1111 was charged twice',
      actor: AGENT,
    });
    expect(c.reference).toMatch(/^CMP-[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(c).toMatchObject({ status: 'open', owner_team_id: 'general', complaint_category: 'fees' });
    const view = await cases.view(c, 'staff');
    expect(view.timeline).toHaveLength(1);
    // Timeline text is redacted like every other text that enters the system.
    expect(view.timeline![0]!.text).not.toContain('4111 1111 1111 1111');
    expect(events.map((e) => e.name)).toEqual(['case.updated']);
  });

  it('follows the lifecycle, stamps acknowledgement and resolution, and refuses what it does not allow', async () => {
    const { cases, clock } = await setup();
    const c = await cases.open({
      type: 'general',
      title: 'Question',
      cardmemberId: 'cm_maria',
      language: 'en',
      actor: AGENT,
    });
    clock.set(new Date('2026-11-26T09:00:00Z'));
    const ack = await cases.transition(c.id, 'acknowledged', AGENT, 'We have your request.');
    expect(ack).toMatchObject({ status: 'acknowledged', acknowledged_at: '2026-11-26T09:00:00.000Z' });
    await expect(cases.transition(c.id, 'open', AGENT)).rejects.toMatchObject({ status: 409 });
    const done = await cases.transition(c.id, 'resolved', AGENT, 'Answered.');
    expect(done.resolved_at).toBe('2026-11-26T09:00:00.000Z');
    await cases.transition(c.id, 'closed', AGENT);
    await expect(cases.transition(c.id, 'in_progress', AGENT)).rejects.toMatchObject({ status: 409 });
    // The same status again changes nothing and writes nothing.
    await cases.transition(c.id, 'closed', AGENT);
    const view = await cases.view((await cases.get(c.id))!, 'cardmember');
    expect(view.timeline!.map((e) => e.toStatus)).toEqual(['open', 'acknowledged', 'resolved', 'closed']);
    await expect(cases.transition('no-such-case', 'resolved', AGENT)).rejects.toMatchObject({ status: 404 });
  });

  it('shows the cardmember only the entries meant for them', async () => {
    const { cases } = await setup();
    const c = await cases.open({
      type: 'general',
      title: 'x',
      cardmemberId: 'cm_maria',
      language: 'en',
      actor: ASSISTANT,
    });
    await cases.note(c.id, {
      type: 'note',
      actor: AGENT,
      text: 'Internal: check with the merchant first',
      visible: false,
    });
    await cases.note(c.id, { type: 'message_sent', actor: AGENT, text: 'We wrote to you', visible: true });
    const staff = await cases.view((await cases.get(c.id))!, 'staff');
    const cardmember = await cases.view((await cases.get(c.id))!, 'cardmember');
    expect(staff.timeline!.map((e) => e.type)).toEqual(['created', 'note', 'message_sent']);
    expect(cardmember.timeline!.map((e) => e.type)).toEqual(['created', 'message_sent']);
    expect(cardmember.links).toBeUndefined();
  });

  it("gives a dispute's case the dispute's reference, once, even when two nodes open it at the same time", async () => {
    const a = await setup();
    const b = await setup();
    const dispute = { id: 'dsp_1', reference: 'DSP-7K2M9QXA', acknowledgeBy: '2026-12-25', resolveBy: '2027-02-23' };
    const input = {
      type: 'dispute' as const,
      title: 'Duplicate charge',
      cardmemberId: 'cm_maria',
      language: 'en' as const,
      dispute,
      actor: ASSISTANT,
    };
    const [one, two] = await Promise.all([a.cases.open(input), b.cases.open(input)]);
    expect(one.id).toBe(two.id);
    expect(one).toMatchObject({ reference: 'DSP-7K2M9QXA', owner_team_id: 'disputes', acknowledge_by: '2026-12-25' });
    const rows = await a.store.db.selectFrom('cases').select('id').where('dispute_id', '=', 'dsp_1').execute();
    expect(rows).toHaveLength(1);
  });

  it('draws a reference again when the first one is taken', async () => {
    const fixed = new Uint8Array([1, 2, 3, 4, 5]);
    const draws = [fixed, fixed, new Uint8Array([9, 9, 9, 9, 9])];
    const { cases } = await setup(() => draws.shift() ?? new Uint8Array([7, 7, 7, 7, 7]));
    const first = await cases.open({
      type: 'general',
      title: 'a',
      cardmemberId: 'cm_maria',
      language: 'en',
      actor: AGENT,
    });
    const second = await cases.open({
      type: 'general',
      title: 'b',
      cardmemberId: 'cm_maria',
      language: 'en',
      actor: AGENT,
    });
    expect(first.reference).not.toBe(second.reference);
  });

  it("assigns a chat's reference once and keeps it", async () => {
    const { cases, store } = await setup();
    const conv = await store.db.selectFrom('conversations').select('id').executeTakeFirst();
    const id =
      conv?.id ??
      (
        await store.db
          .insertInto('conversations')
          .values({
            id: 'conv_ref',
            cardmember_id: 'cm_maria',
            card_id: 'card_maria_gold',
            language: 'en',
            status: 'bot',
            team_id: null,
            priority: 0,
            queued_at: null,
            assigned_agent_id: null,
            assigned_at: null,
            closed_at: null,
            closed_by: null,
            last_seq: 0,
            created_at: '2026-11-25T12:00:00.000Z',
            updated_at: '2026-11-25T12:00:00.000Z',
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const [r1, r2] = await Promise.all([cases.conversationReference(id), cases.conversationReference(id)]);
    expect(r1).toMatch(/^CHT-[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(r2).toBe(r1);
    expect(await cases.conversationReference(id)).toBe(r1);
    await expect(cases.conversationReference('nope')).rejects.toMatchObject({ status: 404 });
  });
});
