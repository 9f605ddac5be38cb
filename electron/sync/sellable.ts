// What may be sold, in ONE place. The local ledger is the physical truth (skus.stock_qty); online
// orders hold part of it (skus.reserved_qty, see ./reservations.ts); the shop keeps a safety stock
// back from the platforms (per SKU, else per category, else the shop default), and a platform may get
// only a share of what is left:
//
//   counter 可售            = on hand − reserved                       (thousandths; may go below 0)
//   a platform's figure    = ⌊ max(0, ⌊on hand⌋ − ⌈reserved⌉ − safety) × share ⌋   (whole pieces)
//
// How an online order reaches the platforms, once and only once:
// - The customer's own platform took the pieces off its stock when the order was placed. The till
//   reserves them (reserved_qty up), so the figure above falls by the order — for every platform,
//   the origin included. The change is pushed as an ABSOLUTE figure (a queued absolute push per linked
//   platform, ./reservations.ts), never as an increment: the origin then receives the figure it
//   already shows (its decrement is not applied a second time), and the other platforms learn of it.
// - When the order ships or is picked up, the reservation turns into a stock move (ledger
//   moveReservedOut): on hand and reserved fall together, the figure does not change, and that move
//   is not a 'stock.changed' outbox row, so no increment is fanned out for it either.
// - An absolute figure is only as fresh as the orders pulled before it: the engine polls a platform
//   right before relaying to it when its last poll is older than pollBeforePushMs, so the figure is
//   computed right after pulling recent orders. An order placed between that pull and the push landing
//   is overwritten on its platform for one round (it shows its pieces again) until the next poll
//   reserves it and pushes again — the residual window, a round trip wide.
// - Counter sales still go to increment platforms (Doudian) as increments keyed by the move's id, but
//   only while an increment moves the platform's figure by the same amount (share 100 %, the figure
//   not clamped at 0 anywhere along the pending moves): incrementSafe() says so, else the relay sends
//   the absolute figure instead.
import type { TillDb } from '../till/db';
import type { PlatformId } from './connector';

export type SafetySource = 'sku' | 'category' | 'shop';

interface SkuStock {
  stockQty: number;
  reservedQty: number;
  categoryId: string | null;
}

const stmts = new WeakMap<TillDb, ReturnType<typeof prepare>>();
function prepare(db: TillDb) {
  const c = db.$client;
  return {
    sku: c.prepare<[string]>(
      `SELECT s.stock_qty AS stockQty, s.reserved_qty AS reservedQty, p.category_id AS categoryId FROM skus s JOIN products p ON p.id = s.product_id WHERE s.id = ?`,
    ),
    rule: c.prepare<[string, string]>(`SELECT value FROM sellable_rules WHERE kind = ? AND ref = ?`).pluck(),
    pendingAbs: c.prepare<[string, string]>(
      `SELECT coalesce(sum(abs(json_extract(o.payload, '$.qtyDelta'))), 0) FROM sync_deliveries d JOIN outbox o ON o.id = d.outbox_id
       WHERE d.platform = ? AND d.sku_id = ? AND d.state = 'pending'`,
    ).pluck(),
  };
}
const q = (db: TillDb) => {
  let s = stmts.get(db);
  if (!s) stmts.set(db, (s = prepare(db)));
  return s;
};

function skuStock(db: TillDb, skuId: string): SkuStock | null {
  return (q(db).sku.get(skuId) as SkuStock | undefined) ?? null;
}

/** The safety stock kept back from the platforms (pieces) and where the figure comes from. */
export function safetyOf(db: TillDb, skuId: string, categoryId?: string | null): { qty: number; from: SafetySource } {
  const s = q(db);
  const own = s.rule.get('safety_sku', skuId) as number | undefined;
  if (own !== undefined) return { qty: own, from: 'sku' };
  const cat = categoryId === undefined ? skuStock(db, skuId)?.categoryId : categoryId;
  if (cat) {
    const c = s.rule.get('safety_category', cat) as number | undefined;
    if (c !== undefined) return { qty: c, from: 'category' };
  }
  return { qty: (s.rule.get('safety_shop', '') as number | undefined) ?? 0, from: 'shop' };
}

/** A platform's share of the figure, percent (100 when none is set). */
export function shareOf(db: TillDb, platform: string): number {
  return (q(db).rule.get('share', platform) as number | undefined) ?? 100;
}

/** The counter's 可售 (thousandths): on hand less what online orders hold. */
export const counterSellable = (stockQty: number, reservedQty: number): number => stockQty - reservedQty;

/** The platform figure from its parts (pieces ≥ 0): the formula at the top of this file. */
export function platformFigure(stockQty: number, reservedQty: number, safety: number, sharePercent: number): number {
  const base = Math.max(0, Math.floor(stockQty / 1000) - Math.ceil(reservedQty / 1000) - safety);
  return sharePercent >= 100 ? base : Math.floor((base * sharePercent) / 100);
}

/** What `platform` may sell of the SKU now (pieces ≥ 0). Read in the caller's transaction for a consistent figure. */
export function platformSellable(db: TillDb, platform: string, skuId: string): number {
  const sku = skuStock(db, skuId);
  if (!sku) return 0;
  return platformFigure(sku.stockQty, sku.reservedQty, safetyOf(db, skuId, sku.categoryId).qty, shareOf(db, platform));
}

/** The unclamped figure before share (pieces, may be negative). */
function unclamped(db: TillDb, skuId: string): number | null {
  const sku = skuStock(db, skuId);
  if (!sku) return null;
  return Math.floor(sku.stockQty / 1000) - Math.ceil(sku.reservedQty / 1000) - safetyOf(db, skuId, sku.categoryId).qty;
}

/**
 * May the relay send this platform a counter move of the SKU as an increment? Only when an increment
 * changes the platform's figure by exactly the move: a full share, and the figure above 0 at every
 * point along the moves still pending for it (now ≥ the sum of their sizes), so no clamp at 0 hides
 * part of one. Otherwise the absolute figure is sent (it covers the pending moves).
 */
export function incrementSafe(db: TillDb, platform: PlatformId | string, skuId: string): boolean {
  if (shareOf(db, platform) < 100) return false;
  const u = unclamped(db, skuId);
  if (u === null) return false;
  const pendingPieces = Math.ceil((q(db).pendingAbs.get(platform, skuId) as number) / 1000);
  return u - pendingPieces >= 0;
}

// ---------------------------------------------------------------------------------------------
// The figures for a person (sellable.get) and the safety-stock settings (manager, audited)

export interface SellableFigures {
  skuId: string;
  onHandQty: number;
  reservedQty: number;
  counterSellableQty: number;
  safetyQty: number;
  safetyFrom: SafetySource;
  platforms: { platform: string; sharePercent: number; sellable: number }[];
}

export function sellableFigures(db: TillDb, skuId: string): SellableFigures | null {
  const sku = skuStock(db, skuId);
  if (!sku) return null;
  const safety = safetyOf(db, skuId, sku.categoryId);
  const platforms = (db.$client.prepare(`SELECT platform FROM sku_mapping WHERE sku_id = ? ORDER BY platform`).pluck().all(skuId) as string[]).map((platform) => {
    const sharePercent = shareOf(db, platform);
    return { platform, sharePercent, sellable: platformFigure(sku.stockQty, sku.reservedQty, safety.qty, sharePercent) };
  });
  return {
    skuId,
    onHandQty: sku.stockQty,
    reservedQty: sku.reservedQty,
    counterSellableQty: counterSellable(sku.stockQty, sku.reservedQty),
    safetyQty: safety.qty,
    safetyFrom: safety.from,
    platforms,
  };
}

export interface SafetySettings {
  shopDefault: number;
  categories: { categoryId: string; name: string; qty: number }[];
  skus: { skuId: string; code: string; name: string; qty: number }[];
  shares: { platform: string; percent: number }[];
}

export function safetySettings(db: TillDb): SafetySettings {
  const c = db.$client;
  return {
    shopDefault: (c.prepare(`SELECT value FROM sellable_rules WHERE kind = 'safety_shop' AND ref = ''`).pluck().get() as number | undefined) ?? 0,
    categories: c
      .prepare(`SELECT r.ref AS categoryId, coalesce(c.name, r.ref) AS name, r.value AS qty FROM sellable_rules r LEFT JOIN categories c ON c.id = r.ref WHERE r.kind = 'safety_category' ORDER BY name`)
      .all() as SafetySettings['categories'],
    skus: c
      .prepare(`SELECT r.ref AS skuId, coalesce(s.code, '') AS code, coalesce(s.name, r.ref) AS name, r.value AS qty FROM sellable_rules r LEFT JOIN skus s ON s.id = r.ref WHERE r.kind = 'safety_sku' ORDER BY code`)
      .all() as SafetySettings['skus'],
    shares: c.prepare(`SELECT ref AS platform, value AS percent FROM sellable_rules WHERE kind = 'share' ORDER BY ref`).all() as SafetySettings['shares'],
  };
}

/**
 * Sets (or, with null, removes) one rule and returns the mapped SKUs whose platform figure it may
 * move (the caller queues their absolute pushes in the same transaction). Caller's transaction.
 */
export function setRule(db: TillDb, kind: 'safety_shop' | 'safety_category' | 'safety_sku' | 'share', ref: string, value: number | null, by: string | null, now: number): string[] {
  const c = db.$client;
  if (value === null) c.prepare(`DELETE FROM sellable_rules WHERE kind = ? AND ref = ?`).run(kind, ref);
  else
    c.prepare(
      `INSERT INTO sellable_rules (kind, ref, value, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(kind, ref) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    ).run(kind, ref, value, now, by);
  const affected =
    kind === 'safety_sku'
      ? `SELECT DISTINCT sku_id FROM sku_mapping WHERE sku_id = ?`
      : kind === 'safety_category'
        ? `SELECT DISTINCT m.sku_id FROM sku_mapping m JOIN skus s ON s.id = m.sku_id JOIN products p ON p.id = s.product_id WHERE p.category_id = ?`
        : kind === 'share'
          ? `SELECT DISTINCT sku_id FROM sku_mapping WHERE platform = ?`
          : `SELECT DISTINCT sku_id FROM sku_mapping WHERE ? = ?`;
  return (kind === 'safety_shop' ? c.prepare(affected).pluck().all('', '') : c.prepare(affected).pluck().all(ref)) as string[];
}

/**
 * The cashier's warning when a cart takes stock online orders hold (null: none). The item in hand is
 * the truth, so the till warns and never blocks: perhaps it was set aside for an online order.
 * `inCart` is the SKU's quantity in the cart with this scan (thousandths); no extra read: the scan's
 * SKU row carries stock_qty and reserved_qty.
 */
export function reservedWarning(stockQty: number, reservedQty: number, inCart: number, unit: string): string | null {
  if (reservedQty <= 0 || inCart <= counterSellable(stockQty, reservedQty)) return null;
  const left = Math.max(0, counterSellable(stockQty, reservedQty)) / 1000;
  return `线上订单已占用 ${reservedQty / 1000}${unit}，门店可售 ${left}${unit}：请确认不是为线上订单留的货`;
}
