// The split of a refund over the original tenders is re-checked inside the transaction that writes
// it (issue 7, item 5): per tender, never more than it took (cash net of change) minus earlier
// refunds; in all, never more than was paid minus earlier refunds. Two returns planned at the same
// time (tenders that await, like WeChat/Alipay refunds will) must not both refund to the card.
import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import type { SaleResult, SaleView } from '../../../shared/api/sales';
import { verifyAuditChain } from '../../../electron/till/audit';
import { demoBarcode } from '../../../electron/till/seed';
import { tempTill, type TempTill } from '../../support/temp-till';
import { stockDrift } from '../../support/till-asserts';

let t: TempTill | undefined;
afterEach(() => {
  if (t) {
    expect(stockDrift(t)).toBe(0);
    expect(verifyAuditChain(t.till.sqlite)).toBeNull();
  }
  t?.cleanup();
  t = undefined;
});

const COKE_330 = demoBarcode(1); // ¥3.00
const COKE_500 = demoBarcode(2); // ¥3.50

/** Refunded per method so far (positive fen), over all returns of the sale. */
function refundedByMethod(tt: TempTill, saleId: string): Record<string, number> {
  const rows = tt.till.sqlite
    .prepare(
      `SELECT r.method, -sum(r.amount_fen) AS fen FROM payments r JOIN payments p ON p.id = r.original_payment_id
       WHERE p.sale_id = ? GROUP BY r.method`,
    )
    .all(saleId) as { method: string; fen: number }[];
  return Object.fromEntries(rows.map((r) => [r.method, r.fen]));
}

it('two concurrent returns of different lines of a card ¥6.00 + cash ¥3.50 sale never refund more than ¥6.00 to the card', async () => {
  const tt = (t = tempTill());
  await tt.loginAs('manager'); // a manager approves their own returns
  await tt.call('shift.open', { openingCashFen: 50000 });
  await tt.call('cart.scan', { code: COKE_330, multiplier: 2 }); // ¥6.00
  await tt.call('cart.scan', { code: COKE_500 }); // ¥3.50
  const paid = await tt.call('sales.pay', {
    requestId: randomUUID(),
    payments: [
      { method: 'card_terminal', amountFen: 600, reference: 'AUTH0001' },
      { method: 'cash', amountFen: 350 },
    ],
  });
  const sale = await tt.call('sales.get', { saleId: paid.saleId });
  const [cokes, bottle] = sale.lines;
  const ret = (lineId: string, qty: number) =>
    tt.call('sales.return', {
      requestId: randomUUID(),
      saleId: sale.id,
      lines: [{ lineId, qty }],
      reason: '顾客退货',
      refundReferences: { card_terminal: 'REF00001' },
    });

  // Both planned before either commits: each plan alone would put its refund on the card first.
  const results = await Promise.allSettled([ret(cokes.id, 2000), ret(bottle.id, 1000)]);
  const ok = results.filter((r) => r.status === 'fulfilled');
  expect(ok.length).toBeGreaterThanOrEqual(1);
  for (const r of results) {
    if (r.status === 'rejected') {
      expect((r.reason as { code: string }).code).toBe('REFUND_EXCEEDS_TENDER');
      expect((r.reason as { message: string }).message).toMatch(/请刷新后重试/);
    }
  }
  let refunded = refundedByMethod(tt, sale.id);
  expect(refunded.card_terminal ?? 0).toBeLessThanOrEqual(600);
  expect((refunded.card_terminal ?? 0) + (refunded.cash ?? 0)).toBeLessThanOrEqual(950);

  // The refused one, tried again, is planned from the rows as they are now: the rest goes to cash.
  const after = await tt.call('sales.get', { saleId: sale.id });
  for (const l of after.lines) if (l.returnableQty > 0) await ret(l.id, l.returnableQty);
  refunded = refundedByMethod(tt, sale.id);
  expect(refunded).toEqual({ card_terminal: 600, cash: 350 });
  const final = await tt.call('sales.get', { saleId: sale.id });
  expect(final.lines.map((l) => l.returnableQty)).toEqual([0, 0]);
});

it('a cancel planned beside a return does not refund the card twice either', async () => {
  const tt = (t = tempTill());
  await tt.loginAs('manager');
  await tt.call('shift.open', { openingCashFen: 50000 });
  await tt.call('cart.scan', { code: COKE_330, multiplier: 2 });
  await tt.call('cart.scan', { code: COKE_500 });
  const paid = await tt.call('sales.pay', {
    requestId: randomUUID(),
    payments: [
      { method: 'card_terminal', amountFen: 600, reference: 'AUTH0002' },
      { method: 'cash', amountFen: 500 }, // ¥1.50 change: cash kept ¥3.50
    ],
  });
  const sale = await tt.call('sales.get', { saleId: paid.saleId });
  const refs = { card_terminal: 'REF00002' };
  await Promise.allSettled([
    tt.call('sales.return', { requestId: randomUUID(), saleId: sale.id, lines: [{ lineId: sale.lines[1].id, qty: 1000 }], refundReferences: refs }),
    tt.call('sales.cancel', { requestId: randomUUID(), saleId: sale.id, reason: '整单撤销', refundReferences: refs }),
  ]);
  const refunded = refundedByMethod(tt, sale.id);
  expect(refunded.card_terminal ?? 0).toBeLessThanOrEqual(600);
  expect(refunded.cash ?? 0).toBeLessThanOrEqual(350);
});
