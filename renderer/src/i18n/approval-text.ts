// What the manager reads on the PIN pad, in the user's language. The main side sends the ask with
// its action, its subject (the canonical target and values the token is bound to) and a Chinese
// summary ("可口可乐 330ml ×1 5折 −¥1.50", kept for logs and the audit). In Chinese the summary is
// shown as sent; in English the sentence is built here from the subject. The subject names lines,
// SKUs and sales by id: their names come from what the screen shows (the cart's lines, the receipt
// being returned, the items typed for a return without receipt) through a NameBook. Product names
// and units stay as they are in the catalog.
import type { ApprovalAsk, ApprovalSubject } from '../../../shared/approvals';
import { formatYuan } from '../../../shared/money';
import { formatQty, type Discount } from '../../../shared/pricing';

/** A line, SKU or sale as the screen knows it (a sale's `name` is its receipt number). */
export interface Named {
  name: string;
  unit?: string;
  weighed?: boolean;
}
/** Finds a line id, SKU id or sale id the subject mentions. */
export type NameBook = (id: string) => Named | undefined;

export const noNames: NameBook = () => undefined;

type Obj = Record<string, unknown>;
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object') as Obj[]) : []);

/** −¥1.50: money taken off (a real minus sign, as the Chinese summary has it). */
const off = (fen: number) => `−${formatYuan(Math.abs(fen))}`;

/** "×2" for pieces, "1.5斤" for a weighed line (the catalog's unit). */
function qtyEn(qty: number, n: Named | undefined): string {
  return n?.weighed ? formatQty(qty, n.unit ?? '') : `×${formatQty(qty, '')}`;
}

/** "10% off −¥0.70"; an amount off just "−¥1.00". */
function discountEn(d: unknown, fen: number): string {
  const disc = d as Discount | undefined;
  if (disc?.kind === 'percent' && Number.isInteger(disc.bp)) return `${disc.bp / 100}% off ${off(fen)}`;
  return off(fen);
}

/** The item's name, or words that still say what it is when the screen does not know it. */
function itemName(names: NameBook, ...ids: unknown[]): { text: string; named?: Named } {
  for (const id of ids) {
    const n = typeof id === 'string' ? names(id) : undefined;
    if (n) return { text: n.name, named: n };
  }
  return { text: 'an item' };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The English sentence for one subject (several in one ask are joined by "; "). */
export function subjectEn(action: string, s: ApprovalSubject, names: NameBook): string {
  const o = s as Obj;
  switch (o.kind) {
    case 'line_discount': {
      const it = itemName(names, o.lineId, o.skuId);
      return `${it.text} ${qtyEn(num(o.qty), it.named)} ${discountEn(o.discount, num(o.discountFen))}`;
    }
    case 'price_override': {
      const it = itemName(names, o.lineId, o.skuId);
      return `${it.text} ${qtyEn(num(o.qty), it.named)} price ${formatYuan(num(o.catalogPriceFen))} → ${formatYuan(num(o.unitPriceFen))}`;
    }
    case 'order_discount':
      return `Whole order ${discountEn(o.discount, num(o.discountFen))} (${formatYuan(num(o.baseFen))} before the discount)`;
    case 'reduce_qty': {
      const it = itemName(names, o.lineId, o.skuId);
      return `${it.text} quantity ${qtyEn(num(o.fromQty), it.named)} → ${qtyEn(num(o.toQty), it.named)}`;
    }
    case 'remove_line': {
      const it = itemName(names, o.lineId, o.skuId);
      return `Remove ${it.text} ${qtyEn(num(o.qty), it.named)}`;
    }
    case 'void':
      return `Void the whole cart: ${plural(num(o.lines), 'line')}, ${formatYuan(num(o.totalFen))}`;
    case 'several':
      return list(o.items)
        .map((item) => subjectEn(str(item.action), item as ApprovalSubject, names))
        .join('; ');
    case 'cash_in':
    case 'cash_out':
      return `${o.kind === 'cash_in' ? 'Put' : 'Take'} ${formatYuan(num(o.amountFen))} ${o.kind === 'cash_in' ? 'into' : 'out of'} the drawer${str(o.reason) ? ` (${str(o.reason)})` : ''}`;
    case 'create_product':
      return `New product ${str(o.barcode)} ${str(o.name)} ${formatYuan(num(o.priceFen))}`;
    case 'refund': {
      const sale = typeof o.saleId === 'string' ? names(o.saleId) : undefined;
      const items = list(o.lines).map((l) => {
        const it = itemName(names, l.lineId);
        return `${it.text} ${qtyEn(num(l.qty), it.named)}`;
      });
      return `Return${sale ? ` on receipt ${sale.name}` : ''}: ${items.join(', ')}, refund ${formatYuan(num(o.refundFen))}`;
    }
    case 'refund_no_receipt': {
      const items = list(o.items).map((l) => {
        const it = itemName(names, l.skuId);
        return `${it.text} ${qtyEn(num(l.qty), it.named)}`;
      });
      return `Return without receipt: ${items.join(', ')}, cash refund ${formatYuan(num(o.refundFen))}`;
    }
    case 'payment_abandon':
      return `Stop waiting for the electronic payment of ${formatYuan(num(o.amountFen))} and take it another way (the payment is left for reconciliation)`;
    case 'voucher_undo':
      return `Undo the ${str(o.platform) === 'douyin' ? 'Douyin' : 'Meituan'} voucher redemption ×${num(o.uses)} ${formatYuan(num(o.valueFen))}`;
    case 'no_sale':
      return `Open the drawer without a sale${str(o.reason) ? ` (${str(o.reason)})` : ''}`;
    default:
      // A subject this screen does not know yet: say what is asked, never show the Chinese.
      return ACTION_EN[action] ?? 'An action that needs a manager';
  }
}

const ACTION_EN: Record<string, string> = {
  discount: 'A discount above the limit',
  price_override: 'A price change',
  remove_line: 'Removing or reducing a line after subtotal',
  void: 'Voiding the cart',
  refund: 'A return and refund',
  refund_no_receipt: 'A return without a receipt',
  create_product: 'A new product',
  drawer_open: 'Opening the drawer without a sale',
  cash_move: 'Cash in or out of the drawer',
  payment_abandon: 'Stop waiting for an electronic payment',
  voucher_undo: 'Undoing a voucher redemption',
};

/** What the manager reads: the main side's Chinese summary, or the English sentence for the subject. */
export function approvalSummary(ask: Pick<ApprovalAsk, 'action' | 'subject' | 'summary'>, lang: string, names: NameBook = noNames): string {
  if (lang.startsWith('zh')) return ask.summary;
  return subjectEn(ask.action, ask.subject ?? {}, names);
}
