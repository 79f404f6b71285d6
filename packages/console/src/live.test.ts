import { describe, expect, it } from 'vitest';
import type { AgentView, CannedResponseView, Message, OfferView, SupervisorBoard } from '@carechat/protocol';
import { ApiClient, type FetchLike } from './api.js';
import { Controller, OFFER_WARN_SECONDS } from './controller.js';
import { announcementText } from './format.js';
import { makeT } from './i18n.js';
import { boardView, endBlocker, filterCanned, insertAt, offerCard, sortQueue } from './live-view.js';
import { ConsoleSocket } from './socket.js';
import { createStore, isMonitoring } from './state.js';
import { buildAgent, buildConversation, buildMessage } from './testing/builders.js';
import { FakeSocket, FakeTimers, welcome } from './testing/fakes.js';

const t = makeT('en');
const BASE = Date.parse('2025-01-01T10:05:00Z');
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const flush = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
};
const iso = (offsetMs: number) => new Date(BASE + offsetMs).toISOString();

function buildOffer(overrides: Partial<OfferView> = {}): OfferView {
  return {
    id: 'off_1',
    conversation: buildConversation({ priority: 10 }),
    offeredAt: iso(0),
    expiresAt: iso(30_000),
    note: null,
    kind: 'queue',
    ...overrides,
  };
}

function buildBoard(overrides: Partial<SupervisorBoard> = {}): SupervisorBoard {
  return {
    generatedAt: iso(0),
    slaSeconds: 120,
    queues: [
      {
        teamId: 'general',
        teamName: 'General',
        language: 'en',
        depth: 1,
        oldestWaitSeconds: 40,
        estimatedWaitSeconds: 60,
        agentsServing: 2,
        agentsAvailable: 1,
        open: true,
        slaBreaches: 0,
      },
      {
        teamId: 'fraud',
        teamName: 'Fraud',
        language: 'es',
        depth: 3,
        oldestWaitSeconds: 400,
        estimatedWaitSeconds: null,
        agentsServing: 0,
        agentsAvailable: 0,
        open: false,
        slaBreaches: 2,
      },
    ],
    agents: [
      {
        id: 'ag_2',
        displayName: 'Ben Carter',
        role: 'agent',
        state: 'busy',
        stateSince: iso(-60_000),
        load: 2,
        maxConcurrent: 2,
        skills: [{ teamId: 'general', language: 'en' }],
        conversations: ['conv_7', 'conv_8'],
      },
    ],
    breaches: [
      {
        conversationId: 'conv_9',
        teamId: 'fraud',
        language: 'es',
        kind: 'wait',
        since: iso(-400_000),
        waitedSeconds: 400,
      },
    ],
    escalations: [],
    ...overrides,
  };
}

interface Call {
  method: string;
  url: string;
  body: unknown;
}

/** An in-memory staff API behind fetch, plus the real store, socket client and controller. */
function setup(self: AgentView = buildAgent()) {
  const mine = buildConversation({ status: 'assigned', agent: { id: self.id, firstName: self.firstName } });
  const server = {
    calls: [] as Call[],
    agent: { ...self },
    offers: [] as OfferView[],
    acceptOffer: 200 as 200 | 409,
    replies: new Map<string, { status: number; body: unknown }>(),
  };
  const canned: CannedResponseView[] = [
    { id: 'c1', title: 'Greeting', language: 'en', template: 'Hi {{firstName}}', text: 'Hi Maria' },
    { id: 'c2', title: 'Lost card', language: 'en', template: '…', text: 'Your card ending 1005 is locked.' },
  ];
  let seq = 10;
  const fetchImpl: FetchLike = async (url, init = {}) => {
    const method = init.method ?? 'GET';
    const body = init.body ? (JSON.parse(init.body as string) as unknown) : undefined;
    server.calls.push({ method, url, body });
    const key = `${method} ${url}`;
    const canned_ = server.replies.get(key);
    if (canned_) return json(canned_.status, canned_.body);
    if (url === '/api/auth/me') return json(200, { agent: server.agent, csrfToken: 'csrf', expiresAt: '' });
    if (url === '/api/conversations?view=waiting') return json(200, { conversations: [] });
    if (url === '/api/conversations?view=mine') return json(200, { conversations: [mine] });
    if (url === '/api/offers') return json(200, { offers: server.offers });
    if (url === '/api/offers/off_1/accept') {
      if (server.acceptOffer === 409) return json(409, { error: { code: 'offer_closed', message: '' } });
      return json(200, { conversation: { ...mine, id: 'conv_2' } });
    }
    if (url === '/api/offers/off_1/decline') return json(200, { ok: true });
    if (/^\/api\/conversations\/conv_\d+$/.test(url)) {
      return json(200, { conversation: { ...mine, id: url.split('/').pop()! }, messages: [] });
    }
    if (url.endsWith('/context')) return json(503, { error: { code: 'unavailable', message: '' } });
    if (url.endsWith('/notes') || url.endsWith('/whisper')) {
      const conversationId = url.split('/')[3]!;
      const message = buildMessage({
        conversationId,
        seq: ++seq,
        kind: 'note',
        whisper: url.endsWith('/whisper') || undefined,
        author: { role: 'agent', id: self.id, name: self.firstName },
        body: (body as { body: string }).body,
      });
      return json(200, { message });
    }
    if (url.endsWith('/canned')) return json(200, { responses: canned });
    if (url.endsWith('/transfer')) return json(200, { conversation: { ...mine, agent: null, status: 'queued' } });
    if (url.endsWith('/conference')) return json(200, { offer: buildOffer({ kind: 'conference' }) });
    if (url.endsWith('/escalate')) return json(200, { conversation: { ...mine, escalated: true } });
    if (url.endsWith('/leave'))
      return json(200, { conversation: { ...mine, agent: { id: 'ag_9', firstName: 'Zoe' } } });
    if (url.endsWith('/end')) return json(200, { conversation: { ...mine, status: 'closed', disposition: null } });
    if (url.endsWith('/wrap-up')) {
      server.agent = { ...server.agent, status: 'available' };
      const { disposition } = body as { disposition: string };
      return json(200, { conversation: { ...mine, status: 'closed', disposition } });
    }
    if (url.endsWith('/monitor')) {
      const conversationId = url.split('/')[3]!;
      const conversation = buildConversation({
        id: conversationId,
        status: 'assigned',
        agent: { id: 'ag_2', firstName: 'Ben' },
        participants: [
          { agentId: 'ag_2', displayName: 'Ben Carter', role: 'assignee', joinedAt: iso(0) },
          { agentId: self.id, displayName: self.displayName, role: 'monitor', joinedAt: iso(0) },
        ],
      });
      return json(200, { conversation, messages: [buildMessage({ conversationId, seq: 1 })] });
    }
    if (url.endsWith('/barge')) {
      const conversationId = url.split('/')[3]!;
      return json(200, {
        conversation: buildConversation({
          id: conversationId,
          status: 'assigned',
          agent: { id: 'ag_2', firstName: 'Ben' },
          participants: [{ agentId: self.id, displayName: self.displayName, role: 'supervisor', joinedAt: iso(0) }],
        }),
      });
    }
    if (url === '/api/supervisor/board') return json(200, buildBoard());
    if (url === '/api/agent/status') return json(200, { agent: { ...server.agent, ...(body as object) } });
    return json(404, { error: { code: 'not_found', message: '' } });
  };

  const timers = new FakeTimers();
  const sockets: FakeSocket[] = [];
  const store = createStore();
  const controller = new Controller({
    api: new ApiClient(fetchImpl),
    store,
    timers,
    now: () => BASE + timers.now,
    createSocket: (on, checkSession) =>
      new ConsoleSocket({
        url: 'ws://test/ws',
        on,
        checkSession,
        timers,
        createSocket: (url, protocols) => {
          const s = new FakeSocket(url, protocols);
          sockets.push(s);
          return s;
        },
      }),
  });
  const ws = () => sockets[sockets.length - 1]!;
  const calls = (suffix: string, method = 'POST') =>
    server.calls.filter((c) => c.method === method && c.url.endsWith(suffix));
  async function start() {
    await controller.boot();
    await flush();
    ws().open();
    ws().receive(welcome());
  }
  const lastAnnouncement = () => {
    const a = store.getState().announcements.at(-1);
    return a ? announcementText(t, a, 'en', self.id) : null;
  };
  return { server, store, controller, ws, timers, calls, start, lastAnnouncement, mine };
}

describe('offers', () => {
  it('loads open offers after sign-in and shows them with priority, team and countdown', async () => {
    const s = setup();
    s.server.offers = [buildOffer()];
    await s.start();
    expect(s.store.getState().offers.map((o) => o.id)).toEqual(['off_1']);
    const card = offerCard(t, s.store.getState().offers[0]!, BASE);
    expect(card).toMatchObject({ name: 'Maria', last4: '1005', team: 'General', language: 'English' });
    expect(t(card.priorityKey!)).toBe('Fraud: urgent');
    expect(t('offer.expiresIn', { seconds: card.secondsLeft })).toBe('30 s left to answer');
  });

  it('announces a new offer from the socket, warns politely 10 s before it ends, then drops it with a notice', async () => {
    const s = setup();
    await s.start();
    s.ws().receive({ type: 'offer', offer: buildOffer({ expiresAt: iso(25_000) }) });
    expect(s.store.getState().offers).toHaveLength(1);
    expect(s.lastAnnouncement()).toBe('Chat offered to you: Maria, General team. Accept or decline.');

    s.timers.advance(25_000 - OFFER_WARN_SECONDS * 1000 - 1);
    expect(s.lastAnnouncement()).not.toMatch(/ends in/);
    s.timers.advance(1);
    expect(s.lastAnnouncement()).toBe('The offer for Maria ends in 10 seconds.');
    expect(s.store.getState().offers).toHaveLength(1);

    s.timers.advance(10_000);
    expect(s.store.getState().offers).toEqual([]);
    expect(t(s.store.getState().notice!.key)).toBe('The chat went to the next agent.');
    // The server's own close arriving afterwards changes nothing.
    const notice = s.store.getState().notice;
    s.ws().receive({ type: 'offer_closed', offerId: 'off_1', reason: 'expired' });
    expect(s.store.getState().notice).toBe(notice);
  });

  it('removes an offer closed by the server and stops its countdown', async () => {
    const s = setup();
    await s.start();
    s.ws().receive({ type: 'offer', offer: buildOffer() });
    s.ws().receive({ type: 'offer_closed', offerId: 'off_1', reason: 'withdrawn' });
    expect(s.store.getState().offers).toEqual([]);
    expect(s.store.getState().notice?.key).toBe('offer.gone.withdrawn');
    const before = s.store.getState().announcements.length;
    s.timers.advance(60_000);
    expect(s.store.getState().announcements).toHaveLength(before);
  });

  it('accepting opens the chat, declining posts a decline', async () => {
    const s = setup();
    s.server.offers = [buildOffer()];
    await s.start();
    expect(await s.controller.acceptOffer('off_1')).toBe(true);
    expect(s.calls('/api/offers/off_1/accept')).toHaveLength(1);
    const st = s.store.getState();
    expect(st.offers).toEqual([]);
    expect(st.activeId).toBe('conv_2');
    expect(st.mine.map((c) => c.id)).toContain('conv_2');
    expect(st.notice).toBeNull();

    s.ws().receive({ type: 'offer', offer: buildOffer() });
    expect(await s.controller.declineOffer('off_1')).toBe(true);
    expect(s.calls('/api/offers/off_1/decline')).toHaveLength(1);
    expect(s.store.getState().offers).toEqual([]);
    expect(s.store.getState().notice?.key).toBe('offer.gone.declined');
  });

  it('tells the agent when the offer was already gone', async () => {
    const s = setup();
    s.server.offers = [buildOffer()];
    s.server.acceptOffer = 409;
    await s.start();
    expect(await s.controller.acceptOffer('off_1')).toBe(false);
    expect(s.store.getState().offers).toEqual([]);
    expect(t(s.store.getState().notice!.key)).toBe('That offer is no longer open.');
    expect(s.store.getState().activeId).toBeNull();
  });

  it('describes transfer and conference offers with their note', () => {
    const transfer = buildOffer({ kind: 'transfer', note: '  Wants a fee reversal  ' });
    expect(offerCard(t, transfer, BASE)).toMatchObject({
      kindKey: 'offer.kind.transfer',
      note: 'Wants a fee reversal',
    });
    expect(announcementText(t, { id: 1, kind: 'offer', offer: transfer }, 'en', 'ag_1')).toBe(
      'Chat transferred to you: Maria, card ending 1005. Accept or decline.',
    );
    expect(announcementText(t, { id: 1, kind: 'offer', offer: buildOffer({ kind: 'conference' }) }, 'en', 'ag_1')).toBe(
      'Invitation to join the chat with Maria. Accept or decline.',
    );
  });
});

describe('agent state', () => {
  it('sends busy as a chosen state, and shows wrap_up with its explanation', async () => {
    const s = setup(buildAgent({ status: 'available' }));
    await s.start();
    await s.controller.setStatus('busy');
    expect(s.calls('/api/agent/status', 'PUT').map((c) => c.body)).toEqual([{ status: 'busy' }]);
    expect(t('status.current.wrap_up')).toBe('Wrapping up — pick a disposition to take new chats');
  });
});

describe('queues', () => {
  it('orders waiting chats by priority, then by wait', () => {
    const a = buildConversation({ id: 'a', queuedAt: iso(-60_000) });
    const b = buildConversation({ id: 'b', queuedAt: iso(-10_000), priority: 10 });
    const c = buildConversation({ id: 'c', queuedAt: iso(-90_000) });
    const d = buildConversation({ id: 'd', queuedAt: iso(-5_000), priority: 5 });
    expect(sortQueue([a, b, c, d]).map((x) => x.id)).toEqual(['b', 'd', 'c', 'a']);
  });
});

describe('notes and whispers', () => {
  it('saves an internal note over HTTP and shows it in the chat, without touching the socket', async () => {
    const s = setup();
    await s.start();
    await s.controller.open('conv_1');
    expect(await s.controller.addNote('conv_1', '  Customer sounds upset  ')).toBeNull();
    expect(s.calls('/api/conversations/conv_1/notes').map((c) => c.body)).toEqual([{ body: 'Customer sounds upset' }]);
    const note = s.store.getState().conversations.conv_1!.messages.at(-1)!;
    expect(note).toMatchObject({ kind: 'note', body: 'Customer sounds upset' });
    expect(s.ws().framesOfType('send')).toEqual([]);
    expect(await s.controller.addNote('conv_1', '   ')).toBe('wsError.message_empty');
    expect(s.calls('/notes')).toHaveLength(1);
  });

  it('announces a whisper from a supervisor, labelled as a whisper', async () => {
    const s = setup();
    await s.start();
    await s.controller.open('conv_1');
    const whisper: Message = buildMessage({
      seq: 40,
      kind: 'note',
      whisper: true,
      author: { role: 'agent', id: 'ag_sup', name: 'Sofía' },
      body: 'Offer the courtesy credit',
    });
    s.ws().receive({ type: 'message', message: whisper });
    expect(s.lastAnnouncement()).toBe('Whisper from Sofía: Offer the courtesy credit');
    expect(t('whisper.from', { name: 'Sofía' })).toBe('Whisper from Sofía');
    expect(t('note.label')).toBe('Internal note — the customer does not see this');
  });

  it('sends a supervisor whisper to the whisper endpoint', async () => {
    const s = setup(buildAgent({ role: 'supervisor' }));
    await s.start();
    expect(await s.controller.whisper('conv_7', 'Check the fee date')).toBeNull();
    expect(s.calls('/api/conversations/conv_7/whisper').map((c) => c.body)).toEqual([{ body: 'Check the fee date' }]);
    expect(s.store.getState().notice?.key).toBe('whisper.sent');
  });
});

describe('canned responses', () => {
  const list: CannedResponseView[] = [
    { id: '1', title: 'Greeting', language: 'es', template: '', text: 'Hola María, ¿en qué le ayudo?' },
    { id: '2', title: 'Card locked', language: 'en', template: '', text: 'Your card ending 1005 is locked.' },
  ];

  it('loads the responses for the chat and searches title and text, ignoring case and accents', async () => {
    const s = setup();
    await s.start();
    const loaded = await s.controller.canned('conv_1');
    expect(Array.isArray(loaded) && loaded.map((r) => r.text)).toEqual([
      'Hi Maria',
      'Your card ending 1005 is locked.',
    ]);
    expect(filterCanned(list, 'maria').map((r) => r.id)).toEqual(['1']);
    expect(filterCanned(list, 'CARD 1005').map((r) => r.id)).toEqual(['2']);
    expect(filterCanned(list, '  ').map((r) => r.id)).toEqual(['1', '2']);
    expect(filterCanned(list, 'refund')).toEqual([]);
  });

  it('inserts the filled text at the cursor without sending it', () => {
    expect(insertAt('', 'Hi Maria')).toEqual({ text: 'Hi Maria', cursor: 8 });
    expect(insertAt('Thanks.', 'Hi Maria', 0, 0)).toEqual({ text: 'Hi Maria Thanks.', cursor: 8 });
    expect(insertAt('Hello there', 'Maria', 6, 11)).toEqual({ text: 'Hello Maria', cursor: 11 });
    expect(insertAt('Done', 'Bye')).toEqual({ text: 'Done Bye', cursor: 8 });
  });
});

describe('transfer, conference, escalate, leave', () => {
  it('transfers to a team queue with an optional language and note', async () => {
    const s = setup();
    await s.start();
    await s.controller.open('conv_1');
    expect(
      await s.controller.transfer('conv_1', { kind: 'team', teamId: 'disputes', language: 'es', note: ' duplicate ' }),
    ).toBeNull();
    expect(s.calls('/conv_1/transfer').map((c) => c.body)).toEqual([
      { teamId: 'disputes', note: 'duplicate', language: 'es' },
    ]);
    expect(s.store.getState().activeId).toBeNull();
    expect(s.store.getState().mine).toEqual([]);
    expect(s.store.getState().notice?.key).toBe('transfer.done');
    expect(s.ws().framesOfType('unsubscribe')).toEqual([{ type: 'unsubscribe', conversationId: 'conv_1' }]);
  });

  it('needs a note and an agent for a transfer to one agent', async () => {
    const s = setup();
    await s.start();
    expect(await s.controller.transfer('conv_1', { kind: 'agent', agentId: 'ag_2', note: '  ' })).toBe(
      'transfer.noteMissing',
    );
    expect(await s.controller.transfer('conv_1', { kind: 'agent', agentId: '', note: 'x' })).toBe(
      'transfer.agentMissing',
    );
    expect(await s.controller.transfer('conv_1', { kind: 'team', teamId: '', note: '' })).toBe('transfer.teamMissing');
    expect(s.calls('/transfer')).toEqual([]);
    expect(await s.controller.transfer('conv_1', { kind: 'agent', agentId: 'ag_2', note: 'Fee question' })).toBeNull();
    expect(s.calls('/transfer').map((c) => c.body)).toEqual([{ agentId: 'ag_2', note: 'Fee question' }]);
  });

  it('lists targets with the filters in the query', async () => {
    const s = setup();
    s.server.replies.set('GET /api/agents?teamId=general&language=es', {
      status: 200,
      body: {
        agents: [{ id: 'ag_2', displayName: 'Ben', role: 'agent', state: 'available', load: 0, maxConcurrent: 3 }],
      },
    });
    await s.start();
    const res = await s.controller.agents({ teamId: 'general', language: 'es' });
    expect(Array.isArray(res) && res.map((a) => a.id)).toEqual(['ag_2']);
  });

  it('invites to a conference, escalates and leaves with the right bodies', async () => {
    const s = setup();
    await s.start();
    await s.controller.open('conv_1');
    expect(await s.controller.conference('conv_1', 'ag_sup', 'Need approval')).toBeNull();
    expect(s.calls('/conv_1/conference').map((c) => c.body)).toEqual([{ agentId: 'ag_sup', note: 'Need approval' }]);
    expect(s.store.getState().notice?.key).toBe('conference.sent');

    expect(await s.controller.escalate('conv_1', ' Angry customer ')).toBeNull();
    expect(s.calls('/conv_1/escalate').map((c) => c.body)).toEqual([{ note: 'Angry customer' }]);
    expect(s.store.getState().conversations.conv_1!.conversation.escalated).toBe(true);

    expect(await s.controller.leave('conv_1')).toBeNull();
    expect(s.calls('/conv_1/leave')).toHaveLength(1);
    expect(s.store.getState().mine).toEqual([]);
    expect(s.store.getState().activeId).toBeNull();
  });

  it('shows a readable error when the server refuses', async () => {
    const s = setup();
    s.server.replies.set('POST /api/conversations/conv_1/escalate', {
      status: 409,
      body: { error: { code: 'conversation_closed', message: '' } },
    });
    await s.start();
    expect(await s.controller.escalate('conv_1', '')).toBe('error.conversation_closed');
  });
});

describe('wrap-up', () => {
  it('opens the wrap-up after ending, requires a disposition, then records it and re-reads the state', async () => {
    const s = setup(buildAgent({ status: 'available' }));
    await s.start();
    await s.controller.open('conv_1');
    s.server.agent = { ...s.server.agent, status: 'wrap_up' };
    expect(await s.controller.end('conv_1')).toBe(true);
    await flush();
    expect(s.store.getState().wrapUpId).toBe('conv_1');
    expect(s.store.getState().agent!.status).toBe('wrap_up');
    expect(s.store.getState().awaitingWrapUp.map((c) => c.id)).toEqual(['conv_1']);

    expect(await s.controller.wrapUp('conv_1', null, '')).toBe('wrapup.missing');
    expect(s.calls('/wrap-up')).toEqual([]);
    expect(await s.controller.wrapUp('conv_1', 'resolved_with_action', ' Locked card ')).toBeNull();
    await flush();
    expect(s.calls('/conv_1/wrap-up').map((c) => c.body)).toEqual([
      { disposition: 'resolved_with_action', note: 'Locked card' },
    ]);
    const st = s.store.getState();
    expect(st.wrapUpId).toBeNull();
    expect(st.awaitingWrapUp).toEqual([]);
    expect(st.agent!.status).toBe('available');
    expect(t('disposition.resolved_with_action')).toBe('Resolved, action taken');
  });

  it('lists a chat the cardmember closed as awaiting a disposition', async () => {
    const s = setup();
    await s.start();
    s.ws().receive({ type: 'conversation', conversation: { ...s.mine, status: 'closed', disposition: null } });
    await flush();
    expect(s.store.getState().awaitingWrapUp.map((c) => c.id)).toEqual(['conv_1']);
    expect(s.calls('/api/auth/me', 'GET').length).toBeGreaterThanOrEqual(2);
    // Someone else's closed chat is not this agent's to wrap up.
    s.ws().receive({
      type: 'conversation',
      conversation: buildConversation({ id: 'conv_5', status: 'closed', agent: { id: 'ag_2', firstName: 'Ben' } }),
    });
    expect(s.store.getState().awaitingWrapUp.map((c) => c.id)).toEqual(['conv_1']);
  });
});

describe('accommodations', () => {
  it('blocks ending until the agent confirms a written summary was sent', () => {
    const c = buildConversation({ accommodation: 'Hard of hearing, please go slowly' });
    expect(endBlocker(c, false)).toBe('end.summaryRequired');
    expect(endBlocker(c, true)).toBeNull();
    expect(endBlocker(buildConversation(), false)).toBeNull();
    expect(t('end.summaryRequired')).toBe('Send the customer a written summary first, then tick the box.');
    expect(t('accommodation.pace')).toBe('Give the customer time; send shorter messages.');
  });
});

describe('supervisor board', () => {
  it('loads on open, updates from frames and announces new breaches', async () => {
    const s = setup(buildAgent({ role: 'supervisor' }));
    await s.start();
    s.controller.setView('board');
    await flush();
    expect(s.calls('/api/supervisor/board', 'GET')).toHaveLength(1);
    expect(s.store.getState().board?.queues).toHaveLength(2);
    const before = s.store.getState().announcements.length;
    s.ws().receive({
      type: 'board',
      board: buildBoard({ escalations: [buildConversation({ id: 'conv_3', escalated: true })] }),
    });
    expect(s.store.getState().announcements).toHaveLength(before + 1);
    expect(s.lastAnnouncement()).toBe('Board update. Chats over target: 1. Escalations waiting: 1.');
    // The same numbers again are not news.
    s.ws().receive({ type: 'board', board: buildBoard({ escalations: [buildConversation({ id: 'conv_3' })] }) });
    expect(s.store.getState().announcements).toHaveLength(before + 1);
  });

  it('renders breaches in words, breaching queues first', () => {
    const view = boardView(t, buildBoard(), 'en');
    expect(view.sla).toBe('2 min');
    expect(view.queues.map((q) => [q.team, q.language, q.hours, q.breachText, q.oldest, q.estimate])).toEqual([
      ['Fraud', 'Spanish', 'Closed', 'Over target: 2', '6 min', 'n/a'],
      ['General', 'English', 'Open', 'None', '40 s', '1 min'],
    ]);
    expect(view.queues[1]!.agents).toBe('2 serving, 1 available');
    expect(view.agents[0]).toMatchObject({
      name: 'Ben Carter',
      state: 'Busy',
      load: '2 of 2',
      full: true,
      skills: 'General (English)',
    });
    expect(view.agents[0]!.conversations.map((c) => c.label)).toEqual(['chat 1 of Ben Carter', 'chat 2 of Ben Carter']);
    expect(view.breaches.map((b) => b.text)).toEqual(['Fraud, Spanish: waiting 6 min']);
    expect(view.queues.map((q) => q.csat)).toEqual(['No answers yet', 'No answers yet']);
  });

  it('says whether an agent has a console connected on any node, when the server tells', () => {
    const board = buildBoard();
    expect(boardView(t, board, 'en').agents[0]!.connection).toBe('');
    const agent = board.agents[0]!;
    const online = {
      ...board,
      agents: [
        { ...agent, online: true },
        { ...agent, id: 'agent_x', online: false },
      ],
    };
    expect(boardView(t, online, 'en').agents.map((a) => a.connection)).toEqual([
      'console connected',
      'no console connected',
    ]);
    expect(boardView(makeT('es'), online, 'es').agents[1]!.connection).toBe('sin consola conectada');
  });

  it("shows each queue's satisfaction today, to one decimal, with the number of answers", () => {
    const board = buildBoard();
    board.queues[0] = { ...board.queues[0]!, csatAverage: 4.333, csatCount: 3 };
    const view = boardView(t, board, 'en');
    const row = view.queues.find((q) => q.key === `${board.queues[0]!.teamId}:${board.queues[0]!.language}`)!;
    expect(row.csat).toBe('4.3 of 5 (3 answers)');
    expect(boardView(makeT('es'), board, 'es').queues.find((q) => q.key === row.key)!.csat).toBe(
      '4.3 de 5 (3 respuestas)',
    );
  });

  it('monitors silently, then barges in to write', async () => {
    const s = setup(buildAgent({ role: 'supervisor' }));
    await s.start();
    s.controller.setView('board');
    expect(await s.controller.monitor('conv_7')).toBeNull();
    let st = s.store.getState();
    expect(st.view).toBe('chats');
    expect(st.activeId).toBe('conv_7');
    expect(isMonitoring(st.conversations.conv_7!.conversation, 'ag_1')).toBe(true);
    expect(st.mine.map((c) => c.id)).not.toContain('conv_7');
    expect(
      s
        .ws()
        .framesOfType('subscribe')
        .map((f) => f.conversationId),
    ).toContain('conv_7');
    expect(t('monitor.banner')).toBe('Monitoring — the customer does not see you');

    expect(await s.controller.barge('conv_7')).toBeNull();
    st = s.store.getState();
    expect(s.calls('/conv_7/barge')).toHaveLength(1);
    expect(isMonitoring(st.conversations.conv_7!.conversation, 'ag_1')).toBe(false);
    expect(st.mine.map((c) => c.id)).toContain('conv_7');
  });
});
