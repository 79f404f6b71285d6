/** Flows of the assistant: rewards (see dialogue/flow.ts for how a flow is written). */
import type { Table } from '@carechat/protocol';
import type { Benefit, CardSummary, PayWithPointsResult, Transaction } from '../../accounts/accounts.port.js';
import { pointsNeeded } from '../../accounts/rules/rewards.rules.js';
import type { Flow, FlowContext, Option, Step } from '../dialogue/flow.js';
import { choose, confirm, day, done, money, points, say } from '../dialogue/flow.js';
import { fold } from '../dialogue/slots.js';
import { firstText, reask } from './slot-helpers.js';
import { cardLabel, pickCard, ruleOf } from './shared.js';

type Key =
  | 'pick_card'
  | 'balance'
  | 'balance.pending'
  | 'balance.value'
  | 'no_program'
  | 'qr.redeem'
  | 'qr.benefits'
  | 'redeem.unavailable'
  | 'redeem.none'
  | 'redeem.choose'
  | 'redeem.option'
  | 'redeem.short'
  | 'redeem.confirm'
  | 'redeem.done'
  | 'rule.insufficient_points'
  | 'rule.already_redeemed'
  | 'rule.charge_too_old'
  | 'rule.charge_pending'
  | 'rule.other'
  | 'benefits.intro'
  | 'benefits.none'
  | 'benefit.credit'
  | 'benefit.lounge_access'
  | 'benefit.insurance'
  | 'lounge.none';

const s: Table<Key> = {
  en: {
    pick_card: 'Which card is this about?',
    balance: 'You have {points} {program} points on your {card}.',
    'balance.pending': '{pending} more points are pending and will be added once the purchases post.',
    'balance.value': "With Pay with Points, they're worth {value} toward eligible travel charges.",
    no_program: "Your {card} doesn't earn rewards points.",
    'qr.redeem': 'Pay with points',
    'qr.benefits': 'My card benefits',
    'redeem.unavailable': "Pay with Points isn't available on your {card}.",
    'redeem.none':
      "I don't see any charges on your {card} that can be paid with points right now. Pay with Points covers travel purchases, like flights and hotels, from the last 90 days once they've posted.",
    'redeem.choose': 'You have {points} points. Which charge would you like to pay with points?',
    'redeem.option': '{merchant}, {amount} ({date}): {points} points',
    'redeem.short': 'Paying the {merchant} charge takes {needed} points, and you have {balance}.',
    'redeem.confirm':
      "Pay the {merchant} charge of {amount} from {date} with {needed} points? A {amount} credit will post to your account and you'll have {left} points left.",
    'redeem.done':
      'Done! I used {points} points to pay the {merchant} charge: a {credit} credit is on your account, and you have {balance} points left.',
    'rule.insufficient_points': "You don't have enough points for that charge any more, so I didn't redeem anything.",
    'rule.already_redeemed': 'That charge has already been paid with points, so nothing else was redeemed.',
    'rule.charge_too_old':
      'That charge is more than 90 days old, so it can no longer be paid with points. Nothing was redeemed.',
    'rule.charge_pending': "That charge hasn't posted yet. You can pay it with points once it does.",
    'rule.other': "I couldn't pay that charge with points. Nothing was redeemed; our Rewards team can take a look.",
    'benefits.intro': 'Your {card} comes with:',
    'benefits.none': "Your {card} doesn't include extra benefits such as statement credits or lounge access.",
    'benefit.credit': '{name}: up to {annual} a year in statement credits; {used} used so far this year.',
    'benefit.lounge_access': '{name}: {terms}',
    'benefit.insurance': '{name}: {terms}',
    'lounge.none': "Your {card} doesn't include airport lounge access.",
  },
  es: {
    pick_card: '¿De qué tarjeta se trata?',
    balance: 'Tiene {points} puntos {program} en su {card}.',
    'balance.pending': 'Tiene {pending} puntos más pendientes, que se sumarán cuando se registren las compras.',
    'balance.value': 'Con Pagar con Puntos, equivalen a {value} para cargos de viaje elegibles.',
    no_program: 'Su {card} no acumula puntos de recompensas.',
    'qr.redeem': 'Pagar con puntos',
    'qr.benefits': 'Beneficios de mi tarjeta',
    'redeem.unavailable': 'Pagar con Puntos no está disponible en su {card}.',
    'redeem.none':
      'No veo cargos en su {card} que se puedan pagar con puntos en este momento. Pagar con Puntos cubre compras de viaje, como vuelos y hoteles, de los últimos 90 días una vez registradas.',
    'redeem.choose': 'Tiene {points} puntos. ¿Qué cargo desea pagar con puntos?',
    'redeem.option': '{merchant}, {amount} ({date}): {points} puntos',
    'redeem.short': 'Pagar el cargo de {merchant} requiere {needed} puntos y usted tiene {balance}.',
    'redeem.confirm':
      '¿Pago el cargo de {merchant} por {amount} del {date} con {needed} puntos? Se aplicará un crédito de {amount} a su cuenta y le quedarán {left} puntos.',
    'redeem.done':
      '¡Listo! Usé {points} puntos para pagar el cargo de {merchant}: tiene un crédito de {credit} en su cuenta y le quedan {balance} puntos.',
    'rule.insufficient_points': 'Ya no tiene puntos suficientes para ese cargo, así que no canjeé nada.',
    'rule.already_redeemed': 'Ese cargo ya se pagó con puntos, así que no se canjeó nada más.',
    'rule.charge_too_old':
      'Ese cargo tiene más de 90 días, así que ya no se puede pagar con puntos. No se canjeó nada.',
    'rule.charge_pending': 'Ese cargo aún no se ha registrado. Podrá pagarlo con puntos cuando se registre.',
    'rule.other':
      'No pude pagar ese cargo con puntos. No se canjeó nada; nuestro equipo de Recompensas puede revisarlo.',
    'benefits.intro': 'Su {card} incluye:',
    'benefits.none':
      'Su {card} no incluye beneficios adicionales como créditos en el estado de cuenta o acceso a salas VIP.',
    'benefit.credit':
      '{name}: hasta {annual} al año en créditos en el estado de cuenta; ha usado {used} en lo que va del año.',
    'benefit.lounge_access': '{name}: acceso a las salas VIP de aeropuerto asociadas.',
    'benefit.insurance':
      '{name}: cobertura para viajes pagados con la tarjeta; puedo revisar si un viaje está cubierto.',
    'lounge.none': 'Su {card} no incluye acceso a salas VIP de aeropuerto.',
  },
};

/** Points a product's Pay with Points value (hundredths of a cent per point) makes of a balance, in cents. */
const pointsValueCents = (balance: number, pwpValue: number) => Math.floor((balance * pwpValue) / 100);

// ------------------------------------------------------------------ rewards.balance

const balance: Flow = {
  intent: 'rewards.balance',
  async step(ctx, slots) {
    const t = ctx.t(s);
    const picked = await pickCard(ctx, slots, { prompt: t('pick_card'), whenSeveral: 'chat' });
    if ('step' in picked) return picked.step;
    const card = picked.card;
    const label = cardLabel(card, ctx.lang);
    let r;
    try {
      r = await ctx.accounts.port.getRewards(ctx.accounts.caller, card.id);
    } catch (err) {
      if (ruleOf(err) === 'no_rewards_program') return say(t('no_program', { card: label }));
      throw err;
    }
    const text = [t('balance', { points: points(r.balancePoints, ctx.lang), program: r.program, card: label })];
    if (r.pendingPoints > 0) text.push(t('balance.pending', { pending: points(r.pendingPoints, ctx.lang) }));
    if (card.product.payWithPoints) {
      text.push(
        t('balance.value', { value: money(pointsValueCents(r.balancePoints, r.payWithPointsValue), ctx.lang) }),
      );
    }
    const quickReplies = [...(card.product.payWithPoints ? [t('qr.redeem')] : []), t('qr.benefits')];
    return say({ text: text.join(' '), quickReplies });
  },
};

// ------------------------------------------------------------------ rewards.redeem

/** The charge the first message named by merchant and/or amount, when exactly one fits. */
function namedCharge(text: string | null, amount: number | null, charges: Transaction[]): Transaction | undefined {
  if (!text) return undefined;
  const f = fold(text);
  const fits = charges.filter(
    (c) => (amount === null || c.amount.amountCents === amount) && (amount !== null || f.includes(fold(c.merchant))),
  );
  return fits.length === 1 ? fits[0] : undefined;
}

function redeemRefusal(ctx: FlowContext, rule: string): Step {
  const t = ctx.t(s);
  switch (rule) {
    case 'insufficient_points':
    case 'already_redeemed':
    case 'charge_too_old':
    case 'charge_pending':
      return say(t(`rule.${rule}`));
    default:
      return done([t('rule.other')], {
        handoff: {
          team: 'rewards',
          reason: 'rewards.redeem',
          summary: `Pay with Points was refused by the rule "${rule}"; the cardmember may need help with it.`,
        },
      });
  }
}

const redeem: Flow = {
  intent: 'rewards.redeem',
  init(ctx) {
    const amount = ctx.entities.find((e) => e.type === 'amount')?.value;
    return { __first: ctx.text, ...(typeof amount === 'number' ? { __hint_amount: amount } : {}) };
  },
  async step(ctx, slots) {
    const t = ctx.t(s);
    const first = firstText(slots);
    // Confirmed: act on what was confirmed. A retried turn must not re-read the list, where the charge
    // it already paid no longer appears; the idempotency key returns the first redemption instead.
    if (slots.confirmed === true && typeof slots.charge === 'string' && typeof slots.__merchant === 'string') {
      return redeemNow(ctx, slots.charge, slots.__merchant);
    }
    const picked = await pickCard(ctx, slots, { prompt: t('pick_card'), whenSeveral: 'chat' });
    if ('step' in picked) return picked.step;
    const card = picked.card;
    const label = cardLabel(card, ctx.lang);
    if (!card.product.payWithPoints) return say(t('redeem.unavailable', { card: label }));
    const port = ctx.accounts.port;
    const [rewards, eligible] = await Promise.all([
      port.getRewards(ctx.accounts.caller, card.id),
      port.listPayWithPointsEligible(ctx.accounts.caller, card.id),
    ]);
    if (!eligible.length) return say(t('redeem.none', { card: label }));
    const need = (c: Transaction) => pointsNeeded(c.amount.amountCents, rewards.payWithPointsValue);
    if (first) {
      const named = namedCharge(first, typeof slots.__hint_amount === 'number' ? slots.__hint_amount : null, eligible);
      if (named) slots.charge = named.id;
    }
    const ask = choose(
      'charge',
      t('redeem.choose', { points: points(rewards.balancePoints, ctx.lang) }),
      eligible.map((c) => chargeOption(ctx, c, need(c))),
    );
    const charge = eligible.find((c) => c.id === slots.charge);
    if (!charge) return ask;
    const facts = {
      merchant: charge.merchant,
      amount: money(charge.amount.amountCents, ctx.lang),
      date: day(charge.date, ctx.lang),
      needed: points(need(charge), ctx.lang),
    };
    if (need(charge) > rewards.balancePoints) {
      return reask(
        ctx,
        slots,
        'charge',
        t('redeem.short', { ...facts, balance: points(rewards.balancePoints, ctx.lang) }),
        ask,
        {
          team: 'rewards',
          reason: 'rewards.redeem',
          summary: `Wants to pay travel charges with points but has too few points (${rewards.balancePoints}) for the charges chosen.`,
        },
      );
    }
    slots.__merchant = charge.merchant;
    return confirm(t('redeem.confirm', { ...facts, left: points(rewards.balancePoints - need(charge), ctx.lang) }));
  },
};

async function redeemNow(ctx: FlowContext, transactionId: string, merchant: string): Promise<Step> {
  const t = ctx.t(s);
  let r: PayWithPointsResult;
  try {
    r = await ctx.accounts.act<PayWithPointsResult>('redeemPayWithPoints', { transactionId });
  } catch (err) {
    const rule = ruleOf(err);
    if (rule) return redeemRefusal(ctx, rule);
    throw err;
  }
  return done(
    [
      t('redeem.done', {
        points: points(r.pointsRedeemed, ctx.lang),
        merchant,
        credit: money(r.creditCents, ctx.lang),
        balance: points(r.balancePoints, ctx.lang),
      }),
    ],
    {
      record: {
        intent: 'rewards.redeem',
        description: `Paid the ${merchant} charge of ${money(r.creditCents, 'en')} (${transactionId}) with ${r.pointsRedeemed} points`,
      },
    },
  );
}

function chargeOption(ctx: FlowContext, c: Transaction, needed: number): Option {
  return {
    label: ctx.t(s)('redeem.option', {
      merchant: c.merchant,
      amount: money(c.amount.amountCents, ctx.lang),
      date: day(c.date, ctx.lang),
      points: points(needed, ctx.lang),
    }),
    value: c.id,
    aliases: [c.merchant],
  };
}

// ------------------------------------------------------------------ rewards.benefits

function benefitLine(ctx: FlowContext, b: Benefit): string {
  const t = ctx.t(s);
  if (b.kind === 'statement_credit' && b.annualAmountCents !== null) {
    return t('benefit.credit', {
      name: b.name,
      annual: money(b.annualAmountCents, ctx.lang),
      used: money(b.usedThisYearCents ?? 0, ctx.lang),
    });
  }
  return t(b.kind === 'lounge_access' ? 'benefit.lounge_access' : 'benefit.insurance', {
    name: b.name,
    terms: b.terms,
  });
}

const ASKS_LOUNGE = /\b(lounges?|salas?( vip)?)\b/;

const benefits: Flow = {
  intent: 'rewards.benefits',
  init: (ctx) => ({ __first: ctx.text }),
  async step(ctx, slots) {
    const t = ctx.t(s);
    const first = firstText(slots) ?? '';
    const picked = await pickCard(ctx, slots, { prompt: t('pick_card'), whenSeveral: 'chat' });
    if ('step' in picked) return picked.step;
    const card: CardSummary = picked.card;
    const label = cardLabel(card, ctx.lang);
    const list = await ctx.accounts.port.listBenefits(ctx.accounts.caller, card.id);
    // A question about lounges on a card without them deserves a straight answer first.
    if (ASKS_LOUNGE.test(fold(first)) && !list.some((b) => b.kind === 'lounge_access')) {
      const general = ctx.knowledge(first);
      return say(general ? `${t('lounge.none', { card: label })} ${general.body}` : t('lounge.none', { card: label }));
    }
    if (!list.length) return say(t('benefits.none', { card: label }));
    const lines = list.map((b) => `• ${benefitLine(ctx, b)}`);
    return say(`${t('benefits.intro', { card: label })}\n${lines.join('\n')}`);
  },
};

export const rewardsFlows: Flow[] = [balance, redeem, benefits];
