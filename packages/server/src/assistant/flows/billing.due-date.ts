/**
 * payment.change_due_date: move the card account's monthly due day. The day is offered as quick
 * replies or typed ("the 20th", "el día 20"); the issuer's rules (once every 180 days, not while past
 * due) are explained in plain words when the core refuses, with an agent offered instead.
 */
import type { Table } from '@carechat/protocol';
import type { DueDateChangeResult } from '../../accounts/accounts.port.js';
import { AccountsError } from '../../accounts/accounts.port.js';
import { ask, confirm, day, done, type Flow, type FlowContext, type Slots } from '../dialogue/flow.js';
import { offerAgent } from './offer-agent.js';
import { cardLabel, pickCard, ruleOf } from './shared.js';

type Key =
  | 'which_card'
  | 'ask_day'
  | 'day.too_late'
  | 'day.same'
  | 'confirm'
  | 'confirm.upcoming'
  | 'confirm.ask'
  | 'done'
  | 'refused.recently'
  | 'refused.recently_until'
  | 'refused.past_due'
  | 'refused.other'
  | 'offer'
  | 'declined'
  | 'qr.pay';

const s: Table<Key> = {
  en: {
    which_card: 'Which card would you like to change the due date for?',
    ask_day:
      'Your {card} is due on {current} of each month. Which day would you like instead? Any day from the 1st to the 28th works.',
    'day.too_late': 'The due day has to be between the 1st and the 28th, so it exists in every month.',
    'day.same': 'Your payment is already due on {current}.',
    confirm: 'To confirm: your {card} will be due on {new} of each month instead of {old}.',
    'confirm.upcoming': 'Your payment due on {due} stays as it is; the new day applies after it.',
    'confirm.ask': 'Shall I go ahead?',
    done: 'Done: your {card} is now due on {new} of each month. Your first payment on the new day is due on {effective}.',
    'refused.recently':
      'The due date can only be changed once every 180 days, and yours was changed less than 180 days ago.',
    'refused.recently_until':
      'The due date can only be changed once every 180 days, and yours was changed recently: the next change is possible on {date}.',
    'refused.past_due': "The due date can't be changed while a payment is past due; once the minimum is paid, it can.",
    'refused.other': "I couldn't change the due date here.",
    offer: 'Would you like me to connect you with an agent?',
    declined: 'All right, your due date stays as it is. Anything else I can help with?',
    'qr.pay': 'Make a payment',
  },
  es: {
    which_card: '¿De qué tarjeta desea cambiar la fecha de pago?',
    ask_day: 'Su {card} vence {current} de cada mes. ¿Qué día prefiere? Puede ser cualquier día del 1 al 28.',
    'day.too_late': 'El día de pago debe estar entre el 1 y el 28, para que exista en todos los meses.',
    'day.same': 'Su pago ya vence {current}.',
    confirm: 'Para confirmar: su {card} vencerá {new} de cada mes en lugar de {old}.',
    'confirm.upcoming': 'Su pago que vence el {due} no cambia; el nuevo día se aplica después.',
    'confirm.ask': '¿Procedo?',
    done: 'Listo: su {card} ahora vence {new} de cada mes. Su primer pago en el nuevo día vence el {effective}.',
    'refused.recently':
      'La fecha de pago solo se puede cambiar una vez cada 180 días, y la suya se cambió hace menos de 180 días.',
    'refused.recently_until':
      'La fecha de pago solo se puede cambiar una vez cada 180 días, y la suya se cambió hace poco: podrá cambiarla de nuevo a partir del {date}.',
    'refused.past_due':
      'La fecha de pago no se puede cambiar mientras haya un pago vencido; cuando pague el mínimo, podrá hacerlo.',
    'refused.other': 'No pude cambiar la fecha de pago aquí.',
    offer: '¿Desea que le comunique con un agente?',
    declined: 'De acuerdo, su fecha de pago se queda como está. ¿Le ayudo con algo más?',
    'qr.pay': 'Hacer un pago',
  },
};

/** Days 1..28 exist in every month, so a due day never slides (the billing rules allow no other). */
const LAST_DAY = 28;
/** Offered as quick replies; any other day can be typed. */
const SUGGESTED_DAYS = [1, 5, 10, 15, 20, 25];

/** "the 15th" / "el día 15", as it reads inside a sentence. */
function dayOfMonth(n: number, lang: FlowContext['lang']): string {
  if (lang === 'es') return `el día ${n}`;
  const suffix =
    n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th';
  return `the ${n}${suffix}`;
}

/** A quick reply the day_of_month entity reads back: "The 15th" / "El día 15". */
const dayOption = (ctx: FlowContext, n: number) => {
  const the = dayOfMonth(n, ctx.lang);
  return the.charAt(0).toUpperCase() + the.slice(1);
};

/**
 * The next day a change is possible, when the core's refusal names one (the embedded core's message
 * does, as YYYY-MM-DD); another core may not, and the answer then does without it.
 */
const nextChangeDay = (err: unknown): string | null =>
  err instanceof AccountsError ? (/\d{4}-\d{2}-\d{2}/.exec(err.message)?.[0] ?? null) : null;

/** The refused rule in plain words. */
function refusal(ctx: FlowContext, rule: string, nextDay: string | null): string {
  const t = ctx.t(s);
  switch (rule) {
    case 'due_date_changed_recently':
      return nextDay ? t('refused.recently_until', { date: day(nextDay, ctx.lang) }) : t('refused.recently');
    case 'account_past_due':
      return t('refused.past_due');
    default:
      return t('refused.other');
  }
}

export const changeDueDateFlow: Flow = {
  intent: 'payment.change_due_date',
  init(ctx): Slots {
    const n = ctx.entities.find((e) => e.type === 'day_of_month')?.value;
    return typeof n === 'number' ? { day: n } : {};
  },
  async step(ctx, slots: Slots) {
    const t = ctx.t(s);
    const picked = await pickCard(ctx, slots, { whenSeveral: 'ask', prompt: t('which_card') });
    if ('step' in picked) return picked.step;
    const card = picked.card;
    const cardName = cardLabel(card, ctx.lang);

    if (typeof slots.refused === 'string') {
      const why = refusal(ctx, slots.refused, typeof slots.next_change === 'string' ? slots.next_change : null);
      return offerAgent(ctx, slots, {
        prompt: `${why} ${t('offer')}`,
        request: {
          team: 'general',
          reason: 'payment.change_due_date',
          summary: `Asked to move the due day of card ending ${card.last4} to day ${String(slots.day)}; refused by rule ${slots.refused}.`,
        },
        declined: { text: t('declined'), quickReplies: slots.refused === 'account_past_due' ? [t('qr.pay')] : [] },
      });
    }

    const summary = await ctx.accounts.port.getBillingSummary(ctx.accounts.caller, card.id);
    const current = dayOfMonth(summary.dueDay, ctx.lang);
    const askDay = (note?: string) => {
      delete slots.day;
      delete slots.confirmed;
      const prompt = t('ask_day', { card: cardName, current });
      const days = SUGGESTED_DAYS.filter((d) => d !== summary.dueDay).map((d) => dayOption(ctx, d));
      return ask('day', 'day_of_month', note ? `${note} ${prompt}` : prompt, undefined, days);
    };
    if (typeof slots.day !== 'number') return askDay();
    const newDay = slots.day;
    if (newDay > LAST_DAY) return askDay(t('day.too_late'));
    if (newDay === summary.dueDay) return askDay(t('day.same', { current }));

    const wanted = dayOfMonth(newDay, ctx.lang);
    if (slots.confirmed !== true) {
      const upcoming =
        summary.dueDate >= ctx.today ? t('confirm.upcoming', { due: day(summary.dueDate, ctx.lang) }) : '';
      return confirm(
        [t('confirm', { card: cardName, new: wanted, old: current }), upcoming, t('confirm.ask')]
          .filter(Boolean)
          .join(' '),
      );
    }

    let result: DueDateChangeResult;
    try {
      result = await ctx.accounts.act<DueDateChangeResult>(
        'changeDueDate',
        { cardId: card.id, newDueDay: newDay },
        String(newDay),
      );
    } catch (err) {
      const rule = ruleOf(err);
      if (!rule) throw err;
      // Remembered, so the next turn (the answer to the offer) does not ask the core again.
      slots.refused = rule;
      slots.next_change = nextChangeDay(err);
      return changeDueDateFlow.step(ctx, slots);
    }
    return done([t('done', { card: cardName, new: wanted, effective: day(result.effectiveDueDate, ctx.lang) })], {
      record: {
        intent: 'payment.change_due_date',
        description: `Moved the due day of card ending ${card.last4} from ${result.previousDueDay} to ${result.newDueDay} (first new due date ${result.effectiveDueDate})`,
      },
    });
  },
};
