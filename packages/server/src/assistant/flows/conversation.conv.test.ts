/**
 * Conversation tests of the conversation flows (complaints, references, summaries, FAQs, language,
 * small talk) and of out-of-scope messages, against the real app (see test/chat-harness.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Chat } from '../../../test/chat-harness.js';
import type { ActionRecord } from '../dialogue/flow.js';
import { AssistantStateStore } from '../dialogue/state.js';
import { MAIL, PHONE } from '../knowledge/facts.js';
import { useChatHarness } from './testing.js';

const h = useChatHarness();

/** José's open dispute of the duplicate dinner (opened through the port once per harness). */
async function josesDispute(chat: Chat) {
  const accounts = h.app.services.accounts;
  const [open] = await accounts.listDisputes(chat.caller);
  if (open) return open;
  const [dinner] = await accounts.listTransactions(chat.caller, { merchant: 'Taquería Luna Azul', status: 'posted' });
  return accounts.openDispute(chat.caller, { transactionId: dinner!.id, reason: 'duplicate' }, 'conv-test-jose');
}

/** As if the assistant had done this earlier in the chat (other areas' flows write these records). */
async function remember(chat: Chat, record: ActionRecord): Promise<void> {
  const states = new AssistantStateStore(h.app.store.db);
  const state = await states.load(chat.conversationId);
  state.records.push({ ...record, at: h.clock.now().toISOString() });
  await states.save(chat.conversationId, state, h.clock.now().toISOString());
}

describe('complaint.file', () => {
  it('asks the category and the description, then queues for Customer Care with both in the summary', async () => {
    const chat = await h.open('maria');
    const first = await chat.say('I want to make a complaint');
    expect(first.text).toMatch(/What is your complaint about\?/);
    expect(first.quickReplies).toEqual([
      'Fees',
      'The service I received',
      'A charge on my account',
      'How fraud was handled',
      'Something else',
    ]);
    const second = await chat.say('Fees');
    expect(second.text).toMatch(/tell me briefly what happened/);
    expect((await chat.row()).status).toBe('bot');

    const last = await chat.say('Nobody told me about it when I opened the account');
    const reference =
      /registered your complaint with reference (CMP-[0-9A-Z]{8})\. We'll answer it within 15 business days\./.exec(
        last.text,
      )?.[1];
    expect(reference).toBeDefined();
    expect(last.text).toMatch(/Customer Care team/);
    // The complaint is a case: category from the flow, linked to the chat, the cardmember's words first.
    const cases = h.app.services.cases;
    const row = (await cases.byReference(reference!))!;
    expect(row).toMatchObject({
      type: 'complaint',
      status: 'open',
      complaint_category: 'fees',
      owner_team_id: 'general',
    });
    expect((await cases.listForConversation(chat.conversationId)).map((c) => c.id)).toEqual([row.id]);
    const view = await cases.view(row, 'cardmember');
    expect(view.timeline![0]).toMatchObject({
      type: 'created',
      text: 'Nobody told me about it when I opened the account',
      visibleToCardmember: true,
    });
    expect(await chat.row()).toMatchObject({ status: 'queued', team_id: 'general', priority: 1 });
    const queued = await chat.lastEvent('conversation.queued');
    expect(queued).toMatchObject({ teamId: 'general', reason: 'complaint.file', priority: 1 });
    expect(queued!.summary).toMatch(/Complaint about fees/);
    expect(queued!.summary).toMatch(/"Nobody told me about it when I opened the account"/);
    expect(queued!.summary).toContain(`Registered as complaint ${reference}`);
    // Waiting for the agent, the cardmember can ask for the number again.
    const refs = await chat.say('what is my case number');
    expect(refs.text).toContain(`(reference ${reference})`);
    expect(refs.text).not.toMatch(/gets its reference number from the agent/);
  });

  it('takes the category and the description from a detailed first message', async () => {
    const chat = await h.open('sam');
    const turn = await chat.say('I want to file a complaint about the rude agent who hung up on me twice yesterday');
    expect(turn.text).toMatch(/registered your complaint with reference CMP-/);
    const [complaint] = await h.app.services.cases.listForConversation(chat.conversationId);
    expect(complaint).toMatchObject({ type: 'complaint', complaint_category: 'service' });
    const queued = await chat.lastEvent('conversation.queued');
    expect(queued!.summary).toMatch(/Complaint about the service received/);
    expect(queued!.summary).toMatch(/rude agent who hung up on me twice/);
  });

  it('runs the whole complaint in Spanish for José', async () => {
    const chat = await h.open('jose');
    const first = await chat.say('quiero poner una queja');
    expect(first.text).toMatch(/¿Sobre qué es su queja\?/);
    expect(first.quickReplies).toContain('La atención que recibí');
    const second = await chat.say('La atención que recibí');
    expect(second.text).toMatch(/cuénteme brevemente qué pasó/);
    const last = await chat.say('Me atendieron muy mal por teléfono la semana pasada');
    expect(last.text).toMatch(
      /Registré su queja con la referencia CMP-[0-9A-Z]{8}\. Le responderemos en un plazo de 15 días hábiles\./,
    );
    expect(last.text).toMatch(/equipo de Atención al Cliente/);
    const [complaint] = await h.app.services.cases.listForConversation(chat.conversationId);
    expect(complaint).toMatchObject({ type: 'complaint', complaint_category: 'service', language: 'es' });
    const row = await chat.row();
    expect(row).toMatchObject({ status: 'queued', team_id: 'general', priority: 1, language: 'es' });
    // The agent's summary is in English, with the cardmember's own words quoted.
    const queued = await chat.lastEvent('conversation.queued');
    expect(queued!.summary).toMatch(/Complaint about the service received, in the cardmember's words: "Me atendieron/);
  });

  it('stops on "cancel" mid-flow without queueing anything', async () => {
    const chat = await h.open('maria');
    await chat.say('I want to make a complaint');
    await chat.say('A charge on my account');
    const turn = await chat.say('cancel');
    expect(turn.text).toMatch(/Nothing was changed/);
    expect((await chat.row()).status).toBe('bot');
    expect(await chat.eventCount('conversation.queued')).toBe(0);
  });

  it('leaves the complaint for another topic asked mid-flow', async () => {
    const chat = await h.open('maria');
    await chat.say('I want to make a complaint');
    const turn = await chat.say('are you a bot?');
    expect(turn.replies[0]).toMatch(/let's leave that for now/);
    expect(turn.text).toMatch(/virtual assistant/);
    expect((await chat.row()).status).toBe('bot');
    expect(await chat.eventCount('conversation.queued')).toBe(0);
  });

  it('reprompts an answer it cannot understand, then hands over after the second', async () => {
    const chat = await h.open('maria');
    await chat.say('I want to make a complaint');
    const again = await chat.say('blorf snackle');
    expect(again.text).toMatch(/didn't catch that\. .*What is your complaint about\?/s);
    expect(again.quickReplies).toContain('Fees');
    expect((await chat.row()).status).toBe('bot');
    const handed = await chat.say('zxcv qwer');
    expect(handed.text).toMatch(/I'll bring in a person/);
    expect(await chat.row()).toMatchObject({ status: 'queued', team_id: 'general' });
    expect((await chat.lastEvent('conversation.queued'))!.summary).toMatch(/complaint\.file/);
  });

  it('queues a complaint once: a second one while waiting only reports the place in line', async () => {
    const chat = await h.open('maria');
    await chat.say('I want to make a complaint about the fees');
    await chat.say('Nobody told me about it when I opened the account');
    expect(await chat.eventCount('conversation.queued')).toBe(1);
    await chat.say('I want to make a complaint about the fees');
    const turn = await chat.say('Nobody told me about it when I opened the account');
    expect(turn.text).toMatch(/already in line for a live agent: you're number \d+/);
    expect(await chat.eventCount('conversation.queued')).toBe(1);
    // One complaint case for the chat, however often it is told.
    expect(await h.app.services.cases.listForConversation(chat.conversationId)).toHaveLength(1);
  });

  it("redacts card numbers from the complaint's timeline entry", async () => {
    const chat = await h.open('omar');
    await chat.say('I want to make a complaint about the fees');
    await chat.say('They charged my card 4111 1111 1111 1111 a fee nobody had told me about');
    const [complaint] = await h.app.services.cases.listForConversation(chat.conversationId);
    const view = await h.app.services.cases.view(complaint!, 'staff');
    expect(view.timeline![0]!.text).toMatch(/fee nobody had told me about/);
    expect(JSON.stringify(view)).not.toMatch(/4111 ?1111 ?1111 ?1111/);
  });
});

describe('case.reference', () => {
  it('gives the chat its own reference when asked, the same one every time', async () => {
    const chat = await h.open('grace');
    expect((await chat.row()).reference ?? null).toBeNull();
    const turn = await chat.say('what is my case number');
    const reference = /• This chat: (CHT-[0-9A-Z]{8})/.exec(turn.text)?.[1];
    expect(reference).toBeDefined();
    expect(turn.text).toMatch(/^Here are your reference numbers:/);
    expect((await chat.row()).reference).toBe(reference);
    expect((await chat.say('what is my reference number')).text).toContain(`• This chat: ${reference}`);
  });

  it("lists the cardmember's open cases with type and status, in Spanish, and not closed ones", async () => {
    const chat = await h.open('leo', { language: 'es' });
    const cases = h.app.services.cases;
    const actor = { type: 'agent' as const, id: 'agent_ana', name: 'Ana' };
    const base = { cardmemberId: chat.cardmemberId, language: 'es' as const, actor };
    const travel = await cases.open({ ...base, type: 'travel', title: 'Trip protection claim' });
    await cases.transition(travel.id, 'in_progress', actor);
    const limit = await cases.open({ ...base, type: 'credit_limit', title: 'Limit review' });
    const done = await cases.open({ ...base, type: 'general', title: 'Old question' });
    await cases.transition(done.id, 'resolved', actor);
    const turn = await chat.say('¿cuál es mi número de caso?');
    expect(turn.text).toMatch(/^Estos son sus números de referencia:\n• Este chat: CHT-[0-9A-Z]{8}/);
    expect(turn.text).toContain(`• ${travel.reference}: solicitud de viaje (estado: en curso)`);
    expect(turn.text).toContain(`• ${limit.reference}: solicitud de límite de crédito (estado: abierto)`);
    expect(turn.text).not.toContain(done.reference);
  });

  it("lists the cardmember's open disputes, in Spanish", async () => {
    const chat = await h.open('jose');
    const dispute = await josesDispute(chat);
    const turn = await chat.say('¿cuál es mi número de caso?');
    expect(turn.text).toMatch(/Estos son sus números de referencia:/);
    expect(turn.text).toContain(`• ${dispute.reference}: disputa de`);
    expect(turn.text).toMatch(/Taquería Luna Azul, abierta el \d+ de \w+ de \d{4}, en curso/);
  });
});

describe('conversation.summary', () => {
  it('says nothing was done yet, and how to get a transcript', async () => {
    const chat = await h.open('maria');
    const turn = await chat.say('email me a transcript of this chat');
    expect(turn.replies[0]).toMatch(/haven't changed anything or opened any case in this chat yet/);
    expect(turn.replies[1]).toMatch(/download the full transcript/);
  });

  it('lists what was done with references, and next steps with dates from the accounts system', async () => {
    const chat = await h.open('jose');
    const dispute = await josesDispute(chat);
    await remember(chat, { intent: 'dispute.start', description: 'Opened a dispute', reference: dispute.reference });
    const turn = await chat.say('cuáles son los próximos pasos');
    expect(turn.text).toContain(`• 25 de noviembre de 2026: Disputa de un cargo (referencia ${dispute.reference})`);
    expect(turn.text).toMatch(
      new RegExp(
        `Próximos pasos y plazos previstos:\n• Disputa ${dispute.reference}: la confirmaremos por escrito a más tardar el \\d+ de \\w+ de 2026 y la resolveremos a más tardar el \\d+ de \\w+ de 202[67]`,
      ),
    );
    // The same reference is not listed twice by case.reference (record and open dispute).
    const refs = await chat.say('¿cuál es mi número de caso?');
    expect(refs.text.split(dispute.reference)).toHaveLength(2);
  });

  it('tells when a replacement card should arrive', async () => {
    const chat = await h.open('maria');
    const lost = await h.app.services.accounts.reportLostOrStolen(
      chat.caller,
      { cardId: chat.cardId, reason: 'lost' },
      'conv-test-maria-lost',
    );
    const description = `Reported card ending ${lost.closedCard.last4} lost; new card ending ${lost.newCard.last4} ordered`;
    await remember(chat, { intent: 'card.lost_stolen', description, reference: lost.replacement.id });
    const turn = await chat.say('send me a summary');
    expect(turn.text).toContain(`• November 25, 2026: ${description} (reference ${lost.replacement.id})`);
    expect(turn.text).toMatch(
      new RegExp(
        `Next steps and expected timeline:\n• Your new card ending in ${lost.newCard.last4} should arrive by [A-Z][a-z]+ \\d+, 202[67]\\.`,
      ),
    );
    // Asked in so many words, the cardmember gets the next steps and the timeline, not a menu.
    const confirm = await chat.say('Please confirm next steps and the expected timeline');
    expect(confirm.text).toMatch(/^Summary of this chat:\nWhat you asked about: your card\.\nWhat we did:/);
    expect(confirm.text).toMatch(
      new RegExp(`Next steps and expected timeline:\n• Your new card ending in ${lost.newCard.last4} should arrive by`),
    );
  });

  it('lists what was done with its date and the next steps, in Spanish', async () => {
    const chat = await h.open('maria', { language: 'es' });
    await chat.say('quiero poner una queja');
    await chat.say('Comisiones o cuotas');
    await chat.say('Nadie me avisó de ese cobro cuando abrí la cuenta');
    const turn = await chat.say('¿me envía un resumen de la conversación?');
    expect(turn.text).toMatch(
      /^Resumen de este chat:\nLo que consultó: una queja\.\nLo que hicimos:\n• 25 de noviembre de 2026: Queja enviada a Atención al Cliente .*\(referencia (CMP-[0-9A-Z]{8})\)/,
    );
    const reference = /\(referencia (CMP-[0-9A-Z]{8})\)/.exec(turn.text)![1]!;
    expect(turn.text).toContain(
      `Próximos pasos y plazos previstos:\n• Queja ${reference}: le responderemos por escrito en un plazo de 15 días hábiles.`,
    );
    // Kept in writing: the same summary is in her secure messages, once, and the chat says so.
    expect(turn.replies).toContain('Tiene una copia en sus mensajes seguros de nuestro sitio web.');
    const inbox = () =>
      h.app.store.db
        .selectFrom('secure_messages')
        .select(['body', 'language'])
        .where('conversation_id', '=', chat.conversationId)
        .where('kind', '=', 'summary')
        .execute();
    expect(await inbox()).toEqual([{ body: turn.replies[0], language: 'es' }]);
    // Asked again later (a new message): a new copy; the first one stays.
    await chat.say('¿me envía un resumen de la conversación?');
    expect(await inbox()).toHaveLength(2);
  });
});

describe('knowledge answers', () => {
  it('answers hours, contact, bot and security questions from the knowledge base', async () => {
    const chat = await h.open('maria');
    expect((await chat.say('what are your hours')).text).toMatch(/open 24 hours a day, 7 days a week/);
    expect((await chat.say('when can I call customer care?')).text).toContain(PHONE.general);
    expect((await chat.say('what are your business hours')).text).toMatch(/open 24 hours a day, 7 days a week/);
    expect((await chat.say('when is the disputes team available')).text).toMatch(/8 a\.m\. to midnight Eastern Time/);
    expect((await chat.say('what is your phone number')).text).toContain(PHONE.fraud);
    expect((await chat.say("what's your mailing address")).text).toContain(MAIL.correspondence);

    const bot = await chat.say('are you a bot');
    expect(bot.text).toMatch(/virtual assistant: an AI program, not a person/);
    expect(bot.text).toContain(PHONE.general);
    expect(bot.quickReplies).toEqual(['Talk to an agent']);

    const security = await chat.say('do you need my full card number');
    expect(security.text).toMatch(/never ask for your full card number, the security code/);
    expect(security.text).toMatch(/one-time passcode/);
    expect((await chat.row()).status).toBe('bot');
  });

  it('answers the same questions in Spanish', async () => {
    const chat = await h.open('jose');
    expect((await chat.say('¿a qué hora cierran?')).text).toMatch(/abierto las 24 horas/);
    expect((await chat.say('¿cuál es su número de teléfono?')).text).toContain(PHONE.spanish);
    expect((await chat.say('¿es usted una persona real?')).text).toMatch(/inteligencia artificial, no una persona/);
    expect((await chat.say('¿por qué necesitan mi número de seguro social?')).text).toMatch(/Nunca le pediremos/);
  });

  it('says what it can do, with quick replies', async () => {
    const chat = await h.open('maria');
    const turn = await chat.say('what can you do');
    expect(turn.text).toMatch(/I can lock, replace or activate a card/);
    expect(turn.quickReplies).toEqual([
      'Report a lost card',
      'My balance and due date',
      'Dispute a charge',
      'Check my rewards',
      'Talk to an agent',
    ]);
    const es = await (await h.open('jose')).say('¿qué puede hacer?');
    expect(es.quickReplies).toContain('Hablar con un agente');
  });
});

describe('language', () => {
  it('switches to Spanish and back, replying in the new language', async () => {
    const chat = await h.open('maria');
    const toSpanish = await chat.say('can we speak in spanish');
    expect(toSpanish.text).toMatch(/^Claro, continuamos en español/);
    expect((await chat.row()).language).toBe('es');
    expect(await chat.lastEvent('conversation.language_changed')).toMatchObject({ from: 'en', to: 'es' });
    expect((await chat.say('prefiero español')).text).toMatch(/Ya estamos conversando en español/);
    expect((await chat.say('¿a qué hora cierran?')).text).toMatch(/abierto las 24 horas/);

    const toEnglish = await chat.say('English please');
    expect(toEnglish.text).toMatch(/^Sure, we'll continue in English/);
    expect(toEnglish.quickReplies).toContain('Report a lost card');
    expect((await chat.row()).language).toBe('en');
  });
});

describe('small talk', () => {
  it('greets, thanks and says goodbye by name, and answers a stray yes or no', async () => {
    const chat = await h.open('maria');
    const hi = await chat.say('hello');
    expect(hi.text).toBe('Hi Maria! How can I help you today?');
    expect(hi.quickReplies).toContain('Talk to an agent');
    expect((await chat.say('ok')).text).toBe('Anything else I can help with?');
    expect((await chat.say('thank you')).text).toMatch(/^You're welcome, Maria!/);
    expect((await chat.say('no thanks')).text).toMatch(/"End chat"/);
    expect((await chat.say('goodbye')).text).toMatch(/Thank you for chatting with Meridian, Maria\..*"End chat"/);
    expect((await chat.row()).status).toBe('bot');
  });

  it('does the same in Spanish', async () => {
    const chat = await h.open('jose');
    expect((await chat.say('hola')).text).toBe('¡Hola, José! ¿En qué puedo ayudarle hoy?');
    expect((await chat.say('vale')).text).toBe('¿Hay algo más en lo que pueda ayudarle?');
    expect((await chat.say('muchas gracias')).text).toMatch(/^¡Con gusto, José!/);
    expect((await chat.say('adiós')).text).toMatch(/"Finalizar chat"/);
  });
});

describe('out of scope', () => {
  const cantHelp = /Sorry, I didn't understand that\. I can help with your card/;
  const cantHelpEs = /Disculpe, no entendí\. Puedo ayudarle con su tarjeta/;

  it('never guesses at off-topic questions and offers an agent', async () => {
    const chat = await h.open('maria');
    const weather = await chat.say("what's the weather in Paris");
    expect(weather.text).toMatch(cantHelp);
    expect(weather.quickReplies).toContain('Talk to an agent');
    // A message it understands in between: the next miss is a first one again, not a handoff.
    await chat.say('thanks');
    expect((await chat.say('give me a recipe for lasagna')).text).toMatch(cantHelp);
    expect((await chat.row()).status).toBe('bot');
  });

  it('does the same in Spanish', async () => {
    const chat = await h.open('maria', { language: 'es' });
    const weather = await chat.say('¿qué tiempo va a hacer mañana?');
    expect(weather.text).toMatch(cantHelpEs);
    expect(weather.quickReplies).toContain('Hablar con un agente');
    await chat.say('gracias');
    expect((await chat.say('dame una receta de paella')).text).toMatch(cantHelpEs);
    expect((await chat.row()).status).toBe('bot');
  });

  // The knowledge fallback once answered this with the "mail a payment" article: words like "number"
  // and "account" match. It now answers only what the model was unsure about, not what it knows is off-topic.
  it("does not answer a checking account's routing number with an unrelated article", async () => {
    const chat = await h.open('maria');
    expect((await chat.say('what is the routing number of my checking account')).text).toMatch(cantHelp);
    const es = await h.open('jose');
    expect((await es.say('¿cuál es el número de ruta de mi cuenta corriente?')).text).toMatch(cantHelpEs);
  });
});
