// Youzan (有赞云) on the wire, PLATFORMS.md §1: the token endpoint (silent mode for a self-use app,
// refresh_token), calls as POST /api/{name}/{version}?access_token=…, and errors that come back as
// HTTP 200 — gateway errors in gw_err_resp, 3.x business errors in error_response, 4.x in
// {success:false, code, message}: the body is checked every time, never the status alone.
// Gateway codes follow PLATFORMS.md §0.6; the rate-limit code is UNVERIFIED (4101 and 20001 both read as it).
import { SyncError, type PlatformToken } from '../connector';
import { httpCall } from '../http';

export const YOUZAN_BASE_URL = 'https://open.youzanyun.com';

export const YOUZAN_GW = { noToken: 4201, expiredToken: 4202, unknownToken: 4203, rateLimited: 4101, unknownApi: 4005 } as const;
/**
 * UNVERIFIED: the field of a trade's pay_info holding the balance left to pay at the counter (货到付款 /
 * 尾款, yuan). PLATFORMS.md §1 documents none (nor an API to mark such a balance paid): this one name
 * is the only place to change when the real field is known.
 */
export const YOUZAN_BALANCE_DUE_FIELD = 'balance_due';

const TOKEN_CODES = new Set<number>([YOUZAN_GW.noToken, YOUZAN_GW.expiredToken, YOUZAN_GW.unknownToken, 10003]);
const RATE_CODES = new Set<number>([YOUZAN_GW.rateLimited, 20001]);

export interface YouzanConfig {
  baseUrl?: string;
  clientId: string;
  clientSecret: string;
  /** The shop (kdt_id): silent mode's grant_id. */
  grantId: string;
  timeoutMs?: number;
  now?: () => number;
  /** A token saved by an earlier run (so a restart need not ask for a new one). */
  token?: PlatformToken | null;
  /** Told of every new token, to save it (the main thread seals it). */
  onToken?: (t: PlatformToken) => void;
}

type Token = PlatformToken;

/** Beijing wall time 'YYYY-MM-DD HH:mm:ss', the form of Youzan's date parameters and fields. */
export function youzanTime(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

export function parseYouzanTime(s: unknown): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(String(s));
  if (!m) throw new TypeError(`not a Youzan time: ${String(s)}`);
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) - 8 * 3600_000;
}

/** Youzan amounts are yuan ("12.50"); fen exactly, never through a float product. */
export function yuanToFen(v: unknown): number {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(String(v));
  if (!m) throw new TypeError(`not an amount: ${String(v)}`);
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -fen : fen;
}

export class YouzanClient {
  private token: Token | null = null;
  private readonly baseUrl: string;
  private readonly now: () => number;

  constructor(private readonly cfg: YouzanConfig) {
    this.baseUrl = (cfg.baseUrl ?? YOUZAN_BASE_URL).replace(/\/$/, '');
    this.now = cfg.now ?? Date.now;
    this.token = cfg.token ?? null;
  }

  private async post(path: string, body: unknown): Promise<Record<string, any>> {
    const res = await httpCall(
      `${this.baseUrl}${path}`,
      { method: 'POST', headers: { 'Content-Type': 'application/json;charset=UTF-8' }, body: JSON.stringify(body) },
      this.cfg.timeoutMs ?? 12_000,
    );
    if (res.status >= 500) throw new SyncError('retry', `HTTP ${res.status}`, `有赞服务器错误（HTTP ${res.status}）`);
    if (res.status === 429) throw new SyncError('rate_limited', 'HTTP 429', '有赞限流');
    try {
      const v = JSON.parse(res.text);
      if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error();
      return v;
    } catch {
      throw new SyncError('bad_response', 'MALFORMED', `有赞应答无法解析（HTTP ${res.status}）：${res.text.slice(0, 120)}`);
    }
  }

  private async obtainToken(): Promise<Token> {
    const refresh = this.token?.refreshToken;
    const body = refresh
      ? { client_id: this.cfg.clientId, client_secret: this.cfg.clientSecret, authorize_type: 'refresh_token', refresh_token: refresh }
      : { client_id: this.cfg.clientId, client_secret: this.cfg.clientSecret, authorize_type: 'silent', grant_id: this.cfg.grantId, refresh: true };
    const v = await this.post('/auth/token', body);
    const d = v.data;
    if (v.success !== true || !d || typeof d.access_token !== 'string' || typeof d.expires !== 'number') {
      if (refresh) {
        this.token = null; // the refresh token ran out: silent mode again
        return this.obtainToken();
      }
      throw new SyncError('auth', `token ${v.code ?? '?'}`, `有赞授权失败：${v.message ?? '应答缺少 access_token'}`);
    }
    this.token = { accessToken: d.access_token, refreshToken: typeof d.refresh_token === 'string' ? d.refresh_token : '', expiresAt: d.expires };
    this.cfg.onToken?.(this.token);
    return this.token;
  }

  /**
   * One API call with the shop's token; returns the 3.x `response` or the 4.x `data`. A refused token
   * is renewed once and the call repeated.
   */
  async call(api: string, version: string, params: Record<string, unknown>): Promise<Record<string, any>> {
    for (let round = 0; ; round++) {
      const token = this.token && this.token.expiresAt - 60_000 > this.now() ? this.token : await this.obtainToken();
      const v = await this.post(`/api/${api}/${version}?access_token=${encodeURIComponent(token.accessToken)}`, params);
      const gw = v.gw_err_resp;
      if (gw) {
        const code = Number(gw.err_code);
        const text = `有赞网关：${gw.err_msg ?? gw.err_message ?? ''}（${code}）`;
        if (TOKEN_CODES.has(code) && round === 0) {
          this.token = { ...token, expiresAt: 0 };
          continue;
        }
        if (TOKEN_CODES.has(code)) throw new SyncError('auth', `gw ${code}`, text);
        if (RATE_CODES.has(code)) throw new SyncError('rate_limited', `gw ${code}`, text);
        throw new SyncError('refused', `gw ${code}`, text);
      }
      if (v.error_response) {
        const e = v.error_response;
        throw new SyncError('refused', String(e.code), `有赞：${e.msg ?? e.message ?? ''}（${e.code}）`);
      }
      if (version.startsWith('3.')) {
        if (!v.response || typeof v.response !== 'object') throw new SyncError('bad_response', 'MALFORMED', `有赞 ${api} 应答缺少 response`);
        return v.response;
      }
      if (v.success === true && Number(v.code) === 200) return v.data && typeof v.data === 'object' ? v.data : {};
      if (v.success === false) {
        const code = Number(v.code);
        if (RATE_CODES.has(code)) throw new SyncError('rate_limited', String(code), `有赞限流（${code}）`);
        throw new SyncError('refused', String(v.code), `有赞：${v.message ?? ''}（${v.code}）`);
      }
      throw new SyncError('bad_response', 'MALFORMED', `有赞 ${api} 应答不认识`);
    }
  }

  /** youzan.item.quantity.update 3.0.0, type 0: the SKU's stock set outright. */
  async setQuantity(p: { itemId: string; skuId: string | null; quantity: number }): Promise<void> {
    const params: Record<string, unknown> = { item_id: Number(p.itemId), quantity: p.quantity, type: 0 };
    if (p.skuId) params.sku_id = Number(p.skuId);
    const r = await this.call('youzan.item.quantity.update', '3.0.0', params);
    if (r.is_success !== true) throw new SyncError('bad_response', 'MALFORMED', '有赞库存更新没有返回 is_success');
  }

  /** youzan.trades.sold.get 4.0.0 by update time, one page (page_no from 1, ≤ 100; page_size ≤ 100). */
  async tradesSold(q: { startMs: number; endMs: number; pageNo: number; pageSize: number }): Promise<{ trades: Record<string, any>[]; total: number }> {
    const d = await this.call('youzan.trades.sold.get', '4.0.0', {
      start_update: youzanTime(q.startMs),
      end_update: youzanTime(q.endMs),
      page_no: q.pageNo,
      page_size: q.pageSize,
    });
    if (!Array.isArray(d.full_order_info_list) || typeof d.total_results !== 'number') throw new SyncError('bad_response', 'MALFORMED', '有赞订单列表应答缺少 full_order_info_list/total_results');
    return { trades: d.full_order_info_list.map((x: any) => x?.full_order_info), total: d.total_results };
  }
}

/** One entry of youzan.items.onsale.get 3.0.0. */
export interface YouzanItemSummary {
  itemId: string;
  title: string;
  itemNo: string | null;
  quantity: number | null;
}

/** youzan.item.get 3.0.0: the item and its SKUs (sku_id, item_no = SKU 商家编码, barcode, quantity; SKU field names UNVERIFIED). */
export interface YouzanItemDetail extends YouzanItemSummary {
  barcode: string | null;
  skus: { skuId: string; itemNo: string | null; barcode: string | null; quantity: number | null }[];
}

const text = (v: unknown): string | null => (v === undefined || v === null || v === '' ? null : String(v));
const count = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export async function itemsOnsale(client: YouzanClient, pageNo: number, pageSize: number): Promise<{ items: YouzanItemSummary[]; count: number }> {
  const r = await client.call('youzan.items.onsale.get', '3.0.0', { page_no: pageNo, page_size: pageSize, order_by: 'created_time:desc' });
  if (!Array.isArray(r.items)) throw new SyncError('bad_response', 'MALFORMED', '有赞商品列表应答缺少 items');
  return {
    count: Number(r.count ?? r.items.length),
    items: r.items.map((i: Record<string, unknown>) => ({ itemId: String(i.item_id), title: String(i.title ?? ''), itemNo: text(i.item_no), quantity: count(i.quantity) })),
  };
}

export async function itemGet(client: YouzanClient, itemId: string): Promise<YouzanItemDetail> {
  const r = await client.call('youzan.item.get', '3.0.0', { item_id: Number(itemId) });
  const i = r.item as Record<string, any> | undefined;
  if (!i || typeof i !== 'object') throw new SyncError('bad_response', 'MALFORMED', '有赞商品详情应答缺少 item');
  return {
    itemId: String(i.item_id ?? itemId),
    title: String(i.title ?? ''),
    itemNo: text(i.item_no),
    barcode: text(i.barcode),
    quantity: count(i.quantity),
    skus: (Array.isArray(i.skus) ? i.skus : []).map((k: Record<string, unknown>) => ({ skuId: String(k.sku_id), itemNo: text(k.item_no ?? k.outer_sku_id), barcode: text(k.barcode), quantity: count(k.quantity) })),
  };
}
