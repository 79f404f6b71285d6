/** Builders and fakes for the widget's unit tests (never imported by the bundle). */
import type { ClientFrame, ConversationView, Message, ServerFrame } from '@carechat/protocol/client';
import type { SocketLike, Timers } from './connection.js';
import type { KeyValueStorage } from './outbox.js';

export function buildConversation(overrides: Partial<ConversationView> = {}): ConversationView {
  return {
    id: 'conv_1',
    status: 'bot',
    language: 'en',
    card: { id: 'card_1', last4: '1005', productName: 'Rewards Visa' },
    cardmember: { id: 'cm_1', firstName: 'Maria', lastName: 'Lopez' },
    agent: null,
    teamId: null,
    queue: null,
    lastSeq: 0,
    createdAt: '2025-01-01T00:00:00.000Z',
    queuedAt: null,
    closedAt: null,
    ...overrides,
  };
}

export function buildMessage(seq: number, overrides: Partial<Message> = {}): Message {
  return {
    id: `msg_${seq}`,
    conversationId: 'conv_1',
    seq,
    clientMsgId: null,
    author: { role: 'assistant', id: null, name: 'Assistant' },
    kind: 'text',
    body: `message ${seq}`,
    system: null,
    quickReplies: [],
    createdAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/** A manual clock: timers fire only when the test advances time. */
export class FakeClock implements Timers {
  private time = 1_700_000_000_000;
  private nextId = 1;
  private pending = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.time;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.set(id, { at: this.time + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  /** Moves time forward, running every timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let nextId: number | null = null;
      let next: { at: number; fn: () => void } | null = null;
      for (const [id, t] of this.pending) if (t.at <= end && (!next || t.at < next.at)) [nextId, next] = [id, t];
      if (!next || nextId === null) break;
      this.pending.delete(nextId);
      this.time = next.at;
      next.fn();
    }
    this.time = end;
  }
  get timerCount(): number {
    return this.pending.size;
  }
}

/** A socket the test drives by hand: it records what the client sends and delivers server frames. */
export class FakeSocket implements SocketLike {
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason?: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  readonly sent: ClientFrame[] = [];
  closedWith: number | null = null;

  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {}

  send(data: string): void {
    this.sent.push(JSON.parse(data) as ClientFrame);
  }
  close(code = 1000): void {
    this.closedWith = code;
  }
  /** Server side: accept the upgrade. */
  open(): void {
    this.onopen?.({});
  }
  /** Server side: deliver a frame. */
  receive(frame: ServerFrame | Record<string, unknown>): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  /** Server side (or network): the connection ends. */
  drop(code = 1006, reason?: string): void {
    this.onclose?.(reason === undefined ? { code } : { code, reason });
  }
  sentOfType<T extends ClientFrame['type']>(type: T): Extract<ClientFrame, { type: T }>[] {
    return this.sent.filter((f): f is Extract<ClientFrame, { type: T }> => f.type === type);
  }
}

export class MemoryStorage implements KeyValueStorage {
  readonly data = new Map<string, string>();
  getItem(key: string): string | null {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.data.set(key, value);
  }
  removeItem(key: string): void {
    this.data.delete(key);
  }
}
