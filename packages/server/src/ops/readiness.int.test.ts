/**
 * `/readyz` against a real server: ready when the store answers; 503 naming the failed check (never its
 * error text) when the store is closed or the node drains; still 200 but `degraded` while the bus is down
 * (Redis is shared: taking every node out of rotation for it would stop all chats).
 * `/healthz` stays 200 throughout: the process is alive, it just should not get new connections.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { InProcessBus } from '../bus/bus.js';
import { RedisBus } from '../bus/redis-bus.js';
import { createLogger } from '../shared/logger.js';
import {
  eventually,
  REDIS_URL,
  redisUnavailable,
  startServer,
  storeUnavailable,
  TestSocket,
  testRunId,
  widgetSession,
  type TestServer,
} from '../../test/helpers.js';

const skip = await storeUnavailable();
const noRedis = skip ? 'no store' : await redisUnavailable();

/** A TCP relay to the test Redis that the test can cut and restore: a Redis outage as a node sees it. */
class RedisRelay {
  private server: net.Server | null = null;
  private readonly open = new Set<net.Socket>();
  port = 0;

  async start(): Promise<void> {
    const target = new URL(REDIS_URL);
    const server = net.createServer((client) => {
      const upstream = net.connect(Number(target.port || 6379), target.hostname);
      for (const s of [client, upstream]) {
        this.open.add(s);
        s.on('close', () => this.open.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  async cut(): Promise<void> {
    for (const s of this.open) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }
}

/** An in-process bus whose health the test switches, standing in for a Redis link that drops. */
class SwitchableBus extends InProcessBus {
  healthy = true;
}

async function get(s: TestServer, path: string) {
  const res = await fetch(`${s.url}${path}`);
  return { status: res.status, json: (await res.json()) as any, headers: res.headers };
}

describe.skipIf(skip)('/readyz', () => {
  let s: TestServer | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it('is 200 with the node id while the store and bus answer', async () => {
    s = await startServer({ env: { NODE_ID: 'ready-node-1' } });
    const r = await get(s, '/readyz');
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ ready: true, node: 'ready-node-1' });
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect((await get(s, '/healthz')).status).toBe(200);
  });

  it('is 503 with store: unavailable once the store is closed, and says nothing more', async () => {
    s = await startServer();
    await s.app.store.close();
    const r = await get(s, '/readyz');
    expect(r.status).toBe(503);
    expect(r.json.ready).toBe(false);
    expect(r.json.checks).toEqual({ store: 'unavailable', bus: 'ok', draining: false });
    // Only the fields above: no error message, host or stack.
    expect(Object.keys(r.json).sort()).toEqual(['checks', 'node', 'ready']);
    expect(JSON.stringify(r.json)).not.toMatch(/destroy|error|sqlite|postgres/i);
    expect((await get(s, '/healthz')).status).toBe(200);
  });

  it('reports the bus: degraded with bus: unavailable while it is down (still 200), plain ready when it is back', async () => {
    const bus = new SwitchableBus();
    s = await startServer({ bus });
    expect((await get(s, '/readyz')).json).toEqual({ ready: true, node: expect.any(String) });
    bus.healthy = false;
    const down = await get(s, '/readyz');
    expect(down.status).toBe(200);
    expect(down.json).toMatchObject({ ready: true, degraded: true });
    expect(down.json.checks).toEqual({ store: 'ok', bus: 'unavailable', draining: false });
    bus.healthy = true;
    const back = await get(s, '/readyz');
    expect(back.status).toBe(200);
    expect(back.json.degraded).toBeUndefined();
  });

  it.skipIf(!!noRedis)(
    'follows a real Redis link: degraded while it is cut, plain ready once the node has reconnected',
    async () => {
      const relay = new RedisRelay();
      await relay.start();
      const url = new URL(REDIS_URL);
      url.host = `127.0.0.1:${relay.port}`;
      const bus = new RedisBus({
        url: url.toString(),
        prefix: `t:${testRunId()}:readyz:`,
        nodeId: 'readyz-redis',
        logger: createLogger('silent'),
      });
      await bus.connected();
      s = await startServer({ bus });
      expect((await get(s, '/readyz')).status).toBe(200);

      await relay.cut();
      const down = await eventually(async () => {
        const r = await get(s!, '/readyz');
        return r.json.degraded ? r : null;
      });
      expect(down.status).toBe(200);
      expect(down.json.checks).toEqual({ store: 'ok', bus: 'unavailable', draining: false });
      expect((await get(s, '/healthz')).status).toBe(200);

      await relay.start(); // same port: the node reconnects by itself
      await eventually(async () => {
        const r = await get(s!, '/readyz');
        return r.status === 200 && !r.json.degraded;
      }, 10_000);
      await s.close();
      s = undefined;
      await relay.cut();
    },
  );

  it('is 503 (draining) from the moment drain starts, while open sockets keep being served until the wait ends', async () => {
    s = await startServer({ env: { SHUTDOWN_DRAIN_MS: '1000' } });
    const session = await widgetSession(s);
    const cm = await TestSocket.open(s, { sessionToken: session.sessionToken });
    await cm.handshake(session.conversation.id, session.conversation.lastSeq);

    const drained = s.app.drain();
    expect(s.app.draining).toBe(true);
    const r = await get(s, '/readyz');
    expect(r.status).toBe(503);
    expect(r.json.checks).toEqual({ store: 'ok', bus: 'ok', draining: true });
    expect((await get(s, '/healthz')).status).toBe(200);

    // During the wait the node still works for the sockets it has (the balancer is catching up).
    const pong = cm.next('pong');
    cm.send({ type: 'ping', nonce: 'still-here' });
    expect((await pong).nonce).toBe('still-here');
    expect(cm.frames.some((f) => f.type === 'reconnect')).toBe(false);
    expect(cm.closeCode).toBeNull();

    await drained;
    expect(await cm.closed()).toBe(1012);
    // Still draining (not ready) until the process exits.
    expect((await get(s, '/readyz')).status).toBe(503);
  });
});
