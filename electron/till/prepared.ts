// Drizzle queries prepared once per connection. A module lists its queries as
//   const q = prepared((db) => ({ byId: db.select().from(t).where(eq(t.id, arg('id'))).prepare() }));
// and runs them with q(till.db).byId.get({ id }): typed by schema.ts, and neither the SQL text nor the
// SQLite statement is built again per call (a plain drizzle query does both every time).
import { sql } from 'drizzle-orm';
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
