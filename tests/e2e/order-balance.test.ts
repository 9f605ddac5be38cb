// 货到付款 / 尾款 in real Chromium against the browser host, the Youzan simulator and the WeChat Pay
// simulator: a Youzan order with an unpaid balance (placed through the fake's control endpoint) is synced
// into the till; the cashier opens it in 聚合订单, taps 收尾款, scans the customer's WeChat payment code
// (keyboard-wedge scan); the simulator is charged the balance once, the order's balance becomes 0 and
// it says 请在网店后台确认收款 (no platform API marks it paid). The Z preview carries it by tender.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WechatPayFake } from '../fakes/wechat-pay';
import { YouzanFake } from '../fakes/youzan';
import { launchBrowser, login, scan } from '../support/browser';
import { repoRoot, startHost, type RunningHost } from '../support/till-host';
import { CheckoutPage } from './pages/checkout.page';
import { OrdersPage } from './pages/sync.page';

const shots = join(repoRoot, 'test-results');
mkdirSync(shots, { recursive: true });
const COLA = '6920000010073';
const YZ_A = '88001';
const WECHAT_CODE = '134567890123456700';

let youzan: YouzanFake;
let wechat: WechatPayFake;
let host: RunningHost;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let tid: string;

async function api<T = any>(name: string, input: unknown = {}): Promise<T> {
  const r = await host.api<T>(name, input);
  if (!r.body.ok) throw new Error(`${name}: ${r.body.error?.code} ${r.body.error?.message}`);
  return r.body.result as T;
}
const skuOf = async (barcode: string) => (await api<{ items: { skuId: string; barcode: string | null }[] }>('catalog.search', { q: barcode })).items.find((s) => s.barcode === barcode)!.skuId;

beforeAll(async () => {
  youzan = await YouzanFake.start();
  wechat = await WechatPayFake.start();
  youzan.setStock(YZ_A, null, 100, { title: '可口可乐 330ml', barcode: COLA });
  host = await startHost();
  ({ browser, context } = await launchBrowser());
  page = await context.newPage();
  await page.setViewportSize({ width: 1366, height: 768 });
  page.on('pageerror', (e) => console.error('pageerror', e));
  await page.goto(host.appUrl);
  await login(page, '张老板', '8888');
  await new CheckoutPage(page).waitReady();
  const cfg = wechat.clientConfig();
  await api('merchant.saveWechat', {
    enabled: true, env: 'production', baseUrl: wechat.url, mchid: cfg.mchid, appid: cfg.appid, merchantSerialNo: cfg.merchantSerialNo,
    merchantPrivateKeyPem: cfg.merchantPrivateKeyPem, platformPublicKeyPem: cfg.platformPublicKeyPem, platformPublicKeyId: cfg.platformPublicKeyId,
    apiV3Key: 'abcdefghijABCDEFGHIJ0123456789xy',
  });
  const y = youzan.clientConfig();
  await api('sync.saveSettings', { platform: 'youzan', enabled: false, baseUrl: y.baseUrl, clientId: y.clientId, clientSecret: y.clientSecret, grantId: y.grantId });
  await api('sync.mapping.link', { skuId: await skuOf(COLA), platform: 'youzan', itemId: YZ_A, platformSkuId: null });
  // The customer orders 货到付款 in the Youzan shop: ¥3.00 paid online, ¥25.80 to pay at the shop.
  const res = await fetch(`${youzan.url}/__admin/orders`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ items: [{ itemId: YZ_A, skuId: null, num: 2 }], payment: '3.00', balanceDue: '25.80', expressType: 1, buyerPhone: '13900004321' }),
  });
  tid = ((await res.json()) as { trade: { tid: string } }).trade.tid;
  await api('sync.saveSettings', { platform: 'youzan', enabled: true });
  await page.getByTestId('logout').click();
  await page.locator('[data-ready="login"]').waitFor();
  await login(page, '小王', '1111');
  await page.locator('[data-ready="till"]').waitFor();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await youzan?.close();
  await wechat?.close();
});

describe('尾款 at the counter', () => {
  it('a COD balance paid by scanning the customer WeChat code', async () => {
    const orders = new OrdersPage(page);
    await orders.open();
    await expect
      .poll(
        async () => {
          if (await orders.row(tid).count()) return true;
          await orders.refresh();
          return false;
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(true);
    await orders.row(tid).click();
    await page.getByTestId('order-balance-due').waitFor();
    await page.getByTestId('order-balance-take').click();
    const dialog = page.getByTestId('order-balance-dialog');
    await dialog.waitFor();
    await expect.poll(() => page.getByTestId('order-balance-amount').textContent()).toBe('¥25.80');
    await page.screenshot({ path: join(shots, 'order-balance-dialog.png') });

    await scan(page, WECHAT_CODE);
    await dialog.waitFor({ state: 'detached', timeout: 20_000 });
    await expect.poll(() => page.getByTestId('order-balance-paid').textContent(), { timeout: 10_000 }).toContain('请在网店后台确认收款');
    expect(await page.getByTestId('order-balance-paid').textContent()).toContain('¥25.80');
    // The detail reloads after the payment: the due line goes once that answer is in.
    await expect.poll(() => page.getByTestId('order-balance-due').count()).toBe(0);
    await page.screenshot({ path: join(shots, 'order-balance-paid.png') });

    // The simulator charged the balance once, with the scanned code.
    const charged = wechat.listTrades().filter((x) => x.amountFen === 2580);
    expect(charged).toHaveLength(1);
    expect(charged[0].authCode).toBe(WECHAT_CODE);
    // The order's record: balance 0; the day's figures carry it by tender (manager's Z preview).
    const list = await api<{ items: { platformOrderId: string; balanceDueFen: number; paymentState: string }[] }>('orders.list', { q: tid });
    expect(list.items[0]).toMatchObject({ balanceDueFen: 0, paymentState: 'paid_online' });
    await page.getByTestId('logout').click();
    await page.locator('[data-ready="login"]').waitFor();
    await login(page, '李店长', '2222');
    await page.locator('[data-ready="till"]').waitFor();
    const day = (await api<{ businessDay: string }>('day.status')).businessDay;
    const z = await api<{ onlineBalances: { method: string; amountFen: number; count: number }[] }>('day.preview', { businessDay: day });
    expect(z.onlineBalances).toEqual([{ method: 'wechat', label: '微信支付', count: 1, amountFen: 2580 }]);
    // …and the 日结 preview on screen shows it.
    await page.getByTestId('nav-shift').click();
    await page.getByTestId('shift-tab-day').click();
    await page.getByTestId(`day-pick-${day}`).click();
    await page.getByTestId('day-report').waitFor();
    await expect.poll(() => page.getByTestId('z-balance').textContent()).toMatch(/网店尾款 · 微信 1笔.*¥25\.80/);
    await page.getByTestId('z-online').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'order-balance-z.png') });
  });
});
