/**
 * The widget's WebSocket client: handshake, subscribe/resume, heartbeat, reconnect with backoff, and
 * the outbox that guarantees every typed message reaches the server exactly once (same clientMsgId on
 * every retry; the server returns the first result for a repeat). A draining server's `reconnect` frame
 * (then close 1012) is a planned move, not a failure: wait its `retryAfterMs`, reconnect, resume. Pure TypeScript: the socket factory,
 * timers, randomness and storage are injected so tests drive it with fakes.
 */
import {
  AUTH_SUBPROTOCOL_PREFIX,
  CloseCode,
  PROTOCOL_VERSION,
  SUBPROTOCOL,
  type ClientFrame,
  type ErrorFrame,
  type Message,
  type ServerFrame,
} from '@carechat/protocol/client';
import { loadOutbox, newClientMsgId, saveOutbox, type KeyValueStorage, type OutboxItem } from './outbox.js';

/** The part of the browser WebSocket this client uses. */
export interface SocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}
export type SocketFactory = (url: string, protocols: string[]) => SocketLike;

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export const browserTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

/** `online` means subscribed: messages flow. */
export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting' | 'stopped';

export interface ConnectionEvents {
  /** Every server frame, after the connection has updated its own bookkeeping. */
  frame(frame: ServerFrame): void;
  status(status: ConnectionStatus): void;
  outbox(items: OutboxItem[]): void;
  /**
   * Closed with 4401/4403: the session is no longer valid. `reason` is the close reason
   * (`session_revoked` means it was ended on purpose: do not get a new one silently).
   */
  authFailed(code: number, reason: string): void;
  /** Closed for a reason reconnecting cannot fix (unsupported protocol, frame too big). */
  fatal(code: string): void;
  /** The socket closed before it ever opened, `count` times in a row (an upgrade rejected with 401 looks like this). */
  openFailed?(count: number): void;
}

export interface ConnectionOptions {
  url: string;
  sessionToken: string;
  conversationId: string;
  /** Highest contiguous seq the view holds; sent on (re)subscribe so the server replays the rest. */
  getLastSeq(): number;
  createSocket: SocketFactory;
  events: ConnectionEvents;
  timers?: Timers;
  random?: () => number;
  storage?: KeyValueStorage | null;
  storageKey?: string;
  newId?: () => string;
  /** Re-send an un-acked item after this long on a healthy connection. */
  ackTimeoutMs?: number;
}

const DEFAULT_HEARTBEAT_MS = 25_000;
const DEFAULT_ACK_TIMEOUT_MS = 10_000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 10_000;
/** A close 1012 without a `reconnect` frame first: spread the reconnect over this long. */
const MOVE_SPREAD_MS = 2_000;
/** Longest wait a `reconnect` frame may ask for. */
const MOVE_MAX_MS = 30_000;
/** After `reconnect`, how long the server may take to close before the client leaves by itself. */
const MOVE_CLOSE_GRACE_MS = 5_000;

/** Exponential backoff with "equal jitter": half fixed, half random, capped. */
export function backoffDelay(
  attempt: number,
  random: () => number,
  baseMs = BACKOFF_BASE_MS,
  capMs = BACKOFF_CAP_MS,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Errors after which a send will not succeed unchanged; the user must edit (or retry later). */
const FAILING_SEND_ERRORS = new Set([
  'message_too_long',
  'message_empty',
  'conversation_closed',
  'conversation_not_found',
  'forbidden',
  'bad_frame',
  'frame_too_large',
]);

/** `moving`: the server asked us to reconnect elsewhere; nothing new is sent until the next socket. */
type Phase = 'closed' | 'opening' | 'hello' | 'subscribing' | 'ready' | 'moving';

export class Connection {
  private readonly o: ConnectionOptions;
  private readonly timers: Timers;
  private readonly random: () => number;
  private socket: SocketLike | null = null;
  private phase: Phase = 'closed';
  private stopped = true;
  private attempt = 0;
  private failedOpens = 0;
  private opened = false;
  private heartbeatMs = DEFAULT_HEARTBEAT_MS;
  private lastFrameAt = 0;
  private reconnectTimer: unknown = null;
  private heartbeatTimer: unknown = null;
  private ackTimer: unknown = null;
  private retryTimers = new Map<string, unknown>();
  private retryCounts = new Map<string, number>();
  private sentAt = new Map<string, number>();
  private items: OutboxItem[];
  private token: string;
  private conversationId: string;
  private pingCount = 0;
  private rateLimitHits = 0;
  /** When the server asked us to move: the time to reconnect at. */
  private moveAt: number | null = null;

  constructor(options: ConnectionOptions) {
    this.o = options;
    this.timers = options.timers ?? browserTimers;
    this.random = options.random ?? Math.random;
    this.token = options.sessionToken;
    this.conversationId = options.conversationId;
    this.items = loadOutbox(options.storage ?? null, this.storageKey);
    this.retarget(this.conversationId);
  }

  private get storageKey(): string {
    return this.o.storageKey ?? 'carechat.outbox';
  }

  /** Un-acked messages, oldest first. */
  get outbox(): readonly OutboxItem[] {
    return this.items;
  }

  get isOnline(): boolean {
    return this.phase === 'ready';
  }

  /** Opens the socket (and keeps reopening it) until stop(). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt = 0;
    this.failedOpens = 0;
    this.open('connecting');
  }

  /** Closes for good (the conversation is kept; start() again resumes it). */
  stop(): void {
    this.stopped = true;
    this.moveAt = null;
    this.teardown(CloseCode.normal);
    this.o.events.status('stopped');
  }

  /** Uses a new session token from the next (re)connect on. */
  setSessionToken(token: string): void {
    this.token = token;
  }

  /** Switches to another conversation (a new chat); unsent items of the old one become failed. */
  setConversation(conversationId: string): void {
    if (conversationId === this.conversationId) return;
    const previous = this.conversationId;
    this.conversationId = conversationId;
    this.retarget(conversationId);
    this.emitOutbox();
    if (this.phase === 'ready' || this.phase === 'subscribing') {
      this.transmit({ type: 'unsubscribe', conversationId: previous });
      this.subscribe();
    }
  }

  /** Queues a message and sends it when the connection is ready; returns its clientMsgId. */
  send(body: string): string {
    const item: OutboxItem = {
      clientMsgId: (this.o.newId ?? newClientMsgId)(),
      conversationId: this.conversationId,
      body,
      status: 'pending',
      createdAt: new Date(this.timers.now()).toISOString(),
    };
    this.items = [...this.items, item];
    this.persist();
    this.emitOutbox();
    if (this.phase === 'ready') this.transmitItem(item);
    return item.clientMsgId;
  }

  /** Tries a failed item again with its original clientMsgId. */
  retry(clientMsgId: string): void {
    this.update(clientMsgId, (item) => ({
      ...item,
      status: 'pending',
      error: undefined,
      conversationId: this.conversationId,
    }));
    const item = this.items.find((i) => i.clientMsgId === clientMsgId);
    if (item && this.phase === 'ready') this.transmitItem(item);
  }

  /** Drops an item (the user took its text back to edit). */
  discard(clientMsgId: string): void {
    this.clearRetry(clientMsgId);
    this.items = this.items.filter((i) => i.clientMsgId !== clientMsgId);
    this.persist();
    this.emitOutbox();
  }

  /** Removes items the server already stored (seen in history), so they are not shown twice. */
  reconcile(messages: readonly Message[]): void {
    const stored = new Set(
      messages.filter((m) => m.author.role === 'cardmember' && m.clientMsgId).map((m) => m.clientMsgId),
    );
    if (!this.items.some((i) => stored.has(i.clientMsgId))) return;
    for (const i of this.items) if (stored.has(i.clientMsgId)) this.clearRetry(i.clientMsgId);
    this.items = this.items.filter((i) => !stored.has(i.clientMsgId));
    this.persist();
    this.emitOutbox();
  }

  /** Tells the others the cardmember is (or stopped) typing; dropped while offline. */
  sendTyping(state: 'start' | 'stop'): void {
    if (this.phase === 'ready') this.transmit({ type: 'typing', conversationId: this.conversationId, state });
  }

  // ------------------------------------------------------------ socket lifecycle

  private open(status: ConnectionStatus): void {
    this.o.events.status(status);
    this.opened = false;
    this.phase = 'opening';
    let socket: SocketLike;
    try {
      socket = this.o.createSocket(this.o.url, [SUBPROTOCOL, AUTH_SUBPROTOCOL_PREFIX + this.token]);
    } catch {
      this.phase = 'closed';
      this.handleClose(1006);
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.opened = true;
      this.phase = 'hello';
      this.lastFrameAt = this.timers.now();
      this.transmit({ type: 'hello', protocol: PROTOCOL_VERSION, client: 'carechat-widget' });
    };
    socket.onmessage = (ev) => {
      if (this.socket !== socket) return;
      this.lastFrameAt = this.timers.now();
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(ev.data)) as ServerFrame;
      } catch {
        return;
      }
      if (frame && typeof frame === 'object' && typeof frame.type === 'string') this.onFrame(frame);
    };
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.phase = 'closed';
      this.handleClose(ev.code, ev.reason ?? '');
    };
    socket.onerror = () => {
      // A close event always follows; reconnecting is decided there.
    };
  }

  private teardown(code: number): void {
    this.timers.clearTimeout(this.reconnectTimer);
    this.timers.clearTimeout(this.heartbeatTimer);
    this.timers.clearTimeout(this.ackTimer);
    this.reconnectTimer = this.heartbeatTimer = this.ackTimer = null;
    for (const id of [...this.retryTimers.keys()]) this.clearRetry(id);
    const socket = this.socket;
    this.socket = null;
    this.phase = 'closed';
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      try {
        socket.close(code);
      } catch {
        // already closing
      }
    }
  }

  private handleClose(code: number, reason = ''): void {
    this.teardown(CloseCode.normal);
    if (this.stopped) return;
    if (this.moveAt !== null || code === CloseCode.serviceRestart) {
      // A planned move (the node is draining): not an error, no backoff step, no failed open.
      const delay =
        this.moveAt !== null
          ? Math.max(0, this.moveAt - this.timers.now())
          : Math.round(this.random() * MOVE_SPREAD_MS);
      this.moveAt = null;
      this.attempt = 0;
      this.o.events.status('reconnecting');
      this.reconnectTimer = this.timers.setTimeout(() => {
        this.reconnectTimer = null;
        if (!this.stopped) this.open('reconnecting');
      }, delay);
      return;
    }
    if (code === CloseCode.unauthorized || code === CloseCode.sessionExpired) {
      this.stopped = true;
      this.o.events.status('stopped');
      this.o.events.authFailed(code, reason);
      return;
    }
    if (code === CloseCode.unsupportedProtocol || code === CloseCode.tooBig) {
      this.stopped = true;
      this.o.events.status('stopped');
      this.o.events.fatal(code === CloseCode.tooBig ? 'frame_too_large' : 'unsupported_protocol');
      return;
    }
    if (!this.opened) {
      this.failedOpens++;
      this.o.events.openFailed?.(this.failedOpens);
    }
    // Flooding closes get a longer pause so the retry does not trip the limiter again.
    const attempt = code === CloseCode.rateLimited ? Math.max(this.attempt, 4) : this.attempt;
    const delay = backoffDelay(attempt, this.random);
    this.attempt++;
    this.o.events.status('reconnecting');
    this.reconnectTimer = this.timers.setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.stopped) this.open('reconnecting');
    }, delay);
  }

  /** Drops the current socket as dead (no traffic for two heartbeats) and reconnects. */
  private abandon(): void {
    this.abandonSocket(this.socket, 4000, 'heartbeat timeout');
  }

  private abandonSocket(socket: SocketLike | null, code: number, reason: string): void {
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      try {
        socket.close(code, reason);
      } catch {
        // ignore
      }
    }
    this.socket = null;
    this.phase = 'closed';
    this.handleClose(1006);
  }

  // ------------------------------------------------------------ frames

  private onFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'welcome':
        this.heartbeatMs = frame.heartbeatMs > 0 ? frame.heartbeatMs : DEFAULT_HEARTBEAT_MS;
        this.attempt = 0;
        this.failedOpens = 0;
        this.scheduleHeartbeat();
        this.subscribe();
        break;
      case 'subscribed':
        // While moving, the socket is on its way out: the next one subscribes again.
        if (frame.conversationId === this.conversationId && this.phase !== 'moving') {
          this.phase = 'ready';
          this.o.events.frame(frame);
          this.o.events.status('online');
          // Resume: everything not acked goes again with its original clientMsgId, oldest first.
          for (const item of this.items) if (item.status === 'pending') this.transmitItem(item);
          return;
        }
        break;
      case 'ack':
        this.o.events.frame(frame);
        this.settle(frame.clientMsgId);
        return;
      case 'message':
        this.o.events.frame(frame);
        // The message echo proves the item is stored even if its ack was lost.
        if (frame.message?.author?.role === 'cardmember' && frame.message.clientMsgId)
          this.settle(frame.message.clientMsgId);
        return;
      case 'error':
        this.onError(frame);
        break;
      case 'reconnect':
        this.onReconnectRequest(frame.retryAfterMs);
        break;
    }
    this.o.events.frame(frame);
  }

  /**
   * The server is draining: stop sending (typed messages wait in the outbox), keep reading the acks
   * still coming, and once it closes (or after a grace period, if it does not) reconnect after the
   * delay it asked for. The next socket resumes by lastSeq and re-sends whatever is still un-acked.
   */
  private onReconnectRequest(retryAfterMs: unknown): void {
    const wait = typeof retryAfterMs === 'number' && retryAfterMs > 0 ? Math.min(retryAfterMs, MOVE_MAX_MS) : 0;
    this.moveAt = this.timers.now() + wait;
    this.phase = 'moving';
    this.o.events.status('reconnecting');
    this.timers.clearTimeout(this.reconnectTimer);
    const socket = this.socket;
    this.reconnectTimer = this.timers.setTimeout(() => {
      this.reconnectTimer = null;
      if (this.socket !== socket || !socket) return;
      this.abandonSocket(socket, CloseCode.normal, 'moving');
    }, wait + MOVE_CLOSE_GRACE_MS);
  }

  private onError(frame: ErrorFrame): void {
    const id = frame.clientMsgId;
    if (frame.code === 'rate_limited' && !id) {
      // The server does not say which frame it dropped: any send in flight may be the one.
      this.rateLimitHits++;
      for (const item of this.items) if (this.sentAt.has(item.clientMsgId)) this.sentAt.set(item.clientMsgId, 0);
      this.timers.clearTimeout(this.ackTimer);
      this.ackTimer = null;
      this.scheduleAckCheck(backoffDelay(this.rateLimitHits, this.random, 1000));
      return;
    }
    if (!id || !this.items.some((i) => i.clientMsgId === id)) return;
    if (frame.code === 'rate_limited') {
      // The frame was dropped; keep the item and send it again a little later.
      const n = (this.retryCounts.get(id) ?? 0) + 1;
      this.retryCounts.set(id, n);
      this.clearRetryTimer(id);
      this.retryTimers.set(
        id,
        this.timers.setTimeout(
          () => {
            this.retryTimers.delete(id);
            const item = this.items.find((i) => i.clientMsgId === id);
            if (item && item.status === 'pending' && this.phase === 'ready') this.transmitItem(item);
          },
          backoffDelay(n, this.random, 1000),
        ),
      );
      return;
    }
    if (FAILING_SEND_ERRORS.has(frame.code)) {
      this.clearRetry(id);
      this.update(id, (item) => ({ ...item, status: 'failed', error: frame.code }));
    }
  }

  private subscribe(): void {
    this.phase = 'subscribing';
    this.transmit({ type: 'subscribe', conversationId: this.conversationId, lastSeq: this.o.getLastSeq() });
  }

  private transmitItem(item: OutboxItem): void {
    this.sentAt.set(item.clientMsgId, this.timers.now());
    this.transmit({
      type: 'send',
      conversationId: item.conversationId,
      clientMsgId: item.clientMsgId,
      body: item.body,
    });
    this.scheduleAckCheck();
  }

  private transmit(frame: ClientFrame): void {
    try {
      this.socket?.send(JSON.stringify(frame));
    } catch {
      // The close handler reconnects and the outbox re-sends.
    }
  }

  // ------------------------------------------------------------ timers

  private scheduleHeartbeat(): void {
    this.timers.clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = this.timers.setTimeout(() => {
      this.heartbeatTimer = null;
      if (!this.socket) return;
      if (this.timers.now() - this.lastFrameAt > this.heartbeatMs * 2) {
        this.abandon();
        return;
      }
      this.transmit({ type: 'ping', nonce: String(++this.pingCount) });
      this.scheduleHeartbeat();
    }, this.heartbeatMs);
  }

  /** While items are in flight, re-send any whose ack is overdue (a dropped frame, a lost reply). */
  private scheduleAckCheck(delay?: number): void {
    if (this.ackTimer) return;
    const timeout = this.o.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
    this.ackTimer = this.timers.setTimeout(() => {
      this.ackTimer = null;
      if (this.phase !== 'ready') return;
      const now = this.timers.now();
      let waiting = false;
      for (const item of this.items) {
        if (item.status !== 'pending' || this.retryTimers.has(item.clientMsgId)) continue;
        const sent = this.sentAt.get(item.clientMsgId) ?? 0;
        if (now - sent >= timeout) this.transmitItem(item);
        else waiting = true;
      }
      if (waiting) this.scheduleAckCheck();
    }, delay ?? timeout);
  }

  // ------------------------------------------------------------ outbox bookkeeping

  private settle(clientMsgId: string): void {
    if (!this.items.some((i) => i.clientMsgId === clientMsgId)) return;
    this.rateLimitHits = 0;
    this.clearRetry(clientMsgId);
    this.items = this.items.filter((i) => i.clientMsgId !== clientMsgId);
    this.persist();
    this.emitOutbox();
  }

  private update(clientMsgId: string, change: (item: OutboxItem) => OutboxItem): void {
    this.items = this.items.map((i) => (i.clientMsgId === clientMsgId ? change(i) : i));
    this.persist();
    this.emitOutbox();
  }

  /** Items left over from another (ended) conversation are shown as failed so the text is not lost. */
  private retarget(conversationId: string): void {
    if (!this.items.some((i) => i.conversationId !== conversationId)) return;
    this.items = this.items.map((i) =>
      i.conversationId === conversationId
        ? i
        : { ...i, conversationId, status: 'failed', error: 'conversation_closed' },
    );
    this.persist();
  }

  private clearRetryTimer(id: string): void {
    const t = this.retryTimers.get(id);
    if (t !== undefined) this.timers.clearTimeout(t);
    this.retryTimers.delete(id);
  }

  private clearRetry(id: string): void {
    this.clearRetryTimer(id);
    this.retryCounts.delete(id);
    this.sentAt.delete(id);
  }

  private persist(): void {
    saveOutbox(this.o.storage ?? null, this.storageKey, this.items);
  }

  private emitOutbox(): void {
    this.o.events.outbox(this.items);
  }
}
