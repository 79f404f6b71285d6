/**
 * Conversations with the assistant about credit: the limit, limit increases (grace is eligible, noah's
 * account is too new), APRs and product changes, against the real app and the demo personas.
 */
import { describe, expect, it } from 'vitest';
import type { Chat } from '../../../test/chat-harness.js';
import { useChatHarness } from './testing.js';

const h = useChatHarness();

const limitOf = async (chat: Chat, cardId = chat.cardId) =>
  (await h.app.services.accounts.getCreditLimit(chat.caller, cardId)).creditLimitCents;

describe('credit.limit', () => {
  it('tells the limit, the balance and the available credit', async () => {
    const chat = await h.open('leo');
    const info = await h.app.services.accounts.getCreditLimit(chat.caller, chat.cardId);
    const usd = (c: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(c / 100);
    const turn = await chat.say('What is my credit limit?');
    expect(turn.text).toBe(
      `Your Meridian Platinum Card ending in 7008 has a credit limit of ${usd(info.creditLimitCents)}. With a balance of ${usd(info.currentBalanceCents)}, you have ${usd(info.availableCreditCents)} available.`,
    );
    expect(turn.quickReplies).toEqual(['Request a credit limit increase']);
  });
});

describe('credit.limit_increase', () => {
  it('explains why a new account cannot get an increase yet, and from when it can', async () => {
    const chat = await h.open('noah');
    const turn = await chat.say('I want a credit limit increase');
    // Noah's account was opened three months before the harness's today (2026-11-25).
    expect(turn.text).toBe(
      "I'm sorry, your Meridian Green Card ending in 9002 can't get a credit limit increase right now: the account needs to be open for at least 6 months first. You can ask again from February 25, 2027.",
    );
    expect(turn.quickReplies).toEqual(['Talk to an agent']);
    expect(await limitOf(chat)).toBe(300_000);
  });

  it('asks again for a limit above the maximum, and changes nothing on cancel', async () => {
    const chat = await h.open('grace');
    const ask = await chat.say('Can you raise my credit limit?');
    expect(ask.text).toBe(
      'Your credit limit is $9,000.00, and you can ask for up to $13,500.00. What new limit would you like?',
    );
    const again = await chat.say('$20,000');
    expect(again.text).toBe(
      'The most I can ask for in one request is $13,500.00. Your credit limit is $9,000.00, and you can ask for up to $13,500.00. What new limit would you like?',
    );
    await chat.say('$12,000');
    const turn = await chat.say('cancel');
    expect(turn.text).toMatch(/Nothing was changed/);
    expect(await limitOf(chat)).toBe(900_000);
  });

  it('follows a change of topic while waiting for the new limit', async () => {
    const chat = await h.open('grace');
    await chat.say('Can you raise my credit limit?');
    const turn = await chat.say('What is my APR?');
    expect(turn.replies[0]).toMatch(/let's leave that for now/);
    expect(turn.text).toMatch(/purchase APR of 21\.24%/);
    expect(await limitOf(chat)).toBe(900_000);
  });

  it('hands over to the Credit team after two answers it cannot understand', async () => {
    const chat = await h.open('grace');
    await chat.say('Can you raise my credit limit?');
    expect((await chat.say('asdkjh qwe zxcv')).text).toMatch(/^Sorry, I didn't catch that\. Your credit limit is/);
    expect((await chat.say('blorf snark')).text).toMatch(/Credit team/);
    const row = await chat.row();
    expect([row.status, row.team_id]).toEqual(['queued', 'credit']);
    expect(await limitOf(chat)).toBe(900_000);
  });

  it('raises the limit after a confirmation and a step-up, once even when the turn is retried', async () => {
    const chat = await h.open('grace');
    await chat.say('Can you raise my credit limit?');
    expect((await chat.say('$12,000')).text).toBe(
      "What's your total annual income before taxes? For example: $85,000.",
    );
    const question = await chat.say('$90,000');
    expect(question.text).toBe(
      "Request a credit limit increase on your Meridian Gold Card ending in 8006 from $9,000.00 to $12,000.00, based on an annual income of $90,000.00? You'll get the decision right away.",
    );
    expect((await chat.say('Yes')).text).toMatch(/For your security, I need to confirm it's really you/);
    expect(await limitOf(chat)).toBe(900_000);
    await chat.verify();
    const rewind = await chat.rewindPoint();
    const turn = await chat.say('ok');
    expect(turn.text).toBe(
      'Good news: your credit limit is now $12,000.00 (it was $9,000.00). You can use it right away.',
    );
    expect(await limitOf(chat)).toBe(1_200_000);

    // The account is no longer eligible (a recent increase), yet a retried turn returns the same decision.
    await rewind();
    const again = await chat.say('ok');
    expect(again.text).toBe(turn.text);
    expect(await limitOf(chat)).toBe(1_200_000);
    const requests = await h.app.store.db
      .selectFrom('credit_limit_requests')
      .select('id')
      .where('account_id', '=', 'acct_grace_gold')
      .execute();
    expect(requests).toHaveLength(1);
  });

  it('reports a decline in plain words when the income does not support the limit', async () => {
    const chat = await h.open('leo');
    await chat.verify();
    await chat.say('Can you raise my credit limit?');
    await chat.say('$50,000');
    await chat.say('$45,000');
    const turn = await chat.say('Yes');
    expect(turn.text).toBe(
      "I'm sorry, the increase wasn't approved: the stated income does not support a higher limit. Your limit stays at $40,000.00.",
    );
    expect(await limitOf(chat)).toBe(4_000_000);
  });
});

describe('credit.apr', () => {
  it('gives the purchase, cash advance, balance transfer and penalty APRs', async () => {
    const chat = await h.open('leo');
    const turn = await chat.say('What is my APR?');
    expect(turn.text).toBe(
      'Your Meridian Platinum Card ending in 7008 has a purchase APR of 21.24%, a cash advance APR of 29.74% and a balance transfer APR of 21.24%. They are variable: they move with the prime rate, now 7.50%. A penalty APR of up to 29.99% may apply if a payment is 60 or more days late.',
    );
  });
});

describe('credit.product', () => {
  it('lists the cards to switch to and hands the chosen upgrade to the Credit team', async () => {
    const chat = await h.open('maria');
    const list = await chat.say('What other cards can I switch to?');
    expect(list.text).toMatch(/^You have the Meridian Gold Card \(annual fee \$325\.00\)/);
    expect(list.text).toMatch(/Meridian Platinum Card: The annual fee would be \$695 instead of \$325/);
    expect(list.quickReplies).toEqual([
      'Upgrade to Meridian Platinum Card',
      'Downgrade to Meridian Green Card',
      'Downgrade to Meridian Blue Cash',
      'Apply for a new card',
      'No, thanks',
    ]);
    const turn = await chat.say('Upgrade to Meridian Platinum Card');
    expect(turn.text).toMatch(/Our Credit team makes product changes/);
    const row = await chat.row();
    expect([row.status, row.team_id]).toEqual(['queued', 'credit']);
    const queued = await chat.lastEvent('conversation.queued');
    expect(queued?.summary).toMatch(/from the Meridian Gold Card to the Meridian Platinum Card/);
  });

  it('hands an application for a new card to the Credit team', async () => {
    const chat = await h.open('noah');
    const turn = await chat.say("I'd like to apply for a new card");
    expect(turn.text).toMatch(/^Applications for a new card are handled by our Credit team/);
    expect((await chat.row()).team_id).toBe('credit');
    expect((await chat.lastEvent('conversation.queued'))?.summary).toMatch(/Wants to apply for a new card/);
  });
});

describe('in Spanish', () => {
  it('shows the limit, raises it and gives the APRs, all in Spanish', async () => {
    const chat = await h.open('maria', { language: 'es' });
    const limit = await chat.say('¿Cuál es mi límite de crédito?');
    expect(limit.text).toMatch(/^Su Meridian Gold Card terminada en 1005 tiene un límite de crédito de \$15,000\.00\./);
    const which = await chat.say(limit.quickReplies[0]!);
    expect(which.text).toBe('¿De qué tarjeta se trata?');
    expect(which.quickReplies).toEqual([
      'Meridian Gold Card terminada en 1005',
      'Meridian Business Platinum terminada en 2009',
    ]);
    expect((await chat.say('1005')).text).toBe(
      'Su límite de crédito es de $15,000.00 y puede solicitar hasta $22,500.00. ¿Qué nuevo límite desea?',
    );
    await chat.say('$18,000');
    expect((await chat.say('$120,000')).text).toMatch(/^¿Solicito un aumento del límite de crédito/);
    await chat.verify();
    expect((await chat.say('sí')).text).toBe(
      'Buenas noticias: su límite de crédito ahora es de $18,000.00 (antes era $15,000.00). Puede usarlo de inmediato.',
    );
    expect(await limitOf(chat)).toBe(1_800_000);
    const apr = await chat.say('¿Cuál es mi tasa de interés?');
    expect(apr.text).toMatch(/^Su Meridian Gold Card terminada en 1005 tiene una APR de compras de 21\.24\s?%/);
  });
});
