// A cart belongs to its cashier (issue 12 items 5 and 6), in real Chromium against the browser host,
// at the two common counter sizes. Logging out with a cart asks 挂单 or 作废: held, the next user
// (the manager) starts with an empty cart and the cashier recalls theirs after logging in again,
// still 已小计; voided after 结算, the manager's PIN is asked on the spot and the cart is gone.
// 取单 over a cart with items holds it and recalls the other in one step, both carts intact.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoItems } from '../../electron/till/demo-catalog';
import { demoBarcode } from '../../electron/till/seed';
import { launchBrowser, login } from '../support/browser';
import { repoRoot, startHost, type RunningHost } from '../support/till-host';
import { ApprovalDialog, CheckoutPage } from './pages/checkout.page';

const shots = join(repoRoot, 'test-results');
mkdirSync(shots, { recursive: true });

const items = demoItems();
const item = (name: string, spec: string) => {
  const i = items.findIndex((x) => x.name === name && x.spec === spec);
  return { name: `${name} ${spec}`, code: demoBarcode(i + 1) };
};
const WATER = item('农夫山泉', '550ml');
const COLA = item('可口可乐', '500ml');

let host: RunningHost;
let browser: Browser;
let db: Database.Database;

beforeAll(async () => {
  host = await startHost();
  ({ browser } = await launchBrowser());
  db = new Database(join(host.dataDir, 'till.db'), { readonly: true, fileMustExist: true });
});
afterAll(async () => {
  db?.close();
  await browser?.close();
  await host?.stop();
});

const carts = () => db.prepare(`SELECT c.status, u.name AS owner FROM carts c JOIN users u ON u.id = c.user_id ORDER BY c.updated_at`).all() as { status: string; owner: string }[];

async function openPage(context: BrowserContext): Promise<{ page: Page; co: CheckoutPage }> {
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('pageerror', e));
  await page.goto(host.appUrl);
  await page.locator('[data-ready="login"]').waitFor();
  return { page, co: new CheckoutPage(page) };
}

async function loginAs(page: Page, co: CheckoutPage, name: string, pin: string): Promise<void> {
  await page.locator('[data-ready="login"]').waitFor();
  await login(page, name, pin);
  await co.waitReady();
}

for (const [width, height] of [
  [1366, 768],
  [1024, 768],
] as const) {
  describe(`logging out with a cart at ${width}×${height}`, () => {
    let context: BrowserContext;
    let page: Page;
    let co: CheckoutPage;
    beforeAll(async () => {
      context = await browser.newContext({ viewport: { width, height }, locale: 'zh-CN' });
      ({ page, co } = await openPage(context));
    });
    afterAll(async () => {
      await context?.close();
    });

    it('挂单: the cart stays the cashier’s; the manager who logs in next sees an empty cart', async () => {
      await loginAs(page, co, '小王', '1111');
      await co.openShiftIfNeeded('200');
      await co.scanAndWait(WATER.code, 1);
      await co.scanAndWait(COLA.code, 2);
      await page.keyboard.press(' '); // 结算: the cart is subtotalled
      await page.getByTestId('payment').waitFor();
      await page.keyboard.press('Escape');
      await page.getByTestId('subtotaled').waitFor();
      const total = await co.totalText();

      await page.getByTestId('logout').click();
      const ask = page.getByTestId('logout-dialog');
      await ask.waitFor();
      expect(await ask.textContent()).toContain('2 件商品');
      expect(await ask.textContent()).toContain(total);
      for (const id of ['logout-hold', 'logout-void', 'logout-cancel']) {
        const box = await page.getByTestId(id).boundingBox();
        expect(box, id).not.toBeNull();
        expect(box!.height, id).toBeGreaterThanOrEqual(44);
        expect(box!.x + box!.width, id).toBeLessThanOrEqual(width);
      }
      await page.screenshot({ path: join(shots, `logout-ask-${width}x${height}.png`) });
      await page.keyboard.press('Escape'); // backs out: still logged in, cart untouched
      await ask.waitFor({ state: 'detached' });
      expect(await co.lines.count()).toBe(2);

      await page.getByTestId('logout').click();
      await page.getByTestId('logout-hold').click();
      await loginAs(page, co, '李店长', '2222');
      await co.openShiftIfNeeded('200');
      await page.getByTestId('screen-checkout').waitFor();
      expect(await co.lines.count()).toBe(0);
      expect(await co.totalText()).toBe('¥0.00');
      expect(await page.getByTestId('subtotaled').count()).toBe(0);
      await expect.poll(() => page.getByTestId('held-count').textContent()).toContain('1'); // a manager sees every held cart
      expect(carts().filter((c) => c.status === 'held').map((c) => c.owner)).toContain('小王');
      await page.screenshot({ path: join(shots, `logout-next-user-${width}x${height}.png`) });

      await page.getByTestId('logout').click(); // an empty cart: straight out, no question
      await loginAs(page, co, '小王', '1111');
      await (await co.openHeld()).first().click();
      await co.waitLines(2);
      expect(await co.totalText()).toBe(total);
      await page.getByTestId('subtotaled').waitFor(); // still after 结算
    });

    it('作废: after 结算 the manager approves on the spot; the cart is gone for everyone', async () => {
      await page.getByTestId('logout').click();
      await page.getByTestId('logout-void').click();
      await new ApprovalDialog(page).approve('2222');
      await page.locator('[data-ready="login"]').waitFor();
      const voided = db.prepare(`SELECT approver_id AS approver FROM audit_log WHERE action = 'cart.void' ORDER BY seq DESC LIMIT 1`).get() as { approver: string | null };
      expect(voided.approver).not.toBeNull();

      await loginAs(page, co, '张老板', '8888');
      expect(await co.lines.count()).toBe(0);
      expect(await page.getByTestId('held-count').count()).toBe(0); // nothing held: the voided cart is not anywhere
      await page.getByTestId('logout').click();
      await page.locator('[data-ready="login"]').waitFor();
    });
  });
}

describe('取单 while the cart has items', () => {
  it('holds the current cart and recalls the other in one step; both intact', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    try {
      const { page, co } = await openPage(context);
      await loginAs(page, co, '小王', '1111');
      await co.openShiftIfNeeded('200');
      await co.scanAndWait(WATER.code, 1);
      await co.scanAndWait(WATER.code, 1); // 2 bottles
      const first = await co.totalText();
      await page.keyboard.press('F3');
      await co.waitLines(0);
      await co.scanAndWait(COLA.code, 1);
      const second = await co.totalText();

      const held = await co.openHeld();
      expect(await page.getByTestId('recall-swap-note').textContent()).toContain('1 件');
      expect(await held.count()).toBe(1);
      await page.screenshot({ path: join(shots, 'recall-with-items-1366x768.png') });
      await page.getByTestId('held-cart').first().click();
      await page.getByTestId('held-dialog').waitFor({ state: 'detached' });
      await expect.poll(() => co.totalText()).toBe(first);
      expect(await co.line(WATER.name).textContent()).toContain('2瓶');
      expect(await co.line(COLA.name).count()).toBe(0);
      await expect.poll(() => co.focused()).toBe('scan-input');

      await co.openHeld(); // the other one is held now, whole
      expect(await held.count()).toBe(1);
      expect(await page.getByTestId('held-cart').textContent()).toContain(COLA.name.split(' ')[0]);
      await page.getByTestId('held-cart').first().click();
      await expect.poll(() => co.totalText()).toBe(second);
      expect(await co.line(COLA.name).count()).toBe(1);
    } finally {
      await context.close();
    }
  });
});
