/**
 * The spine over real HTTP and WebSockets: session, assistant, handoff, accept, reply, end, transcript.
 * On PostgreSQL it runs again on a two-node cluster (Redis bus): the cardmember on one node, the agent
 * on the other, so every event between them crosses nodes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dbKind,
  eventually,
  redisUnavailable,
  startCluster,
  startServer,
  staffLogin,
  storeUnavailable,
  TestSocket,
  widgetSession,
  type TestServer,
} from './helpers.js';

const skip = await storeUnavailable();

const modes: Array<{ name: string; nodes: 1 | 2 }> = [{ name: 'one node', nodes: 1 }];
if (dbKind === 'postgres' && !skip && !(await redisUnavailable())) modes.push({ name: 'two nodes', nodes: 2 });

describe.skipIf(skip).each(modes)('spine: cardmember to agent and back ($name)', ({ nodes }) => {
  /** The cardmember's node, and the agent's (the same one in one-node mode). */
  let s: TestServer;
  let a: TestServer;
  let close: () => Promise<void>;
  beforeAll(async () => {
    if (nodes === 1) {
      s = a = await startServer();
      close = () => s.close();
    } else {
      const c = await startCluster(2);
      [s, a] = c.nodes as [TestServer, TestServer];
      close = () => c.close();
    }
  });
  afterAll(async () => close?.());

  it('runs the whole story with exactly-once, ordered delivery on both sides', async () => {
    const session = await widgetSession(s);
    expect(session.conversation.status).toBe('bot');
    expect(session.conversation.card.last4).toBe('1005');
    expect(session.messages[0]?.author.role).toBe('assistant');
    expect(session.messages[0]?.body).toContain('Maria');

    const cm = await TestSocket.open(s, { sessionToken: session.sessionToken });
    const convId = session.conversation.id;
    await cm.handshake(convId, session.conversation.lastSeq);

    // The assistant answers a question.
    const hoursReply = cm.next('message', (f) => f.message.author.role === 'assistant' && /24/.test(f.message.body));
    cm.send({ type: 'send', conversationId: convId, clientMsgId: 'cm-msg-0001', body: 'What are your hours?' });
    const ack = await cm.next('ack');
    expect(ack).toMatchObject({ clientMsgId: 'cm-msg-0001', duplicate: false, body: 'What are your hours?' });
    await hoursReply;

    // Asking for a live agent queues the chat with a position; nobody is signed in yet, so there is
    // no estimate, and the queue info says so (the widget then offers the phone line and the assistant).
    const queued = cm.next('conversation', (f) => f.conversation.status === 'queued');
    cm.send({
      type: 'send',
      conversationId: convId,
      clientMsgId: 'cm-msg-0002',
      body: 'I want to talk to a live agent please',
    });
    const q = (await queued).conversation;
    expect(q.queue).toMatchObject({ teamId: 'general', position: 1, serving: false, open: true });

    // An agent sees it waiting, accepts, and the cardmember sees the agent join by first name.
    const agent = await staffLogin(a);
    expect((await agent.call('PUT', '/api/agent/status', { status: 'available' })).status).toBe(200);
    const waiting = await agent.call('GET', '/api/conversations?view=waiting');
    expect(waiting.json.conversations.map((c: { id: string }) => c.id)).toContain(convId);
    const joined = cm.next('message', (f) => f.message.system?.code === 'agent.joined');
    const accepted = await agent.call('POST', `/api/conversations/${convId}/accept`);
    expect(accepted.status).toBe(200);
    expect((await joined).message.body).toBe('Ana joined the chat.');

    // A second accept loses.
    const again = await agent.call('POST', `/api/conversations/${convId}/accept`);
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('conversation_not_waiting');

    // Agent socket: replay includes the assistant's part; then they talk.
    const ag = await TestSocket.open(a, { cookie: agent.cookie });
    await ag.handshake(convId, 0);
    const agentSeen = ag.frames
      .filter((f) => f.type === 'message')
      .map((f) => (f as { message: { seq: number } }).message.seq);
    expect(agentSeen).toEqual([...agentSeen].sort((a, b) => a - b));
    expect(new Set(agentSeen).size).toBe(agentSeen.length);

    const cmGetsReply = cm.next('message', (f) => f.message.author.role === 'agent');
    ag.send({
      type: 'send',
      conversationId: convId,
      clientMsgId: 'ag-msg-0001',
      body: 'Hi Maria, this is Ana. How can I help?',
    });
    expect((await cmGetsReply).message.author.name).toBe('Ana');
    const agentGets = ag.next(
      'message',
      (f) => f.message.author.role === 'cardmember' && f.message.body === 'Thanks Ana',
    );
    cm.send({ type: 'send', conversationId: convId, clientMsgId: 'cm-msg-0003', body: 'Thanks Ana' });
    await agentGets;

    // The agent ends the chat; the cardmember sees it and downloads the transcript.
    const ended = cm.next('conversation', (f) => f.conversation.status === 'closed');
    expect((await agent.call('POST', `/api/conversations/${convId}/end`)).status).toBe(200);
    await ended;
    const res = await fetch(`${s.url}/api/widget/conversations/${convId}/transcript`, {
      headers: { authorization: `Bearer ${session.sessionToken}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('attachment');
    const text = await res.text();
    expect(text).toContain('You: What are your hours?');
    expect(text).toContain('Ana: Hi Maria, this is Ana.');
    expect(text).toContain('Ana ended the chat.');

    // Writing to a closed chat is refused and stores nothing.
    const before = (await s.app.services.conversations.viewById(convId))!.lastSeq;
    cm.send({ type: 'send', conversationId: convId, clientMsgId: 'cm-msg-0004', body: 'hello?' });
    expect((await cm.next('error')).code).toBe('conversation_closed');
    expect((await s.app.services.conversations.viewById(convId))!.lastSeq).toBe(before);

    // Every frame the cardmember received: no seq twice, in order.
    const seqs = cm.frames
      .filter((f) => f.type === 'message')
      .map((f) => (f as { message: { seq: number } }).message.seq);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    await eventually(() => true);
    cm.terminate();
    ag.terminate();
  });
});
