/**
 * Embedded-only checks of the cards operations that the port contract cannot reach through fixtures:
 * how a new number is stored, a cardmember with no address, authorized users following their new card,
 * and two concurrent lost reports for one card.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { storeUnavailable } from '../../../test/helpers.js';
import type { Caller } from '../accounts.port.js';
import { makeEmbeddedHarness, type EmbeddedHarness } from '../testing/embedded-harness.js';
import { luhnCheckDigit } from './pan-vault.js';

const skip = await storeUnavailable();

describe.skipIf(skip)('cards area: embedded core', () => {
  let h: EmbeddedHarness;
  beforeAll(async () => {
    h = await makeEmbeddedHarness('2026-11-25');
  });
  beforeEach(() => h.clock.set('2026-11-25'));
  afterAll(async () => h?.close());
  const me = (cardmemberId: string): Caller => ({
    actorType: 'cardmember',
    actorId: cardmemberId,
    onBehalfOf: cardmemberId,
  });

  it('stores the new number only encrypted, with a fingerprint, and never in the audit trail', async () => {
    const cm = await h.fixtures.buildCardmember();
    const res = await h.port.reportLostOrStolen(
      me(cm.cardmemberId),
      { cardId: cm.cardId, reason: 'stolen' },
      'emb-lost-0001',
    );
    const row = await h.ctx.db
      .selectFrom('cards')
      .selectAll()
      .where('id', '=', res.newCard.id)
      .executeTakeFirstOrThrow();
    const pan = h.ctx.vault.decrypt(row.pan_ciphertext!);
    expect(pan).toMatch(/^3[47]\d{13}$/);
    expect(luhnCheckDigit(pan.slice(0, -1))).toBe(pan.slice(-1));
    expect(pan).not.toBe(cm.pan);
    expect(row.pan_ciphertext).not.toContain(pan);
    expect(row.pan_fingerprint).toBe(h.ctx.vault.fingerprint(pan));
    expect(row).toMatchObject({
      last4: pan.slice(-4),
      expiry: '2030-11',
      activated_at: null,
      account_id: cm.accountId,
    });
    const old = await h.ctx.db.selectFrom('cards').selectAll().where('id', '=', cm.cardId).executeTakeFirstOrThrow();
    expect(old).toMatchObject({ status: 'stolen', replaced_by_card_id: res.newCard.id });
    const repl = await h.ctx.db
      .selectFrom('replacements')
      .selectAll()
      .where('card_id', '=', cm.cardId)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(repl.ship_to)).toMatchObject({ addressId: cm.addressId, line1: '200 Vesey Street' });
    const audit = JSON.stringify(await h.auditTrail(cm.cardmemberId));
    expect(audit).not.toContain(pan);
    expect(audit).not.toContain(cm.pan);
    expect(JSON.stringify(res)).not.toContain(pan);
  });

  it('refuses to ship without any address on file (no_shipping_address), changing nothing', async () => {
    const cm = await h.fixtures.buildCardmember();
    await h.ctx.db.deleteFrom('addresses').where('cardmember_id', '=', cm.cardmemberId).execute();
    await expect(
      h.port.reportLostOrStolen(me(cm.cardmemberId), { cardId: cm.cardId, reason: 'lost' }, 'emb-noaddr-0001'),
    ).rejects.toMatchObject({ code: 'rule_violation', rule: 'no_shipping_address' });
    await expect(
      h.port.replaceDamaged(me(cm.cardmemberId), { cardId: cm.cardId }, 'emb-noaddr-0002'),
    ).rejects.toMatchObject({ code: 'rule_violation', rule: 'no_shipping_address' });
    const cards = await h.port.listCards(me(cm.cardmemberId));
    expect(cards).toEqual([expect.objectContaining({ id: cm.cardId, status: 'active' })]);
    const rejected = (await h.auditTrail(cm.cardmemberId)).filter((r) => r.outcome === 'rejected');
    expect(rejected.map((r) => r.details)).toEqual([{ rule: 'no_shipping_address' }, { rule: 'no_shipping_address' }]);
  });

  it('ships to the primary address by default, or to another address of theirs when named', async () => {
    const cm = await h.fixtures.buildCardmember();
    await h.ctx.db.updateTable('addresses').set({ is_primary: 0 }).where('id', '=', cm.addressId).execute();
    await h.ctx.db
      .insertInto('addresses')
      .values({
        id: `${cm.addressId}_m`,
        cardmember_id: cm.cardmemberId,
        kind: 'mailing',
        line1: 'PO Box 12',
        line2: null,
        city: 'Albany',
        state: 'NY',
        zip: '12207',
        country: 'US',
        is_primary: 1,
      })
      .execute();
    const byDefault = await h.port.replaceDamaged(me(cm.cardmemberId), { cardId: cm.cardId }, 'emb-ship-0001');
    expect(byDefault.shipTo).toEqual({ line1: 'PO Box 12', city: 'Albany', state: 'NY', zip: '12207' });
    const named = await h.port.reportLostOrStolen(
      me(cm.cardmemberId),
      { cardId: cm.cardId, reason: 'lost', addressId: cm.addressId },
      'emb-ship-0002',
    );
    expect(named.replacement.shipTo).toEqual({
      line1: '200 Vesey Street',
      city: 'New York',
      state: 'NY',
      zip: '10285',
    });
  });

  it('moves an authorized user to their new card and does not list chat-only card rows', async () => {
    const cm = await h.fixtures.buildCardmember();
    const au = await h.fixtures.buildCard({
      cardmemberId: cm.cardmemberId,
      accountId: cm.accountId,
      role: 'authorized_user',
      holderName: 'Sam Rivera',
    });
    const auId = `au_${au.cardId}`;
    await h.ctx.db
      .insertInto('authorized_users')
      .values({
        id: auId,
        account_id: cm.accountId,
        first_name: 'Sam',
        last_name: 'Rivera',
        date_of_birth: '2001-02-03',
        card_id: au.cardId,
        status: 'active',
        added_on: '2025-01-01',
        removed_on: null,
      })
      .execute();
    await h.ctx.db
      .insertInto('cards')
      .values({
        id: `legacy_${au.cardId}`,
        cardmember_id: cm.cardmemberId,
        product_name: 'Meridian Gold Card',
        last4: '0005',
        status: 'active',
        created_at: '2020-01-01T00:00:00.000Z',
      })
      .execute();
    const res = await h.port.reportLostOrStolen(
      me(cm.cardmemberId),
      { cardId: au.cardId, reason: 'lost' },
      'emb-au-0001',
    );
    expect(res.newCard).toMatchObject({ role: 'authorized_user', holderName: 'Sam Rivera' });
    const row = await h.ctx.db
      .selectFrom('authorized_users')
      .selectAll()
      .where('id', '=', auId)
      .executeTakeFirstOrThrow();
    expect(row.card_id).toBe(res.newCard.id);
    const listed = (await h.port.listCards(me(cm.cardmemberId))).map((c) => c.id);
    expect(listed).toEqual([cm.cardId, au.cardId, res.newCard.id]);
  });

  it('concurrent lost reports with different keys issue exactly one new card', async () => {
    const cm = await h.fixtures.buildCardmember();
    // A lost report from the app and one from the chat at the same moment.
    const results = await Promise.allSettled(
      [1, 2, 3, 4].map((i) =>
        h.port.reportLostOrStolen(
          me(cm.cardmemberId),
          { cardId: cm.cardId, reason: i % 2 ? 'lost' : 'stolen' },
          `emb-race-000${i}`,
        ),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) {
      expect(r.reason).toMatchObject({ code: 'rule_violation', rule: 'card_not_reportable' });
    }
    expect(await h.port.listCards(me(cm.cardmemberId))).toHaveLength(2);
    expect(await h.port.listReplacements(me(cm.cardmemberId))).toHaveLength(1);
  });
});
