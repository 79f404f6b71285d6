/** Shared helpers of the contract tests: callers, idempotency keys, expected failures. */
import { randomUUID } from 'node:crypto';
import type { Caller } from '../accounts.port.js';

/** A cardmember id, or anything built for one. */
type Subject = string | { cardmemberId: string };
const idOf = (s: Subject): string => (typeof s === 'string' ? s : s.cardmemberId);

export const asCardmember = (s: Subject): Caller => ({
  actorType: 'cardmember',
  actorId: idOf(s),
  onBehalfOf: idOf(s),
});
export const asAssistant = (s: Subject): Caller => ({ actorType: 'assistant', actorId: null, onBehalfOf: idOf(s) });
export const asAgent = (s: Subject): Caller => ({
  actorType: 'agent',
  actorId: 'agent_ana',
  onBehalfOf: idOf(s),
  conversationId: 'conv_1',
});

/** A fresh idempotency key; the label only helps reading audit trails. */
export const key = (label: string): string => `${label}-${randomUUID()}`;

/** The error a promise rejects with (fails the test if it resolves). */
export async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}
