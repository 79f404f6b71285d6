/**
 * dispute.start: a billing-error dispute of one charge (Fair Credit Billing Act). The cardmember picks
 * the charge (pre-filtered by the merchant, amount or date they named; "charged twice" offers the
 * pairs), the reason (pre-filled from their words), the core checks the 60-day window from the
 * statement's closing date, and after a confirmation `openDispute` answers with the reference and the
 * clocks (acknowledge by, resolve by). What cannot be disputed here is explained, with a person offered.
 */
import type { Table } from '@carechat/protocol';
import type { CardSummary, Dispute, DisputeReason, Transaction } from '../../accounts/accounts.port.js';
import { addDays, daysBetween } from '../../accounts/rules/dates.js';
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
import { statusText } from './disputes.status.js';
import { offerAgent } from './offer-agent.js';
import { cardLabel, pickCard, ruleOf } from './shared.js';

type Key =
  | 'which_card'
  | 'ask_charge'
  | 'ask_charge.twice'
  | 'ask_charge.not_found'
  | 'charge'
  | 'charge.twice'
  | 'opt.other'
  | 'ask_search'
  | 'search.not_found'
  | 'ask_reason'
  | 'reason.unauthorized'
  | 'reason.duplicate'
  | 'reason.not_received'
  | 'reason.wrong_amount'
  | 'reason.cancelled'
  | 'why.unauthorized'
  | 'why.duplicate'
  | 'why.not_received'
  | 'why.wrong_amount'
  | 'why.cancelled'
  | 'confirm'
  | 'done'
  | 'done.fraud'
  | 'no_charges'
  | 'pending'
  | 'not_a_charge'
  | 'already'
  | 'already.unknown'
  | 'window_closed'
  | 'offer'
  | 'declined'
  | 'qr.lock'
  | 'qr.fraud'
  | 'upload';

const s: Table<Key> = {
  en: {
    which_card: 'Which card was the charge on?',
    ask_charge: 'Which charge on your {card} would you like to dispute?',
    'ask_charge.twice': 'These charges on your {card} appear twice. Which one is it?',
    'ask_charge.not_found': "I couldn't find that charge among your recent ones. Which charge on your {card} is it?",
    charge: '{merchant} {amount} on {date}',
    'charge.twice': '{merchant} {amount} on {date} (twice)',
    'opt.other': "It's not listed",
    ask_search: 'Tell me the merchant or the amount of the charge, and I will look for it.',
    'search.not_found': "I still can't find that charge, so I'll bring in a disputes specialist who can look further.",
    ask_reason: "What's wrong with the {charge} charge?",
    'reason.unauthorized': "I don't recognize it",
    'reason.duplicate': 'Charged twice',
    'reason.not_received': 'Never received it',
    'reason.wrong_amount': 'Wrong amount',
    'reason.cancelled': 'I cancelled it',
    'why.unauthorized': "you don't recognize it",
    'why.duplicate': 'it was charged twice',
    'why.not_received': 'you never received what you paid for',
    'why.wrong_amount': 'the amount is wrong',
    'why.cancelled': 'you cancelled it',
    confirm:
      "To confirm: I'll open a dispute of the {charge} charge on your {card} because {why}. While it's open you don't have to pay that amount. Shall I go ahead?",
    done: "Your dispute is open. Reference: {ref}. We'll acknowledge it by {ack} and resolve it by {resolve}. You don't have to pay the {amount} while it's open; the rest of your balance is due as usual.",
    'done.fraud':
      'If you think someone else has your card details, I can lock your card right now so no new charges go through.',
    no_charges: "I don't see any posted charges on your {card} in the last 6 months that could be disputed.",
    pending:
      "The {charge} charge is still pending, so it can't be disputed yet. Once it posts (usually in 1–3 days), come back and I'll open the dispute; if the merchant corrects it first, it may drop off on its own.",
    not_a_charge: 'The {charge} item is a credit or refund, not a charge, so there is nothing to dispute.',
    already: 'The {charge} charge is already being disputed: reference {ref}, {status}.',
    'already.unknown': 'The {charge} charge is already being disputed.',
    window_closed:
      'Billing errors must be reported within 60 days of the statement that first showed the charge; for the {charge} charge (statement closing {closing}) that window ended on {deadline}.',
    offer: 'A disputes specialist can still review it with you. Would you like me to connect you?',
    declined: 'All right. You can also ask the merchant directly for a refund. Anything else I can help with?',
    'qr.lock': 'Lock my card',
    'qr.fraud': 'Report fraud',
    upload: 'You can send a receipt or other documents here: {url}',
  },
  es: {
    which_card: '¿En qué tarjeta está el cargo?',
    ask_charge: '¿Qué cargo de su {card} desea disputar?',
    'ask_charge.twice': 'Estos cargos de su {card} aparecen dos veces. ¿Cuál es?',
    'ask_charge.not_found': 'No encontré ese cargo entre los recientes. ¿Cuál de los cargos de su {card} es?',
    charge: '{merchant} {amount} el {date}',
    'charge.twice': '{merchant} {amount} el {date} (dos veces)',
    'opt.other': 'No está en la lista',
    ask_search: 'Dígame el comercio o el monto del cargo y lo busco.',
    'search.not_found':
      'Sigo sin encontrar ese cargo, así que le comunico con un especialista en disputas que puede buscarlo mejor.',
    ask_reason: '¿Qué problema tiene el cargo de {charge}?',
    'reason.unauthorized': 'No lo reconozco',
    'reason.duplicate': 'Me cobraron dos veces',
    'reason.not_received': 'Nunca lo recibí',
    'reason.wrong_amount': 'Monto incorrecto',
    'reason.cancelled': 'Lo cancelé',
    'why.unauthorized': 'no lo reconoce',
    'why.duplicate': 'se lo cobraron dos veces',
    'why.not_received': 'nunca recibió lo que pagó',
    'why.wrong_amount': 'el monto es incorrecto',
    'why.cancelled': 'lo canceló',
    confirm:
      'Para confirmar: abriré una disputa del cargo de {charge} en su {card} porque {why}. Mientras esté abierta, no tiene que pagar ese monto. ¿Procedo?',
    done: 'Su disputa está abierta. Referencia: {ref}. Le confirmaremos la recepción a más tardar el {ack} y la resolveremos a más tardar el {resolve}. No tiene que pagar los {amount} mientras esté abierta; el resto de su saldo vence como siempre.',
    'done.fraud':
      'Si cree que alguien más tiene los datos de su tarjeta, puedo bloquearla ahora mismo para que no pasen cargos nuevos.',
    no_charges: 'No veo cargos acreditados en su {card} en los últimos 6 meses que se puedan disputar.',
    pending:
      'El cargo de {charge} todavía está pendiente, así que aún no se puede disputar. Cuando se acredite (normalmente en 1 a 3 días), vuelva y abriré la disputa; si el comercio lo corrige antes, puede desaparecer por sí solo.',
    not_a_charge: 'El movimiento de {charge} es un crédito o reembolso, no un cargo, así que no hay nada que disputar.',
    already: 'El cargo de {charge} ya está en disputa: referencia {ref}, {status}.',
    'already.unknown': 'El cargo de {charge} ya está en disputa.',
    window_closed:
      'Los errores de facturación deben reportarse dentro de los 60 días posteriores al estado de cuenta que mostró el cargo por primera vez; para el cargo de {charge} (estado de cuenta con cierre el {closing}), ese plazo terminó el {deadline}.',
    offer: 'Un especialista en disputas todavía puede revisarlo con usted. ¿Desea que le comunique?',
    declined: 'De acuerdo. También puede pedirle un reembolso directamente al comercio. ¿Le ayudo con algo más?',
    'qr.lock': 'Bloquear mi tarjeta',
    'qr.fraud': 'Reportar fraude',
    upload: 'Puede enviarnos un recibo u otros documentos aquí: {url}',
  },
};

/** The reasons as quick replies, with other ways to say them (matched as whole words, without accents). */
const REASON_ALIASES: Record<DisputeReason, string[]> = {
  unauthorized: ['unauthorized', 'dont recognize', 'do not recognize', 'not mine', 'fraud', 'no reconozco', 'fraude'],
  duplicate: ['twice', 'duplicate', 'double', 'dos veces', 'duplicado', 'doble'],
  not_received: ['never received', 'never arrived', 'not received', 'nunca llego', 'no llego', 'no lo recibi'],
  wrong_amount: ['wrong amount', 'overcharged', 'too much', 'monto incorrecto', 'cantidad incorrecta'],
  cancelled: ['cancelled', 'canceled', 'cancelado', 'cancelada', 'lo cancele'],
};
const REASONS = Object.keys(REASON_ALIASES) as DisputeReason[];

/** The reason in the cardmember's own words ("charged twice", "nunca llegó"), checked in this order. */
const REASON_WORDS: Array<[DisputeReason, RegExp]> = [
  ['duplicate', /\b(twice|two times|double charged|charged double|duplicate[d]?|dos veces|duplicado|doble)\b/],
  [
    'not_received',
    /\b(never (arrived|came|received|got)|(didn ?t|did not) (arrive|come|get|receive)|not (delivered|received)|nunca (llego|recibi)|no (me )?llego|no (lo |la )?recibi)\b/,
  ],
  ['cancelled', /\b(cancell?ed|cancell?ation|cancele|cancelad[oa]|cancelacion)\b/],
  [
    'wrong_amount',
    /\b(wrong amount|too much|overcharged|charged (me )?more|monto incorrecto|cantidad incorrecta|de mas)\b/,
  ],
  [
    'unauthorized',
    /\b((don ?t|do not) recogni[sz]e|(didn ?t|did not|never) (make|made|authori[sz]e)|not mine|unauthori[sz]ed|fraud\w*|no (lo |la )?reconozco|no (lo |la )?autorice|no (lo |la )?hice|fraude)\b/,
  ],
];

/** Disputable charges are looked for this far back (the 60-day window runs from a statement up to a month old). */
const LOOKBACK_DAYS = 180;
const LIST_LIMIT = 200;
/** Options in one question: a chat bubble, not a statement. */
const SHOWN = 5;
/** A duplicate is the same merchant and amount within a few days. */
const DUPLICATE_DAYS = 3;

interface Hints {
  merchant: string | null;
  amount: number | null;
  date: string | null;
}

const hintsOf = (slots: Slots): Hints => ({
  merchant: typeof slots.merchant === 'string' ? slots.merchant : null,
  amount: typeof slots.amount === 'number' ? slots.amount : null,
  date: typeof slots.date === 'string' ? slots.date : null,
});

/**
 * Charges of the card in the lookback, newest first. Pending ones are kept so that one named can be
 * explained ("wait until it posts"); only posted ones are offered unasked.
 */
async function charges(ctx: FlowContext, card: CardSummary): Promise<Transaction[]> {
  const list = await ctx.accounts.port.listTransactions(ctx.accounts.caller, {
    cardId: card.id,
    from: addDays(ctx.today, -LOOKBACK_DAYS),
    limit: LIST_LIMIT,
  });
  return list.filter((x) => x.amount.amountCents > 0 && !x.redeemedWithPoints);
}

/** Part of a merchant's name long enough to mean it ("novabyte" for "NovaByte Online"). */
const MIN_NAME_PART = 5;

/**
 * A merchant named in the message: the merchant entity, or the name of one of the card's merchants
 * written out ("la cena en la Taquería Luna Azul"), which the entity patterns may miss. `loose` (an
 * answer to "which merchant?") also takes a part of a name: the answer itself, or a name's first word.
 */
function merchantIn(ctx: FlowContext, list: Transaction[], loose: boolean): string | null {
  const entity = ctx.entities.find((e) => e.type === 'merchant')?.value;
  if (typeof entity === 'string') return entity;
  const text = ` ${fold(ctx.text)} `;
  const named = list.find((x) => text.includes(` ${fold(x.merchant)} `));
  if (named || !loose) return named?.merchant ?? null;
  const answer = fold(ctx.text);
  const partly = list.find((x) => {
    const name = fold(x.merchant);
    const first = name.split(' ')[0] ?? '';
    return (
      (answer.length >= MIN_NAME_PART && name.includes(answer)) ||
      (first.length >= MIN_NAME_PART && text.includes(` ${first} `))
    );
  });
  return partly?.merchant ?? null;
}

/** Hints of the current message (merchant, amount, date) into the slots. */
function takeHints(ctx: FlowContext, slots: Slots, list: Transaction[], loose = false): void {
  const merchant = merchantIn(ctx, list, loose);
  const amount = ctx.entities.find((e) => e.type === 'amount')?.value;
  const date = ctx.entities.find((e) => e.type === 'date')?.value;
  if (merchant) slots.merchant = merchant;
  if (typeof amount === 'number') slots.amount = amount;
  if (typeof date === 'string') slots.date = date;
}

const matches = (x: Transaction, h: Hints) =>
  (!h.merchant || fold(x.merchant).includes(fold(h.merchant))) &&
  (h.amount === null || x.amount.amountCents === h.amount) &&
  (!h.date || x.date === h.date || x.postedOn === h.date);

/** Pairs of the same merchant and amount a few days apart; the later charge is the duplicate. */
function duplicatePairs(list: Transaction[]): Transaction[] {
  const later: Transaction[] = [];
  for (const x of list) {
    const twin = list.find(
      (y) =>
        y !== x &&
        y.merchant === x.merchant &&
        y.amount.amountCents === x.amount.amountCents &&
        (y.date < x.date || (y.date === x.date && y.id < x.id)) &&
        daysBetween(y.date, x.date) <= DUPLICATE_DAYS,
    );
    if (twin && !later.some((l) => l.merchant === x.merchant && l.amount.amountCents === x.amount.amountCents)) {
      later.push(x);
    }
  }
  return later;
}

const chargeText = (ctx: FlowContext, x: Transaction, twice = false) =>
  ctx.t(s)(twice ? 'charge.twice' : 'charge', {
    merchant: x.merchant,
    amount: money(x.amount.amountCents, ctx.lang),
    date: day(x.date, ctx.lang),
  });

const chargeOption = (ctx: FlowContext, x: Transaction, twice = false): Option => ({
  label: chargeText(ctx, x, twice),
  value: x.id,
  aliases: [x.merchant, money(x.amount.amountCents, ctx.lang)],
});

/**
 * Up to SHOWN charges as options. Two charges that read the same (merchant, amount and day) would be
 * two identical quick replies nobody could tell apart: they become one "(twice)" option for the later.
 */
function chargeOptions(ctx: FlowContext, list: Transaction[]): Option[] {
  const shown: Array<{ x: Transaction; twice: boolean }> = [];
  // The list is newest first, so the charge kept is the later one: the duplicate.
  for (const x of list) {
    const twin = shown.find((o) => chargeText(ctx, o.x) === chargeText(ctx, x));
    if (twin) twin.twice = true;
    else if (shown.length < SHOWN) shown.push({ x, twice: false });
  }
  return shown.map((o) => chargeOption(ctx, o.x, o.twice));
}

/**
 * Which charge: taken without asking when the hints leave exactly one (or one duplicate pair), else
 * offered as quick replies, with "it's not listed" leading to a search by merchant or amount.
 */
function chargeStep(ctx: FlowContext, slots: Slots, card: CardSummary, list: Transaction[]): Transaction | Step {
  const t = ctx.t(s);
  const cardName = cardLabel(card, ctx.lang);
  const chosen = list.find((x) => x.id === slots.transaction);
  if (chosen) return chosen;
  const hints = hintsOf(slots);
  const hinted = hints.merchant || hints.amount !== null || hints.date;
  const found = hinted ? list.filter((x) => matches(x, hints)) : [];
  const pool = found.length > 0 ? found : list.filter((x) => x.status === 'posted');
  const pairs = slots.reason === 'duplicate' ? duplicatePairs(pool) : [];
  const options = chargeOptions(ctx, pool);
  const onlyId =
    pairs.length === 1 ? pairs[0]!.id : found.length > 0 && options.length === 1 ? options[0]!.value : null;
  const only = list.find((x) => x.id === onlyId);
  if (only) {
    slots.transaction = only.id;
    return only;
  }
  const other: Option = { label: t('opt.other'), value: '__other', aliases: ['other', 'none', 'ninguno', 'otro'] };
  if (pairs.length > 1) {
    const twice = pairs.slice(0, SHOWN).map((x) => chargeOption(ctx, x, true));
    return choose('transaction', t('ask_charge.twice', { card: cardName }), [...twice, other]);
  }
  const key = hinted && found.length === 0 ? 'ask_charge.not_found' : 'ask_charge';
  return choose('transaction', t(key, { card: cardName }), [...options, other]);
}

/** Why a charge cannot be disputed, in plain words, and what to do instead. */
async function ineligible(
  ctx: FlowContext,
  slots: Slots,
  card: CardSummary,
  x: Transaction,
  eligibility: { reason: string; closing: string | null; deadline: string | null },
): Promise<Step> {
  const t = ctx.t(s);
  const charge = chargeText(ctx, x);
  switch (eligibility.reason) {
    case 'pending':
      return done([t('pending', { charge })]);
    case 'not_a_charge':
      return done([t('not_a_charge', { charge })]);
    case 'already_disputed': {
      const open = (await ctx.accounts.port.listDisputes(ctx.accounts.caller)).find((d) => d.transactionId === x.id);
      return done([
        open
          ? t('already', { charge, ref: open.reference, status: statusText(ctx, open.status) })
          : t('already.unknown', { charge }),
      ]);
    }
    default: {
      const why =
        eligibility.reason === 'window_closed' && eligibility.closing && eligibility.deadline
          ? t('window_closed', {
              charge,
              closing: day(eligibility.closing, ctx.lang),
              deadline: day(eligibility.deadline, ctx.lang),
            })
          : '';
      return offerAgent(ctx, slots, {
        prompt: [why, t('offer')].filter(Boolean).join(' '),
        request: {
          team: 'disputes',
          reason: 'dispute.start',
          summary: `Wants to dispute ${x.merchant} ${money(x.amount.amountCents, 'en')} of ${x.date} on card ending ${card.last4} (${String(slots.reason)}); not eligible: ${eligibility.reason}${eligibility.deadline ? ` (60-day window ended ${eligibility.deadline})` : ''}.`,
        },
        declined: { text: t('declined') },
      });
    }
  }
}

export const disputeStartFlow: Flow = {
  intent: 'dispute.start',
  async init(ctx) {
    const slots: Slots = {};
    const text = fold(ctx.text);
    const reason = REASON_WORDS.find(([, re]) => re.test(text))?.[0];
    if (reason) slots.reason = reason;
    // Hints need the card's merchants; the card is the one named, else the chat's.
    const picked = await pickCard(ctx, slots, { whenSeveral: 'chat', prompt: '' });
    if ('card' in picked) takeHints(ctx, slots, await charges(ctx, picked.card));
    return slots;
  },
  async step(ctx, slots) {
    const t = ctx.t(s);
    const picked = await pickCard(ctx, slots, { whenSeveral: 'chat', prompt: t('which_card') });
    if ('step' in picked) return picked.step;
    const card = picked.card;
    const cardName = cardLabel(card, ctx.lang);
    const list = await charges(ctx, card);
    if (list.length === 0) return done([t('no_charges', { card: cardName })]);

    // "It's not listed": search once by what they type, then a person looks further.
    const notFound = () =>
      done([t('search.not_found')], {
        handoff: {
          team: 'disputes',
          reason: 'dispute.start',
          summary: `Wants to dispute a charge on card ending ${card.last4} that the assistant could not find among the charges of the last ${LOOKBACK_DAYS} days.`,
        },
      });
    if (slots.transaction === '__other') {
      if (slots.searched === true) return notFound();
      if (typeof slots.search !== 'string') return ask('search', 'text', t('ask_search'));
      delete slots.merchant;
      delete slots.amount;
      delete slots.date;
      takeHints(ctx, slots, list, true);
      delete slots.search;
      delete slots.transaction;
      slots.searched = true;
      if (!hintsOf(slots).merchant && slots.amount === undefined && slots.date === undefined) return notFound();
    }

    const chosen = chargeStep(ctx, slots, card, list);
    if (!('id' in chosen)) return chosen;
    const charge = chargeText(ctx, chosen);

    // The core's own check first, so nothing is asked about a charge that cannot be disputed, and what
    // the cardmember is told is what openDispute will decide. Once confirmed it is not asked again: a
    // retried turn must replay the dispute, not call the charge "already disputed".
    if (slots.confirmed !== true || typeof slots.refused === 'string') {
      const e = await ctx.accounts.port.checkDisputeEligibility(ctx.accounts.caller, chosen.id);
      const why = typeof slots.refused === 'string' ? slots.refused : e.eligible ? null : (e.reason ?? 'unknown');
      if (why)
        return ineligible(ctx, slots, card, chosen, {
          reason: why,
          closing: e.statementClosingDate,
          deadline: e.deadline,
        });
    }

    if (typeof slots.reason !== 'string') {
      const options = REASONS.map((r) => ({ label: t(`reason.${r}`), value: r, aliases: REASON_ALIASES[r] }));
      return choose('reason', t('ask_reason', { charge }), options);
    }
    const reason = slots.reason as DisputeReason;
    if (slots.confirmed !== true) return confirm(t('confirm', { charge, card: cardName, why: t(`why.${reason}`) }));

    let dispute: Dispute;
    try {
      dispute = await ctx.accounts.act<Dispute>('openDispute', { transactionId: chosen.id, reason });
    } catch (err) {
      const rule = ruleOf(err);
      if (!rule?.startsWith('dispute.')) throw err;
      // The window closed or someone else disputed it since the check: explain as the check would.
      slots.refused = rule.slice('dispute.'.length);
      return disputeStartFlow.step(ctx, slots);
    }
    const opened = t('done', {
      ref: dispute.reference,
      ack: day(dispute.acknowledgeBy, ctx.lang),
      resolve: day(dispute.resolveBy, ctx.lang),
      amount: money(dispute.amountCents, ctx.lang),
    });
    // An unrecognised charge on a card still in use may mean the number is out there: offer the fraud path.
    const fraudPath = reason === 'unauthorized' && card.status === 'active';
    // A secure link for receipts and other documents, to the dispute's case (when one is wired).
    const uploadUrl = await (ctx.uploads?.linkForDispute(dispute.id) ?? Promise.resolve(null));
    return done(
      [
        opened,
        ...(uploadUrl ? [t('upload', { url: uploadUrl })] : []),
        ...(fraudPath ? [{ text: t('done.fraud'), quickReplies: [t('qr.lock'), t('qr.fraud')] }] : []),
      ],
      {
        record: {
          intent: 'dispute.start',
          description: `Opened dispute ${dispute.reference}: ${dispute.merchant} ${money(dispute.amountCents, 'en')} on card ending ${dispute.cardLast4} (${reason}); acknowledge by ${dispute.acknowledgeBy}, resolve by ${dispute.resolveBy}`,
          reference: dispute.reference,
        },
      },
    );
  },
};
