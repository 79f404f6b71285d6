/**
 * Orchestrates one widget: site token -> session -> socket, and the user's actions (send, end, new
 * chat, transcript). Holds the view state (via the reducer) and notifies the UI. No DOM access here:
 * the socket factory, HTTP client, storage, timers and file saving are passed in.
 */
import type {
  AccommodationResponse,
  ConversationView,
  ServerFrame,
  StepUpResponse,
  WidgetConversationResponse,
} from '@carechat/protocol/client';
import type { AccommodationApi } from './accommodation.js';
import { alreadyRated, createCsatApi, csatBody, shouldAskCsat, type CsatApi, type Score } from './csat.js';
import { ApiError, isAuthError, type Api } from './api.js';
import { socketUrl, type WidgetConfig } from './config.js';
import { browserTimers, Connection, type SocketFactory, type Timers } from './connection.js';
import { loadOutbox, type KeyValueStorage } from './outbox.js';
import { initialState, queueAnnouncementDueAt, reduce, type Action, type ViewState } from './state.js';
import { pendingPrompt, StepUpError, type StepUpApi } from './stepup.js';
import { TypingNotifier } from './typing.js';

export interface ControllerDeps {
  config: WidgetConfig;
  api: Api;
  createSocket: SocketFactory;
  storage: KeyValueStorage | null;
  saveFile(filename: string, text: string): void;
  timers?: Timers;
  /** Step-up verification calls; without them the widget offers no verification. */
  stepUp?: StepUpApi;
  /** Accommodation calls; without them the widget offers no accommodation note. */
  accommodation?: AccommodationApi;
  /** The post-chat survey call (default: the server's, through fetch). */
  csat?: CsatApi;
}

/** A remote "is typing" line disappears on its own if the matching `stop` never comes. */
const TYPING_TIMEOUT_MS = 15_000;

export class ChatController {
  state: ViewState;
  private readonly listeners = new Set<(state: ViewState) => void>();
  private readonly timers: Timers;
  private readonly outboxKey: string;
  private readonly openKey: string;
  private sessionToken: string | null = null;
  private connection: Connection | null = null;
  private starting: Promise<void> | null = null;
  private refreshing: Promise<boolean> | null = null;
  /** One session refresh per auth failure; reset once a socket is subscribed again. */
  private refreshedSinceOnline = false;
  private typingTimer: unknown = null;
  /** Announces a change of place in line held back by the once-a-minute pacing (state.ts). */
  private queueTimer: unknown = null;
  private queueTimerDue: number | null = null;
  /**
   * Set when the cardmember asks to sign out (before the reply: the 4403 may arrive first) or the
   * server says the session was revoked. From then on nothing mints a session; only a page reload does.
   */
  private signingOut = false;
  private revokedDuringSignOut = false;
  readonly typing: TypingNotifier;

  constructor(private readonly deps: ControllerDeps) {
    this.timers = deps.timers ?? browserTimers;
    this.state = initialState(deps.config.lang);
    this.outboxKey = `carechat.v1.outbox.${deps.config.cardId}`;
    this.openKey = `carechat.v1.open.${deps.config.cardId}`;
    this.typing = new TypingNotifier((s) => this.connection?.sendTyping(s), this.timers);
  }

  /** Registers a listener for state changes; returns the unsubscribe function. */
  subscribe(listener: (state: ViewState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private dispatch(action: Action): void {
    // Frames and loads carry the time, which paces queue announcements.
    if ((action.type === 'frame' || action.type === 'loaded') && action.at === undefined) {
      action = { ...action, at: this.timers.now() };
    }
    const next = reduce(this.state, action);
    if (next === this.state) return;
    this.state = next;
    this.scheduleQueueTick();
    for (const l of this.listeners) l(next);
  }

  private scheduleQueueTick(): void {
    const due = queueAnnouncementDueAt(this.state);
    if (due === this.queueTimerDue) return;
    this.timers.clearTimeout(this.queueTimer);
    this.queueTimer = null;
    this.queueTimerDue = due;
    if (due === null) return;
    this.queueTimer = this.timers.setTimeout(
      () => {
        this.queueTimer = null;
        this.queueTimerDue = null;
        this.dispatch({ type: 'queueTick', at: this.timers.now() });
      },
      Math.max(0, due - this.timers.now()),
    );
  }

  /** True when the last page view left the chat open or with unsent messages, so it should resume. */
  shouldResume(): boolean {
    try {
      return (
        this.deps.storage?.getItem(this.openKey) === '1' || loadOutbox(this.deps.storage, this.outboxKey).length > 0
      );
    } catch {
      return false;
    }
  }

  /** Shows the panel, starting the session the first time (or again after an error). */
  open(): void {
    this.remember(true);
    this.dispatch({ type: 'open', open: true });
    if (this.state.phase === 'idle' || this.state.phase === 'error') void this.start();
  }

  /** Hides the panel; the conversation and socket stay alive. */
  close(): void {
    this.remember(false);
    this.dispatch({ type: 'open', open: false });
  }

  private remember(open: boolean): void {
    try {
      if (open) this.deps.storage?.setItem(this.openKey, '1');
      else this.deps.storage?.removeItem(this.openKey);
    } catch {
      // storage unavailable: nothing to resume after a reload, which is fine
    }
  }

  /** Steps 1-2 (site token, widget session), then the socket. Safe to call again after an error. */
  start(): Promise<void> {
    if (this.signingOut || this.state.phase === 'signedOut') return Promise.resolve();
    this.starting ??= this.doStart().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private async doStart(): Promise<void> {
    this.connection?.stop();
    this.connection = null;
    this.dispatch({ type: 'starting' });
    try {
      const session = await this.deps.api.createSession(await this.deps.api.siteToken());
      this.sessionToken = session.sessionToken;
      this.dispatch({ type: 'loaded', conversation: session.conversation, messages: session.messages, reset: true });
      this.connect(session.conversation.id);
    } catch (e) {
      this.fail(e);
    }
  }

  private connect(conversationId: string): void {
    const connection = new Connection({
      url: socketUrl(this.deps.config.serverUrl),
      sessionToken: this.sessionToken!,
      conversationId,
      getLastSeq: () => this.state.lastSeq,
      createSocket: this.deps.createSocket,
      timers: this.timers,
      storage: this.deps.storage,
      storageKey: this.outboxKey,
      events: {
        frame: (frame) => this.onFrame(frame),
        status: (status) => {
          if (status === 'online') this.refreshedSinceOnline = false;
          this.dispatch({ type: 'connection', status });
        },
        outbox: (items) => this.dispatch({ type: 'outbox', items: [...items] }),
        authFailed: (_code, reason) => void this.onAuthFailed(reason),
        fatal: (code) => this.dispatch({ type: 'failed', code }),
        openFailed: (count) => {
          // A rejected upgrade (401 expired session) is indistinguishable from a network error in a
          // browser, so ask over HTTP now and then; the answer also fills in missed messages.
          if (count % 3 === 2) void this.catchUp();
        },
      },
    });
    this.connection = connection;
    connection.reconcile(this.state.messages);
    this.dispatch({ type: 'outbox', items: [...connection.outbox] });
    connection.start();
  }

  private onFrame(frame: ServerFrame): void {
    this.dispatch({ type: 'frame', frame });
    if (frame.type === 'typing') {
      this.timers.clearTimeout(this.typingTimer);
      if (this.state.typing) {
        this.typingTimer = this.timers.setTimeout(() => this.dispatch({ type: 'typingTimeout' }), TYPING_TIMEOUT_MS);
      }
    }
    if ((frame.type === 'conversation' || frame.type === 'subscribed') && frame.conversation.status === 'closed') {
      this.typing.stop();
    }
    if (frame.type === 'conversation' || frame.type === 'subscribed') this.followStepUp();
  }

  /** Fetches messages newer than lastSeq over HTTP; an auth failure there triggers a session refresh. */
  private async catchUp(): Promise<void> {
    const conversation = this.state.conversation;
    if (!conversation || !this.sessionToken) return;
    try {
      const messages = await this.deps.api.messagesAfter(this.sessionToken, conversation.id, this.state.lastSeq);
      this.dispatch({ type: 'messages', messages });
    } catch (e) {
      if (isAuthError(e)) {
        this.connection?.stop();
        await this.onAuthFailed();
      }
    }
  }

  private async onAuthFailed(reason = ''): Promise<void> {
    // Our own sign-out in flight: signOut() finishes the job. Revoked elsewhere: never re-mint.
    if (this.signingOut) {
      if (reason === 'session_revoked') this.revokedDuringSignOut = true;
      return;
    }
    if (reason === 'session_revoked') {
      this.signedOut('revoked');
      return;
    }
    if (this.refreshedSinceOnline) {
      this.connection?.stop();
      this.dispatch({ type: 'failed', code: 'session_expired' });
      return;
    }
    this.refreshedSinceOnline = true;
    if (await this.refresh()) this.connection?.start();
  }

  /** Re-runs steps 1-2 for a fresh session token, keeping the conversation on screen. */
  private refresh(): Promise<boolean> {
    if (this.signingOut || this.state.phase === 'signedOut') return Promise.resolve(false);
    this.refreshing ??= (async () => {
      try {
        const session = await this.deps.api.createSession(await this.deps.api.siteToken());
        this.sessionToken = session.sessionToken;
        this.connection?.setSessionToken(session.sessionToken);
        const current = this.state.conversation;
        if (!current || current.id === session.conversation.id) {
          this.dispatch({
            type: 'loaded',
            conversation: session.conversation,
            messages: session.messages,
            reset: false,
          });
        } else if (current.status !== 'closed') {
          // The chat we showed was closed meanwhile and the server opened a new one.
          this.adopt(session, true);
        }
        return true;
      } catch (e) {
        this.fail(e);
        return false;
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  /** Runs an authenticated call, refreshing the session once if it has expired. */
  private async withSession<T>(call: (token: string) => Promise<T>): Promise<T> {
    if (!this.sessionToken) throw new ApiError('unauthorized', 401);
    try {
      return await call(this.sessionToken);
    } catch (e) {
      if (!isAuthError(e) || !(await this.refresh())) throw e;
      return call(this.sessionToken);
    }
  }

  private adopt(response: WidgetConversationResponse, reset: boolean): void {
    this.dispatch({ type: 'loaded', conversation: response.conversation, messages: response.messages, reset });
    this.connection?.setConversation(response.conversation.id);
    this.connection?.reconcile(response.messages);
  }

  private fail(error: unknown): void {
    const code = error instanceof ApiError ? error.code : 'internal';
    this.dispatch({ type: 'failed', code: code === 'unauthorized' ? 'session_expired' : code });
  }

  // ------------------------------------------------------------ user actions

  /** Queues a message; false when there is nothing to send or no open conversation yet. */
  send(text: string): boolean {
    const body = text.trim();
    const c = this.state.conversation;
    if (!body || !this.connection || this.state.phase !== 'ready' || !c || c.status === 'closed') return false;
    this.typing.stop();
    this.connection.send(body);
    return true;
  }

  /** Sends a failed message again with its original clientMsgId. */
  retrySend(clientMsgId: string): void {
    this.connection?.retry(clientMsgId);
  }

  /** Removes a failed message from the outbox and returns its text for editing. */
  takeBack(clientMsgId: string): string {
    const item = this.state.outbox.find((i) => i.clientMsgId === clientMsgId);
    this.connection?.discard(clientMsgId);
    return item?.body ?? '';
  }

  /** Ends the conversation for everyone; the closed status arrives as a frame (or in the reply). */
  async end(): Promise<void> {
    const c = this.state.conversation;
    if (!c) return;
    try {
      const res = await this.withSession((token) => this.deps.api.endConversation(token, c.id));
      if (res.conversation)
        this.dispatch({ type: 'frame', frame: { type: 'conversation', conversation: res.conversation } });
    } catch (e) {
      this.dispatch({ type: 'notice', code: e instanceof ApiError ? e.code : 'internal' });
    }
  }

  /**
   * "End chat and sign out": ends the open chat and revokes this session on the server, which closes
   * every socket of it (other tabs included, with `session_revoked`). Never refreshes the session.
   */
  async signOut(): Promise<void> {
    const token = this.sessionToken;
    if (!token || this.signingOut || this.state.phase === 'signedOut') return;
    this.signingOut = true;
    this.typing.stop();
    try {
      const res = await this.deps.api.endSession(token);
      this.signedOut('self', res.conversation);
      this.remember(false);
    } catch (e) {
      // The reply was lost but the server's revoke reached our socket: the sign-out did happen.
      if (this.revokedDuringSignOut) return this.signedOut('self');
      this.signingOut = false;
      this.dispatch({ type: 'notice', code: e instanceof ApiError && e.code === 'network' ? 'network' : 'signout' });
    }
  }

  private signedOut(by: 'self' | 'revoked', conversation?: ConversationView | null): void {
    this.signingOut = true;
    this.connection?.stop();
    this.connection = null;
    this.sessionToken = null;
    this.dispatch({ type: 'signedOut', by, conversation });
  }

  /** Starts a new conversation for the same card after the last one ended. */
  async newChat(): Promise<void> {
    try {
      const res = await this.withSession((token) => this.deps.api.newConversation(token));
      this.adopt(res, true);
    } catch (e) {
      this.dispatch({ type: 'notice', code: e instanceof ApiError ? e.code : 'internal' });
    }
  }

  /** Downloads the plain-text transcript of the current conversation. */
  async downloadTranscript(): Promise<void> {
    const c = this.state.conversation;
    if (!c) return;
    try {
      const text = await this.withSession((token) => this.deps.api.transcript(token, c.id));
      this.deps.saveFile(`carechat-transcript-${c.id}.txt`, text);
    } catch (e) {
      this.dispatch({ type: 'notice', code: isAuthError(e) ? 'session_expired' : 'transcript' });
    }
  }

  // ------------------------------------------------------------ post-chat survey

  /** Chats whose survey was answered or skipped in this page (it is asked once). */
  private readonly csatDone = new Set<string>();

  /** Whether to ask "How was your chat with …?" for the current chat. */
  get askCsat(): boolean {
    return shouldAskCsat(this.state.conversation, this.csatDone);
  }

  /** Sends the rating (the server redacts the comment). Throws ApiError; an "already rated" 409 counts as sent. */
  async submitCsat(conversationId: string, score: Score, comment: string): Promise<void> {
    const api = this.deps.csat ?? (this.csatApi ??= createCsatApi(this.deps.config));
    try {
      await this.withSession((token) => api.submit(token, conversationId, csatBody(score, comment)));
    } catch (e) {
      if (!alreadyRated(e)) throw e;
    }
    this.csatDone.add(conversationId);
  }

  /** The cardmember skipped (or finished) the survey: not asked again for this chat. */
  dismissCsat(conversationId: string): void {
    this.csatDone.add(conversationId);
  }

  private csatApi: CsatApi | null = null;

  // ------------------------------------------------------------ accommodation

  /** Whether the cardmember can note an accommodation (the API is wired in). */
  get canNoteAccommodation(): boolean {
    return !!this.deps.accommodation;
  }

  /** The current chat's accommodation (the server keeps it off the conversation the widget sees). */
  async loadAccommodation(conversationId: string): Promise<AccommodationResponse> {
    const api = this.deps.accommodation;
    if (!api) throw new ApiError('internal', 0);
    return this.withSession((token) => api.get(token, conversationId));
  }

  /** Notes (empty: removes) the accommodation; returns what the server stored, redacted. Throws ApiError. */
  async saveAccommodation(
    conversationId: string,
    note: string,
    saveForFuture: boolean,
  ): Promise<AccommodationResponse> {
    const api = this.deps.accommodation;
    if (!api) throw new ApiError('internal', 0);
    return this.withSession((token) => api.save(token, conversationId, note, saveForFuture));
  }

  // ------------------------------------------------------------ step-up verification

  /** Whether this widget can verify the cardmember (the step-up API is wired in). */
  get canStepUp(): boolean {
    return !!this.deps.stepUp;
  }

  /** Opens (or switches) the verification panel: a device prompt, or the card + ZIP questions. */
  openStepUp(mode: 'device' | 'challenge' = 'device'): void {
    this.dispatch({ type: 'stepUp', patch: { open: true, mode, error: null } });
  }

  closeStepUp(): void {
    this.dispatch({ type: 'stepUp', patch: { open: false, error: null } });
  }

  /** Sends an Approve / Deny prompt to the cardmember's registered device. */
  async requestDevicePrompt(): Promise<void> {
    await this.stepUpCall((api, token, id) => api.requestDevicePrompt(token, id));
  }

  /** Answers the last-4 + ZIP challenge over HTTP (never as chat text). True when verified. */
  async answerChallenge(last4: string, zip: string): Promise<boolean> {
    const ok = await this.stepUpCall((api, token, id) => api.answerChallenge(token, id, last4, zip));
    if (ok) this.dispatch({ type: 'stepUp', patch: { open: false } });
    return ok;
  }

  private async stepUpCall(
    call: (api: StepUpApi, token: string, conversationId: string) => Promise<StepUpResponse>,
  ): Promise<boolean> {
    const api = this.deps.stepUp;
    const c = this.state.conversation;
    if (!api || !c || this.state.stepUp.busy) return false;
    this.dispatch({ type: 'stepUp', patch: { busy: true, error: null } });
    try {
      const r = await this.withSession((token) => call(api, token, c.id));
      this.dispatch({ type: 'frame', frame: { type: 'conversation', conversation: r.conversation } });
      this.dispatch({ type: 'stepUp', patch: { busy: false, demoDeviceUrl: r.demoDeviceUrl ?? null } });
      return true;
    } catch (e) {
      const error =
        e instanceof StepUpError
          ? { code: e.code, attemptsLeft: e.attemptsLeft, lockedUntil: e.lockedUntil }
          : { code: e instanceof ApiError ? e.code : 'internal', attemptsLeft: null, lockedUntil: null };
      this.dispatch({ type: 'stepUp', patch: { busy: false, error } });
      return false;
    }
  }

  /**
   * Keeps the step-up panel in step with the conversation: a prompt an agent sent fetches the demo
   * device link once; an answered or expired prompt drops it; verification closes the panel.
   */
  private stepUpLinkFor: string | null = null;
  private followStepUp(): void {
    const c = this.state.conversation;
    const prompt = pendingPrompt(c, this.timers.now());
    const s = this.state.stepUp;
    if (!prompt) {
      if (s.demoDeviceUrl) this.dispatch({ type: 'stepUp', patch: { demoDeviceUrl: null } });
      if (c?.assurance?.level === 'verified' && s.open) this.dispatch({ type: 'stepUp', patch: { open: false } });
      return;
    }
    const api = this.deps.stepUp;
    if (!api || !c || this.stepUpLinkFor === prompt.id) return;
    this.stepUpLinkFor = prompt.id;
    // A new prompt (perhaps sent by the agent) opens the panel, which then also tells how it ended.
    if (!s.open) this.dispatch({ type: 'stepUp', patch: { open: true, mode: 'device', error: null } });
    if (s.demoDeviceUrl) return;
    void this.withSession((token) => api.state(token, c.id))
      .then((r) => {
        if (r.demoDeviceUrl && r.prompt?.id === prompt.id) {
          this.dispatch({ type: 'stepUp', patch: { demoDeviceUrl: r.demoDeviceUrl } });
        }
      })
      .catch(() => undefined);
  }

  /** Clears the current notice (the user dismissed it or acted on it). */
  dismissNotice(): void {
    this.dispatch({ type: 'notice', code: null });
  }
}
