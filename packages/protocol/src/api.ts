/**
 * HTTP API bodies for both audiences: the customer side (`/api/widget/...`) and the staff side
 * (`/api/...`). Errors always have the shape `{ error: { code, message } }`.
 */
import { z } from 'zod';
import type { CardDetail, CardSummary, Replacement, Transaction } from './accounts.js';
import { ConversationView, Language, Message, Role } from './wire.js';

export const ApiErrorCode = z.enum([
  'bad_request',
  'token_missing',
  'token_invalid',
  'token_expired',
  'token_replayed',
  'unauthorized',
  'session_expired',
  'invalid_credentials',
  'csrf_failed',
  'forbidden',
  'not_found',
  'conversation_not_found',
  'conversation_closed',
  'conversation_not_waiting',
  'message_empty',
  'message_too_long',
  'payload_too_large',
  'rule_violation',
  'conflict',
  'unavailable',
  'rate_limited',
  'internal',
]);
export type ApiErrorCode = z.infer<typeof ApiErrorCode>;

export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string; details?: unknown };
}

// ---------------------------------------------------------------- widget (cardmember)

/** POST /api/widget/session: exchange the host site's signed token for a chat session. */
export const WidgetSessionRequest = z.object({ token: z.string().min(1).max(4096) });
export interface WidgetSessionResponse {
  /** Opaque bearer token for this chat session (HTTP `Authorization: Bearer` and WS subprotocol). */
  sessionToken: string;
  expiresAt: string;
  cardmember: { id: string; firstName: string; language: Language };
  conversation: ConversationView;
  messages: Message[];
}

/** POST /api/widget/conversations: start a new chat for the session's card after one ended. */
export interface WidgetConversationResponse {
  conversation: ConversationView;
  messages: Message[];
}

// ---------------------------------------------------------------- staff (agents, supervisors)

export const LoginRequest = z.object({
  email: z.string().trim().toLowerCase().email().max(200),
  password: z.string().min(1).max(200),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const AgentStatus = z.enum(['available', 'away', 'offline']);
export type AgentStatus = z.infer<typeof AgentStatus>;

export interface AgentView {
  id: string;
  email: string;
  firstName: string;
  displayName: string;
  role: Exclude<Role, 'cardmember'>;
  status: AgentStatus;
  languages: Language[];
  teams: string[];
  maxConcurrent: number;
}

/** Returned by POST /api/auth/login and GET /api/auth/me. Send csrfToken as `x-csrf-token` on writes. */
export interface StaffSessionResponse {
  agent: AgentView;
  csrfToken: string;
  expiresAt: string;
}

export const AgentStatusRequest = z.object({ status: AgentStatus });

export const ConversationListQuery = z.object({ view: z.enum(['waiting', 'mine']).default('mine') });

export interface ConversationListResponse {
  conversations: ConversationView[];
}
export interface ConversationDetailResponse {
  conversation: ConversationView;
  messages: Message[];
}

/** GET /api/conversations/:id/context: the agent's customer context panel. */
export interface CustomerContextResponse {
  conversationId: string;
  cardmember: { id: string; firstName: string; lastName: string; language: Language };
  /** The card the chat was started from. */
  card: CardDetail | null;
  cards: CardSummary[];
  recentTransactions: Transaction[];
  openReplacements: Replacement[];
  /** Sections the accounts core could not answer; the panel says so instead of failing whole. */
  unavailable: string[];
}
