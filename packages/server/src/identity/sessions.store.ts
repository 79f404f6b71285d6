/** Opaque bearer sessions for widgets and staff. Only the SHA-256 of a token is ever stored. */
import { createHash, randomBytes } from 'node:crypto';
import { isUniqueViolation, type Db } from '../store/db.js';
import type { SessionsTable } from '../store/schema.js';
import { iso, type Clock } from '../shared/clock.js';

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
export const newToken = (): string => randomBytes(32).toString('base64url');

export interface Session {
  hash: string;
  kind: 'widget' | 'staff';
  subjectId: string;
  cardId: string | null;
  csrfToken: string | null;
  expiresAt: string;
}

export type SessionLookup = { ok: true; session: Session } | { ok: false; reason: 'unknown' | 'expired' };

export class SessionsStore {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async create(input: {
    kind: 'widget' | 'staff';
    subjectId: string;
    cardId?: string | null;
    ttlSeconds: number;
  }): Promise<{ token: string; session: Session }> {
    const token = newToken();
    const now = this.clock.now();
    const row: SessionsTable = {
      id_hash: hashToken(token),
      kind: input.kind,
      subject_id: input.subjectId,
      card_id: input.cardId ?? null,
      csrf_token: input.kind === 'staff' ? newToken() : null,
      expires_at: iso(new Date(now.getTime() + input.ttlSeconds * 1000)),
      revoked_at: null,
      created_at: iso(now),
    };
    await this.db.insertInto('sessions').values(row).execute();
    return { token, session: toSession(row) };
  }

  async lookup(token: string, kind: 'widget' | 'staff'): Promise<SessionLookup> {
    if (!token || token.length > 200) return { ok: false, reason: 'unknown' };
    const row = await this.db
      .selectFrom('sessions')
      .selectAll()
      .where('id_hash', '=', hashToken(token))
      .where('kind', '=', kind)
      .executeTakeFirst();
    if (!row || row.revoked_at) return { ok: false, reason: 'unknown' };
    if (row.expires_at <= iso(this.clock.now())) return { ok: false, reason: 'expired' };
    return { ok: true, session: toSession(row) };
  }

  /** Re-checks a session by hash (used by long-lived sockets). */
  async isLive(hash: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('sessions')
      .select(['expires_at', 'revoked_at'])
      .where('id_hash', '=', hash)
      .executeTakeFirst();
    return !!row && !row.revoked_at && row.expires_at > iso(this.clock.now());
  }

  async revoke(hash: string): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set({ revoked_at: iso(this.clock.now()) })
      .where('id_hash', '=', hash)
      .execute();
  }

  /**
   * Marks a host-site token id as used. Returns false if it was already used (replay).
   * Relies on the primary key, so two nodes racing on the same token cannot both win.
   */
  async useTokenOnce(jti: string, expiresAt: Date): Promise<boolean> {
    try {
      await this.db
        .insertInto('used_tokens')
        .values({ jti, expires_at: iso(expiresAt) })
        .execute();
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  /** Deletes expired sessions and used-token records (they can no longer be presented). */
  async purgeExpired(olderThan: Date = this.clock.now()): Promise<void> {
    const cutoff = iso(olderThan);
    await this.db.deleteFrom('used_tokens').where('expires_at', '<', cutoff).execute();
    await this.db.deleteFrom('sessions').where('expires_at', '<', cutoff).execute();
  }
}

function toSession(row: SessionsTable): Session {
  return {
    hash: row.id_hash,
    kind: row.kind,
    subjectId: row.subject_id,
    cardId: row.card_id,
    csrfToken: row.csrf_token,
    expiresAt: row.expires_at,
  };
}
