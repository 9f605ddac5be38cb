// Retention of the sync bookkeeping (electron/sync/retention.ts) on a real till file with both shop
// fakes: finished and old rows go, in batches; what is pending, an open dead letter, the outbox,
// cursors and mappings stay whatever their age; a drain after a prune sends every pending move once
// and nothing already sent again.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { recordActivity } from '../../../electron/sync/activity';
import { pruneSyncHistory, scheduleRetention } from '../../../electron/sync/retention';
import { syncRig, stockTable, type SyncRig } from './harness';

const DAY = 24 * 3600_000;

let rig: SyncRig | null = null;
afterEach(async () => {
  vi.useRealTimers();
  await rig?.close();
  rig = null;
});

const all = <T>(r: SyncRig, sql: string, ...params: unknown[]) => r.t.till.sqlite.prepare(sql).all(...params) as T[];
const one = <T>(r: SyncRig, sql: string, ...params: unknown[]) => r.t.till.sqlite.prepare(sql).get(...params) as T;
const deliveries = (r: SyncRig, outboxId: string) =>
  all<{ platform: string; state: string }>(r, `SELECT platform, state FROM sync_deliveries WHERE outbox_id = ? ORDER BY platform`, outboxId);
const activity = (r: SyncRig, summary: string, at: number) => recordActivity(r.t.till.db, { platform: 'youzan', kind: 'poll', ok: true, summary }, at);
const activitySummaries = (r: SyncRig) => all<{ summary: string }>(r, `SELECT summary FROM sync_activity ORDER BY at, id`).map((x) => x.summary);
const snapshot = (r: SyncRig, table: string) => all<unknown>(r, `SELECT * FROM ${table} ORDER BY 1, 2`);

describe('sync retention', () => {
  it('removes settled deliveries, resolved dead letters and activity past their age; keeps pending, open dead letters, the outbox, cursors and mappings', async () => {
    rig = await syncRig({ policy: { maxAttempts: 50 } });
    const r = rig;
    await r.drain(); // the first start's absolute pushes: done deliveries
    const [a, b, c] = r.skus;
    const t0 = r.clock.now;

    const delivered = r.move(a.skuId, -1);
    await r.drain();
    // Doudian refuses three decrements of b (its stock is lower than the till thinks): three dead letters.
    r.doudian.setStock(b.doudian.productId, b.doudian.skuId, 1);
    const deadOpen = r.move(b.skuId, -3);
    const deadDismissedOld = r.move(b.skuId, -3);
    const deadDismissedLate = r.move(b.skuId, -3);
    await r.drain();
    const letter = (outboxId: string) => r.engine.deadLetters().find((d) => d.outboxId === outboxId)!;
    expect(r.engine.deadLetters().map((d) => d.outboxId).sort()).toEqual([deadOpen, deadDismissedOld, deadDismissedLate].sort());
    expect(r.engine.dismissDeadLetter(letter(deadDismissedOld).id, 'owner')).toBe(true);
    // Doudian fails from here on: c's move is pending there (tried once, waiting for its retry).
    r.doudian.setScenario({ op: 'syncStock', fault: 'server_error', times: 0 });
    const pendingOld = r.move(c.skuId, -1);
    await r.engine.tick();
    expect(deliveries(r, pendingOld)).toEqual([
      { platform: 'doudian', state: 'pending' },
      { platform: 'youzan', state: 'done' },
    ]);
    activity(r, 'old', t0 - 40 * DAY);
    activity(r, 'recent', t0 + 35 * DAY);

    // 40 days on: the late dismissal, and a move Youzan takes now.
    r.clock.now = t0 + 40 * DAY;
    expect(r.engine.dismissDeadLetter(letter(deadDismissedLate).id, 'owner')).toBe(true);
    const deliveredNew = r.move(a.skuId, -2);
    await r.engine.tick();
    expect(deliveries(r, deliveredNew)).toEqual([
      { platform: 'doudian', state: 'pending' },
      { platform: 'youzan', state: 'done' },
    ]);

    const cutoff = r.clock.now - 30 * DAY;
    const oldSettled = one<{ n: number }>(
      r,
      `SELECT count(*) AS n FROM sync_deliveries WHERE done_at < ? AND (state = 'done' OR outbox_id = ?)`,
      cutoff,
      deadDismissedOld,
    ).n;
    expect(oldSettled).toBeGreaterThan(10); // absolute pushes, increments, Youzan's figures of b
    const outboxBefore = snapshot(r, 'outbox');
    const cursorsBefore = snapshot(r, 'sync_cursors');
    const mappingBefore = snapshot(r, 'sku_mapping');
    const ledgerBefore = snapshot(r, 'stock_moves');

    const res = await pruneSyncHistory(r.t.till.db, r.clock.now, { activityDays: 90, deliveryDays: 30, pauseMs: 0 });
    expect(res).toMatchObject({ deliveries: oldSettled, deadLetters: 1, activity: 0 });

    // Gone: every delivery settled before the cutoff, and the dead letter dismissed before it.
    expect(one(r, `SELECT count(*) AS n FROM sync_deliveries WHERE state = 'done' AND done_at < ?`, cutoff)).toEqual({ n: 0 });
    expect(deliveries(r, delivered)).toEqual([]);
    expect(deliveries(r, deadDismissedOld)).toEqual([]);
    expect(one(r, `SELECT count(*) AS n FROM sync_dead_letters WHERE outbox_id = ?`, deadDismissedOld)).toEqual({ n: 0 });
    // Kept: the open dead letter and its delivery, the late dismissal's, what is pending (whatever its age), what settled since.
    expect(r.engine.deadLetters().map((d) => d.outboxId)).toEqual([deadOpen]);
    expect(deliveries(r, deadOpen)).toEqual([{ platform: 'doudian', state: 'dead' }]); // Youzan's absolute figure for it went
    expect(deliveries(r, deadDismissedLate)).toEqual([{ platform: 'doudian', state: 'dead' }]);
    expect(one(r, `SELECT resolution FROM sync_dead_letters WHERE outbox_id = ?`, deadDismissedLate)).toEqual({ resolution: 'dismissed' });
    expect(deliveries(r, pendingOld)).toEqual([{ platform: 'doudian', state: 'pending' }]);
    expect(deliveries(r, deliveredNew)).toEqual([
      { platform: 'doudian', state: 'pending' },
      { platform: 'youzan', state: 'done' },
    ]);
    // Untouched: the outbox (delivered rows included: see retention.ts), cursors, mappings, the ledger.
    expect(snapshot(r, 'outbox')).toEqual(outboxBefore);
    expect(snapshot(r, 'sync_cursors')).toEqual(cursorsBefore);
    expect(snapshot(r, 'sku_mapping')).toEqual(mappingBefore);
    expect(snapshot(r, 'stock_moves')).toEqual(ledgerBefore);

    // A second run finds nothing more; the 80-day-old activity line goes once it is past 90 days.
    expect(await pruneSyncHistory(r.t.till.db, r.clock.now, { pauseMs: 0 })).toMatchObject({ deliveries: 0, deadLetters: 0, activity: 0 });
    expect(activitySummaries(r)).toEqual(['old', 'recent']);
    expect(await pruneSyncHistory(r.t.till.db, t0 + 60 * DAY, { pauseMs: 0 })).toMatchObject({ activity: 1 });
    expect(activitySummaries(r)).toEqual(['recent']);

    // Doudian back: the drain after the prune sends each pending move once; nothing sent before is sent again.
    const appliedBefore = new Map([...r.doudian.applied].map(([k, v]) => [k, { ...v }]));
    r.doudian.setScenario([]);
    r.doudian.setStock(b.doudian.productId, b.doudian.skuId, 100);
    expect(r.engine.retryDeadLetter(letter(deadOpen).id, 'owner')).toBe(true);
    await r.drain();
    expect(r.doudian.applied.get(pendingOld)).toMatchObject({ applied: 1, repeats: 0 });
    expect(r.doudian.applied.get(deliveredNew)).toMatchObject({ applied: 1, repeats: 0 });
    expect(r.doudian.applied.get(deadOpen)).toMatchObject({ applied: 1, repeats: 0 });
    expect(r.doudian.getStock(b.doudian.productId, b.doudian.skuId)).toBe(97);
    for (const [key, before] of appliedBefore) expect(r.doudian.applied.get(key), key).toEqual(before);
    expect([...r.doudian.applied.keys()].filter((k) => !appliedBefore.has(k)).sort()).toEqual([pendingOld, deliveredNew, deadOpen].sort());
    for (const row of stockTable(r).filter((x) => x.skuId !== b.skuId)) expect(row).toEqual({ skuId: row.skuId, ledger: row.ledger, doudian: row.ledger, youzan: row.ledger });
  });

  it('keeps at most the newest activityMaxRows activity lines (ties on time ordered by id)', async () => {
    rig = await syncRig({ skuCount: 1 });
    const r = rig;
    const now = r.clock.now;
    // 30 lines over 10 distinct times, three to a time: the cap's edge falls inside a time.
    for (let i = 0; i < 30; i++) activity(r, `line ${i}`, now - 1000 + Math.floor(i / 3));
    const newest = all<{ summary: string }>(r, `SELECT summary FROM sync_activity ORDER BY at DESC, id DESC LIMIT 10`).map((x) => x.summary);
    const res = await pruneSyncHistory(r.t.till.db, now, { activityMaxRows: 10, batchSize: 4, pauseMs: 0 });
    expect(res.activity).toBe(20);
    expect(all<{ summary: string }>(r, `SELECT summary FROM sync_activity ORDER BY at DESC, id DESC`).map((x) => x.summary)).toEqual(newest);
    // At the cap already: nothing more goes.
    expect((await pruneSyncHistory(r.t.till.db, now, { activityMaxRows: 10, pauseMs: 0 })).activity).toBe(0);
  });

  it('a run over more rows than one batch removes all of them, one bounded transaction at a time', async () => {
    rig = await syncRig({ skuCount: 1 });
    const r = rig;
    const now = r.clock.now;
    const old = now - 31 * DAY;
    const db = r.t.till.sqlite;
    db.prepare(`DELETE FROM sync_deliveries`).run();
    const ins = db.prepare(`INSERT INTO sync_deliveries (outbox_id, platform, outbox_seq, sku_id, state, done_at, outcome) VALUES (?, 'doudian', ?, ?, ?, ?, ?)`);
    db.transaction(() => {
      for (let i = 0; i < 2_503; i++) ins.run(`old-${i}`, i, r.skus[0].skuId, 'done', old, 'applied');
      for (let i = 0; i < 7; i++) ins.run(`pending-${i}`, 10_000 + i, r.skus[0].skuId, 'pending', null, null);
      for (let i = 0; i < 1_201; i++) recordActivity(r.t.till.db, { platform: 'doudian', kind: 'poll', ok: true, summary: `a${i}` }, now - 100 * DAY);
    })();
    const res = await pruneSyncHistory(r.t.till.db, now, { batchSize: 500, pauseMs: 0 });
    expect(res).toMatchObject({ deliveries: 2_503, activity: 1_201, deadLetters: 0 });
    // 2,503 deliveries: 5 full batches and one of 3; dead letters: one empty; 1,201 lines: 2 full and one of 201.
    expect(res.batches).toBe(6 + 1 + 3);
    expect(all<{ outbox_id: string }>(r, `SELECT outbox_id FROM sync_deliveries ORDER BY outbox_seq`).map((x) => x.outbox_id)).toEqual(
      Array.from({ length: 7 }, (_, i) => `pending-${i}`),
    );
    expect(one(r, `SELECT count(*) AS n FROM sync_activity`)).toEqual({ n: 0 });
  });

  it('the daily schedule runs shortly after start and stops cleanly', async () => {
    rig = await syncRig({ skuCount: 1 });
    const r = rig;
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    activity(r, 'old', r.clock.now - 100 * DAY);
    const s = scheduleRetention(r.t.till.db, { now: () => r.clock.now, firstAfterMs: 60_000, policy: { pauseMs: 0 } });
    await vi.advanceTimersByTimeAsync(59_000);
    expect(activitySummaries(r)).toEqual(['old']); // not yet
    await vi.advanceTimersByTimeAsync(1_000);
    expect(activitySummaries(r)).toEqual([]);
    activity(r, 'old again', r.clock.now - 100 * DAY);
    await vi.advanceTimersByTimeAsync(DAY);
    expect(activitySummaries(r)).toEqual([]); // the next day's run
    await s.stop();
    activity(r, 'after stop', r.clock.now - 100 * DAY);
    await vi.advanceTimersByTimeAsync(2 * DAY);
    expect(activitySummaries(r)).toEqual(['after stop']);
  });
});
