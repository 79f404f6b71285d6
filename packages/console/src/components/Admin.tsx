import { useEffect, useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { AdminAgentView, AdminTeamView, AgentView } from '@carechat/protocol/client';
import {
  agentEditable,
  agentForm,
  agentRequest,
  hoursSummary,
  LANGUAGES,
  problemText,
  serverProblems,
  skillKey,
  teamForm,
  teamRequest,
  timeZones,
  WEEK_ORDER,
  type AgentForm,
  type FieldProblem,
  type TeamForm,
} from '../admin.js';
import { ApiError } from '../api.js';
import { apiErrorKey, languageName, stateKey } from '../format.js';
import type { ConsoleKey } from '../i18n.js';
import { useConsole } from './context.js';
import { Dialog } from './Dialog.js';

const ROLE_KEYS: Record<AdminAgentView['role'], ConsoleKey> = {
  agent: 'admin.role.agent',
  supervisor: 'admin.role.supervisor',
  admin: 'admin.role.admin',
};
const DAY_LONG: ConsoleKey[] = [
  'admin.dayLong.0',
  'admin.dayLong.1',
  'admin.dayLong.2',
  'admin.dayLong.3',
  'admin.dayLong.4',
  'admin.dayLong.5',
  'admin.dayLong.6',
];

/**
 * An administrator's console: configuration only (teams and agents), no chats, no inbox, no socket.
 * Everything is a table with an Edit button per row opening a native <dialog> form.
 */
export function Admin({ agent }: { agent: AgentView }) {
  const { controller, t } = useConsole();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [teams, setTeams] = useState<AdminTeamView[] | null>(null);
  const [agents, setAgents] = useState<AdminAgentView[] | null>(null);
  const [loadError, setLoadError] = useState(false);
  const [status, setStatus] = useState('');
  const [editTeam, setEditTeam] = useState<AdminTeamView | 'new' | null>(null);
  const [editAgent, setEditAgent] = useState<AdminAgentView | null>(null);

  useLayoutEffect(() => {
    headingRef.current?.focus();
  }, []);

  async function load() {
    setLoadError(false);
    try {
      const [tm, ag] = await Promise.all([controller.api.adminTeams(), controller.api.adminAgents()]);
      setTeams(tm);
      setAgents(ag);
    } catch (e) {
      if (sessionOver(e)) controller.sessionEnded();
      else setLoadError(true);
    }
  }
  useEffect(() => {
    void load();
  }, []);

  const teamName = (id: string) => teams?.find((x) => x.id === id)?.name;

  return (
    <div class="workspace admin" data-testid="console-admin">
      <header class="app-header">
        <h1 class="app-name" ref={headingRef} tabIndex={-1}>
          {t('app.name')}
        </h1>
        <p class="signed-in">{t('header.signedInAs', { name: agent.displayName })}</p>
        <button type="button" class="button" data-testid="console-signout" onClick={() => void controller.logout()}>
          {t('header.signOut')}
        </button>
      </header>
      <main id="main" class="admin-main" style={{ padding: '1rem 1.5rem', maxWidth: '80rem' }}>
        <h2 tabIndex={-1}>{t('admin.heading')}</h2>
        <p>{t('admin.intro')}</p>
        <p class="hint">{t('admin.accountsNote')}</p>
        <p role="status" data-testid="console-admin-status">
          {status}
        </p>
        {loadError && (
          <div role="alert" class="alert">
            {t('admin.error.load')}{' '}
            <button type="button" class="button button--small" onClick={() => void load()}>
              {t('admin.retry')}
            </button>
          </div>
        )}
        {!loadError && (!teams || !agents) && <p>{t('admin.loading')}</p>}
        {teams && agents && (
          <>
            <section aria-labelledby="admin-teams-heading" style={{ marginTop: '1.5rem' }}>
              <h3 id="admin-teams-heading">{t('admin.teams.heading')}</h3>
              <TeamsTable teams={teams} onEdit={setEditTeam} />
              <p>
                <button
                  type="button"
                  class="button"
                  data-testid="console-admin-add-team"
                  onClick={() => setEditTeam('new')}
                >
                  {t('admin.teams.add')}
                </button>
              </p>
            </section>
            <section aria-labelledby="admin-agents-heading" style={{ marginTop: '1.5rem' }}>
              <h3 id="admin-agents-heading">{t('admin.agents.heading')}</h3>
              <AgentsTable agents={agents} teamName={teamName} onEdit={setEditAgent} />
            </section>
          </>
        )}
      </main>
      {editTeam && (
        <TeamDialog
          team={editTeam === 'new' ? null : editTeam}
          onClose={() => setEditTeam(null)}
          onSaved={(team) => {
            setEditTeam(null);
            setStatus(t('admin.saved.team', { name: team.name.en }));
            void load();
          }}
        />
      )}
      {editAgent && teams && (
        <AgentDialog
          agent={editAgent}
          teams={teams}
          selfId={agent.id}
          onClose={() => setEditAgent(null)}
          onSaved={(a) => {
            setEditAgent(null);
            setStatus(t('admin.saved.agent', { name: a.displayName }));
            void load();
          }}
        />
      )}
    </div>
  );
}

const sessionOver = (e: unknown) =>
  e instanceof ApiError && (e.status === 401 || e.code === 'unauthorized' || e.code === 'session_expired');

function TeamsTable({ teams, onEdit }: { teams: AdminTeamView[]; onEdit: (t: AdminTeamView) => void }) {
  const { t, lang } = useConsole();
  return (
    <table class="data-table" data-testid="console-admin-teams">
      <caption>{t('admin.teams.caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('admin.col.name')}</th>
          <th scope="col">{t('admin.col.id')}</th>
          <th scope="col">{t('admin.col.hours')}</th>
          <th scope="col">{t('admin.col.phone')}</th>
          <th scope="col" class="num">
            {t('admin.col.sla')}
          </th>
          <th scope="col">{t('admin.col.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {teams.map((team) => {
          const name = team.name[lang] ?? team.name.en;
          return (
            <tr key={team.id} data-testid={`console-admin-team-${team.id}`}>
              <th scope="row">{name}</th>
              <td>{team.id}</td>
              <td>{hoursSummary(team.hours, t)}</td>
              <td>{team.phone ?? t('admin.none')}</td>
              <td class="num">{t('admin.sla', { seconds: team.answerSlaSeconds })}</td>
              <td>
                <button
                  type="button"
                  class="button button--small"
                  aria-label={t('admin.editLabel', { name })}
                  data-testid={`console-admin-edit-team-${team.id}`}
                  onClick={() => onEdit(team)}
                >
                  {t('admin.edit')}
                </button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function AgentsTable({
  agents,
  teamName,
  onEdit,
}: {
  agents: AdminAgentView[];
  teamName: (id: string) => { en: string; es: string } | undefined;
  onEdit: (a: AdminAgentView) => void;
}) {
  const { t, lang } = useConsole();
  return (
    <table class="data-table" data-testid="console-admin-agents">
      <caption>{t('admin.agents.caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('admin.col.name')}</th>
          <th scope="col">{t('admin.col.email')}</th>
          <th scope="col">{t('admin.col.role')}</th>
          <th scope="col">{t('admin.col.state')}</th>
          <th scope="col" class="num">
            {t('admin.col.max')}
          </th>
          <th scope="col">{t('admin.col.skills')}</th>
          <th scope="col">{t('admin.col.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {agents.map((a) => (
          <tr key={a.id} data-testid={`console-admin-agent-${a.id}`}>
            <th scope="row">{a.displayName}</th>
            <td>{a.email}</td>
            <td>{t(ROLE_KEYS[a.role])}</td>
            <td>{t(stateKey(a.state))}</td>
            <td class="num">{a.maxConcurrent}</td>
            <td>
              {a.skills.length
                ? a.skills
                    .map((s) =>
                      t('board.skill', {
                        team: teamName(s.teamId)?.[lang] ?? s.teamId,
                        language: languageName(t, s.language),
                      }),
                    )
                    .join(', ')
                : t('admin.none')}
            </td>
            <td>
              <button
                type="button"
                class="button button--small"
                aria-label={t('admin.editLabel', { name: a.displayName })}
                data-testid={`console-admin-edit-agent-${a.id}`}
                onClick={() => onEdit(a)}
              >
                {t('admin.edit')}
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Field problems: the list at the top of the form (announced) and per-field lookups. */
function useProblems(uid: string) {
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [failure, setFailure] = useState<ConsoleKey | null>(null);
  const fieldId = (field: string) => `${uid}-${field}`;
  const errorId = (field: string) => `${uid}-${field}-error`;
  const of = (field: string) => problems.find((p) => p.field === field);
  /** aria props of a field: invalid, and described by its hint and its error. */
  const aria = (field: string, hint?: boolean) => {
    const ids = [hint ? `${uid}-${field}-hint` : '', of(field) ? errorId(field) : ''].filter(Boolean);
    return {
      id: fieldId(field),
      'aria-invalid': of(field) ? ('true' as const) : undefined,
      'aria-describedby': ids.length ? ids.join(' ') : undefined,
    };
  };
  const show = (list: FieldProblem[]) => {
    setProblems(list);
    // After the render, so the field's error is in place when the reader lands on it.
    setTimeout(() => document.getElementById(fieldId(list[0]?.field ?? ''))?.focus(), 0);
  };
  return { problems, failure, setFailure, show, clear: () => setProblems([]), of, aria, errorId };
}

function FieldProblemText({ id, problem }: { id: string; problem: FieldProblem | undefined }) {
  const { t } = useConsole();
  if (!problem) return null;
  return (
    <p id={id} class="field-error">
      {problemText(t, problem)}
    </p>
  );
}

function Problems({ problems, failure }: { problems: FieldProblem[]; failure: ConsoleKey | null }) {
  const { t } = useConsole();
  return (
    <div role="alert" data-testid="console-admin-problems">
      {failure && <p class="alert">{t(failure)}</p>}
      {problems.length > 0 && (
        <div class="alert">
          <p>{t('admin.problems')}</p>
          <ul>
            {problems.map((p) => (
              <li key={p.field}>{problemText(t, p)}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

/** A rejected save: field problems when the server named fields, else one message. */
function saveFailure(e: unknown): { problems: FieldProblem[]; failure: ConsoleKey | null } {
  if (!(e instanceof ApiError)) return { problems: [], failure: 'admin.error.save' };
  const problems = serverProblems(e.details);
  if (problems.length) return { problems, failure: null };
  if (e.code === 'bad_request' || e.code === 'unknown') return { problems: [], failure: 'admin.error.save' };
  return { problems: [], failure: apiErrorKey(e.code) };
}

function SaveActions({ busy, onCancel }: { busy: boolean; onCancel: () => void }) {
  const { t } = useConsole();
  return (
    <div class="dialog-actions">
      <button
        type="submit"
        class="button button--primary"
        data-testid="console-admin-save"
        aria-disabled={busy ? 'true' : undefined}
      >
        {busy ? t('admin.saving') : t('admin.save')}
      </button>
      <button type="button" class="button" onClick={onCancel}>
        {t('dialog.cancel')}
      </button>
    </div>
  );
}

function TeamDialog({
  team,
  onClose,
  onSaved,
}: {
  team: AdminTeamView | null;
  onClose: () => void;
  onSaved: (team: AdminTeamView) => void;
}) {
  const { controller, t, lang } = useConsole();
  const uid = useId();
  const [form, setForm] = useState<TeamForm>(() => teamForm(team));
  const [busy, setBusy] = useState(false);
  const p = useProblems(uid);
  const zones = useRef(timeZones());
  const set = (patch: Partial<TeamForm>) => setForm((f) => ({ ...f, ...patch }));
  const setDay = (d: number, patch: Partial<TeamForm['days'][number]>) =>
    setForm((f) => ({ ...f, days: f.days.map((day, i) => (i === d ? { ...day, ...patch } : day)) }));

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    p.setFailure(null);
    const checked = teamRequest(form);
    if (!checked.ok) return p.show(checked.problems);
    p.clear();
    setBusy(true);
    try {
      onSaved(await controller.api.putAdminTeam(checked.value.id, checked.value.body));
    } catch (err) {
      if (sessionOver(err)) return controller.sessionEnded();
      const f = saveFailure(err);
      p.setFailure(f.failure);
      if (f.problems.length) p.show(f.problems);
    } finally {
      setBusy(false);
    }
  }

  const title = team
    ? t('admin.team.dialogEdit', { name: team.name[lang] ?? team.name.en })
    : t('admin.team.dialogNew');
  const text = (field: keyof TeamForm & string, label: ConsoleKey, hint?: ConsoleKey, extra: object = {}) => (
    <div class="field">
      <label for={`${uid}-${field}`}>{t(label)}</label>
      {hint && (
        <p id={`${uid}-${field}-hint`} class="hint">
          {t(hint)}
        </p>
      )}
      <input
        type="text"
        {...p.aria(field, !!hint)}
        value={form[field] as string}
        onInput={(e) => set({ [field]: e.currentTarget.value } as Partial<TeamForm>)}
        {...extra}
      />
      <FieldProblemText id={p.errorId(field)} problem={p.of(field)} />
    </div>
  );
  return (
    <Dialog title={title} onClose={onClose} testId="console-admin-team-dialog">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Problems problems={p.problems} failure={p.failure} />
        {form.isNew && text('id', 'admin.field.id', 'admin.field.idHint', { autocomplete: 'off', spellcheck: false })}
        {text('nameEn', 'admin.field.nameEn', undefined, { lang: 'en' })}
        {text('nameEs', 'admin.field.nameEs', undefined, { lang: 'es' })}
        {text('phone', 'admin.field.phone', 'admin.field.phoneHint', { inputMode: 'tel', autocomplete: 'off' })}
        {text('sla', 'admin.field.sla', 'admin.field.slaHint', { inputMode: 'numeric' })}
        <fieldset class="field">
          <legend>{t('admin.field.hours')}</legend>
          <label class="choice">
            <input
              type="checkbox"
              id={`${uid}-open247`}
              checked={form.open247}
              data-testid="console-admin-open247"
              onChange={(e) => set({ open247: e.currentTarget.checked })}
            />{' '}
            {t('admin.field.open247')}
          </label>
          {!form.open247 && (
            <>
              <div class="field">
                <label for={`${uid}-timeZone`}>{t('admin.field.timeZone')}</label>
                <p id={`${uid}-timeZone-hint`} class="hint">
                  {t('admin.field.timeZoneHint')}
                </p>
                <input
                  type="text"
                  {...p.aria('timeZone', true)}
                  list={zones.current.length ? `${uid}-zones` : undefined}
                  autocomplete="off"
                  spellcheck={false}
                  value={form.timeZone}
                  onInput={(e) => set({ timeZone: e.currentTarget.value })}
                />
                {zones.current.length > 0 && (
                  <datalist id={`${uid}-zones`}>
                    {zones.current.map((z) => (
                      <option key={z} value={z} />
                    ))}
                  </datalist>
                )}
                <FieldProblemText id={p.errorId('timeZone')} problem={p.of('timeZone')} />
              </div>
              {WEEK_ORDER.map((d) => {
                const day = form.days[d]!;
                const long = t(DAY_LONG[d]!);
                const field = `day${d}`;
                const problem = p.of(field);
                return (
                  <fieldset
                    key={d}
                    class="field admin-day"
                    data-testid={`console-admin-day-${d}`}
                    aria-describedby={problem ? p.errorId(field) : undefined}
                    style={{ border: 0, padding: 0, margin: '0.25rem 0' }}
                  >
                    <legend class="visually-hidden">{long}</legend>
                    <div style={{ display: 'flex', flexWrap: 'wrap', gap: '0.75rem', alignItems: 'end' }}>
                      <label class="choice" style={{ minWidth: '10rem' }}>
                        <input
                          type="checkbox"
                          checked={day.open}
                          onChange={(e) => setDay(d, { open: e.currentTarget.checked })}
                        />{' '}
                        {t('admin.field.dayOpen', { day: long })}
                      </label>
                      {day.open && (
                        <>
                          <span class="field">
                            <label for={`${uid}-${field}`}>{t('admin.field.from', { day: long })}</label>
                            <input
                              type="time"
                              id={`${uid}-${field}`}
                              aria-invalid={problem ? 'true' : undefined}
                              value={day.from}
                              onInput={(e) => setDay(d, { from: e.currentTarget.value })}
                            />
                          </span>
                          <span class="field">
                            <label for={`${uid}-${field}-to`}>{t('admin.field.to', { day: long })}</label>
                            <input
                              type="time"
                              id={`${uid}-${field}-to`}
                              aria-invalid={problem ? 'true' : undefined}
                              value={day.to}
                              onInput={(e) => setDay(d, { to: e.currentTarget.value })}
                            />
                          </span>
                          {day.extra.length > 0 && (
                            <span class="hint">
                              {t('admin.field.extra', {
                                intervals: day.extra.map((i) => `${i.open}–${i.close}`).join(', '),
                              })}
                            </span>
                          )}
                        </>
                      )}
                    </div>
                    <FieldProblemText id={p.errorId(field)} problem={problem} />
                  </fieldset>
                );
              })}
            </>
          )}
        </fieldset>
        <SaveActions busy={busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

function AgentDialog({
  agent,
  teams,
  selfId,
  onClose,
  onSaved,
}: {
  agent: AdminAgentView;
  teams: AdminTeamView[];
  selfId: string;
  onClose: () => void;
  onSaved: (a: AdminAgentView) => void;
}) {
  const { controller, t, lang } = useConsole();
  const uid = useId();
  const [form, setForm] = useState<AgentForm>(() => agentForm(agent));
  const [busy, setBusy] = useState(false);
  const p = useProblems(uid);
  const editable = agentEditable(agent, selfId);

  function toggle(key: string, on: boolean) {
    setForm((f) => {
      const skills = new Set(f.skills);
      if (on) skills.add(key);
      else skills.delete(key);
      return { ...f, skills };
    });
  }

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    p.setFailure(null);
    const checked = agentRequest(agent, form, teams, selfId);
    if (!checked.ok) return p.show(checked.problems);
    p.clear();
    setBusy(true);
    try {
      onSaved(await controller.api.putAdminAgent(agent.id, checked.value));
    } catch (err) {
      if (sessionOver(err)) return controller.sessionEnded();
      const f = saveFailure(err);
      p.setFailure(f.failure);
      if (f.problems.length) p.show(f.problems);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog
      title={t('admin.agent.dialog', { name: agent.displayName })}
      onClose={onClose}
      testId="console-admin-agent-dialog"
    >
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Problems problems={p.problems} failure={p.failure} />
        <div class="field">
          <label for={`${uid}-max`}>{t('admin.field.max')}</label>
          <p id={`${uid}-max-hint`} class="hint">
            {t('admin.field.maxHint')}
          </p>
          <input
            type="number"
            min={1}
            max={20}
            step={1}
            inputMode="numeric"
            {...p.aria('max', true)}
            value={form.max}
            onInput={(e) => setForm((f) => ({ ...f, max: e.currentTarget.value }))}
          />
          <FieldProblemText id={p.errorId('max')} problem={p.of('max')} />
        </div>
        <div class="field">
          <label for={`${uid}-role`}>{t('admin.field.role')}</label>
          {!editable.role && (
            <p id={`${uid}-role-hint`} class="hint">
              {t(agent.id === selfId ? 'admin.field.roleSelf' : 'admin.field.roleAdmin')}
            </p>
          )}
          <select
            id={`${uid}-role`}
            value={form.role}
            disabled={!editable.role}
            aria-describedby={!editable.role ? `${uid}-role-hint` : undefined}
            onChange={(e) => setForm((f) => ({ ...f, role: e.currentTarget.value as AgentForm['role'] }))}
          >
            <option value="agent">{t('admin.role.agent')}</option>
            <option value="supervisor">{t('admin.role.supervisor')}</option>
            {agent.role === 'admin' && <option value="admin">{t('admin.role.admin')}</option>}
          </select>
        </div>
        <fieldset class="field" id={`${uid}-skills`} tabIndex={-1}>
          <legend>{t('admin.field.skills')}</legend>
          {!editable.skills ? (
            <p class="hint">{t('admin.field.skillsAdmin')}</p>
          ) : (
            <table class="data-table" data-testid="console-admin-skills">
              <thead>
                <tr>
                  <th scope="col">{t('admin.skill.team')}</th>
                  {LANGUAGES.map((l) => (
                    <th key={l} scope="col">
                      {languageName(t, l)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {teams.map((team) => {
                  const name = team.name[lang] ?? team.name.en;
                  return (
                    <tr key={team.id}>
                      <th scope="row">{name}</th>
                      {LANGUAGES.map((l) => {
                        const key = skillKey(team.id, l);
                        return (
                          <td key={l}>
                            <input
                              type="checkbox"
                              aria-label={t('admin.skill.label', { team: name, language: languageName(t, l) })}
                              data-testid={`console-admin-skill-${team.id}-${l}`}
                              checked={form.skills.has(key)}
                              onChange={(e) => toggle(key, e.currentTarget.checked)}
                            />
                          </td>
                        );
                      })}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          <FieldProblemText id={p.errorId('skills')} problem={p.of('skills')} />
        </fieldset>
        <SaveActions busy={busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
