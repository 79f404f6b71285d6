/**
 * The staff second factor and lockout state on the agents row: the encrypted TOTP secret, the last
 * accepted step, and failed sign-ins. Every change is one conditional UPDATE, so two nodes racing on
 * the same account cannot both accept one code or both miss a failure.
 */
import type { Db } from '../store/db.js';
import { iso } from '../shared/clock.js';

/** Failures (wrong password or wrong code) that lock an account... */
export const LOCKOUT_FAILURES = 10;
/** ...when they happen within this window... */
export const LOCKOUT_WINDOW_MS = 15 * 60_000;
/** ...for this long. */
export const LOCKOUT_MS = 15 * 60_000;

export class StaffCredentialsStore {
  constructor(private readonly db: Db) {}

  /**
   * Stores a new, not yet confirmed secret unless the agent already has one; returns the ciphertext
   * that won (a concurrent first sign-in may have stored its own first).
   */
  async ensurePendingSecret(agentId: string, ciphertext: string): Promise<string> {
    await this.db
      .updateTable('agents')
      .set({ totp_secret_ciphertext: ciphertext, totp_enrolled_at: null })
      .where('id', '=', agentId)
      .where('totp_secret_ciphertext', 'is', null)
      .execute();
    const row = await this.db
      .selectFrom('agents')
      .select('totp_secret_ciphertext')
      .where('id', '=', agentId)
      .executeTakeFirstOrThrow();
    return row.totp_secret_ciphertext ?? ciphertext;
  }

  /**
   * Counts one failed sign-in; the counter restarts when the previous run of failures began more than
   * LOCKOUT_WINDOW_MS ago. Returns `lockedUntil` when this failure locked the account.
   */
  async recordFailure(agentId: string, now: Date): Promise<{ failures: number; lockedUntil: string | null }> {
    const nowIso = iso(now);
    const windowStart = iso(new Date(now.getTime() - LOCKOUT_WINDOW_MS));
    await this.db
      .updateTable('agents')
      .set((eb) => {
        const fresh = eb.or([eb('failed_logins_since', 'is', null), eb('failed_logins_since', '<', windowStart)]);
        return {
          failed_logins: eb
            .case()
            .when(fresh)
            .then(1)
            .else(eb('failed_logins', '+', 1))
            .end(),
          failed_logins_since: eb.case().when(fresh).then(nowIso).else(eb.ref('failed_logins_since')).end(),
        };
      })
      .where('id', '=', agentId)
      .execute();
    const row = await this.db
      .selectFrom('agents')
      .select('failed_logins')
      .where('id', '=', agentId)
      .executeTakeFirstOrThrow();
    const failures = Number(row.failed_logins);
    if (failures < LOCKOUT_FAILURES) return { failures, lockedUntil: null };
    const lockedUntil = iso(new Date(now.getTime() + LOCKOUT_MS));
    const r = await this.db
      .updateTable('agents')
      .set({ locked_until: lockedUntil })
      .where('id', '=', agentId)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', nowIso)]))
      .executeTakeFirst();
    // Only the request that set the lock reports it (and raises the security event).
    return { failures, lockedUntil: Number(r.numUpdatedRows) === 1 ? lockedUntil : null };
  }

  /**
   * Accepts `step` for the agent: records it (later codes must be newer), confirms enrollment and
   * clears failures and lockout. False when the step is not newer than the last accepted one, i.e.
   * a racing request already used this code. Runs inside the caller's transaction.
   */
  async acceptStep(db: Db, agentId: string, step: number, now: Date): Promise<boolean> {
    const nowIso = iso(now);
    const r = await db
      .updateTable('agents')
      .set((eb) => ({
        totp_last_step: step,
        totp_enrolled_at: eb.fn.coalesce('totp_enrolled_at', eb.val(nowIso)),
        failed_logins: 0,
        failed_logins_since: null,
        locked_until: null,
      }))
      .where('id', '=', agentId)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
