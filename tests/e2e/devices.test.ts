// Devices in the real UI: a fake ESC/POS network printer runs in this test process, the built
// browser host is started with that printer configured (TILL_DEVICES_JSON), and Chromium drives
// 设置 → 设备: the test print reaches the fake and decodes to the Chinese line and the QR; the fake
// reports paper out and the screen (and the status bar) says 缺纸, then 正常 when the paper is back.
// Then the customer display page follows a real cart and cash sale (whose receipt carries the
// drawer kick). Screenshots go to test-results/.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { TEST_LINE, TEST_QR } from '../../electron/devices/test-page';
import { demoBarcode } from '../../electron/till/seed';
import { FakePrinter } from '../fakes/fake-printer';
import { launchBrowser, login } from '../support/browser';
import { startHost, type RunningHost } from '../support/till-host';

let fake: FakePrinter;
let host: RunningHost;
let browser: Browser;
let context: BrowserContext;
let page: Page;

async function api<T = any>(name: string, input: unknown = {}): Promise<T> {
  const r = await host.api<T>(name, input);
  if (!r.body.ok) throw new Error(`${name}: ${r.body.error?.code} ${r.body.error?.message}`);
  return r.body.result as T;
}

beforeAll(async () => {
  fake = await FakePrinter.start();
  host = await startHost({
    env: {
      TILL_DEVICES_JSON: JSON.stringify([
        {
          id: 'front',
          name: '前台小票机',
          kind: 'printer',
          enabled: true,
          driver: { type: 'network', host: '127.0.0.1', port: fake.port },
          roles: ['receipt'],
          paper: 80,
          drawerPin: 2,
        },
      ]),
    },
  });
  ({ browser, context } = await launchBrowser());
  page = await context.newPage();
  await page.goto(host.appUrl);
  await page.locator('[data-ready="login"]').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await fake?.close();
});

describe('devices e2e', () => {
  it('settings → devices: a test print reaches the printer; paper out shows 缺纸, paper back 正常', async () => {
    await login(page, '李店长', '2222');
    await page.locator('[data-ready="till"]').waitFor();
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-devices').click();
    const status = page.getByTestId('device-status-front');
    await status.filter({ hasText: '正常' }).waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('device-front').textContent()).toContain('网络 127.0.0.1:');

    await page.getByTestId('device-print-front').click();
    const [job] = await fake.waitForJobs(1, 15_000);
    const text = job.decoded.lines.map((l) => l.text).join('\n');
    expect(text).toContain(TEST_LINE);
    expect(text).toContain('打印测试');
    expect(job.decoded.qrs.map((q) => q.data)).toEqual([TEST_QR]);
    expect(job.decoded.errors).toEqual([]);
    await expect.poll(() => page.getByTestId('device-result-front').textContent()).toContain('测试页已发送到打印机');

    fake.setPaper('out');
    await status.filter({ hasText: '缺纸' }).waitFor({ timeout: 15_000 });
    // The status bar's printer light follows the real printer.
    await expect.poll(() => page.getByTestId('printer-status').textContent(), { timeout: 15_000 }).toContain('缺纸');
    expect(await page.locator('[data-testid="device-front"] .dev-dot').getAttribute('class')).toContain('error');
    await page.screenshot({ path: 'test-results/devices-settings-paper-out.png' });

    fake.setPaper('ok');
    await status.filter({ hasText: '正常' }).waitFor({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId('printer-status').textContent(), { timeout: 15_000 }).toContain('正常');
    await page.screenshot({ path: 'test-results/devices-settings.png' });

    // The device form on an old 1024×768 counter PC.
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.getByTestId('device-edit-front').click();
    await page.getByTestId('device-form').waitFor();
    expect(await page.getByTestId('device-form-host').inputValue()).toBe('127.0.0.1');
    await page.screenshot({ path: 'test-results/devices-form-1024x768.png' });
    await page.getByTestId('dialog-close').click();
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('the receipt tab draws a live preview that follows the fields', async () => {
    await page.getByTestId('settings-tab-receipt').click();
    const img = page.getByTestId('receipt-preview');
    await img.waitFor({ timeout: 15_000 });
    const first = await img.getAttribute('src');
    expect(first).toMatch(/^data:image\/png;base64,/);
    await page.getByTestId('receipt-footer').fill('多谢光临，下次再来');
    await expect.poll(() => img.getAttribute('src'), { timeout: 15_000 }).not.toBe(first);
    await page.screenshot({ path: 'test-results/devices-receipt-settings.png' });
    await page.getByTestId('receipt-save').click();
    await expect.poll(() => page.getByTestId('receipt-message').textContent()).toContain('已保存');
    expect((await api<{ footer: string }>('receipt.settings')).footer).toBe('多谢光临，下次再来');
  });

  it('the customer display page follows the cart, the payment and the sale (whose receipt kicks the drawer)', async () => {
    const cd = await context.newPage();
    await cd.setViewportSize({ width: 1024, height: 600 });
    await cd.goto(host.displayUrl); // the read-only link 设置 → 设备 → 顾客屏 shows
    const root = cd.getByTestId('customer-display');
    await root.and(cd.locator('[data-phase="idle"]')).waitFor();
    expect(await cd.getByTestId('cd-shop').textContent()).toBe((await api<{ shopName: string }>('app.info')).shopName);
    await cd.screenshot({ path: 'test-results/customer-display-idle.png' });

    await api('shift.open', { openingCashFen: 20_000 });
    await api('cart.scan', { code: demoBarcode(2) });
    await api('cart.scan', { code: demoBarcode(2) });
    await api('cart.scan', { code: demoBarcode(5) });
    await root.and(cd.locator('[data-phase="cart"]')).waitFor();
    const total = (await api<{ priced: { totalFen: number } }>('cart.get')).priced.totalFen;
    await expect.poll(() => cd.getByTestId('cd-total').textContent()).toBe(`¥${(total / 100).toFixed(2)}`);
    expect(await cd.getByTestId('cd-lines').textContent()).toContain('可口可乐 500ml');
    await cd.screenshot({ path: 'test-results/customer-display-cart-1024x600.png' });

    await api('cart.subtotal');
    await root.and(cd.locator('[data-phase="paying"]')).waitFor();
    expect(await cd.getByTestId('cd-qr-slot').isVisible()).toBe(true);
    await cd.setViewportSize({ width: 800, height: 600 });
    await cd.screenshot({ path: 'test-results/customer-display-paying-800x600.png' });

    const paid = Math.ceil(total / 1000) * 1000 + 1000;
    const sale = await api<{ receiptNo: string; changeFen: number }>('sales.pay', {
      requestId: randomUUID(),
      payments: [{ method: 'cash', amountFen: paid }],
    });
    await root.and(cd.locator('[data-phase="done"]')).waitFor();
    expect(await cd.getByTestId('cd-change').textContent()).toBe(`¥${(sale.changeFen / 100).toFixed(2)}`);
    await cd.screenshot({ path: 'test-results/customer-display-done-800x600.png' });

    // The cash sale's receipt reached the printer once, with one drawer kick on pin 2.
    const jobs = await fake.waitForJobs(2, 15_000);
    const receipt = jobs[1];
    expect(receipt.decoded.barcodes.map((b) => b.data)).toEqual([sale.receiptNo]);
    expect(receipt.decoded.drawerKicks.map((k) => k.raw)).toEqual([[0x1b, 0x70, 0x00, 0x19, 0xfa]]);
    await cd.close();

    // The print queue tab lists the sale's receipt as printed.
    await page.getByTestId('settings-tab-queue').click();
    const row = page.getByTestId('print-jobs').locator('tr', { hasText: sale.receiptNo });
    await row.filter({ hasText: '已打印' }).waitFor();
    await page.screenshot({ path: 'test-results/devices-queue.png' });
  });
});

describe('devices e2e: the demo shop (virtual printer)', () => {
  let demo: RunningHost;
  let p: Page;
  beforeAll(async () => {
    demo = await startHost();
    p = await context.newPage();
    await p.goto(demo.appUrl);
    await p.locator('[data-ready="login"]').waitFor();
  });
  afterAll(async () => {
    await p?.close();
    await demo?.stop();
  });

  it('a cash sale prints to the virtual printer and its picture shows in 虚拟打印机; the screen reads in English too', async () => {
    await login(p, '李店长', '2222');
    await p.locator('[data-ready="till"]').waitFor();
    const call = async (name: string, input: unknown = {}) => {
      const r = await demo.api(name, input);
      if (!r.body.ok) throw new Error(`${name}: ${r.body.error?.message}`);
      return r.body.result as any;
    };
    await call('shift.open', { openingCashFen: 10_000 });
    await call('cart.scan', { code: demoBarcode(2) });
    const sale = await call('sales.pay', { requestId: randomUUID(), payments: [{ method: 'cash', amountFen: 1000 }] });
    await p.getByTestId('nav-settings').click();
    await p.getByTestId('settings-tab-virtual').click();
    const item = p.getByTestId('virtual-jobs').locator('li').first();
    await item.locator('img').waitFor({ timeout: 15_000 });
    expect(await item.locator('img').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await item.getByRole('button').click();
    expect(await item.locator('pre').textContent()).toContain(sale.receiptNo);
    await item.getByRole('button').click();
    await p.screenshot({ path: 'test-results/devices-virtual-printer.png' });

    await p.getByTestId('lang-switch').click();
    await p.getByTestId('settings-tab-devices').click();
    await p.getByTestId('device-status-virtual-receipt').filter({ hasText: 'OK' }).waitFor();
    expect(await p.getByTestId('device-virtual-receipt').textContent()).toContain('Virtual printer');
    expect(await p.getByTestId('device-print-virtual-receipt').textContent()).toBe('Test print');
    await p.screenshot({ path: 'test-results/devices-settings-en.png' });
    await p.getByTestId('lang-switch').click();
  });
});
