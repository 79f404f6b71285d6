/**
 * Conversations with the assistant about account changes: authorized users (dana's business account),
 * contact details and communication preferences, against the real app and the demo personas.
 */
import { describe, expect, it } from 'vitest';
import type { Chat } from '../../../test/chat-harness.js';
import { useChatHarness } from './testing.js';

const h = useChatHarness();

const accounts = () => h.app.services.accounts;
const activeUsers = async (chat: Chat) =>
  (await accounts().listAuthorizedUsers(chat.caller, chat.cardId)).filter((u) => u.status === 'active');
const profile = (chat: Chat) => accounts().getProfile(chat.caller);

describe('account.authorized_user', () => {
  it('adds a user after a confirmation and a step-up, once even when the turn is retried', async () => {
    const chat = await h.open('dana');
    const before = await activeUsers(chat);
    expect((await chat.say('I want to add an authorized user')).text).toBe(
      "What's the first name of the person you'd like to add?",
    );
    expect((await chat.say('Ethan')).text).toBe("And Ethan's last name?");
    expect((await chat.say('Brooks')).text).toMatch(/What's Ethan's date of birth\?/);
    const question = await chat.say('May 3, 2008');
    expect(question.text).toBe(
      "Add Ethan Brooks, born May 3, 2008, as an authorized user on your Meridian Business Gold ending in 6003? They'll get their own card on your account, and you'll be responsible for their charges.",
    );
    // Not verified yet: the manager asks for step-up and nothing changes.
    const stepUp = await chat.say('Yes');
    expect(stepUp.text).toMatch(/For your security, I need to confirm it's really you/);
    expect(await activeUsers(chat)).toHaveLength(before.length);
    await chat.verify();
    const rewind = await chat.rewindPoint();
    const turn = await chat.say('ok');
    expect(turn.text).toMatch(/^Done: Ethan Brooks is now an authorized user\. Their new card ends in \d{4}/);
    const after = await activeUsers(chat);
    expect(after).toHaveLength(before.length + 1);
    const ethan = after.find((u) => u.firstName === 'Ethan' && u.lastName === 'Brooks')!;
    expect(turn.text).toContain(`ends in ${ethan.cardLast4}`);

    await rewind();
    const again = await chat.say('ok');
    expect(again.text).toContain(`ends in ${ethan.cardLast4}`);
    expect(await activeUsers(chat)).toHaveLength(before.length + 1);
  });

  it('lists the users and removes the one chosen, when already verified', async () => {
    const chat = await h.open('dana');
    await chat.verify();
    const list = await chat.say('See my authorized users');
    expect(list.text).toMatch(/Luis Ortega \(card ending in 6101\)/);
    expect(list.text).toMatch(/Keisha Grant \(card ending in 6102\)/);
    expect(list.text).not.toMatch(/Tyler/);
    expect(list.quickReplies).toEqual(['Add an authorized user', 'Remove an authorized user', "That's all, thanks"]);
    const who = await chat.say('Remove an authorized user');
    expect(who.quickReplies).toContain('Keisha Grant (card ending in 6102)');
    const question = await chat.say('Keisha');
    expect(question.text).toBe(
      "Remove Keisha Grant as an authorized user? Their card ending in 6102 will be closed right away and can't be used again.",
    );
    const turn = await chat.say('Yes');
    expect(turn.text).toBe(
      'Done: Keisha Grant is no longer an authorized user, and their card ending in 6102 is closed.',
    );
    const keisha = (await accounts().listAuthorizedUsers(chat.caller, chat.cardId)).find(
      (u) => u.firstName === 'Keisha',
    )!;
    expect(keisha.status).toBe('removed');
    const cards = await accounts().listCards(chat.caller);
    expect(cards.find((c) => c.last4 === '6102')?.status).toBe('closed');
  });

  it('explains the minimum age instead of adding someone too young', async () => {
    const chat = await h.open('dana');
    const before = await activeUsers(chat);
    await chat.say('Add an authorized user');
    await chat.say('Lily');
    await chat.say('Brooks');
    const turn = await chat.say('March 14, 2018');
    expect(turn.text).toBe(
      "Authorized users must be at least 13 years old, so I can't add Lily yet. You can add them from March 14, 2031.",
    );
    expect(await activeUsers(chat)).toHaveLength(before.length);
  });

  it('changes nothing when the cardmember cancels halfway', async () => {
    const chat = await h.open('dana');
    const before = await activeUsers(chat);
    await chat.say('Add an authorized user');
    await chat.say('Nora');
    await chat.say('Brooks');
    const turn = await chat.say('cancel');
    expect(turn.text).toMatch(/Nothing was changed/);
    expect(await activeUsers(chat)).toHaveLength(before.length);
  });
});

describe('account.update_contact', () => {
  it('changes the email after confirming and verifying', async () => {
    const chat = await h.open('maria');
    await chat.verify();
    expect((await chat.say('I need to update my email address')).text).toBe("What's your new email address?");
    const question = await chat.say('maria.new@example.com');
    expect(question.text).toBe('Change your email address from maria.lopez@example.com to maria.new@example.com?');
    const turn = await chat.say('Yes');
    expect(turn.text).toMatch(/^Done: your email address is now maria\.new@example\.com\./);
    expect((await profile(chat)).email).toBe('maria.new@example.com');
  });

  it('normalises a US phone number to E.164 before confirming', async () => {
    const chat = await h.open('sam');
    await chat.verify();
    await chat.say('Change my phone number');
    const question = await chat.say('(302) 555-0188');
    expect(question.text).toBe('Change your phone number from (617) 555-0123 to (302) 555-0188?');
    await chat.say('Yes');
    expect((await profile(chat)).phone).toBe('+13025550188');
  });

  it('reads an address typed on one line and replaces the home address', async () => {
    const chat = await h.open('sam');
    await chat.verify();
    const kind = await chat.say('I need to update my address');
    expect(kind.quickReplies).toEqual(['Home', 'Mailing', 'Business']);
    await chat.say('Home');
    const question = await chat.say('500 Oak Ave, Apt 2, Dover, DE 19901');
    expect(question.text).toBe('Change your home address to 500 Oak Ave, Apt 2, Dover, DE 19901?');
    await chat.say('Yes');
    const home = (await profile(chat)).addresses.find((a) => a.kind === 'home')!;
    expect(home).toMatchObject({ line1: '500 Oak Ave', line2: 'Apt 2', city: 'Dover', state: 'DE', zip: '19901' });
  });

  it('asks again for an invalid email, then hands over after a second one', async () => {
    const chat = await h.open('grace');
    await chat.say('I need to update my email address');
    const first = await chat.say('grace at example dot com');
    expect(first.text).toBe(
      "That doesn't look like a complete email address (like name@example.com). What's your new email address?",
    );
    const second = await chat.say('grace@example');
    expect(second.text).toMatch(/I'll bring in a person/);
    expect((await chat.row()).status).toBe('queued');
    expect((await chat.lastEvent('conversation.queued'))?.teamId).toBe('general');
    expect((await profile(chat)).email).toBe('grace.whitfield@example.com');
  });

  it('follows a change of topic while waiting for the new number', async () => {
    const chat = await h.open('noah');
    await chat.say('Change my phone number');
    const turn = await chat.say('What is my credit limit?');
    expect(turn.replies[0]).toMatch(/let's leave that for now/);
    expect(turn.text).toMatch(/credit limit of \$3,000\.00/);
    expect((await profile(chat)).phone).toBe('+12065550131');
  });
});

describe('account.preferences', () => {
  it('switches to paperless statements', async () => {
    const chat = await h.open('sam');
    const question = await chat.say('I want paperless statements');
    expect(question.text).toMatch(/^Switch to paperless statements\?/);
    const turn = await chat.say('Yes');
    expect(turn.text).toMatch(/^Done: you're on paperless statements/);
    expect((await profile(chat)).communication.paperlessStatements).toBe(true);
  });

  it('turns on text message alerts, keeping the other channels', async () => {
    const chat = await h.open('leo');
    const question = await chat.say('Turn on text message alerts');
    expect(question.text).toBe('Change your alerts so you get them by email, text message, and push notification?');
    await chat.say('Yes');
    expect((await profile(chat)).communication.alertChannels).toEqual(['email', 'sms', 'push']);
  });

  it('changes the language of letters, not of the chat', async () => {
    const chat = await h.open('noah');
    const question = await chat.say('Send my letters in Spanish');
    expect(question.text).toMatch(/in Spanish from now on\? This chat will stay in English\./);
    await chat.say('Yes');
    const p = await profile(chat);
    expect(p.communication.language).toBe('es');
    expect(p.preferredLanguage).toBe('en');
  });

  it('hands over after two answers it cannot understand', async () => {
    const chat = await h.open('grace');
    const ask = await chat.say('Update my communication preferences');
    expect(ask.quickReplies).toEqual(['Paperless statements', 'Alerts', 'Language for letters']);
    expect((await chat.say('asdkjh qwe zxcv')).text).toMatch(/^Sorry, I didn't catch that\./);
    expect((await chat.say('blorf snark')).text).toMatch(/I'll bring in a person/);
    expect((await chat.row()).team_id).toBe('general');
    expect((await chat.lastEvent('conversation.queued'))?.reason).toBe('account.preferences:not_understood');
  });
});

describe('in Spanish', () => {
  it('changes the language of letters and the email address, all in Spanish', async () => {
    const chat = await h.open('jose');
    const ask = await chat.say('Quiero cambiar mis preferencias de comunicación');
    expect(ask.text).toMatch(
      /^Su configuración actual: estados de cuenta sin papel; alertas por correo electrónico y mensaje de texto; cartas en español\./,
    );
    expect(ask.quickReplies).toEqual(['Estados de cuenta sin papel', 'Alertas', 'Idioma de las cartas']);
    const which = await chat.say('Idioma de las cartas');
    expect(which.text).toBe('Sus cartas y mensajes seguros están en español. ¿Qué idioma prefiere?');
    const question = await chat.say('English');
    expect(question.text).toMatch(/^¿Le enviamos las cartas y mensajes seguros en inglés de ahora en adelante\?/);
    expect((await chat.say('sí')).text).toBe('Listo: sus cartas y mensajes seguros estarán en inglés.');
    expect((await profile(chat)).communication.language).toBe('en');

    expect((await chat.say('Quiero cambiar mi correo electrónico')).text).toBe('¿Cuál es su nuevo correo electrónico?');
    const confirm = await chat.say('jose.m@example.com');
    expect(confirm.text).toBe('¿Cambio su correo electrónico de jose.martinez@example.com a jose.m@example.com?');
    expect((await chat.say('sí')).text).toMatch(/^Por su seguridad, necesito confirmar que es usted/);
    await chat.verify();
    expect((await chat.say('sí')).text).toMatch(/^Listo: su correo electrónico ahora es jose\.m@example\.com\./);
    expect((await profile(chat)).email).toBe('jose.m@example.com');
  });
});
