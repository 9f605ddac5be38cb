// The WeChat Pay v3 client against the simulator over real HTTP: code payments (SUCCESS, USERPAYING then
// SUCCESS by query, PAYERROR), reverse (too early, then after 15 s on the fake's clock; transient 5xx;
// on a paid trade → refunded), refunds (partial twice, over the limit refused, a replayed out_refund_no),
// Native QR (the customer pays through the control API; close), and the faults that must read as
// "unknown, query it" — after which the simulator never holds a second charge for one out_trade_no.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWechatProvider } from '../../../electron/payments/wechat';
import { OutcomeUnknown, ProviderRefused, type PaymentProvider } from '../../../electron/payments/provider';
import { WechatPayFake, type FakeTrade } from '../../fakes/wechat-pay';

let fake: WechatPayFake;
let client: PaymentProvider;

beforeAll(async () => {
  fake = await WechatPayFake.start();
  client = createWechatProvider(fake.clientConfig(), { baseUrl: fake.url, timeoutMs: 5000 });
});
afterAll(async () => {
  await fake?.close();
});
beforeEach(() => fake.reset());

const CODE = '134567890123456789';
const pay = (outTradeNo: string, amountFen: number, authCode = CODE) => client.codePay({ outTradeNo, authCode, amountFen, description: '小店收银 · 2 件商品' });

async function admin<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${fake.url}/__admin/${path}`, { method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as T };
}

async function trade(no: string): Promise<FakeTrade> {
  const { body } = await admin<{ trades: FakeTrade[] }>('GET', 'trades');
  const t = body.trades.find((x) => x.outTradeNo === no);
  if (!t) throw new Error(`no trade ${no} in the simulator`);
  return t;
}

async function refusal(p: Promise<unknown>): Promise<ProviderRefused> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ProviderRefused);
  return e as ProviderRefused;
}

async function unknown(p: Promise<unknown>): Promise<OutcomeUnknown> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(OutcomeUnknown);
  return e as OutcomeUnknown;
}

describe('code payment (付款码)', () => {
  it('SUCCESS: charged once; the same out_trade_no again is the same trade, a different amount is refused', async () => {
    const first = await pay('PAY0000001', 1230);
    expect(first).toMatchObject({ state: 'SUCCESS', amountFen: 1230 });
    expect(first.transactionId).toMatch(/^\d{28}$/);

    const again = await pay('PAY0000001', 1230);
    expect(again.transactionId).toBe(first.transactionId);

    const other = await refusal(pay('PAY0000001', 1300));
    expect(other.code).toBe('OUT_TRADE_NO_USED');
    const otherCode = await refusal(pay('PAY0000001', 1230, '134567890123456780'));
    expect(otherCode.code).toBe('OUT_TRADE_NO_USED');

    const t = await trade('PAY0000001');
    expect(t.charges).toEqual([expect.objectContaining({ amountFen: 1230 })]);
  });

  it('USERPAYING (HTTP 202) then SUCCESS, learned by query once the customer has entered the password', async () => {
    expect((await admin('PUT', 'scenario', { rules: [{ op: 'codepay', outcome: 'USERPAYING', settleTo: 'SUCCESS', settleAfterSeconds: 20 }] })).status).toBe(200);
    const r = await pay('WAIT000001', 4560);
    expect(r.state).toBe('USERPAYING');
    expect(fake.requests().find((x) => x.op === 'codepay')?.status).toBe(202);

    expect((await client.query('WAIT000001')).state).toBe('USERPAYING');
    expect((await trade('WAIT000001')).charges).toHaveLength(0);

    expect((await admin('POST', 'clock', { advanceSeconds: 21 })).status).toBe(200);
    expect(await client.query('WAIT000001')).toMatchObject({ state: 'SUCCESS', amountFen: 4560 });
    expect((await trade('WAIT000001')).charges).toHaveLength(1);
  });

  it('USERPAYING that the customer finishes through the control API', async () => {
    fake.setScenario({ op: 'codepay', outcome: 'USERPAYING' });
    expect((await pay('WAIT000002', 100)).state).toBe('USERPAYING');
    fake.advance(200); // no settle time was given: still waiting for the password
    expect((await client.query('WAIT000002')).state).toBe('USERPAYING');
    expect((await admin('POST', 'pay', { out_trade_no: 'WAIT000002' })).status).toBe(200);
    expect((await client.query('WAIT000002')).state).toBe('SUCCESS');
  });

  it('PAYERROR (not enough balance) is a refusal in Chinese, the trade reads PAYERROR and nothing is charged', async () => {
    fake.setScenario({ op: 'codepay', outcome: 'PAYERROR', errorCode: 'NOT_ENOUGH' });
    const e = await refusal(pay('FAIL000001', 9999));
    expect(e.code).toBe('NOT_ENOUGH');
    expect(e.message).toContain('余额不足');
    expect((await client.query('FAIL000001')).state).toBe('PAYERROR');
    expect((await trade('FAIL000001')).charges).toHaveLength(0);
  });

  it('bad input is refused before any request: a non-WeChat code, amount 0, a fractional amount', async () => {
    const before = fake.requests().length;
    const wrongPrefix = await refusal(pay('BAD0000001', 100, '194567890123456789'));
    expect(wrongPrefix.code).toBe('AUTH_CODE_INVALID');
    expect(wrongPrefix.message).not.toContain('194567890123456789');
    expect((await refusal(pay('BAD0000002', 0))).code).toBe('PARAM_ERROR');
    expect((await refusal(pay('BAD0000003', 12.5))).code).toBe('PARAM_ERROR');
    expect(fake.requests().length).toBe(before);
  });
});

describe('reverse (撤销)', () => {
  it('is refused sooner than 15 s after the charge (retryable), then closes the unpaid trade', async () => {
    expect((await admin('POST', 'clock', { freeze: true })).body).toMatchObject({ frozen: true }); // exact seconds below
    fake.setScenario({ op: 'codepay', outcome: 'USERPAYING' }); // pending for ever
    expect((await pay('REV0000001', 700)).state).toBe('USERPAYING');

    const early = await refusal(client.reverse('REV0000001'));
    expect(early.code).toBe('REVERSE_TOO_EARLY');
    expect(early.retryable).toBe(true);
    fake.advance(14);
    expect((await refusal(client.reverse('REV0000001'))).code).toBe('REVERSE_TOO_EARLY');
    expect((await client.query('REV0000001')).state).toBe('USERPAYING');

    fake.advance(1);
    expect(await client.reverse('REV0000001')).toEqual({ outcome: 'CLOSED' });
    expect((await client.query('REV0000001')).state).toBe('REVOKED');
    // the customer can no longer finish paying it
    expect((await admin('POST', 'pay', { out_trade_no: 'REV0000001' })).status).toBe(409);
    expect((await trade('REV0000001')).charges).toHaveLength(0);
  });

  it('retried through transient 5xx SYSTEM_ERROR (each one unknown), then done', async () => {
    fake.setScenario([
      { op: 'codepay', outcome: 'USERPAYING' },
      { op: 'reverse', fault: 'server_error', times: 2 },
    ]);
    await pay('REV0000002', 300);
    fake.advance(16);
    expect((await unknown(client.reverse('REV0000002'))).reason).toBe('server_error');
    expect((await unknown(client.reverse('REV0000002'))).reason).toBe('server_error');
    expect((await client.query('REV0000002')).state).toBe('USERPAYING');
    expect(await client.reverse('REV0000002')).toEqual({ outcome: 'CLOSED' });
    expect((await client.query('REV0000002')).state).toBe('REVOKED');
  });

  it('of a trade that had just succeeded is a refund: REFUNDED, and the simulator gave every fen back', async () => {
    fake.setScenario({ op: 'codepay', outcome: 'USERPAYING', settleTo: 'SUCCESS', settleAfterSeconds: 10 });
    await pay('REV0000003', 2500);
    fake.advance(16);
    expect(await client.reverse('REV0000003')).toEqual({ outcome: 'REFUNDED' });
    const t = await trade('REV0000003');
    expect(t.state).toBe('REVOKED');
    expect(t.charges.map((c) => c.amountFen)).toEqual([2500]);
    expect(t.refunds.map((r) => [r.amountFen, r.viaReverse])).toEqual([[2500, true]]);
  });
});

describe('refunds (原路退回)', () => {
  it('partial twice, then more than is left is refused; a replayed out_refund_no returns the same refund', async () => {
    await pay('RFD0000001', 1000);
    const r1 = await client.refund({ outTradeNo: 'RFD0000001', outRefundNo: 'RFD0000001-1', refundFen: 300, totalFen: 1000, reason: '退货' });
    expect(r1.state).toBe('SUCCESS');
    const r2 = await client.refund({ outTradeNo: 'RFD0000001', outRefundNo: 'RFD0000001-2', refundFen: 500, totalFen: 1000 });
    expect(r2.state).toBe('SUCCESS');
    expect(r2.refundId).not.toBe(r1.refundId);

    const over = await refusal(client.refund({ outTradeNo: 'RFD0000001', outRefundNo: 'RFD0000001-3', refundFen: 201, totalFen: 1000 }));
    expect(over.code).toBe('INVALID_REQUEST');
    expect(over.message).toContain('可退');

    const replay = await client.refund({ outTradeNo: 'RFD0000001', outRefundNo: 'RFD0000001-1', refundFen: 300, totalFen: 1000, reason: '退货' });
    expect(replay.refundId).toBe(r1.refundId);
    expect(await client.queryRefund('RFD0000001-2', 'RFD0000001')).toMatchObject({ state: 'SUCCESS', refundId: r2.refundId });

    const t = await trade('RFD0000001');
    expect(t.refunds.map((r) => r.amountFen)).toEqual([300, 500]);
    expect((await client.query('RFD0000001')).state).toBe('REFUND');

    // exactly what is left still goes through
    expect((await client.refund({ outTradeNo: 'RFD0000001', outRefundNo: 'RFD0000001-4', refundFen: 200, totalFen: 1000 })).state).toBe('SUCCESS');
    expect((await trade('RFD0000001')).refunds.reduce((s, r) => s + r.amountFen, 0)).toBe(1000);
  });

  it('a PROCESSING refund is followed by query until it settles', async () => {
    await pay('RFD0000002', 800);
    fake.setScenario({ op: 'refund', refundStatus: 'PROCESSING', settleAfterSeconds: 60 });
    expect((await client.refund({ outTradeNo: 'RFD0000002', outRefundNo: 'RFD0000002-1', refundFen: 800, totalFen: 800 })).state).toBe('PROCESSING');
    expect((await client.queryRefund('RFD0000002-1', 'RFD0000002')).state).toBe('PROCESSING');
    fake.advance(61);
    expect((await client.queryRefund('RFD0000002-1', 'RFD0000002')).state).toBe('SUCCESS');
  });

  it('an unknown refund number reads as a refusal, and a refund above the original amount never leaves the till', async () => {
    expect((await refusal(client.queryRefund('NOPE-1', 'NOPE000001'))).code).toBe('RESOURCE_NOT_EXISTS');
    const before = fake.requests().length;
    expect((await refusal(client.refund({ outTradeNo: 'RFD0000003', outRefundNo: 'X-1', refundFen: 1001, totalFen: 1000 }))).code).toBe('PARAM_ERROR');
    expect(fake.requests().length).toBe(before);
  });
});

describe('Native QR (主扫)', () => {
  it('create → the customer pays in the simulator → query SUCCESS; creating it again gives the same QR', async () => {
    const { codeUrl } = await client.qrCreate({ outTradeNo: 'QR00000001', amountFen: 1999, description: '社群接龙 尾款', expiresAt: fake.now() + 600_000 });
    expect(codeUrl).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);
    expect((await client.qrCreate({ outTradeNo: 'QR00000001', amountFen: 1999, description: '社群接龙 尾款', expiresAt: fake.now() + 600_000 })).codeUrl).toBe(codeUrl);
    expect((await client.query('QR00000001')).state).toBe('NOTPAY');

    const paid = await admin<{ trade: FakeTrade }>('POST', 'pay', { out_trade_no: 'QR00000001' });
    expect(paid.status).toBe(200);
    expect(await client.query('QR00000001')).toMatchObject({ state: 'SUCCESS', amountFen: 1999 });
    // a paid QR cannot be closed
    expect((await refusal(client.close('QR00000001'))).code).toBe('ORDER_PAID');
  });

  it('close: the trade reads CLOSED and can no longer be paid; an expired QR cannot be paid either', async () => {
    await client.qrCreate({ outTradeNo: 'QR00000002', amountFen: 500, description: '测试', expiresAt: fake.now() + 600_000 });
    await client.close('QR00000002');
    expect((await client.query('QR00000002')).state).toBe('CLOSED');
    expect((await admin('POST', 'pay', { out_trade_no: 'QR00000002' })).status).toBe(409);

    await client.qrCreate({ outTradeNo: 'QR00000003', amountFen: 500, description: '测试', expiresAt: fake.now() + 60_000 });
    fake.advance(61);
    expect((await admin('POST', 'pay', { out_trade_no: 'QR00000003' })).status).toBe(409);
    expect((await trade('QR00000003')).charges).toHaveLength(0);
  });
});

describe('faults read as unknown, and a query finds the truth without a second charge', () => {
  it('an answer that arrives after the client gave up: OutcomeUnknown(timeout); the charge is there, once', async () => {
    const impatient = createWechatProvider(fake.clientConfig(), { baseUrl: fake.url, timeoutMs: 1500 });
    fake.setScenario({ op: 'codepay', fault: 'timeout', delayMs: 20_000 });
    expect((await unknown(impatient.codePay({ outTradeNo: 'TMO0000001', authCode: CODE, amountFen: 660, description: '测试' }))).reason).toBe('timeout');
    expect((await client.query('TMO0000001')).state).toBe('SUCCESS');
    // the till retries the same attempt: same trade, never a second charge
    expect((await pay('TMO0000001', 660)).state).toBe('SUCCESS');
    expect((await trade('TMO0000001')).charges).toHaveLength(1);
  });

  it('a dropped connection after the charge: OutcomeUnknown(network); query finds SUCCESS', async () => {
    fake.setScenario({ op: 'codepay', fault: 'drop' });
    expect((await unknown(pay('DROP000001', 420))).reason).toBe('network');
    expect((await client.query('DROP000001')).state).toBe('SUCCESS');
    expect((await trade('DROP000001')).charges).toHaveLength(1);
  });

  it('5xx SYSTEM_ERROR and 429 FREQUENCY_LIMITED are unknown, never a failure; here nothing was applied', async () => {
    fake.setScenario([
      { op: 'codepay', fault: 'server_error' },
      { op: 'query', fault: 'rate_limited' },
      { op: 'query', fault: 'server_error' },
    ]);
    expect((await unknown(pay('ERR0000001', 100))).reason).toBe('server_error');
    expect((await unknown(client.query('ERR0000001'))).reason).toBe('rate_limited');
    expect((await unknown(client.query('ERR0000001'))).reason).toBe('server_error');
    expect((await client.query('ERR0000001')).state).toBe('NOT_FOUND');
    expect((await pay('ERR0000001', 100)).state).toBe('SUCCESS');
    expect((await trade('ERR0000001')).charges).toHaveLength(1);
  });

  it('a 5xx after the charge was applied (apply:true) is still only unknown', async () => {
    fake.setScenario({ op: 'codepay', fault: 'server_error', apply: true });
    expect((await unknown(pay('ERR0000002', 100))).reason).toBe('server_error');
    expect((await client.query('ERR0000002')).state).toBe('SUCCESS');
  });

  it('a refused connection (nothing listening) is unknown, not a failure', async () => {
    const nowhere = createWechatProvider(fake.clientConfig(), { baseUrl: 'http://127.0.0.1:1', timeoutMs: 2000 });
    expect((await unknown(nowhere.query('NET0000001'))).reason).toBe('network');
  });
});

describe('the control API as the state machine uses it', () => {
  it('scenario rules per out_trade_no, counted down, listed and cleared; trades list every charge and refund', async () => {
    const put = await admin<{ rules: unknown[] }>('PUT', 'scenario', [
      { op: 'codepay', outTradeNo: 'CTL0000002', outcome: 'PAYERROR' },
      { op: 'query', fault: 'server_error', times: 3 },
    ]);
    expect(put.body.rules).toHaveLength(2);
    expect((await pay('CTL0000001', 100)).state).toBe('SUCCESS'); // the PAYERROR rule is for another trade
    expect((await refusal(pay('CTL0000002', 100))).code).toBe('NOT_ENOUGH');
    await unknown(client.query('CTL0000001'));
    const left = await admin<{ rules: { times: number }[] }>('GET', 'scenario');
    expect(left.body.rules.map((r) => r.times)).toEqual([2]);
    await admin('DELETE', 'scenario');
    expect((await client.query('CTL0000001')).state).toBe('SUCCESS');

    const bad = await admin('PUT', 'scenario', { fault: 'no_such_fault' });
    expect(bad.status).toBe(400);

    const all = await admin<{ nowMs: number; trades: FakeTrade[] }>('GET', 'trades');
    expect(all.body.trades.map((t) => [t.outTradeNo, t.state, t.charges.length])).toEqual([
      ['CTL0000001', 'SUCCESS', 1],
      ['CTL0000002', 'PAYERROR', 0],
    ]);
    const clock = await admin<{ nowMs: number }>('POST', 'clock', { setMs: all.body.nowMs + 3_600_000 });
    expect(clock.body.nowMs).toBeGreaterThanOrEqual(all.body.nowMs + 3_600_000);
    const config = await admin<{ baseUrl: string; platformPublicKeyId: string }>('GET', 'config');
    expect(config.body.baseUrl).toBe(fake.url);
    expect(config.body.platformPublicKeyId).toMatch(/^PUB_KEY_ID_TEST/);
  });
});
