// Opening the till's SQLite file: pragmas, migrations, and the "newer than this app" guard.
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { TillError } from '../../shared/errors';
import { resolveResource } from './paths';
import * as schema from './schema';

/** The till's drizzle instance (typed by schema.ts); `$client` is its better-sqlite3 connection. */
export type TillDb = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
export interface OpenedDb {
  sqlite: Database.Database;
  db: TillDb;
  close(): void;
}

const MIGRATIONS_TABLE = '__drizzle_migrations';

/**
 * Under Electron, better-sqlite3 must be built for Electron's ABI; that build lives in
 * native/electron/ (scripts/build-electron-native.mjs) so node_modules stays the plain-Node build that
 * `npm test` uses. See README, "Native modules".
 */
export function nativeBinding(): string | undefined {
  if (process.env.TILL_SQLITE_BINDING) return process.env.TILL_SQLITE_BINDING;
  if (!process.versions.electron) return undefined;
  try {
    return resolveResource(join('native', 'electron', 'better_sqlite3.node'));
  } catch {
    return undefined; // a dev machine that rebuilt node_modules for Electron instead
  }
}

function newestKnownMigration(migrationsFolder: string): number {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
    entries: { when: number }[];
  };
  return Math.max(...journal.entries.map((e) => e.when));
}

/**
 * Refuses a database written by a newer version of the app. Read-only, so nothing in the file changes
 * when we refuse.
 */
function assertNotNewer(file: string, migrationsFolder: string): void {
  if (!existsSync(file)) return;
  const ro = new Database(file, { readonly: true, fileMustExist: true, nativeBinding: nativeBinding() });
  try {
    const hasTable = ro
      .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`)
      .get(MIGRATIONS_TABLE);
    if (!hasTable) return;
    const row = ro.prepare(`SELECT max(created_at) AS newest FROM ${MIGRATIONS_TABLE}`).get() as {
      newest: number | null;
    };
    if (row.newest !== null && Number(row.newest) > newestKnownMigration(migrationsFolder)) {
      throw new TillError(
        'DB_TOO_NEW',
        '数据库由更新版本的收银软件创建，本版本无法打开。请升级软件后再试；数据未做任何改动。',
        { file },
      );
    }
  } finally {
    ro.close();
  }
}

export function applyPragmas(sqlite: Database.Database): void {
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL'); // the till: an acknowledged sale survives power loss
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
}

export function openTillDb(file: string, opts: { migrationsFolder?: string } = {}): OpenedDb {
  const migrationsFolder = opts.migrationsFolder ?? resolveResource('migrations');
  mkdirSync(dirname(file), { recursive: true });
  assertNotNewer(file, migrationsFolder);
  const sqlite = new Database(file, { nativeBinding: nativeBinding() });
  try {
    applyPragmas(sqlite);
    const db = drizzle(sqlite, { schema });
    migrate(db, { migrationsFolder, migrationsTable: MIGRATIONS_TABLE }); // one transaction
    return { sqlite, db, close: () => sqlite.close() };
  } catch (e) {
    sqlite.close();
    throw e;
  }
}

/** A second, read-only connection for heavy reads off the writer (reports, exports, sync). */
export function openReader(file: string): Database.Database {
  const ro = new Database(file, { readonly: true, fileMustExist: true, nativeBinding: nativeBinding() });
  ro.pragma('busy_timeout = 5000');
  return ro;
}
