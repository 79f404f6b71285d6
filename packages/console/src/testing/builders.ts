/** Test data builders (not fixtures): each returns a fresh valid object, overridable per test. */
import type {
  AgentView,
  CardDetail,
  CardSummary,
  ConversationView,
  CustomerContextResponse,
  Message,
  Product,
  Dispute,
  Replacement,
  Transaction,
  WalletToken,
} from '@carechat/protocol/client';

export function buildConversation(overrides: Partial<ConversationView> = {}): ConversationView {
  return {
    id: 'conv_1',
    status: 'queued',
    language: 'en',
    card: { id: 'card_1', last4: '1005', productName: 'Platinum Card' },
    cardmember: { id: 'cm_1', firstName: 'Maria', lastName: 'Lopez' },
    agent: null,
    teamId: 'general',
    queue: { teamId: 'general', teamName: 'General', position: 1, estimatedWaitSeconds: 60, agentsAvailable: 1 },
    lastSeq: 0,
    createdAt: '2025-01-01T10:00:00.000Z',
    queuedAt: '2025-01-01T10:00:00.000Z',
    closedAt: null,
    ...overrides,
  };
}

export function buildMessage(overrides: Partial<Message> = {}): Message {
  return {
    id: `msg_${overrides.seq ?? 1}`,
    conversationId: 'conv_1',
    seq: 1,
    clientMsgId: null,
    author: { role: 'cardmember', id: 'cm_1', name: 'Maria' },
    kind: 'text',
    body: 'Hello',
    system: null,
    quickReplies: [],
    createdAt: '2025-01-01T10:00:00.000Z',
    ...overrides,
  };
}

export function buildAgent(overrides: Partial<AgentView> = {}): AgentView {
  return {
    id: 'ag_1',
    email: 'ana@example.test',
    firstName: 'Ana',
    displayName: 'Ana Ruiz',
    role: 'agent',
    status: 'available',
    languages: ['en', 'es'],
    teams: ['general'],
    maxConcurrent: 3,
    ...overrides,
  };
}

export function buildProduct(overrides: Partial<Product> = {}): Product {
  return {
    id: 'prod_platinum',
    name: 'Platinum Card',
    type: 'personal',
    annualFeeCents: 69_500,
    rewardsProgram: 'Membership Rewards',
    payWithPoints: true,
    loungeAccess: true,
    ...overrides,
  };
}

export function buildCardSummary(overrides: Partial<CardSummary> = {}): CardSummary {
  return {
    id: 'card_1',
    accountId: 'acct_1',
    last4: '1005',
    product: buildProduct(),
    status: 'active',
    activated: true,
    role: 'primary',
    holderName: 'MARIA LOPEZ',
    expiry: '08/28',
    ...overrides,
  };
}

export function buildWalletToken(overrides: Partial<WalletToken> = {}): WalletToken {
  return {
    id: 'tok_1',
    cardId: 'card_1',
    wallet: 'apple_pay',
    deviceName: 'iPhone 15',
    status: 'active',
    createdAt: '2024-06-01T12:00:00.000Z',
    suspendedAt: null,
    ...overrides,
  };
}

export function buildCardDetail(overrides: Partial<CardDetail> = {}): CardDetail {
  return { ...buildCardSummary(), walletTokens: [buildWalletToken()], replacements: [], ...overrides };
}

export function buildReplacement(overrides: Partial<Replacement> = {}): Replacement {
  return {
    id: 'rep_1',
    cardId: 'card_2',
    newCardId: 'card_3',
    newCardLast4: '7731',
    reason: 'lost',
    method: 'expedited',
    status: 'shipped',
    shipTo: { line1: '1 Main St', city: 'New York', state: 'NY', zip: '10001' },
    orderedAt: '2025-01-01T09:00:00.000Z',
    estimatedDelivery: '2025-01-03',
    deliveredOn: null,
    ...overrides,
  };
}

export function buildTransaction(overrides: Partial<Transaction> = {}): Transaction {
  return {
    id: `tx_${overrides.date ?? '2025-01-01'}`,
    cardId: 'card_1',
    cardLast4: '1005',
    date: '2025-01-01',
    postedOn: '2025-01-02',
    merchant: 'Corner Cafe',
    category: 'dining',
    amount: { amountCents: 1250, currency: 'USD' },
    status: 'posted',
    statementId: null,
    foreign: false,
    redeemedWithPoints: false,
    ...overrides,
  };
}

export function buildDispute(overrides: Partial<Dispute> = {}): Dispute {
  return {
    id: 'dsp_1',
    reference: 'DSP-7K2M9QXA',
    cardId: 'card_1',
    cardLast4: '1005',
    transactionId: 'tx_1',
    merchant: 'Corner Cafe',
    amountCents: 1250,
    reason: 'duplicate',
    description: null,
    status: 'open',
    noticeDate: '2025-01-05',
    statementClosingDate: '2024-12-28',
    acknowledgeBy: '2025-02-04',
    resolveBy: '2025-03-05',
    createdAt: '2025-01-05T10:00:00.000Z',
    updatedAt: '2025-01-05T10:00:00.000Z',
    ...overrides,
  };
}

/** A full context answer for conv_1 (Maria, card ending 1005), every section available. */
export function buildCustomerContext(overrides: Partial<CustomerContextResponse> = {}): CustomerContextResponse {
  return {
    conversationId: 'conv_1',
    cardmember: { id: 'cm_1', firstName: 'Maria', lastName: 'Lopez', language: 'en' },
    card: buildCardDetail(),
    cards: [
      buildCardSummary(),
      buildCardSummary({ id: 'card_2', last4: '2009', status: 'lost', product: buildProduct({ name: 'Gold Card' }) }),
    ],
    recentTransactions: [
      buildTransaction({ id: 'tx_1', date: '2025-01-01' }),
      buildTransaction({ id: 'tx_2', date: '2025-01-03', status: 'pending', postedOn: null, merchant: 'Grocer' }),
    ],
    openReplacements: [buildReplacement()],
    openDisputes: [buildDispute()],
    assistant: null,
    unavailable: [],
    ...overrides,
  };
}
