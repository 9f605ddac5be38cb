// The tenders the till knows, by method. The payments issue adds wechat, alipay, unionpay, stored value.
import { TillError } from '../../../shared/errors';
import { cardTerminalTender } from './card-terminal';
import { cashTender } from './cash';
import type { Tender } from './types';

const tenders = new Map<string, Tender<never>>([
  [cashTender.method, cashTender],
  [cardTerminalTender.method, cardTerminalTender],
]);

export function tenderFor(method: string): Tender<never> {
  const t = tenders.get(method);
  if (!t) throw new TillError('UNKNOWN_TENDER', `不支持的支付方式：${method}`);
  return t;
}

export const tenderLabel = (method: string): string => tenders.get(method)?.label ?? method;
