/** Embedded accounts core: profile operations. */
import {
  AccountsError,
  type AuthorizedUser,
  type Caller,
  type CardmemberProfile,
  type CommunicationPreferences,
  type ContactUpdate,
  type NewAuthorizedUser,
} from '../accounts.port.js';
import type { OpsContext } from './context.js';

/** See AccountsPort.getProfile. */
export async function getProfile(_ctx: OpsContext, _caller: Caller): Promise<CardmemberProfile> {
  throw new AccountsError('unavailable', 'getProfile is not implemented yet.');
}

/** See AccountsPort.updateContact. */
export async function updateContact(
  _ctx: OpsContext,
  _caller: Caller,
  _update: ContactUpdate,
  _idempotencyKey: string,
): Promise<CardmemberProfile> {
  throw new AccountsError('unavailable', 'updateContact is not implemented yet.');
}

/** See AccountsPort.updateCommunicationPreferences. */
export async function updateCommunicationPreferences(
  _ctx: OpsContext,
  _caller: Caller,
  _prefs: Partial<CommunicationPreferences>,
  _idempotencyKey: string,
): Promise<CommunicationPreferences> {
  throw new AccountsError('unavailable', 'updateCommunicationPreferences is not implemented yet.');
}

/** See AccountsPort.listAuthorizedUsers. */
export async function listAuthorizedUsers(
  _ctx: OpsContext,
  _caller: Caller,
  _cardId: string,
): Promise<AuthorizedUser[]> {
  throw new AccountsError('unavailable', 'listAuthorizedUsers is not implemented yet.');
}

/** See AccountsPort.addAuthorizedUser. */
export async function addAuthorizedUser(
  _ctx: OpsContext,
  _caller: Caller,
  _input: NewAuthorizedUser,
  _idempotencyKey: string,
): Promise<AuthorizedUser> {
  throw new AccountsError('unavailable', 'addAuthorizedUser is not implemented yet.');
}

/** See AccountsPort.removeAuthorizedUser. */
export async function removeAuthorizedUser(
  _ctx: OpsContext,
  _caller: Caller,
  _input: { authorizedUserId: string },
  _idempotencyKey: string,
): Promise<AuthorizedUser> {
  throw new AccountsError('unavailable', 'removeAuthorizedUser is not implemented yet.');
}
