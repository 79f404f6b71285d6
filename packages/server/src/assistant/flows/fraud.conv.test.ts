/**
 * Conversation tests of the fraud flow, the urgent path: lock at once without a question, the 24/7
 * fraud line, and a priority handoff to the fraud team with a summary.
 */
import { describe, expect, it } from 'vitest';
import { PHONE } from '../knowledge/facts.js';
import { FRAUD_PRIORITY } from './fraud.flows.js';
import { useChatHarness } from './testing.js';

const h = useChatHarness();

describe('fraud.report', () => {
  it('locks the card at once, gives the fraud line and queues for the fraud team first (maria)', async () => {
    const chat = await h.open('maria');
    const turn = await chat.say('someone is using my card');
    // No question first: the lock is done in the same turn.
    expect(turn.text).toMatch(/I've locked your Meridian Gold Card ending in 1005 right away/);
    expect(turn.text).toContain(PHONE.fraud);
    expect(turn.text).toMatch(/number on the back of your card/);
    expect(turn.text).toMatch(/live agent on our [A-Za-z ]*Fraud/);
    expect((await chat.card('1005')).status).toBe('locked');
    expect((await chat.card('2009')).status).toBe('active');

    const row = await chat.row();
    expect(row).toMatchObject({ status: 'queued', team_id: 'fraud', priority: FRAUD_PRIORITY });
    const queued = await chat.lastEvent('conversation.queued');
    expect(queued).toMatchObject({ teamId: 'fraud', reason: 'fraud.report', priority: FRAUD_PRIORITY });
    expect(queued?.summary).toMatch(
      /Fraud in progress reported on Meridian Gold Card ending in 1005: the assistant locked it/,
    );

    // Said again while waiting: nothing more is locked, and the cardmember hears they are in line.
    const again = await chat.say('someone is using my card');
    expect(again.text).toMatch(/already locked/);
    expect(again.text).toContain(PHONE.fraud);
    expect(again.text).toMatch(/already in line for a live agent: you're number \d+/);
    expect(await h.performed('lockCard', 'card_maria_gold')).toBe(1);
  });

  it('locks the card named by its last 4 rather than the chat card (maria)', async () => {
    const chat = await h.open('maria');
    const turn = await chat.say('someone is using my card ending in 2009');
    expect(turn.text).toMatch(/locked your Meridian Business Platinum ending in 2009/);
    expect((await chat.card('2009')).status).toBe('locked');
    expect((await chat.row()).team_id).toBe('fraud');
  });

  it('runs in Spanish (jose)', async () => {
    const chat = await h.open('jose');
    const turn = await chat.say('alguien está usando mi tarjeta');
    expect(turn.text).toMatch(/Bloqueé su Meridian Green Card terminada en 3007 de inmediato para protegerle/);
    expect(turn.text).toMatch(new RegExp(`Nuestro equipo de fraude atiende las 24 horas en el ${PHONE.fraud}`));
    expect(turn.text).toMatch(/reverso de su tarjeta/);
    expect(turn.text).toMatch(/agente de nuestro equipo de [A-Za-zó ]*Fraude/);
    expect((await chat.card('3007')).status).toBe('locked');
    expect(await chat.row()).toMatchObject({
      status: 'queued',
      team_id: 'fraud',
      priority: FRAUD_PRIORITY,
      language: 'es',
    });
  });

  it('an already locked card is said so, in Spanish, and the chat still goes to the fraud team (maria, es)', async () => {
    const chat = await h.open('maria', { language: 'es' });
    const turn = await chat.say('alguien está usando mi tarjeta');
    expect(turn.text).toMatch(/Su Meridian Gold Card terminada en 1005 ya está bloqueada/);
    expect(await chat.row()).toMatchObject({ status: 'queued', team_id: 'fraud', priority: FRAUD_PRIORITY });
    expect(await h.performed('lockCard', 'card_maria_gold')).toBe(1);
  });

  it('a card whose number is already closed cannot be locked: explained, and still a priority handoff (ellen)', async () => {
    const chat = await h.open('ellen');
    const turn = await chat.say('someone is using my card');
    expect(turn.text).toMatch(/ending in 1207 was reported lost and its number is closed, so it cannot be used/);
    expect(turn.text).toContain(PHONE.fraud);
    expect((await chat.card('1309')).status).toBe('active');
    const queued = await chat.lastEvent('conversation.queued');
    expect(queued).toMatchObject({ teamId: 'fraud', priority: FRAUD_PRIORITY });
    expect(queued?.summary).toMatch(/its number was already closed/);
  });

  it('moves a chat already waiting for another team to the fraud queue, first in line', async () => {
    const chat = await h.open('sam');
    await chat.say('I want to talk to a live agent');
    expect(await chat.row()).toMatchObject({ status: 'queued', team_id: 'general', priority: 0 });
    const turn = await chat.say('someone is using my card right now, I see charges I did not make');
    expect(turn.text).toContain(PHONE.fraud);
    expect(await chat.row()).toMatchObject({ status: 'queued', team_id: 'fraud', priority: FRAUD_PRIORITY });
    expect(await chat.lastEvent('conversation.requeued')).toMatchObject({ from: 'general', teamId: 'fraud' });
    expect((await chat.card('4001')).status).toBe('locked');
  });
});
