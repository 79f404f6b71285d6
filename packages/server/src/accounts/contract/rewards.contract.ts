/** Contract tests for the rewards operations of any AccountsPort implementation. */
import type { ContractHarness } from './harness.js';

export function rewardsContract(_harness: () => ContractHarness): void {
  // Filled in with describe/it blocks by the rewards area.
}
