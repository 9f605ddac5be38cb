// Weidian (微店) on the wire, PLATFORMS.md §5.2 — evidence level C (one 2016 SDK, wzbg/vdian): every
// fact below needs confirming against the live platform, so every Weidian detail lives in this one
// module and nowhere else. What the SDK shows (C): a token from GET /token?grant_type=client_credential
// &appkey&secret → {result:{access_token, expire_in}, status:{status_code, status_reason}}; calls as
// POST /api with the query string public={version, access_token, format, method} and param={…}; no
// signature (the token is the only credential); status_code 0 = success, 10013 = token invalid
// (renew and retry). Marked UNVERIFIED: the rate-limit and other error codes, the order list's
// answer fields and statuses, the stock update for an item without SKUs, the item list's answer fields.
import { SyncError } from '../connector';
import { httpCall } from '../http';
import { yuanToFen } from '../youzan/wire';

export const WEIDIAN_BASE_URL = 'https://api.vdian.com';

export const WEIDIAN_CODES = {
  ok: 0,
  tokenInvalid: 10013, // C: the SDK's one documented code
  /** UNVERIFIED: made up for the fake and the client to agree on; correct it from a live answer. */
  badCredentials: 10011,
  rateLimited: 10020,
  paramInvalid: 10002,
  unknownMethod: 10004,
  stockInvalid: 20001,
} as const;

/** vdian.order.list.get 1.1 (C): page_size up to 200, "keep it ≤ 100". */
export const WEIDIAN_ORDER_PAGE_MAX = 100;

/** vdian.item.list.get (C): page_size "max 200, keep it ≤ 100", status 1 = on sale. */
export const WEIDIAN_ITEM_PAGE_MAX = 100;

/** One item as vdian.item.list.get returns it. Answer field names UNVERIFIED (the SDK passes the answer through). */
export interface WeidianItem {
  itemId: string;
  title: string;
  /** 商家编码 of an item without SKUs. */
  merchantCode: string | null;
  stock: number | null;
  skus: { skuId: string; title: string; merchantCode: string | null; stock: number | null }[];
}

/** Order statuses (C for unpay/pend/close/finish/refund, the list's order_type values; 'ship' UNVERIFIED). */
export const WEIDIAN_STATUSES = ['unpay', 'pend', 'ship', 'finish', 'close', 'refund'] as const;

/** Beijing wall time 'YYYY-MM-DD HH:mm:ss', the SDK's form of add_start / update_start (C). */
export function weidianTime(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

export function parseWeidianTime(s: unknown): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(String(s));
  if (!m) throw new TypeError(`not a Weidian time: ${String(s)}`);
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) - 8 * 3600_000;
}

export interface WeidianConfig {
  baseUrl?: string;
  appKey: string;
  secret: string;
  timeoutMs?: number;
  now?: () => number;
}

/** One order as vdian.order.list.get 1.1 returns it. Field names UNVERIFIED (the SDK passes the answer through). */
export interface WeidianOrder {
  orderId: string;
  status: string;
  /** UNVERIFIED: 0 express, 1 self-pickup (到店自提), 2 same-city. */
  expressType: number;
  totalFen: number;
  addTime: number;
  updateTime: number;
  items: { itemId: string; skuId: string | null; merchantCode: string | null; quantity: number }[];
}

export class WeidianClient {
  private token: { accessToken: string; expiresAt: number } | null = null;
  private readonly baseUrl: string;
  private readonly now: () => number;

  constructor(private readonly cfg: WeidianConfig) {
    this.baseUrl = (cfg.baseUrl ?? WEIDIAN_BASE_URL).replace(/\/$/, '');
    this.now = cfg.now ?? Date.now;
  }

  /** The envelope {result, status:{status_code, status_reason}}, or a SyncError for a transport failure or an unreadable answer. */
  private async send(url: string, method: 'GET' | 'POST'): Promise<{ code: number; reason: string; result: unknown }> {
    const res = await httpCall(url, { method }, this.cfg.timeoutMs ?? 12_000);
    if (res.status >= 500) throw new SyncError('retry', `HTTP ${res.status}`, `微店服务器错误（HTTP ${res.status}）`);
    if (res.status === 429) throw new SyncError('rate_limited', 'HTTP 429', '微店限流');
    let v: any;
    try {
      v = JSON.parse(res.text);
    } catch {
      v = null;
    }
    if (!v || typeof v !== 'object' || !v.status || typeof v.status.status_code !== 'number')
      throw new SyncError('bad_response', 'MALFORMED', `微店应答无法解析（HTTP ${res.status}）：${res.text.slice(0, 120)}`);
    return { code: v.status.status_code, reason: String(v.status.status_reason ?? ''), result: v.result };
  }

  private async obtainToken(): Promise<string> {
    const q = new URLSearchParams({ grant_type: 'client_credential', appkey: this.cfg.appKey, secret: this.cfg.secret });
    const { code, reason, result } = await this.send(`${this.baseUrl}/token?${q}`, 'GET');
    if (code === WEIDIAN_CODES.rateLimited) throw new SyncError('rate_limited', String(code), `微店限流（${code}）`);
    const r = result as { access_token?: unknown; expire_in?: unknown } | null;
    if (code !== WEIDIAN_CODES.ok) throw new SyncError('auth', `token ${code}`, `微店授权失败：${reason}（${code}），请重新填写 appkey 和 secret`);
    if (!r || typeof r.access_token !== 'string' || typeof r.expire_in !== 'number') throw new SyncError('bad_response', 'MALFORMED', '微店 token 应答缺少 access_token/expire_in');
    this.token = { accessToken: r.access_token, expiresAt: this.now() + r.expire_in * 1000 };
    return r.access_token;
  }

  /** One API call; returns `result`. A refused token (10013) is renewed once and the call repeated. */
  async call(method: string, version: string, param: Record<string, unknown>): Promise<Record<string, any>> {
    for (let round = 0; ; round++) {
      const token = this.token && this.token.expiresAt - 60_000 > this.now() ? this.token.accessToken : await this.obtainToken();
      const q = new URLSearchParams({ public: JSON.stringify({ version, access_token: token, format: 'json', method }), param: JSON.stringify(param) });
      const { code, reason, result } = await this.send(`${this.baseUrl}/api?${q}`, 'POST');
      if (code === WEIDIAN_CODES.ok) {
        if (!result || typeof result !== 'object') throw new SyncError('bad_response', 'MALFORMED', `微店 ${method} 应答缺少 result`);
        return result as Record<string, any>;
      }
      const text = `微店：${reason}（${code}）`;
      if (code === WEIDIAN_CODES.tokenInvalid && round === 0) {
        this.token = null;
        continue;
      }
      if (code === WEIDIAN_CODES.tokenInvalid) throw new SyncError('auth', String(code), text);
      if (code === WEIDIAN_CODES.rateLimited) throw new SyncError('rate_limited', String(code), text);
      throw new SyncError('refused', String(code), text);
    }
  }

  /**
   * A SKU's stock set outright: vdian.item.sku.update {itemid, skus:[{id, stock}]} (C). An item
   * without SKUs: vdian.item.update {itemid, stock} (UNVERIFIED). Weidian takes no increments.
   */
  async setStock(p: { itemId: string; skuId: string | null; stock: number }): Promise<void> {
    if (p.skuId) await this.call('vdian.item.sku.update', '1.0', { itemid: p.itemId, skus: [{ id: p.skuId, stock: p.stock }] });
    else await this.call('vdian.item.update', '1.0', { itemid: p.itemId, stock: p.stock });
  }

  /**
   * Items on sale, one page (page_num from 1): vdian.item.list.get 1.0 {page_num, page_size, status: 1} (C).
   * The answer {items:[{itemid, item_name, stock, merchant_code, skus:[{id, title, stock, sku_merchant_code}]}],
   * total_num} is UNVERIFIED (sku_merchant_code is the SDK's name in vdian.item.sku.update).
   */
  async listItems(q: { pageNum: number; pageSize: number }): Promise<{ items: WeidianItem[]; total: number }> {
    const r = await this.call('vdian.item.list.get', '1.0', { page_num: q.pageNum, page_size: q.pageSize, status: 1 });
    if (!Array.isArray(r.items) || typeof r.total_num !== 'number') throw new SyncError('bad_response', 'MALFORMED', '微店商品列表应答缺少 items/total_num');
    try {
      return { items: r.items.map(toItem), total: r.total_num };
    } catch (e) {
      throw new SyncError('bad_response', 'MALFORMED', `微店商品无法解析：${(e as Error).message}`);
    }
  }

  /** vdian.order.list.get 1.1 by update time, one page (page_num from 1). */
  async listOrders(q: { startMs: number; endMs: number; pageNum: number; pageSize: number }): Promise<{ orders: WeidianOrder[]; total: number }> {
    const r = await this.call('vdian.order.list.get', '1.1', {
      page_num: q.pageNum,
      page_size: q.pageSize,
      update_start: weidianTime(q.startMs),
      update_end: weidianTime(q.endMs),
    });
    if (!Array.isArray(r.orders) || typeof r.total_num !== 'number') throw new SyncError('bad_response', 'MALFORMED', '微店订单列表应答缺少 orders/total_num');
    try {
      return { orders: r.orders.map(toOrder), total: r.total_num };
    } catch (e) {
      throw new SyncError('bad_response', 'MALFORMED', `微店订单无法解析：${(e as Error).message}`);
    }
  }
}

const textOrNull = (v: unknown) => (v === undefined || v === null || v === '' ? null : String(v));
const stockOf = (v: unknown) => (v === undefined || v === null || v === '' ? null : Number.isInteger(Number(v)) ? Number(v) : null);

function toItem(o: any): WeidianItem {
  if (!o || typeof o !== 'object') throw new TypeError('商品不是对象');
  if (typeof o.itemid !== 'string' && typeof o.itemid !== 'number') throw new TypeError('商品缺少 itemid');
  const skus = Array.isArray(o.skus) ? o.skus : [];
  return {
    itemId: String(o.itemid),
    title: String(o.item_name ?? ''),
    merchantCode: textOrNull(o.merchant_code),
    stock: stockOf(o.stock),
    skus: skus.map((k: any) => {
      if (!k || (typeof k.id !== 'string' && typeof k.id !== 'number')) throw new TypeError(`商品 ${String(o.itemid)} 的型号缺少 id`);
      return { skuId: String(k.id), title: String(k.title ?? ''), merchantCode: textOrNull(k.sku_merchant_code), stock: stockOf(k.stock) };
    }),
  };
}

function toOrder(o: any): WeidianOrder {
  if (!o || typeof o !== 'object' || !Array.isArray(o.items)) throw new TypeError('订单缺少 items');
  if (typeof o.order_id !== 'string' && typeof o.order_id !== 'number') throw new TypeError('订单缺少 order_id');
  const str = (v: unknown) => (v === undefined || v === null || v === '' || v === 0 || v === '0' ? null : String(v));
  return {
    orderId: String(o.order_id),
    status: String(o.status),
    expressType: Number(o.express_type ?? 0),
    totalFen: yuanToFen(o.total),
    addTime: parseWeidianTime(o.add_time),
    updateTime: parseWeidianTime(o.update_time),
    items: o.items.map((it: any) => {
      const quantity = Number(it.quantity);
      if (!Number.isInteger(quantity) || quantity <= 0) throw new TypeError(`数量不对：${String(it.quantity)}`);
      return { itemId: String(it.item_id), skuId: str(it.sku_id), merchantCode: str(it.sku_merchant_code ?? it.merchant_code), quantity };
    }),
  };
}
