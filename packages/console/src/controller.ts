/**
 * Wires the API client, the socket and the store together: every user intent (sign in, accept, send,
 * end...) is one method here, and components only call these. Kept free of DOM access so it can be
 * tested with fakes.
 */
import {
  MAX_BODY_CHARS,
  type AgentStatus,
  type AgentTarget,
  type CaseDeadlineFrame,
  type AgentView,
  type CannedResponseView,
  type ChosenAgentState,
  type Disposition,
  type Language,
  type Message,
  type OfferView,
  type ServerFrame,
  type TeamView,
} from '@carechat/protocol/client';
import { ApiError, type ApiClient, type Transcript } from './api.js';
import { apiErrorKey } from './format.js';
import type { ConsoleKey } from './i18n.js';
import type { CaseCall } from './cases.js';
import type { ConnectionStatus, SocketEvents, TimerHandle, Timers } from './socket.js';
import { lastSeqOf, type Store, type View } from './state.js';

/** What the controller needs from ConsoleSocket. */
export interface SocketPort {
  start(): void;
  stop(): void;
  subscribe(conversationId: string, lastSeq: number): void;
  unsubscribe(conversationId: string): void;
  isSubscribed(conversationId: string): boolean;
  send(conversationId: string, body: string): string;
  typing(conversationId: string, state: 'start' | 'stop'): void;
}

export interface ControllerDeps {
  api: ApiClient;
  store: Store;
  createSocket(events: SocketEvents, checkSession: () => Promise<boolean>): SocketPort;
  timers?: Timers;
  now?: () => number;
}

/** After a right password: the challenge for the authenticator code, and the setup on first sign-in. */
export interface SecondFactorStep {
  challenge: string;
  enrollment: { secret: string; otpauthUri: string } | null;
}

/** A failed code: the text to show, and whether the password has to be entered again. */
export interface CodeFailure {
  error: ConsoleKey;
  restart: boolean;
}

/** Someone else's typing indicator disappears after this long without a new `typing` frame. */
export const TYPING_TTL_MS = 8_000;
/** A burst of `conversation` frames (accept, assistant actions) causes one customer-context reload. */
export const CONTEXT_REFRESH_DEBOUNCE_MS = 750;

/** Our own `typing start` is repeated at most this often, and `stop` follows this long after the last key. */
export const TYPING_IDLE_MS = 3_000;

/** An offer about to expire is announced this many seconds before its end. */
export const OFFER_WARN_SECONDS = 10;
/** Longest internal note or whisper (NoteRequest / WhisperRequest in live.ts). */
export const MAX_NOTE_CHARS = 4_000;
/** Longest transfer, conference or escalation note. */
export const MAX_HANDOFF_NOTE_CHARS = 1_000;

/** What the transfer dialog asks for: a team's queue (optionally a language) or one agent, with a note. */
export type TransferTarget =
  | { kind: 'team'; teamId: string; language?: Language; note: string }
  | { kind: 'agent'; agentId: string; note: string };

const realTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
  setInterval: (fn, ms) => globalThis.setInterval(fn, ms),
  clearInterval: (h) => globalThis.clearInterval(h as ReturnType<typeof setInterval>),
};

/** The text key for a failed context load: not found, unreachable, or anything else. */
export function contextErrorKey(e: unknown): ConsoleKey {
  if (!(e instanceof ApiError)) return 'context.error.generic';
  if (e.status === 404 || e.code === 'not_found' || e.code === 'conversation_not_found')
    return 'context.error.notFound';
  if (e.code === 'network') return 'context.error.network';
  return 'context.error.generic';
}

function isSessionError(e: unknown): boolean {
  return e instanceof ApiError && (e.status === 401 || e.code === 'unauthorized' || e.code === 'session_expired');
}

export class Controller {
  private socket: SocketPort | null = null;
  private welcomedOnce = false;
  private inboxFrameSeen = false;
  private readonly typingTimers = new Map<string, TimerHandle>();
  private ownTyping: { conversationId: string; sentAt: number; stopTimer: TimerHandle } | null = null;
  /** Availability as the server last confirmed it, the one still to send, and the PUT loop. */
  private confirmedStatus: AgentStatus | null = null;
  private statusWanted: ChosenAgentState | null = null;
  private statusFlush: Promise<void> | null = null;
  private readonly timers: Timers;
  private readonly now: () => number;
  /** Per conversation, the number of the newest context request: older answers are dropped. */
  private readonly contextRequests = new Map<string, number>();
  private contextCounter = 0;
  private contextRefresh: { conversationId: string; timer: TimerHandle } | null = null;
  /** Per open offer: the "10 s left" announcement and the local expiry. */
  private readonly offerTimers = new Map<string, TimerHandle[]>();
  private teamsCache: TeamView[] | null = null;
  /** Who hears `case_deadline` frames (the "Team cases due" list, components/TeamCases.tsx). */
  private readonly deadlineListeners = new Set<(frame: CaseDeadlineFrame) => void>();

  constructor(private readonly deps: ControllerDeps) {
    this.timers = deps.timers ?? realTimers;
    this.now = deps.now ?? Date.now;
  }

  private get store(): Store {
    return this.deps.store;
  }

  /** The API client, for the admin screen's configuration calls (admin.ts). */
  get api(): ApiClient {
    return this.deps.api;
  }

  /** First load: resume an existing session or show sign-in. */
  async boot(): Promise<void> {
    try {
      const session = await this.deps.api.me();
      this.enter(session.agent);
    } catch {
      this.store.dispatch({ type: 'signedOut', notice: null });
    }
  }

  /**
   * Sign-in step 1, the password. Returns the second step to show, the text key of the error, or
   * null when the server opened a session straight away.
   */
  async login(email: string, password: string): Promise<SecondFactorStep | ConsoleKey | null> {
    if (!email.trim() || !password) return 'signin.missing';
    try {
      const res = await this.deps.api.login(email.trim(), password);
      if ('mfaRequired' in res) return { challenge: res.challenge, enrollment: res.enrollment ?? null };
      this.enter(res.agent);
      return null;
    } catch (e) {
      return e instanceof ApiError ? apiErrorKey(e.code) : 'error.generic';
    }
  }

  /** Sign-in step 2, the authenticator code (spaces allowed). Null on success. */
  async loginCode(challenge: string, code: string): Promise<CodeFailure | null> {
    const digits = code.replace(/\s+/g, '');
    if (!/^\d{6}$/.test(digits)) return { error: 'signin.codeMissing', restart: false };
    try {
      const session = await this.deps.api.loginCode(challenge, digits);
      this.enter(session.agent);
      return null;
    } catch (e) {
      if (!(e instanceof ApiError)) return { error: 'error.generic', restart: false };
      const left = (e.details as { attemptsLeft?: unknown } | undefined)?.attemptsLeft;
      if (e.code === 'invalid_code' && left === 0) return { error: 'signin.codeTooMany', restart: true };
      // The challenge is gone (expired, used, burnt) or the account is locked: back to the password.
      const restart = e.code === 'challenge_expired' || e.code === 'account_locked';
      return { error: apiErrorKey(e.code), restart };
    }
  }

  async logout(): Promise<void> {
    this.teardown();
    try {
      await this.deps.api.logout();
    } catch {
      // the cookie may already be gone; signing out locally is what matters
    }
    this.store.dispatch({ type: 'signedOut', notice: 'signedOut' });
  }

  /** The server says the session is over (close 4401/4403, or any 401). */
  sessionEnded(): void {
    if (this.store.getState().screen !== 'workspace') return;
    this.teardown();
    this.deps.api.forget();
    this.store.dispatch({ type: 'signedOut', notice: 'sessionEnded' });
  }

  /**
   * Changes availability. The select updates at once; PUTs go out one at a time and only the latest
   * wish is sent, so arrowing through the options can never leave the server on a stale value.
   */
  async setStatus(status: ChosenAgentState): Promise<void> {
    const current = this.store.getState().agent?.status;
    if (!current || (current === status && this.statusWanted === null)) return;
    this.store.dispatch({ type: 'agentStatus', status });
    this.statusWanted = status;
    if (!this.statusFlush) {
      this.statusFlush = this.flushStatus().finally(() => {
        this.statusFlush = null;
      });
    }
    return this.statusFlush;
  }

  private async flushStatus(): Promise<void> {
    while (this.statusWanted !== null && this.statusWanted !== this.confirmedStatus) {
      const target: ChosenAgentState = this.statusWanted;
      try {
        const res = (await this.deps.api.setStatus(target)) as { agent?: { status?: AgentStatus } } | null;
        this.confirmedStatus = res?.agent?.status ?? target;
      } catch (e) {
        this.statusWanted = null;
        if (this.handleSessionError(e)) return;
        if (this.confirmedStatus) this.store.dispatch({ type: 'agentStatus', status: this.confirmedStatus });
        this.store.dispatch({ type: 'notice', key: 'error.status_failed' });
        return;
      }
    }
    this.statusWanted = null;
    const shown = this.store.getState().agent?.status;
    if (this.confirmedStatus && shown && shown !== this.confirmedStatus) {
      this.store.dispatch({ type: 'agentStatus', status: this.confirmedStatus });
    }
  }

  /** Reloads both lists over HTTP (after sign-in, a reconnect or a lost accept race). */
  async refreshInbox(): Promise<void> {
    this.inboxFrameSeen = false;
    try {
      const [waiting, mine] = await Promise.all([this.deps.api.list('waiting'), this.deps.api.list('mine')]);
      // An inbox frame that arrived meanwhile is newer than this answer.
      if (!this.inboxFrameSeen) this.store.dispatch({ type: 'inbox', waiting, mine });
    } catch (e) {
      this.fail(e);
    }
  }

  /**
   * Shows a conversation: loads its history once, then follows it over the socket. The customer panel
   * is (re)loaded every time, alongside, so what the agent sees is current when they look.
   */
  async open(conversationId: string): Promise<void> {
    this.store.dispatch({ type: 'open', conversationId });
    const context = this.loadContext(conversationId);
    const entry = this.store.getState().conversations[conversationId];
    if (entry?.loaded) {
      if (!this.socket?.isSubscribed(conversationId)) this.socket?.subscribe(conversationId, lastSeqOf(entry));
    } else {
      try {
        const detail = await this.deps.api.get(conversationId);
        this.store.dispatch({ type: 'loaded', conversation: detail.conversation, messages: detail.messages });
        const loaded = this.store.getState().conversations[conversationId];
        this.socket?.subscribe(conversationId, lastSeqOf(loaded));
      } catch (e) {
        this.fail(e);
      }
    }
    await context;
  }

  /**
   * Loads the customer panel for a conversation. Never throws: a failure is kept in the state for the
   * panel to show with a retry button (a lost session goes back to sign-in instead). When requests
   * overlap, only the newest answer is applied.
   */
  async loadContext(conversationId: string): Promise<void> {
    if (this.contextRefresh?.conversationId === conversationId) this.cancelContextRefresh();
    const n = ++this.contextCounter;
    this.contextRequests.set(conversationId, n);
    this.store.dispatch({ type: 'contextLoading', conversationId });
    try {
      const context = await this.deps.api.context(conversationId);
      if (this.contextRequests.get(conversationId) !== n) return;
      this.store.dispatch({ type: 'contextLoaded', conversationId, context });
    } catch (e) {
      if (this.contextRequests.get(conversationId) !== n) return;
      if (this.handleSessionError(e)) return;
      this.store.dispatch({ type: 'contextFailed', conversationId, key: contextErrorKey(e) });
    }
  }

  /** Takes a waiting chat. Returns true when this agent got it. */
  async accept(conversationId: string): Promise<boolean> {
    try {
      const res = await this.deps.api.accept(conversationId);
      if (res?.conversation && Array.isArray(res.messages)) {
        // The accept answer already carries the history: no second round trip before the chat opens.
        this.store.dispatch({ type: 'loaded', conversation: res.conversation, messages: res.messages });
      } else if (res?.conversation) {
        this.applyFrame({ type: 'conversation', conversation: res.conversation });
      }
    } catch (e) {
      if (e instanceof ApiError && e.code === 'conversation_not_waiting') {
        this.store.dispatch({ type: 'notice', key: 'error.conversation_not_waiting' });
        await this.refreshInbox();
        return false;
      }
      this.fail(e);
      return false;
    }
    await this.open(conversationId);
    return true;
  }

  async end(conversationId: string): Promise<boolean> {
    this.stopTyping();
    try {
      const res = await this.deps.api.end(conversationId);
      if (res?.conversation) this.applyFrame({ type: 'conversation', conversation: res.conversation });
      // Ending is the first half of finishing a chat: the disposition comes next.
      this.store.dispatch({ type: 'wrapUp', conversationId });
      void this.refreshAgent();
      return true;
    } catch (e) {
      this.fail(e);
      return false;
    }
  }

  /** Queues a reply. Returns an error key when the text cannot be sent, else null. */
  send(conversationId: string, text: string): ConsoleKey | null {
    const body = text.trim();
    if (!body) return 'wsError.message_empty';
    if (body.length > MAX_BODY_CHARS) return 'composer.tooLong';
    if (!this.socket) return 'wsError.generic';
    this.stopTyping();
    const clientMsgId = this.socket.send(conversationId, body);
    this.store.dispatch({
      type: 'pending',
      conversationId,
      clientMsgId,
      body,
      createdAt: new Date(this.now()).toISOString(),
    });
    return null;
  }

  /** Called on every keystroke in the reply box; sends `start` at most every few seconds and `stop` when idle. */
  typing(conversationId: string): void {
    if (!this.socket) return;
    const now = this.now();
    const current = this.ownTyping;
    if (current && current.conversationId !== conversationId) this.stopTyping();
    if (this.ownTyping) {
      this.timers.clearTimeout(this.ownTyping.stopTimer);
      if (now - this.ownTyping.sentAt >= TYPING_IDLE_MS) {
        this.socket.typing(conversationId, 'start');
        this.ownTyping.sentAt = now;
      }
      this.ownTyping.stopTimer = this.timers.setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
      return;
    }
    this.socket.typing(conversationId, 'start');
    this.ownTyping = {
      conversationId,
      sentAt: now,
      stopTimer: this.timers.setTimeout(() => this.stopTyping(), TYPING_IDLE_MS),
    };
  }

  stopTyping(): void {
    const current = this.ownTyping;
    if (!current) return;
    this.ownTyping = null;
    this.timers.clearTimeout(current.stopTimer);
    this.socket?.typing(current.conversationId, 'stop');
  }

  /**
   * "Verify customer": sends the step-up prompt to the customer's registered device. The chat's
   * assurance (prompt pending, then approved or denied) arrives in the answer and live over the socket.
   * Returns null when sent, else the server's error code for the button to explain.
   */
  async verifyCustomer(conversationId: string): Promise<string | null> {
    try {
      const res = await this.deps.api.stepUp(conversationId);
      if (res?.conversation) this.applyFrame({ type: 'conversation', conversation: res.conversation });
      return null;
    } catch (e) {
      if (this.handleSessionError(e)) return 'unauthorized';
      return e instanceof ApiError ? e.code : 'unknown';
    }
  }

  async transcript(conversationId: string): Promise<Transcript | null> {
    try {
      return await this.deps.api.transcript(conversationId);
    } catch (e) {
      if (!this.handleSessionError(e)) this.store.dispatch({ type: 'notice', key: 'error.transcript_failed' });
      return null;
    }
  }

  /** Shows a short notice (e.g. an action started outside a dialog failed). */
  notify(key: ConsoleKey): void {
    this.store.dispatch({ type: 'notice', key });
  }

  dismissNotice(id: number): void {
    this.store.dispatch({ type: 'dismissNotice', id });
  }

  // ------------------------------------------------------------------ live operations

  /** Switches the workspace screen; the board is (re)loaded whenever it is opened. */
  setView(view: View): void {
    this.store.dispatch({ type: 'view', view });
    if (view === 'board') void this.loadBoard();
  }

  /** GET /api/offers: the offers already open (after sign-in or a reconnect). */
  async loadOffers(): Promise<void> {
    try {
      const offers = await this.deps.api.offers();
      this.store.dispatch({ type: 'offers', offers });
      const open = new Set(offers.map((o) => o.id));
      for (const id of [...this.offerTimers.keys()]) if (!open.has(id)) this.clearOfferTimers(id);
      for (const offer of offers) this.armOffer(offer);
    } catch (e) {
      this.handleSessionError(e);
    }
  }

  /** Takes an offered chat and opens it. Returns true when this agent got it. */
  async acceptOffer(offerId: string): Promise<boolean> {
    const offer = this.store.getState().offers.find((o) => o.id === offerId);
    try {
      const res = await this.deps.api.acceptOffer(offerId);
      this.clearOfferTimers(offerId);
      this.store.dispatch({ type: 'offerGone', offerId, reason: null });
      const conversation = res?.conversation ?? offer?.conversation;
      if (!conversation) return false;
      this.applyFrame({ type: 'conversation', conversation });
      this.store.dispatch({ type: 'view', view: 'chats' });
      await this.open(conversation.id);
      return true;
    } catch (e) {
      if (e instanceof ApiError && (e.code === 'offer_closed' || e.code === 'offer_not_found')) {
        this.clearOfferTimers(offerId);
        this.store.dispatch({ type: 'offerGone', offerId, reason: null });
      }
      this.fail(e);
      return false;
    }
  }

  async declineOffer(offerId: string): Promise<boolean> {
    try {
      await this.deps.api.declineOffer(offerId);
      this.clearOfferTimers(offerId);
      this.store.dispatch({ type: 'offerGone', offerId, reason: 'declined' });
      return true;
    } catch (e) {
      if (e instanceof ApiError && (e.code === 'offer_closed' || e.code === 'offer_not_found')) {
        // Gone already (taken elsewhere or expired): nothing left to decline.
        this.clearOfferTimers(offerId);
        this.store.dispatch({ type: 'offerGone', offerId, reason: null });
        return true;
      }
      this.fail(e);
      return false;
    }
  }

  /** Teams for the transfer dialog; read once per session. */
  async teams(): Promise<TeamView[] | ConsoleKey> {
    if (this.teamsCache) return this.teamsCache;
    try {
      this.teamsCache = await this.deps.api.teams();
      return this.teamsCache;
    } catch (e) {
      return this.actionError(e);
    }
  }

  /** Transfer and conference targets. */
  async agents(filter: { teamId?: string; language?: Language } = {}): Promise<AgentTarget[] | ConsoleKey> {
    try {
      return await this.deps.api.agents(filter);
    } catch (e) {
      return this.actionError(e);
    }
  }

  /** Transfers the chat. A transfer to one agent needs a note: they get the chat without the context. */
  async transfer(conversationId: string, target: TransferTarget): Promise<ConsoleKey | null> {
    const note = target.note.trim();
    if (note.length > MAX_HANDOFF_NOTE_CHARS) return 'composer.tooLong';
    if (target.kind === 'agent' && !target.agentId) return 'transfer.agentMissing';
    if (target.kind === 'agent' && !note) return 'transfer.noteMissing';
    if (target.kind === 'team' && !target.teamId) return 'transfer.teamMissing';
    const body =
      target.kind === 'agent'
        ? { agentId: target.agentId, note }
        : { teamId: target.teamId, note, ...(target.language ? { language: target.language } : {}) };
    try {
      this.stopTyping();
      const res = await this.deps.api.transfer(conversationId, body);
      if (res?.conversation) this.applyFrame({ type: 'conversation', conversation: res.conversation });
      this.leaveView(conversationId);
      this.store.dispatch({ type: 'notice', key: 'transfer.done' });
      return null;
    } catch (e) {
      return this.actionError(e);
    }
  }

  /** Invites another agent or a supervisor; they get an offer of kind `conference`. */
  async conference(conversationId: string, agentId: string, note: string): Promise<ConsoleKey | null> {
    if (!agentId) return 'transfer.agentMissing';
    if (note.trim().length > MAX_HANDOFF_NOTE_CHARS) return 'composer.tooLong';
    try {
      await this.deps.api.conference(conversationId, { agentId, note: note.trim() });
      this.store.dispatch({ type: 'notice', key: 'conference.sent' });
      return null;
    } catch (e) {
      return this.actionError(e);
    }
  }

  async escalate(conversationId: string, note: string): Promise<ConsoleKey | null> {
    if (note.trim().length > MAX_HANDOFF_NOTE_CHARS) return 'composer.tooLong';
    try {
      const res = await this.deps.api.escalate(conversationId, note.trim());
      if (res?.conversation) this.applyFrame({ type: 'conversation', conversation: res.conversation });
      this.store.dispatch({ type: 'notice', key: 'escalate.done' });
      return null;
    } catch (e) {
      return this.actionError(e);
    }
  }

  /** A conference agent or a supervisor who barged in leaves the chat (the assignee transfers or ends). */
  async leave(conversationId: string): Promise<ConsoleKey | null> {
    try {
      this.stopTyping();
      const res = await this.deps.api.leave(conversationId);
      if (res?.conversation) this.applyFrame({ type: 'conversation', conversation: res.conversation });
      this.leaveView(conversationId);
      this.store.dispatch({ type: 'notice', key: 'leave.done' });
      return null;
    } catch (e) {
      return this.actionError(e);
    }
  }

  /** An internal note (never shown to the cardmember). Returns an error key, or null when saved. */
  async addNote(conversationId: string, text: string): Promise<ConsoleKey | null> {
    return this.postNote(conversationId, text, (body) => this.deps.api.note(conversationId, body));
  }

  /** A supervisor's whisper to the chat's agents. */
  async whisper(conversationId: string, text: string): Promise<ConsoleKey | null> {
    const problem = await this.postNote(conversationId, text, (body) => this.deps.api.whisper(conversationId, body));
    if (!problem) this.store.dispatch({ type: 'notice', key: 'whisper.sent' });
    return problem;
  }

  /** Supervisor: follows a chat silently (read-only; the cardmember is not told). */
  async monitor(conversationId: string): Promise<ConsoleKey | null> {
    try {
      const res = await this.deps.api.monitor(conversationId);
      this.store.dispatch({ type: 'loaded', conversation: res.conversation, messages: res.messages });
      this.store.dispatch({ type: 'view', view: 'chats' });
      await this.open(conversationId);
      return null;
    } catch (e) {
      return this.actionError(e);
    }
  }

  /** Supervisor: joins a chat visibly and may write in it. */
  async barge(conversationId: string): Promise<ConsoleKey | null> {
    try {
      const res = await this.deps.api.barge(conversationId);
      if (res?.conversation) this.applyFrame({ type: 'conversation', conversation: res.conversation });
      this.store.dispatch({ type: 'view', view: 'chats' });
      await this.open(conversationId);
      return null;
    } catch (e) {
      return this.actionError(e);
    }
  }

  openWrapUp(conversationId: string): void {
    this.store.dispatch({ type: 'wrapUp', conversationId });
  }

  closeWrapUp(): void {
    this.store.dispatch({ type: 'wrapUp', conversationId: null });
  }

  /** Records the disposition (closing the chat if it is still open). */
  async wrapUp(conversationId: string, disposition: Disposition | null, note: string): Promise<ConsoleKey | null> {
    if (!disposition) return 'wrapup.missing';
    if (note.trim().length > 2_000) return 'composer.tooLong';
    this.stopTyping();
    try {
      const res = await this.deps.api.wrapUp(conversationId, { disposition, note: note.trim() });
      if (res?.conversation) this.applyFrame({ type: 'conversation', conversation: res.conversation });
      this.store.dispatch({ type: 'wrapUp', conversationId: null });
      this.store.dispatch({ type: 'notice', key: 'wrapup.done' });
      void this.refreshAgent();
      return null;
    } catch (e) {
      return this.actionError(e);
    }
  }

  /** Canned responses for a chat, filled in for it; an error key when they cannot be loaded. */
  async canned(conversationId: string): Promise<CannedResponseView[] | ConsoleKey> {
    try {
      return await this.deps.api.canned(conversationId);
    } catch (e) {
      if (this.handleSessionError(e)) return 'error.generic';
      return 'canned.error';
    }
  }

  /** A cases call for the case panel (cases.ts): the value, or the text to show; a lost session signs out. */
  async cases<T>(call: (api: ApiClient) => Promise<T>): Promise<CaseCall<T>> {
    try {
      return { ok: true, value: await call(this.deps.api) };
    } catch (e) {
      return { ok: false, key: this.actionError(e), code: e instanceof ApiError ? e.code : 'network' };
    }
  }

  /** GET /api/supervisor/board (live updates follow as `board` frames). */
  async loadBoard(): Promise<boolean> {
    try {
      const board = await this.deps.api.board();
      this.store.dispatch({ type: 'board', board });
      return true;
    } catch (e) {
      this.fail(e);
      return false;
    }
  }

  /**
   * Re-reads this agent's state: the server moves an agent into `wrap_up` when a chat closes without a
   * disposition, and out of it after the wrap-up; there is no frame for either.
   */
  async refreshAgent(): Promise<void> {
    if (this.statusFlush) return;
    try {
      const session = await this.deps.api.me();
      if (this.statusFlush) return;
      this.confirmedStatus = session.agent.status;
      this.store.dispatch({ type: 'agentStatus', status: session.agent.status });
    } catch (e) {
      this.handleSessionError(e);
    }
  }

  private async postNote(
    conversationId: string,
    text: string,
    post: (body: string) => Promise<{ message: Message }>,
  ): Promise<ConsoleKey | null> {
    const body = text.trim();
    if (!body) return 'wsError.message_empty';
    if (body.length > MAX_NOTE_CHARS) return 'composer.tooLong';
    try {
      const res = await post(body);
      if (res?.message) this.applyFrame({ type: 'message', message: res.message });
      return null;
    } catch (e) {
      return this.actionError(e);
    }
  }

  /** After a transfer or leaving: the chat is no longer this agent's to follow. */
  private leaveView(conversationId: string): void {
    this.socket?.unsubscribe(conversationId);
    if (this.store.getState().activeId === conversationId) this.store.dispatch({ type: 'open', conversationId: null });
  }

  /** The error text for a failed action (a lost session goes back to sign-in). */
  private actionError(e: unknown): ConsoleKey {
    if (this.handleSessionError(e)) return 'error.generic';
    if (!(e instanceof ApiError)) return 'error.action_failed';
    const key = apiErrorKey(e.code);
    return key === 'error.generic' ? 'error.action_failed' : key;
  }

  private armOffer(offer: OfferView): void {
    this.clearOfferTimers(offer.id);
    const left = Date.parse(offer.expiresAt) - this.now();
    if (Number.isNaN(left)) return;
    const handles: TimerHandle[] = [];
    const warnIn = left - OFFER_WARN_SECONDS * 1000;
    if (warnIn > 0) {
      handles.push(
        this.timers.setTimeout(
          () => this.store.dispatch({ type: 'offerEnding', offerId: offer.id, seconds: OFFER_WARN_SECONDS }),
          warnIn,
        ),
      );
    }
    // The server closes the offer too; whichever comes first removes it, the other is a no-op.
    handles.push(
      this.timers.setTimeout(
        () => {
          this.offerTimers.delete(offer.id);
          this.store.dispatch({ type: 'offerGone', offerId: offer.id, reason: 'expired' });
        },
        Math.max(0, left),
      ),
    );
    this.offerTimers.set(offer.id, handles);
  }

  private clearOfferTimers(offerId: string): void {
    for (const h of this.offerTimers.get(offerId) ?? []) this.timers.clearTimeout(h);
    this.offerTimers.delete(offerId);
  }

  // ------------------------------------------------------------------ internals

  private enter(agent: AgentView): void {
    this.teardown();
    this.store.dispatch({ type: 'signedIn', agent });
    this.confirmedStatus = agent.status;
    this.statusWanted = null;
    this.welcomedOnce = false;
    // Admins configure (components/Admin.tsx); they take no chats, so no socket, inbox or offers.
    if (agent.role === 'admin') return;
    const events: SocketEvents = {
      frame: (frame) => this.onFrame(frame),
      status: (status: ConnectionStatus) => this.store.dispatch({ type: 'connection', status }),
      sessionEnded: () => this.sessionEnded(),
    };
    this.socket = this.deps.createSocket(events, () =>
      this.deps.api.me().then(
        () => true,
        (e: unknown) => !isSessionError(e),
      ),
    );
    this.socket.start();
    void this.refreshInbox();
    void this.loadOffers();
  }

  /** Calls `listener` with every `case_deadline` frame from now on; returns the unsubscribe. */
  onCaseDeadline(listener: (frame: CaseDeadlineFrame) => void): () => void {
    this.deadlineListeners.add(listener);
    return () => this.deadlineListeners.delete(listener);
  }

  private onFrame(frame: ServerFrame): void {
    if (frame.type === 'case_deadline') {
      // Not part of the chat state: the team's case list keeps its own (and announces it).
      this.deadlineListeners.forEach((listener) => listener(frame));
      return;
    }
    if (frame.type === 'welcome') {
      // Queue changes made while the socket was down are not replayed; re-read the lists instead.
      if (this.welcomedOnce) {
        void this.refreshInbox();
        void this.loadOffers();
        if (this.store.getState().view === 'board') void this.loadBoard();
        const active = this.store.getState().activeId;
        if (active) this.scheduleContextRefresh(active);
      }
      this.welcomedOnce = true;
      return;
    }
    if (frame.type === 'conversation' && frame.conversation.id === this.store.getState().activeId) {
      // Something about the open chat changed (accepted, transferred, an assistant action on the card).
      this.scheduleContextRefresh(frame.conversation.id);
    }
    if (frame.type === 'inbox') this.inboxFrameSeen = true;
    if (frame.type === 'offer') this.armOffer(frame.offer);
    if (frame.type === 'offer_closed') this.clearOfferTimers(frame.offerId);
    if (frame.type === 'conversation' && frame.conversation.status === 'closed') {
      // One of this agent's chats ended (e.g. by the cardmember): the server may now say `wrap_up`.
      const mine = this.store.getState().mine.some((c) => c.id === frame.conversation.id);
      if (mine) void this.refreshAgent();
    }
    if (frame.type === 'typing') this.armTypingExpiry(frame.conversationId, frame.state === 'start');
    this.applyFrame(frame);
  }

  private applyFrame(frame: ServerFrame): void {
    this.store.dispatch({ type: 'frame', frame });
  }

  private armTypingExpiry(conversationId: string, active: boolean): void {
    const old = this.typingTimers.get(conversationId);
    if (old !== undefined) this.timers.clearTimeout(old);
    this.typingTimers.delete(conversationId);
    if (!active) return;
    this.typingTimers.set(
      conversationId,
      this.timers.setTimeout(() => {
        this.typingTimers.delete(conversationId);
        this.store.dispatch({ type: 'typingExpired', conversationId });
      }, TYPING_TTL_MS),
    );
  }

  private scheduleContextRefresh(conversationId: string): void {
    this.cancelContextRefresh();
    const timer = this.timers.setTimeout(() => {
      this.contextRefresh = null;
      if (this.store.getState().activeId === conversationId) void this.loadContext(conversationId);
    }, CONTEXT_REFRESH_DEBOUNCE_MS);
    this.contextRefresh = { conversationId, timer };
  }

  private cancelContextRefresh(): void {
    if (this.contextRefresh) this.timers.clearTimeout(this.contextRefresh.timer);
    this.contextRefresh = null;
  }

  private teardown(): void {
    this.cancelContextRefresh();
    this.contextRequests.clear();
    if (this.ownTyping) this.timers.clearTimeout(this.ownTyping.stopTimer);
    this.ownTyping = null;
    for (const t of this.typingTimers.values()) this.timers.clearTimeout(t);
    this.typingTimers.clear();
    for (const id of [...this.offerTimers.keys()]) this.clearOfferTimers(id);
    this.teamsCache = null;
    this.socket?.stop();
    this.socket = null;
  }

  private handleSessionError(e: unknown): boolean {
    if (!isSessionError(e)) return false;
    this.sessionEnded();
    return true;
  }

  private fail(e: unknown): void {
    if (this.handleSessionError(e)) return;
    this.store.dispatch({ type: 'notice', key: e instanceof ApiError ? apiErrorKey(e.code) : 'error.generic' });
  }
}
