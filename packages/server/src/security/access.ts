/**
 * The one access-control policy: who may do what to which resource. Every REST route and every
 * socket frame goes through `authorize` — routes and the gateway with the action alone (the role
 * gate, before anything is loaded), services again with the loaded conversation (the relationship).
 * Deny by default: an action a role is not listed for is refused.
 *
 * Two kinds of refusal, on purpose:
 * - the role may never do this (an admin reading a transcript): 403 `forbidden`, whatever the id;
 * - the role may, but not on this conversation (someone else's chat, an unknown id): 404
 *   `conversation_not_found`, so ids cannot be probed.
 */
import { Language } from '@carechat/protocol';
import type { Skill } from '../agents/agents.store.js';
import { AppError } from '../shared/errors.js';
import type { ConversationsTable } from '../store/schema.js';

export type StaffRole = 'agent' | 'supervisor' | 'admin';

/** Who is calling. `null` is an anonymous caller (no credentials at all). */
export type Actor =
  | {
      role: 'cardmember';
      cardmemberId: string;
      cardId: string;
      sessionHash: string;
      firstName: string;
      language: 'en' | 'es';
    }
  | {
      role: StaffRole;
      agentId: string;
      firstName: string;
      sessionHash: string;
      /** Team x language; for a supervisor the teams are the teams they supervise. */
      skills: Skill[];
    };

export type Role = 'anonymous' | Actor['role'];

/** Everything a caller can ask for, REST and WebSocket alike (see ROUTE_ACTIONS / FRAME_ACTIONS). */
export type Action =
  | 'session.start' // exchange a site token for a widget session (credential in the body)
  | 'session.end' // the cardmember ends their widget session ("end chat and start again")
  | 'staff.login' // password (and second factor) sign-in
  | 'staff.me'
  | 'staff.logout'
  | 'socket.connect' // hello, ping, unsubscribe: nothing beyond holding a session
  | 'conversation.start' // a cardmember opens a new chat for their card
  | 'conversation.list' // staff inbox (REST list and the socket's inbox frames)
  | 'conversation.read'
  | 'conversation.read_with_reason' // admins only, audited
  | 'conversation.subscribe'
  | 'conversation.write'
  | 'conversation.typing'
  | 'conversation.accept'
  | 'conversation.end'
  | 'conversation.transcript'
  | 'conversation.context'
  | 'conversation.accommodation' // the cardmember notes (or clears) an accommodation for agents
  | 'agent.status'
  | 'offer.respond' // see and answer routing offers made to oneself
  // Live operations inside a chat (live/staff-ops.service.ts).
  | 'conversation.note' // an internal note, staff only
  | 'conversation.whisper' // a supervisor's note to the chat's agents
  | 'conversation.transfer'
  | 'conversation.conference'
  | 'conversation.leave' // a conference agent or barged-in supervisor leaves
  | 'conversation.escalate'
  | 'conversation.monitor' // a supervisor watches silently
  | 'conversation.barge' // a supervisor joins visibly
  | 'conversation.wrap_up'
  | 'conversation.canned'
  | 'team.list'
  | 'agent.list' // transfer and conference targets
  | 'board.read' // the supervisor board
  | 'admin.config' // teams, hours, skills, max concurrent chats (admin/admin.service.ts)
  // Cases (cases/cases.routes.ts; the case itself is decided by `decideCase`).
  | 'case.list' // the cases of a chat's cardmember (reads the chat)
  | 'case.create' // open a case from a chat
  | 'case.read'
  | 'case.update' // status changes, document requests
  | 'case.supervise' // the supervisor's case list with SLA flags
  | 'case.team' // the caller's teams' cases with a deadline warning or breach (and the live `case_deadline` frames)
  | 'conversation.csat'; // the cardmember rates a chat an agent handled

/** What agents and supervisors alike may attempt in chats and on the floor. */
const CHAT_OPS: Action[] = [
  'conversation.note',
  'conversation.transfer',
  'conversation.conference',
  'conversation.leave',
  'conversation.escalate',
  'conversation.wrap_up',
  'conversation.canned',
  'team.list',
  'agent.list',
  'case.list',
  'case.create',
  'case.read',
  'case.update',
  'case.team',
];

/** What each role may ever attempt. The resource check below narrows it further. */
const ROLE_ACTIONS: Record<Role, ReadonlySet<Action>> = {
  anonymous: new Set<Action>(['session.start', 'staff.login']),
  cardmember: new Set<Action>([
    'session.start',
    'session.end',
    'socket.connect',
    'conversation.start',
    'conversation.read',
    'conversation.subscribe',
    'conversation.write',
    'conversation.typing',
    'conversation.end',
    'conversation.transcript',
    'conversation.accommodation',
    'conversation.csat',
  ]),
  agent: new Set<Action>([
    'staff.login',
    'staff.me',
    'staff.logout',
    'socket.connect',
    'conversation.list',
    'conversation.read',
    'conversation.subscribe',
    'conversation.write',
    'conversation.typing',
    'conversation.accept',
    'conversation.end',
    'conversation.transcript',
    'conversation.context',
    'agent.status',
    'offer.respond',
    ...CHAT_OPS,
  ]),
  supervisor: new Set<Action>([
    'staff.login',
    'staff.me',
    'staff.logout',
    'socket.connect',
    'conversation.list',
    'conversation.read',
    'conversation.subscribe',
    'conversation.write',
    'conversation.typing',
    'conversation.accept',
    'conversation.end',
    'conversation.transcript',
    'conversation.context',
    'agent.status',
    'offer.respond',
    ...CHAT_OPS,
    'conversation.whisper',
    'conversation.monitor',
    'conversation.barge',
    'board.read',
    'case.supervise',
  ]),
  // Admins manage configuration. They do not handle chats, and read one only with a stated,
  // audited reason (GET /api/conversations/:id?reason=...).
  admin: new Set<Action>([
    'staff.login',
    'staff.me',
    'staff.logout',
    'socket.connect',
    'conversation.read_with_reason',
    'admin.config',
  ]),
};

export type Decision = { allowed: true } | { allowed: false; error: AppError };

const ALLOW: Decision = { allowed: true };
const deny = (error: AppError): Decision => ({ allowed: false, error });
const notFound = () =>
  deny(new AppError('conversation_not_found', 404, 'That conversation does not exist or is not yours.'));

export const roleOf = (actor: Actor | null): Role => actor?.role ?? 'anonymous';

/** The teams a staff member works in (a supervisor: the teams they supervise). */
export const teamsOf = (actor: Actor): Set<string> =>
  new Set(actor.role === 'cardmember' ? [] : actor.skills.map((s) => s.teamId));

/** Staff who joined a chat besides its assignee and have not left (a conference, a supervisor, a monitor). */
export interface ChatParticipation {
  agentId: string;
  role: 'conference' | 'supervisor' | 'monitor';
}
/** The conversation an action is about, with the staff currently in it (when the caller loaded them). */
export interface ConversationResource {
  conversation: ConversationsTable;
  participants?: ChatParticipation[];
}

const joinedAs = (actor: Actor, r: ConversationResource): ChatParticipation['role'] | null =>
  actor.role === 'cardmember' ? null : (r.participants?.find((p) => p.agentId === actor.agentId)?.role ?? null);

const supervises = (actor: Actor, c: ConversationsTable) =>
  actor.role === 'supervisor' && c.team_id !== null && teamsOf(actor).has(c.team_id);

const servesQueue = (skills: Skill[], c: ConversationsTable) =>
  skills.some((s) => s.teamId === c.team_id && s.language === c.language);

/** Whether the actor can see the conversation at all (the basis of every conversation action). */
function reads(actor: Actor, c: ConversationsTable, r?: ConversationResource): boolean {
  // A conference agent (or a supervisor from another team who joined) reads the chat while in it.
  if (r && joinedAs(actor, r)) return true;
  switch (actor.role) {
    case 'cardmember':
      return c.cardmember_id === actor.cardmemberId && c.card_id === actor.cardId;
    case 'agent':
      // Their own chats (open or closed), and chats waiting in a queue they serve.
      return c.assigned_agent_id === actor.agentId || (c.status === 'queued' && servesQueue(actor.skills, c));
    case 'supervisor':
      // Everything in the teams they supervise, in any language and any state.
      return c.assigned_agent_id === actor.agentId || (c.team_id !== null && teamsOf(actor).has(c.team_id));
    case 'admin':
      return false;
  }
}

/** May the actor take this waiting chat? (Whether it is still waiting is the service's 409.) */
function accepts(actor: Actor, c: ConversationsTable): boolean {
  if (actor.role === 'agent') return servesQueue(actor.skills, c);
  if (actor.role === 'supervisor') return c.team_id !== null && teamsOf(actor).has(c.team_id);
  return false;
}

function forbidden(action: Action, actor: Actor | null): AppError {
  if (!actor) return new AppError('unauthorized', 401, 'Please sign in.');
  if (actor.role === 'admin' && action === 'conversation.read') {
    return new AppError(
      'forbidden',
      403,
      'Administrators read a conversation only with a stated reason, which is recorded: add ?reason=...',
      { reasonRequired: true },
    );
  }
  return new AppError('forbidden', 403, 'You are not allowed to do that.');
}

/**
 * Decides without throwing. Without a resource only the role gate applies; with a conversation the
 * actor's relationship to it decides too.
 */
export function decide(actor: Actor | null, action: Action, resource?: ConversationResource): Decision {
  if (!ROLE_ACTIONS[roleOf(actor)].has(action)) return deny(forbidden(action, actor));
  if (!resource || !actor) return ALLOW;
  const c = resource.conversation;
  const joined = joinedAs(actor, resource);
  const holds = actor.role !== 'cardmember' && c.status === 'assigned' && c.assigned_agent_id === actor.agentId;
  const closed = () => deny(new AppError('conversation_closed', 409, 'This chat has ended.'));
  const refuse = (message: string) => deny(new AppError('forbidden', 403, message));
  switch (action) {
    case 'conversation.read':
    case 'conversation.subscribe':
    case 'conversation.transcript':
    case 'conversation.context':
    case 'conversation.canned':
    case 'case.list':
    case 'conversation.csat': // closed chats an agent handled only: the CSAT service's 409
      return reads(actor, c, resource) ? ALLOW : notFound();
    case 'case.create':
      if (!reads(actor, c, resource)) return notFound();
      // Whoever handles (or handled) the chat, joined it, or supervises its team; not a colleague who only sees it queued.
      return (actor.role !== 'cardmember' && c.status !== 'queued' && c.assigned_agent_id === actor.agentId) ||
        joined ||
        supervises(actor, c)
        ? ALLOW
        : refuse('Only the agent handling this chat can open a case from it.');
    case 'conversation.read_with_reason':
      return ALLOW;
    case 'conversation.write':
    case 'conversation.typing':
    case 'conversation.accommodation':
      if (!reads(actor, c, resource)) return notFound();
      if (c.status === 'closed') return closed();
      if (actor.role === 'cardmember') return ALLOW;
      // Staff write into a chat they hold, or joined visibly (conference, barge); a monitor never writes.
      return holds || (c.status === 'assigned' && (joined === 'conference' || joined === 'supervisor'))
        ? ALLOW
        : refuse('You cannot write to this conversation right now.');
    case 'conversation.note':
      if (!reads(actor, c, resource)) return notFound();
      if (c.status === 'closed') return closed();
      // Whoever works the chat, and the team's supervisors; not a colleague who only sees it queued.
      return holds || joined || supervises(actor, c) ? ALLOW : refuse('You cannot add notes to this chat.');
    case 'conversation.whisper':
    case 'conversation.monitor':
    case 'conversation.barge':
      if (!reads(actor, c, resource)) return notFound();
      if (c.status === 'closed') return closed();
      return supervises(actor, c) ? ALLOW : refuse('Only a supervisor of this team can do that.');
    case 'conversation.transfer':
    case 'conversation.conference':
      if (!reads(actor, c, resource)) return notFound();
      if (c.status === 'closed') return closed();
      // The assignee, or a supervisor who barged in, hands the chat on.
      return holds || (c.status === 'assigned' && joined === 'supervisor')
        ? ALLOW
        : refuse('Only the agent handling this chat can do that.');
    case 'conversation.escalate':
      if (!reads(actor, c, resource)) return notFound();
      if (c.status === 'closed') return closed();
      return holds ? ALLOW : refuse('Only the agent handling this chat can ask for a supervisor.');
    case 'conversation.leave':
      if (!reads(actor, c, resource)) return notFound();
      if (c.status === 'closed') return closed();
      if (joined) return ALLOW;
      return refuse(
        holds ? 'You are handling this chat: transfer it or end it instead.' : 'You have not joined this chat.',
      );
    case 'conversation.wrap_up':
      if (!reads(actor, c, resource)) return notFound();
      // The agent who held the chat wraps it up, open or already closed.
      return actor.role !== 'cardmember' && c.assigned_agent_id === actor.agentId && c.status !== 'queued'
        ? ALLOW
        : refuse('Only the agent who handled this chat can wrap it up.');
    case 'conversation.accept':
      return accepts(actor, c) ? ALLOW : notFound();
    case 'conversation.end':
      if (!reads(actor, c, resource)) return notFound();
      if (c.status === 'closed' || actor.role === 'cardmember' || actor.role === 'supervisor') return ALLOW;
      return actor.role !== 'admin' && c.assigned_agent_id === actor.agentId
        ? ALLOW
        : deny(new AppError('forbidden', 403, 'Only the assigned agent can end this chat.'));
    default:
      return ALLOW;
  }
}

/**
 * A case, with the conversations that give staff a relationship to it: the chats linked to the case
 * and the cardmember's chats that are not closed (the agent serving the cardmember now).
 */
export interface CaseResource {
  case: { owner_team_id: string; cardmember_id: string };
  conversations: ConversationResource[];
}

const caseNotFound = () => deny(new AppError('not_found', 404, 'That case does not exist.'));

/**
 * Case decisions: staff of the owner team (a supervisor: the teams they supervise) and staff who may
 * read one of the case's chats see it; the owner team, the assignee of one of those chats and a
 * supervisor of one of their teams change it. Anyone else gets a 404, so ids cannot be probed.
 */
export function decideCase(actor: Actor | null, action: 'case.read' | 'case.update', r?: CaseResource): Decision {
  if (!ROLE_ACTIONS[roleOf(actor)].has(action)) return deny(forbidden(action, actor));
  if (!actor || actor.role === 'cardmember') return caseNotFound();
  if (!r) return caseNotFound();
  const ownerTeam = teamsOf(actor).has(r.case.owner_team_id);
  if (!ownerTeam && !r.conversations.some((x) => reads(actor, x.conversation, x))) return caseNotFound();
  if (action === 'case.read') return ALLOW;
  const assignee = r.conversations.some((x) => x.conversation.assigned_agent_id === actor.agentId);
  const supervisor = r.conversations.some((x) => supervises(actor, x.conversation));
  return ownerTeam || assignee || supervisor
    ? ALLOW
    : deny(
        new AppError(
          'forbidden',
          403,
          'Only the owner team, a supervisor or the agent of its chat can change this case.',
        ),
      );
}

/** Throws the refusal (401/403/404/409 AppError) unless the actor may do this. */
export function authorize(actor: Actor | null, action: Action, resource?: ConversationResource): void {
  const d = decide(actor, action, resource);
  if (!d.allowed) throw d.error;
}

/** Boolean form, for filters and silent checks (typing indicators). */
export const can = (actor: Actor | null, action: Action, resource?: ConversationResource): boolean =>
  decide(actor, action, resource).allowed;

/**
 * The queues whose waiting chats the actor sees in their inbox: an agent's skills; a supervisor's
 * teams in every language; nobody else's.
 */
export function queueScope(actor: Actor): Skill[] {
  if (actor.role === 'agent') return actor.skills;
  if (actor.role === 'supervisor') {
    return [...teamsOf(actor)].flatMap((teamId) => Language.options.map((language) => ({ teamId, language })));
  }
  return [];
}

/** The action each client socket frame type needs (the matrix test walks this list). */
export const FRAME_ACTIONS = {
  hello: 'socket.connect',
  ping: 'socket.connect',
  unsubscribe: 'socket.connect',
  subscribe: 'conversation.subscribe',
  send: 'conversation.write',
  typing: 'conversation.typing',
} as const satisfies Record<string, Action>;
