// Order polling from both fakes: incremental by update time with an overlap window, each platform
// order stored once (a later update replaces it, an older copy is ignored), lines tied to local SKUs.
import { afterEach, describe, expect, it } from 'vitest';
import { SyncEngine } from '../../../electron/sync/engine';
import { storeOrders } from '../../../electron/sync/orders';
import { openSyncDb } from '../../../electron/sync/db';
import { syncRig, type SyncRig } from './harness';

let rig: SyncRig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

const orders = (r: SyncRig) =>
  r.t.till.sqlite.prepare(`SELECT platform, platform_order_id AS id, status, platform_status AS ps, delivery_type AS dt, pay_amount_fen AS fen, lines FROM online_orders ORDER BY platform, platform_created_at, platform_order_id`).all() as {
    platform: string;
    id: string;
    status: string;
    ps: string;
    dt: string;
    fen: number;
    lines: string;
  }[];

describe('order polling', () => {
  it('two polls with overlapping windows store each order once, with its newest status', async () => {
    rig = await syncRig({ policy: { pollEveryMs: 60_000, overlapMs: 10 * 60_000 } });
    const [a, b] = rig.skus;
    await rig.drain();
    const d1 = rig.doudian.placeOrder([{ productId: a.doudian.productId, skuId: a.doudian.skuId, num: 2 }], 1990);
    const y1 = rig.youzan.placeOrder([{ itemId: b.youzan.itemId, skuId: b.youzan.skuId, num: 1 }], { payment: '12.50', expressType: 1 });
    rig.youzan.setStock('999', null, 5);
    const y2 = rig.youzan.placeOrder([{ itemId: '999', skuId: null, num: 1 }], { payment: '3' }); // an item the till has not linked
    rig.clock.now += 60_000;
    let r = await rig.engine.tick();
    expect(r.polled.doudian).toMatchObject({ fetched: 1, inserted: 1, updated: 0 });
    expect(r.polled.youzan).toMatchObject({ fetched: 2, inserted: 2, updated: 0 });

    rig.clock.now += 60_000;
    rig.doudian.setOrderStatus(d1.orderId, 3); // shipped
    const d2 = rig.doudian.placeOrder([{ productId: b.doudian.productId, skuId: b.doudian.skuId, num: 1 }], 500);
    rig.clock.now += 1_000;
    r = await rig.engine.tick();
    // The window reaches back 10 minutes, so the first order comes again: updated, not doubled.
    expect(r.polled.doudian).toMatchObject({ fetched: 2, inserted: 1, updated: 1 });
    expect(r.polled.youzan).toMatchObject({ fetched: 2, inserted: 0, updated: 0 });
    expect(r.polled.doudian!.window.sinceMs).toBeLessThan(rig.clock.now - 60_000);

    const rows = orders(rig);
    expect(rows.filter((o) => o.platform === 'doudian').map((o) => [o.id, o.status, o.ps, o.fen])).toEqual([
      [d1.orderId, 'shipped', '3', 1990],
      [d2.orderId, 'paid', '2', 500],
    ]);
    expect(d1.orderId).toMatch(/^\d{19}$/); // 19 digits kept exact end to end
    expect(JSON.parse(rows.find((o) => o.id === d1.orderId)!.lines)).toEqual([
      { itemId: a.doudian.productId, platformSkuId: a.doudian.skuId, outSkuId: null, qty: 2, skuId: a.skuId },
    ]);
    const y = rows.find((o) => o.id === y1.tid)!;
    expect([y.status, y.dt, y.fen]).toEqual(['paid', 'self_pickup', 1250]);
    expect(JSON.parse(y.lines)[0]).toMatchObject({ itemId: b.youzan.itemId, qty: 1, skuId: b.skuId });
    // An order for an unlinked item is kept (to be shown and linked), its line without a local SKU.
    expect(JSON.parse(rows.find((o) => o.id === y2.tid)!.lines)).toEqual([{ itemId: '999', platformSkuId: null, outSkuId: null, qty: 1, skuId: null }]);
    expect(rows.find((o) => o.id === y2.tid)!.fen).toBe(300);
    expect(rows).toHaveLength(4);
  });

  it('an older copy of an order arriving late changes nothing; the cursor never moves back', async () => {
    rig = await syncRig();
    const db = rig.t.till.db;
    const base = { platformOrderId: '3700000000000000001', platformStatus: '2', deliveryType: 'express' as const, payAmountFen: 100, createdAt: 1_000, lines: [] };
    storeOrders(db, 'doudian', [{ ...base, status: 'shipped', platformStatus: '3', updatedAt: 5_000 }], rig.clock.now, 9_000);
    expect(storeOrders(db, 'doudian', [{ ...base, status: 'paid', updatedAt: 4_000 }], rig.clock.now, 8_000)).toEqual({ inserted: 0, updated: 0 });
    expect(orders(rig).map((o) => o.status)).toEqual(['shipped']);
    expect(rig.t.till.sqlite.prepare(`SELECT value FROM sync_cursors WHERE name = 'orders.doudian'`).get()).toEqual({ value: 9_000 });
  });

  it('one sync agent per shop: a second engine waits while the lease is held, and takes over when it lapses', async () => {
    rig = await syncRig({ policy: { leaseMs: 30_000 } });
    await rig.engine.tick();
    const other = openSyncDb(rig.t.till.dbFile);
    try {
      const second = new SyncEngine({ db: other.db, holder: 'till-2', now: () => rig!.clock.now, connectors: [] });
      expect((await second.tick()).leased).toBe(false);
      rig.clock.now += 30_001;
      expect((await second.tick()).leased).toBe(true);
      expect((await rig.engine.tick()).leased).toBe(false);
      await second.stop(); // gives the lease up at once
      expect((await rig.engine.tick()).leased).toBe(true);
    } finally {
      other.close();
    }
  });
});
