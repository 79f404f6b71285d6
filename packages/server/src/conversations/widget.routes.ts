/** Customer-side HTTP API (`/api/widget/...`): thin — parse, authenticate, call one service, present. */
import {
  MAX_SEQ,
  WidgetSessionRequest,
  type WidgetConversationResponse,
  type WidgetSessionResponse,
} from '@carechat/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Bus } from '../bus/bus.js';
import { channels } from '../bus/events.js';
import type { IdentityService } from '../identity/identity.service.js';
import type { SessionsStore } from '../identity/sessions.store.js';
import { authorize } from '../security/access.js';
import { cardmember } from '../transport/auth.js';
import { parse } from '../transport/validate.js';
import type { ConversationService } from './conversations.service.js';

const IdParams = z.object({ id: z.string().min(1).max(64) });
const AfterQuery = z.object({ after: z.coerce.number().int().nonnegative().max(MAX_SEQ).default(0) });

export function widgetRoutes(
  app: FastifyInstance,
  d: { identity: IdentityService; conversations: ConversationService; sessions: SessionsStore; bus: Bus },
) {
  app.post('/api/widget/session', async (req, reply): Promise<WidgetSessionResponse> => {
    authorize(null, 'session.start');
    const body = (req.body ?? {}) as { token?: unknown };
    const { token } = body.token === undefined ? { token: undefined } : parse(WidgetSessionRequest, body);
    const session = await d.identity.exchangeSiteToken(token);
    const row = await d.conversations.openForCard({
      cardmemberId: session.who.cardmemberId,
      cardId: session.who.cardId,
      language: session.who.language,
    });
    const actor = await d.identity.cardmemberActor(session.token);
    reply.code(201);
    return {
      sessionToken: session.token,
      expiresAt: session.expiresAt,
      cardmember: { id: session.who.cardmemberId, firstName: session.who.firstName, language: session.who.language },
      conversation: await d.conversations.view(row),
      messages: await d.conversations.messagesAfter(actor, row.id, 0),
    };
  });

  // "End chat and start again from the official site": a cardmember who fears the session is
  // compromised ends the chat and the session; every socket of it closes, on every node. Every other
  // tab holds its own widget session for the same card (and the same chat), and the cardmember cannot
  // tell which one leaked, so all of this card's widget sessions end together.
  app.post('/api/widget/session/end', async (req) => {
    const actor = await cardmember(d.identity, req);
    authorize(actor, 'session.end');
    const conversation = await d.conversations.endOpenFor(actor);
    const hashes = new Set([
      actor.sessionHash,
      ...(await d.sessions.revokeWidgetSessions(actor.cardmemberId, actor.cardId)),
    ]);
    await d.sessions.revoke(actor.sessionHash);
    for (const sessionHash of hashes) {
      await d.bus.publish(channels.sessions, { name: 'session.revoked', payload: { sessionHash } });
    }
    return { ok: true, conversation };
  });

  app.post('/api/widget/conversations', async (req, reply): Promise<WidgetConversationResponse> => {
    const actor = await cardmember(d.identity, req);
    authorize(actor, 'conversation.start');
    const row = await d.conversations.openForCard({
      cardmemberId: actor.cardmemberId,
      cardId: actor.cardId,
      language: (await d.conversations.languageOf(actor)) ?? 'en',
    });
    reply.code(201);
    return {
      conversation: await d.conversations.view(row),
      messages: await d.conversations.messagesAfter(actor, row.id, 0),
    };
  });

  app.get('/api/widget/conversations/:id/messages', async (req) => {
    const actor = await cardmember(d.identity, req);
    authorize(actor, 'conversation.read');
    const { id } = parse(IdParams, req.params);
    const { after } = parse(AfterQuery, req.query);
    return { messages: await d.conversations.messagesAfter(actor, id, after) };
  });

  app.post('/api/widget/conversations/:id/end', async (req) => {
    const actor = await cardmember(d.identity, req);
    authorize(actor, 'conversation.end');
    const { id } = parse(IdParams, req.params);
    return { conversation: await d.conversations.end(actor, id) };
  });

  app.get('/api/widget/conversations/:id/transcript', async (req, reply) => {
    const actor = await cardmember(d.identity, req);
    authorize(actor, 'conversation.transcript');
    const { id } = parse(IdParams, req.params);
    const { filename, text } = await d.conversations.transcript(actor, id);
    reply
      .type('text/plain; charset=utf-8')
      .header('content-disposition', `attachment; filename="${filename}"`)
      .header('cache-control', 'no-store');
    return text;
  });
}
