/**
 * The widget's view state and the reducer that merges HTTP results and server frames into it.
 * Messages are kept once per `seq` (replays and echoes are dropped) and in seq order; `lastSeq` is the
 * highest seq up to which nothing is missing, which is what a resume asks for. Staff-only notes take
 * seqs the cardmember never sees, so besides contiguity `lastSeq` also advances to what the server
 * vouches for: `subscribed.headSeq`, and the newest seq of a complete HTTP listing.
 * Staff-only notes (`kind: 'note'`) are never held, even if one arrived by mistake.
 *
 * Queue status is announced in the polite live region when it changes in kind (queued, nobody serving,
 * closed, assigned...) and when the place in line changes, but place changes at most once a minute:
 * a later change inside that minute is announced when the minute is up (the controller's `queueTick`).
 */
import {
  systemStrings,
  translator,
  type ConversationView,
  type Language,
  type Message,
  type RedactedType,
  type ServerFrame,
} from '@carechat/protocol/client';
import { widgetT } from './i18n.js';
import { redactionNotice } from './redaction-notice.js';
import { initialStepUp, type StepUpState } from './stepup.js';
import { waitingAnnouncement, waitingView } from './waiting.js';
import type { OutboxItem } from './outbox.js';
import type { ConnectionStatus } from './connection.js';

/** `signedOut`: the session was ended on purpose (here or in another tab); only a page reload starts again. */
export type Phase = 'idle' | 'starting' | 'ready' | 'error' | 'signedOut';

export interface Announcement {
  id: number;
  text: string;
}

export interface ViewState {
  /** Language of the page (`data-lang`) until a conversation says otherwise. */
  pageLang: Language;
  lang: Language;
  open: boolean;
  phase: Phase;
  /** Error that stops the chat (panel shows it with a retry). */
  error: string | null;
  /** Short-lived problem worth telling the user (rate limited, end failed...). */
  notice: string | null;
  conversation: ConversationView | null;
  messages: Message[];
  lastSeq: number;
  outbox: OutboxItem[];
  connection: ConnectionStatus | 'idle';
  typing: string | null;
  /** Recent lines for the polite live region; only new events, never the history. */
  announcements: Announcement[];
  nextAnnouncementId: number;
  /** What the server removed from the cardmember's own messages, by message id (from their acks). */
  redacted: Record<string, RedactedType[]>;
  /** Step-up verification UI (stepup.ts); the assurance itself is on the conversation. */
  stepUp: StepUpState;
  /** Set with phase `signedOut`: `self` when this widget signed out, `revoked` when it learnt it from the server. */
  signedOut: 'self' | 'revoked' | null;
  /**
   * The place in line last announced and when (ms, null = no clock given, or only shown on load), while
   * queued: place changes are announced at most once per QUEUE_ANNOUNCE_MS.
   */
  queueAnnounced: { position: number | null; at: number | null } | null;
  /**
   * Id of the chat showing the fraud "call us now" notice. Once shown it stays until the chat leaves the
   * queue, so its alert is inserted (and read) once, not again each time the estimate crosses 2 minutes.
   */
  fraudNotice: string | null;
}

export type Action =
  | { type: 'open'; open: boolean }
  | { type: 'starting' }
  | { type: 'failed'; code: string }
  /** The session ended on purpose; `conversation` is the ended chat when the server sent it. */
  | { type: 'signedOut'; by: 'self' | 'revoked'; conversation?: ConversationView | null }
  /** A conversation loaded over HTTP: `reset` replaces the view (new session, new chat), otherwise merges. */
  | { type: 'loaded'; conversation: ConversationView; messages: Message[]; reset: boolean; at?: number }
  /** Everything visible after the current lastSeq, fetched over HTTP. */
  | { type: 'messages'; messages: Message[] }
  /** `at`: when it arrived (ms), which paces queue announcements; without it they are not paced. */
  | { type: 'frame'; frame: ServerFrame; at?: number }
  /** A deferred change of place in line may be announced now. */
  | { type: 'queueTick'; at: number }
  | { type: 'connection'; status: ConnectionStatus }
  | { type: 'outbox'; items: OutboxItem[] }
  | { type: 'notice'; code: string | null }
  | { type: 'typingTimeout' }
  | { type: 'stepUp'; patch: Partial<StepUpState> };

const MAX_ANNOUNCEMENTS = 4;
/** Place-in-line changes are announced at most this often. */
export const QUEUE_ANNOUNCE_MS = 60_000;

export function initialState(pageLang: Language): ViewState {
  return {
    pageLang,
    lang: pageLang,
    open: false,
    phase: 'idle',
    error: null,
    notice: null,
    conversation: null,
    messages: [],
    lastSeq: 0,
    outbox: [],
    connection: 'idle',
    typing: null,
    announcements: [],
    nextAnnouncementId: 1,
    redacted: {},
    stepUp: initialStepUp,
    signedOut: null,
    queueAnnounced: null,
    fraudNotice: null,
  };
}

/**
 * Adds messages not already held (by seq), keeps seq order, and advances `lastSeq` over contiguous
 * seqs. `complete` says the incoming list is everything visible after `lastSeq` (an HTTP listing), so
 * `lastSeq` may jump to its newest seq across gaps left by staff-only notes.
 */
export function mergeMessages(
  held: readonly Message[],
  lastSeq: number,
  incoming: readonly Message[],
  complete = false,
): { messages: Message[]; lastSeq: number; added: Message[] } {
  const seen = new Set(held.map((m) => m.seq));
  const added: Message[] = [];
  let newest = 0;
  for (const m of incoming) {
    if (!m || !Number.isInteger(m.seq) || m.seq <= 0) continue;
    newest = Math.max(newest, m.seq);
    if (seen.has(m.seq)) continue;
    seen.add(m.seq);
    added.push({ ...m, quickReplies: m.quickReplies ?? [] });
  }
  let next = complete ? Math.max(lastSeq, newest) : lastSeq;
  if (added.length === 0) return { messages: held as Message[], lastSeq: next, added };
  const messages = [...held, ...added].sort((a, b) => a.seq - b.seq);
  while (seen.has(next + 1)) next++;
  return { messages, lastSeq: next, added };
}

/** The label shown for a message's author in the viewer's language. */
export function authorLabel(message: Pick<Message, 'author'>, lang: Language): string {
  const t = widgetT(lang);
  switch (message.author.role) {
    case 'cardmember':
      return t('you');
    case 'assistant':
      return t('assistant');
    case 'agent':
      return message.author.name || t('agent');
    default:
      return '';
  }
}

/** Whether a message may be shown to the cardmember: never a staff-only note, whatever the server sent. */
export function visibleToCardmember(message: Pick<Message, 'kind'>): boolean {
  return message.kind === 'text' || message.kind === 'system';
}

/** A system notice in the viewer's language (falls back to the stored body for unknown codes). */
export function systemText(message: Message, lang: Language): string {
  const code = message.system?.code;
  if (!code || !(code in systemStrings.en)) return message.body;
  const params = { ...(message.system?.params ?? {}) };
  // `handoff.language` may name the language by code: say "Spanish" / "español" instead.
  if (params.language === 'en' || params.language === 'es') params.language = widgetT(lang)(`lang.${params.language}`);
  return translator(systemStrings, lang)(code, params);
}

/** The one-line conversation status (queue position, assigned agent...), or null when there is none. */
export function statusLine(conversation: ConversationView | null, lang: Language): string | null {
  if (!conversation) return null;
  const t = widgetT(lang);
  switch (conversation.status) {
    case 'queued':
      return waitingAnnouncement(waitingView(conversation, lang)!, t);
    case 'assigned':
      return t('statusAssigned', { name: conversation.agent?.firstName || t('agent') });
    case 'closed':
      return t('closed');
    default:
      return null;
  }
}

/** Pending and failed messages of the current conversation that are not already shown from the server. */
export function visibleOutbox(state: ViewState): OutboxItem[] {
  const id = state.conversation?.id;
  const stored = new Set(state.messages.map((m) => m.clientMsgId).filter(Boolean));
  return state.outbox.filter((i) => i.conversationId === id && !stored.has(i.clientMsgId));
}

/** Quick replies offered by the newest message, if it is the assistant's and the chat is open. */
export function currentQuickReplies(state: ViewState): string[] {
  if (!state.conversation || state.conversation.status === 'closed') return [];
  if (visibleOutbox(state).length > 0) return [];
  const last = state.messages[state.messages.length - 1];
  return last && last.author.role === 'assistant' ? last.quickReplies : [];
}

function announce(state: ViewState, texts: string[]): ViewState {
  if (texts.length === 0) return state;
  let id = state.nextAnnouncementId;
  const added = texts.map((text) => ({ id: id++, text }));
  return {
    ...state,
    announcements: [...state.announcements, ...added].slice(-MAX_ANNOUNCEMENTS),
    nextAnnouncementId: id,
  };
}

function announceMessages(state: ViewState, added: Message[]): string[] {
  return added
    .filter((m) => m.author.role !== 'cardmember')
    .map((m) => (m.kind === 'system' ? systemText(m, state.lang) : `${authorLabel(m, state.lang)}: ${m.body}`));
}

/** What about a conversation is announced as soon as it changes (place in line is paced separately). */
function statusKey(c: ConversationView): string {
  const mode =
    c.status === 'queued' ? (c.queue?.open === false ? 'closed' : c.queue?.serving === false ? 'none' : '') : '';
  return [c.status, c.queue?.teamId ?? '', c.agent?.id ?? '', mode].join('|');
}

const queuePosition = (c: ConversationView | null): number | null =>
  c?.status === 'queued' ? (c.queue?.position ?? null) : null;

function announceStatus(state: ViewState, at: number | undefined): ViewState {
  const line = statusLine(state.conversation, state.lang);
  const next = line ? announce(state, [line]) : state;
  const position = queuePosition(state.conversation);
  return {
    ...next,
    queueAnnounced: state.conversation?.status === 'queued' ? { position, at: at ?? null } : null,
  };
}

/** True when the place in line changed since it was last announced and may be said now. */
function positionDue(state: ViewState, at: number | undefined): boolean {
  const position = queuePosition(state.conversation);
  const last = state.queueAnnounced;
  if (position === null || !last || last.position === position) return false;
  return at === undefined || last.at === null || at - last.at >= QUEUE_ANNOUNCE_MS;
}

/** When a change of place in line held back by the pacing may be announced (ms), or null if none waits. */
export function queueAnnouncementDueAt(state: ViewState): number | null {
  const position = queuePosition(state.conversation);
  const last = state.queueAnnounced;
  if (position === null || !last || last.position === position || last.at === null) return null;
  return last.at + QUEUE_ANNOUNCE_MS;
}

/** Whether the fraud notice shows: once it applies it stays for as long as the chat waits. */
function withFraudNotice(state: ViewState): ViewState {
  const c = state.conversation;
  let fraudNotice: string | null = null;
  if (c?.status === 'queued') {
    fraudNotice = state.fraudNotice === c.id || waitingView(c, state.lang)?.fraud ? c.id : null;
  }
  return fraudNotice === state.fraudNotice ? state : { ...state, fraudNotice };
}

function withConversation(state: ViewState, conversation: ConversationView, at?: number): ViewState {
  const previous = state.conversation;
  if (previous && previous.id !== conversation.id) return state;
  const next: ViewState = withFraudNotice({
    ...state,
    conversation,
    lang: conversation.language ?? state.lang,
    typing: conversation.status === 'closed' ? null : state.typing,
  });
  if (!previous) {
    // Shown, not announced (like the history); the first change is announced at once.
    const position = queuePosition(conversation);
    return { ...next, queueAnnounced: conversation.status === 'queued' ? { position, at: null } : null };
  }
  if (statusKey(previous) !== statusKey(conversation)) return announceStatus(next, at);
  return positionDue(next, at) ? announceStatus(next, at) : next;
}

function withMessages(state: ViewState, incoming: Message[], announceNew: boolean, complete = false): ViewState {
  const id = state.conversation?.id;
  const mine = incoming.filter((m) => m && m.conversationId === id && visibleToCardmember(m));
  const merged = mergeMessages(state.messages, state.lastSeq, mine, complete);
  if (merged.added.length === 0)
    return merged.lastSeq === state.lastSeq ? state : { ...state, lastSeq: merged.lastSeq };
  const next: ViewState = { ...state, messages: merged.messages, lastSeq: merged.lastSeq };
  if (merged.added.some((m) => m.author.role === 'agent' || m.author.role === 'assistant')) next.typing = null;
  return announceNew ? announce(next, announceMessages(next, merged.added)) : next;
}

function onFrame(state: ViewState, frame: ServerFrame, at?: number): ViewState {
  switch (frame.type) {
    case 'message':
      return withMessages(state, [frame.message], true);
    case 'ack': {
      // The ack carries everything needed to show the stored (redacted) copy right away.
      const own: Message = {
        id: frame.messageId,
        conversationId: frame.conversationId,
        seq: frame.seq,
        clientMsgId: frame.clientMsgId,
        author: { role: 'cardmember', id: null, name: null },
        kind: 'text',
        body: frame.body,
        system: null,
        quickReplies: [],
        createdAt: frame.createdAt,
      };
      const next: ViewState = { ...withMessages(state, [own], false), notice: null };
      // Tell the sender, under the message and once in the live region, what was removed and why.
      const notice = redactionNotice(frame.redacted, next.lang);
      if (!notice || frame.conversationId !== state.conversation?.id || state.redacted[frame.messageId]) return next;
      return announce({ ...next, redacted: { ...next.redacted, [frame.messageId]: frame.redacted! } }, [notice]);
    }
    case 'subscribed': {
      // The replay before this frame delivered every visible message up to headSeq.
      const next = { ...withConversation(state, frame.conversation, at), notice: null };
      if (frame.conversationId === state.conversation?.id && frame.headSeq > next.lastSeq) next.lastSeq = frame.headSeq;
      return next;
    }
    case 'conversation':
      return withConversation(state, frame.conversation, at);
    case 'typing': {
      if (frame.conversationId !== state.conversation?.id || frame.from?.role === 'cardmember') return state;
      if (frame.state === 'stop') return state.typing ? { ...state, typing: null } : state;
      const t = widgetT(state.lang);
      const name = frame.from?.role === 'assistant' ? t('assistant') : frame.from?.name || t('agent');
      return { ...state, typing: name };
    }
    case 'error':
      // Send failures show on the message itself. Rate-limited sends are retried automatically; say so
      // only when a message is actually waiting (a dropped typing signal is nobody's concern).
      if (frame.code === 'message_too_long' || frame.code === 'message_empty') return state;
      if (frame.code === 'rate_limited' && !visibleOutbox(state).some((i) => i.status === 'pending')) return state;
      return { ...state, notice: frame.code };
    default:
      return state;
  }
}

/** Merges one action into the view state. */
export function reduce(state: ViewState, action: Action): ViewState {
  switch (action.type) {
    case 'open':
      return { ...state, open: action.open };
    case 'starting':
      if (state.phase === 'signedOut') return state;
      return { ...state, phase: 'starting', error: null, notice: null };
    case 'failed':
      // Nothing after a sign-out may turn it back into a retryable error.
      return state.phase === 'signedOut' ? state : { ...state, phase: 'error', error: action.code };
    case 'signedOut': {
      if (state.phase === 'signedOut') return state;
      const base = action.conversation ? withConversation(state, action.conversation) : state;
      const next: ViewState = {
        ...base,
        phase: 'signedOut',
        signedOut: action.by,
        error: null,
        notice: null,
        typing: null,
        stepUp: initialStepUp,
      };
      const t = widgetT(next.lang);
      return announce(next, [t(action.by === 'self' ? 'signedOutSelf' : 'signedOutRevoked')]);
    }
    case 'loaded': {
      if (state.phase === 'signedOut') return state;
      const base: ViewState = action.reset
        ? withFraudNotice({
            ...state,
            conversation: action.conversation,
            messages: [],
            lastSeq: 0,
            typing: null,
            stepUp: initialStepUp,
            queueAnnounced:
              action.conversation.status === 'queued'
                ? { position: queuePosition(action.conversation), at: null }
                : null,
            fraudNotice: null,
          })
        : withConversation(state, action.conversation, action.at);
      const loaded: ViewState = {
        ...base,
        conversation: base.conversation ?? action.conversation,
        lang: action.conversation.language ?? state.lang,
        phase: 'ready',
        error: null,
      };
      return withMessages(loaded, action.messages, !action.reset, true);
    }
    case 'messages':
      return withMessages(state, action.messages, true, true);
    case 'frame':
      return onFrame(state, action.frame, action.at);
    case 'queueTick':
      return positionDue(state, action.at) ? announceStatus(state, action.at) : state;
    case 'connection': {
      const next = { ...state, connection: action.status };
      // Said once per outage, when a working connection drops.
      if (action.status === 'reconnecting' && state.connection === 'online') {
        return announce(next, [widgetT(state.lang)('reconnecting')]);
      }
      return next;
    }
    case 'outbox':
      return { ...state, outbox: action.items };
    case 'notice':
      return { ...state, notice: action.code };
    case 'typingTimeout':
      return state.typing ? { ...state, typing: null } : state;
    case 'stepUp':
      return { ...state, stepUp: { ...state.stepUp, ...action.patch } };
  }
}
