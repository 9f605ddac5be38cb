// Business days as 'YYYY-MM-DD' (both ends of a range included), for the report queries and the
// range pickers alike: adding days, every day of a range, a range cut into whole months and the days
// at its edges (a year of items reads 12 month rows per SKU and at most ~60 day rows), and the
// pickers' presets. Pure calendar arithmetic in UTC, so no time zone can shift a day.

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

export const PRESETS = ['today', 'yesterday', 'last7', 'thisWeek', 'thisMonth', 'lastMonth', 'thisYear'] as const;
export type Preset = (typeof PRESETS)[number];

/** A preset's days, given the till's business day today (weeks start on Monday, as in China). */
export function presetRange(p: Preset, today: string): { from: string; to: string } {
  const dow = (new Date(parse(today)).getUTCDay() + 6) % 7; // Monday 0
  const month = today.slice(0, 7);
  switch (p) {
    case 'today':
      return { from: today, to: today };
    case 'yesterday':
      return { from: addDays(today, -1), to: addDays(today, -1) };
    case 'last7':
      return { from: addDays(today, -6), to: today };
    case 'thisWeek':
      return { from: addDays(today, -dow), to: today };
    case 'thisMonth':
      return { from: `${month}-01`, to: today };
    case 'lastMonth': {
      const lastOfPrev = addDays(`${month}-01`, -1);
      return { from: `${lastOfPrev.slice(0, 7)}-01`, to: lastOfPrev };
    }
    case 'thisYear':
      return { from: `${today.slice(0, 4)}-01-01`, to: today };
  }
}
