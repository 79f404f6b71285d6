/**
 * The next best thing after a refusal the assistant cannot get around (a business rule said no): offer
 * a person instead of handing off unasked, because a queue the cardmember did not want is worse than
 * none. The answer lands in the `agent` slot; flows call this on every run until it is answered.
 */
import { common } from '../dialogue/common.strings.js';
import {
  ask,
  done,
  handoff,
  type FlowContext,
  type HandoffRequest,
  type Reply,
  type Slots,
  type Step,
} from '../dialogue/flow.js';

export interface AgentOffer {
  /** The explanation and the question ("... Would you like me to connect you with an agent?"). */
  prompt: string;
  /** Where the chat goes on "yes", with the English summary the agent reads first. */
  request: HandoffRequest;
  /** What the assistant says on "no". */
  declined: Reply;
}

export function offerAgent(ctx: FlowContext, slots: Slots, offer: AgentOffer): Step {
  if (slots.agent === true) return handoff([], offer.request);
  if (slots.agent === false) return done([offer.declined]);
  const c = ctx.t(common);
  return ask('agent', 'yesno', offer.prompt, undefined, [c('qr.yes'), c('qr.no')]);
}
