import type { Ref } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { T } from '../i18n.js';

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
  const yes = useRef<HTMLButtonElement>(null);
  // Layout effect: focus moves in the same frame as the click, before anything else can be pressed.
  useLayoutEffect(() => {
    if (confirming) yes.current?.focus();
  }, [confirming]);
  if (!confirming) return null;
  return (
    <div
      class="cc-confirm"
      role="group"
      aria-labelledby="carechat-end-prompt"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          setConfirming(false);
        }
      }}
    >
      <p id="carechat-end-prompt" class="cc-confirm-prompt">
        {t('endPrompt')}
      </p>
      <div class="cc-actions">
        <button
          ref={yes}
          type="button"
          class="cc-btn cc-btn--danger"
          data-testid="cc-end-confirm"
          onClick={() => {
            setConfirming(false);
            onEnd();
          }}
        >
          {t('endConfirm')}
        </button>
        <button type="button" class="cc-btn" onClick={() => setConfirming(false)}>
          {t('endCancel')}
        </button>
      </div>
    </div>
  );
}
