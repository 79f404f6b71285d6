/**
 * What agents and supervisors do inside a chat besides writing: internal notes and whispers,
 * transfer (to a team's queue or to one agent), conference, leave, escalate, monitor, barge and
 * wrap-up; and the lists the console picks targets from (teams, agents). Every action is authorized
 * by the one policy (security/access.ts) with the chat and the staff in it, runs in one store
 * transaction, and publishes after commit.
 */
import type {
  AgentTarget,
  CannedResponseView,
  ConversationView,
  Language,
  Message,
  OfferView,
  TeamView,
  TransferRequest,
  WrapUpRequest,
} from '@carechat/protocol';
import type { Transaction } from 'kysely';
import type { Bus } from '../bus/bus.js';
import { channels } from '../bus/events.js';
import { presentMessage } from '../conversations/conversations.presenter.js';
import type { ConversationService } from '../conversations/conversations.service.js';
import type { ConversationRow, ConversationsStore } from '../conversations/conversations.store.js';
import type { Redactor } from '../redaction/redactor.js';
import type { QueueModel } from '../routing/queue-model.js';
import type { RoutingService } from '../routing/routing.service.js';
import { authorize, type Actor } from '../security/access.js';
import { iso, type Clock } from '../shared/clock.js';
import { badRequest, conflict, notFound } from '../shared/errors.js';
import type { Database, OffersTable } from '../store/schema.js';
import { cannedFor, chatReference } from './canned.js';

export type StaffActor = Exclude<Actor, { role: 'cardmember' }>;
type Tx = Transaction<Database>;

export interface StaffOpsDeps {
  conversations: ConversationService;
  store: ConversationsStore;
  routing: RoutingService;
  queues: QueueModel;
  bus: Bus;
  clock: Clock;
  redactor: Redactor;
}

const teamNotFound = () => notFound('not_found', 'That team does not exist.');
const agentNotFound = () => notFound('not_found', 'That agent does not exist or cannot take chats.');

export class StaffOpsService {
  constructor(private readonly d: StaffOpsDeps) {
    // Accepting a transfer or conference offer (routing/routing.service.ts) lands here.
    d.routing.handle('transfer', (actor, offer) => this.acceptTransfer(actor, offer));
    d.routing.handle('conference', (actor, offer) => this.acceptConference(actor, offer));
  }

  private get db() {
    return this.d.store.db;
  }

  // ------------------------------------------------------------------ notes

  /** An internal note: staff only, redacted like any message, never sent to the cardmember or the assistant. */
  async note(actor: StaffActor, conversationId: string, body: string): Promise<Message> {
    const { row } = await this.d.conversations.readable(actor, conversationId, 'conversation.note');
    return this.storeNote(actor, row, body, false);
  }

  /** A supervisor's whisper to the chat's agents: a note marked `whisper`. */
  async whisper(actor: StaffActor, conversationId: string, body: string): Promise<Message> {
    const { row } = await this.d.conversations.readable(actor, conversationId, 'conversation.whisper');
    return this.storeNote(actor, row, body, true);
  }

  private async storeNote(actor: StaffActor, row: ConversationRow, body: string, whisper: boolean) {
    const now = iso(this.d.clock.now());
    const message = await this.d.store.transaction((tx) => this.appendNote(tx, actor, row.id, body, now, whisper));
    await this.d.conversations.publishMessage(message!);
    return message!;
  }

  /** Stores a note in the caller's transaction; an empty note stores nothing. */
  private async appendNote(
    tx: Tx,
    actor: StaffActor,
    conversationId: string,
    body: string,
    now: string,
    whisper = false,
  ): Promise<Message | null> {
    const text = body.trim();
    if (!text) return null;
    const redaction = this.d.redactor.redact(text);
    const { row } = await this.d.store.append(
      tx,
      conversationId,
      {
        clientMsgId: null,
        authorType: 'agent',
        authorId: actor.agentId,
        authorName: actor.firstName,
        kind: 'note',
        body: redaction.text,
        meta: {
          ...(whisper ? { whisper: true } : {}),
          ...(redaction.findings.length
            ? { redactions: redaction.findings.map((f) => ({ type: f.type, start: f.start, end: f.end })) }
            : {}),
        },
      },
      now,
    );
    return presentMessage(row);
  }

  // ------------------------------------------------------------------ transfer

  /**
   * To a team: the chat goes back to waiting in that team's queue at once (one transaction), the
   * note stays as an internal note for the next agent. To an agent: an offer they accept or decline;
   * the chat stays with the caller until then.
   */
  async transfer(actor: StaffActor, conversationId: string, req: TransferRequest): Promise<ConversationView> {
    const { row } = await this.d.conversations.readable(actor, conversationId, 'conversation.transfer');
    if (req.agentId) {
      await this.directOffer(actor, row, req.agentId, 'transfer', req.note);
      return this.d.conversations.view(row, actor);
    }
    const teamId = req.teamId!;
    const team = await this.d.queues.team(teamId);
    if (!team) throw teamNotFound();
    const language: Language = req.language ?? row.language;
    const now = iso(this.d.clock.now());
    const messages = await this.d.store.transaction(async (tx) => {
      const res = await tx
        .updateTable('conversations')
        .set({
          status: 'queued',
          team_id: teamId,
          language,
          queued_at: now,
          assigned_agent_id: null,
          assigned_at: null,
          updated_at: now,
        })
        .where('id', '=', row.id)
        .where('status', '=', 'assigned')
        .where('assigned_agent_id', '=', row.assigned_agent_id)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return null;
      // Everyone on staff leaves with it: the next agent starts the chat afresh.
      await this.leaveAll(tx, row.id, now);
      await this.d.store.recordEvent(tx, {
        type: 'conversation.transferred',
        conversationId: row.id,
        actorType: actor.role,
        actorId: actor.agentId,
        payload: { fromAgentId: row.assigned_agent_id, teamId, language, note: this.redact(req.note) },
        now,
      });
      const moved = { ...row, language };
      const notice = await this.d.conversations.systemMessage(
        tx,
        moved,
        'conversation.transferred',
        { team: language === 'es' ? team.name_es : team.name_en },
        now,
      );
      const note = await this.appendNote(tx, actor, row.id, req.note, now);
      return [notice, ...(note ? [note] : [])];
    });
    if (!messages) throw conflict('conflict', 'This chat is no longer yours to transfer.');
    for (const m of messages) await this.d.conversations.publishMessage(m);
    await this.d.conversations.publishQueueChange(row.team_id, row.language);
    await this.d.conversations.publishQueueChange(teamId, language);
    return (await this.d.conversations.viewById(row.id, actor))!;
  }

  /** Accepting a transfer: the chat becomes the new agent's, if it is still the sender's. */
  private async acceptTransfer(actor: StaffActor, offer: OffersTable): Promise<ConversationView> {
    const row = await this.d.store.get(offer.conversation_id);
    if (!row) throw notFound('conversation_not_found', 'That conversation does not exist.');
    const from = offer.from_agent_id ? await this.agent(offer.from_agent_id) : null;
    const now = iso(this.d.clock.now());
    const messages = await this.d.store.transaction(async (tx) => {
      const res = await tx
        .updateTable('conversations')
        .set({ assigned_agent_id: actor.agentId, assigned_at: now, updated_at: now })
        .where('id', '=', row.id)
        .where('status', '=', 'assigned')
        .where('assigned_agent_id', '=', offer.from_agent_id)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return null;
      if (offer.from_agent_id) await this.leave(tx, row.id, offer.from_agent_id, now);
      await this.d.store.addParticipant(tx, {
        conversation_id: row.id,
        participant_type: 'agent',
        participant_id: actor.agentId,
        role: 'assignee',
        joined_at: now,
        left_at: null,
      });
      await this.d.store.recordEvent(tx, {
        type: 'conversation.transferred',
        conversationId: row.id,
        actorType: actor.role,
        actorId: actor.agentId,
        payload: { fromAgentId: offer.from_agent_id, toAgentId: actor.agentId, offerId: offer.id },
        now,
      });
      // The sender's note stays in the chat as an internal note: the offer card that showed it is gone.
      // Appended first, so the messages are published in their sequence order.
      const note =
        from && offer.note
          ? await this.appendNote(
              tx,
              { ...actor, agentId: from.id, firstName: from.first_name },
              row.id,
              offer.note,
              now,
            )
          : null;
      // The cardmember is told who left and who took over.
      const left = from
        ? [await this.d.conversations.systemMessage(tx, row, 'agent.left', { name: from.first_name }, now)]
        : [];
      const joined = await this.d.conversations.systemMessage(tx, row, 'agent.joined', { name: actor.firstName }, now);
      return [...(note ? [note] : []), ...left, joined];
    });
    if (!messages) throw conflict('conversation_not_waiting', 'This chat has moved on since it was offered to you.');
    for (const m of messages) await this.d.conversations.publishMessage(m);
    await this.d.bus.publish(channels.staff, {
      name: 'queue.changed',
      payload: { teamId: row.team_id, language: row.language },
    });
    return (await this.d.conversations.viewById(row.id, actor))!;
  }

  // ------------------------------------------------------------------ conference and leave

  async conference(actor: StaffActor, conversationId: string, agentId: string, note: string): Promise<OfferView> {
    const { row, participants } = await this.d.conversations.readable(actor, conversationId, 'conversation.conference');
    if (participants.some((p) => p.agentId === agentId && p.role !== 'monitor')) {
      throw conflict('conflict', 'That person is already in the chat.');
    }
    return this.directOffer(actor, row, agentId, 'conference', note);
  }

  private async acceptConference(actor: StaffActor, offer: OffersTable): Promise<ConversationView> {
    const row = await this.d.store.get(offer.conversation_id);
    if (!row || row.status !== 'assigned') {
      throw conflict('conversation_not_waiting', 'This chat has ended or moved on since you were invited.');
    }
    const now = iso(this.d.clock.now());
    const message = await this.d.store.transaction(async (tx) => {
      await this.d.store.addParticipant(tx, {
        conversation_id: row.id,
        participant_type: 'agent',
        participant_id: actor.agentId,
        role: 'conference',
        joined_at: now,
        left_at: null,
      });
      await this.d.store.recordEvent(tx, {
        type: 'conversation.conference_joined',
        conversationId: row.id,
        actorType: actor.role,
        actorId: actor.agentId,
        payload: { agentId: actor.agentId, fromAgentId: offer.from_agent_id, offerId: offer.id },
        now,
      });
      return this.d.conversations.systemMessage(tx, row, 'agent.conference_joined', { name: actor.firstName }, now);
    });
    await this.d.conversations.publishMessage(message);
    return (await this.d.conversations.viewById(row.id, actor))!;
  }

  /** A conference agent, barged-in supervisor or monitor leaves (a monitor silently). */
  async leaveChat(actor: StaffActor, conversationId: string): Promise<ConversationView> {
    const { row, participants } = await this.d.conversations.readable(actor, conversationId, 'conversation.leave');
    const role = participants.find((p) => p.agentId === actor.agentId)!.role;
    const now = iso(this.d.clock.now());
    const message = await this.d.store.transaction(async (tx) => {
      await this.leave(tx, row.id, actor.agentId, now);
      await this.d.store.recordEvent(tx, {
        type: 'conversation.participant_left',
        conversationId: row.id,
        actorType: actor.role,
        actorId: actor.agentId,
        payload: { role },
        now,
      });
      return role === 'monitor'
        ? null
        : this.d.conversations.systemMessage(tx, row, 'agent.left', { name: actor.firstName }, now);
    });
    if (message) await this.d.conversations.publishMessage(message);
    return (await this.d.conversations.viewById(row.id, actor))!;
  }

  // ------------------------------------------------------------------ supervisors

  /** The assignee asks for a supervisor: the chat shows on the board's escalations until one barges in. */
  async escalate(actor: StaffActor, conversationId: string, note: string): Promise<ConversationView> {
    const { row } = await this.d.conversations.readable(actor, conversationId, 'conversation.escalate');
    if (row.escalated_at) return this.d.conversations.view(row, actor);
    const now = iso(this.d.clock.now());
    const messages = await this.d.store.transaction(async (tx) => {
      await this.d.store.update(tx, row.id, { escalated_at: now, updated_at: now });
      await this.d.store.recordEvent(tx, {
        type: 'conversation.escalated',
        conversationId: row.id,
        actorType: actor.role,
        actorId: actor.agentId,
        payload: { note: this.redact(note) },
        now,
      });
      const notice = await this.d.conversations.systemMessage(tx, row, 'conversation.escalated', {}, now);
      const n = await this.appendNote(tx, actor, row.id, note, now);
      return [notice, ...(n ? [n] : [])];
    });
    for (const m of messages) await this.d.conversations.publishMessage(m);
    // Boards refresh on staff-channel events.
    await this.d.bus.publish(channels.staff, {
      name: 'queue.changed',
      payload: { teamId: row.team_id, language: row.language },
    });
    return (await this.d.conversations.viewById(row.id, actor))!;
  }

  /** A supervisor watches silently: nothing is stored in the chat, the cardmember sees nothing. */
  async monitor(
    actor: StaffActor,
    conversationId: string,
  ): Promise<{ conversation: ConversationView; messages: Message[] }> {
    const { row, participants } = await this.d.conversations.readable(actor, conversationId, 'conversation.monitor');
    const now = iso(this.d.clock.now());
    // Already in the chat visibly (barged in, or holding it): nothing to change.
    const visible =
      row.assigned_agent_id === actor.agentId ||
      participants.some((p) => p.agentId === actor.agentId && p.role !== 'monitor');
    if (!visible) {
      await this.d.store.transaction(async (tx) => {
        await this.d.store.addParticipant(tx, {
          conversation_id: row.id,
          participant_type: 'agent',
          participant_id: actor.agentId,
          role: 'monitor',
          joined_at: now,
          left_at: null,
        });
        await this.d.store.recordEvent(tx, {
          type: 'conversation.monitored',
          conversationId: row.id,
          actorType: actor.role,
          actorId: actor.agentId,
          payload: {},
          now,
        });
      });
    }
    return {
      conversation: (await this.d.conversations.viewById(row.id, actor))!,
      messages: await this.d.conversations.messagesAfter(actor, row.id, 0),
    };
  }

  /** A supervisor joins visibly and may write; an escalation is answered. */
  async barge(actor: StaffActor, conversationId: string): Promise<ConversationView> {
    const { row, participants } = await this.d.conversations.readable(actor, conversationId, 'conversation.barge');
    if (row.status !== 'assigned') {
      throw conflict('conflict', 'Nobody is handling this chat yet: take it from the queue instead.');
    }
    if (row.assigned_agent_id === actor.agentId) throw conflict('conflict', 'You are already handling this chat.');
    if (participants.some((p) => p.agentId === actor.agentId && p.role === 'supervisor')) {
      return (await this.d.conversations.viewById(row.id, actor))!;
    }
    const now = iso(this.d.clock.now());
    const message = await this.d.store.transaction(async (tx) => {
      await this.d.store.addParticipant(tx, {
        conversation_id: row.id,
        participant_type: 'agent',
        participant_id: actor.agentId,
        role: 'supervisor',
        joined_at: now,
        left_at: null,
      });
      await this.d.store.update(tx, row.id, { escalated_at: null, updated_at: now });
      await this.d.store.recordEvent(tx, {
        type: 'conversation.supervisor_joined',
        conversationId: row.id,
        actorType: actor.role,
        actorId: actor.agentId,
        payload: { escalated: !!row.escalated_at },
        now,
      });
      return this.d.conversations.systemMessage(tx, row, 'supervisor.joined', { name: actor.firstName }, now);
    });
    await this.d.conversations.publishMessage(message);
    await this.d.bus.publish(channels.staff, {
      name: 'queue.changed',
      payload: { teamId: row.team_id, language: row.language },
    });
    return (await this.d.conversations.viewById(row.id, actor))!;
  }

  // ------------------------------------------------------------------ wrap-up

  /**
   * Records the disposition (once), closing the chat first if it is still open. The agent goes back
   * to `available` when every chat closed since they entered wrap-up has its disposition.
   */
  async wrapUp(actor: StaffActor, conversationId: string, req: WrapUpRequest): Promise<ConversationView> {
    let { row } = await this.d.conversations.readable(actor, conversationId, 'conversation.wrap_up');
    if (row.wrapped_up_at) throw conflict('conflict', 'This chat has already been wrapped up.');
    if (row.status !== 'closed') {
      await this.d.conversations.end(actor, row.id);
      row = (await this.d.store.get(row.id))!;
    }
    const now = iso(this.d.clock.now());
    const note = await this.d.store.transaction(async (tx) => {
      const res = await tx
        .updateTable('conversations')
        .set({ disposition: req.disposition, wrapped_up_at: now, updated_at: now })
        .where('id', '=', row.id)
        .where('wrapped_up_at', 'is', null)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return 'taken' as const;
      await this.d.store.recordEvent(tx, {
        type: 'conversation.wrapped_up',
        conversationId: row.id,
        actorType: actor.role,
        actorId: actor.agentId,
        payload: { disposition: req.disposition },
        now,
      });
      return this.appendNote(tx, actor, row.id, req.note, now);
    });
    if (note === 'taken') throw conflict('conflict', 'This chat has already been wrapped up.');
    if (note) await this.d.conversations.publishMessage(note);
    await this.leaveWrapUp(actor.agentId, now);
    return (await this.d.conversations.viewById(row.id, actor))!;
  }

  private async leaveWrapUp(agentId: string, now: string): Promise<void> {
    const agent = await this.agent(agentId);
    if (agent?.status !== 'wrap_up') return;
    const pending = await this.db
      .selectFrom('conversations')
      .select('id')
      .where('assigned_agent_id', '=', agentId)
      .where('status', '=', 'closed')
      .where('wrapped_up_at', 'is', null)
      .where('closed_at', '>=', agent.status_changed_at)
      .limit(1)
      .executeTakeFirst();
    if (pending) return;
    const res = await this.db
      .updateTable('agents')
      .set({ status: 'available', status_changed_at: now, idle_since: now })
      .where('id', '=', agentId)
      .where('status', '=', 'wrap_up')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return;
    await this.d.bus.publish(channels.staff, {
      name: 'agent.state_changed',
      payload: { agentId, state: 'available', reason: 'wrap_up' },
    });
  }

  // ------------------------------------------------------------------ lists

  async teams(actor: StaffActor): Promise<TeamView[]> {
    authorize(actor, 'team.list');
    const rows = await this.db.selectFrom('teams').select('id').orderBy('id').execute();
    const teams = await Promise.all(rows.map((r) => this.d.queues.team(r.id)));
    return teams
      .filter((t) => t !== null)
      .map((t) => ({ id: t.id, name: { en: t.name_en, es: t.name_es }, hours: t.hours, phone: t.phone }));
  }

  /** Transfer and conference targets: agents and supervisors (not admins, not the caller). */
  async agents(actor: StaffActor, filter: { teamId?: string; language?: Language }): Promise<AgentTarget[]> {
    authorize(actor, 'agent.list');
    let q = this.db
      .selectFrom('agents as a')
      .select([
        'a.id',
        'a.display_name',
        'a.role',
        'a.status',
        'a.max_concurrent',
        (eb) =>
          eb
            .selectFrom('conversations as c')
            .select((e) => e.fn.countAll<number>().as('n'))
            .whereRef('c.assigned_agent_id', '=', 'a.id')
            .where('c.status', '=', 'assigned')
            .as('load'),
      ])
      .where('a.role', 'in', ['agent', 'supervisor'])
      .where('a.id', '!=', actor.agentId);
    if (filter.teamId || filter.language) {
      q = q.where((eb) => {
        let sub = eb.selectFrom('agent_skills as s').select('s.agent_id').whereRef('s.agent_id', '=', 'a.id');
        if (filter.teamId) sub = sub.where('s.team_id', '=', filter.teamId);
        if (filter.language) sub = sub.where('s.language', '=', filter.language);
        return eb.exists(sub);
      });
    }
    const rows = await q.orderBy('a.display_name').execute();
    return rows.map((r) => ({
      id: r.id,
      displayName: r.display_name,
      role: r.role as AgentTarget['role'],
      state: r.status,
      load: Number(r.load ?? 0),
      maxConcurrent: r.max_concurrent,
    }));
  }

  /** Canned responses for the chat, in its language, its team's first, variables filled. */
  async canned(actor: StaffActor, conversationId: string): Promise<CannedResponseView[]> {
    const row = await this.d.conversations.getReadable(actor, conversationId, 'conversation.canned');
    const team = row.team_id ? await this.d.queues.team(row.team_id) : null;
    return cannedFor(
      this.db,
      { language: row.language, teamId: row.team_id },
      {
        firstName: row.cm_first_name,
        cardLast4: row.card_last4,
        agentName: actor.firstName,
        ...(team ? { teamName: row.language === 'es' ? team.name_es : team.name_en } : {}),
        reference: chatReference(row.id),
      },
    );
  }

  // ------------------------------------------------------------------ helpers

  private async directOffer(
    actor: StaffActor,
    row: ConversationRow,
    agentId: string,
    kind: 'transfer' | 'conference',
    note: string,
  ): Promise<OfferView> {
    if (agentId === actor.agentId) throw badRequest('Choose someone other than yourself.');
    const target = await this.agent(agentId);
    if (!target || target.role === 'admin') throw agentNotFound();
    if (row.assigned_agent_id === agentId) throw conflict('conflict', 'That person is already handling this chat.');
    const pending = await this.db
      .selectFrom('offers')
      .select('id')
      .where('conversation_id', '=', row.id)
      .where('agent_id', '=', agentId)
      .where('state', '=', 'pending')
      .where('expires_at', '>', iso(this.d.clock.now()))
      .executeTakeFirst();
    if (pending) throw conflict('conflict', 'That person already has an open invitation to this chat.');
    return this.d.routing.offerDirect({
      conversationId: row.id,
      agentId,
      kind,
      // A transfer is accepted only while the chat is still with its current holder.
      fromAgentId: kind === 'transfer' ? (row.assigned_agent_id ?? actor.agentId) : actor.agentId,
      note: note.trim() ? this.redact(note) : null,
    });
  }

  private agent(id: string) {
    return this.db.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst();
  }

  private async leave(tx: Tx, conversationId: string, agentId: string, now: string): Promise<void> {
    await tx
      .updateTable('participants')
      .set({ left_at: now })
      .where('conversation_id', '=', conversationId)
      .where('participant_type', '=', 'agent')
      .where('participant_id', '=', agentId)
      .where('left_at', 'is', null)
      .execute();
  }

  private async leaveAll(tx: Tx, conversationId: string, now: string): Promise<void> {
    await tx
      .updateTable('participants')
      .set({ left_at: now })
      .where('conversation_id', '=', conversationId)
      .where('participant_type', '=', 'agent')
      .where('left_at', 'is', null)
      .execute();
  }

  private redact(text: string): string {
    return text.trim() ? this.d.redactor.redact(text.trim()).text : '';
  }
}
