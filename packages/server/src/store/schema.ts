/** Table types for the typed query layer (Kysely). Timestamps are ISO-8601 UTC text. */
import type { Generated } from 'kysely';

export interface CardmembersTable {
  id: string;
  username: string;
  password_hash: string;
  first_name: string;
  last_name: string;
  preferred_language: 'en' | 'es';
  created_at: string;
}

/** Only the last 4 digits are kept here; the full number lives in the accounts core (or its vault). */
export interface CardsTable {
  id: string;
  cardmember_id: string;
  product_name: string;
  last4: string;
  status: string;
  created_at: string;
}

export interface TeamsTable {
  id: string;
  name_en: string;
  name_es: string;
}

export interface AgentsTable {
  id: string;
  email: string;
  password_hash: string;
  first_name: string;
  display_name: string;
  role: 'agent' | 'supervisor';
  status: 'available' | 'away' | 'offline';
  status_changed_at: string;
  max_concurrent: number;
  created_at: string;
}

export interface AgentSkillsTable {
  agent_id: string;
  team_id: string;
  language: 'en' | 'es';
}

export interface ConversationsTable {
  id: string;
  cardmember_id: string;
  card_id: string;
  language: 'en' | 'es';
  status: 'bot' | 'queued' | 'assigned' | 'closed';
  team_id: string | null;
  priority: number;
  queued_at: string | null;
  assigned_agent_id: string | null;
  assigned_at: string | null;
  closed_at: string | null;
  closed_by: string | null;
  last_seq: number;
  created_at: string;
  updated_at: string;
}

export interface ParticipantsTable {
  conversation_id: string;
  participant_type: 'cardmember' | 'agent' | 'assistant';
  participant_id: string;
  role: 'owner' | 'assignee' | 'assistant';
  joined_at: string;
  left_at: string | null;
}

export interface MessagesTable {
  id: string;
  conversation_id: string;
  seq: number;
  client_msg_id: string | null;
  author_type: 'cardmember' | 'agent' | 'assistant' | 'system';
  author_id: string | null;
  author_name: string | null;
  kind: 'text' | 'system';
  body: string;
  /** JSON: { system?: {code, params}, quickReplies?: string[], redactions?: [...] } */
  meta: string;
  created_at: string;
}

export interface EventsTable {
  id: Generated<number>;
  type: string;
  conversation_id: string | null;
  actor_type: string;
  actor_id: string | null;
  payload: string;
  created_at: string;
}

/** Opaque bearer sessions; only a SHA-256 of the token is stored. */
export interface SessionsTable {
  id_hash: string;
  kind: 'widget' | 'staff';
  subject_id: string;
  card_id: string | null;
  csrf_token: string | null;
  expires_at: string;
  revoked_at: string | null;
  created_at: string;
}

/** Host-site token ids already exchanged (one use each), kept until they would have expired anyway. */
export interface UsedTokensTable {
  jti: string;
  expires_at: string;
}

export interface Database {
  cardmembers: CardmembersTable;
  cards: CardsTable;
  teams: TeamsTable;
  agents: AgentsTable;
  agent_skills: AgentSkillsTable;
  conversations: ConversationsTable;
  participants: ParticipantsTable;
  messages: MessagesTable;
  events: EventsTable;
  sessions: SessionsTable;
  used_tokens: UsedTokensTable;
}
