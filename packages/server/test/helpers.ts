/**
 * Test builders: a real server on 127.0.0.1 with a real SQLite file or a real PostgreSQL schema.
 * CARECHAT_TEST_DB=postgres selects PostgreSQL; without a reachable server those tests skip with a
 * message, except under CI=true, where they fail.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import pg from 'pg';
import WebSocket from 'ws';
import { AUTH_SUBPROTOCOL_PREFIX, SUBPROTOCOL, type ServerFrame } from '@carechat/protocol';
import { createApp, type App, type AppOverrides } from '../src/app.js';
import { loadConfig, type Config, type DatabaseConfig } from '../src/config.js';
import { TOTP_WINDOW, totpCode, totpStep } from '../src/identity/totp.js';
import { DEMO_AGENTS } from '../src/seed/demo.js';

export const TEST_SECRET = 'test-identity-secret-0123456789-abcdefghijklmnop';
export const dbKind: 'sqlite' | 'postgres' = process.env.CARECHAT_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
export const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let pgReachable: Promise<boolean> | undefined;
async function pgAvailable(): Promise<boolean> {
  pgReachable ??= (async () => {
    const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
    try {
      await c.connect();
      await c.query('select 1');
      return true;
    } catch {
      return false;
    } finally {
      await c.end().catch(() => undefined);
    }
  })();
  return pgReachable;
}

/** Why the current database is unavailable (skip reason), or null when tests can run. */
export async function storeUnavailable(kind: 'sqlite' | 'postgres' = dbKind): Promise<string | null> {
  if (kind === 'sqlite') return null;
  if (await pgAvailable()) return null;
  const msg = `PostgreSQL is not reachable at ${PG_URL}; skipping PostgreSQL tests (set TEST_DATABASE_URL).`;
  if (process.env.CI === 'true') throw new Error(`${msg} Under CI=true PostgreSQL is required.`);
  console.warn(msg);
  return msg;
}

/**
 * Multi-node mode for the suite: with CARECHAT_TEST_BUS=redis (the PostgreSQL pass of `npm test`),
 * every test server runs with a Redis bus, as a node of a cluster would.
 */
export const busKind: 'memory' | 'redis' = process.env.CARECHAT_TEST_BUS === 'redis' ? 'redis' : 'memory';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let redisReachable: Promise<boolean> | undefined;
async function redisAvailable(): Promise<boolean> {
  redisReachable ??= (async () => {
    const { Redis } = await import('ioredis');
    const c = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0 });
    c.on('error', () => undefined);
    try {
      await c.connect();
      return (await c.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      c.disconnect();
    }
  })();
  return redisReachable;
}

/** Why Redis is unavailable (skip reason), or null. Under CI=true a missing Redis fails instead. */
export async function redisUnavailable(): Promise<string | null> {
  if (await redisAvailable()) return null;
  const msg = `Redis is not reachable at ${REDIS_URL}; skipping multi-node tests (set TEST_REDIS_URL).`;
  if (process.env.CI === 'true') throw new Error(`${msg} Under CI=true Redis is required.`);
  console.warn(msg);
  return msg;
}

/** Settings of a node on the shared test Redis: its own channel prefix keeps tests apart. */
export function redisEnv(prefix = `t:${testRunId()}:${randomUUID().slice(0, 8)}:`): Record<string, string> {
  return { REDIS_URL, REDIS_PREFIX: prefix };
}

export interface TestDatabase {
  config: DatabaseConfig;
  dataDir: string;
  drop(): Promise<void>;
}

/**
 * The id of this test run (8 hex), shared by every worker: set by the global setup, or here for a
 * process that runs without it (the benchmarks). Its PostgreSQL schemas carry it.
 */
export function testRunId(): string {
  process.env.CARECHAT_TEST_RUN ??= randomUUID().replace(/-/g, '').slice(0, 8);
  return process.env.CARECHAT_TEST_RUN;
}

/** A fresh, empty database: a temp SQLite file, or a new PostgreSQL schema. */
export async function freshDatabase(kind: 'sqlite' | 'postgres' = dbKind): Promise<TestDatabase> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'carechat-test-'));
  if (kind === 'sqlite') {
    return {
      config: { kind: 'sqlite', file: path.join(dataDir, 'test.sqlite') },
      dataDir,
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  // `t_` + this run's id + 8 random hex: the run's teardown drops its own schemas and nobody else's.
  const schema = `t_${testRunId()}${randomUUID().replace(/-/g, '').slice(0, 8)}`;
  return {
    config: { kind: 'postgres', url: PG_URL, schema },
    dataDir,
    // Schemas are dropped once, after every worker is done (test/global-setup.ts): a DROP SCHEMA while
    // another worker's migrator introspects the catalog fails that migrator ("schema ... does not exist").
    drop: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

export interface TestServer {
  app: App;
  url: string;
  wsUrl: string;
  origin: string;
  close(): Promise<void>;
}

/** The settings every test app runs with, on `db`; `env` adds or overrides variables. */
export function testConfig(db: TestDatabase, env: Record<string, string> = {}): Config {
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: db.dataDir,
    LOG_LEVEL: 'silent',
    IDENTITY_SECRETS: TEST_SECRET,
    SITE_SESSION_SECRET: 'test-site-session-secret-0123456789abcdef',
    DEMO: 'true',
    // Every test client shares 127.0.0.1 and some tests send hundreds of messages as one person;
    // rate-limit tests set their own, small budgets.
    RATE_LIMIT_WIDGET_SESSION: '100000/60',
    RATE_LIMIT_STAFF_LOGIN: '100000/60',
    RATE_LIMIT_SITE_LOGIN: '100000/60',
    RATE_LIMIT_SENDS: '100000/60',
    // Tests make agents available over HTTP without a console socket; the away rule (agents/presence.ts)
    // would set them away after two minutes of a long file. Presence tests set their own, small value.
    PRESENCE_AWAY_AFTER_SECONDS: '86400',
    ...env,
  });
  config.database = db.config;
  return config;
}

/** Starts a full carechat on 127.0.0.1 with demo data. */
export async function startServer(
  overrides: AppOverrides & { env?: Record<string, string>; db?: 'sqlite' | 'postgres' } = {},
): Promise<TestServer> {
  const db = await freshDatabase(overrides.db);
  const multiNode = busKind === 'redis' && !overrides.bus;
  if (multiNode && (await redisUnavailable())) throw new Error('CARECHAT_TEST_BUS=redis needs Redis');
  const config = testConfig(db, { ...(multiNode ? redisEnv() : {}), ...overrides.env });
  const app = await createApp(config, overrides);
  const url = (await app.listen()).replace('localhost', '127.0.0.1');
  return {
    app,
    url,
    wsUrl: url.replace(/^http/, 'ws') + '/ws',
    origin: url,
    async close() {
      await app.close();
      await db.drop();
    },
  };
}

/**
 * Several carechat nodes in this process on one store and one Redis, each with its own HTTP port,
 * bus connections, timers and sockets: a cluster behind a load balancer, minus the balancer.
 */
export async function startCluster(
  nodes: number,
  o: { env?: Record<string, string>; db?: 'sqlite' | 'postgres' } = {},
): Promise<{ nodes: TestServer[]; close(): Promise<void> }> {
  const db = await freshDatabase(o.db ?? 'postgres');
  const bus = redisEnv();
  const started: TestServer[] = [];
  try {
    // One after the other: the first migrates and seeds, the rest find it done.
    for (let i = 0; i < nodes; i++) {
      const config = testConfig(db, { ...bus, NODE_ID: `node-${i}`, ...o.env });
      const app = await createApp(config);
      const url = (await app.listen()).replace('localhost', '127.0.0.1');
      started.push({ app, url, wsUrl: url.replace(/^http/, 'ws') + '/ws', origin: url, close: () => app.close() });
    }
  } catch (err) {
    await Promise.allSettled(started.map((n) => n.close()));
    throw err;
  }
  return {
    nodes: started,
    async close() {
      await Promise.allSettled(started.map((n) => n.close()));
      await db.drop();
    },
  };
}

/** Signs a host-site chat token the way the issuer's site would. */
export async function siteToken(
  claims: { sub?: string; card?: string; lang?: string; jti?: string } = {},
  o: { secret?: string; expiresIn?: string | number; issuer?: string; audience?: string; iat?: number } = {},
): Promise<string> {
  const jwt = new SignJWT({ card: claims.card ?? 'card_maria_gold', ...(claims.lang ? { lang: claims.lang } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub ?? 'cm_maria')
    .setIssuer(o.issuer ?? 'carechat-demo-site')
    .setAudience(o.audience ?? 'carechat')
    .setJti(claims.jti ?? randomUUID())
    .setIssuedAt(o.iat)
    .setExpirationTime(o.expiresIn ?? '5m');
  return jwt.sign(new TextEncoder().encode(o.secret ?? TEST_SECRET));
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json, headers: res.headers };
}

/** A cardmember's widget session for one of the demo cards. */
export async function widgetSession(s: TestServer, claims: { sub?: string; card?: string; lang?: string } = {}) {
  const r = await postJson(`${s.url}/api/widget/session`, { token: await siteToken(claims) });
  if (r.status !== 201) throw new Error(`session failed: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json as import('@carechat/protocol').WidgetSessionResponse;
}

/**
 * A current authenticator code for an agent, from a time step the server has not accepted yet
 * (replay protection refuses a step twice). More sign-ins of one agent within ~30 s than the
 * window allows make it forget the agent's last step; totp.int.test.ts tests replay itself.
 */
export async function freshTotpCode(s: TestServer, email: string, secret?: string): Promise<string> {
  const key = secret ?? DEMO_AGENTS.find((a) => a.email === email.trim().toLowerCase())?.totpSecret;
  if (!key) throw new Error(`no TOTP secret known for ${email}`);
  const db = s.app.store.db;
  const row = await db
    .selectFrom('agents')
    .select(['id', 'totp_last_step'])
    .where('email', '=', email.trim().toLowerCase())
    .executeTakeFirstOrThrow();
  const current = totpStep(new Date());
  let step = Math.max(current, (row.totp_last_step ?? -1) + 1);
  if (step > current + TOTP_WINDOW) {
    await db.updateTable('agents').set({ totp_last_step: null }).where('id', '=', row.id).execute();
    step = current;
  }
  return totpCode(key, new Date(), step);
}

/** Signs a demo agent in (password, then TOTP code); returns the cookie header and CSRF token for further calls. */
export async function staffLogin(s: TestServer, email = 'ana@carechat.test', password = 'demo-ana-2024') {
  const first = await postJson(`${s.url}/api/auth/login`, { email, password });
  if (first.status !== 200 || !first.json.mfaRequired) {
    throw new Error(`login failed: ${first.status} ${JSON.stringify(first.json)}`);
  }
  const code = await freshTotpCode(s, email, first.json.enrollment?.secret);
  const r = await postJson(`${s.url}/api/auth/login/totp`, { challenge: first.json.challenge, code });
  if (r.status !== 200) throw new Error(`login code failed: ${r.status} ${JSON.stringify(r.json)}`);
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0]!;
  const csrf = r.json.csrfToken as string;
  const call = async (method: string, p: string, body?: unknown) => {
    const res = await fetch(`${s.url}${p}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrf, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let json: any = text;
    try {
      json = JSON.parse(text);
    } catch {
      /* text body */
    }
    return { status: res.status, json };
  };
  return { cookie, csrf, call, agent: r.json.agent };
}

/** A protocol client over a real socket that records every frame it receives. */
export class TestSocket {
  readonly frames: ServerFrame[] = [];
  private waiters: Array<{ pred: (f: ServerFrame) => boolean; resolve: (f: ServerFrame) => void }> = [];
  closeCode: number | null = null;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const f = JSON.parse(String(data)) as ServerFrame;
      this.frames.push(f);
      this.waiters = this.waiters.filter((w) => {
        if (w.pred(f)) {
          w.resolve(f);
          return false;
        }
        return true;
      });
    });
    ws.on('close', (code) => (this.closeCode = code));
  }

  static open(
    s: TestServer,
    auth: { sessionToken?: string; cookie?: string; origin?: string; protocols?: string[] },
  ): Promise<TestSocket> {
    const protocols = auth.protocols ?? [
      SUBPROTOCOL,
      ...(auth.sessionToken ? [AUTH_SUBPROTOCOL_PREFIX + auth.sessionToken] : []),
    ];
    const ws = new WebSocket(s.wsUrl, protocols, {
      origin: auth.origin ?? s.origin,
      headers: auth.cookie ? { cookie: auth.cookie } : {},
    });
    const t = new TestSocket(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(t));
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c));
        res.on('end', () =>
          reject(
            Object.assign(new Error(`upgrade rejected ${res.statusCode}`), {
              status: res.statusCode,
              body: JSON.parse(body || '{}'),
            }),
          ),
        );
      });
      ws.once('error', reject);
    });
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  next<T extends ServerFrame['type']>(
    type: T,
    pred: (f: Extract<ServerFrame, { type: T }>) => boolean = () => true,
    // Roomy: under a loaded CI machine a frame can take seconds; a frame that never comes still fails.
    timeoutMs = 10_000,
  ): Promise<Extract<ServerFrame, { type: T }>> {
    const match = (f: ServerFrame) => f.type === type && pred(f as Extract<ServerFrame, { type: T }>);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${type}`)), timeoutMs);
      this.waiters.push({
        pred: match,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f as Extract<ServerFrame, { type: T }>);
        },
      });
    });
  }

  /**
   * A frame this socket has already received, or the next one: for frames another socket's action
   * caused, which may arrive before that socket's own answer.
   */
  seenOrNext<T extends ServerFrame['type']>(
    type: T,
    pred: (f: Extract<ServerFrame, { type: T }>) => boolean = () => true,
    timeoutMs?: number,
  ): Promise<Extract<ServerFrame, { type: T }>> {
    const seen = this.frames.find((f) => f.type === type && pred(f as Extract<ServerFrame, { type: T }>));
    return seen ? Promise.resolve(seen as Extract<ServerFrame, { type: T }>) : this.next(type, pred, timeoutMs);
  }

  /** hello -> welcome, then optional subscribe -> subscribed. */
  async handshake(conversationId?: string, lastSeq = 0) {
    const welcome = this.next('welcome');
    this.send({ type: 'hello', protocol: 1 });
    await welcome;
    if (!conversationId) return null;
    const sub = this.next('subscribed', (f) => f.conversationId === conversationId);
    this.send({ type: 'subscribe', conversationId, lastSeq });
    return sub;
  }

  closed(): Promise<number> {
    if (this.closeCode !== null) return Promise.resolve(this.closeCode);
    return new Promise((resolve) => this.ws.once('close', (code) => resolve(code)));
  }

  terminate(): void {
    this.ws.terminate();
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until fn returns truthy (for effects that cross the bus asynchronously). */
export async function eventually<T>(fn: () => T | Promise<T>, timeoutMs = 5000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}
