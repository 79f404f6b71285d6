/** Embedded accounts core: billing operations. */
import {
  AccountsError,
  type BillingSummary,
  type Caller,
  type DisputeEligibility,
  type DueDateChangeResult,
  type Fee,
  type GoodwillResult,
  type Payment,
  type Statement,
  type Transaction,
  type TransactionFilter,
} from '../accounts.port.js';
import type { OpsContext } from './context.js';

/** See AccountsPort.listTransactions. */
export async function listTransactions(
  _ctx: OpsContext,
  _caller: Caller,
  _filter?: TransactionFilter,
): Promise<Transaction[]> {
  throw new AccountsError('unavailable', 'listTransactions is not implemented yet.');
}

/** See AccountsPort.listStatements. */
export async function listStatements(_ctx: OpsContext, _caller: Caller, _cardId: string): Promise<Statement[]> {
  throw new AccountsError('unavailable', 'listStatements is not implemented yet.');
}

/** See AccountsPort.getBillingSummary. */
export async function getBillingSummary(_ctx: OpsContext, _caller: Caller, _cardId: string): Promise<BillingSummary> {
  throw new AccountsError('unavailable', 'getBillingSummary is not implemented yet.');
}

/** See AccountsPort.listPayments. */
export async function listPayments(_ctx: OpsContext, _caller: Caller, _cardId: string): Promise<Payment[]> {
  throw new AccountsError('unavailable', 'listPayments is not implemented yet.');
}

/** See AccountsPort.schedulePayment. */
export async function schedulePayment(
  _ctx: OpsContext,
  _caller: Caller,
  _input: { cardId: string; amountCents: number; date: string },
  _idempotencyKey: string,
): Promise<Payment> {
  throw new AccountsError('unavailable', 'schedulePayment is not implemented yet.');
}

/** See AccountsPort.changeDueDate. */
export async function changeDueDate(
  _ctx: OpsContext,
  _caller: Caller,
  _input: { cardId: string; newDueDay: number },
  _idempotencyKey: string,
): Promise<DueDateChangeResult> {
  throw new AccountsError('unavailable', 'changeDueDate is not implemented yet.');
}

/** See AccountsPort.listFees. */
export async function listFees(_ctx: OpsContext, _caller: Caller, _cardId: string): Promise<Fee[]> {
  throw new AccountsError('unavailable', 'listFees is not implemented yet.');
}

/** See AccountsPort.requestLateFeeGoodwill. */
export async function requestLateFeeGoodwill(
  _ctx: OpsContext,
  _caller: Caller,
  _input: { cardId: string; feeId?: string },
  _idempotencyKey: string,
): Promise<GoodwillResult> {
  throw new AccountsError('unavailable', 'requestLateFeeGoodwill is not implemented yet.');
}

/** See AccountsPort.checkDisputeEligibility. */
export async function checkDisputeEligibility(
  _ctx: OpsContext,
  _caller: Caller,
  _transactionId: string,
): Promise<DisputeEligibility> {
  throw new AccountsError('unavailable', 'checkDisputeEligibility is not implemented yet.');
}
