// The end-of-day report (Z report, 日结报表) of one business day, computed from the rows: sales and
// returns per cashier (one pass over the day's sales), money per tender (the day's payments), lines
// per category with the discounts by kind (one pass over the day's lines), cancels, the drawer
// ledger and the day's shifts, and the voids and no-sale opens of the audit log that fall in the
// day. Every total is a sum of rows of that day, so the report equals the database
// (tests/integration/day-report.property.test.ts). Queries are grouped in SQLite and only the
// groups come to JavaScript: a day of 20,000 sales stays within the bench's 50 ms.
import type { DayReport, DiscountKind } from '../../shared/api/day';
import { businessDay, openDay } from './business-day';
import { byKindAndUser, cancelTotals, countHits, returnTotals, salesTotals, tenderTotals, voidsAndNoSales, type AuditHit } from './report-totals';
import type { Till } from './till';

interface LineGroup {
  categoryId: string | null;
  category: string | null;
  kind: 'sale' | 'return';
  lines: number;
  payable: number;
  line: number;
  promo: number;
  ord: number;
  override: number;
}

/** The day's lines per category and kind, with the discounts by kind of the sale lines. */
function lineGroups(till: Till, day: string): LineGroup[] {
  return till
    .stmt(
      `SELECT g.category_id AS categoryId, c.name AS category, g.kind, g.lines, g.payable, g.line, g.promo, g.ord, g.override
       FROM (SELECT p.category_id, s.kind, count(*) AS lines, sum(l.payable_fen) AS payable,
               sum(l.line_discount_fen) AS line, sum(l.promo_discount_fen) AS promo, sum(l.order_discount_fen) AS ord,
               sum(CASE WHEN s.kind = 'sale' THEN (l.original_unit_price_fen * l.qty + 500) / 1000 - l.gross_fen ELSE 0 END) AS override
             FROM sales s JOIN sale_lines l ON l.sale_id = s.id JOIN skus k ON k.id = l.sku_id JOIN products p ON p.id = k.product_id
             WHERE s.business_day = ? GROUP BY p.category_id, s.kind) g
       LEFT JOIN categories c ON c.id = g.category_id`,
    )
    .all(day) as LineGroup[];
}

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
    for (const c of closes) if (c.at <= h.at && (last === null || c.day > last)) last = c.day;
    return openDay(businessDay(h.at, cutoff), last) === day;
  });
}

export function dayReport(till: Till, day: string, close?: { at: number; by: string }): DayReport {
  const scope = { businessDay: day };
  const kinds = byKindAndUser(till, scope);
  const sales = salesTotals(kinds);
  const returns = returnTotals(kinds);
  const changeFen = kinds.reduce((s, r) => s + (r.kind === 'sale' ? r.change : 0), 0);

  const cashiers = new Map<string, DayReport['cashiers'][number]>();
  for (const r of kinds) {
    const c = cashiers.get(r.userId) ?? { userId: r.userId, name: r.name, saleCount: 0, salesFen: 0, returnCount: 0, returnsFen: 0 };
    if (r.kind === 'sale') {
      c.saleCount += r.n;
      c.salesFen += r.total;
    } else {
      c.returnCount += r.n;
      c.returnsFen += r.total;
    }
    cashiers.set(r.userId, c);
  }

  const byCategory = new Map<string, { name: string; lines: number; amountFen: number }>();
  const kindFen: Record<DiscountKind, number> = { price_override: 0, line: 0, promo: 0, order: 0, other: 0 };
  for (const g of lineGroups(till, day)) {
    const key = g.categoryId ?? '';
    const c = byCategory.get(key) ?? { name: g.category ?? '未分类', lines: 0, amountFen: 0 };
    c.lines += g.lines;
    c.amountFen += g.payable;
    byCategory.set(key, c);
    if (g.kind === 'sale') {
      kindFen.line += g.line;
      kindFen.promo += g.promo;
      kindFen.order += g.ord;
      kindFen.price_override += g.override;
    }
  }
  // Sales written before the kinds were kept (migration 0006) carry their discount without a kind.
  kindFen.other = sales.discountFen - kindFen.line - kindFen.promo - kindFen.order;

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
    cancels: cancelTotals(till, scope),
    voids: hits.voids,
    netFen: sales.totalFen + returns.totalFen,
    tenders: tenderTotals(till, scope, changeFen),
    categories: [...byCategory.values()].sort((a, b) => b.amountFen - a.amountFen || a.name.localeCompare(b.name)),
    cashiers: [...cashiers.values()].sort((a, b) => b.salesFen - a.salesFen || a.name.localeCompare(b.name)),
    noSaleCount: hits.noSaleCount,
    shifts: { count: shifts.n, expectedFen: shifts.expected, countedFen: shifts.counted, differenceFen: shifts.counted - shifts.expected },
    cash,
  };
}
