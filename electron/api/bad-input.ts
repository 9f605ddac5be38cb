// A refusal of malformed input, worded for the person at the till. The message is a sentence: the
// schema's own words for the field when its author wrote some ("金额超出范围", "请输入终端参考号"),
// else the field named in words ("数量有误，请检查后重试"). Never a field path (payments.0.amountFen)
// or zod's schema text ("数值过大：期望 number <=100000000"): those stay in `details.issues` and the log,
// for integrators and for us.
import type { z } from 'zod';
import { TillError } from '../../shared/errors';

/** Stands in for every message the schema did not write itself (zod's own, from its locale). */
const NOT_OWN = '\u0000';

/** The words for an input field, by its key; the deepest known key of a path names the field. */
const FIELD_WORDS: Record<string, string> = {
  amountFen: '金额',
  openingCashFen: '金额',
  countedFen: '金额',
  priceFen: '价格',
  unitPriceFen: '价格',
  qty: '数量',
  multiplier: '倍数',
  code: '条码',
  barcode: '条码',
  pin: 'PIN',
  reference: '参考号',
  refundReferences: '参考号',
  receiptNo: '小票号',
  phone: '手机号',
  method: '付款方式',
  payments: '付款',
  discount: '折扣',
  bp: '折扣',
  name: '名称',
  note: '备注',
  reason: '原因',
  lines: '商品',
  businessDay: '营业日',
  q: '查找内容',
};

function fieldWords(path: readonly PropertyKey[]): string | null {
  for (let i = path.length - 1; i >= 0; i--) {
    const k = path[i];
    if (typeof k === 'string' && FIELD_WORDS[k]) return FIELD_WORDS[k];
  }
  return null;
}

/** The BAD_INPUT for `raw` refused by `schema` (with `error`, the refusal in zod's words). */
export function badInput(schema: z.ZodType, raw: unknown, error: z.ZodError): TillError {
  // Parse again with a stand-in for every message the schema did not write: what comes back other
  // than the stand-in is its author's sentence. Only on a refusal, so the happy path parses once.
  const again = schema.safeParse(raw, { error: () => NOT_OWN });
  const first = again.success ? undefined : again.error.issues[0];
  const own = first && first.message !== NOT_OWN ? first.message : null;
  const field = fieldWords((first ?? error.issues[0]).path);
  const message = own ?? (field ? `${field}有误，请检查后重试` : '输入的内容有误，请检查后重试');
  return new TillError('BAD_INPUT', message, {
    issues: error.issues.map((i) => ({ path: i.path, message: i.message })),
  });
}
