import { useLayoutEffect, useRef } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import type { CardStatus, ConversationView, DisputeStatus } from '@carechat/protocol/client';
import {
  shapeContext,
  type CustomerPanelView,
  type PanelCard,
  type PanelDispute,
  type PanelTransaction,
  type Section,
} from '../customer-context.js';
import {
  cardStatusKey,
  formatDate,
  formatMoney,
  languageName,
  replacementReasonKey,
  replacementStatusKey,
  shippingKey,
  tokenStatusKey,
  transactionStatusKey,
  walletKey,
} from '../format.js';
import type { CustomerContextEntry } from '../state.js';
import { useConsole } from './context.js';
import { CasePanel } from './CasePanel.js';
import { Accommodation } from './Conversation.js';

interface CustomerPanelProps {
  conversation: ConversationView;
  entry: CustomerContextEntry | undefined;
}

/**
 * The "Customer" region beside the open chat: who the cardmember is, the card the chat started from
 * and what is going on with it. Presentational: the controller loads, customer-context.ts shapes.
 */
export function CustomerPanel({ conversation, entry }: CustomerPanelProps) {
  const { controller, t } = useConsole();
  const refreshRef = useRef<HTMLButtonElement>(null);
  const id = conversation.id;
  const loading = !entry || entry.loading;
  const error = entry?.error ?? null;
  const view = entry?.data ? shapeContext(entry.data, conversation) : null;

  // A successful retry removes the error block and its button; do not leave focus on <body>.
  const hadError = useRef(false);
  useLayoutEffect(() => {
    const adrift = !document.activeElement || document.activeElement === document.body;
    if (hadError.current && !error && adrift) refreshRef.current?.focus();
    hadError.current = !!error;
  }, [error]);

  const reload = () => void controller.loadContext(id);

  return (
    <section
      class="customer-panel"
      aria-labelledby="customer-heading"
      aria-busy={loading ? 'true' : 'false'}
      data-testid="console-context"
    >
      <div class="customer-head">
        <h3 id="customer-heading">{t('context.heading')}</h3>
        <p class="customer-progress">{loading && view ? t('context.updating') : ''}</p>
        <button
          ref={refreshRef}
          type="button"
          class="button button--small"
          data-testid="console-context-refresh"
          onClick={reload}
        >
          {t('context.refresh')}
        </button>
      </div>
      {conversation.accommodation && <Accommodation note={conversation.accommodation} />}
      {loading && !view && <p class="loading-note">{t('context.loading')}</p>}
      {error && (
        <div class="customer-error">
          <p>{view ? t('context.error.stale') : t(error)}</p>
          <button type="button" class="button button--small" onClick={reload}>
            {t('context.retry')}
          </button>
        </div>
      )}
      {view && <Details view={view} />}
      <CasePanel conversation={conversation} />
    </section>
  );
}

/** The assistant's hand-over note: why the chat came to a person and what was already done. */
function AssistantBriefBlock({ brief }: { brief: NonNullable<CustomerPanelView['assistant']> }) {
  const { t } = useConsole();
  const details = brief.openTask ? Object.entries(brief.openTask.details) : [];
  return (
    <div class="customer-section assistant-brief" data-testid="console-assistant-brief">
      <h4>{t('context.assistant.heading')}</h4>
      {brief.summary && <p>{brief.summary}</p>}
      {brief.topics.length > 0 && <p>{t('context.assistant.topics', { topics: brief.topics.join(', ') })}</p>}
      {brief.openTask && (
        <p>
          {t('context.assistant.openTask', { intent: brief.openTask.intent })}
          {details.length > 0 && ` (${details.map(([k, v]) => `${k}: ${v}`).join('; ')})`}
        </p>
      )}
      {brief.done.length > 0 && (
        <>
          <p class="strong">{t('context.assistant.done')}</p>
          <ul class="customer-list">
            {brief.done.map((d, i) => (
              <li key={i}>
                {d.description}
                {d.reference && ` — ${t('context.assistant.reference', { reference: d.reference })}`}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function Details({ view }: { view: CustomerPanelView }) {
  const { t, lang } = useConsole();
  return (
    <>
      {view.assistant && <AssistantBriefBlock brief={view.assistant} />}
      <dl class="facts">
        <Fact label={t('context.name')}>{view.name}</Fact>
        <Fact label={t('context.language')}>{languageName(t, view.language)}</Fact>
      </dl>

      <div class="customer-section">
        <h4>{t('context.card.heading')}</h4>
        <CardFacts card={view.card} />
        {view.cardUnavailable && <p class="unavailable">{t(view.cardUnavailable)}</p>}
      </div>

      <SectionBlock
        heading={t('context.wallets.heading')}
        section={view.walletTokens}
        empty={t('context.wallets.empty')}
      >
        {(items) => (
          <ul class="customer-list">
            {items.map((w) => (
              <li key={w.id}>
                {t('context.wallets.item', { wallet: t(walletKey(w.wallet)), device: w.deviceName })}{' '}
                <StatusTag tone={w.status === 'active' ? 'ok' : 'warn'}>{t(tokenStatusKey(w.status))}</StatusTag>
              </li>
            ))}
          </ul>
        )}
      </SectionBlock>

      <SectionBlock
        heading={t('context.replacements.heading')}
        section={view.replacements}
        empty={t('context.replacements.empty')}
      >
        {(items) => (
          <ul class="customer-list">
            {items.map((r) => (
              <li key={r.id}>
                <p class="strong">{t('context.replacements.newCard', { last4: r.newCardLast4 })}</p>
                <p>{t('context.replacements.reason', { reason: t(replacementReasonKey(r.reason)) })}</p>
                <p>{t('context.replacements.method', { method: t(shippingKey(r.method)) })}</p>
                <p>{t('context.replacements.status', { status: t(replacementStatusKey(r.status)) })}</p>
                <p>{t('context.replacements.eta', { date: formatDate(r.estimatedDelivery, lang) })}</p>
              </li>
            ))}
          </ul>
        )}
      </SectionBlock>

      <SectionBlock heading={t('context.disputes.heading')} section={view.disputes} empty={t('context.disputes.empty')}>
        {(items) => <Disputes items={items} />}
      </SectionBlock>

      <SectionBlock
        heading={t('context.otherCards.heading')}
        section={view.otherCards}
        empty={t('context.otherCards.empty')}
      >
        {(items) => (
          <ul class="customer-list">
            {items.map((c) => (
              <li key={c.id}>
                <p class="strong">{c.productName}</p>
                <p>
                  {t('context.cardEnding', { last4: c.last4 })} {c.status && <CardStatusTag status={c.status} />}
                  {!c.activated && (
                    <>
                      {' '}
                      <StatusTag tone="warn">{t('context.card.notActivated')}</StatusTag>
                    </>
                  )}
                </p>
              </li>
            ))}
          </ul>
        )}
      </SectionBlock>

      <SectionBlock
        heading={t('context.transactions.heading')}
        section={view.transactions}
        empty={t('context.transactions.empty')}
      >
        {(items) => <Transactions items={items} last4={view.card.last4} />}
      </SectionBlock>

      {view.otherNotes.map((key) => (
        <p key={key} class="unavailable">
          {t(key)}
        </p>
      ))}
    </>
  );
}

/** A titled block that shows its rows, an "empty" line, or the note for an unavailable section. */
function SectionBlock<T>({
  heading,
  section,
  empty,
  children,
}: {
  heading: string;
  section: Section<T>;
  empty: string;
  children: (items: T[]) => ComponentChildren;
}) {
  const { t } = useConsole();
  return (
    <div class="customer-section">
      <h4>{heading}</h4>
      {section.items === null ? (
        <p class="unavailable">{t(section.unavailable)}</p>
      ) : section.items.length === 0 ? (
        <p class="empty">{empty}</p>
      ) : (
        children(section.items)
      )}
    </div>
  );
}

function Fact({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function CardFacts({ card }: { card: PanelCard }) {
  const { t } = useConsole();
  return (
    <dl class="facts">
      <Fact label={t('context.card.product')}>{card.productName}</Fact>
      <Fact label={t('context.card.number')}>{t('context.cardEnding', { last4: card.last4 })}</Fact>
      {card.status && (
        <Fact label={t('context.card.status')}>
          <CardStatusTag status={card.status} />
          {!card.activated && (
            <>
              {' '}
              <StatusTag tone="warn">{t('context.card.notActivated')}</StatusTag>
            </>
          )}
        </Fact>
      )}
      {card.expiry && <Fact label={t('context.card.expiry')}>{card.expiry}</Fact>}
    </dl>
  );
}

function Transactions({ items, last4 }: { items: PanelTransaction[]; last4: string }) {
  const { t, lang } = useConsole();
  return (
    <table class="transactions" data-testid="console-context-transactions">
      <caption>{t('context.transactions.caption', { last4 })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('context.transactions.date')}</th>
          <th scope="col">{t('context.transactions.merchant')}</th>
          <th scope="col" class="num">
            {t('context.transactions.amount')}
          </th>
          <th scope="col">{t('context.transactions.status')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((tx) => (
          <tr key={tx.id}>
            <td>
              <time dateTime={tx.date}>{formatDate(tx.date, lang)}</time>
            </td>
            <td>{tx.merchant}</td>
            <td class="num nowrap">{formatMoney(tx.amount, lang)}</td>
            <td>
              {tx.status === 'pending' ? (
                <StatusTag tone="warn">{t(transactionStatusKey(tx.status))}</StatusTag>
              ) : (
                t(transactionStatusKey(tx.status))
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Open disputes ("open cases"): what is disputed, for how much, and the FCBA dates the issuer must meet. */
function Disputes({ items }: { items: PanelDispute[] }) {
  const { t, lang } = useConsole();
  return (
    <ul class="customer-list" data-testid="console-context-disputes">
      {items.map((d) => (
        <li key={d.id}>
          <p class="strong">
            {d.merchant} — {t('context.disputes.reference', { reference: d.reference })}
          </p>
          {d.description && <p>{d.description}</p>}
          <p>{t('context.cardEnding', { last4: d.cardLast4 })}</p>
          <p>{t('context.disputes.amount', { amount: formatMoney(d.amount, lang) })}</p>
          <p>{t('context.disputes.status', { status: t(DISPUTE_STATUS_KEYS[d.status]) })}</p>
          <p>{t('context.disputes.acknowledgeBy', { date: formatDate(d.acknowledgeBy, lang) })}</p>
          <p>{t('context.disputes.resolveBy', { date: formatDate(d.resolveBy, lang) })}</p>
        </li>
      ))}
    </ul>
  );
}

const DISPUTE_STATUS_KEYS = {
  open: 'dispute.status.open',
  acknowledged: 'dispute.status.acknowledged',
  resolved_in_favor: 'dispute.status.resolved_in_favor',
  resolved_against: 'dispute.status.resolved_against',
  withdrawn: 'dispute.status.withdrawn',
} as const satisfies Record<DisputeStatus, string>;

type Tone = 'ok' | 'warn' | 'bad' | 'neutral';

const CARD_TONES: Record<CardStatus, Tone> = {
  active: 'ok',
  locked: 'warn',
  lost: 'bad',
  stolen: 'bad',
  damaged: 'warn',
  replaced: 'neutral',
  closed: 'neutral',
};

function CardStatusTag({ status }: { status: CardStatus }) {
  const { t } = useConsole();
  return <StatusTag tone={CARD_TONES[status] ?? 'neutral'}>{t(cardStatusKey(status))}</StatusTag>;
}

/** A status word in a tinted outline: the word carries the meaning, the colour only repeats it. */
function StatusTag({ tone, children }: { tone: Tone; children: ComponentChildren }) {
  return <span class={`tag tag--${tone}`}>{children}</span>;
}
