// The Alipay provider (electron/payments/alipay) against the simulator: every answer the state machine
// relies on — SUCCESS, USERPAYING then SUCCESS, a charge whose answer was lost (OutcomeUnknown, then
// the query finds it and a retry never charges twice), cancel close/refund, partial refunds by
// out_request_no with replays and an over-limit refusal, and every transport failure as OutcomeUnknown.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAlipayProvider, gatewayUrl } from '../../../electron/payments/alipay/client';
import { beijingTimestamp, fenToYuan, parseBeijingTimestamp, yuanToFen } from '../../../electron/payments/alipay/format';
import { OutcomeUnknown, ProviderRefused, type PaymentProvider } from '../../../electron/payments/provider';
import { FakeAlipay } from '../../fakes/alipay';
import { makePaymentKeys, type PaymentKeys } from '../../fakes/payment-keys';

let keys: PaymentKeys;
let fake: FakeAlipay;
let alipay: PaymentProvider;
const CODE = '286543210987654321'; // an Alipay payment code shape (25–30 prefix)
let n = 0;
const no = (tag: string) => `T01-${tag}-${++n}`;

function provider(timeoutMs = 2000, baseUrl = fake.url): PaymentProvider {
  return createAlipayProvider(
    { appId: '2021000000000001', appPrivateKeyPem: keys.merchant.privateKeyPem, alipayPublicKeyPem: keys.platform.publicKeyPem },
    { baseUrl, timeoutMs },
  );
}

async function unknownReason(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(OutcomeUnknown);
  return (e as OutcomeUnknown).reason;
}

beforeAll(async () => {
  keys = makePaymentKeys();
  fake = await FakeAlipay.start({ appPublicKeyPem: keys.merchant.publicKeyPem, alipayPrivateKeyPem: keys.platform.privateKeyPem, appId: '2021000000000001' });
  alipay = provider();
});
afterEach(() => fake.resetScenarios());
afterAll(() => fake.close());

describe('wire formats', () => {
  it('fen ↔ yuan strings exactly, positive only; Beijing time whatever the zone', () => {
    expect(fenToYuan(1)).toBe('0.01');
    expect(fenToYuan(1230)).toBe('12.30');
    expect(fenToYuan(100_000_000_07)).toBe('100000000.07');
    expect(() => fenToYuan(0)).toThrow(RangeError);
    expect(() => fenToYuan(12.5)).toThrow(RangeError);
    expect(yuanToFen('0.01')).toBe(1);
    expect(yuanToFen('12.3')).toBe(1230);
    expect(() => yuanToFen('1e3')).toThrow(RangeError);
    expect(beijingTimestamp(Date.UTC(2026, 11, 31, 16, 30, 5))).toBe('2027-01-01 00:30:05');
    expect(parseBeijingTimestamp('2027-01-01 00:30:05')).toBe(Date.UTC(2026, 11, 31, 16, 30, 5));
    expect(gatewayUrl('http://127.0.0.1:8702/')).toBe('http://127.0.0.1:8702/gateway.do');
    expect(gatewayUrl('https://openapi.alipay.com/gateway.do')).toBe('https://openapi.alipay.com/gateway.do');
  });

  it('stamps Beijing time even when the PC is set to another zone', async () => {
    const tz = process.env.TZ;
    process.env.TZ = 'Europe/Berlin';
    try {
      const out = no('TZ');
      expect((await alipay.codePay({ outTradeNo: out, authCode: CODE, amountFen: 1, description: '测试' })).state).toBe('SUCCESS');
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });
});

describe('alipay.trade.pay (bar_code)', () => {
  it('10000 → SUCCESS with Alipay’s trade_no and the amount in fen', async () => {
    const out = no('PAY');
    const r = await alipay.codePay({ outTradeNo: out, authCode: CODE, amountFen: 1230, description: '小店收银 · 3 件商品' });
    expect(r.state).toBe('SUCCESS');
    expect(r.amountFen).toBe(1230);
    expect(r.transactionId).toBe(fake.trade(out)?.tradeNo);
    expect(fake.trade(out)).toMatchObject({ totalFen: 1230, charges: 1, status: 'TRADE_SUCCESS' });
  });

  it('10003 → USERPAYING; the query says USERPAYING until the customer pays, then SUCCESS', async () => {
    fake.setScenario({ mode: 'userpaying', then: 'success', afterSeconds: 20, times: 1 });
    const out = no('WAIT');
    expect((await alipay.codePay({ outTradeNo: out, authCode: CODE, amountFen: 500, description: 'x' })).state).toBe('USERPAYING');
    expect((await alipay.query(out)).state).toBe('USERPAYING');
    fake.advance(21);
    expect(await alipay.query(out)).toMatchObject({ state: 'SUCCESS', amountFen: 500 });
    expect(fake.trade(out)?.charges).toBe(1);
  });

  it('10003 then the customer gives up → CLOSED on query', async () => {
    fake.setScenario({ mode: 'userpaying', then: 'closed', afterSeconds: 5, times: 1 });
    const out = no('GIVEUP');
    expect((await alipay.codePay({ outTradeNo: out, authCode: CODE, amountFen: 500, description: 'x' })).state).toBe('USERPAYING');
    fake.advance(6);
    expect((await alipay.query(out)).state).toBe('CLOSED');
  });

  it('charged but the answer lost (apply then time out) → OutcomeUnknown; the query finds SUCCESS; the retry never charges twice', async () => {
    const short = provider(300);
    fake.setScenario({ mode: 'apply_then_timeout', times: 1 });
    const out = no('LOST');
    const req = { outTradeNo: out, authCode: CODE, amountFen: 999, description: 'x' };
    expect(await unknownReason(short.codePay(req))).toBe('timeout');
    expect(fake.trade(out)?.charges).toBe(1);
    expect(await alipay.query(out)).toMatchObject({ state: 'SUCCESS', amountFen: 999 });
    // The same out_trade_no sent again: 40004 ACQ.TRADE_HAS_SUCCESS read as paid, not refused.
    expect(await alipay.codePay(req)).toMatchObject({ state: 'SUCCESS', amountFen: 999 });
    expect(fake.trade(out)).toMatchObject({ charges: 1, payCalls: 2 });
  });

  it('no answer and nothing applied → OutcomeUnknown; the query says NOT_FOUND', async () => {
    const short = provider(300);
    fake.setScenario({ mode: 'timeout', times: 1 });
    const out = no('NOANSWER');
    expect(await unknownReason(short.codePay({ outTradeNo: out, authCode: CODE, amountFen: 100, description: 'x' }))).toBe('timeout');
    expect((await alipay.query(out)).state).toBe('NOT_FOUND');
  });

  it('20000, HTTP 5xx, 429, a refused connection, a forged or altered answer: all OutcomeUnknown, never a failure', async () => {
    const pay = () => alipay.codePay({ outTradeNo: no('FAULT'), authCode: CODE, amountFen: 100, description: 'x' });
    fake.setScenario({ mode: 'system_error', times: 1 });
    expect(await unknownReason(pay())).toBe('server_error');
    fake.setScenario({ mode: 'http_error', status: 503, times: 1 });
    expect(await unknownReason(pay())).toBe('server_error');
    fake.setScenario({ mode: 'http_error', status: 429, times: 1 });
    expect(await unknownReason(pay())).toBe('rate_limited');
    fake.setScenario({ mode: 'bad_signature', times: 1 });
    expect(await unknownReason(pay())).toBe('bad_signature');
    fake.setScenario({ mode: 'tamper_body', times: 1 });
    expect(await unknownReason(pay())).toBe('bad_signature');
    const closed = await FakeAlipay.start({ appPublicKeyPem: keys.merchant.publicKeyPem, alipayPrivateKeyPem: keys.platform.privateKeyPem });
    const deadUrl = closed.url;
    await closed.close();
    expect(await unknownReason(provider(2000, deadUrl).query('X'))).toBe('network');
  });

  it('a forged SUCCESS signed by another key is not believed', async () => {
    const forger = await FakeAlipay.start({ appPublicKeyPem: keys.merchant.publicKeyPem, alipayPrivateKeyPem: makePaymentKeys().platform.privateKeyPem });
    try {
      const r = provider(2000, forger.url).codePay({ outTradeNo: no('FORGED'), authCode: CODE, amountFen: 100, description: 'x' });
      expect(await unknownReason(r)).toBe('bad_signature');
    } finally {
      await forger.close();
    }
  });

  it('40004 with a sub_code → ProviderRefused in Chinese, nothing charged', async () => {
    fake.setScenario({ mode: 'refuse', subCode: 'ACQ.BUYER_BALANCE_NOT_ENOUGH', subMsg: '买家余额不足', times: 1 });
    const out = no('POOR');
    const e = await alipay.codePay({ outTradeNo: out, authCode: CODE, amountFen: 100, description: 'x' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ProviderRefused);
    expect((e as ProviderRefused).code).toBe('ACQ.BUYER_BALANCE_NOT_ENOUGH');
    expect((e as ProviderRefused).message).toMatch(/余额不足/);
    expect(fake.trade(out)).toBeUndefined();
    const bad = await alipay.codePay({ outTradeNo: no('BADCODE'), authCode: '990000000000000000', amountFen: 100, description: 'x' }).catch((x: unknown) => x);
    expect(bad).toMatchObject({ name: 'ProviderRefused', code: 'ACQ.PAYMENT_AUTH_CODE_INVALID' });
    expect((bad as Error).message).toMatch(/付款码/);
  });

  it('a 40004 whose sub_code is not known to mean “nothing taken” is OutcomeUnknown (query, never conclude)', async () => {
    fake.setScenario({ mode: 'refuse', subCode: 'ACQ.SOMETHING_NEW', subMsg: '新错误', times: 1 });
    expect(await unknownReason(alipay.codePay({ outTradeNo: no('NEWCODE'), authCode: CODE, amountFen: 100, description: 'x' }))).toBe('server_error');
    const out = no('NEWREFUND');
    await alipay.codePay({ outTradeNo: out, authCode: CODE, amountFen: 100, description: 'x' });
    fake.setScenario({ method: 'alipay.trade.refund', mode: 'refuse', subCode: 'ACQ.SOMETHING_NEW', times: 1 });
    expect(await unknownReason(alipay.refund({ outTradeNo: out, outRefundNo: `${out}-R1`, refundFen: 100, totalFen: 100 }))).toBe('server_error');
  });

  it('a request the gateway cannot verify (wrong app key) is refused, not unknown', async () => {
    const wrong = createAlipayProvider(
      { appId: '2021000000000001', appPrivateKeyPem: makePaymentKeys().merchant.privateKeyPem, alipayPublicKeyPem: keys.platform.publicKeyPem },
      { baseUrl: fake.url, timeoutMs: 2000 },
    );
    await expect(wrong.query('ANY')).rejects.toMatchObject({ name: 'ProviderRefused', code: 'isv.invalid-signature' });
  });

  it('amount 0, a fraction of a fen or a bad order number: refused before anything is sent', async () => {
    const before = fake.requests().length;
    for (const amountFen of [0, -100, 12.5]) {
      await expect(alipay.codePay({ outTradeNo: no('ZERO'), authCode: CODE, amountFen, description: 'x' })).rejects.toMatchObject({ name: 'ProviderRefused', code: 'PARAM_ERROR' });
    }
    await expect(alipay.codePay({ outTradeNo: 'bad no!', authCode: CODE, amountFen: 100, description: 'x' })).rejects.toMatchObject({ code: 'PARAM_ERROR' });
    await expect(alipay.refund({ outTradeNo: 'X1', outRefundNo: 'X1-R1', refundFen: 0, totalFen: 100 })).rejects.toMatchObject({ code: 'PARAM_ERROR' });
    expect(fake.requests().length).toBe(before);
  });

  it('query of a trade Alipay never saw → NOT_FOUND', async () => {
    expect((await alipay.query('NEVER-SEEN-1')).state).toBe('NOT_FOUND');
  });
});

describe('alipay.trade.cancel (reverse)', () => {
  it('an unpaid trade is closed (action close) and can no longer be charged', async () => {
    fake.setScenario({ mode: 'userpaying', then: 'never', times: 1 });
    const out = no('CANCEL');
    const req = { outTradeNo: out, authCode: CODE, amountFen: 700, description: 'x' };
    expect((await alipay.codePay(req)).state).toBe('USERPAYING');
    expect(await alipay.reverse(out)).toEqual({ outcome: 'CLOSED' });
    expect((await alipay.query(out)).state).toBe('CLOSED');
    expect((await alipay.codePay(req)).state).toBe('CLOSED');
    expect(fake.trade(out)?.charges).toBe(0);
  });

  it('a trade that had just been paid is refunded (action refund) → REFUNDED', async () => {
    const out = no('CANCELPAID');
    await alipay.codePay({ outTradeNo: out, authCode: CODE, amountFen: 800, description: 'x' });
    expect(await alipay.reverse(out)).toEqual({ outcome: 'REFUNDED' });
    expect(fake.trade(out)).toMatchObject({ charges: 1, refundedFen: 800, status: 'TRADE_CLOSED' });
  });

  it('cancel of a number Alipay never saw → CLOSED, and a late pay under it cannot charge', async () => {
    const out = no('CANCELNONE');
    expect(await alipay.reverse(out)).toEqual({ outcome: 'CLOSED' });
    expect((await alipay.codePay({ outTradeNo: out, authCode: CODE, amountFen: 100, description: 'x' })).state).toBe('CLOSED');
    expect(fake.trade(out)?.charges).toBe(0);
  });

  it('a cancel Alipay asks to retry (retry_flag Y) is a retryable refusal; a 20000 is unknown', async () => {
    const out = no('CANCELRETRY');
    await alipay.codePay({ outTradeNo: out, authCode: CODE, amountFen: 100, description: 'x' });
    fake.setScenario({ method: 'alipay.trade.cancel', mode: 'refuse', subCode: 'ACQ.TRADE_STATUS_ERROR', retryFlag: 'Y', times: 1 });
    await expect(alipay.reverse(out)).rejects.toMatchObject({ name: 'ProviderRefused', retryable: true });
    fake.setScenario({ method: 'alipay.trade.cancel', mode: 'system_error', times: 1 });
    expect(await unknownReason(alipay.reverse(out))).toBe('server_error');
    expect(await alipay.reverse(out)).toEqual({ outcome: 'REFUNDED' });
  });
});

describe('precreate (shown QR) and close', () => {
  it('a QR is NOTPAY until the customer pays, then SUCCESS', async () => {
    const out = no('QR');
    const { codeUrl } = await alipay.qrCreate({ outTradeNo: out, amountFen: 2590, description: '远程收款', expiresAt: Date.now() + 10 * 60_000 });
    expect(codeUrl).toMatch(/^https:\/\/qr\.alipay\.com\//);
    expect((await alipay.query(out)).state).toBe('NOTPAY');
    fake.payQr(codeUrl);
    expect(await alipay.query(out)).toMatchObject({ state: 'SUCCESS', amountFen: 2590 });
    await expect(alipay.close(out)).rejects.toMatchObject({ name: 'ProviderRefused', code: 'ACQ.TRADE_STATUS_ERROR' });
  });

  it('a closed QR can no longer be paid', async () => {
    const out = no('QRCLOSE');
    const { codeUrl } = await alipay.qrCreate({ outTradeNo: out, amountFen: 100, description: 'x', expiresAt: Date.now() + 60_000 });
    await alipay.close(out);
    expect(() => fake.payQr(codeUrl)).toThrow(/closed/);
    expect(fake.trade(out)?.charges).toBe(0);
  });
});

describe('refunds by out_request_no', () => {
  it('partial refunds add up, a replay moves no money, over the rest is refused, each refund is found by query', async () => {
    const out = no('REFUND');
    await alipay.codePay({ outTradeNo: out, authCode: CODE, amountFen: 1000, description: 'x' });
    expect((await alipay.refund({ outTradeNo: out, outRefundNo: `${out}-R1`, refundFen: 300, totalFen: 1000, reason: '退货' })).state).toBe('SUCCESS');
    expect((await alipay.refund({ outTradeNo: out, outRefundNo: `${out}-R2`, refundFen: 200, totalFen: 1000 })).state).toBe('SUCCESS');
    // Replay of R1 (the till retrying after a lost answer): SUCCESS again, no second 3.00 out.
    expect((await alipay.refund({ outTradeNo: out, outRefundNo: `${out}-R1`, refundFen: 300, totalFen: 1000 })).state).toBe('SUCCESS');
    expect(fake.trade(out)?.refundedFen).toBe(500);
    // 5.01 when 5.00 is left: refused in Chinese, nothing moved.
    const over = await alipay.refund({ outTradeNo: out, outRefundNo: `${out}-R3`, refundFen: 501, totalFen: 1000 }).catch((x: unknown) => x);
    expect(over).toMatchObject({ name: 'ProviderRefused', code: 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL' });
    expect((over as Error).message).toMatch(/退款金额/);
    expect(fake.trade(out)?.refundedFen).toBe(500);
    // The same out_request_no with another amount is refused, not applied.
    await expect(alipay.refund({ outTradeNo: out, outRefundNo: `${out}-R2`, refundFen: 250, totalFen: 1000 })).rejects.toMatchObject({
      code: 'ACQ.DISCORDANT_REPEAT_REQUEST',
    });
    expect((await alipay.queryRefund(`${out}-R1`, out)).state).toBe('SUCCESS');
    expect((await alipay.queryRefund(`${out}-R9`, out)).state).toBe('CLOSED');
    expect((await alipay.refund({ outTradeNo: out, outRefundNo: `${out}-R3`, refundFen: 500, totalFen: 1000 })).state).toBe('SUCCESS');
    expect(fake.trade(out)).toMatchObject({ refundedFen: 1000, charges: 1 });
  });

  it('a refund whose answer was lost is unknown; the replay with the same out_request_no settles it once', async () => {
    const out = no('REFUNDLOST');
    await alipay.codePay({ outTradeNo: out, authCode: CODE, amountFen: 600, description: 'x' });
    fake.setScenario({ method: 'alipay.trade.refund', mode: 'apply_then_timeout', times: 1 });
    expect(await unknownReason(provider(300).refund({ outTradeNo: out, outRefundNo: `${out}-R1`, refundFen: 600, totalFen: 600 }))).toBe('timeout');
    expect((await alipay.queryRefund(`${out}-R1`, out)).state).toBe('SUCCESS');
    expect((await alipay.refund({ outTradeNo: out, outRefundNo: `${out}-R1`, refundFen: 600, totalFen: 600 })).state).toBe('SUCCESS');
    expect(fake.trade(out)?.refundedFen).toBe(600);
  });

  it('a refund of a trade that took no money is refused', async () => {
    await expect(alipay.refund({ outTradeNo: 'NEVER-PAID', outRefundNo: 'NEVER-PAID-R1', refundFen: 100, totalFen: 100 })).rejects.toMatchObject({
      code: 'ACQ.TRADE_NOT_EXIST',
    });
  });
});
