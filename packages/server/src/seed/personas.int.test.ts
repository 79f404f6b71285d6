/**
 * The personas' stories hold on any day, on SQLite and PostgreSQL: the facts each story needs are in
 * the store, and the accounts rules (the same pure functions the embedded core uses) decide them the
 * way the story says. Seeding is idempotent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PanVault } from '../accounts/embedded/pan-vault.js';
import { PRODUCTS } from '../accounts/embedded/products.js';
import { defaultGoodwillFee, disputeEligibility, lateFeeGoodwillDecision } from '../accounts/rules/billing.rules.js';
import { decideReportLostOrStolen, replacementProgress } from '../accounts/rules/cards.rules.js';
import { creditLimitEligibility, isPastDue } from '../accounts/rules/credit.rules.js';
import { addDays, addMonths, daysBetween } from '../accounts/rules/dates.js';
import { evaluatePayWithPoints } from '../accounts/rules/rewards.rules.js';
import { verifyPassword } from '../identity/passwords.js';
import { openStore, type Db, type Store } from '../store/db.js';
import { freshDatabase, storeUnavailable, type TestDatabase } from '../../test/helpers.js';
import { seedDemo } from './demo.js';
import { generateCardmembers } from './generator.js';
import { PERSONAS } from './personas.js';
import { SEED_TABLES } from './rows.js';

const skip = await storeUnavailable();
const vault = new PanVault(new TextEncoder().encode('personas-test-key-0123456789-abcdef'));

function luhnValid(pan: string): boolean {
  let sum = 0;
  for (let i = 0; i < pan.length; i++) {
    let d = Number(pan[pan.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

async function snapshot(db: Db): Promise<string> {
  const out: Record<string, unknown[]> = {};
  for (const t of [...SEED_TABLES, 'teams', 'agents', 'agent_skills'] as const) {
    const rows = await db.selectFrom(t).selectAll().execute();
    out[t] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return JSON.stringify(out);
}

const accountOf = (db: Db, id: string) =>
  db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const statementsOf = (db: Db, accountId: string) =>
  db.selectFrom('statements').selectAll().where('account_id', '=', accountId).orderBy('closing_date').execute();
const feesOf = async (db: Db, accountId: string) =>
  (await db.selectFrom('fees').selectAll().where('account_id', '=', accountId).execute()).map((f) => ({
    id: f.id,
    kind: f.kind,
    amountCents: Number(f.amount_cents),
    assessedOn: f.assessed_on,
    reversedOn: f.reversed_on,
  }));
const paymentsOf = async (db: Db, accountId: string) =>
  (await db.selectFrom('payments').selectAll().where('account_id', '=', accountId).execute()).map((p) => ({
    amountCents: Number(p.amount_cents),
    status: p.status,
    scheduledFor: p.scheduled_for,
    postedOn: p.posted_on,
  }));
const txn = (db: Db, id: string) =>
  db
    .selectFrom('transactions as t')
    .leftJoin('statements as s', 's.id', 't.statement_id')
    .selectAll('t')
    .select('s.closing_date')
    .where('t.id', '=', id)
    .executeTakeFirstOrThrow();

async function creditFacts(db: Db, accountId: string, today: string) {
  const a = await accountOf(db, accountId);
  const product = PRODUCTS.find((p) => p.id === a.product_id)!;
  const fees = await feesOf(db, accountId);
  const stmts = await statementsOf(db, accountId);
  return creditLimitEligibility({
    today,
    productType: product.type,
    accountStatus: a.status,
    openedOn: a.opened_on,
    creditLimitCents: Number(a.credit_limit_cents),
    lastLimitChangeOn: a.last_limit_change_on,
    lateFeeDates: fees.filter((f) => f.kind === 'late').map((f) => f.assessedOn),
    pastDue: isPastDue(
      stmts.map((s) => ({
        closingDate: s.closing_date,
        dueDate: s.due_date,
        minimumDueCents: Number(s.minimum_due_cents),
      })),
      await paymentsOf(db, accountId),
      today,
    ),
    declinedRequestDates: [],
  });
}

// A Wednesday, a Monday after a weekend (business days), and a leap day.
describe.skipIf(skip).each(['2026-11-25', '2027-03-01', '2028-02-29'])('personas on %s', (today) => {
  let tdb: TestDatabase;
  let store: Store;
  let db: Db;
  beforeAll(async () => {
    tdb = await freshDatabase();
    store = await openStore(tdb.config);
    db = store.db;
    await seedDemo(db, new Date(`${today}T09:30:00.000Z`), vault);
  });
  afterAll(async () => {
    await store?.close();
    await tdb?.drop();
  });

  it('every persona can sign in and holds the cards it is listed with, numbers only encrypted', async () => {
    for (const p of PERSONAS) {
      const cm = await db.selectFrom('cardmembers').selectAll().where('id', '=', p.id).executeTakeFirstOrThrow();
      expect(cm).toMatchObject({
        username: p.username,
        first_name: p.firstName,
        last_name: p.lastName,
        preferred_language: p.language,
      });
      expect(await verifyPassword(cm.password_hash, p.password)).toBe(true);
      expect(cm.email).toMatch(/@/);
      expect(cm.phone).toMatch(/^\+1\d{10}$/);
      expect(JSON.parse(cm.communication_prefs!).language).toBe(p.language);
      const cards = await db.selectFrom('cards').selectAll().where('cardmember_id', '=', p.id).orderBy('id').execute();
      expect(cards.map((c) => [c.id, c.product_name, c.last4]).sort()).toEqual(
        p.cards.map((c) => [c.id, c.productName, c.last4]).sort(),
      );
      for (const c of cards) {
        const pan = vault.decrypt(c.pan_ciphertext!);
        expect(pan).toMatch(/^3[47]\d{13}$/);
        expect(luhnValid(pan)).toBe(true);
        expect(pan.endsWith(c.last4)).toBe(true);
        expect(c.pan_fingerprint).toBe(vault.fingerprint(pan));
        expect(c.account_id && c.expiry && c.role && c.holder_name).toBeTruthy();
      }
      // Nobody is past due by accident: only the stories below have late payments, all paid since.
      for (const a of await db.selectFrom('accounts').select('id').where('cardmember_id', '=', p.id).execute()) {
        expect((await creditFacts(db, a.id, today)).reasons).not.toContain('account_past_due');
        const stmts = await statementsOf(db, a.id);
        expect(stmts.length).toBeGreaterThan(0);
        expect(stmts[stmts.length - 1]!.closing_date < today).toBe(true);
      }
    }
    // The ids, names and products the rest of the tests rely on.
    const spine = await db
      .selectFrom('cards')
      .select(['id', 'cardmember_id', 'product_name', 'last4', 'holder_name', 'role'])
      .where('id', 'in', ['card_maria_gold', 'card_maria_biz', 'card_jose_green', 'card_sam_blue'])
      .orderBy('id')
      .execute();
    expect(spine).toEqual([
      {
        id: 'card_jose_green',
        cardmember_id: 'cm_jose',
        product_name: 'Meridian Green Card',
        last4: '3007',
        holder_name: 'José Martínez',
        role: 'primary',
      },
      {
        id: 'card_maria_biz',
        cardmember_id: 'cm_maria',
        product_name: 'Meridian Business Platinum',
        last4: '2009',
        holder_name: 'Maria Lopez',
        role: 'primary',
      },
      {
        id: 'card_maria_gold',
        cardmember_id: 'cm_maria',
        product_name: 'Meridian Gold Card',
        last4: '1005',
        holder_name: 'Maria Lopez',
        role: 'primary',
      },
      {
        id: 'card_sam_blue',
        cardmember_id: 'cm_sam',
        product_name: 'Meridian Blue Cash',
        last4: '4001',
        holder_name: 'Sam Taylor',
        role: 'primary',
      },
    ]);
  });

  it('maria: an active Gold Card she can report lost, with Apple Pay and Google Pay on it', async () => {
    const card = await db.selectFrom('cards').selectAll().where('id', '=', 'card_maria_gold').executeTakeFirstOrThrow();
    expect(card.status).toBe('active');
    expect(decideReportLostOrStolen(card.status).ok).toBe(true);
    const tokens = await db.selectFrom('wallet_tokens').selectAll().where('card_id', '=', 'card_maria_gold').execute();
    expect(
      tokens
        .filter((t) => t.status === 'active')
        .map((t) => t.wallet)
        .sort(),
    ).toEqual(['apple_pay', 'google_pay']);
    const lunch = await txn(db, 'txn_maria_lunch');
    expect(lunch).toMatchObject({
      status: 'pending',
      transaction_date: addDays(today, -1),
      card_id: 'card_maria_gold',
    });
    const addresses = await db.selectFrom('addresses').selectAll().where('cardmember_id', '=', 'cm_maria').execute();
    expect(addresses.filter((a) => a.is_primary === 1)).toHaveLength(1);
  });

  it('jose: Spanish, and the same charge twice on his last statement', async () => {
    const stmts = await statementsOf(db, 'acct_jose_green');
    const lastStmt = stmts[stmts.length - 1]!;
    const dups = await db
      .selectFrom('transactions')
      .selectAll()
      .where('id', 'in', ['txn_jose_dup_1', 'txn_jose_dup_2'])
      .execute();
    expect(dups).toHaveLength(2);
    const [x, y] = dups;
    expect([y!.merchant, y!.amount_cents, y!.transaction_date]).toEqual([
      x!.merchant,
      x!.amount_cents,
      x!.transaction_date,
    ]);
    for (const d of dups) {
      expect(d.statement_id).toBe(lastStmt.id);
      expect(
        disputeEligibility({
          today,
          amountCents: d.amount_cents,
          status: d.status,
          statementClosingDate: lastStmt.closing_date,
        }).eligible,
      ).toBe(true);
    }
  });

  it('omar: one charge past the 60-day window, one still disputable', async () => {
    const old = await txn(db, 'txn_omar_old');
    const recent = await txn(db, 'txn_omar_recent');
    expect(old.merchant).toBe(recent.merchant);
    expect(daysBetween(old.closing_date!, today)).toBeGreaterThan(60);
    expect(
      disputeEligibility({
        today,
        amountCents: old.amount_cents,
        status: old.status,
        statementClosingDate: old.closing_date,
      }),
    ).toMatchObject({ eligible: false, reason: 'window_closed' });
    const stmts = await statementsOf(db, 'acct_omar_blue');
    expect(recent.statement_id).toBe(stmts[stmts.length - 1]!.id);
    expect(
      disputeEligibility({
        today,
        amountCents: recent.amount_cents,
        status: recent.status,
        statementClosingDate: recent.closing_date,
      }).eligible,
    ).toBe(true);
  });

  it('sam: a first late fee, on his last statement, that goodwill can reverse', async () => {
    const fees = await feesOf(db, 'acct_sam_blue');
    const late = fees.filter((f) => f.kind === 'late');
    expect(late).toHaveLength(1);
    const stmts = await statementsOf(db, 'acct_sam_blue');
    const lastStmt = stmts[stmts.length - 1]!;
    expect(late[0]!.assessedOn > lastStmt.period_start && late[0]!.assessedOn <= lastStmt.closing_date).toBe(true);
    expect(lastStmt.fees_cents).toBeGreaterThanOrEqual(late[0]!.amountCents);
    const decision = lateFeeGoodwillDecision({ today, fee: defaultGoodwillFee(fees), fees });
    expect(decision).toMatchObject({ ok: true, creditCents: 3000 });
  });

  it('priya: a second late fee within 12 months after a waived first one: not reversible', async () => {
    const fees = await feesOf(db, 'acct_priya_gold');
    const late = fees.filter((f) => f.kind === 'late').sort((a, b) => (a.assessedOn < b.assessedOn ? -1 : 1));
    expect(late).toHaveLength(2);
    expect(late[0]!.reversedOn).not.toBeNull();
    expect(late[1]!.reversedOn).toBeNull();
    expect(daysBetween(late[0]!.assessedOn, late[1]!.assessedOn)).toBeLessThanOrEqual(365);
    const goodwill = await db
      .selectFrom('credits')
      .selectAll()
      .where('reference', '=', late[0]!.id)
      .executeTakeFirstOrThrow();
    expect(goodwill).toMatchObject({ kind: 'goodwill', amount_cents: late[0]!.amountCents });
    const decision = lateFeeGoodwillDecision({ today, fee: defaultGoodwillFee(fees), fees });
    expect(decision).toMatchObject({ ok: false, rule: 'late_fee_not_first_in_12_months' });
  });

  it('dana: a business account with employee cards', async () => {
    const account = await accountOf(db, 'acct_dana_biz');
    expect(PRODUCTS.find((p) => p.id === account.product_id)!.type).toBe('business');
    const users = await db.selectFrom('authorized_users').selectAll().where('account_id', '=', account.id).execute();
    const active = users.filter((u) => u.status === 'active');
    expect(active).toHaveLength(2);
    for (const u of users) {
      const card = await db.selectFrom('cards').selectAll().where('id', '=', u.card_id).executeTakeFirstOrThrow();
      expect(card).toMatchObject({
        account_id: account.id,
        role: 'authorized_user',
        holder_name: `${u.first_name} ${u.last_name}`,
      });
      expect(card.status).toBe(u.status === 'active' ? 'active' : 'closed');
    }
    const spent = await db
      .selectFrom('transactions')
      .select('card_id')
      .distinct()
      .where('account_id', '=', account.id)
      .execute();
    expect(spent.length).toBeGreaterThanOrEqual(3);
  });

  it('leo: an upcoming trip paid with a protected card, a past delayed flight, travel charges payable with points', async () => {
    const bookings = await db.selectFrom('travel_bookings').selectAll().where('cardmember_id', '=', 'cm_leo').execute();
    const segs = (id: string) =>
      JSON.parse(bookings.find((b) => b.id === id)!.segments) as Array<{ kind: string; start: string; status: string }>;
    const upcoming = segs('trip_leo_lisbon');
    expect(upcoming.map((s) => s.kind)).toEqual(expect.arrayContaining(['flight', 'hotel']));
    expect(upcoming.every((s) => s.start.slice(0, 10) > today && s.status === 'scheduled')).toBe(true);
    expect(bookings.every((b) => b.paid_with_card === 1 && b.card_id === 'card_leo_plat')).toBe(true);
    const past = segs('trip_leo_denver');
    expect(past.find((s) => s.kind === 'flight' && s.status === 'delayed')!.start.slice(0, 10) < today).toBe(true);
    const account = await accountOf(db, 'acct_leo_plat');
    const product = PRODUCTS.find((p) => p.id === account.product_id)!;
    expect(product.tripProtection.delay && product.tripProtection.cancellation).toBeTruthy();
    for (const id of ['txn_leo_trip_lisbon', 'txn_leo_air', 'txn_leo_trip_denver']) {
      const t = await txn(db, id);
      const decision = evaluatePayWithPoints({
        product: { payWithPoints: product.payWithPoints, pwpValue: product.pwpValue },
        charge: {
          status: t.status,
          amountCents: t.amount_cents,
          category: t.category,
          date: t.transaction_date,
          redeemed: t.pwp_redeemed === 1,
        },
        ageDays: daysBetween(t.transaction_date, today),
      });
      expect(decision.ok).toBe(true);
    }
    const air = await txn(db, 'txn_leo_air');
    expect(
      evaluatePayWithPoints({
        product: { payWithPoints: true, pwpValue: product.pwpValue },
        charge: {
          status: air.status,
          amountCents: air.amount_cents,
          category: air.category,
          date: air.transaction_date,
          redeemed: false,
        },
        ageDays: daysBetween(air.transaction_date, today),
        balancePoints: Number(account.rewards_balance),
      }).ok,
    ).toBe(true);
    const redeemed = await txn(db, 'txn_leo_hotel_redeemed');
    expect(redeemed.pwp_redeemed).toBe(1);
    const ledger = await db.selectFrom('rewards_ledger').selectAll().where('account_id', '=', account.id).execute();
    expect(ledger.find((l) => l.transaction_id === redeemed.id)).toMatchObject({ kind: 'redeem', status: 'posted' });
    expect(Number(account.rewards_balance)).toBe(
      ledger.filter((l) => l.status === 'posted').reduce((s, l) => s + Number(l.points), 0),
    );
  });

  it('grace is eligible for a credit-limit increase; noah, three months in, is not', async () => {
    const grace = await accountOf(db, 'acct_grace_gold');
    expect(grace.opened_on < addMonths(today, -24)).toBe(true);
    expect(await creditFacts(db, grace.id, today)).toMatchObject({ eligible: true, reasons: [] });
    const noah = await accountOf(db, 'acct_noah_green');
    expect(noah.opened_on).toBe(addMonths(today, -3));
    const decision = await creditFacts(db, noah.id, today);
    expect(decision.eligible).toBe(false);
    expect(decision.reasons).toEqual(['account_too_new']);
  });

  it('ellen: the old card is closed as lost and the replacement is in the mail, not yet activated', async () => {
    const old = await db.selectFrom('cards').selectAll().where('id', '=', 'card_ellen_gold').executeTakeFirstOrThrow();
    const fresh = await db
      .selectFrom('cards')
      .selectAll()
      .where('id', '=', 'card_ellen_gold_new')
      .executeTakeFirstOrThrow();
    expect(old).toMatchObject({ status: 'lost', replaced_by_card_id: fresh.id });
    expect(fresh).toMatchObject({ status: 'active', activated_at: null, account_id: old.account_id });
    const r = await db.selectFrom('replacements').selectAll().where('card_id', '=', old.id).executeTakeFirstOrThrow();
    expect(r.new_card_id).toBe(fresh.id);
    const progress = replacementProgress(
      { orderedOn: r.ordered_at.slice(0, 10), estimatedDelivery: r.estimated_delivery, deliveredOn: r.delivered_on },
      today,
    );
    expect(progress.status).toBe('shipped');
    expect(JSON.parse(r.ship_to)).toMatchObject({ addressId: 'adr_ellen_home', city: 'Denver' });
    const tokens = await db.selectFrom('wallet_tokens').selectAll().where('card_id', '=', old.id).execute();
    expect(tokens.every((t) => t.status === 'suspended')).toBe(true);
    const after = await db
      .selectFrom('transactions')
      .select('id')
      .where('card_id', '=', old.id)
      .where('transaction_date', '>=', r.ordered_at.slice(0, 10))
      .execute();
    expect(after).toEqual([]);
  });
});

describe.skipIf(skip)('seeding personas', () => {
  let tdb: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    tdb = await freshDatabase();
    store = await openStore(tdb.config);
  });
  afterAll(async () => {
    await store?.close();
    await tdb?.drop();
  });

  it('completes the bare chat-spine rows, and seeding again (even a day later) changes nothing', async () => {
    const db = store.db;
    // What the chat spine alone leaves (no vault): cardmembers and card rows with the last 4 only.
    await seedDemo(db, new Date('2026-11-24T08:00:00.000Z'));
    const bare = await db.selectFrom('cards').selectAll().where('id', '=', 'card_maria_gold').executeTakeFirstOrThrow();
    expect(bare.account_id).toBeNull();
    const hashBefore = (
      await db.selectFrom('cardmembers').select('password_hash').where('id', '=', 'cm_maria').executeTakeFirstOrThrow()
    ).password_hash;

    await seedDemo(db, new Date('2026-11-25T08:00:00.000Z'), vault);
    for (const id of ['card_maria_gold', 'card_maria_biz', 'card_jose_green', 'card_sam_blue']) {
      const c = await db.selectFrom('cards').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect(c.account_id && c.pan_ciphertext && c.pan_fingerprint && c.expiry && c.role && c.holder_name).toBeTruthy();
      expect(vault.decrypt(c.pan_ciphertext!).endsWith(c.last4)).toBe(true);
    }
    const maria = await db.selectFrom('cardmembers').selectAll().where('id', '=', 'cm_maria').executeTakeFirstOrThrow();
    expect(maria.email).toBe('maria.lopez@example.com');
    expect(maria.password_hash).toBe(hashBefore);
    expect(
      Number(
        (
          await db
            .selectFrom('cardmembers')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(PERSONAS.length);

    const before = await snapshot(db);
    await seedDemo(db, new Date('2026-11-26T08:00:00.000Z'), vault);
    await seedDemo(db, new Date('2026-11-26T08:00:00.000Z'));
    expect(await snapshot(db)).toBe(before);
  });

  it('generated cardmembers go in next to the personas, on this database too', async () => {
    const counts = await generateCardmembers(store.db, {
      count: 25,
      seed: 'int',
      now: new Date('2026-11-25T08:00:00.000Z'),
      vault,
      chunkSize: 10,
    });
    expect(counts.cardmembers).toBe(25);
    expect(counts.transactions).toBeGreaterThan(25 * 6 * 10 * 0.9);
    const txns = Number(
      (
        await store.db
          .selectFrom('transactions')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('account_id', 'like', 'acct_gen_%')
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(txns).toBe(counts.transactions);
  });
});
