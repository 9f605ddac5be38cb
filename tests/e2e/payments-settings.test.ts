// 设置 → 支付 → 商户设置 and 对账 in the real UI, against the WeChat Pay simulator (tests/fakes/wechat-pay.ts):
// the owner types the merchant's numbers, imports the private key and the platform public key from
// files, types the APIv3 key, points the gateway at the simulator and saves: the screen then shows
// only 已设置 with a hint — no key text anywhere on the page — and 测试连接 says 连接正常 in words. A bad
// merchant number is flagged by the shared schema before saving. A manager sees only the owner-only
// note. Then a WeChat code payment taken through the API shows on 对账 (manager), with 查询.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentAttemptView } from '../../shared/api/payments';
import { demoBarcode } from '../../electron/till/seed';
import { WechatPayFake } from '../fakes/wechat-pay';
import { launchBrowser, login } from '../support/browser';
import { startHost, type RunningHost } from '../support/till-host';

const shots = join(process.cwd(), 'test-results', 'payments');
const API_V3_KEY = 'abcdefghijABCDEFGHIJ0123456789xy';
let host: RunningHost;
let fake: WechatPayFake;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let keyDir: string;

async function api<T = unknown>(name: string, input: unknown = {}): Promise<T> {
  const r = await host.api<T>(name, input);
  if (!r.body.ok) throw new Error(`${name}: ${r.body.error?.code} ${r.body.error?.message}`);
  return r.body.result as T;
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  fake = await WechatPayFake.start();
  keyDir = mkdtempSync(join(tmpdir(), 'till-keys-'));
  const cfg = fake.clientConfig();
  writeFileSync(join(keyDir, 'apiclient_key.pem'), cfg.merchantPrivateKeyPem);
  writeFileSync(join(keyDir, 'pub_key.pem'), cfg.platformPublicKeyPem);
  host = await startHost();
  ({ browser, context } = await launchBrowser());
  page = await context.newPage();
  page.on('pageerror', (e) => console.error('pageerror', e));
  await page.goto(host.appUrl);
  await page.locator('[data-ready="login"]').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await fake?.close();
});

async function paymentsTab(name: string, pin: string) {
  await login(page, name, pin);
  await page.locator('[data-ready="till"]').waitFor();
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-tab-payments').click();
}

async function logout() {
  await page.getByTestId('logout').click();
  await page.locator('[data-ready="login"]').waitFor();
}

describe('payments e2e: 商户设置', () => {
  it('the owner sets up WeChat Pay from key files, sees only hints after saving, and 测试连接 says it works', async () => {
    await paymentsTab('张老板', '8888');
    const w = page.getByTestId('merchant-wechat');
    await w.waitFor();
    expect(await page.getByTestId('wechat-complete').textContent()).toMatch(/^还缺：/);
    expect(await page.getByTestId('wechat-merchantPrivateKeyPem-state').textContent()).toBe('未设置');

    const cfg = fake.clientConfig();
    await page.getByTestId('wechat-mchid').fill('12');
    await expect.poll(() => w.getByRole('alert').first().textContent()).toBe('商户号须为 8–12 位数字');
    await page.getByTestId('wechat-save').click();
    await expect.poll(() => page.getByTestId('wechat-message').textContent()).toBe('请先改正标红的项目');
    await page.getByTestId('wechat-mchid').fill(cfg.mchid);
    await page.getByTestId('wechat-appid').fill(cfg.appid);
    await page.getByTestId('wechat-merchantSerialNo').fill(cfg.merchantSerialNo);
    await page.getByTestId('wechat-platformPublicKeyId').fill(cfg.platformPublicKeyId);
    await page.getByTestId('wechat-merchantPrivateKeyPem-file').setInputFiles(join(keyDir, 'apiclient_key.pem'));
    await page.getByTestId('wechat-platformPublicKeyPem-file').setInputFiles(join(keyDir, 'pub_key.pem'));
    await expect.poll(() => page.getByTestId('wechat-merchantPrivateKeyPem-picked').textContent()).toBe('已读取 apiclient_key.pem，保存后生效');
    await page.getByTestId('wechat-apiV3Key').fill(API_V3_KEY);
    await page.getByTestId('wechat-baseUrl').fill(fake.url);
    expect(await page.getByTestId('wechat-enabled-state').textContent()).toBe('收款未启用（勾选“启用收款”并保存）');
    await page.getByTestId('wechat-enabled').check();
    expect(await w.getByRole('alert').count()).toBe(0);
    // 测试连接 tests what is saved: it waits for the save.
    expect(await page.getByTestId('wechat-test').isDisabled()).toBe(true);
    await page.getByTestId('wechat-save').click();
    await expect.poll(() => page.getByTestId('wechat-message').textContent()).toBe('已保存');

    expect(await page.getByTestId('wechat-complete').textContent()).toBe('已配置完整');
    expect(await page.getByTestId('wechat-enabled-state').textContent()).toBe('收款已启用');
    expect(await page.getByTestId('wechat-merchantPrivateKeyPem-state').textContent()).toMatch(/^已设置 \S+/);
    expect(await page.getByTestId('wechat-platformPublicKeyPem-state').textContent()).toMatch(/^已设置 \S+/);
    expect(await page.getByTestId('wechat-apiV3Key-state').textContent()).toBe(`已设置 …${API_V3_KEY.slice(-4)}`);
    expect(await page.getByTestId('wechat-apiV3Key').inputValue()).toBe('');
    expect(await page.getByTestId('wechat-effective').textContent()).toBe(`实际连接：${fake.url}`);
    // No key text on the page, in any field or attribute.
    const html = await page.content();
    const body = (pem: string) => pem.split('\n').find((l) => l.length > 40 && !l.startsWith('-----'))!;
    expect(html).not.toContain(body(cfg.merchantPrivateKeyPem));
    expect(html).not.toContain(body(cfg.platformPublicKeyPem));
    expect(html).not.toContain(API_V3_KEY);

    await page.getByTestId('wechat-test').click();
    await expect.poll(() => page.getByTestId('wechat-test-result').getAttribute('data-ok')).toBe('true');
    expect(await page.getByTestId('wechat-test-result').textContent()).toMatch(/正常/);
    await page.screenshot({ path: join(shots, 'settings-merchant-wechat.png'), fullPage: true });

    // Pointed at a closed port, 测试连接 says why in words.
    await page.getByTestId('wechat-baseUrl').fill('http://127.0.0.1:9');
    await page.getByTestId('wechat-save').click();
    await expect.poll(() => page.getByTestId('wechat-message').textContent()).toBe('已保存');
    await page.getByTestId('wechat-test').click();
    await expect.poll(() => page.getByTestId('wechat-test-result').getAttribute('data-ok')).toBe('false');
    expect(await page.getByTestId('wechat-test-result').textContent()).toMatch(/[\u4e00-\u9fff]/);
    await page.getByTestId('wechat-baseUrl').fill(fake.url);
    await page.getByTestId('wechat-save').click();
    await expect.poll(() => page.getByTestId('wechat-message').textContent()).toBe('已保存');
    await logout();
  });

  it('a manager sees the owner-only note and no merchant fields', async () => {
    await paymentsTab('李店长', '2222');
    await page.getByTestId('merchant-owner-only').waitFor();
    expect(await page.getByTestId('merchant-owner-only').textContent()).toBe('微信支付和支付宝的商户参数只有店主可以查看和修改。');
    expect(await page.getByTestId('merchant-wechat').count()).toBe(0);
    await logout();
  });
});

describe('payments e2e: 对账', () => {
  it('a WeChat code payment shows on the day’s reconciliation with its state and a total', async () => {
    await login(page, '李店长', '2222');
    await page.locator('[data-ready="till"]').waitFor();
    await api('cart.scan', { code: demoBarcode(1) }); // 可口可乐 330ml ¥3.00
    const a = await api<PaymentAttemptView>('payments.codePay', { requestId: randomUUID(), code: '134567890123456789', amountFen: 300 });
    expect(a.provider).toBe('wechat');
    await page.getByTestId('nav-reconcile').click();
    await page.locator('[data-testid="screen-reconcile"][data-ready="yes"]').waitFor();
    const row = page.locator(`[data-testid="recon-row"][data-id="${a.id}"]`);
    await row.waitFor();
    expect(await row.getByTestId('recon-state').textContent()).toBe('已收款');
    expect(await row.getByTestId('recon-issues').textContent()).toBe('已收款未入账');
    expect(await page.getByTestId('recon-total-wechat-SUCCESS').textContent()).toBe('微信 · 已收款1 笔 · ¥3.00');
    await row.getByTestId('recon-query').click();
    await expect.poll(() => page.getByTestId('recon-note').textContent()).toBe(`${a.outTradeNo}：已收款`);
    await page.screenshot({ path: join(shots, 'reconcile.png') });

    // 撤销 a payment no sale took: asked first, then reversed on the platform (it had been paid: refunded).
    fake.advance(20); // WeChat refuses a reverse sooner than 15 s after the charge
    await row.getByTestId('recon-reverse').click();
    await page.getByTestId('recon-reverse-confirm').waitFor();
    expect(await page.getByTestId('recon-reverse-confirm').textContent()).toContain('撤销微信收款 ¥3.00');
    await page.getByTestId('recon-reverse-ok').click();
    await expect.poll(() => page.getByTestId('recon-note').textContent(), { timeout: 30_000 }).toBe(`${a.outTradeNo}：已撤销并退款`);
    await expect.poll(() => row.getByTestId('recon-state').textContent()).toBe('已撤销并退款');
    expect(await row.getByTestId('recon-reverse').count()).toBe(0);
  });
});
