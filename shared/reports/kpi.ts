// The dashboard's figures, each defined once here as a pure function of summary rows. The wording
// shown in the tooltip beside each figure (renderer/src/i18n/reports.ts, kpi.*) says the same as the
// comment on its function; tests/unit/kpi.test.ts works each one out by hand.
//
// Amounts are integer fen; a "ticket" (客单) is a completed sale, not a return; a sale cancelled later
// (撤销) is not a ticket and its amount and items do not count towards the ticket figures.

/** What the ticket figures need from a day's (or a range's) rpt_hour rows. */
export interface TicketTotals {
  saleCount: number;
  saleFen: number;
  itemCount: number;
  cancelCount: number;
  cancelFen: number;
  cancelItems: number;
  returnCount: number;
  returnFen: number; // positive: refunded
}

export const EMPTY_TOTALS: TicketTotals = {
  saleCount: 0, saleFen: 0, itemCount: 0, cancelCount: 0, cancelFen: 0, cancelItems: 0, returnCount: 0, returnFen: 0,
};

export function addTotals(a: TicketTotals, b: TicketTotals): TicketTotals {
  return {
    saleCount: a.saleCount + b.saleCount,
    saleFen: a.saleFen + b.saleFen,
    itemCount: a.itemCount + b.itemCount,
    cancelCount: a.cancelCount + b.cancelCount,
    cancelFen: a.cancelFen + b.cancelFen,
    cancelItems: a.cancelItems + b.cancelItems,
    returnCount: a.returnCount + b.returnCount,
    returnFen: a.returnFen + b.returnFen,
  };
}

/** 客单数: completed sales not cancelled since. */
export function ticketCount(t: TicketTotals): number {
  return t.saleCount - t.cancelCount;
}

/** 销售额: what the customers paid on those tickets (cancelled sales left out), before returns. */
export function ticketSalesFen(t: TicketTotals): number {
  return t.saleFen - t.cancelFen;
}

/** 净销售额: all sales minus all refunds (a cancel is a full refund, so it nets to nothing). */
export function netSalesFen(t: TicketTotals): number {
  return t.saleFen - t.returnFen;
}

/** 客单价 (average ticket): 销售额 ÷ 客单数, rounded to the fen (half up); null without tickets. */
export function averageTicketFen(t: TicketTotals): number | null {
  const n = ticketCount(t);
  return n > 0 ? Math.round(ticketSalesFen(t) / n) : null;
}

/**
 * 连带率 (items per ticket): items on the tickets ÷ 客单数, to 2 decimals. A weighed line counts as one
 * item (sales.item_count). Null without tickets.
 */
export function itemsPerTicket(t: TicketTotals): number | null {
  const n = ticketCount(t);
  return n > 0 ? Math.round(((t.itemCount - t.cancelItems) / n) * 100) / 100 : null;
}

/** Change against a reference as a percentage to one decimal (+12.5 = 12.5 % more); null when the reference is 0. */
export function changePct(now: number, before: number): number | null {
  if (before === 0) return null;
  return Math.round(((now - before) / Math.abs(before)) * 1000) / 10;
}

/** Tickets per local hour 0–23 (a missing hour is 0). */
export function hourlyTickets(rows: readonly { hour: number; saleCount: number; cancelCount: number }[]): number[] {
  const out = new Array<number>(24).fill(0);
  for (const r of rows) if (r.hour >= 0 && r.hour < 24) out[r.hour] += r.saleCount - r.cancelCount;
  return out;
}

// ---------------------------------------------------------------------------------------------
// 复购 (repeat purchases by members)

/** Whole days from a to b ('YYYY-MM-DD'), b − a. */
export function daysBetween(a: string, b: string): number {
  const t = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
  return Math.round((t(b) - t(a)) / 86_400_000);
}

/** The median of numbers (mean of the middle two for an even count); null for none. */
export function median(xs: readonly number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export interface RepurchaseFigures {
  /** 复购周期: median of the gaps in days between a member's consecutive purchase days, all members pooled. */
  medianDays: number | null;
  /** How many gaps the median is taken over. */
  gaps: number;
  /** Members whose first purchase in the window was at least `withinDays` before its end. */
  eligible: number;
  /** Of those, members who bought again within `withinDays` days after that first purchase. */
  back: number;
  /** back ÷ eligible as a percentage to one decimal; null when no member is eligible. */
  backPct: number | null;
}

/**
 * 复购周期 and 30 天回购率 over a window [from, to] of business days, from (member, day) purchase rows
 * (rpt_member rows with a sale). Several purchases on one day count as one purchase day. A member
 * who first bought in the last `withinDays` days of the window has not had the time to come back yet,
 * so is left out of the rate (else a recent window would always look disloyal).
 */
export function repurchase(
  purchases: readonly { memberId: string; day: string }[],
  window: { from: string; to: string },
  withinDays = 30,
): RepurchaseFigures {
  const byMember = new Map<string, Set<string>>();
  for (const p of purchases) {
    if (p.day < window.from || p.day > window.to) continue;
    let days = byMember.get(p.memberId);
    if (!days) byMember.set(p.memberId, (days = new Set()));
    days.add(p.day);
  }
  const gaps: number[] = [];
  let eligible = 0;
  let back = 0;
  for (const set of byMember.values()) {
    const days = [...set].sort();
    for (let i = 1; i < days.length; i++) gaps.push(daysBetween(days[i - 1], days[i]));
    if (daysBetween(days[0], window.to) >= withinDays) {
      eligible++;
      if (days.length > 1 && daysBetween(days[0], days[1]) <= withinDays) back++;
    }
  }
  return {
    medianDays: median(gaps),
    gaps: gaps.length,
    eligible,
    back,
    backPct: eligible ? Math.round((back / eligible) * 1000) / 10 : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Low stock

/** Days of recent sales the low-stock rule looks at. */
export const COVER_LOOKBACK_DAYS = 28;
/** Fewer days of cover than this is low stock. */
export const LOW_COVER_DAYS = 7;

/**
 * 可售天数 (days of cover): stock ÷ average daily sales of the last 28 days, to one decimal; 0 when
 * nothing is left; null when the item did not sell in those days (no rate to divide by).
 * 低库存 = it sold in the last 28 days and has less than 7 days of cover.
 */
export function daysOfCover(stockQty: number, soldQtyLookback: number): number | null {
  if (soldQtyLookback <= 0) return null;
  if (stockQty <= 0) return 0;
  return Math.round((stockQty / (soldQtyLookback / COVER_LOOKBACK_DAYS)) * 10) / 10;
}

export function isLowStock(stockQty: number, soldQtyLookback: number): boolean {
  const d = daysOfCover(stockQty, soldQtyLookback);
  return d !== null && d < LOW_COVER_DAYS;
}

// ---------------------------------------------------------------------------------------------
// Margin

/**
 * 毛利 and 毛利率 over the lines whose cost is known (skus.cost_fen > 0 when sold): gross profit =
 * their net sales − their cost; margin % = gross profit ÷ their net sales, to one decimal; coverage %
 * = their net sales ÷ all net sales (how much of the business the margin speaks for).
 */
export function margin(m: { netFen: number; costedFen: number; costFen: number }): {
  profitFen: number;
  marginPct: number | null;
  coveragePct: number | null;
} {
  const profitFen = m.costedFen - m.costFen;
  return {
    profitFen,
    marginPct: m.costedFen > 0 ? Math.round((profitFen / m.costedFen) * 1000) / 10 : null,
    coveragePct: m.netFen > 0 ? Math.round((m.costedFen / m.netFen) * 1000) / 10 : null,
  };
}
