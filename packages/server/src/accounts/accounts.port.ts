/**
 * The accounts port: the card-account system of record, as carechat sees it. The assistant and the
 * agent console act on accounts only through this interface; a bank plugs its own core in behind it.
 * carechat ships an embedded implementation in its own store (`embedded/`).
 *
 * Rules every implementation must keep (checked by the contract tests in `contract/`):
 * - Only the last 4 digits of a card number ever cross this interface.
 * - Every call names its caller and the cardmember it acts for; a card, account, transaction or
 *   booking of another cardmember is `not_found`, never revealed.
 * - Every mutating call takes an idempotency key: repeating it returns the first result unchanged.
 * - Every mutating call, and every agent read, leaves an audit record (who, what, when, for whom).
 * - Business rules answer with a typed `AccountsError` (`rule_violation` + rule id), never a crash.
 * Money is integer cents; dates are `YYYY-MM-DD`; timestamps ISO-8601 UTC.
 */

// ------------------------------------------------------------------ callers and errors

export interface Caller {
  /** Who acts: the cardmember in the widget, the assistant on their behalf, or an agent. */
  actorType: 'cardmember' | 'assistant' | 'agent' | 'system';
  /** Agent id for agents; null for the assistant; the cardmember id for cardmembers. */
  actorId: string | null;
  /** The cardmember whose accounts are touched. Every lookup is scoped to them. */
  onBehalfOf: string;
  /** The chat the action came from, for the audit trail. */
  conversationId?: string | null;
}

export type AccountsErrorCode = 'not_found' | 'invalid_input' | 'rule_violation' | 'conflict' | 'unavailable';

/** Typed failure from the port. `rule` names the business rule for `rule_violation`. */
export class AccountsError extends Error {
  constructor(
    readonly code: AccountsErrorCode,
    message: string,
    readonly rule?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AccountsError';
  }
}

export type * from '@carechat/protocol/accounts';
import type {
  CommunicationPreferences,
  CardmemberProfile,
  ContactUpdate,
  CardSummary,
  WalletToken,
  CardDetail,
  ShippingMethod,
  Replacement,
  LockResult,
  LostStolenResult,
  Transaction,
  TransactionFilter,
  Statement,
  BillingSummary,
  Payment,
  DueDateChangeResult,
  Fee,
  GoodwillResult,
  DisputeEligibility,
  Dispute,
  OpenDisputeInput,
  RewardsSummary,
  PayWithPointsResult,
  Benefit,
  AuthorizedUser,
  NewAuthorizedUser,
  CreditLimitInfo,
  CreditLimitEligibility,
  CreditLimitDecision,
  AprDisclosure,
  ProductChangeInfo,
  TravelBooking,
  TripEvent,
  TripProtectionCheck,
  TravelNotice,
} from '@carechat/protocol/accounts';

// ------------------------------------------------------------------ the port

export interface AccountsPort {
  // profile
  getProfile(caller: Caller): Promise<CardmemberProfile>;
  updateContact(caller: Caller, update: ContactUpdate, idempotencyKey: string): Promise<CardmemberProfile>;
  updateCommunicationPreferences(
    caller: Caller,
    prefs: Partial<CommunicationPreferences>,
    idempotencyKey: string,
  ): Promise<CommunicationPreferences>;

  // cards
  listCards(caller: Caller): Promise<CardSummary[]>;
  getCard(caller: Caller, cardId: string): Promise<CardDetail>;
  lockCard(caller: Caller, cardId: string, idempotencyKey: string): Promise<LockResult>;
  unlockCard(caller: Caller, cardId: string, idempotencyKey: string): Promise<LockResult>;
  activateCard(caller: Caller, cardId: string, idempotencyKey: string): Promise<CardSummary>;
  reportLostOrStolen(
    caller: Caller,
    input: { cardId: string; reason: 'lost' | 'stolen'; method?: ShippingMethod; addressId?: string },
    idempotencyKey: string,
  ): Promise<LostStolenResult>;
  replaceDamaged(
    caller: Caller,
    input: { cardId: string; method?: ShippingMethod; addressId?: string },
    idempotencyKey: string,
  ): Promise<Replacement>;
  listReplacements(caller: Caller, cardId?: string): Promise<Replacement[]>;
  listWalletTokens(caller: Caller, cardId: string): Promise<WalletToken[]>;

  // billing
  listTransactions(caller: Caller, filter?: TransactionFilter): Promise<Transaction[]>;
  listStatements(caller: Caller, cardId: string): Promise<Statement[]>;
  getBillingSummary(caller: Caller, cardId: string): Promise<BillingSummary>;
  listPayments(caller: Caller, cardId: string): Promise<Payment[]>;
  schedulePayment(
    caller: Caller,
    input: { cardId: string; amountCents: number; date: string },
    idempotencyKey: string,
  ): Promise<Payment>;
  changeDueDate(
    caller: Caller,
    input: { cardId: string; newDueDay: number },
    idempotencyKey: string,
  ): Promise<DueDateChangeResult>;
  listFees(caller: Caller, cardId: string): Promise<Fee[]>;
  requestLateFeeGoodwill(
    caller: Caller,
    input: { cardId: string; feeId?: string },
    idempotencyKey: string,
  ): Promise<GoodwillResult>;
  checkDisputeEligibility(caller: Caller, transactionId: string): Promise<DisputeEligibility>;

  // disputes
  openDispute(caller: Caller, input: OpenDisputeInput, idempotencyKey: string): Promise<Dispute>;
  /** The cardmember's disputes, newest first; with `cardId` only those of that card's charges. */
  listDisputes(caller: Caller, cardId?: string): Promise<Dispute[]>;
  /** By id or by reference (`DSP-...`, any case). */
  getDispute(caller: Caller, disputeIdOrReference: string): Promise<Dispute>;

  // rewards and benefits
  getRewards(caller: Caller, cardId: string): Promise<RewardsSummary>;
  listPayWithPointsEligible(caller: Caller, cardId: string): Promise<Transaction[]>;
  redeemPayWithPoints(
    caller: Caller,
    input: { transactionId: string },
    idempotencyKey: string,
  ): Promise<PayWithPointsResult>;
  listBenefits(caller: Caller, cardId: string): Promise<Benefit[]>;

  // authorized users
  listAuthorizedUsers(caller: Caller, cardId: string): Promise<AuthorizedUser[]>;
  addAuthorizedUser(caller: Caller, input: NewAuthorizedUser, idempotencyKey: string): Promise<AuthorizedUser>;
  removeAuthorizedUser(
    caller: Caller,
    input: { authorizedUserId: string },
    idempotencyKey: string,
  ): Promise<AuthorizedUser>;

  // credit
  getCreditLimit(caller: Caller, cardId: string): Promise<CreditLimitInfo>;
  checkCreditLimitIncrease(caller: Caller, cardId: string): Promise<CreditLimitEligibility>;
  requestCreditLimitIncrease(
    caller: Caller,
    input: { cardId: string; requestedLimitCents: number; annualIncomeCents: number },
    idempotencyKey: string,
  ): Promise<CreditLimitDecision>;
  getAprDisclosures(caller: Caller, cardId: string): Promise<AprDisclosure>;
  getProductChangeInfo(caller: Caller, cardId: string): Promise<ProductChangeInfo>;

  // travel
  listTravelBookings(caller: Caller): Promise<TravelBooking[]>;
  getItinerary(caller: Caller, bookingId: string): Promise<TravelBooking>;
  checkTripProtection(
    caller: Caller,
    input: { bookingId: string; event: TripEvent; delayHours?: number },
  ): Promise<TripProtectionCheck>;
  addTravelNotice(
    caller: Caller,
    input: { destinations: string[]; startOn: string; endOn: string },
    idempotencyKey: string,
  ): Promise<TravelNotice>;
}
