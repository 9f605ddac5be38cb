// Retention of the sync engine's bookkeeping: a counter PC runs for years, and the relay writes a
// sync_deliveries row per platform for every stock move, the engine a sync_activity line per poll or
// reconcile. What is finished and old goes, in small batches (each its own short IMMEDIATE
// transaction, with a pause after it, so a sale waiting on SQLite's write lock gets in between):
//   - sync_activity lines older than activityDays, and beyond the newest activityMaxRows;
//   - sync_deliveries rows settled before the cutoff: done (applied, already applied, superseded,
//     unmapped), or dead whose dead letter a person resolved before the cutoff;
//   - sync_dead_letters a person resolved (retried or dismissed) before the cutoff — who did it
//     stays in audit_log (sync.retry / sync.dismiss).
// Kept whatever their age: pending deliveries (in flight, or waiting for a retry), dead letters
// nobody has resolved and their deliveries, sync_cursors, sku_mapping, orders, reservations, the
// ledger. Also the outbox, delivered or not, on purpose:
//   - the relay reads it in rowid order from a saved position and relies on rows never being deleted
//     (relay-store.ts): a table without INTEGER PRIMARY KEY gives a new row max(rowid)+1, so deleting
//     the newest rows would hand their numbers to the next stock moves, which the relay, already past
//     them, would never send;
//   - 同步记录 (activity.ts) reads each delivery's quantity from its outbox row;
//   - the outbox is one of the ledger's tables, written only by electron/till/ledger.ts and never
//     deleted (tests/integration/till/structure.test.ts); it grows as stock_moves does, which is kept.
// Nothing here is needed for idempotency: a delivery row is created once, when the relay's cursor
// passes its outbox row, and the cursor only moves forward; the key the platform checks is the
// outbox id, which stays.
import { setTimeout as sleep } from 'node:timers/promises';
import { log } from '../api/log';
import type { TillDb } from '../till/db';

export interface RetentionPolicy {
  /** sync_activity lines older than this go (days). */
  activityDays: number;
  /** At most this many sync_activity lines are kept (the newest). */
  activityMaxRows: number;
  /** Settled deliveries and resolved dead letters older than this go (days). */
  deliveryDays: number;
  /** Rows deleted per transaction. */
  batchSize: number;
  /** Pause after each full batch (ms): longer than SQLite's longest busy-wait step (100 ms), so a waiting sale gets the lock. */
  pauseMs: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = {
  activityDays: 90,
  activityMaxRows: 100_000,
  deliveryDays: 30,
  batchSize: 5_000,
  pauseMs: 120,
};

export interface PruneResult {
  activity: number;
  deliveries: number;
  deadLetters: number;
  /** Transactions run (each at most batchSize rows). */
  batches: number;
}

const DAY = 24 * 3600_000;

/**
 * Deletes the finished and old sync history (see the top of this file); returns the counts. Stops
 * between batches when `signal` is aborted (the worker stopping), with what it did so far.
 */
export async function pruneSyncHistory(db: TillDb, now: number, policy: Partial<RetentionPolicy> = {}, signal?: AbortSignal): Promise<PruneResult> {
  const p = { ...DEFAULT_RETENTION, ...policy };
  if (!(p.batchSize >= 1)) throw new Error('retention: batchSize must be at least 1');
  const c = db.$client;
  const result: PruneResult = { activity: 0, deliveries: 0, deadLetters: 0, batches: 0 };

  /** Runs the DELETE (its subquery LIMITed to one batch) until a batch comes back short. */
  const inBatches = async (sql: string, params: Record<string, number | string>): Promise<number> => {
    const stmt = c.prepare(sql);
    let total = 0;
    while (!signal?.aborted) {
      const n = c.transaction(() => stmt.run({ ...params, batch: p.batchSize }).changes).immediate();
      result.batches++;
      total += n;
      if (n < p.batchSize) break;
      await sleep(p.pauseMs);
    }
    return total;
  };

  const deliveryCutoff = now - p.deliveryDays * DAY;
  // Pending rows have no done_at; a dead row stays while any dead letter of it is open or was resolved
  // after the cutoff (a retry turns the row pending again in the same transaction, so a dead row's
  // letters are all resolved only when the last one was dismissed).
  result.deliveries = await inBatches(
    `DELETE FROM sync_deliveries WHERE rowid IN (
       SELECT d.rowid FROM sync_deliveries d
        WHERE d.done_at < :cutoff
          AND (d.state = 'done' OR (d.state = 'dead' AND NOT EXISTS (
                SELECT 1 FROM sync_dead_letters l
                 WHERE l.outbox_id = d.outbox_id AND l.platform = d.platform AND (l.resolved_at IS NULL OR l.resolved_at >= :cutoff))))
        LIMIT :batch)`,
    { cutoff: deliveryCutoff },
  );
  result.deadLetters = await inBatches(
    `DELETE FROM sync_dead_letters WHERE rowid IN (SELECT rowid FROM sync_dead_letters WHERE resolved_at IS NOT NULL AND resolved_at < :cutoff LIMIT :batch)`,
    { cutoff: deliveryCutoff },
  );
  result.activity = await inBatches(`DELETE FROM sync_activity WHERE rowid IN (SELECT rowid FROM sync_activity WHERE at < :cutoff ORDER BY at, id LIMIT :batch)`, {
    cutoff: now - p.activityDays * DAY,
  });
  // The cap: the newest activityMaxRows stay; the line just past them and everything older goes (lines
  // written meanwhile are newer than that line, so they stay).
  const edge = c.prepare(`SELECT at, id FROM sync_activity ORDER BY at DESC, id DESC LIMIT 1 OFFSET ?`).get(p.activityMaxRows) as { at: number; id: string } | undefined;
  if (edge && !signal?.aborted) {
    result.activity += await inBatches(`DELETE FROM sync_activity WHERE rowid IN (SELECT rowid FROM sync_activity WHERE (at, id) <= (:at, :id) ORDER BY at, id LIMIT :batch)`, {
      at: edge.at,
      id: edge.id,
    });
  }
  return result;
}

export interface RetentionSchedule {
  /** Stops the timer and waits for a run in flight to end (it stops after its current batch). */
  stop(): Promise<void>;
}

/**
 * Runs pruneSyncHistory on the sync worker's connection shortly after start and then once a day,
 * off the checkout's thread; logs the counts. A failure is logged and tried again the next day.
 */
export function scheduleRetention(
  db: TillDb,
  opts: { now?: () => number; firstAfterMs?: number; everyMs?: number; policy?: Partial<RetentionPolicy> } = {},
): RetentionSchedule {
  const now = opts.now ?? Date.now;
  const abort = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  const run = () => {
    running = pruneSyncHistory(db, now(), opts.policy, abort.signal)
      .then(
        (r) => log.info('sync retention', { activity: r.activity, deliveries: r.deliveries, deadLetters: r.deadLetters, batches: r.batches }),
        (e: unknown) => log.warn('sync retention failed', { error: e instanceof Error ? e.message : String(e) }),
      )
      .finally(() => {
        running = null;
        if (!abort.signal.aborted) arm(opts.everyMs ?? DAY);
      });
  };
  const arm = (ms: number) => {
    timer = setTimeout(run, ms);
    timer.unref();
  };
  arm(opts.firstAfterMs ?? 5 * 60_000);
  return {
    async stop() {
      abort.abort();
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
