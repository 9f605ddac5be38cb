import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROUNDING_MODES } from '../../../shared/money';
import {
  applyPromotions,
  formatQty,
  priceCart,
  qtyFromWeight,
  refundableAmounts,
  type Cart,
  type CartLine,
  type Discount,
  type PricedCart,
} from '../../../shared/pricing';

let seq = 0;
function line(unitPriceFen: number, qty: number, extra: Partial<CartLine> = {}): CartLine {
  seq += 1;
  return { id: `L${seq}`, skuId: `S${seq}`, name: `商品${seq}`, unitPriceFen, originalUnitPriceFen: unitPriceFen, qty, ...extra };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('priceCart: examples', () => {
  it('prices pieces and weighed goods, and 抹零 to the jiao', () => {
    const cola = line(350, 2000); // 可乐 ¥3.50 × 2
    const apples = line(1299, 1234, { weighed: true }); // ¥12.99/kg × 1.234 kg = 16.02966
    const p = priceCart({ lines: [cola, apples], rounding: 'jiao' });
    expect(p.lines.map((l) => l.grossFen)).toEqual([700, 1603]);
    expect(p.grossFen).toBe(2303);
    expect(p.subtotalFen).toBe(2303);
    expect(p.roundingFen).toBe(-3);
    expect(p.totalFen).toBe(2300);
    expect(p.itemCount).toBe(3); // 2 cans + 1 weighed line
    expect(p.discountFen).toBe(0);
    // the 3 fen dropped are spread over the lines: 700/2303 and 1603/2303 of 3
    expect(p.lines.map((l) => l.roundingShareFen)).toEqual([-1, -2]);
    expect(p.lines.map((l) => l.payableFen)).toEqual([699, 1601]);
  });

  it.each([
    ['none', 2303, 0],
    ['jiao', 2300, -3],
    ['yuan', 2300, -3],
    ['jiao_half', 2300, -3],
  ] as const)('rounding %s', (rounding, total, adj) => {
    const p = priceCart({ lines: [line(350, 2000), line(1299, 1234, { weighed: true })], rounding });
    expect([p.totalFen, p.roundingFen]).toEqual([total, adj]);
  });

  it('抹零 to the yuan and half up to the jiao', () => {
    expect(priceCart({ lines: [line(1999, 1000)], rounding: 'yuan' })).toMatchObject({ totalFen: 1900, roundingFen: -99 });
    expect(priceCart({ lines: [line(1995, 1000)], rounding: 'jiao_half' })).toMatchObject({ totalFen: 2000, roundingFen: 5 });
  });

  it('applies a line discount then the order discount on what is left', () => {
    const a = line(1000, 3000, { lineDiscount: { kind: 'percent', bp: 1000 } }); // 30.00, 9折 -> 27.00
    const b = line(500, 1000); // 5.00
    const p = priceCart({ lines: [a, b], orderDiscount: { kind: 'amount', fen: 320 }, rounding: 'none' });
    expect(p.lines.map((l) => l.lineDiscountFen)).toEqual([300, 0]);
    // ¥3.20 over nets 2700 and 500: 270 and 50
    expect(p.lines.map((l) => l.orderDiscountShareFen)).toEqual([270, 50]);
    expect(p.lines.map((l) => l.netFen)).toEqual([2430, 450]);
    expect(p).toMatchObject({ grossFen: 3500, lineDiscountFen: 300, orderDiscountFen: 320, discountFen: 620 });
    expect(p).toMatchObject({ subtotalFen: 2880, totalFen: 2880 });
  });

  it('a percent order discount is computed on the whole order, then allocated', () => {
    // 3 lines of ¥0.05: 10% of each would round to 1 fen (3 fen); 10% of 15 fen = 2 fen
    const p = priceCart({ lines: [line(5, 1000), line(5, 1000), line(5, 1000)], orderDiscount: { kind: 'percent', bp: 1000 }, rounding: 'none' });
    expect(p.orderDiscountFen).toBe(2);
    expect(p.lines.map((l) => l.orderDiscountShareFen)).toEqual([1, 1, 0]);
    expect(p.totalFen).toBe(13);
  });

  it('clamps discounts so nothing goes negative', () => {
    const p = priceCart({
      lines: [line(100, 1000, { lineDiscount: { kind: 'amount', fen: 500 } }), line(200, 1000)],
      orderDiscount: { kind: 'amount', fen: 99_999 },
      rounding: 'jiao',
    });
    expect(p.lines.map((l) => l.lineDiscountFen)).toEqual([100, 0]);
    expect(p.orderDiscountFen).toBe(200);
    expect(p.lines.map((l) => l.netFen)).toEqual([0, 0]);
    expect(p.totalFen).toBe(0);
    expect(p.discountFen).toBe(p.grossFen);
  });

  it('clamps out-of-range percentages and negative amounts', () => {
    const over = priceCart({ lines: [line(1000, 1000, { lineDiscount: { kind: 'percent', bp: 20_000 } })], rounding: 'none' });
    expect(over.totalFen).toBe(0);
    const under = priceCart({ lines: [line(1000, 1000, { lineDiscount: { kind: 'percent', bp: -500 } })], rounding: 'none' });
    expect(under.totalFen).toBe(1000);
    const neg = priceCart({ lines: [line(1000, 1000)], orderDiscount: { kind: 'amount', fen: -300 }, rounding: 'none' });
    expect(neg.totalFen).toBe(1000);
  });

  it('keeps the catalog price apart from a price override', () => {
    const p = priceCart({ lines: [line(800, 2000, { originalUnitPriceFen: 1000 })], rounding: 'none' });
    expect(p.originalGrossFen).toBe(2000);
    expect(p.grossFen).toBe(1600);
    expect(p.discountFen).toBe(0);
  });

  it('counts items: pieces by quantity (rounded up), weighed lines as one', () => {
    const p = priceCart({
      lines: [line(100, 3000), line(100, 2468, { weighed: true }), line(100, 1500), line(100, 0)],
      rounding: 'none',
    });
    expect(p.itemCount).toBe(3 + 1 + 2 + 0);
  });

  it('handles an empty cart', () => {
    expect(priceCart({ lines: [], rounding: 'yuan' })).toMatchObject({ lines: [], itemCount: 0, grossFen: 0, totalFen: 0, roundingFen: 0 });
  });

  it('refuses malformed lines', () => {
    expect(() => priceCart({ lines: [line(100, 1.5)], rounding: 'none' })).toThrow(RangeError);
    expect(() => priceCart({ lines: [line(-100, 1000)], rounding: 'none' })).toThrow(RangeError);
    expect(() => priceCart({ lines: [line(100, -1000)], rounding: 'none' })).toThrow(RangeError);
    expect(() => priceCart({ lines: [line(100, 1000, { lineDiscount: { kind: 'amount', fen: 0.5 } })], rounding: 'none' })).toThrow(RangeError);
  });

  it('keeps the cart line fields on the priced line', () => {
    const l = line(100, 1000, { name: '可口可乐' });
    expect(priceCart({ lines: [l], rounding: 'none' }).lines[0]).toMatchObject(l);
  });

  it('promotion stage yields nothing until rules exist', () => {
    const p = priceCart({ lines: [line(1000, 1000)], rounding: 'none' }, [{ id: 'p1', name: '满100减20' }]);
    expect(p.promoDiscountFen).toBe(0);
    expect(applyPromotions([], [])).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------
// Properties over random carts.

const discountArb: fc.Arbitrary<Discount | undefined> = fc.option(
  fc.oneof(
    fc.record({ kind: fc.constant('percent' as const), bp: fc.integer({ min: -1000, max: 12_000 }) }),
    fc.record({ kind: fc.constant('amount' as const), fen: fc.integer({ min: -500, max: 200_000 }) }),
  ),
  { nil: undefined },
);

const lineArb: fc.Arbitrary<CartLine> = fc
  .record({
    unitPriceFen: fc.nat({ max: 1_000_000 }),
    qty: fc.oneof(fc.integer({ min: 1, max: 50 }).map((n) => n * 1000), fc.nat({ max: 20_000 })),
    weighed: fc.boolean(),
    lineDiscount: discountArb,
  })
  .map((r) => ({ id: 'L', skuId: 'S', name: 'x', originalUnitPriceFen: r.unitPriceFen, ...r }));

const cartArb: fc.Arbitrary<Cart> = fc.record({
  lines: fc.array(lineArb, { maxLength: 30 }).map((ls) => ls.map((l, i) => ({ ...l, id: `L${i}` }))),
  orderDiscount: discountArb,
  rounding: fc.constantFrom(...ROUNDING_MODES),
});

function allNumbers(p: PricedCart): number[] {
  const out: number[] = [];
  for (const [k, v] of Object.entries(p)) if (k !== 'lines') out.push(v as number);
  for (const l of p.lines) {
    out.push(l.grossFen, l.originalGrossFen, l.lineDiscountFen, l.promoDiscountFen, l.orderDiscountShareFen);
    out.push(l.netFen, l.roundingShareFen, l.payableFen);
  }
  return out;
}

describe('priceCart: properties', () => {
  it('totals add up, nothing is negative, every number is an integer', () => {
    fc.assert(
      fc.property(cartArb, (cart) => {
        const p = priceCart(cart);
        expect(allNumbers(p).every(Number.isSafeInteger)).toBe(true);
        expect(p.lines).toHaveLength(cart.lines.length);

        for (const l of p.lines) {
          expect(l.netFen).toBe(l.grossFen - l.lineDiscountFen - l.promoDiscountFen - l.orderDiscountShareFen);
          expect(l.netFen).toBeGreaterThanOrEqual(0);
          expect(l.payableFen).toBeGreaterThanOrEqual(0);
          expect(l.lineDiscountFen).toBeGreaterThanOrEqual(0);
          expect(l.orderDiscountShareFen).toBeGreaterThanOrEqual(0);
          expect(l.payableFen).toBe(l.netFen + l.roundingShareFen);
        }
        const nets = sum(p.lines.map((l) => l.netFen));
        expect(p.totalFen).toBe(nets + p.roundingFen);
        expect(p.subtotalFen).toBe(nets);
        expect(p.subtotalFen).toBe(p.grossFen - p.discountFen);
        expect(p.grossFen).toBe(sum(p.lines.map((l) => l.grossFen)));
        expect(p.discountFen).toBe(p.lineDiscountFen + p.promoDiscountFen + p.orderDiscountFen);
        // allocations never lose a fen
        expect(sum(p.lines.map((l) => l.orderDiscountShareFen))).toBe(p.orderDiscountFen);
        expect(sum(p.lines.map((l) => l.roundingShareFen))).toBe(p.roundingFen);
        expect(sum(p.lines.map((l) => l.payableFen))).toBe(p.totalFen);
        expect(p.totalFen).toBeGreaterThanOrEqual(0);
        expect(p.discountFen).toBeLessThanOrEqual(p.grossFen);
      }),
    );
  });

  it('gross is unit price × qty rounded half up, and rounding stays within its mode', () => {
    fc.assert(
      fc.property(cartArb, (cart) => {
        const p = priceCart(cart);
        p.lines.forEach((l, i) => {
          const exact = (cart.lines[i].unitPriceFen * cart.lines[i].qty) / 1000;
          expect(l.grossFen).toBe(Math.floor(exact + 0.5));
        });
        const r = p.roundingFen;
        if (cart.rounding === 'none') expect(r).toBe(0);
        if (cart.rounding === 'jiao') expect(r <= 0 && r > -10 && p.totalFen % 10 === 0).toBe(true);
        if (cart.rounding === 'yuan') expect(r <= 0 && r > -100 && p.totalFen % 100 === 0).toBe(true);
        if (cart.rounding === 'jiao_half') expect(r >= -4 && r <= 5 && p.totalFen % 10 === 0).toBe(true);
      }),
    );
  });

  it('without discounts the total is the gross, rounded', () => {
    fc.assert(
      fc.property(cartArb, (cart) => {
        const plain: Cart = { lines: cart.lines.map(({ lineDiscount: _ignored, ...l }) => l), rounding: 'none' };
        const p = priceCart(plain);
        expect(p.totalFen).toBe(p.grossFen);
        expect(p.discountFen).toBe(0);
      }),
    );
  });

  it('is deterministic and does not modify its input', () => {
    fc.assert(
      fc.property(cartArb, (cart) => {
        const copy = structuredClone(cart);
        const a = priceCart(cart);
        expect(cart).toEqual(copy);
        expect(priceCart(copy)).toEqual(a);
      }),
    );
  });
});

describe('qtyFromWeight and formatQty', () => {
  it('turns grams into thousandths of the sell unit', () => {
    expect(qtyFromWeight(1234, 1000)).toBe(1234); // per kg
    expect(qtyFromWeight(1234, 500)).toBe(2468); // per 斤
    expect(qtyFromWeight(1, 3)).toBe(333); // rounded
    expect(qtyFromWeight(2, 3)).toBe(667);
    expect(() => qtyFromWeight(100, 0)).toThrow(RangeError);
    expect(() => qtyFromWeight(-1, 500)).toThrow(RangeError);
  });

  it.each([
    [1234, 'kg', '1.234kg'],
    [2468, '斤', '2.468斤'],
    [3000, '个', '3个'],
    [1500, '斤', '1.5斤'],
    [50, 'kg', '0.05kg'],
    [0, '件', '0件'],
    [-2000, '瓶', '-2瓶'],
  ])('%i %s -> %s', (q, u, s) => expect(formatQty(q, u)).toBe(s));

  it('formatQty shows the exact quantity', () => {
    fc.assert(fc.property(fc.integer({ min: -1e9, max: 1e9 }), (q) => Math.round(Number(formatQty(q, '')) * 1000) === q));
  });
});

describe('refundableAmounts', () => {
  const sale = priceCart({
    lines: [line(333, 3000, { id: 'a' }), line(1299, 1234, { id: 'b', weighed: true }), line(0, 1000, { id: 'gift' })],
    orderDiscount: { kind: 'amount', fen: 100 },
    rounding: 'jiao',
  });

  it('refunds what was paid for the line, 抹零 included', () => {
    // gross 999 + 1603 = 2602, minus ¥1.00 -> 2502, 抹零 -> 2500
    expect(sale.totalFen).toBe(2500);
    const all = refundableAmounts(
      sale.lines,
      sale.lines.map((l) => ({ lineId: l.id, qty: l.qty })),
    );
    expect(all.map((r) => r.refundFen)).toEqual(sale.lines.map((l) => l.payableFen));
    expect(sum(all.map((r) => r.refundFen))).toBe(sale.totalFen);
  });

  it('refunds part of a line in proportion, and the rest on a later return', () => {
    const a = sale.lines[0]; // 3 pieces
    const [first] = refundableAmounts(sale.lines, [{ lineId: 'a', qty: 1000 }]);
    expect(first.refundFen).toBe(Math.round(a.payableFen / 3));
    const [rest] = refundableAmounts(sale.lines, [
      { lineId: 'a', qty: 2000, alreadyReturnedQty: 1000, alreadyRefundedFen: first.refundFen },
    ]);
    expect(first.refundFen + rest.refundFen).toBe(a.payableFen);
  });

  it('never refunds more than was already paid, even if earlier refunds were generous', () => {
    const a = sale.lines[0];
    const [mid, last] = refundableAmounts(sale.lines, [
      { lineId: 'a', qty: 1000, alreadyReturnedQty: 1000, alreadyRefundedFen: a.payableFen - 1 },
      { lineId: 'a', qty: 1000, alreadyReturnedQty: 2000, alreadyRefundedFen: a.payableFen - 1 },
    ]);
    expect(mid.refundFen).toBe(0); // 2 of 3 returned, but more than 2/3 already refunded
    expect(last.refundFen).toBe(1); // the last piece brings the total to exactly payableFen
  });

  it('refuses unknown lines and returning more than was sold', () => {
    expect(() => refundableAmounts(sale.lines, [{ lineId: 'zz', qty: 1000 }])).toThrow(RangeError);
    expect(() => refundableAmounts(sale.lines, [{ lineId: 'a', qty: 2000, alreadyReturnedQty: 1001 }])).toThrow('退货数量超过');
    expect(() => refundableAmounts(sale.lines, [{ lineId: 'a', qty: -1 }])).toThrow(RangeError);
  });

  it('any sequence of partial returns refunds exactly payableFen in the end, never more on the way', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 10_000_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.array(fc.nat({ max: 1000 }), { minLength: 1, maxLength: 12 }),
        (payableFen, qty, cuts) => {
          const l = { id: 'x', qty, payableFen };
          // split qty into steps at random cut points
          const points = [...new Set(cuts.map((c) => Math.floor((c * qty) / 1000)))].sort((x, y) => x - y);
          const steps = [...points, qty].map((p, i, arr) => p - (i ? arr[i - 1] : 0));
          let returned = 0;
          let refunded = 0;
          for (const step of steps) {
            const [r] = refundableAmounts([l], [{ lineId: 'x', qty: step, alreadyReturnedQty: returned, alreadyRefundedFen: refunded }]);
            expect(Number.isSafeInteger(r.refundFen) && r.refundFen >= 0).toBe(true);
            returned += step;
            refunded += r.refundFen;
            expect(refunded).toBeLessThanOrEqual(payableFen);
            // path independence: same as returning everything so far at once
            expect(refunded).toBe(refundableAmounts([l], [{ lineId: 'x', qty: returned }])[0].refundFen);
          }
          expect(refunded).toBe(payableFen);
        },
      ),
    );
  });
});
