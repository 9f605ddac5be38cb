// The Alipay simulator against Alipay's own Node SDK, both directions: the SDK's signed requests are
// accepted by the fake and the fake's signed answers by the SDK with validateSign; one byte changed
// either way is refused (the request by the fake's RSA2 check, the answer by the SDK's).
import { AlipaySdk } from 'alipay-sdk';
import { createServer, request, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beijingTimestamp } from '../../../electron/payments/alipay/format';
import { FakeAlipay } from '../../fakes/alipay';
import { generateRsaKeyPair, makePaymentKeys, type PaymentKeys } from '../../fakes/payment-keys';

let keys: PaymentKeys;
let fake: FakeAlipay;
let proxy: Server;
let proxyUrl = '';
/** What the proxy does to a request body on its way to the fake. */
let mangle: (body: string) => string = (b) => b;

function sdk(gateway: string, privateKey = keys.merchant.privateKeyPem): AlipaySdk {
  return new AlipaySdk({
    appId: '2021000000000001',
    privateKey,
    keyType: 'PKCS8',
    alipayPublicKey: keys.platform.publicKeyPem,
    gateway,
    camelcase: false,
  });
}
const stamp = () => ({ timestamp: beijingTimestamp(Date.now()) });
const precreate = (outTradeNo: string) => ({ bizContent: { out_trade_no: outTradeNo, total_amount: '12.30', subject: '小店收银 · 测试' }, ...stamp() });

beforeAll(async () => {
  keys = makePaymentKeys();
  fake = await FakeAlipay.start({ appPublicKeyPem: keys.merchant.publicKeyPem, alipayPrivateKeyPem: keys.platform.privateKeyPem, appId: '2021000000000001' });
  // A pass-through to the fake that can change the request's bytes (the SDK signs before they leave).
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = mangle(Buffer.concat(chunks).toString('utf8'));
      const fwd = request(`${fake.url}${req.url}`, { method: req.method, headers: { ...req.headers, 'content-length': Buffer.byteLength(body) } }, (r) => {
        res.writeHead(r.statusCode ?? 500, r.headers);
        r.pipe(res);
      });
      fwd.end(body);
    });
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}/gateway.do`;
});

afterAll(async () => {
  await fake.close();
  await new Promise((r) => proxy.close(r));
});

describe('alipay-sdk ↔ fake Alipay', () => {
  it('the SDK’s signed request is accepted and the fake’s signed answer passes the SDK’s validateSign', async () => {
    const r = await sdk(fake.gateway).exec('alipay.trade.precreate', precreate('SDK-OK-1'), { validateSign: true });
    expect(r.code).toBe('10000');
    expect(r.qr_code).toMatch(/^https:\/\/qr\.alipay\.com\//);
    expect(fake.trade('SDK-OK-1')?.totalFen).toBe(1230);
  });

  it('the same request through an unchanged pass-through is accepted (the proxy itself changes nothing)', async () => {
    mangle = (b) => b;
    const r = await sdk(proxyUrl).exec('alipay.trade.precreate', precreate('SDK-PROXY-1'), { validateSign: true });
    expect(r.code).toBe('10000');
  });

  it('one byte of the signed request changed on the way is refused with 40002 isv.invalid-signature', async () => {
    mangle = (b) => b.replace('12.30', '12.31'); // total_amount inside biz_content, after signing
    try {
      const r = await sdk(proxyUrl).exec('alipay.trade.precreate', precreate('SDK-TAMPER-REQ'), { validateSign: true });
      expect(r.code).toBe('40002');
      expect(r.sub_code).toBe('isv.invalid-signature');
    } finally {
      mangle = (b) => b;
    }
    expect(fake.trade('SDK-TAMPER-REQ')).toBeUndefined();
  });

  it('a request signed by another key is refused with isv.invalid-signature', async () => {
    const other = generateRsaKeyPair();
    const r = await sdk(fake.gateway, other.privateKeyPem).exec('alipay.trade.precreate', precreate('SDK-OTHER-KEY'), { validateSign: true });
    expect(r.sub_code).toBe('isv.invalid-signature');
    expect(fake.trade('SDK-OTHER-KEY')).toBeUndefined();
  });

  it('one byte of the fake’s signed answer changed is refused by the SDK with validateSign (and trusted without it)', async () => {
    fake.setScenario({ method: 'alipay.trade.query', mode: 'tamper_body', times: 2 });
    await expect(sdk(fake.gateway).exec('alipay.trade.query', { bizContent: { out_trade_no: 'SDK-OK-1' }, ...stamp() }, { validateSign: true })).rejects.toThrow(/验签失败/);
    // Why the client always asks for validateSign (PLATFORMS 6.4): on its default the SDK takes the forged answer.
    const trusted = await sdk(fake.gateway).exec('alipay.trade.query', { bizContent: { out_trade_no: 'SDK-OK-1' }, ...stamp() });
    expect(trusted.code).not.toBe('40004');
  });

  it('an answer signed over other text is refused by the SDK with validateSign', async () => {
    fake.setScenario({ method: 'alipay.trade.precreate', mode: 'bad_signature', times: 1 });
    await expect(sdk(fake.gateway).exec('alipay.trade.precreate', precreate('SDK-BADSIG'), { validateSign: true })).rejects.toThrow(/验签失败/);
  });

  it('the SDK’s own timestamp is local time: in a zone other than UTC+8 the gateway refuses it (isv.invalid-timestamp)', async () => {
    const tz = process.env.TZ;
    process.env.TZ = 'America/Los_Angeles';
    try {
      const local = await sdk(fake.gateway).exec('alipay.trade.precreate', { bizContent: { out_trade_no: 'SDK-TZ', total_amount: '1.00', subject: 'x' } }, { validateSign: true });
      expect(local.sub_code).toBe('isv.invalid-timestamp');
      const beijing = await sdk(fake.gateway).exec('alipay.trade.precreate', { ...precreate('SDK-TZ'), ...stamp() }, { validateSign: true });
      expect(beijing.code).toBe('10000');
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });
});
