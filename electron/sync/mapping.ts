// SKU mapping: a local SKU linked to one platform's item/SKU. Linking (or relinking) queues an absolute
// push of the SKU's figure, since the platform's stock was never told by this till before.
import { and, eq } from 'drizzle-orm';
import type { TillDb } from '../till/db';
import { skuMapping } from '../till/schema';
import type { PlatformId, PlatformSkuRef } from './connector';
import { enqueueAbsolute, prep } from './relay-store';

export interface SkuLink extends PlatformSkuRef {
  skuId: string;
  platform: PlatformId;
  matchedBy: 'barcode' | 'code' | 'manual';
}

export function linkSku(db: TillDb, link: SkuLink, now: number): void {
  db.$client
    .transaction(() => {
      const values = { skuId: link.skuId, platform: link.platform, itemId: link.itemId, platformSkuId: link.platformSkuId, matchedBy: link.matchedBy, createdAt: now, updatedAt: now };
      db.insert(skuMapping)
        .values(values)
        .onConflictDoUpdate({ target: [skuMapping.skuId, skuMapping.platform], set: { itemId: link.itemId, platformSkuId: link.platformSkuId, matchedBy: link.matchedBy, updatedAt: now } })
        .run();
      enqueueAbsolute(db, link.platform, link.skuId, now);
    })
    .immediate();
}

export function mappingOf(db: TillDb, platform: string, skuId: string): PlatformSkuRef | null {
  // Raw and prepared once: the relay asks this for every delivery.
  const row = prep(db, `SELECT item_id AS itemId, platform_sku_id AS platformSkuId FROM sku_mapping WHERE sku_id = ? AND platform = ?`).get(skuId, platform) as PlatformSkuRef | undefined;
  return row ?? null;
}

/** The local SKU an online order line is for, or null (an order for an unmapped SKU is kept and shown). */
export function localSkuOf(db: TillDb, platform: string, itemId: string, platformSkuId: string | null): string | null {
  const rows = db
    .select({ skuId: skuMapping.skuId, platformSkuId: skuMapping.platformSkuId })
    .from(skuMapping)
    .where(and(eq(skuMapping.platform, platform), eq(skuMapping.itemId, itemId)))
    .all();
  return (rows.find((r) => (r.platformSkuId ?? null) === (platformSkuId || null)) ?? (rows.length === 1 && !rows[0].platformSkuId ? rows[0] : undefined))?.skuId ?? null;
}
