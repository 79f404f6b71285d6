/**
 * The agent's customer context panel: the cardmember's cards (masked), and for the card the chat was
 * opened from its recent transactions, open replacements and wallet status, and the cardmember's
 * disputes still running (open cases, with their FCBA dates). Every read goes through the
 * accounts port as the agent, so it is scoped to the chat's cardmember and audited.
 */
import type { CustomerContextResponse } from '@carechat/protocol';
import type { Actor } from '../conversations/conversations.policy.js';
import type { ConversationService } from '../conversations/conversations.service.js';
import {
  AccountsError,
  type AccountsPort,
  type CardDetail,
  type CardSummary,
  type Caller,
  type Dispute,
  type Replacement,
  type Transaction,
} from './accounts.port.js';

export type CustomerContext = CustomerContextResponse;

/** Disputes still being worked; resolved and withdrawn ones are history, not open cases. */
const OPEN_DISPUTE = new Set<Dispute['status']>(['open', 'acknowledged']);

export class CustomerContextService {
  constructor(
    private readonly d: {
      accounts: AccountsPort;
      conversations: ConversationService;
      /** The assistant's hand-over note (dialogue state + queueing summary). */
      assistantBrief: (conversationId: string) => Promise<CustomerContextResponse['assistant']>;
    },
  ) {}

  async forConversation(actor: Actor, conversationId: string): Promise<CustomerContext> {
    if (actor.role === 'cardmember') throw new AccountsError('not_found', 'Conversation not found.');
    const row = await this.d.conversations.getReadable(actor, conversationId);
    const caller: Caller = {
      actorType: 'agent',
      actorId: actor.agentId,
      onBehalfOf: row.cardmember_id,
      conversationId,
    };
    const unavailable: string[] = [];
    // One failing section (a core timeout, a card the core no longer knows) must not blank the panel.
    const section = async <T>(name: string, fallback: T, fn: () => Promise<T>): Promise<T> => {
      try {
        return await fn();
      } catch (err) {
        if (err instanceof AccountsError) {
          unavailable.push(name);
          return fallback;
        }
        throw err;
      }
    };
    const [card, cards, recentTransactions, replacements, disputes, assistant] = await Promise.all([
      section('card', null as CardDetail | null, () => this.d.accounts.getCard(caller, row.card_id)),
      section('cards', [] as CardSummary[], () => this.d.accounts.listCards(caller)),
      section('transactions', [] as Transaction[], () =>
        this.d.accounts.listTransactions(caller, { cardId: row.card_id, limit: 10 }),
      ),
      section('replacements', [] as Replacement[], () => this.d.accounts.listReplacements(caller)),
      section('disputes', [] as Dispute[], () => this.d.accounts.listDisputes(caller)),
      this.d.assistantBrief(conversationId),
    ]);
    return {
      conversationId,
      cardmember: {
        id: row.cardmember_id,
        firstName: row.cm_first_name,
        lastName: row.cm_last_name,
        language: row.language,
      },
      card,
      cards,
      recentTransactions,
      openReplacements: replacements.filter((r) => r.status !== 'delivered'),
      openDisputes: disputes.filter((x) => OPEN_DISPUTE.has(x.status)),
      assistant,
      unavailable,
    };
  }
}
