/** Staff-side account actions (`POST /api/conversations/:id/actions/:operation`): thin — the service decides. */
import { AccountActionRequest, type AccountActionResponse } from '@carechat/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { IdentityService } from '../identity/identity.service.js';
import { authorize } from '../security/access.js';
import { staff } from '../transport/auth.js';
import { parse } from '../transport/validate.js';
import type { AccountActionsService } from './account-actions.service.js';

const Params = z.object({
  id: z.string().min(1).max(64),
  operation: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z]+$/, 'invalid operation'),
});

export function accountActionRoutes(
  app: FastifyInstance,
  d: { identity: IdentityService; actions: AccountActionsService },
) {
  app.post('/api/conversations/:id/actions/:operation', async (req): Promise<AccountActionResponse> => {
    const { actor } = await staff(d.identity, req);
    authorize(actor, 'conversation.write');
    const { id, operation } = parse(Params, req.params);
    const { input, idempotencyKey } = parse(AccountActionRequest, req.body ?? {});
    return { operation, result: await d.actions.perform(actor, id, operation, input, idempotencyKey) };
  });
}
