/**
 * payment.make: pay toward a card from the bank account on file. The amount is picked from what is
 * owed (minimum, statement balance, current balance) or typed; the date defaults to today. Always
 * confirmed before `schedulePayment`, whose idempotency key carries the amount and date, so a retried
 * turn pays once and a corrected amount is a new request.
 */
import type { Table } from '@carechat/protocol';
import type { BillingSummary, Payment, Statement } from '../../accounts/accounts.port.js';
import { addDays } from '../../accounts/rules/dates.js';
import { fold } from '../dialogue/slots.js';
import {
  ask,
  choose,
  confirm,
  day,
  done,
  money,
  type Flow,
  type FlowContext,
  type Option,
  type Slots,
  type Step,
} from '../dialogue/flow.js';
import { cardLabel, pickCard, ruleOf } from './shared.js';

type Key =
  | 'which_card'
  | 'ask_amount'
  | 'ask_amount.scheduled'
  | 'ask_other'
  | 'amount.zero'
  | 'amount.covered'
  | 'amount.too_much'
  | 'opt.minimum'
  | 'opt.statement'
  | 'opt.current'
  | 'opt.other'
  | 'ask_date'
  | 'date.past'
  | 'date.too_far'
  | 'when.today'
  | 'when.on'
  | 'bank.on_file'
  | 'bank.ending'
  | 'confirm'
  | 'done.processing'
  | 'done.scheduled';

const s: Table<Key> = {
  en: {
    which_card: 'Which card would you like to pay?',
    ask_amount: 'How much would you like to pay toward your {card}?',
    'ask_amount.scheduled': 'You already have {amount} scheduled for {date}. How much would you like to pay now?',
    ask_other: 'How much would you like to pay? For example, "$150".',
    'amount.zero': 'The amount must be more than $0.',
    'amount.covered': 'The payments you already made or scheduled cover that.',
    'amount.too_much': "That's more than a payment toward your balance can be; please choose a smaller amount.",
    'opt.minimum': 'Minimum due ({amount})',
    'opt.statement': 'Statement balance ({amount})',
    'opt.current': 'Current balance ({amount})',
    'opt.other': 'Another amount',
    ask_date: 'On which day should the payment go out? Any day from today to {last} works.',
    'date.past': 'That date has already passed.',
    'date.too_far': 'Payments can be scheduled up to 60 days ahead, until {last}.',
    'when.today': 'today',
    'when.on': 'on {date}',
    'bank.on_file': 'the bank account on file',
    'bank.ending': 'your bank account ending in {last4}',
    confirm: 'To confirm: pay {amount} toward your {card} from {bank}, {when}. Shall I go ahead?',
    'done.processing':
      'Done: your payment of {amount} from {bank} is processing today. Confirmation number: {ref}. It usually posts within 1–2 business days.',
    'done.scheduled': 'Done: your payment of {amount} from {bank} is scheduled for {date}. Confirmation number: {ref}.',
  },
  es: {
    which_card: '¿Qué tarjeta desea pagar?',
    ask_amount: '¿Cuánto desea pagar a su {card}?',
    'ask_amount.scheduled': 'Ya tiene un pago de {amount} programado para el {date}. ¿Cuánto desea pagar ahora?',
    ask_other: '¿Cuánto desea pagar? Por ejemplo, "150 dólares".',
    'amount.zero': 'El monto debe ser mayor que $0.',
    'amount.covered': 'Los pagos que ya hizo o programó cubren eso.',
    'amount.too_much': 'Ese monto es mayor de lo que se puede pagar sobre su saldo; elija un monto menor, por favor.',
    'opt.minimum': 'Pago mínimo ({amount})',
    'opt.statement': 'Saldo del estado de cuenta ({amount})',
    'opt.current': 'Saldo actual ({amount})',
    'opt.other': 'Otro monto',
    ask_date: '¿Qué día debe salir el pago? Puede ser cualquier día desde hoy hasta el {last}.',
    'date.past': 'Esa fecha ya pasó.',
    'date.too_far': 'Los pagos se pueden programar hasta con 60 días de anticipación, hasta el {last}.',
    'when.today': 'hoy',
    'when.on': 'el {date}',
    'bank.on_file': 'la cuenta bancaria registrada',
    'bank.ending': 'su cuenta bancaria terminada en {last4}',
    confirm: 'Para confirmar: pagar {amount} a su {card} desde {bank}, {when}. ¿Procedo?',
    'done.processing':
      'Listo: su pago de {amount} desde {bank} se está procesando hoy. Número de confirmación: {ref}. Suele acreditarse en 1 o 2 días hábiles.',
    'done.scheduled':
      'Listo: su pago de {amount} desde {bank} quedó programado para el {date}. Número de confirmación: {ref}.',
  },
};

/** How far ahead the issuer's scheduler books payments (billing rules: `payment_date_out_of_range`). */
const MAX_DAYS_AHEAD = 60;

/** What is owed, as offered; `other` asks for an amount. */
type Owed = 'minimum' | 'statement' | 'current';
type Choice = Owed | 'other';

/** Words in a first message that already say how much: "pay the minimum", "pagar el saldo total". */
const CHOICE_WORDS: Array<[Choice, RegExp]> = [
  ['minimum', /\b(minimum|minimo)\b/],
  ['statement', /\b(statement balance|statement|estado de cuenta)\b/],
  [
    'current',
    /\b(current balance|full balance|whole balance|entire balance|in full|saldo actual|saldo total|todo el saldo)\b/,
  ],
];

/**
 * What is still owed after the money already on its way since the statement closed (posted,
 * processing and scheduled payments), so the options never suggest paying twice.
 */
function owed(summary: BillingSummary, latest: Statement | undefined, payments: Payment[]): Record<Owed, number> {
  const since = latest?.closingDate ?? '';
  const sent = payments
    .filter((p) => p.status !== 'returned' && p.scheduledFor > since)
    .reduce((sum, p) => sum + p.amountCents, 0);
  return {
    minimum: latest ? Math.max(0, summary.minimumDueCents - sent) : 0,
    statement: latest ? Math.max(0, summary.statementBalanceCents - sent) : 0,
    current: Math.max(0, summary.currentBalanceCents),
  };
}

function amountStep(
  ctx: FlowContext,
  cardName: string,
  due: Record<Owed, number>,
  next: Payment | undefined,
  note?: string,
): Step {
  const t = ctx.t(s);
  const options: Option[] = [];
  const add = (value: Owed, key: `opt.${Owed}`, aliases: string[]) => {
    const cents = due[value];
    if (cents > 0) options.push({ label: t(key, { amount: money(cents, ctx.lang) }), value, aliases });
  };
  add('minimum', 'opt.minimum', ['minimum', 'the minimum', 'minimo', 'el minimo', 'pago minimo']);
  add('statement', 'opt.statement', [
    'statement balance',
    'statement',
    'saldo del estado de cuenta',
    'estado de cuenta',
  ]);
  // Only worth offering when it differs from the statement balance.
  if (due.current !== due.statement)
    add('current', 'opt.current', ['current balance', 'full balance', 'saldo actual', 'saldo total']);
  options.push({
    label: t('opt.other'),
    value: 'other',
    aliases: ['other', 'other amount', 'another', 'otro', 'otra cantidad'],
  });
  const question = next
    ? t('ask_amount.scheduled', { amount: money(next.amountCents, ctx.lang), date: day(next.scheduledFor, ctx.lang) })
    : t('ask_amount', { card: cardName });
  return choose('pay', note ? `${note} ${question}` : question, options);
}

/** Forgets the amount (and the confirmation given for it) so it is asked again. */
function forgetAmount(slots: Slots): void {
  delete slots.pay;
  delete slots.amount;
  delete slots.confirmed;
}

export const makePaymentFlow: Flow = {
  intent: 'payment.make',
  init(ctx) {
    const slots: Slots = {};
    const amount = ctx.entities.find((e) => e.type === 'amount')?.value;
    const date = ctx.entities.find((e) => e.type === 'date')?.value;
    if (typeof amount === 'number') slots.amount = amount;
    else {
      const text = fold(ctx.text);
      const choice = CHOICE_WORDS.find(([, re]) => re.test(text))?.[0];
      if (choice) slots.pay = choice;
    }
    if (typeof date === 'string') slots.date = date;
    return slots;
  },
  async step(ctx, slots) {
    const t = ctx.t(s);
    const { port, caller } = ctx.accounts;
    const picked = await pickCard(ctx, slots, { whenSeveral: 'ask', prompt: t('which_card') });
    if ('step' in picked) return picked.step;
    const card = picked.card;
    const cardName = cardLabel(card, ctx.lang);
    const [summary, payments, statements] = await Promise.all([
      port.getBillingSummary(caller, card.id),
      port.listPayments(caller, card.id),
      port.listStatements(caller, card.id),
    ]);
    const due = owed(summary, statements[0], payments);
    const next = payments
      .filter((p) => p.status === 'scheduled')
      .sort((a, b) => (a.scheduledFor < b.scheduledFor ? -1 : 1))[0];

    // A date given along with an answer ("$50 on Friday") counts as well as one in the first message.
    const dateSaid = ctx.entities.find((e) => e.type === 'date')?.value;
    if (slots.date === undefined && typeof dateSaid === 'string') slots.date = dateSaid;

    // 1. The amount: a choice of what is owed, or a typed amount.
    if (typeof slots.amount !== 'number') {
      if (slots.pay === undefined) return amountStep(ctx, cardName, due, next);
      if (slots.pay === 'other') return ask('amount', 'amount', t('ask_other'));
      const cents = due[slots.pay as Owed] ?? 0;
      if (cents <= 0) {
        forgetAmount(slots);
        return amountStep(ctx, cardName, due, next, t('amount.covered'));
      }
      slots.amount = cents;
    }
    if ((slots.amount as number) <= 0) {
      forgetAmount(slots);
      return amountStep(ctx, cardName, due, next, t('amount.zero'));
    }
    const amountCents = slots.amount as number;

    // 2. The date: today unless they said otherwise; only what the scheduler accepts.
    const last = addDays(ctx.today, MAX_DAYS_AHEAD);
    if (typeof slots.date !== 'string') slots.date = ctx.today;
    const date = slots.date as string;
    if (date < ctx.today || date > last) {
      delete slots.date;
      delete slots.confirmed;
      const why = date < ctx.today ? t('date.past') : t('date.too_far', { last: day(last, ctx.lang) });
      return ask('date', 'date', `${why} ${t('ask_date', { last: day(last, ctx.lang) })}`);
    }

    // 3. Confirm, stating exactly what will happen.
    const bankLast4 = payments[0]?.fromBankLast4;
    const bank = bankLast4 ? t('bank.ending', { last4: bankLast4 }) : t('bank.on_file');
    const amount = money(amountCents, ctx.lang);
    if (slots.confirmed !== true) {
      const when = date === ctx.today ? t('when.today') : t('when.on', { date: day(date, ctx.lang) });
      return confirm(t('confirm', { amount, card: cardName, bank, when }));
    }

    // 4. Pay.
    let payment: Payment;
    try {
      payment = await ctx.accounts.act<Payment>(
        'schedulePayment',
        { cardId: card.id, amountCents, date },
        `${amountCents}:${date}`,
      );
    } catch (err) {
      if (ruleOf(err) !== 'amount_exceeds_balance') throw err;
      forgetAmount(slots);
      return amountStep(ctx, cardName, due, next, t('amount.too_much'));
    }
    const text =
      payment.status === 'scheduled'
        ? t('done.scheduled', { amount, bank, date: day(payment.scheduledFor, ctx.lang), ref: payment.id })
        : t('done.processing', { amount, bank, ref: payment.id });
    return done([text], {
      record: {
        intent: 'payment.make',
        description: `Scheduled a payment of ${money(amountCents, 'en')} for ${payment.scheduledFor} toward card ending ${card.last4}`,
        reference: payment.id,
      },
    });
  },
};
