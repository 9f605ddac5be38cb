// The counter and online orders: an order held in the till lowers the counter's 可售 (catalog lookup
// carries reservedQty with the SKU row), and scanning into held stock warns the cashier on the line —
// never blocks (the item in hand is the truth) — in the full view and in the patch alike.
import { afterEach, describe, expect, it } from 'vitest';
import { applyPatch } from '../../../shared/cart-patch';
import { demoBarcode } from '../../../electron/till/seed';
import { linkSku } from '../../../electron/sync/mapping';
import { storeOrders } from '../../../electron/sync/orders';
import { moveStock } from '../../../electron/till/ledger';
import { tempTill, type TempTill } from '../../support/temp-till';
import { cartPatch, cartView } from '../../support/till-asserts';

let t: TempTill | undefined;
afterEach(() => t?.cleanup());

describe('counter 可售 with online orders', () => {
  it('a held order lowers 可售 and a scan into held stock warns but sells', async () => {
    t = tempTill();
    const code = demoBarcode(1);
    await t.loginAs('cashier');
    await t.call('shift.open', { openingCashFen: 50000 });
    const sku = (await t.call('catalog.lookup', { code })).sku;
    expect(sku.reservedQty).toBe(0);
    const now = t.till.now();
    // Two pieces on hand, an online order holds one of them.
    const tt = t;
    tt.till.tx(() => moveStock(tt.till.db, { skuId: sku.skuId, qtyDelta: 2000 - sku.stockQty, reason: 'adjust', refId: null, userId: null, businessDay: tt.till.businessDay(), at: now }));
    linkSku(t.till.db, { skuId: sku.skuId, platform: 'youzan', itemId: '9001', platformSkuId: null, matchedBy: 'manual' }, now);
    storeOrders(t.till.db, 'youzan', [{ platformOrderId: 'E1', status: 'paid', platformStatus: 'WAIT_SELLER_SEND_GOODS', deliveryType: 'self_pickup', payAmountFen: 100, createdAt: now, updatedAt: now, lines: [{ itemId: '9001', platformSkuId: null, outSkuId: null, qty: 1 }] }], now, now);

    const looked = (await t.call('catalog.lookup', { code })).sku;
    expect(looked).toMatchObject({ stockQty: 2000, reservedQty: 1000 });
    expect((await t.call('sellable.get', { skuId: sku.skuId })).counterSellableQty).toBe(1000);

    // The first piece is the counter's own: no warning.
    let shown = cartView(await t.call('cart.scan', { code }));
    expect(shown.lines[0].stockWarning ?? null).toBeNull();
    // The second reaches into the held piece: warned, and still sold (2 on the line), in the patch too.
    const patch = cartPatch(await t.call('cart.scan', { code, known: { id: shown.id, version: shown.version } }));
    shown = applyPatch(shown, patch)!;
    expect(shown.lines).toHaveLength(1);
    expect(shown.priced.lines[0].qty).toBe(2000);
    expect(shown.lines[0].stockWarning).toMatch(/线上订单已占用 1.*门店可售 1/);
    expect(shown).toEqual(await t.call('cart.get'));
  });
});
