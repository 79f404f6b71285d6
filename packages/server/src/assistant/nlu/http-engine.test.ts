import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { INTENTS } from '../intents.js';
import type { NluEngine, Prediction } from './engine.js';
import { OpenAiCompatibleEngine, SYSTEM_PROMPT, type FallbackReason } from './http-engine.js';

// A real local HTTP server that answers like a chat-completions endpoint, with whatever the test sets.
type Reply = (res: ServerResponse) => void;
const completion =
  (content: string): Reply =>
  (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: 'cmpl-1',
        object: 'chat.completion',
        choices: [{ index: 0, message: { role: 'assistant', content } }],
      }),
    );
  };

let server: Server;
let baseUrl: string;
let reply: Reply;
const requests: Array<{ url: string; headers: IncomingMessage['headers']; body: any }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      requests.push({ url: req.url ?? '', headers: req.headers, body: JSON.parse(raw) });
      reply(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  requests.length = 0;
});

const FALLBACK: Prediction = {
  intent: 'agent.request',
  confidence: 0.77,
  entities: [],
  ranking: [{ intent: 'agent.request', confidence: 0.77 }],
};
const fallback: NluEngine = { name: 'stub', classify: async () => FALLBACK };

function engine(options: { timeoutMs?: number } = {}) {
  const fallbacks: Array<{ reason: FallbackReason; detail: string }> = [];
  const e = new OpenAiCompatibleEngine({
    baseUrl,
    model: 'test-model',
    apiKey: 'sk-test',
    timeoutMs: options.timeoutMs ?? 1000,
    fallback,
    onFallback: (reason, detail) => fallbacks.push({ reason, detail }),
  });
  return { e, fallbacks };
}

describe('OpenAiCompatibleEngine', () => {
  it('classifies with the model and adds entities', async () => {
    reply = completion('{"intent": "card.lost_stolen", "confidence": 0.93}');
    const { e, fallbacks } = engine();
    const p = await e.classify('I lost the card ending in 1005 yesterday', { lang: 'en', today: '2026-11-25' });
    expect(p.intent).toBe('card.lost_stolen');
    expect(p.confidence).toBe(0.93);
    expect(p.ranking).toEqual([{ intent: 'card.lost_stolen', confidence: 0.93 }]);
    expect(p.entities.map((x) => [x.type, x.value])).toEqual([
      ['card_last4', '1005'],
      ['date', '2026-11-24'],
    ]);
    expect(fallbacks).toEqual([]);
    expect(e.name).toBe('openai-compatible:test-model');
  });

  it('sends a chat-completions request: model, temperature 0, the intent list, the text and nothing else', async () => {
    reply = completion('{"intent": "greeting", "confidence": 0.99}');
    await engine().e.classify('hola');
    expect(requests).toHaveLength(1);
    const [req] = requests;
    expect(req!.url).toBe('/v1/chat/completions');
    expect(req!.headers.authorization).toBe('Bearer sk-test');
    expect(req!.body).toMatchObject({ model: 'test-model', temperature: 0 });
    expect(req!.body.messages).toEqual([
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: 'hola' },
    ]);
    for (const id of INTENTS) expect(SYSTEM_PROMPT).toContain(`- ${id}: `);
    expect(SYSTEM_PROMPT).toContain('{"intent": "<id>", "confidence": <number from 0 to 1>}');
  });

  it('never sends a card number, even when a caller passes one unredacted', async () => {
    reply = completion('{"intent": "card.lost_stolen", "confidence": 0.9}');
    const p = await engine().e.classify('my card 4539 1488 0343 6467 is gone');
    const sent = JSON.stringify(requests[0]!.body);
    expect(sent).not.toMatch(/4539|1488|0343/);
    expect(requests[0]!.body.messages[1].content).toBe('my card •••• 6467 is gone');
    expect(p.entities).toEqual([expect.objectContaining({ type: 'card_last4', value: '6467' })]);
  });

  it('takes the JSON out of a fenced or chatty reply', async () => {
    reply = completion('Sure! ```json\n{"intent": "fee.late", "confidence": 0.8}\n```');
    expect((await engine().e.classify('late fee')).intent).toBe('fee.late');
  });

  it('turns an id the catalog does not know into out_of_scope', async () => {
    reply = completion('{"intent": "weather.forecast", "confidence": 0.95}');
    const { e, fallbacks } = engine();
    const p = await e.classify('will it rain tomorrow?');
    expect(p).toMatchObject({ intent: 'out_of_scope', confidence: 0.95 });
    expect(p.ranking[0]!.intent).toBe('out_of_scope');
    expect(fallbacks).toEqual([]);
  });

  it('is out_of_scope when the model is unsure, keeping its pick in the ranking', async () => {
    reply = completion('{"intent": "credit.limit", "confidence": 0.3}');
    const p = await engine().e.classify('limit?');
    expect(p.intent).toBe('out_of_scope');
    expect(p.ranking).toEqual([{ intent: 'credit.limit', confidence: 0.3 }]);
  });

  it.each<[string, Reply, FallbackReason]>([
    ['garbage content', completion('I think the customer wants an agent.'), 'bad_response'],
    ['broken JSON content', completion('{"intent": "agent.request", "confidence": '), 'bad_response'],
    ['a confidence out of range', completion('{"intent": "agent.request", "confidence": 7}'), 'bad_response'],
    ['a confidence that is a string', completion('{"intent": "agent.request", "confidence": "high"}'), 'bad_response'],
    [
      'a body that is not JSON',
      (res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('<html>oops</html>');
      },
      'bad_response',
    ],
    [
      'JSON that is not a completion',
      (res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"error": "model loading"}');
      },
      'bad_response',
    ],
    [
      'HTTP 500',
      (res) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end('{"error": {"message": "internal"}}');
      },
      'http',
    ],
    [
      'HTTP 429',
      (res) => {
        res.writeHead(429);
        res.end();
      },
      'http',
    ],
  ])('falls back on %s', async (_, r, reason) => {
    reply = r;
    const { e, fallbacks } = engine();
    expect(await e.classify('I want to talk to someone')).toBe(FALLBACK);
    expect(fallbacks.map((f) => f.reason)).toEqual([reason]);
  });

  it('falls back when the endpoint is slow, without waiting for it', async () => {
    reply = (res) => {
      setTimeout(() => completion('{"intent": "greeting", "confidence": 1}')(res), 2000).unref();
    };
    const { e, fallbacks } = engine({ timeoutMs: 150 });
    const started = performance.now();
    expect(await e.classify('hello?')).toBe(FALLBACK);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(fallbacks).toEqual([{ reason: 'timeout', detail: 'no answer within 150 ms' }]);
  });

  it('falls back when a body stalls after the headers', async () => {
    reply = (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"choices": [');
    };
    const { e, fallbacks } = engine({ timeoutMs: 150 });
    expect(await e.classify('hello?')).toBe(FALLBACK);
    expect(fallbacks.map((f) => f.reason)).toEqual(['timeout']);
  });

  it('falls back when nothing listens', async () => {
    const fallbacks: FallbackReason[] = [];
    const e = new OpenAiCompatibleEngine({
      baseUrl: 'http://127.0.0.1:9/v1',
      model: 'm',
      fallback,
      onFallback: (reason) => fallbacks.push(reason),
    });
    expect(await e.classify('hi')).toBe(FALLBACK);
    expect(fallbacks).toEqual(['network']);
  });

  it('never tells onFallback the message text', async () => {
    reply = completion('not json at all');
    const { e, fallbacks } = engine();
    await e.classify('my secret-ish message about a dispute');
    expect(JSON.stringify(fallbacks)).not.toContain('dispute');
  });
});
