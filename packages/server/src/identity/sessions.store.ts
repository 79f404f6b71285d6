/**
 * Opaque bearer sessions for widgets and staff. Only the SHA-256 of a token is ever stored.
 * Staff sessions end at the absolute expiry (8 h by default) or after `staffIdleSeconds` without API
 * or WebSocket activity, whichever comes first; activity slides the idle deadline, written at most
 * once a minute so busy consoles do not turn every request into a write.
 */
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

/** Activity closer together than this is not written again. */
export const TOUCH_INTERVAL_MS = 60_000;

export type SessionLookup = { ok: true; session: Session } | { ok: false; reason: 'unknown' | 'expired' };

export class SessionsStore {
  private readonly staffIdleMs: number;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    o: { staffIdleSeconds?: number } = {},
  ) {
    this.staffIdleMs = (o.staffIdleSeconds ?? 1800) * 1000;
  }

  /** The store's clock, for callers that throttle their own calls to touch(). */
  nowMs(): number {
    return this.clock.now().getTime();
  }

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
      last_seen_at: iso(now),
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
    const now = this.clock.now();
    if (row.expires_at <= iso(now) || this.idledOut(row, now)) return { ok: false, reason: 'expired' };
    if (now.getTime() - Date.parse(row.last_seen_at ?? row.created_at) >= TOUCH_INTERVAL_MS) {
      await this.touch(row.id_hash);
    }
    return { ok: true, session: toSession(row) };
  }

  /**
   * Records activity on a session (a request, a socket frame), at most once per TOUCH_INTERVAL_MS.
   * Never revives a session that already idled out or was revoked.
   */
  async touch(hash: string): Promise<void> {
    const now = this.clock.now();
    const nowIso = iso(now);
    await this.db
      .updateTable('sessions')
      .set({ last_seen_at: nowIso })
      .where('id_hash', '=', hash)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', nowIso)
      .where((eb) =>
        eb.or([
          eb('last_seen_at', 'is', null),
          eb.and([
            eb('last_seen_at', '<=', iso(new Date(now.getTime() - TOUCH_INTERVAL_MS))),
            eb.or([
              eb('kind', '!=', 'staff'),
              eb('last_seen_at', '>', iso(new Date(now.getTime() - this.staffIdleMs))),
            ]),
          ]),
        ]),
      )
      .execute();
  }

  private idledOut(row: Pick<SessionsTable, 'kind' | 'last_seen_at' | 'created_at'>, now: Date): boolean {
    if (row.kind !== 'staff') return false;
    return now.getTime() - Date.parse(row.last_seen_at ?? row.created_at) >= this.staffIdleMs;
  }

  /** Which of `hashes` are live sessions now: open sockets re-check their sessions in bulk (one query per 500). */
  async liveAmong(hashes: string[]): Promise<Set<string>> {
    const live = new Set<string>();
    const now = this.clock.now();
    for (let i = 0; i < hashes.length; i += 500) {
      const rows = await this.db
        .selectFrom('sessions')
        .select(['id_hash', 'kind', 'expires_at', 'revoked_at', 'last_seen_at', 'created_at'])
        .where('id_hash', 'in', hashes.slice(i, i + 500))
        .execute();
      for (const row of rows) {
        if (!row.revoked_at && row.expires_at > iso(now) && !this.idledOut(row, now)) live.add(row.id_hash);
      }
    }
    return live;
  }

  async revoke(hash: string): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set({ revoked_at: iso(this.clock.now()) })
      .where('id_hash', '=', hash)
      .execute();
  }

  /**
   * Revokes every live widget session of one cardmember on one card (each open tab has its own);
   * returns their hashes so the caller can close their sockets. Other cards' sessions are untouched.
   */
  async revokeWidgetSessions(subjectId: string, cardId: string): Promise<string[]> {
    const now = iso(this.clock.now());
    const rows = await this.db
      .selectFrom('sessions')
      .select('id_hash')
      .where('kind', '=', 'widget')
      .where('subject_id', '=', subjectId)
      .where('card_id', '=', cardId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .execute();
    const hashes = rows.map((r) => r.id_hash);
    if (hashes.length) {
      await this.db.updateTable('sessions').set({ revoked_at: now }).where('id_hash', 'in', hashes).execute();
    }
    return hashes;
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

  /**
   * Deletes expired sessions, staff sessions that idled out, used-token records and sign-in
   * challenges (none of them can be presented any more).
   */
  async purgeExpired(olderThan: Date = this.clock.now()): Promise<void> {
    const cutoff = iso(olderThan);
    await this.db.deleteFrom('used_tokens').where('expires_at', '<', cutoff).execute();
    await this.db.deleteFrom('sessions').where('expires_at', '<', cutoff).execute();
    await this.db
      .deleteFrom('sessions')
      .where('kind', '=', 'staff')
      .where('last_seen_at', '<', iso(new Date(olderThan.getTime() - this.staffIdleMs)))
      .execute();
    await this.db.deleteFrom('login_challenges').where('expires_at', '<', cutoff).execute();
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
