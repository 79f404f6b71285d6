/**
 * One check in front of every route: no NUL character in path parameters, query strings or bodies.
 * No person types one, PostgreSQL text cannot hold one (the query fails), and some C libraries stop
 * reading at one; refusing it at the edge gives a clean 400 on both databases instead of a 500 on one.
 */
import type { FastifyInstance } from 'fastify';

const MAX_DEPTH = 32;

/** True when any string (or key) inside `v` contains U+0000. */
export function containsNul(v: unknown, depth = 0): boolean {
  if (typeof v === 'string') return v.includes('\u0000');
  if (!v || typeof v !== 'object' || depth > MAX_DEPTH) return false;
  if (Array.isArray(v)) return v.some((x) => containsNul(x, depth + 1));
  return Object.entries(v).some(([k, x]) => k.includes('\u0000') || containsNul(x, depth + 1));
}

/**
 * Registers the check as a preValidation hook (after the body is parsed, before any handler). Register
 * it before the routes and plugins it covers, like the rate limits.
 */
export function registerInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (req, reply) => {
    if (containsNul(req.params) || containsNul(req.query) || containsNul(req.body)) {
      return reply
        .code(400)
        .send({ error: { code: 'bad_request', message: 'The request contains a character that is not allowed.' } });
    }
  });
}
