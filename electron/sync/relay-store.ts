// The relay's rows in SQLite. The outbox is read in commit order (its rowid: one writer, rows never
// deleted) from a saved position; each stock.changed row is fanned out to one sync_deliveries row per
// platform its SKU is mapped on, the outbox row's id being the idempotency key. A row is marked sent
// once every delivery of it is settled (done or dead-lettered). Other topics (order.created,
// order.refunded) are left for their consumers. Raw SQL here: rowid and set-based updates, which
// drizzle's query builder cannot say.
import { newId } from '../../shared/ids';
import type { OutboxPayloads } from '../till/ledger';
import type { TillDb } from '../till/db';
import type Database from 'better-sqlite3';

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();
/** A statement compiled once per connection: the relay runs these for every delivery. */
export function prep(db: TillDb, sql: string): Database.Statement {
  let m = statements.get(db.$client);
  if (!m) statements.set(db.$client, (m = new Map()));
  let st = m.get(sql);
  if (!st) m.set(sql, (st = db.$client.prepare(sql)));
  return st;
}

export const RELAY_POSITION = 'relay.outbox_seq';
/** Delivery ids of queued absolute pushes (a new mapping, a reconcile): no outbox row behind them. */
export const ABSOLUTE_PREFIX = 'absolute:';

export interface DueDelivery {
  outboxId: string;
  platform: string;
  outboxSeq: number;
  skuId: string;
  attempts: number;
  /** The stock move's delta in thousandths; null for a queued absolute push. */
  qtyDelta: number | null;
}

export function getCursor(db: TillDb, name: string): number | null {
  const row = prep(db, `SELECT value FROM sync_cursors WHERE name = ?`).get(name) as { value: number } | undefined;
  return row ? row.value : null;
}

export function setCursor(db: TillDb, name: string, value: number, now: number): void {
  prep(db, `INSERT INTO sync_cursors (name, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`)
    .run(name, value, now);
}

const maxSeq = (db: TillDb): number => (prep(db, `SELECT coalesce(max(rowid), 0) AS s FROM outbox`).get() as { s: number }).s;

/**
 * The first start: the relay begins at the end of the outbox (history is not replayed as increments)
 * and every mapped SKU gets an absolute push instead. Returns true when it did so.
 */
export function initRelay(db: TillDb, platforms: readonly string[], now: number): boolean {
  return db.$client
    .transaction(() => {
      if (getCursor(db, RELAY_POSITION) !== null) return false;
      const start = maxSeq(db);
      setCursor(db, RELAY_POSITION, start, now);
      // The moves so far are covered by the absolute pushes: they count as told.
      prep(db, `UPDATE outbox SET sent_at = ? WHERE rowid <= ? AND topic = 'stock.changed' AND sent_at IS NULL`).run(now, start);
      for (const p of platforms) enqueueAbsoluteAll(db, p, now);
      return true;
    })
    .immediate();
}

/**
 * Fans out up to `limit` outbox rows after the saved position; returns how many it read. Small
 * batches: each holds the write lock a sale may be waiting for.
 */
export function fanOut(db: TillDb, platforms: readonly string[], now: number, limit = 100): number {
  // A plain read first: an idle round never takes the write lock the till's sales need.
  if (maxSeq(db) <= (getCursor(db, RELAY_POSITION) ?? 0)) return 0;
  return db.$client.transaction(() => fanOutInTx(db, platforms, now, limit)).immediate();
}

function fanOutInTx(db: TillDb, platforms: readonly string[], now: number, limit: number): number {
  const from = getCursor(db, RELAY_POSITION) ?? 0;
  const rows = prep(db, `SELECT rowid AS seq, id, topic, payload FROM outbox WHERE rowid > ? ORDER BY rowid LIMIT ?`).all(from, limit) as {
    seq: number;
    id: string;
    topic: string;
    payload: string;
  }[];
  if (rows.length === 0) return 0;
  const mapped = prep(db, `SELECT platform FROM sku_mapping WHERE sku_id = ?`);
  const insert = prep(db, `INSERT OR IGNORE INTO sync_deliveries (outbox_id, platform, outbox_seq, sku_id) VALUES (?, ?, ?, ?)`);
  const sent = prep(db, `UPDATE outbox SET sent_at = ? WHERE id = ? AND sent_at IS NULL`);
  for (const r of rows) {
    if (r.topic !== 'stock.changed') continue;
    const { skuId } = JSON.parse(r.payload) as OutboxPayloads['stock.changed'];
    const targets = (mapped.all(skuId) as { platform: string }[]).filter((m) => platforms.includes(m.platform));
    for (const t of targets) insert.run(r.id, t.platform, r.seq, skuId);
    if (targets.length === 0) sent.run(now, r.id); // mapped nowhere: nothing to tell anyone
  }
  setCursor(db, RELAY_POSITION, rows[rows.length - 1].seq, now);
  return rows.length;
}

export function enqueueAbsolute(db: TillDb, platform: string, skuId: string, now: number): void {
  void now;
  prep(db, `INSERT INTO sync_deliveries (outbox_id, platform, outbox_seq, sku_id) VALUES (?, ?, ?, ?)`).run(`${ABSOLUTE_PREFIX}${newId()}`, platform, maxSeq(db), skuId);
}

/** A reconcile: an absolute push queued for every SKU mapped on the platform. */
export function enqueueAbsoluteAll(db: TillDb, platform: string, now: number): number {
  const skus = prep(db, `SELECT sku_id FROM sku_mapping WHERE platform = ?`).all(platform) as { sku_id: string }[];
  for (const s of skus) enqueueAbsolute(db, platform, s.sku_id, now);
  return skus.length;
}

/** The platform's next delivery that may be tried now, oldest first. */
export function nextDue(db: TillDb, platform: string, now: number, after: { seq: number; outboxId: string } | null = null): DueDelivery | null {
  const row = prep(
    db,
    `SELECT d.outbox_id, d.platform, d.outbox_seq, d.sku_id, d.attempts, o.payload
       FROM sync_deliveries d LEFT JOIN outbox o ON o.id = d.outbox_id
       WHERE d.platform = ? AND d.state = 'pending' AND d.next_attempt_at <= ? AND (d.outbox_seq > ? OR (d.outbox_seq = ? AND d.outbox_id > ?))
       ORDER BY d.outbox_seq, d.outbox_id LIMIT 1`,
  ).get(platform, now, after?.seq ?? -1, after?.seq ?? -1, after?.outboxId ?? '') as { outbox_id: string; platform: string; outbox_seq: number; sku_id: string; attempts: number; payload: string | null } | undefined;
  if (!row) return null;
  const qtyDelta = row.payload === null ? null : (JSON.parse(row.payload) as OutboxPayloads['stock.changed']).qtyDelta;
  return { outboxId: row.outbox_id, platform: row.platform, outboxSeq: row.outbox_seq, skuId: row.sku_id, attempts: row.attempts, qtyDelta };
}

/** When the platform's earliest pending delivery falls due (null: nothing pending). */
export function nextDueAt(db: TillDb, platform: string): number | null {
  const row = prep(db, `SELECT min(next_attempt_at) AS t FROM sync_deliveries WHERE platform = ? AND state = 'pending'`).get(platform) as { t: number | null };
  return row.t;
}

export function pendingCount(db: TillDb, platform: string): number {
  return (prep(db, `SELECT count(*) AS n FROM sync_deliveries WHERE platform = ? AND state = 'pending'`).get(platform) as { n: number }).n;
}

/**
 * What an absolute push sends, read in one transaction with the fan-out caught up: every outbox row
 * up to `seq` is in `stockQty`, so pending deliveries of the SKU up to `seq` are covered by it.
 */
export function snapshotAbsolute(db: TillDb, platforms: readonly string[], skuId: string, now: number): { seq: number; stockQty: number } {
  return db.$client
    .transaction(() => {
      while (fanOutInTx(db, platforms, now, 5000) > 0);
      const seq = getCursor(db, RELAY_POSITION) ?? 0;
      const sku = prep(db, `SELECT stock_qty FROM skus WHERE id = ?`).get(skuId) as { stock_qty: number } | undefined;
      return { seq, stockQty: sku?.stock_qty ?? 0 };
    })
    .immediate();
}

function markSent(db: TillDb, outboxIds: string[], now: number): void {
  const stmt = prep(db, 
    `UPDATE outbox SET sent_at = ? WHERE id = ? AND sent_at IS NULL AND NOT EXISTS (SELECT 1 FROM sync_deliveries WHERE outbox_id = ? AND state = 'pending')`,
  );
  for (const id of outboxIds) if (!id.startsWith(ABSOLUTE_PREFIX)) stmt.run(now, id, id);
}

/** A delivery done: applied, already applied (the platform had its key), or unmapped since. */
export function settleDone(db: TillDb, d: { outboxId: string; platform: string }, outcome: string, now: number): void {
  db.$client
    .transaction(() => {
      prep(db, `UPDATE sync_deliveries SET state = 'done', outcome = ?, done_at = ?, attempts = attempts + 1, last_error = NULL WHERE outbox_id = ? AND platform = ?`)
        .run(outcome, now, d.outboxId, d.platform);
      markSent(db, [d.outboxId], now);
    })
    .immediate();
}

/** Several deliveries done, settled in one transaction (the relay holds a few increments back: one write for many). */
export function settleDoneMany(db: TillDb, done: { outboxId: string; platform: string; outcome: string }[], now: number): void {
  if (!done.length) return;
  db.$client
    .transaction(() => {
      const upd = prep(db, `UPDATE sync_deliveries SET state = 'done', outcome = ?, done_at = ?, attempts = attempts + 1, last_error = NULL WHERE outbox_id = ? AND platform = ?`);
      for (const d of done) upd.run(d.outcome, now, d.outboxId, d.platform);
      markSent(
        db,
        done.map((d) => d.outboxId),
        now,
      );
    })
    .immediate();
}

/** An absolute push landed: every pending delivery of the SKU up to `seq` is covered by it. */
export function supersede(db: TillDb, platform: string, skuId: string, seq: number, now: number): number {
  return db.$client
    .transaction(() => {
      const ids = (
        prep(db, `SELECT outbox_id FROM sync_deliveries WHERE platform = ? AND sku_id = ? AND state = 'pending' AND outbox_seq <= ?`).all(platform, skuId, seq) as {
          outbox_id: string;
        }[]
      ).map((r) => r.outbox_id);
      const upd = prep(db, `UPDATE sync_deliveries SET state = 'done', outcome = 'superseded', done_at = ? WHERE outbox_id = ? AND platform = ?`);
      for (const id of ids) upd.run(now, id, platform);
      markSent(db, ids, now);
      return ids.length;
    })
    .immediate();
}

export function reschedule(db: TillDb, d: { outboxId: string; platform: string }, attempts: number, nextAt: number, error: string): void {
  prep(db, `UPDATE sync_deliveries SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE outbox_id = ? AND platform = ? AND state = 'pending'`)
    .run(attempts, nextAt, error, d.outboxId, d.platform);
}

export function deadLetter(db: TillDb, d: { outboxId: string; platform: string; skuId: string }, attempts: number, reason: string, code: string | null, now: number): void {
  db.$client
    .transaction(() => {
      prep(db, `UPDATE sync_deliveries SET state = 'dead', attempts = ?, last_error = ?, done_at = ? WHERE outbox_id = ? AND platform = ?`)
        .run(attempts, reason, now, d.outboxId, d.platform);
      prep(db, `INSERT INTO sync_dead_letters (id, platform, outbox_id, sku_id, reason, error_code, attempts, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(newId(), d.platform, d.outboxId, d.skuId, reason, code, attempts, now);
      markSent(db, [d.outboxId], now);
    })
    .immediate();
}

export interface DeadLetterView {
  id: string;
  platform: string;
  outboxId: string;
  skuId: string | null;
  reason: string;
  errorCode: string | null;
  attempts: number;
  createdAt: number;
}

export function openDeadLetters(db: TillDb): DeadLetterView[] {
  return (
    prep(db, `SELECT id, platform, outbox_id, sku_id, reason, error_code, attempts, created_at FROM sync_dead_letters WHERE resolved_at IS NULL ORDER BY created_at, id`)
      .all() as Record<string, never>[]
  ).map((r) => ({
    id: r.id,
    platform: r.platform,
    outboxId: r.outbox_id,
    skuId: r.sku_id,
    reason: r.reason,
    errorCode: r.error_code,
    attempts: r.attempts,
    createdAt: r.created_at,
  }));
}

/** A person sends a dead letter again: its delivery is pending anew, tried at once, counted from zero. */
export function retryDeadLetter(db: TillDb, id: string, by: string | null, now: number): boolean {
  return db.$client
    .transaction(() => {
      const dl = prep(db, `SELECT outbox_id, platform FROM sync_dead_letters WHERE id = ? AND resolved_at IS NULL`).get(id) as { outbox_id: string; platform: string } | undefined;
      if (!dl) return false;
      prep(db, `UPDATE sync_dead_letters SET resolved_at = ?, resolution = 'retried', resolved_by = ? WHERE id = ?`).run(now, by, id);
      prep(db, `UPDATE sync_deliveries SET state = 'pending', attempts = 0, next_attempt_at = 0, done_at = NULL WHERE outbox_id = ? AND platform = ?`)
        .run(dl.outbox_id, dl.platform);
      prep(db, `UPDATE outbox SET sent_at = NULL WHERE id = ?`).run(dl.outbox_id);
      return true;
    })
    .immediate();
}

export function dismissDeadLetter(db: TillDb, id: string, by: string | null, now: number): boolean {
  return prep(db, `UPDATE sync_dead_letters SET resolved_at = ?, resolution = 'dismissed', resolved_by = ? WHERE id = ? AND resolved_at IS NULL`).run(now, by, id).changes === 1;
}
