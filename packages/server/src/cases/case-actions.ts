/**
 * Cases from account actions (docs/disputes.md#cases-from-account-actions): when an account action
 * succeeds in a chat, the matter gets a case the cardmember can quote.
 *
 * | operation | case type | left |
 * |---|---|---|
 * | `openDispute` | `dispute` (the dispute's reference and FCBA dates) | open |
 * | `reportLostOrStolen`, `replaceDamaged` | `replacement` | in progress (the card is in the mail) |
 * | `requestLateFeeGoodwill` | `goodwill` | resolved (decided on the spot) |
 * | `requestCreditLimitIncrease` | `credit_limit` | resolved (approved or declined on the spot) |
 * | `addTravelNotice` | `travel` | resolved |
 *
 * The case is linked to the conversation and to the action (`account_action` link whose target is
 * `<operation>:<idempotency key>`), so a replayed action finds its case instead of opening a second
 * one; a dispute's case is also unique per dispute. The chat gets its `CHT-` reference too.
 */
import type { CaseType, Language } from '@carechat/protocol';
import type { Dispute, CreditLimitDecision, GoodwillResult, LostStolenResult, Replacement } from '@carechat/protocol';
import type { Logger } from '../shared/logger.js';
import type { Db } from '../store/db.js';
import type { CasesTable } from '../store/schema.js';
import type { CaseActor, CasesService, OpenCaseInput } from './cases.service.js';

/** Who performed the action (AccountActionsService's actor, narrowed to what a case records). */
export type CaseActionActor =
  | { role: 'assistant' }
  | { role: 'cardmember'; cardmemberId: string; firstName: string }
  | { role: 'agent' | 'supervisor' | 'admin'; agentId: string; firstName: string };

export interface CaseActionContext {
  actor: CaseActionActor;
  conversation: { id: string; cardmember_id: string; card_id: string | null; language: Language };
  operation: string;
  /** The input as the port received it (card id filled in). */
  input: unknown;
  result: unknown;
  idempotencyKey: string;
}

export const CASE_TYPE_OF_OPERATION: Partial<Record<string, CaseType>> = {
  openDispute: 'dispute',
  reportLostOrStolen: 'replacement',
  replaceDamaged: 'replacement',
  requestLateFeeGoodwill: 'goodwill',
  requestCreditLimitIncrease: 'credit_limit',
  addTravelNotice: 'travel',
};

const money = (cents: number, lang: Language) =>
  (cents / 100).toLocaleString(lang === 'es' ? 'es-US' : 'en-US', { style: 'currency', currency: 'USD' });

/** Titles are shown to the cardmember in the chat's language (never a full card number: last 4 only). */
function titleOf(type: CaseType, ctx: CaseActionContext): string {
  const es = ctx.conversation.language === 'es';
  const r = ctx.result as Record<string, unknown>;
  switch (type) {
    case 'dispute': {
      const d = r as unknown as Dispute;
      return es
        ? `Disputa: ${d.merchant}, ${money(d.amountCents, 'es')}`
        : `Dispute: ${d.merchant}, ${money(d.amountCents, 'en')}`;
    }
    case 'replacement': {
      const rep =
        ctx.operation === 'replaceDamaged'
          ? (r as unknown as Replacement)
          : (r as unknown as LostStolenResult).replacement;
      return es
        ? `Tarjeta de reemplazo terminada en ${rep.newCardLast4}`
        : `Replacement card ending in ${rep.newCardLast4}`;
    }
    case 'goodwill': {
      const g = r as unknown as GoodwillResult;
      return es
        ? `Reversión de cargo por pago tardío (${money(g.creditCents, 'es')})`
        : `Late fee reversal (${money(g.creditCents, 'en')})`;
    }
    case 'credit_limit': {
      const c = r as unknown as CreditLimitDecision;
      const approved = c.decision === 'approved';
      return es
        ? `Solicitud de aumento de límite de crédito: ${approved ? 'aprobada' : 'rechazada'}`
        : `Credit limit increase request: ${approved ? 'approved' : 'declined'}`;
    }
    case 'travel': {
      const i = ctx.input as { destinations?: string[] };
      const where = (i.destinations ?? []).join(', ');
      return es ? `Aviso de viaje: ${where}` : `Travel notice: ${where}`;
    }
    default:
      return type;
  }
}

/** The status the case is left in once opened: decisions made on the spot are resolved at once. */
const SETTLED: Partial<Record<CaseType, 'in_progress' | 'resolved'>> = {
  replacement: 'in_progress',
  goodwill: 'resolved',
  credit_limit: 'resolved',
  travel: 'resolved',
};

function caseActor(a: CaseActionActor): CaseActor {
  switch (a.role) {
    case 'assistant':
      return { type: 'assistant', id: null, name: 'Assistant' };
    case 'cardmember':
      return { type: 'cardmember', id: a.cardmemberId, name: a.firstName };
    default:
      return { type: 'agent', id: a.agentId, name: a.firstName };
  }
}

function cardIdOf(type: CaseType, ctx: CaseActionContext): string | null {
  if (type === 'dispute') return (ctx.result as Dispute).cardId;
  const fromInput = (ctx.input as { cardId?: unknown } | null)?.cardId;
  return typeof fromInput === 'string' ? fromInput : ctx.conversation.card_id;
}

export class CaseActions {
  constructor(
    private readonly cases: CasesService,
    private readonly db: Db,
    private readonly logger?: Pick<Logger, 'error'>,
  ) {}

  /** The link target that makes an action's case idempotent. */
  static actionKey(operation: string, idempotencyKey: string): string {
    return `${operation}:${idempotencyKey}`;
  }

  /**
   * Opens (or finds, for a replayed action) the case of a successful action; null when the operation
   * makes no case. Also gives the chat its reference.
   */
  async record(ctx: CaseActionContext): Promise<CasesTable | null> {
    try {
      return await this.recordOrThrow(ctx);
    } catch (err) {
      // The account has changed already and the cardmember must hear so: a case that could not be
      // written (e.g. its owner team is not configured) is logged for staff, not turned into a failed action.
      if (!this.logger) throw err;
      this.logger.error(
        { err, operation: ctx.operation, conversationId: ctx.conversation.id },
        'case for action not opened',
      );
      return null;
    }
  }

  private async recordOrThrow(ctx: CaseActionContext): Promise<CasesTable | null> {
    const type = CASE_TYPE_OF_OPERATION[ctx.operation];
    if (!type || !ctx.result || typeof ctx.result !== 'object') return null;
    const actionId = CaseActions.actionKey(ctx.operation, ctx.idempotencyKey);
    const existing = await this.byAction(ctx.conversation.cardmember_id, actionId);
    await this.cases.conversationReference(ctx.conversation.id);
    if (existing) return existing;
    const input: OpenCaseInput = {
      type,
      title: titleOf(type, ctx),
      cardmemberId: ctx.conversation.cardmember_id,
      cardId: cardIdOf(type, ctx),
      language: ctx.conversation.language,
      conversationId: ctx.conversation.id,
      actionId,
      actor: caseActor(ctx.actor),
    };
    if (type === 'dispute') {
      const d = ctx.result as Dispute;
      input.dispute = { id: d.id, reference: d.reference, acknowledgeBy: d.acknowledgeBy, resolveBy: d.resolveBy };
    }
    let c = await this.cases.open(input);
    // A dispute's case may already exist (opened elsewhere): make sure this chat and action are linked.
    await this.cases.link(this.db, c.id, 'conversation', ctx.conversation.id);
    await this.cases.link(this.db, c.id, 'account_action', actionId);
    const settle = SETTLED[type];
    if (settle && c.status === 'open') c = await this.cases.transition(c.id, settle, caseActor(ctx.actor));
    return c;
  }

  private async byAction(cardmemberId: string, actionId: string): Promise<CasesTable | undefined> {
    return this.db
      .selectFrom('cases as c')
      .innerJoin('case_links as l', 'l.case_id', 'c.id')
      .selectAll('c')
      .where('l.kind', '=', 'account_action')
      .where('l.target_id', '=', actionId)
      .where('c.cardmember_id', '=', cardmemberId)
      .executeTakeFirst();
  }
}
