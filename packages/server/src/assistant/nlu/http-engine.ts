/**
 * An NLU engine backed by any OpenAI-compatible chat-completions endpoint (a hosted model, or vLLM,
 * llama.cpp's server, Ollama... on the operator's own hardware). The model is told the intent ids and
 * asked for `{"intent": id, "confidence": 0..1}`; entities still come from extractEntities, which is
 * exact where a model would guess.
 *
 * Never the point of failure: a timeout, an HTTP error or an answer that is not the JSON asked for
 * hands the message to the fallback engine (the shipped linear model, typically), so the assistant
 * keeps working while the endpoint is down.
 *
 * What leaves the process: the system prompt and the message text, nothing else (no history, no
 * cardmember data). The text is already redacted; it is redacted again here so that no caller can
 * ever send a card number out by mistake.
 */
import { z } from 'zod';
import { PatternRedactor, type Redactor } from '../../redaction/redactor.js';
import { INTENTS, isIntent } from '../intents.js';
import { extractEntities } from './entities.js';
import type { ClassifyOptions, NluEngine, Prediction } from './engine.js';
import { INTENT_DESCRIPTIONS } from './intent-descriptions.js';

export type FallbackReason = 'timeout' | 'network' | 'http' | 'bad_response';

export interface OpenAiCompatibleOptions {
  /** Up to and including the version segment: `https://api.example.com/v1`, `http://127.0.0.1:8000/v1`. */
  baseUrl: string;
  model: string;
  /** Sent as `Authorization: Bearer ...` when set. */
  apiKey?: string;
  /** Abort the request after this long; chat replies cannot wait for a slow model. Default 2500 ms. */
  timeoutMs?: number;
  /** Below this confidence the prediction is `out_of_scope`, the model's pick kept in `ranking`. Default 0.5. */
  minConfidence?: number;
  /** Ask for `response_format: json_object`. Default true; turn off for servers that reject the field. */
  jsonMode?: boolean;
  /** Classifies whenever the endpoint cannot. */
  fallback: NluEngine;
  /** Told why the fallback answered (for logs and metrics). Never receives the message text. */
  onFallback?: (reason: FallbackReason, detail: string) => void;
  redactor?: Redactor;
}

export const SYSTEM_PROMPT = [
  "You classify one message a cardmember sent to a credit card issuer's customer care chat.",
  'The message may be in English or Spanish. Redacted values appear as "•••• 1234" or "[removed]".',
  'Answer with JSON only, exactly {"intent": "<id>", "confidence": <number from 0 to 1>}, using one id from this list:',
  ...INTENTS.map((id) => `- ${id}: ${INTENT_DESCRIPTIONS[id]}`),
  'Use out_of_scope when no id fits. The confidence is how sure you are that the id is right.',
].join('\n');

const Completion = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string() }) })).min(1),
});
const Answer = z.object({ intent: z.string(), confidence: z.number().min(0).max(1) });

class Fallback extends Error {
  constructor(
    readonly reason: FallbackReason,
    detail: string,
  ) {
    super(detail);
  }
}

/** The JSON object in a model's reply; models wrap it in code fences or a sentence despite being told not to. */
function parseAnswer(content: string): z.infer<typeof Answer> {
  const start = content.indexOf('{');
  const end = content.lastIndexOf('}');
  if (start < 0 || end < start) throw new Fallback('bad_response', 'no JSON object in the reply');
  let json: unknown;
  try {
    json = JSON.parse(content.slice(start, end + 1));
  } catch {
    throw new Fallback('bad_response', 'the reply is not valid JSON');
  }
  const answer = Answer.safeParse(json);
  if (!answer.success)
    throw new Fallback('bad_response', `unexpected answer shape: ${answer.error.issues[0]?.message}`);
  return answer.data;
}

export class OpenAiCompatibleEngine implements NluEngine {
  readonly name: string;
  private readonly url: string;
  private readonly timeoutMs: number;
  private readonly minConfidence: number;
  private readonly redactor: Redactor;

  constructor(private readonly options: OpenAiCompatibleOptions) {
    this.name = `openai-compatible:${options.model}`;
    this.url = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
    this.timeoutMs = options.timeoutMs ?? 2500;
    this.minConfidence = options.minConfidence ?? 0.5;
    this.redactor = options.redactor ?? new PatternRedactor();
  }

  async classify(text: string, options: ClassifyOptions = {}): Promise<Prediction> {
    const safe = this.redactor.redact(text).text;
    let answer: z.infer<typeof Answer>;
    try {
      answer = parseAnswer(await this.complete(safe));
    } catch (err) {
      const f = err instanceof Fallback ? err : new Fallback('network', String(err));
      this.options.onFallback?.(f.reason, f.message);
      return this.options.fallback.classify(text, options);
    }
    const entities = extractEntities(safe, { lang: options.lang, today: options.today });
    // An id the catalog does not know is a model's invention: nothing a flow could act on.
    const picked = isIntent(answer.intent) ? answer.intent : 'out_of_scope';
    const ranking = [{ intent: picked, confidence: answer.confidence }];
    if (picked !== 'out_of_scope' && answer.confidence < this.minConfidence) {
      return { intent: 'out_of_scope', confidence: answer.confidence, entities, ranking };
    }
    return { intent: picked, confidence: answer.confidence, entities, ranking };
  }

  /** The reply's message content, or a Fallback error. */
  private async complete(text: string): Promise<string> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    const body = {
      model: this.options.model,
      temperature: 0,
      max_tokens: 60,
      ...(this.options.jsonMode === false ? {} : { response_format: { type: 'json_object' } }),
      messages: [
        { role: 'system', content: SYSTEM_PROMPT },
        { role: 'user', content: text },
      ],
    };
    // One signal for the whole exchange: a server that sends headers and then stalls the body times out too.
    const signal = AbortSignal.timeout(this.timeoutMs);
    let json: unknown;
    try {
      const res = await fetch(this.url, { method: 'POST', headers, body: JSON.stringify(body), signal });
      if (!res.ok) {
        await res.body?.cancel();
        throw new Fallback('http', `HTTP ${res.status}`);
      }
      json = await res.json();
    } catch (err) {
      if (err instanceof Fallback) throw err;
      if (signal.aborted) throw new Fallback('timeout', `no answer within ${this.timeoutMs} ms`);
      if (err instanceof SyntaxError) throw new Fallback('bad_response', 'the response is not JSON');
      throw new Fallback('network', err instanceof Error ? err.message : String(err));
    }
    const completion = Completion.safeParse(json);
    if (!completion.success) throw new Fallback('bad_response', 'not a chat completion');
    return completion.data.choices[0]!.message.content;
  }
}
