/**
 * Redaction at the edge, proven end to end: a cardmember and an agent send the tricky values through
 * real sockets on a real server; then everything that could hold them is scanned — every frame another
 * subscriber received, every ack, what the assistant was given, the HTTP transcripts, every table of
 * the database, the logs at trace level, and (SQLite) the database file bytes with its WAL. None may
 * contain any raw value; the placeholders must be there.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AckFrame, RedactedType } from '@carechat/protocol';
import type { ClassifyOptions, NluEngine } from '../src/assistant/nlu/engine.js';
import { defaultNluEngine } from '../src/assistant/nlu/default-engine.js';
import { createLogger } from '../src/shared/logger.js';
import { startServer, staffLogin, storeUnavailable, TestSocket, widgetSession, type TestServer } from './helpers.js';

const skip = await storeUnavailable();

/** The shipped NLU engine, recording every text the assistant hands it (the text an external model would get). */
class SpyNlu implements NluEngine {
  readonly name = 'spy';
  readonly seen: Array<{ text: string }> = [];
  async classify(text: string, options?: ClassifyOptions) {
    this.seen.push({ text });
    return (await defaultNluEngine()).classify(text, options);
  }
}

// Made-up, Luhn-valid card numbers (one per network shape) and how they are typed below.
const CARDS = {
  visa: '4539148803436467',
  amex: '379461028537717',
  mc2: '2221847360155025',
  visa19: '4351028364719205834',
  discover: '6011728304951163',
  mc: '5283719400652139',
};

/** What the cardmember types while the assistant has the chat, and what the ack must report. */
const BOT_PHASE: Array<[string, RedactedType[]]> = [
  [`my card is ${CARDS.visa} and it was declined`, ['card_number']],
  ['the amex 3794 610285 37717 too', ['card_number']],
  ['new one: 2221-8473-6015-5025', ['card_number']],
  ['old one 4351.0283.6471.9205.834', ['card_number']],
  ['typed twice-spaced 4539  1488  0343  6467 09/28 552', ['card_number', 'security_code']],
  ['pasted 6011\u200b7283\u200b0495\u200b1163 from the pdf', ['card_number']],
  ['with nbsp 4539\u00a01488\u00a00343\u00a06467', ['card_number']],
  ['my cvv: 318', ['security_code']],
  ['the 3 digits on the back are 265', ['security_code']],
  ['mi código de seguridad es 771', ['security_code']],
  ['ssn 912-70-4831', ['ssn']],
  ['itin 912.70.4831', ['ssn']],
  ['my social is 912704831', ['ssn']],
  ['número de seguro social 987 65 4320', ['ssn']],
  ['the one-time code is 583920', ['one_time_code']],
  ['el código 447291', ['one_time_code']],
  ['my password is Zebra!Kite-42', ['password']],
  ['contraseña: Nube#Roja77', ['password']],
  // Left alone: phone, amount, date, ZIP, last 4, case number, order id.
  ['call me at (212) 555-0142 about $1,234.56 on 2026-11-25, ZIP 10001-2345', []],
  ['the card ending in 1005, case 20261125-0042, order 1234567890123', []],
];

const AGENT_PHASE_CM: Array<[string, RedactedType[]]> = [
  ['sorry, again: 5283 7194 0065 2139 cvv 604', ['card_number', 'security_code']],
  ['and the code they texted: 90817', ['one_time_code']],
];
const AGENT_MESSAGES: Array<[string, RedactedType[]]> = [
  ['Is this your card 4539-1488-0343-6467?', ['card_number']],
  ['Your temporary password is Qv8#Lm2x', ['password']],
];

/** Raw values that must appear nowhere, as typed and in the other usual spellings. */
function secretSpellings(): string[] {
  const spell = (d: string, sizes: number[]) =>
    [' ', '-', '.', '  ', '\u00a0', '\u200b', ''].map((sep) => {
      let i = 0;
      return sizes.map((n) => d.slice(i, (i += n))).join(sep);
    });
  return [
    ...spell(CARDS.visa, [4, 4, 4, 4]),
    ...spell(CARDS.amex, [4, 6, 5]),
    ...spell(CARDS.mc2, [4, 4, 4, 4]),
    ...spell(CARDS.visa19, [4, 4, 4, 4, 3]),
    ...spell(CARDS.discover, [4, 4, 4, 4]),
    ...spell(CARDS.mc, [4, 4, 4, 4]),
    '912-70-4831',
    '912.70.4831',
    '912704831',
    '987 65 4320',
    '583920',
    '447291',
    '90817',
    'Zebra!Kite',
    'Nube#Roja',
    'Qv8#Lm2x',
  ];
}

/** Short values (CVVs) are only meaningful next to their context; scan for those neighbourhoods. */
const SECURITY_CODE_NEIGHBOURHOODS = [/cvv:?\s*318/i, /back are 265/, /seguridad es 771/, /09\/28 552/, /cvv 604/];

/** Every card number without its last 4: no text may hold these digits, whatever separates them. */
const CARD_HEADS = Object.values(CARDS).map((d) => d.slice(0, -4));
const digitsJoined = (text: string) => text.replace(/[\s.\u00a0\u200b\u2010-\u2015-]/g, '');

describe.skipIf(skip)('redaction at the edge, end to end', () => {
  let s: TestServer;
  const assistant = new SpyNlu();
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
    s = await startServer({ logger: createLogger('trace', sink), nlu: assistant });
  });
  afterAll(async () => s?.close());

  it('stores, acks, broadcasts, logs and hands the assistant only redacted text', async () => {
    const session = await widgetSession(s);
    const convId = session.conversation.id;
    const cm = await TestSocket.open(s, { sessionToken: session.sessionToken });
    const tab2 = await TestSocket.open(s, { sessionToken: session.sessionToken }); // another subscriber
    cm.ws.on('message', (d) => record('ws cardmember (sender)', String(d)));
    tab2.ws.on('message', (d) => record('ws cardmember (second tab)', String(d)));
    await cm.handshake(convId, 0);
    await tab2.handshake(convId, 0);

    const send = async (sock: TestSocket, body: string): Promise<AckFrame> => {
      const clientMsgId = randomUUID();
      const ack = sock.next('ack', (f) => f.clientMsgId === clientMsgId);
      sock.send({ type: 'send', conversationId: convId, clientMsgId, body });
      return ack;
    };
    const expectAck = (ack: AckFrame, kinds: RedactedType[], body: string) => {
      expect(ack.redacted ?? [], body).toEqual(kinds);
      if (kinds.length === 0) expect(ack.body).toBe(body);
    };

    // --- While the assistant has the chat: every message goes to it too.
    for (const [body, kinds] of BOT_PHASE) {
      // Waiting from before the send: the second tab may get the message before the sender's ack.
      const echoed = tab2.next(
        'message',
        (f) => f.message.author.role === 'cardmember' && f.message.conversationId === convId,
      );
      expectAck(await send(cm, body), kinds, body);
      await echoed;
    }
    await s.app.services.conversations.idle();
    expect(assistant.seen.length).toBe(BOT_PHASE.length);

    // --- An agent takes the chat; both sides type sensitive values.
    // (The assistant may already have handed over after messages it could not understand.)
    await send(cm, 'I need a live agent');
    await s.app.services.conversations.idle();
    expect((await s.app.services.conversations.viewById(convId))?.status).toBe('queued');
    const agent = await staffLogin(s);
    const ag = await TestSocket.open(s, { cookie: agent.cookie });
    ag.ws.on('message', (d) => record('ws agent', String(d)));
    await ag.handshake();
    const accepted = await agent.call('POST', `/api/conversations/${convId}/accept`);
    expect(accepted.status).toBe(200);
    record('accept response', JSON.stringify(accepted.json));
    await ag.handshake(convId, 0); // replays the whole history to the agent
    for (const [body, kinds] of AGENT_PHASE_CM) {
      const delivered = ag.next('message', (f) => f.message.author.role === 'cardmember' && f.message.seq > 0);
      expectAck(await send(cm, body), kinds, body);
      await delivered;
    }
    for (const [body, kinds] of AGENT_MESSAGES) {
      const delivered = cm.next('message', (f) => f.message.author.role === 'agent');
      expectAck(await send(ag, body), kinds, body);
      await delivered;
    }
    // A retried send (same clientMsgId) still tells the sender what was removed the first time.
    const retryId = randomUUID();
    const first = cm.next('ack', (f) => f.clientMsgId === retryId);
    cm.send({ type: 'send', conversationId: convId, clientMsgId: retryId, body: 'otp 660217' });
    expect((await first).redacted).toEqual(['one_time_code']);
    const again = cm.next('ack', (f) => f.clientMsgId === retryId);
    cm.send({ type: 'send', conversationId: convId, clientMsgId: retryId, body: 'otp 660217' });
    expect(await again).toMatchObject({ duplicate: true, redacted: ['one_time_code'] });
    await s.app.services.conversations.idle();

    // --- What the HTTP side serves back.
    for (const p of [`/api/conversations/${convId}`, `/api/conversations/${convId}/transcript`]) {
      const r = await agent.call('GET', p);
      expect(r.status).toBe(200);
      record(`GET ${p}`, typeof r.json === 'string' ? r.json : JSON.stringify(r.json));
    }
    for (const p of [
      `/api/widget/conversations/${convId}/messages?after=0`,
      `/api/widget/conversations/${convId}/transcript`,
    ]) {
      const r = await fetch(s.url + p, { headers: { authorization: `Bearer ${session.sessionToken}` } });
      expect(r.status).toBe(200);
      record(`GET ${p}`, await r.text());
    }
    cm.terminate();
    tab2.terminate();
    ag.terminate();

    // --- What was written down: every table, the logs, the assistant's inputs.
    const db = s.app.store.db;
    const tables =
      s.app.store.kind === 'sqlite'
        ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db)).rows.map(
            (r) => r.name,
          )
        : (
            await sql<{ name: string }>`select table_name as name from information_schema.tables
              where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db)
          ).rows.map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['messages', 'events', 'conversations']));
    for (const t of tables) {
      const rows = (await sql<Record<string, unknown>>`select * from ${sql.id(t)}`.execute(db)).rows;
      record(`table ${t}`, JSON.stringify(rows));
    }
    record('logs', logs.join('\n'));
    record('assistant inputs', JSON.stringify(assistant.seen));
    if (s.app.store.kind === 'sqlite') {
      const file = (s.app.config.database as { file: string }).file;
      const read = (f: string) => {
        try {
          return readFileSync(f);
        } catch {
          return Buffer.alloc(0);
        }
      };
      const bytes = Buffer.concat([read(file), read(`${file}-wal`)]);
      expect(bytes.length).toBeGreaterThan(0);
      record('sqlite file + wal (latin1)', bytes.toString('latin1'));
      record('sqlite file + wal (utf8)', bytes.toString('utf8'));
    }

    // --- The scan.
    expect(logs.length).toBeGreaterThan(0);
    const leaks: string[] = [];
    for (const { where, text } of seen) {
      for (const secret of secretSpellings())
        if (text.includes(secret)) leaks.push(`${where}: ${JSON.stringify(secret)}`);
      for (const re of SECURITY_CODE_NEIGHBOURHOODS) if (re.test(text)) leaks.push(`${where}: ${re}`);
      const joined = digitsJoined(text);
      for (const head of CARD_HEADS)
        if (joined.includes(head)) leaks.push(`${where}: card digits ${head.slice(0, 4)}…`);
    }
    expect(leaks).toEqual([]);

    // The placeholders are where the values were: stored, broadcast and given to the assistant.
    const messagesTable = seen.find((x) => x.where === 'table messages')!.text;
    for (const placeholder of [
      '•••• 6467',
      '•••• 7717',
      '•••• 5025',
      '•••• 5834',
      '•••• 1163',
      '•••• 2139',
      '[removed]',
      '[SSN removed]',
      '[code removed]',
      '[password removed]',
    ])
      expect(messagesTable, placeholder).toContain(placeholder);
    // Left-alone values survive intact.
    for (const kept of [
      '(212) 555-0142',
      '$1,234.56',
      '2026-11-25',
      '10001-2345',
      'ending in 1005',
      '20261125-0042',
      '1234567890123',
    ])
      expect(messagesTable, kept).toContain(kept);
    // The receipt: type and output position, never the value.
    const rows = await db
      .selectFrom('messages')
      .select(['body', 'meta'])
      .where('conversation_id', '=', convId)
      .execute();
    const withReceipt = rows.filter((r) => r.meta.includes('redactions'));
    expect(withReceipt.length).toBe(
      [...BOT_PHASE, ...AGENT_PHASE_CM, ...AGENT_MESSAGES].filter(([, k]) => k.length).length + 1,
    );
    for (const r of withReceipt) {
      const receipt = (JSON.parse(r.meta) as { redactions: Array<Record<string, unknown>> }).redactions;
      for (const f of receipt) {
        expect(Object.keys(f).sort()).toEqual(['end', 'start', 'type']);
        expect(r.body.slice(f.start as number, f.end as number)).toMatch(/^(•••• \d{4}|\[[A-Za-z ]*removed\])$/);
      }
    }
    const assistantText = assistant.seen.map((c) => c.text).join('\n');
    expect(assistantText).toContain('my card is •••• 6467 and it was declined');
    expect(assistantText).toContain('my password is [password removed]');
  });
});
