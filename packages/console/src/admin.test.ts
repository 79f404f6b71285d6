import { describe, expect, it } from 'vitest';
import type { AdminAgentView, AdminTeamView } from '@carechat/protocol';
import {
  agentEditable,
  agentForm,
  agentRequest,
  hoursSummary,
  problemText,
  serverProblems,
  skillKey,
  teamForm,
  teamRequest,
} from './admin.js';
import { ApiClient, ApiError, type FetchLike } from './api.js';
import { Controller } from './controller.js';
import { makeT } from './i18n.js';
import { createStore } from './state.js';
import { buildAgent } from './testing/builders.js';

const t = makeT('en');
const es = makeT('es');
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const flush = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
};

const OFFICE = {
  timeZone: 'America/New_York',
  weekly: [[], ...Array.from({ length: 5 }, () => [{ open: '08:00', close: '20:00' }]), []],
};
const business: AdminTeamView = {
  id: 'business',
  name: { en: 'Business', es: 'Empresas' },
  hours: OFFICE,
  phone: '+1 800 555 0100',
  answerSlaSeconds: 120,
};
const general: AdminTeamView = { ...business, id: 'general', name: { en: 'Care', es: 'Atención' }, hours: null };
const ben: AdminAgentView = {
  id: 'agent_ben',
  email: 'ben@carechat.test',
  displayName: 'Ben Carter',
  role: 'agent',
  state: 'offline',
  maxConcurrent: 3,
  skills: [{ teamId: 'general', language: 'en' }],
};

describe('team form', () => {
  it('round-trips a team: unchanged form, same request', () => {
    const r = teamRequest(teamForm(business));
    expect(r).toEqual({
      ok: true,
      value: {
        id: 'business',
        body: { name: business.name, hours: OFFICE, phone: '+1 800 555 0100', answerSlaSeconds: 120 },
      },
    });
  });

  it('a new team starts 24/7 with office hours ready per day; 24/7 sends hours null and empty phone null', () => {
    const f = teamForm(null);
    expect(f).toMatchObject({ isNew: true, open247: true, sla: '120', timeZone: 'America/New_York' });
    expect(f.days.every((d) => !d.open && d.from === '09:00' && d.to === '17:00')).toBe(true);
    const r = teamRequest({ ...f, id: 'premium', nameEn: ' Premium ', nameEs: 'Prémium', phone: ' ' });
    expect(r).toEqual({
      ok: true,
      value: {
        id: 'premium',
        body: { name: { en: 'Premium', es: 'Prémium' }, hours: null, phone: null, answerSlaSeconds: 120 },
      },
    });
  });

  it('edits hours per weekday, keeping extra intervals of a day it does not show', () => {
    const split = {
      ...OFFICE,
      weekly: OFFICE.weekly.map((d, i) =>
        i === 6
          ? [
              { open: '09:00', close: '12:00' },
              { open: '13:00', close: '24:00' },
            ]
          : d,
      ),
    };
    const f = teamForm({ ...business, hours: split });
    expect(f.days[6]).toEqual({ open: true, from: '09:00', to: '12:00', extra: [{ open: '13:00', close: '24:00' }] });
    f.days[1] = { ...f.days[1]!, open: false };
    f.days[0] = { ...f.days[0]!, open: true, from: '22:00', to: '02:00' };
    const r = teamRequest({ ...f, timeZone: 'Europe/Madrid' });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.value.body.hours).toEqual({
      timeZone: 'Europe/Madrid',
      weekly: [
        [{ open: '22:00', close: '02:00' }],
        [],
        ...OFFICE.weekly.slice(2, 6),
        [
          { open: '09:00', close: '12:00' },
          { open: '13:00', close: '24:00' },
        ],
      ],
    });
  });

  it('shows a close of 24:00 as 00:00 (the same: until midnight)', () => {
    const f = teamForm({
      ...business,
      hours: { ...OFFICE, weekly: OFFICE.weekly.map((d) => (d.length ? [{ open: '08:00', close: '24:00' }] : d)) },
    });
    expect(f.days[1]).toMatchObject({ from: '08:00', to: '00:00' });
  });

  it('names every bad field, with texts in both languages', () => {
    const f = teamForm(null);
    f.days[3] = { ...f.days[3]!, open: true, from: '', to: '17:00' };
    f.days[4] = { ...f.days[4]!, open: true, from: '10:00', to: '10:00' }; // 24 hours from 10:00: fine
    const r = teamRequest({
      ...f,
      id: 'Bad Id',
      nameEn: '',
      nameEs: 'x'.repeat(81),
      phone: 'call me',
      sla: '9',
      open247: false,
      timeZone: 'Mars/Olympus',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.field)).toEqual(['id', 'nameEn', 'nameEs', 'phone', 'sla', 'timeZone', 'day3']);
    const texts = r.problems.map((p) => problemText(t, p));
    expect(texts).toContain('Enter a whole number of seconds from 10 to 86400.');
    expect(texts).toContain('Wed: enter an opening and a closing time.');
    expect(r.problems.map((p) => problemText(es, p))).toContain('mié: escriba una hora de apertura y una de cierre.');
  });

  it.each([
    ['86401', false],
    ['10', true],
    ['86400', true],
    ['12.5', false],
    ['abc', false],
  ])('SLA %s accepted: %s', (sla, ok) => {
    expect(teamRequest({ ...teamForm(business), sla }).ok).toBe(ok);
  });

  it('the id of an existing team is not checked (it cannot change)', () => {
    expect(teamRequest({ ...teamForm(business), id: 'business' }).ok).toBe(true);
    expect(teamRequest({ ...teamForm(null), id: 'b', nameEn: 'B', nameEs: 'B' }).ok).toBe(false);
  });
});

describe('hours summary', () => {
  it('groups consecutive days with the same hours, Monday first', () => {
    expect(hoursSummary(OFFICE, t)).toBe('Mon–Fri 08:00–20:00 (America/New_York)');
    expect(hoursSummary(OFFICE, es)).toBe('lun–vie 08:00–20:00 (America/New_York)');
    const weekend = {
      ...OFFICE,
      weekly: OFFICE.weekly.map((d, i) => (i === 6 ? [{ open: '10:00', close: '14:00' }] : d)),
    };
    expect(hoursSummary(weekend, t)).toBe('Mon–Fri 08:00–20:00; Sat 10:00–14:00 (America/New_York)');
  });
  it('24/7 and closed all week', () => {
    expect(hoursSummary(null, t)).toBe('Open 24/7');
    expect(hoursSummary({ timeZone: 'UTC', weekly: [[], [], [], [], [], [], []] }, t)).toBe('Closed every day (UTC)');
  });
});

describe('agent form', () => {
  it('sends skills in table order, max and a changed role', () => {
    const f = agentForm(ben);
    f.skills.add(skillKey('business', 'es'));
    f.skills.add(skillKey('general', 'es'));
    const r = agentRequest(ben, { ...f, max: '5', role: 'supervisor' }, [business, general], 'agent_admin');
    expect(r).toEqual({
      ok: true,
      value: {
        maxConcurrent: 5,
        skills: [
          { teamId: 'business', language: 'es' },
          { teamId: 'general', language: 'en' },
          { teamId: 'general', language: 'es' },
        ],
        role: 'supervisor',
      },
    });
  });

  it('leaves the role out when unchanged, and skills and role out for an admin', () => {
    expect(agentRequest(ben, agentForm(ben), [general], 'agent_admin')).toEqual({
      ok: true,
      value: { maxConcurrent: 3, skills: [{ teamId: 'general', language: 'en' }] },
    });
    const admin: AdminAgentView = { ...ben, id: 'agent_admin', role: 'admin', skills: [] };
    expect(agentEditable(admin, 'agent_admin')).toEqual({ skills: false, role: false });
    expect(agentEditable(ben, 'agent_ben')).toEqual({ skills: true, role: false });
    expect(agentRequest(admin, { ...agentForm(admin), role: 'agent' }, [general], 'agent_admin')).toEqual({
      ok: true,
      value: { maxConcurrent: 3 },
    });
  });

  it.each(['0', '21', '2.5', '', 'x'])('refuses max %j', (max) => {
    const r = agentRequest(ben, { ...agentForm(ben), max }, [general], 'agent_admin');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(problemText(t, r.problems[0]!)).toBe('Enter a whole number from 1 to 20.');
  });
});

describe('server problems', () => {
  it('maps the details of a 400 to the form fields', () => {
    expect(
      serverProblems([
        { path: 'hours.timeZone', message: 'unknown time zone' },
        { path: 'hours.weekly.2.0.open', message: 'not a time' },
        { path: 'hours.weekly.2.0.close', message: 'not a time' },
        { path: 'answerSlaSeconds', message: 'too small' },
        { path: 'skills', message: 'no team "x"' },
        { path: 'somethingElse', message: '?' },
      ]).map((p) => p.field),
    ).toEqual(['timeZone', 'day2', 'sla', 'skills']);
    expect(serverProblems(undefined)).toEqual([]);
  });
});

describe('admin API client', () => {
  it('GETs and PUTs the configuration with the CSRF token, and surfaces field details', async () => {
    const calls: Array<{ method: string; url: string; csrf: string | undefined; body: unknown }> = [];
    const fetchImpl: FetchLike = async (url, init = {}) => {
      const headers = (init.headers ?? {}) as Record<string, string>;
      calls.push({
        method: init.method ?? 'GET',
        url,
        csrf: headers['x-csrf-token'],
        body: init.body ? JSON.parse(init.body as string) : undefined,
      });
      if (url === '/api/auth/me')
        return json(200, { agent: buildAgent({ role: 'admin' }), csrfToken: 'tok', expiresAt: '' });
      if (url === '/api/admin/teams') return json(200, { teams: [business] });
      if (url === '/api/admin/agents') return json(200, { agents: [ben] });
      if (url === '/api/admin/teams/business') return json(200, { team: business });
      if (url === '/api/admin/agents/agent_ben') {
        return json(400, {
          error: { code: 'bad_request', message: 'no', details: [{ path: 'maxConcurrent', message: 'too big' }] },
        });
      }
      return json(404, { error: { code: 'not_found', message: '' } });
    };
    const api = new ApiClient(fetchImpl);
    await api.me();
    expect(await api.adminTeams()).toEqual([business]);
    expect(await api.adminAgents()).toEqual([ben]);
    const body = teamRequest(teamForm(business));
    if (!body.ok) throw new Error('form');
    expect(await api.putAdminTeam('business', body.value.body)).toEqual(business);
    const err = await api.putAdminAgent('agent_ben', { maxConcurrent: 99 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(serverProblems((err as ApiError).details).map((p) => p.field)).toEqual(['max']);
    expect(calls.filter((c) => c.method === 'PUT').map((c) => [c.url, c.csrf])).toEqual([
      ['/api/admin/teams/business', 'tok'],
      ['/api/admin/agents/agent_ben', 'tok'],
    ]);
  });
});

describe('signing in as an admin', () => {
  it('opens no socket and makes no inbox or offer calls (they would be refused)', async () => {
    const requests: string[] = [];
    const fetchImpl: FetchLike = async (url, init = {}) => {
      requests.push(`${init.method ?? 'GET'} ${url}`);
      if (url === '/api/auth/me')
        return json(200, {
          agent: buildAgent({ role: 'admin', teams: [], languages: [] }),
          csrfToken: 'tok',
          expiresAt: '',
        });
      return json(403, { error: { code: 'forbidden', message: '' } });
    };
    const store = createStore();
    let sockets = 0;
    const controller = new Controller({
      api: new ApiClient(fetchImpl),
      store,
      createSocket: () => {
        sockets++;
        throw new Error('no socket for admins');
      },
    });
    await controller.boot();
    await flush();
    expect(store.getState()).toMatchObject({ screen: 'workspace', agent: { role: 'admin' }, notice: null });
    expect(sockets).toBe(0);
    expect(requests).toEqual(['GET /api/auth/me']);
    expect(controller.api).toBeInstanceOf(ApiClient);
  });
});
