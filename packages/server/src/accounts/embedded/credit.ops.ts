/** Embedded accounts core: credit operations. */
import {
  AccountsError,
  type AprDisclosure,
  type Caller,
  type CreditLimitDecision,
  type CreditLimitEligibility,
  type CreditLimitInfo,
  type ProductChangeInfo,
} from '../accounts.port.js';
import type { OpsContext } from './context.js';

/** See AccountsPort.getCreditLimit. */
export async function getCreditLimit(_ctx: OpsContext, _caller: Caller, _cardId: string): Promise<CreditLimitInfo> {
  throw new AccountsError('unavailable', 'getCreditLimit is not implemented yet.');
}

/** See AccountsPort.checkCreditLimitIncrease. */
export async function checkCreditLimitIncrease(
  _ctx: OpsContext,
  _caller: Caller,
  _cardId: string,
): Promise<CreditLimitEligibility> {
  throw new AccountsError('unavailable', 'checkCreditLimitIncrease is not implemented yet.');
}

/** See AccountsPort.requestCreditLimitIncrease. */
export async function requestCreditLimitIncrease(
  _ctx: OpsContext,
  _caller: Caller,
  _input: { cardId: string; requestedLimitCents: number; annualIncomeCents: number },
  _idempotencyKey: string,
): Promise<CreditLimitDecision> {
  throw new AccountsError('unavailable', 'requestCreditLimitIncrease is not implemented yet.');
}

/** See AccountsPort.getAprDisclosures. */
export async function getAprDisclosures(_ctx: OpsContext, _caller: Caller, _cardId: string): Promise<AprDisclosure> {
  throw new AccountsError('unavailable', 'getAprDisclosures is not implemented yet.');
}

/** See AccountsPort.getProductChangeInfo. */
export async function getProductChangeInfo(
  _ctx: OpsContext,
  _caller: Caller,
  _cardId: string,
): Promise<ProductChangeInfo> {
  throw new AccountsError('unavailable', 'getProductChangeInfo is not implemented yet.');
}
