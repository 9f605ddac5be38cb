// Returns, cancels, reprints and finding past sales, through the handler map on a real SQLite file.
// After every scenario, every SKU's stock equals the sum of its ledger and the audit chain is whole.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { CartView } from '../../../shared/api/cart';
import type { ApiInput } from '../../../shared/api';
import type { SaleResult, SaleSummary, SaleView } from '../../../shared/api/sales';
import { verifyAuditChain } from '../../../electron/till/audit';
import { demoBarcode } from '../../../electron/till/seed';
import { tempTill, type TempTill } from '../../support/temp-till';
import { cartView, approvalFor, count, refusal, stockDrift, stockOf, withManager } from '../../support/till-asserts';

let t: TempTill | undefined;
afterEach(() => {
  if (t) {
    expect(stockDrift(t)).toBe(0);
    expect(verifyAuditChain(t.till.sqlite)).toBeNull();
  }
  t?.cleanup();
  t = undefined;
});

const COKE_330 = demoBarcode(1); // ¥3.00
const COKE_500 = demoBarcode(2); // ¥3.50

async function open(): Promise<TempTill> {
  t = tempTill();
  await t.loginAs('cashier');
  await t.call('shift.open', { openingCashFen: 50000 });
  return t;
}

/** 3 × 可口可乐 500ml with a 10% order discount (¥9.45) and 1 × 330ml (¥2.70): ¥12.15 due. */
async function sell(tt: TempTill, payments: ApiInput<'sales.pay'>['payments'] = [{ method: 'cash', amountFen: 2000 }]): Promise<SaleView> {
  await tt.call('cart.scan', { code: COKE_500, multiplier: 3 });
  await tt.call('cart.scan', { code: COKE_330 });
  await tt.call('cart.setOrderDiscount', { discount: { kind: 'percent', bp: 1000 } });
  const r = await tt.call('sales.pay', { requestId: randomUUID(), payments });
  return tt.call('sales.get', { saleId: r.saleId });
}

describe('returns', () => {
  it('returns part of a line twice, refuses more than is left, puts stock back; a cashier needs a manager (audited)', async () => {
    const tt = await open();
    const sale = await sell(tt);
    expect(sale.totalFen).toBe(1215);
    const line = sale.lines[0];
    expect(line.payableFen).toBe(945);
    const stock0 = stockOf(tt, line.skuId);
    const ret = (qty: number, approval?: string) =>
      tt.call('sales.return', { requestId: randomUUID(), saleId: sale.id, lines: [{ lineId: line.id, qty }], approval, reason: '顾客不要了' });

    const noApproval = await refusal(ret(1000));
    expect(noApproval.code).toBe('APPROVAL_REQUIRED');
    expect(count(tt, 'sales', `kind = 'return'`)).toBe(0);

    const token = (qty: number) =>
      approvalFor(tt, 'sales.return', { requestId: randomUUID(), saleId: sale.id, lines: [{ lineId: line.id, qty }], reason: '顾客不要了' });
    const r1 = await ret(1000, await token(1000));
    expect(r1.totalFen).toBe(-315);
    const r2 = await ret(1000, await token(1000));
    expect(r2.totalFen).toBe(-315);
    const tooMuch = await refusal(ret(2000)); // refused before any manager is asked
    expect(tooMuch.code).toBe('RETURN_TOO_MUCH');
    expect(tooMuch.message).toContain('可退 1瓶');
    const r3 = await ret(1000, await token(1000));
    expect(r1.totalFen + r2.totalFen + r3.totalFen).toBe(-945); // never more than the line's payable
    expect(stockOf(tt, line.skuId)).toBe(stock0 + 3000);

    const after = await tt.call('sales.get', { saleId: sale.id });
    expect(after.lines[0]).toMatchObject({ returnedQty: 3000, returnableQty: 0, refundedFen: 945 });
    const retView = await tt.call('sales.get', { saleId: r1.saleId });
    expect(retView).toMatchObject({ kind: 'return', totalFen: -315, originalReceiptNo: sale.receiptNo });
    expect(retView.lines[0].qty).toBe(-1000);
    expect(retView.payments).toEqual([{ method: 'cash', amountFen: -315, reference: null }]);
    const audit = tt.till.sqlite
      .prepare(`SELECT user_id, approver_id FROM audit_log WHERE action = 'sale.return' ORDER BY seq`)
      .all() as { user_id: string; approver_id: string }[];
    expect(audit).toHaveLength(3);
    for (const a of audit) expect([a.user_id, a.approver_id]).toEqual([tt.userId('cashier'), tt.userId('manager')]);
    const job = JSON.parse((tt.till.sqlite.prepare('SELECT payload FROM print_jobs WHERE id = ?').get(r1.printJobId) as { payload: string }).payload);
    expect(job).toMatchObject({ v: 1, template: 'return', data: { originalReceiptNo: sale.receiptNo, totals: { refundFen: 315 }, openDrawer: 2 } });
    expect(count(tt, 'outbox', `topic = 'order.refunded'`)).toBe(3);
    expect(count(tt, 'outbox', `topic = 'stock.changed' AND id IN (SELECT id FROM stock_moves WHERE reason = 'return')`)).toBe(3);
  });

  it('refunds to the original tenders: the card terminal first, then cash (never more than it kept)', async () => {
    const tt = await open();
    const sale = await sell(tt, [
      { method: 'card_terminal', amountFen: 1000, reference: 'T9001' },
      { method: 'cash', amountFen: 500 }, // ¥2.15 kept, ¥2.85 change
    ]);
    expect(sale.changeFen).toBe(285);
    await tt.loginAs('manager'); // a manager's own session needs no token
    const r = await tt.call('sales.return', {
      requestId: randomUUID(),
      saleId: sale.id,
      lines: sale.lines.map((l) => ({ lineId: l.id, qty: l.qty })),
      refundReferences: { card_terminal: 'R9001' }, // the terminal's refund reference (returns-extra tests the refusal)
    });
    expect(r.totalFen).toBe(-1215);
    const view = await tt.call('sales.get', { saleId: r.saleId });
    expect(view.payments).toEqual([
      { method: 'card_terminal', amountFen: -1000, reference: 'R9001' },
      { method: 'cash', amountFen: -215, reference: null },
    ]);
  });

  it('cancels a sale (manager): a full return of the rest, status cancelled, the sale kept', async () => {
    const tt = await open();
    const sale = await sell(tt);
    await withManager(tt, 'sales.return', { requestId: randomUUID(), saleId: sale.id, lines: [{ lineId: sale.lines[1].id, qty: 1000 }] });
    expect((await refusal(tt.call('sales.cancel', { requestId: randomUUID(), saleId: sale.id, reason: '录错' }))).code).toBe('FORBIDDEN');
    await tt.loginAs('manager');
    const requestId = randomUUID();
    const c = await tt.call('sales.cancel', { requestId, saleId: sale.id, reason: '录错' });
    expect(c.totalFen).toBe(-945); // what was left: the three 500ml
    expect(await tt.call('sales.cancel', { requestId, saleId: sale.id, reason: '录错' })).toEqual(c); // retry
    const after = await tt.call('sales.get', { saleId: sale.id });
    expect(after.status).toBe('cancelled');
    expect(after.lines.every((l) => l.returnableQty === 0)).toBe(true);
    const refunded = tt.till.sqlite.prepare(`SELECT -sum(total_fen) AS f FROM sales WHERE original_sale_id = ?`).get(sale.id) as { f: number };
    expect(refunded.f).toBe(sale.totalFen);
    expect((await refusal(tt.call('sales.cancel', { requestId: randomUUID(), saleId: sale.id, reason: 'x' }))).code).toBe('NOTHING_TO_CANCEL');
    const again = await refusal(tt.call('sales.return', { requestId: randomUUID(), saleId: sale.id, lines: [{ lineId: sale.lines[0].id, qty: 1000 }] }));
    expect(again.code).toBe('SALE_CANCELLED');
  });

  it('a return without a receipt needs a manager (a cashier: the PIN on the spot) and pays cash out at the stated price', async () => {
    const tt = await open();
    const cart = cartView(await tt.call('cart.scan', { code: COKE_500 }));
    const skuId = cart.lines[0].skuId;
    await tt.call('cart.void', {});
    const input = { requestId: randomUUID(), items: [{ skuId, qty: 2000, unitPriceFen: 350 }], reason: '无小票退货' };
    expect((await refusal(tt.call('sales.returnWithoutReceipt', input))).code).toBe('APPROVAL_REQUIRED'); // cashier, no PIN
    await tt.loginAs('manager');
    const before = stockOf(tt, skuId);
    const r = await tt.call('sales.returnWithoutReceipt', input);
    expect(r.totalFen).toBe(-700);
    expect(stockOf(tt, skuId)).toBe(before + 2000);
    const view = await tt.call('sales.get', { saleId: r.saleId });
    expect(view.payments).toEqual([{ method: 'cash', amountFen: -700, reference: null }]);
    expect(count(tt, 'audit_log', `action = 'sale.return_no_receipt' AND user_id = '${tt.userId('manager')}'`)).toBe(1);
  });
});

describe('finding and reprinting', () => {
  it('finds a sale by its receipt number (as scanned) or by day and amount, and reprints it marked as a copy', async () => {
    const tt = await open();
    const sale = await sell(tt);
    const byNo = await tt.call('sales.find', { receiptNo: ` ${sale.receiptNo.toLowerCase()} ` });
    expect(byNo.map((s) => s.id)).toEqual([sale.id]);
    const byAmount = await tt.call('sales.find', { businessDay: sale.businessDay, amountFen: 1215 });
    expect(byAmount.map((s) => s.id)).toEqual([sale.id]);
    expect(await tt.call('sales.find', { businessDay: sale.businessDay, amountFen: 1 })).toEqual([]);
    const { printJobId } = await tt.call('sales.reprint', { saleId: sale.id });
    const job = tt.till.sqlite.prepare('SELECT kind, is_copy, payload FROM print_jobs WHERE id = ?').get(printJobId) as {
      kind: string;
      is_copy: number;
      payload: string;
    };
    expect(job.kind).toBe('reprint');
    expect(job.is_copy).toBe(1);
    const payload = JSON.parse(job.payload);
    expect(payload).toMatchObject({ v: 1, template: 'reprint', data: { by: '小王', original: { template: 'sale', data: { receiptNo: sale.receiptNo } } } });
    expect(payload.data.original.data.openDrawer).toBeUndefined(); // a reprint never opens the drawer
  });

  it('rounds the total down (抹零 to the jiao) and a full return refunds exactly what was paid', async () => {
    const tt = await open();
    tt.till.settings.set('checkout.rounding', 'jiao');
    const sale = await sell(tt); // ¥12.15 -> ¥12.10
    expect(sale.totalFen).toBe(1210);
    expect(sale.lines.reduce((s, l) => s + l.payableFen, 0)).toBe(1210);
    await tt.loginAs('manager');
    const r = await tt.call('sales.return', {
      requestId: randomUUID(), saleId: sale.id, lines: sale.lines.map((l) => ({ lineId: l.id, qty: l.qty })),
    });
    expect(r.totalFen).toBe(-1210);
  });
});
