/**
 * Staff cases API against a real server, on SQLite and PostgreSQL: the cardmember's cases for a chat
 * (the chat's own first, with documents), opening a case from a chat (owner team by type, complaint
 * category required, internal note redacted), reading and changing a case's status (who may, the 409
 * of the lifecycle), the chat's `CHT-` reference on accept (shown to both audiences), and the 4xx
 * answers to bad input.
 */
import type { CaseView } from '@carechat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Assistant } from '../assistant/assistant.js';
import {
  dbKind,
  staffLogin,
  startServer,
  storeUnavailable,
  widgetSession,
  type TestServer,
} from '../../test/helpers.js';

const stores = dbKind === 'postgres' ? (['postgres'] as const) : (['sqlite', 'postgres'] as const);
const unavailable = { sqlite: null, postgres: await storeUnavailable('postgres') };
const SILENT: Assistant = { greet: () => ({ replies: [] }), respond: async () => ({ replies: [] }) };
const CARDS = {
  maria: { sub: 'cm_maria', card: 'card_maria_gold' },
  sam: { sub: 'cm_sam', card: 'card_sam_blue' },
  grace: { sub: 'cm_grace', card: 'card_grace_gold' },
} as const;
type Staff = Awaited<ReturnType<typeof staffLogin>>;

describe.each(stores)('staff cases API on %s', (kind) => {
  let s: TestServer;
  let ana: Staff; // general en+es
  let ben: Staff; // general + disputes, en
  let sofia: Staff; // supervisor of every team
  let admin: Staff;

  beforeAll(async () => {
    if (unavailable[kind]) return;
    s = await startServer({ db: kind, assistant: SILENT, env: { ROUTING_SWEEP_MS: '60000' } });
    ana = await staffLogin(s, 'ana@carechat.test', 'demo-ana-2024');
    ben = await staffLogin(s, 'ben@carechat.test', 'demo-ben-2024');
    sofia = await staffLogin(s, 'sofia@carechat.test', 'demo-sofia-2024');
    admin = await staffLogin(s, 'admin@carechat.test', 'demo-admin-2024');
  }, 60_000);
  afterAll(async () => s?.close());

  /** A fresh chat of the persona (earlier ones closed), queued to general and taken by `who`. */
  async function heldChat(persona: keyof typeof CARDS, who: Staff = ana) {
    await s.app.store.db
      .updateTable('conversations')
      .set({ status: 'closed', closed_at: new Date().toISOString(), closed_by: 'system' })
      .where('card_id', '=', CARDS[persona].card)
      .where('status', '!=', 'closed')
      .execute();
    const session = await widgetSession(s, CARDS[persona]);
    const id = session.conversation.id;
    await s.app.services.conversations.enqueue(id, 'general', 0, 'test');
    const accepted = await who.call('POST', `/api/conversations/${id}/accept`);
    expect(accepted.status).toBe(200);
    return { id, token: session.sessionToken, accepted: accepted.json.conversation as { reference?: string | null } };
  }

  it.skipIf(!!unavailable[kind])(
    'gives a chat its CHT- reference when an agent accepts it, shown to both sides',
    async () => {
      const chat = await heldChat('grace');
      expect(chat.accepted.reference).toMatch(/^CHT-[0-9A-Z]{8}$/);
      const row = await s.app.store.db
        .selectFrom('conversations')
        .select('reference')
        .where('id', '=', chat.id)
        .executeTakeFirstOrThrow();
      expect(row.reference).toBe(chat.accepted.reference);
      const staffView = await ana.call('GET', `/api/conversations/${chat.id}`);
      expect(staffView.json.conversation.reference).toBe(row.reference);
      // The cardmember sees it too (a new widget session returns the open chat).
      const again = await widgetSession(s, CARDS.grace);
      expect(again.conversation.id).toBe(chat.id);
      expect(again.conversation.reference).toBe(row.reference);
    },
  );

  it.skipIf(!!unavailable[kind])(
    "opens a case from a chat for the chat's cardmember, with the owner team by type and the note internal",
    async () => {
      const chat = await heldChat('maria');
      const r = await ana.call('POST', '/api/cases', {
        conversationId: chat.id,
        type: 'credit_limit',
        title: 'Wants a higher limit',
        note: 'Verified by phone; card 4111 1111 1111 1111 mentioned',
      });
      expect(r.status).toBe(201);
      const c = r.json.case as CaseView;
      expect(c).toMatchObject({
        type: 'credit_limit',
        status: 'open',
        title: 'Wants a higher limit',
        cardmemberId: 'cm_maria',
        cardLast4: '1005',
        ownerTeamId: 'credit',
        complaintCategory: null,
        documents: [],
      });
      expect(c.reference).toMatch(/^CLR-[0-9A-Z]{8}$/);
      expect(c.links).toEqual([expect.objectContaining({ kind: 'conversation', id: chat.id })]);
      expect(c.timeline!.map((e) => [e.type, e.visibleToCardmember])).toEqual([
        ['created', true],
        ['note', false],
      ]);
      const note = c.timeline![1]!;
      expect(note.actor).toMatchObject({ type: 'agent', id: 'agent_ana', name: 'Ana' });
      expect(note.text).toMatch(/Verified by phone/);
      expect(JSON.stringify(c)).not.toMatch(/4111 ?1111 ?1111 ?1111/);
      // The cardmember's view has no internal note.
      const cmView = await s.app.services.cases.view((await s.app.services.cases.get(c.id))!, 'cardmember');
      expect(cmView.timeline!.map((e) => e.type)).toEqual(['created']);
    },
  );

  it.skipIf(!!unavailable[kind])('requires a category for a complaint and refuses bad bodies with 400', async () => {
    const chat = await heldChat('maria');
    const bad = async (body: unknown) => {
      const r = await ana.call('POST', '/api/cases', body);
      return [r.status, r.json.error?.code];
    };
    expect(await bad({ conversationId: chat.id, type: 'complaint', title: 'Rude agent' })).toEqual([
      400,
      'bad_request',
    ]);
    expect(await bad({ conversationId: chat.id, type: 'nonsense', title: 'x' })).toEqual([400, 'bad_request']);
    expect(await bad({ conversationId: chat.id, type: 'general', title: '   ' })).toEqual([400, 'bad_request']);
    expect(await bad({ conversationId: chat.id, type: 'general', title: 'x'.repeat(201) })).toEqual([
      400,
      'bad_request',
    ]);
    expect(
      await bad({ conversationId: chat.id, type: 'complaint', title: 'Fees', complaintCategory: 'not-a-category' }),
    ).toEqual([400, 'bad_request']);
    expect(await bad('not json at all')).toEqual([400, 'bad_request']);
    const ok = await ana.call('POST', '/api/cases', {
      conversationId: chat.id,
      type: 'complaint',
      title: 'Fee not explained',
      complaintCategory: 'fees',
    });
    expect(ok.status).toBe(201);
    expect(ok.json.case).toMatchObject({ type: 'complaint', complaintCategory: 'fees', ownerTeamId: 'general' });
    expect(ok.json.case.reference).toMatch(/^CMP-/);
    // A category on another type is not kept.
    const gen = await ana.call('POST', '/api/cases', {
      conversationId: chat.id,
      type: 'general',
      title: 'Address question',
      complaintCategory: 'fees',
    });
    expect(gen.json.case.complaintCategory).toBeNull();
  });

  it.skipIf(!!unavailable[kind])(
    "lists the chat's cardmember's cases, the chat's own first, to staff who read the chat only",
    async () => {
      const cases = s.app.services.cases;
      const actor = { type: 'system' as const, id: null, name: null };
      // An earlier case of Sam's, from no chat.
      const older = await cases.open({
        type: 'travel',
        title: 'Trip claim',
        cardmemberId: 'cm_sam',
        language: 'en',
        actor,
      });
      const chat = await heldChat('sam');
      const mine = await ana.call('POST', '/api/cases', {
        conversationId: chat.id,
        type: 'general',
        title: 'Statement copy',
      });
      expect(mine.status).toBe(201);
      // A document on the older case shows in the staff view.
      const now = new Date().toISOString();
      await s.app.store.db
        .insertInto('upload_links')
        .values({
          id: 'link-t1-' + kind,
          token_hash: 'hash-t1-' + kind,
          case_id: older.id,
          cardmember_id: 'cm_sam',
          request: null,
          created_by_type: 'agent',
          created_by_id: 'agent_ana',
          max_bytes: 1000,
          expires_at: now,
          used_at: now,
          created_at: now,
        })
        .execute();
      await s.app.store.db
        .insertInto('uploads')
        .values({
          id: 'upload-t1-' + kind,
          case_id: older.id,
          cardmember_id: 'cm_sam',
          link_id: 'link-t1-' + kind,
          filename: 'receipt.pdf',
          content_type: 'application/pdf',
          size_bytes: 1234,
          sha256: 'ab'.repeat(32),
          storage_key: 'k',
          note: null,
          created_at: now,
        })
        .execute();

      const list = await ana.call('GET', `/api/conversations/${chat.id}/cases`);
      expect(list.status).toBe(200);
      const got = list.json.cases as CaseView[];
      expect(got.map((c) => c.id)).toEqual([mine.json.case.id, older.id]);
      expect(got[1]!.documents).toEqual([
        expect.objectContaining({ id: 'upload-t1-' + kind, filename: 'receipt.pdf', sizeBytes: 1234 }),
      ]);
      expect(got[1]!.links).toEqual([]);
      // A supervisor of the team reads it; a colleague who does not hold the chat gets a 404; an admin a 403.
      expect((await sofia.call('GET', `/api/conversations/${chat.id}/cases`)).status).toBe(200);
      const benList = await ben.call('GET', `/api/conversations/${chat.id}/cases`);
      expect([benList.status, benList.json.error.code]).toEqual([404, 'conversation_not_found']);
      const adminList = await admin.call('GET', `/api/conversations/${chat.id}/cases`);
      expect([adminList.status, adminList.json.error.code]).toEqual([403, 'forbidden']);
      // Opening a case needs to handle the chat.
      const benOpen = await ben.call('POST', '/api/cases', { conversationId: chat.id, type: 'general', title: 'x' });
      expect(benOpen.status).toBe(404);
    },
  );

  it.skipIf(!!unavailable[kind])(
    'reads and moves a case through its lifecycle; refuses what the lifecycle does not allow with 409',
    async () => {
      const chat = await heldChat('maria');
      const opened = await ana.call('POST', '/api/cases', {
        conversationId: chat.id,
        type: 'credit_limit',
        title: 'Limit review',
      });
      const id = opened.json.case.id as string;
      expect((await ana.call('GET', `/api/cases/${id}`)).json.case.id).toBe(id);

      const move = (who: Staff, status: string, extra: object = {}) =>
        who.call('POST', `/api/cases/${id}/status`, { status, ...extra });
      const ack = await move(ana, 'acknowledged', { note: 'We have your request.' });
      expect(ack.status).toBe(200);
      expect(ack.json.case.status).toBe('acknowledged');
      expect(ack.json.case.deadlines.acknowledgedAt).not.toBeNull();
      expect(ack.json.case.timeline.at(-1)).toMatchObject({
        type: 'status_changed',
        fromStatus: 'open',
        toStatus: 'acknowledged',
        text: 'We have your request.',
        visibleToCardmember: true,
      });
      // The cardmember was written to about the acknowledgement; a change marked notify: false is not.
      const inbox = () =>
        s.app.store.db.selectFrom('secure_messages').select('dedupe_key').where('case_id', '=', id).execute();
      const noticesBefore = (await inbox()).length;
      expect((await inbox()).map((m) => m.dedupe_key)).toContain(`case:${id}:status:acknowledged`);
      expect((await move(ana, 'awaiting_customer', { notify: false })).status).toBe(200);
      expect((await inbox()).length).toBe(noticesBefore);
      const back = await move(ana, 'open');
      expect([back.status, back.json.error.code]).toEqual([409, 'conflict']);
      expect((await move(sofia, 'resolved')).json.case.status).toBe('resolved');
      expect((await move(ana, 'closed')).json.case.status).toBe('closed');
      const reopen = await move(ana, 'in_progress');
      expect([reopen.status, reopen.json.error.code]).toEqual([409, 'conflict']);

      const badStatus = await move(ana, 'done');
      expect([badStatus.status, badStatus.json.error.code]).toEqual([400, 'bad_request']);
      const badNote = await move(ana, 'closed', { note: 'x'.repeat(2001) });
      expect(badNote.status).toBe(400);
      const unknown = await ana.call('GET', '/api/cases/no-such-case');
      expect([unknown.status, unknown.json.error.code]).toEqual([404, 'not_found']);
    },
  );

  it.skipIf(!!unavailable[kind])(
    'lets the owner team, supervisors and the agent of its chat change a case; others get 404 or 403',
    async () => {
      const chat = await heldChat('maria');
      // Credit owns a credit-limit case: Ana (general) acts as the chat's assignee only.
      const opened = await ana.call('POST', '/api/cases', {
        conversationId: chat.id,
        type: 'credit_limit',
        title: 'CLI',
      });
      const id = opened.json.case.id as string;
      // Ben neither serves Credit nor holds the chat: he cannot even see the case.
      const benRead = await ben.call('GET', `/api/cases/${id}`);
      expect([benRead.status, benRead.json.error.code]).toEqual([404, 'not_found']);
      const benMove = await ben.call('POST', `/api/cases/${id}/status`, { status: 'acknowledged' });
      expect(benMove.status).toBe(404);
      const adminRead = await admin.call('GET', `/api/cases/${id}`);
      expect(adminRead.status).toBe(403);
      // Once the chat is closed, Ana still handled it: she may still update the case.
      await ana.call('POST', `/api/conversations/${chat.id}/end`);
      expect((await ana.call('POST', `/api/cases/${id}/status`, { status: 'in_progress' })).status).toBe(200);
      // A general case of a chat Ana handled: Ben reads and changes it as a member of the owner team.
      const general = await ana.call('POST', '/api/cases', { conversationId: chat.id, type: 'general', title: 'G' });
      expect(general.status).toBe(201);
      expect((await ben.call('GET', `/api/cases/${general.json.case.id}`)).status).toBe(200);
      expect(
        (await ben.call('POST', `/api/cases/${general.json.case.id}/status`, { status: 'acknowledged' })).status,
      ).toBe(200);
      // Without the CSRF token a write is refused.
      const res = await fetch(`${s.url}/api/cases/${id}/status`, {
        method: 'POST',
        headers: { cookie: ana.cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'resolved' }),
      });
      expect(res.status).toBe(403);
    },
  );
});
