/** Contract tests for the credit operations of any AccountsPort implementation. */
import type { ContractHarness } from './harness.js';

export function creditContract(_harness: () => ContractHarness): void {
  // Filled in with describe/it blocks by the credit area.
}
