// Youzan behind the platform-neutral connector interface. Its stock update takes absolute figures
// (type=1 adds, but with no idempotency key, so a lost answer could double it: never used).
import type { DeliveryType, OnlineOrder, OnlineOrderStatus, PlatformItem, PushOutcome, ShopConnector, StockPush } from '../connector';
import { SyncError } from '../connector';
import { itemGet, itemsOnsale, parseYouzanTime, YOUZAN_BALANCE_DUE_FIELD, YouzanClient, yuanToFen, type YouzanConfig } from './wire';

const PAGE_SIZE = 100;
const MAX_PAGE = 100; // page_no may not pass 100: a busier window is split in two

const STATUS: Record<string, OnlineOrderStatus> = {
  WAIT_BUYER_PAY: 'unpaid',
  TRADE_PAID: 'paid',
  WAIT_CONFIRM: 'paid',
  WAIT_SELLER_SEND_GOODS: 'paid',
  WAIT_BUYER_CONFIRM_GOODS: 'shipped',
  TRADE_SUCCESS: 'done',
  TRADE_CLOSED: 'cancelled',
  TRADE_CLOSE: 'cancelled',
  TRADE_REFUND: 'refunding',
};
// order_info.express_type: 0 express, 1 self-pickup (到店自提), 2 same-city, 9 none (virtual).
const DELIVERY: Record<number, DeliveryType> = { 0: 'express', 1: 'self_pickup', 2: 'local', 9: 'none' };

export class YouzanConnector implements ShopConnector {
  readonly platform = 'youzan' as const;
  readonly capabilities = { stockIncrement: false, stockAbsolute: true, pullOrders: true, points: false };
  readonly client: YouzanClient;

  constructor(cfg: YouzanConfig) {
    this.client = new YouzanClient(cfg);
  }

  async pushStock(push: StockPush): Promise<PushOutcome> {
    if (push.mode !== 'absolute') throw new SyncError('refused', 'NO_INCREMENT', '有赞不接受幂等的库存增量');
    await this.client.setQuantity({ itemId: push.ref.itemId, skuId: push.ref.platformSkuId, quantity: push.quantity });
    return 'applied';
  }

  /** Items on sale (pages of 100), then each item's SKUs: an item with SKUs lists one entry per SKU. */
  async listItems(): Promise<PlatformItem[]> {
    const out: PlatformItem[] = [];
    for (let pageNo = 1; ; pageNo++) {
      const { items, count } = await itemsOnsale(this.client, pageNo, PAGE_SIZE);
      for (const summary of items) {
        const d = await itemGet(this.client, summary.itemId);
        if (d.skus.length === 0) out.push({ itemId: d.itemId, platformSkuId: null, title: d.title, barcode: d.barcode, code: d.itemNo, quantity: d.quantity });
        for (const k of d.skus) out.push({ itemId: d.itemId, platformSkuId: k.skuId, title: d.title, barcode: k.barcode, code: k.itemNo, quantity: k.quantity });
      }
      if (items.length < PAGE_SIZE || pageNo * PAGE_SIZE >= count) return out;
    }
  }

  async pullOrders(window: { sinceMs: number; untilMs: number }): Promise<OnlineOrder[]> {
    // Youzan's times are whole seconds: widen the window to them so nothing at its edges is missed.
    const startMs = Math.floor(window.sinceMs / 1000) * 1000;
    const endMs = Math.max(startMs + 1000, Math.ceil(window.untilMs / 1000) * 1000);
    const out: OnlineOrder[] = [];
    for (let pageNo = 1; ; pageNo++) {
      const { trades, total } = await this.client.tradesSold({ startMs, endMs, pageNo, pageSize: PAGE_SIZE });
      if (pageNo === 1 && total > PAGE_SIZE * MAX_PAGE && endMs - startMs > 1000) {
        const mid = startMs + Math.floor((endMs - startMs) / 2000) * 1000;
        return [...(await this.pullOrders({ sinceMs: startMs, untilMs: mid })), ...(await this.pullOrders({ sinceMs: mid, untilMs: endMs }))];
      }
      for (const t of trades) out.push(toOrder(t));
      if (trades.length < PAGE_SIZE || pageNo * PAGE_SIZE >= total || pageNo >= MAX_PAGE) return out;
    }
  }
}

function toOrder(t: Record<string, any>): OnlineOrder {
  try {
    const info = t.order_info;
    return {
      platformOrderId: String(info.tid),
      status: STATUS[info.status] ?? 'paid',
      platformStatus: String(info.status),
      deliveryType: DELIVERY[Number(info.express_type)] ?? 'express',
      payAmountFen: yuanToFen(t.pay_info?.payment ?? '0'),
      balanceDueFen: yuanToFen(t.pay_info?.[YOUZAN_BALANCE_DUE_FIELD] ?? '0'),
      buyerPhone: t.buyer_info?.buyer_phone || t.address_info?.receiver_tel || null,
      buyerName: t.address_info?.receiver_name || null,
      createdAt: parseYouzanTime(info.created),
      updatedAt: parseYouzanTime(info.update_time),
      lines: (t.orders as any[]).map((o) => ({
        itemId: String(o.item_id),
        platformSkuId: o.sku_id ? String(o.sku_id) : null,
        outSkuId: o.outer_sku_id ? String(o.outer_sku_id) : null,
        qty: Number(o.num),
      })),
    };
  } catch (e) {
    throw new SyncError('bad_response', 'MALFORMED', `有赞订单无法解析：${(e as Error).message}`);
  }
}
