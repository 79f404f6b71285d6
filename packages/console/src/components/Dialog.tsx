import { useId, useLayoutEffect, useRef } from 'preact/hooks';
import type { ComponentChildren, RefObject } from 'preact';
import { useConsole } from './context.js';

interface DialogProps {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  /** Where focus goes when the dialog closes; by default the element that had it when it opened. */
  returnFocus?: RefObject<HTMLElement>;
  testId?: string;
}

/**
 * A modal dialog on the native <dialog>: showModal() makes the rest of the page inert (the focus trap)
 * and turns Escape into a cancel event; focus starts on the first field and goes back on close.
 */
export function Dialog({ title, onClose, children, returnFocus, testId }: DialogProps) {
  const { t } = useConsole();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useLayoutEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const dialog = ref.current;
    if (dialog && !dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    }
    const body = dialog?.querySelector('.dialog-body');
    const first =
      body?.querySelector<HTMLElement>('[data-autofocus]') ??
      body?.querySelector<HTMLElement>('input, select, textarea, button');
    first?.focus();
    return () => {
      if (dialog?.open) dialog.close();
      const target = returnFocus?.current ?? opener;
      // The opener may be gone (End chat disappears once the chat ends): fall back to the screen heading.
      if (target?.isConnected) target.focus();
      else document.querySelector<HTMLElement>('#main h2[tabindex], #main h3[tabindex]')?.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      class="dialog"
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(e) => {
        // Escape: close through the owner, so its state and the focus return stay in step.
        e.preventDefault();
        onCloseRef.current();
      }}
    >
      <div class="dialog-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" class="button button--small" onClick={() => onCloseRef.current()}>
          {t('dialog.close')}
        </button>
      </div>
      <div class="dialog-body">{children}</div>
    </dialog>
  );
}
