// The cashier's sale on the main side, through the handler map on a real SQLite file: scanning
// (barcodes, scale labels, multipliers), search, discounts and approvals, hold/recall across a
// restart, members, tenders, and the one-transaction commit with its print job and outbox rows.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { CartView } from '../../../shared/api/cart';
import type { SaleResult, SaleView } from '../../../shared/api/sales';
import { makeScaleBarcode } from '../../../shared/barcode';
import { verifyAuditChain } from '../../../electron/till/audit';
import { demoBarcode } from '../../../electron/till/seed';
import { tempTill, type TempTill } from '../../support/temp-till';
import { cartView, approvalFor, count, refusal, stockDrift, withManager } from '../../support/till-asserts';

let t: TempTill | undefined;
afterEach(() => t?.cleanup());

const COKE_330 = demoBarcode(1); // 可口可乐 330ml ¥3.00
const COKE_500 = demoBarcode(2); // 可口可乐 500ml ¥3.50
const weightCode = (plu: string, grams: number) => makeScaleBarcode('2FPPPPPWWWWWC', { plu, weightGrams: grams, flag: 0 });
const priceCode = (plu: string, fen: number) => makeScaleBarcode('2FPPPPP$$$$$C', { plu, priceFen: fen, flag: 5 });

async function open(role: 'cashier' | 'manager' = 'cashier'): Promise<TempTill> {
  t = tempTill();
  await t.loginAs(role);
  await t.call('shift.open', { openingCashFen: 50000 });
  return t;
}
const stockOf = (tt: TempTill, skuId: string) =>
  (tt.till.sqlite.prepare('SELECT stock_qty AS q FROM skus WHERE id = ?').get(skuId) as { q: number }).q;

describe('checkout: the whole sale', () => {
  it('scans, weighs, finds by pinyin, pays cash with change; everything commits together', async () => {
    const tt = await open();
    let cart = cartView(await tt.call('cart.scan', { code: COKE_500 }));
    cart = cartView(await tt.call('cart.scan', { code: COKE_500 })); // merges
    expect(cart.lines).toHaveLength(1);
    expect(cart.priced.lines[0].qty).toBe(2000);
    cart = cartView(await tt.call('cart.scan', { code: weightCode('00001', 1234) })); // 红富士苹果 ¥6.98/斤, 1.234 kg
    expect(cart.lines[1].name).toContain('苹果');
    expect(cart.priced.lines[1].qty).toBe(2468); // 2.468 斤
    expect(cart.priced.lines[1].grossFen).toBe(1723); // round(698 × 2.468)
    const found = await tt.call('catalog.search', { q: 'nfsq' });
    expect(found.items[0].name).toContain('农夫山泉');
    cart = cartView(await tt.call('cart.addSku', { skuId: found.items[0].skuId }));
    expect(cart.focusLineId).toBe(cart.lines[2].id);
    const due = cart.priced.totalFen;
    expect(due).toBe(700 + 1723 + cart.priced.lines[2].grossFen);

    const colaSku = cart.lines[0].skuId;
    const stockBefore = stockOf(tt, colaSku);
    const r = await tt.call('sales.pay', { requestId: randomUUID(), payments: [{ method: 'cash', amountFen: 10000 }] });
    expect(r.totalFen).toBe(due);
    expect(r.changeFen).toBe(10000 - due);
    expect(r.receiptNo).toMatch(new RegExp(`^T01-${tt.till.businessDay().replace(/-/g, '')}-0001$`));

    const sale = await tt.call('sales.get', { saleId: r.saleId });
    expect(sale.lines.map((l) => l.qty)).toEqual([2000, 2468, 1000]);
    expect(sale.lines.reduce((s, l) => s + l.payableFen, 0)).toBe(due);
    expect(sale.payments).toEqual([{ method: 'cash', amountFen: 10000, reference: null }]);
    expect(stockOf(tt, colaSku)).toBe(stockBefore - 2000);
    expect(count(tt, 'stock_moves', `ref_id = '${r.saleId}' AND reason = 'sale'`)).toBe(3);
    // Outbox: the order, and one stock change per move keyed by the move's id.
    expect(count(tt, 'outbox', `topic = 'order.created' AND json_extract(payload, '$.saleId') = '${r.saleId}'`)).toBe(1);
    expect(count(tt, 'outbox o', `topic = 'stock.changed' AND id IN (SELECT id FROM stock_moves WHERE ref_id = '${r.saleId}')`)).toBe(3);
    const job = tt.till.sqlite.prepare('SELECT kind, payload, is_copy FROM print_jobs WHERE id = ?').get(r.printJobId) as {
      kind: string;
      payload: string;
      is_copy: number;
    };
    const payload = JSON.parse(job.payload);
    expect(job.kind).toBe('sale');
    expect(payload).toMatchObject({ v: 1, template: 'sale', data: { receiptNo: r.receiptNo, openDrawer: 2, changeFen: r.changeFen } });
    expect(payload.data.totals.dueFen).toBe(due);
    expect(payload.data.lines[1].qtyText).toBe('2.468斤');
    expect(payload.data.payments).toEqual([{ method: '现金', amountFen: 10000 }]);
    // The paid cart is gone; a new empty one is there.
    const after = await tt.call('cart.get');
    expect(after.lines).toHaveLength(0);
    expect(after.id).not.toBe(cart.id);
    expect(stockDrift(tt)).toBe(0);
  });

  it('splits the tender: card terminal up to the due, cash gives the change; refuses over- and under-payment', async () => {
    const tt = await open();
    await tt.call('cart.scan', { code: COKE_500, multiplier: 6 }); // ¥21.00
    const before = count(tt, 'sales');
    const over = await refusal(tt.call('sales.pay', { requestId: randomUUID(), payments: [{ method: 'card_terminal', amountFen: 2200, reference: '123456' }] }));
    expect(over.code).toBe('NONCASH_OVER');
    const under = await refusal(tt.call('sales.pay', { requestId: randomUUID(), payments: [{ method: 'cash', amountFen: 2000 }] }));
    expect(under.code).toBe('UNDERPAID');
    expect(under.message).toBe('还差 ¥1.00，请继续收款');
    expect(count(tt, 'sales')).toBe(before);
    const r = await tt.call('sales.pay', {
      requestId: randomUUID(),
      payments: [
        { method: 'card_terminal', amountFen: 1500, reference: 'REF778899' },
        { method: 'cash', amountFen: 1000 },
      ],
    });
    expect(r).toMatchObject({ totalFen: 2100, paidFen: 2500, changeFen: 400 });
    const sale = await tt.call('sales.get', { saleId: r.saleId });
    expect(sale.payments).toEqual([
      { method: 'card_terminal', amountFen: 1500, reference: 'REF778899' },
      { method: 'cash', amountFen: 1000, reference: null },
    ]);
    // Card only: no drawer kick.
    await tt.call('cart.scan', { code: COKE_330 });
    const card = await tt.call('sales.pay', { requestId: randomUUID(), payments: [{ method: 'card_terminal', amountFen: 300, reference: '4455' }] });
    const payload = JSON.parse((tt.till.sqlite.prepare('SELECT payload FROM print_jobs WHERE id = ?').get(card.printJobId) as { payload: string }).payload);
    expect(payload.data.openDrawer).toBeUndefined();
    expect(payload.data.payments).toEqual([{ method: '银行卡', amountFen: 300 }]);
  });

  it('a retried sales.pay returns the first result and writes nothing twice', async () => {
    const tt = await open();
    await tt.call('cart.scan', { code: COKE_500 });
    const requestId = randomUUID();
    const input = { requestId, payments: [{ method: 'cash' as const, amountFen: 500 }] };
    const [a, b] = await Promise.all([tt.call('sales.pay', input), tt.call('sales.pay', input).catch((e) => e)]);
    const c = await tt.call('sales.pay', input);
    expect(c).toEqual(a);
    // A concurrent duplicate is either refused as in progress or given the same result, never a second sale.
    expect(b.code === 'IN_PROGRESS' || b.saleId === a.saleId).toBe(true);
    expect(count(tt, 'sales')).toBe(1);
    expect(count(tt, 'payments')).toBe(1);
    expect(count(tt, 'print_jobs')).toBe(1);
    const fresh = await refusal(tt.call('sales.pay', { requestId: randomUUID(), payments: [{ method: 'cash', amountFen: 500 }] }));
    expect(fresh.code).toBe('CART_EMPTY');
  });

  it('requires an open shift to take money', async () => {
    t = tempTill();
    await t.loginAs('cashier');
    await t.call('cart.scan', { code: COKE_500 });
    const e = await refusal(t.call('sales.pay', { requestId: randomUUID(), payments: [{ method: 'cash', amountFen: 500 }] }));
    expect(e.code).toBe('SHIFT_REQUIRED');
    expect(e.message).toContain('开班');
    expect(count(t, 'sales')).toBe(0);
    expect((await t.call('cart.get')).lines).toHaveLength(1);
  });

  it('numbers receipts per day and keeps counting across a restart', async () => {
    const tt = await open();
    for (let i = 0; i < 2; i++) {
      await tt.call('cart.scan', { code: COKE_330 });
      await tt.call('sales.pay', { requestId: randomUUID(), payments: [{ method: 'cash', amountFen: 300 }] });
    }
    t = tt.reopen();
    await t.loginAs('cashier');
    await t.call('cart.scan', { code: COKE_330 });
    const r = await t.call('sales.pay', { requestId: randomUUID(), payments: [{ method: 'cash', amountFen: 300 }] });
    expect(r.receiptNo.endsWith('-0003')).toBe(true);
  });
});

describe('checkout: scanning', () => {
  it('a price label charges exactly the label price; a weight label prices from the unit price', async () => {
    const tt = await open();
    let cart = cartView(await tt.call('cart.scan', { code: priceCode('00002', 1234) })); // 香蕉 ¥3.99/斤
    expect(cart.priced.lines[0].grossFen).toBe(1234);
    expect(cart.priced.lines[0].unitPriceFen).toBe(399);
    expect(cart.lines[0].scaleLabel).toBe(true);
    // A markdown label (not reachable at the catalog price) still charges the label's amount.
    cart = cartView(await tt.call('cart.scan', { code: priceCode('00024', 1001) })); // 牛肉干 ¥168/kg
    expect(cart.priced.lines[1].grossFen).toBe(1001);
    // Scale lines never merge, and their quantity cannot be edited.
    cart = cartView(await tt.call('cart.scan', { code: priceCode('00002', 1234) }));
    expect(cart.lines).toHaveLength(3);
    const e = await refusal(tt.call('cart.setQty', { lineId: cart.lines[0].id, qty: 1000 }));
    expect(e.code).toBe('SCALE_LINE');
    const unknownPlu = await refusal(tt.call('cart.scan', { code: weightCode('00999', 500) }));
    expect(unknownPlu.code).toBe('UNKNOWN_PLU');
    const good = weightCode('00001', 500);
    const badCheck = good.slice(0, 12) + String((Number(good[12]) + 1) % 10);
    expect((await refusal(tt.call('cart.scan', { code: badCheck }))).code).toBe('BAD_CHECK_DIGIT');
  });

  it('multiplies a scan, merges repeat scans unless the shop turns it off, refuses weighed items without a weight', async () => {
    const tt = await open();
    let cart = cartView(await tt.call('cart.scan', { code: COKE_500, multiplier: 6 }));
    expect(cart.priced.lines[0].qty).toBe(6000);
    tt.till.settings.set('checkout.mergeRepeatScans', false);
    cart = cartView(await tt.call('cart.scan', { code: COKE_500 }));
    expect(cart.lines).toHaveLength(2);
    const apple = (await tt.call('catalog.search', { q: 'hfspg' })).items[0];
    expect((await refusal(tt.call('cart.addSku', { skuId: apple.skuId }))).code).toBe('QTY_REQUIRED');
    cart = cartView(await tt.call('cart.addSku', { skuId: apple.skuId, qty: 1500 }));
    expect(cart.priced.lines[2].grossFen).toBe(1047); // 1.5 斤 × ¥6.98
  });

  it('an unknown barcode can be created on the spot with a manager approval (audited), then scanned as UPC-A', async () => {
    const tt = await open();
    const upcA = '036000291452';
    const unknown = await refusal(tt.call('cart.scan', { code: upcA }));
    expect(unknown).toMatchObject({ code: 'UNKNOWN_BARCODE', message: `商品条码不存在：${upcA}` });
    const input = { barcode: upcA, name: '进口口香糖', priceFen: 990 };
    expect((await refusal(tt.call('catalog.createQuick', input))).code).toBe('APPROVAL_REQUIRED');
    const sku = await withManager(tt, 'catalog.createQuick', input);
    expect(sku.barcode).toBe('0036000291452'); // stored normalized to EAN-13
    const cart = cartView(await tt.call('cart.scan', { code: upcA }));
    expect(cart.lines[0].skuId).toBe(sku.skuId);
    expect((await tt.call('catalog.search', { q: 'jkkxt' })).items[0].skuId).toBe(sku.skuId);
    const row = tt.till.sqlite.prepare(`SELECT user_id, approver_id FROM audit_log WHERE action = 'catalog.create_quick'`).get() as {
      user_id: string;
      approver_id: string;
    };
    expect(row).toEqual({ user_id: tt.userId('cashier'), approver_id: tt.userId('manager') });
  });

  it('searches by initials, full pinyin, two Chinese characters anywhere in the name, and code; counts are capped', async () => {
    const tt = await open();
    const names = async (q: string) => (await tt.call('catalog.search', { q, limit: 50 })).items.map((i) => i.name);
    expect((await names('kkkl')).every((n) => n.startsWith('可口可乐'))).toBe(true);
    expect(await names('kkkl')).toHaveLength(4);
    expect((await names('kekou'))[0]).toContain('可口可乐');
    const cola = await names('可乐');
    expect(cola.some((n) => n.startsWith('可口可乐'))).toBe(true);
    expect(cola.some((n) => n.startsWith('百事可乐'))).toBe(true);
    expect(await names('10002')).toEqual(['可口可乐 500ml']);
    const all = await tt.call('catalog.search', { q: '', limit: 20 });
    expect(all.totalCapped).toBe(true);
    expect(all.total).toBe(100);
    const page2 = await tt.call('catalog.search', { q: '', offset: 20, limit: 20 });
    const page1 = await tt.call('catalog.search', { q: '', offset: 0, limit: 20 });
    expect(page2.items.some((i) => page1.items.some((j) => j.skuId === i.skuId))).toBe(false);
  });
});

describe('checkout: approvals, hold and members', () => {
  it('a cashier discounts within the limit alone; above it, and to override a price, a manager approves once (audited with both users)', async () => {
    const tt = await open();
    let cart = cartView(await tt.call('cart.scan', { code: COKE_500, multiplier: 10 })); // ¥35.00
    const line = cart.lines[0].id;
    cart = await tt.call('cart.setLineDiscount', { lineId: line, discount: { kind: 'percent', bp: 1000 } });
    expect(cart.priced.lineDiscountFen).toBe(350);
    const denied = await refusal(tt.call('cart.setLineDiscount', { lineId: line, discount: { kind: 'percent', bp: 2000 } }));
    expect(denied).toMatchObject({ code: 'APPROVAL_REQUIRED', details: { action: 'discount' } });
    expect((await tt.call('cart.get')).priced.lineDiscountFen).toBe(350); // unchanged
    const token = await approvalFor(tt, 'cart.setLineDiscount', { lineId: line, discount: { kind: 'percent', bp: 2000 } });
    cart = await tt.call('cart.setLineDiscount', { lineId: line, discount: { kind: 'percent', bp: 2000 }, approval: token });
    expect(cart.priced.lineDiscountFen).toBe(700);
    // The token was used up.
    expect((await refusal(tt.call('cart.setOrderDiscount', { discount: { kind: 'amount', fen: 1000 }, approval: token }))).code).toBe('APPROVAL_REQUIRED');
    // A token for something else (an order discount) does not do, and is not used up by the refusal.
    const wrong = await approvalFor(tt, 'cart.setOrderDiscount', { discount: { kind: 'amount', fen: 1000 } });
    expect((await refusal(tt.call('cart.overridePrice', { lineId: line, unitPriceFen: 300, approval: wrong }))).code).toBe('APPROVAL_MISMATCH');
    cart = await withManager(tt, 'cart.overridePrice', { lineId: line, unitPriceFen: 300 });
    expect(cart.priced.lines[0].grossFen).toBe(3000);
    expect(cart.lines[0].priceOverriddenBy).toBe('李店长');
    const audits = tt.till.sqlite
      .prepare(`SELECT action, user_id, approver_id FROM audit_log WHERE action LIKE 'cart.%' ORDER BY seq`)
      .all() as { action: string; user_id: string; approver_id: string }[];
    expect(audits.map((a) => a.action)).toEqual(['cart.line_discount', 'cart.price_override']);
    for (const a of audits) expect([a.user_id, a.approver_id]).toEqual([tt.userId('cashier'), tt.userId('manager')]);
    expect(verifyAuditChain(tt.till.sqlite)).toBeNull();
  });

  it('after the subtotal, lowering a quantity, removing a line and voiding need a manager', async () => {
    const tt = await open();
    await tt.call('cart.scan', { code: COKE_500, multiplier: 3 });
    let cart = cartView(await tt.call('cart.scan', { code: COKE_330 }));
    const [a, b] = cart.lines.map((l) => l.id);
    cart = cartView(await tt.call('cart.setQty', { lineId: a, qty: 2000 })); // before the subtotal: free
    cart = await tt.call('cart.subtotal');
    expect(cart.subtotaled).toBe(true);
    expect((await refusal(tt.call('cart.setQty', { lineId: a, qty: 1000 }))).code).toBe('APPROVAL_REQUIRED');
    expect((await refusal(tt.call('cart.removeLine', { lineId: b }))).code).toBe('APPROVAL_REQUIRED');
    expect((await refusal(tt.call('cart.void', {}))).code).toBe('APPROVAL_REQUIRED');
    cart = cartView(await tt.call('cart.setQty', { lineId: a, qty: 5000 })); // raising is free
    cart = await tt.call('cart.reopen');
    expect(cart.subtotaled).toBe(true); // reopen does not lift the rule
    cart = cartView(await withManager(tt, 'cart.setQty', { lineId: a, qty: 1000 }));
    cart = cartView(await withManager(tt, 'cart.removeLine', { lineId: b }));
    expect(cart.lines.map((l) => l.id)).toEqual([a]);
    cart = await withManager(tt, 'cart.void', {});
    expect(cart.lines).toHaveLength(0);
    const actions = (
      tt.till.sqlite
        .prepare(`SELECT action FROM audit_log WHERE approver_id = ? AND action LIKE 'cart.%' ORDER BY seq`)
        .all(tt.userId('manager')) as { action: string }[]
    ).map((r) => r.action);
    expect(actions).toEqual(['cart.reduce_qty', 'cart.remove_line', 'cart.void']);
  });

  it('holds several carts that survive a restart, and recalls one into an empty cart', async () => {
    const tt = await open();
    await tt.call('cart.scan', { code: COKE_500 });
    let cart = await tt.call('cart.hold', { note: '穿红衣服的顾客' });
    expect(cart.lines).toHaveLength(0);
    expect(cart.heldCount).toBe(1);
    await tt.call('cart.scan', { code: COKE_330, multiplier: 2 });
    await tt.call('cart.hold', {});
    t = tt.reopen();
    await t.loginAs('cashier');
    const held = await t.call('cart.held');
    expect(held.map((h) => [h.totalFen, h.note, h.userName])).toEqual([
      [350, '穿红衣服的顾客', '小王'],
      [600, null, '小王'],
    ]);
    await t.call('cart.scan', { code: COKE_330 });
    await t.call('cart.void', {}); // (recalling over items holds them: tests/integration/till/cart-owner.test.ts)
    cart = await t.call('cart.recall', { heldId: held[1].id });
    expect(cart.priced.totalFen).toBe(600);
    expect(cart.heldCount).toBe(1);
    const r = await t.call('sales.pay', { requestId: randomUUID(), payments: [{ method: 'cash', amountFen: 600 }] });
    expect(r.totalFen).toBe(600);
  });

  it('attaches a member by phone and records it on the sale', async () => {
    const tt = await open();
    await tt.call('cart.scan', { code: COKE_500 });
    expect((await refusal(tt.call('cart.attachMember', { phone: '13900000000' }))).code).toBe('MEMBER_NOT_FOUND');
    const cart = await tt.call('cart.attachMember', { phone: '13800000001' });
    expect(cart.member).toMatchObject({ name: '王芳', phone: '138****0001', level: '金卡会员' });
    const r = await tt.call('sales.pay', { requestId: randomUUID(), payments: [{ method: 'cash', amountFen: 350 }] });
    const row = tt.till.sqlite.prepare('SELECT member_id FROM sales WHERE id = ?').get(r.saleId) as { member_id: string };
    expect(row.member_id).toBe(cart.member!.id);
  });

  it('implements every cart, sales and catalog endpoint', () => {
    t = tempTill();
    expect(t.registry.missing().filter((n) => /^(cart|sales|catalog)\./.test(n))).toEqual([]);
    expect(t.registry.names()).toContain('sales.pay');
  });
});
