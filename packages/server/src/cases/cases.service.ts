/**
 * Cases: the record of every handled matter, with a reference the cardmember can quote.
 *
 * - A case has a type, an owner team, a status whose every change is a `case_events` row (the
 *   timeline; rows marked visible are what the cardmember sees), and links to the conversations,
 *   account actions and dispute behind it.
 * - References are `PRE-XXXXXXXX` (shared/references.ts), unique across nodes by a unique index; a
 *   dispute's case takes the dispute's own `DSP-` reference, so the cardmember has one number.
 * - Conversations get their own `CHT-` reference the first time a person handles them or an account
 *   changes in them (`conversationReference`), set by a conditional update so two nodes agree.
 * - Events go on the bus after the transaction commits.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { CaseEventView, CaseStatus, CaseType, CaseView, Language } from '@carechat/protocol';
import type { Transaction } from 'kysely';
import type { Bus } from '../bus/bus.js';
import { channels } from '../bus/events.js';
import type { Redactor } from '../redaction/redactor.js';
import { iso, type Clock } from '../shared/clock.js';
import { AppError, conflict } from '../shared/errors.js';
import { reference, REFERENCE_RANDOM_BYTES } from '../shared/references.js';
import type { Db } from '../store/db.js';
import type { CaseEventsTable, CasesTable, Database } from '../store/schema.js';
import { presentUpload } from './uploads.service.js';

type Tx = Transaction<Database>;
type Executor = Db | Tx;

/** Who acts on a case (the timeline names them). */
export interface CaseActor {
  type: 'cardmember' | 'agent' | 'assistant' | 'system';
  id: string | null;
  name: string | null;
}

export const CASE_PREFIX: Record<CaseType, string> = {
  dispute: 'DSP',
  complaint: 'CMP',
  replacement: 'RPL',
  goodwill: 'GWL',
  credit_limit: 'CLR',
  travel: 'TRV',
  general: 'GEN',
};
export const CONVERSATION_PREFIX = 'CHT';
/** Every prefix a cardmember may quote (the assistant reads any of them in a message). */
export const REFERENCE_PREFIXES = [...Object.values(CASE_PREFIX), CONVERSATION_PREFIX] as const;

/** The team that owns a new case of each type, unless the caller names one. */
export const DEFAULT_OWNER: Record<CaseType, string> = {
  dispute: 'disputes',
  complaint: 'general',
  replacement: 'general',
  goodwill: 'general',
  credit_limit: 'credit',
  travel: 'travel',
  general: 'general',
};

/** Allowed status changes; `closed` is final. */
const NEXT: Record<CaseStatus, readonly CaseStatus[]> = {
  open: ['acknowledged', 'in_progress', 'awaiting_customer', 'resolved'],
  acknowledged: ['in_progress', 'awaiting_customer', 'resolved'],
  in_progress: ['awaiting_customer', 'resolved'],
  awaiting_customer: ['in_progress', 'resolved'],
  resolved: ['closed', 'in_progress'],
  closed: [],
};

export const OPEN_STATUSES: readonly CaseStatus[] = ['open', 'acknowledged', 'in_progress', 'awaiting_customer'];

/**
 * Runs inside a status change's transaction. `notify: false` is staff asking that the cardmember not be
 * written to about this change (a correction, an internal step); timers still follow the status.
 */
export type StatusHook = (
  c: CasesTable,
  from: CaseStatus,
  tx: Tx,
  note: string | null,
  meta: { notify: boolean },
) => Promise<void>;

export interface OpenCaseInput {
  type: CaseType;
  title: string;
  cardmemberId: string;
  cardId?: string | null;
  language: Language;
  ownerTeamId?: string;
  complaintCategory?: string | null;
  /** For a dispute's case: the dispute, whose reference and FCBA dates the case takes. */
  dispute?: { id: string; reference: string; acknowledgeBy: string; resolveBy: string };
  acknowledgeBy?: string | null;
  resolveBy?: string | null;
  /** Timeline text (redacted here). */
  note?: string | null;
  /** Shown to the cardmember on their timeline (default true). */
  noteVisible?: boolean;
  conversationId?: string | null;
  /** Audit id of the account action that made this case (links it). */
  actionId?: string | null;
  actor: CaseActor;
}

export interface CasesDeps {
  db: Db;
  bus: Bus;
  clock: Clock;
  redactor: Redactor;
  random?: (n: number) => Uint8Array;
}

const REFERENCE_ATTEMPTS = 8;

export class CasesService {
  private readonly random: (n: number) => Uint8Array;
  /** Called after a case opens (timers, notices); registered by the parts that own them. */
  private readonly openedHooks: Array<(c: CasesTable, tx: Tx) => Promise<void>> = [];
  private readonly changedHooks: StatusHook[] = [];

  constructor(private readonly d: CasesDeps) {
    this.random = d.random ?? ((n) => randomBytes(n));
  }

  /** Runs in the opening transaction of every case (e.g. the deadline timers). */
  onOpened(hook: (c: CasesTable, tx: Tx) => Promise<void>): void {
    this.openedHooks.push(hook);
  }

  /** Runs in the transaction of every status change (e.g. cancelling timers, the cardmember's notice). */
  onStatusChanged(hook: StatusHook): void {
    this.changedHooks.push(hook);
  }

  /**
   * Opens a case. Idempotent for a dispute (one case per dispute: the second call returns the first).
   * Pass `tx` to open it inside the caller's transaction; events then go out when `publish` is called.
   */
  async open(input: OpenCaseInput): Promise<CasesTable> {
    if (input.dispute) {
      const existing = await this.byDispute(input.dispute.id);
      if (existing) return existing;
    }
    const now = iso(this.d.clock.now());
    const created = await this.d.db.transaction().execute(async (tx) => {
      const row = await this.insertWithReference(
        tx,
        {
          id: randomUUID(),
          type: input.type,
          status: 'open',
          title: this.redact(input.title) ?? input.type,
          language: input.language,
          cardmember_id: input.cardmemberId,
          card_id: input.cardId ?? null,
          owner_team_id: input.ownerTeamId ?? DEFAULT_OWNER[input.type],
          complaint_category: input.complaintCategory ?? null,
          dispute_id: input.dispute?.id ?? null,
          acknowledge_by: input.dispute?.acknowledgeBy ?? input.acknowledgeBy ?? null,
          resolve_by: input.dispute?.resolveBy ?? input.resolveBy ?? null,
          acknowledged_at: null,
          resolved_at: null,
          created_at: now,
          updated_at: now,
        },
        input.dispute?.reference,
      );
      if (!row) return null;
      await this.event(tx, row.id, {
        type: 'created',
        actor: input.actor,
        toStatus: 'open',
        text: this.redact(input.note ?? null),
        visible: input.noteVisible ?? true,
        at: now,
      });
      if (input.conversationId) await this.link(tx, row.id, 'conversation', input.conversationId, now);
      if (input.actionId) await this.link(tx, row.id, 'account_action', input.actionId, now);
      if (input.dispute) await this.link(tx, row.id, 'dispute', input.dispute.id, now);
      for (const hook of this.openedHooks) await hook(row, tx);
      return row;
    });
    // A concurrent call for the same dispute won the unique index: return its case.
    if (!created && input.dispute) return (await this.byDispute(input.dispute.id))!;
    if (!created) throw new AppError('unavailable', 503, 'Could not assign a case reference; please try again.');
    await this.publish(created, 'opened');
    return created;
  }

  /** Moves a case to `to`; refuses changes the lifecycle does not allow (409 case_transition). */
  async transition(
    caseId: string,
    to: CaseStatus,
    actor: CaseActor,
    note?: string | null,
    opts: { notify?: boolean } = {},
  ): Promise<CasesTable> {
    const now = iso(this.d.clock.now());
    const text = this.redact(note ?? null);
    const updated = await this.d.db.transaction().execute(async (tx) => {
      const row = await tx.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst();
      if (!row) throw new AppError('not_found', 404, 'That case does not exist.');
      if (row.status === to) return null;
      if (!NEXT[row.status].includes(to))
        throw conflict('conflict', `A ${row.status.replace('_', ' ')} case cannot become ${to.replace('_', ' ')}.`);
      const patch: Partial<CasesTable> = { status: to, updated_at: now };
      if (to === 'acknowledged' && !row.acknowledged_at) patch.acknowledged_at = now;
      if (to === 'resolved') patch.resolved_at = now;
      if (to === 'in_progress' && row.status === 'resolved') patch.resolved_at = null;
      // Conditional on the status read above: a concurrent change makes this one a 409, not a lost update.
      const res = await tx
        .updateTable('cases')
        .set(patch)
        .where('id', '=', caseId)
        .where('status', '=', row.status)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw conflict('conflict', 'The case changed meanwhile; please reload it.');
      // Staff notes on a status change are for the cardmember's timeline too: that is what they are for.
      await this.event(tx, caseId, {
        type: 'status_changed',
        actor,
        fromStatus: row.status,
        toStatus: to,
        text,
        visible: true,
        at: now,
      });
      const next = { ...row, ...patch } as CasesTable;
      for (const hook of this.changedHooks) await hook(next, row.status, tx, text, { notify: opts.notify ?? true });
      return next;
    });
    if (!updated) return (await this.get(caseId))!;
    await this.publish(updated, `status:${to}`);
    return updated;
  }

  /** Adds a timeline entry (a note, a document, a message sent) outside a status change. */
  async note(
    caseId: string,
    e: { type: CaseEventView['type']; actor: CaseActor; text?: string | null; visible: boolean; payload?: object },
    tx?: Tx,
  ): Promise<void> {
    const now = iso(this.d.clock.now());
    const write = (t: Tx) =>
      this.event(t, caseId, {
        type: e.type,
        actor: e.actor,
        text: this.redact(e.text ?? null),
        visible: e.visible,
        at: now,
        payload: e.payload,
      });
    if (tx) await write(tx);
    else await this.d.db.transaction().execute(write);
    if (!tx) {
      const row = await this.get(caseId);
      if (row) await this.publish(row, e.type);
    }
  }

  /** Links a case to a conversation, an account action or a dispute (idempotent). */
  async link(
    tx: Executor,
    caseId: string,
    kind: 'conversation' | 'account_action' | 'dispute',
    targetId: string,
    now?: string,
  ) {
    await tx
      .insertInto('case_links')
      .values({ case_id: caseId, kind, target_id: targetId, created_at: now ?? iso(this.d.clock.now()) })
      .onConflict((oc) => oc.columns(['case_id', 'kind', 'target_id']).doNothing())
      .execute();
  }

  /**
   * The chat's own reference (`CHT-…`), assigned the first time it is asked for: when a person takes
   * the chat, when an account changes in it, or when the cardmember asks. Every node agrees on it.
   */
  async conversationReference(conversationId: string): Promise<string> {
    for (let attempt = 0; attempt < REFERENCE_ATTEMPTS; attempt++) {
      const row = await this.d.db
        .selectFrom('conversations')
        .select('reference')
        .where('id', '=', conversationId)
        .executeTakeFirst();
      if (!row) throw new AppError('conversation_not_found', 404, 'That conversation does not exist.');
      if (row.reference) return row.reference;
      const candidate = reference(CONVERSATION_PREFIX, this.random(REFERENCE_RANDOM_BYTES));
      try {
        await this.d.db
          .updateTable('conversations')
          .set({ reference: candidate })
          .where('id', '=', conversationId)
          .where('reference', 'is', null)
          .execute();
      } catch {
        // Another chat holds this reference (unique index): draw again.
      }
    }
    throw new AppError('unavailable', 503, 'Could not assign a reference; please try again.');
  }

  get(id: string): Promise<CasesTable | undefined> {
    return this.d.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
  }

  byReference(ref: string): Promise<CasesTable | undefined> {
    return this.d.db.selectFrom('cases').selectAll().where('reference', '=', ref).executeTakeFirst();
  }

  byDispute(disputeId: string): Promise<CasesTable | undefined> {
    return this.d.db.selectFrom('cases').selectAll().where('dispute_id', '=', disputeId).executeTakeFirst();
  }

  /** A cardmember's cases, newest first. */
  listForCardmember(cardmemberId: string): Promise<CasesTable[]> {
    return this.d.db
      .selectFrom('cases')
      .selectAll()
      .where('cardmember_id', '=', cardmemberId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
  }

  /** Cases linked to a conversation. */
  listForConversation(conversationId: string): Promise<CasesTable[]> {
    return this.d.db
      .selectFrom('cases as c')
      .innerJoin('case_links as l', 'l.case_id', 'c.id')
      .selectAll('c')
      .where('l.kind', '=', 'conversation')
      .where('l.target_id', '=', conversationId)
      .orderBy('c.created_at')
      .execute();
  }

  /** The case as the cardmember (timeline: visible entries only) or staff (everything, links) see it. */
  async view(row: CasesTable, audience: 'cardmember' | 'staff'): Promise<CaseView> {
    const [events, card, links, uploads] = await Promise.all([
      this.d.db.selectFrom('case_events').selectAll().where('case_id', '=', row.id).orderBy('seq').execute(),
      row.card_id
        ? this.d.db.selectFrom('cards').select('last4').where('id', '=', row.card_id).executeTakeFirst()
        : Promise.resolve(undefined),
      audience === 'staff'
        ? this.d.db.selectFrom('case_links').selectAll().where('case_id', '=', row.id).orderBy('created_at').execute()
        : Promise.resolve([]),
      // Documents the cardmember sent through upload links (cases/uploads.service.ts): staff only.
      audience === 'staff'
        ? this.d.db
            .selectFrom('uploads')
            .selectAll()
            .where('case_id', '=', row.id)
            .orderBy('created_at')
            .orderBy('id')
            .execute()
        : Promise.resolve([]),
    ]);
    const timeline = events.filter((e) => audience === 'staff' || e.visible_to_cardmember === 1).map(presentEvent);
    return {
      id: row.id,
      reference: row.reference,
      type: row.type,
      status: row.status,
      title: row.title,
      language: row.language,
      cardmemberId: row.cardmember_id,
      cardLast4: card?.last4 ?? null,
      ownerTeamId: row.owner_team_id,
      complaintCategory: (row.complaint_category as CaseView['complaintCategory']) ?? null,
      disputeId: row.dispute_id,
      deadlines: {
        acknowledgeBy: row.acknowledge_by,
        resolveBy: row.resolve_by,
        acknowledgedAt: row.acknowledged_at,
        resolvedAt: row.resolved_at,
      },
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      timeline,
      ...(audience === 'staff'
        ? {
            links: links.map((l) => ({ kind: l.kind, id: l.target_id, at: l.created_at })),
            documents: uploads.map(presentUpload),
          }
        : {}),
    };
  }

  /** After commit: staff consoles and the cardmember's open pages hear about it. */
  async publish(c: CasesTable, change: string): Promise<void> {
    const payload = { caseId: c.id, cardmemberId: c.cardmember_id, ownerTeamId: c.owner_team_id, change };
    await this.d.bus.publish(channels.staff, { name: 'case.updated', payload });
    await this.d.bus.publish(channels.cardmember(c.cardmember_id), { name: 'case.updated', payload });
  }

  private redact(text: string | null): string | null {
    if (text === null) return null;
    const t = text.trim();
    return t ? this.d.redactor.redact(t).text : null;
  }

  private async insertWithReference(
    tx: Tx,
    row: Omit<CasesTable, 'reference'>,
    fixed?: string,
  ): Promise<CasesTable | null> {
    for (let attempt = 0; attempt < (fixed ? 1 : REFERENCE_ATTEMPTS); attempt++) {
      const withRef = {
        ...row,
        reference: fixed ?? reference(CASE_PREFIX[row.type], this.random(REFERENCE_RANDOM_BYTES)),
      };
      // `on conflict do nothing`, not a caught error: on PostgreSQL a failed statement aborts the transaction.
      const r = await tx
        .insertInto('cases')
        .values(withRef)
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0) === 1) return withRef;
    }
    return null;
  }

  private async event(
    tx: Tx,
    caseId: string,
    e: {
      type: CaseEventView['type'];
      actor: CaseActor;
      fromStatus?: CaseStatus | null;
      toStatus?: CaseStatus | null;
      text?: string | null;
      visible: boolean;
      at: string;
      payload?: object;
    },
  ): Promise<void> {
    // Touch the case row first: on PostgreSQL that locks it, so concurrent entries of one case queue up
    // and each takes the next seq (SQLite runs one writer at a time anyway).
    await tx.updateTable('cases').set({ updated_at: e.at }).where('id', '=', caseId).execute();
    const last = await tx
      .selectFrom('case_events')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('case_id', '=', caseId)
      .executeTakeFirst();
    await tx
      .insertInto('case_events')
      .values({
        id: randomUUID(),
        case_id: caseId,
        seq: Number(last?.seq ?? 0) + 1,
        type: e.type,
        actor_type: e.actor.type,
        actor_id: e.actor.id,
        actor_name: e.actor.name,
        from_status: e.fromStatus ?? null,
        to_status: e.toStatus ?? null,
        text: e.text ?? null,
        payload: JSON.stringify(e.payload ?? {}),
        visible_to_cardmember: e.visible ? 1 : 0,
        created_at: e.at,
      })
      .execute();
  }
}

function presentEvent(e: CaseEventsTable): CaseEventView {
  return {
    id: e.id,
    type: e.type as CaseEventView['type'],
    at: e.created_at,
    actor: { type: e.actor_type, id: e.actor_type === 'cardmember' ? null : e.actor_id, name: e.actor_name },
    fromStatus: (e.from_status as CaseStatus | null) ?? null,
    toStatus: (e.to_status as CaseStatus | null) ?? null,
    text: e.text,
    visibleToCardmember: e.visible_to_cardmember === 1,
  };
}
