/**
 * Scripted conversations with the real assistant: a real app (store with the demo personas, accounts
 * core, actions service, NLU engine, flows), driven through the conversation service exactly as the
 * widget's messages are (redaction, persist, assistant turn), without sockets. Used by the
 * conversation tests of every flow (`src/assistant/flows/*.conv.test.ts`).
 *
 *   const h = await chatHarness();
 *   const chat = await h.open('sam');
 *   const turn = await chat.say('I was charged a late fee');
 *   expect(turn.text).toMatch(/courtesy/);
 *   await chat.say(turn.quickReplies[0]);   // click a quick reply
 */
import { randomUUID } from 'node:crypto';
import type { Language } from '@carechat/protocol';
import { createApp, type App, type AppOverrides } from '../src/app.js';
import type { Caller, CardSummary } from '../src/accounts/accounts.port.js';
import { MutableClock } from '../src/accounts/testing/clock.js';
import { ConversationsStore, type ConversationRow } from '../src/conversations/conversations.store.js';
import type { Actor } from '../src/security/access.js';
import type { MessagesTable } from '../src/store/schema.js';
import { freshDatabase, testConfig } from './helpers.js';

/** Demo personas (src/seed/personas.ts) and the card their chats open from by default. */
export const PERSONAS = {
  maria: { cardmemberId: 'cm_maria', cardId: 'card_maria_gold' },
  jose: { cardmemberId: 'cm_jose', cardId: 'card_jose_green' },
  sam: { cardmemberId: 'cm_sam', cardId: 'card_sam_blue' },
  priya: { cardmemberId: 'cm_priya', cardId: 'card_priya_gold' },
  dana: { cardmemberId: 'cm_dana', cardId: 'card_dana_biz' },
  leo: { cardmemberId: 'cm_leo', cardId: 'card_leo_plat' },
  grace: { cardmemberId: 'cm_grace', cardId: 'card_grace_gold' },
  noah: { cardmemberId: 'cm_noah', cardId: 'card_noah_green' },
  ellen: { cardmemberId: 'cm_ellen', cardId: 'card_ellen_gold' },
  omar: { cardmemberId: 'cm_omar', cardId: 'card_omar_blue' },
} as const;
export type PersonaName = keyof typeof PERSONAS;

export interface BotTurn {
  /** The assistant's replies to this message, in order. */
  replies: string[];
  /** All replies joined by a newline: handy for `toMatch`. */
  text: string;
  /** Quick replies of the last assistant reply. */
  quickReplies: string[];
  /** System notices posted in this turn (e.g. `conversation.queued`). */
  system: string[];
}

export interface Chat {
  conversationId: string;
  cardmemberId: string;
  cardId: string;
  /** The greeting turn. */
  greeting: BotTurn;
  /** Sends a message as the cardmember and returns the assistant's answer. */
  say(text: string): Promise<BotTurn>;
  /** The conversation as stored now (status, team_id, priority, language, ...). */
  row(): Promise<ConversationRow>;
  /** Marks the chat step-up verified (as if the cardmember approved a device prompt). */
  verify(): Promise<void>;
  /** The assistant's caller for this chat, to read account state through the port in assertions. */
  caller: Caller;
  /** Payload of the newest stored event of that type for this chat. */
  lastEvent(type: string): Promise<Record<string, unknown> | null>;
  /** How many events of that type this chat has stored (e.g. `conversation.queued`: queued only once?). */
  eventCount(type: string): Promise<number>;
  /** The cardmember's card ending in `last4`, as the accounts core has it now. */
  card(last4: string): Promise<CardSummary>;
  /**
   * Keeps the assistant's stored dialogue state as it is now; calling the result puts it back, as for a
   * retried turn whose state was never saved (a crash after the account action, a redelivered message).
   * The same message said again then must not repeat the action.
   */
  rewindPoint(): Promise<() => Promise<void>>;
}

export interface ChatHarness {
  app: App;
  clock: MutableClock;
  open(persona: PersonaName, o?: { language?: Language; cardId?: string }): Promise<Chat>;
  /** How many times an account operation really ran on a target: refusals and idempotent replays do not count. */
  performed(operation: string, targetId: string): Promise<number>;
  close(): Promise<void>;
}

export async function chatHarness(overrides: AppOverrides & { today?: string } = {}): Promise<ChatHarness> {
  const db = await freshDatabase();
  const clock = new MutableClock(overrides.today ?? '2026-11-25');
  const config = testConfig(db);
  const app = await createApp(config, { clock, ...overrides });
  const conversations = app.services.conversations;

  const toTurn = (rows: MessagesTable[]): BotTurn => {
    const bot = rows.filter((m) => m.author_type === 'assistant');
    const meta = (m: MessagesTable) =>
      (typeof m.meta === 'string' ? JSON.parse(m.meta) : (m.meta ?? {})) as Record<string, unknown>;
    const last = bot.at(-1);
    return {
      replies: bot.map((m) => m.body),
      text: bot.map((m) => m.body).join('\n'),
      quickReplies: last ? ((meta(last).quickReplies as string[] | undefined) ?? []) : [],
      system: rows.filter((m) => m.kind === 'system').map((m) => m.body),
    };
  };

  return {
    app,
    clock,
    async open(persona, o = {}) {
      const p = PERSONAS[persona];
      const cardId = o.cardId ?? p.cardId;
      // A persona's earlier chat on this card is ended first: each test starts from a greeting.
      const existing = await app.store.db
        .selectFrom('conversations')
        .select('id')
        .where('card_id', '=', cardId)
        .where('status', '!=', 'closed')
        .execute();
      for (const c of existing) {
        await app.store.db
          .updateTable('conversations')
          .set({ status: 'closed', closed_at: clock.now().toISOString(), closed_by: 'system' })
          .where('id', '=', c.id)
          .execute();
      }
      const language = o.language ?? (await conversationsStore(app).cardmemberLanguage(p.cardmemberId)) ?? 'en';
      const row = await conversations.openForCard({ cardmemberId: p.cardmemberId, cardId, language });
      await conversations.idle();
      const actor: Actor = {
        role: 'cardmember',
        cardmemberId: p.cardmemberId,
        cardId,
        sessionHash: 'test',
        firstName: row.cm_first_name,
        language,
      };
      let seq = 0;
      const newMessages = async () => {
        const rows = await app.store.db
          .selectFrom('messages')
          .selectAll()
          .where('conversation_id', '=', row.id)
          .where('seq', '>', seq)
          .orderBy('seq')
          .execute();
        if (rows.length) seq = Number(rows.at(-1)!.seq);
        return rows;
      };
      const greeting = toTurn(await newMessages());
      const eventsOf = (type: string) =>
        app.store.db.selectFrom('events').where('conversation_id', '=', row.id).where('type', '=', type);
      const caller: Caller = {
        actorType: 'assistant',
        actorId: null,
        onBehalfOf: p.cardmemberId,
        conversationId: row.id,
      };
      return {
        conversationId: row.id,
        cardmemberId: p.cardmemberId,
        cardId,
        greeting,
        caller,
        async say(text) {
          await conversations.send(actor, { conversationId: row.id, clientMsgId: randomUUID(), body: text });
          await conversations.idle();
          return toTurn(await newMessages());
        },
        async row() {
          return (await conversationsStore(app).get(row.id))!;
        },
        async verify() {
          const now = clock.now();
          await app.store.db
            .updateTable('conversations')
            .set({
              assurance_level: 'verified',
              assurance_method: 'challenge',
              assurance_expires_at: new Date(now.getTime() + 15 * 60_000).toISOString(),
            })
            .where('id', '=', row.id)
            .execute();
        },
        async lastEvent(type) {
          const e = await eventsOf(type).select('payload').orderBy('id', 'desc').executeTakeFirst();
          if (!e) return null;
          return (typeof e.payload === 'string' ? JSON.parse(e.payload) : e.payload) as Record<string, unknown>;
        },
        async eventCount(type) {
          return (await eventsOf(type).select('id').execute()).length;
        },
        async card(last4) {
          const card = (await app.services.accounts.listCards(caller)).find((c) => c.last4 === last4);
          if (!card) throw new Error(`${persona} has no card ending in ${last4}`);
          return card;
        },
        async rewindPoint() {
          const { state } = await app.store.db
            .selectFrom('assistant_states')
            .select('state')
            .where('conversation_id', '=', row.id)
            .executeTakeFirstOrThrow();
          return async () => {
            await app.store.db
              .updateTable('assistant_states')
              .set({ state })
              .where('conversation_id', '=', row.id)
              .execute();
          };
        },
      };
    },
    async performed(operation, targetId) {
      const rows = await app.store.db
        .selectFrom('audit_log')
        .select('id')
        .where('operation', '=', operation)
        .where('target_id', '=', targetId)
        .where('outcome', '=', 'ok')
        .execute();
      return rows.length;
    },
    async close() {
      await app.close();
      await db.drop();
    },
  };
}

const conversationsStore = (app: App) => new ConversationsStore(app.store.db);
