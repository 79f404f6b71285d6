/** Test data builders (not fixtures): each returns a fresh valid object, overridable per test. */
import type { AgentView, ConversationView, Message } from '@carechat/protocol/client';

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
