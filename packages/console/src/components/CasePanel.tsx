/**
 * The cardmember's cases beside the open chat (docs/cases.md): reference, type, status and the
 * deadlines still running with the days left; each case expands (a disclosure button) to its timeline
 * — staff-only entries marked "Internal" — and its documents with download links. Actions: "Open case",
 * "Change status" (only the statuses the lifecycle allows next) and "Request documents" (a single-use
 * upload link, also posted in the chat). Reloads when the chat changes (conversation frames) and after
 * every action; results are announced in a polite status region.
 */
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { CaseStatus, CaseView, ComplaintCategory, ConversationView } from '@carechat/protocol/client';
import {
  CASE_TYPES,
  COMPLAINT_CATEGORIES,
  changeStatus,
  daysLabel,
  documentUrl,
  fileSize,
  isLinkedTo,
  isProblem,
  loadCases,
  nextStatuses,
  openCase,
  openDeadlines,
  requestDocuments,
  timelineRows,
  TITLE_MAX,
  NOTE_MAX,
  REQUEST_MAX,
  type NewCaseForm,
} from '../cases.js';
import { clockTime, formatDate } from '../format.js';
import type { ConsoleKey } from '../i18n.js';
import { useConsole } from './context.js';
import { Dialog } from './Dialog.js';

/** A burst of conversation frames (messages, accept) causes one reload. */
const RELOAD_DEBOUNCE_MS = 600;

type Open = null | { kind: 'open' } | { kind: 'status'; c: CaseView } | { kind: 'request'; c: CaseView };

export function CasePanel({ conversation }: { conversation: ConversationView }) {
  const { controller, t, lang } = useConsole();
  const [cases, setCases] = useState<CaseView[] | null>(null);
  const [error, setError] = useState<ConsoleKey | null>(null);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [dialog, setDialog] = useState<Open>(null);
  const [status, setStatus] = useState('');
  const [link, setLink] = useState<{ url: string; expiresAt: string } | null>(null);
  const seq = useRef(0);
  const id = conversation.id;

  async function reload() {
    const mine = ++seq.current;
    const r = await loadCases(controller, id);
    if (mine !== seq.current) return;
    if (isProblem(r)) setError(r);
    else {
      setCases(r);
      setError(null);
    }
  }

  useEffect(() => {
    setCases(null);
    setLink(null);
    setExpanded(new Set());
    void reload();
  }, [id]);

  // Live refresh: the chat's frames (a new message, accept, close) may come with case changes.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const h = setTimeout(() => void reload(), RELOAD_DEBOUNCE_MS);
    return () => clearTimeout(h);
  }, [conversation.lastSeq, conversation.status, conversation.agent?.id]);

  const toggle = (caseId: string) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(caseId)) next.delete(caseId);
      else next.add(caseId);
      return next;
    });

  const done = (message: string) => {
    setDialog(null);
    setStatus(message);
    void reload();
  };

  const now = Date.now();
  const canOpen = conversation.status !== 'queued';
  return (
    <section class="customer-section case-panel" aria-labelledby={`cases-${id}`} data-testid="console-cases">
      <div class="customer-head">
        <h4 id={`cases-${id}`}>{t('cases.heading')}</h4>
        <button type="button" class="button button--small" onClick={() => void reload()}>
          {t('cases.refresh')}
        </button>
        {canOpen && (
          <button
            type="button"
            class="button button--small"
            data-testid="console-case-open"
            onClick={() => setDialog({ kind: 'open' })}
          >
            {t('cases.open')}
          </button>
        )}
      </div>
      <p class="visually-hidden" role="status" aria-live="polite" data-testid="console-cases-status">
        {status}
      </p>
      {link && (
        <p class="case-link" data-testid="console-case-link">
          {t('cases.link.label')}: <code>{link.url}</code>
        </p>
      )}
      {!cases && !error && <p class="loading-note">{t('cases.loading')}</p>}
      {error && (
        <p class="customer-error" role="alert">
          {t(error)}
        </p>
      )}
      {cases && cases.length === 0 && <p>{t('cases.empty')}</p>}
      {cases && cases.length > 0 && (
        <ul class="customer-list case-list">
          {cases.map((c) => {
            const open = expanded.has(c.id);
            const detailsId = `case-${c.id}-details`;
            return (
              <li key={c.id} class="case" data-testid="console-case">
                <p class="case-title">
                  <strong>{c.reference}</strong> · {t(`cases.type.${c.type}` as ConsoleKey)} ·{' '}
                  <span class={`tag case-status case-status--${c.status}`}>
                    {t(`cases.status.${c.status}` as ConsoleKey)}
                  </span>
                  {isLinkedTo(c, conversation) && <span class="tag"> {t('cases.thisChat')}</span>}
                </p>
                <p>
                  {c.title}
                  {c.complaintCategory && ` (${t(`cases.category.${c.complaintCategory}` as ConsoleKey)})`}
                </p>
                {openDeadlines(c, now).map((d) => {
                  const label = daysLabel(d.days);
                  return (
                    <p key={d.kind} class={d.days < 0 ? 'tag tag--bad' : d.days <= 5 ? 'tag tag--warn' : ''}>
                      {t(`cases.deadline.${d.kind}`, { date: formatDate(d.due.slice(0, 10), lang) })} —{' '}
                      {t(label.key, { n: label.n })}
                    </p>
                  );
                })}
                <div class="case-actions">
                  <button
                    type="button"
                    class="button button--small"
                    aria-expanded={open ? 'true' : 'false'}
                    aria-controls={detailsId}
                    onClick={() => toggle(c.id)}
                  >
                    {t('cases.timeline.show', { reference: c.reference })}
                  </button>
                  <button
                    type="button"
                    class="button button--small"
                    data-testid="console-case-status"
                    onClick={() => setDialog({ kind: 'status', c })}
                  >
                    {t('cases.changeStatus')}
                  </button>
                  {c.status !== 'closed' && (
                    <button
                      type="button"
                      class="button button--small"
                      data-testid="console-case-request"
                      onClick={() => setDialog({ kind: 'request', c })}
                    >
                      {t('cases.requestDocs')}
                    </button>
                  )}
                </div>
                {open && <CaseDetails id={detailsId} c={c} />}
              </li>
            );
          })}
        </ul>
      )}
      {dialog?.kind === 'open' && (
        <OpenCaseDialog
          conversation={conversation}
          onClose={() => setDialog(null)}
          onDone={(c) => done(t('cases.opened', { reference: c.reference }))}
        />
      )}
      {dialog?.kind === 'status' && (
        <StatusDialog
          c={dialog.c}
          onClose={() => setDialog(null)}
          onDone={(c) =>
            done(
              t('cases.statusChanged', { reference: c.reference, status: t(`cases.status.${c.status}` as ConsoleKey) }),
            )
          }
        />
      )}
      {dialog?.kind === 'request' && (
        <RequestDialog
          c={dialog.c}
          onClose={() => setDialog(null)}
          onDone={(r) => {
            setLink(r);
            done(
              t('cases.linkCreated', {
                date: `${formatDate(r.expiresAt.slice(0, 10), lang)} ${clockTime(r.expiresAt, lang)}`,
              }),
            );
          }}
        />
      )}
    </section>
  );
}

function CaseDetails({ id, c }: { id: string; c: CaseView }) {
  const { t, lang } = useConsole();
  const rows = timelineRows(c);
  const docs = c.documents ?? [];
  return (
    <div id={id} class="case-details">
      <h5>{t('cases.timeline.heading')}</h5>
      {rows.length === 0 ? (
        <p>{t('cases.timeline.empty')}</p>
      ) : (
        <ol class="case-timeline">
          {rows.map((e) => (
            <li key={e.id} data-internal={e.internal ? 'true' : 'false'}>
              <time dateTime={e.at}>
                {formatDate(e.at.slice(0, 10), lang)} {clockTime(e.at, lang)}
              </time>{' '}
              {e.internal && <span class="tag tag--warn">{t('cases.internal')}</span>}{' '}
              <strong>
                {t(`cases.event.${e.type}` as ConsoleKey, {
                  from: e.fromStatus ? t(`cases.status.${e.fromStatus}` as ConsoleKey) : '',
                  to: e.toStatus ? t(`cases.status.${e.toStatus}` as ConsoleKey) : '',
                })}
              </strong>
              {e.actor.name && ` ${t('cases.event.by', { name: e.actor.name })}`}
              {e.text && <p class="case-text">{e.text}</p>}
            </li>
          ))}
        </ol>
      )}
      <h5>{t('cases.documents.heading')}</h5>
      {docs.length === 0 ? (
        <p>{t('cases.documents.none')}</p>
      ) : (
        <ul class="customer-list">
          {docs.map((d) => (
            <li key={d.id}>
              <a href={documentUrl(c.id, d.id)} download={d.filename}>
                {t('cases.documents.download', { name: d.filename, size: fileSize(d.sizeBytes, lang) })}
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Actions({ submit, busy, onCancel }: { submit: string; busy: boolean; onCancel: () => void }) {
  const { t } = useConsole();
  return (
    <div class="dialog-actions">
      <button type="submit" class="button button--primary" disabled={busy} aria-disabled={busy ? 'true' : undefined}>
        {submit}
      </button>
      <button type="button" class="button" onClick={onCancel}>
        {t('cases.cancel')}
      </button>
    </div>
  );
}

function Problem({ id, error }: { id: string; error: ConsoleKey | null }) {
  const { t } = useConsole();
  if (!error) return null;
  return (
    <p id={id} class="field-error" role="alert">
      {t(error)}
    </p>
  );
}

function OpenCaseDialog({
  conversation,
  onClose,
  onDone,
}: {
  conversation: ConversationView;
  onClose: () => void;
  onDone: (c: CaseView) => void;
}) {
  const { controller, t } = useConsole();
  const uid = useId();
  const [form, setForm] = useState<NewCaseForm>({ type: '', title: '', complaintCategory: '', note: '' });
  const [error, setError] = useState<ConsoleKey | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<NewCaseForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setError(null);
  };

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    const r = await openCase(controller, conversation.id, form);
    setBusy(false);
    if (isProblem(r)) setError(r);
    else onDone(r);
  }

  const errId = `${uid}-err`;
  const described = error ? errId : undefined;
  return (
    <Dialog
      title={t('cases.dialog.open', { name: conversation.cardmember.firstName })}
      onClose={onClose}
      testId="console-case-open-dialog"
    >
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div class="field">
          <label for={`${uid}-type`}>{t('cases.field.type')}</label>
          <select
            id={`${uid}-type`}
            value={form.type}
            aria-describedby={described}
            onChange={(e) => set({ type: e.currentTarget.value as NewCaseForm['type'] })}
          >
            <option value="">{t('cases.field.choose')}</option>
            {CASE_TYPES.map((ty) => (
              <option key={ty} value={ty}>
                {t(`cases.type.${ty}` as ConsoleKey)}
              </option>
            ))}
          </select>
        </div>
        {form.type === 'complaint' && (
          <div class="field">
            <label for={`${uid}-category`}>{t('cases.field.category')}</label>
            <select
              id={`${uid}-category`}
              value={form.complaintCategory}
              aria-describedby={described}
              onChange={(e) => set({ complaintCategory: e.currentTarget.value as ComplaintCategory | '' })}
            >
              <option value="">{t('cases.field.choose')}</option>
              {COMPLAINT_CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {t(`cases.category.${c}` as ConsoleKey)}
                </option>
              ))}
            </select>
          </div>
        )}
        <div class="field">
          <label for={`${uid}-title`}>{t('cases.field.title')}</label>
          <input
            id={`${uid}-title`}
            type="text"
            maxLength={TITLE_MAX}
            value={form.title}
            aria-describedby={described}
            onInput={(e) => set({ title: e.currentTarget.value })}
          />
        </div>
        <div class="field">
          <label for={`${uid}-note`}>{t('cases.field.note')}</label>
          <textarea
            id={`${uid}-note`}
            rows={3}
            maxLength={NOTE_MAX}
            value={form.note}
            onInput={(e) => set({ note: e.currentTarget.value })}
          />
        </div>
        <Problem id={errId} error={error} />
        <Actions submit={t('cases.submit.open')} busy={busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

function StatusDialog({ c, onClose, onDone }: { c: CaseView; onClose: () => void; onDone: (c: CaseView) => void }) {
  const { controller, t } = useConsole();
  const uid = useId();
  const [to, setTo] = useState<CaseStatus | ''>('');
  const [note, setNote] = useState('');
  const [notify, setNotify] = useState(true);
  const [error, setError] = useState<ConsoleKey | null>(null);
  const [busy, setBusy] = useState(false);
  const options = nextStatuses(c.status);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    const r = await changeStatus(controller, c, { status: to, note, notify });
    setBusy(false);
    if (isProblem(r)) setError(r);
    else onDone(r);
  }

  const errId = `${uid}-err`;
  return (
    <Dialog
      title={t('cases.dialog.status', { reference: c.reference })}
      onClose={onClose}
      testId="console-case-status-dialog"
    >
      {options.length === 0 ? (
        <>
          <p>{t('cases.noNext')}</p>
          <div class="dialog-actions">
            <button type="button" class="button" onClick={onClose}>
              {t('cases.cancel')}
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <fieldset class="field" aria-describedby={error ? errId : undefined}>
            <legend>{t('cases.field.status')}</legend>
            {options.map((s) => (
              <label key={s} class="choice">
                <input
                  type="radio"
                  name={`${uid}-status`}
                  value={s}
                  checked={to === s}
                  onChange={() => {
                    setTo(s);
                    setError(null);
                  }}
                />{' '}
                {t(`cases.status.${s}` as ConsoleKey)}
              </label>
            ))}
          </fieldset>
          <div class="field">
            <label for={`${uid}-note`}>{t('cases.field.statusNote')}</label>
            <textarea
              id={`${uid}-note`}
              rows={3}
              maxLength={NOTE_MAX}
              value={note}
              onInput={(e) => setNote(e.currentTarget.value)}
            />
          </div>
          <div class="field">
            <label class="choice">
              <input type="checkbox" checked={notify} onChange={(e) => setNotify(e.currentTarget.checked)} />{' '}
              {t('cases.field.notify')}
            </label>
          </div>
          <Problem id={errId} error={error} />
          <Actions submit={t('cases.submit.status')} busy={busy} onCancel={onClose} />
        </form>
      )}
    </Dialog>
  );
}

function RequestDialog({
  c,
  onClose,
  onDone,
}: {
  c: CaseView;
  onClose: () => void;
  onDone: (r: { url: string; expiresAt: string }) => void;
}) {
  const { controller, t } = useConsole();
  const uid = useId();
  const [request, setRequest] = useState('');
  const [error, setError] = useState<ConsoleKey | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    const r = await requestDocuments(controller, c, request);
    setBusy(false);
    if (isProblem(r)) setError(r);
    else onDone(r);
  }

  const errId = `${uid}-err`;
  return (
    <Dialog
      title={t('cases.dialog.request', { reference: c.reference })}
      onClose={onClose}
      testId="console-case-request-dialog"
    >
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div class="field">
          <label for={`${uid}-request`}>{t('cases.field.request')}</label>
          <textarea
            id={`${uid}-request`}
            rows={3}
            maxLength={REQUEST_MAX}
            value={request}
            aria-describedby={error ? errId : undefined}
            onInput={(e) => {
              setRequest(e.currentTarget.value);
              setError(null);
            }}
          />
        </div>
        <Problem id={errId} error={error} />
        <Actions submit={t('cases.submit.request')} busy={busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
