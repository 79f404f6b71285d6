/**
 * Browser-test page (never part of the bundle): the real widget (App, Panel, controller, reducer)
 * against a fake server, so waiting.browser.test.ts can drive frames and the clock from Chromium.
 */
import type { ServerFrame, WidgetSessionResponse } from '@carechat/protocol/client';
import { render } from 'preact';
import type { Api } from '../api.js';
import { App } from '../components/App.js';
import type { WidgetConfig } from '../config.js';
import { ChatController } from '../controller.js';
import { buildConversation, buildMessage, FakeClock, FakeSocket, MemoryStorage } from '../test-support.js';

declare global {
  interface Window {
    __cc: {
      controller: ChatController;
      /** Opens the panel and completes the socket handshake. */
      start(lang: 'en' | 'es'): Promise<void>;
      receive(frame: ServerFrame): void;
      advance(ms: number): void;
      sent(): string[];
    };
  }
}

const clock = new FakeClock();
const sockets: FakeSocket[] = [];
let lang: 'en' | 'es' = 'en';
let answered = 0;

const api: Api = {
  siteToken: async () => 'jwt',
  createSession: async (): Promise<WidgetSessionResponse> => ({
    sessionToken: 'sess_1',
    expiresAt: 'x',
    cardmember: { id: 'cm_1', firstName: 'Maria', language: lang },
    conversation: buildConversation({ language: lang }),
    messages: [buildMessage(1, { body: 'Hello, how can I help?' })],
  }),
  newConversation: async () => ({ conversation: buildConversation(), messages: [] }),
  endConversation: async () => ({ conversation: buildConversation({ status: 'closed' }) }),
  endSession: async () => ({ conversation: null }),
  transcript: async () => '',
  messagesAfter: async () => [],
};

const config: WidgetConfig = {
  tokenUrl: 'https://bank.test/token',
  cardId: 'card_1',
  lang: 'en',
  bankName: null,
  serverUrl: 'https://chat.test/',
};

const controller = new ChatController({
  config,
  api,
  createSocket: (url, protocols) => {
    const s = new FakeSocket(url, protocols);
    sockets.push(s);
    return s;
  },
  storage: new MemoryStorage(),
  saveFile: () => undefined,
  timers: clock,
});

const socket = () => sockets[sockets.length - 1]!;

window.__cc = {
  controller,
  async start(language) {
    lang = language;
    controller.open();
    for (let i = 0; i < 50 && sockets.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    socket().open();
    socket().receive({
      type: 'welcome',
      protocol: 1,
      connectionId: 'c',
      identity: { role: 'cardmember', id: 'cm_1', displayName: 'Maria', language },
      heartbeatMs: 25_000,
    });
    socket().receive({
      type: 'subscribed',
      conversationId: 'conv_1',
      headSeq: 1,
      conversation: controller.state.conversation!,
    });
  },
  receive: (frame) => socket().receive(frame),
  advance(ms) {
    // Second by second, answering pings like a live server, so the heartbeat never drops the socket.
    for (let left = ms; left > 0; left -= 1000) {
      clock.advance(Math.min(1000, left));
      const pings = socket().sentOfType('ping');
      while (answered < pings.length) {
        socket().receive({ type: 'pong', nonce: pings[answered++]!.nonce, serverTime: new Date().toISOString() });
      }
    }
  },
  sent: () =>
    socket()
      .sentOfType('send')
      .map((f) => f.body),
};

const host = document.createElement('div');
host.id = 'carechat-root';
document.body.appendChild(host);
render(<App controller={controller} config={config} />, host);
