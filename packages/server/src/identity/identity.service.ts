/**
 * Who is calling: cardmembers via the host site's token exchanged for a widget session, staff via
 * password login. Returns Actors that the policies understand.
 */
import { toLanguage, type Language, type StaffLoginChallengeResponse } from '@carechat/protocol';
import type { AgentRow, AgentsStore } from '../agents/agents.store.js';
import type { Actor } from '../conversations/conversations.policy.js';
import type { Db } from '../store/db.js';
import { AppError, unauthorized } from '../shared/errors.js';
import { iso, type Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { CHALLENGE_MAX_ATTEMPTS, LoginChallengesStore } from './login-challenges.store.js';
import { verifyAgainstDummy, verifyPassword } from './passwords.js';
import type { SecretBox } from './secret-box.js';
import type { SessionsStore } from './sessions.store.js';
import { verifySiteToken, type SiteTokenVerifierOptions } from './site-token.js';
import { StaffCredentialsStore } from './staff-credentials.store.js';
import { matchTotpStep, newTotpSecret, otpauthUri } from './totp.js';

export interface IdentityDeps {
  db: Db;
  sessions: SessionsStore;
  agents: AgentsStore;
  clock: Clock;
  siteToken: Omit<SiteTokenVerifierOptions, 'now'>;
  widgetSessionTtlSeconds: number;
  staffSessionTtlSeconds: number;
  /** Encrypts staff TOTP secrets at rest. */
  totpSecrets: SecretBox;
  /** Security events (account lockouts) are logged here as well as stored. */
  logger?: Logger;
}

const challengeExpired = () =>
  new AppError(
    'challenge_expired',
    401,
    'This sign-in has expired or was already used. Sign in again with your password.',
  );
const accountLocked = (until: string) =>
  new AppError(
    'account_locked',
    423,
    'Too many failed sign-in attempts: this account is locked for 15 minutes. Try again later or ask a supervisor for help.',
    { lockedUntil: until },
  );

export interface CardmemberIdentity {
  cardmemberId: string;
  cardId: string;
  firstName: string;
  language: Language;
}

export class IdentityService {
  private readonly challenges: LoginChallengesStore;
  private readonly credentials: StaffCredentialsStore;

  constructor(private readonly d: IdentityDeps) {
    this.challenges = new LoginChallengesStore(d.db, d.clock);
    this.credentials = new StaffCredentialsStore(d.db);
  }

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

  /**
   * Staff sign-in, step 1 of 2: the password. A right one earns a challenge for the code, never a
   * session; an account without a confirmed authenticator also gets its (new or pending) secret.
   * Unknown email and wrong password get the same error after the same work (one argon2 verify);
   * so does a locked account, which is refused whatever the password.
   */
  async staffPassword(email: string, password: string, ip?: string): Promise<StaffLoginChallengeResponse> {
    const agent = await this.d.agents.byEmail(email);
    const now = this.d.clock.now();
    if (agent && isLocked(agent, now)) {
      await verifyAgainstDummy(password);
      throw accountLocked(agent.locked_until!);
    }
    const ok = agent ? await verifyPassword(agent.password_hash, password) : await verifyAgainstDummy(password);
    if (!agent || !ok) {
      if (agent) await this.failed(agent, now, 'password', ip);
      throw new AppError('invalid_credentials', 401, 'The email or password is incorrect.');
    }
    const { challenge, expiresAt } = await this.challenges.create(agent.id);
    if (agent.totp_enrolled_at && agent.totp_secret_ciphertext) return { mfaRequired: true, challenge, expiresAt };
    // Enrollment: the same pending secret until a code confirms it, so an app set up during an
    // abandoned attempt still works the next time.
    const ciphertext =
      agent.totp_secret_ciphertext ??
      (await this.credentials.ensurePendingSecret(agent.id, this.d.totpSecrets.encrypt(newTotpSecret(), agent.id)));
    const secret = this.d.totpSecrets.decrypt(ciphertext, agent.id);
    return {
      mfaRequired: true,
      challenge,
      expiresAt,
      enrollment: { secret, otpauthUri: otpauthUri(secret, agent.email) },
    };
  }

  /**
   * Staff sign-in, step 2 of 2: the TOTP code for a challenge. Each try spends one of the
   * challenge's attempts; a code from a step at or before the last accepted one is refused (replay);
   * a wrong code counts towards the account lockout. The first right code confirms enrollment.
   */
  async staffSecondFactor(challenge: string, code: string, ip?: string) {
    const c = await this.challenges.spendAttempt(challenge);
    if (!c) throw challengeExpired();
    const agent = await this.d.agents.byId(c.agentId);
    if (!agent?.totp_secret_ciphertext) throw challengeExpired();
    const now = this.d.clock.now();
    if (isLocked(agent, now)) {
      await this.challenges.consume(this.d.db, c.hash);
      throw accountLocked(agent.locked_until!);
    }
    const step = matchTotpStep(this.d.totpSecrets.decrypt(agent.totp_secret_ciphertext, agent.id), code, now);
    const reused = step !== null && agent.totp_last_step !== null && step <= agent.totp_last_step;
    if (step === null || reused) {
      const attemptsLeft = await this.challenges.afterWrongCode(c);
      await this.failed(agent, now, reused ? 'code_reused' : 'code', ip);
      throw reused
        ? new AppError('code_reused', 401, 'This code was already used. Wait for the next code in your app.', {
            attemptsLeft,
          })
        : new AppError('invalid_code', 401, 'The code is not correct. Check your authenticator app and try again.', {
            attemptsLeft,
          });
    }
    // The challenge is used and the step recorded together: a racing twin with the same code
    // loses on one or the other and gets no session.
    await this.d.db.transaction().execute(async (tx) => {
      if (!(await this.challenges.consume(tx, c.hash))) throw challengeExpired();
      if (!(await this.credentials.acceptStep(tx, agent.id, step, now))) {
        throw new AppError('code_reused', 401, 'This code was already used. Wait for the next code in your app.', {
          attemptsLeft: Math.max(0, CHALLENGE_MAX_ATTEMPTS - c.attempts),
        });
      }
    });
    const { token, session } = await this.d.sessions.create({
      kind: 'staff',
      subjectId: agent.id,
      ttlSeconds: this.d.staffSessionTtlSeconds,
    });
    return { token, session, agent };
  }

  /** One failed sign-in: counted, and when it locks the account, a security event. */
  private async failed(agent: AgentRow, now: Date, reason: 'password' | 'code' | 'code_reused', ip?: string) {
    const { failures, lockedUntil } = await this.credentials.recordFailure(agent.id, now);
    this.d.logger?.info({ event: 'staff.signin_failed', agentId: agent.id, reason, failures }, 'staff sign-in failed');
    if (!lockedUntil) return;
    const payload = { failures, lockedUntil, reason, ip: ip ?? null };
    this.d.logger?.warn({ event: 'staff.account_locked', agentId: agent.id, ...payload }, 'staff account locked');
    await this.d.db
      .insertInto('events')
      .values({
        type: 'staff.account_locked',
        conversation_id: null,
        actor_type: 'agent',
        actor_id: agent.id,
        payload: JSON.stringify(payload),
        created_at: iso(now),
      })
      .execute();
    throw accountLocked(lockedUntil);
  }

  /** Resolves the staff cookie to an agent/supervisor Actor plus the session's CSRF token. */
  async staffActor(
    token: string | undefined,
  ): Promise<{ actor: Actor & { role: 'agent' | 'supervisor' | 'admin' }; csrfToken: string; expiresAt: string }> {
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

function isLocked(agent: AgentRow, now: Date): boolean {
  return !!agent.locked_until && agent.locked_until > iso(now);
}
