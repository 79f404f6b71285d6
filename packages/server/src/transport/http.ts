/**
 * The HTTP transport: Fastify with one error handler, security headers, static client bundles,
 * the demo site and the API routes. Request logs carry no query strings, bodies or credentials.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ApiErrorBody } from '@carechat/protocol';
import { AccountsError } from '../accounts/accounts.port.js';
import { AppError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const clientDist = {
  widget: path.resolve(here, '../../../widget/dist'),
  console: path.resolve(here, '../../../console/dist'),
};

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

const ACCOUNTS_STATUS: Record<AccountsError['code'], number> = {
  not_found: 404,
  invalid_input: 400,
  rule_violation: 422,
  conflict: 409,
  unavailable: 503,
};

function trustHops(hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops;
}

export async function createHttp(o: {
  logger: Logger;
  secureCookies: boolean;
  bodyLimit?: number;
  /** Whose X-Forwarded-For to believe (config TRUST_PROXY); default nobody's. */
  trustProxy?: false | number | string[];
}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: o.logger,
    bodyLimit: o.bodyLimit ?? 64 * 1024,
    // A hop count trusts that many proxies nearest the node (Fastify's types take it as a function).
    trustProxy: typeof o.trustProxy === 'number' ? trustHops(o.trustProxy) : (o.trustProxy ?? false),
    genReqId: () => crypto.randomUUID(),
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) reply.header(k, v);
    if (o.secureCookies) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    return payload;
  });

  app.setErrorHandler((err: unknown, req, reply) => {
    let status = 500;
    let body: ApiErrorBody;
    if (err instanceof AppError) {
      status = err.status;
      body = { error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } };
    } else if (err instanceof AccountsError) {
      status = ACCOUNTS_STATUS[err.code];
      body = {
        error: {
          code: err.code === 'invalid_input' ? 'bad_request' : err.code,
          message: err.message,
          ...(err.rule ? { details: { rule: err.rule } } : {}),
        },
      };
    } else {
      const e = err as { statusCode?: number; code?: string };
      if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        status = 413;
        body = { error: { code: 'payload_too_large', message: 'The request body is too large.' } };
      } else if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
        status = e.statusCode;
        const message =
          e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/i.test(String((err as Error).message))
            ? 'The request body is not valid JSON.'
            : e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
              ? 'Unsupported content type.'
              : 'The request is not valid.';
        body = { error: { code: 'bad_request', message } };
      } else {
        req.log.error({ err }, 'unhandled error');
        body = { error: { code: 'internal', message: 'Something went wrong on our side. Please try again.' } };
      }
    }
    if (status === 401 || status === 403) reply.header('cache-control', 'no-store');
    reply.code(status).send(body);
  });

  app.setNotFoundHandler((req, reply) => {
    reply
      .code(404)
      .send({ error: { code: 'not_found', message: `No route for ${req.method} ${req.url.split('?')[0]}.` } });
  });

  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  return app as unknown as FastifyInstance;
}

/** Serves the built widget and console; a clear message when they have not been built. */
export async function serveClients(app: FastifyInstance): Promise<void> {
  for (const [name, dir] of Object.entries(clientDist)) {
    if (!existsSync(dir)) {
      app.get(`/${name}/*`, async (_req, reply) =>
        reply.code(503).type('text/plain').send(`The ${name} has not been built. Run "npm run build".`),
      );
      continue;
    }
    await app.register(fastifyStatic, {
      root: dir,
      prefix: `/${name}/`,
      decorateReply: name === 'widget',
      index: ['index.html'],
      maxAge: name === 'widget' ? 0 : 60_000,
    });
  }
  if (existsSync(clientDist.console)) {
    app.get('/console', async (_req, reply) => reply.redirect('/console/'));
  }
}
