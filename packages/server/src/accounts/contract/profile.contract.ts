/** Contract tests for the profile operations of any AccountsPort implementation. */
import type { ContractHarness } from './harness.js';

export function profileContract(_harness: () => ContractHarness): void {
  // Filled in with describe/it blocks by the profile area.
}
