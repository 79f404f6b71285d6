import { describe, expect, it } from 'vitest';
import type { CaseDeadlineFrame, TeamCasesResponse } from '@carechat/protocol';
import { ApiClient, type FetchLike } from '../api.js';
import { Controller } from '../controller.js';
import { makeT } from '../i18n.js';
import { ConsoleSocket } from '../socket.js';
import { createStore } from '../state.js';
import { buildAgent } from '../testing/builders.js';
import { FakeSocket, FakeTimers, welcome } from '../testing/fakes.js';
import {
  applyDeadlineFrame,
  daysUntil,
  deadlineAnnouncement,
  dueText,
  itemsFromCases,
  type TeamCaseItem,
} from './TeamCases.js';

const en = makeT('en');
const es = makeT('es');
const TODAY = '2026-12-20';

const frame = (o: Partial<CaseDeadlineFrame> = {}): CaseDeadlineFrame => ({
  type: 'case_deadline',
  caseId: 'case_1',
  reference: 'DSP-7K2M9QXA',
  ownerTeamId: 'disputes',
  kind: 'acknowledge_warning',
  due: '2026-12-25',
  ...o,
});

function teamCase(id: string, reference: string, deadline: TeamCasesResponse['cases'][number]['deadline']) {
  return {
    id,
    reference,
    type: 'dispute',
    status: 'open',
    title: 'Dispute',
    language: 'en',
    cardmemberId: 'cm_jose',
    cardLast4: '3007',
    ownerTeamId: 'disputes',
    complaintCategory: null,
    disputeId: null,
    deadlines: { acknowledgeBy: deadline.due, resolveBy: null, acknowledgedAt: null, resolvedAt: null },
    createdAt: '2026-11-25T12:00:00.000Z',
    updatedAt: '2026-11-25T12:00:00.000Z',
    deadline,
  } as TeamCasesResponse['cases'][number];
}

describe('team cases due: announcements', () => {
  it('announces a warning politely with the date and days left, in English and Spanish', () => {
    expect(deadlineAnnouncement(en, 'en', frame(), TODAY)).toEqual({
      text: 'Case DSP-7K2M9QXA must be acknowledged by Dec 25, 2026 (5 days).',
      politeness: 'polite',
    });
    expect(deadlineAnnouncement(es, 'es', frame(), TODAY)).toEqual({
      text: 'Hay que acusar recibo del caso DSP-7K2M9QXA antes del 25 dic 2026 (5 días).',
      politeness: 'polite',
    });
    expect(deadlineAnnouncement(en, 'en', frame({ kind: 'resolve_warning', due: '2026-12-21' }), TODAY).text).toBe(
      'Case DSP-7K2M9QXA must be resolved by Dec 21, 2026 (1 day).',
    );
    expect(deadlineAnnouncement(en, 'en', frame({ due: TODAY }), TODAY).text).toBe(
      'Case DSP-7K2M9QXA must be acknowledged by Dec 20, 2026 (today).',
    );
  });

  it('announces a missed deadline assertively, in words', () => {
    const breach = frame({ kind: 'acknowledge_breach', due: '2026-12-19' });
    expect(deadlineAnnouncement(en, 'en', breach, TODAY)).toEqual({
      text: 'Deadline missed: case DSP-7K2M9QXA was not acknowledged by Dec 19, 2026.',
      politeness: 'assertive',
    });
    expect(deadlineAnnouncement(es, 'es', frame({ kind: 'resolve_breach', due: '2026-12-19' }), TODAY)).toEqual({
      text: 'Plazo incumplido: el caso DSP-7K2M9QXA no se resolvió antes del 19 dic 2026.',
      politeness: 'assertive',
    });
  });
});

describe('team cases due: the list', () => {
  it('orders the loaded cases: missed deadlines first, then the nearest', () => {
    const items = itemsFromCases([
      teamCase('c1', 'DSP-AAAA', { kind: 'resolve_warning', due: '2027-01-05' }),
      teamCase('c2', 'DSP-BBBB', { kind: 'acknowledge_warning', due: '2026-12-24' }),
      teamCase('c3', 'CMP-CCCC', { kind: 'acknowledge_breach', due: '2026-12-18' }),
    ]);
    expect(items.map((i) => i.reference)).toEqual(['CMP-CCCC', 'DSP-BBBB', 'DSP-AAAA']);
  });

  it('adds a case from a frame, replaces a warning with a breach, and keeps a breach over a later warning', () => {
    let items: TeamCaseItem[] = [];
    items = applyDeadlineFrame(items, frame());
    items = applyDeadlineFrame(items, frame({ caseId: 'case_2', reference: 'DSP-2', due: '2026-12-22' }));
    expect(items.map((i) => i.caseId)).toEqual(['case_2', 'case_1']);
    items = applyDeadlineFrame(items, frame({ kind: 'acknowledge_breach' }));
    expect(items).toEqual([
      { caseId: 'case_1', reference: 'DSP-7K2M9QXA', kind: 'acknowledge_breach', due: '2026-12-25' },
      { caseId: 'case_2', reference: 'DSP-2', kind: 'acknowledge_warning', due: '2026-12-22' },
    ]);
    const same = applyDeadlineFrame(items, frame({ kind: 'resolve_warning', due: '2027-01-20' }));
    expect(same).toBe(items);
  });

  it('says what is due and when, and a missed deadline in words', () => {
    const warn: TeamCaseItem = { caseId: 'c', reference: 'DSP-1', kind: 'acknowledge_warning', due: '2026-12-25' };
    expect(dueText(en, 'en', warn, TODAY)).toEqual({
      what: 'Acknowledge by Dec 25, 2026',
      when: '5 days left',
      breached: false,
    });
    const missed: TeamCaseItem = { ...warn, kind: 'resolve_breach', due: '2026-12-18' };
    expect(dueText(en, 'en', missed, TODAY)).toEqual({
      what: 'Resolution deadline missed: Dec 18, 2026',
      when: '2 days overdue',
      breached: true,
    });
    expect(dueText(es, 'es', missed, TODAY)).toEqual({
      what: 'Plazo de resolución incumplido: 18 dic 2026',
      when: 'vencido hace 2 días',
      breached: true,
    });
    expect(daysUntil('2026-12-31', '2027-01-01')).toBe(1);
  });
});

describe('team cases due: the socket', () => {
  it('passes case_deadline frames from the console socket to listeners until they unsubscribe', async () => {
    const json = (status: number, body: unknown) =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    const agent = buildAgent();
    const fetchImpl: FetchLike = async (url) => {
      if (url === '/api/auth/me') return json(200, { agent, csrfToken: 'csrf', expiresAt: '' });
      if (url.startsWith('/api/conversations?view=')) return json(200, { conversations: [] });
      if (url === '/api/offers') return json(200, { offers: [] });
      if (url === '/api/team/cases')
        return json(200, { cases: [teamCase('c9', 'DSP-9', { kind: 'resolve_breach', due: '2026-12-01' })] });
      return json(404, { error: { code: 'not_found', message: '' } });
    };
    const timers = new FakeTimers();
    const sockets: FakeSocket[] = [];
    const store = createStore();
    const controller = new Controller({
      api: new ApiClient(fetchImpl),
      store,
      timers,
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
    await controller.boot();
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
    const ws = sockets.at(-1)!;
    ws.open();
    ws.receive(welcome());

    expect(await controller.api.teamCases()).toHaveLength(1);
    const heard: CaseDeadlineFrame[] = [];
    const stop = controller.onCaseDeadline((f) => heard.push(f));
    const before = store.getState();
    ws.receive(frame());
    expect(heard).toEqual([frame()]);
    // Not chat state: the store is untouched.
    expect(store.getState()).toBe(before);
    stop();
    ws.receive(frame({ kind: 'acknowledge_breach' }));
    expect(heard).toHaveLength(1);
  });
});
