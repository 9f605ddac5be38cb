// The tenders the till knows, by method. The payments issue adds wechat, alipay, unionpay, stored value.
import { TillError } from '../../../shared/errors';
import { cardTerminalTender } from './card-terminal';
import { alipayTender } from './alipay';
import { cashTender } from './cash';
import type { Tender } from './types';
import { voucherTender } from './voucher';
import { wechatTender } from './wechat';

const tenders = new Map<string, Tender<never>>([
  [cashTender.method, cashTender],
  [cardTerminalTender.method, cardTerminalTender],
  [wechatTender.method, wechatTender as Tender<never>],
  [alipayTender.method, alipayTender as Tender<never>],
  [voucherTender.method, voucherTender as Tender<never>],
]);

export function tenderFor(method: string): Tender<never> {
  const t = tenders.get(method);
  if (!t) throw new TillError('UNKNOWN_TENDER', `不支持的支付方式：${method}`);
  return t;
}

export const tenderLabel = (method: string): string => tenders.get(method)?.label ?? method;
