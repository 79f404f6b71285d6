/**
 * Pure helpers behind the live-operation screens (offers, queues, canned responses, the supervisor
 * board): everything that decides what is shown, kept out of the components so it is tested in Node.
 */
import type {
  AgentStat,
  CannedResponseView,
  ConversationView,
  Language,
  OfferView,
  SupervisorBoard,
} from '@carechat/protocol/client';
import { clockTime, duration, languageName, priorityKey, secondsUntil, stateKey, teamName } from './format.js';
import type { ConsoleKey, Translate } from './i18n.js';

/** Canned responses whose title or text contains every word of the query (case and accents ignored). */
export function filterCanned(responses: readonly CannedResponseView[], query: string): CannedResponseView[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...responses];
  return responses.filter((r) => {
    const hay = fold(`${r.title} ${r.text}`);
    return words.every((w) => hay.includes(w));
  });
}

function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/**
 * Puts `insert` into a draft at the cursor (replacing a selection), with a space either side when it
 * would otherwise run into a word. Returns the new text and where the cursor goes.
 */
export function insertAt(
  draft: string,
  insert: string,
  start = draft.length,
  end = start,
): { text: string; cursor: number } {
  const from = Math.max(0, Math.min(start, draft.length));
  const to = Math.max(from, Math.min(end, draft.length));
  const before = draft.slice(0, from);
  const after = draft.slice(to);
  const lead = before && !/\s$/.test(before) ? ' ' : '';
  const trail = after && !/^\s/.test(after) ? ' ' : '';
  const text = `${before}${lead}${insert}${trail}${after}`;
  return { text, cursor: before.length + lead.length + insert.length };
}

/**
 * Why "End chat" cannot go ahead yet: a customer with an accommodation gets a written summary first,
 * and the agent confirms it (a checkbox) before the chat ends. Null when it may end.
 */
export function endBlocker(c: Pick<ConversationView, 'accommodation'>, summarySent: boolean): ConsoleKey | null {
  return c.accommodation && !summarySent ? 'end.summaryRequired' : null;
}

/** What an offer card shows. */
export interface OfferCard {
  id: string;
  kindKey: ConsoleKey;
  name: string;
  last4: string;
  team: string | null;
  language: string;
  priorityKey: ConsoleKey | null;
  priority: number;
  note: string | null;
  secondsLeft: number;
}

export function offerCard(t: Translate, offer: OfferView, nowMs: number): OfferCard {
  const c = offer.conversation;
  return {
    id: offer.id,
    kindKey: `offer.kind.${offer.kind}`,
    name: c.cardmember.firstName,
    last4: c.card.last4,
    team: teamName(c),
    language: languageName(t, c.language),
    priorityKey: priorityKey(c),
    priority: c.priority ?? 0,
    note: offer.note?.trim() || null,
    secondsLeft: secondsUntil(offer.expiresAt, nowMs),
  };
}

/** Waiting chats for the queues table: highest priority first, then longest waiting. */
export function sortQueue(waiting: readonly ConversationView[]): ConversationView[] {
  const since = (c: ConversationView) => Date.parse(c.queuedAt ?? c.createdAt) || 0;
  return [...waiting].sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0) || since(a) - since(b));
}

// ---------------------------------------------------------------- supervisor board

export interface QueueRow {
  key: string;
  team: string;
  language: string;
  depth: number;
  oldest: string;
  estimate: string;
  agents: string;
  hours: string;
  open: boolean;
  breaches: number;
  /** The breach cell's words: "Over target: 2" or "None" (never colour alone). */
  breachText: string;
  /** Today's satisfaction for the queue: "4.5 of 5 (12 answers)" or "No answers yet". */
  csat: string;
}

export interface AgentRow {
  id: string;
  name: string;
  role: string;
  state: string;
  stateSince: string;
  /** Whether a console of theirs is connected on any node ('' when the server does not say). */
  connection: string;
  load: string;
  full: boolean;
  skills: string;
  conversations: Array<{ id: string; label: string }>;
}

export interface BoardView {
  updated: string;
  sla: string;
  queues: QueueRow[];
  agents: AgentRow[];
  breaches: Array<{ conversationId: string; text: string; chat: string }>;
  escalations: Array<{ conversationId: string; text: string; chat: string }>;
}

/** Shapes the board for the tables and lists, every value as the words shown. */
export function boardView(t: Translate, board: SupervisorBoard, lang: Language): BoardView {
  const teamNames = new Map(board.queues.map((q) => [q.teamId, q.teamName]));
  const team = (id: string) => teamNames.get(id) ?? id;
  const queues: QueueRow[] = [...board.queues]
    .sort((a, b) => b.slaBreaches - a.slaBreaches || b.depth - a.depth || a.teamName.localeCompare(b.teamName))
    .map((q) => ({
      key: `${q.teamId}:${q.language}`,
      team: q.teamName,
      language: languageName(t, q.language),
      depth: q.depth,
      oldest: duration(t, q.oldestWaitSeconds),
      estimate: duration(t, q.estimatedWaitSeconds),
      agents: t('board.agentsCount', { serving: q.agentsServing, available: q.agentsAvailable }),
      hours: t(q.open ? 'board.open' : 'board.closed'),
      open: q.open,
      breaches: q.slaBreaches,
      breachText: q.slaBreaches > 0 ? t('board.breachCount', { n: q.slaBreaches }) : t('board.noBreach'),
      csat:
        q.csatCount && q.csatAverage !== undefined && q.csatAverage !== null
          ? t('board.csat', { average: q.csatAverage.toFixed(1), n: q.csatCount })
          : t('board.csat.none'),
    }));
  const agents = board.agents.map((a: AgentStat) => ({
    id: a.id,
    name: a.displayName,
    role: t(a.role === 'supervisor' ? 'role.supervisor' : 'role.agent'),
    state: t(stateKey(a.state)),
    stateSince: t('board.stateSince', { state: t(stateKey(a.state)), time: clockTime(a.stateSince, lang) }),
    connection: a.online === undefined ? '' : t(a.online ? 'board.online' : 'board.notConnected'),
    load: t('board.load', { load: a.load, max: a.maxConcurrent }),
    full: a.load >= a.maxConcurrent,
    skills: a.skills
      .map((s) => t('board.skill', { team: team(s.teamId), language: languageName(t, s.language) }))
      .join(', '),
    conversations: a.conversations.map((id, i) => ({ id, label: t('board.chat', { n: i + 1, agent: a.displayName }) })),
  }));
  const breaches = [...board.breaches]
    .sort((a, b) => b.waitedSeconds - a.waitedSeconds)
    .map((b) => ({
      conversationId: b.conversationId,
      text: t('board.breachItem', {
        team: team(b.teamId),
        language: languageName(t, b.language),
        time: duration(t, b.waitedSeconds),
      }),
      chat: t('board.breachChat', { team: team(b.teamId) }),
    }));
  const escalations = board.escalations.map((c) => ({
    conversationId: c.id,
    text: t('board.escalationItem', {
      name: c.cardmember.firstName,
      last4: c.card.last4,
      team: teamName(c) ?? '',
    }),
    chat: t('board.escalationChat', { name: c.cardmember.firstName }),
  }));
  return {
    updated: t('board.updated', { time: clockTime(board.generatedAt, lang) }),
    sla: duration(t, board.slaSeconds),
    queues,
    agents,
    breaches,
    escalations,
  };
}
