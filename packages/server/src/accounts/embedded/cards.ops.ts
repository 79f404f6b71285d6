/** Embedded accounts core: cards operations. */
import {
  AccountsError,
  type Caller,
  type CardDetail,
  type CardSummary,
  type LockResult,
  type LostStolenResult,
  type Replacement,
  type ShippingMethod,
  type WalletToken,
} from '../accounts.port.js';
import type { OpsContext } from './context.js';

/** See AccountsPort.listCards. */
export async function listCards(_ctx: OpsContext, _caller: Caller): Promise<CardSummary[]> {
  throw new AccountsError('unavailable', 'listCards is not implemented yet.');
}

/** See AccountsPort.getCard. */
export async function getCard(_ctx: OpsContext, _caller: Caller, _cardId: string): Promise<CardDetail> {
  throw new AccountsError('unavailable', 'getCard is not implemented yet.');
}

/** See AccountsPort.lockCard. */
export async function lockCard(
  _ctx: OpsContext,
  _caller: Caller,
  _cardId: string,
  _idempotencyKey: string,
): Promise<LockResult> {
  throw new AccountsError('unavailable', 'lockCard is not implemented yet.');
}

/** See AccountsPort.unlockCard. */
export async function unlockCard(
  _ctx: OpsContext,
  _caller: Caller,
  _cardId: string,
  _idempotencyKey: string,
): Promise<LockResult> {
  throw new AccountsError('unavailable', 'unlockCard is not implemented yet.');
}

/** See AccountsPort.activateCard. */
export async function activateCard(
  _ctx: OpsContext,
  _caller: Caller,
  _cardId: string,
  _idempotencyKey: string,
): Promise<CardSummary> {
  throw new AccountsError('unavailable', 'activateCard is not implemented yet.');
}

/** See AccountsPort.reportLostOrStolen. */
export async function reportLostOrStolen(
  _ctx: OpsContext,
  _caller: Caller,
  _input: { cardId: string; reason: 'lost' | 'stolen'; method?: ShippingMethod; addressId?: string },
  _idempotencyKey: string,
): Promise<LostStolenResult> {
  throw new AccountsError('unavailable', 'reportLostOrStolen is not implemented yet.');
}

/** See AccountsPort.replaceDamaged. */
export async function replaceDamaged(
  _ctx: OpsContext,
  _caller: Caller,
  _input: { cardId: string; method?: ShippingMethod; addressId?: string },
  _idempotencyKey: string,
): Promise<Replacement> {
  throw new AccountsError('unavailable', 'replaceDamaged is not implemented yet.');
}

/** See AccountsPort.listReplacements. */
export async function listReplacements(_ctx: OpsContext, _caller: Caller, _cardId?: string): Promise<Replacement[]> {
  throw new AccountsError('unavailable', 'listReplacements is not implemented yet.');
}

/** See AccountsPort.listWalletTokens. */
export async function listWalletTokens(_ctx: OpsContext, _caller: Caller, _cardId: string): Promise<WalletToken[]> {
  throw new AccountsError('unavailable', 'listWalletTokens is not implemented yet.');
}
