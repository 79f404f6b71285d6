/**
 * Generated cardmembers for load tests and realistic volumes: `gen_<n>` with contact details,
 * addresses, devices, one or two accounts on catalog products, primary and authorized-user cards,
 * six months of statements and transactions, payments, fees, rewards, wallet tokens and trips.
 *
 * Deterministic: cardmember n is drawn from its own stream seeded by `<seed>:<n>`, so the same seed
 * gives the same values (only the AES ciphertexts differ: random IVs), whatever the chunking, and
 * a rerun only adds the cardmembers that are missing. Generated cardmembers cannot sign in
 * (`password_hash` '!').
 */
import type { PanVault } from '../accounts/embedded/pan-vault.js';
import { ensureProducts, PRODUCTS } from '../accounts/embedded/products.js';
import { addMonths } from '../accounts/rules/dates.js';
import type { Db } from '../store/db.js';
import type { AddressesTable, DevicesTable, TravelBookingsTable } from '../store/schema.js';
import { at, cardRow, daysFrom, emailPart, plusDays, prefsJson, shipTo, uniquePan } from './build.js';
import {
  ACCOMMODATIONS,
  AIRPORTS,
  CAR_COMPANIES,
  CITIES,
  DEVICES,
  FIRST_NAMES_EN,
  FIRST_NAMES_ES,
  HOTELS,
  LAST_NAMES_EN,
  LAST_NAMES_ES,
  STREETS,
} from './catalog.js';
import { pickRecurring, simulateAccount, type CardPlan, type PlannedTransaction, type Payer } from './history.js';
import { Rng } from './rng.js';
import { countOf, emptyRows, insertRows, SEED_TABLES, type SeedRows, type SeedTable } from './rows.js';

const PRODUCT_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ['gold', 24],
  ['blue_cash', 24],
  ['green', 18],
  ['platinum', 10],
  ['business_gold', 10],
  ['business_platinum', 6],
  ['corporate', 8],
];

const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const letters = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.pick([...LETTERS])).join('');
const dateBetween = (rng: Rng, from: string, to: string) => plusDays(from, rng.int(daysFrom(from, to) + 1));

/**
 * Appends the rows of generated cardmember `n` to `rows`. `taken` holds the card numbers used so far
 * in this run, so no two generated cards share a number.
 */
export function generateCardmember(
  n: number,
  o: { seed: string; today: string; vault: PanVault; taken: Set<string> },
  rows: SeedRows,
): void {
  const rng = new Rng(`${o.seed}:${n}`);
  const { today, vault } = o;
  const id = `gen_${n}`;
  const language = rng.chance(0.15) ? 'es' : 'en';
  const hispanic = language === 'es' || rng.chance(0.12);
  const firstName = rng.pick(hispanic ? FIRST_NAMES_ES : FIRST_NAMES_EN);
  const lastName = rng.pick(hispanic ? LAST_NAMES_ES : LAST_NAMES_EN);
  const [city, state, zip3, area] = rng.pick(CITIES);

  // Accounts first: the cardmember's own dates follow from when they became a customer.
  const accountCount = rng.chance(0.3) ? 2 : 1;
  const productIds: string[] = [];
  while (productIds.length < accountCount) {
    const p = rng.weighted(PRODUCT_WEIGHTS);
    if (!productIds.includes(p)) productIds.push(p);
  }
  const openings = productIds.map(() =>
    rng.chance(0.06)
      ? dateBetween(rng, addMonths(today, -6), addMonths(today, -1))
      : dateBetween(rng, addMonths(today, -14 * 12), addMonths(today, -7)),
  );
  const since = [...openings].sort()[0]!;

  const devices: DevicesTable[] = [];
  const deviceCount = rng.weighted([[0, 3] as const, [1, 5] as const, [2, 2] as const]);
  for (let k = 0; k < deviceCount; k++) {
    const [name, platform] = rng.pick(DEVICES);
    devices.push({
      id: `dev_${id}_${k + 1}`,
      cardmember_id: id,
      name,
      platform,
      push_enabled: rng.chance(0.75) ? 1 : 0,
      registered_at: at(dateBetween(rng, [since, addMonths(today, -30)].sort()[1]!, today), rng.int(1440)),
    });
  }
  const channels: Array<'email' | 'sms' | 'push'> = [];
  if (rng.chance(0.8)) channels.push('email');
  if (rng.chance(0.4)) channels.push('sms');
  if (devices.some((d) => d.platform !== 'web' && d.push_enabled) && rng.chance(0.6)) channels.push('push');
  if (!channels.length) channels.push('email');

  rows.cardmembers.push({
    id,
    username: id,
    password_hash: '!',
    first_name: firstName,
    last_name: lastName,
    preferred_language: language,
    created_at: at(since, 600),
    email: `${emailPart(firstName)}.${emailPart(lastName)}${n}@${rng.pick(['example.com', 'example.net', 'example.org'])}`,
    phone: `+1${area}55501${rng.digits(2)}`,
    date_of_birth: dateBetween(rng, '1946-01-01', addMonths(today, -12 * 19)),
    communication_prefs: prefsJson({
      paperlessStatements: rng.chance(0.7),
      alertChannels: channels,
      marketingOptIn: rng.chance(0.3),
      language,
    }),
    accommodations_note: rng.chance(0.03) ? rng.pick(ACCOMMODATIONS) : null,
  });

  const addresses: AddressesTable[] = [
    {
      id: `adr_${id}_1`,
      cardmember_id: id,
      kind: 'home',
      line1: `${rng.between(1, 9899)} ${rng.pick(STREETS)}`,
      line2: rng.chance(0.3) ? `Apt ${rng.between(1, 40)}${rng.pick(['A', 'B', 'C', 'D'])}` : null,
      city,
      state,
      zip: `${zip3}${rng.digits(2)}`,
      country: 'US',
      is_primary: 1,
    },
  ];
  const business = productIds.some((p) => PRODUCTS.find((x) => x.id === p)!.type !== 'personal');
  if ((business && rng.chance(0.7)) || rng.chance(0.15)) {
    addresses.push({
      id: `adr_${id}_2`,
      cardmember_id: id,
      kind: business ? 'business' : 'mailing',
      line1: business ? `${rng.between(10, 990)} ${rng.pick(STREETS)}` : `PO Box ${rng.between(100, 9999)}`,
      line2: business ? `Suite ${rng.between(100, 900)}` : null,
      city,
      state,
      zip: `${zip3}${rng.digits(2)}`,
      country: 'US',
      is_primary: 0,
    });
  }
  rows.addresses.push(...addresses);
  rows.devices.push(...devices);

  const holder = `${firstName} ${lastName}`;
  let booked = false;
  for (const [a, productId] of productIds.entries()) {
    const product = PRODUCTS.find((p) => p.id === productId)!;
    const key = `${id}_${a + 1}`;
    const accountId = `acct_${key}`;
    const openedOn = openings[a]!;
    const activatedOn = plusDays(openedOn, rng.between(3, 12));
    const primaryId = `card_${key}`;
    const cards: CardPlan[] = [{ id: primaryId, weight: 10, from: activatedOn }];
    const locked = rng.chance(0.03);
    const lockedOn = plusDays(today, -rng.between(0, 20));
    rows.cards.push(
      cardRow(vault, {
        id: primaryId,
        cardmemberId: id,
        accountId,
        productId,
        pan: uniquePan(rng, o.taken),
        holderName: holder,
        role: 'primary',
        expiry: addMonths(today, rng.between(3, 48)).slice(0, 7),
        createdAt: at(openedOn, 600),
        activatedAt: activatedOn <= today ? at(activatedOn, 900) : null,
        status: locked ? 'locked' : 'active',
        statusChangedAt: locked ? at(lockedOn, 480) : at(openedOn, 600),
      }),
    );

    // Authorized users: family on personal cards, employees on business and corporate ones.
    const employees = product.type !== 'personal';
    const auCount = employees ? (rng.chance(0.45) ? rng.between(1, 3) : 0) : rng.chance(0.12) ? 1 : 0;
    for (let u = 1; u <= auCount; u++) {
      const firstAu = rng.pick(hispanic ? FIRST_NAMES_ES : FIRST_NAMES_EN);
      const lastAu = employees ? rng.pick(hispanic ? LAST_NAMES_ES : LAST_NAMES_EN) : lastName;
      const addedOn = dateBetween(
        rng,
        plusDays(openedOn, 14),
        [plusDays(openedOn, 15), plusDays(today, -30)].sort()[1]!,
      );
      const removed = rng.chance(0.1) ? dateBetween(rng, plusDays(addedOn, 30), today) : null;
      const auCardId = `card_${key}_u${u}`;
      const auActivated = plusDays(addedOn, rng.between(4, 10));
      rows.cards.push(
        cardRow(vault, {
          id: auCardId,
          cardmemberId: id,
          accountId,
          productId,
          pan: uniquePan(rng, o.taken),
          holderName: `${firstAu} ${lastAu}`,
          role: 'authorized_user',
          expiry: addMonths(addedOn, 48).slice(0, 7),
          createdAt: at(addedOn, 660),
          activatedAt: auActivated <= today ? at(auActivated, 1000) : null,
          status: removed && removed <= today ? 'closed' : 'active',
          statusChangedAt: at(removed && removed <= today ? removed : addedOn, 660),
        }),
      );
      rows.authorized_users.push({
        id: `au_${key}_${u}`,
        account_id: accountId,
        first_name: firstAu,
        last_name: lastAu,
        date_of_birth: dateBetween(rng, '1960-01-01', addMonths(today, -12 * 17)),
        card_id: auCardId,
        status: removed && removed <= today ? 'removed' : 'active',
        added_on: addedOn,
        removed_on: removed && removed <= today ? removed : null,
      });
      cards.push({ id: auCardId, weight: 4, from: auActivated, ...(removed ? { until: removed } : {}) });
    }

    // Wallet tokens on the phones and tablets the cardmember registered.
    let w = 0;
    for (const d of devices) {
      if (d.platform === 'web' || locked || !rng.chance(0.45)) continue;
      rows.wallet_tokens.push({
        id: `wt_${key}_${++w}`,
        card_id: primaryId,
        wallet: d.platform === 'ios' ? 'apple_pay' : 'google_pay',
        device_name: `${firstName}'s ${d.name}`,
        status: 'active',
        created_at: [d.registered_at, at(activatedOn, 1000)].sort()[1]!,
        suspended_at: null,
      });
    }
    if (rng.chance(0.01)) {
      const ordered = dateBetween(rng, plusDays(today, -300), plusDays(today, -20));
      rows.replacements.push({
        id: `rpl_${key}_1`,
        card_id: primaryId,
        new_card_id: primaryId,
        reason: 'damaged',
        method: rng.chance(0.3) ? 'expedited' : 'standard',
        ship_to: shipTo(addresses[0]!),
        ordered_at: at(ordered, 600),
        estimated_delivery: plusDays(ordered, 7),
        delivered_on: plusDays(ordered, rng.between(4, 8)),
      });
    }

    // A trip booked with the card, for some cardmembers whose product protects trips.
    const extra: PlannedTransaction[] = [];
    if (!booked && product.tripProtection.delay && rng.chance(0.12)) {
      booked = true;
      const trip = generateTrip(rng, { id, key, today, primaryId, since: plusDays(today, -170) });
      if (trip) {
        rows.travel_bookings.push(trip.booking);
        extra.push(trip.charge);
      }
    }

    const payer: Payer =
      product.type === 'corporate'
        ? 'transactor'
        : rng.weighted([['transactor', 60] as const, ['revolver', 30] as const, ['minimum', 10] as const]);
    const tier = product.tier;
    simulateAccount(
      rng,
      today,
      {
        key,
        cardmemberId: id,
        productId,
        openedOn,
        dueDay: rng.between(1, 28),
        creditLimitCents: rng.between(3 * tier, 24 * tier) * 250_000,
        bankLast4: rng.digits(4),
        lastDueDayChangeOn: rng.chance(0.1) ? plusDays(today, -rng.between(30, 700)) : null,
        lastLimitChangeOn: rng.chance(0.25) ? dateBetween(rng, openedOn, today) : null,
        payer,
        cards,
        purchasesPerCycle: [10, 25],
        lateProbability: payer === 'transactor' ? 0.005 : payer === 'revolver' ? 0.03 : 0.06,
        startingBalanceCents: payer === 'transactor' ? rng.between(300, 2500) * 100 : rng.between(1000, 8000) * 100,
        startingPoints: product.rewardsProgram ? rng.between(0, 40_000 * tier) : 0,
        recurring: pickRecurring(rng, rng.between(0, 3)),
        foreignShare: 0.01,
        extra: () => extra,
      },
      rows,
    );
  }

  if (rng.chance(0.03)) {
    const start = plusDays(today, rng.between(5, 60));
    rows.travel_notices.push({
      id: `tn_${id}_1`,
      cardmember_id: id,
      destinations: JSON.stringify(
        rng.pick([['Portugal'], ['Spain', 'Portugal'], ['Mexico'], ['Italy'], ['Japan'], ['Canada']]),
      ),
      start_on: start,
      end_on: plusDays(start, rng.between(4, 21)),
      created_at: at(plusDays(today, -rng.between(0, 4)), rng.int(1440)),
    });
  }
}

/** A trip (flights, hotel, sometimes a car) and the card charge that paid for it. */
function generateTrip(
  rng: Rng,
  o: { id: string; key: string; today: string; primaryId: string; since: string },
): { booking: TravelBookingsTable; charge: PlannedTransaction } | null {
  const upcoming = rng.chance(0.4);
  const start = upcoming ? plusDays(o.today, rng.between(5, 90)) : plusDays(o.today, -rng.between(20, 150));
  const bookedOn = [plusDays(start, -rng.between(14, 60)), plusDays(o.today, -1)].sort()[0]!;
  if (bookedOn < o.since) return null;
  const nights = rng.between(2, 9);
  const end = plusDays(start, nights);
  const [from, fromCity] = rng.pick(AIRPORTS.slice(0, 8));
  const [to, toCity] = rng.pick(AIRPORTS.filter(([c]) => c !== from));
  const airline = rng.pick(['SW', 'MB', 'NA']);
  const past = !upcoming;
  const segments = [
    {
      kind: 'flight',
      description: `${fromCity} ${from} -> ${toCity} ${to}`,
      start: `${start}T${String(rng.between(6, 20)).padStart(2, '0')}:${rng.pick(['05', '20', '35', '50'])}`,
      end: `${start}T23:10`,
      status: past ? (rng.chance(0.12) ? 'delayed' : 'completed') : 'scheduled',
      reference: `${airline} ${rng.between(100, 2999)}`,
    },
    {
      kind: 'hotel',
      description: `${rng.pick(HOTELS)}, ${toCity}`,
      start,
      end,
      status: past ? 'completed' : 'scheduled',
      reference: `HX-${letters(rng, 5)}`,
    },
    ...(rng.chance(0.3)
      ? [
          {
            kind: 'car',
            description: `${rng.pick(CAR_COMPANIES)}, ${toCity}`,
            start,
            end,
            status: past ? 'completed' : 'scheduled',
            reference: `CR-${letters(rng, 5)}`,
          },
        ]
      : []),
    {
      kind: 'flight',
      description: `${toCity} ${to} -> ${fromCity} ${from}`,
      start: `${end}T${String(rng.between(7, 19)).padStart(2, '0')}:${rng.pick(['00', '15', '40'])}`,
      end: `${end}T23:55`,
      status: past ? 'completed' : 'scheduled',
      reference: `${airline} ${rng.between(100, 2999)}`,
    },
  ];
  const total = rng.between(60_000, 420_000);
  const paidWithCard = rng.chance(0.9);
  const booking: TravelBookingsTable = {
    id: `trip_${o.key}_1`,
    cardmember_id: o.id,
    card_id: o.primaryId,
    reference: `MT${letters(rng, 6)}`,
    total_cents: total,
    paid_with_card: paidWithCard ? 1 : 0,
    booked_on: bookedOn,
    segments: JSON.stringify(segments),
  };
  const charge: PlannedTransaction = {
    id: `txn_${o.key}_trip`,
    date: bookedOn,
    merchant: 'Meridian Travel',
    category: 'travel',
    amountCents: paidWithCard ? total : rng.between(20_000, 60_000),
    cardId: o.primaryId,
  };
  return { booking, charge };
}

export interface GenerateOptions {
  /** How many cardmembers: gen_<start> .. gen_<start + count - 1>. */
  count: number;
  seed: string;
  /** "Today" for every date in the data. */
  now: Date;
  vault: PanVault;
  /** First index (default 1). */
  start?: number;
  /** Cardmembers per transaction (default 1000): bounds memory, whatever the count. */
  chunkSize?: number;
  onChunk?: (done: number, total: number) => void;
}

export type SeedCounts = Record<SeedTable, number>;

/**
 * Inserts the generated cardmembers that are not there yet, chunk by chunk, each chunk in one
 * transaction. Returns the rows inserted per table.
 */
export async function generateCardmembers(db: Db, o: GenerateOptions): Promise<SeedCounts> {
  await ensureProducts(db);
  const today = o.now.toISOString().slice(0, 10);
  const first = o.start ?? 1;
  const chunk = o.chunkSize ?? 1000;
  const totals = Object.fromEntries(SEED_TABLES.map((t) => [t, 0])) as SeedCounts;
  const taken = new Set<string>();
  for (let from = first; from < first + o.count; from += chunk) {
    const to = Math.min(first + o.count, from + chunk);
    const ids: string[] = [];
    for (let n = from; n < to; n++) ids.push(`gen_${n}`);
    const existing = new Set(
      (await db.selectFrom('cardmembers').select('id').where('id', 'in', ids).execute()).map((r) => r.id),
    );
    const rows = emptyRows();
    for (let n = from; n < to; n++) {
      if (!existing.has(`gen_${n}`)) generateCardmember(n, { seed: o.seed, today, vault: o.vault, taken }, rows);
    }
    await db.transaction().execute((tx) => insertRows(tx, rows));
    const counts = countOf(rows);
    for (const t of SEED_TABLES) totals[t] += counts[t];
    o.onChunk?.(to - first, o.count);
  }
  return totals;
}
