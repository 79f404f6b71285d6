/** Staff-side account views (`/api/conversations/:id/context`). */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { IdentityService } from '../identity/identity.service.js';
import { authorize } from '../security/access.js';
import { staff } from '../transport/auth.js';
import { parse } from '../transport/validate.js';
import type { CustomerContextService } from './customer-context.service.js';

const IdParams = z.object({ id: z.string().min(1).max(64) });

export function accountsRoutes(
  app: FastifyInstance,
  d: { identity: IdentityService; context: CustomerContextService },
) {
  app.get('/api/conversations/:id/context', async (req, reply) => {
    const { actor } = await staff(d.identity, req);
    authorize(actor, 'conversation.context');
    const { id } = parse(IdParams, req.params);
    reply.header('cache-control', 'no-store');
    return d.context.forConversation(actor, id);
  });
}
