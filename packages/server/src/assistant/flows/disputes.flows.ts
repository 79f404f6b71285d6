/**
 * Flows of the assistant: disputes (see dialogue/flow.ts for how a flow is written). Opening a
 * billing-error dispute is in disputes.start.ts, where a dispute stands in disputes.status.ts.
 */
import type { Flow } from '../dialogue/flow.js';
import { disputeStartFlow } from './disputes.start.js';
import { disputeStatusFlow } from './disputes.status.js';

export const disputeFlows: Flow[] = [disputeStartFlow, disputeStatusFlow];
