// Paying with WeChat Pay in the real UI against the WeChat Pay simulator (tests/fakes/wechat-pay.ts):
// - a scanned payment code that needs the customer's password: the payment screen says
//   请在手机上输入密码 while the simulator holds it USERPAYING, then 已收款 when the customer pays; the sale
//   is paid with the attempt (sales.pay) and the voice line "微信收款 …" is asked of speechSynthesis;
// - a split sale: cash first, then a WeChat code for the rest;
// - a QR shown to the customer (主扫 / Native): the cashier presses 微信 → 出示收款码, the QR on the payment
//   screen decodes to the simulator's code_url, the customer pays it in the simulator, the sale completes.
// The simulator's trades are checked against what the till recorded: one charge per payment, to the fen.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CartPaymentsView } from '../../shared/api/payments';
import { formatYuan } from '../../shared/money';
import { demoBarcode } from '../../electron/till/seed';
import { FakeAlipay } from '../fakes/alipay';
import { makePaymentKeys } from '../fakes/payment-keys';
import { WechatPayFake } from '../fakes/wechat-pay';
import { launchBrowser, login, scan } from '../support/browser';
import { startHost, type RunningHost } from '../support/till-host';
import { CheckoutPage } from './pages/checkout.page';
import { PaymentPage } from './pages/payment.page';

const shots = join(process.cwd(), 'test-results', 'payments');
const COKE_330 = { code: demoBarcode(1), fen: 300 };
const COKE_500 = { code: demoBarcode(2), fen: 350 };
const WECHAT_CODE = '134567890123456789';
const WAIT = { timeout: 30_000, interval: 200 };

let host: RunningHost;
let fake: WechatPayFake;
let alipay: FakeAlipay;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let co: CheckoutPage;
let pay: PaymentPage;

async function api<T = unknown>(name: string, input: unknown = {}): Promise<T> {
  const r = await host.api<T>(name, input);
  if (!r.body.ok) throw new Error(`${name}: ${r.body.error?.code} ${r.body.error?.message}`);
  return r.body.result as T;
}

async function admin(path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${fake.url}${path}`, {
    method: body === undefined ? 'GET' : path === '/__admin/scenario' ? 'PUT' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json().catch(() => null);
}

const root = (attr: string) => page.evaluate((a) => document.documentElement.getAttribute(a), attr);
const spoken = () => page.evaluate(() => (window as unknown as { __spoken: string[] }).__spoken);

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  fake = await WechatPayFake.start();
  const aliKeys = makePaymentKeys();
  alipay = await FakeAlipay.start({ appPublicKeyPem: aliKeys.merchant.publicKeyPem, alipayPrivateKeyPem: aliKeys.platform.privateKeyPem, appId: '2021000000000001' });
  host = await startHost();
  ({ browser, context } = await launchBrowser());
  page = await context.newPage();
  // speechSynthesis with a zh-CN voice that records what it is asked to say.
  await page.addInitScript(() => {
    const said: string[] = [];
    (window as unknown as { __spoken: string[] }).__spoken = said;
    const fakeSynth = {
      getVoices: () => [{ lang: 'zh-CN', name: '中文', localService: true, default: true, voiceURI: 'zh' }],
      speak: (u: SpeechSynthesisUtterance) => said.push(u.text),
      resume() {},
      cancel() {},
      addEventListener() {},
      removeEventListener() {},
    };
    Object.defineProperty(window, 'speechSynthesis', { value: fakeSynth, configurable: true });
  });
  page.on('pageerror', (e) => console.error('pageerror', e));
  await page.goto(host.appUrl);
  await page.locator('[data-ready="login"]').waitFor();

  // The owner points the till at the simulator (as 设置 → 支付 does; that screen has its own e2e).
  await login(page, '张老板', '8888');
  await page.locator('[data-ready="till"]').waitFor();
  const cfg = fake.clientConfig();
  await api('merchant.saveWechat', {
    enabled: true,
    env: 'production',
    baseUrl: fake.url,
    mchid: cfg.mchid,
    appid: cfg.appid,
    merchantSerialNo: cfg.merchantSerialNo,
    merchantPrivateKeyPem: cfg.merchantPrivateKeyPem,
    platformPublicKeyPem: cfg.platformPublicKeyPem,
    platformPublicKeyId: cfg.platformPublicKeyId,
    apiV3Key: 'abcdefghijABCDEFGHIJ0123456789xy',
  });
  await api('merchant.saveAlipay', {
    enabled: true,
    env: 'production',
    baseUrl: alipay.url,
    appId: '2021000000000001',
    appPrivateKeyPem: aliKeys.merchant.privateKeyPem,
    alipayPublicKeyPem: aliKeys.platform.publicKeyPem,
  });
  await page.getByTestId('logout').click();
  await page.locator('[data-ready="login"]').waitFor();
  await login(page, '小王', '1111');
  co = new CheckoutPage(page);
  pay = new PaymentPage(page);
  await co.waitReady();
  await co.openShiftIfNeeded('200');
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await fake?.close();
  await alipay?.close();
});

type FakeTradeRow = { outTradeNo: string; state?: string; tradeState?: string; amountFen: number; charges?: unknown[] };
async function trades(): Promise<FakeTradeRow[]> {
  const r = (await admin('/__admin/trades')) as FakeTradeRow[] | { trades: FakeTradeRow[] };
  return Array.isArray(r) ? r : r.trades;
}

async function nextCustomer() {
  await page.getByTestId('next-customer').click();
  await pay.done.waitFor({ state: 'detached' });
}

describe('payments e2e: WeChat Pay on the payment screen', () => {
  it('a code that needs the password: 请在手机上输入密码, then 已收款, the sale paid and 微信收款 said', async () => {
    const display = await context.newPage();
    await display.goto(host.displayUrl);
    await display.getByTestId('customer-display').waitFor();
    await co.scanAndWait(COKE_330.code, 1);
    await co.scanAndWait(COKE_500.code, 2);
    await pay.open();
    const due = COKE_330.fen + COKE_500.fen;
    await admin('/__admin/scenario', { rules: [{ op: 'codepay', outcome: 'USERPAYING' }] });
    await scan(page, WECHAT_CODE);
    const words = page.getByTestId('wallet-words');
    await expect.poll(() => words.textContent(), WAIT).toBe('请在手机上输入密码');
    expect(await page.getByTestId('wallet-status').textContent()).toContain('1345**********6789');
    expect(await page.getByTestId('wallet-status').textContent()).not.toContain(WECHAT_CODE);
    // While it runs nothing else may be paid: the other tender buttons are off.
    expect(await page.getByTestId('tender-alipay').isDisabled()).toBe(true);
    await page.screenshot({ path: join(shots, 'pay-code-userpaying.png') });
    // The customer sees it too.
    await expect.poll(() => display.getByTestId('cd-code-wait').textContent(), WAIT).toBe(`微信支付 ${formatYuan(due)}：请在手机上输入密码`);
    await display.screenshot({ path: join(shots, 'display-code-wait.png') });
    await display.close();

    const pending = (await api<CartPaymentsView>('payments.forCart')).pending!;
    expect(pending.state).toBe('USERPAYING');
    await admin('/__admin/pay', { out_trade_no: pending.outTradeNo, result: 'SUCCESS' });
    await pay.done.waitFor({ timeout: 30_000 });
    expect(await pay.doneTenders.allTextContents()).toEqual([`微信 ${formatYuan(due)}`]);
    await expect.poll(() => root('data-last-voice'), WAIT).toBe(`微信收款 ${(due / 100).toFixed(2)} 元`);
    expect(await spoken()).toEqual([`微信收款 ${(due / 100).toFixed(2)} 元`]);
    await page.screenshot({ path: join(shots, 'pay-code-done.png') });

    const t = (await trades()).filter((x) => x.outTradeNo === pending.outTradeNo);
    expect(t.length).toBe(1);
    expect(t[0].amountFen).toBe(due);
    await nextCustomer();
  });

  it('远程收款: a 30-minute QR made into a poster (PNG saved, its QR the code_url), paid in the simulator, the sale completes', async () => {
    await co.scanAndWait(COKE_500.code, 1);
    await pay.open();
    await page.getByTestId('tender-wechat').click();
    const before = Date.now();
    await page.getByTestId('wallet-remote').click();
    await page.locator('[data-testid="wallet-qr"] svg').waitFor(WAIT);
    const pending = (await api<CartPaymentsView>('payments.forCart')).pending!;
    expect(pending.expiresAt! - before).toBeGreaterThan(29 * 60_000);
    await page.getByTestId('wallet-poster').click();
    const img = page.getByTestId('poster-img');
    await img.waitFor(WAIT);
    const src = (await img.getAttribute('src'))!;
    const poster = PNG.sync.read(Buffer.from(src.replace(/^data:image\/png;base64,/, ''), 'base64'));
    expect(poster.width).toBe(750);
    expect(jsQR(new Uint8ClampedArray(poster.data.buffer, poster.data.byteOffset, poster.data.length), poster.width, poster.height)?.data).toBe(pending.codeUrl);
    const path = (await page.getByTestId('poster-path').textContent())!.replace(/^已保存：/, '');
    expect(path).toContain(join(host.dataDir, 'exports', 'posters'));
    expect(existsSync(path)).toBe(true);
    await page.screenshot({ path: join(shots, 'pay-poster.png') });
    await page.getByTestId('poster-close').click();
    await admin('/__admin/pay', { out_trade_no: pending.outTradeNo, result: 'SUCCESS' });
    await pay.done.waitFor({ timeout: 30_000 });
    expect(await pay.doneTenders.allTextContents()).toEqual([`微信 ${formatYuan(COKE_500.fen)}`]);
    await nextCustomer();
  });

  it('an Alipay code: 已收款, the sale paid and 支付宝收款 said', async () => {
    await co.scanAndWait(COKE_330.code, 1);
    await pay.open();
    await scan(page, '281234567890123456');
    await pay.done.waitFor({ timeout: 30_000 });
    expect(await pay.doneTenders.allTextContents()).toEqual([`支付宝 ${formatYuan(COKE_330.fen)}`]);
    await expect.poll(() => root('data-last-voice'), WAIT).toBe('支付宝收款 3.00 元');
    await nextCustomer();
  });

  it('a split sale: cash first, then a WeChat code for the rest', async () => {
    await co.scanAndWait(COKE_500.code, 1);
    await co.scanAndWait(COKE_500.code, 1); // merged: ×2, ¥7.00
    await pay.open();
    await pay.cash('2');
    await page.keyboard.press('Enter');
    await expect.poll(() => pay.tenders.count()).toBe(1);
    await admin('/__admin/scenario', { rules: [{ op: 'codepay', outcome: 'SUCCESS' }] });
    await scan(page, '104567890123456780');
    await pay.done.waitFor({ timeout: 30_000 });
    expect(await pay.doneTenders.allTextContents()).toEqual([`现金 ${formatYuan(200)}`, `微信 ${formatYuan(500)}`]);
    await expect.poll(() => root('data-last-voice'), WAIT).toBe('微信收款 5.00 元');
    await nextCustomer();
  });

  it('a QR shown to the customer (Native): 出示收款码, large on the customer display, the customer pays it, the sale completes', async () => {
    const display = await context.newPage();
    await display.setViewportSize({ width: 1024, height: 600 });
    await display.goto(host.displayUrl);
    await display.getByTestId('customer-display').waitFor();
    await co.scanAndWait(COKE_330.code, 1);
    await pay.open();
    await page.getByTestId('tender-wechat').click();
    await page.getByTestId('wallet-show-qr').click();
    const qr = page.getByTestId('wallet-qr');
    await qr.locator('svg').waitFor(WAIT);
    expect(await page.getByTestId('wallet-words').textContent()).toBe('请顾客扫码支付');
    const png = PNG.sync.read(await qr.screenshot());
    const url = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height)?.data;
    const pending = (await api<CartPaymentsView>('payments.forCart')).pending!;
    expect(pending.kind).toBe('qr');
    expect(url).toBe(pending.codeUrl);
    await page.screenshot({ path: join(shots, 'pay-qr-shown.png') });
    // The customer display shows the same QR full-screen, with the amount and which app to scan with.
    await expect.poll(() => display.getByTestId('payment-qr').getAttribute('data-code-url'), WAIT).toBe(pending.codeUrl);
    await display.locator('[data-testid="payment-qr-code"] svg').waitFor();
    expect(await display.getByTestId('payment-qr-amount').textContent()).toBe(formatYuan(COKE_330.fen));
    expect(await display.getByTestId('payment-qr-scan').textContent()).toBe('请用微信扫码支付');
    const big = PNG.sync.read(await display.getByTestId('payment-qr-code').screenshot());
    expect(jsQR(new Uint8ClampedArray(big.data.buffer, big.data.byteOffset, big.data.length), big.width, big.height)?.data).toBe(pending.codeUrl);
    await display.screenshot({ path: join(shots, 'display-qr-live-1024x600.png') });
    await admin('/__admin/pay', { out_trade_no: pending.outTradeNo, result: 'SUCCESS' });
    await pay.done.waitFor({ timeout: 30_000 });
    expect(await pay.doneTenders.allTextContents()).toEqual([`微信 ${formatYuan(COKE_330.fen)}`]);
    // Paid: the display thanks the customer instead of showing the QR.
    await expect.poll(() => display.getByTestId('customer-display').getAttribute('data-phase'), WAIT).toBe('done');
    await display.close();
    await nextCustomer();
  });
});
