/**
 * Shapes `GET /api/conversations/:id/context` into what the customer panel shows. Pure, so every rule
 * (which card is "the chat's card", what a missing section looks like, masking) is unit-tested here and
 * the component only lays it out.
 */
import type {
  AssistantBrief,
  CardStatus,
  ConversationView,
  CustomerContextResponse,
  DisputeStatus,
  Language,
  Money,
  Replacement,
  Transaction,
  WalletToken,
} from '@carechat/protocol/client';
import { last4Only } from './format.js';
import type { ConsoleKey } from './i18n.js';

/** Section names the server may list in `unavailable` (see customer-context.service.ts). */
const KNOWN_SECTIONS = new Set(['card', 'cards', 'transactions', 'replacements', 'disputes']);

export interface PanelCard {
  id: string;
  last4: string;
  productName: string;
  /** Null when only the chat's own summary is known (card details unavailable). */
  status: CardStatus | null;
  activated: boolean;
  expiry: string | null;
}

export interface PanelWalletToken {
  id: string;
  wallet: WalletToken['wallet'];
  deviceName: string;
  status: WalletToken['status'];
}

export interface PanelReplacement {
  id: string;
  newCardLast4: string;
  reason: Replacement['reason'];
  method: Replacement['method'];
  status: Replacement['status'];
  estimatedDelivery: string;
}

export interface PanelTransaction {
  id: string;
  date: string;
  merchant: string;
  amount: Money;
  status: Transaction['status'];
}

/** An open billing-error dispute ("open case") with the dates the FCBA holds us to. */
export interface PanelDispute {
  id: string;
  reference: string;
  /** The merchant, and the cardmember's own words when they gave any. */
  merchant: string;
  description: string | null;
  cardLast4: string;
  amount: Money;
  status: DisputeStatus;
  acknowledgeBy: string;
  resolveBy: string;
}

/** A list section: its rows, or null with the note to show when the server could not answer it. */
export type Section<T> = { items: T[]; unavailable: null } | { items: null; unavailable: ConsoleKey };

export interface CustomerPanelView {
  name: string;
  language: Language;
  card: PanelCard;
  /** Set when the card's details (status, expiry) could not be read; the panel still shows the last 4. */
  cardUnavailable: ConsoleKey | null;
  walletTokens: Section<PanelWalletToken>;
  replacements: Section<PanelReplacement>;
  otherCards: Section<PanelCard>;
  transactions: Section<PanelTransaction>;
  disputes: Section<PanelDispute>;
  /** Notes for unavailable sections this console does not know by name. */
  otherNotes: ConsoleKey[];
  /** The assistant's hand-over note, shown first; null when the assistant has nothing to pass on. */
  assistant: AssistantBrief | null;
}

const list = <T>(value: T[] | null | undefined): T[] => (Array.isArray(value) ? value : []);

function section<T>(unavailable: boolean, note: ConsoleKey, items: T[]): Section<T> {
  return unavailable ? { items: null, unavailable: note } : { items, unavailable: null };
}

/**
 * Builds the panel's view of a context answer. `conversation` supplies the chat's card summary, so the
 * panel can always say which card the chat came from even when the card section is unavailable.
 */
export function shapeContext(data: CustomerContextResponse, conversation: ConversationView): CustomerPanelView {
  const unavailable = new Set(list(data.unavailable));
  const cards = list(data.cards);
  const chatCardId = data.card?.id ?? conversation.card.id;
  const summary = cards.find((c) => c.id === chatCardId) ?? null;
  const detail = data.card ?? summary;

  const card: PanelCard = detail
    ? {
        id: detail.id,
        last4: last4Only(detail.last4),
        productName: detail.product?.name ?? conversation.card.productName,
        status: detail.status,
        activated: detail.activated !== false,
        expiry: detail.expiry || null,
      }
    : {
        id: conversation.card.id,
        last4: last4Only(conversation.card.last4),
        productName: conversation.card.productName,
        status: null,
        activated: true,
        expiry: null,
      };

  // Wallet tokens only come with the card's details; without them we cannot say there are none.
  const tokens = data.card
    ? list(data.card.walletTokens).map((w) => ({
        id: w.id,
        wallet: w.wallet,
        deviceName: w.deviceName,
        status: w.status,
      }))
    : [];

  const replacements = list(data.openReplacements)
    .filter((r) => r.status !== 'delivered')
    .map((r) => ({
      id: r.id,
      newCardLast4: last4Only(r.newCardLast4),
      reason: r.reason,
      method: r.method,
      status: r.status,
      estimatedDelivery: r.estimatedDelivery,
    }));

  const otherCards = cards
    .filter((c) => c.id !== chatCardId)
    .map((c) => ({
      id: c.id,
      last4: last4Only(c.last4),
      productName: c.product?.name ?? '',
      status: c.status,
      activated: c.activated !== false,
      expiry: c.expiry || null,
    }));

  // Newest first; the sort is stable, so the server's order breaks ties.
  const transactions = list(data.recentTransactions)
    .filter((tx) => !tx.cardId || tx.cardId === chatCardId)
    .map((tx) => ({ id: tx.id, date: tx.date, merchant: tx.merchant, amount: tx.amount, status: tx.status }))
    .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));

  // Only disputes still being worked; the soonest resolution deadline first.
  const disputes = list(data.openDisputes)
    .filter((d) => d.status === 'open' || d.status === 'acknowledged')
    .map((d) => ({
      id: d.id,
      reference: d.reference,
      merchant: d.merchant,
      description: d.description?.trim() || null,
      cardLast4: last4Only(d.cardLast4),
      amount: { amountCents: d.amountCents, currency: 'USD' },
      status: d.status,
      acknowledgeBy: d.acknowledgeBy,
      resolveBy: d.resolveBy,
    }))
    .sort((a, b) => (a.resolveBy < b.resolveBy ? -1 : a.resolveBy > b.resolveBy ? 1 : 0));

  const cardMissing = unavailable.has('card') || !data.card;
  return {
    name: `${data.cardmember.firstName} ${data.cardmember.lastName}`.trim(),
    language: data.cardmember.language,
    card,
    cardUnavailable: cardMissing ? 'context.unavailable.card' : null,
    walletTokens: section(cardMissing, 'context.unavailable.wallets', tokens),
    replacements: section(unavailable.has('replacements'), 'context.unavailable.replacements', replacements),
    otherCards: section(unavailable.has('cards'), 'context.unavailable.cards', otherCards),
    transactions: section(unavailable.has('transactions'), 'context.unavailable.transactions', transactions),
    disputes: section(unavailable.has('disputes'), 'context.unavailable.disputes', disputes),
    otherNotes: [...unavailable].some((name) => !KNOWN_SECTIONS.has(name)) ? ['context.unavailable.other'] : [],
    assistant: data.assistant ?? null,
  };
}
