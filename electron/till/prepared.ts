// Drizzle queries prepared once per connection. A module lists its queries as
//   const q = prepared((db) => ({ byId: db.select().from(t).where(eq(t.id, arg('id'))).prepare() }));
// and runs them with q(till.db).byId.get({ id }): typed by schema.ts, and neither the SQL text nor the
// SQLite statement is built again per call (a plain drizzle query does both every time).
import type Database from 'better-sqlite3';
import { is, Param, Placeholder, sql } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { TillDb } from './db';

export function prepared<T>(build: (db: TillDb) => T): (db: TillDb) => T {
  const cache = new WeakMap<TillDb, T>();
  return (db) => {
    let q = cache.get(db);
    if (q === undefined) {
      q = build(db);
      cache.set(db, q);
    }
    return q;
  };
}

/** A named placeholder, filled when the prepared query runs. */
export const arg = <N extends string>(name: N) => sql.placeholder(name);

/**
 * `.limit(LIMIT_1)` writes LIMIT 1 into the SQL. drizzle binds `.limit(1)` as `LIMIT ?`, and SQLite
 * then cannot keep only the first row while it sorts: the open-shift lookup (ORDER BY opened_at)
 * took 55 µs instead of 19 µs. Needed where ORDER BY sorts; a LIMIT over an index order is as fast bound.
 */
export const LIMIT_1 = sql`1` as unknown as number;

/** A placeholder where drizzle's types take SQL but not a placeholder (update .set(), conditions). */
export const argSql = <T = unknown>(name: string) => sql<T>`${sql.placeholder(name)}`;

/**
 * An INSERT of `keys` into `table` that drizzle writes once from schema.ts (column names, defaults
 * for the other columns, encoders) and better-sqlite3 runs with the row's values laid out by
 * position. For the pay commit: drizzle's own prepared run sends each value through
 * fillPlaceholders and is(), ~0.5 µs a bound value, some 150 µs for a 10-line sale's 31 ledger rows.
 * Measured on a stock-move insert (medians of 60 × 1,000, loaded 2-core machine): drizzle-prepared
 * 45–85 % slower than the raw statement in 4 runs (8.5 → 12.3 µs at best); this way 8–24 % in 2.
 */
export function inserter<T extends SQLiteTable, K extends keyof T['$inferInsert'] & string>(
  db: TillDb,
  table: T,
  keys: readonly K[],
): (row: { [P in K]-?: Exclude<T['$inferInsert'][P], undefined> }) => Database.RunResult {
  const values = Object.fromEntries(keys.map((k) => [k, sql.placeholder(k)]));
  const query = db.insert(table).values(values as never).toSQL();
  const stmt = db.$client.prepare(query.sql);
  // Each bound value: the row's key (through its column's encoder: JSON, booleans) or a default.
  const layout = query.params.map((p): ((row: Record<K, unknown>) => unknown) => {
    if (is(p, Param) && is(p.value, Placeholder)) {
      const key = p.value.name as K;
      return (row) => (row[key] === null ? null : p.encoder.mapToDriverValue(row[key]));
    }
    return () => p;
  });
  return (row) => stmt.run(...layout.map((value) => value(row)));
}
