/**
 * The one validated configuration object. Nothing else in the server reads `process.env`:
 * it is parsed here once at boot and fails fast with a readable message.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { RateLimitsConfig } from './security/rate-limits.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** "points/seconds", e.g. "30/60" = 30 per minute. */
const rate = z
  .string()
  .regex(/^\d{1,6}\/\d{1,6}$/, 'use points/seconds, e.g. 30/60')
  .transform((v) => {
    const [points, durationSeconds] = v.split('/').map(Number) as [number, number];
    return { points: Math.max(1, points), durationSeconds: Math.max(1, durationSeconds) };
  });

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^(postgres(ql)?:\/\/|sqlite:|file:)/, 'DATABASE_URL must start with postgres://, sqlite: or file:')
    .optional(),
  /** PostgreSQL schema to use (created if missing); default: the connection's current schema. */
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lower-case PostgreSQL identifier')
    .optional(),
  /** Several nodes: Redis carries events between them (bus/redis-bus.ts). Unset: one node, in-process bus. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'REDIS_URL must start with redis:// or rediss://')
    .optional(),
  /** Namespaces this deployment's Redis channels and keys. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_:.-]{1,64}$/)
    .default('carechat:'),
  /** This node's name in logs, metrics and the bus (default: host name and process id). */
  NODE_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/)
    .optional(),
  /** On SIGTERM: how long /readyz reports "draining" before sockets are asked to move (load balancer catch-up). */
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(120_000).optional(),
  ALLOWED_ORIGINS: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Shared HS256 secret(s) for the host site's chat tokens, comma separated, newest first (rotation). */
  IDENTITY_SECRETS: z.string().optional(),
  IDENTITY_ISSUER: z.string().default('carechat-demo-site'),
  IDENTITY_AUDIENCE: z.string().default('carechat'),
  SITE_SESSION_SECRET: z.string().optional(),
  /** Master key for card numbers at rest in the embedded accounts core (>= 32 characters). */
  ACCOUNTS_ENCRYPTION_KEY: z.string().min(32, 'needs at least 32 characters').optional(),
  WIDGET_SESSION_TTL_SECONDS: z.coerce.number().int().min(60).max(86400).default(3600),
  STAFF_SESSION_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(300)
    .max(86400)
    .default(8 * 3600),
  /** A staff session without API/WebSocket activity for this long has ended (absolute cap above). */
  STAFF_SESSION_IDLE_SECONDS: z.coerce.number().int().min(60).max(86400).default(1800),
  AVERAGE_HANDLE_SECONDS: z.coerce.number().int().min(30).max(7200).default(360),
  /** How long an agent has to accept an offered chat before it goes to the next agent. */
  ROUTING_OFFER_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(600).default(30),
  /** How often each node expires offers and routes waiting chats (stored timers, any node may run them). */
  ROUTING_SWEEP_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  /** How often each node fires due case deadline timers (stored rows; each fires exactly once). */
  CASE_TIMER_SWEEP_MS: z.coerce.number().int().min(50).max(3_600_000).default(60_000),
  /** How often each node takes assistant turns left behind (a node died mid-turn, or a turn failed). */
  ASSISTANT_JOB_SWEEP_MS: z.coerce.number().int().min(50).max(600_000).default(2_000),
  /** How long a node owns an assistant turn it took; after that another node may take it over. */
  ASSISTANT_JOB_LEASE_SECONDS: z.coerce.number().int().min(1).max(3_600).default(30),
  /** How often each node stamps its heartbeat, removes dead nodes' presence and applies the away rule. */
  PRESENCE_HEARTBEAT_MS: z.coerce.number().int().min(50).max(60_000).default(5_000),
  /** An `available` staff member with no console open on any node for this long is set to `away`. */
  PRESENCE_AWAY_AFTER_SECONDS: z.coerce.number().int().min(1).max(86_400).default(120),
  WS_RATE_PER_SECOND: z.coerce.number().min(1).max(10000).default(10),
  WS_BURST: z.coerce.number().int().min(1).max(100000).default(30),
  /** Clients ping at least this often; a socket silent for 3 x this long is closed (1001). */
  WS_HEARTBEAT_MS: z.coerce.number().int().min(50).max(300_000).default(25_000),
  /** Open sockets re-check their session this often, so an expired or idled-out session closes them. */
  WS_SESSION_RECHECK_MS: z.coerce.number().int().min(50).max(300_000).default(30_000),
  /** Rate limits as "points/seconds" (security/rate-limits.ts). */
  RATE_LIMIT_WIDGET_SESSION: rate.prefault('60/60'),
  RATE_LIMIT_STAFF_LOGIN: rate.prefault('60/60'),
  RATE_LIMIT_SITE_LOGIN: rate.prefault('20/60'),
  RATE_LIMIT_SENDS: rate.prefault('30/10'),
  /** Secure document upload links (cases/uploads.service.ts): how long one stays valid. */
  UPLOAD_LINK_TTL_MINUTES: z.coerce.number().int().min(5).max(43_200).default(1440),
  /** The largest document a cardmember may upload, in bytes (default 10 MiB). */
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(10 * 1024 * 1024),
  DEMO: bool.optional(),
  SECURE_COOKIES: bool.optional(),
  /**
   * Which proxies' X-Forwarded-For to believe for the client IP (per-IP rate limits, logs): unset =
   * none; a number = that many hops; otherwise comma-separated addresses or CIDRs of the balancers.
   */
  TRUST_PROXY: z
    .string()
    .regex(/^(\d{1,2}|[0-9A-Fa-f:./]+(,\s*[0-9A-Fa-f:./]+)*)$/, 'a hop count, or addresses/CIDRs separated by commas')
    .optional(),
  /** Bearer token for GET /metrics (>= 16 characters). Unset: /metrics is open (block it at the load balancer). */
  METRICS_TOKEN: z.string().min(16, 'needs at least 16 characters').optional(),
});

export type DatabaseConfig = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema?: string };

export interface Config {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  publicUrl: string | null;
  dataDir: string;
  database: DatabaseConfig;
  /** Multi-node mode: the Redis bus (null: one node, in-process bus). */
  redis: { url: string; prefix: string } | null;
  /** This node's name in logs, metrics and on the bus. */
  nodeId: string;
  /** Graceful shutdown: time between "not ready" and asking sockets to reconnect elsewhere. */
  shutdownDrainMs: number;
  /** Exact origins allowed to open WebSockets; empty means "same origin as the request's Host". */
  allowedOrigins: string[];
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  identity: { secrets: Uint8Array[]; issuer: string; audience: string; maxTokenAgeSeconds: number };
  site: { enabled: boolean; sessionSecret: Uint8Array; chatTokenTtlSeconds: number };
  accounts: { encryptionKey: Uint8Array };
  widgetSessionTtlSeconds: number;
  staffSessionTtlSeconds: number;
  staffSessionIdleSeconds: number;
  /** Prior for the wait estimate until a queue has finished chats of its own (docs/routing.md). */
  averageHandleSeconds: number;
  routing: { offerTimeoutSeconds: number; sweepMs: number };
  /** Case deadline timers (docs/disputes.md#timers). */
  caseTimers: { sweepMs: number };
  /** The assistant's turns as stored jobs (docs/assistant.md#turns-as-stored-jobs). */
  assistantJobs: { sweepMs: number; leaseSeconds: number };
  /** Staff presence across nodes and the away rule (agents/presence.ts, docs/routing.md#presence). */
  presence: { heartbeatMs: number; awayAfterSeconds: number };
  secureCookies: boolean;
  /** Fastify `trustProxy`: false, a hop count, or the balancers' addresses/CIDRs. */
  trustProxy: false | number | string[];
  /** GET /metrics needs `Authorization: Bearer <this>`; null: open (docs/metrics.md). */
  metricsToken: string | null;
  /** Case documents: link lifetime, size cap, and where files are kept (`<dataDir>/uploads`). */
  uploads: { linkTtlMinutes: number; maxBytes: number; dir: string };
  ws: { maxFrameBytes: number; heartbeatMs: number; ratePerSecond: number; burst: number; sessionRecheckMs: number };
  rateLimits: RateLimitsConfig;
}

export class ConfigError extends Error {}

/** Reads a secret from the data dir, creating it on first boot (demo/dev convenience only). */
function persistentSecret(dataDir: string, name: string): string {
  const file = path.join(dataDir, `${name}.secret`);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const value = randomBytes(32).toString('base64url');
  writeFileSync(file, value + '\n', { mode: 0o600 });
  return value;
}

/** Parses the environment into a Config, or throws ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const dataDir = path.resolve(e.DATA_DIR);

  let database: DatabaseConfig;
  if (!e.DATABASE_URL) database = { kind: 'sqlite', file: path.join(dataDir, 'carechat.sqlite') };
  else if (e.DATABASE_URL.startsWith('postgres'))
    database = { kind: 'postgres', url: e.DATABASE_URL, ...(e.DATABASE_SCHEMA ? { schema: e.DATABASE_SCHEMA } : {}) };
  else database = { kind: 'sqlite', file: path.resolve(e.DATABASE_URL.replace(/^(sqlite|file):(\/\/)?/, '')) };

  if (production && !e.IDENTITY_SECRETS) {
    throw new ConfigError('Invalid configuration:\n  IDENTITY_SECRETS: required in production');
  }
  if (production && !e.ACCOUNTS_ENCRYPTION_KEY) {
    throw new ConfigError('Invalid configuration:\n  ACCOUNTS_ENCRYPTION_KEY: required in production');
  }
  const secretStrings = (e.IDENTITY_SECRETS ?? persistentSecret(dataDir, 'identity'))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (secretStrings.some((s) => s.length < 32)) {
    throw new ConfigError('Invalid configuration:\n  IDENTITY_SECRETS: each secret needs at least 32 characters');
  }
  const enc = new TextEncoder();
  const publicUrl = e.PUBLIC_URL ?? null;
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl,
    dataDir,
    database,
    redis: e.REDIS_URL ? { url: e.REDIS_URL, prefix: e.REDIS_PREFIX } : null,
    nodeId: e.NODE_ID ?? `${hostname()}-${process.pid}`,
    // One node has nowhere to send its clients, so it stops at once unless told otherwise.
    shutdownDrainMs: e.SHUTDOWN_DRAIN_MS ?? (e.REDIS_URL ? 5_000 : 0),
    allowedOrigins: (e.ALLOWED_ORIGINS ?? publicUrl ?? '')
      .split(',')
      .map((s) => s.trim().replace(/\/$/, ''))
      .filter(Boolean),
    logLevel: e.LOG_LEVEL,
    identity: {
      secrets: secretStrings.map((s) => enc.encode(s)),
      issuer: e.IDENTITY_ISSUER,
      audience: e.IDENTITY_AUDIENCE,
      maxTokenAgeSeconds: 600,
    },
    site: {
      enabled: e.DEMO ?? !production,
      sessionSecret: enc.encode(e.SITE_SESSION_SECRET ?? persistentSecret(dataDir, 'site-session')),
      chatTokenTtlSeconds: 300,
    },
    accounts: { encryptionKey: enc.encode(e.ACCOUNTS_ENCRYPTION_KEY ?? persistentSecret(dataDir, 'accounts')) },
    widgetSessionTtlSeconds: e.WIDGET_SESSION_TTL_SECONDS,
    staffSessionTtlSeconds: e.STAFF_SESSION_TTL_SECONDS,
    staffSessionIdleSeconds: e.STAFF_SESSION_IDLE_SECONDS,
    averageHandleSeconds: e.AVERAGE_HANDLE_SECONDS,
    routing: { offerTimeoutSeconds: e.ROUTING_OFFER_TIMEOUT_SECONDS, sweepMs: e.ROUTING_SWEEP_MS },
    caseTimers: { sweepMs: e.CASE_TIMER_SWEEP_MS },
    assistantJobs: { sweepMs: e.ASSISTANT_JOB_SWEEP_MS, leaseSeconds: e.ASSISTANT_JOB_LEASE_SECONDS },
    presence: { heartbeatMs: e.PRESENCE_HEARTBEAT_MS, awayAfterSeconds: e.PRESENCE_AWAY_AFTER_SECONDS },
    secureCookies: e.SECURE_COOKIES ?? publicUrl?.startsWith('https:') ?? false,
    trustProxy: !e.TRUST_PROXY
      ? false
      : /^\d+$/.test(e.TRUST_PROXY)
        ? Number(e.TRUST_PROXY)
        : e.TRUST_PROXY.split(',').map((p) => p.trim()),
    metricsToken: e.METRICS_TOKEN ?? null,
    uploads: {
      linkTtlMinutes: e.UPLOAD_LINK_TTL_MINUTES,
      maxBytes: e.UPLOAD_MAX_BYTES,
      dir: path.join(dataDir, 'uploads'),
    },
    ws: {
      maxFrameBytes: 64 * 1024,
      heartbeatMs: e.WS_HEARTBEAT_MS,
      ratePerSecond: e.WS_RATE_PER_SECOND,
      burst: e.WS_BURST,
      sessionRecheckMs: e.WS_SESSION_RECHECK_MS,
    },
    rateLimits: {
      widgetSessionPerIp: e.RATE_LIMIT_WIDGET_SESSION,
      staffLoginPerIp: e.RATE_LIMIT_STAFF_LOGIN,
      siteLoginPerIp: e.RATE_LIMIT_SITE_LOGIN,
      sendsPerUser: e.RATE_LIMIT_SENDS,
    },
  };
}
