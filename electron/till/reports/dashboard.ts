// The owner's dashboard (数据看板) in one read: today against the same weekday last week, hourly
// traffic, 30 days of net sales, 复购 over 90 days, best sellers of the last 7 days, low stock. All
// from the summary tables (a year of data reads as fast as a week); the figures are the pure
// functions of shared/reports/kpi.ts, so what the tooltip says is what was computed.
import type Database from 'better-sqlite3';
import type { DashboardData, DashboardKpis } from '../../../shared/api/reports';
import {
  averageTicketFen,
  COVER_LOOKBACK_DAYS,
  daysOfCover,
  hourlyTickets,
  isLowStock,
  itemsPerTicket,
  netSalesFen,
  repurchase,
  ticketCount,
  ticketSalesFen,
  type TicketTotals,
} from '../../../shared/reports/kpi';
import { cutoffHour, HOUR_SUMS, memberPurchaseDays, orZero, rangeTotals, skuUnion } from './queries';
import { addDays, eachDay } from '../../../shared/reports/days';

type Db = Database.Database;

export const DASHBOARD_WINDOWS = { trendDays: 30, repurchaseDays: 90, sellersDays: 7, lowStockRows: 15, sellersRows: 8 } as const;

function kpis(t: TicketTotals): DashboardKpis {
  return {
    netFen: netSalesFen(t),
    salesFen: ticketSalesFen(t),
    tickets: ticketCount(t),
    avgTicketFen: averageTicketFen(t),
    itemsPerTicket: itemsPerTicket(t),
    refundFen: t.returnFen,
  };
}

function hourRows(db: Db, day: string) {
  return db
    .prepare(`SELECT hour, sale_count AS saleCount, cancel_count AS cancelCount, sale_fen - return_fen AS netFen FROM rpt_hour WHERE business_day = ?`)
    .all(day) as { hour: number; saleCount: number; cancelCount: number; netFen: number }[];
}

/**
 * Last week's same day up to the hour it is now (hours in business-day order: a day that starts at
 * 04:00 has 01:00 after 23:00), so at 10:00 today is set against 04:00–10:59 of last week, not its
 * whole day.
 */
function soFar(db: Db, day: string, nowHour: number, cutoff: number) {
  return orZero(
    db
      .prepare(`SELECT ${HOUR_SUMS} FROM rpt_hour WHERE business_day = ? AND (hour - ? + 24) % 24 <= (? - ? + 24) % 24`)
      .get(day, cutoff, nowHour, cutoff) as never,
  );
}

/** `day`: the business day to show; `nowMs`: the till's clock, for "so far" when day is today. */
export function buildDashboard(db: Db, day: string, nowMs: number, isToday: boolean): DashboardData {
  const started = performance.now();
  return db.transaction(() => {
    const lastWeekDay = addDays(day, -7);
    const asOfHour = isToday ? new Date(nowMs).getHours() : null;
    const trendFrom = addDays(day, -(DASHBOARD_WINDOWS.trendDays - 1));
    const trendRows = new Map(
      (db
        .prepare(`SELECT business_day AS day, sum(sale_fen) - sum(return_fen) AS netFen, sum(sale_count) - sum(cancel_count) AS tickets
          FROM rpt_hour WHERE business_day BETWEEN ? AND ? GROUP BY business_day`)
        .all(trendFrom, day) as { day: string; netFen: number; tickets: number }[]).map((r) => [r.day, r]),
    );
    const todayHours = hourRows(db, day);
    const lastHours = hourRows(db, lastWeekDay);

    const repFrom = addDays(day, -(DASHBOARD_WINDOWS.repurchaseDays - 1));
    const rep = repurchase(memberPurchaseDays(db, repFrom, day), { from: repFrom, to: day });

    const sellFrom = addDays(day, -(DASHBOARD_WINDOWS.sellersDays - 1));
    const su = skuUnion(sellFrom, day);
    const counter = db
      .prepare(
        `SELECT k.name, un.name AS unit, sum(r.sold_qty) - sum(r.returned_qty) AS qty, sum(r.sold_fen) - sum(r.returned_fen) AS netFen
         FROM (${su.sql}) r JOIN skus k ON k.id = r.sku_id JOIN units un ON un.id = k.unit_id
         GROUP BY r.sku_id HAVING qty > 0 ORDER BY netFen DESC, k.code LIMIT ?`,
      )
      .all(...su.params, DASHBOARD_WINDOWS.sellersRows) as { name: string; unit: string; qty: number; netFen: number }[];

    // Low stock: sold in the last 28 days and fewer than 7 days of cover (kpi.ts). SQL keeps the
    // candidates (a loose bound); the rule itself is applied by isLowStock.
    const coverFrom = addDays(day, -(COVER_LOOKBACK_DAYS - 1));
    const cu = skuUnion(coverFrom, day);
    const candidates = db
      .prepare(
        `SELECT k.code, k.name, un.name AS unit, k.stock_qty AS stockQty, s.sold AS soldQty
         FROM (SELECT r.sku_id, sum(r.sold_qty) - sum(r.returned_qty) AS sold FROM (${cu.sql}) r GROUP BY r.sku_id) s
           JOIN skus k ON k.id = s.sku_id JOIN units un ON un.id = k.unit_id
         WHERE k.active = 1 AND s.sold > 0 AND k.stock_qty * ${COVER_LOOKBACK_DAYS} < 8 * s.sold`,
      )
      .all(...cu.params) as { code: string; name: string; unit: string; stockQty: number; soldQty: number }[];
    const lowStock = candidates
      .filter((c) => isLowStock(c.stockQty, c.soldQty))
      .map((c) => ({ ...c, daysOfCover: daysOfCover(c.stockQty, c.soldQty) ?? 0 }))
      .sort((a, b) => a.daysOfCover - b.daysOfCover || a.code.localeCompare(b.code))
      .slice(0, DASHBOARD_WINDOWS.lowStockRows);

    const netByHour = (rows: typeof todayHours) => {
      const out = new Array<number>(24).fill(0);
      for (const r of rows) out[r.hour] += r.netFen;
      return out;
    };
    return {
      day,
      lastWeekDay,
      today: kpis(rangeTotals(db, day, day)),
      lastWeek: kpis(rangeTotals(db, lastWeekDay, lastWeekDay)),
      lastWeekSoFar: asOfHour === null ? null : kpis(soFar(db, lastWeekDay, asOfHour, cutoffHour(db))),
      asOfHour,
      hourly: {
        today: hourlyTickets(todayHours),
        lastWeek: hourlyTickets(lastHours),
        todayNetFen: netByHour(todayHours),
        lastWeekNetFen: netByHour(lastHours),
      },
      trend: eachDay(trendFrom, day).map((d) => ({ day: d, netFen: trendRows.get(d)?.netFen ?? 0, tickets: trendRows.get(d)?.tickets ?? 0 })),
      repurchase: { ...rep, from: repFrom, to: day },
      bestSellers: { from: sellFrom, to: day, counter, online: null },
      lowStock,
      ms: Math.round(performance.now() - started),
    };
  })();
}
