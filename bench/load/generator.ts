/**
 * The load generator of issue 8's benchmark, run as its own process:
 *   node --import tsx bench/load/generator.ts <config.json>
 * The config (`GeneratorConfig`) names the WebSocket URL, the Origin to present and, per conversation,
 * how the cardmember's and the agent's sockets authenticate (subprotocols, headers such as the staff
 * cookie) and, in a two-node run, which node each socket connects to. For every pair it opens both
 * sockets and speaks docs/protocol.md: hello -> welcome, subscribe -> subscribed. Then, phase by
 * phase (`phases`), each side sends for `durationS` seconds: `ratePerSide` messages a second, or,
 * with 0, closed loop (the next `send` as soon as the previous one is acked, `window` in flight);
 * each phase is drained (bounded) before the next.
 * Measured: ack latency (send -> ack to the sender) and delivery latency (send -> the peer's `message`),
 * and, per receiving side, whether each of the peer's messages arrived exactly once and in order.
 * With an IPC channel (child_process.fork) it reports `{type:'connected'}` once every socket is
 * subscribed and waits for `{type:'start'}`, so the parent can measure idle memory per connection.
 * The result (`GeneratorResult`) is printed as one JSON line on stdout.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { percentile } from '../stats.js';

export interface SocketAuth {
  protocols: string[];
  headers?: Record<string, string>;
  /** This socket's node (two-node runs); default: the config's `wsUrl` and `origin`. */
  url?: string;
  origin?: string;
}

export interface Phase {
  name: string;
  durationS: number;
  /** Messages per second per side; 0 = closed loop (the next send when the previous one is acked). */
  ratePerSide: number;
  /** Sends in flight per side in closed-loop mode (default 1). */
  window?: number;
}

export interface GeneratorConfig {
  wsUrl: string;
  origin: string;
  /** Run one after the other on the same connections, each drained before the next. */
  phases: Phase[];
  pairs: Array<{ conversationId: string; cardmember: SocketAuth; agent: SocketAuth }>;
}

export interface PhaseResult {
  name: string;
  ratePerSide: number;
  durationS: number;
  elapsedS: number;
  sent: number;
  acked: number;
  delivered: number;
  duplicates: number;
  outOfOrder: number;
  missing: number;
  errors: Record<string, number>;
  msgsPerS: number;
  ackP50Ms: number;
  ackP99Ms: number;
  deliveryP50Ms: number;
  deliveryP99Ms: number;
}

export interface GeneratorResult {
  pairs: number;
  connections: number;
  phases: PhaseResult[];
  /** Every message of every phase reached the peer exactly once and in order. */
  exactlyOnceInOrder: boolean;
}

type Side = 'cm' | 'ag';
interface Stats {
  sent: number;
  acked: number;
  delivered: number;
  duplicates: number;
  outOfOrder: number;
  errors: Record<string, number>;
  ackLatencies: number[];
  deliveryLatencies: number[];
  lastDeliveryAt: number;
}

interface Pending {
  stats: Stats;
  side: Side;
  n: number;
  sentAt: number;
  acked: boolean;
  delivered: boolean;
}

interface Frame {
  type: string;
  clientMsgId?: string;
  conversationId?: string;
  code?: string;
  message?: { clientMsgId: string | null; conversationId: string };
}

class Client {
  private waiters: Array<{ pred: (f: Frame) => boolean; resolve: (f: Frame) => void }> = [];
  onFrame: (f: Frame, at: number) => void = () => undefined;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const at = performance.now();
      const f = JSON.parse(String(data)) as Frame;
      this.onFrame(f, at);
      this.waiters = this.waiters.filter((w) => (w.pred(f) ? (w.resolve(f), false) : true));
    });
  }

  static open(url: string, origin: string, auth: SocketAuth): Promise<Client> {
    const ws = new WebSocket(auth.url ?? url, auth.protocols, {
      origin: auth.origin ?? origin,
      headers: auth.headers ?? {},
      perMessageDeflate: false,
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new Client(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade rejected: ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  next(pred: (f: Frame) => boolean, timeoutMs = 15_000): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a frame')), timeoutMs);
      this.waiters.push({
        pred,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
      });
    });
  }

  send(frame: unknown): void {
    this.ws.send(JSON.stringify(frame));
  }

  async handshake(conversationId: string): Promise<void> {
    const welcome = this.next((f) => f.type === 'welcome');
    this.send({ type: 'hello', protocol: 1 });
    await welcome;
    const subscribed = this.next((f) => f.type === 'subscribed' && f.conversationId === conversationId);
    this.send({ type: 'subscribe', conversationId, lastSeq: 0 });
    await subscribed;
  }
}

/** Runs the load described by `config`; `ready` is awaited between connecting and sending. */
export async function generate(config: GeneratorConfig, ready: () => Promise<void>): Promise<GeneratorResult> {
  const pending = new Map<string, Pending>();
  const newStats = (): Stats => ({
    sent: 0,
    acked: 0,
    delivered: 0,
    duplicates: 0,
    outOfOrder: 0,
    errors: {},
    ackLatencies: [],
    deliveryLatencies: [],
    lastDeliveryAt: 0,
  });
  let stats = newStats();
  /** Closed loop: acks trigger the next send while this is set. */
  let closedLoop = false;

  interface Pair {
    conversationId: string;
    sockets: Record<Side, Client>;
    nextN: Record<Side, number>;
    /** Next n expected from the peer, by receiving side. */
    expect: Record<Side, number>;
  }
  const pairs: Pair[] = [];

  const sendOne = (p: Pair, side: Side) => {
    const clientMsgId = randomUUID();
    const n = p.nextN[side]++;
    pending.set(clientMsgId, { stats, side, n, sentAt: performance.now(), acked: false, delivered: false });
    stats.sent++;
    // A short, ordinary chat line (no digits a redactor would take for a card number).
    p.sockets[side].send({
      type: 'send',
      conversationId: p.conversationId,
      clientMsgId,
      body: `load test message ${n} from the ${side === 'cm' ? 'cardmember' : 'agent'}, thank you`,
    });
  };

  const wire = (p: Pair, side: Side) => {
    p.sockets[side].onFrame = (f, at) => {
      if (f.type === 'ack' && f.clientMsgId) {
        const m = pending.get(f.clientMsgId);
        if (!m || m.acked) return;
        m.acked = true;
        m.stats.acked++;
        m.stats.ackLatencies.push(at - m.sentAt);
        if (closedLoop && m.stats === stats) sendOne(p, side);
      } else if (f.type === 'message' && f.message?.clientMsgId && f.message.conversationId === p.conversationId) {
        const m = pending.get(f.message.clientMsgId);
        if (!m || m.side === side) return; // the sender's own echo
        if (m.delivered || m.n < p.expect[side]) {
          m.stats.duplicates++;
          return;
        }
        if (m.n !== p.expect[side]) m.stats.outOfOrder++;
        p.expect[side] = m.n + 1;
        m.delivered = true;
        m.stats.delivered++;
        m.stats.lastDeliveryAt = at;
        m.stats.deliveryLatencies.push(at - m.sentAt);
      } else if (f.type === 'error') {
        const code = f.code ?? 'unknown';
        stats.errors[code] = (stats.errors[code] ?? 0) + 1;
      }
    };
  };

  // Connect in batches so the upgrade burst itself is not what is measured.
  for (let i = 0; i < config.pairs.length; i += 25) {
    const batch = await Promise.all(
      config.pairs.slice(i, i + 25).map(async (c) => {
        const [cm, ag] = await Promise.all([
          Client.open(config.wsUrl, config.origin, c.cardmember),
          Client.open(config.wsUrl, config.origin, c.agent),
        ]);
        await Promise.all([cm.handshake(c.conversationId), ag.handshake(c.conversationId)]);
        const p: Pair = {
          conversationId: c.conversationId,
          sockets: { cm, ag },
          nextN: { cm: 0, ag: 0 },
          expect: { cm: 0, ag: 0 },
        };
        wire(p, 'cm');
        wire(p, 'ag');
        return p;
      }),
    );
    pairs.push(...batch);
  }
  await ready();

  const results: PhaseResult[] = [];
  let allExact = true;
  const r2 = (x: number) => +x.toFixed(2);
  for (const phase of config.phases) {
    stats = newStats();
    const t0 = performance.now();
    const timers: NodeJS.Timeout[] = [];
    closedLoop = phase.ratePerSide === 0;
    for (const p of pairs) {
      for (const side of ['cm', 'ag'] as const) {
        if (phase.ratePerSide > 0) {
          // Spread the sockets' first sends over one interval so they do not all fire together.
          const every = 1000 / phase.ratePerSide;
          timers.push(
            setTimeout(() => {
              sendOne(p, side);
              timers.push(setInterval(() => sendOne(p, side), every));
            }, Math.random() * every),
          );
        } else {
          for (let w = 0; w < (phase.window ?? 1); w++) sendOne(p, side);
        }
      }
    }
    await new Promise((r) => setTimeout(r, phase.durationS * 1000));
    closedLoop = false;
    for (const t of timers) clearInterval(t);
    // Drain: wait (bounded) for what is still in flight.
    const drainUntil = performance.now() + 10_000;
    while (performance.now() < drainUntil && (stats.acked < stats.sent || stats.delivered < stats.sent)) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const elapsedS = ((stats.lastDeliveryAt || performance.now()) - t0) / 1000;
    stats.ackLatencies.sort((a, b) => a - b);
    stats.deliveryLatencies.sort((a, b) => a - b);
    const missing = stats.sent - stats.delivered;
    if (missing || stats.duplicates || stats.outOfOrder) allExact = false;
    results.push({
      name: phase.name,
      ratePerSide: phase.ratePerSide,
      durationS: phase.durationS,
      elapsedS: r2(elapsedS),
      sent: stats.sent,
      acked: stats.acked,
      delivered: stats.delivered,
      duplicates: stats.duplicates,
      outOfOrder: stats.outOfOrder,
      missing,
      errors: stats.errors,
      msgsPerS: Math.round(stats.delivered / elapsedS),
      ackP50Ms: r2(percentile(stats.ackLatencies, 50)),
      ackP99Ms: r2(percentile(stats.ackLatencies, 99)),
      deliveryP50Ms: r2(percentile(stats.deliveryLatencies, 50)),
      deliveryP99Ms: r2(percentile(stats.deliveryLatencies, 99)),
    });
  }
  for (const p of pairs) for (const s of Object.values(p.sockets)) s.ws.terminate();
  return { pairs: pairs.length, connections: pairs.length * 2, phases: results, exactlyOnceInOrder: allExact };
}

// Run as a process: `node --import tsx bench/load/generator.ts <config.json>`.
if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as GeneratorConfig;
  const ready = () =>
    new Promise<void>((resolve) => {
      if (!process.send) return resolve();
      process.once('message', (m: { type?: string }) => {
        if (m?.type === 'start') resolve();
      });
      process.send({ type: 'connected' });
    });
  generate(config, ready).then(
    (result) => {
      process.stdout.write(JSON.stringify(result) + '\n');
      process.disconnect?.();
      process.exit(0);
    },
    (err: unknown) => {
      process.stderr.write(`generator failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
