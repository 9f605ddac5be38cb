// 网店同步 → 安全库存 and the counter's online points, in real Chromium against the browser host and
// the Youzan simulator: the shop is connected and the cola mapped by barcode (API, as set-up); a
// manager finds the cola on the 安全库存 tab by its barcode, keeps 2 back from the online shops, sees
// the Youzan figure drop by 2 on screen, and after 立即同步 the fake Youzan shop's stock is 2 lower.
// At 收银 the member 王芳 (linked to her Youzan customer by phone) shows her Youzan points and level
// next to the local member info. The owner enters the Weidian shop in 设置 → 网店平台 (appkey and
// secret, the secret never shown again) and 测试连接 with the Weidian fake works. Screenshots at 1366×768: /work/notes/shots/sync-safety*.png.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WeidianFake } from '../fakes/weidian';
import { YouzanFake } from '../fakes/youzan';
import { launchBrowser, login, scan } from '../support/browser';
import { repoRoot, startHost, type RunningHost } from '../support/till-host';
import { CheckoutPage } from './pages/checkout.page';
import { PlatformSettingsPage, SyncScreenPage } from './pages/sync.page';

const shots = join(repoRoot, 'test-results');
mkdirSync(shots, { recursive: true });
const shot = async (page: Page, name: string) => {
  await page.screenshot({ path: join(shots, `${name}.png`) });
  try {
    mkdirSync('/work/notes/shots', { recursive: true });
    await page.screenshot({ path: join('/work/notes/shots', `${name}.png`) });
  } catch {
    // the notes folder exists only on the team's machine
  }
};

const COLA = '6920000010073'; // 可口可乐 330ml
const YZ_ITEM = '88001';

let host: RunningHost;
let youzan: YouzanFake;
let weidian: WeidianFake;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let cola: { skuId: string; name: string };

async function api<T = any>(name: string, input: unknown = {}): Promise<T> {
  const r = await host.api<T>(name, input);
  if (!r.body.ok) throw new Error(`${name}: ${r.body.error?.code} ${r.body.error?.message}`);
  return r.body.result as T;
}
const youzanFigure = async () => (await api<{ platforms: { platform: string; sellable: number }[] }>('sellable.get', { skuId: cola.skuId })).platforms.find((p) => p.platform === 'youzan')?.sellable;

beforeAll(async () => {
  youzan = await YouzanFake.start();
  weidian = await WeidianFake.start();
  youzan.setStock(YZ_ITEM, null, 999, { title: '可口可乐 330ml 听装', barcode: COLA });
  youzan.members.upsertCustomer({ mobile: '13800000001', name: '王芳', levelName: 'VIP3', points: 500 });
  host = await startHost();
  ({ browser, context } = await launchBrowser());
  page = await context.newPage();
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(host.appUrl);
  await login(page, '张老板', '8888');
  await new CheckoutPage(page).waitReady();
  cola = (await api<{ items: { skuId: string; name: string; barcode: string | null }[] }>('catalog.search', { q: COLA })).items.find((s) => s.barcode === COLA)!;
  const yz = youzan.clientConfig();
  await api('sync.saveSettings', { platform: 'youzan', enabled: true, baseUrl: yz.baseUrl, clientId: yz.clientId, clientSecret: yz.clientSecret, grantId: yz.grantId });
  // The worker lists the shop's items and customers at start; "sync now" until the cola is mapped,
  // its figure is in the shop and 王芳 is linked.
  for (let i = 0; ; i++) {
    await api('sync.now').catch(() => undefined);
    await api('sync.mapping.autoMatch', { platform: 'youzan' }).catch(() => undefined);
    const linked = (await api<{ linked: unknown[] }>('memberLinks.review')).linked.length === 1;
    const figure = await youzanFigure();
    if (linked && figure !== undefined && youzan.getStock(YZ_ITEM, null) === figure) break;
    if (i > 60) throw new Error('the shop never caught up: ' + JSON.stringify(await api('sync.status')));
    await new Promise((r) => setTimeout(r, 500));
  }
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await youzan?.close();
  await weidian?.close();
});

describe('安全库存 and online points e2e against the Youzan simulator', () => {
  it('a manager keeps 2 of the mapped cola back; the screen and then the fake Youzan shop show 2 fewer', async () => {
    const before = youzan.getStock(YZ_ITEM, null)!;
    expect(before).toBe(await youzanFigure());
    expect(before).toBeGreaterThan(2);
    const sync = new SyncScreenPage(page);
    await sync.open();
    await page.getByTestId('sync-tab-safety').click();
    await page.getByTestId('sync-safety').waitFor();
    // A scan while the shop default's number field has the focus finds the item (never typed into
    // the number); one match is picked at once.
    await page.getByTestId('sync-safety-shop-input').click();
    await scan(page, COLA);
    await expect.poll(() => page.getByTestId('sync-safety-search').inputValue()).toBe(COLA);
    expect(await page.getByTestId('sync-safety-shop-input').inputValue()).toBe('0');
    const figures = page.locator(`[data-testid="sync-safety-figures"][data-sku="${cola.skuId}"]`);
    await figures.waitFor();
    const yzSells = figures.getByTestId('sync-safety-sells-youzan');
    await expect.poll(() => yzSells.getAttribute('data-qty')).toBe(String(before));
    await shot(page, 'sync-safety-before');

    await figures.getByTestId('sync-safety-sku-input').fill('2');
    await figures.getByTestId('sync-safety-sku-save').click();
    await expect.poll(() => page.getByTestId('sync-safety-note').textContent()).toContain('已保存');
    await expect.poll(() => yzSells.getAttribute('data-qty')).toBe(String(before - 2));
    expect(await figures.getByTestId('sync-safety-qty').textContent()).toContain('2');
    expect(await figures.getByTestId('sync-safety-qty').textContent()).toContain('本商品');
    await shot(page, 'sync-safety');

    // Every button and number field on the tab is a 44 px target.
    const small = await page
      .locator('[data-testid="sync-safety"] button:visible, [data-testid="sync-safety"] input:visible')
      .evaluateAll((els) => els.filter((e) => e.getBoundingClientRect().height < 44).map((e) => e.outerHTML.slice(0, 80)));
    expect(small).toEqual([]);
    // The old counter PCs' 1024×768: the tab still fits, the chosen item's figures in view.
    await page.setViewportSize({ width: 1024, height: 768 });
    await figures.getByTestId('sync-safety-sku-save').scrollIntoViewIfNeeded();
    expect(await figures.getByTestId('sync-safety-sku-save').isVisible()).toBe(true);
    await shot(page, 'sync-safety-1024');
    await page.setViewportSize({ width: 1366, height: 768 });

    await sync.syncNow();
    await expect.poll(() => youzan.getStock(YZ_ITEM, null), { timeout: 30_000 }).toBe(before - 2);

  });

  it('清除 gives the item back to the shop default; the shop gets the 2 back', async () => {
    const before = youzan.getStock(YZ_ITEM, null)!;
    // 立即同步 was on the status tab: back to 安全库存, the cola by its barcode again.
    await page.getByTestId('sync-tab-safety').click();
    await page.getByTestId('sync-safety-search').fill(COLA);
    const figures = page.locator(`[data-testid="sync-safety-figures"][data-sku="${cola.skuId}"]`);
    await expect.poll(() => figures.getByTestId('sync-safety-qty').textContent()).toContain('本商品');
    await figures.getByTestId('sync-safety-sku-clear').click();
    await expect.poll(() => figures.getByTestId('sync-safety-qty').textContent()).toContain('按全店');
    await new SyncScreenPage(page).syncNow();
    await expect.poll(() => youzan.getStock(YZ_ITEM, null), { timeout: 30_000 }).toBe(before + 2);
  });

  it('at 收银 the member found by phone shows her Youzan points and level next to the local ones', async () => {
    await page.getByTestId('nav-checkout').click();
    const co = new CheckoutPage(page);
    await co.waitReady();
    await page.keyboard.press('F2');
    await page.getByTestId('member-dialog').waitFor();
    for (const d of '13800000001') await page.locator(`[data-testid="member-phone-pad"] [data-key="${d}"]`).click();
    await page.locator('[data-testid="member-phone-pad"] [data-key="Enter"]').click();
    const panel = page.getByTestId('member-panel');
    await panel.waitFor();
    expect(await panel.textContent()).toContain('王芳');
    const online = panel.getByTestId('member-online-youzan');
    await expect.poll(() => online.textContent()).toContain('有赞积分 500');
    expect(await online.textContent()).toContain('VIP3');
    await expect.poll(() => co.focused()).toBe('scan-input');
    await shot(page, 'sync-safety-member');
  });

  it('设置 → 网店平台: the owner enters the Weidian shop like Youzan and Doudian; 测试连接 with the fake works', async () => {
    const settings = new PlatformSettingsPage(page);
    await settings.open();
    await page.getByTestId('platform-weidian').waitFor();
    const wd = weidian.clientConfig();
    // A field checked as typed: a too-short secret is refused before anything is sent.
    await settings.field('weidian', 'secret').fill('short');
    await expect.poll(() => page.getByTestId('platform-weidian').textContent()).toContain('secret至少 8 位');
    await settings.save('weidian', { baseUrl: wd.baseUrl, appKey: wd.appKey, secret: wd.secret });
    expect(await settings.field('weidian', 'secret').inputValue()).toBe('');
    expect(await page.getByTestId('platform-weidian').textContent()).toContain(wd.secret.slice(-4));
    expect(await page.content()).not.toContain(wd.secret);
    expect(await settings.field('weidian', 'complete').textContent()).toContain('设置完整');
    expect(await settings.test('weidian')).toMatch(/正常|成功/);
    await page.getByTestId('platform-weidian').scrollIntoViewIfNeeded();
    await shot(page, 'sync-safety-weidian-settings');
  });

  it('reads English: the 安全库存 tab (names of items and categories are catalog data) and the Weidian panel', async () => {
    const CJK = /[\u4e00-\u9fff]/;
    await page.getByTestId('lang-switch').click();
    expect(await page.getByTestId('platform-weidian').locator('header').textContent()).toMatch(/^Weidian/);
    expect(await page.getByTestId('platform-weidian').locator('label').allTextContents()).not.toContainEqual(expect.stringMatching(CJK));
    const sync = new SyncScreenPage(page);
    await sync.open();
    await page.getByTestId('sync-tab-safety').click();
    await expect.poll(() => page.getByTestId('sync-tab-safety').textContent()).toBe('Safety stock');
    await page.getByTestId('sync-safety-search').fill(COLA);
    const figures = page.locator(`[data-testid="sync-safety-figures"][data-sku="${cola.skuId}"]`);
    await figures.waitFor();
    const tab = page.getByTestId('sync-safety');
    for (const el of [tab.locator('h3'), tab.locator('.sy-help'), tab.locator('button'), figures.locator('dt'), figures.getByTestId('sync-safety-sells-youzan')])
      for (const text of await el.allTextContents()) expect(text).not.toMatch(CJK);
    await shot(page, 'sync-safety-en');
    await page.getByTestId('lang-switch').click();
  });
});
