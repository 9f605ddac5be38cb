// 核销/自提 in real Chromium against the browser host and the Youzan, Douyin 来客 and Meituan simulators
// with a fake ESC/POS printer (the must-show, in its order): a Youzan self-pickup order placed
// in the fake through its control endpoint and synced into the till is scanned by staff on 核销/自提; two
// of its three pieces are handed over and the pickup slip is printed (decoded from the fake printer),
// the third later, which verifies the code on Youzan; the used code is then refused with its reason. A
// second order's pickup code scanned at 收银 opens its hand-over in a dialog there.
// A Meituan voucher (a 12-digit code: the cashier picks 美团团购券) scanned at 收银 with an add-on item,
// the difference paid in cash, the voucher its own tender line. A Douyin voucher redeemed by scanning
// its QR at 收银 and another by typing its code, one undone by the manager in the redemption log.
// Screenshots of the pickup screen and the redemption dialog at 1366×768 (and the screen at 1024×768).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DouyinLifeFake } from '../fakes/douyin-life';
import { FakePrinter, type FakeJob } from '../fakes/fake-printer';
import { MeituanFake } from '../fakes/meituan';
import { YouzanFake } from '../fakes/youzan';
import { launchBrowser, login, scan } from '../support/browser';
import { repoRoot, startHost, type RunningHost } from '../support/till-host';
import { CheckoutPage } from './pages/checkout.page';
import { PickupPage, RedeemDialogPage } from './pages/pickup.page';

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
const COLA_BIG = '6920000010141'; // 可口可乐 500ml
const YZ_A = '88001';
const YZ_B = '88002';

let youzan: YouzanFake;
let douyin: DouyinLifeFake;
let meituan: MeituanFake;
let printer: FakePrinter;
let host: RunningHost;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let trade: { tid: string; selfFetchCode: string };
let second: { tid: string; selfFetchCode: string };

async function api<T = any>(name: string, input: unknown = {}): Promise<T> {
  const r = await host.api<T>(name, input);
  if (!r.body.ok) throw new Error(`${name}: ${r.body.error?.code} ${r.body.error?.message}`);
  return r.body.result as T;
}
const skuOf = async (barcode: string) => (await api<{ items: { skuId: string; barcode: string | null }[] }>('catalog.search', { q: barcode })).items.find((s) => s.barcode === barcode)!.skuId;
const stockOf = async (skuId: string) => (await api<{ onHandQty: number }>('sellable.get', { skuId })).onHandQty;

async function printed(text: string, after = 0): Promise<string[]> {
  let job: FakeJob | undefined;
  await expect.poll(() => (job = printer.jobs().slice(after).find((j) => j.decoded.lines.some((l) => l.text.includes(text)))), { timeout: 20_000 }).toBeTruthy();
  expect(job!.decoded.errors).toEqual([]);
  return job!.decoded.lines.map((l) => l.text);
}

async function switchUser(name: string, pin: string): Promise<void> {
  await page.getByTestId('logout').click();
  await page.locator('[data-ready="login"]').waitFor();
  await login(page, name, pin);
  await page.locator('[data-ready="till"]').waitFor(); // the screen stays where the last user left it
}

beforeAll(async () => {
  youzan = await YouzanFake.start();
  douyin = await DouyinLifeFake.start();
  meituan = await MeituanFake.start();
  printer = await FakePrinter.start();
  youzan.setStock(YZ_A, null, 100, { title: '可口可乐 330ml', barcode: COLA });
  youzan.setStock(YZ_B, null, 100, { title: '可口可乐 500ml', barcode: COLA_BIG });
  host = await startHost({
    env: {
      TILL_DEVICES_JSON: JSON.stringify([
        { id: 'front', name: '前台小票机', kind: 'printer', enabled: true, driver: { type: 'network', host: '127.0.0.1', port: printer.port }, roles: ['receipt'], paper: 58 },
      ]),
      TILL_VOUCHERS_JSON: JSON.stringify({
        douyin: { clientKey: douyin.clientKey, clientSecret: douyin.clientSecret, poiId: douyin.poiId, baseUrl: douyin.url, shortLinkBase: douyin.url },
        meituan: { appKey: meituan.appKey, appSecret: meituan.appSecret, session: meituan.session, openShopUuid: meituan.openShopUuid, baseUrl: meituan.url },
      }),
    },
  });
  ({ browser, context } = await launchBrowser());
  page = await context.newPage();
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(host.appUrl);
  await login(page, '张老板', '8888');
  await new CheckoutPage(page).waitReady();
  // The owner joins the Youzan shop and links its two items (the sync screen's own e2e shows it by hand).
  const y = youzan.clientConfig();
  await api('sync.saveSettings', { platform: 'youzan', enabled: false, baseUrl: y.baseUrl, clientId: y.clientId, clientSecret: y.clientSecret, grantId: y.grantId });
  await api('sync.mapping.link', { skuId: await skuOf(COLA), platform: 'youzan', itemId: YZ_A, platformSkuId: null });
  await api('sync.mapping.link', { skuId: await skuOf(COLA_BIG), platform: 'youzan', itemId: YZ_B, platformSkuId: null });
  // The customer orders in the Youzan shop (the fake's control endpoint): 2 × 330ml and 1 × 500ml, 到店自提.
  // Placed before the shop is switched on, so the agent's first order poll brings it (the next is a minute away).
  const res = await fetch(`${youzan.url}/__admin/orders`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ items: [{ itemId: YZ_A, skuId: null, num: 2 }, { itemId: YZ_B, skuId: null, num: 1 }], payment: '9.50', expressType: 1, buyerPhone: '13900001234', receiverName: '陈女士' }),
  });
  trade = (await res.json()).trade as { tid: string; selfFetchCode: string };
  second = youzan.placeOrder([{ itemId: YZ_B, skuId: null, num: 1 }], { payment: '4.50', expressType: 1, buyerPhone: '13700005678' }) as { tid: string; selfFetchCode: string };
  await api('sync.saveSettings', { platform: 'youzan', enabled: true });
  // Staff: the cashier 小王 (the till has no pickup-only role yet), with a shift open for the sale later.
  await switchUser('小王', '1111');
  const status = await api<{ shift: { open: boolean } }>('app.status');
  if (!status.shift.open) await api('shift.open', { openingCashFen: 20_000 });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await Promise.all([youzan?.close(), douyin?.close(), meituan?.close(), printer?.close()]);
});

describe('核销/自提 e2e', () => {
  let code = '';
  let orderNo = '';
  let colaSku = '';
  let bigSku = '';

  it('a Youzan self-pickup order: scanned by staff, two of three pieces handed over with a slip, the third later', async () => {
    code = trade.selfFetchCode;
    orderNo = trade.tid;
    // The next order poll pulls it (立即同步, as the order inbox's button does); a deadline, not a timing check.
    let state: string | undefined;
    for (const end = Date.now() + 75_000; state !== 'reserved' && Date.now() < end; ) {
      const now = await host.api('sync.now');
      state = (await api<{ items: { syncState: string }[] }>('orders.list', { q: orderNo })).items[0]?.syncState;
      if (state !== 'reserved') console.log('order not yet synced', JSON.stringify(now.body).slice(0, 400), JSON.stringify(await api('orders.list', {})).slice(0, 300));
      if (state !== 'reserved') await new Promise((r) => setTimeout(r, 500));
    }
    expect(state).toBe('reserved');
    colaSku = await skuOf(COLA);
    bigSku = await skuOf(COLA_BIG);
    const before = { a: await stockOf(colaSku), b: await stockOf(bigSku) };

    const p = new PickupPage(page);
    await p.open();
    await scan(page, code);
    await p.order.waitFor();
    expect(await page.getByTestId('pickup-order-no').textContent()).toContain(orderNo);
    expect(await p.lines.count()).toBe(2);
    // Two now: the 330ml pair; the 500ml stays for later.
    await p.handNow(1, 0);
    expect(await p.confirm.textContent()).toContain('2');
    await shot(page, 'pickup-screen');
    await p.confirm.click();
    await expect.poll(() => p.result.getAttribute('data-platform')).toBe('partial');
    expect(await p.result.textContent()).toContain('已打印自提小票');
    const slip = await printed(orderNo);
    const joined = slip.join('\n');
    expect(joined).toContain('自提小票');
    expect(joined).toContain('本次交付');
    expect(joined).toMatch(/可口可乐 330ml\s+x2/);
    expect(joined).toContain('待取商品');
    expect(joined).toMatch(/可口可乐 500ml\s+x1/);
    expect(joined).toContain('小王');
    expect(await stockOf(colaSku)).toBe(before.a - 2000);
    expect(await stockOf(bigSku)).toBe(before.b);
    expect(youzan.listTrades().find((t) => t.tid === orderNo)?.selfFetchVerified).toBe(false);

    // Later the customer comes back with the same code for the third piece.
    const jobsBefore = printer.jobs().length;
    await p.input.fill(code);
    await page.getByTestId('pickup-find').click();
    await expect.poll(() => p.line(0).getByTestId('pickup-line-handed').textContent()).toBe('2');
    expect(await p.confirm.textContent()).toContain('1');
    await p.confirm.click();
    await expect.poll(() => p.result.getAttribute('data-platform')).toBe('verified');
    expect(await page.getByTestId('pickup-order-state').textContent()).toContain('已全部取货');
    const slip2 = (await printed(orderNo, jobsBefore)).join('\n');
    expect(slip2).toMatch(/可口可乐 500ml\s+x1/);
    expect(slip2).toContain('已全部取货');
    expect(await stockOf(bigSku)).toBe(before.b - 1000);
    expect(youzan.listTrades().find((t) => t.tid === orderNo)).toMatchObject({ selfFetchVerified: true, status: 'TRADE_SUCCESS' });

    // The same code again: refused with the reason, nothing moves.
    await scan(page, code);
    await expect.poll(() => p.findError.textContent()).toContain('已核销');
    expect(await stockOf(colaSku)).toBe(before.a - 2000);
  }, 150_000);

  it('a pickup code scanned at 收银 opens the hand-over there, without changing screens', async () => {
    await page.getByTestId('nav-checkout').click();
    await new CheckoutPage(page).waitReady();
    const big = await stockOf(bigSku);
    await scan(page, second.selfFetchCode); // 9 digits: no product, no payment code, only a pickup code
    await page.getByTestId('redeem-dialog').getByTestId('pickup-order').waitFor();
    expect(await page.getByTestId('screen-checkout').count()).toBe(1);
    await page.getByTestId('redeem-dialog').getByTestId('pickup-confirm').click();
    await expect.poll(() => page.getByTestId('pickup-result').getAttribute('data-platform')).toBe('verified');
    expect(await stockOf(bigSku)).toBe(big - 1000);
    expect(youzan.listTrades().find((t) => t.tid === second.tid)?.selfFetchVerified).toBe(true);
    await page.getByTestId('redeem-dialog').getByTestId('dialog-close').click();
    await page.getByTestId('redeem-dialog').waitFor({ state: 'detached' });
  }, 60_000);

  it('a Meituan voucher at 收银 with an add-on item, the difference paid in cash', async () => {
    const v = meituan.addVoucher({ title: '可乐双人套餐', unitValueFen: 300 });
    await page.getByTestId('nav-checkout').click();
    const checkout = new CheckoutPage(page);
    await checkout.waitReady();
    await scan(page, v.code); // 12 digits: Meituan or a pickup code — the cashier picks
    const dialog = new RedeemDialogPage(page);
    await page.getByTestId('redeem-which').waitFor();
    await page.getByTestId('redeem-as-meituan').click();
    await dialog.preview.waitFor();
    expect(await page.getByTestId('redeem-title').textContent()).toContain('可乐双人套餐');
    await shot(page, 'pickup-redeem-dialog');
    await dialog.redeem();
    expect(meituan.state().receipts.find((r) => r.code === v.code)?.used).toBe(1);

    // The voucher's item and an add-on, then 结算: the voucher pays ¥3.00 as its own line, cash the rest.
    await expect.poll(() => checkout.focused()).toBe('scan-input'); // the scan field is ready again after the dialog
    await checkout.scanAndWait(COLA, 1);
    await checkout.scanAndWait(COLA_BIG, 2);
    await page.getByTestId('scan-input').focus();
    await page.keyboard.press('End');
    await page.getByTestId('payment').waitFor();
    await expect.poll(() => page.getByTestId('tender-row').first().textContent()).toContain('团购券');
    await page.keyboard.press('Enter'); // exact cash for what is left
    await page.getByTestId('payment-done').waitFor();
    const sale = await printed('团购券');
    expect(sale.some((l) => /团购券.*￥3\.00/.test(l))).toBe(true);
    await page.getByTestId('payment-done').getByTestId('dialog-close').click();
    await page.getByTestId('payment-done').waitFor({ state: 'detached' });
  }, 90_000);

  it('Douyin vouchers: one by scanning its QR at 收银, one typed on 核销/自提; the manager undoes one', async () => {
    const a = douyin.addVoucher({ title: '双人下午茶', unitValueFen: 3990 });
    const b = douyin.addVoucher({ title: '单人咖啡券', unitValueFen: 1500 });
    const dialog = new RedeemDialogPage(page);
    await page.getByTestId('nav-checkout').click();
    await new CheckoutPage(page).waitReady();
    await scan(page, a.url);
    expect(await dialog.preview.getAttribute('data-platform')).toBe('douyin');
    await dialog.redeem();

    const p = new PickupPage(page);
    await p.open('vouchers');
    await page.getByTestId('voucher-input').fill(b.code);
    await page.getByTestId('voucher-verify').click();
    const idB = await dialog.redeem();
    await expect.poll(() => page.getByTestId('cart-voucher').count()).toBe(2);
    // A cashier's 撤销 asks for the manager's PIN on the spot (bound to that redemption); backing out changes nothing.
    await page.getByTestId('cart-voucher').filter({ hasText: '单人咖啡券' }).getByTestId('voucher-undo').click();
    await expect.poll(() => page.getByTestId('approval-action').textContent()).toBe('撤销团购券核销');
    expect(await page.getByTestId('approval-summary').textContent()).toContain('单人咖啡券');
    await page.getByTestId('manager-approval').locator('.dialog-close').click();
    await page.getByTestId('manager-approval').waitFor({ state: 'detached' });
    expect(await api<{ state: string }>('vouchers.get', { id: idB }).then((r) => r.state)).toBe('REDEEMED');
    expect(douyin.state().orders.flatMap((o) => o.certificates).filter((c) => c.state !== 'unused')).toHaveLength(2);

    await switchUser('李店长', '2222');
    await p.open('log');
    const row = page.locator(`[data-testid="voucher-log-row"]`).filter({ hasText: '单人咖啡券' });
    await row.getByTestId('voucher-undo').click();
    await expect.poll(() => row.getAttribute('data-state')).toBe('UNDONE');
    expect(await api<{ state: string }>('vouchers.get', { id: idB }).then((r) => r.state)).toBe('UNDONE');
    expect(douyin.state().orders.find((o) => o.orderId === b.orderId)!.certificates[0].state).toBe('cancelled_back');
    await page.getByTestId('log-export').click();
    await expect.poll(() => page.getByTestId('log-note').textContent()).toContain('已导出');
    await shot(page, 'pickup-log');

    // Every target on the screen is at least 44 px; it fits 1024×768.
    await page.setViewportSize({ width: 1024, height: 768 });
    await p.open('pickup');
    // Found by the last four digits of the customer's phone: collected, nothing left to hand over.
    await p.input.fill('1234');
    await page.getByTestId('pickup-find').click();
    await expect.poll(() => page.getByTestId('pickup-order-state').textContent()).toContain('已全部取货');
    expect(await p.confirm.count()).toBe(0);
    const small = await page.locator('[data-testid="screen-pickup"] button, [data-testid="screen-pickup"] input').evaluateAll((els) =>
      els.filter((e) => (e as HTMLElement).offsetParent && (e as HTMLElement).getBoundingClientRect().height < 44).map((e) => e.outerHTML.slice(0, 80)),
    );
    expect(small).toEqual([]);
    await shot(page, 'pickup-screen-1024');

    // 店员 小刘: the nav offers 核销/自提 only, and it opens by itself; the order is found by phone for them too.
    await switchUser('小刘', '3333');
    await page.getByTestId('screen-pickup').waitFor();
    expect(await page.locator('nav.nav [data-testid^="nav-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))).toEqual(['nav-pickup']);
    await p.input.fill('1234');
    await page.getByTestId('pickup-find').click();
    await expect.poll(() => page.getByTestId('pickup-order-state').textContent()).toContain('已全部取货');
  }, 90_000);
});
