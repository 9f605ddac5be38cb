// Receipt numbers: T01-20261125-0042, per till and business day, from the counters table so the
// sequence survives restarts. One upsert, called inside the sale's transaction (a rolled-back sale
// gives its number back).
import type { Till } from './till';

export function nextReceiptNo(till: Till, businessDay: string): string {
  const tillId = till.tillId;
  const { value } = till
    .stmt(
      `INSERT INTO counters (name, scope, value) VALUES ('receipt', ?, 1)
       ON CONFLICT (name, scope) DO UPDATE SET value = value + 1 RETURNING value`,
    )
    .get(`${tillId}:${businessDay}`) as { value: number };
  return `${tillId}-${businessDay.replace(/-/g, '')}-${String(value).padStart(4, '0')}`;
}

/** What a scanned receipt barcode or typed number becomes (scanners may add spaces, lower case). */
export const normalizeReceiptNo = (s: string): string => s.trim().toUpperCase().replace(/\s+/g, '');
