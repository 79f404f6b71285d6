/**
 * Conversations: the life of a message (authorize -> redact -> persist with seq -> publish after
 * commit), the assistant's turns (stored jobs, see assistant-jobs.ts), handoff to a queue, acceptance by
 * an agent, and the end of a chat.
 */
import { randomUUID } from 'node:crypto';
import {
  MAX_BODY_CHARS,
  systemStrings,
  translator,
  type ConversationView,
  type Language,
  type Message,
  type QueueInfo,
  type RedactedType,
  type SystemCode,
  type Table,
} from '@carechat/protocol';
import type { Transaction } from 'kysely';
import type { AgentsStore } from '../agents/agents.store.js';
import type { Assistant, AssistantDecision } from '../assistant/assistant.js';
import type { Bus } from '../bus/bus.js';
import { channels } from '../bus/events.js';
import { redactedTypes, storedRedactions, type Redactor } from '../redaction/redactor.js';
import { iso, type Clock } from '../shared/clock.js';
import { AppError, conflict, notFound } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { isUniqueViolation } from '../store/db.js';
import type { Database, MessagesTable } from '../store/schema.js';
import { authorize, can, queueScope, type Action, type ChatParticipation } from '../security/access.js';
import { effectiveLevel } from '../security/stepup.policy.js';
import { recordReasonedRead, REASON_MAX_CHARS, REASON_MIN_CHARS } from '../security/access-audit.js';
import { canAccept, canWrite, type Actor } from './conversations.policy.js';
import { presentConversation, presentMessage, presentStaffConversation } from './conversations.presenter.js';
import type { QueueModel } from '../routing/queue-model.js';
import {
  AssistantJobRunner,
  AssistantJobsStore,
  type AssistantJob,
  type AssistantJobsOptions,
} from './assistant-jobs.js';
import type { ConversationRow, ConversationsStore, NewMessage } from './conversations.store.js';

export interface ConversationServiceDeps {
  store: ConversationsStore;
  agents: AgentsStore;
  bus: Bus;
  assistant: Assistant;
  redactor: Redactor;
  clock: Clock;
  logger: Logger;
  /** Place in line, wait estimate, hours and handle-time statistics (routing/queue-model.ts). */
  queues: QueueModel;
  /** Assigns the chat its `CHT-` reference (cases/cases.service.ts), once a person takes it. */
  conversationReference?: (conversationId: string) => Promise<string>;
  /**
   * The chat's summary from recorded facts (cases/summary.ts): added at the end of the transcript, and
   * stored as a secure message when the chat ends.
   */
  summaries?: {
    text(conversationId: string, language: Language): Promise<string | null>;
    chatEnded(conversationId: string): Promise<void>;
  };
  /**
   * The assistant's turns as stored jobs: this node's id, the store's kind, lease and sweep interval
   * (default: a random node id, no SKIP LOCKED, 30 s, 2 s). The sweep runs once `startAssistantJobs()`.
   */
  assistantJobs?: AssistantJobsOptions;
}

export interface SendResult {
  message: Message;
  duplicate: boolean;
  /** What redaction removed (each kind once), for the sender's notice; a retry reports the first send's. */
  redactedTypes: RedactedType[];
}

const LANGUAGE_NAMES: Record<Language, Record<Language, string>> = {
  en: { en: 'English', es: 'Spanish' },
  es: { en: 'inglés', es: 'español' },
};

const notFoundError = () => notFound('conversation_not_found', 'That conversation does not exist or is not yours.');

export class ConversationService {
  private readonly jobs: AssistantJobsStore;
  /** Runs this node's assistant turns: the ones it stores, and the ones its sweep takes over. */
  readonly assistantJobs: AssistantJobRunner;

  constructor(private readonly d: ConversationServiceDeps) {
    this.jobs = new AssistantJobsStore(
      d.store.db,
      d.assistantJobs ?? {
        nodeId: `node-${randomUUID().slice(0, 8)}`,
        kind: 'sqlite',
        leaseSeconds: 30,
        sweepMs: 2000,
      },
    );
    this.assistantJobs = new AssistantJobRunner(
      this.jobs,
      { turn: (job) => this.assistantTurn(job), giveUp: (job) => this.giveUpAssistantTurn(job) },
      d.logger,
    );
  }

  /** Every node sweeps for assistant turns left behind (a node died mid-turn, or a turn failed). */
  startAssistantJobs(): void {
    this.assistantJobs.start();
  }

  async stopAssistantJobs(): Promise<void> {
    await this.assistantJobs.stop();
  }

  // ------------------------------------------------------------------ reads

  /**
   * Loads a conversation the actor may read (or act on, for `action`): conversation_not_found for an
   * unknown or someone else's id alike; 403 only when the actor's role may never do this.
   */
  async getReadable(actor: Actor, id: string, action: Action = 'conversation.read'): Promise<ConversationRow> {
    return (await this.readable(actor, id, action)).row;
  }

  /** getReadable, with the staff who joined the chat (the policy decides on them too). */
  async readable(
    actor: Actor,
    id: string,
    action: Action = 'conversation.read',
  ): Promise<{ row: ConversationRow; participants: ChatParticipation[] }> {
    authorize(actor, action);
    // Staff: the row and who joined the chat in one query; a cardmember's policy needs no participants.
    const found =
      actor.role === 'cardmember'
        ? await this.d.store.get(id).then((row) => row && { row, participants: [] })
        : await this.d.store.getWithStaff(id);
    if (!found) throw notFoundError();
    authorize(actor, action, { conversation: found.row, participants: found.participants });
    return found;
  }

  /**
   * The conversation as `audience` may see it: staff (an actor or 'staff') get priority,
   * accommodation, escalation, participants and disposition; anyone else the shared view.
   */
  async view(row: ConversationRow, audience?: Actor | 'staff'): Promise<ConversationView> {
    const queue = await this.queueInfo(row);
    const now = this.d.clock.now();
    if (audience === 'staff' || (audience && audience.role !== 'cardmember')) {
      return presentStaffConversation(row, queue, now, await this.d.store.participantViews(row.id));
    }
    return presentConversation(row, queue, now);
  }

  async viewById(id: string, audience?: Actor | 'staff'): Promise<ConversationView | null> {
    const row = await this.d.store.get(id);
    return row ? this.view(row, audience) : null;
  }

  /** The cardmember's preferred language, for chats they start. */
  async languageOf(actor: Actor): Promise<Language | null> {
    return actor.role === 'cardmember' ? this.d.store.cardmemberLanguage(actor.cardmemberId) : null;
  }

  /** Replay. A cardmember never gets internal notes or whispers: their seqs simply have gaps. */
  async messagesAfter(actor: Actor, id: string, afterSeq: number): Promise<Message[]> {
    await this.getReadable(actor, id);
    const rows = await this.d.store.messagesAfter(id, afterSeq, 500, { withNotes: actor.role !== 'cardmember' });
    return rows.map(presentMessage);
  }

  /**
   * An administrator reads a conversation for a stated reason. The (redacted) reason is recorded in
   * the audit log before anything is returned, so no read goes unrecorded.
   */
  async readWithReason(
    actor: Actor,
    id: string,
    reason: string,
  ): Promise<{ conversation: ConversationView; messages: Message[] }> {
    const row = await this.getReadable(actor, id, 'conversation.read_with_reason');
    const text = reason.trim();
    if (text.length < REASON_MIN_CHARS || text.length > REASON_MAX_CHARS) {
      throw new AppError(
        'bad_request',
        400,
        `Give a reason of ${REASON_MIN_CHARS}–${REASON_MAX_CHARS} characters; it is recorded with your name.`,
      );
    }
    await recordReasonedRead(this.d.store.db, {
      actorType: actor.role,
      actorId: actor.role === 'cardmember' ? actor.cardmemberId : actor.agentId,
      cardmemberId: row.cardmember_id,
      conversationId: row.id,
      reason: this.d.redactor.redact(text).text,
      at: iso(this.d.clock.now()),
    });
    const rows = await this.d.store.messagesAfter(id, 0, 100_000);
    return { conversation: await this.view(row), messages: rows.map(presentMessage) };
  }

  async queueInfo(row: ConversationRow): Promise<QueueInfo | null> {
    return this.d.queues.info(row, this.d.clock.now());
  }

  // ------------------------------------------------------------------ cardmember entry

  /** The open chat for this card, or a new one greeted by the assistant. */
  async openForCard(input: { cardmemberId: string; cardId: string; language: Language }): Promise<ConversationRow> {
    const existing = await this.d.store.findOpenForCard(input.cardmemberId, input.cardId);
    if (existing) return existing;
    const now = iso(this.d.clock.now());
    const id = randomUUID();
    // The cardmember's noted accommodation travels with the chat, so every agent who picks it up sees it.
    const accommodation = await this.d.store.accommodationOf(input.cardmemberId);
    const created = await this.d.store.transaction(async (tx) => {
      // Two tabs (or two nodes) opening at once: the card lock makes the second wait, then find the first's chat.
      await this.d.store.lockCard(tx, input.cardId);
      const raced = await this.d.store.findOpenForCard(input.cardmemberId, input.cardId, tx);
      if (raced) return raced;
      await this.d.store.insert(tx, {
        id,
        cardmember_id: input.cardmemberId,
        card_id: input.cardId,
        language: input.language,
        status: 'bot',
        team_id: null,
        priority: 0,
        queued_at: null,
        assigned_agent_id: null,
        assigned_at: null,
        closed_at: null,
        closed_by: null,
        last_seq: 0,
        created_at: now,
        updated_at: now,
        accommodation,
      });
      await this.d.store.recordEvent(tx, {
        type: 'conversation.created',
        conversationId: id,
        actorType: 'cardmember',
        actorId: input.cardmemberId,
        payload: { cardId: input.cardId },
        now,
      });
      return null;
    });
    if (created) return created;
    const row = (await this.d.store.get(id))!;
    const greeting = this.d.assistant.greet({
      conversationId: id,
      cardmemberId: row.cardmember_id,
      cardId: row.card_id,
      assurance: effectiveLevel(row, this.d.clock.now()),
      language: row.language,
      status: row.status,
      cardmemberFirstName: row.cm_first_name,
      cardLast4: row.card_last4,
    });
    await this.applyDecision(row, greeting);
    return (await this.d.store.get(id))!;
  }

  // ------------------------------------------------------------------ the life of a message

  /** PostgreSQL send: the message (and the assistant's job, when `answers`) in one committed statement. */
  private async appendOnce(conversationId: string, m: NewMessage, now: string, answers: boolean) {
    const draft = answers ? this.jobs.draft(conversationId) : undefined;
    const row = await this.d.store.appendOnce(conversationId, m, now, draft);
    return { row, duplicate: false, job: draft ? this.jobs.taken({ ...draft, message_seq: row.seq }) : null };
  }

  /**
   * Stores one message from a cardmember or agent. Persist before ack: the caller acks only after this
   * resolves. A repeated clientMsgId returns the first stored message with duplicate=true.
   */
  async send(actor: Actor, input: { conversationId: string; clientMsgId: string; body: string }): Promise<SendResult> {
    const { row, participants } = await this.readable(actor, input.conversationId);
    // A retry of something already stored must succeed even if the chat has since closed (or the retry's
    // body would now be refused): the stored row is looked for before any refusal. A writable chat
    // needs no look first: the store's unique (conversation, clientMsgId) catches the retry below.
    const refuse = async (err: AppError): Promise<SendResult> => {
      const prior = await this.d.store.findByClientMsgId(this.d.store.db, row.id, input.clientMsgId);
      if (!prior) throw err;
      return {
        message: presentMessage(prior),
        duplicate: true,
        redactedTypes: redactedTypes(storedRedactions(prior.meta)),
      };
    };
    if (!canWrite(actor, row, participants)) {
      if (row.status === 'closed') return refuse(conflict('conversation_closed', 'This chat has ended.'));
      return refuse(new AppError('forbidden', 403, 'You cannot write to this conversation right now.'));
    }
    const trimmed = input.body.trim();
    if (!trimmed) return refuse(new AppError('message_empty', 400, 'The message is empty.'));
    if (trimmed.length > MAX_BODY_CHARS) {
      return refuse(new AppError('message_too_long', 400, `Messages can be at most ${MAX_BODY_CHARS} characters.`));
    }
    // Redaction at the edge: from here on only the redacted text exists.
    const redaction = this.d.redactor.redact(trimmed);
    const author: Pick<NewMessage, 'authorType' | 'authorId' | 'authorName'> =
      actor.role === 'cardmember'
        ? { authorType: 'cardmember', authorId: actor.cardmemberId, authorName: actor.firstName }
        : { authorType: 'agent', authorId: actor.agentId, authorName: actor.firstName };
    const now = iso(this.d.clock.now());
    const answers = actor.role === 'cardmember' && (row.status === 'bot' || row.status === 'queued');
    const newMessage: NewMessage = {
      ...author,
      clientMsgId: input.clientMsgId,
      kind: 'text',
      body: redaction.text,
      meta: redaction.findings.length
        ? { redactions: redaction.findings.map((f) => ({ type: f.type, start: f.start, end: f.end })) }
        : {},
    };
    // A concurrent retry won the race on (conversation, clientMsgId): return its row.
    const stored = async () => ({
      row: (await this.d.store.findByClientMsgId(this.d.store.db, row.id, input.clientMsgId))!,
      duplicate: true,
      job: null,
    });
    const result: { row: MessagesTable; duplicate: boolean; job: AssistantJob | null } = this.d.store
      .singleStatementSend
      ? // PostgreSQL: bump, message, event and the assistant's job in one statement, one round trip.
        await this.appendOnce(row.id, newMessage, now, answers).catch(async (err: unknown) => {
          if (isUniqueViolation(err)) return stored();
          throw err;
        })
      : await this.d.store.transaction(
          async (tx) => {
            const appended = await this.d.store.append(tx, row.id, newMessage, now);
            // The assistant's turn is owed from the moment the message is: both commit together.
            const job = answers && !appended.duplicate ? await this.jobs.add(tx, row.id, appended.row.seq) : null;
            return { ...appended, job };
          },
          stored,
          // SQLite: concurrent sends share a commit, each still atomic and acked only once committed.
          { grouped: true },
        );
    const message = presentMessage(result.row);
    if (!result.duplicate) {
      await this.publishMessage(message);
      // This node holds the job's lease: it answers at once (after its earlier turns of the chat).
      if (result.job) this.assistantJobs.submit(result.job);
    }
    // A retry reports what the first send's redaction removed.
    const removed = result.duplicate ? storedRedactions(result.row.meta) : redaction.findings;
    return { message, duplicate: result.duplicate, redactedTypes: redactedTypes(removed) };
  }

  /** Resolves when every assistant turn this node started has finished (tests, graceful shutdown). */
  async idle(): Promise<void> {
    await this.assistantJobs.idle();
  }

  /**
   * One stored turn: answers the job's message. True when the turn's transaction finished the job;
   * false when this take lost it (its lease ran out and another take stored the answer instead).
   */
  private async assistantTurn(job: AssistantJob): Promise<boolean> {
    const conversationId = job.conversationId;
    const row = await this.d.store.get(conversationId);
    const message = row ? await this.d.store.messageAt(conversationId, job.messageSeq) : undefined;
    if (!row || !message || (row.status !== 'bot' && row.status !== 'queued')) {
      // Nothing to answer any more (a person took the chat, or it ended): the job is simply done.
      return this.d.store.transaction((tx) => this.jobs.finish(tx, job));
    }
    const text = message.body;
    const queue = await this.queueInfo(row);
    const waiting = queue ? { ...queue, priority: row.priority } : null;
    const decision = await this.d.assistant.respond({
      conversationId,
      cardmemberId: row.cardmember_id,
      cardId: row.card_id,
      assurance: effectiveLevel(row, this.d.clock.now()),
      language: row.language,
      status: row.status,
      cardmemberFirstName: row.cm_first_name,
      cardLast4: row.card_last4,
      text,
      queue: waiting,
    });
    return this.applyDecision(row, decision, job);
  }

  /** A turn that failed too often: the job goes, and the cardmember is told rather than left waiting. */
  private async giveUpAssistantTurn(job: AssistantJob): Promise<void> {
    const row = await this.d.store.get(job.conversationId);
    const now = iso(this.d.clock.now());
    const message = await this.d.store.transaction(async (tx) => {
      if (!(await this.jobs.finish(tx, job))) return null;
      if (!row || (row.status !== 'bot' && row.status !== 'queued')) return null;
      return this.systemMessage(tx, row, 'assistant.unavailable', {}, now);
    });
    if (message) await this.publishMessage(message);
  }

  /**
   * One transaction per turn: the language switch, every reply and the assistant's own state commit
   * together, then the events go out; a handoff follows in its own transaction. A turn answering a
   * stored job deletes it first in that transaction: if this take no longer holds the job, nothing is
   * stored and the result is false.
   */
  private async applyDecision(row: ConversationRow, decision: AssistantDecision, job?: AssistantJob): Promise<boolean> {
    const now = iso(this.d.clock.now());
    const language = decision.language && decision.language !== row.language ? decision.language : null;
    // The assistant passes a handoff for a waiting chat only when it is urgent (fraud in progress).
    const h = decision.handoff;
    const handoff =
      h && row.status === 'queued' && ((h.priority ?? 0) > row.priority || h.teamId !== row.team_id)
        ? ({ kind: 'requeue', ...h, teamName: await this.teamName(h.teamId, language ?? row.language) } as const)
        : h && row.status === 'bot'
          ? ({ kind: 'enqueue', ...h, teamName: await this.teamName(h.teamId, language ?? row.language) } as const)
          : null;
    const turned = { ...row, ...(language ? { language } : {}) };
    const result = await this.d.store.transaction(async (tx) => {
      // First: the delete takes the job's row lock, so a racing take waits for this commit (or rollback).
      if (job && !(await this.jobs.finish(tx, job))) return null;
      if (language) {
        await this.d.store.update(tx, row.id, { language, updated_at: now });
        await this.d.store.recordEvent(tx, {
          type: 'conversation.language_changed',
          conversationId: row.id,
          actorType: 'assistant',
          actorId: null,
          payload: { from: row.language, to: language },
          now,
        });
      }
      const stored: Message[] = [];
      for (const reply of decision.replies) {
        const { row: m } = await this.d.store.append(
          tx,
          row.id,
          {
            clientMsgId: null,
            authorType: 'assistant',
            authorId: null,
            authorName: 'Assistant',
            kind: 'text',
            body: reply.text,
            meta: reply.quickReplies?.length ? { quickReplies: reply.quickReplies } : {},
          },
          now,
        );
        stored.push(presentMessage(m));
      }
      await decision.commit?.(tx);
      // The handoff commits with the replies that announce it: a node that dies in between cannot leave
      // "I'm connecting you" said and the chat still with the assistant.
      let queued: Message[] | null = null;
      if (handoff?.kind === 'enqueue') {
        queued = await this.enqueueIn(
          tx,
          turned,
          handoff.teamId,
          handoff.priority ?? 0,
          handoff.reason,
          handoff.teamName,
          now,
          handoff.summary,
        );
      } else if (handoff?.kind === 'requeue') {
        queued = await this.requeueIn(
          tx,
          turned,
          handoff.teamId,
          handoff.priority ?? 0,
          handoff.reason,
          handoff.teamName,
          now,
        );
      }
      return { stored, queued };
    });
    if (!result) return false;
    if (language) {
      const view = await this.viewById(row.id);
      if (view) {
        await this.d.bus.publish(channels.conversation(row.id), {
          name: 'conversation.updated',
          payload: { conversation: view },
        });
      }
    }
    for (const message of result.stored) await this.publishMessage(message);
    if (result.queued && handoff) {
      for (const message of result.queued) await this.publishMessage(message);
      if (handoff.kind === 'requeue' && row.team_id !== handoff.teamId) {
        await this.publishQueueChange(row.team_id, turned.language);
      }
      await this.publishQueueChange(handoff.teamId, turned.language);
    }
    return true;
  }

  /** The team's name in `language`, for the "you are in the queue" message. */
  private async teamName(teamId: string, language: Language): Promise<string> {
    const team = await this.d.agents.team(teamId);
    return (language === 'es' ? team?.name_es : team?.name_en) ?? teamId;
  }

  // ------------------------------------------------------------------ queue and agents

  /** Puts a conversation in the queue of (team, language). */
  async enqueue(
    conversationId: string,
    teamId: string,
    priority: number,
    reason: string,
    summary?: string,
  ): Promise<void> {
    const now = iso(this.d.clock.now());
    const row = await this.d.store.get(conversationId);
    if (!row || row.status !== 'bot') return;
    const teamName = await this.teamName(teamId, row.language);
    const messages = await this.d.store.transaction((tx) =>
      this.enqueueIn(tx, row, teamId, priority, reason, teamName, now, summary),
    );
    if (!messages) return;
    for (const m of messages) await this.publishMessage(m);
    await this.publishQueueChange(teamId, row.language);
  }

  /**
   * In `tx`: the chat leaves the assistant for the queue of (team, language), if it is still with the
   * assistant (null otherwise). Returns the system messages to publish after commit.
   */
  private async enqueueIn(
    tx: Transaction<Database>,
    row: ConversationRow,
    teamId: string,
    priority: number,
    reason: string,
    teamName: string,
    now: string,
    summary?: string,
  ): Promise<Message[] | null> {
    const res = await tx
      .updateTable('conversations')
      .set({ status: 'queued', team_id: teamId, priority, queued_at: now, updated_at: now })
      .where('id', '=', row.id)
      .where('status', '=', 'bot')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return null;
    await this.d.store.recordEvent(tx, {
      type: 'conversation.queued',
      conversationId: row.id,
      actorType: 'assistant',
      actorId: null,
      // The assistant's summary travels with the event: the agent reads it first on pickup.
      payload: { teamId, reason, priority, ...(summary ? { summary } : {}) },
      now,
    });
    const queued = await this.systemMessage(tx, row, 'conversation.queued', { team: teamName }, now);
    // A Spanish chat: tell the cardmember they are being passed to a Spanish-speaking agent.
    const spanish =
      row.language === 'es' ? await this.systemMessage(tx, row, 'handoff.language', { language: 'es' }, now) : null;
    return [queued, ...(spanish ? [spanish] : [])];
  }

  /** In `tx`: a waiting chat becomes more urgent (fraud in progress): to that team's queue, ahead of others. */
  private async requeueIn(
    tx: Transaction<Database>,
    row: ConversationRow,
    teamId: string,
    priority: number,
    reason: string,
    teamName: string,
    now: string,
  ): Promise<Message[] | null> {
    const res = await tx
      .updateTable('conversations')
      .set({ team_id: teamId, priority, updated_at: now })
      .where('id', '=', row.id)
      .where('status', '=', 'queued')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return null;
    await this.d.store.recordEvent(tx, {
      type: 'conversation.requeued',
      conversationId: row.id,
      actorType: 'assistant',
      actorId: null,
      payload: { from: row.team_id, teamId, reason, priority },
      now,
    });
    return [await this.systemMessage(tx, row, 'conversation.queued', { team: teamName }, now)];
  }

  /** An agent takes a waiting chat. Exactly one agent wins; the rest get conversation_not_waiting. */
  async accept(actor: Actor, conversationId: string): Promise<ConversationView> {
    if (actor.role === 'cardmember') throw notFoundError();
    const row = await this.d.store.get(conversationId);
    if (!row || !canAccept(actor, row)) throw notFoundError();
    if (row.status !== 'queued') throw conflict('conversation_not_waiting', 'This chat is no longer waiting.');
    const now = iso(this.d.clock.now());
    const message = await this.d.store.transaction(async (tx) => {
      if (!(await this.d.store.claim(tx, conversationId, actor.agentId, now))) return null;
      // Routing offers the next chat to the agent idle longest: this one just took a chat.
      await tx.updateTable('agents').set({ idle_since: now }).where('id', '=', actor.agentId).execute();
      await this.d.store.addParticipant(tx, {
        conversation_id: conversationId,
        participant_type: 'agent',
        participant_id: actor.agentId,
        role: 'assignee',
        joined_at: now,
        left_at: null,
      });
      await this.d.store.recordEvent(tx, {
        type: 'conversation.assigned',
        conversationId,
        actorType: 'agent',
        actorId: actor.agentId,
        payload: { agentId: actor.agentId },
        now,
      });
      return this.systemMessage(tx, row, 'agent.joined', { name: actor.firstName }, now);
    });
    if (!message) throw conflict('conversation_not_waiting', 'Another agent already took this chat.');
    // A person handles the chat now: it gets its own reference (after the claim committed; idempotent).
    if (this.d.conversationReference) {
      await this.d.conversationReference(conversationId).catch((err: unknown) => {
        this.d.logger.warn({ err, conversationId }, 'could not assign the chat reference');
      });
    }
    await this.publishMessage(message);
    await this.publishQueueChange(row.team_id, row.language);
    return (await this.viewById(conversationId, actor))!;
  }

  /** Ends a chat (cardmember or assigned agent). Idempotent: ending a closed chat returns it. */
  async end(actor: Actor, conversationId: string): Promise<ConversationView> {
    const row = await this.getReadable(actor, conversationId, 'conversation.end');
    if (row.status === 'closed') return this.view(row);
    const now = iso(this.d.clock.now());
    const code: SystemCode =
      actor.role === 'cardmember' ? 'conversation.closed_by_cardmember' : 'conversation.closed_by_agent';
    const message = await this.d.store.transaction(async (tx) => {
      const res = await tx
        .updateTable('conversations')
        .set({ status: 'closed', closed_at: now, closed_by: actor.role, updated_at: now })
        .where('id', '=', conversationId)
        .where('status', '!=', 'closed')
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return null;
      await this.d.store.recordEvent(tx, {
        type: 'conversation.closed',
        conversationId,
        actorType: actor.role,
        actorId: actor.role === 'cardmember' ? actor.cardmemberId : actor.agentId,
        payload: { previousStatus: row.status },
        now,
      });
      return this.systemMessage(tx, row, code, { name: actor.firstName }, now);
    });
    if (message) {
      // The queue's smoothed handle time feeds the wait estimate (assignment to close).
      if (row.status === 'assigned' && row.team_id && row.assigned_at) {
        const handled = (Date.parse(now) - Date.parse(row.assigned_at)) / 1000;
        await this.d.queues.recordHandleTime(row.team_id, row.language, handled, now);
      }
      await this.publishMessage(message);
      if (row.status === 'assigned' && row.assigned_agent_id) await this.enterWrapUp(row.assigned_agent_id, now);
      if (row.status === 'queued' || row.status === 'assigned')
        await this.publishQueueChange(row.team_id, row.language);
      // The cardmember's summary goes to their secure inbox (idempotent; a failure must not undo the end).
      if (this.d.summaries) {
        await this.d.summaries.chatEnded(conversationId).catch((err: unknown) => {
          this.d.logger.warn({ err, conversationId }, 'could not store the chat summary');
        });
      }
    }
    return (await this.viewById(conversationId, actor))!;
  }

  /** The assignee of a chat that just closed wraps it up before taking more (only from `available`). */
  private async enterWrapUp(agentId: string, now: string): Promise<void> {
    const res = await this.d.store.db
      .updateTable('agents')
      .set({ status: 'wrap_up', status_changed_at: now })
      .where('id', '=', agentId)
      .where('status', '=', 'available')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return;
    await this.d.bus.publish(channels.staff, {
      name: 'agent.state_changed',
      payload: { agentId, state: 'wrap_up', reason: 'wrap_up' },
    });
  }

  /** Ends the open chat of the cardmember's card, if there is one (the cardmember ending their session). */
  async endOpenFor(actor: Actor & { role: 'cardmember' }): Promise<ConversationView | null> {
    const open = await this.d.store.findOpenForCard(actor.cardmemberId, actor.cardId);
    return open ? this.end(actor, open.id) : null;
  }

  /** Waiting chats in the queues the agent serves, and the agent's own open chats. */
  async inbox(actor: Actor): Promise<{ waiting: ConversationView[]; mine: ConversationView[] }> {
    if (actor.role === 'cardmember' || !can(actor, 'conversation.list')) return { waiting: [], mine: [] };
    const [waiting, mine] = await Promise.all([
      this.d.store.listQueued({ skills: queueScope(actor) }),
      this.d.store.listAssignedTo(actor.agentId),
    ]);
    return {
      waiting: await Promise.all(waiting.map((r) => this.view(r, actor))),
      mine: await Promise.all(mine.map((r) => this.view(r, actor))),
    };
  }

  /** Plain-text transcript in the reader's language; the cardmember reads "You" for their lines. */
  async transcript(actor: Actor, conversationId: string): Promise<{ filename: string; text: string }> {
    const row = await this.getReadable(actor, conversationId, 'conversation.transcript');
    // The cardmember's transcript never holds internal notes; staff read them marked as such.
    const rows = await this.d.store.messagesAfter(conversationId, 0, 100_000, {
      withNotes: actor.role !== 'cardmember',
    });
    const lang = row.language;
    const t = translator(transcriptStrings, lang);
    const sys = translator(systemStrings, lang);
    const lines = [
      t('title'),
      `${t('conversation')}: ${row.id}`,
      `${t('card')}: ${row.card_product} ${t('ending')} ${row.card_last4}`,
      `${t('started')}: ${formatTime(row.created_at)}`,
      ...(row.closed_at ? [`${t('ended')}: ${formatTime(row.closed_at)}`] : []),
      '',
    ];
    for (const r of rows) {
      const m = presentMessage(r);
      const at = `[${formatTime(m.createdAt)}]`;
      if (m.system) {
        // Notices carry no author; staff read the cardmember's name where the cardmember reads "You".
        const closedByCardmember = m.system.code === 'conversation.closed_by_cardmember' && actor.role !== 'cardmember';
        lines.push(
          `${at} — ${closedByCardmember ? t('cardmember_ended', { name: row.cm_first_name }) : sys(m.system.code, m.system.params)}`,
        );
        continue;
      }
      let who: string;
      if (m.author.role === 'cardmember')
        who = actor.role === 'cardmember' ? t('you') : (m.author.name ?? t('cardmember'));
      else if (m.author.role === 'assistant') who = t('assistant');
      else who = m.author.name ?? t('agent');
      if (m.kind === 'note') who += ` ${m.whisper ? t('whisper') : t('note')}`;
      lines.push(`${at} ${who}: ${m.body}`);
    }
    const summary = this.d.summaries ? await this.d.summaries.text(conversationId, lang) : null;
    if (summary) lines.push('', summary);
    return { filename: `carechat-transcript-${row.id}.txt`, text: lines.join('\n') + '\n' };
  }

  /** Relays a typing indicator to the conversation's other connections (not stored). */
  async typing(actor: Actor, connectionId: string, conversationId: string, state: 'start' | 'stop'): Promise<void> {
    const { row, participants } = await this.readable(actor, conversationId);
    if (!canWrite(actor, row, participants)) return;
    await this.d.bus.publish(channels.conversation(conversationId), {
      name: 'conversation.typing',
      payload: {
        conversationId,
        connectionId,
        from: { role: actor.role === 'cardmember' ? 'cardmember' : 'agent', name: actor.firstName },
        state,
      },
    });
  }

  /** Recomputes and pushes queue positions to every chat waiting in (team, language) and to consoles. */
  async publishQueueChange(teamId: string | null, language: string | null): Promise<void> {
    await this.d.bus.publish(channels.staff, { name: 'queue.changed', payload: { teamId, language } });
    const queued = (await this.d.store.listQueued()).filter(
      (r) => !teamId || (r.team_id === teamId && r.language === language),
    );
    // One capacity read per queue, places from the order of the list (see QueueModel.infoForQueued).
    const now = this.d.clock.now();
    const infos = await this.d.queues.infoForQueued(queued, now);
    for (const r of queued) {
      await this.d.bus.publish(channels.conversation(r.id), {
        name: 'conversation.updated',
        payload: { conversation: presentConversation(r, infos.get(r.id) ?? null, now) },
      });
    }
  }

  // ------------------------------------------------------------------ helpers

  /** A stored system notice in the chat's language (also used by live/staff-ops.service.ts). */
  async systemMessage(
    tx: Transaction<Database>,
    row: ConversationRow,
    code: SystemCode,
    params: Record<string, string>,
    now: string,
  ): Promise<Message> {
    // Params keep language codes (clients name them in the viewer's language); the stored body names it.
    const lang = params.language;
    const named = lang === 'en' || lang === 'es' ? { ...params, language: LANGUAGE_NAMES[row.language][lang] } : params;
    const body = translator(systemStrings, row.language)(code, named);
    const { row: stored } = await this.d.store.append(
      tx,
      row.id,
      {
        clientMsgId: null,
        authorType: 'system',
        authorId: null,
        authorName: null,
        kind: 'system',
        body,
        meta: { system: { code, params } },
      },
      now,
    );
    return presentMessage(stored);
  }

  /**
   * After commit only: the message, then the conversation's new state, to its audience. Notes go to
   * staff only; the view carries staff fields, which the gateway strips for cardmember sockets.
   */
  async publishMessage(message: Message): Promise<void> {
    const channel = channels.conversation(message.conversationId);
    await this.d.bus.publish(channel, {
      name: 'message.created',
      payload: { conversationId: message.conversationId, message, audience: message.kind === 'note' ? 'staff' : 'all' },
    });
    if (message.kind === 'system') {
      const view = await this.viewById(message.conversationId, 'staff');
      if (view) await this.d.bus.publish(channel, { name: 'conversation.updated', payload: { conversation: view } });
    }
  }
}

const transcriptStrings: Table<
  | 'title'
  | 'conversation'
  | 'card'
  | 'ending'
  | 'started'
  | 'ended'
  | 'you'
  | 'assistant'
  | 'agent'
  | 'cardmember'
  | 'cardmember_ended'
  | 'note'
  | 'whisper'
> = {
  en: {
    title: 'Chat transcript',
    conversation: 'Conversation',
    card: 'Card',
    ending: 'ending',
    started: 'Started',
    ended: 'Ended',
    you: 'You',
    assistant: 'Assistant',
    agent: 'Agent',
    cardmember: 'Cardmember',
    cardmember_ended: '{name} ended the chat.',
    note: '(internal note)',
    whisper: '(supervisor whisper, internal)',
  },
  es: {
    title: 'Transcripción del chat',
    conversation: 'Conversación',
    card: 'Tarjeta',
    ending: 'terminada en',
    started: 'Inicio',
    ended: 'Fin',
    you: 'Usted',
    assistant: 'Asistente',
    agent: 'Agente',
    cardmember: 'Tarjetahabiente',
    cardmember_ended: '{name} finalizó el chat.',
    note: '(nota interna)',
    whisper: '(susurro del supervisor, interno)',
  },
};

const formatTime = (isoString: string) => isoString.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
