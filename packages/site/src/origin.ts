/**
 * Same-origin checks for state-changing requests (CSRF defence in depth on top of SameSite=Lax).
 *
 * Only the host (with the port, default ports normalised) is compared, not the scheme: TLS usually ends
 * at a proxy, so the app cannot always tell http from https, and a page on the same host is ours anyway.
 */
import type { FastifyRequest } from 'fastify';

type Req = Pick<FastifyRequest, 'headers' | 'host'>;

function header(req: Req, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** True when the Origin header names this request's own host. */
export function originMatchesHost(origin: string, host: string | undefined): boolean {
  if (!host) return false;
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    return false; // includes the opaque origin "null"
  }
  if (o.protocol !== 'http:' && o.protocol !== 'https:') return false;
  try {
    return new URL(`${o.protocol}//${host}`).host === o.host;
  } catch {
    return false;
  }
}

/**
 * For form posts: a present Origin must match; without Origin, a present Sec-Fetch-Site must not be
 * cross-site. Requests with neither (old browsers, curl) pass; SameSite=Lax still guards the cookie.
 */
export function isSameOriginForm(req: Req): boolean {
  const origin = header(req, 'origin');
  if (origin !== undefined) return originMatchesHost(origin, req.host);
  const site = header(req, 'sec-fetch-site');
  if (site !== undefined) return site === 'same-origin' || site === 'none';
  return true;
}

/** For the token API: requires positive proof of same origin (Origin header, or Sec-Fetch-Site: same-origin). */
export function isSameOriginStrict(req: Req): boolean {
  const origin = header(req, 'origin');
  if (origin !== undefined) return originMatchesHost(origin, req.host);
  return header(req, 'sec-fetch-site') === 'same-origin';
}
