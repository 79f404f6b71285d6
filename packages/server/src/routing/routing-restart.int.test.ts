/**
 * Routing state lives in the store: a node that stops (or dies) and another that starts on the same
 * database carry on where it was. A pending offer is still the agent's after the restart, its expiry
 * is still enforced (by the new node's sweep), and the chat goes to the next agent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MutableClock } from '../accounts/testing/clock.js';
import { createApp, type App } from '../app.js';
import type { Assistant } from '../assistant/assistant.js';
import type { Actor } from '../security/access.js';
import { dbKind, freshDatabase, storeUnavailable, testConfig, type TestDatabase } from '../../test/helpers.js';

const unavailable = await storeUnavailable(dbKind);
const SILENT: Assistant = { greet: () => ({ replies: [] }), respond: async () => ({ replies: [] }) };
type StaffActor = Exclude<Actor, { role: 'cardmember' }>;
const actor = (agentId: string, firstName: string): StaffActor => ({
  role: 'agent',
  agentId,
  firstName,
  sessionHash: 'test',
  skills: [{ teamId: 'general', language: 'en' }],
});

describe.skipIf(unavailable)(`routing across a restart (${dbKind})`, () => {
  let db: TestDatabase;
  const apps: App[] = [];
  afterEach(async () => {
    for (const a of apps.splice(0)) await a.close();
    await db?.drop();
  });

  async function node(clock: MutableClock): Promise<App> {
    const app = await createApp(testConfig(db, { ROUTING_SWEEP_MS: '60000', ROUTING_OFFER_TIMEOUT_SECONDS: '30' }), {
      clock,
      assistant: SILENT,
    });
    apps.push(app);
    return app;
  }

  it('keeps a pending offer, expires it on the new node, and offers the chat to the next agent', async () => {
    db = await freshDatabase(dbKind);
    const clock = new MutableClock(new Date('2026-11-25T15:00:00Z'));
    const first = await node(clock);
    // Ana has been idle longest, so she is offered the chat first; Ben is next.
    await first.store.db.updateTable('agents').set({ status: 'offline' }).execute();
    for (const [id, idle] of [
      ['agent_ana', '2026-11-25T14:00:00.000Z'],
      ['agent_ben', '2026-11-25T14:30:00.000Z'],
    ] as const) {
      await first.store.db
        .updateTable('agents')
        .set({ status: 'available', idle_since: idle, status_changed_at: idle })
        .where('id', '=', id)
        .execute();
    }
    const chat = await first.services.conversations.openForCard({
      cardmemberId: 'cm_maria',
      cardId: 'card_maria_gold',
      language: 'en',
    });
    await first.services.conversations.enqueue(chat.id, 'general', 0, 'agent.request');
    await first.services.routing.idle();
    await first.services.routing.sweep();
    const [offer] = await first.services.routing.openOffers('agent_ana');
    expect(offer?.conversation.id).toBe(chat.id);
    expect(offer?.expiresAt).toBe('2026-11-25T15:00:30.000Z');

    // The node goes away; another starts on the same database.
    await first.close();
    apps.splice(apps.indexOf(first), 1);
    const second = await node(clock);
    expect((await second.services.routing.openOffers('agent_ana')).map((o) => o.id)).toEqual([offer!.id]);
    // Nothing is offered twice meanwhile: the pending offer still holds the chat.
    await second.services.routing.sweep();
    await second.services.routing.idle();
    expect(await second.services.routing.openOffers('agent_ben')).toEqual([]);

    // Past the deadline the new node's sweep expires it, sets Ana away and offers the chat to Ben.
    clock.set(new Date(Date.parse(offer!.expiresAt) + 1000));
    await second.services.routing.sweep();
    // The expiry's own events start another sweep in this node: let it finish.
    await second.services.routing.idle();
    const stored = await second.store.db
      .selectFrom('offers')
      .select('state')
      .where('id', '=', offer!.id)
      .executeTakeFirstOrThrow();
    expect(stored.state).toBe('expired');
    const ana = await second.store.db
      .selectFrom('agents')
      .select('status')
      .where('id', '=', 'agent_ana')
      .executeTakeFirstOrThrow();
    expect(ana.status).toBe('away');
    const [next] = await second.services.routing.openOffers('agent_ben');
    expect(next?.conversation.id).toBe(chat.id);
    await expect(second.services.routing.accept(actor('agent_ana', 'Ana'), offer!.id)).rejects.toMatchObject({
      code: 'offer_closed',
    });
    const view = await second.services.routing.accept(actor('agent_ben', 'Ben'), next!.id);
    expect(view).toMatchObject({ status: 'assigned', agent: { id: 'agent_ben' } });
  });
});
