// An open online order whose lines change (the buyer or the shop edits a quantity before shipping,
// removes a line, a line is partly refunded, a SKU link is fixed) keeps a matching reservation: the
// platform sends the order again with the new lines, orders.ts stores the newer copy and applyOrder
// brings the holds in line. Sequences through storeOrders / handOver on a real till database.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { OnlineOrder, OnlineOrderStatus } from '../../../electron/sync/connector';
import { getOrder } from '../../../electron/sync/inbox';
import { linkSku } from '../../../electron/sync/mapping';
import { storeOrders } from '../../../electron/sync/orders';
import { applyOrder, handOver, orderRow, resolveReview } from '../../../electron/sync/reservations';
import { tempTill, type TempTill } from '../../support/temp-till';

let open: TempTill[] = [];
afterEach(() => {
  open.forEach((t) => t.cleanup());
  open = [];
});

interface Rig {
  t: TempTill;
  skus: { id: string; name: string; stock: number }[];
  sql: TempTill['till']['sqlite'];
  /** Stores a copy of order T1 (updatedAt must grow for a newer copy). */
  copy(lines: { i: number; qty: number }[], updatedAt: number, status?: OnlineOrderStatus, oid?: string): void;
  id(oid?: string): string;
  sku(i: number): { stock: number; reserved: number };
  events(oid?: string): string[];
}

/** A till with four piece SKUs; the first three linked on Youzan as item0..item2, the fourth not linked. */
function rig(): Rig {
  const t = tempTill();
  open.push(t);
  const sql = t.till.sqlite;
  const now = t.till.now();
  const skus = (sql.prepare(`SELECT s.id, s.name, s.stock_qty AS stock FROM skus s JOIN units u ON u.id = s.unit_id WHERE u.weighed = 0 AND s.stock_qty >= 10000 ORDER BY s.code LIMIT 4`).all() as { id: string; name: string; stock: number }[]);
  expect(skus).toHaveLength(4);
  skus.slice(0, 3).forEach((s, i) => linkSku(t.till.db, { skuId: s.id, platform: 'youzan', itemId: `item${i}`, platformSkuId: `sku${i}`, matchedBy: 'manual' }, now));
  const r: Rig = {
    t,
    skus,
    sql,
    copy(lines, updatedAt, status = 'paid', oid = 'T1') {
      const o: OnlineOrder = {
        platformOrderId: oid, status, platformStatus: status, deliveryType: 'self_pickup', payAmountFen: 0, createdAt: 0, updatedAt,
        lines: lines.map((l) => ({ itemId: `item${l.i}`, platformSkuId: `sku${l.i}`, outSkuId: null, qty: l.qty })),
      };
      storeOrders(t.till.db, 'youzan', [o], now + updatedAt, now + updatedAt);
    },
    id: (oid = 'T1') => sql.prepare(`SELECT id FROM online_orders WHERE platform_order_id = ?`).pluck().get(oid) as string,
    sku: (i) => sql.prepare(`SELECT stock_qty AS stock, reserved_qty AS reserved FROM skus WHERE id = ?`).get(skus[i].id) as { stock: number; reserved: number },
    events: (oid = 'T1') => sql.prepare(`SELECT text FROM online_order_events WHERE order_id = ? ORDER BY at, rowid`).pluck().all(r.id(oid)) as string[],
  };
  return r;
}

/** Every SKU's reserved figure equals the open parts of its reservations; nothing is negative. */
function expectConsistent(r: Rig): void {
  const bad = r.sql
    .prepare(
      `SELECT s.id, s.reserved_qty AS cache, coalesce((SELECT sum(qty - handed_qty - released_qty) FROM online_reservations WHERE sku_id = s.id), 0) AS open FROM skus s
       WHERE s.reserved_qty != coalesce((SELECT sum(qty - handed_qty - released_qty) FROM online_reservations WHERE sku_id = s.id), 0) OR s.reserved_qty < 0`,
    )
    .all();
  expect(bad).toEqual([]);
  expect(r.sql.prepare(`SELECT count(*) FROM online_reservations WHERE qty - handed_qty - released_qty < 0 OR handed_qty < 0 OR released_qty < 0 OR oversold_qty < 0`).pluck().get()).toBe(0);
}

/** Everything applyOrder may write, to compare before and after a replay. */
const snapshot = (r: Rig) => ({
  skus: r.sql.prepare(`SELECT id, stock_qty, reserved_qty FROM skus ORDER BY id`).all(),
  rows: r.sql.prepare(`SELECT * FROM online_reservations ORDER BY id`).all(),
  orders: r.sql.prepare(`SELECT id, status, lines, sync_state, oversold, review FROM online_orders ORDER BY id`).all(),
  events: r.sql.prepare(`SELECT count(*) FROM online_order_events`).pluck().get(),
  moves: r.sql.prepare(`SELECT count(*) FROM stock_moves`).pluck().get(),
  deliveries: r.sql.prepare(`SELECT count(*) FROM sync_deliveries`).pluck().get(),
});

/** applyOrder again with the stored order (as a repeated poll would) writes nothing. */
function expectReplayChangesNothing(r: Rig): void {
  const before = snapshot(r);
  const row = orderRow(r.t.till.db, r.id())!;
  expect(r.sql.transaction(() => applyOrder(r.t.till.db, row, r.t.till.now()).figureChanged)()).toEqual([]);
  expect(snapshot(r)).toEqual(before);
}

const queuedFor = (r: Rig, skuId: string) => r.sql.prepare(`SELECT count(*) FROM sync_deliveries WHERE sku_id = ?`).pluck().get(skuId) as number;

describe('an open order whose lines change', () => {
  it('a quantity cut releases the difference', () => {
    const r = rig();
    r.copy([{ i: 0, qty: 3 }], 10);
    expect(r.sku(0).reserved).toBe(3000);
    const pushes = queuedFor(r, r.skus[0].id);
    r.copy([{ i: 0, qty: 1 }], 20);
    expect(r.sku(0)).toEqual({ stock: r.skus[0].stock, reserved: 1000 });
    expect(r.events()).toContain(`改单：释放占用 2 件（${r.skus[0].name}）`);
    expect(queuedFor(r, r.skus[0].id)).toBeGreaterThan(pushes); // the platforms are told
    expect(getOrder(r.t.till.db, r.id()).lines[0]).toMatchObject({ qty: 1, reservedQty: 1, releasedQty: 2 });
    expectConsistent(r);
  });

  it('a quantity raised reserves the difference, oversold when the counter had too little left', () => {
    const r = rig();
    const stock = r.skus[0].stock / 1000;
    r.copy([{ i: 0, qty: 2 }], 10);
    r.copy([{ i: 0, qty: 4 }], 20);
    expect(r.sku(0).reserved).toBe(4000);
    expect(r.events()).toContain(`改单：加占 2 件（${r.skus[0].name}）`);
    expect(r.sql.prepare(`SELECT oversold FROM online_orders`).pluck().get()).toBe(0);
    // Into oversold: ask for one more than the shop has in all.
    r.copy([{ i: 0, qty: stock + 1 }], 30);
    expect(r.sku(0).reserved).toBe((stock + 1) * 1000);
    expect(r.sql.prepare(`SELECT oversold FROM online_orders`).pluck().get()).toBe(1);
    expect(r.sql.prepare(`SELECT oversold_qty FROM online_reservations`).pluck().get()).toBe(1000);
    expect(r.events().some((e) => e.startsWith('超卖：') && e.includes('差 1 件'))).toBe(true);
    expect(getOrder(r.t.till.db, r.id()).lines[0].oversoldQty).toBe(1);
    expectConsistent(r);
  });

  it('a line removed gives its hold back', () => {
    const r = rig();
    r.copy([{ i: 0, qty: 2 }, { i: 1, qty: 3 }], 10);
    r.copy([{ i: 0, qty: 2 }], 20);
    expect(r.sku(0).reserved).toBe(2000);
    expect(r.sku(1).reserved).toBe(0);
    expect(r.events()).toContain(`改单：释放占用 3 件（${r.skus[1].name}）`);
    expect(getOrder(r.t.till.db, r.id()).lines).toHaveLength(1);
    expectConsistent(r);
  });

  it('the first of two lines removed: the other line keeps its own hold (no shift by position)', () => {
    const r = rig();
    r.copy([{ i: 0, qty: 2 }, { i: 1, qty: 3 }], 10);
    r.copy([{ i: 1, qty: 3 }], 20);
    expect(r.sku(0).reserved).toBe(0);
    expect(r.sku(1).reserved).toBe(3000);
    const detail = getOrder(r.t.till.db, r.id());
    expect(detail.lines).toHaveLength(1);
    expect(detail.lines[0]).toMatchObject({ skuId: r.skus[1].id, reservedQty: 3 });
    // Line 0 is now item1: handing it over moves item1's SKU.
    handOver(r.t.till.db, { id: r.id(), lines: [{ lineNo: 0, qty: 3 }], key: 'hand-1-xxxxxxxx', userId: null, now: r.t.till.now(), businessDay: '2026-11-30' });
    expect(r.sku(1)).toEqual({ stock: r.skus[1].stock - 3000, reserved: 0 });
    expect(r.sku(0)).toEqual({ stock: r.skus[0].stock, reserved: 0 });
    expectConsistent(r);
  });

  it('a fixed SKU link releases the old SKU and reserves the new one', () => {
    const r = rig();
    r.copy([{ i: 0, qty: 2 }, { i: 1, qty: 1 }], 10);
    expect(r.sku(0).reserved).toBe(2000);
    // item0 was linked to the wrong local SKU: the link now goes to the fourth SKU.
    r.sql.prepare(`DELETE FROM sku_mapping WHERE sku_id = ? AND platform = 'youzan'`).run(r.skus[0].id);
    linkSku(r.t.till.db, { skuId: r.skus[3].id, platform: 'youzan', itemId: 'item0', platformSkuId: 'sku0', matchedBy: 'manual' }, r.t.till.now());
    const pushes = queuedFor(r, r.skus[3].id);
    r.copy([{ i: 0, qty: 2 }, { i: 1, qty: 1 }], 20);
    expect(r.sku(0).reserved).toBe(0);
    expect(r.sku(3).reserved).toBe(2000);
    expect(r.sku(1).reserved).toBe(1000);
    expect(queuedFor(r, r.skus[3].id)).toBeGreaterThan(pushes);
    const detail = getOrder(r.t.till.db, r.id());
    expect(detail.lines[0]).toMatchObject({ skuId: r.skus[3].id, reservedQty: 2 });
    expect(detail.lines[1]).toMatchObject({ skuId: r.skus[1].id, reservedQty: 1 });
    expectReplayChangesNothing(r);
    // A hand-over of line 0 now moves the new SKU.
    handOver(r.t.till.db, { id: r.id(), lines: [{ lineNo: 0, qty: 2 }], key: 'hand-2-xxxxxxxx', userId: null, now: r.t.till.now(), businessDay: '2026-11-30' });
    expect(r.sku(3)).toEqual({ stock: r.skus[3].stock - 2000, reserved: 0 });
    expect(r.sku(0)).toEqual({ stock: r.skus[0].stock, reserved: 0 });
    expectConsistent(r);
  });

  it('a line cut below what was already handed over holds nothing more and waits for a person', () => {
    const r = rig();
    r.copy([{ i: 0, qty: 3 }, { i: 1, qty: 2 }], 10);
    handOver(r.t.till.db, { id: r.id(), lines: [{ lineNo: 0, qty: 2 }, { lineNo: 1, qty: 1 }], key: 'hand-3-xxxxxxxx', userId: null, now: r.t.till.now(), businessDay: '2026-11-30' });
    r.copy([{ i: 0, qty: 1 }, { i: 1, qty: 2 }], 20);
    expect(r.sku(0)).toEqual({ stock: r.skus[0].stock - 2000, reserved: 0 });
    expect(r.sku(1)).toEqual({ stock: r.skus[1].stock - 1000, reserved: 1000 });
    const o = r.sql.prepare(`SELECT review, sync_state FROM online_orders`).get();
    expect(o).toEqual({ review: 'pending', sync_state: 'needs_review' });
    expect(r.events().some((e) => e.includes('已交付 2 件') && e.includes('改单'))).toBe(true);
    expectConsistent(r);
    expectReplayChangesNothing(r);
    // The person returns the one piece too many: only the excess of the cut line comes back.
    resolveReview(r.t.till.db, r.id(), true, null, r.t.till.now(), '2026-11-30');
    expect(r.sku(0)).toEqual({ stock: r.skus[0].stock - 1000, reserved: 0 });
    expect(r.sku(1)).toEqual({ stock: r.skus[1].stock - 1000, reserved: 1000 });
    expectConsistent(r);
  });

  it('the same edited order applied again changes nothing; a late older copy is dropped', () => {
    const r = rig();
    r.copy([{ i: 0, qty: 2 }, { i: 1, qty: 3 }], 10);
    r.copy([{ i: 1, qty: 1 }, { i: 2, qty: 2 }], 20);
    expect([r.sku(0).reserved, r.sku(1).reserved, r.sku(2).reserved]).toEqual([0, 1000, 2000]);
    const before = snapshot(r);
    // The same copy again (orders.ts: not newer → not applied), and applyOrder itself again.
    r.copy([{ i: 1, qty: 1 }, { i: 2, qty: 2 }], 20);
    expect(snapshot(r)).toEqual(before);
    expectReplayChangesNothing(r);
    // A late older copy (the first one) is dropped by orders.ts.
    r.copy([{ i: 0, qty: 2 }, { i: 1, qty: 3 }], 15);
    expect(snapshot(r)).toEqual(before);
    expectConsistent(r);
  });
});

// ---------------------------------------------------------------------------------------------
// Model: random edits, SKU link fixes, hand-overs, shipping and cancelling of one order.

type Cmd =
  | { k: 'set'; item: number; qty: number } // add the line or change its quantity (0 removes it)
  | { k: 'hand'; line: number; qty: number }
  | { k: 'relink' } // item0's link moves between the first and the fourth SKU (seen at the next copy)
  | { k: 'replay' }
  | { k: 'status'; status: 'shipped' | 'cancelled' | 'paid' };

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { arbitrary: fc.record({ k: fc.constant('set' as const), item: fc.integer({ min: 0, max: 2 }), qty: fc.integer({ min: 0, max: 5 }) }), weight: 5 },
  { arbitrary: fc.record({ k: fc.constant('hand' as const), line: fc.integer({ min: 0, max: 2 }), qty: fc.integer({ min: 1, max: 3 }) }), weight: 3 },
  { arbitrary: fc.constant({ k: 'relink' as const }), weight: 1 },
  { arbitrary: fc.constant({ k: 'replay' as const }), weight: 1 },
  { arbitrary: fc.record({ k: fc.constant('status' as const), status: fc.constantFrom('shipped' as const, 'cancelled' as const, 'paid' as const) }), weight: 1 },
);

describe('an edited order against a model', () => {
  it('after every step: reserved equals the open parts, nothing negative, every stock move once', () => {
    fc.assert(
      fc.property(fc.array(cmd, { minLength: 1, maxLength: 30 }), (cmds) => {
        const r = rig();
        // The model. SKU s belongs to item s (s < 3); the fourth SKU to item0 while item0 is linked to it.
        // Per SKU: what its row for the line handed over, and what it holds (the line's quantity if the
        // SKU is the line's SKU as last applied, else nothing; never below what left).
        let lines: { item: number; qty: number }[] = [{ item: 0, qty: 2 }];
        let status: OnlineOrderStatus = 'paid';
        let at = 10;
        const handed = [0, 0, 0, 0];
        const held = [2, 0, 0, 0];
        let link0 = 0; // item0's SKU now
        let applied0 = 0; // item0's SKU as of the last applied copy
        let review = false;
        let finished = false; // shipped or cancelled: later copies do not change the holds
        const itemOf = (sku: number) => (sku === 3 ? 0 : sku);
        const skuOf = (item: number, link = applied0) => (item === 0 ? link : item);
        r.copy(lines.map((l) => ({ i: l.item, qty: l.qty })), at);
        let keyNo = 0;
        for (const c of cmds) {
          if (c.k === 'set') {
            if (finished) continue; // a shipped or cancelled order's lines no longer move stock
            const i = lines.findIndex((l) => l.item === c.item);
            if (i >= 0) lines = c.qty === 0 ? lines.filter((_, j) => j !== i) : lines.map((l, j) => (j === i ? { ...l, qty: c.qty } : l));
            else if (c.qty > 0) lines = [...lines, { item: c.item, qty: c.qty }];
            r.copy(lines.map((l) => ({ i: l.item, qty: l.qty })), (at += 10), status);
            applied0 = link0;
            for (let s = 0; s < 4; s++) {
              const line = lines.find((l) => l.item === itemOf(s));
              const want = line && skuOf(line.item) === s ? line.qty : 0;
              if (want < handed[s]) review = true; // less asked than already left: a person decides
              held[s] = Math.max(0, want - handed[s]);
            }
          } else if (c.k === 'relink') {
            // Fix item0's link: off its SKU, onto the other one (copies from now on carry the new SKU).
            const from = link0;
            link0 = link0 === 0 ? 3 : 0;
            r.sql.prepare(`DELETE FROM sku_mapping WHERE sku_id = ? AND platform = 'youzan'`).run(r.skus[from].id);
            linkSku(r.t.till.db, { skuId: r.skus[link0].id, platform: 'youzan', itemId: 'item0', platformSkuId: 'sku0', matchedBy: 'manual' }, r.t.till.now());
          } else if (c.k === 'hand') {
            const l = lines[c.line];
            let refused = false;
            try {
              handOver(r.t.till.db, { id: r.id(), lines: [{ lineNo: c.line, qty: c.qty }], key: `key-${keyNo++}-xxxxxxxx`, userId: null, now: r.t.till.now(), businessDay: '2026-11-30' });
            } catch {
              refused = true;
            }
            const s = l === undefined ? -1 : skuOf(l.item);
            const ok = status !== 'cancelled' && s >= 0 && held[s] >= c.qty;
            expect(refused).toBe(!ok);
            if (ok) {
              handed[s] += c.qty;
              held[s] -= c.qty;
            }
          } else if (c.k === 'replay') {
            r.copy(lines.map((l) => ({ i: l.item, qty: l.qty })), at, status); // not newer: dropped
            const row = orderRow(r.t.till.db, r.id())!;
            r.sql.transaction(() => applyOrder(r.t.till.db, row, r.t.till.now()))();
          } else {
            if (finished) continue;
            status = c.status;
            r.copy(lines.map((l) => ({ i: l.item, qty: l.qty })), (at += 10), status);
            if (status === 'shipped') {
              for (let s = 0; s < 4; s++) (handed[s] += held[s]), (held[s] = 0);
              finished = true;
            } else if (status === 'cancelled') {
              for (let s = 0; s < 4; s++) held[s] = 0;
              if (handed.some((h) => h > 0)) review = true;
              finished = true;
            } else {
              // A newer copy with nothing else changed: a link fixed since is seen now.
              applied0 = link0;
              for (let s = 0; s < 4; s++) {
                const line = lines.find((l) => l.item === itemOf(s));
                const want = line && skuOf(line.item) === s ? line.qty : 0;
                if (want < handed[s]) review = true;
                held[s] = Math.max(0, want - handed[s]);
              }
            }
          }
          expectConsistent(r);
          for (let s = 0; s < 4; s++) {
            expect(r.sku(s)).toEqual({ stock: r.skus[s].stock - handed[s] * 1000, reserved: held[s] * 1000 });
          }
          expect(r.sql.prepare(`SELECT review FROM online_orders`).pluck().get() === 'pending').toBe(review);
          // The ledger: stock equals the start plus its moves, and each move's id is written once.
          const moves = r.sql.prepare(`SELECT sku_id AS sku, sum(qty_delta) AS d, count(*) AS n, count(DISTINCT id) AS u FROM stock_moves WHERE reason = 'online_order' GROUP BY sku_id`).all() as { sku: string; d: number; n: number; u: number }[];
          for (const m of moves) expect(m.n).toBe(m.u);
          for (let s = 0; s < 4; s++) expect(0 - (moves.find((m) => m.sku === r.skus[s].id)?.d ?? 0)).toBe(handed[s] * 1000);
        }
        r.t.cleanup();
        open.pop();
      }),
      { numRuns: Number(process.env.RESERVATION_RUNS ?? 30), seed: Number(process.env.RESERVATION_SEED ?? 20261130) },
    );
  });
});
