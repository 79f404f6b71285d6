/**
 * Flows of the assistant: fraud (see dialogue/flow.ts for how a flow is written).
 *
 * Fraud in progress takes the urgent path: no questions. The card is locked at once without a
 * confirmation (a protective, reversible action: the one exception to "confirm before acting"), the
 * 24/7 fraud line is shown, and the chat goes to the fraud team ahead of everyone else. Nothing here
 * may stop the handoff: if the lock fails, the cardmember is told to call.
 */
import type { Table } from '@carechat/protocol';
import { AccountsError, type CardSummary, type LockResult } from '../../accounts/accounts.port.js';
import { AppError } from '../../shared/errors.js';
import { handoff, type Flow, type FlowContext } from '../dialogue/flow.js';
import { PHONE } from '../knowledge/facts.js';
import { statusText } from './cards/refusals.js';
import { cardLabel } from './shared.js';

/** Served before every other chat in the queue. */
export const FRAUD_PRIORITY = 10;

type Key = 'locked' | 'already_locked' | 'closed' | 'not_locked' | 'no_card' | 'phone';

const s: Table<Key> = {
  en: {
    locked:
      "I've locked your {card} right away to protect you: new purchases will be declined. You can unlock it later if everything turns out fine.",
    already_locked: 'Your {card} is already locked, so no new purchases can go through.',
    closed: 'Your {card} {status}, so it cannot be used for new purchases.',
    not_locked: "I couldn't lock your {card} from here, so please call us right away.",
    no_card: "I couldn't find the card to lock from here, so please call us right away.",
    phone:
      'Our fraud team is available 24/7 at {phone}. If the wait here is long, call that number or the number on the back of your card.',
  },
  es: {
    locked:
      'Bloqueé su {card} de inmediato para protegerle: se rechazarán las compras nuevas. Puede desbloquearla más adelante si todo está en orden.',
    already_locked: 'Su {card} ya está bloqueada, así que no se pueden hacer compras nuevas.',
    closed: 'Su {card} {status}, así que no se puede usar para compras nuevas.',
    not_locked: 'No pude bloquear su {card} desde aquí, así que llámenos de inmediato.',
    no_card: 'No encontré la tarjeta para bloquearla desde aquí, así que llámenos de inmediato.',
    phone:
      'Nuestro equipo de fraude atiende las 24 horas en el {phone}. Si la espera aquí es larga, llame a ese número o al que aparece en el reverso de su tarjeta.',
  },
};

type Outcome = 'locked' | 'already_locked' | 'closed' | 'not_locked' | 'no_card';

/** The card named in the message (by last 4), else the chat's card: never a question on this path. */
async function cardAtRisk(ctx: FlowContext): Promise<CardSummary | undefined> {
  const cards = await ctx.accounts.port.listCards(ctx.accounts.caller);
  const named = ctx.entities.find((e) => e.type === 'card_last4')?.value;
  return cards.find((c) => c.last4 === named) ?? cards.find((c) => c.id === ctx.card.id);
}

/** Locks the card; any failure is reported as an outcome, never thrown (the handoff must happen). */
async function protect(ctx: FlowContext): Promise<{ card?: CardSummary; outcome: Outcome }> {
  let card: CardSummary | undefined;
  try {
    card = await cardAtRisk(ctx);
    if (!card) return { outcome: 'no_card' };
    if (card.status === 'locked') return { card, outcome: 'already_locked' };
    if (card.status !== 'active') return { card, outcome: 'closed' };
    const r = await ctx.accounts.act<LockResult>('lockCard', { cardId: card.id });
    return { card, outcome: r.changed ? 'locked' : 'already_locked' };
  } catch (err) {
    if (err instanceof AccountsError || err instanceof AppError) {
      return { card, outcome: card ? 'not_locked' : 'no_card' };
    }
    throw err;
  }
}

const AGENT_NOTE: Record<Outcome, string> = {
  locked: 'the assistant locked it',
  already_locked: 'it was already locked',
  closed: 'its number was already closed',
  not_locked: 'the assistant could NOT lock it (error)',
  no_card: 'the assistant could not identify the card to lock',
};

const fraudReport: Flow = {
  intent: 'fraud.report',
  async step(ctx) {
    const t = ctx.t(s);
    const { card, outcome } = await protect(ctx);
    const label = card ? cardLabel(card, ctx.lang) : '';
    const status = card ? statusText(ctx, card.status) : '';
    const cardEn = card ? cardLabel(card, 'en') : 'the chat card';
    return handoff(
      [t(outcome, { card: label, status }), t('phone', { phone: PHONE.fraud })],
      {
        team: 'fraud',
        reason: 'fraud.report',
        priority: FRAUD_PRIORITY,
        summary: `Fraud in progress reported on ${cardEn}: ${AGENT_NOTE[outcome]}. Cardmember wrote: "${ctx.text.slice(0, 200)}".`,
      },
      outcome === 'locked' ? { intent: 'fraud.report', description: `Locked ${cardEn} (fraud reported).` } : undefined,
    );
  },
};

export const fraudFlows: Flow[] = [fraudReport];
