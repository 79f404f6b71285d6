/**
 * Configuration of teams and agents (issue 6): names, opening hours, phone line and answer-time SLA
 * per team; skills (team x language), max concurrent chats and role per agent. Used by the admin
 * REST API and by `carechat teams|agents` (cli/config.ts). Every change is one transaction with its
 * audit_log row; after the commit `queue.changed` goes out for each queue it touches, so routing,
 * wait estimates and boards (which all read the store) move on at once.
 */
import { randomUUID } from 'node:crypto';
import {
  AdminAgentRequest,
  AdminTeamRequest,
  TeamId,
  type AdminAgentView,
  type AdminTeamView,
  type Skill,
  type TeamHours,
} from '@carechat/protocol';
import type { Transaction } from 'kysely';
import type { Bus } from '../bus/bus.js';
import { channels } from '../bus/events.js';
import { AppError, badRequest, forbidden, notFound } from '../shared/errors.js';
import { iso, type Clock } from '../shared/clock.js';
import type { Db } from '../store/db.js';
import type { Database } from '../store/schema.js';

/** Who made a change: a signed-in admin, or an operator at the command line. */
export interface ConfigActor {
  type: 'agent' | 'operator';
  /** The admin's agent id; for the CLI, the operating-system user (best effort). */
  id: string;
}

const LANGUAGES = ['en', 'es'] as const;

function parseHours(raw: string | null | undefined): TeamHours | null {
  if (!raw) return null;
  try {
    return JSON.parse(raw) as TeamHours;
  } catch {
    return null;
  }
}

const skillKey = (s: Skill) => `${s.teamId}\u0000${s.language}`;

export class AdminService {
  constructor(
    private readonly d: {
      db: Db;
      clock: Clock;
      /** Absent for the CLI: the server notices at its next routing sweep. */
      bus?: Bus;
    },
  ) {}

  // ------------------------------------------------------------------ teams

  async teams(): Promise<AdminTeamView[]> {
    const rows = await this.d.db.selectFrom('teams').selectAll().orderBy('id').execute();
    return rows.map((t) => ({
      id: t.id,
      name: { en: t.name_en, es: t.name_es },
      hours: parseHours(t.hours),
      phone: t.phone ?? null,
      answerSlaSeconds: Number(t.answer_sla_seconds ?? 120),
    }));
  }

  /** Creates the team or replaces its settings. `input` is validated here too (the CLI calls this). */
  async putTeam(by: ConfigActor, id: string, input: unknown): Promise<{ team: AdminTeamView; created: boolean }> {
    const teamId = TeamId.safeParse(id);
    if (!teamId.success) throw invalid(teamId.error.issues.map((i) => ({ ...i, path: ['id'] })));
    const req = AdminTeamRequest.safeParse(input);
    if (!req.success) throw invalid(req.error.issues);
    const v = req.data;
    const values = {
      name_en: v.name.en,
      name_es: v.name.es,
      hours: v.hours ? JSON.stringify(v.hours) : null,
      phone: v.phone,
      answer_sla_seconds: v.answerSlaSeconds,
    };
    const now = iso(this.d.clock.now());
    const created = await this.d.db.transaction().execute(async (tx) => {
      const before = await tx.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
      if (before) await tx.updateTable('teams').set(values).where('id', '=', id).execute();
      else
        await tx
          .insertInto('teams')
          .values({ id, ...values })
          .execute();
      const changes = before ? diff(before as Record<string, unknown>, values) : values;
      await audit(tx, by, now, before ? 'admin.team.updated' : 'admin.team.created', 'team', id, changes);
      return !before;
    });
    await this.queuesChanged(LANGUAGES.map((language) => ({ teamId: id, language })));
    const team = (await this.teams()).find((t) => t.id === id)!;
    return { team, created };
  }

  // ------------------------------------------------------------------ agents

  async agents(): Promise<AdminAgentView[]> {
    const rows = await this.d.db
      .selectFrom('agents')
      .select(['id', 'email', 'display_name', 'role', 'status', 'max_concurrent'])
      .orderBy('display_name')
      .orderBy('id')
      .execute();
    const skills = await this.d.db
      .selectFrom('agent_skills')
      .select(['agent_id', 'team_id', 'language'])
      .orderBy('team_id')
      .orderBy('language')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      email: r.email,
      displayName: r.display_name,
      role: r.role,
      state: r.status,
      maxConcurrent: r.max_concurrent,
      skills: skills.filter((s) => s.agent_id === r.id).map((s) => ({ teamId: s.team_id, language: s.language })),
    }));
  }

  /** The agent id for an email (the CLI names agents by email). */
  async agentIdByEmail(email: string): Promise<string | null> {
    const row = await this.d.db
      .selectFrom('agents')
      .select('id')
      .where('email', '=', email.trim().toLowerCase())
      .executeTakeFirst();
    return row?.id ?? null;
  }

  async updateAgent(by: ConfigActor, id: string, input: unknown): Promise<AdminAgentView> {
    const req = AdminAgentRequest.safeParse(input);
    if (!req.success) throw invalid(req.error.issues);
    const v = req.data;
    const now = iso(this.d.clock.now());
    const touched = await this.d.db.transaction().execute(async (tx) => {
      const agent = await tx.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst();
      if (!agent) throw notFound('not_found', 'There is no staff account with that id.');
      if (v.role !== undefined && by.type === 'agent' && by.id === id && v.role !== agent.role) {
        // Otherwise the last admin could lock everyone out of configuration.
        throw forbidden('You cannot change your own role.');
      }
      const role = v.role ?? agent.role;
      const oldSkills = (
        await tx.selectFrom('agent_skills').select(['team_id', 'language']).where('agent_id', '=', id).execute()
      ).map((s) => ({ teamId: s.team_id, language: s.language }));
      let newSkills = oldSkills;
      if (v.skills !== undefined) {
        // Admins take no chats: skills on an admin would be a setting that does nothing.
        if (role === 'admin' && v.skills.length > 0) {
          throw badRequest('Administrators take no chats, so they have no skills.', [
            { path: 'skills', message: 'must be empty for an administrator' },
          ]);
        }
        newSkills = [...new Map(v.skills.map((s) => [skillKey(s), s])).values()];
        const teamIds = [...new Set(newSkills.map((s) => s.teamId))];
        const known = teamIds.length
          ? new Set((await tx.selectFrom('teams').select('id').where('id', 'in', teamIds).execute()).map((t) => t.id))
          : new Set<string>();
        const unknown = teamIds.filter((t) => !known.has(t));
        if (unknown.length) {
          throw badRequest(
            'The request is not valid.',
            unknown.map((t) => ({ path: 'skills', message: `no team "${t}"` })),
          );
        }
        await tx.deleteFrom('agent_skills').where('agent_id', '=', id).execute();
        if (newSkills.length) {
          await tx
            .insertInto('agent_skills')
            .values(newSkills.map((s) => ({ agent_id: id, team_id: s.teamId, language: s.language })))
            .execute();
        }
      }
      const set: { max_concurrent?: number; role?: 'agent' | 'supervisor' } = {};
      if (v.maxConcurrent !== undefined) set.max_concurrent = v.maxConcurrent;
      if (v.role !== undefined) set.role = v.role;
      if (Object.keys(set).length) await tx.updateTable('agents').set(set).where('id', '=', id).execute();

      const changes: Record<string, unknown> = {};
      if (v.maxConcurrent !== undefined && v.maxConcurrent !== agent.max_concurrent) {
        changes.maxConcurrent = { from: agent.max_concurrent, to: v.maxConcurrent };
      }
      if (v.role !== undefined && v.role !== agent.role) changes.role = { from: agent.role, to: v.role };
      const oldKeys = new Set(oldSkills.map(skillKey));
      const newKeys = new Set(newSkills.map(skillKey));
      const added = newSkills.filter((s) => !oldKeys.has(skillKey(s)));
      const removed = oldSkills.filter((s) => !newKeys.has(skillKey(s)));
      if (added.length || removed.length) changes.skills = { added, removed };
      await audit(tx, by, now, 'admin.agent.updated', 'agent', id, changes);
      // Every queue the agent served or now serves: its capacity (and so its estimate) may move.
      return [...new Map([...oldSkills, ...newSkills].map((s) => [skillKey(s), s])).values()];
    });
    await this.queuesChanged(touched);
    return (await this.agents()).find((a) => a.id === id)!;
  }

  private async queuesChanged(queues: Skill[]): Promise<void> {
    if (!this.d.bus) return;
    for (const q of queues) {
      await this.d.bus.publish(channels.staff, {
        name: 'queue.changed',
        payload: { teamId: q.teamId, language: q.language },
      });
    }
  }
}

function invalid(issues: Array<{ path: PropertyKey[]; message: string }>): AppError {
  return badRequest(
    'The request is not valid.',
    issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  );
}

/** The columns whose value changes, as `{ column: { from, to } }`. */
function diff(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, to] of Object.entries(after)) {
    const from = before[k] ?? null;
    // Counts come back as strings from some drivers; compare as text.
    if (String(from) !== String(to ?? null)) out[k] = { from, to };
  }
  return out;
}

/**
 * One audit row per configuration change, in the same `audit_log` as data access. Nothing here is
 * about a cardmember, so `on_behalf_of` names who acted (`agent:<id>` or `operator:<user>`).
 */
async function audit(
  tx: Transaction<Database>,
  by: ConfigActor,
  at: string,
  operation: string,
  targetType: 'team' | 'agent',
  targetId: string,
  changes: Record<string, unknown>,
): Promise<void> {
  await tx
    .insertInto('audit_log')
    .values({
      id: `aud_${randomUUID().replace(/-/g, '').slice(0, 20)}`,
      at,
      actor_type: by.type === 'agent' ? 'admin' : 'operator',
      actor_id: by.id,
      on_behalf_of: `${by.type}:${by.id}`,
      conversation_id: null,
      operation,
      target_type: targetType,
      target_id: targetId,
      outcome: 'ok',
      idempotency_key: null,
      details: JSON.stringify({ changes }),
    })
    .execute();
}
