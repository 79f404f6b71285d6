/**
 * Secure messages: the cardmember's inbox on the issuer's site (case notices, chat summaries).
 *
 * - `send` is idempotent on `dedupeKey` (a unique index): the same notice is never stored twice, even
 *   when two nodes or a retry race; the second call returns the first message.
 * - Pass `tx` to send inside the caller's transaction (a case's status change); the bus event then goes
 *   out when the caller calls `publishCreated` after commit. Without `tx` it is published here.
 * - Reads are scoped to the cardmember: another cardmember's message id is simply not found.
 */
import { randomUUID } from 'node:crypto';
import type { CaseView, Language, SecureMessageView } from '@carechat/protocol';
import type { Transaction } from 'kysely';
import type { Bus } from '../bus/bus.js';
import { channels } from '../bus/events.js';
import type { Redactor } from '../redaction/redactor.js';
import { iso, type Clock } from '../shared/clock.js';
import type { Db } from '../store/db.js';
import type { Database, SecureMessagesTable } from '../store/schema.js';
import type { CasesService } from './cases.service.js';

type Tx = Transaction<Database>;

export interface SendSecureMessage {
  cardmemberId: string;
  caseId?: string | null;
  conversationId?: string | null;
  kind: SecureMessageView['kind'];
  language: Language;
  subject: string;
  body: string;
  dedupeKey?: string | null;
}

export interface SecureMessagesDeps {
  db: Db;
  bus: Bus;
  clock: Clock;
  redactor: Redactor;
}

export class SecureMessagesService {
  constructor(private readonly d: SecureMessagesDeps) {}

  /**
   * Stores a message (redacted) and, without `tx`, publishes `secure_message.created` after commit.
   * Returns the stored row and whether this call created it (false: the dedupe key was already used).
   */
  async send(input: SendSecureMessage, tx?: Tx): Promise<{ message: SecureMessagesTable; created: boolean }> {
    const row: SecureMessagesTable = {
      id: randomUUID(),
      cardmember_id: input.cardmemberId,
      case_id: input.caseId ?? null,
      conversation_id: input.conversationId ?? null,
      kind: input.kind,
      language: input.language,
      subject: this.d.redactor.redact(input.subject).text,
      body: this.d.redactor.redact(input.body).text,
      dedupe_key: input.dedupeKey ?? null,
      created_at: iso(this.d.clock.now()),
      read_at: null,
    };
    const db = tx ?? this.d.db;
    // `on conflict do nothing`: on PostgreSQL a failed insert would abort the caller's transaction.
    const res = await db
      .insertInto('secure_messages')
      .values(row)
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (Number(res.numInsertedOrUpdatedRows ?? 0) === 1) {
      if (!tx) await this.publishCreated(row);
      return { message: row, created: true };
    }
    const existing = input.dedupeKey
      ? await db.selectFrom('secure_messages').selectAll().where('dedupe_key', '=', input.dedupeKey).executeTakeFirst()
      : undefined;
    if (!existing) throw new Error('secure message insert failed');
    return { message: existing, created: false };
  }

  /** After commit: the cardmember's open pages and widget hear about the new message. */
  async publishCreated(row: Pick<SecureMessagesTable, 'id' | 'cardmember_id'>): Promise<void> {
    await this.d.bus.publish(channels.cardmember(row.cardmember_id), {
      name: 'secure_message.created',
      payload: { cardmemberId: row.cardmember_id, messageId: row.id },
    });
  }

  /** The cardmember's inbox, newest first. */
  async list(cardmemberId: string): Promise<SecureMessageView[]> {
    const rows = await this.d.db
      .selectFrom('secure_messages as m')
      .leftJoin('cases as c', 'c.id', 'm.case_id')
      .selectAll('m')
      .select('c.reference as case_reference')
      .where('m.cardmember_id', '=', cardmemberId)
      .orderBy('m.created_at', 'desc')
      .orderBy('m.id', 'desc')
      .execute();
    return rows.map(present);
  }

  /** One message of this cardmember; another cardmember's id is not found (undefined). */
  async get(cardmemberId: string, id: string): Promise<SecureMessageView | undefined> {
    const row = await this.d.db
      .selectFrom('secure_messages as m')
      .leftJoin('cases as c', 'c.id', 'm.case_id')
      .selectAll('m')
      .select('c.reference as case_reference')
      .where('m.cardmember_id', '=', cardmemberId)
      .where('m.id', '=', id)
      .executeTakeFirst();
    return row ? present(row) : undefined;
  }

  /** Marks a message read (the first reading counts); false when it is not this cardmember's. */
  async markRead(cardmemberId: string, id: string): Promise<boolean> {
    await this.d.db
      .updateTable('secure_messages')
      .set({ read_at: iso(this.d.clock.now()) })
      .where('cardmember_id', '=', cardmemberId)
      .where('id', '=', id)
      .where('read_at', 'is', null)
      .execute();
    return (await this.get(cardmemberId, id)) !== undefined;
  }

  async unreadCount(cardmemberId: string): Promise<number> {
    const row = await this.d.db
      .selectFrom('secure_messages')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('cardmember_id', '=', cardmemberId)
      .where('read_at', 'is', null)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}

function present(r: SecureMessagesTable & { case_reference: string | null }): SecureMessageView {
  return {
    id: r.id,
    kind: r.kind,
    caseId: r.case_id,
    caseReference: r.case_reference,
    conversationId: r.conversation_id,
    language: r.language,
    subject: r.subject,
    body: r.body,
    createdAt: r.created_at,
    readAt: r.read_at,
  };
}

/** What the demo site's inbox and case pages read, for the signed-in cardmember only. */
export function siteInbox(d: { messages: SecureMessagesService; cases: CasesService }) {
  return {
    unreadCount: (cardmemberId: string) => d.messages.unreadCount(cardmemberId),
    messages: (cardmemberId: string) => d.messages.list(cardmemberId),
    /** Marks the message read; null when it is not this cardmember's. */
    async openMessage(cardmemberId: string, id: string): Promise<SecureMessageView | null> {
      if (!(await d.messages.markRead(cardmemberId, id))) return null;
      return (await d.messages.get(cardmemberId, id)) ?? null;
    },
    async cases(cardmemberId: string): Promise<CaseView[]> {
      const rows = await d.cases.listForCardmember(cardmemberId);
      return Promise.all(rows.map((r) => d.cases.view(r, 'cardmember')));
    },
    /** The cardmember's case by its reference; null when unknown or another cardmember's. */
    async caseByReference(cardmemberId: string, reference: string): Promise<CaseView | null> {
      const row = await d.cases.byReference(reference.toUpperCase());
      return row && row.cardmember_id === cardmemberId ? d.cases.view(row, 'cardmember') : null;
    },
  };
}
