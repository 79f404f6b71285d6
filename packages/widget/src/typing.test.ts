import { describe, expect, it } from 'vitest';
import { FakeClock } from './test-support.js';
import { TypingNotifier } from './typing.js';

function setup() {
  const clock = new FakeClock();
  const signals: string[] = [];
  const notifier = new TypingNotifier((s) => signals.push(s), clock);
  return { clock, signals, notifier };
}

describe('TypingNotifier', () => {
  it('sends start at most once per 3 s while typing continues', () => {
    const { clock, signals, notifier } = setup();
    notifier.input(false);
    clock.advance(1000);
    notifier.input(false);
    clock.advance(1000);
    notifier.input(false);
    expect(signals).toEqual(['start']);
    clock.advance(1000);
    notifier.input(false);
    expect(signals).toEqual(['start', 'start']);
  });

  it('sends stop after 5 s without input', () => {
    const { clock, signals, notifier } = setup();
    notifier.input(false);
    clock.advance(4999);
    expect(signals).toEqual(['start']);
    clock.advance(1);
    expect(signals).toEqual(['start', 'stop']);
  });

  it('sends stop on send (or an emptied box) only if a start went out', () => {
    const { signals, notifier } = setup();
    notifier.stop();
    expect(signals).toEqual([]);
    notifier.input(false);
    notifier.stop();
    notifier.input(true);
    expect(signals).toEqual(['start', 'stop']);
  });
});
