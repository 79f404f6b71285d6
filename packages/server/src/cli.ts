/**
 * `carechat <command>`: operator commands. Each reads the same validated config as the server.
 *   carechat serve            start the server (same as `npm start` without building clients)
 *   carechat migrate          bring the database schema up to date
 *   carechat seed             insert the demo teams, agents and cardmembers (idempotent)
 *   carechat redact [TEXT]    redact one text, or JSON lines {"text": "..."} from stdin
 */
import { createInterface } from 'node:readline';
import { loadConfig, ConfigError } from './config.js';
import { PatternRedactor } from './redaction/redactor.js';
import { seedDemo } from './seed/demo.js';
import { openStore } from './store/db.js';

const USAGE = `usage: carechat <serve|migrate|seed|redact> [args]

  serve              start the server
  migrate            apply database migrations (DATABASE_URL or the embedded SQLite file)
  seed               insert demo data (idempotent)
  redact [TEXT]      print {"text","findings"} for TEXT, or for each JSON line {"text": "..."} on stdin
`;

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
    case 'seed': {
      const store = await openStore(loadConfig().database);
      await seedDemo(store.db);
      await store.close();
      console.log('Demo data is in place.');
      return 0;
    }
    case 'redact':
      return redact(rest);
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
    if (!line.trim()) continue;
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
