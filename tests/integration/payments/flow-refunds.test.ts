// Refunds to the original route: a return of a sale paid by WeChat gives the money back through the
// platform (one out_refund_no, written before the call), partial refunds add up to at most what the
// payment took, the return's receipt says 原路退回微信, a refund whose answer was lost is re-sent with the
// same out_refund_no until the platform answers, and a retried return never refunds twice.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WechatPayFake } from '../../fakes/wechat-pay';
import { payTill, rid, wechatCode, type PayTill } from '../../support/payment-till';

let fake: WechatPayFake;
let t: PayTill;

beforeAll(async () => {
  fake = await WechatPayFake.start();
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => {
  t?.cleanup();
  fake.reset();
});

/** A sale of two items paid by WeChat (all of it, or `cashFen` of it in cash); returns its id and lines. */
async function paidSale(cashFen = 0) {
  t = payTill({ wechat: fake });
  await t.loginAs('cashier');
  const cart = await t.ringUp([8, 9]);
  const due = cart.priced.totalFen;
  fake.setScenario({ op: 'codepay', outcome: 'SUCCESS' });
  const started = await t.call('payments.codePay', { requestId: rid(), code: wechatCode(), amountFen: due - cashFen });
  const a = await t.svc.settled(started.id);
  expect(a.state).toBe('SUCCESS');
  const payments = [{ method: 'wechat' as const, amountFen: due - cashFen, attemptId: a.id }, ...(cashFen ? [{ method: 'cash' as const, amountFen: cashFen }] : [])];
  const sale = await t.call('sales.pay', { requestId: rid(), payments });
  const view = await t.call('sales.get', { saleId: sale.saleId });
  return { saleId: sale.saleId, lines: view.lines, due, attempt: a };
}

async function asManager() {
  await t.loginAs('manager');
}

const refunded = () => fake.listTrades()[0].refunds.reduce((s, r) => s + r.amountFen, 0);
const receiptOf = (saleId: string) =>
  JSON.parse((t.till.sqlite.prepare(`SELECT payload FROM print_jobs WHERE ref_id = ? AND kind = 'return'`).get(saleId) as { payload: string }).payload) as {
    data: { refunds: { method: string; amountFen: number }[] };
  };

describe('refunds to the original route', () => {
  it('a partial return refunds that much to WeChat; the receipt and the payment row say so; two partial returns never exceed the payment', async () => {
    const { saleId, lines } = await paidSale();
    await asManager();
    const r1 = await t.call('sales.return', { requestId: rid(), saleId, lines: [{ lineId: lines[0].id, qty: 1000 }] });
    const first = -r1.totalFen;
    expect(refunded()).toBe(first);
    const receipt = receiptOf(r1.saleId);
    expect(receipt.data.refunds).toEqual([{ method: '原路退回微信', amountFen: first }]);
    const row = t.till.sqlite.prepare(`SELECT method, amount_fen AS fen, reference FROM payments WHERE sale_id = ?`).get(r1.saleId) as { method: string; fen: number; reference: string };
    expect(row).toMatchObject({ method: 'wechat', fen: -first });
    const refund = t.till.sqlite.prepare(`SELECT state, return_id AS returnId, amount_fen AS fen FROM payment_refunds WHERE out_refund_no = ?`).get(row.reference);
    expect(refund).toEqual({ state: 'SUCCESS', returnId: r1.saleId, fen: first });

    const r2 = await t.call('sales.return', { requestId: rid(), saleId, lines: [{ lineId: lines[1].id, qty: 1000 }] });
    expect(refunded()).toBe(first - r2.totalFen);
    // Everything is returned: nothing more can go back.
    await expect(t.call('sales.return', { requestId: rid(), saleId, lines: [{ lineId: lines[0].id, qty: 1000 }] })).rejects.toMatchObject({ code: 'RETURN_TOO_MUCH' });
    expect(fake.listTrades()[0].refunds).toHaveLength(2);
  });

  it('a split sale (WeChat + cash) refunds WeChat first, then cash', async () => {
    const { saleId, due } = await paidSale(300);
    await asManager();
    const r = await t.call('sales.cancel', { requestId: rid(), saleId, reason: '顾客不要了' });
    expect(-r.totalFen).toBe(due);
    expect(refunded()).toBe(due - 300);
    const methods = t.till.sqlite.prepare(`SELECT method, amount_fen AS fen FROM payments WHERE sale_id = ? ORDER BY rowid`).all(r.saleId);
    expect(methods).toEqual([{ method: 'wechat', fen: -(due - 300) }, { method: 'cash', fen: -300 }]);
  });

  it('the refund answer is lost: the return commits (原路退回微信), the refund is re-sent with the same out_refund_no until WeChat answers; never twice', async () => {
    const { saleId, lines } = await paidSale();
    await asManager();
    fake.setScenario({ op: 'refund', fault: 'timeout', delayMs: 2500 });
    const r = await t.call('sales.return', { requestId: rid(), saleId, lines: [{ lineId: lines[0].id, qty: 1000 }] });
    const row = t.till.sqlite.prepare(`SELECT state, out_refund_no AS no FROM payment_refunds`).get() as { state: string; no: string };
    expect(row.state).toBe('UNKNOWN');
    await new Promise((res) => setTimeout(res, 1600)); // the held answer is let go
    expect(await t.svc.trackRefunds()).toBe(0);
    const after = t.till.sqlite.prepare(`SELECT state FROM payment_refunds WHERE out_refund_no = ?`).get(row.no) as { state: string };
    expect(after.state).toBe('SUCCESS');
    const tr = fake.listTrades()[0];
    expect(tr.refunds).toHaveLength(1);
    expect(tr.refunds[0]).toMatchObject({ outRefundNo: row.no, amountFen: -r.totalFen });
  });

  it('a 5xx on the refund call: the return commits, the refund is re-sent (same out_refund_no) and lands once', async () => {
    const { saleId, lines } = await paidSale();
    await asManager();
    fake.setScenario({ op: 'refund', fault: 'server_error' }); // not applied by the simulator
    const before = (t.till.sqlite.prepare(`SELECT count(*) AS n FROM sales WHERE kind = 'return'`).get() as { n: number }).n;
    const r = await t.call('sales.return', { requestId: rid(), saleId, lines: [{ lineId: lines[1].id, qty: 1000 }] });
    expect((t.till.sqlite.prepare(`SELECT count(*) AS n FROM sales WHERE kind = 'return'`).get() as { n: number }).n).toBe(before + 1);
    expect(await t.svc.trackRefunds()).toBe(0);
    expect(refunded()).toBe(-r.totalFen);
  });
});
