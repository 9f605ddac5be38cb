// A seeded random run through the running till (the sync service with its real worker thread, on real
// time) with real worker deaths: counter sales through the API, customers ordering in both fake shops
// (some orders cancelled), faults injected on pushes and order pulls, 立即同步 now and then, and the
// worker killed at random (SyncAgent.kill(): the thread terminated mid-whatever, the service starts it
// again). After the backlog drains, every platform shows the figure sellable.ts says it may sell,
// every online order is in the till exactly once, and no increment was applied twice (the fake
// counts). Seed and size from the env: WORKER_SEED, WORKER_OPS (printed on failure).
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../../../electron/sync/backoff';
import { platformSellable } from '../../../electron/sync/sellable';
import { demoBarcode } from '../../../electron/till/seed';
import { apiRig, until, type ApiRig } from './api-rig';

let rig: ApiRig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

const SKUS = [
  { barcode: demoBarcode(1), yz: { itemId: '100001', skuId: '200001' }, dd: { productId: '3589000000000000010', skuId: '1789000000000000010' } },
  { barcode: demoBarcode(2), yz: { itemId: '100002', skuId: '200002' }, dd: { productId: '3589000000000000011', skuId: '1789000000000000011' } },
];

describe('seeded random run with real worker kills', () => {
  it('ends with every platform at its sellable figure, every order once, no increment twice', async () => {
    const seed = Number(process.env.WORKER_SEED ?? 20261130);
    const ops = Number(process.env.WORKER_OPS ?? 80);
    const rnd = seededRandom(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    rig = await apiRig({ seed });
    const r = rig;
    const counts = { sales: 0, youzanOrders: 0, doudianOrders: 0, cancels: 0, faults: 0, kills: 0, syncNows: 0, refusedOrders: 0 };
    try {
      for (const s of SKUS) {
        r.youzan.setStock(s.yz.itemId, s.yz.skuId, 999);
        r.doudian.setStock(s.dd.productId, s.dd.skuId, 999);
      }
      await r.enableBoth();
      await r.tt.loginAs('manager');
      const skuIds = SKUS.map((s) => r.skuOf(s.barcode));
      for (const [i, s] of SKUS.entries()) {
        await r.call('sync.mapping.link', { skuId: skuIds[i], platform: 'youzan', itemId: s.yz.itemId, platformSkuId: s.yz.skuId });
        await r.call('sync.mapping.link', { skuId: skuIds[i], platform: 'doudian', itemId: s.dd.productId, platformSkuId: s.dd.skuId });
      }
      await r.tt.loginAs('cashier');
      await r.call('shift.open', { openingCashFen: 50_000 });
      const doudianOpen: string[] = [];
      const faults = ['drop', 'server_error', 'rate_limited', 'timeout', 'token_expired', 'malformed'] as const;

      for (let step = 0; step < ops; step++) {
        const roll = rnd();
        const s = pick(SKUS);
        if (roll < 0.4) {
          await r.call('cart.scan', { code: s.barcode, multiplier: 1 + Math.floor(rnd() * 3) });
          await r.call('sales.pay', { requestId: randomUUID(), payments: [{ method: 'cash', amountFen: 100_000 }] });
          counts.sales++;
        } else if (roll < 0.6) {
          try {
            if (rnd() < 0.5) r.youzan.placeOrder([{ itemId: s.yz.itemId, skuId: s.yz.skuId, num: 1 + Math.floor(rnd() * 2) }], { payment: '3.00' }), counts.youzanOrders++;
            else doudianOpen.push(r.doudian.placeOrder([{ productId: s.dd.productId, skuId: s.dd.skuId, num: 1 + Math.floor(rnd() * 2) }], 300).orderId), counts.doudianOrders++;
          } catch {
            counts.refusedOrders++;
          }
        } else if (roll < 0.66 && doudianOpen.length) {
          r.doudian.setOrderStatus(doudianOpen.splice(Math.floor(rnd() * doudianOpen.length), 1)[0], 4);
          counts.cancels++;
        } else if (roll < 0.74) {
          counts.faults++;
          const apply = rnd() < 0.5;
          if (rnd() < 0.5) r.doudian.setScenario({ op: pick(['syncStock', 'searchList'] as const), fault: pick(faults), apply, delayMs: 300 }, true);
          else r.youzan.setScenario({ op: pick(['quantity', 'trades'] as const), fault: pick(faults), apply, delayMs: 300 }, true);
        } else if (roll < 0.86) {
          // The worker thread dies wherever it is (a call in flight, a write waiting); the service starts it again.
          await new Promise((res) => setTimeout(res, Math.floor(rnd() * 40)));
          await r.sync.currentAgent?.kill();
          counts.kills++;
        } else if (roll < 0.92) {
          await r.call('sync.now').catch(() => undefined); // refused while the thread is down: fine
          counts.syncNows++;
        }
      }

      // No more faults: drain, pulling every platform's orders, until each shows what it may sell.
      r.youzan.setScenario([]);
      r.doudian.setScenario([]);
      const state = async () => {
        await r.call('sync.now').catch(() => undefined);
        const status = await r.call('sync.status');
        const db = r.tt.till.db;
        const off = skuIds.flatMap((id, i) => {
          const yz = r.youzan.getStock(SKUS[i].yz.itemId, SKUS[i].yz.skuId);
          const dd = r.doudian.getStock(SKUS[i].dd.productId, SKUS[i].dd.skuId);
          const want = [platformSellable(db, 'youzan', id), platformSellable(db, 'doudian', id)];
          return yz === want[0] && dd === want[1] ? [] : [{ id, yz, dd, want }];
        });
        const orders = r.tt.till.sqlite.prepare(`SELECT count(*) FROM online_orders`).pluck().get() as number;
        return { backlog: status.backlog, dead: status.deadLetters, off, orders };
      };
      const fakeOrders = () => r.youzan.listTrades().length + r.doudian.listOrders().length;
      await until('the backlog to drain and every platform to match', state, (v) => v.backlog === 0 && v.off.length === 0 && v.orders === fakeOrders(), 60_000);

      const db = r.tt.till.sqlite;
      const tillOrders = db.prepare(`SELECT platform || ':' || platform_order_id AS k, status FROM online_orders`).all() as { k: string; status: string }[];
      const fake = [...r.youzan.listTrades().map((t) => `youzan:${t.tid}`), ...r.doudian.listOrders().map((o) => `doudian:${o.orderId}`)].sort();
      expect(tillOrders.map((o) => o.k).sort()).toEqual(fake); // each once
      const cancelled = new Set(r.doudian.listOrders().filter((o) => o.orderStatus === 4).map((o) => `doudian:${o.orderId}`));
      for (const o of tillOrders) expect(o.status, o.k).toBe(cancelled.has(o.k) ? 'cancelled' : 'paid');
      expect([...r.doudian.applied.values()].every((a) => a.applied === 1)).toBe(true);
      expect(r.doudian.applied.size).toBeGreaterThan(0);
      expect((await r.call('sync.status')).deadLetters).toBe(0);
      console.log(`worker random run seed ${seed}: ${ops} steps ${JSON.stringify(counts)}`);
    } catch (e) {
      throw new Error(`seed ${seed} (rerun with WORKER_SEED=${seed} WORKER_OPS=${ops}): ${(e as Error).message}`);
    }
  }, 180_000);
});
