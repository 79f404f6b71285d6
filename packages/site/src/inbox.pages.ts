/**
 * The cardmember's secure inbox and cases on the issuer's site:
 *
 *   /account/messages            secure messages, newest first, unread ones said in words
 *   /account/messages/:id        one message (opening it marks it read)
 *   /account/cases               the cardmember's cases: reference, type, status, dates
 *   /account/cases/:reference    one case with its timeline (only entries meant for the cardmember)
 *
 * All require the site session and are in the cardmember's language; another cardmember's message or
 * case looks exactly like an unknown one (404). Every value goes through `html`, which escapes it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  CASE_STATUS_LABELS,
  CASE_TYPE_LABELS,
  translator,
  type CaseEventView,
  type CaseView,
  type Language,
  type SecureMessageView,
  type Table,
} from '@carechat/protocol';
import { z } from 'zod';
import { html, type SafeHtml } from './html.js';
import { layout, messagePage, type PageContext } from './site.pages.js';
import type { SiteCard, SiteCardmember, SiteInbox } from './site.types.js';

type Key =
  | 'messages.title'
  | 'messages.intro'
  | 'messages.empty'
  | 'messages.unread'
  | 'messages.read'
  | 'messages.received'
  | 'messages.case'
  | 'messages.back'
  | 'kind.case_update'
  | 'kind.acknowledgement'
  | 'kind.resolution'
  | 'kind.document_request'
  | 'kind.summary'
  | 'cases.title'
  | 'cases.intro'
  | 'cases.empty'
  | 'cases.reference'
  | 'cases.type'
  | 'cases.status'
  | 'cases.opened'
  | 'cases.acknowledgeBy'
  | 'cases.resolveBy'
  | 'cases.acknowledgedAt'
  | 'cases.resolvedAt'
  | 'cases.card'
  | 'cases.cardEnding'
  | 'cases.back'
  | 'case.title'
  | 'case.timeline'
  | 'case.timelineEmpty'
  | 'event.created'
  | 'event.status_changed'
  | 'event.note'
  | 'event.document_requested'
  | 'event.document_uploaded'
  | 'event.message_sent'
  | 'event.other'
  | 'notFound.title'
  | 'notFound.body'
  | 'accounts';

const strings: Table<Key> = {
  en: {
    'messages.title': 'Secure messages',
    'messages.intro': 'Letters about your cases and summaries of your chats. We never ask for passwords or codes here.',
    'messages.empty': 'You have no messages.',
    'messages.unread': 'Unread',
    'messages.read': 'Read',
    'messages.received': 'Received',
    'messages.case': 'Case {reference}',
    'messages.back': 'Back to your messages',
    'kind.case_update': 'Case update',
    'kind.acknowledgement': 'Acknowledgement',
    'kind.resolution': 'Resolution',
    'kind.document_request': 'Documents needed',
    'kind.summary': 'Chat summary',
    'cases.title': 'Your cases',
    'cases.intro': 'Every request we handle for you has a reference. Quote it whenever you contact us.',
    'cases.empty': 'You have no cases.',
    'cases.reference': 'Reference',
    'cases.type': 'Type',
    'cases.status': 'Status',
    'cases.opened': 'Opened',
    'cases.acknowledgeBy': 'We acknowledge it by',
    'cases.resolveBy': 'We resolve it by',
    'cases.acknowledgedAt': 'Acknowledged',
    'cases.resolvedAt': 'Resolved',
    'cases.card': 'Card',
    'cases.cardEnding': 'ending in {last4}',
    'cases.back': 'Back to your cases',
    'case.title': 'Case {reference}',
    'case.timeline': 'What has happened',
    'case.timelineEmpty': 'Nothing yet.',
    'event.created': 'Case opened',
    'event.status_changed': 'Status: {status}',
    'event.note': 'Note from our team',
    'event.document_requested': 'We asked you for documents',
    'event.document_uploaded': 'We received your document',
    'event.message_sent': 'We sent you a secure message',
    'event.other': 'Update',
    'notFound.title': 'Not found',
    'notFound.body': 'We could not find that in your account.',
    accounts: 'Accounts',
  },
  es: {
    'messages.title': 'Mensajes seguros',
    'messages.intro':
      'Cartas sobre sus casos y resúmenes de sus chats. Aquí nunca le pediremos contraseñas ni códigos.',
    'messages.empty': 'No tiene mensajes.',
    'messages.unread': 'No leído',
    'messages.read': 'Leído',
    'messages.received': 'Recibido',
    'messages.case': 'Caso {reference}',
    'messages.back': 'Volver a sus mensajes',
    'kind.case_update': 'Novedad del caso',
    'kind.acknowledgement': 'Confirmación',
    'kind.resolution': 'Resolución',
    'kind.document_request': 'Documentos necesarios',
    'kind.summary': 'Resumen del chat',
    'cases.title': 'Sus casos',
    'cases.intro':
      'Cada solicitud que atendemos tiene una referencia. Indíquela siempre que se comunique con nosotros.',
    'cases.empty': 'No tiene casos.',
    'cases.reference': 'Referencia',
    'cases.type': 'Tipo',
    'cases.status': 'Estado',
    'cases.opened': 'Abierto',
    'cases.acknowledgeBy': 'Lo confirmaremos a más tardar el',
    'cases.resolveBy': 'Lo resolveremos a más tardar el',
    'cases.acknowledgedAt': 'Confirmado',
    'cases.resolvedAt': 'Resuelto',
    'cases.card': 'Tarjeta',
    'cases.cardEnding': 'terminada en {last4}',
    'cases.back': 'Volver a sus casos',
    'case.title': 'Caso {reference}',
    'case.timeline': 'Lo que ha pasado',
    'case.timelineEmpty': 'Nada todavía.',
    'event.created': 'Caso abierto',
    'event.status_changed': 'Estado: {status}',
    'event.note': 'Nota de nuestro equipo',
    'event.document_requested': 'Le pedimos documentos',
    'event.document_uploaded': 'Recibimos su documento',
    'event.message_sent': 'Le enviamos un mensaje seguro',
    'event.other': 'Novedad',
    'notFound.title': 'No encontrado',
    'notFound.body': 'No encontramos eso en su cuenta.',
    accounts: 'Cuentas',
  },
};

/** `<time datetime="…">November 25, 2026</time>`; a YYYY-MM-DD day or an ISO timestamp (UTC). */
function time(value: string, lang: Language): SafeHtml {
  const d = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(d.getTime())) return html`${value}`;
  const text = new Intl.DateTimeFormat(lang === 'es' ? 'es-US' : 'en-US', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(d);
  return html`<time datetime="${value}">${text}</time>`;
}

export const messageHref = (id: string) => `/account/messages/${encodeURIComponent(id)}`;
export const caseHref = (reference: string) => `/account/cases/${encodeURIComponent(reference)}`;

function breadcrumb(ctx: PageContext, parent: { href: string; text: string }, here: string): SafeHtml {
  const t = translator(strings, ctx.lang);
  return html`<nav class="breadcrumb" aria-label="${ctx.t('nav.breadcrumb')}">
    <ol>
      <li><a href="/account">${t('accounts')}</a></li>
      <li><a href="${parent.href}">${parent.text}</a></li>
      <li aria-current="page">${here}</li>
    </ol>
  </nav>`;
}

/** Message text as paragraphs; lines starting with "•" become list items. */
function bodyHtml(body: string): SafeHtml[] {
  const out: SafeHtml[] = [];
  let items: string[] = [];
  const flush = () => {
    if (items.length) out.push(html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`);
    items = [];
  };
  for (const line of body.split('\n')) {
    const l = line.trim();
    if (l.startsWith('•')) {
      items.push(l.replace(/^•\s*/, ''));
      continue;
    }
    flush();
    if (l) out.push(html`<p>${l}</p>`);
  }
  flush();
  return out;
}

export function messagesListPage(ctx: PageContext, messages: SecureMessageView[]): string {
  const t = translator(strings, ctx.lang);
  const items = messages.map(
    (m) => html`<li class="inbox-item${m.readAt ? '' : ' inbox-unread'}" data-testid="message-item">
      <h2 class="inbox-subject"><a href="${messageHref(m.id)}">${m.subject}</a></h2>
      <p class="muted">
        <strong>${m.readAt ? t('messages.read') : t('messages.unread')}</strong> ·
        ${t(`kind.${m.kind}`)} · ${t('messages.received')} ${time(m.createdAt, ctx.lang)}
        ${m.caseReference ? html` · ${t('messages.case', { reference: m.caseReference })}` : null}
      </p>
    </li>`,
  );
  const main = html`<div class="page">
  <h1>${t('messages.title')}</h1>
  <p class="lede">${t('messages.intro')}</p>
  ${messages.length ? html`<ul class="inbox-list">${items}</ul>` : html`<p>${t('messages.empty')}</p>`}
  <p><a href="/account/cases">${t('cases.title')}</a></p>
</div>`;
  return layout(ctx, { title: t('messages.title'), main });
}

export function messageDetailPage(ctx: PageContext, m: SecureMessageView): string {
  const t = translator(strings, ctx.lang);
  const main = html`<div class="page narrow">
  ${breadcrumb(ctx, { href: '/account/messages', text: t('messages.title') }, m.subject)}
  <article aria-labelledby="message-subject">
    <h1 id="message-subject">${m.subject}</h1>
    <p class="muted">${t(`kind.${m.kind}`)} · ${t('messages.received')} ${time(m.createdAt, ctx.lang)}
      ${m.caseReference ? html` · <a href="${caseHref(m.caseReference)}">${t('messages.case', { reference: m.caseReference })}</a>` : null}</p>
    ${bodyHtml(m.body)}
  </article>
  <p><a href="/account/messages">${t('messages.back')}</a></p>
</div>`;
  return layout(ctx, { title: m.subject, main });
}

function caseFacts(ctx: PageContext, c: CaseView): SafeHtml {
  const t = translator(strings, ctx.lang);
  const d = c.deadlines;
  const row = (label: string, value: SafeHtml | string) => html`<dt>${label}</dt><dd>${value}</dd>`;
  return html`<dl class="case-facts">
    ${row(t('cases.type'), CASE_TYPE_LABELS[ctx.lang][c.type])}
    ${row(t('cases.status'), CASE_STATUS_LABELS[ctx.lang][c.status])}
    ${row(t('cases.opened'), time(c.createdAt, ctx.lang))}
    ${c.cardLast4 ? row(t('cases.card'), t('cases.cardEnding', { last4: c.cardLast4.replace(/\D/g, '').slice(-4) })) : null}
    ${d.acknowledgedAt ? row(t('cases.acknowledgedAt'), time(d.acknowledgedAt, ctx.lang)) : d.acknowledgeBy ? row(t('cases.acknowledgeBy'), time(d.acknowledgeBy, ctx.lang)) : null}
    ${d.resolvedAt ? row(t('cases.resolvedAt'), time(d.resolvedAt, ctx.lang)) : d.resolveBy ? row(t('cases.resolveBy'), time(d.resolveBy, ctx.lang)) : null}
  </dl>`;
}

export function casesListPage(ctx: PageContext, cases: CaseView[]): string {
  const t = translator(strings, ctx.lang);
  const items = cases.map(
    (c) => html`<li class="case-item" data-testid="case-item">
      <h2><a href="${caseHref(c.reference)}">${c.reference}</a>: ${c.title}</h2>
      ${caseFacts(ctx, c)}
    </li>`,
  );
  const main = html`<div class="page">
  <h1>${t('cases.title')}</h1>
  <p class="lede">${t('cases.intro')}</p>
  ${cases.length ? html`<ul class="case-list">${items}</ul>` : html`<p>${t('cases.empty')}</p>`}
  <p><a href="/account/messages">${t('messages.title')}</a></p>
</div>`;
  return layout(ctx, { title: t('cases.title'), main });
}

function eventLabel(ctx: PageContext, e: CaseEventView): string {
  const t = translator(strings, ctx.lang);
  switch (e.type) {
    case 'created':
      return t('event.created');
    case 'status_changed':
      return t('event.status_changed', { status: e.toStatus ? CASE_STATUS_LABELS[ctx.lang][e.toStatus] : '' });
    case 'note':
    case 'document_requested':
    case 'document_uploaded':
    case 'message_sent':
      return t(`event.${e.type}`);
    default:
      return t('event.other');
  }
}

export function caseDetailPage(ctx: PageContext, c: CaseView): string {
  const t = translator(strings, ctx.lang);
  // The server sends the cardmember's view; the filter is a second lock on internal entries.
  const timeline = (c.timeline ?? []).filter((e) => e.visibleToCardmember);
  const title = t('case.title', { reference: c.reference });
  const main = html`<div class="page narrow">
  ${breadcrumb(ctx, { href: '/account/cases', text: t('cases.title') }, c.reference)}
  <h1>${title}</h1>
  <p class="lede">${c.title}</p>
  ${caseFacts(ctx, c)}
  <section aria-labelledby="timeline-title">
    <h2 id="timeline-title">${t('case.timeline')}</h2>
    ${
      timeline.length
        ? html`<ol class="case-timeline">${timeline.map(
            (e) =>
              html`<li data-testid="timeline-entry">${time(e.at, ctx.lang)}: <strong>${eventLabel(ctx, e)}</strong>${e.text ? html` — ${e.text}` : null}</li>`,
          )}</ol>`
        : html`<p>${t('case.timelineEmpty')}</p>`
    }
  </section>
  <p><a href="/account/cases">${t('cases.back')}</a></p>
</div>`;
  return layout(ctx, { title, main });
}

const MessageParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/) });
const CaseParams = z.object({ reference: z.string().regex(/^[A-Za-z]{3}-[0-9A-Za-z]{8}$/) });

type Account = { cardmember: SiteCardmember; cards: SiteCard[]; unread?: number };

/** What the plugin lends the inbox pages (its closures over the site's configuration). */
export interface InboxPageHelpers {
  inbox: SiteInbox;
  context(lang: Language, opts?: { account?: Account; current?: PageContext['current'] }): PageContext;
  currentAccount(request: FastifyRequest): Promise<Account | null>;
  sendHtml(reply: FastifyReply, status: number, page: string): FastifyReply;
  signOut(reply: FastifyReply): void;
}

/** Registers the inbox and case pages (the plugin calls this when carechat lends its inbox). */
export function registerInboxPages(app: FastifyInstance, h: InboxPageHelpers): void {
  async function signedIn(request: FastifyRequest, reply: FastifyReply): Promise<Account | null> {
    const account = await h.currentAccount(request);
    if (account) return account;
    h.signOut(reply);
    reply.redirect('/', 303);
    return null;
  }

  function notFound(reply: FastifyReply, account: Account, back: { href: string; text: Key }) {
    const lang = account.cardmember.language;
    const t = translator(strings, lang);
    return h.sendHtml(
      reply,
      404,
      messagePage(h.context(lang, { account }), {
        title: t('notFound.title'),
        body: t('notFound.body'),
        link: { href: back.href, text: t(back.text) },
      }),
    );
  }

  app.get('/account/messages', async (request, reply) => {
    const account = await signedIn(request, reply);
    if (!account) return reply;
    const messages = await h.inbox.messages(account.cardmember.id);
    const ctx = h.context(account.cardmember.language, { account, current: 'messages' });
    return h.sendHtml(reply, 200, messagesListPage(ctx, messages));
  });

  app.get('/account/messages/:id', async (request, reply) => {
    const account = await signedIn(request, reply);
    if (!account) return reply;
    const params = MessageParams.safeParse(request.params);
    const message = params.success ? await h.inbox.openMessage(account.cardmember.id, params.data.id) : null;
    if (!message) return notFound(reply, account, { href: '/account/messages', text: 'messages.back' });
    // Opening it just marked it read: the nav's count says so on this very page.
    const fresh = { ...account, unread: await h.inbox.unreadCount(account.cardmember.id) };
    const ctx = h.context(account.cardmember.language, { account: fresh, current: 'messages' });
    return h.sendHtml(reply, 200, messageDetailPage(ctx, message));
  });

  app.get('/account/cases', async (request, reply) => {
    const account = await signedIn(request, reply);
    if (!account) return reply;
    const cases = await h.inbox.cases(account.cardmember.id);
    const ctx = h.context(account.cardmember.language, { account, current: 'cases' });
    return h.sendHtml(reply, 200, casesListPage(ctx, cases));
  });

  app.get('/account/cases/:reference', async (request, reply) => {
    const account = await signedIn(request, reply);
    if (!account) return reply;
    const params = CaseParams.safeParse(request.params);
    const found = params.success
      ? await h.inbox.caseByReference(account.cardmember.id, params.data.reference.toUpperCase())
      : null;
    if (!found) return notFound(reply, account, { href: '/account/cases', text: 'cases.back' });
    const ctx = h.context(account.cardmember.language, { account, current: 'cases' });
    return h.sendHtml(reply, 200, caseDetailPage(ctx, found));
  });
}
