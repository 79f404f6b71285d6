/** loadConfig: defaults, database selection, fail-fast validation and secrets. */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const SECRET_A = 'a'.repeat(32) + '-first-secret';
const SECRET_B = 'b'.repeat(40);

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'carechat-config-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const load = (env: Record<string, string | undefined> = {}) => loadConfig({ DATA_DIR: dataDir, ...env });

/** The ConfigError thrown for env, so tests can read its message. */
function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    load(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig defaults', () => {
  it('listens on 127.0.0.1:3000 with an SQLite file under DATA_DIR', () => {
    const c = load();
    expect(c.env).toBe('development');
    expect(c.host).toBe('127.0.0.1');
    expect(c.port).toBe(3000);
    expect(c.dataDir).toBe(path.resolve(dataDir));
    expect(c.database).toEqual({ kind: 'sqlite', file: path.join(path.resolve(dataDir), 'carechat.sqlite') });
    expect(c.publicUrl).toBeNull();
    expect(c.allowedOrigins).toEqual([]);
    expect(c.logLevel).toBe('info');
    expect(c.identity).toMatchObject({ issuer: 'carechat-demo-site', audience: 'carechat', maxTokenAgeSeconds: 600 });
    expect(c.site.enabled).toBe(true);
    expect(c.secureCookies).toBe(false);
    expect(c.widgetSessionTtlSeconds).toBe(3600);
    expect(c.staffSessionTtlSeconds).toBe(8 * 3600);
    expect(c.ws.maxFrameBytes).toBe(64 * 1024);
  });

  it('reads only the object it is given, not process.env', () => {
    const saved = process.env.PORT;
    process.env.PORT = '4567';
    try {
      expect(load().port).toBe(3000);
      expect(load({ PORT: '8081' }).port).toBe(8081);
    } finally {
      if (saved === undefined) delete process.env.PORT;
      else process.env.PORT = saved;
    }
  });

  it('without IDENTITY_SECRETS outside production, creates one secret in DATA_DIR (0600) and reuses it', () => {
    const first = load();
    const file = path.join(dataDir, 'identity.secret');
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = readFileSync(file, 'utf8').trim();
    expect(stored.length).toBeGreaterThanOrEqual(32);
    expect(first.identity.secrets).toEqual([new TextEncoder().encode(stored)]);
    const second = load();
    expect(second.identity.secrets).toEqual(first.identity.secrets);
    expect(second.site.sessionSecret).toEqual(first.site.sessionSecret);
  });
});

describe('loadConfig database selection', () => {
  it.each(['postgres://carechat@db.internal:5432/carechat', 'postgresql://u:p@127.0.0.1/x'])(
    'DATABASE_URL=%s selects PostgreSQL with that URL',
    (url) => {
      expect(load({ DATABASE_URL: url }).database).toEqual({ kind: 'postgres', url });
    },
  );

  it('sqlite: and file: URLs select an SQLite file at that path', () => {
    const abs = path.join(dataDir, 'elsewhere', 'chat.db');
    expect(load({ DATABASE_URL: `sqlite:${abs}` }).database).toEqual({ kind: 'sqlite', file: abs });
    expect(load({ DATABASE_URL: `sqlite://${abs}` }).database).toEqual({ kind: 'sqlite', file: abs });
    expect(load({ DATABASE_URL: 'file:./rel/chat.db' }).database).toEqual({
      kind: 'sqlite',
      file: path.resolve('./rel/chat.db'),
    });
  });
});

describe('loadConfig SHUTDOWN_DRAIN_MS', () => {
  it('drains for 5 s before moving clients when there are other nodes (REDIS_URL), not on one node', () => {
    expect(load().shutdownDrainMs).toBe(0);
    expect(load({ REDIS_URL: 'redis://127.0.0.1:6379' }).shutdownDrainMs).toBe(5000);
    expect(load({ REDIS_URL: 'redis://127.0.0.1:6379', SHUTDOWN_DRAIN_MS: '0' }).shutdownDrainMs).toBe(0);
    expect(load({ SHUTDOWN_DRAIN_MS: '2500' }).shutdownDrainMs).toBe(2500);
  });
});

describe('loadConfig TRUST_PROXY', () => {
  it('trusts no proxy by default, a hop count, or a list of addresses and CIDRs; refuses anything else', () => {
    expect(load().trustProxy).toBe(false);
    expect(load({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(load({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.7' }).trustProxy).toEqual(['10.0.0.0/8', '192.168.1.7']);
    expect(configError({ TRUST_PROXY: 'everyone; rm -rf' }).message).toMatch(/TRUST_PROXY/);
  });
});

describe('loadConfig validation', () => {
  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['PORT', { PORT: '-1' }],
    ['PORT', { PORT: '80.5' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://root@localhost/carechat' }],
    ['DATABASE_URL', { DATABASE_URL: 'carechat.sqlite' }],
    ['NODE_ENV', { NODE_ENV: 'staging' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'verbose' }],
    ['PUBLIC_URL', { PUBLIC_URL: 'not a url' }],
    ['DEMO', { DEMO: 'maybe' }],
  ])('rejects an invalid %s with a ConfigError naming it', (name, env) => {
    const err = configError(env);
    expect(err.message).toContain('Invalid configuration');
    expect(err.message).toContain(`${name}:`);
  });

  it('lists every invalid variable at once', () => {
    const err = configError({ PORT: 'x', DATABASE_URL: 'mysql://h/db', LOG_LEVEL: 'loud' });
    expect(err.message).toContain('PORT:');
    expect(err.message).toContain('DATABASE_URL:');
    expect(err.message).toContain('LOG_LEVEL:');
  });

  it('rejects an IDENTITY_SECRETS entry shorter than 32 characters, even next to a good one', () => {
    expect(configError({ IDENTITY_SECRETS: 'short' }).message).toContain('IDENTITY_SECRETS');
    expect(configError({ IDENTITY_SECRETS: `${SECRET_A},tooshort` }).message).toContain('IDENTITY_SECRETS');
    expect(configError({ IDENTITY_SECRETS: 'x'.repeat(31) }).message).toContain('IDENTITY_SECRETS');
    expect(load({ IDENTITY_SECRETS: 'x'.repeat(32) }).identity.secrets).toHaveLength(1);
  });

  it('keeps rotated IDENTITY_SECRETS newest first, trimmed, ignoring empty entries', () => {
    const c = load({ IDENTITY_SECRETS: ` ${SECRET_A} , ${SECRET_B},` });
    const dec = new TextDecoder();
    expect(c.identity.secrets.map((s) => dec.decode(s))).toEqual([SECRET_A, SECRET_B]);
    expect(existsSync(path.join(dataDir, 'identity.secret'))).toBe(false);
  });

  it('production without IDENTITY_SECRETS fails fast and writes no secret', () => {
    const err = configError({ NODE_ENV: 'production' });
    expect(err.message).toContain('IDENTITY_SECRETS');
    expect(err.message).toContain('production');
    expect(existsSync(path.join(dataDir, 'identity.secret'))).toBe(false);
  });

  it('production without ACCOUNTS_ENCRYPTION_KEY fails fast', () => {
    const err = configError({ NODE_ENV: 'production', IDENTITY_SECRETS: SECRET_A });
    expect(err.message).toContain('ACCOUNTS_ENCRYPTION_KEY');
    expect(existsSync(path.join(dataDir, 'accounts.secret'))).toBe(false);
  });

  it('production with secrets turns the demo off unless asked for', () => {
    const c = load({
      NODE_ENV: 'production',
      IDENTITY_SECRETS: SECRET_A,
      SITE_SESSION_SECRET: SECRET_B,
      ACCOUNTS_ENCRYPTION_KEY: SECRET_B,
    });
    expect(c.env).toBe('production');
    expect(c.site.enabled).toBe(false);
    expect(
      load({
        NODE_ENV: 'production',
        IDENTITY_SECRETS: SECRET_A,
        SITE_SESSION_SECRET: SECRET_B,
        ACCOUNTS_ENCRYPTION_KEY: SECRET_B,
        DEMO: 'true',
      }).site.enabled,
    ).toBe(true);
  });
});

describe('loadConfig derived settings', () => {
  it('an https PUBLIC_URL turns on secure cookies and becomes the allowed origin', () => {
    const c = load({ PUBLIC_URL: 'https://chat.example.com/' });
    expect(c.publicUrl).toBe('https://chat.example.com/');
    expect(c.secureCookies).toBe(true);
    expect(c.allowedOrigins).toEqual(['https://chat.example.com']);
    expect(load({ PUBLIC_URL: 'https://chat.example.com', SECURE_COOKIES: 'false' }).secureCookies).toBe(false);
    expect(load({ PUBLIC_URL: 'http://localhost:3000' }).secureCookies).toBe(false);
  });

  it('ALLOWED_ORIGINS is a trimmed list without trailing slashes', () => {
    const c = load({ ALLOWED_ORIGINS: 'https://a.example/, https://b.example:8443 ,,' });
    expect(c.allowedOrigins).toEqual(['https://a.example', 'https://b.example:8443']);
  });

  it('coerces numbers and booleans from strings', () => {
    const c = load({ PORT: '0', WIDGET_SESSION_TTL_SECONDS: '120', SECURE_COOKIES: 'yes', DEMO: '0' });
    expect(c.port).toBe(0);
    expect(c.widgetSessionTtlSeconds).toBe(120);
    expect(c.secureCookies).toBe(true);
    expect(c.site.enabled).toBe(false);
    expect(configError({ WIDGET_SESSION_TTL_SECONDS: '10' }).message).toContain('WIDGET_SESSION_TTL_SECONDS:');
  });
});
