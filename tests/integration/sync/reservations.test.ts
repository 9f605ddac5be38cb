// Online orders hold stock: sequences through the sync engine (both fakes, simulated clock) and the
// till's API. An order placed in a fake shop (its control endpoint, as a customer) is pulled, reserved,
// lowers the counter's 可售 and every platform's figure once (its own platform is not decremented a
// second time), moves stock exactly once when shipped or picked up, and a replay changes nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { linkSku } from '../../../electron/sync/mapping';
import { storeOrders } from '../../../electron/sync/orders';
import { platformSellable } from '../../../electron/sync/sellable';
import { setCursor } from '../../../electron/sync/relay-store';
import type { OnlineOrder } from '../../../electron/sync/connector';
import { syncRig, type SyncRig } from './harness';

let rig: SyncRig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

const POLL = 60_000;
async function start(): Promise<SyncRig> {
  rig = await syncRig({ policy: { pollEveryMs: POLL, pollBeforePushMs: POLL } });
  await rig.drain();
  return rig;
}

/** Lets a poll fall due and drains. */
async function pollAndDrain(r: SyncRig): Promise<void> {
  r.clock.now += POLL + 1_000;
  await r.engine.tick();
  await r.drain();
}

const q = (r: SyncRig) => r.t.till.sqlite;
const stockOf = (r: SyncRig, skuId: string) => q(r).prepare(`SELECT stock_qty AS s, reserved_qty AS res FROM skus WHERE id = ?`).get(skuId) as { s: number; res: number };
const movesOf = (r: SyncRig, ref: string) => q(r).prepare(`SELECT id, qty_delta AS d, reason FROM stock_moves WHERE ref_id = ? ORDER BY id`).all(ref) as { id: string; d: number; reason: string }[];
const orderRowOf = (r: SyncRig, platform: string, oid: string) =>
  q(r).prepare(`SELECT id, status, sync_state, oversold, review FROM online_orders WHERE platform = ? AND platform_order_id = ?`).get(platform, oid) as
    | { id: string; status: string; sync_state: string; oversold: number; review: string | null }
    | undefined;

async function youzanOrder(r: SyncRig, items: { i: number; num: number }[], expressType = 0, buyerPhone?: string): Promise<string> {
  const res = await fetch(`${r.youzan.url}/__admin/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ items: items.map(({ i, num }) => ({ itemId: r.skus[i].youzan.itemId, skuId: r.skus[i].youzan.skuId, num })), payment: '9.90', expressType, buyerPhone, receiverName: buyerPhone ? '王芳' : undefined }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { trade: { tid: string } }).trade.tid;
}

async function doudianOrder(r: SyncRig, i: number, num: number): Promise<string> {
  const res = await fetch(`${r.doudian.url}/__admin/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ items: [{ productId: r.skus[i].doudian.productId, skuId: r.skus[i].doudian.skuId, num }], payAmountFen: 990 }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { order: { orderId: string } }).order.orderId;
}

const fakeStocks = (r: SyncRig, i: number) => ({
  youzan: r.youzan.getStock(r.skus[i].youzan.itemId, r.skus[i].youzan.skuId),
  doudian: r.doudian.getStock(r.skus[i].doudian.productId, r.skus[i].doudian.skuId),
});

describe('online orders hold stock', () => {
  it('an order reserves, lowers 可售 and both platforms once; shipping moves stock once; replays change nothing', async () => {
    const r = await start();
    const sku = r.skus[0].skuId;
    const before = stockOf(r, sku);
    expect(fakeStocks(r, 0)).toEqual({ youzan: 1000, doudian: 1000 });

    const tid = await youzanOrder(r, [{ i: 0, num: 3 }]);
    expect(fakeStocks(r, 0).youzan).toBe(997); // the platform took it itself
    await pollAndDrain(r);

    const row = orderRowOf(r, 'youzan', tid)!;
    expect(row.sync_state).toBe('reserved');
    expect(stockOf(r, sku)).toEqual({ s: before.s, res: 3000 }); // on hand unchanged, 3 held
    // Youzan shows 997 (not 994: its own decrement is not applied twice); Douyin learned of it.
    expect(fakeStocks(r, 0)).toEqual({ youzan: 997, doudian: 997 });

    // The counter's 可售 through the API.
    await r.t.loginAs('cashier');
    const view = await r.t.call('sellable.get', { skuId: sku });
    expect(view.counterSellableQty).toBe(before.s - 3000);
    expect(view.platforms.map((p) => p.sellable)).toEqual([997, 997]);
    const lookup = await r.t.call('orders.get', { id: row.id });
    expect(lookup.lines[0]).toMatchObject({ skuId: sku, qty: 3, reservedQty: 3, handedQty: 0, state: 'reserved' });
    const name = r.t.till.sqlite.prepare('SELECT name FROM skus WHERE id = ?').pluck().get(sku);
    expect(lookup.lines[0].skuName).toBe(name);

    // Shipped: one stock move out, deterministic id, the hold released; nothing pushed (figure unchanged).
    r.clock.now += 2_000;
    r.youzan.setTradeStatus(tid, 'WAIT_BUYER_CONFIRM_GOODS');
    const doudianUpdates = r.doudian.requests().length;
    await pollAndDrain(r);
    const moves = movesOf(r, `youzan:${tid}`);
    expect(moves).toEqual([{ id: `youzan:${tid}:0:out`, d: -3000, reason: 'online_order' }]);
    expect(stockOf(r, sku)).toEqual({ s: before.s - 3000, res: 0 });
    expect(orderRowOf(r, 'youzan', tid)!.sync_state).toBe('fulfilled');
    expect(fakeStocks(r, 0)).toEqual({ youzan: 997, doudian: 997 });
    expect(r.doudian.requests().slice(doudianUpdates).some((x) => /syncStock/.test(JSON.stringify(x)))).toBe(false);

    // Done, then a replay of the whole window (cursor moved back): nothing moves twice.
    r.clock.now += 2_000;
    r.youzan.setTradeStatus(tid, 'TRADE_SUCCESS');
    await pollAndDrain(r);
    setCursor(r.t.till.db, 'orders.youzan', r.clock.now - 3_600_000, r.clock.now);
    await pollAndDrain(r);
    const orders = r.youzan.listTrades().map((t) => ({ platformOrderId: t.tid, status: 'done' as const, platformStatus: 'TRADE_SUCCESS', deliveryType: 'express' as const, payAmountFen: 990, createdAt: t.created, updatedAt: t.updated + 5_000, lines: t.items.map((it) => ({ itemId: it.itemId, platformSkuId: it.skuId, outSkuId: null, qty: it.num })) }));
    storeOrders(r.t.till.db, 'youzan', orders as OnlineOrder[], r.clock.now, r.clock.now); // a newer copy, same state
    expect(movesOf(r, `youzan:${tid}`)).toHaveLength(1);
    expect(stockOf(r, sku)).toEqual({ s: before.s - 3000, res: 0 });
    expect(q(r).prepare(`SELECT count(*) AS n FROM online_orders WHERE platform_order_id = ?`).get(tid)).toEqual({ n: 1 });
  });

  it('a Douyin order cancelled releases its hold: both platforms get the stock back, no move is written', async () => {
    const r = await start();
    const sku = r.skus[1].skuId;
    const before = stockOf(r, sku);
    const oid = await doudianOrder(r, 1, 2);
    expect(fakeStocks(r, 1).doudian).toBe(998);
    await pollAndDrain(r);
    expect(stockOf(r, sku).res).toBe(2000);
    expect(fakeStocks(r, 1)).toEqual({ youzan: 998, doudian: 998 }); // Douyin not 996

    r.clock.now += 2_000;
    r.doudian.setOrderStatus(oid, 4); // cancelled
    await pollAndDrain(r);
    expect(stockOf(r, sku)).toEqual(before);
    expect(movesOf(r, `doudian:${oid}`)).toEqual([]);
    expect(orderRowOf(r, 'doudian', oid)!.sync_state).toBe('released');
    expect(fakeStocks(r, 1)).toEqual({ youzan: 1000, doudian: 1000 });
  });

  it('an order for stock already sold at the counter is marked oversold and shown with the order', async () => {
    const r = await start();
    const sku = r.skus[2].skuId;
    r.move(sku, -(stockOf(r, sku).s / 1000 - 1)); // one left; the platforms not told yet
    const tid = await youzanOrder(r, [{ i: 2, num: 3 }]);
    await pollAndDrain(r);
    const row = orderRowOf(r, 'youzan', tid)!;
    expect(row.oversold).toBe(1);
    await r.t.loginAs('cashier');
    const page = await r.t.call('orders.list', { oversold: true });
    expect(page.items.map((o) => o.platformOrderId)).toEqual([tid]);
    expect(page.items[0].note).toMatch(/超卖/);
    const detail = await r.t.call('orders.get', { id: row.id });
    expect(detail.lines[0]).toMatchObject({ qty: 3, oversoldQty: 2 });
    expect(detail.history.some((h) => /超卖/.test(h.text))).toBe(true);
    expect((await r.t.call('sellable.get', { skuId: sku })).counterSellableQty).toBe(-2000);
    expect(fakeStocks(r, 2)).toEqual({ youzan: 0, doudian: 0 });
  });

  it('out of order: an order first seen shipped moves once; its older paid copy arriving late changes nothing', async () => {
    const r = await start();
    const s = r.skus[0];
    const before = stockOf(r, s.skuId);
    const base = { platformOrderId: 'E2026X1', platformStatus: '', deliveryType: 'express' as const, payAmountFen: 100, createdAt: r.clock.now, lines: [{ itemId: s.youzan.itemId, platformSkuId: s.youzan.skuId, outSkuId: null, qty: 2 }] };
    storeOrders(r.t.till.db, 'youzan', [{ ...base, status: 'shipped', updatedAt: r.clock.now + 5_000 }], r.clock.now, r.clock.now);
    storeOrders(r.t.till.db, 'youzan', [{ ...base, status: 'paid', updatedAt: r.clock.now + 1_000 }], r.clock.now, r.clock.now);
    storeOrders(r.t.till.db, 'youzan', [{ ...base, status: 'shipped', updatedAt: r.clock.now + 5_000 }], r.clock.now, r.clock.now); // duplicate
    expect(movesOf(r, 'youzan:E2026X1')).toEqual([{ id: 'youzan:E2026X1:0:out', d: -2000, reason: 'online_order' }]);
    // Booked on the till's business day (the worker reads the cutoff hour and closed days as Till does).
    expect(q(r).prepare(`SELECT business_day FROM stock_moves WHERE id = ?`).pluck().get('youzan:E2026X1:0:out')).toBe(r.t.till.businessDay(r.clock.now));
    expect(stockOf(r, s.skuId)).toEqual({ s: before.s - 2000, res: 0 });
    expect(orderRowOf(r, 'youzan', 'E2026X1')).toMatchObject({ status: 'shipped', sync_state: 'fulfilled' });
  });

  it('refunded after shipping: nothing returns by itself; the manager decides (audited), and the platforms get it back', async () => {
    const r = await start();
    const s = r.skus[1];
    const before = stockOf(r, s.skuId);
    const tid = await youzanOrder(r, [{ i: 1, num: 2 }]);
    await pollAndDrain(r);
    r.clock.now += 2_000;
    r.youzan.setTradeStatus(tid, 'WAIT_BUYER_CONFIRM_GOODS');
    await pollAndDrain(r);
    r.clock.now += 2_000;
    r.youzan.setTradeStatus(tid, 'TRADE_REFUND');
    await pollAndDrain(r);
    const row = orderRowOf(r, 'youzan', tid)!;
    expect(row).toMatchObject({ sync_state: 'needs_review', review: 'pending' });
    expect(stockOf(r, s.skuId)).toEqual({ s: before.s - 2000, res: 0 }); // not returned automatically
    await r.t.loginAs('cashier');
    const listed = await r.t.call('orders.list', { syncState: 'needs_review' });
    expect(listed.items[0].note).toMatch(/不会自动退回/);
    await expect(r.t.call('orders.resolveReview', { id: row.id, returnStock: true })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await r.t.loginAs('manager');
    const after = await r.t.call('orders.resolveReview', { id: row.id, returnStock: true });
    expect(after.syncState).toBe('released');
    await expect(r.t.call('orders.resolveReview', { id: row.id, returnStock: true })).rejects.toMatchObject({ code: 'ORDER_NO_REVIEW' });
    expect(stockOf(r, s.skuId)).toEqual(before);
    expect(q(r).prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'orders.resolveReview' AND target = ?`).get(row.id)).toEqual({ n: 1 });
    await r.drain();
    // Youzan took 2 when the customer ordered and never gave them back; the till's return pushes 1000.
    expect(fakeStocks(r, 1)).toEqual({ youzan: 1000, doudian: 1000 });
  });

  it('self-pickup handed over in parts by key: a repeated key moves nothing, more than is left is refused, the platform figure never moves', async () => {
    const r = await start();
    const s = r.skus[2];
    const before = stockOf(r, s.skuId);
    const tid = await youzanOrder(r, [{ i: 2, num: 3 }], 1);
    await pollAndDrain(r);
    const id = orderRowOf(r, 'youzan', tid)!.id;
    await r.t.loginAs('cashier');
    const first = await r.t.call('orders.handOver', { id, lines: [{ lineNo: 0, qty: 2 }], key: 'pickup-key-0001' });
    expect(first).toMatchObject({ replay: false, moved: [{ lineNo: 0, qty: 2 }] });
    expect(first.order.syncState).toBe('partly_handed');
    expect(first.order.deliveryType).toBe('self_pickup');
    const again = await r.t.call('orders.handOver', { id, lines: [{ lineNo: 0, qty: 2 }], key: 'pickup-key-0001' });
    expect(again).toMatchObject({ replay: true, moved: [{ lineNo: 0, qty: 2 }] });
    expect(stockOf(r, s.skuId)).toEqual({ s: before.s - 2000, res: 1000 });
    await expect(r.t.call('orders.handOver', { id, lines: [{ lineNo: 0, qty: 2 }], key: 'pickup-key-0002' })).rejects.toMatchObject({ code: 'HANDOVER_TOO_MANY' });
    await expect(r.t.call('orders.handOver', { id, lines: [{ lineNo: 5, qty: 1 }], key: 'pickup-key-0003' })).rejects.toMatchObject({ code: 'HANDOVER_BAD_LINE' });
    await expect(r.t.callRaw('orders.handOver', { id, lines: [{ lineNo: 0, qty: 0 }], key: 'pickup-key-0004' })).rejects.toMatchObject({ message: expect.stringMatching(/至少为 1/) });
    const last = await r.t.call('orders.handOver', { id, lines: [{ lineNo: 0, qty: 1 }], key: 'pickup-key-0005' });
    expect(last.order.syncState).toBe('fulfilled');
    expect(movesOf(r, `youzan:${tid}`).map((m) => m.d)).toEqual([-2000, -1000]);
    // The platform then says picked up: nothing more moves.
    r.clock.now += 2_000;
    r.youzan.setTradeStatus(tid, 'TRADE_SUCCESS');
    await pollAndDrain(r);
    expect(stockOf(r, s.skuId)).toEqual({ s: before.s - 3000, res: 0 });
    expect(movesOf(r, `youzan:${tid}`)).toHaveLength(2);
    expect(fakeStocks(r, 2)).toEqual({ youzan: 997, doudian: 997 });
    // A cancelled order cannot be handed over.
    const tid2 = await youzanOrder(r, [{ i: 2, num: 1 }], 1);
    await pollAndDrain(r);
    r.clock.now += 2_000;
    r.youzan.setTradeStatus(tid2, 'TRADE_CLOSE');
    await pollAndDrain(r);
    await expect(r.t.call('orders.handOver', { id: orderRowOf(r, 'youzan', tid2)!.id, lines: [{ lineNo: 0, qty: 1 }], key: 'pickup-key-0006' })).rejects.toMatchObject({ code: 'ORDER_CANCELLED' });
  });

  it('safety stock and a platform share lower what the platforms may sell (manager only, audited)', async () => {
    const r = await start();
    await r.t.loginAs('cashier');
    await expect(r.t.call('sellable.setSafety', { scope: 'shop', qty: 5 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await r.t.loginAs('manager');
    await r.t.call('sellable.setSafety', { scope: 'shop', qty: 5 });
    await r.t.call('sellable.setSafety', { scope: 'sku', id: r.skus[0].skuId, qty: 10 });
    const settings = await r.t.call('sellable.setShare', { platform: 'doudian', percent: 50 });
    expect(settings).toMatchObject({ shopDefault: 5, shares: [{ platform: 'doudian', percent: 50 }] });
    await expect(r.t.callRaw('sellable.setSafety', { scope: 'shop', qty: -1 })).rejects.toMatchObject({ message: expect.stringMatching(/不能为负/) });
    await r.drain();
    const pieces = (i: number) => stockOf(r, r.skus[i].skuId).s / 1000;
    expect(fakeStocks(r, 0)).toEqual({ youzan: pieces(0) - 10, doudian: Math.floor((pieces(0) - 10) / 2) });
    expect(fakeStocks(r, 1)).toEqual({ youzan: pieces(1) - 5, doudian: Math.floor((pieces(1) - 5) / 2) });
    // A counter sale while a share is set goes to Douyin as the absolute figure, not as an increment.
    r.move(r.skus[1].skuId, -4);
    await r.drain();
    expect(fakeStocks(r, 1)).toEqual({ youzan: pieces(1) - 5, doudian: Math.floor((pieces(1) - 5) / 2) });
    for (const s of r.skus) for (const p of ['youzan', 'doudian'] as const) expect(platformSellable(r.t.till.db, p, s.skuId)).toBe(fakeStocks(r, r.skus.indexOf(s))[p]);
    expect((q(r).prepare(`SELECT count(*) AS n FROM audit_log WHERE action LIKE 'sellable.%'`).get() as { n: number }).n).toBe(3);
  });

  it('an order for a SKU linked to nothing is kept and shown as 商品未关联; once linked, the next poll holds its stock', async () => {
    const r = await start();
    const before = stockOf(r, r.unmappedSkuId);
    r.youzan.setStock('777001', null, 50);
    const tid = r.youzan.placeOrder([{ itemId: '777001', skuId: null, num: 2 }]).tid;
    await pollAndDrain(r);
    const row = orderRowOf(r, 'youzan', tid)!;
    expect(row.sync_state).toBe('unmapped');
    await r.t.loginAs('cashier');
    const shown = await r.t.call('orders.get', { id: row.id });
    expect(shown.note).toMatch(/未关联/);
    expect(shown.lines[0]).toMatchObject({ skuId: null, state: 'unmapped', reservedQty: 0 });
    await expect(r.t.call('orders.handOver', { id: row.id, lines: [{ lineNo: 0, qty: 1 }], key: 'pickup-key-0101' })).rejects.toMatchObject({ code: 'HANDOVER_UNMAPPED' });
    expect(stockOf(r, r.unmappedSkuId)).toEqual(before);
    // A person links it (the mapping screen); the order is reserved on the next poll without any change online.
    linkSku(r.t.till.db, { skuId: r.unmappedSkuId, platform: 'youzan', itemId: '777001', platformSkuId: null, matchedBy: 'manual' }, r.clock.now);
    await pollAndDrain(r);
    expect(orderRowOf(r, 'youzan', tid)!.sync_state).toBe('reserved');
    expect(stockOf(r, r.unmappedSkuId)).toEqual({ s: before.s, res: 2000 });
    expect(r.youzan.getStock('777001', null)).toBe(platformSellable(r.t.till.db, 'youzan', r.unmappedSkuId));
  });

  it('the inbox lists every platform newest first, filters and finds an order by the tail of its number', async () => {
    const r = await start();
    const tid = await youzanOrder(r, [{ i: 0, num: 1 }], 1, '13812345678');
    r.clock.now += 2_000;
    const oid = await doudianOrder(r, 1, 1);
    await pollAndDrain(r);
    await r.t.loginAs('cashier');
    const all = await r.t.call('orders.list', {});
    expect(all.total).toBe(2);
    expect(all.items.map((o) => o.platformOrderId)).toEqual([oid, tid]);
    expect((await r.t.call('orders.list', { platform: 'youzan' })).items.map((o) => o.platformOrderId)).toEqual([tid]);
    expect((await r.t.call('orders.list', { deliveryType: 'self_pickup' })).items.map((o) => o.platformOrderId)).toEqual([tid]);
    expect((await r.t.call('orders.list', { paymentState: 'paid_online', syncState: 'reserved' })).total).toBe(2);
    expect((await r.t.call('orders.list', { q: oid.slice(-6) })).items.map((o) => o.platformOrderId)).toEqual([oid]);
    expect((await r.t.call('orders.list', { q: 'nothing-like-this' })).total).toBe(0);
    // By the buyer's phone, whole or its last 4 digits; a cashier sees it masked, here and in the detail.
    expect((await r.t.call('orders.list', { q: '13812345678' })).items.map((o) => [o.platformOrderId, o.buyerPhone, o.buyerName])).toEqual([[tid, '138****5678', '王芳']]);
    expect((await r.t.call('orders.list', { q: '5678' })).items.map((o) => o.platformOrderId)).toEqual([tid]);
    const tidId = all.items.find((o) => o.platformOrderId === tid)!.id;
    expect((await r.t.call('orders.get', { id: tidId })).buyerPhone).toBe('138****5678');
    // A manager (who may have to call the buyer about a delivery) sees it whole.
    await r.t.loginAs('manager');
    expect((await r.t.call('orders.list', { q: '5678' })).items.map((o) => o.buyerPhone)).toEqual(['13812345678']);
    expect((await r.t.call('orders.get', { id: tidId })).buyerPhone).toBe('13812345678');
    await r.t.loginAs('cashier');
    await expect(r.t.callRaw('orders.list', { status: 'lost' })).rejects.toMatchObject({ message: '订单状态无效' });
    await expect(r.t.call('orders.get', { id: 'no-such-order' })).rejects.toMatchObject({ code: 'ORDER_NOT_FOUND' });
  });
});
