/**
 * Staff presence across nodes: which staff members have a console (a WebSocket) open, on any node.
 * It lives in the store (0010_presence), so one node on SQLite and a cluster on PostgreSQL work alike:
 *
 * - The gateway reports each staff socket opening and closing; this node keeps the count per agent in
 *   memory and writes it to `staff_presence` (agent, node, connections), one write at a time per agent.
 * - Every `heartbeatMs` each node stamps its `nodes` row, removes the rows of nodes whose heartbeat is
 *   older than three intervals (killed without cleanup: SIGKILL, power loss) and applies the away rule.
 *   A node that finds its own row gone (it stalled and was taken for dead) writes itself back.
 * - Away rule: a staff member who is `available` but has had no console on any live node for
 *   `awayAfterSeconds` is set to `away` (event `agent.state_changed`, reason `disconnected`), so routing
 *   stops offering chats to someone whose browser is gone or whose node died. The absence is stamped by
 *   the first sweep that sees it (`staff_absence`), and voided by a connection or any other state. The
 *   update re-checks in the same statement that no live node holds a socket of theirs.
 *
 * Liveness is real time (timers fire in real time), so heartbeats and absences use the wall clock,
 * never the application clock, which tests may move: simulated time must not make live nodes look dead.
 * `status_changed_at` of the away change uses the application clock, like every other state change.
 */
import { sql } from 'kysely';
import type { Bus } from '../bus/bus.js';
import { channels } from '../bus/events.js';
import { iso, type Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { Db } from '../store/db.js';

/** A node is dead once its heartbeat is this many intervals old. */
export const DEAD_AFTER_INTERVALS = 3;

export interface PresenceOptions {
  db: Db;
  bus: Bus;
  logger: Logger;
  /** This node's id (config.nodeId). */
  nodeId: string;
  heartbeatMs: number;
  awayAfterSeconds: number;
  /** The application clock: stamps `status_changed_at` of the away change. */
  clock: Clock;
  /** Wall-clock milliseconds for heartbeats and absences (tests of the rule itself may pass their own). */
  wallMs?: () => number;
}

/** What the gateway needs: one call per staff socket opening, one per closing. */
export interface PresenceReporter {
  connected(agentId: string): void;
  disconnected(agentId: string): void;
}

export class PresenceService implements PresenceReporter {
  /** Open console sockets on this node, per agent. */
  private readonly local = new Map<string, number>();
  /** What the store holds for this node, per agent (events fire when it goes to or from zero). */
  private readonly persisted = new Map<string, number>();
  /** Pending store writes per agent, chained so they land in order. */
  private readonly chains = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;
  private startedAt = '';
  private stopped = false;
  private readonly wallMs: () => number;

  constructor(private readonly o: PresenceOptions) {
    this.wallMs = o.wallMs ?? Date.now;
  }

  /** Registers this node (clearing what an earlier process with the same id left) and starts the heartbeat. */
  async start(): Promise<void> {
    this.startedAt = iso(new Date(this.wallMs()));
    await this.o.db.deleteFrom('staff_presence').where('node_id', '=', this.o.nodeId).execute();
    await this.registerNode();
    this.timer = setInterval(() => this.tick(), this.o.heartbeatMs);
    this.timer.unref();
  }

  /**
   * Stops the heartbeat and waits for pending writes. With `cleanup` (a graceful shutdown) this node's
   * rows go at once; without it they stay until another node finds the heartbeat stale (a killed node).
   */
  async stop(o: { cleanup?: boolean } = {}): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.sweeping;
    await Promise.allSettled([...this.chains.values()]);
    if (o.cleanup === false) return;
    try {
      await this.o.db.deleteFrom('staff_presence').where('node_id', '=', this.o.nodeId).execute();
      await this.o.db.deleteFrom('nodes').where('id', '=', this.o.nodeId).execute();
    } catch (err) {
      this.o.logger.warn({ err }, 'presence cleanup failed; other nodes will remove the rows');
    }
    for (const [agentId, n] of this.persisted) if (n > 0) this.publishPresence(agentId, 0);
    this.persisted.clear();
  }

  connected(agentId: string): void {
    if (this.stopped) return;
    this.local.set(agentId, (this.local.get(agentId) ?? 0) + 1);
    this.write(agentId);
  }

  disconnected(agentId: string): void {
    if (this.stopped) return;
    const n = (this.local.get(agentId) ?? 0) - 1;
    if (n > 0) this.local.set(agentId, n);
    else this.local.delete(agentId);
    this.write(agentId);
  }

  /** Which of `agentIds` have a console open on some live node. */
  async online(agentIds: string[]): Promise<Set<string>> {
    if (!agentIds.length) return new Set();
    const rows = await this.o.db
      .selectFrom('staff_presence as p')
      .innerJoin('nodes as n', 'n.id', 'p.node_id')
      .select('p.agent_id')
      .distinct()
      .where('p.agent_id', 'in', agentIds)
      .where('p.connections', '>', 0)
      .where('n.heartbeat_at', '>=', this.liveCutoff())
      .execute();
    return new Set(rows.map((r) => r.agent_id));
  }

  /** Open consoles per agent across live nodes (an agent with two tabs on two nodes counts 2). */
  async connections(agentId: string): Promise<number> {
    const row = await this.o.db
      .selectFrom('staff_presence as p')
      .innerJoin('nodes as n', 'n.id', 'p.node_id')
      .select((eb) => eb.fn.sum<number>('p.connections').as('n'))
      .where('p.agent_id', '=', agentId)
      .where('n.heartbeat_at', '>=', this.liveCutoff())
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** One heartbeat: stamp this node, remove dead nodes' rows, apply the away rule. Timers call it. */
  async sweep(): Promise<void> {
    await this.heartbeat();
    await this.reapDeadNodes();
    await this.applyAwayRule();
  }

  private tick(): void {
    if (this.sweeping || this.stopped) return;
    this.sweeping = this.sweep()
      .catch((err: unknown) => this.o.logger.warn({ err }, 'presence sweep failed'))
      .finally(() => {
        this.sweeping = null;
      });
  }

  private liveCutoff(now = this.wallMs()): string {
    return iso(new Date(now - DEAD_AFTER_INTERVALS * this.o.heartbeatMs));
  }

  private async registerNode(): Promise<void> {
    const now = iso(new Date(this.wallMs()));
    await this.o.db
      .insertInto('nodes')
      .values({ id: this.o.nodeId, started_at: this.startedAt, heartbeat_at: now })
      .onConflict((oc) => oc.column('id').doUpdateSet({ started_at: this.startedAt, heartbeat_at: now }))
      .execute();
  }

  private async heartbeat(): Promise<void> {
    const res = await this.o.db
      .updateTable('nodes')
      .set({ heartbeat_at: iso(new Date(this.wallMs())) })
      .where('id', '=', this.o.nodeId)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) > 0) return;
    // Another node took this one for dead (a stall longer than three intervals) and removed its rows.
    this.o.logger.warn({ nodeId: this.o.nodeId }, 'presence: this node was taken for dead; registering again');
    await this.registerNode();
    this.persisted.clear();
    for (const agentId of this.local.keys()) this.write(agentId);
  }

  private async reapDeadNodes(): Promise<void> {
    const cutoff = this.liveCutoff();
    const dead = await this.o.db
      .selectFrom('nodes')
      .select('id')
      .where('heartbeat_at', '<', cutoff)
      .where('id', '!=', this.o.nodeId)
      .execute();
    for (const { id } of dead) {
      const agents = await this.o.db.transaction().execute(async (tx) => {
        // Whoever deletes the node row removes its presence; a node that heartbeat meanwhile is spared.
        const gone = await tx
          .deleteFrom('nodes')
          .where('id', '=', id)
          .where('heartbeat_at', '<', cutoff)
          .executeTakeFirst();
        if (Number(gone.numDeletedRows) !== 1) return [];
        const rows = await tx.deleteFrom('staff_presence').where('node_id', '=', id).returning('agent_id').execute();
        return rows.map((r) => r.agent_id);
      });
      if (!agents.length) continue;
      this.o.logger.info({ deadNode: id, agents: agents.length }, 'presence: removed the consoles of a dead node');
      for (const agentId of agents) await this.publish(agentId, id, 0);
    }
    // Rows written by a node after its node row was removed (a write in flight while it was reaped).
    await this.o.db
      .deleteFrom('staff_presence')
      .where('node_id', 'not in', (eb) => eb.selectFrom('nodes').select('id'))
      .execute();
  }

  private async applyAwayRule(): Promise<void> {
    const now = this.wallMs();
    const cutoff = this.liveCutoff(now);
    const db = this.o.db;
    // An absence ends when the agent connects somewhere or leaves `available` (any later one starts anew).
    await db
      .deleteFrom('staff_absence')
      .where((eb) =>
        eb.or([
          eb('agent_id', 'not in', eb.selectFrom('agents').select('id').where('status', '=', 'available')),
          eb.exists(this.liveConsole('staff_absence.agent_id', cutoff)),
        ]),
      )
      .execute();
    const absent = await db
      .selectFrom('agents as a')
      .select('a.id')
      .where('a.status', '=', 'available')
      .where((eb) => eb.not(eb.exists(this.liveConsole('a.id', cutoff))))
      .where((eb) =>
        eb.not(eb.exists(eb.selectFrom('staff_absence as x').select('x.agent_id').whereRef('x.agent_id', '=', 'a.id'))),
      )
      .execute();
    if (absent.length) {
      const since = iso(new Date(now));
      await db
        .insertInto('staff_absence')
        .values(absent.map((a) => ({ agent_id: a.id, since })))
        .onConflict((oc) => oc.column('agent_id').doNothing())
        .execute();
    }
    const due = await db
      .selectFrom('staff_absence')
      .select('agent_id')
      .where('since', '<=', iso(new Date(now - this.o.awayAfterSeconds * 1000)))
      .execute();
    for (const { agent_id: agentId } of due) {
      const res = await db
        .updateTable('agents')
        .set({ status: 'away', status_changed_at: iso(this.o.clock.now()) })
        .where('id', '=', agentId)
        .where('status', '=', 'available')
        // Never someone with a socket open on a live node, whatever the absence row says.
        .where((eb) => eb.not(eb.exists(this.liveConsole('agents.id', cutoff))))
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 1) {
        this.o.logger.info({ agentId }, 'presence: agent set away (no console open anywhere)');
        await this.o.bus.publish(channels.staff, {
          name: 'agent.state_changed',
          payload: { agentId, state: 'away', reason: 'disconnected' },
        });
      }
      await db.deleteFrom('staff_absence').where('agent_id', '=', agentId).execute();
    }
  }

  /** Queues a write of this node's current count for the agent, after the agent's earlier writes. */
  private write(agentId: string): void {
    const next = (this.chains.get(agentId) ?? Promise.resolve())
      .then(() => this.persist(agentId))
      .catch((err: unknown) => this.o.logger.warn({ err, agentId }, 'presence write failed'));
    this.chains.set(agentId, next);
    void next.then(() => {
      if (this.chains.get(agentId) === next) this.chains.delete(agentId);
    });
  }

  /** Writes the count as it is now (not a delta), so the last write always leaves the true value. */
  private async persist(agentId: string): Promise<void> {
    if (this.stopped) return;
    const n = this.local.get(agentId) ?? 0;
    const before = this.persisted.get(agentId) ?? 0;
    if (n > 0) {
      await this.o.db
        .insertInto('staff_presence')
        .values({ agent_id: agentId, node_id: this.o.nodeId, connections: n, since: iso(new Date(this.wallMs())) })
        .onConflict((oc) => oc.columns(['agent_id', 'node_id']).doUpdateSet({ connections: n }))
        .execute();
      await this.o.db.deleteFrom('staff_absence').where('agent_id', '=', agentId).execute();
      this.persisted.set(agentId, n);
    } else {
      await this.o.db
        .deleteFrom('staff_presence')
        .where('agent_id', '=', agentId)
        .where('node_id', '=', this.o.nodeId)
        .execute();
      this.persisted.delete(agentId);
    }
    if (before === 0 && n > 0) await this.publish(agentId, this.o.nodeId, n);
    else if (before > 0 && n === 0) await this.publish(agentId, this.o.nodeId, 0);
  }

  /** A console of the agent in column `agentRef` open on a node whose heartbeat is at or after `cutoff`. */
  private liveConsole(agentRef: string, cutoff: string) {
    return this.o.db
      .selectFrom('staff_presence as p')
      .innerJoin('nodes as n', 'n.id', 'p.node_id')
      .select('p.agent_id')
      .where('p.agent_id', '=', sql.ref<string>(agentRef))
      .where('p.connections', '>', 0)
      .where('n.heartbeat_at', '>=', cutoff);
  }

  private publishPresence(agentId: string, connections: number): void {
    void this.publish(agentId, this.o.nodeId, connections);
  }

  private async publish(agentId: string, nodeId: string, connections: number): Promise<void> {
    try {
      await this.o.bus.publish(channels.staff, {
        name: 'agent.presence_changed',
        payload: { agentId, nodeId, connections },
      });
    } catch (err) {
      this.o.logger.warn({ err }, 'presence event failed');
    }
  }
}
