/**
 * The wait-estimate model (documented in docs/routing.md; its accuracy is measured by the simulation
 * in bench/routing.ts).
 *
 * Each agent taking the queue's chats (available, or wrapping up and back in a moment) has
 * `maxConcurrent` slots. A busy slot frees after the queue's average
 * handle time (AHT) on average, so S busy slots free one every AHT / S seconds. A chat at `position`
 * waits for the chats ahead of it to be placed: those that fit in the free slots go at once, the rest
 * one per AHT / S. The AHT is an exponentially smoothed average of finished chats' handle times
 * (assignment to close), kept per (team, language) in the store.
 */

/** Weight of the newest handle time in the smoothed average. */
export const AHT_SMOOTHING = 0.2;
/** AHT before any chat of the queue has finished. */
export const DEFAULT_AHT_SECONDS = 300;
/** Time for an offer to reach a free agent and be accepted, on average. */
export const PICKUP_SECONDS = 15;

export interface QueueCapacity {
  /** Agents who could take the chat and are signed in (available, busy or wrapping up). */
  servingAgents: number;
  /** Slots (sum of maxConcurrent) of the agents taking chats now or after their wrap-up (available, wrap_up). */
  openSlots: number;
  /** Slots free right now (available agents: maxConcurrent minus assigned chats and pending offers). */
  freeSlots: number;
  ahtSeconds: number;
}

/** Seconds until a chat at this 1-based position is offered to an agent; null when nobody serves the queue. */
export function estimateWaitSeconds(position: number, c: QueueCapacity): number | null {
  if (c.servingAgents === 0) return null;
  const ahead = Math.max(0, position - c.freeSlots);
  if (ahead === 0) return PICKUP_SECONDS;
  // Busy agents (no open slots) still finish chats and come back; count them as one slot each.
  const slots = Math.max(1, c.openSlots);
  return Math.round(PICKUP_SECONDS + (ahead * c.ahtSeconds) / slots);
}

/** The new smoothed AHT after a chat of `handleSeconds`. */
export function smoothAht(previous: number | null, samples: number, handleSeconds: number): number {
  if (previous === null || samples === 0) return handleSeconds;
  return previous + AHT_SMOOTHING * (handleSeconds - previous);
}
