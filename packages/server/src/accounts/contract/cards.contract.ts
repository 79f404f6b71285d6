/** Contract tests for the cards operations of any AccountsPort implementation. */
import { describe, expect, it } from 'vitest';
import type { Caller } from '../accounts.port.js';
import { failure } from './support.js';
import type { ContractHarness, Fixtures } from './harness.js';

type Cardmember = Awaited<ReturnType<Fixtures['buildCardmember']>>;

export function cardsContract(harness: () => ContractHarness): void {
  const h = harness;
  const me = (cm: Cardmember): Caller => ({
    actorType: 'cardmember',
    actorId: cm.cardmemberId,
    onBehalfOf: cm.cardmemberId,
  });
  const assistant = (cm: Cardmember): Caller => ({
    actorType: 'assistant',
    actorId: null,
    onBehalfOf: cm.cardmemberId,
  });
  const agent = (cm: Cardmember): Caller => ({
    actorType: 'agent',
    actorId: 'agent_ana',
    onBehalfOf: cm.cardmemberId,
    conversationId: 'conv_1',
  });
  const trail = async (cm: Cardmember, operation: string) =>
    (await h().auditTrail(cm.cardmemberId)).filter((r) => r.operation === operation);

  describe('cards area', () => {
    describe('cards area: listing and reading', () => {
      it('lists the cardmember’s card with only its last 4 digits', async () => {
        const cm = await h().fixtures.buildCardmember({ productId: 'gold', firstName: 'Dana', lastName: 'Ortiz' });
        const cards = await h().port.listCards(me(cm));
        expect(cards).toHaveLength(1);
        expect(cards[0]).toMatchObject({
          id: cm.cardId,
          accountId: cm.accountId,
          last4: cm.pan.slice(-4),
          status: 'active',
          activated: true,
          role: 'primary',
          holderName: 'Dana Ortiz',
          product: { id: 'gold', name: 'Meridian Gold Card', type: 'personal' },
        });
        expect(cards[0]!.expiry).toMatch(/^\d{2}\/\d{2}$/);
        expect(JSON.stringify(cards)).not.toContain(cm.pan);
      });

      it('lists every account and authorized-user card, and a replacement right after the card it replaced', async () => {
        const cm = await h().fixtures.buildCardmember();
        const au = await h().fixtures.buildCard({
          cardmemberId: cm.cardmemberId,
          accountId: cm.accountId,
          role: 'authorized_user',
          holderName: 'Sam Rivera',
        });
        const otherAccount = await h().fixtures.buildAccount(cm.cardmemberId, { productId: 'blue_cash' });
        const second = await h().fixtures.buildCard({
          cardmemberId: cm.cardmemberId,
          accountId: otherAccount,
          productId: 'blue_cash',
        });
        const lost = await h().port.reportLostOrStolen(me(cm), { cardId: cm.cardId, reason: 'lost' }, 'list-lost-0001');
        const listed = await h().port.listCards(me(cm));
        const order = listed.map((c) => c.id);
        expect([...order].sort()).toEqual([cm.cardId, lost.newCard.id, au.cardId, second.cardId].sort());
        expect(order.indexOf(lost.newCard.id)).toBe(order.indexOf(cm.cardId) + 1);
        expect(listed.find((c) => c.id === cm.cardId)!.status).toBe('lost');
        expect(listed.find((c) => c.id === au.cardId)!.role).toBe('authorized_user');
        expect(listed.find((c) => c.id === second.cardId)!.product.id).toBe('blue_cash');
        for (const pan of [cm.pan, au.pan, second.pan]) expect(JSON.stringify(listed)).not.toContain(pan);
      });

      it('shows a card with its wallet tokens and replacements', async () => {
        const cm = await h().fixtures.buildCardmember();
        const wt = await h().fixtures.buildWalletToken({
          cardId: cm.cardId,
          wallet: 'google_pay',
          deviceName: 'Pixel 9',
        });
        const repl = await h().port.replaceDamaged(me(cm), { cardId: cm.cardId }, 'detail-dmg-0001');
        const card = await h().port.getCard(me(cm), cm.cardId);
        expect(card).toMatchObject({ id: cm.cardId, last4: cm.pan.slice(-4), status: 'active' });
        expect(card.walletTokens).toEqual([
          expect.objectContaining({
            id: wt,
            cardId: cm.cardId,
            wallet: 'google_pay',
            deviceName: 'Pixel 9',
            status: 'active',
          }),
        ]);
        expect(card.replacements).toEqual([repl]);
        expect(JSON.stringify(card)).not.toContain(cm.pan);
      });

      it('lists a card’s wallet tokens and no other card’s', async () => {
        const cm = await h().fixtures.buildCardmember();
        const other = await h().fixtures.buildCard({ cardmemberId: cm.cardmemberId, accountId: cm.accountId });
        const a = await h().fixtures.buildWalletToken({ cardId: cm.cardId });
        const b = await h().fixtures.buildWalletToken({ cardId: cm.cardId, wallet: 'google_pay', status: 'suspended' });
        await h().fixtures.buildWalletToken({ cardId: other.cardId });
        const tokens = await h().port.listWalletTokens(me(cm), cm.cardId);
        expect(tokens.map((t) => t.id).sort()).toEqual([a, b].sort());
        expect(tokens.find((t) => t.id === b)).toMatchObject({ status: 'suspended', suspendedAt: expect.any(String) });
        expect(tokens.find((t) => t.id === a)).toMatchObject({ status: 'active', suspendedAt: null });
      });

      it('audits an agent’s reads, naming the agent and the chat', async () => {
        const cm = await h().fixtures.buildCardmember();
        await h().port.listCards(agent(cm));
        await h().port.getCard(agent(cm), cm.cardId);
        await h().port.listWalletTokens(agent(cm), cm.cardId);
        await h().port.listReplacements(agent(cm));
        await h().port.listReplacements(agent(cm), cm.cardId);
        const reads = (await h().auditTrail(cm.cardmemberId)).filter((r) => r.actorType === 'agent');
        expect(reads.map((r) => r.operation).sort()).toEqual(
          ['getCard', 'listCards', 'listReplacements', 'listReplacements', 'listWalletTokens'].sort(),
        );
        for (const r of reads)
          expect(r).toMatchObject({ actorId: 'agent_ana', onBehalfOf: cm.cardmemberId, outcome: 'ok' });
        expect(reads.find((r) => r.operation === 'getCard')).toMatchObject({ targetType: 'card', targetId: cm.cardId });
      });
    });

    describe('cards area: scoping and input validation', () => {
      it('never reveals or touches another cardmember’s card or address', async () => {
        const cm = await h().fixtures.buildCardmember();
        const other = await h().fixtures.buildCardmember();
        await h().fixtures.buildWalletToken({ cardId: other.cardId });
        const c = me(cm);
        const calls: Array<() => Promise<unknown>> = [
          () => h().port.getCard(c, other.cardId),
          () => h().port.listWalletTokens(c, other.cardId),
          () => h().port.listReplacements(c, other.cardId),
          () => h().port.lockCard(c, other.cardId, 'scope-lock-0001'),
          () => h().port.unlockCard(c, other.cardId, 'scope-unlock-0001'),
          () => h().port.activateCard(c, other.cardId, 'scope-activate-0001'),
          () => h().port.reportLostOrStolen(c, { cardId: other.cardId, reason: 'stolen' }, 'scope-lost-0001'),
          () => h().port.replaceDamaged(c, { cardId: other.cardId }, 'scope-dmg-0001'),
          () => h().port.getCard(c, 'card_does_not_exist'),
        ];
        for (const call of calls) expect(await failure(call())).toMatchObject({ code: 'not_found' });
        expect(
          await failure(
            h().port.reportLostOrStolen(
              c,
              { cardId: cm.cardId, reason: 'lost', addressId: other.addressId },
              'scope-adr-0001',
            ),
          ),
        ).toMatchObject({ code: 'not_found' });
        expect(
          await failure(
            h().port.replaceDamaged(c, { cardId: cm.cardId, addressId: other.addressId }, 'scope-adr-0002'),
          ),
        ).toMatchObject({ code: 'not_found' });
        expect((await h().port.listCards(c)).map((k) => k.id)).toEqual([cm.cardId]);
        expect((await h().port.getCard(c, cm.cardId)).status).toBe('active');
        expect(await h().port.listReplacements(c)).toEqual([]);
        const theirs = await h().port.getCard(me(other), other.cardId);
        expect(theirs.status).toBe('active');
        expect(theirs.walletTokens.every((t) => t.status === 'active')).toBe(true);
        expect(theirs.replacements).toEqual([]);
      });

      it('rejects malformed input as invalid_input', async () => {
        const cm = await h().fixtures.buildCardmember();
        const c = me(cm);
        const bad = <T>(v: unknown) => v as T;
        const calls: Array<() => Promise<unknown>> = [
          () => h().port.getCard(c, ''),
          () => h().port.getCard(c, bad<string>(42)),
          () => h().port.listWalletTokens(c, bad<string>(null)),
          () => h().port.listReplacements(c, ''),
          () => h().port.lockCard(c, cm.cardId, 'short'),
          () => h().port.unlockCard(c, cm.cardId, bad<string>(undefined)),
          () => h().port.activateCard(c, bad<string>({}), 'valid-key-0001'),
          () => h().port.reportLostOrStolen(c, bad({ cardId: cm.cardId, reason: 'misplaced' }), 'valid-key-0002'),
          () =>
            h().port.reportLostOrStolen(
              c,
              bad({ cardId: cm.cardId, reason: 'lost', method: 'overnight' }),
              'valid-key-0003',
            ),
          () =>
            h().port.reportLostOrStolen(c, bad({ cardId: cm.cardId, reason: 'lost', addressId: 7 }), 'valid-key-0004'),
          () => h().port.reportLostOrStolen(c, bad(null), 'valid-key-0005'),
          () => h().port.replaceDamaged(c, bad({ cardId: cm.cardId, method: 'drone' }), 'valid-key-0006'),
          () => h().port.replaceDamaged(c, bad({ cardId: 12 }), 'valid-key-0007'),
          () => h().port.replaceDamaged(c, { cardId: cm.cardId }, 'x'.repeat(129)),
        ];
        for (const call of calls) expect(await failure(call())).toMatchObject({ code: 'invalid_input' });
        const card = await h().port.getCard(c, cm.cardId);
        expect(card.status).toBe('active');
        expect(card.replacements).toEqual([]);
      });
    });

    describe('cards area: lock and unlock', () => {
      it('locks and unlocks a card, leaving its wallet tokens as they are', async () => {
        const cm = await h().fixtures.buildCardmember();
        const wt = await h().fixtures.buildWalletToken({ cardId: cm.cardId });
        const locked = await h().port.lockCard(assistant(cm), cm.cardId, 'lock-key-0001');
        expect(locked).toMatchObject({ changed: true, card: { id: cm.cardId, status: 'locked' } });
        expect((await h().port.getCard(me(cm), cm.cardId)).status).toBe('locked');
        expect(await h().port.listWalletTokens(me(cm), cm.cardId)).toEqual([
          expect.objectContaining({ id: wt, status: 'active', suspendedAt: null }),
        ]);
        const unlocked = await h().port.unlockCard(assistant(cm), cm.cardId, 'unlock-key-0001');
        expect(unlocked).toMatchObject({ changed: true, card: { id: cm.cardId, status: 'active' } });
        expect((await h().port.getCard(me(cm), cm.cardId)).status).toBe('active');
        expect(JSON.stringify([locked, unlocked])).not.toContain(cm.pan);
      });

      it('answers "already locked" (changed: false) when locking a locked card, and likewise for unlock', async () => {
        const cm = await h().fixtures.buildCardmember();
        await h().port.lockCard(me(cm), cm.cardId, 'lock-key-0001');
        const again = await h().port.lockCard(me(cm), cm.cardId, 'lock-key-0002');
        expect(again).toMatchObject({ changed: false, card: { status: 'locked' } });
        await h().port.unlockCard(me(cm), cm.cardId, 'unlock-key-0001');
        const unlockAgain = await h().port.unlockCard(me(cm), cm.cardId, 'unlock-key-0002');
        expect(unlockAgain).toMatchObject({ changed: false, card: { status: 'active' } });
      });

      it('refuses to lock or unlock a lost or closed card', async () => {
        const cm = await h().fixtures.buildCardmember();
        const lost = await h().fixtures.buildCard({
          cardmemberId: cm.cardmemberId,
          accountId: cm.accountId,
          status: 'lost',
        });
        const closed = await h().fixtures.buildCard({
          cardmemberId: cm.cardmemberId,
          accountId: cm.accountId,
          status: 'closed',
        });
        for (const id of [lost.cardId, closed.cardId]) {
          expect(await failure(h().port.lockCard(me(cm), id, `lock-${id}`))).toMatchObject({
            code: 'rule_violation',
            rule: 'card_not_lockable',
          });
          expect(await failure(h().port.unlockCard(me(cm), id, `unlock-${id}`))).toMatchObject({
            code: 'rule_violation',
            rule: 'card_not_unlockable',
          });
        }
        expect((await h().port.getCard(me(cm), lost.cardId)).status).toBe('lost');
      });

      it('is idempotent: the same key returns the first result and changes state once', async () => {
        const cm = await h().fixtures.buildCardmember();
        const first = await h().port.lockCard(me(cm), cm.cardId, 'idem-lock-0001');
        const second = await h().port.lockCard(me(cm), cm.cardId, 'idem-lock-0001');
        expect(second).toEqual(first);
        expect(second.changed).toBe(true);
        expect((await trail(cm, 'lockCard')).filter((r) => r.outcome === 'ok')).toHaveLength(1);
        // A late retry after an unlock must not lock the card again.
        await h().port.unlockCard(me(cm), cm.cardId, 'idem-unlock-0001');
        expect(await h().port.lockCard(me(cm), cm.cardId, 'idem-lock-0001')).toEqual(first);
        expect((await h().port.getCard(me(cm), cm.cardId)).status).toBe('active');
        const other = await h().fixtures.buildCard({ cardmemberId: cm.cardmemberId, accountId: cm.accountId });
        expect(await failure(h().port.lockCard(me(cm), other.cardId, 'idem-lock-0001'))).toMatchObject({
          code: 'conflict',
        });
        expect((await h().port.getCard(me(cm), other.cardId)).status).toBe('active');
      });

      it('audits each lock and unlock, and each refusal', async () => {
        const cm = await h().fixtures.buildCardmember();
        const lost = await h().fixtures.buildCard({
          cardmemberId: cm.cardmemberId,
          accountId: cm.accountId,
          status: 'lost',
        });
        await h().port.lockCard(agent(cm), cm.cardId, 'audit-lock-0001');
        await h().port.unlockCard(me(cm), cm.cardId, 'audit-unlock-0001');
        await failure(h().port.lockCard(me(cm), lost.cardId, 'audit-lock-0002'));
        const locks = await trail(cm, 'lockCard');
        expect(locks).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              actorType: 'agent',
              actorId: 'agent_ana',
              targetType: 'card',
              targetId: cm.cardId,
              outcome: 'ok',
            }),
            expect.objectContaining({ targetId: lost.cardId, outcome: 'rejected' }),
          ]),
        );
        expect(await trail(cm, 'unlockCard')).toEqual([
          expect.objectContaining({ actorType: 'cardmember', targetId: cm.cardId, outcome: 'ok' }),
        ]);
        expect(JSON.stringify(await h().auditTrail(cm.cardmemberId))).not.toContain(cm.pan);
      });
    });

    describe('cards area: activation', () => {
      it('activates a card that arrived, once', async () => {
        const cm = await h().fixtures.buildCardmember();
        const fresh = await h().fixtures.buildCard({
          cardmemberId: cm.cardmemberId,
          accountId: cm.accountId,
          activated: false,
        });
        expect((await h().port.getCard(me(cm), fresh.cardId)).activated).toBe(false);
        const card = await h().port.activateCard(me(cm), fresh.cardId, 'activate-0001');
        expect(card).toMatchObject({ id: fresh.cardId, activated: true, status: 'active', last4: fresh.pan.slice(-4) });
        expect(JSON.stringify(card)).not.toContain(fresh.pan);
        expect(await h().port.activateCard(me(cm), fresh.cardId, 'activate-0001')).toEqual(card);
        expect(await failure(h().port.activateCard(me(cm), fresh.cardId, 'activate-0002'))).toMatchObject({
          code: 'rule_violation',
          rule: 'card_already_active',
        });
        expect(await trail(cm, 'activateCard')).toEqual([
          expect.objectContaining({ targetId: fresh.cardId, outcome: 'ok' }),
          expect.objectContaining({ targetId: fresh.cardId, outcome: 'rejected' }),
        ]);
      });

      it('refuses a card that is not active', async () => {
        const cm = await h().fixtures.buildCardmember();
        const lost = await h().fixtures.buildCard({
          cardmemberId: cm.cardmemberId,
          accountId: cm.accountId,
          status: 'lost',
          activated: false,
        });
        const locked = await h().fixtures.buildCard({
          cardmemberId: cm.cardmemberId,
          accountId: cm.accountId,
          status: 'locked',
          activated: false,
        });
        for (const id of [lost.cardId, locked.cardId]) {
          expect(await failure(h().port.activateCard(me(cm), id, `activate-${id}`))).toMatchObject({
            code: 'rule_violation',
            rule: 'card_not_activatable',
          });
          expect((await h().port.getCard(me(cm), id)).activated).toBe(false);
        }
      });
    });

    describe('cards area: lost or stolen', () => {
      it('closes the number, suspends wallet tokens and issues a new card in one step', async () => {
        const cm = await h().fixtures.buildCardmember({ productId: 'platinum' });
        const t1 = await h().fixtures.buildWalletToken({ cardId: cm.cardId });
        const t2 = await h().fixtures.buildWalletToken({ cardId: cm.cardId, wallet: 'google_pay' });
        const res = await h().port.reportLostOrStolen(me(cm), { cardId: cm.cardId, reason: 'lost' }, 'lost-key-0001');
        expect(res.closedCard).toMatchObject({ id: cm.cardId, status: 'lost', last4: cm.pan.slice(-4) });
        expect(res.newCard).toMatchObject({
          accountId: cm.accountId,
          status: 'active',
          activated: false,
          role: 'primary',
          holderName: res.closedCard.holderName,
          product: { id: 'platinum' },
          expiry: '11/30',
        });
        expect(res.newCard.id).not.toBe(cm.cardId);
        expect(res.newCard.last4).toMatch(/^\d{4}$/);
        expect(res.newCard.last4).not.toBe(cm.pan.slice(-4));
        expect(res.suspendedWalletTokens).toBe(2);
        // Ordered on Wednesday 2026-11-25, standard: five business days.
        expect(res.replacement).toMatchObject({
          cardId: cm.cardId,
          newCardId: res.newCard.id,
          newCardLast4: res.newCard.last4,
          reason: 'lost',
          method: 'standard',
          status: 'ordered',
          shipTo: { line1: '200 Vesey Street', city: 'New York', state: 'NY', zip: '10285' },
          estimatedDelivery: '2026-12-02',
          deliveredOn: null,
        });
        expect(JSON.stringify(res)).not.toContain(cm.pan);

        const tokens = await h().port.listWalletTokens(me(cm), cm.cardId);
        expect(tokens.map((t) => t.id).sort()).toEqual([t1, t2].sort());
        for (const t of tokens) expect(t).toMatchObject({ status: 'suspended', suspendedAt: expect.any(String) });
        expect(await h().port.listWalletTokens(me(cm), res.newCard.id)).toEqual([]);

        // The old number is closed for good.
        for (const [p, rule] of [
          [() => h().port.lockCard(me(cm), cm.cardId, 'lost-lock-0001'), 'card_not_lockable'],
          [() => h().port.unlockCard(me(cm), cm.cardId, 'lost-unlock-0001'), 'card_not_unlockable'],
          [
            () => h().port.reportLostOrStolen(me(cm), { cardId: cm.cardId, reason: 'stolen' }, 'lost-key-0002'),
            'card_not_reportable',
          ],
          [() => h().port.replaceDamaged(me(cm), { cardId: cm.cardId }, 'lost-dmg-0001'), 'card_not_replaceable'],
          [() => h().port.activateCard(me(cm), cm.cardId, 'lost-act-0001'), 'card_not_activatable'],
        ] as const) {
          expect(await failure(p())).toMatchObject({ code: 'rule_violation', rule });
        }

        // Both sides of the replacement show it.
        expect((await h().port.getCard(me(cm), cm.cardId)).replacements).toEqual([res.replacement]);
        expect((await h().port.getCard(me(cm), res.newCard.id)).replacements).toEqual([res.replacement]);
        // The new card is activated on arrival.
        expect(await h().port.activateCard(me(cm), res.newCard.id, 'lost-act-0002')).toMatchObject({
          id: res.newCard.id,
          activated: true,
        });
      });

      it('accepts a locked card reported stolen, shipped expedited to the named address', async () => {
        const cm = await h().fixtures.buildCardmember();
        await h().port.lockCard(me(cm), cm.cardId, 'stolen-lock-0001');
        const res = await h().port.reportLostOrStolen(
          agent(cm),
          { cardId: cm.cardId, reason: 'stolen', method: 'expedited', addressId: cm.addressId },
          'stolen-key-0001',
        );
        expect(res.closedCard.status).toBe('stolen');
        expect(res.replacement).toMatchObject({
          reason: 'stolen',
          method: 'expedited',
          estimatedDelivery: '2026-11-27',
        });
        expect(res.suspendedWalletTokens).toBe(0);
        const audit = await trail(cm, 'reportLostOrStolen');
        expect(audit).toEqual([
          expect.objectContaining({
            actorType: 'agent',
            actorId: 'agent_ana',
            targetType: 'card',
            targetId: cm.cardId,
            outcome: 'ok',
          }),
        ]);
        expect(JSON.stringify(audit)).not.toContain(cm.pan);
      });

      it('is idempotent: a retry with the same key does not issue a second card', async () => {
        const cm = await h().fixtures.buildCardmember();
        const first = await h().port.reportLostOrStolen(
          assistant(cm),
          { cardId: cm.cardId, reason: 'lost' },
          'idem-lost-0001',
        );
        const again = await h().port.reportLostOrStolen(
          assistant(cm),
          { cardId: cm.cardId, reason: 'lost' },
          'idem-lost-0001',
        );
        expect(again).toEqual(first);
        expect(await h().port.listCards(me(cm))).toHaveLength(2);
        expect(await h().port.listReplacements(me(cm))).toHaveLength(1);
        expect((await trail(cm, 'reportLostOrStolen')).filter((r) => r.outcome === 'ok')).toHaveLength(1);
        expect(
          await failure(
            h().port.reportLostOrStolen(assistant(cm), { cardId: cm.cardId, reason: 'stolen' }, 'idem-lost-0001'),
          ),
        ).toMatchObject({ code: 'conflict' });
        expect(await h().port.listCards(me(cm))).toHaveLength(2);
      });

      it('refuses a card already closed', async () => {
        const cm = await h().fixtures.buildCardmember();
        const closed = await h().fixtures.buildCard({
          cardmemberId: cm.cardmemberId,
          accountId: cm.accountId,
          status: 'closed',
        });
        expect(
          await failure(
            h().port.reportLostOrStolen(me(cm), { cardId: closed.cardId, reason: 'lost' }, 'closed-lost-0001'),
          ),
        ).toMatchObject({ code: 'rule_violation', rule: 'card_not_reportable' });
        expect(await h().port.listCards(me(cm))).toHaveLength(2);
      });
    });

    describe('cards area: damaged card replacement', () => {
      it('keeps the number: same card, same last 4, still active, wallet untouched', async () => {
        const cm = await h().fixtures.buildCardmember();
        const wt = await h().fixtures.buildWalletToken({ cardId: cm.cardId });
        const repl = await h().port.replaceDamaged(me(cm), { cardId: cm.cardId }, 'dmg-key-0001');
        expect(repl).toMatchObject({
          cardId: cm.cardId,
          newCardId: cm.cardId,
          newCardLast4: cm.pan.slice(-4),
          reason: 'damaged',
          method: 'standard',
          status: 'ordered',
          estimatedDelivery: '2026-12-02',
          shipTo: { line1: '200 Vesey Street', city: 'New York', state: 'NY', zip: '10285' },
        });
        expect(JSON.stringify(repl)).not.toContain(cm.pan);
        const cards = await h().port.listCards(me(cm));
        expect(cards).toEqual([expect.objectContaining({ id: cm.cardId, status: 'active', activated: true })]);
        expect(await h().port.listWalletTokens(me(cm), cm.cardId)).toEqual([
          expect.objectContaining({ id: wt, status: 'active' }),
        ]);
        expect(await trail(cm, 'replaceDamaged')).toEqual([
          expect.objectContaining({ targetType: 'card', targetId: cm.cardId, outcome: 'ok' }),
        ]);
      });

      it('asks to unlock a locked card first, and refuses a lost one', async () => {
        const cm = await h().fixtures.buildCardmember();
        const lost = await h().fixtures.buildCard({
          cardmemberId: cm.cardmemberId,
          accountId: cm.accountId,
          status: 'lost',
        });
        await h().port.lockCard(me(cm), cm.cardId, 'dmg-lock-0001');
        expect(await failure(h().port.replaceDamaged(me(cm), { cardId: cm.cardId }, 'dmg-key-0001'))).toMatchObject({
          code: 'rule_violation',
          rule: 'card_locked',
        });
        expect(await failure(h().port.replaceDamaged(me(cm), { cardId: lost.cardId }, 'dmg-key-0002'))).toMatchObject({
          code: 'rule_violation',
          rule: 'card_not_replaceable',
        });
        expect(await h().port.listReplacements(me(cm))).toEqual([]);
      });

      it('allows one open replacement at a time, and another once it was delivered', async () => {
        const cm = await h().fixtures.buildCardmember();
        const first = await h().port.replaceDamaged(me(cm), { cardId: cm.cardId, method: 'expedited' }, 'dmg-key-0001');
        expect(first.estimatedDelivery).toBe('2026-11-27');
        h().clock.set('2026-11-26');
        expect(await failure(h().port.replaceDamaged(me(cm), { cardId: cm.cardId }, 'dmg-key-0002'))).toMatchObject({
          code: 'rule_violation',
          rule: 'replacement_already_pending',
        });
        h().clock.set('2026-11-27');
        const second = await h().port.replaceDamaged(me(cm), { cardId: cm.cardId }, 'dmg-key-0003');
        expect(second.id).not.toBe(first.id);
        expect((await h().port.listReplacements(me(cm))).map((r) => r.id)).toEqual([second.id, first.id]);
      });

      it('is idempotent: the same key returns the first replacement; another request with it conflicts', async () => {
        const cm = await h().fixtures.buildCardmember();
        const first = await h().port.replaceDamaged(assistant(cm), { cardId: cm.cardId }, 'idem-dmg-0001');
        expect(await h().port.replaceDamaged(assistant(cm), { cardId: cm.cardId }, 'idem-dmg-0001')).toEqual(first);
        expect(await h().port.listReplacements(me(cm))).toHaveLength(1);
        expect(
          await failure(
            h().port.replaceDamaged(assistant(cm), { cardId: cm.cardId, method: 'expedited' }, 'idem-dmg-0001'),
          ),
        ).toMatchObject({ code: 'conflict' });
        expect(await h().port.listReplacements(me(cm))).toHaveLength(1);
      });
    });

    describe('cards area: delivery estimates and replacement status', () => {
      it('standard from a Friday arrives the next Friday; status follows the clock', async () => {
        h().clock.set('2026-11-27'); // Friday
        const cm = await h().fixtures.buildCardmember();
        const res = await h().port.reportLostOrStolen(me(cm), { cardId: cm.cardId, reason: 'lost' }, 'fri-std-0001');
        expect(res.replacement).toMatchObject({ estimatedDelivery: '2026-12-04', status: 'ordered' });
        const statusOn = async (day: string) => {
          h().clock.set(day);
          const [r] = await h().port.listReplacements(me(cm));
          return { status: r!.status, deliveredOn: r!.deliveredOn };
        };
        expect(await statusOn('2026-11-28')).toEqual({ status: 'ordered', deliveredOn: null }); // Saturday
        expect(await statusOn('2026-11-30')).toEqual({ status: 'shipped', deliveredOn: null }); // Monday
        expect(await statusOn('2026-12-03')).toEqual({ status: 'shipped', deliveredOn: null });
        expect(await statusOn('2026-12-04')).toEqual({ status: 'delivered', deliveredOn: '2026-12-04' });
        expect(await statusOn('2026-12-20')).toEqual({ status: 'delivered', deliveredOn: '2026-12-04' });
      });

      it('expedited from a Friday arrives on Tuesday', async () => {
        h().clock.set('2026-11-27');
        const cm = await h().fixtures.buildCardmember();
        const res = await h().port.replaceDamaged(me(cm), { cardId: cm.cardId, method: 'expedited' }, 'fri-exp-0001');
        expect(res.estimatedDelivery).toBe('2026-12-01');
        h().clock.set('2026-11-30');
        expect((await h().port.getCard(me(cm), cm.cardId)).replacements[0]!.status).toBe('shipped');
        h().clock.set('2026-12-01');
        expect((await h().port.getCard(me(cm), cm.cardId)).replacements[0]).toMatchObject({
          status: 'delivered',
          deliveredOn: '2026-12-01',
        });
      });

      it('lists replacements newest first, optionally for one card on either side', async () => {
        h().clock.set('2026-11-02');
        const cm = await h().fixtures.buildCardmember();
        const damaged = await h().port.replaceDamaged(me(cm), { cardId: cm.cardId }, 'order-dmg-0001');
        h().clock.set('2026-11-25');
        const lost = await h().port.reportLostOrStolen(
          me(cm),
          { cardId: cm.cardId, reason: 'lost' },
          'order-lost-0001',
        );
        expect((await h().port.listReplacements(me(cm))).map((r) => r.id)).toEqual([lost.replacement.id, damaged.id]);
        expect((await h().port.listReplacements(me(cm), cm.cardId)).map((r) => r.id)).toEqual([
          lost.replacement.id,
          damaged.id,
        ]);
        expect((await h().port.listReplacements(me(cm), lost.newCard.id)).map((r) => r.id)).toEqual([
          lost.replacement.id,
        ]);
        const all = await h().port.listReplacements(me(cm));
        expect(all.find((r) => r.id === damaged.id)).toMatchObject({ status: 'delivered', deliveredOn: '2026-11-09' });
        expect(JSON.stringify(all)).not.toContain(cm.pan);
      });
    });
  });
}
