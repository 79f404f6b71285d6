/**
 * Routing: offers each waiting chat to one agent at a time, per (team, language) queue.
 *
 * - Order of chats: priority (fraud 10, supervisor escalations 5), then time queued.
 * - Choice of agent: state `available`, holding the (team, language) skill, spare capacity
 *   (assigned chats + pending offers < maxConcurrent), not one who already declined or missed this chat,
 *   idle longest first (`idle_since`: set when the agent takes a chat or becomes available).
 * - Offers expire after `offerTimeoutSeconds`; the chat then goes to the next agent, and the agent who
 *   missed it is set `away` (an unanswered console is not a free agent).
 * - Hours: a closed queue is not routed.
 *
 * Every decision is a store transaction. A partial unique index allows one pending queue offer per
 * chat, and on PostgreSQL the chat and agent rows are taken `FOR UPDATE SKIP LOCKED`, so any number
 * of nodes may route the same queues at once without offering a chat twice or overfilling an agent.
 * Taking the chat is the conversation service's conditional claim, which only one agent can win.
 */
import { randomUUID } from 'node:crypto';
import type { ConversationView, OfferView } from '@carechat/protocol';
import type { ExpressionBuilder, Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Bus } from '../bus/bus.js';
import { channels } from '../bus/events.js';
import type { Actor } from '../security/access.js';
import { iso, type Clock } from '../shared/clock.js';
import { AppError, conflict } from '../shared/errors.js';
import { isUniqueViolation, type Db } from '../store/db.js';
import type { Database, OffersTable } from '../store/schema.js';
import { isOpen } from './hours.js';
import type { QueueModel } from './queue-model.js';

type Tx = Transaction<Database>;
type StaffActor = Exclude<Actor, { role: 'cardmember' }>;

/** What accepting an offer of each kind does (the conversation service and staff operations provide these). */
export type OfferHandler = (actor: StaffActor, offer: OffersTable) => Promise<ConversationView>;

export interface RoutingDeps {
  db: Db;
  kind: 'sqlite' | 'postgres';
  bus: Bus;
  clock: Clock;
  logger: Logger;
  queues: QueueModel;
  offerTimeoutSeconds: number;
  sweepMs: number;
  /** A chat's view as staff see it (for offers). */
  view: (conversationId: string) => Promise<ConversationView | null>;
  handlers: { queue: OfferHandler } & Partial<Record<'transfer' | 'conference', OfferHandler>>;
}

export class RoutingService {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly d: RoutingDeps) {
    // Any change in a queue or an agent's load may make an offer possible.
    this.unsubscribe = d.bus.subscribe(channels.staff, (e) => {
      if (e.name === 'queue.changed' || e.name === 'agent.state_changed') this.kick();
    });
  }

  /** Registers what accepting a transfer or conference offer does. */
  handle(kind: 'transfer' | 'conference', handler: OfferHandler): void {
    this.d.handlers[kind] = handler;
  }

  /** Starts the periodic sweep (offer expiry and routing), which any node may run. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.kick(), this.d.sweepMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unsubscribe();
    await this.running;
  }

  /** Runs a sweep soon; sweeps never overlap within a node, and a kick during one runs another after. */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.sweep()
      .then(() => undefined)
      .catch((err: unknown) => this.d.logger.error({ err }, 'routing sweep failed'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Resolves when no sweep is running or pending in this node (tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** One pass: expire offers, withdraw offers for chats no longer waiting, then offer what can be offered. */
  async sweep(): Promise<{ offered: number; expired: number }> {
    const expired = await this.expireOffers();
    await this.withdrawStale();
    let offered = 0;
    for (const q of await this.queuesNeedingOffers()) offered += await this.routeQueue(q.teamId, q.language);
    return { offered, expired };
  }

  /** Offers waiting chats of one queue until no chat or no free agent is left. Returns offers made. */
  async routeQueue(teamId: string, language: 'en' | 'es'): Promise<number> {
    const team = await this.d.queues.team(teamId);
    if (!isOpen(team?.hours ?? null, this.d.clock.now())) return 0;
    let made = 0;
    // Chats every free agent has passed on: skipped, so they do not hold up the chats behind them.
    const passed: string[] = [];
    for (;;) {
      const offer = await this.offerNext(teamId, language, passed);
      if (offer === 'none') break;
      if (offer === 'retry') continue;
      if ('passed' in offer) {
        passed.push(offer.passed);
        continue;
      }
      made++;
      await this.publishOffer(offer);
    }
    return made;
  }

  /** One routing decision in one transaction. */
  private async offerNext(
    teamId: string,
    language: 'en' | 'es',
    passed: string[],
  ): Promise<OffersTable | { passed: string } | 'none' | 'retry'> {
    const now = this.d.clock.now();
    try {
      return await this.d.db.transaction().execute(async (tx) => {
        const chat = await this.nextWaiting(tx, teamId, language, passed);
        if (!chat) return 'none';
        const agentId = await this.pickAgent(tx, teamId, language, chat.id);
        if (!agentId) {
          // Nobody free at all, or only agents who declined or missed this chat: then the next one may go.
          return (await this.pickAgent(tx, teamId, language, null)) ? { passed: chat.id } : 'none';
        }
        // The load pickAgent counted is from its statement's snapshot, which may predate the commit of
        // the node that held this agent's lock; counted again now that we hold it (READ COMMITTED).
        if (this.d.kind === 'postgres' && !(await this.hasRoom(tx, agentId))) return 'retry';
        const transfer = await this.transferNote(tx, chat.id);
        const offer: OffersTable = {
          id: randomUUID(),
          conversation_id: chat.id,
          agent_id: agentId,
          kind: 'queue',
          from_agent_id: transfer?.fromAgentId ?? null,
          note: transfer?.note ?? null,
          state: 'pending',
          offered_at: iso(now),
          expires_at: iso(new Date(now.getTime() + this.d.offerTimeoutSeconds * 1000)),
          decided_at: null,
        };
        await tx.insertInto('offers').values(offer).execute();
        return offer;
      });
    } catch (err) {
      // Another node offered this chat first (one pending queue offer per chat): look again.
      if (isUniqueViolation(err)) return 'retry';
      throw err;
    }
  }

  /**
   * A chat transferred into this queue carries the sending agent's note on its offer, so the next
   * agent reads why before accepting (it is also stored as an internal note in the chat).
   */
  private async transferNote(
    tx: Tx,
    conversationId: string,
  ): Promise<{ note: string; fromAgentId: string | null } | null> {
    const e = await tx
      .selectFrom('events as e')
      .innerJoin('conversations as c', 'c.id', 'e.conversation_id')
      .select(['e.payload', 'e.created_at', 'c.queued_at'])
      .where('e.conversation_id', '=', conversationId)
      .where('e.type', '=', 'conversation.transferred')
      .orderBy('e.id', 'desc')
      .limit(1)
      .executeTakeFirst();
    // Only the transfer that put the chat in this queue (not an older one before it was taken again).
    if (!e || !e.queued_at || e.created_at < e.queued_at) return null;
    try {
      const p = JSON.parse(e.payload) as { note?: unknown; fromAgentId?: unknown; teamId?: unknown };
      if (typeof p.teamId !== 'string' || typeof p.note !== 'string' || !p.note.trim()) return null;
      return { note: p.note, fromAgentId: typeof p.fromAgentId === 'string' ? p.fromAgentId : null };
    } catch {
      return null;
    }
  }

  private async nextWaiting(tx: Tx, teamId: string, language: 'en' | 'es', passed: string[]) {
    // A chat whose offer was accepted a moment ago is being claimed (accept takes two steps): not waiting.
    const since = this.inFlightSince();
    let q = tx
      .selectFrom('conversations as c')
      .select(['c.id'])
      .where('c.status', '=', 'queued')
      .where('c.team_id', '=', teamId)
      .where('c.language', '=', language)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('offers as o')
              .select('o.id')
              .whereRef('o.conversation_id', '=', 'c.id')
              .where('o.kind', '=', 'queue')
              .where((e) =>
                e.or([
                  e('o.state', '=', 'pending'),
                  e.and([
                    e('o.state', '=', 'accepted'),
                    e('o.decided_at', '>', since),
                    // Not an acceptance from before the chat was queued again (a transfer).
                    e('o.decided_at', '>=', e.ref('c.queued_at')),
                  ]),
                ]),
              ),
          ),
        ),
      )
      .orderBy('c.priority', 'desc')
      .orderBy('c.queued_at', 'asc')
      .orderBy('c.id', 'asc')
      .limit(1);
    if (passed.length > 0) q = q.where('c.id', 'not in', passed);
    if (this.d.kind === 'postgres') q = q.forUpdate().skipLocked();
    return q.executeTakeFirst();
  }

  /** The free agent idle longest; with a chat, not one who declined or missed it. */
  private async pickAgent(tx: Tx, teamId: string, language: 'en' | 'es', conversationId: string | null) {
    const since = this.inFlightSince();
    let q = tx
      .selectFrom('agents as a')
      .innerJoin('agent_skills as s', 's.agent_id', 'a.id')
      .select(['a.id'])
      .where('s.team_id', '=', teamId)
      .where('s.language', '=', language)
      .where('a.status', '=', 'available')
      .where('a.role', 'in', ['agent', 'supervisor'])
      .where((eb) =>
        eb(
          eb.parens(
            eb(
              eb
                .selectFrom('conversations as c')
                .select((e) => e.fn.countAll<number>().as('n'))
                .whereRef('c.assigned_agent_id', '=', 'a.id')
                .where('c.status', '=', 'assigned'),
              '+',
              eb
                .selectFrom('offers as o')
                .select((e) => e.fn.countAll<number>().as('n'))
                .whereRef('o.agent_id', '=', 'a.id')
                .where((e) => this.holds(e, since)),
            ),
          ),
          '<',
          eb.ref('a.max_concurrent').$castTo<number>(),
        ),
      )
      .orderBy((eb) => eb.fn.coalesce('a.idle_since', 'a.status_changed_at'), 'asc')
      .orderBy('a.id', 'asc')
      .limit(1);
    if (conversationId) {
      // Not an agent who declined or missed this chat already.
      q = q.where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('offers as o')
              .select('o.id')
              .whereRef('o.agent_id', '=', 'a.id')
              .where('o.conversation_id', '=', conversationId)
              .where('o.state', 'in', ['declined', 'expired']),
          ),
        ),
      );
    }
    if (this.d.kind === 'postgres') q = q.forUpdate('a').skipLocked();
    return (await q.executeTakeFirst())?.id ?? null;
  }

  /**
   * Accepting takes two steps (the offer is marked accepted, then the chat claimed): in between, the
   * accepted offer still holds the agent's slot and the chat, or another sweep would fill both. An
   * accept that died between the steps stops holding after the offer timeout.
   */
  private inFlightSince(): string {
    return iso(new Date(this.d.clock.now().getTime() - this.d.offerTimeoutSeconds * 1000));
  }

  /** An offer (`o`) that holds a slot of its agent: pending, or accepted and its chat still waiting. */
  private holds(e: ExpressionBuilder<Database & { o: OffersTable }, 'o'>, since: string) {
    return e.or([
      e('o.state', '=', 'pending'),
      e.and([
        e('o.state', '=', 'accepted'),
        e('o.decided_at', '>', since),
        e.exists(
          e
            .selectFrom('conversations as q')
            .select('q.id')
            .whereRef('q.id', '=', 'o.conversation_id')
            .where('q.status', '=', 'queued')
            .whereRef('q.queued_at', '<=', 'o.decided_at'),
        ),
      ]),
    ]);
  }

  private async hasRoom(tx: Tx, agentId: string): Promise<boolean> {
    const row = await tx
      .selectFrom('agents as a')
      .select((eb) => [
        'a.max_concurrent',
        eb
          .selectFrom('conversations as c')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('c.assigned_agent_id', '=', 'a.id')
          .where('c.status', '=', 'assigned')
          .as('load'),
        eb
          .selectFrom('offers as o')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('o.agent_id', '=', 'a.id')
          .where((e) => this.holds(e, this.inFlightSince()))
          .as('offered'),
      ])
      .where('a.id', '=', agentId)
      .executeTakeFirst();
    return !!row && Number(row.load ?? 0) + Number(row.offered ?? 0) < row.max_concurrent;
  }

  /** Queues with a waiting chat that has no pending offer. */
  private async queuesNeedingOffers(): Promise<Array<{ teamId: string; language: 'en' | 'es' }>> {
    const rows = await this.d.db
      .selectFrom('conversations as c')
      .select(['c.team_id', 'c.language'])
      .distinct()
      .where('c.status', '=', 'queued')
      .where('c.team_id', 'is not', null)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('offers as o')
              .select('o.id')
              .whereRef('o.conversation_id', '=', 'c.id')
              .where('o.state', '=', 'pending')
              .where('o.kind', '=', 'queue'),
          ),
        ),
      )
      .execute();
    return rows.map((r) => ({ teamId: r.team_id!, language: r.language }));
  }

  /**
   * Expires pending offers past their deadline. The conditional update makes each expiry happen once,
   * whichever node runs it; the agent who missed the offer is set away.
   */
  async expireOffers(): Promise<number> {
    const now = iso(this.d.clock.now());
    const due = await this.d.db
      .selectFrom('offers')
      .selectAll()
      .where('state', '=', 'pending')
      .where('expires_at', '<=', now)
      .execute();
    let n = 0;
    for (const o of due) {
      const won = await this.d.db.transaction().execute(async (tx) => {
        const res = await tx
          .updateTable('offers')
          .set({ state: 'expired', decided_at: now })
          .where('id', '=', o.id)
          .where('state', '=', 'pending')
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) return false;
        await tx
          .updateTable('agents')
          .set({ status: 'away', status_changed_at: now })
          .where('id', '=', o.agent_id)
          .where('status', '=', 'available')
          .execute();
        await tx
          .insertInto('events')
          .values({
            type: 'offer.expired',
            conversation_id: o.conversation_id,
            actor_type: 'system',
            actor_id: null,
            payload: JSON.stringify({ offerId: o.id, agentId: o.agent_id, kind: o.kind }),
            created_at: now,
          })
          .execute();
        return true;
      });
      if (!won) continue;
      n++;
      await this.d.bus.publish(channels.agent(o.agent_id), {
        name: 'offer.closed',
        payload: { agentId: o.agent_id, offerId: o.id, reason: 'expired' },
      });
      await this.d.bus.publish(channels.staff, {
        name: 'agent.state_changed',
        payload: { agentId: o.agent_id, state: 'away', reason: 'missed_offer' },
      });
    }
    return n;
  }

  /** Queue offers whose chat is no longer waiting (taken from the queue list, ended) are withdrawn. */
  private async withdrawStale(): Promise<void> {
    const stale = await this.d.db
      .selectFrom('offers as o')
      .innerJoin('conversations as c', 'c.id', 'o.conversation_id')
      .select(['o.id', 'o.agent_id'])
      .where('o.state', '=', 'pending')
      .where('o.kind', '=', 'queue')
      .where('c.status', '!=', 'queued')
      .execute();
    for (const o of stale) await this.close(o.id, o.agent_id, 'withdrawn');
  }

  private async close(offerId: string, agentId: string, reason: 'withdrawn' | 'declined'): Promise<boolean> {
    const now = iso(this.d.clock.now());
    const res = await this.d.db
      .updateTable('offers')
      .set({ state: reason, decided_at: now })
      .where('id', '=', offerId)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return false;
    await this.d.bus.publish(channels.agent(agentId), {
      name: 'offer.closed',
      payload: { agentId, offerId, reason },
    });
    return true;
  }

  /** Offers a chat to one named agent: a transfer or a conference invitation (not limited by capacity). */
  async offerDirect(input: {
    conversationId: string;
    agentId: string;
    kind: 'transfer' | 'conference';
    fromAgentId: string;
    note: string | null;
  }): Promise<OfferView> {
    const now = this.d.clock.now();
    const offer: OffersTable = {
      id: randomUUID(),
      conversation_id: input.conversationId,
      agent_id: input.agentId,
      kind: input.kind,
      from_agent_id: input.fromAgentId,
      note: input.note,
      state: 'pending',
      offered_at: iso(now),
      expires_at: iso(new Date(now.getTime() + this.d.offerTimeoutSeconds * 1000)),
      decided_at: null,
    };
    await this.d.db.insertInto('offers').values(offer).execute();
    const view = await this.publishOffer(offer);
    if (!view) throw new AppError('conversation_not_found', 404, 'That conversation does not exist.');
    return view;
  }

  /** The agent's open offers (a console that reconnects gets them again). */
  async openOffers(agentId: string): Promise<OfferView[]> {
    const rows = await this.d.db
      .selectFrom('offers')
      .selectAll()
      .where('agent_id', '=', agentId)
      .where('state', '=', 'pending')
      .where('expires_at', '>', iso(this.d.clock.now()))
      .orderBy('offered_at', 'asc')
      .execute();
    const views = await Promise.all(rows.map((o) => this.offerView(o)));
    return views.filter((v): v is OfferView => v !== null);
  }

  /** The offered agent takes the chat. Exactly one outcome per offer, whichever node is asked. */
  async accept(actor: StaffActor, offerId: string): Promise<ConversationView> {
    const offer = await this.ownOffer(actor, offerId);
    const now = iso(this.d.clock.now());
    const res = await this.d.db
      .updateTable('offers')
      .set({ state: 'accepted', decided_at: now })
      .where('id', '=', offerId)
      .where('state', '=', 'pending')
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw this.closedError(await this.ownOffer(actor, offerId));
    const handler = this.d.handlers[offer.kind];
    if (!handler) throw new AppError('internal', 500, 'This kind of offer cannot be accepted here.');
    try {
      const view = await handler(actor, { ...offer, state: 'accepted', decided_at: now });
      await this.d.db.updateTable('agents').set({ idle_since: now }).where('id', '=', actor.agentId).execute();
      await this.d.bus.publish(channels.agent(actor.agentId), {
        name: 'offer.closed',
        payload: { agentId: actor.agentId, offerId, reason: 'accepted' },
      });
      return view;
    } catch (err) {
      // The chat went elsewhere meanwhile (taken from the list, ended): the offer is withdrawn.
      await this.d.db.updateTable('offers').set({ state: 'withdrawn' }).where('id', '=', offerId).execute();
      await this.d.bus.publish(channels.agent(actor.agentId), {
        name: 'offer.closed',
        payload: { agentId: actor.agentId, offerId, reason: 'withdrawn' },
      });
      throw err;
    }
  }

  /** The offered agent passes; the chat goes to the next agent at once. */
  async decline(actor: StaffActor, offerId: string): Promise<void> {
    const offer = await this.ownOffer(actor, offerId);
    if (!(await this.close(offerId, actor.agentId, 'declined')))
      throw this.closedError(await this.ownOffer(actor, offerId));
    await this.d.db
      .insertInto('events')
      .values({
        type: 'offer.declined',
        conversation_id: offer.conversation_id,
        actor_type: 'agent',
        actor_id: actor.agentId,
        payload: JSON.stringify({ offerId, kind: offer.kind }),
        created_at: iso(this.d.clock.now()),
      })
      .execute();
    this.kick();
  }

  private async ownOffer(actor: StaffActor, offerId: string): Promise<OffersTable> {
    const offer = await this.d.db.selectFrom('offers').selectAll().where('id', '=', offerId).executeTakeFirst();
    // Someone else's offer is indistinguishable from none.
    if (!offer || offer.agent_id !== actor.agentId)
      throw new AppError('offer_not_found', 404, 'That offer does not exist.');
    return offer;
  }

  private closedError(offer: OffersTable): AppError {
    const why =
      offer.state === 'pending' || offer.state === 'expired'
        ? 'This offer has expired; the chat went to the next agent.'
        : offer.state === 'accepted'
          ? 'You already accepted this offer.'
          : 'This offer is no longer open.';
    return conflict('offer_closed', why);
  }

  private async offerView(o: OffersTable): Promise<OfferView | null> {
    const conversation = await this.d.view(o.conversation_id);
    if (!conversation) return null;
    return {
      id: o.id,
      conversation,
      offeredAt: o.offered_at,
      expiresAt: o.expires_at,
      note: o.note,
      kind: o.kind,
    };
  }

  private async publishOffer(o: OffersTable): Promise<OfferView | null> {
    const offer = await this.offerView(o);
    if (offer) {
      await this.d.bus.publish(channels.agent(o.agent_id), {
        name: 'offer.created',
        payload: { agentId: o.agent_id, offer },
      });
    }
    return offer;
  }
}
