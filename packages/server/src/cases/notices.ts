/**
 * Case notices: the secure messages a cardmember gets, in the case's language, when their case opens,
 * is acknowledged (for disputes, the written acknowledgement the Fair Credit Billing Act requires),
 * needs documents, or is resolved (with the outcome note). Written inside the case's own transaction
 * (so a notice exists exactly when the change does) with a dedupe key, and announced on the bus once
 * the case's `case.updated` event shows the transaction committed.
 */
import { translator, type CaseStatus, type Language } from '@carechat/protocol';
import type { Transaction } from 'kysely';
import type { Bus } from '../bus/bus.js';
import { channels } from '../bus/events.js';
import type { Database, CasesTable, SecureMessagesTable } from '../store/schema.js';
import type { CasesService } from './cases.service.js';
import type { SecureMessagesService } from './secure-messages.service.js';
import { CASE_TYPE_LABELS, dayText, noticeStrings } from './summary.strings.js';

type Tx = Transaction<Database>;

export interface Notice {
  kind: SecureMessagesTable['kind'];
  subject: string;
  body: string;
}

/** The notice for a case that just opened. */
export function openedNotice(c: CasesTable, lang: Language = c.language): Notice {
  const t = translator(noticeStrings, lang);
  const p = params(c, lang);
  const body = [t('opened.body', p)];
  if (c.type === 'dispute' && c.acknowledge_by && c.resolve_by) body.push(t('opened.dispute', p));
  body.push(t('footer'));
  return { kind: 'case_update', subject: t('opened.subject', p), body: body.join('\n\n') };
}

/** The notice for a status change, or null when the cardmember is not written to for it. */
export function statusNotice(
  c: CasesTable,
  to: CaseStatus,
  note: string | null,
  lang: Language = c.language,
): Notice | null {
  const t = translator(noticeStrings, lang);
  const p = { ...params(c, lang), note: note ?? '' };
  const withNote = (parts: string[], key: 'note' | 'resolved.outcome' = 'note') =>
    [...parts, ...(note ? [t(key, p)] : []), t('footer')].join('\n\n');
  switch (to) {
    case 'acknowledged':
      return c.type === 'dispute'
        ? {
            kind: 'acknowledgement',
            subject: t('ack.dispute.subject', p),
            body: withNote([t('ack.dispute.body', p)]),
          }
        : { kind: 'acknowledgement', subject: t('ack.subject', p), body: withNote([t('ack.body', p)]) };
    case 'awaiting_customer':
      return { kind: 'document_request', subject: t('docs.subject', p), body: withNote([t('docs.body', p)]) };
    case 'resolved':
      return {
        kind: 'resolution',
        subject: t('resolved.subject', p),
        body: withNote(
          [t('resolved.body', { ...p, date: dayText(c.resolved_at ?? c.updated_at, lang) })],
          'resolved.outcome',
        ),
      };
    default:
      return null;
  }
}

function params(c: CasesTable, lang: Language): Record<string, string> {
  return {
    reference: c.reference,
    title: c.title,
    type: CASE_TYPE_LABELS[lang][c.type],
    date: dayText(c.created_at, lang),
    acknowledgeBy: c.acknowledge_by ? dayText(c.acknowledge_by, lang) : '',
    resolveBy: c.resolve_by ? dayText(c.resolve_by, lang) : '',
  };
}

/**
 * Registers the notices with the cases service. Messages are stored in the case's transaction; the
 * bus event for each goes out when the case's own `case.updated` event (published after commit) is
 * heard, and only if the message is really there (a rolled-back change leaves nothing to announce).
 */
export function registerCaseNotices(deps: {
  cases: CasesService;
  messages: SecureMessagesService;
  bus: Bus;
}): () => void {
  const pending = new Map<string, SecureMessagesTable[]>();
  const queue = (caseId: string, m: SecureMessagesTable) => pending.set(caseId, [...(pending.get(caseId) ?? []), m]);

  deps.cases.onOpened(async (c, tx) => {
    const n = openedNotice(c);
    const r = await deps.messages.send(
      { cardmemberId: c.cardmember_id, caseId: c.id, language: c.language, ...n, dedupeKey: `case:${c.id}:opened` },
      tx,
    );
    if (r.created) queue(c.id, r.message);
  });

  deps.cases.onStatusChanged(async (c, _from, tx, note, { notify }) => {
    if (!notify) return;
    const n = statusNotice(c, c.status, note);
    if (!n) return;
    const r = await deps.messages.send(
      { cardmemberId: c.cardmember_id, caseId: c.id, language: c.language, ...n, dedupeKey: await dedupeKey(tx, c) },
      tx,
    );
    if (r.created) queue(c.id, r.message);
  });

  return deps.bus.subscribe(channels.staff, (e) => {
    if (e.name !== 'case.updated') return;
    const caseId = (e.payload as { caseId: string }).caseId;
    const waiting = pending.get(caseId);
    if (!waiting) return;
    pending.delete(caseId);
    void (async () => {
      for (const m of waiting) {
        if (await deps.messages.get(m.cardmember_id, m.id)) await deps.messages.publishCreated(m);
      }
    })();
  });
}

/**
 * `case:<id>:status:<status>` for the first time a case reaches a status; a case that comes back to it
 * (documents asked twice, reopened and resolved again) gets `:<n>` so each real change has its notice.
 */
async function dedupeKey(tx: Tx, c: CasesTable): Promise<string> {
  const row = await tx
    .selectFrom('case_events')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('case_id', '=', c.id)
    .where('type', '=', 'status_changed')
    .where('to_status', '=', c.status)
    .executeTakeFirst();
  const n = Number(row?.n ?? 1);
  return n <= 1 ? `case:${c.id}:status:${c.status}` : `case:${c.id}:status:${c.status}:${n}`;
}
