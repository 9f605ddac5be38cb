// Idempotency keys from the UI (issue 7, 2.4), in real Chromium against the real browser host. The
// connection drops after the main side has done the work (the browser's request is cut once the
// reply is in), so the screen cannot know the outcome. A retry of the same thing must then answer the
// first result (same key); a different action must not be mistaken for it. The old returns screen
// kept one requestId for the failed return and the cancel after it: the cancel came back as the
// return's result and cancelled nothing.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoItems } from '../../electron/till/demo-catalog';
import { demoBarcode } from '../../electron/till/seed';
import { launchBrowser, login, scan } from '../support/browser';
import { startHost, type RunningHost } from '../support/till-host';
import { CheckoutPage } from './pages/checkout.page';
import { PaymentPage } from './pages/payment.page';
import { ReturnsPage } from './pages/returns.page';

const items = demoItems();
const indexOf = (name: string, spec = '') => items.findIndex((i) => i.name === name && i.spec === spec) + 1;
const WATER = { name: '农夫山泉 550ml', code: demoBarcode(indexOf('农夫山泉', '550ml')), fen: 200 };
const COLA = { name: '可口可乐 500ml', code: demoBarcode(indexOf('可口可乐', '500ml')), fen: 350 };

let host: RunningHost;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let co: CheckoutPage;
let rt: ReturnsPage;
let db: Database.Database;

const one = <T>(q: string, ...args: unknown[]) => db.prepare(q).get(...args) as T;
const count = (q: string, ...args: unknown[]) => one<{ n: number }>(q, ...args).n;

/**
 * Records the requestId of each call of `endpoint`. With `dropFirstReply` the first call reaches the
 * main side, which does the work, and its reply never arrives (the screen sees a lost connection).
 */
async function watch(endpoint: string, dropFirstReply = false): Promise<{ requestIds: string[] }> {
  const seen = { requestIds: [] as string[] };
  await page.route(`**/api/${endpoint}`, async (route: Route) => {
    seen.requestIds.push((route.request().postDataJSON() as { requestId: string }).requestId);
    if (!dropFirstReply || seen.requestIds.length > 1) return route.continue();
    await route.fetch(); // the main side commits
    await route.abort('connectionreset');
  });
  return seen;
}

/** Sells water + cola for cash through the screens; returns the receipt number. */
async function sellForCash(): Promise<string> {
  await co.scanAndWait(WATER.code, 1);
  await co.scanAndWait(COLA.code, 2);
  const pay = new PaymentPage(page);
  await pay.open();
  await pay.cash('10');
  await page.keyboard.press('Enter');
  await pay.done.waitFor();
  const receiptNo = (await pay.receiptNo.textContent()) ?? '';
  await page.keyboard.press('Enter');
  await pay.done.waitFor({ state: 'detached' });
  await co.waitLines(0);
  return receiptNo;
}

beforeAll(async () => {
  host = await startHost();
  ({ browser, context } = await launchBrowser());
  page = await context.newPage();
  page.on('pageerror', (e) => console.error('pageerror', e));
  co = new CheckoutPage(page);
  rt = new ReturnsPage(page);
  await page.goto(host.appUrl);
  await page.locator('[data-ready="login"]').waitFor();
  await login(page, '李店长', '2222'); // a manager: may cancel a sale, returns need no PIN
  await co.waitReady();
  await co.openShiftIfNeeded('200');
  db = new Database(join(host.dataDir, 'till.db'), { readonly: true, fileMustExist: true });
});
afterAll(async () => {
  db?.close();
  await browser?.close();
  await host?.stop();
});

describe('idempotency keys from the screens', () => {
  it('a return whose reply was lost, then a cancel of the sale: the cancel is its own action and cancels the rest', async () => {
    const receiptNo = await sellForCash();
    const sale = one<{ id: string }>('SELECT id FROM sales WHERE receipt_no = ?', receiptNo);
    await rt.open();
    await rt.scanReceipt(receiptNo);
    await rt.line(COLA.name).getByTestId('return-all').click();

    const returns = await watch('sales.return', true);
    await page.getByTestId('do-return').click();
    await expect.poll(() => rt.error.textContent()).toContain('连接中断');
    // The main side did return the cola; the screen could not know.
    expect(count(`SELECT count(*) AS n FROM sales WHERE original_sale_id = ? AND kind = 'return'`, sale.id)).toBe(1);

    const cancels = await watch('sales.cancel');
    await page.getByTestId('cancel-sale').click();
    await page.getByTestId('cancel-reason').fill('顾客全部退回');
    await page.getByTestId('cancel-confirm').click();
    await expect.poll(() => cancels.requestIds.length).toBe(1);
    expect(cancels.requestIds[0]).not.toBe(returns.requestIds[0]);
    await page.locator('[data-testid="refund-done"], [data-testid="return-error"]:not(:empty)').first().waitFor();
    expect(await rt.error.textContent()).toBe('');
    // The cancel really ran: the sale is cancelled, the water came back in a second return row.
    expect(one<{ status: string }>('SELECT status FROM sales WHERE id = ?', sale.id).status).toBe('cancelled');
    expect(count(`SELECT count(*) AS n FROM sales WHERE original_sale_id = ? AND kind = 'return'`, sale.id)).toBe(2);
    expect(one<{ t: number }>(`SELECT SUM(total_fen) AS t FROM sales WHERE original_sale_id = ? AND kind = 'return'`, sale.id).t).toBe(-(WATER.fen + COLA.fen));
    await page.unrouteAll();
    await page.keyboard.press('Escape');
    await rt.root.waitFor({ state: 'detached' });
  });

  it('a return without receipt whose reply was lost, confirmed again unchanged, refunds once', async () => {
    const before = count(`SELECT count(*) AS n FROM sales WHERE kind = 'return' AND original_sale_id IS NULL`);
    await rt.open();
    await rt.openNoReceipt();
    await scan(page, WATER.code);
    await rt.nrLine(WATER.name).waitFor();
    // The scan's keys reached the search field before it was stripped: the list is not left "searching".
    await expect.poll(() => page.getByTestId('nr-results-count').textContent()).toBe('输入即搜索；点击结果加入退货单');
    await page.getByTestId('nr-reason-pick').first().click();

    const seen = await watch('sales.returnWithoutReceipt', true);
    await page.getByTestId('nr-confirm').click();
    await expect.poll(() => rt.error.textContent()).toContain('连接中断');
    expect(count(`SELECT count(*) AS n FROM sales WHERE kind = 'return' AND original_sale_id IS NULL`)).toBe(before + 1);

    await page.getByTestId('nr-confirm').click(); // the same items, price and reason: a retry
    await rt.done.waitFor();
    expect(seen.requestIds).toHaveLength(2);
    expect(seen.requestIds[1]).toBe(seen.requestIds[0]);
    expect(count(`SELECT count(*) AS n FROM sales WHERE kind = 'return' AND original_sale_id IS NULL`)).toBe(before + 1);

    // The next return of the very same item is a new action: refunded again, under a new key.
    await scan(page, WATER.code);
    await rt.nrLine(WATER.name).waitFor();
    await page.getByTestId('nr-reason-pick').first().click();
    await page.getByTestId('nr-confirm').click();
    await expect.poll(() => seen.requestIds.length).toBe(3);
    await rt.done.waitFor();
    expect(seen.requestIds[2]).not.toBe(seen.requestIds[0]);
    await expect.poll(() => count(`SELECT count(*) AS n FROM sales WHERE kind = 'return' AND original_sale_id IS NULL`)).toBe(before + 2);
    await page.unrouteAll();
    await page.keyboard.press('Escape');
    await rt.root.waitFor({ state: 'detached' });
  });

  it('a payment whose reply was lost is retried with the same key and charged once', async () => {
    const salesBefore = count(`SELECT count(*) AS n FROM sales WHERE kind = 'sale'`);
    await co.scanAndWait(COLA.code, 1);
    const pay = new PaymentPage(page);
    await pay.open();
    const seen = await watch('sales.pay', true);
    await pay.cash('5');
    await page.keyboard.press('Enter');
    await page.getByTestId('pay-retry').waitFor();
    expect(count(`SELECT count(*) AS n FROM sales WHERE kind = 'sale'`)).toBe(salesBefore + 1);
    await page.getByTestId('pay-retry').click();
    await pay.done.waitFor();
    expect(seen.requestIds).toHaveLength(2);
    expect(seen.requestIds[1]).toBe(seen.requestIds[0]);
    expect(count(`SELECT count(*) AS n FROM sales WHERE kind = 'sale'`)).toBe(salesBefore + 1);
    await page.unrouteAll();
    await page.keyboard.press('Enter');
    await pay.done.waitFor({ state: 'detached' });
  });
});
