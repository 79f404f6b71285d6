/**
 * Cases: every handled matter gets a reference the cardmember can quote. Disputes (with the Fair
 * Credit Billing Act clocks), complaints, replacements, goodwill and credit-limit requests, travel and
 * general matters; their status history, secure messages to the cardmember, documents uploaded through
 * a secure link, and satisfaction surveys. Shared by the server, the console, the widget and the demo
 * site; see docs/cases.md and docs/disputes.md.
 */
import { z } from 'zod';
import { Id, Language } from './wire.js';

export const CaseType = z.enum([
  'dispute',
  'complaint',
  'replacement',
  'goodwill',
  'credit_limit',
  'travel',
  'general',
]);
export type CaseType = z.infer<typeof CaseType>;

/**
 * `open` → `acknowledged` → `in_progress` ⇄ `awaiting_customer` → `resolved` → `closed`. A case may
 * be resolved straight from any open state; `closed` is final.
 */
export const CaseStatus = z.enum(['open', 'acknowledged', 'in_progress', 'awaiting_customer', 'resolved', 'closed']);
export type CaseStatus = z.infer<typeof CaseStatus>;

export const ComplaintCategory = z.enum([
  'fees',
  'service',
  'fraud_handling',
  'disputes_handling',
  'credit_reporting',
  'accessibility',
  'discrimination',
  'other',
]);
export type ComplaintCategory = z.infer<typeof ComplaintCategory>;

/** One entry of a case's timeline. `visibleToCardmember` entries are what the cardmember sees. */
export interface CaseEventView {
  id: string;
  type:
    | 'created'
    | 'status_changed'
    | 'note'
    | 'document_requested'
    | 'document_uploaded'
    | 'message_sent'
    | 'linked'
    | 'sla_warning'
    | 'sla_breached'
    | 'owner_changed';
  at: string;
  actor: { type: 'cardmember' | 'agent' | 'assistant' | 'system'; id: string | null; name: string | null };
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus | null;
  /** Short text for the timeline (already redacted). */
  text: string | null;
  visibleToCardmember: boolean;
}

export interface CaseDeadlines {
  /** Written acknowledgement due (disputes: notice + 30 days). */
  acknowledgeBy: string | null;
  /** Resolution due (disputes: two complete billing cycles after the notice, never over 90 days). */
  resolveBy: string | null;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
}

export interface CaseView {
  id: string;
  /** What the cardmember quotes: `DSP-…` for disputes (the dispute's own reference), `CMP-…`, `RPL-…`, ... */
  reference: string;
  type: CaseType;
  status: CaseStatus;
  title: string;
  language: Language;
  cardmemberId: string;
  cardLast4: string | null;
  ownerTeamId: string;
  complaintCategory: ComplaintCategory | null;
  disputeId: string | null;
  deadlines: CaseDeadlines;
  createdAt: string;
  updatedAt: string;
  /** Staff views: linked conversations and account actions (audit ids). */
  links?: Array<{ kind: 'conversation' | 'account_action' | 'dispute'; id: string; at: string }>;
  /** Staff views: documents uploaded to the case. */
  documents?: UploadView[];
  timeline?: CaseEventView[];
}

/** A message in the cardmember's secure inbox on the issuer's site (case updates, summaries). */
export interface SecureMessageView {
  id: string;
  kind: 'case_update' | 'acknowledgement' | 'resolution' | 'document_request' | 'summary';
  caseId: string | null;
  caseReference: string | null;
  conversationId: string | null;
  language: Language;
  subject: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}

/** A document a cardmember sent through a secure upload link (staff see these on the case). */
export interface UploadView {
  id: string;
  caseId: string;
  /** The name as sent, after redaction. */
  filename: string;
  /** Detected from the file's first bytes, never taken from the browser. */
  contentType: 'application/pdf' | 'image/png' | 'image/jpeg' | 'image/heic' | 'text/plain';
  sizeBytes: number;
  sha256: string;
  note: string | null;
  createdAt: string;
}

/** What a secure upload link page shows (GET /upload/:token on the site). */
export interface UploadLinkView {
  caseReference: string;
  caseTitle: string;
  expiresAt: string;
  maxBytes: number;
  accepted: UploadView['contentType'][];
  language: Language;
  /** What the agent asked for (redacted), when they said. */
  request?: string | null;
}

// ---------------------------------------------------------------- names, as cardmembers read them

/** Case types and statuses by name, for every place that shows them to a cardmember (site, summaries). */
export const CASE_TYPE_LABELS: Record<Language, Record<CaseType, string>> = {
  en: {
    dispute: 'Dispute',
    complaint: 'Complaint',
    replacement: 'Card replacement',
    goodwill: 'Goodwill request',
    credit_limit: 'Credit limit request',
    travel: 'Travel',
    general: 'General request',
  },
  es: {
    dispute: 'Disputa',
    complaint: 'Queja',
    replacement: 'Reemplazo de tarjeta',
    goodwill: 'Solicitud de cortesía',
    credit_limit: 'Solicitud de límite de crédito',
    travel: 'Viajes',
    general: 'Solicitud general',
  },
};

export const CASE_STATUS_LABELS: Record<Language, Record<CaseStatus, string>> = {
  en: {
    open: 'Open',
    acknowledged: 'Acknowledged',
    in_progress: 'In progress',
    awaiting_customer: 'Waiting for you',
    resolved: 'Resolved',
    closed: 'Closed',
  },
  es: {
    open: 'Abierto',
    acknowledged: 'Confirmado',
    in_progress: 'En curso',
    awaiting_customer: 'Esperando su respuesta',
    resolved: 'Resuelto',
    closed: 'Cerrado',
  },
};

// ---------------------------------------------------------------- requests

/** POST /api/cases (staff): open a case for the chat's cardmember. */
export const CreateCaseRequest = z.object({
  conversationId: Id,
  type: CaseType,
  title: z.string().trim().min(1).max(200),
  complaintCategory: ComplaintCategory.optional(),
  /** Free text for the timeline (redacted). */
  note: z.string().trim().max(2000).optional(),
});
export type CreateCaseRequest = z.infer<typeof CreateCaseRequest>;

/** POST /api/cases/:id/status (staff). */
export const CaseStatusRequest = z.object({
  status: CaseStatus,
  /** Shown to the cardmember in their secure inbox when `notify` is set. */
  note: z.string().trim().max(2000).optional(),
  notify: z.boolean().default(true),
});
export type CaseStatusRequest = z.infer<typeof CaseStatusRequest>;

/** POST /api/cases/:id/upload-links (staff) or by a flow: a single-use link for documents. */
export const UploadLinkRequest = z.object({
  /** What to send, shown on the upload page and in the secure message (redacted). */
  request: z.string().trim().max(500).optional(),
});

/** POST /api/widget/conversations/:id/csat (cardmember, after a chat with an agent). */
export const CsatRequest = z.object({
  score: z.number().int().min(1).max(5),
  comment: z.string().trim().max(1000).optional(),
});
export type CsatRequest = z.infer<typeof CsatRequest>;

/** The SLA state of a case on the server's day (UTC), as the supervisor's case list shows it. */
export interface CaseSla {
  /** Days left to acknowledge (negative: overdue); null once acknowledged or settled, or without a deadline. */
  acknowledgeInDays: number | null;
  /** Days left to resolve (negative: overdue); null once settled, or without a deadline. */
  resolveInDays: number | null;
  /** A deadline is near (5 days before acknowledge-by, 10 before resolve-by) and none was missed. */
  warning: boolean;
  /** A deadline was missed: overdue now, or met late. */
  breached: boolean;
}

/** GET /api/supervisor/cases: the cases of the supervisor's teams, open ones first by nearest deadline. */
export interface SupervisorCasesResponse {
  cases: Array<CaseView & { sla: CaseSla }>;
}

/** Which deadline a case timer is about, and whether it is the warning before it or the breach. */
export type CaseDeadlineKind = 'acknowledge_warning' | 'acknowledge_breach' | 'resolve_warning' | 'resolve_breach';

/**
 * Server frame (staff sockets of the owning team and its supervisors): a case's deadline timer fired.
 * `due` is the deadline day (YYYY-MM-DD, the issuer's day, UTC).
 */
export interface CaseDeadlineFrame {
  type: 'case_deadline';
  caseId: string;
  reference: string;
  ownerTeamId: string;
  kind: CaseDeadlineKind;
  due: string;
}

/** GET /api/team/cases: open cases of the caller's teams with a deadline warning or breach still owed. */
export interface TeamCasesResponse {
  cases: Array<CaseView & { deadline: { kind: CaseDeadlineKind; due: string } }>;
}
