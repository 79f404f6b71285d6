/**
 * Console state and its reducer: merges HTTP results and server frames (inbox, message, conversation,
 * ack, typing, error) into one model. Messages are keyed by `seq` and kept sorted; a frame whose seq is
 * already held is dropped, which is what makes replay-after-reconnect safe.
 */
import type {
  AgentStatus,
  AgentView,
  ConversationView,
  CustomerContextResponse,
  ErrorCode,
  Message,
  OfferClosedFrame,
  OfferView,
  ServerFrame,
  SupervisorBoard,
} from '@carechat/protocol/client';
import type { ConsoleKey } from './i18n.js';
import type { ConnectionStatus } from './socket.js';
import { wsErrorKey } from './format.js';

/** A message typed here that the server has not acked yet (or refused). */
export interface PendingMessage {
  clientMsgId: string;
  conversationId: string;
  body: string;
  createdAt: string;
  /** Set when the server refused it for good; the text stays visible with the reason. */
  failed: ErrorCode | null;
}

export interface ConversationEntry {
  conversation: ConversationView;
  /** Sorted by seq, no duplicates. */
  messages: Message[];
  pending: PendingMessage[];
  /** Who is typing right now (someone other than this agent), if anyone. */
  typing: { role: Message['author']['role']; name: string | null } | null;
  /** True once the full history came from GET /api/conversations/:id. */
  loaded: boolean;
  /** New incoming messages while another conversation was on screen. */
  unread: number;
}

/** The customer panel's data for one conversation. */
export interface CustomerContextEntry {
  /** The last good answer; kept on screen while a refresh runs and after a refresh fails. */
  data: CustomerContextResponse | null;
  loading: boolean;
  /** Why the last load failed (text key), until the next one succeeds. */
  error: ConsoleKey | null;
}

export type Announcement =
  | { id: number; kind: 'message'; message: Message; conversation: ConversationView; active: boolean }
  | { id: number; kind: 'waiting'; conversation: ConversationView }
  | { id: number; kind: 'offer'; offer: OfferView }
  | { id: number; kind: 'offerEnding'; offer: OfferView; seconds: number }
  | { id: number; kind: 'board'; breaches: number; escalations: number };

/** Which workspace screen is on: the chat workspace, the queues table, or the supervisor board. */
export type View = 'chats' | 'queues' | 'board' | 'deadlines';

export interface Notice {
  id: number;
  key: ConsoleKey;
}

export type Screen = 'loading' | 'signin' | 'workspace';
export type SignInNotice = 'sessionEnded' | 'signedOut' | null;

export interface State {
  screen: Screen;
  signInNotice: SignInNotice;
  agent: AgentView | null;
  connection: ConnectionStatus;
  waiting: ConversationView[];
  mine: ConversationView[];
  inboxLoaded: boolean;
  conversations: Record<string, ConversationEntry>;
  activeId: string | null;
  /** Customer panel data by conversation id. */
  contexts: Record<string, CustomerContextEntry>;
  /** Newest last; only the last few are kept (the live region renders them as additions). */
  announcements: Announcement[];
  notice: Notice | null;
  /** Source of ids for announcements and notices. */
  counter: number;
  /** Chats offered to this agent, oldest first. */
  offers: OfferView[];
  view: View;
  /** The supervisor board, once loaded (supervisors only). */
  board: SupervisorBoard | null;
  /** The chat whose wrap-up dialog is open. */
  wrapUpId: string | null;
  /** This agent's closed chats that still need a disposition, oldest first. */
  awaitingWrapUp: ConversationView[];
}

export type Action =
  | { type: 'signedOut'; notice: SignInNotice }
  | { type: 'signedIn'; agent: AgentView }
  | { type: 'connection'; status: ConnectionStatus }
  | { type: 'agentStatus'; status: AgentStatus }
  | { type: 'inbox'; waiting: ConversationView[]; mine: ConversationView[] }
  | { type: 'loaded'; conversation: ConversationView; messages: Message[] }
  | { type: 'open'; conversationId: string | null }
  | { type: 'pending'; conversationId: string; clientMsgId: string; body: string; createdAt: string }
  | { type: 'typingExpired'; conversationId: string }
  | { type: 'notice'; key: ConsoleKey }
  | { type: 'dismissNotice'; id: number }
  | { type: 'contextLoading'; conversationId: string }
  | { type: 'contextLoaded'; conversationId: string; context: CustomerContextResponse }
  | { type: 'contextFailed'; conversationId: string; key: ConsoleKey }
  | { type: 'frame'; frame: ServerFrame }
  | { type: 'offers'; offers: OfferView[] }
  | { type: 'offerGone'; offerId: string; reason: OfferClosedFrame['reason'] | null }
  | { type: 'offerEnding'; offerId: string; seconds: number }
  | { type: 'view'; view: View }
  | { type: 'board'; board: SupervisorBoard }
  | { type: 'wrapUp'; conversationId: string | null };

export const MAX_ANNOUNCEMENTS = 5;

export const initialState: State = {
  screen: 'loading',
  signInNotice: null,
  agent: null,
  connection: 'connecting',
  waiting: [],
  mine: [],
  inboxLoaded: false,
  conversations: {},
  activeId: null,
  contexts: {},
  announcements: [],
  notice: null,
  counter: 0,
  offers: [],
  view: 'chats',
  board: null,
  wrapUpId: null,
  awaitingWrapUp: [],
};

/**
 * Inserts `message` in seq order. Returns null when that seq is already held (a replay or the echo of
 * an ack), so callers can tell a genuinely new message from a duplicate.
 */
export function insertBySeq(messages: readonly Message[], message: Message): Message[] | null {
  let lo = 0;
  let hi = messages.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const seq = messages[mid]!.seq;
    if (seq === message.seq) return null;
    if (seq < message.seq) lo = mid + 1;
    else hi = mid;
  }
  if (messages[lo]?.seq === message.seq) return null;
  return [...messages.slice(0, lo), message, ...messages.slice(lo)];
}

/** Merges a batch (e.g. an HTTP history) into held messages, deduped by seq. */
export function mergeMessages(held: readonly Message[], incoming: readonly Message[]): Message[] {
  const bySeq = new Map<number, Message>();
  for (const m of held) bySeq.set(m.seq, m);
  for (const m of incoming) if (!bySeq.has(m.seq)) bySeq.set(m.seq, m);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** Highest seq held for a conversation (what `subscribe.lastSeq` should say). */
export function lastSeqOf(entry: ConversationEntry | undefined): number {
  return entry?.messages[entry.messages.length - 1]?.seq ?? 0;
}

export function isOwnMessage(message: Message, agentId: string | null | undefined): boolean {
  return message.author.role === 'agent' && !!agentId && message.author.id === agentId;
}

function newEntry(conversation: ConversationView): ConversationEntry {
  return { conversation, messages: [], pending: [], typing: null, loaded: false, unread: 0 };
}

function replaceIn(list: ConversationView[], c: ConversationView): ConversationView[] {
  return list.some((x) => x.id === c.id) ? list.map((x) => (x.id === c.id ? c : x)) : list;
}

type NewAnnouncement = Announcement extends infer A ? (A extends Announcement ? Omit<A, 'id'> : never) : never;

function withAnnouncements(state: State, items: NewAnnouncement[]): State {
  if (items.length === 0) return state;
  let counter = state.counter;
  const added = items.map((a) => ({ ...a, id: ++counter }) as Announcement);
  return { ...state, counter, announcements: [...state.announcements, ...added].slice(-MAX_ANNOUNCEMENTS) };
}

function withNotice(state: State, key: ConsoleKey): State {
  const counter = state.counter + 1;
  return { ...state, counter, notice: { id: counter, key } };
}

function updateConversation(state: State, c: ConversationView): State {
  const entry = state.conversations[c.id];
  const conversations = entry
    ? {
        ...state.conversations,
        [c.id]: { ...entry, conversation: c, typing: c.status === 'closed' ? null : entry.typing },
      }
    : state.conversations;
  let waiting = replaceIn(state.waiting, c);
  if (c.status !== 'queued') waiting = waiting.filter((x) => x.id !== c.id);
  let mine = replaceIn(state.mine, c);
  const wasMine = state.mine.some((x) => x.id === c.id) || c.agent?.id === state.agent?.id;
  const member = isMember(c, state.agent?.id);
  // Transferred away or left: no longer "mine". Accepted (offer, conference, barge): now it is.
  if (c.status === 'closed' || !member) mine = mine.filter((x) => x.id !== c.id);
  else if (c.status === 'assigned' && member && !mine.some((x) => x.id === c.id)) mine = [...mine, c];
  let awaitingWrapUp = state.awaitingWrapUp.filter((x) => x.id !== c.id);
  if (needsWrapUp(c, state.agent?.id) && wasMine) {
    const at = state.awaitingWrapUp.findIndex((x) => x.id === c.id);
    awaitingWrapUp = at === -1 ? [...awaitingWrapUp, c] : state.awaitingWrapUp.map((x) => (x.id === c.id ? c : x));
  }
  return { ...state, conversations, waiting, mine, awaitingWrapUp };
}

/** This agent handles or writes in the chat: its assignee, or a conference or barged-in participant. */
export function isMember(c: ConversationView, agentId: string | null | undefined): boolean {
  if (!agentId) return false;
  if (c.agent?.id === agentId) return true;
  return !!c.participants?.some((p) => p.agentId === agentId && p.role !== 'monitor');
}

/** This supervisor follows the chat silently. */
export function isMonitoring(c: ConversationView, agentId: string | null | undefined): boolean {
  return !!agentId && !!c.participants?.some((p) => p.agentId === agentId && p.role === 'monitor');
}

/** A closed chat this agent was handling and has not given a disposition yet. */
export function needsWrapUp(c: ConversationView, agentId: string | null | undefined): boolean {
  // `undefined` is a server that does not report dispositions: nothing to ask for then.
  return c.status === 'closed' && c.disposition === null && !!agentId && c.agent?.id === agentId;
}

function applyMessage(state: State, message: Message): State {
  const id = message.conversationId;
  let entry = state.conversations[id];
  if (!entry) {
    // Assigned agents get a chat's messages without subscribing; keep them so the chat can show
    // an unread count. Anything else we cannot render is ignored.
    const view = state.mine.find((c) => c.id === id) ?? state.waiting.find((c) => c.id === id);
    if (!view) return state;
    entry = newEntry(view);
  }
  const messages = insertBySeq(entry.messages, message);
  if (!messages) return state; // already held: replay or echo
  const own = isOwnMessage(message, state.agent?.id);
  const active = state.activeId === id;
  const pending = message.clientMsgId
    ? entry.pending.filter((p) => p.clientMsgId !== message.clientMsgId)
    : entry.pending;
  const next: ConversationEntry = {
    ...entry,
    messages,
    pending,
    typing: own ? entry.typing : null,
    unread: !own && !active && message.kind !== 'system' ? entry.unread + 1 : entry.unread,
  };
  const updated: State = { ...state, conversations: { ...state.conversations, [id]: next } };
  if (own) return updated;
  return withAnnouncements(updated, [{ kind: 'message', message, conversation: entry.conversation, active }]);
}

function applyFrame(state: State, frame: ServerFrame): State {
  switch (frame.type) {
    case 'message':
      return applyMessage(state, frame.message);

    case 'ack': {
      const entry = state.conversations[frame.conversationId];
      if (!entry) return state;
      const pending = entry.pending.filter((p) => p.clientMsgId !== frame.clientMsgId);
      const message: Message = {
        id: frame.messageId,
        conversationId: frame.conversationId,
        seq: frame.seq,
        clientMsgId: frame.clientMsgId,
        author: { role: 'agent', id: state.agent?.id ?? null, name: state.agent?.firstName ?? null },
        kind: 'text',
        body: frame.body,
        system: null,
        quickReplies: [],
        createdAt: frame.createdAt,
      };
      const messages = insertBySeq(entry.messages, message) ?? entry.messages;
      return {
        ...state,
        conversations: { ...state.conversations, [frame.conversationId]: { ...entry, pending, messages } },
      };
    }

    case 'conversation':
      return updateConversation(state, frame.conversation);

    case 'subscribed':
      return updateConversation(state, frame.conversation);

    case 'inbox':
      return applyInbox(state, frame.waiting, frame.mine);

    case 'typing': {
      const entry = state.conversations[frame.conversationId];
      if (!entry) return state;
      const typing = frame.state === 'start' ? { role: frame.from.role, name: frame.from.name } : null;
      return {
        ...state,
        conversations: { ...state.conversations, [frame.conversationId]: { ...entry, typing } },
      };
    }

    case 'offer':
      return withOffer(state, frame.offer);

    case 'offer_closed':
      return withoutOffer(state, frame.offerId, frame.reason);

    case 'board':
      return withBoard(state, frame.board);

    case 'error': {
      let next = state;
      if (frame.clientMsgId && frame.conversationId && frame.code !== 'rate_limited') {
        const entry = state.conversations[frame.conversationId];
        if (entry) {
          const pending = entry.pending.map((p) =>
            p.clientMsgId === frame.clientMsgId ? { ...p, failed: frame.code } : p,
          );
          next = {
            ...state,
            conversations: { ...state.conversations, [frame.conversationId]: { ...entry, pending } },
          };
        }
      }
      // A dropped typing frame is not worth interrupting anyone for.
      if (frame.code === 'rate_limited' && !frame.clientMsgId) return next;
      return withNotice(next, wsErrorKey(frame.code));
    }

    default:
      return state;
  }
}

function withOffer(state: State, offer: OfferView): State {
  const known = state.offers.some((o) => o.id === offer.id);
  const offers = known ? state.offers.map((o) => (o.id === offer.id ? offer : o)) : [...state.offers, offer];
  const next = { ...state, offers };
  return known ? next : withAnnouncements(next, [{ kind: 'offer', offer }]);
}

/** Notice shown when an offer disappears without this agent taking it. */
const OFFER_GONE_NOTICE: Record<OfferClosedFrame['reason'], ConsoleKey | null> = {
  accepted: null,
  declined: 'offer.gone.declined',
  expired: 'offer.gone.expired',
  withdrawn: 'offer.gone.withdrawn',
};

/** Drops an offer; `reason` null = this agent accepted it here (no notice). Unknown offers are a no-op. */
function withoutOffer(state: State, offerId: string, reason: OfferClosedFrame['reason'] | null): State {
  if (!state.offers.some((o) => o.id === offerId)) return state;
  const next = { ...state, offers: state.offers.filter((o) => o.id !== offerId) };
  const key = reason ? OFFER_GONE_NOTICE[reason] : null;
  return key ? withNotice(next, key) : next;
}

/** A board update; more breaches or escalations than before is announced (the first load is not). */
function withBoard(state: State, board: SupervisorBoard): State {
  const before = state.board;
  const next = { ...state, board };
  if (!before) return next;
  const breaches = board.breaches.length;
  const escalations = board.escalations.length;
  if (breaches <= before.breaches.length && escalations <= before.escalations.length) return next;
  return withAnnouncements(next, [{ kind: 'board', breaches, escalations }]);
}

function applyInbox(state: State, waiting: ConversationView[], mine: ConversationView[]): State {
  const before = new Set(state.waiting.map((c) => c.id));
  const conversations = { ...state.conversations };
  for (const c of [...waiting, ...mine]) {
    const entry = conversations[c.id];
    if (entry) conversations[c.id] = { ...entry, conversation: c };
  }
  const next: State = { ...state, waiting, mine, inboxLoaded: true, conversations };
  // The first list is the starting point, not news.
  if (!state.inboxLoaded) return next;
  return withAnnouncements(
    next,
    waiting.filter((c) => !before.has(c.id)).map((conversation) => ({ kind: 'waiting' as const, conversation })),
  );
}

export function reducer(state: State, action: Action): State {
  switch (action.type) {
    case 'signedOut':
      return { ...initialState, screen: 'signin', signInNotice: action.notice, counter: state.counter };

    case 'signedIn':
      return { ...initialState, screen: 'workspace', agent: action.agent, counter: state.counter };

    case 'connection':
      return { ...state, connection: action.status };

    case 'agentStatus':
      return state.agent ? { ...state, agent: { ...state.agent, status: action.status } } : state;

    case 'inbox':
      return applyInbox(state, action.waiting, action.mine);

    case 'loaded': {
      const entry = state.conversations[action.conversation.id] ?? newEntry(action.conversation);
      const messages = mergeMessages(entry.messages, action.messages);
      const held = new Set(messages.map((m) => m.clientMsgId).filter(Boolean));
      const pending = entry.pending.filter((p) => !held.has(p.clientMsgId));
      const next = { ...entry, conversation: action.conversation, messages, pending, loaded: true };
      return updateConversation(
        { ...state, conversations: { ...state.conversations, [action.conversation.id]: next } },
        action.conversation,
      );
    }

    case 'open': {
      const id = action.conversationId;
      if (id === null) return { ...state, activeId: null };
      const entry = state.conversations[id];
      const view = entry?.conversation ?? state.mine.find((c) => c.id === id) ?? state.waiting.find((c) => c.id === id);
      if (!view) return { ...state, activeId: id };
      return {
        ...state,
        activeId: id,
        conversations: { ...state.conversations, [id]: { ...(entry ?? newEntry(view)), unread: 0 } },
      };
    }

    case 'pending': {
      const entry = state.conversations[action.conversationId];
      if (!entry) return state;
      const item: PendingMessage = {
        clientMsgId: action.clientMsgId,
        conversationId: action.conversationId,
        body: action.body,
        createdAt: action.createdAt,
        failed: null,
      };
      return {
        ...state,
        conversations: {
          ...state.conversations,
          [action.conversationId]: { ...entry, pending: [...entry.pending, item] },
        },
      };
    }

    case 'typingExpired': {
      const entry = state.conversations[action.conversationId];
      if (!entry?.typing) return state;
      return {
        ...state,
        conversations: { ...state.conversations, [action.conversationId]: { ...entry, typing: null } },
      };
    }

    case 'notice':
      return withNotice(state, action.key);

    case 'dismissNotice':
      return state.notice?.id === action.id ? { ...state, notice: null } : state;

    case 'contextLoading': {
      const entry = state.contexts[action.conversationId];
      const next: CustomerContextEntry = { data: entry?.data ?? null, loading: true, error: entry?.error ?? null };
      return { ...state, contexts: { ...state.contexts, [action.conversationId]: next } };
    }

    case 'contextLoaded':
      return {
        ...state,
        contexts: {
          ...state.contexts,
          [action.conversationId]: { data: action.context, loading: false, error: null },
        },
      };

    case 'contextFailed': {
      const entry = state.contexts[action.conversationId];
      const next: CustomerContextEntry = { data: entry?.data ?? null, loading: false, error: action.key };
      return { ...state, contexts: { ...state.contexts, [action.conversationId]: next } };
    }

    case 'frame':
      return applyFrame(state, action.frame);

    case 'offers': {
      // The HTTP list is the starting point; offers already announced keep their place.
      const incoming = new Map(action.offers.map((o) => [o.id, o]));
      const kept = state.offers.filter((o) => incoming.has(o.id)).map((o) => incoming.get(o.id)!);
      const added = action.offers.filter((o) => !state.offers.some((x) => x.id === o.id));
      return withAnnouncements(
        { ...state, offers: [...kept, ...added] },
        added.map((offer) => ({ kind: 'offer' as const, offer })),
      );
    }

    case 'offerGone':
      return withoutOffer(state, action.offerId, action.reason);

    case 'offerEnding': {
      const offer = state.offers.find((o) => o.id === action.offerId);
      return offer ? withAnnouncements(state, [{ kind: 'offerEnding', offer, seconds: action.seconds }]) : state;
    }

    case 'view':
      return { ...state, view: action.view };

    case 'board':
      return withBoard(state, action.board);

    case 'wrapUp':
      return { ...state, wrapUpId: action.conversationId };
  }
}

export interface Store {
  getState(): State;
  dispatch(action: Action): void;
  subscribe(listener: () => void): () => void;
}

/** A minimal store so socket callbacks can read the current state synchronously. */
export function createStore(initial: State = initialState): Store {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    dispatch(action) {
      const next = reducer(state, action);
      if (next === state) return;
      state = next;
      for (const l of [...listeners]) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
