/**
 * The dialogue manager's global behaviours, end to end through the real app: cancel, start over,
 * change of topic, failed understanding, requests for a person (with the summary the agent reads
 * first), and the automatic language switch. The complaint flow serves as the task in progress: it
 * asks two questions and changes no account.
 */
import { describe, expect, it, vi } from 'vitest';
import { ConversationsStore } from '../../conversations/conversations.store.js';
import { AssistantStateStore } from './state.js';
import { useChatHarness } from '../flows/testing.js';

const h = useChatHarness();

describe('dialogue manager', () => {
  it('cancels a task in progress, and says so when there is none', async () => {
    const chat = await h.open('maria');
    expect((await chat.say('cancel')).text).toMatch(/There's nothing in progress to cancel/);
    await chat.say('I want to make a complaint');
    const turn = await chat.say('cancel');
    expect(turn.text).toMatch(/I've stopped that\. Nothing was changed/);
    expect(turn.quickReplies).toContain('Report a lost card');
    // The question is gone: the complaint's category is not asked again.
    expect((await chat.say('hello')).text).toBe('Hi Maria! How can I help you today?');
    expect((await chat.row()).status).toBe('bot');
  });

  it('starts over', async () => {
    const chat = await h.open('maria');
    await chat.say('I want to make a complaint');
    expect((await chat.say('start over')).text).toMatch(/let's start over\. Nothing was changed/);
    const next = await chat.say('what are your hours');
    expect(next.text).not.toMatch(/leave that for now/);
    expect(next.text).toMatch(/24 hours a day/);
  });

  it('leaves a task for a new topic asked mid-flow', async () => {
    const chat = await h.open('maria');
    await chat.say('I want to make a complaint');
    const turn = await chat.say('what are your hours');
    expect(turn.replies).toHaveLength(2);
    expect(turn.replies[0]).toBe("Okay, let's leave that for now. Nothing was changed.");
    expect(turn.replies[1]).toMatch(/24 hours a day/);
  });

  it('hands over to Customer Care after two messages it does not understand, with a summary', async () => {
    const chat = await h.open('sam');
    const first = await chat.say('asdf qwer');
    expect(first.text).toMatch(/Sorry, I didn't understand that/);
    expect(first.quickReplies).toContain('Talk to an agent');
    expect((await chat.row()).status).toBe('bot');
    const second = await chat.say('zxcv uiop');
    expect(second.text).toMatch(/couldn't understand\. Let me connect you/);
    expect(second.text).toMatch(/live agent on our Customer Care team/);
    expect(await chat.row()).toMatchObject({ status: 'queued', team_id: 'general', priority: 0 });
    const queued = await chat.lastEvent('conversation.queued');
    expect(queued).toMatchObject({ teamId: 'general', reason: 'not_understood' });
    expect(queued!.summary).toMatch(/did not understand the cardmember twice in a row/);
  });

  it('routes a request for a person to the team of the topic raised', async () => {
    const chat = await h.open('sam');
    await chat.say('I want to dispute a charge');
    await chat.say('talk to an agent');
    expect(await chat.row()).toMatchObject({ status: 'queued', team_id: 'disputes' });
    expect((await chat.lastEvent('conversation.queued'))!.summary).toMatch(/Topics: dispute\.start/);
  });

  // An agent request while a task waits for an answer is not a change of topic: the agent's summary
  // must carry the task's intent and slots.
  it('passes the task in progress and its slots to the agent on a request for a person', async () => {
    const chat = await h.open('maria');
    await chat.say('I want to make a complaint');
    await chat.say('Fees');
    const turn = await chat.say('talk to an agent');
    expect(turn.text).not.toMatch(/leave that for now/);
    expect(await chat.row()).toMatchObject({ status: 'queued', team_id: 'general' });
    const queued = await chat.lastEvent('conversation.queued');
    expect(queued!.summary).toMatch(/in the middle of "complaint\.file" \(category: fees\)/);
  });

  it('tells a cardmember already in line their place and wait instead of queueing again', async () => {
    const chat = await h.open('grace');
    const first = await chat.say('talk to an agent');
    expect(first.text).toMatch(/connecting you with a live agent/);
    const again = await chat.say('I want to talk to an agent');
    expect(again.text).toMatch(
      /already in line for a live agent: you're number \d+, with an estimated wait of about \d+ minutes?/,
    );
    expect(await chat.eventCount('conversation.queued')).toBe(1);
  });

  it('asks for a supervisor with priority 5', async () => {
    const chat = await h.open('noah');
    const turn = await chat.say('I want to speak to a supervisor');
    expect(turn.text).toMatch(/asking for a supervisor to join/);
    expect(await chat.row()).toMatchObject({ status: 'queued', priority: 5 });
    expect(await chat.lastEvent('conversation.queued')).toMatchObject({ reason: 'agent.supervisor', priority: 5 });
  });

  it('switches to Spanish on its own when a Spanish sentence arrives in an English chat', async () => {
    const chat = await h.open('maria');
    const turn = await chat.say('Hola, ¿cuál es su horario de atención?');
    expect(turn.replies[0]).toBe('Continuaré en español.');
    expect(turn.replies[1]).toMatch(/Este chat está abierto las 24 horas/);
    expect((await chat.row()).language).toBe('es');
    expect(await chat.lastEvent('conversation.language_changed')).toMatchObject({ from: 'en', to: 'es' });
  });

  // The replies and the dialogue state commit in one transaction: when either cannot be stored,
  // neither is, and the next message is answered from the state before the failed turn.
  it.each([
    [
      'the dialogue state',
      () => vi.spyOn(AssistantStateStore.prototype, 'save').mockRejectedValueOnce(new Error('disk full')),
    ],
    [
      'a reply',
      () => {
        const original = ConversationsStore.prototype.append;
        return vi.spyOn(ConversationsStore.prototype, 'append').mockImplementation(function (
          this: ConversationsStore,
          ...args: Parameters<typeof original>
        ) {
          if (args[2].authorType === 'assistant') throw new Error('disk full');
          return original.apply(this, args);
        });
      },
    ],
  ])("stores a turn's replies and dialogue state together: %s failing loses both", async (_what, fail) => {
    const chat = await h.open('maria');
    await chat.say('I want to make a complaint');
    const spy = fail();
    try {
      expect((await chat.say('Fees')).replies).toEqual([]);
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
    const bodies = await h.app.store.db
      .selectFrom('messages')
      .select('body')
      .where('conversation_id', '=', chat.conversationId)
      .where('author_type', '=', 'assistant')
      .execute();
    // Greeting and the complaint's first question only.
    expect(bodies).toHaveLength(2);
    // The failed turn is a stored job, retried from the state before it: the complaint still waits for
    // its category, "Fees" answers it, and the flow moves on.
    await h.app.services.conversations.assistantJobs.sweep();
    await h.app.services.conversations.idle();
    const last = await h.app.store.db
      .selectFrom('messages')
      .select('body')
      .where('conversation_id', '=', chat.conversationId)
      .where('author_type', '=', 'assistant')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(last.body).toBe('Please tell me briefly what happened, in your own words.');
  });
});
