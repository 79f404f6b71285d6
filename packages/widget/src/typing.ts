/**
 * Turns keystrokes into throttled `typing start/stop` signals: at most one `start` per `throttleMs`
 * while the user keeps typing, and one `stop` after `idleMs` without input or when the message is sent.
 */
import { browserTimers, type Timers } from './connection.js';

export class TypingNotifier {
  private active = false;
  private lastStartAt = -Infinity;
  private idleTimer: unknown = null;

  constructor(
    private readonly signal: (state: 'start' | 'stop') => void,
    private readonly timers: Timers = browserTimers,
    private readonly throttleMs = 3000,
    private readonly idleMs = 5000,
  ) {}

  /** Call on every edit of the message box; `empty` is true when the box is now empty. */
  input(empty: boolean): void {
    if (empty) {
      this.stop();
      return;
    }
    const now = this.timers.now();
    if (!this.active || now - this.lastStartAt >= this.throttleMs) {
      this.active = true;
      this.lastStartAt = now;
      this.signal('start');
    }
    this.timers.clearTimeout(this.idleTimer);
    this.idleTimer = this.timers.setTimeout(() => this.stop(), this.idleMs);
  }

  /** Call when the message is sent or the box loses its text. */
  stop(): void {
    this.timers.clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (!this.active) return;
    this.active = false;
    this.lastStartAt = -Infinity;
    this.signal('stop');
  }
}
