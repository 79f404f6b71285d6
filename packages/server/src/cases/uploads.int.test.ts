/**
 * Secure upload links and uploads, end to end over HTTP on a real server (SQLite, or PostgreSQL in the
 * second pass): staff ask for documents, the cardmember signed in on the demo site sends one, staff
 * download it. Every refusal is checked for its status, its page, and that nothing was stored.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessBus } from '../bus/bus.js';
import { channels, type BusEvent } from '../bus/events.js';
import type { CasesTable } from '../store/schema.js';
import {
  dbKind,
  staffLogin,
  storeUnavailable,
  widgetSession,
  type TestServer,
  startServer,
} from '../../test/helpers.js';

const unavailable = await storeUnavailable(dbKind);
const MAX = 20_000;

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('0000000dIHDR-fake-png-body-for-tests'),
]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

describe.skipIf(unavailable)(`upload links and uploads on ${dbKind}`, () => {
  let s: TestServer;
  let ana: Awaited<ReturnType<typeof staffLogin>>;
  const events: BusEvent[] = [];
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    const bus = new InProcessBus();
    bus.subscribe(channels.staff, (e) => events.push(e));
    s = await startServer({ bus, env: { UPLOAD_MAX_BYTES: String(MAX) } });
    ana = await staffLogin(s);
    cookies.maria = await siteLogin('maria', 'demo-maria-2024');
    cookies.sam = await siteLogin('sam', 'demo-sam-2024');
  }, 60_000);
  afterAll(async () => s?.close());

  async function siteLogin(username: string, password: string): Promise<string> {
    const res = await fetch(`${s.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: s.url },
      body: new URLSearchParams({ username, password }).toString(),
    });
    expect(res.status).toBe(303);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('site_session='));
    return cookie!.split(';')[0]!;
  }

  /** A case of Maria's, linked to an open chat of hers. */
  async function mariasCase(): Promise<{ c: CasesTable; conversationId: string }> {
    const conv = await s.app.services.conversations.openForCard({
      cardmemberId: 'cm_maria',
      cardId: 'card_maria_gold',
      language: 'en',
    });
    const c = await s.app.services.cases.open({
      type: 'general',
      title: 'Refund for a returned order',
      cardmemberId: 'cm_maria',
      language: 'en',
      conversationId: conv.id,
      actor: { type: 'agent', id: 'agent_ana', name: 'Ana' },
    });
    return { c, conversationId: conv.id };
  }

  async function newLink(caseId: string, request?: string): Promise<{ url: string; token: string; expiresAt: string }> {
    const r = await ana.call('POST', `/api/cases/${caseId}/upload-links`, request ? { request } : {});
    expect(r.status).toBe(201);
    const url = r.json.url as string;
    return { url, token: url.split('/upload/')[1]!, expiresAt: r.json.expiresAt as string };
  }

  function send(
    token: string,
    cookie: string,
    file: { name: string; type: string; data: Uint8Array },
    note?: string,
    extra: Record<string, string> = {},
  ) {
    const form = new FormData();
    form.append('file', new Blob([file.data], { type: file.type }), file.name);
    if (note !== undefined) form.append('note', note);
    return fetch(`${s.url}/upload/${token}`, {
      method: 'POST',
      headers: { cookie, origin: s.url, ...extra },
      body: form,
    });
  }

  const uploadsOf = (caseId: string) =>
    s.app.store.db.selectFrom('uploads').selectAll().where('case_id', '=', caseId).execute();
  const linkOf = (token: string) =>
    s.app.store.db
      .selectFrom('upload_links')
      .selectAll()
      .where('token_hash', '=', createHash('sha256').update(token).digest('hex'))
      .executeTakeFirstOrThrow();
  const filesOf = (caseId: string) => {
    const dir = path.join(s.app.config.uploads.dir, caseId);
    return existsSync(dir) ? readdirSync(dir) : [];
  };

  it('staff ask for documents: a single-use link stored only as a hash, posted in the chat, on the timeline', async () => {
    const { c, conversationId } = await mariasCase();
    const { url, token, expiresAt } = await newLink(c.id, 'The receipt of the return, card 4111 1111 1111 1111');
    expect(url).toBe(`${s.url}/upload/${token}`);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Default TTL: a day.
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(23 * 3600_000);
    const link = await linkOf(token);
    expect(link).toMatchObject({ case_id: c.id, cardmember_id: 'cm_maria', used_at: null, max_bytes: MAX });
    expect(JSON.stringify(link)).not.toContain(token);
    expect(link.request).not.toContain('4111 1111 1111 1111');

    const messages = await s.app.store.db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .orderBy('seq')
      .execute();
    const posted = messages.find((m) => m.body.includes(url));
    expect(posted).toMatchObject({ author_type: 'agent', author_id: 'agent_ana', kind: 'text' });
    expect(posted!.body).toContain(c.reference);

    const view = await s.app.services.cases.view((await s.app.services.cases.get(c.id))!, 'cardmember');
    expect(view.timeline!.map((e) => e.type)).toContain('document_requested');
    // The cardmember's secure inbox gets a document request with the same link.
    const inbox = await s.app.store.db
      .selectFrom('secure_messages')
      .selectAll()
      .where('case_id', '=', c.id)
      .where('kind', '=', 'document_request')
      .execute();
    expect(inbox).toHaveLength(1);
    expect(inbox[0]!.subject).toContain(c.reference);
    expect(inbox[0]!.body).toContain(url);
    expect(inbox[0]!.body).not.toContain('4111 1111 1111 1111');

    // The upload page names the case and what was asked, with an accessible form.
    const page = await fetch(url, { headers: { cookie: cookies.maria! } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(c.reference);
    expect(html).toContain('The receipt of the return');
    expect(html).not.toContain('4111 1111 1111 1111');
    expect(html).toMatch(/<label for="upload-file">/);
    expect(html).toContain('PDF, PNG, JPEG or HEIC, up to 20 KB'); // accepted types and size stated
  });

  it('a signed-out visitor gets the sign-in page, which comes back to the link', async () => {
    const { c } = await mariasCase();
    const { token } = await newLink(c.id);
    const res = await fetch(`${s.url}/upload/${token}`, { redirect: 'manual' });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('name="password"');
    const ret = res.headers
      .getSetCookie()
      .find((x) => x.startsWith('site_return='))!
      .split(';')[0]!;
    const login = await fetch(`${s.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: s.url, cookie: ret },
      body: new URLSearchParams({ username: 'maria', password: 'demo-maria-2024' }).toString(),
    });
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe(`/upload/${token}`);
    expect((await linkOf(token)).used_at).toBeNull();
  });

  it('stores a PNG under the data dir with its hash, marks the link used, and tells staff', async () => {
    const { c } = await mariasCase();
    const { token } = await newLink(c.id);
    events.length = 0;
    const res = await send(
      token,
      cookies.maria!,
      { name: 'receipt.png', type: 'image/png', data: PNG },
      'From the store',
    );
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain('Document received');
    expect(body).toContain(c.reference);

    const [up, ...more] = await uploadsOf(c.id);
    expect(more).toHaveLength(0);
    expect(up).toMatchObject({
      content_type: 'image/png',
      size_bytes: PNG.byteLength,
      sha256: createHash('sha256').update(PNG).digest('hex'),
      filename: 'receipt.png',
      note: 'From the store',
      storage_key: `${c.id}/${up!.id}`,
    });
    // Never under its own name, never under a served directory.
    expect(filesOf(c.id)).toEqual([up!.id]);
    expect(readFileSync(path.join(s.app.config.uploads.dir, c.id, up!.id)).equals(PNG)).toBe(true);
    expect((await linkOf(token)).used_at).not.toBeNull();

    const view = await s.app.services.cases.view((await s.app.services.cases.get(c.id))!, 'cardmember');
    const uploaded = view.timeline!.find((e) => e.type === 'document_uploaded');
    expect(uploaded).toMatchObject({ text: 'receipt.png', visibleToCardmember: true });
    expect(view.documents).toBeUndefined();
    const staffView = await s.app.services.cases.view((await s.app.services.cases.get(c.id))!, 'staff');
    expect(staffView.documents).toEqual([expect.objectContaining({ id: up!.id, contentType: 'image/png' })]);
    expect(events.some((e) => e.name === 'case.updated' && (e.payload as { caseId: string }).caseId === c.id)).toBe(
      true,
    );

    // Used: the page and a second send are refused, and nothing more is stored.
    const again = await send(token, cookies.maria!, { name: 'b.png', type: 'image/png', data: PNG });
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('already used');
    expect((await fetch(`${s.url}/upload/${token}`, { headers: { cookie: cookies.maria! } })).status).toBe(410);
    expect(await uploadsOf(c.id)).toHaveLength(1);
  });

  it('redacts a card number in the file name and the note; the PDF is detected by content', async () => {
    const { c } = await mariasCase();
    const { token } = await newLink(c.id);
    const res = await send(
      token,
      cookies.maria!,
      { name: 'statement 4111 1111 1111 1111.pdf', type: 'text/plain', data: PDF },
      'my card is 4111111111111111',
    );
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toMatch(/4111 ?1111 ?1111 ?1111/);
    const [up] = await uploadsOf(c.id);
    expect(up!.content_type).toBe('application/pdf');
    expect(up!.filename).not.toMatch(/4111 ?1111 ?1111/);
    expect(up!.filename).toMatch(/^statement .*\.pdf$/);
    expect(up!.note).not.toContain('4111111111111111');
    const events_ = await s.app.store.db.selectFrom('case_events').selectAll().where('case_id', '=', c.id).execute();
    expect(JSON.stringify(events_)).not.toMatch(/4111 ?1111 ?1111 ?1111/);
  });

  it('refuses an expired link with 410 and stores nothing', async () => {
    const { c } = await mariasCase();
    const { token } = await newLink(c.id);
    await s.app.store.db
      .updateTable('upload_links')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', (await linkOf(token)).id)
      .execute();
    const page = await fetch(`${s.url}/upload/${token}`, { headers: { cookie: cookies.maria! } });
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('expired');
    const res = await send(token, cookies.maria!, { name: 'r.pdf', type: 'application/pdf', data: PDF });
    expect(res.status).toBe(410);
    expect(await res.text()).toContain('This link has expired');
    expect(await uploadsOf(c.id)).toHaveLength(0);
    expect(filesOf(c.id)).toEqual([]);
  });

  it("refuses another cardmember's link with 403 and leaves it usable", async () => {
    const { c } = await mariasCase();
    const { token } = await newLink(c.id);
    const page = await fetch(`${s.url}/upload/${token}`, { headers: { cookie: cookies.sam! } });
    expect(page.status).toBe(403);
    expect(await page.text()).toContain('This link is for another cardmember');
    const res = await send(token, cookies.sam!, { name: 'r.pdf', type: 'application/pdf', data: PDF });
    expect(res.status).toBe(403);
    expect(await uploadsOf(c.id)).toHaveLength(0);
    expect((await linkOf(token)).used_at).toBeNull();
    // Maria can still use it.
    expect((await send(token, cookies.maria!, { name: 'r.pdf', type: 'application/pdf', data: PDF })).status).toBe(200);
  });

  it('refuses unknown tokens with 404 and cross-site posts with 403', async () => {
    const res = await fetch(`${s.url}/upload/${'A'.repeat(43)}`, { headers: { cookie: cookies.maria! } });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('This link is not valid');
    expect((await fetch(`${s.url}/upload/short`, { headers: { cookie: cookies.maria! } })).status).toBe(404);
    const { c } = await mariasCase();
    const { token } = await newLink(c.id);
    const cross = await send(token, cookies.maria!, { name: 'r.pdf', type: 'application/pdf', data: PDF }, undefined, {
      origin: 'https://evil.example',
    });
    expect(cross.status).toBe(403);
    expect((await linkOf(token)).used_at).toBeNull();
  });

  it('refuses a file over the limit with 413, also when the body is far larger, and stores nothing', async () => {
    const { c } = await mariasCase();
    const { token } = await newLink(c.id);
    const big = Buffer.concat([PNG, Buffer.alloc(MAX)]);
    const res = await send(token, cookies.maria!, { name: 'big.png', type: 'image/png', data: big });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('The file is too large');
    const huge = Buffer.concat([PDF, Buffer.alloc(2 * 1024 * 1024)]);
    const res2 = await send(token, cookies.maria!, { name: 'huge.pdf', type: 'application/pdf', data: huge });
    expect(res2.status).toBe(413);
    expect(await res2.text()).toContain('The file is too large');
    expect(await uploadsOf(c.id)).toHaveLength(0);
    expect(filesOf(c.id)).toEqual([]);
    expect((await linkOf(token)).used_at).toBeNull();
  });

  it('refuses by content: a script or HTML named .pdf, a PDF header not at byte 0, an empty file (415)', async () => {
    const { c } = await mariasCase();
    const { token } = await newLink(c.id);
    const cases: Array<{ name: string; type: string; data: Buffer }> = [
      { name: 'receipt.pdf', type: 'application/pdf', data: Buffer.from('#!/bin/sh\nrm -rf /\n') },
      { name: 'receipt.pdf', type: 'application/pdf', data: Buffer.from('<html><script>alert(1)</script></html>') },
      { name: 'receipt.pdf', type: 'application/pdf', data: Buffer.concat([Buffer.from('\n'), PDF]) },
      { name: 'receipt.png', type: 'image/png', data: Buffer.from('GIF89a-not-accepted') },
      { name: 'receipt.pdf', type: 'application/pdf', data: Buffer.alloc(0) },
    ];
    for (const f of cases) {
      const res = await send(token, cookies.maria!, f);
      expect(res.status, f.data.toString().slice(0, 12)).toBe(415);
      expect(await res.text()).toContain('This type of file is not accepted');
    }
    expect(await uploadsOf(c.id)).toHaveLength(0);
    expect(filesOf(c.id)).toEqual([]);
    expect((await linkOf(token)).used_at).toBeNull();
  });

  it('a double submit stores one file', async () => {
    const { c } = await mariasCase();
    const { token } = await newLink(c.id);
    const results = await Promise.all(
      [0, 1, 2].map(() => send(token, cookies.maria!, { name: 'r.png', type: 'image/png', data: PNG })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 410, 410]);
    expect(await uploadsOf(c.id)).toHaveLength(1);
    expect(filesOf(c.id)).toHaveLength(1);
  });

  it('staff who may read the case download the file as an attachment; cardmembers and others cannot', async () => {
    const { c } = await mariasCase();
    const { token } = await newLink(c.id);
    expect(
      (await send(token, cookies.maria!, { name: 'r"e\u0007c.pdf', type: 'application/pdf', data: PDF })).status,
    ).toBe(200);
    const [up] = await uploadsOf(c.id);
    const url = `${s.url}/api/cases/${c.id}/documents/${up!.id}`;
    const res = await fetch(url, { headers: { cookie: ana.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).toBe(true);

    // The cardmember: neither their widget session nor their site cookie is a staff session.
    const widget = await widgetSession(s, { sub: 'cm_maria', card: 'card_maria_gold' });
    const asWidget = await fetch(url, { headers: { authorization: `Bearer ${widget.sessionToken}` } });
    expect(asWidget.status).toBe(401);
    expect((await fetch(url, { headers: { cookie: cookies.maria! } })).status).toBe(401);
    // An administrator never; an unknown document or case is 404.
    const admin = await staffLogin(s, 'admin@carechat.test', 'demo-admin-2024');
    expect((await admin.call('GET', `/api/cases/${c.id}/documents/${up!.id}`)).status).toBe(403);
    expect((await ana.call('GET', `/api/cases/${c.id}/documents/nope`)).json.error.code).toBe('not_found');
    expect((await ana.call('GET', `/api/cases/nope/documents/${up!.id}`)).status).toBe(404);
    // Staff routes refuse bad input and a missing CSRF token clearly.
    expect((await ana.call('POST', `/api/cases/${c.id}/upload-links`, { request: 'x'.repeat(501) })).status).toBe(400);
    const noCsrf = await fetch(`${s.url}/api/cases/${c.id}/upload-links`, {
      method: 'POST',
      headers: { cookie: ana.cookie, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(noCsrf.status).toBe(403);
  });
});
