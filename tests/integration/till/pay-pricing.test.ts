// A sale is priced when it is paid, from the stored cart and the settings in force then, never from
// what a caller holds: a rounding change after the last scan applies, and an edited cart view does not.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { CartView } from '../../../shared/api/cart';
import type { SaleResult } from '../../../shared/api/sales';
import { demoBarcode } from '../../../electron/till/seed';
import { tempTill, type TempTill } from '../../support/temp-till';
import { cartView } from '../../support/till-asserts';

let t: TempTill | undefined;
afterEach(() => t?.cleanup());

describe('payment prices the cart as it stands when paid', () => {
  it('a rounding change between the last scan and the payment applies to the sale', async () => {
    t = tempTill();
    await t.loginAs('manager');
    await t.call('shift.open', { openingCashFen: 0 });
    // 可口可乐 330ml ¥3.00 and the next demo items: any total with fen or jiao shows the rounding.
    let cart = cartView(await t.call('cart.scan', { code: demoBarcode(1) }));
    for (let i = 2; cart.priced.totalFen % 100 === 0 && i < 40; i++) cart = cartView(await t.call('cart.scan', { code: demoBarcode(i) }));
    const unrounded = cart.priced.totalFen;
    expect(unrounded % 100).not.toBe(0);
    t.till.settings.set('checkout.rounding', 'yuan');
    const sale = await t.call('sales.pay', { requestId: randomUUID(), payments: [{ method: 'cash', amountFen: unrounded + 1000 }] });
    expect(sale.totalFen).toBe(unrounded - (unrounded % 100));
    const row = t.till.sqlite.prepare('SELECT total_fen AS totalFen, rounding_fen AS roundingFen FROM sales WHERE id = ?').get(sale.saleId);
    expect(row).toEqual({ totalFen: unrounded - (unrounded % 100), roundingFen: -(unrounded % 100) });
  });

  it('what a caller does to the cart view it got does not change what is charged', async () => {
    t = tempTill();
    await t.loginAs('cashier');
    await t.call('shift.open', { openingCashFen: 0 });
    const cart = cartView(await t.call('cart.scan', { code: demoBarcode(1) }));
    const due = cart.priced.totalFen;
    cart.priced.totalFen = 1;
    cart.priced.lines[0].payableFen = 1;
    const sale = await t.call('sales.pay', { requestId: randomUUID(), payments: [{ method: 'cash', amountFen: due }] });
    expect(sale.totalFen).toBe(due);
    const line = t.till.sqlite.prepare('SELECT payable_fen AS payableFen FROM sale_lines WHERE sale_id = ?').get(sale.saleId);
    expect(line).toEqual({ payableFen: due });
  });
});
