import { describe, expect, it } from 'vitest';
import { makeEan13, makeScaleBarcode } from '../../../shared/barcode';
import { maskCode, paymentCodeKind } from '../../../shared/payment-code';

describe('payment codes', () => {
  it('knows a WeChat code: 18 digits starting 10–15', () => {
    for (const p of ['10', '11', '12', '13', '14', '15']) expect(paymentCodeKind(`${p}${'3'.repeat(16)}`)).toBe('wechat');
    expect(paymentCodeKind('134567890123456789')).toBe('wechat');
    expect(paymentCodeKind('16' + '3'.repeat(16))).toBeNull(); // 16 is not a WeChat prefix
    expect(paymentCodeKind('13' + '3'.repeat(15))).toBeNull(); // 17 digits
    expect(paymentCodeKind('13' + '3'.repeat(17))).toBeNull(); // 19 digits
  });

  it('knows an Alipay code: 16–24 digits starting 25–30', () => {
    for (const p of ['25', '26', '27', '28', '29', '30']) expect(paymentCodeKind(`${p}${'7'.repeat(16)}`)).toBe('alipay');
    expect(paymentCodeKind('28' + '1'.repeat(14))).toBe('alipay'); // 16 digits
    expect(paymentCodeKind('28' + '1'.repeat(22))).toBe('alipay'); // 24 digits
    expect(paymentCodeKind('28' + '1'.repeat(13))).toBeNull(); // 15
    expect(paymentCodeKind('28' + '1'.repeat(23))).toBeNull(); // 25
    expect(paymentCodeKind('24' + '1'.repeat(16))).toBeNull();
    expect(paymentCodeKind('31' + '1'.repeat(16))).toBeNull();
  });

  it('never takes a product barcode, a scale label or letters for a payment code', () => {
    expect(paymentCodeKind(makeEan13('690123456789'))).toBeNull();
    expect(paymentCodeKind(makeScaleBarcode('25PPPPP$$$$$C', { plu: 1, priceFen: 1234 }))).toBeNull(); // 25…, 13 digits
    expect(paymentCodeKind('13456789012345678A')).toBeNull();
    expect(paymentCodeKind(' 134567890123456789')).toBeNull();
    expect(paymentCodeKind('')).toBeNull();
  });

  it('masks all but the first and last four characters', () => {
    expect(maskCode('134567890123456789')).toBe('1345**********6789');
    expect(maskCode('12345678')).toBe('********');
    expect(maskCode('134567890123456789')).not.toContain('567890123');
  });
});
