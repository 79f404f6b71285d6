/**
 * What a waiting cardmember is told: place in line, estimated wait, whether anyone serves the queue,
 * the hours and the phone line. Reads only the store (agents, offers, queue_stats, teams), so every
 * node computes the same answer. The model is in estimate.ts and docs/routing.md.
 */
import { TeamHours, type QueueInfo } from '@carechat/protocol';
import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import type { ConversationsTable } from '../store/schema.js';
import { AHT_SMOOTHING, estimateWaitSeconds, type QueueCapacity } from './estimate.js';
import { isOpen, nextOpening } from './hours.js';

export interface TeamRow {
  id: string;
  name_en: string;
  name_es: string;
  hours: TeamHours | null;
  phone: string | null;
  answerSlaSeconds: number;
}

type QueuedChat = Pick<ConversationsTable, 'id' | 'status' | 'team_id' | 'language' | 'priority' | 'queued_at'>;

function present(
  teamId: string,
  language: 'en' | 'es',
  position: number,
  capacity: QueueCapacity,
  team: TeamRow | null,
  now: Date,
): QueueInfo {
  const open = isOpen(team?.hours ?? null, now);
  const estimate = open ? estimateWaitSeconds(position, capacity) : null;
  const opensAt = open ? null : nextOpening(team?.hours ?? null, now);
  return {
    teamId,
    teamName: (language === 'es' ? team?.name_es : team?.name_en) ?? teamId,
    position,
    // Kept an integer for older clients; `serving: false` says it means nothing.
    estimatedWaitSeconds: estimate ?? 0,
    agentsAvailable: capacity.servingAgents,
    serving: open && capacity.servingAgents > 0,
    open,
    opensAt: opensAt ? opensAt.toISOString() : null,
    phone: team?.phone ?? null,
  };
}

/** Stored hours that do not parse, or name a time zone this runtime does not know, count as 24/7. */
function parseHours(json: string | null | undefined): TeamHours | null {
  if (!json) return null;
  try {
    const parsed = TeamHours.safeParse(JSON.parse(json));
    if (!parsed.success) return null;
    new Intl.DateTimeFormat('en-US', { timeZone: parsed.data.timeZone });
    return parsed.data;
  } catch {
    return null;
  }
}

export class QueueModel {
  constructor(
    private readonly db: Db,
    private readonly defaultAhtSeconds: number,
  ) {}

  async team(id: string): Promise<TeamRow | null> {
    const t = await this.db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
    if (!t) return null;
    const hours = parseHours(t.hours);
    return {
      id: t.id,
      name_en: t.name_en,
      name_es: t.name_es,
      hours,
      phone: t.phone ?? null,
      answerSlaSeconds: Number(t.answer_sla_seconds ?? 120),
    };
  }

  /** Serving agents, their open and free slots, and the queue's smoothed handle time. */
  async capacity(teamId: string, language: 'en' | 'es'): Promise<QueueCapacity> {
    const agents = await this.db
      .selectFrom('agents as a')
      .innerJoin('agent_skills as s', 's.agent_id', 'a.id')
      .select([
        'a.id',
        'a.status',
        'a.max_concurrent',
        (eb) =>
          eb
            .selectFrom('conversations as c')
            .select((e) => e.fn.countAll<number>().as('n'))
            .whereRef('c.assigned_agent_id', '=', 'a.id')
            .where('c.status', '=', 'assigned')
            .as('load'),
        (eb) =>
          eb
            .selectFrom('offers as o')
            .select((e) => e.fn.countAll<number>().as('n'))
            .whereRef('o.agent_id', '=', 'a.id')
            .where('o.state', '=', 'pending')
            .as('offered'),
      ])
      .where('s.team_id', '=', teamId)
      .where('s.language', '=', language)
      .where('a.role', 'in', ['agent', 'supervisor'])
      .where('a.status', 'in', ['available', 'busy', 'wrap_up'])
      .execute();
    const stats = await this.db
      .selectFrom('queue_stats')
      .select(['aht_seconds', 'samples'])
      .where('team_id', '=', teamId)
      .where('language', '=', language)
      .executeTakeFirst();
    let openSlots = 0;
    let freeSlots = 0;
    for (const a of agents) {
      // An agent wrapping up takes chats again in a moment: their slots turn over like the others'
      // (counting them cut the simulated MAE by a fifth, bench/routing.ts). Busy means not taking chats.
      if (a.status === 'busy') continue;
      openSlots += a.max_concurrent;
      if (a.status !== 'available') continue;
      freeSlots += Math.max(0, a.max_concurrent - Number(a.load ?? 0) - Number(a.offered ?? 0));
    }
    return {
      servingAgents: agents.length,
      openSlots,
      freeSlots,
      ahtSeconds: stats && stats.samples > 0 ? Number(stats.aht_seconds) : this.defaultAhtSeconds,
    };
  }

  /** 1-based place among the queue's waiting chats (priority, then time queued, then id). */
  async position(c: Pick<ConversationsTable, 'id' | 'status' | 'team_id' | 'language' | 'priority' | 'queued_at'>) {
    if (c.status !== 'queued' || !c.team_id || !c.queued_at) return 0;
    const queuedAt = c.queued_at;
    const row = await this.db
      .selectFrom('conversations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'queued')
      .where('team_id', '=', c.team_id)
      .where('language', '=', c.language)
      .where((eb) =>
        eb.or([
          eb('priority', '>', c.priority),
          eb.and([eb('priority', '=', c.priority), eb('queued_at', '<', queuedAt)]),
          eb.and([eb('priority', '=', c.priority), eb('queued_at', '=', queuedAt), eb('id', '<', c.id)]),
        ]),
      )
      .executeTakeFirstOrThrow();
    return Number(row.n) + 1;
  }

  /** The cardmember's view of their place in line. */
  async info(c: QueuedChat, now: Date): Promise<QueueInfo | null> {
    if (c.status !== 'queued' || !c.team_id) return null;
    const [position, capacity, team] = await Promise.all([
      this.position(c),
      this.capacity(c.team_id, c.language),
      this.team(c.team_id),
    ]);
    return present(c.team_id, c.language, position, capacity, team, now);
  }

  /**
   * The same answer for many waiting chats at once, as they stand in line: `rows` in queue order
   * (priority, then time queued, then id, as `ConversationsStore.listQueued` returns them). Capacity
   * and team are read once per queue, not once per chat, so re-telling a long queue its places costs
   * two queries per queue instead of four per chat.
   */
  async infoForQueued(rows: QueuedChat[], now: Date): Promise<Map<string, QueueInfo>> {
    const out = new Map<string, QueueInfo>();
    const queues = new Map<string, QueuedChat[]>();
    for (const r of rows) {
      if (r.status !== 'queued' || !r.team_id) continue;
      const key = `${r.team_id}\u0000${r.language}`;
      const list = queues.get(key);
      if (list) list.push(r);
      else queues.set(key, [r]);
    }
    for (const list of queues.values()) {
      const { team_id: teamId, language } = list[0]!;
      const [capacity, team] = await Promise.all([this.capacity(teamId!, language), this.team(teamId!)]);
      list.forEach((r, i) => out.set(r.id, present(teamId!, language, i + 1, capacity, team, now)));
    }
    return out;
  }

  /** Records a finished chat's handle time in the queue's smoothed average (one statement, any node). */
  async recordHandleTime(teamId: string, language: 'en' | 'es', handleSeconds: number, now: string): Promise<void> {
    const h = Math.max(1, Math.round(handleSeconds));
    await this.db
      .insertInto('queue_stats')
      .values({ team_id: teamId, language, aht_seconds: h, samples: 1, updated_at: now })
      .onConflict((oc) =>
        oc.columns(['team_id', 'language']).doUpdateSet({
          // previous + a * (new - previous), computed in the store so concurrent closes both count.
          aht_seconds: sql<number>`queue_stats.aht_seconds + ${AHT_SMOOTHING} * (${h} - queue_stats.aht_seconds)`,
          samples: sql<number>`queue_stats.samples + 1`,
          updated_at: now,
        }),
      )
      .execute();
  }
}
