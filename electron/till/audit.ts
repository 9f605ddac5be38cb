// The audit log: who did what and when. Each row is hashed with the previous row's hash, so an edited
// or deleted row breaks the chain (verifyAuditChain finds it).
import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';

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

/** Appends one row. Call inside the transaction of the change it records. */
export function audit(sqlite: Database.Database, e: AuditEntry, at = Date.now()): void {
  const last = sqlite.prepare('SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
    | { hash: string }
    | undefined;
  const prev = last?.hash ?? GENESIS;
  sqlite
    .prepare(
      `INSERT INTO audit_log (at, user_id, approver_id, action, target, details, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      at,
      e.userId,
      e.approverId ?? null,
      e.action,
      e.target ?? null,
      e.details === undefined ? null : JSON.stringify(e.details),
      prev,
      rowHash(prev, at, e),
    );
}

/** Returns the seq of the first row whose hash does not match, or null when the chain is whole. */
export function verifyAuditChain(sqlite: Database.Database): number | null {
  let prev = GENESIS;
  const rows = sqlite
    .prepare('SELECT seq, at, user_id, approver_id, action, target, details, prev_hash, hash FROM audit_log ORDER BY seq')
    .iterate() as IterableIterator<{
    seq: number;
    at: number;
    user_id: string | null;
    approver_id: string | null;
    action: string;
    target: string | null;
    details: string | null;
    prev_hash: string;
    hash: string;
  }>;
  for (const r of rows) {
    const details = r.details === null ? null : JSON.parse(r.details);
    const expected = rowHash(prev, r.at, {
      userId: r.user_id,
      approverId: r.approver_id,
      action: r.action,
      target: r.target,
      details,
    });
    if (r.prev_hash !== prev || r.hash !== expected) return r.seq;
    prev = r.hash;
  }
  return null;
}
