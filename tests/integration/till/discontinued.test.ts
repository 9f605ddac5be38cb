// A discontinued (停售) SKU is not sold, whichever way it reaches the cart (issue 7, item 8): not by
// cart.addSku (search results, quick keys), not by a scan, and not by paying a cart (or a recalled
// held cart) that took it before it was discontinued.
import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import type { CartView } from '../../../shared/api/cart';
import type { LookupResult } from '../../../shared/api/catalog';
import { writeStockMove } from '../../../electron/till/sales';
import { demoBarcode } from '../../../electron/till/seed';
import { tempTill, type TempTill } from '../../support/temp-till';
import { count, refusal, stockDrift, stockOf } from '../../support/till-asserts';

let t: TempTill | undefined;
afterEach(() => {
  if (t) expect(stockDrift(t)).toBe(0);
  t?.cleanup();
  t = undefined;
});

const COKE_330 = demoBarcode(1);
const COKE_500 = demoBarcode(2);

async function open(): Promise<{ tt: TempTill; skuId: string }> {
  const tt = (t = tempTill());
  await tt.loginAs('cashier');
  await tt.call('shift.open', { openingCashFen: 50000 });
  const { sku } = await tt.call('catalog.lookup', { code: COKE_330 });
  return { tt, skuId: sku.skuId };
}

const discontinue = (tt: TempTill, skuId: string) => tt.till.sqlite.prepare('UPDATE skus SET active = 0 WHERE id = ?').run(skuId);

it('cart.addSku refuses a discontinued SKU with a Chinese message and leaves the cart as it was', async () => {
  const { tt, skuId } = await open();
  await tt.call('cart.scan', { code: COKE_500 });
  discontinue(tt, skuId);
  const before = await tt.call('cart.get');
  const e = await refusal(tt.call('cart.addSku', { skuId }));
  expect(e.code).toBe('SKU_DISCONTINUED');
  expect(e.message).toContain('已停售');
  expect(e.message).toContain('可口可乐');
  expect(await tt.call('cart.get')).toEqual(before);
  // The scan of its barcode is refused too (it was already).
  await refusal(tt.call('cart.scan', { code: COKE_330 }));
  expect((await tt.call('cart.get')).lines).toHaveLength(1);
});

it('a cart that took the SKU before it was discontinued is not paid: nothing is written', async () => {
  const { tt, skuId } = await open();
  await tt.call('cart.scan', { code: COKE_500 });
  await tt.call('cart.scan', { code: COKE_330 });
  await tt.call('cart.hold', {});
  discontinue(tt, skuId);
  const held = await tt.call('cart.held');
  await tt.call('cart.recall', { heldId: held[0].id });
  const stock = stockOf(tt, skuId);
  const e = await refusal(tt.call('sales.pay', { requestId: randomUUID(), payments: [{ method: 'cash', amountFen: 1000 }] }));
  expect(e.code).toBe('SKU_DISCONTINUED');
  expect(e.message).toContain('已停售');
  expect(count(tt, 'sales')).toBe(0);
  expect(count(tt, 'stock_moves', `reason = 'sale'`)).toBe(0);
  expect(stockOf(tt, skuId)).toBe(stock);
  expect((await tt.call('cart.get')).lines).toHaveLength(2);
  // Removing the line lets the rest be paid.
  const cart = await tt.call('cart.get');
  await tt.call('cart.removeLine', { lineId: cart.lines.find((l) => l.skuId === skuId)!.id });
  await tt.call('sales.pay', { requestId: randomUUID(), payments: [{ method: 'cash', amountFen: 1000 }] });
  expect(count(tt, 'sales')).toBe(1);
});

it('a discontinued SKU can still be taken back (a return without receipt)', async () => {
  const { tt, skuId } = await open();
  await tt.loginAs('manager');
  discontinue(tt, skuId);
  const stock = stockOf(tt, skuId);
  await tt.call('sales.returnWithoutReceipt', { requestId: randomUUID(), items: [{ skuId, qty: 1000, unitPriceFen: 300 }], reason: '退回' });
  expect(stockOf(tt, skuId)).toBe(stock + 1000);
});

it('inside the sale transaction the stock move itself refuses a discontinued SKU (a SKU discontinued while a tender captured)', async () => {
  const { tt, skuId } = await open();
  discontinue(tt, skuId);
  const stock = stockOf(tt, skuId);
  const at = Date.now();
  const move = (reason: 'sale' | 'return') =>
    tt.till.tx(() =>
      writeStockMove(tt.till, { skuId, name: '可口可乐 330ml', qtyDelta: reason === 'sale' ? -1000 : 1000, reason, refId: 'r', userId: tt.userId('cashier'), businessDay: '2026-01-01', at }),
    );
  expect(() => move('sale')).toThrow(/已停售/);
  expect(stockOf(tt, skuId)).toBe(stock);
  expect(count(tt, 'stock_moves', `ref_id = 'r'`)).toBe(0);
  move('return');
  expect(stockOf(tt, skuId)).toBe(stock + 1000);
});
