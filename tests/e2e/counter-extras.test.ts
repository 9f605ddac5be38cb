// The smaller things of issue 12 item 10, as a cashier meets them: the second screen is connected
// the way a person would do it (设置 → 设备 → 顾客屏 → 打开顾客屏; the README's bare
// /customer-display said "与收银台的连接中断"), and its link opens nothing but the display; the
// discount dialog's 9折 preset; the done screen of a split payment lists the tenders; a refund reads
// "退 ¥2.00", never the double negative "退 -¥2.00".
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoItems } from '../../electron/till/demo-catalog';
import { demoBarcode } from '../../electron/till/seed';
import { formatYuan, percentOf } from '../../shared/money';
import { launchBrowser, login } from '../support/browser';
import { repoRoot, startHost, type RunningHost } from '../support/till-host';
import { ApprovalDialog, CheckoutPage } from './pages/checkout.page';
import { PaymentPage } from './pages/payment.page';
import { ReturnsPage } from './pages/returns.page';
import { CustomerDisplayLink } from './pages/touch.page';

const shots = join(repoRoot, 'test-results');
mkdirSync(shots, { recursive: true });

const items = demoItems();
const indexOf = (name: string, spec = '') => items.findIndex((i) => i.name === name && i.spec === spec) + 1;
const WATER = { name: '农夫山泉 550ml', code: demoBarcode(indexOf('农夫山泉', '550ml')), fen: 200 };
const COLA = { name: '可口可乐 500ml', code: demoBarcode(2), fen: 350 };
const colaAt9 = COLA.fen - percentOf(COLA.fen, 1000); // 9折

let host: RunningHost;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let display: Page;
let co: CheckoutPage;
let receiptNo = '';

beforeAll(async () => {
  host = await startHost();
  ({ browser, context } = await launchBrowser());
  page = await context.newPage();
  page.on('pageerror', (e) => console.error('pageerror', e));
  co = new CheckoutPage(page);
  await page.goto(host.appUrl);
  await page.locator('[data-ready="login"]').waitFor();
  await login(page, '小王', '1111');
  await co.waitReady();
  await co.openShiftIfNeeded();
});
afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe('customer display, discount presets, the tenders of a sale, refunds', () => {
  it('a bare /customer-display says how to connect it, not that the connection broke', async () => {
    const bare = await context.newPage();
    await bare.goto(`${host.url}/customer-display`);
    const root = bare.getByTestId('customer-display');
    await root.and(bare.locator('[data-phase="unpaired"]')).waitFor();
    const text = (await root.textContent()) ?? '';
    expect(text).toContain('设置 → 设备 → 顾客屏');
    expect(text).not.toContain('连接中断');
    await bare.close();
  });

  it('设置 → 设备 → 顾客屏 shows a read-only link; 打开顾客屏 opens the display, which follows the cart', async () => {
    const link = new CustomerDisplayLink(page);
    await link.show();
    const url = await link.url.inputValue();
    expect(url).toBe(host.displayUrl);
    expect(url).toMatch(/\/customer-display#display=[0-9a-f]{32}$/);
    expect(url).not.toContain(host.token);
    await page.screenshot({ path: join(shots, 'customer-display-link.png') });

    const opened = context.waitForEvent('page');
    await link.open.click();
    display = await opened;
    await display.setViewportSize({ width: 1024, height: 600 });
    const root = display.getByTestId('customer-display');
    await root.and(display.locator('[data-phase="idle"]')).waitFor();
    expect(await display.getByTestId('cd-shop').textContent()).toBe((await host.api<{ shopName: string }>('app.info')).body.result!.shopName);

    await page.getByTestId('nav-checkout').click();
    await co.waitReady();
    await co.scanAndWait(COLA.code, 1);
    await co.scanAndWait(WATER.code, 2);
    await root.and(display.locator('[data-phase="cart"]')).waitFor();
    await expect.poll(() => display.getByTestId('cd-lines').textContent()).toContain(WATER.name);
    await expect.poll(() => display.getByTestId('cd-total').textContent()).toBe(formatYuan(COLA.fen + WATER.fen));
  });

  it('the display link opens only the display: no API with its token, no display data without it', async () => {
    const token = new URL(host.displayUrl).hash.replace('#display=', '');
    const api = await fetch(`${host.url}/api/cart.get`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-till-token': token }, body: '{}' });
    expect(api.status).toBe(401);
    expect((await fetch(`${host.url}/display/state`)).status).toBe(401);
    expect((await fetch(`${host.url}/display/state`, { headers: { 'x-display-token': host.token } })).status).toBe(401);
    const state = await fetch(`${host.url}/display/state`, { headers: { 'x-display-token': token } });
    expect(state.status).toBe(200);
    const body = (await state.json()) as { ok: boolean; result: { phase: string; lines: unknown[] } };
    expect(body.result.phase).toBe('cart');
    expect(body.result.lines).toHaveLength(2);
  });

  it('the discount dialog has 9折 / 8折 / 7折 presets; 9折 takes 10 % off the line', async () => {
    await co.line(COLA.name).click();
    await page.keyboard.press('F5');
    const dialog = page.getByTestId('discount-dialog');
    await dialog.waitFor();
    for (const z of ['9', '8', '7']) expect(await page.getByTestId(`discount-preset-${z}`).textContent()).toBe(`${z}折`);
    await page.screenshot({ path: join(shots, 'discount-presets.png') });
    await page.getByTestId('discount-preset-9').click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => co.totalText()).toBe(formatYuan(colaAt9 + WATER.fen));
    expect(await co.line(COLA.name).textContent()).toContain('9折');
  });

  it('the done screen of a split payment lists its tenders (card with its reference, then cash)', async () => {
    const pay = new PaymentPage(page);
    await pay.open();
    await pay.cardTerminal('2.00', 'R12345');
    await page.getByTestId('quick-exact').click();
    await pay.done.waitFor();
    receiptNo = (await pay.receiptNo.textContent())!;
    const rows = await pay.doneTenders.allTextContents();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain(`银行卡 ${formatYuan(200)}`);
    expect(rows[0]).toContain('R12345');
    expect(rows[1]).toContain(`现金 ${formatYuan(colaAt9 + WATER.fen - 200)}`);
    await page.screenshot({ path: join(shots, 'payment-done-split.png') });
    await page.getByTestId('next-customer').click();
    await pay.done.waitFor({ state: 'detached' });
  });

  it('a refund reads 退 ¥2.00, never 退 -¥2.00', async () => {
    const rt = new ReturnsPage(page);
    await rt.open();
    await rt.scanReceipt(receiptNo);
    await rt.line(WATER.name).getByTestId('return-all').click();
    await expect.poll(() => page.getByTestId('refund-preview').textContent()).toBe(`退 ${formatYuan(WATER.fen)}`);
    await page.getByTestId('do-return').click();
    await new ApprovalDialog(page).approve('2222');
    await rt.referenceStep.waitFor();
    expect(await page.getByTestId('refund-reference-amount').textContent()).toBe(`退 ${formatYuan(WATER.fen)}`);
    await rt.confirmCardRefund('R884213');
    await rt.done.waitFor();
    expect(await page.getByTestId('refund-total').textContent()).toBe(`退 ${formatYuan(WATER.fen)}`);
    for (const t of await page.getByTestId('refund-tender').allTextContents()) expect(t).not.toContain('-¥');
    await page.screenshot({ path: join(shots, 'refund-done-sign.png') });
    // The customer display says the refund without a minus either.
    await display.locator('[data-phase="done"]').waitFor();
    expect(await display.locator('.cd-done-sums').textContent()).not.toContain('-¥');
  });
});
