import type { ConversationView, Language } from '@carechat/protocol/client';
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { T, WidgetKey } from '../i18n.js';
import { waitingHeadline, waitingView } from '../waiting.js';
import { WarningIcon } from './icons.js';

interface Props {
  t: T;
  lang: Language;
  conversation: ConversationView | null;
  /** The fraud notice shows (decided by the reducer, so it is inserted, and read, once). */
  fraudNotice: boolean;
  /** Moves focus to the message box: the assistant keeps answering while the chat waits. */
  onKeepChatting(): void;
}

/** A translated sentence with the phone number in it as a `tel:` link (plain text when not dialable). */
function WithPhone({ t, k, phone, href }: { t: T; k: WidgetKey; phone: string; href: string | null }) {
  // Without the `phone` param the translator leaves `{phone}` in place: split around it.
  const [before = '', after = ''] = t(k).split('{phone}');
  return (
    <>
      {before}
      {href ? (
        <a class="cc-tel" href={href}>
          {phone}
        </a>
      ) : (
        phone
      )}
      {after}
    </>
  );
}

/**
 * While the chat waits for an agent: place in line and estimate, or why nobody can answer now (with
 * the team's hours and phone line). Not a live region: the LiveRegion announces changes, paced.
 */
export function WaitingCard({ t, lang, conversation, fraudNotice, onKeepChatting }: Props) {
  const view = waitingView(conversation, lang);
  const waiting = view?.mode === 'waiting';
  const keepButton = useRef<HTMLButtonElement>(null);
  // Read before this render replaces the DOM: the button had focus and is about to go away.
  const keepHadFocus = !!keepButton.current && keepButton.current === document.activeElement;
  useLayoutEffect(() => {
    // Agents came back while the cardmember was on the button: don't drop focus on the page.
    if (keepHadFocus && !keepButton.current) onKeepChatting();
  }, [waiting, !!view]);
  if (!view) return null;
  return (
    <div class="cc-waiting" role="group" aria-label={t('queueCard')} data-testid="cc-waiting">
      {fraudNotice && (
        <p class="cc-fraud" role="alert" data-testid="cc-fraud-notice">
          <WarningIcon />
          <span>
            {view.phone ? (
              <WithPhone t={t} k="fraudNotice" phone={view.phone} href={view.telHref} />
            ) : (
              t('fraudNoticeNoPhone')
            )}
          </span>
        </p>
      )}
      <div class="cc-waiting-status" data-testid="cc-queue-status">
        <p class="cc-waiting-headline">{waitingHeadline(view, t)}</p>
        {waiting && view.wait && <p>{t('queueWait', { wait: view.wait })}</p>}
        {!waiting && view.position !== null && <p>{t('queueStillInLine', { position: view.position })}</p>}
      </div>
      {!waiting && view.phone && !fraudNotice && (
        <p data-testid="cc-queue-phone">
          <WithPhone t={t} k="queueCallUs" phone={view.phone} href={view.telHref} />
        </p>
      )}
      {waiting ? (
        <p class="cc-waiting-note">{t('queueKeepChatting')}</p>
      ) : (
        <div class="cc-actions">
          <button
            ref={keepButton}
            type="button"
            class="cc-btn cc-btn--small"
            data-testid="cc-keep-chatting"
            onClick={onKeepChatting}
          >
            {t('keepChatting')}
          </button>
        </div>
      )}
    </div>
  );
}
