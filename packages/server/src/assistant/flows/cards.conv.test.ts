/**
 * Conversation tests of the card flows: scripted turns against the real app (chat-harness), asserting
 * the replies and the account state behind them. The personas share one database, so tests that change
 * a persona's cards run after the ones that need them unchanged (vitest runs a file's tests in order).
 */
import { describe, expect, it } from 'vitest';
import type { Chat } from '../../../test/chat-harness.js';
import { day } from '../dialogue/flow.js';
import { useChatHarness } from './testing.js';

const h = useChatHarness();

const cards = (chat: Chat) => h.app.services.accounts.listCards(chat.caller);
const replacements = (chat: Chat, cardId?: string) => h.app.services.accounts.listReplacements(chat.caller, cardId);

describe('card.wallet', () => {
  it('lists the wallets on the card, with their status (maria)', async () => {
    const chat = await h.open('maria');
    const turn = await chat.say('is my card in apple pay');
    expect(turn.text).toMatch(/Apple Pay on Maria's iPhone 15 \(active\)/);
    expect(turn.text).toMatch(/Google Pay on Maria's Galaxy Tab S9 \(active\)/);
    expect(turn.text).toMatch(/ending in 1005/);
  });

  it('explains wallets suspended because the card was reported lost (ellen)', async () => {
    const chat = await h.open('ellen');
    const turn = await chat.say('is my card in apple pay');
    expect(turn.text).toMatch(/suspended since/);
    expect(turn.text).toMatch(/reported lost/);
    expect(turn.text).toMatch(/new card ending in 1309/);
  });
});

describe('card.lock and card.unlock', () => {
  it('locks after a confirmation, explains "already locked", then unlocks (leo)', async () => {
    const chat = await h.open('leo');
    let turn = await chat.say('lock my card');
    expect(turn.text).toMatch(/Lock your Meridian Platinum Card ending in 7008\?/);
    expect(turn.quickReplies).toEqual(['Yes', 'No']);
    expect((await chat.card('7008')).status).toBe('active');
    turn = await chat.say('Yes');
    expect(turn.text).toMatch(/is locked/);
    expect((await chat.card('7008')).status).toBe('locked');

    turn = await chat.say('lock my card');
    expect(turn.text).toMatch(/already locked/);
    expect(turn.quickReplies).toContain('Unlock my card');

    turn = await chat.say('Unlock my card');
    expect(turn.text).toMatch(/Unlock your Meridian Platinum Card ending in 7008\?/);
    turn = await chat.say('yes');
    expect(turn.text).toMatch(/unlocked and ready to use/);
    expect((await chat.card('7008')).status).toBe('active');

    turn = await chat.say('unlock my card');
    expect(turn.text).toMatch(/None of your cards is locked/);
    expect(await h.performed('lockCard', 'card_leo_plat')).toBe(1);
    expect(await h.performed('unlockCard', 'card_leo_plat')).toBe(1);
  });

  it('asks which card when there are several, in Spanish (maria, es)', async () => {
    const chat = await h.open('maria', { language: 'es' });
    let turn = await chat.say('bloquear mi tarjeta');
    expect(turn.text).toMatch(/¿Qué tarjeta desea bloquear\?/);
    expect(turn.quickReplies).toEqual([
      'Meridian Gold Card terminada en 1005',
      'Meridian Business Platinum terminada en 2009',
    ]);
    turn = await chat.say('Meridian Business Platinum terminada en 2009');
    expect(turn.text).toMatch(/¿Bloqueo su Meridian Business Platinum terminada en 2009\?/);
    expect(turn.quickReplies).toEqual(['Sí', 'No']);
    turn = await chat.say('Sí');
    expect(turn.text).toMatch(/Listo: su Meridian Business Platinum terminada en 2009 está bloqueada/);
    expect((await chat.card('2009')).status).toBe('locked');
    expect((await chat.card('1005')).status).toBe('active');

    // The only locked card is taken without asking.
    turn = await chat.say('desbloquear mi tarjeta');
    expect(turn.text).toMatch(/¿Desbloqueo su Meridian Business Platinum terminada en 2009\?/);
    turn = await chat.say('sí');
    expect(turn.text).toMatch(/está desbloqueada/);
    expect((await chat.card('2009')).status).toBe('active');
  });

  it('a "no" at the confirmation changes nothing (grace)', async () => {
    const chat = await h.open('grace');
    await chat.say('lock my card');
    const turn = await chat.say('No');
    expect(turn.text).toMatch(/Nothing was changed/);
    expect((await chat.card('8006')).status).toBe('active');
  });

  it('gibberish to a question is asked again, twice goes to a person (grace)', async () => {
    const chat = await h.open('grace');
    await chat.say('lock my card');
    let turn = await chat.say('asdkjh qwe');
    expect(turn.text).toMatch(/didn't catch that\. Lock your Meridian Gold Card ending in 8006\?/);
    expect((await chat.row()).status).toBe('bot');
    turn = await chat.say('zzqx vvbn');
    expect(turn.text).toMatch(/bring in a person/);
    const row = await chat.row();
    expect(row.status).toBe('queued');
    expect(row.team_id).toBe('general');
    expect((await chat.card('8006')).status).toBe('active');
  });
});

describe('card.declined', () => {
  it('finds the lock behind the declines and offers to unlock it (noah)', async () => {
    const chat = await h.open('noah');
    await chat.say('lock my card');
    await chat.say('yes');
    expect((await chat.card('9002')).status).toBe('locked');
    let turn = await chat.say('why was my card declined');
    expect(turn.text).toMatch(/is locked, which is why purchases are declined\. Would you like me to unlock it\?/);
    turn = await chat.say('yes');
    expect(turn.text).toMatch(/unlocked/);
    expect(turn.text).toMatch(/try the purchase again/);
    expect((await chat.card('9002')).status).toBe('active');

    // Unlocked now: a purchase larger than the credit left is the likely reason, and "no" ends it.
    const { availableCreditCents } = await h.app.services.accounts.getCreditLimit(chat.caller, 'card_noah_green');
    expect(availableCreditCents).toBeLessThan(500_000);
    turn = await chat.say('my card was declined for a $5,000 purchase');
    expect(turn.text).toMatch(/A purchase of \$5,000\.00 is more than the \$[\d,.]+ of available credit/);
    turn = await chat.say('no');
    expect(turn.text).toMatch(/Nothing was changed/);
    expect((await chat.row()).status).toBe('bot');
  });

  it('with no block to fix, shows the available credit and hands off on request (omar)', async () => {
    const chat = await h.open('omar');
    let turn = await chat.say('my card keeps getting declined');
    expect(turn.text).toMatch(/is active and you have \$[\d,]+\.\d\d of available credit/);
    expect(turn.text).toMatch(/Would you like an agent to look at the declined attempt\?/);
    expect(turn.quickReplies).toEqual(['Yes', 'No']);
    turn = await chat.say('Yes');
    expect(turn.text).toMatch(/connecting you with a live agent/);
    const row = await chat.row();
    expect(row.status).toBe('queued');
    expect(row.team_id).toBe('general');
    const queued = await chat.lastEvent('conversation.queued');
    expect(queued?.summary).toMatch(/Purchases on Meridian Blue Cash ending in 2402 are declined/);
  });
});

describe('card.expiration and card.pin', () => {
  it('tells the expiry month of the card (priya)', async () => {
    const chat = await h.open('priya');
    const expiry = (await chat.card('5012')).expiry;
    const turn = await chat.say('when does my card expire');
    expect(turn.text).toContain(`ending in 5012 expires ${expiry}`);
    expect(turn.text).toMatch(/last day of [A-Z][a-z]+ 20\d\d/);
  });

  it('explains how to set a PIN without ever asking for it (dana)', async () => {
    const chat = await h.open('dana');
    const turn = await chat.say('how do I change my PIN');
    expect(turn.text).toMatch(/PIN/);
    expect(turn.text).toMatch(/Never type your PIN in this chat/);
    expect(turn.quickReplies).toEqual([]);
    // Nothing is pending: the next message starts afresh.
    expect((await chat.say('when does my card expire')).text).toMatch(/ending in 6003 expires/);
  });
});

describe('card.delivery and card.activate', () => {
  it('says where the replacement is and when it should arrive (ellen)', async () => {
    const chat = await h.open('ellen');
    const [pending] = await replacements(chat);
    const turn = await chat.say('where is my new card');
    expect(turn.text).toMatch(/new card ending in 1309 is in the mail/);
    expect(turn.text).toContain(`2890 Highland Avenue, Denver by ${day(pending!.estimatedDelivery, 'en')}`);
    expect(turn.text).toMatch(/activate my card/);
  });

  it('says so when no card is on its way (grace)', async () => {
    const chat = await h.open('grace');
    expect((await chat.say('where is my new card')).text).toMatch(/don't see any card on its way/);
  });

  it('activates the new card after a confirmation, once (ellen)', async () => {
    const chat = await h.open('ellen');
    let turn = await chat.say('I want to activate my new card');
    expect(turn.text).toMatch(/Has your Meridian Gold Card ending in 1309 arrived\?/);
    expect((await chat.card('1309')).activated).toBe(false);
    turn = await chat.say('yes');
    expect(turn.text).toMatch(/ending in 1309 is activated and ready to use/);
    expect((await chat.card('1309')).activated).toBe(true);
    turn = await chat.say('I want to activate my new card');
    expect(turn.text).toMatch(/already activated/);
    expect(await h.performed('activateCard', 'card_ellen_gold_new')).toBe(1);
  });
});

describe('card.damaged', () => {
  it('orders new plastic with the same number, and refuses a second one while it travels (sam)', async () => {
    const chat = await h.open('sam');
    let turn = await chat.say('my card is damaged');
    // One address on file: only the method is asked; the confirmation shows the address.
    expect(turn.text).toMatch(/How should we ship it\?/);
    expect(turn.quickReplies).toHaveLength(2);
    expect(turn.quickReplies[0]).toMatch(/^Standard \(by /);
    turn = await chat.say(turn.quickReplies[0]!);
    expect(turn.text).toMatch(
      /same number as your Meridian Blue Cash ending in 4001 to 45 Prospect Place, Boston by standard/,
    );
    turn = await chat.say('yes');
    expect(turn.text).toMatch(
      /Your new card, with the same number as your Meridian Blue Cash ending in 4001, is on its way/,
    );
    const [r] = await replacements(chat, 'card_sam_blue');
    expect(r).toMatchObject({ reason: 'damaged', method: 'standard', newCardLast4: '4001' });
    expect(turn.text).toContain(r!.id);
    expect((await chat.card('4001')).status).toBe('active');

    turn = await chat.say('my card is damaged');
    expect(turn.text).toMatch(/already on its way/);
    expect(await replacements(chat, 'card_sam_blue')).toHaveLength(1);
  });
});

describe('card.lost_stolen', () => {
  it('"cancel" before anything is done changes nothing (maria)', async () => {
    const chat = await h.open('maria');
    let turn = await chat.say('I lost my card');
    expect(turn.text).toMatch(/Which card is it\?/);
    turn = await chat.say('cancel');
    expect(turn.text).toMatch(/Nothing was changed/);
    expect((await cards(chat)).map((c) => c.status)).toEqual(['active', 'active']);
    expect(await replacements(chat)).toEqual([]);
  });

  it('a change of topic leaves the report and answers the new question (maria)', async () => {
    const chat = await h.open('maria');
    await chat.say('I lost my card');
    const turn = await chat.say('when does my card expire');
    expect(turn.text).toMatch(/let's leave that for now/);
    expect(turn.text).toMatch(/ending in 1005 expires/);
    expect((await cards(chat)).map((c) => c.status)).toEqual(['active', 'active']);
  });

  it('locks first, then replaces to the chosen address, once (maria)', async () => {
    const chat = await h.open('maria');
    let turn = await chat.say('I lost my card');
    turn = await chat.say('Meridian Gold Card ending in 1005');
    // "lost" was in the first message: not asked again. The lock comes before any other question.
    expect(turn.text).toMatch(/I've locked your Meridian Gold Card ending in 1005/);
    expect((await chat.card('1005')).status).toBe('locked');
    expect(turn.quickReplies).toEqual(['1420 Coral Way, Miami', '88 Biscayne Square, Miami', 'Another address']);
    turn = await chat.say('1420 Coral Way, Miami');
    expect(turn.quickReplies.map((q) => q.split(' (')[0])).toEqual(['Standard', 'Expedited']);
    turn = await chat.say('expedited');
    expect(turn.text).toMatch(/new card with a new number to 1420 Coral Way, Miami by expedited delivery/);
    expect(await replacements(chat)).toEqual([]);
    turn = await chat.say('yes');

    const after = await cards(chat);
    const old = after.find((c) => c.last4 === '1005')!;
    const fresh = after.find((c) => c.id !== old.id && c.product.name === 'Meridian Gold Card')!;
    expect(old.status).toBe('lost');
    expect(fresh).toMatchObject({ status: 'active', activated: false });
    const [r] = await replacements(chat, old.id);
    expect(r).toMatchObject({ reason: 'lost', method: 'expedited', newCardLast4: fresh.last4 });
    expect(r!.shipTo.line1).toBe('1420 Coral Way');
    expect(turn.text).toContain(`new card ending in ${fresh.last4}`);
    expect(turn.text).toContain(r!.id);
    expect(turn.text).toMatch(/digital wallets/);
    expect(turn.text).toMatch(/dispute/);
    const tokens = await h.app.services.accounts.listWalletTokens(chat.caller, old.id);
    expect(tokens.map((w) => w.status)).toEqual(['suspended', 'suspended']);

    // The lock happened once although the flow ran on four turns; a stray "yes" orders nothing more.
    await chat.say('yes');
    expect(await h.performed('lockCard', old.id)).toBe(1);
    expect(await h.performed('reportLostOrStolen', old.id)).toBe(1);
    expect(await replacements(chat, old.id)).toHaveLength(1);
  });

  it('refuses to report a card whose number is already closed, and says where its replacement is (maria)', async () => {
    const chat = await h.open('maria', { cardId: 'card_maria_biz' });
    const turn = await chat.say('I lost my card ending in 1005');
    expect(turn.text).toMatch(/was reported lost and its number is closed, so there is nothing more to report/);
    expect(turn.text).toMatch(/Its replacement, ending in \d{4}/);
  });

  it('runs the whole report in Spanish, with "stolen" understood from the first message (jose)', async () => {
    const chat = await h.open('jose');
    let turn = await chat.say('me robaron la tarjeta');
    expect(turn.text).toMatch(/Bloqueé su Meridian Green Card terminada en 3007/);
    expect(turn.text).toMatch(/¿Cómo se la enviamos\?/);
    expect((await chat.card('3007')).status).toBe('locked');
    turn = await chat.say(turn.quickReplies[0]!);
    expect(turn.text).toMatch(/Para confirmar: .* a 2715 Navigation Boulevard, Houston por envío estándar/);
    turn = await chat.say('sí');
    expect(turn.text).toMatch(/Listo\. Su Meridian Green Card terminada en 3007 quedó cerrada/);
    expect(turn.text).toMatch(/Su número de referencia es repl_/);
    expect(turn.quickReplies).toEqual(['Disputar un cargo']);
    expect((await chat.card('3007')).status).toBe('stolen');
    expect(await replacements(chat, 'card_jose_green')).toHaveLength(1);
  });
});

describe('the card flows in Spanish', () => {
  it('after the report: delivery, declines, wallets, activation, expiry, PIN and a damaged card (jose)', async () => {
    const chat = await h.open('jose');
    const fresh = (await cards(chat)).find((c) => c.id !== 'card_jose_green')!;
    let turn = await chat.say('¿dónde está mi tarjeta nueva?');
    expect(turn.text).toMatch(
      new RegExp(`Su tarjeta nueva terminada en ${fresh.last4} se pidió el \\d+ de [a-z]+ de 20\\d\\d`),
    );
    turn = await chat.say('¿por qué rechazaron mi tarjeta?');
    expect(turn.text).toMatch(/se reportó como robada y su número está cerrado, por eso se rechazan las compras/);
    expect(turn.text).toContain(`Use su tarjeta nueva terminada en ${fresh.last4}.`);
    turn = await chat.say('¿mi tarjeta está en Apple Pay?');
    expect(turn.text).toMatch(/todavía no está en ninguna billetera digital/);
    turn = await chat.say('quiero activar mi tarjeta');
    expect(turn.text).toContain(`¿Ya le llegó su Meridian Green Card terminada en ${fresh.last4}?`);
    turn = await chat.say('sí');
    expect(turn.text).toMatch(/está activada y lista para usar/);
    expect((await chat.card(fresh.last4)).activated).toBe(true);
    turn = await chat.say('¿cuándo vence mi tarjeta?');
    expect(turn.text).toMatch(/vence en \d\d\/\d\d: funciona hasta el último día de [a-z]+ de 20\d\d/);
    turn = await chat.say('¿cómo cambio mi PIN?');
    expect(turn.text).toMatch(/Nunca escriba su PIN en este chat/);
    turn = await chat.say('mi tarjeta está dañada');
    expect(turn.text).toMatch(/¿Cómo se la enviamos\?/);
    turn = await chat.say('urgente');
    expect(turn.text).toMatch(/con el mismo número de su Meridian Green Card .* por envío urgente/);
    turn = await chat.say('sí');
    expect(turn.text).toMatch(/Listo\. Su tarjeta nueva, con el mismo número/);
    const damaged = (await replacements(chat, fresh.id)).filter((r) => r.reason === 'damaged');
    expect(damaged).toMatchObject([{ method: 'expedited', newCardId: fresh.id }]);
  });
});

describe('later on', () => {
  it('a new card past its delivery date and never activated: asks whether it arrived (maria)', async () => {
    // Runs last: it moves the clock past the expedited delivery of the lost-card replacement above.
    h.clock.advanceDays(6);
    const chat = await h.open('maria', { cardId: 'card_maria_biz' });
    const [r] = await replacements(chat, 'card_maria_gold');
    expect(r!.status).toBe('delivered');
    const turn = await chat.say('where is my new card');
    expect(turn.text).toContain(`new card ending in ${r!.newCardLast4} should have arrived at 1420 Coral Way, Miami`);
    expect(turn.text).toMatch(/If it hasn't, a live agent can help you/);
    expect(turn.quickReplies).toEqual(['Activate my card', 'Talk to an agent']);
  });
});
