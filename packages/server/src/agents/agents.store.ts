/** Agents, their skills (team x language) and availability. */
import type { Selectable } from 'kysely';
import type { Db } from '../store/db.js';
import type { AgentsTable } from '../store/schema.js';

export type AgentRow = Selectable<AgentsTable>;

export interface Skill {
  teamId: string;
  language: 'en' | 'es';
}

export class AgentsStore {
  constructor(private readonly db: Db) {}

  byEmail(email: string): Promise<AgentRow | undefined> {
    return this.db.selectFrom('agents').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
  }

  byId(id: string): Promise<AgentRow | undefined> {
    return this.db.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async skills(agentId: string): Promise<Skill[]> {
    const rows = await this.db
      .selectFrom('agent_skills')
      .select(['team_id', 'language'])
      .where('agent_id', '=', agentId)
      .execute();
    return rows.map((r) => ({ teamId: r.team_id, language: r.language }));
  }

  /** Sets the agent's state; becoming available starts the idle clock routing orders agents by. */
  async setStatus(agentId: string, status: AgentsTable['status'], now: string): Promise<void> {
    await this.db
      .updateTable('agents')
      .set((eb) => ({
        status,
        status_changed_at: now,
        idle_since:
          status === 'available'
            ? eb.case().when('status', '=', 'available').then(eb.ref('idle_since')).else(now).end()
            : eb.ref('idle_since'),
      }))
      .where('id', '=', agentId)
      .execute();
  }

  team(id: string) {
    return this.db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
  }
}
