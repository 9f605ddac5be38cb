// Returns (退货), cancels (撤销) and returns without a receipt. A return is its own sale row (kind
// 'return', negative amounts, original_sale_id) whose lines point at the lines they return, so what
// is still returnable is always derived from the rows, never from a counter. Refund amounts come
// from shared/pricing refundableAmounts: proportional to what the customer paid for the line, never
// more in total than the line's payable, however many partial returns.
import type { SaleResult } from '../../shared/api/sales';
import { TillError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { mulDivRound } from '../../shared/money';
import { refundableAmounts } from '../../shared/pricing';
import type { ReceiptLine } from '../devices/receipt/templates';
import { audit } from './audit';
import { requireApproval } from './cart';
import { receiptLine, returnReceiptPayload } from './receipt-data';
import { nextReceiptNo } from './receipt-no';
import { once, requireShift, saleLines, saleRow, SQL, writeStockMove } from './sales';
import { tenderFor } from './tenders';
import type { OriginalPayment, RefundedPayment, TenderContext } from './tenders/types';
import type { Till } from './till';

interface ReturnLinePlan {
  originalLineId: string | null;
  skuId: string;
  name: string;
  unit: string;
  weighed: boolean;
  qty: number; // positive: units coming back
  unitPriceFen: number;
  refundFen: number;
}

interface ReturnPlan {
  requestId: string;
  originalSaleId: string | null;
  originalReceiptNo: string;
  memberId: string | null;
  lines: ReturnLinePlan[];
  approval: string | undefined;
  action: 'sale.return' | 'sale.cancel' | 'sale.return_no_receipt';
  reason?: string;
  /** For a receipt return: each line's returned qty as planned, re-checked inside the transaction. */
  returnedBefore: Map<string, number>;
}

interface PaymentRow extends OriginalPayment {
  refundedFen: number;
}

/**
 * Splits a refund over the original payments: non-cash tenders first (money goes back where it came
 * from, and a card payment is never turned into cash), then cash, each up to what it kept (cash net of
 * the change given) minus earlier refunds.
 */
export function splitRefund(
  payments: readonly PaymentRow[],
  changeFen: number,
  refundFen: number,
): { payment: PaymentRow; amountFen: number }[] {
  let change = changeFen;
  const kept = payments.map((p) => {
    let k = p.amountFen;
    if (tenderFor(p.method).givesChange && change > 0) {
      const c = Math.min(change, k);
      k -= c;
      change -= c;
    }
    return { payment: p, left: Math.max(0, k - p.refundedFen) };
  });
  const order = [...kept.filter((k) => !tenderFor(k.payment.method).givesChange), ...kept.filter((k) => tenderFor(k.payment.method).givesChange)];
  const out: { payment: PaymentRow; amountFen: number }[] = [];
  let left = refundFen;
  for (const k of order) {
    if (left === 0) break;
    const take = Math.min(left, k.left);
    if (take > 0) out.push({ payment: k.payment, amountFen: take });
    left -= take;
  }
  if (left > 0) throw new TillError('REFUND_EXCEEDS_PAID', '退款金额超过原交易实收金额');
  return out;
}

function returnedQtyNow(till: Till, lineId: string): number {
  return (till.stmt('SELECT COALESCE(-sum(qty), 0) AS q FROM sale_lines WHERE original_line_id = ?').get(lineId) as { q: number }).q;
}

/** Writes the return sale (all of it, in one transaction) after its refunds were captured. */
async function commitReturn(till: Till, plan: ReturnPlan, refundsOf: (saleId: string, ctx: TenderContext) => Promise<RefundedPayment[]>): Promise<SaleResult> {
  const session = till.auth.requireSession();
  const shiftId = requireShift(till);
  const saleId = newId();
  const at = till.now();
  const day = till.businessDay(at);
  const refunds = await refundsOf(saleId, { till, userId: session.userId, saleId, now: at });
  const refundFen = plan.lines.reduce((s, l) => s + l.refundFen, 0);
  const itemCount = plan.lines.reduce((s, l) => s + (l.weighed ? 1 : Math.ceil(l.qty / 1000)), 0);
  const gross = plan.lines.map((l) => mulDivRound(l.unitPriceFen, l.qty, 1000));
  const grossFen = gross.reduce((a, b) => a + b, 0);
  const printJobId = newId();
  const tillId = till.tillId;
  const receiptNo = till.tx(() => {
    for (const [lineId, before] of plan.returnedBefore) {
      if (returnedQtyNow(till, lineId) !== before) throw new TillError('SALE_CHANGED', '该交易刚刚有其他退货，请刷新后重试');
    }
    // A manager's own session approves itself (cancel, no-receipt returns); a cashier used a token.
    const approverId = till.auth.consumeApproval(plan.approval, 'refund');
    const receiptNo = nextReceiptNo(till, day);
    till
      .stmt(SQL.sale)
      .run(saleId, receiptNo, tillId, 'return', plan.originalSaleId, day, shiftId, session.userId, approverId, plan.memberId,
        -grossFen, -(grossFen - refundFen), 0, -refundFen, -refundFen, 0, itemCount, at, plan.requestId);
    plan.lines.forEach((l, i) => {
      till
        .stmt(SQL.line)
        .run(newId(), saleId, i + 1, l.skuId, l.name, -l.qty, l.unitPriceFen, l.unitPriceFen, -gross[i], -(gross[i] - l.refundFen),
          -l.refundFen, -l.refundFen, l.originalLineId, null);
      writeStockMove(till, { skuId: l.skuId, qtyDelta: l.qty, reason: 'return', refId: saleId, userId: session.userId, businessDay: day, at });
    });
    for (const r of refunds) till.stmt(SQL.payment).run(newId(), saleId, r.method, r.amountFen, r.reference, r.status, at, r.originalPaymentId);
    const lines: ReceiptLine[] = plan.lines.map((l, i) => receiptLine(l, l.qty, l.unitPriceFen, gross[i]));
    const payload = returnReceiptPayload({
      returnNo: receiptNo, originalReceiptNo: plan.originalReceiptNo, at, cashier: session.name, tillId, reason: plan.reason, lines,
      itemCount, refundFen, refunds, openDrawer: refunds.some((r) => tenderFor(r.method).opensDrawer),
    });
    till.stmt(SQL.printJob).run(printJobId, 'return', saleId, JSON.stringify(payload), 0, at);
    till.stmt(SQL.outbox).run(newId(), 'order.refunded', JSON.stringify({
      saleId, receiptNo, originalSaleId: plan.originalSaleId, businessDay: day, refundFen,
      lines: plan.lines.map((l) => ({ skuId: l.skuId, qty: l.qty, refundFen: l.refundFen, originalLineId: l.originalLineId })),
      refunds: refunds.map((r) => ({ method: r.method, amountFen: r.amountFen })),
    }), at);
    if (plan.action === 'sale.cancel') {
      till.stmt(`UPDATE sales SET status = 'cancelled' WHERE id = ?`).run(plan.originalSaleId);
    }
    audit(till.sqlite, {
      userId: session.userId, approverId, action: plan.action, target: plan.originalSaleId ?? saleId,
      details: { returnSaleId: saleId, receiptNo, refundFen, reason: plan.reason ?? null },
    }, at);
    return receiptNo;
  });
  return { saleId, receiptNo, totalFen: -refundFen, paidFen: -refundFen, changeFen: 0, printJobId };
}

/** Plans a return of some lines of a past sale; refuses more than is left to return. */
function planReceiptReturn(
  till: Till,
  saleId: string,
  wanted: readonly { lineId: string; qty: number }[],
): { plan: Omit<ReturnPlan, 'requestId' | 'approval' | 'action' | 'reason'>; changeFen: number } {
  const sale = saleRow(till, saleId);
  if (sale.kind !== 'sale') throw new TillError('NOT_A_SALE', '退货单不能再退货');
  if (sale.status === 'cancelled') throw new TillError('SALE_CANCELLED', '该交易已撤销，不能退货');
  const lines = saleLines(till, saleId);
  const byId = new Map(lines.map((l) => [l.id, l]));
  const seen = new Set<string>();
  for (const w of wanted) {
    const l = byId.get(w.lineId);
    if (!l) throw new TillError('UNKNOWN_LINE', '该商品行不属于这笔交易');
    if (seen.has(w.lineId)) throw new TillError('DUPLICATE_LINE', `同一商品行只能填写一次：${l.name}`);
    seen.add(w.lineId);
    if (!l.weighed && w.qty % 1000 !== 0) throw new TillError('QTY_NOT_WHOLE', `${l.name} 按件销售，退货数量须为整数`);
    if (w.qty > l.returnableQty) {
      throw new TillError('RETURN_TOO_MUCH', `退货数量超过可退数量：${l.name}（可退 ${l.returnableQty / 1000}${l.unit}）`);
    }
  }
  const amounts = refundableAmounts(
    lines,
    wanted.map((w) => {
      const l = byId.get(w.lineId)!;
      return { lineId: w.lineId, qty: w.qty, alreadyReturnedQty: l.returnedQty, alreadyRefundedFen: l.refundedFen };
    }),
  );
  return {
    changeFen: sale.changeFen,
    plan: {
      originalSaleId: sale.id,
      originalReceiptNo: sale.receiptNo,
      memberId: sale.memberId,
      returnedBefore: new Map(wanted.map((w) => [w.lineId, byId.get(w.lineId)!.returnedQty])),
      lines: wanted.map((w, i) => {
        const l = byId.get(w.lineId)!;
        return {
          originalLineId: l.id, skuId: l.skuId, name: l.name, unit: l.unit, weighed: l.weighed, qty: w.qty,
          unitPriceFen: l.unitPriceFen, refundFen: amounts[i].refundFen,
        };
      }),
    },
  };
}

/** Refunds to the original tenders (see splitRefund), each through its Tender. */
function refundToOriginal(till: Till, saleId: string, changeFen: number, refundFen: number) {
  const payments = till
    .stmt(
      `SELECT p.id, p.method, p.amount_fen AS amountFen, p.reference,
         COALESCE((SELECT -sum(r.amount_fen) FROM payments r WHERE r.original_payment_id = p.id), 0) AS refundedFen
       FROM payments p WHERE p.sale_id = ? ORDER BY p.rowid`,
    )
    .all(saleId) as PaymentRow[];
  const split = splitRefund(payments, changeFen, refundFen);
  return async (_id: string, ctx: TenderContext) => {
    const out: RefundedPayment[] = [];
    for (const s of split) out.push(await tenderFor(s.payment.method).refund(s.payment, s.amountFen, ctx));
    return out;
  };
}

export async function returnSale(
  till: Till,
  input: { requestId: string; saleId: string; lines: { lineId: string; qty: number }[]; approval?: string; reason?: string },
): Promise<SaleResult> {
  till.auth.requireSession();
  return once(till, input.requestId, 'return', async () => {
    const { plan, changeFen } = planReceiptReturn(till, input.saleId, input.lines);
    requireApproval(till, input.approval, 'refund');
    const refundFen = plan.lines.reduce((s, l) => s + l.refundFen, 0);
    return commitReturn(
      till,
      { ...plan, requestId: input.requestId, approval: input.approval, action: 'sale.return', reason: input.reason },
      refundToOriginal(till, input.saleId, changeFen, refundFen),
    );
  });
}

/** Cancels a completed sale (manager): a full return of what is not returned yet, status 'cancelled'. */
export async function cancelSale(till: Till, input: { requestId: string; saleId: string; reason: string }): Promise<SaleResult> {
  till.auth.requireSession();
  return once(till, input.requestId, 'return', async () => {
    const lines = saleLines(till, input.saleId).filter((l) => l.returnableQty > 0);
    if (!lines.length) {
      saleRow(till, input.saleId); // unknown sale -> UNKNOWN_SALE
      throw new TillError('NOTHING_TO_CANCEL', '该交易已全部退货，无需撤销');
    }
    const { plan, changeFen } = planReceiptReturn(till, input.saleId, lines.map((l) => ({ lineId: l.id, qty: l.returnableQty })));
    const refundFen = plan.lines.reduce((s, l) => s + l.refundFen, 0);
    return commitReturn(
      till,
      { ...plan, requestId: input.requestId, approval: undefined, action: 'sale.cancel', reason: input.reason },
      refundToOriginal(till, input.saleId, changeFen, refundFen),
    );
  });
}

/** A return without a receipt (manager only): cash out of the drawer at the price the manager states. */
export async function returnWithoutReceipt(
  till: Till,
  input: { requestId: string; items: { skuId: string; qty: number; unitPriceFen: number }[]; reason: string },
): Promise<SaleResult> {
  till.auth.requireSession();
  return once(till, input.requestId, 'return', async () => {
    const lines: ReturnLinePlan[] = input.items.map((it) => {
      const row = till
        .stmt(`SELECT s.name, u.name AS unit, u.weighed FROM skus s JOIN units u ON u.id = s.unit_id WHERE s.id = ?`)
        .get(it.skuId) as { name: string; unit: string; weighed: number } | undefined;
      if (!row) throw new TillError('UNKNOWN_SKU', '商品不存在');
      if (!row.weighed && it.qty % 1000 !== 0) throw new TillError('QTY_NOT_WHOLE', `${row.name} 按件销售，退货数量须为整数`);
      return {
        originalLineId: null, skuId: it.skuId, name: row.name, unit: row.unit, weighed: row.weighed === 1, qty: it.qty,
        unitPriceFen: it.unitPriceFen, refundFen: mulDivRound(it.unitPriceFen, it.qty, 1000),
      };
    });
    const refundFen = lines.reduce((s, l) => s + l.refundFen, 0);
    const plan: ReturnPlan = {
      requestId: input.requestId, originalSaleId: null, originalReceiptNo: '无小票', memberId: null, lines,
      approval: undefined, action: 'sale.return_no_receipt', reason: input.reason, returnedBefore: new Map(),
    };
    return commitReturn(till, plan, async (_id, ctx) =>
      refundFen > 0
        ? [{ ...(await tenderFor('cash').refund({ id: '', method: 'cash', amountFen: 0, reference: null }, refundFen, ctx)), originalPaymentId: null }]
        : [],
    );
  });
}
