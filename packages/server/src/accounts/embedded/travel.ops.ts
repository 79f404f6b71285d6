/** Embedded accounts core: travel operations. */
import type {
  Caller,
  TravelBooking,
  TravelNotice,
  TravelSegment,
  TripEvent,
  TripProtectionCheck,
} from '../accounts.port.js';
import { checkTravelNotice, MAX_DELAY_HOURS, TRIP_EVENTS, tripProtection } from '../rules/travel.rules.js';
import type { TripProtectionDef } from './products.js';
import {
  cardFor,
  checkCaller,
  auditRead,
  invalid,
  mutate,
  newId,
  notFound,
  nowIso,
  ruleViolation,
  todayOf,
  type OpsContext,
  type Tx,
} from './context.js';

interface BookingRow {
  id: string;
  reference: string;
  card_id: string;
  card_last4: string;
  total_cents: number;
  paid_with_card: number;
  booked_on: string;
  segments: string;
}

/** Bookings of the caller's cardmember only, with the paying card's last 4 digits. */
const bookingsOf = (db: Tx, caller: Caller) =>
  db
    .selectFrom('travel_bookings as b')
    .innerJoin('cards as k', 'k.id', 'b.card_id')
    .select([
      'b.id as id',
      'b.reference as reference',
      'b.card_id as card_id',
      'k.last4 as card_last4',
      'b.total_cents as total_cents',
      'b.paid_with_card as paid_with_card',
      'b.booked_on as booked_on',
      'b.segments as segments',
    ])
    .where('b.cardmember_id', '=', caller.onBehalfOf);

function parseSegments(json: string): TravelSegment[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? (v as TravelSegment[]) : [];
  } catch {
    return [];
  }
}

function presentBooking(r: BookingRow): TravelBooking {
  return {
    id: r.id,
    reference: r.reference,
    cardId: r.card_id,
    cardLast4: r.card_last4,
    totalCents: Number(r.total_cents),
    paidWithCard: Number(r.paid_with_card) === 1,
    bookedOn: r.booked_on,
    segments: parseSegments(r.segments),
  };
}

async function bookingFor(ctx: OpsContext, caller: Caller, bookingId: unknown): Promise<BookingRow> {
  checkCaller(caller);
  if (typeof bookingId !== 'string' || !bookingId || bookingId.length > 64) throw notFound('Booking');
  const row = await bookingsOf(ctx.db, caller).where('b.id', '=', bookingId).executeTakeFirst();
  if (!row) throw notFound('Booking');
  return row;
}

/** See AccountsPort.listTravelBookings. */
export async function listTravelBookings(ctx: OpsContext, caller: Caller): Promise<TravelBooking[]> {
  checkCaller(caller);
  const rows = await bookingsOf(ctx.db, caller).orderBy('b.booked_on', 'desc').orderBy('b.id', 'desc').execute();
  await auditRead(ctx, caller, 'listTravelBookings', 'cardmember', caller.onBehalfOf);
  return rows.map(presentBooking);
}

/** See AccountsPort.getItinerary. */
export async function getItinerary(ctx: OpsContext, caller: Caller, bookingId: string): Promise<TravelBooking> {
  const row = await bookingFor(ctx, caller, bookingId);
  await auditRead(ctx, caller, 'getItinerary', 'travel_booking', row.id);
  return presentBooking(row);
}

/** See AccountsPort.checkTripProtection. */
export async function checkTripProtection(
  ctx: OpsContext,
  caller: Caller,
  input: { bookingId: string; event: TripEvent; delayHours?: number },
): Promise<TripProtectionCheck> {
  checkCaller(caller);
  if (!input || typeof input !== 'object') throw invalid('A trip protection check needs a booking and an event.');
  const { event, delayHours } = input;
  if (!(TRIP_EVENTS as readonly unknown[]).includes(event))
    throw invalid('The event must be a delay, a cancellation or lost luggage.');
  if (event === 'delay') {
    if (
      typeof delayHours !== 'number' ||
      !Number.isFinite(delayHours) ||
      delayHours < 0 ||
      delayHours > MAX_DELAY_HOURS
    )
      throw invalid(`For a delay, say how many hours it lasted (0 to ${MAX_DELAY_HOURS}).`);
  }
  const booking = await bookingFor(ctx, caller, input.bookingId);
  const card = await cardFor(ctx.db, caller, booking.card_id);
  let protection: TripProtectionDef = {};
  try {
    protection = JSON.parse(card.p.trip_protection) as TripProtectionDef;
  } catch {
    protection = {};
  }
  const d = tripProtection({
    paidWithCard: Number(booking.paid_with_card) === 1,
    protection,
    event,
    ...(event === 'delay' ? { delayHours } : {}),
  });
  await auditRead(ctx, caller, 'checkTripProtection', 'travel_booking', booking.id);
  return {
    bookingId: booking.id,
    event,
    covered: d.covered,
    reason: d.reason,
    maxBenefitCents: d.maxBenefitCents,
    conditions: d.conditions,
  };
}

/** See AccountsPort.addTravelNotice. */
export async function addTravelNotice(
  ctx: OpsContext,
  caller: Caller,
  input: { destinations: string[]; startOn: string; endOn: string },
  idempotencyKey: string,
): Promise<TravelNotice> {
  if (!input || typeof input !== 'object') throw invalid('A travel notice needs destinations and dates.');
  const request = { destinations: input.destinations, startOn: input.startOn, endOn: input.endOn };
  return mutate(
    ctx,
    caller,
    { operation: 'addTravelNotice', targetType: 'travel_notice', idempotencyKey, request },
    async (tx) => {
      const who = await tx
        .selectFrom('cardmembers')
        .select('id')
        .where('id', '=', caller.onBehalfOf)
        .executeTakeFirst();
      if (!who) throw notFound('Cardmember');
      const check = checkTravelNotice(request, todayOf(ctx));
      if (!check.ok) throw check.kind === 'rule' ? ruleViolation(check.rule, check.message) : invalid(check.message);
      const notice: TravelNotice = {
        id: newId('tn'),
        destinations: check.destinations,
        startOn: request.startOn,
        endOn: request.endOn,
        createdAt: nowIso(ctx),
      };
      await tx
        .insertInto('travel_notices')
        .values({
          id: notice.id,
          cardmember_id: caller.onBehalfOf,
          destinations: JSON.stringify(notice.destinations),
          start_on: notice.startOn,
          end_on: notice.endOn,
          created_at: notice.createdAt,
        })
        .execute();
      return {
        result: notice,
        targetId: notice.id,
        details: {
          noticeId: notice.id,
          destinationCount: notice.destinations.length,
          startOn: notice.startOn,
          endOn: notice.endOn,
        },
      };
    },
  );
}
