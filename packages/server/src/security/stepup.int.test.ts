/**
 * Step-up verification against the real server (SQLite, or PostgreSQL with CARECHAT_TEST_DB=postgres):
 * device prompts answered on the demo device page, the last-4 + ZIP challenge with its lockout, the
 * assurance in the conversation view, and sensitive account actions refused until the chat is verified.
 * Time is the server's clock, moved by the tests.
 */
import type { ConversationView, StepUpResponse, WidgetSessionResponse } from '@carechat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  postJson,
  siteToken,
  startServer,
  staffLogin,
  storeUnavailable,
  TestSocket,
  type TestServer,
} from '../../test/helpers.js';
import { createLogger } from '../shared/logger.js';

const skip = await storeUnavailable();

/**
 * The server's clock: real time plus what the test has skipped ahead, so freshly signed site tokens
 * and TOTP codes are never "from the future".
 */
class TestClock {
  private offset = 0;
  now = () => new Date(Date.now() + this.offset);
  advance(ms: number) {
    this.offset += ms;
  }
}

/** `at` lies `expected` ms after "now", give or take the few seconds a test takes. */
function expectIn(at: string, expected: number, clock: TestClock) {
  const delta = Date.parse(at) - clock.now().getTime();
  expect(delta).toBeLessThanOrEqual(expected);
  expect(delta).toBeGreaterThan(expected - 10_000);
}

const MIN = 60_000;
const ENV = { STAFF_SESSION_IDLE_SECONDS: '86400' };

type Widget = WidgetSessionResponse;

/** A widget session, with a site token signed at the server's (possibly skipped-ahead) time. */
async function widgetSession(
  s: TestServer,
  claims: { sub?: string; card?: string } = {},
  clock?: TestClock,
): Promise<Widget> {
  const iat = Math.floor((clock ?? new TestClock()).now().getTime() / 1000);
  const token = await siteToken(claims, { iat, expiresIn: iat + 300 });
  const r = await postJson(`${s.url}/api/widget/session`, { token });
  if (r.status !== 201) throw new Error(`session failed: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json as Widget;
}

/** The cardmember's widget calling the step-up API with its bearer session. */
function widgetCall(s: TestServer, w: Widget) {
  return async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const res = await fetch(`${s.url}/api/widget/conversations/${w.conversation.id}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${w.sessionToken}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, json: (await res.json()) as any };
  };
}

/** Signs a persona in on the demo site; returns its session cookie. */
async function siteLogin(s: TestServer, username: string, password: string): Promise<string> {
  const res = await fetch(`${s.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: s.origin },
    body: new URLSearchParams({ username, password }).toString(),
  });
  if (res.status !== 303) throw new Error(`site login failed: ${res.status}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

/** The demo device page: GET shows the prompt, POST answers it. */
function device(s: TestServer, cookie: string | null) {
  const headers = (extra: Record<string, string> = {}) => ({ ...(cookie ? { cookie } : {}), ...extra });
  return {
    async view(url: string) {
      const res = await fetch(`${s.url}${url}`, { headers: headers() });
      return { status: res.status, html: await res.text() };
    },
    async answer(url: string, decision: string, origin: string | null = s.origin) {
      const res = await fetch(`${s.url}${url}`, {
        method: 'POST',
        redirect: 'manual',
        headers: headers({
          'content-type': 'application/x-www-form-urlencoded',
          ...(origin ? { origin } : {}),
        }),
        body: new URLSearchParams({ decision }).toString(),
      });
      return { status: res.status, html: await res.text() };
    },
  };
}

type Staff = Awaited<ReturnType<typeof staffLogin>>;

/** Queues the chat and lets Ana take it, so she may act in it. */
async function assignTo(s: TestServer, ana: Staff, conversationId: string) {
  await s.app.services.conversations.enqueue(conversationId, 'general', 0, 'test');
  const accepted = await ana.call('POST', `/api/conversations/${conversationId}/accept`);
  expect(accepted.status).toBe(200);
  return ana;
}

async function events(s: TestServer, conversationId: string) {
  return s.app.store.db
    .selectFrom('events')
    .select(['type', 'payload', 'actor_type'])
    .where('conversation_id', '=', conversationId)
    .where('type', 'like', '%step%')
    .orderBy('id')
    .execute();
}

describe.skipIf(skip)('step-up: device prompt', () => {
  let s: TestServer;
  const clock = new TestClock();
  let mariaSite: string;
  let ana: Staff;
  let ben: Staff;
  beforeAll(async () => {
    s = await startServer({ clock, env: ENV });
    mariaSite = await siteLogin(s, 'maria', 'demo-maria-2024');
    // Signed in before any test skips time ahead: authenticator codes follow the real clock.
    ana = await staffLogin(s);
    ben = await staffLogin(s, 'ben@carechat.test', 'demo-ben-2024');
  });
  afterAll(async () => s?.close());

  it('a new chat is at session level, and the view says so', async () => {
    const w = await widgetSession(s, {}, clock);
    expect(w.conversation.assurance).toEqual({ level: 'session', expiresAt: null, method: null, prompt: null });
  });

  it('approve: the widget asks, the device page approves, the chat is verified for 15 minutes, live', async () => {
    const w = await widgetSession(s, {}, clock);
    const call = widgetCall(s, w);
    const sock = await TestSocket.open(s, { sessionToken: w.sessionToken });
    await sock.handshake(w.conversation.id, w.conversation.lastSeq);

    const pendingFrame = sock.next('conversation', (f) => f.conversation.assurance?.prompt?.status === 'pending');
    const asked = await call('POST', '/stepup', { method: 'device' });
    expect(asked.status).toBe(201);
    const r = asked.json as StepUpResponse;
    expect(r.prompt).toMatchObject({ status: 'pending', deviceName: 'iPhone 15', requestedBy: 'cardmember' });
    expectIn(r.prompt!.expiresAt, 2 * MIN, clock);
    expect(r.conversation.assurance?.level).toBe('session');
    expect(r.demoDeviceUrl).toMatch(/^\/device\/prompts\/[A-Za-z0-9_-]{43}$/);
    await pendingFrame;

    // Only a hash of the link's secret is stored.
    const token = r.demoDeviceUrl!.split('/').pop()!;
    const stored = await s.app.store.db
      .selectFrom('stepup_prompts')
      .selectAll()
      .where('id', '=', r.prompt!.id)
      .execute();
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(token);

    const page = await device(s, mariaSite).view(r.demoDeviceUrl!);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Approve sign-in to chat on card ending 1005?');
    expect(page.html).toContain('Demo device: iPhone 15');
    expect(page.html).toContain('value="approve"');
    expect(page.html).toContain('value="deny"');

    const verifiedFrame = sock.next('conversation', (f) => f.conversation.assurance?.level === 'verified');
    const approved = await device(s, mariaSite).answer(r.demoDeviceUrl!, 'approve');
    expect(approved.status).toBe(200);
    expect(approved.html).toContain('Approved');
    const live = (await verifiedFrame).conversation.assurance!;
    expect(live).toMatchObject({ level: 'verified', method: 'device', prompt: { status: 'approved' } });
    expectIn(live.expiresAt!, 15 * MIN, clock);

    // The widget's own view agrees, and no demo link is offered for an answered prompt.
    const state = await call('GET', '/stepup');
    expect(state.json.conversation.assurance.level).toBe('verified');
    expect(state.json.demoDeviceUrl).toBeUndefined();
    expect((await events(s, w.conversation.id)).map((e) => e.type)).toEqual(['stepup.requested', 'stepup.approved']);
    sock.terminate();
  });

  it('reuse: an answered link cannot be answered again, either way', async () => {
    const w = await widgetSession(s, { sub: 'cm_ellen', card: 'card_ellen_gold' }, clock);
    const r = (await widgetCall(s, w)('POST', '/stepup', { method: 'device' })).json as StepUpResponse;
    const dev = device(s, await siteLogin(s, 'ellen', 'demo-ellen-2024'));
    expect((await dev.answer(r.demoDeviceUrl!, 'deny')).status).toBe(200);
    const again = await dev.answer(r.demoDeviceUrl!, 'approve');
    expect(again.status).toBe(409);
    expect(again.html).toContain('Already answered');
    const view = await dev.view(r.demoDeviceUrl!);
    expect(view.html).toContain('Already answered');
    expect(view.html).not.toContain('value="approve"');
    const c = (await widgetCall(s, w)('GET', '/stepup')).json.conversation as ConversationView;
    expect(c.assurance).toMatchObject({ level: 'session', prompt: { status: 'denied' } });
  });

  it('deny: recorded, shown to the agent, and the chat stays at session level', async () => {
    const w = await widgetSession(s, { sub: 'cm_maria', card: 'card_maria_biz' }, clock);
    await assignTo(s, ana, w.conversation.id);
    const r = (await widgetCall(s, w)('POST', '/stepup', { method: 'device' })).json as StepUpResponse;
    const denied = await device(s, mariaSite).answer(r.demoDeviceUrl!, 'deny');
    expect(denied.status).toBe(200);
    expect(denied.html).toContain('Request denied');
    const staffView = (await ana.call('GET', `/api/conversations/${w.conversation.id}`)).json.conversation;
    expect(staffView.assurance).toMatchObject({
      level: 'session',
      prompt: { status: 'denied', deviceName: 'iPhone 15' },
    });
    const trail = await events(s, w.conversation.id);
    expect(trail.map((e) => e.type)).toEqual(['stepup.requested', 'stepup.denied']);
    expect(JSON.parse(trail[1]!.payload)).toMatchObject({ promptId: r.prompt!.id, verified: false });
  });

  it('expire: after 2 minutes the link shows a clear expired page and cannot approve', async () => {
    const w = await widgetSession(s, { sub: 'cm_jose', card: 'card_jose_green' }, clock);
    const joseSite = await siteLogin(s, 'jose', 'demo-jose-2024');
    const r = (await widgetCall(s, w)('POST', '/stepup', { method: 'device' })).json as StepUpResponse;
    expect(r.prompt?.deviceName).toBe('Galaxy S24');
    clock.advance(2 * MIN);
    const view = await device(s, joseSite).view(r.demoDeviceUrl!);
    expect(view.status).toBe(410);
    expect(view.html).toContain('Esta solicitud ha vencido'); // José reads Spanish
    const late = await device(s, joseSite).answer(r.demoDeviceUrl!, 'approve');
    expect(late.status).toBe(410);
    const c = (await widgetCall(s, w)('GET', '/stepup')).json as StepUpResponse;
    expect(c.conversation.assurance).toMatchObject({ level: 'session', prompt: { status: 'expired' } });
    expect(c.demoDeviceUrl).toBeUndefined();
    const row = await s.app.store.db
      .selectFrom('stepup_prompts')
      .select('status')
      .where('id', '=', r.prompt!.id)
      .executeTakeFirst();
    expect(row?.status).toBe('expired');
  });

  it("another cardmember's site session sees a not-found page and cannot answer", async () => {
    const w = await widgetSession(s, { sub: 'cm_sam', card: 'card_sam_blue' }, clock);
    const r = (await widgetCall(s, w)('POST', '/stepup', { method: 'device' })).json as StepUpResponse;
    const jose = device(s, await siteLogin(s, 'jose', 'demo-jose-2024'));
    const view = await jose.view(r.demoDeviceUrl!);
    expect(view.status).toBe(404);
    expect(view.html).not.toContain('4001');
    expect((await jose.answer(r.demoDeviceUrl!, 'approve')).status).toBe(404);
    // Without any site session: a sign-in page; a cross-site post: refused. The prompt is untouched.
    const anonymous = await device(s, null).view(r.demoDeviceUrl!);
    expect(anonymous.status).toBe(401);
    expect(anonymous.html).toContain('Sign in to answer this request');
    const samSite = await siteLogin(s, 'sam', 'demo-sam-2024');
    expect((await device(s, samSite).answer(r.demoDeviceUrl!, 'approve', 'https://evil.example')).status).toBe(403);
    expect((await device(s, samSite).answer(r.demoDeviceUrl!, 'approve', null)).status).toBe(403);
    const c = (await widgetCall(s, w)('GET', '/stepup')).json.conversation as ConversationView;
    expect(c.assurance).toMatchObject({ level: 'session', prompt: { status: 'pending' } });
    // A made-up token is just as unknown.
    expect((await device(s, samSite).view(`/device/prompts/${'A'.repeat(43)}`)).status).toBe(404);
    expect((await device(s, samSite).view('/device/prompts/short')).status).toBe(404);
  });

  it('a newer prompt supersedes the pending one; prompts are limited to 5 per 15 minutes', async () => {
    const w = await widgetSession(s, { sub: 'cm_priya', card: 'card_priya_gold' }, clock);
    const call = widgetCall(s, w);
    const first = (await call('POST', '/stepup', { method: 'device' })).json as StepUpResponse;
    const second = (await call('POST', '/stepup', { method: 'device' })).json as StepUpResponse;
    const priya = device(s, await siteLogin(s, 'priya', 'demo-priya-2024'));
    expect((await priya.view(first.demoDeviceUrl!)).status).toBe(410);
    expect((await priya.view(second.demoDeviceUrl!)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await call('POST', '/stepup', { method: 'device' })).status).toBe(201);
    const sixth = await call('POST', '/stepup', { method: 'device' });
    expect(sixth.status).toBe(429);
    expect(sixth.json.error.code).toBe('rate_limited');
  });

  it('a cardmember without a registered device gets device_unavailable; an unknown deviceId too', async () => {
    const grace = await widgetSession(s, { sub: 'cm_grace', card: 'card_grace_gold' }, clock);
    const r = await widgetCall(s, grace)('POST', '/stepup', { method: 'device' });
    expect(r.status).toBe(409);
    expect(r.json.error.code).toBe('device_unavailable');
    const maria = await widgetSession(s, {}, clock);
    const other = await widgetCall(s, maria)('POST', '/stepup', { method: 'device', deviceId: 'dev_jose_1' });
    expect(other.status).toBe(409);
    const tablet = await widgetCall(s, maria)('POST', '/stepup', { method: 'device', deviceId: 'dev_maria_2' });
    expect(tablet.status).toBe(201);
    expect(tablet.json.prompt.deviceName).toBe('Galaxy Tab S9');
  });

  it('the agent holding the chat can send the prompt ("Verify customer"); the console never gets the link', async () => {
    const w = await widgetSession(s, { sub: 'cm_dana', card: 'card_dana_biz' }, clock);
    await assignTo(s, ana, w.conversation.id);
    const noCsrf = await fetch(`${s.url}/api/conversations/${w.conversation.id}/stepup`, {
      method: 'POST',
      headers: { cookie: ana.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'device' }),
    });
    expect(noCsrf.status).toBe(403);
    expect(
      (await ben.call('POST', `/api/conversations/${w.conversation.id}/stepup`, { method: 'device' })).status,
    ).toBe(404);

    const sent = await ana.call('POST', `/api/conversations/${w.conversation.id}/stepup`, { method: 'device' });
    expect(sent.status).toBe(201);
    expect(sent.json.prompt).toMatchObject({ status: 'pending', requestedBy: 'agent' });
    expect(sent.json.demoDeviceUrl).toBeUndefined();
    expect(JSON.stringify(sent.json)).not.toContain('/device/prompts/');

    // The cardmember's widget learns of it from the view, and (demo) gets the device link.
    const state = (await widgetCall(s, w)('GET', '/stepup')).json as StepUpResponse;
    expect(state.prompt).toMatchObject({ status: 'pending', requestedBy: 'agent' });
    const page = await device(s, await siteLogin(s, 'dana', 'demo-dana-2024')).view(state.demoDeviceUrl!);
    expect(page.html).toContain('Our agent asked for this in your chat.');
  });
});

describe.skipIf(skip)('step-up: last 4 + ZIP challenge', () => {
  let s: TestServer;
  const clock = new TestClock();
  const logs: string[] = [];
  let ana: Staff;
  beforeAll(async () => {
    s = await startServer({ clock, env: ENV, logger: createLogger('debug', { write: (l: string) => logs.push(l) }) });
    ana = await staffLogin(s);
  });
  afterAll(async () => s?.close());

  it('the right card last 4 and billing ZIP verify the chat for 15 minutes, then it lapses', async () => {
    const w = await widgetSession(s, { sub: 'cm_leo', card: 'card_leo_plat' }, clock);
    const ok = await widgetCall(s, w)('POST', '/stepup/challenge', { last4: '7008', zip: '10024' });
    expect(ok.status).toBe(200);
    expect(ok.json.conversation.assurance).toMatchObject({ level: 'verified', method: 'challenge' });
    expectIn(ok.json.conversation.assurance.expiresAt, 15 * MIN, clock);
    clock.advance(15 * MIN - 20_000);
    expect((await widgetCall(s, w)('GET', '/stepup')).json.conversation.assurance.level).toBe('verified');
    clock.advance(20_000);
    expect((await widgetCall(s, w)('GET', '/stepup')).json.conversation.assurance).toEqual({
      level: 'session',
      expiresAt: null,
      method: null,
      prompt: null,
    });
  });

  it('wrong answers count down, the third locks for 15 minutes (even the right answer), then it unlocks', async () => {
    const w = await widgetSession(s, { sub: 'cm_noah', card: 'card_noah_green' }, clock);
    const call = widgetCall(s, w);
    const first = await call('POST', '/stepup/challenge', { last4: '9753', zip: '98122' });
    expect(first.status).toBe(403);
    expect(first.json.error).toMatchObject({ code: 'verification_failed', details: { attemptsLeft: 2 } });
    const second = await call('POST', '/stepup/challenge', { last4: '9002', zip: '86420' });
    expect(second.json.error).toMatchObject({ code: 'verification_failed', details: { attemptsLeft: 1 } });
    const third = await call('POST', '/stepup/challenge', { last4: '9753', zip: '86420' });
    expect(third.status).toBe(429);
    expect(third.json.error.code).toBe('verification_locked');
    expectIn(third.json.error.details.lockedUntil, 15 * MIN, clock);

    // Locked: even the right answer is refused, and a new chat does not reset the count.
    expect((await call('POST', '/stepup/challenge', { last4: '9002', zip: '98122' })).status).toBe(429);
    await s.app.services.conversations.end(
      await s.app.services.identity.cardmemberActor(w.sessionToken),
      w.conversation.id,
    );
    const again = await widgetSession(s, { sub: 'cm_noah', card: 'card_noah_green' }, clock);
    expect(again.conversation.id).not.toBe(w.conversation.id);
    expect((await widgetCall(s, again)('POST', '/stepup/challenge', { last4: '9002', zip: '98122' })).status).toBe(429);

    clock.advance(15 * MIN);
    const wrongAfter = await widgetCall(s, again)('POST', '/stepup/challenge', { last4: '9753', zip: '98122' });
    expect(wrongAfter.json.error).toMatchObject({ code: 'verification_failed', details: { attemptsLeft: 2 } });
    const right = await widgetCall(s, again)('POST', '/stepup/challenge', { last4: '9002', zip: '98122-4410' });
    expect(right.status).toBe(200);
    expect(right.json.conversation.assurance.level).toBe('verified');
    const lock = await s.app.store.db
      .selectFrom('stepup_lockouts')
      .selectAll()
      .where('cardmember_id', '=', 'cm_noah')
      .executeTakeFirstOrThrow();
    expect(lock).toMatchObject({ failed_attempts: 0, locked_until: null });
  });

  it('concurrent wrong answers are counted one by one: two failures, then locked', async () => {
    const w = await widgetSession(s, { sub: 'cm_grace', card: 'card_grace_gold' }, clock);
    const call = widgetCall(s, w);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => call('POST', '/stepup/challenge', { last4: '1111', zip: '11111' })),
    );
    const codes = answers.map((a) => a.json.error.code).sort();
    expect(codes).toEqual([
      'verification_failed',
      'verification_failed',
      'verification_locked',
      'verification_locked',
      'verification_locked',
      'verification_locked',
    ]);
  });

  it('validates the form without echoing it, and never stores or logs the submitted values', async () => {
    const w = await widgetSession(s, { sub: 'cm_priya', card: 'card_priya_gold' }, clock);
    const bad = await widgetCall(s, w)('POST', '/stepup/challenge', { last4: '12a4', zip: '6061' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).not.toContain('12a4');
    expect(JSON.stringify(bad.json)).not.toContain('6061');
    const wrong = await widgetCall(s, w)('POST', '/stepup/challenge', { last4: '2468', zip: '13579' });
    expect(wrong.json.error.code).toBe('verification_failed');
    const everything = [
      logs.join('\n'),
      JSON.stringify(await s.app.store.db.selectFrom('events').selectAll().execute()),
      JSON.stringify(await s.app.store.db.selectFrom('audit_log').selectAll().execute()),
      JSON.stringify(await s.app.store.db.selectFrom('stepup_lockouts').selectAll().execute()),
    ].join('\n');
    expect(logs.length).toBeGreaterThan(0);
    // As JSON strings (how a leaked field would appear): bare digits also occur by chance in ids and timings.
    for (const secret of ['"2468"', '"13579"', '12a4', ':2468', ':13579']) expect(everything).not.toContain(secret);
  });

  it('request logs show the device route, never the secret in its link', async () => {
    const w = await widgetSession(s, { sub: 'cm_maria', card: 'card_maria_gold' }, clock);
    const r = (await widgetCall(s, w)('POST', '/stepup', { method: 'device' })).json as StepUpResponse;
    const token = r.demoDeviceUrl!.split('/').pop()!;
    const site = await siteLogin(s, 'maria', 'demo-maria-2024');
    expect((await device(s, site).view(r.demoDeviceUrl!)).status).toBe(200);
    expect((await device(s, site).answer(r.demoDeviceUrl!, 'approve')).status).toBe(200);
    const all = logs.join('\n');
    expect(all).toContain('/device/prompts/[token]');
    expect(all).not.toContain(token);
  });

  it('agents cannot answer the challenge for the customer', async () => {
    const w = await widgetSession(s, { sub: 'cm_sam', card: 'card_sam_blue' }, clock);
    await assignTo(s, ana, w.conversation.id);
    const r = await ana.call('POST', `/api/widget/conversations/${w.conversation.id}/stepup/challenge`, {
      last4: '0000',
      zip: '00000',
    });
    expect(r.status).toBe(401);
  });
});

describe.skipIf(skip)('step-up: sensitive account actions', () => {
  let s: TestServer;
  const clock = new TestClock();
  let ana: Staff;
  let ben: Staff;
  beforeAll(async () => {
    s = await startServer({ clock, env: ENV });
    ana = await staffLogin(s);
    ben = await staffLogin(s, 'ben@carechat.test', 'demo-ben-2024');
  });
  afterAll(async () => s?.close());

  const key = () => `key-${Math.random().toString(36).slice(2, 12)}`;

  it('form fields carrying a card number, a security code or a password are refused before the port, values never echoed', async () => {
    const w = await widgetSession(s, { sub: 'cm_jose', card: 'card_jose_green' }, clock);
    await assignTo(s, ana, w.conversation.id);
    expect((await widgetCall(s, w)('POST', '/stepup/challenge', { last4: '3007', zip: '77003' })).status).toBe(200);
    const path = `/api/conversations/${w.conversation.id}/actions/updateContact`;
    for (const line2 of ['card 4111 1111 1111 1111', 'cvv 123', 'my password is hunter2!']) {
      const r = await ana.call('POST', path, {
        input: {
          address: {
            kind: 'mailing',
            line1: '1 Main St',
            line2,
            city: 'Miami',
            state: 'FL',
            zip: '33145',
            country: 'US',
          },
        },
        idempotencyKey: key(),
      });
      expect(r.status).toBe(400);
      expect(r.json.error.details[0].path).toBe('address.line2');
      expect(JSON.stringify(r.json)).not.toContain(line2);
    }
    const stored = await s.app.store.db
      .selectFrom('addresses')
      .select('line2')
      .where('cardmember_id', '=', 'cm_jose')
      .execute();
    expect(stored.map((a) => a.line2)).not.toContain('cvv 123');
  });

  it('an agent is refused a contact change with step_up_required until the customer verifies, then it works', async () => {
    const w = await widgetSession(s, {}, clock);
    await assignTo(s, ana, w.conversation.id);
    const path = `/api/conversations/${w.conversation.id}/actions/updateContact`;
    const input = { email: 'maria.new@example.com' };

    const refused = await ana.call('POST', path, { input, idempotencyKey: key() });
    expect(refused.status).toBe(403);
    expect(refused.json.error).toMatchObject({
      code: 'step_up_required',
      details: { action: 'updateContact', methods: ['device', 'challenge'] },
    });
    const profile = () =>
      s.app.store.db.selectFrom('cardmembers').select('email').where('id', '=', 'cm_maria').executeTakeFirstOrThrow();
    expect((await profile()).email).toBe('maria.lopez@example.com');
    // Nothing reached the accounts core (no audit record of an update), but the refusal is on record.
    const audits = await s.app.store.db
      .selectFrom('audit_log')
      .select('operation')
      .where('operation', '=', 'updateContact')
      .execute();
    expect(audits).toEqual([]);
    expect((await events(s, w.conversation.id)).map((e) => e.type)).toContain('account_action.step_up_required');

    // Not sensitive: allowed at session level.
    const lock = await ana.call('POST', `/api/conversations/${w.conversation.id}/actions/lockCard`, {
      input: {},
      idempotencyKey: key(),
    });
    expect(lock.status).toBe(200);
    expect(lock.json.result.card).toMatchObject({ id: 'card_maria_gold', status: 'locked' });

    // The customer verifies; the same change now goes through, through the port, audited as the agent.
    expect((await widgetCall(s, w)('POST', '/stepup/challenge', { last4: '1005', zip: '33145' })).status).toBe(200);
    const done = await ana.call('POST', path, { input, idempotencyKey: key() });
    expect(done.status).toBe(200);
    expect(done.json.result.email).toBe('maria.new@example.com');
    expect((await profile()).email).toBe('maria.new@example.com');
    const audit = await s.app.store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('operation', '=', 'updateContact')
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({
      actor_type: 'agent',
      actor_id: 'agent_ana',
      on_behalf_of: 'cm_maria',
      conversation_id: w.conversation.id,
      outcome: 'ok',
    });

    // Verification lasts 15 minutes: after that the next sensitive change is refused again.
    clock.advance(15 * MIN);
    const later = await ana.call('POST', path, { input: { phone: '+13055550199' }, idempotencyKey: key() });
    expect(later.status).toBe(403);
    expect(later.json.error.code).toBe('step_up_required');
    const view = (await ana.call('GET', `/api/conversations/${w.conversation.id}`)).json.conversation;
    expect(view.assurance.level).toBe('session');
  });

  it('the assistant goes through the same check', async () => {
    const w = await widgetSession(s, { sub: 'cm_jose', card: 'card_jose_green' }, clock);
    const actions = s.app.services.accountActions;
    const notice = { destinations: ['Mexico'], startOn: '2030-01-10', endOn: '2030-01-20' };
    await expect(
      actions.perform({ role: 'assistant' }, w.conversation.id, 'addTravelNotice', notice, key()),
    ).rejects.toMatchObject({ code: 'step_up_required', details: { action: 'addTravelNotice' } });
    const r = await widgetCall(s, w)('POST', '/stepup/challenge', { last4: '3007', zip: '77003' });
    expect(r.status).toBe(200);
    const result = (await actions.perform(
      { role: 'assistant' },
      w.conversation.id,
      'addTravelNotice',
      notice,
      key(),
    )) as {
      destinations: string[];
    };
    expect(result.destinations).toEqual(['Mexico']);
  });

  it('only the agent holding the chat may act; unknown operations and bad input are refused', async () => {
    const w = await widgetSession(s, { sub: 'cm_sam', card: 'card_sam_blue' }, clock);
    await assignTo(s, ana, w.conversation.id);
    const base = `/api/conversations/${w.conversation.id}/actions`;
    expect((await ben.call('POST', `${base}/lockCard`, { input: {}, idempotencyKey: key() })).status).toBe(404);
    expect((await ana.call('POST', `${base}/deleteEverything`, { input: {}, idempotencyKey: key() })).status).toBe(404);
    expect((await ana.call('POST', `${base}/getProfile`, { input: {}, idempotencyKey: key() })).status).toBe(404);
    const bad = await ana.call('POST', `${base}/lockCard`, { input: { cardId: 1 }, idempotencyKey: key() });
    expect(bad.status).toBe(400);
    expect((await ana.call('POST', `${base}/lockCard`, { input: {} })).status).toBe(400);
    // Another cardmember's card is not found through the port, whatever the agent sends.
    const foreign = await ana.call('POST', `${base}/lockCard`, {
      input: { cardId: 'card_maria_gold' },
      idempotencyKey: key(),
    });
    expect(foreign.status).toBe(404);
  });

  it('a verified chat shows its assurance in the inbox and detail views; a new chat starts over', async () => {
    const w = await widgetSession(s, { sub: 'cm_priya', card: 'card_priya_gold' }, clock);
    await assignTo(s, ana, w.conversation.id);
    await widgetCall(s, w)('POST', '/stepup/challenge', { last4: '5012', zip: '60614' });
    const mine = (await ana.call('GET', '/api/conversations?view=mine')).json.conversations as ConversationView[];
    const listed = mine.find((c) => c.id === w.conversation.id)!;
    expect(listed.assurance).toMatchObject({ level: 'verified', method: 'challenge' });
    await ana.call('POST', `/api/conversations/${w.conversation.id}/end`);
    const fresh = await postJson(
      `${s.url}/api/widget/conversations`,
      {},
      { authorization: `Bearer ${w.sessionToken}` },
    );
    expect(fresh.status).toBe(201);
    expect(fresh.json.conversation.id).not.toBe(w.conversation.id);
    expect(fresh.json.conversation.assurance.level).toBe('session');
  });
});
