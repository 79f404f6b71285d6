import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp, buildDeps } from './site.test-helpers.js';
import type { DevicePromptPage, DevicePrompts } from './site.types.js';

const SAME_ORIGIN = { origin: 'http://localhost' };
const TOKEN = 'T'.repeat(43);
const URL_ = `/device/prompts/${TOKEN}`;

/** In-memory prompts: one pending prompt of cm_maria, answerable once. */
function fakePrompts() {
  const calls: string[] = [];
  let status: 'pending' | 'approved' | 'denied' = 'pending';
  const page = (justAnswered: boolean): DevicePromptPage => ({
    status,
    justAnswered,
    cardLast4: '1005',
    productName: '<b>Gold</b> Card',
    deviceName: 'iPhone 15',
    expiresAt: '2030-01-01T00:02:00.000Z',
    requestedBy: 'agent',
  });
  const prompts: DevicePrompts = {
    async view(token, cardmemberId) {
      calls.push(`view ${cardmemberId}`);
      return token === TOKEN && cardmemberId === 'cm_maria' ? page(false) : { status: 'not_found' };
    },
    async answer(token, cardmemberId, decision) {
      calls.push(`answer ${cardmemberId} ${decision}`);
      if (token !== TOKEN || cardmemberId !== 'cm_maria') return { status: 'not_found' };
      if (status !== 'pending') return page(false);
      status = decision === 'approve' ? 'approved' : 'denied';
      return page(true);
    },
  };
  return { prompts, calls };
}

let app: FastifyInstance;
let fake: ReturnType<typeof fakePrompts>;
beforeEach(async () => {
  fake = fakePrompts();
  app = await buildApp(buildDeps({ devicePrompts: fake.prompts }));
});
afterEach(async () => app.close());

async function login(username = 'maria', password = 'maria-demo-pass'): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/login',
    headers: SAME_ORIGIN,
    payload: { username, password },
  });
  return res.cookies.find((c) => c.name === 'site_session')!.value;
}

function answer(session: string | null, decision: string, headers: Record<string, string> = SAME_ORIGIN) {
  return app.inject({
    method: 'POST',
    url: URL_,
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    ...(session ? { cookies: { site_session: session } } : {}),
    payload: new URLSearchParams({ decision }).toString(),
  });
}

describe('device prompt page', () => {
  it('shows what is being approved, escaped, with Approve and Deny in one same-origin form', async () => {
    const res = await app.inject({ url: URL_, cookies: { site_session: await login() } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain('Approve sign-in to chat on card ending 1005?');
    expect(res.body).toContain('&lt;b&gt;Gold&lt;/b&gt; Card ending 1005');
    expect(res.body).not.toContain('<b>Gold</b>');
    expect(res.body).toContain('Our agent asked for this in your chat.');
    expect(res.body).toContain(`<form method="post" action="${URL_}">`);
    expect(res.body).toMatch(/<button type="submit" name="decision" value="approve"[^>]*>Approve<\/button>/);
    expect(res.body).toMatch(/<button type="submit" name="decision" value="deny"[^>]*>Deny<\/button>/);
  });

  it('approves once; a second answer says it was already answered', async () => {
    const session = await login();
    const first = await answer(session, 'approve');
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('Approved');
    const second = await answer(session, 'deny');
    expect(second.statusCode).toBe(409);
    expect(second.body).toContain('Already answered');
    expect(fake.calls).toEqual(['answer cm_maria approve', 'answer cm_maria deny']);
  });

  it('needs the site session; without it nothing is looked up', async () => {
    const res = await app.inject({ url: URL_ });
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('Sign in to answer this request');
    expect((await answer(null, 'approve')).statusCode).toBe(401);
    expect(fake.calls).toEqual([]);
  });

  it('refuses a cross-site or origin-less answer before touching the prompt', async () => {
    const session = await login();
    expect((await answer(session, 'approve', { origin: 'https://evil.example' })).statusCode).toBe(403);
    expect((await answer(session, 'approve', {})).statusCode).toBe(403);
    expect((await answer(session, 'approve', { 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    expect(fake.calls).toEqual([]);
  });

  it("another cardmember's session and malformed tokens read as not found, in their language", async () => {
    const jose = await login('jose', 'jose-demo-pass');
    const res = await app.inject({ url: URL_, cookies: { site_session: jose } });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('Este enlace no es válido');
    const bad = await app.inject({ url: '/device/prompts/not-a-token', cookies: { site_session: jose } });
    expect(bad.statusCode).toBe(404);
    expect(fake.calls).toEqual(['view cm_jose']);
  });

  it('a bad decision value re-shows the prompt with 400', async () => {
    const res = await answer(await login(), 'maybe');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('value="approve"');
    expect(fake.calls).toEqual(['view cm_maria']);
  });

  it('is not there at all when carechat lends no prompts', async () => {
    const plain = await buildApp();
    const res = await plain.inject({ url: URL_ });
    expect(res.statusCode).toBe(404);
    await plain.close();
  });
});
