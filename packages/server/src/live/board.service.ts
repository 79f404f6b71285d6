/**
 * The supervisor board, computed from the store (so every node shows the same numbers): per
 * (team, language) queue of the supervisor's teams its depth, oldest wait, the estimate for a chat
 * joining now, who serves it, whether it is open and how many chats wait past the team's answer-time
 * SLA; the agents of those teams with their load and whether they are online (a console open on any
 * node); the breaches; and chats escalated to a supervisor.
 */
import { Language, type AgentStat, type QueueStat, type SlaBreach, type SupervisorBoard } from '@carechat/protocol';
import type { PresenceService } from '../agents/presence.js';
import type { CsatService } from '../cases/csat.js';
import type { ConversationService } from '../conversations/conversations.service.js';
import { estimateWaitSeconds } from '../routing/estimate.js';
import { isOpen } from '../routing/hours.js';
import type { QueueModel } from '../routing/queue-model.js';
import { authorize, teamsOf, type Actor } from '../security/access.js';
import { iso, type Clock } from '../shared/clock.js';
import type { Db } from '../store/db.js';

const DEFAULT_SLA_SECONDS = 120;

export class BoardService {
  constructor(
    private readonly d: {
      db: Db;
      queues: QueueModel;
      conversations: ConversationService;
      clock: Clock;
      /** Today's post-chat ratings per queue (cases/csat.ts). */
      csat?: Pick<CsatService, 'today'>;
      /** Who has a console open on some live node (agents/presence.ts): each agent's `online`. */
      presence?: Pick<PresenceService, 'online'>;
    },
  ) {}

  async board(actor: Actor): Promise<SupervisorBoard> {
    authorize(actor, 'board.read');
    const now = this.d.clock.now();
    const teamIds = [...teamsOf(actor)].sort();
    if (!teamIds.length) {
      return {
        generatedAt: iso(now),
        slaSeconds: DEFAULT_SLA_SECONDS,
        queues: [],
        agents: [],
        breaches: [],
        escalations: [],
      };
    }
    const teams = (await Promise.all(teamIds.map((id) => this.d.queues.team(id)))).filter((t) => t !== null);
    const waiting = await this.d.db
      .selectFrom('conversations')
      .select(['id', 'team_id', 'language', 'queued_at'])
      .where('status', '=', 'queued')
      .where('team_id', 'in', teamIds)
      .orderBy('queued_at', 'asc')
      .execute();
    const agentsAvailable = await this.d.db
      .selectFrom('agents as a')
      .innerJoin('agent_skills as s', 's.agent_id', 'a.id')
      .select(['s.team_id', 's.language', (eb) => eb.fn.count<number>('a.id').distinct().as('n')])
      .where('a.status', '=', 'available')
      .where('a.role', 'in', ['agent', 'supervisor'])
      .where('s.team_id', 'in', teamIds)
      .groupBy(['s.team_id', 's.language'])
      .execute();

    const csat = (await this.d.csat?.today(teamIds, now)) ?? [];
    const queues: QueueStat[] = [];
    const breaches: SlaBreach[] = [];
    for (const team of teams) {
      const open = isOpen(team.hours, now);
      for (const language of Language.options) {
        const chats = waiting.filter((c) => c.team_id === team.id && c.language === language);
        const capacity = await this.d.queues.capacity(team.id, language);
        const waits = chats.map((c) => ({ c, seconds: secondsSince(c.queued_at, now) }));
        const late = waits.filter((w) => w.seconds > team.answerSlaSeconds);
        for (const w of late) {
          breaches.push({
            conversationId: w.c.id,
            teamId: team.id,
            language,
            kind: 'wait',
            since: w.c.queued_at!,
            waitedSeconds: w.seconds,
          });
        }
        queues.push({
          teamId: team.id,
          teamName: team.name_en,
          language,
          depth: chats.length,
          oldestWaitSeconds: waits.length ? Math.max(...waits.map((w) => w.seconds)) : null,
          estimatedWaitSeconds: open ? estimateWaitSeconds(chats.length + 1, capacity) : null,
          agentsServing: capacity.servingAgents,
          agentsAvailable: Number(
            agentsAvailable.find((a) => a.team_id === team.id && a.language === language)?.n ?? 0,
          ),
          open,
          slaBreaches: late.length,
          ...(this.d.csat ? csatOf(csat, team.id, language) : {}),
        });
      }
    }
    breaches.sort((a, b) => b.waitedSeconds - a.waitedSeconds);

    return {
      generatedAt: iso(now),
      slaSeconds: teams.length ? Math.min(...teams.map((t) => t.answerSlaSeconds)) : DEFAULT_SLA_SECONDS,
      queues,
      agents: await this.agents(teamIds),
      breaches,
      escalations: await this.escalations(teamIds),
    };
  }

  private async agents(teamIds: string[]): Promise<AgentStat[]> {
    const skills = await this.d.db
      .selectFrom('agent_skills as s')
      .innerJoin('agents as a', 'a.id', 's.agent_id')
      .select(['s.agent_id', 's.team_id', 's.language'])
      .where('a.role', 'in', ['agent', 'supervisor'])
      .execute();
    const ids = [...new Set(skills.filter((s) => teamIds.includes(s.team_id)).map((s) => s.agent_id))];
    if (!ids.length) return [];
    const rows = await this.d.db
      .selectFrom('agents')
      .select(['id', 'display_name', 'role', 'status', 'status_changed_at', 'max_concurrent'])
      .where('id', 'in', ids)
      .orderBy('display_name')
      .execute();
    const chats = await this.d.db
      .selectFrom('conversations')
      .select(['id', 'assigned_agent_id'])
      .where('status', '=', 'assigned')
      .where('assigned_agent_id', 'in', ids)
      .orderBy('assigned_at', 'asc')
      .execute();
    const online = await this.d.presence?.online(ids);
    return rows.map((a) => {
      const mine = chats.filter((c) => c.assigned_agent_id === a.id).map((c) => c.id);
      return {
        id: a.id,
        displayName: a.display_name,
        role: a.role as AgentStat['role'],
        state: a.status,
        stateSince: a.status_changed_at,
        load: mine.length,
        maxConcurrent: a.max_concurrent,
        skills: skills.filter((s) => s.agent_id === a.id).map((s) => ({ teamId: s.team_id, language: s.language })),
        conversations: mine,
        ...(online ? { online: online.has(a.id) } : {}),
      };
    });
  }

  private async escalations(teamIds: string[]) {
    const rows = await this.d.db
      .selectFrom('conversations')
      .select('id')
      .where('escalated_at', 'is not', null)
      .where('status', '!=', 'closed')
      .where('team_id', 'in', teamIds)
      .orderBy('escalated_at', 'asc')
      .execute();
    const views = await Promise.all(rows.map((r) => this.d.conversations.viewById(r.id, 'staff')));
    return views.filter((v) => v !== null);
  }
}

const secondsSince = (at: string | null, now: Date) =>
  at ? Math.max(0, Math.floor((now.getTime() - Date.parse(at)) / 1000)) : 0;

/** A queue's CSAT for today: average (two decimals) and count; null average without responses. */
function csatOf(
  stats: Array<{ teamId: string; language: string; average: number; count: number }>,
  teamId: string,
  language: string,
) {
  const s = stats.find((x) => x.teamId === teamId && x.language === language);
  return { csatAverage: s ? s.average : null, csatCount: s?.count ?? 0 };
}
