import type { ServerFrame } from '@carechat/protocol/client';
import { describe, expect, it } from 'vitest';
import {
  currentQuickReplies,
  initialState,
  mergeMessages,
  QUEUE_ANNOUNCE_MS,
  queueAnnouncementDueAt,
  reduce,
  statusLine,
  systemText,
  visibleOutbox,
  type Action,
  type ViewState,
} from './state.js';
import { buildConversation, buildMessage } from './test-support.js';

function loaded(messages = [buildMessage(1)], conversation = buildConversation()): ViewState {
  return reduce(initialState('en'), { type: 'loaded', conversation, messages, reset: true });
}
const frame = (state: ViewState, f: ServerFrame) => reduce(state, { type: 'frame', frame: f });
const run = (state: ViewState, actions: Action[]) => actions.reduce(reduce, state);
const texts = (s: ViewState) => s.announcements.map((a) => a.text);

describe('mergeMessages', () => {
  it('drops seqs already held, keeps seq order and tracks the highest contiguous seq', () => {
    let r = mergeMessages([], 0, [buildMessage(2), buildMessage(1)]);
    expect(r.messages.map((m) => m.seq)).toEqual([1, 2]);
    expect(r.lastSeq).toBe(2);
    r = mergeMessages(r.messages, r.lastSeq, [buildMessage(5), buildMessage(2, { body: 'dup' })]);
    expect(r.messages.map((m) => m.seq)).toEqual([1, 2, 5]);
    expect(r.messages[1]!.body).toBe('message 2');
    expect(r.added.map((m) => m.seq)).toEqual([5]);
    expect(r.lastSeq).toBe(2); // 3 and 4 are missing: resume must ask from 2
    r = mergeMessages(r.messages, r.lastSeq, [buildMessage(4), buildMessage(3)]);
    expect(r.lastSeq).toBe(5);
  });

  it('lets a complete HTTP listing vouch across gaps (staff-only notes), but not a live frame', () => {
    expect(mergeMessages([], 0, [buildMessage(1), buildMessage(2), buildMessage(4)], true).lastSeq).toBe(4);
    expect(mergeMessages([buildMessage(1)], 1, [buildMessage(3)]).lastSeq).toBe(1);
  });

  it('advances lastSeq to subscribed.headSeq, which the server replayed up to', () => {
    let s = loaded([buildMessage(1), buildMessage(2)]);
    s = frame(s, { type: 'message', message: buildMessage(4) }); // seq 3 is a staff-only note
    expect(s.lastSeq).toBe(2);
    s = frame(s, { type: 'subscribed', conversationId: 'conv_1', headSeq: 4, conversation: buildConversation() });
    expect(s.lastSeq).toBe(4);
    s = frame(s, {
      type: 'subscribed',
      conversationId: 'other',
      headSeq: 9,
      conversation: buildConversation({ id: 'other' }),
    });
    expect(s.lastSeq).toBe(4);
  });

  it('returns the same array when nothing is new', () => {
    const held = [buildMessage(1)];
    expect(mergeMessages(held, 1, [buildMessage(1)]).messages).toBe(held);
  });
});

describe('reduce: messages', () => {
  it('does not announce the history, announces each new incoming message once', () => {
    let s = loaded([buildMessage(1, { body: 'Hello, how can I help?' })]);
    expect(s.announcements).toEqual([]);
    s = frame(s, { type: 'message', message: buildMessage(2, { body: 'Anything else?' }) });
    s = frame(s, { type: 'message', message: buildMessage(2, { body: 'Anything else?' }) });
    s = frame(s, {
      type: 'message',
      message: buildMessage(3, { author: { role: 'agent', id: 'a1', name: 'Ana' }, body: 'Hi, I am Ana' }),
    });
    expect(s.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(texts(s)).toEqual(['Assistant: Anything else?', 'Ana: Hi, I am Ana']);
  });

  it('ignores messages of another conversation', () => {
    const s = frame(loaded(), { type: 'message', message: buildMessage(2, { conversationId: 'other' }) });
    expect(s.messages.map((m) => m.seq)).toEqual([1]);
  });

  it('shows the redacted body from the ack and does not duplicate the echo', () => {
    let s = loaded();
    s = frame(s, {
      type: 'ack',
      conversationId: 'conv_1',
      clientMsgId: 'cm-1',
      seq: 2,
      messageId: 'm2',
      duplicate: false,
      body: 'my card is [card ending 1111]',
      createdAt: 'x',
    });
    s = frame(s, {
      type: 'message',
      message: buildMessage(2, {
        clientMsgId: 'cm-1',
        author: { role: 'cardmember', id: 'cm_1', name: 'Maria' },
        body: 'my card is [card ending 1111]',
      }),
    });
    expect(s.messages.map((m) => [m.seq, m.body, m.author.role])).toEqual([
      [1, 'message 1', 'assistant'],
      [2, 'my card is [card ending 1111]', 'cardmember'],
    ]);
    expect(s.announcements).toEqual([]); // own messages are not read back
    expect(s.lastSeq).toBe(2);
  });

  it('hides outbox items once the server holds their clientMsgId', () => {
    let s = loaded();
    const item = {
      clientMsgId: 'cm-1',
      conversationId: 'conv_1',
      body: 'hi',
      status: 'pending' as const,
      createdAt: 'x',
    };
    s = reduce(s, { type: 'outbox', items: [item] });
    expect(visibleOutbox(s)).toEqual([item]);
    s = frame(s, {
      type: 'ack',
      conversationId: 'conv_1',
      clientMsgId: 'cm-1',
      seq: 2,
      messageId: 'm2',
      duplicate: true,
      body: 'hi',
      createdAt: 'x',
    });
    expect(visibleOutbox(s)).toEqual([]);
  });

  it('renders system notices in the conversation language', () => {
    let s = loaded([buildMessage(1)], buildConversation({ language: 'es' }));
    s = frame(s, {
      type: 'message',
      message: buildMessage(2, {
        author: { role: 'system', id: null, name: null },
        kind: 'system',
        body: 'Ana joined the chat.',
        system: { code: 'agent.joined', params: { name: 'Ana' } },
      }),
    });
    expect(texts(s)).toEqual(['Ana se unió al chat.']);
  });
});

describe('reduce: conversation status', () => {
  const queued = buildConversation({
    status: 'queued',
    queue: { teamId: 't1', teamName: 'General', position: 2, estimatedWaitSeconds: 240, agentsAvailable: 1 },
  });

  it('describes the queue with position, team and wait', () => {
    expect(statusLine(queued, 'en')).toBe(
      'You are number 2 in line for the General team. Estimated wait: about 4 minutes.',
    );
    expect(statusLine(queued, 'es')).toBe(
      'Usted es el número 2 en la fila del equipo General. Tiempo de espera estimado: alrededor de 4 minutos.',
    );
    expect(statusLine(buildConversation({ status: 'assigned', agent: { id: 'a1', firstName: 'Ana' } }), 'en')).toBe(
      'Ana is here to help',
    );
    expect(statusLine(buildConversation(), 'en')).toBeNull();
  });

  it('announces status and position changes, not wait-estimate ticks', () => {
    let s = loaded();
    s = frame(s, { type: 'conversation', conversation: queued });
    s = frame(s, {
      type: 'conversation',
      conversation: { ...queued, queue: { ...queued.queue!, estimatedWaitSeconds: 200 } },
    });
    s = frame(s, { type: 'conversation', conversation: { ...queued, queue: { ...queued.queue!, position: 1 } } });
    s = frame(s, {
      type: 'conversation',
      conversation: buildConversation({ status: 'assigned', agent: { id: 'a1', firstName: 'Ana' } }),
    });
    s = frame(s, { type: 'conversation', conversation: buildConversation({ status: 'closed' }) });
    expect(texts(s)).toEqual([
      'You are number 2 in line for the General team. Estimated wait: about 4 minutes.',
      'You are number 1 in line for the General team. Estimated wait: about 4 minutes.',
      'Ana is here to help',
      'This chat has ended.',
    ]);
    expect(s.conversation?.status).toBe('closed');
  });

  it('announces "Reconnecting…" once per outage', () => {
    const s = run(loaded(), [
      { type: 'connection', status: 'online' },
      { type: 'connection', status: 'reconnecting' },
      { type: 'connection', status: 'reconnecting' },
    ]);
    expect(texts(s)).toEqual(['Reconnecting…']);
  });
});

describe('reduce: typing, quick replies, errors', () => {
  it('shows who is typing and clears it when their message arrives', () => {
    let s = loaded();
    s = frame(s, { type: 'typing', conversationId: 'conv_1', from: { role: 'agent', name: 'Ana' }, state: 'start' });
    expect(s.typing).toBe('Ana');
    s = frame(s, { type: 'message', message: buildMessage(2, { author: { role: 'agent', id: 'a1', name: 'Ana' } }) });
    expect(s.typing).toBeNull();
    s = frame(s, { type: 'typing', conversationId: 'conv_1', from: { role: 'assistant', name: null }, state: 'start' });
    expect(s.typing).toBe('Assistant');
  });

  it("offers quick replies only from the newest message when it is the assistant's", () => {
    let s = loaded([buildMessage(1, { quickReplies: ['Check balance', 'Talk to an agent'] })]);
    expect(currentQuickReplies(s)).toEqual(['Check balance', 'Talk to an agent']);
    s = frame(s, {
      type: 'message',
      message: buildMessage(2, { author: { role: 'cardmember', id: 'cm_1', name: null } }),
    });
    expect(currentQuickReplies(s)).toEqual([]);
  });

  it('keeps send errors on the message and shows other errors as a notice', () => {
    let s = loaded();
    s = frame(s, { type: 'error', code: 'message_too_long', message: 'x', clientMsgId: 'a' });
    expect(s.notice).toBeNull();
    s = frame(s, { type: 'error', code: 'rate_limited', message: 'x' });
    expect(s.notice).toBeNull(); // nothing waiting to be sent: a dropped typing frame
    s = reduce(s, {
      type: 'outbox',
      items: [{ clientMsgId: 'a', conversationId: 'conv_1', body: 'b', status: 'pending', createdAt: 'x' }],
    });
    s = frame(s, { type: 'error', code: 'rate_limited', message: 'x' });
    expect(s.notice).toBe('rate_limited');
    s = frame(s, {
      type: 'ack',
      conversationId: 'conv_1',
      clientMsgId: 'a',
      seq: 2,
      messageId: 'm',
      duplicate: false,
      body: 'b',
      createdAt: 'x',
    });
    expect(s.notice).toBeNull();
  });

  it('a new chat replaces the view; a refresh of the same chat merges', () => {
    let s = loaded([buildMessage(1), buildMessage(2)]);
    s = reduce(s, {
      type: 'loaded',
      conversation: buildConversation(),
      messages: [buildMessage(2), buildMessage(3)],
      reset: false,
    });
    expect(s.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    s = reduce(s, {
      type: 'loaded',
      conversation: buildConversation({ id: 'conv_2' }),
      messages: [buildMessage(1, { conversationId: 'conv_2' })],
      reset: true,
    });
    expect(s.conversation?.id).toBe('conv_2');
    expect(s.messages.map((m) => [m.conversationId, m.seq])).toEqual([['conv_2', 1]]);
    expect(s.lastSeq).toBe(1);
  });
});

describe('reduce: signed out', () => {
  it('a revoked session shows the ended state, announces it once, and nothing turns it back', () => {
    const base = frame(loaded(), {
      type: 'typing',
      conversationId: 'conv_1',
      from: { role: 'agent', name: 'Ana' },
      state: 'start',
    });
    const out = reduce(base, { type: 'signedOut', by: 'revoked' });
    expect(out.phase).toBe('signedOut');
    expect(out.signedOut).toBe('revoked');
    expect(out.typing).toBeNull();
    expect(texts(out)).toEqual(['This chat session was ended. Reload the page to start again.']);
    const after = run(out, [
      { type: 'signedOut', by: 'self' },
      { type: 'failed', code: 'session_expired' },
      { type: 'starting' },
      { type: 'loaded', conversation: buildConversation({ id: 'conv_9' }), messages: [], reset: true },
    ]);
    expect(after).toBe(out);
  });

  it('a deliberate sign-out keeps the ended conversation, in Spanish too', () => {
    const es = loaded([buildMessage(1)], buildConversation({ language: 'es' }));
    const out = reduce(es, {
      type: 'signedOut',
      by: 'self',
      conversation: buildConversation({ language: 'es', status: 'closed' }),
    });
    expect(out.conversation?.status).toBe('closed');
    expect(out.signedOut).toBe('self');
    expect(texts(out).at(-1)).toBe('Finalizó el chat y cerró esta sesión de chat.');
  });
});

describe('reduce: waiting for an agent', () => {
  const queue = {
    teamId: 'general',
    teamName: 'General',
    position: 5,
    estimatedWaitSeconds: 300,
    agentsAvailable: 2,
    serving: true,
    open: true,
    opensAt: null,
    phone: '1-800-555-0100',
  };
  const at = (position: number, extra: Partial<typeof queue> = {}) =>
    buildConversation({ status: 'queued', teamId: queue.teamId, queue: { ...queue, ...extra, position } });
  const conv = (s: ViewState, c: ReturnType<typeof at>, time: number) =>
    reduce(s, { type: 'frame', frame: { type: 'conversation', conversation: c }, at: time });
  const T0 = 1_000_000;

  it('announces a change of place at once, then at most once a minute, the latest place when the minute is up', () => {
    let s = conv(loaded(), at(5), T0);
    expect(texts(s)).toEqual(['You are number 5 in line for the General team. Estimated wait: about 5 minutes.']);
    s = conv(s, at(4), T0 + 5_000);
    s = conv(s, at(3), T0 + 20_000);
    s = conv(s, at(3, { estimatedWaitSeconds: 100 }), T0 + 30_000);
    expect(texts(s)).toHaveLength(1);
    expect(queueAnnouncementDueAt(s)).toBe(T0 + QUEUE_ANNOUNCE_MS);
    // Too early: nothing yet.
    s = reduce(s, { type: 'queueTick', at: T0 + 59_000 });
    expect(texts(s)).toHaveLength(1);
    s = reduce(s, { type: 'queueTick', at: T0 + 60_000 });
    expect(texts(s).slice(1)).toEqual([
      'You are number 3 in line for the General team. Estimated wait: about 2 minutes.',
    ]);
    expect(queueAnnouncementDueAt(s)).toBeNull();
    // Another tick says nothing more; the same place is never said twice.
    expect(reduce(s, { type: 'queueTick', at: T0 + 100_000 })).toBe(s);
    s = conv(s, at(3, { estimatedWaitSeconds: 30 }), T0 + 100_000);
    expect(texts(s)).toHaveLength(2);
    // A minute after the last one, a change is said at once.
    s = conv(s, at(2), T0 + 121_000);
    expect(texts(s).slice(2)).toEqual([
      'You are number 2 in line for the General team. Estimated wait: about 5 minutes.',
    ]);
  });

  it('a deferred place that went back to what was said is not announced', () => {
    let s = conv(conv(loaded(), at(5), T0), at(4), T0 + 1_000);
    s = conv(s, at(5), T0 + 2_000);
    expect(queueAnnouncementDueAt(s)).toBeNull();
    expect(texts(reduce(s, { type: 'queueTick', at: T0 + 60_000 }))).toHaveLength(1);
  });

  it('says at once when nobody can answer any more, or the team closes, whatever the pacing', () => {
    let s = conv(loaded(), at(2), T0);
    s = conv(s, at(2, { serving: false }), T0 + 1_000);
    s = conv(s, at(2, { serving: false, open: false, opensAt: null }), T0 + 2_000);
    s = conv(s, at(2), T0 + 3_000);
    expect(texts(s)).toEqual([
      'You are number 2 in line for the General team. Estimated wait: about 5 minutes.',
      'No one on our General team can take your chat right now. You keep your place in line (number 2).',
      'Our General team is closed right now. You keep your place in line (number 2).',
      'You are number 2 in line for the General team. Estimated wait: about 5 minutes.',
    ]);
  });

  it('does not announce the place shown on load, but does the first change after it', () => {
    let s = loaded([buildMessage(1)], at(4));
    expect(texts(s)).toEqual([]);
    s = conv(s, at(3), T0);
    expect(texts(s)).toEqual(['You are number 3 in line for the General team. Estimated wait: about 5 minutes.']);
  });

  it('announces in Spanish for a Spanish chat', () => {
    let s = conv(loaded([buildMessage(1)], buildConversation({ language: 'es' })), { ...at(2), language: 'es' }, T0);
    s = conv(s, { ...at(2, { serving: false }), language: 'es' }, T0 + 1000);
    expect(texts(s)).toEqual([
      'Usted es el número 2 en la fila del equipo General. Tiempo de espera estimado: alrededor de 5 minutos.',
      'En este momento nadie del equipo General puede atender su chat. Conserva su lugar en la fila (número 2).',
    ]);
  });

  it('shows the fraud notice once it applies and keeps it while the chat waits', () => {
    const fraud = (seconds: number, extra: Partial<typeof queue> = {}) =>
      buildConversation({
        status: 'queued',
        teamId: 'fraud',
        queue: { ...queue, teamId: 'fraud', teamName: 'Fraud', estimatedWaitSeconds: seconds, ...extra },
      });
    let s = conv(loaded(), fraud(60), T0);
    expect(s.fraudNotice).toBeNull();
    s = conv(s, fraud(180), T0 + 1000);
    expect(s.fraudNotice).toBe('conv_1');
    // The estimate drops under 2 minutes: the notice stays (its alert is not inserted again later).
    s = conv(s, fraud(90), T0 + 2000);
    expect(s.fraudNotice).toBe('conv_1');
    s = conv(s, buildConversation({ status: 'assigned', teamId: 'fraud', agent: { id: 'a1', firstName: 'Ana' } }), T0);
    expect(s.fraudNotice).toBeNull();
    // Loaded already waiting with nobody serving: shown from the start.
    expect(loaded([buildMessage(1)], fraud(0, { serving: false })).fraudNotice).toBe('conv_1');
    expect(loaded([buildMessage(1)], at(2)).fraudNotice).toBeNull();
  });
});

describe('reduce: staff-only notes and live-agent notices', () => {
  const sys = (seq: number, code: string, params: Record<string, string>, body = 'stored text') =>
    buildMessage(seq, {
      author: { role: 'system', id: null, name: null },
      kind: 'system',
      body,
      system: { code: code as never, params },
    });

  it('never holds or announces a note or a whisper, from a frame or over HTTP', () => {
    let s = loaded([
      buildMessage(1),
      buildMessage(2, { kind: 'note', author: { role: 'agent', id: 'a1', name: 'Ana' }, body: 'internal: check KYC' }),
    ]);
    expect(s.messages.map((m) => m.seq)).toEqual([1]);
    s = frame(s, {
      type: 'message',
      message: buildMessage(3, {
        kind: 'note',
        whisper: true,
        author: { role: 'agent', id: 's1', name: 'Sofia' },
        body: 'whisper',
      }),
    });
    s = reduce(s, { type: 'messages', messages: [buildMessage(4, { kind: 'note', body: 'another note' })] });
    expect(s.messages.map((m) => m.seq)).toEqual([1]);
    expect(JSON.stringify(s.messages)).not.toMatch(/KYC|whisper|another note/);
    expect(texts(s)).toEqual([]);
    s = frame(s, { type: 'message', message: buildMessage(5, { body: 'visible' }) });
    expect(s.messages.map((m) => m.seq)).toEqual([1, 5]);
  });

  it("renders the live-agent notices in the viewer's language", () => {
    const en = [
      sys(2, 'conversation.transferred', { team: 'Disputes' }),
      sys(3, 'conversation.escalated', {}),
      sys(4, 'agent.conference_joined', { name: 'Ben' }),
      sys(5, 'supervisor.joined', { name: 'Sofía' }),
      sys(6, 'handoff.language', { language: 'es' }),
    ];
    expect(en.map((m) => systemText(m, 'en'))).toEqual([
      'You are being transferred to the Disputes team. Everything you have written stays with the chat.',
      'A supervisor has been asked to join the chat.',
      'Ben joined the chat to help.',
      'Sofía, a supervisor, joined the chat.',
      'One moment: we are connecting you with an agent who speaks Spanish.',
    ]);
    expect(en.map((m) => systemText(m, 'es'))).toEqual([
      'Le estamos transfiriendo al equipo Disputes. Todo lo que escribió sigue en el chat.',
      'Se pidió a un supervisor que se una al chat.',
      'Ben se unió al chat para ayudar.',
      'Sofía, supervisor, se unió al chat.',
      'Un momento: le estamos conectando con un agente que habla español.',
    ]);
    // A language already named stays as it is; an unknown code falls back to the stored body.
    expect(systemText(sys(7, 'handoff.language', { language: 'Spanish' }), 'en')).toMatch(/speaks Spanish\.$/);
    expect(systemText(sys(8, 'some.future_code', {}, 'Stored notice.'), 'es')).toBe('Stored notice.');
    // Announced once each as they arrive, in the chat's language.
    let s = loaded([buildMessage(1)], buildConversation({ language: 'es' }));
    s = frame(s, { type: 'message', message: en[3]! });
    expect(texts(s)).toEqual(['Sofía, supervisor, se unió al chat.']);
  });
});
