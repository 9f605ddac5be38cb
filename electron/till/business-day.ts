// The 营业日: a shop that closes after midnight still books the night's sales on the day it opened.
// The day rolls over at `cutoffHour` local time (default 04:00).
export function businessDay(nowMs: number, cutoffHour = 4): string {
  const d = new Date(nowMs - cutoffHour * 3_600_000);
  const y = d.getFullYear();
  const m = String(d.getMonth() + 1).padStart(2, '0');
  const day = String(d.getDate()).padStart(2, '0');
  return `${y}-${m}-${day}`;
}
