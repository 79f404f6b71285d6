/**
 * Step-up policy: which accounts-port operations need a `verified` conversation, how long
 * verification lasts, and the one check every conversation-scoped caller (assistant and agents alike)
 * goes through before a sensitive operation. Pure: no store, no clock of its own.
 */
import type { Assurance, AssuranceLevel, DevicePromptView, StepUpMethod } from '@carechat/protocol';
import type { AccountsPort } from '../accounts/accounts.port.js';
import { AppError } from '../shared/errors.js';

/** A passed step-up counts for this long in the conversation it happened in. */
export const VERIFIED_FOR_MS = 15 * 60_000;
/** A device prompt can be answered for this long. */
export const DEVICE_PROMPT_TTL_MS = 2 * 60_000;
/** Wrong last-4 + ZIP answers allowed before the challenge locks... */
export const CHALLENGE_MAX_FAILURES = 3;
/** ...for this long. */
export const CHALLENGE_LOCKOUT_MS = 15 * 60_000;
/** At most this many device prompts per conversation in PROMPT_WINDOW_MS (no prompt bombing). */
export const MAX_PROMPTS_PER_WINDOW = 5;
export const PROMPT_WINDOW_MS = 15 * 60_000;

export type AccountOperation = keyof AccountsPort;

/**
 * The assurance each port operation needs when it acts for a chat. A `Record` over every port method,
 * so a new method cannot be added without deciding here. Sensitive: changing how we reach the
 * cardmember, who else can spend on the account, how much credit they have, and travel changes.
 */
export const REQUIRED_ASSURANCE: Readonly<Record<AccountOperation, AssuranceLevel>> = {
  // profile
  getProfile: 'session',
  updateContact: 'verified',
  updateCommunicationPreferences: 'session',
  // cards (locking and reporting a lost card must stay quick: they protect the cardmember)
  listCards: 'session',
  getCard: 'session',
  lockCard: 'session',
  unlockCard: 'session',
  activateCard: 'session',
  reportLostOrStolen: 'session',
  replaceDamaged: 'session',
  listReplacements: 'session',
  listWalletTokens: 'session',
  // billing
  listTransactions: 'session',
  listStatements: 'session',
  getBillingSummary: 'session',
  listPayments: 'session',
  schedulePayment: 'session',
  changeDueDate: 'session',
  listFees: 'session',
  requestLateFeeGoodwill: 'session',
  checkDisputeEligibility: 'session',
  // disputes (opening one moves no money and changes nobody's access)
  openDispute: 'session',
  listDisputes: 'session',
  getDispute: 'session',
  // rewards and benefits
  getRewards: 'session',
  listPayWithPointsEligible: 'session',
  redeemPayWithPoints: 'session',
  listBenefits: 'session',
  // authorized users
  listAuthorizedUsers: 'session',
  addAuthorizedUser: 'verified',
  removeAuthorizedUser: 'verified',
  // credit
  getCreditLimit: 'session',
  checkCreditLimitIncrease: 'session',
  requestCreditLimitIncrease: 'verified',
  getAprDisclosures: 'session',
  getProductChangeInfo: 'session',
  // travel
  listTravelBookings: 'session',
  getItinerary: 'session',
  checkTripProtection: 'session',
  addTravelNotice: 'verified',
};

/** The operations that need a `verified` conversation. */
export const SENSITIVE_OPERATIONS: readonly AccountOperation[] = (
  Object.keys(REQUIRED_ASSURANCE) as AccountOperation[]
).filter((op) => REQUIRED_ASSURANCE[op] === 'verified');

export const isSensitive = (op: AccountOperation): boolean => REQUIRED_ASSURANCE[op] === 'verified';

/** The stored step-up state of a conversation (columns of `conversations`). */
export interface AssuranceState {
  assurance_level?: string | null;
  assurance_method?: string | null;
  assurance_expires_at?: string | null;
}

/** The level that holds at `now`: `verified` lapses back to `session` when it expires. */
export function effectiveLevel(c: AssuranceState, now: Date): AssuranceLevel {
  return c.assurance_level === 'verified' && !!c.assurance_expires_at && c.assurance_expires_at > now.toISOString()
    ? 'verified'
    : 'session';
}

/** The wire shape of a conversation's assurance at `now` (an expired pending prompt reads `expired`). */
export function presentAssurance(c: AssuranceState, prompt: DevicePromptView | null, now: Date): Assurance {
  const level = effectiveLevel(c, now);
  const shownPrompt =
    prompt && prompt.status === 'pending' && prompt.expiresAt <= now.toISOString()
      ? { ...prompt, status: 'expired' as const }
      : prompt;
  return {
    level,
    expiresAt: level === 'verified' ? (c.assurance_expires_at ?? null) : null,
    method: level === 'verified' ? ((c.assurance_method as StepUpMethod | null | undefined) ?? null) : null,
    prompt: shownPrompt,
  };
}

/** The typed refusal: 403 `step_up_required`, naming the action and the ways to verify. */
export class StepUpRequiredError extends AppError {
  constructor(
    readonly action: AccountOperation,
    readonly methods: StepUpMethod[],
  ) {
    super('step_up_required', 403, 'The customer needs to verify their identity before this change.', {
      action,
      methods,
    });
    this.name = 'StepUpRequiredError';
  }
}

/**
 * Throws StepUpRequiredError when `action` is sensitive and the conversation is not `verified` at
 * `now`. `methods` are the step-up methods open to this cardmember (device only if they have one).
 */
export function requireVerified(
  conversation: AssuranceState,
  action: AccountOperation,
  now: Date,
  methods: StepUpMethod[] = ['device', 'challenge'],
): void {
  if (!isSensitive(action)) return;
  if (effectiveLevel(conversation, now) === 'verified') return;
  throw new StepUpRequiredError(action, methods);
}
