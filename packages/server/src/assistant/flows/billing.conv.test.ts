/**
 * Conversation tests of the billing flows: scripted chats with the real app (demo personas, accounts
 * core, NLU, flows), asserting the replies and the account state they leave behind.
 */
import { describe, expect, it } from 'vitest';
import { useChatHarness } from './testing.js';

const h = useChatHarness();

const accounts = () => h.app.services.accounts;

describe('billing questions', () => {
  it('payment.due_date: the due date, minimum and statement balance of the chat card', async () => {
    const chat = await h.open('sam');
    const b = await accounts().getBillingSummary(chat.caller, chat.cardId);
    const turn = await chat.say('When is my payment due?');
    expect(turn.text).toMatch(/Meridian Blue Cash ending in 4001 is due on December 18, 2026/);
    expect(turn.text).toContain(`$${(b.minimumDueCents / 100).toFixed(2)}`);
    expect(turn.quickReplies).toContain('Make a payment');
  });

  it('payment.minimum: the minimum and what paying only it means', async () => {
    const chat = await h.open('grace');
    const turn = await chat.say('What is my minimum payment?');
    expect(turn.text).toMatch(/minimum payment on your Meridian Gold Card ending in 8006 is \$[\d,.]+, due on/);
  });

  it('payment.balance: statement versus current balance', async () => {
    const chat = await h.open('omar');
    const b = await accounts().getBillingSummary(chat.caller, chat.cardId);
    const turn = await chat.say("What's my balance?");
    expect(turn.text).toMatch(/statement balance is \$1,216\.91/);
    expect(turn.text).toContain(
      `current balance is $${(b.currentBalanceCents / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`,
    );
    expect(turn.text).toMatch(/closed on November 15, 2026/);
  });

  it('payment.posting: posted and scheduled payments, and what to do if one is missing', async () => {
    const chat = await h.open('sam');
    const turn = await chat.say("My payment hasn't posted yet");
    expect(turn.text).toMatch(/\$1,930\.39: scheduled for December 17, 2026/);
    expect(turn.text).toMatch(/\$1,135\.63 on November 22, 2026: posted/);
    expect(turn.text).toMatch(/mailed checks/);
  });

  it('fee.foreign: what the account shows for purchases abroad', async () => {
    const chat = await h.open('leo');
    const abroad = (await accounts().listTransactions(chat.caller, { cardId: chat.cardId, from: '2026-08-27' })).filter(
      (x) => x.foreign && x.amount.amountCents > 0,
    );
    const turn = await chat.say('Is there a foreign transaction fee?');
    expect(turn.text).toMatch(
      abroad.length > 0
        ? /No foreign transaction fees were charged on your Meridian Platinum Card ending in 7008 .* purchases with merchants abroad/
        : /Meridian Platinum Card ending in 7008 hasn't been charged any foreign transaction fee/,
    );
  });

  it('transactions.recent: the latest five, and filtered by a merchant named', async () => {
    const chat = await h.open('maria');
    const all = await chat.say('Show my recent transactions');
    expect(all.replies[0]!.split('\n').filter((l) => l.startsWith('•'))).toHaveLength(5);
    expect(all.text).toMatch(/Harbor Street Grill — \$42\.80 — November 24, 2026 \(pending\)/);
    const omar = await h.open('omar');
    const filtered = await omar.say('Show my transactions from NovaByte Online');
    const lines = filtered.replies[0]!.split('\n').filter((l) => l.startsWith('•'));
    expect(lines).toEqual([
      '• NovaByte Online — $129.99 — November 6, 2026',
      '• NovaByte Online — $389.99 — August 4, 2026',
    ]);
  });
});

describe('payment.make', () => {
  it('asks which card, offers what is owed, confirms and pays from the bank on file', async () => {
    const chat = await h.open('maria');
    const before = await accounts().listPayments(chat.caller, 'card_maria_gold');
    let turn = await chat.say('I want to make a payment');
    expect(turn.quickReplies).toEqual([
      'Meridian Gold Card ending in 1005',
      'Meridian Business Platinum ending in 2009',
    ]);
    turn = await chat.say('Meridian Gold Card ending in 1005');
    // The statement is already covered by a scheduled payment: it is said, and not offered again.
    expect(turn.text).toMatch(/already have \$1,356\.02 scheduled for December 2, 2026/);
    expect(turn.quickReplies).toEqual(['Current balance ($2,225.59)', 'Another amount']);
    turn = await chat.say('Another amount');
    turn = await chat.say('$150');
    expect(turn.text).toBe(
      'To confirm: pay $150.00 toward your Meridian Gold Card ending in 1005 from your bank account ending in 0618, today. Shall I go ahead?',
    );
    turn = await chat.say('Yes');
    expect(turn.text).toMatch(/payment of \$150\.00 .* is processing today\. Confirmation number: pay_\w+/);
    const after = await accounts().listPayments(chat.caller, 'card_maria_gold');
    expect(after).toHaveLength(before.length + 1);
    const paid = after.find((p) => !before.some((b) => b.id === p.id))!;
    expect(paid).toMatchObject({
      amountCents: 15_000,
      scheduledFor: '2026-11-25',
      status: 'processing',
      fromBankLast4: '0618',
    });
    expect(turn.text).toContain(paid.id);
  });

  it('takes amount and date from the first message and schedules it', async () => {
    const chat = await h.open('leo');
    let turn = await chat.say('I want to pay $300 on December 1');
    expect(turn.text).toMatch(/pay \$300\.00 toward your Meridian Platinum Card ending in 7008 .* on December 1, 2026/);
    turn = await chat.say('yes');
    expect(turn.text).toMatch(/scheduled for December 1, 2026/);
    const payments = await accounts().listPayments(chat.caller, chat.cardId);
    expect(payments.filter((p) => p.amountCents === 30_000 && p.scheduledFor === '2026-12-01')).toHaveLength(1);
  });

  it('cancel mid-flow changes nothing', async () => {
    const chat = await h.open('noah');
    const before = await accounts().listPayments(chat.caller, chat.cardId);
    let turn = await chat.say('I want to make a payment of $25');
    expect(turn.text).toMatch(/To confirm: pay \$25\.00/);
    turn = await chat.say('cancel');
    expect(turn.text).toMatch(/Nothing was changed/);
    expect(await accounts().listPayments(chat.caller, chat.cardId)).toEqual(before);
  });

  it('a retried confirmation pays once (idempotency)', async () => {
    const chat = await h.open('grace');
    const before = await accounts().listPayments(chat.caller, chat.cardId);
    await chat.say('I want to make a payment of $75');
    const rewind = await chat.rewindPoint();
    const first = await chat.say('yes');
    await rewind();
    const again = await chat.say('yes');
    const ref = /pay_\w+/.exec(first.text)?.[0];
    expect(ref).toBeDefined();
    expect(again.text).toContain(ref!);
    const after = await accounts().listPayments(chat.caller, chat.cardId);
    expect(after.filter((p) => !before.some((b) => b.id === p.id))).toHaveLength(1);
  });

  it('the whole flow in Spanish', async () => {
    const chat = await h.open('jose');
    const before = await accounts().listPayments(chat.caller, chat.cardId);
    let turn = await chat.say('¿Cuándo vence mi pago?');
    expect(turn.text).toMatch(
      /Su próximo pago de la Meridian Green Card terminada en 3007 vence el 5 de diciembre de 2026/,
    );
    turn = await chat.say('Quiero hacer un pago');
    expect(turn.text).toMatch(/¿Cuánto desea pagar a su Meridian Green Card terminada en 3007\?/);
    expect(turn.quickReplies).toContain('Otro monto');
    turn = await chat.say('Otro monto');
    turn = await chat.say('80 dólares');
    expect(turn.text).toMatch(
      /^Para confirmar: pagar \$80\.00 a su Meridian Green Card terminada en 3007 .* hoy\. ¿Procedo\?$/,
    );
    turn = await chat.say('Sí');
    expect(turn.text).toMatch(
      /^Listo: su pago de \$80\.00 .* se está procesando hoy\. Número de confirmación: pay_\w+/,
    );
    const after = await accounts().listPayments(chat.caller, chat.cardId);
    expect(after.filter((p) => !before.some((b) => b.id === p.id)).map((p) => p.amountCents)).toEqual([8_000]);
  });
});

describe('payment.change_due_date', () => {
  it('offers days, confirms, changes the due day and says when it takes effect; a second change is refused', async () => {
    const chat = await h.open('grace');
    let turn = await chat.say('I want to change my due date');
    expect(turn.text).toMatch(/due on the 16th of each month/);
    expect(turn.quickReplies).toEqual(['The 1st', 'The 5th', 'The 10th', 'The 15th', 'The 20th', 'The 25th']);
    turn = await chat.say('The 20th');
    expect(turn.text).toMatch(/will be due on the 20th of each month instead of the 16th/);
    turn = await chat.say('yes');
    expect(turn.text).toMatch(/now due on the 20th of each month\. Your first payment on the new day is due on/);
    expect((await accounts().getBillingSummary(chat.caller, chat.cardId)).dueDay).toBe(20);

    // The 180-day rule, explained, with an agent offered.
    turn = await chat.say('Can I change my due date to the 3rd?');
    expect(turn.text).toMatch(/instead of the 20th/);
    turn = await chat.say('yes');
    expect(turn.text).toMatch(/only be changed once every 180 days.* May 24, 2027\. Would you like me to connect you/);
    turn = await chat.say('no');
    expect(turn.text).toMatch(/due date stays as it is/);
    expect((await accounts().getBillingSummary(chat.caller, chat.cardId)).dueDay).toBe(20);
    expect((await chat.row()).status).toBe('bot');
  });

  it('a change of topic mid-flow leaves the due date alone', async () => {
    const chat = await h.open('leo');
    await chat.say('I want to change my due date');
    const turn = await chat.say('What is my minimum payment?');
    expect(turn.text).toMatch(/let's leave that for now/);
    expect(turn.text).toMatch(/minimum payment on your Meridian Platinum Card ending in 7008/);
    expect((await accounts().getBillingSummary(chat.caller, chat.cardId)).dueDay).toBe(3);
  });

  it('answers it cannot use are asked again, then a person takes over', async () => {
    const chat = await h.open('noah');
    await chat.say('I want to change my due date');
    let turn = await chat.say('blorp zzz');
    expect(turn.text).toMatch(/didn't catch that\. Your Meridian Green Card ending in 9002 is due on the 14th/);
    turn = await chat.say('qwerty uiop');
    expect(turn.text).toMatch(/bring in a person/);
    const row = await chat.row();
    expect(row.status).toBe('queued');
    expect(row.team_id).toBe('general');
    expect((await accounts().getBillingSummary(chat.caller, chat.cardId)).dueDay).toBe(14);
  });
});

describe('fee.late', () => {
  it('sam: the first late fee in years is reversed as a courtesy', async () => {
    const chat = await h.open('sam');
    const before = await accounts().getBillingSummary(chat.caller, chat.cardId);
    let turn = await chat.say('I was charged a late fee');
    expect(turn.text).toMatch(/\$30\.00 late fee from November 19, 2026 .* Shall I ask for this one to be reversed\?/);
    turn = await chat.say('yes');
    expect(turn.text).toMatch(/the \$30\.00 late fee is reversed/);
    const fees = await accounts().listFees(chat.caller, chat.cardId);
    expect(fees.find((f) => f.kind === 'late')?.reversedOn).toBe('2026-11-25');
    const after = await accounts().getBillingSummary(chat.caller, chat.cardId);
    expect(after.currentBalanceCents).toBe(before.currentBalanceCents - 3_000);
  });

  it('priya: a second late fee within 12 months is refused kindly, and an agent is offered', async () => {
    const chat = await h.open('priya');
    await chat.say('I was charged a late fee');
    let turn = await chat.say('yes');
    expect(turn.text).toMatch(/I'm sorry: we can reverse a late fee only when it's the first in 12 months/);
    expect(turn.text).toMatch(/Autopay or payment reminders/);
    turn = await chat.say('yes');
    const row = await chat.row();
    expect(row).toMatchObject({ status: 'queued', team_id: 'general' });
    const queued = await chat.lastEvent('conversation.queued');
    expect(queued?.summary).toMatch(/courtesy reversal of the \$41\.00 late fee .* late_fee_not_first_in_12_months/);
    const fees = await accounts().listFees(chat.caller, chat.cardId);
    expect(fees.find((f) => f.assessedOn === '2026-11-09')?.reversedOn).toBeNull();
  });
});
