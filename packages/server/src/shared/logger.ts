/**
 * Structured logging (pino). Message bodies and tokens never go in logs: request URLs are logged
 * without their query string, and credential headers are redacted.
 */
import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
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
        err: pino.stdSerializers.err,
      },
    },
    destination ?? pino.destination(1),
  );
}
