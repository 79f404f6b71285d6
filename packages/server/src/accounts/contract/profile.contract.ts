/** Contract tests for the profile operations of any AccountsPort implementation. */
import { describe, expect, it } from 'vitest';
import { asAgent, asAssistant, asCardmember, failure, key } from './support.js';
import type { ContractHarness } from './harness.js';

const HOME = {
  kind: 'home' as const,
  line1: '1 Main Street',
  line2: null,
  city: 'Springfield',
  state: 'IL',
  zip: '62701',
  country: 'US',
};

export function profileContract(harness: () => ContractHarness): void {
  const h = () => harness();

  describe('profile: getProfile', () => {
    it('returns the cardmember, addresses (primary first), preferences and devices', async () => {
      const cm = await h().fixtures.buildCardmember({ firstName: 'Dana', lastName: 'Lee', phone: '+13125550100' });
      await h().fixtures.buildDevice({ cardmemberId: cm.cardmemberId, name: 'Pixel 8', platform: 'android' });
      const p = await h().port.getProfile(asCardmember(cm));
      expect(p).toMatchObject({
        id: cm.cardmemberId,
        firstName: 'Dana',
        lastName: 'Lee',
        preferredLanguage: 'en',
        phone: '+13125550100',
        communication: { paperlessStatements: true, alertChannels: ['email'], marketingOptIn: false, language: 'en' },
        accommodationsNote: null,
      });
      expect(p.email).toContain('@');
      expect(p.addresses[0]).toMatchObject({
        id: cm.addressId,
        kind: 'home',
        primary: true,
        state: 'NY',
        country: 'US',
      });
      expect(p.devices).toEqual([expect.objectContaining({ name: 'Pixel 8', platform: 'android', pushEnabled: true })]);
      expect(JSON.stringify(p)).not.toContain(cm.pan);
    });

    it('is not_found for a cardmember that does not exist', async () => {
      const err = await failure(
        h().port.getProfile({ actorType: 'assistant', actorId: null, onBehalfOf: 'cm_does_not_exist' }),
      );
      expect(err).toMatchObject({ code: 'not_found' });
    });

    it('audits an agent read', async () => {
      const cm = await h().fixtures.buildCardmember();
      await h().port.getProfile(asAgent(cm));
      const trail = await h().auditTrail(cm.cardmemberId);
      expect(trail).toContainEqual(
        expect.objectContaining({
          operation: 'getProfile',
          actorType: 'agent',
          actorId: 'agent_ana',
          onBehalfOf: cm.cardmemberId,
          outcome: 'ok',
        }),
      );
    });
  });

  describe('profile: updateContact', () => {
    it('updates email and normalises a US phone to E.164', async () => {
      const cm = await h().fixtures.buildCardmember();
      const p = await h().port.updateContact(
        asAssistant(cm),
        { email: ' new.address@Example.com ', phone: '(917) 555-0199' },
        key('contact'),
      );
      expect(p.email).toBe('new.address@example.com');
      expect(p.phone).toBe('+19175550199');
      const again = await h().port.getProfile(asCardmember(cm));
      expect(again.email).toBe('new.address@example.com');
      expect(again.phone).toBe('+19175550199');
    });

    it('keeps international numbers in E.164', async () => {
      const cm = await h().fixtures.buildCardmember();
      const p = await h().port.updateContact(asCardmember(cm), { phone: '+44 20 7946 0958' }, key('contact'));
      expect(p.phone).toBe('+442079460958');
    });

    it('replaces the home address in place, keeping its id and primacy', async () => {
      const cm = await h().fixtures.buildCardmember();
      const p = await h().port.updateContact(asCardmember(cm), { address: HOME }, key('contact'));
      expect(p.addresses).toHaveLength(1);
      expect(p.addresses[0]).toEqual({ ...HOME, id: cm.addressId, primary: true });
    });

    it('adds an address of a new kind; the home address stays primary and first', async () => {
      const cm = await h().fixtures.buildCardmember();
      const p = await h().port.updateContact(
        asCardmember(cm),
        { address: { ...HOME, kind: 'mailing', line1: 'PO Box 12', zip: '62702-0012' } },
        key('contact'),
      );
      expect(p.addresses).toHaveLength(2);
      expect(p.addresses[0]).toMatchObject({ id: cm.addressId, kind: 'home', primary: true });
      expect(p.addresses[1]).toMatchObject({ kind: 'mailing', line1: 'PO Box 12', zip: '62702-0012', primary: false });
      expect(p.addresses[1]!.id).not.toBe(cm.addressId);
    });

    it.each([
      ['nothing to change', {}],
      ['a malformed email', { email: 'not-an-email' }],
      ['an email over 254 characters', { email: `${'a'.repeat(60)}@${'b'.repeat(200)}.com` }],
      ['a short phone number', { phone: '555-0142' }],
      ['an international number without +', { phone: '44207946095' }],
      ['an unknown state', { address: { ...HOME, state: 'ZZ' } }],
      ['a malformed ZIP', { address: { ...HOME, zip: '6270' } }],
      ['an empty first line', { address: { ...HOME, line1: '' } }],
      ['a first line over 100 characters', { address: { ...HOME, line1: 'x'.repeat(101) } }],
      ['an unknown address kind', { address: { ...HOME, kind: 'summer' } }],
    ])('rejects %s as invalid_input', async (_name, update) => {
      const cm = await h().fixtures.buildCardmember();
      const err = await failure(h().port.updateContact(asCardmember(cm), update as never, key('contact')));
      expect(err).toMatchObject({ code: 'invalid_input' });
    });

    it('refuses a non-US address (unsupported_country)', async () => {
      const cm = await h().fixtures.buildCardmember();
      const err = await failure(
        h().port.updateContact(
          asCardmember(cm),
          { address: { ...HOME, country: 'CA', state: 'ON', zip: 'M5V 2T6' } },
          key('contact'),
        ),
      );
      expect(err).toMatchObject({ code: 'rule_violation', rule: 'unsupported_country' });
    });

    it('refuses a card number in a contact field (looks_like_card_number) without storing or logging it', async () => {
      const cm = await h().fixtures.buildCardmember();
      const grouped = `${cm.pan.slice(0, 4)} ${cm.pan.slice(4, 10)} ${cm.pan.slice(10)}`;
      for (const update of [
        { address: { ...HOME, line1: grouped } },
        { address: { ...HOME, line2: `card ${cm.pan}` } },
        { email: `${cm.pan}@example.com` },
        { phone: cm.pan },
      ]) {
        const err = await failure(h().port.updateContact(asCardmember(cm), update, key('contact')));
        expect(err).toMatchObject({ code: 'rule_violation', rule: 'looks_like_card_number' });
        expect(JSON.stringify(err)).not.toContain(cm.pan);
        expect(String((err as Error).message)).not.toContain(cm.pan.slice(-8));
      }
      const p = await h().port.getProfile(asCardmember(cm));
      expect(JSON.stringify(p)).not.toContain(cm.pan.slice(-8));
      const trail = await h().auditTrail(cm.cardmemberId);
      expect(JSON.stringify(trail)).not.toContain(cm.pan.slice(-8));
      expect(trail.filter((r) => r.operation === 'updateContact' && r.outcome === 'rejected').length).toBeGreaterThan(
        0,
      );
    });

    it('is idempotent: the same key returns the first result, and a different request with it conflicts', async () => {
      const cm = await h().fixtures.buildCardmember();
      const k = key('contact');
      const first = await h().port.updateContact(
        asCardmember(cm),
        { address: { ...HOME, kind: 'business', line1: '10 Market St' } },
        k,
      );
      const second = await h().port.updateContact(
        asCardmember(cm),
        { address: { ...HOME, kind: 'business', line1: '10 Market St' } },
        k,
      );
      expect(second).toEqual(first);
      const p = await h().port.getProfile(asCardmember(cm));
      expect(p.addresses.filter((a) => a.kind === 'business')).toHaveLength(1);
      const trail = await h().auditTrail(cm.cardmemberId);
      expect(trail.filter((r) => r.operation === 'updateContact' && r.outcome === 'ok')).toHaveLength(1);
      const err = await failure(h().port.updateContact(asCardmember(cm), { email: 'other@example.com' }, k));
      expect(err).toMatchObject({ code: 'conflict' });
    });

    it('leaves an audit record naming the actor, without the new values', async () => {
      const cm = await h().fixtures.buildCardmember();
      await h().port.updateContact(asAgent(cm), { email: 'audited.person@example.com' }, key('contact'));
      const trail = await h().auditTrail(cm.cardmemberId);
      const rec = trail.find((r) => r.operation === 'updateContact' && r.outcome === 'ok');
      expect(rec).toMatchObject({ actorType: 'agent', actorId: 'agent_ana', onBehalfOf: cm.cardmemberId });
      expect(JSON.stringify(rec)).not.toContain('audited.person');
    });

    it('needs an idempotency key', async () => {
      const cm = await h().fixtures.buildCardmember();
      const err = await failure(h().port.updateContact(asCardmember(cm), { email: 'a@example.com' }, ''));
      expect(err).toMatchObject({ code: 'invalid_input' });
    });
  });

  describe('profile: updateCommunicationPreferences', () => {
    it('merges a partial change and keeps the rest', async () => {
      const cm = await h().fixtures.buildCardmember();
      const prefs = await h().port.updateCommunicationPreferences(
        asCardmember(cm),
        { marketingOptIn: true, alertChannels: ['push', 'sms', 'email'] },
        key('prefs'),
      );
      expect(prefs).toEqual({
        paperlessStatements: true,
        alertChannels: expect.arrayContaining(['email', 'sms', 'push']),
        marketingOptIn: true,
        language: 'en',
      });
      expect(prefs.alertChannels).toHaveLength(3);
      const again = await h().port.updateCommunicationPreferences(asCardmember(cm), { language: 'es' }, key('prefs'));
      expect(again).toMatchObject({ marketingOptIn: true, language: 'es' });
      expect((await h().port.getProfile(asCardmember(cm))).communication).toEqual(again);
    });

    it.each([
      ['duplicate channels', { alertChannels: ['email', 'email'] }],
      ['an unknown channel', { alertChannels: ['fax'] }],
      ['an unknown language', { language: 'fr' }],
      ['a non-boolean flag', { paperlessStatements: 'yes' }],
      ['nothing to change', {}],
    ])('rejects %s as invalid_input', async (_name, prefs) => {
      const cm = await h().fixtures.buildCardmember();
      const err = await failure(
        h().port.updateCommunicationPreferences(asCardmember(cm), prefs as never, key('prefs')),
      );
      expect(err).toMatchObject({ code: 'invalid_input' });
    });

    it('refuses SMS alerts without a phone number (sms_requires_phone)', async () => {
      const cm = await h().fixtures.buildCardmember({ phone: '' });
      const err = await failure(
        h().port.updateCommunicationPreferences(asCardmember(cm), { alertChannels: ['sms'] }, key('prefs')),
      );
      expect(err).toMatchObject({ code: 'rule_violation', rule: 'sms_requires_phone' });
      const trail = await h().auditTrail(cm.cardmemberId);
      expect(trail).toContainEqual(
        expect.objectContaining({ operation: 'updateCommunicationPreferences', outcome: 'rejected' }),
      );
    });

    it('is idempotent and audited', async () => {
      const cm = await h().fixtures.buildCardmember();
      const k = key('prefs');
      const first = await h().port.updateCommunicationPreferences(asAssistant(cm), { paperlessStatements: false }, k);
      const second = await h().port.updateCommunicationPreferences(asAssistant(cm), { paperlessStatements: false }, k);
      expect(second).toEqual(first);
      const trail = await h().auditTrail(cm.cardmemberId);
      expect(trail.filter((r) => r.operation === 'updateCommunicationPreferences' && r.outcome === 'ok')).toEqual([
        expect.objectContaining({ actorType: 'assistant', onBehalfOf: cm.cardmemberId }),
      ]);
      const err = await failure(h().port.updateCommunicationPreferences(asAssistant(cm), { marketingOptIn: true }, k));
      expect(err).toMatchObject({ code: 'conflict' });
    });
  });

  describe('profile: authorized users', () => {
    const newUser = (
      cardId: string,
      over: Partial<{ firstName: string; lastName: string; dateOfBirth: string }> = {},
    ) => ({
      cardId,
      firstName: 'Sam',
      lastName: 'Rivera',
      dateOfBirth: '2001-03-14',
      ...over,
    });

    it('adds a user with a new card on the same account, never exposing a full number', async () => {
      const cm = await h().fixtures.buildCardmember();
      const au = await h().port.addAuthorizedUser(asCardmember(cm), newUser(cm.cardId), key('au'));
      expect(au).toMatchObject({
        accountId: cm.accountId,
        firstName: 'Sam',
        lastName: 'Rivera',
        status: 'active',
        addedOn: '2026-11-25',
      });
      expect(au.cardId).not.toBe(cm.cardId);
      expect(au.cardLast4).toMatch(/^\d{4}$/);
      expect(JSON.stringify(au)).not.toContain(cm.pan);
      // The new card's number is unknown here; ids may hold random digits, so check everything else.
      const { id: _id, cardId: _cardId, accountId: _accountId, ...rest } = au;
      expect(JSON.stringify(rest)).not.toMatch(/\d{12,}/);
      const list = await h().port.listAuthorizedUsers(asCardmember(cm), cm.cardId);
      expect(list).toEqual([au]);
    });

    it('allows a user who turns 13 today and refuses one a day short (authorized_user_too_young)', async () => {
      const cm = await h().fixtures.buildCardmember();
      h().clock.set('2026-06-15');
      const ok = await h().port.addAuthorizedUser(
        asCardmember(cm),
        newUser(cm.cardId, { dateOfBirth: '2013-06-15' }),
        key('au'),
      );
      expect(ok.status).toBe('active');
      const err = await failure(
        h().port.addAuthorizedUser(asCardmember(cm), newUser(cm.cardId, { dateOfBirth: '2013-06-16' }), key('au')),
      );
      expect(err).toMatchObject({ code: 'rule_violation', rule: 'authorized_user_too_young' });
    });

    it('allows five active users and refuses the sixth (authorized_user_limit) until one is removed', async () => {
      const cm = await h().fixtures.buildCardmember();
      const added = [];
      for (const name of ['Ann', 'Ben', 'Cal', 'Dee', 'Eve'])
        added.push(
          await h().port.addAuthorizedUser(asCardmember(cm), newUser(cm.cardId, { firstName: name }), key('au')),
        );
      const err = await failure(
        h().port.addAuthorizedUser(asCardmember(cm), newUser(cm.cardId, { firstName: 'Fay' }), key('au')),
      );
      expect(err).toMatchObject({ code: 'rule_violation', rule: 'authorized_user_limit' });
      await h().port.removeAuthorizedUser(asCardmember(cm), { authorizedUserId: added[0]!.id }, key('rm'));
      const sixth = await h().port.addAuthorizedUser(
        asCardmember(cm),
        newUser(cm.cardId, { firstName: 'Fay' }),
        key('au'),
      );
      expect(sixth.status).toBe('active');
      const list = await h().port.listAuthorizedUsers(asCardmember(cm), cm.cardId);
      expect(list).toHaveLength(6);
      expect(list.map((u) => u.status)).toEqual(['active', 'active', 'active', 'active', 'active', 'removed']);
    });

    it('only adds through a primary card (not_primary_card)', async () => {
      const cm = await h().fixtures.buildCardmember();
      const { cardId } = await h().fixtures.buildCard({
        cardmemberId: cm.cardmemberId,
        accountId: cm.accountId,
        role: 'authorized_user',
        holderName: 'Kim Rivera',
      });
      const err = await failure(h().port.addAuthorizedUser(asCardmember(cm), newUser(cardId), key('au')));
      expect(err).toMatchObject({ code: 'rule_violation', rule: 'not_primary_card' });
    });

    it.each([
      ['a name with digits', { firstName: 'R2D2' }],
      ['an empty last name', { lastName: '' }],
      ['a name over 50 letters', { lastName: 'x'.repeat(51) }],
      ['an impossible date of birth', { dateOfBirth: '2001-02-30' }],
      ['a date of birth in the future', { dateOfBirth: '2027-01-01' }],
      ['a date of birth in another format', { dateOfBirth: '03/14/2001' }],
    ])('rejects %s as invalid_input', async (_name, over) => {
      const cm = await h().fixtures.buildCardmember();
      const err = await failure(h().port.addAuthorizedUser(asCardmember(cm), newUser(cm.cardId, over), key('au')));
      expect(err).toMatchObject({ code: 'invalid_input' });
    });

    it("is not_found for another cardmember's card or authorized user", async () => {
      const cm = await h().fixtures.buildCardmember();
      const other = await h().fixtures.buildCardmember();
      const theirs = await h().port.addAuthorizedUser(asCardmember(other), newUser(other.cardId), key('au'));
      expect(await failure(h().port.listAuthorizedUsers(asCardmember(cm), other.cardId))).toMatchObject({
        code: 'not_found',
      });
      expect(
        await failure(h().port.addAuthorizedUser(asCardmember(cm), newUser(other.cardId), key('au'))),
      ).toMatchObject({ code: 'not_found' });
      expect(
        await failure(h().port.removeAuthorizedUser(asCardmember(cm), { authorizedUserId: theirs.id }, key('rm'))),
      ).toMatchObject({ code: 'not_found' });
      expect((await h().port.listAuthorizedUsers(asCardmember(other), other.cardId))[0]!.status).toBe('active');
    });

    it('removes a user once; removing again is authorized_user_already_removed', async () => {
      const cm = await h().fixtures.buildCardmember();
      const au = await h().port.addAuthorizedUser(asCardmember(cm), newUser(cm.cardId), key('au'));
      const k = key('rm');
      const removed = await h().port.removeAuthorizedUser(asAssistant(cm), { authorizedUserId: au.id }, k);
      expect(removed).toEqual({ ...au, status: 'removed' });
      // Same key: the first answer, not a refusal.
      expect(await h().port.removeAuthorizedUser(asAssistant(cm), { authorizedUserId: au.id }, k)).toEqual(removed);
      const err = await failure(h().port.removeAuthorizedUser(asAssistant(cm), { authorizedUserId: au.id }, key('rm')));
      expect(err).toMatchObject({ code: 'rule_violation', rule: 'authorized_user_already_removed' });
      expect(await h().port.listAuthorizedUsers(asCardmember(cm), cm.cardId)).toEqual([removed]);
    });

    it('rejects a malformed remove request', async () => {
      const cm = await h().fixtures.buildCardmember();
      const err = await failure(h().port.removeAuthorizedUser(asCardmember(cm), { authorizedUserId: '' }, key('rm')));
      expect(err).toMatchObject({ code: 'invalid_input' });
    });

    it('is idempotent: the same key adds once; a different request with it conflicts', async () => {
      const cm = await h().fixtures.buildCardmember();
      const k = key('au');
      const first = await h().port.addAuthorizedUser(asCardmember(cm), newUser(cm.cardId), k);
      const second = await h().port.addAuthorizedUser(asCardmember(cm), newUser(cm.cardId), k);
      expect(second).toEqual(first);
      expect(await h().port.listAuthorizedUsers(asCardmember(cm), cm.cardId)).toHaveLength(1);
      const err = await failure(
        h().port.addAuthorizedUser(asCardmember(cm), newUser(cm.cardId, { firstName: 'Other' }), k),
      );
      expect(err).toMatchObject({ code: 'conflict' });
    });

    it('audits adds, removals, refusals and agent reads', async () => {
      const cm = await h().fixtures.buildCardmember();
      const au = await h().port.addAuthorizedUser(asAgent(cm), newUser(cm.cardId), key('au'));
      await h().port.removeAuthorizedUser(asAgent(cm), { authorizedUserId: au.id }, key('rm'));
      await failure(h().port.removeAuthorizedUser(asAgent(cm), { authorizedUserId: au.id }, key('rm')));
      await h().port.listAuthorizedUsers(asAgent(cm), cm.cardId);
      const trail = await h().auditTrail(cm.cardmemberId);
      const agent = { actorType: 'agent', actorId: 'agent_ana', onBehalfOf: cm.cardmemberId };
      expect(trail).toContainEqual(
        expect.objectContaining({ ...agent, operation: 'addAuthorizedUser', outcome: 'ok' }),
      );
      expect(trail).toContainEqual(
        expect.objectContaining({ ...agent, operation: 'removeAuthorizedUser', outcome: 'ok', targetId: au.id }),
      );
      expect(trail).toContainEqual(
        expect.objectContaining({ ...agent, operation: 'removeAuthorizedUser', outcome: 'rejected' }),
      );
      expect(trail).toContainEqual(
        expect.objectContaining({ ...agent, operation: 'listAuthorizedUsers', outcome: 'ok' }),
      );
      expect(JSON.stringify(trail)).not.toContain(cm.pan);
    });
  });
}
