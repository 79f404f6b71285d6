/**
 * What a contract test needs: the port under test, a clock it can set, fixtures that create data in
 * the core behind the port, and a view of the audit trail. The embedded core provides one
 * (`makeEmbeddedHarness`); a bank's core adapter can provide its own and run the same contract.
 */
import type { AccountsPort } from '../accounts.port.js';
import type { MutableClock } from '../testing/clock.js';
import type * as builders from '../testing/builders.js';

type Bound<F> = F extends (ctx: never, ...args: infer A) => infer R ? (...args: A) => R : never;

export type Fixtures = {
  [K in keyof typeof builders as (typeof builders)[K] extends (...a: never[]) => unknown ? K : never]: Bound<
    (typeof builders)[K]
  >;
};

export interface AuditRecord {
  operation: string;
  actorType: string;
  actorId: string | null;
  onBehalfOf: string;
  targetType: string;
  targetId: string | null;
  outcome: string;
  details: Record<string, unknown>;
}

export interface ContractHarness {
  port: AccountsPort;
  clock: MutableClock;
  fixtures: Fixtures;
  auditTrail(cardmemberId: string): Promise<AuditRecord[]>;
}
