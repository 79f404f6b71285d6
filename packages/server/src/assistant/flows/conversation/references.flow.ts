/**
 * case.reference: the reference numbers the cardmember can quote. First this chat's own reference
 * (`CHT-…`, assigned now if it has none); then those this chat produced (records); then the
 * cardmember's open cases (reference, type, status), which may have been opened in an earlier chat or
 * by an agent; then open disputes from the accounts system that have no case yet.
 */
import type { CaseStatus, CaseType, Table } from '@carechat/protocol';
import type { Dispute } from '../../../accounts/accounts.port.js';
import { day, money, say, type Flow } from '../../dialogue/flow.js';
import { recordLine } from './records.js';

type Key = 'intro' | 'dispute' | 'none' | 'complaint' | 'chat' | 'case' | `type.${CaseType}` | `status.${CaseStatus}`;

const s: Table<Key> = {
  en: {
    intro: 'Here are your reference numbers:',
    dispute: '• {reference}: dispute of {amount} at {merchant}, opened {date}, open',
    none: "No reference number has been created for you yet. Whenever I open a case for you, such as a dispute, I'll give you its reference number right away.",
    complaint: 'Your complaint gets its reference number from the agent who registers it.',
    chat: '• This chat: {reference}',
    case: '• {reference}: {type} (status: {status})',
    'type.dispute': 'dispute',
    'type.complaint': 'complaint',
    'type.replacement': 'card replacement',
    'type.goodwill': 'goodwill adjustment',
    'type.credit_limit': 'credit limit request',
    'type.travel': 'travel request',
    'type.general': 'general request',
    'status.open': 'open',
    'status.acknowledged': 'acknowledged',
    'status.in_progress': 'in progress',
    'status.awaiting_customer': 'waiting for your reply',
    'status.resolved': 'resolved',
    'status.closed': 'closed',
  },
  es: {
    intro: 'Estos son sus números de referencia:',
    dispute: '• {reference}: disputa de {amount} en {merchant}, abierta el {date}, en curso',
    none: 'Todavía no se ha creado ningún número de referencia para usted. Cuando abra un caso para usted, como una disputa, le daré su número de referencia de inmediato.',
    complaint: 'El agente que registre su queja le dará su número de referencia.',
    chat: '• Este chat: {reference}',
    case: '• {reference}: {type} (estado: {status})',
    'type.dispute': 'disputa',
    'type.complaint': 'queja',
    'type.replacement': 'reemplazo de tarjeta',
    'type.goodwill': 'ajuste de cortesía',
    'type.credit_limit': 'solicitud de límite de crédito',
    'type.travel': 'solicitud de viaje',
    'type.general': 'solicitud general',
    'status.open': 'abierto',
    'status.acknowledged': 'recibido',
    'status.in_progress': 'en curso',
    'status.awaiting_customer': 'esperando su respuesta',
    'status.resolved': 'resuelto',
    'status.closed': 'cerrado',
  },
};

const OPEN: ReadonlySet<Dispute['status']> = new Set(['open', 'acknowledged']);
const OPEN_CASE: ReadonlySet<CaseStatus> = new Set(['open', 'acknowledged', 'in_progress', 'awaiting_customer']);

export const caseReference: Flow = {
  intent: 'case.reference',
  async step(ctx) {
    const t = ctx.t(s);
    const chat = ctx.cases ? await ctx.cases.conversationReference() : null;
    const own = ctx.records.filter((r) => r.reference);
    const quoted = new Set(own.flatMap((r) => (r.reference ? [r.reference.toUpperCase()] : [])));
    const cases = ctx.cases
      ? (await ctx.cases.list()).filter((c) => OPEN_CASE.has(c.status) && !quoted.has(c.reference.toUpperCase()))
      : [];
    for (const c of cases) quoted.add(c.reference.toUpperCase());
    const disputes = (await ctx.accounts.port.listDisputes(ctx.accounts.caller)).filter(
      (d) => OPEN.has(d.status) && !quoted.has(d.reference.toUpperCase()),
    );
    // A complaint passed on without a case (no cases service): say where its reference will come from.
    const complaint = ctx.records.some((r) => r.intent === 'complaint.file' && !r.reference) ? [t('complaint')] : [];
    if (!chat && !own.length && !cases.length && !disputes.length) return say([t('none'), ...complaint].join(' '));
    const lines = [
      ...(chat ? [t('chat', { reference: chat })] : []),
      ...own.map((r) => recordLine(r, ctx.today, ctx.lang)),
      ...cases.map((c) =>
        t('case', { reference: c.reference, type: t(`type.${c.type}`), status: t(`status.${c.status}`) }),
      ),
      ...disputes.map((d) =>
        t('dispute', {
          reference: d.reference,
          amount: money(d.amountCents, ctx.lang),
          merchant: d.merchant,
          date: day(d.noticeDate, ctx.lang),
        }),
      ),
    ];
    return say([t('intro'), ...lines, ...complaint].join('\n'));
  },
};
