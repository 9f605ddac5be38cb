// A local Alipay open-platform gateway (OpenAPI 2.0, /gateway.do) for tests and for a person who points
// a till at it (PLATFORMS 6.2). It checks every request's RSA2 signature from the raw query and form
// (the sign string rebuilt from the bytes as sent: decoded values, sorted keys, `sign` left out,
// `sign_type` kept, empty values left out) against the app's public key, signs the exact `*_response`
// text it sends with the fake Alipay private key, keeps state per out_trade_no (a repeat never charges
// twice) and per out_request_no for refunds, and takes faults through a control API:
//   PUT    /__admin/scenario  {method?, mode, ...}  faults and outcomes (see Scenario)
//   DELETE /__admin/scenario                        back to normal
//   POST   /__admin/pay       {out_trade_no | qr_code}  the customer pays a shown QR
//   POST   /__admin/clock     {advanceSeconds} | {now}  move the fake's clock
//   GET    /__admin/trades                          every trade with its charges and refunds
//   GET    /__admin/requests                        every gateway call: method, out_trade_no, code
// Run on its own (makes throw-away keys and writes them as PEM files to import in 设置 → 收款):
//   node --import tsx tests/fakes/alipay.ts --port 8702 [--keys DIR]
import { createSign, createVerify, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { beijingTimestamp, parseBeijingTimestamp } from '../../electron/payments/alipay/format';
import { formatYuan, parseYuan } from '../../shared/money';
import { cliArg, closeOnSignals, HttpFake, readBody, runIfMain, sendJson as json } from './http-fake';
import { makePaymentKeys, writePaymentKeys, type PaymentKeys } from './payment-keys';

export type TradeStatus = 'PRECREATED' | 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED';

export interface FakeAlipayTrade {
  outTradeNo: string;
  tradeNo: string;
  kind: 'bar_code' | 'precreate';
  totalFen: number;
  subject: string;
  status: TradeStatus;
  /** How many times money was taken for this out_trade_no (the simulator's invariant: never above 1). */
  charges: number;
  refundedFen: number;
  refunds: { outRequestNo: string; fen: number; at: number }[];
  /** How many alipay.trade.pay calls arrived for it (retries included). */
  payCalls: number;
  createdAt: number;
  /** WAIT_BUYER_PAY moves to `settleTo` at this fake time ('never': stays). */
  settleAt?: number;
  settleTo?: 'TRADE_SUCCESS' | 'TRADE_CLOSED';
  expiresAt?: number;
  qrCode?: string;
  cancelAction?: 'close' | 'refund';
}

/**
 * A fault or an outcome for the next calls of `method` (default alipay.trade.pay), `times` calls
 * (default: until DELETE /__admin/scenario).
 * - success: normal handling (the default without a scenario).
 * - userpaying: trade.pay answers 10003; the trade becomes `then` (success | closed) after
 *   `afterSeconds` of fake time, or stays WAIT_BUYER_PAY (`then: 'never'`).
 * - refuse: 40004 with `subCode`/`subMsg` (and `retryFlag` for trade.cancel); nothing applied.
 * - system_error: 20000 aop.ACQ.SYSTEM_ERROR; nothing applied.
 * - apply_then_timeout: applied, then the answer is held `delayMs` (default: until the client hangs up).
 * - timeout: not applied, no answer for `delayMs` (default: until the client hangs up).
 * - http_error: HTTP `status` (default 502); nothing applied.
 * - bad_signature: applied; the answer's signature is over other text.
 * - tamper_body: applied; signed correctly, then one byte of the signed text changed.
 */
export interface Scenario {
  method?: string;
  mode: 'success' | 'userpaying' | 'refuse' | 'system_error' | 'apply_then_timeout' | 'timeout' | 'http_error' | 'bad_signature' | 'tamper_body';
  then?: 'success' | 'closed' | 'never';
  afterSeconds?: number;
  subCode?: string;
  subMsg?: string;
  retryFlag?: 'Y' | 'N';
  status?: number;
  delayMs?: number;
  times?: number;
}

export interface FakeAlipayRequest {
  method: string;
  outTradeNo?: string;
  code: string;
  subCode?: string;
  at: number;
}

export interface FakeAlipayOptions {
  /** The app's public key (verifies requests). */
  appPublicKeyPem: string;
  /** The fake Alipay's private key (signs answers). */
  alipayPrivateKeyPem: string;
  /** When set, requests for another app_id are refused (40002 isv.invalid-app-id). */
  appId?: string;
  port?: number;
  now?: () => number;
  /** Requests whose timestamp is further than this from the fake's clock are refused (default 15 min). */
  timestampSkewMs?: number;
}

type Answer = Record<string, unknown> & { code: string };

const AUTH_CODE = /^(2[5-9]|30)\d{14,22}$/;
const AMOUNT = /^\d+(\.\d{1,2})?$/;

const ok = (fields: Record<string, unknown> = {}): Answer => ({ code: '10000', msg: 'Success', ...fields });
const bizFail = (subCode: string, subMsg: string, fields: Record<string, unknown> = {}): Answer => ({
  code: '40004',
  msg: 'Business Failed',
  sub_code: subCode,
  sub_msg: subMsg,
  ...fields,
});
const argFail = (subCode: string, subMsg: string): Answer => ({ code: '40002', msg: 'Invalid Arguments', sub_code: subCode, sub_msg: subMsg });

/** Alipay's `timeout_express` ("90m", "2h", "1d") in ms; null when absent or malformed. */
function expressMs(text: unknown): number | null {
  const m = typeof text === 'string' ? /^(\d+)([mhd])$/.exec(text) : null;
  if (!m) return null;
  return Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'm' | 'h' | 'd'];
}

/** The RSA2 sign string of a request: every param but `sign`, empty ones left out, sorted by key, k=v joined with &. */
export function alipaySignString(params: Map<string, string>): string {
  return [...params.keys()]
    .filter((k) => k !== 'sign' && params.get(k) !== '')
    .sort()
    .map((k) => `${k}=${params.get(k)}`)
    .join('&');
}

export class FakeAlipay extends HttpFake {
  private readonly byNo = new Map<string, FakeAlipayTrade>();
  private readonly byQr = new Map<string, string>();
  private readonly scenarios = new Map<string, Scenario & { left: number }>();
  private readonly log: FakeAlipayRequest[] = [];
  private seq = 0;

  private constructor(private readonly opts: FakeAlipayOptions) {
    super(opts.now);
  }

  static async start(opts: FakeAlipayOptions): Promise<FakeAlipay> {
    return new FakeAlipay(opts).listen(opts.port);
  }

  /** `url` is the base URL a till is given; its client adds /gateway.do. */
  get gateway(): string {
    return `${this.url}/gateway.do`;
  }

  // ---- control, also callable in-process by tests --------------------------------------------------

  setScenario(s: Scenario): void {
    this.scenarios.set(s.method ?? 'alipay.trade.pay', { ...s, left: s.times ?? Number.POSITIVE_INFINITY });
  }

  resetScenarios(): void {
    this.scenarios.clear();
  }

  trades(): FakeAlipayTrade[] {
    for (const t of this.byNo.values()) this.settle(t);
    return [...this.byNo.values()].map((t) => ({ ...t, refunds: [...t.refunds] }));
  }

  trade(outTradeNo: string): FakeAlipayTrade | undefined {
    return this.trades().find((t) => t.outTradeNo === outTradeNo);
  }

  requests(): FakeAlipayRequest[] {
    return [...this.log];
  }

  /** The customer scans and pays a shown QR (by out_trade_no or by the qr_code URL). */
  payQr(ref: string): FakeAlipayTrade {
    const t = this.byNo.get(ref) ?? this.byNo.get(this.byQr.get(ref) ?? '');
    if (!t) throw new Error(`no such QR trade: ${ref}`);
    this.settle(t);
    if (t.status === 'TRADE_SUCCESS') return { ...t };
    if (t.status === 'TRADE_CLOSED') throw new Error(`trade ${t.outTradeNo} is closed`);
    this.charge(t);
    return { ...t };
  }

  // ---- HTTP ----------------------------------------------------------------------------------------

  /** A request that failed (e.g. a control call with a body that is not JSON) is answered 500 with why. */
  protected override failed(res: ServerResponse, e: unknown): void {
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(String(e instanceof Error ? e.message : e));
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = (await readBody(req)).toString('utf8');
    const [path, rawQuery = ''] = (req.url ?? '/').split(/\?(.*)/s, 2);
    if (path.startsWith('/__admin/')) return this.admin(req.method ?? 'GET', path, raw, res);
    if (path !== '/gateway.do') return json(res, 404, { error: 'not found' });
    return this.gatewayCall(rawQuery, req.method === 'POST' ? raw : '', res);
  }

  private admin(verb: string, path: string, raw: string, res: ServerResponse): void {
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    try {
      if (path === '/__admin/scenario' && verb === 'PUT') {
        this.setScenario(body as unknown as Scenario);
        return json(res, 200, { ok: true });
      }
      if (path === '/__admin/scenario' && verb === 'DELETE') {
        this.resetScenarios();
        return json(res, 200, { ok: true });
      }
      if (path === '/__admin/pay' && verb === 'POST') return json(res, 200, { trade: this.payQr(String(body.out_trade_no ?? body.qr_code ?? '')) });
      if (path === '/__admin/clock' && verb === 'POST') {
        if (typeof body.now === 'number') this.clock.set(body.now);
        if (typeof body.advanceSeconds === 'number') this.advance(body.advanceSeconds);
        return json(res, 200, { now: this.now() });
      }
      if (path === '/__admin/trades' && verb === 'GET') return json(res, 200, { trades: this.trades() });
      if (path === '/__admin/requests' && verb === 'GET') return json(res, 200, { requests: this.requests() });
    } catch (e) {
      return json(res, 409, { error: e instanceof Error ? e.message : String(e) });
    }
    json(res, 404, { error: 'no such control route' });
  }

  private gatewayCall(rawQuery: string, rawBody: string, res: ServerResponse): void {
    // Both halves decoded as the form they are; a key sent twice is refused rather than guessed at.
    const params = new Map<string, string>();
    let duplicate = false;
    for (const part of [rawQuery, rawBody]) {
      for (const [k, v] of new URLSearchParams(part)) {
        if (params.has(k)) duplicate = true;
        params.set(k, v);
      }
    }
    const method = params.get('method') ?? '';
    const respond = (answer: Answer, opts: { tamper?: 'sign' | 'body'; holdMs?: number | 'forever' } = {}) => {
      let biz: Record<string, string> = {};
      try {
        biz = JSON.parse(params.get('biz_content') ?? '{}') as Record<string, string>;
      } catch {
        // answered below as invalid
      }
      this.log.push({ method, outTradeNo: biz.out_trade_no, code: answer.code, subCode: answer.sub_code as string | undefined, at: this.now() });
      const send = () => this.send(res, method, answer, opts.tamper);
      if (opts.holdMs === undefined) return send();
      if (opts.holdMs === 'forever') return; // the client times out and hangs up; close() destroys the socket
      this.later(opts.holdMs, () => {
        if (!res.destroyed) send();
      });
    };

    if (duplicate) return respond(argFail('isv.invalid-parameter', '参数重复'));
    const missing = ['app_id', 'method', 'charset', 'sign_type', 'sign', 'timestamp', 'version'].find((k) => !params.get(k));
    if (missing) return respond({ code: '40001', msg: 'Missing Required Arguments', sub_code: `isv.missing-${missing.replace('_', '-')}`, sub_msg: `缺少参数 ${missing}` });
    if (params.get('sign_type') !== 'RSA2') return respond(argFail('isv.invalid-signature-type', '签名类型无效'));
    const verifier = createVerify('RSA-SHA256');
    verifier.update(alipaySignString(params), 'utf8');
    if (!verifier.verify(this.opts.appPublicKeyPem, params.get('sign')!, 'base64')) {
      return respond(argFail('isv.invalid-signature', '验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配'));
    }
    if (this.opts.appId && params.get('app_id') !== this.opts.appId) return respond(argFail('isv.invalid-app-id', '无效的AppID参数'));
    const stamp = parseBeijingTimestamp(params.get('timestamp')!);
    if (!Number.isFinite(stamp) || Math.abs(stamp - this.now()) > (this.opts.timestampSkewMs ?? 15 * 60_000)) {
      return respond(argFail('isv.invalid-timestamp', '非法的时间戳参数'));
    }
    let biz: Record<string, unknown>;
    try {
      biz = JSON.parse(params.get('biz_content') ?? '{}') as Record<string, unknown>;
    } catch {
      return respond(argFail('isv.invalid-parameter', 'biz_content 不是 JSON'));
    }

    const scenario = this.take(method);
    switch (scenario?.mode) {
      case 'refuse':
        return respond(
          bizFail(scenario.subCode ?? 'ACQ.PAYMENT_AUTH_CODE_INVALID', scenario.subMsg ?? '支付失败，获取顾客账户信息失败，请顾客刷新付款码后重新收款', {
            ...(scenario.retryFlag ? { retry_flag: scenario.retryFlag } : {}),
          }),
        );
      case 'system_error':
        return respond({ code: '20000', msg: 'Service Currently Unavailable', sub_code: 'aop.ACQ.SYSTEM_ERROR', sub_msg: '系统繁忙' });
      case 'http_error':
        this.log.push({ method, outTradeNo: biz.out_trade_no as string | undefined, code: `HTTP ${scenario.status ?? 502}`, at: this.now() });
        res.writeHead(scenario.status ?? 502, { 'content-type': 'text/html' });
        return void res.end('<html><body>Bad Gateway</body></html>');
      case 'timeout':
        return respond({ code: 'NO_ANSWER' }, { holdMs: scenario.delayMs ?? 'forever' });
      default:
        break;
    }
    const answer = this.apply(method, biz, scenario);
    if (scenario?.mode === 'apply_then_timeout') return respond(answer, { holdMs: scenario.delayMs ?? 'forever' });
    if (scenario?.mode === 'bad_signature') return respond(answer, { tamper: 'sign' });
    if (scenario?.mode === 'tamper_body') return respond(answer, { tamper: 'body' });
    respond(answer);
  }

  private take(method: string): Scenario | undefined {
    const s = this.scenarios.get(method);
    if (!s) return undefined;
    s.left -= 1;
    if (s.left <= 0) this.scenarios.delete(method);
    return s;
  }

  /** `{"<m>_response":<text>,"sign":"<RSA2 of text>"}`, the text being exactly what is signed. */
  private send(res: ServerResponse, method: string, answer: Answer, tamper?: 'sign' | 'body'): void {
    const key = `${method.replaceAll('.', '_') || 'error'}_response`;
    let text = JSON.stringify(answer);
    const signer = createSign('RSA-SHA256');
    signer.update(tamper === 'sign' ? `${text} ` : text, 'utf8');
    const sign = signer.sign(this.opts.alipayPrivateKeyPem, 'base64');
    if (tamper === 'body') text = text.replace(/"code":"(\d)/, (_m, d: string) => `"code":"${(Number(d) + 1) % 10}`);
    const body = `{"${key}":${text},"sign":"${sign}"}`;
    res.writeHead(200, { 'content-type': 'text/html;charset=utf-8' }); // what the real gateway sends
    res.end(body);
  }

  // ---- the trade book ------------------------------------------------------------------------------

  private settle(t: FakeAlipayTrade): void {
    const now = this.now();
    if (t.status === 'WAIT_BUYER_PAY' && t.settleAt !== undefined && now >= t.settleAt && t.settleTo) {
      if (t.settleTo === 'TRADE_SUCCESS') this.charge(t);
      else t.status = 'TRADE_CLOSED';
    }
    if ((t.status === 'PRECREATED' || t.status === 'WAIT_BUYER_PAY') && t.expiresAt !== undefined && now >= t.expiresAt) t.status = 'TRADE_CLOSED';
  }

  private charge(t: FakeAlipayTrade): void {
    t.status = 'TRADE_SUCCESS';
    t.charges += 1;
    t.settleAt = undefined;
  }

  private newTrade(biz: Record<string, unknown>, kind: FakeAlipayTrade['kind'], totalFen: number): FakeAlipayTrade {
    const t: FakeAlipayTrade = {
      outTradeNo: String(biz.out_trade_no),
      tradeNo: `${beijingTimestamp(this.now()).replace(/\D/g, '').slice(0, 8)}2200${String(++this.seq).padStart(14, '0')}`,
      kind,
      totalFen,
      subject: String(biz.subject ?? ''),
      status: kind === 'precreate' ? 'PRECREATED' : 'WAIT_BUYER_PAY',
      charges: 0,
      refundedFen: 0,
      refunds: [],
      payCalls: 0,
      createdAt: this.now(),
    };
    this.byNo.set(t.outTradeNo, t);
    return t;
  }

  private tradeFields(t: FakeAlipayTrade): Record<string, unknown> {
    return { trade_no: t.tradeNo, out_trade_no: t.outTradeNo, total_amount: yuan(t.totalFen) };
  }

  private apply(method: string, biz: Record<string, unknown>, scenario: Scenario | undefined): Answer {
    const outTradeNo = typeof biz.out_trade_no === 'string' ? biz.out_trade_no : '';
    if (!outTradeNo && method !== '') return bizFail('ACQ.INVALID_PARAMETER', '参数无效：out_trade_no');
    const existing = this.byNo.get(outTradeNo);
    if (existing) this.settle(existing);
    switch (method) {
      case 'alipay.trade.pay':
        return this.pay(biz, existing, scenario);
      case 'alipay.trade.precreate':
        return this.precreate(biz, existing);
      case 'alipay.trade.query':
        if (!existing || existing.status === 'PRECREATED') return bizFail('ACQ.TRADE_NOT_EXIST', '交易不存在');
        return ok({ ...this.tradeFields(existing), trade_status: existing.status, buyer_logon_id: 'cus***@example.com' });
      case 'alipay.trade.cancel':
        return this.cancel(outTradeNo, existing);
      case 'alipay.trade.close':
        if (!existing) return bizFail('ACQ.TRADE_NOT_EXIST', '交易不存在');
        if (existing.status === 'TRADE_SUCCESS') return bizFail('ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
        if (existing.status === 'PRECREATED') {
          existing.status = 'TRADE_CLOSED'; // never scanned: Alipay says "no such trade", and it can no longer be paid
          return bizFail('ACQ.TRADE_NOT_EXIST', '交易不存在');
        }
        existing.status = 'TRADE_CLOSED';
        return ok({ trade_no: existing.tradeNo, out_trade_no: outTradeNo });
      case 'alipay.trade.refund':
        return this.refund(biz, existing);
      case 'alipay.trade.fastpay.refund.query': {
        if (!existing) return bizFail('ACQ.TRADE_NOT_EXIST', '交易不存在');
        const reqNo = typeof biz.out_request_no === 'string' ? biz.out_request_no : outTradeNo;
        const r = existing.refunds.find((x) => x.outRequestNo === reqNo);
        if (!r) return ok({ out_trade_no: outTradeNo, trade_no: existing.tradeNo });
        return ok({ ...this.tradeFields(existing), out_request_no: reqNo, refund_amount: yuan(r.fen), refund_status: 'REFUND_SUCCESS' });
      }
      default:
        return { code: '40004', msg: 'Business Failed', sub_code: 'isv.invalid-method', sub_msg: `不存在的方法名 ${method}` };
    }
  }

  private pay(biz: Record<string, unknown>, existing: FakeAlipayTrade | undefined, scenario: Scenario | undefined): Answer {
    const amount = String(biz.total_amount ?? '');
    if (biz.scene !== 'bar_code') return bizFail('ACQ.INVALID_PARAMETER', '参数无效：scene');
    if (!AMOUNT.test(amount) || parseYuan(amount) <= 0) return bizFail('ACQ.INVALID_PARAMETER', '参数无效：total_amount');
    const fen = parseYuan(amount);
    if (existing) {
      existing.payCalls += 1;
      if (existing.status === 'TRADE_CLOSED') return bizFail('ACQ.TRADE_HAS_CLOSE', '交易已经关闭');
      if (existing.totalFen !== fen) return bizFail('ACQ.CONTEXT_INCONSISTENT', '交易信息被篡改');
      if (existing.status === 'TRADE_SUCCESS') return bizFail('ACQ.TRADE_HAS_SUCCESS', '交易已被支付');
      return { code: '10003', msg: 'Waiting Payment', ...this.tradeFields(existing) };
    }
    if (!AUTH_CODE.test(String(biz.auth_code ?? ''))) return bizFail('ACQ.PAYMENT_AUTH_CODE_INVALID', '支付失败，获取顾客账户信息失败，请顾客刷新付款码后重新收款');
    const t = this.newTrade(biz, 'bar_code', fen);
    t.payCalls = 1;
    if (scenario?.mode === 'userpaying') {
      if (scenario.then !== 'never') {
        t.settleAt = this.now() + (scenario.afterSeconds ?? 20) * 1000;
        t.settleTo = scenario.then === 'closed' ? 'TRADE_CLOSED' : 'TRADE_SUCCESS';
      }
      return { code: '10003', msg: 'Waiting Payment', ...this.tradeFields(t) };
    }
    this.charge(t);
    return ok({ ...this.tradeFields(t), receipt_amount: yuan(fen), gmt_payment: beijingTimestamp(this.now()), buyer_logon_id: 'cus***@example.com' });
  }

  private precreate(biz: Record<string, unknown>, existing: FakeAlipayTrade | undefined): Answer {
    const amount = String(biz.total_amount ?? '');
    if (!AMOUNT.test(amount) || parseYuan(amount) <= 0) return bizFail('ACQ.INVALID_PARAMETER', '参数无效：total_amount');
    const fen = parseYuan(amount);
    if (existing) {
      if (existing.totalFen !== fen) return bizFail('ACQ.CONTEXT_INCONSISTENT', '交易信息被篡改');
      if (existing.status === 'TRADE_SUCCESS') return bizFail('ACQ.TRADE_HAS_SUCCESS', '交易已被支付');
      if (existing.status === 'TRADE_CLOSED') return bizFail('ACQ.TRADE_HAS_CLOSE', '交易已经关闭');
      return ok({ out_trade_no: existing.outTradeNo, qr_code: existing.qrCode });
    }
    const t = this.newTrade(biz, 'precreate', fen);
    t.qrCode = `https://qr.alipay.com/bax0${randomBytes(10).toString('hex')}`;
    const ttl = expressMs(biz.timeout_express);
    if (ttl !== null) t.expiresAt = this.now() + ttl;
    this.byQr.set(t.qrCode, t.outTradeNo);
    return ok({ out_trade_no: t.outTradeNo, qr_code: t.qrCode });
  }

  private cancel(outTradeNo: string, t: FakeAlipayTrade | undefined): Answer {
    if (!t) {
      // Nothing arrived under this number: remember it closed, so a late trade.pay cannot charge it.
      const closed = this.newTrade({ out_trade_no: outTradeNo }, 'bar_code', 0);
      closed.status = 'TRADE_CLOSED';
      closed.cancelAction = 'close';
      return ok({ out_trade_no: outTradeNo, retry_flag: 'N', action: 'close' });
    }
    if (t.status === 'TRADE_SUCCESS') {
      const left = t.totalFen - t.refundedFen;
      if (left > 0) t.refunds.push({ outRequestNo: `cancel-${t.outTradeNo}`, fen: left, at: this.now() });
      t.refundedFen = t.totalFen;
      t.status = 'TRADE_CLOSED';
      t.cancelAction = 'refund';
    } else if (t.status !== 'TRADE_CLOSED') {
      t.status = 'TRADE_CLOSED';
      t.cancelAction = 'close';
    }
    return ok({ trade_no: t.tradeNo, out_trade_no: t.outTradeNo, retry_flag: 'N', action: t.cancelAction ?? 'close' });
  }

  private refund(biz: Record<string, unknown>, t: FakeAlipayTrade | undefined): Answer {
    if (!t || t.status === 'PRECREATED') return bizFail('ACQ.TRADE_NOT_EXIST', '交易不存在');
    const amount = String(biz.refund_amount ?? '');
    if (!AMOUNT.test(amount) || parseYuan(amount) <= 0) return bizFail('ACQ.INVALID_PARAMETER', '参数无效：refund_amount');
    const fen = parseYuan(amount);
    const reqNo = typeof biz.out_request_no === 'string' && biz.out_request_no ? biz.out_request_no : t.outTradeNo;
    const done = t.refunds.find((r) => r.outRequestNo === reqNo);
    if (done) {
      if (done.fen !== fen) return bizFail('ACQ.DISCORDANT_REPEAT_REQUEST', '请求信息不一致');
      return ok({ ...this.tradeFields(t), refund_fee: yuan(t.refundedFen), fund_change: 'N' }); // a replay: nothing moves again
    }
    if (t.charges === 0) return bizFail('ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
    if (t.refundedFen + fen > t.totalFen) return bizFail('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额超限');
    t.refunds.push({ outRequestNo: reqNo, fen, at: this.now() });
    t.refundedFen += fen;
    if (t.refundedFen === t.totalFen) t.status = 'TRADE_CLOSED';
    return ok({ ...this.tradeFields(t), refund_fee: yuan(t.refundedFen), fund_change: 'Y', gmt_refund_pay: beijingTimestamp(this.now()) });
  }
}

const yuan = (fen: number) => formatYuan(fen).slice(1);

async function main(): Promise<void> {
  const port = Number(cliArg('--port') ?? 8702);
  const dir = cliArg('--keys');
  let keys: PaymentKeys;
  if (dir && existsSync(join(dir, 'merchant_private_key.pem'))) {
    const read = (f: string) => readFileSync(join(dir, f), 'utf8');
    keys = {
      merchant: { privateKeyPem: read('merchant_private_key.pem'), publicKeyPem: read('merchant_public_key.pem') },
      platform: { privateKeyPem: read('platform_private_key.pem'), publicKeyPem: read('platform_public_key.pem') },
    };
  } else {
    keys = makePaymentKeys();
  }
  const written = writePaymentKeys(keys, dir);
  const fake = await FakeAlipay.start({ appPublicKeyPem: keys.merchant.publicKeyPem, alipayPrivateKeyPem: keys.platform.privateKeyPem, port });
  console.log(`fake Alipay gateway on ${fake.gateway} (Ctrl+C to stop)`);
  console.log(`till settings → 支付宝: 网关地址 ${fake.url}, any APPID, 应用私钥 ${written.files.merchantPrivateKey}, 支付宝公钥 ${written.files.platformPublicKey}`);
  console.log(`control: curl -X PUT ${fake.url}/__admin/scenario -d '{"mode":"userpaying","then":"success","afterSeconds":20}'`);
  closeOnSignals(fake, ['SIGINT']);
}

runIfMain(import.meta.url, main);
