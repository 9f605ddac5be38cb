// The till runs: log in as the demo cashier, scan a barcode, see the line and total; a wrong PIN is
// refused; English switches the labels. Real Chromium against the real browser host.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { demoBarcode } from '../../electron/till/seed';
import { launchBrowser, login, scan } from '../support/browser';
import { startHost, type RunningHost } from '../support/till-host';

let host: RunningHost;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  host = await startHost();
  ({ browser, context } = await launchBrowser());
  page = await context.newPage();
  await page.goto(host.appUrl);
  await page.locator('[data-ready="login"]').waitFor();
});
afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe('foundation e2e', () => {
  it('refuses a wrong PIN with a clear message and stays on the login screen', async () => {
    await login(page, '小王', '9999');
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('PIN 错误');
    expect(await page.locator('[data-ready="till"]').count()).toBe(0);
  });

  it('logs the demo cashier in, scans a barcode and shows the line and total', async () => {
    await login(page, '小王', '1111');
    await page.locator('[data-ready="till"]').waitFor();
    expect(await page.getByTestId('current-user').textContent()).toContain('小王');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('scan-input');

    // Item 2 of the demo catalog: 可口可乐 500ml at ¥3.50.
    await scan(page, demoBarcode(2));
    await page.getByTestId('cart-line').first().waitFor();
    expect(await page.getByTestId('cart-line').first().textContent()).toContain('可口可乐 500ml');
    expect(await page.getByTestId('total').textContent()).toBe('¥3.50');

    await scan(page, demoBarcode(2));
    await expect.poll(() => page.getByTestId('total').textContent()).toBe('¥7.00');
    expect(await page.getByTestId('cart-line').count()).toBe(1);

    await scan(page, '6920000000001'); // bad check digit
    await expect.poll(() => page.getByTestId('scan-message').textContent()).toContain('条码校验位错误');
    expect(await page.getByTestId('total').textContent()).toBe('¥7.00');
    await page.screenshot({ path: 'test-results/checkout-zh.png' });
  });

  it('switches the labels to English and back', async () => {
    expect(await page.getByTestId('nav-checkout').textContent()).toBe('收银');
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.getByTestId('nav-checkout').textContent()).toBe('Checkout');
    expect(await page.getByTestId('nav-settings').textContent()).toBe('Settings'); // 报表 is not in a cashier's nav
    expect(await page.locator('.due-label').textContent()).toBe('Total due');
    await page.screenshot({ path: 'test-results/checkout-en.png' });
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.getByTestId('nav-checkout').textContent()).toBe('收银');
  });
});
