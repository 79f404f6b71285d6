/**
 * The WebSocket transport. Auth and Origin are checked at upgrade, before any frame is read; every
 * frame is size-checked, rate-limited and schema-validated; frames from one connection are handled
 * in order. Resume: subscribe to the bus first, replay from the store, then drop duplicates by seq.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  AUTH_SUBPROTOCOL_PREFIX,
  ClientFrame,
  CloseCode,
  PROTOCOL_VERSION,
  SUBPROTOCOL,
  type ConversationView,
  type ErrorCode,
  type OfferView,
  type ServerFrame,
  type SupervisorBoard,
} from '@carechat/protocol';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { PresenceReporter } from '../agents/presence.js';
import type { Bus } from '../bus/bus.js';
import { channels, type BusEvent, type EventCatalog } from '../bus/events.js';
import type { Actor } from '../conversations/conversations.policy.js';
import { cardmemberView } from '../conversations/conversations.presenter.js';
import type { ConversationService } from '../conversations/conversations.service.js';
import type { IdentityService } from '../identity/identity.service.js';
import { TOUCH_INTERVAL_MS, type SessionsStore } from '../identity/sessions.store.js';
import { authorize, can, FRAME_ACTIONS, teamsOf } from '../security/access.js';
import { userKey, type RateLimits } from '../security/rate-limits.js';
import { AppError } from '../shared/errors.js';
import type { GatewayMetrics } from '../ops/metrics.js';
import type { Logger } from '../shared/logger.js';
import { STAFF_COOKIE } from './auth.js';
import { TokenBucket } from './token-bucket.js';

export interface GatewayDeps {
  identity: IdentityService;
  sessions: SessionsStore;
  conversations: ConversationService;
  bus: Bus;
  logger: Logger;
  allowedOrigins: string[];
  parseCookie: (header: string) => Record<string, string | undefined>;
  limits: {
    maxFrameBytes: number;
    heartbeatMs: number;
    ratePerSecond: number;
    burst: number;
    /** How often an open socket re-checks its session (default 30 s). */
    sessionRecheckMs?: number;
  };
  /** Per-user send budget across all of a user's sockets (the per-connection bucket stays). */
  rateLimits: RateLimits;
  /** Open routing offers of a staff member, sent when their console connects. */
  offers?: (agentId: string) => Promise<OfferView[]>;
  /** The supervisor board for this supervisor, pushed when the floor changes (at most once a second). */
  board?: (actor: Actor) => Promise<SupervisorBoard>;
  /** Told when a staff socket opens and closes: presence across nodes (agents/presence.ts). */
  presence?: PresenceReporter;
  /** Sockets, messages in and out, rejected frames (ops/metrics.ts). */
  metrics?: GatewayMetrics;
}

/** Board pushes per socket are at most this often. */
const BOARD_MIN_INTERVAL_MS = 1000;

const SLOW_CONSUMER_BYTES = 4 * 1024 * 1024;
const SESSION_RECHECK_MS = 30_000;
const MAX_RATE_VIOLATIONS = 100;
/** How long a drained socket's close handshake may take before the socket is cut. */
const CLOSE_HANDSHAKE_MS = 1000;
const STATUS_TEXT: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 503: 'Service Unavailable' };

export class WsGateway {
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<Connection>();
  /** Open sockets by session: one bus subscription and one bulk re-check serve them all. */
  private readonly bySession = new Map<string, Set<Connection>>();
  private readonly stops: Array<() => void> = [];
  /** Set by drain(): new sockets are refused (503) so clients go to another node. */
  private draining = false;

  constructor(private readonly d: GatewayDeps) {
    // A session ended on any node: close its sockets here. A distinct reason, so clients do not
    // silently mint a new session after a deliberate sign-out.
    this.stops.push(
      d.bus.subscribe(channels.sessions, (e) => {
        if (e.name !== 'session.revoked') return;
        const hash = (e.payload as { sessionHash: string }).sessionHash;
        for (const c of [...(this.bySession.get(hash) ?? [])]) c.close(CloseCode.sessionExpired, 'session_revoked');
      }),
    );
    // One timer per node, not two per socket: silent sockets are closed, sessions re-checked in bulk.
    const heartbeat = setInterval(() => {
      const now = Date.now();
      for (const c of this.connections) {
        if (now - c.lastFrameAt > d.limits.heartbeatMs * 3) c.close(CloseCode.goingAway, 'heartbeat timeout');
      }
    }, d.limits.heartbeatMs);
    const recheck = setInterval(() => void this.recheckSessions(), d.limits.sessionRecheckMs ?? SESSION_RECHECK_MS);
    heartbeat.unref();
    recheck.unref();
    this.stops.push(
      () => clearInterval(heartbeat),
      () => clearInterval(recheck),
    );
    this.wss = new WebSocketServer({
      noServer: true,
      // Hard cap well above the protocol limit so an oversize frame still gets a clear error frame.
      maxPayload: d.limits.maxFrameBytes * 2,
      perMessageDeflate: false,
      handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
    });
  }

  /** Handles an HTTP upgrade on `/ws`: Origin allowlist, then credentials, then the socket. */
  async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const reject = (status: number, code: string, message: string) => {
      const body = JSON.stringify({ error: { code, message } });
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Bad Request'}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    };
    try {
      if (this.draining) return reject(503, 'draining', 'This server is restarting. Connect again.');
      if (!this.originAllowed(req)) return reject(403, 'forbidden', 'This origin may not open a chat connection.');
      const protocols = String(req.headers['sec-websocket-protocol'] ?? '')
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean);
      if (!protocols.includes(SUBPROTOCOL)) {
        return reject(400, 'unsupported_protocol', `Use the WebSocket subprotocol ${SUBPROTOCOL}.`);
      }
      const auth = protocols.find((p) => p.startsWith(AUTH_SUBPROTOCOL_PREFIX));
      let actor: Actor;
      if (auth) {
        actor = await this.d.identity.cardmemberActor(auth.slice(AUTH_SUBPROTOCOL_PREFIX.length));
      } else {
        const cookies = this.d.parseCookie(String(req.headers.cookie ?? ''));
        actor = (await this.d.identity.staffActor(cookies[STAFF_COOKIE])).actor;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        // The drain began while this upgrade was being authenticated: send it on at once.
        if (this.draining) return ws.close(CloseCode.serviceRestart, 'draining');
        const conn = new Connection(ws, actor, this.d);
        this.connections.add(conn);
        let peers = this.bySession.get(actor.sessionHash);
        if (!peers) this.bySession.set(actor.sessionHash, (peers = new Set()));
        peers.add(conn);
        this.d.metrics?.socketOpened(actor.role);
        // A staff console counts as presence on this node until it closes (agents/presence.ts).
        const staffId = actor.role === 'cardmember' ? null : actor.agentId;
        if (staffId) this.d.presence?.connected(staffId);
        ws.once('close', () => {
          this.connections.delete(conn);
          peers.delete(conn);
          if (!peers.size && this.bySession.get(actor.sessionHash) === peers) this.bySession.delete(actor.sessionHash);
          this.d.metrics?.socketClosed(actor.role);
          if (staffId) this.d.presence?.disconnected(staffId);
        });
      });
    } catch (err) {
      if (err instanceof AppError) return reject(err.status, err.code, err.message);
      this.d.logger.error({ err }, 'websocket upgrade failed');
      return reject(400, 'internal', 'The connection could not be opened.');
    }
  }

  private originAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (!origin) return false;
    if (this.d.allowedOrigins.length) return this.d.allowedOrigins.includes(origin);
    // Default: same origin as the Host the client connected to.
    try {
      return new URL(origin).host === req.headers.host;
    } catch {
      return false;
    }
  }

  get size(): number {
    return this.connections.size;
  }

  /**
   * Graceful drain (ops/shutdown.ts): refuses new sockets, sends each open one `reconnect` with its own
   * random `retryAfterMs` (0..spreadMs), lets the frames it already sent finish (at most settleMs), then
   * closes it with 1012.
   */
  async drain(o: { spreadMs: number; settleMs: number; random?: () => number }): Promise<void> {
    this.draining = true;
    const random = o.random ?? Math.random;
    await Promise.all([...this.connections].map((c) => c.drain(Math.round(random() * o.spreadMs), o.settleMs)));
  }

  /** Closes the sockets of sessions that expired, idled out or were revoked while they were open. */
  private async recheckSessions(): Promise<void> {
    if (!this.bySession.size) return;
    try {
      const live = await this.d.sessions.liveAmong([...this.bySession.keys()]);
      for (const [hash, conns] of [...this.bySession]) {
        if (live.has(hash)) continue;
        for (const c of [...conns]) c.close(CloseCode.sessionExpired, 'session_expired');
      }
    } catch (err) {
      // The store is unreachable: keep the sockets; the next round decides.
      this.d.logger.warn({ err }, 'session re-check failed');
    }
  }

  /** Closes every socket with "going away" so clients reconnect elsewhere. */
  async close(): Promise<void> {
    for (const stop of this.stops.splice(0)) stop();
    for (const c of this.connections) c.close(CloseCode.goingAway, 'server shutting down');
    this.wss.close();
  }
}

interface Subscription {
  unsubscribe: () => void;
  /** Highest seq delivered on this connection; frames at or below it are duplicates. */
  lastSent: number;
  replaying: boolean;
  buffer: BusEvent[];
  /** Serializes deliveries for this conversation (gap fills hit the store). */
  chain: Promise<void>;
}

class Connection {
  readonly id = randomUUID();
  private hello = false;
  private readonly subs = new Map<string, Subscription>();
  private readonly bucket: TokenBucket;
  private violations = 0;
  private chain: Promise<void> = Promise.resolve();
  private readonly cleanups: Array<() => void> = [];
  /** When the client last sent anything (the gateway closes sockets silent for 3 heartbeats). */
  lastFrameAt = Date.now();
  private closed = false;
  private inboxTimer: NodeJS.Timeout | null = null;
  private boardTimer: NodeJS.Timeout | null = null;
  private boardSentAt = 0;
  /** When this socket last reported staff activity (sessions slide their idle deadline on it). */
  private lastTouchAt: number;

  constructor(
    private readonly ws: WebSocket,
    private readonly actor: Actor,
    private readonly d: GatewayDeps,
  ) {
    this.bucket = new TokenBucket(d.limits.ratePerSecond, d.limits.burst);
    this.lastTouchAt = d.sessions.nowMs();
    ws.on('message', (data, isBinary) => this.onRaw(data, isBinary));
    ws.on('close', () => this.dispose());
    ws.on('error', () => this.dispose());
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.ws.close(code, reason);
    this.dispose();
  }

  /** Asks the client to reconnect elsewhere, waits (bounded) for the frames it already sent, closes with 1012. */
  async drain(retryAfterMs: number, settleMs: number): Promise<void> {
    if (this.closed) return;
    this.send({ type: 'reconnect', reason: 'draining', retryAfterMs });
    // Frames already read run in order on `chain`; more may queue behind it until the client has seen
    // `reconnect`, so wait until the chain stops moving. Each frame finishes whole (a send is stored and acked).
    const deadline = Date.now() + settleMs;
    for (;;) {
      const current = this.chain;
      if (!(await settlesWithin(current, deadline - Date.now())) || current === this.chain) break;
    }
    if (this.closed) return; // the client left meanwhile
    const gone = new Promise<void>((resolve) => this.ws.once('close', () => resolve()));
    this.close(CloseCode.serviceRestart, 'draining');
    // The client answers the close at once; one that does not is cut off rather than waited for.
    if (!(await settlesWithin(gone, CLOSE_HANDSHAKE_MS))) this.ws.terminate();
  }

  private dispose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.subs.values()) s.unsubscribe();
    this.subs.clear();
    for (const c of this.cleanups.splice(0)) c();
    if (this.inboxTimer) clearTimeout(this.inboxTimer);
    if (this.boardTimer) clearTimeout(this.boardTimer);
  }

  private send(frame: ServerFrame): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > SLOW_CONSUMER_BYTES) {
      // The client will resume from its last seq; better than buffering without bound.
      this.close(CloseCode.policy, 'slow consumer');
      return;
    }
    this.ws.send(JSON.stringify(frame));
    if (frame.type === 'message') this.d.metrics?.messageOut();
  }

  private error(
    code: ErrorCode,
    message: string,
    extra: { conversationId?: string; clientMsgId?: string; retryAfterMs?: number } = {},
  ): void {
    this.d.metrics?.frameRejected(code);
    this.send({ type: 'error', code, message, ...extra });
  }

  private onRaw(data: RawData, isBinary: boolean): void {
    // Closing (drain, limits, session end): the client re-sends anything un-acked on its next socket.
    if (this.closed) return;
    this.lastFrameAt = Date.now();
    const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : (data as Buffer).byteLength;
    if (size > this.d.limits.maxFrameBytes) {
      this.error('frame_too_large', `Frames can be at most ${this.d.limits.maxFrameBytes} bytes.`);
      this.close(CloseCode.tooBig, 'frame_too_large');
      return;
    }
    if (!this.bucket.take()) {
      // Name the dropped message when we can, so the client knows exactly what to re-send later.
      this.error('rate_limited', 'You are sending too fast. Wait a moment and try again.', {
        ...droppedSend(data),
        retryAfterMs: Math.ceil(1000 / this.d.limits.ratePerSecond),
      });
      if (++this.violations > MAX_RATE_VIOLATIONS) this.close(CloseCode.rateLimited, 'rate_limited');
      return;
    }
    if (isBinary) return this.error('bad_frame', 'Frames must be JSON text.');
    let json: unknown;
    try {
      json = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : String(data));
    } catch {
      return this.error('bad_json', 'The frame is not valid JSON.');
    }
    const parsed = ClientFrame.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return this.error(
        'bad_frame',
        `Invalid frame${issue ? ` at ${issue.path.join('.') || 'root'}: ${issue.message}` : ''}.`,
      );
    }
    // One frame at a time per connection, so a client's sends are stored in the order it sent them.
    this.chain = this.chain
      .then(() => this.handle(parsed.data))
      .catch((err: unknown) => {
        this.d.logger.error({ err, connectionId: this.id }, 'frame handling failed');
        this.error('internal', 'Something went wrong on our side. Please try again.');
      });
  }

  private async handle(frame: ClientFrame): Promise<void> {
    if (frame.type === 'ping')
      return this.send({ type: 'pong', nonce: frame.nonce, serverTime: new Date().toISOString() });
    if (frame.type === 'hello') return this.onHello(frame.protocol);
    if (!this.hello) return this.error('hello_required', 'Send hello first.');
    // Frames a person caused keep a staff session from idling out; heartbeats (ping) do not.
    if (this.actor.role !== 'cardmember' && this.d.sessions.nowMs() - this.lastTouchAt >= TOUCH_INTERVAL_MS) {
      this.lastTouchAt = this.d.sessions.nowMs();
      this.d.sessions.touch(this.actor.sessionHash).catch(() => undefined);
    }
    const conversationId = 'conversationId' in frame ? frame.conversationId : undefined;
    try {
      // The role gate for this frame type; the service checks the actor's relation to the conversation.
      authorize(this.actor, FRAME_ACTIONS[frame.type]);
      switch (frame.type) {
        case 'subscribe':
          return await this.onSubscribe(frame.conversationId, frame.lastSeq);
        case 'unsubscribe':
          this.subs.get(frame.conversationId)?.unsubscribe();
          this.subs.delete(frame.conversationId);
          return;
        case 'send': {
          // One budget per person across all their sockets: more tabs do not buy more throughput.
          const budget = await this.d.rateLimits.consume('send', userKey(this.actor));
          if (!budget.allowed) {
            return this.error('rate_limited', 'You are sending messages too fast. Wait a moment and try again.', {
              conversationId: frame.conversationId,
              clientMsgId: frame.clientMsgId,
              retryAfterMs: budget.retryAfterMs,
            });
          }
          const r = await this.d.conversations.send(this.actor, frame);
          this.send({
            type: 'ack',
            conversationId: frame.conversationId,
            clientMsgId: frame.clientMsgId,
            seq: r.message.seq,
            messageId: r.message.id,
            duplicate: r.duplicate,
            body: r.message.body,
            createdAt: r.message.createdAt,
            // Only the sender learns what was removed (kinds, never values), for its notice.
            ...(r.redactedTypes.length ? { redacted: r.redactedTypes } : {}),
          });
          if (!r.duplicate) this.d.metrics?.messageIn(this.actor.role);
          return;
        }
        case 'typing':
          return await this.d.conversations.typing(this.actor, this.id, frame.conversationId, frame.state);
      }
    } catch (err) {
      if (err instanceof AppError) {
        const code: ErrorCode = (
          ['conversation_not_found', 'conversation_closed', 'message_empty', 'message_too_long', 'forbidden'] as const
        ).includes(err.code as 'forbidden')
          ? (err.code as ErrorCode)
          : err.status === 401
            ? 'unauthorized'
            : 'bad_frame';
        return this.error(code, err.message, {
          conversationId,
          ...(frame.type === 'send' ? { clientMsgId: frame.clientMsgId } : {}),
        });
      }
      throw err;
    }
  }

  private onHello(protocol: number): void {
    if (protocol !== PROTOCOL_VERSION) {
      this.error('unsupported_protocol', `This server speaks protocol ${PROTOCOL_VERSION}.`);
      this.close(CloseCode.unsupportedProtocol, 'unsupported_protocol');
      return;
    }
    const first = !this.hello;
    this.hello = true;
    const a = this.actor;
    this.send({
      type: 'welcome',
      protocol: PROTOCOL_VERSION,
      connectionId: this.id,
      identity:
        a.role === 'cardmember'
          ? { role: 'cardmember', id: a.cardmemberId, displayName: a.firstName, language: a.language }
          : { role: a.role, id: a.agentId, displayName: a.firstName, language: 'en' },
      heartbeatMs: this.d.limits.heartbeatMs,
    });
    if (first && can(a, 'conversation.list')) {
      // Presence changes only matter to boards: a shift signing in must not refresh every inbox per console.
      this.cleanups.push(
        this.d.bus.subscribe(channels.staff, (e) => {
          if (e.name !== 'agent.presence_changed') this.scheduleInbox();
        }),
      );
      this.scheduleInbox(0);
    }
    if (first && a.role !== 'cardmember' && this.d.offers) {
      // Offers for this agent, live; and the open ones now (a console that reconnects gets them again).
      const agentId = a.agentId;
      this.cleanups.push(
        this.d.bus.subscribe(channels.agent(agentId), (e) => {
          if (e.name === 'offer.created')
            this.send({ type: 'offer', offer: (e.payload as unknown as { offer: OfferView }).offer });
          else if (e.name === 'offer.closed') {
            const p = e.payload as { offerId: string; reason: 'accepted' | 'declined' | 'expired' | 'withdrawn' };
            this.send({ type: 'offer_closed', offerId: p.offerId, reason: p.reason });
          }
        }),
      );
      this.d
        .offers(agentId)
        .then((offers) => offers.forEach((offer) => this.send({ type: 'offer', offer })))
        .catch((err: unknown) => this.d.logger.error({ err }, 'open offers failed'));
    }
    if (first && a.role !== 'cardmember' && can(a, 'case.team')) {
      // Deadline warnings and breaches of cases owned by a team this staff member serves or supervises.
      this.cleanups.push(
        this.d.bus.subscribe(channels.staff, (e) => {
          if (e.name !== 'case.deadline') return;
          const p = e.payload as EventCatalog['case.deadline'];
          if (teamsOf(this.actor).has(p.ownerTeamId)) this.send({ type: 'case_deadline', ...p });
        }),
      );
    }
    if (first && this.d.board && can(a, 'board.read')) {
      this.cleanups.push(this.d.bus.subscribe(channels.staff, () => this.scheduleBoard()));
      this.scheduleBoard();
    }
  }

  /** Debounced: the first change sends within a second of the previous board, later ones ride along. */
  private scheduleBoard(): void {
    if (this.boardTimer || this.closed || !this.d.board) return;
    const board = this.d.board;
    const wait = Math.max(0, this.boardSentAt + BOARD_MIN_INTERVAL_MS - Date.now());
    this.boardTimer = setTimeout(() => {
      this.boardTimer = null;
      this.boardSentAt = Date.now();
      board(this.actor)
        .then((b) => this.send({ type: 'board', board: b }))
        .catch((err: unknown) => this.d.logger.error({ err }, 'board refresh failed'));
    }, wait);
  }

  private scheduleInbox(delayMs = 50): void {
    if (this.inboxTimer || this.closed) return;
    this.inboxTimer = setTimeout(() => {
      this.inboxTimer = null;
      this.d.conversations
        .inbox(this.actor)
        .then((inbox) => this.send({ type: 'inbox', ...inbox }))
        .catch((err: unknown) => this.d.logger.error({ err }, 'inbox refresh failed'));
    }, delayMs);
  }

  private async onSubscribe(conversationId: string, lastSeq: number): Promise<void> {
    const row = await this.d.conversations.getReadable(this.actor, conversationId, 'conversation.subscribe');
    this.subs.get(conversationId)?.unsubscribe();
    const sub: Subscription = {
      unsubscribe: () => undefined,
      lastSent: lastSeq,
      replaying: true,
      buffer: [],
      chain: Promise.resolve(),
    };
    this.subs.set(conversationId, sub);
    // Subscribe first, so nothing published during the replay is missed...
    sub.unsubscribe = this.d.bus.subscribe(channels.conversation(conversationId), (e) => {
      if (sub.replaying) sub.buffer.push(e);
      else this.deliver(conversationId, sub, e);
    });
    // ...(on several nodes, once the subscription is live across them)...
    await this.d.bus.ready(channels.conversation(conversationId));
    // ...then replay what the store has beyond the client's last seq...
    await this.fillFrom(conversationId, sub);
    sub.replaying = false;
    // ...then flush what arrived meanwhile; deliver() drops seqs already sent.
    for (const e of sub.buffer.splice(0)) this.deliver(conversationId, sub, e);
    await sub.chain;
    const conversation = await this.d.conversations.view(
      await this.d.conversations.getReadable(this.actor, row.id),
      this.actor,
    );
    this.send({ type: 'subscribed', conversationId, headSeq: sub.lastSent, conversation });
  }

  /** Sends every stored message newer than sub.lastSent, in seq order. */
  private async fillFrom(conversationId: string, sub: Subscription): Promise<void> {
    for (;;) {
      const batch = await this.d.conversations.messagesAfter(this.actor, conversationId, sub.lastSent);
      for (const m of batch) {
        this.send({ type: 'message', message: m });
        sub.lastSent = m.seq;
      }
      if (batch.length < 500) return;
    }
  }

  private deliver(conversationId: string, sub: Subscription, e: BusEvent): void {
    sub.chain = sub.chain
      .then(async () => {
        if (this.closed || this.subs.get(conversationId) !== sub) return;
        if (e.name === 'bus.resync') {
          // Events from other nodes may have been missed: whatever the store has beyond lastSent.
          await this.fillFrom(conversationId, sub);
        } else if (e.name === 'message.created') {
          const p = e.payload as { message: { seq: number }; audience: string };
          if (p.audience === 'staff' && this.actor.role === 'cardmember') return;
          if (p.message.seq <= sub.lastSent) return;
          if (p.message.seq === sub.lastSent + 1) {
            this.send({ type: 'message', message: p.message as never });
            sub.lastSent = p.message.seq;
          } else {
            // Publishes can overtake each other; fill the gap from the store so order holds.
            await this.fillFrom(conversationId, sub);
          }
        } else if (e.name === 'conversation.updated') {
          const p = e.payload as { conversation: ConversationView };
          // Staff-only fields (accommodation, participants, ...) never reach a cardmember's socket.
          const conversation = this.actor.role === 'cardmember' ? cardmemberView(p.conversation) : p.conversation;
          this.send({ type: 'conversation', conversation });
        } else if (e.name === 'conversation.typing') {
          const p = e.payload as {
            connectionId: string;
            from: { role: 'agent'; name: string | null };
            state: 'start' | 'stop';
          };
          if (p.connectionId === this.id) return;
          this.send({ type: 'typing', conversationId, from: p.from, state: p.state });
        }
      })
      .catch((err: unknown) => this.d.logger.error({ err }, 'delivery failed'));
  }
}

/** True when `p` settles within `ms` (false at once for ms <= 0). */
async function settlesWithin(p: Promise<void>, ms: number): Promise<boolean> {
  if (ms <= 0) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([p.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The ids of a dropped `send` frame, if the raw frame is one (best effort; never throws). */
function droppedSend(data: RawData): { conversationId?: string; clientMsgId?: string } {
  try {
    const f = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : String(data)) as Record<string, unknown>;
    if (f.type === 'send' && typeof f.clientMsgId === 'string' && typeof f.conversationId === 'string') {
      return { conversationId: f.conversationId.slice(0, 64), clientMsgId: f.clientMsgId.slice(0, 64) };
    }
  } catch {
    /* not JSON: nothing to name */
  }
  return {};
}
