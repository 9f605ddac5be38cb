// Weidian behind the platform-neutral connector interface. Weidian takes absolute stock figures only
// (no increment with an idempotency key is known, PLATFORMS.md §5.2), so the relay pushes the figure
// computed right after pulling recent orders; the wire details are all in ./wire.ts.
import type { DeliveryType, OnlineOrder, OnlineOrderStatus, PlatformItem, PushOutcome, ShopConnector, StockPush } from '../connector';
import { SyncError } from '../connector';
import { WeidianClient, WEIDIAN_ITEM_PAGE_MAX, WEIDIAN_ORDER_PAGE_MAX, type WeidianConfig, type WeidianOrder } from './wire';

// UNVERIFIED beyond the SDK's order_type names (unpay, pend, close, finish, refund).
const STATUS: Record<string, OnlineOrderStatus> = { unpay: 'unpaid', pend: 'paid', ship: 'shipped', finish: 'done', close: 'cancelled', refund: 'refunding' };
const DELIVERY: Record<number, DeliveryType> = { 0: 'express', 1: 'self_pickup', 2: 'local' };

export class WeidianConnector implements ShopConnector {
  readonly platform = 'weidian' as const;
  readonly capabilities = { stockIncrement: false, stockAbsolute: true, pullOrders: true, points: false };
  readonly client: WeidianClient;

  constructor(cfg: WeidianConfig) {
    this.client = new WeidianClient(cfg);
  }

  async pushStock(push: StockPush): Promise<PushOutcome> {
    if (push.mode !== 'absolute') throw new SyncError('refused', 'NO_INCREMENT', '微店不接受幂等的库存增量');
    await this.client.setStock({ itemId: push.ref.itemId, skuId: push.ref.platformSkuId, stock: push.quantity });
    return 'applied';
  }

  /** Items on sale, all pages: an item with SKUs lists one entry per SKU (barcodes: the list has none, UNVERIFIED). */
  async listItems(): Promise<PlatformItem[]> {
    const out: PlatformItem[] = [];
    for (let pageNum = 1; ; pageNum++) {
      const { items, total } = await this.client.listItems({ pageNum, pageSize: WEIDIAN_ITEM_PAGE_MAX });
      for (const it of items) {
        if (it.skus.length === 0) out.push({ itemId: it.itemId, platformSkuId: null, title: it.title, barcode: null, code: it.merchantCode, quantity: it.stock });
        for (const k of it.skus) out.push({ itemId: it.itemId, platformSkuId: k.skuId, title: k.title ? `${it.title} ${k.title}` : it.title, barcode: null, code: k.merchantCode, quantity: k.stock });
      }
      if (items.length < WEIDIAN_ITEM_PAGE_MAX || pageNum * WEIDIAN_ITEM_PAGE_MAX >= total) return out;
    }
  }

  async pullOrders(window: { sinceMs: number; untilMs: number }): Promise<OnlineOrder[]> {
    // Times are whole seconds: widen the window to them so nothing at its edges is missed.
    const startMs = Math.floor(window.sinceMs / 1000) * 1000;
    const endMs = Math.max(startMs + 1000, Math.ceil(window.untilMs / 1000) * 1000);
    const seen = new Map<string, OnlineOrder>();
    for (let pageNum = 1; ; pageNum++) {
      const { orders, total } = await this.client.listOrders({ startMs, endMs, pageNum, pageSize: WEIDIAN_ORDER_PAGE_MAX });
      // A list that shifts while paging can repeat an order: keep its newest copy once.
      for (const o of orders.map(toOrder)) if ((seen.get(o.platformOrderId)?.updatedAt ?? -1) <= o.updatedAt) seen.set(o.platformOrderId, o);
      if (orders.length < WEIDIAN_ORDER_PAGE_MAX || pageNum * WEIDIAN_ORDER_PAGE_MAX >= total) return [...seen.values()];
    }
  }
}

function toOrder(o: WeidianOrder): OnlineOrder {
  return {
    platformOrderId: o.orderId,
    status: STATUS[o.status] ?? 'paid',
    platformStatus: o.status,
    deliveryType: DELIVERY[o.expressType] ?? 'express',
    payAmountFen: o.totalFen,
    createdAt: o.addTime,
    updatedAt: o.updateTime,
    lines: o.items.map((it) => ({ itemId: it.itemId, platformSkuId: it.skuId, outSkuId: it.merchantCode, qty: it.quantity })),
  };
}
