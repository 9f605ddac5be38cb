// 聚合订单: the online orders of every platform as the inbox shows them (shared/api/orders.ts). Reads
// only; the rows are written by ./orders.ts (polling) and ./reservations.ts (holds, hand-overs).
import { ROLE_RANK, type Role } from '../../shared/api/endpoint';
import { maskPhone } from '../till/members';
import type {
  OnlineOrderDetail,
  OnlineOrderLineView,
  OnlineOrderPage,
  OnlineOrderSummary,
  OrderLineState,
  OrdersListInput,
  PaymentStateView,
} from '../../shared/api/orders';
import { ordersListInput } from '../../shared/api/orders';
import { TillError } from '../../shared/errors';
import type { TillDb } from '../till/db';
import type { StoredLine } from './reservations';

interface OrderDbRow {
  id: string;
  platform: OnlineOrderSummary['platform'];
  platform_order_id: string;
  status: OnlineOrderSummary['status'];
  platform_status: string;
  delivery_type: OnlineOrderSummary['deliveryType'];
  pay_amount_fen: number;
  balance_due_fen: number;
  sync_state: OnlineOrderSummary['syncState'];
  oversold: number;
  buyer_phone: string | null;
  buyer_name: string | null;
  lines: string;
  platform_created_at: number;
  platform_updated_at: number;
}

const COLUMNS = `id, platform, platform_order_id, status, platform_status, delivery_type, pay_amount_fen, balance_due_fen, sync_state,
  oversold, buyer_phone, buyer_name, lines, platform_created_at, platform_updated_at`;
/** The payment state as SQL (one rule with paymentStateOf below). */
const PAYMENT_SQL = `CASE WHEN status = 'unpaid' THEN 'unpaid' WHEN balance_due_fen > 0 THEN 'balance_due' ELSE 'paid_online' END`;

export function paymentStateOf(status: string, balanceDueFen: number): PaymentStateView {
  return status === 'unpaid' ? 'unpaid' : balanceDueFen > 0 ? 'balance_due' : 'paid_online';
}

function noteOf(r: OrderDbRow, lines: StoredLine[]): string | null {
  if (r.sync_state === 'needs_review') return '商品已出库后订单退款/取消：库存不会自动退回，请店长决定是否退回库存';
  if (r.oversold) return '超卖：下单时门店可售不足，请联系顾客或尽快补货';
  if (r.sync_state === 'unmapped' || lines.some((l) => !l.skuId)) return '有商品未关联本店商品：关联后自动占用库存';
  return null;
}

function summary(db: TillDb, r: OrderDbRow): OnlineOrderSummary {
  const lines = JSON.parse(r.lines) as StoredLine[];
  const first = lines.find((l) => l.skuId)?.skuId;
  const firstItemName = first ? ((db.$client.prepare(`SELECT name FROM skus WHERE id = ?`).pluck().get(first) as string | undefined) ?? null) : null;
  return {
    id: r.id,
    platform: r.platform,
    platformOrderId: r.platform_order_id,
    status: r.status,
    platformStatus: r.platform_status,
    deliveryType: r.delivery_type,
    paymentState: paymentStateOf(r.status, r.balance_due_fen),
    payAmountFen: r.pay_amount_fen,
    balanceDueFen: r.balance_due_fen,
    syncState: r.sync_state,
    oversold: r.oversold === 1,
    buyerPhone: r.buyer_phone,
    buyerName: r.buyer_name,
    itemCount: lines.reduce((n, l) => n + l.qty, 0),
    lineCount: lines.length,
    firstItemName,
    note: noteOf(r, lines),
    createdAt: r.platform_created_at,
    updatedAt: r.platform_updated_at,
  };
}

/** orders.list: newest first, filtered, searched by order number (whole or tail) or phone (whole or last 4). */
export function listOrders(db: TillDb, input: OrdersListInput): OnlineOrderPage {
  const f = ordersListInput.parse(input);
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (f.platform) where.push('platform = ?'), args.push(f.platform);
  if (f.status) where.push('status = ?'), args.push(f.status);
  if (f.deliveryType) where.push('delivery_type = ?'), args.push(f.deliveryType);
  if (f.paymentState) where.push(`${PAYMENT_SQL} = ?`), args.push(f.paymentState);
  if (f.syncState) where.push('sync_state = ?'), args.push(f.syncState);
  if (f.oversold !== undefined) where.push('oversold = ?'), args.push(f.oversold ? 1 : 0);
  const text = f.q?.replace(/\s+/g, '');
  if (text) {
    // LIKE's own wildcards in the text are matched as themselves.
    const esc = text.replace(/[\\%_]/g, (c) => `\\${c}`);
    where.push(`(platform_order_id = ? OR buyer_phone = ? OR (length(?) >= 4 AND (platform_order_id LIKE ? ESCAPE '\\' OR buyer_phone LIKE ? ESCAPE '\\')))`);
    args.push(text, text, text, `%${esc}`, `%${esc}`);
  }
  const sqlWhere = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = db.$client.prepare(`SELECT count(*) FROM online_orders ${sqlWhere}`).pluck().get(...args) as number;
  const rows = db.$client
    .prepare(`SELECT ${COLUMNS} FROM online_orders ${sqlWhere} ORDER BY platform_created_at DESC, id DESC LIMIT ? OFFSET ?`)
    .all(...args, f.limit, f.offset) as OrderDbRow[];
  return { items: rows.map((r) => summary(db, r)), total, offset: f.offset };
}

interface LineDbRow {
  line_no: number;
  qty: number;
  handed_qty: number;
  released_qty: number;
  oversold_qty: number;
}

/** orders.get: the order with its lines (local names; no pictures are kept locally yet: imageUrl null), holds and history. */
export function getOrder(db: TillDb, id: string): OnlineOrderDetail {
  const r = db.$client.prepare(`SELECT ${COLUMNS} FROM online_orders WHERE id = ?`).get(id) as OrderDbRow | undefined;
  if (!r) throw new TillError('ORDER_NOT_FOUND', '找不到该线上订单');
  const lines = JSON.parse(r.lines) as StoredLine[];
  const holds = new Map(
    (db.$client.prepare(`SELECT line_no, qty, handed_qty, released_qty, oversold_qty FROM online_reservations WHERE order_id = ?`).all(id) as LineDbRow[]).map((h) => [h.line_no, h]),
  );
  const skuOf = db.$client.prepare(`SELECT name, code, spec FROM skus WHERE id = ?`);
  const views: OnlineOrderLineView[] = lines.map((l, lineNo) => {
    const h = holds.get(lineNo);
    const sku = l.skuId ? (skuOf.get(l.skuId) as { name: string; code: string; spec: string } | undefined) : undefined;
    const reserved = h ? (h.qty - h.handed_qty - h.released_qty) / 1000 : 0;
    const handed = h ? h.handed_qty / 1000 : 0;
    const released = h ? h.released_qty / 1000 : 0;
    const state: OrderLineState = !h ? (l.skuId ? 'released' : 'unmapped') : reserved > 0 ? (handed > 0 ? 'partly_handed' : 'reserved') : handed > 0 ? 'handed' : 'released';
    return {
      lineNo,
      itemId: l.itemId,
      platformSkuId: l.platformSkuId,
      outSkuId: l.outSkuId ?? null,
      skuId: l.skuId,
      skuName: sku?.name ?? null,
      skuCode: sku?.code ?? null,
      spec: sku?.spec ?? null,
      imageUrl: null,
      qty: l.qty,
      reservedQty: reserved,
      handedQty: handed,
      releasedQty: released,
      oversoldQty: h ? h.oversold_qty / 1000 : 0,
      state,
    };
  });
  const history = db.$client.prepare(`SELECT at, text FROM online_order_events WHERE order_id = ? ORDER BY at, rowid`).all(id) as { at: number; text: string }[];
  return { ...summary(db, r), lines: views, history };
}

/**
 * The order as a viewer of this role may see it: the buyer's phone in full for a manager or the owner
 * (a same-city delivery may need a call), masked (138****5678) for cashiers and 店员, who find an order
 * by the last 4 digits and never need the rest.
 */
export function orderForViewer<T extends { buyerPhone: string | null }>(order: T, role: Role | undefined): T {
  if (!order.buyerPhone || (role && ROLE_RANK[role] >= ROLE_RANK.manager)) return order;
  return { ...order, buyerPhone: maskPhone(order.buyerPhone) };
}
