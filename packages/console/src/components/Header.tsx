import { useLayoutEffect, useRef } from 'preact/hooks';
import type { AgentStatus, AgentView, ChosenAgentState } from '@carechat/protocol/client';
import type { ConsoleKey } from '../i18n.js';
import type { ConnectionStatus } from '../socket.js';
import { useConsole } from './context.js';

const STATUS_TEXT: Record<AgentStatus, ConsoleKey> = {
  available: 'status.current.available',
  busy: 'status.current.busy',
  away: 'status.current.away',
  wrap_up: 'status.current.wrap_up',
  offline: 'status.current.offline',
};

const CONNECTION_TEXT: Record<ConnectionStatus, ConsoleKey> = {
  connecting: 'connection.connecting',
  online: 'connection.online',
  reconnecting: 'connection.reconnecting',
  stopped: 'connection.stopped',
};

/** Product name, who is signed in, availability, connection state and sign-out. */
export function Header({ agent, connection }: { agent: AgentView; connection: ConnectionStatus }) {
  const { controller, t } = useConsole();
  const headingRef = useRef<HTMLHeadingElement>(null);

  // Arriving in the workspace is a screen change: start keyboard and screen reader users at the top.
  useLayoutEffect(() => {
    headingRef.current?.focus();
  }, []);

  return (
    <header class="app-header">
      <h1 class="app-name" ref={headingRef} tabIndex={-1}>
        {t('app.name')}
      </h1>
      <p class="signed-in">{t('header.signedInAs', { name: agent.displayName })}</p>
      <div class="status-control">
        <label for="agent-status">{t('status.label')}</label>
        <select
          id="agent-status"
          data-testid="console-status"
          value={agent.status}
          aria-describedby="agent-status-text"
          onChange={(e) => void controller.setStatus(e.currentTarget.value as ChosenAgentState)}
        >
          {/* wrap_up is set by the server; shown so the select tells the truth, but not choosable. */}
          {agent.status === 'wrap_up' && (
            <option value="wrap_up" disabled>
              {t('status.wrap_up')}
            </option>
          )}
          <option value="available">{t('status.available')}</option>
          <option value="busy">{t('status.busy')}</option>
          <option value="away">{t('status.away')}</option>
          <option value="offline">{t('status.offline')}</option>
        </select>
        <span id="agent-status-text" class={`status-text status-text--${agent.status}`}>
          {t(STATUS_TEXT[agent.status])}
        </span>
      </div>
      <p class={`connection connection--${connection}`}>{t(CONNECTION_TEXT[connection])}</p>
      <button type="button" class="button" data-testid="console-signout" onClick={() => void controller.logout()}>
        {t('header.signOut')}
      </button>
    </header>
  );
}
