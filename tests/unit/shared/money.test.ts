import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, bpToZhe, formatYuan, mulDivRound, parseYuan, percentOf, roundTotal, ROUNDING_MODES, zheToBp } from '../../../shared/money';

const fen = fc.integer({ min: -1_000_000_000, max: 1_000_000_000 });

describe('formatYuan', () => {
  it.each([
    [1230, '¥12.30'],
    [0, '¥0.00'],
    [5, '¥0.05'],
    [100, '¥1.00'],
    [-1230, '-¥12.30'],
    [-5, '-¥0.05'],
    [123456789, '¥1234567.89'],
  ])('%i -> %s', (n, s) => expect(formatYuan(n)).toBe(s));

  it('refuses floats', () => {
    expect(() => formatYuan(12.3)).toThrow(RangeError);
    expect(() => formatYuan(Number.NaN)).toThrow(RangeError);
  });

  it('round-trips through parseYuan', () => {
    fc.assert(fc.property(fen, (n) => parseYuan(formatYuan(n)) === n));
  });
});

describe('parseYuan', () => {
  it.each([
    ['12.3', 1230],
    ['12.30', 1230],
    ['12', 1200],
    ['12.', 1200],
    ['0.05', 5],
    ['.5', 50],
    ['¥12.30', 1230],
    ['￥8', 800],
    ['-¥12.30', -1230],
    ['¥-0.05', -5],
    [' 7.5 ', 750],
    ['１２．３', 1230],
    ['-0', 0],
  ])('%j -> %i', (s, n) => expect(parseYuan(s)).toBe(n));

  it.each(['', '.', '-', '¥', '12.345', '1,000', 'abc', '12a', '1.2.3', '--1', '-¥-1', '1e3', '0x10', '99999999999999999'])(
    'refuses %j',
    (s) => expect(() => parseYuan(s)).toThrow(RangeError),
  );

  it('never returns -0', () => {
    expect(Object.is(parseYuan('-0.00'), 0)).toBe(true);
  });
});

describe('mulDivRound', () => {
  it('rounds half up', () => {
    expect(mulDivRound(5, 1, 10)).toBe(1); // 0.5
    expect(mulDivRound(4, 1, 10)).toBe(0);
    expect(mulDivRound(15, 1, 10)).toBe(2);
    expect(mulDivRound(1299, 1234, 1000)).toBe(1603); // 1602.966
    expect(mulDivRound(1000, 1, 3)).toBe(333);
    expect(mulDivRound(2000, 1, 3)).toBe(667);
  });

  it('is symmetric for negatives (half away from zero)', () => {
    expect(mulDivRound(-5, 1, 10)).toBe(-1);
    expect(mulDivRound(5, -1, 10)).toBe(-1);
    expect(mulDivRound(5, 1, -10)).toBe(-1);
    expect(mulDivRound(-5, -1, 10)).toBe(1);
    expect(Object.is(mulDivRound(-4, 1, 10), 0)).toBe(true);
  });

  it('is exact beyond 2^53', () => {
    // 9007199254740991 * 3 / 2 = 13510798882111486.5 is not a safe result -> throws
    expect(() => mulDivRound(Number.MAX_SAFE_INTEGER, 3, 2)).toThrow(RangeError);
    // (2^53-1) * 1000 / 1000 must come back exactly; a float product would lose it.
    expect(mulDivRound(Number.MAX_SAFE_INTEGER, 1000, 1000)).toBe(Number.MAX_SAFE_INTEGER);
    expect(mulDivRound(Number.MAX_SAFE_INTEGER, 999_999, 1_000_000)).toBe(9007190247541736);
  });

  it('matches a BigInt reference', () => {
    const big = fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
    const small = fc.integer({ min: -1_000_000, max: 1_000_000 });
    fc.assert(
      fc.property(big, small, small.filter((c) => c !== 0), (a, b, c) => {
        const P = BigInt(a) * BigInt(b);
        const C = BigInt(c);
        const neg = P < 0n !== C < 0n;
        const absP = P < 0n ? -P : P;
        const absC = C < 0n ? -C : C;
        const q = (2n * absP + absC) / (2n * absC); // floor(|P|/|C| + 1/2)
        const expected = neg ? -q : q;
        const fits = expected <= BigInt(Number.MAX_SAFE_INTEGER) && expected >= -BigInt(Number.MAX_SAFE_INTEGER);
        if (!fits) {
          expect(() => mulDivRound(a, b, c)).toThrow(RangeError);
        } else {
          expect(mulDivRound(a, b, c)).toBe(Number(expected) + 0);
        }
      }),
    );
  });

  it('refuses non-integers and division by zero', () => {
    expect(() => mulDivRound(1.5, 1, 1)).toThrow(RangeError);
    expect(() => mulDivRound(1, 1, 0)).toThrow(RangeError);
  });
});

describe('percentOf', () => {
  it('uses basis points and rounds half up', () => {
    expect(percentOf(10000, 10000)).toBe(10000);
    expect(percentOf(999, 1000)).toBe(100); // 99.9
    expect(percentOf(995, 1000)).toBe(100); // 99.5 -> up
    expect(percentOf(994, 1000)).toBe(99); // 99.4
    expect(percentOf(1234, 850)).toBe(105); // 104.89
    expect(percentOf(1234, 0)).toBe(0);
  });
});

describe('roundTotal (抹零)', () => {
  it.each([
    [1234, 'none', 1234],
    [1234, 'jiao', 1230],
    [1239, 'jiao', 1230],
    [1230, 'jiao', 1230],
    [1299, 'yuan', 1200],
    [1234, 'jiao_half', 1230],
    [1235, 'jiao_half', 1240],
    [1239, 'jiao_half', 1240],
    [4, 'jiao', 0],
    [0, 'yuan', 0],
    [-1234, 'jiao', -1230],
    [-1235, 'jiao_half', -1240],
  ] as const)('%i %s -> %i', (n, mode, r) => {
    expect(roundTotal(n, mode)).toEqual({ rounded: r, adjustment: r - n });
  });

  it('keeps its promises for every mode', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1_000_000_000 }), fc.constantFrom(...ROUNDING_MODES), (n, mode) => {
        const { rounded, adjustment } = roundTotal(n, mode);
        expect(rounded - n).toBe(adjustment);
        expect(rounded).toBeGreaterThanOrEqual(0);
        if (mode === 'none') expect(adjustment).toBe(0);
        if (mode === 'jiao') expect(rounded % 10 === 0 && adjustment <= 0 && adjustment > -10).toBe(true);
        if (mode === 'yuan') expect(rounded % 100 === 0 && adjustment <= 0 && adjustment > -100).toBe(true);
        if (mode === 'jiao_half') expect(rounded % 10 === 0 && adjustment >= -4 && adjustment <= 5).toBe(true);
      }),
    );
  });

  it('refuses an unknown mode', () => {
    expect(() => roundTotal(100, 'fen' as never)).toThrow(RangeError);
  });
});

describe('allocate (largest remainder)', () => {
  it('splits a discount over lines', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(10, [500, 300, 200])).toEqual([5, 3, 2]);
    expect(allocate(1, [1, 1])).toEqual([1, 0]); // tie -> earlier line
    expect(allocate(5, [3, 0, 7])).toEqual([2, 0, 3]); // 1.5 / 3.5 -> remainders tie, earlier wins
    expect(allocate(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
    expect(allocate(0, [0, 0])).toEqual([0, 0]);
    expect(allocate(0, [])).toEqual([]);
  });

  it('gives the leftover fen to the largest remainders', () => {
    // shares 2.9, 3.6, 3.5 -> floors 2,3,3 (8) -> 2 left go to .9 and .6
    expect(allocate(10, [29, 36, 35])).toEqual([3, 4, 3]);
  });

  it('refuses what cannot be split', () => {
    expect(() => allocate(1, [])).toThrow(RangeError);
    expect(() => allocate(1, [0, 0])).toThrow(RangeError);
    expect(() => allocate(1, [1, -1])).toThrow(RangeError);
    expect(() => allocate(1, [0.5])).toThrow(RangeError);
  });

  it('is exact when total × weight exceeds 2^53', () => {
    const parts = allocate(1_000_000_000_000, [3_000_000_007, 5_000_000_011, 1]);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(1_000_000_000_000);
    // floors 374999999984, 624999999890, 124; the 2 leftover fen go to the two largest remainders
    expect(parts).toEqual([374999999984, 624999999891, 125]);
  });

  it('always sums to the total, within 1 fen of each exact share, zero weight gets zero', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10_000_000, max: 10_000_000 }),
        fc.array(fc.nat({ max: 10_000_000 }), { minLength: 1, maxLength: 30 }),
        (total, weights) => {
          fc.pre(weights.some((w) => w > 0));
          const parts = allocate(total, weights);
          const sumW = weights.reduce((a, b) => a + b, 0);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          parts.forEach((p, i) => {
            expect(Number.isInteger(p)).toBe(true);
            const exact = (total * weights[i]) / sumW;
            expect(Math.abs(p - exact)).toBeLessThan(1 + 1e-6);
            if (weights[i] === 0) expect(p).toBe(0);
            // a discount no larger than the sum of weights never exceeds any weight
            if (Math.abs(total) <= sumW) expect(Math.abs(p)).toBeLessThanOrEqual(weights[i]);
          });
        },
      ),
    );
  });
});

describe('折 ↔ basis points', () => {
  it.each([
    ['9', 1000],
    ['8.5', 1500],
    ['8.55', 1450],
    ['8.555', 1445],
    ['9.', 1000],
    ['.5', 9500],
    [' 7 ', 3000],
    ['８．５', 1500], // full-width from an IME
    ['85', 1500], // 八五折 written "85折"
    ['95', 500],
    ['12', 8800], // two digits are always N.N折: 1.2折, the preview shows "优惠 88%"
    ['10', 0], // 10折 = full price, not 1折
    ['10.0', 0],
    ['0', 10_000], // 0折 = free
    ['05', 5000],
  ])('%j -> %i bp off', (s, bp) => expect(zheToBp(s)).toBe(bp));

  it.each(['', ' ', '.', '-1', '-0.5', 'abc', '9折', '8.5555', '100', '10.5', '12.3', '1e1', '0x9', '9.5.1', '+9'])('refuses %j', (s) =>
    expect(zheToBp(s)).toBeNull(),
  );

  it.each([
    [1000, '9'],
    [1500, '8.5'],
    [1450, '8.55'],
    [1234, '8.766'],
    [0, '10'],
    [10_000, '0'],
    [8900, '1.1'],
  ])('%i bp off -> %j', (bp, s) => expect(bpToZhe(bp)).toBe(s));

  it('bpToZhe refuses what is not 0..10000 whole basis points', () => {
    for (const bad of [-1, 10_001, 12.5, Number.NaN]) expect(() => bpToZhe(bad)).toThrow(RangeError);
  });

  it('every basis point survives the round trip through the 折 shown', () => {
    for (let bp = 0; bp <= 10_000; bp++) expect(zheToBp(bpToZhe(bp))).toBe(bp);
  });
});
