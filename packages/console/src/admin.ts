/**
 * The admin screen's logic, free of the DOM so it is unit-tested: edit forms for a team and an agent,
 * their checks (the same limits the server applies, so most mistakes are caught before a round trip),
 * the requests they become, and the one-line hours summary of the teams table.
 */
import type {
  AdminAgentRequest,
  AdminAgentView,
  AdminTeamRequest,
  AdminTeamView,
  Language,
  TeamHours,
} from '@carechat/protocol/client';
import type { ConsoleKey, Translate } from './i18n.js';

/** ADMIN_LIMITS of protocol/live.ts (the client bundle imports protocol types only). */
export const LIMITS = { slaMin: 10, slaMax: 86_400, maxMin: 1, maxMax: 20, nameMax: 80, phoneMax: 32 } as const;
export const TEAM_ID = /^[a-z][a-z0-9_-]{1,31}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
export const LANGUAGES: Language[] = ['en', 'es'];
/** Weekdays in the order a week is shown (Monday first); values are TeamHours indexes (0 = Sunday). */
export const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0] as const;
export const DEFAULT_TIME_ZONE = 'America/New_York';

type Interval = TeamHours['weekly'][number][number];

export interface DayForm {
  open: boolean;
  from: string;
  to: string;
  /** Further intervals of that day, kept as they are (the dialog edits the first one). */
  extra: Interval[];
}

export interface TeamForm {
  /** Editable only for a new team. */
  isNew: boolean;
  id: string;
  nameEn: string;
  nameEs: string;
  phone: string;
  sla: string;
  open247: boolean;
  timeZone: string;
  /** Indexed like TeamHours.weekly: 0 = Sunday. */
  days: DayForm[];
}

/** A field that failed its check: the form field's name and the text key (with its parameters). */
export interface FieldProblem {
  field: string;
  key: ConsoleKey;
  params?: Record<string, string | number>;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problems: FieldProblem[] };

export function teamForm(team: AdminTeamView | null): TeamForm {
  const hours = team?.hours ?? null;
  return {
    isNew: !team,
    id: team?.id ?? '',
    nameEn: team?.name.en ?? '',
    nameEs: team?.name.es ?? '',
    phone: team?.phone ?? '',
    sla: String(team?.answerSlaSeconds ?? 120),
    open247: team ? hours === null : true,
    timeZone: hours?.timeZone ?? DEFAULT_TIME_ZONE,
    days: Array.from({ length: 7 }, (_, d) => {
      const day = hours?.weekly[d] ?? [];
      const first = day[0];
      // Closed days and 24/7 teams start from office hours, so ticking a day is one step.
      // A close of 24:00 is the same as 00:00 (until midnight), which a time field can show.
      return first
        ? { open: true, from: first.open, to: first.close === '24:00' ? '00:00' : first.close, extra: day.slice(1) }
        : { open: false, from: '09:00', to: '17:00', extra: [] };
    }),
  };
}

export function isKnownTimeZone(zone: string): boolean {
  if (!zone.trim()) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone.trim() });
    return true;
  } catch {
    return false;
  }
}

/** The IANA zones the browser knows, for the time zone suggestions (empty where unsupported). */
export function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  try {
    return intl.supportedValuesOf?.('timeZone') ?? [];
  } catch {
    return [];
  }
}

/** Checks the team form; on success, the id and the PUT body. */
export function teamRequest(f: TeamForm): Checked<{ id: string; body: AdminTeamRequest }> {
  const problems: FieldProblem[] = [];
  const id = f.id.trim();
  if (f.isNew && !TEAM_ID.test(id)) problems.push({ field: 'id', key: 'admin.invalid.id' });
  const nameEn = f.nameEn.trim();
  const nameEs = f.nameEs.trim();
  if (!nameEn || nameEn.length > LIMITS.nameMax) {
    problems.push({ field: 'nameEn', key: 'admin.invalid.name', params: { max: LIMITS.nameMax } });
  }
  if (!nameEs || nameEs.length > LIMITS.nameMax) {
    problems.push({ field: 'nameEs', key: 'admin.invalid.name', params: { max: LIMITS.nameMax } });
  }
  const phone = f.phone.trim();
  if (phone.length > LIMITS.phoneMax || !/^[+0-9 ().-]*$/.test(phone)) {
    problems.push({ field: 'phone', key: 'admin.invalid.phone', params: { max: LIMITS.phoneMax } });
  }
  const sla = Number(f.sla.trim());
  if (!/^\d+$/.test(f.sla.trim()) || sla < LIMITS.slaMin || sla > LIMITS.slaMax) {
    problems.push({ field: 'sla', key: 'admin.invalid.sla', params: { min: LIMITS.slaMin, max: LIMITS.slaMax } });
  }
  let hours: TeamHours | null = null;
  if (!f.open247) {
    if (!isKnownTimeZone(f.timeZone)) problems.push({ field: 'timeZone', key: 'admin.invalid.timeZone' });
    f.days.forEach((d, i) => {
      if (!d.open) return;
      if (!TIME.test(d.from) || !(TIME.test(d.to) || d.to === '24:00')) {
        problems.push({ field: `day${i}`, key: 'admin.invalid.time', params: { day: i } });
      }
    });
    hours = {
      timeZone: f.timeZone.trim(),
      weekly: f.days.map((d) => (d.open ? [{ open: d.from, close: d.to }, ...d.extra] : [])),
    };
  }
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    value: { id, body: { name: { en: nameEn, es: nameEs }, hours, phone: phone || null, answerSlaSeconds: sla } },
  };
}

export interface AgentForm {
  /** `team\u0000language` keys of the ticked boxes. */
  skills: Set<string>;
  max: string;
  role: AdminAgentView['role'];
}

export const skillKey = (teamId: string, language: Language) => `${teamId}\u0000${language}`;

export function agentForm(a: AdminAgentView): AgentForm {
  return {
    skills: new Set(a.skills.map((s) => skillKey(s.teamId, s.language))),
    max: String(a.maxConcurrent),
    role: a.role,
  };
}

/** What the dialog lets change: admins take no chats (no skills) and nobody changes their own role. */
export function agentEditable(a: AdminAgentView, selfId: string): { skills: boolean; role: boolean } {
  return { skills: a.role !== 'admin', role: a.role !== 'admin' && a.id !== selfId };
}

/** Checks the agent form against the known teams; on success, the PUT body. */
export function agentRequest(
  a: AdminAgentView,
  f: AgentForm,
  teams: AdminTeamView[],
  selfId: string,
): Checked<AdminAgentRequest> {
  const problems: FieldProblem[] = [];
  const max = Number(f.max.trim());
  if (!/^\d+$/.test(f.max.trim()) || max < LIMITS.maxMin || max > LIMITS.maxMax) {
    problems.push({ field: 'max', key: 'admin.invalid.max', params: { min: LIMITS.maxMin, max: LIMITS.maxMax } });
  }
  if (problems.length) return { ok: false, problems };
  const editable = agentEditable(a, selfId);
  const body: AdminAgentRequest = { maxConcurrent: max };
  if (editable.skills) {
    // In table order, and only skills of teams that exist (a team could not vanish, but be safe).
    body.skills = teams.flatMap((t) =>
      LANGUAGES.filter((l) => f.skills.has(skillKey(t.id, l))).map((language) => ({ teamId: t.id, language })),
    );
  }
  if (editable.role && f.role !== 'admin' && f.role !== a.role) body.role = f.role;
  return { ok: true, value: body };
}

const DAY_KEYS: ConsoleKey[] = [
  'admin.day.0',
  'admin.day.1',
  'admin.day.2',
  'admin.day.3',
  'admin.day.4',
  'admin.day.5',
  'admin.day.6',
];
export const dayName = (t: Translate, d: number) => t(DAY_KEYS[d]!);

/**
 * "Mon–Fri 08:00–20:00; Sat 10:00–14:00 (America/New_York)": consecutive days (Monday first) with the
 * same intervals are grouped; closed days are left out.
 */
export function hoursSummary(hours: TeamHours | null, t: Translate): string {
  if (!hours) return t('admin.hours.247');
  const text = (d: number) => (hours.weekly[d] ?? []).map((i) => `${i.open}–${i.close}`).join(', ');
  const groups: Array<{ from: number; to: number; text: string }> = [];
  for (const d of WEEK_ORDER) {
    const s = text(d);
    const last = groups[groups.length - 1];
    if (last && last.text === s) last.to = d;
    else groups.push({ from: d, to: d, text: s });
  }
  const open = groups.filter((g) => g.text);
  if (!open.length) return t('admin.hours.closed', { zone: hours.timeZone });
  const days = open
    .map((g) => `${dayName(t, g.from)}${g.from === g.to ? '' : `–${dayName(t, g.to)}`} ${g.text}`)
    .join('; ');
  return t('admin.hours.summary', { days, zone: hours.timeZone });
}

/** The text key of a problem the server reported for a field (`details[].path`), by form field. */
export function serverProblems(details: unknown): FieldProblem[] {
  if (!Array.isArray(details)) return [];
  const out: FieldProblem[] = [];
  for (const d of details as Array<{ path?: unknown }>) {
    const path = typeof d?.path === 'string' ? d.path : '';
    const day = /^hours\.weekly\.(\d)/.exec(path);
    if (path === 'id') out.push({ field: 'id', key: 'admin.invalid.id' });
    else if (path === 'name.en')
      out.push({ field: 'nameEn', key: 'admin.invalid.name', params: { max: LIMITS.nameMax } });
    else if (path === 'name.es')
      out.push({ field: 'nameEs', key: 'admin.invalid.name', params: { max: LIMITS.nameMax } });
    else if (path === 'phone')
      out.push({ field: 'phone', key: 'admin.invalid.phone', params: { max: LIMITS.phoneMax } });
    else if (path === 'answerSlaSeconds') {
      out.push({ field: 'sla', key: 'admin.invalid.sla', params: { min: LIMITS.slaMin, max: LIMITS.slaMax } });
    } else if (path === 'hours.timeZone') out.push({ field: 'timeZone', key: 'admin.invalid.timeZone' });
    else if (day) out.push({ field: `day${day[1]}`, key: 'admin.invalid.time', params: { day: Number(day[1]) } });
    else if (path === 'maxConcurrent') {
      out.push({ field: 'max', key: 'admin.invalid.max', params: { min: LIMITS.maxMin, max: LIMITS.maxMax } });
    } else if (path.startsWith('skills')) out.push({ field: 'skills', key: 'admin.invalid.skills' });
  }
  // One problem per field (a day's opening and closing time are one field).
  return out.filter((p, i) => out.findIndex((q) => q.field === p.field) === i);
}

/** A problem's text; a day number becomes the day's name. */
export function problemText(t: Translate, p: FieldProblem): string {
  const params = { ...p.params };
  if (typeof params.day === 'number') params.day = dayName(t, params.day);
  return t(p.key, params);
}
