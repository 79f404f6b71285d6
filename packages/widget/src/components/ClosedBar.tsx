import type { Ref } from 'preact';
import type { T } from '../i18n.js';

interface Props {
  t: T;
  noticeRef: Ref<HTMLParagraphElement>;
  onTranscript(): void;
  onNewChat(): void;
}

/** Shown once the conversation is closed: the ended notice, transcript download and a fresh start. */
export function ClosedBar({ t, noticeRef, onTranscript, onNewChat }: Props) {
  return (
    <div class="cc-closed">
      <p ref={noticeRef} class="cc-closed-text" tabIndex={-1}>
        {t('closed')}
      </p>
      <div class="cc-actions">
        <button type="button" class="cc-btn" data-testid="cc-transcript" onClick={onTranscript}>
          {t('transcript')}
        </button>
        <button type="button" class="cc-btn cc-btn--primary" data-testid="cc-new-chat" onClick={onNewChat}>
          {t('newChat')}
        </button>
      </div>
    </div>
  );
}
