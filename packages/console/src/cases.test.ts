import { describe, expect, it } from 'vitest';
import type { CaseView } from '@carechat/protocol';
import { ApiClient, type FetchLike } from './api.js';
import {
  changeStatus,
  checkNewCase,
  daysLabel,
  daysLeft,
  documentUrl,
  isLinkedTo,
  loadCases,
  newCaseBody,
  nextStatuses,
  openCase,
  openDeadlines,
  requestDocuments,
  timelineRows,
} from './cases.js';
import { Controller } from './controller.js';
import { makeT, strings, type ConsoleKey } from './i18n.js';
import { createStore, initialState } from './state.js';
import { FakeTimers } from './testing/fakes.js';

const NOW = Date.parse('2026-11-25T10:00:00Z');
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function caseView(over: Partial<CaseView> = {}): CaseView {
  return {
    id: 'case-1',
    reference: 'CLR-ABCD2345',
    type: 'credit_limit',
    status: 'open',
    title: 'Limit review',
    language: 'en',
    cardmemberId: 'cm_maria',
    cardLast4: '1005',
    ownerTeamId: 'credit',
    complaintCategory: null,
    disputeId: null,
    deadlines: { acknowledgeBy: null, resolveBy: null, acknowledgedAt: null, resolvedAt: null },
    createdAt: '2026-11-20T10:00:00Z',
    updatedAt: '2026-11-20T10:00:00Z',
    links: [],
    documents: [],
    timeline: [],
    ...over,
  };
}

/** The real controller and API client over an in-memory cases server behind fetch. */
function setup(screen: 'workspace' | 'loading' = 'workspace') {
  const server = {
    requests: [] as Array<{ method: string; url: string; body: unknown; csrf: string | null }>,
    cases: [caseView()] as CaseView[],
    reply: null as null | { status: number; body: unknown },
    signedOut: false,
  };
  const fetchImpl: FetchLike = async (url, init = {}) => {
    const method = init.method ?? 'GET';
    const body = init.body ? JSON.parse(init.body as string) : undefined;
    const headers = (init.headers ?? {}) as Record<string, string>;
    server.requests.push({ method, url, body, csrf: headers['x-csrf-token'] ?? null });
    if (server.signedOut) return json(401, { error: { code: 'unauthorized', message: '' } });
    if (server.reply) return json(server.reply.status, server.reply.body);
    if (url === '/api/conversations/conv-1/cases') return json(200, { cases: server.cases });
    if (url === '/api/cases' && method === 'POST') return json(201, { case: caseView({ id: 'case-2', ...body }) });
    if (url === '/api/cases/case-1/status') return json(200, { case: caseView({ status: body.status }) });
    if (url === '/api/cases/case-1/upload-links')
      return json(201, { url: 'https://bank.test/upload/tok', expiresAt: '2026-11-27T10:00:00Z' });
    return json(404, { error: { code: 'not_found', message: '' } });
  };
  const store = createStore({ ...initialState, screen });
  const controller = new Controller({
    api: new ApiClient(fetchImpl),
    store,
    timers: new FakeTimers(),
    now: () => NOW,
    createSocket: () => ({
      start() {},
      stop() {},
      subscribe() {},
      unsubscribe() {},
      isSubscribed: () => false,
      send: () => 'x',
      typing() {},
    }),
  });
  return { server, controller, store };
}

describe('case lifecycle and deadlines', () => {
  it('offers only the statuses the lifecycle allows next; none once closed', () => {
    expect(nextStatuses('open')).toEqual(['acknowledged', 'in_progress', 'awaiting_customer', 'resolved']);
    expect(nextStatuses('in_progress')).toEqual(['awaiting_customer', 'resolved']);
    expect(nextStatuses('resolved')).toEqual(['closed', 'in_progress']);
    expect(nextStatuses('closed')).toEqual([]);
  });

  it('counts whole days left to a deadline, due today, and overdue', () => {
    expect(daysLeft('2026-11-28', NOW)).toBe(3); // end of the 28th: 3 days and 14 hours
    expect(daysLeft('2026-11-25', NOW)).toBe(0);
    expect(daysLeft('2026-11-24', NOW)).toBe(-1);
    expect(daysLeft('2026-11-20T10:00:00Z', NOW)).toBe(-5);
    expect(daysLeft(null, NOW)).toBeNull();
    expect(daysLeft('soon', NOW)).toBeNull();
    const t = makeT('en');
    const say = (d: number) => {
      const l = daysLabel(d);
      return t(l.key, { n: l.n });
    };
    expect([say(3), say(1), say(0), say(-1), say(-4)]).toEqual([
      '3 days left',
      '1 day left',
      'due today',
      '1 day overdue',
      '4 days overdue',
    ]);
    const es = makeT('es');
    expect(es(daysLabel(3).key, { n: 3 })).toBe('quedan 3 días');
  });

  it('shows only the deadlines still running', () => {
    const c = caseView({
      deadlines: {
        acknowledgeBy: '2026-11-26',
        resolveBy: '2027-01-20',
        acknowledgedAt: '2026-11-21T09:00:00Z',
        resolvedAt: null,
      },
    });
    expect(openDeadlines(c, NOW)).toEqual([{ kind: 'resolve', due: '2027-01-20', days: 56 }]);
    expect(openDeadlines({ ...c, status: 'resolved' }, NOW)).toEqual([]);
  });

  it('marks staff-only timeline entries internal and knows the chat it belongs to', () => {
    const actor = { type: 'agent' as const, id: 'agent_ana', name: 'Ana' };
    const base = { at: NOW.toString(), actor, fromStatus: null, toStatus: null, text: null };
    const c = caseView({
      links: [{ kind: 'conversation', id: 'conv-1', at: '' }],
      timeline: [
        { ...base, id: 'e1', type: 'created', visibleToCardmember: true },
        { ...base, id: 'e2', type: 'note', text: 'Checked income', visibleToCardmember: false },
      ],
    });
    expect(timelineRows(c).map((e) => [e.id, e.internal])).toEqual([
      ['e1', false],
      ['e2', true],
    ]);
    expect(isLinkedTo(c, { id: 'conv-1' })).toBe(true);
    expect(isLinkedTo(c, { id: 'conv-2' })).toBe(false);
    expect(documentUrl('case 1', 'up/1')).toBe('/api/cases/case%201/documents/up%2F1');
  });
});

describe('case forms', () => {
  const form = { type: 'complaint' as const, title: ' Fee not explained ', complaintCategory: '' as const, note: '' };
  it('needs a type, a title, and a category for complaints', () => {
    expect(checkNewCase({ ...form, type: '' })).toBe('cases.invalid.type');
    expect(checkNewCase({ ...form, title: '   ' })).toBe('cases.invalid.title');
    expect(checkNewCase(form)).toBe('cases.invalid.category');
    expect(checkNewCase({ ...form, complaintCategory: 'fees' })).toBeNull();
    expect(checkNewCase({ ...form, type: 'general' })).toBeNull();
    expect(checkNewCase({ ...form, type: 'general', note: 'x'.repeat(2001) })).toBe('cases.invalid.note');
  });

  it('sends a category only for complaints, trimmed text and no empty note', () => {
    expect(newCaseBody('conv-1', { ...form, complaintCategory: 'fees' })).toEqual({
      conversationId: 'conv-1',
      type: 'complaint',
      title: 'Fee not explained',
      complaintCategory: 'fees',
    });
    expect(newCaseBody('conv-1', { ...form, type: 'general', complaintCategory: 'fees', note: ' n ' })).toEqual({
      conversationId: 'conv-1',
      type: 'general',
      title: 'Fee not explained',
      note: 'n',
    });
  });

  it('has every case string in English and Spanish', () => {
    const en = Object.keys(strings.en).filter((k) => k.startsWith('cases.'));
    const es = Object.keys(strings.es).filter((k) => k.startsWith('cases.'));
    expect(en.length).toBeGreaterThan(60);
    expect(es.sort()).toEqual(en.sort());
    for (const k of en) expect((strings.es as Record<string, string>)[k]).not.toBe('');
    // Every type, status, category and event the protocol has is labelled.
    const keys = new Set(en);
    for (const k of [
      'cases.type.credit_limit',
      'cases.status.awaiting_customer',
      'cases.category.disputes_handling',
      'cases.event.document_uploaded',
    ] as ConsoleKey[])
      expect(keys.has(k)).toBe(true);
  });
});

describe('case calls through the controller', () => {
  it('loads the chat cases, opens a case, changes status and requests documents, with the CSRF token', async () => {
    const { server, controller } = setup();
    // The CSRF token comes with the session.
    (controller as unknown as { deps: { api: ApiClient } }).deps.api['csrfToken' as never] = 'csrf-1' as never;
    expect(await loadCases(controller, 'conv-1')).toEqual(server.cases);

    const opened = await openCase(controller, 'conv-1', {
      type: 'complaint',
      title: 'Fees',
      complaintCategory: 'fees',
      note: '',
    });
    expect(opened).toMatchObject({ id: 'case-2', type: 'complaint', complaintCategory: 'fees' });

    const moved = await changeStatus(controller, caseView(), {
      status: 'acknowledged',
      note: ' Got it ',
      notify: false,
    });
    expect(moved).toMatchObject({ status: 'acknowledged' });
    const link = await requestDocuments(controller, caseView(), 'A copy of the receipt');
    expect(link).toEqual({ url: 'https://bank.test/upload/tok', expiresAt: '2026-11-27T10:00:00Z' });

    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /api/conversations/conv-1/cases',
      'POST /api/cases',
      'POST /api/cases/case-1/status',
      'POST /api/cases/case-1/upload-links',
    ]);
    expect(server.requests[2]!.body).toEqual({ status: 'acknowledged', notify: false, note: 'Got it' });
    expect(server.requests[3]!.body).toEqual({ request: 'A copy of the receipt' });
    expect(server.requests.slice(1).every((r) => r.csrf === 'csrf-1')).toBe(true);
  });

  it('checks forms before calling, and says what went wrong after', async () => {
    const { server, controller } = setup();
    expect(
      await changeStatus(controller, caseView({ status: 'closed' }), { status: 'open', note: '', notify: true }),
    ).toBe('cases.invalid.status');
    expect(
      await openCase(controller, 'conv-1', { type: 'complaint', title: 'x', complaintCategory: '', note: '' }),
    ).toBe('cases.invalid.category');
    expect(server.requests).toEqual([]);

    server.reply = { status: 409, body: { error: { code: 'conflict', message: 'A closed case cannot…' } } };
    expect(await changeStatus(controller, caseView(), { status: 'resolved', note: '', notify: true })).toBe(
      'cases.error.conflict',
    );
    server.reply = { status: 404, body: { error: { code: 'conversation_not_found', message: '' } } };
    expect(await openCase(controller, 'conv-1', { type: 'general', title: 'x', complaintCategory: '', note: '' })).toBe(
      'error.conversation_not_found',
    );
    server.reply = { status: 500, body: 'oops' };
    expect(await loadCases(controller, 'conv-1')).toBe('cases.error.load');
  });

  it('signs the agent out when the session is gone', async () => {
    const { server, controller, store } = setup();
    server.signedOut = true;
    expect(await loadCases(controller, 'conv-1')).toBe('cases.error.load');
    expect(store.getState()).toMatchObject({ screen: 'signin', signInNotice: 'sessionEnded' });
  });
});
