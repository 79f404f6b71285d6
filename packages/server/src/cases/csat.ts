/**
 * Post-chat satisfaction (CSAT): after a chat an agent handled ends, the cardmember rates it 1–5 with an
 * optional comment (redacted before it is stored). One response per chat, kept with the agent and team
 * that handled it; the supervisor board shows today's average and count per queue.
 *
 *   POST /api/widget/conversations/:id/csat  CsatRequest → { ok: true } (201)
 *   - the chat's owner only (anyone else: 404 conversation_not_found);
 *   - only a closed chat with an agent (409 conflict otherwise), once (409 conflict on a second);
 *   - a score outside 1–5 or a comment over 1000 characters: 400 bad_request.
 */
import { CsatRequest } from '@carechat/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ConversationService } from '../conversations/conversations.service.js';
import type { IdentityService } from '../identity/identity.service.js';
import type { Redactor } from '../redaction/redactor.js';
import { authorize, type Actor } from '../security/access.js';
import { iso, type Clock } from '../shared/clock.js';
import { conflict } from '../shared/errors.js';
import type { Db } from '../store/db.js';
import { cardmember } from '../transport/auth.js';
import { parse } from '../transport/validate.js';

const IdParams = z.object({ id: z.string().min(1).max(64) });

/** Today's responses of one queue (team × language). */
export interface CsatStat {
  teamId: string;
  language: string;
  average: number;
  count: number;
}

export class CsatService {
  constructor(private readonly d: { db: Db; conversations: ConversationService; redactor: Redactor; clock: Clock }) {}

  /** Stores the cardmember's rating of a closed chat an agent handled. */
  async submit(actor: Actor, conversationId: string, req: CsatRequest): Promise<void> {
    const row = await this.d.conversations.getReadable(actor, conversationId, 'conversation.csat');
    if (row.status !== 'closed' || !row.assigned_agent_id) {
      throw conflict('conflict', 'Only a chat with an agent that has ended can be rated.');
    }
    const comment = req.comment?.trim() ? this.d.redactor.redact(req.comment.trim()).text : null;
    // The primary key is the chat: a second response (or a race of two) inserts nothing.
    const r = await this.d.db
      .insertInto('csat_responses')
      .values({
        conversation_id: row.id,
        cardmember_id: row.cardmember_id,
        agent_id: row.assigned_agent_id,
        team_id: row.team_id,
        score: req.score,
        comment,
        created_at: iso(this.d.clock.now()),
      })
      .onConflict((oc) => oc.column('conversation_id').doNothing())
      .executeTakeFirst();
    if (Number(r.numInsertedOrUpdatedRows ?? 0) !== 1) {
      throw conflict('conflict', 'This chat has already been rated. Thank you!');
    }
  }

  /** Average score and count of today's responses (UTC day of `now`) per queue of the given teams. */
  async today(teamIds: string[], now: Date = this.d.clock.now()): Promise<CsatStat[]> {
    if (!teamIds.length) return [];
    const since = `${iso(now).slice(0, 10)}T00:00:00.000Z`;
    const rows = await this.d.db
      .selectFrom('csat_responses as r')
      .innerJoin('conversations as c', 'c.id', 'r.conversation_id')
      .select((eb) => [
        'r.team_id',
        'c.language',
        eb.fn.count<number>('r.score').as('n'),
        eb.fn.sum<number>('r.score').as('total'),
      ])
      .where('r.team_id', 'in', teamIds)
      .where('r.created_at', '>=', since)
      .groupBy(['r.team_id', 'c.language'])
      .execute();
    return rows.map((r) => {
      const count = Number(r.n);
      return {
        teamId: r.team_id!,
        language: r.language,
        count,
        average: count ? Math.round((Number(r.total) / count) * 100) / 100 : 0,
      };
    });
  }
}

export function csatRoutes(app: FastifyInstance, d: { identity: IdentityService; csat: CsatService }) {
  app.post('/api/widget/conversations/:id/csat', async (req, reply) => {
    const actor = await cardmember(d.identity, req);
    authorize(actor, 'conversation.csat');
    const { id } = parse(IdParams, req.params);
    await d.csat.submit(actor, id, parse(CsatRequest, req.body ?? {}));
    reply.code(201);
    return { ok: true as const };
  });
}
