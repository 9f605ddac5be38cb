// The sync engine's own connection to the till's file (WAL lets it write beside the till's writer,
// each write a short IMMEDIATE transaction). The till has already migrated the file.
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { applyPragmas, nativeBinding, type TillDb } from '../till/db';
import * as schema from '../till/schema';

export function openSyncDb(file: string): { db: TillDb; close(): void } {
  const sqlite = new Database(file, { fileMustExist: true, nativeBinding: nativeBinding() });
  applyPragmas(sqlite);
  // The relay's bookkeeping need not wait for the disk: a power cut can only take back a 'sent' mark,
  // and the delivery is then sent again with the same idempotency key (or its figure pushed again).
  sqlite.pragma('synchronous = NORMAL');
  const db = drizzle(sqlite, { schema }) as TillDb;
  return { db, close: () => sqlite.close() };
}
