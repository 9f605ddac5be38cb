// Alipay's wire formats for money and time. Amounts are yuan strings with exactly 2 decimals
// ("12.30"), converted from integer fen by shared/money.ts (no floats). The gateway reads `timestamp`
// as Beijing time (UTC+8, no daylight saving), whatever zone the counter PC is set to.
import { assertFen, formatYuan, parseYuan } from '../../../shared/money';

/** 1230 → "12.30". Only positive amounts go to Alipay (a zero or negative amount is a bug upstream). */
export function fenToYuan(fen: number): string {
  assertFen(fen);
  if (fen <= 0) throw new RangeError(`alipay amount must be positive, got ${fen}`);
  return formatYuan(fen).slice(1); // "¥12.30" → "12.30"
}

/** "12.30" → 1230 (Alipay's total_amount, refund_fee). Throws RangeError on anything but a yuan amount. */
export function yuanToFen(yuan: string): number {
  if (!/^\d+(\.\d{1,2})?$/.test(yuan)) throw new RangeError(`not an Alipay amount: ${yuan}`);
  return parseYuan(yuan);
}

const BEIJING_OFFSET_MS = 8 * 3600_000;

/** Unix ms → "yyyy-MM-dd HH:mm:ss" in Beijing time. */
export function beijingTimestamp(ms: number): string {
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** "yyyy-MM-dd HH:mm:ss" read as Beijing time → Unix ms (NaN when it is not that shape). */
export function parseBeijingTimestamp(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) return Number.NaN;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  return Date.UTC(y, mo - 1, d, h, mi, s) - BEIJING_OFFSET_MS;
}
