/** The wait-estimate model (docs/routing.md): pure arithmetic on position and capacity. */
import { describe, expect, it } from 'vitest';
import { AHT_SMOOTHING, estimateWaitSeconds, PICKUP_SECONDS, smoothAht, type QueueCapacity } from './estimate.js';

const cap = (c: Partial<QueueCapacity>): QueueCapacity => ({
  servingAgents: 2,
  openSlots: 6,
  freeSlots: 0,
  ahtSeconds: 300,
  ...c,
});

describe('estimateWaitSeconds', () => {
  it('is null when nobody serves the queue, whatever else the numbers say', () => {
    expect(estimateWaitSeconds(1, cap({ servingAgents: 0, openSlots: 0, freeSlots: 0 }))).toBeNull();
    expect(estimateWaitSeconds(5, cap({ servingAgents: 0 }))).toBeNull();
  });

  it('a chat that fits a free slot waits only the pickup time', () => {
    expect(estimateWaitSeconds(1, cap({ freeSlots: 1 }))).toBe(PICKUP_SECONDS);
    expect(estimateWaitSeconds(3, cap({ freeSlots: 3 }))).toBe(PICKUP_SECONDS);
  });

  it('chats beyond the free slots wait one AHT / open slots each', () => {
    // 2 free slots, position 5: 3 ahead of the free slots, 6 open slots, AHT 300 -> 3 * 50 s.
    expect(estimateWaitSeconds(5, cap({ freeSlots: 2 }))).toBe(PICKUP_SECONDS + 150);
    expect(estimateWaitSeconds(1, cap({ freeSlots: 0 }))).toBe(PICKUP_SECONDS + 50);
    expect(estimateWaitSeconds(12, cap({ freeSlots: 0 }))).toBe(PICKUP_SECONDS + 600);
  });

  it('grows linearly with position and with AHT, and shrinks with slots', () => {
    const base = cap({ freeSlots: 0, openSlots: 4, ahtSeconds: 240 });
    const w = (p: number, c = base) => estimateWaitSeconds(p, c)! - PICKUP_SECONDS;
    expect(w(2)).toBe(2 * w(1));
    expect(w(3, { ...base, ahtSeconds: 480 })).toBe(2 * w(3));
    expect(w(4, { ...base, openSlots: 8 })).toBe(w(4) / 2);
  });

  it('busy agents only (no open slots) still count as one slot, so the estimate stays finite', () => {
    expect(estimateWaitSeconds(2, cap({ openSlots: 0, freeSlots: 0, ahtSeconds: 200 }))).toBe(PICKUP_SECONDS + 400);
  });

  it('rounds to whole seconds', () => {
    expect(estimateWaitSeconds(1, cap({ openSlots: 3, ahtSeconds: 100 }))).toBe(PICKUP_SECONDS + 33);
  });
});

describe('smoothAht', () => {
  it('the first sample is the average', () => {
    expect(smoothAht(null, 0, 420)).toBe(420);
    expect(smoothAht(300, 0, 420)).toBe(420);
  });

  it('moves toward each new sample by the smoothing weight', () => {
    expect(smoothAht(300, 1, 400)).toBeCloseTo(300 + AHT_SMOOTHING * 100, 10);
    expect(smoothAht(300, 5, 200)).toBeCloseTo(300 - AHT_SMOOTHING * 100, 10);
  });

  it('converges to a steady handle time and forgets an old one', () => {
    let aht: number | null = null;
    let n = 0;
    for (let i = 0; i < 10; i++) aht = smoothAht(aht, n++, 900);
    for (let i = 0; i < 40; i++) aht = smoothAht(aht, n++, 300);
    expect(aht).toBeGreaterThan(300);
    expect(aht!).toBeLessThan(301);
  });
});
