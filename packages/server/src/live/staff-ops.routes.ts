/**
 * Staff live operations over HTTP (docs/routing.md): teams and agents to pick from, and what staff do
 * inside a chat. Every route: staff session (+ CSRF on writes), the role gate here, the relationship
 * to the chat in the service; bodies are the zod schemas of protocol/live.ts.
 */
import {
  ConferenceRequest,
  EscalateRequest,
  Language,
  NoteRequest,
  TransferRequest,
  WhisperRequest,
  WrapUpRequest,
} from '@carechat/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { IdentityService } from '../identity/identity.service.js';
import { authorize } from '../security/access.js';
import { staff } from '../transport/auth.js';
import { parse } from '../transport/validate.js';
import type { BoardService } from './board.service.js';
import type { StaffOpsService } from './staff-ops.service.js';

const IdParams = z.object({ id: z.string().min(1).max(64) });
const AgentsQuery = z.object({
  teamId: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional(),
  language: Language.optional(),
});

export function staffOpsRoutes(
  app: FastifyInstance,
  d: { identity: IdentityService; ops: StaffOpsService; board: BoardService },
) {
  app.get('/api/teams', async (req) => {
    const { actor } = await staff(d.identity, req);
    return { teams: await d.ops.teams(actor) };
  });

  app.get('/api/agents', async (req) => {
    const { actor } = await staff(d.identity, req);
    authorize(actor, 'agent.list');
    return { agents: await d.ops.agents(actor, parse(AgentsQuery, req.query)) };
  });

  app.get('/api/supervisor/board', async (req) => {
    const { actor } = await staff(d.identity, req);
    return d.board.board(actor);
  });

  app.post('/api/conversations/:id/transfer', async (req) => {
    const { actor } = await staff(d.identity, req);
    authorize(actor, 'conversation.transfer');
    const { id } = parse(IdParams, req.params);
    return { conversation: await d.ops.transfer(actor, id, parse(TransferRequest, req.body)) };
  });

  app.post('/api/conversations/:id/conference', async (req) => {
    const { actor } = await staff(d.identity, req);
    authorize(actor, 'conversation.conference');
    const { id } = parse(IdParams, req.params);
    const { agentId, note } = parse(ConferenceRequest, req.body);
    return { offer: await d.ops.conference(actor, id, agentId, note) };
  });

  app.post('/api/conversations/:id/leave', async (req) => {
    const { actor } = await staff(d.identity, req);
    authorize(actor, 'conversation.leave');
    const { id } = parse(IdParams, req.params);
    return { conversation: await d.ops.leaveChat(actor, id) };
  });

  app.post('/api/conversations/:id/escalate', async (req) => {
    const { actor } = await staff(d.identity, req);
    authorize(actor, 'conversation.escalate');
    const { id } = parse(IdParams, req.params);
    const { note } = parse(EscalateRequest, req.body ?? {});
    return { conversation: await d.ops.escalate(actor, id, note) };
  });

  app.post('/api/conversations/:id/notes', async (req) => {
    const { actor } = await staff(d.identity, req);
    authorize(actor, 'conversation.note');
    const { id } = parse(IdParams, req.params);
    const { body } = parse(NoteRequest, req.body);
    return { message: await d.ops.note(actor, id, body) };
  });

  app.post('/api/conversations/:id/whisper', async (req) => {
    const { actor } = await staff(d.identity, req);
    authorize(actor, 'conversation.whisper');
    const { id } = parse(IdParams, req.params);
    const { body } = parse(WhisperRequest, req.body);
    return { message: await d.ops.whisper(actor, id, body) };
  });

  app.post('/api/conversations/:id/monitor', async (req) => {
    const { actor } = await staff(d.identity, req);
    authorize(actor, 'conversation.monitor');
    const { id } = parse(IdParams, req.params);
    return d.ops.monitor(actor, id);
  });

  app.post('/api/conversations/:id/barge', async (req) => {
    const { actor } = await staff(d.identity, req);
    authorize(actor, 'conversation.barge');
    const { id } = parse(IdParams, req.params);
    return { conversation: await d.ops.barge(actor, id) };
  });

  app.post('/api/conversations/:id/wrap-up', async (req) => {
    const { actor } = await staff(d.identity, req);
    authorize(actor, 'conversation.wrap_up');
    const { id } = parse(IdParams, req.params);
    return { conversation: await d.ops.wrapUp(actor, id, parse(WrapUpRequest, req.body)) };
  });

  app.get('/api/conversations/:id/canned', async (req) => {
    const { actor } = await staff(d.identity, req);
    authorize(actor, 'conversation.canned');
    const { id } = parse(IdParams, req.params);
    const responses = await d.ops.canned(actor, id);
    return { responses };
  });
}
