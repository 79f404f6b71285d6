/**
 * `carechat teams ...` and `carechat agents ...`: the configuration API from the command line, for
 * operators without the console. Same service, same validation and audit as PUT /api/admin/*
 * (audited as `operator:<os user>`). The server notices a change at its next routing sweep (it reads
 * teams and skills from the store), so a running server needs no restart.
 * Exit 2 with usage on bad arguments, 1 with one line on stderr when the change is refused.
 */
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { AdminAgentView, AdminTeamView } from '@carechat/protocol';
import { AdminService, type ConfigActor } from '../admin/admin.service.js';
import { loadConfig } from '../config.js';
import { parseArgs, UsageError } from './args.js';
import { AppError } from '../shared/errors.js';
import { systemClock } from '../shared/clock.js';
import { openStore } from '../store/db.js';

export const CONFIG_USAGE = `  teams list [--json]
                     every team: id, names, SLA, phone, hours (--json: one JSON object per line)
  teams set ID [--name-en NAME] [--name-es NAME] [--phone PHONE | --no-phone] [--sla SECONDS]
               [--hours-file FILE.json | --hours-24-7]
                     create the team (both names needed) or change it; FILE holds TeamHours
                     {"timeZone":"America/New_York","weekly":[[],[{"open":"08:00","close":"20:00"}],...]}
  agents list [--json]
                     every staff account: email, role, state, max concurrent chats, skills
  agents set EMAIL [--skills TEAM:LANG,...|none] [--max N] [--role agent|supervisor]
                     change an agent's skills (replaced as a whole), max concurrent chats (1-20), role
`;

/** One line on stdout (the command's output; messages go to stderr). */
const out = (line: string) => process.stdout.write(`${line}\n`);

const operator = (): ConfigActor => {
  let user = 'unknown';
  try {
    user = userInfo().username || user;
  } catch {
    // no passwd entry (containers): still audited, as "unknown"
  }
  return { type: 'operator', id: user };
};

async function withService<T>(fn: (admin: AdminService) => Promise<T>): Promise<T> {
  const store = await openStore(loadConfig().database);
  try {
    return await fn(new AdminService({ db: store.db, clock: systemClock }));
  } finally {
    await store.close();
  }
}

/** `teams ...` and `agents ...` share the error handling. */
async function run(command: string, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`carechat ${command}: ${err.message}\n\nusage:\n${CONFIG_USAGE}`);
      return 2;
    }
    if (err instanceof AppError) {
      const details = Array.isArray(err.details)
        ? (err.details as Array<{ path?: string; message?: string }>)
            .map((d) => (d.path ? `${d.path}: ${d.message}` : d.message))
            .join('; ')
        : '';
      process.stderr.write(`carechat ${command}: refused: ${err.message}${details ? ` (${details})` : ''}\n`);
      return 1;
    }
    throw err;
  }
}

const hoursText = (t: AdminTeamView) =>
  t.hours === null
    ? '24/7'
    : `${t.hours.timeZone} ${t.hours.weekly
        .map((day, d) => `${'SMTWTFS'[d]}:${day.length ? day.map((i) => `${i.open}-${i.close}`).join('+') : '-'}`)
        .join(' ')}`;

export function teams(args: string[]): Promise<number> {
  return run('teams', async () => {
    const [sub, ...rest] = args;
    if (sub === 'list') {
      const { positional, flags } = parseArgs(rest, [], ['json']);
      if (positional.length) throw new UsageError('teams list takes no arguments');
      const list = await withService((a) => a.teams());
      for (const t of list) {
        if (flags.has('json')) out(JSON.stringify(t));
        else {
          out(
            `${t.id.padEnd(12)} ${t.name.en} / ${t.name.es}  sla ${t.answerSlaSeconds}s  phone ${t.phone ?? '-'}  ${hoursText(t)}`,
          );
        }
      }
      return 0;
    }
    if (sub === 'set') {
      const { positional, values, flags } = parseArgs(
        rest,
        ['name-en', 'name-es', 'phone', 'sla', 'hours-file'],
        ['no-phone', 'hours-24-7'],
      );
      if (positional.length !== 1) throw new UsageError('teams set takes one team id');
      if (values.has('hours-file') && flags.has('hours-24-7')) {
        throw new UsageError('give --hours-file or --hours-24-7, not both');
      }
      if (values.has('phone') && flags.has('no-phone')) throw new UsageError('give --phone or --no-phone, not both');
      const sla = values.get('sla');
      if (sla !== undefined && !/^\d{1,6}$/.test(sla)) throw new UsageError('--sla is a number of seconds');
      let hours: unknown;
      const file = values.get('hours-file');
      if (file) {
        try {
          hours = JSON.parse(readFileSync(file, 'utf8'));
        } catch (err) {
          process.stderr.write(`carechat teams: cannot read ${file}: ${err instanceof Error ? err.message : err}\n`);
          return 1;
        }
      }
      if (flags.has('hours-24-7')) hours = null;
      const id = positional[0]!;
      const team = await withService(async (a) => {
        const current = (await a.teams()).find((t) => t.id === id);
        const r = await a.putTeam(operator(), id, {
          name: {
            en: values.get('name-en') ?? current?.name.en ?? '',
            es: values.get('name-es') ?? current?.name.es ?? '',
          },
          hours: hours !== undefined ? hours : (current?.hours ?? null),
          phone: flags.has('no-phone') ? null : (values.get('phone') ?? current?.phone ?? null),
          answerSlaSeconds: sla !== undefined ? Number(sla) : (current?.answerSlaSeconds ?? 120),
        });
        return r;
      });
      out(JSON.stringify(team.team));
      process.stderr.write(`${team.created ? 'created' : 'updated'} team ${id}\n`);
      return 0;
    }
    throw new UsageError(sub ? `unknown teams command "${sub}"` : 'which teams command? (list or set)');
  });
}

const skillsText = (a: AdminAgentView) => a.skills.map((s) => `${s.teamId}:${s.language}`).join(',') || '-';

export function agents(args: string[]): Promise<number> {
  return run('agents', async () => {
    const [sub, ...rest] = args;
    if (sub === 'list') {
      const { positional, flags } = parseArgs(rest, [], ['json']);
      if (positional.length) throw new UsageError('agents list takes no arguments');
      const list = await withService((a) => a.agents());
      for (const a of list) {
        if (flags.has('json')) out(JSON.stringify(a));
        else {
          out(
            `${a.email.padEnd(24)} ${a.role.padEnd(10)} ${a.state.padEnd(9)} max ${String(a.maxConcurrent).padEnd(2)} ${skillsText(a)}`,
          );
        }
      }
      return 0;
    }
    if (sub === 'set') {
      const { positional, values } = parseArgs(rest, ['skills', 'max', 'role']);
      if (positional.length !== 1) throw new UsageError('agents set takes one email');
      const body: Record<string, unknown> = {};
      const skills = values.get('skills');
      if (skills !== undefined) {
        body.skills =
          skills === 'none'
            ? []
            : skills.split(',').map((pair) => {
                const [teamId, language, extra] = pair.trim().split(':');
                if (!teamId || !language || extra !== undefined) {
                  throw new UsageError(`--skills: "${pair}" is not TEAM:LANG`);
                }
                return { teamId, language };
              });
      }
      const max = values.get('max');
      if (max !== undefined) {
        if (!/^\d{1,3}$/.test(max)) throw new UsageError('--max is a number');
        body.maxConcurrent = Number(max);
      }
      if (values.has('role')) body.role = values.get('role');
      if (!Object.keys(body).length) throw new UsageError('nothing to change: give --skills, --max or --role');
      const email = positional[0]!;
      const agent = await withService(async (a) => {
        const id = await a.agentIdByEmail(email);
        if (!id) throw new AppError('not_found', 404, `There is no staff account ${email}.`);
        return a.updateAgent(operator(), id, body);
      });
      out(JSON.stringify(agent));
      return 0;
    }
    throw new UsageError(sub ? `unknown agents command "${sub}"` : 'which agents command? (list or set)');
  });
}
