/** Persistence for step-up: device prompts, a conversation's assurance, challenge lockouts, events. */
import { recordEvent, type EventRecord } from '../store/events.store.js';
import type { Transaction } from 'kysely';
import type { Db } from '../store/db.js';
import type { Database, StepupLockoutsTable, StepupPromptsTable } from '../store/schema.js';

export type Tx = Transaction<Database> | Db;

export class StepUpStore {
  constructor(readonly db: Db) {}

  transaction<T>(fn: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  // ------------------------------------------------------------------ device prompts

  async insertPrompt(tx: Tx, row: StepupPromptsTable): Promise<void> {
    await tx.insertInto('stepup_prompts').values(row).execute();
  }

  /** Pending prompts of a conversation become `expired`: only the newest one can be answered. */
  async supersedePending(tx: Tx, conversationId: string, now: string): Promise<void> {
    await tx
      .updateTable('stepup_prompts')
      .set({ status: 'expired', decided_at: now })
      .where('conversation_id', '=', conversationId)
      .where('status', '=', 'pending')
      .execute();
  }

  async countSince(conversationId: string, since: string): Promise<number> {
    const r = await this.db
      .selectFrom('stepup_prompts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('conversation_id', '=', conversationId)
      .where('created_at', '>', since)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async promptByTokenHash(tokenHash: string): Promise<StepupPromptsTable | undefined> {
    return this.db.selectFrom('stepup_prompts').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  }

  async promptById(id: string, tx: Tx = this.db): Promise<StepupPromptsTable | undefined> {
    return tx.selectFrom('stepup_prompts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * Answers a prompt only if it is still pending and unexpired. The conditional update is the lock:
   * of two answers racing (two tabs, two nodes), exactly one changes the row.
   */
  async answer(tx: Tx, id: string, status: 'approved' | 'denied', now: string): Promise<boolean> {
    const r = await tx
      .updateTable('stepup_prompts')
      .set({ status, decided_at: now })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Records that a pending prompt ran out of time (what the page and the view already show). */
  async markExpired(id: string, now: string): Promise<void> {
    await this.db
      .updateTable('stepup_prompts')
      .set({ status: 'expired', decided_at: now })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('expires_at', '<=', now)
      .execute();
  }

  // ------------------------------------------------------------------ conversations

  async pointAtPrompt(tx: Tx, conversationId: string, promptId: string, now: string): Promise<void> {
    await tx
      .updateTable('conversations')
      .set({ stepup_prompt_id: promptId, updated_at: now })
      .where('id', '=', conversationId)
      .execute();
  }

  /** Marks an open conversation verified until `expiresAt`. False when the chat has closed meanwhile. */
  async verify(
    tx: Tx,
    conversationId: string,
    method: 'device' | 'challenge',
    expiresAt: string,
    now: string,
  ): Promise<boolean> {
    const r = await tx
      .updateTable('conversations')
      .set({ assurance_level: 'verified', assurance_method: method, assurance_expires_at: expiresAt, updated_at: now })
      .where('id', '=', conversationId)
      .where('status', '!=', 'closed')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  // ------------------------------------------------------------------ challenge lockouts

  /**
   * The cardmember's lockout row, locked for the rest of the transaction: created if missing, then a
   * no-op update takes the row lock (PostgreSQL) / the write lock (SQLite), so concurrent wrong
   * answers are counted one after the other and none slips past the limit.
   */
  async lockLockout(tx: Transaction<Database>, cardmemberId: string, now: string): Promise<StepupLockoutsTable> {
    await tx
      .insertInto('stepup_lockouts')
      .values({ cardmember_id: cardmemberId, failed_attempts: 0, locked_until: null, updated_at: now })
      .onConflict((oc) => oc.column('cardmember_id').doNothing())
      .execute();
    await tx
      .updateTable('stepup_lockouts')
      .set((eb) => ({ failed_attempts: eb.ref('failed_attempts') }))
      .where('cardmember_id', '=', cardmemberId)
      .execute();
    const row = await tx
      .selectFrom('stepup_lockouts')
      .selectAll()
      .where('cardmember_id', '=', cardmemberId)
      .executeTakeFirstOrThrow();
    return { ...row, failed_attempts: Number(row.failed_attempts) };
  }

  async setLockout(
    tx: Tx,
    cardmemberId: string,
    state: { failedAttempts: number; lockedUntil: string | null },
    now: string,
  ): Promise<void> {
    await tx
      .updateTable('stepup_lockouts')
      .set({ failed_attempts: state.failedAttempts, locked_until: state.lockedUntil, updated_at: now })
      .where('cardmember_id', '=', cardmemberId)
      .execute();
  }

  // ------------------------------------------------------------------ events

  /** Appends to the conversation's event trail (ids and outcomes only, never submitted values). */
  /** See store/events.store.ts. */
  recordEvent(tx: Tx, e: EventRecord): Promise<void> {
    return recordEvent(tx, e);
  }
}
