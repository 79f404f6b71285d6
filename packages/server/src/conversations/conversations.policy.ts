/**
 * Conversation rules as the service asks them. Thin wrappers over the one policy layer
 * (`security/access.ts`), which decides for every route and socket frame.
 */
import { can, type Actor } from '../security/access.js';
import type { ConversationsTable } from '../store/schema.js';

export type { Actor };

/** Cardmembers see only their own card's chats; agents their assignments and the queues they serve. */
export const canRead = (actor: Actor, c: ConversationsTable): boolean =>
  can(actor, 'conversation.read', { conversation: c });

export const canWrite = (actor: Actor, c: ConversationsTable): boolean =>
  can(actor, 'conversation.write', { conversation: c });

export const canAccept = (actor: Actor, c: ConversationsTable): boolean =>
  can(actor, 'conversation.accept', { conversation: c });
