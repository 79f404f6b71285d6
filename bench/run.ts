/**
 * `npm run bench`: first issue 8's load benchmark: idle connections at scale (bench/load/idle.ts:
 * BENCH_IDLE_CONNECTIONS silent sockets on the raw relay and on one carechat node), then the same
 * WebSocket load against a bare relay, carechat on SQLite and carechat on PostgreSQL + Redis with two
 * nodes (bench/load/scenarios.ts), both into bench/results/bench-results.json; then the message path
 * benchmark on a real server over loopback WebSockets, then the cost of
 * redaction per message (bench/redaction.ts), then the assistant's cold start and turn latency (bench/assistant.ts).
 * Routing decision time and the wait-estimate simulation come from bench/routing.ts.
 * N cardmember sockets each send M messages one at a time (send -> wait for ack), on SQLite and, when
 * reachable, PostgreSQL. Prints a table and writes bench/results/latest.json.
 * Bounded in count and time; talks only to 127.0.0.1.
 * `npm run bench -- --quick`: smaller sizes everywhere (the whole run in under two minutes).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { teardown as dropTestSchemas } from '../packages/server/test/global-setup.js';
import { startServer, storeUnavailable, TestSocket, widgetSession } from '../packages/server/test/helpers.js';
import { benchAssistant } from './assistant.js';
import { benchIdle } from './load/idle.js';
import { benchLoad, loadOptions } from './load/scenarios.js';
import { benchRedaction } from './redaction.js';
import { benchRouting, printRouting } from './routing.js';
import { percentile } from './stats.js';

const QUICK = process.argv.includes('--quick');
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? (QUICK ? 8 : 20));
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? (QUICK ? 20 : 50));

interface Result {
  store: string;
  clients: number;
  messages: number;
  seconds: number;
  messagesPerSecond: number;
  ackP50Ms: number;
  ackP95Ms: number;
  ackP99Ms: number;
  rssMiB: number;
}

async function benchStore(store: 'sqlite' | 'postgres'): Promise<Result | null> {
  if (await storeUnavailable(store).catch(() => 'unavailable')) return null;
  // The per-connection flood limit (10/s) is a product rule; the benchmark measures the path behind it.
  const s = await startServer({ db: store, env: { WS_RATE_PER_SECOND: '10000', WS_BURST: '10000' } });
  // The assistant answers cardmembers in 'bot' status; park conversations in the queue so the
  // benchmark measures the message path itself (the assistant does not answer after its handoff reply).
  const sockets: Array<{ sock: TestSocket; convId: string }> = [];
  const cards = [
    ['cm_maria', 'card_maria_gold'],
    ['cm_maria', 'card_maria_biz'],
    ['cm_jose', 'card_jose_green'],
    ['cm_sam', 'card_sam_blue'],
  ] as const;
  for (let i = 0; i < CLIENTS; i++) {
    const [sub, card] = cards[i % cards.length]!;
    const session = await widgetSession(s, { sub, card });
    const convId = session.conversation.id;
    await s.app.services.conversations.enqueue(convId, 'general', 0, 'bench');
    await s.app.services.conversations
      .accept(
        { role: 'supervisor', agentId: 'agent_sofia', firstName: 'Sofía', sessionHash: 'bench', skills: [] },
        convId,
      )
      .catch(() => undefined);
    const sock = await TestSocket.open(s, { sessionToken: session.sessionToken });
    await sock.handshake(convId, 0);
    sockets.push({ sock, convId });
  }
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    sockets.map(async ({ sock, convId }) => {
      for (let m = 0; m < MESSAGES; m++) {
        const clientMsgId = randomUUID();
        const start = performance.now();
        const ack = sock.next('ack', (f) => f.clientMsgId === clientMsgId, 30_000);
        sock.send({ type: 'send', conversationId: convId, clientMsgId, body: `benchmark message ${m}` });
        await ack;
        latencies.push(performance.now() - start);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  for (const { sock } of sockets) sock.terminate();
  await s.close();
  return {
    store,
    clients: CLIENTS,
    messages: latencies.length,
    seconds: +seconds.toFixed(2),
    messagesPerSecond: Math.round(latencies.length / seconds),
    ackP50Ms: +percentile(latencies, 50).toFixed(2),
    ackP95Ms: +percentile(latencies, 95).toFixed(2),
    ackP99Ms: +percentile(latencies, 99).toFixed(2),
    rssMiB: Math.round(process.memoryUsage().rss / 1048576),
  };
}

// Issue 8: idle memory per connection at scale, then carechat (SQLite, one node; PostgreSQL + Redis,
// two nodes) against a bare ws relay, the same load from a separate process.
const IDLE = Number(process.env.BENCH_IDLE_CONNECTIONS ?? (QUICK ? 5_000 : 50_000));
if (!Number.isInteger(IDLE) || IDLE < 0) {
  console.error('BENCH_IDLE_CONNECTIONS must be a whole number of sockets (0 skips the idle-connection run).');
  process.exit(2);
}
const idle = IDLE > 0 ? await benchIdle(IDLE) : 'skipped (BENCH_IDLE_CONNECTIONS=0)';
await benchLoad(loadOptions(QUICK), { idle_connections: idle });

const results: Result[] = [];
for (const store of ['sqlite', 'postgres'] as const) {
  const r = await benchStore(store);
  if (r) results.push(r);
  else console.log(`(${store} not reachable: skipped)`);
}
// Routing decisions on both stores and the wait-estimate simulation (bench/routing.ts).
const routing = await benchRouting(QUICK ? { chats: 200, agents: 40 } : {});
await dropTestSchemas();
console.table(results);
// Redaction alone, in process: its share of every message's path (µs per message).
const redaction = benchRedaction(QUICK ? 2000 : undefined);
console.table(redaction);
// The assistant: cold start, NLU per message, whole turns (NLU + flow + store).
const assistant = await benchAssistant(QUICK ? 5 : undefined);
console.table([
  { measure: `cold start (${assistant.engine})`, ms: assistant.coldStart.firstClassifyMs },
  { measure: 'NLU p50', ms: assistant.nlu.p50Ms },
  { measure: 'NLU p99', ms: assistant.nlu.p99Ms },
  { measure: 'turn p50', ms: assistant.turns.p50Ms },
  { measure: 'turn p99', ms: assistant.turns.p99Ms },
]);
printRouting(routing);
const out = path.resolve(import.meta.dirname, 'results');
mkdirSync(out, { recursive: true });
writeFileSync(
  path.join(out, 'latest.json'),
  JSON.stringify(
    { at: new Date().toISOString(), node: process.version, quick: QUICK, results, redaction, assistant, routing },
    null,
    2,
  ) + '\n',
);
console.log(`wrote ${path.join(out, 'latest.json')}`);
