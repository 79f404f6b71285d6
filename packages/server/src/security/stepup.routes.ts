/** Step-up HTTP API for both audiences: thin — authenticate, authorize, parse, call one service method. */
import { StepUpChallengeRequest, StepUpRequest, type StepUpResponse } from '@carechat/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { IdentityService } from '../identity/identity.service.js';
import { cardmember, staff } from '../transport/auth.js';
import { parse } from '../transport/validate.js';
import { authorize } from './access.js';
import type { StepUpService } from './stepup.service.js';

const IdParams = z.object({ id: z.string().min(1).max(64) });

export function stepUpRoutes(app: FastifyInstance, d: { identity: IdentityService; stepup: StepUpService }) {
  // ---------------------------------------------------------------- cardmember (widget)

  app.get('/api/widget/conversations/:id/stepup', async (req): Promise<StepUpResponse> => {
    const actor = await cardmember(d.identity, req);
    authorize(actor, 'conversation.read');
    const { id } = parse(IdParams, req.params);
    return d.stepup.state(actor, id);
  });

  app.post('/api/widget/conversations/:id/stepup', async (req, reply): Promise<StepUpResponse> => {
    const actor = await cardmember(d.identity, req);
    authorize(actor, 'conversation.write');
    const { id } = parse(IdParams, req.params);
    const body = parse(StepUpRequest, req.body ?? {});
    reply.code(201);
    return d.stepup.requestDevicePrompt(actor, id, body);
  });

  app.post('/api/widget/conversations/:id/stepup/challenge', async (req): Promise<StepUpResponse> => {
    const actor = await cardmember(d.identity, req);
    authorize(actor, 'conversation.write');
    const { id } = parse(IdParams, req.params);
    return d.stepup.answerChallenge(actor, id, parse(StepUpChallengeRequest, req.body ?? {}));
  });

  // ---------------------------------------------------------------- staff (console): "Verify customer"

  app.post('/api/conversations/:id/stepup', async (req, reply): Promise<StepUpResponse> => {
    const { actor } = await staff(d.identity, req);
    authorize(actor, 'conversation.write');
    const { id } = parse(IdParams, req.params);
    const body = parse(StepUpRequest, req.body ?? {});
    reply.code(201);
    return d.stepup.requestDevicePrompt(actor, id, body);
  });
}
