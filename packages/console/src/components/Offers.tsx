import type { OfferView } from '@carechat/protocol/client';
import { offerCard } from '../live-view.js';
import { useConsole, useNow } from './context.js';

/**
 * Chats offered to this agent, each with a visible countdown and Accept / Decline. New offers and the
 * "10 seconds left" warning are announced by the workspace live region, not by the ticking number.
 */
export function Offers({ offers }: { offers: OfferView[] }) {
  const { t } = useConsole();
  const now = useNow(1_000);
  if (offers.length === 0) return null;
  return (
    <section class="offers" aria-labelledby="offers-heading" data-testid="console-offers">
      <h2 id="offers-heading">
        {t('offers.heading')} <span class="count">({offers.length})</span>
      </h2>
      <ul class="offer-list">
        {offers.map((o) => (
          <OfferItem key={o.id} offer={o} now={now} />
        ))}
      </ul>
    </section>
  );
}

function OfferItem({ offer, now }: { offer: OfferView; now: number }) {
  const { controller, t } = useConsole();
  const card = offerCard(t, offer, now);
  const labels = { name: card.name, last4: card.last4 };
  return (
    <li class={`offer offer--${offer.kind}`} data-testid="console-offer">
      <p class="offer-kind strong">{t(card.kindKey)}</p>
      <p class="offer-who">{t('offer.title', labels)}</p>
      <p class="queue-meta">
        <span>{card.language}</span>
        {card.team && <span>{`, ${t('team.named', { team: card.team })}`}</span>}
        {card.priorityKey && (
          <>
            {' '}
            <span class={`tag tag--${card.priorityKey === 'priority.fraud' ? 'bad' : 'warn'}`}>
              {t(card.priorityKey, { n: card.priority })}
            </span>
          </>
        )}
      </p>
      {card.note && <p class="offer-note">{t('offer.note', { note: card.note })}</p>}
      {/* The number ticks every second; it is not a live region (the 10 s warning is announced once). */}
      <p class="offer-countdown">
        <time dateTime={offer.expiresAt}>{t('offer.expiresIn', { seconds: card.secondsLeft })}</time>
      </p>
      <div class="offer-actions">
        <button
          type="button"
          class="button button--primary button--small"
          data-testid="console-offer-accept"
          aria-label={t('offer.acceptLabel', labels)}
          onClick={() => void controller.acceptOffer(offer.id)}
        >
          {t('offer.accept')}
        </button>
        <button
          type="button"
          class="button button--small"
          data-testid="console-offer-decline"
          aria-label={t('offer.declineLabel', labels)}
          onClick={() => void controller.declineOffer(offer.id)}
        >
          {t('offer.decline')}
        </button>
      </div>
    </li>
  );
}
