/**
 * Chat summaries built only from what was recorded: the conversation's events (queued, assigned,
 * transferred, closed), the assistant's action records and topics (`assistant_states`), agents' account
 * changes in the chat (`audit_log`), the chat's linked cases and its reference, disputes and
 * replacement cards quoted by those records. Never free text the cardmember typed.
 *
 * `composeSummary` turns the facts into text (EN/ES); `SummaryBuilder.buildSummary` gathers the facts
 * from the store. The assistant's `conversation.summary` flow gathers its facts through the accounts
 * port and composes with the same function.
 */
import { translator, type CaseStatus, type CaseType, type Language } from '@carechat/protocol';
import type { ActionRecord } from '../assistant/dialogue/flow.js';
import { recordLabel } from '../assistant/flows/conversation/records.js';
import type { Db } from '../store/db.js';
import type { SecureMessagesService } from './secure-messages.service.js';
import {
  CASE_STATUS_LABELS,
  CASE_TYPE_LABELS,
  dayText,
  OPERATION_LABELS,
  summaryStrings,
  TOPIC_LABELS,
} from './summary.strings.js';

export interface SummaryFacts {
  /** The chat's `CHT-` reference, when it has one. */
  reference: string | null;
  /** Intents the cardmember raised, in order. */
  topics: string[];
  /** What the assistant did (its records). */
  records: ActionRecord[];
  /** Account changes made by agents in the chat (audit operation names). */
  agentActions: Array<{ operation: string; at: string; targetId: string | null }>;
  /** Hand-offs recorded for the chat. */
  handling: Array<{ kind: 'queued' | 'assigned' | 'transferred' | 'closed'; at: string }>;
  cases: Array<{
    reference: string;
    type: CaseType;
    status: CaseStatus;
    createdAt: string;
    acknowledgeBy: string | null;
    resolveBy: string | null;
  }>;
  /** Open disputes the chat's records quote (when they have no case yet). */
  disputes: Array<{ reference: string; acknowledgeBy: string; resolveBy: string }>;
  /** Replacement cards on their way that the chat ordered. */
  cardsOnTheWay: Array<{ last4: string; estimatedDelivery: string }>;
}

export const emptyFacts = (): SummaryFacts => ({
  reference: null,
  topics: [],
  records: [],
  agentActions: [],
  handling: [],
  cases: [],
  disputes: [],
  cardsOnTheWay: [],
});

/** Flows whose records mean a new card is on its way. */
export const NEW_CARD_INTENTS = new Set<string>(['card.lost_stolen', 'card.damaged', 'fraud.report']);
const OPEN: readonly CaseStatus[] = ['open', 'acknowledged', 'in_progress', 'awaiting_customer'];

/** Topic labels by intent area, each once, in order. */
function topicList(topics: string[], lang: Language): string[] {
  const labels = TOPIC_LABELS[lang];
  const out: string[] = [];
  for (const intent of topics) {
    const area = intent.split('.')[0]!;
    if (area === 'conversation' || area === 'language') continue;
    const label = labels[area] ?? labels.other!;
    if (!out.includes(label)) out.push(label);
  }
  return out;
}

/** True when the summary has nothing to report (no topic, action, hand-off or case). */
export function isEmpty(f: SummaryFacts): boolean {
  return (
    !f.records.length &&
    !f.agentActions.length &&
    !f.cases.length &&
    !f.handling.length &&
    !topicList(f.topics, 'en').length
  );
}

/** The summary text: what was asked, what was done (dates, references), next steps and timeline. */
export function composeSummary(f: SummaryFacts, lang: Language, today: string): string {
  const t = translator(summaryStrings, lang);
  const lines = [t('title')];
  if (f.reference) lines.push(t('reference', { reference: f.reference }));
  const topics = topicList(f.topics, lang);
  lines.push(topics.length ? t('asked', { topics: topics.join(', ') }) : t('asked.none'));

  lines.push(t('done'));
  const done: Array<{ at: string; line: string }> = [];
  for (const r of f.records) {
    const at = r.at ?? today;
    const params = { date: dayText(at, lang), what: recordLabel(r, lang) };
    done.push({
      at,
      line: r.reference ? t('done.line.reference', { ...params, reference: r.reference }) : t('done.line', params),
    });
  }
  for (const a of f.agentActions)
    done.push({
      at: a.at,
      line: t('done.line', {
        date: dayText(a.at, lang),
        what: t('done.agent', { operation: OPERATION_LABELS[lang][a.operation] ?? OPERATION_LABELS[lang].other! }),
      }),
    });
  const quoted = new Set(f.records.flatMap((r) => (r.reference ? [r.reference.toUpperCase()] : [])));
  for (const c of f.cases) {
    if (quoted.has(c.reference.toUpperCase())) continue;
    const what = t('done.case', {
      type: CASE_TYPE_LABELS[lang][c.type],
      reference: c.reference,
      status: CASE_STATUS_LABELS[lang][c.status].toLowerCase(),
    });
    done.push({ at: c.createdAt, line: t('done.line', { date: dayText(c.createdAt, lang), what }) });
  }
  const handling = {
    queued: 'handled.queued',
    assigned: 'handled.assigned',
    transferred: 'handled.transferred',
    closed: 'handled.closed',
  } as const;
  for (const h of f.handling) done.push({ at: h.at, line: t(handling[h.kind], { date: dayText(h.at, lang) }) });
  // In the order it happened (stable: the same instant keeps records, agents, cases, hand-offs).
  done.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  lines.push(...(done.length ? done.map((d) => d.line) : [t('done.none')]));

  lines.push(t('next'));
  const steps = nextSteps(f, lang);
  lines.push(...(steps.length ? steps : [t('next.none')]));
  return lines.join('\n');
}

function nextSteps(f: SummaryFacts, lang: Language): string[] {
  const t = translator(summaryStrings, lang);
  const steps: string[] = [];
  const seen = new Set<string>();
  for (const c of f.cases) {
    if (!OPEN.includes(c.status)) continue;
    seen.add(c.reference.toUpperCase());
    if (c.type === 'dispute' && c.acknowledgeBy && c.resolveBy) {
      steps.push(
        t('next.dispute', {
          reference: c.reference,
          acknowledgeBy: dayText(c.acknowledgeBy, lang),
          resolveBy: dayText(c.resolveBy, lang),
        }),
      );
    } else if (c.type === 'complaint') {
      steps.push(t('next.complaint.case', { reference: c.reference }));
    } else {
      steps.push(
        t('next.case', {
          reference: c.reference,
          type: CASE_TYPE_LABELS[lang][c.type],
          status: CASE_STATUS_LABELS[lang][c.status],
        }),
      );
    }
  }
  for (const d of f.disputes) {
    if (seen.has(d.reference.toUpperCase())) continue;
    seen.add(d.reference.toUpperCase());
    steps.push(
      t('next.dispute', {
        reference: d.reference,
        acknowledgeBy: dayText(d.acknowledgeBy, lang),
        resolveBy: dayText(d.resolveBy, lang),
      }),
    );
  }
  for (const c of f.cardsOnTheWay)
    steps.push(t('next.card', { last4: c.last4, date: dayText(c.estimatedDelivery, lang) }));
  const complaintCase = f.cases.some((c) => c.type === 'complaint');
  if (!complaintCase && f.records.some((r) => r.intent === 'complaint.file')) steps.push(t('next.complaint'));
  return steps;
}

export interface BuiltSummary {
  subject: string;
  text: string;
  facts: SummaryFacts;
}

/** Gathers a chat's facts from the store and composes its summary. */
export class SummaryBuilder {
  constructor(private readonly d: { db: Db; today: () => string }) {}

  /** The chat's summary in `language`, or null when the chat does not exist. */
  async buildSummary(conversationId: string, language: Language): Promise<BuiltSummary | null> {
    const facts = await this.facts(conversationId);
    if (!facts) return null;
    const t = translator(summaryStrings, language);
    return {
      subject: t('message.subject', { reference: facts.reference ?? '' }).trim(),
      text: composeSummary(facts, language, this.d.today()),
      facts,
    };
  }

  async facts(conversationId: string): Promise<SummaryFacts | null> {
    const db = this.d.db;
    const conv = await db
      .selectFrom('conversations')
      .select(['id', 'reference', 'cardmember_id', 'created_at'])
      .where('id', '=', conversationId)
      .executeTakeFirst();
    if (!conv) return null;
    const [stateRow, audit, events, cases] = await Promise.all([
      db
        .selectFrom('assistant_states')
        .select('state')
        .where('conversation_id', '=', conversationId)
        .executeTakeFirst(),
      db
        .selectFrom('audit_log')
        .select(['operation', 'at', 'target_id'])
        .where('conversation_id', '=', conversationId)
        .where('actor_type', '=', 'agent')
        .where('outcome', '=', 'ok')
        .orderBy('at')
        .execute(),
      db
        .selectFrom('events')
        .select(['type', 'created_at'])
        .where('conversation_id', '=', conversationId)
        .where('type', 'in', [
          'conversation.queued',
          'conversation.assigned',
          'conversation.transferred',
          'conversation.closed',
        ])
        .orderBy('id')
        .execute(),
      db
        .selectFrom('cases as c')
        .innerJoin('case_links as l', 'l.case_id', 'c.id')
        .select(['c.reference', 'c.type', 'c.status', 'c.created_at', 'c.acknowledge_by', 'c.resolve_by'])
        .where('l.kind', '=', 'conversation')
        .where('l.target_id', '=', conversationId)
        .orderBy('c.created_at')
        .execute(),
    ]);
    let records: ActionRecord[] = [];
    let topics: string[] = [];
    try {
      const s = stateRow ? (JSON.parse(stateRow.state) as { records?: ActionRecord[]; topics?: string[] }) : {};
      records = Array.isArray(s.records) ? s.records : [];
      topics = Array.isArray(s.topics) ? s.topics : [];
    } catch {
      // A damaged state row: the summary goes on with the other records.
    }
    const references = records.flatMap((r) => (r.reference ? [r.reference] : []));
    const disputes = references.length
      ? await db
          .selectFrom('disputes')
          .select(['reference', 'acknowledge_by', 'resolve_by', 'status'])
          .where('reference', 'in', references)
          .execute()
      : [];
    let cardsOnTheWay: SummaryFacts['cardsOnTheWay'] = [];
    const cardRecords = records.filter((r) => NEW_CARD_INTENTS.has(r.intent));
    if (cardRecords.length || audit.length) {
      const since = [conv.created_at, ...cardRecords.map((r) => r.at ?? conv.created_at)].sort()[0]!.slice(0, 10);
      const rows = await db
        .selectFrom('replacements as r')
        .innerJoin('cards as old', 'old.id', 'r.card_id')
        .innerJoin('cards as nw', 'nw.id', 'r.new_card_id')
        .select(['r.id', 'r.ordered_at', 'r.estimated_delivery', 'nw.last4'])
        .where('old.cardmember_id', '=', conv.cardmember_id)
        .where('r.delivered_on', 'is', null)
        .execute();
      const quoted = new Set(references.map((r) => r.toUpperCase()));
      cardsOnTheWay = rows
        .filter((r) => quoted.has(r.id.toUpperCase()) || r.ordered_at.slice(0, 10) >= since)
        .map((r) => ({ last4: r.last4, estimatedDelivery: r.estimated_delivery }));
    }
    const kind = (type: string) => type.replace('conversation.', '') as SummaryFacts['handling'][number]['kind'];
    return {
      reference: conv.reference ?? null,
      topics,
      records,
      agentActions: audit.map((a) => ({ operation: a.operation, at: a.at, targetId: a.target_id })),
      handling: events.map((e) => ({ kind: kind(e.type), at: e.created_at })),
      cases: cases.map((c) => ({
        reference: c.reference,
        type: c.type,
        status: c.status,
        createdAt: c.created_at,
        acknowledgeBy: c.acknowledge_by,
        resolveBy: c.resolve_by,
      })),
      disputes: disputes
        .filter((d) => d.status === 'open' || d.status === 'acknowledged')
        .map((d) => ({ reference: d.reference, acknowledgeBy: d.acknowledge_by, resolveBy: d.resolve_by })),
      cardsOnTheWay,
    };
  }
}

/**
 * What the conversation service calls: the summary for the transcript's end, and at the end of a chat
 * the `summary` secure message (dedupe `summary:<conversationId>`: one per chat, whoever ends it).
 */
export function chatSummaries(d: { builder: SummaryBuilder; messages: Pick<SecureMessagesService, 'send'>; db: Db }): {
  text(conversationId: string, language: Language): Promise<string | null>;
  chatEnded(conversationId: string): Promise<void>;
  asked(ctx: { conversationId: string; cardmemberId: string; language: Language }, text: string): Promise<boolean>;
} {
  return {
    /**
     * A summary the cardmember asked for in the chat, kept in their secure messages. Keyed by the
     * chat's last message, so a retried turn for the same question stores it once.
     */
    async asked(ctx, text) {
      const conv = await d.db
        .selectFrom('conversations')
        .select(['last_seq'])
        .where('id', '=', ctx.conversationId)
        .executeTakeFirst();
      if (!conv) return false;
      const t = translator(summaryStrings, ctx.language);
      await d.messages.send({
        cardmemberId: ctx.cardmemberId,
        conversationId: ctx.conversationId,
        kind: 'summary',
        language: ctx.language,
        subject: t('message.subject', { reference: '' }).trim(),
        body: text,
        dedupeKey: `summary:${ctx.conversationId}:asked:${Number(conv.last_seq)}`,
      });
      return true;
    },
    async text(conversationId, language) {
      return (await d.builder.buildSummary(conversationId, language))?.text ?? null;
    },
    async chatEnded(conversationId) {
      const conv = await d.db
        .selectFrom('conversations')
        .select(['cardmember_id', 'language'])
        .where('id', '=', conversationId)
        .executeTakeFirst();
      if (!conv) return;
      const summary = await d.builder.buildSummary(conversationId, conv.language);
      if (!summary || isEmpty(summary.facts)) return;
      await d.messages.send({
        cardmemberId: conv.cardmember_id,
        conversationId,
        kind: 'summary',
        language: conv.language,
        subject: summary.subject,
        body: summary.text,
        dedupeKey: `summary:${conversationId}`,
      });
    },
  };
}
