/**
 * Wire protocol v1: every frame that crosses the WebSocket, as zod schemas.
 * The server validates every inbound frame with these; clients import the inferred types.
 * See docs/protocol.md for the narrative version.
 */
import { z } from 'zod';
import type { CaseDeadlineFrame } from './cases.js';
import type { BoardFrame, OfferClosedFrame, OfferFrame } from './live.js';

export {
  PROTOCOL_VERSION,
  SUBPROTOCOL,
  AUTH_SUBPROTOCOL_PREFIX,
  MAX_FRAME_BYTES,
  MAX_BODY_CHARS,
  CloseCode,
} from './constants.js';

export const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'invalid id');
/** A client-chosen idempotency key for one message (a UUID is ideal). */
export const ClientMsgId = z
  .string()
  .min(8)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'clientMsgId must be 8-64 characters of A-Z a-z 0-9 _ -')
  // Ids are stored and logged as they are: a long digit run could be a pasted card number.
  // UUID groups are at most 12 characters, so a 13+ digit run is never a generated id.
  .refine((v) => !/\d{13,}/.test(v), 'clientMsgId must not contain a run of 13 or more digits');

/** The largest message seq (a 32-bit integer column); larger values are refused, not queried. */
export const MAX_SEQ = 2_147_483_647;

export const Language = z.enum(['en', 'es']);
export type Language = z.infer<typeof Language>;

export const Role = z.enum(['cardmember', 'agent', 'supervisor', 'admin']);
export type Role = z.infer<typeof Role>;

export const AuthorRole = z.enum(['cardmember', 'agent', 'assistant', 'system']);
export type AuthorRole = z.infer<typeof AuthorRole>;

export const ConversationStatus = z.enum(['bot', 'queued', 'assigned', 'closed']);
export type ConversationStatus = z.infer<typeof ConversationStatus>;

/** System notices are stored as messages so they replay and appear in transcripts. */
export const SystemCode = z.enum([
  'conversation.queued',
  'agent.joined',
  'agent.left',
  'conversation.closed_by_agent',
  'conversation.closed_by_cardmember',
  'conversation.closed_by_system',
  /** Live-agent operations (docs/routing.md): params name the team or agent. */
  'conversation.transferred',
  'conversation.escalated',
  'agent.conference_joined',
  'supervisor.joined',
  /** A Spanish chat is passed to a Spanish-speaking agent: "un momento..." */
  'handoff.language',
  /** The assistant could not answer a message after several tries (docs/assistant.md#turns-as-stored-jobs). */
  'assistant.unavailable',
]);
export type SystemCode = z.infer<typeof SystemCode>;

export const Message = z.object({
  id: z.string(),
  conversationId: z.string(),
  seq: z.number().int().positive(),
  clientMsgId: z.string().nullable(),
  author: z.object({
    role: AuthorRole,
    id: z.string().nullable(),
    /** First name for agents, "Assistant" for the bot; null for system notices. */
    name: z.string().nullable(),
  }),
  /**
   * `note`: an internal note or a supervisor's whisper. Notes reach staff only: never the cardmember's
   * socket, replay, transcript or the assistant.
   */
  kind: z.enum(['text', 'system', 'note']),
  /** Set on notes that are a supervisor's whisper to the chat's agents. */
  whisper: z.boolean().optional(),
  /** Already redacted: raw input never leaves the edge. */
  body: z.string(),
  system: z.object({ code: SystemCode, params: z.record(z.string(), z.string()) }).nullable(),
  /** Suggested replies the client may render as buttons. */
  quickReplies: z.array(z.string()).default([]),
  createdAt: z.string(),
});
export type Message = z.infer<typeof Message>;

/**
 * What the cardmember is told while waiting, updated live. `serving` is false when no agent who could
 * take the chat is signed in (available, busy or wrapping up): then the estimate means nothing and the
 * widget shows the hours, the phone number and the offer to keep using the assistant. The model is in
 * docs/routing.md.
 */
export const QueueInfo = z.object({
  teamId: z.string(),
  teamName: z.string(),
  position: z.number().int().positive(),
  estimatedWaitSeconds: z.number().int().nonnegative(),
  agentsAvailable: z.number().int().nonnegative(),
  serving: z.boolean().optional(),
  /** Whether the queue is within its hours now; absent = open. */
  open: z.boolean().optional(),
  /** When a closed queue opens next (ISO). */
  opensAt: z.string().nullable().optional(),
  /** The team's phone line (shown when nobody serves the queue, or for fraud when the wait is long). */
  phone: z.string().nullable().optional(),
});
export type QueueInfo = z.infer<typeof QueueInfo>;

/**
 * How sure we are that the person chatting is the cardmember. `session`: signed in on the issuer's
 * site (the default). `verified`: passed a step-up check in this chat within the last 15 minutes.
 */
export const AssuranceLevel = z.enum(['session', 'verified']);
export type AssuranceLevel = z.infer<typeof AssuranceLevel>;
/** `device`: approved a prompt on a registered device; `challenge`: card last 4 + billing ZIP. */
export const StepUpMethod = z.enum(['device', 'challenge']);
export type StepUpMethod = z.infer<typeof StepUpMethod>;
export const DevicePromptStatus = z.enum(['pending', 'approved', 'denied', 'expired']);
export type DevicePromptStatus = z.infer<typeof DevicePromptStatus>;

/** A prompt sent to one of the cardmember's registered devices (never its secret link). */
export const DevicePromptView = z.object({
  id: z.string(),
  status: DevicePromptStatus,
  deviceName: z.string(),
  expiresAt: z.string(),
  requestedBy: z.enum(['cardmember', 'agent']),
});
export type DevicePromptView = z.infer<typeof DevicePromptView>;

export const Assurance = z.object({
  level: AssuranceLevel,
  /** When `verified` lapses back to `session`; null at `session`. */
  expiresAt: z.string().nullable(),
  method: StepUpMethod.nullable(),
  /** The newest device prompt of this chat; `pending` means "approve it on your device". */
  prompt: DevicePromptView.nullable(),
});
export type Assurance = z.infer<typeof Assurance>;

export const ConversationView = z.object({
  id: z.string(),
  status: ConversationStatus,
  language: Language,
  card: z.object({ id: z.string(), last4: z.string().length(4), productName: z.string() }),
  cardmember: z.object({ id: z.string(), firstName: z.string(), lastName: z.string() }),
  agent: z.object({ id: z.string(), firstName: z.string() }).nullable(),
  teamId: z.string().nullable(),
  queue: QueueInfo.nullable(),
  lastSeq: z.number().int().nonnegative(),
  createdAt: z.string(),
  queuedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  /** Step-up state; absent from servers that predate it (treat as `session`). */
  assurance: Assurance.optional(),
  /** Queue priority (higher first): fraud 10, supervisor escalations 5. Staff views only. */
  priority: z.number().int().optional(),
  /** An accommodation the cardmember noted (e.g. "hard of hearing, please go slowly"). Staff views only. */
  accommodation: z.string().nullable().optional(),
  /** Escalated to a supervisor and not yet joined by one. Staff views only. */
  escalated: z.boolean().optional(),
  /** Staff in the chat (monitors included). Staff views only. */
  participants: z
    .array(
      z.object({
        agentId: z.string(),
        displayName: z.string(),
        role: z.enum(['assignee', 'conference', 'supervisor', 'monitor']),
        joinedAt: z.string(),
      }),
    )
    .optional(),
  /** Disposition chosen at wrap-up, once wrapped up. Staff views only. */
  disposition: z.string().nullable().optional(),
  /** The chat's own reference (`CHT-…`), once a person handled it or an account changed in it. Both audiences. */
  reference: z.string().nullable().optional(),
});
export type ConversationView = z.infer<typeof ConversationView>;

// ---------------------------------------------------------------- client -> server

export const HelloFrame = z.object({
  type: z.literal('hello'),
  protocol: z.number().int(),
  client: z.string().max(100).optional(),
});
export const SubscribeFrame = z.object({
  type: z.literal('subscribe'),
  conversationId: Id,
  /** Highest seq the client already holds; the server replays everything newer. (Seqs are 32-bit in the store.) */
  lastSeq: z.number().int().nonnegative().max(MAX_SEQ).default(0),
});
export const UnsubscribeFrame = z.object({ type: z.literal('unsubscribe'), conversationId: Id });
export const SendFrame = z.object({
  type: z.literal('send'),
  conversationId: Id,
  clientMsgId: ClientMsgId,
  // NUL is never typed by a person and PostgreSQL text cannot hold it: refused as a bad frame.
  body: z.string().refine((b) => !b.includes('\u0000'), 'body must not contain NUL characters'),
});
export const TypingFrame = z.object({
  type: z.literal('typing'),
  conversationId: Id,
  state: z.enum(['start', 'stop']),
});
export const PingFrame = z.object({ type: z.literal('ping'), nonce: z.string().max(64).optional() });

export const ClientFrame = z.discriminatedUnion('type', [
  HelloFrame,
  SubscribeFrame,
  UnsubscribeFrame,
  SendFrame,
  TypingFrame,
  PingFrame,
]);
export type ClientFrame = z.infer<typeof ClientFrame>;
export type SendFrame = z.infer<typeof SendFrame>;

// ---------------------------------------------------------------- server -> client

export const ErrorCode = z.enum([
  'bad_json',
  'bad_frame',
  'frame_too_large',
  'message_empty',
  'message_too_long',
  'rate_limited',
  'unsupported_protocol',
  'hello_required',
  'unauthorized',
  'session_expired',
  'forbidden',
  'conversation_not_found',
  'conversation_closed',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export interface WelcomeFrame {
  type: 'welcome';
  protocol: number;
  connectionId: string;
  identity: { role: Role; id: string; displayName: string; language: Language };
  /** Send a `ping` at least this often, or the server may drop the connection. */
  heartbeatMs: number;
}
export interface SubscribedFrame {
  type: 'subscribed';
  conversationId: string;
  /** Highest seq stored when replay finished; everything up to it has been sent. */
  headSeq: number;
  conversation: ConversationView;
}
export interface AckFrame {
  type: 'ack';
  conversationId: string;
  clientMsgId: string;
  seq: number;
  messageId: string;
  /** True when this clientMsgId was already stored: the first result is returned. */
  duplicate: boolean;
  /** The stored (redacted) body, so the sender can replace its optimistic copy. */
  body: string;
  createdAt: string;
  /** What redaction removed from this message (each kind once), so the sender can be told; absent when nothing. */
  redacted?: RedactedType[];
}
/** Kinds of sensitive data redaction removes at the edge (also the `type` of a redaction finding). */
export const RedactedType = z.enum(['card_number', 'security_code', 'ssn', 'one_time_code', 'password']);
export type RedactedType = z.infer<typeof RedactedType>;
export interface MessageFrame {
  type: 'message';
  message: Message;
}
export interface ConversationFrame {
  type: 'conversation';
  conversation: ConversationView;
}
export interface TypingEventFrame {
  type: 'typing';
  conversationId: string;
  from: { role: AuthorRole; name: string | null };
  state: 'start' | 'stop';
}
export interface InboxFrame {
  type: 'inbox';
  /** Conversations waiting in queues this agent serves, oldest first by priority. */
  waiting: ConversationView[];
  /** Conversations assigned to this agent and not closed. */
  mine: ConversationView[];
}
export interface ErrorFrame {
  type: 'error';
  code: ErrorCode;
  message: string;
  conversationId?: string;
  clientMsgId?: string;
  /** With `rate_limited`: wait at least this long before trying again. */
  retryAfterMs?: number;
}
export interface PongFrame {
  type: 'pong';
  nonce?: string;
  serverTime: string;
}

/**
 * The node is going away (a deploy or shutdown): wait `retryAfterMs`, then reconnect (the load balancer
 * picks another node) and resume by `lastSeq` as after any close. Not an error. Close 1012 follows.
 */
export interface ReconnectFrame {
  type: 'reconnect';
  reason: 'draining';
  /** A per-socket random spread, so clients do not all reach the other nodes at the same instant. */
  retryAfterMs: number;
}

export type ServerFrame =
  | OfferFrame
  | OfferClosedFrame
  | BoardFrame
  | WelcomeFrame
  | SubscribedFrame
  | AckFrame
  | MessageFrame
  | ConversationFrame
  | TypingEventFrame
  | InboxFrame
  | ErrorFrame
  | PongFrame
  | ReconnectFrame
  | CaseDeadlineFrame;
