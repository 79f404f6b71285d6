import type { FastifyInstance } from 'fastify';
import { decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signChatToken } from './chat-token.js';
import { buildApp, buildDeps, chatSecret, sessionSecret } from './site.test-helpers.js';

const ORIGIN = 'http://localhost:80';
const SAME_ORIGIN = { origin: 'http://localhost' };

let app: FastifyInstance;
beforeEach(async () => {
  app = await buildApp();
});
afterEach(async () => {
  await app.close();
});

async function login(username = 'maria', password = 'maria-demo-pass'): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/login',
    headers: SAME_ORIGIN,
    payload: { username, password },
  });
  expect(res.statusCode).toBe(303);
  const cookie = res.cookies.find((c) => c.name === 'site_session');
  expect(cookie).toBeDefined();
  return cookie!.value;
}

function postForm(url: string, form: Record<string, string>, headers: Record<string, string> = SAME_ORIGIN) {
  return app.inject({
    method: 'POST',
    url,
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(form).toString(),
  });
}

function chatToken(session: string | undefined, body: unknown, headers: Record<string, string> = SAME_ORIGIN) {
  return app.inject({
    method: 'POST',
    url: '/site/api/chat-token',
    headers,
    ...(session ? { cookies: { site_session: session } } : {}),
    payload: body as object,
  });
}

describe('sign-in page', () => {
  it('renders the form with labelled fields and the demo logins, escaped', async () => {
    const res = await app.inject('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const body = res.body;
    expect(body.startsWith('<!doctype html>')).toBe(true);
    expect(body).toContain('<html lang="en">');
    expect(body).toMatch(/<label for="username">Username<\/label>/);
    expect(body).toMatch(/<label for="password">Password<\/label>/);
    expect(body).toContain('<form method="post" action="/login"');
    expect(body).toMatch(/<button[^>]*type="submit"[^>]*>Sign in<\/button>/);
    expect(body).toContain('Demo logins');
    expect(body).toContain('Maria &lt;English&gt; &amp; two cards');
    expect(body).not.toContain('Maria <English>');
    expect(body).toContain('<code>maria-demo-pass</code>');
    expect(body.match(/<h1[\s>]/g)).toHaveLength(1);
    expect(body).toContain('<main id="main"');
    expect(body).toContain('href="#main"');
    expect(body).not.toMatch(/style=/);
    expect(body).not.toMatch(/<script/);
  });

  it('switches to Spanish with ?lang=es', async () => {
    const res = await app.inject('/?lang=es');
    expect(res.body).toContain('<html lang="es">');
    expect(res.body).toContain('Nombre de usuario');
    expect(res.body).toContain('Usuarios de demostración');
  });

  it('omits the demo box when there are no demo logins', async () => {
    const prod = await buildApp(buildDeps({ demoLogins: [] }));
    const res = await prod.inject('/');
    expect(res.body).not.toContain('demo-title');
    await prod.close();
  });

  it('serves the stylesheet as text/css with a cache header', async () => {
    const page = await app.inject('/');
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(page.body)?.[1];
    expect(href).toMatch(/^\/site\/assets\/site\.css\?v=[0-9a-f]{12}$/);
    const res = await app.inject(href!);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(res.headers['cache-control']).toMatch(/max-age=\d+/);
    expect(res.body).toContain(':focus-visible');
  });
});

describe('POST /login', () => {
  it('wrong password: 401, accessible error, username kept, no cookie', async () => {
    const res = await postForm('/login', { username: 'maria', password: 'nope' });
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('role="alert" id="signin-error"');
    expect(res.body).toContain('The username or password you entered is incorrect.');
    expect(res.body).toMatch(/id="username"[^>]*value="maria"[^>]*aria-invalid="true" aria-describedby="signin-error"/);
    expect(res.body).toMatch(/id="password"[^>]*aria-invalid="true" aria-describedby="signin-error"/);
    expect(res.cookies.find((c) => c.name === 'site_session')).toBeUndefined();
  });

  it('missing fields: 400 and only the empty field is marked invalid', async () => {
    const res = await postForm('/login', { username: 'maria', password: '' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Enter your username and password.');
    expect(res.body).toMatch(/id="password"[^>]*aria-invalid="true"/);
    expect(res.body).not.toMatch(/id="username"[^>]*aria-invalid/);
  });

  it('keeps the sign-in language on errors', async () => {
    const res = await postForm('/login', { username: 'maria', password: 'nope', lang: 'es' });
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('<html lang="es">');
    expect(res.body).toContain('no son correctos');
  });

  it('success: sets an httpOnly, SameSite=Lax session cookie and redirects to /account', async () => {
    const res = await postForm('/login', { username: 'maria', password: 'maria-demo-pass' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/account');
    const cookie = res.cookies.find((c) => c.name === 'site_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', maxAge: 1800 });
    expect(cookie?.secure).toBeFalsy();
    const { payload } = await jwtVerify(cookie!.value, sessionSecret, { algorithms: ['HS256'] });
    expect(payload.sub).toBe('cm_maria');
    expect(payload.exp! - payload.iat!).toBe(1800);
    // Signed with the session secret, never with the chat secret.
    await expect(jwtVerify(cookie!.value, chatSecret)).rejects.toThrow();
  });

  it('sets Secure on the cookie when secureCookies is on', async () => {
    const secure = await buildApp(buildDeps({ secureCookies: true }));
    const res = await secure.inject({
      method: 'POST',
      url: '/login',
      payload: { username: 'maria', password: 'maria-demo-pass' },
    });
    expect(res.cookies.find((c) => c.name === 'site_session')?.secure).toBe(true);
    await secure.close();
  });

  it('rejects a cross-origin form post with 403 and does not sign in', async () => {
    const res = await postForm(
      '/login',
      { username: 'maria', password: 'maria-demo-pass' },
      { origin: 'https://evil.example' },
    );
    expect(res.statusCode).toBe(403);
    expect(res.cookies).toHaveLength(0);
  });

  it('throttles: after 5 failures the 6th attempt is 429, even with the right password', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await postForm('/login', { username: 'maria', password: `wrong${i}` });
      expect(r.statusCode).toBe(401);
    }
    const locked = await postForm('/login', { username: 'Maria', password: 'maria-demo-pass' });
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(locked.body).toContain('role="alert"');
    expect(locked.body).toContain('Too many unsuccessful sign-in attempts');
    expect(locked.cookies).toHaveLength(0);
    // Another username from the same IP is not affected.
    const other = await postForm('/login', { username: 'jose', password: 'jose-demo-pass' });
    expect(other.statusCode).toBe(303);
  });

  it('a success clears earlier failures', async () => {
    for (let i = 0; i < 4; i++) await postForm('/login', { username: 'maria', password: 'bad' });
    await login();
    for (let i = 0; i < 4; i++) {
      expect((await postForm('/login', { username: 'maria', password: 'bad' })).statusCode).toBe(401);
    }
  });
});

describe('session pages', () => {
  it('/ redirects to /account when signed in', async () => {
    const session = await login();
    const res = await app.inject({ url: '/', cookies: { site_session: session } });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/account');
  });

  it('/account without a cookie (or with a forged one) redirects to /', async () => {
    const none = await app.inject('/account');
    expect(none.statusCode).toBe(303);
    expect(none.headers.location).toBe('/');

    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('cm_maria')
      .setExpirationTime('1h')
      .sign(chatSecret);
    const res = await app.inject({ url: '/account', cookies: { site_session: forged } });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/');
  });

  it('/account greets the cardmember and lists their cards by last 4 only', async () => {
    const session = await login();
    const res = await app.inject({ url: '/account', cookies: { site_session: session } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain('Welcome back, Maria');
    expect(res.body).toContain('Card ending 1005');
    expect(res.body).toContain('Card ending 2207');
    expect(res.body).toContain('href="/account/cards/card_1005"');
    expect(res.body).toContain('href="/account/cards/card_2207"');
    expect(res.body).toContain('Locked');
    expect(res.body).toContain('action="/logout"');
    expect(res.body).not.toContain('3344'); // José's card
  });

  it('uses the cardmember language on signed-in pages', async () => {
    const session = await login('jose', 'jose-demo-pass');
    const res = await app.inject({ url: '/account', cookies: { site_session: session } });
    expect(res.body).toContain('<html lang="es">');
    expect(res.body).toContain('Hola de nuevo, José');
    expect(res.body).toContain('Tarjeta terminada en 3344');
  });

  it('card page: details, demo panels and the widget script tag', async () => {
    const session = await login();
    const res = await app.inject({ url: '/account/cards/card_1005', cookies: { site_session: session } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Meridian Cash Rewards</h1>');
    expect(res.body).toContain('Card ending 1005');
    expect(res.body).toContain('Recent activity will appear here.');
    expect(res.body).toContain('Payment due');
    expect(res.body).toContain(
      '<script type="module" src="/widget/carechat-widget.js" data-token-url="/site/api/chat-token" data-card-id="card_1005" data-lang="en" data-bank-name="Meridian Bank"></script>',
    );
    expect(res.body).toContain('href="/account/cards/card_1005#help"');
    expect(res.body).toContain('id="help"');
  });

  it('a card of another cardmember is a 404, like an unknown one', async () => {
    const session = await login();
    const other = await app.inject({ url: '/account/cards/card_3344', cookies: { site_session: session } });
    expect(other.statusCode).toBe(404);
    expect(other.body).toContain('Page not found');
    expect(other.body).not.toContain('carechat-widget.js');
    const unknown = await app.inject({ url: '/account/cards/nope', cookies: { site_session: session } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toBe(other.body);
  });

  it('escapes a malicious first name, last name, product name and card id; shows only 4 digits', async () => {
    const session = await login('mallory', 'mallory-pass');
    const account = await app.inject({ url: '/account', cookies: { site_session: session } });
    expect(account.body).toContain('Welcome back, &lt;img src=x onerror=alert(1)&gt;');
    expect(account.body).not.toContain('<img src=x');
    expect(account.body).not.toContain('<script>alert(2)');
    expect(account.body).toContain('&lt;b&gt;Bold&lt;/b&gt; Card');
    expect(account.body).toContain('Card ending 9999');
    expect(account.body).not.toContain('4111111111119999');
    const card = await app.inject({
      url: `/account/cards/${encodeURIComponent('card_"><x')}`,
      cookies: { site_session: session },
    });
    expect(card.statusCode).toBe(200);
    expect(card.body).toContain('data-card-id="card_&quot;&gt;&lt;x"');
    expect(card.body).not.toContain('<x');
  });

  it('POST /logout clears the cookie and redirects home; cross-origin logout is 403', async () => {
    const session = await login();
    const evil = await app.inject({
      method: 'POST',
      url: '/logout',
      headers: { origin: 'https://evil.example' },
      cookies: { site_session: session },
    });
    expect(evil.statusCode).toBe(403);
    const res = await app.inject({
      method: 'POST',
      url: '/logout',
      headers: SAME_ORIGIN,
      cookies: { site_session: session },
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/');
    const cleared = res.cookies.find((c) => c.name === 'site_session');
    expect(cleared?.value).toBe('');
    expect(cleared?.expires?.getTime()).toBeLessThan(Date.now());
  });
});

describe('POST /site/api/chat-token', () => {
  it('401 without a session', async () => {
    const res = await chatToken(undefined, { cardId: 'card_1005' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
  });

  it('403 cross-origin, and without any same-origin signal', async () => {
    const session = await login();
    const cross = await chatToken(session, { cardId: 'card_1005' }, { origin: 'https://evil.example' });
    expect(cross.statusCode).toBe(403);
    expect(cross.json()).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
    const crossSite = await chatToken(session, { cardId: 'card_1005' }, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.statusCode).toBe(403);
    const bare = await chatToken(session, { cardId: 'card_1005' }, {});
    expect(bare.statusCode).toBe(403);
  });

  it("404 for another cardmember's card; 400 for a bad body", async () => {
    const session = await login();
    const other = await chatToken(session, { cardId: 'card_3344' });
    expect(other.statusCode).toBe(404);
    expect(other.json().error.code).toBe('not_found');
    const bad = await chatToken(session, { card: 'card_1005' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('bad_request');
  });

  it('malformed JSON answers in the API error shape, not as an HTML page', async () => {
    const session = await login();
    const res = await app.inject({
      method: 'POST',
      url: '/site/api/chat-token',
      headers: { ...SAME_ORIGIN, 'content-type': 'application/json' },
      cookies: { site_session: session },
      payload: '{"cardId":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('bad_request');
  });

  it('returns a JWT carechat accepts: iss, aud, sub, card, lang, exp - iat = ttl, unique jti', async () => {
    const session = await login();
    const res = await chatToken(session, { cardId: 'card_2207' }, { 'sec-fetch-site': 'same-origin' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const { token } = res.json() as { token: string };
    expect(decodeProtectedHeader(token).alg).toBe('HS256');
    const { payload } = await jwtVerify(token, chatSecret, {
      issuer: 'carechat-demo-site',
      audience: 'carechat',
      algorithms: ['HS256'],
    });
    expect(payload.sub).toBe('cm_maria');
    expect(payload.card).toBe('card_2207');
    expect(payload.lang).toBe('en');
    expect(payload.exp! - payload.iat!).toBe(300);
    expect(Math.abs(payload.iat! - Date.now() / 1000)).toBeLessThan(5);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    // Not verifiable with the session secret.
    await expect(jwtVerify(token, sessionSecret)).rejects.toThrow();

    const again = (await chatToken(session, { cardId: 'card_2207' }, { origin: ORIGIN })).json() as { token: string };
    const second = await jwtVerify(again.token, chatSecret);
    expect(second.payload.jti).not.toBe(payload.jti);
  });

  it("carries the cardmember's language", async () => {
    const session = await login('jose', 'jose-demo-pass');
    const res = await chatToken(session, { cardId: 'card_3344' });
    const { payload } = await jwtVerify((res.json() as { token: string }).token, chatSecret);
    expect(payload.lang).toBe('es');
    expect(payload.sub).toBe('cm_jose');
  });
});

describe('configuration', () => {
  it('signChatToken refuses a TTL carechat would reject', async () => {
    const deps = buildDeps({ chatTokenTtlSeconds: 3600 });
    await expect(signChatToken(deps, { cardmemberId: 'cm_maria', cardId: 'card_1005', lang: 'en' })).rejects.toThrow(
      RangeError,
    );
  });

  it('fails at registration on a short secret, a shared secret, or missing cookie support', async () => {
    await expect(buildApp(buildDeps({ sessionSecret: new Uint8Array(8) }))).rejects.toThrow(/at least 32 bytes/);
    await expect(buildApp(buildDeps({ sessionSecret: chatSecret }))).rejects.toThrow(/differ/);
    const Fastify = (await import('fastify')).default;
    const { sitePlugin } = await import('./index.js');
    const bare = Fastify();
    await expect(bare.register(sitePlugin, buildDeps()).ready()).rejects.toThrow(/@fastify\/cookie/);
  });
});
