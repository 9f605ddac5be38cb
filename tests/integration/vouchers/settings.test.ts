// 设置 → 团购券 (owner): Douyin 来客 and Meituan settings saved through the API, secrets sealed (the view
// and the database never hold them in clear, the screen gets the last 4 characters), audited by field
// name; the voucher service is rebuilt on save, so a redeem against the fake works right after. Refused
// with nothing saved: an enabled platform missing a secret; a cashier.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRegistry } from '../../../electron/api/handlers';
import type { Registry } from '../../../electron/api/registry';
import { demoUsers } from '../../../electron/till/demo-catalog';
import { Till } from '../../../electron/till/till';
import type { VoucherService } from '../../../electron/vouchers/service';
import { startVouchers } from '../../../electron/vouchers/start';
import type { Role } from '../../../shared/api';
import { startFakes, type Fakes } from './voucher-till';

let f: Fakes;
let till: Till;
let svc: VoucherService;
let registry: Registry;
let dataDir: string;
const envBefore = process.env.TILL_VOUCHERS_JSON;

beforeAll(async () => {
  delete process.env.TILL_VOUCHERS_JSON; // the saved settings only
  f = await startFakes();
});
afterAll(async () => {
  if (envBefore !== undefined) process.env.TILL_VOUCHERS_JSON = envBefore;
  await f.close();
});
beforeEach(() => {
  f.douyin.reset();
  f.meituan.reset();
  dataDir = mkdtempSync(join(tmpdir(), 'till-voucher-settings-'));
  till = new Till({ dataDir, seedDemo: true, now: () => f.douyin.now() });
  svc = startVouchers(till, { retryDelaysMs: [5, 5, 5] });
  registry = createRegistry({ till, devices: null, vouchers: svc }, 'browser');
});
afterEach(() => {
  svc.stop();
  till.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(name: string, input: unknown = {}): Promise<any> {
  const r = await registry.call(name, input);
  if (!r.ok) throw Object.assign(new Error(`${r.error.code}: ${r.error.message}`), r.error);
  return r.result;
}
async function loginAs(role: Role) {
  const id = (till.sqlite.prepare('SELECT id FROM users WHERE role_id = ? LIMIT 1').get(role) as { id: string }).id;
  await call('auth.login', { userId: id, pin: demoUsers.find((u) => u.role === role)!.pin });
}
const row = (p: string) => till.sqlite.prepare('SELECT value FROM settings WHERE key = ?').get(`vouchers.platform.${p}`) as { value: string } | undefined;
const audits = () => till.sqlite.prepare("SELECT target, details FROM audit_log WHERE action = 'vouchers.settings'").all() as { target: string; details: string }[];

async function redeemDouyin() {
  const v = f.douyin.addVoucher({ title: '双人套餐', unitValueFen: 8800 });
  const p = await call('vouchers.prepare', { code: v.url });
  return call('vouchers.redeem', { requestId: randomUUID(), prepareId: p.prepareId, uses: 1 });
}

describe('voucher platform settings', () => {
  it('saved by the owner (sealed, last 4 only, audited by field name): a Douyin redeem against the fake works right after', async () => {
    await loginAs('cashier');
    await expect(redeemDouyin()).rejects.toMatchObject({ code: 'VOUCHER_PLATFORM_OFF' });

    await loginAs('owner');
    const view = await call('vouchers.saveSettings', {
      platform: 'douyin', enabled: true, baseUrl: f.douyin.url, shortLinkBase: f.douyin.url,
      clientKey: f.douyin.clientKey, clientSecret: f.douyin.clientSecret, poiId: f.douyin.poiId,
    });
    expect(view.douyin).toMatchObject({
      enabled: true, complete: true, missing: [], problem: null, effectiveBaseUrl: f.douyin.url, clientKey: f.douyin.clientKey,
      clientSecret: { set: true, hint: `…${f.douyin.clientSecret.slice(-4)}` },
    });
    expect(view.meituan).toMatchObject({ enabled: false, complete: false, effectiveBaseUrl: 'https://openapi.dianping.com' });
    expect(JSON.stringify(view)).not.toContain(f.douyin.clientSecret);
    expect(row('douyin')!.value).not.toContain(f.douyin.clientSecret); // sealed at rest
    expect(JSON.stringify(await call('vouchers.settings'))).not.toContain(f.douyin.clientSecret);
    const a = audits();
    expect(a).toHaveLength(1);
    expect(JSON.parse(a[0].details).changed.sort()).toEqual(['baseUrl', 'clientKey', 'clientSecret', 'enabled', 'poiId', 'shortLinkBase']);
    expect(a[0].details).not.toContain(f.douyin.clientSecret);

    await loginAs('cashier');
    const r = await redeemDouyin();
    expect(r).toMatchObject({ state: 'REDEEMED', valueFen: 8800 });
    expect(f.douyin.appliedVerifies).toBe(1);

    // Switched off: rebuilt again, the platform is off.
    await loginAs('owner');
    await call('vouchers.saveSettings', { platform: 'douyin', enabled: false });
    await loginAs('cashier');
    await expect(redeemDouyin()).rejects.toMatchObject({ code: 'VOUCHER_PLATFORM_OFF' });
  });

  it('Meituan: enabling without the session is refused and nothing is saved; with it a consume against the fake works', async () => {
    await loginAs('owner');
    const base = { platform: 'meituan', enabled: true, baseUrl: f.meituan.url, appKey: f.meituan.appKey, appSecret: f.meituan.appSecret, openShopUuid: f.meituan.openShopUuid };
    await expect(call('vouchers.saveSettings', base)).rejects.toMatchObject({
      code: 'VOUCHER_SETTINGS_INCOMPLETE',
      message: expect.stringContaining('session'),
    });
    expect(row('meituan')).toBeUndefined();
    expect(audits()).toEqual([]);
    expect((await call('vouchers.settings')).meituan).toMatchObject({ enabled: false, appKey: '', appSecret: { set: false, hint: null } });

    const view = await call('vouchers.saveSettings', { ...base, session: f.meituan.session });
    expect(view.meituan).toMatchObject({ complete: true, session: { set: true, hint: `…${f.meituan.session.slice(-4)}` } });
    await loginAs('cashier');
    const v = f.meituan.addVoucher({ title: '下午茶', unitValueFen: 3900 });
    const p = await call('vouchers.prepare', { code: v.code });
    const r = await call('vouchers.redeem', { requestId: randomUUID(), prepareId: p.prepareId, uses: 1 });
    expect(r.state).toBe('REDEEMED');
    expect(f.meituan.appliedConsumes).toBe(1);
  });

  it('bad input is refused with a Chinese reason; a cashier (and a manager) may neither read nor save', async () => {
    await loginAs('owner');
    await expect(call('vouchers.saveSettings', { platform: 'douyin', baseUrl: 'ftp://x' })).rejects.toMatchObject({ message: expect.stringContaining('http') });
    await expect(call('vouchers.saveSettings', { platform: 'douyin', clientSecret: 'short' })).rejects.toMatchObject({ message: expect.stringContaining('至少 8 位') });
    expect(row('douyin')).toBeUndefined();
    for (const role of ['cashier', 'manager'] as const) {
      await loginAs(role);
      await expect(call('vouchers.settings')).rejects.toMatchObject({ code: 'FORBIDDEN', message: '需要店主权限' });
      await expect(call('vouchers.saveSettings', { platform: 'douyin', enabled: false, clientKey: 'abc' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    expect(row('douyin')).toBeUndefined();
    expect(audits()).toEqual([]);
  });
});
