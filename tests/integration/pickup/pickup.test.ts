// 自提核销 through the API against the Youzan simulator and the real sync worker: a self-pickup order
// of three pieces synced in, its code looked up with the platform, two pieces handed over (the code
// stays valid: nothing verified online), the same key again moves nothing, the third later verifies
// the code; the code again is refused as used; a code of an order cancelled online is refused and no
// stock moves; an unknown code, a product barcode and a payment code are refused with their reason;
// stock equals the ledger after it all.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { demoBarcode } from '../../../electron/till/seed';
import { refusal, stockDrift, stockOf } from '../../support/till-asserts';
import { apiRig, until, type ApiRig } from '../sync/api-rig';

const COKE = demoBarcode(1);
const SECOND = demoBarcode(2);
const YZ_A = { itemId: '100001', skuId: '200001' };
const YZ_B = { itemId: '100002', skuId: '200002' };

let rig: ApiRig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

async function setup(): Promise<{ r: ApiRig; a: string; b: string }> {
  const r = (rig = await apiRig());
  await r.enableBoth();
  const a = r.skuOf(COKE);
  const b = r.skuOf(SECOND);
  r.youzan.setStock(YZ_A.itemId, YZ_A.skuId, 50);
  r.youzan.setStock(YZ_B.itemId, YZ_B.skuId, 50);
  await r.tt.loginAs('manager');
  await r.call('sync.mapping.link', { skuId: a, platform: 'youzan', itemId: YZ_A.itemId, platformSkuId: YZ_A.skuId });
  await r.call('sync.mapping.link', { skuId: b, platform: 'youzan', itemId: YZ_B.itemId, platformSkuId: YZ_B.skuId });
  await r.tt.loginAs('cashier');
  return { r, a, b };
}

async function pickupOrder(r: ApiRig): Promise<{ tid: string; code: string; orderId: string }> {
  const t = r.youzan.placeOrder(
    [
      { itemId: YZ_A.itemId, skuId: YZ_A.skuId, num: 2 },
      { itemId: YZ_B.itemId, skuId: YZ_B.skuId, num: 1 },
    ],
    { payment: '9.00', expressType: 1, buyerPhone: '13800138000' },
  );
  const page = await until('the order to be synced', () => r.call('orders.list', { q: t.tid }), (p) => p.items.length === 1 && p.items[0].syncState === 'reserved', 30_000);
  return { tid: t.tid, code: t.selfFetchCode!, orderId: page.items[0].id };
}

const key = () => `pk-${randomUUID()}`;

describe('自提核销', () => {
  it('two of three pieces now, the third later; the code is verified on Youzan only when nothing is left', async () => {
    const { r, a, b } = await setup();
    const { tid, code, orderId } = await pickupOrder(r);
    const before = { a: stockOf(r.tt, a), b: stockOf(r.tt, b) };

    const found = await r.call('pickup.lookup', { code });
    expect(found.order.id).toBe(orderId);
    expect(found.openQty).toBe(3);
    expect(found.order.lines.map((l) => [l.skuId, l.qty, l.handedQty])).toEqual([
      [a, 2, 0],
      [b, 1, 0],
    ]);

    const k1 = key();
    const first = await r.call('pickup.handOver', { orderId, code, lines: [{ lineNo: 0, qty: 2 }], key: k1 });
    expect(first).toMatchObject({ replay: false, moved: [{ lineNo: 0, qty: 2 }], openQty: 1, platform: 'partial' });
    expect(stockOf(r.tt, a)).toBe(before.a - 2000);
    expect(r.youzan.listTrades().find((t) => t.tid === tid)).toMatchObject({ selfFetchVerified: false, status: 'WAIT_SELLER_SEND_GOODS' });

    // A retried confirm (same key) moves nothing twice.
    const again = await r.call('pickup.handOver', { orderId, code, lines: [{ lineNo: 0, qty: 2 }], key: k1 });
    expect(again).toMatchObject({ replay: true, moved: [{ lineNo: 0, qty: 2 }], openQty: 1 });
    expect(stockOf(r.tt, a)).toBe(before.a - 2000);

    // The customer comes back with the same code for the rest.
    expect((await r.call('pickup.lookup', { code })).openQty).toBe(1);
    const second = await r.call('pickup.handOver', { orderId, code, lines: [{ lineNo: 1, qty: 1 }], key: key() });
    expect(second).toMatchObject({ replay: false, openQty: 0, platform: 'verified' });
    expect(second.order.syncState).toBe('fulfilled');
    expect(stockOf(r.tt, b)).toBe(before.b - 1000);
    expect(r.youzan.listTrades().find((t) => t.tid === tid)).toMatchObject({ selfFetchVerified: true, status: 'TRADE_SUCCESS' });

    // Used now: refused with the reason, nothing moves.
    const used = await refusal(r.call('pickup.lookup', { code }));
    expect(used.code).toBe('PICKUP_CODE_USED');
    expect(used.message).toContain('已核销');
    // Over-handing is refused by the reservation rule.
    expect((await refusal(r.call('pickup.handOver', { orderId, lines: [{ lineNo: 1, qty: 1 }], key: key() }))).code).toBe('HANDOVER_TOO_MANY');

    // The sync reads TRADE_SUCCESS next: nothing more leaves stock (everything was handed over).
    await r.call('sync.now');
    expect(stockOf(r.tt, a)).toBe(before.a - 2000);
    expect(stockOf(r.tt, b)).toBe(before.b - 1000);
    expect(stockDrift(r.tt)).toBe(0);
    // And the Youzan shop's stock agrees with what the till says it may sell there, once the relay drained.
    for (const [sku, ref] of [[a, YZ_A], [b, YZ_B]] as const) {
      const want = (await r.call('sellable.get', { skuId: sku })).platforms.find((p) => p.platform === 'youzan')!.sellable;
      await until(`Youzan's stock of ${ref.itemId} to be ${want}`, async () => r.youzan.getStock(ref.itemId, ref.skuId), (n) => n === want, 30_000);
    }

    const logged = await r.call('pickup.log', {});
    expect(logged.rows.map((x) => x.pieces)).toEqual([1, 2]);
    expect(r.tt.till.sqlite.prepare(`SELECT count(*) FROM audit_log WHERE action = 'pickup.handOver'`).pluck().get()).toBe(2);
  }, 60_000);

  it('a pickup code of an order cancelled online is refused and no stock moves', async () => {
    const { r, a, b } = await setup();
    const { tid, code, orderId } = await pickupOrder(r);
    const before = { a: stockOf(r.tt, a), b: stockOf(r.tt, b) };
    const moves = r.tt.till.sqlite.prepare(`SELECT count(*) FROM stock_moves`).pluck().get();
    r.youzan.setTradeStatus(tid, 'TRADE_CLOSED'); // cancelled online; the till has not polled since

    const looked = await refusal(r.call('pickup.lookup', { code }));
    expect(looked.code).toBe('PICKUP_ORDER_CANCELLED');
    expect(looked.message).toContain('已在线上取消');
    const handed = await refusal(r.call('pickup.handOver', { orderId, code, lines: [{ lineNo: 0, qty: 2 }], key: key() }));
    expect(handed.code).toBe('PICKUP_ORDER_CANCELLED');
    expect(stockOf(r.tt, a)).toBe(before.a);
    expect(stockOf(r.tt, b)).toBe(before.b);
    expect(r.tt.till.sqlite.prepare(`SELECT count(*) FROM stock_moves`).pluck().get()).toBe(moves);
    expect(stockDrift(r.tt)).toBe(0);
  }, 60_000);

  it('refuses an unknown code, a product barcode, a payment code and a voucher code with their reason', async () => {
    const { r } = await setup();
    const cases: [string, string][] = [
      ['123456789', 'PICKUP_CODE_UNKNOWN'],
      [COKE, 'PICKUP_IS_PRODUCT'],
      ['134567890123456781', 'PICKUP_IS_PAYMENT_CODE'],
      ['150000000000001', 'PICKUP_IS_VOUCHER'],
      ['ABC', 'PICKUP_BAD_CODE'],
    ];
    for (const [code, want] of cases) {
      const e = await refusal(r.call('pickup.lookup', { code }));
      expect([code, e.code]).toEqual([code, want]);
      expect(e.message).toMatch(/[\u4e00-\u9fa5]/);
    }
  }, 60_000);
});

describe('自提核销: the platform verify after the last pieces', () => {
  it('an answer lost after Youzan verified: the same confirm again moves nothing and reads the code as verified', async () => {
    const { r, a, b } = await setup();
    const { tid, code, orderId } = await pickupOrder(r);
    const before = { a: stockOf(r.tt, a), b: stockOf(r.tt, b) };
    // Applied, then the answer lost (twice: the HTTP layer resends once on a dropped connection).
    r.youzan.setScenario({ op: 'trades', api: 'youzan.trade.selffetchcode.apply', fault: 'drop', times: 2 });
    const k = key();
    const lines = [
      { lineNo: 0, qty: 2 },
      { lineNo: 1, qty: 1 },
    ];
    const first = await r.call('pickup.handOver', { orderId, code, lines, key: k });
    expect(first).toMatchObject({ replay: false, openQty: 0, platform: 'unknown' });
    expect(first.platformText).toContain('结果未知');
    expect(r.youzan.listTrades().find((t) => t.tid === tid)?.selfFetchVerified).toBe(true);

    const again = await r.call('pickup.handOver', { orderId, code, lines, key: k });
    expect(again).toMatchObject({ replay: true, openQty: 0, platform: 'already', slipJobId: null });
    expect(stockOf(r.tt, a)).toBe(before.a - 2000);
    expect(stockOf(r.tt, b)).toBe(before.b - 1000);
    expect((await r.call('pickup.log', {})).rows).toHaveLength(1);
    expect(stockDrift(r.tt)).toBe(0);
  }, 60_000);
});
