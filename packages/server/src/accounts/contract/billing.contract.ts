/** Contract tests for the billing operations of any AccountsPort implementation. */
import type { ContractHarness } from './harness.js';

export function billingContract(_harness: () => ContractHarness): void {
  // Filled in with describe/it blocks by the billing area.
}
