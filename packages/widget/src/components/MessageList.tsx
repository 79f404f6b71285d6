import type { Language, Message, RedactedType } from '@carechat/protocol/client';
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { T } from '../i18n.js';
import { errorKey } from '../i18n.js';
import type { OutboxItem } from '../outbox.js';
import { redactionNotice } from '../redaction-notice.js';
import { linkify } from '../links.js';
import { authorLabel, systemText, visibleToCardmember } from '../state.js';

interface Props {
  t: T;
  lang: Language;
  messages: Message[];
  outbox: OutboxItem[];
  /** Kinds removed from the viewer's own messages, by message id: shown as a notice under each. */
  redacted?: Record<string, RedactedType[]>;
  onRetry(clientMsgId: string): void;
  onEdit(clientMsgId: string): void;
}

/** The conversation as a list inside a `log`; bodies are rendered as text, never as HTML. */
export function MessageList({ t, lang, messages, outbox, redacted = {}, onRetry, onEdit }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const sentCount = useRef(outbox.length);
  const count = messages.length + outbox.length;

  // Follow new messages unless the reader has scrolled up; one's own new message always scrolls.
  useLayoutEffect(() => {
    const el = scroller.current;
    const sent = outbox.length > sentCount.current;
    sentCount.current = outbox.length;
    if (el && (atBottom.current || sent)) el.scrollTop = el.scrollHeight;
  }, [count]);

  return (
    // Scrollable, so it must be focusable for keyboard users; not live: the LiveRegion announces.
    <div
      ref={scroller}
      class="cc-log"
      role="log"
      aria-live="off"
      aria-label={t('log')}
      tabIndex={0}
      data-testid="cc-log"
      onScroll={(e) => {
        const el = e.currentTarget;
        atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
      }}
    >
      <ol class="cc-messages">
        {/* The reducer never holds staff-only notes; this guards any other path to the list. */}
        {messages.filter(visibleToCardmember).map((m) =>
          m.kind === 'system' ? (
            <li key={m.seq} data-seq={m.seq} class="cc-msg cc-msg--system">
              <p class="cc-body">{systemText(m, lang)}</p>
            </li>
          ) : (
            <li key={m.seq} data-seq={m.seq} class={`cc-msg cc-msg--${m.author.role === 'cardmember' ? 'me' : 'them'}`}>
              <span class="cc-author">{t('authorSaid', { author: authorLabel(m, lang) })}</span>
              <p class="cc-body">
                {m.author.role === 'cardmember' ? m.body : <Linked text={m.body} newTab={t('newTab')} />}
              </p>
              {redacted[m.id] && (
                <p class="cc-meta cc-meta--redacted" data-testid="cc-redacted">
                  {redactionNotice(redacted[m.id], lang)}
                </p>
              )}
            </li>
          ),
        )}
        {outbox.map((item) => (
          <li
            key={item.clientMsgId}
            class={`cc-msg cc-msg--me cc-msg--${item.status}`}
            data-client-msg-id={item.clientMsgId}
          >
            <span class="cc-author">{t('authorSaid', { author: t('you') })}</span>
            <p class="cc-body">{item.body}</p>
            {item.status === 'pending' ? (
              <p class="cc-meta">{t('sending')}</p>
            ) : (
              <div class="cc-meta cc-meta--failed">
                <p>{t('notSent', { reason: t(errorKey(item.error ?? 'generic')) })}</p>
                <div class="cc-actions">
                  {item.error !== 'message_too_long' &&
                    item.error !== 'message_empty' &&
                    item.error !== 'conversation_closed' && (
                      <button type="button" class="cc-btn cc-btn--small" onClick={() => onRetry(item.clientMsgId)}>
                        {t('retrySend')}
                      </button>
                    )}
                  <button type="button" class="cc-btn cc-btn--small" onClick={() => onEdit(item.clientMsgId)}>
                    {t('editMessage')}
                  </button>
                </div>
              </div>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}

/** A bank-side message with links to the issuer's own site made clickable (links.ts). */
function Linked({ text, newTab }: { text: string; newTab: string }) {
  return (
    <>
      {linkify(text, window.location.origin).map((seg, i) =>
        'href' in seg ? (
          <a key={i} href={seg.href} target="_blank" rel="noopener noreferrer">
            {seg.text}
            <span class="cc-sr-only"> {newTab}</span>
          </a>
        ) : (
          seg.text
        ),
      )}
    </>
  );
}
