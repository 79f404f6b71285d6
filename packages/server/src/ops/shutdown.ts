/**
 * Graceful shutdown of one node of a cluster. On SIGTERM (a deploy, a scale-in) the node:
 *   1. reports "not ready" on /readyz at once, so the load balancer stops sending new connections;
 *   2. keeps serving for `SHUTDOWN_DRAIN_MS`, long enough for the balancer's health check to notice;
 *   3. tells every socket to `reconnect` (each after its own random delay, so the other nodes are not
 *      hit by every client at the same instant), lets the frames each socket already sent finish, and
 *      closes it with 1012;
 *   4. then the app closes: timers, HTTP, bus, store.
 * Clients resume by seq on whichever node they reach, so nothing is lost and nothing needs sticky sessions.
 */
import type { Logger } from '../shared/logger.js';

/** Each socket is asked to wait a random 0..this many ms before reconnecting. */
export const RECONNECT_SPREAD_MS = 2000;
/** How long frames a socket already sent may take to finish before it is closed anyway. */
export const SETTLE_MS = 5000;

/** The part of the WebSocket gateway a drain uses (transport/ws.gateway.ts). */
export interface DrainableSockets {
  drain(o: { spreadMs: number; settleMs: number }): Promise<void>;
}

export interface DrainOptions {
  /** SHUTDOWN_DRAIN_MS: time between "not ready" and asking sockets to move. */
  waitMs: number;
  logger: Logger;
  spreadMs?: number;
  settleMs?: number;
}

/** The draining state of this node; `run` is idempotent (a second call returns the first drain). */
export class Drain {
  private started: Promise<void> | null = null;

  constructor(private readonly o: DrainOptions) {}

  get draining(): boolean {
    return this.started !== null;
  }

  run(sockets: DrainableSockets): Promise<void> {
    this.started ??= this.drain(sockets);
    return this.started;
  }

  private async drain(sockets: DrainableSockets): Promise<void> {
    this.o.logger.info({ waitMs: this.o.waitMs }, 'draining: not ready; sockets will be asked to reconnect elsewhere');
    if (this.o.waitMs > 0) await new Promise((resolve) => setTimeout(resolve, this.o.waitMs));
    const started = Date.now();
    await sockets.drain({
      spreadMs: this.o.spreadMs ?? RECONNECT_SPREAD_MS,
      settleMs: this.o.settleMs ?? SETTLE_MS,
    });
    this.o.logger.info({ ms: Date.now() - started }, 'drained: every socket was asked to reconnect and closed');
  }
}

export interface SignalOptions {
  /** Where the shutdown lines go (main.ts: stdout). */
  log: (line: string) => void;
  exit: (code: number) => void;
  /** After this long the process exits with 1 whatever is still running. */
  hardTimeoutMs: number;
  /** The event source of the signals (default: process). */
  source?: Pick<NodeJS.EventEmitter, 'on'>;
}

/**
 * SIGTERM or SIGINT: drain, close, exit 0 (1 if closing fails or takes longer than hardTimeoutMs).
 * A second signal exits at once with 1: the operator asked twice.
 */
export function exitOnSignals(app: { drain(): Promise<void>; close(): Promise<void> }, o: SignalOptions): void {
  const source = o.source ?? process;
  let shuttingDown = false;
  const onSignal = (signal: string) => {
    if (shuttingDown) {
      o.log(`${signal} again: exiting now`);
      o.exit(1);
      return;
    }
    shuttingDown = true;
    o.log(`${signal}: draining, then shutting down`);
    const timer = setTimeout(() => {
      o.log('shutdown took too long: exiting');
      o.exit(1);
    }, o.hardTimeoutMs);
    timer.unref();
    app
      .drain()
      .then(() => app.close())
      .then(
        () => {
          clearTimeout(timer);
          o.exit(0);
        },
        (err: unknown) => {
          clearTimeout(timer);
          o.log(`shutdown failed: ${err instanceof Error ? err.message : 'unknown error'}`);
          o.exit(1);
        },
      );
  };
  source.on('SIGTERM', () => onSignal('SIGTERM'));
  source.on('SIGINT', () => onSignal('SIGINT'));
}
