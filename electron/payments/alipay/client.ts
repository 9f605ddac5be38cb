// Alipay (支付宝开放平台, OpenAPI 2.0 gateway) behind the PaymentProvider interface, through Alipay's
// own Node SDK (alipay-sdk v4). The SDK signs the request (RSA2) and, because we always pass
// validateSign: true, checks the signature of the exact `*_response` substring (PLATFORMS 6.4: on its
// defaults it would trust a forged success). What the SDK leaves to us:
// - the timestamp: it stamps the PC's local time, the gateway reads Beijing time, so we pass our own;
// - what an answer means for money (codes.ts): 10000/10003/40004 TRADE_HAS_SUCCESS/20000, and every
//   transport failure is OutcomeUnknown, never a failure.
import type { AlipaySdk } from 'alipay-sdk';
import { createPrivateKey, createPublicKey } from 'node:crypto';
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
} from '../provider';
import { beijingTimestamp, fenToYuan, yuanToFen } from './format';
import { PAY_REFUSED, REFUND_REFUSED, refusal, refusedOrUnknown, tradeStateOf, type AlipayAnswer } from './codes';

export interface AlipayConfig {
  appId: string;
  /** The app's private key (应用私钥), PEM (PKCS#1 or PKCS#8). */
  appPrivateKeyPem: string;
  /** Alipay's public key (支付宝公钥) for response signatures, PEM (SPKI). */
  alipayPublicKeyPem: string;
}

/** `${baseUrl}/gateway.do`; a base URL that already names the gateway is kept as it is. */
export function gatewayUrl(baseUrl: string): string {
  const b = baseUrl.replace(/\/+$/, '');
  return b.endsWith('/gateway.do') ? b : `${b}/gateway.do`;
}

/** Any PEM Node reads (PKCS#1/PKCS#8 private, SPKI/PKCS#1 public), as the PKCS#8/SPKI the SDK is told it gets. */
function normalizeKeys(config: AlipayConfig): { privateKey: string; publicKey: string } {
  return {
    privateKey: createPrivateKey(config.appPrivateKeyPem).export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: createPublicKey(config.alipayPublicKeyPem).export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** What the SDK threw, as the interface's OutcomeUnknown: the call may or may not have reached Alipay. */
function unknownFrom(e: unknown, method: string): OutcomeUnknown {
  const msg = e instanceof Error ? e.message : String(e);
  if (e instanceof Error && e.name === 'AlipayRequestError') {
    if (msg.includes('验签失败')) return new OutcomeUnknown('bad_signature', `${method}: 支付宝应答签名验证失败`);
    const status = /status: (\d{3})/.exec(msg)?.[1];
    if (status) return new OutcomeUnknown(status === '429' ? 'rate_limited' : 'server_error', `${method}: HTTP ${status}`);
    if (msg.includes('Response 格式错误')) return new OutcomeUnknown('server_error', `${method}: 应答格式错误`);
    const cause = (e as { cause?: { name?: string; code?: string } }).cause;
    if (/timeout/i.test(`${cause?.name ?? ''} ${cause?.code ?? ''}`)) return new OutcomeUnknown('timeout', `${method}: 请求超时`);
  }
  return new OutcomeUnknown('network', `${method}: ${msg.slice(0, 200)}`);
}

/** Amounts and order numbers are checked before any call: a bad one is refused with nothing sent. */
function yuanOf(fen: number, what: string): string {
  if (!Number.isSafeInteger(fen) || fen <= 0) throw new ProviderRefused('PARAM_ERROR', `${what}必须是大于 0 的整数（分）`);
  return fenToYuan(fen);
}
const OUT_NO = /^[0-9A-Za-z_\-]{1,64}$/;
function requireNo(no: string, what: string): void {
  if (!OUT_NO.test(no)) throw new ProviderRefused('PARAM_ERROR', `${what}应为 1–64 位字母、数字、_ 或 -`);
}

export function createAlipayProvider(config: AlipayConfig, transport: ProviderTransport): PaymentProvider {
  if (!config.alipayPublicKeyPem.trim()) throw new Error('alipay: the Alipay public key is required (responses are always verified)');
  const keys = normalizeKeys(config); // a bad key fails here, not at the first payment
  // The SDK (and its HTTP stack) is loaded on the first call, not at the till's start-up.
  let sdk: Promise<AlipaySdk> | null = null;
  const getSdk = () =>
    (sdk ??= import('alipay-sdk').then(
      ({ AlipaySdk }) =>
        new AlipaySdk({
          appId: config.appId,
          privateKey: keys.privateKey,
          keyType: 'PKCS8',
          alipayPublicKey: keys.publicKey,
          gateway: gatewayUrl(transport.baseUrl),
          timeout: transport.timeoutMs,
          camelcase: false, // the answers keep Alipay's own field names
        }),
    ));
  const now = transport.now ?? Date.now;
  /** Trades created as a shown QR in this process: WAIT_BUYER_PAY is NOTPAY for them, and "not exist" only means "not scanned yet". */
  const qrTrades = new Set<string>();

  async function call(method: string, biz: Record<string, string>): Promise<AlipayAnswer> {
    try {
      const answer = await (await getSdk()).exec(method, { bizContent: biz, timestamp: beijingTimestamp(now()) }, { validateSign: true });
      const a = answer as unknown as AlipayAnswer;
      // A gateway or system error: the request may have been applied (ACQ.SYSTEM_ERROR, 20000).
      if (a.code === '20000' || a.sub_code === 'ACQ.SYSTEM_ERROR' || a.sub_code === 'aop.ACQ.SYSTEM_ERROR') {
        throw new OutcomeUnknown('server_error', `${method}: ${a.sub_msg ?? a.msg ?? a.code}`);
      }
      return a;
    } catch (e) {
      if (e instanceof OutcomeUnknown) throw e;
      throw unknownFrom(e, method);
    }
  }

  function tradeResult(a: AlipayAnswer, qr: boolean): TradeResult {
    return {
      state: tradeStateOf(a.trade_status, qr),
      ...(a.trade_no ? { transactionId: a.trade_no } : {}),
      ...(a.total_amount ? { amountFen: yuanToFen(a.total_amount) } : {}),
      ...(a.sub_msg ? { detail: a.sub_msg } : {}),
    };
  }

  async function query(outTradeNo: string): Promise<TradeResult> {
    const a = await call('alipay.trade.query', { out_trade_no: outTradeNo });
    const qr = qrTrades.has(outTradeNo);
    if (a.code === '10000') return tradeResult(a, qr);
    if (a.sub_code === 'ACQ.TRADE_NOT_EXIST') {
      // A precreated QR is unknown to Alipay until the customer scans it: not a final "no such trade".
      return qr ? { state: 'NOTPAY', detail: '顾客尚未扫码' } : { state: 'NOT_FOUND', detail: a.sub_msg ?? '交易不存在' };
    }
    throw refusal(a);
  }

  return {
    name: 'alipay',

    async codePay(req: CodePayRequest): Promise<TradeResult> {
      requireNo(req.outTradeNo, '商户订单号');
      const totalAmount = yuanOf(req.amountFen, '收款金额');
      const a = await call('alipay.trade.pay', {
        out_trade_no: req.outTradeNo,
        scene: 'bar_code',
        auth_code: req.authCode,
        product_code: 'FACE_TO_FACE_PAYMENT',
        subject: req.description,
        total_amount: totalAmount,
      });
      if (a.code === '10000') return { ...tradeResult(a, false), state: 'SUCCESS' };
      if (a.code === '10003') return { ...tradeResult(a, false), state: 'USERPAYING', detail: '请在手机上输入密码' };
      // A repeat of an out_trade_no already paid (our retry after a timeout): it is paid; ask for the details.
      if (a.sub_code === 'ACQ.TRADE_HAS_SUCCESS') return query(req.outTradeNo);
      if (a.sub_code === 'ACQ.TRADE_HAS_CLOSE') return { state: 'CLOSED', detail: a.sub_msg ?? '交易已关闭' };
      throw refusedOrUnknown(a, PAY_REFUSED, 'alipay.trade.pay');
    },

    query,

    async reverse(outTradeNo: string): Promise<ReverseResult> {
      const a = await call('alipay.trade.cancel', { out_trade_no: outTradeNo });
      if (a.code === '10000') return { outcome: a.action === 'refund' ? 'REFUNDED' : 'CLOSED' };
      // Nothing to cancel: Alipay never saw the trade (it cannot take money under this number now).
      if (a.sub_code === 'ACQ.TRADE_NOT_EXIST') return { outcome: 'CLOSED' };
      throw refusal(a, a.retry_flag === 'Y');
    },

    async qrCreate(req: QrCreateRequest): Promise<{ codeUrl: string }> {
      requireNo(req.outTradeNo, '商户订单号');
      const totalAmount = yuanOf(req.amountFen, '收款金额');
      const minutes = Math.max(1, Math.ceil((req.expiresAt - now()) / 60_000));
      qrTrades.add(req.outTradeNo);
      const a = await call('alipay.trade.precreate', {
        out_trade_no: req.outTradeNo,
        total_amount: totalAmount,
        subject: req.description,
        timeout_express: `${minutes}m`,
      });
      if (a.code === '10000' && a.qr_code) return { codeUrl: a.qr_code };
      throw refusal(a);
    },

    async close(outTradeNo: string): Promise<void> {
      const a = await call('alipay.trade.close', { out_trade_no: outTradeNo });
      if (a.code === '10000' || a.sub_code === 'ACQ.TRADE_NOT_EXIST') return; // closed, or never scanned
      throw refusal(a);
    },

    async refund(req: RefundRequest): Promise<RefundResult> {
      requireNo(req.outRefundNo, '退款单号');
      const refundAmount = yuanOf(req.refundFen, '退款金额');
      const a = await call('alipay.trade.refund', {
        out_trade_no: req.outTradeNo,
        out_request_no: req.outRefundNo,
        refund_amount: refundAmount,
        ...(req.reason ? { refund_reason: req.reason } : {}),
      });
      // Alipay refunds synchronously; a repeat of the same out_request_no answers 10000 again (fund_change N).
      if (a.code === '10000') return { state: 'SUCCESS', refundId: req.outRefundNo, ...(a.trade_no ? { detail: `trade_no ${a.trade_no}` } : {}) };
      throw refusedOrUnknown(a, REFUND_REFUSED, 'alipay.trade.refund');
    },

    async queryRefund(outRefundNo: string, outTradeNo: string): Promise<RefundResult> {
      const a = await call('alipay.trade.fastpay.refund.query', { out_trade_no: outTradeNo, out_request_no: outRefundNo });
      // Alipay's rule: an answer with refund data and refund_status empty or REFUND_SUCCESS is a done
      // refund; no data means it did not happen (the same out_request_no may be sent again).
      if (a.code === '10000') {
        if (a.refund_amount && (!a.refund_status || a.refund_status === 'REFUND_SUCCESS')) return { state: 'SUCCESS', refundId: outRefundNo };
        return { state: 'CLOSED', detail: '未查到该退款（未退款），可用同一退款单号重试' };
      }
      if (a.sub_code === 'ACQ.TRADE_NOT_EXIST') return { state: 'CLOSED', detail: '交易不存在，未退款' };
      throw refusal(a);
    },
  };
}
