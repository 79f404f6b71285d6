/**
 * Rewards and benefits rules as pure functions: Pay with Points eligibility and cost, and how much of a
 * yearly statement credit has been used. Inputs in, a decision out; no database, no clock.
 */

/** A rule's answer: the value, or the business rule (id and a sentence the assistant can repeat) that refused. */
export type RewardsDecision<T> =
  { ok: true; value: T } | { ok: false; rule: string; message: string; details?: Record<string, unknown> };

const refuse = (rule: string, message: string, details?: Record<string, unknown>): RewardsDecision<never> => ({
  ok: false,
  rule,
  message,
  ...(details ? { details } : {}),
});

/** A product without a rewards program has no points to show (`no_rewards_program`). */
export function checkRewardsProgram(program: string | null): RewardsDecision<string> {
  if (!program) return refuse('no_rewards_program', 'This card does not earn rewards points.');
  return { ok: true, value: program };
}

// ------------------------------------------------------------------ Pay with Points

/** How old (in days since the purchase date) a charge may be and still be paid with points. */
export const PWP_WINDOW_DAYS = 90;
/**
 * Charge categories Pay with Points covers. Flights and hotels booked with the card post in the
 * `travel` category; everything else (dining, groceries, airline incidentals billed as other) does not.
 */
export const PWP_CATEGORIES: readonly string[] = ['travel'];

/**
 * Points needed to cover `amountCents` when one point is worth `pwpValue` hundredths of a cent:
 * ceil(amount * 100 / value), in integers so no floating-point rounding can undercharge.
 */
export function pointsNeeded(amountCents: number, pwpValue: number): number {
  if (!Number.isSafeInteger(amountCents) || amountCents <= 0) throw new RangeError('amountCents must be positive');
  if (!Number.isSafeInteger(pwpValue) || pwpValue <= 0) throw new RangeError('pwpValue must be positive');
  return Math.floor((amountCents * 100 + pwpValue - 1) / pwpValue);
}

export interface PayWithPointsInput {
  product: { payWithPoints: boolean; pwpValue: number };
  charge: {
    status: 'pending' | 'posted' | string;
    amountCents: number;
    category: string;
    /** The day the purchase happened (YYYY-MM-DD). */
    date: string;
    redeemed: boolean;
  };
  /** Days from the purchase date to today (today minus date). */
  ageDays: number;
  /** Points available; omit to check everything except the balance (eligibility listing). */
  balancePoints?: number;
}

/**
 * Can this charge be paid with points? The product must offer it; the charge must be a posted,
 * positive travel purchase made within the last 90 days and not already redeemed; the balance must
 * cover ceil(amount * 100 / pwp_value) points.
 */
export function evaluatePayWithPoints(i: PayWithPointsInput): RewardsDecision<{ points: number; creditCents: number }> {
  if (!i.product.payWithPoints || !(i.product.pwpValue > 0))
    return refuse('pay_with_points_unavailable', 'Pay with Points is not available on this card.');
  // Only a settled amount can be credited; a pending charge can still change or drop off.
  if (i.charge.status !== 'posted')
    return refuse('charge_pending', 'That charge is still pending. You can pay it with points once it posts.');
  if (!(i.charge.amountCents > 0))
    return refuse('not_a_purchase', 'Only purchases can be paid with points, not refunds or credits.');
  if (!PWP_CATEGORIES.includes(i.charge.category))
    return refuse(
      'not_travel_charge',
      'Pay with Points covers travel charges only, such as flights and hotels booked with the card.',
      { category: i.charge.category },
    );
  if (i.charge.redeemed) return refuse('already_redeemed', 'That charge has already been paid with points.');
  // Program terms: the redemption window closes 90 days after the purchase date.
  if (i.ageDays > PWP_WINDOW_DAYS)
    return refuse(
      'charge_too_old',
      `Only charges from the last ${PWP_WINDOW_DAYS} days can be paid with points, and this one is older.`,
      { ageDays: i.ageDays, windowDays: PWP_WINDOW_DAYS },
    );
  const points = pointsNeeded(i.charge.amountCents, i.product.pwpValue);
  if (i.balancePoints !== undefined && i.balancePoints < points)
    return refuse(
      'insufficient_points',
      `Paying this charge takes ${points.toLocaleString('en-US')} points, and you have ${i.balancePoints.toLocaleString('en-US')}.`,
      { needed: points, available: i.balancePoints },
    );
  return { ok: true, value: { points, creditCents: i.charge.amountCents } };
}

// ------------------------------------------------------------------ benefits

export interface BenefitDefinition {
  id: string;
  kind: 'statement_credit' | 'lounge_access' | 'insurance';
  name: string;
  terms: string;
  annualAmountCents: number | null;
}

/** Reads a product's benefits JSON; malformed entries are skipped rather than shown half-built. */
export function parseBenefits(json: string | null): BenefitDefinition[] {
  let v: unknown;
  try {
    v = JSON.parse(json ?? '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(v)) return [];
  const out: BenefitDefinition[] = [];
  for (const b of v as Array<Record<string, unknown>>) {
    if (!b || typeof b !== 'object') continue;
    const { id, kind, name, terms, annualAmountCents } = b;
    if (typeof id !== 'string' || typeof name !== 'string' || typeof terms !== 'string') continue;
    if (kind !== 'statement_credit' && kind !== 'lounge_access' && kind !== 'insurance') continue;
    out.push({
      id,
      kind,
      name,
      terms,
      annualAmountCents: typeof annualAmountCents === 'number' ? annualAmountCents : null,
    });
  }
  return out;
}

/**
 * How much of a yearly statement credit was used in `year`: the statement credits posted that calendar
 * year with this benefit as reference, never more than the yearly amount (the benefit resets on 1 January).
 */
export function statementCreditUsed(
  benefit: { id: string; annualAmountCents: number | null },
  credits: ReadonlyArray<{ kind: string; amountCents: number; postedOn: string; reference: string | null }>,
  year: number,
): number {
  const prefix = `${String(year).padStart(4, '0')}-`;
  const used = credits
    .filter((c) => c.kind === 'statement_credit' && c.reference === benefit.id && c.postedOn.startsWith(prefix))
    .reduce((sum, c) => sum + c.amountCents, 0);
  const cap = benefit.annualAmountCents ?? 0;
  return Math.max(0, Math.min(used, cap));
}
