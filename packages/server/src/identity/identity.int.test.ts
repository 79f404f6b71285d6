/**
 * Identity over a real server: the host site's token exchange (every way it can fail, and that a
 * failure creates nothing), key rotation, staff sign-in, throttling, CSRF, logout and session expiry.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  postJson,
  siteToken,
  staffLogin,
  startServer,
  storeUnavailable,
  TEST_SECRET,
  TestSocket,
  widgetSession,
  type TestServer,
} from '../../test/helpers.js';
import { hashToken } from './sessions.store.js';

const skip = await storeUnavailable();

const nowSeconds = () => Math.floor(Date.now() / 1000);
const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** Counts of what a token exchange may create; a failed exchange must leave them unchanged. */
async function created(s: TestServer) {
  const db = s.app.store.db;
  const n = async (t: 'conversations' | 'sessions' | 'messages') =>
    Number(
      (
        await db
          .selectFrom(t)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { conversations: await n('conversations'), sessions: await n('sessions'), messages: await n('messages') };
}

async function expectError(r: { status: number; json: any }, status: number, code: string) {
  expect({ status: r.status, code: r.json?.error?.code }).toEqual({ status, code });
  expect(typeof r.json.error.message).toBe('string');
}

describe.skipIf(skip)('identity: host-site token exchange', () => {
  let s: TestServer;
  const exchange = (body: unknown, headers?: Record<string, string>) =>
    postJson(`${s.url}/api/widget/session`, body, headers);

  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(async () => s?.close());

  it('a valid token opens a session and a greeted conversation for that card', async () => {
    const before = await created(s);
    const r = await exchange({ token: await siteToken({ sub: 'cm_jose', card: 'card_jose_green' }) });
    expect(r.status).toBe(201);
    expect(r.json.cardmember).toMatchObject({ id: 'cm_jose', firstName: 'José', language: 'es' });
    expect(r.json.conversation.card.last4).toBe('3007');
    expect(r.json.messages.length).toBeGreaterThan(0);
    const after = await created(s);
    expect(after.conversations).toBe(before.conversations + 1);
    expect(after.sessions).toBe(before.sessions + 1);
  });

  // Every failure: the right status and code, and nothing created.
  const failures: Array<[string, () => Promise<unknown> | unknown, number, string]> = [
    ['an empty object (no token)', () => ({}), 401, 'token_missing'],
    ['garbage', () => ({ token: 'definitely-not-a-jwt' }), 401, 'token_invalid'],
    ['three garbage segments', () => ({ token: 'aaa.bbb.ccc' }), 401, 'token_invalid'],
    [
      'a token signed with another secret',
      async () => ({ token: await siteToken({}, { secret: 'another-secret-another-secret-another-secret' }) }),
      401,
      'token_invalid',
    ],
    [
      'an expired token',
      async () => ({ token: await siteToken({}, { iat: nowSeconds() - 300, expiresIn: nowSeconds() - 60 }) }),
      401,
      'token_expired',
    ],
    [
      'a token issued more than 10 minutes ago, though exp is still ahead',
      async () => ({ token: await siteToken({}, { iat: nowSeconds() - 660, expiresIn: nowSeconds() + 300 }) }),
      401,
      'token_expired',
    ],
    [
      'an expired token signed with another secret (no hint that it expired)',
      async () => ({
        token: await siteToken(
          {},
          {
            secret: 'another-secret-another-secret-another-secret',
            iat: nowSeconds() - 300,
            expiresIn: nowSeconds() - 60,
          },
        ),
      }),
      401,
      'token_invalid',
    ],
    [
      'a token issued in the future',
      async () => ({ token: await siteToken({}, { iat: nowSeconds() + 600, expiresIn: nowSeconds() + 900 }) }),
      401,
      'token_invalid',
    ],
    ['the wrong issuer', async () => ({ token: await siteToken({}, { issuer: 'evil-site' }) }), 401, 'token_invalid'],
    [
      'the wrong audience',
      async () => ({ token: await siteToken({}, { audience: 'someone-else' }) }),
      401,
      'token_invalid',
    ],
    [
      "another cardmember's card",
      async () => ({ token: await siteToken({ sub: 'cm_maria', card: 'card_jose_green' }) }),
      401,
      'token_invalid',
    ],
    [
      'an unknown cardmember',
      async () => ({ token: await siteToken({ sub: 'cm_nobody', card: 'card_maria_gold' }) }),
      401,
      'token_invalid',
    ],
    [
      'an unknown card',
      async () => ({ token: await siteToken({ sub: 'cm_maria', card: 'card_nope' }) }),
      401,
      'token_invalid',
    ],
    ['a jti that is too short', async () => ({ token: await siteToken({ jti: 'abc' }) }), 401, 'token_invalid'],
    [
      'alg: none',
      () => {
        const t = nowSeconds();
        const payload = {
          iss: 'carechat-demo-site',
          aud: 'carechat',
          sub: 'cm_maria',
          card: 'card_maria_gold',
          jti: randomUUID(),
          iat: t,
          exp: t + 300,
        };
        return { token: `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(payload)}.` };
      },
      401,
      'token_invalid',
    ],
    [
      'HS512 with the right secret (algorithm not allowed)',
      async () => ({
        token: await new SignJWT({ card: 'card_maria_gold' })
          .setProtectedHeader({ alg: 'HS512' })
          .setSubject('cm_maria')
          .setIssuer('carechat-demo-site')
          .setAudience('carechat')
          .setJti(randomUUID())
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode(TEST_SECRET)),
      }),
      401,
      'token_invalid',
    ],
    [
      'no jti claim',
      async () => ({
        token: await new SignJWT({ card: 'card_maria_gold' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('cm_maria')
          .setIssuer('carechat-demo-site')
          .setAudience('carechat')
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode(TEST_SECRET)),
      }),
      401,
      'token_invalid',
    ],
    [
      'no card claim',
      async () => ({
        token: await new SignJWT({})
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('cm_maria')
          .setIssuer('carechat-demo-site')
          .setAudience('carechat')
          .setJti(randomUUID())
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode(TEST_SECRET)),
      }),
      401,
      'token_invalid',
    ],
    ['malformed JSON', () => '{"token": "abc', 400, 'bad_request'],
    ['a token that is not a string', () => ({ token: 12345 }), 400, 'bad_request'],
    ['a token longer than 4096 characters', () => ({ token: 'x'.repeat(5000) }), 400, 'bad_request'],
    ['a body over 64 KiB', () => ({ token: 'x'.repeat(70 * 1024) }), 413, 'payload_too_large'],
  ];

  it.each(failures)('rejects %s and creates nothing', async (_name, body, status, code) => {
    const before = await created(s);
    await expectError(await exchange(await body()), status, code);
    expect(await created(s)).toEqual(before);
  });

  it('rejects a request with no body at all as token_missing, creating nothing', async () => {
    const before = await created(s);
    const res = await fetch(`${s.url}/api/widget/session`, { method: 'POST' });
    expect(res.status).toBe(401);
    expect(((await res.json()) as any).error.code).toBe('token_missing');
    expect(await created(s)).toEqual(before);
  });

  it('accepts a token once: the replay is token_replayed and creates nothing', async () => {
    const token = await siteToken({ sub: 'cm_sam', card: 'card_sam_blue' });
    const first = await exchange({ token });
    expect(first.status).toBe(201);
    const before = await created(s);
    await expectError(await exchange({ token }), 401, 'token_replayed');
    expect(await created(s)).toEqual(before);
    // A new token (new jti) for the same card works and finds the same open conversation.
    const again = await exchange({ token: await siteToken({ sub: 'cm_sam', card: 'card_sam_blue' }) });
    expect(again.status).toBe(201);
    expect(again.json.conversation.id).toBe(first.json.conversation.id);
    expect(again.json.sessionToken).not.toBe(first.json.sessionToken);
  });

  it('the same jti in a differently signed token is still a replay', async () => {
    const jti = randomUUID();
    expect((await exchange({ token: await siteToken({ jti }) })).status).toBe(201);
    const r = await exchange({ token: await siteToken({ jti, lang: 'es' }) });
    await expectError(r, 401, 'token_replayed');
  });

  it('several tabs opening at once for one card share one open conversation', async () => {
    const tokens = await Promise.all(
      [1, 2, 3, 4].map(() => siteToken({ sub: 'cm_jose', card: 'card_jose_green', lang: 'es' })),
    );
    // Close whatever an earlier test left open for this card, so all four race to create one.
    await s.app.store.db
      .updateTable('conversations')
      .set({ status: 'closed' })
      .where('card_id', '=', 'card_jose_green')
      .execute();
    const results = await Promise.all(tokens.map((token) => exchange({ token })));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(results.map((r) => r.json.conversation.id)).size).toBe(1);
    const open = await s.app.store.db
      .selectFrom('conversations')
      .select('id')
      .where('card_id', '=', 'card_jose_green')
      .where('status', '!=', 'closed')
      .execute();
    expect(open).toHaveLength(1);
  });

  it('the conversation lookup behind the exchange cannot create two open chats for one card', async () => {
    // The step of the exchange that races (find open chat, else create), without HTTP timing noise.
    const open = () =>
      s.app.services.conversations.openForCard({ cardmemberId: 'cm_maria', cardId: 'card_maria_biz', language: 'en' });
    await s.app.store.db
      .updateTable('conversations')
      .set({ status: 'closed' })
      .where('card_id', '=', 'card_maria_biz')
      .execute();
    const rows = await Promise.all([open(), open(), open(), open(), open()]);
    expect(new Set(rows.map((r) => r.id)).size).toBe(1);
    const openRows = await s.app.store.db
      .selectFrom('conversations')
      .select('id')
      .where('card_id', '=', 'card_maria_biz')
      .where('status', '!=', 'closed')
      .execute();
    expect(openRows).toHaveLength(1);
    await s.app.services.conversations.idle();
    // Greeted once, not once per racer.
    const greetings = await s.app.store.db
      .selectFrom('messages')
      .select('seq')
      .where('conversation_id', '=', rows[0]!.id)
      .where('author_type', '=', 'assistant')
      .execute();
    expect(greetings.length).toBeGreaterThan(0);
    await s.app.store.db
      .updateTable('conversations')
      .set({ status: 'closed' })
      .where('card_id', '=', 'card_sam_blue')
      .execute();
    const single = await s.app.services.conversations.openForCard({
      cardmemberId: 'cm_sam',
      cardId: 'card_sam_blue',
      language: 'en',
    });
    const singleGreetings = await s.app.store.db
      .selectFrom('messages')
      .select('seq')
      .where('conversation_id', '=', single.id)
      .where('author_type', '=', 'assistant')
      .execute();
    expect(greetings.length).toBe(singleGreetings.length);
  });

  it('two racing exchanges of one token: exactly one wins', async () => {
    const token = await siteToken({ sub: 'cm_maria', card: 'card_maria_biz' });
    const results = await Promise.all([exchange({ token }), exchange({ token }), exchange({ token })]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 401, 401]);
    for (const r of results.filter((x) => x.status === 401)) expect(r.json.error.code).toBe('token_replayed');
  });
});

describe.skipIf(skip)('identity: key rotation', () => {
  const NEW_SECRET = 'rotated-new-secret-0123456789-abcdefghijklmnop';
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ env: { IDENTITY_SECRETS: `${NEW_SECRET},${TEST_SECRET}` } });
  });
  afterAll(async () => s?.close());

  it('accepts tokens signed with the new and with the previous secret, not with any other', async () => {
    const withNew = await postJson(`${s.url}/api/widget/session`, {
      token: await siteToken({}, { secret: NEW_SECRET }),
    });
    expect(withNew.status).toBe(201);
    const withOld = await postJson(`${s.url}/api/widget/session`, {
      token: await siteToken({ sub: 'cm_sam', card: 'card_sam_blue' }, { secret: TEST_SECRET }),
    });
    expect(withOld.status).toBe(201);
    expect(withOld.json.cardmember.id).toBe('cm_sam');
    const withOther = await postJson(`${s.url}/api/widget/session`, {
      token: await siteToken({}, { secret: 'some-third-secret-0123456789-abcdefghijklmno' }),
    });
    await expectError(withOther, 401, 'token_invalid');
  });

  it('an expired token signed with the older secret is token_expired', async () => {
    const token = await siteToken({}, { secret: TEST_SECRET, iat: nowSeconds() - 300, expiresIn: nowSeconds() - 30 });
    await expectError(await postJson(`${s.url}/api/widget/session`, { token }), 401, 'token_expired');
  });
});

describe.skipIf(skip)('identity: widget sessions', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(async () => s?.close());

  it('an unknown bearer is unauthorized, not expired', async () => {
    const res = await fetch(`${s.url}/api/widget/conversations`, {
      method: 'POST',
      headers: { authorization: 'Bearer nope' },
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as any).error.code).toBe('unauthorized');
    await expect(TestSocket.open(s, { sessionToken: 'nope' })).rejects.toMatchObject({ status: 401 });
  });

  it('an expired session gives session_expired on HTTP and the WebSocket upgrade is refused with 401', async () => {
    const session = await widgetSession(s, { sub: 'cm_sam', card: 'card_sam_blue' });
    const convId = session.conversation.id;
    const get = () =>
      fetch(`${s.url}/api/widget/conversations/${convId}/messages?after=0`, {
        headers: { authorization: `Bearer ${session.sessionToken}` },
      });

    // Live: both transports accept it.
    expect((await get()).status).toBe(200);
    const live = await TestSocket.open(s, { sessionToken: session.sessionToken });
    await live.handshake(convId, 0);
    live.terminate();

    const expired = await s.app.store.db
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id_hash', '=', hashToken(session.sessionToken))
      .executeTakeFirst();
    expect(Number(expired.numUpdatedRows)).toBe(1);

    const res = await get();
    expect(res.status).toBe(401);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(((await res.json()) as any).error.code).toBe('session_expired');
    const start = await fetch(`${s.url}/api/widget/conversations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.sessionToken}` },
    });
    expect(start.status).toBe(401);
    expect(((await start.json()) as any).error.code).toBe('session_expired');

    const upgrade = TestSocket.open(s, { sessionToken: session.sessionToken });
    await expect(upgrade).rejects.toMatchObject({ status: 401, body: { error: { code: 'session_expired' } } });
  });
});

describe.skipIf(skip)('identity: staff sign-in, CSRF and logout', () => {
  let s: TestServer;
  const login = (email: string, password: string) => postJson(`${s.url}/api/auth/login`, { email, password });

  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(async () => s?.close());

  it('a wrong password and an unknown email get the same 401 invalid_credentials answer', async () => {
    const wrong = await login('ana@carechat.test', 'not-her-password');
    const unknown = await login('nobody@carechat.test', 'whatever-password');
    await expectError(wrong, 401, 'invalid_credentials');
    await expectError(unknown, 401, 'invalid_credentials');
    expect(unknown.json).toEqual(wrong.json);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    // The right password still works (the failure did not lock the account).
    expect((await login('ana@carechat.test', 'demo-ana-2024')).status).toBe(200);
  });

  it('after 5 failed logins the 6th attempt is 429 rate_limited, even with the right password', async () => {
    for (let i = 0; i < 5; i++)
      await expectError(await login('ben@carechat.test', `wrong-${i}`), 401, 'invalid_credentials');
    await expectError(await login('ben@carechat.test', 'wrong-again'), 429, 'rate_limited');
    const right = await login('ben@carechat.test', 'demo-ben-2024');
    await expectError(right, 429, 'rate_limited');
    expect(right.headers.get('set-cookie')).toBeNull();
    // Spelling the email differently is the same account.
    await expectError(await login('  BEN@carechat.test ', 'demo-ben-2024'), 429, 'rate_limited');
    // Other accounts are not affected.
    expect((await login('sofia@carechat.test', 'demo-sofia-2024')).status).toBe(200);
  });

  it('a write without the right x-csrf-token is 403 csrf_failed and changes nothing', async () => {
    const ana = await staffLogin(s);
    const other = await staffLogin(s, 'sofia@carechat.test', 'demo-sofia-2024');
    const statusOf = async () =>
      (
        await s.app.store.db
          .selectFrom('agents')
          .select('status')
          .where('id', '=', 'agent_ana')
          .executeTakeFirstOrThrow()
      ).status;
    const before = await statusOf();
    expect(before).not.toBe('away');

    const put = (headers: Record<string, string>) =>
      fetch(`${s.url}/api/agent/status`, {
        method: 'PUT',
        headers: { cookie: ana.cookie, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ status: 'away' }),
      });
    for (const headers of [{}, { 'x-csrf-token': 'forged' }, { 'x-csrf-token': other.csrf }] as Array<
      Record<string, string>
    >) {
      const res = await put(headers);
      expect(res.status).toBe(403);
      expect(((await res.json()) as any).error.code).toBe('csrf_failed');
    }
    expect(await statusOf()).toBe(before);

    // Logout is a write too: without the token it does nothing.
    const logout = await fetch(`${s.url}/api/auth/logout`, { method: 'POST', headers: { cookie: ana.cookie } });
    expect(logout.status).toBe(403);
    expect((await ana.call('GET', '/api/auth/me')).status).toBe(200);

    // Reads need no token; with the token the write goes through.
    const me = await fetch(`${s.url}/api/auth/me`, { headers: { cookie: ana.cookie } });
    expect(me.status).toBe(200);
    expect((await put({ 'x-csrf-token': ana.csrf })).status).toBe(200);
    expect(await statusOf()).toBe('away');
  });

  it('logout ends the session: the cookie stops working and open sockets close with 4403', async () => {
    const ana = await staffLogin(s);
    const other = await staffLogin(s, 'ana@carechat.test', 'demo-ana-2024'); // a second session of hers
    const ws = await TestSocket.open(s, { cookie: ana.cookie });
    await ws.handshake();
    const otherWs = await TestSocket.open(s, { cookie: other.cookie });
    await otherWs.handshake();

    const closed = ws.closed();
    const out = await ana.call('POST', '/api/auth/logout');
    expect(out.status).toBe(200);
    expect(await closed).toBe(4403);

    const me = await ana.call('GET', '/api/auth/me');
    expect(me.status).toBe(401);
    expect(me.json.error.code).toBe('unauthorized');
    expect((await ana.call('PUT', '/api/agent/status', { status: 'available' })).status).toBe(401);
    await expect(TestSocket.open(s, { cookie: ana.cookie })).rejects.toMatchObject({ status: 401 });

    const row = await s.app.store.db
      .selectFrom('sessions')
      .select(['revoked_at'])
      .where('id_hash', '=', hashToken(ana.cookie.split('=')[1]!))
      .executeTakeFirstOrThrow();
    expect(row.revoked_at).not.toBeNull();

    // Only that session ended: her other session and its socket live on.
    expect((await other.call('GET', '/api/auth/me')).status).toBe(200);
    expect(otherWs.closeCode).toBeNull();
    const pong = otherWs.next('pong');
    otherWs.send({ type: 'ping', nonce: 'still-here' });
    expect((await pong).nonce).toBe('still-here');
    otherWs.terminate();
  });
});
