import { useState } from 'preact/hooks';
import type { SupervisorBoard } from '@carechat/protocol/client';
import { boardView } from '../live-view.js';
import { BargeDialog, WhisperDialog } from './ChatDialogs.js';
import { useConsole } from './context.js';

type Pending = { kind: 'whisper' | 'barge'; conversationId: string } | null;

/** The supervisor board: queues, agents, SLA breaches and escalations, live from `board` frames. */
export function Board({ board }: { board: SupervisorBoard | null }) {
  const { controller, t, lang } = useConsole();
  const [pending, setPending] = useState<Pending>(null);
  if (!board) {
    return (
      <section class="board" aria-labelledby="board-heading">
        <h2 id="board-heading" tabIndex={-1}>
          {t('board.heading')}
        </h2>
        <p class="loading-note">{t('board.loading')}</p>
      </section>
    );
  }
  const view = boardView(t, board, lang);
  const close = () => setPending(null);

  return (
    <section class="board" aria-labelledby="board-heading" data-testid="console-board">
      <div class="board-head">
        <h2 id="board-heading" tabIndex={-1}>
          {t('board.heading')}
        </h2>
        <p class="hint">{view.updated}</p>
        <button type="button" class="button button--small" onClick={() => void controller.loadBoard()}>
          {t('board.refresh')}
        </button>
      </div>

      <h3>{t('board.queues')}</h3>
      {view.queues.length === 0 ? (
        <p class="empty">{t('board.queues.empty')}</p>
      ) : (
        <table class="data-table" data-testid="console-board-queues">
          <caption>{t('board.queues.caption', { sla: view.sla })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('board.col.team')}</th>
              <th scope="col">{t('board.col.language')}</th>
              <th scope="col" class="num">
                {t('board.col.depth')}
              </th>
              <th scope="col">{t('board.col.oldest')}</th>
              <th scope="col">{t('board.col.estimate')}</th>
              <th scope="col">{t('board.col.agents')}</th>
              <th scope="col">{t('board.col.hours')}</th>
              <th scope="col">{t('board.col.sla')}</th>
              <th scope="col">{t('board.col.csat')}</th>
            </tr>
          </thead>
          <tbody>
            {view.queues.map((q) => (
              <tr key={q.key} class={q.breaches > 0 ? 'row--alert' : undefined}>
                <th scope="row">{q.team}</th>
                <td>{q.language}</td>
                <td class="num">{q.depth}</td>
                <td>{q.oldest}</td>
                <td>{q.estimate}</td>
                <td>{q.agents}</td>
                <td>{q.open ? q.hours : <span class="tag tag--neutral">{q.hours}</span>}</td>
                <td>{q.breaches > 0 ? <span class="tag tag--bad">{q.breachText}</span> : q.breachText}</td>
                <td>{q.csat}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3>{t('board.agents')}</h3>
      {view.agents.length === 0 ? (
        <p class="empty">{t('board.agents.empty')}</p>
      ) : (
        <table class="data-table" data-testid="console-board-agents">
          <caption>{t('board.agents.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('board.col.name')}</th>
              <th scope="col">{t('board.col.state')}</th>
              <th scope="col">{t('board.col.load')}</th>
              <th scope="col">{t('board.col.skills')}</th>
              <th scope="col">{t('board.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {view.agents.map((a) => (
              <tr key={a.id}>
                <th scope="row">
                  {a.name} <span class="hint">({a.role})</span>
                </th>
                <td>
                  {a.stateSince}
                  {a.connection && <span class="hint"> · {a.connection}</span>}
                </td>
                <td>{a.load}</td>
                <td>{a.skills}</td>
                <td>
                  <ul class="plain-list">
                    {a.conversations.map((conv) => (
                      <li key={conv.id}>
                        <span class="visually-hidden">{conv.label}: </span>
                        <ChatButtons id={conv.id} chat={conv.label} onPick={setPending} />
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3>{t('board.breaches')}</h3>
      {view.breaches.length === 0 ? (
        <p class="empty">{t('board.breaches.empty')}</p>
      ) : (
        <ul class="board-list" data-testid="console-board-breaches">
          {view.breaches.map((b) => (
            <li key={b.conversationId}>
              <span class="tag tag--bad">{t('board.col.sla')}</span> {b.text}{' '}
              <button
                type="button"
                class="button button--small"
                aria-label={t('monitor.label', { chat: b.chat })}
                onClick={() => void controller.monitor(b.conversationId).then((k) => k && controller.notify(k))}
              >
                {t('monitor.button')}
              </button>
            </li>
          ))}
        </ul>
      )}

      <h3>{t('board.escalations')}</h3>
      {view.escalations.length === 0 ? (
        <p class="empty">{t('board.escalations.empty')}</p>
      ) : (
        <ul class="board-list" data-testid="console-board-escalations">
          {view.escalations.map((e) => (
            <li key={e.conversationId}>
              {e.text} <ChatButtons id={e.conversationId} chat={e.chat} onPick={setPending} />
            </li>
          ))}
        </ul>
      )}

      {pending?.kind === 'whisper' && <WhisperDialog conversationId={pending.conversationId} onClose={close} />}
      {pending?.kind === 'barge' && <BargeDialog conversationId={pending.conversationId} onClose={close} />}
    </section>
  );
}

/** Monitor, Whisper and Barge in for one chat. Top-level so a board update keeps focus on its button. */
function ChatButtons({ id, chat, onPick }: { id: string; chat: string; onPick: (p: Pending) => void }) {
  const { controller, t } = useConsole();
  return (
    <span class="chat-buttons">
      <button
        type="button"
        class="button button--small"
        aria-label={t('monitor.label', { chat })}
        onClick={() => void controller.monitor(id).then((k) => k && controller.notify(k))}
      >
        {t('monitor.button')}
      </button>
      <button
        type="button"
        class="button button--small"
        aria-label={t('whisper.label', { chat })}
        onClick={() => onPick({ kind: 'whisper', conversationId: id })}
      >
        {t('whisper.button')}
      </button>
      <button
        type="button"
        class="button button--small"
        aria-label={t('barge.label', { chat })}
        onClick={() => onPick({ kind: 'barge', conversationId: id })}
      >
        {t('barge.button')}
      </button>
    </span>
  );
}
