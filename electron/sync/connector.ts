// The one interface every online shop's connector implements. Everything above it (relay, poller,
// engine) is platform-neutral; each platform's wire format (auth, signing, envelopes, error codes)
// lives in its own folder beside this file.

export type PlatformId = 'youzan' | 'doudian' | 'weidian' | 'kuaishou';

/** A local SKU's place on one platform: the item, and the SKU inside it when the item has SKUs. */
export interface PlatformSkuRef {
  itemId: string;
  platformSkuId: string | null;
}

export type StockPush =
  /** Add delta (negative takes away); the platform applies each idempotencyKey at most once. */
  | { mode: 'increment'; ref: PlatformSkuRef; delta: number; idempotencyKey: string }
  /** Set the sellable quantity outright. */
  | { mode: 'absolute'; ref: PlatformSkuRef; quantity: number };

/** applied: done now; already_applied: the platform had this idempotency key (done before, e.g. a lost answer). */
export type PushOutcome = 'applied' | 'already_applied';

export type DeliveryType = 'express' | 'local' | 'self_pickup' | 'none';
export type OnlineOrderStatus = 'unpaid' | 'paid' | 'shipped' | 'done' | 'cancelled' | 'refunding';

export interface OnlineOrderLine {
  itemId: string;
  platformSkuId: string | null;
  /** The merchant code (商家编码) the platform has for the SKU, when it says. */
  outSkuId: string | null;
  qty: number;
}

export interface OnlineOrder {
  platformOrderId: string;
  status: OnlineOrderStatus;
  platformStatus: string;
  deliveryType: DeliveryType;
  payAmountFen: number;
  createdAt: number;
  updatedAt: number;
  lines: OnlineOrderLine[];
  /** For the order inbox, when the platform says (search by phone; COD / 尾款 still owed, fen). */
  buyerPhone?: string | null;
  buyerName?: string | null;
  balanceDueFen?: number;
}

export interface ConnectorCapabilities {
  /** Takes idempotent stock increments (Doudian's idempotent_id); else only absolute figures. */
  stockIncrement: boolean;
  stockAbsolute: boolean;
  pullOrders: boolean;
  /** Idempotent points increments/decrements (Youzan biz_value) — for the members issue. */
  points: boolean;
}

/** One sellable unit as the platform lists it: an item without SKUs, or one SKU of an item. */
export interface PlatformItem {
  itemId: string;
  platformSkuId: string | null;
  title: string;
  barcode: string | null;
  /** 商家编码 (merchant code) the shop typed on the platform. */
  code: string | null;
  /** The platform's stock figure now; null where the listing does not say. */
  quantity: number | null;
}

/** A platform access token as the till keeps it between runs (sealed at rest by the main thread). */
export interface PlatformToken {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
}

export interface ShopConnector {
  readonly platform: PlatformId;
  readonly capabilities: ConnectorCapabilities;
  pushStock(push: StockPush): Promise<PushOutcome>;
  /** Every order whose update time is in [sinceMs, untilMs], all pages. */
  pullOrders(window: { sinceMs: number; untilMs: number }): Promise<OnlineOrder[]>;
  /** Every item/SKU on sale with its codes and stock, all pages (SKU mapping, full reconcile). Optional while a connector lacks it. */
  listItems?(): Promise<PlatformItem[]>;
}

/**
 * Why a call failed, as the relay needs to know it:
 * - retry: the outcome is unknown or the platform was briefly unable (timeout, network, 5xx) — try
 *   again later with the same idempotency key;
 * - rate_limited: the platform's traffic limit — wait, then retry;
 * - auth: the token was refused and could not be refreshed — a person must reconnect the shop;
 * - refused: a business refusal (stock below zero, unknown item, bad parameter) — retrying the same
 *   request cannot help, it goes to the dead letters at once;
 * - bad_response: the platform answered something we cannot read (malformed, wrong envelope).
 */
export type SyncErrorKind = 'retry' | 'rate_limited' | 'auth' | 'refused' | 'bad_response';

export class SyncError extends Error {
  constructor(
    readonly kind: SyncErrorKind,
    /** The platform's code (`50002/isv.business-failed:2010012`, `gw 4202`…) or ours (`TIMEOUT`). */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SyncError';
  }
}

