import { useLayoutEffect, useRef } from 'preact/hooks';

interface Props {
  open: boolean;
  /** Id of the prompt paragraph, which names the group for screen readers. */
  promptId: string;
  prompt: string;
  confirmLabel: string;
  cancelLabel: string;
  confirmTestId: string;
  testId?: string;
  onConfirm(): void;
  onCancel(): void;
}

/**
 * A destructive action's confirm step: says what will happen, focuses the confirm button in the same
 * frame (keyboard users never lose their place), and Escape or Cancel backs out.
 */
export function ConfirmStep(p: Props) {
  const yes = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => {
    if (p.open) yes.current?.focus();
  }, [p.open]);
  if (!p.open) return null;
  return (
    <div
      class="cc-confirm"
      role="group"
      aria-labelledby={p.promptId}
      data-testid={p.testId}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          p.onCancel();
        }
      }}
    >
      <p id={p.promptId} class="cc-confirm-prompt">
        {p.prompt}
      </p>
      <div class="cc-actions">
        <button
          ref={yes}
          type="button"
          class="cc-btn cc-btn--danger"
          data-testid={p.confirmTestId}
          onClick={() => {
            p.onCancel();
            p.onConfirm();
          }}
        >
          {p.confirmLabel}
        </button>
        <button type="button" class="cc-btn" onClick={p.onCancel}>
          {p.cancelLabel}
        </button>
      </div>
    </div>
  );
}
