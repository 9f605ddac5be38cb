// The range reports, read from the summary tables (rpt_*, migrations 0008/0009) on a read-only
// connection in the reports worker. Each report is a handful of GROUP BY queries over rows per day
// (per month for SKUs), so a year costs about what a day does; nothing here scans sale_lines.
// Raw SQL on purpose: these are aggregate reads on a plain better-sqlite3 connection in a worker,
// with no drizzle instance there, and the column names are the summaries' own.
import type Database from 'better-sqlite3';
import { settingSchemas } from '../../../shared/api/settings';
import { TillError } from '../../../shared/errors';
import { REPORT_ROW_LIMIT, REPORTS, type ReportFigure, type ReportKind, type ReportNoteCode, type ReportResult, type ReportRow } from '../../../shared/reports/defs';
import { averageTicketFen, itemsPerTicket, margin, repurchase, ticketCount, type TicketTotals } from '../../../shared/reports/kpi';
import { businessDay } from '../business-day';
import { maskPhone } from '../members';
import { tenderLabel } from '../tenders';
import { eachDay, splitMonths } from '../../../shared/reports/days';
import { businessDaySpan } from './range';

export interface ReportSpec {
  kind: ReportKind;
  from: string;
  to: string;
  /** best / worst sellers: how many. */
  top?: number;
}

/** Progress and cancel, checked between the steps of a report (each step is one query). */
export interface JobContext {
  progress(done: number, total: number): void;
  cancelled(): boolean;
}
export const NO_JOB: JobContext = { progress: () => {}, cancelled: () => false };

export class JobCancelled extends TillError {
  constructor() {
    super('CANCELLED', '已取消');
  }
}

export function checkCancel(ctx: JobContext): void {
  if (ctx.cancelled()) throw new JobCancelled();
}

/** Full rows for an export; the screen gets at most REPORT_ROW_LIMIT (see runReport). */
export interface BuiltReport {
  rows: ReportRow[];
  totals: ReportRow | null;
  figures: ReportFigure[];
  notes: ReportNoteCode[];
}

type Db = Database.Database;
const NONE = '未分类';
const pct1 = (n: number, d: number) => (d ? Math.round((n / d) * 1000) / 10 : null);

// Statements compiled once per connection.
const cache = new WeakMap<Db, Map<string, Database.Statement>>();
function stmt(db: Db, sql: string): Database.Statement {
  let m = cache.get(db);
  if (!m) cache.set(db, (m = new Map()));
  let s = m.get(sql);
  if (!s) m.set(sql, (s = db.prepare(sql)));
  return s;
}
const all = <T>(db: Db, sql: string, ...p: unknown[]) => stmt(db, sql).all(...p) as T[];
const get = <T>(db: Db, sql: string, ...p: unknown[]) => stmt(db, sql).get(...p) as T;

// ---------------------------------------------------------------------------------------------
// Ticket totals (rpt_hour)

export const HOUR_SUMS = `sum(sale_count) AS saleCount, sum(sale_fen) AS saleFen, sum(item_count) AS itemCount,
  sum(cancel_count) AS cancelCount, sum(cancel_fen) AS cancelFen, sum(cancel_items) AS cancelItems,
  sum(return_count) AS returnCount, sum(return_fen) AS returnFen, sum(discount_fen) AS discountFen,
  sum(rounding_fen) AS roundingFen, sum(change_fen) AS changeFen, sum(member_sale_count) AS memberSaleCount,
  sum(member_sale_fen) AS memberSaleFen`;
type HourSums = TicketTotals & { discountFen: number; roundingFen: number; changeFen: number; memberSaleCount: number; memberSaleFen: number };
const ZERO_SUMS: HourSums = {
  saleCount: 0, saleFen: 0, itemCount: 0, cancelCount: 0, cancelFen: 0, cancelItems: 0, returnCount: 0, returnFen: 0,
  discountFen: 0, roundingFen: 0, changeFen: 0, memberSaleCount: 0, memberSaleFen: 0,
};
export const orZero = (r: Partial<HourSums> | undefined): HourSums => {
  const out = { ...ZERO_SUMS };
  for (const k of Object.keys(out) as (keyof HourSums)[]) out[k] = Number(r?.[k] ?? 0);
  return out;
};

export function rangeTotals(db: Db, from: string, to: string): HourSums {
  return orZero(get(db, `SELECT ${HOUR_SUMS} FROM rpt_hour WHERE business_day BETWEEN ? AND ?`, from, to));
}

/** The ticket columns shared by the day, hour, cashier and channel reports. */
function ticketCols(t: HourSums | TicketTotals): ReportRow {
  return {
    saleCount: t.saleCount,
    saleFen: t.saleFen,
    returnCount: t.returnCount,
    refundFen: t.returnFen,
    netFen: t.saleFen - t.returnFen,
    cancelCount: t.cancelCount,
    tickets: ticketCount(t),
    avgTicketFen: averageTicketFen(t),
    items: t.itemCount - t.cancelItems,
    itemsPerTicket: itemsPerTicket(t),
  };
}

function byDay(db: Db, s: ReportSpec): BuiltReport {
  const rows = new Map(
    all<HourSums & { day: string }>(db, `SELECT business_day AS day, ${HOUR_SUMS} FROM rpt_hour WHERE business_day BETWEEN ? AND ? GROUP BY business_day`, s.from, s.to).map(
      (r) => [r.day, r],
    ),
  );
  const out = eachDay(s.from, s.to).map((day) => {
    const t = orZero(rows.get(day));
    return { day, ...ticketCols(t), discountFen: t.discountFen, roundingFen: t.roundingFen };
  });
  const t = rangeTotals(db, s.from, s.to);
  return { rows: out, totals: { day: '合计', ...ticketCols(t), discountFen: t.discountFen, roundingFen: t.roundingFen }, figures: [], notes: [] };
}

function byHour(db: Db, s: ReportSpec): BuiltReport {
  const rows = all<HourSums & { hour: number }>(db, `SELECT hour, ${HOUR_SUMS} FROM rpt_hour WHERE business_day BETWEEN ? AND ? GROUP BY hour ORDER BY hour`, s.from, s.to);
  const t = rangeTotals(db, s.from, s.to);
  const allTickets = ticketCount(t);
  const label = (h: number) => `${String(h).padStart(2, '0')}:00–${String(h + 1).padStart(2, '0')}:00`;
  const row = (x: HourSums) => ({
    tickets: ticketCount(x),
    saleFen: x.saleFen,
    refundFen: x.returnFen,
    netFen: x.saleFen - x.returnFen,
    avgTicketFen: averageTicketFen(x),
    ticketSharePct: pct1(ticketCount(x), allTickets),
  });
  return {
    rows: rows.map((r) => ({ hour: label(r.hour), ...row(orZero(r)) })),
    totals: { hour: '合计', ...row(t) },
    figures: [],
    notes: [],
  };
}

// ---------------------------------------------------------------------------------------------
// Line measures (rpt_category, rpt_sku_day, rpt_sku_month)

const lineSums = (r: string) => `sum(${r}.line_count) AS lineCount, sum(${r}.sold_qty) AS soldQty, sum(${r}.sold_fen) AS soldFen,
  sum(${r}.gross_fen) AS grossFen, sum(${r}.discount_fen) AS discountFen, sum(${r}.returned_qty) AS returnedQty,
  sum(${r}.returned_fen) AS returnedFen, sum(${r}.cost_fen) AS costFen, sum(${r}.costed_fen) AS costedFen`;
interface LineSums {
  lineCount: number;
  soldQty: number;
  soldFen: number;
  grossFen: number;
  discountFen: number;
  returnedQty: number;
  returnedFen: number;
  costFen: number;
  costedFen: number;
}
const LINE_COLS = 'line_count, sold_qty, sold_fen, gross_fen, discount_fen, returned_qty, returned_fen, cost_fen, costed_fen';

function lineCols(m: LineSums, totalNet: number): ReportRow {
  const netFen = m.soldFen - m.returnedFen;
  const mg = margin({ netFen, costedFen: m.costedFen, costFen: m.costFen });
  return {
    soldQty: m.soldQty,
    soldFen: m.soldFen,
    returnedQty: m.returnedQty,
    refundFen: m.returnedFen,
    netFen,
    discountFen: m.discountFen,
    costFen: m.costFen,
    profitFen: mg.profitFen,
    marginPct: mg.marginPct,
    sharePct: pct1(netFen, totalNet),
  };
}

function categoryRows(db: Db, s: ReportSpec) {
  return all<LineSums & { categoryId: string; category: string | null }>(
    db,
    `SELECT r.category_id AS categoryId, c.name AS category, ${lineSums('r')}
     FROM rpt_category r LEFT JOIN categories c ON c.id = r.category_id
     WHERE r.business_day BETWEEN ? AND ? GROUP BY r.category_id`,
    s.from,
    s.to,
  );
}

const sumLines = (rows: readonly LineSums[]): LineSums => {
  const t: LineSums = { lineCount: 0, soldQty: 0, soldFen: 0, grossFen: 0, discountFen: 0, returnedQty: 0, returnedFen: 0, costFen: 0, costedFen: 0 };
  for (const r of rows) for (const k of Object.keys(t) as (keyof LineSums)[]) t[k] += r[k] ?? 0;
  return t;
};

function byCategory(db: Db, s: ReportSpec): BuiltReport {
  const rows = categoryRows(db, s);
  const t = sumLines(rows);
  const net = t.soldFen - t.returnedFen;
  return {
    rows: rows
      .map((r): ReportRow => ({ category: r.category ?? NONE, ...lineCols(r, net) }))
      .sort((a, b) => Number(b.netFen) - Number(a.netFen)),
    totals: { category: '合计', ...lineCols(t, net) },
    figures: [],
    notes: ['costFromSku'],
  };
}

/**
 * One row per business day and category: the year-long report of the range bench (365 × the
 * categories rows). Read as arrays (better-sqlite3 makes an object per row three times slower than
 * an array) and only the sums the columns need.
 */
function byCategoryDay(db: Db, s: ReportSpec): BuiltReport {
  const rows = stmt(
    db,
    `SELECT r.business_day, c.name, sum(r.sold_qty), sum(r.sold_fen), sum(r.returned_qty), sum(r.returned_fen), sum(r.cost_fen), sum(r.costed_fen)
     FROM rpt_category r LEFT JOIN categories c ON c.id = r.category_id
     WHERE r.business_day BETWEEN ? AND ? GROUP BY r.business_day, r.category_id ORDER BY r.business_day, c.sort, c.name`,
  )
    .raw(true)
    .all(s.from, s.to) as [string, string | null, number, number, number, number, number, number][];
  const t = { soldQty: 0, soldFen: 0, returnedQty: 0, returnedFen: 0, costFen: 0, costedFen: 0 };
  const row = (day: string, category: string, soldQty: number, soldFen: number, returnedQty: number, returnedFen: number, costFen: number, costedFen: number): ReportRow => {
    const mg = margin({ netFen: soldFen - returnedFen, costedFen, costFen });
    return { day, category, soldQty, soldFen, returnedQty, refundFen: returnedFen, netFen: soldFen - returnedFen, costFen, profitFen: mg.profitFen, marginPct: mg.marginPct };
  };
  const out = rows.map(([day, category, soldQty, soldFen, returnedQty, returnedFen, costFen, costedFen]) => {
    t.soldQty += soldQty;
    t.soldFen += soldFen;
    t.returnedQty += returnedQty;
    t.returnedFen += returnedFen;
    t.costFen += costFen;
    t.costedFen += costedFen;
    return row(day, category ?? NONE, soldQty, soldFen, returnedQty, returnedFen, costFen, costedFen);
  });
  return {
    rows: out,
    totals: row('合计', '', t.soldQty, t.soldFen, t.returnedQty, t.returnedFen, t.costFen, t.costedFen),
    figures: [],
    notes: ['costFromSku'],
  };
}

function marginReport(db: Db, s: ReportSpec): BuiltReport {
  const rows = categoryRows(db, s);
  const row = (m: LineSums) => {
    const netFen = m.soldFen - m.returnedFen;
    const mg = margin({ netFen, costedFen: m.costedFen, costFen: m.costFen });
    return { netFen, costedFen: m.costedFen, costFen: m.costFen, profitFen: mg.profitFen, marginPct: mg.marginPct, coveragePct: mg.coveragePct };
  };
  return {
    rows: rows.map((r) => ({ category: r.category ?? NONE, ...row(r) })).sort((a, b) => b.profitFen - a.profitFen),
    totals: { category: '合计', ...row(sumLines(rows)) },
    figures: [],
    notes: ['costFromSku'],
  };
}

/**
 * Per-SKU sums over a range: whole months from rpt_sku_month, the edge days from rpt_sku_day, as one
 * UNION ALL the caller groups by SKU. Returns the SQL of the union and its parameters.
 */
export function skuUnion(from: string, to: string): { sql: string; params: string[] } {
  const { months, days } = splitMonths(from, to);
  const parts: string[] = [];
  const params: string[] = [];
  if (months.length) {
    parts.push(`SELECT sku_id, ${LINE_COLS} FROM rpt_sku_month WHERE month IN (SELECT value FROM json_each(?))`);
    params.push(JSON.stringify(months));
  }
  for (const [a, b] of days) {
    parts.push(`SELECT sku_id, ${LINE_COLS} FROM rpt_sku_day WHERE business_day BETWEEN ? AND ?`);
    params.push(a, b);
  }
  return { sql: parts.join(' UNION ALL '), params };
}

interface SkuSums extends LineSums {
  skuId: string;
  code: string;
  name: string;
  unit: string;
  category: string | null;
  stockQty: number;
}

function skuSums(db: Db, s: ReportSpec, order: 'net DESC' | 'net ASC', limit = -1): SkuSums[] {
  const u = skuUnion(s.from, s.to);
  return all<SkuSums>(
    db,
    `SELECT r.sku_id AS skuId, k.code, k.name, un.name AS unit, c.name AS category, k.stock_qty AS stockQty, ${lineSums('r')},
       sum(r.sold_fen) - sum(r.returned_fen) AS net
     FROM (${u.sql}) r JOIN skus k ON k.id = r.sku_id JOIN units un ON un.id = k.unit_id
       LEFT JOIN products p ON p.id = k.product_id LEFT JOIN categories c ON c.id = p.category_id
     GROUP BY r.sku_id ${order === 'net ASC' ? 'HAVING sum(r.sold_qty) > 0' : ''}
     ORDER BY net ${order === 'net ASC' ? 'ASC' : 'DESC'}, k.code LIMIT ?`,
    ...u.params,
    limit,
  );
}

function byItem(db: Db, s: ReportSpec): BuiltReport {
  const rows = skuSums(db, s, 'net DESC');
  const t = sumLines(rows);
  const net = t.soldFen - t.returnedFen;
  return {
    rows: rows.map((r) => {
      const { sharePct: _share, ...cols } = lineCols(r, net);
      return { code: r.code, name: r.name, unit: r.unit, category: r.category ?? NONE, ...cols };
    }),
    totals: (({ sharePct: _s, ...cols }) => ({ code: '合计', ...cols }))(lineCols(t, net)),
    figures: [],
    notes: ['costFromSku'],
  };
}

function sellers(db: Db, s: ReportSpec, best: boolean): BuiltReport {
  const top = s.top ?? 20;
  const totalNet = (() => {
    const t = get<{ n: number | null }>(db, `SELECT sum(sold_fen) - sum(returned_fen) AS n FROM rpt_category WHERE business_day BETWEEN ? AND ?`, s.from, s.to);
    return t.n ?? 0;
  })();
  const rows = skuSums(db, s, best ? 'net DESC' : 'net ASC', top);
  return {
    rows: rows.map((r, i) => {
      const base = { rank: i + 1, code: r.code, name: r.name, unit: r.unit, category: r.category ?? NONE, soldQty: r.soldQty, netFen: r.soldFen - r.returnedFen };
      return best ? { ...base, sharePct: pct1(base.netFen, totalNet) } : { ...base, stockQty: r.stockQty };
    }),
    totals: null,
    figures: [],
    notes: [],
  };
}

// ---------------------------------------------------------------------------------------------
// Cashier, tender, channel

function byCashier(db: Db, s: ReportSpec): BuiltReport {
  type R = { cashier: string | null; saleCount: number; saleFen: number; itemCount: number; returnCount: number; returnFen: number; cancelCount: number; cancelFen: number };
  const rows = all<R>(
    db,
    `SELECT u.name AS cashier, sum(r.sale_count) AS saleCount, sum(r.sale_fen) AS saleFen, sum(r.item_count) AS itemCount,
       sum(r.return_count) AS returnCount, sum(r.return_fen) AS returnFen, sum(r.cancel_count) AS cancelCount, sum(r.cancel_fen) AS cancelFen
     FROM rpt_cashier r LEFT JOIN users u ON u.id = r.user_id WHERE r.business_day BETWEEN ? AND ? GROUP BY r.user_id ORDER BY saleFen DESC`,
    s.from,
    s.to,
  );
  // Cancelled items per cashier are not kept (rpt_cashier has no cancel_items): 件数 counts the
  // items of every sale the cashier rang, cancelled or not.
  const cols = (r: R) => {
    const t: TicketTotals = { ...r, cancelItems: 0 };
    const { itemsPerTicket: _i, ...c } = ticketCols(t);
    return { ...c, items: r.itemCount };
  };
  const t = rangeTotals(db, s.from, s.to);
  const { itemsPerTicket: _i, ...tc } = ticketCols(t);
  return { rows: rows.map((r) => ({ cashier: r.cashier ?? '?', ...cols(r) })), totals: { cashier: '合计', ...tc, items: t.itemCount }, figures: [], notes: [] };
}

function byTender(db: Db, s: ReportSpec): BuiltReport {
  const rows = all<{ method: string; payCount: number; payFen: number; refundCount: number; refundFen: number }>(
    db,
    `SELECT method, sum(pay_count) AS payCount, sum(pay_fen) AS payFen, sum(refund_count) AS refundCount, sum(refund_fen) AS refundFen
     FROM rpt_tender WHERE business_day BETWEEN ? AND ? GROUP BY method ORDER BY payFen DESC`,
    s.from,
    s.to,
  );
  const changeFen = rangeTotals(db, s.from, s.to).changeFen;
  const out = rows.map((r) => {
    const change = r.method === 'cash' ? changeFen : 0; // only cash gives change (tenders/*.givesChange)
    return { tender: tenderLabel(r.method), method: r.method, payCount: r.payCount, payFen: r.payFen, changeFen: change, refundCount: r.refundCount, refundFen: r.refundFen, netFen: r.payFen - change - r.refundFen };
  });
  const sum = (k: keyof (typeof out)[number]) => out.reduce((a, r) => a + (r[k] as number), 0);
  return {
    rows: out,
    totals: { tender: '合计', payCount: sum('payCount'), payFen: sum('payFen'), changeFen: sum('changeFen'), refundCount: sum('refundCount'), refundFen: sum('refundFen'), netFen: sum('netFen') },
    figures: [],
    notes: ['cashNetOfChange'],
  };
}

function byChannel(db: Db, s: ReportSpec): BuiltReport {
  // Every sale today is rung at the counter; online orders arrive with the sync issue.
  const t = rangeTotals(db, s.from, s.to);
  const { returnCount: _r, cancelCount: _c, items: _i, itemsPerTicket: _p, ...cols } = ticketCols(t);
  const empty = { saleCount: null, saleFen: null, refundFen: null, netFen: null, tickets: null, avgTicketFen: null };
  return {
    rows: [
      { channel: '门店', channelCode: 'counter', ...cols },
      { channel: '线上', channelCode: 'online', ...empty },
    ],
    totals: null,
    figures: [],
    notes: ['onlineNotYet'],
  };
}

// ---------------------------------------------------------------------------------------------
// Stock (now) and slow movers

function stockValue(db: Db): BuiltReport {
  const rows = all<{ category: string | null; skuCount: number; costValueFen: number; retailValueFen: number; noCostCount: number; negativeCount: number }>(
    db,
    `SELECT c.name AS category,
       sum(k.stock_qty > 0) AS skuCount,
       sum(CASE WHEN k.stock_qty > 0 THEN CAST(round(k.stock_qty * k.cost_fen / 1000.0) AS INTEGER) ELSE 0 END) AS costValueFen,
       sum(CASE WHEN k.stock_qty > 0 THEN CAST(round(k.stock_qty * k.price_fen / 1000.0) AS INTEGER) ELSE 0 END) AS retailValueFen,
       sum(k.stock_qty > 0 AND k.cost_fen = 0) AS noCostCount,
       sum(k.stock_qty < 0) AS negativeCount
     FROM skus k LEFT JOIN products p ON p.id = k.product_id LEFT JOIN categories c ON c.id = p.category_id
     WHERE k.active = 1 GROUP BY p.category_id ORDER BY retailValueFen DESC`,
  );
  const sum = (k: keyof (typeof rows)[number]) => rows.reduce((a, r) => a + (r[k] as number), 0);
  return {
    rows: rows.map((r) => ({ ...r, category: r.category ?? NONE })),
    totals: { category: '合计', skuCount: sum('skuCount'), costValueFen: sum('costValueFen'), retailValueFen: sum('retailValueFen'), noCostCount: sum('noCostCount'), negativeCount: sum('negativeCount') },
    figures: [],
    notes: ['stockIsNow'],
  };
}

function slowMovers(db: Db, s: ReportSpec): BuiltReport {
  const u = skuUnion(s.from, s.to);
  const rows = all<ReportRow>(
    db,
    `SELECT k.code, k.name, un.name AS unit, COALESCE(c.name, '${NONE}') AS category, k.stock_qty AS stockQty,
       CAST(round(k.stock_qty * k.cost_fen / 1000.0) AS INTEGER) AS costValueFen,
       CAST(round(k.stock_qty * k.price_fen / 1000.0) AS INTEGER) AS retailValueFen,
       (SELECT max(d.business_day) FROM rpt_sku_day d WHERE d.sku_id = k.id AND d.sold_qty > 0) AS lastSoldDay
     FROM skus k JOIN units un ON un.id = k.unit_id LEFT JOIN products p ON p.id = k.product_id LEFT JOIN categories c ON c.id = p.category_id
     WHERE k.active = 1 AND k.stock_qty > 0
       ${u.sql ? `AND k.id NOT IN (SELECT sku_id FROM (${u.sql}) WHERE sold_qty > 0)` : ''}
     ORDER BY retailValueFen DESC, k.code`,
    ...u.params,
  );
  const sum = (k: string) => rows.reduce((a, r) => a + (r[k] as number), 0);
  return {
    rows,
    totals: { code: '合计', costValueFen: sum('costValueFen'), retailValueFen: sum('retailValueFen') },
    figures: [],
    notes: ['stockIsNow'],
  };
}

// ---------------------------------------------------------------------------------------------
// Refunds and voids

export function cutoffHour(db: Db): number {
  const row = get<{ value: string } | undefined>(db, `SELECT value FROM settings WHERE key = 'day.cutoffHour'`);
  const parsed = settingSchemas['day.cutoffHour'].safeParse(row ? JSON.parse(row.value) : undefined);
  return parsed.success ? parsed.data : 4;
}

function refunds(db: Db, s: ReportSpec): BuiltReport {
  const sums = new Map(
    all<{ day: string; returnCount: number; returnFen: number; cancelCount: number; cancelFen: number }>(
      db,
      `SELECT business_day AS day, sum(return_count) AS returnCount, sum(return_fen) AS returnFen, sum(cancel_count) AS cancelCount,
         sum(cancel_fen) AS cancelFen FROM rpt_hour WHERE business_day BETWEEN ? AND ? GROUP BY business_day`,
      s.from,
      s.to,
    ).map((r) => [r.day, r]),
  );
  // Voids happen in the cart (no sale is written): they are read from the audit log, whose
  // (action, at) index keeps this to the rows of the range.
  const cutoff = cutoffHour(db);
  const span = businessDaySpan(s.from, s.to, cutoff);
  const voids = new Map<string, { voidCount: number; voidFen: number; removedLines: number }>();
  for (const a of all<{ action: string; at: number; details: string | null }>(
    db,
    `SELECT action, at, details FROM audit_log WHERE action IN ('cart.void', 'cart.remove_line') AND at >= ? AND at < ?`,
    span.startMs,
    span.endMs,
  )) {
    const day = businessDay(a.at, cutoff);
    const v = voids.get(day) ?? { voidCount: 0, voidFen: 0, removedLines: 0 };
    if (a.action === 'cart.void') {
      v.voidCount++;
      v.voidFen += Number((a.details ? (JSON.parse(a.details) as { totalFen?: number }) : {}).totalFen ?? 0);
    } else v.removedLines++;
    voids.set(day, v);
  }
  const rows = eachDay(s.from, s.to)
    .map((day) => {
      const r = sums.get(day);
      const v = voids.get(day);
      return {
        day,
        returnCount: r?.returnCount ?? 0,
        refundFen: r?.returnFen ?? 0,
        cancelCount: r?.cancelCount ?? 0,
        cancelFen: r?.cancelFen ?? 0,
        voidCount: v?.voidCount ?? 0,
        voidFen: v?.voidFen ?? 0,
        removedLines: v?.removedLines ?? 0,
      };
    })
    .filter((r) => r.returnCount || r.cancelCount || r.voidCount || r.removedLines);
  const sum = (k: keyof (typeof rows)[number]) => rows.reduce((a, r) => a + (r[k] as number), 0);
  return {
    rows,
    totals: { day: '合计', returnCount: sum('returnCount'), refundFen: sum('refundFen'), cancelCount: sum('cancelCount'), cancelFen: sum('cancelFen'), voidCount: sum('voidCount'), voidFen: sum('voidFen'), removedLines: sum('removedLines') },
    figures: [],
    notes: ['voidsFromAudit'],
  };
}

// ---------------------------------------------------------------------------------------------
// Members


/** (member, day) rows with a purchase, for the 复购 figures. */
export function memberPurchaseDays(db: Db, from: string, to: string): { memberId: string; day: string }[] {
  return all<{ memberId: string; day: string }>(
    db,
    `SELECT member_id AS memberId, business_day AS day FROM rpt_member WHERE business_day BETWEEN ? AND ? AND sale_count > 0`,
    from,
    to,
  );
}

function members(db: Db, s: ReportSpec): BuiltReport {
  const rows = all<{ member: string | null; phone: string | null; saleCount: number; saleFen: number; returnFen: number; days: number; firstDay: string; lastDay: string }>(
    db,
    `SELECT m.name AS member, m.phone, sum(r.sale_count) AS saleCount, sum(r.sale_fen) AS saleFen, sum(r.return_fen) AS returnFen,
       sum(r.sale_count > 0) AS days, min(CASE WHEN r.sale_count > 0 THEN r.business_day END) AS firstDay,
       max(CASE WHEN r.sale_count > 0 THEN r.business_day END) AS lastDay
     FROM rpt_member r LEFT JOIN members m ON m.id = r.member_id
     WHERE r.business_day BETWEEN ? AND ? GROUP BY r.member_id ORDER BY sum(r.sale_fen) - sum(r.return_fen) DESC`,
    s.from,
    s.to,
  );
  const t = rangeTotals(db, s.from, s.to);
  const rp = repurchase(memberPurchaseDays(db, s.from, s.to), { from: s.from, to: s.to });
  const active = rows.filter((r) => r.saleCount > 0).length;
  return {
    rows: rows.map((r) => ({
      member: r.member ?? '?',
      phone: r.phone ? maskPhone(r.phone) : '',
      saleCount: r.saleCount,
      saleFen: r.saleFen,
      refundFen: r.returnFen,
      netFen: r.saleFen - r.returnFen,
      avgTicketFen: r.saleCount ? Math.round(r.saleFen / r.saleCount) : null,
      days: r.days,
      firstDay: r.firstDay,
      lastDay: r.lastDay,
    })),
    totals: null,
    figures: [
      { key: 'activeMembers', zh: '消费会员数', en: 'Members who bought', type: 'int', value: active },
      { key: 'memberSharePct', zh: '会员销售占比(%)', en: 'Member share of sales (%)', type: 'pct', value: pct1(t.memberSaleFen, t.saleFen) },
      { key: 'repurchaseDays', zh: '复购周期(天)', en: 'Days between purchases (median)', type: 'ratio', value: rp.medianDays },
      { key: 'back30Pct', zh: '30天回购率(%)', en: 'Back within 30 days (%)', type: 'pct', value: rp.backPct },
    ],
    notes: [],
  };
}

// ---------------------------------------------------------------------------------------------

const BUILDERS: Record<ReportKind, (db: Db, s: ReportSpec) => BuiltReport> = {
  byDay,
  byHour,
  byCategory,
  byCategoryDay,
  byItem,
  byCashier,
  byTender,
  byChannel,
  bestSellers: (db, s) => sellers(db, s, true),
  worstSellers: (db, s) => sellers(db, s, false),
  margin: marginReport,
  stockValue: (db) => stockValue(db),
  slowMovers,
  refunds,
  members,
};

/** A report with all its rows, in one read transaction (a consistent picture while sales go on). */
export function buildReport(db: Db, spec: ReportSpec, ctx: JobContext = NO_JOB): BuiltReport {
  checkCancel(ctx);
  ctx.progress(0, 1);
  const built = db.transaction(() => BUILDERS[spec.kind](db, spec))();
  checkCancel(ctx);
  ctx.progress(1, 1);
  return built;
}

/** The report for the screen: at most REPORT_ROW_LIMIT rows. */
export function runReport(db: Db, spec: ReportSpec, ctx: JobContext = NO_JOB): ReportResult {
  const started = performance.now();
  const built = buildReport(db, spec, ctx);
  const truncated = built.rows.length > REPORT_ROW_LIMIT;
  return {
    kind: spec.kind,
    from: spec.from,
    to: spec.to,
    columns: REPORTS[spec.kind].columns,
    rows: truncated ? built.rows.slice(0, REPORT_ROW_LIMIT) : built.rows,
    totals: built.totals,
    rowCount: built.rows.length,
    figures: built.figures,
    notes: truncated ? [...built.notes, 'truncated'] : built.notes,
    ms: Math.round(performance.now() - started),
  };
}
