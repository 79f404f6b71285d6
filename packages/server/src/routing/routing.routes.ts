/** Routing offers for the signed-in staff member: list, accept, decline. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { IdentityService } from '../identity/identity.service.js';
import { authorize } from '../security/access.js';
import { staff } from '../transport/auth.js';
import { parse } from '../transport/validate.js';
import type { RoutingService } from './routing.service.js';

const OfferParams = z.object({ id: z.string().min(1).max(64) });

export function routingRoutes(app: FastifyInstance, d: { identity: IdentityService; routing: RoutingService }) {
  app.get('/api/offers', async (req) => {
    const { actor } = await staff(d.identity, req);
    authorize(actor, 'offer.respond');
    return { offers: await d.routing.openOffers(actor.agentId) };
  });

  app.post('/api/offers/:id/accept', async (req) => {
    const { actor } = await staff(d.identity, req);
    authorize(actor, 'offer.respond');
    const { id } = parse(OfferParams, req.params);
    return { conversation: await d.routing.accept(actor, id) };
  });

  app.post('/api/offers/:id/decline', async (req) => {
    const { actor } = await staff(d.identity, req);
    authorize(actor, 'offer.respond');
    const { id } = parse(OfferParams, req.params);
    await d.routing.decline(actor, id);
    return { ok: true };
  });
}
