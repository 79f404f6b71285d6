/**
 * The embedded core's rewards operations seen from the inside (ledger, credits, balances, concurrency,
 * rows the fixtures cannot build), on SQLite or PostgreSQL. The port-level behaviour is in the contract
 * (contract/rewards.contract.ts).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { storeUnavailable } from '../../../test/helpers.js';
import type { Caller } from '../accounts.port.js';
import { addDays } from '../rules/dates.js';
import type { BuiltCardmember } from '../testing/builders.js';
import { makeEmbeddedHarness, type EmbeddedHarness } from '../testing/embedded-harness.js';

const skip = await storeUnavailable();
const TODAY = '2026-11-25';
const key = () => `k-${randomUUID()}`;
const me = (cm: BuiltCardmember): Caller => ({
  actorType: 'cardmember',
  actorId: cm.cardmemberId,
  onBehalfOf: cm.cardmemberId,
});

describe.skipIf(skip)('embedded rewards operations', () => {
  let h: EmbeddedHarness;
  beforeAll(async () => {
    h = await makeEmbeddedHarness(TODAY);
  });
  beforeEach(() => h.clock.set(TODAY));
  afterAll(async () => h?.close());

  const travel = (cm: BuiltCardmember, amountCents: number) =>
    h.fixtures.buildTransaction({
      accountId: cm.accountId,
      cardId: cm.cardId,
      date: addDays(TODAY, -5),
      amountCents,
      category: 'travel',
      merchant: 'Meridian Air',
    });

  it('writes the ledger debit, the credit, the redeemed flag and both balances in one go', async () => {
    const cm = await h.fixtures.buildCardmember({ rewardsBalance: 60_000, balanceCents: 125_000 });
    const txn = await travel(cm, 35_000);
    await h.port.redeemPayWithPoints(me(cm), { transactionId: txn }, key());
    const ledger = await h.ctx.db
      .selectFrom('rewards_ledger')
      .selectAll()
      .where('account_id', '=', cm.accountId)
      .execute();
    expect(ledger).toEqual([
      expect.objectContaining({ points: -50_000, kind: 'redeem', transaction_id: txn, status: 'posted' }),
    ]);
    const credits = await h.ctx.db.selectFrom('credits').selectAll().where('account_id', '=', cm.accountId).execute();
    expect(credits).toEqual([
      expect.objectContaining({ kind: 'pay_with_points', amount_cents: 35_000, reference: txn, posted_on: TODAY }),
    ]);
    const account = await h.ctx.db
      .selectFrom('accounts')
      .selectAll()
      .where('id', '=', cm.accountId)
      .executeTakeFirstOrThrow();
    expect(account).toMatchObject({ rewards_balance: 10_000, current_balance_cents: 90_000 });
    const t = await h.ctx.db
      .selectFrom('transactions')
      .select('pwp_redeemed')
      .where('id', '=', txn)
      .executeTakeFirstOrThrow();
    expect(Number(t.pwp_redeemed)).toBe(1);
    const rec = (await h.auditTrail(cm.cardmemberId)).find((r) => r.operation === 'redeemPayWithPoints');
    expect(rec?.details).toMatchObject({
      accountId: cm.accountId,
      transactionId: txn,
      points: 50_000,
      creditCents: 35_000,
    });
  });

  it('writes nothing when a rule refuses', async () => {
    const cm = await h.fixtures.buildCardmember({ rewardsBalance: 100 });
    const txn = await travel(cm, 35_000);
    await expect(h.port.redeemPayWithPoints(me(cm), { transactionId: txn }, key())).rejects.toMatchObject({
      rule: 'insufficient_points',
    });
    const ledger = await h.ctx.db
      .selectFrom('rewards_ledger')
      .selectAll()
      .where('account_id', '=', cm.accountId)
      .execute();
    const credits = await h.ctx.db.selectFrom('credits').selectAll().where('account_id', '=', cm.accountId).execute();
    expect([ledger, credits]).toEqual([[], []]);
  });

  it('redeems a charge once under concurrent requests with different keys', async () => {
    const cm = await h.fixtures.buildCardmember({ rewardsBalance: 100_000 });
    const txn = await travel(cm, 7_000);
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, () => h.port.redeemPayWithPoints(me(cm), { transactionId: txn }, key())),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((x) => x.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason).toMatchObject({ rule: 'already_redeemed' });
    const account = await h.ctx.db
      .selectFrom('accounts')
      .select('rewards_balance')
      .where('id', '=', cm.accountId)
      .executeTakeFirstOrThrow();
    expect(account.rewards_balance).toBe(90_000);
  });

  it('never overdraws the points under concurrent redemptions of different charges', async () => {
    const cm = await h.fixtures.buildCardmember({ rewardsBalance: 25_000 });
    const txns = await Promise.all([travel(cm, 7_000), travel(cm, 7_000), travel(cm, 7_000)]);
    const results = await Promise.allSettled(
      txns.map((t) => h.port.redeemPayWithPoints(me(cm), { transactionId: t }, key())),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    const account = await h.ctx.db
      .selectFrom('accounts')
      .select('rewards_balance')
      .where('id', '=', cm.accountId)
      .executeTakeFirstOrThrow();
    expect(account.rewards_balance).toBe(5_000);
  });

  it('sums pending ledger points', async () => {
    const cm = await h.fixtures.buildCardmember();
    const row = (points: number, status: 'pending' | 'posted') => ({
      id: `rwd_${randomUUID().slice(0, 12)}`,
      account_id: cm.accountId,
      points,
      kind: 'earn' as const,
      description: 'Purchase points',
      transaction_id: null,
      status,
      created_at: new Date(0).toISOString(),
    });
    await h.ctx.db
      .insertInto('rewards_ledger')
      .values([row(1_200, 'pending'), row(300, 'pending'), row(9_999, 'posted')])
      .execute();
    const r = await h.port.getRewards(me(cm), cm.cardId);
    expect(r.pendingPoints).toBe(1_500);
    expect(r.balancePoints).toBe(48_000);
  });

  it("counts this calendar year's statement credits for a benefit, capped at its yearly amount", async () => {
    const cm = await h.fixtures.buildCardmember({ productId: 'platinum' });
    const credit = (
      amount_cents: number,
      posted_on: string,
      reference: string,
      kind: 'statement_credit' | 'goodwill' = 'statement_credit',
    ) => ({
      id: `cr_${randomUUID().slice(0, 12)}`,
      account_id: cm.accountId,
      kind,
      amount_cents,
      posted_on,
      reference,
    });
    await h.ctx.db
      .insertInto('credits')
      .values([
        credit(5_000, '2026-02-10', 'airline_credit'),
        credit(2_500, '2026-11-01', 'airline_credit'),
        credit(9_000, '2025-12-31', 'airline_credit'),
        credit(4_000, '2026-03-01', 'dining_credit'),
        credit(4_000, '2026-03-01', 'airline_credit', 'goodwill'),
      ])
      .execute();
    const airline = () => h.port.listBenefits(me(cm), cm.cardId).then((b) => b.find((x) => x.id === 'airline_credit'));
    expect(await airline()).toMatchObject({ annualAmountCents: 20_000, usedThisYearCents: 7_500 });
    await h.ctx.db
      .insertInto('credits')
      .values(credit(15_000, '2026-11-20', 'airline_credit'))
      .execute();
    expect((await airline())?.usedThisYearCents).toBe(20_000);
    h.clock.set('2027-01-01');
    expect((await airline())?.usedThisYearCents).toBe(0);
  });
});
