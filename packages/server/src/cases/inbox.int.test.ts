/**
 * The secure inbox over the real app (SQLite, or PostgreSQL in the second pass): messages are
 * idempotent and private to their cardmember; case notices in the case's language (the FCBA written
 * acknowledgement for disputes); chat summaries from recorded facts only, stored when a chat ends and
 * at the end of the transcript; and the site's messages and cases pages over the real server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessBus } from '../bus/bus.js';
import { channels, type BusEvent } from '../bus/events.js';
import {
  eventually,
  startServer,
  storeUnavailable,
  TestSocket,
  widgetSession,
  type TestServer,
} from '../../test/helpers.js';
import type { CaseActor } from './cases.service.js';
import { SecureMessagesService } from './secure-messages.service.js';
import { PatternRedactor } from '../redaction/redactor.js';
import { systemClock } from '../shared/clock.js';

const skip = await storeUnavailable();
const AGENT: CaseActor = { type: 'agent', id: 'agent_ben', name: 'Ben' };

describe.skipIf(skip)('secure inbox, notices and summaries', () => {
  let s: TestServer;
  let messages: SecureMessagesService;
  const bus = new InProcessBus();
  beforeAll(async () => {
    s = await startServer({ bus });
    messages = new SecureMessagesService({
      db: s.app.store.db,
      bus: { publish: async () => {}, subscribe: () => () => {}, ready: async () => {}, close: async () => {} },
      clock: systemClock,
      redactor: new PatternRedactor(),
    });
  });
  afterAll(async () => s?.close());

  const inbox = async (cm: string) =>
    s.app.store.db.selectFrom('secure_messages').selectAll().where('cardmember_id', '=', cm).execute();

  it('sends a message once per dedupe key, even when two sends race, and keeps it private', async () => {
    const send = () =>
      messages.send({
        cardmemberId: 'cm_sam',
        kind: 'case_update',
        language: 'en',
        subject: 'Hello',
        body: 'Your card 4111 1111 1111 1111 is fine',
        dedupeKey: 'test:race',
      });
    const [a, b] = await Promise.all([send(), send()]);
    expect(a.message.id).toBe(b.message.id);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    const rows = (await inbox('cm_sam')).filter((r) => r.dedupe_key === 'test:race');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.body).not.toContain('4111 1111 1111 1111');

    expect(await messages.unreadCount('cm_sam')).toBe(1);
    expect(await messages.get('cm_priya', a.message.id)).toBeUndefined();
    expect(await messages.markRead('cm_priya', a.message.id)).toBe(false);
    expect(await messages.unreadCount('cm_sam')).toBe(1);
    expect(await messages.markRead('cm_sam', a.message.id)).toBe(true);
    expect(await messages.unreadCount('cm_sam')).toBe(0);
    expect((await messages.get('cm_sam', a.message.id))!.readAt).not.toBeNull();
  });

  it('lists newest first', async () => {
    const first = await messages.send({
      cardmemberId: 'cm_priya',
      kind: 'summary',
      language: 'en',
      subject: 'One',
      body: 'a',
    });
    await new Promise((r) => setTimeout(r, 5));
    const second = await messages.send({
      cardmemberId: 'cm_priya',
      kind: 'summary',
      language: 'en',
      subject: 'Two',
      body: 'b',
    });
    expect((await messages.list('cm_priya')).map((m) => m.id)).toEqual([second.message.id, first.message.id]);
  });

  it('writes case notices in the case language: opened, FCBA acknowledgement, documents, resolution', async () => {
    const events: BusEvent[] = [];
    const off = subscribe('cm_jose', events);
    const cases = s.app.services.cases;
    const c = await cases.open({
      type: 'dispute',
      title: 'Cena cobrada dos veces',
      cardmemberId: 'cm_jose',
      language: 'es',
      acknowledgeBy: '2026-12-25',
      resolveBy: '2027-02-20',
      actor: AGENT,
    });
    await cases.transition(c.id, 'acknowledged', AGENT);
    await cases.transition(c.id, 'awaiting_customer', AGENT);
    await cases.transition(c.id, 'in_progress', AGENT);
    await cases.transition(c.id, 'awaiting_customer', AGENT);
    await cases.transition(c.id, 'resolved', AGENT, 'Le devolvimos el cargo duplicado. Tarjeta 4111 1111 1111 1111');
    const rows = (await inbox('cm_jose'))
      .filter((r) => r.case_id === c.id)
      .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.kind.localeCompare(b.kind));
    const byKind = (k: string) => rows.filter((r) => r.kind === k);
    expect(byKind('case_update')[0]!.body).toContain(c.reference);
    expect(byKind('case_update')[0]!.body).toContain('25 de diciembre de 2026');
    expect(byKind('case_update')[0]!.body).toContain('20 de febrero de 2027');
    const ack = byKind('acknowledgement')[0]!;
    expect(ack.language).toBe('es');
    expect(ack.subject).toBe(`Confirmación por escrito de su disputa ${c.reference}`);
    expect(ack.body).toContain('20 de febrero de 2027');
    expect(ack.body).toContain('no tiene que pagar el monto en disputa');
    // Documents asked twice: two notices, each with its own key.
    expect(byKind('document_request')).toHaveLength(2);
    expect(new Set(byKind('document_request').map((r) => r.dedupe_key)).size).toBe(2);
    const resolution = byKind('resolution')[0]!;
    expect(resolution.body).toContain('Resultado: Le devolvimos el cargo duplicado.');
    expect(resolution.body).not.toContain('4111 1111 1111 1111');
    expect(rows.map((r) => r.dedupe_key)).toContain(`case:${c.id}:status:acknowledged`);
    // Each notice is announced on the cardmember's channel after commit.
    await eventually(() => events.filter((e) => e.name === 'secure_message.created').length >= 5 || null);
    off();
  });

  const subscribe = (cm: string, into: BusEvent[]) => bus.subscribe(channels.cardmember(cm), (e) => into.push(e));

  it('stores a summary when the chat ends (once), from records only, and ends the transcript with it', async () => {
    const session = await widgetSession(s, { sub: 'cm_maria', card: 'card_maria_gold' });
    const convId = session.conversation.id;
    const cm = await TestSocket.open(s, { sessionToken: session.sessionToken });
    await cm.handshake(convId, session.conversation.lastSeq);
    const queued = cm.next('conversation', (f) => f.conversation.status === 'queued');
    cm.send({
      type: 'send',
      conversationId: convId,
      clientMsgId: 'cm-msg-0001',
      body: 'I want to talk to a live agent please, my dog Biscuit ate my statement',
    });
    await queued;
    const cases = s.app.services.cases;
    const complaint = await cases.open({
      type: 'complaint',
      title: 'Fees',
      cardmemberId: 'cm_maria',
      language: 'en',
      conversationId: convId,
      actor: AGENT,
    });
    const end = await fetch(`${s.url}/api/widget/conversations/${convId}/end`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.sessionToken}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(end.status).toBe(200);
    await s.app.services.conversations.end(
      {
        role: 'cardmember',
        cardmemberId: 'cm_maria',
        cardId: 'card_maria_gold',
        sessionHash: 'x',
        firstName: 'Maria',
        language: 'en',
      },
      convId,
    );
    const summaries = (await inbox('cm_maria')).filter((r) => r.kind === 'summary' && r.conversation_id === convId);
    expect(summaries).toHaveLength(1);
    const body = summaries[0]!.body;
    expect(summaries[0]!.dedupe_key).toBe(`summary:${convId}`);
    expect(body).toMatch(/^Summary of this chat:/);
    expect(body).toContain('What you asked about: speaking with an agent.');
    expect(body).toContain('Your chat was passed to our team.');
    expect(body).toContain(`Complaint case ${complaint.reference} opened`);
    expect(body).toContain(`• Complaint ${complaint.reference}: we will answer it in writing within 15 business days.`);
    expect(body).toContain('The chat ended.');
    // Never the cardmember's own words.
    expect(body).not.toContain('Biscuit');

    const res = await fetch(`${s.url}/api/widget/conversations/${convId}/transcript`, {
      headers: { authorization: `Bearer ${session.sessionToken}` },
    });
    const text = await res.text();
    expect(text).toContain('Biscuit'); // the transcript itself has the chat
    expect(text.trimEnd().endsWith(body.split('\n').at(-1)!)).toBe(true);
    expect(text).toContain('\nSummary of this chat:\n');
    cm.ws.close();
  });

  it('serves the messages and cases pages to the signed-in cardmember only', async () => {
    const login = async (username: string, password: string) => {
      const res = await fetch(`${s.url}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { origin: s.url, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username, password }).toString(),
      });
      return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    };
    const maria = await login('maria', 'demo-maria-2024');
    const get = (cookie: string, p: string) => fetch(`${s.url}${p}`, { headers: { cookie }, redirect: 'manual' });

    const unread = await messages.unreadCount('cm_maria');
    expect(unread).toBeGreaterThan(0);
    const list = await get(maria, '/account/messages');
    expect(list.status).toBe(200);
    const listHtml = await list.text();
    expect(listHtml).toContain(`Messages (${unread} unread)`);
    expect(listHtml).toContain('Summary of your chat');
    const mine = await messages.list('cm_maria');
    const open = await get(maria, `/account/messages/${mine[0]!.id}`);
    expect(open.status).toBe(200);
    expect(await open.text()).toContain(unread - 1 > 0 ? `Messages (${unread - 1} unread)` : '>Messages</a>');
    expect(await messages.unreadCount('cm_maria')).toBe(unread - 1);

    const myCase = (await s.app.services.cases.listForCardmember('cm_maria'))[0]!;
    const cases = await get(maria, '/account/cases');
    expect(await cases.text()).toContain(myCase.reference);
    const detail = await get(maria, `/account/cases/${myCase.reference}`);
    expect(detail.status).toBe(200);
    expect(await detail.text()).toContain('<ol class="case-timeline">');

    // José's case and message are not Maria's: the same 404 as an unknown one.
    const jose = (await s.app.services.cases.listForCardmember('cm_jose'))[0]!;
    expect((await get(maria, `/account/cases/${jose.reference}`)).status).toBe(404);
    const joseMessage = (await messages.list('cm_jose'))[0]!;
    expect((await get(maria, `/account/messages/${joseMessage.id}`)).status).toBe(404);
    expect((await messages.get('cm_jose', joseMessage.id))!.readAt).toBeNull();
    // Signed out: back to sign-in.
    expect((await get('', '/account/messages')).status).toBe(303);
  });
});
