// The audit log: who did what and when. Each row is hashed with the previous row's hash, so an edited
// or deleted row breaks the chain (verifyAuditChain finds it).
import Database from 'better-sqlite3';
import { asc, desc, gt, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { createHash } from 'node:crypto';
import type { TillDb } from './db';
import { arg, prepared } from './prepared';
import * as schema from './schema';
import { auditLog } from './schema';

export interface AuditEntry {
  userId: string | null;
  approverId?: string | null;
  action: string;
  target?: string | null;
  details?: unknown;
}

const GENESIS = '0'.repeat(64);

function rowHash(prev: string, at: number, e: AuditEntry): string {
  const body = JSON.stringify([at, e.userId, e.approverId ?? null, e.action, e.target ?? null, e.details ?? null]);
  return createHash('sha256').update(prev).update(body).digest('hex');
}

/** The till's drizzle instance, or one over a bare connection (callers that hold only `till.sqlite`). */
const wrapped = new WeakMap<Database.Database, TillDb>();
function dbOf(conn: TillDb | Database.Database): TillDb {
  if (!(conn instanceof Database)) return conn;
  let db = wrapped.get(conn);
  if (!db) {
    db = drizzle(conn, { schema });
    wrapped.set(conn, db);
  }
  return db;
}

const q = prepared((db) => ({
  last: db.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1).prepare(),
  add: db
    .insert(auditLog)
    .values({
      at: arg('at'),
      userId: arg('userId'),
      approverId: arg('approverId'),
      action: arg('action'),
      target: arg('target'),
      details: sql`${arg('details')}`, // JSON text or NULL, as given (drizzle would store null as 'null')
      prevHash: arg('prevHash'),
      hash: arg('hash'),
    })
    .prepare(),
}));

/** Appends one row. Call inside the transaction of the change it records. */
export function audit(conn: TillDb | Database.Database, e: AuditEntry, at = Date.now()): void {
  const s = q(dbOf(conn));
  const prev = s.last.get()?.hash ?? GENESIS;
  s.add.run({
    at,
    userId: e.userId,
    approverId: e.approverId ?? null,
    action: e.action,
    target: e.target ?? null,
    details: e.details === undefined ? null : JSON.stringify(e.details),
    prevHash: prev,
    hash: rowHash(prev, at, e),
  });
}

/** Returns the seq of the first row whose hash does not match, or null when the chain is whole. */
export function verifyAuditChain(conn: TillDb | Database.Database): number | null {
  const page = dbOf(conn).select().from(auditLog).where(gt(auditLog.seq, arg('after'))).orderBy(asc(auditLog.seq)).limit(1000).prepare();
  let prev = GENESIS;
  for (let after = 0; ; ) {
    const rows = page.all({ after }); // in pages: the log grows for years
    if (!rows.length) return null;
    for (const r of rows) {
      if (r.prevHash !== prev || r.hash !== rowHash(prev, r.at, r)) return r.seq;
      prev = r.hash;
    }
    after = rows[rows.length - 1].seq;
  }
}
