// Business-day ranges ('YYYY-MM-DD', both ends included) as the report queries need them: every day
// of a range, and a range cut into whole months (read from rpt_sku_month) and the days at its edges
// (read from rpt_sku_day), so a year of items costs 12 month rows per SKU and at most 60 day rows.

const DAY = 86_400_000;
const parse = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
const format = (t: number) => new Date(t).toISOString().slice(0, 10);

export function addDays(day: string, n: number): string {
  return format(parse(day) + n * DAY);
}

export function eachDay(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = parse(from), end = parse(to); t <= end; t += DAY) out.push(format(t));
  return out;
}

const lastDayOfMonth = (month: string) => format(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0));

export interface RangeParts {
  /** Whole months inside the range, 'YYYY-MM'. */
  months: string[];
  /** Day ranges not covered by those months (at most two: the head and the tail). */
  days: [string, string][];
}

export function splitMonths(from: string, to: string): RangeParts {
  const months: string[] = [];
  const days: [string, string][] = [];
  let cur = from;
  while (cur <= to) {
    const month = cur.slice(0, 7);
    const monthEnd = lastDayOfMonth(month);
    const end = monthEnd < to ? monthEnd : to;
    if (cur.endsWith('-01') && end === monthEnd) months.push(month);
    else days.push([cur, end]);
    cur = addDays(end, 1);
  }
  return { months, days };
}

/**
 * The epoch-ms span of business days [from, to] for rows that carry only a time (the audit log): a
 * business day starts at `cutoffHour` local time (electron/till/business-day.ts).
 */
export function businessDaySpan(from: string, to: string, cutoffHour: number): { startMs: number; endMs: number } {
  const local = (d: string) => new Date(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)), cutoffHour).getTime();
  return { startMs: local(from), endMs: local(addDays(to, 1)) };
}
