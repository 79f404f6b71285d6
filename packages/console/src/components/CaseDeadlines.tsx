/**
 * "Case deadlines": the supervisor's view of the FCBA and other case deadlines of their teams
 * (GET /api/supervisor/cases; docs/disputes.md#the-supervisor-view). One table: reference, type, team,
 * status, acknowledge-by and resolve-by with the days left, and the SLA state in words (a missed
 * deadline is also a thick rule on the row, never colour alone). Loaded when the screen opens and on
 * Refresh (the console socket does not carry `case.updated`).
 */
import { useEffect, useState } from 'preact/hooks';
import type { CaseSla, CaseView, Language, TeamView } from '@carechat/protocol/client';
import { formatDate } from '../format.js';
import type { ConsoleKey, Translate } from '../i18n.js';
import { useConsole } from './context.js';

export type SupervisorCase = CaseView & { sla: CaseSla };

export interface DeadlineCell {
  /** The date as the agent reads it, or the "none" word. */
  date: string;
  /** "3 days left" / "due today" / "2 days overdue" / "met"; empty without a deadline. */
  detail: string;
  overdue: boolean;
}

export interface DeadlineRow {
  id: string;
  reference: string;
  type: string;
  team: string;
  status: string;
  acknowledge: DeadlineCell;
  resolve: DeadlineCell;
  /** The SLA state in words. */
  sla: string;
  level: 'breached' | 'warning' | 'ok' | 'none';
}

function days(t: Translate, n: number): string {
  if (n < 0) return n === -1 ? t('cases.days.overdueOne') : t('cases.days.overdue', { n: -n });
  if (n === 0) return t('cases.days.today');
  return n === 1 ? t('cases.days.one') : t('cases.days.left', { n });
}

function cell(
  t: Translate,
  lang: Language,
  due: string | null,
  left: number | null,
  metAt: string | null,
): DeadlineCell {
  if (!due) return { date: t('deadlines.noDate'), detail: '', overdue: false };
  const date = formatDate(due, lang);
  if (left !== null) return { date, detail: days(t, left), overdue: left < 0 };
  if (metAt)
    return { date, detail: t(metAt.slice(0, 10) > due ? 'deadlines.metLate' : 'deadlines.met'), overdue: false };
  return { date, detail: t('deadlines.settled'), overdue: false };
}

/** The table's rows, in the server's order (open cases by nearest deadline, then settled ones). */
export function deadlineRows(
  cases: SupervisorCase[],
  teams: Record<string, TeamView['name']>,
  t: Translate,
  lang: Language,
): DeadlineRow[] {
  return cases.map((c) => {
    const level: DeadlineRow['level'] = c.sla.breached
      ? 'breached'
      : c.sla.warning
        ? 'warning'
        : c.deadlines.acknowledgeBy || c.deadlines.resolveBy
          ? 'ok'
          : 'none';
    return {
      id: c.id,
      reference: c.reference,
      type: t(`cases.type.${c.type}` as ConsoleKey),
      team: teams[c.ownerTeamId]?.[lang] ?? c.ownerTeamId,
      status: t(`cases.status.${c.status}` as ConsoleKey),
      acknowledge: cell(t, lang, c.deadlines.acknowledgeBy, c.sla.acknowledgeInDays, c.deadlines.acknowledgedAt),
      resolve: cell(t, lang, c.deadlines.resolveBy, c.sla.resolveInDays, c.deadlines.resolvedAt),
      sla: t(`deadlines.sla.${level}`),
      level,
    };
  });
}

const TAG: Record<DeadlineRow['level'], string> = {
  breached: 'tag tag--bad',
  warning: 'tag tag--warn',
  ok: 'tag tag--ok',
  none: 'tag tag--neutral',
};

/** `load` defaults to the console's API client (whose 401 handling signs an expired session out). */
export function CaseDeadlines({ load }: { load?: () => Promise<SupervisorCase[]> }) {
  const { controller, t, lang } = useConsole();
  const [cases, setCases] = useState<SupervisorCase[] | null>(null);
  const [teams, setTeams] = useState<Record<string, TeamView['name']>>({});
  const [error, setError] = useState(false);
  const [busy, setBusy] = useState(false);
  const [updated, setUpdated] = useState<Date | null>(null);

  const refresh = async () => {
    setBusy(true);
    try {
      // Team names arrive with the first list, so a row never shows a team id and then its name.
      const [list, teamList] = await Promise.all([
        load ? load() : controller.api.supervisorCases(),
        Object.keys(teams).length ? null : controller.api.teams().catch(() => null), // ids are shown instead
      ]);
      if (teamList) setTeams(Object.fromEntries(teamList.map((x) => [x.id, x.name])));
      setCases(list);
      setError(false);
      setUpdated(new Date());
    } catch {
      setError(true);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    void refresh();
  }, []);

  const rows = cases ? deadlineRows(cases, teams, t, lang) : [];
  const breached = rows.filter((r) => r.level === 'breached').length;
  const warning = rows.filter((r) => r.level === 'warning').length;
  return (
    <section class="board" aria-labelledby="deadlines-heading" data-testid="console-deadlines" aria-busy={busy}>
      <div class="board-head">
        <h2 id="deadlines-heading" tabIndex={-1}>
          {t('deadlines.heading')}
        </h2>
        {updated && (
          <p class="hint">
            {t('deadlines.updated', {
              time: new Intl.DateTimeFormat(lang, { timeStyle: 'short' }).format(updated),
            })}
          </p>
        )}
        <button type="button" class="button button--small" disabled={busy} onClick={() => void refresh()}>
          {t('deadlines.refresh')}
        </button>
      </div>
      {error && (
        <p class="form-error" role="alert">
          {t('deadlines.error')}
        </p>
      )}
      {cases === null && !error && <p class="loading-note">{t('deadlines.loading')}</p>}
      {cases !== null && rows.length === 0 && <p class="empty">{t('deadlines.empty')}</p>}
      {rows.length > 0 && (
        <>
          <p role="status" data-testid="console-deadlines-summary">
            {t('deadlines.summary', { breached, warning })}
          </p>
          <table class="data-table" data-testid="console-deadlines-table">
            <caption>{t('deadlines.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('deadlines.col.reference')}</th>
                <th scope="col">{t('deadlines.col.type')}</th>
                <th scope="col">{t('deadlines.col.team')}</th>
                <th scope="col">{t('deadlines.col.status')}</th>
                <th scope="col">{t('deadlines.col.acknowledge')}</th>
                <th scope="col">{t('deadlines.col.resolve')}</th>
                <th scope="col">{t('deadlines.col.sla')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr
                  key={r.id}
                  class={r.level === 'breached' ? 'row--alert' : undefined}
                  data-testid={`deadline-${r.reference}`}
                >
                  <th scope="row">{r.reference}</th>
                  <td>{r.type}</td>
                  <td>{r.team}</td>
                  <td>{r.status}</td>
                  <DeadlineTd c={r.acknowledge} />
                  <DeadlineTd c={r.resolve} />
                  <td>
                    <span class={TAG[r.level]}>{r.sla}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function DeadlineTd({ c }: { c: DeadlineCell }) {
  return (
    <td>
      {c.date}
      {c.detail && (
        <>
          <br />
          {c.overdue ? <strong>{c.detail}</strong> : <span class="hint">{c.detail}</span>}
        </>
      )}
    </td>
  );
}
