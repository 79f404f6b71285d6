import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ChatController } from '../controller.js';
import type { WidgetConfig } from '../config.js';
import { errorKey, widgetT } from '../i18n.js';
import { currentQuickReplies, statusLine, visibleOutbox, type ViewState } from '../state.js';
import { ClosedBar } from './ClosedBar.js';
import { Csat } from './Csat.js';
import { Composer } from './Composer.js';
import { EndChatButton, EndChatConfirm } from './EndChat.js';
import { CloseIcon } from './icons.js';
import { MessageList } from './MessageList.js';
import { SignedOutBar, SignOutButton, SignOutConfirm } from './SignOut.js';
import { StepUp } from './StepUp.js';
import { Accommodation } from './Accommodation.js';
import { WaitingCard } from './WaitingCard.js';

interface Props {
  state: ViewState;
  config: WidgetConfig;
  controller: ChatController;
  /** Set by the launcher (and retry / new chat): move focus into the message box on the next change. */
  focusOnOpen: { current: boolean };
  onClose(): void;
}

/** Whether focus is nowhere useful (on the body, or on an element that just went away or got disabled). */
function focusLost(panel: HTMLElement | null): boolean {
  const active = document.activeElement;
  return (
    !active ||
    active === document.body ||
    !active.isConnected ||
    (!!panel && panel.contains(active) && (active as HTMLButtonElement).disabled === true)
  );
}

/** The chat panel: a non-modal dialog with header, log, status lines and the message box. */
export function Panel({ state, config, controller, focusOnOpen, onClose }: Props) {
  const t = widgetT(state.lang);
  const panel = useRef<HTMLElement>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const endButton = useRef<HTMLButtonElement>(null);
  const closedNotice = useRef<HTMLParagraphElement>(null);
  const errorBox = useRef<HTMLDivElement>(null);
  const [draft, setDraft] = useState('');
  const [confirming, setConfirmingState] = useState(false);
  const signOutButton = useRef<HTMLButtonElement>(null);
  const [signOutConfirming, setSignOutConfirmingState] = useState(false);

  const c = state.conversation;
  const closed = c?.status === 'closed';
  const signedOut = state.phase === 'signedOut';
  const inputDisabled = state.phase === 'error' || closed || signedOut;
  const problem = state.phase === 'error' ? state.error : state.notice;

  const title = c
    ? config.bankName
      ? t('titleBank', { bank: config.bankName, last4: c.card.last4 })
      : t('titleCard', { last4: c.card.last4 })
    : t('titleDefault');
  // The closed notice and the waiting card have their own place below; the header would only repeat them.
  const status = closed || c?.status === 'queued' ? null : statusLine(c, state.lang);
  const connectionLine =
    state.phase === 'starting' || state.connection === 'connecting'
      ? t('connecting')
      : state.connection === 'reconnecting' && !closed
        ? t('reconnecting')
        : null;

  // Opening from the launcher puts the cursor in the message box, or on what explains why it is off.
  useLayoutEffect(() => {
    if (!state.open || !focusOnOpen.current) return;
    focusOnOpen.current = false;
    if (!inputDisabled) input.current?.focus();
    else if (closed || signedOut) closedNotice.current?.focus();
    else errorBox.current?.focus();
  }, [state.open, state.phase, inputDisabled]);

  // When the chat ends or fails under the user's hands, land focus on what explains it.
  useLayoutEffect(() => {
    if (!state.open || !focusLost(panel.current)) return;
    if (closed || signedOut) closedNotice.current?.focus();
    else if (state.phase === 'error') errorBox.current?.focus();
  }, [closed, state.phase, state.open]);

  useEffect(() => {
    if (closed) setConfirmingState(false);
    if (signedOut) setSignOutConfirmingState(false);
  }, [closed, signedOut]);

  const setConfirming = (value: boolean) => {
    setConfirmingState(value);
    if (value) setSignOutConfirmingState(false);
    else endButton.current?.focus();
  };
  const setSignOutConfirming = (value: boolean) => {
    setSignOutConfirmingState(value);
    if (value) setConfirmingState(false);
    else signOutButton.current?.focus();
  };

  const quickReplies = currentQuickReplies(state);

  return (
    <section
      ref={panel}
      class="cc-panel"
      role="dialog"
      aria-modal="false"
      aria-labelledby="carechat-title"
      lang={state.lang}
      hidden={!state.open}
      data-testid="cc-panel"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !e.defaultPrevented) {
          e.preventDefault();
          onClose();
        }
      }}
    >
      <header class="cc-header">
        <div class="cc-heading">
          <h2 id="carechat-title" class="cc-title">
            {title}
          </h2>
          {status && (
            <p class="cc-status" data-testid="cc-status">
              {status}
            </p>
          )}
          {connectionLine && <p class="cc-connection">{connectionLine}</p>}
        </div>
        <div class="cc-header-actions">
          {c && !closed && state.phase === 'ready' && (
            <EndChatButton t={t} setConfirming={setConfirming} buttonRef={endButton} />
          )}
          {c && state.phase === 'ready' && (
            <SignOutButton t={t} onClick={() => setSignOutConfirming(true)} buttonRef={signOutButton} />
          )}
          <button type="button" class="cc-btn cc-btn--icon" aria-label={t('close')} onClick={onClose}>
            <CloseIcon />
          </button>
        </div>
      </header>

      <EndChatConfirm
        t={t}
        confirming={confirming && !closed}
        setConfirming={setConfirming}
        onEnd={() => void controller.end()}
      />

      <SignOutConfirm
        t={t}
        confirming={signOutConfirming && state.phase === 'ready'}
        setConfirming={setSignOutConfirming}
        onConfirm={() => void controller.signOut()}
      />

      {!signedOut && <Accommodation state={state} controller={controller} />}

      <MessageList
        t={t}
        lang={state.lang}
        messages={state.messages}
        outbox={visibleOutbox(state)}
        redacted={state.redacted}
        onRetry={(id) => controller.retrySend(id)}
        onEdit={(id) => {
          setDraft(controller.takeBack(id));
          input.current?.focus();
        }}
      />

      {!signedOut && (
        <WaitingCard
          t={t}
          lang={state.lang}
          conversation={c}
          fraudNotice={!!c && state.fraudNotice === c.id}
          onKeepChatting={() => input.current?.focus()}
        />
      )}

      {state.typing && !closed && !signedOut && <p class="cc-typing">{t('typing', { name: state.typing })}</p>}

      {quickReplies.length > 0 && (
        <div class="cc-quick" role="group" aria-label={t('quickReplies')}>
          {quickReplies.map((reply) => (
            <button
              key={reply}
              type="button"
              class="cc-btn cc-btn--chip"
              onClick={() => {
                if (controller.send(reply)) input.current?.focus();
              }}
            >
              {reply}
            </button>
          ))}
        </div>
      )}

      <StepUp state={state} controller={controller} />

      {problem && (
        <div ref={errorBox} class="cc-error" role="alert" tabIndex={-1} data-testid="cc-error">
          <p>{t(errorKey(problem))}</p>
          {state.phase === 'error' ? (
            <button
              type="button"
              class="cc-btn"
              onClick={() => {
                focusOnOpen.current = true;
                void controller.start();
              }}
            >
              {t('tryAgain')}
            </button>
          ) : (
            <button type="button" class="cc-btn cc-btn--small" onClick={() => controller.dismissNotice()}>
              {t('dismiss')}
            </button>
          )}
        </div>
      )}

      {signedOut && <SignedOutBar t={t} by={state.signedOut ?? 'revoked'} noticeRef={closedNotice} />}

      {closed && !signedOut && (
        <Csat state={state} controller={controller} afterSkip={() => closedNotice.current?.focus()} />
      )}

      {closed && !signedOut && (
        <ClosedBar
          t={t}
          noticeRef={closedNotice}
          onTranscript={() => void controller.downloadTranscript()}
          onNewChat={() => {
            focusOnOpen.current = true;
            void controller.newChat();
          }}
        />
      )}

      <Composer
        t={t}
        draft={draft}
        setDraft={setDraft}
        disabled={inputDisabled}
        inputRef={input}
        onSend={(text) => controller.send(text)}
        onTyping={(empty) => controller.typing.input(empty)}
      />
    </section>
  );
}
