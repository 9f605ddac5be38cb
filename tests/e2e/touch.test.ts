// A counter without a keyboard (issue 12 items 3 and 4), at the two commonest counter screens,
// 1366×768 and 1024×768, in a touch-enabled Chromium where every action is a tap: the scan pad is on
// screen under 结算 (it was hidden below 780 px), a barcode tapped on it becomes a line, a quantity
// is tapped in, `6 × code` multiplies, and 查找 finds 可口可乐 from `kkkl` tapped on its letter pad
// (it had none). Every button of the checkout, the status bar's English/退出 included (36 px
// before), is at least 44 px. Screenshots of the checkout at both sizes.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoItems } from '../../electron/till/demo-catalog';
import { demoBarcode } from '../../electron/till/seed';
import { formatYuan } from '../../shared/money';
import { launchBrowser } from '../support/browser';
import { repoRoot, startHost, type RunningHost } from '../support/till-host';
import { CheckoutPage } from './pages/checkout.page';
import { boxOf, LetterPad, LoginPage, ScanPad, StatusBar } from './pages/touch.page';

const shots = join(repoRoot, 'test-results');
mkdirSync(shots, { recursive: true });

const items = demoItems();
const indexOf = (name: string, spec = '') => items.findIndex((i) => i.name === name && i.spec === spec) + 1;
const WATER = { name: '农夫山泉 550ml', code: demoBarcode(indexOf('农夫山泉', '550ml')), fen: 200 };
const COLA = { name: '可口可乐 500ml', code: demoBarcode(2), fen: 350 };

let host: RunningHost;
let browser: Browser;

beforeAll(async () => {
  host = await startHost();
  ({ browser } = await launchBrowser());
});
afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

for (const [width, height] of [
  [1366, 768],
  [1024, 768],
] as const) {
  describe(`touch only at ${width}×${height}`, () => {
    let context: BrowserContext;
    let page: Page;
    let co: CheckoutPage;
    let pad: ScanPad;

    beforeAll(async () => {
      context = await browser.newContext({ viewport: { width, height }, hasTouch: true, locale: 'zh-CN' });
      page = await context.newPage();
      page.on('pageerror', (e) => console.error('pageerror', e));
      co = new CheckoutPage(page);
      pad = new ScanPad(page);
      await page.goto(host.appUrl);
      const login = new LoginPage(page);
      await login.root.waitFor();
      await login.login('小王', '1111');
      await co.waitReady();
      await co.openShiftIfNeeded();
      // Each size starts from an empty cart (the first size's sale is voided at its end).
      await co.waitLines(0);
    });
    afterAll(async () => {
      await context?.close();
    });

    it('the scan pad is on screen under 结算, above the function keys, every key ≥ 44 px', async () => {
      await pad.root.waitFor({ state: 'visible' });
      const padBox = await boxOf(pad.root);
      const pay = await boxOf(page.getByTestId('pay-button'));
      const fkeys = await boxOf(page.locator('.fkeys'));
      expect(padBox.y).toBeGreaterThanOrEqual(pay.y + pay.height);
      expect(padBox.y + padBox.height).toBeLessThanOrEqual(fkeys.y);
      expect(padBox.y + padBox.height).toBeLessThanOrEqual(height);
      const keys = await pad.keys().all();
      expect(keys.length).toBe(15); // 0–9 . × ⌫ 清除 回车
      for (const k of keys) {
        const b = await boxOf(k);
        expect(b.height, await k.getAttribute('data-key') ?? '').toBeGreaterThanOrEqual(44);
        expect(b.width, await k.getAttribute('data-key') ?? '').toBeGreaterThanOrEqual(44);
        expect(b.y + b.height).toBeLessThanOrEqual(fkeys.y);
      }
    });

    it('a barcode tapped on the pad becomes a line; 6 × a code multiplies', async () => {
      await pad.tapCode(COLA.code);
      await co.waitLines(1);
      expect(await co.line(COLA.name).textContent()).toContain(COLA.name);
      await pad.tapCode(`6*${WATER.code}`);
      await co.waitLines(2);
      expect(await co.line(WATER.name).textContent()).toContain('6');
      await expect.poll(() => co.totalText()).toBe(formatYuan(COLA.fen + 6 * WATER.fen));
    });

    it('a quantity is tapped in on the quantity dialog', async () => {
      await co.line(COLA.name).tap();
      await page.getByTestId('fkey-qty').tap();
      const qtyPad = page.getByTestId('qty-input-pad');
      await qtyPad.waitFor();
      for (const k of ['Clear', '3', 'Enter']) await qtyPad.locator(`[data-key="${k}"]`).tap();
      await page.getByTestId('qty-dialog').waitFor({ state: 'detached' });
      await expect.poll(() => co.totalText()).toBe(formatYuan(3 * COLA.fen + 6 * WATER.fen));
    });

    it('查找: kkkl tapped on the letter pad finds 可口可乐, a tap adds it', async () => {
      const letters = new LetterPad(page);
      await letters.openSearch();
      // The letter pad sits inside the screen, its keys ≥ 44 px.
      const lp = await boxOf(letters.root);
      expect(lp.y + lp.height).toBeLessThanOrEqual(height);
      for (const k of await letters.root.locator('button').all()) expect((await boxOf(k)).height).toBeGreaterThanOrEqual(44);
      await letters.tapText('kkkl');
      expect(await page.getByTestId('search-input').inputValue()).toBe('kkkl');
      const hit = page.getByTestId('search-result').filter({ hasText: '可口可乐' }).first();
      await hit.waitFor();
      await page.screenshot({ path: join(shots, `touch-search-${width}x${height}.png`) });
      // ⌫ and 清除 edit the query.
      await letters.key('Backspace').tap();
      expect(await page.getByTestId('search-input').inputValue()).toBe('kkk');
      await letters.key('l').tap();
      await hit.waitFor();
      const name = (await hit.locator('.result-title').textContent())!.replace(/称重$/, '');
      await hit.tap();
      await page.getByTestId('search-panel').waitFor({ state: 'detached' });
      await expect.poll(() => co.message.textContent()).toContain(name);
      expect(await co.lines.count()).toBeGreaterThanOrEqual(2);
    });

    it('every button on the checkout, the status bar included, is at least 44 px', async () => {
      const bar = new StatusBar(page);
      for (const b of [bar.language, bar.logout]) {
        const box = await boxOf(b);
        expect(box.height).toBeGreaterThanOrEqual(44);
        expect(box.width).toBeGreaterThanOrEqual(44);
      }
      const small: string[] = [];
      for (const b of await page.locator('button:visible').all()) {
        const box = await boxOf(b);
        if (box.height < 44 || box.width < 44) small.push(`${(await b.textContent())?.trim()} ${box.width}×${box.height}`);
      }
      expect(small).toEqual([]);
      await page.screenshot({ path: join(shots, `touch-checkout-${width}x${height}.png`) });
    });

    it('voids the cart by taps (F10 作废, a manager PIN for the cashier)', async () => {
      await page.getByTestId('fkey-void').tap();
      await page.getByTestId('void-dialog').waitFor();
      await page.getByTestId('void-confirm').tap();
      const approval = page.getByTestId('manager-approval');
      const asked = await Promise.race([approval.waitFor().then(() => true), co.waitLines(0).then(() => false)]);
      if (asked) {
        for (const d of '2222') await approval.locator(`[data-testid="approval-pad"] [data-key="${d}"]`).tap();
        await approval.locator('[data-testid="approval-pad"] [data-key="Enter"]').tap();
      }
      await co.waitLines(0);
    });

    it('退出 by a tap: back to the login screen (the next size starts there)', async () => {
      await new StatusBar(page).logout.tap();
      await new LoginPage(page).root.waitFor();
    });
  });
}
