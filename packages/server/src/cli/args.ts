/**
 * Command-line arguments for the operator commands (`carechat nlu ...`, `carechat teams ...`):
 * `--name value` or `--name=value` for valued options, bare `--name` for flags, `--` ends options.
 * Anything else is a usage error, reported on one line with the command's usage.
 */

/** A mistake in the command line: the command prints it with its usage and exits 2. */
export class UsageError extends Error {}

export interface Parsed {
  positional: string[];
  values: Map<string, string>;
  flags: Set<string>;
}

/** `--name value` or `--name=value` for `valued`, bare `--name` for `boolean`; anything else is a usage error. */
export function parseArgs(args: string[], valued: readonly string[], boolean: readonly string[] = []): Parsed {
  const parsed: Parsed = { positional: [], values: new Map(), flags: new Set() };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      parsed.positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      parsed.positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = (eq < 0 ? arg : arg.slice(0, eq)).slice(2);
    if (boolean.includes(name) && eq < 0) parsed.flags.add(name);
    else if (valued.includes(name)) {
      const value = eq < 0 ? args[++i] : arg.slice(eq + 1);
      if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`);
      parsed.values.set(name, value);
    } else throw new UsageError(`unknown option "${arg}"`);
  }
  return parsed;
}
