// Doudian behind the platform-neutral connector interface.
import type { OnlineOrder, OnlineOrderStatus, PlatformItem, PlatformSkuRef, PushOutcome, ShopConnector, StockPush } from '../connector';
import { SyncError } from '../connector';
import { DoudianClient, type DoudianConfig, type DoudianOrder } from './wire';

const PAGE_SIZE = 100; // the most order.searchList gives (20008 above it)

// order_status: 1 unpaid, 2 to ship, 3 shipped, 4 cancelled, 5 done, 101 partly shipped, 105 paid.
const STATUS: Record<number, OnlineOrderStatus> = { 1: 'unpaid', 2: 'paid', 3: 'shipped', 4: 'cancelled', 5: 'done', 101: 'shipped', 105: 'paid' };

function skuOf(ref: PlatformSkuRef): string {
  if (!ref.platformSkuId) throw new SyncError('refused', 'NO_SKU_ID', '抖店商品需要 sku_id 才能同步库存');
  return ref.platformSkuId;
}

export class DoudianConnector implements ShopConnector {
  readonly platform = 'doudian' as const;
  readonly capabilities = { stockIncrement: true, stockAbsolute: true, pullOrders: true, points: false };
  readonly client: DoudianClient;

  constructor(cfg: DoudianConfig) {
    this.client = new DoudianClient(cfg);
  }

  pushStock(push: StockPush): Promise<PushOutcome> {
    const base = { productId: push.ref.itemId, skuId: skuOf(push.ref) };
    return push.mode === 'increment'
      ? this.client.syncStock({ ...base, stockNum: push.delta, incremental: true, idempotentId: push.idempotencyKey })
      : this.client.syncStock({ ...base, stockNum: push.quantity, incremental: false });
  }

  /** Products (pages of 100), then each product's SKUs: one entry per SKU (Doudian stock is per SKU). */
  async listItems(): Promise<PlatformItem[]> {
    const out: PlatformItem[] = [];
    for (let page = 1; ; page++) {
      const { products, total } = await this.client.listProducts(page, PAGE_SIZE);
      for (const p of products) {
        for (const k of await this.client.listSkus(p.productId)) {
          out.push({ itemId: p.productId, platformSkuId: k.skuId, title: p.name, barcode: null, code: k.code, quantity: k.stockNum });
        }
      }
      if (products.length < PAGE_SIZE || page * PAGE_SIZE >= total) return out;
    }
  }

  async pullOrders(window: { sinceMs: number; untilMs: number }): Promise<OnlineOrder[]> {
    const updateStart = Math.floor(window.sinceMs / 1000);
    const updateEnd = Math.ceil(window.untilMs / 1000);
    const out: OnlineOrder[] = [];
    for (let page = 0; ; page++) {
      const { orders, total } = await this.client.searchOrders({ updateStart, updateEnd, page, size: PAGE_SIZE });
      out.push(...orders.map(toOrder));
      if (orders.length < PAGE_SIZE || (page + 1) * PAGE_SIZE >= total) return out;
    }
  }
}

function toOrder(o: DoudianOrder): OnlineOrder {
  return {
    platformOrderId: o.orderId,
    status: STATUS[o.orderStatus] ?? 'paid',
    platformStatus: String(o.orderStatus),
    deliveryType: 'express', // searchList does not say; self-pickup needs orderDetail (next step)
    payAmountFen: o.payAmountFen,
    createdAt: o.createTime * 1000,
    updatedAt: o.updateTime * 1000,
    lines: o.skus.map((s) => ({ itemId: s.productId, platformSkuId: s.skuId, outSkuId: s.outSkuId ?? s.code, qty: s.itemNum })),
  };
}
