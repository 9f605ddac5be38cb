// The end-of-day report (Z report, 日结报表) of one business day. Its totals come from the report
// summaries that SQLite triggers keep inside every sale's transaction (migrations 0009 and 0011:
// rpt_hour, rpt_cashier, rpt_tender, rpt_category, rpt_discount), so a day of 20,000 sales reads a
// few dozen summary rows instead of 60,000 lines (tests/bench/eod.bench.ts, goal ≤ 50 ms). The rest
// is small: cancels and the voids and no-sale opens that fall in the day (the audit log, by its
// action index), the drawer ledger and the day's shifts. The summaries equal a recount of the rows
// (tests/integration/day-report.property.test.ts checks the Z against the day's sales and payments).
import type { DayReport, DiscountKind } from '../../shared/api/day';
import type { SalesTotals, TenderTotal } from '../../shared/api/shift';
import { businessDay, openDay } from './business-day';
import { onlineOfDay } from './day-online';
import { cancelTotals, countHits, voidsAndNoSales, type AuditHit } from './report-totals';
import { tenderFor, tenderLabel } from './tenders';
import type { Till } from './till';

/** Local epoch ms of `day` at the cutoff hour, `offsetDays` later. */
function dayStart(day: string, cutoffHour: number, offsetDays = 0): number {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d + offsetDays, cutoffHour).getTime();
}

/**
 * The voids and no-sale opens that belong to `day`: each audit row is placed by the rule a sale made
 * at that moment followed (business-day.ts openDay with the closes made before it).
 */
function auditHitsOfDay(till: Till, day: string): AuditHit[] {
  const cutoff = till.settings.get('day.cutoffHour');
  const closes = till.stmt('SELECT business_day AS day, closed_at AS at FROM day_closes ORDER BY closed_at').all() as { day: string; at: number }[];
  // A moment of `day` lies between the start of the calendar day before (after an early close of that
  // day) and the end of the calendar day itself.
  const hits = voidsAndNoSales(till, dayStart(day, cutoff, -1), dayStart(day, cutoff, 1) - 1);
  return hits.filter((h) => {
    let last: string | null = null;
    for (const c of closes) if (c.at < h.at && (last === null || c.day > last)) last = c.day;
    return openDay(businessDay(h.at, cutoff), last) === day;
  });
}

interface DayTotals extends SalesTotals {
  change: number;
  returnCount: number;
  returnFen: number;
}

function dayTotals(till: Till, day: string): DayTotals {
  return till
    .stmt(
      `SELECT COALESCE(sum(sale_count), 0) AS count, COALESCE(sum(item_count), 0) AS itemCount, COALESCE(sum(gross_fen), 0) AS grossFen,
         COALESCE(sum(discount_fen), 0) AS discountFen, COALESCE(sum(rounding_fen), 0) AS roundingFen, COALESCE(sum(sale_fen), 0) AS totalFen,
         COALESCE(sum(change_fen), 0) AS change, COALESCE(sum(return_count), 0) AS returnCount, COALESCE(sum(return_fen), 0) AS returnFen
       FROM rpt_hour WHERE business_day = ?`,
    )
    .get(day) as DayTotals;
}

/** Per tender: received net of the change (cash gives it), refunded (≤ 0). */
function dayTenders(till: Till, day: string, changeFen: number): TenderTotal[] {
  const rows = till
    .stmt(`SELECT method, pay_count + refund_count AS n, pay_fen AS received, -refund_fen AS refunded FROM rpt_tender WHERE business_day = ?`)
    .all(day) as { method: string; n: number; received: number; refunded: number }[];
  let change = changeFen;
  return rows
    .filter((r) => r.n !== 0 || r.received !== 0 || r.refunded !== 0)
    .map((r): TenderTotal => {
      let received = r.received;
      if (change > 0 && tenderFor(r.method).givesChange) {
        const c = Math.min(change, received);
        received -= c;
        change -= c;
      }
      return { method: r.method, label: tenderLabel(r.method), count: r.n, receivedFen: received, refundedFen: r.refunded, netFen: received + r.refunded };
    })
    .sort((a, b) => Number(b.method === 'cash') - Number(a.method === 'cash') || b.netFen - a.netFen || a.method.localeCompare(b.method));
}

export function dayReport(till: Till, day: string, close?: { at: number; by: string }): DayReport {
  const t = dayTotals(till, day);
  const sales: SalesTotals = {
    count: t.count, itemCount: t.itemCount, grossFen: t.grossFen, discountFen: t.discountFen, roundingFen: t.roundingFen, totalFen: t.totalFen,
  };
  const returns = { count: t.returnCount, totalFen: 0 - t.returnFen }; // 0 - x: never -0
  const cashiers = (
    till
      .stmt(
        `SELECT c.user_id AS userId, u.name, c.sale_count AS saleCount, c.sale_fen AS salesFen, c.return_count AS returnCount, -c.return_fen AS returnsFen
         FROM rpt_cashier c JOIN users u ON u.id = c.user_id WHERE c.business_day = ? AND (c.sale_count <> 0 OR c.return_count <> 0)`,
      )
      .all(day) as DayReport['cashiers']
  ).sort((a, b) => b.salesFen - a.salesFen || a.name.localeCompare(b.name));
  const categories = (
    till
      .stmt(
        `SELECT COALESCE(c.name, '未分类') AS name, r.line_count AS lines, r.sold_fen - r.returned_fen AS amountFen
         FROM rpt_category r LEFT JOIN categories c ON c.id = r.category_id WHERE r.business_day = ? AND r.line_count <> 0`,
      )
      .all(day) as DayReport['categories']
  ).sort((a, b) => b.amountFen - a.amountFen || a.name.localeCompare(b.name));
  const d = (till.stmt(`SELECT line_fen AS line, promo_fen AS promo, order_fen AS ord, override_fen AS override FROM rpt_discount WHERE business_day = ?`).get(day) as
    | { line: number; promo: number; ord: number; override: number }
    | undefined) ?? { line: 0, promo: 0, ord: 0, override: 0 };
  const kindFen: Record<DiscountKind, number> = {
    price_override: d.override,
    line: d.line,
    promo: d.promo,
    order: d.ord,
    // Sales written before the kinds were kept (migration 0006) carry their discount without a kind.
    other: sales.discountFen - d.line - d.promo - d.ord,
  };

  const shifts = till
    .stmt(
      `SELECT count(*) AS n, COALESCE(sum(expected_cash_fen), 0) AS expected, COALESCE(sum(counted_cash_fen), 0) AS counted
       FROM shifts WHERE business_day = ? AND closed_at IS NOT NULL`,
    )
    .get(day) as { n: number; expected: number; counted: number };
  const cash = till
    .stmt(
      `SELECT COALESCE(sum(CASE WHEN kind = 'cash_in' THEN amount_fen END), 0) AS inFen,
              COALESCE(sum(CASE WHEN kind = 'cash_out' THEN amount_fen END), 0) AS outFen
       FROM cash_moves WHERE business_day = ? AND kind IN ('cash_in', 'cash_out')`,
    )
    .get(day) as { inFen: number; outFen: number };
  const hits = countHits(auditHitsOfDay(till, day));

  return {
    businessDay: day,
    tillId: till.tillId,
    closedAt: close?.at ?? null,
    closedBy: close?.by ?? null,
    sales,
    discounts: (['price_override', 'line', 'promo', 'order', 'other'] as const).map((kind) => ({ kind, amountFen: kindFen[kind] })),
    returns,
    cancels: cancelTotals(till, { businessDay: day }),
    voids: hits.voids,
    netFen: sales.totalFen + returns.totalFen,
    tenders: dayTenders(till, day, t.change),
    categories,
    cashiers,
    noSaleCount: hits.noSaleCount,
    shifts: { count: shifts.n, expectedFen: shifts.expected, countedFen: shifts.counted, differenceFen: shifts.counted - shifts.expected },
    cash,
    ...onlineOfDay(till, day),
  };
}
