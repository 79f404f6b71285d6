/** Contract tests for the credit operations of any AccountsPort implementation. */
import { describe, expect, it } from 'vitest';
import { asAgent, asAssistant, asCardmember, key } from './support.js';
import type { ContractHarness } from './harness.js';

// Dates below assume the runner's default today, 2026-11-25 (the clock resets before each test).

export function creditContract(harness: () => ContractHarness): void {
  const h = harness;
  const agentReadAudited = async (cardmemberId: string, operation: string) => {
    const trail = await h().auditTrail(cardmemberId);
    expect(trail).toContainEqual(
      expect.objectContaining({ operation, actorType: 'agent', actorId: 'agent_ana', onBehalfOf: cardmemberId }),
    );
  };

  describe('credit: getCreditLimit', () => {
    it('returns the limit, the balance and the available credit', async () => {
      const cm = await h().fixtures.buildCardmember({ creditLimitCents: 1_000_000, balanceCents: 125_000 });
      const info = await h().port.getCreditLimit(asCardmember(cm.cardmemberId), cm.cardId);
      expect(info).toEqual({
        accountId: cm.accountId,
        creditLimitCents: 1_000_000,
        currentBalanceCents: 125_000,
        availableCreditCents: 875_000,
      });
      expect(JSON.stringify(info)).not.toContain(cm.pan);
    });

    it('never reports negative available credit for an over-limit balance', async () => {
      const cm = await h().fixtures.buildCardmember({ creditLimitCents: 500_000, balanceCents: 520_000 });
      const info = await h().port.getCreditLimit(asAssistant(cm.cardmemberId), cm.cardId);
      expect(info.availableCreditCents).toBe(0);
    });

    it("answers not_found for another cardmember's card", async () => {
      const a = await h().fixtures.buildCardmember();
      const b = await h().fixtures.buildCardmember();
      await expect(h().port.getCreditLimit(asCardmember(a.cardmemberId), b.cardId)).rejects.toMatchObject({
        code: 'not_found',
      });
      await expect(h().port.getCreditLimit(asCardmember(a.cardmemberId), 'card_nope')).rejects.toMatchObject({
        code: 'not_found',
      });
    });

    it("audits an agent's read", async () => {
      const cm = await h().fixtures.buildCardmember();
      await h().port.getCreditLimit(asAgent(cm.cardmemberId), cm.cardId);
      await agentReadAudited(cm.cardmemberId, 'getCreditLimit');
    });
  });

  describe('credit: checkCreditLimitIncrease', () => {
    const check = async (spec: Parameters<ContractHarness['fixtures']['buildCardmember']>[0] = {}) => {
      const cm = await h().fixtures.buildCardmember(spec);
      return { cm, e: await h().port.checkCreditLimitIncrease(asAssistant(cm.cardmemberId), cm.cardId) };
    };

    it('is eligible with the maximum new limit (1.5 x, at most +$10,000)', async () => {
      const { cm, e } = await check({ creditLimitCents: 1_000_000 });
      expect(e).toEqual({ accountId: cm.accountId, eligible: true, reasons: [], maxNewLimitCents: 1_500_000 });
      const big = await check({ creditLimitCents: 3_000_000 });
      expect(big.e.maxNewLimitCents).toBe(4_000_000);
      expect(JSON.stringify(e)).not.toContain(cm.pan);
    });

    it('accepts an account open exactly 6 months and refuses one a day short (account_too_new)', async () => {
      expect((await check({ openedOn: '2026-05-25' })).e.eligible).toBe(true);
      const short = await check({ openedOn: '2026-05-26' });
      expect(short.e).toMatchObject({ eligible: false, reasons: ['account_too_new'], maxNewLimitCents: null });
    });

    it('refuses after a late fee 5 months ago, not 7 months ago (recent_late_payment)', async () => {
      const recent = await h().fixtures.buildCardmember();
      await h().fixtures.buildFee({ accountId: recent.accountId, kind: 'late', assessedOn: '2026-06-25' });
      const e1 = await h().port.checkCreditLimitIncrease(asAssistant(recent.cardmemberId), recent.cardId);
      expect(e1).toMatchObject({ eligible: false, reasons: ['recent_late_payment'] });

      const old = await h().fixtures.buildCardmember();
      await h().fixtures.buildFee({ accountId: old.accountId, kind: 'late', assessedOn: '2026-04-25' });
      await h().fixtures.buildFee({ accountId: old.accountId, kind: 'annual', assessedOn: '2026-11-01' });
      const e2 = await h().port.checkCreditLimitIncrease(asAssistant(old.cardmemberId), old.cardId);
      expect(e2.eligible).toBe(true);
    });

    it('refuses within 6 months of a limit change (recent_increase)', async () => {
      expect((await check({ lastLimitChangeOn: '2026-09-01' })).e.reasons).toEqual(['recent_increase']);
      expect((await check({ lastLimitChangeOn: '2026-05-25' })).e.eligible).toBe(true);
    });

    it('refuses a past-due account until the minimum is paid (account_past_due)', async () => {
      const cm = await h().fixtures.buildCardmember();
      await h().fixtures.buildStatement({
        accountId: cm.accountId,
        closingDate: '2026-10-20',
        dueDate: '2026-11-14',
        minimumDueCents: 3_500,
      });
      const before = await h().port.checkCreditLimitIncrease(asAssistant(cm.cardmemberId), cm.cardId);
      expect(before).toMatchObject({ eligible: false, reasons: ['account_past_due'] });
      await h().fixtures.buildPayment({
        accountId: cm.accountId,
        amountCents: 3_500,
        status: 'posted',
        scheduledFor: '2026-11-20',
      });
      const after = await h().port.checkCreditLimitIncrease(asAssistant(cm.cardmemberId), cm.cardId);
      expect(after.eligible).toBe(true);
    });

    it('refuses a corporate card (corporate_account)', async () => {
      const { e } = await check({ productId: 'corporate' });
      expect(e).toMatchObject({ eligible: false, reasons: ['corporate_account'] });
    });

    it('lists every failing reason', async () => {
      const cm = await h().fixtures.buildCardmember({ openedOn: '2026-09-01', lastLimitChangeOn: '2026-10-01' });
      await h().fixtures.buildFee({ accountId: cm.accountId, kind: 'late', assessedOn: '2026-10-20' });
      const e = await h().port.checkCreditLimitIncrease(asAssistant(cm.cardmemberId), cm.cardId);
      expect(e.eligible).toBe(false);
      expect([...e.reasons].sort()).toEqual(['account_too_new', 'recent_increase', 'recent_late_payment']);
    });

    it("answers not_found for another cardmember's card and audits an agent's read", async () => {
      const a = await h().fixtures.buildCardmember();
      const b = await h().fixtures.buildCardmember();
      await expect(h().port.checkCreditLimitIncrease(asCardmember(a.cardmemberId), b.cardId)).rejects.toMatchObject({
        code: 'not_found',
      });
      await h().port.checkCreditLimitIncrease(asAgent(a.cardmemberId), a.cardId);
      await agentReadAudited(a.cardmemberId, 'checkCreditLimitIncrease');
    });
  });

  describe('credit: requestCreditLimitIncrease', () => {
    it('approves the requested limit, raises it, and audits the change', async () => {
      const cm = await h().fixtures.buildCardmember({ creditLimitCents: 1_000_000, balanceCents: 100_000 });
      const caller = asAssistant(cm.cardmemberId);
      const d = await h().port.requestCreditLimitIncrease(
        caller,
        { cardId: cm.cardId, requestedLimitCents: 1_200_000, annualIncomeCents: 12_000_000 },
        key('ok'),
      );
      expect(d).toEqual({
        accountId: cm.accountId,
        decision: 'approved',
        previousLimitCents: 1_000_000,
        newLimitCents: 1_200_000,
        reasons: [],
      });
      expect(JSON.stringify(d)).not.toContain(cm.pan);
      const info = await h().port.getCreditLimit(caller, cm.cardId);
      expect(info).toMatchObject({ creditLimitCents: 1_200_000, availableCreditCents: 1_100_000 });
      // The change itself starts the 6-month wait.
      expect((await h().port.checkCreditLimitIncrease(caller, cm.cardId)).reasons).toEqual(['recent_increase']);

      const trail = await h().auditTrail(cm.cardmemberId);
      const rec = trail.find((r) => r.operation === 'requestCreditLimitIncrease');
      expect(rec).toMatchObject({
        actorType: 'assistant',
        onBehalfOf: cm.cardmemberId,
        outcome: 'ok',
        details: expect.objectContaining({ decision: 'approved', newLimitCents: 1_200_000 }),
      });
      expect(JSON.stringify(trail)).not.toContain(cm.pan);
    });

    it('caps the approval at the maximum increase', async () => {
      const cm = await h().fixtures.buildCardmember({ creditLimitCents: 1_000_000 });
      const d = await h().port.requestCreditLimitIncrease(
        asAssistant(cm.cardmemberId),
        { cardId: cm.cardId, requestedLimitCents: 5_000_000, annualIncomeCents: 50_000_000 },
        key('max'),
      );
      expect(d).toMatchObject({ decision: 'approved', newLimitCents: 1_500_000 });
    });

    it('caps the approval at 30% of the annual income, in whole $100s', async () => {
      const cm = await h().fixtures.buildCardmember({ creditLimitCents: 1_000_000 });
      const d = await h().port.requestCreditLimitIncrease(
        asAssistant(cm.cardmemberId),
        // 30% of $41,000.50 = $12,300.15 -> $12,300
        { cardId: cm.cardId, requestedLimitCents: 1_500_000, annualIncomeCents: 4_100_050 },
        key('income'),
      );
      expect(d).toMatchObject({ decision: 'approved', newLimitCents: 1_230_000 });
      expect(d.reasons).toContain('capped_by_income');
    });

    it('declines for insufficient income without changing the limit', async () => {
      const cm = await h().fixtures.buildCardmember({ creditLimitCents: 1_000_000 });
      const caller = asAssistant(cm.cardmemberId);
      const d = await h().port.requestCreditLimitIncrease(
        caller,
        { cardId: cm.cardId, requestedLimitCents: 1_200_000, annualIncomeCents: 3_000_000 },
        key('poor'),
      );
      expect(d).toEqual({
        accountId: cm.accountId,
        decision: 'declined',
        previousLimitCents: 1_000_000,
        newLimitCents: 1_000_000,
        reasons: ['insufficient_income'],
      });
      expect((await h().port.getCreditLimit(caller, cm.cardId)).creditLimitCents).toBe(1_000_000);
    });

    it('records a decline, which then blocks requests for 90 days (recent_request_declined)', async () => {
      const cm = await h().fixtures.buildCardmember({ creditLimitCents: 1_000_000, openedOn: '2026-08-01' });
      const caller = asCardmember(cm.cardmemberId);
      const d = await h().port.requestCreditLimitIncrease(
        caller,
        { cardId: cm.cardId, requestedLimitCents: 1_200_000, annualIncomeCents: 12_000_000 },
        key('young'),
      );
      expect(d).toMatchObject({ decision: 'declined', newLimitCents: 1_000_000, reasons: ['account_too_new'] });
      const trail = await h().auditTrail(cm.cardmemberId);
      expect(trail).toContainEqual(
        expect.objectContaining({
          operation: 'requestCreditLimitIncrease',
          outcome: 'ok',
          details: expect.objectContaining({ decision: 'declined' }),
        }),
      );

      h().clock.set('2027-02-22'); // 89 days later; the account is now 6 months old
      const e1 = await h().port.checkCreditLimitIncrease(caller, cm.cardId);
      expect(e1).toMatchObject({ eligible: false, reasons: ['recent_request_declined'] });
      h().clock.set('2027-02-23'); // 90 days later
      expect((await h().port.checkCreditLimitIncrease(caller, cm.cardId)).eligible).toBe(true);
    });

    it('declines a corporate card (corporate_account)', async () => {
      const cm = await h().fixtures.buildCardmember({ productId: 'corporate', creditLimitCents: 2_000_000 });
      const d = await h().port.requestCreditLimitIncrease(
        asAssistant(cm.cardmemberId),
        { cardId: cm.cardId, requestedLimitCents: 2_500_000, annualIncomeCents: 20_000_000 },
        key('corp'),
      );
      expect(d).toMatchObject({ decision: 'declined', newLimitCents: 2_000_000, reasons: ['corporate_account'] });
    });

    it('validates the request', async () => {
      const cm = await h().fixtures.buildCardmember({ creditLimitCents: 1_000_000 });
      const caller = asAssistant(cm.cardmemberId);
      const req = (requestedLimitCents: unknown, annualIncomeCents: unknown) =>
        h().port.requestCreditLimitIncrease(
          caller,
          { cardId: cm.cardId, requestedLimitCents, annualIncomeCents } as never,
          key('bad'),
        );
      await expect(req(1_000_000, 12_000_000)).rejects.toMatchObject({
        code: 'invalid_input',
        rule: 'requested_not_higher',
      });
      await expect(req(900_000, 12_000_000)).rejects.toMatchObject({
        code: 'invalid_input',
        rule: 'requested_not_higher',
      });
      for (const [limit, income] of [
        [1_200_000, 0],
        [1_200_000, -5],
        [1_200_000, 1.5],
        [1_200_000, '120000'],
        [1_200_000.5, 12_000_000],
        [null, 12_000_000],
        [-1, 12_000_000],
      ]) {
        await expect(req(limit, income)).rejects.toMatchObject({ code: 'invalid_input' });
      }
      await expect(
        h().port.requestCreditLimitIncrease(
          caller,
          { cardId: cm.cardId, requestedLimitCents: 1_200_000, annualIncomeCents: 12_000_000 },
          'short',
        ),
      ).rejects.toMatchObject({ code: 'invalid_input' });
      expect((await h().port.getCreditLimit(caller, cm.cardId)).creditLimitCents).toBe(1_000_000);
    });

    it('is idempotent: the same key returns the first decision and changes the limit once', async () => {
      const cm = await h().fixtures.buildCardmember({ creditLimitCents: 1_000_000 });
      const caller = asAssistant(cm.cardmemberId);
      const input = { cardId: cm.cardId, requestedLimitCents: 1_300_000, annualIncomeCents: 12_000_000 };
      const k = key('idem');
      const first = await h().port.requestCreditLimitIncrease(caller, input, k);
      const again = await h().port.requestCreditLimitIncrease(caller, input, k);
      expect(again).toEqual(first);
      expect(first).toMatchObject({ decision: 'approved', newLimitCents: 1_300_000 });
      expect((await h().port.getCreditLimit(caller, cm.cardId)).creditLimitCents).toBe(1_300_000);
      const oks = (await h().auditTrail(cm.cardmemberId)).filter(
        (r) => r.operation === 'requestCreditLimitIncrease' && r.outcome === 'ok',
      );
      expect(oks).toHaveLength(1);
      await expect(
        h().port.requestCreditLimitIncrease(caller, { ...input, requestedLimitCents: 1_400_000 }, k),
      ).rejects.toMatchObject({ code: 'conflict' });
    });

    it("answers not_found for another cardmember's card", async () => {
      const a = await h().fixtures.buildCardmember();
      const b = await h().fixtures.buildCardmember({ creditLimitCents: 1_000_000 });
      await expect(
        h().port.requestCreditLimitIncrease(
          asCardmember(a.cardmemberId),
          { cardId: b.cardId, requestedLimitCents: 1_200_000, annualIncomeCents: 12_000_000 },
          key('other'),
        ),
      ).rejects.toMatchObject({ code: 'not_found' });
      expect((await h().port.getCreditLimit(asCardmember(b.cardmemberId), b.cardId)).creditLimitCents).toBe(1_000_000);
    });
  });

  describe('credit: getAprDisclosures', () => {
    it('discloses the variable APRs, the prime rate and the penalty APR conditions', async () => {
      const cm = await h().fixtures.buildCardmember({ productId: 'gold' });
      const d = await h().port.getAprDisclosures(asAssistant(cm.cardmemberId), cm.cardId);
      expect(d).toMatchObject({
        accountId: cm.accountId,
        purchaseAprBps: 2124,
        cashAdvanceAprBps: 2974,
        balanceTransferAprBps: 2124,
        penaltyAprBps: 2999,
        variable: true,
        primeRateBps: 750,
      });
      expect(d.text).toContain('21.24%');
      expect(d.text).toContain('29.99%');
      expect(d.text).toMatch(/60 or more days late/);
      expect(JSON.stringify(d)).not.toContain(cm.pan);
    });

    it('says a corporate card is due in full each month', async () => {
      const cm = await h().fixtures.buildCardmember({ productId: 'corporate' });
      const d = await h().port.getAprDisclosures(asAssistant(cm.cardmemberId), cm.cardId);
      expect(d).toMatchObject({ purchaseAprBps: 0, variable: false });
      expect(d.text).toMatch(/due in full each month/);
    });

    it("answers not_found for another cardmember's card and audits an agent's read", async () => {
      const a = await h().fixtures.buildCardmember();
      const b = await h().fixtures.buildCardmember();
      await expect(h().port.getAprDisclosures(asCardmember(a.cardmemberId), b.cardId)).rejects.toMatchObject({
        code: 'not_found',
      });
      await h().port.getAprDisclosures(asAgent(a.cardmemberId), a.cardId);
      await agentReadAudited(a.cardmemberId, 'getAprDisclosures');
    });
  });

  describe('credit: getProductChangeInfo', () => {
    it('offers the other products of the same type, by tier, with the annual fee difference', async () => {
      const cm = await h().fixtures.buildCardmember({ productId: 'gold' });
      const info = await h().port.getProductChangeInfo(asAssistant(cm.cardmemberId), cm.cardId);
      expect(info.current).toMatchObject({ id: 'gold', type: 'personal' });
      const byId = Object.fromEntries(info.options.map((o) => [o.product.id, o]));
      expect(Object.keys(byId).sort()).toEqual(['blue_cash', 'green', 'platinum']);
      expect(byId.platinum).toMatchObject({ change: 'upgrade', eligible: true });
      expect(byId.green).toMatchObject({ change: 'downgrade', eligible: true });
      expect(byId.blue_cash).toMatchObject({ change: 'downgrade', eligible: true });
      expect(byId.platinum!.note).toMatch(/\$695/);
      expect(byId.platinum!.note).toMatch(/\$370 more a year/);
      expect(byId.green!.note).toMatch(/\$175 less a year/);
      expect(info.options.every((o) => o.product.type === 'personal')).toBe(true);
      expect(JSON.stringify(info)).not.toContain(cm.pan);
    });

    it('allows an upgrade only after 12 months, while downgrades stay open', async () => {
      const exact = await h().fixtures.buildCardmember({ productId: 'gold', openedOn: '2025-11-25' });
      const ok = await h().port.getProductChangeInfo(asAssistant(exact.cardmemberId), exact.cardId);
      expect(ok.options.find((o) => o.product.id === 'platinum')?.eligible).toBe(true);

      const young = await h().fixtures.buildCardmember({ productId: 'gold', openedOn: '2025-11-26' });
      const no = await h().port.getProductChangeInfo(asAssistant(young.cardmemberId), young.cardId);
      const up = no.options.find((o) => o.product.id === 'platinum');
      expect(up).toMatchObject({ change: 'upgrade', eligible: false });
      expect(up?.note).toMatch(/12 months/);
      expect(no.options.find((o) => o.product.id === 'green')?.eligible).toBe(true);
    });

    it('refuses an upgrade while the account is past due', async () => {
      const cm = await h().fixtures.buildCardmember({ productId: 'green' });
      await h().fixtures.buildStatement({
        accountId: cm.accountId,
        closingDate: '2026-10-20',
        dueDate: '2026-11-14',
        minimumDueCents: 3_500,
      });
      const info = await h().port.getProductChangeInfo(asAssistant(cm.cardmemberId), cm.cardId);
      expect(info.options.find((o) => o.product.id === 'gold')).toMatchObject({ change: 'upgrade', eligible: false });
      expect(info.options.find((o) => o.product.id === 'blue_cash')).toMatchObject({
        change: 'lateral',
        eligible: true,
      });
    });

    it('stays within business products, and has nothing to offer a corporate card', async () => {
      const biz = await h().fixtures.buildCardmember({ productId: 'business_gold' });
      const b = await h().port.getProductChangeInfo(asAssistant(biz.cardmemberId), biz.cardId);
      expect(b.options.map((o) => [o.product.id, o.change])).toEqual([['business_platinum', 'upgrade']]);
      const corp = await h().fixtures.buildCardmember({ productId: 'corporate' });
      const c = await h().port.getProductChangeInfo(asAssistant(corp.cardmemberId), corp.cardId);
      expect(c.current.type).toBe('corporate');
      expect(c.options).toEqual([]);
    });

    it("answers not_found for another cardmember's card and audits an agent's read", async () => {
      const a = await h().fixtures.buildCardmember();
      const b = await h().fixtures.buildCardmember();
      await expect(h().port.getProductChangeInfo(asCardmember(a.cardmemberId), b.cardId)).rejects.toMatchObject({
        code: 'not_found',
      });
      await h().port.getProductChangeInfo(asAgent(a.cardmemberId), a.cardId);
      await agentReadAudited(a.cardmemberId, 'getProductChangeInfo');
    });
  });
}
