// English mode is English (issue 12 items 7 and 9): the login screen has a language switch; a wrong
// PIN, a refused scan and the status lights read English (they stayed Chinese: "PIN 错误，还可再试 4
// 次", "商品条码不存在：…", "正常（虚拟打印机）", "未连接网店平台"), translated on screen by error
// and status code while the API keeps its Chinese; screens not built yet say so in the user's words
// (no "Coming with the reports issue") and are left out for roles that cannot use them.
// Screenshots of the English login and of a refusal in English.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEan13 } from '../../shared/barcode';
import { formatYuan, percentOf } from '../../shared/money';
import { demoBarcode } from '../../electron/till/seed';
import { demoItems } from '../../electron/till/demo-catalog';
import { launchBrowser, scan } from '../support/browser';
import { repoRoot, startHost, type RunningHost } from '../support/till-host';
import { ApprovalDialog, CheckoutPage, type PageDoc } from './pages/checkout.page';
import { PaymentPage } from './pages/payment.page';
import { ReturnsPage } from './pages/returns.page';
import { SettingsPage } from './pages/keys.page';
import { LoginPage, StatusBar } from './pages/touch.page';

const shots = join(repoRoot, 'test-results');
mkdirSync(shots, { recursive: true });
const CJK = /[\u4e00-\u9fff]/;
const UNKNOWN = makeEan13('690123456789'); // 6901234567892: a valid EAN-13 the demo shop does not sell
const items = demoItems();
const indexOf = (name: string, spec: string) => items.findIndex((i) => i.name === name && i.spec === spec) + 1;
const COLA = { name: '可口可乐 500ml', code: demoBarcode(indexOf('可口可乐', '500ml')), fen: 350 };
const WATER = { name: '农夫山泉 550ml', code: demoBarcode(indexOf('农夫山泉', '550ml')), fen: 200 };
/** What may stay Chinese on an English screen: product names and units (catalog data), the users' names. */
const DATA = [COLA.name, WATER.name, '小王', '李店长', '张老板', '瓶'];
const chineseLeft = (text: string | null) => DATA.reduce((t, d) => t.split(d).join(''), text ?? '').match(new RegExp(CJK.source + '|[：，（）]', 'g'));

/** The screen at 1366×768 (the test's size) and at 1024×768, both looked at (issue 12 "Must show"). */
async function shootBoth(name: string): Promise<void> {
  await page.screenshot({ path: join(shots, `${name}-1366x768.png`) });
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.screenshot({ path: join(shots, `${name}-1024x768.png`) });
  await page.setViewportSize({ width: 1366, height: 768 });
}

let host: RunningHost;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let login: LoginPage;
let co: CheckoutPage;

beforeAll(async () => {
  host = await startHost();
  ({ browser } = await launchBrowser());
  context = await browser.newContext({ viewport: { width: 1366, height: 768 }, hasTouch: true, locale: 'zh-CN' });
  page = await context.newPage();
  page.on('pageerror', (e) => console.error('pageerror', e));
  login = new LoginPage(page);
  co = new CheckoutPage(page);
  await page.goto(host.appUrl);
  await login.root.waitFor();
});
afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe('English mode', () => {
  it('the login screen switches to English', async () => {
    expect(await login.title.textContent()).toBe('请选择收银员并输入 PIN');
    expect(await login.language.textContent()).toBe('English');
    await login.language.tap();
    await expect.poll(() => login.title.textContent()).toBe('Choose your name and enter your PIN');
    expect(await login.language.textContent()).toBe('中文');
    expect((await login.language.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await shootBoth('english-login');
  });

  it('a wrong PIN is refused in English, with the tries left from the main side', async () => {
    await login.login('小王', '9999');
    await expect.poll(() => login.error.textContent()).toBe('Wrong PIN: 4 tries left.');
    // The API itself still answers in Chinese (logs, integrators).
    const users = (await host.api<{ id: string; name: string }[]>('auth.users')).body.result!;
    const r = await host.api('auth.login', { userId: users.find((u) => u.name === '小王')!.id, pin: '9998' });
    expect(r.body.error).toMatchObject({ code: 'BAD_PIN', message: 'PIN 错误，还可再试 3 次', details: { left: 3 } });
  });

  it('logs in; the status lights read English', async () => {
    await login.login('小王', '1111');
    await co.waitReady();
    const bar = new StatusBar(page);
    await expect.poll(() => bar.printer.textContent()).toContain('OK (virtual)');
    expect(await bar.sync.textContent()).toContain('Not connected');
    for (const l of [bar.printer, bar.sync, page.getByTestId('shift-status')]) expect(await l.textContent()).not.toMatch(CJK);
  });

  it('a refused scan shows an English sentence (the barcode filled in), never the Chinese message', async () => {
    await co.scanInput.waitFor();
    await scan(page, UNKNOWN);
    await expect.poll(() => co.message.textContent()).toContain(`No product has the barcode ${UNKNOWN}.`);
    expect(await co.message.textContent()).not.toMatch(CJK);
    await shootBoth('english-refusal');

    await scan(page, '6920000000001'); // bad check digit
    await expect.poll(() => co.message.textContent()).toContain('6920000000001 has a wrong check digit');
    expect(await co.message.textContent()).not.toMatch(CJK);
  });

  it('every checkout dialog reads English; the manager reads an English summary of what they approve', async () => {
    await co.openShiftIfNeeded();
    // The shift dialog gone and the scan field ready (a key typed before would go to the dialog).
    await page.getByTestId('shift-dialog').waitFor({ state: 'detached' });
    await page.waitForFunction(() => (globalThis as unknown as PageDoc).document.activeElement?.getAttribute('data-testid') === 'scan-input');
    await co.scanAndWait(COLA.code, 1);
    await co.scanAndWait(WATER.code, 2);
    /** Opens a dialog by its key, checks it holds no Chinese but catalog data and names, screenshots it, closes it. */
    const check = async (key: string, testId: string) => {
      await co.line(COLA.name).click();
      await co.key(key);
      const d = page.getByTestId(testId);
      await d.waitFor();
      await page.waitForFunction(() => !(globalThis as unknown as { document: { querySelector(s: string): unknown } }).document.querySelector('[data-ready="no"]'));
      expect(chineseLeft(await d.textContent()), testId).toBeNull();
      await page.screenshot({ path: join(shots, `english-${testId}.png`) });
      await co.key('Escape');
      await d.waitFor({ state: 'detached' });
    };
    await check('F1', 'search-panel');
    await check('F2', 'member-dialog');
    await check('*', 'qty-dialog');
    await check('F6', 'price-dialog');
    await check('F4', 'held-dialog');
    await check('F10', 'void-dialog');
    await check('F7', 'return-screen');

    // 5折 on the cola: above the cashier's limit, so the manager's PIN pad opens.
    await co.line(COLA.name).click();
    await co.key('F5');
    await page.getByTestId('discount-dialog').waitFor();
    expect(chineseLeft(await page.getByTestId('discount-dialog').textContent()), 'discount-dialog').toBeNull();
    await page.screenshot({ path: join(shots, 'english-discount-dialog.png') });
    await page.getByTestId('discount-line').click();
    await page.getByTestId('discount-percent').click();
    await page.getByTestId('discount-input').fill('5');
    await page.getByTestId('discount-input').press('Enter');
    const approval = new ApprovalDialog(page);
    await approval.waitOpen();
    const off = percentOf(COLA.fen, 5000);
    // It was "可口可乐 500ml ×1 5折 −¥1.75" (the main side's Chinese) and "Approve：" with a full-width colon.
    expect(await page.getByTestId('approval-summary').textContent()).toBe(`${COLA.name} ×1 50% off −${formatYuan(off)}`);
    expect(chineseLeft(await approval.root.textContent())).toBeNull();
    expect(await approval.root.locator('.approval-what').textContent()).toMatch(/^Approve: /);
    await page.screenshot({ path: join(shots, 'english-manager-pin.png') });
    await approval.approve('2222');
    const granted = page.getByTestId('approval-granted');
    await expect.poll(() => granted.textContent()).toBe(`李店长 approved: ${COLA.name} ×1 50% off −${formatYuan(off)}`);

    // Payment and its done screen.
    const pay = new PaymentPage(page);
    await pay.open();
    expect(chineseLeft(await pay.root.textContent()), 'payment').toBeNull();
    await page.screenshot({ path: join(shots, 'english-payment.png') });
    await pay.cash('10');
    await page.keyboard.press('Enter');
    await pay.done.waitFor();
    expect(chineseLeft(await pay.done.textContent()), 'payment-done').toBeNull();
    await page.screenshot({ path: join(shots, 'english-payment-done.png') });
    const receiptNo = (await pay.receiptNo.textContent())!;
    await co.key('Escape');
    await pay.done.waitFor({ state: 'detached' });

    // A return of that sale: the manager reads the receipt, the item and the refund in English.
    const rt = new ReturnsPage(page);
    await rt.open();
    await rt.scanReceipt(receiptNo);
    await rt.line(WATER.name).getByTestId('return-plus').click();
    await page.getByTestId('do-return').click();
    await approval.waitOpen();
    expect(await page.getByTestId('approval-summary').textContent()).toBe(`Return on receipt ${receiptNo}: ${WATER.name} ×1, refund ${formatYuan(WATER.fen)}`);
    expect(chineseLeft(await rt.root.textContent()), 'return-screen with a sale').toBeNull();
    await page.screenshot({ path: join(shots, 'english-return-approval.png') });
    await co.key('Escape'); // the manager is not asked after all: nothing returned
    await approval.root.waitFor({ state: 'detached' });
    await co.key('Escape');
    await rt.root.waitFor({ state: 'detached' });
    await co.waitReady();

    // 新建商品 for an unknown barcode, and logging out with a cart (挂单 or 作废).
    await scan(page, UNKNOWN);
    await page.getByTestId('unknown-create').click();
    const create = page.getByTestId('create-dialog');
    await create.waitFor();
    // The category list is the shop's data (饮料, 零食 …): left out; the rest is English.
    const createText = await create.evaluate((el) => {
      type El = { cloneNode(deep: boolean): El; querySelectorAll(s: string): { forEach(f: (o: { remove(): void }) => void): void }; textContent: string | null };
      const copy = (el as unknown as El).cloneNode(true);
      copy.querySelectorAll('option[value]:not([value=""])').forEach((o) => o.remove());
      return copy.textContent;
    });
    expect(chineseLeft(createText), 'create-dialog').toBeNull();
    await page.screenshot({ path: join(shots, 'english-create-dialog.png') });
    await co.key('Escape');
    await create.waitFor({ state: 'detached' });
    await co.scanAndWait(COLA.code, 1);
    await new StatusBar(page).logout.tap();
    const logout = page.getByTestId('logout-dialog');
    await logout.waitFor();
    expect(chineseLeft(await logout.textContent()), 'logout-dialog').toBeNull();
    await page.screenshot({ path: join(shots, 'english-logout-dialog.png') });
    await co.key('Escape');
    await logout.waitFor({ state: 'detached' });
    // Leave the cart empty for the next steps (void before 结算 needs no manager).
    await co.line(COLA.name).click();
    await co.key('F10');
    await page.getByTestId('void-confirm').click();
    await co.waitLines(0);
  });

  it('screens not built yet say so in English, without notes to developers; a cashier does not see 库存/报表', async () => {
    expect(await page.getByTestId('nav-reports').count()).toBe(0);
    expect(await page.getByTestId('nav-inventory').count()).toBe(0);
    // 核销/自提 is built now (screens/pickup): in English, without a Chinese word or a note to developers.
    await page.getByTestId('nav-pickup').tap();
    await expect.poll(() => page.getByTestId('screen-pickup').textContent()).toContain('Self-pickup');
    const screen = (await page.getByTestId('screen-pickup').textContent()) ?? '';
    expect(screen).not.toMatch(/issue|coming with/i);
    expect(chineseLeft(screen)).toBeNull(); // names of people and products are data (a toast may still show one)
    await page.getByTestId('nav-checkout').tap();
    await co.waitReady();
  });

  it('back in Chinese the placeholder reads as a sentence for the user; a manager sees 库存 and 报表', async () => {
    await new StatusBar(page).language.tap();
    await page.getByTestId('nav-members').tap();
    const text = page.getByTestId('placeholder-text');
    await expect.poll(() => text.textContent()).toContain('会员管理暂未开通');
    expect(await text.textContent()).not.toMatch(/需求|实现/);
    await page.getByTestId('placeholder-back').tap();
    await new StatusBar(page).logout.tap();
    await login.login('李店长', '2222');
    await page.getByTestId('nav-reports').waitFor();
    expect(await page.getByTestId('nav-inventory').count()).toBe(1);
  });

  it('设置 → 设备 and its 添加设备 dialog read English for a manager', async () => {
    await new StatusBar(page).language.tap(); // English again
    const settings = new SettingsPage(page);
    await settings.open();
    await settings.addDevice();
    expect(chineseLeft(await settings.deviceForm.textContent()), 'device-form').toBeNull();
    await shootBoth('english-add-device');
    await co.key('Escape');
    await settings.deviceForm.waitFor({ state: 'detached' });
    // The devices list itself: each device's name is the shop's data; its state, kind, driver and buttons are English.
    const words = await settings.root.locator('.dev-row .dev-state, .dev-row .dev-kind, .dev-row .dev-meta, .dev-row button').allTextContents();
    expect(words.length).toBeGreaterThan(3);
    expect(chineseLeft(words.join(' ')), 'devices tab').toBeNull();
  });
});
