import { describe, expect, it } from 'vitest';
import {
  chooseShippingAddress,
  decideActivate,
  decideLock,
  decideReplaceDamaged,
  decideReportLostOrStolen,
  decideUnlock,
  estimateDelivery,
  orderCards,
  replacementExpiry,
  replacementProgress,
  type OrderableCard,
} from './cards.rules.js';

const CLOSED_STATUSES = ['lost', 'stolen', 'replaced', 'closed', 'damaged'] as const;

describe('cards rules: lock and unlock', () => {
  it('locks an active card', () => {
    expect(decideLock('active')).toEqual({ ok: true, change: true });
  });
  it('treats locking an already locked card as nothing to do, not an error', () => {
    expect(decideLock('locked')).toEqual({ ok: true, change: false });
  });
  it.each(CLOSED_STATUSES)('refuses to lock a %s card (card_not_lockable)', (status) => {
    const d = decideLock(status);
    expect(d).toMatchObject({ ok: false, rule: 'card_not_lockable' });
    expect(!d.ok && d.message).toMatch(/can't be locked/);
  });
  it('says why a lost card cannot be locked', () => {
    const d = decideLock('lost');
    expect(!d.ok && d.message).toMatch(/reported lost/);
  });

  it('unlocks a locked card', () => {
    expect(decideUnlock('locked')).toEqual({ ok: true, change: true });
  });
  it('treats unlocking an active card as nothing to do', () => {
    expect(decideUnlock('active')).toEqual({ ok: true, change: false });
  });
  it.each(CLOSED_STATUSES)('refuses to unlock a %s card (card_not_unlockable)', (status) => {
    expect(decideUnlock(status)).toMatchObject({ ok: false, rule: 'card_not_unlockable' });
  });
});

describe('cards rules: activation', () => {
  it('activates an active card that has not been activated', () => {
    expect(decideActivate('active', false)).toEqual({ ok: true });
  });
  it('refuses an activated active card (card_already_active)', () => {
    expect(decideActivate('active', true)).toMatchObject({ ok: false, rule: 'card_already_active' });
  });
  it('refuses an activated locked card as already active', () => {
    expect(decideActivate('locked', true)).toMatchObject({ ok: false, rule: 'card_already_active' });
  });
  it('asks to unlock a locked card that was never activated (card_not_activatable)', () => {
    const d = decideActivate('locked', false);
    expect(d).toMatchObject({ ok: false, rule: 'card_not_activatable' });
    expect(!d.ok && d.message).toMatch(/unlock/);
  });
  it.each(CLOSED_STATUSES)('refuses a %s card whether or not it was activated', (status) => {
    expect(decideActivate(status, false)).toMatchObject({ ok: false, rule: 'card_not_activatable' });
    expect(decideActivate(status, true)).toMatchObject({ ok: false, rule: 'card_not_activatable' });
  });
});

describe('cards rules: lost or stolen', () => {
  it.each(['active', 'locked'])('accepts a %s card', (status) => {
    expect(decideReportLostOrStolen(status)).toEqual({ ok: true });
  });
  it.each(CLOSED_STATUSES)('refuses a %s card (card_not_reportable)', (status) => {
    expect(decideReportLostOrStolen(status)).toMatchObject({ ok: false, rule: 'card_not_reportable' });
  });
});

describe('cards rules: damaged replacement', () => {
  it('accepts an active card with nothing pending', () => {
    expect(decideReplaceDamaged('active', 0)).toEqual({ ok: true });
  });
  it('asks to unlock a locked card first (card_locked)', () => {
    const d = decideReplaceDamaged('locked', 0);
    expect(d).toMatchObject({ ok: false, rule: 'card_locked' });
    expect(!d.ok && d.message).toMatch(/unlock it first/);
  });
  it.each(CLOSED_STATUSES)('refuses a %s card (card_not_replaceable)', (status) => {
    expect(decideReplaceDamaged(status, 0)).toMatchObject({ ok: false, rule: 'card_not_replaceable' });
  });
  it('refuses a second replacement while one is on its way (replacement_already_pending)', () => {
    expect(decideReplaceDamaged('active', 1)).toMatchObject({ ok: false, rule: 'replacement_already_pending' });
  });
  it('reports the card state before a pending replacement', () => {
    expect(decideReplaceDamaged('locked', 1)).toMatchObject({ rule: 'card_locked' });
  });
});

describe('cards rules: delivery estimates', () => {
  // 2026-11-27 is a Friday.
  it('standard from Friday arrives the next Friday (5 business days)', () => {
    expect(estimateDelivery('2026-11-27', 'standard')).toBe('2026-12-04');
  });
  it('expedited from Friday arrives on Tuesday (2 business days)', () => {
    expect(estimateDelivery('2026-11-27', 'expedited')).toBe('2026-12-01');
  });
  it('standard from Monday arrives the next Monday', () => {
    expect(estimateDelivery('2026-11-23', 'standard')).toBe('2026-11-30');
  });
  it('expedited from Wednesday arrives on Friday', () => {
    expect(estimateDelivery('2026-11-25', 'expedited')).toBe('2026-11-27');
  });
  it('an order placed on Saturday or Sunday counts from Monday', () => {
    expect(estimateDelivery('2026-11-28', 'standard')).toBe('2026-12-04');
    expect(estimateDelivery('2026-11-29', 'expedited')).toBe('2026-12-01');
  });
  it('crosses month and year ends', () => {
    expect(estimateDelivery('2026-12-31', 'standard')).toBe('2027-01-07');
  });
});

describe('cards rules: replacement progress', () => {
  const friday = { orderedOn: '2026-11-27', estimatedDelivery: '2026-12-04', deliveredOn: null };
  it('is ordered on the order day', () => {
    expect(replacementProgress(friday, '2026-11-27')).toEqual({ status: 'ordered', deliveredOn: null });
  });
  it('stays ordered over the weekend (ships on the next business day)', () => {
    expect(replacementProgress(friday, '2026-11-28').status).toBe('ordered');
    expect(replacementProgress(friday, '2026-11-29').status).toBe('ordered');
  });
  it('is shipped from the next business day until the day before the estimate', () => {
    expect(replacementProgress(friday, '2026-11-30').status).toBe('shipped');
    expect(replacementProgress(friday, '2026-12-03').status).toBe('shipped');
  });
  it('is delivered on the estimated date, with that date as delivery date', () => {
    expect(replacementProgress(friday, '2026-12-04')).toEqual({ status: 'delivered', deliveredOn: '2026-12-04' });
  });
  it('stays delivered after the estimate', () => {
    expect(replacementProgress(friday, '2027-02-01')).toEqual({ status: 'delivered', deliveredOn: '2026-12-04' });
  });
  it('ships on the next day when ordered midweek', () => {
    const wed = { orderedOn: '2026-11-25', estimatedDelivery: '2026-11-27' };
    expect(replacementProgress(wed, '2026-11-25').status).toBe('ordered');
    expect(replacementProgress(wed, '2026-11-26').status).toBe('shipped');
    expect(replacementProgress(wed, '2026-11-27').status).toBe('delivered');
  });
  it('a recorded delivery date wins over the estimate', () => {
    const early = { ...friday, deliveredOn: '2026-12-02' };
    expect(replacementProgress(early, '2026-12-02')).toEqual({ status: 'delivered', deliveredOn: '2026-12-02' });
    expect(replacementProgress(early, '2026-12-01').status).toBe('shipped');
  });
  it('is ordered before the order day (clock behind)', () => {
    expect(replacementProgress(friday, '2026-11-20').status).toBe('ordered');
  });
});

describe('cards rules: expiry of a new number', () => {
  it('is four years from today, as YYYY-MM', () => {
    expect(replacementExpiry('2026-11-25')).toBe('2030-11');
  });
  it('handles a leap day', () => {
    expect(replacementExpiry('2028-02-29')).toBe('2032-02');
  });
});

describe('cards rules: shipping address', () => {
  const home = { id: 'adr_home', kind: 'home', primary: false };
  const mailing = { id: 'adr_mail', kind: 'mailing', primary: true };
  const business = { id: 'adr_biz', kind: 'business', primary: false };
  it('uses the named address when it is the cardmember’s', () => {
    expect(chooseShippingAddress([home, mailing], 'adr_home')).toEqual({ ok: true, address: home });
  });
  it('answers not found for an address that is not theirs', () => {
    expect(chooseShippingAddress([home], 'adr_other')).toEqual({ ok: false, notFound: true });
    expect(chooseShippingAddress([], 'adr_other')).toEqual({ ok: false, notFound: true });
  });
  it('defaults to the primary address', () => {
    expect(chooseShippingAddress([home, mailing], undefined)).toEqual({ ok: true, address: mailing });
  });
  it('falls back to home, then to any address', () => {
    expect(chooseShippingAddress([business, home])).toEqual({ ok: true, address: home });
    expect(chooseShippingAddress([business])).toEqual({ ok: true, address: business });
  });
  it('refuses without any address on file (no_shipping_address)', () => {
    expect(chooseShippingAddress([])).toMatchObject({ ok: false, rule: 'no_shipping_address' });
  });
});

describe('cards rules: listing order', () => {
  const card = (id: string, o: Partial<OrderableCard> = {}): OrderableCard => ({
    id,
    replacedByCardId: null,
    accountOpenedOn: '2020-01-01',
    accountId: 'acct_a',
    role: 'primary',
    createdAt: '2026-01-01T00:00:00.000Z',
    ...o,
  });
  const ids = (cs: OrderableCard[]) => cs.map((c) => c.id);

  it('puts each replacement right after the card it replaced, in chain order', () => {
    const old = card('c1', { replacedByCardId: 'c2' });
    const mid = card('c2', { replacedByCardId: 'c3', createdAt: '2026-06-01T00:00:00.000Z' });
    const newest = card('c3', { createdAt: '2026-09-01T00:00:00.000Z' });
    const au = card('c0', { role: 'authorized_user', createdAt: '2026-02-01T00:00:00.000Z' });
    expect(ids(orderCards([newest, au, mid, old]))).toEqual(['c1', 'c2', 'c3', 'c0']);
  });
  it('groups by account, oldest account first, primary before authorized users', () => {
    const b = card('b1', { accountId: 'acct_b', accountOpenedOn: '2019-01-01' });
    const aAu = card('a2', { role: 'authorized_user', createdAt: '2025-01-01T00:00:00.000Z' });
    const aPrimary = card('a1', { createdAt: '2026-01-01T00:00:00.000Z' });
    expect(ids(orderCards([aAu, aPrimary, b]))).toEqual(['b1', 'a1', 'a2']);
  });
  it('lists every card exactly once, even with a malformed cycle or a dangling successor', () => {
    const x = card('x', { replacedByCardId: 'y' });
    const y = card('y', { replacedByCardId: 'x' });
    const z = card('z', { replacedByCardId: 'gone' });
    const out = ids(orderCards([x, y, z]));
    expect(out.sort()).toEqual(['x', 'y', 'z']);
  });
  it('returns an empty list for no cards', () => {
    expect(orderCards([])).toEqual([]);
  });
});
