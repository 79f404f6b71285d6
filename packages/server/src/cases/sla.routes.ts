/**
 * The supervisor's case deadlines (docs/disputes.md#the-supervisor-view): `GET /api/supervisor/cases`,
 * the cases of the teams the supervisor supervises with their SLA state, open ones first by the
 * nearest deadline still owed, then the most recently settled ones. Also `GET /api/team/cases`: an agent's
 * or supervisor's teams' open cases with a deadline warning or breach still owed (the console's "Team cases due").
 */
import type { CaseSla, CaseView, SupervisorCasesResponse, TeamCasesResponse } from '@carechat/protocol';
import type { FastifyInstance } from 'fastify';
import { daysBetween, formatDate } from '../accounts/rules/dates.js';
import type { IdentityService } from '../identity/identity.service.js';
import { authorize, teamsOf } from '../security/access.js';
import type { Clock } from '../shared/clock.js';
import type { Db } from '../store/db.js';
import type { CasesTable } from '../store/schema.js';
import { staff } from '../transport/auth.js';
import { OPEN_STATUSES, type CasesService } from './cases.service.js';
import { ACKNOWLEDGE_WARNING_DAYS, RESOLVE_WARNING_DAYS } from './timers.js';

/** Settled cases shown after the open ones (most recent first). */
const SETTLED_LIMIT = 50;
const OPEN_LIMIT = 500;

/** The SLA state of a case on `today` (YYYY-MM-DD, UTC: the issuer's day). */
export function slaOf(
  c: Pick<CasesTable, 'status' | 'acknowledge_by' | 'resolve_by' | 'acknowledged_at' | 'resolved_at'>,
  today: string,
): CaseSla {
  const open = OPEN_STATUSES.includes(c.status);
  const acknowledgeInDays =
    open && c.acknowledge_by && !c.acknowledged_at ? daysBetween(today, c.acknowledge_by) : null;
  const resolveInDays = open && c.resolve_by ? daysBetween(today, c.resolve_by) : null;
  const metLate =
    (c.acknowledge_by !== null && c.acknowledged_at !== null && c.acknowledged_at.slice(0, 10) > c.acknowledge_by) ||
    (c.resolve_by !== null && c.resolved_at !== null && c.resolved_at.slice(0, 10) > c.resolve_by);
  const breached = metLate || (acknowledgeInDays ?? 0) < 0 || (resolveInDays ?? 0) < 0;
  const near =
    (acknowledgeInDays !== null && acknowledgeInDays <= ACKNOWLEDGE_WARNING_DAYS) ||
    (resolveInDays !== null && resolveInDays <= RESOLVE_WARNING_DAYS);
  return { acknowledgeInDays, resolveInDays, warning: !breached && near, breached };
}

/** The nearest deadline still owed (for ordering); null when none. */
function nextDeadline(c: CasesTable): string | null {
  const owed = [c.acknowledged_at ? null : c.acknowledge_by, c.resolve_by].filter((d): d is string => !!d);
  return owed.sort()[0] ?? null;
}

export async function supervisorCases(
  d: { db: Db; cases: CasesService; clock: Clock },
  teamIds: string[],
): Promise<Array<CaseView & { sla: CaseSla }>> {
  if (teamIds.length === 0) return [];
  const open = await d.db
    .selectFrom('cases')
    .selectAll()
    .where('owner_team_id', 'in', teamIds)
    .where('status', 'in', [...OPEN_STATUSES])
    .limit(OPEN_LIMIT)
    .execute();
  const settled = await d.db
    .selectFrom('cases')
    .selectAll()
    .where('owner_team_id', 'in', teamIds)
    .where('status', 'not in', [...OPEN_STATUSES])
    .orderBy('updated_at', 'desc')
    .orderBy('id')
    .limit(SETTLED_LIMIT)
    .execute();
  open.sort((a, b) => {
    const x = nextDeadline(a);
    const y = nextDeadline(b);
    if (x !== y) return x === null ? 1 : y === null ? -1 : x < y ? -1 : 1;
    return a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id < b.id ? -1 : 1;
  });
  const today = formatDate(d.clock.now());
  const out: Array<CaseView & { sla: CaseSla }> = [];
  for (const row of [...open, ...settled]) {
    const view = await d.cases.view(row, 'staff');
    out.push({ ...view, sla: slaOf(row, today) });
  }
  return out;
}

/**
 * The team's cases due (`GET /api/team/cases`): open cases of `teamIds` with a deadline warning or breach
 * fired and still owed (an acknowledge timer only while unacknowledged), most urgent deadline first.
 */
export async function teamCasesDue(
  d: { db: Db; cases: CasesService },
  teamIds: string[],
): Promise<TeamCasesResponse['cases']> {
  if (teamIds.length === 0) return [];
  const rows = await d.db
    .selectFrom('case_timers')
    .innerJoin('cases', 'cases.id', 'case_timers.case_id')
    .selectAll('cases')
    .select(['case_timers.kind as timer_kind', 'case_timers.due_at as timer_due_at'])
    .where('cases.owner_team_id', 'in', teamIds)
    .where('cases.status', 'in', [...OPEN_STATUSES])
    .where('case_timers.fired_at', 'is not', null)
    .limit(OPEN_LIMIT)
    .execute();
  // Per case, the fired timer still owed that matters most: a breach over a warning, then the nearer deadline.
  const rank = (k: string) => (k.endsWith('breach') ? 0 : 1);
  const best = new Map<string, (typeof rows)[number] & { due: string }>();
  for (const r of rows) {
    const ack = r.timer_kind.startsWith('acknowledge');
    if (ack && r.acknowledged_at !== null) continue;
    const due = ack ? r.acknowledge_by : r.resolve_by;
    if (!due) continue;
    const cur = best.get(r.id);
    if (
      !cur ||
      rank(r.timer_kind) < rank(cur.timer_kind) ||
      (rank(r.timer_kind) === rank(cur.timer_kind) && due < cur.due)
    )
      best.set(r.id, { ...r, due });
  }
  const picked = [...best.values()].sort((a, b) =>
    a.due !== b.due ? (a.due < b.due ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
  const out: TeamCasesResponse['cases'] = [];
  for (const r of picked) {
    const { timer_kind, timer_due_at: _dueAt, due, ...row } = r;
    const view = await d.cases.view(row as CasesTable, 'staff');
    out.push({ ...view, deadline: { kind: timer_kind, due } });
  }
  return out;
}

export function slaRoutes(
  app: FastifyInstance,
  d: { identity: IdentityService; db: Db; cases: CasesService; clock: Clock },
) {
  app.get('/api/supervisor/cases', async (req): Promise<SupervisorCasesResponse> => {
    const { actor } = await staff(d.identity, req);
    authorize(actor, 'case.supervise');
    return { cases: await supervisorCases(d, [...teamsOf(actor)].sort()) };
  });
  app.get('/api/team/cases', async (req): Promise<TeamCasesResponse> => {
    const { actor } = await staff(d.identity, req);
    authorize(actor, 'case.team');
    return { cases: await teamCasesDue(d, [...teamsOf(actor)].sort()) };
  });
}
