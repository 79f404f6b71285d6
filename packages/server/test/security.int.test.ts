/** Security basics that cut across the transports: headers, logs, error bodies. */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/shared/logger.js';
import {
  postJson,
  siteToken,
  startServer,
  staffLogin,
  storeUnavailable,
  TestSocket,
  type TestServer,
} from './helpers.js';

const skip = await storeUnavailable();

describe.skipIf(skip)('security basics', () => {
  let s: TestServer;
  const logLines: string[] = [];
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, cb) {
        logLines.push(String(chunk));
        cb();
      },
    });
    // Most verbose level, so anything that could leak into logs would.
    s = await startServer({ logger: createLogger('trace', sink, { node: 'log-check-node' }) });
  });
  afterAll(async () => s?.close());

  it('sends security headers on pages and API responses', async () => {
    for (const p of ['/', '/api/auth/me', '/console/', '/widget/carechat-widget.js']) {
      const res = await fetch(s.url + p);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, p).toContain("script-src 'self'");
      expect(csp, p).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options'), p).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), p).toBe('no-referrer');
    }
  });

  it('never puts message bodies, tokens or cookies in the logs, even at trace level', async () => {
    logLines.length = 0;
    const token = await siteToken({ sub: 'cm_sam', card: 'card_sam_blue' });
    const created = await postJson(`${s.url}/api/widget/session`, { token });
    expect(created.status).toBe(201);
    const session = created.json as import('@carechat/protocol').WidgetSessionResponse;
    const sock = await TestSocket.open(s, { sessionToken: session.sessionToken });
    await sock.handshake(session.conversation.id, session.conversation.lastSeq);
    const secretBody = 'my private note zebra-orchid-7731';
    // A made-up, Luhn-valid card number, typed the way people do.
    const card = '4539 1488 0343 6467';
    for (const [i, body] of [secretBody, `my card is ${card} please help`].entries()) {
      const ack = sock.next('ack', (f) => f.clientMsgId === `log-check-000${i}`);
      sock.send({ type: 'send', conversationId: session.conversation.id, clientMsgId: `log-check-000${i}`, body });
      await ack;
    }
    // Malformed bodies and frames carrying the same values (a parser's error could quote its input).
    await postJson(`${s.url}/api/widget/session`, `{"token": "${token}", "note": "${secretBody} ${card}`);
    sock.send(`{"type":"send","body":"${secretBody} ${card}"`);
    await sock.next('error', (f) => f.code === 'bad_json');
    const agent = await staffLogin(s, 'ben@carechat.test', 'demo-ben-2024');
    await agent.call('GET', `/api/conversations?view=waiting&probe=${encodeURIComponent(secretBody)}`);
    await postJson(`${s.url}/api/auth/login`, { email: 'ben@carechat.test', password: 'wrong-password-zz' });
    await fetch(`${s.url}/api/widget/conversations/${session.conversation.id}/messages?after=0`, {
      headers: { authorization: `Bearer ${session.sessionToken}` },
    });
    sock.terminate();
    await s.app.services.conversations.idle();
    const all = logLines.join('\n');
    expect(logLines.length).toBeGreaterThan(0);
    for (const secret of [
      secretBody,
      'zebra-orchid',
      card,
      card.replace(/ /g, ''),
      token,
      session.sessionToken,
      agent.cookie.split('=')[1]!,
      'wrong-password-zz',
      agent.csrf,
    ]) {
      expect(all).not.toContain(secret);
    }
    // One JSON object per line, each with its level, time, node and message.
    const lines = all.split('\n').filter((l) => l.trim() !== '');
    for (const line of lines) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      expect(typeof entry.level, line).toBe('number');
      expect(typeof entry.time, line).toBe('number');
      expect(entry.node, line).toBe('log-check-node');
      expect(typeof entry.msg, line).toBe('string');
    }
  });

  it('answers unknown routes and malformed bodies with a clear JSON error and no stack trace', async () => {
    const r1 = await fetch(`${s.url}/api/nope`);
    expect(r1.status).toBe(404);
    expect(((await r1.json()) as { error: { code: string } }).error.code).toBe('not_found');
    const r2 = await postJson(`${s.url}/api/auth/login`, '{"email": ');
    expect(r2.status).toBe(400);
    expect(r2.json.error.code).toBe('bad_request');
    expect(JSON.stringify(r2.json)).not.toMatch(/at \w+ \(|node_modules|\.ts:\d+/);
  });
});
