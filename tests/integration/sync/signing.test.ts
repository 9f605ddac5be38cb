// Auth and signing against the fakes, both ways: what the clients send passes the fakes' checks
// rebuilt from the raw request, and what a wrong client sends (unsorted param_json, wrong secret,
// skewed clock, method not matching the path, unknown or expired token) is refused as the platform
// refuses it, and the client reads each refusal as the right kind of error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncError } from '../../../electron/sync/connector';
import { DoudianClient, doudianSign } from '../../../electron/sync/doudian/wire';
import { YouzanClient } from '../../../electron/sync/youzan/wire';
import { DoudianFake } from '../../fakes/doudian';
import { YouzanFake } from '../../fakes/youzan';

let dd: DoudianFake;
let yz: YouzanFake;
beforeAll(async () => {
  dd = await DoudianFake.start();
  yz = await YouzanFake.start();
  dd.setStock('3589000000000000001', '1789000000000000001', 10);
  yz.setStock('1001', null, 10);
});
afterAll(async () => {
  await dd.close();
  await yz.close();
});

/** A request signed by hand: `body` as sent, `signedOver` what the signature covers. */
async function rawDoudian(opts: { path: string; body: string; signedOver?: string; secret?: string; method?: string; timestamp?: number; token?: string }) {
  const method = opts.method ?? opts.path.slice(1).replace(/\//g, '.');
  const ts = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const q = new URLSearchParams({ app_key: dd.appKey, method, timestamp: ts, v: '2', sign_method: 'hmac-sha256' });
  q.set('sign', doudianSign(dd.appKey, opts.secret ?? dd.appSecret, method, opts.signedOver ?? opts.body, ts));
  if (opts.token) q.set('access_token', opts.token);
  const res = await fetch(`${dd.url}${opts.path}?${q}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: opts.body });
  return (await res.json()) as { code: number; sub_code: string; data: Record<string, unknown> };
}

const tokenCreate = { code: '', grant_type: 'authorization_self', shop_id: '' };

describe('Doudian signing', () => {
  it('a canonical, correctly signed token/create passes', async () => {
    const body = JSON.stringify({ ...tokenCreate, shop_id: dd.shopId }); // keys already sorted
    expect((await rawDoudian({ path: '/token/create', body })).code).toBe(10000);
  });

  it('unsorted param_json signed as sent fails, as it would for real', async () => {
    const body = JSON.stringify({ shop_id: dd.shopId, grant_type: 'authorization_self', code: '' });
    expect(await rawDoudian({ path: '/token/create', body })).toMatchObject({ code: 30007, sub_code: 'isv.sign-invalid' });
  });

  it('a wrong secret, a clock 10 minutes off, or a method that is not the path fails', async () => {
    const body = JSON.stringify({ ...tokenCreate, shop_id: dd.shopId });
    expect((await rawDoudian({ path: '/token/create', body, secret: 'wrong' })).code).toBe(30007);
    expect((await rawDoudian({ path: '/token/create', body, timestamp: Math.floor(Date.now() / 1000) - 600 })).code).toBe(30007);
    expect((await rawDoudian({ path: '/token/create', body, method: 'token.refresh' })).code).toBe(30007);
  });

  it('a business call without a token, or with a made-up one, is refused', async () => {
    const body = '{"incremental":false,"product_id":3589000000000000001,"sku_id":1789000000000000001,"stock_num":5}';
    expect(await rawDoudian({ path: '/sku/syncStock', body })).toMatchObject({ code: 30002, sub_code: 'isv.access-token-no-existed' });
    expect((await rawDoudian({ path: '/sku/syncStock', body, token: 'made-up' })).code).toBe(30002);
    expect(dd.getStock('3589000000000000001', '1789000000000000001')).toBe(10);
  });

  it('the client: a wrong secret is an auth error; a malformed answer is bad_response; an incremental push needs its idempotent_id', async () => {
    const bad = new DoudianClient({ ...dd.clientConfig(), appSecret: 'wrong', timeoutMs: 2_000 });
    await expect(bad.syncStock({ productId: '3589000000000000001', skuId: '1789000000000000001', stockNum: 1, incremental: false })).rejects.toMatchObject({ kind: 'auth' });
    const good = new DoudianClient({ ...dd.clientConfig(), timeoutMs: 2_000 });
    dd.setScenario({ op: 'syncStock', fault: 'malformed', apply: false });
    const e = await good.syncStock({ productId: '3589000000000000001', skuId: '1789000000000000001', stockNum: 1, incremental: false }).catch((x) => x);
    expect(e).toBeInstanceOf(SyncError);
    expect(e.kind).toBe('bad_response');
    const token = (await rawDoudian({ path: '/token/create', body: JSON.stringify({ ...tokenCreate, shop_id: dd.shopId }) })).data.access_token as string;
    const noKey = '{"incremental":true,"product_id":3589000000000000001,"sku_id":1789000000000000001,"stock_num":-1}';
    expect(await rawDoudian({ path: '/sku/syncStock', body: noKey, token })).toMatchObject({ code: 40004 });
    expect(dd.getStock('3589000000000000001', '1789000000000000001')).toBe(10);
  });
});

describe('Youzan auth', () => {
  it('errors come back as HTTP 200 bodies: unknown token 4203, unknown API 4005', async () => {
    const res = await fetch(`${yz.url}/api/youzan.item.quantity.update/3.0.0?access_token=nope`, { method: 'POST', body: '{"item_id":1001,"quantity":1}' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ gw_err_resp: { err_code: 4203, err_msg: 'access_token 不存在' } });
    const c = new YouzanClient({ ...yz.clientConfig(), timeoutMs: 2_000 });
    await expect(c.call('youzan.no.such', '3.0.0', {})).rejects.toMatchObject({ kind: 'refused', code: 'gw 4005' });
  });

  it('a wrong client_secret is an auth error; an expired token is refreshed once and the call repeated', async () => {
    const bad = new YouzanClient({ ...yz.clientConfig(), clientSecret: 'wrong', timeoutMs: 2_000 });
    await expect(bad.setQuantity({ itemId: '1001', skuId: null, quantity: 3 })).rejects.toMatchObject({ kind: 'auth' });
    const c = new YouzanClient({ ...yz.clientConfig(), timeoutMs: 2_000 });
    await c.setQuantity({ itemId: '1001', skuId: null, quantity: 4 });
    yz.expireTokens();
    await c.setQuantity({ itemId: '1001', skuId: null, quantity: 5 });
    expect(yz.getStock('1001', null)).toBe(5);
    const tail = yz.requests().slice(-4).map((r) => r.path);
    expect(tail).toEqual(['/api/youzan.item.quantity.update/3.0.0', '/api/youzan.item.quantity.update/3.0.0', '/auth/token', '/api/youzan.item.quantity.update/3.0.0']);
  });

  it('a business refusal in error_response is refused and changes nothing', async () => {
    const c = new YouzanClient({ ...yz.clientConfig(), timeoutMs: 2_000 });
    await expect(c.setQuantity({ itemId: '4040', skuId: null, quantity: 1 })).rejects.toMatchObject({ kind: 'refused', code: '141500100' });
    await expect(c.setQuantity({ itemId: '1001', skuId: null, quantity: -1 })).rejects.toMatchObject({ kind: 'refused' });
    expect(yz.getStock('1001', null)).toBe(5);
  });
});
