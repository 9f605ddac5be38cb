// A local Youzan (有赞云) simulator (PLATFORMS.md §1, §0): a real HTTP server on 127.0.0.1 with the
// token endpoint (silent, authorization_code, refresh_token), /api/{name}/{version}?access_token=…,
// errors as HTTP 200 with gw_err_resp / error_response / {success:false}, items with SKU stock
// (youzan.item.quantity.update type 0 overwrites, type 1 adds, never below 0), trades including
// self-pickup ones (youzan.trades.sold.get by update time, Beijing 'YYYY-MM-DD HH:mm:ss', page_no ≤ 100),
// a per-second rate limit, and faults through a control API. Runnable on its own:
//   node --import tsx tests/fakes/youzan.ts --port 8712
//
// Control API (JSON bodies):
//   PUT    /__admin/scenario  {"rules":[Rule…]} replaces the queue (?append=1 appends); GET reads; DELETE clears
//   PUT    /__admin/stock     {"itemId":"…","skuId":"…"|null,"stock":12} sets a SKU's stock (creates it)
//                             (optional "title", "barcode", "code" (商家编码) for the item lists)
//   GET    /__admin/stock     every SKU's stock and how many stock updates were applied
//   POST   /__admin/orders    {"items":[{"itemId","skuId","num"}],"payment":"12.50","expressType":0|1|2,"buyerPhone"?,"receiverName"?,"balanceDue"?} a customer
//                             orders (WAIT_SELLER_SEND_GOODS, stock taken); POST /__admin/orders/status {"tid","status"}
//   GET    /__admin/orders    every trade (a self-pickup trade, expressType 1, carries its selfFetchCode)
//   POST   /__admin/clock     {"advanceSeconds":n} or {"setMs":…}; GET reads it
//   POST   /__admin/tokens/expire   every access token issued so far stops working
//   GET    /__admin/requests  the last requests;  GET /__admin/config;  POST /__admin/reset
// Item lists: youzan.items.onsale.get 3.0.0 (page_no from 1, page_size ≤ 300) and youzan.item.get 3.0.0
// (item_id → item with skus[{sku_id, item_no, barcode, quantity}]); SKU field names are UNVERIFIED.
// Rule (first match used; `times` counts down, 0 = every call): op?: quantity|trades|items|token|any, api?: one API's calls only
//   fault: timeout (answer held delayMs, default 30000) | drop (connection destroyed) — both applied unless
//          apply:false | server_error (HTTP 502) | rate_limited (gw_err_resp 4101) — not applied unless
//          apply:true | token_expired (gw_err_resp 4202) | malformed (HTTP 200, not JSON; applied)
// Gateway codes per PLATFORMS.md §0.6; the rate-limit code is UNVERIFIED (§1.7 guesses 20001).
import { randomBytes, randomInt } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { parseYouzanTime, youzanTime, YOUZAN_BALANCE_DUE_FIELD, YOUZAN_GW } from '../../electron/sync/youzan/wire';
import { YOUZAN_MEMBER_API_KEYS, YouzanMembersError, YouzanMembersFake } from './youzan-members';
import { cliArg, closeOnSignals, HttpFake, pushCapped, readBody, RuleQueue, runIfMain, sendJson } from './http-fake';

const ruleSchema = z.object({
  op: z.enum(['quantity', 'trades', 'items', 'members', 'token', 'any']).optional(),
  times: z.number().int().min(0).default(1),
  fault: z.enum(['timeout', 'drop', 'server_error', 'rate_limited', 'token_expired', 'malformed']),
  apply: z.boolean().optional(),
  delayMs: z.number().int().min(0).optional(),
  /** Only calls of this API (e.g. youzan.trade.selffetchcode.apply), within `op`. */
  api: z.string().optional(),
});
export type YouzanRule = z.input<typeof ruleSchema>;
type Rule = z.output<typeof ruleSchema>;
type Op = 'quantity' | 'trades' | 'items' | 'members' | 'token';

export interface YouzanFakeTrade {
  tid: string;
  status: string;
  expressType: number;
  payment: string; // yuan, as Youzan writes it
  created: number; // ms
  updated: number;
  items: { itemId: string; skuId: string | null; num: number }[];
  /** The buyer's phone and the receiver's name (buyer_info.buyer_phone, address_info.receiver_name). */
  buyerPhone?: string;
  receiverName?: string;
  /** Self-pickup trades (expressType 1): the customer's pickup code (自提码) and whether it was verified. */
  selfFetchCode?: string;
  selfFetchVerified?: boolean;
  /** Cash on delivery / a balance left to pay (货到付款 / 尾款), yuan; in pay_info under YOUZAN_BALANCE_DUE_FIELD (UNVERIFIED). */
  balanceDue?: string;
}

export interface YouzanFakeOptions {
  port?: number;
  clientId?: string;
  clientSecret?: string;
  kdtId?: string;
  now?: () => number;
  /** Calls a second allowed (on the fake's clock) before gw_err_resp 4101; 0 = no limit. */
  callsPerSecond?: number;
}

class GwError extends Error {
  constructor(
    readonly errCode: number,
    msg: string,
  ) {
    super(msg);
  }
}
class BizError extends Error {
  constructor(
    readonly code: number,
    msg: string,
  ) {
    super(msg);
  }
}

const TRADE_APIS = ['youzan.item.quantity.update:3.0.0', 'youzan.trades.sold.get:4.0.0', 'youzan.items.onsale.get:3.0.0', 'youzan.item.get:3.0.0'];
const SELF_FETCH_APIS = ['youzan.trade.selffetchcode.get:3.0.0', 'youzan.trade.selffetchcode.apply:3.0.0'];
const TOKEN_MS = 2 * 3600_000; // UNVERIFIED (evidence C): 2 h access, 30 d refresh
const REFRESH_MS = 30 * 24 * 3600_000;

export class YouzanFake extends HttpFake {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly kdtId: string;
  callsPerSecond: number;
  private scenario = new RuleQueue<YouzanRule, Rule>((r) => ruleSchema.parse(r));
  private tokens = new Map<string, number>();
  private refreshTokens = new Map<string, number>();
  private stock = new Map<string, number>(); // `${itemId}:${skuId ?? ''}`
  /** Customers and points (./youzan-members.ts; op 'members', admin /__admin/customers and /__admin/points). */
  readonly members = new YouzanMembersFake(() => this.now());
  /** Title, barcode and 商家编码 of a SKU (same key), for the item lists. */
  private meta = new Map<string, { title?: string; barcode?: string; code?: string }>();
  /** Stock updates applied (absolute ones carry no idempotency key: a repeat applies again, harmlessly). */
  stockUpdates = 0;
  private trades = new Map<string, YouzanFakeTrade>();
  private window = { second: -1, calls: 0 };
  private log: { at: number; path: string; result: string; fault?: string }[] = [];

  private constructor(opts: YouzanFakeOptions) {
    super(opts.now);
    this.clientId = opts.clientId ?? `fake${randomBytes(6).toString('hex')}`;
    this.clientSecret = opts.clientSecret ?? randomBytes(16).toString('hex');
    this.kdtId = opts.kdtId ?? '40000001';
    this.callsPerSecond = opts.callsPerSecond ?? 0;
  }

  static async start(opts: YouzanFakeOptions = {}): Promise<YouzanFake> {
    return new YouzanFake(opts).listen(opts.port);
  }

  clientConfig(): { baseUrl: string; clientId: string; clientSecret: string; grantId: string } {
    return { baseUrl: this.url, clientId: this.clientId, clientSecret: this.clientSecret, grantId: this.kdtId };
  }

  setScenario(rules: YouzanRule | YouzanRule[], append = false): void {
    this.scenario.set(rules, append);
  }

  setStock(itemId: string, skuId: string | null, stock: number, meta?: { title?: string; barcode?: string; code?: string }): void {
    this.stock.set(`${itemId}:${skuId ?? ''}`, stock);
    if (meta) this.meta.set(`${itemId}:${skuId ?? ''}`, meta);
  }

  getStock(itemId: string, skuId: string | null): number | undefined {
    return this.stock.get(`${itemId}:${skuId ?? ''}`);
  }

  expireTokens(): void {
    for (const k of this.tokens.keys()) this.tokens.set(k, 0);
  }

  /** A customer orders (paid, waiting to be sent or picked up): stock is taken at once. */
  placeOrder(items: { itemId: string; skuId: string | null; num: number }[], opts: { payment?: string; expressType?: number; buyerPhone?: string; receiverName?: string; balanceDue?: string } = {}): YouzanFakeTrade {
    for (const it of items) {
      const have = this.stock.get(`${it.itemId}:${it.skuId ?? ''}`);
      if (have === undefined || have < it.num) throw new BizError(141500101, '库存不足');
    }
    for (const it of items) this.stock.set(`${it.itemId}:${it.skuId ?? ''}`, this.stock.get(`${it.itemId}:${it.skuId ?? ''}`)! - it.num);
    const now = Math.floor(this.now() / 1000) * 1000;
    const trade: YouzanFakeTrade = {
      tid: `E${youzanTime(now).replace(/\D/g, '')}${String(randomInt(1e8)).padStart(8, '0')}`,
      status: 'WAIT_SELLER_SEND_GOODS',
      expressType: opts.expressType ?? 0,
      payment: opts.payment ?? '0.00',
      created: now,
      updated: now,
      items: structuredClone(items),
      ...(opts.buyerPhone ? { buyerPhone: opts.buyerPhone } : {}),
      ...(opts.receiverName ? { receiverName: opts.receiverName } : {}),
      ...(opts.balanceDue ? { balanceDue: opts.balanceDue } : {}),
      ...(opts.expressType === 1 ? { selfFetchCode: this.newSelfFetchCode(), selfFetchVerified: false } : {}),
    };
    this.trades.set(trade.tid, trade);
    return structuredClone(trade);
  }

  setTradeStatus(tid: string, status: string): YouzanFakeTrade {
    const t = this.trades.get(tid);
    if (!t) throw new BizError(50000, '订单不存在');
    t.status = status;
    t.updated = Math.max(t.updated, Math.floor(this.now() / 1000) * 1000);
    return structuredClone(t);
  }

  listTrades(): YouzanFakeTrade[] {
    return [...this.trades.values()].map((t) => structuredClone(t));
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
    this.stockUpdates = 0;
    this.trades.clear();
    this.members.reset();
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
    const api = /^\/api\/([\w.]+)\/([\d.]+)$/.exec(url.pathname);
    const version = api?.[2] ?? '';
    try {
      if (req.method !== 'POST') throw new GwError(YOUZAN_GW.unknownApi, '只接受 POST');
      let params: Record<string, any>;
      try {
        params = JSON.parse(raw);
        if (!params || typeof params !== 'object' || Array.isArray(params)) throw new Error();
      } catch {
        throw new BizError(40001, '请求体不是 JSON 对象');
      }
      const op: Op =
        url.pathname === '/auth/token' ? 'token' : YOUZAN_MEMBER_API_KEYS.has(`${api?.[1]}:${api?.[2]}`) ? 'members' : api?.[1] === 'youzan.item.quantity.update' ? 'quantity' : api?.[1]?.startsWith('youzan.item') ? 'items' : 'trades';
      if (op !== 'token') {
        if (!api || (![...TRADE_APIS, ...SELF_FETCH_APIS].includes(`${api[1]}:${api[2]}`) && op !== 'members'))
          throw new GwError(YOUZAN_GW.unknownApi, `API ${url.pathname} 不存在`);
        const token = url.searchParams.get('access_token');
        if (!token) throw new GwError(YOUZAN_GW.noToken, '缺少 access_token');
        const exp = this.tokens.get(token);
        if (exp === undefined) throw new GwError(YOUZAN_GW.unknownToken, 'access_token 不存在');
        if (exp <= this.now()) throw new GwError(YOUZAN_GW.expiredToken, 'access_token 已过期');
      }
      rule = this.scenario.take(op, (r) => r.api === undefined || r.api === api?.[1]);
      if (rule?.fault === 'token_expired') throw new GwError(YOUZAN_GW.expiredToken, 'access_token 已过期');
      const notApplied = (rule?.fault === 'server_error' || rule?.fault === 'rate_limited') && !rule.apply;
      if (rule?.fault === 'rate_limited' && notApplied) throw new GwError(YOUZAN_GW.rateLimited, '调用频率超过限制');
      if (op !== 'token') this.checkRate();
      const result = notApplied || rule?.apply === false ? {} : op === 'members' ? this.members.route(api![1], params) : this.route(op, { ...params, __api: api?.[1] });
      if (rule?.fault === 'rate_limited') throw new GwError(YOUZAN_GW.rateLimited, '调用频率超过限制');
      body = op === 'token' ? { success: true, code: 200, message: 'success', data: result } : version.startsWith('3.') ? { response: result } : { success: true, code: 200, message: 'successful', data: result };
    } catch (e) {
      if (e instanceof GwError) body = { gw_err_resp: { err_code: e.errCode, err_msg: e.message } };
      else if (e instanceof BizError || e instanceof YouzanMembersError)
        body = url.pathname === '/auth/token' || !version.startsWith('3.') ? { success: false, code: e.code, message: e.message } : { error_response: { code: e.code, msg: e.message } };
      else body = { success: false, code: 500, message: `模拟器内部错误：${(e as Error).message}` };
    }
    pushCapped(this.log, { at: this.now(), path: url.pathname, result: JSON.stringify(body).slice(0, 160), fault: rule?.fault }, 5000);

    this.deliver(req, res, rule, () => {
      if (rule?.fault === 'server_error') {
        res.writeHead(502, { 'Content-Type': 'text/html' });
        return void res.end('<html>502 Bad Gateway</html>');
      }
      res.writeHead(200, { 'Content-Type': 'application/json;charset=UTF-8' }); // errors too: HTTP 200
      res.end(rule?.fault === 'malformed' ? '{"response":' : JSON.stringify(body));
    });
  }

  private checkRate(): void {
    if (!this.callsPerSecond) return;
    const second = Math.floor(this.now() / 1000);
    if (second !== this.window.second) this.window = { second, calls: 0 };
    if (++this.window.calls > this.callsPerSecond) throw new GwError(YOUZAN_GW.rateLimited, '调用频率超过限制');
  }

  private route(op: Op, p: Record<string, any>): Record<string, unknown> {
    if (op === 'token') return this.token(p);
    if (op === 'quantity') return this.quantity(p);
    if (op === 'items') return p.item_id === undefined ? this.itemsOnsale(p) : this.itemGet(p);
    if (p.__api === 'youzan.trade.selffetchcode.get') return this.selfFetchGet(p);
    if (p.__api === 'youzan.trade.selffetchcode.apply') return this.selfFetchApply(p);
    return this.tradesSold(p);
  }

  // ---- self-pickup codes (自提码), PLATFORMS.md §1.6/§1.7/§0.6 ----
  // youzan.trade.selffetchcode.get 3.0.0 {code} → {code, status 0|1, tid, trade{tid, status, kdt_id}};
  // youzan.trade.selffetchcode.apply 3.0.0 {code, extra_info?} → {is_success}: the first call verifies
  // the code and moves the trade to TRADE_SUCCESS; a second one answers 50000 不能重复核销订单!; a code
  // that does not exist (or is another shop's) answers 50000 自提码不存在; a closed trade cannot be verified.
  private newSelfFetchCode(): string {
    for (;;) {
      const code = String(randomInt(1e8, 1e9)); // 9 digits: no GTIN, no payment code (format UNVERIFIED)
      if (![...this.trades.values()].some((t) => t.selfFetchCode === code)) return code;
    }
  }

  private tradeOfCode(code: unknown): YouzanFakeTrade {
    const t = [...this.trades.values()].find((x) => x.selfFetchCode !== undefined && x.selfFetchCode === String(code ?? ''));
    if (!t) throw new BizError(50000, '自提码不存在');
    return t;
  }

  private selfFetchGet(p: Record<string, any>): Record<string, unknown> {
    const t = this.tradeOfCode(p.code);
    return { code: t.selfFetchCode, status: t.selfFetchVerified ? 1 : 0, tid: t.tid, trade: { tid: t.tid, status: t.status, kdt_id: Number(this.kdtId) } };
  }

  private selfFetchApply(p: Record<string, any>): Record<string, unknown> {
    const t = this.tradeOfCode(p.code);
    if (t.selfFetchVerified) throw new BizError(50000, '不能重复核销订单!');
    if (t.status === 'TRADE_CLOSED' || t.status === 'TRADE_CLOSE' || t.status === 'TRADE_REFUND') throw new BizError(50000, '订单已关闭，不能核销');
    t.selfFetchVerified = true;
    t.status = 'TRADE_SUCCESS';
    t.updated = Math.max(t.updated, Math.floor(this.now() / 1000) * 1000);
    return { is_success: true };
  }

  private token(p: Record<string, any>): Record<string, unknown> {
    if (p.client_id !== this.clientId || p.client_secret !== this.clientSecret) throw new BizError(40001, 'client_id 或 client_secret 不对');
    if (p.authorize_type === 'silent') {
      if (String(p.grant_id) !== this.kdtId) throw new BizError(40001, 'grant_id 不是授权的店铺');
    } else if (p.authorize_type === 'refresh_token') {
      const exp = this.refreshTokens.get(String(p.refresh_token));
      if (exp === undefined || exp <= this.now()) throw new BizError(40003, 'refresh_token 无效或已过期');
      this.refreshTokens.delete(String(p.refresh_token));
    } else if (p.authorize_type !== 'authorization_code' || !p.code) throw new BizError(40001, 'authorize_type 不支持');
    const access = randomBytes(16).toString('hex');
    const expires = this.now() + TOKEN_MS;
    this.tokens.set(access, expires);
    const out: Record<string, unknown> = { access_token: access, expires, scope: 'item trade', authority_id: this.kdtId };
    if (p.refresh === true || p.authorize_type !== 'silent') {
      const refresh = randomBytes(16).toString('hex');
      this.refreshTokens.set(refresh, this.now() + REFRESH_MS);
      out.refresh_token = refresh;
    }
    return out;
  }

  private quantity(p: Record<string, any>): Record<string, unknown> {
    if (p.item_id === undefined || typeof p.quantity !== 'number' || !Number.isInteger(p.quantity)) throw new BizError(40001, 'item_id 与整数 quantity 必填');
    const key = `${p.item_id}:${p.sku_id ?? ''}`;
    const have = this.stock.get(key);
    if (have === undefined) throw new BizError(141500100, '商品或 SKU 不存在');
    const next = Number(p.type ?? 0) === 1 ? have + p.quantity : p.quantity;
    if (next < 0) throw new BizError(141500101, '库存不能小于 0');
    this.stock.set(key, next);
    this.stockUpdates++;
    return { is_success: true };
  }

  /** Items as ids → their SKU keys (an item without SKUs has the one key `${itemId}:`). */
  private items(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const key of [...this.stock.keys()].sort()) {
      const itemId = key.slice(0, key.indexOf(':'));
      out.set(itemId, [...(out.get(itemId) ?? []), key]);
    }
    return out;
  }

  private itemsOnsale(p: Record<string, any>): Record<string, unknown> {
    const pageNo = Number(p.page_no ?? 1);
    const pageSize = Number(p.page_size ?? 40);
    if (pageNo < 1 || pageSize < 1 || pageSize > 300) throw new BizError(40001, 'page_no 从 1 起，page_size 须在 1 到 300 之间');
    const all = [...this.items()].map(([itemId, keys]) => ({
      item_id: Number(itemId),
      title: this.meta.get(keys[0])?.title ?? `商品 ${itemId}`,
      item_no: keys.length === 1 ? (this.meta.get(keys[0])?.code ?? '') : '',
      quantity: keys.reduce((n, k) => n + (this.stock.get(k) ?? 0), 0),
    }));
    return { count: all.length, items: all.slice((pageNo - 1) * pageSize, pageNo * pageSize) };
  }

  private itemGet(p: Record<string, any>): Record<string, unknown> {
    const keys = this.items().get(String(p.item_id));
    if (!keys) throw new BizError(141500100, '商品不存在');
    const itemKey = keys.find((k) => k.endsWith(':'));
    const m = this.meta.get(itemKey ?? keys[0]);
    const skus = keys
      .filter((k) => !k.endsWith(':'))
      .map((k) => ({ sku_id: Number(k.slice(k.indexOf(':') + 1)), item_no: this.meta.get(k)?.code ?? '', barcode: this.meta.get(k)?.barcode ?? '', quantity: this.stock.get(k) ?? 0 }));
    return {
      item: {
        item_id: Number(p.item_id),
        title: m?.title ?? `商品 ${String(p.item_id)}`,
        item_no: itemKey ? (m?.code ?? '') : '',
        barcode: itemKey ? (m?.barcode ?? '') : '',
        quantity: keys.reduce((n, k) => n + (this.stock.get(k) ?? 0), 0),
        skus,
      },
    };
  }

  private tradesSold(p: Record<string, any>): Record<string, unknown> {
    const pageNo = Number(p.page_no ?? 1);
    const pageSize = Number(p.page_size ?? 20);
    if (pageNo < 1 || pageNo > 100 || pageSize < 1 || pageSize > 100) throw new BizError(40001, 'page_no、page_size 须在 1 到 100 之间');
    if ((p.start_update === undefined) !== (p.end_update === undefined)) throw new BizError(40001, '开始时间和结束时间必须成对出现');
    const from = p.start_update === undefined ? 0 : parseYouzanTime(p.start_update);
    const to = p.end_update === undefined ? Infinity : parseYouzanTime(p.end_update);
    if (to <= from) throw new BizError(40001, '结束时间必须大于开始时间');
    const all = [...this.trades.values()].filter((t) => t.updated >= from && t.updated <= to).sort((a, b) => a.updated - b.updated || a.tid.localeCompare(b.tid));
    return {
      total_results: all.length,
      full_order_info_list: all.slice((pageNo - 1) * pageSize, pageNo * pageSize).map((t) => ({
        full_order_info: {
          order_info: { tid: t.tid, status: t.status, express_type: t.expressType, created: youzanTime(t.created), update_time: youzanTime(t.updated) },
          orders: t.items.map((it, i) => ({ oid: `${t.tid}-${i}`, item_id: Number(it.itemId), sku_id: it.skuId ? Number(it.skuId) : 0, num: it.num, outer_sku_id: '' })),
          pay_info: { payment: t.payment, ...(t.balanceDue ? { [YOUZAN_BALANCE_DUE_FIELD]: t.balanceDue } : {}) },
          ...(t.buyerPhone ? { buyer_info: { buyer_phone: t.buyerPhone } } : {}),
          ...(t.receiverName ? { address_info: { receiver_name: t.receiverName, receiver_tel: t.buyerPhone ?? '' } } : {}),
        },
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
          this.setStock(String(body.itemId), body.skuId == null ? null : String(body.skuId), Number(body.stock), {
            title: body.title == null ? undefined : String(body.title),
            barcode: body.barcode == null ? undefined : String(body.barcode),
            code: body.code == null ? undefined : String(body.code),
          });
          return reply(200, { ok: true });
        case 'GET /__admin/stock':
          return reply(200, { stock: Object.fromEntries(this.stock), stockUpdates: this.stockUpdates });
        case 'POST /__admin/orders':
          return reply(200, { trade: this.placeOrder(body.items ?? [], { payment: body.payment, expressType: body.expressType, buyerPhone: body.buyerPhone, receiverName: body.receiverName, balanceDue: body.balanceDue }) });
        case 'POST /__admin/orders/status':
          return reply(200, { trade: this.setTradeStatus(String(body.tid), String(body.status)) });
        case 'GET /__admin/orders':
          return reply(200, { trades: this.listTrades() });
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
        default: {
          const m = this.members.admin(`${method} ${url.pathname}`, body);
          return m === undefined ? reply(404, { error: `no admin route ${method} ${url.pathname}` }) : reply(200, m);
        }
      }
    } catch (e) {
      if (e instanceof BizError || e instanceof YouzanMembersError) return reply(409, { code: e.code, error: e.message });
      return reply(400, { error: e instanceof Error ? e.message : String(e) });
    }
  }
}

async function main(): Promise<void> {
  const fake = await YouzanFake.start({ port: Number(cliArg('--port') ?? 8712), clientSecret: cliArg('--client-secret') });
  console.log(`Youzan (有赞云) simulator on ${fake.url} (Ctrl+C to stop)`);
  console.log(`  client_id ${fake.clientId}  client_secret ${fake.clientSecret}  kdt_id ${fake.kdtId}`);
  console.log(`  control API: ${fake.url}/__admin/{scenario,stock,orders,clock,tokens/expire,requests,config,reset}`);
  closeOnSignals(fake);
}

runIfMain(import.meta.url, main);
