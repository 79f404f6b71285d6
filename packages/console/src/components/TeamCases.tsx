/**
 * "Team cases due" (issue 7, docs/disputes.md#timers): in the inbox sidebar, the open cases of the agent's
 * teams whose deadline warning or breach has fired and is still owed. Loaded from `GET /api/team/cases`
 * when the sidebar appears, then kept current by `case_deadline` socket frames, each of which is also
 * announced: politely for a warning ("Case DSP-… must be acknowledged by Dec 25, 2026 (5 days)."),
 * assertively for a missed deadline. A missed deadline is said in words and tagged, never colour alone.
 */
import { useEffect, useState } from 'preact/hooks';
import type { CaseDeadlineFrame, CaseDeadlineKind, Language, TeamCasesResponse } from '@carechat/protocol/client';
import { formatDate } from '../format.js';
import type { Translate } from '../i18n.js';
import { useConsole } from './context.js';

/** One case in the list: what is due (or missed) and when. */
export interface TeamCaseItem {
  caseId: string;
  reference: string;
  kind: CaseDeadlineKind;
  /** The deadline day (YYYY-MM-DD). */
  due: string;
}

export interface DeadlineAnnouncement {
  id: number;
  text: string;
  politeness: 'polite' | 'assertive';
}

const isBreach = (k: CaseDeadlineKind) => k.endsWith('breach');

/** Missed deadlines first, then the nearest deadline, then the reference (a stable order). */
function byUrgency(a: TeamCaseItem, b: TeamCaseItem): number {
  if (isBreach(a.kind) !== isBreach(b.kind)) return isBreach(a.kind) ? -1 : 1;
  if (a.due !== b.due) return a.due < b.due ? -1 : 1;
  return a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0;
}

/** The list from `GET /api/team/cases`. */
export function itemsFromCases(cases: TeamCasesResponse['cases']): TeamCaseItem[] {
  return cases
    .map((c) => ({ caseId: c.id, reference: c.reference, kind: c.deadline.kind, due: c.deadline.due }))
    .sort(byUrgency);
}

/** The list after a `case_deadline` frame: a case is added, or its entry replaced when the news is at least as urgent. */
export function applyDeadlineFrame(items: TeamCaseItem[], f: CaseDeadlineFrame): TeamCaseItem[] {
  const next: TeamCaseItem = { caseId: f.caseId, reference: f.reference, kind: f.kind, due: f.due };
  const old = items.find((i) => i.caseId === f.caseId);
  if (old && isBreach(old.kind) && !isBreach(next.kind)) return items; // a missed deadline stays shown
  return [...items.filter((i) => i.caseId !== f.caseId), next].sort(byUrgency);
}

/** Whole days from `today` to `day` (both YYYY-MM-DD, UTC). */
export function daysUntil(today: string, day: string): number {
  const at = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
  return Math.round((at(day) - at(today)) / 86_400_000);
}

/** "Acknowledge by Dec 25, 2026" and "5 days left" / "Acknowledgement deadline missed: Dec 25, 2026" and "2 days overdue". */
export function dueText(
  t: Translate,
  lang: Language,
  item: TeamCaseItem,
  today: string,
): { what: string; when: string; breached: boolean } {
  const n = daysUntil(today, item.due);
  const when =
    n < 0
      ? n === -1
        ? t('cases.days.overdueOne')
        : t('cases.days.overdue', { n: -n })
      : n === 0
        ? t('cases.days.today')
        : n === 1
          ? t('cases.days.one')
          : t('cases.days.left', { n });
  return {
    what: t(`teamCases.due.${item.kind}`, { date: formatDate(item.due, lang) }),
    when,
    breached: isBreach(item.kind),
  };
}

/** What a screen reader says when the frame arrives, and how urgently. */
export function deadlineAnnouncement(
  t: Translate,
  lang: Language,
  f: Pick<CaseDeadlineFrame, 'reference' | 'kind' | 'due'>,
  today: string,
): Omit<DeadlineAnnouncement, 'id'> {
  const n = Math.max(0, daysUntil(today, f.due));
  const days = n === 0 ? t('teamCases.days.today') : n === 1 ? t('teamCases.days.one') : t('teamCases.days.n', { n });
  return {
    text: t(`teamCases.announce.${f.kind}`, { reference: f.reference, date: formatDate(f.due, lang), days }),
    politeness: isBreach(f.kind) ? 'assertive' : 'polite',
  };
}

const MAX_ANNOUNCEMENTS = 5;
const todayUtc = () => new Date().toISOString().slice(0, 10);

/**
 * `load` defaults to the console's API client, `subscribe` to the controller's `case_deadline` frames,
 * `today` to the UTC day (the issuer's day, as the server counts deadlines).
 */
export function TeamCases({
  load,
  subscribe,
  today = todayUtc,
}: {
  load?: () => Promise<TeamCasesResponse['cases']>;
  subscribe?: (listener: (f: CaseDeadlineFrame) => void) => () => void;
  today?: () => string;
}) {
  const { controller, t, lang } = useConsole();
  const [items, setItems] = useState<TeamCaseItem[] | null>(null);
  const [error, setError] = useState(false);
  const [said, setSaid] = useState<DeadlineAnnouncement[]>([]);

  useEffect(() => {
    let live = true;
    // The effect's own copy: frames that arrive before the list are applied on top of it.
    let list: TeamCaseItem[] | null = null;
    const early: CaseDeadlineFrame[] = [];
    const unsubscribe = (subscribe ?? ((l) => controller.onCaseDeadline(l)))((f) => {
      if (!live) return;
      if (list === null) early.push(f);
      else setItems((list = applyDeadlineFrame(list, f)));
      const a = deadlineAnnouncement(t, lang, f, today());
      setSaid((cur) => [...cur, { ...a, id: (cur[cur.length - 1]?.id ?? 0) + 1 }].slice(-MAX_ANNOUNCEMENTS));
    });
    const settle = (cases: TeamCasesResponse['cases'], failed: boolean) => {
      if (!live) return;
      list = early.reduce(applyDeadlineFrame, itemsFromCases(cases));
      setItems(list);
      setError(failed); // on failure the list still fills from frames
    };
    (load ? load() : controller.api.teamCases()).then(
      (cases) => settle(cases, false),
      () => settle([], true),
    );
    return () => {
      live = false;
      unsubscribe();
    };
  }, []);

  const now = today();
  return (
    <section class="inbox-section" aria-labelledby="team-cases-heading" data-testid="console-team-cases">
      <h2 id="team-cases-heading">
        {t('teamCases.heading')} {items && <span class="count">({items.length})</span>}
      </h2>
      {error && <p class="form-error">{t('teamCases.error')}</p>}
      {items === null && !error && <p class="loading-note">{t('teamCases.loading')}</p>}
      {items !== null && (
        <ul class="chat-list" data-testid="console-team-cases-list">
          {items.length === 0 && <li class="empty">{t('teamCases.empty')}</li>}
          {items.map((item) => {
            const d = dueText(t, lang, item, now);
            return (
              <li key={item.caseId} class="queue-item" data-testid={`team-case-${item.reference}`}>
                <p class="queue-who">
                  <span class="name">{item.reference}</span>
                </p>
                <p class="queue-meta">
                  {d.breached ? <strong>{d.what}</strong> : <span>{d.what}</span>}
                  <span class="sep">
                    <span aria-hidden="true">{' · '}</span>
                    <span class="visually-hidden">, </span>
                  </span>
                  <span class="nowrap">{d.when}</span>
                </p>
                {d.breached && (
                  <p class="queue-meta">
                    <span class="tag tag--bad">{t('deadlines.sla.breached')}</span>
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <div class="visually-hidden" aria-live="polite" aria-atomic="false" data-testid="console-team-cases-polite">
        {said
          .filter((a) => a.politeness === 'polite')
          .map((a) => (
            <p key={a.id}>{a.text}</p>
          ))}
      </div>
      <div class="visually-hidden" aria-live="assertive" aria-atomic="false" data-testid="console-team-cases-alert">
        {said
          .filter((a) => a.politeness === 'assertive')
          .map((a) => (
            <p key={a.id}>{a.text}</p>
          ))}
      </div>
    </section>
  );
}
