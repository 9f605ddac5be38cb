// The simulators keep the platforms' rules from the raw requests (PLATFORMS.md §3, §4), and the clients
// live with them: Douyin client_token limits (2 h, newest two, 5-minute overlap, 500 calls / 5 min),
// verify_token rules, Meituan's md5 sign and session; the Douyin connector renews a token the platform
// dropped and sends the same call again.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { meituanSign } from '../../fakes/meituan';
import { connectorsFor, startFakes, type Fakes } from './voucher-till';

let f: Fakes;
beforeAll(async () => {
  f = await startFakes();
});
afterAll(async () => {
  await f.close();
});
beforeEach(() => {
  f.douyin.reset();
  f.meituan.reset();
});

async function token(body: Record<string, unknown>) {
  const r = await fetch(`${f.douyin.url}/oauth/client_token/`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return (await r.json()) as { data: { access_token: string; error_code: number; expires_in: number } };
}
const good = () => ({ client_key: f.douyin.clientKey, client_secret: f.douyin.clientSecret, grant_type: 'client_credential' });
async function prepareWith(tok: string, code: string) {
  const r = await fetch(`${f.douyin.url}/goodlife/v1/fulfilment/certificate/prepare/?poi_id=${f.douyin.poiId}&code=${code}`, { headers: { 'access-token': tok } });
  return (await r.json()) as { data: Record<string, any>; extra: { error_code: number; logid: string } };
}

describe('Douyin 来客 client_token', () => {
  it('refuses a wrong secret (10013), an unknown key (10003), bad params (10002)', async () => {
    expect((await token({ ...good(), client_secret: 'x' })).data.error_code).toBe(10013);
    expect((await token({ ...good(), client_key: 'nobody' })).data.error_code).toBe(10003);
    expect((await token({ ...good(), grant_type: 'password' })).data.error_code).toBe(10002);
  });

  it('a token lives 2 h; a new one leaves the previous 5 minutes; only the newest two are valid', async () => {
    const { code } = f.douyin.addVoucher({ title: 'x', unitValueFen: 100, expiresInSeconds: 10 * 86_400 });
    const t1 = (await token(good())).data.access_token;
    expect((await prepareWith(t1, code)).extra.error_code).toBe(0);
    const t2 = (await token(good())).data.access_token;
    f.advance(4 * 60);
    expect((await prepareWith(t1, code)).extra.error_code).toBe(0); // within the 5-minute overlap
    f.advance(2 * 60);
    expect((await prepareWith(t1, code)).extra.error_code).toBe(2190002);
    expect((await prepareWith(t2, code)).extra.error_code).toBe(0);
    const t3 = (await token(good())).data.access_token;
    const t4 = (await token(good())).data.access_token;
    expect((await prepareWith(t2, code)).extra.error_code).toBe(2190002); // older than the newest two
    expect((await prepareWith(t3, code)).extra.error_code).toBe(0);
    f.advance(2 * 3600 + 1);
    expect((await prepareWith(t4, code)).extra.error_code).toBe(2190002);
    // Every answer carries a logid.
    expect((await prepareWith(t4, code)).extra.logid).toMatch(/\w+/);
  });

  it('more than 500 token calls in 5 minutes → 10020', async () => {
    let last = 0;
    for (let i = 0; i < 501; i++) last = (await token(good())).data.error_code;
    expect(last).toBe(10020);
    f.advance(5 * 60 + 1);
    expect((await token(good())).data.error_code).toBe(0);
  });

  it('the connector renews a token the platform no longer takes and sends the same call again', async () => {
    const { code } = f.douyin.addVoucher({ title: '套餐', unitValueFen: 5000, expiresInSeconds: 10 * 86_400 });
    const c = connectorsFor(f)('douyin');
    expect((await c.prepare({ code })).title).toBe('套餐');
    f.douyin.setScenario({ op: 'prepare', fault: 'bad_token' });
    expect((await c.prepare({ code })).usesLeft).toBe(1);
    const prepares = f.douyin.requests().filter((r) => r.op === 'prepare').map((r) => r.errorCode ?? 0);
    expect(prepares).toEqual([0, 2190002, 0]);
    expect(f.douyin.requests().filter((r) => r.op === 'token')).toHaveLength(2);
  });
});

describe('Douyin verify_token', () => {
  async function verify(tok: string, body: Record<string, unknown>) {
    const r = await fetch(`${f.douyin.url}/goodlife/v1/fulfilment/certificate/verify/`, {
      method: 'POST', headers: { 'access-token': tok, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    return (await r.json()) as { data: Record<string, any>; extra: { error_code: number } };
  }

  it('unknown token refused; same token + same params replays; same token + other params refused', async () => {
    const { code } = f.douyin.addVoucher({ title: 'x', unitValueFen: 100, uses: 2 });
    const tok = (await token(good())).data.access_token;
    const p = (await prepareWith(tok, code)).data;
    const codes = p.certificates.map((c: { encrypted_code: string }) => c.encrypted_code);
    expect((await verify(tok, { verify_token: 'vt-nope', poi_id: f.douyin.poiId, encrypted_codes: codes.slice(0, 1) })).extra.error_code).not.toBe(0);
    const first = await verify(tok, { verify_token: p.verify_token, poi_id: f.douyin.poiId, encrypted_codes: codes.slice(0, 1) });
    const again = await verify(tok, { verify_token: p.verify_token, poi_id: f.douyin.poiId, encrypted_codes: codes.slice(0, 1) });
    expect(again.data.verify_results).toEqual(first.data.verify_results);
    expect(f.douyin.appliedVerifies).toBe(1);
    expect((await verify(tok, { verify_token: p.verify_token, poi_id: f.douyin.poiId, encrypted_codes: codes })).extra.error_code).not.toBe(0);
    expect(f.douyin.appliedVerifies).toBe(1);
    // A used certificate through a fresh token answers per code: 1208.
    const p2 = (await prepareWith(tok, code)).data;
    const used = await verify(tok, { verify_token: p2.verify_token, poi_id: f.douyin.poiId, encrypted_codes: codes.slice(0, 1) });
    expect(used.data.verify_results[0].result).toBe(1208);
  });
});

describe('Meituan / Dianping sign and session', () => {
  async function post(api: string, params: Record<string, string>, tamper?: (p: URLSearchParams) => void) {
    const all: Record<string, string> = {
      app_key: f.meituan.appKey, timestamp: '2026-11-30 12:00:00', session: f.meituan.session, format: 'json', v: '1', sign_method: 'MD5', ...params,
    };
    const body = new URLSearchParams({ ...all, sign: meituanSign(Object.entries(all), f.meituan.appSecret) });
    tamper?.(body);
    const r = await fetch(`${f.meituan.url}/router/tuangou/receipt/${api}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: body.toString() });
    return (await r.json()) as { code: number; msg: string; data?: any };
  }

  it('a correct sign passes; a changed param, a wrong secret or a bad session is refused', async () => {
    const { code } = f.meituan.addVoucher({ title: '下午茶', unitValueFen: 3900 });
    const base = { open_shop_uuid: f.meituan.openShopUuid, receipt_code: code };
    expect((await post('prepare', base)).code).toBe(200);
    expect((await post('prepare', base, (b) => b.set('receipt_code', `${code.slice(0, -1)}0`))).msg).toContain('签名');
    expect((await post('prepare', base, (b) => b.set('sign', meituanSign([...b.entries()].filter(([k]) => k !== 'sign'), 'not-the-secret')))).msg).toContain('签名');
    const badSession = await post('prepare', base, (b) => {
      b.set('session', 'expired');
      b.set('sign', meituanSign([...b.entries()].filter(([k]) => k !== 'sign'), f.meituan.appSecret));
    });
    expect(badSession.msg).toContain('session');
  });

  it('consume: a repeated requestid returns the first answer; another body with it is refused', async () => {
    const { code } = f.meituan.addVoucher({ title: '下午茶', unitValueFen: 3900, uses: 3 });
    const req = { open_shop_uuid: f.meituan.openShopUuid, receipt_code: code, requestid: 'req-1', count: '1', app_shop_account: 'a', app_shop_accountname: 'b' };
    const a = await post('consume', req);
    const b = await post('consume', req);
    expect(b).toEqual(a);
    expect(f.meituan.appliedConsumes).toBe(1);
    expect((await post('consume', { ...req, count: '2' })).code).not.toBe(200);
    expect(f.meituan.appliedConsumes).toBe(1);
  });
});
