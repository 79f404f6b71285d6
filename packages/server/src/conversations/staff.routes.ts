/** Staff-side conversation API (`/api/conversations/...`). */
import {
  ConversationListQuery,
  type ConversationDetailResponse,
  type ConversationListResponse,
} from '@carechat/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { IdentityService } from '../identity/identity.service.js';
import { authorize } from '../security/access.js';
import { staff } from '../transport/auth.js';
import { parse } from '../transport/validate.js';
import type { ConversationService } from './conversations.service.js';

const IdParams = z.object({ id: z.string().min(1).max(64) });
const ReasonQuery = z.object({ reason: z.string().max(1000).optional() });

export function staffConversationRoutes(
  app: FastifyInstance,
  d: { identity: IdentityService; conversations: ConversationService },
) {
  app.get('/api/conversations', async (req): Promise<ConversationListResponse> => {
    const { actor } = await staff(d.identity, req);
    authorize(actor, 'conversation.list');
    const { view } = parse(ConversationListQuery, req.query);
    const inbox = await d.conversations.inbox(actor);
    return { conversations: view === 'waiting' ? inbox.waiting : inbox.mine };
  });

  app.get('/api/conversations/:id', async (req): Promise<ConversationDetailResponse> => {
    const { actor } = await staff(d.identity, req);
    const { id } = parse(IdParams, req.params);
    // Administrators read only with a stated reason, and the read is audited.
    const { reason } = parse(ReasonQuery, req.query);
    if (actor.role === 'admin' && reason !== undefined) return d.conversations.readWithReason(actor, id, reason);
    authorize(actor, 'conversation.read');
    const row = await d.conversations.getReadable(actor, id);
    return {
      conversation: await d.conversations.view(row, actor),
      messages: await d.conversations.messagesAfter(actor, id, 0),
    };
  });

  app.post('/api/conversations/:id/accept', async (req) => {
    const { actor } = await staff(d.identity, req);
    authorize(actor, 'conversation.accept');
    const { id } = parse(IdParams, req.params);
    const conversation = await d.conversations.accept(actor, id);
    return { conversation, messages: await d.conversations.messagesAfter(actor, id, 0) };
  });

  app.post('/api/conversations/:id/end', async (req) => {
    const { actor } = await staff(d.identity, req);
    authorize(actor, 'conversation.end');
    const { id } = parse(IdParams, req.params);
    return { conversation: await d.conversations.end(actor, id) };
  });

  app.get('/api/conversations/:id/transcript', async (req, reply) => {
    const { actor } = await staff(d.identity, req);
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
