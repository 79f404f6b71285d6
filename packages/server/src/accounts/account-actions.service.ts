/**
 * The one way conversation-scoped callers (the assistant, agents) change a cardmember's accounts:
 * it loads the chat, checks the caller may act in it, enforces the step-up policy (sensitive
 * operations need a `verified` chat), and calls the accounts port with the right Caller. The
 * assistant and the console's actions endpoint both come through here, so the policy holds for both.
 */
import type { Redactor } from '../redaction/redactor.js';
import { z } from 'zod';
import type { Bus } from '../bus/bus.js';
import { channels } from '../bus/events.js';
import type { Actor } from '../conversations/conversations.policy.js';
import type { ConversationService } from '../conversations/conversations.service.js';
import type { ConversationRow, ConversationsStore } from '../conversations/conversations.store.js';
import { authorize } from '../security/access.js';
import { effectiveLevel, isSensitive, requireVerified } from '../security/stepup.policy.js';
import type { StepUpService } from '../security/stepup.service.js';
import type { StepUpStore } from '../security/stepup.store.js';
import { iso, type Clock } from '../shared/clock.js';
import { AppError, badRequest, conflict } from '../shared/errors.js';
import type { AccountsPort, Caller } from './accounts.port.js';
import { DISPUTE_REASONS } from './rules/disputes.rules.js';
import type { CaseActions } from '../cases/case-actions.js';

/** The assistant acting for the chat's cardmember. */
export interface AssistantActor {
  role: 'assistant';
}
export type ActionActor = Actor | AssistantActor;

const Text = (max: number) => z.string().trim().min(1).max(max);
const CardId = z.string().min(1).max(64).optional();
const IsoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const Cents = z.number().int().nonnegative().max(1_000_000_000);
const Shipping = z.enum(['standard', 'expedited']);

/** Describes one mutating port operation: its input schema and how to call it. */
function op<S extends z.ZodType>(
  schema: S,
  run: (port: AccountsPort, caller: Caller, input: z.infer<S>, key: string) => Promise<unknown>,
) {
  return { schema, run };
}

const withCard = <T extends { cardId?: string }>(input: T, row: ConversationRow) => ({
  ...input,
  cardId: input.cardId ?? row.card_id,
});

/**
 * The operations available to conversation-scoped callers, with the shape of their input (the port
 * still applies its own business rules). A `cardId` left out means the chat's card.
 */
export const ACCOUNT_ACTIONS = {
  updateContact: op(
    z
      .object({
        email: z.string().trim().email().max(200).optional(),
        phone: z
          .string()
          .trim()
          .regex(/^\+[1-9]\d{7,14}$/, 'expected an E.164 phone number')
          .optional(),
        address: z
          .object({
            kind: z.enum(['home', 'mailing', 'business']),
            line1: Text(200),
            line2: z.string().trim().max(200).nullable().default(null),
            city: Text(100),
            state: Text(50),
            zip: z
              .string()
              .trim()
              .regex(/^\d{5}(-\d{4})?$/, 'expected a ZIP code'),
            country: z.string().trim().length(2).default('US'),
          })
          .strict()
          .optional(),
      })
      .strict(),
    (p, c, i, k) => p.updateContact(c, i, k),
  ),
  updateCommunicationPreferences: op(
    z
      .object({
        paperlessStatements: z.boolean().optional(),
        alertChannels: z
          .array(z.enum(['email', 'sms', 'push']))
          .max(3)
          .optional(),
        marketingOptIn: z.boolean().optional(),
        language: z.enum(['en', 'es']).optional(),
      })
      .strict(),
    (p, c, i, k) => p.updateCommunicationPreferences(c, i, k),
  ),
  lockCard: op(z.object({ cardId: CardId }).strict(), (p, c, i, k) => p.lockCard(c, i.cardId!, k)),
  unlockCard: op(z.object({ cardId: CardId }).strict(), (p, c, i, k) => p.unlockCard(c, i.cardId!, k)),
  activateCard: op(z.object({ cardId: CardId }).strict(), (p, c, i, k) => p.activateCard(c, i.cardId!, k)),
  reportLostOrStolen: op(
    z
      .object({
        cardId: CardId,
        reason: z.enum(['lost', 'stolen']),
        method: Shipping.optional(),
        addressId: z.string().max(64).optional(),
      })
      .strict(),
    (p, c, i, k) => p.reportLostOrStolen(c, { ...i, cardId: i.cardId! }, k),
  ),
  replaceDamaged: op(
    z.object({ cardId: CardId, method: Shipping.optional(), addressId: z.string().max(64).optional() }).strict(),
    (p, c, i, k) => p.replaceDamaged(c, { ...i, cardId: i.cardId! }, k),
  ),
  schedulePayment: op(z.object({ cardId: CardId, amountCents: Cents, date: IsoDay }).strict(), (p, c, i, k) =>
    p.schedulePayment(c, { ...i, cardId: i.cardId! }, k),
  ),
  changeDueDate: op(z.object({ cardId: CardId, newDueDay: z.number().int().min(1).max(31) }).strict(), (p, c, i, k) =>
    p.changeDueDate(c, { ...i, cardId: i.cardId! }, k),
  ),
  requestLateFeeGoodwill: op(
    z.object({ cardId: CardId, feeId: z.string().max(64).optional() }).strict(),
    (p, c, i, k) => p.requestLateFeeGoodwill(c, { ...i, cardId: i.cardId! }, k),
  ),
  openDispute: op(
    z
      .object({
        transactionId: z.string().min(1).max(64),
        reason: z.enum(DISPUTE_REASONS),
        description: z.string().trim().max(1000).optional(),
        noticeDate: IsoDay.optional(),
      })
      .strict(),
    (p, c, i, k) => p.openDispute(c, i, k),
  ),
  redeemPayWithPoints: op(z.object({ transactionId: z.string().min(1).max(64) }).strict(), (p, c, i, k) =>
    p.redeemPayWithPoints(c, i, k),
  ),
  addAuthorizedUser: op(
    z.object({ cardId: CardId, firstName: Text(100), lastName: Text(100), dateOfBirth: IsoDay }).strict(),
    (p, c, i, k) => p.addAuthorizedUser(c, { ...i, cardId: i.cardId! }, k),
  ),
  removeAuthorizedUser: op(z.object({ authorizedUserId: z.string().min(1).max(64) }).strict(), (p, c, i, k) =>
    p.removeAuthorizedUser(c, i, k),
  ),
  requestCreditLimitIncrease: op(
    z.object({ cardId: CardId, requestedLimitCents: Cents, annualIncomeCents: Cents }).strict(),
    (p, c, i, k) => p.requestCreditLimitIncrease(c, { ...i, cardId: i.cardId! }, k),
  ),
  addTravelNotice: op(
    z.object({ destinations: z.array(Text(100)).min(1).max(20), startOn: IsoDay, endOn: IsoDay }).strict(),
    (p, c, i, k) => p.addTravelNotice(c, i, k),
  ),
} as const;

export type ActionOperation = keyof typeof ACCOUNT_ACTIONS;

export const isActionOperation = (name: string): name is ActionOperation =>
  Object.prototype.hasOwnProperty.call(ACCOUNT_ACTIONS, name);

export interface AccountActionsDeps {
  accounts: AccountsPort;
  conversations: ConversationService;
  /** Raw rows, for the assistant (which has no Actor of its own). */
  conversationsStore: ConversationsStore;
  stepup: Pick<StepUpService, 'methodsFor'>;
  stepupStore: Pick<StepUpStore, 'recordEvent'>;
  bus: Bus;
  clock: Clock;
  /** Form fields are inbound text too: the same edge check as chat messages. */
  redactor: Redactor;
  /** Opens the case of a successful action (cases/case-actions.ts); without it no case is made. */
  caseActions?: Pick<CaseActions, 'record'>;
}

export class AccountActionsService {
  constructor(private readonly d: AccountActionsDeps) {}

  /**
   * Performs `operation` on the accounts of the chat's cardmember. Throws `step_up_required` (403)
   * for a sensitive operation in a chat that is not `verified`, before the port is called.
   */
  async perform(
    actor: ActionActor,
    conversationId: string,
    operation: string,
    input: unknown,
    idempotencyKey: string,
  ): Promise<unknown> {
    if (!isActionOperation(operation)) throw new AppError('not_found', 404, `There is no action "${operation}".`);
    const row = await this.conversationFor(actor, conversationId);
    const action = ACCOUNT_ACTIONS[operation];
    const parsed = action.schema.safeParse(input ?? {});
    if (!parsed.success) {
      throw badRequest(
        'The action input is not valid.',
        parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      );
    }
    const sensitive = sensitiveFields(this.d.redactor, parsed.data);
    if (sensitive.length) {
      // Refuse rather than rewrite: a silently altered address or name would be worse than a clear error.
      throw badRequest(
        'For your security, do not put card numbers, security codes, SSNs, passcodes or passwords in these fields.',
        sensitive,
      );
    }
    const now = this.d.clock.now();
    const by = this.actorRef(actor);
    if (isSensitive(operation) && effectiveLevel(row, now) !== 'verified') {
      await this.d.stepupStore.recordEvent(this.d.conversationsStore.db, {
        type: 'account_action.step_up_required',
        conversationId: row.id,
        actorType: by.type,
        actorId: by.id,
        payload: { operation },
        now: iso(now),
      });
      requireVerified(row, operation, now, await this.d.stepup.methodsFor(row));
    }
    const caller: Caller = {
      actorType: by.type,
      actorId: by.id,
      onBehalfOf: row.cardmember_id,
      conversationId: row.id,
    };
    const cardScoped = action.schema instanceof z.ZodObject && 'cardId' in action.schema.shape;
    const value = cardScoped ? withCard(parsed.data as { cardId?: string }, row) : parsed.data;
    const result = await (action.run as (p: AccountsPort, c: Caller, i: unknown, k: string) => Promise<unknown>)(
      this.d.accounts,
      caller,
      value,
      idempotencyKey,
    );
    // The matter gets a case the cardmember can quote (a replayed action finds the same one).
    const opened = await this.d.caseActions?.record({
      actor,
      conversation: row,
      operation,
      input: value,
      result,
      idempotencyKey,
    });
    // The account changed: consoles watching the chat reload their customer panel.
    const view = await this.d.conversations.viewById(row.id);
    if (view) {
      await this.d.bus.publish(channels.conversation(row.id), {
        name: 'conversation.updated',
        payload: { conversation: view },
      });
    }
    if (opened && result && typeof result === 'object' && !Array.isArray(result))
      return { ...result, caseReference: opened.reference };
    return result;
  }

  private async conversationFor(actor: ActionActor, conversationId: string): Promise<ConversationRow> {
    if (actor.role === 'assistant') {
      const row = await this.d.conversationsStore.get(conversationId);
      if (!row) throw new AppError('conversation_not_found', 404, 'That conversation does not exist.');
      if (row.status === 'closed') throw conflict('conversation_closed', 'This chat has ended.');
      return row;
    }
    const row = await this.d.conversations.getReadable(actor, conversationId);
    // Only who may write in the chat may act in it: the cardmember, or the agent holding it.
    authorize(actor, 'conversation.write', { conversation: row });
    return row;
  }

  private actorRef(actor: ActionActor): { type: Caller['actorType']; id: string | null } {
    switch (actor.role) {
      case 'assistant':
        return { type: 'assistant', id: null };
      case 'cardmember':
        return { type: 'cardmember', id: actor.cardmemberId };
      default:
        return { type: 'agent', id: actor.agentId };
    }
  }
}

/** Paths (never values) of string fields in which the redactor finds sensitive data. */
export function sensitiveFields(
  redactor: Redactor,
  value: unknown,
  path: string[] = [],
): Array<{ path: string; types: string[] }> {
  if (typeof value === 'string') {
    const { findings } = redactor.redact(value);
    return findings.length ? [{ path: path.join('.'), types: [...new Set(findings.map((f) => f.type))] }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => sensitiveFields(redactor, v, [...path, String(i)]));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => sensitiveFields(redactor, v, [...path, k]));
  }
  return [];
}
