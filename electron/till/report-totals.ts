// The sums both reports are made of, over one scope of sales: a shift (X report) or a business day
// (Z report). Every figure is read from the rows (sales, payments, the audit log), never kept in a
// counter, so a report always agrees with the data it reports on. The statements are fixed text
// per scope (the scope picks a column name from a closed list, never from input).
import type { SalesTotals, TenderTotal } from '../../shared/api/shift';
import { tenderFor, tenderLabel } from './tenders';
import type { Till } from './till';

export type Scope = { shiftId: string } | { businessDay: string };

const column = (s: Scope) => ('shiftId' in s ? 'shift_id' : 'business_day');
const value = (s: Scope) => ('shiftId' in s ? s.shiftId : s.businessDay);

export interface KindUserRow {
  kind: 'sale' | 'return';
  userId: string;
  name: string;
  n: number;
  items: number;
  gross: number;
  discount: number;
  rounding: number;
  total: number;
  change: number;
}

/** Sales and returns of the scope, summed per kind and cashier (grouped first, then named). */
export function byKindAndUser(till: Till, scope: Scope): KindUserRow[] {
  return till
    .stmt(
      `SELECT g.kind, g.user_id AS userId, u.name, g.n, g.items, g.gross, g.discount, g.rounding, g.total, g.change
       FROM (SELECT kind, user_id, count(*) AS n, sum(item_count) AS items, sum(gross_fen) AS gross, sum(discount_fen) AS discount,
               sum(rounding_fen) AS rounding, sum(total_fen) AS total, sum(change_fen) AS change
             FROM sales WHERE ${column(scope)} = ? GROUP BY kind, user_id) g
       JOIN users u ON u.id = g.user_id ORDER BY u.name`,
    )
    .all(value(scope)) as KindUserRow[];
}

export function salesTotals(rows: readonly KindUserRow[]): SalesTotals {
  const t: SalesTotals = { count: 0, itemCount: 0, grossFen: 0, discountFen: 0, roundingFen: 0, totalFen: 0 };
  for (const r of rows) {
    if (r.kind !== 'sale') continue;
    t.count += r.n;
    t.itemCount += r.items;
    t.grossFen += r.gross;
    t.discountFen += r.discount;
    t.roundingFen += r.rounding;
    t.totalFen += r.total;
  }
  return t;
}

export function returnTotals(rows: readonly KindUserRow[]): { count: number; totalFen: number } {
  let count = 0;
  let totalFen = 0;
  for (const r of rows) {
    if (r.kind !== 'return') continue;
    count += r.n;
    totalFen += r.total;
  }
  return { count, totalFen };
}

/**
 * Money per tender: received on sales and refunded on returns. The change a sale gave is taken off
 * the tender that gives change (cash), so received is what stayed in the drawer or the account, and
 * Σ net over the tenders equals Σ sales.total_fen of the scope.
 */
export function tenderTotals(till: Till, scope: Scope, changeFen: number): TenderTotal[] {
  const rows = till
    .stmt(
      `SELECT p.method, count(*) AS n,
         sum(CASE WHEN s.kind = 'sale' THEN p.amount_fen ELSE 0 END) AS received,
         sum(CASE WHEN s.kind = 'return' THEN p.amount_fen ELSE 0 END) AS refunded
       FROM sales s JOIN payments p ON p.sale_id = s.id
       WHERE s.${column(scope)} = ? AND p.status = 'approved'
       GROUP BY p.method`,
    )
    .all(value(scope)) as { method: string; n: number; received: number; refunded: number }[];
  let change = changeFen;
  const out = rows.map((r): TenderTotal => {
    let received = r.received;
    if (change > 0 && tenderFor(r.method).givesChange) {
      const c = Math.min(change, received);
      received -= c;
      change -= c;
    }
    return { method: r.method, label: tenderLabel(r.method), count: r.n, receivedFen: received, refundedFen: r.refunded, netFen: received + r.refunded };
  });
  // Cash first, then the others by what they took: the order a manager reads them in.
  return out.sort((a, b) => Number(b.method === 'cash') - Number(a.method === 'cash') || b.netFen - a.netFen || a.method.localeCompare(b.method));
}

/** Whole sales cancelled (撤销) whose cancel falls in the scope: its return row carries the refund. */
export function cancelTotals(till: Till, scope: Scope): { count: number; totalFen: number } {
  const r = till
    .stmt(
      `SELECT count(*) AS n, COALESCE(sum(s.total_fen), 0) AS total
       FROM audit_log a JOIN sales s ON s.id = json_extract(a.details, '$.returnSaleId')
       WHERE a.action = 'sale.cancel' AND s.${column(scope)} = ?`,
    )
    .get(value(scope)) as { n: number; total: number };
  return { count: r.n, totalFen: r.total };
}

export interface AuditHit {
  action: string;
  at: number;
  totalFen: number;
}

/** 作废 (cart.void, with the cart's total) and 不销售开钱箱 (drawer.no_sale) between two moments. */
export function voidsAndNoSales(till: Till, from: number, to: number): AuditHit[] {
  return till
    .stmt(
      `SELECT action, at, COALESCE(json_extract(details, '$.totalFen'), 0) AS totalFen FROM audit_log
       WHERE action IN ('cart.void', 'drawer.no_sale') AND at >= ? AND at <= ? ORDER BY at`,
    )
    .all(from, to) as AuditHit[];
}

export function countHits(hits: readonly AuditHit[]): { voids: { count: number; totalFen: number }; noSaleCount: number } {
  const voids = { count: 0, totalFen: 0 };
  let noSaleCount = 0;
  for (const h of hits) {
    if (h.action === 'cart.void') {
      voids.count++;
      voids.totalFen += h.totalFen;
    } else noSaleCount++;
  }
  return { voids, noSaleCount };
}
