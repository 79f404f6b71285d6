/** Every string the demo site shows, in English and Spanish. `Table<K>` makes a missing key a compile error. */
import { translator, type Language, type Table } from '@carechat/protocol';

export type SiteKey =
  | 'brand.name'
  | 'brand.home'
  | 'demo.banner'
  | 'demo.tag'
  | 'skip'
  | 'title.format'
  | 'nav.main'
  | 'nav.footer'
  | 'nav.breadcrumb'
  | 'nav.signIn'
  | 'nav.accounts'
  | 'nav.messages'
  | 'nav.messagesUnread'
  | 'nav.cases'
  | 'nav.help'
  | 'lang.other'
  | 'session.signedInAs'
  | 'session.signOut'
  | 'signin.title'
  | 'signin.heading'
  | 'signin.intro'
  | 'signin.username'
  | 'signin.password'
  | 'signin.submit'
  | 'signin.error.invalid'
  | 'signin.error.missing'
  | 'signin.error.throttled'
  | 'signin.hero.title'
  | 'signin.hero.body'
  | 'signin.hero.point1'
  | 'signin.hero.point2'
  | 'signin.hero.point3'
  | 'demo.title'
  | 'demo.intro'
  | 'demo.username'
  | 'demo.password'
  | 'help.title'
  | 'help.signedOut'
  | 'account.title'
  | 'account.welcome'
  | 'account.lede'
  | 'account.cards'
  | 'account.noCards'
  | 'account.help'
  | 'card.ending'
  | 'card.status'
  | 'card.pageTitle'
  | 'card.demoNote'
  | 'card.balance.title'
  | 'card.balance.body'
  | 'card.payment.title'
  | 'card.payment.body'
  | 'card.activity.title'
  | 'card.activity.body'
  | 'card.help.title'
  | 'card.help.body'
  | 'card.help.noscript'
  | 'status.active'
  | 'status.inactive'
  | 'status.pending'
  | 'status.locked'
  | 'status.frozen'
  | 'status.suspended'
  | 'status.blocked'
  | 'status.lost'
  | 'status.stolen'
  | 'status.closed'
  | 'notFound.title'
  | 'notFound.body'
  | 'notFound.back'
  | 'forbidden.title'
  | 'forbidden.body'
  | 'error.title'
  | 'error.body'
  | 'footer.notice'
  | 'footer.copyright';

export const siteStrings: Table<SiteKey> = {
  en: {
    'brand.name': 'Meridian Bank',
    'brand.home': 'Meridian Bank home',
    'demo.banner': 'Demo site: Meridian Bank is a fictional card issuer. Do not enter real card or personal details.',
    'demo.tag': 'Demo',
    skip: 'Skip to main content',
    'title.format': '{page} | Meridian Bank',
    'nav.main': 'Main',
    'nav.footer': 'Footer',
    'nav.breadcrumb': 'Breadcrumb',
    'nav.signIn': 'Sign in',
    'nav.accounts': 'Accounts',
    'nav.messages': 'Messages',
    'nav.messagesUnread': 'Messages ({count} unread)',
    'nav.cases': 'Your cases',
    'nav.help': 'Help',
    'lang.other': 'Español',
    'session.signedInAs': 'Signed in as {name}',
    'session.signOut': 'Sign out',
    'signin.title': 'Sign in',
    'signin.heading': 'Sign in to online banking',
    'signin.intro': 'Use your Meridian username and password.',
    'signin.username': 'Username',
    'signin.password': 'Password',
    'signin.submit': 'Sign in',
    'signin.error.invalid': 'The username or password you entered is incorrect.',
    'signin.error.missing': 'Enter your username and password.',
    'signin.error.throttled':
      'Too many unsuccessful sign-in attempts. For your security, wait {minutes} min and try again.',
    'signin.hero.title': 'Your cards, all in one place',
    'signin.hero.body': 'Check your cards and get help from people who know your account.',
    'signin.hero.point1': 'See every Meridian card you hold',
    'signin.hero.point2': 'Chat with us from any card page',
    'signin.hero.point3': 'Get answers in English or Spanish',
    'demo.title': 'Demo logins',
    'demo.intro': 'These sample cardmembers exist only in this demo.',
    'demo.username': 'Username',
    'demo.password': 'Password',
    'help.title': 'Need help?',
    'help.signedOut':
      'Sign in and open one of your cards to chat with us. Our virtual assistant answers right away, and a specialist can join when you need one.',
    'account.title': 'Accounts',
    'account.welcome': 'Welcome back, {name}',
    'account.lede': 'Here is an overview of your Meridian cards.',
    'account.cards': 'Your cards',
    'account.noCards': 'You do not have any cards with us yet.',
    'account.help':
      'Open a card to chat with us about it. On each card page, the Chat with us button is at the lower right.',
    'card.ending': 'Card ending {last4}',
    'card.status': 'Status',
    'card.pageTitle': '{product} ending {last4}',
    'card.demoNote': 'The panels below are demo placeholders. No real account data is shown.',
    'card.balance.title': 'Current balance',
    'card.balance.body': 'Your balance and available credit will appear here.',
    'card.payment.title': 'Payment due',
    'card.payment.body': 'Your next payment due date and minimum payment will appear here.',
    'card.activity.title': 'Recent activity',
    'card.activity.body': 'Recent activity will appear here.',
    'card.help.title': 'Questions about this card?',
    'card.help.body':
      'Select Chat with us at the lower right of this page. Our virtual assistant answers right away and can connect you with a specialist.',
    'card.help.noscript': 'Chat needs JavaScript. Turn it on in your browser to chat with us.',
    'status.active': 'Active',
    'status.inactive': 'Not activated',
    'status.pending': 'Pending',
    'status.locked': 'Locked',
    'status.frozen': 'Frozen',
    'status.suspended': 'Suspended',
    'status.blocked': 'Blocked',
    'status.lost': 'Reported lost',
    'status.stolen': 'Reported stolen',
    'status.closed': 'Closed',
    'notFound.title': 'Page not found',
    'notFound.body': 'We cannot find that page. It may have moved, or the link may be wrong.',
    'notFound.back': 'Back to your accounts',
    'forbidden.title': 'Request blocked',
    'forbidden.body':
      'For your security, we blocked this request because it did not come from this site. Go back and try again.',
    'error.title': 'Something went wrong',
    'error.body': 'We could not complete your request. Please try again in a moment.',
    'footer.notice':
      'Meridian Bank is a fictional card issuer created for the carechat demo. It is not a real bank, and no real accounts are shown.',
    'footer.copyright': '© {year} Meridian Bank (demo)',
  },
  es: {
    'brand.name': 'Meridian Bank',
    'brand.home': 'Inicio de Meridian Bank',
    'demo.banner':
      'Sitio de demostración: Meridian Bank es un emisor de tarjetas ficticio. No ingrese datos reales de tarjetas ni datos personales.',
    'demo.tag': 'Demo',
    skip: 'Saltar al contenido principal',
    'title.format': '{page} | Meridian Bank',
    'nav.main': 'Principal',
    'nav.footer': 'Pie de página',
    'nav.breadcrumb': 'Ruta de navegación',
    'nav.signIn': 'Iniciar sesión',
    'nav.accounts': 'Cuentas',
    'nav.messages': 'Mensajes',
    'nav.messagesUnread': 'Mensajes ({count} sin leer)',
    'nav.cases': 'Sus casos',
    'nav.help': 'Ayuda',
    'lang.other': 'English',
    'session.signedInAs': 'Sesión iniciada como {name}',
    'session.signOut': 'Cerrar sesión',
    'signin.title': 'Iniciar sesión',
    'signin.heading': 'Inicie sesión en la banca en línea',
    'signin.intro': 'Use su nombre de usuario y contraseña de Meridian.',
    'signin.username': 'Nombre de usuario',
    'signin.password': 'Contraseña',
    'signin.submit': 'Iniciar sesión',
    'signin.error.invalid': 'El nombre de usuario o la contraseña no son correctos.',
    'signin.error.missing': 'Ingrese su nombre de usuario y su contraseña.',
    'signin.error.throttled':
      'Demasiados intentos fallidos. Por su seguridad, espere {minutes} min y vuelva a intentarlo.',
    'signin.hero.title': 'Todas sus tarjetas en un solo lugar',
    'signin.hero.body': 'Consulte sus tarjetas y reciba ayuda de personas que conocen su cuenta.',
    'signin.hero.point1': 'Vea todas sus tarjetas Meridian',
    'signin.hero.point2': 'Chatee con nosotros desde la página de cualquier tarjeta',
    'signin.hero.point3': 'Reciba respuestas en inglés o en español',
    'demo.title': 'Usuarios de demostración',
    'demo.intro': 'Estos tarjetahabientes de ejemplo solo existen en esta demostración.',
    'demo.username': 'Usuario',
    'demo.password': 'Contraseña',
    'help.title': '¿Necesita ayuda?',
    'help.signedOut':
      'Inicie sesión y abra una de sus tarjetas para chatear con nosotros. Nuestro asistente virtual responde de inmediato y un especialista puede unirse cuando lo necesite.',
    'account.title': 'Cuentas',
    'account.welcome': 'Hola de nuevo, {name}',
    'account.lede': 'Este es un resumen de sus tarjetas Meridian.',
    'account.cards': 'Sus tarjetas',
    'account.noCards': 'Todavía no tiene tarjetas con nosotros.',
    'account.help':
      'Abra una tarjeta para chatear con nosotros sobre ella. En la página de cada tarjeta, el botón de chat está en la esquina inferior derecha.',
    'card.ending': 'Tarjeta terminada en {last4}',
    'card.status': 'Estado',
    'card.pageTitle': '{product} terminada en {last4}',
    'card.demoNote':
      'Los paneles a continuación son ejemplos de demostración. No se muestran datos reales de la cuenta.',
    'card.balance.title': 'Saldo actual',
    'card.balance.body': 'Aquí aparecerán su saldo y su crédito disponible.',
    'card.payment.title': 'Pago pendiente',
    'card.payment.body': 'Aquí aparecerán la fecha de su próximo pago y el pago mínimo.',
    'card.activity.title': 'Actividad reciente',
    'card.activity.body': 'Aquí aparecerá la actividad reciente.',
    'card.help.title': '¿Tiene preguntas sobre esta tarjeta?',
    'card.help.body':
      'Seleccione el botón de chat en la esquina inferior derecha de esta página. Nuestro asistente virtual responde de inmediato y puede comunicarlo con un especialista.',
    'card.help.noscript': 'El chat necesita JavaScript. Actívelo en su navegador para chatear con nosotros.',
    'status.active': 'Activa',
    'status.inactive': 'Sin activar',
    'status.pending': 'Pendiente',
    'status.locked': 'Bloqueada temporalmente',
    'status.frozen': 'Congelada',
    'status.suspended': 'Suspendida',
    'status.blocked': 'Bloqueada',
    'status.lost': 'Reportada como perdida',
    'status.stolen': 'Reportada como robada',
    'status.closed': 'Cerrada',
    'notFound.title': 'Página no encontrada',
    'notFound.body': 'No encontramos esa página. Es posible que se haya movido o que el enlace sea incorrecto.',
    'notFound.back': 'Volver a sus cuentas',
    'forbidden.title': 'Solicitud bloqueada',
    'forbidden.body':
      'Por su seguridad, bloqueamos esta solicitud porque no provino de este sitio. Regrese e inténtelo de nuevo.',
    'error.title': 'Algo salió mal',
    'error.body': 'No pudimos completar su solicitud. Inténtelo de nuevo en un momento.',
    'footer.notice':
      'Meridian Bank es un emisor de tarjetas ficticio creado para la demostración de carechat. No es un banco real y no se muestran cuentas reales.',
    'footer.copyright': '© {year} Meridian Bank (demostración)',
  },
};

export type T = ReturnType<typeof translator<SiteKey>>;

/** The site's translator for one language. */
export function siteT(lang: Language): T {
  return translator(siteStrings, lang);
}

const STATUS_KEYS = {
  active: 'status.active',
  inactive: 'status.inactive',
  pending: 'status.pending',
  locked: 'status.locked',
  frozen: 'status.frozen',
  suspended: 'status.suspended',
  blocked: 'status.blocked',
  lost: 'status.lost',
  stolen: 'status.stolen',
  closed: 'status.closed',
} as const satisfies Record<string, SiteKey>;

export type KnownStatus = keyof typeof STATUS_KEYS;

/** Normalises a card status from the accounts port; unknown values pass through as `null`. */
export function knownStatus(status: string): KnownStatus | null {
  const s = status.trim().toLowerCase();
  return Object.hasOwn(STATUS_KEYS, s) ? (s as KnownStatus) : null;
}

/** The label for a card status in the viewer's language (the raw value when it is not one we know). */
export function statusLabel(t: T, status: string): string {
  const known = knownStatus(status);
  return known ? t(STATUS_KEYS[known]) : status;
}
