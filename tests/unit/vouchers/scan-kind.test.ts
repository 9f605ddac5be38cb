// The scan classifier (shared/scan-kind.ts): product barcodes and payment codes are never vouchers or
// pickup codes, whatever their digits; the voucher shapes route to their platform; cut-off links are named.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gtinCheckDigit, makeEan13 } from '../../../shared/barcode';
import { paymentCodeKind } from '../../../shared/payment-code';
import { fitsVoucher, scanKind, voucherPlatformOf } from '../../../shared/scan-kind';

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));
const withCheck = (body: string) => body + gtinCheckDigit(body);
const notVoucherOrPickup = (s: string) => {
  const k = scanKind(s);
  return k.kind !== 'douyin_link' && k.kind !== 'code' && !fitsVoucher(s, 'douyin') && !fitsVoucher(s, 'meituan');
};

describe('scanKind', () => {
  it('every valid EAN-13 (label-scale codes included) is a product, never a voucher or pickup code', () => {
    fc.assert(fc.property(digits(12), (b) => scanKind(makeEan13(b)).kind === 'product' && notVoucherOrPickup(makeEan13(b))), { numRuns: 2000 });
  });

  it('every valid EAN-8 and UPC-A is a product', () => {
    fc.assert(fc.property(digits(7), (b) => scanKind(withCheck(b)).kind === 'product' && notVoucherOrPickup(withCheck(b))), { numRuns: 2000 });
    fc.assert(fc.property(digits(11), (b) => scanKind(withCheck(b)).kind === 'product' && notVoucherOrPickup(withCheck(b))), { numRuns: 2000 });
  });

  it('every WeChat, Alipay and UnionPay payment code is a payment, never a voucher or pickup code', () => {
    const wechat = fc.tuple(fc.integer({ min: 10, max: 15 }), digits(16)).map(([p, d]) => `${p}${d}`);
    const alipay = fc.tuple(fc.integer({ min: 25, max: 30 }), fc.integer({ min: 14, max: 22 }).chain((n) => digits(n))).map(([p, d]) => `${p}${d}`);
    const unionpay = digits(17).map((d) => `62${d}`);
    fc.assert(
      fc.property(fc.oneof(wechat, alipay, unionpay), (code) => {
        const k = scanKind(code);
        // A product barcode wins over everything; otherwise a payment code is a payment.
        return (k.kind === 'payment' || k.kind === 'product') && notVoucherOrPickup(code);
      }),
      { numRuns: 3000 },
    );
  });

  it('a full-width typed payment code is still a payment (NFKC)', () => {
    expect(scanKind('１３４５６７８９０１２３４５６７８９')).toEqual({ kind: 'payment', wallet: 'wechat' });
    expect(paymentCodeKind('134567890123456789')).toBe('wechat');
  });

  it('voucher shapes route to their platform; 10/12 digits may also be a pickup code', () => {
    expect(scanKind('150000000000000')).toEqual({ kind: 'code', code: '150000000000000', candidates: ['douyin'] });
    expect(voucherPlatformOf('150000000000000')).toBe('douyin');
    const twelve = '700000000001'; // not a valid UPC-A (check digit 4)
    expect(scanKind(twelve)).toEqual({ kind: 'code', code: twelve, candidates: ['meituan', 'pickup'] });
    expect(voucherPlatformOf('7000000001')).toBe('meituan');
    expect(scanKind('123456')).toEqual({ kind: 'code', code: '123456', candidates: ['pickup'] });
  });

  it('Douyin links: a short link, a long link by object_id; cut-off ones are named, other links are not vouchers', () => {
    expect(scanKind('https://v.douyin.com/iRNBho6u/')).toMatchObject({ kind: 'douyin_link', shortId: 'iRNBho6u', objectId: null });
    const objectId = 'CgYIASAHKAESLgosAbCdEfGhIjKlMnOp';
    expect(scanKind(`https://www.douyin.com/x?object_id=${objectId}&y=1`)).toMatchObject({ kind: 'douyin_link', objectId });
    expect(scanKind('https://v.douyin.com/')).toMatchObject({ kind: 'bad_link' });
    expect(scanKind('https://v.douyin.com/iRN')).toMatchObject({ kind: 'bad_link' });
    expect(scanKind('https://www.douyin.com/x?object_id=CgYI')).toMatchObject({ kind: 'bad_link' });
    expect(scanKind('https://example.com/shop')).toMatchObject({ kind: 'other' });
    expect(voucherPlatformOf('https://v.douyin.com/iRNBho6u/')).toBe('douyin');
  });

  it('random text never throws and is classified', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (s) => typeof scanKind(s).kind === 'string'), { numRuns: 2000 });
  });
});
