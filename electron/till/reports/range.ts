// The epoch-ms span of a range of business days, for rows that carry only a time (the audit log). The
// calendar arithmetic of ranges is shared/reports/days.ts.
import { addDays } from '../../../shared/reports/days';

/** A business day starts at `cutoffHour` local time (electron/till/business-day.ts). */
export function businessDaySpan(from: string, to: string, cutoffHour: number): { startMs: number; endMs: number } {
  const local = (d: string) => new Date(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)), cutoffHour).getTime();
  return { startMs: local(from), endMs: local(addDays(to, 1)) };
}
