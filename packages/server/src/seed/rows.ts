/**
 * Demo rows in memory and their bulk insert. Seeding builds plain row objects per table, then writes
 * them in batches inside the caller's transaction, each statement far below the bind-parameter limits
 * (SQLite 32,766, PostgreSQL 65,535).
 */
import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

/** The accounts tables (and the cardmember rows) seeding writes, in foreign-key order. */
export const SEED_TABLES = [
  'cardmembers',
  'addresses',
  'devices',
  'accounts',
  'cards',
  'authorized_users',
  'statements',
  'transactions',
  'payments',
  'fees',
  'credits',
  'rewards_ledger',
  'wallet_tokens',
  'replacements',
  'travel_bookings',
  'travel_notices',
] as const satisfies ReadonlyArray<keyof Database>;

export type SeedTable = (typeof SEED_TABLES)[number];
export type SeedRows = { [T in SeedTable]: Array<Database[T]> };

export const emptyRows = (): SeedRows => Object.fromEntries(SEED_TABLES.map((t) => [t, []])) as unknown as SeedRows;

/** Row counts per table. */
export const countOf = (rows: SeedRows): Record<SeedTable, number> =>
  Object.fromEntries(SEED_TABLES.map((t) => [t, rows[t].length])) as Record<SeedTable, number>;

/** Bind parameters per statement: below SQLite's default limit (32,766) and PostgreSQL's (65,535). */
const PARAMS_PER_STATEMENT = 30_000;
/** More rows per statement stops paying off well before the parameter limits. */
const ROWS_PER_STATEMENT = 500;
/** PostgreSQL takes one array per column (unnest), so a statement's size is not bound by parameters. */
const ROWS_PER_UNNEST = 5_000;

const valuesSql = new Map<string, string>();

function valuesInsert(table: string, columns: readonly string[], rows: number): string {
  const key = `${table}|${columns.join(',')}|${rows}`;
  let text = valuesSql.get(key);
  if (!text) {
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${Array(rows).fill(tuple).join(', ')}`;
    valuesSql.set(key, text);
  }
  return text;
}

/**
 * Inserts every row, table by table in foreign-key order, in batches. Run it inside a transaction.
 * SQLite gets multi-row VALUES; PostgreSQL gets `insert ... select * from unnest($1::text[], ...)`,
 * about twice as fast there as VALUES lists, and one bind parameter per column whatever the batch.
 */
export async function insertRows(db: Kysely<Database>, rows: Partial<SeedRows>): Promise<void> {
  // Ask the dialect how it spells parameters rather than assume which database this is.
  const postgres = db.selectFrom('teams').select('id').where('id', '=', 'probe').compile().sql.includes('$1');
  const types = postgres ? await columnTypes(db) : null;
  for (const table of SEED_TABLES) {
    const list = rows[table] as Array<Record<string, unknown>> | undefined;
    if (!list?.length) continue;
    const columns = Object.keys(list[0]!);
    if (types) {
      const casts = columns.map((c, i) => {
        const t = types.get(`${table}.${c}`);
        if (!t) throw new Error(`unknown column ${table}.${c}`);
        return `$${i + 1}::${t}[]`;
      });
      const text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) select * from unnest(${casts.join(', ')})`;
      for (let i = 0; i < list.length; i += ROWS_PER_UNNEST) {
        const batch = list.slice(i, i + ROWS_PER_UNNEST);
        const arrays = columns.map((c) => batch.map((row) => row[c] ?? null));
        await db.executeQuery(CompiledQuery.raw(text, arrays));
      }
      continue;
    }
    const per = Math.max(1, Math.min(ROWS_PER_STATEMENT, Math.floor(PARAMS_PER_STATEMENT / columns.length)));
    for (let i = 0; i < list.length; i += per) {
      const batch = list.slice(i, i + per);
      const params: unknown[] = new Array(batch.length * columns.length);
      let k = 0;
      for (const row of batch) for (const c of columns) params[k++] = row[c] ?? null;
      await db.executeQuery(CompiledQuery.raw(valuesInsert(table, columns, batch.length), params));
    }
  }
}

/** PostgreSQL element types (`text`, `int4`...) of the seed tables' columns, from the catalog. */
async function columnTypes(db: Kysely<Database>): Promise<Map<string, string>> {
  const r = await sql<{ table_name: string; column_name: string; udt_name: string }>`
    select table_name, column_name, udt_name from information_schema.columns
    where table_schema = current_schema() and table_name in (${sql.join([...SEED_TABLES])})`.execute(db);
  return new Map(r.rows.map((c) => [`${c.table_name}.${c.column_name}`, c.udt_name]));
}
