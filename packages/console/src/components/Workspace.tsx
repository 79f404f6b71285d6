import { useLayoutEffect, useRef } from 'preact/hooks';
import type { State, View } from '../state.js';
import { Board } from './Board.js';
import { CaseDeadlines } from './CaseDeadlines.js';
import { WrapUpDialog } from './ChatDialogs.js';
import { useConsole } from './context.js';
import { ConversationPane } from './Conversation.js';
import { CustomerPanel } from './CustomerPanel.js';
import { Header } from './Header.js';
import { Inbox } from './Inbox.js';
import { LiveRegion } from './LiveRegion.js';
import { NoticeBar } from './NoticeBar.js';
import { Offers } from './Offers.js';
import { Queues } from './Queues.js';

/** The signed-in layout: header, screen switcher, offers, the lists, and the chosen screen. */
export function Workspace({ state }: { state: State }) {
  const { controller } = useConsole();
  const agent = state.agent;
  const mainRef = useRef<HTMLElement>(null);
  // A screen switch moves focus to the new screen's heading, so the change is heard.
  const shownView = useRef(state.view);
  useLayoutEffect(() => {
    if (shownView.current === state.view) return;
    shownView.current = state.view;
    if (state.view !== 'chats') mainRef.current?.querySelector<HTMLElement>('h2[tabindex]')?.focus();
  }, [state.view]);

  if (!agent) return null;
  const active = state.activeId ? state.conversations[state.activeId] : undefined;
  const wrapUp = state.wrapUpId
    ? (state.conversations[state.wrapUpId]?.conversation ??
      state.awaitingWrapUp.find((c) => c.id === state.wrapUpId) ??
      null)
    : null;
  return (
    <div class="workspace">
      <Header agent={agent} connection={state.connection} />
      <ViewNav view={state.view} supervisor={agent.role === 'supervisor'} />
      <div class="workspace-body">
        <Inbox
          waiting={state.waiting}
          mine={state.mine}
          conversations={state.conversations}
          activeId={state.activeId}
          awaitingWrapUp={state.awaitingWrapUp}
        />
        <main class="conversation-pane" id="main" ref={mainRef}>
          <NoticeBar notice={state.notice} />
          <LiveRegion announcements={state.announcements} selfId={agent.id} />
          <Offers offers={state.offers} />
          {state.view === 'queues' && <Queues waiting={state.waiting} />}
          {state.view === 'board' && agent.role === 'supervisor' && <Board board={state.board} />}
          {state.view === 'deadlines' && agent.role === 'supervisor' && <CaseDeadlines />}
          {state.view === 'chats' && (
            <div class={`conversation-layout${active ? ' conversation-layout--with-panel' : ''}`}>
              <ConversationPane key={state.activeId ?? 'none'} entry={active} self={agent} />
              {active && (
                <CustomerPanel
                  key={active.conversation.id}
                  conversation={active.conversation}
                  entry={state.contexts[active.conversation.id]}
                />
              )}
            </div>
          )}
        </main>
      </div>
      {wrapUp && <WrapUpDialog key={wrapUp.id} c={wrapUp} onClose={() => controller.closeWrapUp()} />}
    </div>
  );
}

function ViewNav({ view, supervisor }: { view: View; supervisor: boolean }) {
  const { controller, t } = useConsole();
  const items: Array<[View, 'nav.chats' | 'nav.queues' | 'nav.board' | 'nav.deadlines']> = [
    ['chats', 'nav.chats'],
    ['queues', 'nav.queues'],
  ];
  if (supervisor) items.push(['board', 'nav.board'], ['deadlines', 'nav.deadlines']);
  return (
    <nav class="view-nav" aria-label={t('nav.label')}>
      <ul>
        {items.map(([v, key]) => (
          <li key={v}>
            <button
              type="button"
              class={`view-link${view === v ? ' view-link--active' : ''}`}
              aria-current={view === v ? 'page' : undefined}
              data-testid={`console-nav-${v}`}
              onClick={() => controller.setView(v)}
            >
              {t(key)}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
