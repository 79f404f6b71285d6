/**
 * The real widget in Chromium across the death of the node serving it. Two carechat processes on
 * PostgreSQL + Redis behind a TCP load balancer (one origin for the browser, as in production). Maria
 * chats with Ana; the node holding Maria's WebSocket is killed with SIGKILL; while the widget is
 * reconnecting Ana writes and Maria sends a reply. The widget reconnects through the balancer to the
 * other node and resumes by seq: Maria sees Ana's message once, her reply is stored and delivered to Ana
 * once, and the chat carries on. Runs in the multi-node pass (`.cluster.test.`).
 */
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENTS } from '../packages/server/src/seed/demo.js';
import type { Database } from '../packages/server/src/store/schema.js';
import { clientDist } from '../packages/server/src/transport/http.js';
import {
  Balancer,
  clusterDataDir,
  clusterEnv,
  NodeProcess,
  PG_URL,
  readStore,
  ResilientClient,
  staffSignIn,
  TcpBalancer,
  until,
} from '../packages/server/test/cluster/harness.js';
import { redisUnavailable, storeUnavailable } from '../packages/server/test/helpers.js';
import type { Kysely } from 'kysely';
import { browserUnavailable, launch } from './browser.js';

const skip = browserUnavailable() ?? (await storeUnavailable('postgres')) ?? (await redisUnavailable());

describe.skipIf(skip)('the widget survives the death of its node (Chromium, two nodes, PostgreSQL + Redis)', () => {
  const data = clusterDataDir();
  const { schema, env } = clusterEnv(data.dir, { SHUTDOWN_DRAIN_MS: '0' });
  const nodes = ['node-a', 'node-b'].map((name) => new NodeProcess({ name, env }));
  const lb = new TcpBalancer(nodes);
  let browser: Browser;
  let db: Kysely<Database>;
  let agent: ResilientClient | undefined;

  beforeAll(async () => {
    for (const dir of Object.values(clientDist)) {
      if (!existsSync(dir)) throw new Error(`${dir} is missing: run "npm run build" first (npm test does).`);
    }
    await nodes[0]!.start();
    await nodes[1]!.start();
    await lb.start();
    db = readStore(PG_URL, schema);
    browser = await launch();
  }, 120_000);

  afterAll(async () => {
    agent?.close();
    await browser?.close();
    await lb.stop();
    await Promise.allSettled(nodes.map((n) => n.kill()));
    await db?.destroy();
    data.drop();
  });

  const log = (page: Page) => page.getByTestId('cc-log');
  /** How many times `text` is shown as a message in the widget's log. */
  const shown = (page: Page, text: string) => log(page).getByText(text, { exact: true }).count();

  async function say(page: Page, text: string): Promise<void> {
    await page.getByRole('textbox', { name: 'Message' }).fill(text);
    await page.getByRole('button', { name: 'Send' }).click();
  }

  it('reconnects through the balancer and resumes: nothing lost, nothing twice, on either side', async () => {
    const errors: string[] = [];
    const page = await (await browser.newContext()).newPage();
    page.on('pageerror', (e) => errors.push(e.message));

    // Maria signs in on the issuer's site (through the balancer) and opens chat from her Gold Card.
    await page.goto(lb.url + '/');
    await page.getByLabel('Username').fill('maria');
    await page.getByLabel('Password').fill('demo-maria-2024');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/account');
    await page.getByRole('link', { name: /Gold/ }).first().click();
    await page.waitForURL('**/account/cards/**');
    await page.getByRole('button', { name: 'Chat with us' }).click();
    await log(page)
      .getByText(/Hi Maria/)
      .waitFor();
    await page.getByTestId('cc-signout').waitFor();

    await say(page, 'I want to talk to a live agent please');
    let chatId = '';
    await until('the chat is queued', async () => {
      const row = await db
        .selectFrom('conversations')
        .select('id')
        .where('card_id', '=', 'card_maria_gold')
        .where('status', '=', 'queued')
        .executeTakeFirst();
      chatId = row?.id ?? '';
      return !!row;
    });
    const chat = { id: chatId };

    // Ana takes it on node B and follows it with a protocol client through the balancer.
    const ana = await staffSignIn(
      nodes[1]!,
      DEMO_AGENTS.find((a) => a.id === 'agent_ana')!,
    );
    expect((await ana.call(nodes[1]!, 'POST', `/api/conversations/${chat.id}/accept`)).status).toBe(200);
    await log(page).getByText('Ana joined the chat.').waitFor();
    agent = new ResilientClient('ana', {
      balancer: new Balancer(nodes),
      auth: { cookie: ana.cookie },
      conversationId: chat.id,
      lastSeq: 0,
    });
    agent.start();
    await until('Ana is subscribed', () => agent!.connected);
    agent.send('Hello Maria, this is Ana.');
    await log(page).getByText('Hello Maria, this is Ana.').waitFor();

    // Kill the node that holds Maria's socket, without warning.
    const serving = lb.upgrades.at(-1)!;
    const victim = nodes.find((n) => n.spec.name === serving)!;
    const survivor = nodes.find((n) => n !== victim)!;
    await victim.kill();
    // While the widget reconnects: Ana writes, and Maria answers (her message waits in the outbox).
    agent.send('Are you still there?');
    await say(page, 'Yes, still here.');

    // The widget comes back through the balancer, on the surviving node, and catches up.
    await log(page).getByText('Are you still there?', { exact: true }).waitFor({ timeout: 30_000 });
    await until('Maria reconnected on the other node', () => lb.upgrades.at(-1) === survivor.spec.name, 30_000);
    await until('Maria’s reply is stored', async () => {
      const rows = await db
        .selectFrom('messages')
        .select('body')
        .where('conversation_id', '=', chat.id)
        .where('author_type', '=', 'cardmember')
        .execute();
      return rows.some((r) => r.body === 'Yes, still here.');
    });
    await until('every send is acked', () => agent!.pending.size === 0, 30_000);

    // And the chat carries on.
    agent.send('Great, let us continue.');
    await log(page).getByText('Great, let us continue.').waitFor();

    // Once each, on both sides and in the store.
    for (const text of [
      'Hello Maria, this is Ana.',
      'Are you still there?',
      'Yes, still here.',
      'Great, let us continue.',
    ]) {
      expect(await shown(page, text), `the widget shows "${text}" once`).toBe(1);
    }
    const stored = await db
      .selectFrom('messages')
      .select(['seq', 'body'])
      .where('conversation_id', '=', chat.id)
      .orderBy('seq')
      .execute();
    expect(stored.filter((m) => m.body === 'Yes, still here.')).toHaveLength(1);
    expect(stored.filter((m) => m.body === 'Are you still there?')).toHaveLength(1);
    await until('Ana has everything', () => agent!.lastSeq >= stored.at(-1)!.seq);
    expect(agent.received).toEqual(stored.map((m) => m.seq));
    expect(errors).toEqual([]);
  });
});
