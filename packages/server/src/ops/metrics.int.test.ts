/**
 * GET /metrics against a real server (SQLite or PostgreSQL, in-process or Redis bus as the suite runs):
 * sockets and messages move the gateway counters by exactly what the clients saw, a card number counts
 * one redaction, a handed-off chat shows in the queue gauges, the store and assistant histograms fill,
 * HTTP series use route patterns (never a token in a path), the output is valid text format, and
 * METRICS_TOKEN gates the endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Assistant } from '../assistant/assistant.js';
import { ConfigError, loadConfig } from '../config.js';
import {
  busKind,
  eventually,
  staffLogin,
  startServer,
  storeUnavailable,
  TestSocket,
  widgetSession,
  type TestServer,
} from '../../test/helpers.js';
import { queryKind } from './metrics.js';

const skip = await storeUnavailable();
const NODE = 'metrics-test-node';
const TOKEN = 'metrics-token-0123456789abcdef';

/** Replies once per message; "agent" hands the chat to the general team (nobody is signed in there). */
const SCRIPTED: Assistant = {
  greet: () => ({ replies: [{ text: 'Hello' }] }),
  respond: async (ctx) =>
    /agent/.test(ctx.text)
      ? { replies: [{ text: 'Connecting you' }], handoff: { teamId: 'general', reason: 'asked' } }
      : { replies: [{ text: 'Noted' }] },
};

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

// The Prometheus text exposition format, one sample per line. Values as Prometheus parses them (Go's
// ParseFloat: NaN and Inf in any case; prom-client writes an empty event-loop histogram's mean as "Nan").
const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\.)*"';
const SAMPLE_LINE = new RegExp(
  `^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*,?)?\\})? ([-+]?(?:[0-9.]+(?:e[-+]?[0-9]+)?|Inf|NaN))( -?[0-9]+)?$`,
  'i',
);
const COMMENT_LINE = new RegExp(`^# (?:HELP ${NAME} .*|TYPE ${NAME} (?:counter|gauge|histogram|summary|untyped))$`);

/** Every line must be a comment or a sample; throws on the first that is neither. */
function parse(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      if (!COMMENT_LINE.test(line)) throw new Error(`bad comment line: ${line}`);
      continue;
    }
    const m = SAMPLE_LINE.exec(line);
    if (!m) throw new Error(`bad sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: /nan/i.test(m[3]!) ? NaN : Number(m[3]!.replace(/inf/i, 'Infinity')) });
  }
  return out;
}

/** Sum of the samples named `name` whose labels include `where`. */
function total(samples: Sample[], name: string, where: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v))
    .reduce((n, s) => n + s.value, 0);
}

describe.skipIf(skip)('metrics', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ assistant: SCRIPTED, env: { NODE_ID: NODE } });
  });
  afterAll(async () => s?.close());

  async function scrape(): Promise<{ text: string; samples: Sample[] }> {
    const res = await fetch(`${s.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    return { text, samples: parse(text) };
  }

  it('serves every series in valid text format, each with this node', async () => {
    const { samples } = await scrape();
    expect(samples.length).toBeGreaterThan(50);
    for (const x of samples) expect(x.labels.node, x.name).toBe(NODE);
    const names = new Set(samples.map((x) => x.name));
    for (const n of [
      'carechat_ws_connections',
      'carechat_messages_in_total',
      'carechat_messages_out_total',
      'carechat_store_query_duration_seconds_count',
      'carechat_process_cpu_user_seconds_total',
      'carechat_nodejs_eventloop_lag_seconds',
    ]) {
      expect(names, n).toContain(n);
    }
    // The store was migrated and seeded through the same Kysely instance: its queries were timed.
    expect(total(samples, 'carechat_store_query_duration_seconds_count', { kind: 'select' })).toBeGreaterThan(0);
    expect(total(samples, 'carechat_store_query_duration_seconds_count', { kind: 'insert' })).toBeGreaterThan(0);
  });

  it('counts sockets, messages in and out, rejected frames, redactions, assistant turns and the queue', async () => {
    const before = (await scrape()).samples;
    const session = await widgetSession(s, { sub: 'cm_sam', card: 'card_sam_blue' });
    const conversationId = session.conversation.id;
    const cm = await TestSocket.open(s, { sessionToken: session.sessionToken });
    await cm.handshake(conversationId, session.conversation.lastSeq);
    const agent = await staffLogin(s, 'ben@carechat.test', 'demo-ben-2024');
    const staff = await TestSocket.open(s, { cookie: agent.cookie });
    await staff.handshake();

    const open = (await scrape()).samples;
    expect(total(open, 'carechat_ws_connections', { role: 'cardmember' })).toBe(
      total(before, 'carechat_ws_connections', { role: 'cardmember' }) + 1,
    );
    expect(total(open, 'carechat_ws_connections', { role: 'agent' })).toBe(
      total(before, 'carechat_ws_connections', { role: 'agent' }) + 1,
    );

    const texts = ['hello there', 'my card is 4539 1488 0343 6467', 'I want an agent please'];
    for (const [i, body] of texts.entries()) {
      const ack = cm.next('ack', (f) => f.clientMsgId === `metrics-${i}`);
      cm.send({ type: 'send', conversationId, clientMsgId: `metrics-${i}`, body });
      await ack;
    }
    // A retransmit of an acked message is acked again but is not a new message.
    const again = cm.next('ack', (f) => f.clientMsgId === 'metrics-0' && f.duplicate);
    cm.send({ type: 'send', conversationId, clientMsgId: 'metrics-0', body: texts[0] });
    await again;
    const rejected = cm.next('error', (f) => f.code === 'bad_json');
    cm.send('{not json');
    await rejected;
    await s.app.services.conversations.idle();
    // Three cardmember messages, three bot replies, system notices: wait for the last bot reply's frame.
    await eventually(() =>
      cm.frames.some((f) => f.type === 'message' && f.message.body === 'Connecting you' && f.message.seq > 0),
    );
    await eventually(
      async () =>
        (
          await s.app.store.db
            .selectFrom('conversations')
            .select('status')
            .where('id', '=', conversationId)
            .executeTakeFirst()
        )?.status === 'queued',
    );

    // Every message frame the server wrote has reached the two sockets (the last may still be in flight).
    const messageFrames = () => [...cm.frames, ...staff.frames].filter((f) => f.type === 'message').length;
    const after = await eventually(async () => {
      const x = (await scrape()).samples;
      const out = total(x, 'carechat_messages_out_total') - total(before, 'carechat_messages_out_total');
      return out === messageFrames() ? x : null;
    });
    const delta = (name: string, where: Record<string, string> = {}) =>
      total(after, name, where) - total(before, name, where);
    expect(delta('carechat_messages_in_total', { role: 'cardmember' })).toBe(texts.length);
    expect(delta('carechat_messages_in_total')).toBe(texts.length);
    // Each message and each bot reply at least (system notices too) reached the cardmember's socket.
    expect(messageFrames()).toBeGreaterThanOrEqual(texts.length * 2);
    expect(delta('carechat_messages_out_total')).toBe(messageFrames());
    expect(delta('carechat_ws_frames_rejected_total', { code: 'bad_json' })).toBe(1);
    expect(delta('carechat_redactions_total', { type: 'card_number' })).toBe(1);
    expect(delta('carechat_assistant_turn_duration_seconds_count')).toBe(texts.length);
    expect(delta('carechat_assistant_turn_duration_seconds_count', { outcome: 'handoff' })).toBe(1);
    expect(delta('carechat_store_query_duration_seconds_count')).toBeGreaterThan(0);
    expect(total(after, 'carechat_queue_depth', { team: 'general', language: 'en' })).toBe(1);
    // Nobody serves the general team: the model has no estimate, so the series is absent.
    expect(after.some((x) => x.name === 'carechat_queue_wait_estimate_seconds')).toBe(false);
    if (busKind === 'redis') {
      expect(total(after, 'carechat_bus_events_total', { direction: 'published' })).toBeGreaterThan(0);
    }

    // With an agent available for the queue, the wait the last chat in line is told is reported.
    await s.app.store.db
      .updateTable('agents')
      .set({ status: 'busy' })
      .where('email', '=', 'ana@carechat.test')
      .execute();
    const staffed = await eventually(async () => {
      const x = (await scrape()).samples;
      return x.some((y) => y.name === 'carechat_queue_wait_estimate_seconds') ? x : null;
    }, 3000);
    expect(total(staffed, 'carechat_queue_wait_estimate_seconds', { team: 'general', language: 'en' })).toBeGreaterThan(
      0,
    );

    cm.terminate();
    staff.ws.close();
    const closed = await eventually(async () => {
      const x = (await scrape()).samples;
      return total(x, 'carechat_ws_connections') === total(before, 'carechat_ws_connections') ? x : null;
    });
    expect(total(closed, 'carechat_ws_connections', { role: 'cardmember' })).toBe(
      total(before, 'carechat_ws_connections', { role: 'cardmember' }),
    );
  });

  it('labels HTTP requests by route pattern, never by the raw path', async () => {
    const secret = 'Zm9vYmFyLXNlY3JldC10b2tlbi0xMjM0NTY3ODkw';
    await fetch(`${s.url}/upload/${secret}`);
    await fetch(`${s.url}/api/nope/${secret}?token=${secret}`);
    await fetch(`${s.url}/healthz`);
    const { text, samples } = await scrape();
    expect(text).not.toContain(secret);
    expect(
      total(samples, 'carechat_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/upload/:token',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      total(samples, 'carechat_http_request_duration_seconds_count', { route: 'unmatched', status: '404' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      total(samples, 'carechat_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/healthz',
        status: '200',
      }),
    ).toBeGreaterThanOrEqual(1);
  });
});

describe.skipIf(skip)('metrics behind METRICS_TOKEN', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ env: { METRICS_TOKEN: TOKEN, NODE_ID: `${NODE}-2` } });
  });
  afterAll(async () => s?.close());

  it('answers 401 without the bearer token and 200 with it', async () => {
    const none = await fetch(`${s.url}/metrics`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    const wrong = await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.status).toBe(401);
    const basic = await fetch(`${s.url}/metrics`, { headers: { authorization: `Basic ${TOKEN}` } });
    expect(basic.status).toBe(401);
    const ok = await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(parse(await ok.text()).length).toBeGreaterThan(0);
  });
});

describe('metrics configuration and labels', () => {
  it('refuses a short METRICS_TOKEN with a clear message', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', METRICS_TOKEN: 'short', IDENTITY_SECRETS: 'x'.repeat(32) })).toThrow(
      ConfigError,
    );
    expect(() => loadConfig({ NODE_ENV: 'test', METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });

  it('labels queries by statement kind, never by their text', () => {
    expect(queryKind('select "id" from "conversations" where "id" = ?')).toBe('select');
    expect(queryKind('  INSERT into "messages" values ($1)')).toBe('insert');
    expect(queryKind('update "agents" set "status" = $1')).toBe('update');
    expect(queryKind('delete from "sessions"')).toBe('delete');
    expect(queryKind('with x as (select 1) select * from x')).toBe('other');
    expect(queryKind('create table "t" ("id" text)')).toBe('other');
  });
});
