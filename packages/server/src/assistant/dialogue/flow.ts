/**
 * How a task of the assistant is written. A flow is a function of the slots filled so far: each
 * turn the dialogue manager runs it again with what it knows, and the flow answers with the next
 * step — ask for a missing slot (with choices as quick replies), confirm before changing an account,
 * or finish (say something, maybe hand off to a team). Flows hold no state of their own, so a turn can
 * run on any node; the manager stores the slots (`dialogue/state.ts`).
 *
 * Flows act on accounts only through `ctx.accounts`: reads go to the accounts port as the assistant,
 * writes go through `AccountActionsService` (step-up policy, redaction, audit) with an idempotency key
 * unique to this run of this flow, so a retried turn never acts twice.
 */
import type { CaseStatus, CaseType, ComplaintCategory, Language, Table } from '@carechat/protocol';
import type { AccountsPort } from '../../accounts/accounts.port.js';
import type { ActionOperation } from '../../accounts/account-actions.service.js';
import type { IntentId, TeamId } from '../intents.js';
import type { Entity, Prediction } from '../nlu/engine.js';

/** JSON-serialisable slot values (they are stored between turns). */
export type SlotValue = string | number | boolean | null | string[];
export type Slots = Record<string, SlotValue>;

/** A choice offered as a quick reply. `value` is what lands in the slot. */
export interface Option {
  label: string;
  value: string | number | boolean;
  /** Other ways to say it: "1005" for a card, "lost" for a reason. Matched case- and accent-insensitively. */
  aliases?: string[];
}

/**
 * What an answer must look like to fill a slot.
 * - `option`: one of `options` (by label, alias, position "2"/"the second", or a card's last 4);
 * - `yesno`: affirm/deny (true/false);
 * - `amount` (cents), `date` (YYYY-MM-DD), `day_of_month` (1..31), `number`, `points`: from entities;
 * - `text`: the (redacted) message itself, trimmed;
 * - `any`: any message re-runs the flow (e.g. "tell me when you've approved the prompt").
 */
export type SlotKind = 'option' | 'yesno' | 'amount' | 'date' | 'day_of_month' | 'number' | 'points' | 'text' | 'any';

export interface Reply {
  text: string;
  quickReplies?: string[];
}

export interface HandoffRequest {
  team: TeamId;
  /** Why, for routing and reports: usually the intent id. */
  reason: string;
  /** 0 normal; higher is served first (fraud in progress: 10). */
  priority?: number;
  /** One or two sentences the agent reads first, in the agent-facing language (English). */
  summary: string;
}

export type Step =
  | {
      kind: 'ask';
      slot: string;
      expect: SlotKind;
      prompt: string;
      options?: Option[];
      /** Extra quick replies that are not slot values (e.g. "Talk to an agent"). */
      quickReplies?: string[];
      /**
       * Take the answer as it is, even when it reads like another request (a complaint's description
       * mentioning fees). Cancel and agent requests still apply.
       */
      keep?: boolean;
    }
  | {
      /** A yes/no question before an action: yes fills `slot` (default `confirmed`) with true; no cancels the flow. */
      kind: 'confirm';
      prompt: string;
      slot?: string;
    }
  | {
      kind: 'done';
      replies: Reply[];
      handoff?: HandoffRequest;
      /** What was done, for summaries and `case.reference`: e.g. { kind: 'dispute', reference: 'DSP-…' }. */
      record?: ActionRecord;
      /** Switch the conversation's language. */
      language?: Language;
    };

export interface ActionRecord {
  intent: IntentId;
  /** A short English description for agents and summaries: "Locked card ending 1005". */
  description: string;
  /** A reference number the cardmember can quote (dispute, replacement…), when there is one. */
  reference?: string;
  at?: string;
}

export interface FlowAccounts {
  /** The accounts port; calls are made as the assistant for the chat's cardmember (`caller`). */
  port: AccountsPort;
  caller: import('../../accounts/accounts.port.js').Caller;
  /**
   * A change to the account, through the actions service (step-up, redaction, audit). The idempotency
   * key is derived from the flow run and `operation` (+ `discriminator` when a run acts twice the same way).
   */
  act<T = unknown>(operation: ActionOperation, input: Record<string, unknown>, discriminator?: string): Promise<T>;
}

export interface FlowContext {
  lang: Language;
  /** Today in the issuer's calendar, YYYY-MM-DD. */
  today: string;
  now: Date;
  conversationId: string;
  cardmember: { id: string; firstName: string };
  /** The card the chat was opened from. */
  card: { id: string; last4: string };
  /** The turn that triggered this run (entities of the current message). */
  text: string;
  prediction: Prediction;
  entities: Entity[];
  /** `verified` for 15 minutes after step-up. */
  assurance: 'session' | 'verified';
  accounts: FlowAccounts;
  /** Knowledge-base answers (FAQ). Null when nothing matches well. */
  knowledge(query: string): { id: string; title: string; body: string } | null;
  /** Records of what this chat has done so far (for summaries and references). */
  records: ActionRecord[];
  /** Translator for a flow's own table, in the conversation's language. */
  t<K extends string>(table: Table<K>): (key: K, params?: Record<string, string | number>) => string;
  /** Cases of this chat's cardmember (cases/cases.service.ts); absent where no cases service is wired. */
  cases?: FlowCases;
  /** Secure document upload links (cases/uploads.service.ts); absent where none is wired. */
  uploads?: FlowUploads;
  /** The cardmember's secure inbox, for a summary they asked for; absent where none is wired. */
  summary?: FlowSummary;
}

/** Where a chat summary the cardmember asks for is kept (cases/secure-messages.service.ts). */
export interface FlowSummary {
  /** Stores the summary in the cardmember's secure messages (once per message asking); false if not stored. */
  store(text: string): Promise<boolean>;
}

/** Document links a flow can offer the cardmember. */
export interface FlowUploads {
  /** A new single-use upload link for the case of this dispute, or null when it has no case. */
  linkForDispute(disputeId: string): Promise<string | null>;
}

/** What flows do with cases, for this chat and its cardmember. */
export interface FlowCases {
  /** The chat's own `CHT-` reference, assigned now if it has none. */
  conversationReference(): Promise<string>;
  /** The cardmember's cases, newest first. */
  list(): Promise<Array<{ reference: string; type: CaseType; status: CaseStatus; title: string }>>;
  /**
   * Opens a complaint case for the cardmember, linked to this chat, with their (redacted) description
   * as the first visible timeline entry. A second call in the same chat returns the first case.
   */
  openComplaint(input: { category: ComplaintCategory; title: string; description: string }): Promise<{
    reference: string;
  }>;
}

export interface Flow {
  intent: IntentId;
  /** Slots to pre-fill from the first message (entities); the rest are asked for. */
  init?(ctx: FlowContext): Slots | Promise<Slots>;
  /** The next step given the slots filled so far. Throwing an AccountsError/AppError is handled by the manager. */
  step(ctx: FlowContext, slots: Slots): Promise<Step>;
}

// ------------------------------------------------------------------ small constructors for flows

export const ask = (
  slot: string,
  expect: SlotKind,
  prompt: string,
  options?: Option[],
  quickReplies?: string[],
  keep?: boolean,
): Step => ({ kind: 'ask', slot, expect, prompt, options, quickReplies, ...(keep ? { keep } : {}) });

export const choose = (slot: string, prompt: string, options: Option[], quickReplies?: string[]): Step =>
  ask(slot, 'option', prompt, options, quickReplies);

export const confirm = (prompt: string, slot = 'confirmed'): Step => ({ kind: 'confirm', prompt, slot });

export const say = (...texts: Array<string | Reply>): Step => ({
  kind: 'done',
  replies: texts.map((t) => (typeof t === 'string' ? { text: t } : t)),
});

export const done = (
  replies: Array<string | Reply>,
  extra: Omit<Extract<Step, { kind: 'done' }>, 'kind' | 'replies'> = {},
): Step => ({
  kind: 'done',
  replies: replies.map((t) => (typeof t === 'string' ? { text: t } : t)),
  ...extra,
});

export const handoff = (replies: Array<string | Reply>, request: HandoffRequest, record?: ActionRecord): Step =>
  done(replies, { handoff: request, record });

/** `$1,234.56` / `1.234,56 US$`: money for a cardmember in their language. */
export function money(cents: number, lang: Language): string {
  return new Intl.NumberFormat(lang === 'es' ? 'es-US' : 'en-US', { style: 'currency', currency: 'USD' }).format(
    cents / 100,
  );
}

/** `March 3, 2026` / `3 de marzo de 2026` for a YYYY-MM-DD day. */
export function day(isoDay: string, lang: Language): string {
  const [y, m, d] = isoDay.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(lang === 'es' ? 'es-US' : 'en-US', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** Points with grouping: `12,500`. */
export function points(n: number, lang: Language): string {
  return new Intl.NumberFormat(lang === 'es' ? 'es-US' : 'en-US').format(n);
}
