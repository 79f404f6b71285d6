/**
 * Per-IP limits behind a load balancer: with TRUST_PROXY naming the balancer, each client's own address
 * (X-Forwarded-For) has its budget; without it, the header is ignored (anyone could forge it) and every
 * request counts against the connecting address.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { postJson, startServer, storeUnavailable, type TestServer } from '../../test/helpers.js';

const skip = await storeUnavailable();

describe.skipIf(skip)('TRUST_PROXY and per-IP limits', () => {
  let s: TestServer | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });
  const session = (from: string) =>
    postJson(`${s!.url}/api/widget/session`, { token: 'not-a-token' }, { 'x-forwarded-for': from });

  it('gives each forwarded client its own budget when the balancer is trusted', async () => {
    s = await startServer({ env: { RATE_LIMIT_WIDGET_SESSION: '2/60', TRUST_PROXY: '127.0.0.1' } });
    expect((await session('203.0.113.1')).status).not.toBe(429);
    expect((await session('203.0.113.1')).status).not.toBe(429);
    expect((await session('203.0.113.1')).status).toBe(429);
    // Another client behind the same balancer is not held back by the first.
    expect((await session('203.0.113.2')).status).not.toBe(429);
  });

  it('ignores X-Forwarded-For from an untrusted peer', async () => {
    s = await startServer({ env: { RATE_LIMIT_WIDGET_SESSION: '2/60' } });
    expect((await session('203.0.113.1')).status).not.toBe(429);
    expect((await session('203.0.113.2')).status).not.toBe(429);
    // A forged header does not buy a fresh budget.
    expect((await session('203.0.113.3')).status).toBe(429);
  });
});
