/** Request authentication for the two audiences, used by routes as one-liners. */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { IdentityService } from '../identity/identity.service.js';
import { AppError } from '../shared/errors.js';

export const STAFF_COOKIE = 'cc_staff';

export function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
}

export function cardmember(identity: IdentityService, req: FastifyRequest) {
  return identity.cardmemberActor(bearer(req));
}

/** Staff cookie auth; state-changing methods must also present the session's CSRF token. */
export async function staff(identity: IdentityService, req: FastifyRequest) {
  const s = await identity.staffActor(req.cookies[STAFF_COOKIE]);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const sent = Buffer.from(String(req.headers['x-csrf-token'] ?? ''));
    const expected = Buffer.from(s.csrfToken);
    if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) {
      throw new AppError('csrf_failed', 403, 'The request could not be verified. Reload the page and try again.');
    }
  }
  return s;
}
