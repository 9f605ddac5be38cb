// Idempotency keys (requestId) are bound to the request they were first used for (issue 7, item 4):
// the same key with the same request returns the first result; with a different body, on another
// endpoint, or for another cart it is refused with IDEMPOTENCY_MISMATCH and nothing changes.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { CartView } from '../../../shared/api/cart';
import type { SaleResult, SaleView } from '../../../shared/api/sales';
import { demoBarcode } from '../../../electron/till/seed';
import { tempTill, type TempTill } from '../../support/temp-till';
import { count, refusal, stockDrift } from '../../support/till-asserts';

let t: TempTill | undefined;
afterEach(() => {
  if (t) expect(stockDrift(t)).toBe(0);
  t?.cleanup();
  t = undefined;
});

const COKE_330 = demoBarcode(1); // ¥3.00
const COKE_500 = demoBarcode(2); // ¥3.50

/** A manager at the till: returns and cancels need no separate approval. */
async function open(): Promise<TempTill> {
  t = tempTill();
  await t.loginAs('manager');
  await t.call('shift.open', { openingCashFen: 50000 });
  return t;
}

async function sell(tt: TempTill, code: string, requestId = randomUUID(), amountFen = 1000): Promise<SaleResult> {
  await tt.call('cart.scan', { code });
  return tt.call('sales.pay', { requestId, payments: [{ method: 'cash', amountFen }] });
}

const state = (tt: TempTill) => ({
  sales: count(tt, 'sales'),
  payments: count(tt, 'payments'),
  moves: count(tt, 'stock_moves'),
  outbox: count(tt, 'outbox'),
  jobs: count(tt, 'print_jobs'),
  cancelled: count(tt, 'sales', `status = 'cancelled'`),
});

describe('sales.pay', () => {
  it('a retry with the same key and body returns the first sale once', async () => {
    const tt = await open();
    const key = randomUUID();
    const first = await sell(tt, COKE_330, key);
    const before = state(tt);
    const again = await tt.call('sales.pay', { requestId: key, payments: [{ method: 'cash', amountFen: 1000 }] });
    expect(again).toEqual(first);
    expect(state(tt)).toEqual(before);
  });

  it("refuses an earlier sale's key for a new cart, and leaves the new cart to be paid", async () => {
    const tt = await open();
    const key = randomUUID();
    const first = await sell(tt, COKE_330, key);
    // Same tenders, same amount due: only the cart differs.
    await tt.call('cart.scan', { code: COKE_330 });
    const before = state(tt);
    const e = await refusal(tt.call('sales.pay', { requestId: key, payments: [{ method: 'cash', amountFen: 1000 }] }));
    expect(e.code).toBe('IDEMPOTENCY_MISMATCH');
    expect(e.message).toMatch(/[\u4e00-\u9fff]/);
    expect(state(tt)).toEqual(before);
    const cart = await tt.call('cart.get');
    expect(cart.lines).toHaveLength(1);
    // A new key pays it.
    const second = await tt.call('sales.pay', { requestId: randomUUID(), payments: [{ method: 'cash', amountFen: 1000 }] });
    expect(second.saleId).not.toBe(first.saleId);
    expect((await tt.call('cart.get')).lines).toHaveLength(0);
  });

  it('refuses the same key with other tenders', async () => {
    const tt = await open();
    const key = randomUUID();
    await sell(tt, COKE_330, key, 1000);
    const before = state(tt);
    const e = await refusal(tt.call('sales.pay', { requestId: key, payments: [{ method: 'cash', amountFen: 500 }] }));
    expect(e.code).toBe('IDEMPOTENCY_MISMATCH');
    expect(state(tt)).toEqual(before);
  });

  it('refuses a second call with the same key and another body while the first is still running', async () => {
    const tt = await open();
    await tt.call('cart.scan', { code: COKE_330 });
    const key = randomUUID();
    const [a, b] = await Promise.allSettled([
      tt.call('sales.pay', { requestId: key, payments: [{ method: 'cash', amountFen: 1000 }] }),
      tt.call('sales.pay', { requestId: key, payments: [{ method: 'cash', amountFen: 2000 }] }),
    ]);
    expect(a.status).toBe('fulfilled');
    expect(b.status === 'rejected' && (b.reason as { code: string }).code).toBe('IDEMPOTENCY_MISMATCH');
    expect(count(tt, 'sales')).toBe(1);
  });
});

describe('returns and cancels', () => {
  it("sales.cancel with a return's key is refused and cancels nothing", async () => {
    const tt = await open();
    const sale = await tt.call('sales.get', { saleId: (await sell(tt, COKE_500)).saleId });
    const key = randomUUID();
    await tt.call('sales.return', { requestId: key, saleId: sale.id, lines: [{ lineId: sale.lines[0].id, qty: 1000 }] });
    const other = await tt.call('sales.get', { saleId: (await sell(tt, COKE_330)).saleId });
    const before = state(tt);
    const e = await refusal(tt.call('sales.cancel', { requestId: key, saleId: other.id, reason: '顾客取消' }));
    expect(e.code).toBe('IDEMPOTENCY_MISMATCH');
    expect(state(tt)).toEqual(before);
    expect((await tt.call('sales.get', { saleId: other.id })).status).toBe('completed');
    // Same key, same sale as the return, but through cancel: still another request.
    expect((await refusal(tt.call('sales.cancel', { requestId: key, saleId: sale.id, reason: '顾客取消' }))).code).toBe('IDEMPOTENCY_MISMATCH');
    expect(state(tt)).toEqual(before);
  });

  it('a return retried with the same body returns the first result; other lines or quantities are refused', async () => {
    const tt = await open();
    await tt.call('cart.scan', { code: COKE_500, multiplier: 2 });
    await tt.call('cart.scan', { code: COKE_330 });
    const paid = await tt.call('sales.pay', { requestId: randomUUID(), payments: [{ method: 'cash', amountFen: 1000 }] });
    const sale = await tt.call('sales.get', { saleId: paid.saleId });
    const key = randomUUID();
    const body = { requestId: key, saleId: sale.id, lines: [{ lineId: sale.lines[0].id, qty: 1000 }], reason: '坏了' };
    const first = await tt.call('sales.return', body);
    const before = state(tt);
    expect(await tt.call('sales.return', body)).toEqual(first);
    expect(state(tt)).toEqual(before);
    for (const lines of [[{ lineId: sale.lines[0].id, qty: 2000 }], [{ lineId: sale.lines[1].id, qty: 1000 }]]) {
      expect((await refusal(tt.call('sales.return', { ...body, lines }))).code).toBe('IDEMPOTENCY_MISMATCH');
    }
    expect(state(tt)).toEqual(before);
    expect((await tt.call('sales.get', { saleId: sale.id })).lines.map((l) => l.returnedQty)).toEqual([1000, 0]);
  });

  it('a key is bound to its endpoint: a sale key on a return without receipt, a return key on pay', async () => {
    const tt = await open();
    const saleKey = randomUUID();
    const sale = await sell(tt, COKE_330, saleKey);
    const skuId = (await tt.call('sales.get', { saleId: sale.saleId })).lines[0].skuId;
    const before = state(tt);
    const noReceipt = (requestId: string) =>
      tt.call('sales.returnWithoutReceipt', { requestId, items: [{ skuId, qty: 1000, unitPriceFen: 300 }], reason: '无小票' });
    expect((await refusal(noReceipt(saleKey))).code).toBe('IDEMPOTENCY_MISMATCH');
    expect(state(tt)).toEqual(before);

    const returnKey = randomUUID();
    const ret = await noReceipt(returnKey);
    expect(await noReceipt(returnKey)).toEqual(ret);
    await tt.call('cart.scan', { code: COKE_330 });
    const before2 = state(tt);
    expect((await refusal(tt.call('sales.pay', { requestId: returnKey, payments: [{ method: 'cash', amountFen: 300 }] }))).code).toBe(
      'IDEMPOTENCY_MISMATCH',
    );
    expect(state(tt)).toEqual(before2);
  });
});
