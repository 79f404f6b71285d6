/**
 * Conversation rules as the service asks them. Thin wrappers over the one policy layer
 * (`security/access.ts`), which decides for every route and socket frame.
 */
import { can, type Actor, type ChatParticipation } from '../security/access.js';
import type { ConversationsTable } from '../store/schema.js';

export type { Actor };

/** Cardmembers see only their own card's chats; agents their assignments and the queues they serve. */
export const canRead = (actor: Actor, c: ConversationsTable): boolean =>
  can(actor, 'conversation.read', { conversation: c });

/** `participants`: staff who joined the chat (conference, barge) may write too; monitors never. */
export const canWrite = (actor: Actor, c: ConversationsTable, participants?: ChatParticipation[]): boolean =>
  can(actor, 'conversation.write', { conversation: c, participants });

export const canAccept = (actor: Actor, c: ConversationsTable): boolean =>
  can(actor, 'conversation.accept', { conversation: c });
