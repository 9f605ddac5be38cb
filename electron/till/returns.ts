// Returns (退货), cancels (撤销) and returns without a receipt. A return is its own sale row (kind
// 'return', negative amounts, original_sale_id) whose lines point at the lines they return, so what
// is still returnable is always derived from the rows, never from a counter. Refund amounts come
// from shared/pricing refundableAmounts: proportional to what the customer paid for the line, never
// more in total than the line's payable, however many partial returns.
//
// A receipt return's refund goes back to the original tenders (splitRefund). The preview
// (sales.refundPlan) and the return itself both come from planRefund, so what the cashier is told to
// refund on the card terminal is exactly what the return records. A tender refunded on a device the
// till does not drive (the card terminal) needs the reference the cashier types from that device;
// it is asked for before anything is written.
import type { RefundPlanView, RefundReferences, SaleResult, TenderMethod } from '../../shared/api/sales';
import { ApprovalAction } from '../../shared/approvals';
import { TillError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { formatYuan, mulDivRound } from '../../shared/money';
import { refundableAmounts } from '../../shared/pricing';
import type { ReceiptLine } from '../devices/receipt/templates';
import { audit } from './audit';
import { skuById } from './catalog';
import { qtyText, type ApprovalSpec, type Grant } from './approvals';
import { receiptLine, returnReceiptPayload } from './receipt-data';
import { nextReceiptNo } from './receipt-no';
import { once, requestKey, type RequestKey } from './idempotency';
import { enqueueOutbox, enqueuePrint, moveStock } from './ledger';
import { markCancelled, returnedQty, saleHeader, saleLineViews, salePayments, writeSale, type SalePayment } from './sale-records';
import { shiftForMoney } from './shift';
import { tenderFor, tenderLabel } from './tenders';
import type { RefundedPayment, TenderContext } from './tenders/types';
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
  /** The call's idempotency key, stored with the return (electron/till/idempotency.ts). */
  request: RequestKey;
  originalSaleId: string | null;
  originalReceiptNo: string;
  memberId: string | null;
  lines: ReturnLinePlan[];
  /** The manager's approval of exactly this refund, held while it runs (see holding()). */
  approval: Grant;
  action: 'sale.return' | 'sale.cancel' | 'sale.return_no_receipt';
  reason?: string;
  /** For a receipt return: each line's returned qty as planned, re-checked inside the transaction. */
  returnedBefore: Map<string, number>;
}

/** An original payment as stored, with what has been refunded from it so far. */
type PaymentRow = SalePayment;

/** What each original payment can still give back: what it kept (cash net of the change) minus earlier refunds. */
function refundRoom(payments: readonly PaymentRow[], changeFen: number): { payment: PaymentRow; left: number }[] {
  let change = changeFen;
  return payments.map((p) => {
    let k = p.amountFen;
    if (tenderFor(p.method).givesChange && change > 0) {
      const c = Math.min(change, k);
      k -= c;
      change -= c;
    }
    return { payment: p, left: Math.max(0, k - p.refundedFen) };
  });
}

/** A sale's payments with what has been refunded from each so far. */
const paymentsOf = salePayments;

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
  const kept = refundRoom(payments, changeFen);
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

/**
 * The money invariants of a receipt return, checked inside its transaction against the rows as they
 * are now (the plan was made before the refunds were captured, and another return may have committed
 * since): each refund at most what its tender can still give back, and all of them at most what was
 * paid minus earlier refunds.
 */
function assertRefundsFit(till: Till, saleId: string, refunds: readonly RefundedPayment[]): void {
  const sale = saleHeader(till, saleId);
  const room = refundRoom(paymentsOf(till, saleId), sale.changeFen);
  const byId = new Map(room.map((r) => [r.payment.id, r]));
  const asked = new Map<string, number>();
  for (const r of refunds) {
    const p = r.originalPaymentId ? byId.get(r.originalPaymentId) : undefined;
    if (!p) throw new TillError('REFUND_EXCEEDS_TENDER', '退款必须退回原交易的支付方式');
    asked.set(p.payment.id, (asked.get(p.payment.id) ?? 0) - r.amountFen);
  }
  for (const [id, fen] of asked) {
    const p = byId.get(id)!;
    if (fen > p.left) {
      throw new TillError(
        'REFUND_EXCEEDS_TENDER',
        `该交易刚刚有其他退货：${tenderLabel(p.payment.method)}最多还可退 ${formatYuan(p.left)}，本次 ${formatYuan(fen)}，请刷新后重试`,
      );
    }
  }
  const total = [...asked.values()].reduce((a, b) => a + b, 0);
  const left = room.reduce((a, r) => a + r.left, 0);
  if (total > left) {
    throw new TillError('REFUND_EXCEEDS_TENDER', `该交易刚刚有其他退货：最多还可退 ${formatYuan(left)}，本次 ${formatYuan(total)}，请刷新后重试`);
  }
}

/** Writes the return sale (all of it, in one transaction) after its refunds were captured. */
async function commitReturn(till: Till, plan: ReturnPlan, refundsOf: (saleId: string, ctx: TenderContext) => Promise<RefundedPayment[]>): Promise<SaleResult> {
  const session = till.auth.requireSession();
  const shiftId = shiftForMoney(till);
  const saleId = newId();
  const at = till.now();
  const day = till.businessDay(at);
  // requestId: a retried return reuses the platform refund it started (electron/payments/refunds.ts).
  const ctx: TenderContext = { till, userId: session.userId, saleId, now: at, requestId: plan.request.requestId };
  const refunds = await refundsOf(saleId, ctx);
  const refundFen = plan.lines.reduce((s, l) => s + l.refundFen, 0);
  const itemCount = plan.lines.reduce((s, l) => s + (l.weighed ? 1 : Math.ceil(l.qty / 1000)), 0);
  const gross = plan.lines.map((l) => mulDivRound(l.unitPriceFen, l.qty, 1000));
  const grossFen = gross.reduce((a, b) => a + b, 0);
  const printJobId = newId();
  const tillId = till.tillId;
  const receiptNo = till.tx(() => {
    for (const [lineId, before] of plan.returnedBefore) {
      if (returnedQty(till, lineId) !== before) throw new TillError('SALE_CHANGED', '该交易刚刚有其他退货，请刷新后重试');
    }
    if (plan.originalSaleId) assertRefundsFit(till, plan.originalSaleId, refunds);
    // A manager's own session approves itself (cancel, no-receipt returns); a cashier used a token.
    const approverId = plan.approval.approverId;
    const receiptNo = nextReceiptNo(till, day);
    writeSale(till.db, {
      id: saleId, receiptNo, tillId, kind: 'return', originalSaleId: plan.originalSaleId, businessDay: day, shiftId, userId: session.userId,
      approvedBy: approverId, memberId: plan.memberId, grossFen: -grossFen, discountFen: -(grossFen - refundFen), roundingFen: 0,
      totalFen: -refundFen, paidFen: -refundFen, changeFen: 0, itemCount, createdAt: at, requestId: plan.request.requestId, requestHash: plan.request.hash,
    }, plan.lines.map((l, i) => ({
      id: newId(), saleId, lineNo: i + 1, skuId: l.skuId, name: l.name, qty: -l.qty, unitPriceFen: l.unitPriceFen, originalUnitPriceFen: l.unitPriceFen,
      grossFen: -gross[i], discountFen: -(gross[i] - l.refundFen), netFen: -l.refundFen, payableFen: -l.refundFen, originalLineId: l.originalLineId,
      note: null, lineDiscountFen: 0, promoDiscountFen: 0, orderDiscountFen: 0,
    })), refunds.map((r) => ({
      id: newId(), saleId, method: r.method, amountFen: r.amountFen, reference: r.reference, status: r.status, createdAt: at, originalPaymentId: r.originalPaymentId,
    })));
    // An electronic refund belongs to this return (its row was written before the platform was called).
    for (const r of refunds) tenderFor(r.method).commitRefund?.(r, ctx);
    // A return takes anything back, a discontinued SKU too.
    for (const l of plan.lines) moveStock(till.db, { skuId: l.skuId, qtyDelta: l.qty, reason: 'return', refId: saleId, userId: session.userId, businessDay: day, at });
    const lines: ReceiptLine[] = plan.lines.map((l, i) => receiptLine(l, l.qty, l.unitPriceFen, gross[i]));
    const payload = returnReceiptPayload({
      returnNo: receiptNo, originalReceiptNo: plan.originalReceiptNo, at, cashier: session.name, tillId, reason: plan.reason, lines,
      itemCount, refundFen, refunds, openDrawer: refunds.some((r) => tenderFor(r.method).opensDrawer),
    });
    enqueuePrint(till.db, { id: printJobId, kind: 'return', refId: saleId, payload, at });
    enqueueOutbox(till.db, 'order.refunded', {
      saleId, receiptNo, originalSaleId: plan.originalSaleId, businessDay: day, refundFen,
      lines: plan.lines.map((l) => ({ skuId: l.skuId, qty: l.qty, refundFen: l.refundFen, originalLineId: l.originalLineId })),
      refunds: refunds.map((r) => ({ method: r.method, amountFen: r.amountFen })),
    }, at);
    if (plan.action === 'sale.cancel') markCancelled(till.db, plan.originalSaleId!);
    audit(till.sqlite, {
      userId: session.userId, approverId, action: plan.action, target: plan.originalSaleId ?? saleId,
      details: {
        returnSaleId: saleId, receiptNo, refundFen, reason: plan.reason ?? null,
        refunds: refunds.map((r) => ({ method: r.method, amountFen: r.amountFen, reference: r.reference })),
      },
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
): { plan: Omit<ReturnPlan, 'request' | 'approval' | 'action' | 'reason'>; changeFen: number } {
  const sale = saleHeader(till, saleId);
  if (sale.kind !== 'sale') throw new TillError('NOT_A_SALE', '退货单不能再退货');
  if (sale.status === 'cancelled') throw new TillError('SALE_CANCELLED', '该交易已撤销，不能退货');
  const lines = saleLineViews(till, saleId);
  const byId = new Map(lines.map((l) => [l.id, l]));
  const seen = new Set<string>();
  for (const w of wanted) {
    const l = byId.get(w.lineId);
    if (!l) throw new TillError('UNKNOWN_LINE', '该商品行不属于这笔交易');
    if (seen.has(w.lineId)) throw new TillError('DUPLICATE_LINE', `同一商品行只能填写一次：${l.name}`, { name: l.name });
    seen.add(w.lineId);
    if (!l.weighed && w.qty % 1000 !== 0) throw new TillError('QTY_NOT_WHOLE', `${l.name} 按件销售，退货数量须为整数`, { name: l.name });
    if (w.qty > l.returnableQty) {
      throw new TillError('RETURN_TOO_MUCH', `退货数量超过可退数量：${l.name}（可退 ${l.returnableQty / 1000}${l.unit}）`, { name: l.name });
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

type RefundPart = { payment: PaymentRow; amountFen: number };

/**
 * Everything a receipt return (or a cancel) will do: the lines with their refunds and the split over
 * the original tenders. The preview endpoint and the return itself both call this.
 */
export function planRefund(
  till: Till,
  saleId: string,
  wanted: readonly { lineId: string; qty: number }[],
): { plan: Omit<ReturnPlan, 'request' | 'approval' | 'action' | 'reason'>; refundFen: number; split: RefundPart[] } {
  const { plan, changeFen } = planReceiptReturn(till, saleId, wanted);
  const refundFen = plan.lines.reduce((s, l) => s + l.refundFen, 0);
  return { plan, refundFen, split: splitRefund(paymentsOf(till, saleId), changeFen, refundFen) };
}

/** What is still returnable on every line: a cancel (and the preview of one). */
function allRemaining(till: Till, saleId: string): { lineId: string; qty: number }[] {
  const lines = saleLineViews(till, saleId).filter((l) => l.returnableQty > 0);
  if (!lines.length) {
    saleHeader(till, saleId); // unknown sale -> UNKNOWN_SALE
    throw new TillError('NOTHING_TO_CANCEL', '该交易已全部退货，无需撤销');
  }
  return lines.map((l) => ({ lineId: l.id, qty: l.returnableQty }));
}

const partsOf = (split: readonly RefundPart[]): RefundPlanView['parts'] =>
  split.map((s) => ({
    method: s.payment.method as TenderMethod,
    amountFen: s.amountFen,
    needsReference: tenderFor(s.payment.method).refundNeedsReference,
    originalReference: s.payment.reference,
  }));

/** The refund preview (sales.refundPlan): exactly what returnSale / cancelSale would refund, and how. */
export function refundPlan(till: Till, input: { saleId: string; lines?: { lineId: string; qty: number }[] }): RefundPlanView {
  till.auth.requireSession();
  const { plan, refundFen, split } = planRefund(till, input.saleId, input.lines ?? allRemaining(till, input.saleId));
  return {
    saleId: input.saleId,
    refundFen,
    lines: plan.lines.map((l) => ({ lineId: l.originalLineId!, qty: l.qty, refundFen: l.refundFen })),
    parts: partsOf(split),
  };
}

/**
 * Refuses (before anything is written) a refund with a part the cashier must run on a device and
 * whose reference was not given, saying which amount to refund where.
 */
function requireRefundReferences(split: readonly RefundPart[], refs: RefundReferences | undefined): void {
  const missing = new Map<string, number>();
  for (const s of split) {
    if (!tenderFor(s.payment.method).refundNeedsReference) continue;
    const given = (refs as Record<string, string | undefined> | undefined)?.[s.payment.method]?.trim() ?? '';
    if (given.length < 4) missing.set(s.payment.method, (missing.get(s.payment.method) ?? 0) + s.amountFen);
  }
  if (!missing.size) return;
  const what = [...missing].map(([m, fen]) => `${tenderLabel(m)} ${formatYuan(fen)}`).join('、');
  throw new TillError(
    'REFUND_REFERENCE_REQUIRED',
    `本次退款含${what}：请先在刷卡终端上退款 ${formatYuan([...missing.values()].reduce((a, b) => a + b, 0))}，再输入终端的退款参考号`,
    { parts: partsOf(split), missing: [...missing].map(([method, amountFen]) => ({ method, amountFen })) },
  );
}

/** Refunds to the original tenders (see splitRefund), each through its Tender. */
function refundToOriginal(split: readonly RefundPart[], refs: RefundReferences | undefined) {
  return async (_id: string, ctx: TenderContext) => {
    const out: RefundedPayment[] = [];
    for (const s of split) {
      const reference = (refs as Record<string, string | undefined> | undefined)?.[s.payment.method];
      out.push(await tenderFor(s.payment.method).refund(s.payment, s.amountFen, ctx, { reference }));
    }
    return out;
  };
}

const itemsText = (lines: readonly ReturnLinePlan[]): string =>
  lines.map((l) => `${l.name} ${qtyText(l.qty, l.unit, l.weighed)}`).join('、');

/** What a manager approves for a receipt return: this sale, these lines and quantities, this refund. */
function refundSpec(plan: Pick<ReturnPlan, 'originalSaleId' | 'originalReceiptNo' | 'lines'>, refundFen: number): ApprovalSpec {
  return {
    action: ApprovalAction.refund,
    subject: {
      kind: 'refund',
      saleId: plan.originalSaleId,
      lines: plan.lines.map((l) => ({ lineId: l.originalLineId, qty: l.qty, refundFen: l.refundFen })),
      refundFen,
    },
    summary: `退货 小票 ${plan.originalReceiptNo}：${itemsText(plan.lines)}，退款 ${formatYuan(refundFen)}`,
    message: `退货（退款 ${formatYuan(refundFen)}）需要店长授权（输入店长 PIN）`,
  };
}

/**
 * Runs a return with the manager's approval held (no other call can use the token meanwhile): spent
 * once the return committed, released when it was refused or failed, so it can be tried again.
 */
async function holding<T>(till: Till, approval: Grant, fn: () => Promise<T>): Promise<T> {
  try {
    const r = await fn();
    till.auth.approvals.spend(approval);
    return r;
  } catch (e) {
    till.auth.approvals.release(approval);
    throw e;
  }
}

export async function returnSale(
  till: Till,
  input: {
    requestId: string;
    saleId: string;
    lines: { lineId: string; qty: number }[];
    approval?: string;
    reason?: string;
    refundReferences?: RefundReferences;
  },
): Promise<SaleResult> {
  till.auth.requireSession();
  const request = requestKey('sales.return', input);
  return once(till, request, async () => {
    const { plan, refundFen, split } = planRefund(till, input.saleId, input.lines);
    // The manager approves first (this sale, these lines, this amount); only then does the cashier run
    // the refund on the terminal.
    const approval = till.auth.approvals.claim(input.approval, refundSpec(plan, refundFen));
    return holding(till, approval, () => {
      requireRefundReferences(split, input.refundReferences);
      return commitReturn(
        till,
        { ...plan, request, approval, action: 'sale.return', reason: input.reason },
        refundToOriginal(split, input.refundReferences),
      );
    });
  });
}

/** Cancels a completed sale (manager): a full return of what is not returned yet, status 'cancelled'. */
export async function cancelSale(
  till: Till,
  input: { requestId: string; saleId: string; reason: string; refundReferences?: RefundReferences },
): Promise<SaleResult> {
  till.auth.requireSession();
  const request = requestKey('sales.cancel', input);
  return once(till, request, async () => {
    const { plan, refundFen, split } = planRefund(till, input.saleId, allRemaining(till, input.saleId));
    const approval = till.auth.approvals.claim(undefined, refundSpec(plan, refundFen)); // a manager's own session
    return holding(till, approval, () => {
      requireRefundReferences(split, input.refundReferences);
      return commitReturn(
        till,
        { ...plan, request, approval, action: 'sale.cancel', reason: input.reason },
        refundToOriginal(split, input.refundReferences),
      );
    });
  });
}

/**
 * A return without a receipt: cash out of the drawer at the price stated (never above the catalog
 * price). A cashier needs the manager's PIN on the spot ('refund_no_receipt', bound to these items,
 * prices and amount), spent when the return commits and audited with both users; a manager's own
 * session approves itself.
 */
export async function returnWithoutReceipt(
  till: Till,
  input: { requestId: string; items: { skuId: string; qty: number; unitPriceFen: number }[]; reason: string; approval?: string },
): Promise<SaleResult> {
  till.auth.requireSession();
  const request = requestKey('sales.returnWithoutReceipt', input);
  return once(till, request, async () => {
    const lines: ReturnLinePlan[] = input.items.map((it) => {
      const row = skuById(till, it.skuId); // any SKU, a discontinued one too
      if (!row) throw new TillError('UNKNOWN_SKU', '商品不存在');
      if (!row.weighed && it.qty % 1000 !== 0) throw new TillError('QTY_NOT_WHOLE', `${row.name} 按件销售，退货数量须为整数`, { name: row.name });
      if (it.unitPriceFen > row.priceFen) {
        throw new TillError('PRICE_ABOVE_CATALOG', `退货单价不能高于现价 ${formatYuan(row.priceFen)}/${row.unit}：${row.name}`, { name: row.name, priceFen: row.priceFen });
      }
      return {
        originalLineId: null, skuId: it.skuId, name: row.name, unit: row.unit, weighed: row.weighed, qty: it.qty,
        unitPriceFen: it.unitPriceFen, refundFen: mulDivRound(it.unitPriceFen, it.qty, 1000),
      };
    });
    const refundFen = lines.reduce((s, l) => s + l.refundFen, 0);
    // The manager approves these items at these prices, this cash amount.
    const approval = till.auth.approvals.claim(input.approval, {
      action: ApprovalAction.refundNoReceipt,
      subject: { kind: 'refund_no_receipt', items: input.items.map((it) => ({ skuId: it.skuId, qty: it.qty, unitPriceFen: it.unitPriceFen })), refundFen },
      summary: `无小票退货：${itemsText(lines)}，现金退款 ${formatYuan(refundFen)}`,
      message: `无小票退货（现金退款 ${formatYuan(refundFen)}）需要店长授权（输入店长 PIN）`,
    });
    const plan: ReturnPlan = {
      request, originalSaleId: null, originalReceiptNo: '无小票', memberId: null, lines,
      approval, action: 'sale.return_no_receipt', reason: input.reason,
      returnedBefore: new Map(),
    };
    return holding(till, approval, () =>
      commitReturn(till, plan, async (_id, ctx) =>
        refundFen > 0
          ? [{ ...(await tenderFor('cash').refund({ id: '', method: 'cash', amountFen: 0, reference: null }, refundFen, ctx, {})), originalPaymentId: null }]
          : [],
      ),
    );
  });
}
