// The same state machine on the other paths: a shown WeChat Native QR (主扫: created, polled, paid by
// the customer in the simulator, or cancelled / expired and closed on the platform) and Alipay's code
// payment (trade.pay, 10003 → polled; a timeout after the simulator applied it → found by query), each
// against its simulator over HTTP.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeAlipay } from '../../fakes/alipay';
import { WechatPayFake } from '../../fakes/wechat-pay';
import type { AlipayConfig } from '../../../electron/payments/alipay/client';
import { alipayCode, payTill, rid, startAlipayFake, type PayTill } from '../../support/payment-till';

let wechat: WechatPayFake;
let alipay: { fake: FakeAlipay; config: AlipayConfig };
let t: PayTill;
const events: { state: string; codeUrl: string | null }[] = [];

beforeAll(async () => {
  wechat = await WechatPayFake.start();
  alipay = await startAlipayFake();
});
afterAll(async () => {
  await wechat.close();
  await alipay.fake.close();
});
afterEach(() => {
  t?.cleanup();
  wechat.reset();
  alipay.fake.resetScenarios();
  events.length = 0;
});

async function start(items = [3, 4]) {
  t = payTill({ wechat, alipay });
  t.till.events.onAny((name, p) => {
    if (name === 'payment') events.push(p as { state: string; codeUrl: string | null });
  });
  await t.loginAs('cashier');
  return (await t.ringUp(items)).priced.totalFen;
}

describe('shown QR (WeChat Native)', () => {
  it('is created with a code URL for the customer display, polled, paid by the customer → SUCCESS, and pays the sale', async () => {
    const due = await start();
    const a = await t.call('payments.qrCreate', { requestId: rid(), provider: 'wechat', amountFen: due });
    expect(a).toMatchObject({ state: 'USERPAYING', kind: 'qr', words: '请顾客扫码支付' });
    expect(a.codeUrl).toMatch(/^weixin:\/\//);
    // The 'payment' event carries the QR for the customer display.
    expect(events.some((e) => e.state === 'USERPAYING' && e.codeUrl === a.codeUrl)).toBe(true);
    wechat.customerPays(a.outTradeNo);
    const done = await t.svc.settled(a.id);
    expect(done.state).toBe('SUCCESS');
    expect(done.codeUrl).toBeNull();
    const sale = await t.call('sales.pay', { requestId: rid(), payments: [{ method: 'wechat', amountFen: due, attemptId: a.id }] });
    expect(sale.totalFen).toBe(due);
    expect(wechat.listTrades()[0].charges).toHaveLength(1);
  });

  it('cancelled by the cashier: closed on the platform, CLOSED, nothing taken; the cart is free', async () => {
    const due = await start();
    const a = await t.call('payments.qrCreate', { requestId: rid(), provider: 'wechat', amountFen: due });
    const closed = await t.call('payments.qrCancel', { id: a.id });
    expect(closed.state).toBe('CLOSED');
    expect(wechat.listTrades()[0].state).toBe('CLOSED');
    expect((await t.call('payments.forCart')).pending).toBeNull();
  });

  it('not paid before it expires: closed on the platform (CLOSED)', async () => {
    const due = await start();
    const a = await t.call('payments.qrCreate', { requestId: rid(), provider: 'wechat', amountFen: due, ttlSeconds: 60 });
    const done = await t.svc.settled(a.id);
    expect(done.state).toBe('CLOSED');
    expect(wechat.listTrades()[0].charges).toHaveLength(0);
  });
});

describe('Alipay code payment', () => {
  it('paid at once: SUCCESS, and a sale split between Alipay and cash', async () => {
    const due = await start([5, 6, 7]);
    alipay.fake.setScenario({ mode: 'success' });
    const part = due - 100;
    const a = await t.call('payments.codePay', { requestId: rid(), code: alipayCode(), amountFen: part });
    expect(a).toMatchObject({ provider: 'alipay', state: 'SUCCESS' });
    const sale = await t.call('sales.pay', { requestId: rid(), payments: [{ method: 'alipay', amountFen: part, attemptId: a.id }, { method: 'cash', amountFen: 200 }] });
    expect(sale.changeFen).toBe(100);
    const trade = alipay.fake.trades().find((x) => x.outTradeNo === a.outTradeNo)!;
    expect(trade).toMatchObject({ charges: 1, totalFen: part });
  });

  it('10003 (password), then paid: polled to SUCCESS', async () => {
    const due = await start();
    alipay.fake.setScenario({ mode: 'userpaying', then: 'success', afterSeconds: 20 });
    const a = await t.call('payments.codePay', { requestId: rid(), code: alipayCode(), amountFen: due });
    expect(a.state).toBe('USERPAYING');
    expect((await t.svc.settled(a.id)).state).toBe('SUCCESS');
    expect(alipay.fake.trades()[0].charges).toBe(1);
  });

  it('the answer is lost after Alipay applied it: UNKNOWN, then SUCCESS by query, never charged twice', async () => {
    const due = await start();
    alipay.fake.setScenario({ mode: 'apply_then_timeout', delayMs: 2500 });
    const a = await t.call('payments.codePay', { requestId: rid(), code: alipayCode(), amountFen: due });
    expect(a.state).toBe('UNKNOWN');
    expect((await t.svc.settled(a.id)).state).toBe('SUCCESS');
    expect(alipay.fake.trades()[0].charges).toBe(1);
  });
});
