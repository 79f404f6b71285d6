import { MAX_BODY_CHARS } from '@carechat/protocol/client';
import type { Ref } from 'preact';
import { useState } from 'preact/hooks';
import type { T } from '../i18n.js';
import { findSensitive } from '../sensitive.js';

/** Show the character counter from this many characters on. */
const COUNTER_FROM = MAX_BODY_CHARS - 500;

interface Props {
  t: T;
  draft: string;
  setDraft(text: string): void;
  disabled: boolean;
  inputRef: Ref<HTMLTextAreaElement>;
  /** Returns true when the message was queued (the box is then cleared). */
  onSend(text: string): boolean;
  onTyping(empty: boolean): void;
}

/**
 * The message box. Enter sends, Shift+Enter is a newline. Before sending, text that looks like a card
 * number or security code gets a warning, and only a second Send press sends it.
 */
export function Composer({ t, draft, setDraft, disabled, inputRef, onSend, onTyping }: Props) {
  const [warned, setWarned] = useState(false);
  const [tooLong, setTooLong] = useState(false);
  const length = draft.trim().length;

  const submit = () => {
    if (disabled || length === 0) return;
    if (length > MAX_BODY_CHARS) {
      setTooLong(true);
      return;
    }
    if (!warned && findSensitive(draft)) {
      setWarned(true);
      return;
    }
    if (onSend(draft)) {
      setDraft('');
      setWarned(false);
    }
  };

  const describedBy = [
    warned && 'carechat-warning',
    tooLong && 'carechat-too-long',
    length >= COUNTER_FROM && 'carechat-counter',
  ]
    .filter(Boolean)
    .join(' ');

  return (
    <div class="cc-composer">
      {warned && (
        <p id="carechat-warning" class="cc-warning" role="alert" data-testid="cc-sensitive-warning">
          {t('sensitiveWarning')} {t('sensitiveAgain')}
        </p>
      )}
      {tooLong && length > MAX_BODY_CHARS && (
        <p id="carechat-too-long" class="cc-warning" role="alert">
          {t('tooLong', { max: MAX_BODY_CHARS })}
        </p>
      )}
      <label for="carechat-input" class="cc-sr-only">
        {t('messageLabel')}
      </label>
      <div class="cc-compose-row">
        <textarea
          id="carechat-input"
          ref={inputRef}
          class="cc-input"
          rows={2}
          value={draft}
          disabled={disabled}
          placeholder={t('placeholder')}
          aria-describedby={describedBy || undefined}
          aria-invalid={length > MAX_BODY_CHARS ? 'true' : undefined}
          onInput={(e) => {
            const value = e.currentTarget.value;
            setDraft(value);
            setWarned(false);
            if (value.trim().length <= MAX_BODY_CHARS) setTooLong(false);
            onTyping(value.trim().length === 0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              submit();
            }
          }}
        />
        <button type="button" class="cc-btn cc-btn--primary cc-send" disabled={disabled} onClick={submit}>
          {t('send')}
        </button>
      </div>
      {length >= COUNTER_FROM && (
        <p id="carechat-counter" class={`cc-counter${length > MAX_BODY_CHARS ? ' cc-counter--over' : ''}`}>
          {length > MAX_BODY_CHARS
            ? t('charsOver', { count: length - MAX_BODY_CHARS })
            : t('charsLeft', { count: MAX_BODY_CHARS - length })}
        </p>
      )}
    </div>
  );
}
