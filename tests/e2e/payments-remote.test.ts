// 远程收款 and 原路退回 in real Chromium against the browser host, the WeChat Pay simulator and a fake ESC/POS
// network printer:
// - a held cart (挂单) gets a payment request from the held-cart dialog: its poster opens, its QR decodes to
//   the simulator's code_url; the customer pays in the simulator (its control endpoint); the till's main
//   side polls, the held cart becomes a completed sale paid by that attempt, the dialog's list says so,
//   and the sale's receipt reaches the printer;
// - a sale paid by a WeChat code, then one line returned: the refund goes back to WeChat (the simulator
//   holds a partial refund of that line), and the return receipt decoded from the printer says 原路退回微信.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentRequestView } from '../../shared/api/payments';
import { formatYuan } from '../../shared/money';
import { demoBarcode } from '../../electron/till/seed';
import { FakePrinter, type FakeJob } from '../fakes/fake-printer';
import { WechatPayFake } from '../fakes/wechat-pay';
import { launchBrowser, login, scan } from '../support/browser';
import { startHost, type RunningHost } from '../support/till-host';
import { ApprovalDialog, CheckoutPage } from './pages/checkout.page';
import { PaymentPage } from './pages/payment.page';
import { ReturnsPage } from './pages/returns.page';

const shots = join(process.cwd(), 'test-results', 'payments');
const COKE_330 = { code: demoBarcode(1), fen: 300 };
const COKE_500 = { code: demoBarcode(2), fen: 350 };
const WAIT = { timeout: 40_000, interval: 250 };

let host: RunningHost;
let fake: WechatPayFake;
let printer: FakePrinter;
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

/** The printed job whose decoded lines contain every one of `texts` (waits for it). */
async function printed(...texts: string[]): Promise<string[]> {
  let job: FakeJob | undefined;
  await expect
    .poll(() => (job = printer.jobs().find((j) => texts.every((x) => j.decoded.lines.some((l) => l.text.includes(x))))), WAIT)
    .toBeTruthy();
  expect(job!.decoded.errors).toEqual([]);
  return job!.decoded.lines.map((l) => l.text);
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  fake = await WechatPayFake.start();
  printer = await FakePrinter.start();
  host = await startHost({
    env: {
      TILL_DEVICES_JSON: JSON.stringify([
        { id: 'front', name: '前台小票机', kind: 'printer', enabled: true, driver: { type: 'network', host: '127.0.0.1', port: printer.port }, roles: ['receipt'], paper: 58, drawerPin: 2 },
      ]),
    },
  });
  ({ browser, context } = await launchBrowser());
  page = await context.newPage();
  page.on('pageerror', (e) => console.error('pageerror', e));
  await page.goto(host.appUrl);
  await page.locator('[data-ready="login"]').waitFor();
  // The owner points the till at the simulator (设置 → 支付 has its own e2e).
  await login(page, '张老板', '8888');
  await page.locator('[data-ready="till"]').waitFor();
  const cfg = fake.clientConfig();
  await api('merchant.saveWechat', {
    enabled: true, env: 'production', baseUrl: fake.url, mchid: cfg.mchid, appid: cfg.appid, merchantSerialNo: cfg.merchantSerialNo,
    merchantPrivateKeyPem: cfg.merchantPrivateKeyPem, platformPublicKeyPem: cfg.platformPublicKeyPem, platformPublicKeyId: cfg.platformPublicKeyId,
    apiV3Key: 'abcdefghijABCDEFGHIJ0123456789xy',
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
  await printer?.close();
});

describe('payments e2e: 远程收款 for a held cart', () => {
  it('a poster for a held cart, paid in the simulator: the held cart becomes a sale, the list says so, the receipt prints', async () => {
    await co.scanAndWait(COKE_330.code, 1);
    await co.scanAndWait(COKE_500.code, 2);
    const due = COKE_330.fen + COKE_500.fen;
    await page.keyboard.press('F3'); // 挂单
    await co.waitLines(0);
    const held = await co.openHeld();
    expect(await held.count()).toBe(1);
    await page.getByTestId('remote-wechat').first().click();

    // The poster opens at once; its QR is the simulator's code_url of this request.
    const img = page.getByTestId('poster-img');
    await img.waitFor(WAIT);
    const [req] = await api<PaymentRequestView[]>('payments.requests', { openOnly: true });
    expect(req.attempt).toMatchObject({ kind: 'remote', amountFen: due, state: 'USERPAYING' });
    const src = (await img.getAttribute('src'))!;
    const poster = PNG.sync.read(Buffer.from(src.replace(/^data:image\/png;base64,/, ''), 'base64'));
    expect(jsQR(new Uint8ClampedArray(poster.data.buffer, poster.data.byteOffset, poster.data.length), poster.width, poster.height)?.data).toBe(req.attempt.codeUrl);
    await page.screenshot({ path: join(shots, 'remote-held-poster.png') });
    await page.getByTestId('poster-close').click();

    // The list in the held-cart dialog shows it waiting.
    const row = page.getByTestId('remote-request').first();
    await expect.poll(() => row.getAttribute('data-state'), WAIT).toBe('USERPAYING');
    expect(await row.getByTestId('remote-words').textContent()).toMatch(/^等待顾客扫码付款/);
    await page.screenshot({ path: join(shots, 'remote-held-waiting.png') });

    // The customer pays in the simulator; nobody touches the till.
    await admin('/__admin/pay', { out_trade_no: req.attempt.outTradeNo, result: 'SUCCESS' });
    await expect.poll(() => row.getAttribute('data-outcome'), WAIT).toBe('sale');
    const words = (await row.getByTestId('remote-words').textContent())!;
    expect(words).toMatch(/^已收款（微信），挂单已结账，小票 \S+/);
    await expect.poll(() => held.count(), WAIT).toBe(0);
    await page.screenshot({ path: join(shots, 'remote-held-paid.png') });

    const [done] = await api<PaymentRequestView[]>('payments.requests');
    expect(done.attempt.saleId).toBe(done.saleId);
    const receipt = await printed(done.receiptNo!, '微信');
    expect(receipt.join('\n')).toContain((due / 100).toFixed(2));
    const t = ((await admin('/__admin/trades')) as { trades?: { outTradeNo: string; charges: unknown[] }[] } | { outTradeNo: string; charges: unknown[] }[]);
    const list = Array.isArray(t) ? t : t.trades!;
    expect(list.filter((x) => x.outTradeNo === req.attempt.outTradeNo).map((x) => x.charges.length)).toEqual([1]);
    await page.keyboard.press('Escape');
  });
});

describe('payments e2e: a partial refund back to WeChat', () => {
  it('one line of a WeChat sale returned: refunded to WeChat in the simulator, the return receipt says 原路退回微信', async () => {
    await co.scanAndWait(COKE_330.code, 1);
    await co.scanAndWait(COKE_500.code, 2);
    await pay.open();
    await admin('/__admin/scenario', { rules: [{ op: 'codepay', outcome: 'SUCCESS' }] });
    await scan(page, '134567890123450001');
    await pay.done.waitFor({ timeout: 30_000 });
    const receiptNo = (await pay.receiptNo.textContent()) ?? '';
    expect(receiptNo).not.toBe('');
    await page.keyboard.press('Enter');
    await pay.done.waitFor({ state: 'detached' });
    await co.waitLines(0);

    const rt = new ReturnsPage(page);
    await rt.open();
    await rt.scanReceipt(receiptNo);
    await rt.line('可口可乐 500ml').getByTestId('return-all').click();
    await expect.poll(() => page.getByTestId('refund-split').textContent(), WAIT).toContain(`微信 ${formatYuan(COKE_500.fen)}`);
    await page.getByTestId('do-return').click();
    await new ApprovalDialog(page).approve('2222');
    await rt.done.waitFor(WAIT);
    expect(await page.getByTestId('refund-total').textContent()).toBe(`退 ${formatYuan(COKE_500.fen)}`);
    await page.screenshot({ path: join(shots, 'refund-wechat-done.png') });

    // The simulator holds one refund of that line on the original trade, nothing more.
    const t = ((await admin('/__admin/trades')) as { trades?: { amountFen: number; refunds: { amountFen: number }[] }[] } | { amountFen: number; refunds: { amountFen: number }[] }[]);
    const list = Array.isArray(t) ? t : t.trades!;
    const trade = list.find((x) => x.amountFen === COKE_330.fen + COKE_500.fen && x.refunds?.length)!;
    expect(trade.refunds.map((r) => r.amountFen)).toEqual([COKE_500.fen]);

    // The return receipt, decoded from the printer's bytes, says where the money went.
    const lines = await printed('原路退回微信');
    const refundLine = lines.find((l) => l.includes('原路退回微信'))!;
    expect(refundLine).toContain((COKE_500.fen / 100).toFixed(2));
    expect(lines.some((l) => l.includes(receiptNo))).toBe(true); // it names the original sale
    await page.keyboard.press('Escape');
    await rt.root.waitFor({ state: 'detached' });
  });
});
