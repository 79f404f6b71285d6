/**
 * Flows of the assistant: billing (see dialogue/flow.ts for how a flow is written). The questions
 * (due date, minimum, balance, payment posting, foreign fees, recent transactions) live here; the
 * flows that change an account have their own modules: billing.payment.ts, billing.due-date.ts,
 * billing.late-fee.ts. Questions read the card the chat was opened from unless another is named.
 */
import type { Table } from '@carechat/protocol';
import type { BillingSummary, CardSummary, Payment, Transaction } from '../../accounts/accounts.port.js';
import { addDays } from '../../accounts/rules/dates.js';
import { common } from '../dialogue/common.strings.js';
import { day, done, money, type Flow, type FlowContext, type Slots, type Step } from '../dialogue/flow.js';
import { changeDueDateFlow } from './billing.due-date.js';
import { lateFeeFlow } from './billing.late-fee.js';
import { makePaymentFlow } from './billing.payment.js';
import { cardLabel, pickCard } from './shared.js';

type Key =
  | 'which_card'
  | 'due.next'
  | 'due.none'
  | 'due.past'
  | 'due.covered'
  | 'scheduled'
  | 'min.amount'
  | 'min.partly_paid'
  | 'min.covered'
  | 'min.interest'
  | 'min.past'
  | 'balance'
  | 'balance.no_statement'
  | 'posting.none'
  | 'posting.header'
  | 'posting.posted'
  | 'posting.processing'
  | 'posting.scheduled'
  | 'posting.returned'
  | 'posting.help.processing'
  | 'posting.help.returned'
  | 'posting.help.missing'
  | 'foreign.fees'
  | 'foreign.no_fees'
  | 'foreign.none'
  | 'tx.header'
  | 'tx.header.merchant'
  | 'tx.none'
  | 'tx.none.merchant'
  | 'tx.pending'
  | 'qr.pay'
  | 'qr.change_due'
  | 'qr.posting';

const s: Table<Key> = {
  en: {
    which_card: 'Which card would you like me to check?',
    'due.next':
      'Your next payment on your {card} is due on {due}: the minimum is {min} and your statement balance is {stmt}.',
    'due.none': 'Nothing is due yet on your {card}: no statement has closed, and your first due date is {due}.',
    'due.past':
      'The payment on your {card} was due on {due} and {left} of the minimum is still unpaid. Paying it as soon as you can keeps further fees away.',
    'due.covered': 'Your payments since the statement already cover the minimum.',
    scheduled: 'You also have {amount} scheduled for {date}.',
    'min.amount': 'The minimum payment on your {card} is {min}, due on {due}.',
    'min.partly_paid': "You've paid part of it since the statement: {left} is left.",
    'min.covered': 'Your payments since the statement already cover it.',
    'min.interest':
      'Paying only the minimum means interest on the rest; paying the statement balance of {stmt} avoids it.',
    'min.past':
      'The minimum on your {card} was due on {due} and {left} of it is still unpaid: please pay it as soon as you can.',
    balance:
      'On your {card}, your statement balance is {stmt}, due on {due}: paying that in full avoids interest. Your current balance is {cur}; it also counts charges and payments since the statement closed on {closing}.',
    'balance.no_statement':
      'Your {card} has a current balance of {cur}. No statement has closed yet, so nothing is due. Available credit: {avail}.',
    'posting.none': "I don't see any payments on your {card} yet.",
    'posting.header': 'Your latest payments on your {card}:',
    'posting.posted': '{amount} on {date}: posted',
    'posting.processing': '{amount} on {date}: processing',
    'posting.scheduled': '{amount}: scheduled for {date}',
    'posting.returned': '{amount} on {date}: returned by your bank',
    'posting.help.processing':
      'Payments usually post within 1–2 business days; your available credit goes up when they do.',
    'posting.help.returned':
      "Your bank returned a payment, so it didn't count: please pay again, from another account if needed.",
    'posting.help.missing':
      "If you paid and don't see it here: online payments from another bank take up to 3 business days and mailed checks up to 7. If it's been longer, an agent can trace it.",
    'foreign.fees':
      'Your {card} was charged {total} in foreign transaction fees in the last 12 months; the latest was {last} on {date}.',
    'foreign.no_fees':
      'No foreign transaction fees were charged on your {card} in the last 12 months, including on your recent purchases with merchants abroad.',
    'foreign.none':
      "Your {card} hasn't been charged any foreign transaction fee in the last 12 months, and I don't see purchases abroad recently. Any fee would show on your statement as its own line.",
    'tx.header': 'Your latest transactions on your {card}:',
    'tx.header.merchant': 'Your latest transactions at {merchant} on your {card}:',
    'tx.none': "I don't see any transactions on your {card} yet.",
    'tx.none.merchant': "I don't see any transactions at {merchant} on your {card}.",
    'tx.pending': '(pending)',
    'qr.pay': 'Make a payment',
    'qr.change_due': 'Change my due date',
    'qr.posting': 'Has my payment posted?',
  },
  es: {
    which_card: '¿Qué tarjeta desea que revise?',
    'due.next':
      'Su próximo pago de la {card} vence el {due}: el mínimo es {min} y el saldo del estado de cuenta es {stmt}.',
    'due.none':
      'Todavía no hay nada que pagar en su {card}: aún no ha cerrado ningún estado de cuenta y su primera fecha de pago es el {due}.',
    'due.past':
      'El pago de su {card} venció el {due} y aún quedan {left} del mínimo sin pagar. Pagarlo cuanto antes evita más cargos.',
    'due.covered': 'Sus pagos desde el estado de cuenta ya cubren el mínimo.',
    scheduled: 'Además, tiene un pago de {amount} programado para el {date}.',
    'min.amount': 'El pago mínimo de su {card} es {min} y vence el {due}.',
    'min.partly_paid': 'Ya pagó una parte desde el estado de cuenta: quedan {left}.',
    'min.covered': 'Sus pagos desde el estado de cuenta ya lo cubren.',
    'min.interest':
      'Si paga solo el mínimo, se cobran intereses sobre el resto; pagar el saldo del estado de cuenta de {stmt} los evita.',
    'min.past':
      'El mínimo de su {card} venció el {due} y aún quedan {left} sin pagar: páguelo cuanto antes, por favor.',
    balance:
      'En su {card}, el saldo del estado de cuenta es {stmt} y vence el {due}: pagarlo completo evita intereses. Su saldo actual es {cur}; incluye también los cargos y pagos posteriores al cierre del {closing}.',
    'balance.no_statement':
      'Su {card} tiene un saldo actual de {cur}. Aún no ha cerrado ningún estado de cuenta, así que no hay nada que pagar. Crédito disponible: {avail}.',
    'posting.none': 'Todavía no veo pagos en su {card}.',
    'posting.header': 'Sus últimos pagos de la {card}:',
    'posting.posted': '{amount} el {date}: acreditado',
    'posting.processing': '{amount} el {date}: en proceso',
    'posting.scheduled': '{amount}: programado para el {date}',
    'posting.returned': '{amount} el {date}: devuelto por su banco',
    'posting.help.processing':
      'Los pagos suelen acreditarse en 1 o 2 días hábiles; su crédito disponible aumenta en ese momento.',
    'posting.help.returned':
      'Su banco devolvió un pago, así que no se aplicó: por favor, pague de nuevo, desde otra cuenta si es necesario.',
    'posting.help.missing':
      'Si pagó y no lo ve aquí: los pagos en línea desde otro banco tardan hasta 3 días hábiles y los cheques por correo hasta 7. Si ha pasado más tiempo, un agente puede rastrearlo.',
    'foreign.fees':
      'A su {card} se le cobraron {total} en comisiones por transacciones en el extranjero en los últimos 12 meses; la última fue de {last} el {date}.',
    'foreign.no_fees':
      'No se cobraron comisiones por transacciones en el extranjero en su {card} en los últimos 12 meses, tampoco en sus compras recientes con comercios del extranjero.',
    'foreign.none':
      'A su {card} no se le ha cobrado ninguna comisión por transacciones en el extranjero en los últimos 12 meses, y no veo compras en el extranjero recientes. Cualquier comisión aparecería en su estado de cuenta como una línea aparte.',
    'tx.header': 'Sus últimas transacciones de la {card}:',
    'tx.header.merchant': 'Sus últimas transacciones en {merchant} con su {card}:',
    'tx.none': 'Todavía no veo transacciones en su {card}.',
    'tx.none.merchant': 'No veo transacciones en {merchant} con su {card}.',
    'tx.pending': '(pendiente)',
    'qr.pay': 'Hacer un pago',
    'qr.change_due': 'Cambiar mi fecha de pago',
    'qr.posting': '¿Ya se acreditó mi pago?',
  },
};

/** How many transactions and payments fit in a chat bubble. */
const SHOWN = 5;
const PAYMENTS_SHOWN = 3;

/** The card a question is about: one named by its last 4, else the chat's card. */
const questionCard = (ctx: FlowContext, slots: Slots) =>
  pickCard(ctx, slots, { whenSeveral: 'chat', prompt: ctx.t(s)('which_card') });

/** Reads the card's billing summary, or returns the question to ask first. */
async function withSummary(
  ctx: FlowContext,
  slots: Slots,
  answer: (card: CardSummary, summary: BillingSummary) => Promise<Step>,
): Promise<Step> {
  const picked = await questionCard(ctx, slots);
  if ('step' in picked) return picked.step;
  const summary = await ctx.accounts.port.getBillingSummary(ctx.accounts.caller, picked.card.id);
  return answer(picked.card, summary);
}

/** "You also have $50.00 scheduled for December 1." for the earliest payment still to be sent. */
async function scheduledNote(ctx: FlowContext, card: CardSummary): Promise<string | null> {
  const payments = await ctx.accounts.port.listPayments(ctx.accounts.caller, card.id);
  const next = payments
    .filter((p) => p.status === 'scheduled')
    .sort((a, b) => (a.scheduledFor < b.scheduledFor ? -1 : 1))[0];
  return next
    ? ctx.t(s)('scheduled', { amount: money(next.amountCents, ctx.lang), date: day(next.scheduledFor, ctx.lang) })
    : null;
}

const sentence = (...parts: Array<string | null>) => parts.filter(Boolean).join(' ');

// ------------------------------------------------------------------ payment.due_date

const dueDate: Flow = {
  intent: 'payment.due_date',
  step: (ctx, slots) =>
    withSummary(ctx, slots, async (card, b) => {
      const t = ctx.t(s);
      const p = { card: cardLabel(card, ctx.lang), due: day(b.dueDate, ctx.lang) };
      const quickReplies = [t('qr.pay'), t('qr.change_due')];
      if (b.pastDue) {
        const left = money(b.remainingMinimumDueCents, ctx.lang);
        return done([{ text: t('due.past', { ...p, left }), quickReplies: [t('qr.pay')] }]);
      }
      if (b.statementBalanceCents <= 0 && b.minimumDueCents <= 0)
        return done([{ text: t('due.none', p), quickReplies }]);
      const text = sentence(
        t('due.next', {
          ...p,
          min: money(b.minimumDueCents, ctx.lang),
          stmt: money(b.statementBalanceCents, ctx.lang),
        }),
        b.minimumDueCents > 0 && b.remainingMinimumDueCents === 0 ? t('due.covered') : null,
        await scheduledNote(ctx, card),
      );
      return done([{ text, quickReplies }]);
    }),
};

// ------------------------------------------------------------------ payment.minimum

const minimum: Flow = {
  intent: 'payment.minimum',
  step: (ctx, slots) =>
    withSummary(ctx, slots, async (card, b) => {
      const t = ctx.t(s);
      const p = { card: cardLabel(card, ctx.lang), due: day(b.dueDate, ctx.lang) };
      const left = money(b.remainingMinimumDueCents, ctx.lang);
      if (b.pastDue) return done([{ text: t('min.past', { ...p, left }), quickReplies: [t('qr.pay')] }]);
      if (b.statementBalanceCents <= 0 && b.minimumDueCents <= 0) return done([t('due.none', p)]);
      const paidPart =
        b.remainingMinimumDueCents === 0
          ? t('min.covered')
          : b.remainingMinimumDueCents < b.minimumDueCents
            ? t('min.partly_paid', { left })
            : null;
      const text = sentence(
        t('min.amount', { ...p, min: money(b.minimumDueCents, ctx.lang) }),
        paidPart,
        b.statementBalanceCents > b.minimumDueCents
          ? t('min.interest', { stmt: money(b.statementBalanceCents, ctx.lang) })
          : null,
      );
      return done([{ text, quickReplies: [t('qr.pay')] }]);
    }),
};

// ------------------------------------------------------------------ payment.balance

const balance: Flow = {
  intent: 'payment.balance',
  step: (ctx, slots) =>
    withSummary(ctx, slots, async (card, b) => {
      const t = ctx.t(s);
      const p = {
        card: cardLabel(card, ctx.lang),
        cur: money(b.currentBalanceCents, ctx.lang),
        avail: money(b.availableCreditCents, ctx.lang),
      };
      const [latest] = await ctx.accounts.port.listStatements(ctx.accounts.caller, card.id);
      if (!latest) return done([{ text: t('balance.no_statement', p), quickReplies: [t('qr.pay')] }]);
      const text = sentence(
        t('balance', {
          ...p,
          stmt: money(b.statementBalanceCents, ctx.lang),
          due: day(b.dueDate, ctx.lang),
          closing: day(latest.closingDate, ctx.lang),
        }),
        await scheduledNote(ctx, card),
      );
      return done([{ text, quickReplies: [t('qr.pay'), t('qr.posting')] }]);
    }),
};

// ------------------------------------------------------------------ payment.posting

function paymentLine(ctx: FlowContext, p: Payment): string {
  const t = ctx.t(s);
  const amount = money(p.amountCents, ctx.lang);
  switch (p.status) {
    case 'posted':
      return t('posting.posted', { amount, date: day(p.postedOn ?? p.scheduledFor, ctx.lang) });
    case 'processing':
      return t('posting.processing', { amount, date: day(p.scheduledFor, ctx.lang) });
    case 'scheduled':
      return t('posting.scheduled', { amount, date: day(p.scheduledFor, ctx.lang) });
    case 'returned':
      return t('posting.returned', { amount, date: day(p.scheduledFor, ctx.lang) });
  }
}

const posting: Flow = {
  intent: 'payment.posting',
  async step(ctx, slots) {
    const t = ctx.t(s);
    const picked = await questionCard(ctx, slots);
    if ('step' in picked) return picked.step;
    const card = picked.card;
    const label = cardLabel(card, ctx.lang);
    const payments = await ctx.accounts.port.listPayments(ctx.accounts.caller, card.id);
    const agent = ctx.t(common)('qr.agent');
    if (payments.length === 0) {
      return done([
        {
          text: sentence(t('posting.none', { card: label }), t('posting.help.missing')),
          quickReplies: [t('qr.pay'), agent],
        },
      ]);
    }
    const shown = payments.slice(0, PAYMENTS_SHOWN);
    const list = [t('posting.header', { card: label }), ...shown.map((p) => `• ${paymentLine(ctx, p)}`)].join('\n');
    const help = shown.some((p) => p.status === 'returned')
      ? t('posting.help.returned')
      : shown.some((p) => p.status === 'processing')
        ? t('posting.help.processing')
        : t('posting.help.missing');
    return done([list, { text: help, quickReplies: [t('qr.pay'), agent] }]);
  },
};

// ------------------------------------------------------------------ fee.foreign

/** Fees are looked back on for a year; purchases abroad for a quarter (a chat answer, not a statement). */
const FEES_LOOKBACK_DAYS = 365;
const FOREIGN_LOOKBACK_DAYS = 90;
const LIST_LIMIT = 200;

/**
 * The port has no product field for the foreign transaction fee rate, so the answer is what the
 * account itself shows: fees charged for purchases abroad, or purchases abroad that carried none.
 */
const foreignFee: Flow = {
  intent: 'fee.foreign',
  async step(ctx, slots) {
    const t = ctx.t(s);
    const picked = await questionCard(ctx, slots);
    if ('step' in picked) return picked.step;
    const card = picked.card;
    const label = cardLabel(card, ctx.lang);
    const since = addDays(ctx.today, -FEES_LOOKBACK_DAYS);
    const fees = (await ctx.accounts.port.listFees(ctx.accounts.caller, card.id)).filter(
      (f) => f.kind === 'foreign_transaction' && f.reversedOn === null && f.assessedOn >= since,
    );
    if (fees.length > 0) {
      const latest = fees.reduce((a, b) => (b.assessedOn > a.assessedOn ? b : a));
      const total = fees.reduce((sum, f) => sum + f.amountCents, 0);
      return done([
        t('foreign.fees', {
          card: label,
          total: money(total, ctx.lang),
          last: money(latest.amountCents, ctx.lang),
          date: day(latest.assessedOn, ctx.lang),
        }),
      ]);
    }
    const abroad = (
      await ctx.accounts.port.listTransactions(ctx.accounts.caller, {
        cardId: card.id,
        from: addDays(ctx.today, -FOREIGN_LOOKBACK_DAYS),
        limit: LIST_LIMIT,
      })
    ).filter((x) => x.foreign && x.amount.amountCents > 0);
    return done([abroad.length > 0 ? t('foreign.no_fees', { card: label }) : t('foreign.none', { card: label })]);
  },
};

// ------------------------------------------------------------------ transactions.recent

function transactionLine(ctx: FlowContext, x: Transaction): string {
  const parts = [x.merchant, money(x.amount.amountCents, ctx.lang), day(x.date, ctx.lang)];
  return `• ${parts.join(' — ')}${x.status === 'pending' ? ` ${ctx.t(s)('tx.pending')}` : ''}`;
}

const recentTransactions: Flow = {
  intent: 'transactions.recent',
  init(ctx): Slots {
    const merchant = ctx.entities.find((e) => e.type === 'merchant')?.value;
    return typeof merchant === 'string' ? { merchant } : {};
  },
  async step(ctx, slots) {
    const t = ctx.t(s);
    const picked = await questionCard(ctx, slots);
    if ('step' in picked) return picked.step;
    const card = picked.card;
    const merchant = typeof slots.merchant === 'string' ? slots.merchant : null;
    const list = await ctx.accounts.port.listTransactions(ctx.accounts.caller, {
      cardId: card.id,
      limit: SHOWN,
      ...(merchant ? { merchant } : {}),
    });
    const p = { card: cardLabel(card, ctx.lang), merchant: merchant ?? '' };
    if (list.length === 0) return done([t(merchant ? 'tx.none.merchant' : 'tx.none', p)]);
    const header = t(merchant ? 'tx.header.merchant' : 'tx.header', p);
    return done([
      {
        text: [header, ...list.map((x) => transactionLine(ctx, x))].join('\n'),
        quickReplies: [ctx.t(common)('qr.dispute')],
      },
    ]);
  },
};

export const billingFlows: Flow[] = [
  dueDate,
  minimum,
  balance,
  makePaymentFlow,
  posting,
  changeDueDateFlow,
  lateFeeFlow,
  foreignFee,
  recentTransactions,
];
