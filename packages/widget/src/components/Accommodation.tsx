import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import {
  accommodationErrorText,
  accommodationT,
  charsLeft,
  checkNote,
  MAX_NOTE_CHARS,
  savedStatus,
} from '../accommodation.js';
import { ApiError } from '../api.js';
import type { ChatController } from '../controller.js';
import type { ViewState } from '../state.js';

interface Props {
  state: ViewState;
  controller: ChatController;
}

/**
 * "Need an accommodation?" near the top of the chat: a small button that opens a labelled form
 * (textarea, "save for future chats", Save / Cancel). Focus goes into the form when it opens and back
 * to the button when it closes; the outcome is announced in a status line that is always present.
 */
export function Accommodation({ state, controller }: Props) {
  const c = state.conversation;
  const t = accommodationT(state.lang);
  const id = c?.id ?? null;
  const active = !!c && c.status !== 'closed' && state.phase === 'ready' && controller.canNoteAccommodation;

  /** undefined: not loaded yet. */
  const [saved, setSaved] = useState<string | null | undefined>(undefined);
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState('');
  const [future, setFuture] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const toggle = useRef<HTMLButtonElement>(null);
  const field = useRef<HTMLTextAreaElement>(null);
  const focusToggle = useRef(false);

  // Each chat has its own note: a new chat starts from what the server copied from the profile.
  useEffect(() => {
    setSaved(undefined);
    setOpen(false);
    setStatus('');
    setError(null);
    if (!id || !active) return;
    let live = true;
    controller.loadAccommodation(id).then(
      (r) => live && setSaved(r.note),
      () => live && setSaved(null),
    );
    return () => {
      live = false;
    };
  }, [id, active]);

  useLayoutEffect(() => {
    if (open) field.current?.focus();
    else if (focusToggle.current) {
      focusToggle.current = false;
      toggle.current?.focus();
    }
  }, [open]);

  if (!active || !id) return null;

  const openForm = () => {
    setDraft(saved ?? '');
    setFuture(false);
    setError(null);
    setStatus('');
    setOpen(true);
  };
  const close = () => {
    focusToggle.current = true;
    setOpen(false);
    setError(null);
  };
  const submit = async () => {
    if (busy) return;
    const problem = checkNote(draft);
    if (problem) {
      setError(accommodationErrorText(t, problem));
      field.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await controller.saveAccommodation(id, draft.trim(), future);
      setSaved(r.note);
      setStatus(savedStatus(t, r, future));
      close();
    } catch (e) {
      setError(accommodationErrorText(t, e instanceof ApiError ? e.code : 'internal'));
      field.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  const left = charsLeft(draft);
  const describedBy = `carechat-acc-help carechat-acc-count${error ? ' carechat-acc-error' : ''}`;

  return (
    <section class="cc-acc" aria-labelledby="carechat-acc-title" data-testid="cc-acc">
      <h3 id="carechat-acc-title" class="cc-sr-only">
        {t('title')}
      </h3>
      {open ? (
        <form
          class="cc-acc-form"
          noValidate
          data-testid="cc-acc-form"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
          onKeyDown={(e) => {
            // Escape backs out of the form only; the panel stays open.
            if (e.key === 'Escape') {
              e.preventDefault();
              e.stopPropagation();
              close();
            }
          }}
        >
          <div class="cc-field">
            <label for="carechat-acc-note">{t('label')}</label>
            <p id="carechat-acc-help" class="cc-acc-help">
              {t('help', { max: MAX_NOTE_CHARS })}
            </p>
            <textarea
              ref={field}
              id="carechat-acc-note"
              class="cc-acc-input"
              rows={3}
              value={draft}
              autocomplete="off"
              aria-invalid={error ? 'true' : undefined}
              aria-describedby={describedBy}
              data-testid="cc-acc-note"
              onInput={(e) => setDraft(e.currentTarget.value)}
            />
            <p id="carechat-acc-count" class={left < 0 ? 'cc-field-error' : 'cc-acc-help'}>
              {left < 0 ? t('over', { count: -left }) : t('left', { count: left })}
            </p>
          </div>
          <label class="cc-acc-check">
            <input
              type="checkbox"
              checked={future}
              data-testid="cc-acc-future"
              onChange={(e) => setFuture(e.currentTarget.checked)}
            />{' '}
            {t('future')}
          </label>
          {error && (
            <p id="carechat-acc-error" class="cc-field-error" role="alert" data-testid="cc-acc-error">
              {error}
            </p>
          )}
          <div class="cc-actions">
            <button type="submit" class="cc-btn cc-btn--primary" disabled={busy} data-testid="cc-acc-save">
              {t('save')}
            </button>
            <button type="button" class="cc-btn" onClick={close} data-testid="cc-acc-cancel">
              {t('cancel')}
            </button>
          </div>
        </form>
      ) : saved ? (
        <div class="cc-acc-saved">
          <p data-testid="cc-acc-saved">{t('saved', { note: saved })}</p>
          <button
            ref={toggle}
            type="button"
            class="cc-btn cc-btn--quiet cc-btn--small"
            data-testid="cc-acc-open"
            onClick={openForm}
          >
            {t('change')}
          </button>
        </div>
      ) : (
        <div class="cc-acc-saved">
          <button
            ref={toggle}
            type="button"
            class="cc-btn cc-btn--quiet cc-btn--small"
            aria-describedby="carechat-acc-hint"
            data-testid="cc-acc-open"
            disabled={saved === undefined}
            onClick={openForm}
          >
            {t('open')}
          </button>
          <p id="carechat-acc-hint" class="cc-acc-help">
            {t('hint')}
          </p>
        </div>
      )}
      <p role="status" class={status ? 'cc-acc-status' : 'cc-sr-only'} data-testid="cc-acc-status">
        {status}
      </p>
    </section>
  );
}
