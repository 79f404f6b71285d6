/**
 * Issue 8's load benchmark: the same load (bench/load/generator.ts, its own process) against
 *   - raw relay: a bare `ws` relay (bench/load/relay.ts), the machine's limit;
 *   - carechat, SQLite, one node: a full server (startServer from packages/server/test/helpers.ts);
 *   - carechat, PostgreSQL + Redis, two nodes: not built yet (the bus is in-process; issue 8).
 * Each server runs in a host process of its own (this file with `host <scenario>`), so the RSS delta
 * per connection is that of the process serving the sockets and nothing else.
 * `benchLoad()` prints a table and writes bench/results/bench-results.json. Talks only to 127.0.0.1.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { GeneratorConfig, GeneratorResult, PhaseResult } from './generator.js';

export type ScenarioName = 'raw_relay' | 'sqlite_one_node' | 'postgres_redis_two_nodes';

export interface LoadOptions {
  /** Conversation pairs (each: one cardmember socket + one agent socket). */
  pairs: number;
  /** Seconds of each phase: steady (latency) and then closed loop (throughput). */
  durationS: number;
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

export interface ScenarioResult extends Partial<Metrics> {
  scenario: ScenarioName;
  status: 'ok' | 'failed' | 'not yet (issue 8: Redis bus)';
  ratio_to_raw?: Metrics;
  detail?: GeneratorResult & { rssBeforeMiB: number; rssConnectedMiB: number };
  error?: string;
}

const here = import.meta.dirname;

/** One message from a child over IPC, or an error if it exits first. */
function nextMessage<T>(child: ChildProcess, type: string, timeoutMs = 120_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`timed out waiting for ${type}`)), timeoutMs);
    const onMessage = (m: { type?: string; error?: string }) => {
      if (m?.type === 'error') done(new Error(m.error));
      else if (m?.type === type) done(null, m as T);
    };
    const onExit = (code: number | null) => done(new Error(`process exited (${code}) before ${type}`));
    const done = (err: Error | null, m?: T) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(m!);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

async function runScenario(scenario: 'raw_relay' | 'sqlite_one_node', o: LoadOptions): Promise<ScenarioResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'carechat-load-'));
  const configPath = path.join(dir, 'generator.json');
  const host = fork(path.join(here, 'scenarios.ts'), ['host', scenario, String(o.pairs), configPath], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let generator: ChildProcess | null = null;
  try {
    await nextMessage(host, 'prepared', 300_000);
    // The host wrote the sockets' credentials; the generator gets the load parameters on top.
    const { readFileSync } = await import('node:fs');
    const config = JSON.parse(readFileSync(configPath, 'utf8')) as GeneratorConfig;
    writeFileSync(
      configPath,
      JSON.stringify({
        ...config,
        phases: [
          { name: 'steady', durationS: o.durationS, ratePerSide: o.ratePerSide },
          { name: 'saturate', durationS: o.durationS, ratePerSide: 0, window: o.window },
        ],
      } satisfies GeneratorConfig),
      { mode: 0o600 },
    );
    host.send({ type: 'rss' });
    const before = await nextMessage<{ rss: number }>(host, 'rss');
    let stdout = '';
    const g = fork(path.join(here, 'generator.ts'), [configPath], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    generator = g;
    g.stdout!.on('data', (c: Buffer) => (stdout += c));
    const exited = new Promise<number | null>((resolve) => g.once('exit', (code) => resolve(code)));
    await nextMessage(g, 'connected', 120_000);
    // Let the sockets settle, then the idle memory of the host with every connection open.
    await new Promise((r) => setTimeout(r, 500));
    host.send({ type: 'rss' });
    const connected = await nextMessage<{ rss: number }>(host, 'rss');
    g.send({ type: 'start' });
    const code = await exited;
    if (code !== 0) throw new Error(`generator exited with ${code}`);
    const r = JSON.parse(stdout.trim().split('\n').at(-1)!) as GeneratorResult;
    const [steady, saturate] = r.phases as [PhaseResult, PhaseResult];
    return {
      scenario,
      status: 'ok',
      // Throughput: what the closed loop got through. Latency: send -> the peer's frame at the steady rate.
      msgs_per_s: saturate.msgsPerS,
      p50_ms: steady.deliveryP50Ms,
      p99_ms: steady.deliveryP99Ms,
      rss_per_conn_kb: +Math.max(0, (connected.rss - before.rss) / 1024 / r.connections).toFixed(1),
      detail: {
        ...r,
        rssBeforeMiB: +(before.rss / 1048576).toFixed(1),
        rssConnectedMiB: +(connected.rss / 1048576).toFixed(1),
      },
    };
  } catch (err) {
    return { scenario, status: 'failed', error: err instanceof Error ? err.message : String(err) };
  } finally {
    generator?.kill();
    if (host.connected) host.send({ type: 'close' });
    await new Promise<void>((resolve) => {
      if (host.exitCode !== null) return resolve();
      const t = setTimeout(() => (host.kill(), resolve()), 30_000);
      host.once('exit', () => (clearTimeout(t), resolve()));
    });
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `--quick`: 20 conversations, 5 s per phase; otherwise 50 conversations, 15 s per phase. */
export const loadOptions = (quick: boolean): LoadOptions => ({
  pairs: Number(process.env.BENCH_LOAD_PAIRS ?? (quick ? 20 : 50)),
  durationS: Number(process.env.BENCH_LOAD_SECONDS ?? (quick ? 5 : 15)),
  ratePerSide: 10,
  window: 1,
});

const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b ? +(a / b).toFixed(2) : 0);

/** Runs every scenario; prints the table and writes bench/results/bench-results.json. */
export async function benchLoad(o: LoadOptions): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  results.push(await runScenario('raw_relay', o));
  results.push(await runScenario('sqlite_one_node', o));
  results.push({ scenario: 'postgres_redis_two_nodes', status: 'not yet (issue 8: Redis bus)' });
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
    `Load: ${o.pairs} conversations (cardmember + agent sockets); latency: ${o.durationS} s at ${o.ratePerSide} msg/s ` +
      `per side; throughput: ${o.durationS} s closed loop, ${o.window} in flight per side`,
  );
  console.table(
    results.map((r) => ({
      scenario: r.scenario,
      status: r.status === 'failed' ? `failed: ${r.error}` : r.status,
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
  const out = path.resolve(here, '..', 'results');
  mkdirSync(out, { recursive: true });
  const file = path.join(out, 'bench-results.json');
  const byScenario = Object.fromEntries(results.map(({ scenario, ...r }) => [scenario, r]));
  writeFileSync(
    file,
    JSON.stringify({ at: new Date().toISOString(), node: process.version, load: o, scenarios: byScenario }, null, 2) +
      '\n',
  );
  console.log(`wrote ${file}`);
  return results;
}

// ---- host process: serves one scenario's sockets and reports its RSS on request ----

/** RSS after a full GC: the median of five samples 100 ms apart (one sample is noisy at this scale). */
async function rssSample(): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    await new Promise((r) => setTimeout(r, 100));
    samples.push(process.memoryUsage().rss);
  }
  return samples.sort((a, b) => a - b)[2]!;
}

async function host(scenario: string, pairs: number, configPath: string): Promise<void> {
  const send = (m: object) => process.send!(m);
  let close: () => Promise<void>;
  let config: Omit<GeneratorConfig, 'phases'>;
  if (scenario === 'raw_relay') {
    const { startRelay } = await import('./relay.js');
    const relay = await startRelay();
    close = relay.close;
    config = {
      wsUrl: relay.wsUrl,
      origin: 'http://127.0.0.1',
      pairs: Array.from({ length: pairs }, (_, i) => ({
        conversationId: `conv_${i}`,
        cardmember: { protocols: ['carechat.v1', `carechat.auth.relay${i}`] },
        agent: { protocols: ['carechat.v1'] },
      })),
    };
  } else {
    const prepared = await prepareCarechat(pairs);
    close = prepared.close;
    config = prepared.config;
  }
  writeFileSync(configPath, JSON.stringify(config), { mode: 0o600 });
  process.on('message', (m: { type?: string }) => {
    if (m?.type === 'rss') void rssSample().then((rss) => send({ type: 'rss', rss }));
    else if (m?.type === 'close') {
      void close().finally(() => process.exit(0));
    }
  });
  send({ type: 'prepared' });
}

/**
 * A carechat on SQLite with `pairs` chats, each assigned to one of the demo agents (signed in, one
 * cookie each; their max_concurrent raised for the benchmark). A card has one open chat at a time,
 * so each prepared chat is parked as closed while the next one for the same card is created, then
 * reopened (status 'assigned') once all exist.
 */
async function prepareCarechat(pairs: number) {
  const { AUTH_SUBPROTOCOL_PREFIX, SUBPROTOCOL } = await import('@carechat/protocol');
  const helpers = await import('../../packages/server/test/helpers.js');
  const s = await helpers.startServer({
    db: 'sqlite',
    // The per-connection flood limit and the per-person send budget are product rules; the benchmark
    // measures the message path behind them (as bench/run.ts does).
    env: { WS_RATE_PER_SECOND: '10000', WS_BURST: '100000', RATE_LIMIT_SENDS: '999999/1' },
  });
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
  return { close: () => s.close(), config: { wsUrl: s.wsUrl, origin: s.origin, pairs: out } };
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const [mode, scenario, pairs, configPath] = process.argv.slice(2);
  if (mode === 'host') {
    host(scenario!, Number(pairs), configPath!).catch((err: unknown) => {
      process.send?.({ type: 'error', error: err instanceof Error ? err.message : String(err) });
      process.exit(1);
    });
  } else {
    // Standalone: node --import tsx bench/load/scenarios.ts [--quick]
    const quick = process.argv.includes('--quick');
    await benchLoad(loadOptions(quick));
  }
}
