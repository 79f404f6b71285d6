/**
 * fee.late: the late fees on a card and the goodwill policy (one courtesy reversal in 12 months). The
 * core decides; a refusal (a second late fee within 12 months, a reversal already used) is explained
 * kindly, with what helps next time (autopay, reminders) and an agent offered.
 */
import type { Table } from '@carechat/protocol';
import type { Fee, GoodwillResult } from '../../accounts/accounts.port.js';
import { confirm, day, done, money, type Flow, type FlowContext } from '../dialogue/flow.js';
import { offerAgent } from './offer-agent.js';
import { cardLabel, pickCard, ruleOf } from './shared.js';

type Key =
  | 'which_card'
  | 'none'
  | 'already_reversed'
  | 'found'
  | 'confirm'
  | 'done'
  | 'tip'
  | 'refused.second'
  | 'refused.used'
  | 'refused.reversed'
  | 'refused.other'
  | 'offer'
  | 'declined'
  | 'qr.pay';

const s: Table<Key> = {
  en: {
    which_card: 'Which card was the late fee on?',
    none: "I don't see any late fee on your {card}.",
    already_reversed: 'The {amount} late fee from {date} on your {card} was already reversed on {reversed}.',
    found: 'I see a {amount} late fee from {date} on your {card}.',
    confirm: 'As a courtesy we can reverse one late fee in any 12 months. Shall I ask for this one to be reversed?',
    done: 'Good news: the {amount} late fee is reversed, and a {credit} credit is on your account as of today.',
    tip: 'Autopay for at least the minimum, or a payment reminder, helps avoid late fees in the future.',
    'refused.second':
      "I'm sorry: we can reverse a late fee only when it's the first in 12 months, and there was another one in the year before this {amount} fee, so I can't remove it.",
    'refused.used':
      "I'm sorry: a late fee was already reversed as a courtesy in the last 12 months, so I can't reverse this {amount} fee.",
    'refused.reversed': 'This late fee has already been reversed.',
    'refused.other': "I'm sorry, I couldn't reverse this late fee.",
    offer:
      'Autopay or payment reminders can help avoid the next one. Would you like me to connect you with an agent to talk it over?',
    declined: 'All right. If it helps, I can set up a payment with you now.',
    'qr.pay': 'Make a payment',
  },
  es: {
    which_card: '¿En qué tarjeta está el cargo por pago tardío?',
    none: 'No veo ningún cargo por pago tardío en su {card}.',
    already_reversed: 'El cargo por pago tardío de {amount} del {date} en su {card} ya se reembolsó el {reversed}.',
    found: 'Veo un cargo por pago tardío de {amount} del {date} en su {card}.',
    confirm:
      'Como cortesía, podemos reembolsar un cargo por pago tardío cada 12 meses. ¿Desea que solicite el reembolso de este cargo?',
    done: 'Buenas noticias: se reembolsó el cargo por pago tardío de {amount} y tiene un crédito de {credit} en su cuenta desde hoy.',
    tip: 'El pago automático de al menos el mínimo, o un recordatorio de pago, le ayuda a evitar cargos por pago tardío.',
    'refused.second':
      'Lo siento: solo podemos reembolsar un cargo por pago tardío cuando es el primero en 12 meses, y hubo otro en el año anterior a este cargo de {amount}, así que no puedo quitarlo.',
    'refused.used':
      'Lo siento: ya se reembolsó un cargo por pago tardío como cortesía en los últimos 12 meses, así que no puedo reembolsar este cargo de {amount}.',
    'refused.reversed': 'Este cargo por pago tardío ya fue reembolsado.',
    'refused.other': 'Lo siento, no pude reembolsar este cargo por pago tardío.',
    offer:
      'El pago automático o los recordatorios de pago pueden ayudarle a evitar el próximo. ¿Desea que le comunique con un agente para hablarlo?',
    declined: 'De acuerdo. Si le sirve, puedo ayudarle a hacer un pago ahora.',
    'qr.pay': 'Hacer un pago',
  },
};

/** The refused rule in plain words. */
function refusal(ctx: FlowContext, rule: string, fee: Fee): string {
  const t = ctx.t(s);
  const amount = money(fee.amountCents, ctx.lang);
  switch (rule) {
    case 'late_fee_not_first_in_12_months':
      return t('refused.second', { amount });
    case 'goodwill_used_recently':
      return t('refused.used', { amount });
    case 'fee_already_reversed':
      return t('refused.reversed');
    default:
      return t('refused.other');
  }
}

const newestFirst = (a: Fee, b: Fee) => (a.assessedOn < b.assessedOn ? 1 : a.assessedOn > b.assessedOn ? -1 : 0);

export const lateFeeFlow: Flow = {
  intent: 'fee.late',
  async step(ctx, slots) {
    const t = ctx.t(s);
    const picked = await pickCard(ctx, slots, { whenSeveral: 'chat', prompt: t('which_card') });
    if ('step' in picked) return picked.step;
    const card = picked.card;
    const cardName = cardLabel(card, ctx.lang);
    const lateFees = (await ctx.accounts.port.listFees(ctx.accounts.caller, card.id))
      .filter((f) => f.kind === 'late')
      .sort(newestFirst);
    // The fee this conversation is about stays the same across turns, whatever happens meanwhile.
    const fee = lateFees.find((f) => f.id === slots.fee) ?? lateFees.find((f) => f.reversedOn === null) ?? lateFees[0];
    if (!fee) return done([t('none', { card: cardName })]);
    slots.fee = fee.id;
    const p = { amount: money(fee.amountCents, ctx.lang), date: day(fee.assessedOn, ctx.lang), card: cardName };

    if (typeof slots.refused === 'string') {
      return offerAgent(ctx, slots, {
        prompt: `${refusal(ctx, slots.refused, fee)} ${t('offer')}`,
        request: {
          team: 'general',
          reason: 'fee.late',
          summary: `Asked for a courtesy reversal of the ${money(fee.amountCents, 'en')} late fee of ${fee.assessedOn} on card ending ${card.last4}; refused by rule ${slots.refused}.`,
        },
        declined: { text: t('declined'), quickReplies: [t('qr.pay')] },
      });
    }
    if (fee.reversedOn !== null && slots.confirmed !== true) {
      return done([t('already_reversed', { ...p, reversed: day(fee.reversedOn, ctx.lang) })]);
    }
    if (slots.confirmed !== true) return confirm(`${t('found', p)} ${t('confirm')}`);

    let result: GoodwillResult;
    try {
      result = await ctx.accounts.act<GoodwillResult>('requestLateFeeGoodwill', { cardId: card.id, feeId: fee.id });
    } catch (err) {
      const rule = ruleOf(err);
      if (!rule) throw err;
      // Remembered, so the answer to the offer does not ask the core again.
      slots.refused = rule;
      return lateFeeFlow.step(ctx, slots);
    }
    return done([`${t('done', { amount: p.amount, credit: money(result.creditCents, ctx.lang) })} ${t('tip')}`], {
      record: {
        intent: 'fee.late',
        description: `Reversed the ${money(result.fee.amountCents, 'en')} late fee of ${result.fee.assessedOn} on card ending ${card.last4} as a courtesy (${money(result.creditCents, 'en')} credit)`,
      },
    });
  },
};
