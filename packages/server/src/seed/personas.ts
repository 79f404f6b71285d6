/**
 * The demo personas: named cardmembers who can sign in to the demo site, each with a story the
 * assistant and the agents can play out. Every date is relative to "today", so the stories work on
 * any day: the duplicate charge is always on the last statement, the old charge always past the
 * 60-day dispute window, the trip always ahead.
 *
 * The ids, usernames, passwords, names, products and last 4 digits of maria, jose and sam are
 * relied on by tests: keep them.
 */
import type { PanVault } from '../accounts/embedded/pan-vault.js';
import { estimateDelivery, replacementExpiry } from '../accounts/rules/cards.rules.js';
import { addMonths, parseDate } from '../accounts/rules/dates.js';
import type { CommunicationPreferences } from '../accounts/accounts.port.js';
import type { AddressesTable, DevicesTable } from '../store/schema.js';
import { at, cardRow, panEndingIn, plusDays, prefsJson, shipTo } from './build.js';
import { simulateAccount, type AccountOutcome, type AccountPlan, type Calendar } from './history.js';
import { Rng } from './rng.js';
import { emptyRows, type SeedRows } from './rows.js';

export interface PersonaCard {
  id: string;
  productName: string;
  last4: string;
}

export interface Persona {
  id: string;
  username: string;
  password: string;
  firstName: string;
  lastName: string;
  language: 'en' | 'es';
  /** Short line for the demo site's login list. */
  description: string;
  /** The story in one line (README). */
  story: string;
  /** Every card the persona holds, as the demo site lists them. */
  cards: PersonaCard[];
  /** The original chat-demo cardmembers: seeded (card rows with last 4 only) even without a vault. */
  spine?: boolean;
  /** Appends the persona's accounts-core rows (the cardmember row without its password hash). */
  build(ctx: PersonaContext): void;
}

export interface PersonaContext {
  today: string;
  rng: Rng;
  vault: PanVault;
  rows: SeedRows;
}

// ------------------------------------------------------------------ helpers

interface ProfileSpec {
  id: string;
  username: string;
  firstName: string;
  lastName: string;
  language: 'en' | 'es';
  since: string;
  email: string;
  phone: string;
  dateOfBirth: string;
  prefs: Omit<CommunicationPreferences, 'language'>;
  note?: string;
  addresses: Array<
    Omit<AddressesTable, 'id' | 'cardmember_id' | 'country' | 'line2' | 'is_primary'> & { line2?: string }
  >;
  devices?: Array<{ name: string; platform: DevicesTable['platform']; registeredOn: string }>;
}

function profile(ctx: PersonaContext, p: ProfileSpec): void {
  ctx.rows.cardmembers.push({
    id: p.id,
    username: p.username,
    password_hash: '!',
    first_name: p.firstName,
    last_name: p.lastName,
    preferred_language: p.language,
    created_at: at(p.since, 600),
    email: p.email,
    phone: p.phone,
    date_of_birth: p.dateOfBirth,
    communication_prefs: prefsJson({ ...p.prefs, language: p.language }),
    accommodations_note: p.note ?? null,
  });
  p.addresses.forEach((a, i) =>
    ctx.rows.addresses.push({
      id: `adr_${p.username}_${a.kind}`,
      cardmember_id: p.id,
      kind: a.kind,
      line1: a.line1,
      line2: a.line2 ?? null,
      city: a.city,
      state: a.state,
      zip: a.zip,
      country: 'US',
      is_primary: i === 0 ? 1 : 0,
    }),
  );
  (p.devices ?? []).forEach((d, i) =>
    ctx.rows.devices.push({
      id: `dev_${p.username}_${i + 1}`,
      cardmember_id: p.id,
      name: d.name,
      platform: d.platform,
      push_enabled: 1,
      registered_at: at(d.registeredOn, 540 + 37 * i),
    }),
  );
}

interface CardSpec {
  id: string;
  last4: string;
  holderName: string;
  role?: 'primary' | 'authorized_user';
  issuedOn?: string;
  /** Null: not activated yet (a card in the mail). */
  activatedOn?: string | null;
  status?: string;
  statusChangedOn?: string;
  replacedByCardId?: string;
  /** Purchases stop after this day. */
  until?: string;
  weight?: number;
}

type AccountSpec = Omit<AccountPlan, 'cards' | 'cardmemberId' | 'bankLast4' | 'purchasesPerCycle'> & {
  cards: CardSpec[];
  purchasesPerCycle?: readonly [number, number];
};

/** One account with its cards (numbers ending in the chosen last 4) and six months of history. */
function account(ctx: PersonaContext, cardmemberId: string, spec: AccountSpec): AccountOutcome {
  const accountId = `acct_${spec.key}`;
  for (const c of spec.cards) {
    const issued = c.issuedOn ?? plusDays(spec.openedOn, 0);
    const activated = c.activatedOn === undefined ? plusDays(issued, 5) : c.activatedOn;
    ctx.rows.cards.push(
      cardRow(ctx.vault, {
        id: c.id,
        cardmemberId,
        accountId,
        productId: spec.productId,
        pan: panEndingIn(c.last4, ctx.rng),
        holderName: c.holderName,
        role: c.role ?? 'primary',
        expiry: replacementExpiry(issued),
        createdAt: at(issued, 600),
        activatedAt: activated ? at(activated, 900) : null,
        status: c.status ?? 'active',
        statusChangedAt: at(c.statusChangedOn ?? issued, 600),
        replacedByCardId: c.replacedByCardId ?? null,
      }),
    );
  }
  return simulateAccount(
    ctx.rng,
    ctx.today,
    {
      ...spec,
      cardmemberId,
      bankLast4: ctx.rng.digits(4),
      purchasesPerCycle: spec.purchasesPerCycle ?? [12, 20],
      cards: spec.cards
        .filter((c) => c.activatedOn !== null)
        .map((c) => ({
          id: c.id,
          weight: c.weight ?? 10,
          from: c.activatedOn ?? plusDays(c.issuedOn ?? spec.openedOn, 5),
          ...(c.until ? { until: c.until } : {}),
        })),
    },
    ctx.rows,
  );
}

/** A day `years` years, `months` months and `days` days before today. */
const yearsAgo = (today: string, years: number, months = 0, days = 0) =>
  plusDays(addMonths(today, -(12 * years + months)), -days);
const last = (cal: Calendar, back = 0): string => {
  const c = cal.closings[cal.closings.length - 1 - back];
  if (!c) throw new Error('the account has no statement that far back');
  return c;
};

/** The business day `n` business days before `today`. */
function businessDaysBefore(today: string, n: number): string {
  let d = today;
  for (let left = n; left > 0;) {
    d = plusDays(d, -1);
    const wd = parseDate(d).getUTCDay();
    if (wd !== 0 && wd !== 6) left--;
  }
  return d;
}

// ------------------------------------------------------------------ the personas

export const PERSONAS: Persona[] = [
  {
    id: 'cm_maria',
    username: 'maria',
    password: 'demo-maria-2024',
    firstName: 'Maria',
    lastName: 'Lopez',
    language: 'en',
    spine: true,
    description: 'Lost card: about to report her Gold Card lost (Apple Pay + Google Pay on it); also Business Platinum',
    story:
      'Cannot find her Gold Card since lunch yesterday and is about to report it lost; Apple Pay (iPhone) and Google Pay (tablet) are on it. Also holds a Business Platinum.',
    cards: [
      { id: 'card_maria_gold', productName: 'Meridian Gold Card', last4: '1005' },
      { id: 'card_maria_biz', productName: 'Meridian Business Platinum', last4: '2009' },
    ],
    build(ctx) {
      const { today } = ctx;
      const opened = yearsAgo(today, 5, 3, 9);
      profile(ctx, {
        id: 'cm_maria',
        username: 'maria',
        firstName: 'Maria',
        lastName: 'Lopez',
        language: 'en',
        since: opened,
        email: 'maria.lopez@example.com',
        phone: '+13055550142',
        dateOfBirth: '1986-03-14',
        prefs: { paperlessStatements: true, alertChannels: ['email', 'push'], marketingOptIn: false },
        addresses: [
          { kind: 'home', line1: '1420 Coral Way', line2: 'Apt 7C', city: 'Miami', state: 'FL', zip: '33145' },
          {
            kind: 'business',
            line1: '88 Biscayne Square',
            line2: 'Suite 310',
            city: 'Miami',
            state: 'FL',
            zip: '33131',
          },
        ],
        devices: [
          { name: 'iPhone 15', platform: 'ios', registeredOn: yearsAgo(today, 1, 2) },
          { name: 'Galaxy Tab S9', platform: 'android', registeredOn: yearsAgo(today, 0, 8) },
        ],
      });
      account(ctx, 'cm_maria', {
        key: 'maria_gold',
        productId: 'gold',
        openedOn: opened,
        dueDay: 12,
        creditLimitCents: 1_500_000,
        payer: 'transactor',
        startingBalanceCents: 184_250,
        startingPoints: 62_400,
        recurring: [{ merchant: 'Streamly', category: 'entertainment', amountCents: 1599, day: 9 }],
        cards: [{ id: 'card_maria_gold', last4: '1005', holderName: 'Maria Lopez', issuedOn: plusDays(today, -400) }],
        // The last time she used the card: lunch yesterday, still pending.
        extra: () => [
          {
            id: 'txn_maria_lunch',
            date: plusDays(today, -1),
            postedOn: null,
            merchant: 'Harbor Street Grill',
            category: 'dining',
            amountCents: 4280,
          },
        ],
      });
      for (const [i, w] of (
        [
          ['apple_pay', "Maria's iPhone 15"],
          ['google_pay', "Maria's Galaxy Tab S9"],
        ] as const
      ).entries()) {
        ctx.rows.wallet_tokens.push({
          id: `wt_maria_gold_${i + 1}`,
          card_id: 'card_maria_gold',
          wallet: w[0],
          device_name: w[1],
          status: 'active',
          created_at: at(yearsAgo(today, 0, 7 - i * 3), 800),
          suspended_at: null,
        });
      }
      account(ctx, 'cm_maria', {
        key: 'maria_biz',
        productId: 'business_platinum',
        openedOn: yearsAgo(today, 3, 0, 40),
        dueDay: 20,
        creditLimitCents: 2_500_000,
        payer: 'transactor',
        startingBalanceCents: 312_000,
        startingPoints: 41_000,
        cards: [{ id: 'card_maria_biz', last4: '2009', holderName: 'Maria Lopez', issuedOn: plusDays(today, -300) }],
      });
    },
  },
  {
    id: 'cm_jose',
    username: 'jose',
    password: 'demo-jose-2024',
    firstName: 'José',
    lastName: 'Martínez',
    language: 'es',
    spine: true,
    description: 'Spanish-speaking; charged twice at the same restaurant on his last statement',
    story:
      'Speaks Spanish. His last statement shows the same dinner twice (Taquería Luna Azul, same amount, same day): a duplicate charge to dispute.',
    cards: [{ id: 'card_jose_green', productName: 'Meridian Green Card', last4: '3007' }],
    build(ctx) {
      const { today } = ctx;
      const opened = yearsAgo(today, 4, 2, 13);
      profile(ctx, {
        id: 'cm_jose',
        username: 'jose',
        firstName: 'José',
        lastName: 'Martínez',
        language: 'es',
        since: opened,
        email: 'jose.martinez@example.com',
        phone: '+17135550187',
        dateOfBirth: '1979-11-02',
        prefs: { paperlessStatements: true, alertChannels: ['email', 'sms'], marketingOptIn: true },
        addresses: [{ kind: 'home', line1: '2715 Navigation Boulevard', city: 'Houston', state: 'TX', zip: '77003' }],
        devices: [{ name: 'Galaxy S24', platform: 'android', registeredOn: yearsAgo(today, 0, 10) }],
      });
      account(ctx, 'cm_jose', {
        key: 'jose_green',
        productId: 'green',
        openedOn: opened,
        dueDay: 5,
        creditLimitCents: 800_000,
        payer: 'transactor',
        startingBalanceCents: 96_500,
        startingPoints: 18_250,
        recurring: [{ merchant: 'Beacon Wireless', category: 'utilities', amountCents: 6500, day: 21 }],
        cards: [{ id: 'card_jose_green', last4: '3007', holderName: 'José Martínez', issuedOn: plusDays(today, -500) }],
        extra: (cal) =>
          [1, 2].map((k) => ({
            id: `txn_jose_dup_${k}`,
            date: plusDays(last(cal), -6),
            postedOn: plusDays(last(cal), -5),
            merchant: 'Taquería Luna Azul',
            category: 'dining' as const,
            amountCents: 8_735,
          })),
      });
    },
  },
  {
    id: 'cm_sam',
    username: 'sam',
    password: 'demo-sam-2024',
    firstName: 'Sam',
    lastName: 'Taylor',
    language: 'en',
    spine: true,
    description: 'First late fee in years (a courtesy reversal is possible)',
    story:
      'Paid last month a few days after the due date and was charged a $30 late fee: the first in years, so it can be reversed as a courtesy.',
    cards: [{ id: 'card_sam_blue', productName: 'Meridian Blue Cash', last4: '4001' }],
    build(ctx) {
      const { today } = ctx;
      const opened = yearsAgo(today, 2, 8, 21);
      profile(ctx, {
        id: 'cm_sam',
        username: 'sam',
        firstName: 'Sam',
        lastName: 'Taylor',
        language: 'en',
        since: opened,
        email: 'sam.taylor@example.com',
        phone: '+16175550123',
        dateOfBirth: '1994-07-22',
        prefs: { paperlessStatements: false, alertChannels: ['email'], marketingOptIn: false },
        addresses: [{ kind: 'home', line1: '45 Prospect Place', city: 'Boston', state: 'MA', zip: '02129' }],
        devices: [{ name: 'Pixel 8', platform: 'android', registeredOn: yearsAgo(today, 0, 14) }],
      });
      account(ctx, 'cm_sam', {
        key: 'sam_blue',
        productId: 'blue_cash',
        openedOn: opened,
        dueDay: 18,
        creditLimitCents: 600_000,
        payer: 'transactor',
        startingBalanceCents: 71_900,
        startingPoints: 9_800,
        recurring: [{ merchant: 'Skyline Internet', category: 'utilities', amountCents: 6999, day: 3 }],
        lateStatements: [{ statementsAgo: 1 }],
        cards: [{ id: 'card_sam_blue', last4: '4001', holderName: 'Sam Taylor', issuedOn: plusDays(today, -450) }],
      });
    },
  },
  {
    id: 'cm_priya',
    username: 'priya',
    password: 'demo-priya-2024',
    firstName: 'Priya',
    lastName: 'Shah',
    language: 'en',
    description: 'Second late fee within 12 months (the first was already waived): not reversible',
    story:
      'Late again last month: her second late fee within 12 months, and the first one was already waived as a courtesy, so this one cannot be reversed.',
    cards: [{ id: 'card_priya_gold', productName: 'Meridian Gold Card', last4: '5012' }],
    build(ctx) {
      const { today } = ctx;
      const opened = yearsAgo(today, 6, 0, 52);
      profile(ctx, {
        id: 'cm_priya',
        username: 'priya',
        firstName: 'Priya',
        lastName: 'Shah',
        language: 'en',
        since: opened,
        email: 'priya.shah@example.net',
        phone: '+13125550166',
        dateOfBirth: '1990-01-30',
        prefs: { paperlessStatements: true, alertChannels: ['email', 'sms'], marketingOptIn: false },
        addresses: [
          { kind: 'home', line1: '930 Lakeview Road', line2: 'Unit 12', city: 'Chicago', state: 'IL', zip: '60614' },
        ],
        devices: [{ name: 'iPhone 13', platform: 'ios', registeredOn: yearsAgo(today, 2) }],
      });
      account(ctx, 'cm_priya', {
        key: 'priya_gold',
        productId: 'gold',
        openedOn: opened,
        dueDay: 8,
        creditLimitCents: 1_200_000,
        payer: 'revolver',
        startingBalanceCents: 265_000,
        startingPoints: 33_700,
        lateStatements: [{ statementsAgo: 5, goodwill: true }, { statementsAgo: 1 }],
        cards: [{ id: 'card_priya_gold', last4: '5012', holderName: 'Priya Shah', issuedOn: plusDays(today, -700) }],
      });
    },
  },
  {
    id: 'cm_dana',
    username: 'dana',
    password: 'demo-dana-2024',
    firstName: 'Dana',
    lastName: 'Brooks',
    language: 'en',
    description: 'Small-business owner with employee cards on a Business Gold account',
    story:
      'Runs a flower shop on a Business Gold account with cards for two employees (a third was removed last month) and wants to add another.',
    cards: [
      { id: 'card_dana_biz', productName: 'Meridian Business Gold', last4: '6003' },
      { id: 'card_dana_emp_1', productName: 'Meridian Business Gold', last4: '6101' },
      { id: 'card_dana_emp_2', productName: 'Meridian Business Gold', last4: '6102' },
      { id: 'card_dana_emp_3', productName: 'Meridian Business Gold', last4: '6103' },
    ],
    build(ctx) {
      const { today } = ctx;
      const opened = yearsAgo(today, 4, 1, 6);
      profile(ctx, {
        id: 'cm_dana',
        username: 'dana',
        firstName: 'Dana',
        lastName: 'Brooks',
        language: 'en',
        since: opened,
        email: 'dana@brooksandbloom.example.com',
        phone: '+15035550119',
        dateOfBirth: '1981-05-09',
        prefs: { paperlessStatements: true, alertChannels: ['email', 'push'], marketingOptIn: true },
        addresses: [
          { kind: 'home', line1: '612 Willow Drive', city: 'Portland', state: 'OR', zip: '97214' },
          {
            kind: 'business',
            line1: '2240 Mill Street',
            line2: 'Brooks & Bloom',
            city: 'Portland',
            state: 'OR',
            zip: '97209',
          },
        ],
        devices: [
          { name: 'iPhone 15', platform: 'ios', registeredOn: yearsAgo(today, 1) },
          { name: 'Safari on Mac', platform: 'web', registeredOn: yearsAgo(today, 2) },
        ],
      });
      const employees = [
        { n: 1, first: 'Luis', lastName: 'Ortega', dob: '1992-08-17', added: yearsAgo(today, 2, 3), last4: '6101' },
        { n: 2, first: 'Keisha', lastName: 'Grant', dob: '1998-02-05', added: yearsAgo(today, 0, 8), last4: '6102' },
        { n: 3, first: 'Tyler', lastName: 'Nash', dob: '2001-10-11', added: yearsAgo(today, 1, 2), last4: '6103' },
      ];
      const removedOn = plusDays(today, -34);
      account(ctx, 'cm_dana', {
        key: 'dana_biz',
        productId: 'business_gold',
        openedOn: opened,
        dueDay: 22,
        creditLimitCents: 3_000_000,
        payer: 'transactor',
        startingBalanceCents: 418_000,
        startingPoints: 96_500,
        purchasesPerCycle: [18, 25],
        recurring: [
          { merchant: 'Metro Power & Light', category: 'utilities', amountCents: 21_400, day: 6 },
          { merchant: 'Beacon Wireless', category: 'utilities', amountCents: 11_800, day: 14 },
        ],
        cards: [
          { id: 'card_dana_biz', last4: '6003', holderName: 'Dana Brooks', issuedOn: plusDays(today, -620) },
          ...employees.map((e) => ({
            id: `card_dana_emp_${e.n}`,
            last4: e.last4,
            holderName: `${e.first} ${e.lastName}`,
            role: 'authorized_user' as const,
            issuedOn: e.added,
            weight: 6,
            ...(e.n === 3 ? { status: 'closed', statusChangedOn: removedOn, until: plusDays(removedOn, -1) } : {}),
          })),
        ],
      });
      for (const e of employees) {
        ctx.rows.authorized_users.push({
          id: `au_dana_${e.n}`,
          account_id: 'acct_dana_biz',
          first_name: e.first,
          last_name: e.lastName,
          date_of_birth: e.dob,
          card_id: `card_dana_emp_${e.n}`,
          status: e.n === 3 ? 'removed' : 'active',
          added_on: e.added,
          removed_on: e.n === 3 ? removedOn : null,
        });
      }
    },
  },
  {
    id: 'cm_leo',
    username: 'leo',
    password: 'demo-leo-2024',
    firstName: 'Leo',
    lastName: 'Park',
    language: 'en',
    description: 'Traveller: Lisbon trip in 12 days, a delayed flight last month, travel charges payable with points',
    story:
      'Platinum traveller: flies to Lisbon in 12 days (flight + hotel paid with the card, trip protection applies); his Denver flight a month ago was delayed 7 hours; recent travel charges can be paid with points.',
    cards: [{ id: 'card_leo_plat', productName: 'Meridian Platinum Card', last4: '7008' }],
    build(ctx) {
      const { today } = ctx;
      const opened = yearsAgo(today, 7, 4, 17);
      profile(ctx, {
        id: 'cm_leo',
        username: 'leo',
        firstName: 'Leo',
        lastName: 'Park',
        language: 'en',
        since: opened,
        email: 'leo.park@example.org',
        phone: '+12125550178',
        dateOfBirth: '1983-12-01',
        prefs: { paperlessStatements: true, alertChannels: ['push', 'email'], marketingOptIn: false },
        addresses: [
          { kind: 'home', line1: '301 West 86th Street', line2: 'Apt 5A', city: 'New York', state: 'NY', zip: '10024' },
        ],
        devices: [{ name: 'iPhone 15', platform: 'ios', registeredOn: yearsAgo(today, 0, 11) }],
      });
      const lisbon = plusDays(today, 12);
      const denver = plusDays(today, -30);
      account(ctx, 'cm_leo', {
        key: 'leo_plat',
        productId: 'platinum',
        openedOn: opened,
        dueDay: 3,
        creditLimitCents: 4_000_000,
        payer: 'transactor',
        startingBalanceCents: 522_000,
        startingPoints: 240_000,
        foreignShare: 0.03,
        cards: [{ id: 'card_leo_plat', last4: '7008', holderName: 'Leo Park', issuedOn: plusDays(today, -820) }],
        extra: () => [
          {
            id: 'txn_leo_trip_lisbon',
            date: plusDays(today, -18),
            merchant: 'Meridian Travel',
            category: 'travel',
            amountCents: 241_800,
          },
          {
            id: 'txn_leo_trip_denver',
            date: plusDays(today, -52),
            merchant: 'Meridian Travel',
            category: 'travel',
            amountCents: 113_640,
          },
          {
            id: 'txn_leo_air',
            date: plusDays(today, -36),
            merchant: 'Skyward Air',
            category: 'travel',
            amountCents: 48_620,
          },
          {
            id: 'txn_leo_hotel_redeemed',
            date: plusDays(today, -75),
            merchant: 'Harborview Hotels',
            category: 'travel',
            amountCents: 62_000,
            paidWithPoints: true,
          },
        ],
      });
      ctx.rows.travel_bookings.push(
        {
          id: 'trip_leo_lisbon',
          cardmember_id: 'cm_leo',
          card_id: 'card_leo_plat',
          reference: 'MTLEOLIS',
          total_cents: 241_800,
          paid_with_card: 1,
          booked_on: plusDays(today, -18),
          segments: JSON.stringify([
            {
              kind: 'flight',
              description: 'New York JFK -> Lisbon LIS',
              start: `${lisbon}T19:30`,
              end: `${plusDays(lisbon, 1)}T07:10`,
              status: 'scheduled',
              reference: 'MB 2841',
            },
            {
              kind: 'hotel',
              description: 'Hotel Miradouro, Lisbon',
              start: plusDays(lisbon, 1),
              end: plusDays(lisbon, 6),
              status: 'scheduled',
              reference: 'HX-55102',
            },
            {
              kind: 'flight',
              description: 'Lisbon LIS -> New York JFK',
              start: `${plusDays(lisbon, 6)}T11:45`,
              end: `${plusDays(lisbon, 6)}T14:35`,
              status: 'scheduled',
              reference: 'MB 2842',
            },
          ]),
        },
        {
          id: 'trip_leo_denver',
          cardmember_id: 'cm_leo',
          card_id: 'card_leo_plat',
          reference: 'MTLEODEN',
          total_cents: 113_640,
          paid_with_card: 1,
          booked_on: plusDays(today, -52),
          segments: JSON.stringify([
            {
              kind: 'flight',
              description: 'New York JFK -> Denver DEN (landed 7 hours late)',
              start: `${denver}T08:15`,
              end: `${denver}T18:05`,
              status: 'delayed',
              reference: 'SW 1187',
            },
            {
              kind: 'hotel',
              description: 'Parkline Hotel, Denver',
              start: denver,
              end: plusDays(denver, 3),
              status: 'completed',
              reference: 'HX-48817',
            },
            {
              kind: 'car',
              description: 'Northstar Car Rental, Denver',
              start: denver,
              end: plusDays(denver, 3),
              status: 'completed',
              reference: 'CR-DNVQX',
            },
            {
              kind: 'flight',
              description: 'Denver DEN -> New York JFK',
              start: `${plusDays(denver, 3)}T16:20`,
              end: `${plusDays(denver, 3)}T22:05`,
              status: 'completed',
              reference: 'SW 1190',
            },
          ]),
        },
      );
    },
  },
  {
    id: 'cm_grace',
    username: 'grace',
    password: 'demo-grace-2024',
    firstName: 'Grace',
    lastName: 'Whitfield',
    language: 'en',
    description: 'Long-standing customer with a clean record: eligible for a credit-limit increase',
    story:
      'Cardmember for eight years who always pays in full, no late payments and no limit change in two years: eligible for a credit-limit increase.',
    cards: [{ id: 'card_grace_gold', productName: 'Meridian Gold Card', last4: '8006' }],
    build(ctx) {
      const { today } = ctx;
      const opened = yearsAgo(today, 8, 2, 25);
      profile(ctx, {
        id: 'cm_grace',
        username: 'grace',
        firstName: 'Grace',
        lastName: 'Whitfield',
        language: 'en',
        since: opened,
        email: 'grace.whitfield@example.com',
        phone: '+16155550104',
        dateOfBirth: '1968-09-23',
        prefs: { paperlessStatements: false, alertChannels: ['email'], marketingOptIn: false },
        note: 'Prefers written follow-up by secure message.',
        addresses: [{ kind: 'home', line1: '77 Hillcrest Drive', city: 'Nashville', state: 'TN', zip: '37215' }],
      });
      account(ctx, 'cm_grace', {
        key: 'grace_gold',
        productId: 'gold',
        openedOn: opened,
        dueDay: 16,
        creditLimitCents: 900_000,
        lastLimitChangeOn: yearsAgo(today, 2, 3),
        payer: 'transactor',
        startingBalanceCents: 142_300,
        startingPoints: 121_000,
        recurring: [{ merchant: 'Metro Power & Light', category: 'utilities', amountCents: 12_400, day: 11 }],
        cards: [
          { id: 'card_grace_gold', last4: '8006', holderName: 'Grace Whitfield', issuedOn: plusDays(today, -900) },
        ],
      });
    },
  },
  {
    id: 'cm_noah',
    username: 'noah',
    password: 'demo-noah-2024',
    firstName: 'Noah',
    lastName: 'Kim',
    language: 'en',
    description: 'Opened his account 3 months ago: too new for a credit-limit increase',
    story:
      'Opened his Green Card three months ago and already wants a higher limit: too new for an increase (6 months needed).',
    cards: [{ id: 'card_noah_green', productName: 'Meridian Green Card', last4: '9002' }],
    build(ctx) {
      const { today } = ctx;
      const opened = addMonths(today, -3);
      profile(ctx, {
        id: 'cm_noah',
        username: 'noah',
        firstName: 'Noah',
        lastName: 'Kim',
        language: 'en',
        since: opened,
        email: 'noah.kim@example.com',
        phone: '+12065550131',
        dateOfBirth: '1999-04-18',
        prefs: { paperlessStatements: true, alertChannels: ['push'], marketingOptIn: true },
        addresses: [
          { kind: 'home', line1: '1508 Pine Ridge Road', line2: 'Apt 302', city: 'Seattle', state: 'WA', zip: '98122' },
        ],
        devices: [{ name: 'Pixel 8', platform: 'android', registeredOn: plusDays(opened, 6) }],
      });
      account(ctx, 'cm_noah', {
        key: 'noah_green',
        productId: 'green',
        openedOn: opened,
        dueDay: 14,
        creditLimitCents: 300_000,
        payer: 'transactor',
        cards: [{ id: 'card_noah_green', last4: '9002', holderName: 'Noah Kim', issuedOn: opened }],
      });
    },
  },
  {
    id: 'cm_ellen',
    username: 'ellen',
    password: 'demo-ellen-2024',
    firstName: 'Ellen',
    lastName: 'Novak',
    language: 'en',
    description: 'Replacement card in the mail after reporting her card lost',
    story:
      'Reported her Gold Card lost two business days ago: the old number is closed, the replacement is in the mail and must be activated when it arrives.',
    cards: [
      { id: 'card_ellen_gold', productName: 'Meridian Gold Card', last4: '1207' },
      { id: 'card_ellen_gold_new', productName: 'Meridian Gold Card', last4: '1309' },
    ],
    build(ctx) {
      const { today } = ctx;
      const opened = yearsAgo(today, 3, 5, 11);
      const lostOn = businessDaysBefore(today, 2);
      profile(ctx, {
        id: 'cm_ellen',
        username: 'ellen',
        firstName: 'Ellen',
        lastName: 'Novak',
        language: 'en',
        since: opened,
        email: 'ellen.novak@example.com',
        phone: '+13035550158',
        dateOfBirth: '1975-06-27',
        prefs: { paperlessStatements: true, alertChannels: ['email', 'sms'], marketingOptIn: false },
        addresses: [{ kind: 'home', line1: '2890 Highland Avenue', city: 'Denver', state: 'CO', zip: '80211' }],
        devices: [{ name: 'iPhone 13', platform: 'ios', registeredOn: yearsAgo(today, 2, 1) }],
      });
      account(ctx, 'cm_ellen', {
        key: 'ellen_gold',
        productId: 'gold',
        openedOn: opened,
        dueDay: 25,
        creditLimitCents: 1_000_000,
        payer: 'transactor',
        startingBalanceCents: 121_000,
        startingPoints: 27_500,
        cards: [
          {
            id: 'card_ellen_gold',
            last4: '1207',
            holderName: 'Ellen Novak',
            issuedOn: plusDays(today, -640),
            status: 'lost',
            statusChangedOn: lostOn,
            replacedByCardId: 'card_ellen_gold_new',
            until: plusDays(lostOn, -1),
          },
          { id: 'card_ellen_gold_new', last4: '1309', holderName: 'Ellen Novak', issuedOn: lostOn, activatedOn: null },
        ],
      });
      ctx.rows.wallet_tokens.push({
        id: 'wt_ellen_gold_1',
        card_id: 'card_ellen_gold',
        wallet: 'apple_pay',
        device_name: "Ellen's iPhone 13",
        status: 'suspended',
        created_at: at(yearsAgo(today, 1, 6), 700),
        suspended_at: at(lostOn, 580),
      });
      const home = ctx.rows.addresses.find((a) => a.id === 'adr_ellen_home')!;
      ctx.rows.replacements.push({
        id: 'rpl_ellen_1',
        card_id: 'card_ellen_gold',
        new_card_id: 'card_ellen_gold_new',
        reason: 'lost',
        method: 'standard',
        ship_to: shipTo(home),
        ordered_at: at(lostOn, 580),
        estimated_delivery: estimateDelivery(lostOn, 'standard'),
        delivered_on: null,
      });
    },
  },
  {
    id: 'cm_omar',
    username: 'omar',
    password: 'demo-omar-2024',
    firstName: 'Omar',
    lastName: 'Haddad',
    language: 'en',
    description: 'Two unrecognised charges: one still disputable, one past the 60-day window',
    story:
      "Doesn't recognise two NovaByte Online charges: the one on his last statement can be disputed; the one from four statements ago is past the 60-day billing-error window.",
    cards: [{ id: 'card_omar_blue', productName: 'Meridian Blue Cash', last4: '2402' }],
    build(ctx) {
      const { today } = ctx;
      const opened = yearsAgo(today, 5, 6, 3);
      profile(ctx, {
        id: 'cm_omar',
        username: 'omar',
        firstName: 'Omar',
        lastName: 'Haddad',
        language: 'en',
        since: opened,
        email: 'omar.haddad@example.net',
        phone: '+16025550193',
        dateOfBirth: '1988-02-11',
        prefs: { paperlessStatements: true, alertChannels: ['email'], marketingOptIn: false },
        addresses: [{ kind: 'home', line1: '4411 Sunset Boulevard', city: 'Phoenix', state: 'AZ', zip: '85018' }],
        devices: [{ name: 'Chrome on Windows', platform: 'web', registeredOn: yearsAgo(today, 1, 9) }],
      });
      account(ctx, 'cm_omar', {
        key: 'omar_blue',
        productId: 'blue_cash',
        openedOn: opened,
        dueDay: 10,
        creditLimitCents: 750_000,
        payer: 'transactor',
        startingBalanceCents: 88_400,
        startingPoints: 12_300,
        cards: [{ id: 'card_omar_blue', last4: '2402', holderName: 'Omar Haddad', issuedOn: plusDays(today, -1000) }],
        extra: (cal) => [
          {
            id: 'txn_omar_old',
            date: plusDays(last(cal, 3), -12),
            postedOn: plusDays(last(cal, 3), -11),
            merchant: 'NovaByte Online',
            category: 'online',
            amountCents: 38_999,
          },
          {
            id: 'txn_omar_recent',
            date: plusDays(last(cal), -9),
            postedOn: plusDays(last(cal), -8),
            merchant: 'NovaByte Online',
            category: 'online',
            amountCents: 12_999,
          },
        ],
      });
    },
  },
];

/** A persona's rows for "today", deterministic for a given day. */
export function personaRows(persona: Persona, today: string, vault: PanVault): SeedRows {
  const rows = emptyRows();
  persona.build({ today, rng: new Rng(`persona:${persona.id}`), vault, rows });
  // The listing (site, README, tests) and the rows must tell the same story.
  const listing = persona.cards.map((k) => `${k.id}:${k.productName}:${k.last4}`).sort();
  const built = rows.cards.map((c) => `${c.id}:${c.product_name}:${c.last4}`).sort();
  if (listing.join() !== built.join()) throw new Error(`persona ${persona.username}: cards do not match their listing`);
  return rows;
}
