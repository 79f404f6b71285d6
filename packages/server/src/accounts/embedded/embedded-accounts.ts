/**
 * The embedded implementation of the accounts port, on carechat's own store. Each area lives in its
 * own module; this class only binds them to one context.
 */
import type {
  AccountsPort,
  AprDisclosure,
  AuthorizedUser,
  Benefit,
  BillingSummary,
  Caller,
  CardDetail,
  CardSummary,
  CardmemberProfile,
  CommunicationPreferences,
  ContactUpdate,
  CreditLimitDecision,
  CreditLimitEligibility,
  CreditLimitInfo,
  Dispute,
  DisputeEligibility,
  DueDateChangeResult,
  Fee,
  GoodwillResult,
  LockResult,
  LostStolenResult,
  NewAuthorizedUser,
  OpenDisputeInput,
  PayWithPointsResult,
  Payment,
  ProductChangeInfo,
  Replacement,
  RewardsSummary,
  ShippingMethod,
  Statement,
  Transaction,
  TransactionFilter,
  TravelBooking,
  TravelNotice,
  TripEvent,
  TripProtectionCheck,
  WalletToken,
} from '../accounts.port.js';
import * as profile from './profile.ops.js';
import * as cards from './cards.ops.js';
import * as billing from './billing.ops.js';
import * as disputes from './disputes.ops.js';
import * as rewards from './rewards.ops.js';
import * as credit from './credit.ops.js';
import * as travel from './travel.ops.js';
import type { OpsContext } from './context.js';

export class EmbeddedAccounts implements AccountsPort {
  constructor(private readonly ctx: OpsContext) {}

  getProfile(caller: Caller): Promise<CardmemberProfile> {
    return profile.getProfile(this.ctx, caller);
  }

  updateContact(caller: Caller, update: ContactUpdate, idempotencyKey: string): Promise<CardmemberProfile> {
    return profile.updateContact(this.ctx, caller, update, idempotencyKey);
  }

  updateCommunicationPreferences(
    caller: Caller,
    prefs: Partial<CommunicationPreferences>,
    idempotencyKey: string,
  ): Promise<CommunicationPreferences> {
    return profile.updateCommunicationPreferences(this.ctx, caller, prefs, idempotencyKey);
  }

  listAuthorizedUsers(caller: Caller, cardId: string): Promise<AuthorizedUser[]> {
    return profile.listAuthorizedUsers(this.ctx, caller, cardId);
  }

  addAuthorizedUser(caller: Caller, input: NewAuthorizedUser, idempotencyKey: string): Promise<AuthorizedUser> {
    return profile.addAuthorizedUser(this.ctx, caller, input, idempotencyKey);
  }

  removeAuthorizedUser(
    caller: Caller,
    input: { authorizedUserId: string },
    idempotencyKey: string,
  ): Promise<AuthorizedUser> {
    return profile.removeAuthorizedUser(this.ctx, caller, input, idempotencyKey);
  }

  listCards(caller: Caller): Promise<CardSummary[]> {
    return cards.listCards(this.ctx, caller);
  }

  getCard(caller: Caller, cardId: string): Promise<CardDetail> {
    return cards.getCard(this.ctx, caller, cardId);
  }

  lockCard(caller: Caller, cardId: string, idempotencyKey: string): Promise<LockResult> {
    return cards.lockCard(this.ctx, caller, cardId, idempotencyKey);
  }

  unlockCard(caller: Caller, cardId: string, idempotencyKey: string): Promise<LockResult> {
    return cards.unlockCard(this.ctx, caller, cardId, idempotencyKey);
  }

  activateCard(caller: Caller, cardId: string, idempotencyKey: string): Promise<CardSummary> {
    return cards.activateCard(this.ctx, caller, cardId, idempotencyKey);
  }

  reportLostOrStolen(
    caller: Caller,
    input: { cardId: string; reason: 'lost' | 'stolen'; method?: ShippingMethod; addressId?: string },
    idempotencyKey: string,
  ): Promise<LostStolenResult> {
    return cards.reportLostOrStolen(this.ctx, caller, input, idempotencyKey);
  }

  replaceDamaged(
    caller: Caller,
    input: { cardId: string; method?: ShippingMethod; addressId?: string },
    idempotencyKey: string,
  ): Promise<Replacement> {
    return cards.replaceDamaged(this.ctx, caller, input, idempotencyKey);
  }

  listReplacements(caller: Caller, cardId?: string): Promise<Replacement[]> {
    return cards.listReplacements(this.ctx, caller, cardId);
  }

  listWalletTokens(caller: Caller, cardId: string): Promise<WalletToken[]> {
    return cards.listWalletTokens(this.ctx, caller, cardId);
  }

  listTransactions(caller: Caller, filter?: TransactionFilter): Promise<Transaction[]> {
    return billing.listTransactions(this.ctx, caller, filter);
  }

  listStatements(caller: Caller, cardId: string): Promise<Statement[]> {
    return billing.listStatements(this.ctx, caller, cardId);
  }

  getBillingSummary(caller: Caller, cardId: string): Promise<BillingSummary> {
    return billing.getBillingSummary(this.ctx, caller, cardId);
  }

  listPayments(caller: Caller, cardId: string): Promise<Payment[]> {
    return billing.listPayments(this.ctx, caller, cardId);
  }

  schedulePayment(
    caller: Caller,
    input: { cardId: string; amountCents: number; date: string },
    idempotencyKey: string,
  ): Promise<Payment> {
    return billing.schedulePayment(this.ctx, caller, input, idempotencyKey);
  }

  changeDueDate(
    caller: Caller,
    input: { cardId: string; newDueDay: number },
    idempotencyKey: string,
  ): Promise<DueDateChangeResult> {
    return billing.changeDueDate(this.ctx, caller, input, idempotencyKey);
  }

  listFees(caller: Caller, cardId: string): Promise<Fee[]> {
    return billing.listFees(this.ctx, caller, cardId);
  }

  requestLateFeeGoodwill(
    caller: Caller,
    input: { cardId: string; feeId?: string },
    idempotencyKey: string,
  ): Promise<GoodwillResult> {
    return billing.requestLateFeeGoodwill(this.ctx, caller, input, idempotencyKey);
  }

  checkDisputeEligibility(caller: Caller, transactionId: string): Promise<DisputeEligibility> {
    return billing.checkDisputeEligibility(this.ctx, caller, transactionId);
  }

  openDispute(caller: Caller, input: OpenDisputeInput, idempotencyKey: string): Promise<Dispute> {
    return disputes.openDispute(this.ctx, caller, input, idempotencyKey);
  }

  listDisputes(caller: Caller, cardId?: string): Promise<Dispute[]> {
    return disputes.listDisputes(this.ctx, caller, cardId);
  }

  getDispute(caller: Caller, disputeIdOrReference: string): Promise<Dispute> {
    return disputes.getDispute(this.ctx, caller, disputeIdOrReference);
  }

  getRewards(caller: Caller, cardId: string): Promise<RewardsSummary> {
    return rewards.getRewards(this.ctx, caller, cardId);
  }

  listPayWithPointsEligible(caller: Caller, cardId: string): Promise<Transaction[]> {
    return rewards.listPayWithPointsEligible(this.ctx, caller, cardId);
  }

  redeemPayWithPoints(
    caller: Caller,
    input: { transactionId: string },
    idempotencyKey: string,
  ): Promise<PayWithPointsResult> {
    return rewards.redeemPayWithPoints(this.ctx, caller, input, idempotencyKey);
  }

  listBenefits(caller: Caller, cardId: string): Promise<Benefit[]> {
    return rewards.listBenefits(this.ctx, caller, cardId);
  }

  getCreditLimit(caller: Caller, cardId: string): Promise<CreditLimitInfo> {
    return credit.getCreditLimit(this.ctx, caller, cardId);
  }

  checkCreditLimitIncrease(caller: Caller, cardId: string): Promise<CreditLimitEligibility> {
    return credit.checkCreditLimitIncrease(this.ctx, caller, cardId);
  }

  requestCreditLimitIncrease(
    caller: Caller,
    input: { cardId: string; requestedLimitCents: number; annualIncomeCents: number },
    idempotencyKey: string,
  ): Promise<CreditLimitDecision> {
    return credit.requestCreditLimitIncrease(this.ctx, caller, input, idempotencyKey);
  }

  getAprDisclosures(caller: Caller, cardId: string): Promise<AprDisclosure> {
    return credit.getAprDisclosures(this.ctx, caller, cardId);
  }

  getProductChangeInfo(caller: Caller, cardId: string): Promise<ProductChangeInfo> {
    return credit.getProductChangeInfo(this.ctx, caller, cardId);
  }

  listTravelBookings(caller: Caller): Promise<TravelBooking[]> {
    return travel.listTravelBookings(this.ctx, caller);
  }

  getItinerary(caller: Caller, bookingId: string): Promise<TravelBooking> {
    return travel.getItinerary(this.ctx, caller, bookingId);
  }

  checkTripProtection(
    caller: Caller,
    input: { bookingId: string; event: TripEvent; delayHours?: number },
  ): Promise<TripProtectionCheck> {
    return travel.checkTripProtection(this.ctx, caller, input);
  }

  addTravelNotice(
    caller: Caller,
    input: { destinations: string[]; startOn: string; endOn: string },
    idempotencyKey: string,
  ): Promise<TravelNotice> {
    return travel.addTravelNotice(this.ctx, caller, input, idempotencyKey);
  }
}
