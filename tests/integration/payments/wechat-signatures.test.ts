// WeChat Pay v3 signatures in both directions, over real HTTP: the simulator refuses a request whose
// bytes, timestamp or nonce are wrong (checked with a signer written here, independent of the client),
// and the client refuses an answer with a wrong signature, an unknown serial or a timestamp 301 s off —
// as OutcomeUnknown, so a charge behind a forged or stale answer is found by query, never lost or doubled.
import { createPrivateKey, createPublicKey, randomBytes, sign, verify } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWechatProvider } from '../../../electron/payments/wechat';
import { authorize, nonceStr } from '../../../electron/payments/wechat/sign';
import { OutcomeUnknown, ProviderRefused, type PaymentProvider } from '../../../electron/payments/provider';
import { WechatPayFake } from '../../fakes/wechat-pay';

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

const WECHAT_CODE = '134567890123456789';

/** A request signed here by hand (METHOD\nPATH\nts\nnonce\nbody\n), so the fake is not checked against the client's own code. */
function signedInit(method: string, path: string, body: string, opts: { ts?: number; nonce?: string; signBody?: string } = {}) {
  const ts = String(opts.ts ?? Math.floor(Date.now() / 1000));
  const nonce = opts.nonce ?? randomBytes(16).toString('hex');
  const message = `${method}\n${path}\n${ts}\n${nonce}\n${opts.signBody ?? body}\n`;
  const signature = sign('sha256', Buffer.from(message), createPrivateKey(fake.keys.merchant.privateKeyPem)).toString('base64');
  const authorization = `WECHATPAY2-SHA256-RSA2048 mchid="${fake.mchid}",nonce_str="${nonce}",signature="${signature}",timestamp="${ts}",serial_no="${fake.merchantSerialNo}"`;
  return { method, headers: { Authorization: authorization, 'Content-Type': 'application/json', Accept: 'application/json' }, body: method === 'GET' ? undefined : body };
}

async function send(init: ReturnType<typeof signedInit>, path: string): Promise<{ status: number; body: { code?: string; message?: string; code_url?: string } }> {
  const res = await fetch(fake.url + path, init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

const nativeBody = (no: string, total: number) =>
  JSON.stringify({ appid: fake.appid, mchid: fake.mchid, description: '测试', out_trade_no: no, notify_url: 'https://notify.invalid/x', amount: { total, currency: 'CNY' } });

describe('the simulator checks every request from its raw bytes', () => {
  it('refuses a request with one body byte changed after signing, and accepts the request as signed', async () => {
    const path = '/v3/pay/transactions/native';
    const signedBody = nativeBody('SIGN000001', 500);
    const tampered = signedBody.replace('"total":500', '"total":900');
    expect(tampered).not.toBe(signedBody);
    expect(tampered.length).toBe(signedBody.length);

    const refused = await send(signedInit('POST', path, tampered, { signBody: signedBody }), path);
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('SIGN_ERROR');
    expect(fake.listTrades()).toHaveLength(0);

    const accepted = await send(signedInit('POST', path, signedBody), path);
    expect(accepted.status).toBe(200);
    expect(accepted.body.code_url).toMatch(/^weixin:\/\//);
    expect(fake.listTrades().map((t) => [t.outTradeNo, t.amountFen])).toEqual([['SIGN000001', 500]]);
  });

  it('refuses a query whose signed path differs from the one requested (the query string is signed too)', async () => {
    const init = signedInit('GET', `/v3/pay/transactions/out-trade-no/X000001?mchid=${fake.mchid}`, '');
    const refused = await send(init, `/v3/pay/transactions/out-trade-no/X000002?mchid=${fake.mchid}`);
    expect(refused.status).toBe(401);
    const path = `/v3/pay/transactions/out-trade-no/X000002?mchid=${fake.mchid}`;
    const answered = await send(signedInit('GET', path, ''), path);
    expect(answered).toMatchObject({ status: 404, body: { code: 'ORDER_NOT_EXIST' } });
  });

  it('refuses a timestamp more than 300 s from its clock and accepts one inside the window', async () => {
    const path = '/v3/pay/transactions/native';
    const now = Math.floor(fake.now() / 1000);
    const stale = await send(signedInit('POST', path, nativeBody('STALE00001', 100), { ts: now - 301 }), path);
    expect(stale).toMatchObject({ status: 401, body: { code: 'SIGN_ERROR' } });
    const early = await send(signedInit('POST', path, nativeBody('STALE00001', 100), { ts: now + 302 }), path);
    expect(early.status).toBe(401);
    expect(fake.listTrades()).toHaveLength(0);

    const inside = await send(signedInit('POST', path, nativeBody('STALE00001', 100), { ts: now - 290 }), path);
    expect(inside.status).toBe(200);
  });

  it('refuses a reused nonce (a replayed request), with the configured error code', async () => {
    const path = '/v3/pay/transactions/native';
    const init = signedInit('POST', path, nativeBody('NONCE00001', 100), { nonce: 'a'.repeat(32) });
    expect((await send(init, path)).status).toBe(200);
    const replay = await send(init, path);
    expect(replay).toMatchObject({ status: 401, body: { code: 'SIGN_ERROR' } });

    fake.signErrorCode = 'SIGNATURE_INVALID';
    try {
      const again = await send(init, path);
      expect(again).toMatchObject({ status: 401, body: { code: 'SIGNATURE_INVALID' } });
    } finally {
      fake.signErrorCode = 'SIGN_ERROR';
    }
  });

  it('refuses a payment code of the wrong shape itself, even from a client that did not check it', async () => {
    const path = '/v3/pay/transactions/codepay';
    const body = JSON.stringify({
      appid: fake.appid,
      mchid: fake.mchid,
      description: '测试',
      out_trade_no: 'BADCODE001',
      payer: { auth_code: '284567890123456789' }, // 18 digits, but an Alipay prefix
      amount: { total: 100, currency: 'CNY' },
    });
    const refused = await send(signedInit('POST', path, body), path);
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('AUTH_CODE_INVALID');
    expect(refused.body.message).not.toContain('284567890123456789');
    expect(fake.listTrades()).toHaveLength(0);
  });
});

describe('the client signs exactly as documented', () => {
  it('signs the five documented lines (the official walk-through: GET /v3/certificates 1554208460 593BEC…) into the documented header', () => {
    const key = createPrivateKey(fake.keys.merchant.privateKeyPem);
    const signed = authorize(key, { mchid: '1900009191', serialNo: '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C' }, { method: 'GET', pathWithQuery: '/v3/certificates', body: '' }, 1554208460_999, '593BEC0C930BF1AFEB40B4A08C8FB242');
    expect(signed.timestamp).toBe('1554208460'); // Unix seconds, not ms
    const m = /^WECHATPAY2-SHA256-RSA2048 (.*)$/.exec(signed.authorization);
    expect(m).not.toBeNull();
    const fields = Object.fromEntries([...m![1].matchAll(/(\w+)="([^"]*)"/g)].map(([, k, v]) => [k, v]));
    expect(fields).toMatchObject({ mchid: '1900009191', serial_no: '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C', timestamp: '1554208460', nonce_str: '593BEC0C930BF1AFEB40B4A08C8FB242' });
    const documented = 'GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n';
    expect(verify('sha256', Buffer.from(documented), createPublicKey(fake.keys.merchant.publicKeyPem), Buffer.from(fields.signature, 'base64'))).toBe(true);
    expect(verify('sha256', Buffer.from(documented.replace('GET', 'POST')), createPublicKey(fake.keys.merchant.publicKeyPem), Buffer.from(fields.signature, 'base64'))).toBe(false);
  });

  it('makes nonces of 32 characters from [0-9A-Za-z], never the same twice', () => {
    const nonces = Array.from({ length: 500 }, () => nonceStr());
    for (const n of nonces) expect(n).toMatch(/^[0-9A-Za-z]{32}$/);
    expect(new Set(nonces).size).toBe(nonces.length);
    expect(new Set(nonces.join('')).size).toBeGreaterThan(55); // the whole alphabet is used, not just hex
  });
});

describe('the client trusts no answer whose signature, serial or time is wrong', () => {
  async function expectUnknown(p: Promise<unknown>, reason: string): Promise<void> {
    const e = await p.then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(OutcomeUnknown);
    expect((e as OutcomeUnknown).reason).toBe(reason);
  }

  it('a correctly signed answer with a Chinese description is accepted (the control case)', async () => {
    const r = await client.codePay({ outTradeNo: 'OKSIGN0001', authCode: WECHAT_CODE, amountFen: 1230, description: '小店收银 · 3 件商品（含“赠品”）😀' });
    expect(r).toMatchObject({ state: 'SUCCESS', amountFen: 1230 });
  });

  it('a wrong response signature is OutcomeUnknown(bad_signature); the charge behind it is found by query, once', async () => {
    fake.setScenario({ op: 'codepay', fault: 'bad_signature' });
    await expectUnknown(client.codePay({ outTradeNo: 'BADSIG0001', authCode: WECHAT_CODE, amountFen: 888, description: '测试' }), 'bad_signature');
    expect(await client.query('BADSIG0001')).toMatchObject({ state: 'SUCCESS', amountFen: 888 });
    expect(fake.listTrades()[0].charges).toHaveLength(1);
  });

  it('a forged refusal is not believed either: a 403 with a wrong signature is OutcomeUnknown, not ProviderRefused', async () => {
    fake.setScenario({ op: 'codepay', outcome: 'PAYERROR', fault: 'bad_signature' });
    const e = await client.codePay({ outTradeNo: 'BADSIG0002', authCode: WECHAT_CODE, amountFen: 100, description: '测试' }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(OutcomeUnknown);
    expect(e).not.toBeInstanceOf(ProviderRefused);
  });

  it('an unknown Wechatpay-Serial is OutcomeUnknown(bad_signature) even though the signature itself is good', async () => {
    fake.setScenario({ op: 'query', fault: 'wrong_serial' });
    await client.codePay({ outTradeNo: 'SERIAL0001', authCode: WECHAT_CODE, amountFen: 100, description: '测试' });
    await expectUnknown(client.query('SERIAL0001'), 'bad_signature');
    expect((await client.query('SERIAL0001')).state).toBe('SUCCESS');
  });

  it('an answer stamped 301 s in the past (or 302 s ahead) is OutcomeUnknown(stale_response); 299 s off is accepted', async () => {
    await client.codePay({ outTradeNo: 'STALE00002', authCode: WECHAT_CODE, amountFen: 100, description: '测试' });
    fake.setScenario([
      { op: 'query', fault: 'stale_timestamp', offsetSeconds: -301 },
      { op: 'query', fault: 'stale_timestamp', offsetSeconds: 302 }, // +301 could read 300 if a second ticks over in between
      { op: 'query', fault: 'stale_timestamp', offsetSeconds: -299 },
    ]);
    await expectUnknown(client.query('STALE00002'), 'stale_response');
    await expectUnknown(client.query('STALE00002'), 'stale_response');
    expect((await client.query('STALE00002')).state).toBe('SUCCESS');
  });

  it('a client whose clock is 302 s behind refuses the (correct) answers rather than trusting them', async () => {
    const skewed = createWechatProvider(fake.clientConfig(), { baseUrl: fake.url, timeoutMs: 5000, now: () => Date.now() - 302_000 }); // 302: whole seconds may tick over between the two ends
    await expectUnknown(skewed.query('CLOCK00001'), 'stale_response');
    // and the simulator refused its request too: the signed timestamp was outside its window
    expect(fake.requests().at(-1)).toMatchObject({ status: 401, code: 'SIGN_ERROR' });
  });

  it('a client signing with a key the simulator does not know is refused with a clear message', async () => {
    const { generateRsaKeyPair } = await import('../../fakes/payment-keys');
    const wrongKey = createWechatProvider({ ...fake.clientConfig(), merchantPrivateKeyPem: generateRsaKeyPair().privateKeyPem }, { baseUrl: fake.url, timeoutMs: 5000 });
    const e = await wrongKey.query('WRONGKEY01').catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ProviderRefused);
    expect((e as ProviderRefused).code).toBe('SIGN_ERROR');
    expect((e as ProviderRefused).message).toContain('验签失败');
  });
});
