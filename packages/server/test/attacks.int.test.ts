/**
 * Attack tests against a real server. Token forgery is covered where tokens are verified, in
 * src/identity/identity.int.test.ts ("rejects ... and creates nothing": another secret, expired, too
 * old, issued in the future, wrong issuer, wrong audience, alg: none, HS512, missing claims, another
 * cardmember's card, replay); this file adds what is missing there (tampered payloads, alg: none
 * spellings, credentials of one kind presented as another), then cross-site WebSockets, oversize
 * frames, floods and rate limits, idle sockets, ending a compromised session, and SQL
 * metacharacters in every text field of every route.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  postJson,
  siteToken,
  startServer,
  staffLogin,
  storeUnavailable,
  TestSocket,
  widgetSession,
  type TestServer,
} from './helpers.js';

const skip = await storeUnavailable();

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const nowSeconds = () => Math.floor(Date.now() / 1000);

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, json, text, headers: res.headers };
}

async function count(s: TestServer, table: 'messages' | 'conversations' | 'sessions'): Promise<number> {
  const r = await s.app.store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

describe.skipIf(skip)('attacks', () => {
  let s: TestServer;
  beforeAll(async () => {
    // The sweeps below send hundreds of frames on one socket; floods have their own server further down.
    s = await startServer({ env: { WS_RATE_PER_SECOND: '10000', WS_BURST: '100000' } });
  });
  afterAll(async () => s?.close());

  describe('forged and misused credentials (beyond identity.int.test.ts)', () => {
    it('a valid token with its payload swapped for another cardmember is refused', async () => {
      const good = await siteToken({ sub: 'cm_maria', card: 'card_maria_gold' });
      const [header, , signature] = good.split('.');
      const t = nowSeconds();
      const forged = b64url({
        iss: 'carechat-demo-site',
        aud: 'carechat',
        sub: 'cm_sam',
        card: 'card_sam_blue',
        jti: randomUUID(),
        iat: t,
        exp: t + 300,
      });
      const r = await postJson(`${s.url}/api/widget/session`, { token: `${header}.${forged}.${signature}` });
      expect({ status: r.status, code: r.json.error.code }).toEqual({ status: 401, code: 'token_invalid' });
    });

    it('alg "none" in any spelling, with or without a signature, is refused', async () => {
      const t = nowSeconds();
      const payload = b64url({
        iss: 'carechat-demo-site',
        aud: 'carechat',
        sub: 'cm_maria',
        card: 'card_maria_gold',
        jti: randomUUID(),
        iat: t,
        exp: t + 300,
      });
      const realSig = (await siteToken()).split('.')[2];
      for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
        for (const sig of ['', realSig]) {
          const r = await postJson(`${s.url}/api/widget/session`, {
            token: `${b64url({ alg, typ: 'JWT' })}.${payload}.${sig}`,
          });
          expect({ alg, sig: !!sig, status: r.status, code: r.json.error.code }).toEqual({
            alg,
            sig: !!sig,
            status: 401,
            code: 'token_invalid',
          });
        }
      }
    });

    it('a token whose header points at another key (kid, jku, jwk) is still checked against our secret', async () => {
      const other = new TextEncoder().encode('attacker-secret-attacker-secret-attacker');
      const token = await new SignJWT({ card: 'card_maria_gold' })
        .setProtectedHeader({ alg: 'HS256', kid: '../../../../dev/null', jku: 'https://evil.example/jwks.json' })
        .setSubject('cm_maria')
        .setIssuer('carechat-demo-site')
        .setAudience('carechat')
        .setJti(randomUUID())
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(other);
      const r = await postJson(`${s.url}/api/widget/session`, { token });
      expect({ status: r.status, code: r.json.error.code }).toEqual({ status: 401, code: 'token_invalid' });
    });

    it('a site token is not a chat session: as a bearer and as a socket credential it is refused', async () => {
      const token = await siteToken();
      const r = await get(`${s.url}/api/widget/conversations/x/messages`, { authorization: `Bearer ${token}` });
      expect(r.status).toBe(401);
      await expect(TestSocket.open(s, { sessionToken: token })).rejects.toMatchObject({ status: 401 });
    });

    it('a staff session is not a chat session and a chat session is not a staff session', async () => {
      const cm = await widgetSession(s, { sub: 'cm_sam', card: 'card_sam_blue' });
      const ana = await staffLogin(s);
      const staffToken = ana.cookie.split('=')[1]!;
      // The staff token as a widget bearer, over HTTP and WebSocket.
      const asBearer = await get(`${s.url}/api/widget/conversations/${cm.conversation.id}/messages`, {
        authorization: `Bearer ${staffToken}`,
      });
      expect(asBearer.status).toBe(401);
      await expect(TestSocket.open(s, { sessionToken: staffToken })).rejects.toMatchObject({ status: 401 });
      // The chat session as the staff cookie.
      const asCookie = await get(`${s.url}/api/auth/me`, { cookie: `cc_staff=${cm.sessionToken}` });
      expect(asCookie.status).toBe(401);
      await expect(TestSocket.open(s, { cookie: `cc_staff=${cm.sessionToken}` })).rejects.toMatchObject({
        status: 401,
      });
    });
  });

  describe('cross-site WebSocket hijacking', () => {
    it('a valid staff cookie from a foreign Origin is refused at the upgrade; the same cookie same-origin works', async () => {
      const ana = await staffLogin(s);
      const port = new URL(s.url).port;
      const foreign = [
        'https://evil.example',
        'null',
        `http://127.0.0.1:${Number(port) + 1}`, // same host, another port: another origin
        `http://127.0.0.1:${port}.evil.example`,
        `http://evil.example#@127.0.0.1:${port}`,
        'file://',
        'chrome-extension://abcdefghijklmnop',
      ];
      for (const origin of foreign) {
        await expect(TestSocket.open(s, { cookie: ana.cookie, origin }), origin).rejects.toMatchObject({
          status: 403,
          body: { error: { code: 'forbidden' } },
        });
      }
      const ok = await TestSocket.open(s, { cookie: ana.cookie });
      await ok.handshake();
      ok.terminate();
    });

    it('with ALLOWED_ORIGINS set, only those exact origins may connect', async () => {
      const t = await startServer({ env: { ALLOWED_ORIGINS: 'https://bank.example' } });
      try {
        const cm = await widgetSession(t, { sub: 'cm_sam', card: 'card_sam_blue' });
        for (const origin of ['https://bank.example.evil.example', 'http://bank.example', t.origin]) {
          await expect(TestSocket.open(t, { sessionToken: cm.sessionToken, origin }), origin).rejects.toMatchObject({
            status: 403,
          });
        }
        const ok = await TestSocket.open(t, { sessionToken: cm.sessionToken, origin: 'https://bank.example' });
        await ok.handshake();
        ok.terminate();
      } finally {
        await t.close();
      }
    });
  });

  describe('oversize input', () => {
    it('a staff socket sending a frame over 64 KiB gets frame_too_large and close 1009; nothing is stored', async () => {
      const ana = await staffLogin(s);
      const sock = await TestSocket.open(s, { cookie: ana.cookie });
      await sock.handshake();
      const before = await count(s, 'messages');
      sock.send({ type: 'send', conversationId: 'x', clientMsgId: randomUUID(), body: 'x'.repeat(70 * 1024) });
      expect((await sock.next('error')).code).toBe('frame_too_large');
      expect(await sock.closed()).toBe(1009);
      expect(await count(s, 'messages')).toBe(before);
    });

    it('a frame far beyond the cap, even before hello, closes the socket with 1009', async () => {
      const cm = await widgetSession(s, { sub: 'cm_sam', card: 'card_sam_blue' });
      const sock = await TestSocket.open(s, { sessionToken: cm.sessionToken });
      sock.send('y'.repeat(1024 * 1024));
      expect(await sock.closed()).toBe(1009);
    });

    it('HTTP bodies over 64 KiB are 413 payload_too_large on every JSON route', async () => {
      const big = { email: 'a@b.c', password: 'p', token: 'x'.repeat(70 * 1024) };
      for (const path of [
        '/api/widget/session',
        '/api/auth/login',
        '/api/auth/login/totp',
        '/api/widget/session/end',
      ]) {
        const r = await postJson(`${s.url}${path}`, big);
        expect({ path, status: r.status, code: r.json?.error?.code }).toEqual({
          path,
          status: 413,
          code: 'payload_too_large',
        });
      }
    });
  });

  describe('ending a session the cardmember thinks is compromised', () => {
    it('revokes the session, closes every socket of it, ends the chat, and leaves other sessions alone', async () => {
      const session = await widgetSession(s, { sub: 'cm_jose', card: 'card_jose_green' });
      const convId = session.conversation.id;
      const tab1 = await TestSocket.open(s, { sessionToken: session.sessionToken });
      await tab1.handshake(convId);
      const tab2 = await TestSocket.open(s, { sessionToken: session.sessionToken });
      await tab2.handshake(convId);
      const bystander = await widgetSession(s, { sub: 'cm_sam', card: 'card_sam_blue' });
      const other = await TestSocket.open(s, { sessionToken: bystander.sessionToken });
      await other.handshake(bystander.conversation.id);

      const closed1 = tab1.closed();
      const closed2 = tab2.closed();
      const r = await postJson(
        `${s.url}/api/widget/session/end`,
        {},
        {
          authorization: `Bearer ${session.sessionToken}`,
        },
      );
      expect(r.status).toBe(200);
      expect(r.json.ok).toBe(true);
      expect(r.json.conversation).toMatchObject({ id: convId, status: 'closed' });
      expect(await closed1).toBe(4403);
      expect(await closed2).toBe(4403);

      // The token is dead everywhere.
      const after = await get(`${s.url}/api/widget/conversations/${convId}/messages`, {
        authorization: `Bearer ${session.sessionToken}`,
      });
      expect(after.status).toBe(401);
      await expect(TestSocket.open(s, { sessionToken: session.sessionToken })).rejects.toMatchObject({ status: 401 });
      const again = await postJson(
        `${s.url}/api/widget/session/end`,
        {},
        {
          authorization: `Bearer ${session.sessionToken}`,
        },
      );
      expect(again.status).toBe(401);

      // The chat is closed and says who ended it; a fresh sign-in on the site starts a new one.
      const row = await s.app.store.db
        .selectFrom('conversations')
        .select(['status', 'closed_by'])
        .where('id', '=', convId)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'closed', closed_by: 'cardmember' });
      const fresh = await widgetSession(s, { sub: 'cm_jose', card: 'card_jose_green' });
      expect(fresh.conversation.id).not.toBe(convId);

      // Someone else's session and socket are untouched.
      expect(other.closeCode).toBeNull();
      const pong = other.next('pong');
      other.send({ type: 'ping', nonce: 'still-here' });
      expect((await pong).nonce).toBe('still-here');
      other.terminate();
    });

    it('needs the session itself: no bearer, a bad bearer or a staff cookie cannot end anything', async () => {
      const ana = await staffLogin(s);
      expect((await postJson(`${s.url}/api/widget/session/end`, {})).status).toBe(401);
      expect((await postJson(`${s.url}/api/widget/session/end`, {}, { authorization: 'Bearer nope' })).status).toBe(
        401,
      );
      expect((await ana.call('POST', '/api/widget/session/end')).status).toBe(401);
    });
  });

  describe('SQL metacharacters in every text field of every route', () => {
    const PAYLOADS = [
      "'; DROP TABLE messages; --",
      '" OR 1=1 --',
      "' OR '1'='1' /*",
      "1); DELETE FROM sessions; SELECT ('",
      "\\'; DROP TABLE cardmembers; --",
      '%_\\%',
      '$1 $$ $body$ :name ? @p0',
      'Robert\u0000); DROP TABLE conversations;--',
      '\u0000',
      'Ünïcödé ☃ 中文 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🙂 \u202eRTL\u202c עברית',
    ];
    const hasNul = (p: string) => p.includes('\u0000');
    let failures: string[] = [];
    /** Records anything but a clean 4xx (or the allowed successes). */
    const check = (where: string, status: number, allowed: number[] = []) => {
      if (!(status >= 400 && status < 500) && !allowed.includes(status)) failures.push(`${where}: ${status}`);
    };

    let ana: Awaited<ReturnType<typeof staffLogin>>;
    let admin: Awaited<ReturnType<typeof staffLogin>>;
    let cm: Awaited<ReturnType<typeof widgetSession>>;
    let siteCookie: string;
    beforeAll(async () => {
      ana = await staffLogin(s);
      admin = await staffLogin(s, 'admin@carechat.test', 'demo-admin-2024');
      cm = await widgetSession(s, { sub: 'cm_maria', card: 'card_maria_biz' });
      const login = await fetch(`${s.url}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: s.origin },
        body: new URLSearchParams({ username: 'maria', password: 'demo-maria-2024' }),
      });
      siteCookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
      expect(siteCookie).toMatch(/^site_session=/);
    });

    it('HTTP: bodies, paths, query strings, headers and forms answer a clean 4xx, never a 500', async () => {
      failures = [];
      const bearer = { authorization: `Bearer ${cm.sessionToken}` };
      for (const p of PAYLOADS) {
        const enc = encodeURIComponent(p);
        const tag = JSON.stringify(p);
        // JSON bodies.
        check(`widget token ${tag}`, (await postJson(`${s.url}/api/widget/session`, { token: p })).status);
        check(`login email ${tag}`, (await postJson(`${s.url}/api/auth/login`, { email: p, password: 'x' })).status);
        check(
          `login email@ ${tag}`,
          (await postJson(`${s.url}/api/auth/login`, { email: `${p}@carechat.test`, password: 'x' })).status,
        );
        check(
          `login password ${tag}`,
          (await postJson(`${s.url}/api/auth/login`, { email: `nobody-${randomUUID()}@carechat.test`, password: p }))
            .status,
        );
        check(`totp ${tag}`, (await postJson(`${s.url}/api/auth/login/totp`, { challenge: p, code: p })).status);
        check(`agent status ${tag}`, (await ana.call('PUT', '/api/agent/status', { status: p })).status);
        // Ids in paths, on both audiences.
        for (const path of ['', '/transcript', '/context']) {
          check(`staff GET :id${path} ${tag}`, (await ana.call('GET', `/api/conversations/${enc}${path}`)).status);
        }
        for (const path of ['/accept', '/end']) {
          check(`staff POST :id${path} ${tag}`, (await ana.call('POST', `/api/conversations/${enc}${path}`)).status);
        }
        for (const path of ['/messages', '/transcript']) {
          const r = await get(`${s.url}/api/widget/conversations/${enc}${path}`, bearer);
          check(`widget GET :id${path} ${tag}`, r.status);
        }
        const end = await postJson(`${s.url}/api/widget/conversations/${enc}/end`, {}, bearer);
        check(`widget POST :id/end ${tag}`, end.status);
        // Query strings.
        check(`view= ${tag}`, (await ana.call('GET', `/api/conversations?view=${enc}`)).status);
        check(`reason= ${tag}`, (await ana.call('GET', `/api/conversations?reason=${enc}`)).status, [200]);
        const after = await get(
          `${s.url}/api/widget/conversations/${cm.conversation.id}/messages?after=${enc}`,
          bearer,
        );
        check(`after= ${tag}`, after.status);
        // Credentials in headers (a header cannot carry NUL or non-Latin-1: fetch refuses to send those).
        if (!hasNul(p) && /^[\x20-\x7e]*$/.test(p)) {
          check(
            `bearer ${tag}`,
            (await get(`${s.url}/api/widget/conversations/x/messages`, { authorization: `Bearer ${p}` })).status,
          );
        }
        check(`staff cookie ${tag}`, (await get(`${s.url}/api/auth/me`, { cookie: `cc_staff=${enc}` })).status);
        // The demo site: sign-in form, language query, card path, chat-token body.
        const form = await fetch(`${s.url}/login`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin: s.origin },
          body: new URLSearchParams({ username: p, password: p }),
        });
        check(`site login ${tag}`, form.status);
        check(`site ?lang= ${tag}`, (await get(`${s.url}/?lang=${enc}`)).status, [200]);
        check(`site card path ${tag}`, (await get(`${s.url}/account/cards/${enc}`, { cookie: siteCookie })).status);
        const chatToken = await fetch(`${s.url}/site/api/chat-token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: s.origin, cookie: siteCookie },
          body: JSON.stringify({ cardId: p }),
        });
        check(`site chat-token cardId ${tag}`, chatToken.status);
      }
      // Numbers far outside what the store holds are refused, not queried.
      for (const n of ['99999999999', '9007199254740993', '1e308', '-1', '1.5', 'NaN']) {
        const r = await get(`${s.url}/api/widget/conversations/${cm.conversation.id}/messages?after=${n}`, bearer);
        check(`after=${n}`, r.status);
      }
      expect(failures).toEqual([]);
    });

    it("an admin's reason is stored verbatim in the audit log, whatever characters it holds", async () => {
      failures = [];
      const convId = cm.conversation.id;
      for (const p of PAYLOADS) {
        const reason = `Review for case 77: ${p} (QA)`;
        const r = await admin.call('GET', `/api/conversations/${convId}?reason=${encodeURIComponent(reason)}`);
        check(`reason ${JSON.stringify(p)}`, r.status, [200]);
        if (r.status !== 200) continue;
        const rows = await s.app.store.db
          .selectFrom('audit_log')
          .select('details')
          .where('conversation_id', '=', convId)
          .where('operation', '=', 'conversation.viewed_with_reason')
          .execute();
        expect(rows.map((x) => (JSON.parse(x.details) as { reason: string }).reason)).toContain(reason);
      }
      expect(failures).toEqual([]);
    });

    it('WebSocket: chat bodies are stored and read back verbatim; ids and other fields get bad_frame', async () => {
      failures = [];
      const convId = cm.conversation.id;
      const sock = await TestSocket.open(s, { sessionToken: cm.sessionToken });
      await sock.handshake(convId, cm.conversation.lastSeq);
      const watcher = await TestSocket.open(s, { sessionToken: cm.sessionToken });
      await watcher.handshake(convId, 0);
      const stored: string[] = [];
      for (const p of PAYLOADS) {
        const clientMsgId = randomUUID();
        sock.send({ type: 'send', conversationId: convId, clientMsgId, body: p });
        const answer = await Promise.race([
          sock.next('ack', (f) => f.clientMsgId === clientMsgId),
          // A frame that fails the schema is answered without ids: it was never understood.
          sock.next('error', (f) => f.clientMsgId === clientMsgId || f.code === 'bad_frame'),
        ]);
        if (answer.type === 'error') {
          // NUL cannot be stored in PostgreSQL text; it must be a clean refusal, never `internal`.
          expect({ p, code: answer.code }).toEqual({ p, code: hasNul(p) ? 'bad_frame' : 'none' });
          continue;
        }
        expect(answer.body, JSON.stringify(p)).toBe(p);
        // The watcher's copy may have come before the sender's ack.
        const seen = await watcher.seenOrNext('message', (f) => f.message.clientMsgId === clientMsgId);
        expect(seen.message.body).toBe(p);
        stored.push(p);
      }
      expect(stored.length).toBeGreaterThanOrEqual(PAYLOADS.filter((p) => !hasNul(p)).length);
      // Read back over HTTP, and in the transcript.
      const back = await get(`${s.url}/api/widget/conversations/${convId}/messages?after=0`, {
        authorization: `Bearer ${cm.sessionToken}`,
      });
      const bodies = (back.json.messages as Array<{ body: string }>).map((m) => m.body);
      for (const p of stored) expect(bodies).toContain(p);
      const transcript = await get(`${s.url}/api/widget/conversations/${convId}/transcript`, {
        authorization: `Bearer ${cm.sessionToken}`,
      });
      for (const p of stored) expect(transcript.text).toContain(p);

      // Every other string field of every frame type.
      for (const p of PAYLOADS) {
        const frames = [
          { type: 'subscribe', conversationId: p, lastSeq: 0 },
          { type: 'unsubscribe', conversationId: p },
          { type: 'typing', conversationId: p, state: 'start' },
          { type: 'typing', conversationId: convId, state: p },
          { type: 'send', conversationId: p, clientMsgId: randomUUID(), body: 'x' },
          { type: 'send', conversationId: convId, clientMsgId: p, body: 'x' },
          { type: p },
          { type: 'subscribe', conversationId: convId, lastSeq: Number.MAX_SAFE_INTEGER },
          { type: 'subscribe', conversationId: convId, lastSeq: -1 },
        ];
        for (const frame of frames) {
          const e = sock.next('error');
          sock.send(frame);
          expect({ frame, code: (await e).code }).toEqual({ frame, code: 'bad_frame' });
        }
        // Free-form fields are accepted and never interpreted.
        const welcome = sock.next('welcome');
        sock.send({ type: 'hello', protocol: 1, client: p });
        await welcome;
        const pong = sock.next('pong', (f) => f.nonce === p);
        sock.send({ type: 'ping', nonce: p });
        expect((await pong).nonce).toBe(p);
      }
      sock.terminate();
      watcher.terminate();
      await s.app.services.conversations.idle();
      expect(failures).toEqual([]);
    });

    it('after all of it every table is still there and sign-in still works', async () => {
      const db = s.app.store.db;
      for (const t of [
        'messages',
        'conversations',
        'cardmembers',
        'sessions',
        'agents',
        'audit_log',
        'events',
      ] as const) {
        const r = await db
          .selectFrom(t)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        expect(Number(r.n), t).toBeGreaterThan(0);
      }
      await staffLogin(s, 'ben@carechat.test', 'demo-ben-2024');
      await widgetSession(s, { sub: 'cm_sam', card: 'card_sam_blue' });
    });
  });
});

describe.skipIf(skip)('floods: one send budget per person', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ env: { RATE_LIMIT_SENDS: '5/60' } });
  });
  afterAll(async () => s?.close());

  it('one person gets one send budget across all their connections; another person is unaffected', async () => {
    // Two sessions (two tabs, two devices) for the same cardmember and card: one conversation.
    const a = await widgetSession(s, { sub: 'cm_maria', card: 'card_maria_gold' });
    const b = await widgetSession(s, { sub: 'cm_maria', card: 'card_maria_gold' });
    expect(b.conversation.id).toBe(a.conversation.id);
    const convId = a.conversation.id;
    const sockA = await TestSocket.open(s, { sessionToken: a.sessionToken });
    await sockA.handshake(convId);
    const sockB = await TestSocket.open(s, { sessionToken: b.sessionToken });
    await sockB.handshake(convId);
    const before = await count(s, 'messages');
    const mine = () =>
      s.app.store.db
        .selectFrom('messages')
        .select('id')
        .where('conversation_id', '=', convId)
        .where('author_type', '=', 'cardmember')
        .execute();
    const ownBefore = (await mine()).length;

    const results: string[] = [];
    let retryAfterMs = 0;
    for (let i = 0; i < 8; i++) {
      const sock = i % 2 === 0 ? sockA : sockB;
      const clientMsgId = `flood-${i}-${randomUUID().slice(0, 8)}`;
      sock.send({ type: 'send', conversationId: convId, clientMsgId, body: `flood ${i}` });
      const f = await Promise.race([
        sock.next('ack', (x) => x.clientMsgId === clientMsgId),
        sock.next('error', (x) => x.clientMsgId === clientMsgId),
      ]);
      results.push(f.type === 'ack' ? 'ack' : f.code);
      if (f.type === 'error') retryAfterMs = f.retryAfterMs ?? 0;
    }
    expect(results).toEqual(['ack', 'ack', 'ack', 'ack', 'ack', 'rate_limited', 'rate_limited', 'rate_limited']);
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(60_000);
    expect((await mine()).length).toBe(ownBefore + 5);
    expect(await count(s, 'messages')).toBeGreaterThanOrEqual(before + 5);

    // The sockets stay open (a limit is not a punishment), and another cardmember can still send.
    expect(sockA.closeCode).toBeNull();
    const sam = await widgetSession(s, { sub: 'cm_sam', card: 'card_sam_blue' });
    const samSock = await TestSocket.open(s, { sessionToken: sam.sessionToken });
    await samSock.handshake(sam.conversation.id);
    samSock.send({ type: 'send', conversationId: sam.conversation.id, clientMsgId: randomUUID(), body: 'hello' });
    await samSock.next('ack');
    for (const x of [sockA, sockB, samSock]) x.terminate();
    await s.app.services.conversations.idle();
  });
});

describe.skipIf(skip)('rate limits per IP', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({
      env: { RATE_LIMIT_WIDGET_SESSION: '4/60', RATE_LIMIT_STAFF_LOGIN: '4/60', RATE_LIMIT_SITE_LOGIN: '3/60' },
    });
  });
  afterAll(async () => s?.close());

  it('widget session exchanges over the budget get 429 rate_limited with Retry-After', async () => {
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof postJson>> | null = null;
    for (let i = 0; i < 6; i++) {
      last = await postJson(`${s.url}/api/widget/session`, {
        token: await siteToken({ sub: 'cm_jose', card: 'card_jose_green' }),
      });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 429, 429]);
    expect(last!.json.error.code).toBe('rate_limited');
    const retryAfter = Number(last!.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Ending a session is never limited: a cardmember must always be able to get out.
    const session = await postJson(`${s.url}/api/widget/session/end`, {}, { authorization: 'Bearer nope' });
    expect(session.status).toBe(401);
  });

  it('staff sign-in (both steps count) over the budget is 429 even with the right password', async () => {
    await staffLogin(s, 'ana@carechat.test', 'demo-ana-2024'); // 2 requests
    const wrong = await postJson(`${s.url}/api/auth/login`, { email: 'ben@carechat.test', password: 'nope' });
    expect(wrong.status).toBe(401); // 3
    const bogus = await postJson(`${s.url}/api/auth/login/totp`, { challenge: 'x'.repeat(40), code: '000000' });
    expect(bogus.status).toBe(401); // 4
    const right = await postJson(`${s.url}/api/auth/login`, {
      email: 'sofia@carechat.test',
      password: 'demo-sofia-2024',
    });
    expect({ status: right.status, code: right.json.error?.code }).toEqual({ status: 429, code: 'rate_limited' });
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const step2 = await postJson(`${s.url}/api/auth/login/totp`, { challenge: 'x'.repeat(40), code: '000000' });
    expect(step2.status).toBe(429);
  });

  it('the demo site sign-in over the budget gets 429 with Retry-After, in words', async () => {
    const post = () =>
      fetch(`${s.url}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: s.origin },
        body: new URLSearchParams({ username: 'maria', password: 'wrong-password' }),
      });
    const statuses: number[] = [];
    let last: Response | null = null;
    for (let i = 0; i < 5; i++) {
      last = await post();
      statuses.push(last.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(last!.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await last!.text()).toMatch(/Too many attempts/);
    // Other pages are not limited.
    expect((await fetch(`${s.url}/`)).status).toBe(200);
  });
});

describe.skipIf(skip)('idle sockets', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ env: { WS_HEARTBEAT_MS: '150' } });
  });
  afterAll(async () => s?.close());

  it('a socket that sends nothing for 3 heartbeats is closed with 1001; one that pings stays open', async () => {
    const session = await widgetSession(s, { sub: 'cm_sam', card: 'card_sam_blue' });
    const silent = await TestSocket.open(s, { sessionToken: session.sessionToken });
    const welcome = silent.next('welcome');
    silent.send({ type: 'hello', protocol: 1 });
    expect((await welcome).heartbeatMs).toBe(150);
    const lively = await TestSocket.open(s, { sessionToken: session.sessionToken });
    await lively.handshake();
    const pinger = setInterval(() => lively.send({ type: 'ping' }), 100);
    const started = Date.now();
    expect(await silent.closed()).toBe(1001);
    const elapsed = Date.now() - started;
    // Closed on the first check after 3 silent heartbeats (the clock started at hello, a little earlier).
    expect(elapsed).toBeGreaterThanOrEqual(2 * 150);
    expect(elapsed).toBeLessThan(5_000);
    await new Promise((r) => setTimeout(r, 900));
    clearInterval(pinger);
    expect(lively.closeCode).toBeNull();
    lively.terminate();
  });
});
