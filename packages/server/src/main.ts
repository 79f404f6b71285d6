/** `npm start`: boots carechat with the validated config and prints where to go. */
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { exitOnSignals, SETTLE_MS } from './ops/shutdown.js';
import { DEMO_AGENTS, DEMO_CARDMEMBERS } from './seed/demo.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const app = await createApp(config);
  const url = await app.listen();
  const base = url.replace('127.0.0.1', 'localhost');
  const lines = [
    '',
    `carechat is running on ${base}  (store: ${app.store.kind})`,
    `  Issuer demo site : ${base}/`,
    `  Agent console    : ${base}/console/`,
  ];
  if (config.site.enabled) {
    lines.push('', '  Demo cardmember logins (site):');
    for (const c of DEMO_CARDMEMBERS)
      lines.push(`    ${c.username.padEnd(8)} ${c.password.padEnd(18)} ${c.description}`);
    lines.push('', '  Demo staff logins (console; authenticator secret, or `npx carechat totp EMAIL` for the code):');
    for (const a of DEMO_AGENTS)
      lines.push(`    ${a.email.padEnd(22)} ${a.password.padEnd(18)} ${a.totpSecret}  ${a.description}`);
  }
  console.log(lines.join('\n') + '\n');

  // Drain (not ready, wait SHUTDOWN_DRAIN_MS, sockets told to reconnect elsewhere), close, exit 0.
  exitOnSignals(app, {
    log: (line) => console.log(`\n${line}`),
    exit: (code) => process.exit(code),
    hardTimeoutMs: config.shutdownDrainMs + SETTLE_MS + 10_000,
  });
}

main().catch((err: unknown) => {
  console.error('carechat failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
