// Doudian (抖店开放平台) on the wire, PLATFORMS.md §2: token create/refresh, the HMAC-SHA256 signature
// over the canonical sorted param_json, the {code, msg, sub_code, sub_msg, data} envelope (success is
// code 10000), sku.syncStock and order.searchList. Error codes the docs leave open are UNVERIFIED and
// named once here (DOUDIAN_CODES), so the fake and the client agree and a live test can correct them.
import { createHmac } from 'node:crypto';
import { bigNumber, canonicalJson, id, num, parseLossless } from '../canonical-json';
import { SyncError, type PlatformToken } from '../connector';
import { httpCall } from '../http';

export const DOUDIAN_BASE_URL = 'https://openapi-fxg.jinritemai.com';

export const DOUDIAN_CODES = {
  success: 10000,
  /** UNVERIFIED numbers; sub_codes as seen in public reports. */
  tokenInvalid: 30002, // sub_code isv.access-token-expired / isv.access-token-no-existed
  signInvalid: 30007, // sub_code isv.sign-invalid (also: unknown app_key, skewed timestamp)
  paramInvalid: 40004, // sub_code isv.parameter-invalid[:40010 = idempotent_id already used]
  businessFailed: 50002, // sub_code isv.business-failed[:2010012 = stock below zero]
  trafficLimited: 60000, // sub_code isv.traffic-limited
  pageTooLarge: 20008,
} as const;
export const DUPLICATE_IDEMPOTENT_SUB = 'isv.parameter-invalid:40010';
export const STOCK_BELOW_ZERO_SUB = 'isv.business-failed:2010012';

/** `/sku/syncStock` → `sku.syncStock`. */
export function doudianMethod(urlPath: string): string {
  return urlPath.replace(/^\//, '').replace(/\//g, '.');
}

/** The string signed: app_key…method…param_json…timestamp…v2, wrapped in the secret on both sides. */
export function doudianSignString(appKey: string, appSecret: string, method: string, paramJson: string, timestamp: string): string {
  return `${appSecret}app_key${appKey}method${method}param_json${paramJson}timestamp${timestamp}v2${appSecret}`;
}

export function doudianSign(appKey: string, appSecret: string, method: string, paramJson: string, timestamp: string): string {
  return createHmac('sha256', appSecret).update(doudianSignString(appKey, appSecret, method, paramJson, timestamp), 'utf8').digest('hex');
}

export interface DoudianConfig {
  baseUrl?: string;
  appKey: string;
  appSecret: string;
  /** Self-use app: the shop's id (grant_type=authorization_self). */
  shopId: string;
  timeoutMs?: number;
  now?: () => number;
  /** A token saved by an earlier run (so a restart need not ask for a new one). */
  token?: PlatformToken | null;
  /** Told of every new token, to save it (the main thread seals it). */
  onToken?: (t: PlatformToken) => void;
}

type Token = PlatformToken;

interface Envelope {
  code: number;
  msg: string;
  subCode: string;
  subMsg: string;
  data: Record<string, unknown>;
}

export interface DoudianOrder {
  orderId: string;
  orderStatus: number;
  payAmountFen: number;
  createTime: number;
  updateTime: number;
  skus: { productId: string; skuId: string; outSkuId: string | null; code: string | null; itemNum: number }[];
}

export class DoudianClient {
  private token: Token | null = null;
  private readonly baseUrl: string;
  private readonly now: () => number;

  constructor(private readonly cfg: DoudianConfig) {
    this.baseUrl = (cfg.baseUrl ?? DOUDIAN_BASE_URL).replace(/\/$/, '');
    this.now = cfg.now ?? Date.now;
    this.token = cfg.token ?? null;
  }

  /** One signed call; returns the envelope however the platform answered (HTTP and JSON errors throw). */
  private async raw(urlPath: string, params: Record<string, unknown>, accessToken: string | null): Promise<Envelope> {
    const method = doudianMethod(urlPath);
    const paramJson = canonicalJson(params);
    const timestamp = String(Math.floor(this.now() / 1000));
    const query = new URLSearchParams({
      app_key: this.cfg.appKey,
      method,
      timestamp,
      sign: doudianSign(this.cfg.appKey, this.cfg.appSecret, method, paramJson, timestamp),
      v: '2',
      sign_method: 'hmac-sha256',
    });
    if (accessToken) query.set('access_token', accessToken);
    const res = await httpCall(
      `${this.baseUrl}${urlPath}?${query}`,
      { method: 'POST', headers: { 'Content-Type': 'application/json;charset=UTF-8', from: 'sdk', 'x-open-no-old-err-code': '1' }, body: paramJson },
      this.cfg.timeoutMs ?? 12_000,
    );
    if (res.status >= 500) throw new SyncError('retry', `HTTP ${res.status}`, `抖店服务器错误（HTTP ${res.status}）`);
    if (res.status === 429) throw new SyncError('rate_limited', 'HTTP 429', '抖店限流');
    if (res.status !== 200) throw new SyncError('bad_response', `HTTP ${res.status}`, `抖店应答异常（HTTP ${res.status}）`);
    let body: Record<string, unknown>;
    try {
      body = parseLossless(res.text) as Record<string, unknown>;
      if (!body || typeof body !== 'object' || body.code === undefined) throw new Error('no code');
      return {
        code: num(body.code),
        msg: String(body.msg ?? ''),
        subCode: String(body.sub_code ?? ''),
        subMsg: String(body.sub_msg ?? ''),
        data: (body.data && typeof body.data === 'object' ? body.data : {}) as Record<string, unknown>,
      };
    } catch {
      throw new SyncError('bad_response', 'MALFORMED', `抖店应答无法解析：${res.text.slice(0, 120)}`);
    }
  }

  private fail(e: Envelope): SyncError {
    const code = `${e.code}${e.subCode ? `/${e.subCode}` : ''}`;
    const text = `抖店：${e.subMsg || e.msg}（${code}）`;
    if (e.code === DOUDIAN_CODES.trafficLimited) return new SyncError('rate_limited', code, text);
    if (e.code === DOUDIAN_CODES.tokenInvalid) return new SyncError('auth', code, text);
    if (e.code === DOUDIAN_CODES.signInvalid) return new SyncError('auth', code, text);
    if (e.code >= 50000 && e.code !== DOUDIAN_CODES.businessFailed) return new SyncError('retry', code, text);
    return new SyncError('refused', code, text);
  }

  private async obtainToken(): Promise<Token> {
    const useRefresh = this.token !== null && this.token.refreshToken !== '';
    const e = useRefresh
      ? await this.raw('/token/refresh', { grant_type: 'refresh_token', refresh_token: this.token!.refreshToken }, null)
      : await this.raw('/token/create', { code: '', grant_type: 'authorization_self', shop_id: this.cfg.shopId }, null);
    if (e.code !== DOUDIAN_CODES.success) {
      // A refresh token past its 14 days: start again from token/create once.
      if (useRefresh) {
        this.token = null;
        return this.obtainToken();
      }
      const err = this.fail(e);
      throw err.kind === 'retry' || err.kind === 'rate_limited' ? err : new SyncError('auth', err.code, `抖店授权失败：${e.subMsg || e.msg}`);
    }
    try {
      this.token = {
        accessToken: String(e.data.access_token),
        refreshToken: String(e.data.refresh_token ?? ''),
        expiresAt: this.now() + num(e.data.expires_in) * 1000,
      };
    } catch {
      throw new SyncError('bad_response', 'MALFORMED', '抖店授权应答缺少 access_token/expires_in');
    }
    this.cfg.onToken?.(this.token);
    return this.token;
  }

  /** A business call with the shop's token: a refused token is renewed once and the call repeated. */
  async call(urlPath: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    for (let round = 0; ; round++) {
      // Renew a minute before expiry rather than spend a call on a refusal.
      const token = this.token && this.token.expiresAt - 60_000 > this.now() ? this.token : await this.obtainToken();
      const e = await this.raw(urlPath, params, token.accessToken);
      if (e.code === DOUDIAN_CODES.success) return e.data;
      if (e.code === DOUDIAN_CODES.tokenInvalid && round === 0) {
        this.token = { ...token, expiresAt: 0 }; // keep its refresh_token
        continue;
      }
      throw this.fail(e);
    }
  }

  /**
   * sku.syncStock. Incremental needs idempotent_id; a repeated one answers 40004/…:40010 "already
   * done" (PLATFORMS.md §0.6): that is 'already_applied', never a failure to retry with a new key.
   */
  async syncStock(p: { productId: string; skuId: string; stockNum: number } & ({ incremental: true; idempotentId: string } | { incremental: false })): Promise<'applied' | 'already_applied'> {
    const params: Record<string, unknown> = {
      product_id: bigNumber(p.productId),
      sku_id: bigNumber(p.skuId),
      stock_num: p.stockNum,
      incremental: p.incremental,
    };
    if (p.incremental) params.idempotent_id = p.idempotentId;
    try {
      await this.call('/sku/syncStock', params);
      return 'applied';
    } catch (e) {
      if (e instanceof SyncError && e.code === `${DOUDIAN_CODES.paramInvalid}/${DUPLICATE_IDEMPOTENT_SUB}`) return 'already_applied';
      throw e;
    }
  }

  /** product.listV2, one page (page from 1, size ≤ 100): product ids and names. Field names UNVERIFIED. */
  async listProducts(page: number, size: number): Promise<{ products: { productId: string; name: string }[]; total: number }> {
    const data = await this.call('/product/listV2', { page, size });
    try {
      const list = (data.data ?? []) as Record<string, unknown>[];
      return { total: num(data.total), products: list.map((p) => ({ productId: id(p.product_id), name: String(p.name ?? '') })) };
    } catch (e) {
      throw new SyncError('bad_response', 'MALFORMED', `抖店商品列表无法解析：${(e as Error).message}`);
    }
  }

  /** sku.list of one product: SKU ids, 商家编码 (code) and stock. Field names UNVERIFIED. */
  async listSkus(productId: string): Promise<{ skuId: string; code: string | null; stockNum: number | null }[]> {
    const data = (await this.call('/sku/list', { product_id: bigNumber(productId) })) as unknown;
    if (!Array.isArray(data)) throw new SyncError('bad_response', 'MALFORMED', '抖店 SKU 列表应答不是数组');
    try {
      return (data as Record<string, unknown>[]).map((k) => ({ skuId: id(k.id), code: k.code ? String(k.code) : null, stockNum: k.stock_num === undefined ? null : num(k.stock_num) }));
    } catch (e) {
      throw new SyncError('bad_response', 'MALFORMED', `抖店 SKU 列表无法解析：${(e as Error).message}`);
    }
  }

  /** order.searchList by update time (Unix s, both ends inclusive), one page (page from 0, size ≤ 100). */
  async searchOrders(q: { updateStart: number; updateEnd: number; page: number; size: number }): Promise<{ orders: DoudianOrder[]; total: number }> {
    const data = await this.call('/order/searchList', {
      update_time_start: q.updateStart,
      update_time_end: q.updateEnd,
      page: q.page,
      size: q.size,
      order_by: 'update_time',
      order_asc: true,
    });
    try {
      const list = (data.shop_order_list ?? []) as Record<string, unknown>[];
      return {
        total: num(data.total),
        orders: list.map((o) => ({
          orderId: id(o.order_id),
          orderStatus: num(o.order_status),
          payAmountFen: num(o.pay_amount),
          createTime: num(o.create_time),
          updateTime: num(o.update_time),
          skus: ((o.sku_order_list ?? []) as Record<string, unknown>[]).map((s) => ({
            productId: id(s.product_id),
            skuId: id(s.sku_id),
            outSkuId: s.out_sku_id ? String(s.out_sku_id) : null,
            code: s.code ? String(s.code) : null,
            itemNum: num(s.item_num),
          })),
        })),
      };
    } catch (e) {
      throw new SyncError('bad_response', 'MALFORMED', `抖店订单列表无法解析：${(e as Error).message}`);
    }
  }
}
