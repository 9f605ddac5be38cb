// Payments in the real UI, the cashier-facing pieces: the customer display's dynamic QR (主扫) drawn
// large from a 'paying' state with a QR, at the second screens' sizes, decoding back to the code URL;
// and 设置 → 支付 → 收款语音播报: the manager changes the volume and saves (read back through the API),
// 试听 asks the browser's speechSynthesis for "微信收款 12.30 元" with a zh-CN voice at that volume, a PC
// without a Chinese voice gets the shipped recorded clips (the page root's data-last-voice-via says which), and a cashier
// sees the section read-only. speechSynthesis is replaced in the page by a recorder (addInitScript):
// the test cannot hear the speaker, it checks the utterance the till asked for.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerDisplayState } from '../../shared/api/devices';
import type { VoiceSettings } from '../../shared/api/settings';
import { launchBrowser, login } from '../support/browser';
import { startHost, type RunningHost } from '../support/till-host';

const shots = join(process.cwd(), 'test-results', 'payments');
let host: RunningHost;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  host = await startHost();
  ({ browser, context } = await launchBrowser());
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

function payingState(qr: NonNullable<CustomerDisplayState['paying']>['qr']): CustomerDisplayState {
  return {
    phase: 'paying',
    shopName: '小店便利',
    lines: [{ id: 'l1', name: '可口可乐 330ml', qtyText: '×2', unitPriceFen: 300, amountFen: 600, discountFen: 0 }],
    focusLineId: 'l1',
    itemCount: 2,
    originalFen: 600,
    discountFen: 0,
    totalFen: 600,
    member: null,
    paying: { dueFen: 600, qr },
    done: null,
    at: Date.now() + 60_000, // newer than anything the real feed sends while the test runs
  };
}

/** The customer display page with its state answered by `state` (the event stream stays the real one). */
async function displayWith(state: CustomerDisplayState, size: { width: number; height: number }): Promise<Page> {
  const page = await context.newPage();
  await page.setViewportSize(size);
  await page.route('**/display/state', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ok: true, result: state }) }),
  );
  await page.goto(host.displayUrl);
  return page;
}

async function decodeQr(page: Page): Promise<string | null> {
  const png = PNG.sync.read(await page.getByTestId('payment-qr-code').screenshot());
  return jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height)?.data ?? null;
}

describe('payments e2e: the customer display QR', () => {
  for (const size of [
    { width: 800, height: 600 },
    { width: 1024, height: 600 },
  ]) {
    it(`shows a WeChat Native QR large with the amount and 请用微信扫码支付 at ${size.width}×${size.height}`, async () => {
      const codeUrl = 'weixin://wxpay/bizpayurl?pr=e2eQr123';
      const page = await displayWith(payingState({ url: codeUrl, label: '微信', provider: 'wechat', amountFen: 1230, expiresAt: Date.now() + 120_000 }), size);
      const qr = page.getByTestId('payment-qr');
      await qr.waitFor();
      await page.locator('[data-testid="payment-qr-code"] svg').waitFor();
      expect(await page.getByTestId('customer-display').getAttribute('data-phase')).toBe('paying-qr');
      expect(await page.getByTestId('payment-qr-amount').textContent()).toBe('¥12.30');
      expect(await page.getByTestId('payment-qr-scan').textContent()).toBe('请用微信扫码支付');
      expect(await page.getByTestId('payment-qr-expiry').textContent()).toMatch(/^[12]:\d\d 后二维码失效$/);
      // Large: at least half the screen's height, and the whole QR on screen.
      const box = (await page.getByTestId('payment-qr-code').boundingBox())!;
      expect(box.height).toBeGreaterThanOrEqual(size.height / 2);
      expect(box.y + box.height).toBeLessThanOrEqual(size.height);
      const amountBox = (await page.getByTestId('payment-qr-amount').boundingBox())!;
      expect(amountBox.x + amountBox.width).toBeLessThanOrEqual(size.width);
      expect(await decodeQr(page)).toBe(codeUrl);
      await page.screenshot({ path: join(shots, `display-qr-wechat-${size.width}x${size.height}.png`) });
      await page.close();
    });
  }

  it('an Alipay QR given only as { url, label } says 请用支付宝扫码支付 and the amount due; an expired one says so', async () => {
    const codeUrl = 'https://qr.alipay.com/bax00000e2e';
    const page = await displayWith(payingState({ url: codeUrl, label: '支付宝' }), { width: 1024, height: 600 });
    await page.locator('[data-testid="payment-qr-code"] svg').waitFor();
    expect(await page.getByTestId('payment-qr').getAttribute('data-provider')).toBe('alipay');
    expect(await page.getByTestId('payment-qr-scan').textContent()).toBe('请用支付宝扫码支付');
    expect(await page.getByTestId('payment-qr-amount').textContent()).toBe('¥6.00');
    expect(await page.getByTestId('payment-qr-expiry').count()).toBe(0);
    expect(await decodeQr(page)).toBe(codeUrl);
    await page.screenshot({ path: join(shots, 'display-qr-alipay-1024x600.png') });
    await page.close();

    const old = await displayWith(payingState({ url: codeUrl, label: '支付宝', provider: 'alipay', expiresAt: Date.now() - 1000 }), { width: 800, height: 600 });
    await old.getByTestId('payment-qr').waitFor();
    expect(await old.getByTestId('payment-qr-scan').textContent()).toBe('二维码已过期，请向收银员重新获取');
    await old.close();
  });
});

/** A page whose speechSynthesis records what it is asked to say (with or without a zh-CN voice). */
async function tillPage(voices: { lang: string; name: string }[]): Promise<Page> {
  const page = await context.newPage();
  await page.addInitScript((list) => {
    const spoken: { text: string; lang: string; volume: number }[] = [];
    (window as unknown as { __spoken: typeof spoken }).__spoken = spoken;
    const fake = {
      getVoices: () => list.map((v) => ({ ...v, localService: true, default: false, voiceURI: v.name })),
      // volume is a float32 in the utterance: 0.6 reads back as 0.6000000238…
      speak: (u: SpeechSynthesisUtterance) => spoken.push({ text: u.text, lang: u.lang, volume: Math.round(u.volume * 100) / 100 }),
      resume() {},
      cancel() {},
      pause() {},
      addEventListener() {},
      removeEventListener() {},
    };
    Object.defineProperty(window, 'speechSynthesis', { value: fake, configurable: true });
  }, voices);
  page.on('pageerror', (e) => console.error('pageerror', e));
  await page.goto(host.appUrl);
  await page.locator('[data-ready="login"]').waitFor();
  return page;
}

async function openPaymentsTab(page: Page, name: string, pin: string) {
  await login(page, name, pin);
  await page.locator('[data-ready="till"]').waitFor();
  await page.getByTestId('nav-settings').click();
  const tab = page.getByTestId('settings-tab-payments');
  expect(await tab.textContent()).toBe('支付');
  await tab.click();
  await page.locator('[data-testid="voice-settings"][data-loaded="yes"]').waitFor();
}

const spoken = (page: Page) => page.evaluate(() => (window as unknown as { __spoken: { text: string; lang: string; volume: number }[] }).__spoken);
const root = (page: Page, attr: string) => page.evaluate((a) => document.documentElement.getAttribute(a), attr);

describe('payments e2e: 收款语音播报', () => {
  it('the manager sets the volume and saves; 试听 asks for 微信收款 12.30 元 with the zh-CN voice at that volume', async () => {
    const page = await tillPage([
      { lang: 'en-US', name: 'English' },
      { lang: 'zh-CN', name: '中文（普通话）' },
    ]);
    await openPaymentsTab(page, '李店长', '2222');
    expect(await page.getByTestId('voice-readonly').count()).toBe(0);
    expect(await page.getByTestId('voice-enabled').isChecked()).toBe(true);
    expect(await page.getByTestId('voice-volume-value').textContent()).toBe('80%');
    await page.getByTestId('voice-volume').fill('60');
    expect(await page.getByTestId('voice-volume-value').textContent()).toBe('60%');
    await page.getByTestId('voice-save').click();
    await expect.poll(() => page.getByTestId('voice-message').textContent()).toBe('已保存');
    // The till's session is the one logged in on screen: the API reads what was stored.
    const r = await host.api<VoiceSettings>('settings.voice');
    expect(r.body.result).toEqual({ enabled: true, volume: 60 });

    await page.getByTestId('voice-test').click();
    await expect.poll(() => spoken(page)).toEqual([{ text: '微信收款 12.30 元', lang: 'zh-CN', volume: 0.6 }]);
    expect(await root(page, 'data-last-voice')).toBe('微信收款 12.30 元');
    expect(await root(page, 'data-last-voice-via')).toBe('speech');
    expect(await page.getByTestId('voice-heard').textContent()).toBe('已播报：微信收款 12.30 元');
    await page.screenshot({ path: join(shots, 'settings-payments-voice.png') });

    // Switched off and saved: 试听 says nothing.
    await page.getByTestId('voice-enabled').uncheck();
    await page.getByTestId('voice-save').click();
    await expect.poll(() => page.getByTestId('voice-message').textContent()).toBe('已保存');
    await page.getByTestId('voice-test').click();
    await expect.poll(() => page.getByTestId('voice-heard').getAttribute('data-via')).toBe('off');
    expect((await spoken(page)).length).toBe(1);
    // Back on for the next test.
    await page.getByTestId('voice-enabled').check();
    await page.getByTestId('voice-save').click();
    await expect.poll(() => page.getByTestId('voice-message').textContent()).toBe('已保存');
    await page.getByTestId('logout').click(); // the till's session is shared by every page
    await page.locator('[data-ready="login"]').waitFor();
    await page.close();
  });

  it('without a Chinese voice 试听 plays the shipped clips in sequence instead, and a cashier sees the section read-only', async () => {
    const page = await tillPage([{ lang: 'en-US', name: 'English' }]);
    await openPaymentsTab(page, '小王', '1111');
    expect(await page.getByTestId('voice-readonly').textContent()).toBe('修改语音播报需要店长权限，当前只能查看。');
    expect(await page.getByTestId('voice-enabled').isDisabled()).toBe(true);
    expect(await page.getByTestId('voice-save').count()).toBe(0);
    expect(await page.getByTestId('voice-volume-value').textContent()).toBe('60%');
    await page.getByTestId('voice-test').click();
    // The clips (resources/voice, bundled with the renderer) are fetched, decoded and played: 微信收款 十 二 点 三 元.
    await expect.poll(() => root(page, 'data-last-voice-via')).toBe('clips');
    expect(await root(page, 'data-last-voice')).toBe('微信收款 12.30 元');
    expect(await root(page, 'data-last-voice-clips')).toBe('wechat shi d2 dian d3 yuan');
    expect(await spoken(page)).toEqual([]);
    expect(await page.getByTestId('voice-heard').textContent()).toBe('本机没有中文语音，已用内置录音播报（微信收款 12.30 元）');
    await page.getByTestId('logout').click();
    await page.locator('[data-ready="login"]').waitFor();
    await page.close();
  });
});
