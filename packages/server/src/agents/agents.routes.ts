/**
 * Staff sign-in (password, then a TOTP code), session and availability (`/api/auth/...`,
 * `/api/agent/...`). The session cookie is only ever set by the second step.
 */
import {
  AgentStatusRequest,
  LoginRequest,
  LoginTotpRequest,
  type StaffLoginChallengeResponse,
  type StaffSessionResponse,
} from '@carechat/protocol';
import type { FastifyInstance } from 'fastify';
import type { Bus } from '../bus/bus.js';
import { channels } from '../bus/events.js';
import type { IdentityService } from '../identity/identity.service.js';
import type { SessionsStore } from '../identity/sessions.store.js';
import { authorize } from '../security/access.js';
import { STAFF_COOKIE, staff } from '../transport/auth.js';
import { parse } from '../transport/validate.js';
import { AppError } from '../shared/errors.js';
import type { AgentsService } from './agents.service.js';
import { LoginThrottle, type SignInThrottle } from './login-throttle.js';

/** Five failed sign-ins per (IP, e-mail) within five minutes lock the pair out until the window ends. */
export const STAFF_THROTTLE = { maxFailures: 5, windowMs: 5 * 60_000 };

export function agentRoutes(
  app: FastifyInstance,
  d: {
    identity: IdentityService;
    agents: AgentsService;
    sessions: SessionsStore;
    bus: Bus;
    secureCookies: boolean;
    now: () => Date;
    /** Failed sign-ins per (IP, e-mail); default in memory (one node), shared across nodes from app.ts. */
    throttle?: SignInThrottle;
  },
) {
  const throttle = d.throttle ?? new LoginThrottle(STAFF_THROTTLE);

  app.post('/api/auth/login', async (req): Promise<StaffLoginChallengeResponse> => {
    const { email, password } = parse(LoginRequest, req.body);
    const key = `${req.ip}|${email}`;
    const nowMs = d.now().getTime();
    if (await throttle.blocked(key, nowMs)) {
      throw new AppError('rate_limited', 429, 'Too many sign-in attempts. Wait a few minutes and try again.');
    }
    let result;
    try {
      result = await d.identity.staffPassword(email, password, req.ip);
    } catch (err) {
      await throttle.fail(key, nowMs);
      throw err;
    }
    await throttle.reset(key);
    return result;
  });

  app.post('/api/auth/login/totp', async (req, reply): Promise<StaffSessionResponse> => {
    const { challenge, code } = parse(LoginTotpRequest, req.body);
    const result = await d.identity.staffSecondFactor(challenge, code, req.ip);
    reply.setCookie(STAFF_COOKIE, result.token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: d.secureCookies,
      path: '/',
      expires: new Date(result.session.expiresAt),
    });
    return {
      agent: await d.agents.view(result.agent.id),
      csrfToken: result.session.csrfToken ?? '',
      expiresAt: result.session.expiresAt,
    };
  });

  app.get('/api/auth/me', async (req): Promise<StaffSessionResponse> => {
    const s = await staff(d.identity, req);
    authorize(s.actor, 'staff.me');
    return { agent: await d.agents.view(s.actor.agentId), csrfToken: s.csrfToken, expiresAt: s.expiresAt };
  });

  app.post('/api/auth/logout', async (req, reply) => {
    const s = await staff(d.identity, req);
    authorize(s.actor, 'staff.logout');
    await d.sessions.revoke(s.actor.sessionHash);
    await d.agents.setStatus(s.actor.agentId, 'offline');
    // Every socket opened with this session closes, on every node.
    await d.bus.publish(channels.sessions, { name: 'session.revoked', payload: { sessionHash: s.actor.sessionHash } });
    reply.clearCookie(STAFF_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.put('/api/agent/status', async (req) => {
    const { actor } = await staff(d.identity, req);
    authorize(actor, 'agent.status');
    const { status } = parse(AgentStatusRequest, req.body);
    return { agent: await d.agents.setStatus(actor.agentId, status) };
  });
}
