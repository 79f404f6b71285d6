/** Contract tests for the travel operations of any AccountsPort implementation. */
import { describe, expect, it } from 'vitest';
import { asAgent, asAssistant, asCardmember, key } from './support.js';
import type { ContractHarness } from './harness.js';

// Dates below assume the runner's default today, 2026-11-25 (the clock resets before each test).

export function travelContract(harness: () => ContractHarness): void {
  const h = harness;
  const agentReadAudited = async (cardmemberId: string, operation: string) => {
    const trail = await h().auditTrail(cardmemberId);
    expect(trail).toContainEqual(
      expect.objectContaining({ operation, actorType: 'agent', actorId: 'agent_ana', onBehalfOf: cardmemberId }),
    );
  };
  /** A cardmember with one booking on their card. */
  const withBooking = async (productId = 'gold', paidWithCard = true) => {
    const cm = await h().fixtures.buildCardmember({ productId });
    const bookingId = await h().fixtures.buildTravelBooking({
      cardmemberId: cm.cardmemberId,
      cardId: cm.cardId,
      paidWithCard,
    });
    return { cm, bookingId };
  };

  describe('travel: listTravelBookings and getItinerary', () => {
    it("lists the cardmember's bookings, newest first, with the card's last 4 digits only", async () => {
      const cm = await h().fixtures.buildCardmember();
      h().clock.set('2026-09-01');
      const older = await h().fixtures.buildTravelBooking({ cardmemberId: cm.cardmemberId, cardId: cm.cardId });
      h().clock.set('2026-11-25');
      const newer = await h().fixtures.buildTravelBooking({
        cardmemberId: cm.cardmemberId,
        cardId: cm.cardId,
        paidWithCard: false,
        totalCents: 58_000,
        segments: [
          {
            kind: 'car',
            description: 'Hertz, Lisbon airport',
            start: '2026-12-09',
            end: '2026-12-14',
            reference: 'HZ-1',
          },
        ],
      });
      const other = await h().fixtures.buildCardmember();
      await h().fixtures.buildTravelBooking({ cardmemberId: other.cardmemberId, cardId: other.cardId });

      const list = await h().port.listTravelBookings(asAssistant(cm.cardmemberId));
      expect(list.map((b) => b.id)).toEqual([newer, older]);
      expect(list[0]).toMatchObject({
        id: newer,
        cardId: cm.cardId,
        cardLast4: cm.pan.slice(-4),
        totalCents: 58_000,
        paidWithCard: false,
        bookedOn: '2026-11-05',
        segments: [
          {
            kind: 'car',
            description: 'Hertz, Lisbon airport',
            start: '2026-12-09',
            end: '2026-12-14',
            status: 'scheduled',
            reference: 'HZ-1',
          },
        ],
      });
      expect(list[1]).toMatchObject({ id: older, paidWithCard: true, bookedOn: '2026-08-12' });
      expect(list[1]!.segments.map((s) => s.kind)).toEqual(['flight', 'hotel']);
      expect(typeof list[1]!.reference).toBe('string');
      expect(JSON.stringify(list)).not.toContain(cm.pan);
    });

    it('lists nothing for a cardmember without bookings', async () => {
      const cm = await h().fixtures.buildCardmember();
      expect(await h().port.listTravelBookings(asCardmember(cm.cardmemberId))).toEqual([]);
    });

    it('returns one itinerary', async () => {
      const { cm, bookingId } = await withBooking();
      const b = await h().port.getItinerary(asCardmember(cm.cardmemberId), bookingId);
      expect(b).toMatchObject({ id: bookingId, cardId: cm.cardId, cardLast4: cm.pan.slice(-4), paidWithCard: true });
      expect(b.segments[0]).toMatchObject({ kind: 'flight', description: 'New York JFK -> Lisbon LIS' });
      expect(JSON.stringify(b)).not.toContain(cm.pan);
    });

    it("answers not_found for another cardmember's booking or an unknown one", async () => {
      const a = await h().fixtures.buildCardmember();
      const { bookingId } = await withBooking();
      await expect(h().port.getItinerary(asCardmember(a.cardmemberId), bookingId)).rejects.toMatchObject({
        code: 'not_found',
      });
      await expect(h().port.getItinerary(asCardmember(a.cardmemberId), 'trip_nope')).rejects.toMatchObject({
        code: 'not_found',
      });
    });

    it("audits an agent's reads", async () => {
      const { cm, bookingId } = await withBooking();
      await h().port.listTravelBookings(asAgent(cm.cardmemberId));
      await h().port.getItinerary(asAgent(cm.cardmemberId), bookingId);
      await agentReadAudited(cm.cardmemberId, 'listTravelBookings');
      await agentReadAudited(cm.cardmemberId, 'getItinerary');
    });
  });

  describe('travel: checkTripProtection', () => {
    it('covers a delay of exactly the minimum hours, with what the claim needs', async () => {
      const { cm, bookingId } = await withBooking('gold'); // gold: 12 hours, up to $300
      const c = await h().port.checkTripProtection(asAssistant(cm.cardmemberId), {
        bookingId,
        event: 'delay',
        delayHours: 12,
      });
      expect(c).toMatchObject({ bookingId, event: 'delay', covered: true, reason: null, maxBenefitCents: 30_000 });
      expect(c.conditions).toContain('Delay of 12 hours or more');
      expect(c.conditions.join(' ')).toMatch(/receipts/i);
      expect(c.conditions.join(' ')).toMatch(/airline/i);
      expect(JSON.stringify(c)).not.toContain(cm.pan);
    });

    it('refuses a delay just under the minimum (delay_too_short)', async () => {
      const { cm, bookingId } = await withBooking('platinum'); // platinum: 6 hours
      const caller = asAssistant(cm.cardmemberId);
      const short = await h().port.checkTripProtection(caller, { bookingId, event: 'delay', delayHours: 5.5 });
      expect(short).toMatchObject({ covered: false, reason: 'delay_too_short' });
      const exact = await h().port.checkTripProtection(caller, { bookingId, event: 'delay', delayHours: 6 });
      expect(exact).toMatchObject({ covered: true, maxBenefitCents: 50_000 });
    });

    it('covers cancellation and lost luggage up to the product maximum', async () => {
      const { cm, bookingId } = await withBooking('platinum');
      const caller = asAssistant(cm.cardmemberId);
      const cancel = await h().port.checkTripProtection(caller, { bookingId, event: 'cancellation' });
      expect(cancel).toMatchObject({ covered: true, reason: null, maxBenefitCents: 1_000_000 });
      expect(cancel.conditions.join(' ')).toMatch(/confirmation of the cancellation/i);
      const luggage = await h().port.checkTripProtection(caller, { bookingId, event: 'lost_luggage' });
      expect(luggage).toMatchObject({ covered: true, maxBenefitCents: 300_000 });
      expect(luggage.conditions.join(' ')).toMatch(/property irregularity report/i);
    });

    it('refuses an event the product does not cover (not_covered_by_product)', async () => {
      const gold = await withBooking('gold');
      const c = await h().port.checkTripProtection(asAssistant(gold.cm.cardmemberId), {
        bookingId: gold.bookingId,
        event: 'cancellation',
      });
      expect(c).toMatchObject({ covered: false, reason: 'not_covered_by_product', maxBenefitCents: 0 });
      const blue = await withBooking('blue_cash');
      const d = await h().port.checkTripProtection(asAssistant(blue.cm.cardmemberId), {
        bookingId: blue.bookingId,
        event: 'delay',
        delayHours: 24,
      });
      expect(d).toMatchObject({ covered: false, reason: 'not_covered_by_product' });
    });

    it('refuses a trip not paid with the card (not_paid_with_card)', async () => {
      const { cm, bookingId } = await withBooking('platinum', false);
      const c = await h().port.checkTripProtection(asAssistant(cm.cardmemberId), {
        bookingId,
        event: 'delay',
        delayHours: 24,
      });
      expect(c).toMatchObject({ covered: false, reason: 'not_paid_with_card', maxBenefitCents: 0 });
    });

    it('validates the event and the delay hours', async () => {
      const { cm, bookingId } = await withBooking();
      const caller = asAssistant(cm.cardmemberId);
      const check = (input: unknown) => h().port.checkTripProtection(caller, input as never);
      await expect(check({ bookingId, event: 'delay' })).rejects.toMatchObject({ code: 'invalid_input' });
      await expect(check({ bookingId, event: 'delay', delayHours: -1 })).rejects.toMatchObject({
        code: 'invalid_input',
      });
      await expect(check({ bookingId, event: 'delay', delayHours: '12' })).rejects.toMatchObject({
        code: 'invalid_input',
      });
      await expect(check({ bookingId, event: 'delay', delayHours: Number.NaN })).rejects.toMatchObject({
        code: 'invalid_input',
      });
      await expect(check({ bookingId, event: 'hurricane' })).rejects.toMatchObject({ code: 'invalid_input' });
      await expect(check(null)).rejects.toMatchObject({ code: 'invalid_input' });
    });

    it("answers not_found for another cardmember's booking and audits an agent's check", async () => {
      const a = await h().fixtures.buildCardmember();
      const { cm, bookingId } = await withBooking();
      await expect(
        h().port.checkTripProtection(asCardmember(a.cardmemberId), { bookingId, event: 'lost_luggage' }),
      ).rejects.toMatchObject({ code: 'not_found' });
      await h().port.checkTripProtection(asAgent(cm.cardmemberId), { bookingId, event: 'lost_luggage' });
      await agentReadAudited(cm.cardmemberId, 'checkTripProtection');
    });
  });

  describe('travel: addTravelNotice', () => {
    const notice = { destinations: ['Lisbon, Portugal', 'Madrid, Spain'], startOn: '2026-12-09', endOn: '2026-12-20' };

    it('adds a notice and audits it', async () => {
      const cm = await h().fixtures.buildCardmember();
      const n = await h().port.addTravelNotice(asAssistant(cm.cardmemberId), notice, key('ok'));
      expect(n).toMatchObject({
        destinations: ['Lisbon, Portugal', 'Madrid, Spain'],
        startOn: '2026-12-09',
        endOn: '2026-12-20',
      });
      expect(typeof n.id).toBe('string');
      expect(n.createdAt).toMatch(/^2026-11-25T/);
      expect(JSON.stringify(n)).not.toContain(cm.pan);
      const trail = await h().auditTrail(cm.cardmemberId);
      expect(trail).toContainEqual(
        expect.objectContaining({
          operation: 'addTravelNotice',
          actorType: 'assistant',
          onBehalfOf: cm.cardmemberId,
          targetId: n.id,
          outcome: 'ok',
        }),
      );
    });

    it('accepts a trip starting today and exactly 365 days long', async () => {
      const cm = await h().fixtures.buildCardmember();
      const n = await h().port.addTravelNotice(
        asCardmember(cm.cardmemberId),
        { destinations: ['Tokyo'], startOn: '2026-11-25', endOn: '2027-11-25' },
        key('year'),
      );
      expect(n.endOn).toBe('2027-11-25');
    });

    it('refuses a notice longer than 365 days (travel_notice_too_long) and audits the refusal', async () => {
      const cm = await h().fixtures.buildCardmember();
      await expect(
        h().port.addTravelNotice(
          asCardmember(cm.cardmemberId),
          { destinations: ['Tokyo'], startOn: '2026-12-01', endOn: '2027-12-02' },
          key('long'),
        ),
      ).rejects.toMatchObject({ code: 'rule_violation', rule: 'travel_notice_too_long' });
      const trail = await h().auditTrail(cm.cardmemberId);
      expect(trail).toContainEqual(expect.objectContaining({ operation: 'addTravelNotice', outcome: 'rejected' }));
    });

    it('validates destinations and dates', async () => {
      const cm = await h().fixtures.buildCardmember();
      const caller = asCardmember(cm.cardmemberId);
      const add = (input: Record<string, unknown>) =>
        h().port.addTravelNotice(caller, { ...notice, ...input } as never, key('bad'));
      const bad: Array<Record<string, unknown>> = [
        { destinations: [] },
        { destinations: Array.from({ length: 11 }, (_, i) => `City ${String.fromCharCode(65 + i)}`) },
        { destinations: ['X'] },
        { destinations: ['a'.repeat(61)] },
        { destinations: 'Lisbon' },
        { destinations: [cm.pan] },
        { startOn: '2026-11-24' },
        { startOn: '2026-13-01' },
        { endOn: '2026-12-08' },
        { endOn: null },
      ];
      for (const input of bad) await expect(add(input)).rejects.toMatchObject({ code: 'invalid_input' });
    });

    it('is idempotent: the same key returns the same notice once; another request with it conflicts', async () => {
      const cm = await h().fixtures.buildCardmember();
      const caller = asAssistant(cm.cardmemberId);
      const k = key('idem');
      const first = await h().port.addTravelNotice(caller, notice, k);
      const again = await h().port.addTravelNotice(caller, notice, k);
      expect(again).toEqual(first);
      const oks = (await h().auditTrail(cm.cardmemberId)).filter(
        (r) => r.operation === 'addTravelNotice' && r.outcome === 'ok',
      );
      expect(oks).toHaveLength(1);
      await expect(h().port.addTravelNotice(caller, { ...notice, endOn: '2026-12-21' }, k)).rejects.toMatchObject({
        code: 'conflict',
      });
    });

    it('keeps notices per cardmember: the same key from another cardmember is a new notice', async () => {
      const a = await h().fixtures.buildCardmember();
      const b = await h().fixtures.buildCardmember();
      const k = key('shared');
      const na = await h().port.addTravelNotice(asAssistant(a.cardmemberId), notice, k);
      const nb = await h().port.addTravelNotice(asAssistant(b.cardmemberId), notice, k);
      expect(nb.id).not.toBe(na.id);
    });
  });
}
