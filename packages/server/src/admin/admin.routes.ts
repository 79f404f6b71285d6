/**
 * The configuration API (docs/configuration.md, "Teams and agents"): admins only, CSRF on writes,
 * bodies validated by the zod schemas of protocol/live.ts, every change audited by the service.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { IdentityService } from '../identity/identity.service.js';
import { authorize } from '../security/access.js';
import { staff } from '../transport/auth.js';
import { parse } from '../transport/validate.js';
import type { AdminService } from './admin.service.js';

const IdParams = z.object({ id: z.string().min(1).max(64) });

export function adminRoutes(app: FastifyInstance, d: { identity: IdentityService; admin: AdminService }) {
  app.get('/api/admin/teams', async (req) => {
    const { actor } = await staff(d.identity, req);
    authorize(actor, 'admin.config');
    return { teams: await d.admin.teams() };
  });

  app.put('/api/admin/teams/:id', async (req, reply) => {
    const { actor } = await staff(d.identity, req);
    authorize(actor, 'admin.config');
    const { id } = parse(IdParams, req.params);
    const { team, created } = await d.admin.putTeam({ type: 'agent', id: actor.agentId }, id, req.body);
    return reply.code(created ? 201 : 200).send({ team });
  });

  app.get('/api/admin/agents', async (req) => {
    const { actor } = await staff(d.identity, req);
    authorize(actor, 'admin.config');
    return { agents: await d.admin.agents() };
  });

  app.put('/api/admin/agents/:id', async (req) => {
    const { actor } = await staff(d.identity, req);
    authorize(actor, 'admin.config');
    const { id } = parse(IdParams, req.params);
    return { agent: await d.admin.updateAgent({ type: 'agent', id: actor.agentId }, id, req.body) };
  });
}
