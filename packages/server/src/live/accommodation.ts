/**
 * Accommodations the cardmember notes at the start of (or during) a chat: "more time", "shorter
 * messages", "I use a screen reader". The note is redacted like a message, stored on the conversation
 * and pushed to staff live (the agent's badge); a cardmember's view never carries it, so the
 * cardmember reads it back from these routes' own responses.
 */
import { AccommodationRequest, type AccommodationResponse } from '@carechat/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Bus } from '../bus/bus.js';
import { channels } from '../bus/events.js';
import type { Actor } from '../conversations/conversations.policy.js';
import type { ConversationService } from '../conversations/conversations.service.js';
import type { ConversationsStore } from '../conversations/conversations.store.js';
import type { IdentityService } from '../identity/identity.service.js';
import { redactedTypes, type Redactor } from '../redaction/redactor.js';
import { authorize } from '../security/access.js';
import { iso, type Clock } from '../shared/clock.js';
import { cardmember } from '../transport/auth.js';
import { parse } from '../transport/validate.js';

export class AccommodationService {
  constructor(
    private readonly d: {
      conversations: ConversationService;
      store: ConversationsStore;
      bus: Bus;
      clock: Clock;
      redactor: Redactor;
    },
  ) {}

  /** What the chat carries now (copied from the profile when the chat opened, or noted since). */
  async get(actor: Actor, conversationId: string): Promise<AccommodationResponse> {
    const row = await this.d.conversations.getReadable(actor, conversationId, 'conversation.read');
    return { note: row.accommodation?.trim() || null, redactedTypes: [] };
  }

  /** Notes (or, with an empty note, clears) the chat's accommodation; optionally keeps it for future chats. */
  async note(actor: Actor, conversationId: string, input: AccommodationRequest): Promise<AccommodationResponse> {
    const row = await this.d.conversations.getReadable(actor, conversationId, 'conversation.accommodation');
    // Redaction at the edge, as for messages: a card number typed here is never stored or shown to staff.
    const redaction = this.d.redactor.redact(input.note.trim());
    const note = redaction.text.trim() || null;
    const types = redactedTypes(redaction.findings);
    const now = iso(this.d.clock.now());
    await this.d.store.transaction(async (tx) => {
      await this.d.store.update(tx, row.id, { accommodation: note, updated_at: now });
      if (input.saveForFuture) {
        await tx
          .updateTable('cardmembers')
          .set({ accommodations_note: note })
          .where('id', '=', row.cardmember_id)
          .execute();
      }
      await this.d.store.recordEvent(tx, {
        type: 'conversation.accommodation_noted',
        conversationId: row.id,
        actorType: 'cardmember',
        actorId: row.cardmember_id,
        // The note itself lives on the conversation; the audit trail records that it changed.
        payload: { cleared: note === null, savedForFuture: input.saveForFuture, redacted: types },
        now,
      });
    });
    const view = await this.d.conversations.viewById(row.id, 'staff');
    if (view) {
      // Staff view: the gateway strips the accommodation for the cardmember's own sockets.
      await this.d.bus.publish(channels.conversation(row.id), {
        name: 'conversation.updated',
        payload: { conversation: view },
      });
    }
    // A waiting chat is shown in inboxes, which refresh on queue changes.
    if (row.status === 'queued') {
      await this.d.bus.publish(channels.staff, {
        name: 'queue.changed',
        payload: { teamId: row.team_id, language: row.language },
      });
    }
    return { note, redactedTypes: types };
  }
}

const IdParams = z.object({ id: z.string().min(1).max(64) });

export function accommodationRoutes(
  app: FastifyInstance,
  d: { identity: IdentityService; service: AccommodationService },
) {
  app.get('/api/widget/conversations/:id/accommodation', async (req): Promise<AccommodationResponse> => {
    const actor = await cardmember(d.identity, req);
    authorize(actor, 'conversation.read');
    const { id } = parse(IdParams, req.params);
    return d.service.get(actor, id);
  });

  app.put('/api/widget/conversations/:id/accommodation', async (req): Promise<AccommodationResponse> => {
    const actor = await cardmember(d.identity, req);
    authorize(actor, 'conversation.accommodation');
    const { id } = parse(IdParams, req.params);
    return d.service.note(actor, id, parse(AccommodationRequest, req.body ?? {}));
  });
}
