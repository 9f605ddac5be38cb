// Customer payment codes (付款码): the barcode a customer's WeChat or Alipay app shows, scanned by the
// till to charge them. Told apart from product barcodes, member cards and receipt numbers by their
// published shapes, so a scan goes to the payment flow wherever it lands and is never typed as an
// amount. A payment code is a bearer token for a moment: never log or show it in full (maskCode).

export type PaymentCodeKind = 'wechat' | 'alipay';

/** WeChat Pay: 18 digits starting 10–15. Alipay: 16–24 digits starting 25–30. */
const SHAPES: [PaymentCodeKind, RegExp][] = [
  ['wechat', /^1[0-5]\d{16}$/],
  ['alipay', /^(2[5-9]|30)\d{14,22}$/],
];

/** Which wallet issued `code`, or null when it is not a payment code (EAN-13, scale labels, receipts…). */
export function paymentCodeKind(code: string): PaymentCodeKind | null {
  for (const [kind, shape] of SHAPES) if (shape.test(code)) return kind;
  return null;
}

/** UnionPay / 云闪付: 19 digits starting 62 (the till does not acquire it; it is still never a product or voucher). */
export function isUnionPayCode(code: string): boolean {
  return /^62\d{17}$/.test(code);
}

/** The first and last 4 characters, the rest starred: enough to match a complaint to a scan, not to pay. */
export function maskCode(code: string): string {
  if (code.length <= 8) return '*'.repeat(code.length);
  return `${code.slice(0, 4)}${'*'.repeat(code.length - 8)}${code.slice(-4)}`;
}
