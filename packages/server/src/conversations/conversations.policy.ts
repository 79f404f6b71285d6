/** Who may read or write a conversation. Deny by default. */
import type { Skill } from '../agents/agents.store.js';
import type { ConversationsTable } from '../store/schema.js';

export type Actor =
  | {
      role: 'cardmember';
      cardmemberId: string;
      cardId: string;
      sessionHash: string;
      firstName: string;
      language: 'en' | 'es';
    }
  | {
      role: 'agent' | 'supervisor';
      agentId: string;
      firstName: string;
      sessionHash: string;
      skills: Skill[];
    };

const hasSkill = (skills: Skill[], c: ConversationsTable) =>
  skills.some((s) => s.teamId === c.team_id && s.language === c.language);

/** Cardmembers see only their own card's chats; agents their assignments and the queues they serve. */
export function canRead(actor: Actor, c: ConversationsTable): boolean {
  if (actor.role === 'cardmember') return c.cardmember_id === actor.cardmemberId && c.card_id === actor.cardId;
  if (actor.role === 'supervisor') return true;
  if (c.assigned_agent_id === actor.agentId) return true;
  return c.status === 'queued' && hasSkill(actor.skills, c);
}

export function canWrite(actor: Actor, c: ConversationsTable): boolean {
  if (c.status === 'closed') return false;
  if (actor.role === 'cardmember') return canRead(actor, c);
  return c.status === 'assigned' && c.assigned_agent_id === actor.agentId;
}

export function canAccept(actor: Actor, c: ConversationsTable): boolean {
  if (actor.role === 'cardmember') return false;
  return actor.role === 'supervisor' || hasSkill(actor.skills, c);
}
