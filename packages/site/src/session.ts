/** The site's own sign-in session: an HS256 JWT in the `site_session` cookie, signed with `sessionSecret`. */
import { SignJWT, jwtVerify } from 'jose';

export const SESSION_COOKIE = 'site_session';

// Distinct issuer/audience so a session cookie can never be mistaken for a chat token (or vice versa),
// even if someone misconfigures both secrets to the same value.
const SESSION_ISSUER = 'meridian-demo-site';
const SESSION_AUDIENCE = 'meridian-demo-site/session';

/** Signs a session for one cardmember. */
export async function signSession(secret: Uint8Array, cardmemberId: string, ttlSeconds: number): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(SESSION_ISSUER)
    .setAudience(SESSION_AUDIENCE)
    .setSubject(cardmemberId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .sign(secret);
}

/** The cardmember id from a session cookie, or null when it is missing, forged or expired. */
export async function verifySession(secret: Uint8Array, token: string | undefined): Promise<string | null> {
  if (!token || token.length > 4096) return null;
  try {
    const { payload } = await jwtVerify(token, secret, {
      algorithms: ['HS256'],
      issuer: SESSION_ISSUER,
      audience: SESSION_AUDIENCE,
      requiredClaims: ['sub', 'exp'],
    });
    return typeof payload.sub === 'string' && payload.sub ? payload.sub : null;
  } catch {
    return null;
  }
}
