// Returns in real Chromium against the real browser host: a cashier's return without a receipt with
// the manager's PIN typed on the spot (items by scan and by pinyin search, a lowered price, a reason,
// cash out, stock back by the ledger, audited with both users), and a receipt return whose refund
// includes the card terminal: the cashier is told the amount to refund on the terminal and must type
// its refund reference, which is stored with the refund payment and printed.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoItems } from '../../electron/till/demo-catalog';
import { demoBarcode } from '../../electron/till/seed';
import { formatYuan } from '../../shared/money';
import { launchBrowser, login, scan } from '../support/browser';
import { repoRoot, startHost, type RunningHost } from '../support/till-host';
import { ApprovalDialog, CheckoutPage, typeSlowly } from './pages/checkout.page';
import { PaymentPage } from './pages/payment.page';
import { ReturnsPage } from './pages/returns.page';

const shots = join(repoRoot, 'test-results');
mkdirSync(shots, { recursive: true });

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
const all = <T>(q: string, ...args: unknown[]) => db.prepare(q).all(...args) as T[];
const skuByName = (name: string) => one<{ id: string; stock_qty: number }>('SELECT id, stock_qty FROM skus WHERE name = ?', name);
const ledger = (skuId: string) => one<{ s: number }>('SELECT COALESCE(SUM(qty_delta), 0) AS s FROM stock_moves WHERE sku_id = ?', skuId).s;
const returnsCount = () => one<{ n: number }>(`SELECT count(*) AS n FROM sales WHERE kind = 'return'`).n;
const text = async (testId: string) => (await page.getByTestId(testId).textContent()) ?? '';

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(shots, `${name}-1280.png`) });
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.screenshot({ path: join(shots, `${name}-1024.png`) });
  await page.setViewportSize({ width: 1280, height: 800 });
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
  await login(page, '小王', '1111'); // a cashier
  await co.waitReady();
  await co.openShiftIfNeeded('200');
  db = new Database(join(host.dataDir, 'till.db'), { readonly: true, fileMustExist: true });
});
afterAll(async () => {
  db?.close();
  await browser?.close();
  await host?.stop();
});

describe('returns e2e: without a receipt', () => {
  it('a cashier returns items without a receipt; the manager types the PIN on the spot; cash out, stock back, audited', async () => {
    const before = { water: skuByName(WATER.name).stock_qty, cola: skuByName(COLA.name).stock_qty };
    await rt.open();
    await rt.openNoReceipt();
    expect(await text('no-receipt-note')).toContain('现金退款');
    expect(await text('nr-needs-manager')).toContain('店长当场输入 PIN'); // shown to a cashier
    expect(await page.getByTestId('nr-empty').count()).toBe(1);
    await expect.poll(() => co.focused()).toBe('nr-search');

    // One item by scanning it (the code never lands in the search field), one by pinyin initials.
    await scan(page, WATER.code);
    await rt.nrLine(WATER.name).waitFor();
    expect(await page.getByTestId('nr-search').inputValue()).toBe('');
    expect(await rt.nrLine(WATER.name).getByTestId('nr-price').inputValue()).toBe('2.00');
    await typeSlowly(page, 'kkkl', 40);
    await page.getByTestId('nr-results').getByTestId('search-result').filter({ hasText: COLA.name }).first().click();
    await rt.nrLine(COLA.name).waitFor();
    await rt.nrLine(COLA.name).getByTestId('nr-plus').click();
    await expect.poll(() => rt.nrLine(COLA.name).getByTestId('nr-qty').textContent()).toBe('2瓶');
    expect(await rt.nrLines.count()).toBe(2);

    // The price defaults to the catalog's; above it is refused on screen, lower is fine.
    const colaPrice = rt.nrLine(COLA.name).getByTestId('nr-price');
    expect(await colaPrice.inputValue()).toBe('3.50');
    await colaPrice.fill('4.00');
    await expect.poll(() => rt.nrLine(COLA.name).getByTestId('nr-price-error').textContent()).toContain('不能高于现价 ¥3.50');
    await colaPrice.fill('3.00');
    await expect.poll(() => rt.nrLine(COLA.name).getByTestId('nr-price-error').count()).toBe(0);
    await expect.poll(() => text('nr-total')).toBe(`退 ${formatYuan(WATER.fen + 2 * 300)}`); // the word marks the refund, no minus

    // A reason is required before the refund can be confirmed.
    expect(await page.getByTestId('nr-confirm').isDisabled()).toBe(true);
    await page.getByTestId('nr-reason-pick').filter({ hasText: '质量问题' }).click();
    await expect.poll(() => page.getByTestId('nr-reason').inputValue()).toBe('质量问题');
    expect(await page.getByTestId('nr-confirm').isDisabled()).toBe(false);
    await shot('return-no-receipt');

    await page.getByTestId('nr-confirm').click();
    const approval = new ApprovalDialog(page);
    await approval.waitOpen();
    expect(await page.getByTestId('approval-action').textContent()).toBe('无小票退货');
    expect(await approval.root.textContent()).toContain('¥8.00');
    expect(returnsCount()).toBe(0); // nothing yet: the manager has not approved
    await page.screenshot({ path: join(shots, 'return-no-receipt-pin-1280.png') });
    await approval.approve('2222');

    await rt.done.waitFor();
    expect(await text('refund-total')).toBe(`退 ${formatYuan(800)}`);
    expect(await page.getByTestId('refund-tender').textContent()).toContain('从钱箱退现金');
    expect(await rt.nrLines.count()).toBe(0); // cleared for the next one
    await shot('return-no-receipt-done');

    // The database: a return sale with no original, cash out, stock back by the ledger, both users audited.
    const ret = one<{ id: string; total_fen: number; original_sale_id: string | null; receipt_no: string }>(
      `SELECT id, total_fen, original_sale_id, receipt_no FROM sales WHERE kind = 'return' ORDER BY created_at DESC LIMIT 1`,
    );
    expect(ret).toMatchObject({ total_fen: -800, original_sale_id: null });
    expect(await text('refund-receipt')).toBe(ret.receipt_no);
    expect(all('SELECT method, amount_fen FROM payments WHERE sale_id = ?', ret.id)).toEqual([{ method: 'cash', amount_fen: -800 }]);
    expect(all('SELECT name, qty, unit_price_fen FROM sale_lines WHERE sale_id = ? ORDER BY line_no', ret.id)).toEqual([
      { name: WATER.name, qty: -1000, unit_price_fen: 200 },
      { name: COLA.name, qty: -2000, unit_price_fen: 300 },
    ]);
    const water = skuByName(WATER.name);
    const cola = skuByName(COLA.name);
    expect(water.stock_qty).toBe(before.water + 1000);
    expect(cola.stock_qty).toBe(before.cola + 2000);
    expect(ledger(water.id)).toBe(water.stock_qty);
    expect(ledger(cola.id)).toBe(cola.stock_qty);
    const audit = one<{ cashier: string; approver: string; details: string }>(
      `SELECT u.name AS cashier, m.name AS approver, a.details FROM audit_log a
         JOIN users u ON u.id = a.user_id JOIN users m ON m.id = a.approver_id
        WHERE a.action = 'sale.return_no_receipt' ORDER BY a.seq DESC LIMIT 1`,
    );
    expect({ cashier: audit.cashier, approver: audit.approver }).toEqual({ cashier: '小王', approver: '李店长' });
    expect(JSON.parse(audit.details)).toMatchObject({ refundFen: 800, reason: '质量问题' });

    await page.keyboard.press('Escape');
    await rt.root.waitFor({ state: 'detached' });
    await expect.poll(() => co.focused()).toBe('scan-input');
  });
});

describe('returns e2e: a card refund asks for the terminal reference', () => {
  it('the split is shown before confirming; after the PIN the cashier types the terminal refund reference; it is stored and printed', async () => {
    // Sell water + cola (¥5.50): ¥2.00 on the card terminal, ¥5.00 cash (¥1.50 change).
    await co.scanAndWait(WATER.code, 1);
    await co.scanAndWait(COLA.code, 2);
    const pay = new PaymentPage(page);
    await pay.open();
    await pay.cardTerminal('2.00', 'T5501');
    await pay.cash('5');
    await expect.poll(() => page.getByTestId('pay-change').textContent()).toBe(formatYuan(150));
    await page.keyboard.press('Enter');
    await pay.done.waitFor();
    const receiptNo = (await pay.receiptNo.textContent()) ?? '';
    expect(receiptNo).not.toBe('');
    await page.keyboard.press('Enter');
    await pay.done.waitFor({ state: 'detached' });
    await co.waitLines(0);

    // Return the cola (¥3.50): the card's ¥2.00 first, then ¥1.50 of the cash kept.
    await rt.open();
    await rt.scanReceipt(receiptNo);
    await rt.line(COLA.name).getByTestId('return-all').click();
    await expect.poll(() => text('refund-split')).toContain('银行卡 ¥2.00');
    expect(await text('refund-split')).toContain('现金 ¥1.50');
    await page.screenshot({ path: join(shots, 'return-card-split-1280.png') });
    const returnsBefore = returnsCount();

    await page.getByTestId('do-return').click();
    await new ApprovalDialog(page).approve('2222');
    await rt.referenceStep.waitFor();
    expect(await text('refund-reference-amount')).toBe(`退 ${formatYuan(200)}`);
    expect(await rt.referenceStep.textContent()).toContain('T5501'); // which terminal sale to refund
    expect(await text('refund-reference-rest')).toContain('现金 ¥1.50'); // and what the drawer pays after
    await expect.poll(() => co.focused()).toBe('refund-reference');
    expect(returnsCount()).toBe(returnsBefore); // nothing recorded before the terminal refunded
    await shot('return-card-reference');

    // Too short a reference is refused on screen; still nothing recorded.
    await page.getByTestId('refund-reference').fill('R12');
    await page.getByTestId('refund-reference-confirm').click();
    await expect.poll(() => rt.error.textContent()).toContain('终端退款参考号');
    expect(returnsCount()).toBe(returnsBefore);

    await rt.confirmCardRefund('R-778899');
    await rt.done.waitFor();
    expect(await text('refund-total')).toBe(`退 ${formatYuan(COLA.fen)}`);
    const tenders = await page.getByTestId('refund-tender').allTextContents();
    expect(tenders).toHaveLength(2);
    expect(tenders[0]).toContain('参考号 R-778899');
    expect(tenders[1]).toContain('从钱箱退现金');
    await shot('return-card-done');

    const sale = one<{ id: string }>('SELECT id FROM sales WHERE receipt_no = ?', receiptNo);
    const ret = one<{ id: string; total_fen: number }>(`SELECT id, total_fen FROM sales WHERE original_sale_id = ? AND kind = 'return'`, sale.id);
    expect(ret.total_fen).toBe(-COLA.fen);
    expect(all('SELECT method, amount_fen, reference FROM payments WHERE sale_id = ? ORDER BY rowid', ret.id)).toEqual([
      { method: 'card_terminal', amount_fen: -200, reference: 'R-778899' },
      { method: 'cash', amount_fen: -150, reference: null },
    ]);
    const job = one<{ payload: string }>(`SELECT payload FROM print_jobs WHERE ref_id = ? AND kind = 'return'`, ret.id);
    expect(JSON.parse(job.payload).data.refunds).toEqual([
      { method: '银行卡（参考号 R-778899）', amountFen: 200 },
      { method: '现金', amountFen: 150 },
    ]);
    await page.keyboard.press('Escape');
    await rt.root.waitFor({ state: 'detached' });
  });
});
