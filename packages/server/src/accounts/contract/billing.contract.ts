/** Contract tests for the billing operations of any AccountsPort implementation. */
import { describe, expect, it } from 'vitest';
import { asAgent, asAssistant, asCardmember, failure, key } from './support.js';
import type { ContractHarness } from './harness.js';

const noPan = (value: unknown, pan: string) => expect(JSON.stringify(value)).not.toContain(pan);

export function billingContract(harness: () => ContractHarness): void {
  const h = harness;

  describe('billing: transactions', () => {
    it('lists the cardmember’s transactions newest first, with the last 4 only', async () => {
      const cm = await h().fixtures.buildCardmember();
      const other = await h().fixtures.buildCardmember();
      const f = h().fixtures;
      const t1 = await f.buildTransaction({
        accountId: cm.accountId,
        cardId: cm.cardId,
        date: '2026-11-01',
        amountCents: 1_200,
      });
      const t2 = await f.buildTransaction({
        accountId: cm.accountId,
        cardId: cm.cardId,
        date: '2026-11-20',
        amountCents: 5_000,
      });
      const t3 = await f.buildTransaction({
        accountId: cm.accountId,
        cardId: cm.cardId,
        date: '2026-11-10',
        amountCents: 800,
        status: 'pending',
        foreign: true,
      });
      await f.buildTransaction({
        accountId: other.accountId,
        cardId: other.cardId,
        date: '2026-11-21',
        amountCents: 99,
      });
      const list = await h().port.listTransactions(asCardmember(cm));
      expect(list.map((t) => t.id)).toEqual([t2, t3, t1]);
      expect(list[1]).toMatchObject({
        cardId: cm.cardId,
        cardLast4: cm.pan.slice(-4),
        date: '2026-11-10',
        status: 'pending',
        postedOn: null,
        amount: { amountCents: 800, currency: 'USD' },
        foreign: true,
        redeemedWithPoints: false,
      });
      noPan(list, cm.pan);
    });

    it('lists only the named card’s own transactions when a cardId is given', async () => {
      const cm = await h().fixtures.buildCardmember();
      const f = h().fixtures;
      const second = await f.buildCard({ cardmemberId: cm.cardmemberId, accountId: cm.accountId });
      const mine = await f.buildTransaction({
        accountId: cm.accountId,
        cardId: cm.cardId,
        date: '2026-11-01',
        amountCents: 100,
      });
      const theirs = await f.buildTransaction({
        accountId: cm.accountId,
        cardId: second.cardId,
        date: '2026-11-02',
        amountCents: 200,
      });
      expect((await h().port.listTransactions(asCardmember(cm))).map((t) => t.id)).toEqual([theirs, mine]);
      const onlySecond = await h().port.listTransactions(asCardmember(cm), { cardId: second.cardId });
      expect(onlySecond.map((t) => t.id)).toEqual([theirs]);
      expect(onlySecond[0]!.cardLast4).toBe(second.pan.slice(-4));
      noPan(onlySecond, second.pan);
    });

    it('filters by merchant (any case), amount and date range (inclusive), status and limit', async () => {
      const cm = await h().fixtures.buildCardmember();
      const b = (date: string, amountCents: number, merchant: string, status: 'pending' | 'posted' = 'posted') =>
        h().fixtures.buildTransaction({
          accountId: cm.accountId,
          cardId: cm.cardId,
          date,
          amountCents,
          merchant,
          status,
        });
      const coffee = await b('2026-11-03', 450, 'Blue Bottle Coffee');
      const air = await b('2026-11-05', 64_000, 'Delta Air Lines');
      const grocery = await b('2026-11-07', 12_345, 'Whole Foods Market');
      const pending = await b('2026-11-09', 12_345, 'WHOLE FOODS 100%_', 'pending');
      const c = asCardmember(cm);
      const ids = async (filter: object) => (await h().port.listTransactions(c, filter)).map((t) => t.id);
      expect(await ids({ merchant: 'whole FOODS' })).toEqual([pending, grocery]);
      expect(await ids({ merchant: '100%_' })).toEqual([pending]);
      expect(await ids({ merchant: '%' })).toEqual([pending]);
      expect(await ids({ minAmountCents: 450, maxAmountCents: 12_345 })).toEqual([pending, grocery, coffee]);
      expect(await ids({ minAmountCents: 12_346 })).toEqual([air]);
      expect(await ids({ from: '2026-11-05', to: '2026-11-07' })).toEqual([grocery, air]);
      expect(await ids({ status: 'pending' })).toEqual([pending]);
      expect(await ids({ status: 'posted', limit: 2 })).toEqual([grocery, air]);
    });

    it('returns 50 by default and at most the limit asked (up to 200)', async () => {
      const cm = await h().fixtures.buildCardmember();
      for (let i = 0; i < 55; i++) {
        const day = String((i % 28) + 1).padStart(2, '0');
        await h().fixtures.buildTransaction({
          accountId: cm.accountId,
          cardId: cm.cardId,
          date: `2026-10-${day}`,
          amountCents: 100 + i,
        });
      }
      expect(await h().port.listTransactions(asCardmember(cm))).toHaveLength(50);
      expect(await h().port.listTransactions(asCardmember(cm), { limit: 200 })).toHaveLength(55);
      expect(await h().port.listTransactions(asCardmember(cm), { limit: 3 })).toHaveLength(3);
    });

    it('refuses bad filters as invalid input', async () => {
      const cm = await h().fixtures.buildCardmember();
      for (const filter of [
        { from: '2026-02-30' },
        { to: '25/11/2026' },
        { from: '2026-11-10', to: '2026-11-01' },
        { minAmountCents: -1 },
        { maxAmountCents: 10.5 },
        { minAmountCents: 500, maxAmountCents: 100 },
        { status: 'declined' },
        { limit: 0 },
        { limit: 201 },
        { merchant: '' },
      ]) {
        const err = await failure(h().port.listTransactions(asCardmember(cm), filter as never));
        expect(err, JSON.stringify(filter)).toMatchObject({ code: 'invalid_input' });
      }
    });

    it('answers not_found for another cardmember’s card and never shows their transactions', async () => {
      const cm = await h().fixtures.buildCardmember();
      const other = await h().fixtures.buildCardmember();
      await h().fixtures.buildTransaction({
        accountId: other.accountId,
        cardId: other.cardId,
        date: '2026-11-01',
        amountCents: 100,
      });
      const err = await failure(h().port.listTransactions(asCardmember(cm), { cardId: other.cardId }));
      expect(err).toMatchObject({ code: 'not_found' });
      expect(await h().port.listTransactions(asCardmember(cm))).toEqual([]);
    });

    it('audits agent reads, not the cardmember’s own', async () => {
      const cm = await h().fixtures.buildCardmember();
      await h().port.listTransactions(asCardmember(cm));
      expect((await h().auditTrail(cm.cardmemberId)).filter((r) => r.operation === 'listTransactions')).toEqual([]);
      await h().port.listTransactions(asAgent(cm), { cardId: cm.cardId });
      const trail = await h().auditTrail(cm.cardmemberId);
      expect(trail).toContainEqual(
        expect.objectContaining({
          operation: 'listTransactions',
          actorType: 'agent',
          actorId: 'agent_ana',
          onBehalfOf: cm.cardmemberId,
          outcome: 'ok',
        }),
      );
    });
  });

  describe('billing: statements and summary', () => {
    it('lists the card’s statements newest first', async () => {
      const cm = await h().fixtures.buildCardmember();
      const f = h().fixtures;
      const sep = await f.buildStatement({ accountId: cm.accountId, closingDate: '2026-09-20' });
      const oct = await f.buildStatement({
        accountId: cm.accountId,
        closingDate: '2026-10-20',
        dueDate: '2026-11-15',
        newBalanceCents: 98_000,
        minimumDueCents: 2_500,
      });
      const list = await h().port.listStatements(asCardmember(cm), cm.cardId);
      expect(list.map((s) => s.id)).toEqual([oct, sep]);
      expect(list[0]).toMatchObject({
        accountId: cm.accountId,
        closingDate: '2026-10-20',
        dueDate: '2026-11-15',
        newBalanceCents: 98_000,
        minimumDueCents: 2_500,
      });
      noPan(list, cm.pan);
    });

    it('answers not_found for another cardmember’s card', async () => {
      const cm = await h().fixtures.buildCardmember();
      const other = await h().fixtures.buildCardmember();
      for (const call of [
        () => h().port.listStatements(asCardmember(cm), other.cardId),
        () => h().port.getBillingSummary(asAssistant(cm), other.cardId),
        () => h().port.listPayments(asAgent(cm), other.cardId),
        () => h().port.listFees(asCardmember(cm), other.cardId),
        () => h().port.listStatements(asCardmember(cm), 'card_does_not_exist'),
      ]) {
        expect(await failure(call())).toMatchObject({ code: 'not_found' });
      }
    });

    it('summarises the latest statement, payments since it closed and available credit', async () => {
      const cm = await h().fixtures.buildCardmember({ creditLimitCents: 500_000, balanceCents: 130_000, dueDay: 15 });
      const f = h().fixtures;
      await f.buildStatement({ accountId: cm.accountId, closingDate: '2026-09-20', minimumDueCents: 9_999 });
      await f.buildStatement({
        accountId: cm.accountId,
        closingDate: '2026-10-20',
        dueDate: '2026-12-15',
        newBalanceCents: 120_000,
        minimumDueCents: 3_500,
      });
      await f.buildPayment({
        accountId: cm.accountId,
        amountCents: 9_999,
        status: 'posted',
        scheduledFor: '2026-10-20',
      });
      const last = await f.buildPayment({
        accountId: cm.accountId,
        amountCents: 1_000,
        status: 'posted',
        scheduledFor: '2026-11-02',
      });
      await f.buildPayment({
        accountId: cm.accountId,
        amountCents: 500,
        status: 'processing',
        scheduledFor: '2026-11-25',
      });
      await f.buildPayment({
        accountId: cm.accountId,
        amountCents: 2_000,
        status: 'scheduled',
        scheduledFor: '2026-12-01',
      });
      await f.buildPayment({
        accountId: cm.accountId,
        amountCents: 2_000,
        status: 'returned',
        scheduledFor: '2026-11-03',
      });
      const s = await h().port.getBillingSummary(asCardmember(cm), cm.cardId);
      expect(s).toMatchObject({
        accountId: cm.accountId,
        currentBalanceCents: 130_000,
        statementBalanceCents: 120_000,
        minimumDueCents: 3_500,
        remainingMinimumDueCents: 2_000,
        dueDate: '2026-12-15',
        dueDay: 15,
        pastDue: false,
        creditLimitCents: 500_000,
        availableCreditCents: 370_000,
      });
      expect(s.lastPayment).toMatchObject({ id: last, amountCents: 1_000, status: 'posted' });
      noPan(s, cm.pan);
    });

    it('is past due after the due date while the minimum is not paid', async () => {
      const cm = await h().fixtures.buildCardmember();
      await h().fixtures.buildStatement({
        accountId: cm.accountId,
        closingDate: '2026-10-20',
        dueDate: '2026-11-15',
        minimumDueCents: 3_500,
      });
      await h().fixtures.buildPayment({
        accountId: cm.accountId,
        amountCents: 3_000,
        status: 'posted',
        scheduledFor: '2026-11-10',
      });
      h().clock.set('2026-11-15');
      expect(await h().port.getBillingSummary(asCardmember(cm), cm.cardId)).toMatchObject({
        pastDue: false,
        remainingMinimumDueCents: 500,
      });
      h().clock.set('2026-11-16');
      expect(await h().port.getBillingSummary(asCardmember(cm), cm.cardId)).toMatchObject({ pastDue: true });
      await h().fixtures.buildPayment({
        accountId: cm.accountId,
        amountCents: 500,
        status: 'posted',
        scheduledFor: '2026-11-16',
      });
      expect(await h().port.getBillingSummary(asCardmember(cm), cm.cardId)).toMatchObject({
        pastDue: false,
        remainingMinimumDueCents: 0,
      });
    });

    it('leaves the amount of an open dispute out of what is due: minimum, remaining minimum, past due', async () => {
      const f = h().fixtures;
      // A charge card: the minimum is the whole statement balance.
      const cm = await f.buildCardmember({ creditLimitCents: 500_000, balanceCents: 25_000 });
      const statementId = await f.buildStatement({
        accountId: cm.accountId,
        closingDate: '2026-10-26',
        dueDate: '2026-12-15',
        newBalanceCents: 20_000,
        minimumDueCents: 20_000,
      });
      const billed = await f.buildTransaction({
        accountId: cm.accountId,
        cardId: cm.cardId,
        date: '2026-10-20',
        amountCents: 8_900,
        merchant: 'Harbor Electronics',
        statementId,
      });
      const unbilled = await f.buildTransaction({
        accountId: cm.accountId,
        cardId: cm.cardId,
        date: '2026-11-10',
        amountCents: 5_000,
        merchant: 'Corner Books',
      });
      expect(await h().port.getBillingSummary(asCardmember(cm), cm.cardId)).toMatchObject({
        disputedCents: 0,
        minimumDueCents: 20_000,
        remainingMinimumDueCents: 20_000,
      });
      await h().port.openDispute(asAssistant(cm), { transactionId: billed, reason: 'unauthorized' }, key('d1'));
      // A charge not billed yet is not part of what is due, so disputing it changes nothing due.
      await h().port.openDispute(asAssistant(cm), { transactionId: unbilled, reason: 'duplicate' }, key('d2'));
      expect(await h().port.getBillingSummary(asCardmember(cm), cm.cardId)).toMatchObject({
        statementBalanceCents: 20_000,
        disputedCents: 8_900,
        minimumDueCents: 11_100,
        remainingMinimumDueCents: 11_100,
        pastDue: false,
      });
      await f.buildPayment({
        accountId: cm.accountId,
        amountCents: 11_100,
        status: 'posted',
        scheduledFor: '2026-11-25',
      });
      // After the due date: paying the undisputed part is enough; the disputed 89.00 never makes it past due.
      h().clock.set('2026-12-16');
      expect(await h().port.getBillingSummary(asCardmember(cm), cm.cardId)).toMatchObject({
        disputedCents: 8_900,
        remainingMinimumDueCents: 0,
        pastDue: false,
      });
      // Nor anywhere else the core judges "past due" (credit-limit and product-change decisions).
      const cli = await h().port.checkCreditLimitIncrease(asCardmember(cm), cm.cardId);
      expect(cli.reasons).not.toContain('account_past_due');

      // A revolving account: the minimum is already below the undisputed balance and stays as printed.
      const rev = await f.buildCardmember({ creditLimitCents: 900_000, balanceCents: 300_000 });
      h().clock.set('2026-11-25');
      const revStatement = await f.buildStatement({
        accountId: rev.accountId,
        closingDate: '2026-10-26',
        dueDate: '2026-12-15',
        newBalanceCents: 300_000,
        minimumDueCents: 4_000,
      });
      const revCharge = await f.buildTransaction({
        accountId: rev.accountId,
        cardId: rev.cardId,
        date: '2026-10-20',
        amountCents: 8_900,
        statementId: revStatement,
      });
      await h().port.openDispute(asCardmember(rev), { transactionId: revCharge, reason: 'not_received' }, key('d3'));
      expect(await h().port.getBillingSummary(asCardmember(rev), rev.cardId)).toMatchObject({
        disputedCents: 8_900,
        minimumDueCents: 4_000,
      });
    });

    it('gives zeros before the first statement, with the next date on the due day', async () => {
      const cm = await h().fixtures.buildCardmember({
        dueDay: 15,
        balanceCents: 1_200_000,
        creditLimitCents: 1_000_000,
      });
      expect(await h().port.getBillingSummary(asCardmember(cm), cm.cardId)).toEqual({
        accountId: cm.accountId,
        currentBalanceCents: 1_200_000,
        statementBalanceCents: 0,
        minimumDueCents: 0,
        remainingMinimumDueCents: 0,
        dueDate: '2026-12-15',
        dueDay: 15,
        pastDue: false,
        creditLimitCents: 1_000_000,
        availableCreditCents: 0,
        disputedCents: 0,
        lastPayment: null,
      });
    });

    it('audits agent reads of statements and the summary', async () => {
      const cm = await h().fixtures.buildCardmember();
      await h().port.listStatements(asAgent(cm), cm.cardId);
      await h().port.getBillingSummary(asAgent(cm), cm.cardId);
      await h().port.getBillingSummary(asAssistant(cm), cm.cardId);
      const reads = (await h().auditTrail(cm.cardmemberId)).filter((r) =>
        ['listStatements', 'getBillingSummary'].includes(r.operation),
      );
      expect(reads).toHaveLength(2);
      expect(reads.every((r) => r.actorType === 'agent' && r.actorId === 'agent_ana')).toBe(true);
    });
  });

  describe('billing: payments', () => {
    it('schedules a payment from the bank account on file and lists it', async () => {
      const cm = await h().fixtures.buildCardmember({ balanceCents: 125_000 });
      const p = await h().port.schedulePayment(
        asAssistant(cm),
        { cardId: cm.cardId, amountCents: 35_000, date: '2026-12-01' },
        key('pay'),
      );
      expect(p).toMatchObject({
        accountId: cm.accountId,
        amountCents: 35_000,
        status: 'scheduled',
        scheduledFor: '2026-12-01',
        postedOn: null,
      });
      expect(p.fromBankLast4).toMatch(/^\d{4}$/);
      const today = await h().port.schedulePayment(
        asCardmember(cm),
        { cardId: cm.cardId, amountCents: 1_000, date: '2026-11-25' },
        key('pay'),
      );
      expect(today.status).toBe('processing');
      const list = await h().port.listPayments(asCardmember(cm), cm.cardId);
      expect(list.map((x) => x.id)).toEqual([p.id, today.id]);
      noPan([p, today, list], cm.pan);
    });

    it('lists payments newest first with their posting status', async () => {
      const cm = await h().fixtures.buildCardmember();
      const f = h().fixtures;
      const a = await f.buildPayment({
        accountId: cm.accountId,
        amountCents: 100,
        status: 'posted',
        scheduledFor: '2026-09-01',
      });
      const b = await f.buildPayment({
        accountId: cm.accountId,
        amountCents: 200,
        status: 'returned',
        scheduledFor: '2026-10-01',
      });
      const c = await f.buildPayment({
        accountId: cm.accountId,
        amountCents: 300,
        status: 'scheduled',
        scheduledFor: '2026-12-01',
      });
      const list = await h().port.listPayments(asCardmember(cm), cm.cardId);
      expect(list.map((x) => [x.id, x.status])).toEqual([
        [c, 'scheduled'],
        [b, 'returned'],
        [a, 'posted'],
      ]);
      expect(list[2]!.postedOn).toBe('2026-09-01');
    });

    it('refuses a bad amount or date as invalid input', async () => {
      const cm = await h().fixtures.buildCardmember();
      for (const input of [
        { amountCents: 0, date: '2026-12-01' },
        { amountCents: -500, date: '2026-12-01' },
        { amountCents: 10.5, date: '2026-12-01' },
        { amountCents: '500', date: '2026-12-01' },
        { amountCents: 500, date: '2026-13-01' },
        { amountCents: 500, date: 'tomorrow' },
      ]) {
        const err = await failure(
          h().port.schedulePayment(asCardmember(cm), { cardId: cm.cardId, ...input } as never, key('bad')),
        );
        expect(err, JSON.stringify(input)).toMatchObject({ code: 'invalid_input' });
      }
      expect(await h().port.listPayments(asCardmember(cm), cm.cardId)).toEqual([]);
    });

    it('allows up to the balance plus $1,000 (amount_exceeds_balance beyond)', async () => {
      const cm = await h().fixtures.buildCardmember({ balanceCents: 50_000 });
      const err = await failure(
        h().port.schedulePayment(
          asCardmember(cm),
          { cardId: cm.cardId, amountCents: 150_001, date: '2026-12-01' },
          key('x'),
        ),
      );
      expect(err).toMatchObject({ code: 'rule_violation', rule: 'amount_exceeds_balance' });
      const ok = await h().port.schedulePayment(
        asCardmember(cm),
        { cardId: cm.cardId, amountCents: 150_000, date: '2026-12-01' },
        key('x'),
      );
      expect(ok.amountCents).toBe(150_000);
    });

    it('books today up to 60 days ahead (payment_date_out_of_range otherwise)', async () => {
      const cm = await h().fixtures.buildCardmember();
      for (const date of ['2026-11-24', '2027-01-25']) {
        const err = await failure(
          h().port.schedulePayment(asCardmember(cm), { cardId: cm.cardId, amountCents: 100, date }, key('d')),
        );
        expect(err, date).toMatchObject({ code: 'rule_violation', rule: 'payment_date_out_of_range' });
      }
      const last = await h().port.schedulePayment(
        asCardmember(cm),
        { cardId: cm.cardId, amountCents: 100, date: '2027-01-24' },
        key('d'),
      );
      expect(last.status).toBe('scheduled');
    });

    it('is idempotent: the same key schedules once; reused for another request it conflicts', async () => {
      const cm = await h().fixtures.buildCardmember();
      const k = key('idem');
      const input = { cardId: cm.cardId, amountCents: 7_500, date: '2026-12-10' };
      const first = await h().port.schedulePayment(asCardmember(cm), input, k);
      const again = await h().port.schedulePayment(asCardmember(cm), { ...input }, k);
      expect(again).toEqual(first);
      expect(await h().port.listPayments(asCardmember(cm), cm.cardId)).toHaveLength(1);
      const err = await failure(h().port.schedulePayment(asCardmember(cm), { ...input, amountCents: 7_501 }, k));
      expect(err).toMatchObject({ code: 'conflict' });
      expect(await failure(h().port.schedulePayment(asCardmember(cm), input, 'short'))).toMatchObject({
        code: 'invalid_input',
      });
    });

    it('answers not_found for another cardmember’s card and schedules nothing', async () => {
      const cm = await h().fixtures.buildCardmember();
      const other = await h().fixtures.buildCardmember();
      const err = await failure(
        h().port.schedulePayment(
          asCardmember(cm),
          { cardId: other.cardId, amountCents: 100, date: '2026-12-01' },
          key('nf'),
        ),
      );
      expect(err).toMatchObject({ code: 'not_found' });
      expect(await h().port.listPayments(asCardmember(other), other.cardId)).toEqual([]);
    });

    it('leaves an audit record for each payment and each refusal, without the card number', async () => {
      const cm = await h().fixtures.buildCardmember();
      const p = await h().port.schedulePayment(
        asAgent(cm),
        { cardId: cm.cardId, amountCents: 2_500, date: '2026-12-01' },
        key('aud'),
      );
      await failure(
        h().port.schedulePayment(
          asAgent(cm),
          { cardId: cm.cardId, amountCents: 2_500, date: '2027-06-01' },
          key('aud'),
        ),
      );
      const trail = (await h().auditTrail(cm.cardmemberId)).filter((r) => r.operation === 'schedulePayment');
      expect(trail).toContainEqual(
        expect.objectContaining({
          actorType: 'agent',
          actorId: 'agent_ana',
          outcome: 'ok',
          details: expect.objectContaining({ paymentId: p.id, amountCents: 2_500 }),
        }),
      );
      expect(trail).toContainEqual(
        expect.objectContaining({
          outcome: 'rejected',
          details: expect.objectContaining({ rule: 'payment_date_out_of_range' }),
        }),
      );
      noPan(trail, cm.pan);
    });
  });

  describe('billing: due date change', () => {
    it('moves the due day from the next statement and records when', async () => {
      const cm = await h().fixtures.buildCardmember({ dueDay: 15 });
      await h().fixtures.buildStatement({ accountId: cm.accountId, closingDate: '2026-11-20', dueDate: '2026-12-15' });
      const r = await h().port.changeDueDate(asAssistant(cm), { cardId: cm.cardId, newDueDay: 20 }, key('due'));
      expect(r).toEqual({ accountId: cm.accountId, previousDueDay: 15, newDueDay: 20, effectiveDueDate: '2026-12-20' });
      expect((await h().port.getBillingSummary(asCardmember(cm), cm.cardId)).dueDay).toBe(20);
      // The change itself starts the 180-day wait.
      const err = await failure(
        h().port.changeDueDate(asAssistant(cm), { cardId: cm.cardId, newDueDay: 5 }, key('due')),
      );
      expect(err).toMatchObject({ code: 'rule_violation', rule: 'due_date_changed_recently' });
    });

    it('applies an earlier day from the following month', async () => {
      const cm = await h().fixtures.buildCardmember({ dueDay: 15 });
      await h().fixtures.buildStatement({ accountId: cm.accountId, closingDate: '2026-11-20', dueDate: '2026-12-15' });
      const r = await h().port.changeDueDate(asCardmember(cm), { cardId: cm.cardId, newDueDay: 3 }, key('due'));
      expect(r.effectiveDueDate).toBe('2027-01-03');
    });

    it('refuses a day outside 1..28 as invalid input', async () => {
      const cm = await h().fixtures.buildCardmember();
      for (const newDueDay of [0, 29, 31, 2.5, '10']) {
        const err = await failure(
          h().port.changeDueDate(asCardmember(cm), { cardId: cm.cardId, newDueDay } as never, key('bad')),
        );
        expect(err, String(newDueDay)).toMatchObject({ code: 'invalid_input' });
      }
    });

    it('refuses the same day (due_day_unchanged)', async () => {
      const cm = await h().fixtures.buildCardmember({ dueDay: 15 });
      const err = await failure(
        h().port.changeDueDate(asCardmember(cm), { cardId: cm.cardId, newDueDay: 15 }, key('s')),
      );
      expect(err).toMatchObject({ code: 'rule_violation', rule: 'due_day_unchanged' });
    });

    it('allows one change per 180 days: refused on day 179, allowed on day 180', async () => {
      const recent = await h().fixtures.buildCardmember({ dueDay: 15, lastDueDayChangeOn: '2026-05-30' });
      const err = await failure(
        h().port.changeDueDate(asCardmember(recent), { cardId: recent.cardId, newDueDay: 20 }, key('179')),
      );
      expect(err).toMatchObject({ code: 'rule_violation', rule: 'due_date_changed_recently' });
      const due = await h().fixtures.buildCardmember({ dueDay: 15, lastDueDayChangeOn: '2026-05-29' });
      const ok = await h().port.changeDueDate(asCardmember(due), { cardId: due.cardId, newDueDay: 20 }, key('180'));
      expect(ok.newDueDay).toBe(20);
    });

    it('refuses while the account is past due (account_past_due)', async () => {
      const cm = await h().fixtures.buildCardmember({ dueDay: 15 });
      await h().fixtures.buildStatement({
        accountId: cm.accountId,
        closingDate: '2026-10-20',
        dueDate: '2026-11-15',
        minimumDueCents: 3_500,
      });
      const err = await failure(
        h().port.changeDueDate(asCardmember(cm), { cardId: cm.cardId, newDueDay: 20 }, key('pd')),
      );
      expect(err).toMatchObject({ code: 'rule_violation', rule: 'account_past_due' });
      expect((await h().port.getBillingSummary(asCardmember(cm), cm.cardId)).dueDay).toBe(15);
    });

    it('is idempotent and audited; another cardmember’s card is not_found', async () => {
      const cm = await h().fixtures.buildCardmember({ dueDay: 15 });
      const other = await h().fixtures.buildCardmember();
      const k = key('idem');
      const first = await h().port.changeDueDate(asAgent(cm), { cardId: cm.cardId, newDueDay: 22 }, k);
      expect(await h().port.changeDueDate(asAgent(cm), { cardId: cm.cardId, newDueDay: 22 }, k)).toEqual(first);
      expect(await failure(h().port.changeDueDate(asAgent(cm), { cardId: cm.cardId, newDueDay: 23 }, k))).toMatchObject(
        {
          code: 'conflict',
        },
      );
      const changes = (await h().auditTrail(cm.cardmemberId)).filter(
        (r) => r.operation === 'changeDueDate' && r.outcome === 'ok',
      );
      expect(changes).toHaveLength(1);
      expect(changes[0]).toMatchObject({ actorType: 'agent', details: expect.objectContaining({ newDueDay: 22 }) });
      noPan(changes, cm.pan);
      expect(
        await failure(h().port.changeDueDate(asCardmember(cm), { cardId: other.cardId, newDueDay: 20 }, key('nf'))),
      ).toMatchObject({ code: 'not_found' });
    });
  });

  describe('billing: fees and late-fee goodwill', () => {
    it('lists fees newest first', async () => {
      const cm = await h().fixtures.buildCardmember();
      const annual = await h().fixtures.buildFee({
        accountId: cm.accountId,
        kind: 'annual',
        assessedOn: '2026-01-15',
        amountCents: 25_000,
      });
      const late = await h().fixtures.buildFee({ accountId: cm.accountId, assessedOn: '2026-11-16' });
      const list = await h().port.listFees(asCardmember(cm), cm.cardId);
      expect(list.map((f) => [f.id, f.kind])).toEqual([
        [late, 'late'],
        [annual, 'annual'],
      ]);
      expect(list[1]).toMatchObject({ accountId: cm.accountId, amountCents: 25_000, reversedOn: null });
    });

    it('reverses the most recent late fee: credit, balance and the policy in words', async () => {
      const cm = await h().fixtures.buildCardmember({ balanceCents: 125_000 });
      await h().fixtures.buildFee({ accountId: cm.accountId, kind: 'annual', assessedOn: '2026-11-20' });
      const late = await h().fixtures.buildFee({
        accountId: cm.accountId,
        assessedOn: '2026-11-16',
        amountCents: 4_000,
      });
      const r = await h().port.requestLateFeeGoodwill(asAssistant(cm), { cardId: cm.cardId }, key('gw'));
      expect(r.fee).toMatchObject({ id: late, kind: 'late', amountCents: 4_000, reversedOn: '2026-11-25' });
      expect(r.creditCents).toBe(4_000);
      expect(r.policy).toMatch(/12 months/);
      expect((await h().port.getBillingSummary(asCardmember(cm), cm.cardId)).currentBalanceCents).toBe(121_000);
      const fees = await h().port.listFees(asCardmember(cm), cm.cardId);
      expect(fees.find((f) => f.id === late)?.reversedOn).toBe('2026-11-25');
      noPan(r, cm.pan);
    });

    it('refuses without a late fee (no_late_fee) and for another fee (not_a_late_fee)', async () => {
      const cm = await h().fixtures.buildCardmember();
      const annual = await h().fixtures.buildFee({ accountId: cm.accountId, kind: 'annual', assessedOn: '2026-11-01' });
      expect(
        await failure(h().port.requestLateFeeGoodwill(asCardmember(cm), { cardId: cm.cardId }, key('n'))),
      ).toMatchObject({
        code: 'rule_violation',
        rule: 'no_late_fee',
      });
      expect(
        await failure(
          h().port.requestLateFeeGoodwill(asCardmember(cm), { cardId: cm.cardId, feeId: annual }, key('n')),
        ),
      ).toMatchObject({ code: 'rule_violation', rule: 'not_a_late_fee' });
    });

    it('refuses a fee already reversed (fee_already_reversed)', async () => {
      const cm = await h().fixtures.buildCardmember();
      const fee = await h().fixtures.buildFee({
        accountId: cm.accountId,
        assessedOn: '2024-01-16',
        reversedOn: '2024-01-20',
        reversalReason: 'goodwill',
      });
      expect(
        await failure(h().port.requestLateFeeGoodwill(asCardmember(cm), { cardId: cm.cardId, feeId: fee }, key('r'))),
      ).toMatchObject({ code: 'rule_violation', rule: 'fee_already_reversed' });
    });

    it('reverses only the first late fee in 12 months: another 364 days before refuses, 366 allows', async () => {
      const close = await h().fixtures.buildCardmember();
      await h().fixtures.buildFee({ accountId: close.accountId, assessedOn: '2025-10-02' });
      await h().fixtures.buildFee({ accountId: close.accountId, assessedOn: '2026-10-01' });
      expect(
        await failure(h().port.requestLateFeeGoodwill(asCardmember(close), { cardId: close.cardId }, key('364'))),
      ).toMatchObject({ code: 'rule_violation', rule: 'late_fee_not_first_in_12_months' });

      const apart = await h().fixtures.buildCardmember();
      await h().fixtures.buildFee({ accountId: apart.accountId, assessedOn: '2025-09-30' });
      const fee = await h().fixtures.buildFee({ accountId: apart.accountId, assessedOn: '2026-10-01' });
      const r = await h().port.requestLateFeeGoodwill(asCardmember(apart), { cardId: apart.cardId }, key('366'));
      expect(r.fee.id).toBe(fee);
    });

    it('refuses when a late fee was reversed 200 days ago (goodwill_used_recently)', async () => {
      const cm = await h().fixtures.buildCardmember();
      await h().fixtures.buildFee({
        accountId: cm.accountId,
        assessedOn: '2025-05-01',
        reversedOn: '2026-05-09',
        reversalReason: 'goodwill',
      });
      await h().fixtures.buildFee({ accountId: cm.accountId, assessedOn: '2026-11-16' });
      expect(
        await failure(h().port.requestLateFeeGoodwill(asCardmember(cm), { cardId: cm.cardId }, key('200'))),
      ).toMatchObject({
        code: 'rule_violation',
        rule: 'goodwill_used_recently',
      });
    });

    it('is idempotent: a retry gives the same credit once; another fee id with the key conflicts', async () => {
      const cm = await h().fixtures.buildCardmember({ balanceCents: 50_000 });
      const fee = await h().fixtures.buildFee({
        accountId: cm.accountId,
        assessedOn: '2026-11-16',
        amountCents: 3_900,
      });
      const k = key('idem');
      const first = await h().port.requestLateFeeGoodwill(asAgent(cm), { cardId: cm.cardId, feeId: fee }, k);
      const again = await h().port.requestLateFeeGoodwill(asAgent(cm), { cardId: cm.cardId, feeId: fee }, k);
      expect(again).toEqual(first);
      expect((await h().port.getBillingSummary(asCardmember(cm), cm.cardId)).currentBalanceCents).toBe(46_100);
      expect(
        await failure(h().port.requestLateFeeGoodwill(asAgent(cm), { cardId: cm.cardId, feeId: 'fee_other' }, k)),
      ).toMatchObject({ code: 'conflict' });
      const trail = (await h().auditTrail(cm.cardmemberId)).filter(
        (r) => r.operation === 'requestLateFeeGoodwill' && r.outcome === 'ok',
      );
      expect(trail).toHaveLength(1);
      expect(trail[0]).toMatchObject({
        actorType: 'agent',
        actorId: 'agent_ana',
        details: expect.objectContaining({ feeId: fee, creditCents: 3_900 }),
      });
      noPan(trail, cm.pan);
    });

    it('answers not_found for another cardmember’s card or fee', async () => {
      const cm = await h().fixtures.buildCardmember();
      const other = await h().fixtures.buildCardmember();
      const theirFee = await h().fixtures.buildFee({ accountId: other.accountId, assessedOn: '2026-11-16' });
      await h().fixtures.buildFee({ accountId: cm.accountId, assessedOn: '2026-11-16' });
      expect(
        await failure(
          h().port.requestLateFeeGoodwill(asCardmember(cm), { cardId: cm.cardId, feeId: theirFee }, key('nf')),
        ),
      ).toMatchObject({ code: 'not_found' });
      expect(
        await failure(h().port.requestLateFeeGoodwill(asCardmember(cm), { cardId: other.cardId }, key('nf'))),
      ).toMatchObject({ code: 'not_found' });
      expect((await h().port.listFees(asCardmember(other), other.cardId))[0]?.reversedOn).toBeNull();
      expect(
        await failure(
          h().port.requestLateFeeGoodwill(asCardmember(cm), { cardId: cm.cardId, feeId: 42 } as never, key('nf')),
        ),
      ).toMatchObject({ code: 'invalid_input' });
    });

    it('audits agent reads of fees and payments', async () => {
      const cm = await h().fixtures.buildCardmember();
      await h().port.listFees(asAgent(cm), cm.cardId);
      await h().port.listPayments(asAgent(cm), cm.cardId);
      const ops = (await h().auditTrail(cm.cardmemberId)).map((r) => r.operation);
      expect(ops).toEqual(expect.arrayContaining(['listFees', 'listPayments']));
    });
  });

  describe('billing: dispute eligibility', () => {
    async function chargeOnStatement(closingDate: string, amountCents = 8_900) {
      const cm = await h().fixtures.buildCardmember();
      const statementId = await h().fixtures.buildStatement({ accountId: cm.accountId, closingDate });
      const txn = await h().fixtures.buildTransaction({
        accountId: cm.accountId,
        cardId: cm.cardId,
        date: closingDate,
        amountCents,
        statementId,
      });
      return { cm, txn };
    }

    it('is timely on the 60th day after the statement closed, not on the 61st', async () => {
      const day60 = await chargeOnStatement('2026-09-26');
      expect(await h().port.checkDisputeEligibility(asCardmember(day60.cm), day60.txn)).toEqual({
        transactionId: day60.txn,
        eligible: true,
        reason: null,
        statementClosingDate: '2026-09-26',
        deadline: '2026-11-25',
        daysRemaining: 0,
      });
      const day61 = await chargeOnStatement('2026-09-25');
      expect(await h().port.checkDisputeEligibility(asCardmember(day61.cm), day61.txn)).toMatchObject({
        eligible: false,
        reason: 'window_closed',
        deadline: '2026-11-24',
      });
      const fresh = await chargeOnStatement('2026-11-20');
      expect(await h().port.checkDisputeEligibility(asCardmember(fresh.cm), fresh.txn)).toMatchObject({
        eligible: true,
        deadline: '2027-01-19',
        daysRemaining: 55,
      });
    });

    it('counts February’s 29th day in a leap year', async () => {
      h().clock.set('2028-01-10');
      const { cm, txn } = await chargeOnStatement('2028-01-01');
      h().clock.set('2028-03-01');
      expect(await h().port.checkDisputeEligibility(asCardmember(cm), txn)).toMatchObject({
        eligible: true,
        deadline: '2028-03-01',
        daysRemaining: 0,
      });
      h().clock.set('2028-03-02');
      expect(await h().port.checkDisputeEligibility(asCardmember(cm), txn)).toMatchObject({
        eligible: false,
        reason: 'window_closed',
      });
    });

    it('is not eligible while pending or for a credit; eligible before the first statement', async () => {
      const cm = await h().fixtures.buildCardmember();
      const f = h().fixtures;
      const pending = await f.buildTransaction({
        accountId: cm.accountId,
        cardId: cm.cardId,
        date: '2026-11-24',
        amountCents: 1_000,
        status: 'pending',
      });
      const refund = await f.buildTransaction({
        accountId: cm.accountId,
        cardId: cm.cardId,
        date: '2026-11-20',
        amountCents: -2_500,
      });
      const unbilled = await f.buildTransaction({
        accountId: cm.accountId,
        cardId: cm.cardId,
        date: '2026-11-22',
        amountCents: 2_500,
      });
      expect(await h().port.checkDisputeEligibility(asCardmember(cm), pending)).toMatchObject({
        eligible: false,
        reason: 'pending',
      });
      expect(await h().port.checkDisputeEligibility(asCardmember(cm), refund)).toMatchObject({
        eligible: false,
        reason: 'not_a_charge',
      });
      expect(await h().port.checkDisputeEligibility(asCardmember(cm), unbilled)).toEqual({
        transactionId: unbilled,
        eligible: true,
        reason: null,
        statementClosingDate: null,
        deadline: null,
        daysRemaining: null,
      });
    });

    it('answers not_found for another cardmember’s transaction; audits agent checks', async () => {
      const mine = await chargeOnStatement('2026-11-20');
      const theirs = await chargeOnStatement('2026-11-20');
      expect(await failure(h().port.checkDisputeEligibility(asCardmember(mine.cm), theirs.txn))).toMatchObject({
        code: 'not_found',
      });
      expect(await failure(h().port.checkDisputeEligibility(asCardmember(mine.cm), 'txn_nope'))).toMatchObject({
        code: 'not_found',
      });
      const r = await h().port.checkDisputeEligibility(asAgent(mine.cm), mine.txn);
      noPan(r, mine.cm.pan);
      expect(await h().auditTrail(mine.cm.cardmemberId)).toContainEqual(
        expect.objectContaining({
          operation: 'checkDisputeEligibility',
          actorType: 'agent',
          targetId: mine.txn,
        }),
      );
    });
  });
}
