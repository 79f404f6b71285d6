/**
 * Verifies the host site's signed chat token (HS256 JWT). Several secrets may be configured, newest
 * first, so the site can rotate its key without breaking chats that are being opened.
 */
import { errors, jwtVerify } from 'jose';
import { z } from 'zod';
import { AppError } from '../shared/errors.js';

export interface SiteTokenClaims {
  cardmemberId: string;
  cardId: string;
  jti: string;
  expiresAt: Date;
  lang: 'en' | 'es' | null;
}

const Claims = z.object({
  sub: z.string().min(1).max(64),
  card: z.string().min(1).max(64),
  jti: z.string().min(8).max(128),
  exp: z.number(),
  iat: z.number(),
  lang: z.enum(['en', 'es']).optional(),
});

export interface SiteTokenVerifierOptions {
  secrets: Uint8Array[];
  issuer: string;
  audience: string;
  maxTokenAgeSeconds: number;
  now: () => Date;
}

/** Returns verified claims, or throws AppError token_invalid / token_expired. */
export async function verifySiteToken(token: string, o: SiteTokenVerifierOptions): Promise<SiteTokenClaims> {
  let lastError: unknown;
  for (const secret of o.secrets) {
    try {
      const { payload } = await jwtVerify(token, secret, {
        issuer: o.issuer,
        audience: o.audience,
        algorithms: ['HS256'],
        currentDate: o.now(),
        maxTokenAge: o.maxTokenAgeSeconds,
        requiredClaims: ['exp', 'iat', 'jti', 'sub'],
      });
      const claims = Claims.safeParse(payload);
      if (!claims.success) throw new AppError('token_invalid', 401, 'The chat token is missing required claims.');
      return {
        cardmemberId: claims.data.sub,
        cardId: claims.data.card,
        jti: claims.data.jti,
        expiresAt: new Date(claims.data.exp * 1000),
        lang: claims.data.lang ?? null,
      };
    } catch (err) {
      if (err instanceof AppError) throw err;
      if (err instanceof errors.JWTExpired) {
        throw new AppError('token_expired', 401, 'The chat token has expired. Reload the page and try again.');
      }
      lastError = err;
      // Signature failure with this secret: try the next (older) one.
      if (err instanceof errors.JWSSignatureVerificationFailed) continue;
      break;
    }
  }
  void lastError;
  throw new AppError('token_invalid', 401, 'The chat token is not valid.');
}
