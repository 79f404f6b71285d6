import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api.js';
import type { ChatController } from '../controller.js';
import { commentTooLong, csatT, MAX_COMMENT_CHARS, SCORES, type Score } from '../csat.js';
import type { ViewState } from '../state.js';

interface Props {
  state: ViewState;
  controller: ChatController;
  /** Where focus goes once the survey is skipped (it disappears). */
  afterSkip?: () => void;
}

/**
 * After a chat an agent handled ends: "How was your chat with <agent>?" as a fieldset of five labelled
 * radio buttons (arrow keys move between them), an optional comment, Send and Skip. The outcome is
 * announced in a status line that is always present; errors in an alert.
 */
export function Csat({ state, controller, afterSkip }: Props) {
  const c = state.conversation;
  const t = csatT(state.lang);
  const uid = useId();
  const [score, setScore] = useState<Score | null>(null);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [phase, setPhase] = useState<'ask' | 'thanks' | 'hidden'>('ask');
  const status = useRef<HTMLParagraphElement>(null);
  const id = c?.id ?? null;

  // Each chat has its own survey.
  useEffect(() => {
    setScore(null);
    setComment('');
    setError(null);
    setPhase('ask');
  }, [id]);

  const asking = phase === 'ask' && controller.askCsat && state.phase === 'ready';
  if (!c || (!asking && phase !== 'thanks')) return null;

  async function send(e: Event) {
    e.preventDefault();
    if (busy || !c) return;
    if (score === null) return setError(t('chooseScore'));
    if (commentTooLong(comment)) return setError(t('tooLong', { max: MAX_COMMENT_CHARS }));
    setBusy(true);
    setError(null);
    try {
      await controller.submitCsat(c.id, score, comment);
      setPhase('thanks');
      // The form is gone: keep focus on something that says what happened.
      queueMicrotask(() => status.current?.focus());
    } catch (err) {
      setError(err instanceof ApiError && err.status === 400 ? t('chooseScore') : t('error'));
    } finally {
      setBusy(false);
    }
  }

  const question = c.agent ? t('question', { agent: c.agent.firstName }) : t('question.noName');
  const errId = `${uid}-err`;
  return (
    <div class="cc-csat" data-testid="cc-csat">
      <p ref={status} class="cc-csat-status" role="status" tabIndex={-1} data-testid="cc-csat-status">
        {phase === 'thanks' ? t('thanks') : ''}
      </p>
      {phase === 'ask' && (
        <form onSubmit={(e) => void send(e)} noValidate>
          <fieldset class="cc-csat-scores" aria-describedby={error ? errId : undefined}>
            <legend>{question}</legend>
            {SCORES.map((s) => (
              <label key={s} class="cc-choice">
                <input
                  type="radio"
                  name={`${uid}-score`}
                  value={String(s)}
                  checked={score === s}
                  onChange={() => {
                    setScore(s);
                    setError(null);
                  }}
                />{' '}
                {t(`score.${s}`)}
              </label>
            ))}
          </fieldset>
          <label for={`${uid}-comment`}>{t('comment')}</label>
          <textarea
            id={`${uid}-comment`}
            rows={2}
            maxLength={MAX_COMMENT_CHARS}
            value={comment}
            aria-describedby={`${uid}-hint`}
            onInput={(e) => setComment(e.currentTarget.value)}
          />
          <p id={`${uid}-hint`} class="cc-hint">
            {t('commentHint')}
          </p>
          {error && (
            <p id={errId} class="cc-field-error" role="alert">
              {error}
            </p>
          )}
          <div class="cc-actions">
            <button type="submit" class="cc-btn cc-btn--primary" disabled={busy} data-testid="cc-csat-send">
              {busy ? t('sending') : t('send')}
            </button>
            <button
              type="button"
              class="cc-btn"
              data-testid="cc-csat-skip"
              onClick={() => {
                controller.dismissCsat(c.id);
                setPhase('hidden');
                afterSkip?.();
              }}
            >
              {t('skip')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
