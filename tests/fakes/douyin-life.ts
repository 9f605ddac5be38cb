// A local Douyin 来客 (life services) group-buy voucher simulator (../shared/PLATFORMS.md §3, §0): a real
// HTTP server on 127.0.0.1 with the client_token endpoint and its limits, certificate/prepare → verify with
// a verify_token, cancel within 1 hour on a simulated clock, the short link that redirects to the long link
// whose `object_id` is prepare's `encrypted_data`, and faults through a control API. Runnable on its own:
//   node --import tsx tests/fakes/douyin-life.ts --port 8721
//
// Platform API (as PLATFORMS §3 describes it):
//   POST /oauth/client_token/                        JSON {client_key, client_secret, grant_type:"client_credential"}
//        token valid 2 h; a new token cuts the previous one to 5 more minutes; only the newest two are valid;
//        > 500 calls in 5 min → 10020; unknown client_key 10003; wrong secret 10013; bad params 10002
//   GET  /goodlife/v1/fulfilment/certificate/prepare/?poi_id&code|encrypted_data   header access-token
//   POST /goodlife/v1/fulfilment/certificate/verify/  JSON {verify_token, poi_id, encrypted_codes[]}
//   POST /goodlife/v1/fulfilment/certificate/cancel/  JSON {verify_id, certificate_id}
//   GET  /goodlife/v1/fulfilment/certificate/get/?encrypted_code   (status, for checking after an outage)
//   GET  /<shortId>/                                 the short link: 302 to https://www.douyin.com/…?object_id=…
// Envelope: {data:{…, error_code, description}, extra:{error_code, description, sub_error_code, sub_description, logid, now}}.
// Calls are not signed (the token is the only credential); the token is checked from the raw header.
//
// Control API (JSON):
//   POST   /__admin/vouchers   {title, unitValueFen, uses?, expiresInSeconds?} → {orderId, code, objectId, shortId, url}
//                              an order of `uses` certificates (a voucher for several uses)
//   PUT    /__admin/scenario   {"rules":[Rule…]} replaces the queue (?append=1 appends); GET reads; DELETE clears
//   POST   /__admin/clock      {"advanceSeconds":n} moves the fake's clock (token expiry, cancel window); GET reads it
//   GET    /__admin/state      orders, certificates, verifies applied (`appliedVerifies` counts codes redeemed)
//   POST   /__admin/forget-verify-tokens   every verify_token lapses (a retry after a long outage is refused)
//   POST   /__admin/push      {url, action: verify|verify_cancel|refund_success, certificateId?, badSignature?, duplicate?,
//                              challenge?} POSTs a webhook (life_trade_certificate_notify, or verify_webhook with a
//                              challenge) to `url` with Msg-Id and X-Douyin-Signature = sha1_hex(client_secret + raw body)
//   GET    /__admin/requests   the last requests;  POST /__admin/reset forgets everything
// Rule: {op: token|prepare|verify|cancel|get|any, times?=1, fault: timeout (applied, answer held delayMs,
//   default 30000, then sent) | drop (applied, connection destroyed) | server_error (500, not applied)
//   | rate_limited (28003018, not applied) | bad_token (2190002)}
//
// Codes not in PLATFORMS (marked UNVERIFIED there, §8): expired code, bad/stale verify_token, params that
// differ from the token's first verify. They are named constants below.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { cliArg, closeOnSignals, HttpFake, pushCapped, readBody, RuleQueue, runIfMain, sendJson } from './http-fake';

export const DOUYIN_ERR = {
  badParams: 10002,
  noClientKey: 10003,
  badSecret: 10013,
  tokenRateLimit: 10020,
  invalidToken: 2190002,
  rateLimited: 28003018,
  cancelWindow: 3000001,
  cancelWindowSub: 2034000910,
  alreadyUsed: 1208,
  // UNVERIFIED (PLATFORMS §8): no primary source gives these numbers.
  expired: 1209,
  notFound: 1206,
  badVerifyToken: 2034000301,
  paramsMismatch: 2034000302,
} as const;

const TOKEN_TTL_MS = 2 * 3600_000;
const TOKEN_BUFFER_MS = 5 * 60_000;
const TOKEN_RATE_WINDOW_MS = 5 * 60_000;
const TOKEN_RATE_MAX = 500;
const VERIFY_TOKEN_TTL_MS = 30 * 60_000; // UNVERIFIED: how long a prepare's verify_token may be used
export const CANCEL_WINDOW_MS = 3600_000;

type Op = 'token' | 'prepare' | 'verify' | 'cancel' | 'get';
interface Rule {
  op: Op | 'any';
  times: number;
  fault: 'timeout' | 'drop' | 'server_error' | 'rate_limited' | 'bad_token';
  delayMs?: number;
}
export type DouyinScenarioRule = Partial<Rule> & Pick<Rule, 'fault'>;

export interface FakeCertificate {
  certificateId: string;
  encryptedCode: string;
  code: string;
  state: 'unused' | 'used' | 'cancelled_back'; // cancelled_back: verified, then cancelled (usable again)
  verifyId: string | null;
  verifiedAt: number | null;
}
export interface FakeOrder {
  orderId: string;
  objectId: string;
  shortId: string;
  title: string;
  skuId: string;
  unitValueFen: number;
  startTime: number;
  expireTime: number;
  certificates: FakeCertificate[];
}
interface VerifyTokenState {
  token: string;
  orderId: string;
  issuedAt: number;
  /** The first verify sent with this token: its canonical params and its answer (replayed on a repeat). */
  first?: { params: string; answer: unknown };
}

class Refusal extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
    readonly sub = 0,
    readonly status = 200,
  ) {
    super(message);
  }
}

export class DouyinLifeFake extends HttpFake {
  readonly clientKey: string;
  readonly clientSecret: string;
  readonly poiId: string;
  private tokens: { token: string; issuedAt: number; expiresAt: number }[] = [];
  private tokenCalls: number[] = [];
  private orders = new Map<string, FakeOrder>();
  private verifyTokens = new Map<string, VerifyTokenState>();
  private scenario = new RuleQueue<DouyinScenarioRule, Rule>((r) => ({ op: r.op ?? 'any', times: r.times ?? 1, fault: r.fault, delayMs: r.delayMs }));
  private log: { at: number; method: string; path: string; op?: string; errorCode?: number; fault?: string }[] = [];
  /** Codes redeemed by verify calls that took effect (a replay does not count again). */
  appliedVerifies = 0;

  private constructor(opts: { clientKey?: string; clientSecret?: string; poiId?: string }) {
    super();
    this.clientKey = opts.clientKey ?? 'awtestclientkey0001';
    this.clientSecret = opts.clientSecret ?? randomBytes(16).toString('hex');
    this.poiId = opts.poiId ?? '7000000000000000001';
  }

  static async start(opts: { port?: number; clientKey?: string; clientSecret?: string; poiId?: string } = {}): Promise<DouyinLifeFake> {
    return new DouyinLifeFake(opts).listen(opts.port);
  }

  setScenario(rules: DouyinScenarioRule | DouyinScenarioRule[], append = false): void {
    this.scenario.set(rules, append);
  }

  /** A new order of `uses` certificates; its QR is the short link, its typed code the first certificate's code. */
  addVoucher(v: { title: string; unitValueFen: number; uses?: number; expiresInSeconds?: number }): { orderId: string; code: string; codes: string[]; objectId: string; shortId: string; url: string } {
    const orderId = `10${digits(17)}`;
    const objectId = randomBytes(24).toString('base64url');
    const shortId = randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 8);
    const certificates: FakeCertificate[] = Array.from({ length: v.uses ?? 1 }, () => ({
      certificateId: `72${digits(17)}`,
      encryptedCode: `CgYIASAHKAESLgos${randomBytes(18).toString('base64url')}`,
      code: `1${digits(14)}`,
      state: 'unused',
      verifyId: null,
      verifiedAt: null,
    }));
    const at = this.now();
    this.orders.set(orderId, {
      orderId, objectId, shortId, title: v.title, skuId: `17${digits(16)}`, unitValueFen: v.unitValueFen,
      startTime: at - 86_400_000, expireTime: at + (v.expiresInSeconds ?? 30 * 86_400) * 1000, certificates,
    });
    return { orderId, code: certificates[0].code, codes: certificates.map((c) => c.code), objectId, shortId, url: `https://v.douyin.com/${shortId}/` };
  }

  state(): { nowMs: number; appliedVerifies: number; orders: FakeOrder[] } {
    return { nowMs: this.now(), appliedVerifies: this.appliedVerifies, orders: [...this.orders.values()].map((o) => structuredClone(o)) };
  }

  requests() {
    return this.log.slice();
  }

  /**
   * Pushes a webhook to `url` as Douyin does (§3.4): a certificate event, or the URL check with a challenge.
   * `badSignature` signs with another secret; `duplicate` sends the same Msg-Id and body twice, concurrently.
   */
  async push(o: { url: string; action?: 'verify' | 'verify_cancel' | 'refund_success'; certificateId?: string; badSignature?: boolean; duplicate?: boolean; challenge?: number }): Promise<{ status: number; body: string }[]> {
    const cert = [...this.orders.values()].flatMap((ord) => ord.certificates.map((c) => ({ ord, c }))).find((x) => !o.certificateId || x.c.certificateId === o.certificateId);
    const body = o.challenge !== undefined
      ? JSON.stringify({ event: 'verify_webhook', client_key: this.clientKey, content: { challenge: o.challenge } })
      : JSON.stringify({
          event: 'life_trade_certificate_notify', client_key: this.clientKey, from_user_id: '', log_id: randomBytes(8).toString('hex'),
          content: JSON.stringify({ action: o.action ?? 'verify', certificate: { order_id: cert?.ord.orderId ?? '', certificate_id: cert?.c.certificateId ?? '', code: cert?.c.code ?? '', account_id: '7000000000000000000' } }),
        });
    const secret = o.badSignature ? `${this.clientSecret}x` : this.clientSecret;
    const headers = { 'Content-Type': 'application/json', 'Msg-Id': randomBytes(12).toString('hex'), 'X-Douyin-Signature': createHash('sha1').update(secret + body).digest('hex') };
    const once = async () => {
      const r = await fetch(o.url, { method: 'POST', headers, body });
      return { status: r.status, body: await r.text() };
    };
    return Promise.all(o.duplicate ? [once(), once()] : [once()]);
  }

  /** The platform forgets every verify_token (they lapsed during a long outage): a retry with one is refused. */
  forgetVerifyTokens(): void {
    this.verifyTokens.clear();
  }

  reset(): void {
    this.tokens = [];
    this.tokenCalls = [];
    this.orders.clear();
    this.verifyTokens.clear();
    this.scenario.clear();
    this.log = [];
    this.clock.reset();
    this.appliedVerifies = 0;
  }

  // ---- HTTP ----

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith('/__admin/')) return this.admin(method, url, raw, res);

    // The short link: a redirect to the long link (only object_id in it is stable).
    const short = /^\/([A-Za-z0-9_-]{6,16})\/?$/.exec(url.pathname);
    if (method === 'GET' && short) {
      const order = [...this.orders.values()].find((o) => o.shortId === short[1]);
      if (!order) {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        return void res.end('not found');
      }
      res.writeHead(302, { Location: `https://www.douyin.com/life/coupon/verify?object_id=${encodeURIComponent(order.objectId)}&enter_from=share` });
      return void res.end();
    }

    const entry: (typeof this.log)[number] = { at: this.now(), method, path: url.pathname };
    pushCapped(this.log, entry, 500);
    const op = opOf(method, url.pathname);
    entry.op = op ?? undefined;
    const rule = op ? this.scenario.take(op) : undefined;
    entry.fault = rule?.fault;

    let status = 200;
    let body: unknown;
    try {
      if (!op) throw new Refusal(DOUYIN_ERR.badParams, `未知接口 ${method} ${url.pathname}`, 0, 404);
      if (rule?.fault === 'server_error') throw new Refusal(-1, '系统错误', 0, 500);
      if (rule?.fault === 'rate_limited') throw new Refusal(DOUYIN_ERR.rateLimited, '请求太频繁，请稍后再试');
      if (op === 'token') body = this.clientToken(raw);
      else {
        if (rule?.fault === 'bad_token') throw new Refusal(DOUYIN_ERR.invalidToken, 'access_token 无效');
        this.checkToken(req.headers['access-token']);
        const json = method === 'POST' ? parseJson(raw) : {};
        if (op === 'prepare') body = this.envelope(this.prepare(url.searchParams));
        else if (op === 'verify') body = this.envelope(this.verify(json));
        else if (op === 'cancel') body = this.envelope(this.cancel(json));
        else body = this.envelope(this.get(url.searchParams));
      }
    } catch (e) {
      const r = e instanceof Refusal ? e : new Refusal(-1, e instanceof Error ? e.message : String(e), 0, 500);
      status = r.status;
      entry.errorCode = r.errorCode;
      body = op === 'token'
        ? { data: { access_token: '', expires_in: 0, error_code: r.errorCode, description: r.message }, message: 'error' }
        : { data: { error_code: r.errorCode, description: r.message }, extra: this.extra(r.errorCode, r.message, r.sub) };
    }
    this.deliver(req, res, rule, () => sendJson(res, status, body));
  }

  private extra(errorCode: number, description: string, sub = 0) {
    return { error_code: errorCode, description, sub_error_code: sub, sub_description: sub ? description : '', logid: `2026${randomBytes(12).toString('hex')}`, now: Math.floor(this.now() / 1000) };
  }

  private envelope(data: Record<string, unknown>) {
    return { data: { ...data, error_code: 0, description: '' }, extra: this.extra(0, '') };
  }

  // ---- token ----

  private clientToken(raw: Buffer) {
    const at = this.now();
    this.tokenCalls = this.tokenCalls.filter((t) => t > at - TOKEN_RATE_WINDOW_MS);
    this.tokenCalls.push(at);
    if (this.tokenCalls.length > TOKEN_RATE_MAX) throw new Refusal(DOUYIN_ERR.tokenRateLimit, '调用频率超限（5 分钟内超过 500 次）');
    const b = parseJson(raw);
    if (typeof b.client_key !== 'string' || typeof b.client_secret !== 'string' || b.grant_type !== 'client_credential') {
      throw new Refusal(DOUYIN_ERR.badParams, '参数错误');
    }
    if (b.client_key !== this.clientKey) throw new Refusal(DOUYIN_ERR.noClientKey, 'client_key 不存在');
    if (b.client_secret !== this.clientSecret) throw new Refusal(DOUYIN_ERR.badSecret, 'client_key 或 client_secret 错误');
    // The previous newest token lives 5 more minutes; anything older than the newest two is gone.
    const prev = this.tokens[this.tokens.length - 1];
    if (prev) prev.expiresAt = Math.min(prev.expiresAt, at + TOKEN_BUFFER_MS);
    const token = `clt.${randomBytes(20).toString('hex')}`;
    this.tokens.push({ token, issuedAt: at, expiresAt: at + TOKEN_TTL_MS });
    this.tokens = this.tokens.slice(-2);
    return { data: { access_token: token, expires_in: TOKEN_TTL_MS / 1000, error_code: 0, description: '' }, message: 'success' };
  }

  private checkToken(header: string | string[] | undefined): void {
    const token = Array.isArray(header) ? header[0] : header;
    const t = this.tokens.find((x) => x.token === token);
    if (!t || this.now() >= t.expiresAt) throw new Refusal(DOUYIN_ERR.invalidToken, 'access_token 无效或已过期');
  }

  // ---- vouchers ----

  private orderOf(q: URLSearchParams): FakeOrder {
    const code = q.get('code');
    const enc = q.get('encrypted_data');
    if ((code === null) === (enc === null) || !(code || enc)) throw new Refusal(DOUYIN_ERR.badParams, 'code 与 encrypted_data 须且只能传一个');
    const order = [...this.orders.values()].find((o) => (enc ? o.objectId === enc : o.certificates.some((c) => c.code === code)));
    if (!order) throw new Refusal(DOUYIN_ERR.notFound, '券码不存在');
    return order;
  }

  private prepare(q: URLSearchParams) {
    if (q.get('poi_id') !== this.poiId) throw new Refusal(DOUYIN_ERR.badParams, '门店 poi_id 错误');
    const order = this.orderOf(q);
    if (this.now() > order.expireTime) throw new Refusal(DOUYIN_ERR.expired, '券码已过期');
    const usable = order.certificates.filter((c) => c.state !== 'used');
    if (!usable.length) throw new Refusal(DOUYIN_ERR.alreadyUsed, '券码已核销');
    const token = `vt${randomBytes(16).toString('hex')}`;
    this.verifyTokens.set(token, { token, orderId: order.orderId, issuedAt: this.now() });
    return {
      verify_token: token,
      order_id: order.orderId,
      certificates: usable.map((c) => ({
        certificate_id: c.certificateId,
        encrypted_code: c.encryptedCode,
        start_time: Math.floor(order.startTime / 1000),
        expire_time: Math.floor(order.expireTime / 1000),
        amount: { original_amount: order.unitValueFen, pay_amount: order.unitValueFen, list_market_amount: order.unitValueFen, coupon_pay_amount: order.unitValueFen },
        sku: { sku_id: order.skuId, title: order.title, third_sku_id: '', groupon_type: 1, market_price: order.unitValueFen, account_id: '7000000000000000000' },
      })),
    };
  }

  private verify(b: Record<string, unknown>) {
    const token = typeof b.verify_token === 'string' ? b.verify_token : '';
    const vt = this.verifyTokens.get(token);
    const codes = Array.isArray(b.encrypted_codes) ? b.encrypted_codes.filter((c): c is string => typeof c === 'string') : [];
    const params = JSON.stringify({ verify_token: token, poi_id: b.poi_id, encrypted_codes: codes });
    if (!vt) throw new Refusal(DOUYIN_ERR.badVerifyToken, 'verify_token 无效');
    // The one exception to "a fresh verify_token per verify": a retry with the same token and params gets the first answer.
    if (vt.first) {
      if (vt.first.params !== params) throw new Refusal(DOUYIN_ERR.paramsMismatch, '重试验券须使用与首次相同的参数');
      return vt.first.answer as Record<string, unknown>;
    }
    if (this.now() - vt.issuedAt > VERIFY_TOKEN_TTL_MS) throw new Refusal(DOUYIN_ERR.badVerifyToken, 'verify_token 已过期，请重新验券准备');
    if (b.poi_id !== this.poiId) throw new Refusal(DOUYIN_ERR.badParams, '门店 poi_id 错误');
    if (!codes.length || codes.length > 100) throw new Refusal(DOUYIN_ERR.badParams, 'encrypted_codes 不能为空');
    const order = this.orders.get(vt.orderId)!;
    const at = this.now();
    const verify_results = codes.map((enc) => {
      const c = order.certificates.find((x) => x.encryptedCode === enc);
      if (!c) return { result: DOUYIN_ERR.notFound, msg: '券码不存在', code: '', verify_id: '', certificate_id: '', order_id: order.orderId };
      if (c.state === 'used') return { result: DOUYIN_ERR.alreadyUsed, msg: '券码已核销', code: '', verify_id: '', certificate_id: c.certificateId, order_id: order.orderId };
      if (at > order.expireTime) return { result: DOUYIN_ERR.expired, msg: '券码已过期', code: '', verify_id: '', certificate_id: c.certificateId, order_id: order.orderId };
      c.state = 'used';
      c.verifyId = `70${digits(17)}`;
      c.verifiedAt = at;
      this.appliedVerifies++;
      return { result: 0, msg: '', code: c.code, verify_id: c.verifyId, certificate_id: c.certificateId, order_id: order.orderId, origin_code: c.code, account_id: '7000000000000000000' };
    });
    const answer = { verify_results };
    vt.first = { params, answer };
    return answer;
  }

  private cancel(b: Record<string, unknown>) {
    const verifyId = typeof b.verify_id === 'string' ? b.verify_id : '';
    const certificateId = typeof b.certificate_id === 'string' ? b.certificate_id : '';
    const c = [...this.orders.values()].flatMap((o) => o.certificates).find((x) => x.certificateId === certificateId);
    if (!c) throw new Refusal(DOUYIN_ERR.notFound, '券不存在');
    if (c.state === 'cancelled_back' && c.verifyId === verifyId) return {}; // a repeated cancel (a retry after a timeout)
    if (c.state !== 'used' || c.verifyId !== verifyId) throw new Refusal(DOUYIN_ERR.badParams, '该券未核销或 verify_id 不符');
    if (this.now() - (c.verifiedAt ?? 0) > CANCEL_WINDOW_MS) {
      throw new Refusal(DOUYIN_ERR.cancelWindow, '已超过可撤销时间（核销后 1 小时内可撤销）', DOUYIN_ERR.cancelWindowSub);
    }
    c.state = 'cancelled_back';
    this.appliedVerifies--;
    return {};
  }

  private get(q: URLSearchParams) {
    const enc = q.get('encrypted_code') ?? '';
    const order = [...this.orders.values()].find((o) => o.certificates.some((c) => c.encryptedCode === enc));
    if (!order) throw new Refusal(DOUYIN_ERR.notFound, '券码不存在');
    const c = order.certificates.find((x) => x.encryptedCode === enc)!;
    return { certificate: { certificate_id: c.certificateId, status: c.state === 'used' ? 2 : 1, verify: c.verifyId ? { verify_id: c.verifyId, verify_time: Math.floor((c.verifiedAt ?? 0) / 1000) } : null } };
  }

  // ---- control ----

  private admin(method: string, url: URL, raw: Buffer, res: ServerResponse): void {
    const reply = (status: number, body: unknown) => sendJson(res, status, body);
    try {
      const body = raw.length ? parseJson(raw) : {};
      switch (`${method} ${url.pathname}`) {
        case 'POST /__admin/vouchers':
          return reply(200, this.addVoucher(body as never));
        case 'PUT /__admin/scenario':
          this.setScenario((Array.isArray(body) ? body : Array.isArray(body.rules) ? body.rules : [body]) as DouyinScenarioRule[], url.searchParams.get('append') === '1');
          return reply(200, { rules: this.scenario.rules });
        case 'GET /__admin/scenario':
          return reply(200, { rules: this.scenario.rules });
        case 'DELETE /__admin/scenario':
          this.scenario.clear();
          return reply(200, { rules: [] });
        case 'POST /__admin/clock':
          if (typeof body.advanceSeconds !== 'number') return reply(400, { error: 'advanceSeconds' });
          this.advance(body.advanceSeconds);
          return reply(200, { nowMs: this.now() });
        case 'GET /__admin/clock':
          return reply(200, { nowMs: this.now() });
        case 'GET /__admin/state':
          return reply(200, this.state());
        case 'POST /__admin/push':
          void this.push(body as never).then((r) => reply(200, { answers: r }), (e) => reply(502, { error: String(e) }));
          return;
        case 'POST /__admin/forget-verify-tokens':
          this.forgetVerifyTokens();
          return reply(200, { ok: true });
        case 'GET /__admin/requests':
          return reply(200, { requests: this.log });
        case 'POST /__admin/reset':
          this.reset();
          return reply(200, { ok: true });
        default:
          return reply(404, { error: `no admin route ${method} ${url.pathname}` });
      }
    } catch (e) {
      return reply(400, { error: e instanceof Error ? e.message : String(e) });
    }
  }
}

function opOf(method: string, path: string): Op | null {
  const p = path.endsWith('/') ? path : `${path}/`;
  if (method === 'POST' && p === '/oauth/client_token/') return 'token';
  if (method === 'GET' && p === '/goodlife/v1/fulfilment/certificate/prepare/') return 'prepare';
  if (method === 'POST' && p === '/goodlife/v1/fulfilment/certificate/verify/') return 'verify';
  if (method === 'POST' && p === '/goodlife/v1/fulfilment/certificate/cancel/') return 'cancel';
  if (method === 'GET' && p === '/goodlife/v1/fulfilment/certificate/get/') return 'get';
  return null;
}

function parseJson(raw: Buffer): Record<string, any> {
  try {
    const v = JSON.parse(raw.toString('utf8') || '{}');
    return v && typeof v === 'object' ? v : {};
  } catch {
    throw new Refusal(DOUYIN_ERR.badParams, '请求体不是 JSON');
  }
}

function digits(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(randomInt(10));
  return s;
}

async function main(): Promise<void> {
  const fake = await DouyinLifeFake.start({ port: Number(cliArg('--port') ?? 8721) });
  const demo = fake.addVoucher({ title: '双人套餐代金券', unitValueFen: 5000, uses: 2 });
  console.log(`Douyin 来客 voucher simulator on ${fake.url} (Ctrl+C to stop)`);
  console.log(`  client_key ${fake.clientKey}  client_secret ${fake.clientSecret}  poi_id ${fake.poiId}`);
  console.log(`  demo voucher (2 uses, ¥50 each): code ${demo.code}, QR ${demo.url} (resolve it at ${fake.url}/${demo.shortId}/)`);
  console.log(`  control API: ${fake.url}/__admin/{vouchers,scenario,clock,state,requests,reset}`);
  closeOnSignals(fake);
}

runIfMain(import.meta.url, main);
