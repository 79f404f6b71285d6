/**
 * case.reference: the reference numbers the cardmember can quote. Those this chat produced (records)
 * come first; then the cardmember's open disputes from the accounts system, which may have been
 * opened in an earlier chat or by an agent.
 */
import type { Table } from '@carechat/protocol';
import type { Dispute } from '../../../accounts/accounts.port.js';
import { day, money, say, type Flow } from '../../dialogue/flow.js';
import { recordLine } from './records.js';

type Key = 'intro' | 'dispute' | 'none' | 'complaint';

const s: Table<Key> = {
  en: {
    intro: 'Here are your reference numbers:',
    dispute: '• {reference}: dispute of {amount} at {merchant}, opened {date}, open',
    none: "No reference number has been created for you yet. Whenever I open a case for you, such as a dispute, I'll give you its reference number right away.",
    complaint: 'Your complaint gets its reference number from the agent who registers it.',
  },
  es: {
    intro: 'Estos son sus números de referencia:',
    dispute: '• {reference}: disputa de {amount} en {merchant}, abierta el {date}, en curso',
    none: 'Todavía no se ha creado ningún número de referencia para usted. Cuando abra un caso para usted, como una disputa, le daré su número de referencia de inmediato.',
    complaint: 'El agente que registre su queja le dará su número de referencia.',
  },
};

const OPEN: ReadonlySet<Dispute['status']> = new Set(['open', 'acknowledged']);

export const caseReference: Flow = {
  intent: 'case.reference',
  async step(ctx) {
    const t = ctx.t(s);
    const own = ctx.records.filter((r) => r.reference);
    const quoted = new Set(own.flatMap((r) => (r.reference ? [r.reference.toUpperCase()] : [])));
    const disputes = (await ctx.accounts.port.listDisputes(ctx.accounts.caller)).filter(
      (d) => OPEN.has(d.status) && !quoted.has(d.reference.toUpperCase()),
    );
    // A complaint passed on in this chat has no reference yet (issue 7): say where it will come from.
    const complaint = ctx.records.some((r) => r.intent === 'complaint.file') ? [t('complaint')] : [];
    if (!own.length && !disputes.length) return say([t('none'), ...complaint].join(' '));
    const lines = [
      ...own.map((r) => recordLine(r, ctx.today, ctx.lang)),
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
