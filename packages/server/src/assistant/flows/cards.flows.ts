/**
 * Flows of the assistant: cards (see dialogue/flow.ts for how a flow is written). One flow per card
 * intent, grouped by what they do in `cards/`.
 */
import type { Flow } from '../dialogue/flow.js';
import { arrivalFlows } from './cards/arrival.flows.js';
import { infoFlows } from './cards/info.flows.js';
import { lockFlows } from './cards/lock.flows.js';
import { replaceFlows } from './cards/replace.flows.js';

export const cardFlows: Flow[] = [...replaceFlows, ...arrivalFlows, ...lockFlows, ...infoFlows];
