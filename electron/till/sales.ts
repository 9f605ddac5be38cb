// Paying for the cart, and reading past sales. The sale, its lines, payments, stock moves (with the
// stock cache), the print job, the outbox rows, the receipt number and the removal of the paid cart
// commit in ONE transaction: a crash before the commit leaves no trace, after it nothing is lost.
// The transaction only writes (statements prepared once, every value computed before it starts), so
// it costs little more than the bare inserts (tests/bench/checkout.bench.ts).
import type { SaleLineView, SaleResult, SaleSummary, SaleView } from '../../shared/api/sales';
import { TillError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { formatYuan } from '../../shared/money';
import { activeCart, deletePaidCart, priceData } from './cart';
import { memberById } from './members';
import { saleReceiptPayload } from './receipt-data';
import { nextReceiptNo, normalizeReceiptNo } from './receipt-no';
import { shiftForMoney } from './shift';
import { tenderFor } from './tenders';
import type { CapturedPayment, TenderContext } from './tenders/types';
import type { Till } from './till';
import { audit } from './audit';
import type { ReceiptJobPayload } from '../devices/receipt/templates';
import { enqueueOutbox, enqueuePrint, moveStock } from './ledger';
import { idempotencyMismatch, once, requestKey } from './idempotency';

export type PaymentIn = { method: 'cash'; amountFen: number } | { method: 'card_terminal'; amountFen: number; reference: string };

/**
 * The open shift's id; refuses when the till requires one and none is open, when it is another
 * cashier's, or when it was left open overnight (shift.ts shiftForMoney).
 */
export function requireShift(till: Till): string | null {
  return shiftForMoney(till);
}

// Statements of the commit, shared by sales and returns.
export const SQL = {
  sale: `INSERT INTO sales (id, receipt_no, till_id, kind, status, original_sale_id, business_day, shift_id, user_id,
      approved_by, member_id, gross_fen, discount_fen, rounding_fen, total_fen, paid_fen, change_fen, item_count, created_at, request_id,
      request_hash)
    VALUES (?, ?, ?, ?, 'completed', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  line: `INSERT INTO sale_lines (id, sale_id, line_no, sku_id, name, qty, unit_price_fen, original_unit_price_fen,
      gross_fen, discount_fen, net_fen, payable_fen, original_line_id, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  // A sale's line keeps its discount by kind (单品 / 促销 / 整单 share) for the Z report.
  saleLine: `INSERT INTO sale_lines (id, sale_id, line_no, sku_id, name, qty, unit_price_fen, original_unit_price_fen,
      gross_fen, discount_fen, net_fen, payable_fen, original_line_id, note, line_discount_fen, promo_discount_fen, order_discount_fen)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  payment: `INSERT INTO payments (id, sale_id, method, amount_fen, reference, status, created_at, original_payment_id)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
};

const discontinued = (name: string) => new TillError('SKU_DISCONTINUED', `${name} 已停售，请删除该商品后再收款`, { name });

/**
 * Refuses a cart holding a SKU discontinued since it was scanned, before any tender takes money (the
 * sale's transaction checks it again where the stock moves).
 */
function refuseDiscontinued(till: Till, skuIds: readonly string[]): void {
  const row = till
    .stmt(`SELECT name FROM skus WHERE active = 0 AND id IN (SELECT value FROM json_each(?)) LIMIT 1`)
    .get(JSON.stringify(skuIds)) as { name: string } | undefined;
  if (row) throw discontinued(row.name);
}

/**
 * One stock move through the ledger (its row, the stock cache, its outbox row). A sale of a
 * discontinued (停售) SKU is refused here, inside the sale's transaction; returns take anything back.
 */
export function writeStockMove(
  till: Till,
  m: { skuId: string; name?: string; qtyDelta: number; reason: 'sale' | 'return'; refId: string; userId: string; businessDay: string; at: number },
): void {
  const id = moveStock(till.db, { ...m, onlyOnSale: m.reason === 'sale' });
  if (id === null) throw discontinued(m.name ?? '商品');
}

/** Checks the tenders against the amount due: change only from cash, others never above the due. */
export function checkTenders(dueFen: number, payments: readonly { method: string; amountFen: number }[]): { paidFen: number; changeFen: number } {
  let paidFen = 0;
  let nonCashFen = 0;
  for (const p of payments) {
    const tender = tenderFor(p.method);
    paidFen += p.amountFen;
    if (!tender.givesChange) nonCashFen += p.amountFen;
  }
  if (nonCashFen > dueFen) {
    throw new TillError('NONCASH_OVER', `非现金支付合计 ${formatYuan(nonCashFen)} 超过应收 ${formatYuan(dueFen)}，不能找零`, { nonCashFen, dueFen });
  }
  if (paidFen < dueFen) throw new TillError('UNDERPAID', `还差 ${formatYuan(dueFen - paidFen)}，请继续收款`, { shortFen: dueFen - paidFen });
  return { paidFen, changeFen: paidFen - dueFen };
}

/**
 * A paid cart is deleted with its sale, so a retry of a pay finds the cart empty. Finding lines in it
 * means the key is being spent on the next cart (same tenders, same total is common): refused, so
 * that cart is not left unpaid behind an earlier sale's result.
 */
function refuseReplayOnNewCart(till: Till): void {
  const row = till.stmt(`SELECT json_array_length(data, '$.lines') AS n FROM carts WHERE status = 'active' LIMIT 1`).get() as
    | { n: number }
    | undefined;
  if (row && row.n > 0) throw idempotencyMismatch('该请求编号属于上一笔已完成的交易，当前购物车未收款；请重新收款');
}

export async function pay(till: Till, input: { requestId: string; payments: PaymentIn[] }): Promise<SaleResult> {
  const session = till.auth.requireSession();
  const key = requestKey('sales.pay', input);
  return once(till, key, async () => {
    const cart = activeCart(till);
    if (!cart.data.lines.length) throw new TillError('CART_EMPTY', '购物车为空');
    const shiftId = requireShift(till);
    refuseDiscontinued(till, cart.data.lines.map((l) => l.skuId));
    const priced = priceData(till, cart.data);
    const { paidFen, changeFen } = checkTenders(priced.totalFen, input.payments);
    const saleId = newId();
    const at = till.now();
    const ctx: TenderContext = { till, userId: session.userId, saleId, now: at };
    const captured: CapturedPayment[] = [];
    for (const p of input.payments) captured.push(await tenderFor(p.method).capture(p.amountFen, p as never, ctx));
    const day = till.businessDay(at);
    const member = cart.data.memberId ? memberById(till, cart.data.memberId) : null;
    const opensDrawer = captured.some((p) => tenderFor(p.method).opensDrawer);
    const tillId = till.tillId;
    const lineIds = cart.data.lines.map(() => newId());
    const printJobId = newId();

    const receiptNo = till.tx(() => {
      const receiptNo = nextReceiptNo(till, day);
      till
        .stmt(SQL.sale)
        .run(saleId, receiptNo, tillId, 'sale', null, day, shiftId, session.userId, null, member?.id ?? null, priced.grossFen,
          priced.discountFen, priced.roundingFen, priced.totalFen, paidFen, changeFen, priced.itemCount, at, key.requestId, key.hash);
      priced.lines.forEach((l, i) => {
        const stored = cart.data.lines[i];
        till
          .stmt(SQL.saleLine)
          .run(lineIds[i], saleId, i + 1, l.skuId, l.name, l.qty, l.unitPriceFen, l.originalUnitPriceFen, l.grossFen,
            l.grossFen - l.netFen, l.netFen, l.payableFen, null, stored.note, l.lineDiscountFen, l.promoDiscountFen, l.orderDiscountShareFen);
        writeStockMove(till, { skuId: l.skuId, name: l.name, qtyDelta: -l.qty, reason: 'sale', refId: saleId, userId: session.userId, businessDay: day, at });
      });
      for (const p of captured) till.stmt(SQL.payment).run(newId(), saleId, p.method, p.amountFen, p.reference, p.status, at, null);
      const payload = saleReceiptPayload({
        receiptNo, at, cashier: session.name, tillId, priced, lines: cart.data.lines, payments: captured, changeFen, member, openDrawer: opensDrawer,
      });
      enqueuePrint(till.db, { id: printJobId, kind: 'sale', refId: saleId, payload, at });
      enqueueOutbox(till.db, 'order.created', {
        saleId, receiptNo, businessDay: day, memberId: member?.id ?? null, totalFen: priced.totalFen,
        lines: priced.lines.map((l) => ({ skuId: l.skuId, qty: l.qty, payableFen: l.payableFen })),
        payments: captured.map((p) => ({ method: p.method, amountFen: p.amountFen })),
      }, at);
      deletePaidCart(till, cart);
      return receiptNo;
    });
    return { saleId, receiptNo, totalFen: priced.totalFen, paidFen, changeFen, printJobId };
  }, () => refuseReplayOnNewCart(till));
}

// ---------------------------------------------------------------------------------------------
// Reading past sales

interface SaleRow {
  id: string;
  receiptNo: string;
  kind: 'sale' | 'return';
  status: 'completed' | 'cancelled';
  createdAt: number;
  businessDay: string;
  cashierName: string;
  totalFen: number;
  paidFen: number;
  changeFen: number;
  originalReceiptNo: string | null;
  memberId: string | null;
}

export function saleLines(till: Till, saleId: string): SaleLineView[] {
  const rows = till
    .stmt(
      `SELECT l.id, l.line_no AS lineNo, l.sku_id AS skuId, l.name, l.qty, u.name AS unit, u.weighed,
         l.unit_price_fen AS unitPriceFen, l.net_fen AS netFen, l.payable_fen AS payableFen,
         COALESCE((SELECT -sum(r.qty) FROM sale_lines r WHERE r.original_line_id = l.id), 0) AS returnedQty,
         COALESCE((SELECT -sum(r.payable_fen) FROM sale_lines r WHERE r.original_line_id = l.id), 0) AS refundedFen
       FROM sale_lines l JOIN skus s ON s.id = l.sku_id JOIN units u ON u.id = s.unit_id
       WHERE l.sale_id = ? ORDER BY l.line_no`,
    )
    .all(saleId) as (Omit<SaleLineView, 'weighed' | 'returnableQty'> & { weighed: number })[];
  return rows.map((r) => ({ ...r, weighed: r.weighed === 1, returnableQty: Math.max(0, r.qty - r.returnedQty) }));
}

export function saleRow(till: Till, saleId: string): SaleRow {
  const row = till
    .stmt(
      `SELECT s.id, s.receipt_no AS receiptNo, s.kind, s.status, s.created_at AS createdAt, s.business_day AS businessDay,
         u.name AS cashierName, s.total_fen AS totalFen, s.paid_fen AS paidFen, s.change_fen AS changeFen,
         o.receipt_no AS originalReceiptNo, s.member_id AS memberId
       FROM sales s JOIN users u ON u.id = s.user_id LEFT JOIN sales o ON o.id = s.original_sale_id WHERE s.id = ?`,
    )
    .get(saleId) as SaleRow | undefined;
  if (!row) throw new TillError('UNKNOWN_SALE', '交易不存在');
  return row;
}

export function getSale(till: Till, saleId: string): SaleView {
  const { memberId: _m, ...row } = saleRow(till, saleId);
  const payments = till
    .stmt(`SELECT method, amount_fen AS amountFen, reference FROM payments WHERE sale_id = ? ORDER BY rowid`)
    .all(saleId) as SaleView['payments'];
  return { ...row, lines: saleLines(till, saleId), payments };
}

const SUMMARY = `SELECT id, receipt_no AS receiptNo, kind, status, created_at AS createdAt, total_fen AS totalFen, item_count AS itemCount FROM sales`;

/** By receipt number (the receipt's barcode), else by business day (default today) and amount. */
export function findSales(
  till: Till,
  q: { receiptNo?: string; businessDay?: string; amountFen?: number; limit: number },
): SaleSummary[] {
  if (q.receiptNo) {
    return till.stmt(`${SUMMARY} WHERE receipt_no = ?`).all(normalizeReceiptNo(q.receiptNo)) as SaleSummary[];
  }
  const day = q.businessDay ?? till.businessDay();
  if (q.amountFen !== undefined) {
    return till
      .stmt(`${SUMMARY} WHERE business_day = ? AND abs(total_fen) = ? ORDER BY created_at DESC LIMIT ?`)
      .all(day, q.amountFen, q.limit) as SaleSummary[];
  }
  return till.stmt(`${SUMMARY} WHERE business_day = ? ORDER BY created_at DESC LIMIT ?`).all(day, q.limit) as SaleSummary[];
}

/** A new print job of the original receipt, marked 重印 (is_copy = 1). Audited: reprints can be misused. */
export function reprint(till: Till, saleId: string): { printJobId: string } {
  const session = till.auth.requireSession();
  const job = till
    .stmt(`SELECT payload FROM print_jobs WHERE ref_id = ? AND is_copy = 0 AND kind IN ('sale', 'return') LIMIT 1`)
    .get(saleId) as { payload: string } | undefined;
  if (!job) throw new TillError('UNKNOWN_SALE', '找不到该交易的小票');
  const original = JSON.parse(job.payload) as { template: 'sale' | 'return'; data: { openDrawer?: number }; v: 1 };
  const { openDrawer: _kick, ...data } = original.data; // a reprint never opens the drawer
  const at = till.now();
  const id = newId();
  const payload = {
    v: 1,
    template: 'reprint',
    data: { original: { template: original.template, data }, reprintAt: at, by: session.name },
  };
  till.tx(() => {
    enqueuePrint(till.db, { id, kind: 'reprint', refId: saleId, payload: payload as unknown as ReceiptJobPayload /* the stored job's own JSON */, isCopy: true, at });
    audit(till.sqlite, { userId: session.userId, action: 'sale.reprint', target: saleId }, at);
  });
  return { printJobId: id };
}
