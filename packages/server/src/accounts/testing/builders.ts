/**
 * Test-data builders for the embedded core: each inserts one realistic row with sensible defaults and
 * returns its ids. Contract tests reach them through `Fixtures` (contract/harness.ts), so another
 * core can supply its own.
 */
import { randomInt } from 'node:crypto';
import type { CardsTable } from '../../store/schema.js';
import { addDays, addMonths } from '../rules/dates.js';
import { newId, nowIso, todayOf, type OpsContext } from '../embedded/context.js';
import { generatePan } from '../embedded/pan-vault.js';
import { ensureProducts, PRODUCTS } from '../embedded/products.js';

export interface BuiltCardmember {
  cardmemberId: string;
  accountId: string;
  cardId: string;
  addressId: string;
  /** Only for tests that prove the number never leaks. */
  pan: string;
}

export interface CardmemberSpec {
  firstName?: string;
  lastName?: string;
  language?: 'en' | 'es';
  productId?: string;
  openedOn?: string;
  creditLimitCents?: number;
  balanceCents?: number;
  dueDay?: number;
  lastDueDayChangeOn?: string | null;
  lastLimitChangeOn?: string | null;
  rewardsBalance?: number;
  email?: string;
  phone?: string;
  dateOfBirth?: string;
}

export async function buildCardmember(ctx: OpsContext, spec: CardmemberSpec = {}): Promise<BuiltCardmember> {
  await ensureProducts(ctx.db);
  const cardmemberId = newId('cm');
  const firstName = spec.firstName ?? 'Alex';
  const lastName = spec.lastName ?? 'Rivera';
  const language = spec.language ?? 'en';
  await ctx.db
    .insertInto('cardmembers')
    .values({
      id: cardmemberId,
      username: `${cardmemberId}@test`,
      password_hash: '!',
      first_name: firstName,
      last_name: lastName,
      preferred_language: language,
      created_at: nowIso(ctx),
      email: spec.email ?? `${firstName.toLowerCase()}.${cardmemberId.slice(-6)}@example.com`,
      phone: spec.phone ?? '+12125550142',
      date_of_birth: spec.dateOfBirth ?? '1985-04-12',
      communication_prefs: JSON.stringify({
        paperlessStatements: true,
        alertChannels: ['email'],
        marketingOptIn: false,
        language,
      }),
      accommodations_note: null,
    })
    .execute();
  const addressId = newId('adr');
  await ctx.db
    .insertInto('addresses')
    .values({
      id: addressId,
      cardmember_id: cardmemberId,
      kind: 'home',
      line1: '200 Vesey Street',
      line2: 'Apt 4B',
      city: 'New York',
      state: 'NY',
      zip: '10285',
      country: 'US',
      is_primary: 1,
    })
    .execute();
  const accountId = await buildAccount(ctx, cardmemberId, spec);
  const { cardId, pan } = await buildCard(ctx, {
    cardmemberId,
    accountId,
    productId: spec.productId ?? 'gold',
    holderName: `${firstName} ${lastName}`,
  });
  return { cardmemberId, accountId, cardId, addressId, pan };
}

export async function buildAccount(ctx: OpsContext, cardmemberId: string, spec: CardmemberSpec = {}): Promise<string> {
  const id = newId('acct');
  await ctx.db
    .insertInto('accounts')
    .values({
      id,
      cardmember_id: cardmemberId,
      product_id: spec.productId ?? 'gold',
      credit_limit_cents: spec.creditLimitCents ?? 1_000_000,
      current_balance_cents: spec.balanceCents ?? 125_000,
      opened_on: spec.openedOn ?? addMonths(todayOf(ctx), -36),
      due_day: spec.dueDay ?? 15,
      last_due_day_change_on: spec.lastDueDayChangeOn ?? null,
      last_limit_change_on: spec.lastLimitChangeOn ?? null,
      status: 'open',
      bank_last4: '6789',
      rewards_balance: spec.rewardsBalance ?? 48_000,
    })
    .execute();
  return id;
}

export async function buildCard(
  ctx: OpsContext,
  o: {
    cardmemberId: string;
    accountId: string;
    productId?: string;
    holderName?: string;
    role?: 'primary' | 'authorized_user';
    status?: string;
    activated?: boolean;
    pan?: string;
  },
): Promise<{ cardId: string; pan: string }> {
  const pan = o.pan ?? generatePan(randomInt);
  const product = PRODUCTS.find((p) => p.id === (o.productId ?? 'gold'))!;
  const cardId = newId('card');
  const row: CardsTable = {
    id: cardId,
    cardmember_id: o.cardmemberId,
    product_name: product.name,
    last4: pan.slice(-4),
    status: o.status ?? 'active',
    created_at: nowIso(ctx),
    account_id: o.accountId,
    pan_ciphertext: ctx.vault.encrypt(pan),
    pan_fingerprint: ctx.vault.fingerprint(pan),
    expiry: addMonths(todayOf(ctx), 36).slice(0, 7),
    holder_name: o.holderName ?? 'Alex Rivera',
    role: o.role ?? 'primary',
    activated_at: o.activated === false ? null : nowIso(ctx),
    replaced_by_card_id: null,
    status_changed_at: nowIso(ctx),
  };
  await ctx.db.insertInto('cards').values(row).execute();
  return { cardId, pan };
}

/** A closed statement; closingDate defaults to the last closing before today. */
export async function buildStatement(
  ctx: OpsContext,
  o: { accountId: string; closingDate: string; dueDate?: string; newBalanceCents?: number; minimumDueCents?: number },
): Promise<string> {
  const id = newId('stmt');
  await ctx.db
    .insertInto('statements')
    .values({
      id,
      account_id: o.accountId,
      period_start: addDays(addMonths(o.closingDate, -1), 1),
      closing_date: o.closingDate,
      due_date: o.dueDate ?? addDays(o.closingDate, 25),
      previous_balance_cents: 80_000,
      payments_credits_cents: 80_000,
      purchases_cents: o.newBalanceCents ?? 125_000,
      fees_cents: 0,
      interest_cents: 0,
      new_balance_cents: o.newBalanceCents ?? 125_000,
      minimum_due_cents: o.minimumDueCents ?? 3_500,
    })
    .execute();
  return id;
}

export async function buildTransaction(
  ctx: OpsContext,
  o: {
    accountId: string;
    cardId: string;
    date: string;
    amountCents: number;
    merchant?: string;
    category?: string;
    status?: 'pending' | 'posted';
    statementId?: string | null;
    foreign?: boolean;
  },
): Promise<string> {
  const id = newId('txn');
  const status = o.status ?? 'posted';
  await ctx.db
    .insertInto('transactions')
    .values({
      id,
      account_id: o.accountId,
      card_id: o.cardId,
      transaction_date: o.date,
      posted_on: status === 'posted' ? addDays(o.date, 1) : null,
      merchant: o.merchant ?? 'Blue Bottle Coffee',
      category: o.category ?? 'dining',
      amount_cents: o.amountCents,
      currency: 'USD',
      status,
      statement_id: o.statementId ?? null,
      is_foreign: o.foreign ? 1 : 0,
      pwp_redeemed: 0,
    })
    .execute();
  return id;
}

export async function buildFee(
  ctx: OpsContext,
  o: {
    accountId: string;
    kind?: 'late' | 'annual' | 'foreign_transaction' | 'returned_payment';
    assessedOn: string;
    amountCents?: number;
    reversedOn?: string | null;
    reversalReason?: string | null;
  },
): Promise<string> {
  const id = newId('fee');
  await ctx.db
    .insertInto('fees')
    .values({
      id,
      account_id: o.accountId,
      kind: o.kind ?? 'late',
      amount_cents: o.amountCents ?? 4_000,
      assessed_on: o.assessedOn,
      reversed_on: o.reversedOn ?? null,
      reversal_reason: o.reversalReason ?? null,
    })
    .execute();
  return id;
}

export async function buildPayment(
  ctx: OpsContext,
  o: {
    accountId: string;
    amountCents: number;
    status: 'scheduled' | 'processing' | 'posted' | 'returned';
    scheduledFor: string;
    postedOn?: string | null;
  },
): Promise<string> {
  const id = newId('pay');
  await ctx.db
    .insertInto('payments')
    .values({
      id,
      account_id: o.accountId,
      amount_cents: o.amountCents,
      status: o.status,
      scheduled_for: o.scheduledFor,
      posted_on: o.postedOn ?? (o.status === 'posted' ? o.scheduledFor : null),
      from_bank_last4: '6789',
      created_at: nowIso(ctx),
    })
    .execute();
  return id;
}

export async function buildWalletToken(
  ctx: OpsContext,
  o: { cardId: string; wallet?: 'apple_pay' | 'google_pay'; deviceName?: string; status?: 'active' | 'suspended' },
): Promise<string> {
  const id = newId('wt');
  await ctx.db
    .insertInto('wallet_tokens')
    .values({
      id,
      card_id: o.cardId,
      wallet: o.wallet ?? 'apple_pay',
      device_name: o.deviceName ?? "Alex's iPhone",
      status: o.status ?? 'active',
      created_at: nowIso(ctx),
      suspended_at: o.status === 'suspended' ? nowIso(ctx) : null,
    })
    .execute();
  return id;
}

export async function buildDevice(
  ctx: OpsContext,
  o: { cardmemberId: string; name?: string; platform?: 'ios' | 'android' | 'web' },
): Promise<string> {
  const id = newId('dev');
  await ctx.db
    .insertInto('devices')
    .values({
      id,
      cardmember_id: o.cardmemberId,
      name: o.name ?? 'iPhone 15',
      platform: o.platform ?? 'ios',
      push_enabled: 1,
      registered_at: nowIso(ctx),
    })
    .execute();
  return id;
}

export async function buildTravelBooking(
  ctx: OpsContext,
  o: {
    cardmemberId: string;
    cardId: string;
    paidWithCard?: boolean;
    segments?: Array<{
      kind: 'flight' | 'hotel' | 'car';
      description: string;
      start: string;
      end: string;
      status?: string;
      reference?: string;
    }>;
    totalCents?: number;
  },
): Promise<string> {
  const id = newId('trip');
  const start = addDays(todayOf(ctx), 14);
  const segments = o.segments ?? [
    {
      kind: 'flight',
      description: 'New York JFK -> Lisbon LIS',
      start: `${start}T19:30`,
      end: `${addDays(start, 1)}T07:10`,
      status: 'scheduled',
      reference: 'MB 2841',
    },
    {
      kind: 'hotel',
      description: 'Hotel Avenida Palace, Lisbon',
      start,
      end: addDays(start, 5),
      status: 'scheduled',
      reference: 'HX-55102',
    },
  ];
  await ctx.db
    .insertInto('travel_bookings')
    .values({
      id,
      cardmember_id: o.cardmemberId,
      card_id: o.cardId,
      reference: `MT${randomInt(100000, 999999)}`,
      total_cents: o.totalCents ?? 241_800,
      paid_with_card: o.paidWithCard === false ? 0 : 1,
      booked_on: addDays(todayOf(ctx), -20),
      segments: JSON.stringify(segments.map((s) => ({ status: 'scheduled', reference: '', ...s }))),
    })
    .execute();
  return id;
}
