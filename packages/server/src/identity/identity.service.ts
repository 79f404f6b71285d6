/**
 * Who is calling: cardmembers via the host site's token exchanged for a widget session, staff via
 * password login. Returns Actors that the policies understand.
 */
import { toLanguage, type Language } from '@carechat/protocol';
import type { AgentsStore } from '../agents/agents.store.js';
import type { Actor } from '../conversations/conversations.policy.js';
import type { Db } from '../store/db.js';
import { AppError, unauthorized } from '../shared/errors.js';
import type { Clock } from '../shared/clock.js';
import { verifyAgainstDummy, verifyPassword } from './passwords.js';
import type { SessionsStore } from './sessions.store.js';
import { verifySiteToken, type SiteTokenVerifierOptions } from './site-token.js';

export interface IdentityDeps {
  db: Db;
  sessions: SessionsStore;
  agents: AgentsStore;
  clock: Clock;
  siteToken: Omit<SiteTokenVerifierOptions, 'now'>;
  widgetSessionTtlSeconds: number;
  staffSessionTtlSeconds: number;
}

export interface CardmemberIdentity {
  cardmemberId: string;
  cardId: string;
  firstName: string;
  language: Language;
}

export class IdentityService {
  constructor(private readonly d: IdentityDeps) {}

  /** Exchanges a host-site token for a widget session. Each token works once. */
  async exchangeSiteToken(
    token: string | undefined,
  ): Promise<{ token: string; expiresAt: string; who: CardmemberIdentity }> {
    if (!token) throw new AppError('token_missing', 401, 'Sign in on the website to start a chat.');
    const claims = await verifySiteToken(token, { ...this.d.siteToken, now: () => this.d.clock.now() });
    const card = await this.d.db
      .selectFrom('cards as k')
      .innerJoin('cardmembers as cm', 'cm.id', 'k.cardmember_id')
      .select(['k.id as card_id', 'cm.id as cardmember_id', 'cm.first_name', 'cm.preferred_language'])
      .where('k.id', '=', claims.cardId)
      .where('k.cardmember_id', '=', claims.cardmemberId)
      .executeTakeFirst();
    if (!card) throw new AppError('token_invalid', 401, 'The chat token is not valid.');
    if (!(await this.d.sessions.useTokenOnce(claims.jti, claims.expiresAt))) {
      throw new AppError('token_replayed', 401, 'This chat link was already used. Reload the page to chat.');
    }
    const { token: sessionToken, session } = await this.d.sessions.create({
      kind: 'widget',
      subjectId: card.cardmember_id,
      cardId: card.card_id,
      ttlSeconds: this.d.widgetSessionTtlSeconds,
    });
    return {
      token: sessionToken,
      expiresAt: session.expiresAt,
      who: {
        cardmemberId: card.cardmember_id,
        cardId: card.card_id,
        firstName: card.first_name,
        language: claims.lang ?? toLanguage(card.preferred_language),
      },
    };
  }

  /** Resolves a widget bearer token to a cardmember Actor. */
  async cardmemberActor(token: string | undefined): Promise<Actor & { role: 'cardmember' }> {
    if (!token) throw unauthorized('unauthorized', 'A chat session is required.');
    const found = await this.d.sessions.lookup(token, 'widget');
    if (!found.ok) {
      throw found.reason === 'expired'
        ? unauthorized('session_expired', 'Your chat session has expired. Reload the page to continue.')
        : unauthorized('unauthorized', 'A chat session is required.');
    }
    const cm = await this.d.db
      .selectFrom('cardmembers')
      .select(['first_name', 'preferred_language'])
      .where('id', '=', found.session.subjectId)
      .executeTakeFirst();
    if (!cm || !found.session.cardId) throw unauthorized();
    return {
      role: 'cardmember',
      cardmemberId: found.session.subjectId,
      cardId: found.session.cardId,
      sessionHash: found.session.hash,
      firstName: cm.first_name,
      language: toLanguage(cm.preferred_language),
    };
  }

  /** Password login for agents and supervisors. Same error and timing for unknown email and bad password. */
  async staffLogin(email: string, password: string) {
    const agent = await this.d.agents.byEmail(email);
    const ok = agent ? await verifyPassword(agent.password_hash, password) : await verifyAgainstDummy(password);
    if (!agent || !ok) throw new AppError('invalid_credentials', 401, 'The email or password is incorrect.');
    const { token, session } = await this.d.sessions.create({
      kind: 'staff',
      subjectId: agent.id,
      ttlSeconds: this.d.staffSessionTtlSeconds,
    });
    return { token, session, agent };
  }

  /** Resolves the staff cookie to an agent/supervisor Actor plus the session's CSRF token. */
  async staffActor(
    token: string | undefined,
  ): Promise<{ actor: Actor & { role: 'agent' | 'supervisor' }; csrfToken: string; expiresAt: string }> {
    if (!token) throw unauthorized();
    const found = await this.d.sessions.lookup(token, 'staff');
    if (!found.ok) {
      throw found.reason === 'expired'
        ? unauthorized('session_expired', 'Your session has expired. Please sign in again.')
        : unauthorized();
    }
    const agent = await this.d.agents.byId(found.session.subjectId);
    if (!agent) throw unauthorized();
    return {
      actor: {
        role: agent.role,
        agentId: agent.id,
        firstName: agent.first_name,
        sessionHash: found.session.hash,
        skills: await this.d.agents.skills(agent.id),
      },
      csrfToken: found.session.csrfToken ?? '',
      expiresAt: found.session.expiresAt,
    };
  }
}
