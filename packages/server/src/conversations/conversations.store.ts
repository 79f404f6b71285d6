/** Persistence for conversations, participants, messages and their events. */
import { recordEvent, type EventRecord } from '../store/events.store.js';
import { randomUUID } from 'node:crypto';
import { CompiledQuery, type Transaction } from 'kysely';
import type { ChatParticipant } from '@carechat/protocol';
import type { ChatParticipation } from '../security/access.js';
import { compiledQuery } from '../store/compiled-query.js';
import { isUniqueViolation, type Db } from '../store/db.js';
import { GroupCommit } from '../store/group-commit.js';
import { preparedStatement } from '../store/prepared-statements.js';
import type {
  AssistantJobsTable,
  ConversationsTable,
  Database,
  MessagesTable,
  StepupPromptsTable,
} from '../store/schema.js';

export type Tx = Transaction<Database> | Db;

export interface ConversationRow extends ConversationsTable {
  cm_first_name: string;
  cm_last_name: string;
  card_last4: string;
  card_product: string;
  agent_first_name: string | null;
  /** The newest step-up device prompt (security/stepup.*), when there is one. */
  sp_id: string | null;
  sp_status: StepupPromptsTable['status'] | null;
  sp_device_name: string | null;
  sp_expires_at: string | null;
  sp_requested_by: StepupPromptsTable['requested_by_type'] | null;
}

export interface NewMessage {
  clientMsgId: string | null;
  authorType: MessagesTable['author_type'];
  authorId: string | null;
  authorName: string | null;
  kind: MessagesTable['kind'];
  body: string;
  meta?: Record<string, unknown>;
}

export interface AppendResult {
  row: MessagesTable;
  duplicate: boolean;
}

/** The roles of staff who joined a chat besides its assignee (the policy's relationship input). */
const JOINED_ROLES = ['conference', 'supervisor', 'monitor'] as const;

/**
 * PostgreSQL: a message send as ONE statement (so one round trip, committed on its own): the seq bump
 * (which takes the conversation's row lock until commit, so concurrent appends to a chat serialize and
 * seqs have no gaps), the message, its `message.created` event and, when given, the assistant's job.
 * The event payload is the same text as `JSON.stringify({ messageId, seq })`. A repeated clientMsgId
 * fails the whole statement with a unique violation, bump included (no gap), and the caller reads the
 * stored row. Parameters: $1 message id, $2 conversation id, $3 now, $4 client_msg_id, $5 author_type,
 * $6 author_id, $7 author_name, $8 kind, $9 body, $10 meta; with a job $11 id, $12 created_at,
 * $13 lease_until, $14 leased_by.
 */
const APPEND_ONCE_SQL = (withJob: boolean) => `with bump as (
  update conversations set last_seq = last_seq + 1, updated_at = $3::text where id = $2::text returning last_seq
), msg as (
  insert into messages (id, conversation_id, seq, client_msg_id, author_type, author_id, author_name, kind, body, meta, created_at)
  select $1::text, $2::text, last_seq, $4::text, $5::text, $6::text, $7::text, $8::text, $9::text, $10::text, $3::text from bump
  returning seq
), ev as (
  insert into events (type, conversation_id, actor_type, actor_id, payload, created_at)
  select 'message.created', $2::text, $5::text, $6::text, '{"messageId":"' || $1::text || '","seq":' || seq::text || '}', $3::text from msg
)${
  withJob
    ? `, job as (
  insert into assistant_jobs (id, conversation_id, message_seq, created_at, attempts, lease_until, leased_by)
  select $11::text, $2::text, seq, $12::text, 1, $13::text, $14::text from msg
)`
    : ''
}
select seq from msg`;

const APPEND_ALONE = APPEND_ONCE_SQL(false);
const APPEND_WITH_JOB = APPEND_ONCE_SQL(true);
preparedStatement(APPEND_ALONE);
preparedStatement(APPEND_WITH_JOB);

export class ConversationsStore {
  /**
   * The queries every message send runs, compiled once (store/compiled-query.ts): the same SQL and
   * parameters as building them afresh, without Kysely rebuilding them per call.
   */
  private readonly hot: ReturnType<typeof ConversationsStore.hotQueries>;
  /** SQLite only: message sends share commits (store/group-commit.ts). */
  private readonly group: GroupCommit<Database> | null;

  /** PostgreSQL: message sends are one statement each (appendOnce); otherwise a transaction. */
  readonly singleStatementSend: boolean;

  constructor(
    readonly db: Db,
    o: { groupCommit?: boolean; kind?: 'sqlite' | 'postgres' } = {},
  ) {
    this.hot = ConversationsStore.hotQueries(this);
    this.group = o.groupCommit ? new GroupCommit(db) : null;
    this.singleStatementSend = o.kind === 'postgres';
  }

  private static hotQueries(store: ConversationsStore) {
    const db = store.db;
    return {
      get: compiledQuery(db, 1, (db, id: string) => store.base(db).where('c.id', '=', id)),
      // The row and the staff who joined it in one round trip: one result row per joined staff member
      // (a single row with nulls when there is none).
      getWithStaff: compiledQuery(db, 1, (db, id: string) =>
        store
          .base(db)
          .leftJoin('participants as jp', (join) =>
            join
              .onRef('jp.conversation_id', '=', 'c.id')
              .on('jp.participant_type', '=', 'agent')
              .on('jp.left_at', 'is', null)
              .on('jp.role', 'in', [...JOINED_ROLES]),
          )
          .select(['jp.participant_id as jp_id', 'jp.role as jp_role'])
          .where('c.id', '=', id),
      ),
      byClientMsgId: compiledQuery(db, 2, (db, conversationId: string, clientMsgId: string) =>
        db
          .selectFrom('messages')
          .selectAll()
          .where('conversation_id', '=', conversationId)
          .where('client_msg_id', '=', clientMsgId),
      ),
      staffParticipants: compiledQuery(db, 1, (db, conversationId: string) =>
        db
          .selectFrom('participants')
          .select(['participant_id', 'role'])
          .where('conversation_id', '=', conversationId)
          .where('participant_type', '=', 'agent')
          .where('left_at', 'is', null)
          .where('role', 'in', [...JOINED_ROLES]),
      ),
      nextSeq: compiledQuery(db, 2, (db, conversationId: string, now: string) =>
        db
          .updateTable('conversations')
          .set((eb) => ({ last_seq: eb('last_seq', '+', 1), updated_at: now }))
          .where('id', '=', conversationId)
          .returning('last_seq'),
      ),
    };
  }

  private base(tx: Tx) {
    return tx
      .selectFrom('conversations as c')
      .innerJoin('cardmembers as cm', 'cm.id', 'c.cardmember_id')
      .innerJoin('cards as k', 'k.id', 'c.card_id')
      .leftJoin('agents as a', 'a.id', 'c.assigned_agent_id')
      .leftJoin('stepup_prompts as sp', 'sp.id', 'c.stepup_prompt_id')
      .selectAll('c')
      .select([
        'cm.first_name as cm_first_name',
        'cm.last_name as cm_last_name',
        'k.last4 as card_last4',
        'k.product_name as card_product',
        'a.first_name as agent_first_name',
        'sp.id as sp_id',
        'sp.status as sp_status',
        'sp.device_name as sp_device_name',
        'sp.expires_at as sp_expires_at',
        'sp.requested_by_type as sp_requested_by',
      ]);
  }

  async get(id: string, tx: Tx = this.db): Promise<ConversationRow | undefined> {
    return (await this.hot.get(tx, id)).rows[0];
  }

  /** The row with the staff who joined it (staffParticipants), read together in one query. */
  async getWithStaff(id: string): Promise<{ row: ConversationRow; participants: ChatParticipation[] } | undefined> {
    const { rows } = await this.hot.getWithStaff(this.db, id);
    const first = rows[0];
    if (!first) return undefined;
    const { jp_id: _id, jp_role: _role, ...row } = first;
    const participants = rows.flatMap((r) =>
      r.jp_id ? [{ agentId: r.jp_id, role: r.jp_role as ChatParticipation['role'] }] : [],
    );
    return { row, participants };
  }

  async findOpenForCard(cardmemberId: string, cardId: string, tx: Tx = this.db): Promise<ConversationRow | undefined> {
    return this.base(tx)
      .where('c.cardmember_id', '=', cardmemberId)
      .where('c.card_id', '=', cardId)
      .where('c.status', '!=', 'closed')
      .orderBy('c.created_at', 'desc')
      .executeTakeFirst();
  }

  async accommodationOf(cardmemberId: string): Promise<string | null> {
    const r = await this.db
      .selectFrom('cardmembers')
      .select('accommodations_note')
      .where('id', '=', cardmemberId)
      .executeTakeFirst();
    return r?.accommodations_note?.trim() || null;
  }

  async cardmemberLanguage(cardmemberId: string): Promise<'en' | 'es' | null> {
    const r = await this.db
      .selectFrom('cardmembers')
      .select('preferred_language')
      .where('id', '=', cardmemberId)
      .executeTakeFirst();
    return r?.preferred_language ?? null;
  }

  /**
   * Serializes "find the open chat for this card, else create one" across connections and nodes: the
   * no-op update takes the card's row lock (PostgreSQL) / the write lock (SQLite) until commit.
   */
  async lockCard(tx: Transaction<Database>, cardId: string): Promise<void> {
    await tx
      .updateTable('cards')
      .set((eb) => ({ status: eb.ref('status') }))
      .where('id', '=', cardId)
      .execute();
  }

  async insert(tx: Tx, row: ConversationsTable): Promise<void> {
    await tx.insertInto('conversations').values(row).execute();
    await tx
      .insertInto('participants')
      .values({
        conversation_id: row.id,
        participant_type: 'cardmember',
        participant_id: row.cardmember_id,
        role: 'owner',
        joined_at: row.created_at,
        left_at: null,
      })
      .execute();
  }

  /**
   * Appends a message with the next per-conversation seq, inside the caller's transaction.
   * The conversation row update takes a row lock (PostgreSQL) / the write lock (SQLite), so
   * concurrent appends to one conversation serialize and seqs have no gaps.
   * A repeated clientMsgId returns the first stored row instead of a new one.
   */
  async append(tx: Transaction<Database>, conversationId: string, m: NewMessage, now: string): Promise<AppendResult> {
    if (m.clientMsgId) {
      const existing = await this.findByClientMsgId(tx, conversationId, m.clientMsgId);
      if (existing) return { row: existing, duplicate: true };
    }
    const bumped = (await this.hot.nextSeq(tx, conversationId, now)).rows[0];
    if (!bumped) throw new Error(`conversation ${conversationId} does not exist`);
    const row: MessagesTable = {
      id: randomUUID(),
      conversation_id: conversationId,
      seq: bumped.last_seq,
      client_msg_id: m.clientMsgId,
      author_type: m.authorType,
      author_id: m.authorId,
      author_name: m.authorName,
      kind: m.kind,
      body: m.body,
      meta: JSON.stringify(m.meta ?? {}),
      created_at: now,
    };
    await tx.insertInto('messages').values(row).execute();
    await this.recordEvent(tx, {
      type: 'message.created',
      conversationId,
      actorType: m.authorType,
      actorId: m.authorId,
      payload: { messageId: row.id, seq: row.seq },
      now,
    });
    return { row, duplicate: false };
  }

  /**
   * PostgreSQL (singleStatementSend): appends a message with the next seq, its event and (given `job`)
   * the assistant's job row, in one statement that commits on its own (APPEND_ONCE_SQL): one round trip
   * instead of BEGIN, bump, insert, event, job, COMMIT. Resolves once committed; a repeated clientMsgId
   * rejects with the unique violation (nothing stored), for the caller to read the first row.
   */
  async appendOnce(
    conversationId: string,
    m: NewMessage,
    now: string,
    job?: Omit<AssistantJobsTable, 'message_seq'>,
  ): Promise<MessagesTable> {
    if (!this.singleStatementSend) throw new Error('appendOnce is for PostgreSQL stores');
    const id = randomUUID();
    const meta = JSON.stringify(m.meta ?? {});
    const params: unknown[] = [
      id,
      conversationId,
      now,
      m.clientMsgId,
      m.authorType,
      m.authorId,
      m.authorName,
      m.kind,
      m.body,
      meta,
      ...(job ? [job.id, job.created_at, job.lease_until, job.leased_by] : []),
    ];
    const { rows } = await this.db.executeQuery<{ seq: number }>(
      CompiledQuery.raw(job ? APPEND_WITH_JOB : APPEND_ALONE, params),
    );
    const seq = rows[0]?.seq;
    if (seq === undefined) throw new Error(`conversation ${conversationId} does not exist`);
    return {
      id,
      conversation_id: conversationId,
      seq: Number(seq),
      client_msg_id: m.clientMsgId,
      author_type: m.authorType,
      author_id: m.authorId,
      author_name: m.authorName,
      kind: m.kind,
      body: m.body,
      meta,
      created_at: now,
    };
  }

  async findByClientMsgId(tx: Tx, conversationId: string, clientMsgId: string): Promise<MessagesTable | undefined> {
    return (await this.hot.byClientMsgId(tx, conversationId, clientMsgId)).rows[0];
  }

  /** The message with this seq (the one an assistant job answers). */
  async messageAt(conversationId: string, seq: number): Promise<MessagesTable | undefined> {
    return this.db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('seq', '=', seq)
      .executeTakeFirst();
  }

  /**
   * Runs fn in a transaction; on a unique violation from a racing retry, returns onConflict().
   * `grouped`: on SQLite, fn may share its commit with concurrent ones, each in its own savepoint
   * (store/group-commit.ts); it still resolves only once committed, and a failure is fn's alone.
   */
  async transaction<T>(
    fn: (tx: Transaction<Database>) => Promise<T>,
    onConflict?: () => Promise<T>,
    o: { grouped?: boolean } = {},
  ): Promise<T> {
    try {
      return await (o.grouped && this.group ? this.group.run(fn) : this.db.transaction().execute(fn));
    } catch (err) {
      if (onConflict && isUniqueViolation(err)) return onConflict();
      throw err;
    }
  }

  /** `withNotes: false` for the cardmember: internal notes and whispers are staff-only (seqs then have gaps). */
  async messagesAfter(
    conversationId: string,
    afterSeq: number,
    limit = 500,
    o: { withNotes?: boolean } = {},
  ): Promise<MessagesTable[]> {
    let q = this.db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('seq', '>', afterSeq);
    if (o.withNotes === false) q = q.where('kind', '!=', 'note');
    return q.orderBy('seq', 'asc').limit(limit).execute();
  }

  /** Staff in the chat besides the assignee who have not left: the policy's relationship input. */
  async staffParticipants(conversationId: string, tx: Tx = this.db): Promise<ChatParticipation[]> {
    const { rows } = await this.hot.staffParticipants(tx, conversationId);
    return rows.map((r) => ({ agentId: r.participant_id, role: r.role as ChatParticipation['role'] }));
  }

  /** Everyone on staff in the chat now (assignee included), with display names, for staff views. */
  async participantViews(conversationId: string): Promise<ChatParticipant[]> {
    const rows = await this.db
      .selectFrom('participants as p')
      .innerJoin('agents as a', 'a.id', 'p.participant_id')
      .select(['p.participant_id', 'p.role', 'p.joined_at', 'a.display_name'])
      .where('p.conversation_id', '=', conversationId)
      .where('p.participant_type', '=', 'agent')
      .where('p.left_at', 'is', null)
      .orderBy('p.joined_at', 'asc')
      .execute();
    return rows
      .filter(
        (r) => r.role === 'assignee' || r.role === 'conference' || r.role === 'supervisor' || r.role === 'monitor',
      )
      .map((r) => ({
        agentId: r.participant_id,
        displayName: r.display_name,
        role: r.role as ChatParticipant['role'],
        joinedAt: r.joined_at,
      }));
  }

  async update(tx: Tx, id: string, patch: Partial<ConversationsTable>): Promise<void> {
    await tx.updateTable('conversations').set(patch).where('id', '=', id).execute();
  }

  /**
   * Moves a queued conversation to `assigned` only if it is still queued: the conditional update is
   * the lock, so two agents (or two nodes) accepting at once cannot both win.
   */
  async claim(tx: Tx, id: string, agentId: string, now: string): Promise<boolean> {
    const res = await tx
      .updateTable('conversations')
      .set({ status: 'assigned', assigned_agent_id: agentId, assigned_at: now, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async addParticipant(tx: Tx, p: Database['participants']): Promise<void> {
    await tx
      .deleteFrom('participants')
      .where('conversation_id', '=', p.conversation_id)
      .where('participant_type', '=', p.participant_type)
      .where('participant_id', '=', p.participant_id)
      .execute();
    await tx.insertInto('participants').values(p).execute();
  }

  /** See store/events.store.ts. */
  recordEvent(tx: Tx, e: EventRecord): Promise<void> {
    return recordEvent(tx, e);
  }

  async listQueued(filter: { skills?: Array<{ teamId: string; language: string }> } = {}): Promise<ConversationRow[]> {
    let q = this.base(this.db).where('c.status', '=', 'queued');
    if (filter.skills) {
      if (filter.skills.length === 0) return [];
      const skills = filter.skills;
      q = q.where((eb) =>
        eb.or(skills.map((s) => eb.and([eb('c.team_id', '=', s.teamId), eb('c.language', '=', s.language as 'en')]))),
      );
    }
    // Same order as QueueModel.position() (routing/queue-model.ts): priority, then time queued, then id as the tie-break.
    return q.orderBy('c.priority', 'desc').orderBy('c.queued_at', 'asc').orderBy('c.id', 'asc').execute();
  }

  /** Open chats the agent holds, or has joined as a conference agent or barged-in supervisor. */
  async listAssignedTo(agentId: string): Promise<ConversationRow[]> {
    return this.base(this.db)
      .where('c.status', '=', 'assigned')
      .where((eb) =>
        eb.or([
          eb('c.assigned_agent_id', '=', agentId),
          eb.exists(
            eb
              .selectFrom('participants as p')
              .select('p.conversation_id')
              .whereRef('p.conversation_id', '=', 'c.id')
              .where('p.participant_type', '=', 'agent')
              .where('p.participant_id', '=', agentId)
              .where('p.role', 'in', ['conference', 'supervisor'])
              .where('p.left_at', 'is', null),
          ),
        ]),
      )
      .orderBy('c.assigned_at', 'asc')
      .execute();
  }
}
