/**
 * Case deadline timers (docs/disputes.md#timers): the FCBA clocks of a case as stored rows.
 *
 * - When a case with deadlines opens, four `case_timers` rows are written in its transaction:
 *   `acknowledge_warning` (5 days before acknowledge-by), `acknowledge_breach` (the end of the
 *   acknowledge-by day), `resolve_warning` (10 days before resolve-by) and `resolve_breach` (the end
 *   of the resolve-by day). Deadlines are dates; days end at midnight UTC (the issuer's time zone).
 * - Every node runs the sweeper. A due timer is taken by a conditional update (`fired_at` still null,
 *   not cancelled), so however many nodes sweep at once each timer fires exactly once; the firing
 *   writes a staff-only `sla_warning` / `sla_breached` event in the same transaction and publishes
 *   `case.updated` after commit, then `case.deadline` (the WS gateway tells the owning team's consoles).
 * - Acknowledging a case cancels its acknowledge timers; resolving or closing cancels them all;
 *   reopening a resolved case re-arms the unfired ones it still needs.
 */
import { randomUUID } from 'node:crypto';
import type { CaseStatus } from '@carechat/protocol';
import type { Transaction } from 'kysely';
import { addDays } from '../accounts/rules/dates.js';
import type { Bus } from '../bus/bus.js';
import { channels } from '../bus/events.js';
import { iso, type Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { Db } from '../store/db.js';
import type { CasesTable, CaseTimersTable, Database } from '../store/schema.js';
import type { CaseActor, CasesService } from './cases.service.js';

type Tx = Transaction<Database>;
export type TimerKind = CaseTimersTable['kind'];

/** Days before the deadline at which staff are warned. */
export const ACKNOWLEDGE_WARNING_DAYS = 5;
export const RESOLVE_WARNING_DAYS = 10;
/** Timers taken per sweep pass; a backlog drains over the following passes. */
const SWEEP_BATCH = 100;

const SYSTEM: CaseActor = { type: 'system', id: null, name: 'SLA clock' };
const ACK_KINDS: readonly TimerKind[] = ['acknowledge_warning', 'acknowledge_breach'];
const RESOLVE_KINDS: readonly TimerKind[] = ['resolve_warning', 'resolve_breach'];

/** The start (00:00 UTC) of a YYYY-MM-DD day, as a stored timestamp. */
const startOf = (day: string): string => `${day}T00:00:00.000Z`;
/** The end of a day: the first instant of the next one (a deadline day is all the deadline's). */
export const endOf = (day: string): string => startOf(addDays(day, 1));

/** The timers of a case's deadlines (none for a case without them). */
export function timersFor(
  c: Pick<CasesTable, 'acknowledge_by' | 'resolve_by'>,
): Array<{ kind: TimerKind; dueAt: string }> {
  const out: Array<{ kind: TimerKind; dueAt: string }> = [];
  if (c.acknowledge_by) {
    out.push({ kind: 'acknowledge_warning', dueAt: startOf(addDays(c.acknowledge_by, -ACKNOWLEDGE_WARNING_DAYS)) });
    out.push({ kind: 'acknowledge_breach', dueAt: endOf(c.acknowledge_by) });
  }
  if (c.resolve_by) {
    out.push({ kind: 'resolve_warning', dueAt: startOf(addDays(c.resolve_by, -RESOLVE_WARNING_DAYS)) });
    out.push({ kind: 'resolve_breach', dueAt: endOf(c.resolve_by) });
  }
  return out;
}

export interface CaseTimersDeps {
  db: Db;
  /** Where `case.deadline` goes (the owning team's consoles); without it only `case.updated` is published. */
  bus?: Bus;
  cases: CasesService;
  clock: Clock;
  logger: Logger;
  sweepMs: number;
}

export class CaseTimers {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly d: CaseTimersDeps) {
    d.cases.onOpened((c, tx) => this.schedule(c, tx));
    d.cases.onStatusChanged((c, from, tx) => this.statusChanged(c, from, tx));
  }

  /** Starts the periodic sweep (every node runs one; the store keeps each firing exactly-once). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.kick(), this.d.sweepMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Runs a sweep unless one is already running in this node. */
  kick(): void {
    if (this.running) return;
    this.running = this.sweep()
      .then(() => undefined)
      .catch((err: unknown) => this.d.logger.error({ err }, 'case timer sweep failed'))
      .finally(() => {
        this.running = null;
      });
  }

  /** Writes the timers of a newly opened case (inside its opening transaction). */
  async schedule(c: CasesTable, tx: Tx): Promise<void> {
    const rows = timersFor(c).map((t) => ({
      id: randomUUID(),
      case_id: c.id,
      kind: t.kind,
      due_at: t.dueAt,
      fired_at: null,
      cancelled_at: null,
    }));
    if (rows.length) await tx.insertInto('case_timers').values(rows).execute();
  }

  private async statusChanged(c: CasesTable, from: CaseStatus, tx: Tx): Promise<void> {
    const now = iso(this.d.clock.now());
    const cancel = (kinds: readonly TimerKind[]) =>
      tx
        .updateTable('case_timers')
        .set({ cancelled_at: now })
        .where('case_id', '=', c.id)
        .where('kind', 'in', kinds)
        .where('fired_at', 'is', null)
        .where('cancelled_at', 'is', null)
        .execute();
    if (c.status === 'resolved' || c.status === 'closed') {
      await cancel([...ACK_KINDS, ...RESOLVE_KINDS]);
      return;
    }
    if (c.acknowledged_at) await cancel(ACK_KINDS);
    if (from === 'resolved') {
      // Reopened: the clocks it still owes run again (those already fired stay fired).
      const kinds = c.acknowledged_at ? RESOLVE_KINDS : [...ACK_KINDS, ...RESOLVE_KINDS];
      await tx
        .updateTable('case_timers')
        .set({ cancelled_at: null })
        .where('case_id', '=', c.id)
        .where('kind', 'in', kinds)
        .where('fired_at', 'is', null)
        .execute();
    }
  }

  /** One pass: fires every due timer this node manages to take. Returns how many it fired. */
  async sweep(): Promise<number> {
    const now = iso(this.d.clock.now());
    const due = await this.d.db
      .selectFrom('case_timers')
      .selectAll()
      .where('fired_at', 'is', null)
      .where('cancelled_at', 'is', null)
      .where('due_at', '<=', now)
      .orderBy('due_at')
      .orderBy('id')
      .limit(SWEEP_BATCH)
      .execute();
    let fired = 0;
    for (const t of due) {
      const c = await this.fire(t, now);
      if (c) {
        fired++;
        await this.d.cases.publish(c, t.kind.endsWith('breach') ? 'sla_breached' : 'sla_warning');
        // The owning team's consoles are told (the gateway forwards it to their staff sockets only).
        const due = ACK_KINDS.includes(t.kind) ? c.acknowledge_by : c.resolve_by;
        if (due && this.d.bus)
          await this.d.bus.publish(channels.staff, {
            name: 'case.deadline',
            payload: { caseId: c.id, reference: c.reference, ownerTeamId: c.owner_team_id, kind: t.kind, due },
          });
      }
    }
    return fired;
  }

  /** Takes one timer (or not: another node did, or it was cancelled) and writes its case event. */
  private async fire(t: CaseTimersTable, now: string): Promise<CasesTable | null> {
    return this.d.db.transaction().execute(async (tx) => {
      // The conditional update is the claim: of two nodes only one sees a row updated (on PostgreSQL the
      // second waits for the first's commit, then finds fired_at set).
      const res = await tx
        .updateTable('case_timers')
        .set({ fired_at: now })
        .where('id', '=', t.id)
        .where('fired_at', 'is', null)
        .where('cancelled_at', 'is', null)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return null;
      const c = await tx.selectFrom('cases').selectAll().where('id', '=', t.case_id).executeTakeFirst();
      if (!c) return null;
      const stillOwed =
        c.status !== 'resolved' && c.status !== 'closed' && !(ACK_KINDS.includes(t.kind) && c.acknowledged_at !== null);
      if (!stillOwed) {
        // Met meanwhile (a change that raced the cancel): record nothing, and undo the claim as a cancel.
        await tx.updateTable('case_timers').set({ fired_at: null, cancelled_at: now }).where('id', '=', t.id).execute();
        return null;
      }
      const breach = t.kind.endsWith('breach');
      const deadline = ACK_KINDS.includes(t.kind) ? c.acknowledge_by : c.resolve_by;
      const what = ACK_KINDS.includes(t.kind) ? 'Acknowledgement' : 'Resolution';
      await this.d.cases.note(
        c.id,
        {
          type: breach ? 'sla_breached' : 'sla_warning',
          actor: SYSTEM,
          text: breach ? `${what} deadline ${deadline} has passed.` : `${what} is due by ${deadline}.`,
          visible: false,
          payload: { timer: t.kind, deadline, dueAt: t.due_at },
        },
        tx,
      );
      return c;
    });
  }
}
