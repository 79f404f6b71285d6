/**
 * Account data as the accounts port returns it and the console shows it: one source of truth for the
 * server and every client. Only the last 4 digits of a card number ever appear here.
 * Money is integer cents; dates are YYYY-MM-DD; timestamps ISO-8601 UTC.
 */

export interface Money {
  amountCents: number;
  currency: string;
}

// ------------------------------------------------------------------ profile

export interface Address {
  id: string;
  kind: 'home' | 'mailing' | 'business';
  line1: string;
  line2: string | null;
  city: string;
  state: string;
  zip: string;
  country: string;
  primary: boolean;
}
export type AddressInput = Omit<Address, 'id' | 'primary'>;

export interface CommunicationPreferences {
  paperlessStatements: boolean;
  alertChannels: Array<'email' | 'sms' | 'push'>;
  marketingOptIn: boolean;
  /** Language for letters and secure messages. */
  language: 'en' | 'es';
}

export interface RegisteredDevice {
  id: string;
  name: string;
  platform: 'ios' | 'android' | 'web';
  pushEnabled: boolean;
  registeredAt: string;
}

export interface CardmemberProfile {
  id: string;
  firstName: string;
  lastName: string;
  preferredLanguage: 'en' | 'es';
  email: string;
  /** E.164, e.g. +12125550142. */
  phone: string;
  addresses: Address[];
  communication: CommunicationPreferences;
  devices: RegisteredDevice[];
  /** Free text the cardmember asked us to keep in mind (e.g. "prefers written follow-up"). */
  accommodationsNote: string | null;
}

export interface ContactUpdate {
  email?: string;
  phone?: string;
  /** Replaces the address of that kind (or adds it). */
  address?: AddressInput;
}

// ------------------------------------------------------------------ products, accounts, cards

export type ProductType = 'personal' | 'business' | 'corporate';

export interface Product {
  id: string;
  name: string;
  type: ProductType;
  annualFeeCents: number;
  rewardsProgram: string | null;
  payWithPoints: boolean;
  loungeAccess: boolean;
}

export type CardStatus = 'active' | 'locked' | 'lost' | 'stolen' | 'damaged' | 'replaced' | 'closed';

export interface CardSummary {
  id: string;
  accountId: string;
  last4: string;
  product: Product;
  status: CardStatus;
  /** A replacement that has not been activated yet. */
  activated: boolean;
  role: 'primary' | 'authorized_user';
  holderName: string;
  /** MM/YY */
  expiry: string;
}

export interface WalletToken {
  id: string;
  cardId: string;
  wallet: 'apple_pay' | 'google_pay';
  deviceName: string;
  status: 'active' | 'suspended';
  createdAt: string;
  suspendedAt: string | null;
}

export interface CardDetail extends CardSummary {
  walletTokens: WalletToken[];
  replacements: Replacement[];
}

export type ShippingMethod = 'standard' | 'expedited';

export interface Replacement {
  id: string;
  /** The card being replaced. */
  cardId: string;
  /** The card that was issued; for damaged cards the same number (same last 4). */
  newCardId: string;
  newCardLast4: string;
  reason: 'lost' | 'stolen' | 'damaged';
  method: ShippingMethod;
  status: 'ordered' | 'shipped' | 'delivered';
  shipTo: { line1: string; city: string; state: string; zip: string };
  orderedAt: string;
  estimatedDelivery: string;
  deliveredOn: string | null;
}

export interface LockResult {
  card: CardSummary;
  /** False when the card was already in the requested state (nothing changed). */
  changed: boolean;
}

export interface LostStolenResult {
  /** The old card, now lost/stolen: its number can never be used again. */
  closedCard: CardSummary;
  newCard: CardSummary;
  replacement: Replacement;
  suspendedWalletTokens: number;
}

// ------------------------------------------------------------------ billing

export interface Transaction {
  id: string;
  cardId: string;
  cardLast4: string;
  /** The day the purchase happened. */
  date: string;
  postedOn: string | null;
  merchant: string;
  category: string;
  amount: Money;
  status: 'pending' | 'posted';
  /** The statement on which the charge first appeared (null while pending / before closing). */
  statementId: string | null;
  foreign: boolean;
  redeemedWithPoints: boolean;
}

export interface TransactionFilter {
  cardId?: string;
  merchant?: string;
  minAmountCents?: number;
  maxAmountCents?: number;
  from?: string;
  to?: string;
  status?: 'pending' | 'posted';
  limit?: number;
}

export interface Statement {
  id: string;
  accountId: string;
  periodStart: string;
  closingDate: string;
  dueDate: string;
  previousBalanceCents: number;
  paymentsAndCreditsCents: number;
  purchasesCents: number;
  feesCents: number;
  interestCents: number;
  newBalanceCents: number;
  minimumDueCents: number;
}

export interface BillingSummary {
  accountId: string;
  currentBalanceCents: number;
  statementBalanceCents: number;
  minimumDueCents: number;
  /** Remaining minimum after payments since the statement. */
  remainingMinimumDueCents: number;
  dueDate: string;
  dueDay: number;
  pastDue: boolean;
  creditLimitCents: number;
  availableCreditCents: number;
  /**
   * Amounts of open (or acknowledged) disputes on billed charges: not collectible while the dispute
   * is open (Reg Z 1026.13(d)), so the minimum due (and being past due) leaves them out.
   */
  disputedCents: number;
  lastPayment: Payment | null;
}

export interface Payment {
  id: string;
  accountId: string;
  amountCents: number;
  status: 'scheduled' | 'processing' | 'posted' | 'returned';
  scheduledFor: string;
  postedOn: string | null;
  fromBankLast4: string;
  createdAt: string;
}

export interface DueDateChangeResult {
  accountId: string;
  previousDueDay: number;
  newDueDay: number;
  /** The first due date on the new day. */
  effectiveDueDate: string;
}

export interface Fee {
  id: string;
  accountId: string;
  kind: 'late' | 'annual' | 'foreign_transaction' | 'returned_payment';
  amountCents: number;
  assessedOn: string;
  reversedOn: string | null;
}

export interface GoodwillResult {
  fee: Fee;
  creditCents: number;
  /** The policy that allowed it, in words the assistant can repeat. */
  policy: string;
}

export interface DisputeEligibility {
  transactionId: string;
  eligible: boolean;
  /** Why not, when not: `pending`, `window_closed`, `already_disputed`, `not_a_charge`. */
  reason: string | null;
  statementClosingDate: string | null;
  /** Last day a billing-error notice is timely (60 days after the statement's closing date). */
  deadline: string | null;
  daysRemaining: number | null;
}

// ------------------------------------------------------------------ disputes

/** What the cardmember says is wrong with the charge. */
export type DisputeReason = 'unauthorized' | 'duplicate' | 'not_received' | 'wrong_amount' | 'cancelled';

export type DisputeStatus = 'open' | 'acknowledged' | 'resolved_in_favor' | 'resolved_against' | 'withdrawn';

/** A billing-error dispute of one charge (Fair Credit Billing Act). */
export interface Dispute {
  id: string;
  /** What the cardmember quotes, e.g. `DSP-7K2M9QXA`. */
  reference: string;
  cardId: string;
  cardLast4: string;
  transactionId: string;
  merchant: string;
  /** The amount held out of collection while the dispute is open. */
  amountCents: number;
  reason: DisputeReason;
  description: string | null;
  status: DisputeStatus;
  /** The day the cardmember told us: the FCBA clocks start here. */
  noticeDate: string;
  /** The statement the charge first appeared on; null when it was not billed yet. */
  statementClosingDate: string | null;
  /** Written acknowledgement due (notice + 30 days). */
  acknowledgeBy: string;
  /** Resolution due: two complete billing cycles after the notice, never more than 90 days. */
  resolveBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface OpenDisputeInput {
  transactionId: string;
  reason: DisputeReason;
  /** The cardmember's own words, up to 1000 characters. */
  description?: string;
  /** When the cardmember told us, if not today (e.g. a letter that arrived earlier). */
  noticeDate?: string;
}

// ------------------------------------------------------------------ rewards and benefits

export interface RewardsSummary {
  accountId: string;
  program: string;
  balancePoints: number;
  pendingPoints: number;
  /** Value of one point in Pay with Points, in hundredths of a cent (e.g. 70 = 0.7 cents). */
  payWithPointsValue: number;
}

export interface PayWithPointsResult {
  transactionId: string;
  pointsRedeemed: number;
  creditCents: number;
  balancePoints: number;
}

export interface Benefit {
  id: string;
  kind: 'statement_credit' | 'lounge_access' | 'insurance';
  name: string;
  terms: string;
  /** For statement credits: yearly amount and how much of it this year's charges used. */
  annualAmountCents: number | null;
  usedThisYearCents: number | null;
}

// ------------------------------------------------------------------ authorized users

export interface AuthorizedUser {
  id: string;
  accountId: string;
  firstName: string;
  lastName: string;
  cardId: string;
  cardLast4: string;
  status: 'active' | 'removed';
  addedOn: string;
}

export interface NewAuthorizedUser {
  /** A primary card of the account the user is added to. */
  cardId: string;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
}

// ------------------------------------------------------------------ credit

export interface CreditLimitInfo {
  accountId: string;
  creditLimitCents: number;
  availableCreditCents: number;
  currentBalanceCents: number;
}

export interface CreditLimitEligibility {
  accountId: string;
  eligible: boolean;
  /** Rule ids that failed, e.g. `account_too_new`, `recent_late_payment`, `recent_increase`. */
  reasons: string[];
  maxNewLimitCents: number | null;
}

export interface CreditLimitDecision {
  accountId: string;
  decision: 'approved' | 'declined';
  previousLimitCents: number;
  newLimitCents: number;
  reasons: string[];
}

export interface AprDisclosure {
  accountId: string;
  purchaseAprBps: number;
  cashAdvanceAprBps: number;
  balanceTransferAprBps: number;
  penaltyAprBps: number;
  variable: boolean;
  /** The prime rate the variable APRs are based on, in basis points. */
  primeRateBps: number;
  text: string;
}

export interface ProductChangeInfo {
  current: Product;
  options: Array<{ product: Product; change: 'upgrade' | 'downgrade' | 'lateral'; eligible: boolean; note: string }>;
}

// ------------------------------------------------------------------ travel

export interface TravelSegment {
  kind: 'flight' | 'hotel' | 'car';
  /** Flight: "NY JFK -> LIS", hotel: name and city, car: company and city. */
  description: string;
  start: string;
  end: string;
  status: 'scheduled' | 'delayed' | 'cancelled' | 'completed';
  /** Flight number, hotel confirmation... */
  reference: string;
}

export interface TravelBooking {
  id: string;
  reference: string;
  cardId: string;
  cardLast4: string;
  totalCents: number;
  paidWithCard: boolean;
  bookedOn: string;
  segments: TravelSegment[];
}

export type TripEvent = 'delay' | 'cancellation' | 'lost_luggage';

export interface TripProtectionCheck {
  bookingId: string;
  event: TripEvent;
  covered: boolean;
  /** Why not, when not: `not_paid_with_card`, `not_covered_by_product`, `delay_too_short`. */
  reason: string | null;
  maxBenefitCents: number;
  /** E.g. "Delay of 6 hours or more", "Receipts for meals and lodging". */
  conditions: string[];
}

export interface TravelNotice {
  id: string;
  destinations: string[];
  startOn: string;
  endOn: string;
  createdAt: string;
}
