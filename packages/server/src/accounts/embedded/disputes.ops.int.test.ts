/**
 * The embedded core's disputes seen from the inside (the charge's dispute pointer, reference
 * collisions, concurrent requests), on SQLite or PostgreSQL. The port-level behaviour is in the
 * contract (contract/disputes.contract.ts).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { storeUnavailable } from '../../../test/helpers.js';
import type { Caller } from '../accounts.port.js';
import type { BuiltCardmember } from '../testing/builders.js';
import { makeEmbeddedHarness, type EmbeddedHarness } from '../testing/embedded-harness.js';
import { openDispute, type RandomSource } from './disputes.ops.js';

const skip = await storeUnavailable();
const TODAY = '2026-11-25';
const key = () => `k-${randomUUID()}`;
const me = (cm: BuiltCardmember): Caller => ({
  actorType: 'cardmember',
  actorId: cm.cardmemberId,
  onBehalfOf: cm.cardmemberId,
});

/** `first` for the first draw, `then` for every draw after it. */
const replaying =
  (first: number[], then: number[]): RandomSource =>
  () =>
    Uint8Array.from(first.length ? first.splice(0) : then);

describe.skipIf(skip)('embedded disputes', () => {
  let h: EmbeddedHarness;
  beforeAll(async () => {
    h = await makeEmbeddedHarness(TODAY);
  });
  beforeEach(() => h.clock.set(TODAY));
  afterAll(async () => h?.close());

  const charge = async () => {
    const cm = await h.fixtures.buildCardmember();
    const txn = await h.fixtures.buildTransaction({
      accountId: cm.accountId,
      cardId: cm.cardId,
      date: '2026-11-20',
      amountCents: 12_500,
    });
    return { cm, txn };
  };

  it('points the charge at its dispute and keeps the disputed amount with the open dispute', async () => {
    const { cm, txn } = await charge();
    const d = await h.port.openDispute(me(cm), { transactionId: txn, reason: 'unauthorized' }, key());
    const t = await h.ctx.db.selectFrom('transactions').select('dispute_id').where('id', '=', txn).executeTakeFirst();
    expect(t?.dispute_id).toBe(d.id);
    const row = await h.ctx.db.selectFrom('disputes').selectAll().where('id', '=', d.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      cardmember_id: cm.cardmemberId,
      account_id: cm.accountId,
      amount_cents: 12_500,
      status: 'open',
    });
  });

  it('draws a new reference when the first one is taken', async () => {
    const a = await charge();
    const b = await charge();
    const taken = await openDispute(h.ctx, me(a.cm), { transactionId: a.txn, reason: 'duplicate' }, key(), () =>
      Uint8Array.from([1, 2, 3, 4, 5]),
    );
    const next = await openDispute(
      h.ctx,
      me(b.cm),
      { transactionId: b.txn, reason: 'duplicate' },
      key(),
      replaying([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]),
    );
    expect(next.reference).not.toBe(taken.reference);
    expect(next.reference).toMatch(/^DSP-[0-9A-Z]{8}$/);
  });

  it('gives up as unavailable, changing nothing, when every reference drawn is taken', async () => {
    const a = await charge();
    const b = await charge();
    const same = () => Uint8Array.from([9, 9, 9, 9, 9]);
    await openDispute(h.ctx, me(a.cm), { transactionId: a.txn, reason: 'duplicate' }, key(), same);
    await expect(
      openDispute(h.ctx, me(b.cm), { transactionId: b.txn, reason: 'duplicate' }, key(), same),
    ).rejects.toMatchObject({ code: 'unavailable' });
    const t = await h.ctx.db.selectFrom('transactions').select('dispute_id').where('id', '=', b.txn).executeTakeFirst();
    expect(t?.dispute_id).toBeNull();
  });

  it('opens exactly one dispute when two requests for the same charge race', async () => {
    const { cm, txn } = await charge();
    const results = await Promise.allSettled(
      [1, 2, 3].map(() => h.port.openDispute(me(cm), { transactionId: txn, reason: 'unauthorized' }, key())),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason).toMatchObject({ rule: 'dispute.already_disputed' });
    const rows = await h.ctx.db.selectFrom('disputes').select('id').where('transaction_id', '=', txn).execute();
    expect(rows).toHaveLength(1);
  });
});
