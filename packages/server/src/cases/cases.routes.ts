/**
 * Staff cases over HTTP (docs/cases.md): thin routes over CasesService. Every route: staff session
 * (+ CSRF on writes), the role gate here, then the relationship — to the chat (`decide`) or to the case
 * (`decideCase`) — in security/access.ts, the one policy.
 *
 *   GET  /api/conversations/:id/cases  → { cases }  the chat's cardmember's cases, the chat's own first
 *   POST /api/cases                    → { case } 201  opens a case for the chat's cardmember
 *   GET  /api/cases/:id                → { case }
 *   POST /api/cases/:id/status         → { case }  409 conflict on a change the lifecycle refuses
 *
 * Also here: `flowCases`, the assistant's seam onto cases (FlowContext.cases).
 */
import {
  CaseStatusRequest,
  CreateCaseRequest,
  type CaseView,
  type ComplaintCategory,
  type Language,
} from '@carechat/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { FlowCases } from '../assistant/dialogue/flow.js';
import type { ConversationService } from '../conversations/conversations.service.js';
import type { ConversationsStore } from '../conversations/conversations.store.js';
import type { IdentityService } from '../identity/identity.service.js';
import { authorize, decideCase, type Actor, type CaseResource } from '../security/access.js';
import { badRequest } from '../shared/errors.js';
import type { Db } from '../store/db.js';
import type { CasesTable } from '../store/schema.js';
import { staff } from '../transport/auth.js';
import { parse } from '../transport/validate.js';
import type { CaseActor, CasesService } from './cases.service.js';

const IdParams = z.object({ id: z.string().min(1).max(64) });

export interface CasesRoutesDeps {
  identity: IdentityService;
  cases: CasesService;
  conversations: ConversationService;
  conversationsStore: ConversationsStore;
  db: Db;
}

const staffActor = (actor: Actor): CaseActor =>
  actor.role === 'cardmember'
    ? { type: 'cardmember', id: actor.cardmemberId, name: actor.firstName }
    : { type: 'agent', id: actor.agentId, name: actor.firstName };

export function casesRoutes(app: FastifyInstance, d: CasesRoutesDeps) {
  // Staff views carry the case's documents (CasesService.view); always a list here.
  const staffView = async (row: CasesTable): Promise<CaseView> => {
    const view = await d.cases.view(row, 'staff');
    return { ...view, documents: view.documents ?? [] };
  };

  /** The case and the chats that relate staff to it (linked chats, the cardmember's open chats). */
  async function resource(row: CasesTable): Promise<CaseResource> {
    const linked = await d.db
      .selectFrom('case_links')
      .select('target_id')
      .where('case_id', '=', row.id)
      .where('kind', '=', 'conversation')
      .execute();
    const ids = linked.map((l) => l.target_id);
    const chats = await d.db
      .selectFrom('conversations')
      .selectAll()
      .where((eb) =>
        eb.or([
          ...(ids.length ? [eb('id', 'in', ids)] : []),
          eb.and([eb('cardmember_id', '=', row.cardmember_id), eb('status', '!=', 'closed')]),
        ]),
      )
      .execute();
    return {
      case: row,
      conversations: await Promise.all(
        chats.map(async (c) => ({ conversation: c, participants: await d.conversationsStore.staffParticipants(c.id) })),
      ),
    };
  }

  async function loadCase(actor: Actor, id: string, action: 'case.read' | 'case.update'): Promise<CasesTable> {
    authorize(actor, action);
    const row = await d.cases.get(id);
    const decision = decideCase(actor, action, row ? await resource(row) : undefined);
    if (!decision.allowed) throw decision.error;
    return row!;
  }

  app.get('/api/conversations/:id/cases', async (req) => {
    const { actor } = await staff(d.identity, req);
    authorize(actor, 'case.list');
    const { id } = parse(IdParams, req.params);
    const chat = await d.conversations.getReadable(actor, id, 'case.list');
    const [all, linked] = await Promise.all([
      d.cases.listForCardmember(chat.cardmember_id),
      d.cases.listForConversation(id),
    ]);
    const own = new Set(linked.map((c) => c.id));
    // The chat's own cases first (newest first), then the cardmember's others (newest first).
    const ordered = [...all.filter((c) => own.has(c.id)), ...all.filter((c) => !own.has(c.id))];
    return { cases: await Promise.all(ordered.map(staffView)) };
  });

  app.post('/api/cases', async (req, reply) => {
    const { actor } = await staff(d.identity, req);
    authorize(actor, 'case.create');
    const body = parse(CreateCaseRequest, req.body);
    if (body.type === 'complaint' && !body.complaintCategory) {
      throw badRequest('A complaint needs its category.', [{ path: 'complaintCategory', message: 'Required' }]);
    }
    const chat = await d.conversations.getReadable(actor, body.conversationId, 'case.create');
    const by = staffActor(actor);
    const created = await d.cases.open({
      type: body.type,
      title: body.title,
      cardmemberId: chat.cardmember_id,
      cardId: chat.card_id,
      language: chat.language,
      complaintCategory: body.type === 'complaint' ? body.complaintCategory : null,
      conversationId: chat.id,
      actor: by,
    });
    // The agent's note is for staff: an internal timeline entry, not the cardmember's.
    if (body.note) await d.cases.note(created.id, { type: 'note', actor: by, text: body.note, visible: false });
    // A person handled the chat: it has its own reference (usually already, from the accept).
    await d.cases.conversationReference(chat.id);
    reply.code(201);
    return { case: await staffView((await d.cases.get(created.id))!) };
  });

  app.get('/api/cases/:id', async (req) => {
    const { actor } = await staff(d.identity, req);
    const { id } = parse(IdParams, req.params);
    return { case: await staffView(await loadCase(actor, id, 'case.read')) };
  });

  app.post('/api/cases/:id/status', async (req) => {
    const { actor } = await staff(d.identity, req);
    const { id } = parse(IdParams, req.params);
    const body = parse(CaseStatusRequest, req.body);
    const row = await loadCase(actor, id, 'case.update');
    const updated = await d.cases.transition(row.id, body.status, staffActor(actor), body.note ?? null, {
      notify: body.notify,
    });
    return { case: await staffView(updated) };
  });
}

// ------------------------------------------------------------------ the assistant's seam

/** `ChatCategory` of the complaint flow's slot → the case's ComplaintCategory. */
export const COMPLAINT_CATEGORY: Record<string, ComplaintCategory> = {
  fees: 'fees',
  service: 'service',
  charge: 'other',
  fraud: 'fraud_handling',
  other: 'other',
};

/** What the assistant's flows do with cases, for one chat (FlowContext.cases). */
export function flowCases(
  cases: CasesService,
  ctx: { conversationId: string; cardmemberId: string; cardId: string; language: Language },
): FlowCases {
  const assistant: CaseActor = { type: 'assistant', id: null, name: null };
  return {
    conversationReference: () => cases.conversationReference(ctx.conversationId),
    list: async () =>
      (await cases.listForCardmember(ctx.cardmemberId)).map((c) => ({
        reference: c.reference,
        type: c.type,
        status: c.status,
        title: c.title,
      })),
    async openComplaint(input) {
      // A retried turn (state not saved) must not open a second complaint for the same chat.
      const existing = (await cases.listForConversation(ctx.conversationId)).find((c) => c.type === 'complaint');
      if (existing) return { reference: existing.reference };
      const row = await cases.open({
        type: 'complaint',
        title: input.title,
        cardmemberId: ctx.cardmemberId,
        cardId: ctx.cardId,
        language: ctx.language,
        complaintCategory: input.category,
        note: input.description,
        noteVisible: true,
        conversationId: ctx.conversationId,
        actor: assistant,
      });
      return { reference: row.reference };
    },
  };
}
