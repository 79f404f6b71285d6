/**
 * Hot queries built and compiled once. Kysely rebuilds and recompiles a query's operation tree on
 * every call, which on the message path cost about as much CPU as SQLite spent running the queries.
 * `compiledQuery` builds the query once with placeholder values, compiles it, remembers which
 * parameter slots the placeholders landed in, and on each call only binds the new values: same SQL
 * text, same parameters as the query built afresh (store/compiled-query.test.ts checks this), so the
 * statement cache of store/statement-cache.ts (SQLite) finds it at once.
 *
 * For queries of a fixed shape only: every argument must be a bound value (never an identifier, a
 * list whose length varies, or a value Kysely inlines into the SQL); a misuse throws when built.
 * Query-transforming Kysely plugins do not see these queries (the app uses none). On PostgreSQL they
 * run as prepared statements (store/prepared-statements.ts).
 */
import { createQueryId, type CompiledQuery, type Compilable, type Kysely, type QueryResult } from 'kysely';
import { preparedStatement } from './prepared-statements.js';
import type { Database } from './schema.js';

type Executor = Kysely<Database>;

/** A placeholder no caller sends: a NUL byte cannot occur in our ids or message bodies (Postgres text rejects it). */
const placeholder = (i: number) => `\u0000compiled-query-arg-${i}\u0000`;

export interface CompiledQueryFn<A extends unknown[], R> {
  /** Runs the query with these arguments on `executor` (the database or a transaction). */
  (executor: Executor, ...args: A): Promise<QueryResult<R>>;
  /** The compiled query for these arguments (tests). */
  compile(...args: A): CompiledQuery<R>;
}

/**
 * `build(db, ...args)` returns the query; it is called once, with placeholders for `args`, against
 * `db` (any executor of the same dialect runs the result). Every argument must be used as a value.
 */
export function compiledQuery<A extends unknown[], R>(
  db: Executor,
  arity: A['length'],
  build: (db: Executor, ...args: A) => Compilable<R>,
): CompiledQueryFn<A, R> {
  let template: { compiled: CompiledQuery<R>; slots: Array<number | -1> } | null = null;
  const prepare = () => {
    if (template) return template;
    const holders = Array.from({ length: arity }, (_, i) => placeholder(i));
    const compiled = build(db, ...(holders as A)).compile();
    const slots = compiled.parameters.map((p) => (typeof p === 'string' ? holders.indexOf(p) : -1));
    const missing = holders.findIndex((_, i) => !slots.includes(i));
    if (missing >= 0 || compiled.sql.includes('\u0000')) {
      throw new Error(`compiledQuery: argument ${missing} is not a bound parameter of ${compiled.sql}`);
    }
    // PostgreSQL: prepared once per connection (store/prepared-statements.ts).
    preparedStatement(compiled.sql);
    return (template = { compiled, slots });
  };
  const bind = (args: A): CompiledQuery<R> => {
    const { compiled, slots } = prepare();
    return {
      ...compiled,
      queryId: createQueryId(),
      parameters: slots.map((s, i) => (s === -1 ? compiled.parameters[i] : args[s])),
    };
  };
  const run = (executor: Executor, ...args: A) => executor.executeQuery(bind(args));
  return Object.assign(run, { compile: (...args: A) => bind(args) });
}
