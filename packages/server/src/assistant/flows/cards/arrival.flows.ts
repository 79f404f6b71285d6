/** A new card on its way: where it is (delivery) and turning it on once it arrives (activation). */
import type { Table } from '@carechat/protocol';
import type { CardSummary, Replacement } from '../../../accounts/accounts.port.js';
import { addDays } from '../../../accounts/rules/dates.js';
import { common } from '../../dialogue/common.strings.js';
import { confirm, day, done, say, type Flow, type FlowContext, type Reply } from '../../dialogue/flow.js';
import { cardLabel, pickCard } from '../shared.js';
import { refusal } from './refusals.js';
import { shortAddress } from './shipping.js';

type Key =
  | 'delivery.ordered'
  | 'delivery.shipped'
  | 'delivery.same_number'
  | 'delivery.arrived'
  | 'delivery.none'
  | 'delivery.activate'
  | 'activate.which'
  | 'activate.none'
  | 'activate.confirm'
  | 'activate.done'
  | 'activate.wallets'
  | 'qr.activate';

const s: Table<Key> = {
  en: {
    'delivery.ordered':
      'Your new card ending in {last4} was ordered on {ordered} and ships on the next business day. It should arrive at {address} by {date}.',
    'delivery.shipped': 'Your new card ending in {last4} is in the mail and should arrive at {address} by {date}.',
    'delivery.same_number':
      'The new plastic for your card ending in {last4} (same number) should arrive at {address} by {date}.',
    'delivery.arrived':
      "Your new card ending in {last4} should have arrived at {address} on {date}. If it hasn't, a live agent can help you.",
    'delivery.none': "I don't see any card on its way to you right now.",
    'delivery.activate': 'When it arrives, activate it here: just say "activate my card".',
    'activate.which': 'Which card would you like to activate?',
    'activate.none': 'All your cards are already activated. There is nothing to activate right now.',
    'activate.confirm': "Has your {card} arrived? I'll activate it so you can start using it.",
    'activate.done': 'Your {card} is activated and ready to use. It is valid through {expiry}.',
    'activate.wallets':
      'If it replaces an old card, destroy the old one. To pay with your phone, add the new card in your Apple Pay or Google Pay wallet.',
    'qr.activate': 'Activate my card',
  },
  es: {
    'delivery.ordered':
      'Su tarjeta nueva terminada en {last4} se pidió el {ordered} y sale el siguiente día hábil. Debería llegar a {address} a más tardar el {date}.',
    'delivery.shipped':
      'Su tarjeta nueva terminada en {last4} va por correo y debería llegar a {address} a más tardar el {date}.',
    'delivery.same_number':
      'La tarjeta nueva para su tarjeta terminada en {last4} (mismo número) debería llegar a {address} a más tardar el {date}.',
    'delivery.arrived':
      'Su tarjeta nueva terminada en {last4} debió llegar a {address} el {date}. Si no le ha llegado, un agente puede ayudarle.',
    'delivery.none': 'No veo ninguna tarjeta en camino en este momento.',
    'delivery.activate': 'Cuando llegue, actívela aquí: solo escriba "activar mi tarjeta".',
    'activate.which': '¿Qué tarjeta desea activar?',
    'activate.none': 'Todas sus tarjetas ya están activadas. No hay nada que activar en este momento.',
    'activate.confirm': '¿Ya le llegó su {card}? La activaré para que pueda empezar a usarla.',
    'activate.done': 'Su {card} está activada y lista para usar. Es válida hasta {expiry}.',
    'activate.wallets':
      'Si reemplaza a una tarjeta anterior, destruya la anterior. Para pagar con su teléfono, agregue la tarjeta nueva a su billetera de Apple Pay o Google Pay.',
    'qr.activate': 'Activar mi tarjeta',
  },
};

/** A card that arrived this long ago without being activated may be lost in the mail: worth a word. */
const RECENT_ARRIVAL_DAYS = 14;

function replacementLine(ctx: FlowContext, r: Replacement, newCard: CardSummary | undefined): string {
  const t = ctx.t(s);
  const params = {
    last4: r.newCardLast4,
    address: shortAddress(r.shipTo),
    date: day(r.estimatedDelivery, ctx.lang),
    ordered: day(r.orderedAt.slice(0, 10), ctx.lang),
  };
  if (r.status === 'delivered') {
    return t('delivery.arrived', { ...params, date: day(r.deliveredOn ?? r.estimatedDelivery, ctx.lang) });
  }
  if (r.reason === 'damaged') return t('delivery.same_number', params);
  const line = t(r.status === 'ordered' ? 'delivery.ordered' : 'delivery.shipped', params);
  return newCard && !newCard.activated ? `${line} ${t('delivery.activate')}` : line;
}

const delivery: Flow = {
  intent: 'card.delivery',
  async step(ctx) {
    const t = ctx.t(s);
    const { port, caller } = ctx.accounts;
    const [replacements, cards] = await Promise.all([port.listReplacements(caller), port.listCards(caller)]);
    const byId = new Map(cards.map((c) => [c.id, c]));
    const since = addDays(ctx.today, -RECENT_ARRIVAL_DAYS);
    // On its way, or arrived lately and still not activated (it may not have arrived at all).
    const relevant = replacements.filter(
      (r) =>
        r.status !== 'delivered' ||
        (r.reason !== 'damaged' &&
          byId.get(r.newCardId)?.activated === false &&
          (r.deliveredOn ?? r.estimatedDelivery) >= since),
    );
    if (relevant.length === 0) return say(t('delivery.none'));
    const replies: Reply[] = relevant
      .slice(0, 3)
      .map((r) => ({ text: replacementLine(ctx, r, byId.get(r.newCardId)) }));
    const quickReplies = relevant.some((r) => r.status === 'delivered')
      ? [t('qr.activate'), ctx.t(common)('qr.agent')]
      : undefined;
    replies[replies.length - 1] = { ...replies[replies.length - 1]!, quickReplies };
    return done(replies);
  },
};

/** A card that is still waiting to be activated. */
const awaitingActivation = (c: CardSummary) => !c.activated && (c.status === 'active' || c.status === 'locked');

const activate: Flow = {
  intent: 'card.activate',
  async step(ctx, slots) {
    const t = ctx.t(s);
    const picked = await pickCard(ctx, slots, {
      whenSeveral: 'ask',
      filter: awaitingActivation,
      prompt: t('activate.which'),
      whenNone: () => say(t('activate.none')),
    });
    if ('step' in picked) return picked.step;
    const card = picked.card;
    const label = cardLabel(card, ctx.lang);
    // A card named by its last 4 may not qualify: say why before asking anything.
    if (card.activated && (card.status === 'active' || card.status === 'locked')) {
      return say(refusal(ctx, 'card_already_active', card)!);
    }
    if (card.status !== 'active') return say(refusal(ctx, 'card_not_activatable', card)!);
    if (slots.confirmed !== true) return confirm(t('activate.confirm', { card: label }));
    let activated: CardSummary;
    try {
      activated = await ctx.accounts.act<CardSummary>('activateCard', { cardId: card.id });
    } catch (err) {
      const why = refusal(ctx, err, card);
      if (!why) throw err;
      return say(why);
    }
    return done([t('activate.done', { card: label, expiry: activated.expiry }), t('activate.wallets')], {
      record: { intent: 'card.activate', description: `Activated ${cardLabel(card, 'en')}.` },
    });
  },
};

export const arrivalFlows: Flow[] = [delivery, activate];
