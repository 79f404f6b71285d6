/**
 * The demo issuer's product catalog: fees, APRs, rewards, benefits and trip protection. Reference data
 * for the embedded core; a bank's core has its own.
 */
import type { Db } from '../../store/db.js';
import type { ProductsTable } from '../../store/schema.js';

export interface BenefitDef {
  id: string;
  kind: 'statement_credit' | 'lounge_access' | 'insurance';
  name: string;
  terms: string;
  annualAmountCents: number | null;
  /** Transaction category a statement credit applies to. */
  category?: string;
}

export interface TripProtectionDef {
  delay?: { minHours: number; maxCents: number };
  cancellation?: { maxCents: number };
  lost_luggage?: { maxCents: number };
}

interface ProductDef {
  id: string;
  name: string;
  type: ProductsTable['type'];
  tier: number;
  annualFeeCents: number;
  purchaseAprBps: number;
  cashAprBps: number;
  btAprBps: number;
  penaltyAprBps: number;
  rewardsProgram: string | null;
  pointsPerDollar: number;
  payWithPoints: boolean;
  pwpValue: number;
  loungeAccess: boolean;
  benefits: BenefitDef[];
  tripProtection: TripProtectionDef;
}

const LOUNGE: BenefitDef = {
  id: 'lounge',
  kind: 'lounge_access',
  name: 'Airport lounge access',
  terms: 'Unlimited visits to Meridian partner lounges for the cardmember; up to two guests at $50 each.',
  annualAmountCents: null,
};
const TRIP: BenefitDef = {
  id: 'trip_protection',
  kind: 'insurance',
  name: 'Trip protection',
  terms: 'Covers eligible trips paid in full with the card. See the trip protection check for limits.',
  annualAmountCents: null,
};

export const PRODUCTS: ProductDef[] = [
  {
    id: 'platinum',
    name: 'Meridian Platinum Card',
    type: 'personal',
    tier: 3,
    annualFeeCents: 69500,
    purchaseAprBps: 2124,
    cashAprBps: 2974,
    btAprBps: 2124,
    penaltyAprBps: 2999,
    rewardsProgram: 'Meridian Rewards',
    pointsPerDollar: 5,
    payWithPoints: true,
    pwpValue: 70,
    loungeAccess: true,
    benefits: [
      {
        id: 'airline_credit',
        kind: 'statement_credit',
        name: 'Airline fee credit',
        terms: 'Up to $200 in statement credits per calendar year for incidental fees charged by airlines.',
        annualAmountCents: 20000,
        category: 'travel',
      },
      LOUNGE,
      TRIP,
    ],
    tripProtection: {
      delay: { minHours: 6, maxCents: 50000 },
      cancellation: { maxCents: 1000000 },
      lost_luggage: { maxCents: 300000 },
    },
  },
  {
    id: 'gold',
    name: 'Meridian Gold Card',
    type: 'personal',
    tier: 2,
    annualFeeCents: 32500,
    purchaseAprBps: 2124,
    cashAprBps: 2974,
    btAprBps: 2124,
    penaltyAprBps: 2999,
    rewardsProgram: 'Meridian Rewards',
    pointsPerDollar: 4,
    payWithPoints: true,
    pwpValue: 70,
    loungeAccess: false,
    benefits: [
      {
        id: 'dining_credit',
        kind: 'statement_credit',
        name: 'Dining credit',
        terms: 'Up to $120 in statement credits per calendar year at participating restaurants ($10 a month).',
        annualAmountCents: 12000,
        category: 'dining',
      },
      TRIP,
    ],
    tripProtection: { delay: { minHours: 12, maxCents: 30000 }, lost_luggage: { maxCents: 125000 } },
  },
  {
    id: 'green',
    name: 'Meridian Green Card',
    type: 'personal',
    tier: 1,
    annualFeeCents: 15000,
    purchaseAprBps: 2124,
    cashAprBps: 2974,
    btAprBps: 2124,
    penaltyAprBps: 2999,
    rewardsProgram: 'Meridian Rewards',
    pointsPerDollar: 3,
    payWithPoints: true,
    pwpValue: 60,
    loungeAccess: false,
    benefits: [TRIP],
    tripProtection: { delay: { minHours: 12, maxCents: 30000 } },
  },
  {
    id: 'blue_cash',
    name: 'Meridian Blue Cash',
    type: 'personal',
    tier: 1,
    annualFeeCents: 0,
    purchaseAprBps: 1924,
    cashAprBps: 2974,
    btAprBps: 1924,
    penaltyAprBps: 2999,
    rewardsProgram: 'Blue Cash Back',
    pointsPerDollar: 1,
    payWithPoints: false,
    pwpValue: 100,
    loungeAccess: false,
    benefits: [],
    tripProtection: {},
  },
  {
    id: 'business_platinum',
    name: 'Meridian Business Platinum',
    type: 'business',
    tier: 3,
    annualFeeCents: 69500,
    purchaseAprBps: 1949,
    cashAprBps: 2974,
    btAprBps: 1949,
    penaltyAprBps: 2999,
    rewardsProgram: 'Meridian Rewards',
    pointsPerDollar: 5,
    payWithPoints: true,
    pwpValue: 70,
    loungeAccess: true,
    benefits: [LOUNGE, TRIP],
    tripProtection: {
      delay: { minHours: 6, maxCents: 50000 },
      cancellation: { maxCents: 1000000 },
      lost_luggage: { maxCents: 300000 },
    },
  },
  {
    id: 'business_gold',
    name: 'Meridian Business Gold',
    type: 'business',
    tier: 2,
    annualFeeCents: 37500,
    purchaseAprBps: 1949,
    cashAprBps: 2974,
    btAprBps: 1949,
    penaltyAprBps: 2999,
    rewardsProgram: 'Meridian Rewards',
    pointsPerDollar: 4,
    payWithPoints: true,
    pwpValue: 70,
    loungeAccess: false,
    benefits: [TRIP],
    tripProtection: { delay: { minHours: 12, maxCents: 30000 }, lost_luggage: { maxCents: 125000 } },
  },
  {
    id: 'corporate',
    name: 'Meridian Corporate Card',
    type: 'corporate',
    tier: 2,
    annualFeeCents: 0,
    purchaseAprBps: 0,
    cashAprBps: 0,
    btAprBps: 0,
    penaltyAprBps: 0,
    rewardsProgram: null,
    pointsPerDollar: 0,
    payWithPoints: false,
    pwpValue: 0,
    loungeAccess: false,
    benefits: [TRIP],
    tripProtection: {
      delay: { minHours: 6, maxCents: 50000 },
      cancellation: { maxCents: 500000 },
      lost_luggage: { maxCents: 300000 },
    },
  },
];

export const productByName = (name: string) => PRODUCTS.find((p) => p.name === name);

export function productRow(p: ProductDef): ProductsTable {
  return {
    id: p.id,
    name: p.name,
    type: p.type,
    tier: p.tier,
    annual_fee_cents: p.annualFeeCents,
    purchase_apr_bps: p.purchaseAprBps,
    cash_apr_bps: p.cashAprBps,
    bt_apr_bps: p.btAprBps,
    penalty_apr_bps: p.penaltyAprBps,
    rewards_program: p.rewardsProgram,
    points_per_dollar: p.pointsPerDollar,
    pay_with_points: p.payWithPoints ? 1 : 0,
    pwp_value: p.pwpValue,
    lounge_access: p.loungeAccess ? 1 : 0,
    benefits: JSON.stringify(p.benefits),
    trip_protection: JSON.stringify(p.tripProtection),
  };
}

/** Inserts missing catalog products (idempotent). */
export async function ensureProducts(db: Db): Promise<void> {
  const have = new Set((await db.selectFrom('products').select('id').execute()).map((r) => r.id));
  const missing = PRODUCTS.filter((p) => !have.has(p.id)).map(productRow);
  if (missing.length) await db.insertInto('products').values(missing).execute();
}
