/**
 * The demo "device": `GET /device/prompts/:token` shows a carechat step-up prompt ("Approve sign-in to
 * chat on card ending 1005?") with Approve / Deny; `POST` answers it. A real issuer would show this in
 * its mobile app after a push; here it is a page of the site, for the signed-in cardmember only.
 * The token in the link is the secret; it is single-use and expires after 2 minutes.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { translator, type Language, type Table } from '@carechat/protocol';
import { z } from 'zod';
import { html } from './html.js';
import { isSameOriginStrict } from './origin.js';
import { layout, type PageContext } from './site.pages.js';
import type { DevicePromptPage, DevicePrompts, SiteCard, SiteCardmember } from './site.types.js';

type Key =
  | 'title'
  | 'device'
  | 'question'
  | 'product'
  | 'byYou'
  | 'byAgent'
  | 'expiry'
  | 'notYou'
  | 'approve'
  | 'deny'
  | 'approved.title'
  | 'approved.body'
  | 'denied.title'
  | 'denied.body'
  | 'answered.title'
  | 'answered.body'
  | 'expired.title'
  | 'expired.body'
  | 'invalid.title'
  | 'invalid.body'
  | 'signin.title'
  | 'signin.body'
  | 'signin.link'
  | 'back';

const strings: Table<Key> = {
  en: {
    title: 'Approve chat verification',
    device: 'Demo device: {device}',
    question: 'Approve sign-in to chat on card ending {last4}?',
    product: '{product} ending {last4}',
    byYou: 'You asked for this in the chat.',
    byAgent: 'Our agent asked for this in your chat.',
    expiry: 'This request is valid for 2 minutes and can be answered once.',
    notYou: "If you are not chatting with us right now, choose Deny. We'll never ask for your password or codes.",
    approve: 'Approve',
    deny: 'Deny',
    'approved.title': 'Approved',
    'approved.body': 'Thank you. You can go back to your chat now.',
    'denied.title': 'Request denied',
    'denied.body':
      'We did not verify the chat. If you did not ask for this, end the chat and contact us from the official site.',
    'answered.title': 'Already answered',
    'answered.body': 'This request was already answered. Ask for a new one in the chat if you need to.',
    'expired.title': 'This request has expired',
    'expired.body': 'Requests are valid for 2 minutes. Ask for a new one in the chat.',
    'invalid.title': 'This link is not valid',
    'invalid.body': 'Check that you are signed in as the right person, or ask for a new request in the chat.',
    'signin.title': 'Sign in to answer this request',
    'signin.body': 'Sign in to Meridian Bank in this browser, then open the link again.',
    'signin.link': 'Sign in',
    back: 'Back to your accounts',
  },
  es: {
    title: 'Aprobar la verificación del chat',
    device: 'Dispositivo de demostración: {device}',
    question: '¿Aprueba el inicio de sesión en el chat de la tarjeta terminada en {last4}?',
    product: '{product} terminada en {last4}',
    byYou: 'Usted lo pidió en el chat.',
    byAgent: 'Nuestro agente lo pidió en su chat.',
    expiry: 'Esta solicitud es válida durante 2 minutos y solo se puede responder una vez.',
    notYou:
      'Si no está chateando con nosotros en este momento, elija Rechazar. Nunca le pediremos su contraseña ni códigos.',
    approve: 'Aprobar',
    deny: 'Rechazar',
    'approved.title': 'Aprobado',
    'approved.body': 'Gracias. Ya puede volver a su chat.',
    'denied.title': 'Solicitud rechazada',
    'denied.body':
      'No verificamos el chat. Si usted no lo pidió, finalice el chat y contáctenos desde el sitio oficial.',
    'answered.title': 'Ya respondida',
    'answered.body': 'Esta solicitud ya fue respondida. Pida una nueva en el chat si la necesita.',
    'expired.title': 'Esta solicitud ha vencido',
    'expired.body': 'Las solicitudes son válidas durante 2 minutos. Pida una nueva en el chat.',
    'invalid.title': 'Este enlace no es válido',
    'invalid.body': 'Compruebe que inició sesión con la cuenta correcta, o pida una nueva solicitud en el chat.',
    'signin.title': 'Inicie sesión para responder esta solicitud',
    'signin.body': 'Inicie sesión en Meridian Bank en este navegador y vuelva a abrir el enlace.',
    'signin.link': 'Iniciar sesión',
    back: 'Volver a sus cuentas',
  },
};

const TokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });
const AnswerBody = z.object({ decision: z.enum(['approve', 'deny']) });

type Account = { cardmember: SiteCardmember; cards: SiteCard[] };

/** What the plugin lends the device pages (its closures over the site's configuration). */
export interface DevicePageHelpers {
  prompts: DevicePrompts;
  context(lang: Language, opts?: { account?: Account }): PageContext;
  currentAccount(request: FastifyRequest): Promise<Account | null>;
  sendHtml(reply: FastifyReply, status: number, page: string): FastifyReply;
  forbiddenPage(reply: FastifyReply, lang: Language): FastifyReply;
}

function messageMain(title: string, body: string, link: { href: string; text: string }) {
  return html`<div class="page narrow">
  <h1>${title}</h1>
  <p>${body}</p>
  <p><a href="${link.href}">${link.text}</a></p>
</div>`;
}

/** The page for a prompt in any state; `pending` shows the question and the two buttons. */
export function devicePromptPage(ctx: PageContext, info: DevicePromptPage, token: string): string {
  const t = translator(strings, ctx.lang);
  const back = { href: '/account', text: t('back') };
  const message = (title: Key, body: Key) =>
    layout(ctx, { title: t(title), main: messageMain(t(title), t(body), back) });
  switch (info.status) {
    case 'not_found':
      return message('invalid.title', 'invalid.body');
    case 'expired':
      return message('expired.title', 'expired.body');
    case 'approved':
      return info.justAnswered
        ? message('approved.title', 'approved.body')
        : message('answered.title', 'answered.body');
    case 'denied':
      return info.justAnswered ? message('denied.title', 'denied.body') : message('answered.title', 'answered.body');
    case 'pending': {
      const main = html`<div class="page narrow">
  <p class="demo-tag">${t('device', { device: info.deviceName })}</p>
  <section class="panel" aria-labelledby="prompt-title">
    <h1 id="prompt-title">${t('question', { last4: info.cardLast4 })}</h1>
    <p class="lede">${t('product', { product: info.productName, last4: info.cardLast4 })}</p>
    <p>${info.requestedBy === 'agent' ? t('byAgent') : t('byYou')}</p>
    <p class="muted">${t('expiry')}</p>
    <p class="muted">${t('notYou')}</p>
    <form method="post" action="/device/prompts/${token}">
      <button type="submit" name="decision" value="approve" class="button button-primary" data-testid="device-approve">${t('approve')}</button>
      <button type="submit" name="decision" value="deny" class="button button-quiet" data-testid="device-deny">${t('deny')}</button>
    </form>
  </section>
</div>`;
      return layout(ctx, { title: t('title'), main });
    }
  }
}

const statusCode = (info: DevicePromptPage, answering: boolean): number => {
  if (info.status === 'not_found') return 404;
  if (info.status === 'expired') return 410;
  if (answering && !(info.status !== 'pending' && info.justAnswered)) return 409;
  return 200;
};

/** Registers `GET` and `POST /device/prompts/:token` (the plugin calls this when carechat lends its prompts). */
export function registerDevicePages(app: FastifyInstance, h: DevicePageHelpers): void {
  async function signedIn(request: FastifyRequest, reply: FastifyReply) {
    const account = await h.currentAccount(request);
    if (account) return account;
    const lang: Language = 'en';
    const t = translator(strings, lang);
    h.sendHtml(
      reply,
      401,
      layout(h.context(lang), {
        title: t('signin.title'),
        main: messageMain(t('signin.title'), t('signin.body'), { href: '/', text: t('signin.link') }),
      }),
    );
    return null;
  }

  app.get('/device/prompts/:token', async (request, reply) => {
    const account = await signedIn(request, reply);
    if (!account) return reply;
    const lang = account.cardmember.language;
    const params = TokenParams.safeParse(request.params);
    const info: DevicePromptPage = params.success
      ? await h.prompts.view(params.data.token, account.cardmember.id)
      : { status: 'not_found' };
    const token = params.success ? params.data.token : '';
    return h.sendHtml(reply, statusCode(info, false), devicePromptPage(h.context(lang, { account }), info, token));
  });

  app.post('/device/prompts/:token', { bodyLimit: 1024 }, async (request, reply) => {
    // Positive proof of same origin: an approval is exactly what a cross-site form would want to forge.
    if (!isSameOriginStrict(request)) return h.forbiddenPage(reply, 'en');
    const account = await signedIn(request, reply);
    if (!account) return reply;
    const lang = account.cardmember.language;
    const params = TokenParams.safeParse(request.params);
    const body = AnswerBody.safeParse(request.body ?? {});
    if (!body.success && params.success) {
      const info = await h.prompts.view(params.data.token, account.cardmember.id);
      return h.sendHtml(reply, 400, devicePromptPage(h.context(lang, { account }), info, params.data.token));
    }
    const info: DevicePromptPage =
      params.success && body.success
        ? await h.prompts.answer(params.data.token, account.cardmember.id, body.data.decision)
        : { status: 'not_found' };
    return h.sendHtml(reply, statusCode(info, true), devicePromptPage(h.context(lang, { account }), info, ''));
  });
}
