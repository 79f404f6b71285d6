/**
 * PostgreSQL: the message path's statements are prepared once per connection (named statements)
 * instead of parsed and planned on every call. Planning the conversation read (a six-table join)
 * cost PostgreSQL about 0.3 ms of CPU per send, seven times what running the prepared plan costs.
 *
 * Only SQL texts registered with `preparedStatement` are named (the hot queries of
 * store/compiled-query.ts and the send statement of conversations.store.ts): a fixed, small set, so
 * each connection holds a handful of plans. The SQL text and parameters are exactly those of the
 * unnamed query; only the protocol changes (Parse once, then Bind/Execute).
 *
 * A schema change by another node (a rolling upgrade adding a column) makes PostgreSQL refuse a
 * prepared `select *` ("cached plan must not change result type", 0A000) before running it: the
 * connection then stops naming that statement and the call is run once more unnamed. Inside a
 * transaction that second try fails too (the transaction is aborted) and the caller's transaction
 * rolls back as for any other error.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';

const names = new Map<string, string>();

/** Registers `sql` to be run as a named, prepared statement on PostgreSQL connections. */
export function preparedStatement(sql: string): void {
  if (!names.has(sql)) names.set(sql, `cc_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`);
}

type QueryFn = (...args: unknown[]) => unknown;

/** Makes the pool's connections run registered SQL texts as named statements. */
export function withPreparedStatements(pool: pg.Pool): pg.Pool {
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as QueryFn;
    // Names this connection stopped using (its plan was refused after a schema change).
    const unnamed = new Set<string>();
    const patched = (...args: unknown[]) => {
      const [text, values, callback] = args;
      const name = typeof text === 'string' && Array.isArray(values) && callback === undefined && names.get(text);
      if (!name || unnamed.has(name)) return query(...args);
      return (query({ name, text, values }) as Promise<unknown>).catch((err: unknown) => {
        if ((err as { code?: string })?.code !== '0A000') throw err;
        unnamed.add(name);
        return query(text, values);
      });
    };
    (client as unknown as { query: QueryFn }).query = patched;
  });
  return pool;
}
