/**
 * Prepared-statement reuse for SQLite. Kysely's SQLite driver calls `prepare(sql)` for every query it
 * runs, and compiling SQL in SQLite costs more than running a primary-key lookup: on the message path
 * it was about a third of the server's CPU. This wraps the better-sqlite3 handle so each distinct SQL
 * text is prepared once and its statement reused (bounded, least recently used evicted first).
 *
 * Safe because better-sqlite3 runs `all`/`run` synchronously to completion and resets the statement
 * afterwards (also after an error), and statements bind their parameters anew on every call. A
 * statement still being iterated (`busy`) is never handed out twice: a fresh one is prepared instead.
 * SQLite re-prepares a cached statement by itself when a migration changes the schema.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Enough for every query shape the app has; `in (...)` lists of varying length come and go. */
const DEFAULT_CAPACITY = 1000;

export function withStatementCache(db: BetterSqlite3.Database, capacity = DEFAULT_CAPACITY): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => {
      cache.clear();
      db.close();
    },
    prepare(sql: string): SqliteStatement {
      const hit = cache.get(sql);
      if (hit && !hit.busy) {
        // Re-insert: a Map iterates in insertion order, so the first key is the least recently used.
        cache.delete(sql);
        cache.set(sql, hit);
        return hit as SqliteStatement;
      }
      const stmt = db.prepare(sql);
      if (!hit) {
        cache.set(sql, stmt);
        if (cache.size > capacity) cache.delete(cache.keys().next().value!);
      }
      return stmt as SqliteStatement;
    },
  };
}
