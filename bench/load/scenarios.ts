/**
 * Issue 8's load benchmark: the same load (bench/load/generator.ts, its own process) against
 *   - raw relay: a bare `ws` relay (bench/load/relay.ts), the machine's limit;
 *   - carechat, SQLite, one node: a full server (demo data, the test helpers' settings);
 *   - carechat, PostgreSQL + Redis, two nodes: two servers on one fresh PostgreSQL schema and one
 *     Redis prefix; every cardmember socket on node A, its agent's socket on node B, so every message
 *     crosses the Redis bus. The schema is dropped at the end. Skipped (with the reason) when
 *     PostgreSQL (TEST_DATABASE_URL) or Redis (TEST_REDIS_URL) is not reachable.
 * Each server runs in a host process of its own (this file with `host <json>`), so the RSS delta
 * per connection is that of the processes serving the sockets and nothing else.
 * `benchLoad()` prints a table and writes bench/results/bench-results.json (with the idle-connection
 * section of bench/load/idle.ts when given). Talks only to 127.0.0.1.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { GeneratorConfig, GeneratorResult } from './generator.js';
import { nextMessage, rssSample, sleep, stopChild } from './ipc.js';

export type ScenarioName = 'raw_relay' | 'sqlite_one_node' | 'postgres_redis_two_nodes';

export interface LoadOptions {
  /** Conversation pairs (each: one cardmember socket + one agent socket). */
  pairs: number;
  /** Seconds of each phase: steady (latency) and then closed loop (throughput). */
  durationS: number;
  /** Seconds at the steady rate before the measured phases (their results are kept, not used). */
  warmupS: number;
  /** Steady phase: messages per second per side (10: the product's sustained per-connection limit). */
  ratePerSide: number;
  /** Closed-loop phase: sends in flight per side. */
  window: number;
}

interface Metrics {
  msgs_per_s: number;
  p50_ms: number;
  p99_ms: number;
  rss_per_conn_kb: number;
}

interface HostMemory {
  host: string;
  connections: number;
  rssBeforeMiB: number;
  rssConnectedMiB: number;
}

export interface ScenarioResult extends Partial<Metrics> {
  scenario: ScenarioName;
  status: 'ok' | 'failed' | 'skipped';
  ratio_to_raw?: Metrics;
  detail?: GeneratorResult & { hosts: HostMemory[] };
  error?: string;
}

/** What a host process is asked to run (passed as JSON in argv). */
interface HostSpec {
  name: string;
  mode: 'raw_relay' | 'carechat';
  /** Chats to prepare (the generator config is written to `configPath`); 0: serve only. */
  pairs: number;
  configPath: string;
  /** carechat only: the store (default: a fresh SQLite file) and the Redis bus (default: in-process). */
  postgres?: { url: string; schema: string };
  redis?: { url: string; prefix: string };
  nodeId?: string;
}

const here = import.meta.dirname;
const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function startHost(spec: HostSpec): ChildProcess {
  return fork(path.join(here, 'scenarios.ts'), ['host', JSON.stringify(spec)], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

async function hostRss(host: ChildProcess): Promise<number> {
  host.send({ type: 'rss' });
  return (await nextMessage<{ rss: number }>(host, 'rss')).rss;
}

/**
 * One scenario: its hosts (the first prepares the chats; the others serve only), then the generator.
 * `route` may move sockets to other hosts (two nodes: the agents to node B).
 */
async function runScenario(
  scenario: ScenarioName,
  o: LoadOptions,
  specs: Array<Omit<HostSpec, 'configPath' | 'pairs'>>,
  route: (config: GeneratorConfig, nodes: Array<{ wsUrl: string; origin: string }>) => void = () => undefined,
): Promise<ScenarioResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'carechat-load-'));
  const configPath = path.join(dir, 'generator.json');
  const hosts: ChildProcess[] = [];
  let generator: ChildProcess | null = null;
  try {
    const nodes: Array<{ wsUrl: string; origin: string }> = [];
    // One after the other: the first migrates, seeds and prepares; the others find it done.
    for (const [i, spec] of specs.entries()) {
      const host = startHost({ ...spec, pairs: i === 0 ? o.pairs : 0, configPath: `${configPath}.${i}` });
      hosts.push(host);
      nodes.push(await nextMessage<{ wsUrl: string; origin: string }>(host, 'prepared', 300_000));
    }
    // The first host wrote the sockets' credentials; the generator gets the load parameters on top.
    const config = JSON.parse(readFileSync(`${configPath}.0`, 'utf8')) as GeneratorConfig;
    route(config, nodes);
    writeFileSync(
      configPath,
      JSON.stringify({
        ...config,
        phases: [
          // Not measured: the first messages through a cold node (JIT, pool connections, Redis channels).
          { name: 'warmup', durationS: o.warmupS, ratePerSide: o.ratePerSide },
          { name: 'steady', durationS: o.durationS, ratePerSide: o.ratePerSide },
          { name: 'saturate', durationS: o.durationS, ratePerSide: 0, window: o.window },
        ],
      } satisfies GeneratorConfig),
      { mode: 0o600 },
    );
    const before = await Promise.all(hosts.map(hostRss));
    let stdout = '';
    const g = fork(path.join(here, 'generator.ts'), [configPath], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    generator = g;
    g.stdout!.on('data', (c: Buffer) => (stdout += c));
    const exited = new Promise<number | null>((resolve) => g.once('exit', (code) => resolve(code)));
    await nextMessage(g, 'connected', 120_000);
    // Let the sockets settle, then the idle memory of the hosts with every connection open.
    await sleep(500);
    const connected = await Promise.all(hosts.map(hostRss));
    g.send({ type: 'start' });
    const code = await exited;
    if (code !== 0) throw new Error(`generator exited with ${code}`);
    const r = JSON.parse(stdout.trim().split('\n').at(-1)!) as GeneratorResult;
    const phase = (name: string) => r.phases.find((p) => p.name === name)!;
    const [steady, saturate] = [phase('steady'), phase('saturate')];
    // Which host holds how many sockets: by URL (one node: all of them).
    const perHost = nodes.map(
      (n) =>
        config.pairs.filter((p) => (p.cardmember.url ?? config.wsUrl) === n.wsUrl).length +
        config.pairs.filter((p) => (p.agent.url ?? config.wsUrl) === n.wsUrl).length,
    );
    const delta = connected.reduce((sum, rss, i) => sum + (rss - before[i]!), 0);
    const mib = (b: number) => +(b / 1048576).toFixed(1);
    return {
      scenario,
      status: 'ok',
      // Throughput: what the closed loop got through. Latency: send -> the peer's frame at the steady rate.
      msgs_per_s: saturate.msgsPerS,
      p50_ms: steady.deliveryP50Ms,
      p99_ms: steady.deliveryP99Ms,
      rss_per_conn_kb: +Math.max(0, delta / 1024 / r.connections).toFixed(1),
      detail: {
        ...r,
        hosts: specs.map((s, i) => ({
          host: s.name,
          connections: perHost[i]!,
          rssBeforeMiB: mib(before[i]!),
          rssConnectedMiB: mib(connected[i]!),
        })),
      },
    };
  } catch (err) {
    return { scenario, status: 'failed', error: err instanceof Error ? err.message : String(err) };
  } finally {
    generator?.kill();
    await Promise.all(hosts.map((h) => stopChild(h)));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Why the two-node scenario cannot run here (PostgreSQL or Redis missing), or null. */
async function clusterUnavailable(): Promise<string | null> {
  const helpers = await import('../../packages/server/test/helpers.js');
  try {
    return (await helpers.storeUnavailable('postgres')) ?? (await helpers.redisUnavailable());
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** Two carechat nodes on a fresh schema and Redis prefix; cardmembers on node A, agents on node B. */
async function runTwoNodes(o: LoadOptions): Promise<ScenarioResult> {
  const scenario = 'postgres_redis_two_nodes';
  const unavailable = await clusterUnavailable();
  if (unavailable) return { scenario, status: 'skipped', error: unavailable };
  const { REDIS_URL } = await import('../../packages/server/test/helpers.js');
  const id = randomUUID().replace(/-/g, '').slice(0, 12);
  const postgres = { url: PG_URL, schema: `bench_${id}` };
  const redis = { url: REDIS_URL, prefix: `bench:${id}:` };
  try {
    return await runScenario(
      scenario,
      o,
      [
        { name: 'node-a', mode: 'carechat', postgres, redis, nodeId: 'bench-a' },
        { name: 'node-b', mode: 'carechat', postgres, redis, nodeId: 'bench-b' },
      ],
      (config, [a, b]) => {
        for (const p of config.pairs) {
          p.cardmember = { ...p.cardmember, url: a!.wsUrl, origin: a!.origin };
          p.agent = { ...p.agent, url: b!.wsUrl, origin: b!.origin };
        }
      },
    );
  } finally {
    await dropSchema(postgres.url, postgres.schema);
  }
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await c.connect();
    await c.query(`drop schema if exists "${schema}" cascade`);
  } catch (err) {
    console.warn(`could not drop schema ${schema}: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** `--quick`: 20 conversations, 2 s warm-up, 5 s per phase; otherwise 50 conversations, 5 s, 15 s. */
export const loadOptions = (quick: boolean): LoadOptions => ({
  pairs: Number(process.env.BENCH_LOAD_PAIRS ?? (quick ? 20 : 50)),
  durationS: Number(process.env.BENCH_LOAD_SECONDS ?? (quick ? 5 : 15)),
  warmupS: quick ? 2 : 5,
  ratePerSide: 10,
  window: 1,
});

const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b ? +(a / b).toFixed(2) : 0);

/** Runs every scenario; prints the table and writes bench/results/bench-results.json (`extra` added as is). */
export async function benchLoad(o: LoadOptions, extra: Record<string, unknown> = {}): Promise<ScenarioResult[]> {
  // BENCH_LOAD_ONLY=name[,name]: only those scenarios (the others are listed as skipped).
  const only = process.env.BENCH_LOAD_ONLY?.split(',');
  const skipped = (scenario: ScenarioName): ScenarioResult | null =>
    only && !only.includes(scenario) ? { scenario, status: 'skipped', error: 'BENCH_LOAD_ONLY' } : null;
  const results: ScenarioResult[] = [];
  results.push(skipped('raw_relay') ?? (await runScenario('raw_relay', o, [{ name: 'relay', mode: 'raw_relay' }])));
  results.push(
    skipped('sqlite_one_node') ?? (await runScenario('sqlite_one_node', o, [{ name: 'node', mode: 'carechat' }])),
  );
  results.push(skipped('postgres_redis_two_nodes') ?? (await runTwoNodes(o)));
  const raw = results[0]!;
  for (const r of results.slice(1)) {
    if (r.status !== 'ok' || raw.status !== 'ok') continue;
    r.ratio_to_raw = {
      msgs_per_s: ratio(r.msgs_per_s, raw.msgs_per_s),
      p50_ms: ratio(r.p50_ms, raw.p50_ms),
      p99_ms: ratio(r.p99_ms, raw.p99_ms),
      rss_per_conn_kb: ratio(r.rss_per_conn_kb, raw.rss_per_conn_kb),
    };
  }
  if (raw.status === 'ok') {
    raw.ratio_to_raw = { msgs_per_s: 1, p50_ms: 1, p99_ms: 1, rss_per_conn_kb: 1 };
  }
  console.log(
    `Load: ${o.pairs} conversations (cardmember + agent sockets); after ${o.warmupS} s of warm-up, ` +
      `latency: ${o.durationS} s at ${o.ratePerSide} msg/s per side (${o.pairs * 2 * o.ratePerSide} msg/s offered); ` +
      `throughput: ${o.durationS} s closed loop, ${o.window} in flight per side`,
  );
  console.table(
    results.map((r) => ({
      scenario: r.scenario,
      status: r.status === 'ok' ? 'ok' : `${r.status}: ${r.error}`,
      msgs_per_s: r.msgs_per_s ?? '',
      p50_ms: r.p50_ms ?? '',
      p99_ms: r.p99_ms ?? '',
      rss_per_conn_kb: r.rss_per_conn_kb ?? '',
      'x raw (msgs/p50/p99/rss)': r.ratio_to_raw
        ? `${r.ratio_to_raw.msgs_per_s} / ${r.ratio_to_raw.p50_ms} / ${r.ratio_to_raw.p99_ms} / ${r.ratio_to_raw.rss_per_conn_kb}`
        : '',
      'exactly once, in order': r.detail ? (r.detail.exactlyOnceInOrder ? 'yes' : 'NO') : '',
    })),
  );
  writeResults({
    load: o,
    scenarios: Object.fromEntries(results.map(({ scenario, ...r }) => [scenario, r])),
    ...extra,
  });
  return results;
}

/** Writes bench/results/bench-results.json: what is given, with the time and Node version. */
export function writeResults(content: Record<string, unknown>): void {
  const out = path.resolve(here, '..', 'results');
  mkdirSync(out, { recursive: true });
  const file = path.join(out, 'bench-results.json');
  writeFileSync(
    file,
    JSON.stringify({ at: new Date().toISOString(), node: process.version, ...content }, null, 2) + '\n',
  );
  console.log(`wrote ${file}`);
}

// ---- host process: serves one scenario's sockets and reports its RSS on request ----

async function host(spec: HostSpec): Promise<void> {
  const send = (m: object) => process.send!(m);
  let close: () => Promise<void>;
  let node: { wsUrl: string; origin: string };
  let config: Omit<GeneratorConfig, 'phases'> | null = null;
  if (spec.mode === 'raw_relay') {
    const { startRelay } = await import('./relay.js');
    const relay = await startRelay();
    close = relay.close;
    node = { wsUrl: relay.wsUrl, origin: 'http://127.0.0.1' };
    config = {
      ...node,
      pairs: Array.from({ length: spec.pairs }, (_, i) => ({
        conversationId: `conv_${i}`,
        cardmember: { protocols: ['carechat.v1', `carechat.auth.relay${i}`] },
        agent: { protocols: ['carechat.v1'] },
      })),
    };
  } else {
    const s = await startNode(spec);
    close = s.close;
    node = { wsUrl: s.wsUrl, origin: s.origin };
    if (spec.pairs > 0) config = { ...node, pairs: await preparePairs(s, spec.pairs) };
  }
  if (config) writeFileSync(spec.configPath, JSON.stringify(config), { mode: 0o600 });
  process.on('message', (m: { type?: string }) => {
    if (m?.type === 'rss') void rssSample().then((rss) => send({ type: 'rss', rss }));
    else if (m?.type === 'close') {
      void close().finally(() => process.exit(0));
    }
  });
  send({ type: 'prepared', ...node });
}

/**
 * A carechat node with the test helpers' settings and demo data: a fresh SQLite file, or the given
 * PostgreSQL schema (created by the first node, dropped by the parent) and Redis prefix.
 */
async function startNode(spec: HostSpec) {
  const helpers = await import('../../packages/server/test/helpers.js');
  const { createApp } = await import('../../packages/server/src/app.js');
  // The per-connection flood limit and the per-person send budget are product rules; the benchmark
  // measures the message path behind them (as bench/run.ts does).
  const env: Record<string, string> = { WS_RATE_PER_SECOND: '10000', WS_BURST: '100000', RATE_LIMIT_SENDS: '999999/1' };
  if (spec.redis) Object.assign(env, { REDIS_URL: spec.redis.url, REDIS_PREFIX: spec.redis.prefix });
  if (spec.nodeId) env.NODE_ID = spec.nodeId;
  if (!spec.postgres) return helpers.startServer({ db: 'sqlite', env });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'carechat-node-'));
  const db = {
    config: { kind: 'postgres' as const, ...spec.postgres },
    dataDir,
    drop: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
  const app = await createApp(helpers.testConfig(db, env));
  const url = (await app.listen()).replace('localhost', '127.0.0.1');
  return {
    app,
    url,
    wsUrl: url.replace(/^http/, 'ws') + '/ws',
    origin: url,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

/**
 * `pairs` chats, each assigned to one of the demo agents (signed in, one cookie each; their
 * max_concurrent raised for the benchmark). A card has one open chat at a time, so each prepared chat
 * is parked as closed while the next one for the same card is created, then reopened (status
 * 'assigned') once all exist.
 */
async function preparePairs(
  s: Awaited<ReturnType<typeof startNode>>,
  pairs: number,
): Promise<GeneratorConfig['pairs']> {
  const { AUTH_SUBPROTOCOL_PREFIX, SUBPROTOCOL } = await import('@carechat/protocol');
  const helpers = await import('../../packages/server/test/helpers.js');
  const db = s.app.store.db;
  await db.updateTable('agents').set({ max_concurrent: 100_000 }).execute();
  const agents = await Promise.all([
    helpers.staffLogin(s, 'ana@carechat.test', 'demo-ana-2024'),
    helpers.staffLogin(s, 'ben@carechat.test', 'demo-ben-2024'),
    helpers.staffLogin(s, 'sofia@carechat.test', 'demo-sofia-2024'),
  ]);
  const cards = [
    ['cm_maria', 'card_maria_gold'],
    ['cm_maria', 'card_maria_biz'],
    ['cm_jose', 'card_jose_green'],
    ['cm_sam', 'card_sam_blue'],
  ] as const;
  const out: GeneratorConfig['pairs'] = [];
  for (let i = 0; i < pairs; i++) {
    const [sub, card] = cards[i % cards.length]!;
    const session = await helpers.widgetSession(s, { sub, card, lang: 'en' });
    const id = session.conversation.id;
    await s.app.services.conversations.enqueue(id, 'general', 0, 'bench');
    const agent = agents[i % agents.length]!;
    const accepted = await agent.call('POST', `/api/conversations/${id}/accept`);
    if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.json)}`);
    await db.updateTable('conversations').set({ status: 'closed' }).where('id', '=', id).execute();
    out.push({
      conversationId: id,
      cardmember: { protocols: [SUBPROTOCOL, AUTH_SUBPROTOCOL_PREFIX + session.sessionToken] },
      agent: { protocols: [SUBPROTOCOL], headers: { cookie: agent.cookie } },
    });
  }
  const ids = out.map((p) => p.conversationId);
  for (let i = 0; i < ids.length; i += 500) {
    await db
      .updateTable('conversations')
      .set({ status: 'assigned' })
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
  }
  return out;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const [mode, spec] = process.argv.slice(2);
  if (mode === 'host') {
    host(JSON.parse(spec!) as HostSpec).catch((err: unknown) => {
      process.send?.({ type: 'error', error: err instanceof Error ? err.message : String(err) });
      process.exit(1);
    });
  } else {
    // Standalone: node --import tsx bench/load/scenarios.ts [--quick]
    const quick = process.argv.includes('--quick');
    await benchLoad(loadOptions(quick));
  }
}
