/**
 * How the assistant tells the cardmember what it did in this chat. An `ActionRecord` carries an
 * English description written for agents; an English chat shows it as is, a Spanish chat names the
 * kind of request instead (by intent), since the description cannot be translated.
 */
import type { Language, Table } from '@carechat/protocol';
import { translator } from '@carechat/protocol';
import type { ActionRecord } from '../../dialogue/flow.js';
import { day } from '../../dialogue/flow.js';

/** Intents whose flows leave a record: they change an account or pass a request on. */
const KINDS = [
  'card.lost_stolen',
  'card.damaged',
  'card.activate',
  'card.lock',
  'card.unlock',
  'card.wallet',
  'payment.make',
  'payment.change_due_date',
  'fee.late',
  'dispute.start',
  'fraud.report',
  'rewards.redeem',
  'account.authorized_user',
  'account.update_contact',
  'account.preferences',
  'credit.limit_increase',
  'travel.notification',
  'complaint.file',
] as const;
type Kind = (typeof KINDS)[number];

const es: Record<Kind | 'other', string> = {
  'card.lost_stolen': 'Reporte de tarjeta perdida o robada',
  'card.damaged': 'Reemplazo de tarjeta dañada',
  'card.activate': 'Activación de tarjeta',
  'card.lock': 'Bloqueo de tarjeta',
  'card.unlock': 'Desbloqueo de tarjeta',
  'card.wallet': 'Cambio en su billetera digital',
  'payment.make': 'Pago programado',
  'payment.change_due_date': 'Cambio de fecha de vencimiento',
  'fee.late': 'Revisión de un cargo por pago atrasado',
  'dispute.start': 'Disputa de un cargo',
  'fraud.report': 'Reporte de fraude',
  'rewards.redeem': 'Canje de puntos',
  'account.authorized_user': 'Cambio de usuarios autorizados',
  'account.update_contact': 'Actualización de datos de contacto',
  'account.preferences': 'Cambio de preferencias',
  'credit.limit_increase': 'Solicitud de aumento de límite de crédito',
  'travel.notification': 'Aviso de viaje',
  'complaint.file': 'Queja enviada a Atención al Cliente para su registro formal',
  other: 'Solicitud atendida por el asistente',
};

const isKind = (intent: string): intent is Kind => (KINDS as readonly string[]).includes(intent);

/** What was done, in the cardmember's language. */
export function recordLabel(record: ActionRecord, lang: Language): string {
  if (lang === 'en') return record.description;
  return es[isKind(record.intent) ? record.intent : 'other'];
}

/** The day a record was made, as the cardmember reads dates. */
export const recordDay = (record: ActionRecord, today: string, lang: Language): string =>
  day((record.at ?? today).slice(0, 10), lang);

type Key = 'line' | 'line.reference';

const s: Table<Key> = {
  en: { line: '• {date}: {what}', 'line.reference': '• {date}: {what} (reference {reference})' },
  es: { line: '• {date}: {what}', 'line.reference': '• {date}: {what} (referencia {reference})' },
};

/** One short line per record: "• November 25, 2026: Locked card ending 1005 (reference …)". */
export function recordLine(record: ActionRecord, today: string, lang: Language): string {
  const t = translator(s, lang);
  const params = { date: recordDay(record, today, lang), what: recordLabel(record, lang) };
  return record.reference ? t('line.reference', { ...params, reference: record.reference }) : t('line', params);
}
