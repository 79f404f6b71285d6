/** Server-rendered pages. Every dynamic value goes through `html`, which escapes it. */
import type { Language } from '@carechat/protocol';
import { html, raw, type SafeHtml } from './html.js';
import { knownStatus, statusLabel, type T } from './i18n.js';
import type { SiteCard, SiteCardmember, SiteDeps } from './site.types.js';

export const WIDGET_SRC = '/widget/carechat-widget.js';
export const TOKEN_URL = '/site/api/chat-token';

export interface PageContext {
  lang: Language;
  t: T;
  cssHref: string;
  /** Present on signed-in pages. */
  cardmember?: SiteCardmember;
  /** Where the header/footer "Help" link points. */
  helpHref: string;
  /** Which main-nav item is the current page. */
  current?: 'signin' | 'accounts' | 'messages' | 'cases';
  /** Present when the site serves the secure inbox (inbox.pages.ts): the nav shows Messages (N unread). */
  messages?: { unread: number };
}

/** Only ever the last four digits, whatever the accounts port hands us. */
export function cardLast4(card: Pick<SiteCard, 'last4'>): string {
  return card.last4.replace(/\D/g, '').slice(-4);
}

export function cardHref(cardId: string): string {
  return `/account/cards/${encodeURIComponent(cardId)}`;
}

const LOGO = raw(
  '<svg class="brand-mark" viewBox="0 0 32 32" width="32" height="32" aria-hidden="true" focusable="false">' +
    '<circle cx="16" cy="16" r="15" fill="#e3b65a"/>' +
    '<path d="M7 22V10h3.2l5.8 7 5.8-7H25v12h-3v-7.4l-6 7.2-6-7.2V22z" fill="#0b2a4a"/></svg>',
);

function current(ctx: PageContext, item: PageContext['current']): SafeHtml {
  return ctx.current === item ? raw(' aria-current="page"') : raw('');
}

function otherLanguage(lang: Language): Language {
  return lang === 'en' ? 'es' : 'en';
}

/** "Messages (N unread)" and "Your cases", when the site serves the secure inbox. */
function inboxNav(ctx: PageContext): SafeHtml | null {
  if (!ctx.messages) return null;
  const { t } = ctx;
  const unread = ctx.messages.unread;
  const label = unread > 0 ? t('nav.messagesUnread', { count: unread }) : t('nav.messages');
  return html`<li><a href="/account/messages"${current(ctx, 'messages')} data-testid="nav-messages">${label}</a></li>
          <li><a href="/account/cases"${current(ctx, 'cases')}>${t('nav.cases')}</a></li>`;
}

/** The page shell: skip link, header with demo banner and nav, main, footer, optional scripts. */
export function layout(ctx: PageContext, page: { title: string; main: SafeHtml; scripts?: SafeHtml }): string {
  const { t, cardmember } = ctx;
  const other = otherLanguage(ctx.lang);
  const navItems = cardmember
    ? html`<li><a href="/account"${current(ctx, 'accounts')}>${t('nav.accounts')}</a></li>
          ${inboxNav(ctx)}
          <li><a href="${ctx.helpHref}">${t('nav.help')}</a></li>`
    : html`<li><a href="/?lang=${ctx.lang}"${current(ctx, 'signin')}>${t('nav.signIn')}</a></li>
          <li><a href="${ctx.helpHref}">${t('nav.help')}</a></li>
          <li><a href="/?lang=${other}" lang="${other}" hreflang="${other}">${t('lang.other')}</a></li>`;
  const session = cardmember
    ? html`<div class="session">
        <span class="session-name">${t('session.signedInAs', {
          name: `${cardmember.firstName} ${cardmember.lastName}`,
        })}</span>
        <form method="post" action="/logout" class="signout-form">
          <button type="submit" class="button button-quiet">${t('session.signOut')}</button>
        </form>
      </div>`
    : null;

  return `<!doctype html>${html`
<html lang="${ctx.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<meta name="referrer" content="same-origin">
<title>${t('title.format', { page: page.title })}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${ctx.cssHref}">
</head>
<body>
<a class="skip-link" href="#main">${t('skip')}</a>
<header class="site-header">
  <p class="demo-banner">${t('demo.banner')}</p>
  <div class="header-inner">
    <a class="brand" href="/">${LOGO}<span class="brand-name">${t('brand.name')}</span></a>
    <nav class="main-nav" aria-label="${t('nav.main')}"><ul>${navItems}</ul></nav>
    ${session}
  </div>
</header>
<main id="main" tabindex="-1">
${page.main}
</main>
<footer class="site-footer">
  <div class="footer-inner">
    <nav aria-label="${t('nav.footer')}"><ul>
      ${cardmember ? html`<li><a href="/account">${t('nav.accounts')}</a></li>` : html`<li><a href="/?lang=${ctx.lang}">${t('nav.signIn')}</a></li>`}
      <li><a href="${ctx.helpHref}">${t('nav.help')}</a></li>
    </ul></nav>
    <p>${t('footer.notice')}</p>
    <p>${t('footer.copyright', { year: new Date().getFullYear() })}</p>
  </div>
</footer>
${page.scripts ?? null}
</body>
</html>
`}`;
}

export type SignInError =
  | { kind: 'invalid' }
  | { kind: 'missing'; username: boolean; password: boolean }
  | { kind: 'throttled'; minutes: number };

/** `GET /` for visitors: the sign-in form, the demo logins box and a short help note. */
export function signInPage(
  ctx: PageContext,
  input: { demoLogins: SiteDeps['demoLogins']; username?: string; error?: SignInError },
): string {
  const { t } = ctx;
  const err = input.error;
  const message =
    err?.kind === 'invalid'
      ? t('signin.error.invalid')
      : err?.kind === 'missing'
        ? t('signin.error.missing')
        : err?.kind === 'throttled'
          ? t('signin.error.throttled', { minutes: err.minutes })
          : null;
  const userInvalid = err ? (err.kind === 'missing' ? err.username : true) : false;
  const passInvalid = err ? (err.kind === 'missing' ? err.password : true) : false;
  const invalidAttrs = (invalid: boolean) =>
    invalid ? raw(' aria-invalid="true" aria-describedby="signin-error"') : raw('');

  const demo =
    input.demoLogins.length > 0
      ? html`<section class="demo-box" aria-labelledby="demo-title">
  <p class="demo-tag">${t('demo.tag')}</p>
  <h2 id="demo-title">${t('demo.title')}</h2>
  <p>${t('demo.intro')}</p>
  <ul class="demo-list">${input.demoLogins.map(
    (d) => html`
    <li>
      <p class="demo-desc">${d.description}</p>
      <dl>
        <div><dt>${t('demo.username')}</dt><dd><code>${d.username}</code></dd></div>
        <div><dt>${t('demo.password')}</dt><dd><code>${d.password}</code></dd></div>
      </dl>
    </li>`,
  )}
  </ul>
</section>`
      : null;

  const main = html`<div class="signin-layout">
  <section class="panel signin-panel" aria-labelledby="signin-title">
    <h1 id="signin-title">${t('signin.heading')}</h1>
    <p class="muted">${t('signin.intro')}</p>
    ${message ? html`<div class="alert" role="alert" id="signin-error">${message}</div>` : null}
    <form method="post" action="/login" class="signin-form">
      <input type="hidden" name="lang" value="${ctx.lang}">
      <div class="field">
        <label for="username">${t('signin.username')}</label>
        <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="200" value="${input.username ?? ''}"${invalidAttrs(userInvalid)}>
      </div>
      <div class="field">
        <label for="password">${t('signin.password')}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="200"${invalidAttrs(passInvalid)}>
      </div>
      <button type="submit" class="button button-primary">${t('signin.submit')}</button>
    </form>
  </section>
  <div class="signin-side">
    ${demo}
    <section class="promo" aria-labelledby="promo-title">
      <h2 id="promo-title">${t('signin.hero.title')}</h2>
      <p>${t('signin.hero.body')}</p>
      <ul class="checks">
        <li>${t('signin.hero.point1')}</li>
        <li>${t('signin.hero.point2')}</li>
        <li>${t('signin.hero.point3')}</li>
      </ul>
    </section>
    <section class="help-box" id="help" aria-labelledby="help-title">
      <h2 id="help-title">${t('help.title')}</h2>
      <p>${t('help.signedOut')}</p>
    </section>
  </div>
</div>`;
  return layout(ctx, { title: t('signin.title'), main });
}

function statusBadge(t: T, status: string): SafeHtml {
  const cls = knownStatus(status) ?? 'other';
  return html`<span class="status status-${cls}">${statusLabel(t, status)}</span>`;
}

function cardArt(t: T, card: SiteCard, size: 'small' | 'large'): SafeHtml {
  return html`<div class="card-art card-art-${size}" aria-hidden="true">
    <span class="card-art-brand">${t('brand.name')}</span>
    <span class="card-art-number">•••• ${cardLast4(card)}</span>
  </div>`;
}

/** `GET /account`: greeting and the cardmember's cards. */
export function accountPage(ctx: PageContext, input: { cardmember: SiteCardmember; cards: SiteCard[] }): string {
  const { t } = ctx;
  const cards =
    input.cards.length === 0
      ? html`<p>${t('account.noCards')}</p>`
      : html`<ul class="card-list">${input.cards.map(
          (card) => html`
  <li class="card-item">
    ${cardArt(t, card, 'small')}
    <div class="card-item-body">
      <h3><a class="card-link" href="${cardHref(card.id)}">${card.productName}</a></h3>
      <p>${t('card.ending', { last4: cardLast4(card) })}</p>
      <p>${t('card.status')}: ${statusBadge(t, card.status)}</p>
    </div>
  </li>`,
        )}
</ul>`;
  const main = html`<div class="page">
  <h1>${t('account.welcome', { name: input.cardmember.firstName })}</h1>
  <p class="lede">${t('account.lede')}</p>
  <section aria-labelledby="cards-title">
    <h2 id="cards-title">${t('account.cards')}</h2>
    ${cards}
  </section>
  <section class="help-box" id="help" aria-labelledby="help-title">
    <h2 id="help-title">${t('help.title')}</h2>
    <p>${t('account.help')}</p>
  </section>
</div>`;
  return layout(ctx, { title: t('account.title'), main });
}

/** `GET /account/cards/:cardId`: the card, demo panels and the carechat widget. */
export function cardPage(ctx: PageContext, input: { card: SiteCard }): string {
  const { t } = ctx;
  const { card } = input;
  const last4 = cardLast4(card);
  const demoTag = html`<span class="demo-tag">${t('demo.tag')}</span>`;
  const panel = (id: string, title: string, body: string, figure: boolean) => html`
    <section class="panel" aria-labelledby="${id}">
      <div class="panel-head"><h2 id="${id}">${title}</h2>${demoTag}</div>
      ${figure ? html`<p class="figure" aria-hidden="true">—</p>` : null}
      <p class="muted">${body}</p>
    </section>`;
  const main = html`<div class="page">
  <nav class="breadcrumb" aria-label="${t('nav.breadcrumb')}">
    <ol>
      <li><a href="/account">${t('nav.accounts')}</a></li>
      <li><span aria-current="page">${card.productName}</span></li>
    </ol>
  </nav>
  <div class="card-hero">
    ${cardArt(t, card, 'large')}
    <div>
      <h1>${card.productName}</h1>
      <p class="lede">${t('card.ending', { last4 })}</p>
      <p>${t('card.status')}: ${statusBadge(t, card.status)}</p>
    </div>
  </div>
  <p class="demo-note">${demoTag} ${t('card.demoNote')}</p>
  <div class="panels">
    ${panel('balance-title', t('card.balance.title'), t('card.balance.body'), true)}
    ${panel('payment-title', t('card.payment.title'), t('card.payment.body'), true)}
    ${panel('activity-title', t('card.activity.title'), t('card.activity.body'), false)}
  </div>
  <section class="help-box" id="help" aria-labelledby="help-title">
    <h2 id="help-title">${t('card.help.title')}</h2>
    <p>${t('card.help.body')}</p>
    <noscript><p>${t('card.help.noscript')}</p></noscript>
  </section>
</div>`;
  const scripts = html`<script type="module" src="${WIDGET_SRC}" data-token-url="${TOKEN_URL}" data-card-id="${card.id}" data-lang="${ctx.lang}" data-bank-name="${t('brand.name')}"></script>`;
  return layout(ctx, { title: t('card.pageTitle', { product: card.productName, last4 }), main, scripts });
}

/** A simple page with a heading, a paragraph and an optional link (404, 403, 500). */
export function messagePage(
  ctx: PageContext,
  input: { title: string; body: string; link?: { href: string; text: string } },
): string {
  const main = html`<div class="page narrow">
  <h1>${input.title}</h1>
  <p>${input.body}</p>
  ${input.link ? html`<p><a href="${input.link.href}">${input.link.text}</a></p>` : null}
</div>`;
  return layout(ctx, { title: input.title, main });
}
