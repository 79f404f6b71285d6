/**
 * The embedded core's profile operations seen from the inside (rows written, the new card's number,
 * states the fixtures cannot build), on SQLite or PostgreSQL. The port-level behaviour is in the
 * contract (contract/profile.contract.ts).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { storeUnavailable } from '../../../test/helpers.js';
import { luhnValid } from '../../redaction/redactor.js';
import type { Caller } from '../accounts.port.js';
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
const newUser = (cardId: string) => ({ cardId, firstName: 'Sam', lastName: "O'Neil", dateOfBirth: '2005-07-01' });

describe.skipIf(skip)('embedded profile operations', () => {
  let h: EmbeddedHarness;
  beforeAll(async () => {
    h = await makeEmbeddedHarness(TODAY);
  });
  beforeEach(() => h.clock.set(TODAY));
  afterAll(async () => h?.close());

  it('issues the authorized user a new, encrypted card on the same account and product', async () => {
    const cm = await h.fixtures.buildCardmember({ productId: 'platinum' });
    const au = await h.port.addAuthorizedUser(me(cm), newUser(cm.cardId), key());
    const card = await h.ctx.db.selectFrom('cards').selectAll().where('id', '=', au.cardId).executeTakeFirstOrThrow();
    expect(card).toMatchObject({
      cardmember_id: cm.cardmemberId,
      account_id: cm.accountId,
      product_name: 'Meridian Platinum Card',
      role: 'authorized_user',
      holder_name: "Sam O'Neil",
      status: 'active',
      activated_at: null,
      last4: au.cardLast4,
      expiry: '2030-11',
    });
    const pan = h.ctx.vault.decrypt(card.pan_ciphertext!);
    expect(pan).toMatch(/^3[47]\d{13}$/);
    expect(luhnValid(pan)).toBe(true);
    expect(pan).not.toBe(cm.pan);
    expect(pan.slice(-4)).toBe(au.cardLast4);
    expect(card.pan_fingerprint).toBe(h.ctx.vault.fingerprint(pan));
    expect(JSON.stringify(au)).not.toContain(pan);
    const row = await h.ctx.db
      .selectFrom('authorized_users')
      .selectAll()
      .where('id', '=', au.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      account_id: cm.accountId,
      date_of_birth: '2005-07-01',
      status: 'active',
      removed_on: null,
    });
    const trail = await h.auditTrail(cm.cardmemberId);
    expect(JSON.stringify(trail)).not.toContain(pan);
  });

  it('closes the removed user’s card and suspends its wallet tokens', async () => {
    const cm = await h.fixtures.buildCardmember();
    const au = await h.port.addAuthorizedUser(me(cm), newUser(cm.cardId), key());
    await h.fixtures.buildWalletToken({ cardId: au.cardId });
    h.clock.set('2026-12-02');
    await h.port.removeAuthorizedUser(me(cm), { authorizedUserId: au.id }, key());
    const row = await h.ctx.db
      .selectFrom('authorized_users')
      .selectAll()
      .where('id', '=', au.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'removed', removed_on: '2026-12-02' });
    const card = await h.ctx.db.selectFrom('cards').selectAll().where('id', '=', au.cardId).executeTakeFirstOrThrow();
    expect(card.status).toBe('closed');
    const tokens = await h.ctx.db.selectFrom('wallet_tokens').selectAll().where('card_id', '=', au.cardId).execute();
    expect(tokens.map((t) => t.status)).toEqual(['suspended']);
    // The primary card is untouched.
    const primary = await h.ctx.db
      .selectFrom('cards')
      .select('status')
      .where('id', '=', cm.cardId)
      .executeTakeFirstOrThrow();
    expect(primary.status).toBe('active');
  });

  it('refuses to add to a closed account (account_not_open)', async () => {
    const cm = await h.fixtures.buildCardmember();
    await h.ctx.db.updateTable('accounts').set({ status: 'closed' }).where('id', '=', cm.accountId).execute();
    await expect(h.port.addAuthorizedUser(me(cm), newUser(cm.cardId), key())).rejects.toMatchObject({
      code: 'rule_violation',
      rule: 'account_not_open',
    });
  });

  it('never lets concurrent adds pass the limit of five', async () => {
    const cm = await h.fixtures.buildCardmember();
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => h.port.addAuthorizedUser(me(cm), newUser(cm.cardId), key())),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    for (const r of results.filter((x) => x.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason).toMatchObject({ rule: 'authorized_user_limit' });
    const { n } = await h.ctx.db
      .selectFrom('authorized_users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', cm.accountId)
      .executeTakeFirstOrThrow();
    expect(Number(n)).toBe(5);
  });

  it('makes a new home address the only primary one', async () => {
    const cm = await h.fixtures.buildCardmember();
    // Legacy data: a mailing address marked primary and no home address.
    await h.ctx.db.deleteFrom('addresses').where('id', '=', cm.addressId).execute();
    await h.ctx.db
      .insertInto('addresses')
      .values({
        id: `adr_${randomUUID().slice(0, 8)}`,
        cardmember_id: cm.cardmemberId,
        kind: 'mailing',
        line1: 'PO Box 1',
        line2: null,
        city: 'Albany',
        state: 'NY',
        zip: '12207',
        country: 'US',
        is_primary: 1,
      })
      .execute();
    const p = await h.port.updateContact(
      me(cm),
      {
        address: {
          kind: 'home',
          line1: '5 Elm St',
          line2: null,
          city: 'Albany',
          state: 'NY',
          zip: '12208',
          country: 'US',
        },
      },
      key(),
    );
    expect(p.addresses.map((a) => [a.kind, a.primary])).toEqual([
      ['home', true],
      ['mailing', false],
    ]);
  });

  it('falls back to default preferences and an empty phone when none are stored', async () => {
    const cm = await h.fixtures.buildCardmember({ language: 'es' });
    await h.ctx.db
      .updateTable('cardmembers')
      .set({ communication_prefs: null, phone: null })
      .where('id', '=', cm.cardmemberId)
      .execute();
    const p = await h.port.getProfile(me(cm));
    expect(p.phone).toBe('');
    expect(p.communication).toEqual({
      paperlessStatements: false,
      alertChannels: ['email'],
      marketingOptIn: false,
      language: 'es',
    });
    await expect(
      h.port.updateCommunicationPreferences(me(cm), { alertChannels: ['email', 'sms'] }, key()),
    ).rejects.toMatchObject({ rule: 'sms_requires_phone' });
    await h.port.updateContact(me(cm), { phone: '212 555 0142' }, key());
    const prefs = await h.port.updateCommunicationPreferences(me(cm), { alertChannels: ['email', 'sms'] }, key());
    expect(prefs.alertChannels).toEqual(['email', 'sms']);
    const stored = await h.ctx.db
      .selectFrom('cardmembers')
      .select(['communication_prefs', 'phone'])
      .where('id', '=', cm.cardmemberId)
      .executeTakeFirstOrThrow();
    expect(stored.phone).toBe('+12125550142');
    expect(JSON.parse(stored.communication_prefs!)).toEqual(prefs);
  });

  it('does not lose a concurrent preferences change', async () => {
    const cm = await h.fixtures.buildCardmember();
    await Promise.all([
      h.port.updateCommunicationPreferences(me(cm), { marketingOptIn: true }, key()),
      h.port.updateCommunicationPreferences(me(cm), { language: 'es' }, key()),
      h.port.updateCommunicationPreferences(me(cm), { paperlessStatements: false }, key()),
    ]);
    expect((await h.port.getProfile(me(cm))).communication).toEqual({
      paperlessStatements: false,
      alertChannels: ['email'],
      marketingOptIn: true,
      language: 'es',
    });
  });

  it('audits which contact fields changed, not their values', async () => {
    const cm = await h.fixtures.buildCardmember();
    await h.port.updateContact(me(cm), { email: 'private.person@example.com', phone: '+351912345678' }, key());
    const rec = (await h.auditTrail(cm.cardmemberId)).find((r) => r.operation === 'updateContact');
    expect(rec?.details).toEqual({ fields: ['email', 'phone'] });
  });
});
