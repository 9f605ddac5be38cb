// Card-terminal refunds confirmed with the terminal's refund reference, the refund-plan preview, and
// returns without a receipt by a cashier with the manager's PIN on the spot — through the handler map
// on a real SQLite file. After every scenario, stock equals the ledger and the audit chain is whole.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { CartView } from '../../../shared/api/cart';
import type { RefundPlanView, SaleResult, SaleView } from '../../../shared/api/sales';
import { verifyAuditChain } from '../../../electron/till/audit';
import { demoBarcode } from '../../../electron/till/seed';
import { tempTill, type TempTill } from '../../support/temp-till';
import { cartView, approvalFor, count, refusal, stockDrift, stockOf, withManager, type Refusal } from '../../support/till-asserts';

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
const TABLES = ['sales', 'sale_lines', 'payments', 'stock_moves', 'print_jobs', 'outbox', 'audit_log'];
/** Row counts of every table a return writes, plus every SKU's stock: equal snapshots = nothing changed. */
const snapshot = (tt: TempTill) => ({
  rows: Object.fromEntries(TABLES.map((n) => [n, count(tt, n)])),
  stock: tt.till.sqlite.prepare('SELECT id, stock_qty FROM skus ORDER BY id').all(),
  statuses: tt.till.sqlite.prepare('SELECT id, status FROM sales ORDER BY id').all(),
});

async function open(): Promise<TempTill> {
  t = tempTill();
  await t.loginAs('cashier');
  await t.call('shift.open', { openingCashFen: 50000 });
  return t;
}

/**
 * 3 × 可口可乐 500ml with a 10 % order discount (¥9.45) + 1 × 330ml (¥2.70) = ¥12.15, paid ¥10.00 on
 * the card terminal (reference T9001) and ¥5.00 cash (¥2.85 change, so cash kept ¥2.15).
 */
async function sellCardAndCash(tt: TempTill): Promise<SaleView> {
  await tt.call('cart.scan', { code: COKE_500, multiplier: 3 });
  await tt.call('cart.scan', { code: COKE_330 });
  await tt.call('cart.setOrderDiscount', { discount: { kind: 'percent', bp: 1000 } });
  const r = await tt.call('sales.pay', {
    requestId: randomUUID(),
    payments: [
      { method: 'card_terminal', amountFen: 1000, reference: 'T9001' },
      { method: 'cash', amountFen: 500 },
    ],
  });
  const sale = await tt.call('sales.get', { saleId: r.saleId });
  expect(sale.totalFen).toBe(1215);
  expect(sale.changeFen).toBe(285);
  return sale;
}

const paymentRows = (tt: TempTill, saleId: string) =>
  tt.till.sqlite
    .prepare('SELECT method, amount_fen AS amountFen, reference, original_payment_id AS originalPaymentId FROM payments WHERE sale_id = ? ORDER BY rowid')
    .all(saleId) as { method: string; amountFen: number; reference: string | null; originalPaymentId: string | null }[];

describe('card-terminal refunds need the terminal refund reference', () => {
  it('refuses a return with a card part and no reference (nothing changes, the PIN is not used up); with one it is stored and printed', async () => {
    const tt = await open();
    const sale = await sellCardAndCash(tt);
    const line330 = sale.lines.find((l) => l.name.includes('330'))!;
    expect(line330.payableFen).toBe(270);
    const cardPayment = tt.till.sqlite.prepare(`SELECT id FROM payments WHERE sale_id = ? AND method = 'card_terminal'`).get(sale.id) as { id: string };
    const asked = { requestId: randomUUID(), saleId: sale.id, lines: [{ lineId: line330.id, qty: 1000 }], reason: '顾客不要了' };
    const token = await approvalFor(tt, 'sales.return', asked); // the manager approves before the terminal refund
    const input = { ...asked, approval: token };

    const before = snapshot(tt);
    const noRef = await refusal(tt.call('sales.return', input));
    expect(noRef.code).toBe('REFUND_REFERENCE_REQUIRED');
    expect(noRef.message).toContain('请先在刷卡终端上退款 ¥2.70');
    expect(noRef.message).toContain('参考号');
    expect(noRef.details.missing).toEqual([{ method: 'card_terminal', amountFen: 270 }]);
    expect(snapshot(tt)).toEqual(before);

    // An empty or too-short reference is no reference either; still nothing written.
    const short = await refusal(tt.call('sales.return', { ...input, refundReferences: { card_terminal: 'R12' } }));
    expect(short.code).toBe('BAD_INPUT');
    expect((await refusal(tt.call('sales.return', { ...input, refundReferences: {} }))).code).toBe('REFUND_REFERENCE_REQUIRED');
    expect(snapshot(tt)).toEqual(before);

    // The same manager token still works: the refusal did not consume it.
    const r = await tt.call('sales.return', { ...input, refundReferences: { card_terminal: ' R-20881 ' } });
    expect(r.totalFen).toBe(-270);
    expect(paymentRows(tt, r.saleId)).toEqual([{ method: 'card_terminal', amountFen: -270, reference: 'R-20881', originalPaymentId: cardPayment.id }]);
    expect(stockOf(tt, line330.skuId)).toBe((before.stock as { id: string; stock_qty: number }[]).find((s) => s.id === line330.skuId)!.stock_qty + 1000);

    const job = JSON.parse((tt.till.sqlite.prepare('SELECT payload FROM print_jobs WHERE id = ?').get(r.printJobId) as { payload: string }).payload);
    expect(job.data.refunds).toEqual([{ method: '银行卡（参考号 R-20881）', amountFen: 270 }]);
    expect(job.data.openDrawer).toBeUndefined(); // no cash out: the drawer stays shut
    const audit = tt.till.sqlite.prepare(`SELECT user_id, approver_id, details FROM audit_log WHERE action = 'sale.return'`).all() as {
      user_id: string;
      approver_id: string;
      details: string;
    }[];
    expect(audit).toHaveLength(1);
    expect([audit[0].user_id, audit[0].approver_id]).toEqual([tt.userId('cashier'), tt.userId('manager')]);
    expect(JSON.parse(audit[0].details).refunds).toEqual([{ method: 'card_terminal', amountFen: -270, reference: 'R-20881' }]);

    // The retried request returns the first result and writes nothing more.
    const after = snapshot(tt);
    expect(await tt.call('sales.return', { ...input, refundReferences: { card_terminal: 'R-20881' } })).toEqual(r);
    expect(snapshot(tt)).toEqual(after);
  });

  it('a cash-only refund needs no reference; a cancel with a card part does, checked before anything is written', async () => {
    const tt = await open();
    // Cash only: ¥20.00 for ¥12.15.
    await tt.call('cart.scan', { code: COKE_330 });
    const cashSale = await tt.call('sales.pay', { requestId: randomUUID(), payments: [{ method: 'cash', amountFen: 2000 }] });
    const cashView = await tt.call('sales.get', { saleId: cashSale.saleId });
    const r = await withManager(tt, 'sales.return', {
      requestId: randomUUID(), saleId: cashSale.saleId, lines: [{ lineId: cashView.lines[0].id, qty: 1000 }],
    });
    expect(paymentRows(tt, r.saleId)).toEqual([{ method: 'cash', amountFen: -300, reference: null, originalPaymentId: expect.any(String) }]);

    const sale = await sellCardAndCash(tt);
    await tt.loginAs('manager');
    const before = snapshot(tt);
    const cancel = { requestId: randomUUID(), saleId: sale.id, reason: '录错' };
    const noRef = await refusal(tt.call('sales.cancel', cancel));
    expect(noRef.code).toBe('REFUND_REFERENCE_REQUIRED');
    expect(noRef.message).toContain('¥10.00');
    expect(snapshot(tt)).toEqual(before);
    expect((await tt.call('sales.get', { saleId: sale.id })).status).toBe('completed');

    const c = await tt.call('sales.cancel', { ...cancel, refundReferences: { card_terminal: 'C7788' } });
    expect(c.totalFen).toBe(-1215);
    expect(paymentRows(tt, c.saleId).map(({ method, amountFen, reference }) => ({ method, amountFen, reference }))).toEqual([
      { method: 'card_terminal', amountFen: -1000, reference: 'C7788' },
      { method: 'cash', amountFen: -215, reference: null },
    ]);
    expect((await tt.call('sales.get', { saleId: sale.id })).status).toBe('cancelled');
  });
});

describe('refund plan preview', () => {
  it('equals what each return then does, through partial returns that move from the card to cash, and a cancel', async () => {
    const tt = await open();
    const sale = await sellCardAndCash(tt);
    const [l500, l330] = [sale.lines.find((l) => l.name.includes('500'))!, sale.lines.find((l) => l.name.includes('330'))!];
    let n = 0;
    const planThenDo = async (lines?: { lineId: string; qty: number }[]) => {
      const before = snapshot(tt);
      const plan = await tt.call('sales.refundPlan', lines ? { saleId: sale.id, lines } : { saleId: sale.id });
      expect(snapshot(tt)).toEqual(before); // a preview writes nothing
      const refs = { card_terminal: `REF${++n}000` };
      const r = lines
        ? await withManager(tt, 'sales.return', { requestId: randomUUID(), saleId: sale.id, lines, refundReferences: refs })
        : await tt.call('sales.cancel', { requestId: randomUUID(), saleId: sale.id, reason: '撤销', refundReferences: refs });
      expect(-r.totalFen).toBe(plan.refundFen);
      const view = await tt.call('sales.get', { saleId: r.saleId });
      expect(view.payments).toEqual(
        plan.parts.map((p) => ({ method: p.method, amountFen: -p.amountFen, reference: p.needsReference ? refs.card_terminal : null })),
      );
      expect(view.lines.map((l) => [l.skuId, -l.qty, -l.payableFen])).toEqual(
        plan.lines.map((pl) => [sale.lines.find((s) => s.id === pl.lineId)!.skuId, pl.qty, pl.refundFen]),
      );
      return plan;
    };

    const p1 = await planThenDo([{ lineId: l500.id, qty: 1000 }]);
    expect(p1.parts).toEqual([{ method: 'card_terminal', amountFen: 315, needsReference: true, originalReference: 'T9001' }]);
    const p2 = await planThenDo([{ lineId: l500.id, qty: 1000 }, { lineId: l330.id, qty: 1000 }]);
    expect(p2.refundFen).toBe(315 + 270);
    expect(p2.parts).toEqual([{ method: 'card_terminal', amountFen: 585, needsReference: true, originalReference: 'T9001' }]);

    // ¥1.00 left on the card, ¥2.15 of cash: the last 500ml (¥3.15) takes the card's rest, then cash.
    await tt.loginAs('manager');
    const p3 = await planThenDo(); // no lines: what a cancel refunds
    expect(p3.parts).toEqual([
      { method: 'card_terminal', amountFen: 100, needsReference: true, originalReference: 'T9001' },
      { method: 'cash', amountFen: 215, needsReference: false, originalReference: null },
    ]);
    expect((await refusal(tt.call('sales.refundPlan', { saleId: sale.id }))).code).toBe('NOTHING_TO_CANCEL');
    expect((await refusal(tt.call('sales.refundPlan', { saleId: sale.id, lines: [{ lineId: l330.id, qty: 1000 }] }))).code).toBe('SALE_CANCELLED');
  });
});

describe('returns without a receipt', () => {
  it('a cashier is refused without the manager PIN; with it the cash goes out, stock comes back by the ledger, audited with both users', async () => {
    const tt = await open();
    const cart = cartView(await tt.call('cart.scan', { code: COKE_500 }));
    const skuId = cart.lines[0].skuId;
    await tt.call('cart.void', {});
    const input = { requestId: randomUUID(), items: [{ skuId, qty: 2000, unitPriceFen: 300 }], reason: '顾客无小票，包装完好' };
    const stock0 = stockOf(tt, skuId);

    const none = await refusal(tt.call('sales.returnWithoutReceipt', input));
    expect(none.code).toBe('APPROVAL_REQUIRED');
    expect(none.message).toContain('无小票退货');
    expect(none.details).toMatchObject({ action: 'refund_no_receipt', ask: { action: 'refund_no_receipt', summary: expect.stringContaining('¥6.00') } });
    // A token the manager gave for another return without a receipt (one bottle) does not approve this one.
    const one = await approvalFor(tt, 'sales.returnWithoutReceipt', { ...input, requestId: randomUUID(), items: [{ skuId, qty: 1000, unitPriceFen: 300 }] });
    const wrong = await refusal(tt.call('sales.returnWithoutReceipt', { ...input, approval: one }));
    expect(wrong.code).toBe('APPROVAL_MISMATCH');
    // Above the catalog price (¥3.50) is refused even with the PIN.
    const token = await approvalFor(tt, 'sales.returnWithoutReceipt', input);
    const before = snapshot(tt);
    const dear = await refusal(tt.call('sales.returnWithoutReceipt', { ...input, items: [{ skuId, qty: 1000, unitPriceFen: 351 }], approval: token }));
    expect(dear.code).toBe('PRICE_ABOVE_CATALOG');
    expect(dear.message).toContain('¥3.50');
    const noReason = await refusal(tt.call('sales.returnWithoutReceipt', { ...input, reason: '  ', approval: token }));
    expect(noReason.code).toBe('BAD_INPUT');
    expect(noReason.message).toContain('请填写退货原因');
    expect(snapshot(tt)).toEqual(before);

    const r = await tt.call('sales.returnWithoutReceipt', { ...input, approval: token });
    expect(r.totalFen).toBe(-600); // the lowered price, ¥3.00 × 2
    expect(stockOf(tt, skuId)).toBe(stock0 + 2000);
    const moves = tt.till.sqlite.prepare('SELECT sku_id, qty_delta, reason, user_id FROM stock_moves WHERE ref_id = ?').all(r.saleId);
    expect(moves).toEqual([{ sku_id: skuId, qty_delta: 2000, reason: 'return', user_id: tt.userId('cashier') }]);
    expect(paymentRows(tt, r.saleId)).toEqual([{ method: 'cash', amountFen: -600, reference: null, originalPaymentId: null }]);
    const view = await tt.call('sales.get', { saleId: r.saleId });
    expect(view).toMatchObject({ kind: 'return', totalFen: -600, originalReceiptNo: null });
    expect(view.lines.map((l) => [l.skuId, l.qty, l.unitPriceFen])).toEqual([[skuId, -2000, 300]]);

    const audit = tt.till.sqlite
      .prepare(`SELECT user_id, approver_id, details FROM audit_log WHERE action = 'sale.return_no_receipt'`)
      .all() as { user_id: string; approver_id: string; details: string }[];
    expect(audit).toHaveLength(1);
    expect([audit[0].user_id, audit[0].approver_id]).toEqual([tt.userId('cashier'), tt.userId('manager')]);
    expect(JSON.parse(audit[0].details)).toMatchObject({ refundFen: 600, reason: '顾客无小票，包装完好' });
    const job = JSON.parse((tt.till.sqlite.prepare('SELECT payload FROM print_jobs WHERE id = ?').get(r.printJobId) as { payload: string }).payload);
    expect(job.data).toMatchObject({ originalReceiptNo: '无小票', openDrawer: 2, refunds: [{ method: '现金', amountFen: 600 }] });

    // The PIN was for this one return: a second one with the same token is refused.
    const again = await refusal(tt.call('sales.returnWithoutReceipt', { ...input, requestId: randomUUID(), approval: token }));
    expect(again.code).toBe('APPROVAL_REQUIRED');
    expect(stockOf(tt, skuId)).toBe(stock0 + 2000);
  });
});
