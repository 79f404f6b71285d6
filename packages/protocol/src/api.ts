/**
 * HTTP API bodies for both audiences: the customer side (`/api/widget/...`) and the staff side
 * (`/api/...`). Errors always have the shape `{ error: { code, message } }`.
 */
import { z } from 'zod';
import type { CardDetail, CardSummary, Dispute, Replacement, Transaction } from './accounts.js';
import { AgentState, ChosenAgentState } from './live.js';
import { ConversationView, DevicePromptView, Id, Language, Message, Role, StepUpMethod } from './wire.js';

export const ApiErrorCode = z.enum([
  'bad_request',
  'token_missing',
  'token_invalid',
  'token_expired',
  'token_replayed',
  'unauthorized',
  'session_expired',
  'invalid_credentials',
  'invalid_code',
  'code_reused',
  'challenge_expired',
  'account_locked',
  'csrf_failed',
  'forbidden',
  'not_found',
  'conversation_not_found',
  'conversation_closed',
  'conversation_not_waiting',
  'offer_not_found',
  'offer_closed',
  'step_up_required',
  'verification_failed',
  'verification_locked',
  'device_unavailable',
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

// ---------------------------------------------------------------- step-up verification

/**
 * POST /api/widget/conversations/:id/stepup (cardmember) and POST /api/conversations/:id/stepup
 * (agent): send an Approve / Deny prompt to a registered device. Without deviceId the cardmember's
 * first push-enabled device is used.
 */
export const StepUpRequest = z.object({ method: z.literal('device'), deviceId: Id.optional() });
export type StepUpRequest = z.infer<typeof StepUpRequest>;

/** POST /api/widget/conversations/:id/stepup/challenge: the card's last 4 digits and the billing ZIP. */
export const StepUpChallengeRequest = z.object({
  last4: z
    .string()
    .trim()
    .regex(/^\d{4}$/, 'expected 4 digits'),
  zip: z
    .string()
    .trim()
    .regex(/^\d{5}(-?\d{4})?$/, 'expected a 5-digit ZIP code'),
});
export type StepUpChallengeRequest = z.infer<typeof StepUpChallengeRequest>;

/** Answer of every step-up call (and GET .../stepup): the chat with its `assurance`, and the prompt. */
export interface StepUpResponse {
  conversation: ConversationView;
  prompt: DevicePromptView | null;
  /** Demo only (the demo site is the "device"): where to approve the pending prompt. Never sent to staff. */
  demoDeviceUrl?: string;
}

/** `details` of a 403 `step_up_required`: what was refused and how the cardmember can verify. */
export interface StepUpRequiredDetails {
  action: string;
  methods: StepUpMethod[];
}
/** `details` of a 400 `verification_failed`. */
export interface VerificationFailedDetails {
  attemptsLeft: number;
}
/** `details` of a 429 `verification_locked`. */
export interface VerificationLockedDetails {
  lockedUntil: string;
}

// ---------------------------------------------------------------- staff (agents, supervisors)

export const LoginRequest = z.object({
  email: z.string().trim().toLowerCase().email().max(200),
  password: z.string().min(1).max(200),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

/** An agent's state (see live.ts): the five states of the live-agent floor. */
export const AgentStatus = AgentState;
export type AgentStatus = AgentState;

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

/**
 * POST /api/auth/login answers a right password with this, never with a session: the second factor
 * (a TOTP code, RFC 6238) goes to POST /api/auth/login/totp with the challenge. `enrollment` is
 * present while the account has no confirmed authenticator: add the secret to an app, then send a code.
 */
export interface StaffLoginChallengeResponse {
  mfaRequired: true;
  /** Opaque, single-use, valid until expiresAt (5 minutes); at most 5 codes may be tried with it. */
  challenge: string;
  expiresAt: string;
  enrollment?: { secret: string; otpauthUri: string };
}

/** POST /api/auth/login/totp: the code may be typed with spaces ("123 456"). */
export const LoginTotpRequest = z.object({
  challenge: z.string().min(1).max(200),
  code: z
    .string()
    .max(20)
    .transform((c) => c.replace(/\s+/g, ''))
    .pipe(z.string().regex(/^\d{6}$/, 'expected a 6-digit code')),
});
export type LoginTotpRequest = z.infer<typeof LoginTotpRequest>;

/** Returned by POST /api/auth/login/totp and GET /api/auth/me. Send csrfToken as `x-csrf-token` on writes. */
export interface StaffSessionResponse {
  agent: AgentView;
  csrfToken: string;
  expiresAt: string;
}

/** PUT /api/agents/me/status (wrap_up is entered by the server, not chosen). */
export const AgentStatusRequest = z.object({ status: ChosenAgentState });

export const ConversationListQuery = z.object({ view: z.enum(['waiting', 'mine']).default('mine') });

export interface ConversationListResponse {
  conversations: ConversationView[];
}
export interface ConversationDetailResponse {
  conversation: ConversationView;
  messages: Message[];
}

/** The assistant's hand-over note: read first by the agent who picks the chat up. */
export interface AssistantBrief {
  /** One or two English sentences: why the chat was handed over and what was done. */
  summary: string | null;
  /** Why it was handed over: an intent id, `not_understood`, ... */
  reason: string | null;
  teamId: string | null;
  /** Intent ids the cardmember raised, in order. */
  topics: string[];
  /** What the assistant did, with reference numbers. */
  done: Array<{ description: string; reference: string | null; at: string | null }>;
  /** A task the assistant was in the middle of: its intent and the details gathered so far. */
  openTask: { intent: string; details: Record<string, string> } | null;
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
  /** Billing-error disputes still running (open or acknowledged), newest first, with their FCBA dates. */
  openDisputes: Dispute[];
  /** What the virtual assistant learnt and did before a person took over; null if it has nothing. */
  assistant: AssistantBrief | null;
  /** Sections the accounts core could not answer; the panel says so instead of failing whole. */
  unavailable: string[];
}

/**
 * POST /api/conversations/:id/actions/:operation: an agent acts on the chat's cardmember's accounts
 * through the accounts port (`operation` is a mutating port method, e.g. `updateContact`). Sensitive
 * operations answer 403 `step_up_required` until the chat is `verified`.
 */
export const AccountActionRequest = z.object({
  input: z.record(z.string(), z.unknown()).default({}),
  /** Repeating a key returns the first result (8-128 characters). */
  idempotencyKey: z
    .string()
    .min(8)
    .max(128)
    .refine((v) => !/\d{13,}/.test(v), 'idempotencyKey must not contain a run of 13 or more digits'),
});
export type AccountActionRequest = z.infer<typeof AccountActionRequest>;
export interface AccountActionResponse {
  operation: string;
  result: unknown;
}
