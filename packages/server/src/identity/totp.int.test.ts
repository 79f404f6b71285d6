/**
 * Staff two-step sign-in over a real server with a controlled clock: password, then a TOTP code;
 * nothing usable before the code; wrong, replayed and malformed codes; challenge expiry, reuse and
 * burning; races; account lockout; enrollment; secrets at rest; and the staff session idle timeout,
 * sliding on activity, under the absolute cap, closing sockets when it ends.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startServer, storeUnavailable, TestSocket, type TestServer } from '../../test/helpers.js';
import { DEMO_AGENTS } from '../seed/demo.js';
import { createLogger } from '../shared/logger.js';
import type { Clock } from '../shared/clock.js';
import { hashPassword } from './passwords.js';
import { SecretBox } from './secret-box.js';
import { hashToken, SessionsStore } from './sessions.store.js';
import { totpCode, totpStep } from './totp.js';

const skip = await storeUnavailable();

const MINUTE = 60_000;

/** A clock the test moves by hand; starts at a fixed offset into a 30-s step, so steps are predictable. */
class TestClock implements Clock {
  t: number;
  constructor() {
    const now = Date.now();
    this.t = now - (now % 30_000) + 5_000;
  }
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

interface TestAgent {
  id: string;
  email: string;
  password: string;
  secret: string;
}

/** Builder: a fresh agent, enrolled with a known secret unless `enrolled: false`. */
async function newAgent(s: TestServer, clock: TestClock, o: { enrolled?: boolean } = {}): Promise<TestAgent> {
  const id = `agent_t_${randomUUID().slice(0, 8)}`;
  const agent = { id, email: `${id}@carechat.test`, password: `pw-${id}`, secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' };
  const ts = clock.now().toISOString();
  const box = new SecretBox(s.app.config.accounts.encryptionKey, 'carechat totp');
  await s.app.store.db
    .insertInto('agents')
    .values({
      id,
      email: agent.email,
      password_hash: await hashPassword(agent.password),
      first_name: 'Tess',
      display_name: 'Tess Tester',
      role: 'agent',
      status: 'offline',
      status_changed_at: ts,
      max_concurrent: 3,
      created_at: ts,
      ...(o.enrolled === false ? {} : { totp_secret_ciphertext: box.encrypt(agent.secret, id), totp_enrolled_at: ts }),
    })
    .execute();
  await s.app.store.db
    .insertInto('agent_skills')
    .values({ agent_id: id, team_id: 'general', language: 'en' })
    .execute();
  return agent;
}

async function agentRow(s: TestServer, id: string) {
  return s.app.store.db.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function countRows(s: TestServer, table: 'sessions' | 'login_challenges') {
  const r = await s.app.store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

function expectError(r: { status: number; json: any }, status: number, code: string) {
  expect({ status: r.status, code: r.json?.error?.code }).toEqual({ status, code });
  expect(typeof r.json.error.message).toBe('string');
}

const cookieOf = (r: { headers: Headers }) => (r.headers.get('set-cookie') ?? '').split(';')[0]!;

function client(s: TestServer) {
  const password = (email: string, pw: string) => postJson(`${s.url}/api/auth/login`, { email, password: pw });
  const code = (challenge: string, c: string) => postJson(`${s.url}/api/auth/login/totp`, { challenge, code: c });
  const me = (cookie?: string) =>
    fetch(`${s.url}/api/auth/me`, { headers: cookie ? { cookie } : {} }).then(async (r) => ({
      status: r.status,
      json: (await r.json()) as any,
    }));
  return { password, code, me };
}

describe.skipIf(skip)('staff sign-in with a TOTP second factor', () => {
  let s: TestServer;
  const clock = new TestClock();
  const logLines: string[] = [];
  let api: ReturnType<typeof client>;

  /** Password then the code of the clock's current step; returns the session cookie. */
  async function signIn(a: { email: string; password: string; secret: string }) {
    const first = await api.password(a.email, a.password);
    expect(first.status).toBe(200);
    const r = await api.code(first.json.challenge, totpCode(a.secret, clock.now()));
    expect(r.status).toBe(200);
    return { cookie: cookieOf(r), body: r.json };
  }

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, cb) {
        logLines.push(String(chunk));
        cb();
      },
    });
    s = await startServer({ clock, logger: createLogger('trace', sink) });
    api = client(s);
  });
  afterAll(async () => s?.close());

  it('the right password earns a challenge, not a session: no cookie, nothing usable before the code', async () => {
    const sessionsBefore = await countRows(s, 'sessions');
    const r = await api.password('ana@carechat.test', 'demo-ana-2024');
    expect(r.status).toBe(200);
    expect(r.headers.get('set-cookie')).toBeNull();
    expect(Object.keys(r.json).sort()).toEqual(['challenge', 'expiresAt', 'mfaRequired']);
    expect(r.json.mfaRequired).toBe(true);
    expect(r.json.challenge).toMatch(/^[\w-]{40,}$/);
    expect(r.json.expiresAt).toBe(new Date(clock.t + 5 * MINUTE).toISOString());
    expect(await countRows(s, 'sessions')).toBe(sessionsBefore);

    // Only a hash of the challenge is stored, and the challenge is not a session token.
    const row = await s.app.store.db
      .selectFrom('login_challenges')
      .selectAll()
      .where('id_hash', '=', hashToken(r.json.challenge))
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ agent_id: 'agent_ana', attempts: 0, used_at: null });
    expect(JSON.stringify(await s.app.store.db.selectFrom('login_challenges').selectAll().execute())).not.toContain(
      r.json.challenge,
    );
    expect((await api.me()).status).toBe(401);
    expect((await api.me(`cc_staff=${r.json.challenge}`)).status).toBe(401);
    await expect(TestSocket.open(s, { cookie: `cc_staff=${r.json.challenge}` })).rejects.toMatchObject({ status: 401 });
  });

  it('the right code opens the session: httpOnly SameSite=Strict cookie, CSRF token, working socket', async () => {
    const first = await api.password('ana@carechat.test', 'demo-ana-2024');
    const ana = DEMO_AGENTS.find((a) => a.id === 'agent_ana')!;
    const r = await api.code(first.json.challenge, totpCode(ana.totpSecret, clock.now()));
    expect(r.status).toBe(200);
    const setCookie = r.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^cc_staff=[\w-]+;/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(r.json.agent).toMatchObject({ id: 'agent_ana', email: 'ana@carechat.test' });
    expect(r.json.csrfToken).toMatch(/^[\w-]{40,}$/);
    const me = await api.me(cookieOf(r));
    expect(me.status).toBe(200);
    expect(me.json.agent.id).toBe('agent_ana');
    const ws = await TestSocket.open(s, { cookie: cookieOf(r) });
    await ws.handshake();
    ws.terminate();
    expect((await agentRow(s, 'agent_ana')).totp_last_step).toBe(totpStep(clock.now()));
  });

  it('a wrong code is 401 invalid_code with the attempts left, and sets no cookie; the right one still works', async () => {
    const a = await newAgent(s, clock);
    const first = await api.password(a.email, a.password);
    const right = totpCode(a.secret, clock.now());
    const wrong = right === '000000' ? '000001' : '000000';
    const r = await api.code(first.json.challenge, wrong);
    expectError(r, 401, 'invalid_code');
    expect(r.json.error.details).toEqual({ attemptsLeft: 4 });
    expect(r.headers.get('set-cookie')).toBeNull();
    // Typed the way apps show it, with a space.
    const ok = await api.code(first.json.challenge, `${right.slice(0, 3)} ${right.slice(3)}`);
    expect(ok.status).toBe(200);
    expect((await agentRow(s, a.id)).failed_logins).toBe(0);
  });

  it('a malformed code is 400 and spends no attempt', async () => {
    const a = await newAgent(s, clock);
    const first = await api.password(a.email, a.password);
    for (const bad of ['12345', '1234567', 'abcdef', '', 123456]) {
      expectError(await api.code(first.json.challenge, bad as string), 400, 'bad_request');
    }
    expectError(await postJson(`${s.url}/api/auth/login/totp`, { code: '123456' }), 400, 'bad_request');
    const row = await s.app.store.db
      .selectFrom('login_challenges')
      .select('attempts')
      .where('id_hash', '=', hashToken(first.json.challenge))
      .executeTakeFirstOrThrow();
    expect(row.attempts).toBe(0);
    expect((await agentRow(s, a.id)).failed_logins).toBe(0);
  });

  it('a code is accepted once: the same code again is code_reused, even on a new challenge; the next step works', async () => {
    const a = await newAgent(s, clock);
    const code = totpCode(a.secret, clock.now());
    await signIn(a);
    const again = await api.password(a.email, a.password);
    const replay = await api.code(again.json.challenge, code);
    expectError(replay, 401, 'code_reused');
    expect(replay.headers.get('set-cookie')).toBeNull();
    // The previous step's code is older than the accepted one: refused as well.
    const older = totpCode(a.secret, clock.now(), totpStep(clock.now()) - 1);
    if (older !== code) expectError(await api.code(again.json.challenge, older), 401, 'code_reused');
    clock.advance(30_000);
    expect((await api.code(again.json.challenge, totpCode(a.secret, clock.now()))).status).toBe(200);
  });

  it('codes of one step either side are accepted (clock drift), two steps away are not', async () => {
    const a = await newAgent(s, clock);
    const now = totpStep(clock.now());
    const near = new Set([-1, 0, 1].map((d) => totpCode(a.secret, clock.now(), now + d)));
    const first = await api.password(a.email, a.password);
    for (const d of [-2, 2]) {
      const far = totpCode(a.secret, clock.now(), now + d);
      if (!near.has(far)) expectError(await api.code(first.json.challenge, far), 401, 'invalid_code');
    }
    expect((await api.code(first.json.challenge, totpCode(a.secret, clock.now(), now - 1))).status).toBe(200);
    const second = await api.password(a.email, a.password);
    expect((await api.code(second.json.challenge, totpCode(a.secret, clock.now(), now + 1))).status).toBe(200);
    // The current step is now older than the last accepted one.
    const third = await api.password(a.email, a.password);
    expectError(await api.code(third.json.challenge, totpCode(a.secret, clock.now(), now)), 401, 'code_reused');
  });

  it('a challenge works once, and not after 5 minutes', async () => {
    const a = await newAgent(s, clock);
    const first = await api.password(a.email, a.password);
    expect((await api.code(first.json.challenge, totpCode(a.secret, clock.now()))).status).toBe(200);
    clock.advance(30_000);
    const reuse = await api.code(first.json.challenge, totpCode(a.secret, clock.now()));
    expectError(reuse, 401, 'challenge_expired');
    expect(reuse.headers.get('set-cookie')).toBeNull();

    const late = await api.password(a.email, a.password);
    clock.advance(5 * MINUTE + 1000);
    expectError(await api.code(late.json.challenge, totpCode(a.secret, clock.now())), 401, 'challenge_expired');
    expectError(await api.code('no-such-challenge', totpCode(a.secret, clock.now())), 401, 'challenge_expired');
    // The expired challenge did not use up the code: a fresh challenge takes it.
    const fresh = await api.password(a.email, a.password);
    expect((await api.code(fresh.json.challenge, totpCode(a.secret, clock.now()))).status).toBe(200);
  });

  it('5 wrong codes burn the challenge: even the right code is refused on it afterwards', async () => {
    const a = await newAgent(s, clock);
    const first = await api.password(a.email, a.password);
    const right = totpCode(a.secret, clock.now());
    const wrong = right === '111111' ? '222222' : '111111';
    for (const left of [4, 3, 2, 1, 0]) {
      const r = await api.code(first.json.challenge, wrong);
      expectError(r, 401, 'invalid_code');
      expect(r.json.error.details).toEqual({ attemptsLeft: left });
    }
    expectError(await api.code(first.json.challenge, right), 401, 'challenge_expired');
    expect((await agentRow(s, a.id)).failed_logins).toBe(5);
    // A new password step gives a new challenge; success clears the failures.
    const again = await api.password(a.email, a.password);
    expect((await api.code(again.json.challenge, right)).status).toBe(200);
    expect((await agentRow(s, a.id)).failed_logins).toBe(0);
  });

  it('parallel guesses cannot exceed 5 attempts on one challenge', async () => {
    const a = await newAgent(s, clock);
    const first = await api.password(a.email, a.password);
    const right = totpCode(a.secret, clock.now());
    const wrongs = Array.from({ length: 12 }, (_, i) => String(100000 + i * 7919)).filter((c) => c !== right);
    const results = await Promise.all(wrongs.map((c) => api.code(first.json.challenge, c)));
    expect(results.filter((r) => r.json.error?.code === 'invalid_code')).toHaveLength(5);
    expect(results.filter((r) => r.json.error?.code === 'challenge_expired')).toHaveLength(wrongs.length - 5);
    await s.app.store.db
      .updateTable('agents')
      .set({ failed_logins: 0, failed_logins_since: null })
      .where('id', '=', a.id)
      .execute();
  });

  it('racing right codes: one challenge gives one session; one code on two challenges gives one session', async () => {
    const a = await newAgent(s, clock);
    const one = await api.password(a.email, a.password);
    const code = totpCode(a.secret, clock.now());
    const sameChallenge = await Promise.all([1, 2, 3].map(() => api.code(one.json.challenge, code)));
    expect(sameChallenge.map((r) => r.status).sort()).toEqual([200, 401, 401]);

    clock.advance(30_000);
    const next = totpCode(a.secret, clock.now());
    const challenges = await Promise.all([1, 2, 3].map(() => api.password(a.email, a.password)));
    const results = await Promise.all(challenges.map((c) => api.code(c.json.challenge, next)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 200)) expectError(r, 401, 'code_reused');
    expect(results.filter((r) => r.headers.get('set-cookie'))).toHaveLength(1);
  });

  it('10 failures within 15 minutes (passwords or codes) lock the account: 423 account_locked, a security event', async () => {
    const a = await newAgent(s, clock);
    logLines.length = 0;
    for (let i = 0; i < 4; i++) expectError(await api.password(a.email, `wrong-${i}`), 401, 'invalid_credentials');
    const right = totpCode(a.secret, clock.now());
    const wrong = right === '333333' ? '444444' : '333333';
    const c1 = await api.password(a.email, a.password);
    for (let i = 0; i < 5; i++) expectError(await api.code(c1.json.challenge, wrong), 401, 'invalid_code');
    expect((await agentRow(s, a.id)).failed_logins).toBe(9);
    const c2 = await api.password(a.email, a.password);
    const locking = await api.code(c2.json.challenge, wrong);
    expectError(locking, 423, 'account_locked');
    expect(locking.json.error.message).toMatch(/locked for 15 minutes/);
    expect(locking.json.error.details).toEqual({ lockedUntil: new Date(clock.t + 15 * MINUTE).toISOString() });

    // Locked: the right password and the right code are refused alike, and nothing new is counted.
    expectError(await api.password(a.email, a.password), 423, 'account_locked');
    expectError(await api.password(a.email, 'still-wrong'), 423, 'account_locked');
    expectError(await api.code(c2.json.challenge, right), 423, 'account_locked');
    expect((await agentRow(s, a.id)).failed_logins).toBe(10);

    // The security event: stored and logged, without secrets.
    const events = await s.app.store.db
      .selectFrom('events')
      .selectAll()
      .where('type', '=', 'staff.account_locked')
      .where('actor_id', '=', a.id)
      .execute();
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.payload)).toMatchObject({ failures: 10, reason: 'code' });
    const locked = logLines.filter((l) => l.includes('"event":"staff.account_locked"'));
    expect(locked).toHaveLength(1);
    expect(JSON.parse(locked[0]!)).toMatchObject({ level: 40, agentId: a.id, failures: 10 });
    // The code as a JSON string, as a leaked field would appear (6 bare digits can occur in timings by chance).
    for (const secret of [a.password, a.secret, `"${right}"`, c1.json.challenge, c2.json.challenge, 'wrong-1']) {
      expect(logLines.join('\n')).not.toContain(secret);
    }

    // Other accounts are not affected.
    const b = await newAgent(s, clock);
    await signIn(b);

    // 15 minutes later the account opens again, and a success clears the count.
    clock.advance(15 * MINUTE + 1000);
    await signIn(a);
    expect(await agentRow(s, a.id)).toMatchObject({ failed_logins: 0, locked_until: null, failed_logins_since: null });
  });

  it('failures spread over more than 15 minutes do not add up to a lockout', async () => {
    const a = await newAgent(s, clock);
    for (let i = 0; i < 4; i++) expectError(await api.password(a.email, `nope-${i}`), 401, 'invalid_credentials');
    const c = await api.password(a.email, a.password);
    const right = totpCode(a.secret, clock.now());
    const wrong = right === '555555' ? '666666' : '555555';
    for (let i = 0; i < 5; i++) await api.code(c.json.challenge, wrong);
    expect((await agentRow(s, a.id)).failed_logins).toBe(9);
    clock.advance(15 * MINUTE + 1000);
    expectError(await api.password(a.email, 'nope-again'), 401, 'invalid_credentials');
    expect((await agentRow(s, a.id)).failed_logins).toBe(1);
  });

  it('enrollment: an account without an authenticator gets a secret at sign-in; the first right code confirms it', async () => {
    const a = await newAgent(s, clock, { enrolled: false });
    const first = await api.password(a.email, a.password);
    expect(first.status).toBe(200);
    expect(first.headers.get('set-cookie')).toBeNull();
    const { secret, otpauthUri } = first.json.enrollment as { secret: string; otpauthUri: string };
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUri).toBe(
      `otpauth://totp/carechat:${encodeURIComponent(a.email)}?issuer=carechat&secret=${secret}&algorithm=SHA1&digits=6&period=30`,
    );
    // At rest: ciphertext only, not confirmed yet.
    const pending = await agentRow(s, a.id);
    expect(pending.totp_secret_ciphertext).toMatch(/^v1\./);
    expect(pending.totp_secret_ciphertext).not.toContain(secret);
    expect(pending.totp_enrolled_at).toBeNull();

    // Signing in again before confirming shows the same secret (an app set up already keeps working).
    const second = await api.password(a.email, a.password);
    expect(second.json.enrollment.secret).toBe(secret);
    const right = totpCode(secret, clock.now());
    expectError(await api.code(second.json.challenge, right === '777777' ? '888888' : '777777'), 401, 'invalid_code');
    expect((await agentRow(s, a.id)).totp_enrolled_at).toBeNull();
    expect((await api.code(second.json.challenge, right)).status).toBe(200);
    expect((await agentRow(s, a.id)).totp_enrolled_at).toBe(clock.now().toISOString());

    // Enrolled: the secret is never shown again.
    clock.advance(30_000);
    const later = await api.password(a.email, a.password);
    expect(later.json.enrollment).toBeUndefined();
    expect((await api.code(later.json.challenge, totpCode(secret, clock.now()))).status).toBe(200);
  });

  it('demo agents are enrolled with their documented secrets, stored encrypted', async () => {
    for (const d of DEMO_AGENTS) {
      const row = await agentRow(s, d.id);
      expect(row.totp_enrolled_at).not.toBeNull();
      expect(row.totp_secret_ciphertext).not.toContain(d.totpSecret);
      const box = new SecretBox(s.app.config.accounts.encryptionKey, 'carechat totp');
      expect(box.decrypt(row.totp_secret_ciphertext!, d.id)).toBe(d.totpSecret);
    }
  });

  it('unknown email and wrong password still get the same answer, and never a challenge', async () => {
    const wrong = await api.password('sofia@carechat.test', 'not-her-password');
    const unknown = await api.password('nobody-at-all@carechat.test', 'whatever');
    expectError(wrong, 401, 'invalid_credentials');
    expect(unknown.json).toEqual(wrong.json);
    expect(wrong.json.challenge).toBeUndefined();
  });
});

describe.skipIf(skip)('staff sessions: idle timeout and absolute cap', () => {
  let s: TestServer;
  const clock = new TestClock();
  let api: ReturnType<typeof client>;

  async function signIn(a: TestAgent) {
    // Every sign-in in this block moves to a new step, so replay protection never gets in the way.
    clock.advance(30_000);
    const first = await api.password(a.email, a.password);
    const r = await api.code(first.json.challenge, totpCode(a.secret, clock.now()));
    expect(r.status).toBe(200);
    return { cookie: cookieOf(r), csrf: r.json.csrfToken as string };
  }

  const lastSeen = async (cookie: string) =>
    (
      await s.app.store.db
        .selectFrom('sessions')
        .select('last_seen_at')
        .where('id_hash', '=', hashToken(cookie.split('=')[1]!))
        .executeTakeFirstOrThrow()
    ).last_seen_at;

  beforeAll(async () => {
    s = await startServer({ clock, env: { WS_SESSION_RECHECK_MS: '100' } });
    api = client(s);
  });
  afterAll(async () => s?.close());

  it('30 minutes without activity end the session; activity slides the deadline', async () => {
    const a = await newAgent(s, clock);
    const { cookie } = await signIn(a);
    clock.advance(29 * MINUTE);
    expect((await api.me(cookie)).status).toBe(200);
    clock.advance(29 * MINUTE);
    expect((await api.me(cookie)).status).toBe(200);
    clock.advance(30 * MINUTE);
    const r = await api.me(cookie);
    expect(r.status).toBe(401);
    expect(r.json.error.code).toBe('session_expired');
    // Activity after the end (a late socket frame) does not revive it.
    const before = await lastSeen(cookie);
    // (the gateway records socket activity through this same method)
    await new SessionsStore(s.app.store.db, clock).touch(hashToken(cookie.split('=')[1]!));
    expect(await lastSeen(cookie)).toBe(before);
    expect((await api.me(cookie)).status).toBe(401);
  });

  it('activity is written at most once a minute', async () => {
    const a = await newAgent(s, clock);
    const { cookie } = await signIn(a);
    const signedInAt = clock.now().toISOString();
    expect(await lastSeen(cookie)).toBe(signedInAt);
    clock.advance(30_000);
    await api.me(cookie);
    expect(await lastSeen(cookie)).toBe(signedInAt);
    clock.advance(30_000);
    await api.me(cookie);
    expect(await lastSeen(cookie)).toBe(clock.now().toISOString());
  });

  it('the 8-hour cap holds however active the session is', async () => {
    const a = await newAgent(s, clock);
    const { cookie } = await signIn(a);
    for (let h = 0; h < 16; h++) {
      clock.advance(29 * MINUTE);
      expect((await api.me(cookie)).status).toBe(200);
    }
    clock.advance(16 * MINUTE); // 8 h 0 min since sign-in
    const r = await api.me(cookie);
    expect(r.status).toBe(401);
    expect(r.json.error.code).toBe('session_expired');
  });

  it('socket frames are activity and pings are not; an idled-out session closes its sockets with 4403', async () => {
    const a = await newAgent(s, clock);
    const { cookie } = await signIn(a);
    const ws = await TestSocket.open(s, { cookie });
    await ws.handshake();
    const signedInAt = await lastSeen(cookie);

    clock.advance(20 * MINUTE);
    const pong = ws.next('pong');
    ws.send({ type: 'ping', nonce: 'p1' });
    await pong;
    expect(await lastSeen(cookie)).toBe(signedInAt);

    // A frame the agent caused (unsubscribe needs no conversation) counts.
    ws.send({ type: 'unsubscribe', conversationId: 'nothing-subscribed' });
    const pong2 = ws.next('pong');
    ws.send({ type: 'ping', nonce: 'p2' });
    await pong2;
    const touchedAt = clock.now().toISOString();
    await expect.poll(() => lastSeen(cookie)).toBe(touchedAt);

    clock.advance(25 * MINUTE); // 45 min after sign-in, 25 after the last activity
    expect((await api.me(cookie)).status).toBe(200);
    expect(ws.closeCode).toBeNull();

    const closed = ws.closed();
    clock.advance(31 * MINUTE);
    expect(await closed).toBe(4403);
    await expect(TestSocket.open(s, { cookie })).rejects.toMatchObject({
      status: 401,
      body: { error: { code: 'session_expired' } },
    });
  });

  it('reaching the absolute expiry closes sockets too, and logout still does', async () => {
    const a = await newAgent(s, clock);
    const first = await signIn(a);
    const ws = await TestSocket.open(s, { cookie: first.cookie });
    await ws.handshake();
    await s.app.store.db
      .updateTable('sessions')
      .set({ expires_at: new Date(clock.t + 1000).toISOString() })
      .where('id_hash', '=', hashToken(first.cookie.split('=')[1]!))
      .execute();
    const closed = ws.closed();
    clock.advance(2000);
    expect(await closed).toBe(4403);

    const second = await signIn(a);
    const ws2 = await TestSocket.open(s, { cookie: second.cookie });
    await ws2.handshake();
    const closed2 = ws2.closed();
    const out = await fetch(`${s.url}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie: second.cookie, 'x-csrf-token': second.csrf, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(out.status).toBe(200);
    expect(await closed2).toBe(4403);
  });

  it('the sweeper deletes staff sessions that idled out and spent challenges', async () => {
    const a = await newAgent(s, clock);
    const { cookie } = await signIn(a);
    await api.password(a.email, a.password); // a challenge left unanswered
    clock.advance(31 * MINUTE);
    // The app's sweeper runs this every 10 minutes.
    await new SessionsStore(s.app.store.db, clock).purgeExpired();
    const left = await s.app.store.db
      .selectFrom('sessions')
      .select('id_hash')
      .where('id_hash', '=', hashToken(cookie.split('=')[1]!))
      .execute();
    expect(left).toEqual([]);
    const challenges = await s.app.store.db
      .selectFrom('login_challenges')
      .select('expires_at')
      .where('agent_id', '=', a.id)
      .where('expires_at', '<', clock.now().toISOString())
      .execute();
    expect(challenges).toEqual([]);
  });
});
