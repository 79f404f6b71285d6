/**
 * Replacing a card: lost or stolen (lock at once, then a new card with a new number) and damaged (new
 * plastic with the same number). Both confirm the address and shipping method before ordering.
 */
import type { Table } from '@carechat/protocol';
import type { CardSummary, LockResult, LostStolenResult, Replacement } from '../../../accounts/accounts.port.js';
import { common } from '../../dialogue/common.strings.js';
import {
  choose,
  confirm,
  day,
  done,
  handoff,
  say,
  type Flow,
  type FlowContext,
  type Slots,
  type Step,
} from '../../dialogue/flow.js';
import { fold } from '../../dialogue/slots.js';
import { cardLabel, pickCard, ruleOf } from '../shared.js';
import { inUse, refusal } from './refusals.js';
import { methodIn, methodWord, shipping, shortAddress } from './shipping.js';

type Key =
  | 'lost.which'
  | 'lost.none'
  | 'lost.reason'
  | 'lost.reason.lost'
  | 'lost.reason.stolen'
  | 'lost.locked'
  | 'lost.already_locked'
  | 'lost.kept'
  | 'lost.confirm'
  | 'lost.done'
  | 'lost.wallets'
  | 'lost.activate'
  | 'lost.dispute'
  | 'lost.successor'
  | 'damaged.which'
  | 'damaged.none'
  | 'damaged.pending'
  | 'damaged.confirm'
  | 'damaged.done'
  | 'agent'
  | 'qr.unlock';

const s: Table<Key> = {
  en: {
    'lost.which': 'Which card is it?',
    'lost.none':
      "None of your cards can be reported: their numbers are already closed. I can connect you with a live agent if something's wrong.",
    'lost.reason': "I'm sorry to hear that. Was your {card} lost or stolen?",
    'lost.reason.lost': 'Lost',
    'lost.reason.stolen': 'Stolen',
    'lost.locked':
      "I've locked your {card} so no one can use it. It stays locked even if we stop here, and you can unlock it if it turns up.",
    'lost.already_locked': 'Your {card} is already locked, so no one can use it.',
    'lost.kept': 'Your {card} stays locked; nothing else was changed.',
    'lost.confirm':
      "To confirm: I'll close the number of your {card} for good and send you a new card with a new number to {address} by {method} delivery, expected by {date}. Shall I go ahead?",
    'lost.done':
      'Done. Your {card} is now closed for good, and your new card ending in {last4} is on its way to {address}, expected by {date}. Your reference is {reference}.',
    'lost.wallets':
      'I also turned off the old card in your digital wallets (Apple Pay, Google Pay). Once the new card arrives, activate it here, then add it to your wallets.',
    'lost.activate': 'When the new card arrives, activate it here: just say "activate my card".',
    'lost.dispute': "If you see any charges you don't recognise, tell me and I'll help you dispute them.",
    'lost.successor': 'Its replacement, ending in {last4}, was ordered on {ordered} and is expected by {date}.',
    'damaged.which': 'Which card is damaged?',
    'damaged.none':
      "I don't see a card in use that can be replaced. I can connect you with a live agent if you need help.",
    'damaged.pending':
      'A replacement for your {card} is already on its way, expected by {date} at {address}. Please wait for it before ordering another.',
    'damaged.confirm':
      "To confirm: I'll send you a new card with the same number as your {card} to {address} by {method} delivery, expected by {date}. Shall I go ahead?",
    'damaged.done':
      'Done. Your new card, with the same number as your {card}, is on its way to {address}, expected by {date}. Keep using your current card until then: your digital wallets and automatic payments keep working. Your reference is {reference}.',
    agent: 'A live agent can look at it with you.',
    'qr.unlock': 'Unlock my card',
  },
  es: {
    'lost.which': '¿De qué tarjeta se trata?',
    'lost.none':
      'Ninguna de sus tarjetas se puede reportar: sus números ya están cerrados. Si algo no está bien, puedo comunicarle con un agente.',
    'lost.reason': 'Lamento oír eso. ¿Su {card} se perdió o se la robaron?',
    'lost.reason.lost': 'Se perdió',
    'lost.reason.stolen': 'Me la robaron',
    'lost.locked':
      'Bloqueé su {card} para que nadie pueda usarla. Seguirá bloqueada aunque nos detengamos aquí, y puede desbloquearla si aparece.',
    'lost.already_locked': 'Su {card} ya está bloqueada, así que nadie puede usarla.',
    'lost.kept': 'Su {card} sigue bloqueada; no se cambió nada más.',
    'lost.confirm':
      'Para confirmar: cerraré de forma definitiva el número de su {card} y le enviaré una tarjeta nueva, con otro número, a {address} por envío {method}; llegaría a más tardar el {date}. ¿Continúo?',
    'lost.done':
      'Listo. Su {card} quedó cerrada de forma definitiva y su tarjeta nueva, terminada en {last4}, va en camino a {address}; llegará a más tardar el {date}. Su número de referencia es {reference}.',
    'lost.wallets':
      'También desactivé la tarjeta anterior en sus billeteras digitales (Apple Pay, Google Pay). Cuando llegue la tarjeta nueva, actívela aquí y luego agréguela a sus billeteras.',
    'lost.activate': 'Cuando llegue la tarjeta nueva, actívela aquí: solo escriba "activar mi tarjeta".',
    'lost.dispute': 'Si ve algún cargo que no reconoce, dígamelo y le ayudo a disputarlo.',
    'lost.successor': 'Su reemplazo, terminado en {last4}, se pidió el {ordered} y llegará a más tardar el {date}.',
    'damaged.which': '¿Qué tarjeta está dañada?',
    'damaged.none':
      'No veo una tarjeta en uso que se pueda reemplazar. Si necesita ayuda, puedo comunicarle con un agente.',
    'damaged.pending':
      'Ya hay un reemplazo de su {card} en camino; llegará a más tardar el {date} a {address}. Espere a que llegue antes de pedir otro.',
    'damaged.confirm':
      'Para confirmar: le enviaré una tarjeta nueva con el mismo número de su {card} a {address} por envío {method}; llegaría a más tardar el {date}. ¿Continúo?',
    'damaged.done':
      'Listo. Su tarjeta nueva, con el mismo número de su {card}, va en camino a {address} y llegará a más tardar el {date}. Siga usando su tarjeta actual mientras tanto: sus billeteras digitales y pagos automáticos siguen funcionando. Su número de referencia es {reference}.',
    agent: 'Un agente puede revisarlo con usted.',
    'qr.unlock': 'Desbloquear mi tarjeta',
  },
};

/** "I lost it" / "me la robaron" in the first message answers "lost or stolen?". */
function reasonIn(text: string): 'lost' | 'stolen' | undefined {
  const f = fold(text);
  if (/\b(stolen|stole|steal|robbed|theft|pickpocket\w*|robad[ao]s?|robaron|robo|hurtad[ao]s?|hurtaron)\b/.test(f))
    return 'stolen';
  if (
    /\b(lost|lose|misplaced|missing|can ?t find|cannot find|perdi|perdid[ao]s?|extravi\w*|no (la )?encuentro)\b/.test(f)
  ) {
    return 'lost';
  }
  return undefined;
}

/** Puts a one-off notice ("I've locked your card") in front of the step that follows it. */
function withNotice(step: Step, notice: string | null): Step {
  if (!notice) return step;
  if (step.kind === 'done') return { ...step, replies: [{ text: notice }, ...step.replies] };
  return { ...step, prompt: `${notice} ${step.prompt}` };
}

/** Locks the card first (a lost card must stop working before anything else); the sentence to say, once. */
async function lockFirst(ctx: FlowContext, slots: Slots, card: CardSummary): Promise<string | null> {
  if (slots.__locked === true) return null;
  const t = ctx.t(s);
  const label = cardLabel(card, ctx.lang);
  let changed = false;
  if (card.status === 'active') {
    changed = (await ctx.accounts.act<LockResult>('lockCard', { cardId: card.id })).changed;
  }
  slots.__locked = true;
  // If the cardmember stops here, the manager must not say "nothing was changed".
  if (changed) slots.__done = t('lost.kept', { card: label });
  return t(changed ? 'lost.locked' : 'lost.already_locked', { card: label });
}

/** A card already closed: say so, and where its replacement is. */
async function alreadyClosed(ctx: FlowContext, card: CardSummary): Promise<Step> {
  const t = ctx.t(s);
  const replies = [refusal(ctx, 'card_not_reportable', card)!];
  const successor = (await ctx.accounts.port.listReplacements(ctx.accounts.caller, card.id)).find(
    (r) => r.cardId === card.id,
  );
  if (successor) {
    replies.push(
      t('lost.successor', {
        last4: successor.newCardLast4,
        ordered: day(successor.orderedAt.slice(0, 10), ctx.lang),
        date: day(successor.estimatedDelivery, ctx.lang),
      }),
    );
  }
  return say(...replies);
}

const lostStolen: Flow = {
  intent: 'card.lost_stolen',
  init(ctx): Slots {
    const reason = reasonIn(ctx.text);
    const method = methodIn(ctx.text);
    return { ...(reason ? { reason } : {}), ...(method ? { method } : {}) };
  },
  async step(ctx, slots) {
    const t = ctx.t(s);
    const picked = await pickCard(ctx, slots, {
      whenSeveral: 'ask',
      filter: inUse,
      prompt: t('lost.which'),
      whenNone: () => say(t('lost.none')),
    });
    if ('step' in picked) return picked.step;
    const card = picked.card;
    const label = cardLabel(card, ctx.lang);
    if (!inUse(card)) return alreadyClosed(ctx, card);
    const reason = slots.reason === 'lost' || slots.reason === 'stolen' ? slots.reason : undefined;
    if (!reason) {
      return choose('reason', t('lost.reason', { card: label }), [
        {
          label: t('lost.reason.lost'),
          value: 'lost',
          aliases: ['lost', 'missing', 'misplaced', 'perdida', 'perdi', 'extraviada'],
        },
        {
          label: t('lost.reason.stolen'),
          value: 'stolen',
          aliases: ['stolen', 'robbed', 'robada', 'robo', 'me la robaron'],
        },
      ]);
    }
    const notice = await lockFirst(ctx, slots, card);
    const ship = await shipping(ctx, slots, {
      intent: 'card.lost_stolen',
      summary: `Reported ${cardLabel(card, 'en')} ${reason}; the assistant locked it but could not order the replacement.`,
    });
    if ('step' in ship) return withNotice(ship.step, notice);
    const address = shortAddress(ship.address);
    if (slots.confirmed !== true) {
      return withNotice(
        confirm(
          t('lost.confirm', {
            card: label,
            address,
            method: methodWord(ctx, ship.method),
            date: day(ship.arrives, ctx.lang),
          }),
        ),
        notice,
      );
    }
    let result: LostStolenResult;
    try {
      result = await ctx.accounts.act<LostStolenResult>('reportLostOrStolen', {
        cardId: card.id,
        reason,
        method: ship.method,
        addressId: ship.address.id,
      });
    } catch (err) {
      const why = refusal(ctx, err, card);
      if (!why) throw err;
      return handoff([why, t('agent')], {
        team: 'general',
        reason: `card.lost_stolen:${ruleOf(err)}`,
        summary: `Tried to report ${cardLabel(card, 'en')} ${reason}; refused by rule ${ruleOf(err)}.`,
      });
    }
    const r = result.replacement;
    const replies = [
      t('lost.done', {
        card: label,
        last4: result.newCard.last4,
        address: shortAddress(r.shipTo),
        date: day(r.estimatedDelivery, ctx.lang),
        reference: r.id,
      }),
      result.suspendedWalletTokens > 0 ? t('lost.wallets') : t('lost.activate'),
      { text: t('lost.dispute'), quickReplies: [ctx.t(common)('qr.dispute')] },
    ];
    return done(replies, {
      record: {
        intent: 'card.lost_stolen',
        description: `Reported ${cardLabel(card, 'en')} ${reason} (card locked, number closed); new card ending ${result.newCard.last4} sent by ${r.method} delivery to ${shortAddress(r.shipTo)}, expected ${r.estimatedDelivery}; ${result.suspendedWalletTokens} wallet token(s) suspended.`,
        reference: r.id,
      },
    });
  },
};

const damaged: Flow = {
  intent: 'card.damaged',
  init(ctx): Slots {
    const method = methodIn(ctx.text);
    return method ? { method } : {};
  },
  async step(ctx, slots) {
    const t = ctx.t(s);
    const picked = await pickCard(ctx, slots, {
      whenSeveral: 'ask',
      filter: inUse,
      prompt: t('damaged.which'),
      whenNone: () => say(t('damaged.none')),
    });
    if ('step' in picked) return picked.step;
    const card = picked.card;
    const label = cardLabel(card, ctx.lang);
    // Refusals the rules would give after the questions are told before them.
    if (card.status === 'locked') {
      return say({ text: refusal(ctx, 'card_locked', card)!, quickReplies: [t('qr.unlock')] });
    }
    if (!inUse(card)) return say(refusal(ctx, 'card_not_replaceable', card)!);
    const pending = (await ctx.accounts.port.listReplacements(ctx.accounts.caller, card.id)).find(
      (r) => r.reason === 'damaged' && r.cardId === card.id && r.status !== 'delivered',
    );
    if (pending) {
      return say(
        t('damaged.pending', {
          card: label,
          date: day(pending.estimatedDelivery, ctx.lang),
          address: shortAddress(pending.shipTo),
        }),
      );
    }
    const ship = await shipping(ctx, slots, {
      intent: 'card.damaged',
      summary: `Wants a replacement for the damaged ${cardLabel(card, 'en')}.`,
    });
    if ('step' in ship) return ship.step;
    if (slots.confirmed !== true) {
      return confirm(
        t('damaged.confirm', {
          card: label,
          address: shortAddress(ship.address),
          method: methodWord(ctx, ship.method),
          date: day(ship.arrives, ctx.lang),
        }),
      );
    }
    let r: Replacement;
    try {
      r = await ctx.accounts.act<Replacement>('replaceDamaged', {
        cardId: card.id,
        method: ship.method,
        addressId: ship.address.id,
      });
    } catch (err) {
      const why = refusal(ctx, err, card);
      if (!why) throw err;
      return say(why);
    }
    return done(
      [
        t('damaged.done', {
          card: label,
          address: shortAddress(r.shipTo),
          date: day(r.estimatedDelivery, ctx.lang),
          reference: r.id,
        }),
      ],
      {
        record: {
          intent: 'card.damaged',
          description: `Ordered a damaged-card replacement (same number) for ${cardLabel(card, 'en')}, ${r.method} delivery to ${shortAddress(r.shipTo)}, expected ${r.estimatedDelivery}.`,
          reference: r.id,
        },
      },
    );
  },
};

export const replaceFlows: Flow[] = [lostStolen, damaged];
