/**
 * `carechat <command>`: operator commands. Each reads the same validated config as the server.
 *   carechat serve            start the server (same as `npm start` without building clients)
 *   carechat migrate          bring the database schema up to date
 *   carechat seed [--cardmembers N] [--seed S]
 *                             insert the demo teams, agents and personas (idempotent); with
 *                             --cardmembers, N generated cardmembers too (gen_1..gen_N)
 *   carechat redact [TEXT]    redact one text, or JSON lines {"text": "..."} from stdin
 *   carechat totp EMAIL       the current sign-in code of a demo agent (never in production)
 *   carechat nlu ...          classify, train, evaluate, build the NLU model (cli/nlu.ts)
 *   carechat teams|agents ... list and change teams and agents (cli/config.ts)
 */
import { createInterface } from 'node:readline';
import { loadConfig, ConfigError } from './config.js';
import { PatternRedactor } from './redaction/redactor.js';
import { PanVault } from './accounts/embedded/pan-vault.js';
import { SecretBox } from './identity/secret-box.js';
import { totpCode, totpSecondsLeft } from './identity/totp.js';
import { DEMO_AGENTS, seedDemo } from './seed/demo.js';
import { generateCardmembers } from './seed/generator.js';
import { SEED_TABLES } from './seed/rows.js';
import { openStore } from './store/db.js';
import { nlu, NLU_USAGE } from './cli/nlu.js';
import { agents, CONFIG_USAGE, teams } from './cli/config.js';

const USAGE = `usage: carechat <serve|migrate|seed|redact|totp|nlu|teams|agents> [args]

  serve              start the server
  migrate            apply database migrations (DATABASE_URL or the embedded SQLite file)
  seed [--cardmembers N] [--seed S]
                     insert demo data (idempotent): teams, agents, personas; with --cardmembers,
                     N generated cardmembers with six months of account history (seed S, default "carechat")
  redact [TEXT]      print {"text","findings"} for TEXT, or for each JSON line {"text": "..."} on stdin
  totp EMAIL         print the current two-step sign-in code of a demo agent (ana@carechat.test...);
                     refused for other accounts and when NODE_ENV=production
${NLU_USAGE}${CONFIG_USAGE}`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      await import('./main.js');
      return -1; // keep running
    case 'migrate': {
      const store = await openStore(loadConfig().database);
      await store.close();
      console.log('Database is up to date.');
      return 0;
    }
    case 'seed':
      return seed(rest);
    case 'redact':
      return redact(rest);
    case 'totp':
      return totp(rest);
    case 'nlu':
      return nlu(rest);
    case 'teams':
      return teams(rest);
    case 'agents':
      return agents(rest);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return command ? 0 : 2;
    default:
      process.stderr.write(`carechat: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

/** `seed [--cardmembers N] [--seed S]`: personas always, N generated cardmembers on request. */
async function seed(args: string[]): Promise<number> {
  let count = 0;
  let seedText = 'carechat';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    const value = eq < 0 ? args[++i] : arg.slice(eq + 1);
    if (flag === '--cardmembers' && value !== undefined && /^\d{1,7}$/.test(value)) count = Number(value);
    else if (flag === '--seed' && value) seedText = value;
    else {
      process.stderr.write(`carechat seed: bad argument "${arg}"\n\n${USAGE}`);
      return 2;
    }
  }
  const config = loadConfig();
  const started = performance.now();
  const store = await openStore(config.database);
  try {
    const vault = new PanVault(config.accounts.encryptionKey);
    const now = new Date();
    await seedDemo(store.db, now, vault, new SecretBox(config.accounts.encryptionKey, 'carechat totp'));
    if (count > 0) {
      let lastReport = 0;
      await generateCardmembers(store.db, {
        count,
        seed: seedText,
        now,
        vault,
        onChunk: (done, total) => {
          const t = performance.now();
          if (done === total || t - lastReport > 5000) {
            lastReport = t;
            process.stderr.write(`  ${done}/${total} cardmembers (${((t - started) / 1000).toFixed(0)} s)\n`);
          }
        },
      });
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`Demo data is in place (${store.kind}) after ${seconds.toFixed(1)} s. Rows per table:`);
    for (const table of SEED_TABLES) {
      const row = await store.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      console.log(`  ${table.padEnd(17)} ${String(Number(row.n)).padStart(10)}`);
    }
    return 0;
  } finally {
    await store.close();
  }
}

/**
 * `totp EMAIL`: the code an authenticator app with the demo secret shows now. Demo secrets are public
 * (README), so this reveals nothing; real accounts' secrets are never read.
 */
function totp(args: string[]): number {
  const email = args[0]?.trim().toLowerCase();
  if (!email || args.length > 1) {
    process.stderr.write(`carechat totp: give one demo agent's email\n\n${USAGE}`);
    return 2;
  }
  if (loadConfig().env === 'production') {
    process.stderr.write('carechat totp: refused: demo sign-in codes are not available in production.\n');
    return 1;
  }
  const agent = DEMO_AGENTS.find((a) => a.email === email);
  if (!agent) {
    const known = DEMO_AGENTS.map((a) => a.email).join(', ');
    process.stderr.write(`carechat totp: refused: ${email} is not a demo agent (demo agents: ${known}).\n`);
    return 1;
  }
  const now = new Date();
  console.log(totpCode(agent.totpSecret, now));
  process.stderr.write(`(${agent.email}; changes in ${totpSecondsLeft(now)} s)\n`);
  return 0;
}

async function redact(args: string[]): Promise<number> {
  const redactor = new PatternRedactor();
  if (args.length) {
    console.log(JSON.stringify(redactor.redact(args.join(' '))));
    return 0;
  }
  let status = 0;
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of rl) {
    lineNo++;
    // A blank line is a bad line too: output line N always answers input line N.
    let text: unknown;
    try {
      text = (JSON.parse(line) as { text?: unknown }).text;
    } catch {
      text = undefined;
    }
    if (typeof text !== 'string') {
      // Keep output aligned with input: one line out per line in, with an error instead of a result.
      console.log(JSON.stringify({ error: `line ${lineNo}: expected a JSON object with a string "text"` }));
      status = 1;
      continue;
    }
    console.log(JSON.stringify(redactor.redact(text)));
  }
  return status;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    console.error(
      err instanceof ConfigError ? err.message : `carechat: ${err instanceof Error ? err.message : String(err)}`,
    );
    process.exitCode = 1;
  },
);
