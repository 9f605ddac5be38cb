// What a WeChat Pay v3 error answer means for money. Only codes that say "this request was refused and
// took nothing" become ProviderRefused (with words for the cashier); 5xx, 429 and any code we do not
// know are OutcomeUnknown, so the attempt is settled by a query, never guessed. Names marked UNVERIFIED
// are not in the public tables (PLATFORMS.md §8); the v2 spellings are accepted beside the v3 ones.
import { maskCode } from '../../../shared/payment-code';
import { OutcomeUnknown, ProviderRefused } from '../provider';

/** code → [message for the cashier, may be retried later with the same out_trade_no]. */
const REFUSALS: Record<string, [string, boolean]> = {
  AUTH_CODE_INVALID: ['付款码无效，请让顾客刷新付款码后重新扫描', false],
  AUTH_CODE_ERROR: ['付款码无效，请让顾客刷新付款码后重新扫描', false],
  AUTHCODEEXPIRE: ['付款码已过期，请让顾客刷新付款码后重新扫描', false],
  AUTH_CODE_EXPIRE: ['付款码已过期，请让顾客刷新付款码后重新扫描', false],
  NOT_ENOUGH: ['顾客余额不足，请换一张卡或换一种付款方式', false],
  NOTENOUGH: ['顾客余额不足，请换一张卡或换一种付款方式', false],
  BUYER_MISMATCH: ['支付账号与原订单不一致', false],
  RULE_LIMIT: ['交易受限（限额或风控），请换一种付款方式', false],
  TRADE_ERROR: ['微信支付拒绝了这笔交易，请换一种付款方式', false],
  NO_AUTH: ['商户号没有这个接口的权限，请检查微信支付商户平台的产品开通情况', false],
  SIGN_ERROR: ['微信支付验签失败：请检查商户号、商户证书序列号、商户私钥和本机时间', false],
  MCH_NOT_EXISTS: ['商户号不存在，请检查微信支付设置', false],
  APPID_MCHID_NOT_MATCH: ['AppID 与商户号不匹配，请检查微信支付设置', false],
  PARAM_ERROR: ['微信支付说请求参数有误', false],
  INVALID_REQUEST: ['微信支付拒绝了这个请求', false],
  OUT_TRADE_NO_USED: ['这个商户订单号已用于另一笔不同的交易', false], // UNVERIFIED (v2 name)
  ORDER_PAID: ['订单已支付，不能关闭', false], // UNVERIFIED
  ORDERPAID: ['订单已支付，不能关闭', false],
  ORDER_CLOSED: ['订单已关闭', false],
  ORDERCLOSED: ['订单已关闭', false],
  ORDER_REVERSED: ['订单已撤销', false],
  ORDERREVERSED: ['订单已撤销', false],
  REVERSE_TOO_EARLY: ['下单不足 15 秒，微信支付暂不允许撤销，稍后自动重试', true], // UNVERIFIED
  ORDER_NOT_EXIST: ['微信支付没有这笔订单', false],
  ORDERNOTEXIST: ['微信支付没有这笔订单', false],
  RESOURCE_NOT_EXISTS: ['微信支付没有这笔订单或退款', false],
  USER_ACCOUNT_ABNORMAL: ['顾客的微信支付账户异常，无法原路退款', false],
};

/** Codes that mean "try again later" whatever the status says. */
const TRANSIENT = new Set(['SYSTEM_ERROR', 'SYSTEMERROR', 'BANK_ERROR', 'BANKERROR', 'FREQUENCY_LIMITED', 'FREQUENCY_LIMIT_EXCEED']);

/** The error for a non-2xx answer whose signature has been checked (or a 5xx/429 where it does not matter). */
export function errorFor(op: string, status: number, code: string | undefined, platformMessage: string | undefined): OutcomeUnknown | ProviderRefused {
  const shown = `${op}: HTTP ${status}${code ? ` ${code}` : ''}`;
  if (status === 429 || code === 'FREQUENCY_LIMITED') return new OutcomeUnknown('rate_limited', `${shown}（请求太频繁，稍后再查）`);
  if (status >= 500 || (code && TRANSIENT.has(code))) return new OutcomeUnknown('server_error', `${shown}（微信支付暂时出错，结果未知）`);
  const known = code ? REFUSALS[code] : undefined;
  if (!known || status < 400) return new OutcomeUnknown('server_error', `${shown}（不认识的应答，结果未知，需要查单）`);
  const [words, retryable] = known;
  // The platform's own message adds the detail for generic codes (PARAM_ERROR, INVALID_REQUEST: "申请退款金额超过订单可退金额").
  const detail = platformMessage && (code === 'PARAM_ERROR' || code === 'INVALID_REQUEST' || code === 'TRADE_ERROR') ? `：${scrub(platformMessage).slice(0, 120)}` : '';
  return new ProviderRefused(code!, `${words}${detail}`, retryable);
}

/** A platform message may quote what we sent: never pass a payment code (a long digit run) through in full. */
export function scrub(text: string): string {
  return text.replace(/\d{12,}/g, (d) => maskCode(d));
}
