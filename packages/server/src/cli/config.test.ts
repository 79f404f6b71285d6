/**
 * `carechat teams` and `carechat agents` through the real command (the bin `npx carechat` runs) in a
 * child process, against a temp SQLite database seeded with the demo teams and agents: output, exit
 * codes, what lands in the store, and the audit row per change.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AdminAgentView, AdminTeamView } from '@carechat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../seed/demo.js';
import { openStore, type Store } from '../store/db.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/carechat.js');
const tmp = mkdtempSync(path.join(tmpdir(), 'carechat-config-cli-'));
const file = path.join(tmp, 'carechat.sqlite');
let store: Store;

beforeAll(async () => {
  store = await openStore({ kind: 'sqlite', file });
  await seedDemo(store.db, new Date()); // no vault: teams, agents and the chat spine only
}, 60_000);
afterAll(async () => {
  await store?.close();
  rmSync(tmp, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}
function carechat(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: `sqlite:${file}`, DATA_DIR: tmp, LOG_LEVEL: 'silent' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
const jsonLines = <T>(s: string) =>
  s
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as T);
const team = (id: string) => store.db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const auditCount = async () =>
  Number(
    (
      await store.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('carechat teams', () => {
  it('lists the teams, as text and as JSON lines', async () => {
    const text = await carechat(['teams', 'list']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^business\s+Business \/ Empresas\s+sla 120s\s+phone \S.*America\/New_York/m);
    expect(text.stdout).toMatch(/^general\s+Customer Care \/ Atención al Cliente.* 24\/7$/m);
    const json = await carechat(['teams', 'list', '--json']);
    const teams = jsonLines<AdminTeamView>(json.stdout);
    expect(teams.find((t) => t.id === 'business')!.hours!.weekly[1]).toEqual([{ open: '08:00', close: '20:00' }]);
  });

  it('sets hours from a file, the SLA and the phone, keeping what it is not given; audited as the operator', async () => {
    const hours = {
      timeZone: 'America/Chicago',
      weekly: [[], [{ open: '07:30', close: '19:00' }], [], [], [], [], []],
    };
    const hoursFile = path.join(tmp, 'hours.json');
    writeFileSync(hoursFile, JSON.stringify(hours));
    const r = await carechat([
      'teams',
      'set',
      'business',
      '--hours-file',
      hoursFile,
      '--sla',
      '45',
      '--phone',
      '+1 312 555 0100',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      id: 'business',
      name: { en: 'Business', es: 'Empresas' },
      hours,
      phone: '+1 312 555 0100',
      answerSlaSeconds: 45,
    });
    const row = await team('business');
    expect(JSON.parse(row.hours!)).toEqual(hours);
    expect(Number(row.answer_sla_seconds)).toBe(45);
    const audit = await store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('target_id', '=', 'business')
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ operation: 'admin.team.updated', actor_type: 'operator', target_type: 'team' });

    const open = await carechat(['teams', 'set', 'business', '--hours-24-7', '--no-phone']);
    expect(open.code, open.stderr).toBe(0);
    expect(await team('business')).toMatchObject({ hours: null, phone: null, name_en: 'Business' });
  });

  it('creates a team given both names; refuses one without names or with a bad id', async () => {
    const missing = await carechat(['teams', 'set', 'premium']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('name.en');
    const bad = await carechat(['teams', 'set', 'Premium!', '--name-en', 'P', '--name-es', 'P']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/refused.*id:/);
    const ok = await carechat([
      'teams',
      'set',
      'premium',
      '--name-en',
      'Premium',
      '--name-es',
      'Prémium',
      '--sla',
      '60',
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toContain('created team premium');
    expect(await team('premium')).toMatchObject({ name_es: 'Prémium', hours: null });
  });

  it('refuses bad hours with the field and changes nothing', async () => {
    const before = await auditCount();
    const hoursFile = path.join(tmp, 'bad-hours.json');
    writeFileSync(hoursFile, JSON.stringify({ timeZone: 'Nowhere/Land', weekly: [[], [], [], [], [], [], []] }));
    const r = await carechat(['teams', 'set', 'general', '--hours-file', hoursFile]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('hours.timeZone: unknown time zone');
    expect((await team('general')).hours).toBeNull();
    expect(await auditCount()).toBe(before);
  });

  it.each([
    [['teams'], 'which teams command'],
    [['teams', 'set', 'general', '--sla', 'soon'], '--sla is a number of seconds'],
    [['teams', 'set', 'general', '--hours-24-7', '--hours-file', 'x.json'], 'not both'],
    [['teams', 'set', 'general', '--colour', 'red'], 'unknown option'],
  ])('exits 2 with usage for %j', async (args, message) => {
    const r = await carechat(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('usage:');
  });
});

describe('carechat agents', () => {
  it('lists staff with role, state, max and skills', async () => {
    const r = await carechat(['agents', 'list']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ben@carechat\.test\s+agent\s+offline\s+max 3\s+disputes:en,general:en$/m);
    const agents = jsonLines<AdminAgentView>((await carechat(['agents', 'list', '--json'])).stdout);
    expect(agents.find((a) => a.email === 'admin@carechat.test')).toMatchObject({ role: 'admin', skills: [] });
  });

  it('sets skills, max concurrent and role', async () => {
    const r = await carechat([
      'agents',
      'set',
      'BEN@carechat.test',
      '--skills',
      'general:en,business:es',
      '--max',
      '4',
      '--role',
      'supervisor',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: 'agent_ben', role: 'supervisor', maxConcurrent: 4 });
    const skills = await store.db
      .selectFrom('agent_skills')
      .select(['team_id', 'language'])
      .where('agent_id', '=', 'agent_ben')
      .orderBy('team_id')
      .execute();
    expect(skills).toEqual([
      { team_id: 'business', language: 'es' },
      { team_id: 'general', language: 'en' },
    ]);
    const none = await carechat(['agents', 'set', 'ben@carechat.test', '--skills', 'none']);
    expect(none.code, none.stderr).toBe(0);
    expect(JSON.parse(none.stdout).skills).toEqual([]);
  });

  it.each([
    [['agents', 'set', 'ben@carechat.test', '--skills', 'general:fr'], 'skills.0.language'],
    [['agents', 'set', 'ben@carechat.test', '--skills', 'nope:en'], 'no team "nope"'],
    [['agents', 'set', 'ben@carechat.test', '--max', '21'], 'maxConcurrent'],
    [['agents', 'set', 'ben@carechat.test', '--role', 'admin'], 'role'],
    [['agents', 'set', 'nobody@carechat.test', '--max', '2'], 'no staff account nobody@carechat.test'],
  ])('refuses %j (exit 1)', async (args, message) => {
    const before = await auditCount();
    const r = await carechat(args);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
    expect(await auditCount()).toBe(before);
  });

  it.each([
    [['agents', 'set', 'ben@carechat.test'], 'nothing to change'],
    [['agents', 'set', 'ben@carechat.test', '--skills', 'general'], 'is not TEAM:LANG'],
    [['agents', 'set', 'ben@carechat.test', '--max', 'many'], '--max is a number'],
  ])('exits 2 with usage for %j', async (args, message) => {
    const r = await carechat(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});
