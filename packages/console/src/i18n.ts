/**
 * Every string the console shows. `Table<K>` makes a missing key in either language a compile error;
 * i18n.test.ts checks the same at runtime, plus matching `{placeholders}`.
 */
import { systemStrings, translator, type Language, type SystemCode, type Table } from '@carechat/protocol/client';

const en = {
  'app.name': 'carechat console',
  'app.title': 'carechat console',
  'app.titleWaiting': '({count} waiting) carechat console',
  'app.titleSignIn': 'Sign in · carechat console',
  'app.loading': 'Loading…',

  'signin.heading': 'Sign in to carechat console',
  'signin.email': 'Email',
  'signin.password': 'Password',
  'signin.submit': 'Sign in',
  'signin.missing': 'Enter your email and password.',
  'signin.sessionEnded': 'Your session has ended. Please sign in again.',
  'signin.signedOut': 'You have signed out.',

  'error.invalid_credentials': 'The email or password is incorrect.',
  'error.rate_limited': 'Too many attempts. Wait a minute and try again.',
  'error.network': 'Cannot reach carechat. Check your connection and try again.',
  'error.generic': 'Something went wrong. Please try again.',
  'error.conversation_not_waiting': 'Another agent already took this chat.',
  'error.conversation_closed': 'This chat has already ended.',
  'error.conversation_not_found': 'This chat could not be found.',
  'error.forbidden': 'You do not have access to that.',
  'error.status_failed': 'Your status could not be changed. Please try again.',
  'error.transcript_failed': 'The transcript could not be downloaded. Please try again.',

  'wsError.message_empty': 'Write a message before sending.',
  'wsError.message_too_long': 'That message is too long to send.',
  'wsError.rate_limited': 'You are sending messages too quickly. Retrying shortly.',
  'wsError.conversation_closed': 'This chat has ended, so the message was not sent.',
  'wsError.conversation_not_found': 'This chat could not be found.',
  'wsError.forbidden': 'You cannot write in this chat.',
  'wsError.generic': 'The connection reported a problem. Please try again.',

  'header.signedInAs': 'Signed in as {name}',
  'header.signOut': 'Sign out',
  'status.label': 'Status',
  'status.available': 'Available',
  'status.away': 'Away',
  'status.offline': 'Offline',
  'status.current.available': 'You are available for new chats.',
  'status.current.away': 'You are away.',
  'status.current.offline': 'You are offline.',
  'connection.connecting': 'Connecting…',
  'connection.online': 'Connected',
  'connection.reconnecting': 'Reconnecting…',
  'connection.stopped': 'Disconnected',

  'inbox.label': 'Chats',
  'waiting.heading': 'Waiting',
  'waiting.empty': 'No one is waiting.',
  'waiting.accept': 'Accept',
  'waiting.acceptLabel': 'Accept chat with {name}, card ending {last4}',
  'waiting.for': 'Waiting {time}',
  'waiting.new': 'New chat waiting: {name}, {team} team',
  'waiting.newNoTeam': 'New chat waiting: {name}',
  'mine.heading': 'My chats',
  'mine.empty': 'No open chats.',
  'mine.unread': '{count} new',
  'card.ending': 'card ending {last4}',
  'team.named': '{team} team',
  'lang.en': 'English',
  'lang.es': 'Spanish',
  'time.underMinute': 'under 1 min',
  'time.minutes': '{n} min',
  'time.hours': '{h} h {m} min',

  'conv.none.heading': 'No chat open',
  'conv.none.body': 'Accept a waiting chat or open one of your chats.',
  'conv.heading': '{name}, card ending {last4}',
  'conv.status': 'Status: {status}',
  'conv.status.bot': 'with the assistant',
  'conv.status.queued': 'waiting in the queue',
  'conv.status.mine': 'with you',
  'conv.status.other': 'with {name}',
  'conv.status.closed': 'chat ended',
  'conv.product': '{product}, {language}',
  'conv.loading': 'Loading chat…',
  'conv.log': 'Conversation with {name}',
  'conv.readOnly': 'This chat is not assigned to you, so it is read-only.',

  'author.cardmember': '{name} (cardmember)',
  'author.assistant': 'Assistant',
  'author.you': 'You',
  'author.agent': '{name} (agent)',
  'author.system': 'Notice',
  'msg.sending': 'Sending…',
  'msg.failed': 'Not sent: {reason}',
  typing: '{name} is typing…',

  'composer.label': 'Message',
  'composer.send': 'Send',
  'composer.hint': 'Press Enter to send, Shift+Enter for a new line.',
  'composer.tooLong': 'Messages can be at most {max} characters.',

  'end.button': 'End chat',
  'end.question': 'End this chat with {name}?',
  'end.confirm': 'Yes, end chat',
  'end.cancel': 'Cancel',
  'closed.heading': 'Chat ended',
  'transcript.download': 'Download transcript',

  'live.message': '{author}: {body}',
  'live.messageElsewhere': 'New message from {name}, card ending {last4}',
  'notice.dismiss': 'Dismiss',

  // The protocol's notices are worded for the cardmember; these two read wrong from the agent's side.
  'system.conversation.queued': '{name} is waiting for the {team} team.',
  'system.conversation.closed_by_cardmember': '{name} ended the chat.',
} as const;

export type ConsoleKey = keyof typeof en;

export const strings: Table<ConsoleKey> = {
  en,
  es: {
    'app.name': 'consola carechat',
    'app.title': 'consola carechat',
    'app.titleWaiting': '({count} en espera) consola carechat',
    'app.titleSignIn': 'Iniciar sesión · consola carechat',
    'app.loading': 'Cargando…',

    'signin.heading': 'Iniciar sesión en la consola carechat',
    'signin.email': 'Correo electrónico',
    'signin.password': 'Contraseña',
    'signin.submit': 'Iniciar sesión',
    'signin.missing': 'Escriba su correo electrónico y su contraseña.',
    'signin.sessionEnded': 'Su sesión terminó. Vuelva a iniciar sesión.',
    'signin.signedOut': 'Cerró la sesión.',

    'error.invalid_credentials': 'El correo electrónico o la contraseña no son correctos.',
    'error.rate_limited': 'Demasiados intentos. Espere un minuto y vuelva a intentarlo.',
    'error.network': 'No se puede conectar con carechat. Revise su conexión y vuelva a intentarlo.',
    'error.generic': 'Algo salió mal. Vuelva a intentarlo.',
    'error.conversation_not_waiting': 'Otro agente ya tomó este chat.',
    'error.conversation_closed': 'Este chat ya terminó.',
    'error.conversation_not_found': 'No se encontró este chat.',
    'error.forbidden': 'No tiene acceso a eso.',
    'error.status_failed': 'No se pudo cambiar su estado. Vuelva a intentarlo.',
    'error.transcript_failed': 'No se pudo descargar la transcripción. Vuelva a intentarlo.',

    'wsError.message_empty': 'Escriba un mensaje antes de enviarlo.',
    'wsError.message_too_long': 'Ese mensaje es demasiado largo para enviarlo.',
    'wsError.rate_limited': 'Está enviando mensajes demasiado rápido. Se reintentará en breve.',
    'wsError.conversation_closed': 'Este chat terminó, así que el mensaje no se envió.',
    'wsError.conversation_not_found': 'No se encontró este chat.',
    'wsError.forbidden': 'No puede escribir en este chat.',
    'wsError.generic': 'La conexión informó un problema. Vuelva a intentarlo.',

    'header.signedInAs': 'Sesión iniciada como {name}',
    'header.signOut': 'Cerrar sesión',
    'status.label': 'Estado',
    'status.available': 'Disponible',
    'status.away': 'Ausente',
    'status.offline': 'Desconectado',
    'status.current.available': 'Está disponible para chats nuevos.',
    'status.current.away': 'Está ausente.',
    'status.current.offline': 'Está desconectado.',
    'connection.connecting': 'Conectando…',
    'connection.online': 'Conectado',
    'connection.reconnecting': 'Reconectando…',
    'connection.stopped': 'Sin conexión',

    'inbox.label': 'Chats',
    'waiting.heading': 'En espera',
    'waiting.empty': 'No hay nadie en espera.',
    'waiting.accept': 'Aceptar',
    'waiting.acceptLabel': 'Aceptar chat con {name}, tarjeta terminada en {last4}',
    'waiting.for': 'Esperando {time}',
    'waiting.new': 'Nuevo chat en espera: {name}, equipo {team}',
    'waiting.newNoTeam': 'Nuevo chat en espera: {name}',
    'mine.heading': 'Mis chats',
    'mine.empty': 'No hay chats abiertos.',
    'mine.unread': '{count} nuevos',
    'card.ending': 'tarjeta terminada en {last4}',
    'team.named': 'equipo {team}',
    'lang.en': 'Inglés',
    'lang.es': 'Español',
    'time.underMinute': 'menos de 1 min',
    'time.minutes': '{n} min',
    'time.hours': '{h} h {m} min',

    'conv.none.heading': 'Ningún chat abierto',
    'conv.none.body': 'Acepte un chat en espera o abra uno de sus chats.',
    'conv.heading': '{name}, tarjeta terminada en {last4}',
    'conv.status': 'Estado: {status}',
    'conv.status.bot': 'con el asistente',
    'conv.status.queued': 'en la fila',
    'conv.status.mine': 'con usted',
    'conv.status.other': 'con {name}',
    'conv.status.closed': 'chat finalizado',
    'conv.product': '{product}, {language}',
    'conv.loading': 'Cargando chat…',
    'conv.log': 'Conversación con {name}',
    'conv.readOnly': 'Este chat no está asignado a usted, así que es de solo lectura.',

    'author.cardmember': '{name} (titular)',
    'author.assistant': 'Asistente',
    'author.you': 'Usted',
    'author.agent': '{name} (agente)',
    'author.system': 'Aviso',
    'msg.sending': 'Enviando…',
    'msg.failed': 'No enviado: {reason}',
    typing: '{name} está escribiendo…',

    'composer.label': 'Mensaje',
    'composer.send': 'Enviar',
    'composer.hint': 'Pulse Intro para enviar y Mayús+Intro para una línea nueva.',
    'composer.tooLong': 'Los mensajes pueden tener como máximo {max} caracteres.',

    'end.button': 'Finalizar chat',
    'end.question': '¿Finalizar este chat con {name}?',
    'end.confirm': 'Sí, finalizar chat',
    'end.cancel': 'Cancelar',
    'closed.heading': 'Chat finalizado',
    'transcript.download': 'Descargar transcripción',

    'live.message': '{author}: {body}',
    'live.messageElsewhere': 'Nuevo mensaje de {name}, tarjeta terminada en {last4}',
    'notice.dismiss': 'Cerrar aviso',

    'system.conversation.queued': '{name} está esperando al equipo {team}.',
    'system.conversation.closed_by_cardmember': '{name} finalizó el chat.',
  },
};

export type Translate = (key: ConsoleKey, params?: Record<string, string | number>) => string;

/** The console's translator for one language. */
export function makeT(lang: Language): Translate {
  return translator(strings, lang);
}

const CONSOLE_SYSTEM_KEYS: Partial<Record<SystemCode, ConsoleKey>> = {
  'conversation.queued': 'system.conversation.queued',
  'conversation.closed_by_cardmember': 'system.conversation.closed_by_cardmember',
};

/**
 * Renders a stored system notice in the agent's language. `defaults` fill placeholders the server
 * did not send (the cardmember's name, the team), so a raw `{name}` never reaches the screen.
 */
export function systemText(
  code: SystemCode,
  params: Record<string, string>,
  lang: Language,
  defaults: Record<string, string> = {},
): string {
  const merged = { ...defaults, ...params };
  const own = CONSOLE_SYSTEM_KEYS[code];
  if (own) return makeT(lang)(own, merged);
  return translator(systemStrings, lang)(code, merged);
}
