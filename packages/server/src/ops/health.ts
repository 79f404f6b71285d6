/**
 * Readiness for load balancers: `GET /readyz` says whether this node should get new connections.
 * Ready means the store answers a trivial query within a second and the node is not draining for
 * shutdown. The bus (Redis in multi-node mode) is reported but does not make a node unready: Redis is
 * shared, so when it is down every node would leave the rotation at once, while each can still serve
 * its chats from the store (cross-node events resume with `bus.resync` when Redis is back). The answer
 * then says `degraded: true` for monitoring. `/healthz` (app.ts) stays liveness only:
 * a node that is alive but not ready is taken out of rotation, not restarted.
 * The answer names which check failed, never why (no error text, hosts or stack traces); a change of
 * readiness is logged once (not every probe), with the checks.
 */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Bus } from '../bus/bus.js';
import type { Logger } from '../shared/logger.js';
import type { Store } from '../store/db.js';

/** How long the store may take to answer `select 1` before the node counts as not ready. */
export const STORE_CHECK_TIMEOUT_MS = 1000;

export interface ReadinessDeps {
  store: Store;
  bus: Bus;
  nodeId: string;
  /** True from the moment shutdown starts (ops/shutdown.ts). */
  draining: () => boolean;
  storeTimeoutMs?: number;
}

export type CheckResult = 'ok' | 'unavailable';
export interface Checks {
  store: CheckResult;
  bus: CheckResult;
  draining: boolean;
}
export type Readiness =
  { ready: true; node: string; degraded?: true; checks?: Checks } | { ready: false; node: string; checks: Checks };

/** Runs every check (all of them, so the answer shows each one) and combines them. */
export async function readiness(d: ReadinessDeps): Promise<Readiness> {
  const draining = d.draining();
  const [store, bus] = await Promise.all([
    storeCheck(d.store, d.storeTimeoutMs ?? STORE_CHECK_TIMEOUT_MS),
    busCheck(d.bus),
  ]);
  const checks = { store, bus, draining };
  if (store === 'ok' && !draining) {
    return bus === 'ok' ? { ready: true, node: d.nodeId } : { ready: true, node: d.nodeId, degraded: true, checks };
  }
  return { ready: false, node: d.nodeId, checks };
}

async function storeCheck(store: Store, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve('unavailable'), timeoutMs);
  });
  const query = sql`select 1 as one`
    .execute(store.db)
    .then((): CheckResult => 'ok')
    .catch((): CheckResult => 'unavailable');
  try {
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The in-process bus is always up; a bus that reports health (RedisBus) is asked. */
async function busCheck(bus: Bus): Promise<CheckResult> {
  const reported = (bus as Partial<{ healthy: boolean }>).healthy;
  return reported === false ? 'unavailable' : 'ok';
}

/**
 * Registers `GET /readyz`: 200 when ready, else 503 with the failed checks. Never cached; probes are not
 * request-logged (they come every few seconds), but each change of readiness is.
 */
export function readinessRoutes(http: FastifyInstance, d: ReadinessDeps & { logger: Logger }): void {
  let wasReady: 'ready' | 'degraded' | 'not_ready' | null = null;
  http.get('/readyz', { logLevel: 'warn' }, async (_req, reply) => {
    const r = await readiness(d);
    const state = r.ready ? (r.degraded ? 'degraded' : 'ready') : 'not_ready';
    if (state !== wasReady) {
      if (state === 'degraded') d.logger.warn({ checks: r.checks }, 'degraded: the bus is down; /readyz answers 200');
      else if (r.ready) d.logger.info('ready: /readyz answers 200');
      else d.logger.warn({ checks: r.checks }, 'not ready: /readyz answers 503');
      wasReady = state;
    }
    reply.header('cache-control', 'no-store');
    return reply.code(r.ready ? 200 : 503).send(r);
  });
}
