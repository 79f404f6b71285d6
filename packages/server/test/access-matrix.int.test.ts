/**
 * The access-control matrix, against a real server: for every REST route under /api and every client
 * socket frame type, every principal (anonymous, the owner, the owner on another card, a foreign
 * cardmember, agents by relation, supervisors in and out of the team, an admin) and every conversation
 * state that matters (queued, assigned, closed), exactly the expected outcome — allowed where the
 * table says so, the stated refusal everywhere else.
 *
 * The tables are written out by hand on purpose: they are the specification, not a copy of
 * security/access.ts. A route registered under /api without a row here fails the first test.
 */
import { randomUUID } from 'node:crypto';
import type { ServerFrame } from '@carechat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/security/access.js';
import { hashPassword } from '../src/identity/passwords.js';
import {
  freshTotpCode,
  postJson,
  siteToken,
  startServer,
  staffLogin,
  storeUnavailable,
  TestSocket,
  widgetSession,
  type TestServer,
} from './helpers.js';

const skip = await storeUnavailable();

// ------------------------------------------------------------------ who and what

const CARDMEMBERS = ['owner', 'owner_other_card', 'foreign'] as const;
const STAFF = [
  'assignee', // Ana: general en+es; takes the chat in the assigned and closed states
  'agent_team', // Ben: general en — same team and language queue, not assigned
  'agent_other_language', // Lucia: general es only
  'agent_other_team', // Olga: fraud en
  'supervisor', // Sofía: supervises every team
  'supervisor_other_team', // Sven: supervises fraud only
  'admin',
] as const;
const PRINCIPALS = ['anonymous', ...CARDMEMBERS, ...STAFF] as const;
type Cardmember = (typeof CARDMEMBERS)[number];
type Staff = (typeof STAFF)[number];
type Principal = (typeof PRINCIPALS)[number];
type Scenario = 'queued' | 'assigned' | 'closed';
const SCENARIOS: Scenario[] = ['queued', 'assigned', 'closed'];

/** The conversation under test always belongs to Maria's Gold card (team general, English). */
const OWNER = { cardmemberId: 'cm_maria', cardId: 'card_maria_gold' };
const CARDMEMBER_CARDS: Record<Cardmember, { sub: string; card: string }> = {
  owner: { sub: 'cm_maria', card: 'card_maria_gold' },
  owner_other_card: { sub: 'cm_maria', card: 'card_maria_biz' },
  foreign: { sub: 'cm_sam', card: 'card_sam_blue' },
};
const STAFF_LOGINS: Record<Staff, [email: string, password: string]> = {
  assignee: ['ana@carechat.test', 'demo-ana-2024'],
  agent_team: ['ben@carechat.test', 'demo-ben-2024'],
  agent_other_language: ['lucia@carechat.test', 'test-lucia-2024'],
  agent_other_team: ['olga@carechat.test', 'test-olga-2024'],
  supervisor: ['sofia@carechat.test', 'demo-sofia-2024'],
  supervisor_other_team: ['sven@carechat.test', 'test-sven-2024'],
  admin: ['admin@carechat.test', 'demo-admin-2024'],
};
const EXTRA_STAFF = [
  { id: 'agent_lucia', email: 'lucia@carechat.test', role: 'agent', name: 'Lucia', skills: [['general', 'es']] },
  { id: 'agent_olga', email: 'olga@carechat.test', role: 'agent', name: 'Olga', skills: [['fraud', 'en']] },
  {
    id: 'agent_sven',
    email: 'sven@carechat.test',
    role: 'supervisor',
    name: 'Sven',
    skills: [
      ['fraud', 'en'],
      ['fraud', 'es'],
    ],
  },
] as const;

// ------------------------------------------------------------------ outcome shorthands

const OK = '200';
const CREATED = '201';
const NF = '404 conversation_not_found';
const FORBIDDEN = '403 forbidden';
const NO_SESSION = '401 unauthorized';
const NOT_WAITING = '409 conversation_not_waiting';
const CLOSED = '409 conversation_closed';

type Row = Record<Principal, string>;
/** Only staff may call: cardmembers and anonymous callers have no staff session. */
const staffOnly = (staff: Record<Staff, string>): Row => ({
  anonymous: NO_SESSION,
  owner: NO_SESSION,
  owner_other_card: NO_SESSION,
  foreign: NO_SESSION,
  ...staff,
});
/** Only cardmembers may call: staff cookies are not chat sessions. */
const cardmemberOnly = (cm: Record<Cardmember, string>, anonymous = NO_SESSION): Row => ({
  anonymous,
  ...cm,
  ...(Object.fromEntries(STAFF.map((p) => [p, NO_SESSION])) as Record<Staff, string>),
});
const same = (row: Row): Record<Scenario, Row> => ({ queued: row, assigned: row, closed: row });

/** Staff reads of one conversation (detail, transcript, customer context). */
const staffRead = (admin: string): Record<Scenario, Row> => ({
  queued: staffOnly({
    assignee: OK, // serves the general/en queue
    agent_team: OK,
    agent_other_language: NF,
    agent_other_team: NF,
    supervisor: OK,
    supervisor_other_team: NF,
    admin,
  }),
  assigned: staffOnly({
    assignee: OK,
    agent_team: NF, // a colleague's chat is not theirs once taken
    agent_other_language: NF,
    agent_other_team: NF,
    supervisor: OK,
    supervisor_other_team: NF,
    admin,
  }),
  closed: staffOnly({
    assignee: OK,
    agent_team: NF,
    agent_other_language: NF,
    agent_other_team: NF,
    supervisor: OK,
    supervisor_other_team: NF,
    admin,
  }),
});
const ownerOnly = (ok: string) => same(cardmemberOnly({ owner: ok, owner_other_card: NF, foreign: NF }));

/** Staff acting in the chat (not only reading it): only the agent holding it; closed chats are 409. */
const staffWrite = (ok: string): Record<Scenario, Row> => ({
  queued: staffOnly({
    assignee: FORBIDDEN, // can see the waiting chat, not act in it
    agent_team: FORBIDDEN,
    agent_other_language: NF,
    agent_other_team: NF,
    supervisor: FORBIDDEN,
    supervisor_other_team: NF,
    admin: FORBIDDEN,
  }),
  assigned: staffOnly({
    assignee: ok,
    agent_team: NF,
    agent_other_language: NF,
    agent_other_team: NF,
    supervisor: FORBIDDEN, // a supervisor acts by taking the chat over
    supervisor_other_team: NF,
    admin: FORBIDDEN,
  }),
  closed: staffOnly({
    assignee: CLOSED,
    agent_team: NF,
    agent_other_language: NF,
    agent_other_team: NF,
    supervisor: CLOSED,
    supervisor_other_team: NF,
    admin: FORBIDDEN,
  }),
});

/** Every agent and supervisor, not admins. */
const staffOnlyNoAdmin = (ok: string): Row =>
  staffOnly({
    assignee: ok,
    agent_team: ok,
    agent_other_language: ok,
    agent_other_team: ok,
    supervisor: ok,
    supervisor_other_team: ok,
    admin: FORBIDDEN,
  });

/** Administrators only (configuration); agents and supervisors are refused. */
const adminOnly = (ok: string): Row =>
  staffOnly({
    assignee: FORBIDDEN,
    agent_team: FORBIDDEN,
    agent_other_language: FORBIDDEN,
    agent_other_team: FORBIDDEN,
    supervisor: FORBIDDEN,
    supervisor_other_team: FORBIDDEN,
    admin: ok,
  });

/** Supervisors of the chat's team act on it (`queued` is the outcome on a waiting chat); agents never. */
const supervisorOp = (queued: string): Record<Scenario, Row> => {
  const row = (supervisor: string) =>
    staffOnly({
      assignee: FORBIDDEN,
      agent_team: FORBIDDEN,
      agent_other_language: FORBIDDEN,
      agent_other_team: FORBIDDEN,
      supervisor,
      supervisor_other_team: NF,
      admin: FORBIDDEN,
    });
  return { queued: row(queued), assigned: row(OK), closed: row(CLOSED) };
};

interface RestRow {
  /** Per scenario when the route acts on the conversation under test (`:id`), else one row. */
  expect: Row | Record<Scenario, Row>;
  body?: unknown | ((p: Principal) => unknown);
  /** The path actually called, when the route has parameters other than `:id`. */
  path?: string;
  /** Changes state: each cell gets a fresh conversation / fresh credentials. */
  mutates?: boolean;
}

/** Every REST route under /api. */
const REST: Record<string, RestRow> = {
  // The site token is the credential; nobody's session or cookie replaces it (valid tokens: below).
  'POST /api/widget/session': {
    expect: Object.fromEntries(PRINCIPALS.map((p) => [p, '401 token_missing'])) as Row,
    body: {},
  },
  'POST /api/widget/session/end': {
    expect: cardmemberOnly({ owner: OK, owner_other_card: OK, foreign: OK }),
    mutates: true,
  },
  'POST /api/widget/conversations': {
    expect: cardmemberOnly({ owner: CREATED, owner_other_card: CREATED, foreign: CREATED }),
    mutates: true,
  },
  'GET /api/widget/conversations/:id/messages': { expect: ownerOnly(OK) },
  'POST /api/widget/conversations/:id/end': { expect: ownerOnly(OK), mutates: true },
  'GET /api/widget/conversations/:id/transcript': { expect: ownerOnly(OK) },
  // The cardmember's accommodation note: reading is a read; noting one is a write (closed: 409).
  'GET /api/widget/conversations/:id/accommodation': { expect: ownerOnly(OK) },
  'PUT /api/widget/conversations/:id/accommodation': {
    mutates: true,
    body: { note: 'Please give me more time to reply.' },
    expect: {
      queued: cardmemberOnly({ owner: OK, owner_other_card: NF, foreign: NF }),
      assigned: cardmemberOnly({ owner: OK, owner_other_card: NF, foreign: NF }),
      closed: cardmemberOnly({ owner: CLOSED, owner_other_card: NF, foreign: NF }),
    },
  },

  // Sign-in takes credentials in the body; whatever else the caller holds, a wrong password is refused.
  'POST /api/auth/login': {
    expect: Object.fromEntries(PRINCIPALS.map((p) => [p, '401 invalid_credentials'])) as Row,
    // One unknown email per caller, so the per-account failure throttle never answers instead.
    body: (p: Principal) => ({ email: `nobody-${p.replace(/_/g, '-')}@carechat.test`, password: 'not-the-password' }),
  },
  'POST /api/auth/login/totp': {
    expect: Object.fromEntries(PRINCIPALS.map((p) => [p, '401 challenge_expired'])) as Row,
    body: { challenge: 'not-a-real-challenge-0000000000000000', code: '123456' },
  },
  'POST /api/auth/logout': {
    expect: staffOnly(Object.fromEntries(STAFF.map((p) => [p, OK])) as Record<Staff, string>),
    mutates: true,
  },
  'GET /api/auth/me': { expect: staffOnly(Object.fromEntries(STAFF.map((p) => [p, OK])) as Record<Staff, string>) },
  'PUT /api/agent/status': {
    expect: staffOnly({
      assignee: OK,
      agent_team: OK,
      agent_other_language: OK,
      agent_other_team: OK,
      supervisor: OK,
      supervisor_other_team: OK,
      admin: FORBIDDEN, // admins take no chats
    }),
    body: { status: 'away' },
  },
  // Offers are per staff member: an unknown (or someone else's) offer id is a 404 for every one.
  'GET /api/offers': {
    expect: staffOnly({
      assignee: OK,
      agent_team: OK,
      agent_other_language: OK,
      agent_other_team: OK,
      supervisor: OK,
      supervisor_other_team: OK,
      admin: FORBIDDEN,
    }),
  },
  'POST /api/offers/:id/accept': {
    path: '/api/offers/no-such-offer/accept',
    expect: staffOnly({
      assignee: '404 offer_not_found',
      agent_team: '404 offer_not_found',
      agent_other_language: '404 offer_not_found',
      agent_other_team: '404 offer_not_found',
      supervisor: '404 offer_not_found',
      supervisor_other_team: '404 offer_not_found',
      admin: FORBIDDEN,
    }),
  },
  'POST /api/offers/:id/decline': {
    path: '/api/offers/no-such-offer/decline',
    expect: staffOnly({
      assignee: '404 offer_not_found',
      agent_team: '404 offer_not_found',
      agent_other_language: '404 offer_not_found',
      agent_other_team: '404 offer_not_found',
      supervisor: '404 offer_not_found',
      supervisor_other_team: '404 offer_not_found',
      admin: FORBIDDEN,
    }),
  },
  'GET /api/conversations': {
    expect: staffOnly({
      assignee: OK,
      agent_team: OK,
      agent_other_language: OK,
      agent_other_team: OK,
      supervisor: OK,
      supervisor_other_team: OK,
      admin: FORBIDDEN,
    }),
  },
  // Admins read only with ?reason= (tested below); without, a 403 that says so.
  'GET /api/conversations/:id': { expect: staffRead(FORBIDDEN) },
  'GET /api/conversations/:id/transcript': { expect: staffRead(FORBIDDEN) },
  'GET /api/conversations/:id/context': { expect: staffRead(FORBIDDEN) },
  'POST /api/conversations/:id/accept': {
    mutates: true,
    expect: {
      queued: staffOnly({
        assignee: OK,
        agent_team: OK,
        agent_other_language: NF,
        agent_other_team: NF,
        supervisor: OK,
        supervisor_other_team: NF,
        admin: FORBIDDEN,
      }),
      assigned: staffOnly({
        assignee: NOT_WAITING,
        agent_team: NOT_WAITING,
        agent_other_language: NF,
        agent_other_team: NF,
        supervisor: NOT_WAITING,
        supervisor_other_team: NF,
        admin: FORBIDDEN,
      }),
      closed: staffOnly({
        assignee: NOT_WAITING,
        agent_team: NOT_WAITING,
        agent_other_language: NF,
        agent_other_team: NF,
        supervisor: NOT_WAITING,
        supervisor_other_team: NF,
        admin: FORBIDDEN,
      }),
    },
  },
  // Step-up: reading the state is a read; asking for or answering a check is a write (closed: 409).
  'GET /api/widget/conversations/:id/stepup': { expect: ownerOnly(OK) },
  'POST /api/widget/conversations/:id/stepup': {
    mutates: true,
    body: { method: 'device' },
    expect: {
      queued: cardmemberOnly({ owner: CREATED, owner_other_card: NF, foreign: NF }),
      assigned: cardmemberOnly({ owner: CREATED, owner_other_card: NF, foreign: NF }),
      closed: cardmemberOnly({ owner: CLOSED, owner_other_card: NF, foreign: NF }),
    },
  },
  'POST /api/widget/conversations/:id/stepup/challenge': {
    mutates: true,
    body: { last4: '1005', zip: '33145' }, // the right answer for Maria's Gold card
    expect: {
      queued: cardmemberOnly({ owner: OK, owner_other_card: NF, foreign: NF }),
      assigned: cardmemberOnly({ owner: OK, owner_other_card: NF, foreign: NF }),
      closed: cardmemberOnly({ owner: CLOSED, owner_other_card: NF, foreign: NF }),
    },
  },
  'POST /api/conversations/:id/stepup': { mutates: true, body: { method: 'device' }, expect: staffWrite(CREATED) },
  'POST /api/conversations/:id/actions/:operation': {
    mutates: true,
    path: '/api/conversations/:id/actions/lockCard',
    body: () => ({ input: { cardId: OWNER.cardId }, idempotencyKey: randomUUID() }),
    expect: staffWrite(OK),
  },
  'POST /api/conversations/:id/end': {
    mutates: true,
    expect: {
      queued: staffOnly({
        assignee: FORBIDDEN, // may see the waiting chat, but only the assigned agent ends it
        agent_team: FORBIDDEN,
        agent_other_language: NF,
        agent_other_team: NF,
        supervisor: OK,
        supervisor_other_team: NF,
        admin: FORBIDDEN,
      }),
      assigned: staffOnly({
        assignee: OK,
        agent_team: NF,
        agent_other_language: NF,
        agent_other_team: NF,
        supervisor: OK,
        supervisor_other_team: NF,
        admin: FORBIDDEN,
      }),
      closed: staffOnly({
        assignee: OK, // idempotent
        agent_team: NF,
        agent_other_language: NF,
        agent_other_team: NF,
        supervisor: OK,
        supervisor_other_team: NF,
        admin: FORBIDDEN,
      }),
    },
  },
  // Live operations (live/staff-ops.routes.ts). Lists: agents and supervisors; the board: supervisors.
  'GET /api/teams': { expect: staffOnlyNoAdmin(OK) },
  'GET /api/agents': { expect: staffOnlyNoAdmin(OK) },
  'GET /api/supervisor/board': {
    expect: staffOnly({
      assignee: FORBIDDEN,
      agent_team: FORBIDDEN,
      agent_other_language: FORBIDDEN,
      agent_other_team: FORBIDDEN,
      supervisor: OK,
      supervisor_other_team: OK, // their own teams' board
      admin: FORBIDDEN,
    }),
  },
  // Case deadlines (cases/sla.routes.ts): supervisors, the cases of the teams they supervise.
  'GET /api/supervisor/cases': {
    expect: staffOnly({
      assignee: FORBIDDEN,
      agent_team: FORBIDDEN,
      agent_other_language: FORBIDDEN,
      agent_other_team: FORBIDDEN,
      supervisor: OK,
      supervisor_other_team: OK, // their own teams' cases
      admin: FORBIDDEN,
    }),
  },
  // Team cases due (cases/sla.routes.ts): any agent or supervisor, the cases of their own teams.
  'GET /api/team/cases': { expect: staffOnlyNoAdmin(OK) },
  // Handing the chat on or asking for help: only the agent holding it (a barged-in supervisor too, tested elsewhere).
  'POST /api/conversations/:id/transfer': { mutates: true, body: { teamId: 'disputes' }, expect: staffWrite(OK) },
  'POST /api/conversations/:id/conference': { mutates: true, body: { agentId: 'agent_ben' }, expect: staffWrite(OK) },
  'POST /api/conversations/:id/escalate': { mutates: true, body: {}, expect: staffWrite(OK) },
  // Only someone who joined (conference, barge, monitor) leaves; the assignee transfers or ends instead.
  'POST /api/conversations/:id/leave': { mutates: true, expect: staffWrite(FORBIDDEN) },
  // Notes: whoever works the chat and the team's supervisors, not a colleague who only sees it waiting.
  'POST /api/conversations/:id/notes': {
    mutates: true,
    body: { body: 'matrix note' },
    expect: {
      queued: staffOnly({
        assignee: FORBIDDEN,
        agent_team: FORBIDDEN,
        agent_other_language: NF,
        agent_other_team: NF,
        supervisor: OK,
        supervisor_other_team: NF,
        admin: FORBIDDEN,
      }),
      assigned: staffOnly({
        assignee: OK,
        agent_team: NF,
        agent_other_language: NF,
        agent_other_team: NF,
        supervisor: OK,
        supervisor_other_team: NF,
        admin: FORBIDDEN,
      }),
      closed: staffOnly({
        assignee: CLOSED,
        agent_team: NF,
        agent_other_language: NF,
        agent_other_team: NF,
        supervisor: CLOSED,
        supervisor_other_team: NF,
        admin: FORBIDDEN,
      }),
    },
  },
  // Supervisors of the chat's team only; agents are refused whatever the chat.
  'POST /api/conversations/:id/whisper': { mutates: true, body: { body: 'matrix whisper' }, expect: supervisorOp(OK) },
  'POST /api/conversations/:id/monitor': { mutates: true, expect: supervisorOp(OK) },
  'POST /api/conversations/:id/barge': { mutates: true, expect: supervisorOp('409 conflict') },
  // The agent who held the chat wraps it up, open (it closes) or closed.
  'POST /api/conversations/:id/wrap-up': {
    mutates: true,
    body: { disposition: 'resolved' },
    expect: {
      queued: staffOnly({
        assignee: FORBIDDEN,
        agent_team: FORBIDDEN,
        agent_other_language: NF,
        agent_other_team: NF,
        supervisor: FORBIDDEN,
        supervisor_other_team: NF,
        admin: FORBIDDEN,
      }),
      assigned: staffOnly({
        assignee: OK,
        agent_team: NF,
        agent_other_language: NF,
        agent_other_team: NF,
        supervisor: FORBIDDEN,
        supervisor_other_team: NF,
        admin: FORBIDDEN,
      }),
      closed: staffOnly({
        assignee: OK,
        agent_team: NF,
        agent_other_language: NF,
        agent_other_team: NF,
        supervisor: FORBIDDEN,
        supervisor_other_team: NF,
        admin: FORBIDDEN,
      }),
    },
  },
  'GET /api/conversations/:id/canned': { expect: staffRead(FORBIDDEN) },
  // Cases (cases/cases.routes.ts). The chat's cardmember's cases: whoever reads the chat.
  'GET /api/conversations/:id/cases': { expect: staffRead(FORBIDDEN) },
  // Opening a case names the chat in the body (an unknown one here); relationships: cases.routes.int.test.ts.
  'POST /api/cases': {
    body: { conversationId: 'no-such-conversation', type: 'general', title: 'Matrix case' },
    expect: staffOnly({
      assignee: NF,
      agent_team: NF,
      agent_other_language: NF,
      agent_other_team: NF,
      supervisor: NF,
      supervisor_other_team: NF,
      admin: FORBIDDEN,
    }),
  },
  // An unknown case is a 404 for staff who may read cases at all; admins never.
  'GET /api/cases/:id': {
    path: '/api/cases/no-such-case',
    expect: staffOnly({
      assignee: '404 not_found',
      agent_team: '404 not_found',
      agent_other_language: '404 not_found',
      agent_other_team: '404 not_found',
      supervisor: '404 not_found',
      supervisor_other_team: '404 not_found',
      admin: FORBIDDEN,
    }),
  },
  'POST /api/cases/:id/status': {
    path: '/api/cases/no-such-case/status',
    body: { status: 'acknowledged' },
    expect: staffOnly({
      assignee: '404 not_found',
      agent_team: '404 not_found',
      agent_other_language: '404 not_found',
      agent_other_team: '404 not_found',
      supervisor: '404 not_found',
      supervisor_other_team: '404 not_found',
      admin: FORBIDDEN,
    }),
  },
  // Case documents (cases/uploads.routes.ts); relationships: cases/uploads.int.test.ts.
  'POST /api/cases/:id/upload-links': {
    path: '/api/cases/no-such-case/upload-links',
    body: {},
    expect: staffOnly({
      assignee: '404 not_found',
      agent_team: '404 not_found',
      agent_other_language: '404 not_found',
      agent_other_team: '404 not_found',
      supervisor: '404 not_found',
      supervisor_other_team: '404 not_found',
      admin: FORBIDDEN,
    }),
  },
  'GET /api/cases/:id/documents/:uploadId': {
    path: '/api/cases/no-such-case/documents/no-such-upload',
    expect: staffOnly({
      assignee: '404 not_found',
      agent_team: '404 not_found',
      agent_other_language: '404 not_found',
      agent_other_team: '404 not_found',
      supervisor: '404 not_found',
      supervisor_other_team: '404 not_found',
      admin: FORBIDDEN,
    }),
  },
  // Post-chat survey (cases/csat.ts): the owner, once, of a closed chat an agent handled.
  'POST /api/widget/conversations/:id/csat': {
    mutates: true,
    body: { score: 5 },
    expect: {
      queued: cardmemberOnly({ owner: '409 conflict', owner_other_card: NF, foreign: NF }),
      assigned: cardmemberOnly({ owner: '409 conflict', owner_other_card: NF, foreign: NF }),
      closed: cardmemberOnly({ owner: CREATED, owner_other_card: NF, foreign: NF }),
    },
  },
  // Configuration (admin/admin.routes.ts): admins only; no conversation involved.
  'GET /api/admin/teams': { expect: adminOnly(OK) },
  'PUT /api/admin/teams/:id': {
    path: '/api/admin/teams/matrix', // a new team, so no other row sees a changed one
    body: { name: { en: 'Matrix', es: 'Matriz' }, hours: null, phone: null, answerSlaSeconds: 120 },
    expect: adminOnly(CREATED),
  },
  'GET /api/admin/agents': { expect: adminOnly(OK) },
  'PUT /api/admin/agents/:id': {
    path: '/api/admin/agents/agent_admin', // the admin's own max, unchanged: no side effect
    body: { maxConcurrent: 3 },
    expect: adminOnly(OK),
  },
};

type SocketPrincipal = Exclude<Principal, 'anonymous'>;
const SOCKET_PRINCIPALS = PRINCIPALS.filter((p): p is SocketPrincipal => p !== 'anonymous');
type FrameType = 'hello' | 'ping' | 'subscribe' | 'unsubscribe' | 'send' | 'typing';
const FRAME_TYPES: FrameType[] = ['hello', 'ping', 'subscribe', 'unsubscribe', 'send', 'typing'];
type SRow = Record<SocketPrincipal, string>;
const all = (o: string): SRow => Object.fromEntries(SOCKET_PRINCIPALS.map((p) => [p, o])) as SRow;
const E = (code: string) => `error ${code}`;

/**
 * Socket outcomes: the reply frame type, `error <code>`, `ok` (no reply, no error), and for typing
 * `seen` (another participant got it) or `ignored` (no error, nobody told: may read, may not write).
 */
const SOCKET: Record<FrameType, Record<Scenario, SRow>> = {
  hello: { queued: all('welcome'), assigned: all('welcome'), closed: all('welcome') },
  ping: { queued: all('pong'), assigned: all('pong'), closed: all('pong') },
  unsubscribe: { queued: all('ok'), assigned: all('ok'), closed: all('ok') },
  subscribe: {
    queued: {
      owner: 'subscribed',
      owner_other_card: E('conversation_not_found'),
      foreign: E('conversation_not_found'),
      assignee: 'subscribed',
      agent_team: 'subscribed',
      agent_other_language: E('conversation_not_found'),
      agent_other_team: E('conversation_not_found'),
      supervisor: 'subscribed',
      supervisor_other_team: E('conversation_not_found'),
      admin: E('forbidden'),
    },
    assigned: {
      owner: 'subscribed',
      owner_other_card: E('conversation_not_found'),
      foreign: E('conversation_not_found'),
      assignee: 'subscribed',
      agent_team: E('conversation_not_found'),
      agent_other_language: E('conversation_not_found'),
      agent_other_team: E('conversation_not_found'),
      supervisor: 'subscribed',
      supervisor_other_team: E('conversation_not_found'),
      admin: E('forbidden'),
    },
    closed: {
      owner: 'subscribed',
      owner_other_card: E('conversation_not_found'),
      foreign: E('conversation_not_found'),
      assignee: 'subscribed',
      agent_team: E('conversation_not_found'),
      agent_other_language: E('conversation_not_found'),
      agent_other_team: E('conversation_not_found'),
      supervisor: 'subscribed',
      supervisor_other_team: E('conversation_not_found'),
      admin: E('forbidden'),
    },
  },
  send: {
    queued: {
      owner: 'ack',
      owner_other_card: E('conversation_not_found'),
      foreign: E('conversation_not_found'),
      assignee: E('forbidden'), // may read a waiting chat, writes only once they take it
      agent_team: E('forbidden'),
      agent_other_language: E('conversation_not_found'),
      agent_other_team: E('conversation_not_found'),
      supervisor: E('forbidden'),
      supervisor_other_team: E('conversation_not_found'),
      admin: E('forbidden'),
    },
    assigned: {
      owner: 'ack',
      owner_other_card: E('conversation_not_found'),
      foreign: E('conversation_not_found'),
      assignee: 'ack',
      agent_team: E('conversation_not_found'),
      agent_other_language: E('conversation_not_found'),
      agent_other_team: E('conversation_not_found'),
      supervisor: E('forbidden'),
      supervisor_other_team: E('conversation_not_found'),
      admin: E('forbidden'),
    },
    closed: {
      owner: E('conversation_closed'),
      owner_other_card: E('conversation_not_found'),
      foreign: E('conversation_not_found'),
      assignee: E('conversation_closed'),
      agent_team: E('conversation_not_found'),
      agent_other_language: E('conversation_not_found'),
      agent_other_team: E('conversation_not_found'),
      supervisor: E('conversation_closed'),
      supervisor_other_team: E('conversation_not_found'),
      admin: E('forbidden'),
    },
  },
  typing: {
    queued: {
      owner: 'seen',
      owner_other_card: E('conversation_not_found'),
      foreign: E('conversation_not_found'),
      assignee: 'ignored',
      agent_team: 'ignored',
      agent_other_language: E('conversation_not_found'),
      agent_other_team: E('conversation_not_found'),
      supervisor: 'ignored',
      supervisor_other_team: E('conversation_not_found'),
      admin: E('forbidden'),
    },
    assigned: {
      owner: 'seen',
      owner_other_card: E('conversation_not_found'),
      foreign: E('conversation_not_found'),
      assignee: 'seen',
      agent_team: E('conversation_not_found'),
      agent_other_language: E('conversation_not_found'),
      agent_other_team: E('conversation_not_found'),
      supervisor: 'ignored',
      supervisor_other_team: E('conversation_not_found'),
      admin: E('forbidden'),
    },
    closed: {
      owner: 'ignored',
      owner_other_card: E('conversation_not_found'),
      foreign: E('conversation_not_found'),
      assignee: 'ignored',
      agent_team: E('conversation_not_found'),
      agent_other_language: E('conversation_not_found'),
      agent_other_team: E('conversation_not_found'),
      supervisor: 'ignored',
      supervisor_other_team: E('conversation_not_found'),
      admin: E('forbidden'),
    },
  },
};

// ------------------------------------------------------------------ the test

/** The `METHOD /path` list of registered routes under /api, read from Fastify's route tree. */
function registeredApiRoutes(tree: string): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)(?:└── |├── )?(\S.*?) \(([^)]+)\)$/.exec(line);
    if (!m) continue;
    const depth = line.startsWith('└') || line.startsWith('├') ? 0 : m[1]!.length / 4;
    stack.length = depth;
    const parent = stack[depth - 1] ?? '';
    const full = parent + (parent.endsWith('/') || m[2]!.startsWith('/') ? '' : '/') + m[2]!;
    stack[depth] = full.replace(/\/+/g, '/');
    for (const method of m[3]!.split(',').map((x) => x.trim())) {
      // HEAD is Fastify's automatic twin of GET.
      if (method !== 'HEAD' && stack[depth]!.startsWith('/api/')) out.push(`${method} ${stack[depth]}`);
    }
  }
  return [...new Set(out)].sort();
}

describe.skipIf(skip)('access-control matrix', () => {
  let s: TestServer;
  const creds = {} as Record<Cardmember, { token: string }> & Record<Staff, { cookie: string; csrf: string }>;
  let assigneeActor: Actor;

  const enrolled = new Map<string, string>();
  /** Password + authenticator code; the test's own staff enroll at their first sign-in. */
  async function loginStaff(p: Staff) {
    const [email, password] = STAFF_LOGINS[p];
    if (!EXTRA_STAFF.some((a) => a.email === email)) {
      const l = await staffLogin(s, email, password);
      return { cookie: l.cookie, csrf: l.csrf };
    }
    const first = await postJson(`${s.url}/api/auth/login`, { email, password });
    if (first.json.enrollment) enrolled.set(email, first.json.enrollment.secret as string);
    const code = await freshTotpCode(s, email, enrolled.get(email));
    const r = await postJson(`${s.url}/api/auth/login/totp`, { challenge: first.json.challenge, code });
    if (r.status !== 200) throw new Error(`login failed for ${email}: ${r.status} ${JSON.stringify(r.json)}`);
    return { cookie: (r.headers.get('set-cookie') ?? '').split(';')[0]!, csrf: r.json.csrfToken as string };
  }
  async function cardmemberSession(p: Cardmember) {
    return { token: (await widgetSession(s, CARDMEMBER_CARDS[p])).sessionToken };
  }

  beforeAll(async () => {
    s = await startServer({ env: { WS_RATE_PER_SECOND: '10000', WS_BURST: '100000' } });
    const db = s.app.store.db;
    const now = new Date().toISOString();
    for (const a of EXTRA_STAFF) {
      await db
        .insertInto('agents')
        .values({
          id: a.id,
          email: a.email,
          password_hash: await hashPassword(STAFF_LOGINS[STAFF.find((p) => STAFF_LOGINS[p][0] === a.email)!][1]),
          first_name: a.name,
          display_name: a.name,
          role: a.role,
          status: 'offline',
          status_changed_at: now,
          max_concurrent: 3,
          created_at: now,
        })
        .execute();
      for (const [team_id, language] of a.skills) {
        await db.insertInto('agent_skills').values({ agent_id: a.id, team_id, language }).execute();
      }
    }
    for (const p of CARDMEMBERS) creds[p] = await cardmemberSession(p);
    for (const p of STAFF) creds[p] = await loginStaff(p);
    const token = decodeURIComponent(creds.assignee.cookie.split('=')[1]!);
    assigneeActor = (await s.app.services.identity.staffActor(token)).actor;
  }, 120_000);
  afterAll(async () => s?.close());

  /** A fresh conversation for Maria's Gold card in the given state (any earlier one is closed first). */
  async function fixture(scenario: Scenario): Promise<string> {
    const conversations = s.app.services.conversations;
    await s.app.store.db
      .updateTable('conversations')
      .set({ status: 'closed', closed_at: new Date().toISOString(), closed_by: 'system' })
      .where('card_id', '=', OWNER.cardId)
      .where('status', '!=', 'closed')
      .execute();
    const row = await conversations.openForCard({ ...OWNER, language: 'en' });
    await conversations.enqueue(row.id, 'general', 0, 'access matrix');
    if (scenario !== 'queued') await conversations.accept(assigneeActor, row.id);
    if (scenario === 'closed') await conversations.end(assigneeActor, row.id);
    await conversations.idle();
    return row.id;
  }

  function headers(p: Principal, c = creds as Record<string, { token?: string; cookie?: string; csrf?: string }>) {
    const h: Record<string, string> = {};
    const cr = p === 'anonymous' ? undefined : c[p];
    if (cr?.token) h.authorization = `Bearer ${cr.token}`;
    if (cr?.cookie) Object.assign(h, { cookie: cr.cookie, 'x-csrf-token': cr.csrf! });
    return h;
  }

  /** One request; the outcome as `status` for successes and `status code` for errors. */
  async function outcome(method: string, path: string, h: Record<string, string>, body?: unknown): Promise<string> {
    const res = await fetch(s.url + path, {
      method,
      headers: { ...h, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (res.status < 400) return String(res.status);
    let code = '?';
    try {
      code = (JSON.parse(text) as { error: { code: string } }).error.code;
    } catch {
      /* not JSON */
    }
    return `${res.status} ${code}`;
  }

  it('has a row for every registered /api route, and no row for a route that does not exist', () => {
    expect(Object.keys(REST).sort()).toEqual(registeredApiRoutes(s.app.http.printRoutes({ commonPrefix: false })));
  });

  it('REST: every route x principal x conversation state gives exactly the expected outcome', async () => {
    const mismatches: string[] = [];
    for (const [key, row] of Object.entries(REST)) {
      const [method, route] = key.split(' ') as [string, string];
      const pattern = row.path ?? route;
      const scoped = pattern.includes(':id');
      for (const scenario of scoped ? SCENARIOS : ['-' as const]) {
        const table: Row = scoped ? (row.expect as Record<Scenario, Row>)[scenario as Scenario] : (row.expect as Row);
        let shared: string | null = null;
        for (const p of PRINCIPALS) {
          let id = 'none';
          if (scoped) id = row.mutates || !shared ? await fixture(scenario as Scenario) : shared;
          if (scoped && !row.mutates) shared = id;
          // Credentials a mutating route would spend (logout, session end) are fresh for that cell.
          let h = headers(p);
          if (row.mutates && !scoped && p !== 'anonymous') {
            const fresh = (CARDMEMBERS as readonly string[]).includes(p)
              ? await cardmemberSession(p as Cardmember)
              : await loginStaff(p as Staff);
            h = headers(p, { [p]: fresh });
          }
          const body = typeof row.body === 'function' ? (row.body as (p: Principal) => unknown)(p) : row.body;
          const got = await outcome(method, pattern.replace(':id', id), h, body);
          // Ending a widget session ends every widget session of that card: re-mint the shared one.
          if (row.mutates && !scoped && (CARDMEMBERS as readonly string[]).includes(p))
            creds[p as Cardmember] = await cardmemberSession(p as Cardmember);
          if (got !== table[p]) mismatches.push(`${key} [${scenario}] ${p}: expected ${table[p]}, got ${got}`);
        }
      }
    }
    await s.app.services.conversations.idle();
    expect(mismatches).toEqual([]);
  }, 300_000);

  it('the inbox lists a waiting chat only to the agents and supervisors of its queue', async () => {
    const id = await fixture('queued');
    const sees: Partial<Record<Staff, boolean>> = {};
    for (const p of STAFF) {
      const r = await fetch(`${s.url}/api/conversations?view=waiting`, { headers: headers(p) });
      sees[p] =
        r.status === 200 &&
        ((await r.json()) as { conversations: Array<{ id: string }> }).conversations.some((c) => c.id === id);
    }
    expect(sees).toEqual({
      assignee: true,
      agent_team: true,
      agent_other_language: false,
      agent_other_team: false,
      supervisor: true,
      supervisor_other_team: false,
      admin: false,
    });
  });

  it('a widget session needs a valid site token for the card it names', async () => {
    const post = (token: string) => outcome('POST', '/api/widget/session', {}, { token });
    expect(await post(await siteToken({ sub: 'cm_maria', card: 'card_maria_gold' }))).toBe(CREATED);
    // A real token for a card that is not the subject's is refused.
    expect(await post(await siteToken({ sub: 'cm_sam', card: 'card_maria_gold' }))).toBe('401 token_invalid');
  });

  it('an admin reads a conversation only with a stated reason, and every such read is audited', async () => {
    const id = await fixture('assigned');
    const admin = headers('admin');
    const path = `/api/conversations/${id}`;
    expect(await outcome('GET', path, admin)).toBe(FORBIDDEN);
    expect(await outcome('GET', `${path}?reason=short`, admin)).toBe('400 bad_request');
    expect(
      await outcome('GET', `/api/conversations/nope-${randomUUID()}?reason=Fraud%20case%2042%20review`, admin),
    ).toBe(NF);
    // The reason unlocks only the conversation read, not transcripts or account data.
    expect(await outcome('GET', `${path}/transcript?reason=Fraud%20case%2042%20review`, admin)).toBe(FORBIDDEN);
    expect(await outcome('GET', `${path}/context?reason=Fraud%20case%2042%20review`, admin)).toBe(FORBIDDEN);

    const before = await s.app.store.db.selectFrom('audit_log').selectAll().where('conversation_id', '=', id).execute();
    expect(before).toEqual([]);
    const reason = 'Complaint escalation 2024-118: checking agent tone, card 4111 1111 1111 1111';
    const res = await fetch(`${s.url}${path}?reason=${encodeURIComponent(reason)}`, { headers: admin });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { conversation: { id: string }; messages: unknown[] };
    expect(body.conversation.id).toBe(id);
    expect(body.messages.length).toBeGreaterThan(0);
    const audit = await s.app.store.db.selectFrom('audit_log').selectAll().where('conversation_id', '=', id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor_type: 'admin',
      actor_id: 'agent_admin',
      on_behalf_of: OWNER.cardmemberId,
      operation: 'conversation.viewed_with_reason',
      target_type: 'conversation',
      target_id: id,
      outcome: 'ok',
    });
    const details = JSON.parse(audit[0]!.details) as { reason: string };
    expect(details.reason).toContain('Complaint escalation 2024-118');
    // The reason is free text from a person: it is redacted like any other inbound text.
    expect(details.reason).not.toContain('4111 1111 1111 1111');
    // An agent's ?reason= changes nothing and writes nothing.
    expect(await outcome('GET', `${path}?reason=${encodeURIComponent(reason)}`, headers('assignee'))).toBe(OK);
    expect(
      await s.app.store.db.selectFrom('audit_log').select('id').where('conversation_id', '=', id).execute(),
    ).toHaveLength(1);
  });

  describe('socket frames', () => {
    const socks = {} as Record<SocketPrincipal, TestSocket>;
    const names = {} as Record<SocketPrincipal, string>;
    let observer: TestSocket;

    beforeAll(async () => {
      for (const p of SOCKET_PRINCIPALS) {
        const c = creds[p] as { token?: string; cookie?: string };
        socks[p] = await TestSocket.open(s, c.token ? { sessionToken: c.token } : { cookie: c.cookie });
        const welcome = socks[p].next('welcome');
        socks[p].send({ type: 'hello', protocol: 1 });
        names[p] = (await welcome).identity.displayName;
      }
      // A second socket of the owner watches the conversation: typing others may send shows up here.
      observer = await TestSocket.open(s, { sessionToken: creds.owner.token });
      await observer.handshake();
    });
    afterAll(() => {
      for (const sock of [...Object.values(socks), observer]) sock?.terminate();
    });

    /** Sends one frame, then a ping; everything that came back in between is the frame's answer. */
    async function exchange(sock: TestSocket, frame: Record<string, unknown>): Promise<ServerFrame[]> {
      const nonce = randomUUID().slice(0, 12);
      const start = sock.frames.length;
      const pong = sock.next('pong', (f) => f.nonce === nonce);
      sock.send(frame);
      sock.send({ type: 'ping', nonce });
      await pong;
      const between = sock.frames.slice(start);
      // The ping's own pong is not an answer to the frame.
      return between.filter((f) => !(f.type === 'pong' && f.nonce === nonce));
    }

    async function socketOutcome(p: SocketPrincipal, type: FrameType, id: string): Promise<string> {
      const sock = socks[p];
      const frame: Record<string, unknown> = { type, conversationId: id };
      if (type === 'hello') Object.assign(frame, { protocol: 1 });
      if (type === 'ping') Object.assign(frame, { nonce: 'matrix' });
      if (type === 'subscribe') Object.assign(frame, { lastSeq: 0 });
      if (type === 'send') Object.assign(frame, { clientMsgId: randomUUID(), body: `matrix ${p}` });
      if (type === 'typing') Object.assign(frame, { state: 'start' });
      const seen =
        type === 'typing'
          ? observer
              .next('typing', (f) => f.conversationId === id && f.from.name === names[p], 400)
              .then(() => true)
              .catch(() => false)
          : null;
      const answer = await exchange(sock, frame);
      const error = answer.find((f) => f.type === 'error');
      if (error) return E(error.code);
      if (type === 'unsubscribe') return 'ok';
      if (type === 'typing') return (await seen) ? 'seen' : 'ignored';
      const expected = {
        hello: 'welcome',
        ping: 'pong',
        subscribe: 'subscribed',
        send: 'ack',
      }[type];
      return answer.some((f) => f.type === expected) ? expected : `nothing (${answer.map((f) => f.type).join(',')})`;
    }

    it('an anonymous socket is refused at the upgrade', async () => {
      await expect(TestSocket.open(s, {})).rejects.toMatchObject({ status: 401 });
    });

    it('every frame type x principal x conversation state gives exactly the expected outcome', async () => {
      const mismatches: string[] = [];
      for (const scenario of SCENARIOS) {
        const id = await fixture(scenario);
        const sub = observer.next('subscribed', (f) => f.conversationId === id);
        observer.send({ type: 'subscribe', conversationId: id, lastSeq: 0 });
        await sub;
        for (const type of FRAME_TYPES) {
          for (const p of SOCKET_PRINCIPALS) {
            const got = await socketOutcome(p, type, id);
            const want = SOCKET[type][scenario][p];
            if (got !== want) mismatches.push(`${type} [${scenario}] ${p}: expected ${want}, got ${got}`);
          }
        }
      }
      await s.app.services.conversations.idle();
      expect(mismatches).toEqual([]);
    }, 120_000);

    it('staff sockets get the inbox pushed; an admin socket does not, and cardmember sockets never', async () => {
      const got: Partial<Record<SocketPrincipal, boolean>> = {};
      for (const p of SOCKET_PRINCIPALS) got[p] = socks[p].frames.some((f) => f.type === 'inbox');
      expect(got).toEqual({
        owner: false,
        owner_other_card: false,
        foreign: false,
        assignee: true,
        agent_team: true,
        agent_other_language: true,
        agent_other_team: true,
        supervisor: true,
        supervisor_other_team: true,
        admin: false,
      });
    });
  });
});
