import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { RefObject } from 'preact';
import { MAX_BODY_CHARS, type ConversationView, type Message } from '@carechat/protocol/client';
import { authorLabel, clockTime, conversationStatus, languageName, messageText, wsErrorKey } from '../format.js';
import type { ConsoleKey } from '../i18n.js';
import { isOwnMessage, type ConversationEntry, type PendingMessage } from '../state.js';
import { useConsole } from './context.js';
import { VerifyCustomer } from './VerifyCustomer.js';

/** Unsent drafts per conversation, so switching chats does not lose what was typed (memory only). */
const drafts = new Map<string, string>();

/** The <main> content: the open conversation, or a hint when none is open. */
export function ConversationPane({ entry, selfId }: { entry: ConversationEntry | undefined; selfId: string }) {
  const { t } = useConsole();
  if (!entry) {
    return (
      <div class="conversation conversation--empty">
        <h2>{t('conv.none.heading')}</h2>
        <p>{t('conv.none.body')}</p>
      </div>
    );
  }
  return <Conversation entry={entry} selfId={selfId} />;
}

function Conversation({ entry, selfId }: { entry: ConversationEntry; selfId: string }) {
  const { t } = useConsole();
  const c = entry.conversation;
  const closed = c.status === 'closed';
  const canWrite = c.status === 'assigned' && c.agent?.id === selfId;
  const headingRef = useRef<HTMLHeadingElement>(null);
  const replyRef = useRef<HTMLTextAreaElement>(null);
  const endedRef = useRef<HTMLHeadingElement>(null);

  // Opening a chat puts the cursor where the agent will type; a read-only chat starts at its heading.
  // Layout effects: focus lands in the same frame as the render, before the next key press.
  useLayoutEffect(() => {
    (canWrite ? replyRef.current : headingRef.current)?.focus();
  }, []);

  // When the composer appears or disappears under the agent (accepted, ended), do not leave focus on <body>.
  const wasWritable = useRef(canWrite);
  useLayoutEffect(() => {
    if (wasWritable.current === canWrite) return;
    wasWritable.current = canWrite;
    const focused = document.activeElement;
    const adrift = !focused || focused === document.body || focused === headingRef.current;
    if (!adrift) return;
    if (canWrite) replyRef.current?.focus();
    else (closed ? endedRef.current : headingRef.current)?.focus();
  }, [canWrite, closed]);

  const fullName = `${c.cardmember.firstName} ${c.cardmember.lastName}`.trim();
  const typingName = entry.typing
    ? entry.typing.role === 'assistant'
      ? t('author.assistant')
      : (entry.typing.name ?? c.cardmember.firstName)
    : null;

  return (
    <div class="conversation">
      <div class="conversation-head">
        <div class="conversation-title">
          <h2 ref={headingRef} tabIndex={-1}>
            {t('conv.heading', { name: fullName, last4: c.card.last4 })}
          </h2>
          <p class="conversation-meta">
            <span class={`status-pill status-pill--${c.status}`}>
              {t('conv.status', { status: conversationStatus(t, c, selfId) })}
            </span>
            <span>{t('conv.product', { product: c.card.productName, language: languageName(t, c.language) })}</span>
          </p>
          {!closed && <VerifyCustomer c={c} canWrite={canWrite} />}
        </div>
        {canWrite && <EndChat c={c} onEnded={() => headingRef.current?.focus()} />}
      </div>

      {!entry.loaded && entry.messages.length === 0 && <p class="loading-note">{t('conv.loading')}</p>}
      <MessageLog entry={entry} selfId={selfId} />
      <p class="typing-indicator">{typingName && !closed ? t('typing', { name: typingName }) : ''}</p>

      {canWrite && <Composer conversationId={c.id} inputRef={replyRef} />}
      {closed && <ClosedPanel c={c} headingRef={endedRef} />}
      {!closed && !canWrite && <p class="read-only">{t('conv.readOnly')}</p>}
    </div>
  );
}

function MessageLog({ entry, selfId }: { entry: ConversationEntry; selfId: string }) {
  const { t } = useConsole();
  const logRef = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const count = entry.messages.length + entry.pending.length;

  useLayoutEffect(() => {
    const el = logRef.current;
    if (el && stickToBottom.current) el.scrollTop = el.scrollHeight;
  }, [count]);

  function onScroll() {
    const el = logRef.current;
    if (el) stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
  }

  // role="log" is polite by default; it is silenced because the dedicated live region announces only
  // new incoming messages, and a chat switch would otherwise read the whole history aloud.
  return (
    <div
      ref={logRef}
      class="log"
      role="log"
      aria-live="off"
      aria-label={t('conv.log', { name: entry.conversation.cardmember.firstName })}
      data-testid="console-log"
      tabIndex={0}
      onScroll={onScroll}
    >
      <ol class="messages">
        {entry.messages.map((m) => (
          <MessageItem key={m.seq} m={m} c={entry.conversation} selfId={selfId} />
        ))}
        {entry.pending.map((p) => (
          <PendingItem key={p.clientMsgId} p={p} />
        ))}
      </ol>
    </div>
  );
}

function MessageItem({ m, c, selfId }: { m: Message; c: ConversationView; selfId: string }) {
  const { t, lang } = useConsole();
  const own = isOwnMessage(m, selfId);
  const label = authorLabel(t, m, selfId, c);
  const cls = `msg msg--${m.author.role}${own ? ' msg--own' : ''}`;
  if (m.kind === 'system') {
    return (
      <li class={cls} data-seq={m.seq}>
        <span class="visually-hidden">{label}: </span>
        <span class="msg-body">{messageText(m, c, lang)}</span>{' '}
        <time dateTime={m.createdAt}>{clockTime(m.createdAt, lang)}</time>
      </li>
    );
  }
  return (
    <li class={cls} data-seq={m.seq}>
      <p class="msg-meta">
        <span class="msg-author">{label}</span> <time dateTime={m.createdAt}>{clockTime(m.createdAt, lang)}</time>
      </p>
      <p class="msg-body">{m.body}</p>
    </li>
  );
}

function PendingItem({ p }: { p: PendingMessage }) {
  const { t } = useConsole();
  return (
    <li
      class={`msg msg--agent msg--own msg--pending${p.failed ? ' msg--failed' : ''}`}
      data-client-msg-id={p.clientMsgId}
    >
      <p class="msg-meta">
        <span class="msg-author">{t('author.you')}</span>
      </p>
      <p class="msg-body">{p.body}</p>
      <p class="msg-state">{p.failed ? t('msg.failed', { reason: t(wsErrorKey(p.failed)) }) : t('msg.sending')}</p>
    </li>
  );
}

function Composer({ conversationId, inputRef }: { conversationId: string; inputRef: RefObject<HTMLTextAreaElement> }) {
  const { controller, t } = useConsole();
  const [text, setText] = useState(() => drafts.get(conversationId) ?? '');
  const [error, setError] = useState<ConsoleKey | null>(null);

  function submit() {
    const problem = controller.send(conversationId, text);
    if (problem) {
      setError(problem);
      return;
    }
    setText('');
    drafts.delete(conversationId);
    setError(null);
  }

  function onKeyDown(e: KeyboardEvent) {
    if (e.key !== 'Enter' || e.shiftKey || e.isComposing || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    submit();
  }

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label for="reply" class="composer-label">
        {t('composer.label')}
      </label>
      <textarea
        ref={inputRef}
        id="reply"
        name="message"
        rows={3}
        maxLength={MAX_BODY_CHARS}
        aria-describedby={error ? 'reply-hint reply-error' : 'reply-hint'}
        value={text}
        onKeyDown={onKeyDown}
        onInput={(e) => {
          const value = e.currentTarget.value;
          setText(value);
          drafts.set(conversationId, value);
          if (error) setError(null);
          if (value.trim()) controller.typing(conversationId);
        }}
      />
      <p id="reply-hint" class="hint">
        {t('composer.hint')}
      </p>
      {error && (
        <p id="reply-error" class="field-error" role="alert">
          {t(error, { max: MAX_BODY_CHARS })}
        </p>
      )}
      <button type="submit" class="button button--primary">
        {t('composer.send')}
      </button>
    </form>
  );
}

function EndChat({ c, onEnded }: { c: ConversationView; onEnded: () => void }) {
  const { controller, t } = useConsole();
  const [step, setStep] = useState<'idle' | 'confirm' | 'ending'>('idle');
  const endRef = useRef<HTMLButtonElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);

  useLayoutEffect(() => {
    if (step === 'confirm') confirmRef.current?.focus();
    if (step === 'idle' && returnFocus.current) {
      returnFocus.current = false;
      endRef.current?.focus();
    }
  }, [step]);

  function cancel() {
    returnFocus.current = true;
    setStep('idle');
  }

  async function confirm() {
    setStep('ending');
    onEnded();
    const ok = await controller.end(c.id);
    if (!ok) {
      returnFocus.current = true;
      setStep('idle');
    }
  }

  if (step === 'ending') return null;
  if (step === 'confirm') {
    return (
      <div
        class="confirm"
        role="group"
        aria-labelledby="end-question"
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            cancel();
          }
        }}
      >
        <p id="end-question">{t('end.question', { name: c.cardmember.firstName })}</p>
        <div class="confirm-actions">
          <button
            ref={confirmRef}
            type="button"
            class="button button--danger"
            data-testid="console-end-confirm"
            onClick={() => void confirm()}
          >
            {t('end.confirm')}
          </button>
          <button type="button" class="button" onClick={cancel}>
            {t('end.cancel')}
          </button>
        </div>
      </div>
    );
  }
  return (
    <button
      ref={endRef}
      type="button"
      class="button button--danger-outline"
      data-testid="console-end"
      onClick={() => setStep('confirm')}
    >
      {t('end.button')}
    </button>
  );
}

function ClosedPanel({ c, headingRef }: { c: ConversationView; headingRef: RefObject<HTMLHeadingElement> }) {
  const { controller, t } = useConsole();
  const [busy, setBusy] = useState(false);

  async function download() {
    if (busy) return;
    setBusy(true);
    const transcript = await controller.transcript(c.id);
    setBusy(false);
    if (!transcript) return;
    const url = URL.createObjectURL(transcript.blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = transcript.filename;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  return (
    <div class="closed-panel">
      <h3 ref={headingRef} tabIndex={-1}>
        {t('closed.heading')}
      </h3>
      <button type="button" class="button" data-testid="console-transcript" onClick={() => void download()}>
        {t('transcript.download')}
      </button>
    </div>
  );
}
