/**
 * The assistant's turns as stored jobs (docs/assistant.md#turns-as-stored-jobs), so that several nodes
 * can serve chats and a node that dies mid-turn loses nothing.
 *
 * - A job row is written in the transaction of the cardmember's message it answers, already leased to
 *   the node that stored it (attempt 1), which runs the turn at once. The turn's own transaction
 *   deletes the job (checking the take is still this one), so "replies stored" and "job done" are one
 *   fact: a stale node's late turn rolls back instead of answering twice.
 * - A take is identified by (id, leased_by, attempts): every take adds one to `attempts`, so a node
 *   that lost its lease can neither finish nor release the job afterwards.
 * - Order: only the oldest job of a conversation (its head) is taken by a sweep or a continuation. A
 *   new job whose older sibling still exists steps back (releases its lease) and takes the head if it
 *   is free; otherwise whoever finishes the older one then takes the next.
 * - Recovery: every node sweeps on an interval for heads whose lease ran out or was released, oldest
 *   first, a bounded batch per pass (PostgreSQL: `FOR UPDATE SKIP LOCKED`, so sweeping nodes pass over
 *   each other's rows; SQLite has one writer, and a conditional update per job suffices).
 * - A failed turn is released for the sweep to retry; after `maxAttempts` takes the job is given up
 *   (the service tells the cardmember), so nothing hangs silently.
 * Leases are measured in real time, not the app's clock: a test clock set far ahead must not make a
 * running turn look abandoned.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Db } from '../store/db.js';
import type { AssistantJobsTable, Database } from '../store/schema.js';
import type { Logger } from '../shared/logger.js';

/** One take of a job by this node; (id, leasedBy, attempts) is the take's token. */
export interface AssistantJob {
  id: string;
  conversationId: string;
  messageSeq: number;
  attempts: number;
  leasedBy: string;
}

export interface AssistantJobsOptions {
  /** This node's id (config.nodeId): written as `leased_by`. */
  nodeId: string;
  kind: 'sqlite' | 'postgres';
  leaseSeconds: number;
  sweepMs: number;
  /** Takes before a job is given up (default 5). */
  maxAttempts?: number;
  /** Jobs taken per sweep pass (default 20); a backlog drains over the following passes. */
  batch?: number;
  /** Real time for leases (default Date.now). */
  now?: () => number;
}

const toJob = (r: Pick<AssistantJobsTable, 'id' | 'conversation_id' | 'message_seq' | 'attempts'>, node: string) => ({
  id: r.id,
  conversationId: r.conversation_id,
  messageSeq: Number(r.message_seq),
  attempts: Number(r.attempts),
  leasedBy: node,
});

/** The SQL of the jobs: add, take, release, finish. */
export class AssistantJobsStore {
  readonly maxAttempts: number;
  readonly batch: number;
  private readonly now: () => number;

  constructor(
    private readonly db: Db,
    readonly o: AssistantJobsOptions,
  ) {
    this.maxAttempts = o.maxAttempts ?? 5;
    this.batch = o.batch ?? 20;
    this.now = o.now ?? Date.now;
  }

  private leaseUntil(): string {
    return new Date(this.now() + this.o.leaseSeconds * 1000).toISOString();
  }

  /** Inside the message's transaction: the job, already leased to this node (its first take). */
  async add(tx: Transaction<Database>, conversationId: string, messageSeq: number): Promise<AssistantJob> {
    const row = { ...this.draft(conversationId), message_seq: messageSeq };
    await tx.insertInto('assistant_jobs').values(row).execute();
    return this.taken(row);
  }

  /**
   * The job row for a message whose seq is not known yet, already leased to this node (its first
   * take): the PostgreSQL send stores it in the message's own statement (ConversationsStore.appendOnce).
   */
  draft(conversationId: string): Omit<AssistantJobsTable, 'message_seq'> & { attempts: 1; leased_by: string } {
    return {
      id: randomUUID(),
      conversation_id: conversationId,
      created_at: new Date(this.now()).toISOString(),
      attempts: 1,
      lease_until: this.leaseUntil(),
      leased_by: this.o.nodeId,
    };
  }

  /** This node's take of a job row it stored. */
  taken(row: Pick<AssistantJobsTable, 'id' | 'conversation_id' | 'message_seq' | 'attempts'>): AssistantJob {
    return toJob(row, this.o.nodeId);
  }

  /**
   * Where the take stands: 'mine' (still this take, and the chat's oldest job), 'behind' (an older job
   * of the chat still exists) or 'lost' (done, or taken over by another take).
   */
  async standing(job: AssistantJob): Promise<'mine' | 'behind' | 'lost'> {
    const rows = await this.db
      .selectFrom('assistant_jobs')
      .select(['id', 'attempts', 'leased_by'])
      .where('conversation_id', '=', job.conversationId)
      .where('message_seq', '<=', job.messageSeq)
      .execute();
    const own = rows.find((r) => r.id === job.id);
    if (!own || Number(own.attempts) !== job.attempts || own.leased_by !== job.leasedBy) return 'lost';
    return rows.length > 1 ? 'behind' : 'mine';
  }

  /** Inside the turn's transaction: deletes the job if this take still holds it (false: roll back). */
  async finish(tx: Transaction<Database> | Db, job: AssistantJob): Promise<boolean> {
    const res = await tx
      .deleteFrom('assistant_jobs')
      .where('id', '=', job.id)
      .where('leased_by', '=', job.leasedBy)
      .where('attempts', '=', job.attempts)
      .executeTakeFirst();
    return Number(res.numDeletedRows) === 1;
  }

  /** Gives the job back (free for the next take) if this take still holds it. */
  async release(job: AssistantJob): Promise<void> {
    await this.db
      .updateTable('assistant_jobs')
      .set({ lease_until: null, leased_by: null })
      .where('id', '=', job.id)
      .where('leased_by', '=', job.leasedBy)
      .where('attempts', '=', job.attempts)
      .execute();
  }

  /** Takes the conversation's oldest job if it is free or its lease ran out. */
  async takeHead(conversationId: string): Promise<AssistantJob | null> {
    const now = new Date(this.now()).toISOString();
    const row = await this.db
      .updateTable('assistant_jobs')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), lease_until: this.leaseUntil(), leased_by: this.o.nodeId }))
      .where(
        'id',
        '=',
        this.db
          .selectFrom('assistant_jobs')
          .select('id')
          .where('conversation_id', '=', conversationId)
          .orderBy('message_seq')
          .limit(1),
      )
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .returning(['id', 'conversation_id', 'message_seq', 'attempts'])
      .executeTakeFirst();
    return row ? toJob(row, this.o.nodeId) : null;
  }

  /** One sweep's take: heads of conversations that are free or whose lease ran out, oldest first. */
  async takeDue(): Promise<AssistantJob[]> {
    const now = new Date(this.now()).toISOString();
    const until = this.leaseUntil();
    if (this.o.kind === 'postgres') {
      // One statement: rows another sweeper holds are skipped, not waited for.
      const r = await sql<AssistantJobsTable>`
        with due as (
          select j.id from assistant_jobs j
          where (j.lease_until is null or j.lease_until < ${now})
            and not exists (
              select 1 from assistant_jobs o
              where o.conversation_id = j.conversation_id and o.message_seq < j.message_seq)
          order by j.created_at, j.id
          limit ${this.batch}
          for update of j skip locked)
        update assistant_jobs set attempts = attempts + 1, lease_until = ${until}, leased_by = ${this.o.nodeId}
        where id in (select id from due)
        returning id, conversation_id, message_seq, attempts`.execute(this.db);
      return r.rows.map((row) => toJob(row, this.o.nodeId)).sort((a, b) => a.messageSeq - b.messageSeq);
    }
    const due = await this.db
      .selectFrom('assistant_jobs as j')
      .select(['j.id', 'j.conversation_id'])
      .where((eb) => eb.or([eb('j.lease_until', 'is', null), eb('j.lease_until', '<', now)]))
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('assistant_jobs as o')
              .select('o.id')
              .whereRef('o.conversation_id', '=', 'j.conversation_id')
              .whereRef('o.message_seq', '<', 'j.message_seq'),
          ),
        ),
      )
      .orderBy('j.created_at')
      .orderBy('j.id')
      .limit(this.batch)
      .execute();
    const taken: AssistantJob[] = [];
    for (const d of due) {
      const job = await this.takeHead(d.conversation_id);
      if (job) taken.push(job);
    }
    return taken;
  }
}

export interface AssistantJobHandlers {
  /** Runs the turn; true when its transaction finished the job, false when the take was lost. */
  turn(job: AssistantJob): Promise<boolean>;
  /** Gives the job up: deletes it (if still held) and tells the cardmember. */
  giveUp(job: AssistantJob): Promise<void>;
}

/** Runs jobs in this node: the ones it stored (at once) and the ones its sweep takes. */
export class AssistantJobRunner {
  /** Per-conversation chain of this node's own new jobs: a burst of messages is answered in order. */
  private readonly chains = new Map<string, Promise<void>>();
  private readonly running = new Set<Promise<unknown>>();
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;

  constructor(
    readonly jobs: AssistantJobsStore,
    private readonly h: AssistantJobHandlers,
    private readonly logger: Logger,
  ) {}

  /** A job this node just stored (and holds): run it after this node's earlier turns of the chat. */
  submit(job: AssistantJob): void {
    const prev = this.chains.get(job.conversationId) ?? Promise.resolve();
    const next = prev
      .then(() => this.execute(job))
      .finally(() => {
        if (this.chains.get(job.conversationId) === next) this.chains.delete(job.conversationId);
      });
    this.chains.set(job.conversationId, next);
    this.track(next);
  }

  /** Resolves when every turn this node has started (and its current sweep) has finished. */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running]);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.kick(), this.jobs.o.sweepMs);
    this.timer.unref();
  }

  /** Stops sweeping (turns already running go on; `idle()` waits for them). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Runs a sweep pass unless one is already running in this node. */
  kick(): void {
    if (this.sweeping) return;
    this.sweeping = this.sweep()
      .then(() => undefined)
      .catch((err: unknown) => this.logger.error({ err }, 'assistant job sweep failed'))
      .finally(() => {
        this.sweeping = null;
      });
    this.track(this.sweeping);
  }

  /** One pass: takes due jobs and runs them (each chat's jobs one after another). Returns how many taken. */
  async sweep(): Promise<number> {
    const taken = await this.jobs.takeDue();
    await Promise.all(taken.map((job) => this.execute(job)));
    return taken.length;
  }

  private track(p: Promise<unknown>): void {
    this.running.add(p);
    void p.finally(() => this.running.delete(p)).catch(() => undefined);
  }

  /** Runs a take, then keeps going with the chat's next job if it is free. Never throws. */
  private async execute(first: AssistantJob): Promise<void> {
    let job: AssistantJob | null = first;
    while (job) job = await this.once(job);
  }

  /** One take; returns the chat's next job when this one is done and that one could be taken. */
  private async once(job: AssistantJob): Promise<AssistantJob | null> {
    try {
      if (job.attempts > this.jobs.maxAttempts) {
        await this.giveUp(job);
        return this.jobs.takeHead(job.conversationId);
      }
      const standing = await this.jobs.standing(job);
      if (standing === 'lost') return null;
      if (standing === 'behind') {
        // An older turn of the chat is still owed: step back, and take the chat's oldest job if it is
        // free (a failed turn is retried now, or the older one finished meanwhile). One held by a live
        // take stays with it; its finisher then takes the next one.
        await this.jobs.release(job);
        return this.jobs.takeHead(job.conversationId);
      }
      if (!(await this.h.turn(job))) return null;
      return this.jobs.takeHead(job.conversationId);
    } catch (err) {
      this.logger.error(
        { err, conversationId: job.conversationId, messageSeq: job.messageSeq, attempts: job.attempts },
        'assistant turn failed',
      );
      try {
        if (job.attempts >= this.jobs.maxAttempts) {
          await this.giveUp(job);
          return this.jobs.takeHead(job.conversationId);
        }
        await this.jobs.release(job);
      } catch (again) {
        this.logger.error({ err: again, conversationId: job.conversationId }, 'could not release an assistant job');
      }
      return null;
    }
  }

  private async giveUp(job: AssistantJob): Promise<void> {
    this.logger.error(
      { conversationId: job.conversationId, messageSeq: job.messageSeq, attempts: job.attempts },
      'assistant turn given up',
    );
    await this.h.giveUp(job);
  }
}
