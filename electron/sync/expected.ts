// What a platform should show for a mapped SKU, as the full reconcile compares it: the same figure the
// relay pushes (./sellable.ts, S-orders' one place for on hand − reserved − safety stock, × share).
import type { TillDb } from '../till/db';
import { platformSellable } from './sellable';

export function expectedFigure(db: TillDb, platform: string, skuId: string): number {
  return platformSellable(db, platform, skuId);
}
