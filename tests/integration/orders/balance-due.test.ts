// 货到付款 / 尾款 through the API: a Youzan order with an unpaid balance (the fake's balanceDue, read by
// the connector) is paid at the counter by the customer's WeChat code (WeChat simulator over HTTP) or
// by a poster; the order's balance becomes 0 with the payment's record, an outbox row asks the platform
// to mark it paid (kept: no platform API documented, the order says 请在网店后台确认收款), the Z report's
// figures carry it by tender. Refused: an amount other than the balance, an order without balance, a
// second payment of the same balance; a later copy of the order from the platform does not bring it back.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { storeOrders } from '../../../electron/sync/orders';
import { YouzanConnector } from '../../../electron/sync/youzan/connector';
import { WechatPayFake } from '../../fakes/wechat-pay';
import { YouzanFake } from '../../fakes/youzan';
import { payTill, rid, wechatCode, type PayTill } from '../../support/payment-till';

let wechat: WechatPayFake;
let youzan: YouzanFake;
let t: PayTill;

beforeAll(async () => {
  wechat = await WechatPayFake.start();
  youzan = await YouzanFake.start();
});
afterAll(async () => {
  await wechat.close();
  await youzan.close();
});
afterEach(() => {
  t?.cleanup();
  wechat.reset();
});

/** Places a Youzan order (balance in yuan) and pulls it in through the connector; returns the local order id. */
async function orderIn(balanceDue: string | undefined): Promise<{ id: string; tid: string }> {
  youzan.setStock('100001', '200001', 50);
  const trade = youzan.placeOrder([{ itemId: '100001', skuId: '200001', num: 1 }], { payment: '10.00', expressType: 1, ...(balanceDue ? { balanceDue } : {}) });
  await pull();
  const id = t.till.sqlite.prepare(`SELECT id FROM online_orders WHERE platform_order_id = ?`).pluck().get(trade.tid) as string;
  return { id, tid: trade.tid };
}

async function pull(): Promise<void> {
  const c = new YouzanConnector({ ...youzan.clientConfig(), now: () => youzan.now() });
  const orders = await c.pullOrders({ sinceMs: 0, untilMs: youzan.now() + 60_000 });
  storeOrders(t.till.db, 'youzan', orders, t.till.now(), youzan.now());
}

const outboxRows = () => t.till.sqlite.prepare(`SELECT topic, payload, sent_at AS sentAt FROM outbox WHERE topic = 'order.balance_paid'`).all() as { topic: string; payload: string; sentAt: number | null }[];

describe('尾款 at the counter', () => {
  it('a COD balance paid by the customer WeChat code: balance 0, outbox row kept, in the Z report by tender; a second payment refused', async () => {
    t = payTill({ wechat, timeoutMs: 10_000 });
    await t.loginAs('cashier');
    await t.call('shift.open', { openingCashFen: 10_000 });
    const { id, tid } = await orderIn('25.80');
    expect(await t.call('orders.get', { id })).toMatchObject({ balanceDueFen: 2580, paymentState: 'balance_due' });

    // Refused, nothing stored: another amount than the balance.
    const attemptsBefore = t.till.sqlite.prepare(`SELECT count(*) FROM payment_attempts`).pluck().get();
    await expect(t.call('orders.balanceCodePay', { orderId: id, requestId: rid(), code: wechatCode(), amountFen: 2500 })).rejects.toMatchObject({ code: 'AMOUNT_NOT_BALANCE' });
    expect(t.till.sqlite.prepare(`SELECT count(*) FROM payment_attempts`).pluck().get()).toBe(attemptsBefore);

    const requestId = rid();
    const code = wechatCode();
    const a = await t.call('orders.balanceCodePay', { orderId: id, requestId, code, amountFen: 2580 });
    expect(a).toMatchObject({ kind: 'code', state: 'SUCCESS', amountFen: 2580, cartId: null });
    await t.svc.requests.paid(a.id); // the order side's listener ran (at least once)

    const order = await t.call('orders.get', { id });
    expect(order).toMatchObject({ balanceDueFen: 0, paymentState: 'paid_online' });
    expect(order.history.map((h) => h.text).join('\n')).toContain('请在网店后台确认收款');
    expect(await t.call('orders.balance', { orderId: id })).toMatchObject({ balanceDueFen: 0, paid: { method: 'wechat', amountFen: 2580 }, platformNote: '请在网店后台确认收款' });
    // The outbox row asking the platform to mark it paid: kept unsent (no API), exactly one.
    const rows = outboxRows();
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0].payload)).toMatchObject({ platform: 'youzan', platformOrderId: tid, amountFen: 2580, outTradeNo: a.outTradeNo });
    expect(rows[0].sentAt).toBeNull();
    // Charged once on the platform.
    expect(wechat.listTrades().filter((x) => x.outTradeNo === a.outTradeNo)).toHaveLength(1);

    // A retried call (same request) answers the same attempt; a new one for the same balance is refused.
    expect((await t.call('orders.balanceCodePay', { orderId: id, requestId, code, amountFen: 2580 })).id).toBe(a.id);
    await expect(t.call('orders.balanceCodePay', { orderId: id, requestId: rid(), code: wechatCode(), amountFen: 2580 })).rejects.toMatchObject({ code: 'BALANCE_ALREADY_PAID' });
    await expect(t.call('orders.balancePoster', { orderId: id, requestId: rid(), provider: 'wechat', amountFen: 2580 })).rejects.toMatchObject({ code: 'BALANCE_ALREADY_PAID' });
    expect(outboxRows()).toHaveLength(1);

    // The platform still says 2580 due (it was never told): a later copy of the order keeps the local 0.
    const c = new YouzanConnector({ ...youzan.clientConfig(), now: () => youzan.now() });
    const copy = (await c.pullOrders({ sinceMs: 0, untilMs: youzan.now() + 60_000 })).find((o) => o.platformOrderId === tid)!;
    expect(copy.balanceDueFen).toBe(2580);
    storeOrders(t.till.db, 'youzan', [{ ...copy, updatedAt: copy.updatedAt + 60_000 }], t.till.now(), youzan.now());
    expect((await t.call('orders.get', { id })).balanceDueFen).toBe(0);

    // The day's figures: the balance by tender.
    await t.loginAs('manager');
    const z = await t.call('day.preview', { businessDay: t.till.businessDay() });
    expect(z.onlineBalances).toEqual([{ method: 'wechat', label: '微信支付', count: 1, amountFen: 2580 }]);
  });

  it('the balance is cleared in the payment\'s own transaction: no order-side listener needed', async () => {
    t = payTill({ wechat, timeoutMs: 10_000 });
    await t.loginAs('cashier');
    const { id, tid } = await orderIn('8.00');
    // Straight to the payments service (no endpoint of the order side ran, so no onRemotePaid listener is registered).
    const a = await t.svc.codePayForOrder({ requestId: rid(), code: wechatCode(), amountFen: 800, orderRef: { platform: 'youzan', platformOrderId: tid }, guard: () => undefined });
    expect(a.state).toBe('SUCCESS');
    const row = t.till.sqlite.prepare(`SELECT balance_due_fen AS due FROM online_orders WHERE id = ?`).get(id) as { due: number };
    expect(row.due).toBe(0);
    expect(outboxRows()).toHaveLength(1);
    // The request waits for a listener (outcome null); when one registers it changes nothing twice.
    expect(t.till.sqlite.prepare(`SELECT outcome FROM payment_requests WHERE attempt_id = ?`).pluck().get(a.id)).toBeNull();
    await t.call('orders.balance', { orderId: id });
    await t.svc.requests.paid(a.id);
    expect(outboxRows()).toHaveLength(1);
    expect(t.till.sqlite.prepare(`SELECT count(*) FROM audit_log WHERE action = 'order.balance_paid'`).pluck().get()).toBe(1);
  });

  it('an order without balance is refused; a poster for the balance paid → balance 0 once', async () => {
    t = payTill({ wechat, timeoutMs: 10_000 });
    await t.loginAs('cashier');
    const none = await orderIn(undefined);
    await expect(t.call('orders.balanceCodePay', { orderId: none.id, requestId: rid(), code: wechatCode(), amountFen: 100 })).rejects.toMatchObject({ code: 'NO_BALANCE_DUE' });
    await expect(t.call('orders.balancePoster', { orderId: none.id, requestId: rid(), provider: 'wechat', amountFen: 100 })).rejects.toMatchObject({ code: 'NO_BALANCE_DUE' });

    const { id } = await orderIn('12.00');
    await expect(t.call('orders.balancePoster', { orderId: id, requestId: rid(), provider: 'wechat', amountFen: 1100 })).rejects.toMatchObject({ code: 'AMOUNT_NOT_BALANCE' });
    const p = await t.call('orders.balancePoster', { orderId: id, requestId: rid(), provider: 'wechat', amountFen: 1200 });
    expect(p.attempt).toMatchObject({ kind: 'remote', state: 'USERPAYING', amountFen: 1200 });
    // While the poster waits, a code payment of the same balance is refused (no double charge).
    await expect(t.call('orders.balanceCodePay', { orderId: id, requestId: rid(), code: wechatCode(), amountFen: 1200 })).rejects.toMatchObject({ code: 'BALANCE_PAYMENT_PENDING' });
    wechat.customerPays(p.attempt.outTradeNo);
    await t.svc.settled(p.attempt.id);
    await t.svc.requests.paid(p.attempt.id);
    expect((await t.call('orders.get', { id })).balanceDueFen).toBe(0);
    expect(outboxRows()).toHaveLength(1);
    expect((await t.call('payments.requests', {})).find((r) => r.attempt.id === p.attempt.id)).toMatchObject({ outcome: 'order' });
  });
});
