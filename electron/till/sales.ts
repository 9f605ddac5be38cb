// Paying for the cart, and reprinting a receipt. The sale, its lines, payments, stock moves (with the
// stock cache), the print job, the outbox rows, the receipt number and the removal of the paid cart
// commit in ONE transaction: a crash before the commit leaves no trace, after it nothing is lost.
// The transaction only writes (statements prepared once, every row built before it starts), so it
// costs little more than the bare inserts (tests/bench/checkout.bench.ts). Past sales are read in
// sale-records.ts.
import { and, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { paymentInput, SaleResult } from '../../shared/api/sales';
import { TillError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { formatYuan } from '../../shared/money';
import type { ReceiptJobPayload, ReprintOriginal } from '../devices/receipt/templates';
import { audit } from './audit';
import { activeCart, deletePaidCart, deletePaidHeldCart, heldCart, priceData, type StoredCart } from './cart';
import { idempotencyMismatch, once, requestKey, type RequestKey } from './idempotency';
import { enqueueOutbox, enqueuePrint, moveStock, type StockMove } from './ledger';
import { memberById } from './members';
import { arg, LIMIT_1, prepared } from './prepared';
import { saleReceiptPayload } from './receipt-data';
import { nextReceiptNo } from './receipt-no';
import { firstReceipt, writeSale, type PaymentRecord, type SaleLineRecord } from './sale-records';
import { carts, skus } from './schema';
import { currentShift, isStale, shiftForMoney } from './shift';
import { tenderFor } from './tenders';
import { refuseUnusedReceived, refuseWhilePending } from '../payments/cart-guard';
import type { CapturedPayment, TenderContext } from './tenders/types';
import type { Till } from './till';

export { findSales, getSale } from './sale-records';

/** A tender as the API validated it (shared/api/sales.ts paymentInput). */
export type PaymentIn = z.output<typeof paymentInput>;

const q = prepared((db) => ({
  discontinued: db
    .select({ name: skus.name })
    .from(skus)
    .where(and(eq(skus.active, false), sql`${skus.id} IN (SELECT value FROM json_each(${arg('ids')}))`))
    .limit(LIMIT_1)
    .prepare(),
  activeCartLines: db
    .select({ n: sql<number>`json_array_length(${carts.data}, '$.lines')` })
    .from(carts)
    .where(eq(carts.status, 'active'))
    .limit(LIMIT_1)
    .prepare(),
}));

const discontinued = (name: string) => new TillError('SKU_DISCONTINUED', `${name} 已停售，请删除该商品后再收款`, { name });

/**
 * Refuses a cart holding a SKU discontinued since it was scanned, before any tender takes money (the
 * sale's transaction checks it again where the stock moves).
 */
function refuseDiscontinued(till: Till, skuIds: readonly string[]): void {
  const row = q(till.db).discontinued.get({ ids: JSON.stringify(skuIds) });
  if (row) throw discontinued(row.name);
}

/**
 * One stock move of a sale or a return through the ledger (its row, the stock cache, its outbox
 * row). A sale of a discontinued (停售) SKU is refused here, inside the sale's transaction (it may
 * have been discontinued while a tender was capturing); a return takes anything back.
 */
export function writeStockMove(till: Till, m: Omit<StockMove, 'reason'> & { reason: 'sale' | 'return'; name?: string }): void {
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
  const row = q(till.db).activeCartLines.get();
  if (row && row.n > 0) throw idempotencyMismatch('该请求编号属于上一笔已完成的交易，当前购物车未收款；请重新收款');
}

/**
 * Pays for the active cart: checks it (not empty, open shift, nothing discontinued, tenders cover the
 * total), captures each tender, then writes everything in one transaction.
 */
export async function pay(till: Till, input: { requestId: string; payments: PaymentIn[] }): Promise<SaleResult> {
  const session = till.auth.requireSession();
  const key = requestKey('sales.pay', input);
  return once(till, key, async () => {
    // Checks: nothing is taken from a tender before all of them pass.
    const cart = activeCart(till);
    if (!cart.data.lines.length) throw new TillError('CART_EMPTY', '购物车为空');
    refuseWhilePending(till, cart.id); // an electronic payment of this cart is not final: no other tender
    const shiftId = shiftForMoney(till);
    refuseDiscontinued(till, cart.data.lines.map((l) => l.skuId));
    const priced = priceData(till, cart.data);
    const { paidFen, changeFen } = checkTenders(priced.totalFen, input.payments);

    return completeSale(till, {
      cart, user: { userId: session.userId, name: session.name }, shiftId, priced, paidFen, changeFen, payments: input.payments, key,
      removeCart: () => deletePaidCart(till, cart),
    });
  }, () => refuseReplayOnNewCart(till));
}

/**
 * A held cart (挂单) paid by a remote payment request (electron/payments/requests.ts), in the background
 * with no session: the same sale as sales.pay, in one transaction, recorded under the cart's owner in
 * the open shift; `inTx` marks the request inside that transaction. Refused (the payment then stays
 * received, and the cashier finishes the cart with it) when the cart was changed or recalled, a SKU was
 * discontinued, the amount differs, or no shift may take money.
 */
export async function payHeldCart(
  till: Till,
  p: { cartId: string; payment: PaymentIn; inTx: (saleId: string) => void },
): Promise<SaleResult> {
  const cart = heldCart(till, p.cartId);
  if (!cart || !cart.data.lines.length) throw new TillError('UNKNOWN_CART', '找不到该挂单（可能已取单）');
  const shift = currentShift(till);
  if (shift && isStale(till, shift)) throw new TillError('SHIFT_STALE', '上一班次未交班，请交班后取单结账');
  if (!shift && till.settings.get('checkout.requireShift')) throw new TillError('SHIFT_REQUIRED', '未开班，请开班后取单结账');
  refuseDiscontinued(till, cart.data.lines.map((l) => l.skuId));
  const priced = priceData(till, cart.data);
  const { paidFen, changeFen } = checkTenders(priced.totalFen, [p.payment]);
  const owner = till.sqlite.prepare('SELECT name FROM users WHERE id = ?').get(cart.userId) as { name: string } | undefined;
  return completeSale(till, {
    cart, user: { userId: cart.userId, name: owner?.name ?? '' }, shiftId: shift?.id ?? null, priced, paidFen, changeFen,
    payments: [p.payment], key: null, removeCart: () => deletePaidHeldCart(till, cart), inTx: p.inTx,
  });
}

/** What a sale is made of once its checks passed (sales.pay; a held cart paid by a remote payment request). */
interface SaleOfCart {
  cart: StoredCart;
  user: { userId: string; name: string };
  shiftId: string | null;
  priced: ReturnType<typeof priceData>;
  paidFen: number;
  changeFen: number;
  payments: readonly PaymentIn[];
  key: RequestKey | null;
  /** Removes the paid cart inside the sale's transaction (refuses one changed meanwhile). */
  removeCart: () => void;
  /** More writes in the sale's transaction (the payment request that paid it). */
  inTx?: (saleId: string) => void;
}

/** Captures the tenders, then writes the sale, its lines, payments, stock moves, print job and outbox rows in one transaction. */
async function completeSale(till: Till, p: SaleOfCart): Promise<SaleResult> {
  const { cart, priced, paidFen, changeFen } = p;
  // Tenders: each takes its part (a card or a code payment may await its platform).
  const saleId = newId();
  const at = till.now();
  const ctx: TenderContext = { till, userId: p.user.userId, saleId, now: at };
  const captured: CapturedPayment[] = [];
  for (const t of p.payments) captured.push(await tenderFor(t.method).capture(t.amountFen, t as never, ctx));

  // The rows, built before the transaction so it only writes.
  const day = till.businessDay(at);
  const tillId = till.tillId;
  const member = cart.data.memberId ? memberById(till, cart.data.memberId) : null;
  const lines: SaleLineRecord[] = priced.lines.map((l, i) => ({
    id: newId(), saleId, lineNo: i + 1, skuId: l.skuId, name: l.name, qty: l.qty, unitPriceFen: l.unitPriceFen,
    originalUnitPriceFen: l.originalUnitPriceFen, grossFen: l.grossFen, discountFen: l.grossFen - l.netFen, netFen: l.netFen,
    payableFen: l.payableFen, originalLineId: null, note: cart.data.lines[i].note,
    // The discount by kind (单品 / 促销 / 整单 share), for the Z report.
    lineDiscountFen: l.lineDiscountFen, promoDiscountFen: l.promoDiscountFen, orderDiscountFen: l.orderDiscountShareFen,
  }));
  const paid: PaymentRecord[] = captured.map((c) => ({
    id: newId(), saleId, method: c.method, amountFen: c.amountFen, reference: c.reference, status: c.status, createdAt: at, originalPaymentId: null,
  }));
  const order = {
    saleId, businessDay: day, memberId: member?.id ?? null, totalFen: priced.totalFen,
    lines: priced.lines.map((l) => ({ skuId: l.skuId, qty: l.qty, payableFen: l.payableFen })),
    payments: captured.map((c) => ({ method: c.method, amountFen: c.amountFen })),
  };
  const openDrawer = captured.some((c) => tenderFor(c.method).opensDrawer);
  const printJobId = newId();

  const receiptNo = till.tx(() => {
    const receiptNo = nextReceiptNo(till, day);
    writeSale(till.db, {
      id: saleId, receiptNo, tillId, kind: 'sale', originalSaleId: null, businessDay: day, shiftId: p.shiftId, userId: p.user.userId, approvedBy: null,
      memberId: member?.id ?? null, grossFen: priced.grossFen, discountFen: priced.discountFen, roundingFen: priced.roundingFen,
      totalFen: priced.totalFen, paidFen, changeFen, itemCount: priced.itemCount, createdAt: at, requestId: p.key?.requestId ?? null, requestHash: p.key?.hash ?? null,
    }, lines, paid);
    for (const l of priced.lines) {
      writeStockMove(till, { skuId: l.skuId, name: l.name, qtyDelta: -l.qty, reason: 'sale', refId: saleId, userId: p.user.userId, businessDay: day, at });
    }
    const payload = saleReceiptPayload({
      receiptNo, at, cashier: p.user.name, tillId, priced, lines: cart.data.lines, payments: captured, changeFen, member, openDrawer,
    });
    enqueuePrint(till.db, { id: printJobId, kind: 'sale', refId: saleId, payload, at });
    enqueueOutbox(till.db, 'order.created', { ...order, receiptNo }, at);
    // Electronic tenders link their attempt to this sale (and may refuse); no received payment of the cart left out.
    for (const c of captured) tenderFor(c.method).commitCapture?.(c, { ...ctx, cartId: cart.id });
    refuseUnusedReceived(till, cart.id);
    refuseWhilePending(till, cart.id);
    p.removeCart();
    p.inTx?.(saleId);
    return receiptNo;
  });
  return { saleId, receiptNo, totalFen: priced.totalFen, paidFen, changeFen, printJobId };
}

/** A new print job of the original receipt, marked 重印 (is_copy). Audited: reprints can be misused. */
export function reprint(till: Till, saleId: string): { printJobId: string } {
  const session = till.auth.requireSession();
  const job = firstReceipt(till, saleId);
  if (!job) throw new TillError('UNKNOWN_SALE', '找不到该交易的小票');
  const original = job.payload as ReprintOriginal; // the sale's or return's own job
  const { openDrawer: _kick, ...data } = original.data; // a reprint never opens the drawer
  const at = till.now();
  const payload: ReceiptJobPayload = {
    v: 1,
    template: 'reprint',
    data: { original: { template: original.template, data } as ReprintOriginal, reprintAt: at, by: session.name },
  };
  const printJobId = till.tx(() => {
    const id = enqueuePrint(till.db, { kind: 'reprint', refId: saleId, payload, isCopy: true, at });
    audit(till.sqlite, { userId: session.userId, action: 'sale.reprint', target: saleId }, at);
    return id;
  });
  return { printJobId };
}
