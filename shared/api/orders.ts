// 聚合订单 (the order inbox) and 可售 (what may be sold): online orders of every platform in one list,
// each with its lines, their reservation of local stock, and the oversold flag; the hand-over of
// lines at the counter (the pickup issue scans out on it); and the safety-stock settings the figure
// pushed to the platforms is computed with (electron/sync/sellable.ts is the one place of that rule).
// Quantities of order lines are whole pieces (the platforms sell whole items); on-hand stock is in
// thousandths of the sell unit, like SkuView.stockQty. Pure: no Node, no DOM.
import { z } from 'zod';
import { endpoint } from './endpoint';

export const ORDER_PLATFORMS = ['youzan', 'doudian', 'weidian', 'kuaishou'] as const;
export type OrderPlatform = (typeof ORDER_PLATFORMS)[number];
export const ORDER_PLATFORM_LABELS: Record<OrderPlatform, string> = { youzan: '有赞', doudian: '抖店', weidian: '微店', kuaishou: '快手小店' };

/** The order's state on its platform (normalised; platformStatus keeps the platform's own word). */
export const ONLINE_ORDER_STATUSES = ['unpaid', 'paid', 'shipped', 'done', 'cancelled', 'refunding'] as const;
export type OnlineOrderStatusView = (typeof ONLINE_ORDER_STATUSES)[number];
export const ONLINE_ORDER_STATUS_LABELS: Record<OnlineOrderStatusView, string> = {
  unpaid: '待付款',
  paid: '待发货/待自提',
  shipped: '已发货',
  done: '已完成',
  cancelled: '已取消',
  refunding: '退款',
};

/** express 快递, local 同城配送, self_pickup 到店自提, none 无需配送 (virtual goods). */
export const DELIVERY_TYPES = ['express', 'local', 'self_pickup', 'none'] as const;
export type DeliveryTypeView = (typeof DELIVERY_TYPES)[number];
export const DELIVERY_TYPE_LABELS: Record<DeliveryTypeView, string> = { express: '快递', local: '同城配送', self_pickup: '到店自提', none: '无需配送' };

/** paid_online 已在线支付; balance_due 尚有尾款/货到付款 (balanceDueFen > 0); unpaid 买家未付款. */
export const PAYMENT_STATES = ['paid_online', 'balance_due', 'unpaid'] as const;
export type PaymentStateView = (typeof PAYMENT_STATES)[number];
export const PAYMENT_STATE_LABELS: Record<PaymentStateView, string> = { paid_online: '已在线支付', balance_due: '待付尾款', unpaid: '未付款' };

/**
 * What the till did with the order (its sync state):
 * - reserved: its lines hold local stock (reservations), nothing handed over yet;
 * - partly_handed: some of it handed over / moved out of stock, the rest still reserved;
 * - fulfilled: every line moved out of stock (shipped, picked up, done);
 * - released: cancelled or refunded before it left: the reservations are given back;
 * - needs_review: refunded or cancelled after the goods left — stock is NOT returned automatically, a
 *   person decides (orders.resolveReview);
 * - unmapped: a line's platform SKU is linked to no local SKU (the order is kept and shown; link the
 *   SKU in the mapping screen and the next poll reserves it).
 */
export const ORDER_SYNC_STATES = ['reserved', 'partly_handed', 'fulfilled', 'released', 'needs_review', 'unmapped'] as const;
export type OrderSyncState = (typeof ORDER_SYNC_STATES)[number];
export const ORDER_SYNC_STATE_LABELS: Record<OrderSyncState, string> = {
  reserved: '已占用库存',
  partly_handed: '部分出库',
  fulfilled: '已出库',
  released: '已释放',
  needs_review: '待人工处理',
  unmapped: '商品未关联',
};

export interface OnlineOrderSummary {
  /** The till's id of the order (online_orders.id). */
  id: string;
  platform: OrderPlatform;
  platformOrderId: string;
  status: OnlineOrderStatusView;
  platformStatus: string;
  deliveryType: DeliveryTypeView;
  paymentState: PaymentStateView;
  payAmountFen: number;
  /** What the customer still owes (COD / 尾款), in fen; 0 when paid online. */
  balanceDueFen: number;
  syncState: OrderSyncState;
  /** Some line asks for more than was left to sell when the order arrived (超卖): never hidden. */
  oversold: boolean;
  /** The buyer's phone as the platform gave it (null when it gave none). */
  buyerPhone: string | null;
  buyerName: string | null;
  /** Pieces over all lines, and the first line's local name (for a one-line preview). */
  itemCount: number;
  lineCount: number;
  firstItemName: string | null;
  /** A sentence for a person when the order needs one (needs_review, oversold, unmapped), else null. */
  note: string | null;
  createdAt: number;
  updatedAt: number;
}

export type OrderLineState = 'reserved' | 'partly_handed' | 'handed' | 'released' | 'unmapped';

export interface OnlineOrderLineView {
  /** Position in the order (0-based): the hand-over names lines by it. */
  lineNo: number;
  itemId: string;
  platformSkuId: string | null;
  outSkuId: string | null;
  /** The local SKU (null: not linked) with its name, code, spec and picture (null when none). */
  skuId: string | null;
  skuName: string | null;
  skuCode: string | null;
  spec: string | null;
  imageUrl: string | null;
  /** Pieces ordered; of them reserved now, handed over / moved out of stock, given back. */
  qty: number;
  reservedQty: number;
  handedQty: number;
  releasedQty: number;
  /** Pieces of this line beyond what was left to sell when it arrived (0 = fine). */
  oversoldQty: number;
  state: OrderLineState;
}

export interface OnlineOrderEvent {
  at: number;
  /** Chinese, for the order's history: 占用库存 2 件 / 出库 1 件 / 释放 1 件 / 超卖 1 件 … */
  text: string;
}

export interface OnlineOrderDetail extends OnlineOrderSummary {
  lines: OnlineOrderLineView[];
  history: OnlineOrderEvent[];
}

export interface OnlineOrderPage {
  items: OnlineOrderSummary[];
  total: number;
  offset: number;
}

export interface HandOverResult {
  /** True when this key was handed over before: nothing moved now, the first result is returned. */
  replay: boolean;
  /** What moved out of stock by this call (pieces per line). */
  moved: { lineNo: number; qty: number }[];
  order: OnlineOrderDetail;
}

export type SafetySource = 'sku' | 'category' | 'shop';

export interface SellableView {
  skuId: string;
  /** On hand and reserved by online orders, thousandths of the sell unit. */
  onHandQty: number;
  reservedQty: number;
  /** What the counter may sell (on hand − reserved), thousandths; below 0 means oversold. */
  counterSellableQty: number;
  /** Safety stock kept back from the platforms (pieces), and where that figure comes from. */
  safetyQty: number;
  safetyFrom: SafetySource;
  /** What each linked platform may sell (pieces, ≥ 0): (on hand − reserved − safety) × share. */
  platforms: { platform: OrderPlatform; sharePercent: number; sellable: number }[];
}

export interface SafetySettingsView {
  /** The shop's default safety stock (pieces). */
  shopDefault: number;
  categories: { categoryId: string; name: string; qty: number }[];
  skus: { skuId: string; code: string; name: string; qty: number }[];
  /** A platform's share of the sellable figure (percent, 1–100); a platform not listed sells 100 %. */
  shares: { platform: OrderPlatform; percent: number }[];
}

const idField = z.string({ error: '订单编号无效' }).min(1, { error: '订单编号无效' }).max(64, { error: '订单编号无效' });
const platformField = z.enum(ORDER_PLATFORMS, { error: '平台须为 有赞、抖店、微店 或 快手小店' });
const piecesField = (label: string) =>
  z.number({ error: `${label}须为整数` }).int({ error: `${label}须为整数` }).min(0, { error: `${label}不能为负` }).max(1_000_000, { error: `${label}过大` });

export const ordersListInput = z
  .object({
    platform: platformField.optional(),
    status: z.enum(ONLINE_ORDER_STATUSES, { error: '订单状态无效' }).optional(),
    deliveryType: z.enum(DELIVERY_TYPES, { error: '配送方式无效' }).optional(),
    paymentState: z.enum(PAYMENT_STATES, { error: '支付状态无效' }).optional(),
    syncState: z.enum(ORDER_SYNC_STATES, { error: '同步状态无效' }).optional(),
    oversold: z.boolean({ error: '“超卖”须为是或否' }).optional(),
    /** An order number (whole or its tail, ≥ 4 characters) or a phone number (whole or last 4 digits). */
    q: z.string({ error: '搜索须为文字' }).trim().max(40, { error: '搜索内容过长' }).optional(),
    offset: z.number().int().min(0).max(1_000_000).default(0),
    limit: z.number().int().min(1).max(100).default(20),
  })
  .strict();
export type OrdersListInput = z.input<typeof ordersListInput>;

export const handOverInput = z
  .object({
    id: idField,
    lines: z
      .array(z.object({ lineNo: z.number().int().min(0).max(999), qty: z.number({ error: '数量须为整数' }).int({ error: '数量须为整数' }).min(1, { error: '数量至少为 1' }).max(100_000) }).strict(), {
        error: '请选择要交付的商品',
      })
      .min(1, { error: '请选择要交付的商品' })
      .max(200),
    /** The caller's idempotency key: the same key again moves nothing twice (a retried scan, a double click). */
    key: z.string({ error: '缺少请求编号' }).regex(/^[A-Za-z0-9_.:-]{8,80}$/, { error: '请求编号格式不对' }),
  })
  .strict();
export type HandOverInput = z.input<typeof handOverInput>;

export const setSafetyInput = z
  .object({
    scope: z.enum(['shop', 'category', 'sku'], { error: '范围须为 全店、分类 或 商品' }),
    /** The category or SKU id (not for 'shop'). */
    id: z.string().min(1).max(64).optional(),
    /** Pieces kept back from the platforms; null removes a category's or SKU's own figure. */
    qty: piecesField('安全库存').nullable(),
  })
  .strict()
  .refine((v) => (v.scope === 'shop') === (v.id === undefined), { error: '分类或商品的安全库存须指明是哪一个' })
  .refine((v) => v.scope !== 'shop' || v.qty !== null, { error: '全店安全库存不能删除，可设为 0' });
export type SetSafetyInput = z.input<typeof setSafetyInput>;

export const ordersApi = {
  'orders.list': endpoint<OnlineOrderPage>()({
    input: ordersListInput,
    role: 'staff',
    summary: '聚合订单：各平台的线上订单（筛选、按单号或手机号搜索，最新在前，分页）',
  }),
  'orders.get': endpoint<OnlineOrderDetail>()({
    input: z.object({ id: idField }).strict(),
    role: 'staff',
    summary: '线上订单详情：商品行（本店商品名、图片）、库存占用、超卖',
  }),
  'orders.handOver': endpoint<HandOverResult>()({
    input: handOverInput,
    role: 'cashier',
    summary: '交付线上订单的部分或全部商品：出库并释放相应占用（同一请求编号不重复出库）',
  }),
  'orders.resolveReview': endpoint<OnlineOrderDetail>()({
    input: z.object({ id: idField, returnStock: z.boolean({ error: '请选择是否退回库存' }) }).strict(),
    role: 'manager',
    summary: '发货后退款的订单：店长决定是否把商品退回库存（记审计）',
  }),
  'sellable.get': endpoint<SellableView>()({
    input: z.object({ skuId: z.string().min(1).max(64) }).strict(),
    role: 'cashier',
    summary: '某商品的可售：门店可售（在库 − 线上占用）与各平台可售',
  }),
  'sellable.settings': endpoint<SafetySettingsView>()({
    input: z.object({}).strict(),
    role: 'manager',
    summary: '安全库存与各平台分配比例',
  }),
  'sellable.setSafety': endpoint<SafetySettingsView>()({
    input: setSafetyInput,
    role: 'manager',
    summary: '设置安全库存（全店默认、分类或商品；记审计，随后按新数字同步各平台）',
  }),
  'sellable.setShare': endpoint<SafetySettingsView>()({
    input: z.object({ platform: platformField, percent: z.number().int().min(1, { error: '比例须为 1–100' }).max(100, { error: '比例须为 1–100' }).nullable() }).strict(),
    role: 'manager',
    summary: '设置某平台可售的分配比例（百分比；null 为全部；记审计）',
  }),
};
