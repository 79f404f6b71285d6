/**
 * Prometheus metrics of one node (docs/metrics.md lists every series). One `Registry` per app, so
 * several apps in one process (tests, a cluster in a test) keep their own counts; every series carries
 * a `node` label (config.nodeId). Labels are bounded sets (roles, error codes, query kinds, route
 * patterns, team and language ids): never SQL text, raw URLs, message text or tokens.
 *
 * The composition root feeds it: the gateway reports sockets and frames, the store reports each query's
 * duration, the assistant and the redactor are wrapped so turns are timed and findings counted by type,
 * Fastify reports each response by route pattern. Queue depths and wait estimates are read from the
 * store at scrape time (one grouped count, then the wait model per non-empty queue, capped).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Assistant } from '../assistant/assistant.js';
import type { Redactor } from '../redaction/redactor.js';
import { estimateWaitSeconds } from '../routing/estimate.js';
import { isOpen } from '../routing/hours.js';
import type { QueueModel } from '../routing/queue-model.js';
import type { Actor } from '../security/access.js';
import type { Logger } from '../shared/logger.js';
import type { Db, QueryObserver } from '../store/db.js';

export type SocketRole = Actor['role'];
const ROLES: readonly SocketRole[] = ['cardmember', 'agent', 'supervisor', 'admin'];

/** What the WebSocket gateway reports (an optional dependency: the gateway runs without metrics). */
export interface GatewayMetrics {
  socketOpened(role: SocketRole): void;
  socketClosed(role: SocketRole): void;
  /** A `send` the store accepted and the sender was acked for (retransmits of an acked message excluded). */
  messageIn(role: SocketRole): void;
  /** A `message` frame written to a socket. */
  messageOut(): void;
  /** An `error` frame sent, by its code. */
  frameRejected(code: string): void;
}

export type QueryKind = 'select' | 'insert' | 'update' | 'delete' | 'other';

/** The statement kind from the SQL's first word; the text itself never becomes a label. */
export function queryKind(sqlText: string): QueryKind {
  const first = /^\s*([a-z]+)/i.exec(sqlText)?.[1]?.toLowerCase();
  return first === 'select' || first === 'insert' || first === 'update' || first === 'delete' ? first : 'other';
}

const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** Queues estimated per scrape at most (the biggest first); depth is reported for all of them. */
const MAX_ESTIMATED_QUEUES = 50;
/** Queues reported per scrape at most: a bound on series count, far above any real deployment. */
const MAX_QUEUES = 500;

interface QueueReading {
  teamId: string;
  language: string;
  depth: number;
  /** What the chat at the back of the line is told; null when the queue is closed or nobody serves it. */
  waitSeconds: number | null;
}

/** Process metrics (CPU, memory, event loop, GC) are per process: one set per node id, not per app. */
const processRegistries = new Map<string, Registry>();
function processRegistry(nodeId: string): Registry {
  let r = processRegistries.get(nodeId);
  if (!r) {
    r = new Registry();
    r.setDefaultLabels({ node: nodeId });
    // Each call starts its own event-loop monitor and GC observer, never stopped: at most one per node id.
    collectDefaultMetrics({ register: r, prefix: 'carechat_' });
    processRegistries.set(nodeId, r);
  }
  return r;
}

export class Metrics implements GatewayMetrics {
  readonly registry = new Registry();
  private readonly process: Registry;
  private readonly wsConnections: Gauge<'role'>;
  private readonly messagesIn: Counter<'role'>;
  private readonly messagesOut: Counter;
  private readonly framesRejected: Counter<'code'>;
  /** One child per statement kind, looked up once (every query passes here). */
  private readonly storeQueries: Record<QueryKind, ReturnType<Histogram<'kind'>['labels']>>;
  private readonly assistantTurns: Histogram<'outcome'>;
  private readonly redactions: Counter<'type'>;
  private readonly httpRequests: Histogram<'method' | 'route' | 'status'>;
  private queueSource: { db: Db; queues: QueueModel; now: () => Date } | null = null;
  /** The latest queue reading and the gauges that have used it: one reading per scrape, shared. */
  private queueReading: { value: Promise<QueueReading[]>; usedBy: Set<string> } | null = null;

  constructor(private readonly o: { nodeId: string; logger?: Logger }) {
    this.registry.setDefaultLabels({ node: o.nodeId });
    this.process = processRegistry(o.nodeId);
    const registers = [this.registry];
    this.wsConnections = new Gauge({
      name: 'carechat_ws_connections',
      help: 'Open WebSocket connections on this node, by role.',
      labelNames: ['role'],
      registers,
    });
    this.messagesIn = new Counter({
      name: 'carechat_messages_in_total',
      help: 'Messages accepted from sockets (stored and acked), by role of the sender.',
      labelNames: ['role'],
      registers,
    });
    this.messagesOut = new Counter({
      name: 'carechat_messages_out_total',
      help: 'Message frames written to sockets.',
      registers,
    });
    this.framesRejected = new Counter({
      name: 'carechat_ws_frames_rejected_total',
      help: 'Error frames sent to sockets, by error code.',
      labelNames: ['code'],
      registers,
    });
    for (const role of ROLES) {
      this.wsConnections.labels(role).set(0);
      this.messagesIn.labels(role).inc(0);
    }
    const storeQueries = new Histogram({
      name: 'carechat_store_query_duration_seconds',
      help: 'Store query duration, by statement kind (select, insert, update, delete, other).',
      labelNames: ['kind'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.storeQueries = {
      select: storeQueries.labels('select'),
      insert: storeQueries.labels('insert'),
      update: storeQueries.labels('update'),
      delete: storeQueries.labels('delete'),
      other: storeQueries.labels('other'),
    };
    const readQueues = (by: string) => this.readQueues(by);
    const queueGauge = (name: string, help: string, pick: (q: QueueReading) => number | null) =>
      new Gauge({
        name,
        help,
        labelNames: ['team', 'language'],
        registers,
        collect: async function (this: Gauge<'team' | 'language'>) {
          // Stale queues (emptied since the last scrape) disappear rather than keep their last value.
          this.reset();
          for (const q of await readQueues(name)) {
            const v = pick(q);
            if (v !== null) this.labels(q.teamId, q.language).set(v);
          }
        },
      });
    queueGauge(
      'carechat_queue_depth',
      'Chats waiting for an agent, by team and language (non-empty queues).',
      (q) => q.depth,
    );
    queueGauge(
      'carechat_queue_wait_estimate_seconds',
      'Estimated wait told to the last chat in line, by team and language (absent while closed or unstaffed).',
      (q) => q.waitSeconds,
    );
    this.assistantTurns = new Histogram({
      name: 'carechat_assistant_turn_duration_seconds',
      help: "The virtual assistant's time to answer one cardmember message, by outcome (reply, handoff, error).",
      labelNames: ['outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.redactions = new Counter({
      name: 'carechat_redactions_total',
      help: 'Sensitive values removed from inbound text, by type.',
      labelNames: ['type'],
      registers,
    });
    this.httpRequests = new Histogram({
      name: 'carechat_http_request_duration_seconds',
      help: 'HTTP responses by method, route pattern and status ("unmatched" for unknown paths).',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
  }

  // ------------------------------------------------------------------ gateway

  socketOpened(role: SocketRole): void {
    this.wsConnections.labels(role).inc();
  }
  socketClosed(role: SocketRole): void {
    this.wsConnections.labels(role).dec();
  }
  messageIn(role: SocketRole): void {
    this.messagesIn.labels(role).inc();
  }
  messageOut(): void {
    this.messagesOut.inc();
  }
  frameRejected(code: string): void {
    this.framesRejected.labels(code).inc();
  }

  // ------------------------------------------------------------------ store

  /** For `openStore`: times every query by kind. Never throws (a metric must not fail a query). */
  readonly observeQuery: QueryObserver = (q) => {
    try {
      this.storeQueries[queryKind(q.sql)].observe(q.durationMs / 1000);
    } catch {
      /* a bad duration is not worth a failed query */
    }
  };

  /** Queue gauges read this store and wait model at scrape time. */
  watchQueues(source: { db: Db; queues: QueueModel; now: () => Date }): void {
    this.queueSource = source;
  }

  /** A gauge asking again means a new scrape: read anew; the other gauge of that scrape shares it. */
  private readQueues(by: string): Promise<QueueReading[]> {
    if (!this.queueReading || this.queueReading.usedBy.has(by)) {
      const value = this.queryQueues().catch((err: unknown) => {
        this.o.logger?.warn({ err: { message: (err as Error).message } }, 'metrics: queue reading failed');
        return [];
      });
      this.queueReading = { value, usedBy: new Set() };
    }
    this.queueReading.usedBy.add(by);
    return this.queueReading.value;
  }

  private async queryQueues(): Promise<QueueReading[]> {
    const src = this.queueSource;
    if (!src) return [];
    const rows = await src.db
      .selectFrom('conversations')
      .select(['team_id', 'language', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', '=', 'queued')
      .where('team_id', 'is not', null)
      .groupBy(['team_id', 'language'])
      .orderBy('n', 'desc')
      .limit(MAX_QUEUES)
      .execute();
    const at = src.now();
    const out: QueueReading[] = [];
    for (const [i, r] of rows.entries()) {
      const depth = Number(r.n);
      let waitSeconds: number | null = null;
      if (i < MAX_ESTIMATED_QUEUES) {
        const [capacity, team] = await Promise.all([
          src.queues.capacity(r.team_id!, r.language),
          src.queues.team(r.team_id!),
        ]);
        if (isOpen(team?.hours ?? null, at)) waitSeconds = estimateWaitSeconds(depth, capacity);
      }
      out.push({ teamId: r.team_id!, language: r.language, depth, waitSeconds });
    }
    return out;
  }

  // ------------------------------------------------------------------ assistant, redactor, bus

  /** The same assistant, with each `respond` timed. */
  timeAssistant(inner: Assistant): Assistant {
    const turns = this.assistantTurns;
    return {
      greet: (ctx) => inner.greet(ctx),
      async respond(ctx) {
        const end = turns.startTimer();
        try {
          const decision = await inner.respond(ctx);
          end({ outcome: decision.handoff ? 'handoff' : 'reply' });
          return decision;
        } catch (err) {
          end({ outcome: 'error' });
          throw err;
        }
      },
    };
  }

  /** The same redactor, counting what it finds by type (the values are not looked at). */
  countRedactions(inner: Redactor): Redactor {
    const redactions = this.redactions;
    return {
      redact(text) {
        const r = inner.redact(text);
        for (const f of r.findings) redactions.labels(f.type).inc();
        return r;
      },
    };
  }

  /** Multi-node mode: events this node published to and received from Redis. */
  watchBus(bus: { published: number; received: number }): void {
    const seen = { published: 0, received: 0 };
    new Counter({
      name: 'carechat_bus_events_total',
      help: 'Events published to and received from the Redis bus (direction: published, received).',
      labelNames: ['direction'],
      registers: [this.registry],
      collect(this: Counter<'direction'>) {
        for (const d of ['published', 'received'] as const) {
          this.labels(d).inc(Math.max(0, bus[d] - seen[d]));
          seen[d] = bus[d];
        }
      },
    });
  }

  // ------------------------------------------------------------------ HTTP

  /**
   * Times every response by route pattern (never the raw URL: some paths carry tokens) and serves
   * `GET /metrics`. With a token, only `Authorization: Bearer <token>` gets the metrics. Register
   * before the routes so every route is timed.
   */
  registerHttp(http: FastifyInstance, token: string | null): void {
    http.addHook('onResponse', async (req, reply) => {
      const method = HTTP_METHODS.has(req.method) ? req.method : 'other';
      const route = req.routeOptions.url ?? 'unmatched';
      this.httpRequests.labels(method, route, String(reply.statusCode)).observe(reply.elapsedTime / 1000);
    });
    const expected = token ? digest(token) : null;
    http.get('/metrics', async (req, reply) => {
      reply.header('cache-control', 'no-store');
      if (expected) {
        const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
        if (!m || !timingSafeEqual(digest(m[1]!), expected)) {
          reply.header('www-authenticate', 'Bearer');
          return reply
            .code(401)
            .send({ error: { code: 'unauthorized', message: 'Metrics need the bearer token (METRICS_TOKEN).' } });
        }
      }
      return reply.type(this.registry.contentType).send(await this.render());
    });
  }

  /** Everything in the Prometheus text format: this app's series, then the process's. */
  async render(): Promise<string> {
    const [app, proc] = await Promise.all([this.registry.metrics(), this.process.metrics()]);
    return `${app.trimEnd()}\n${proc}`;
  }
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}
