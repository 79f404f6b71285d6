/**
 * The upload pages on a real Fastify app around sitePlugin, with carechat's side in memory (the real
 * service is tested in packages/server/src/cases/uploads.int.test.ts and e2e/upload.e2e.test.ts).
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp, buildDeps } from './site.test-helpers.js';
import type { UploadLinkPage, UploadLinks, UploadOutcome } from './site.types.js';
import { returnPath } from './upload.pages.js';

const SAME_ORIGIN = { origin: 'http://localhost' };
const TOKEN = 'U'.repeat(43);
const URL_ = `/upload/${TOKEN}`;
const MAX = 4096;

/** One link of cm_maria, usable once. */
function fakeUploads() {
  const submitted: Array<{ cardmemberId: string; filename: string; data: Uint8Array; note: string | null }> = [];
  let used = false;
  const view = (token: string, cardmemberId: string): UploadLinkPage => {
    if (token !== TOKEN) return { status: 'not_found' };
    if (used) return { status: 'used' };
    if (cardmemberId !== 'cm_maria') return { status: 'forbidden' };
    return {
      status: 'ok',
      caseReference: 'DSP-ABCD2345',
      caseTitle: 'Duplicate <b>dinner</b>',
      request: 'The <script>alert(1)</script> receipt',
      expiresAt: '2030-01-01T12:00:00.000Z',
      maxBytes: MAX,
      accepted: ['application/pdf', 'image/png', 'image/jpeg', 'image/heic'],
    };
  };
  const uploads: UploadLinks = {
    maxBytes: MAX,
    async view(token, cardmemberId) {
      return view(token, cardmemberId);
    },
    async submit(token, cardmemberId, file, note): Promise<UploadOutcome> {
      const v = view(token, cardmemberId);
      if (v.status !== 'ok') return { status: v.status };
      submitted.push({ cardmemberId, filename: file.filename, data: file.data, note });
      used = true;
      return { status: 'stored', caseReference: v.caseReference, filename: `<i>${file.filename}</i>` };
    },
  };
  return { uploads, submitted };
}

let app: FastifyInstance;
let fake: ReturnType<typeof fakeUploads>;
beforeEach(async () => {
  fake = fakeUploads();
  app = await buildApp(buildDeps({ uploads: fake.uploads }));
});
afterEach(async () => app.close());

async function login(username = 'maria', password = 'maria-demo-pass', cookies: Record<string, string> = {}) {
  const res = await app.inject({
    method: 'POST',
    url: '/login',
    headers: SAME_ORIGIN,
    payload: { username, password },
    cookies,
  });
  return { session: res.cookies.find((c) => c.name === 'site_session')!.value, location: res.headers.location };
}

async function multipart(fields: Array<[string, string] | [string, Uint8Array, string]>) {
  const form = new FormData();
  for (const f of fields) {
    if (typeof f[1] === 'string') form.append(f[0], f[1]);
    else form.append(f[0], new Blob([f[1]]), f[2]);
  }
  const req = new Request('http://localhost/', { method: 'POST', body: form });
  return { body: Buffer.from(await req.arrayBuffer()), type: req.headers.get('content-type')! };
}

async function post(session: string | null, fields: Parameters<typeof multipart>[0], headers = SAME_ORIGIN) {
  const { body, type } = await multipart(fields);
  return app.inject({
    method: 'POST',
    url: URL_,
    headers: { ...headers, 'content-type': type },
    ...(session ? { cookies: { site_session: session } } : {}),
    payload: body,
  });
}

describe('upload page', () => {
  it('shows the case and what was asked, escaped, in an accessible multipart form', async () => {
    const res = await app.inject({ url: URL_, cookies: { site_session: (await login()).session } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain('Send documents for case DSP-ABCD2345');
    expect(res.body).toContain('Duplicate &lt;b&gt;dinner&lt;/b&gt;');
    expect(res.body).toContain('The &lt;script&gt;alert(1)&lt;/script&gt; receipt');
    expect(res.body).not.toContain('<script>alert(1)');
    expect(res.body).toContain(`<form method="post" action="${URL_}" enctype="multipart/form-data"`);
    expect(res.body).toMatch(/<label for="upload-file">Document<\/label>/);
    expect(res.body).toMatch(/<input type="file" id="upload-file" name="file" required accept="[^"]*application\/pdf/);
    expect(res.body).toContain('aria-describedby="upload-file-hint"');
    expect(res.body).toContain('One file: PDF, PNG, JPEG or HEIC, up to 4 KB.');
    expect(res.body).toMatch(/<label for="upload-note">Note \(optional\)<\/label>/);
    expect(res.body).toContain('valid until January 1, 2030');
  });

  it('is in Spanish for a Spanish-speaking cardmember', async () => {
    // José's link is "forbidden" for him in the fake: the refusal page is in Spanish.
    const res = await app.inject({
      url: URL_,
      cookies: { site_session: (await login('jose', 'jose-demo-pass')).session },
    });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Este enlace es para otro titular');
    expect(res.body).toContain('lang="es"');
  });

  it('sends a signed-out visitor to sign in, then back to the link (and nowhere else)', async () => {
    const res = await app.inject({ url: URL_ });
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('name="password"');
    const ret = res.cookies.find((c) => c.name === 'site_return')!;
    expect(ret).toMatchObject({ value: URL_, httpOnly: true });
    expect((await login('maria', 'maria-demo-pass', { site_return: ret.value })).location).toBe(URL_);
    expect((await login('maria', 'maria-demo-pass', { site_return: 'https://evil.example/' })).location).toBe(
      '/account',
    );
    expect((await login('maria', 'maria-demo-pass')).location).toBe('/account');
    expect(returnPath('//evil.example/upload/' + TOKEN)).toBeNull();
    expect(returnPath('/upload/short')).toBeNull();
  });

  it('passes the file bytes, its name and the note to carechat, and confirms with the stored name escaped', async () => {
    const { session } = await login();
    const pdf = new TextEncoder().encode('%PDF-1.4 test');
    const res = await post(session, [
      ['file', pdf, 'receipt.pdf'],
      ['note', 'From the restaurant'],
    ]);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Document received');
    expect(res.body).toContain('&lt;i&gt;receipt.pdf&lt;/i&gt;');
    expect(fake.submitted).toHaveLength(1);
    expect(fake.submitted[0]).toMatchObject({
      cardmemberId: 'cm_maria',
      filename: 'receipt.pdf',
      note: 'From the restaurant',
    });
    expect(Buffer.from(fake.submitted[0]!.data).toString()).toBe('%PDF-1.4 test');
    // Used now: 410 on the page and on a resend.
    expect((await app.inject({ url: URL_, cookies: { site_session: session } })).statusCode).toBe(410);
    expect((await post(session, [['file', pdf, 'again.pdf']])).statusCode).toBe(410);
    expect(fake.submitted).toHaveLength(1);
  });

  it('refuses before reading the body: cross-site 403, signed out 401, not yours 403', async () => {
    const pdf = new TextEncoder().encode('%PDF-1.4');
    const { session } = await login();
    expect((await post(session, [['file', pdf, 'a.pdf']], { origin: 'https://evil.example' })).statusCode).toBe(403);
    expect((await post(null, [['file', pdf, 'a.pdf']])).statusCode).toBe(401);
    const sam = (await login('jose', 'jose-demo-pass')).session;
    expect((await post(sam, [['file', pdf, 'a.pdf']])).statusCode).toBe(403);
    expect(fake.submitted).toHaveLength(0);
  });

  it('refuses a body over the limit (413), an empty file (415) and a form without a file (400)', async () => {
    const { session } = await login();
    const big = await post(session, [['file', new Uint8Array(MAX + 1), 'big.pdf']]);
    expect(big.statusCode).toBe(413);
    expect(big.body).toContain('The file is too large');
    expect(big.body).toContain('at most 4 KB');
    const huge = await post(session, [['file', new Uint8Array(MAX * 20), 'huge.pdf']]);
    expect(huge.statusCode).toBe(413);
    expect(huge.body).toContain('The file is too large');
    const empty = await post(session, [['file', new Uint8Array(0), 'empty.pdf']]);
    expect(empty.statusCode).toBe(415);
    expect(empty.body).toContain('The file you chose is empty');
    expect((await post(session, [['note', 'no file']])).statusCode).toBe(400);
    const urlencoded = await app.inject({
      method: 'POST',
      url: URL_,
      headers: { ...SAME_ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      cookies: { site_session: session },
      payload: 'file=x',
    });
    expect(urlencoded.statusCode).toBe(400);
    expect(fake.submitted).toHaveLength(0);
  });
});
