/**
 * Strings of chat summaries and case notices, in English and Spanish. `Table<K>` makes a missing key
 * a compile error. Labels for case types, statuses and topics are shared by summaries and notices.
 */
import { CASE_STATUS_LABELS, CASE_TYPE_LABELS } from '@carechat/protocol';
import type { Language, Table } from '@carechat/protocol';

/** `November 25, 2026` / `25 de noviembre de 2026` for a YYYY-MM-DD day or an ISO timestamp. */
export function dayText(isoDay: string, lang: Language): string {
  const [y, m, d] = isoDay.slice(0, 10).split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(lang === 'es' ? 'es-US' : 'en-US', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** What the cardmember asked about, by the intent's area (never their words). */
export const TOPIC_LABELS: Record<Language, Record<string, string>> = {
  en: {
    card: 'your card',
    payment: 'payments',
    fee: 'fees',
    dispute: 'a disputed charge',
    fraud: 'suspected fraud',
    rewards: 'rewards',
    account: 'your account details',
    credit: 'your credit line',
    travel: 'travel',
    complaint: 'a complaint',
    transactions: 'recent transactions',
    faq: 'general questions',
    case: 'a reference number',
    agent: 'speaking with an agent',
    other: 'other questions',
  },
  es: {
    card: 'su tarjeta',
    payment: 'pagos',
    fee: 'cargos y comisiones',
    dispute: 'un cargo en disputa',
    fraud: 'posible fraude',
    rewards: 'recompensas',
    account: 'los datos de su cuenta',
    credit: 'su línea de crédito',
    travel: 'viajes',
    complaint: 'una queja',
    transactions: 'transacciones recientes',
    faq: 'preguntas generales',
    case: 'un número de referencia',
    agent: 'hablar con un agente',
    other: 'otras preguntas',
  },
};

export type SummaryKey =
  | 'title'
  | 'reference'
  | 'asked'
  | 'asked.none'
  | 'done'
  | 'done.none'
  | 'done.line'
  | 'done.line.reference'
  | 'done.agent'
  | 'done.case'
  | 'handled.queued'
  | 'handled.assigned'
  | 'handled.transferred'
  | 'handled.closed'
  | 'next'
  | 'next.none'
  | 'next.dispute'
  | 'next.card'
  | 'next.complaint'
  | 'next.complaint.case'
  | 'next.case'
  | 'message.subject';

export const summaryStrings: Table<SummaryKey> = {
  en: {
    title: 'Summary of this chat:',
    reference: 'Chat reference: {reference}',
    asked: 'What you asked about: {topics}.',
    'asked.none': 'What you asked about: general questions.',
    done: 'What we did:',
    'done.none': '• Nothing was changed on your account in this chat.',
    'done.line': '• {date}: {what}',
    'done.line.reference': '• {date}: {what} (reference {reference})',
    'done.agent': 'An agent made a change to your account ({operation})',
    'done.case': '{type} case {reference} opened; status: {status}',
    'handled.queued': '• {date}: Your chat was passed to our team.',
    'handled.assigned': '• {date}: An agent joined your chat.',
    'handled.transferred': '• {date}: Your chat was transferred to another team or agent.',
    'handled.closed': '• {date}: The chat ended.',
    next: 'Next steps and expected timeline:',
    'next.none': '• Nothing else is needed from you.',
    'next.dispute':
      "• Dispute {reference}: we'll confirm it in writing by {acknowledgeBy} and resolve it by {resolveBy}. You don't have to pay the disputed amount meanwhile.",
    'next.card': '• Your new card ending in {last4} should arrive by {date}. Activate it when it arrives.',
    'next.complaint': '• An agent will register your complaint formally and give you its reference number.',
    'next.complaint.case': '• Complaint {reference}: we will answer it in writing within 15 business days.',
    'next.case': '• Case {reference} ({type}): {status}. We will write to you in your secure messages.',
    'message.subject': 'Summary of your chat {reference}',
  },
  es: {
    title: 'Resumen de este chat:',
    reference: 'Referencia del chat: {reference}',
    asked: 'Lo que consultó: {topics}.',
    'asked.none': 'Lo que consultó: preguntas generales.',
    done: 'Lo que hicimos:',
    'done.none': '• No se cambió nada en su cuenta en este chat.',
    'done.line': '• {date}: {what}',
    'done.line.reference': '• {date}: {what} (referencia {reference})',
    'done.agent': 'Un agente hizo un cambio en su cuenta ({operation})',
    'done.case': 'Caso de {type} {reference} abierto; estado: {status}',
    'handled.queued': '• {date}: Su chat pasó a nuestro equipo.',
    'handled.assigned': '• {date}: Un agente se unió a su chat.',
    'handled.transferred': '• {date}: Su chat se transfirió a otro equipo o agente.',
    'handled.closed': '• {date}: El chat terminó.',
    next: 'Próximos pasos y plazos previstos:',
    'next.none': '• No necesita hacer nada más.',
    'next.dispute':
      '• Disputa {reference}: la confirmaremos por escrito a más tardar el {acknowledgeBy} y la resolveremos a más tardar el {resolveBy}. Mientras tanto, no tiene que pagar el monto en disputa.',
    'next.card':
      '• Su nueva tarjeta terminada en {last4} debería llegar a más tardar el {date}. Actívela cuando llegue.',
    'next.complaint': '• Un agente registrará su queja formalmente y le dará su número de referencia.',
    'next.complaint.case': '• Queja {reference}: le responderemos por escrito en un plazo de 15 días hábiles.',
    'next.case': '• Caso {reference} ({type}): {status}. Le escribiremos en sus mensajes seguros.',
    'message.subject': 'Resumen de su chat {reference}',
  },
};

export type NoticeKey =
  | 'opened.subject'
  | 'opened.body'
  | 'opened.dispute'
  | 'ack.subject'
  | 'ack.body'
  | 'ack.dispute.subject'
  | 'ack.dispute.body'
  | 'docs.subject'
  | 'docs.body'
  | 'resolved.subject'
  | 'resolved.body'
  | 'resolved.outcome'
  | 'note'
  | 'footer';

export const noticeStrings: Table<NoticeKey> = {
  en: {
    'opened.subject': 'We opened case {reference}',
    'opened.body':
      'We opened case {reference} ({type}: {title}) on {date}. Quote this reference whenever you contact us.',
    'opened.dispute': 'We will acknowledge your dispute in writing by {acknowledgeBy} and resolve it by {resolveBy}.',
    'ack.subject': 'We are working on case {reference}',
    'ack.body': 'We have received case {reference} ({title}) and are working on it.',
    'ack.dispute.subject': 'Written acknowledgement of your dispute {reference}',
    'ack.dispute.body':
      'This message is our written acknowledgement of your billing-error notice for dispute {reference} ({title}), received on {date}. We will investigate and resolve it by {resolveBy}. While we do, you do not have to pay the disputed amount or any finance charges on it, and we will not report it as late; you must still pay the rest of your balance.',
    'docs.subject': 'We need documents for case {reference}',
    'docs.body':
      'To continue with case {reference} ({title}) we need documents from you. We will send you a secure upload link; never send card numbers or passwords by message.',
    'resolved.subject': 'Case {reference} is resolved',
    'resolved.body': 'Case {reference} ({title}) was resolved on {date}.',
    'resolved.outcome': 'Outcome: {note}',
    note: 'Note from our team: {note}',
    footer: 'You can follow this case under Your cases on our website.',
  },
  es: {
    'opened.subject': 'Abrimos el caso {reference}',
    'opened.body':
      'Abrimos el caso {reference} ({type}: {title}) el {date}. Indique esta referencia siempre que se comunique con nosotros.',
    'opened.dispute':
      'Confirmaremos su disputa por escrito a más tardar el {acknowledgeBy} y la resolveremos a más tardar el {resolveBy}.',
    'ack.subject': 'Estamos trabajando en el caso {reference}',
    'ack.body': 'Recibimos el caso {reference} ({title}) y estamos trabajando en él.',
    'ack.dispute.subject': 'Confirmación por escrito de su disputa {reference}',
    'ack.dispute.body':
      'Este mensaje es nuestra confirmación por escrito de su aviso de error de facturación para la disputa {reference} ({title}), recibido el {date}. La investigaremos y resolveremos a más tardar el {resolveBy}. Mientras tanto, no tiene que pagar el monto en disputa ni los cargos financieros sobre él, y no lo reportaremos como atrasado; debe seguir pagando el resto de su saldo.',
    'docs.subject': 'Necesitamos documentos para el caso {reference}',
    'docs.body':
      'Para continuar con el caso {reference} ({title}) necesitamos documentos suyos. Le enviaremos un enlace seguro para subirlos; nunca envíe números de tarjeta ni contraseñas por mensaje.',
    'resolved.subject': 'El caso {reference} está resuelto',
    'resolved.body': 'El caso {reference} ({title}) se resolvió el {date}.',
    'resolved.outcome': 'Resultado: {note}',
    note: 'Nota de nuestro equipo: {note}',
    footer: 'Puede seguir este caso en Sus casos en nuestro sitio web.',
  },
};

/** Account operations as the audit log names them, as a cardmember reads them. */
export const OPERATION_LABELS: Record<Language, Record<string, string>> = {
  en: {
    activateCard: 'card activated',
    addAuthorizedUser: 'authorized user added',
    addTravelNotice: 'travel notice added',
    changeDueDate: 'payment due date changed',
    lockCard: 'card locked',
    unlockCard: 'card unlocked',
    openDispute: 'dispute opened',
    redeemPayWithPoints: 'points redeemed',
    removeAuthorizedUser: 'authorized user removed',
    replaceDamaged: 'damaged card replaced',
    reportLostOrStolen: 'card reported lost or stolen and replaced',
    requestCreditLimitIncrease: 'credit limit increase requested',
    requestLateFeeGoodwill: 'late fee reviewed',
    schedulePayment: 'payment scheduled',
    updateCommunicationPreferences: 'communication preferences updated',
    updateContact: 'contact details updated',
    other: 'account updated',
  },
  es: {
    activateCard: 'tarjeta activada',
    addAuthorizedUser: 'usuario autorizado agregado',
    addTravelNotice: 'aviso de viaje registrado',
    changeDueDate: 'fecha de vencimiento cambiada',
    lockCard: 'tarjeta bloqueada',
    unlockCard: 'tarjeta desbloqueada',
    openDispute: 'disputa abierta',
    redeemPayWithPoints: 'puntos canjeados',
    removeAuthorizedUser: 'usuario autorizado eliminado',
    replaceDamaged: 'tarjeta dañada reemplazada',
    reportLostOrStolen: 'tarjeta reportada como perdida o robada y reemplazada',
    requestCreditLimitIncrease: 'aumento de límite de crédito solicitado',
    requestLateFeeGoodwill: 'cargo por pago atrasado revisado',
    schedulePayment: 'pago programado',
    updateCommunicationPreferences: 'preferencias de comunicación actualizadas',
    updateContact: 'datos de contacto actualizados',
    other: 'cuenta actualizada',
  },
};

export { CASE_STATUS_LABELS, CASE_TYPE_LABELS };
