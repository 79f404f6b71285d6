/**
 * The console's side of cases (docs/cases.md), kept out of the components so it can be tested alone:
 * the lifecycle's allowed next statuses (mirrors the server's; the server still decides), days left
 * to a deadline, the forms' checks, and the calls the case panel makes (through the controller, so a
 * lost session signs the agent out and errors come back as the text to show).
 */
import type {
  CaseEventView,
  CaseStatus,
  CaseType,
  CaseView,
  ComplaintCategory,
  ConversationView,
} from '@carechat/protocol/client';
import type { ApiClient } from './api.js';
import type { ConsoleKey } from './i18n.js';

export const CASE_TYPES: readonly CaseType[] = [
  'general',
  'complaint',
  'dispute',
  'replacement',
  'goodwill',
  'credit_limit',
  'travel',
];

export const COMPLAINT_CATEGORIES: readonly ComplaintCategory[] = [
  'fees',
  'service',
  'fraud_handling',
  'disputes_handling',
  'credit_reporting',
  'accessibility',
  'discrimination',
  'other',
];

/** Allowed status changes (cases.service.ts `NEXT`); `closed` is final. */
const NEXT: Record<CaseStatus, readonly CaseStatus[]> = {
  open: ['acknowledged', 'in_progress', 'awaiting_customer', 'resolved'],
  acknowledged: ['in_progress', 'awaiting_customer', 'resolved'],
  in_progress: ['awaiting_customer', 'resolved'],
  awaiting_customer: ['in_progress', 'resolved'],
  resolved: ['closed', 'in_progress'],
  closed: [],
};

/** The statuses a case may move to next, in lifecycle order. */
export function nextStatuses(status: CaseStatus): CaseStatus[] {
  return [...(NEXT[status] ?? [])];
}

const DAY_MS = 86_400_000;

/**
 * Whole days from `nowMs` to a deadline: the full days left, 0 when less than a day is left (due
 * today), negative once it has passed. A date (YYYY-MM-DD) is due at the end of that UTC day.
 * Null for no deadline or a value that is not a date.
 */
export function daysLeft(due: string | null | undefined, nowMs: number): number | null {
  if (!due) return null;
  const at = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(due) ? `${due}T23:59:59.999Z` : due);
  if (Number.isNaN(at)) return null;
  return Math.floor((at - nowMs) / DAY_MS);
}

/** "3 days left" / "due today" / "2 days overdue" (the key and its `{n}`). */
export function daysLabel(days: number): { key: ConsoleKey; n: number } {
  if (days < 0) return { key: days === -1 ? 'cases.days.overdueOne' : 'cases.days.overdue', n: -days };
  if (days === 0) return { key: 'cases.days.today', n: 0 };
  return { key: days === 1 ? 'cases.days.one' : 'cases.days.left', n: days };
}

/** The deadlines still running on a case (met ones are not shown). */
export function openDeadlines(
  c: CaseView,
  nowMs: number,
): Array<{ kind: 'acknowledge' | 'resolve'; due: string; days: number }> {
  const out: Array<{ kind: 'acknowledge' | 'resolve'; due: string; days: number }> = [];
  if (c.status === 'closed' || c.status === 'resolved') return out;
  const ack = c.deadlines.acknowledgedAt ? null : c.deadlines.acknowledgeBy;
  const res = c.deadlines.resolvedAt ? null : c.deadlines.resolveBy;
  for (const [kind, due] of [
    ['acknowledge', ack],
    ['resolve', res],
  ] as const) {
    const days = daysLeft(due, nowMs);
    if (due && days !== null) out.push({ kind, due, days });
  }
  return out;
}

/** Timeline entries as the panel lists them: oldest first; staff-only ones are marked internal. */
export function timelineRows(c: CaseView): Array<CaseEventView & { internal: boolean }> {
  return (c.timeline ?? []).map((e) => ({ ...e, internal: !e.visibleToCardmember }));
}

// ------------------------------------------------------------------ forms

export interface NewCaseForm {
  type: CaseType | '';
  title: string;
  complaintCategory: ComplaintCategory | '';
  note: string;
}

export const TITLE_MAX = 200;
export const NOTE_MAX = 2000;
export const REQUEST_MAX = 500;

/** The first problem with the "Open case" form, or null. */
export function checkNewCase(f: NewCaseForm): ConsoleKey | null {
  if (!f.type) return 'cases.invalid.type';
  if (!f.title.trim() || f.title.trim().length > TITLE_MAX) return 'cases.invalid.title';
  if (f.type === 'complaint' && !f.complaintCategory) return 'cases.invalid.category';
  if (f.note.trim().length > NOTE_MAX) return 'cases.invalid.note';
  return null;
}

/** The body of POST /api/cases for the form (a category only for complaints, no empty note). */
export function newCaseBody(conversationId: string, f: NewCaseForm) {
  return {
    conversationId,
    type: f.type as CaseType,
    title: f.title.trim(),
    ...(f.type === 'complaint' && f.complaintCategory ? { complaintCategory: f.complaintCategory } : {}),
    ...(f.note.trim() ? { note: f.note.trim() } : {}),
  };
}

export interface StatusForm {
  status: CaseStatus | '';
  note: string;
  notify: boolean;
}

export function checkStatus(c: CaseView, f: StatusForm): ConsoleKey | null {
  if (!f.status || !nextStatuses(c.status).includes(f.status)) return 'cases.invalid.status';
  if (f.note.trim().length > NOTE_MAX) return 'cases.invalid.note';
  return null;
}

/** Where the panel lists a chat's cases: the chat's own first (as the server sends them). */
export function isLinkedTo(c: CaseView, conversation: Pick<ConversationView, 'id'>): boolean {
  return (c.links ?? []).some((l) => l.kind === 'conversation' && l.id === conversation.id);
}

/** The staff download link of a document (served by the cases' document route). */
export function documentUrl(caseId: string, uploadId: string): string {
  return `/api/cases/${encodeURIComponent(caseId)}/documents/${encodeURIComponent(uploadId)}`;
}

/** "12.3 KB" */
export function fileSize(bytes: number, lang: string): string {
  if (bytes < 1024) return `${bytes} B`;
  const kb = bytes / 1024;
  if (kb < 1024) return `${new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(kb)} KB`;
  return `${new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(kb / 1024)} MB`;
}

// ------------------------------------------------------------------ calls

/** A cases call's outcome: the value, or the text to show and the server's error code. */
export type CaseCall<T> = { ok: true; value: T } | { ok: false; key: ConsoleKey; code: string };

/** What the panel needs from the controller (a lost session there signs the agent out). */
export interface CasesPort {
  cases<T>(call: (api: ApiClient) => Promise<T>): Promise<CaseCall<T>>;
}

/** The text for a failed case call: the server's refusals said plainly for cases. */
export function failureKey(r: { key: ConsoleKey; code: string }): ConsoleKey {
  switch (r.code) {
    case 'conflict':
      return 'cases.error.conflict';
    case 'not_found':
      return 'cases.error.notFound';
    case 'forbidden':
      return 'cases.error.forbidden';
    case 'bad_request':
      return 'cases.error.invalid';
    default:
      return r.key;
  }
}

export async function loadCases(port: CasesPort, conversationId: string): Promise<CaseView[] | ConsoleKey> {
  const r = await port.cases((api) => api.conversationCases(conversationId));
  return r.ok ? r.value : 'cases.error.load';
}

export async function openCase(
  port: CasesPort,
  conversationId: string,
  f: NewCaseForm,
): Promise<CaseView | ConsoleKey> {
  const problem = checkNewCase(f);
  if (problem) return problem;
  const r = await port.cases((api) => api.createCase(newCaseBody(conversationId, f)));
  return r.ok ? r.value : failureKey(r);
}

export async function changeStatus(port: CasesPort, c: CaseView, f: StatusForm): Promise<CaseView | ConsoleKey> {
  const problem = checkStatus(c, f);
  if (problem) return problem;
  const r = await port.cases((api) =>
    api.caseStatus(c.id, {
      status: f.status as CaseStatus,
      notify: f.notify,
      ...(f.note.trim() ? { note: f.note.trim() } : {}),
    }),
  );
  return r.ok ? r.value : failureKey(r);
}

export async function requestDocuments(
  port: CasesPort,
  c: CaseView,
  request: string,
): Promise<{ url: string; expiresAt: string } | ConsoleKey> {
  if (request.trim().length > REQUEST_MAX) return 'cases.invalid.request';
  const r = await port.cases((api) => api.requestDocuments(c.id, request.trim() ? { request: request.trim() } : {}));
  return r.ok ? r.value : failureKey(r);
}

/** A result that is a text key (a failure) rather than a value. */
export const isProblem = (r: unknown): r is ConsoleKey => typeof r === 'string';
