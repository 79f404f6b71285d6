/**
 * A real cluster for the failover test: carechat nodes as child processes (`src/main.ts`, exactly what
 * an operator runs) on one PostgreSQL schema and one Redis prefix, a round-robin "load balancer" that
 * knows which nodes are up, and protocol clients that behave like the widget and the console: on a
 * lost socket they reconnect through the balancer, resume by `lastSeq` and re-send what was not acked
 * with the same `clientMsgId`. Every frame a client receives is recorded, so the test can check
 * exactly-once, in-order delivery against the store.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import WebSocket from 'ws';
import { AUTH_SUBPROTOCOL_PREFIX, PROTOCOL_VERSION, SUBPROTOCOL, type ServerFrame } from '@carechat/protocol';
import type { Database } from '../../src/store/schema.js';
import { totpCode, totpStep } from '../../src/identity/totp.js';
import { PG_URL, postJson, redisEnv, sleep, TEST_SECRET, testRunId } from '../helpers.js';

export { PG_URL };

/**
 * What every node of a test cluster shares: a fresh PostgreSQL schema of this run (dropped by the global
 * teardown), one Redis prefix, the same secrets and relaxed rate limits. `env` adds or overrides.
 */
export function clusterEnv(
  dataDir: string,
  env: Record<string, string> = {},
): { schema: string; env: Record<string, string> } {
  const schema = `t_${testRunId()}${randomUUID().replace(/-/g, '').slice(0, 8)}`;
  return {
    schema,
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      DATABASE_URL: PG_URL,
      DATABASE_SCHEMA: schema,
      ...redisEnv(`t:${schema}:`),
      IDENTITY_SECRETS: TEST_SECRET,
      SITE_SESSION_SECRET: 'cluster-site-session-secret-0123456789abcdef',
      ACCOUNTS_ENCRYPTION_KEY: 'cluster-accounts-key-0123456789abcdefghijkl',
      DEMO: 'true',
      RATE_LIMIT_WIDGET_SESSION: '100000/60',
      RATE_LIMIT_STAFF_LOGIN: '100000/60',
      RATE_LIMIT_SITE_LOGIN: '100000/60',
      RATE_LIMIT_SENDS: '100000/60',
      ...env,
    },
  };
}

const serverDir = path.resolve(import.meta.dirname, '../..');

export interface NodeSpec {
  name: string;
  env: Record<string, string>;
}

/** One carechat process. */
export class NodeProcess {
  child: ChildProcess | null = null;
  url: string | null = null;
  up = false;
  /** The last lines it printed (shown when a test fails). */
  readonly output: string[] = [];
  private exited: Promise<number | null> = Promise.resolve(null);

  constructor(readonly spec: NodeSpec) {}

  /** Starts the process and resolves with its URL once it serves /healthz. */
  async start(timeoutMs = 60_000): Promise<string> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: serverDir,
      env: { ...process.env, ...this.spec.env, PORT: '0', HOST: '127.0.0.1', NODE_ID: this.spec.name },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    const record = (chunk: Buffer) => {
      for (const line of String(chunk).split('\n')) if (line.trim()) this.output.push(line);
      if (this.output.length > 200) this.output.splice(0, this.output.length - 200);
    };
    child.stderr!.on('data', record);
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.spec.name} did not start in time`)), timeoutMs);
      child.stdout!.on('data', (chunk: Buffer) => {
        record(chunk);
        const m = /carechat is running on (http:\/\/\S+)/.exec(String(chunk));
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!.replace('localhost', '127.0.0.1'));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${this.spec.name} exited with ${code} while starting:\n${this.output.join('\n')}`));
      });
    });
    const res = await fetch(`${url}/healthz`);
    if (!res.ok) throw new Error(`${this.spec.name}: /healthz answered ${res.status}`);
    this.url = url;
    this.up = true;
    return url;
  }

  /** SIGKILL: no drain, no cleanup, sockets cut. */
  async kill(): Promise<void> {
    this.up = false;
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM and wait for the exit; returns the exit code. */
  async stop(): Promise<number | null> {
    this.up = false;
    this.child?.kill('SIGTERM');
    return this.exited;
  }
}

/** Round robin over the nodes that are up, like a load balancer with health checks. */
export class Balancer {
  private next = 0;
  constructor(readonly nodes: NodeProcess[]) {}

  pick(): NodeProcess | null {
    const up = this.nodes.filter((n) => n.up && n.url);
    if (!up.length) return null;
    return up[this.next++ % up.length]!;
  }
}

export interface ClientAuth {
  /** Cardmember: the widget session token. Staff: the session cookie. */
  sessionToken?: string;
  cookie?: string;
}

/**
 * One side of one conversation, speaking docs/protocol.md like the widget and console do.
 * `received` lists every `message` frame's seq in arrival order, duplicates included (there must be none).
 */
export class ResilientClient {
  readonly received: number[] = [];
  /** clientMsgId -> body, sent and not yet acked (re-sent after every reconnect). */
  readonly pending = new Map<string, string>();
  /** clientMsgId -> seq the server stored it at. */
  readonly acked = new Map<string, number>();
  readonly errors: string[] = [];
  /** Nodes this client was connected to, in order. */
  readonly nodes: string[] = [];
  lastSeq: number;
  connects = 0;
  private ws: WebSocket | null = null;
  private ready = false;
  private stopped = false;
  private counter = 0;

  constructor(
    readonly name: string,
    private readonly o: { balancer: Balancer; auth: ClientAuth; conversationId: string; lastSeq: number },
  ) {
    this.lastSeq = o.lastSeq;
  }

  get node(): string | null {
    return this.nodes.at(-1) ?? null;
  }

  get connected(): boolean {
    return this.ready;
  }

  start(): void {
    this.connect();
  }

  /** Sends a message now if connected, else after the next resume. */
  send(text?: string): string {
    const id = `${this.name}-${String(++this.counter).padStart(5, '0')}`;
    const body = text ?? `${this.name} message ${this.counter}`;
    this.pending.set(id, body);
    if (this.ready) this.frame({ type: 'send', conversationId: this.o.conversationId, clientMsgId: id, body });
    return id;
  }

  get sentCount(): number {
    return this.counter;
  }

  close(): void {
    this.stopped = true;
    this.ws?.terminate();
  }

  private frame(f: unknown): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(f));
  }

  private connect(): void {
    if (this.stopped) return;
    const node = this.o.balancer.pick();
    if (!node?.url) {
      setTimeout(() => this.connect(), 100);
      return;
    }
    const { sessionToken, cookie } = this.o.auth;
    const ws = new WebSocket(
      node.url.replace(/^http/, 'ws') + '/ws',
      [SUBPROTOCOL, ...(sessionToken ? [AUTH_SUBPROTOCOL_PREFIX + sessionToken] : [])],
      { origin: node.url, headers: cookie ? { cookie } : {} },
    );
    this.ws = ws;
    this.ready = false;
    ws.on('open', () => {
      this.connects++;
      this.nodes.push(node.spec.name);
      this.frame({ type: 'hello', protocol: PROTOCOL_VERSION });
    });
    ws.on('message', (data) => this.onFrame(JSON.parse(String(data)) as ServerFrame));
    ws.on('error', () => undefined);
    ws.on('close', () => {
      if (this.ws !== ws) return;
      this.ready = false;
      // Like the widget: a short pause, then through the balancer again (maybe another node).
      if (!this.stopped) setTimeout(() => this.connect(), 50 + Math.random() * 150);
    });
  }

  private onFrame(f: ServerFrame): void {
    switch (f.type) {
      case 'welcome':
        this.frame({ type: 'subscribe', conversationId: this.o.conversationId, lastSeq: this.lastSeq });
        return;
      case 'subscribed':
        this.ready = true;
        // Whatever was not acked goes again with the same id: the server stores it once.
        for (const [clientMsgId, body] of this.pending) {
          this.frame({ type: 'send', conversationId: this.o.conversationId, clientMsgId, body });
        }
        return;
      case 'message':
        if (f.message.conversationId !== this.o.conversationId) return;
        this.received.push(f.message.seq);
        if (f.message.seq > this.lastSeq) this.lastSeq = f.message.seq;
        return;
      case 'ack':
        this.pending.delete(f.clientMsgId);
        this.acked.set(f.clientMsgId, f.seq);
        return;
      case 'error':
        this.errors.push(f.code);
        return;
      default:
        return;
    }
  }
}

/** A temp data dir per cluster (uploads, nothing else is written there with explicit secrets). */
export function clusterDataDir(): { dir: string; drop(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), `carechat-cluster-${randomUUID().slice(0, 8)}-`));
  return { dir, drop: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Waits until `fn` is truthy, polling; throws with `what` after the timeout. */
export async function until(what: string, fn: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(50);
  }
}

/**
 * The cluster's store for the test's own reads, without running migrations (the nodes did): the test
 * process must not race the nodes' migrator.
 */
export function readStore(url: string, schema: string): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 2, options: `-c search_path=${schema}` });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * A TCP load balancer on 127.0.0.1 in front of the nodes (round robin over the nodes that are up), so a
 * browser sees one origin whichever node serves it. Each client connection is piped to one node; when
 * that node dies, the connection is cut, as a real balancer would. Records which node took each
 * WebSocket upgrade (`GET /ws`).
 */
export class TcpBalancer {
  private server: net.Server | null = null;
  private readonly rr: Balancer;
  /** Node names that took a WebSocket upgrade, in order. */
  readonly upgrades: string[] = [];
  private readonly open = new Set<net.Socket>();
  port = 0;

  constructor(nodes: NodeProcess[]) {
    this.rr = new Balancer(nodes);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = net.createServer((client) => {
      const node = this.rr.pick();
      if (!node?.url) return client.destroy();
      const { port } = new URL(node.url);
      const upstream = net.connect(Number(port), '127.0.0.1');
      this.open.add(client).add(upstream);
      client.once('data', (first: Buffer) => {
        if (first.subarray(0, 8).toString('latin1') === 'GET /ws ') this.upgrades.push(node.spec.name);
        upstream.write(first);
        client.pipe(upstream);
      });
      upstream.pipe(client);
      const cut = () => {
        client.destroy();
        upstream.destroy();
        this.open.delete(client);
        this.open.delete(upstream);
      };
      client.on('error', cut);
      upstream.on('error', cut);
      client.on('close', cut);
      upstream.on('close', cut);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server!.address() as net.AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const socket of this.open) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/**
 * Signs a demo staff member in on `node` (password, then the TOTP code of the current step: call it once
 * per account and step). `call` then talks to any node with the session (sessions live in the store).
 */
export async function staffSignIn(
  node: NodeProcess,
  agent: { id: string; email: string; password: string; totpSecret: string },
) {
  const first = await postJson(`${node.url}/api/auth/login`, { email: agent.email, password: agent.password });
  if (first.status !== 200) throw new Error(`sign-in of ${agent.email} failed: ${first.status}`);
  const code = totpCode(agent.totpSecret, new Date(), totpStep(new Date()));
  const r = await postJson(`${node.url}/api/auth/login/totp`, { challenge: first.json.challenge, code });
  if (r.status !== 200) throw new Error(`second step of ${agent.email} failed: ${r.status}`);
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0]!;
  const csrf = r.json.csrfToken as string;
  const call = async (n: NodeProcess, method: string, p: string, body?: unknown) => {
    const res = await fetch(`${n.url}${p}`, {
      method,
      headers: {
        cookie,
        'x-csrf-token': csrf,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, json: (await res.json().catch(() => null)) as any };
  };
  return { id: agent.id, cookie, call };
}
