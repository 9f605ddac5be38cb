// Order polling: each platform's orders whose update time falls in [cursor − overlap, now], stored
// once per platform order id (a later update replaces an earlier one; an older copy arriving late is
// ignored). The cursor is saved in SQLite with the orders of the same window, so a crash repeats a
// window rather than skipping one. The overlap catches orders the platform indexes a little late.
import { newId } from '../../shared/ids';
import type { TillDb } from '../till/db';
import type { OnlineOrder, ShopConnector } from './connector';
import { localSkuOf } from './mapping';
import { getCursor, setCursor } from './relay-store';

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

/** Upserts the orders and moves the cursor to `cursorTo`, in one transaction. */
export function storeOrders(db: TillDb, platform: string, orders: OnlineOrder[], now: number, cursorTo: number): { inserted: number; updated: number } {
  return db.$client
    .transaction(() => {
      const find = db.$client.prepare(`SELECT platform_updated_at AS u, status FROM online_orders WHERE platform = ? AND platform_order_id = ?`);
      const insert = db.$client.prepare(
        `INSERT INTO online_orders (id, platform, platform_order_id, status, platform_status, delivery_type, pay_amount_fen, lines,
           platform_created_at, platform_updated_at, first_seen_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const update = db.$client.prepare(
        `UPDATE online_orders SET status = ?, platform_status = ?, delivery_type = ?, pay_amount_fen = ?, lines = ?, platform_updated_at = ?, updated_at = ?
         WHERE platform = ? AND platform_order_id = ?`,
      );
      let inserted = 0;
      let updated = 0;
      for (const o of orders) {
        const lines = JSON.stringify(o.lines.map((l) => ({ ...l, skuId: localSkuOf(db, platform, l.itemId, l.platformSkuId) })));
        const have = find.get(platform, o.platformOrderId) as { u: number; status: string } | undefined;
        if (!have) {
          insert.run(newId(), platform, o.platformOrderId, o.status, o.platformStatus, o.deliveryType, o.payAmountFen, lines, o.createdAt, o.updatedAt, now, now);
          inserted++;
        } else if (o.updatedAt > have.u) {
          update.run(o.status, o.platformStatus, o.deliveryType, o.payAmountFen, lines, o.updatedAt, now, platform, o.platformOrderId);
          updated++;
        }
      }
      const prev = getCursor(db, orderCursorName(platform));
      setCursor(db, orderCursorName(platform), Math.max(prev ?? 0, cursorTo), now);
      return { inserted, updated };
    })
    .immediate();
}
