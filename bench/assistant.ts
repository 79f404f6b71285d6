/**
 * The assistant's speed: cold start (fresh process: import + load the model + first answer), NLU
 * latency per message, and whole turns (the cardmember's message stored, NLU, flow with its
 * accounts reads/writes, dialogue state and replies stored) on SQLite, measured the way the widget
 * drives them (conversation service, no sockets). Goal: turn p99 <= 10 ms.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { chatHarness, PERSONAS, type PersonaName } from '../packages/server/test/chat-harness.js';
import { defaultNluEngine } from '../packages/server/src/assistant/nlu/default-engine.js';
import { buildShippedModel } from '../packages/server/src/assistant/nlu/shipped.js';
import { percentile } from './stats.js';

/** Percentile of unsorted times, in ms to 0.01. */
const pct = (xs: number[], p: number) =>
  +percentile(
    [...xs].sort((a, b) => a - b),
    p,
  ).toFixed(2);

/** One cardmember's session: questions answered from the accounts, a task started and cancelled. */
const SCRIPT = [
  'hi',
  'when is my payment due?',
  "what's my credit limit",
  'show me my recent transactions',
  'lock my card',
  'no',
  'how many points do I have',
  'is this chat available 24/7?',
  'what is the weather in Paris',
  'thanks',
];

export interface AssistantBench {
  engine: string;
  coldStart: { loadMs: number; firstClassifyMs: number };
  nlu: { messages: number; p50Ms: number; p99Ms: number };
  turns: { turns: number; p50Ms: number; p95Ms: number; p99Ms: number; maxMs: number };
  /** p50/p99 per message of the script: where the slow turns are. */
  byMessage: Array<{ text: string; p50Ms: number; p99Ms: number }>;
}

export async function benchAssistant(
  rounds = Number(process.env.BENCH_ASSISTANT_ROUNDS ?? 50),
): Promise<AssistantBench> {
  // The model is built ahead of time (npm start / npm test do it): cold start measures loading it.
  buildShippedModel();
  const cold = spawnSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'assistant-cold.ts')], {
    encoding: 'utf8',
  });
  const coldStart = JSON.parse(cold.stdout.trim().split('\n').at(-1) ?? '{}') as AssistantBench['coldStart'];

  const engine = await defaultNluEngine();
  const nluTimes: number[] = [];
  for (let r = 0; r < 50; r++) {
    for (const text of SCRIPT) {
      const t = performance.now();
      await engine.classify(text, { lang: 'en' });
      nluTimes.push(performance.now() - t);
    }
  }

  const h = await chatHarness();
  const turnTimes: number[] = [];
  const byText = new Map<string, number[]>(SCRIPT.map((t) => [t, []]));
  try {
    const personas = Object.keys(PERSONAS) as PersonaName[];
    // Warm-up: the first turns pay for JIT and statement caches.
    const warm = await h.open('maria');
    for (const text of SCRIPT) await warm.say(text);
    for (let r = 0; r < rounds; r++) {
      const chat = await h.open(personas[r % personas.length]!, { language: 'en' });
      for (const text of SCRIPT) {
        const t = performance.now();
        await chat.say(text);
        const ms = performance.now() - t;
        turnTimes.push(ms);
        byText.get(text)!.push(ms);
      }
    }
  } finally {
    await h.close();
  }
  return {
    engine: engine.name,
    coldStart,
    nlu: { messages: nluTimes.length, p50Ms: pct(nluTimes, 50), p99Ms: pct(nluTimes, 99) },
    turns: {
      turns: turnTimes.length,
      p50Ms: pct(turnTimes, 50),
      p95Ms: pct(turnTimes, 95),
      p99Ms: pct(turnTimes, 99),
      maxMs: pct(turnTimes, 100),
    },
    byMessage: [...byText].map(([text, xs]) => ({ text, p50Ms: pct(xs, 50), p99Ms: pct(xs, 99) })),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchAssistant();
  console.log(JSON.stringify(r, null, 2));
}
