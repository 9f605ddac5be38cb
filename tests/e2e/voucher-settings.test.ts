// 设置 → 团购券 in real Chromium (no TILL_VOUCHERS_JSON: the saved settings only): the owner points Douyin
// 来客 at the simulator, the secret field empties and shows 已设置 with its last 4 characters, and a voucher
// redeems right after against the fake (the service was rebuilt on save). The settings tab bar, nine tabs
// now, stays on one line at 1024×768.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { DouyinLifeFake } from '../fakes/douyin-life';
import { launchBrowser, login } from '../support/browser';
import { startHost, type RunningHost } from '../support/till-host';
import { CheckoutPage } from './pages/checkout.page';

let douyin: DouyinLifeFake;
let host: RunningHost;
let browser: Browser;
let context: BrowserContext;
let page: Page;

async function api<T = any>(name: string, input: unknown = {}): Promise<T> {
  const r = await host.api<T>(name, input);
  if (!r.body.ok) throw Object.assign(new Error(`${name}: ${r.body.error?.code} ${r.body.error?.message}`), r.body.error);
  return r.body.result as T;
}

beforeAll(async () => {
  douyin = await DouyinLifeFake.start();
  host = await startHost({ env: { TILL_VOUCHERS_JSON: '' } }); // the saved settings only
  ({ browser, context } = await launchBrowser());
  page = await context.newPage();
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto(host.appUrl);
  await login(page, '张老板', '8888');
  await new CheckoutPage(page).waitReady();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await douyin?.close();
});

describe('设置 → 团购券', () => {
  it('the owner saves Douyin 来客 against the simulator; the secret is never shown again; a voucher redeems right after', async () => {
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-vouchers').click();
    await page.getByTestId('vouchers-settings').waitFor();
    const tabs = page.locator('.settings-tabs');
    expect(await tabs.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true); // nine tabs on one line at 1024

    const id = (k: string) => page.getByTestId(`vouchers-douyin-${k}`);
    await id('enabled').check();
    await id('baseUrl').fill(douyin.url);
    await id('shortLinkBase').fill(douyin.url);
    await id('clientKey').fill(douyin.clientKey);
    await id('clientSecret').fill(douyin.clientSecret);
    await id('poiId').fill(douyin.poiId);
    await id('save').click();
    await expect.poll(() => id('message').textContent()).toContain('已保存');
    expect(await id('clientSecret').inputValue()).toBe('');
    expect(await page.getByTestId('vouchers-douyin').textContent()).toContain(`已设置 …${douyin.clientSecret.slice(-4)}`);
    expect(await page.getByTestId('vouchers-douyin').textContent()).not.toContain(douyin.clientSecret);
    expect(await id('enabled-state').textContent()).toBe('已启用');

    const v = douyin.addVoucher({ title: '双人套餐', unitValueFen: 8800 });
    const p = await api<{ prepareId: string; title: string }>('vouchers.prepare', { code: v.url });
    expect(p.title).toBe('双人套餐');
    const r = await api<{ state: string }>('vouchers.redeem', { requestId: randomUUID(), prepareId: p.prepareId, uses: 1 });
    expect(r.state).toBe('REDEEMED');
    expect(douyin.appliedVerifies).toBe(1);
  }, 60_000);

  it('in English the tab reads Vouchers and the nine tabs still fit 1024 px; a manager gets the owner-only note', async () => {
    await page.getByTestId('logout').click();
    await page.getByTestId('login-lang').click();
    await login(page, '李店长', '2222');
    await page.locator('[data-ready="till"]').waitFor();
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-vouchers').click();
    expect(await page.getByTestId('settings-tab-vouchers').textContent()).toBe('Vouchers');
    expect(await page.locator('.settings-tabs').evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
    expect(await page.getByTestId('vouchers-owner-only').textContent()).toContain('Only the owner');
  }, 60_000);
});
