/**
 * The console's WebSocket client: handshake, resubscribe-with-lastSeq after every reconnect, an outbox
 * of un-acked sends that are re-sent with the SAME clientMsgId (the server dedupes on it), heartbeat,
 * and exponential backoff with jitter. A draining server's `reconnect` frame (then close 1012) is a
 * planned move, not a failure: wait its `retryAfterMs`, reconnect, resume. No DOM or global timers are
 * touched directly, so it runs in Node tests with a fake socket and fake timers.
 */
import {
  CloseCode,
  PROTOCOL_VERSION,
  SUBPROTOCOL,
  type ClientFrame,
  type ServerFrame,
} from '@carechat/protocol/client';

/** The part of the browser WebSocket this client uses. */
export interface WebSocketLike {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type SocketFactory = (url: string, protocols: string[]) => WebSocketLike;

export type TimerHandle = unknown;
export interface Timers {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  setInterval(fn: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle): void;
}

/** `connecting`: first attempt; `online`: welcomed; `reconnecting`: waiting or retrying; `stopped`: done. */
export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting' | 'stopped';

export interface SocketEvents {
  /** Every known server frame, after the client has updated its own bookkeeping. */
  frame(frame: ServerFrame): void;
  status(status: ConnectionStatus): void;
  /** The server ended the session (4401 / 4403, or a refused upgrade with a dead session). */
  sessionEnded(): void;
}

export interface ConsoleSocketOptions {
  url: string;
  on: SocketEvents;
  createSocket?: SocketFactory;
  timers?: Timers;
  random?: () => number;
  newId?: () => string;
  backoff?: { baseMs: number; maxMs: number };
  /** Delay before re-sending a frame the server dropped with `rate_limited`. */
  rateLimitRetryMs?: number;
  /**
   * Browsers report a refused upgrade (401) as a bare close 1006, indistinguishable from a network
   * failure. When a connection dies before opening, this asks the server whether the session still
   * lives; `false` ends the session instead of retrying forever.
   */
  checkSession?: () => Promise<boolean>;
}

const KNOWN_FRAMES = new Set<ServerFrame['type']>([
  'welcome',
  'subscribed',
  'ack',
  'message',
  'conversation',
  'typing',
  'inbox',
  'error',
  'pong',
  // live operations: routing offers for this agent, the supervisor board
  'offer',
  'offer_closed',
  'board',
  // a case deadline of one of this agent's teams warned or missed (components/TeamCases.tsx)
  'case_deadline',
  // the node is draining: reconnect (to another node) after retryAfterMs
  'reconnect',
]);

/** A close 1012 without a `reconnect` frame first: spread the reconnect over this long. */
const MOVE_SPREAD_MS = 2_000;
/** Longest wait a `reconnect` frame may ask for. */
const MOVE_MAX_MS = 30_000;
/** After the wait, how much longer the server may take to close before the client leaves by itself. */
const MOVE_CLOSE_GRACE_MS = 5_000;

const defaultTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
  setInterval: (fn, ms) => globalThis.setInterval(fn, ms),
  clearInterval: (h) => globalThis.clearInterval(h as ReturnType<typeof setInterval>),
};

const defaultFactory: SocketFactory = (url, protocols) => new WebSocket(url, protocols) as unknown as WebSocketLike;

/** `ws(s)://<host>/ws` for the page's own origin. */
export function socketUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

/** Backoff delay for the n-th consecutive failure (0-based): half fixed, half random ("equal jitter"). */
export function backoffDelay(attempt: number, random: number, baseMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random * ceiling) / 2);
}

type SendFrame = Extract<ClientFrame, { type: 'send' }>;

export class ConsoleSocket {
  private ws: WebSocketLike | null = null;
  private opened = false;
  private welcomed = false;
  private stopped = false;
  private attempt = 0;
  private reconnectTimer: TimerHandle | null = null;
  private heartbeatTimer: TimerHandle | null = null;
  private awaitingPong = false;
  private pingCounter = 0;
  /** Set by a `reconnect` frame until the next socket; `due` once its retryAfterMs has passed. */
  private moving: { due: boolean } | null = null;
  /** conversationId -> highest seq held. Insertion order is the resubscribe order. */
  private readonly subscriptions = new Map<string, number>();
  /** clientMsgId -> frame, in send order. Cleared only by ack, by the stored message, or a final error. */
  private readonly outbox = new Map<string, SendFrame>();
  private readonly retryTimers = new Map<string, TimerHandle>();

  private readonly createSocket: SocketFactory;
  private readonly timers: Timers;
  private readonly random: () => number;
  private readonly newId: () => string;
  private readonly backoff: { baseMs: number; maxMs: number };
  private readonly rateLimitRetryMs: number;

  constructor(private readonly options: ConsoleSocketOptions) {
    this.createSocket = options.createSocket ?? defaultFactory;
    this.timers = options.timers ?? defaultTimers;
    this.random = options.random ?? Math.random;
    this.newId = options.newId ?? (() => crypto.randomUUID());
    this.backoff = options.backoff ?? { baseMs: 500, maxMs: 30_000 };
    this.rateLimitRetryMs = options.rateLimitRetryMs ?? 1_500;
  }

  /** Opens the first connection. */
  start(): void {
    this.stopped = false;
    this.connect('connecting');
  }

  /** Closes for good (sign-out, session end); nothing reconnects afterwards. */
  stop(): void {
    this.stopped = true;
    this.moving = null;
    this.clearTimers();
    const ws = this.ws;
    this.detach();
    try {
      ws?.close(CloseCode.normal, 'bye');
    } catch {
      // already closed
    }
    this.options.on.status('stopped');
  }

  get isOnline(): boolean {
    return this.welcomed;
  }

  /** Un-acked sends, oldest first. */
  pending(): SendFrame[] {
    return [...this.outbox.values()];
  }

  /** Follows a conversation from `lastSeq`; remembered and replayed on every reconnect. */
  subscribe(conversationId: string, lastSeq: number): void {
    const held = Math.max(this.subscriptions.get(conversationId) ?? 0, lastSeq);
    this.subscriptions.set(conversationId, held);
    if (this.welcomed) this.transmit({ type: 'subscribe', conversationId, lastSeq: held });
  }

  unsubscribe(conversationId: string): void {
    if (!this.subscriptions.delete(conversationId)) return;
    if (this.welcomed) this.transmit({ type: 'unsubscribe', conversationId });
  }

  isSubscribed(conversationId: string): boolean {
    return this.subscriptions.has(conversationId);
  }

  /** Queues a message; returns its clientMsgId. It goes out now if online, else after the next welcome. */
  send(conversationId: string, body: string): string {
    const clientMsgId = this.newId();
    const frame: SendFrame = { type: 'send', conversationId, clientMsgId, body };
    this.outbox.set(clientMsgId, frame);
    if (this.welcomed) this.transmit(frame);
    return clientMsgId;
  }

  /** Best effort: typing state is not worth queueing. */
  typing(conversationId: string, state: 'start' | 'stop'): void {
    if (this.welcomed) this.transmit({ type: 'typing', conversationId, state });
  }

  // ------------------------------------------------------------------ connection lifecycle

  private connect(status: ConnectionStatus): void {
    if (this.stopped) return;
    this.reconnectTimer = null;
    this.options.on.status(status);
    this.opened = false;
    this.welcomed = false;
    let ws: WebSocketLike;
    try {
      ws = this.createSocket(this.options.url, [SUBPROTOCOL]);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.opened = true;
      this.transmit({ type: 'hello', protocol: PROTOCOL_VERSION, client: 'carechat-console' });
    };
    ws.onmessage = (ev) => {
      if (this.ws !== ws) return;
      this.receive(ev.data);
    };
    ws.onerror = () => {
      // onclose follows and decides what to do
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.handleClose(ev.code);
    };
  }

  private handleClose(code: number, wasOpened = this.opened): void {
    this.detach();
    this.stopHeartbeat();
    if (this.stopped) return;
    if (this.moving) {
      // Asked to move: reconnect once the requested wait is over (the move timer does it otherwise).
      if (this.moving.due) this.reconnectNow();
      return;
    }
    if (code === CloseCode.serviceRestart) {
      // Closed for a restart without the frame: a planned move, spread out, not a backoff step.
      this.options.on.status('reconnecting');
      this.reconnectTimer = this.timers.setTimeout(
        () => this.connect('reconnecting'),
        Math.round(this.random() * MOVE_SPREAD_MS),
      );
      return;
    }
    if (code === CloseCode.unauthorized || code === CloseCode.sessionExpired) {
      this.endSession();
      return;
    }
    if (code === CloseCode.unsupportedProtocol) {
      // Retrying cannot help: this build speaks a version the server does not.
      this.stopped = true;
      this.clearTimers();
      this.options.on.status('stopped');
      return;
    }
    this.options.on.status('reconnecting');
    const check = this.options.checkSession;
    if (!wasOpened && check) {
      check().then(
        (alive) => (alive ? this.scheduleReconnect() : this.endSession()),
        () => this.scheduleReconnect(),
      );
      return;
    }
    this.scheduleReconnect();
  }

  private endSession(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.moving = null;
    this.clearTimers();
    this.detach();
    this.options.on.status('stopped');
    this.options.on.sessionEnded();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer !== null) return;
    const delay = backoffDelay(this.attempt, this.random(), this.backoff.baseMs, this.backoff.maxMs);
    this.attempt += 1;
    this.reconnectTimer = this.timers.setTimeout(() => this.connect('reconnecting'), delay);
  }

  /**
   * The server is draining: hold new sends and subscriptions (they go on the next socket), keep
   * reading the acks still coming, and reconnect once it has closed and retryAfterMs has passed.
   */
  private startMove(retryAfterMs: unknown): void {
    const wait = typeof retryAfterMs === 'number' && retryAfterMs > 0 ? Math.min(retryAfterMs, MOVE_MAX_MS) : 0;
    const move = { due: false };
    this.moving = move;
    this.welcomed = false;
    this.stopHeartbeat();
    this.options.on.status('reconnecting');
    if (this.reconnectTimer !== null) this.timers.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = this.timers.setTimeout(() => {
      this.reconnectTimer = null;
      if (this.moving !== move) return;
      move.due = true;
      if (!this.ws) return this.reconnectNow();
      // Still open: the server is finishing frames; it closes soon, or we leave by ourselves.
      this.reconnectTimer = this.timers.setTimeout(() => {
        this.reconnectTimer = null;
        if (this.moving !== move) return;
        const ws = this.ws;
        this.detach();
        try {
          ws?.close(CloseCode.normal, 'moving');
        } catch {
          // already closing
        }
        this.reconnectNow();
      }, MOVE_CLOSE_GRACE_MS);
    }, wait);
  }

  private reconnectNow(): void {
    this.moving = null;
    if (this.reconnectTimer !== null) this.timers.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.connect('reconnecting');
  }

  /** Forgets the current socket so its late events are ignored. */
  private detach(): void {
    const ws = this.ws;
    if (ws) {
      ws.onopen = null;
      ws.onmessage = null;
      ws.onclose = null;
      ws.onerror = null;
    }
    this.ws = null;
    this.opened = false;
    this.welcomed = false;
  }

  private clearTimers(): void {
    this.stopHeartbeat();
    if (this.reconnectTimer !== null) this.timers.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    for (const t of this.retryTimers.values()) this.timers.clearTimeout(t);
    this.retryTimers.clear();
  }

  // ------------------------------------------------------------------ heartbeat

  private startHeartbeat(heartbeatMs: number): void {
    this.stopHeartbeat();
    this.awaitingPong = false;
    const every = Math.max(1_000, heartbeatMs);
    this.heartbeatTimer = this.timers.setInterval(() => this.beat(), every);
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer !== null) this.timers.clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  private beat(): void {
    if (this.awaitingPong) {
      // Nothing at all came back for a whole interval: the connection is dead even if the browser
      // has not noticed. Drop it and reconnect rather than wait for TCP to time out.
      const ws = this.ws;
      this.detach();
      try {
        ws?.close(4000, 'heartbeat timeout');
      } catch {
        // ignore
      }
      this.handleClose(1006, true);
      return;
    }
    this.awaitingPong = true;
    this.pingCounter += 1;
    this.transmit({ type: 'ping', nonce: `p${this.pingCounter}` });
  }

  // ------------------------------------------------------------------ frames

  private transmit(frame: ClientFrame): void {
    try {
      this.ws?.send(JSON.stringify(frame));
    } catch {
      // the close handler will reconnect; the outbox still holds any send
    }
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let frame: ServerFrame;
    try {
      frame = JSON.parse(data) as ServerFrame;
    } catch {
      return;
    }
    if (!frame || typeof frame !== 'object' || !KNOWN_FRAMES.has(frame.type)) return;
    this.awaitingPong = false;

    switch (frame.type) {
      case 'welcome':
        this.welcomed = true;
        this.attempt = 0;
        this.startHeartbeat(frame.heartbeatMs);
        this.options.on.status('online');
        // Subscribe before re-sending so the replay and the acks arrive on a socket that follows them.
        for (const [conversationId, lastSeq] of this.subscriptions) {
          this.transmit({ type: 'subscribe', conversationId, lastSeq });
        }
        for (const queued of this.outbox.values()) this.transmit(queued);
        break;
      case 'message': {
        const { conversationId, seq, clientMsgId } = frame.message;
        this.noteSeq(conversationId, seq);
        if (clientMsgId) this.settle(clientMsgId);
        break;
      }
      case 'subscribed':
        this.noteSeq(frame.conversationId, frame.headSeq);
        break;
      case 'ack':
        this.noteSeq(frame.conversationId, frame.seq);
        this.settle(frame.clientMsgId);
        break;
      case 'error':
        if (frame.clientMsgId && this.outbox.has(frame.clientMsgId)) {
          if (frame.code === 'rate_limited') this.retryLater(frame.clientMsgId);
          else this.settle(frame.clientMsgId);
        }
        break;
      case 'reconnect':
        this.startMove(frame.retryAfterMs);
        break;
      default:
        break;
    }
    this.options.on.frame(frame);
  }

  private noteSeq(conversationId: string, seq: number): void {
    const held = this.subscriptions.get(conversationId);
    if (held !== undefined && seq > held) this.subscriptions.set(conversationId, seq);
  }

  private settle(clientMsgId: string): void {
    this.outbox.delete(clientMsgId);
    const t = this.retryTimers.get(clientMsgId);
    if (t !== undefined) this.timers.clearTimeout(t);
    this.retryTimers.delete(clientMsgId);
  }

  private retryLater(clientMsgId: string): void {
    if (this.retryTimers.has(clientMsgId)) return;
    const t = this.timers.setTimeout(() => {
      this.retryTimers.delete(clientMsgId);
      const frame = this.outbox.get(clientMsgId);
      if (frame && this.welcomed) this.transmit(frame);
    }, this.rateLimitRetryMs);
    this.retryTimers.set(clientMsgId, t);
  }
}
