import type { Ref } from 'preact';
import type { T } from '../i18n.js';
import { ConfirmStep } from './ConfirmStep.js';

interface Props {
  t: T;
  confirming: boolean;
  setConfirming(value: boolean): void;
  onEnd(): void;
}

/** "End chat" with a confirm step; focus follows the step so keyboard users never lose their place. */
export function EndChatButton({
  t,
  setConfirming,
  buttonRef,
}: Pick<Props, 't' | 'setConfirming'> & { buttonRef: Ref<HTMLButtonElement> }) {
  return (
    <button
      ref={buttonRef}
      type="button"
      class="cc-btn cc-btn--quiet cc-btn--small"
      data-testid="cc-end"
      onClick={() => setConfirming(true)}
    >
      {t('end')}
    </button>
  );
}

/** The confirm bar shown under the header while `confirming`. */
export function EndChatConfirm({ t, confirming, setConfirming, onEnd }: Props) {
  return (
    <ConfirmStep
      open={confirming}
      promptId="carechat-end-prompt"
      prompt={t('endPrompt')}
      confirmLabel={t('endConfirm')}
      cancelLabel={t('endCancel')}
      confirmTestId="cc-end-confirm"
      onConfirm={onEnd}
      onCancel={() => setConfirming(false)}
    />
  );
}
