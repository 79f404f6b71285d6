import type { Ref } from 'preact';
import type { T } from '../i18n.js';
import { ConfirmStep } from './ConfirmStep.js';

/** "End chat and sign out": for a cardmember who thinks the chat session is compromised. */
export function SignOutButton({ t, onClick, buttonRef }: { t: T; onClick(): void; buttonRef: Ref<HTMLButtonElement> }) {
  return (
    <button
      ref={buttonRef}
      type="button"
      class="cc-btn cc-btn--quiet cc-btn--small"
      data-testid="cc-signout"
      onClick={onClick}
    >
      {t('signOut')}
    </button>
  );
}

/** The confirm step: says what happens (every open window of this session signs out) before doing it. */
export function SignOutConfirm({
  t,
  confirming,
  setConfirming,
  onConfirm,
}: {
  t: T;
  confirming: boolean;
  setConfirming(value: boolean): void;
  onConfirm(): void;
}) {
  return (
    <ConfirmStep
      open={confirming}
      promptId="carechat-signout-prompt"
      prompt={t('signOutPrompt')}
      confirmLabel={t('signOutConfirm')}
      cancelLabel={t('signOutCancel')}
      confirmTestId="cc-signout-confirm"
      testId="cc-signout-dialog"
      onConfirm={onConfirm}
      onCancel={() => setConfirming(false)}
    />
  );
}

/**
 * Shown once the session was signed out (here or in another window). No transcript download: the
 * revoked token cannot fetch it. No "try again": only a page reload from the official site starts over.
 */
export function SignedOutBar({
  t,
  by,
  noticeRef,
}: {
  t: T;
  by: 'self' | 'revoked';
  noticeRef: Ref<HTMLParagraphElement>;
}) {
  return (
    <div class="cc-closed" data-testid="cc-signed-out">
      <p ref={noticeRef} class="cc-closed-text" tabIndex={-1}>
        {t(by === 'self' ? 'signedOutSelf' : 'signedOutRevoked')}
      </p>
      <p class="cc-signed-out-note">{t('signedOutNoTranscript')}</p>
      {by === 'self' && <p class="cc-signed-out-note">{t('signedOutReload')}</p>}
    </div>
  );
}
