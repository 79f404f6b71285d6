import type { State } from '../state.js';
import { ConversationPane } from './Conversation.js';
import { CustomerPanel } from './CustomerPanel.js';
import { Header } from './Header.js';
import { Inbox } from './Inbox.js';
import { LiveRegion } from './LiveRegion.js';
import { NoticeBar } from './NoticeBar.js';

/** The signed-in layout: header, the two lists, the open conversation and its customer panel. */
export function Workspace({ state }: { state: State }) {
  const agent = state.agent;
  if (!agent) return null;
  const active = state.activeId ? state.conversations[state.activeId] : undefined;
  return (
    <div class="workspace">
      <Header agent={agent} connection={state.connection} />
      <div class="workspace-body">
        <Inbox
          waiting={state.waiting}
          mine={state.mine}
          conversations={state.conversations}
          activeId={state.activeId}
        />
        <main class="conversation-pane" id="main">
          <NoticeBar notice={state.notice} />
          <LiveRegion announcements={state.announcements} selfId={agent.id} />
          <div class={`conversation-layout${active ? ' conversation-layout--with-panel' : ''}`}>
            <ConversationPane key={state.activeId ?? 'none'} entry={active} selfId={agent.id} />
            {active && (
              <CustomerPanel
                key={active.conversation.id}
                conversation={active.conversation}
                entry={state.contexts[active.conversation.id]}
              />
            )}
          </div>
        </main>
      </div>
    </div>
  );
}
