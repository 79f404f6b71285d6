/** Contract tests for billing-error disputes (open, list, get) of any AccountsPort implementation. */
import { describe, expect, it } from 'vitest';
import { asAgent, asAssistant, asCardmember, failure, key } from './support.js';
import type { ContractHarness } from './harness.js';

const REFERENCE = /^DSP-[0-9A-HJKMNP-TV-Z]{8}$/;

export function disputesContract(harness: () => ContractHarness): void {
  const h = harness;

  /** A cardmember with monthly statements closing on the given dates and one charge on the last one. */
  async function chargeOnStatements(closingDates: string[], amountCents = 8_900) {
    const f = h().fixtures;
    const cm = await f.buildCardmember();
    let statementId = '';
    for (const closingDate of closingDates)
      statementId = await f.buildStatement({ accountId: cm.accountId, closingDate });
    const last = closingDates[closingDates.length - 1]!;
    const txn = await f.buildTransaction({
      accountId: cm.accountId,
      cardId: cm.cardId,
      date: last,
      amountCents,
      merchant: 'Harbor Electronics',
      statementId,
    });
    return { cm, txn };
  }

  describe('disputes: opening one', () => {
    it('opens a dispute of the whole charge with the FCBA clocks running from today', async () => {
      const { cm, txn } = await chargeOnStatements(['2026-09-26', '2026-10-26']);
      const d = await h().port.openDispute(
        asAssistant(cm),
        { transactionId: txn, reason: 'unauthorized', description: 'I never ordered from this shop.' },
        key('dispute'),
      );
      expect(d).toEqual({
        id: expect.any(String),
        reference: expect.stringMatching(REFERENCE),
        cardId: cm.cardId,
        cardLast4: cm.pan.slice(-4),
        transactionId: txn,
        merchant: 'Harbor Electronics',
        amountCents: 8_900,
        reason: 'unauthorized',
        description: 'I never ordered from this shop.',
        status: 'open',
        noticeDate: '2026-11-25',
        statementClosingDate: '2026-10-26',
        // Notice + 30 days; the notice's own cycle closes 2026-11-26, the second complete one 2027-01-26.
        acknowledgeBy: '2026-12-25',
        resolveBy: '2027-01-26',
        createdAt: expect.any(String),
        updatedAt: d.createdAt,
      });
      expect(JSON.stringify(d)).not.toContain(cm.pan);
    });

    it('caps resolution at 90 days after the notice', async () => {
      // Closing the day before the notice: two complete cycles would end 2027-02-24.
      const { cm, txn } = await chargeOnStatements(['2026-10-24', '2026-11-24']);
      const d = await h().port.openDispute(asCardmember(cm), { transactionId: txn, reason: 'duplicate' }, key('d'));
      expect(d).toMatchObject({ noticeDate: '2026-11-25', acknowledgeBy: '2026-12-25', resolveBy: '2027-02-23' });
    });

    it('takes a given notice date for the window and the clocks, never a future one', async () => {
      // The 60-day window of the 2026-09-24 statement closed on 2026-11-23.
      const { cm, txn } = await chargeOnStatements(['2026-09-24']);
      expect(
        await failure(h().port.openDispute(asAgent(cm), { transactionId: txn, reason: 'not_received' }, key('late'))),
      ).toMatchObject({ code: 'rule_violation', rule: 'dispute.window_closed' });
      expect(
        await failure(
          h().port.openDispute(
            asAgent(cm),
            { transactionId: txn, reason: 'not_received', noticeDate: '2026-11-26' },
            key('future'),
          ),
        ),
      ).toMatchObject({ code: 'invalid_input' });
      const d = await h().port.openDispute(
        asAgent(cm),
        { transactionId: txn, reason: 'not_received', noticeDate: '2026-11-20' },
        key('called'),
      );
      expect(d).toMatchObject({
        noticeDate: '2026-11-20',
        statementClosingDate: '2026-09-24',
        acknowledgeBy: '2026-12-20',
        resolveBy: '2027-01-24',
      });
    });

    it('repeats the first result for a repeated key; the key with another request is a conflict', async () => {
      const { cm, txn } = await chargeOnStatements(['2026-11-20']);
      const k = key('dispute');
      const input = { transactionId: txn, reason: 'wrong_amount' as const };
      const first = await h().port.openDispute(asCardmember(cm), input, k);
      h().clock.set('2026-11-27');
      expect(await h().port.openDispute(asCardmember(cm), input, k)).toEqual(first);
      expect(await h().port.listDisputes(asCardmember(cm))).toHaveLength(1);
      expect(await failure(h().port.openDispute(asCardmember(cm), { ...input, reason: 'cancelled' }, k))).toMatchObject(
        { code: 'conflict', rule: 'idempotency_key_reused' },
      );
    });

    it('refuses a second dispute of the same charge, and eligibility says so', async () => {
      const { cm, txn } = await chargeOnStatements(['2026-11-20']);
      await h().port.openDispute(asCardmember(cm), { transactionId: txn, reason: 'unauthorized' }, key('one'));
      expect(
        await failure(h().port.openDispute(asAssistant(cm), { transactionId: txn, reason: 'duplicate' }, key('two'))),
      ).toMatchObject({ code: 'rule_violation', rule: 'dispute.already_disputed' });
      expect(await h().port.checkDisputeEligibility(asCardmember(cm), txn)).toMatchObject({
        eligible: false,
        reason: 'already_disputed',
      });
    });

    it('refuses pending charges, credits and charges past the window; checks the input', async () => {
      const f = h().fixtures;
      const { cm, txn: old } = await chargeOnStatements(['2026-09-25']);
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
      const open = (transactionId: string, reason = 'unauthorized') =>
        failure(h().port.openDispute(asCardmember(cm), { transactionId, reason } as never, key('x')));
      expect(await open(pending)).toMatchObject({ code: 'rule_violation', rule: 'dispute.pending' });
      expect(await open(refund)).toMatchObject({ code: 'rule_violation', rule: 'dispute.not_a_charge' });
      expect(await open(old)).toMatchObject({ code: 'rule_violation', rule: 'dispute.window_closed' });
      expect(await open(old, 'changed_my_mind')).toMatchObject({ code: 'invalid_input' });
      expect(await open('txn_nope')).toMatchObject({ code: 'not_found' });
      expect(await h().port.listDisputes(asCardmember(cm))).toEqual([]);
    });

    it('answers not_found for another cardmember’s charge and leaves it disputable', async () => {
      const mine = await chargeOnStatements(['2026-11-20']);
      const theirs = await chargeOnStatements(['2026-11-20']);
      expect(
        await failure(
          h().port.openDispute(asCardmember(mine.cm), { transactionId: theirs.txn, reason: 'unauthorized' }, key('x')),
        ),
      ).toMatchObject({ code: 'not_found' });
      expect(await h().port.checkDisputeEligibility(asCardmember(theirs.cm), theirs.txn)).toMatchObject({
        eligible: true,
      });
    });

    it('audits the opening (ids, dates, amount; not the description) and a refusal with its rule', async () => {
      const { cm, txn } = await chargeOnStatements(['2026-11-20']);
      const d = await h().port.openDispute(
        asAgent(cm),
        { transactionId: txn, reason: 'cancelled', description: 'Cancelled the order on the phone.' },
        key('audited'),
      );
      await failure(h().port.openDispute(asAgent(cm), { transactionId: txn, reason: 'cancelled' }, key('again')));
      const trail = (await h().auditTrail(cm.cardmemberId)).filter((r) => r.operation === 'openDispute');
      // Both within the same clock instant: their order in the trail is not defined.
      expect(trail).toHaveLength(2);
      expect(trail).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            actorType: 'agent',
            actorId: 'agent_ana',
            targetType: 'transaction',
            targetId: txn,
            outcome: 'ok',
            details: expect.objectContaining({
              disputeId: d.id,
              reference: d.reference,
              amountCents: 8_900,
              noticeDate: '2026-11-25',
              acknowledgeBy: d.acknowledgeBy,
              resolveBy: d.resolveBy,
            }),
          }),
          expect.objectContaining({
            targetId: txn,
            outcome: 'rejected',
            details: { rule: 'dispute.already_disputed' },
          }),
        ]),
      );
      expect(JSON.stringify(trail)).not.toContain('Cancelled the order');
    });
  });

  describe('disputes: reading them', () => {
    it('lists the cardmember’s disputes newest first, by card, and gets one by id or reference', async () => {
      const f = h().fixtures;
      const { cm, txn: first } = await chargeOnStatements(['2026-11-20']);
      const second = await f.buildCard({ cardmemberId: cm.cardmemberId, accountId: cm.accountId });
      const other = await f.buildTransaction({
        accountId: cm.accountId,
        cardId: second.cardId,
        date: '2026-11-22',
        amountCents: 4_200,
      });
      const a = await h().port.openDispute(asCardmember(cm), { transactionId: first, reason: 'duplicate' }, key('a'));
      h().clock.set(new Date('2026-11-25T15:00:00.000Z'));
      const b = await h().port.openDispute(
        asCardmember(cm),
        { transactionId: other, reason: 'not_received' },
        key('b'),
      );
      expect(b).toMatchObject({ cardId: second.cardId, cardLast4: second.pan.slice(-4), statementClosingDate: null });
      expect(await h().port.listDisputes(asCardmember(cm))).toEqual([b, a]);
      expect(await h().port.listDisputes(asCardmember(cm), second.cardId)).toEqual([b]);
      expect(await h().port.getDispute(asCardmember(cm), a.id)).toEqual(a);
      expect(await h().port.getDispute(asAssistant(cm), a.reference.toLowerCase())).toEqual(a);
    });

    it('never shows another cardmember’s disputes', async () => {
      const mine = await chargeOnStatements(['2026-11-20']);
      const theirs = await chargeOnStatements(['2026-11-20']);
      const d = await h().port.openDispute(
        asCardmember(theirs.cm),
        { transactionId: theirs.txn, reason: 'unauthorized' },
        key('theirs'),
      );
      expect(await h().port.listDisputes(asCardmember(mine.cm))).toEqual([]);
      expect(await failure(h().port.listDisputes(asCardmember(mine.cm), theirs.cm.cardId))).toMatchObject({
        code: 'not_found',
      });
      for (const idOrReference of [d.id, d.reference, 'DSP-00000000', '']) {
        expect(await failure(h().port.getDispute(asCardmember(mine.cm), idOrReference))).toMatchObject({
          code: 'not_found',
        });
      }
    });

    it('audits agent reads of disputes', async () => {
      const { cm, txn } = await chargeOnStatements(['2026-11-20']);
      const d = await h().port.openDispute(asCardmember(cm), { transactionId: txn, reason: 'duplicate' }, key('d'));
      await h().port.listDisputes(asAgent(cm));
      await h().port.getDispute(asAgent(cm), d.reference);
      await h().port.listDisputes(asCardmember(cm));
      const reads = (await h().auditTrail(cm.cardmemberId)).filter((r) => r.operation !== 'openDispute');
      // Only the agent's two reads: the cardmember's own read is not audited.
      expect(reads).toHaveLength(2);
      expect(reads).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ operation: 'listDisputes', actorType: 'agent', targetType: 'cardmember' }),
          expect.objectContaining({
            operation: 'getDispute',
            actorType: 'agent',
            targetType: 'dispute',
            targetId: d.id,
          }),
        ]),
      );
    });
  });
}
