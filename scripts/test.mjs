#!/usr/bin/env node
// `npm test`: typecheck, lint, build the clients, then the whole vitest suite on SQLite and again,
// for every test that touches the store or the browser, on PostgreSQL with the Redis bus (multi-node
// mode). Prints one summary line.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const outDir = path.join(root, 'test-results');
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

const run = (label, cmd, args, env = {}) => {
  console.log(`\n=== ${label}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
};

const totals = { passed: 0, failed: 0, skipped: 0 };
const tally = (file) => {
  try {
    const j = JSON.parse(readFileSync(file, 'utf8'));
    totals.passed += j.numPassedTests ?? 0;
    totals.failed += j.numFailedTests ?? 0;
    totals.skipped += (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
  } catch {
    totals.failed += 1; // no report means the run itself broke
  }
};

let ok = true;
const packages = ['protocol', 'server', 'site', 'widget', 'console'];
for (const project of [...packages.map((p) => `packages/${p}/tsconfig.json`), 'e2e/tsconfig.json']) {
  ok = run(`typecheck ${project}`, 'npx', ['tsc', '-p', project]) && ok;
}
ok = run('lint', 'npx', ['eslint', '.']) && ok;
ok = run('format', 'npx', ['prettier', '--check', '--log-level', 'warn', '.']) && ok;
ok = run('build clients', 'npm', ['run', 'build', '--silent']) && ok;
// The shipped NLU model, once, before the workers that load it (skipped when up to date).
ok = run('build NLU model', 'node', ['--import', 'tsx', 'packages/server/src/cli.ts', 'nlu', 'build']) && ok;

const vitest = (label, db, filters, env = {}) => {
  const file = path.join(outDir, `vitest-${db}.json`);
  const passed = run(
    label,
    'npx',
    ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${file}`, ...filters],
    { CARECHAT_TEST_DB: db, ...env },
  );
  tally(file);
  return passed;
};
// Cluster tests start PostgreSQL + Redis nodes of their own: they run once, in the multi-node pass.
ok = vitest('tests on SQLite (unit, integration, end-to-end)', 'sqlite', ['--exclude', '**/*.cluster.test.ts']) && ok;
// Multi-node mode: PostgreSQL for the store and Redis for the bus, as a cluster runs (issue 8).
ok =
  vitest(
    'store-backed tests on PostgreSQL + Redis, multi-node mode (integration, end-to-end, cluster)',
    'postgres',
    ['.int.test.', '.e2e.test.', '.cluster.test.'],
    { CARECHAT_TEST_BUS: 'redis' },
  ) && ok;

console.log(`\nTests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(ok && totals.failed === 0 ? 0 : 1);
