// The 营业日: a shop that closes after midnight still books the night's sales on the day it opened.
// The day rolls over at `cutoffHour` local time (default 04:00), or earlier when the manager closes
// the day (日结): once a day is closed, new sales go to the day after it (openDay).
export function businessDay(nowMs: number, cutoffHour = 4): string {
  const d = new Date(nowMs - cutoffHour * 3_600_000);
  const y = d.getFullYear();
  const m = String(d.getMonth() + 1).padStart(2, '0');
  const day = String(d.getDate()).padStart(2, '0');
  return `${y}-${m}-${day}`;
}

/** '2026-11-30' → '2026-12-01' (calendar arithmetic on the date alone, no time zone involved). */
export function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/**
 * The day a sale belongs to: the calendar business day, unless that day (or a later one) is already
 * closed, then the day after the last closed one. The same rule for the till now (Till.businessDay)
 * and for a past moment with the closes made before it (reports that place audit rows in a day).
 */
export function openDay(calendarDay: string, lastClosed: string | null | undefined): string {
  return lastClosed && calendarDay <= lastClosed ? nextDay(lastClosed) : calendarDay;
}
