import { useEffect, useId, useState } from 'preact/hooks';
import type { RefObject } from 'preact';
import type {
  AgentTarget,
  CannedResponseView,
  ConversationView,
  Disposition,
  Language,
  TeamView,
} from '@carechat/protocol/client';
import { DISPOSITIONS, dispositionKey, languageName, stateKey } from '../format.js';
import type { ConsoleKey } from '../i18n.js';
import { filterCanned } from '../live-view.js';
import { useConsole } from './context.js';
import { Dialog } from './Dialog.js';

/** An error line tied to its field with aria-describedby; announced when it appears. */
function FieldError({ id, error }: { id: string; error: ConsoleKey | null }) {
  const { t } = useConsole();
  if (!error) return null;
  return (
    <p id={id} class="field-error" role="alert">
      {t(error, { max: 1000 })}
    </p>
  );
}

function DialogActions({ submit, busy, onCancel }: { submit: string; busy: boolean; onCancel: () => void }) {
  const { t } = useConsole();
  return (
    <div class="dialog-actions">
      <button type="submit" class="button button--primary" disabled={busy} aria-disabled={busy ? 'true' : undefined}>
        {submit}
      </button>
      <button type="button" class="button" onClick={onCancel}>
        {t('dialog.cancel')}
      </button>
    </div>
  );
}

function useAgents(filter: { teamId?: string; language?: Language }, enabled = true) {
  const { controller } = useConsole();
  const [agents, setAgents] = useState<AgentTarget[] | null>(null);
  const [error, setError] = useState<ConsoleKey | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    setAgents(null);
    void controller.agents(filter).then((res) => {
      if (!live) return;
      if (typeof res === 'string') setError(res);
      else {
        setError(null);
        setAgents(res);
      }
    });
    return () => {
      live = false;
    };
  }, [filter.teamId, filter.language, enabled]);
  return { agents, error };
}

function AgentSelect({
  id,
  label,
  agents,
  value,
  onChange,
  describedBy,
}: {
  id: string;
  label: string;
  agents: AgentTarget[] | null;
  value: string;
  onChange: (id: string) => void;
  describedBy?: string;
}) {
  const { t } = useConsole();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select
        id={id}
        value={value}
        aria-describedby={describedBy}
        onChange={(e) => onChange(e.currentTarget.value)}
        disabled={agents === null}
      >
        <option value="">
          {agents === null ? t('dialog.loading') : agents.length ? t('transfer.chooseAgent') : t('transfer.noAgents')}
        </option>
        {agents?.map((a) => (
          <option key={a.id} value={a.id}>
            {t('agent.option', {
              name: a.displayName,
              role: t(a.role === 'supervisor' ? 'role.supervisor' : 'role.agent'),
              state: t(stateKey(a.state)),
              load: a.load,
              max: a.maxConcurrent,
            })}
          </option>
        ))}
      </select>
    </div>
  );
}

export function TransferDialog({ c, onClose }: { c: ConversationView; onClose: () => void }) {
  const { controller, t, lang } = useConsole();
  const uid = useId();
  const [mode, setMode] = useState<'team' | 'agent'>('team');
  const [teams, setTeams] = useState<TeamView[] | null>(null);
  const [teamId, setTeamId] = useState('');
  const [language, setLanguage] = useState<Language | ''>('');
  const [agentId, setAgentId] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<ConsoleKey | null>(null);
  const [busy, setBusy] = useState(false);
  const { agents } = useAgents({ teamId: teamId || undefined, language: language || undefined }, mode === 'agent');

  useEffect(() => {
    void controller.teams().then((res) => (typeof res === 'string' ? setError(res) : setTeams(res)));
  }, []);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    const problem = await controller.transfer(
      c.id,
      mode === 'agent'
        ? { kind: 'agent', agentId, note }
        : { kind: 'team', teamId, note, ...(language ? { language } : {}) },
    );
    setBusy(false);
    if (problem) setError(problem);
    else onClose();
  }

  const errId = `${uid}-err`;
  return (
    <Dialog title={t('transfer.heading', { name: c.cardmember.firstName })} onClose={onClose} testId="console-transfer">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <fieldset class="field">
          <legend>{t('transfer.to')}</legend>
          {(['team', 'agent'] as const).map((m) => (
            <label key={m} class="choice">
              <input
                type="radio"
                name={`${uid}-mode`}
                value={m}
                checked={mode === m}
                onChange={() => {
                  setMode(m);
                  setError(null);
                }}
              />{' '}
              {t(m === 'team' ? 'transfer.toTeam' : 'transfer.toAgent')}
            </label>
          ))}
        </fieldset>
        <div class="field">
          <label for={`${uid}-team`}>{t('transfer.team')}</label>
          <select id={`${uid}-team`} value={teamId} onChange={(e) => setTeamId(e.currentTarget.value)}>
            <option value="">{teams === null ? t('dialog.loading') : t('transfer.chooseTeam')}</option>
            {teams?.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name[lang] ?? team.name.en}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={`${uid}-lang`}>{t('transfer.language')}</label>
          <select
            id={`${uid}-lang`}
            value={language}
            onChange={(e) => setLanguage(e.currentTarget.value as Language | '')}
          >
            <option value="">{t('transfer.anyLanguage')}</option>
            <option value="en">{languageName(t, 'en')}</option>
            <option value="es">{languageName(t, 'es')}</option>
          </select>
        </div>
        {mode === 'agent' && (
          <AgentSelect
            id={`${uid}-agent`}
            label={t('transfer.agent')}
            agents={agents}
            value={agentId}
            onChange={setAgentId}
            describedBy={error ? errId : undefined}
          />
        )}
        <div class="field">
          <label for={`${uid}-note`}>{t(mode === 'agent' ? 'transfer.noteRequired' : 'transfer.note')}</label>
          <textarea
            id={`${uid}-note`}
            rows={3}
            maxLength={1000}
            required={mode === 'agent'}
            aria-required={mode === 'agent' ? 'true' : undefined}
            aria-describedby={error ? errId : undefined}
            value={note}
            onInput={(e) => setNote(e.currentTarget.value)}
          />
        </div>
        <FieldError id={errId} error={error} />
        <DialogActions submit={t('transfer.submit')} busy={busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

export function ConferenceDialog({ c, onClose }: { c: ConversationView; onClose: () => void }) {
  const { controller, t } = useConsole();
  const uid = useId();
  const [agentId, setAgentId] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<ConsoleKey | null>(null);
  const [busy, setBusy] = useState(false);
  const { agents, error: loadError } = useAgents({});

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    const problem = await controller.conference(c.id, agentId, note);
    setBusy(false);
    if (problem) setError(problem);
    else onClose();
  }

  const errId = `${uid}-err`;
  return (
    <Dialog title={t('conference.heading', { name: c.cardmember.firstName })} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <AgentSelect
          id={`${uid}-agent`}
          label={t('conference.agent')}
          agents={agents}
          value={agentId}
          onChange={setAgentId}
          describedBy={error ? errId : undefined}
        />
        <div class="field">
          <label for={`${uid}-note`}>{t('conference.note')}</label>
          <textarea
            id={`${uid}-note`}
            rows={3}
            maxLength={1000}
            value={note}
            onInput={(e) => setNote(e.currentTarget.value)}
          />
        </div>
        <FieldError id={errId} error={error ?? loadError} />
        <DialogActions submit={t('conference.submit')} busy={busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

export function EscalateDialog({ c, onClose }: { c: ConversationView; onClose: () => void }) {
  const { controller, t } = useConsole();
  const uid = useId();
  const [note, setNote] = useState('');
  const [error, setError] = useState<ConsoleKey | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    const problem = await controller.escalate(c.id, note);
    setBusy(false);
    if (problem) setError(problem);
    else onClose();
  }

  return (
    <Dialog title={t('escalate.heading')} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div class="field">
          <label for={`${uid}-note`}>{t('escalate.note')}</label>
          <textarea
            id={`${uid}-note`}
            rows={3}
            maxLength={1000}
            value={note}
            aria-describedby={error ? `${uid}-err` : undefined}
            onInput={(e) => setNote(e.currentTarget.value)}
          />
        </div>
        <FieldError id={`${uid}-err`} error={error} />
        <DialogActions submit={t('escalate.submit')} busy={busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

/** The disposition (radio group, human labels) and a note; saving also closes a chat still open. */
export function WrapUpDialog({ c, onClose }: { c: ConversationView; onClose: () => void }) {
  const { controller, t } = useConsole();
  const uid = useId();
  const [disposition, setDisposition] = useState<Disposition | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<ConsoleKey | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    const problem = await controller.wrapUp(c.id, disposition, note);
    setBusy(false);
    if (problem) setError(problem);
  }

  const errId = `${uid}-err`;
  return (
    <Dialog title={t('wrapup.heading', { name: c.cardmember.firstName })} onClose={onClose} testId="console-wrapup">
      <form onSubmit={(e) => void submit(e)} noValidate>
        {c.status !== 'closed' && <p class="hint">{t('wrapup.closesChat')}</p>}
        <fieldset class="field" aria-describedby={error ? errId : undefined}>
          <legend>{t('wrapup.disposition')}</legend>
          {DISPOSITIONS.map((d) => (
            <label key={d} class="choice">
              <input
                type="radio"
                name={`${uid}-disposition`}
                value={d}
                checked={disposition === d}
                onChange={() => {
                  setDisposition(d);
                  setError(null);
                }}
              />{' '}
              {t(dispositionKey(d))}
            </label>
          ))}
        </fieldset>
        <div class="field">
          <label for={`${uid}-note`}>{t('wrapup.note')}</label>
          <textarea
            id={`${uid}-note`}
            rows={3}
            maxLength={2000}
            value={note}
            onInput={(e) => setNote(e.currentTarget.value)}
          />
        </div>
        <FieldError id={errId} error={error} />
        <DialogActions submit={t('wrapup.submit')} busy={busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

/** Searchable canned responses; choosing one puts its filled text into the composer (it is not sent). */
export function CannedDialog({
  conversationId,
  onInsert,
  onClose,
  returnFocus,
}: {
  conversationId: string;
  onInsert: (text: string) => void;
  onClose: () => void;
  returnFocus: RefObject<HTMLElement>;
}) {
  const { controller, t } = useConsole();
  const uid = useId();
  const [responses, setResponses] = useState<CannedResponseView[] | null>(null);
  const [error, setError] = useState<ConsoleKey | null>(null);
  const [query, setQuery] = useState('');

  useEffect(() => {
    void controller.canned(conversationId).then((res) => {
      if (typeof res === 'string') setError(res);
      else setResponses(res);
    });
  }, [conversationId]);

  const shown = responses ? filterCanned(responses, query) : [];
  return (
    <Dialog title={t('canned.heading')} onClose={onClose} returnFocus={returnFocus} testId="console-canned">
      <div class="field">
        <label for={`${uid}-q`}>{t('canned.search')}</label>
        <input
          id={`${uid}-q`}
          type="search"
          value={query}
          aria-describedby={`${uid}-count`}
          onInput={(e) => setQuery(e.currentTarget.value)}
        />
      </div>
      <p id={`${uid}-count`} class="hint" role="status">
        {responses === null && !error
          ? t('canned.loading')
          : responses?.length === 0
            ? t('canned.none')
            : responses && shown.length === 0
              ? t('canned.empty')
              : responses
                ? t('canned.count', { count: shown.length })
                : ''}
      </p>
      {error && <p class="field-error">{t(error)}</p>}
      <ul class="canned-list">
        {shown.map((r) => (
          <li key={r.id} class="canned-item">
            <p class="strong">{r.title}</p>
            <p class="canned-text">{r.text}</p>
            <button
              type="button"
              class="button button--small"
              aria-label={t('canned.insertLabel', { title: r.title })}
              onClick={() => onInsert(r.text)}
            >
              {t('canned.insert')}
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}

/** A supervisor's whisper from the board: only the chat's agents see it. */
export function WhisperDialog({ conversationId, onClose }: { conversationId: string; onClose: () => void }) {
  const { controller, t } = useConsole();
  const uid = useId();
  const [body, setBody] = useState('');
  const [error, setError] = useState<ConsoleKey | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    const problem = await controller.whisper(conversationId, body);
    setBusy(false);
    if (problem) setError(problem);
    else onClose();
  }

  return (
    <Dialog title={t('whisper.heading')} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div class="field">
          <label for={`${uid}-body`}>{t('whisper.field')}</label>
          <textarea
            id={`${uid}-body`}
            rows={3}
            maxLength={4000}
            value={body}
            aria-describedby={error ? `${uid}-err` : undefined}
            onInput={(e) => setBody(e.currentTarget.value)}
          />
        </div>
        <FieldError id={`${uid}-err`} error={error} />
        <DialogActions submit={t('whisper.submit')} busy={busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

/** "Barge in" asks first: the cardmember will see a supervisor join. */
export function BargeDialog({ conversationId, onClose }: { conversationId: string; onClose: () => void }) {
  const { controller, t } = useConsole();
  const [error, setError] = useState<ConsoleKey | null>(null);
  const [busy, setBusy] = useState(false);

  async function confirm() {
    if (busy) return;
    setBusy(true);
    const problem = await controller.barge(conversationId);
    setBusy(false);
    if (problem) setError(problem);
    else onClose();
  }

  return (
    <Dialog title={t('barge.button')} onClose={onClose}>
      <p>{t('barge.question')}</p>
      {error && (
        <p class="field-error" role="alert">
          {t(error)}
        </p>
      )}
      <div class="dialog-actions">
        <button type="button" class="button button--primary" data-autofocus onClick={() => void confirm()}>
          {t('barge.confirm')}
        </button>
        <button type="button" class="button" onClick={onClose}>
          {t('dialog.cancel')}
        </button>
      </div>
    </Dialog>
  );
}
