import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { RefObject } from 'preact';
import { MAX_BODY_CHARS, type AgentView, type ConversationView, type Message } from '@carechat/protocol/client';
import {
  authorLabel,
  clockTime,
  conversationStatus,
  dispositionKey,
  languageName,
  messageText,
  participantRoleKey,
  priorityKey,
  wsErrorKey,
} from '../format.js';
import type { ConsoleKey } from '../i18n.js';
import { endBlocker, insertAt } from '../live-view.js';
import {
  isMember,
  isMonitoring,
  isOwnMessage,
  needsWrapUp,
  type ConversationEntry,
  type PendingMessage,
} from '../state.js';
import { BargeDialog, CannedDialog, ConferenceDialog, EscalateDialog, TransferDialog } from './ChatDialogs.js';
import { useConsole } from './context.js';
import { VerifyCustomer } from './VerifyCustomer.js';

/** Unsent drafts per conversation, so switching chats does not lose what was typed (memory only). */
const drafts = new Map<string, string>();

/** The <main> content: the open conversation, or a hint when none is open. */
export function ConversationPane({ entry, self }: { entry: ConversationEntry | undefined; self: AgentView }) {
  const { t } = useConsole();
  if (!entry) {
    return (
      <div class="conversation conversation--empty">
        <h2>{t('conv.none.heading')}</h2>
        <p>{t('conv.none.body')}</p>
      </div>
    );
  }
  return <Conversation entry={entry} self={self} />;
}

type Mode = 'reply' | 'note' | 'whisper';

function Conversation({ entry, self }: { entry: ConversationEntry; self: AgentView }) {
  const { t } = useConsole();
  const selfId = self.id;
  const c = entry.conversation;
  const closed = c.status === 'closed';
  const assignee = c.agent?.id === selfId;
  const monitoring = !closed && isMonitoring(c, selfId);
  // Conference agents and barged-in supervisors write too; a monitor only watches (and may whisper).
  const canWrite = c.status === 'assigned' && isMember(c, selfId);
  const supervisor = self.role === 'supervisor';
  const modes: Mode[] = canWrite
    ? supervisor && !assignee
      ? ['reply', 'note', 'whisper']
      : ['reply', 'note']
    : monitoring && supervisor
      ? ['whisper']
      : [];
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

  const priority = priorityKey(c);
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
            {c.reference && (
              <span data-testid="console-chat-reference">{t('cases.chatReference', { reference: c.reference })}</span>
            )}
            {priority && (
              <span class={`tag tag--${priority === 'priority.fraud' ? 'bad' : 'warn'}`}>
                {t(priority, { n: c.priority ?? 0 })}
              </span>
            )}
          </p>
          {monitoring && (
            <p class="monitor-banner" data-testid="console-monitoring">
              {t('monitor.banner')}
            </p>
          )}
          {c.escalated && !closed && <p class="tag tag--warn">{t('escalate.pending')}</p>}
          {c.accommodation && <Accommodation note={c.accommodation} />}
          {!closed && <VerifyCustomer c={c} canWrite={canWrite} />}
        </div>
        {!closed && (
          <ChatActions
            c={c}
            selfId={selfId}
            assignee={assignee && canWrite}
            member={canWrite}
            monitoring={monitoring && supervisor}
            onEnded={() => headingRef.current?.focus()}
          />
        )}
      </div>
      <Participants c={c} selfId={selfId} />

      {!entry.loaded && entry.messages.length === 0 && <p class="loading-note">{t('conv.loading')}</p>}
      <MessageLog entry={entry} selfId={selfId} />
      <p class="typing-indicator">{typingName && !closed ? t('typing', { name: typingName }) : ''}</p>

      {modes.length > 0 && !closed && <Composer conversationId={c.id} inputRef={replyRef} modes={modes} />}
      {closed && <ClosedPanel c={c} selfId={selfId} headingRef={endedRef} />}
      {!closed && !canWrite && !monitoring && <p class="read-only">{t('conv.readOnly')}</p>}
    </div>
  );
}

/** The accommodation the cardmember asked for, with the reminder it implies; words, not just a colour. */
export function Accommodation({ note }: { note: string }) {
  const { t } = useConsole();
  return (
    <div class="accommodation" data-testid="console-accommodation">
      <p>
        <span class="tag tag--info">{t('accommodation.badge')}</span> {note}
      </p>
      <p class="hint">{t('accommodation.pace')}</p>
    </div>
  );
}

function Participants({ c, selfId }: { c: ConversationView; selfId: string }) {
  const { t } = useConsole();
  const list = c.participants ?? [];
  if (list.length === 0) return null;
  return (
    <section class="participants" aria-labelledby={`participants-${c.id}`}>
      <h3 id={`participants-${c.id}`}>{t('participants.heading')}</h3>
      <ul>
        {list.map((p) => (
          <li key={`${p.agentId}:${p.role}`}>
            {t('participants.item', {
              name: p.agentId === selfId ? t('participants.you', { name: p.displayName }) : p.displayName,
              role: t(participantRoleKey(p.role)),
            })}
          </li>
        ))}
      </ul>
    </section>
  );
}

type ChatDialog = 'transfer' | 'conference' | 'escalate' | 'barge' | null;

/** Transfer, conference, escalate and end for the assignee; leave for helpers; barge in for a monitor. */
function ChatActions({
  c,
  selfId,
  assignee,
  member,
  monitoring,
  onEnded,
}: {
  c: ConversationView;
  selfId: string;
  assignee: boolean;
  member: boolean;
  monitoring: boolean;
  onEnded: () => void;
}) {
  const { controller, t } = useConsole();
  const [dialog, setDialog] = useState<ChatDialog>(null);
  const [busy, setBusy] = useState(false);
  const close = () => setDialog(null);
  if (!assignee && !member && !monitoring) return null;

  async function leave() {
    if (busy) return;
    setBusy(true);
    await controller.leave(c.id);
    setBusy(false);
  }

  return (
    <div class="chat-actions" role="group" aria-label={t('actions.label')}>
      {assignee && (
        <>
          <button
            type="button"
            class="button"
            data-testid="console-transfer-open"
            onClick={() => setDialog('transfer')}
          >
            {t('transfer.button')}
          </button>
          <button type="button" class="button" onClick={() => setDialog('conference')}>
            {t('conference.button')}
          </button>
          {!c.escalated && (
            <button type="button" class="button" onClick={() => setDialog('escalate')}>
              {t('escalate.button')}
            </button>
          )}
          <EndChat c={c} onEnded={onEnded} />
        </>
      )}
      {member && !assignee && c.agent?.id !== selfId && (
        <button type="button" class="button" data-testid="console-leave" onClick={() => void leave()}>
          {t('leave.button')}
        </button>
      )}
      {monitoring && (
        <button type="button" class="button" data-testid="console-barge" onClick={() => setDialog('barge')}>
          {t('barge.button')}
        </button>
      )}
      {dialog === 'transfer' && <TransferDialog c={c} onClose={close} />}
      {dialog === 'conference' && <ConferenceDialog c={c} onClose={close} />}
      {dialog === 'escalate' && <EscalateDialog c={c} onClose={close} />}
      {dialog === 'barge' && <BargeDialog conversationId={c.id} onClose={close} />}
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
  if (m.kind === 'note') {
    // Staff-only: labelled in words (not only tinted) so no one mistakes it for something the customer saw.
    return (
      <li class={`msg msg--note${m.whisper ? ' msg--whisper' : ''}${own ? ' msg--own' : ''}`} data-seq={m.seq}>
        <p class="msg-meta">
          <span class="note-tag">{m.whisper ? t('whisper.from', { name: m.author.name ?? '' }) : t('note.label')}</span>{' '}
          {!m.whisper && <span class="msg-author">{label}</span>}{' '}
          <time dateTime={m.createdAt}>{clockTime(m.createdAt, lang)}</time>
        </p>
        <p class="msg-body">{m.body}</p>
      </li>
    );
  }
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

const MODE_KEYS: Record<Mode, ConsoleKey> = {
  reply: 'composer.mode.reply',
  note: 'composer.mode.note',
  whisper: 'composer.mode.whisper',
};

function Composer({
  conversationId,
  inputRef,
  modes,
}: {
  conversationId: string;
  inputRef: RefObject<HTMLTextAreaElement>;
  modes: Mode[];
}) {
  const { controller, t } = useConsole();
  const [text, setText] = useState(() => drafts.get(conversationId) ?? '');
  const [error, setError] = useState<ConsoleKey | null>(null);
  const [mode, setMode] = useState<Mode>(modes[0]!);
  const [canned, setCanned] = useState(false);
  const [busy, setBusy] = useState(false);
  const current = modes.includes(mode) ? mode : modes[0]!;

  function cleared() {
    setText('');
    drafts.delete(conversationId);
    setError(null);
  }

  async function submit() {
    if (current === 'reply') {
      const problem = controller.send(conversationId, text);
      if (problem) setError(problem);
      else cleared();
      return;
    }
    if (busy) return;
    setBusy(true);
    const problem =
      current === 'note'
        ? await controller.addNote(conversationId, text)
        : await controller.whisper(conversationId, text);
    setBusy(false);
    if (problem) setError(problem);
    else cleared();
  }

  function onKeyDown(e: KeyboardEvent) {
    if (e.key !== 'Enter' || e.shiftKey || e.isComposing || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    void submit();
  }

  function insert(value: string) {
    const el = inputRef.current;
    const { text: next, cursor } = insertAt(
      text,
      value,
      el?.selectionStart ?? text.length,
      el?.selectionEnd ?? undefined,
    );
    setText(next);
    drafts.set(conversationId, next);
    setCanned(false);
    // After the dialog has handed focus back: put the cursor after what was inserted.
    requestAnimationFrame(() => {
      inputRef.current?.focus();
      inputRef.current?.setSelectionRange(cursor, cursor);
    });
  }

  const label =
    current === 'reply'
      ? t('composer.label')
      : current === 'note'
        ? t('composer.noteLabel')
        : t('composer.whisperLabel');
  const submitText =
    current === 'reply' ? t('composer.send') : current === 'note' ? t('composer.addNote') : t('composer.sendWhisper');
  return (
    <form
      class={`composer composer--${current}`}
      data-testid="console-composer"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {modes.length > 1 && (
        <fieldset class="composer-modes">
          <legend class="visually-hidden">{t('composer.mode')}</legend>
          {modes.map((m) => (
            <label key={m} class={`mode-choice${current === m ? ' mode-choice--on' : ''}`}>
              <input
                type="radio"
                name={`mode-${conversationId}`}
                value={m}
                checked={current === m}
                data-testid={`console-mode-${m}`}
                onChange={() => {
                  setMode(m);
                  setError(null);
                }}
              />{' '}
              {t(MODE_KEYS[m])}
            </label>
          ))}
        </fieldset>
      )}
      <label for="reply" class="composer-label">
        {label}
      </label>
      <textarea
        ref={inputRef}
        id="reply"
        name="message"
        rows={3}
        maxLength={current === 'reply' ? MAX_BODY_CHARS : 4000}
        aria-describedby={error ? 'reply-hint reply-error' : 'reply-hint'}
        value={text}
        onKeyDown={onKeyDown}
        onInput={(e) => {
          const value = e.currentTarget.value;
          setText(value);
          drafts.set(conversationId, value);
          if (error) setError(null);
          // Notes and whispers are not typed "to" the customer: no typing indicator for them.
          if (value.trim() && current === 'reply') controller.typing(conversationId);
        }}
      />
      <p id="reply-hint" class="hint">
        {t('composer.hint')}
      </p>
      {error && (
        <p id="reply-error" class="field-error" role="alert">
          {t(error, { max: current === 'reply' ? MAX_BODY_CHARS : 4000 })}
        </p>
      )}
      <div class="composer-actions">
        <button type="submit" class="button button--primary" disabled={busy}>
          {submitText}
        </button>
        {current !== 'whisper' && (
          <button type="button" class="button" data-testid="console-canned-open" onClick={() => setCanned(true)}>
            {t('canned.button')}
          </button>
        )}
      </div>
      {canned && (
        <CannedDialog
          conversationId={conversationId}
          onInsert={insert}
          onClose={() => setCanned(false)}
          returnFocus={inputRef as RefObject<HTMLElement>}
        />
      )}
    </form>
  );
}

function EndChat({ c, onEnded }: { c: ConversationView; onEnded: () => void }) {
  const { controller, t } = useConsole();
  const [step, setStep] = useState<'idle' | 'confirm' | 'ending'>('idle');
  // With an accommodation, the agent confirms a written summary went out before the chat can end.
  const [summarySent, setSummarySent] = useState(false);
  const [summaryError, setSummaryError] = useState(false);
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
    if (endBlocker(c, summarySent)) {
      setSummaryError(true);
      return;
    }
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
        {c.accommodation && (
          <div class="end-accommodation">
            <p>{t('end.accommodation', { note: c.accommodation })}</p>
            <p>{t('accommodation.pace')}</p>
            <label class="choice">
              <input
                type="checkbox"
                data-testid="console-end-summary"
                checked={summarySent}
                aria-describedby={summaryError ? 'end-summary-error' : undefined}
                onChange={(e) => {
                  setSummarySent(e.currentTarget.checked);
                  setSummaryError(false);
                }}
              />{' '}
              {t('end.summaryConfirm')}
            </label>
            {summaryError && (
              <p id="end-summary-error" class="field-error" role="alert">
                {t('end.summaryRequired')}
              </p>
            )}
          </div>
        )}
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

function ClosedPanel({
  c,
  selfId,
  headingRef,
}: {
  c: ConversationView;
  selfId: string;
  headingRef: RefObject<HTMLHeadingElement>;
}) {
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
      {c.disposition && <p>{t('wrapup.recorded', { disposition: t(dispositionKey(c.disposition)) })}</p>}
      {needsWrapUp(c, selfId) && (
        <button
          type="button"
          class="button button--primary"
          data-testid="console-wrapup-open"
          onClick={() => controller.openWrapUp(c.id)}
        >
          {t('wrapup.button')}
        </button>
      )}
      <button type="button" class="button" data-testid="console-transcript" onClick={() => void download()}>
        {t('transcript.download')}
      </button>
    </div>
  );
}
