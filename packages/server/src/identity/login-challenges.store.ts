/**
 * The step between a right password and a right code: an opaque challenge, single use, short-lived,
 * with a bounded number of code attempts. Only its SHA-256 is stored, like session tokens.
 */
import type { Db } from '../store/db.js';
import { iso, type Clock } from '../shared/clock.js';
import { hashToken, newToken } from './sessions.store.js';

export const CHALLENGE_TTL_SECONDS = 5 * 60;
/** Wrong codes one challenge survives; the last one burns it. */
export const CHALLENGE_MAX_ATTEMPTS = 5;

export interface LiveChallenge {
  hash: string;
  agentId: string;
  attempts: number;
}

export class LoginChallengesStore {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async create(agentId: string): Promise<{ challenge: string; expiresAt: string }> {
    const challenge = newToken();
    const now = this.clock.now();
    const expiresAt = iso(new Date(now.getTime() + CHALLENGE_TTL_SECONDS * 1000));
    await this.db
      .insertInto('login_challenges')
      .values({ id_hash: hashToken(challenge), agent_id: agentId, expires_at: expiresAt, created_at: iso(now) })
      .execute();
    return { challenge, expiresAt };
  }

  /**
   * Spends one attempt on the challenge before the code is even looked at, so parallel guesses
   * cannot exceed the limit. Null when the challenge cannot be answered: unknown, used, expired or
   * out of attempts.
   */
  async spendAttempt(challenge: string): Promise<LiveChallenge | null> {
    if (!challenge || challenge.length > 200) return null;
    const hash = hashToken(challenge);
    const now = iso(this.clock.now());
    const r = await this.db
      .updateTable('login_challenges')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id_hash', '=', hash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .where('attempts', '<', CHALLENGE_MAX_ATTEMPTS)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return null;
    const row = await this.db
      .selectFrom('login_challenges')
      .select(['agent_id', 'attempts'])
      .where('id_hash', '=', hash)
      .executeTakeFirstOrThrow();
    return { hash, agentId: row.agent_id, attempts: row.attempts };
  }

  /** After a wrong code: attempts left; at 0 the challenge is burnt (marked used). */
  async afterWrongCode(c: LiveChallenge): Promise<number> {
    const left = Math.max(0, CHALLENGE_MAX_ATTEMPTS - c.attempts);
    if (left === 0) await this.burn(this.db, c.hash);
    return left;
  }

  /**
   * Marks the challenge used; false when another request got there first. Runs inside the caller's
   * transaction, so the session is only created by the request that used the challenge.
   */
  async consume(db: Db, hash: string): Promise<boolean> {
    return this.burn(db, hash);
  }

  private async burn(db: Db, hash: string): Promise<boolean> {
    const r = await db
      .updateTable('login_challenges')
      .set({ used_at: iso(this.clock.now()) })
      .where('id_hash', '=', hash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
