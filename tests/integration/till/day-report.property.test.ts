// Property: the Z report of any business day equals the sum of that day's sales and payments in the
// database. Each run is a new random day on one till, made through the API as a till would make it:
// sales of random carts (price overrides, line and order discounts, a random 抹零 setting), paid in cash with
// change, by card, or split; partial returns and whole cancels (refunds to the original tenders);
// voided carts; cash in and out; then the shift closes and the day closes. The report kept at the
// close is compared with the rows.
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { CartView } from '../../../shared/api/cart';
import type { DayReport } from '../../../shared/api/day';
import type { SaleResult, SaleView } from '../../../shared/api/sales';
import type { ShiftReport } from '../../../shared/api/shift';
import { demoBarcode } from '../../../electron/till/seed';
import { mulDivRound } from '../../../shared/money';
import { tempTill } from '../../support/temp-till';
import { cartView } from '../../support/till-asserts';

const clock = { now: new Date(2026, 0, 5, 10, 0).getTime() };
const t = tempTill({ now: () => clock.now });
afterAll(() => t.cleanup());

const discount = fc.oneof(
  fc.constant(null),
  fc.record({ kind: fc.constant('percent' as const), bp: fc.integer({ min: 0, max: 5000 }) }),
  fc.record({ kind: fc.constant('amount' as const), fen: fc.integer({ min: 0, max: 800 }) }),
);
const sale = fc.record({
  lines: fc.array(
    fc.record({ item: fc.integer({ min: 1, max: 40 }), qty: fc.integer({ min: 1, max: 4 }), discount, price: fc.option(fc.integer({ min: 0, max: 2000 }), { nil: null }) }),
    { minLength: 1, maxLength: 5 },
  ),
  order: discount,
  pay: fc.constantFrom('cash', 'card', 'split'),
  cardShare: fc.double({ min: 0, max: 1, noNaN: true }),
  extraCash: fc.integer({ min: 0, max: 5000 }),
  after: fc.constantFrom('keep', 'keep', 'return', 'cancel'),
});
const day = fc.record({
  rounding: fc.constantFrom('none', 'jiao', 'yuan', 'jiao_half'),
  sales: fc.array(sale, { minLength: 1, maxLength: 6 }),
  voids: fc.integer({ min: 0, max: 2 }),
  cashIn: fc.integer({ min: 0, max: 3000 }),
});

type DayPlan = typeof day extends fc.Arbitrary<infer T> ? T : never;

const one = <T>(sql: string, ...args: unknown[]): T => t.till.sqlite.prepare(sql).get(...args) as T;

async function playDay(d: DayPlan): Promise<string> {
  clock.now += 86_400_000;
  const businessDay = t.till.businessDay();
  await t.call('settings.saveCheckout', { 'checkout.rounding': d.rounding });
  const shift = await t.call('shift.open', { openingCashFen: 20_000 });
  if (d.cashIn) await t.call('shift.cashMove', { kind: 'cash_in', amountFen: d.cashIn, reason: '补零钱' });
  for (let v = 0; v < d.voids; v++) {
    await t.call('cart.scan', { code: demoBarcode(3) });
    await t.call('cart.void', {});
  }
  for (const s of d.sales) {
    let cart!: CartView;
    for (const l of s.lines) {
      cart = cartView(await t.call('cart.scan', { code: demoBarcode(l.item) }));
      const line = cart.priced.lines.find((x) => x.id === cart.focusLineId)!;
      if (l.qty > 1) cart = cartView(await t.call('cart.setQty', { lineId: line.id, qty: line.qty + (l.qty - 1) * 1000 }));
      if (l.price !== null) cart = await t.call('cart.overridePrice', { lineId: line.id, unitPriceFen: l.price });
      if (l.discount) cart = await t.call('cart.setLineDiscount', { lineId: line.id, discount: l.discount });
    }
    if (s.order) cart = await t.call('cart.setOrderDiscount', { discount: s.order });
    const due = cart.priced.totalFen;
    const card = s.pay === 'card' ? due : s.pay === 'split' ? Math.floor(due * s.cardShare) : 0;
    const payments = [
      ...(card > 0 ? [{ method: 'card_terminal' as const, amountFen: card, reference: 'T' + randomUUID().slice(0, 8) }] : []),
      ...(due - card > 0 || card === 0 ? [{ method: 'cash' as const, amountFen: due - card + s.extraCash }] : []),
    ];
    const r = await t.call('sales.pay', { requestId: randomUUID(), payments });
    if (s.after === 'cancel') {
      await t.call('sales.cancel', { requestId: randomUUID(), saleId: r.saleId, reason: '顾客不要了', refundReferences: { card_terminal: 'R0001' } });
    } else if (s.after === 'return') {
      const view = await t.call('sales.get', { saleId: r.saleId });
      const first = view.lines[0];
      await t.call('sales.return', {
        requestId: randomUUID(),
        saleId: r.saleId,
        lines: [{ lineId: first.id, qty: Math.min(first.qty, 1000) }],
        refundReferences: { card_terminal: 'R0002' },
      });
    }
  }
  const report = await t.call('shift.report', {});
  await t.call('shift.close', { shiftId: shift.id, count: [{ denomFen: 10, count: Math.max(0, Math.round(report.cash.expectedFen / 10)) }], floatLeftFen: 0 });
  return businessDay;
}

describe('Z report = the day in the database', () => {
  it('for random days with discounts, 抹零, split tenders, returns, cancels and voids', async () => {
    await t.loginAs('manager');
    await fc.assert(
      fc.asyncProperty(day, async (d) => {
        const businessDay = await playDay(d);
        const { report: z } = await t.call('day.close', { businessDay });

        const sales = one<{ n: number; gross: number; discount: number; rounding: number; total: number }>(
          `SELECT count(*) AS n, sum(gross_fen) AS gross, sum(discount_fen) AS discount, sum(rounding_fen) AS rounding, sum(total_fen) AS total
           FROM sales WHERE business_day = ? AND kind = 'sale'`,
          businessDay,
        );
        const returns = one<{ n: number; total: number | null }>(`SELECT count(*) AS n, sum(total_fen) AS total FROM sales WHERE business_day = ? AND kind = 'return'`, businessDay);
        const all = one<{ total: number; change: number }>(`SELECT sum(total_fen) AS total, sum(change_fen) AS change FROM sales WHERE business_day = ?`, businessDay);
        const paid = one<{ v: number }>(`SELECT sum(p.amount_fen) AS v FROM payments p JOIN sales s ON s.id = p.sale_id WHERE s.business_day = ?`, businessDay);
        const payable = one<{ v: number }>(`SELECT sum(l.payable_fen) AS v FROM sale_lines l JOIN sales s ON s.id = l.sale_id WHERE s.business_day = ?`, businessDay);
        const byMethod = t.till.sqlite
          .prepare(`SELECT p.method, sum(p.amount_fen) AS v FROM payments p JOIN sales s ON s.id = p.sale_id WHERE s.business_day = ? GROUP BY p.method`)
          .all(businessDay) as { method: string; v: number }[];

        expect(z.sales).toMatchObject({ count: sales.n, grossFen: sales.gross, discountFen: sales.discount, roundingFen: sales.rounding, totalFen: sales.total });
        expect(z.sales.totalFen).toBe(z.sales.grossFen - z.sales.discountFen + z.sales.roundingFen);
        expect(z.returns).toEqual({ count: returns.n, totalFen: returns.total ?? 0 });
        expect(z.netFen).toBe(all.total);
        // Money: per tender as paid, the change off the cash; in all, what the day took.
        expect(z.tenders.reduce((a, x) => a + x.netFen, 0)).toBe(paid.v - all.change);
        expect(z.tenders.reduce((a, x) => a + x.netFen, 0)).toBe(z.netFen);
        for (const m of byMethod) {
          const row = z.tenders.find((x) => x.method === m.method)!;
          expect(row.netFen + (m.method === 'cash' ? all.change : 0)).toBe(m.v);
        }
        expect(z.tenders.reduce((a, x) => a + x.refundedFen, 0)).toBe(returns.total ?? 0);
        // Lines: by category they add up to the day; discounts by kind to the sales' discounts.
        expect(z.categories.reduce((a, x) => a + x.amountFen, 0)).toBe(payable.v);
        expect(payable.v).toBe(all.total);
        const kinds = Object.fromEntries(z.discounts.map((x) => [x.kind, x.amountFen]));
        expect(kinds.line + kinds.promo + kinds.order + kinds.other).toBe(sales.discount);
        expect(kinds.other).toBe(0);
        const lines = t.till.sqlite
          .prepare(`SELECT l.original_unit_price_fen AS orig, l.qty, l.gross_fen AS gross FROM sale_lines l JOIN sales s ON s.id = l.sale_id WHERE s.business_day = ? AND s.kind = 'sale'`)
          .all(businessDay) as { orig: number; qty: number; gross: number }[];
        expect(kinds.price_override).toBe(lines.reduce((a, l) => a + mulDivRound(l.orig, l.qty, 1000) - l.gross, 0));
        expect(z.cashiers.reduce((a, x) => a + x.salesFen + x.returnsFen, 0)).toBe(all.total);
        expect(z.cancels.count).toBe(d.sales.filter((s) => s.after === 'cancel').length);
        expect(z.voids.count).toBe(d.voids);
        expect(z.cash.inFen).toBe(d.cashIn);
        expect(z.shifts).toMatchObject({ count: 1, differenceFen: z.shifts.countedFen - z.shifts.expectedFen });
        // What was kept and printed is this very report.
        expect(one<{ report: string }>(`SELECT report FROM day_closes WHERE business_day = ?`, businessDay).report).toBe(JSON.stringify(z));
      }),
      { numRuns: 20, endOnFailure: true },
    );
  }, 600_000);
});
