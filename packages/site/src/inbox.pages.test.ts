import type { CaseView, SecureMessageView } from '@carechat/protocol';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp, buildDeps } from './site.test-helpers.js';
import type { SiteInbox } from './site.types.js';

const SAME_ORIGIN = { origin: 'http://localhost' };

function message(
  over: Partial<SecureMessageView> & { id: string; owner?: string },
): SecureMessageView & { owner: string } {
  return {
    kind: 'case_update',
    caseId: 'case_1',
    caseReference: 'DSP-ABCD1234',
    conversationId: null,
    language: 'en',
    subject: 'We opened case DSP-ABCD1234',
    body: 'Line one.\n\n• first point\n• <b>second</b> point',
    createdAt: '2026-11-25T12:00:00.000Z',
    readAt: null,
    owner: 'cm_maria',
    ...over,
  };
}

function caseView(over: Partial<CaseView> = {}): CaseView {
  return {
    id: 'case_1',
    reference: 'DSP-ABCD1234',
    type: 'dispute',
    status: 'acknowledged',
    title: 'Charged twice <script>',
    language: 'en',
    cardmemberId: 'cm_maria',
    cardLast4: '1005',
    ownerTeamId: 'disputes',
    complaintCategory: null,
    disputeId: 'd1',
    deadlines: {
      acknowledgeBy: '2026-12-25',
      resolveBy: '2027-02-20',
      acknowledgedAt: '2026-11-26T09:00:00.000Z',
      resolvedAt: null,
    },
    createdAt: '2026-11-25T12:00:00.000Z',
    updatedAt: '2026-11-26T09:00:00.000Z',
    timeline: [
      {
        id: 'e1',
        type: 'created',
        at: '2026-11-25T12:00:00.000Z',
        actor: { type: 'assistant', id: null, name: null },
        fromStatus: null,
        toStatus: 'open',
        text: 'Opened from the chat',
        visibleToCardmember: true,
      },
      {
        id: 'e2',
        type: 'note',
        at: '2026-11-25T13:00:00.000Z',
        actor: { type: 'agent', id: 'a', name: 'Ben' },
        fromStatus: null,
        toStatus: null,
        text: 'INTERNAL: merchant is a repeat offender',
        visibleToCardmember: false,
      },
      {
        id: 'e3',
        type: 'status_changed',
        at: '2026-11-26T09:00:00.000Z',
        actor: { type: 'agent', id: 'a', name: 'Ben' },
        fromStatus: 'open',
        toStatus: 'acknowledged',
        text: null,
        visibleToCardmember: true,
      },
    ],
    ...over,
  };
}

/** In-memory inbox: Maria has two messages (one read) and a case; José has one of each, in Spanish. */
function fakeInbox() {
  const messages = [
    message({ id: 'm2', subject: 'Newest <img src=x onerror=alert(1)>', createdAt: '2026-11-26T09:00:00.000Z' }),
    message({ id: 'm1', readAt: '2026-11-25T13:00:00.000Z' }),
    message({ id: 'm3', owner: 'cm_jose', language: 'es', subject: 'Abrimos el caso', caseReference: 'CMP-ZZZZ0000' }),
  ];
  const cases = [
    caseView(),
    caseView({
      id: 'case_2',
      reference: 'CMP-ZZZZ0000',
      cardmemberId: 'cm_jose',
      type: 'complaint',
      status: 'open',
      language: 'es',
    }),
  ];
  const calls: string[] = [];
  const inbox: SiteInbox = {
    async unreadCount(cm) {
      return messages.filter((m) => m.owner === cm && !m.readAt).length;
    },
    async messages(cm) {
      return messages.filter((m) => m.owner === cm);
    },
    async openMessage(cm, id) {
      calls.push(`open ${cm} ${id}`);
      const m = messages.find((x) => x.id === id && x.owner === cm);
      if (!m) return null;
      m.readAt ??= '2026-11-27T00:00:00.000Z';
      return m;
    },
    async cases(cm) {
      return cases.filter((c) => c.cardmemberId === cm);
    },
    async caseByReference(cm, reference) {
      return cases.find((c) => c.reference === reference && c.cardmemberId === cm) ?? null;
    },
  };
  return { inbox, calls, messages };
}

let app: FastifyInstance;
let fake: ReturnType<typeof fakeInbox>;
beforeEach(async () => {
  fake = fakeInbox();
  app = await buildApp(buildDeps({ inbox: fake.inbox }));
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
const get = async (url: string, session?: string) =>
  app.inject({ url, ...(session ? { cookies: { site_session: session } } : {}) });

describe('account nav', () => {
  it('says how many messages are unread, in words, on every signed-in page', async () => {
    const res = await get('/account', await login());
    expect(res.body).toMatch(/<a href="\/account\/messages"[^>]*>Messages \(1 unread\)<\/a>/);
    expect(res.body).toContain('<a href="/account/cases">Your cases</a>');
    const es = await get('/account', await login('jose', 'jose-demo-pass'));
    expect(es.body).toContain('Mensajes (1 sin leer)');
  });

  it('has no Messages link when the site serves no inbox', async () => {
    const plain = await buildApp(buildDeps());
    const res = await plain.inject({
      method: 'POST',
      url: '/login',
      headers: SAME_ORIGIN,
      payload: { username: 'maria', password: 'maria-demo-pass' },
    });
    const page = await plain.inject({
      url: '/account',
      cookies: { site_session: res.cookies.find((c) => c.name === 'site_session')!.value },
    });
    expect(page.body).not.toContain('/account/messages');
    expect((await plain.inject({ url: '/account/messages' })).statusCode).toBe(404);
    await plain.close();
  });
});

describe('/account/messages', () => {
  it('lists the messages as given (newest first), unread said in words, escaped, with dates', async () => {
    const res = await get('/account/messages', await login());
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain('<h1>Secure messages</h1>');
    expect(res.body).toContain('aria-current="page"');
    const items = res.body.split('data-testid="message-item"').slice(1);
    expect(items).toHaveLength(2);
    expect(items[0]).toContain('Newest &lt;img src=x onerror=alert(1)&gt;');
    expect(items[0]).toContain('<strong>Unread</strong>');
    expect(items[1]).toContain('<strong>Read</strong>');
    expect(items[0]).toContain('<time datetime="2026-11-26T09:00:00.000Z">November 26, 2026</time>');
    expect(res.body).not.toContain('<img src=x');
    expect(res.body).not.toContain('Abrimos el caso');
  });

  it('opens a message, marks it read, and shows its points as a list', async () => {
    const res = await get('/account/messages/m2', await login());
    expect(res.statusCode).toBe(200);
    expect(fake.calls).toEqual(['open cm_maria m2']);
    expect(res.body).toContain('<ul><li>first point</li><li>&lt;b&gt;second&lt;/b&gt; point</li></ul>');
    expect(res.body).toContain('<a href="/account/cases/DSP-ABCD1234">Case DSP-ABCD1234</a>');
    // The nav already counts it as read.
    expect(res.body).toMatch(/data-testid="nav-messages">Messages<\/a>/);
  });

  it("answers 404 for another cardmember's message and for a malformed id, and sends the signed-out to sign in", async () => {
    const session = await login();
    const other = await get('/account/messages/m3', session);
    expect(other.statusCode).toBe(404);
    expect(other.body).toContain('We could not find that in your account.');
    expect(fake.messages.find((m) => m.id === 'm3')!.readAt).toBeNull();
    expect((await get('/account/messages/..%2F..%2Fetc', session)).statusCode).toBe(404);
    const anon = await get('/account/messages');
    expect(anon.statusCode).toBe(303);
    expect(anon.headers.location).toBe('/');
    expect((await get('/account/cases/DSP-ABCD1234')).statusCode).toBe(303);
  });
});

describe('/account/cases', () => {
  it('lists the cases with reference, type, status and dates, escaped', async () => {
    const res = await get('/account/cases', await login());
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Your cases</h1>');
    expect(res.body).toContain('<a href="/account/cases/DSP-ABCD1234">DSP-ABCD1234</a>: Charged twice &lt;script&gt;');
    expect(res.body).toContain('<dt>Type</dt><dd>Dispute</dd>');
    expect(res.body).toContain('<dt>Status</dt><dd>Acknowledged</dd>');
    expect(res.body).toContain(
      '<dt>We resolve it by</dt><dd><time datetime="2027-02-20">February 20, 2027</time></dd>',
    );
    expect(res.body).not.toContain('CMP-ZZZZ0000');
  });

  it("shows a case's timeline without internal entries, and 404 for another cardmember's case", async () => {
    const session = await login();
    const res = await get('/account/cases/dsp-abcd1234', session);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Case DSP-ABCD1234</h1>');
    const entries = res.body.split('data-testid="timeline-entry"').slice(1);
    expect(entries).toHaveLength(2);
    expect(entries[0]).toContain('Case opened</strong> — Opened from the chat');
    expect(entries[1]).toContain('Status: Acknowledged');
    expect(res.body).not.toContain('INTERNAL');
    expect((await get('/account/cases/CMP-ZZZZ0000', session)).statusCode).toBe(404);
    expect((await get('/account/cases/not-a-reference', session)).statusCode).toBe(404);
  });

  it('speaks Spanish to José', async () => {
    const session = await login('jose', 'jose-demo-pass');
    const res = await get('/account/cases/CMP-ZZZZ0000', session);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="es">');
    expect(res.body).toContain('<dt>Tipo</dt><dd>Queja</dd>');
    expect(res.body).toContain('Lo que ha pasado');
    expect((await get('/account/messages', session)).body).toContain('<strong>No leído</strong>');
  });
});
