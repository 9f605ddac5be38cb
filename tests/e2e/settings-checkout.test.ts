// 设置 → 收银设置 in the real UI: the manager (李店长) opens the tab, tries a label-scale code in the
// live example, sees a bad layout flagged, sets 抹零 to 抹到元 and saves; then the cashier (小王) rings
// up a cart on the checkout screen whose 应收 is rounded down to the yuan with a 抹零 line, and finds
// the tab read-only. Screenshots of the tab at 1280×800 and 1024×768 (and in English) go to test-results/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { CheckoutSettings } from '../../shared/api/settings';
import { makeScaleBarcode } from '../../shared/barcode';
import { formatYuan } from '../../shared/money';
import { demoBarcode } from '../../electron/till/seed';
import { launchBrowser, login } from '../support/browser';
import { startHost, type RunningHost } from '../support/till-host';
import { CheckoutPage } from './pages/checkout.page';

const COKE_330 = { code: demoBarcode(1), fen: 300 }; // 可口可乐 330ml ¥3.00
const COKE_500 = { code: demoBarcode(2), fen: 350 }; // 可口可乐 500ml ¥3.50

let host: RunningHost;
let browser: Browser;
let context: BrowserContext;
let page: Page;

async function api<T = unknown>(name: string, input: unknown = {}): Promise<T> {
  const r = await host.api<T>(name, input);
  if (!r.body.ok) throw new Error(`${name}: ${r.body.error?.code} ${r.body.error?.message}`);
  return r.body.result as T;
}
/** The stored rounding, as the till reads it. */
const roundingNow = async () => (await api<CheckoutSettings>('settings.checkout'))['checkout.rounding'];

beforeAll(async () => {
  host = await startHost();
  ({ browser, context } = await launchBrowser());
  page = await context.newPage();
  page.on('pageerror', (e) => console.error('pageerror', e));
  await page.goto(host.appUrl);
  await page.locator('[data-ready="login"]').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe('settings e2e: 收银设置', () => {
  it('the manager opens 设置 → 收银设置, tries a scale code, sets 抹到元 and saves', async () => {
    await login(page, '李店长', '2222');
    await page.locator('[data-ready="till"]').waitFor();
    await page.getByTestId('nav-settings').click();
    const tab = page.getByTestId('settings-tab-checkout');
    expect(await tab.textContent()).toBe('收银设置');
    await tab.click();
    const root = page.getByTestId('checkout-settings');
    await root.waitFor();
    expect(await page.getByTestId('cs-rounding-none').getAttribute('aria-checked')).toBe('true');
    expect(await page.getByTestId('checkout-settings-readonly').count()).toBe(0);
    expect(await page.getByTestId('cs-layout-0').inputValue()).toBe('20PPPPPWWWWWC');
    expect(await page.getByTestId('cs-discount-zhe').inputValue()).toBe('9'); // 1000 bp off = 9折
    expect(await page.getByTestId('cs-discount-yuan').inputValue()).toBe('50');

    // The live example: a weight label and a price label read with the layouts on screen.
    const tryIt = page.getByTestId('cs-try');
    const result = page.getByTestId('cs-try-result');
    await tryIt.fill(makeScaleBarcode('2FPPPPPWWWWWC', { plu: '00001', weightGrams: 1234, flag: 0 }));
    await expect.poll(() => result.textContent()).toBe('格式 20PPPPPWWWWWC · 商品码 00001 · 重量 1.234 kg');
    await tryIt.fill(makeScaleBarcode('2FPPPPP$$$$$C', { plu: '00002', priceFen: 1288, flag: 7 }));
    await expect.poll(() => result.textContent()).toBe('格式 27PPPPP$$$$$C · 商品码 00002 · 金额 ¥12.88');
    const good = makeScaleBarcode('2FPPPPPWWWWWC', { plu: '00001', weightGrams: 500, flag: 1 });
    const wrongCheck = good.slice(0, -1) + String((Number(good.at(-1)) + 1) % 10);
    await tryIt.fill(wrongCheck);
    await expect.poll(() => result.textContent()).toBe(`校验位错误（应为 ${good.at(-1)}）`);
    await tryIt.fill('6920000010079');
    await expect.poll(() => result.textContent()).toContain('没有匹配的格式');

    // A broken layout is flagged on its row, and saving is held back until it is fixed.
    const layout = page.getByTestId('cs-layout-9');
    await layout.fill('29WWWWW$$$$$C');
    await expect.poll(() => page.getByTestId('cs-layout-error-9').textContent()).toBe('条码秤格式缺少商品码 (P)：29WWWWW$$$$$C');
    await page.getByTestId('cs-save').click();
    await expect.poll(() => page.getByTestId('cs-message').textContent()).toBe('请先改正标红的项目');
    expect(await roundingNow()).toBe('none');
    await layout.fill('29PPPPP$$$$$C');
    await page.getByTestId('cs-layout-error-9').waitFor({ state: 'detached' });

    await page.getByTestId('cs-rounding-yuan').click();
    expect(await page.getByTestId('cs-rounding-yuan').getAttribute('aria-checked')).toBe('true');
    await page.screenshot({ path: 'test-results/settings-checkout-1280x800.png' });
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.screenshot({ path: 'test-results/settings-checkout-1024x768.png' });
    await page.getByTestId('cs-layout-add').scrollIntoViewIfNeeded();
    expect(await page.getByTestId('cs-save').isVisible()).toBe(true); // the save bar stays in view
    await page.screenshot({ path: 'test-results/settings-checkout-1024x768-scales.png' });
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.getByTestId('cs-save').click();
    await expect.poll(() => page.getByTestId('cs-message').textContent()).toBe('已保存 1 项修改，下一笔即生效');
    expect(await roundingNow()).toBe('yuan');
    expect(await page.getByTestId('cs-save').isDisabled()).toBe(true); // nothing left to save
  });

  it('the cashier rings up a cart: 应收 is rounded down to the yuan with a 抹零 line', async () => {
    await page.getByTestId('logout').click();
    await page.locator('[data-ready="login"]').waitFor();
    await login(page, '小王', '1111');
    const co = new CheckoutPage(page);
    await page.locator('[data-ready="till"]').waitFor();
    await page.getByTestId('nav-checkout').click(); // the shell remembers the last screen (设置)
    await co.waitReady();
    await co.openShiftIfNeeded('200');
    await expect.poll(() => co.focused()).toBe('scan-input');
    await co.scanAndWait(COKE_500.code, 1);
    await co.scanAndWait(COKE_330.code, 2);
    const subtotal = COKE_500.fen + COKE_330.fen; // ¥6.50
    expect(await page.getByTestId('gross').textContent()).toBe(formatYuan(subtotal));
    await expect.poll(() => co.totalText()).toBe(formatYuan(600));
    expect(await page.getByTestId('rounding').textContent()).toBe(formatYuan(600 - subtotal)); // -¥0.50
    expect(await page.getByTestId('totals').textContent()).toContain('抹零');
    await page.screenshot({ path: 'test-results/settings-checkout-cart-rounded.png' });
  });

  it('the cashier sees the settings read-only, with a note that a manager must change them', async () => {
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-checkout').click();
    await page.getByTestId('checkout-settings').waitFor();
    expect(await page.getByTestId('checkout-settings-readonly').textContent()).toContain('只有店长可以修改');
    expect(await page.getByTestId('cs-rounding-yuan').getAttribute('aria-checked')).toBe('true');
    expect(await page.getByTestId('cs-rounding-jiao').isDisabled()).toBe(true);
    expect(await page.getByTestId('cs-layout-0').isDisabled()).toBe(true);
    expect(await page.getByTestId('cs-till-id').isDisabled()).toBe(true);
    expect(await page.getByTestId('cs-save').count()).toBe(0);
    expect(await page.getByTestId('cs-layout-add').count()).toBe(0);
    await page.screenshot({ path: 'test-results/settings-checkout-cashier-1280x800.png' });

    // English is complete on this tab too.
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.getByTestId('settings-tab-checkout').textContent()).toBe('Checkout');
    expect(await page.getByTestId('cs-rounding-yuan').textContent()).toBe('Down to ¥1');
    expect(await page.getByTestId('checkout-settings').textContent()).not.toMatch(/checkoutSettings\./);
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.screenshot({ path: 'test-results/settings-checkout-en-1024x768.png' });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.getByTestId('settings-tab-checkout').textContent()).toBe('收银设置');
  });
});
