/**
 * Small helpers for the rewards, account, credit and travel flows: asking again when an answer was
 * understood but cannot be used, reading slots, and joining lists the way each language does.
 */
import type { Language } from '@carechat/protocol';
import { common } from '../dialogue/common.strings.js';
import type { FlowContext, HandoffRequest, Slots, Step } from '../dialogue/flow.js';
import { handoff } from '../dialogue/flow.js';
import { MAX_FAILURES } from '../dialogue/manager.js';

/**
 * The answer to `slot` parsed but is unusable (an email without a domain, a trip ending before it
 * starts): forget it and ask again, saying why. The manager only counts answers it could not parse,
 * so the flow counts these itself; the second unusable answer to the same question hands the chat to a person.
 */
export function reask(
  ctx: FlowContext,
  slots: Slots,
  slot: string,
  why: string,
  again: Step,
  person: HandoffRequest,
): Step {
  delete slots[slot];
  const key = `__rejected_${slot}`;
  const count = (typeof slots[key] === 'number' ? slots[key] : 0) + 1;
  slots[key] = count;
  if (count >= MAX_FAILURES) return handoff([`${why} ${ctx.t(common)('reprompt.handoff')}`], person);
  return again.kind === 'ask' ? { ...again, prompt: `${why} ${again.prompt}` } : again;
}

/** A slot's value when it is text. */
export const slotText = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** "Lisbon, Porto and Madrid" / "Lisboa, Oporto y Madrid". */
export const listOf = (items: string[], lang: Language): string =>
  new Intl.ListFormat(lang === 'es' ? 'es' : 'en', { style: 'long', type: 'conjunction' }).format(items);

/** The first message of a task, kept by `init` for matching a choice it named ("the Skyward Air charge"). */
export function firstText(slots: Slots): string | null {
  const text = slots.__first;
  delete slots.__first;
  return typeof text === 'string' ? text : null;
}
