// The no-double-charge state machine against the WeChat Pay v3 simulator over real HTTP (PLATFORMS.md
// section 7, the scenarios that apply to a till that learns outcomes by query): (a) a pay call that
// times out after the platform charged, (b) USERPAYING then SUCCESS, (c) USERPAYING forever → reversed
// no earlier than 15 s after the charge, (d) reverse failing transiently twice, (e) a reverse of a trade
// that had just been paid → REFUNDED (told as such, never 已收款), (h) 429 and 5xx on query. The till's
// clock is the simulator's and the flow's waits move it, so the simulator checks the 15 s rule itself.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OutcomeUnknown, type PaymentProvider } from '../../../electron/payments/provider';
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

async function start(items = [1, 2], wrap?: (p: PaymentProvider) => PaymentProvider): Promise<{ totalFen: number }> {
  t = payTill({ wechat: fake, wrap });
  await t.loginAs('cashier');
  const cart = await t.ringUp(items);
  return { totalFen: cart.priced.totalFen };
}

const trade = (outTradeNo: string) => fake.listTrades().find((x) => x.outTradeNo === outTradeNo);
const states = (id: string) => t.svc.attempt(id).events.map((e) => e.to);

describe('code payment flow against the WeChat simulator', () => {
  it('(b) USERPAYING for 20 s, then SUCCESS: polled, the cashier is told 请在手机上输入密码, charged once', async () => {
    const { totalFen } = await start();
    fake.setScenario({ op: 'codepay', outcome: 'USERPAYING', settleTo: 'SUCCESS', settleAfterSeconds: 20 });
    const first = await t.call('payments.codePay', { requestId: rid(), code: wechatCode(), amountFen: totalFen });
    expect(first.state).toBe('USERPAYING');
    expect(first.words).toBe('请在手机上输入密码');
    const done = await t.svc.settled(first.id);
    expect(done.state).toBe('SUCCESS');
    expect(done.words).toBe('已收款');
    expect(states(first.id)).toEqual(['CREATED', 'PENDING', 'USERPAYING', 'SUCCESS']);
    const tr = trade(done.outTradeNo)!;
    expect(tr.charges).toHaveLength(1);
    expect(tr.charges[0].amountFen).toBe(totalFen);
    expect(done.transactionId).toBe(tr.transactionId);
  });

  it('(a) the pay call times out after the platform charged: UNKNOWN (never failed), the query finds SUCCESS, nothing charged again', async () => {
    const { totalFen } = await start();
    fake.setScenario({ op: 'codepay', outcome: 'SUCCESS', fault: 'timeout', delayMs: 2500 });
    const code = wechatCode();
    const first = await t.call('payments.codePay', { requestId: rid(), code, amountFen: totalFen });
    expect(first.state).toBe('UNKNOWN');
    // While it is unknown the cart takes no other payment: not another code, not the same code again.
    await expect(t.call('payments.codePay', { requestId: rid(), code: wechatCode(), amountFen: totalFen })).rejects.toMatchObject({ code: 'PAYMENT_PENDING' });
    await expect(t.call('payments.codePay', { requestId: rid(), code, amountFen: totalFen })).rejects.toMatchObject({ code: 'DUPLICATE_CODE' });
    const done = await t.svc.settled(first.id);
    expect(done.state).toBe('SUCCESS');
    expect(states(first.id)).toEqual(['CREATED', 'PENDING', 'UNKNOWN', 'SUCCESS']);
    expect(fake.listTrades()).toHaveLength(1);
    expect(trade(done.outTradeNo)!.charges).toHaveLength(1);
    // Received: a new code for this cart is refused (nothing left to pay).
    await expect(t.call('payments.codePay', { requestId: rid(), code: wechatCode(), amountFen: totalFen })).rejects.toMatchObject({ code: 'AMOUNT_OVER_DUE' });
  });

  it('(c) USERPAYING forever: given up, reversed no earlier than 15 s after the charge, REVOKED, nothing taken', async () => {
    const { totalFen } = await start();
    fake.setScenario({ op: 'codepay', outcome: 'USERPAYING' });
    const first = await t.call('payments.codePay', { requestId: rid(), code: wechatCode(), amountFen: totalFen });
    const done = await t.svc.settled(first.id);
    expect(done.state).toBe('REVOKED');
    expect(done.words).toBe('已撤销，未扣款');
    const tr = trade(done.outTradeNo)!;
    expect(tr.state).toBe('REVOKED');
    expect(tr.charges).toHaveLength(0);
    const reverses = fake.requests().filter((x) => x.op === 'reverse' && x.status < 300);
    expect(reverses).toHaveLength(1);
    expect(reverses[0].at - tr.createdAt).toBeGreaterThanOrEqual(15_000);
    // Final now: the cart may be paid another way.
    expect((await t.call('payments.forCart')).pending).toBeNull();
  });

  it('(d) the reverse fails transiently twice, then succeeds: retried with backoff, REVOKED', async () => {
    const { totalFen } = await start();
    fake.setScenario([
      { op: 'codepay', outcome: 'USERPAYING' },
      { op: 'reverse', fault: 'server_error', times: 2 },
    ]);
    const first = await t.call('payments.codePay', { requestId: rid(), code: wechatCode(), amountFen: totalFen });
    const done = await t.svc.settled(first.id);
    expect(done.state).toBe('REVOKED');
    expect(trade(done.outTradeNo)!.charges).toHaveLength(0);
    const reverses = fake.requests().filter((x) => x.op === 'reverse');
    expect(reverses.map((r) => r.status >= 500)).toEqual([true, true, false]);
  });

  it('(e) the customer pays just as the till gives up: the reverse refunds it, the cashier is told 已撤销并退款 (not 已收款)', async () => {
    // The till's own queries never get through (network); the password is entered after 10 s, so the
    // trade is paid when the till reverses it (the client's reverse looks at the trade first: paid).
    let blind = true;
    const { totalFen } = await start([1, 2], (p) => ({
      ...p,
      name: p.name,
      query: (no) => (blind ? Promise.reject(new OutcomeUnknown('network', 'query: 网络错误')) : p.query(no)),
      reverse: (no) => {
        blind = false;
        return p.reverse(no);
      },
    }));
    fake.setScenario({ op: 'codepay', outcome: 'USERPAYING', settleTo: 'SUCCESS', settleAfterSeconds: 10 });
    const first = await t.call('payments.codePay', { requestId: rid(), code: wechatCode(), amountFen: totalFen });
    const done = await t.svc.settled(first.id);
    expect(done.state).toBe('REFUNDED');
    expect(done.words).toBe('已撤销并退款');
    const tr = trade(done.outTradeNo)!;
    expect(tr.charges).toHaveLength(1);
    expect(tr.refunds.reduce((s, r) => s + r.amountFen, 0)).toBe(totalFen);
    // Nothing was received for the cart: it is to be paid again.
    const cart = await t.call('payments.forCart');
    expect(cart.receivedFen).toBe(0);
    expect(cart.pending).toBeNull();
  });

  it('(h) 429 and 5xx on query: the till keeps polling with backoff and does not fail the payment', async () => {
    const { totalFen } = await start();
    fake.setScenario([
      { op: 'codepay', outcome: 'USERPAYING', settleTo: 'SUCCESS', settleAfterSeconds: 20 },
      { op: 'query', fault: 'rate_limited', times: 2 },
      { op: 'query', fault: 'server_error', times: 2 },
    ]);
    const first = await t.call('payments.codePay', { requestId: rid(), code: wechatCode(), amountFen: totalFen });
    const done = await t.svc.settled(first.id);
    expect(done.state).toBe('SUCCESS');
    expect(states(first.id)).not.toContain('FAILED');
    expect(trade(done.outTradeNo)!.charges).toHaveLength(1);
  });

  it('answers with a wrong signature or a stale timestamp are not trusted: UNKNOWN, then learned by a query', async () => {
    const { totalFen } = await start();
    fake.setScenario([
      { op: 'codepay', outcome: 'SUCCESS', fault: 'bad_signature' },
      { op: 'query', fault: 'stale_timestamp', times: 1 },
    ]);
    const first = await t.call('payments.codePay', { requestId: rid(), code: wechatCode(), amountFen: totalFen });
    expect(first.state).toBe('UNKNOWN');
    const done = await t.svc.settled(first.id);
    expect(done.state).toBe('SUCCESS');
    expect(trade(done.outTradeNo)!.charges).toHaveLength(1);
  });

  it('a refused code (PAYERROR) ends FAILED with the platform’s words; the cart may be paid again', async () => {
    const { totalFen } = await start();
    fake.setScenario({ op: 'codepay', outcome: 'PAYERROR' });
    const first = await t.call('payments.codePay', { requestId: rid(), code: wechatCode(), amountFen: totalFen });
    const done = first.final ? first : await t.svc.settled(first.id);
    expect(['FAILED']).toContain(done.state);
    expect(trade(done.outTradeNo)?.charges ?? []).toHaveLength(0);
    const again = await t.call('payments.codePay', { requestId: rid(), code: wechatCode(), amountFen: totalFen });
    expect((await t.svc.settled(again.id)).state).toBe('SUCCESS');
  });
});
