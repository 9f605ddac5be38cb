// A local WeChat Pay API v3 simulator (PLATFORMS.md §6.1, §7): a real HTTP server on 127.0.0.1 that
// checks every request's WECHATPAY2-SHA256-RSA2048 signature from the raw bytes it received, refuses
// stale timestamps and reused nonces, signs every answer with a throw-away platform key in public-key
// mode (Wechatpay-Serial: PUB_KEY_ID_TEST…), keeps trades per out_trade_no and refunds per
// out_refund_no, and takes faults through a control API. Runnable on its own:
//   node --import tsx tests/fakes/wechat-pay.ts --port 8701 [--keys-dir DIR]
//
// Control API (no signature; JSON bodies):
//   PUT    /__admin/scenario   {"rules":[Rule…]} (or one Rule, or an array) replaces the queue; ?append=1 appends
//   GET    /__admin/scenario   the rules still queued;  DELETE /__admin/scenario clears them
//   POST   /__admin/pay        {"out_trade_no":"…","result":"SUCCESS"|"PAYERROR"} the customer pays a shown
//                              Native QR, or finishes entering the password of a USERPAYING code payment
//   POST   /__admin/clock      {"advanceSeconds":15} or {"setMs":…} moves the fake's clock, {"freeze":true|false}
//                              stops it / lets it run (USERPAYING settling and the 15 s reverse rule use it); GET reads it
//   GET    /__admin/trades     every trade with its charges and refunds (amounts in fen)
//   GET    /__admin/requests   the last requests: method, path, status, error code, op
//   GET    /__admin/config     mchid, appid, serials and the throw-away keys (PEM) for pointing a till here
//   POST   /__admin/reset      forget trades, rules, requests, nonces and the clock offset
// Rule (one per call that matches; the first match is used and its `times` counts down, 0 = every call):
//   op?: codepay|native|query|close|reverse|refund|refund_query|any   outTradeNo?: only that trade
//   outcome?: SUCCESS|USERPAYING|PAYERROR (a new code payment)  settleTo?: SUCCESS|PAYERROR  settleAfterSeconds?
//     (USERPAYING without settleTo stays pending until /__admin/pay or a reverse)  errorCode?: PAYERROR's code
//   refundStatus?: SUCCESS|PROCESSING (a new refund; PROCESSING settles after settleAfterSeconds, or never)
//   fault?: timeout (applied, answer held delayMs, default 30000) | drop (applied, connection destroyed)
//     | server_error (500 SYSTEM_ERROR) | rate_limited (429 FREQUENCY_LIMITED) (these two not applied
//     unless apply:true) | bad_signature | wrong_serial | stale_timestamp (offsetSeconds, default -301)
//
// Error codes the docs leave open are marked UNVERIFIED (PLATFORMS.md §8); the sign error's code is an option.
import { createHash, createPublicKey, createPrivateKey, randomBytes, randomInt, sign, verify, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { cliArg, closeOnSignals, HttpFake, pushCapped, readBody, RuleQueue, runIfMain, sendJson } from './http-fake';
import { fakeCertSerial, makePaymentKeys, writePaymentKeys, type PaymentKeys } from './payment-keys';

export type FakeOp = 'codepay' | 'native' | 'query' | 'close' | 'reverse' | 'refund' | 'refund_query';
export type FakeTradeState = 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR';

const ruleSchema = z.object({
  op: z.enum(['codepay', 'native', 'query', 'close', 'reverse', 'refund', 'refund_query', 'any']).optional(),
  outTradeNo: z.string().optional(),
  times: z.number().int().min(0).default(1),
  outcome: z.enum(['SUCCESS', 'USERPAYING', 'PAYERROR']).optional(),
  settleTo: z.enum(['SUCCESS', 'PAYERROR']).optional(),
  settleAfterSeconds: z.number().min(0).optional(),
  errorCode: z.string().optional(),
  refundStatus: z.enum(['SUCCESS', 'PROCESSING']).optional(),
  fault: z.enum(['timeout', 'drop', 'server_error', 'rate_limited', 'bad_signature', 'wrong_serial', 'stale_timestamp']).optional(),
  delayMs: z.number().int().min(0).optional(),
  offsetSeconds: z.number().optional(),
  apply: z.boolean().optional(),
});
export type ScenarioRule = z.input<typeof ruleSchema>;
type Rule = z.output<typeof ruleSchema>;

export interface FakeCharge {
  at: number;
  amountFen: number;
}

export interface FakeRefund {
  outRefundNo: string;
  refundId: string;
  outTradeNo: string;
  amountFen: number;
  status: 'SUCCESS' | 'PROCESSING';
  createdAt: number;
  settleAt?: number;
  /** True when a reverse of a paid code payment gave the money back (no out_refund_no of the till's). */
  viaReverse: boolean;
}

export interface FakeTrade {
  outTradeNo: string;
  kind: 'codepay' | 'native';
  mchid: string;
  appid: string;
  description: string;
  amountFen: number;
  authCode?: string;
  /** The state before refunds (a paid trade with refunds answers REFUND). */
  state: Exclude<FakeTradeState, 'REFUND'>;
  transactionId: string;
  createdAt: number;
  paidAt?: number;
  settle?: { to: 'SUCCESS' | 'PAYERROR'; at: number };
  errorCode?: string;
  codeUrl?: string;
  expiresAt?: number;
  /** Every time money was taken for this trade: more than one would be a double charge. */
  charges: FakeCharge[];
  refunds: FakeRefund[];
}

export interface FakeRequestLog {
  at: number;
  method: string;
  path: string;
  op?: FakeOp;
  status: number;
  code?: string;
  fault?: string;
  /** Milliseconds from the request's arrival to its answer handed to the socket (set when sent). */
  serverMs?: number;
}

export interface WechatPayFakeOptions {
  keys?: PaymentKeys;
  mchid?: string;
  appid?: string;
  merchantSerialNo?: string;
  platformPublicKeyId?: string;
  /** The code answered with 401 for a bad signature, stale timestamp or reused nonce (name UNVERIFIED). */
  signErrorCode?: string;
  /** WeChat refuses a reverse sooner than this after the code payment. */
  reverseMinSeconds?: number;
  port?: number;
}

/** What a till needs to talk to this fake (the shape of the WeChat client's config). */
export interface WechatFakeClientConfig {
  mchid: string;
  appid: string;
  merchantSerialNo: string;
  merchantPrivateKeyPem: string;
  platformPublicKeyPem: string;
  platformPublicKeyId: string;
}

const CLOCK_WINDOW_S = 300;
const REQUEST_LOG_MAX = 5000;
const STATE_DESC: Record<FakeTradeState, string> = {
  SUCCESS: '支付成功',
  REFUND: '转入退款',
  NOTPAY: '未支付',
  CLOSED: '已关闭',
  REVOKED: '已撤销',
  USERPAYING: '用户支付中（需输入密码）',
  PAYERROR: '支付失败',
};
const AUTH_CODE = /^1[0-5]\d{16}$/;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Answer {
  status: number;
  body?: unknown;
}

const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');
const nonce32 = () => randomBytes(24).toString('base64').replace(/[^0-9A-Za-z]/g, '').padEnd(32, 'x').slice(0, 32);
const rfc3339Beijing = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+08:00');
const maskCode = (code: string) => (code.length <= 8 ? '*'.repeat(code.length) : `${code.slice(0, 4)}${'*'.repeat(code.length - 8)}${code.slice(-4)}`);

export class WechatPayFake extends HttpFake {
  readonly keys: PaymentKeys;
  readonly mchid: string;
  readonly appid: string;
  readonly merchantSerialNo: string;
  readonly platformPublicKeyId: string;
  signErrorCode: string;
  reverseMinSeconds: number;
  private merchantKey: KeyObject;
  private platformKey: KeyObject;
  private scenario = new RuleQueue<ScenarioRule, Rule>((r) => ruleSchema.parse(r));
  private nonces = new Map<string, number>();
  private trades = new Map<string, FakeTrade>();
  private refunds = new Map<string, FakeRefund>();
  private log: FakeRequestLog[] = [];

  private constructor(opts: WechatPayFakeOptions) {
    super();
    this.keys = opts.keys ?? makePaymentKeys();
    this.mchid = opts.mchid ?? '1900000109';
    this.appid = opts.appid ?? 'wxd678efh567hg6787';
    this.merchantSerialNo = opts.merchantSerialNo ?? fakeCertSerial();
    this.platformPublicKeyId = opts.platformPublicKeyId ?? `PUB_KEY_ID_TEST${digits(20)}`;
    this.signErrorCode = opts.signErrorCode ?? 'SIGN_ERROR';
    this.reverseMinSeconds = opts.reverseMinSeconds ?? 15;
    this.merchantKey = createPublicKey(this.keys.merchant.publicKeyPem);
    this.platformKey = createPrivateKey(this.keys.platform.privateKeyPem);
  }

  static async start(opts: WechatPayFakeOptions = {}): Promise<WechatPayFake> {
    return new WechatPayFake(opts).listen(opts.port);
  }

  /** Stops the clock where it is (true: tests without timing, moved only by advance/setMs) or lets it run on from there (false). */
  freeze(on: boolean): void {
    this.clock.freeze(on);
  }

  clientConfig(): WechatFakeClientConfig {
    return {
      mchid: this.mchid,
      appid: this.appid,
      merchantSerialNo: this.merchantSerialNo,
      merchantPrivateKeyPem: this.keys.merchant.privateKeyPem,
      platformPublicKeyPem: this.keys.platform.publicKeyPem,
      platformPublicKeyId: this.platformPublicKeyId,
    };
  }

  /** Queues rules (see the header); `append` keeps the ones already queued. */
  setScenario(rules: ScenarioRule | ScenarioRule[], append = false): void {
    this.scenario.set(rules, append);
  }

  /** Every trade, settled to the fake's clock, copied. */
  listTrades(): FakeTrade[] {
    return [...this.trades.values()].map((t) => {
      this.tick(t);
      return structuredClone(t);
    });
  }

  requests(): FakeRequestLog[] {
    return this.log.slice();
  }

  /** The customer pays a NOTPAY Native QR or finishes a USERPAYING code payment. */
  customerPays(outTradeNo: string, result: 'SUCCESS' | 'PAYERROR' = 'SUCCESS'): FakeTrade {
    const t = this.trades.get(outTradeNo);
    if (!t) throw new HttpError(404, 'ORDER_NOT_EXIST', '订单不存在');
    this.tick(t);
    if (t.state !== 'NOTPAY' && t.state !== 'USERPAYING') throw new HttpError(409, 'ORDER_NOT_PAYABLE', `订单状态为 ${t.state}，不能支付`);
    if (t.expiresAt !== undefined && this.now() > t.expiresAt) throw new HttpError(409, 'ORDER_EXPIRED', '二维码已过期');
    this.settleTrade(t, result);
    return structuredClone(t);
  }

  reset(): void {
    this.scenario.clear();
    this.nonces.clear();
    this.trades.clear();
    this.refunds.clear();
    this.log = [];
    this.clock.reset();
  }

  // ---- HTTP ----

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now(); // the simulator's own answer time (payment_overhead_ms subtracts it)
    const raw = await readBody(req);
    const rawUrl = req.url ?? '/';
    const method = req.method ?? 'GET';
    if (rawUrl.startsWith('/__admin/')) return this.handleAdmin(method, rawUrl, raw, res);

    const entry: FakeRequestLog = { at: this.now(), method, path: rawUrl, status: 0 };
    res.once('finish', () => (entry.serverMs = performance.now() - started));
    pushCapped(this.log, entry, REQUEST_LOG_MAX);

    let rule: Rule | undefined;
    let answer: Answer;
    try {
      const mchid = this.checkSignature(method, rawUrl, req.headers.authorization, raw);
      const route = this.route(method, rawUrl, raw, mchid);
      entry.op = route.op;
      rule = this.takeRule(route.op, route.outTradeNo, route.creates);
      entry.fault = rule?.fault;
      const refusedBeforeApply = (rule?.fault === 'server_error' || rule?.fault === 'rate_limited') && !rule.apply;
      answer = refusedBeforeApply ? { status: 0 } : route.run(rule);
      if (rule?.fault === 'server_error') answer = { status: 500, body: { code: 'SYSTEM_ERROR', message: '系统错误，请稍后重试' } };
      if (rule?.fault === 'rate_limited') answer = { status: 429, body: { code: 'FREQUENCY_LIMITED', message: '请求频率超过限制' } };
    } catch (e) {
      answer =
        e instanceof HttpError
          ? { status: e.status, body: { code: e.code, message: e.message } }
          : { status: 500, body: { code: 'SYSTEM_ERROR', message: `模拟器内部错误：${e instanceof Error ? e.message : String(e)}` } };
    }
    entry.status = answer.status;
    entry.code = (answer.body as { code?: string } | undefined)?.code;

    this.deliver(req, res, rule, () => this.send(res, answer, rule));
  }

  /** Signs the answer as WeChat does (or wrongly, as the rule asks) and writes it. */
  private send(res: ServerResponse, answer: Answer, rule: Rule | undefined): void {
    const body = answer.body === undefined ? '' : JSON.stringify(answer.body);
    const nonce = nonce32();
    let ts = Math.floor(this.now() / 1000);
    if (rule?.fault === 'stale_timestamp') ts += Math.round(rule.offsetSeconds ?? -301);
    const signed = rule?.fault === 'bad_signature' ? `${body} ` : body;
    const signature = sign('sha256', Buffer.from(`${ts}\n${nonce}\n${signed}\n`), this.platformKey).toString('base64');
    const serial = rule?.fault === 'wrong_serial' ? `PUB_KEY_ID_UNKNOWN${digits(18)}` : this.platformPublicKeyId;
    res.writeHead(answer.status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Request-ID': createHash('sha1').update(nonce).digest('hex'),
      'Wechatpay-Nonce': nonce,
      'Wechatpay-Timestamp': String(ts),
      'Wechatpay-Serial': serial,
      'Wechatpay-Signature': signature,
    });
    res.end(body);
  }

  /** Rebuilds METHOD\nPATH?QUERY\nts\nnonce\nbody\n from the raw request and checks it; returns the mchid. */
  private checkSignature(method: string, rawUrl: string, header: string | undefined, raw: Buffer): string {
    const fail = (why: string) => new HttpError(401, this.signErrorCode, `签名验证失败：${why}`);
    const m = /^WECHATPAY2-SHA256-RSA2048 (.*)$/.exec(header ?? '');
    if (!m) throw fail('缺少 Authorization 或认证类型不对');
    const fields: Record<string, string> = {};
    for (const [, k, v] of m[1].matchAll(/(\w+)="([^"]*)"/g)) fields[k] = v;
    const { mchid, serial_no, timestamp, nonce_str, signature } = fields;
    if (!mchid || !serial_no || !timestamp || !nonce_str || !signature) throw fail('Authorization 字段不全');
    if (mchid !== this.mchid || serial_no !== this.merchantSerialNo) throw fail('商户号或证书序列号未登记');
    if (!/^\d+$/.test(timestamp) || Math.abs(Math.floor(this.now() / 1000) - Number(timestamp)) > CLOCK_WINDOW_S) throw fail('时间戳过期');
    const message = Buffer.concat([Buffer.from(`${method}\n${rawUrl}\n${timestamp}\n${nonce_str}\n`), raw, Buffer.from('\n')]);
    if (!verify('sha256', message, this.merchantKey, Buffer.from(signature, 'base64'))) throw fail('签名不匹配');
    const nonceKey = `${mchid}:${nonce_str}`;
    if (this.nonces.has(nonceKey)) throw fail('nonce 重复使用');
    this.nonces.set(nonceKey, this.now() + 2 * CLOCK_WINDOW_S * 1000);
    if (this.nonces.size > 20_000) for (const [k, exp] of this.nonces) if (exp < this.now()) this.nonces.delete(k);
    return mchid;
  }

  private takeRule(op: FakeOp, outTradeNo: string | undefined, creates: boolean): Rule | undefined {
    return this.scenario.take(
      op,
      (r) =>
        (r.outTradeNo === undefined || r.outTradeNo === outTradeNo) &&
        (r.outcome === undefined || (op === 'codepay' && creates)) &&
        (r.refundStatus === undefined || (op === 'refund' && creates)),
    );
  }

  private route(method: string, rawUrl: string, raw: Buffer, mchid: string): { op: FakeOp; outTradeNo?: string; creates: boolean; run: (rule?: Rule) => Answer } {
    const url = new URL(rawUrl, 'http://fake');
    const path = url.pathname;
    const json = (): Record<string, any> => {
      try {
        const v = JSON.parse(raw.toString('utf8'));
        if (v && typeof v === 'object') return v;
      } catch {
        /* fall through */
      }
      throw new HttpError(400, 'PARAM_ERROR', '请求体不是 JSON 对象');
    };
    const needMchid = (value: unknown) => {
      if (value !== mchid) throw new HttpError(400, 'PARAM_ERROR', 'mchid 与请求签名的商户号不一致');
    };
    if (method === 'POST' && path === '/v3/pay/transactions/codepay') {
      const b = json();
      needMchid(b.mchid);
      const no = String(b.out_trade_no ?? '');
      return { op: 'codepay', outTradeNo: no, creates: !this.trades.has(no), run: (rule) => this.codepay(b, rule) };
    }
    if (method === 'POST' && path === '/v3/pay/transactions/native') {
      const b = json();
      needMchid(b.mchid);
      const no = String(b.out_trade_no ?? '');
      return { op: 'native', outTradeNo: no, creates: !this.trades.has(no), run: () => this.native(b) };
    }
    const tradePath = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)(\/close|\/reverse)?$/.exec(path);
    if (tradePath) {
      const no = decodeURIComponent(tradePath[1]);
      if (method === 'GET' && !tradePath[2]) {
        needMchid(url.searchParams.get('mchid'));
        return { op: 'query', outTradeNo: no, creates: false, run: () => ({ status: 200, body: this.tradeBody(this.mustTrade(no)) }) };
      }
      if (method === 'POST' && tradePath[2] === '/close') {
        needMchid(json().mchid);
        return { op: 'close', outTradeNo: no, creates: false, run: () => this.closeTrade(no) };
      }
      if (method === 'POST' && tradePath[2] === '/reverse') {
        needMchid(json().mchid);
        return { op: 'reverse', outTradeNo: no, creates: false, run: () => this.reverse(no) };
      }
    }
    if (method === 'POST' && path === '/v3/refund/domestic/refunds') {
      const b = json();
      const no = String(b.out_refund_no ?? '');
      return { op: 'refund', outTradeNo: b.out_trade_no, creates: !this.refunds.has(no), run: (rule) => this.refund(b, rule) };
    }
    const refundPath = /^\/v3\/refund\/domestic\/refunds\/([^/]+)$/.exec(path);
    if (method === 'GET' && refundPath) {
      const no = decodeURIComponent(refundPath[1]);
      const r = this.refunds.get(no);
      return {
        op: 'refund_query',
        outTradeNo: r?.outTradeNo,
        creates: false,
        run: () => {
          if (!r) throw new HttpError(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
          this.tickRefund(r);
          return { status: 200, body: this.refundBody(r) };
        },
      };
    }
    throw new HttpError(404, 'NOT_FOUND', `模拟器没有这个接口：${method} ${path}`);
  }

  // ---- the platform's rules ----

  private mustTrade(no: string): FakeTrade {
    const t = this.trades.get(no);
    if (!t) throw new HttpError(404, 'ORDER_NOT_EXIST', '订单不存在');
    this.tick(t);
    return t;
  }

  private amountOf(b: Record<string, any>): number {
    const total = b.amount?.total;
    if (!Number.isInteger(total) || total <= 0) throw new HttpError(400, 'PARAM_ERROR', 'amount.total 必须是大于 0 的整数（分）');
    if ((b.amount?.currency ?? 'CNY') !== 'CNY') throw new HttpError(400, 'PARAM_ERROR', '只支持 CNY');
    return total;
  }

  private codepay(b: Record<string, any>, rule?: Rule): Answer {
    const no = String(b.out_trade_no ?? '');
    if (!/^[0-9A-Za-z_\-*]{6,32}$/.test(no)) throw new HttpError(400, 'PARAM_ERROR', 'out_trade_no 格式不对');
    const authCode = String(b.payer?.auth_code ?? '');
    const amountFen = this.amountOf(b);
    // UNVERIFIED code name (v2 called it AUTH_CODE_INVALID).
    if (!AUTH_CODE.test(authCode)) throw new HttpError(400, 'AUTH_CODE_INVALID', `付款码无效（${maskCode(authCode)}）`);
    const existing = this.trades.get(no);
    if (existing) {
      // The same order again: the same trade, never a second charge. Other parameters: refused (UNVERIFIED name).
      if (existing.kind !== 'codepay' || existing.amountFen !== amountFen || existing.authCode !== authCode) {
        throw new HttpError(400, 'OUT_TRADE_NO_USED', '商户订单号重复，且与原订单参数不一致');
      }
      return this.codepayAnswer(this.mustTrade(no));
    }
    const t: FakeTrade = {
      outTradeNo: no,
      kind: 'codepay',
      mchid: String(b.mchid),
      appid: String(b.appid ?? ''),
      description: String(b.description ?? ''),
      amountFen,
      authCode,
      state: 'USERPAYING',
      transactionId: `4200${digits(24)}`,
      createdAt: this.now(),
      charges: [],
      refunds: [],
    };
    this.trades.set(no, t);
    const outcome = rule?.outcome ?? 'SUCCESS';
    if (outcome === 'SUCCESS') this.settleTrade(t, 'SUCCESS');
    else if (outcome === 'PAYERROR') {
      t.errorCode = rule?.errorCode ?? 'NOT_ENOUGH';
      this.settleTrade(t, 'PAYERROR');
    } else if (rule?.settleTo) {
      t.settle = { to: rule.settleTo, at: this.now() + (rule.settleAfterSeconds ?? 0) * 1000 };
      if (rule.settleTo === 'PAYERROR') t.errorCode = rule.errorCode;
    }
    return this.codepayAnswer(t);
  }

  private codepayAnswer(t: FakeTrade): Answer {
    if (t.state === 'PAYERROR' && t.errorCode) {
      // A code payment refused by the platform: 403 with the reason (NOT_ENOUGH, …); the trade reads PAYERROR.
      throw new HttpError(403, t.errorCode, t.errorCode === 'NOT_ENOUGH' ? '用户余额不足' : '支付失败');
    }
    // USERPAYING answers HTTP 202 with the transaction body (PLATFORMS.md §6.4).
    return { status: t.state === 'USERPAYING' ? 202 : 200, body: this.tradeBody(t) };
  }

  private native(b: Record<string, any>): Answer {
    const no = String(b.out_trade_no ?? '');
    if (!/^[0-9A-Za-z_\-*]{6,32}$/.test(no)) throw new HttpError(400, 'PARAM_ERROR', 'out_trade_no 格式不对');
    const amountFen = this.amountOf(b);
    const expiresAt = b.time_expire ? Date.parse(String(b.time_expire)) : undefined;
    if (expiresAt !== undefined && Number.isNaN(expiresAt)) throw new HttpError(400, 'PARAM_ERROR', 'time_expire 格式不对');
    const existing = this.trades.get(no);
    if (existing) {
      if (existing.kind !== 'native' || existing.amountFen !== amountFen) throw new HttpError(400, 'OUT_TRADE_NO_USED', '商户订单号重复，且与原订单参数不一致');
      return { status: 200, body: { code_url: existing.codeUrl } };
    }
    const t: FakeTrade = {
      outTradeNo: no,
      kind: 'native',
      mchid: String(b.mchid),
      appid: String(b.appid ?? ''),
      description: String(b.description ?? ''),
      amountFen,
      state: 'NOTPAY',
      transactionId: `4200${digits(24)}`,
      createdAt: this.now(),
      codeUrl: `weixin://wxpay/bizpayurl?pr=${randomBytes(6).toString('hex')}`,
      expiresAt,
      charges: [],
      refunds: [],
    };
    this.trades.set(no, t);
    return { status: 200, body: { code_url: t.codeUrl } };
  }

  private closeTrade(no: string): Answer {
    const t = this.mustTrade(no);
    if (t.state === 'SUCCESS') throw new HttpError(400, 'ORDER_PAID', '订单已支付，不能关闭'); // UNVERIFIED name
    if (t.state === 'NOTPAY' || t.state === 'USERPAYING') {
      t.state = 'CLOSED';
      t.settle = undefined;
    }
    return { status: 204 };
  }

  private reverse(no: string): Answer {
    const t = this.mustTrade(no);
    if (t.kind !== 'codepay') throw new HttpError(400, 'INVALID_REQUEST', '只有付款码订单可以撤销');
    const body = { appid: t.appid, mchid: t.mchid, out_trade_no: t.outTradeNo };
    if (t.state === 'REVOKED') return { status: 200, body };
    if (this.now() - t.createdAt < this.reverseMinSeconds * 1000) {
      throw new HttpError(400, 'REVERSE_TOO_EARLY', `请在下单 ${this.reverseMinSeconds} 秒后再撤销`); // UNVERIFIED name
    }
    if (t.state === 'SUCCESS') {
      const left = t.amountFen - t.refunds.reduce((s, r) => s + r.amountFen, 0);
      if (left > 0) {
        const r: FakeRefund = { outRefundNo: `REVERSE-${no}`, refundId: `50${digits(27)}`, outTradeNo: no, amountFen: left, status: 'SUCCESS', createdAt: this.now(), viaReverse: true };
        t.refunds.push(r);
      }
    }
    t.state = 'REVOKED';
    t.settle = undefined;
    return { status: 200, body };
  }

  private refund(b: Record<string, any>, rule?: Rule): Answer {
    const outRefundNo = String(b.out_refund_no ?? '');
    if (!/^[0-9A-Za-z_\-*|@]{1,64}$/.test(outRefundNo)) throw new HttpError(400, 'PARAM_ERROR', 'out_refund_no 格式不对');
    const refundFen = b.amount?.refund;
    const totalFen = b.amount?.total;
    if (!Number.isInteger(refundFen) || refundFen <= 0) throw new HttpError(400, 'PARAM_ERROR', 'amount.refund 必须是大于 0 的整数（分）');
    const existing = this.refunds.get(outRefundNo);
    if (existing) {
      if (existing.outTradeNo !== b.out_trade_no || existing.amountFen !== refundFen) throw new HttpError(400, 'INVALID_REQUEST', '退款单号重复，且与原退款参数不一致');
      this.tickRefund(existing);
      return { status: 200, body: this.refundBody(existing) };
    }
    const t = this.trades.get(String(b.out_trade_no ?? ''));
    if (!t) throw new HttpError(404, 'RESOURCE_NOT_EXISTS', '订单不存在');
    this.tick(t);
    if (totalFen !== t.amountFen) throw new HttpError(400, 'PARAM_ERROR', 'amount.total 与原订单金额不一致');
    if (t.state !== 'SUCCESS') throw new HttpError(400, 'INVALID_REQUEST', `订单状态为 ${t.state}，不能退款`);
    const left = t.amountFen - t.refunds.reduce((s, r) => s + r.amountFen, 0);
    if (refundFen > left) throw new HttpError(400, 'INVALID_REQUEST', `申请退款金额超过订单可退金额（可退 ${left} 分）`); // UNVERIFIED code
    const r: FakeRefund = {
      outRefundNo,
      refundId: `50${digits(27)}`,
      outTradeNo: t.outTradeNo,
      amountFen: refundFen,
      status: rule?.refundStatus ?? 'SUCCESS',
      createdAt: this.now(),
      viaReverse: false,
    };
    if (r.status === 'PROCESSING' && rule?.settleAfterSeconds !== undefined) r.settleAt = this.now() + rule.settleAfterSeconds * 1000;
    t.refunds.push(r);
    this.refunds.set(outRefundNo, r);
    return { status: 200, body: this.refundBody(r) };
  }

  /** USERPAYING trades settle on the fake's clock when asked to. */
  private tick(t: FakeTrade): void {
    if (t.state === 'USERPAYING' && t.settle && this.now() >= t.settle.at) this.settleTrade(t, t.settle.to);
    for (const r of t.refunds) this.tickRefund(r);
  }

  private tickRefund(r: FakeRefund): void {
    if (r.status === 'PROCESSING' && r.settleAt !== undefined && this.now() >= r.settleAt) r.status = 'SUCCESS';
  }

  private settleTrade(t: FakeTrade, to: 'SUCCESS' | 'PAYERROR'): void {
    t.settle = undefined;
    t.state = to;
    if (to === 'SUCCESS') {
      t.paidAt = this.now();
      t.charges.push({ at: t.paidAt, amountFen: t.amountFen });
    }
  }

  private tradeBody(t: FakeTrade): Record<string, unknown> {
    const state: FakeTradeState = t.state === 'SUCCESS' && t.refunds.length > 0 ? 'REFUND' : t.state;
    const paid = t.paidAt !== undefined;
    return {
      appid: t.appid,
      mchid: t.mchid,
      out_trade_no: t.outTradeNo,
      ...(paid || t.kind === 'codepay' ? { transaction_id: t.transactionId } : {}),
      trade_type: t.kind === 'codepay' ? 'MICROPAY' : 'NATIVE',
      trade_state: state,
      trade_state_desc: STATE_DESC[state],
      ...(paid ? { bank_type: 'OTHERS', success_time: rfc3339Beijing(t.paidAt!), payer: { openid: `oFAKE${t.transactionId.slice(-12)}` } } : {}),
      amount: { total: t.amountFen, currency: 'CNY', ...(paid ? { payer_total: t.amountFen, payer_currency: 'CNY' } : {}) },
    };
  }

  private refundBody(r: FakeRefund): Record<string, unknown> {
    const t = this.trades.get(r.outTradeNo)!;
    return {
      refund_id: r.refundId,
      out_refund_no: r.outRefundNo,
      transaction_id: t.transactionId,
      out_trade_no: r.outTradeNo,
      channel: 'ORIGINAL',
      user_received_account: '支付用户零钱',
      ...(r.status === 'SUCCESS' ? { success_time: rfc3339Beijing(r.settleAt ?? r.createdAt) } : {}),
      create_time: rfc3339Beijing(r.createdAt),
      status: r.status,
      funds_account: 'AVAILABLE',
      amount: { total: t.amountFen, refund: r.amountFen, payer_total: t.amountFen, payer_refund: r.amountFen, currency: 'CNY' },
    };
  }

  // ---- control API ----

  private handleAdmin(method: string, rawUrl: string, raw: Buffer, res: ServerResponse): void {
    const url = new URL(rawUrl, 'http://fake');
    const reply = (status: number, body: unknown) => sendJson(res, status, body);
    try {
      const body = raw.length ? JSON.parse(raw.toString('utf8')) : {};
      const route = `${method} ${url.pathname}`;
      switch (route) {
        case 'PUT /__admin/scenario': {
          const rules = Array.isArray(body) ? body : Array.isArray(body.rules) ? body.rules : [body];
          this.setScenario(rules, url.searchParams.get('append') === '1');
          return reply(200, { rules: this.scenario.rules });
        }
        case 'GET /__admin/scenario':
          return reply(200, { rules: this.scenario.rules });
        case 'DELETE /__admin/scenario':
          this.scenario.clear();
          return reply(200, { rules: [] });
        case 'POST /__admin/pay':
          return reply(200, { trade: this.customerPays(String(body.out_trade_no ?? ''), body.result === 'PAYERROR' ? 'PAYERROR' : 'SUCCESS') });
        case 'POST /__admin/clock':
          if (typeof body.freeze === 'boolean') this.freeze(body.freeze);
          if (typeof body.setMs === 'number') this.clock.set(body.setMs);
          else if (typeof body.advanceSeconds === 'number') this.advance(body.advanceSeconds);
          else if (typeof body.freeze !== 'boolean') return reply(400, { error: 'advanceSeconds, setMs or freeze' });
          return reply(200, { nowMs: this.now(), frozen: this.clock.frozen });
        case 'GET /__admin/clock':
          return reply(200, { nowMs: this.now(), frozen: this.clock.frozen });
        case 'GET /__admin/trades':
          return reply(200, { nowMs: this.now(), trades: this.listTrades() });
        case 'GET /__admin/requests':
          return reply(200, { requests: this.log });
        case 'GET /__admin/config':
          return reply(200, { baseUrl: this.url, ...this.clientConfig(), merchantPublicKeyPem: this.keys.merchant.publicKeyPem });
        case 'POST /__admin/reset':
          this.reset();
          return reply(200, { ok: true });
        default:
          return reply(404, { error: `no admin route ${route}` });
      }
    } catch (e) {
      if (e instanceof HttpError) return reply(e.status, { code: e.code, error: e.message });
      return reply(400, { error: e instanceof Error ? e.message : String(e) });
    }
  }
}

async function main(): Promise<void> {
  const fake = await WechatPayFake.start({ port: Number(cliArg('--port') ?? 8701) });
  const { files } = writePaymentKeys(fake.keys, cliArg('--keys-dir'));
  console.log(`WeChat Pay v3 simulator on ${fake.url} (Ctrl+C to stop)`);
  console.log(`  mchid ${fake.mchid}  appid ${fake.appid}`);
  console.log(`  merchant certificate serial ${fake.merchantSerialNo}`);
  console.log(`  platform public key id      ${fake.platformPublicKeyId}`);
  console.log(`  merchant private key (import into the till): ${files.merchantPrivateKey}`);
  console.log(`  platform public key  (import into the till): ${files.platformPublicKey}`);
  console.log(`  control API: ${fake.url}/__admin/{scenario,pay,clock,trades,requests,config,reset}`);
  closeOnSignals(fake);
}

runIfMain(import.meta.url, main);
