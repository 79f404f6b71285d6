/**
 * conversation.summary: what the assistant did in this chat (its records, with dates and references)
 * and what happens next, with dates read from the accounts system: when a dispute will be acknowledged
 * and resolved, when a replacement card should arrive. Only what the assistant itself did is listed;
 * an agent's actions are theirs to summarise.
 */
import type { Table } from '@carechat/protocol';
import type { AccountsPort, Caller } from '../../../accounts/accounts.port.js';
import type { ActionRecord, FlowContext } from '../../dialogue/flow.js';
import { day, done, type Flow } from '../../dialogue/flow.js';
import { fold } from '../../dialogue/slots.js';
import { menu } from './menu.js';
import { recordLine } from './records.js';

type Key = 'nothing' | 'intro' | 'next' | 'next.none' | 'next.dispute' | 'next.card' | 'next.complaint' | 'transcript';

const s: Table<Key> = {
  en: {
    nothing:
      "I haven't changed anything or opened any case in this chat yet, so there are no next steps. Tell me what you need and I'll take care of it.",
    intro: 'Summary of this chat:',
    next: 'Next steps:',
    'next.none': '• Nothing else is needed from you.',
    'next.dispute':
      "• Dispute {reference}: we'll confirm it in writing by {acknowledgeBy} and resolve it by {resolveBy}. You don't have to pay the disputed amount meanwhile.",
    'next.card': '• Your new card ending in {last4} should arrive by {date}. Activate it when it arrives.',
    'next.complaint': '• An agent will register your complaint formally and give you its reference number.',
    transcript:
      'I can\'t send email from this chat, but once you select "End chat" you can download the full transcript.',
  },
  es: {
    nothing:
      'Todavía no he cambiado nada ni abierto ningún caso en este chat, así que no hay próximos pasos. Dígame qué necesita y me encargo.',
    intro: 'Resumen de este chat:',
    next: 'Próximos pasos:',
    'next.none': '• No necesita hacer nada más.',
    'next.dispute':
      '• Disputa {reference}: la confirmaremos por escrito a más tardar el {acknowledgeBy} y la resolveremos a más tardar el {resolveBy}. Mientras tanto, no tiene que pagar el monto en disputa.',
    'next.card':
      '• Su nueva tarjeta terminada en {last4} debería llegar a más tardar el {date}. Actívela cuando llegue.',
    'next.complaint': '• Un agente registrará su queja formalmente y le dará su número de referencia.',
    transcript:
      'No puedo enviar correos desde este chat, pero cuando seleccione "Finalizar chat" podrá descargar la transcripción completa.',
  },
};

/** Flows whose records mean a new card is on its way. */
const NEW_CARD = new Set<string>(['card.lost_stolen', 'card.damaged', 'fraud.report']);
const WANTS_COPY = /\b(e-?mail|transcript|correo|transcripcion|copia)\b/;

async function nextSteps(ctx: FlowContext, records: ActionRecord[]): Promise<string[]> {
  const t = ctx.t(s);
  const { port, caller } = ctx.accounts;
  const steps: string[] = [];
  const references = new Set(records.flatMap((r) => (r.reference ? [r.reference.toUpperCase()] : [])));
  if (references.size) {
    for (const d of await port.listDisputes(caller)) {
      if (!references.has(d.reference.toUpperCase()) || (d.status !== 'open' && d.status !== 'acknowledged')) continue;
      steps.push(
        t('next.dispute', {
          reference: d.reference,
          acknowledgeBy: day(d.acknowledgeBy, ctx.lang),
          resolveBy: day(d.resolveBy, ctx.lang),
        }),
      );
    }
  }
  const cardRecords = records.filter((r) => NEW_CARD.has(r.intent));
  if (cardRecords.length) steps.push(...(await cardsOnTheWay(port, caller, cardRecords, references, ctx)));
  if (records.some((r) => r.intent === 'complaint.file')) steps.push(t('next.complaint'));
  return steps;
}

/**
 * Replacements still on their way that this chat ordered: quoted by a record's reference, or ordered
 * since the chat's first card record (a flow may record a replacement without its id).
 */
async function cardsOnTheWay(
  port: AccountsPort,
  caller: Caller,
  records: ActionRecord[],
  references: ReadonlySet<string>,
  ctx: FlowContext,
): Promise<string[]> {
  const t = ctx.t(s);
  const since = records.map((r) => (r.at ?? ctx.today).slice(0, 10)).sort()[0]!;
  const replacements = await port.listReplacements(caller);
  return replacements
    .filter(
      (r) => r.status !== 'delivered' && (references.has(r.id.toUpperCase()) || r.orderedAt.slice(0, 10) >= since),
    )
    .map((r) => t('next.card', { last4: r.newCardLast4, date: day(r.estimatedDelivery, ctx.lang) }));
}

export const conversationSummary: Flow = {
  intent: 'conversation.summary',
  async step(ctx) {
    const t = ctx.t(s);
    const copy = WANTS_COPY.test(fold(ctx.text)) ? [t('transcript')] : [];
    if (!ctx.records.length) return done([{ text: t('nothing'), quickReplies: menu(ctx.lang) }, ...copy]);
    const steps = await nextSteps(ctx, ctx.records);
    const text = [
      t('intro'),
      ...ctx.records.map((r) => recordLine(r, ctx.today, ctx.lang)),
      t('next'),
      ...(steps.length ? steps : [t('next.none')]),
    ].join('\n');
    return done([text, ...copy]);
  },
};
