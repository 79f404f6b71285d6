/**
 * The typed event catalog: `resource.verb` names and their payloads. Events are published on the
 * bus only after the transaction that caused them commits.
 */
import type { AgentState, CaseDeadlineKind, ConversationView, Message, OfferView } from '@carechat/protocol';

export interface EventCatalog {
  'message.created': { conversationId: string; message: Message; audience: 'all' | 'staff' };
  'conversation.updated': { conversation: ConversationView };
  'conversation.typing': {
    conversationId: string;
    connectionId: string;
    from: { role: 'cardmember' | 'agent' | 'assistant'; name: string | null };
    state: 'start' | 'stop';
  };
  /** Something changed in the queues or assignments; consoles refresh their inbox. */
  'queue.changed': { teamId: string | null; language: string | null };
  /** A chat offered to one agent (channel `agent:<id>`). */
  'offer.created': { agentId: string; offer: OfferView };
  /** An offer is no longer open (channel `agent:<id>`). */
  'offer.closed': { agentId: string; offerId: string; reason: 'accepted' | 'declined' | 'expired' | 'withdrawn' };
  /** An agent's state changed (staff channel): boards and consoles refresh. */
  'agent.state_changed': {
    agentId: string;
    state: AgentState;
    /** `disconnected`: available, but no console open on any live node for a while (agents/presence.ts). */
    reason: 'chosen' | 'missed_offer' | 'wrap_up' | 'signed_out' | 'disconnected';
  };
  /** A staff member's first console opened or last one closed on a node (staff channel): boards refresh. */
  'agent.presence_changed': { agentId: string; nodeId: string; connections: number };
  /** A case was opened or changed (staff channel; and `cardmember:<id>` for their own cases). */
  'case.updated': { caseId: string; cardmemberId: string; ownerTeamId: string; change: string };
  /** A case deadline timer fired (staff channel; after its firing commits): the owning team is told. */
  'case.deadline': { caseId: string; reference: string; ownerTeamId: string; kind: CaseDeadlineKind; due: string };
  /** A secure message reached a cardmember's inbox (`cardmember:<id>`). */
  'secure_message.created': { cardmemberId: string; messageId: string };
  /** A session ended (logout/expiry): every socket using it must close. */
  'session.revoked': { sessionHash: string };
  /**
   * Local only, never published: this node's link to the other nodes was down and events may have
   * been missed. Subscribers re-read the store (sockets fill their seq gaps, consoles refresh).
   */
  'bus.resync': Record<string, never>;
}
export type EventName = keyof EventCatalog;
export interface BusEvent<N extends EventName = EventName> {
  name: N;
  payload: EventCatalog[N];
}

/** Channels scope who hears an event: one conversation, the staff floor, or one session. */
export const channels = {
  conversation: (id: string) => `conversation:${id}`,
  staff: 'staff',
  /** One staff member's own events (offers). */
  agent: (id: string) => `agent:${id}`,
  /** One cardmember's own events (cases, secure messages), whatever chat they are in. */
  cardmember: (id: string) => `cardmember:${id}`,
  sessions: 'sessions',
} as const;
