/**
 * Idle connections at scale (issue 8: "idle connection memory <= 2 x raw ws with 50,000 connections
 * held on one node"). N WebSockets, each authenticated and subscribed to a chat of its own, held open
 * and silent against one host process, first the raw relay (bench/load/relay.ts), then one carechat
 * node on SQLite; the host's RSS after a full GC, before and with every socket open, gives
 * KiB per connection for each, and their ratio.
 *
 * carechat's side is a real one per socket: N cardmembers with a card each (rows written straight
 * into the bench's own throwaway database, as a fixture), N widget sessions minted by the product's
 * SessionsStore (the row a site-token exchange writes, without 50,000 HTTP round trips), and N open
 * chats with the assistant (the conversation row the service writes, without its greeting message).
 * The heartbeat timeout is raised (WS_HEARTBEAT_MS) so the silent sockets are not closed while the
 * run lasts; everything else (session re-checks every 30 s, bus subscriptions) is as shipped.
 *
 * Clients run in their own processes (a slice each), spread over loopback source addresses
 * 127.0.0.2 ... so one address's ephemeral ports are not the limit; the server listens on 127.0.0.1.
 * Every process is started with its open-files limit raised to the hard limit; N is capped to what
 * that limit lets one process hold, and the result says so when it does.
 *
 *   node --import tsx bench/load/idle.ts [N]          (default 50,000)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { memorySample, nextMessage, sleep, stopChild } from './ipc.js';

export interface IdleHostResult {
  /** Sockets the host held when measured (its own count). */
  connections: number;
  rssBeforeMiB: number;
  rssConnectedMiB: number;
  rss_per_conn_kb: number;
  /** The same from the live JS heap + external memory (ipc.ts memorySample): the check on RSS. */
  live_per_conn_kb: number;
  /** Seconds to create the host's sessions and chats (carechat) before any socket opens. */
  prepareS: number;
  /** Seconds to open, authenticate and subscribe every socket. */
  connectS: number;
  /** Sockets that failed to open or subscribe. */
  failed: number;
}

export interface IdleResult {
  requested: number;
  /** Sockets per scenario actually attempted (requested, capped by the open-files limit). */
  connections: number;
  /** Why fewer than requested, if so. */
  capped?: string;
  clientProcesses: number;
  sourceAddresses: number;
  raw_relay: IdleHostResult | { error: string };
  sqlite_one_node: IdleHostResult | { error: string };
  /** carechat ÷ raw, KiB per idle connection (RSS). */
  ratio_to_raw: number | null;
  /** The same from live memory (heap + external). */
  live_ratio_to_raw: number | null;
}

interface IdleSocket {
  conversationId: string;
  protocols: string[];
}
interface IdleConfig {
  wsUrl: string;
  origin: string;
  sockets: IdleSocket[];
}

const file = import.meta.filename;
/** Sockets per client process, and loopback source addresses (one address: ~28k ephemeral ports). */
const PER_CLIENT = 10_000;
const SOURCE_ADDRESSES = 8;
/** File descriptors kept free for everything else a process opens. */
const FD_MARGIN = 1_000;

/** The open-files limits of this process (children inherit them). */
export function openFilesLimit(): { soft: number; hard: number } {
  const line = readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const [soft, hard] = (line?.match(/(\d+|unlimited)\s+(\d+|unlimited)/)?.slice(1) ?? []).map((v) =>
    v === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(v),
  );
  return { soft: soft ?? 1024, hard: hard ?? soft ?? 1024 };
}

/** A child of this file in `mode`, its open-files limit raised to the hard limit first (`ulimit` is a shell's). */
function child(mode: string, args: string[], hard: number, gc = false): ChildProcess {
  const node = [process.execPath, '--import', 'tsx', ...(gc ? ['--expose-gc'] : []), file, mode, ...args];
  return spawn('bash', ['-c', 'ulimit -n "$1" 2>/dev/null; shift; exec "$@"', 'bash', String(hard), ...node], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

async function measure(scenario: 'raw_relay' | 'sqlite_one_node', n: number, hard: number): Promise<IdleHostResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'carechat-idle-'));
  const configPath = path.join(dir, 'idle.json');
  const host = child('host', [scenario, String(n), configPath], hard, true);
  const clients: ChildProcess[] = [];
  try {
    const tp = performance.now();
    await nextMessage(host, 'prepared', 600_000);
    const prepareS = +((performance.now() - tp) / 1000).toFixed(1);
    host.send({ type: 'memory' });
    const before = await nextMessage<{ rss: number; live: number }>(host, 'memory');
    const t0 = performance.now();
    for (let from = 0; from < n; from += PER_CLIENT) {
      clients.push(child('client', [configPath, String(from), String(Math.min(n, from + PER_CLIENT))], hard));
    }
    const opened = await Promise.all(
      clients.map((c) => nextMessage<{ connected: number; failed: number }>(c, 'connected', 600_000)),
    );
    const connectS = +((performance.now() - t0) / 1000).toFixed(1);
    // Steady state: let the last handshakes' garbage and buffers settle before the GC'd sample.
    await sleep(1000);
    host.send({ type: 'memory' });
    const after = await nextMessage<{ rss: number; live: number; connections: number }>(host, 'memory');
    const mib = (b: number) => +(b / 1048576).toFixed(1);
    const perConn = (bytes: number) => (after.connections ? +(bytes / 1024 / after.connections).toFixed(2) : 0);
    return {
      connections: after.connections,
      rssBeforeMiB: mib(before.rss),
      rssConnectedMiB: mib(after.rss),
      rss_per_conn_kb: perConn(after.rss - before.rss),
      live_per_conn_kb: perConn(after.live - before.live),
      prepareS,
      connectS,
      failed: opened.reduce((sum, o) => sum + o.failed, 0),
    };
  } finally {
    await Promise.all(clients.map((c) => stopChild(c)));
    await stopChild(host, 60_000);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Holds `requested` idle sockets on the raw relay, then on carechat (SQLite, one node); prints a table. */
export async function benchIdle(requested: number): Promise<IdleResult> {
  const { hard } = openFilesLimit();
  const connections = Math.max(0, Math.min(requested, hard - FD_MARGIN));
  const capped =
    connections < requested
      ? `open-files hard limit ${hard} here: one process can hold at most ${hard - FD_MARGIN} sockets`
      : undefined;
  const run = (s: 'raw_relay' | 'sqlite_one_node') =>
    measure(s, connections, hard).catch((err: unknown) => ({
      error: err instanceof Error ? err.message : String(err),
    }));
  const raw = await run('raw_relay');
  const carechat = await run('sqlite_one_node');
  const ratioOf = (key: 'rss_per_conn_kb' | 'live_per_conn_kb') =>
    key in raw && key in carechat && (raw as IdleHostResult)[key] > 0
      ? +((carechat as IdleHostResult)[key] / (raw as IdleHostResult)[key]).toFixed(2)
      : null;
  const ratio = ratioOf('rss_per_conn_kb');
  const result: IdleResult = {
    requested,
    connections,
    ...(capped ? { capped } : {}),
    clientProcesses: Math.ceil(connections / PER_CLIENT),
    sourceAddresses: Math.min(SOURCE_ADDRESSES, connections),
    raw_relay: raw,
    sqlite_one_node: carechat,
    ratio_to_raw: ratio,
    live_ratio_to_raw: ratioOf('live_per_conn_kb'),
  };
  console.log(
    `Idle connections: ${connections.toLocaleString('en')} authenticated, subscribed, silent sockets per scenario` +
      (capped ? ` (asked for ${requested.toLocaleString('en')}; ${capped})` : ''),
  );
  const row = (name: string, r: IdleHostResult | { error: string }) =>
    'error' in r
      ? { scenario: name, status: `failed: ${r.error}` }
      : {
          scenario: name,
          status: r.failed ? `${r.failed} failed` : 'ok',
          connections: r.connections,
          'RSS before → connected (MiB)': `${r.rssBeforeMiB} → ${r.rssConnectedMiB}`,
          rss_per_conn_kb: r.rss_per_conn_kb,
          'x raw': name === 'raw_relay' ? 1 : (ratio ?? ''),
          live_per_conn_kb: r.live_per_conn_kb,
          'live x raw': name === 'raw_relay' ? 1 : (result.live_ratio_to_raw ?? ''),
          'prepare / connect s': `${r.prepareS} / ${r.connectS}`,
        };
  console.table([row('raw_relay', raw), row('sqlite_one_node', carechat)]);
  return result;
}

// ---- host process: the server side, reports its RSS and socket count on request ----

async function host(scenario: string, n: number, configPath: string): Promise<void> {
  let close: () => Promise<void>;
  let size: () => number;
  let config: IdleConfig;
  if (scenario === 'raw_relay') {
    const { startRelay } = await import('./relay.js');
    const relay = await startRelay();
    close = relay.close;
    size = relay.connections;
    config = {
      wsUrl: relay.wsUrl,
      origin: 'http://127.0.0.1',
      sockets: Array.from({ length: n }, (_, i) => ({
        conversationId: `conv_${i}`,
        protocols: ['carechat.v1', `carechat.auth.relay${i}`],
      })),
    };
  } else {
    const prepared = await prepareCarechat(n);
    close = prepared.close;
    size = prepared.size;
    config = prepared.config;
  }
  writeFileSync(configPath, JSON.stringify(config), { mode: 0o600 });
  process.on('message', (m: { type?: string }) => {
    if (m?.type === 'memory') {
      void memorySample().then((mem) => process.send!({ type: 'memory', ...mem, connections: size() }));
    } else if (m?.type === 'close') void close().finally(() => process.exit(0));
  });
  process.send!({ type: 'prepared' });
}

/**
 * One carechat node on SQLite with `n` cardmembers, each with a card, a widget session (SessionsStore,
 * as a site-token exchange makes it) and an open chat with the assistant (status 'bot', no messages).
 */
async function prepareCarechat(n: number) {
  const { AUTH_SUBPROTOCOL_PREFIX, SUBPROTOCOL } = await import('@carechat/protocol');
  const helpers = await import('../../packages/server/test/helpers.js');
  const { SessionsStore } = await import('../../packages/server/src/identity/sessions.store.js');
  const { systemClock } = await import('../../packages/server/src/shared/clock.js');
  const s = await helpers.startServer({
    db: 'sqlite',
    // Silent sockets for the whole run (the shipped timeout is 3 x 25 s); 300 s is the largest allowed.
    env: { WS_HEARTBEAT_MS: '300000', WIDGET_SESSION_TTL_SECONDS: '86400' },
  });
  const db = s.app.store.db;
  const now = new Date().toISOString();
  for (let i = 0; i < n; i += 500) {
    const ids = Array.from({ length: Math.min(500, n - i) }, (_, k) => i + k);
    await db.transaction().execute(async (tx) => {
      await tx
        .insertInto('cardmembers')
        .values(
          ids.map((k) => ({
            id: `idle_cm_${k}`,
            username: `idle_${k}`,
            password_hash: '!', // no password: these cardmembers cannot sign in to the demo site
            first_name: 'Idle',
            last_name: `Cardmember ${k}`,
            preferred_language: 'en' as const,
            created_at: now,
          })),
        )
        .execute();
      await tx
        .insertInto('cards')
        .values(
          ids.map((k) => ({
            id: `idle_card_${k}`,
            cardmember_id: `idle_cm_${k}`,
            product_name: 'Bench Card',
            last4: String(k % 10_000).padStart(4, '0'),
            status: 'active',
            created_at: now,
          })),
        )
        .execute();
      // The row ConversationService.openForCard writes for a new chat (without its event and greeting:
      // 3 ms a chat, most of a 50,000-socket run's setup).
      await tx
        .insertInto('conversations')
        .values(
          ids.map((k) => ({
            id: `idle_chat_${k}`,
            cardmember_id: `idle_cm_${k}`,
            card_id: `idle_card_${k}`,
            language: 'en' as const,
            status: 'bot' as const,
            team_id: null,
            priority: 0,
            queued_at: null,
            assigned_agent_id: null,
            assigned_at: null,
            closed_at: null,
            closed_by: null,
            last_seq: 0,
            created_at: now,
            updated_at: now,
            accommodation: null,
          })),
        )
        .execute();
    });
  }
  const sessions = new SessionsStore(db, systemClock);
  const sockets: IdleSocket[] = [];
  for (let k = 0; k < n; k++) {
    const { token } = await sessions.create({
      kind: 'widget',
      subjectId: `idle_cm_${k}`,
      cardId: `idle_card_${k}`,
      ttlSeconds: 86_400,
    });
    sockets.push({ conversationId: `idle_chat_${k}`, protocols: [SUBPROTOCOL, AUTH_SUBPROTOCOL_PREFIX + token] });
  }
  return {
    close: () => s.close(),
    size: () => s.app.gateway.size,
    config: { wsUrl: s.wsUrl, origin: s.origin, sockets },
  };
}

// ---- client process: opens sockets [from, to) of the config, then holds them silently ----

async function client(configPath: string, from: number, to: number): Promise<void> {
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as IdleConfig;
  const open: WebSocket[] = [];
  let failed = 0;
  const connect = (i: number, sock: IdleSocket) =>
    new Promise<void>((resolve) => {
      const ws = new WebSocket(config.wsUrl, sock.protocols, {
        origin: config.origin,
        perMessageDeflate: false,
        localAddress: `127.0.0.${2 + (i % SOURCE_ADDRESSES)}`,
      });
      const timer = setTimeout(() => fail(), 60_000);
      let settled = false;
      const fail = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        failed++;
        ws.on('error', () => undefined); // terminate() while connecting reports one more error
        ws.terminate();
        resolve();
      };
      ws.once('error', fail);
      ws.once('unexpected-response', fail);
      ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', protocol: 1 })));
      const onMessage = (data: WebSocket.RawData) => {
        const f = JSON.parse(String(data)) as { type: string; conversationId?: string };
        if (f.type === 'welcome') {
          ws.send(JSON.stringify({ type: 'subscribe', conversationId: sock.conversationId, lastSeq: 0 }));
        } else if (f.type === 'subscribed' && f.conversationId === sock.conversationId) {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          ws.off('message', onMessage);
          ws.off('error', fail);
          ws.on('error', () => undefined);
          open.push(ws);
          resolve();
        } else if (f.type === 'error') fail();
      };
      ws.on('message', onMessage);
    });
  // A bounded number of handshakes in flight, so the upgrade burst stays a burst and not a flood.
  let next = from;
  const worker = async () => {
    while (next < to) {
      const i = next++;
      await connect(i, config.sockets[i]!);
    }
  };
  await Promise.all(Array.from({ length: 64 }, worker));
  process.on('message', (m: { type?: string }) => {
    if (m?.type !== 'close') return;
    for (const ws of open) ws.terminate();
    process.exit(0);
  });
  process.send!({ type: 'connected', connected: open.length, failed });
}

if (process.argv[1] && file === process.argv[1]) {
  const [mode, a, b, c] = process.argv.slice(2);
  const fail = (err: unknown) => {
    process.send?.({ type: 'error', error: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  };
  if (mode === 'host') host(a!, Number(b), c!).catch(fail);
  else if (mode === 'client') client(a!, Number(b), Number(c)).catch(fail);
  else {
    const n = Number(mode ?? 50_000);
    if (!Number.isInteger(n) || n < 1) {
      console.error('usage: node --import tsx bench/load/idle.ts [connections]');
      process.exit(2);
    }
    console.log(JSON.stringify(await benchIdle(n), null, 2));
  }
}
