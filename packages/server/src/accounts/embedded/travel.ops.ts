/** Embedded accounts core: travel operations. */
import {
  AccountsError,
  type Caller,
  type TravelBooking,
  type TravelNotice,
  type TripEvent,
  type TripProtectionCheck,
} from '../accounts.port.js';
import type { OpsContext } from './context.js';

/** See AccountsPort.listTravelBookings. */
export async function listTravelBookings(_ctx: OpsContext, _caller: Caller): Promise<TravelBooking[]> {
  throw new AccountsError('unavailable', 'listTravelBookings is not implemented yet.');
}

/** See AccountsPort.getItinerary. */
export async function getItinerary(_ctx: OpsContext, _caller: Caller, _bookingId: string): Promise<TravelBooking> {
  throw new AccountsError('unavailable', 'getItinerary is not implemented yet.');
}

/** See AccountsPort.checkTripProtection. */
export async function checkTripProtection(
  _ctx: OpsContext,
  _caller: Caller,
  _input: { bookingId: string; event: TripEvent; delayHours?: number },
): Promise<TripProtectionCheck> {
  throw new AccountsError('unavailable', 'checkTripProtection is not implemented yet.');
}

/** See AccountsPort.addTravelNotice. */
export async function addTravelNotice(
  _ctx: OpsContext,
  _caller: Caller,
  _input: { destinations: string[]; startOn: string; endOn: string },
  _idempotencyKey: string,
): Promise<TravelNotice> {
  throw new AccountsError('unavailable', 'addTravelNotice is not implemented yet.');
}
