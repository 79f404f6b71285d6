/**
 * No full card number ever leaves the store: not in an API response, a page, a WebSocket frame, a log
 * line, an event, an audit record, an idempotency record — and not in plaintext in the database file.
 * The test decrypts every card number in the store, drives every surface, and scans everything.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountsPort, Caller } from '../src/accounts/accounts.port.js';
import { PanVault } from '../src/accounts/embedded/pan-vault.js';
import { createLogger } from '../src/shared/logger.js';
import {
  dbKind,
  startServer,
  staffLogin,
  storeUnavailable,
  TestSocket,
  widgetSession,
  type TestServer,
} from './helpers.js';

const skip = await storeUnavailable();

/** Every way a number could be written out: plain, and grouped 4-6-5 / 4-4-4-3 with common separators. */
function spellings(pan: string): string[] {
  const g465 = [pan.slice(0, 4), pan.slice(4, 10), pan.slice(10)];
  const g4 = pan.match(/.{1,4}/g)!;
  return [pan, ...[' ', '-', '.'].flatMap((sep) => [g465.join(sep), g4.join(sep)])];
}

describe.skipIf(skip)('no full card number leaves the store', () => {
  let s: TestServer;
  const logs: string[] = [];
  const seen: Array<{ where: string; text: string }> = [];
  const record = (where: string, text: string) => seen.push({ where, text });

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _e, cb) {
        logs.push(String(chunk));
        cb();
      },
    });
    s = await startServer({ logger: createLogger('trace', sink) });
  });
  afterAll(async () => s?.close());

  async function allPans(): Promise<string[]> {
    const vault = new PanVault(s.app.config.accounts.encryptionKey);
    const rows = await s.app.store.db.selectFrom('cards').select(['pan_ciphertext', 'last4']).execute();
    const pans = rows.filter((r) => r.pan_ciphertext).map((r) => vault.decrypt(r.pan_ciphertext!));
    for (const [i, pan] of pans.entries()) expect(pan.slice(-4)).toBe(rows.filter((r) => r.pan_ciphertext)[i]!.last4);
    return pans;
  }

  async function get(path: string, headers: Record<string, string> = {}) {
    const res = await fetch(s.url + path, { headers, redirect: 'manual' });
    const text = await res.text();
    record(`GET ${path}`, text + JSON.stringify([...res.headers]));
    return { status: res.status, text, headers: res.headers };
  }

  it('drives every surface, then finds no card number anywhere', async () => {
    const pansBefore = await allPans();
    expect(pansBefore.length).toBeGreaterThanOrEqual(4);

    // --- The issuer site: sign in as each persona and open each card page.
    for (const [user, password] of [
      ['maria', 'demo-maria-2024'],
      ['jose', 'demo-jose-2024'],
      ['sam', 'demo-sam-2024'],
    ] as const) {
      const login = await fetch(`${s.url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: s.url },
        body: new URLSearchParams({ username: user, password }).toString(),
        redirect: 'manual',
      });
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
      const account = await get('/account', { cookie });
      expect(account.status).toBe(200);
      for (const m of account.text.matchAll(/href="(\/account\/cards\/[^"]+)"/g)) await get(m[1]!, { cookie });
    }

    // --- The chat: a cardmember pastes their own card number; it is redacted at the edge.
    const session = await widgetSession(s);
    record('widget session', JSON.stringify(session));
    const cm = await TestSocket.open(s, { sessionToken: session.sessionToken });
    cm.ws.on('message', (d) => record('ws cardmember', String(d)));
    await cm.handshake(session.conversation.id, 0);
    const own = pansBefore[0]!;
    cm.send({
      type: 'send',
      conversationId: session.conversation.id,
      clientMsgId: randomUUID(),
      body: `my card is ${own.slice(0, 4)} ${own.slice(4, 10)} ${own.slice(10)} please help`,
    });
    cm.send({
      type: 'send',
      conversationId: session.conversation.id,
      clientMsgId: randomUUID(),
      body: 'I need a live agent',
    });
    await cm.next('conversation', (f) => f.conversation.status === 'queued');

    // --- The console: accept, read the customer context (cards, transactions, wallet, replacements).
    const agent = await staffLogin(s);
    const ag = await TestSocket.open(s, { cookie: agent.cookie });
    ag.ws.on('message', (d) => record('ws agent', String(d)));
    await ag.handshake();
    const accepted = await agent.call('POST', `/api/conversations/${session.conversation.id}/accept`);
    record('accept', JSON.stringify(accepted.json));
    await ag.handshake(session.conversation.id, 0);
    const context = await agent.call('GET', `/api/conversations/${session.conversation.id}/context`);
    expect(context.status).toBe(200);
    expect(context.json.unavailable).toEqual([]);
    expect(context.json.card.last4).toBe('1005');
    record('context', JSON.stringify(context.json));
    for (const p of [
      `/api/conversations/${session.conversation.id}`,
      `/api/conversations/${session.conversation.id}/transcript`,
    ]) {
      record(p, JSON.stringify((await agent.call('GET', p)).json));
    }

    // --- The accounts port as the assistant and an agent use it, including the operations that mint numbers.
    const accounts: AccountsPort = s.app.services.accounts;
    const caller: Caller = {
      actorType: 'agent',
      actorId: 'agent_ana',
      onBehalfOf: 'cm_maria',
      conversationId: session.conversation.id,
    };
    const key = () => randomUUID();
    const cards = await accounts.listCards(caller);
    record('listCards', JSON.stringify(cards));
    for (const c of cards) {
      record('getCard', JSON.stringify(await accounts.getCard(caller, c.id)));
      record('transactions', JSON.stringify(await accounts.listTransactions(caller, { cardId: c.id })));
    }
    const active = cards.find((c) => c.status === 'active' && c.role === 'primary')!;
    record(
      'lost',
      JSON.stringify(await accounts.reportLostOrStolen(caller, { cardId: active.id, reason: 'lost' }, key())),
    );
    const primary = (await accounts.listCards(caller)).find((c) => c.status === 'active' && c.role === 'primary')!;
    record(
      'authorized user',
      JSON.stringify(
        await accounts.addAuthorizedUser(
          caller,
          { cardId: primary.id, firstName: 'Lucia', lastName: 'Lopez', dateOfBirth: '2001-02-03' },
          key(),
        ),
      ),
    );
    record('cards after', JSON.stringify(await accounts.listCards(caller)));
    record('replacements', JSON.stringify(await accounts.listReplacements(caller)));

    // --- Everything that was written down: logs, events, audit, idempotency records, messages.
    const db = s.app.store.db;
    record('logs', logs.join('\n'));
    record('events', JSON.stringify(await db.selectFrom('events').selectAll().execute()));
    record('audit', JSON.stringify(await db.selectFrom('audit_log').selectAll().execute()));
    record('idempotency', JSON.stringify(await db.selectFrom('idempotency_keys').selectAll().execute()));
    record('messages', JSON.stringify(await db.selectFrom('messages').selectAll().execute()));

    const pans = await allPans();
    expect(pans.length).toBeGreaterThan(pansBefore.length); // the lost card and the new user minted numbers
    const leaks: string[] = [];
    for (const pan of pans) {
      for (const form of spellings(pan)) {
        for (const { where, text } of seen)
          if (text.includes(form)) leaks.push(`${where} contains ${pan.slice(-4)} (${form.length} chars)`);
      }
    }
    expect(leaks).toEqual([]);
    // And the redacted message kept only the last 4.
    expect(seen.find((x) => x.where === 'messages')!.text).toContain(`•••• ${own.slice(-4)}`);

    // At rest: the SQLite file holds ciphertext only.
    if (dbKind === 'sqlite') {
      await s.app.store.db.selectFrom('cards').select('id').limit(1).execute();
      const file = (s.app.config.database as { file: string }).file;
      const bytes =
        readFileSync(file).toString('latin1') +
        (() => {
          try {
            return readFileSync(`${file}-wal`).toString('latin1');
          } catch {
            return '';
          }
        })();
      for (const pan of pans)
        expect(bytes.includes(pan), `plaintext number ending ${pan.slice(-4)} in the database file`).toBe(false);
    }
    cm.terminate();
    ag.terminate();
  });
});
