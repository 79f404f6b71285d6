/**
 * The demo issuer site as a Fastify plugin. Register it encapsulated, after @fastify/cookie and
 * @fastify/formbody are registered at the root:
 *
 *   await app.register(sitePlugin, deps);
 *
 * It sets its own error handler, which applies only inside this plugin's context.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie'; // request.cookies / reply.setCookie typings
import { toLanguage, type ApiErrorBody, type ApiErrorCode, type Language } from '@carechat/protocol';
import { z } from 'zod';
import { assertChatTokenTtl, signChatToken } from './chat-token.js';
import { registerDevicePages } from './device.pages.js';
import { registerInboxPages } from './inbox.pages.js';
import { registerUploadPages, RETURN_COOKIE, returnPath } from './upload.pages.js';
import { siteT } from './i18n.js';
import { LoginThrottle } from './login-throttle.js';
import { isSameOriginForm, isSameOriginStrict } from './origin.js';
import { SESSION_COOKIE, signSession, verifySession } from './session.js';
import {
  accountPage,
  cardHref,
  cardPage,
  messagePage,
  signInPage,
  type PageContext,
  type SignInError,
} from './site.pages.js';
import type { SiteCard, SiteCardmember, SiteDeps } from './site.types.js';

const MIN_SECRET_BYTES = 32;

const LoginBody = z.object({
  username: z.string().max(200).optional(),
  password: z.string().max(200).optional(),
  lang: z.string().max(16).optional(),
});
const ChatTokenBody = z.object({ cardId: z.string().min(1).max(200) });
const LangQuery = z.object({ lang: z.string().max(16).optional() }).catch({});
const CardParams = z.object({ cardId: z.string().min(1).max(200) });

/** `unread`: the secure inbox's unread count, when the site serves the inbox. */
type Account = { cardmember: SiteCardmember; cards: SiteCard[]; unread?: number };

/** Fails fast at boot on configuration the site cannot run safely with. */
function assertDeps(deps: SiteDeps): void {
  if (deps.chatTokenSecret.byteLength < MIN_SECRET_BYTES || deps.sessionSecret.byteLength < MIN_SECRET_BYTES) {
    throw new Error(`site: chatTokenSecret and sessionSecret must each be at least ${MIN_SECRET_BYTES} bytes`);
  }
  if (Buffer.from(deps.chatTokenSecret).equals(Buffer.from(deps.sessionSecret))) {
    throw new Error('site: sessionSecret must differ from chatTokenSecret');
  }
  if (!deps.chatTokenIssuer || !deps.chatTokenAudience) {
    throw new Error('site: chatTokenIssuer and chatTokenAudience are required');
  }
  assertChatTokenTtl(deps.chatTokenTtlSeconds);
  if (!Number.isInteger(deps.sessionTtlSeconds) || deps.sessionTtlSeconds <= 0) {
    throw new Error('site: sessionTtlSeconds must be a positive integer');
  }
}

function apiError(reply: FastifyReply, status: number, code: ApiErrorCode, message: string): FastifyReply {
  const body: ApiErrorBody = { error: { code, message } };
  return reply.code(status).header('cache-control', 'no-store').send(body);
}

function sendHtml(reply: FastifyReply, status: number, page: string): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(page);
}

/** Registers the site's routes: `/`, `/login`, `/logout`, `/account...`, `/site/api/chat-token`, `/site/assets/site.css`. */
export async function sitePlugin(app: FastifyInstance, deps: SiteDeps): Promise<void> {
  assertDeps(deps);
  if (!app.hasRequestDecorator('cookies')) {
    throw new Error('site: register @fastify/cookie before sitePlugin');
  }
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) {
    throw new Error('site: register @fastify/formbody before sitePlugin');
  }

  const css = await readFile(new URL('./site.css', import.meta.url), 'utf8');
  const cssHref = `/site/assets/site.css?v=${createHash('sha256').update(css).digest('hex').slice(0, 12)}`;
  const throttle = deps.loginThrottle ?? new LoginThrottle();
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: deps.secureCookies,
  };

  function context(
    lang: Language,
    opts: { account?: Account; helpHref?: string; current?: PageContext['current'] } = {},
  ): PageContext {
    const first = opts.account?.cards[0];
    const helpHref =
      opts.helpHref ??
      (opts.account ? (first ? `${cardHref(first.id)}#help` : '/account#help') : `/?lang=${lang}#help`);
    return {
      lang,
      t: siteT(lang),
      cssHref,
      helpHref,
      ...(opts.account ? { cardmember: opts.account.cardmember } : {}),
      ...(opts.account?.unread !== undefined ? { messages: { unread: opts.account.unread } } : {}),
      ...(opts.current ? { current: opts.current } : {}),
    };
  }

  /** The signed-in cardmember's account, or null (no cookie, bad cookie, or cardmember gone). */
  async function currentAccount(request: FastifyRequest): Promise<Account | null> {
    const id = await verifySession(deps.sessionSecret, request.cookies[SESSION_COOKIE]);
    if (!id) return null;
    const account = await deps.getAccount(id);
    if (!account || account.cardmember.id !== id) return null;
    return deps.inbox ? { ...account, unread: await deps.inbox.unreadCount(id) } : account;
  }

  function signOut(reply: FastifyReply): void {
    reply.clearCookie(SESSION_COOKIE, cookieOptions);
  }

  function renderSignIn(
    reply: FastifyReply,
    status: number,
    lang: Language,
    input: { username?: string; error?: SignInError } = {},
  ): FastifyReply {
    const ctx = context(lang, { helpHref: '#help', current: 'signin' });
    return sendHtml(reply, status, signInPage(ctx, { demoLogins: deps.demoLogins, ...input }));
  }

  function forbiddenPage(reply: FastifyReply, lang: Language): FastifyReply {
    const t = siteT(lang);
    return sendHtml(
      reply,
      403,
      messagePage(context(lang), {
        title: t('forbidden.title'),
        body: t('forbidden.body'),
        link: { href: `/?lang=${lang}`, text: t('nav.signIn') },
      }),
    );
  }

  app.setErrorHandler((error: { statusCode?: number; message?: string }, request, reply) => {
    const status =
      typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500
        ? error.statusCode
        : 500;
    if (status >= 500) request.log.error({ err: error }, 'site request failed');
    if (request.url.startsWith('/site/api/')) {
      const code: ApiErrorCode = status === 500 ? 'internal' : status === 413 ? 'payload_too_large' : 'bad_request';
      return apiError(reply, status, code, status === 500 ? 'Internal error' : (error.message ?? 'Bad request'));
    }
    const t = siteT('en');
    return sendHtml(
      reply,
      status,
      messagePage(context('en'), {
        title: t('error.title'),
        body: t('error.body'),
        link: { href: '/', text: t('brand.home') },
      }),
    );
  });

  // ------------------------------------------------------------------ pages

  app.get('/', async (request, reply) => {
    const lang = toLanguage(LangQuery.parse(request.query).lang);
    if (await currentAccount(request)) return reply.redirect('/account', 302);
    if (request.cookies[SESSION_COOKIE]) signOut(reply);
    return renderSignIn(reply, 200, lang);
  });

  app.get('/login', async (_request, reply) => reply.redirect('/', 302));

  app.post('/login', { bodyLimit: 4096 }, async (request, reply) => {
    const parsed = LoginBody.safeParse(request.body ?? {});
    const lang = toLanguage(parsed.success ? parsed.data.lang : undefined);
    if (!isSameOriginForm(request)) return forbiddenPage(reply, lang);

    const username = parsed.success ? (parsed.data.username ?? '').trim() : '';
    const password = parsed.success ? (parsed.data.password ?? '') : '';
    if (!username || !password) {
      return renderSignIn(reply, 400, lang, {
        username,
        error: { kind: 'missing', username: !username, password: !password },
      });
    }

    const key = LoginThrottle.key(username, request.ip);
    const waitMs = await throttle.retryAfterMs(key);
    if (waitMs > 0) {
      reply.header('retry-after', String(Math.ceil(waitMs / 1000)));
      return renderSignIn(reply, 429, lang, {
        username,
        error: { kind: 'throttled', minutes: Math.max(1, Math.ceil(waitMs / 60_000)) },
      });
    }

    const cardmember = await deps.authenticate(username, password);
    if (!cardmember) {
      await throttle.fail(key);
      return renderSignIn(reply, 401, lang, { username, error: { kind: 'invalid' } });
    }
    await throttle.reset(key);
    const token = await signSession(deps.sessionSecret, cardmember.id, deps.sessionTtlSeconds);
    reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions, maxAge: deps.sessionTtlSeconds });
    // Back to the upload link that sent them to sign in (upload.pages.ts), else the account.
    const back = returnPath(request.cookies[RETURN_COOKIE]);
    if (request.cookies[RETURN_COOKIE] !== undefined) reply.clearCookie(RETURN_COOKIE, cookieOptions);
    return reply.redirect(back ?? '/account', 303);
  });

  app.post('/logout', { bodyLimit: 1024 }, async (request, reply) => {
    if (!isSameOriginForm(request)) return forbiddenPage(reply, 'en');
    signOut(reply);
    return reply.redirect('/', 303);
  });

  app.get('/account', async (request, reply) => {
    const account = await currentAccount(request);
    if (!account) {
      signOut(reply);
      return reply.redirect('/', 303);
    }
    const ctx = context(account.cardmember.language, { account, current: 'accounts' });
    return sendHtml(reply, 200, accountPage(ctx, account));
  });

  app.get('/account/cards/:cardId', async (request, reply) => {
    const account = await currentAccount(request);
    if (!account) {
      signOut(reply);
      return reply.redirect('/', 303);
    }
    const params = CardParams.safeParse(request.params);
    const card = params.success ? account.cards.find((c) => c.id === params.data.cardId) : undefined;
    const lang = account.cardmember.language;
    if (!card) {
      // Unknown and not-yours look the same, so card ids cannot be probed.
      const t = siteT(lang);
      const ctx = context(lang, { account });
      return sendHtml(
        reply,
        404,
        messagePage(ctx, {
          title: t('notFound.title'),
          body: t('notFound.body'),
          link: { href: '/account', text: t('notFound.back') },
        }),
      );
    }
    const ctx = context(lang, { account, helpHref: `${cardHref(card.id)}#help` });
    return sendHtml(reply, 200, cardPage(ctx, { card }));
  });

  // The demo "device" for carechat's step-up prompts (device.pages.ts).
  if (deps.devicePrompts) {
    registerDevicePages(app, { prompts: deps.devicePrompts, context, currentAccount, sendHtml, forbiddenPage });
  }

  // The cardmember's secure messages and cases (inbox.pages.ts).
  if (deps.inbox) registerInboxPages(app, { inbox: deps.inbox, context, currentAccount, sendHtml, signOut });

  // Secure document upload links for cases (upload.pages.ts).
  if (deps.uploads) {
    registerUploadPages(app, {
      uploads: deps.uploads,
      context,
      currentAccount,
      sendHtml,
      forbiddenPage,
      signIn: (reply, status, lang, returnTo) => {
        reply.setCookie(RETURN_COOKIE, returnTo, { ...cookieOptions, maxAge: 1800 });
        return renderSignIn(reply, status, lang);
      },
    });
  }

  // ------------------------------------------------------------------ chat token API

  app.post(
    '/site/api/chat-token',
    {
      bodyLimit: 1024,
      // Checked before the body is parsed, so a cross-site or anonymous caller learns nothing else.
      onRequest: async (request, reply) => {
        if (!isSameOriginStrict(request)) {
          return apiError(reply, 403, 'forbidden', 'Cross-origin requests are not allowed');
        }
        if (!(await verifySession(deps.sessionSecret, request.cookies[SESSION_COOKIE]))) {
          return apiError(reply, 401, 'unauthorized', 'Sign in to chat with us');
        }
      },
    },
    async (request, reply) => {
      const body = ChatTokenBody.safeParse(request.body);
      if (!body.success) return apiError(reply, 400, 'bad_request', 'Expected a JSON body {"cardId": "..."}');
      const account = await currentAccount(request);
      if (!account) return apiError(reply, 401, 'unauthorized', 'Sign in to chat with us');
      const card = account.cards.find((c) => c.id === body.data.cardId);
      if (!card) return apiError(reply, 404, 'not_found', 'Card not found');
      const token = await signChatToken(deps, {
        cardmemberId: account.cardmember.id,
        cardId: card.id,
        lang: account.cardmember.language,
      });
      return reply.header('cache-control', 'no-store').send({ token });
    },
  );

  // ------------------------------------------------------------------ assets

  app.get('/site/assets/site.css', async (_request, reply) =>
    reply
      .header('content-type', 'text/css; charset=utf-8')
      // The pages link it with a content hash (?v=...), so a day of caching is safe.
      .header('cache-control', 'public, max-age=86400')
      .send(css),
  );
}
