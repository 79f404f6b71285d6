/** Flows of the assistant: travel (see dialogue/flow.ts for how a flow is written). */
import type { Language, Table } from '@carechat/protocol';
import type { TravelBooking, TravelNotice, TravelSegment, TripEvent } from '../../accounts/accounts.port.js';
import { addDays, addMonths } from '../../accounts/rules/dates.js';
import { common } from '../dialogue/common.strings.js';
import type { Flow, FlowContext, Option, Slots, Step } from '../dialogue/flow.js';
import { ask, choose, confirm, day, done, handoff, money, say } from '../dialogue/flow.js';
import { fold } from '../dialogue/slots.js';
import { firstText, listOf, reask, slotText as str } from './slot-helpers.js';
import { ruleOf } from './shared.js';

type Key =
  | 'no_trips'
  | 'qr.book'
  | 'which_trip'
  | 'trip.option'
  | 'itinerary.header'
  | 'itinerary.segment'
  | 'kind.flight'
  | 'kind.hotel'
  | 'kind.car'
  | 'status.scheduled'
  | 'status.delayed'
  | 'status.cancelled'
  | 'status.completed'
  | 'booking.existing'
  | 'booking.trip'
  | 'booking.where'
  | 'booking.leave'
  | 'booking.back'
  | 'booking.handoff'
  | 'date.past'
  | 'date.before_start'
  | 'protection.event'
  | 'event.delay'
  | 'event.cancellation'
  | 'event.lost_luggage'
  | 'event.name.delay'
  | 'event.name.cancellation'
  | 'event.name.lost_luggage'
  | 'protection.hours'
  | 'protection.hours_invalid'
  | 'protection.covered'
  | 'protection.claim'
  | 'protection.not_paid_with_card'
  | 'protection.not_covered_by_product'
  | 'protection.delay_too_short'
  | 'protection.delay_too_short_min'
  | 'protection.next'
  | 'cond.delay.receipts'
  | 'cond.delay.airline'
  | 'cond.cancellation.reason'
  | 'cond.cancellation.receipts'
  | 'cond.cancellation.provider'
  | 'cond.lost_luggage.report'
  | 'cond.lost_luggage.receipts'
  | 'cond.paid'
  | 'notice.where'
  | 'notice.where_invalid'
  | 'notice.start'
  | 'notice.end'
  | 'notice.too_long'
  | 'notice.confirm'
  | 'notice.done';

const s: Table<Key> = {
  en: {
    no_trips: "I don't see any trips booked through our travel service.",
    'qr.book': 'Book a trip',
    which_trip: 'Which trip is this about?',
    'trip.option': '{name}, {date} ({reference})',
    'itinerary.header': 'Your {name} trip (booking {reference}, {total} paid with the card ending in {last4}):',
    'itinerary.segment': '• {kind}: {description}, {when} ({reference}), {status}',
    'kind.flight': 'Flight',
    'kind.hotel': 'Hotel',
    'kind.car': 'Car rental',
    'status.scheduled': 'scheduled',
    'status.delayed': 'delayed',
    'status.cancelled': 'cancelled',
    'status.completed': 'completed',
    'booking.existing': 'You already have {trips}.',
    'booking.trip': 'a trip to {name} on {date} ({reference})',
    'booking.where': 'Where would you like to go?',
    'booking.leave': 'What day would you like to leave?',
    'booking.back': 'And what day would you like to come back?',
    'booking.handoff':
      "Thanks! Our travel agents book trips for you: I'm passing on your trip to {destination}, leaving {leave} and returning {back}, so they can find the best options.",
    'date.past': 'That date has already passed.',
    'date.before_start': 'That is before the start of the trip.',
    'protection.event': 'What happened on your {name} trip?',
    'event.delay': 'Flight delay',
    'event.cancellation': 'Trip cancellation',
    'event.lost_luggage': 'Lost luggage',
    'event.name.delay': 'delay',
    'event.name.cancellation': 'cancellation',
    'event.name.lost_luggage': 'lost luggage',
    'protection.hours': 'How many hours was the delay?',
    'protection.hours_invalid': 'Please give the delay in hours, between 1 and 336.',
    'protection.covered':
      "Good news: the {event} on your {name} trip is covered by your card's trip protection, up to {max}. For the claim you'll need: {conditions}.",
    'protection.claim': "I'll connect you with our Travel team to start the claim.",
    'protection.not_paid_with_card': "Trip protection only covers trips paid with your card, and this one wasn't.",
    'protection.not_covered_by_product': "Your {product} doesn't include trip protection for {event}.",
    'protection.delay_too_short': 'This delay is too short for trip delay cover on your {product}.',
    'protection.delay_too_short_min':
      'Trip delay cover on your {product} starts at {min} hours of delay, and this one was {hours} hours.',
    'protection.next':
      'The airline or travel provider may still owe you a refund or compensation, so it is worth asking them.',
    'cond.delay.receipts': 'receipts for meals, lodging and essentials bought during the delay',
    'cond.delay.airline': "the airline's confirmation of the delay",
    'cond.cancellation.reason': 'a covered reason, such as illness or severe weather',
    'cond.cancellation.receipts': 'receipts for the prepaid, non-refundable trip costs',
    'cond.cancellation.provider': 'confirmation of the cancellation from the airline or travel provider',
    'cond.lost_luggage.report': "the airline's property irregularity report",
    'cond.lost_luggage.receipts': 'receipts or other proof of value for the lost items',
    'cond.paid': 'the trip paid with the card',
    'notice.where': 'Where are you going? You can list up to 10 places, for example: Lisbon and Porto.',
    'notice.where_invalid': 'Please give place names only, without numbers, and at most 10 of them.',
    'notice.start': 'What day does your trip start?',
    'notice.end': 'And what day do you get back?',
    'notice.too_long': 'A travel notice can cover up to one year; you can add another one later for the rest.',
    'notice.confirm': 'Add a travel notice for {places} from {start} to {end}?',
    'notice.done': 'Done: your travel notice for {places}, {start} to {end}, is on file. Have a great trip!',
  },
  es: {
    no_trips: 'No veo viajes reservados con nuestro servicio de viajes.',
    'qr.book': 'Reservar un viaje',
    which_trip: '¿De qué viaje se trata?',
    'trip.option': '{name}, {date} ({reference})',
    'itinerary.header': 'Su viaje a {name} (reserva {reference}, {total} pagados con la tarjeta terminada en {last4}):',
    'itinerary.segment': '• {kind}: {description}, {when} ({reference}), {status}',
    'kind.flight': 'Vuelo',
    'kind.hotel': 'Hotel',
    'kind.car': 'Auto de alquiler',
    'status.scheduled': 'programado',
    'status.delayed': 'retrasado',
    'status.cancelled': 'cancelado',
    'status.completed': 'completado',
    'booking.existing': 'Ya tiene {trips}.',
    'booking.trip': 'un viaje a {name} el {date} ({reference})',
    'booking.where': '¿A dónde le gustaría viajar?',
    'booking.leave': '¿Qué día le gustaría salir?',
    'booking.back': '¿Y qué día le gustaría regresar?',
    'booking.handoff':
      '¡Gracias! Nuestros agentes de viajes hacen la reserva por usted: les paso su viaje a {destination}, con salida el {leave} y regreso el {back}, para que busquen las mejores opciones.',
    'date.past': 'Esa fecha ya pasó.',
    'date.before_start': 'Esa fecha es anterior al inicio del viaje.',
    'protection.event': '¿Qué pasó en su viaje a {name}?',
    'event.delay': 'Retraso del vuelo',
    'event.cancellation': 'Cancelación del viaje',
    'event.lost_luggage': 'Equipaje perdido',
    'event.name.delay': 'el retraso',
    'event.name.cancellation': 'la cancelación',
    'event.name.lost_luggage': 'la pérdida de equipaje',
    'protection.hours': '¿De cuántas horas fue el retraso?',
    'protection.hours_invalid': 'Indique el retraso en horas, entre 1 y 336.',
    'protection.covered':
      'Buenas noticias: {event} en su viaje a {name} está cubierto por la protección de viaje de su tarjeta, hasta {max}. Para el reclamo necesitará: {conditions}.',
    'protection.claim': 'Le comunico con nuestro equipo de Viajes para iniciar el reclamo.',
    'protection.not_paid_with_card':
      'La protección de viaje solo cubre viajes pagados con su tarjeta, y este no se pagó con ella.',
    'protection.not_covered_by_product': 'Su {product} no incluye protección de viaje para {event}.',
    'protection.delay_too_short': 'Este retraso es demasiado corto para la cobertura por retraso de su {product}.',
    'protection.delay_too_short_min':
      'La cobertura por retraso de su {product} empieza a partir de {min} horas, y este retraso fue de {hours} horas.',
    'protection.next':
      'Es posible que la aerolínea o el proveedor de viaje aún le deba un reembolso o una compensación, así que vale la pena preguntarles.',
    'cond.delay.receipts': 'recibos de comidas, alojamiento y artículos esenciales comprados durante el retraso',
    'cond.delay.airline': 'la confirmación del retraso por parte de la aerolínea',
    'cond.cancellation.reason': 'un motivo cubierto, como una enfermedad o mal tiempo severo',
    'cond.cancellation.receipts': 'recibos de los gastos de viaje prepagados y no reembolsables',
    'cond.cancellation.provider': 'la confirmación de la cancelación por parte de la aerolínea o del proveedor',
    'cond.lost_luggage.report': 'el informe de irregularidad de equipaje de la aerolínea',
    'cond.lost_luggage.receipts': 'recibos u otra prueba del valor de los artículos perdidos',
    'cond.paid': 'el viaje pagado con la tarjeta',
    'notice.where': '¿A dónde viaja? Puede indicar hasta 10 lugares, por ejemplo: Lisboa y Oporto.',
    'notice.where_invalid': 'Indique solo nombres de lugares, sin números, y como máximo 10.',
    'notice.start': '¿Qué día empieza su viaje?',
    'notice.end': '¿Y qué día regresa?',
    'notice.too_long': 'Un aviso de viaje puede cubrir hasta un año; más adelante puede agregar otro para el resto.',
    'notice.confirm': '¿Agrego un aviso de viaje para {places} del {start} al {end}?',
    'notice.done': 'Listo: su aviso de viaje para {places}, del {start} al {end}, está registrado. ¡Buen viaje!',
  },
};

// ------------------------------------------------------------------ bookings

/** "Lisbon" from "New York JFK -> Lisbon LIS" (the first flight's destination) or "Hotel Miradouro, Lisbon". */
function tripName(b: TravelBooking): string {
  const flight = b.segments.find((x) => x.kind === 'flight' && x.description.includes('->'));
  const place = flight
    ? flight.description.split('->')[1]!
    : (b.segments[0]?.description.split(',').at(-1) ?? b.reference);
  const name = place
    .replace(/\(.*?\)/g, '')
    .replace(/\s+[A-Z]{3}\s*$/, '')
    .trim();
  return name || b.reference;
}

const tripStart = (b: TravelBooking) =>
  b.segments
    .map((x) => x.start.slice(0, 10))
    .sort()
    .at(0) ?? b.bookedOn;
const tripEnd = (b: TravelBooking) =>
  b.segments
    .map((x) => x.end.slice(0, 10))
    .sort()
    .at(-1) ?? b.bookedOn;

const bookingOption = (ctx: FlowContext, b: TravelBooking): Option => ({
  label: ctx.t(s)('trip.option', { name: tripName(b), date: day(tripStart(b), ctx.lang), reference: b.reference }),
  value: b.id,
  aliases: [tripName(b), b.reference],
});

/**
 * The booking a request is about: one already chosen, one the first message names (by place or
 * reference), the only one, or (when `preferUpcoming`) the only trip not over yet; else a question, or
 * the offer to book one when there is none.
 */
async function pickBooking(
  ctx: FlowContext,
  slots: Slots,
  preferUpcoming: boolean,
): Promise<{ booking: TravelBooking } | { step: Step }> {
  const t = ctx.t(s);
  const bookings = await ctx.accounts.port.listTravelBookings(ctx.accounts.caller);
  if (!bookings.length) return { step: say({ text: t('no_trips'), quickReplies: [t('qr.book')] }) };
  const chosen = bookings.find((b) => b.id === slots.booking);
  if (chosen) return { booking: chosen };
  const first = firstText(slots);
  const f = first ? fold(first) : '';
  const named = bookings.filter((b) => f.includes(fold(tripName(b))) || f.includes(fold(b.reference)));
  const upcoming = bookings.filter((b) => tripEnd(b) >= ctx.today);
  const only =
    named.length === 1
      ? named[0]
      : bookings.length === 1
        ? bookings[0]
        : preferUpcoming && upcoming.length === 1
          ? upcoming[0]
          : undefined;
  if (only) {
    slots.booking = only.id;
    return { booking: only };
  }
  return {
    step: choose(
      'booking',
      t('which_trip'),
      bookings.map((b) => bookingOption(ctx, b)),
    ),
  };
}

// ------------------------------------------------------------------ travel.itinerary

const time = (iso: string, lang: Language) =>
  new Intl.DateTimeFormat(lang === 'es' ? 'es-US' : 'en-US', {
    hour: 'numeric',
    minute: '2-digit',
    timeZone: 'UTC',
  }).format(new Date(`${iso}:00Z`));

/** "December 7, 2026, 7:30 PM – December 8, 2026, 7:10 AM": segment times are local to the trip. */
function when(seg: TravelSegment, lang: Language): string {
  const at = (v: string) => (v.length > 10 ? `${day(v.slice(0, 10), lang)}, ${time(v, lang)}` : day(v, lang));
  return `${at(seg.start)} – ${at(seg.end)}`;
}

const itinerary: Flow = {
  intent: 'travel.itinerary',
  init: (ctx) => ({ __first: ctx.text }),
  async step(ctx, slots) {
    const t = ctx.t(s);
    const picked = await pickBooking(ctx, slots, true);
    if ('step' in picked) return picked.step;
    const b = await ctx.accounts.port.getItinerary(ctx.accounts.caller, picked.booking.id);
    const lines = b.segments.map((seg) =>
      t('itinerary.segment', {
        kind: t(`kind.${seg.kind}`),
        description: seg.description,
        when: when(seg, ctx.lang),
        reference: seg.reference,
        status: t(`status.${seg.status}`),
      }),
    );
    const header = t('itinerary.header', {
      name: tripName(b),
      reference: b.reference,
      total: money(b.totalCents, ctx.lang),
      last4: b.cardLast4,
    });
    return say([header, ...lines].join('\n'));
  },
};

// ------------------------------------------------------------------ travel.booking

const MONTHS =
  /^(january|february|march|april|may|june|july|august|september|october|november|december|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|monday|tuesday|wednesday|thursday|friday|saturday|sunday)$/;
const PLACE = String.raw`\p{Lu}[\p{L}\p{M}'’.-]*(?:\s+\p{Lu}[\p{L}\p{M}'’.-]*)*`;
const PLACES_AFTER_CUE = new RegExp(
  String.raw`(?:^|\s)(?:to|for|a|para|hacia|visit|visiting|visitar)\s+(${PLACE}(?:\s*(?:,|&|\band\b|\by\b|\be\b)\s*${PLACE})*)`,
  'gu',
);
const SPLIT = /\s*(?:,|;|&|\band\b|\by\b|\be\b)\s*/u;

/** Places as typed in an answer: "Lisbon, Porto and Madrid", "Lisboa y Oporto". */
const splitPlaces = (text: string): string[] =>
  text
    .split(SPLIT)
    .map((p) => p.replace(/^[\s.¿¡!?]+|[\s.!?]+$/g, ''))
    .filter(Boolean);

/** Places named in a request ("I'm going to Lisbon and Porto in May"): capitalised names after "to" / "a". */
function placesIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(PLACES_AFTER_CUE)) {
    for (const p of splitPlaces(m[1]!)) {
      if (!p.split(/\s+/).some((w) => MONTHS.test(fold(w)))) out.push(p);
    }
  }
  return out;
}

/** Days the first message names, ahead of today and in order, for trips that give their dates up front. */
function datesIn(ctx: FlowContext): string[] {
  return ctx.entities
    .filter((e) => e.type === 'date' && typeof e.value === 'string')
    .map((e) => ahead(String(e.value), ctx))
    .sort();
}

/**
 * A trip day. A month and day without a year resolve to this year even when already past ("January 5"
 * in November): for a trip that means next year, unless the cardmember wrote the year.
 */
function ahead(date: string, ctx: FlowContext): string {
  return date < ctx.today && !/\b\d{4}\b/.test(ctx.text) ? addMonths(date, 12) : date;
}

interface TripDates {
  startSlot: string;
  endSlot: string;
  startPrompt: string;
  endPrompt: string;
  person: { team: 'travel'; reason: string; summary: string };
}

/** Asks for and checks a start and end day (start not past, end not before start). */
function tripDates(ctx: FlowContext, slots: Slots, o: TripDates): { start: string; end: string } | { step: Step } {
  const t = ctx.t(s);
  const askStart = ask(o.startSlot, 'date', o.startPrompt);
  const askEnd = ask(o.endSlot, 'date', o.endPrompt);
  const rawStart = str(slots[o.startSlot]);
  if (!rawStart) return { step: askStart };
  const start = ahead(rawStart, ctx);
  slots[o.startSlot] = start;
  if (start < ctx.today) return { step: reask(ctx, slots, o.startSlot, t('date.past'), askStart, o.person) };
  const rawEnd = str(slots[o.endSlot]);
  if (!rawEnd) return { step: askEnd };
  const end = ahead(rawEnd, ctx);
  slots[o.endSlot] = end;
  if (end < start) return { step: reask(ctx, slots, o.endSlot, t('date.before_start'), askEnd, o.person) };
  return { start, end };
}

function prefillTrip(ctx: FlowContext, placesSlot: string, joined: boolean): Slots {
  const slots: Slots = {};
  const places = placesIn(ctx.text);
  if (places.length) slots[placesSlot] = joined ? listOf(places, ctx.lang) : places;
  const [start, end] = datesIn(ctx);
  if (start) slots.start = start;
  if (end) slots.end = end;
  return slots;
}

const booking: Flow = {
  intent: 'travel.booking',
  init: (ctx) => prefillTrip(ctx, 'destination', true),
  async step(ctx, slots) {
    const t = ctx.t(s);
    const bookings = await ctx.accounts.port.listTravelBookings(ctx.accounts.caller);
    const upcoming = bookings.filter((b) => tripEnd(b) >= ctx.today);
    const existing = upcoming.map((b) =>
      t('booking.trip', { name: tripName(b), date: day(tripStart(b), ctx.lang), reference: b.reference }),
    );
    const destination = str(slots.destination);
    if (!destination) {
      const prompt = t('booking.where');
      return ask(
        'destination',
        'text',
        existing.length ? `${t('booking.existing', { trips: listOf(existing, ctx.lang) })} ${prompt}` : prompt,
      );
    }
    const dates = tripDates(ctx, slots, {
      startSlot: 'start',
      endSlot: 'end',
      startPrompt: t('booking.leave'),
      endPrompt: t('booking.back'),
      person: {
        team: 'travel',
        reason: 'travel.booking',
        summary: `Wants to book a trip to ${destination}; the dates given could not be used.`,
      },
    });
    if ('step' in dates) return dates.step;
    const trips = upcoming.map((b) => `${b.reference} (${tripName(b)}, ${tripStart(b)} to ${tripEnd(b)})`);
    return handoff(
      [
        t('booking.handoff', {
          destination,
          leave: day(dates.start, ctx.lang),
          back: day(dates.end, ctx.lang),
        }),
      ],
      {
        team: 'travel',
        reason: 'travel.booking',
        summary: `Wants to book a trip to ${destination}, leaving ${dates.start} and returning ${dates.end}. Upcoming bookings: ${trips.join('; ') || 'none'}.`,
      },
    );
  },
};

// ------------------------------------------------------------------ travel.protection

const EVENTS: readonly TripEvent[] = ['delay', 'cancellation', 'lost_luggage'];
const EVENT_WORDS: Record<TripEvent, RegExp> = {
  delay: /\b(delay(ed)?|late|retras(o|ado|ada)|demora(do|da)?)\b/,
  cancellation: /\b(cancell?ed|cancell?ation|cancelad[oa]|cancelacion)\b/,
  lost_luggage: /\b(luggage|baggage|bags?|suitcases?|equipaje|maletas?|valijas?)\b/,
};
const HOURS = /(\d{1,3}(?:[.,]\d)?)\s*(?:hours?|hrs?|h|horas?)\b/i;

/** What a claim needs, in the conversation's language (the core's list is in English). */
function conditions(ctx: FlowContext, event: TripEvent, fromCore: string[]): string {
  const t = ctx.t(s);
  if (ctx.lang === 'en' && fromCore.length)
    return listOf(
      fromCore.map((c) => c.charAt(0).toLowerCase() + c.slice(1)),
      'en',
    );
  const keys = {
    delay: ['cond.paid', 'cond.delay.receipts', 'cond.delay.airline'],
    cancellation: ['cond.cancellation.reason', 'cond.paid', 'cond.cancellation.receipts', 'cond.cancellation.provider'],
    lost_luggage: ['cond.paid', 'cond.lost_luggage.report', 'cond.lost_luggage.receipts'],
  } as const;
  return listOf(
    keys[event].map((k) => t(k)),
    ctx.lang,
  );
}

const protection: Flow = {
  intent: 'travel.protection',
  init(ctx): Slots {
    const f = fold(ctx.text);
    const events = EVENTS.filter((e) => EVENT_WORDS[e].test(f));
    const hours = HOURS.exec(ctx.text)?.[1];
    return {
      __first: ctx.text,
      ...(events.length === 1 ? { event: events[0]! } : {}),
      ...(hours ? { hours: Number(hours.replace(',', '.')) } : {}),
    };
  },
  async step(ctx, slots) {
    const t = ctx.t(s);
    const picked = await pickBooking(ctx, slots, false);
    if ('step' in picked) return picked.step;
    const b = picked.booking;
    const name = tripName(b);
    const event = EVENTS.find((e) => e === slots.event);
    if (!event) {
      return choose(
        'event',
        t('protection.event', { name }),
        EVENTS.map((e) => ({ label: t(`event.${e}`), value: e })),
      );
    }
    const askHours = ask('hours', 'number', t('protection.hours'));
    const hours = typeof slots.hours === 'number' ? slots.hours : undefined;
    if (event === 'delay') {
      if (hours === undefined) return askHours;
      if (!(hours > 0 && hours <= 336)) {
        return reask(ctx, slots, 'hours', t('protection.hours_invalid'), askHours, {
          team: 'travel',
          reason: 'travel.protection',
          summary: `Asked about trip delay cover for booking ${b.reference} (${name}); the delay given could not be used.`,
        });
      }
    }
    const check = await ctx.accounts.port.checkTripProtection(ctx.accounts.caller, {
      bookingId: b.id,
      event,
      ...(event === 'delay' ? { delayHours: hours } : {}),
    });
    const eventName = t(`event.name.${event}`);
    if (check.covered) {
      const text = t('protection.covered', {
        event: eventName,
        name,
        max: money(check.maxBenefitCents, ctx.lang),
        conditions: conditions(ctx, event, check.conditions),
      });
      return handoff([text, t('protection.claim')], {
        team: 'travel',
        reason: 'travel.protection',
        summary: `Trip protection claim: ${event}${event === 'delay' ? ` of ${hours} hours` : ''} on booking ${b.reference} (${name}, card ending ${b.cardLast4}); covered up to ${money(check.maxBenefitCents, 'en')}. Needs: ${check.conditions.join('; ')}.`,
      });
    }
    const cards = await ctx.accounts.port.listCards(ctx.accounts.caller);
    const product = cards.find((c) => c.id === b.cardId)?.product.name ?? `card ending in ${b.cardLast4}`;
    const min = check.conditions.map((c) => /(\d+) hours?/.exec(c)?.[1]).find(Boolean);
    const why =
      check.reason === 'delay_too_short'
        ? min
          ? t('protection.delay_too_short_min', { product, min, hours: hours ?? 0 })
          : t('protection.delay_too_short', { product })
        : check.reason === 'not_paid_with_card'
          ? t('protection.not_paid_with_card')
          : t('protection.not_covered_by_product', { product, event: eventName });
    return say({ text: `${why} ${t('protection.next')}`, quickReplies: [ctx.t(common)('qr.agent')] });
  },
};

// ------------------------------------------------------------------ travel.notification

const PLACE_NAME = /^[\p{L}\p{M}][\p{L}\p{M} .'’()/-]{1,59}$/u;
const MAX_PLACES = 10;

const notification: Flow = {
  intent: 'travel.notification',
  init: (ctx) => prefillTrip(ctx, 'places', false),
  async step(ctx, slots) {
    const t = ctx.t(s);
    const askPlaces = ask('places', 'text', t('notice.where'));
    const raw = slots.places;
    if (raw === undefined || raw === null) return askPlaces;
    const places = Array.isArray(raw) ? raw : splitPlaces(String(raw));
    const person = {
      team: 'travel' as const,
      reason: 'travel.notification',
      summary: 'Wants to add a travel notice; the places or dates given could not be used.',
    };
    if (!places.length || places.length > MAX_PLACES || !places.every((p) => PLACE_NAME.test(p))) {
      return reask(ctx, slots, 'places', t('notice.where_invalid'), askPlaces, person);
    }
    slots.places = places;
    const dates = tripDates(ctx, slots, {
      startSlot: 'start',
      endSlot: 'end',
      startPrompt: t('notice.start'),
      endPrompt: t('notice.end'),
      person,
    });
    if ('step' in dates) return dates.step;
    // The core's limit, checked before the cardmember confirms (and verifies) rather than after.
    if (dates.end > addDays(dates.start, 365)) {
      return reask(ctx, slots, 'end', t('notice.too_long'), ask('end', 'date', t('notice.end')), person);
    }
    const facts = {
      places: listOf(places, ctx.lang),
      start: day(dates.start, ctx.lang),
      end: day(dates.end, ctx.lang),
    };
    if (slots.confirmed !== true) return confirm(t('notice.confirm', facts));
    try {
      const notice = await ctx.accounts.act<TravelNotice>('addTravelNotice', {
        destinations: places,
        startOn: dates.start,
        endOn: dates.end,
      });
      return done([t('notice.done', facts)], {
        record: {
          intent: 'travel.notification',
          description: `Travel notice for ${notice.destinations.join(', ')}, ${notice.startOn} to ${notice.endOn}`,
        },
      });
    } catch (err) {
      if (ruleOf(err) === 'travel_notice_too_long') return say(t('notice.too_long'));
      throw err;
    }
  },
};

export const travelFlows: Flow[] = [booking, itinerary, protection, notification];
