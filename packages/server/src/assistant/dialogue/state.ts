/**
 * The assistant's memory of a conversation, stored as one JSON row per conversation
 * (`assistant_states`, migration 0006) so the next turn can run on any node.
 */
import type { AssistantBrief } from '@carechat/protocol';
import type { Transaction } from 'kysely';
import type { Db } from '../../store/db.js';
import type { Database } from '../../store/schema.js';
import type { IntentId } from '../intents.js';
import type { ActionRecord, Option, SlotKind, Slots } from './flow.js';

export interface Awaiting {
  slot: string;
  expect: SlotKind;
  prompt: string;
  options?: Option[];
  quickReplies?: string[];
  /** Free text that must not be read as a change of topic (a complaint's description). */
  keep?: boolean;
  /** A confirmation: "no" cancels the task instead of filling the slot. */
  confirm?: boolean;
  /** Answers that did not fill the slot so far. */
  tries: number;
}

export interface Task {
  intent: IntentId;
  /** Unique per run: idempotency keys of the run's account actions derive from it. */
  runId: string;
  slots: Slots;
  awaiting: Awaiting | null;
  startedAt: string;
}

export interface DialogueState {
  version: 1;
  task: Task | null;
  /** Consecutive messages the assistant did not understand (outside a task's question). */
  failures: number;
  /** What the assistant did in this chat (summaries, reference numbers). */
  records: ActionRecord[];
  /** Intents the cardmember raised, in order, without repeats (the agent's summary). */
  topics: IntentId[];
  /** Set once the chat was handed to a team. */
  handoff: { team: string; reason: string; at: string } | null;
}

export const emptyState = (): DialogueState => ({
  version: 1,
  task: null,
  failures: 0,
  records: [],
  topics: [],
  handoff: null,
});

export class AssistantStateStore {
  constructor(private readonly db: Db) {}

  async load(conversationId: string): Promise<DialogueState> {
    const row = await this.db
      .selectFrom('assistant_states')
      .select('state')
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst();
    if (!row) return emptyState();
    try {
      const parsed = JSON.parse(row.state) as DialogueState;
      return parsed.version === 1 ? { ...emptyState(), ...parsed } : emptyState();
    } catch {
      return emptyState();
    }
  }

  /** Stores the state; pass the turn's transaction so it commits together with the replies. */
  async save(
    conversationId: string,
    state: DialogueState,
    now: string,
    db: Db | Transaction<Database> = this.db,
  ): Promise<void> {
    const json = JSON.stringify(state);
    await db
      .insertInto('assistant_states')
      .values({ conversation_id: conversationId, state: json, updated_at: now })
      .onConflict((oc) => oc.column('conversation_id').doUpdateSet({ state: json, updated_at: now }))
      .execute();
  }

  /** The agent's hand-over note: the state plus the summary stored with the queueing event. */
  async brief(conversationId: string): Promise<AssistantBrief | null> {
    const [state, queued] = await Promise.all([
      this.load(conversationId),
      this.db
        .selectFrom('events')
        .select('payload')
        .where('conversation_id', '=', conversationId)
        .where('type', '=', 'conversation.queued')
        .orderBy('id', 'desc')
        .executeTakeFirst(),
    ]);
    let payload: { summary?: unknown; reason?: unknown; teamId?: unknown } = {};
    try {
      payload = queued ? (JSON.parse(queued.payload) as typeof payload) : {};
    } catch {
      payload = {};
    }
    const str = (v: unknown) => (typeof v === 'string' ? v : null);
    if (!queued && !state.topics.length && !state.records.length) return null;
    return {
      summary: str(payload.summary),
      reason: str(payload.reason),
      teamId: str(payload.teamId),
      topics: state.topics,
      done: state.records.map((r) => ({
        description: r.description,
        reference: r.reference ?? null,
        at: r.at ?? null,
      })),
      openTask: state.task
        ? {
            intent: state.task.intent,
            details: Object.fromEntries(
              Object.entries(state.task.slots)
                .filter(([k]) => !k.startsWith('__'))
                .map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]),
            ),
          }
        : null,
    };
  }
}
