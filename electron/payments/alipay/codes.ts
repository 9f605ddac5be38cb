// What Alipay's answers mean: trade_status → the interface's TradeState, and a refused request
// (40001/40002/40004/…) → ProviderRefused with words a cashier can read. Codes as documented by
// Alipay's open platform error tables (PLATFORMS 6.2; sub_code names are the gateway's own).
import { OutcomeUnknown, ProviderRefused, type TradeState } from '../provider';

/** The fields of a `*_response` the client reads (Alipay's own snake_case names). */
export interface AlipayAnswer {
  code: string;
  msg?: string;
  sub_code?: string;
  sub_msg?: string;
  trade_no?: string;
  out_trade_no?: string;
  trade_status?: string;
  total_amount?: string;
  qr_code?: string;
  /** trade.cancel: close (nothing was paid) or refund (it was paid and is refunded). */
  action?: string;
  /** trade.cancel: Y = a transient failure, call cancel again. */
  retry_flag?: string;
  refund_amount?: string;
  refund_status?: string;
  fund_change?: string;
}

/** WAIT_BUYER_PAY is USERPAYING for a scanned code, NOTPAY for a shown QR (PaymentProvider's words). */
export function tradeStateOf(status: string | undefined, qr: boolean): TradeState {
  switch (status) {
    case 'TRADE_SUCCESS':
    case 'TRADE_FINISHED':
      return 'SUCCESS';
    case 'TRADE_CLOSED':
      return 'CLOSED'; // closed unpaid, cancelled, or fully refunded: no money kept either way
    case 'WAIT_BUYER_PAY':
    default:
      return qr ? 'NOTPAY' : 'USERPAYING'; // unknown status: not final, keep asking
  }
}

const WORDS: Record<string, string> = {
  'ACQ.PAYMENT_AUTH_CODE_INVALID': '付款码无效或已过期，请顾客刷新付款码后重扫',
  'ACQ.BUYER_BALANCE_NOT_ENOUGH': '顾客支付宝余额不足，请换卡或换其他方式付款',
  'ACQ.BUYER_BANKCARD_BALANCE_NOT_ENOUGH': '顾客银行卡余额不足，请换其他方式付款',
  'ACQ.ERROR_BALANCE_PAYMENT_DISABLE': '顾客的余额支付已关闭，请换其他方式付款',
  'ACQ.BUYER_ENABLE_STATUS_FORBID': '顾客账户状态不能付款',
  'ACQ.PAYMENT_REQUEST_HAS_RISK': '支付宝判定此笔支付有风险，未扣款',
  'ACQ.PAYMENT_FAIL': '支付失败，未扣款，请顾客重新出示付款码',
  'ACQ.BUYER_SELLER_EQUAL': '买家与卖家是同一账户，不能付款',
  'ACQ.TOTAL_FEE_EXCEED': '金额超出限制',
  'ACQ.CONTEXT_INCONSISTENT': '同一单号的交易信息不一致（金额或内容变了），未扣款',
  'ACQ.TRADE_HAS_CLOSE': '交易已关闭',
  'ACQ.TRADE_HAS_FINISHED': '交易已完结，不能再操作',
  'ACQ.TRADE_STATUS_ERROR': '交易状态不允许此操作',
  'ACQ.TRADE_NOT_EXIST': '支付宝没有这笔交易',
  'ACQ.TRADE_NOT_ALLOW_REFUND': '这笔交易不允许退款',
  'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL': '退款金额超出这笔交易可退的金额',
  'ACQ.SELLER_BALANCE_NOT_ENOUGH': '商户支付宝余额不足，无法退款',
  'ACQ.DISCORDANT_REPEAT_REQUEST': '同一退款单号的退款金额与之前不一致',
  'ACQ.REASON_TRADE_BEEN_FREEZEN': '交易已被冻结，不能退款',
  'ACQ.ACCESS_FORBIDDEN': '商户无权调用此接口（请在支付宝开放平台开通当面付）',
  'ACQ.INVALID_PARAMETER': '请求参数无效',
  'isv.invalid-signature': '支付宝验签失败：应用私钥与上传到支付宝的应用公钥不匹配',
  'isv.invalid-timestamp': '支付宝拒绝了请求时间，请检查本机时钟',
  'isv.invalid-app-id': '支付宝应用 ID（APPID）无效',
  'isv.insufficient-isv-permissions': '应用没有此接口的权限',
};

/** A refused request as ProviderRefused (code = sub_code, or the gateway code when there is none). */
export function refusal(a: AlipayAnswer, retryable = false): ProviderRefused {
  const code = a.sub_code ?? `ALIPAY_${a.code}`;
  const words = WORDS[code] ?? (a.sub_msg ? `支付宝拒绝：${a.sub_msg}` : `支付宝拒绝了请求（${a.code} ${a.msg ?? ''}）`);
  return new ProviderRefused(code, words, retryable);
}

/** trade.pay sub_codes that mean "refused, nothing taken" (Alipay's 当面付 error table). */
export const PAY_REFUSED: ReadonlySet<string> = new Set([
  'ACQ.PAYMENT_AUTH_CODE_INVALID',
  'ACQ.BUYER_BALANCE_NOT_ENOUGH',
  'ACQ.BUYER_BANKCARD_BALANCE_NOT_ENOUGH',
  'ACQ.ERROR_BALANCE_PAYMENT_DISABLE',
  'ACQ.BUYER_ENABLE_STATUS_FORBID',
  'ACQ.BUYER_SELLER_EQUAL',
  'ACQ.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR',
  'ACQ.BUYER_PAYMENT_AMOUNT_MONTH_LIMIT_ERROR',
  'ACQ.BEYOND_PAY_RESTRICTION',
  'ACQ.BEYOND_PER_RECEIPT_RESTRICTION',
  'ACQ.PAYMENT_REQUEST_HAS_RISK',
  'ACQ.PAYMENT_FAIL',
  'ACQ.PULL_MOBILE_CASHIER_FAIL',
  'ACQ.MOBILE_PAYMENT_SWITCH_OFF',
  'ACQ.TRADE_BUYER_NOT_MATCH',
  'ACQ.TOTAL_FEE_EXCEED',
  'ACQ.CONTEXT_INCONSISTENT',
  'ACQ.ACCESS_FORBIDDEN',
  'ACQ.INVALID_PARAMETER',
  'ACQ.INVALID_STORE_ID',
  'ACQ.SECONDARY_MERCHANT_STATUS_ERROR',
]);

/** trade.refund sub_codes that mean "refused, nothing moved". */
export const REFUND_REFUSED: ReadonlySet<string> = new Set([
  'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL',
  'ACQ.TRADE_NOT_ALLOW_REFUND',
  'ACQ.SELLER_BALANCE_NOT_ENOUGH',
  'ACQ.DISCORDANT_REPEAT_REQUEST',
  'ACQ.REASON_TRADE_BEEN_FREEZEN',
  'ACQ.TRADE_NOT_EXIST',
  'ACQ.TRADE_HAS_FINISHED',
  'ACQ.TRADE_HAS_CLOSE',
  'ACQ.TRADE_STATUS_ERROR',
  'ACQ.ACCESS_FORBIDDEN',
  'ACQ.INVALID_PARAMETER',
]);

/**
 * For a call that moves money: a refusal only when Alipay's answer is one we know means "nothing
 * happened" — the gateway's own refusals (40001/40002/40003/20001: the request never reached the
 * trade) or a listed sub_code. Any other business answer may hide an applied request, so it is
 * OutcomeUnknown: the flow queries instead of concluding.
 */
export function refusedOrUnknown(a: AlipayAnswer, known: ReadonlySet<string>, method: string): ProviderRefused | OutcomeUnknown {
  if (a.code !== '40004' || (a.sub_code && known.has(a.sub_code))) return refusal(a);
  return new OutcomeUnknown('server_error', `${method}: 未知应答 ${a.code} ${a.sub_code ?? ''} ${a.sub_msg ?? ''}`.trim());
}
