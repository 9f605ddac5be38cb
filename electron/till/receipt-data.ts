// Maps a priced sale or a return to the receipt templates' plain data (electron/devices/receipt/
// templates.ts). The print job stores this data, so a reprint prints the very same receipt.
import type { MemberBrief } from '../../shared/api/cart';
import { formatQty, type PricedCart, type PricedLine } from '../../shared/pricing';
import type {
  Payment,
  ReceiptJobPayload,
  ReceiptLine,
  ReturnReceiptData,
  SaleReceiptData,
} from '../devices/receipt/templates';
import { tenderFor, tenderLabel } from './tenders';

export interface LineInfo {
  name: string;
  unit: string;
  weighed: boolean;
}

export function receiptLine(info: LineInfo, qty: number, unitPriceFen: number, amountFen: number): ReceiptLine {
  return {
    name: info.name,
    qty: qty / 1000,
    weighed: info.weighed || undefined,
    // 1.5斤 / 0.512kg: the unit is printed with the quantity and the price (¥6.98/斤)
    qtyText: info.weighed ? formatQty(qty, info.unit) : undefined,
    priceUnit: info.weighed ? info.unit : undefined,
    unitPriceFen,
    amountFen,
  };
}

function saleLine(info: LineInfo, l: PricedLine): ReceiptLine {
  const line = receiptLine(info, l.qty, l.unitPriceFen, l.grossFen);
  const discounts = [
    { label: '单品折扣', amountFen: l.lineDiscountFen },
    { label: '促销', amountFen: l.promoDiscountFen },
    { label: '整单折扣', amountFen: l.orderDiscountShareFen },
  ].filter((d) => d.amountFen > 0);
  return discounts.length ? { ...line, discounts } : line;
}

export interface SaleReceiptInput {
  receiptNo: string;
  at: number;
  cashier: string;
  tillId: string;
  priced: PricedCart;
  lines: LineInfo[];
  payments: { method: string; amountFen: number }[];
  changeFen: number;
  member: MemberBrief | null;
  openDrawer: boolean;
}

export function saleReceiptPayload(s: SaleReceiptInput): ReceiptJobPayload {
  const data: SaleReceiptData = {
    receiptNo: s.receiptNo,
    at: s.at,
    cashier: s.cashier,
    till: s.tillId,
    lines: s.priced.lines.map((l, i) => saleLine(s.lines[i], l)),
    totals: {
      itemCount: s.priced.itemCount,
      originalFen: s.priced.grossFen,
      discountFen: s.priced.discountFen,
      roundingFen: -s.priced.roundingFen,
      dueFen: s.priced.totalFen,
    },
    payments: s.payments.map((p): Payment => ({ method: tenderLabel(p.method), amountFen: p.amountFen })),
    changeFen: s.changeFen,
    member: s.member
      ? { name: s.member.name, cardNo: s.member.phone, pointsBalance: s.member.points, balanceFen: s.member.balanceFen }
      : undefined,
    openDrawer: s.openDrawer ? 2 : undefined,
  };
  return { v: 1, template: 'sale', data };
}

export interface ReturnReceiptInput {
  returnNo: string;
  originalReceiptNo: string;
  at: number;
  cashier: string;
  tillId: string;
  reason?: string;
  lines: ReceiptLine[];
  itemCount: number;
  refundFen: number;
  /** `reference`: the refund reference typed from the card terminal, printed with its line. */
  refunds: { method: string; amountFen: number; reference?: string | null }[];
  openDrawer: boolean;
}

export function returnReceiptPayload(r: ReturnReceiptInput): ReceiptJobPayload {
  const data: ReturnReceiptData = {
    returnNo: r.returnNo,
    originalReceiptNo: r.originalReceiptNo,
    at: r.at,
    cashier: r.cashier,
    till: r.tillId,
    reason: r.reason,
    lines: r.lines,
    totals: { itemCount: r.itemCount, refundFen: r.refundFen },
    refunds: r.refunds.map((p) => ({
      // An electronic refund says where the money went (原路退回微信); a terminal's refund its reference.
      method: tenderFor(p.method).refundText?.(p.reference ?? null) ?? (p.reference ? `${tenderLabel(p.method)}（参考号 ${p.reference}）` : tenderLabel(p.method)),
      amountFen: Math.abs(p.amountFen),
    })),
    openDrawer: r.openDrawer ? 2 : undefined,
  };
  return { v: 1, template: 'return', data };
}
