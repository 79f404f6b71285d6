/** Contract tests for the travel operations of any AccountsPort implementation. */
import type { ContractHarness } from './harness.js';

export function travelContract(_harness: () => ContractHarness): void {
  // Filled in with describe/it blocks by the travel area.
}
