/** Every flow of the assistant, by area. One flow per intent; the manager handles agent requests itself. */
import type { Flow } from '../dialogue/flow.js';
import { accountFlows } from './account.flows.js';
import { billingFlows } from './billing.flows.js';
import { cardFlows } from './cards.flows.js';
import { conversationFlows } from './conversation.flows.js';
import { creditFlows } from './credit.flows.js';
import { disputeFlows } from './disputes.flows.js';
import { fraudFlows } from './fraud.flows.js';
import { rewardsFlows } from './rewards.flows.js';
import { travelFlows } from './travel.flows.js';

export const ALL_FLOWS: readonly Flow[] = [
  ...cardFlows,
  ...fraudFlows,
  ...billingFlows,
  ...disputeFlows,
  ...rewardsFlows,
  ...accountFlows,
  ...creditFlows,
  ...travelFlows,
  ...conversationFlows,
];
