import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkScaleLayout,
  expandUpcE,
  gtinCheckDigit,
  makeEan13,
  makeScaleBarcode,
  parseScaleBarcode,
  validateBarcode,
} from '../../../shared/barcode';

const digits = (min: number, max: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((a) => a.join(''));

/** Change one digit of a code to another value. */
const corrupt = (code: string, at: number, delta: number) =>
  code.slice(0, at) + ((Number(code[at]) + delta) % 10) + code.slice(at + 1);

describe('gtinCheckDigit', () => {
  it.each([
    ['400638133393', 1],
    ['690123456789', 2],
    ['03600029145', 2],
    ['9638507', 4],
    ['0000000', 0],
  ])('%s -> %i', (d, c) => expect(gtinCheckDigit(d)).toBe(c));

  it('refuses non-digits', () => {
    expect(() => gtinCheckDigit('12a')).toThrow(RangeError);
  });

  it('detects every single-digit error', () => {
    fc.assert(
      fc.property(digits(12, 12), fc.nat({ max: 12 }), fc.integer({ min: 1, max: 9 }), (first12, at, delta) => {
        const code = makeEan13(first12);
        const bad = corrupt(code, at, delta);
        expect(validateBarcode(bad)).toMatchObject({ ok: false, code: 'BAD_CHECK_DIGIT' });
      }),
    );
  });
});

describe('makeEan13', () => {
  it('appends the check digit', () => {
    expect(makeEan13('690123456789')).toBe('6901234567892');
    expect(() => makeEan13('12345')).toThrow(RangeError);
  });
});

describe('expandUpcE', () => {
  it.each([
    ['04252614', '042100005264'], // last digit 0-2
    ['01234565', '012345000065'], // 5-9
    ['01234531', '012300000451'], // 3
    ['01234541', '012340000051'], // 4
    ['11234505', '112000003455'], // 0, number system 1
  ])('%s -> %s', (e, a) => expect(expandUpcE(e)).toBe(a));

  it('computes the check digit when it is not given', () => {
    expect(expandUpcE('425261')).toBe('042100005264');
    expect(expandUpcE('0425261')).toBe('042100005264');
  });

  it('refuses other number systems and lengths', () => {
    expect(() => expandUpcE('24252614')).toThrow(RangeError);
    expect(() => expandUpcE('42526')).toThrow(RangeError);
  });
});

describe('validateBarcode', () => {
  it('accepts GTINs and normalizes them to one lookup key', () => {
    expect(validateBarcode('6901234567892')).toEqual({ ok: true, kind: 'ean13', normalized: '6901234567892' });
    expect(validateBarcode(' 4006381333931\n')).toEqual({ ok: true, kind: 'ean13', normalized: '4006381333931' });
    expect(validateBarcode('036000291452')).toEqual({ ok: true, kind: 'upca', normalized: '0036000291452' });
    expect(validateBarcode('96385074')).toEqual({ ok: true, kind: 'ean8', normalized: '96385074' });
    expect(validateBarcode('04252614')).toEqual({ ok: true, kind: 'upce', normalized: '0042100005264' });
  });

  it('a UPC-A scanned as 12 or 13 digits and its UPC-E form all give the same key', () => {
    const a = validateBarcode('042100005264');
    const ean = validateBarcode('0042100005264');
    const e = validateBarcode('04252614');
    expect(a.ok && ean.ok && e.ok && new Set([a.normalized, ean.normalized, e.normalized]).size).toBe(1);
  });

  it('offers the UPC-E reading of an 8-digit code that is valid both ways', () => {
    expect(validateBarcode('01234565')).toEqual({
      ok: true,
      kind: 'ean8',
      normalized: '01234565',
      alternates: ['0012345000065'],
    });
  });

  it('reports a wrong check digit in Chinese', () => {
    expect(validateBarcode('6901234567890')).toEqual({
      ok: false,
      code: 'BAD_CHECK_DIGIT',
      message: '条码校验位错误：6901234567890',
    });
    expect(validateBarcode('036000291453')).toMatchObject({ ok: false, code: 'BAD_CHECK_DIGIT' });
    expect(validateBarcode('96385075')).toMatchObject({ ok: false, code: 'BAD_CHECK_DIGIT' });
    expect(validateBarcode('04252615')).toMatchObject({ ok: false, code: 'BAD_CHECK_DIGIT' }); // neither EAN-8 nor UPC-E
  });

  it('accepts Code 128 and internal codes of 4-32 printable ASCII characters', () => {
    expect(validateBarcode('ABC-123')).toEqual({ ok: true, kind: 'code128', normalized: 'ABC-123' });
    expect(validateBarcode('12345')).toEqual({ ok: true, kind: 'internal', normalized: '12345' });
    expect(validateBarcode('1234')).toMatchObject({ ok: true, kind: 'internal' });
    expect(validateBarcode('X'.repeat(32))).toMatchObject({ ok: true, kind: 'code128' });
    expect(validateBarcode('123456789012345678')).toMatchObject({ ok: true, kind: 'internal' }); // 18 digits
  });

  it.each(['', '123', 'X'.repeat(33), '可口可乐', 'AB\tCD', '6901234567892€'])('refuses %j as BAD_FORMAT', (c) => {
    const r = validateBarcode(c);
    expect(r).toMatchObject({ ok: false, code: 'BAD_FORMAT' });
    expect(!r.ok && r.message.startsWith('条码格式错误')).toBe(true);
  });

  it('accepts every EAN-13 made by makeEan13', () => {
    fc.assert(
      fc.property(digits(12, 12), (d) => {
        const code = makeEan13(d);
        expect(validateBarcode(code)).toEqual({ ok: true, kind: 'ean13', normalized: code });
      }),
    );
  });

  it('expands every valid UPC-E to a UPC-A that itself validates', () => {
    fc.assert(
      fc.property(fc.constantFrom('0', '1'), digits(6, 6), (ns, body) => {
        const upcA = expandUpcE(ns + body);
        const upcE = ns + body + upcA[11];
        const r = validateBarcode(upcE);
        expect(r.ok).toBe(true);
        const keys = r.ok ? [r.normalized, ...(r.alternates ?? [])] : [];
        expect(keys).toContain(`0${upcA}`);
        expect(validateBarcode(upcA)).toMatchObject({ ok: true, normalized: `0${upcA}` });
      }),
    );
  });
});

describe('label-scale barcodes (条码秤)', () => {
  const WEIGHT = '2FPPPPPWWWWWC';
  const PRICE = '2FPPPPP$$$$$C';
  const FIXED = '22PPPPPWWWWWC';

  it('reads PLU and weight', () => {
    const code = makeEan13('210012301234'); // flag 1, PLU 00123, 1.234 kg
    expect(parseScaleBarcode(code, [WEIGHT])).toEqual({ plu: '00123', weightGrams: 1234, layout: WEIGHT });
  });

  it('reads PLU and price', () => {
    const code = makeEan13('200045600899'); // PLU 00456, ¥8.99
    expect(parseScaleBarcode(code, [PRICE])).toEqual({ plu: '00456', priceFen: 899, layout: PRICE });
  });

  it('picks the first layout whose literal digits match', () => {
    const code = makeEan13('220012301234');
    expect(parseScaleBarcode(code, [FIXED, PRICE])?.layout).toBe(FIXED);
    expect(parseScaleBarcode(makeEan13('230012301234'), [FIXED, PRICE])).toEqual({
      plu: '00123',
      priceFen: 1234,
      layout: PRICE,
    });
  });

  it('returns null for ordinary codes and wrong check digits', () => {
    expect(parseScaleBarcode('6901234567892', [WEIGHT, PRICE])).toBeNull();
    expect(parseScaleBarcode(corrupt(makeEan13('210012301234'), 12, 1), [WEIGHT])).toBeNull();
    expect(parseScaleBarcode('ABC-123', [WEIGHT])).toBeNull();
    expect(parseScaleBarcode(makeEan13('210012301234'), [])).toBeNull();
  });

  it('supports 18-digit layouts with weight and price', () => {
    const layout = '2FPPPPPWWWWW$$$$$C';
    const code = makeScaleBarcode(layout, { plu: 42, weightGrams: 1500, priceFen: 2985, flag: 7 });
    expect(code).toHaveLength(18);
    expect(code.startsWith('2700042015000298')).toBe(true);
    expect(parseScaleBarcode(code, [WEIGHT, layout])).toEqual({ plu: '00042', weightGrams: 1500, priceFen: 2985, layout });
  });

  it('refuses malformed layouts', () => {
    for (const bad of ['2FPPPPPWWWWW', '2FPPPPPAAAAAC', '2F00000WWWWWC', '2FPPPPP00000C', 'C2FPPPPPWWWWW']) {
      expect(() => checkScaleLayout(bad)).toThrow(RangeError);
    }
    expect(() => parseScaleBarcode('2100123012341', ['2FPPPPPWWWWW'])).toThrow(RangeError);
  });

  it('round-trips through makeScaleBarcode for any layout values', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(WEIGHT, PRICE, FIXED, '2FPPPPPWWWWW$$$$$C', '20PPPPX$$$$$C'),
        fc.nat({ max: 99_999 }),
        fc.nat({ max: 99_999 }),
        fc.nat({ max: 9 }),
        (layout, plu, value, flag) => {
          const pluWidth = layout.split('P').length - 1;
          fc.pre(plu < 10 ** pluWidth);
          const fields = { plu, weightGrams: value, priceFen: value, flag };
          const code = makeScaleBarcode(layout, fields);
          expect(code).toHaveLength(layout.length);
          const r = parseScaleBarcode(code, [layout]);
          expect(r?.plu).toBe(String(plu).padStart(pluWidth, '0'));
          expect(r?.weightGrams).toBe(layout.includes('W') ? value : undefined);
          expect(r?.priceFen).toBe(layout.includes('$') ? value : undefined);
          if (code.length === 13) expect(validateBarcode(code)).toMatchObject({ ok: true, kind: 'ean13' });
        },
      ),
    );
  });
});
