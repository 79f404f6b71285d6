/** Builds a ContractHarness over the embedded core on a fresh database of the current test kind. */
import { freshDatabase } from '../../../test/helpers.js';
import { openStore } from '../../store/db.js';
import type { ContractHarness, Fixtures } from '../contract/harness.js';
import type { OpsContext } from '../embedded/context.js';
import { EmbeddedAccounts } from '../embedded/embedded-accounts.js';
import { PanVault } from '../embedded/pan-vault.js';
import { ensureProducts } from '../embedded/products.js';
import * as builders from './builders.js';
import { MutableClock } from './clock.js';

export interface EmbeddedHarness extends ContractHarness {
  ctx: OpsContext;
  close(): Promise<void>;
}

export async function makeEmbeddedHarness(today = '2026-11-25'): Promise<EmbeddedHarness> {
  const database = await freshDatabase();
  const store = await openStore(database.config);
  await ensureProducts(store.db);
  const clock = new MutableClock(today);
  const ctx: OpsContext = {
    db: store.db,
    clock,
    vault: new PanVault(new TextEncoder().encode('test-accounts-key-0123456789abcdefghij')),
  };
  const fixtures = Object.fromEntries(
    Object.entries(builders)
      .filter(([, f]) => typeof f === 'function')
      .map(([k, f]) => [k, (...args: unknown[]) => (f as (...a: unknown[]) => unknown)(ctx, ...args)]),
  ) as unknown as Fixtures;
  return {
    port: new EmbeddedAccounts(ctx),
    clock,
    ctx,
    fixtures,
    async auditTrail(cardmemberId) {
      const rows = await store.db
        .selectFrom('audit_log')
        .selectAll()
        .where('on_behalf_of', '=', cardmemberId)
        .orderBy('at')
        .execute();
      return rows.map((r) => ({
        operation: r.operation,
        actorType: r.actor_type,
        actorId: r.actor_id,
        onBehalfOf: r.on_behalf_of,
        targetType: r.target_type,
        targetId: r.target_id,
        outcome: r.outcome,
        details: JSON.parse(r.details) as Record<string, unknown>,
      }));
    },
    async close() {
      await store.close();
      await database.drop();
    },
  };
}
