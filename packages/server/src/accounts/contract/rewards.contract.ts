/** Contract tests for the rewards operations of any AccountsPort implementation. */
import { describe, expect, it } from 'vitest';
import { addDays } from '../rules/dates.js';
import type { CardmemberSpec } from '../testing/builders.js';
import { asAgent, asAssistant, asCardmember, failure, key } from './support.js';
import type { ContractHarness } from './harness.js';

const TODAY = '2026-11-25';

export function rewardsContract(harness: () => ContractHarness): void {
  const h = () => harness();

  /** A cardmember (gold by default: Pay with Points at 0.70 cents a point) and a travel charge builder. */
  async function member(spec: CardmemberSpec = {}) {
    const cm = await h().fixtures.buildCardmember({ rewardsBalance: 100_000, ...spec });
    const charge = (o: {
      amountCents?: number;
      daysAgo?: number;
      category?: string;
      status?: 'pending' | 'posted';
      merchant?: string;
    }) =>
      h().fixtures.buildTransaction({
        accountId: cm.accountId,
        cardId: cm.cardId,
        date: addDays(TODAY, -(o.daysAgo ?? 10)),
        amountCents: o.amountCents ?? 35_000,
        category: o.category ?? 'travel',
        status: o.status ?? 'posted',
        merchant: o.merchant ?? 'Meridian Air',
      });
    return { cm, charge };
  }

  describe('rewards: getRewards', () => {
    it('returns the program, balance, pending points and the Pay with Points value', async () => {
      const { cm } = await member({ rewardsBalance: 48_000 });
      const r = await h().port.getRewards(asCardmember(cm), cm.cardId);
      expect(r).toEqual({
        accountId: cm.accountId,
        program: 'Meridian Rewards',
        balancePoints: 48_000,
        pendingPoints: 0,
        payWithPointsValue: 70,
      });
      expect(JSON.stringify(r)).not.toContain(cm.pan);
    });

    it('refuses a card without a rewards program (no_rewards_program)', async () => {
      const { cm } = await member({ productId: 'corporate' });
      const err = await failure(h().port.getRewards(asCardmember(cm), cm.cardId));
      expect(err).toMatchObject({ code: 'rule_violation', rule: 'no_rewards_program' });
    });

    it("is not_found for another cardmember's card", async () => {
      const { cm } = await member();
      const other = await h().fixtures.buildCardmember();
      for (const call of [
        () => h().port.getRewards(asCardmember(cm), other.cardId),
        () => h().port.listPayWithPointsEligible(asCardmember(cm), other.cardId),
        () => h().port.listBenefits(asCardmember(cm), other.cardId),
        () => h().port.getRewards(asCardmember(cm), 'card_does_not_exist'),
      ])
        expect(await failure(call())).toMatchObject({ code: 'not_found' });
    });

    it('audits agent reads', async () => {
      const { cm } = await member();
      await h().port.getRewards(asAgent(cm), cm.cardId);
      await h().port.listPayWithPointsEligible(asAgent(cm), cm.cardId);
      await h().port.listBenefits(asAgent(cm), cm.cardId);
      const trail = await h().auditTrail(cm.cardmemberId);
      for (const operation of ['getRewards', 'listPayWithPointsEligible', 'listBenefits'])
        expect(trail).toContainEqual(
          expect.objectContaining({ operation, actorType: 'agent', actorId: 'agent_ana', outcome: 'ok' }),
        );
    });
  });

  describe('rewards: listPayWithPointsEligible', () => {
    it('lists posted travel purchases of the last 90 days not yet redeemed, whatever the balance', async () => {
      const { cm, charge } = await member({ rewardsBalance: 10 });
      const recent = await charge({ daysAgo: 3 });
      const edge = await charge({ daysAgo: 90 });
      const big = await charge({ daysAgo: 20, amountCents: 5_000_000 });
      await charge({ daysAgo: 91 });
      await charge({ status: 'pending', daysAgo: 1 });
      await charge({ category: 'dining', merchant: 'Blue Bottle Coffee' });
      await charge({ amountCents: -12_000, merchant: 'Meridian Air refund' });
      const list = await h().port.listPayWithPointsEligible(asCardmember(cm), cm.cardId);
      expect(list.map((t) => t.id).sort()).toEqual([recent, edge, big].sort());
      expect(list.every((t) => t.category === 'travel' && t.status === 'posted' && !t.redeemedWithPoints)).toBe(true);
      expect(list[0]).toMatchObject({ cardId: cm.cardId, cardLast4: cm.pan.slice(-4), amount: { currency: 'USD' } });
      expect(JSON.stringify(list)).not.toContain(cm.pan);
    });

    it('is empty on a product without Pay with Points', async () => {
      const { cm, charge } = await member({ productId: 'blue_cash' });
      await charge({});
      expect(await h().port.listPayWithPointsEligible(asCardmember(cm), cm.cardId)).toEqual([]);
    });
  });

  describe('rewards: redeemPayWithPoints', () => {
    it('pays a travel charge with points: debits the points and credits the full amount', async () => {
      const { cm, charge } = await member({ rewardsBalance: 60_000 });
      const txn = await charge({ amountCents: 35_000 });
      const r = await h().port.redeemPayWithPoints(asAssistant(cm), { transactionId: txn }, key('pwp'));
      // ceil(35,000 cents * 100 / 70) = 50,000 points.
      expect(r).toEqual({ transactionId: txn, pointsRedeemed: 50_000, creditCents: 35_000, balancePoints: 10_000 });
      expect((await h().port.getRewards(asCardmember(cm), cm.cardId)).balancePoints).toBe(10_000);
      expect(await h().port.listPayWithPointsEligible(asCardmember(cm), cm.cardId)).toEqual([]);
      expect(JSON.stringify(r)).not.toContain(cm.pan);
    });

    it('rounds the points up', async () => {
      const { cm, charge } = await member();
      const txn = await charge({ amountCents: 10_000 });
      const r = await h().port.redeemPayWithPoints(asCardmember(cm), { transactionId: txn }, key('pwp'));
      expect(r.pointsRedeemed).toBe(14_286);
      expect(r.balancePoints).toBe(100_000 - 14_286);
    });

    it('redeems with exactly enough points and refuses one short (insufficient_points)', async () => {
      const { cm: exact, charge: exactCharge } = await member({ rewardsBalance: 50_000 });
      const t1 = await exactCharge({ amountCents: 35_000 });
      const ok = await h().port.redeemPayWithPoints(asCardmember(exact), { transactionId: t1 }, key('pwp'));
      expect(ok.balancePoints).toBe(0);

      const { cm: short, charge: shortCharge } = await member({ rewardsBalance: 49_999 });
      const t2 = await shortCharge({ amountCents: 35_000 });
      const err = await failure(h().port.redeemPayWithPoints(asCardmember(short), { transactionId: t2 }, key('pwp')));
      expect(err).toMatchObject({
        code: 'rule_violation',
        rule: 'insufficient_points',
        details: { needed: 50_000, available: 49_999 },
      });
      expect((await h().port.getRewards(asCardmember(short), short.cardId)).balancePoints).toBe(49_999);
    });

    it('takes a charge 90 days old and refuses one 91 days old (charge_too_old)', async () => {
      const { cm, charge } = await member();
      const d90 = await charge({ daysAgo: 90, amountCents: 1_000 });
      const d91 = await charge({ daysAgo: 91, amountCents: 1_000 });
      expect(
        (await h().port.redeemPayWithPoints(asCardmember(cm), { transactionId: d90 }, key('pwp'))).creditCents,
      ).toBe(1_000);
      expect(
        await failure(h().port.redeemPayWithPoints(asCardmember(cm), { transactionId: d91 }, key('pwp'))),
      ).toMatchObject({ code: 'rule_violation', rule: 'charge_too_old' });
    });

    it('measures age against the current date', async () => {
      const { cm, charge } = await member();
      const txn = await charge({ daysAgo: 80, amountCents: 1_000 });
      h().clock.set(addDays(TODAY, 11));
      expect(
        await failure(h().port.redeemPayWithPoints(asCardmember(cm), { transactionId: txn }, key('pwp'))),
      ).toMatchObject({ code: 'rule_violation', rule: 'charge_too_old' });
    });

    it('refuses a second redemption of the same charge with another key (already_redeemed)', async () => {
      const { cm, charge } = await member();
      const txn = await charge({ amountCents: 7_000 });
      const first = await h().port.redeemPayWithPoints(asCardmember(cm), { transactionId: txn }, key('pwp'));
      const err = await failure(h().port.redeemPayWithPoints(asCardmember(cm), { transactionId: txn }, key('pwp')));
      expect(err).toMatchObject({ code: 'rule_violation', rule: 'already_redeemed' });
      expect((await h().port.getRewards(asCardmember(cm), cm.cardId)).balancePoints).toBe(first.balancePoints);
    });

    it('is idempotent: the same key returns the first result and debits once; another request with it conflicts', async () => {
      const { cm, charge } = await member();
      const txn = await charge({ amountCents: 7_000 });
      const other = await charge({ amountCents: 3_500 });
      const k = key('pwp');
      const first = await h().port.redeemPayWithPoints(asCardmember(cm), { transactionId: txn }, k);
      const second = await h().port.redeemPayWithPoints(asCardmember(cm), { transactionId: txn }, k);
      expect(second).toEqual(first);
      expect(first.pointsRedeemed).toBe(10_000);
      expect((await h().port.getRewards(asCardmember(cm), cm.cardId)).balancePoints).toBe(90_000);
      const err = await failure(h().port.redeemPayWithPoints(asCardmember(cm), { transactionId: other }, k));
      expect(err).toMatchObject({ code: 'conflict' });
      const trail = await h().auditTrail(cm.cardmemberId);
      expect(trail.filter((r) => r.operation === 'redeemPayWithPoints' && r.outcome === 'ok')).toHaveLength(1);
    });

    it('refuses pending charges, non-travel charges and credits', async () => {
      const { cm, charge } = await member();
      const cases: Array<[string, string]> = [
        ['charge_pending', await charge({ status: 'pending' })],
        ['not_travel_charge', await charge({ category: 'dining' })],
        ['not_a_purchase', await charge({ amountCents: -5_000 })],
      ];
      for (const [rule, txn] of cases) {
        const err = await failure(h().port.redeemPayWithPoints(asCardmember(cm), { transactionId: txn }, key('pwp')));
        expect(err).toMatchObject({ code: 'rule_violation', rule });
      }
      expect((await h().port.getRewards(asCardmember(cm), cm.cardId)).balancePoints).toBe(100_000);
    });

    it('refuses on a product without Pay with Points (pay_with_points_unavailable)', async () => {
      const { cm, charge } = await member({ productId: 'blue_cash' });
      const txn = await charge({});
      const err = await failure(h().port.redeemPayWithPoints(asCardmember(cm), { transactionId: txn }, key('pwp')));
      expect(err).toMatchObject({ code: 'rule_violation', rule: 'pay_with_points_unavailable' });
    });

    it("is not_found for another cardmember's charge and leaves it untouched", async () => {
      const { cm } = await member();
      const { cm: other, charge: otherCharge } = await member();
      const txn = await otherCharge({});
      const err = await failure(h().port.redeemPayWithPoints(asCardmember(cm), { transactionId: txn }, key('pwp')));
      expect(err).toMatchObject({ code: 'not_found' });
      expect((await h().port.listPayWithPointsEligible(asCardmember(other), other.cardId)).map((t) => t.id)).toEqual([
        txn,
      ]);
    });

    it('rejects malformed input', async () => {
      const { cm } = await member();
      for (const input of [{ transactionId: '' }, {}, { transactionId: 42 }, null, { transactionId: cm.pan }])
        expect(await failure(h().port.redeemPayWithPoints(asCardmember(cm), input as never, key('pwp')))).toMatchObject(
          { code: 'invalid_input' },
        );
      // A card number typed where an id belongs must not reach the audit trail either.
      expect(JSON.stringify(await h().auditTrail(cm.cardmemberId))).not.toContain(cm.pan);
    });

    it('audits the redemption and refusals', async () => {
      const { cm, charge } = await member({ rewardsBalance: 20_000 });
      const small = await charge({ amountCents: 7_000 });
      const big = await charge({ amountCents: 700_000 });
      await h().port.redeemPayWithPoints(asAgent(cm), { transactionId: small }, key('pwp'));
      await failure(h().port.redeemPayWithPoints(asAgent(cm), { transactionId: big }, key('pwp')));
      const trail = await h().auditTrail(cm.cardmemberId);
      expect(trail).toContainEqual(
        expect.objectContaining({
          operation: 'redeemPayWithPoints',
          actorType: 'agent',
          actorId: 'agent_ana',
          outcome: 'ok',
          targetId: small,
        }),
      );
      expect(trail).toContainEqual(
        expect.objectContaining({ operation: 'redeemPayWithPoints', outcome: 'rejected', targetId: big }),
      );
      expect(JSON.stringify(trail)).not.toContain(cm.pan);
    });
  });

  describe('rewards: listBenefits', () => {
    it("lists the product's benefits with statement credit usage", async () => {
      const { cm } = await member({ productId: 'platinum' });
      const benefits = await h().port.listBenefits(asCardmember(cm), cm.cardId);
      expect(benefits.map((b) => b.kind)).toEqual(['statement_credit', 'lounge_access', 'insurance']);
      expect(benefits[0]).toMatchObject({ annualAmountCents: 20_000, usedThisYearCents: 0 });
      for (const b of benefits.slice(1)) expect(b).toMatchObject({ annualAmountCents: null, usedThisYearCents: null });
      for (const b of benefits) expect(b.name.length && b.terms.length).toBeGreaterThan(0);
      expect(JSON.stringify(benefits)).not.toContain(cm.pan);
    });

    it('is empty for a product without benefits', async () => {
      const { cm } = await member({ productId: 'blue_cash' });
      expect(await h().port.listBenefits(asCardmember(cm), cm.cardId)).toEqual([]);
    });
  });
}
