/**
 * Helpers every area's flows share: which card a request is about, and how cards are named to the
 * cardmember (product name + last 4, never more).
 */
import type { CardSummary } from '../../accounts/accounts.port.js';
import { AccountsError } from '../../accounts/accounts.port.js';
import type { FlowContext, Option, Slots, Step } from '../dialogue/flow.js';
import { choose } from '../dialogue/flow.js';

/** "Meridian Gold Card ending in 1005" / "Meridian Gold Card terminada en 1005". */
export function cardLabel(card: Pick<CardSummary, 'last4' | 'product'>, lang: FlowContext['lang']): string {
  return lang === 'es'
    ? `${card.product.name} terminada en ${card.last4}`
    : `${card.product.name} ending in ${card.last4}`;
}

export const cardOption = (card: CardSummary, lang: FlowContext['lang']): Option => ({
  label: cardLabel(card, lang),
  value: card.id,
  aliases: [card.last4, card.product.name],
});

export interface PickCardOptions {
  /** Which cards qualify (default: every card that is not closed or replaced). */
  filter?: (card: CardSummary) => boolean;
  /**
   * When the cardmember has several qualifying cards and named none: `ask` offers them as quick
   * replies (actions on a card); `chat` takes the card the chat was opened from (questions).
   */
  whenSeveral?: 'ask' | 'chat';
  /** The question, in the conversation's language. */
  prompt: string;
  /** The slot name (default `card`). */
  slot?: string;
  /**
   * The answer when no card qualifies (nothing to lock, no card to activate). Without it that is an
   * AccountsError with the rule `assistant.no_card`.
   */
  whenNone?: () => Step | Promise<Step>;
}

/**
 * The card this request is about: a card already chosen (slot), one named by its last 4 in the
 * message, the only qualifying card, or the chat's card; otherwise a question with the cards as
 * quick replies. Returns the card, or the step to ask.
 */
export async function pickCard(
  ctx: FlowContext,
  slots: Slots,
  o: PickCardOptions,
): Promise<{ card: CardSummary } | { step: Step }> {
  const slot = o.slot ?? 'card';
  const cards = await ctx.accounts.port.listCards(ctx.accounts.caller);
  const qualifying = cards.filter(o.filter ?? ((c) => c.status !== 'closed' && c.status !== 'replaced'));
  const chosen = typeof slots[slot] === 'string' ? cards.find((c) => c.id === slots[slot]) : undefined;
  if (chosen) return { card: chosen };
  const named = ctx.entities.find((e) => e.type === 'card_last4')?.value;
  const byLast4 = qualifying.find((c) => c.last4 === named) ?? cards.find((c) => c.last4 === named);
  if (byLast4) {
    slots[slot] = byLast4.id;
    return { card: byLast4 };
  }
  if (qualifying.length === 0) {
    if (o.whenNone) return { step: await o.whenNone() };
    throw new AccountsError('rule_violation', 'No card qualifies for this request.', 'assistant.no_card');
  }
  const chatCard = qualifying.find((c) => c.id === ctx.card.id);
  if (qualifying.length === 1 || (o.whenSeveral !== 'ask' && chatCard)) {
    const card = qualifying.length === 1 ? qualifying[0]! : chatCard!;
    slots[slot] = card.id;
    return { card };
  }
  // The chat's card first: it is most likely the one they mean.
  const ordered = chatCard ? [chatCard, ...qualifying.filter((c) => c !== chatCard)] : qualifying;
  return {
    step: choose(
      slot,
      o.prompt,
      ordered.map((c) => cardOption(c, ctx.lang)),
    ),
  };
}

/** The rule id of a refused account operation, or null for any other error. */
export const ruleOf = (err: unknown): string | null =>
  err instanceof AccountsError && err.code === 'rule_violation' ? (err.rule ?? 'rule') : null;
