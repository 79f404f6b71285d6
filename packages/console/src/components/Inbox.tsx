import type { ConversationView } from '@carechat/protocol/client';
import { languageName, priorityKey, teamName, waitingTime } from '../format.js';
import type { ConversationEntry } from '../state.js';
import { useConsole, useNow } from './context.js';
import { TeamCases } from './TeamCases.js';

interface InboxProps {
  waiting: ConversationView[];
  mine: ConversationView[];
  conversations: Record<string, ConversationEntry>;
  activeId: string | null;
  awaitingWrapUp: ConversationView[];
}

/** The queue ("Waiting"), this agent's open chats ("My chats") and their teams' cases due ("Team cases due"). */
export function Inbox({ waiting, mine, conversations, activeId, awaitingWrapUp }: InboxProps) {
  const { controller, t } = useConsole();
  return (
    <nav class="inbox" aria-label={t('inbox.label')}>
      {awaitingWrapUp.length > 0 && (
        <section class="inbox-section">
          <h2 id="wrapup-heading">
            {t('wrapup.needed')} <span class="count">({awaitingWrapUp.length})</span>
          </h2>
          <ul class="chat-list" data-testid="console-wrapup-needed">
            {awaitingWrapUp.map((c) => (
              <li key={c.id}>
                <button
                  type="button"
                  class="chat-link"
                  onClick={() => {
                    controller.setView('chats');
                    void controller.open(c.id);
                    controller.openWrapUp(c.id);
                  }}
                >
                  {t('wrapup.neededItem', { name: c.cardmember.firstName, last4: c.card.last4 })}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section class="inbox-section">
        <h2 id="waiting-heading">
          {t('waiting.heading')} <span class="count">({waiting.length})</span>
        </h2>
        <WaitingList waiting={waiting} />
      </section>
      <section class="inbox-section">
        <h2 id="mine-heading">
          {t('mine.heading')} <span class="count">({mine.length})</span>
        </h2>
        <ul class="chat-list" data-testid="console-mine">
          {mine.length === 0 && <li class="empty">{t('mine.empty')}</li>}
          {mine.map((c) => (
            <MineItem key={c.id} c={c} unread={conversations[c.id]?.unread ?? 0} active={c.id === activeId} />
          ))}
        </ul>
      </section>
      <TeamCases />
    </nav>
  );
}

function WaitingList({ waiting }: { waiting: ConversationView[] }) {
  const { controller, t } = useConsole();
  const now = useNow(15_000);
  return (
    <ul class="chat-list" data-testid="console-waiting">
      {waiting.length === 0 && <li class="empty">{t('waiting.empty')}</li>}
      {waiting.map((c) => {
        const name = c.cardmember.firstName;
        const team = teamName(c);
        return (
          <li key={c.id} class="queue-item">
            <p class="queue-who">
              <span class="name">{name}</span>
              <Sep />
              <span class="nowrap">{t('card.ending', { last4: c.card.last4 })}</span>
            </p>
            <p class="queue-meta">
              <span>{languageName(t, c.language)}</span>
              {team && (
                <>
                  <Sep />
                  <span>{t('team.named', { team })}</span>
                </>
              )}
              <Sep />
              <span class="nowrap">{t('waiting.for', { time: waitingTime(t, c.queuedAt ?? c.createdAt, now) })}</span>
            </p>
            <PriorityTag c={c} />
            <button
              type="button"
              class="button button--primary button--small"
              data-testid="console-accept"
              aria-label={t('waiting.acceptLabel', { name, last4: c.card.last4 })}
              onClick={() => void controller.accept(c.id)}
            >
              {t('waiting.accept')}
            </button>
          </li>
        );
      })}
    </ul>
  );
}

function MineItem({ c, unread, active }: { c: ConversationView; unread: number; active: boolean }) {
  const { controller, t } = useConsole();
  return (
    <li>
      <button
        type="button"
        class={active ? 'chat-link chat-link--active' : 'chat-link'}
        aria-current={active ? 'true' : undefined}
        onClick={() => void controller.open(c.id)}
      >
        <span class="name">{c.cardmember.firstName}</span>
        <Sep />
        <span class="nowrap">{t('card.ending', { last4: c.card.last4 })}</span>
        {unread > 0 && <span class="badge">{t('mine.unread', { count: unread })}</span>}
      </button>
    </li>
  );
}

function PriorityTag({ c }: { c: ConversationView }) {
  const { t } = useConsole();
  const key = priorityKey(c);
  if (!key) return null;
  return (
    <p class="queue-meta">
      <span class={`tag tag--${key === 'priority.fraud' ? 'bad' : 'warn'}`}>{t(key, { n: c.priority ?? 0 })}</span>
    </p>
  );
}

/** A dot for the eye, a comma for the ear. */
function Sep() {
  return (
    <span class="sep">
      <span aria-hidden="true">{' · '}</span>
      <span class="visually-hidden">, </span>
    </span>
  );
}
