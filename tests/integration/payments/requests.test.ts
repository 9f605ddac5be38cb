// Remote payment requests (远程收款) against the WeChat simulator over HTTP: tied to a held cart (paid →
// the cart becomes a completed sale by the main side's polling, in one transaction), expired (closed on
// the platform), paid at the very last moment (query before close; a close refused because paid →
// paid), resumed after a restart, and tied to an online order (the order side's hook, at least once).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CustomerDisplayFeed } from '../../../electron/devices/customer-display-feed';
import type { OrderRef, PaymentAttemptView } from '../../../shared/api/payments';
import { WechatPayFake } from '../../fakes/wechat-pay';
import { payTill, rid, virtualSleep, type PayTill } from '../../support/payment-till';

let wechat: WechatPayFake;
let t: PayTill;

beforeAll(async () => {
  wechat = await WechatPayFake.start();
});
afterAll(async () => {
  await wechat.close();
});
afterEach(() => {
  t?.cleanup();
  wechat.reset();
});

/** Rings up demo items and holds the cart; returns the held cart's id and total. */
async function heldCartOf(items = [3, 4, 5]) {
  t ??= payTill({ wechat, timeoutMs: 10_000 });
  await t.loginAs('cashier');
  const cart = await t.ringUp(items);
  await t.call('cart.hold', { note: '3号楼 王阿姨' });
  const held = await t.call('cart.held');
  const h = held.find((x) => x.id === cart.id)!;
  return { heldId: h.id, totalFen: h.totalFen };
}

const count = (sql: string, ...args: unknown[]) => (t.till.sqlite.prepare(sql).get(...args) as { n: number }).n;

describe('remote payment request for a held cart', () => {
  it('paid in the simulator: the held cart becomes a completed sale paid by that attempt, polled by the main side', async () => {
    t = payTill({ wechat, timeoutMs: 10_000 });
    const { heldId, totalFen } = await heldCartOf();
    const r = await t.call('payments.requestCreate', { requestId: rid(), provider: 'wechat', heldCartId: heldId, note: '3号楼' });
    expect(r).toMatchObject({ heldCartId: heldId, open: true, outcome: null });
    expect(r.attempt).toMatchObject({ kind: 'remote', state: 'USERPAYING', amountFen: totalFen });
    expect(r.words).toMatch(/^等待顾客扫码付款/);
    // The poster shows the held cart's items and the platform's QR.
    const poster = await t.call('payments.poster', { id: r.attempt.id });
    expect(poster.fileName).toBe(`收款海报_${r.attempt.outTradeNo}.png`);
    // While it waits, the cart cannot be recalled (it is being paid where it is), nor requested twice.
    await expect(t.call('cart.recall', { heldId })).rejects.toMatchObject({ code: 'PAYMENT_PENDING' });
    await expect(t.call('payments.requestCreate', { requestId: rid(), provider: 'wechat', heldCartId: heldId })).rejects.toMatchObject({ code: 'PAYMENT_PENDING' });
    // A cashier rings up other customers meanwhile.
    await t.ringUp([6]);

    wechat.customerPays(r.attempt.outTradeNo);
    await t.svc.settled(r.attempt.id);
    await t.svc.requests.paid(r.attempt.id);
    const after = (await t.call('payments.requests', {})).find((x) => x.attempt.id === r.attempt.id)!;
    expect(after).toMatchObject({ open: false, outcome: 'sale' });
    expect(after.attempt.saleId).toBe(after.saleId);
    expect(after.words).toContain(`小票 ${after.receiptNo}`);
    // One sale of the held cart's total, paid by that attempt; the held cart is gone; stock moved; the active cart untouched.
    expect(count('SELECT count(*) n FROM sales WHERE id = ? AND total_fen = ?', after.saleId, totalFen)).toBe(1);
    expect(count(`SELECT count(*) n FROM payments WHERE sale_id = ? AND method = 'wechat' AND reference = ? AND amount_fen = ?`, after.saleId, r.attempt.outTradeNo, totalFen)).toBe(1);
    expect(count('SELECT count(*) n FROM carts WHERE id = ?', heldId)).toBe(0);
    expect(count(`SELECT count(*) n FROM stock_moves WHERE ref_id = ? AND reason = 'sale'`, after.saleId)).toBe(3);
    expect((await t.call('cart.get')).lines).toHaveLength(1);
    // Handling it again (a second event, a restart) makes no second sale.
    await t.svc.requests.paid(r.attempt.id);
    t.svc.requests.resume();
    await t.svc.requests.paid(r.attempt.id);
    expect(count('SELECT count(*) n FROM sales')).toBe(1);
    expect(wechat.listTrades().filter((x) => x.charges.length)).toHaveLength(1);
  });

  it('not paid: expires, is closed on the platform, and the held cart can be recalled again', async () => {
    t = payTill({ wechat, timeoutMs: 10_000 });
    const { heldId } = await heldCartOf();
    const r = await t.call('payments.requestCreate', { requestId: rid(), provider: 'wechat', heldCartId: heldId, ttlMinutes: 5 });
    const done = await t.svc.settled(r.attempt.id);
    expect(done.state).toBe('CLOSED');
    expect(wechat.listTrades()[0]).toMatchObject({ state: 'CLOSED' });
    expect(wechat.listTrades()[0].charges).toHaveLength(0);
    const v = (await t.call('payments.requests', {}))[0];
    expect(v).toMatchObject({ open: false, outcome: null });
    expect(v.words).toBe('已过期，已在平台关闭，未扣款');
    expect((await t.call('payments.requests', { openOnly: true }))).toHaveLength(0);
    await t.call('cart.recall', { heldId });
    expect(count('SELECT count(*) n FROM sales')).toBe(0);
  });

  it('paid a moment before expiry, after the last poll: the query before closing finds it (no close is sent), and the sale is made', async () => {
    let paidAt: string | null = null;
    let expiresAt = Number.POSITIVE_INFINITY;
    const fast = virtualSleep({ wechat });
    t = payTill({
      timeoutMs: 10_000,
      wechat,
      flow: {
        // The customer pays two seconds before the QR expires, while the till waits for its next poll.
        sleep: async (ms) => {
          await fast(ms);
          if (paidAt && wechat.now() >= expiresAt && !wechat.listTrades()[0].charges.length) {
            wechat.advance(-2);
            wechat.customerPays(paidAt);
            wechat.advance(2);
          }
        },
      },
    });
    const { heldId, totalFen } = await heldCartOf();
    const r = await t.call('payments.requestCreate', { requestId: rid(), provider: 'wechat', heldCartId: heldId, ttlMinutes: 5 });
    expiresAt = r.attempt.expiresAt!;
    paidAt = r.attempt.outTradeNo;
    const done = await t.svc.settled(r.attempt.id);
    expect(done.state).toBe('SUCCESS');
    expect(wechat.requests().filter((x) => x.op === 'close')).toHaveLength(0);
    await t.svc.requests.paid(r.attempt.id);
    expect(count('SELECT count(*) n FROM sales WHERE total_fen = ?', totalFen)).toBe(1);
  });

  it('paid between the last query and the close: the refused close is followed by a query → paid, never lost', async () => {
    t = payTill({
      timeoutMs: 10_000,
      wechat,
      wrap: (p) => ({
        ...p,
        close: async (no: string) => {
          wechat.advance(-2);
          wechat.customerPays(no); // the customer pays as the till closes the QR
          wechat.advance(2);
          return p.close(no);
        },
      }),
    });
    const { heldId } = await heldCartOf();
    const r = await t.call('payments.requestCreate', { requestId: rid(), provider: 'wechat', heldCartId: heldId, ttlMinutes: 5 });
    const done = await t.svc.settled(r.attempt.id);
    expect(done.state).toBe('SUCCESS');
    expect(wechat.requests().some((x) => x.op === 'close' && x.code === 'ORDER_PAID')).toBe(true);
    await t.svc.requests.paid(r.attempt.id);
    expect((await t.call('payments.requests', {}))[0]).toMatchObject({ outcome: 'sale' });
  });

  it('a restart resumes the polling: paid while the till was off, the held cart is made a sale after start-up', async () => {
    t = payTill({ wechat, timeoutMs: 10_000 });
    const { heldId, totalFen } = await heldCartOf();
    const r = await t.call('payments.requestCreate', { requestId: rid(), provider: 'wechat', heldCartId: heldId });
    t.close(); // the till is switched off; the customer pays meanwhile
    wechat.customerPays(r.attempt.outTradeNo);
    t = t.restart();
    await t.svc.recover();
    await t.svc.settled(r.attempt.id);
    await t.svc.requests.paid(r.attempt.id);
    expect(count('SELECT count(*) n FROM sales WHERE total_fen = ?', totalFen)).toBe(1);
    expect(count('SELECT count(*) n FROM carts WHERE id = ?', heldId)).toBe(0);
  });

  it('paid when no shift may take money: the payment stays received, and the recalled cart is paid with it', async () => {
    t = payTill({ wechat, timeoutMs: 10_000 });
    const { heldId, totalFen } = await heldCartOf();
    t.till.settings.set('checkout.requireShift', true);
    const r = await t.call('payments.requestCreate', { requestId: rid(), provider: 'wechat', heldCartId: heldId });
    t.till.sqlite.prepare(`UPDATE shifts SET closed_at = 1 WHERE closed_at IS NULL`).run(); // the shift ended meanwhile
    wechat.customerPays(r.attempt.outTradeNo);
    await t.svc.settled(r.attempt.id);
    await t.svc.requests.paid(r.attempt.id);
    const v = (await t.call('payments.requests', {}))[0];
    expect(v).toMatchObject({ outcome: 'received' });
    expect(v.words).toContain('请取单结账');
    expect(count('SELECT count(*) n FROM sales')).toBe(0);
    await t.call('shift.open', { openingCashFen: 0 });
    await t.call('cart.recall', { heldId });
    const fc = await t.call('payments.forCart');
    expect(fc.receivedFen).toBe(totalFen);
    await t.call('sales.pay', { requestId: rid(), payments: fc.toInclude });
    expect(count('SELECT count(*) n FROM sales')).toBe(1);
    expect((await t.call('payments.requests', {}))[0].words).toContain('已结账');
  });

  it('refuses an amount other than the held cart’s due, a cart and an order together, and a cart that is not held', async () => {
    t = payTill({ wechat, timeoutMs: 10_000 });
    const { heldId, totalFen } = await heldCartOf();
    await expect(t.call('payments.requestCreate', { requestId: rid(), provider: 'wechat', heldCartId: heldId, amountFen: totalFen - 1 }))
      .rejects.toMatchObject({ code: 'AMOUNT_NOT_DUE' });
    await expect(t.call('payments.requestCreate', { requestId: rid(), provider: 'wechat', heldCartId: heldId, orderRef: { platform: 'youzan', platformOrderId: 'E1' } }))
      .rejects.toMatchObject({ code: 'BAD_REQUEST_TARGET' });
    await expect(t.call('payments.requestCreate', { requestId: rid(), provider: 'wechat', heldCartId: 'nope' })).rejects.toMatchObject({ code: 'UNKNOWN_CART' });
    await expect(t.call('payments.requestCreate', { requestId: rid(), provider: 'wechat' })).rejects.toMatchObject({ code: 'BAD_AMOUNT' });
    expect(count('SELECT count(*) n FROM payment_attempts')).toBe(0);
    expect(wechat.listTrades()).toHaveLength(0);
  });
});

describe('remote payment request for an online order', () => {
  it('paid: the order side hears onRemotePaid(orderRef, attempt) once, even when it registers after the payment', async () => {
    t = payTill({ wechat, timeoutMs: 10_000 });
    await t.loginAs('cashier');
    const orderRef = { platform: 'youzan', platformOrderId: 'E20261130000001' };
    const requestId = rid();
    const r = await t.call('payments.requestCreate', { requestId, provider: 'wechat', amountFen: 4550, orderRef });
    // A retried call is the same request, not a second QR.
    expect((await t.call('payments.requestCreate', { requestId, provider: 'wechat', amountFen: 4550, orderRef })).attempt.id).toBe(r.attempt.id);
    wechat.customerPays(r.attempt.outTradeNo);
    await t.svc.settled(r.attempt.id);
    await t.svc.requests.paid(r.attempt.id);
    expect((await t.call('payments.requests', {}))[0]).toMatchObject({ outcome: null, orderRef });
    const heard: [OrderRef, PaymentAttemptView][] = [];
    t.svc.onRemotePaid((ref, a) => {
      heard.push([ref, a]);
    });
    await t.svc.requests.paid(r.attempt.id);
    await t.svc.requests.paid(r.attempt.id);
    expect(heard).toHaveLength(1);
    expect(heard[0][0]).toEqual(orderRef);
    expect(heard[0][1]).toMatchObject({ state: 'SUCCESS', amountFen: 4550, outTradeNo: r.attempt.outTradeNo });
    expect((await t.call('payments.requests', {}))[0]).toMatchObject({ outcome: 'order' });
    expect(count('SELECT count(*) n FROM sales')).toBe(0);
  });

  it('cancelled by the cashier: closed on the platform, nothing taken, the hook never called', async () => {
    t = payTill({ wechat, timeoutMs: 10_000 });
    await t.loginAs('cashier');
    let heard = 0;
    t.svc.onRemotePaid(() => void heard++);
    const r = await t.call('payments.requestCreate', { requestId: rid(), provider: 'wechat', amountFen: 990, orderRef: { platform: 'doudian', platformOrderId: '6930000000000000001' } });
    const c = await t.call('payments.requestCancel', { id: r.attempt.id });
    expect(c.attempt.state).toBe('CLOSED');
    expect(c.words).toBe('已取消，未扣款');
    expect(wechat.listTrades()[0].state).toBe('CLOSED');
    expect(heard).toBe(0);
  });

  it('never shows on the customer display, nor takes off the QR the counter customer is paying', async () => {
    t = payTill({ wechat, timeoutMs: 10_000 });
    const feed = new CustomerDisplayFeed(t.till, { serialDisplay: () => null });
    feed.start();
    try {
      await t.loginAs('cashier');
      await t.ringUp([3]);
      const cart = await t.call('cart.subtotal', {}); // the customer display shows what is due (and a shown QR)
      const shown = await t.call('payments.qrCreate', { requestId: rid(), provider: 'wechat', amountFen: cart.priced.totalFen });
      expect(feed.current().paying?.qr?.url).toBe(shown.codeUrl);
      const r = await t.call('payments.requestCreate', { requestId: rid(), provider: 'wechat', amountFen: 990, orderRef: { platform: 'youzan', platformOrderId: 'E2' } });
      expect(feed.current().paying?.qr?.url).toBe(shown.codeUrl); // not the request's QR
      await t.call('payments.requestCancel', { id: r.attempt.id });
      expect(feed.current().paying?.qr?.url).toBe(shown.codeUrl); // its end does not clear the counter's QR
      // Money for an online order is not a reconciliation issue for want of a sale.
      const req2 = await t.call('payments.requestCreate', { requestId: rid(), provider: 'wechat', amountFen: 880, orderRef: { platform: 'youzan', platformOrderId: 'E3' } });
      wechat.customerPays(req2.attempt.outTradeNo);
      await t.svc.settled(req2.attempt.id);
      await t.loginAs('manager');
      const row = (await t.call('payments.reconcile', {})).rows.find((x) => x.id === req2.attempt.id)!;
      expect(row.issues).not.toContain('received_no_sale');
    } finally {
      feed.stop();
    }
  });
});
