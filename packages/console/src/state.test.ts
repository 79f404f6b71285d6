import { describe, expect, it } from 'vitest';
import type { ServerFrame } from '@carechat/protocol';
import {
  createStore,
  initialState,
  insertBySeq,
  lastSeqOf,
  mergeMessages,
  reducer,
  type Action,
  type State,
} from './state.js';
import { buildAgent, buildConversation, buildCustomerContext, buildMessage } from './testing/builders.js';

const agent = buildAgent();
const mineConv = buildConversation({ status: 'assigned', agent: { id: agent.id, firstName: 'Ana' } });

function run(state: State, ...actions: Action[]): State {
  return actions.reduce(reducer, state);
}
const frame = (f: ServerFrame): Action => ({ type: 'frame', frame: f });

/** Signed in, chat conv_1 loaded with seq 1-2 and open on screen. */
function openChat(): State {
  return run(
    initialState,
    { type: 'signedIn', agent },
    { type: 'inbox', waiting: [], mine: [mineConv] },
    {
      type: 'loaded',
      conversation: mineConv,
      messages: [buildMessage({ seq: 1 }), buildMessage({ seq: 2, body: 'Card blocked?' })],
    },
    { type: 'open', conversationId: 'conv_1' },
  );
}

const seqs = (s: State, id = 'conv_1') => s.conversations[id]!.messages.map((m) => m.seq);

describe('insertBySeq / mergeMessages', () => {
  it('keeps messages sorted and rejects a seq already held', () => {
    const held = [buildMessage({ seq: 1 }), buildMessage({ seq: 3 })];
    expect(insertBySeq(held, buildMessage({ seq: 2 }))!.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(insertBySeq(held, buildMessage({ seq: 4 }))!.map((m) => m.seq)).toEqual([1, 3, 4]);
    expect(insertBySeq(held, buildMessage({ seq: 3, body: 'again' }))).toBeNull();
    expect(insertBySeq([], buildMessage({ seq: 5 }))!.map((m) => m.seq)).toEqual([5]);
  });

  it('merges a history batch with live messages without duplicates, keeping the copy already held', () => {
    const held = [buildMessage({ seq: 4, body: 'live' })];
    const merged = mergeMessages(
      held,
      [3, 1, 4, 2].map((seq) => buildMessage({ seq, body: `http ${seq}` })),
    );
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(merged[3]!.body).toBe('live');
  });
});

describe('reducer: message frames', () => {
  it('appends a new message, announces it and drops replays of the same seq', () => {
    let s = openChat();
    s = run(s, frame({ type: 'message', message: buildMessage({ seq: 3, body: 'Are you there?' }) }));
    expect(seqs(s)).toEqual([1, 2, 3]);
    expect(s.announcements).toHaveLength(1);
    expect(s.announcements[0]).toMatchObject({ kind: 'message', active: true, message: { seq: 3 } });

    const replayed = run(
      s,
      frame({ type: 'message', message: buildMessage({ seq: 3, body: 'Are you there?' }) }),
      frame({ type: 'message', message: buildMessage({ seq: 2 }) }),
    );
    expect(replayed).toBe(s); // nothing changed at all: no duplicate, no second announcement
  });

  it('orders a replay that arrives out of order', () => {
    const s = run(openChat(), ...[5, 3, 4].map((seq) => frame({ type: 'message', message: buildMessage({ seq }) })));
    expect(seqs(s)).toEqual([1, 2, 3, 4, 5]);
  });

  it('never announces history loaded over HTTP', () => {
    expect(openChat().announcements).toEqual([]);
  });

  it('does not announce the agent’s own messages', () => {
    const own = buildMessage({ seq: 3, author: { role: 'agent', id: agent.id, name: 'Ana' }, body: 'Hi' });
    const s = run(openChat(), frame({ type: 'message', message: own }));
    expect(seqs(s)).toEqual([1, 2, 3]);
    expect(s.announcements).toEqual([]);
  });

  it('counts unread messages for a chat that is not on screen, and clears them on open', () => {
    const other = buildConversation({
      id: 'conv_2',
      status: 'assigned',
      agent: { id: agent.id, firstName: 'Ana' },
      cardmember: { id: 'cm_2', firstName: 'Luis', lastName: 'Diaz' },
    });
    let s = run(openChat(), { type: 'inbox', waiting: [], mine: [mineConv, other] });
    s = run(s, frame({ type: 'message', message: buildMessage({ conversationId: 'conv_2', seq: 8 }) }));
    expect(s.conversations.conv_2!.unread).toBe(1);
    expect(s.conversations.conv_2!.loaded).toBe(false);
    expect(s.announcements[s.announcements.length - 1]).toMatchObject({ kind: 'message', active: false });
    s = run(s, { type: 'open', conversationId: 'conv_2' });
    expect(s.conversations.conv_2!.unread).toBe(0);
  });

  it('ignores messages for conversations it knows nothing about', () => {
    const s = openChat();
    expect(run(s, frame({ type: 'message', message: buildMessage({ conversationId: 'conv_x', seq: 1 }) }))).toBe(s);
  });

  it('clears the typing indicator when that person’s message lands', () => {
    let s = run(
      openChat(),
      frame({ type: 'typing', conversationId: 'conv_1', from: { role: 'cardmember', name: 'Maria' }, state: 'start' }),
    );
    expect(s.conversations.conv_1!.typing).toEqual({ role: 'cardmember', name: 'Maria' });
    s = run(s, frame({ type: 'message', message: buildMessage({ seq: 3 }) }));
    expect(s.conversations.conv_1!.typing).toBeNull();
  });
});

describe('reducer: sending and acks', () => {
  const ack = (clientMsgId: string, seq: number, body = 'Hello Maria'): Action =>
    frame({
      type: 'ack',
      conversationId: 'conv_1',
      clientMsgId,
      seq,
      messageId: `m${seq}`,
      duplicate: false,
      body,
      createdAt: '2025-01-01T10:01:00Z',
    });

  it('shows a pending message until ack, then replaces it with the stored (redacted) one', () => {
    let s = run(openChat(), {
      type: 'pending',
      conversationId: 'conv_1',
      clientMsgId: 'cm-1',
      body: 'card 4111 1111 1111 1111',
      createdAt: '2025-01-01T10:01:00Z',
    });
    expect(s.conversations.conv_1!.pending.map((p) => p.clientMsgId)).toEqual(['cm-1']);
    s = run(s, ack('cm-1', 3, 'card [redacted]'));
    const entry = s.conversations.conv_1!;
    expect(entry.pending).toEqual([]);
    expect(entry.messages[2]).toMatchObject({
      seq: 3,
      body: 'card [redacted]',
      clientMsgId: 'cm-1',
      author: { role: 'agent', id: agent.id },
    });
    expect(s.announcements).toEqual([]);
  });

  it('dedupes the broadcast echo of an acked message and a duplicate ack', () => {
    let s = run(openChat(), {
      type: 'pending',
      conversationId: 'conv_1',
      clientMsgId: 'cm-1',
      body: 'Hello Maria',
      createdAt: '',
    });
    s = run(s, ack('cm-1', 3));
    const echo = buildMessage({
      seq: 3,
      clientMsgId: 'cm-1',
      author: { role: 'agent', id: agent.id, name: 'Ana' },
      body: 'Hello Maria',
    });
    s = run(s, frame({ type: 'message', message: echo }), ack('cm-1', 3));
    expect(seqs(s)).toEqual([1, 2, 3]);
  });

  it('settles a pending message from its broadcast when the ack never came', () => {
    let s = run(openChat(), {
      type: 'pending',
      conversationId: 'conv_1',
      clientMsgId: 'cm-9',
      body: 'Hello',
      createdAt: '',
    });
    s = run(
      s,
      frame({
        type: 'message',
        message: buildMessage({ seq: 3, clientMsgId: 'cm-9', author: { role: 'agent', id: agent.id, name: 'Ana' } }),
      }),
    );
    expect(s.conversations.conv_1!.pending).toEqual([]);
  });

  it('marks a refused message as failed and shows a notice', () => {
    let s = run(openChat(), {
      type: 'pending',
      conversationId: 'conv_1',
      clientMsgId: 'cm-2',
      body: 'x',
      createdAt: '',
    });
    s = run(
      s,
      frame({
        type: 'error',
        code: 'conversation_closed',
        message: 'closed',
        conversationId: 'conv_1',
        clientMsgId: 'cm-2',
      }),
    );
    expect(s.conversations.conv_1!.pending[0]!.failed).toBe('conversation_closed');
    expect(s.notice?.key).toBe('wsError.conversation_closed');
  });

  it('keeps a rate-limited message pending (the socket retries it) and stays quiet about dropped typing frames', () => {
    let s = run(openChat(), {
      type: 'pending',
      conversationId: 'conv_1',
      clientMsgId: 'cm-3',
      body: 'x',
      createdAt: '',
    });
    s = run(
      s,
      frame({ type: 'error', code: 'rate_limited', message: 'slow', conversationId: 'conv_1', clientMsgId: 'cm-3' }),
    );
    expect(s.conversations.conv_1!.pending[0]!.failed).toBeNull();
    const quiet = run({ ...s, notice: null }, frame({ type: 'error', code: 'rate_limited', message: 'slow' }));
    expect(quiet.notice).toBeNull();
  });
});

describe('reducer: inbox and conversation frames', () => {
  const luis = buildConversation({ id: 'conv_2', cardmember: { id: 'cm_2', firstName: 'Luis', lastName: 'Diaz' } });

  it('replaces both lists and announces only conversations that newly entered the queue', () => {
    let s = run(initialState, { type: 'signedIn', agent }, { type: 'inbox', waiting: [buildConversation()], mine: [] });
    expect(s.announcements).toEqual([]); // the first list is not news
    s = run(s, frame({ type: 'inbox', waiting: [buildConversation(), luis], mine: [] }));
    expect(s.waiting.map((c) => c.id)).toEqual(['conv_1', 'conv_2']);
    expect(s.announcements).toHaveLength(1);
    expect(s.announcements[0]).toMatchObject({ kind: 'waiting', conversation: { id: 'conv_2' } });
    s = run(s, frame({ type: 'inbox', waiting: [luis], mine: [mineConv] }));
    expect(s.mine.map((c) => c.id)).toEqual(['conv_1']);
    expect(s.announcements).toHaveLength(1);
  });

  it('keeps only the last few announcements', () => {
    let s = run(initialState, { type: 'signedIn', agent }, { type: 'inbox', waiting: [], mine: [] });
    for (let i = 0; i < 8; i++) {
      s = run(s, frame({ type: 'inbox', waiting: [buildConversation({ id: `q${i}` })], mine: [] }));
    }
    expect(s.announcements.map((a) => (a.kind === 'waiting' ? a.conversation.id : ''))).toEqual([
      'q3',
      'q4',
      'q5',
      'q6',
      'q7',
    ]);
    expect(new Set(s.announcements.map((a) => a.id)).size).toBe(5);
  });

  it('applies conversation status changes to the open chat and the lists', () => {
    let s = openChat();
    const closed = { ...mineConv, status: 'closed' as const, closedAt: '2025-01-01T11:00:00Z' };
    s = run(s, frame({ type: 'conversation', conversation: closed }));
    expect(s.conversations.conv_1!.conversation.status).toBe('closed');
    expect(s.mine).toEqual([]);
    expect(s.activeId).toBe('conv_1');

    let q = run(initialState, { type: 'signedIn', agent }, { type: 'inbox', waiting: [luis], mine: [] });
    q = run(
      q,
      frame({
        type: 'conversation',
        conversation: { ...luis, status: 'assigned', agent: { id: 'ag_2', firstName: 'Bo' } },
      }),
    );
    expect(q.waiting).toEqual([]);
  });

  it('remembers lastSeq for resubscribe', () => {
    const s = run(openChat(), frame({ type: 'message', message: buildMessage({ seq: 3 }) }));
    expect(lastSeqOf(s.conversations.conv_1)).toBe(3);
    expect(lastSeqOf(undefined)).toBe(0);
  });
});

describe('reducer: session', () => {
  it('sign-out wipes everything the agent saw', () => {
    const s = run(openChat(), { type: 'signedOut', notice: 'sessionEnded' });
    expect(s.screen).toBe('signin');
    expect(s.signInNotice).toBe('sessionEnded');
    expect(s.conversations).toEqual({});
    expect(s.agent).toBeNull();
  });
});

describe('createStore', () => {
  it('notifies listeners only when the state changes', () => {
    const store = createStore();
    let calls = 0;
    const off = store.subscribe(() => calls++);
    store.dispatch({ type: 'signedIn', agent });
    store.dispatch({ type: 'dismissNotice', id: 123 }); // no-op
    expect(calls).toBe(1);
    off();
    store.dispatch({ type: 'connection', status: 'online' });
    expect(calls).toBe(1);
    expect(store.getState().connection).toBe('online');
  });
});

describe('reducer: customer context', () => {
  const data = buildCustomerContext();

  it('tracks loading, the answer and a failure per conversation, keeping the last good answer', () => {
    let s = run(openChat(), { type: 'contextLoading', conversationId: 'conv_1' });
    expect(s.contexts.conv_1).toEqual({ data: null, loading: true, error: null });
    s = run(s, { type: 'contextLoaded', conversationId: 'conv_1', context: data });
    expect(s.contexts.conv_1).toEqual({ data, loading: false, error: null });
    s = run(s, { type: 'contextLoading', conversationId: 'conv_1' });
    expect(s.contexts.conv_1).toEqual({ data, loading: true, error: null });
    s = run(s, { type: 'contextFailed', conversationId: 'conv_1', key: 'context.error.generic' });
    expect(s.contexts.conv_1).toEqual({ data, loading: false, error: 'context.error.generic' });
    expect(s.contexts.conv_2).toBeUndefined();
  });

  it('forgets every context on sign-out', () => {
    const s = run(
      openChat(),
      { type: 'contextLoaded', conversationId: 'conv_1', context: data },
      { type: 'signedOut', notice: 'signedOut' },
    );
    expect(s.contexts).toEqual({});
  });
});
