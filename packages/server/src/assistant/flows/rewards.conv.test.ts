/**
 * Conversations with the assistant about rewards: points balance, Pay with Points and card benefits,
 * against the real app and the demo personas (leo: travel charges payable with points).
 */
import { describe, expect, it } from 'vitest';
import type { Chat } from '../../../test/chat-harness.js';
import { useChatHarness } from './testing.js';

const h = useChatHarness();

const rewards = (chat: Chat) => h.app.services.accounts.getRewards(chat.caller, chat.cardId);
const charge = async (chat: Chat, id: string) =>
  (await h.app.services.accounts.listTransactions(chat.caller, { cardId: chat.cardId })).find((t) => t.id === id)!;
const fmt = (n: number, lang = 'en-US') => new Intl.NumberFormat(lang).format(n);

describe('rewards.balance', () => {
  it('tells the points, pending points and their Pay with Points value', async () => {
    const chat = await h.open('leo');
    const r = await rewards(chat);
    const turn = await chat.say('How many points do I have?');
    expect(turn.text).toContain(`You have ${fmt(r.balancePoints)} Meridian Rewards points`);
    expect(turn.text).toContain('Meridian Platinum Card ending in 7008');
    const cents = Math.floor((r.balancePoints * r.payWithPointsValue) / 100);
    const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(cents / 100);
    expect(turn.text).toContain(`they're worth ${usd} toward eligible travel charges`);
    expect(turn.quickReplies).toContain('Pay with points');
  });
});

describe('rewards.redeem', () => {
  it('pays a travel charge with points after a confirmation, once even when the turn is retried', async () => {
    const chat = await h.open('leo');
    const before = await rewards(chat);
    const ask = await chat.say('Pay with points');
    expect(ask.text).toMatch(/Which charge would you like to pay with points/);
    const option = ask.quickReplies.find((q) => q.startsWith('Skyward Air, $486.20'))!;
    expect(option).toContain('69,458 points');
    const question = await chat.say(option);
    expect(question.text).toMatch(/Pay the Skyward Air charge of \$486\.20 .* with 69,458 points\?/);
    expect(question.quickReplies).toEqual(['Yes', 'No']);
    expect((await charge(chat, 'txn_leo_air')).redeemedWithPoints).toBe(false);
    const rewind = await chat.rewindPoint();

    const turn = await chat.say('Yes');
    expect(turn.text).toMatch(/Done! I used 69,458 points to pay the Skyward Air charge: a \$486\.20 credit/);
    expect((await charge(chat, 'txn_leo_air')).redeemedWithPoints).toBe(true);
    expect((await rewards(chat)).balancePoints).toBe(before.balancePoints - 69_458);

    // The same "Yes" delivered again (a retried turn): the same run, the same idempotency key.
    await rewind();
    const again = await chat.say('Yes');
    expect(again.text).toMatch(/Done! I used 69,458 points/);
    expect((await rewards(chat)).balancePoints).toBe(before.balancePoints - 69_458);
  });

  it('explains that the points do not cover a charge and offers the list again', async () => {
    const chat = await h.open('leo');
    const before = await rewards(chat);
    const ask = await chat.say('Pay with points');
    const lisbon = ask.quickReplies.find((q) => q.startsWith('Meridian Travel, $2,418.00'))!;
    const turn = await chat.say(lisbon);
    expect(turn.text).toContain(
      `Paying the Meridian Travel charge takes 345,429 points, and you have ${fmt(before.balancePoints)}.`,
    );
    expect(turn.text).toMatch(/Which charge would you like to pay with points/);
    expect((await charge(chat, 'txn_leo_trip_lisbon')).redeemedWithPoints).toBe(false);
    expect((await rewards(chat)).balancePoints).toBe(before.balancePoints);
  });

  it('says plainly when the card has no Pay with Points', async () => {
    const chat = await h.open('sam');
    const turn = await chat.say('Pay with points');
    expect(turn.text).toBe("Pay with Points isn't available on your Meridian Blue Cash ending in 4001.");
  });

  it('changes nothing when the cardmember cancels at the confirmation', async () => {
    const chat = await h.open('leo');
    const before = await rewards(chat);
    const ask = await chat.say('Pay with points');
    await chat.say(ask.quickReplies.find((q) => q.startsWith('Coastal Rail'))!);
    const turn = await chat.say('cancel');
    expect(turn.text).toMatch(/Nothing was changed/);
    expect((await rewards(chat)).balancePoints).toBe(before.balancePoints);
    const eligible = await h.app.services.accounts.listPayWithPointsEligible(chat.caller, chat.cardId);
    expect(eligible.some((t) => t.merchant === 'Coastal Rail')).toBe(true);
  });

  it('follows a change of topic in the middle of choosing a charge', async () => {
    const chat = await h.open('leo');
    const before = await rewards(chat);
    await chat.say('Pay with points');
    const turn = await chat.say('What is my credit limit?');
    expect(turn.replies[0]).toMatch(/let's leave that for now/);
    expect(turn.text).toMatch(/has a credit limit of \$40,000\.00/);
    expect((await rewards(chat)).balancePoints).toBe(before.balancePoints);
  });

  it('hands over to the Rewards team after two answers it cannot understand', async () => {
    const chat = await h.open('leo');
    await chat.say('Pay with points');
    const first = await chat.say('asdkjh qwe zxcv');
    expect(first.text).toMatch(/^Sorry, I didn't catch that\. You have .* points\. Which charge/);
    const second = await chat.say('blorf snark');
    expect(second.text).toMatch(/Rewards team/);
    const row = await chat.row();
    expect(row.status).toBe('queued');
    expect(row.team_id).toBe('rewards');
    expect((await chat.lastEvent('conversation.queued'))?.reason).toBe('rewards.redeem:not_understood');
  });
});

describe('rewards.benefits', () => {
  it('lists statement credits with this year’s use, lounge access and insurance', async () => {
    const chat = await h.open('leo');
    const turn = await chat.say('What benefits come with my card?');
    expect(turn.text).toMatch(/^Your Meridian Platinum Card ending in 7008 comes with:/);
    expect(turn.text).toMatch(/Airline fee credit: up to \$200\.00 a year in statement credits; \$[\d.,]+ used/);
    expect(turn.text).toMatch(/Airport lounge access: Unlimited visits/);
    expect(turn.text).toMatch(/Trip protection:/);
  });

  it('answers a lounge question on a card without lounge access', async () => {
    const chat = await h.open('grace');
    const turn = await chat.say('Do I have lounge access with my card benefits?');
    expect(turn.text).toMatch(/^Your Meridian Gold Card ending in 8006 doesn't include airport lounge access\./);
  });
});

describe('in Spanish', () => {
  it('shows the balance, pays a charge with points and lists benefits, all in Spanish', async () => {
    const chat = await h.open('maria', { language: 'es' });
    const before = await rewards(chat);
    const balance = await chat.say('¿Cuántos puntos tengo?');
    expect(balance.text).toContain(
      `Tiene ${fmt(before.balancePoints, 'es-US')} puntos Meridian Rewards en su Meridian Gold Card terminada en 1005.`,
    );
    expect(balance.quickReplies).toEqual(['Pagar con puntos', 'Beneficios de mi tarjeta']);
    const ask = await chat.say('Pagar con puntos');
    expect(ask.text).toMatch(/¿Qué cargo desea pagar con puntos\?/);
    const eligible = await h.app.services.accounts.listPayWithPointsEligible(chat.caller, chat.cardId);
    const target = eligible[eligible.length - 1]!;
    const question = await chat.say(ask.quickReplies[ask.quickReplies.length - 1]!);
    expect(question.text).toMatch(new RegExp(`^¿Pago el cargo de ${target.merchant} por .* puntos\\?`));
    expect(question.quickReplies).toEqual(['Sí', 'No']);
    const turn = await chat.say('sí');
    expect(turn.text).toMatch(/^¡Listo! Usé .* puntos para pagar el cargo de/);
    expect((await charge(chat, target.id)).redeemedWithPoints).toBe(true);

    const benefits = await chat.say('¿Qué beneficios tiene mi tarjeta?');
    expect(benefits.text).toMatch(/^Su Meridian Gold Card terminada en 1005 incluye:/);
    expect(benefits.text).toMatch(/Dining credit: hasta \$120\.00 al año en créditos/);
  });
});
