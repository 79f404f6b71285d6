/**
 * Conversation tests of the dispute flows: scripted chats with the real app (demo personas, accounts
 * core, NLU, flows), asserting the replies, the disputes opened and the handoffs.
 */
import { describe, expect, it } from 'vitest';
import type { Chat } from '../../../test/chat-harness.js';
import { useChatHarness } from './testing.js';

const h = useChatHarness();

const disputesOf = (chat: Chat) => h.app.services.accounts.listDisputes(chat.caller);

describe('dispute.start', () => {
  it('omar: an unrecognised charge is disputed, with the FCBA dates, and the fraud path offered', async () => {
    const chat = await h.open('omar');
    let turn = await chat.say("I don't recognize a charge from NovaByte Online");
    expect(turn.quickReplies).toEqual([
      'NovaByte Online $129.99 on November 6, 2026',
      'NovaByte Online $389.99 on August 4, 2026',
      "It's not listed",
    ]);
    turn = await chat.say('NovaByte Online $129.99 on November 6, 2026');
    // The reason came with the first message ("don't recognize"): straight to the confirmation.
    expect(turn.text).toBe(
      "To confirm: I'll open a dispute of the NovaByte Online $129.99 on November 6, 2026 charge on your Meridian Blue Cash ending in 2402 because you don't recognize it. While it's open you don't have to pay that amount. Shall I go ahead?",
    );
    turn = await chat.say('yes');
    const [dispute, ...others] = await disputesOf(chat);
    expect(others).toHaveLength(0);
    expect(dispute).toMatchObject({
      transactionId: 'txn_omar_recent',
      reason: 'unauthorized',
      status: 'open',
      amountCents: 12_999,
    });
    expect(turn.replies[0]).toBe(
      `Your dispute is open. Reference: ${dispute!.reference}. We'll acknowledge it by December 25, 2026 and resolve it by February 15, 2027. You don't have to pay the $129.99 while it's open; the rest of your balance is due as usual.`,
    );
    expect(turn.quickReplies).toEqual(['Lock my card', 'Report fraud']);

    turn = await chat.say("What's the status of my dispute?");
    expect(turn.text).toBe(
      `${dispute!.reference}: NovaByte Online $129.99, open and being reviewed. We'll acknowledge it by December 25, 2026 and resolve it by February 15, 2027.`,
    );
    // Asking again about the same charge says it is already disputed.
    turn = await chat.say("I don't recognize a charge from NovaByte Online");
    turn = await chat.say('1');
    expect(turn.text).toMatch(new RegExp(`already being disputed: reference ${dispute!.reference}`));
    expect(await disputesOf(chat)).toHaveLength(1);
  });

  it('omar: a charge past the 60-day window is explained and handed to the disputes team', async () => {
    const chat = await h.open('omar');
    await chat.say("I don't recognize a charge from NovaByte Online");
    let turn = await chat.say('NovaByte Online $389.99 on August 4, 2026');
    expect(turn.text).toMatch(/within 60 days of the statement that first showed the charge/);
    expect(turn.text).toMatch(/\(statement closing August 16, 2026\) that window ended on October 15, 2026/);
    expect(turn.quickReplies).toEqual(['Yes', 'No']);
    turn = await chat.say('yes');
    expect(turn.text).toMatch(/live agent on our Disputes team/);
    const row = await chat.row();
    expect(row).toMatchObject({ status: 'queued', team_id: 'disputes' });
    const queued = await chat.lastEvent('conversation.queued');
    expect(queued?.summary).toMatch(/NovaByte Online \$389\.99 .* not eligible: window_closed/);
    expect((await disputesOf(chat)).filter((d) => d.transactionId === 'txn_omar_old')).toHaveLength(0);
  });

  it('jose: the duplicate dinner is found from his words and disputed, all in Spanish', async () => {
    const chat = await h.open('jose');
    let turn = await chat.say('Me cobraron dos veces la cena en la Taquería Luna Azul');
    expect(turn.text).toBe(
      'Para confirmar: abriré una disputa del cargo de Taquería Luna Azul $87.35 el 4 de noviembre de 2026 en su Meridian Green Card terminada en 3007 porque se lo cobraron dos veces. Mientras esté abierta, no tiene que pagar ese monto. ¿Procedo?',
    );
    expect(turn.quickReplies).toEqual(['Sí', 'No']);
    turn = await chat.say('Sí');
    const [dispute] = await disputesOf(chat);
    // The second of the two identical charges is the duplicate.
    expect(dispute).toMatchObject({ transactionId: 'txn_jose_dup_2', reason: 'duplicate', amountCents: 8_735 });
    expect(turn.text).toMatch(
      new RegExp(
        `^Su disputa está abierta\\. Referencia: ${dispute!.reference}\\. Le confirmaremos la recepción a más tardar el \\d+ de \\w+ de 2026 y la resolveremos a más tardar el \\d+ de \\w+ de 2027\\. No tiene que pagar los \\$87\\.35`,
      ),
    );
    turn = await chat.say('¿Cómo va mi disputa?');
    expect(turn.text).toMatch(
      new RegExp(`^${dispute!.reference}: Taquería Luna Azul \\$87\\.35, abierta y en revisión\\.`),
    );
  });

  it('maria (Spanish): reason and charge asked for as quick replies', async () => {
    const chat = await h.open('maria', { language: 'es' });
    let turn = await chat.say('Quiero disputar un cargo');
    expect(turn.text).toBe('¿Qué cargo de su Meridian Gold Card terminada en 1005 desea disputar?');
    expect(turn.quickReplies).toHaveLength(6);
    expect(turn.quickReplies.at(-1)).toBe('No está en la lista');
    turn = await chat.say(turn.quickReplies[1]!);
    expect(turn.text).toMatch(
      /^¿Qué problema tiene el cargo de Parcelpoint Online \$144\.40 el 19 de noviembre de 2026\?$/,
    );
    expect(turn.quickReplies).toEqual([
      'No lo reconozco',
      'Me cobraron dos veces',
      'Nunca lo recibí',
      'Monto incorrecto',
      'Lo cancelé',
    ]);
    turn = await chat.say('Nunca lo recibí');
    expect(turn.text).toMatch(/porque nunca recibió lo que pagó/);
    turn = await chat.say('sí');
    expect(turn.text).toMatch(/^Su disputa está abierta/);
    const [dispute] = await disputesOf(chat);
    expect(dispute).toMatchObject({ merchant: 'Parcelpoint Online', reason: 'not_received' });
  });

  it('a pending charge is explained: dispute it once it posts', async () => {
    const chat = await h.open('maria');
    const before = await disputesOf(chat);
    const turn = await chat.say('I want to dispute the Harbor Street Grill charge from yesterday');
    expect(turn.text).toMatch(/Harbor Street Grill \$42\.80 on November 24, 2026 charge is still pending/);
    expect(await disputesOf(chat)).toEqual(before);
  });

  it("it's not listed: a search by merchant finds the charge", async () => {
    const chat = await h.open('grace');
    let turn = await chat.say('I want to dispute a charge');
    const offered = turn.quickReplies.join(' ');
    turn = await chat.say("It's not listed");
    expect(turn.text).toMatch(/merchant or the amount/);
    // A merchant from a few months back on grace's card, not among the latest ones offered.
    const older = (
      await h.app.services.accounts.listTransactions(chat.caller, {
        cardId: chat.cardId,
        status: 'posted',
        to: '2026-10-01',
      })
    ).find((x) => x.amount.amountCents > 0 && !offered.includes(x.merchant))!;
    turn = await chat.say(older.merchant);
    expect(turn.quickReplies.filter((q) => q.startsWith(older.merchant)).length).toBeGreaterThan(0);
  });

  it('cancel mid-flow opens nothing', async () => {
    const chat = await h.open('sam');
    await chat.say('I want to dispute a charge');
    let turn = await chat.say('1');
    expect(turn.text).toMatch(/What's wrong with the/);
    turn = await chat.say('cancel');
    expect(turn.text).toMatch(/Nothing was changed/);
    expect(await disputesOf(chat)).toHaveLength(0);
  });

  it('a change of topic mid-flow opens nothing', async () => {
    const chat = await h.open('priya');
    await chat.say('I want to dispute a charge');
    const turn = await chat.say('When is my payment due?');
    expect(turn.text).toMatch(/let's leave that for now/);
    expect(turn.text).toMatch(/Meridian Gold Card ending in 5012 is due on December 8, 2026/);
    expect(await disputesOf(chat)).toHaveLength(0);
  });

  it('answers it cannot use are asked again, then the disputes team takes over', async () => {
    const chat = await h.open('leo');
    await chat.say('I want to dispute a charge');
    let turn = await chat.say('blorp zzz');
    expect(turn.text).toMatch(/didn't catch that\. Which charge on your Meridian Platinum Card ending in 7008/);
    turn = await chat.say('qwerty uiop');
    expect(turn.text).toMatch(/bring in a person/);
    expect(await chat.row()).toMatchObject({ status: 'queued', team_id: 'disputes' });
    expect(await disputesOf(chat)).toHaveLength(0);
  });

  it('a retried confirmation opens one dispute (idempotency)', async () => {
    const chat = await h.open('noah');
    await chat.say('I want to dispute a charge');
    await chat.say('1');
    await chat.say('Wrong amount');
    const rewind = await chat.rewindPoint();
    const first = await chat.say('yes');
    await rewind();
    const again = await chat.say('yes');
    const disputes = await disputesOf(chat);
    expect(disputes).toHaveLength(1);
    expect(first.text).toContain(disputes[0]!.reference);
    expect(again.text).toContain(disputes[0]!.reference);
  });
});

describe('dispute.status', () => {
  it('none yet: says so and offers to start one', async () => {
    const chat = await h.open('ellen');
    const turn = await chat.say('What is the status of my dispute?');
    expect(turn.text).toMatch(/don't have any disputes/);
    expect(turn.quickReplies).toEqual(['Dispute a charge']);
  });

  it('a reference that does not exist is said so', async () => {
    const chat = await h.open('ellen');
    const turn = await chat.say('What is the status of dispute DSP-ZZZZ9999?');
    expect(turn.text).toMatch(/can't find a dispute with the reference DSP-ZZZZ9999/);
  });
});
