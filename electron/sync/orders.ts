// Order polling: each platform's orders whose update time falls in [cursor − overlap, now], stored
// once per platform order id (a later update replaces an earlier one; an older copy arriving late is
// ignored). The cursor is saved in SQLite with the orders of the same window, so a crash repeats a
// window rather than skipping one. The overlap catches orders the platform indexes a little late.
// Each stored or changed order is brought to its reservations in the same transaction
// (./reservations.ts applyOrder), so an order and its hold on stock commit together; orders waiting
// for a SKU link are looked at again on every poll (a link made since reserves them).
import { newId } from '../../shared/ids';
import type { TillDb } from '../till/db';
import type { OnlineOrder, ShopConnector } from './connector';
import { localSkuOf } from './mapping';
import { getCursor, setCursor } from './relay-store';
import { applyOrder, queueFigure, type StoredLine } from './reservations';

type PulledOrder = OnlineOrder;

export interface PollPolicy {
  overlapMs: number;
  /** How far back the very first poll looks. */
  firstLookbackMs: number;
}

export interface PollResult {
  fetched: number;
  inserted: number;
  updated: number;
  window: { sinceMs: number; untilMs: number };
}

export const orderCursorName = (platform: string): string => `orders.${platform}`;

export async function pollOrders(db: TillDb, connector: ShopConnector, policy: PollPolicy, now: number): Promise<PollResult> {
  const cursor = getCursor(db, orderCursorName(connector.platform));
  const window = { sinceMs: cursor === null ? now - policy.firstLookbackMs : cursor - policy.overlapMs, untilMs: now };
  const orders = await connector.pullOrders(window);
  const { inserted, updated } = storeOrders(db, connector.platform, orders, now, window.untilMs);
  return { fetched: orders.length, inserted, updated, window };
}

/** Upserts the orders, applies each new or changed one to its reservations, and moves the cursor to `cursorTo`, in one transaction. */
export function storeOrders(db: TillDb, platform: string, orders: PulledOrder[], now: number, cursorTo: number): { inserted: number; updated: number } {
  return db.$client
    .transaction(() => {
      const find = db.$client.prepare(`SELECT id, platform_updated_at AS u, review FROM online_orders WHERE platform = ? AND platform_order_id = ?`);
      const insert = db.$client.prepare(
        `INSERT INTO online_orders (id, platform, platform_order_id, status, platform_status, delivery_type, pay_amount_fen, lines,
           platform_created_at, platform_updated_at, first_seen_at, updated_at, balance_due_fen, buyer_phone, buyer_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const update = db.$client.prepare(
        `UPDATE online_orders SET status = ?, platform_status = ?, delivery_type = ?, pay_amount_fen = ?, lines = ?, platform_updated_at = ?, updated_at = ?,
           balance_due_fen = CASE WHEN EXISTS (SELECT 1 FROM audit_log WHERE action = 'order.balance_paid' AND target = online_orders.id) THEN 0 ELSE ? END, buyer_phone = coalesce(?, buyer_phone), buyer_name = coalesce(?, buyer_name)
         WHERE platform = ? AND platform_order_id = ?`,
      );
      let inserted = 0;
      let updated = 0;
      const changed = new Set<string>();
      const apply = (o: Parameters<typeof applyOrder>[1]) => applyOrder(db, o, now, { deferQueue: true }).figureChanged.forEach((k) => changed.add(k));
      for (const o of orders) {
        const storedLines: StoredLine[] = o.lines.map((l) => ({ ...l, skuId: localSkuOf(db, platform, l.itemId, l.platformSkuId) }));
        const lines = JSON.stringify(storedLines);
        const have = find.get(platform, o.platformOrderId) as { id: string; u: number; review: string | null } | undefined;
        const balance = o.balanceDueFen ?? 0;
        let id: string;
        if (!have) {
          id = newId();
          insert.run(id, platform, o.platformOrderId, o.status, o.platformStatus, o.deliveryType, o.payAmountFen, lines, o.createdAt, o.updatedAt, now, now, balance, o.buyerPhone ?? null, o.buyerName ?? null);
          inserted++;
        } else if (o.updatedAt > have.u) {
          id = have.id;
          update.run(o.status, o.platformStatus, o.deliveryType, o.payAmountFen, lines, o.updatedAt, now, balance, o.buyerPhone ?? null, o.buyerName ?? null, platform, o.platformOrderId);
          updated++;
        } else continue; // a duplicate or an older copy: nothing changes
        apply({ id, platform, platformOrderId: o.platformOrderId, status: o.status, lines: storedLines, review: have?.review ?? null });
      }
      relinkWaiting(db, platform, now, apply);
      queueFigure(db, changed); // one absolute push per SKU and platform for the whole poll
      const prev = getCursor(db, orderCursorName(platform));
      setCursor(db, orderCursorName(platform), Math.max(prev ?? 0, cursorTo), now);
      return { inserted, updated };
    })
    .immediate();
}

/** Orders of the platform waiting for a SKU link: lines linked since get their local SKU and are reserved. */
function relinkWaiting(db: TillDb, platform: string, now: number, apply: (o: Parameters<typeof applyOrder>[1]) => void): void {
  const waiting = db.$client
    .prepare(`SELECT id, platform_order_id, status, lines, review FROM online_orders WHERE sync_state = 'unmapped' AND platform = ?`)
    .all(platform) as { id: string; platform_order_id: string; status: OnlineOrder['status']; lines: string; review: string | null }[];
  const save = db.$client.prepare(`UPDATE online_orders SET lines = ?, updated_at = ? WHERE id = ?`);
  for (const w of waiting) {
    const lines = JSON.parse(w.lines) as StoredLine[];
    let changed = false;
    for (const l of lines) {
      if (l.skuId) continue;
      l.skuId = localSkuOf(db, platform, l.itemId, l.platformSkuId);
      changed ||= l.skuId !== null;
    }
    if (!changed) continue;
    save.run(JSON.stringify(lines), now, w.id);
    apply({ id: w.id, platform, platformOrderId: w.platform_order_id, status: w.status, lines, review: w.review });
  }
}
