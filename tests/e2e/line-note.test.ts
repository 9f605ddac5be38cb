// The quantity dialog (* key) also edits the line's note; the note shows on the line, and a note
// alone changes nothing else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { demoBarcode } from '../../electron/till/seed';
import { launchBrowser, login } from '../support/browser';
import { startHost, type RunningHost } from '../support/till-host';
import { CheckoutPage } from './pages/checkout.page';

let host: RunningHost;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let co: CheckoutPage;

beforeAll(async () => {
  host = await startHost();
  ({ browser, context } = await launchBrowser());
  page = await context.newPage();
  co = new CheckoutPage(page);
  await page.goto(host.appUrl);
  await page.locator('[data-ready="login"]').waitFor();
  await login(page, '小王', '1111');
  await co.waitReady();
});
afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe('line note', () => {
  it('adds a note to the selected line without touching its quantity, then changes both at once', async () => {
    await co.scanAndWait(demoBarcode(2), 1); // 可口可乐 500ml ¥3.50
    await page.getByTestId('fkey-qty').click();
    await page.getByTestId('qty-dialog').waitFor();
    await page.getByTestId('note-input').fill('顾客自带袋');
    await page.getByTestId('note-input').press('Enter');
    await page.getByTestId('qty-dialog').waitFor({ state: 'detached' });
    await expect.poll(() => co.lines.first().textContent()).toContain('顾客自带袋');
    expect(await co.total.textContent()).toBe('¥3.50');

    await page.getByTestId('fkey-qty').click();
    await page.getByTestId('qty-input').fill('3');
    await page.getByTestId('note-input').fill('赠品袋');
    await page.getByTestId('note-input').press('Enter');
    await page.getByTestId('qty-dialog').waitFor({ state: 'detached' });
    await expect.poll(() => co.total.textContent()).toBe('¥10.50');
    expect(await co.lines.first().textContent()).toContain('赠品袋');
    const cart = await host.api<{ lines: { note: string | null }[] }>('cart.get');
    expect(cart.body.result!.lines[0].note).toBe('赠品袋');
  });
});
