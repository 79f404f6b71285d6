/**
 * Structured logging (pino). Message bodies and tokens never go in logs: request URLs are logged
 * without their query string, and credential headers are redacted.
 */
import { hostname } from 'node:os';
import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Database errors carry row values: PostgreSQL's `detail` quotes the failing row or key ("Failing row
 * contains (...)"), `where` and `parameters` may too. Keep the message, code, constraint and stack.
 */
const ROW_FIELDS = ['detail', 'where', 'parameters', 'params', 'internalQuery'] as const;
function safeErr(err: Error): Record<string, unknown> {
  const out = pino.stdSerializers.err(err) as unknown as Record<string, unknown>;
  for (const k of ROW_FIELDS) delete out[k];
  const cause = out.cause as Record<string, unknown> | undefined;
  if (cause && typeof cause === 'object') for (const k of ROW_FIELDS) delete cause[k];
  return out;
}

/**
 * A JSON logger at `level`; `bindings` go on every line (the app passes `{ node: config.nodeId }`, so
 * lines from several nodes can be told apart once collected).
 */
export function createLogger(
  level: string,
  destination?: pino.DestinationStream,
  bindings: Record<string, string> = {},
): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid, hostname: hostname(), ...bindings },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["sec-websocket-protocol"]',
          'res.headers["set-cookie"]',
          '*.password',
          '*.token',
          '*.body',
        ],
        censor: '[redacted]',
      },
      serializers: {
        // Never log query strings or bodies: they could carry anything a client put there.
        req: (req: { method?: string; url?: string; id?: string }) => ({
          method: req.method,
          // Step-up device links and secure upload links carry their secret in the path: log the
          // route, not the token.
          url: req.url
            ?.split('?')[0]
            ?.replace(/^\/device\/prompts\/[^/]+/, '/device/prompts/[token]')
            .replace(/^\/upload\/[^/]+/, '/upload/[token]'),
          id: req.id,
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        err: safeErr,
      },
    },
    destination ?? pino.destination(1),
  );
}
