/**
 * The seam between conversations and the virtual assistant. The conversation service only knows this
 * interface; the NLU engine, flows and knowledge answers live behind it (see the assistant issue).
 */
import type { Language } from '@carechat/protocol';
import type { Transaction } from 'kysely';
import type { Database } from '../store/schema.js';

export interface AssistantContext {
  conversationId: string;
  cardmemberId: string;
  /** The card the chat was opened from. */
  cardId: string;
  language: Language;
  status: 'bot' | 'queued' | 'assigned' | 'closed';
  cardmemberFirstName: string;
  cardLast4: string;
  /** Step-up assurance of the chat right now (sensitive account changes need `verified`). */
  assurance: 'session' | 'verified';
  /** Only the redacted text ever reaches the assistant. */
  text: string;
  /** While waiting for an agent: place, estimate, and the queue's team and the chat's priority. */
  queue?: { position: number; estimatedWaitSeconds: number; teamId?: string; priority?: number } | null;
}

export interface AssistantReply {
  text: string;
  quickReplies?: string[];
}

export interface AssistantDecision {
  replies: AssistantReply[];
  /** Hand the chat to a human team. */
  handoff?: { teamId: string; reason: string; priority?: number; summary?: string };
  /** Switch the conversation's language (e.g. "¿puedo hablar en español?"). */
  language?: Language;
  /**
   * The assistant's own writes for this turn (its dialogue state), run in the same transaction as the
   * replies: a node dying mid-turn leaves either both or neither.
   */
  commit?: (tx: Transaction<Database>) => Promise<void>;
}

export interface Assistant {
  greet(ctx: Omit<AssistantContext, 'text'>): AssistantDecision;
  respond(ctx: AssistantContext): Promise<AssistantDecision>;
}
