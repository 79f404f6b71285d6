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
  | 'agent.status'
  | 'offer.respond'; // see and answer routing offers made to oneself

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
  ]),
  // Admins manage configuration. They do not handle chats, and read one only with a stated,
  // audited reason (GET /api/conversations/:id?reason=...).
  admin: new Set<Action>([
    'staff.login',
    'staff.me',
    'staff.logout',
    'socket.connect',
    'conversation.read_with_reason',
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

const servesQueue = (skills: Skill[], c: ConversationsTable) =>
  skills.some((s) => s.teamId === c.team_id && s.language === c.language);

/** Whether the actor can see the conversation at all (the basis of every conversation action). */
function reads(actor: Actor, c: ConversationsTable): boolean {
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
export function decide(actor: Actor | null, action: Action, resource?: { conversation: ConversationsTable }): Decision {
  if (!ROLE_ACTIONS[roleOf(actor)].has(action)) return deny(forbidden(action, actor));
  if (!resource || !actor) return ALLOW;
  const c = resource.conversation;
  switch (action) {
    case 'conversation.read':
    case 'conversation.subscribe':
    case 'conversation.transcript':
    case 'conversation.context':
      return reads(actor, c) ? ALLOW : notFound();
    case 'conversation.read_with_reason':
      return ALLOW;
    case 'conversation.write':
    case 'conversation.typing':
      if (!reads(actor, c)) return notFound();
      if (c.status === 'closed') return deny(new AppError('conversation_closed', 409, 'This chat has ended.'));
      if (actor.role === 'cardmember') return ALLOW;
      // Staff write only into a chat they hold; a supervisor joins by taking it.
      return c.status === 'assigned' && c.assigned_agent_id === actor.agentId
        ? ALLOW
        : deny(new AppError('forbidden', 403, 'You cannot write to this conversation right now.'));
    case 'conversation.accept':
      return accepts(actor, c) ? ALLOW : notFound();
    case 'conversation.end':
      if (!reads(actor, c)) return notFound();
      if (c.status === 'closed' || actor.role === 'cardmember' || actor.role === 'supervisor') return ALLOW;
      return actor.role !== 'admin' && c.assigned_agent_id === actor.agentId
        ? ALLOW
        : deny(new AppError('forbidden', 403, 'Only the assigned agent can end this chat.'));
    default:
      return ALLOW;
  }
}

/** Throws the refusal (401/403/404/409 AppError) unless the actor may do this. */
export function authorize(actor: Actor | null, action: Action, resource?: { conversation: ConversationsTable }): void {
  const d = decide(actor, action, resource);
  if (!d.allowed) throw d.error;
}

/** Boolean form, for filters and silent checks (typing indicators). */
export const can = (actor: Actor | null, action: Action, resource?: { conversation: ConversationsTable }): boolean =>
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
