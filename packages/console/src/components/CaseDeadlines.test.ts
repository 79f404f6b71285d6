import { describe, expect, it } from 'vitest';
import { makeT } from '../i18n.js';
import { deadlineRows, type SupervisorCase } from './CaseDeadlines.js';

const en = makeT('en');
const es = makeT('es');
const TEAMS = { disputes: { en: 'Disputes', es: 'Disputas' } };

function supervisorCase(o: Partial<SupervisorCase> & Pick<SupervisorCase, 'sla'>): SupervisorCase {
  return {
    id: 'case_1',
    reference: 'DSP-7K2M9QXA',
    type: 'dispute',
    status: 'open',
    title: 'Dispute: Harbor Electronics, $89.00',
    language: 'en',
    cardmemberId: 'cm_jose',
    cardLast4: '3007',
    ownerTeamId: 'disputes',
    complaintCategory: null,
    disputeId: 'dsp_1',
    deadlines: { acknowledgeBy: '2026-12-25', resolveBy: '2027-01-25', acknowledgedAt: null, resolvedAt: null },
    createdAt: '2026-11-25T12:00:00.000Z',
    updatedAt: '2026-11-25T12:00:00.000Z',
    ...o,
  } as SupervisorCase;
}

describe('case deadlines rows', () => {
  it('says the SLA state and the days left in words, in English and Spanish', () => {
    const breached = supervisorCase({
      sla: { acknowledgeInDays: -2, resolveInDays: 29, warning: false, breached: true },
    });
    const [row] = deadlineRows([breached], TEAMS, en, 'en');
    expect(row).toMatchObject({
      reference: 'DSP-7K2M9QXA',
      type: 'Dispute',
      team: 'Disputes',
      status: 'Open',
      acknowledge: { date: 'Dec 25, 2026', detail: '2 days overdue', overdue: true },
      resolve: { date: 'Jan 25, 2027', detail: '29 days left', overdue: false },
      sla: 'Deadline missed',
      level: 'breached',
    });
    const [fila] = deadlineRows([breached], TEAMS, es, 'es');
    expect(fila).toMatchObject({ type: 'Disputa', team: 'Disputas', status: 'Abierto', sla: 'Plazo incumplido' });
    expect(fila!.acknowledge.date).toBe('25 dic 2026');
  });

  it('shows a met acknowledgement, an approaching resolution, and cases without deadlines', () => {
    const acked = supervisorCase({
      status: 'acknowledged',
      deadlines: {
        acknowledgeBy: '2026-12-25',
        resolveBy: '2027-01-25',
        acknowledgedAt: '2026-12-01T10:00:00.000Z',
        resolvedAt: null,
      },
      sla: { acknowledgeInDays: null, resolveInDays: 1, warning: true, breached: false },
    });
    const general = supervisorCase({
      id: 'case_2',
      reference: 'GEN-00000000',
      type: 'general',
      ownerTeamId: 'general',
      deadlines: { acknowledgeBy: null, resolveBy: null, acknowledgedAt: null, resolvedAt: null },
      sla: { acknowledgeInDays: null, resolveInDays: null, warning: false, breached: false },
    });
    const rows = deadlineRows([acked, general], TEAMS, en, 'en');
    expect(rows[0]).toMatchObject({
      acknowledge: { detail: 'met' },
      resolve: { detail: '1 day left' },
      sla: 'Deadline approaching',
      level: 'warning',
    });
    // An unknown team shows its id; no deadline is said, not left blank.
    expect(rows[1]).toMatchObject({
      team: 'general',
      acknowledge: { date: 'None', detail: '' },
      sla: 'No deadline',
      level: 'none',
    });
  });

  it('says when a settled case met its deadline late', () => {
    const late = supervisorCase({
      status: 'resolved',
      deadlines: {
        acknowledgeBy: '2026-10-01',
        resolveBy: '2026-11-01',
        acknowledgedAt: '2026-09-20T10:00:00.000Z',
        resolvedAt: '2026-11-03T10:00:00.000Z',
      },
      sla: { acknowledgeInDays: null, resolveInDays: null, warning: false, breached: true },
    });
    const [row] = deadlineRows([late], TEAMS, es, 'es');
    expect(row).toMatchObject({
      status: 'Resuelto',
      acknowledge: { detail: 'cumplido' },
      resolve: { detail: 'cumplido con retraso' },
      sla: 'Plazo incumplido',
    });
  });
});
