/** Contract tests for the cards operations of any AccountsPort implementation. */
import type { ContractHarness } from './harness.js';

export function cardsContract(_harness: () => ContractHarness): void {
  // Filled in with describe/it blocks by the cards area.
}
