/**
 * conversation.summary: what was asked and done in this chat (the assistant's records, with dates and
 * references) and what happens next, with dates read from the accounts system: when a dispute will be
 * acknowledged and resolved, when a replacement card should arrive. The text is composed by
 * `cases/summary.ts` from recorded facts only (the same composer the end-of-chat summary uses).
 */
import type { Table } from '@carechat/protocol';
import { composeSummary, emptyFacts, NEW_CARD_INTENTS, type SummaryFacts } from '../../../cases/summary.js';
import type { ActionRecord, FlowContext } from '../../dialogue/flow.js';
import { done, type Flow } from '../../dialogue/flow.js';
import { fold } from '../../dialogue/slots.js';
import { menu } from './menu.js';

type Key = 'nothing' | 'transcript' | 'copy';

const s: Table<Key> = {
  en: {
    nothing:
      "I haven't changed anything or opened any case in this chat yet, so there are no next steps. Tell me what you need and I'll take care of it.",
    transcript:
      'I can\'t send email from this chat, but once you select "End chat" you can download the full transcript.',
    copy: 'A copy is in your secure messages on our website.',
  },
  es: {
    nothing:
      'Todavía no he cambiado nada ni abierto ningún caso en este chat, así que no hay próximos pasos. Dígame qué necesita y me encargo.',
    transcript:
      'No puedo enviar correos desde este chat, pero cuando seleccione "Finalizar chat" podrá descargar la transcripción completa.',
    copy: 'Tiene una copia en sus mensajes seguros de nuestro sitio web.',
  },
};

const WANTS_COPY = /\b(e-?mail|transcript|correo|transcripcion|copia)\b/;

/** The facts this flow can read: its records, and the disputes and replacements they quote. */
async function facts(ctx: FlowContext, records: ActionRecord[]): Promise<SummaryFacts> {
  const { port, caller } = ctx.accounts;
  const references = new Set(records.flatMap((r) => (r.reference ? [r.reference.toUpperCase()] : [])));
  const f: SummaryFacts = { ...emptyFacts(), records, topics: records.map((r) => r.intent) };
  if (references.size) {
    f.disputes = (await port.listDisputes(caller))
      .filter((d) => references.has(d.reference.toUpperCase()) && (d.status === 'open' || d.status === 'acknowledged'))
      .map((d) => ({ reference: d.reference, acknowledgeBy: d.acknowledgeBy, resolveBy: d.resolveBy }));
  }
  if (references.size && ctx.cases) {
    // Cases the records quote (a complaint's CMP- number); disputes take their dates from the port above.
    const at = new Map(records.flatMap((r) => (r.reference ? [[r.reference.toUpperCase(), r.at ?? ctx.today]] : [])));
    f.cases = (await ctx.cases.list())
      .filter((c) => c.type !== 'dispute' && references.has(c.reference.toUpperCase()))
      .map((c) => ({
        reference: c.reference,
        type: c.type,
        status: c.status,
        createdAt: at.get(c.reference.toUpperCase()) ?? ctx.today,
        acknowledgeBy: null,
        resolveBy: null,
      }));
  }
  const cardRecords = records.filter((r) => NEW_CARD_INTENTS.has(r.intent));
  if (cardRecords.length) {
    // Quoted by a record's reference, or ordered since the chat's first card record.
    const since = cardRecords.map((r) => (r.at ?? ctx.today).slice(0, 10)).sort()[0]!;
    f.cardsOnTheWay = (await port.listReplacements(caller))
      .filter(
        (r) => r.status !== 'delivered' && (references.has(r.id.toUpperCase()) || r.orderedAt.slice(0, 10) >= since),
      )
      .map((r) => ({ last4: r.newCardLast4, estimatedDelivery: r.estimatedDelivery }));
  }
  return f;
}

export const conversationSummary: Flow = {
  intent: 'conversation.summary',
  async step(ctx) {
    const t = ctx.t(s);
    const copy = WANTS_COPY.test(fold(ctx.text)) ? [t('transcript')] : [];
    if (!ctx.records.length) return done([{ text: t('nothing'), quickReplies: menu(ctx.lang) }, ...copy]);
    const text = composeSummary(await facts(ctx, ctx.records), ctx.lang, ctx.today);
    // Kept in writing too: the cardmember's secure messages on the issuer's site.
    const kept = (await ctx.summary?.store(text)) ? [t('copy')] : [];
    return done([text, ...kept, ...copy]);
  },
};
