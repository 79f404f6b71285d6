/**
 * Staff presence across nodes (agents/presence.ts) against the real store chosen by CARECHAT_TEST_DB
 * (SQLite file or PostgreSQL) and, for the two-node cases, the real Redis: console sockets counted per
 * node, one agent on two nodes is one online agent, a node that stops heartbeating has its rows removed
 * by another, and the away rule fires after the configured time and never while a console is open.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SupervisorBoard } from '@carechat/protocol';
import { channels, type EventCatalog } from '../bus/events.js';
import {
  dbKind,
  eventually,
  redisUnavailable,
  sleep,
  startCluster,
  startServer,
  staffLogin,
  storeUnavailable,
  TestSocket,
  type TestServer,
} from '../../test/helpers.js';

const skip = await storeUnavailable();
const skipCluster = skip ?? (await redisUnavailable());

/** Short intervals: a dead node is noticed within ~300 ms. */
const FAST = { PRESENCE_HEARTBEAT_MS: '100' };

type Staff = Awaited<ReturnType<typeof staffLogin>>;

async function console_(s: TestServer, staff: Staff): Promise<TestSocket> {
  const sock = await TestSocket.open(s, { cookie: staff.cookie });
  await sock.handshake();
  return sock;
}

async function status(s: TestServer, agentId: string): Promise<string> {
  const row = await s.app.store.db
    .selectFrom('agents')
    .select('status')
    .where('id', '=', agentId)
    .executeTakeFirstOrThrow();
  return row.status;
}

async function presenceRows(s: TestServer, agentId?: string) {
  let q = s.app.store.db.selectFrom('staff_presence').selectAll().orderBy('node_id');
  if (agentId) q = q.where('agent_id', '=', agentId);
  return q.execute();
}

const stateEvents = (s: TestServer) => {
  const seen: Array<EventCatalog['agent.state_changed']> = [];
  s.app.bus.subscribe(channels.staff, (e) => {
    if (e.name === 'agent.state_changed') seen.push(e.payload as EventCatalog['agent.state_changed']);
  });
  return seen;
};

describe.skipIf(skip)(`presence on one node (${dbKind})`, () => {
  let s: TestServer | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it('counts consoles as they open and close, and the board shows the agent online while one is open', async () => {
    s = await startServer({ env: FAST });
    const server = s;
    const presence = server.app.services.presence;
    const ana = await staffLogin(server);
    const sofia = await staffLogin(server, 'sofia@carechat.test', 'demo-sofia-2024');
    const onlineOnBoard = async () => {
      const r = await sofia.call('GET', '/api/supervisor/board');
      expect(r.status).toBe(200);
      return (r.json as SupervisorBoard).agents.find((a) => a.id === 'agent_ana')?.online;
    };
    expect(await presence.connections('agent_ana')).toBe(0);
    expect(await onlineOnBoard()).toBe(false);

    const first = await console_(server, ana);
    await eventually(async () => (await presence.connections('agent_ana')) === 1);
    const second = await console_(server, ana);
    await eventually(async () => (await presence.connections('agent_ana')) === 2);
    expect(await presenceRows(server, 'agent_ana')).toEqual([
      expect.objectContaining({ node_id: server.app.config.nodeId, connections: 2 }),
    ]);
    expect(await onlineOnBoard()).toBe(true);
    // A cardmember's socket or a sign-in without a console is no presence.
    expect([...(await presence.online(['agent_ana', 'agent_sofia', 'agent_ben']))]).toEqual(['agent_ana']);

    first.terminate();
    await eventually(async () => (await presence.connections('agent_ana')) === 1);
    expect(await onlineOnBoard()).toBe(true);
    second.ws.close();
    await eventually(async () => (await presence.connections('agent_ana')) === 0);
    expect(await presenceRows(server, 'agent_ana')).toEqual([]);
    expect(await onlineOnBoard()).toBe(false);
  });

  it('sets an available agent away after the configured seconds without a console, never while one is open', async () => {
    s = await startServer({ env: { ...FAST, PRESENCE_AWAY_AFTER_SECONDS: '1' } });
    const server = s;
    const events = stateEvents(server);
    const ana = await staffLogin(server);
    const ben = await staffLogin(server, 'ben@carechat.test', 'demo-ben-2024');
    const sock = await console_(server, ana);
    expect((await ana.call('PUT', '/api/agent/status', { status: 'available' })).status).toBe(200);
    const benAvailableAt = Date.now();
    expect((await ben.call('PUT', '/api/agent/status', { status: 'available' })).status).toBe(200);

    // Ben never opened a console: away after about a second (plus at most a sweep), not at once.
    await sleep(500);
    expect(await status(server, 'agent_ben')).toBe('available');
    await eventually(async () => (await status(server, 'agent_ben')) === 'away', 5000);
    expect(Date.now() - benAvailableAt).toBeGreaterThanOrEqual(1000);
    await eventually(() => events.some((e) => e.agentId === 'agent_ben' && e.reason === 'disconnected'));
    expect(events).toContainEqual({ agentId: 'agent_ben', state: 'away', reason: 'disconnected' });

    // Ana's console stays open for three times the limit: she stays available.
    await sleep(3000);
    expect(await status(server, 'agent_ana')).toBe('available');
    expect(events.filter((e) => e.agentId === 'agent_ana')).toEqual([
      { agentId: 'agent_ana', state: 'available', reason: 'chosen' },
    ]);

    // Her browser goes away: the clock starts with the first sweep that sees her connected nowhere.
    sock.terminate();
    const closedAt = Date.now();
    await sleep(600);
    expect(await status(server, 'agent_ana')).toBe('available');
    await eventually(async () => (await status(server, 'agent_ana')) === 'away', 5000);
    expect(Date.now() - closedAt).toBeGreaterThanOrEqual(1000);
    await eventually(() => events.some((e) => e.agentId === 'agent_ana' && e.reason === 'disconnected'));
    await eventually(() => events.some((e) => e.agentId === 'agent_ana' && e.reason === 'disconnected'));
    expect(events).toContainEqual({ agentId: 'agent_ana', state: 'away', reason: 'disconnected' });

    // Away is not touched again, and choosing available with a console open holds.
    const again = await console_(server, ana);
    expect((await ana.call('PUT', '/api/agent/status', { status: 'available' })).status).toBe(200);
    await sleep(1800);
    expect(await status(server, 'agent_ana')).toBe('available');
    again.terminate();
  }, 30_000);
});

describe.skipIf(skipCluster)(`presence across two nodes (${dbKind} + Redis)`, () => {
  let cluster: Awaited<ReturnType<typeof startCluster>> | undefined;
  afterEach(async () => {
    await cluster?.close();
    cluster = undefined;
  });

  it('an agent with a console on each node is one online agent, counted on both nodes', async () => {
    cluster = await startCluster(2, { db: dbKind, env: FAST });
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    const ana = await staffLogin(a);
    const sofia = await staffLogin(b, 'sofia@carechat.test', 'demo-sofia-2024');
    const onA = await console_(a, ana);
    const onB = await console_(b, ana);
    await eventually(async () => (await a.app.services.presence.connections('agent_ana')) === 2);
    expect((await presenceRows(b, 'agent_ana')).map((r) => [r.node_id, r.connections])).toEqual([
      ['node-0', 1],
      ['node-1', 1],
    ]);
    for (const node of [a, b]) {
      const res = await fetch(`${node.url}/api/supervisor/board`, { headers: { cookie: sofia.cookie } });
      const board = (await res.json()) as SupervisorBoard;
      expect(board.agents.filter((x) => x.online).map((x) => x.id)).toEqual(['agent_ana']);
    }
    // Closing the console on one node leaves her online through the other.
    onA.terminate();
    await eventually(async () => (await b.app.services.presence.connections('agent_ana')) === 1);
    expect([...(await b.app.services.presence.online(['agent_ana']))]).toEqual(['agent_ana']);
    onB.terminate();
    await eventually(async () => (await a.app.services.presence.online(['agent_ana'])).size === 0);
  }, 30_000);

  it("a node that stops heartbeating loses its consoles to another node's sweep; its agents then go away", async () => {
    cluster = await startCluster(2, { db: dbKind, env: { ...FAST, PRESENCE_AWAY_AFTER_SECONDS: '1' } });
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    const events = stateEvents(a);
    const ana = await staffLogin(a);
    const ben = await staffLogin(a, 'ben@carechat.test', 'demo-ben-2024');
    await console_(b, ana);
    const benConsole = await console_(a, ben);
    expect((await ana.call('PUT', '/api/agent/status', { status: 'available' })).status).toBe(200);
    expect((await ben.call('PUT', '/api/agent/status', { status: 'available' })).status).toBe(200);
    await eventually(async () => (await presenceRows(a)).length === 2);

    // Node 1 "dies": its heartbeat stops and it removes nothing (as after SIGKILL); its socket stays open.
    await b.app.services.presence.stop({ cleanup: false });
    expect((await presenceRows(a, 'agent_ana')).map((r) => r.node_id)).toEqual(['node-1']);
    // Within about three intervals node 0 removes node 1's rows and its node row, and keeps its own.
    await eventually(async () => (await presenceRows(a, 'agent_ana')).length === 0, 5000);
    expect(await a.app.store.db.selectFrom('nodes').select('id').execute()).toEqual([{ id: 'node-0' }]);
    expect((await presenceRows(a, 'agent_ben')).map((r) => [r.node_id, r.connections])).toEqual([['node-0', 1]]);

    // Ana's console was on the dead node: after the away time routing no longer counts on her. Ben's is live.
    await eventually(async () => (await status(a, 'agent_ana')) === 'away', 5000);
    expect(events).toContainEqual({ agentId: 'agent_ana', state: 'away', reason: 'disconnected' });
    await sleep(1500);
    expect(await status(a, 'agent_ben')).toBe('available');
    benConsole.terminate();
  }, 30_000);
});
