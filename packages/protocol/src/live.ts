/**
 * Live-agent operations: agent states, routing offers, wait estimates, the supervisor board, and
 * what agents and supervisors do inside a chat (transfer, conference, notes, whisper, monitor, barge,
 * wrap-up). Shared by the server, the console and the widget; see docs/routing.md.
 */
import { z } from 'zod';
import { MAX_ACCOMMODATION_CHARS } from './constants.js';
import { ConversationView, Id, Language, type RedactedType } from './wire.js';

// ---------------------------------------------------------------- agents and queues

/**
 * `available`: takes new chats (up to maxConcurrent). `busy`: keeps current chats, takes no new ones.
 * `away`: on a break. `wrap_up`: finishing notes after a chat (set by the server when an agent's chat
 * closes without a disposition; the agent leaves it by wrapping up or choosing another state).
 * `offline`: signed out.
 */
export const AgentState = z.enum(['available', 'busy', 'away', 'wrap_up', 'offline']);
export type AgentState = z.infer<typeof AgentState>;
/** States an agent may choose (wrap_up is entered by the server, left by the agent). */
export const ChosenAgentState = z.enum(['available', 'busy', 'away', 'offline']);
export type ChosenAgentState = z.infer<typeof ChosenAgentState>;

/** Opening hours of a team's queue, in its own time zone. `null` hours mean 24/7. */
export const TeamHours = z.object({
  /** IANA zone, e.g. `America/New_York`. */
  timeZone: z.string().min(1).max(64),
  /** Per weekday (0 = Sunday): open intervals as `HH:MM`-`HH:MM`, empty = closed all day. */
  weekly: z
    .array(z.array(z.object({ open: z.string().regex(/^\d\d:\d\d$/), close: z.string().regex(/^\d\d:\d\d$/) })))
    .length(7),
});
export type TeamHours = z.infer<typeof TeamHours>;

export interface TeamView {
  id: string;
  name: { en: string; es: string };
  /** null = open 24/7. */
  hours: TeamHours | null;
  /** Phone line shown when no agent serves the queue (E.164-ish display string). */
  phone: string | null;
}

/** GET /api/agents?teamId=&language=: who a chat can be transferred to or conferenced with. */
export interface AgentTarget {
  id: string;
  displayName: string;
  role: 'agent' | 'supervisor';
  state: AgentState;
  load: number;
  maxConcurrent: number;
}

// ---------------------------------------------------------------- offers

/** A waiting chat offered to one agent; it expires after `expiresAt` and goes to the next agent. */
export interface OfferView {
  id: string;
  conversation: ConversationView;
  offeredAt: string;
  expiresAt: string;
  /** Transfer or conference note from the agent who sent it, if any. */
  note: string | null;
  kind: 'queue' | 'transfer' | 'conference';
}

/** Server -> staff socket: a new offer for this agent. */
export interface OfferFrame {
  type: 'offer';
  offer: OfferView;
}
/** Server -> staff socket: an offer is no longer open (taken, expired, declined, withdrawn). */
export interface OfferClosedFrame {
  type: 'offer_closed';
  offerId: string;
  reason: 'accepted' | 'declined' | 'expired' | 'withdrawn';
}

// ---------------------------------------------------------------- in-chat staff actions

/** POST /api/conversations/:id/transfer: to a team's queue or to one agent, with a note for them. */
export const TransferRequest = z
  .object({
    teamId: Id.optional(),
    agentId: Id.optional(),
    language: Language.optional(),
    note: z.string().trim().max(1000).default(''),
  })
  .refine((v) => !!v.teamId !== !!v.agentId, 'give exactly one of teamId or agentId');
export type TransferRequest = z.infer<typeof TransferRequest>;

/** POST /api/conversations/:id/conference: invite a second agent or a supervisor into the chat. */
export const ConferenceRequest = z.object({ agentId: Id, note: z.string().trim().max(1000).default('') });
export type ConferenceRequest = z.infer<typeof ConferenceRequest>;

/** POST /api/conversations/:id/escalate: ask a supervisor to join (escalation queue, priority). */
export const EscalateRequest = z.object({ note: z.string().trim().max(1000).default('') });

/** POST /api/conversations/:id/notes: an internal note, never shown to the cardmember. */
export const NoteRequest = z.object({ body: z.string().trim().min(1).max(4000) });

/** POST /api/conversations/:id/whisper: a supervisor's message only the chat's agents see. */
export const WhisperRequest = z.object({ body: z.string().trim().min(1).max(4000) });

/**
 * Dispositions an agent picks when wrapping up a chat (a closed list, for reporting).
 */
export const Disposition = z.enum([
  'resolved',
  'resolved_with_action',
  'follow_up_needed',
  'transferred',
  'complaint_logged',
  'no_response',
  'other',
]);
export type Disposition = z.infer<typeof Disposition>;
/** POST /api/conversations/:id/wrap-up: after (or to) close the chat. */
export const WrapUpRequest = z.object({ disposition: Disposition, note: z.string().trim().max(2000).default('') });
export type WrapUpRequest = z.infer<typeof WrapUpRequest>;

/** Who else is in the chat, as staff see it. `monitor` is silent: the cardmember never sees it. */
export interface ChatParticipant {
  agentId: string;
  displayName: string;
  role: 'assignee' | 'conference' | 'supervisor' | 'monitor';
  joinedAt: string;
}

/** A canned response, rendered for one chat (variables filled in). */
export interface CannedResponseView {
  id: string;
  title: string;
  language: Language;
  /** As written, with `{{variables}}`. */
  template: string;
  /** Filled in for the chat: `{{firstName}}`, `{{cardLast4}}`, `{{agentName}}`, `{{teamName}}`, `{{reference}}`. */
  text: string;
}

// ---------------------------------------------------------------- supervisor board

export interface QueueStat {
  teamId: string;
  teamName: string;
  language: Language;
  depth: number;
  oldestWaitSeconds: number | null;
  /** For a chat joining the queue now. */
  estimatedWaitSeconds: number | null;
  agentsServing: number;
  agentsAvailable: number;
  open: boolean;
  /** Chats waiting longer than the team's answer-time SLA. */
  slaBreaches: number;
  /** Post-chat satisfaction (1–5) of today's responses for chats of this queue; null when none. */
  csatAverage?: number | null;
  csatCount?: number;
}

export interface AgentStat {
  id: string;
  displayName: string;
  role: 'agent' | 'supervisor';
  state: AgentState;
  stateSince: string;
  load: number;
  maxConcurrent: number;
  skills: Array<{ teamId: string; language: Language }>;
  conversations: string[];
  /** A console of theirs is open on some live node (absent from servers without presence). */
  online?: boolean;
}

export interface SlaBreach {
  conversationId: string;
  teamId: string;
  language: Language;
  kind: 'wait';
  since: string;
  waitedSeconds: number;
}

/** GET /api/supervisor/board (also pushed to supervisors as `{ type: 'board', board }`). */
export interface SupervisorBoard {
  generatedAt: string;
  /** Answer-time SLA in seconds used for `slaBreaches`. */
  slaSeconds: number;
  queues: QueueStat[];
  agents: AgentStat[];
  breaches: SlaBreach[];
  /** Chats escalated to a supervisor and not yet joined by one. */
  escalations: ConversationView[];
}
export interface BoardFrame {
  type: 'board';
  board: SupervisorBoard;
}

// ---------------------------------------------------------------- accommodations

/**
 * PUT /api/widget/conversations/:id/accommodation: the chat's cardmember notes how agents can help
 * (more time, shorter messages, screen reader...). An empty note clears it. `saveForFuture` also keeps
 * it on their profile for later chats.
 */
export const AccommodationRequest = z.object({
  note: z.string().trim().max(MAX_ACCOMMODATION_CHARS),
  saveForFuture: z.boolean().default(false),
});
export type AccommodationRequest = z.infer<typeof AccommodationRequest>;
/** GET and PUT .../accommodation: the note as stored (redacted), for the cardmember only. */
export interface AccommodationResponse {
  note: string | null;
  /** What redaction removed from the note just saved (PUT only; empty on GET). */
  redactedTypes: RedactedType[];
}

// ---------------------------------------------------------------- configuration (admins)

/** A team id as operators type it: lower case, starts with a letter, 2..32 characters. */
export const TeamId = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{1,31}$/, 'a team id is 2-32 of a-z, 0-9, _ and -, starting with a letter');
/** Limits of the configuration API (the console checks the same before sending). */
export const ADMIN_LIMITS = {
  slaMin: 10,
  slaMax: 86_400,
  maxConcurrentMin: 1,
  maxConcurrentMax: 20,
  nameMax: 80,
  phoneMax: 32,
} as const;

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const zoneIsKnown = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/**
 * TeamHours as an admin may set them: a time zone the runtime knows, real times (close may be
 * `24:00`). An interval closing at or before it opens runs past midnight (routing/hours.ts), so
 * `00:00`-`00:00` is the whole day.
 */
export const ConfigTeamHours = TeamHours.superRefine((h, ctx) => {
  if (!zoneIsKnown(h.timeZone)) ctx.addIssue({ code: 'custom', path: ['timeZone'], message: 'unknown time zone' });
  h.weekly.forEach((day, d) =>
    day.forEach((i, n) => {
      if (!HHMM.test(i.open)) ctx.addIssue({ code: 'custom', path: ['weekly', d, n, 'open'], message: 'not a time' });
      if (!HHMM.test(i.close) && i.close !== '24:00') {
        ctx.addIssue({ code: 'custom', path: ['weekly', d, n, 'close'], message: 'not a time' });
      }
    }),
  );
});

/** PUT /api/admin/teams/:id: create the team or replace its settings. */
export const AdminTeamRequest = z.object({
  name: z.object({
    en: z.string().trim().min(1).max(ADMIN_LIMITS.nameMax),
    es: z.string().trim().min(1).max(ADMIN_LIMITS.nameMax),
  }),
  /** null = open 24/7. */
  hours: ConfigTeamHours.nullable(),
  /** A display string: digits, spaces, + ( ) . - only; empty or null = no phone line. */
  phone: z
    .string()
    .trim()
    .max(ADMIN_LIMITS.phoneMax)
    .regex(/^[+0-9 ().-]*$/, 'digits, spaces and + ( ) . - only')
    .nullable()
    .transform((p) => (p ? p : null)),
  answerSlaSeconds: z.number().int().min(ADMIN_LIMITS.slaMin).max(ADMIN_LIMITS.slaMax),
});
export type AdminTeamRequest = z.input<typeof AdminTeamRequest>;

/** GET /api/admin/teams (and the `team` of PUT): a team with its answer-time SLA. */
export interface AdminTeamView extends TeamView {
  answerSlaSeconds: number;
}

export const Skill = z.object({ teamId: TeamId, language: Language });
export type Skill = z.infer<typeof Skill>;

/** PUT /api/admin/agents/:id: any of skills (replaced as a whole), max concurrent chats, role. */
export const AdminAgentRequest = z
  .object({
    skills: z.array(Skill).max(200).optional(),
    maxConcurrent: z.number().int().min(ADMIN_LIMITS.maxConcurrentMin).max(ADMIN_LIMITS.maxConcurrentMax).optional(),
    /** Admins are made outside the console; an admin never changes their own role. */
    role: z.enum(['agent', 'supervisor']).optional(),
  })
  .refine((v) => v.skills !== undefined || v.maxConcurrent !== undefined || v.role !== undefined, 'nothing to change');
export type AdminAgentRequest = z.infer<typeof AdminAgentRequest>;

/** GET /api/admin/agents: every staff account with what routing uses. */
export interface AdminAgentView {
  id: string;
  email: string;
  displayName: string;
  role: 'agent' | 'supervisor' | 'admin';
  state: AgentState;
  maxConcurrent: number;
  skills: Skill[];
}
