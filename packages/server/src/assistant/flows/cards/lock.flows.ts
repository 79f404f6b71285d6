/**
 * Locking and unlocking a card (a temporary freeze the cardmember controls), and "why was my card
 * declined?", whose most common fixable cause is a lock.
 */
import type { Table } from '@carechat/protocol';
import type { CardSummary, LockResult } from '../../../accounts/accounts.port.js';
import {
  confirm,
  done,
  handoff,
  money,
  say,
  type Flow,
  type FlowContext,
  type Slots,
  type Step,
} from '../../dialogue/flow.js';
import { cardLabel, pickCard } from '../shared.js';
import { inUse, refusal, statusText } from './refusals.js';

type Key =
  | 'lock.which'
  | 'lock.confirm'
  | 'lock.done'
  | 'lock.already'
  | 'lock.none'
  | 'unlock.which'
  | 'unlock.confirm'
  | 'unlock.done'
  | 'unlock.already'
  | 'unlock.none'
  | 'declined.which'
  | 'declined.closed'
  | 'declined.successor'
  | 'declined.locked'
  | 'declined.not_activated'
  | 'declined.credit'
  | 'declined.credit.amount'
  | 'declined.unknown'
  | 'declined.activated'
  | 'declined.retry'
  | 'qr.unlock';

const s: Table<Key> = {
  en: {
    'lock.which': 'Which card would you like to lock?',
    'lock.confirm':
      'Lock your {card}? New purchases will be declined until you unlock it, which you can do here at any time.',
    'lock.done': "Done: your {card} is locked. Just tell me when you'd like to unlock it.",
    'lock.already': 'Your {card} is already locked. Nothing else to do: you can unlock it here whenever you want.',
    'lock.none': "None of your cards can be locked right now: they're already locked or no longer in use.",
    'unlock.which': 'Which card would you like to unlock?',
    'unlock.confirm': 'Unlock your {card}? It will work for purchases again right away.',
    'unlock.done': 'Done: your {card} is unlocked and ready to use.',
    'unlock.already': "Your {card} isn't locked: it's active and ready to use.",
    'unlock.none': 'None of your cards is locked. Your {card} {status}.',
    'declined.which': 'Which card was declined?',
    'declined.closed': 'Your {card} {status}, so purchases on it are declined.',
    'declined.successor': 'Please use your new card ending in {last4} instead.',
    'declined.locked': 'Your {card} is locked, which is why purchases are declined. Would you like me to unlock it?',
    'declined.not_activated':
      "Your {card} hasn't been activated yet, so purchases are declined. Would you like me to activate it now?",
    'declined.credit':
      'You have {available} of available credit on your {card} (limit {limit}), so larger purchases are declined. A payment frees up credit. Would you like to talk to an agent?',
    'declined.credit.amount':
      'A purchase of {amount} is more than the {available} of available credit on your {card}, so it was declined. A payment frees up credit. Would you like to talk to an agent?',
    'declined.unknown':
      "Your {card} is active and you have {available} of available credit, so I don't see a block on our side. The merchant may have had a problem, or our fraud checks may have paused the purchase. Would you like an agent to look at the declined attempt?",
    'declined.activated': 'Done: your {card} is activated.',
    'declined.retry': 'You can try the purchase again now.',
    'qr.unlock': 'Unlock my card',
  },
  es: {
    'lock.which': '¿Qué tarjeta desea bloquear?',
    'lock.confirm':
      '¿Bloqueo su {card}? Las compras nuevas se rechazarán hasta que la desbloquee, lo que puede hacer aquí en cualquier momento.',
    'lock.done': 'Listo: su {card} está bloqueada. Avíseme cuando quiera desbloquearla.',
    'lock.already': 'Su {card} ya está bloqueada. No hace falta nada más: puede desbloquearla aquí cuando quiera.',
    'lock.none': 'Ninguna de sus tarjetas se puede bloquear ahora: ya están bloqueadas o ya no están en uso.',
    'unlock.which': '¿Qué tarjeta desea desbloquear?',
    'unlock.confirm': '¿Desbloqueo su {card}? Volverá a funcionar para compras de inmediato.',
    'unlock.done': 'Listo: su {card} está desbloqueada y lista para usar.',
    'unlock.already': 'Su {card} no está bloqueada: está activa y lista para usar.',
    'unlock.none': 'Ninguna de sus tarjetas está bloqueada. Su {card} {status}.',
    'declined.which': '¿Qué tarjeta le rechazaron?',
    'declined.closed': 'Su {card} {status}, por eso se rechazan las compras con ella.',
    'declined.successor': 'Use su tarjeta nueva terminada en {last4}.',
    'declined.locked': 'Su {card} está bloqueada y por eso se rechazan las compras. ¿Desea que la desbloquee?',
    'declined.not_activated':
      'Su {card} todavía no está activada y por eso se rechazan las compras. ¿Desea que la active ahora?',
    'declined.credit':
      'Tiene {available} de crédito disponible en su {card} (límite de {limit}), así que se rechazan las compras mayores. Un pago libera crédito. ¿Desea hablar con un agente?',
    'declined.credit.amount':
      'Una compra de {amount} supera los {available} de crédito disponible en su {card}, por eso se rechazó. Un pago libera crédito. ¿Desea hablar con un agente?',
    'declined.unknown':
      'Su {card} está activa y tiene {available} de crédito disponible, así que no veo un bloqueo de nuestra parte. Puede que el comercio haya tenido un problema o que nuestros controles de fraude hayan detenido la compra. ¿Desea que un agente revise el intento rechazado?',
    'declined.activated': 'Listo: su {card} está activada.',
    'declined.retry': 'Ya puede intentar la compra de nuevo.',
    'qr.unlock': 'Desbloquear mi tarjeta',
  },
};

type LockOp = 'lockCard' | 'unlockCard';

/** Lock and unlock are mirror images: the card they apply to, the state that means "nothing to do". */
function lockFlow(intent: 'card.lock' | 'card.unlock', op: LockOp): Flow {
  const target = op === 'lockCard' ? 'locked' : 'active';
  const from = op === 'lockCard' ? 'active' : 'locked';
  const k = op === 'lockCard' ? 'lock' : 'unlock';
  return {
    intent,
    async step(ctx, slots) {
      const t = ctx.t(s);
      const picked = await pickCard(ctx, slots, {
        whenSeveral: 'ask',
        filter: (c) => c.status === from,
        prompt: t(`${k}.which`),
        whenNone: () => nothingToDo(ctx, op),
      });
      if ('step' in picked) return picked.step;
      const card = picked.card;
      const label = cardLabel(card, ctx.lang);
      if (card.status === target) return say(t(`${k}.already`, { card: label }));
      if (!inUse(card)) {
        return say(refusal(ctx, op === 'lockCard' ? 'card_not_lockable' : 'card_not_unlockable', card)!);
      }
      if (slots.confirmed !== true) return confirm(t(`${k}.confirm`, { card: label }));
      return setLock(ctx, card, op, t(`${k}.done`, { card: label }));
    },
  };
}

/** No card in the state the request starts from: say where things stand. */
async function nothingToDo(ctx: FlowContext, op: LockOp): Promise<Step> {
  const t = ctx.t(s);
  const cards = await ctx.accounts.port.listCards(ctx.accounts.caller);
  const chat = cards.find((c) => c.id === ctx.card.id) ?? cards.find(inUse);
  if (op === 'lockCard') {
    const locked = cards.find((c) => c.status === 'locked');
    return locked
      ? say({ text: t('lock.already', { card: cardLabel(locked, ctx.lang) }), quickReplies: [t('qr.unlock')] })
      : say(t('lock.none'));
  }
  if (!chat) return say(t('lock.none'));
  return say(t('unlock.none', { card: cardLabel(chat, ctx.lang), status: statusText(ctx, chat.status) }));
}

/** Acts, and explains a refusal or a card that was already in the wanted state. */
async function setLock(
  ctx: FlowContext,
  card: CardSummary,
  op: LockOp,
  doneText: string,
  extra: string[] = [],
): Promise<Step> {
  const t = ctx.t(s);
  const label = cardLabel(card, ctx.lang);
  let result: LockResult;
  try {
    result = await ctx.accounts.act<LockResult>(op, { cardId: card.id });
  } catch (err) {
    const why = refusal(ctx, err, card);
    if (!why) throw err;
    return say(why);
  }
  if (!result.changed) return say(t(op === 'lockCard' ? 'lock.already' : 'unlock.already', { card: label }));
  const verb = op === 'lockCard' ? 'Locked' : 'Unlocked';
  return done([doneText, ...extra], {
    record: {
      intent: op === 'lockCard' ? 'card.lock' : 'card.unlock',
      description: `${verb} ${cardLabel(card, 'en')}.`,
    },
  });
}

// ------------------------------------------------------------------ declined

/**
 * The likely reason a card is declined, as far as the account shows it: a closed number, a lock, a
 * card never activated, or too little available credit. Declined authorizations themselves are not
 * visible through the accounts port (transactions are only pending or posted).
 */
async function diagnose(ctx: FlowContext, slots: Slots, card: CardSummary): Promise<Step> {
  const t = ctx.t(s);
  const label = cardLabel(card, ctx.lang);
  if (!inUse(card)) {
    const replies = [t('declined.closed', { card: label, status: statusText(ctx, card.status) })];
    const successor = (await ctx.accounts.port.listReplacements(ctx.accounts.caller, card.id)).find(
      (r) => r.cardId === card.id && r.newCardId !== card.id,
    );
    if (successor) replies.push(t('declined.successor', { last4: successor.newCardLast4 }));
    return say(...replies);
  }
  // The fixes the assistant can make itself are offered as a yes/no confirmation of that very fix.
  if (card.status === 'locked') return confirm(t('declined.locked', { card: label }), 'unlock');
  if (!card.activated) return confirm(t('declined.not_activated', { card: label }), 'activate');
  const credit = await ctx.accounts.port.getCreditLimit(ctx.accounts.caller, card.id);
  const params = {
    card: label,
    available: money(credit.availableCreditCents, ctx.lang),
    limit: money(credit.creditLimitCents, ctx.lang),
  };
  const amount = typeof slots.amount === 'number' ? slots.amount : null;
  let text: string;
  // A purchase larger than the credit left, or under 5 % of the limit left (most purchases will not fit).
  if (amount !== null && amount > credit.availableCreditCents) {
    text = t('declined.credit.amount', { ...params, amount: money(amount, ctx.lang) });
  } else if (credit.availableCreditCents < credit.creditLimitCents * 0.05) {
    text = t('declined.credit', params);
  } else {
    text = t('declined.unknown', params);
  }
  // A yes/no question rather than an "agent" quick reply: the manager takes any request for an agent
  // itself, and this flow's handoff carries what it found to the agent.
  return confirm(text, 'agent');
}

const declined: Flow = {
  intent: 'card.declined',
  init(ctx): Slots {
    const amount = ctx.entities.find((e) => e.type === 'amount')?.value;
    return typeof amount === 'number' ? { amount } : {};
  },
  async step(ctx, slots) {
    const t = ctx.t(s);
    // A question about a card: the chat's card unless another is named; any state, closed ones included.
    const picked = await pickCard(ctx, slots, { whenSeveral: 'chat', filter: () => true, prompt: t('declined.which') });
    if ('step' in picked) return picked.step;
    const card = picked.card;
    const label = cardLabel(card, ctx.lang);
    if (slots.unlock === true) {
      return setLock(ctx, card, 'unlockCard', t('unlock.done', { card: label }), [t('declined.retry')]);
    }
    if (slots.activate === true) {
      try {
        await ctx.accounts.act('activateCard', { cardId: card.id });
      } catch (err) {
        const why = refusal(ctx, err, card);
        if (!why) throw err;
        return say(why);
      }
      return done([t('declined.activated', { card: label }), t('declined.retry')], {
        record: {
          intent: 'card.activate',
          description: `Activated ${cardLabel(card, 'en')} (purchases were declined).`,
        },
      });
    }
    if (slots.agent === true) {
      const credit = await ctx.accounts.port.getCreditLimit(ctx.accounts.caller, card.id);
      return handoff([], {
        team: 'general',
        reason: 'card.declined',
        summary: `Purchases on ${cardLabel(card, 'en')} are declined. The card is ${card.status} and activated, with ${money(credit.availableCreditCents, 'en')} available of a ${money(credit.creditLimitCents, 'en')} limit; the assistant found no block it could fix. Please check the declined authorization.`,
      });
    }
    return diagnose(ctx, slots, card);
  },
};

export const lockFlows: Flow[] = [lockFlow('card.lock', 'lockCard'), lockFlow('card.unlock', 'unlockCard'), declined];
