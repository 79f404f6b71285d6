/** Flows of the assistant: credit (see dialogue/flow.ts for how a flow is written). */
import type { Language, Table } from '@carechat/protocol';
import type { CardSummary, CreditLimitDecision, ProductChangeInfo } from '../../accounts/accounts.port.js';
import {
  CLI_LATE_FEE_LOOKBACK_MONTHS,
  CLI_MIN_ACCOUNT_AGE_MONTHS,
  type CreditLimitDecisionReason,
} from '../../accounts/rules/credit.rules.js';
import { addMonths } from '../../accounts/rules/dates.js';
import { common } from '../dialogue/common.strings.js';
import type { Flow, FlowContext, Option, Slots, Step } from '../dialogue/flow.js';
import { ask, choose, confirm, day, done, handoff, money, say } from '../dialogue/flow.js';
import { fold } from '../dialogue/slots.js';
import { firstText, listOf, reask } from './slot-helpers.js';
import { cardLabel, pickCard } from './shared.js';

/** Every reason the core can give for a refusal, a decline or a cap: the table words each one. */
type Reason = CreditLimitDecisionReason;

type Key =
  | 'pick_card'
  | 'limit'
  | 'qr.increase'
  | 'cli.not_eligible'
  | 'cli.again_on'
  | 'cli.requested'
  | 'cli.not_higher'
  | 'cli.above_max'
  | 'cli.income'
  | 'cli.income_zero'
  | 'cli.confirm'
  | 'cli.approved'
  | 'cli.approved_less'
  | 'cli.declined'
  | `reason.${Reason}`
  | 'apr.charge_card'
  | 'apr.rates'
  | 'apr.penalty'
  | 'product.apply'
  | 'product.none'
  | 'product.list'
  | 'product.line'
  | 'product.unavailable'
  | 'product.opt.upgrade'
  | 'product.opt.downgrade'
  | 'product.opt.lateral'
  | 'product.opt.apply'
  | 'product.opt.none'
  | 'product.handoff'
  | 'product.nothing';

const s: Table<Key> = {
  en: {
    pick_card: 'Which card is this about?',
    limit: 'Your {card} has a credit limit of {limit}. With a balance of {balance}, you have {available} available.',
    'qr.increase': 'Request a credit limit increase',
    'cli.not_eligible': "I'm sorry, your {card} can't get a credit limit increase right now: {reasons}",
    'cli.again_on': 'You can ask again from {date}.',
    'cli.requested': 'Your credit limit is {limit}, and you can ask for up to {max}. What new limit would you like?',
    'cli.not_higher': "That isn't above your current limit of {limit}.",
    'cli.above_max': 'The most I can ask for in one request is {max}.',
    'cli.income': "What's your total annual income before taxes? For example: $85,000.",
    'cli.income_zero': 'The income needs to be more than zero.',
    'cli.confirm':
      "Request a credit limit increase on your {card} from {limit} to {requested}, based on an annual income of {income}? You'll get the decision right away.",
    'cli.approved': 'Good news: your credit limit is now {new} (it was {previous}). You can use it right away.',
    'cli.approved_less': "That's less than the {requested} you asked for: {reasons}",
    'cli.declined': "I'm sorry, the increase wasn't approved: {reasons} Your limit stays at {limit}.",
    'reason.account_closed': 'the account is closed.',
    'reason.account_too_new': 'the account needs to be open for at least 6 months first.',
    'reason.recent_late_payment': 'a late fee was charged in the last 6 months.',
    'reason.recent_increase': 'the credit limit changed in the last 6 months.',
    'reason.account_past_due': 'the account has a past-due minimum payment; once it is paid, you can ask again.',
    'reason.recent_request_declined': 'a request was declined in the last 90 days.',
    'reason.corporate_account': "corporate card limits are managed by your company's program administrator.",
    'reason.insufficient_income': 'the stated income does not support a higher limit.',
    'reason.capped_at_max_increase': 'one increase can raise the limit by at most 50% and at most $10,000.',
    'reason.capped_by_income': 'the new limit is capped at 30% of the stated annual income.',
    'apr.charge_card':
      'Your {card} is a charge card with no interest rate: the balance is due in full each month, so no purchase, cash advance or penalty APR applies.',
    'apr.rates':
      'Your {card} has a purchase APR of {purchase}, a cash advance APR of {cash} and a balance transfer APR of {transfer}. They are variable: they move with the prime rate, now {prime}.',
    'apr.penalty': 'A penalty APR of up to {penalty} may apply if a payment is 60 or more days late.',
    'product.apply':
      'Applications for a new card are handled by our Credit team: they can go over the options and apply with you.',
    'product.none': "There's no other card I can switch your {card} to.",
    'product.list': 'You have the {current} (annual fee {fee}). Here are the cards you could switch to:',
    'product.line': '{name}: annual fee {fee}.',
    'product.unavailable': '(not available yet)',
    'product.opt.upgrade': 'Upgrade to {name}',
    'product.opt.downgrade': 'Downgrade to {name}',
    'product.opt.lateral': 'Switch to {name}',
    'product.opt.apply': 'Apply for a new card',
    'product.opt.none': 'No, thanks',
    'product.handoff':
      'Our Credit team makes product changes: they will confirm the details with you before switching.',
    'product.nothing': "Okay, your card stays as it is. Let me know if there's anything else.",
  },
  es: {
    pick_card: '¿De qué tarjeta se trata?',
    limit: 'Su {card} tiene un límite de crédito de {limit}. Con un saldo de {balance}, tiene {available} disponibles.',
    'qr.increase': 'Solicitar un aumento de límite',
    'cli.not_eligible': 'Lo siento, su {card} no puede recibir un aumento de límite en este momento: {reasons}',
    'cli.again_on': 'Puede volver a solicitarlo a partir del {date}.',
    'cli.requested': 'Su límite de crédito es de {limit} y puede solicitar hasta {max}. ¿Qué nuevo límite desea?',
    'cli.not_higher': 'Eso no es más que su límite actual de {limit}.',
    'cli.above_max': 'Lo máximo que puedo solicitar en una sola vez es {max}.',
    'cli.income': '¿Cuál es su ingreso anual total antes de impuestos? Por ejemplo: $85,000.',
    'cli.income_zero': 'El ingreso debe ser mayor que cero.',
    'cli.confirm':
      '¿Solicito un aumento del límite de crédito de su {card} de {limit} a {requested}, con un ingreso anual de {income}? Recibirá la decisión de inmediato.',
    'cli.approved':
      'Buenas noticias: su límite de crédito ahora es de {new} (antes era {previous}). Puede usarlo de inmediato.',
    'cli.approved_less': 'Es menos que los {requested} que pidió: {reasons}',
    'cli.declined': 'Lo siento, el aumento no fue aprobado: {reasons} Su límite sigue siendo de {limit}.',
    'reason.account_closed': 'la cuenta está cerrada.',
    'reason.account_too_new': 'la cuenta primero debe tener al menos 6 meses abierta.',
    'reason.recent_late_payment': 'se cobró un cargo por pago atrasado en los últimos 6 meses.',
    'reason.recent_increase': 'el límite de crédito cambió en los últimos 6 meses.',
    'reason.account_past_due': 'la cuenta tiene un pago mínimo vencido; cuando lo pague, puede volver a solicitarlo.',
    'reason.recent_request_declined': 'se rechazó una solicitud en los últimos 90 días.',
    'reason.corporate_account': 'los límites de las tarjetas corporativas los administra el programa de su empresa.',
    'reason.insufficient_income': 'el ingreso indicado no permite un límite más alto.',
    'reason.capped_at_max_increase': 'un aumento puede subir el límite como máximo un 50 % y hasta $10,000.',
    'reason.capped_by_income': 'el nuevo límite no puede superar el 30 % del ingreso anual indicado.',
    'apr.charge_card':
      'Su {card} es una tarjeta de cargo sin tasa de interés: el saldo se paga completo cada mes, así que no aplica APR de compras, de adelantos de efectivo ni de penalización.',
    'apr.rates':
      'Su {card} tiene una APR de compras de {purchase}, una APR de adelantos de efectivo de {cash} y una APR de transferencias de saldo de {transfer}. Son variables: cambian con la tasa preferencial, que hoy es {prime}.',
    'apr.penalty': 'Puede aplicarse una APR de penalización de hasta {penalty} si un pago se atrasa 60 días o más.',
    'product.apply':
      'Las solicitudes de una nueva tarjeta las atiende nuestro equipo de Crédito: puede revisar las opciones y hacer la solicitud con usted.',
    'product.none': 'No hay otra tarjeta a la que pueda cambiar su {card}.',
    'product.list': 'Tiene la {current} (cuota anual de {fee}). Estas son las tarjetas a las que podría cambiar:',
    'product.line': '{name}: cuota anual de {fee}.',
    'product.unavailable': '(todavía no disponible)',
    'product.opt.upgrade': 'Mejorar a {name}',
    'product.opt.downgrade': 'Bajar a {name}',
    'product.opt.lateral': 'Cambiar a {name}',
    'product.opt.apply': 'Solicitar una nueva tarjeta',
    'product.opt.none': 'No, gracias',
    'product.handoff':
      'Nuestro equipo de Crédito hace los cambios de producto: confirmará los detalles con usted antes del cambio.',
    'product.nothing': 'De acuerdo, su tarjeta queda como está. Avíseme si necesita algo más.',
  },
};

const percent = (bps: number, lang: Language) =>
  new Intl.NumberFormat(lang === 'es' ? 'es-US' : 'en-US', {
    style: 'percent',
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(bps / 10_000);

const primaryCard = (c: CardSummary) => c.role === 'primary' && c.status !== 'closed' && c.status !== 'replaced';

// ------------------------------------------------------------------ credit.limit

const limit: Flow = {
  intent: 'credit.limit',
  async step(ctx, slots) {
    const t = ctx.t(s);
    const picked = await pickCard(ctx, slots, { prompt: t('pick_card'), whenSeveral: 'chat' });
    if ('step' in picked) return picked.step;
    const info = await ctx.accounts.port.getCreditLimit(ctx.accounts.caller, picked.card.id);
    return say({
      text: t('limit', {
        card: cardLabel(picked.card, ctx.lang),
        limit: money(info.creditLimitCents, ctx.lang),
        balance: money(info.currentBalanceCents, ctx.lang),
        available: money(info.availableCreditCents, ctx.lang),
      }),
      quickReplies: picked.card.role === 'primary' ? [t('qr.increase')] : [],
    });
  },
};

// ------------------------------------------------------------------ credit.limit_increase

const reasonsText = (ctx: FlowContext, reasons: string[]) => {
  const t = ctx.t(s);
  const known = reasons.filter((r): r is Reason => `reason.${r}` in s.en);
  // Each reason is a clause ending in a full stop; several read as one sentence.
  return `${listOf(
    known.map((r) => t(`reason.${r}`).replace(/\.$/, '')),
    ctx.lang,
  )}.`;
};

/**
 * The first day every failing rule with a known end has passed. The port gives rule ids, not dates:
 * the account's first statement stands in for its opening day, and late fees carry their own date.
 * Rules without a date we can see (a past-due balance, an earlier change or decline) give none.
 */
async function eligibleAgainOn(ctx: FlowContext, cardId: string, reasons: string[]): Promise<string | null> {
  const port = ctx.accounts.port;
  const days: string[] = [];
  if (reasons.includes('account_too_new')) {
    const statements = await port.listStatements(ctx.accounts.caller, cardId);
    const opened = statements.map((st) => st.periodStart).sort()[0];
    if (!opened) return null;
    days.push(addMonths(opened, CLI_MIN_ACCOUNT_AGE_MONTHS));
  }
  if (reasons.includes('recent_late_payment')) {
    const fees = await port.listFees(ctx.accounts.caller, cardId);
    const latest = fees
      .filter((f) => f.kind === 'late')
      .map((f) => f.assessedOn)
      .sort()
      .at(-1);
    if (!latest) return null;
    days.push(addMonths(latest, CLI_LATE_FEE_LOOKBACK_MONTHS));
  }
  const undated = reasons.filter((r) => r !== 'account_too_new' && r !== 'recent_late_payment');
  if (undated.length || !days.length) return null;
  return days.sort().at(-1)!;
}

const increase: Flow = {
  intent: 'credit.limit_increase',
  init(ctx): Slots {
    const amount = ctx.entities.find((e) => e.type === 'amount')?.value;
    return typeof amount === 'number' ? { requested: amount } : {};
  },
  async step(ctx, slots) {
    const t = ctx.t(s);
    const picked = await pickCard(ctx, slots, { prompt: t('pick_card'), whenSeveral: 'ask', filter: primaryCard });
    if ('step' in picked) return picked.step;
    const card = picked.card;
    const requested = typeof slots.requested === 'number' ? slots.requested : null;
    const income = typeof slots.income === 'number' ? slots.income : null;
    // Confirmed: decide on what was confirmed. After an approval the account is no longer eligible (a
    // recent increase), so a retried turn must not check again; the idempotency key returns the first decision.
    if (slots.confirmed === true && requested !== null && income !== null) {
      const decision = await ctx.accounts.act<CreditLimitDecision>('requestCreditLimitIncrease', {
        cardId: card.id,
        requestedLimitCents: requested,
        annualIncomeCents: income,
      });
      return decided(ctx, decision, requested);
    }
    const label = cardLabel(card, ctx.lang);
    const port = ctx.accounts.port;
    const [eligibility, info] = await Promise.all([
      port.checkCreditLimitIncrease(ctx.accounts.caller, card.id),
      port.getCreditLimit(ctx.accounts.caller, card.id),
    ]);
    if (!eligibility.eligible || eligibility.maxNewLimitCents === null) {
      const again = await eligibleAgainOn(ctx, card.id, eligibility.reasons);
      const text = [t('cli.not_eligible', { card: label, reasons: reasonsText(ctx, eligibility.reasons) })];
      if (again) text.push(t('cli.again_on', { date: day(again, ctx.lang) }));
      return say({ text: text.join(' '), quickReplies: [ctx.t(common)('qr.agent')] });
    }
    const current = info.creditLimitCents;
    const max = eligibility.maxNewLimitCents;
    const facts = { limit: money(current, ctx.lang), max: money(max, ctx.lang) };
    const person = {
      team: 'credit' as const,
      reason: 'credit.limit_increase',
      summary: `Eligible for a limit increase (current ${money(current, 'en')}, up to ${money(max, 'en')}) but the amounts given could not be used.`,
    };
    const askRequested = ask('requested', 'amount', t('cli.requested', facts));
    if (requested === null) return askRequested;
    if (requested <= current) return reask(ctx, slots, 'requested', t('cli.not_higher', facts), askRequested, person);
    if (requested > max) return reask(ctx, slots, 'requested', t('cli.above_max', facts), askRequested, person);
    const askIncome = ask('income', 'amount', t('cli.income'));
    if (income === null) return askIncome;
    if (income <= 0) return reask(ctx, slots, 'income', t('cli.income_zero'), askIncome, person);
    return confirm(
      t('cli.confirm', {
        card: label,
        limit: facts.limit,
        requested: money(requested, ctx.lang),
        income: money(income, ctx.lang),
      }),
    );
  },
};

function decided(ctx: FlowContext, d: CreditLimitDecision, requested: number): Step {
  const t = ctx.t(s);
  const record = {
    intent: 'credit.limit_increase' as const,
    description:
      d.decision === 'approved'
        ? `Credit limit increase approved: ${money(d.previousLimitCents, 'en')} to ${money(d.newLimitCents, 'en')} (asked ${money(requested, 'en')})`
        : `Credit limit increase declined (${d.reasons.join(', ')})`,
  };
  if (d.decision === 'declined') {
    return done(
      [
        {
          text: t('cli.declined', {
            reasons: reasonsText(ctx, d.reasons),
            limit: money(d.previousLimitCents, ctx.lang),
          }),
          quickReplies: [ctx.t(common)('qr.agent')],
        },
      ],
      { record },
    );
  }
  const text = [
    t('cli.approved', { new: money(d.newLimitCents, ctx.lang), previous: money(d.previousLimitCents, ctx.lang) }),
  ];
  if (d.newLimitCents < requested) {
    text.push(t('cli.approved_less', { requested: money(requested, ctx.lang), reasons: reasonsText(ctx, d.reasons) }));
  }
  return done([text.join(' ')], { record });
}

// ------------------------------------------------------------------ credit.apr

const apr: Flow = {
  intent: 'credit.apr',
  async step(ctx, slots) {
    const t = ctx.t(s);
    const picked = await pickCard(ctx, slots, { prompt: t('pick_card'), whenSeveral: 'chat' });
    if ('step' in picked) return picked.step;
    const label = cardLabel(picked.card, ctx.lang);
    const d = await ctx.accounts.port.getAprDisclosures(ctx.accounts.caller, picked.card.id);
    if (d.purchaseAprBps === 0) return say(t('apr.charge_card', { card: label }));
    const text = [
      t('apr.rates', {
        card: label,
        purchase: percent(d.purchaseAprBps, ctx.lang),
        cash: percent(d.cashAdvanceAprBps, ctx.lang),
        transfer: percent(d.balanceTransferAprBps, ctx.lang),
        prime: percent(d.primeRateBps, ctx.lang),
      }),
    ];
    if (d.penaltyAprBps > 0) text.push(t('apr.penalty', { penalty: percent(d.penaltyAprBps, ctx.lang) }));
    return say(text.join(' '));
  },
};

// ------------------------------------------------------------------ credit.product

const APPLY =
  /\b(apply|application|new card|another card|second card|solicitar una|solicitud|nueva tarjeta|otra tarjeta)\b/;

/** "platinum" of "Meridian Platinum Card": the word a cardmember would use for a product. */
const distinctive = (name: string) =>
  fold(name)
    .replace(/\b(meridian|card|tarjeta)\b/g, '')
    .trim();

const product: Flow = {
  intent: 'credit.product',
  init: (ctx) => ({ __first: ctx.text }),
  async step(ctx, slots) {
    const t = ctx.t(s);
    const first = firstText(slots);
    const picked = await pickCard(ctx, slots, { prompt: t('pick_card'), whenSeveral: 'chat' });
    if ('step' in picked) return picked.step;
    const card = picked.card;
    if (first && APPLY.test(fold(first))) slots.target = 'apply';
    const info = await ctx.accounts.port.getProductChangeInfo(ctx.accounts.caller, card.id);
    if (first && !slots.target) {
      const named = info.options.filter((o) => o.eligible && fold(first).includes(distinctive(o.product.name)));
      if (named.length === 1) slots.target = named[0]!.product.id;
    }
    if (slots.target === 'apply') {
      return handoff([t('product.apply')], {
        team: 'credit',
        reason: 'credit.product',
        summary: `Wants to apply for a new card (holds the ${card.product.name} ending ${card.last4}).`,
      });
    }
    if (slots.target === 'none') return say(t('product.nothing'));
    const target = info.options.find((o) => o.product.id === slots.target);
    if (target) {
      return handoff([t('product.handoff')], {
        team: 'credit',
        reason: 'credit.product',
        summary: `Wants a product change (${target.change}) from the ${info.current.name} to the ${target.product.name} on the card ending ${card.last4}. ${target.note}`,
      });
    }
    return productChoice(ctx, info, cardLabel(card, ctx.lang));
  },
};

function productChoice(ctx: FlowContext, info: ProductChangeInfo, label: string): Step {
  const t = ctx.t(s);
  const extra: Option[] = [
    { label: t('product.opt.apply'), value: 'apply', aliases: ['apply', 'solicitar'] },
    { label: t('product.opt.none'), value: 'none', aliases: ['no', 'nothing', 'nada', 'no thanks', 'no gracias'] },
  ];
  if (!info.options.length) return choose('target', t('product.none', { card: label }), extra);
  const lines = info.options.map((o) => {
    // The core's note explains the fee difference and any missing condition, in English.
    if (ctx.lang === 'en') return `• ${o.product.name}: ${o.note}`;
    const line = t('product.line', { name: o.product.name, fee: money(o.product.annualFeeCents, ctx.lang) });
    return o.eligible ? `• ${line}` : `• ${line} ${t('product.unavailable')}`;
  });
  const prompt = `${t('product.list', { current: info.current.name, fee: money(info.current.annualFeeCents, ctx.lang) })}\n${lines.join('\n')}`;
  const options: Option[] = info.options
    .filter((o) => o.eligible)
    .map((o) => ({
      label: t(`product.opt.${o.change}`, { name: o.product.name }),
      value: o.product.id,
      aliases: [o.product.name],
    }));
  return choose('target', prompt, [...options, ...extra]);
}

export const creditFlows: Flow[] = [limit, increase, apr, product];
