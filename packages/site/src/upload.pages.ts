/**
 * Secure document upload on the issuer's site: `GET /upload/:token` shows what the agent asked for and
 * a form (one file, an optional note); `POST /upload/:token` (multipart/form-data) sends it to carechat.
 *
 * - Only the signed-in cardmember the link was made for may use it. Signed out: the sign-in page,
 *   which comes back here after signing in. Someone else's link: a refusal, and the link stays unused.
 * - The link is checked before the body is read (404 unknown, 410 expired or used, 403 not yours);
 *   the body is read up to the link's size cap plus the form's overhead and no further (413); the type
 *   is decided by carechat from the file's content (415), never from its name or the browser's claim.
 * - Multipart bodies are parsed by the WHATWG `Response.formData()` of Node's built-in fetch (undici);
 *   there is no hand-written parser here.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { translator, type Language, type Table } from '@carechat/protocol';
import { z } from 'zod';
import { html } from './html.js';
import { isSameOriginStrict } from './origin.js';
import { layout, type PageContext } from './site.pages.js';
import type { SiteCard, SiteCardmember, UploadLinkPage, UploadLinks, UploadOutcome } from './site.types.js';

/** Where the sign-in page sends the cardmember afterwards (only an upload link path is honoured). */
export const RETURN_COOKIE = 'site_return';
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
/** Room for the multipart framing and the note around the file. */
export const MULTIPART_OVERHEAD_BYTES = 16 * 1024;
const MAX_NOTE = 1000;

/** The path to return to after sign-in, or null when the cookie is not an upload link path. */
export function returnPath(value: string | undefined): string | null {
  if (!value) return null;
  const m = /^\/upload\/([A-Za-z0-9_-]+)$/.exec(value);
  return m && TOKEN.test(m[1]!) ? value : null;
}

type Key =
  | 'title'
  | 'heading'
  | 'case'
  | 'asked'
  | 'file'
  | 'file.hint'
  | 'note'
  | 'note.hint'
  | 'validity'
  | 'send'
  | 'sent.title'
  | 'sent.body'
  | 'sent.next'
  | 'not_found.title'
  | 'not_found.body'
  | 'expired.title'
  | 'expired.body'
  | 'used.title'
  | 'used.body'
  | 'forbidden.title'
  | 'forbidden.body'
  | 'too_large.title'
  | 'too_large.body'
  | 'unsupported_type.title'
  | 'unsupported_type.body'
  | 'empty.body'
  | 'bad.title'
  | 'bad.body'
  | 'signin.title'
  | 'again'
  | 'back';

const strings: Table<Key> = {
  en: {
    title: 'Send documents',
    heading: 'Send documents for case {ref}',
    case: 'Case {ref}: {title}',
    asked: 'What we asked for',
    file: 'Document',
    'file.hint': 'One file: PDF, PNG, JPEG or HEIC, up to {size}.',
    note: 'Note (optional)',
    'note.hint': 'Anything we should know about the document. Do not include full card numbers.',
    validity: 'This secure link works once and is valid until {expires}.',
    send: 'Send',
    'sent.title': 'Document received',
    'sent.body': 'Thank you. We received “{filename}” for case {ref} and added it to your case.',
    'sent.next': 'You can follow the case under your account.',
    'not_found.title': 'This link is not valid',
    'not_found.body': 'Check the link, or ask us for a new one in the chat.',
    'expired.title': 'This link has expired',
    'expired.body': 'Upload links are valid for a limited time. Ask us for a new one in the chat.',
    'used.title': 'This link was already used',
    'used.body': 'Each upload link works once. If you have more documents, ask us for a new link in the chat.',
    'forbidden.title': 'This link is for another cardmember',
    'forbidden.body':
      'You are signed in as someone other than the person this link was sent to. Sign out, then sign in as that person, or ask us for a new link.',
    'too_large.title': 'The file is too large',
    'too_large.body': 'Files can be at most {size}. Choose a smaller file, or a photo at a lower resolution.',
    'unsupported_type.title': 'This type of file is not accepted',
    'unsupported_type.body': 'Send a PDF, PNG, JPEG or HEIC file. The file’s content is checked, not its name.',
    'empty.body': 'The file you chose is empty. Choose the document again.',
    'bad.title': 'We could not read your upload',
    'bad.body': 'Choose the file again and press Send.',
    'signin.title': 'Sign in to send your documents',
    again: 'Try again',
    back: 'Back to your accounts',
  },
  es: {
    title: 'Enviar documentos',
    heading: 'Enviar documentos para el caso {ref}',
    case: 'Caso {ref}: {title}',
    asked: 'Lo que le pedimos',
    file: 'Documento',
    'file.hint': 'Un archivo: PDF, PNG, JPEG o HEIC, de hasta {size}.',
    note: 'Nota (opcional)',
    'note.hint': 'Lo que debamos saber sobre el documento. No incluya números de tarjeta completos.',
    validity: 'Este enlace seguro funciona una sola vez y es válido hasta el {expires}.',
    send: 'Enviar',
    'sent.title': 'Documento recibido',
    'sent.body': 'Gracias. Recibimos «{filename}» para el caso {ref} y lo agregamos a su caso.',
    'sent.next': 'Puede seguir el caso desde su cuenta.',
    'not_found.title': 'Este enlace no es válido',
    'not_found.body': 'Revise el enlace o pídanos uno nuevo en el chat.',
    'expired.title': 'Este enlace ha vencido',
    'expired.body': 'Los enlaces para enviar documentos son válidos por tiempo limitado. Pídanos uno nuevo en el chat.',
    'used.title': 'Este enlace ya se usó',
    'used.body': 'Cada enlace funciona una sola vez. Si tiene más documentos, pídanos un enlace nuevo en el chat.',
    'forbidden.title': 'Este enlace es para otro titular',
    'forbidden.body':
      'Inició sesión con una cuenta distinta de la persona a quien enviamos este enlace. Cierre sesión e inicie sesión como esa persona, o pídanos un enlace nuevo.',
    'too_large.title': 'El archivo es demasiado grande',
    'too_large.body':
      'Los archivos pueden ocupar como máximo {size}. Elija un archivo más pequeño o una foto de menor resolución.',
    'unsupported_type.title': 'Este tipo de archivo no se acepta',
    'unsupported_type.body':
      'Envíe un archivo PDF, PNG, JPEG o HEIC. Se revisa el contenido del archivo, no su nombre.',
    'empty.body': 'El archivo que eligió está vacío. Vuelva a elegir el documento.',
    'bad.title': 'No pudimos leer su envío',
    'bad.body': 'Vuelva a elegir el archivo y pulse Enviar.',
    'signin.title': 'Inicie sesión para enviar sus documentos',
    again: 'Intentar de nuevo',
    back: 'Volver a sus cuentas',
  },
};

const STATUS: Record<UploadOutcome['status'] | UploadLinkPage['status'] | 'bad', number> = {
  ok: 200,
  stored: 200,
  not_found: 404,
  expired: 410,
  used: 410,
  forbidden: 403,
  too_large: 413,
  unsupported_type: 415,
  bad: 400,
};

type Account = { cardmember: SiteCardmember; cards: SiteCard[] };

/** What the plugin lends the upload pages (its closures over the site's configuration). */
export interface UploadPageHelpers {
  uploads: UploadLinks;
  context(lang: Language, opts?: { account?: Account }): PageContext;
  currentAccount(request: FastifyRequest): Promise<Account | null>;
  sendHtml(reply: FastifyReply, status: number, page: string): FastifyReply;
  forbiddenPage(reply: FastifyReply, lang: Language): FastifyReply;
  /** The site's sign-in page (with this status), after which the cardmember comes back to `returnTo`. */
  signIn(reply: FastifyReply, status: number, lang: Language, returnTo: string): FastifyReply;
}

const ACCEPT = 'application/pdf,image/png,image/jpeg,image/heic,.pdf,.png,.jpg,.jpeg,.heic';

function size(bytes: number, lang: Language): string {
  const locale = lang === 'es' ? 'es-US' : 'en-US';
  if (bytes < 1024 * 1024) {
    return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(bytes / 1024)} KB`;
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(bytes / (1024 * 1024))} MB`;
}

function when(isoTime: string, lang: Language): string {
  const f = new Intl.DateTimeFormat(lang === 'es' ? 'es-US' : 'en-US', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'UTC',
  });
  return `${f.format(new Date(isoTime))} UTC`;
}

/** A message page (refusals, confirmation); `role="alert"` is not used: the page itself is the answer. */
function messagePageOf(
  ctx: PageContext,
  title: string,
  body: string,
  link: { href: string; text: string },
  extra?: string,
) {
  const main = html`<div class="page narrow">
  <h1>${title}</h1>
  <p data-testid="upload-message">${body}</p>
  ${extra ? html`<p>${extra}</p>` : null}
  <p><a href="${link.href}">${link.text}</a></p>
</div>`;
  return layout(ctx, { title, main });
}

/** The form for a usable link. */
export function uploadFormPage(
  ctx: PageContext,
  info: Extract<UploadLinkPage, { status: 'ok' }>,
  token: string,
): string {
  const t = translator(strings, ctx.lang);
  const main = html`<div class="page narrow">
  <section class="panel" aria-labelledby="upload-title">
    <h1 id="upload-title">${t('heading', { ref: info.caseReference })}</h1>
    <p class="lede">${t('case', { ref: info.caseReference, title: info.caseTitle })}</p>
    ${
      info.request
        ? html`<h2>${t('asked')}</h2>
    <p data-testid="upload-request">${info.request}</p>`
        : null
    }
    <form method="post" action="/upload/${token}" enctype="multipart/form-data" data-testid="upload-form">
      <div class="field">
        <label for="upload-file">${t('file')}</label>
        <p id="upload-file-hint" class="muted">${t('file.hint', { size: size(info.maxBytes, ctx.lang) })}</p>
        <input type="file" id="upload-file" name="file" required accept="${ACCEPT}" aria-describedby="upload-file-hint">
      </div>
      <div class="field">
        <label for="upload-note">${t('note')}</label>
        <p id="upload-note-hint" class="muted">${t('note.hint')}</p>
        <textarea id="upload-note" name="note" rows="4" maxlength="${MAX_NOTE}" aria-describedby="upload-note-hint"></textarea>
      </div>
      <p class="muted">${t('validity', { expires: when(info.expiresAt, ctx.lang) })}</p>
      <button type="submit" class="button button-primary" data-testid="upload-send">${t('send')}</button>
    </form>
  </section>
</div>`;
  return layout(ctx, { title: t('title'), main });
}

/** The page for a refusal or the confirmation. */
export function uploadResultPage(
  ctx: PageContext,
  outcome: UploadOutcome | { status: Exclude<UploadLinkPage['status'], 'ok'> } | { status: 'bad' | 'empty' },
  token: string,
  maxBytes: number,
): string {
  const t = translator(strings, ctx.lang);
  const back = { href: '/account', text: t('back') };
  const retry = { href: `/upload/${token}`, text: t('again') };
  switch (outcome.status) {
    case 'stored':
      return messagePageOf(
        ctx,
        t('sent.title'),
        t('sent.body', { filename: outcome.filename, ref: outcome.caseReference }),
        back,
        t('sent.next'),
      );
    case 'too_large':
      return messagePageOf(ctx, t('too_large.title'), t('too_large.body', { size: size(maxBytes, ctx.lang) }), retry);
    case 'unsupported_type':
      return messagePageOf(ctx, t('unsupported_type.title'), t('unsupported_type.body'), retry);
    case 'empty':
      return messagePageOf(ctx, t('unsupported_type.title'), t('empty.body'), retry);
    case 'bad':
      return messagePageOf(ctx, t('bad.title'), t('bad.body'), retry);
    default:
      return messagePageOf(ctx, t(`${outcome.status}.title`), t(`${outcome.status}.body`), back);
  }
}

const NoteField = z.string().max(MAX_NOTE * 4);

/** Registers `GET` and `POST /upload/:token` in their own scope (the plugin calls this when carechat lends its links). */
export function registerUploadPages(app: FastifyInstance, h: UploadPageHelpers): void {
  const bodyLimit = h.uploads.maxBytes + MULTIPART_OVERHEAD_BYTES;

  void app.register(async (scope) => {
    // Only these routes take multipart bodies; the whole body is buffered up to the limit, then parsed.
    scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit }, (_req, body, done) =>
      done(null, body),
    );
    scope.setErrorHandler((error: { statusCode?: number; code?: string }, request, reply) => {
      const lang: Language = 'en';
      const token = tokenOf(request);
      if (error.statusCode === 413 || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return h.sendHtml(
          reply,
          413,
          uploadResultPage(h.context(lang), { status: 'too_large' }, token, h.uploads.maxBytes),
        );
      }
      if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
        return h.sendHtml(reply, 400, uploadResultPage(h.context(lang), { status: 'bad' }, token, h.uploads.maxBytes));
      }
      request.log.error({ err: error }, 'upload failed');
      return h.sendHtml(reply, 500, uploadResultPage(h.context(lang), { status: 'bad' }, token, h.uploads.maxBytes));
    });

    /** The signed-in cardmember whose link this is, or a page already sent (sign-in, refusal). */
    async function gate(
      request: FastifyRequest,
      reply: FastifyReply,
    ): Promise<{ account: Account; info: UploadLinkPage } | null> {
      const token = tokenOf(request);
      const account = await h.currentAccount(request);
      if (!account) {
        h.signIn(reply, 401, 'en', `/upload/${token}`);
        return null;
      }
      const info: UploadLinkPage = TOKEN.test(token)
        ? await h.uploads.view(token, account.cardmember.id)
        : { status: 'not_found' };
      if (info.status !== 'ok') {
        const ctx = h.context(account.cardmember.language, { account });
        h.sendHtml(reply, STATUS[info.status], uploadResultPage(ctx, info, token, h.uploads.maxBytes));
        return null;
      }
      return { account, info };
    }

    scope.get('/upload/:token', async (request, reply) => {
      const ok = await gate(request, reply);
      if (!ok || ok.info.status !== 'ok') return reply;
      const ctx = h.context(ok.account.cardmember.language, { account: ok.account });
      return h.sendHtml(reply, 200, uploadFormPage(ctx, ok.info, tokenOf(request)));
    });

    scope.post(
      '/upload/:token',
      {
        bodyLimit,
        // Before a byte of the body is read: origin, session, and the link itself.
        onRequest: async (request, reply) => {
          if (!isSameOriginStrict(request)) return h.forbiddenPage(reply, 'en');
          const ok = await gate(request, reply);
          if (!ok) return reply;
        },
      },
      async (request, reply) => {
        const account = (await h.currentAccount(request))!;
        const lang = account.cardmember.language;
        const ctx = h.context(lang, { account });
        const token = tokenOf(request);
        const page = (status: number, o: Parameters<typeof uploadResultPage>[1]) =>
          h.sendHtml(reply, status, uploadResultPage(ctx, o, token, h.uploads.maxBytes));
        const form = await readForm(request);
        if (!form) return page(400, { status: 'bad' });
        const file = form.get('file');
        const noteValue = form.get('note');
        const note = typeof noteValue === 'string' ? NoteField.safeParse(noteValue) : null;
        if (!file || typeof file === 'string' || (note && !note.success)) return page(400, { status: 'bad' });
        if (file.size > h.uploads.maxBytes) return page(413, { status: 'too_large' });
        if (file.size === 0) return page(415, { status: 'empty' });
        const data = new Uint8Array(await file.arrayBuffer());
        const outcome = await h.uploads.submit(
          token,
          account.cardmember.id,
          { filename: file.name, data },
          note?.success ? note.data.slice(0, MAX_NOTE) || null : null,
        );
        return page(STATUS[outcome.status], outcome);
      },
    );
  });
}

function tokenOf(request: FastifyRequest): string {
  const token = (request.params as { token?: unknown } | undefined)?.token;
  return typeof token === 'string' && TOKEN.test(token) ? token : '';
}

/** The form fields, or null when the body is not a readable multipart form. */
async function readForm(request: FastifyRequest): Promise<FormData | null> {
  const type = request.headers['content-type'];
  if (!Buffer.isBuffer(request.body) || typeof type !== 'string' || !type.startsWith('multipart/form-data'))
    return null;
  const body = request.body;
  try {
    const bytes = new Uint8Array(body.buffer, body.byteOffset, body.byteLength) as Uint8Array<ArrayBuffer>;
    return await new Response(bytes, { headers: { 'content-type': type } }).formData();
  } catch {
    return null;
  }
}
