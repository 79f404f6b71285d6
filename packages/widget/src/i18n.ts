/**
 * Every string the widget shows. `Table<K>` makes a missing key in either language a compile error;
 * i18n.test.ts also checks that both languages use the same `{placeholders}`.
 */
import { translator, type Language, type Table } from '@carechat/protocol/client';

export type WidgetKey =
  | 'launcher'
  | 'landmark'
  | 'titleBank'
  | 'titleCard'
  | 'titleDefault'
  | 'close'
  | 'end'
  | 'endPrompt'
  | 'endConfirm'
  | 'endCancel'
  | 'signOut'
  | 'signOutPrompt'
  | 'signOutConfirm'
  | 'signOutCancel'
  | 'signedOutSelf'
  | 'signedOutRevoked'
  | 'signedOutReload'
  | 'signedOutNoTranscript'
  | 'err.signout'
  | 'log'
  | 'messageLabel'
  | 'placeholder'
  | 'send'
  | 'you'
  | 'assistant'
  | 'agent'
  | 'authorSaid'
  | 'sending'
  | 'notSent'
  | 'retrySend'
  | 'editMessage'
  | 'connecting'
  | 'reconnecting'
  | 'statusBot'
  | 'statusQueued'
  | 'queueCard'
  | 'queuePosition'
  | 'queueWait'
  | 'queueKeepChatting'
  | 'queueUnavailable'
  | 'queueUnavailableNoTeam'
  | 'queueClosed'
  | 'queueClosedNoTeam'
  | 'queueOpens'
  | 'queueStillInLine'
  | 'queueCallUs'
  | 'keepChatting'
  | 'fraudNotice'
  | 'fraudNoticeNoPhone'
  | 'atTime'
  | 'atTimeOne'
  | 'openToday'
  | 'openTomorrow'
  | 'openDay'
  | 'lang.en'
  | 'lang.es'
  | 'statusAssigned'
  | 'closed'
  | 'transcript'
  | 'newChat'
  | 'typing'
  | 'quickReplies'
  | 'sensitiveWarning'
  | 'sensitiveAgain'
  | 'redactedNotice'
  | 'redacted.card_number'
  | 'redacted.security_code'
  | 'redacted.ssn'
  | 'redacted.one_time_code'
  | 'redacted.password'
  | 'charsLeft'
  | 'charsOver'
  | 'tryAgain'
  | 'dismiss'
  | 'tooLong'
  | 'err.session_expired'
  | 'err.signin'
  | 'err.token_replayed'
  | 'err.network'
  | 'err.internal'
  | 'err.rate_limited'
  | 'err.message_too_long'
  | 'err.message_empty'
  | 'err.conversation_closed'
  | 'err.conversation_not_found'
  | 'err.forbidden'
  | 'err.unsupported_protocol'
  | 'err.frame_too_large'
  | 'err.transcript'
  | 'err.generic'
  | 'newTab';

export const widgetStrings: Table<WidgetKey> = {
  en: {
    launcher: 'Chat with us',
    landmark: 'Customer chat',
    titleBank: 'Chat with {bank} — card ending {last4}',
    titleCard: 'Chat with us — card ending {last4}',
    titleDefault: 'Chat with us',
    close: 'Close chat',
    end: 'End chat',
    endPrompt: 'End this chat?',
    endConfirm: 'Yes, end chat',
    endCancel: 'Keep chatting',
    signOut: 'End chat and sign out',
    signOutPrompt:
      'This ends the chat and signs this chat session out everywhere it is open. To chat again, reload the page from the official site.',
    signOutConfirm: 'Yes, end chat and sign out',
    signOutCancel: 'Cancel',
    signedOutSelf: 'You ended the chat and signed out of this chat session.',
    signedOutRevoked: 'This chat session was ended. Reload the page to start again.',
    signedOutReload: 'Reload the page from the official site to start a new chat.',
    signedOutNoTranscript: 'The transcript can no longer be downloaded here, because this chat session was signed out.',
    'err.signout': "We couldn't end the chat and sign out. Please try again.",
    log: 'Chat messages',
    messageLabel: 'Message',
    placeholder: 'Type your message',
    send: 'Send',
    you: 'You',
    assistant: 'Assistant',
    agent: 'Agent',
    authorSaid: '{author}:',
    sending: 'Sending…',
    notSent: 'Not sent: {reason}',
    retrySend: 'Try sending again',
    editMessage: 'Edit message',
    connecting: 'Connecting…',
    reconnecting: 'Reconnecting…',
    statusBot: 'You are chatting with our virtual assistant.',
    statusQueued: 'You are in line to chat with an agent.',
    queueCard: 'Waiting for an agent',
    queuePosition: 'You are number {position} in line for the {team} team.',
    queueWait: 'Estimated wait: {wait}.',
    queueKeepChatting: 'You can keep chatting with the assistant while you wait.',
    queueUnavailable: 'No one on our {team} team can take your chat right now.',
    queueUnavailableNoTeam: 'No one can take your chat right now.',
    queueClosed: 'Our {team} team is closed right now.',
    queueClosedNoTeam: 'Our team is closed right now.',
    queueOpens: 'Our {team} team opens {when}.',
    queueStillInLine: 'You keep your place in line (number {position}).',
    queueCallUs: 'You can also call us at {phone}.',
    keepChatting: 'Keep chatting with the assistant',
    fraudNotice:
      'If you think someone is using your card right now, call us at {phone} — the number is also on the back of your card.',
    fraudNoticeNoPhone: 'If you think someone is using your card right now, call the number on the back of your card.',
    atTime: 'at {time}',
    atTimeOne: 'at {time}',
    openToday: 'today {at}',
    openTomorrow: 'tomorrow {at}',
    openDay: '{day} {at}',
    'lang.en': 'English',
    'lang.es': 'Spanish',
    statusAssigned: '{name} is here to help',
    closed: 'This chat has ended.',
    transcript: 'Download transcript',
    newChat: 'Start a new chat',
    typing: '{name} is typing…',
    quickReplies: 'Suggested replies',
    sensitiveWarning: "For your security, please don't share full card numbers or security codes in chat.",
    sensitiveAgain: 'To send it anyway, press Send again.',
    redactedNotice: 'For your security we removed {items} from your message.',
    'redacted.card_number': 'a card number',
    'redacted.security_code': 'a security code',
    'redacted.ssn': 'a Social Security number',
    'redacted.one_time_code': 'a one-time code',
    'redacted.password': 'a password',
    charsLeft: '{count} characters left',
    charsOver: '{count} characters over the limit',
    tryAgain: 'Try again',
    dismiss: 'Dismiss',
    tooLong: 'Your message is too long. Please shorten it to {max} characters or fewer.',
    'err.session_expired': 'Your session has expired. Please sign in again.',
    'err.signin': "We couldn't confirm your sign-in. Please sign in again.",
    'err.token_replayed': "We couldn't start the chat. Please try again.",
    'err.network': "We can't reach the chat service. Check your connection and try again.",
    'err.internal': 'Something went wrong on our side. Please try again.',
    'err.rate_limited': "You're sending messages quickly. We'll send yours in a moment.",
    'err.message_too_long': 'the message is longer than 4,000 characters',
    'err.message_empty': 'the message is empty',
    'err.conversation_closed': 'this chat has ended',
    'err.conversation_not_found': "We couldn't find this chat.",
    'err.forbidden': "You don't have access to this chat.",
    'err.unsupported_protocol': 'This chat window is out of date. Please reload the page.',
    'err.frame_too_large': 'That message was too large to send. Please reload the page.',
    'err.transcript': "We couldn't download the transcript. Please try again.",
    'err.generic': 'Something went wrong. Please try again.',
    newTab: '(opens in a new tab)',
  },
  es: {
    launcher: 'Chatear con nosotros',
    landmark: 'Chat de atención al cliente',
    titleBank: 'Chat con {bank} — tarjeta terminada en {last4}',
    titleCard: 'Chatee con nosotros — tarjeta terminada en {last4}',
    titleDefault: 'Chatear con nosotros',
    close: 'Cerrar chat',
    end: 'Finalizar chat',
    endPrompt: '¿Finalizar este chat?',
    endConfirm: 'Sí, finalizar chat',
    endCancel: 'Seguir chateando',
    signOut: 'Finalizar el chat y cerrar sesión',
    signOutPrompt:
      'Esto finaliza el chat y cierra esta sesión de chat en todos los lugares donde esté abierta. Para volver a chatear, vuelva a cargar la página desde el sitio oficial.',
    signOutConfirm: 'Sí, finalizar el chat y cerrar sesión',
    signOutCancel: 'Cancelar',
    signedOutSelf: 'Finalizó el chat y cerró esta sesión de chat.',
    signedOutRevoked: 'Esta sesión de chat se finalizó. Vuelva a cargar la página para empezar de nuevo.',
    signedOutReload: 'Vuelva a cargar la página desde el sitio oficial para iniciar un nuevo chat.',
    signedOutNoTranscript: 'La transcripción ya no se puede descargar aquí, porque se cerró esta sesión de chat.',
    'err.signout': 'No pudimos finalizar el chat y cerrar la sesión. Inténtelo de nuevo.',
    log: 'Mensajes del chat',
    messageLabel: 'Mensaje',
    placeholder: 'Escriba su mensaje',
    send: 'Enviar',
    you: 'Usted',
    assistant: 'Asistente',
    agent: 'Agente',
    authorSaid: '{author}:',
    sending: 'Enviando…',
    notSent: 'No enviado: {reason}',
    retrySend: 'Intentar enviar de nuevo',
    editMessage: 'Editar mensaje',
    connecting: 'Conectando…',
    reconnecting: 'Reconectando…',
    statusBot: 'Está chateando con nuestro asistente virtual.',
    statusQueued: 'Está en la fila para chatear con un agente.',
    queueCard: 'Esperando a un agente',
    queuePosition: 'Usted es el número {position} en la fila del equipo {team}.',
    queueWait: 'Tiempo de espera estimado: {wait}.',
    queueKeepChatting: 'Mientras espera, puede seguir chateando con el asistente.',
    queueUnavailable: 'En este momento nadie del equipo {team} puede atender su chat.',
    queueUnavailableNoTeam: 'En este momento nadie puede atender su chat.',
    queueClosed: 'Nuestro equipo {team} está cerrado en este momento.',
    queueClosedNoTeam: 'Nuestro equipo está cerrado en este momento.',
    queueOpens: 'Nuestro equipo {team} abre {when}.',
    queueStillInLine: 'Conserva su lugar en la fila (número {position}).',
    queueCallUs: 'También puede llamarnos al {phone}.',
    keepChatting: 'Seguir chateando con el asistente',
    fraudNotice:
      'Si cree que alguien está usando su tarjeta en este momento, llámenos al {phone}; el número también está en el reverso de su tarjeta.',
    fraudNoticeNoPhone:
      'Si cree que alguien está usando su tarjeta en este momento, llame al número que está en el reverso de su tarjeta.',
    atTime: 'a las {time}',
    atTimeOne: 'a la {time}',
    openToday: 'hoy {at}',
    openTomorrow: 'mañana {at}',
    openDay: 'el {day} {at}',
    'lang.en': 'inglés',
    'lang.es': 'español',
    statusAssigned: '{name} está aquí para ayudarle',
    closed: 'Este chat ha finalizado.',
    transcript: 'Descargar transcripción',
    newChat: 'Iniciar un nuevo chat',
    typing: '{name} está escribiendo…',
    quickReplies: 'Respuestas sugeridas',
    sensitiveWarning: 'Por su seguridad, no comparta números de tarjeta completos ni códigos de seguridad en el chat.',
    sensitiveAgain: 'Para enviarlo de todos modos, pulse Enviar otra vez.',
    redactedNotice: 'Por su seguridad, eliminamos {items} de su mensaje.',
    'redacted.card_number': 'un número de tarjeta',
    'redacted.security_code': 'un código de seguridad',
    'redacted.ssn': 'un número de Seguro Social',
    'redacted.one_time_code': 'un código de un solo uso',
    'redacted.password': 'una contraseña',
    charsLeft: 'Quedan {count} caracteres',
    charsOver: '{count} caracteres por encima del límite',
    tryAgain: 'Intentar de nuevo',
    dismiss: 'Descartar',
    tooLong: 'Su mensaje es demasiado largo. Redúzcalo a {max} caracteres o menos.',
    'err.session_expired': 'Su sesión ha expirado. Inicie sesión de nuevo.',
    'err.signin': 'No pudimos confirmar su inicio de sesión. Inicie sesión de nuevo.',
    'err.token_replayed': 'No pudimos iniciar el chat. Inténtelo de nuevo.',
    'err.network': 'No podemos conectar con el servicio de chat. Revise su conexión e inténtelo de nuevo.',
    'err.internal': 'Algo salió mal de nuestro lado. Inténtelo de nuevo.',
    'err.rate_limited': 'Está enviando mensajes rápidamente. Enviaremos el suyo en un momento.',
    'err.message_too_long': 'el mensaje supera los 4000 caracteres',
    'err.message_empty': 'el mensaje está vacío',
    'err.conversation_closed': 'este chat ha finalizado',
    'err.conversation_not_found': 'No encontramos este chat.',
    'err.forbidden': 'No tiene acceso a este chat.',
    'err.unsupported_protocol': 'Esta ventana de chat está desactualizada. Vuelva a cargar la página.',
    'err.frame_too_large': 'Ese mensaje era demasiado grande para enviarlo. Vuelva a cargar la página.',
    'err.transcript': 'No pudimos descargar la transcripción. Inténtelo de nuevo.',
    'err.generic': 'Algo salió mal. Inténtelo de nuevo.',
    newTab: '(se abre en una pestaña nueva)',
  },
};

export type T = (key: WidgetKey, params?: Record<string, string | number>) => string;

/** The widget's translate function for one language. */
export function widgetT(lang: Language): T {
  return translator(widgetStrings, lang);
}

const ERROR_KEYS: Record<string, WidgetKey> = {
  session_expired: 'err.session_expired',
  token_expired: 'err.session_expired',
  unauthorized: 'err.session_expired',
  token_missing: 'err.signin',
  token_invalid: 'err.signin',
  signin_required: 'err.signin',
  token_replayed: 'err.token_replayed',
  network: 'err.network',
  internal: 'err.internal',
  rate_limited: 'err.rate_limited',
  message_too_long: 'err.message_too_long',
  message_empty: 'err.message_empty',
  conversation_closed: 'err.conversation_closed',
  conversation_not_found: 'err.conversation_not_found',
  forbidden: 'err.forbidden',
  unsupported_protocol: 'err.unsupported_protocol',
  frame_too_large: 'err.frame_too_large',
  transcript: 'err.transcript',
  signout: 'err.signout',
};

/** Maps any API, wire or local error code to the string that explains it; unknown codes get a generic line. */
export function errorKey(code: string): WidgetKey {
  return ERROR_KEYS[code] ?? 'err.generic';
}
