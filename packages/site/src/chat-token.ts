/** The short-lived JWT the widget exchanges at `POST /api/widget/session` (docs/protocol.md, "The host site's token"). */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { SiteDeps } from './site.types.js';

/** carechat rejects tokens whose `exp` is more than 10 minutes after `iat`. */
export const MAX_CHAT_TOKEN_TTL_SECONDS = 600;

export type ChatTokenDeps = Pick<
  SiteDeps,
  'chatTokenSecret' | 'chatTokenIssuer' | 'chatTokenAudience' | 'chatTokenTtlSeconds'
>;

/** Throws when the TTL is outside what carechat accepts, so misconfiguration fails at boot, not per chat. */
export function assertChatTokenTtl(ttlSeconds: number): void {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0 || ttlSeconds > MAX_CHAT_TOKEN_TTL_SECONDS) {
    throw new RangeError(
      `chatTokenTtlSeconds must be an integer between 1 and ${MAX_CHAT_TOKEN_TTL_SECONDS}, got ${ttlSeconds}`,
    );
  }
}

/** Signs the HS256 chat token: iss, aud, sub = cardmember, card, lang, iat, exp = iat + ttl, jti. */
export async function signChatToken(
  deps: ChatTokenDeps,
  input: { cardmemberId: string; cardId: string; lang: 'en' | 'es' },
): Promise<string> {
  assertChatTokenTtl(deps.chatTokenTtlSeconds);
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT({ card: input.cardId, lang: input.lang })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(deps.chatTokenIssuer)
    .setAudience(deps.chatTokenAudience)
    .setSubject(input.cardmemberId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + deps.chatTokenTtlSeconds)
    .setJti(randomUUID())
    .sign(deps.chatTokenSecret);
}
