/** Maps store rows to the wire types of @carechat/protocol. */
import type { ChatParticipant, ConversationView, Message, QueueInfo } from '@carechat/protocol';
import { presentAssurance } from '../security/stepup.policy.js';
import type { MessagesTable } from '../store/schema.js';
import type { ConversationRow } from './conversations.store.js';

export function presentMessage(row: MessagesTable): Message {
  const meta = safeJson(row.meta) as { system?: Message['system']; quickReplies?: string[]; whisper?: boolean };
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: Number(row.seq),
    clientMsgId: row.client_msg_id,
    author: { role: row.author_type, id: row.author_id, name: row.author_name },
    kind: row.kind,
    ...(meta.whisper ? { whisper: true } : {}),
    body: row.body,
    system: meta.system ?? null,
    quickReplies: meta.quickReplies ?? [],
    createdAt: row.created_at,
  };
}

/** `now` decides whether a step-up verification still holds (it lapses after 15 minutes). */
export function presentConversation(row: ConversationRow, queue: QueueInfo | null, now: Date): ConversationView {
  const prompt =
    row.sp_id && row.sp_status && row.sp_device_name && row.sp_expires_at && row.sp_requested_by
      ? {
          id: row.sp_id,
          status: row.sp_status,
          deviceName: row.sp_device_name,
          expiresAt: row.sp_expires_at,
          requestedBy: row.sp_requested_by,
        }
      : null;
  return {
    id: row.id,
    status: row.status,
    language: row.language,
    card: { id: row.card_id, last4: row.card_last4, productName: row.card_product },
    cardmember: { id: row.cardmember_id, firstName: row.cm_first_name, lastName: row.cm_last_name },
    agent:
      row.assigned_agent_id && row.agent_first_name
        ? { id: row.assigned_agent_id, firstName: row.agent_first_name }
        : null,
    teamId: row.team_id,
    queue,
    lastSeq: Number(row.last_seq),
    createdAt: row.created_at,
    queuedAt: row.queued_at,
    closedAt: row.closed_at,
    assurance: presentAssurance(row, prompt, now),
    reference: row.reference ?? null,
  };
}

/** Fields only staff see on a conversation (docs/routing.md); a cardmember's view never has them. */
export const STAFF_VIEW_FIELDS = ['priority', 'accommodation', 'escalated', 'participants', 'disposition'] as const;

/** The staff view: the shared view plus priority, accommodation, escalation, who is in the chat, disposition. */
export function presentStaffConversation(
  row: ConversationRow,
  queue: QueueInfo | null,
  now: Date,
  participants: ChatParticipant[],
): ConversationView {
  return {
    ...presentConversation(row, queue, now),
    priority: row.priority,
    accommodation: row.accommodation ?? null,
    escalated: !!row.escalated_at,
    participants,
    disposition: row.disposition ?? null,
  };
}

/** Strips staff-only fields: what a cardmember's socket or response may carry. */
export function cardmemberView(view: ConversationView): ConversationView {
  const out: Record<string, unknown> = { ...view };
  for (const f of STAFF_VIEW_FIELDS) delete out[f];
  return out as ConversationView;
}

function safeJson(s: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(s);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
