// A serial scale (a fake on a socat virtual port) feeds a weighed line at checkout: the weight dialog
// shows the live reading, a settled weight fills the field in the item's own unit, tare works, and
// the line is priced from the weight.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { FakeSerialScale } from '../fakes/serial-scale';
import { launchBrowser, login } from '../support/browser';
import { startSerialPair, type SerialPair } from '../support/peers';
import { startHost, type RunningHost } from '../support/till-host';
import { CheckoutPage } from './pages/checkout.page';

let pair: SerialPair;
let scale: FakeSerialScale;
let host: RunningHost;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let checkout: CheckoutPage;

beforeAll(async () => {
  pair = await startSerialPair();
  scale = new FakeSerialScale({ path: pair.b, protocol: 'text' });
  await scale.open();
  host = await startHost({
    env: {
      TILL_DEVICES_JSON: JSON.stringify([
        { id: 'virtual', name: '虚拟打印机', kind: 'printer', enabled: true, driver: { type: 'virtual' }, roles: ['receipt'], paper: 80, drawerPin: 2 },
        { id: 'scale', name: '收银台电子秤', kind: 'scale', enabled: true, driver: { type: 'serial', path: pair.a, baud: 9600, protocol: 'text' } },
      ]),
    },
  });
  ({ browser, context } = await launchBrowser());
  page = await context.newPage();
  checkout = new CheckoutPage(page);
  await page.goto(host.appUrl);
  await page.locator('[data-ready="login"]').waitFor();
  await login(page, '小王', '1111');
  await checkout.waitReady();
});
afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await scale?.close();
  await pair?.stop();
});

async function openWeightDialog(name: string): Promise<void> {
  await page.getByRole('button', { name: /查找/ }).first().click();
  await page.getByTestId('tab-quick').click();
  await page.getByTestId('quick-category').filter({ hasText: '水果' }).click();
  await page.getByTestId('quick-results').getByTestId('search-result').filter({ hasText: name }).click();
  await page.getByTestId('weight-dialog').waitFor();
}

describe('scale at checkout', () => {
  it('a settled weight fills the weight field in 斤 and prices the line', async () => {
    scale.set(1234, { stable: false });
    await openWeightDialog('红富士苹果');
    await expect.poll(() => page.getByTestId('scale-reading').textContent()).toMatch(/1\.234 kg · 称重中/);
    expect(await page.getByTestId('weight-input').inputValue()).toBe(''); // a moving pan fills nothing
    scale.set(1234, { stable: true });
    await expect.poll(() => page.getByTestId('weight-input').inputValue(), { timeout: 5000 }).toBe('2.468'); // 1.234 kg = 2.468 斤
    expect(await page.getByTestId('scale-reading').textContent()).toContain('稳定');
    expect(await page.getByTestId('weight-amount').textContent()).toContain('¥17.23'); // ¥6.98/斤 × 2.468
    await page.screenshot({ path: 'test-results/weight-from-scale.png' });
    await page.keyboard.press('Enter');
    await checkout.waitLines(1);
    expect(await checkout.lines.first().textContent()).toContain('2.468斤');
    expect(await checkout.total.textContent()).toBe('¥17.23');
  });

  it('tare takes the container off; a weight typed by hand is not overwritten by the scale', async () => {
    scale.set(200, { stable: true }); // an empty bowl
    await openWeightDialog('砂糖橘');
    await expect.poll(() => page.getByTestId('scale-reading').textContent()).toMatch(/0\.200 kg · 稳定/);
    await page.getByTestId('scale-reading').getByRole('button', { name: '去皮' }).click();
    await expect.poll(() => page.getByTestId('scale-reading').textContent()).toMatch(/0\.000 kg/);
    scale.set(700, { stable: true }); // bowl + 500 g of oranges
    await expect.poll(() => page.getByTestId('weight-input').inputValue(), { timeout: 5000 }).toBe('1.000'); // 500 g = 1 斤
    await page.getByTestId('weight-input').fill('');
    await page.getByTestId('weight-input').type('1.5');
    scale.set(900, { stable: true });
    await expect.poll(() => page.getByTestId('scale-reading').textContent()).toMatch(/0\.700 kg/);
    expect(await page.getByTestId('weight-input').inputValue()).toBe('1.5');
    await page.keyboard.press('Escape');
  });
});
