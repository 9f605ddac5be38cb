// Upgrading a shop's database: a file made by the first migration alone, with rows in every table,
// opened by the current app (all later migrations applied at start-up) keeps every row and every value.
// Rows are generated from the tables' own metadata (columns, foreign keys), so a table added to the
// first migration is covered without touching this test.
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Till } from '../../../electron/till/till';
import { repoRoot } from '../../support/till-host';

const ROWS = 5;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A migrations folder holding only the first migration, as the first release shipped it. */
function firstMigrationOnly(): string {
  const src = join(repoRoot, 'migrations');
  const dst = mkdtempSync(join(tmpdir(), 'till-mig0-'));
  dirs.push(dst);
  const journal = JSON.parse(readFileSync(join(src, 'meta', '_journal.json'), 'utf8'));
  const first = journal.entries[0];
  mkdirSync(join(dst, 'meta'));
  cpSync(join(src, `${first.tag}.sql`), join(dst, `${first.tag}.sql`));
  writeFileSync(join(dst, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: [first] }));
  return dst;
}

interface Column {
  name: string;
  type: string;
  pk: number;
}
interface ForeignKey {
  table: string;
  from: string;
  to: string;
}

const tablesOf = (db: Database.Database) =>
  (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_\\_%' ESCAPE '\\' AND sql NOT LIKE 'CREATE VIRTUAL%'`).all() as { name: string }[])
    .map((t) => t.name)
    .filter((n) => !/_(data|idx|content|docsize|config)$/.test(n)); // FTS shadow tables

/** Tables ordered so that every table comes after the tables its foreign keys point to. */
function fkOrder(db: Database.Database, tables: string[]): string[] {
  const out: string[] = [];
  const visit = (t: string, seen: Set<string>) => {
    if (out.includes(t) || seen.has(t)) return;
    seen.add(t);
    for (const fk of db.pragma(`foreign_key_list(${t})`) as ForeignKey[]) if (fk.table !== t) visit(fk.table, seen);
    out.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return out;
}

/** ROWS rows per table; a foreign key takes the referenced row's value, other columns a value of their type. */
function fill(db: Database.Database): void {
  const keys = new Map<string, unknown[]>(); // "table.column" → values inserted, by row
  db.transaction(() => {
    for (const t of fkOrder(db, tablesOf(db))) {
      const cols = db.pragma(`table_info(${t})`) as Column[];
      const fks = db.pragma(`foreign_key_list(${t})`) as ForeignKey[];
      const insert = db.prepare(`INSERT INTO "${t}" (${cols.map((c) => `"${c.name}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
      for (let i = 0; i < ROWS; i++) {
        const values = cols.map((c) => {
          const fk = fks.find((f) => f.from === c.name);
          if (fk) return keys.get(`${fk.table}.${fk.to}`)?.[i] ?? null;
          if (/INT/i.test(c.type)) return c.pk && c.type.toUpperCase() === 'INTEGER' ? i + 1 : 1000 * i + c.name.length;
          if (t === 'settings' && c.name === 'value') return JSON.stringify(`值 ${i}`); // settings hold JSON
          return `${t}·${c.name}·${i}·中文`;
        });
        insert.run(...values);
        cols.forEach((c, k) => keys.set(`${t}.${c.name}`, [...(keys.get(`${t}.${c.name}`) ?? []), values[k]]));
      }
    }
  })();
}

function snapshot(db: Database.Database, tables: string[], columnsOf: Map<string, string[]>): Record<string, unknown[]> {
  return Object.fromEntries(
    tables.map((t) => [t, db.prepare(`SELECT ${columnsOf.get(t)!.map((c) => `"${c}"`).join(', ')} FROM "${t}" ORDER BY rowid`).all()]),
  );
}

describe('database upgrade from the first release', () => {
  it('a database made by migration 0000 with rows in every table keeps every row when the current app opens it', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'till-upgrade-'));
    dirs.push(dataDir);
    const file = join(dataDir, 'till.db');
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    old.pragma('foreign_keys = ON');
    migrate(drizzle(old), { migrationsFolder: firstMigrationOnly(), migrationsTable: '__drizzle_migrations' });
    fill(old);
    const tables = tablesOf(old);
    const columnsOf = new Map(tables.map((t) => [t, (old.pragma(`table_info(${t})`) as Column[]).map((c) => c.name)]));
    const before = snapshot(old, tables, columnsOf);
    expect(tables.length).toBeGreaterThanOrEqual(15);
    for (const t of tables) expect(before[t], t).toHaveLength(ROWS);
    expect(old.pragma('foreign_key_check')).toEqual([]);
    old.close();

    const till = new Till({ dataDir, seedDemo: false });
    try {
      const journal = JSON.parse(readFileSync(join(repoRoot, 'migrations', 'meta', '_journal.json'), 'utf8'));
      const applied = till.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number };
      expect(applied.n).toBe(journal.entries.length); // every later migration ran
      const after = snapshot(till.sqlite, tables, columnsOf);
      // No old row changes or goes; later migrations may only add reference rows after them (0020: the 店员 role).
      for (const t of tables) expect(after[t].slice(0, before[t].length), t).toEqual(before[t]);
      const added = Object.fromEntries(tables.filter((t) => after[t].length > before[t].length).map((t) => [t, after[t].slice(before[t].length)]));
      expect(added).toEqual({ roles: [{ id: 'staff', name_en: 'Staff', name_zh: '店员', rank: 0 }] });
      expect(till.sqlite.pragma('foreign_key_check')).toEqual([]);
      expect(till.sqlite.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    } finally {
      till.close();
    }
  });
});
