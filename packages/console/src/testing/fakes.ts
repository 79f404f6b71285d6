/** Fakes for the socket client: a scriptable WebSocket and a manual clock. */
import type { ServerFrame } from '@carechat/protocol/client';
import type { Timers, WebSocketLike } from '../socket.js';

export class FakeSocket implements WebSocketLike {
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason?: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  readonly sent: Array<Record<string, unknown>> = [];
  closedWith: number | null = null;

  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {}

  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }

  close(code = 1000): void {
    this.closedWith = code;
  }

  // ---- driven by tests
  open(): void {
    this.onopen?.({});
  }

  receive(frame: ServerFrame | Record<string, unknown>): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  drop(code = 1006): void {
    this.onclose?.({ code });
  }

  framesOfType(type: string): Array<Record<string, unknown>> {
    return this.sent.filter((f) => f.type === type);
  }
}

interface Scheduled {
  id: number;
  at: number;
  fn: () => void;
  every: number | null;
}

export class FakeTimers implements Timers {
  now = 0;
  private nextId = 1;
  private tasks: Scheduled[] = [];

  setTimeout(fn: () => void, ms: number): number {
    const id = this.nextId++;
    this.tasks.push({ id, at: this.now + ms, fn, every: null });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.tasks = this.tasks.filter((t) => t.id !== handle);
  }

  setInterval(fn: () => void, ms: number): number {
    const id = this.nextId++;
    this.tasks.push({ id, at: this.now + ms, fn, every: ms });
    return id;
  }

  clearInterval(handle: unknown): void {
    this.clearTimeout(handle);
  }

  /** Delays of pending one-shot timers, soonest first. */
  pendingTimeouts(): number[] {
    return this.tasks
      .filter((t) => t.every === null)
      .map((t) => t.at - this.now)
      .sort((a, b) => a - b);
  }

  /** Runs everything due within `ms`, in time order. */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const due = this.tasks.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.now = due.at;
      if (due.every === null) this.tasks = this.tasks.filter((t) => t !== due);
      else due.at += due.every;
      due.fn();
    }
    this.now = end;
  }
}

export const welcome = (heartbeatMs = 25_000): ServerFrame => ({
  type: 'welcome',
  protocol: 1,
  connectionId: 'c1',
  identity: { role: 'agent', id: 'ag_1', displayName: 'Ana Ruiz', language: 'en' },
  heartbeatMs,
});
