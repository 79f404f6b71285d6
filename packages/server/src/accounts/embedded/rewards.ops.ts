/** Embedded accounts core: rewards operations. */
import {
  AccountsError,
  type Benefit,
  type Caller,
  type PayWithPointsResult,
  type RewardsSummary,
  type Transaction,
} from '../accounts.port.js';
import type { OpsContext } from './context.js';

/** See AccountsPort.getRewards. */
export async function getRewards(_ctx: OpsContext, _caller: Caller, _cardId: string): Promise<RewardsSummary> {
  throw new AccountsError('unavailable', 'getRewards is not implemented yet.');
}

/** See AccountsPort.listPayWithPointsEligible. */
export async function listPayWithPointsEligible(
  _ctx: OpsContext,
  _caller: Caller,
  _cardId: string,
): Promise<Transaction[]> {
  throw new AccountsError('unavailable', 'listPayWithPointsEligible is not implemented yet.');
}

/** See AccountsPort.redeemPayWithPoints. */
export async function redeemPayWithPoints(
  _ctx: OpsContext,
  _caller: Caller,
  _input: { transactionId: string },
  _idempotencyKey: string,
): Promise<PayWithPointsResult> {
  throw new AccountsError('unavailable', 'redeemPayWithPoints is not implemented yet.');
}

/** See AccountsPort.listBenefits. */
export async function listBenefits(_ctx: OpsContext, _caller: Caller, _cardId: string): Promise<Benefit[]> {
  throw new AccountsError('unavailable', 'listBenefits is not implemented yet.');
}
