/** Agent availability and the staff view of an agent. */
import type { AgentStatus, AgentView } from '@carechat/protocol';
import type { Bus } from '../bus/bus.js';
import { channels } from '../bus/events.js';
import type { ConversationService } from '../conversations/conversations.service.js';
import { iso, type Clock } from '../shared/clock.js';
import { unauthorized } from '../shared/errors.js';
import type { AgentsStore } from './agents.store.js';

export class AgentsService {
  constructor(
    private readonly d: { agents: AgentsStore; conversations: ConversationService; clock: Clock; bus: Bus },
  ) {}

  async view(agentId: string): Promise<AgentView> {
    const a = await this.d.agents.byId(agentId);
    if (!a) throw unauthorized();
    const skills = await this.d.agents.skills(agentId);
    return {
      id: a.id,
      email: a.email,
      firstName: a.first_name,
      displayName: a.display_name,
      role: a.role,
      status: a.status,
      languages: [...new Set(skills.map((s) => s.language))],
      teams: [...new Set(skills.map((s) => s.teamId))],
      maxConcurrent: a.max_concurrent,
    };
  }

  /** Changes availability; queues the agent serves get fresh wait estimates. */
  async setStatus(agentId: string, status: AgentStatus): Promise<AgentView> {
    await this.d.agents.setStatus(agentId, status, iso(this.d.clock.now()));
    await this.d.bus.publish(channels.staff, {
      name: 'agent.state_changed',
      payload: { agentId, state: status, reason: status === 'offline' ? 'signed_out' : 'chosen' },
    });
    const skills = await this.d.agents.skills(agentId);
    for (const s of skills) await this.d.conversations.publishQueueChange(s.teamId, s.language);
    return this.view(agentId);
  }
}
