/**
 * Conversations with the assistant about travel: itineraries, trip protection (leo's 7-hour Denver
 * delay), booking through the travel agents and travel notices, against the real app and the demo personas.
 */
import { describe, expect, it } from 'vitest';
import type { Chat } from '../../../test/chat-harness.js';
import { useChatHarness } from './testing.js';

const h = useChatHarness();

/** Travel notices on file: the port has no read for them, so the store is asked directly. */
const notices = (chat: Chat) =>
  h.app.store.db.selectFrom('travel_notices').selectAll().where('cardmember_id', '=', chat.cardmemberId).execute();

describe('travel.itinerary', () => {
  it('shows the upcoming trip with its flights, hotel, times and status', async () => {
    const chat = await h.open('leo');
    const turn = await chat.say('Show me my itinerary');
    const lines = turn.text.split('\n');
    expect(lines[0]).toBe('Your Lisbon trip (booking MTLEOLIS, $2,418.00 paid with the card ending in 7008):');
    // The harness's today is 2026-11-25; the Lisbon flight leaves 12 days later.
    expect(lines[1]).toBe(
      '• Flight: New York JFK -> Lisbon LIS, December 7, 2026, 7:30 PM – December 8, 2026, 7:10 AM (MB 2841), scheduled',
    );
    expect(lines[2]).toMatch(/^• Hotel: Hotel Miradouro, Lisbon, December 8, 2026 – December 13, 2026 \(HX-55102\)/);
    expect(lines).toHaveLength(4);
  });
});

describe('travel.protection', () => {
  it('finds the Denver delay covered and hands the claim to the Travel team', async () => {
    const chat = await h.open('leo');
    const turn = await chat.say('My flight to Denver was delayed 7 hours. Am I covered?');
    expect(turn.replies[0]).toMatch(
      /^Good news: the delay on your Denver trip is covered by your card's trip protection, up to \$500\.00\. For the claim you'll need: delay of 6 hours or more/,
    );
    expect(turn.text).toMatch(/Travel team/);
    const row = await chat.row();
    expect([row.status, row.team_id]).toEqual(['queued', 'travel']);
    const queued = await chat.lastEvent('conversation.queued');
    expect(queued?.reason).toBe('travel.protection');
    expect(queued?.summary).toMatch(/delay of 7 hours on booking MTLEODEN \(Denver/);
  });

  it('asks for the trip, the event and the hours, and explains a delay too short to be covered', async () => {
    const chat = await h.open('leo');
    const which = await chat.say('My flight was delayed, is it covered by trip protection?');
    expect(which.quickReplies).toEqual(['Lisbon, December 7, 2026 (MTLEOLIS)', 'Denver, October 26, 2026 (MTLEODEN)']);
    expect((await chat.say('Denver')).text).toBe('How many hours was the delay?');
    const turn = await chat.say('3');
    expect(turn.text).toMatch(
      /^Trip delay cover on your Meridian Platinum Card starts at 6 hours of delay, and this one was 3 hours\./,
    );
    expect(turn.quickReplies).toEqual(['Talk to an agent']);
    expect((await chat.row()).status).toBe('bot');
  });

  it('hands over to the Travel team after two answers it cannot understand', async () => {
    const chat = await h.open('leo');
    await chat.say('Is my trip covered by trip protection?');
    expect((await chat.say('asdkjh qwe zxcv')).text).toMatch(/^Sorry, I didn't catch that\. Which trip/);
    expect((await chat.say('blorf snark')).text).toMatch(/Travel team/);
    expect((await chat.row()).team_id).toBe('travel');
    expect((await chat.lastEvent('conversation.queued'))?.reason).toBe('travel.protection:not_understood');
  });
});

describe('travel.booking', () => {
  it('collects the destination and dates and hands the booking to the travel agents', async () => {
    const chat = await h.open('leo');
    const where = await chat.say('I want to book a trip');
    expect(where.text).toBe(
      'You already have a trip to Lisbon on December 7, 2026 (MTLEOLIS). Where would you like to go?',
    );
    expect((await chat.say('Paris')).text).toBe('What day would you like to leave?');
    expect((await chat.say('December 10')).text).toBe('And what day would you like to come back?');
    const early = await chat.say('December 3');
    expect(early.text).toBe('That is before the start of the trip. And what day would you like to come back?');
    const turn = await chat.say('December 17');
    expect(turn.replies[0]).toMatch(/trip to Paris, leaving December 10, 2026 and returning December 17, 2026/);
    expect((await chat.row()).team_id).toBe('travel');
    expect((await chat.lastEvent('conversation.queued'))?.summary).toMatch(
      /Wants to book a trip to Paris, leaving 2026-12-10 and returning 2026-12-17\. Upcoming bookings: MTLEOLIS/,
    );
  });

  it('follows a change of topic while waiting for the destination', async () => {
    const chat = await h.open('leo');
    await chat.say('I want to book a trip');
    const turn = await chat.say('How many points do I have?');
    expect(turn.replies[0]).toMatch(/let's leave that for now/);
    expect(turn.text).toMatch(/Meridian Rewards points/);
    expect((await chat.row()).status).toBe('bot');
  });
});

describe('travel.notification', () => {
  it('adds a notice after a confirmation and a step-up, once even when the turn is retried', async () => {
    const chat = await h.open('maria');
    // The places come from the first message: only the dates are asked for.
    expect((await chat.say('Add a travel notice for Lisbon and Porto')).text).toBe('What day does your trip start?');
    await chat.say('December 7');
    const question = await chat.say('December 14');
    expect(question.text).toBe('Add a travel notice for Lisbon and Porto from December 7, 2026 to December 14, 2026?');
    expect((await chat.say('Yes')).text).toMatch(/For your security, I need to confirm it's really you/);
    expect(await notices(chat)).toHaveLength(0);
    await chat.verify();
    const rewind = await chat.rewindPoint();
    const turn = await chat.say('ok');
    expect(turn.text).toBe(
      'Done: your travel notice for Lisbon and Porto, December 7, 2026 to December 14, 2026, is on file. Have a great trip!',
    );
    const stored = await notices(chat);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ start_on: '2026-12-07', end_on: '2026-12-14' });
    expect(JSON.parse(stored[0]!.destinations)).toEqual(['Lisbon', 'Porto']);

    await rewind();
    await chat.say('ok');
    expect(await notices(chat)).toHaveLength(1);
  });

  it('asks again for a start date in the past, and changes nothing on cancel', async () => {
    const chat = await h.open('grace');
    expect((await chat.say('Set a travel notice')).text).toMatch(/^Where are you going\?/);
    expect((await chat.say('Rome, Florence and Venice')).text).toBe('What day does your trip start?');
    const past = await chat.say('November 20, 2026');
    expect(past.text).toBe('That date has already passed. What day does your trip start?');
    expect((await chat.say('January 10')).text).toBe('And what day do you get back?');
    const turn = await chat.say('cancel');
    expect(turn.text).toMatch(/Nothing was changed/);
    expect(await notices(chat)).toHaveLength(0);
  });
});

describe('in Spanish', () => {
  it('adds a travel notice and shows the itinerary, all in Spanish', async () => {
    const chat = await h.open('jose');
    expect((await chat.say('Quiero agregar un aviso de viaje')).text).toBe(
      '¿A dónde viaja? Puede indicar hasta 10 lugares, por ejemplo: Lisboa y Oporto.',
    );
    expect((await chat.say('México y Guatemala')).text).toBe('¿Qué día empieza su viaje?');
    expect((await chat.say('3 de diciembre')).text).toBe('¿Y qué día regresa?');
    const question = await chat.say('10 de diciembre');
    expect(question.text).toBe(
      '¿Agrego un aviso de viaje para México y Guatemala del 3 de diciembre de 2026 al 10 de diciembre de 2026?',
    );
    await chat.verify();
    expect((await chat.say('sí')).text).toBe(
      'Listo: su aviso de viaje para México y Guatemala, del 3 de diciembre de 2026 al 10 de diciembre de 2026, está registrado. ¡Buen viaje!',
    );
    const stored = await notices(chat);
    expect(stored.map((n) => JSON.parse(n.destinations))).toEqual([['México', 'Guatemala']]);

    const leo = await h.open('leo', { language: 'es' });
    const itinerary = await leo.say('Muéstreme mi itinerario de viaje');
    expect(itinerary.text).toMatch(
      /^Su viaje a Lisbon \(reserva MTLEOLIS, \$2,418\.00 pagados con la tarjeta terminada en 7008\):/,
    );
    expect(itinerary.text).toMatch(
      /• Vuelo: New York JFK -> Lisbon LIS, 7 de diciembre de 2026, .* \(MB 2841\), programado/,
    );
  });
});
