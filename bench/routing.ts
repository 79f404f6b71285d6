/**
 * Routing: (a) decision time with 1,000 waiting chats and 200 agents of mixed teams and languages, on
 * SQLite and PostgreSQL (rows inserted directly; one sweep offers until every agent is full; each
 * decision is timed from one `offer.created` to the next); (b) the wait estimate's accuracy in a
 * discrete-event simulation of one queue's day, against a naive baseline. Deterministic (seeded RNG).
 * `npm run bench` includes it (rows under `routing` in the JSON); alone: `node --import tsx bench/routing.ts`.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Insertable } from 'kysely';
import { MutableClock } from '../packages/server/src/accounts/testing/clock.js';
import { AgentsStore } from '../packages/server/src/agents/agents.store.js';
import type { Assistant } from '../packages/server/src/assistant/assistant.js';
import { InProcessBus } from '../packages/server/src/bus/bus.js';
import { ConversationService } from '../packages/server/src/conversations/conversations.service.js';
import { ConversationsStore } from '../packages/server/src/conversations/conversations.store.js';
import { PatternRedactor } from '../packages/server/src/redaction/redactor.js';
import {
  DEFAULT_AHT_SECONDS,
  estimateWaitSeconds,
  smoothAht,
  type QueueCapacity,
} from '../packages/server/src/routing/estimate.js';
import { QueueModel } from '../packages/server/src/routing/queue-model.js';
import { RoutingService } from '../packages/server/src/routing/routing.service.js';
import { DEMO_TEAMS, seedDemo } from '../packages/server/src/seed/demo.js';
import { iso } from '../packages/server/src/shared/clock.js';
import { createLogger } from '../packages/server/src/shared/logger.js';
import { openStore } from '../packages/server/src/store/db.js';
import type { AgentSkillsTable, AgentsTable, ConversationsTable } from '../packages/server/src/store/schema.js';
import { freshDatabase, storeUnavailable } from '../packages/server/test/helpers.js';
import { percentile } from './stats.js';

/** Seeded PRNG (mulberry32): the same numbers on every run. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return { next, normal, pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

const round = (x: number, d = 2) => +x.toFixed(d);
const pct = (xs: number[], p: number) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    p,
  );

// ------------------------------------------------------------------ (a) decision time

export interface RoutingDecisionResult {
  store: string;
  waitingChats: number;
  agents: number;
  offers: number;
  sweepMs: number;
  msPerDecision: number;
  decisionP50Ms: number;
  decisionP99Ms: number;
  /** A sweep when every agent is full and 400 chats still wait (the periodic cost at saturation). */
  fullSweepMs: number;
}

const SILENT: Assistant = { greet: () => ({ replies: [] }), respond: async () => ({ replies: [] }) };

export async function benchDecisions(
  kind: 'sqlite' | 'postgres',
  chats: number,
  agents: number,
): Promise<RoutingDecisionResult | null> {
  if (await storeUnavailable(kind).catch(() => 'unavailable')) return null;
  const tdb = await freshDatabase(kind);
  const store = await openStore(tdb.config);
  try {
    const clock = new MutableClock(new Date());
    await seedDemo(store.db, clock.now());
    const r = rng(7);
    const now = clock.now().getTime();
    const teams = DEMO_TEAMS.map((t) => t.id);
    const agentRows: Insertable<AgentsTable>[] = [];
    const skills: AgentSkillsTable[] = [];
    for (let i = 0; i < agents; i++) {
      const id = `bench_${i}`;
      const at = iso(new Date(now - r.next() * 3_600_000));
      agentRows.push({
        id,
        email: `${id}@bench.test`,
        password_hash: 'x',
        first_name: id,
        display_name: id,
        role: 'agent',
        status: 'available',
        status_changed_at: at,
        idle_since: at,
        max_concurrent: 3,
        created_at: at,
        totp_secret_ciphertext: null,
        totp_enrolled_at: null,
        totp_last_step: null,
        failed_logins_since: null,
        locked_until: null,
      });
      // Everyone serves General; most one or two more teams; a third also in Spanish.
      const mine = new Set(['general', r.pick(teams), ...(r.next() < 0.5 ? [r.pick(teams)] : [])]);
      const langs: Array<'en' | 'es'> = r.next() < 0.33 ? ['en', 'es'] : ['en'];
      for (const t of mine) for (const l of langs) skills.push({ agent_id: id, team_id: t, language: l });
    }
    const convRows: ConversationsTable[] = [];
    for (let i = 0; i < chats; i++) {
      const at = iso(new Date(now - (chats - i) * 1000));
      convRows.push({
        id: randomUUID(),
        cardmember_id: 'cm_maria',
        card_id: 'card_maria_gold',
        language: r.next() < 0.2 ? 'es' : 'en',
        status: 'queued',
        team_id: r.next() < 0.5 ? 'general' : r.pick(teams),
        priority: r.next() < 0.03 ? 10 : 0,
        queued_at: at,
        assigned_agent_id: null,
        assigned_at: null,
        closed_at: null,
        closed_by: null,
        last_seq: 0,
        created_at: at,
        updated_at: at,
      });
    }
    for (let i = 0; i < agentRows.length; i += 100)
      await store.db
        .insertInto('agents')
        .values(agentRows.slice(i, i + 100))
        .execute();
    for (let i = 0; i < skills.length; i += 200)
      await store.db
        .insertInto('agent_skills')
        .values(skills.slice(i, i + 200))
        .execute();
    for (let i = 0; i < convRows.length; i += 100)
      await store.db
        .insertInto('conversations')
        .values(convRows.slice(i, i + 100))
        .execute();

    // Planner statistics as a running system has them (autovacuum); right after a bulk insert PostgreSQL
    // plans the queue scan as if the tables were empty, and one decision takes ~25 ms instead of ~2.
    await sql`analyze`.execute(store.db);

    const bus = new InProcessBus();
    const logger = createLogger('silent');
    const queues = new QueueModel(store.db, DEFAULT_AHT_SECONDS);
    const conversations = new ConversationService({
      store: new ConversationsStore(store.db),
      agents: new AgentsStore(store.db),
      bus,
      assistant: SILENT,
      redactor: new PatternRedactor(),
      clock,
      logger,
      queues,
    });
    const routing = new RoutingService({
      db: store.db,
      kind,
      bus,
      clock,
      logger,
      queues,
      offerTimeoutSeconds: 30,
      sweepMs: 60_000,
      view: (id) => conversations.viewById(id),
      handlers: { queue: (actor, offer) => conversations.accept(actor, offer.conversation_id) },
    });
    // One decision = one transaction choosing a chat and an agent, plus building and publishing the offer.
    const stamps: number[] = [];
    for (let i = 0; i < agents; i++) bus.subscribe(`agent:bench_${i}`, () => void stamps.push(performance.now()));
    const t0 = performance.now();
    const { offered } = await routing.sweep();
    const sweepMs = performance.now() - t0;
    const gaps = stamps.slice(1).map((t, i) => t - stamps[i]!);
    const t1 = performance.now();
    await routing.sweep();
    const fullSweepMs = performance.now() - t1;
    await routing.stop();
    return {
      store: kind,
      waitingChats: chats,
      agents,
      offers: offered,
      sweepMs: Math.round(sweepMs),
      msPerDecision: round(sweepMs / Math.max(1, offered)),
      decisionP50Ms: round(pct(gaps, 50)),
      decisionP99Ms: round(pct(gaps, 99)),
      fullSweepMs: round(fullSweepMs, 1),
    };
  } finally {
    await store.close();
    await tdb.drop();
  }
}

// ------------------------------------------------------------------ (b) wait-estimate simulation

export interface EstimateAccuracy {
  estimator: string;
  chats: number;
  maeSeconds: number;
  medianAbsErrorSeconds: number;
  /** MAE / mean actual wait. */
  relativeMae: number;
  /** Mean of (estimate - actual): > 0 promises too long a wait. */
  biasSeconds: number;
}

export interface SimulationResult {
  chatsPerDay: number;
  meanWaitSeconds: number;
  p90WaitSeconds: number;
  /** Chats that arrived when nobody served the queue (told so, not given a number). */
  notServing: number;
  estimators: EstimateAccuracy[];
}

/** Arrivals per hour at hour-of-day h: a night floor, a morning peak (10:30) and an afternoon one (15:00). */
const arrivalsPerHour = (h: number) =>
  40 + 400 * Math.exp(-(((h - 10.5) / 1.5) ** 2)) + 320 * Math.exp(-(((h - 15) / 1.8) ** 2));
/** Shifts (local hours, end may pass midnight) and how many agents work each. */
const SHIFTS: Array<{ start: number; end: number; agents: number }> = [
  { start: 23, end: 31, agents: 3 },
  { start: 7, end: 15, agents: 8 },
  { start: 9, end: 17, agents: 5 },
  { start: 13, end: 21, agents: 6 },
  { start: 15, end: 23, agents: 5 },
];
const MAX_CONCURRENT = 3;
/** The prior for AHT before any chat ends (AVERAGE_HANDLE_SECONDS default). */
const PRIOR_AHT = 360;

interface SimChat {
  arrival: number;
  estimates: Record<string, number | null>;
  accepted?: number;
}
interface SimAgent {
  start: number;
  end: number;
  chats: number;
  offered: number;
  wrapUntil: number;
  idleSince: number;
}

/** The estimators compared; each gets what the QueueModel computes at the chat's arrival. */
export type Estimator = (position: number, c: QueueCapacity, extra: { availableSlots: number }) => number | null;

export function simulateDay(estimators: Record<string, Estimator>, seed = 2026): SimulationResult {
  const r = rng(seed);
  const DAY = 86_400;
  // Events in time order (a binary heap would be faster; a day is ~20k events, a sorted insert is fine).
  type Ev = { t: number; kind: 'arrive' | 'accept' | 'end' | 'wrap' | 'tick'; chat?: number; agent?: number };
  const events: Ev[] = [];
  const push = (e: Ev) => {
    let lo = 0;
    let hi = events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (events[mid]!.t <= e.t) lo = mid + 1;
      else hi = mid;
    }
    events.splice(lo, 0, e);
  };
  // Non-homogeneous Poisson arrivals by thinning, from 00:00 to 24:00 (shifts warm up from day -1).
  const peak = Math.max(...Array.from({ length: 240 }, (_, i) => arrivalsPerHour(i / 10)));
  const chats: SimChat[] = [];
  for (let t = 0; ;) {
    t += -Math.log(1 - r.next()) / (peak / 3600);
    if (t >= DAY) break;
    if (r.next() < arrivalsPerHour(t / 3600) / peak) {
      chats.push({ arrival: t, estimates: {} });
      push({ t, kind: 'arrive', chat: chats.length - 1 });
    }
  }
  const agents: SimAgent[] = [];
  for (const s of SHIFTS) {
    for (let i = 0; i < s.agents; i++) {
      // The overnight shift that started yesterday covers 00:00–07:00 too.
      for (const day of s.end > 24 ? [-1, 0] : [0]) {
        const start = (day * 24 + s.start) * 3600;
        agents.push({ start, end: (day * 24 + s.end) * 3600, chats: 0, offered: 0, wrapUntil: 0, idleSince: start });
      }
    }
  }
  for (const a of agents) {
    push({ t: Math.max(0, a.start), kind: 'tick' });
    push({ t: Math.max(0, a.end), kind: 'tick' });
  }
  const handle = () => Math.exp(Math.log(300) + 0.6 * r.normal()); // lognormal: median 5 min, mean ~6 min
  const wrapUp = () => 10 + Math.exp(Math.log(20) + 0.5 * r.normal()); // ~30 s after each chat
  const pickup = () => 5 + r.next() * 20; // an offer reaches the console and is accepted in 5–25 s

  const waiting: number[] = []; // FIFO of chats not yet offered
  let offeredCount = 0; // offered, not yet accepted (still "queued" in the store)
  let aht: number | null = null;
  let samples = 0;
  const onShift = (a: SimAgent, t: number) => t >= a.start && t < a.end;
  const takes = (a: SimAgent, t: number) => onShift(a, t) && t >= a.wrapUntil && a.chats + a.offered < MAX_CONCURRENT;

  const dispatch = (t: number) => {
    while (waiting.length > 0) {
      let best: SimAgent | null = null;
      for (const a of agents) if (takes(a, t) && (!best || a.idleSince < best.idleSince)) best = a;
      if (!best) return;
      const c = waiting.shift()!;
      best.offered++;
      offeredCount++;
      push({ t: t + pickup(), kind: 'accept', chat: c, agent: agents.indexOf(best) });
    }
  };

  let notServing = 0;
  while (events.length > 0) {
    const e = events.shift()!;
    const t = e.t;
    if (e.kind === 'arrive') {
      const c = chats[e.chat!]!;
      // What QueueModel.capacity() reads: signed-in agents (available or wrapping up here; nobody
      // chooses busy), their slots, and the free slots of the available ones (assigned + offered count).
      const serving = agents.filter((a) => onShift(a, t));
      const available = serving.filter((a) => t >= a.wrapUntil);
      const cap: QueueCapacity = {
        servingAgents: serving.length,
        openSlots: serving.length * MAX_CONCURRENT,
        freeSlots: available.reduce((n, a) => n + Math.max(0, MAX_CONCURRENT - a.chats - a.offered), 0),
        ahtSeconds: samples > 0 ? aht! : PRIOR_AHT,
      };
      // Position counts every chat still queued in the store: not yet offered, or offered and not accepted.
      const position = waiting.length + offeredCount + 1;
      const extra = { availableSlots: available.length * MAX_CONCURRENT };
      for (const [name, f] of Object.entries(estimators)) c.estimates[name] = f(position, cap, extra);
      if (cap.servingAgents === 0) notServing++;
      waiting.push(e.chat!);
    } else if (e.kind === 'accept') {
      const a = agents[e.agent!]!;
      a.offered--;
      offeredCount--;
      a.chats++;
      a.idleSince = t;
      chats[e.chat!]!.accepted = t;
      push({ t: t + handle(), kind: 'end', chat: e.chat, agent: e.agent });
    } else if (e.kind === 'end') {
      const a = agents[e.agent!]!;
      a.chats--;
      const c = chats[e.chat!]!;
      const h = t - c.accepted!;
      aht = smoothAht(aht, samples++, h);
      // Wrap-up only from available, as the conversation service does.
      if (t >= a.wrapUntil && onShift(a, t)) {
        a.wrapUntil = t + wrapUp();
        push({ t: a.wrapUntil, kind: 'wrap' });
      }
    }
    dispatch(t);
  }

  const served = chats.filter((c) => c.accepted !== undefined);
  const waits = served.map((c) => c.accepted! - c.arrival);
  const meanWait = waits.reduce((a, b) => a + b, 0) / waits.length;
  const estimatorsOut: EstimateAccuracy[] = Object.keys(estimators).map((name) => {
    const errs = served
      .filter((c) => c.estimates[name] !== null)
      .map((c) => c.estimates[name]! - (c.accepted! - c.arrival));
    const abs = errs.map(Math.abs);
    const mae = abs.reduce((a, b) => a + b, 0) / abs.length;
    return {
      estimator: name,
      chats: errs.length,
      maeSeconds: round(mae, 1),
      medianAbsErrorSeconds: round(pct(abs, 50), 1),
      relativeMae: round(mae / meanWait, 2),
      biasSeconds: round(errs.reduce((a, b) => a + b, 0) / errs.length, 1),
    };
  });
  return {
    chatsPerDay: chats.length,
    meanWaitSeconds: round(meanWait, 1),
    p90WaitSeconds: round(pct(waits, 90), 1),
    notServing,
    estimators: estimatorsOut,
  };
}

/** The estimate before the model: place in line times a fixed AHT over the agents signed in. */
const naive: Estimator = (position, c) =>
  c.servingAgents === 0 ? null : Math.round((position * PRIOR_AHT) / c.servingAgents);

// ------------------------------------------------------------------ both

export interface RoutingBench {
  decisions: RoutingDecisionResult[];
  simulation: SimulationResult;
}

export async function benchRouting(o: { chats?: number; agents?: number } = {}): Promise<RoutingBench> {
  const chats = o.chats ?? Number(process.env.BENCH_ROUTING_CHATS ?? 1000);
  const agents = o.agents ?? Number(process.env.BENCH_ROUTING_AGENTS ?? 200);
  const decisions: RoutingDecisionResult[] = [];
  for (const kind of ['sqlite', 'postgres'] as const) {
    const res = await benchDecisions(kind, chats, agents);
    if (res) decisions.push(res);
    else console.log(`(routing on ${kind}: store not reachable, skipped)`);
  }
  const simulation = simulateDay({
    model: estimateWaitSeconds,
    'model counting available agents only (before)': (p, c, x) =>
      estimateWaitSeconds(p, { ...c, openSlots: x.availableSlots }),
    'naive (position × AHT / agents)': naive,
  });
  return { decisions, simulation };
}

export function printRouting(r: RoutingBench): void {
  console.table(r.decisions);
  const s = r.simulation;
  console.log(
    `wait-estimate simulation: ${s.chatsPerDay} chats/day, mean wait ${s.meanWaitSeconds} s, p90 ${s.p90WaitSeconds} s, ${s.notServing} told nobody serves`,
  );
  console.table(s.estimators);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchRouting();
  printRouting(r);
  const { teardown } = await import('../packages/server/test/global-setup.js');
  await teardown();
}
