import type { ConversationView } from '@carechat/protocol/client';
import { languageName, priorityKey, teamName, waitingTime } from '../format.js';
import { sortQueue } from '../live-view.js';
import { useConsole, useNow } from './context.js';

/** The team queues' waiting chats as a table: priority and wait time, and a direct "Take". */
export function Queues({ waiting }: { waiting: ConversationView[] }) {
  const { controller, t } = useConsole();
  const now = useNow(15_000);
  const rows = sortQueue(waiting);
  return (
    <section class="queues" aria-labelledby="queues-heading" data-testid="console-queues">
      <h2 id="queues-heading" tabIndex={-1}>
        {t('queues.heading')}
      </h2>
      {rows.length === 0 ? (
        <p class="empty">{t('queues.empty')}</p>
      ) : (
        <table class="data-table">
          <caption>{t('queues.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('queues.customer')}</th>
              <th scope="col">{t('queues.team')}</th>
              <th scope="col">{t('queues.language')}</th>
              <th scope="col">{t('queues.priority')}</th>
              <th scope="col">{t('queues.wait')}</th>
              <th scope="col">{t('queues.action')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => {
              const p = priorityKey(c);
              return (
                <tr key={c.id}>
                  <th scope="row">
                    {c.cardmember.firstName}, {t('card.ending', { last4: c.card.last4 })}
                  </th>
                  <td>{teamName(c) ?? ''}</td>
                  <td>{languageName(t, c.language)}</td>
                  <td>
                    {p ? (
                      <span class={`tag tag--${p === 'priority.fraud' ? 'bad' : 'warn'}`}>
                        {t(p, { n: c.priority ?? 0 })}
                      </span>
                    ) : (
                      t('priority.normal')
                    )}
                  </td>
                  <td>{waitingTime(t, c.queuedAt ?? c.createdAt, now)}</td>
                  <td>
                    <button
                      type="button"
                      class="button button--primary button--small"
                      aria-label={t('waiting.acceptLabel', { name: c.cardmember.firstName, last4: c.card.last4 })}
                      onClick={() => void controller.accept(c.id).then((ok) => ok && controller.setView('chats'))}
                    >
                      {t('queues.take')}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
