// A local Weidian (微店) simulator (PLATFORMS.md §5.2, §0): a real HTTP server on 127.0.0.1 with the
// token endpoint (GET /token?grant_type=client_credential&appkey&secret) and POST /api whose query
// string carries public={version, access_token, format, method} and param={…}, read from the raw query
// as sent. There is no signature on Weidian: the token is the only credential, so the fake checks the
// token (unknown or expired → status_code 10013). It keeps items/SKUs with stock (vdian.item.sku.update
// and vdian.item.update set it outright, never below 0), orders (vdian.order.list.get 1.1 by update
// time, page_size ≤ 200), a per-second rate limit, and faults through a control API. Weidian's stock
// update has no idempotency key; vdian.item.list.get lists the items on sale (answer fields UNVERIFIED, as in
// electron/sync/weidian/wire.ts); (an absolute figure repeats harmlessly); a customer's order placed
// through the control API is de-duplicated by its requestId. Codes the docs leave open come from
// WEIDIAN_CODES (UNVERIFIED) so the fake and client agree. Runnable on its own:
//   node --import tsx tests/fakes/weidian.ts --port 8714
//
// Control API (JSON bodies):
//   PUT    /__admin/scenario  {"rules":[Rule…]} replaces the queue (?append=1 appends); GET reads; DELETE clears
//   PUT    /__admin/stock     {"itemId":"…","skuId":"…"|null,"stock":12} sets a SKU's stock (creates it)
//   GET    /__admin/stock     every SKU's stock and how many stock updates were applied
//   POST   /__admin/orders    {"items":[{"itemId","skuId","quantity"}],"total":"12.50","expressType":0|1|2,"requestId"?}
//                             a customer orders (status pend, stock taken; a repeated requestId returns the first order)
//   POST   /__admin/orders/status {"orderId","status"};  GET /__admin/orders every order
//   POST   /__admin/clock     {"advanceSeconds":n} or {"setMs":…}; GET reads it
//   POST   /__admin/tokens/expire   every token issued so far stops working
//   PUT    /__admin/credentials {"refuse":true} the token endpoint refuses the app's appkey/secret (a reset secret)
//   GET    /__admin/requests  the last requests;  GET /__admin/config;  POST /__admin/reset
//   PUT    /__admin/item      {"itemId":"…","skuId":"…"|null,"title"?,"merchantCode"?} names an item/SKU for the item list
// Rule (first match used; `times` counts down, 0 = every call): op?: stock|orders|items|token|any
//   fault: timeout (answer held delayMs, default 30000) | drop (connection destroyed) — both applied unless
//          apply:false | server_error (HTTP 502) | rate_limited (status 10020) — not applied unless apply:true
//          | token_expired (10013) | malformed (HTTP 200, not JSON; applied) | duplicate (orders: each order
//          of the page twice) | out_of_order (orders: the page reversed, with an older copy of each order first)
import { randomBytes, randomInt } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { parseWeidianTime, WEIDIAN_CODES, weidianTime } from '../../electron/sync/weidian/wire';
import { cliArg, closeOnSignals, HttpFake, pushCapped, readBody, RuleQueue, runIfMain, sendJson } from './http-fake';

const ruleSchema = z.object({
  op: z.enum(['stock', 'orders', 'items', 'token', 'any']).optional(),
  times: z.number().int().min(0).default(1),
  fault: z.enum(['timeout', 'drop', 'server_error', 'rate_limited', 'token_expired', 'malformed', 'duplicate', 'out_of_order']),
  apply: z.boolean().optional(),
  delayMs: z.number().int().min(0).optional(),
});
export type WeidianRule = z.input<typeof ruleSchema>;
type Rule = z.output<typeof ruleSchema>;
type Op = 'stock' | 'orders' | 'items' | 'token';

export interface WeidianFakeOrder {
  orderId: string;
  status: string;
  expressType: number;
  total: string; // yuan
  addTime: number; // ms
  updateTime: number;
  items: { itemId: string; skuId: string | null; quantity: number }[];
}

export interface WeidianFakeOptions {
  port?: number;
  appKey?: string;
  secret?: string;
  now?: () => number;
  /** Calls a second allowed (on the fake's clock) before status 10020; 0 = no limit. */
  callsPerSecond?: number;
}

class ApiError extends Error {
  constructor(
    readonly code: number,
    msg: string,
  ) {
    super(msg);
  }
}

const TOKEN_SECONDS = 7200; // UNVERIFIED

export class WeidianFake extends HttpFake {
  readonly appKey: string;
  readonly secret: string;
  callsPerSecond: number;
  /** The token endpoint refuses the app (its secret was reset): a token that runs out cannot be renewed. */
  refuseCredentials = false;
  private scenario = new RuleQueue<WeidianRule, Rule>((r) => ruleSchema.parse(r));
  private tokens = new Map<string, number>();
  private stock = new Map<string, number>(); // `${itemId}:${skuId ?? ''}`
  private info = new Map<string, { title?: string; merchantCode?: string }>(); // same keys
  stockUpdates = 0;
  private orders = new Map<string, WeidianFakeOrder>();
  private orderRequests = new Map<string, string>(); // requestId → orderId
  private window = { second: -1, calls: 0 };
  private log: { at: number; path: string; method?: string; result: string; fault?: string }[] = [];

  private constructor(opts: WeidianFakeOptions) {
    super(opts.now);
    this.appKey = opts.appKey ?? String(600000 + randomInt(99999));
    this.secret = opts.secret ?? randomBytes(16).toString('hex');
    this.callsPerSecond = opts.callsPerSecond ?? 0;
  }

  static async start(opts: WeidianFakeOptions = {}): Promise<WeidianFake> {
    return new WeidianFake(opts).listen(opts.port);
  }

  clientConfig(): { baseUrl: string; appKey: string; secret: string } {
    return { baseUrl: this.url, appKey: this.appKey, secret: this.secret };
  }

  setScenario(rules: WeidianRule | WeidianRule[], append = false): void {
    this.scenario.set(rules, append);
  }

  setStock(itemId: string, skuId: string | null, stock: number): void {
    this.stock.set(`${itemId}:${skuId ?? ''}`, stock);
  }

  /** Names an item/SKU (title, 商家编码) for vdian.item.list.get. */
  setItemInfo(itemId: string, skuId: string | null, info: { title?: string; merchantCode?: string }): void {
    this.info.set(`${itemId}:${skuId ?? ''}`, info);
  }

  getStock(itemId: string, skuId: string | null): number | undefined {
    return this.stock.get(`${itemId}:${skuId ?? ''}`);
  }

  expireTokens(): void {
    for (const k of this.tokens.keys()) this.tokens.set(k, 0);
  }

  /** A customer orders (paid, waiting to be sent): stock is taken at once. A repeated requestId returns the first order. */
  placeOrder(items: { itemId: string; skuId: string | null; quantity: number }[], opts: { total?: string; expressType?: number; requestId?: string } = {}): WeidianFakeOrder {
    const before = opts.requestId ? this.orderRequests.get(opts.requestId) : undefined;
    if (before) return structuredClone(this.orders.get(before)!);
    for (const it of items) {
      const have = this.stock.get(`${it.itemId}:${it.skuId ?? ''}`);
      if (have === undefined || have < it.quantity) throw new ApiError(WEIDIAN_CODES.stockInvalid, '库存不足');
    }
    for (const it of items) this.stock.set(`${it.itemId}:${it.skuId ?? ''}`, this.stock.get(`${it.itemId}:${it.skuId ?? ''}`)! - it.quantity);
    const now = Math.floor(this.now() / 1000) * 1000;
    const order: WeidianFakeOrder = {
      orderId: `7${String(now / 1000).slice(-8)}${String(randomInt(1e6)).padStart(6, '0')}`,
      status: 'pend',
      expressType: opts.expressType ?? 0,
      total: opts.total ?? '0.00',
      addTime: now,
      updateTime: now,
      items: structuredClone(items),
    };
    this.orders.set(order.orderId, order);
    if (opts.requestId) this.orderRequests.set(opts.requestId, order.orderId);
    return structuredClone(order);
  }

  setOrderStatus(orderId: string, status: string): WeidianFakeOrder {
    const o = this.orders.get(orderId);
    if (!o) throw new ApiError(WEIDIAN_CODES.paramInvalid, '订单不存在');
    o.status = status;
    o.updateTime = Math.max(o.updateTime + 1000, Math.floor(this.now() / 1000) * 1000);
    return structuredClone(o);
  }

  listOrders(): WeidianFakeOrder[] {
    return [...this.orders.values()].map((o) => structuredClone(o));
  }

  requests(): typeof this.log {
    return this.log.slice();
  }

  reset(): void {
    this.scenario.clear();
    this.tokens.clear();
    this.stock.clear();
    this.info.clear();
    this.stockUpdates = 0;
    this.orders.clear();
    this.orderRequests.clear();
    this.refuseCredentials = false;
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
    let method: string | undefined;
    try {
      let op: Op;
      let pub: Record<string, any> = {};
      let param: Record<string, any> = {};
      if (url.pathname === '/token') {
        if (req.method !== 'GET') throw new ApiError(WEIDIAN_CODES.unknownMethod, '/token 只接受 GET');
        op = 'token';
      } else if (url.pathname === '/api') {
        if (req.method !== 'POST') throw new ApiError(WEIDIAN_CODES.unknownMethod, '/api 只接受 POST');
        // Read from the raw query string as sent (rule 0.1); both parts must be JSON objects.
        try {
          pub = JSON.parse(url.searchParams.get('public') ?? '');
          param = JSON.parse(url.searchParams.get('param') ?? '{}');
          if (!pub || typeof pub !== 'object' || !param || typeof param !== 'object') throw new Error();
        } catch {
          throw new ApiError(WEIDIAN_CODES.paramInvalid, 'public 或 param 不是 JSON');
        }
        method = String(pub.method);
        op = method === 'vdian.order.list.get' ? 'orders' : method === 'vdian.item.list.get' ? 'items' : 'stock';
        const allowed = ['vdian.item.sku.update:1.0', 'vdian.item.update:1.0', 'vdian.order.list.get:1.1', 'vdian.item.list.get:1.0'];
        if (!allowed.includes(`${pub.method}:${pub.version}`)) throw new ApiError(WEIDIAN_CODES.unknownMethod, `method ${pub.method} ${pub.version} 不存在`);
        const exp = typeof pub.access_token === 'string' ? this.tokens.get(pub.access_token) : undefined;
        if (exp === undefined || exp <= this.now()) throw new ApiError(WEIDIAN_CODES.tokenInvalid, 'access_token 无效或已过期');
      } else throw new ApiError(WEIDIAN_CODES.unknownMethod, `${url.pathname} 不存在`);

      rule = this.scenario.take(op);
      if (rule?.fault === 'token_expired') throw new ApiError(WEIDIAN_CODES.tokenInvalid, 'access_token 已过期');
      const notApplied = (rule?.fault === 'server_error' || rule?.fault === 'rate_limited') && !rule.apply;
      if (rule?.fault === 'rate_limited' && notApplied) throw new ApiError(WEIDIAN_CODES.rateLimited, '调用频率超过限制');
      if (op !== 'token') this.checkRate();
      let result: unknown = {};
      if (!(notApplied || rule?.apply === false)) {
        if (op === 'token') result = this.token(url.searchParams);
        else if (op === 'orders') result = this.orderList(param, rule);
        else if (op === 'items') result = this.itemList(param);
        else result = this.updateStock(method, param);
      }
      if (rule?.fault === 'rate_limited') throw new ApiError(WEIDIAN_CODES.rateLimited, '调用频率超过限制');
      body = { result, status: { status_code: 0, status_reason: '' } };
    } catch (e) {
      body = e instanceof ApiError ? { result: null, status: { status_code: e.code, status_reason: e.message } } : { result: null, status: { status_code: 1, status_reason: `模拟器内部错误：${(e as Error).message}` } };
    }
    pushCapped(this.log, { at: this.now(), path: url.pathname, method, result: JSON.stringify(body).slice(0, 160), fault: rule?.fault }, 5000);

    this.deliver(req, res, rule, () => {
      if (rule?.fault === 'server_error') {
        res.writeHead(502, { 'Content-Type': 'text/html' });
        return void res.end('<html>502 Bad Gateway</html>');
      }
      res.writeHead(200, { 'Content-Type': 'application/json;charset=UTF-8' });
      res.end(rule?.fault === 'malformed' ? '{"result":{"orders":[' : JSON.stringify(body));
    });
  }

  private checkRate(): void {
    if (!this.callsPerSecond) return;
    const second = Math.floor(this.now() / 1000);
    if (second !== this.window.second) this.window = { second, calls: 0 };
    if (++this.window.calls > this.callsPerSecond) throw new ApiError(WEIDIAN_CODES.rateLimited, '调用频率超过限制');
  }

  private token(q: URLSearchParams): Record<string, unknown> {
    if (q.get('grant_type') !== 'client_credential') throw new ApiError(WEIDIAN_CODES.paramInvalid, 'grant_type 必须是 client_credential');
    if (this.refuseCredentials || q.get('appkey') !== this.appKey || q.get('secret') !== this.secret) throw new ApiError(WEIDIAN_CODES.badCredentials, 'appkey 或 secret 不对');
    const access = randomBytes(16).toString('hex');
    this.tokens.set(access, this.now() + TOKEN_SECONDS * 1000);
    return { access_token: access, expire_in: TOKEN_SECONDS };
  }

  private updateStock(method: string | undefined, p: Record<string, any>): Record<string, unknown> {
    const itemId = p.itemid === undefined ? '' : String(p.itemid);
    const updates: { key: string; stock: unknown }[] =
      method === 'vdian.item.update'
        ? [{ key: `${itemId}:`, stock: p.stock }]
        : Array.isArray(p.skus) && p.skus.length > 0
          ? p.skus.map((s: any) => ({ key: `${itemId}:${s?.id ?? ''}`, stock: s?.stock }))
          : [];
    if (!itemId || updates.length === 0) throw new ApiError(WEIDIAN_CODES.paramInvalid, 'itemid 与 skus 必填');
    for (const u of updates) {
      if (typeof u.stock !== 'number' || !Number.isInteger(u.stock) || u.stock < 0) throw new ApiError(WEIDIAN_CODES.stockInvalid, '库存必须是不小于 0 的整数');
      if (!this.stock.has(u.key)) throw new ApiError(WEIDIAN_CODES.paramInvalid, '商品或型号不存在');
    }
    for (const u of updates) this.stock.set(u.key, u.stock as number);
    this.stockUpdates++;
    return { itemid: itemId };
  }

  /** Every item with stock, SKUs grouped under their item, in item id order (fields as wire.ts reads them, UNVERIFIED). */
  private itemList(p: Record<string, any>): Record<string, unknown> {
    const pageNum = Number(p.page_num ?? 1);
    const pageSize = Number(p.page_size ?? 30);
    if (!(pageNum >= 1) || !(pageSize >= 1 && pageSize <= 200)) throw new ApiError(WEIDIAN_CODES.paramInvalid, 'page_num 从 1 起，page_size 不超过 200');
    const byItem = new Map<string, { sku: string; stock: number }[]>();
    for (const [key, stock] of this.stock) {
      const [itemId, sku] = key.split(':');
      byItem.set(itemId, [...(byItem.get(itemId) ?? []), { sku, stock }]);
    }
    const ids = [...byItem.keys()].sort();
    const items = ids.slice((pageNum - 1) * pageSize, pageNum * pageSize).map((itemId) => {
      const entries = byItem.get(itemId)!;
      const plain = entries.find((e) => e.sku === '');
      const skus = entries.filter((e) => e.sku !== '');
      const head = this.info.get(`${itemId}:`) ?? {};
      return {
        itemid: itemId,
        item_name: head.title ?? `微店商品 ${itemId}`,
        stock: plain ? plain.stock : skus.reduce((n, e) => n + e.stock, 0),
        merchant_code: head.merchantCode ?? '',
        skus: skus.map((e) => {
          const i = this.info.get(`${itemId}:${e.sku}`) ?? {};
          return { id: e.sku, title: i.title ?? '', stock: e.stock, sku_merchant_code: i.merchantCode ?? '' };
        }),
      };
    });
    return { items, total_num: ids.length };
  }

  private orderList(p: Record<string, any>, rule: Rule | undefined): Record<string, unknown> {
    const pageNum = Number(p.page_num ?? 1);
    const pageSize = Number(p.page_size ?? 30);
    if (!(pageNum >= 1) || !(pageSize >= 1 && pageSize <= 200)) throw new ApiError(WEIDIAN_CODES.paramInvalid, 'page_num 从 1 起，page_size 不超过 200');
    const from = p.update_start === undefined ? 0 : parseWeidianTime(p.update_start);
    const to = p.update_end === undefined ? Infinity : parseWeidianTime(p.update_end);
    const all = [...this.orders.values()].filter((o) => o.updateTime >= from && o.updateTime <= to).sort((a, b) => a.updateTime - b.updateTime || a.orderId.localeCompare(b.orderId));
    const wire = (o: WeidianFakeOrder) => ({
      order_id: o.orderId,
      status: o.status,
      express_type: o.expressType,
      total: o.total,
      add_time: weidianTime(o.addTime),
      update_time: weidianTime(o.updateTime),
      items: o.items.map((it) => ({ item_id: it.itemId, sku_id: it.skuId ?? '', quantity: it.quantity, sku_merchant_code: '' })),
    });
    let page = all.slice((pageNum - 1) * pageSize, pageNum * pageSize).map(wire);
    if (rule?.fault === 'duplicate') page = page.flatMap((o) => [o, o]);
    if (rule?.fault === 'out_of_order')
      page = page.reverse().flatMap((o) => [{ ...o, status: 'unpay', update_time: weidianTime(parseWeidianTime(o.update_time) - 60_000) }, o]);
    return { orders: page, total_num: all.length };
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
          this.setStock(String(body.itemId), body.skuId == null ? null : String(body.skuId), Number(body.stock));
          return reply(200, { ok: true });
        case 'PUT /__admin/item':
          this.setItemInfo(String(body.itemId), body.skuId == null ? null : String(body.skuId), { title: body.title, merchantCode: body.merchantCode });
          return reply(200, { ok: true });
        case 'GET /__admin/stock':
          return reply(200, { stock: Object.fromEntries(this.stock), stockUpdates: this.stockUpdates });
        case 'POST /__admin/orders':
          return reply(200, { order: this.placeOrder(body.items ?? [], { total: body.total, expressType: body.expressType, requestId: body.requestId }) });
        case 'POST /__admin/orders/status':
          return reply(200, { order: this.setOrderStatus(String(body.orderId), String(body.status)) });
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
        case 'PUT /__admin/credentials':
          this.refuseCredentials = body.refuse === true;
          return reply(200, { refuse: this.refuseCredentials });
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
      if (e instanceof ApiError) return reply(409, { code: e.code, error: e.message });
      return reply(400, { error: e instanceof Error ? e.message : String(e) });
    }
  }
}

async function main(): Promise<void> {
  const fake = await WeidianFake.start({ port: Number(cliArg('--port') ?? 8714), secret: cliArg('--secret') });
  console.log(`Weidian (微店) simulator on ${fake.url} (Ctrl+C to stop)`);
  console.log(`  appkey ${fake.appKey}  secret ${fake.secret}`);
  console.log(`  control API: ${fake.url}/__admin/{scenario,stock,orders,clock,tokens/expire,credentials,requests,config,reset}`);
  closeOnSignals(fake);
}

runIfMain(import.meta.url, main);
