// A local Doudian (抖店开放平台) simulator (PLATFORMS.md §2, §0): a real HTTP server on 127.0.0.1 that
// rebuilds each request's HMAC-SHA256 signature from the raw query and body — over the canonical
// (sorted-key) form of the body, as the platform does, so a client that signs unsorted param_json
// fails here as it would for real — keeps stock per (product, sku) and orders, applies each
// idempotent_id once (a repeat answers 40004/…:40010 "already done" and is counted), rate-limits, and
// takes faults through a control API. Runnable on its own:
//   node --import tsx tests/fakes/doudian.ts --port 8711 [--calls-per-second N]
//
// Control API (no signature; JSON bodies):
//   PUT    /__admin/scenario  {"rules":[Rule…]} replaces the queue (?append=1 appends); GET reads; DELETE clears
//   PUT    /__admin/stock     {"productId":"…","skuId":"…","stock":12} sets a SKU's stock (creates it); optional "title", "code" (商家编码)
//   GET    /__admin/stock     every SKU's stock, and how often each idempotent_id was applied and repeated
//   POST   /__admin/orders    {"items":[{"productId","skuId","num"}],"payAmountFen"?} a customer orders (status 2,
//                             paid, stock taken); POST /__admin/orders/status {"orderId","status"} moves one on
//   GET    /__admin/orders    every order
//   POST   /__admin/clock     {"advanceSeconds":n} or {"setMs":…}; GET reads it
//   POST   /__admin/tokens/expire   every access token issued so far stops working
//   GET    /__admin/requests  the last requests: path, method, code, sub_code, fault
//   GET    /__admin/config    appKey, appSecret, shopId, baseUrl;  POST /__admin/reset forgets everything
// Rule (the first matching one is used; `times` counts down, 0 = every call):
//   op?: syncStock|searchList|items|token|any
// Item lists: /product/listV2 (page from 1, size ≤ 100 → data.data[{product_id, name}], data.total) and
// /sku/list (product_id → data [{id, product_id, code (商家编码), stock_num}]); names UNVERIFIED.
//   fault: timeout (answer held delayMs, default 30000) | drop (connection destroyed) — both applied unless
//          apply:false | server_error (HTTP 500) | rate_limited (60000) — not applied unless apply:true
//          | token_expired (30002, as if the token had run out) | malformed (HTTP 200, not JSON; applied)
//
// The numeric codes are UNVERIFIED (PLATFORMS.md §2.3); they come from electron/sync/doudian/wire.ts.
import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { bigNumber, canonicalJson, id as idOf, num, parseLossless } from '../../electron/sync/canonical-json';
import { DOUDIAN_CODES, DUPLICATE_IDEMPOTENT_SUB, STOCK_BELOW_ZERO_SUB, doudianMethod, doudianSign } from '../../electron/sync/doudian/wire';
import { cliArg, closeOnSignals, HttpFake, pushCapped, readBody, RuleQueue, runIfMain, sendJson } from './http-fake';

const ruleSchema = z.object({
  op: z.enum(['syncStock', 'searchList', 'items', 'token', 'any']).optional(),
  times: z.number().int().min(0).default(1),
  fault: z.enum(['timeout', 'drop', 'server_error', 'rate_limited', 'token_expired', 'malformed']),
  apply: z.boolean().optional(),
  delayMs: z.number().int().min(0).optional(),
});
export type DoudianRule = z.input<typeof ruleSchema>;
type Rule = z.output<typeof ruleSchema>;
type Op = 'syncStock' | 'searchList' | 'items' | 'token';

export interface DoudianFakeOrder {
  orderId: string;
  orderStatus: number;
  payAmountFen: number;
  createTime: number; // Unix s
  updateTime: number;
  items: { productId: string; skuId: string; num: number }[];
}

export interface DoudianFakeOptions {
  port?: number;
  appKey?: string;
  appSecret?: string;
  shopId?: string;
  /** The fake's clock (ms); default real time. Tests pass the engine's simulated clock. */
  now?: () => number;
  /** Calls a second the fake allows (per app, on its clock) before answering 60000; 0 = no limit. */
  callsPerSecond?: number;
  maxSkewSeconds?: number;
}

class Refusal extends Error {
  constructor(
    readonly code: number,
    readonly subCode: string,
    msg: string,
  ) {
    super(msg);
  }
}

const TOKEN_S = 7 * 24 * 3600;
const REFRESH_S = 14 * 24 * 3600;
const LOG_MAX = 5000;
const digits19 = () => `3${Array.from({ length: 18 }, () => randomInt(10)).join('')}`;

export class DoudianFake extends HttpFake {
  readonly appKey: string;
  readonly appSecret: string;
  readonly shopId: string;
  callsPerSecond: number;
  maxSkewSeconds: number;
  private scenario = new RuleQueue<DoudianRule, Rule>((r) => ruleSchema.parse(r));
  private tokens = new Map<string, number>(); // access_token → expires (ms)
  private refreshTokens = new Map<string, number>();
  private stock = new Map<string, number>(); // `${productId}:${skuId}`
  /** Title and 商家编码 of a SKU (same key), for the item lists. */
  private meta = new Map<string, { title?: string; code?: string }>();
  /** idempotent_id → how many times it changed stock (must never exceed 1) and how many repeats were refused. */
  readonly applied = new Map<string, { applied: number; repeats: number; key: string; delta: number }>();
  private orders = new Map<string, DoudianFakeOrder>();
  private window = { second: -1, calls: 0 };
  private log: { at: number; path: string; code: number; subCode: string; fault?: string }[] = [];

  private constructor(opts: DoudianFakeOptions) {
    super(opts.now);
    this.appKey = opts.appKey ?? '7000000000000000001';
    this.appSecret = opts.appSecret ?? randomBytes(16).toString('hex');
    this.shopId = opts.shopId ?? '12345678';
    this.callsPerSecond = opts.callsPerSecond ?? 0;
    this.maxSkewSeconds = opts.maxSkewSeconds ?? 300;
  }

  static async start(opts: DoudianFakeOptions = {}): Promise<DoudianFake> {
    return new DoudianFake(opts).listen(opts.port);
  }

  clientConfig(): { baseUrl: string; appKey: string; appSecret: string; shopId: string } {
    return { baseUrl: this.url, appKey: this.appKey, appSecret: this.appSecret, shopId: this.shopId };
  }

  setScenario(rules: DoudianRule | DoudianRule[], append = false): void {
    this.scenario.set(rules, append);
  }

  setStock(productId: string, skuId: string, stock: number, meta?: { title?: string; code?: string }): void {
    this.stock.set(`${productId}:${skuId}`, stock);
    if (meta) this.meta.set(`${productId}:${skuId}`, meta);
  }

  getStock(productId: string, skuId: string): number | undefined {
    return this.stock.get(`${productId}:${skuId}`);
  }

  expireTokens(): void {
    for (const k of this.tokens.keys()) this.tokens.set(k, 0);
  }

  /** A customer orders in the shop: stock is taken at once (status 2 = paid, to ship). */
  placeOrder(items: { productId: string; skuId: string; num: number }[], payAmountFen = 0): DoudianFakeOrder {
    for (const it of items) {
      const have = this.stock.get(`${it.productId}:${it.skuId}`);
      if (have === undefined) throw new Refusal(DOUDIAN_CODES.businessFailed, 'isv.business-failed', `商品 ${it.productId}/${it.skuId} 不存在`);
      if (have < it.num) throw new Refusal(DOUDIAN_CODES.businessFailed, STOCK_BELOW_ZERO_SUB, '库存不足');
    }
    for (const it of items) this.stock.set(`${it.productId}:${it.skuId}`, this.stock.get(`${it.productId}:${it.skuId}`)! - it.num);
    const t = Math.floor(this.now() / 1000);
    const order: DoudianFakeOrder = { orderId: digits19(), orderStatus: 2, payAmountFen, createTime: t, updateTime: t, items: structuredClone(items) };
    this.orders.set(order.orderId, order);
    return structuredClone(order);
  }

  setOrderStatus(orderId: string, status: number): DoudianFakeOrder {
    const o = this.orders.get(orderId);
    if (!o) throw new Refusal(DOUDIAN_CODES.paramInvalid, 'isv.parameter-invalid', '订单不存在');
    o.orderStatus = status;
    o.updateTime = Math.max(o.updateTime, Math.floor(this.now() / 1000));
    return structuredClone(o);
  }

  listOrders(): DoudianFakeOrder[] {
    return [...this.orders.values()].map((o) => structuredClone(o));
  }

  requests(): typeof this.log {
    return this.log.slice();
  }

  reset(): void {
    this.scenario.clear();
    this.tokens.clear();
    this.refreshTokens.clear();
    this.stock.clear();
    this.meta.clear();
    this.applied.clear();
    this.orders.clear();
    this.log = [];
    this.clock.reset();
  }

  // ---- HTTP ----

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = (await readBody(req)).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    if (url.pathname.startsWith('/__admin/')) return this.handleAdmin(req.method ?? 'GET', url, raw, res);

    let rule: Rule | undefined;
    let body: Record<string, unknown>;
    try {
      const params = this.checkSignature(req.method ?? '', url, raw);
      const op = this.opOf(url.pathname);
      rule = this.scenario.take(op);
      const notApplied = (rule?.fault === 'server_error' || rule?.fault === 'rate_limited') && !rule.apply;
      if (rule?.fault === 'token_expired') throw new Refusal(DOUDIAN_CODES.tokenInvalid, 'isv.access-token-expired', 'access_token已过期');
      if (rule?.fault === 'rate_limited' && notApplied) throw new Refusal(DOUDIAN_CODES.trafficLimited, 'isv.traffic-limited', '调用过于频繁');
      if (op !== 'token') this.checkRate();
      const apply = !notApplied && rule?.apply !== false;
      body = { code: DOUDIAN_CODES.success, msg: 'success', sub_code: '', sub_msg: '', data: apply ? this.route(url, params) : {} };
      if (rule?.fault === 'rate_limited') throw new Refusal(DOUDIAN_CODES.trafficLimited, 'isv.traffic-limited', '调用过于频繁');
    } catch (e) {
      body =
        e instanceof Refusal
          ? { code: e.code, msg: e.message, sub_code: e.subCode, sub_msg: e.message, data: {} }
          : { code: 90000, msg: `模拟器内部错误：${(e as Error).message}`, sub_code: 'isp.service-error', sub_msg: '', data: {} };
    }
    pushCapped(this.log, { at: this.now(), path: url.pathname, code: body.code as number, subCode: String(body.sub_code), fault: rule?.fault }, LOG_MAX);
    body.log_id = randomBytes(12).toString('hex');

    this.deliver(req, res, rule, () => {
      if (rule?.fault === 'server_error') {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        return void res.end('Internal Server Error');
      }
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(rule?.fault === 'malformed' ? '{"code":10000,"data":' : canonicalJson(body));
    });
  }

  /**
   * Rebuilds the signed string from the raw request: the query's app_key/method/timestamp/v and the
   * body re-serialized in canonical form (the platform signs that form, not the bytes as sent).
   * Returns the parsed business params.
   */
  private checkSignature(httpMethod: string, url: URL, raw: string): Record<string, unknown> {
    const q = url.searchParams;
    const bad = (why: string) => new Refusal(DOUDIAN_CODES.signInvalid, 'isv.sign-invalid', `签名校验失败：${why}`);
    if (httpMethod !== 'POST') throw bad('只接受 POST');
    if (q.get('app_key') !== this.appKey) throw bad('app_key 未登记');
    if (q.get('v') !== '2' || q.get('sign_method') !== 'hmac-sha256') throw bad('v 或 sign_method 不对');
    const method = q.get('method') ?? '';
    if (method !== doudianMethod(url.pathname)) throw bad(`method ${method} 与路径 ${url.pathname} 不符`);
    const ts = q.get('timestamp') ?? '';
    if (!/^\d+$/.test(ts) || Math.abs(Number(ts) - Math.floor(this.now() / 1000)) > this.maxSkewSeconds) throw bad('timestamp 超出允许范围');
    let params: Record<string, unknown>;
    try {
      params = parseLossless(raw) as Record<string, unknown>;
      if (!params || typeof params !== 'object' || Array.isArray(params)) throw new Error();
    } catch {
      throw new Refusal(DOUDIAN_CODES.paramInvalid, 'isv.parameter-invalid', 'param_json 不是 JSON 对象');
    }
    const expected = Buffer.from(doudianSign(this.appKey, this.appSecret, method, canonicalJson(params), ts));
    const got = Buffer.from(q.get('sign') ?? '');
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) throw bad('sign 不匹配');
    if (!url.pathname.startsWith('/token/')) {
      const exp = this.tokens.get(q.get('access_token') ?? '');
      if (exp === undefined) throw new Refusal(DOUDIAN_CODES.tokenInvalid, 'isv.access-token-no-existed', 'access_token不存在');
      if (exp <= this.now()) throw new Refusal(DOUDIAN_CODES.tokenInvalid, 'isv.access-token-expired', 'access_token已过期');
    }
    return params;
  }

  private opOf(path: string): Op {
    if (path === '/sku/syncStock') return 'syncStock';
    if (path === '/order/searchList') return 'searchList';
    if (path === '/product/listV2' || path === '/sku/list') return 'items';
    if (path === '/token/create' || path === '/token/refresh') return 'token';
    throw new Refusal(DOUDIAN_CODES.paramInvalid, 'isv.method-not-exist', `接口 ${path} 不存在`);
  }

  private checkRate(): void {
    if (!this.callsPerSecond) return;
    const second = Math.floor(this.now() / 1000);
    if (second !== this.window.second) this.window = { second, calls: 0 };
    if (++this.window.calls > this.callsPerSecond) throw new Refusal(DOUDIAN_CODES.trafficLimited, 'isv.traffic-limited', '调用过于频繁');
  }

  private route(url: URL, p: Record<string, unknown>): Record<string, unknown> {
    switch (url.pathname) {
      case '/token/create':
        if (p.grant_type !== 'authorization_self' || String(p.shop_id ?? '') !== this.shopId)
          throw new Refusal(DOUDIAN_CODES.paramInvalid, 'isv.parameter-invalid', 'grant_type 或 shop_id 不对');
        return this.issueToken();
      case '/token/refresh': {
        const exp = this.refreshTokens.get(String(p.refresh_token ?? ''));
        if (p.grant_type !== 'refresh_token' || exp === undefined || exp <= this.now())
          throw new Refusal(DOUDIAN_CODES.paramInvalid, 'isv.refresh-token-invalid', 'refresh_token 无效或已过期');
        this.refreshTokens.delete(String(p.refresh_token));
        return this.issueToken();
      }
      case '/sku/syncStock':
        return this.syncStock(p);
      case '/product/listV2':
        return this.productList(p);
      case '/sku/list':
        return this.skuList(p) as unknown as Record<string, unknown>;
      default:
        return this.searchList(p);
    }
  }

  private issueToken(): Record<string, unknown> {
    const access = randomBytes(16).toString('hex');
    const refresh = randomBytes(16).toString('hex');
    this.tokens.set(access, this.now() + TOKEN_S * 1000);
    this.refreshTokens.set(refresh, this.now() + REFRESH_S * 1000);
    return { access_token: access, expires_in: TOKEN_S, refresh_token: refresh, scope: 'SCOPE', shop_id: bigNumber(this.shopId), shop_name: '模拟抖店' };
  }

  private syncStock(p: Record<string, unknown>): Record<string, unknown> {
    const invalid = (why: string) => new Refusal(DOUDIAN_CODES.paramInvalid, 'isv.parameter-invalid', why);
    let key: string;
    let stockNum: number;
    try {
      key = `${idOf(p.product_id)}:${idOf(p.sku_id)}`;
      stockNum = num(p.stock_num);
    } catch {
      throw invalid('product_id、sku_id、stock_num 必填');
    }
    if (!Number.isInteger(stockNum)) throw invalid('stock_num 必须是整数');
    const have = this.stock.get(key);
    if (have === undefined) throw new Refusal(DOUDIAN_CODES.businessFailed, 'isv.business-failed', '商品或 SKU 不存在');
    if (p.incremental !== true) {
      if (stockNum < 0) throw invalid('stock_num 不能小于 0');
      this.stock.set(key, stockNum);
      return {};
    }
    const idem = typeof p.idempotent_id === 'string' ? p.idempotent_id : '';
    if (!idem) throw invalid('增量更新库存时 idempotent_id 必填');
    const seen = this.applied.get(idem);
    if (seen) {
      seen.repeats++;
      throw new Refusal(DOUDIAN_CODES.paramInvalid, DUPLICATE_IDEMPOTENT_SUB, '[idempotent_id]重复，操作已执行');
    }
    if (have + stockNum < 0) throw new Refusal(DOUDIAN_CODES.businessFailed, STOCK_BELOW_ZERO_SUB, '库存不足，扣减后库存小于0');
    this.stock.set(key, have + stockNum);
    this.applied.set(idem, { applied: 1, repeats: 0, key, delta: stockNum });
    return {};
  }

  private products(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const key of [...this.stock.keys()].sort()) {
      const productId = key.slice(0, key.indexOf(':'));
      out.set(productId, [...(out.get(productId) ?? []), key]);
    }
    return out;
  }

  private productList(p: Record<string, unknown>): Record<string, unknown> {
    const page = p.page === undefined ? 1 : num(p.page);
    const size = p.size === undefined ? 10 : num(p.size);
    if (size > 100 || size < 1 || page < 1) throw new Refusal(DOUDIAN_CODES.paramInvalid, 'isv.parameter-invalid', 'page 从 1 开始，size 在 1 到 100 之间');
    const all = [...this.products()].map(([productId, keys]) => ({ product_id: bigNumber(productId), name: this.meta.get(keys[0])?.title ?? `商品 ${productId}`, status: 0 }));
    return { data: all.slice((page - 1) * size, page * size), total: all.length, page, size };
  }

  private skuList(p: Record<string, unknown>): Record<string, unknown>[] {
    let productId: string;
    try {
      productId = idOf(p.product_id);
    } catch {
      throw new Refusal(DOUDIAN_CODES.paramInvalid, 'isv.parameter-invalid', 'product_id 必填');
    }
    const keys = this.products().get(productId);
    if (!keys) throw new Refusal(DOUDIAN_CODES.businessFailed, 'isv.business-failed', '商品不存在');
    return keys.map((k) => ({ id: bigNumber(k.slice(k.indexOf(':') + 1)), product_id: bigNumber(productId), code: this.meta.get(k)?.code ?? '', stock_num: this.stock.get(k) ?? 0 }));
  }

  private searchList(p: Record<string, unknown>): Record<string, unknown> {
    const page = p.page === undefined ? 0 : num(p.page);
    const size = p.size === undefined ? 10 : num(p.size);
    if (size > 100) throw new Refusal(DOUDIAN_CODES.pageTooLarge, 'isv.parameter-invalid', 'size 不能大于 100');
    if (page < 0 || size < 1) throw new Refusal(DOUDIAN_CODES.paramInvalid, 'isv.parameter-invalid', 'page 从 0 开始，size 至少 1');
    const from = p.update_time_start === undefined ? 0 : num(p.update_time_start);
    const to = p.update_time_end === undefined ? Infinity : num(p.update_time_end);
    const all = [...this.orders.values()]
      .filter((o) => o.updateTime >= from && o.updateTime <= to)
      .sort((a, b) => a.updateTime - b.updateTime || a.orderId.localeCompare(b.orderId));
    return {
      total: all.length,
      page,
      size,
      shop_order_list: all.slice(page * size, page * size + size).map((o) => ({
        order_id: bigNumber(o.orderId),
        order_status: o.orderStatus,
        pay_amount: o.payAmountFen,
        create_time: o.createTime,
        update_time: o.updateTime,
        sku_order_list: o.items.map((it) => ({ product_id: bigNumber(it.productId), sku_id: bigNumber(it.skuId), item_num: it.num, out_sku_id: '', code: '' })),
      })),
    };
  }

  // ---- control API ----

  private handleAdmin(method: string, url: URL, raw: string, res: ServerResponse): void {
    const reply = (status: number, body: unknown) => sendJson(res, status, body);
    try {
      const body = raw ? JSON.parse(raw) : {};
      switch (`${method} ${url.pathname}`) {
        case 'PUT /__admin/scenario':
          this.setScenario(Array.isArray(body) ? body : (body.rules ?? [body]), url.searchParams.get('append') === '1');
          return reply(200, { rules: this.scenario.rules });
        case 'GET /__admin/scenario':
          return reply(200, { rules: this.scenario.rules });
        case 'DELETE /__admin/scenario':
          this.scenario.clear();
          return reply(200, { rules: [] });
        case 'PUT /__admin/stock':
          this.setStock(String(body.productId), String(body.skuId), Number(body.stock), {
            title: body.title == null ? undefined : String(body.title),
            code: body.code == null ? undefined : String(body.code),
          });
          return reply(200, { ok: true });
        case 'GET /__admin/stock':
          return reply(200, { stock: Object.fromEntries(this.stock), idempotent: Object.fromEntries(this.applied) });
        case 'POST /__admin/orders':
          return reply(200, { order: this.placeOrder(body.items ?? [], body.payAmountFen ?? 0) });
        case 'POST /__admin/orders/status':
          return reply(200, { order: this.setOrderStatus(String(body.orderId), Number(body.status)) });
        case 'GET /__admin/orders':
          return reply(200, { orders: this.listOrders() });
        case 'POST /__admin/clock':
          if (typeof body.setMs === 'number') this.clock.set(body.setMs);
          else if (typeof body.advanceSeconds === 'number') this.advance(body.advanceSeconds);
          else return reply(400, { error: 'advanceSeconds or setMs' });
          return reply(200, { nowMs: this.now() });
        case 'GET /__admin/clock':
          return reply(200, { nowMs: this.now() });
        case 'POST /__admin/tokens/expire':
          this.expireTokens();
          return reply(200, { ok: true });
        case 'GET /__admin/requests':
          return reply(200, { requests: this.log });
        case 'GET /__admin/config':
          return reply(200, this.clientConfig());
        case 'POST /__admin/reset':
          this.reset();
          return reply(200, { ok: true });
        default:
          return reply(404, { error: `no admin route ${method} ${url.pathname}` });
      }
    } catch (e) {
      if (e instanceof Refusal) return reply(409, { code: e.code, sub_code: e.subCode, error: e.message });
      return reply(400, { error: e instanceof Error ? e.message : String(e) });
    }
  }
}

async function main(): Promise<void> {
  const fake = await DoudianFake.start({ port: Number(cliArg('--port') ?? 8711), appSecret: cliArg('--app-secret'), callsPerSecond: Number(cliArg('--calls-per-second') ?? 0) });
  console.log(`Doudian (抖店) simulator on ${fake.url} (Ctrl+C to stop)`);
  console.log(`  app_key ${fake.appKey}  app_secret ${fake.appSecret}  shop_id ${fake.shopId}`);
  console.log(`  control API: ${fake.url}/__admin/{scenario,stock,orders,clock,tokens/expire,requests,config,reset}`);
  closeOnSignals(fake);
}

runIfMain(import.meta.url, main);
