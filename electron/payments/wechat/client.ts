// WeChat Pay API v3 (直连商户) behind the PaymentProvider interface: code payment (付款码), query,
// reverse, Native QR, close, refund and refund query.
//
// Why no SDK: WeChat publishes no official Node SDK for v3; the maintained community one
// (wechatpay-axios-plugin) would bring axios and its interceptors into the main process for what is
// here ~150 lines of node:crypto and fetch (sign.ts), and it treats only some 2xx answers as bodies.
// The issue allows node:crypto directly. What this file guarantees, beside exact signing:
// - every answer is verified (the four Wechatpay-* headers, ±300 s, a known serial, the signature over
//   the raw body bytes) before it is read, and one that fails is OutcomeUnknown, never a success or a refusal;
// - any 2xx is read for its trade_state (codepay answers USERPAYING with 202);
// - a timeout, a network error, a 5xx, a 429 or an error code we do not know is OutcomeUnknown; only
//   the codes in codes.ts that mean "refused, nothing taken" become ProviderRefused;
// - amounts are fen integers both ways (WeChat counts in fen); a payment code and the keys are never logged.
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { paymentCodeKind } from '../../../shared/payment-code';
import {
  OutcomeUnknown,
  ProviderRefused,
  type CodePayRequest,
  type PaymentProvider,
  type ProviderTransport,
  type QrCreateRequest,
  type RefundRequest,
  type RefundResult,
  type ReverseResult,
  type TradeResult,
  type TradeState,
} from '../provider';
import { errorFor, scrub } from './codes';
import { authorize, checkResponse } from './sign';

export interface WechatConfig {
  /** 商户号. */
  mchid: string;
  /** The AppID bound to the merchant (公众号/小程序/应用). */
  appid: string;
  /** The serial number of the merchant API certificate (商户API证书序列号). */
  merchantSerialNo: string;
  /** apiclient_key.pem (PKCS#8, or PKCS#1). */
  merchantPrivateKeyPem: string;
  /** WeChat Pay public key (微信支付公钥, pub_key.pem), for answers whose Wechatpay-Serial is its id. */
  platformPublicKeyPem: string;
  /** Its id, "PUB_KEY_ID_…". */
  platformPublicKeyId: string;
  /** Older merchants: platform certificates (平台证书) by serial, accepted beside the public key. */
  platformCertificates?: { serialNo: string; certificatePem: string }[];
  /** APIv3 key: only for decrypting notifications and certificate downloads, which the till does not use (it learns outcomes by query). */
  apiV3Key?: string;
  /** WeChat requires a notify_url on Native orders; a till behind NAT never receives it. */
  notifyUrl?: string;
  /** scene_info.store_info.out_id and device_id on code payments (the shop's and the till's own ids). */
  storeId?: string;
  deviceId?: string;
}

const configSchema = z.object({
  mchid: z.string().regex(/^\d{6,32}$/, '商户号应为数字'),
  appid: z.string().min(1).max(32),
  merchantSerialNo: z.string().regex(/^[0-9A-Fa-f]{8,64}$/, '商户证书序列号应为十六进制'),
  merchantPrivateKeyPem: z.string().min(1),
  platformPublicKeyPem: z.string().min(1),
  platformPublicKeyId: z.string().min(1),
});

const OUT_TRADE_NO = /^[0-9A-Za-z_\-*]{6,32}$/;
const OUT_REFUND_NO = /^[0-9A-Za-z_\-|*@]{1,64}$/;
const MAX_FEN = 100_000_000_00; // ¥100,000,000: far above any till sale, below float trouble

const tradeBody = z.object({
  out_trade_no: z.string(),
  mchid: z.string().optional(),
  transaction_id: z.string().optional(),
  trade_state: z.enum(['SUCCESS', 'REFUND', 'NOTPAY', 'CLOSED', 'REVOKED', 'USERPAYING', 'PAYERROR']),
  trade_state_desc: z.string().optional(),
  amount: z.object({ total: z.number().int().optional(), payer_total: z.number().int().optional() }).partial().optional(),
});

const refundBody = z.object({
  refund_id: z.string().optional(),
  out_refund_no: z.string(),
  out_trade_no: z.string().optional(),
  status: z.enum(['SUCCESS', 'PROCESSING', 'CLOSED', 'ABNORMAL']),
  user_received_account: z.string().optional(),
  amount: z.object({ refund: z.number().int() }).partial().optional(),
});

interface Answer {
  status: number;
  data: Record<string, unknown> | undefined;
}

/** The description cut to WeChat's 127 UTF-8 bytes without splitting a character. */
function clipDescription(text: string): string {
  let out = '';
  for (const ch of text) {
    if (Buffer.byteLength(out + ch, 'utf8') > 127) break;
    out += ch;
  }
  return out || '商品';
}

/** Unix ms as WeChat's RFC 3339 time in Beijing time (time_expire). */
export function rfc3339Beijing(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+08:00');
}

function requireFen(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value <= 0 || value > MAX_FEN) throw new ProviderRefused('PARAM_ERROR', `${what}必须是大于 0 的整数（分）`);
}

function requireOutTradeNo(no: string): void {
  if (!OUT_TRADE_NO.test(no)) throw new ProviderRefused('PARAM_ERROR', '商户订单号应为 6–32 位字母、数字或 _-*');
}

export function createWechatProvider(config: WechatConfig, transport: ProviderTransport): PaymentProvider {
  const checked = configSchema.safeParse(config);
  if (!checked.success) throw new Error(`wechat: 设置不完整：${checked.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('；')}`);
  let merchantKey: KeyObject;
  const platformKeys = new Map<string, KeyObject>();
  try {
    merchantKey = createPrivateKey(config.merchantPrivateKeyPem);
    platformKeys.set(config.platformPublicKeyId, createPublicKey(config.platformPublicKeyPem));
    for (const c of config.platformCertificates ?? []) platformKeys.set(c.serialNo, new X509Certificate(c.certificatePem).publicKey);
  } catch {
    throw new Error('wechat: 商户私钥或微信支付公钥/平台证书无法读取（应为 PEM）');
  }
  const base = new URL(transport.baseUrl.replace(/\/+$/, '') + '/');
  const now = transport.now ?? Date.now;
  const ids = { mchid: config.mchid, serialNo: config.merchantSerialNo };

  /** One signed call. Returns any answer whose signature holds; throws OutcomeUnknown for everything else. */
  async function call(op: string, method: 'GET' | 'POST', path: string, payload?: object): Promise<Answer> {
    const url = new URL(path.replace(/^\//, ''), base);
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const signed = authorize(merchantKey, ids, { method, pathWithQuery: url.pathname + url.search, body }, now());
    let res: Response;
    let raw: Buffer;
    try {
      res = await fetch(url, {
        method,
        headers: {
          Authorization: signed.authorization,
          Accept: 'application/json',
          'Content-Type': 'application/json',
          'User-Agent': 'xiaodian-till wechatpay-v3',
        },
        body: method === 'GET' ? undefined : body,
        redirect: 'error',
        signal: AbortSignal.timeout(transport.timeoutMs),
      });
      raw = Buffer.from(await res.arrayBuffer());
    } catch (e) {
      const name = (e as { name?: string }).name;
      if (name === 'TimeoutError' || name === 'AbortError') throw new OutcomeUnknown('timeout', `${op}: ${transport.timeoutMs} ms 内没有应答，结果未知`);
      const cause = (e as { cause?: { code?: string } }).cause?.code;
      throw new OutcomeUnknown('network', `${op}: 网络错误${cause ? `（${cause}）` : ''}，结果未知`);
    }
    // A 5xx or 429 is "unknown" whatever it says or however it is signed.
    if (res.status >= 500 || res.status === 429) throw errorFor(op, res.status, lenientCode(raw), undefined);
    const check = checkResponse(res.headers, raw, platformKeys, now());
    if (!check.ok) throw new OutcomeUnknown(check.reason, `${op}: ${check.detail}，不信任这个应答`);
    let data: Record<string, unknown> | undefined;
    if (raw.length > 0) {
      try {
        data = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      } catch {
        throw new OutcomeUnknown('server_error', `${op}: 应答不是 JSON，结果未知`);
      }
    }
    return { status: res.status, data };
  }

  function fail(op: string, a: Answer): never {
    const code = typeof a.data?.code === 'string' ? a.data.code : undefined;
    const message = typeof a.data?.message === 'string' ? a.data.message : undefined;
    throw errorFor(op, a.status, code, message);
  }

  const isOk = (a: Answer) => a.status >= 200 && a.status < 300;
  const codeOf = (a: Answer) => (typeof a.data?.code === 'string' ? a.data.code : undefined);

  function tradeResult(op: string, a: Answer, outTradeNo: string): TradeResult {
    const parsed = tradeBody.safeParse(a.data);
    if (!parsed.success) throw new OutcomeUnknown('server_error', `${op}: 应答里没有可识别的 trade_state，结果未知`);
    const t = parsed.data;
    if (t.out_trade_no !== outTradeNo || (t.mchid !== undefined && t.mchid !== config.mchid)) {
      throw new OutcomeUnknown('server_error', `${op}: 应答的订单号或商户号与请求不一致，不信任这个应答`);
    }
    return {
      state: t.trade_state as TradeState,
      transactionId: t.transaction_id || undefined,
      amountFen: t.amount?.total,
      detail: t.trade_state_desc ? scrub(t.trade_state_desc) : undefined,
    };
  }

  function refundResult(op: string, a: Answer, outRefundNo: string, outTradeNo: string): RefundResult {
    const parsed = refundBody.safeParse(a.data);
    if (!parsed.success) throw new OutcomeUnknown('server_error', `${op}: 应答里没有可识别的退款状态，结果未知`);
    const r = parsed.data;
    if (r.out_refund_no !== outRefundNo || (r.out_trade_no !== undefined && r.out_trade_no !== outTradeNo)) {
      throw new OutcomeUnknown('server_error', `${op}: 应答的退款单号或订单号与请求不一致，不信任这个应答`);
    }
    return { state: r.status, refundId: r.refund_id, detail: r.user_received_account ? `退回${r.user_received_account}` : undefined };
  }

  const tradePath = (no: string) => `/v3/pay/transactions/out-trade-no/${encodeURIComponent(no)}`;

  async function query(outTradeNo: string): Promise<TradeResult> {
    requireOutTradeNo(outTradeNo);
    const a = await call('query', 'GET', `${tradePath(outTradeNo)}?mchid=${encodeURIComponent(config.mchid)}`);
    if (isOk(a)) return tradeResult('query', a, outTradeNo);
    const code = codeOf(a);
    if (code === 'ORDER_NOT_EXIST' || code === 'ORDERNOTEXIST') return { state: 'NOT_FOUND', detail: '微信支付没有这笔订单' };
    return fail('query', a);
  }

  return {
    name: 'wechat',

    async codePay(req: CodePayRequest): Promise<TradeResult> {
      requireOutTradeNo(req.outTradeNo);
      requireFen(req.amountFen, '收款金额');
      if (paymentCodeKind(req.authCode) !== 'wechat') throw new ProviderRefused('AUTH_CODE_INVALID', '这不是微信付款码（应为 10–15 开头的 18 位数字）');
      const a = await call('codepay', 'POST', '/v3/pay/transactions/codepay', {
        appid: config.appid,
        mchid: config.mchid,
        description: clipDescription(req.description),
        out_trade_no: req.outTradeNo,
        payer: { auth_code: req.authCode },
        amount: { total: req.amountFen, currency: 'CNY' },
        scene_info: { ...(config.deviceId ? { device_id: config.deviceId } : {}), store_info: { out_id: config.storeId ?? config.mchid } },
      });
      if (isOk(a)) return tradeResult('codepay', a, req.outTradeNo);
      if (codeOf(a) === 'USERPAYING') return { state: 'USERPAYING', detail: '用户支付中，需要输入密码' };
      return fail('codepay', a);
    },

    query,

    async reverse(outTradeNo: string): Promise<ReverseResult> {
      // The reverse answer does not say whether money had been taken: the query just before does. A
      // payment that completes between the two is refunded by the reverse all the same (the outcome then
      // reads CLOSED: nothing is kept either way).
      const before = await query(outTradeNo);
      const a = await call('reverse', 'POST', `${tradePath(outTradeNo)}/reverse`, { appid: config.appid, mchid: config.mchid });
      if (!isOk(a)) return fail('reverse', a);
      return { outcome: before.state === 'SUCCESS' || before.state === 'REFUND' ? 'REFUNDED' : 'CLOSED' };
    },

    async qrCreate(req: QrCreateRequest): Promise<{ codeUrl: string }> {
      requireOutTradeNo(req.outTradeNo);
      requireFen(req.amountFen, '收款金额');
      const a = await call('native', 'POST', '/v3/pay/transactions/native', {
        appid: config.appid,
        mchid: config.mchid,
        description: clipDescription(req.description),
        out_trade_no: req.outTradeNo,
        time_expire: rfc3339Beijing(req.expiresAt),
        notify_url: config.notifyUrl ?? 'https://notify.invalid/wechatpay',
        amount: { total: req.amountFen, currency: 'CNY' },
      });
      if (!isOk(a)) return fail('native', a);
      const codeUrl = a.data?.code_url;
      if (typeof codeUrl !== 'string' || !codeUrl.startsWith('weixin://')) throw new OutcomeUnknown('server_error', 'native: 应答里没有 code_url，结果未知');
      return { codeUrl };
    },

    async close(outTradeNo: string): Promise<void> {
      requireOutTradeNo(outTradeNo);
      const a = await call('close', 'POST', `${tradePath(outTradeNo)}/close`, { mchid: config.mchid });
      if (!isOk(a)) fail('close', a);
    },

    async refund(req: RefundRequest): Promise<RefundResult> {
      requireOutTradeNo(req.outTradeNo);
      if (!OUT_REFUND_NO.test(req.outRefundNo)) throw new ProviderRefused('PARAM_ERROR', '退款单号应为 1–64 位字母、数字或 _-|*@');
      requireFen(req.refundFen, '退款金额');
      requireFen(req.totalFen, '原订单金额');
      if (req.refundFen > req.totalFen) throw new ProviderRefused('PARAM_ERROR', '退款金额不能大于原订单金额');
      const a = await call('refund', 'POST', '/v3/refund/domestic/refunds', {
        out_trade_no: req.outTradeNo,
        out_refund_no: req.outRefundNo,
        ...(req.reason ? { reason: clipDescription(req.reason).slice(0, 80) } : {}),
        amount: { refund: req.refundFen, total: req.totalFen, currency: 'CNY' },
      });
      if (!isOk(a)) return fail('refund', a);
      return refundResult('refund', a, req.outRefundNo, req.outTradeNo);
    },

    async queryRefund(outRefundNo: string, outTradeNo: string): Promise<RefundResult> {
      if (!OUT_REFUND_NO.test(outRefundNo)) throw new ProviderRefused('PARAM_ERROR', '退款单号应为 1–64 位字母、数字或 _-|*@');
      const a = await call('refund_query', 'GET', `/v3/refund/domestic/refunds/${encodeURIComponent(outRefundNo)}`);
      if (!isOk(a)) return fail('refund_query', a);
      return refundResult('refund_query', a, outRefundNo, outTradeNo);
    },
  };
}

/** The `code` of an unsigned error body, for the message only. */
function lenientCode(raw: Buffer): string | undefined {
  try {
    const code = (JSON.parse(raw.toString('utf8')) as { code?: unknown }).code;
    return typeof code === 'string' && /^[A-Z_]{2,40}$/.test(code) ? code : undefined;
  } catch {
    return undefined;
  }
}
