/** Runs the accounts port contract against the embedded core, on SQLite or PostgreSQL. */
import { afterAll, beforeAll, beforeEach, describe } from 'vitest';
import { storeUnavailable } from '../../../test/helpers.js';
import { billingContract } from '../contract/billing.contract.js';
import { cardsContract } from '../contract/cards.contract.js';
import { creditContract } from '../contract/credit.contract.js';
import { disputesContract } from '../contract/disputes.contract.js';
import { profileContract } from '../contract/profile.contract.js';
import { rewardsContract } from '../contract/rewards.contract.js';
import { travelContract } from '../contract/travel.contract.js';
import { makeEmbeddedHarness, type EmbeddedHarness } from '../testing/embedded-harness.js';

const skip = await storeUnavailable();
const TODAY = '2026-11-25';

describe.skipIf(skip)('accounts port contract: embedded core', () => {
  let h: EmbeddedHarness;
  beforeAll(async () => {
    h = await makeEmbeddedHarness(TODAY);
  });
  // Tests share one database but build their own cardmembers; the clock resets for each.
  beforeEach(() => h.clock.set(TODAY));
  afterAll(async () => h?.close());

  const harness = () => h;
  profileContract(harness);
  cardsContract(harness);
  billingContract(harness);
  disputesContract(harness);
  rewardsContract(harness);
  creditContract(harness);
  travelContract(harness);
});
