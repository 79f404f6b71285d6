/**
 * A bare `ws` relay: the machine's limit for issue 8's load benchmark (bench/load/scenarios.ts).
 * Same handshake and frame shapes as carechat's protocol (docs/protocol.md: hello -> welcome,
 * subscribe -> subscribed, send -> ack + message), no auth, no storage, no redaction: a `send` is
 * acked to the sender and forwarded to the other subscriber of the conversation as a `message` frame
 * with the fields (and so roughly the JSON size) of a stored carechat message.
 * Listens on 127.0.0.1, port 0.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface Relay {
  wsUrl: string;
  connections(): number;
  close(): Promise<void>;
}

interface Conversation {
  seq: number;
  sockets: Set<WebSocket>;
}

export async function startRelay(): Promise<Relay> {
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    handleProtocols: (protocols) => (protocols.has('carechat.v1') ? 'carechat.v1' : false),
  });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const conversations = new Map<string, Conversation>();
  let nextConnection = 0;
  wss.on('connection', (ws, req) => {
    const joined = new Set<string>();
    const connection = ++nextConnection;
    // Like carechat: the widget names its session in a second subprotocol, the console uses a cookie.
    const role = /carechat\.auth\./.test(String(req.headers['sec-websocket-protocol'] ?? '')) ? 'cardmember' : 'agent';
    ws.on('message', (data) => {
      let frame: { type?: string; conversationId?: string; clientMsgId?: string; body?: string; nonce?: string };
      try {
        frame = JSON.parse(String(data));
      } catch {
        ws.send(JSON.stringify({ type: 'error', code: 'bad_json', message: 'Not JSON.' }));
        return;
      }
      switch (frame.type) {
        case 'hello':
          ws.send(
            JSON.stringify({
              type: 'welcome',
              connectionId: randomUUID(),
              identity: { role, id: `relay_${connection}` },
              heartbeatMs: 25_000,
            }),
          );
          return;
        case 'ping':
          ws.send(JSON.stringify({ type: 'pong', nonce: frame.nonce, serverTime: new Date().toISOString() }));
          return;
        case 'subscribe': {
          const id = String(frame.conversationId);
          let c = conversations.get(id);
          if (!c) conversations.set(id, (c = { seq: 0, sockets: new Set() }));
          c.sockets.add(ws);
          joined.add(id);
          ws.send(
            JSON.stringify({
              type: 'subscribed',
              conversationId: id,
              headSeq: c.seq,
              conversation: { id, status: 'assigned' },
            }),
          );
          return;
        }
        case 'send': {
          const id = String(frame.conversationId);
          const c = conversations.get(id);
          if (!c || !c.sockets.has(ws)) {
            ws.send(JSON.stringify({ type: 'error', code: 'conversation_not_found', message: 'No such chat.' }));
            return;
          }
          const seq = ++c.seq;
          const messageId = randomUUID();
          const body = String(frame.body ?? '');
          ws.send(
            JSON.stringify({ type: 'ack', clientMsgId: frame.clientMsgId, seq, messageId, duplicate: false, body }),
          );
          const message = JSON.stringify({
            type: 'message',
            message: {
              id: messageId,
              conversationId: id,
              seq,
              clientMsgId: frame.clientMsgId,
              author: { role, id: `relay_${role}`, name: role === 'agent' ? 'Agent' : null },
              kind: 'text',
              body,
              system: null,
              quickReplies: [],
              createdAt: new Date().toISOString(),
            },
          });
          for (const peer of c.sockets) if (peer !== ws) peer.send(message);
          return;
        }
        default:
          return;
      }
    });
    ws.on('close', () => {
      for (const id of joined) {
        const c = conversations.get(id);
        c?.sockets.delete(ws);
        if (c && c.sockets.size === 0) conversations.delete(id);
      }
    });
  });
  const port = (wss.address() as AddressInfo).port;
  return {
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    connections: () => wss.clients.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}
