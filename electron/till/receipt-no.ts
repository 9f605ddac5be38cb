// Receipt numbers: T01-20261125-0042, per till and business day, from the counters table so the
// sequence survives restarts. One upsert, called inside the sale's transaction (a rolled-back sale
// gives its number back).
import { sql } from 'drizzle-orm';
import { arg, prepared } from './prepared';
import { counters } from './schema';
import type { Till } from './till';

const q = prepared((db) => ({
  next: db
    .insert(counters)
    .values({ name: 'receipt', scope: arg('scope'), value: 1 })
    .onConflictDoUpdate({ target: [counters.name, counters.scope], set: { value: sql`${counters.value} + 1` } })
    .returning({ value: counters.value })
    .prepare(),
}));

export function nextReceiptNo(till: Till, businessDay: string): string {
  const tillId = till.tillId;
  const { value } = q(till.db).next.get({ scope: `${tillId}:${businessDay}` })!;
  return `${tillId}-${businessDay.replace(/-/g, '')}-${String(value).padStart(4, '0')}`;
}

/** What a scanned receipt barcode or typed number becomes (scanners may add spaces, lower case). */
export const normalizeReceiptNo = (s: string): string => s.trim().toUpperCase().replace(/\s+/g, '');
