// The cashier's whole sale in real Chromium against the real browser host (issue 3, must show):
// three items (scanned, label-scale, pinyin search), a discount above the cashier limit approved by
// the manager's PIN on the same screen, part card terminal + part cash with the change shown, the
// receipt in the print queue, then a return of one line with stock and totals checked in the
// database. Plus: scan vs typing, hold/recall, unknown barcode, Esc never loses the cart.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoItems } from '../../electron/till/demo-catalog';
import { demoBarcode } from '../../electron/till/seed';
import { makeEan13, makeScaleBarcode } from '../../shared/barcode';
import { formatYuan, percentOf } from '../../shared/money';
import { launchBrowser, login, scan } from '../support/browser';
import { repoRoot, startHost, type RunningHost } from '../support/till-host';
import { ApprovalDialog, CheckoutPage, SearchPanel, typeSlowly } from './pages/checkout.page';
import { PaymentPage } from './pages/payment.page';
import { ReturnsPage } from './pages/returns.page';

const shots = join(repoRoot, 'test-results');
mkdirSync(shots, { recursive: true });

const items = demoItems();
const indexOf = (name: string, spec = '') => items.findIndex((i) => i.name === name && i.spec === spec) + 1;
const WATER = { name: '农夫山泉 550ml', code: demoBarcode(indexOf('农夫山泉', '550ml')), fen: 200 };
const APPLE = { name: '红富士苹果', plu: '00001', perJinFen: 698, grams: 1250 }; // 2.5 斤
const COLA = { name: '可口可乐 500ml', fen: 350 };
const appleFen = Math.round((APPLE.perJinFen * APPLE.grams) / 500); // ¥17.45
const appleDiscount = percentOf(appleFen, 5000); // 5折 (half off): above the cashier's 10 % limit

let host: RunningHost;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let co: CheckoutPage;
let db: Database.Database;
let receiptNo = '';

const sql = <T>(q: string, ...args: unknown[]) => db.prepare(q).all(...args) as T[];
const one = <T>(q: string, ...args: unknown[]) => db.prepare(q).get(...args) as T;
const skuByName = (name: string) => one<{ id: string; stock_qty: number }>('SELECT id, stock_qty FROM skus WHERE name = ?', name);
const ledger = (skuId: string) => one<{ s: number }>('SELECT COALESCE(SUM(qty_delta), 0) AS s FROM stock_moves WHERE sku_id = ?', skuId).s;

beforeAll(async () => {
  host = await startHost();
  ({ browser, context } = await launchBrowser());
  page = await context.newPage();
  page.on('pageerror', (e) => console.error('pageerror', e));
  co = new CheckoutPage(page);
  await page.goto(host.appUrl);
  await page.locator('[data-ready="login"]').waitFor();
  await login(page, '小王', '1111');
  await co.waitReady();
  db = new Database(join(host.dataDir, 'till.db'), { readonly: true, fileMustExist: true });
});
afterAll(async () => {
  db?.close();
  await browser?.close();
  await host?.stop();
});

describe('checkout e2e: the whole sale', () => {
  const stockBefore: Record<string, number> = {};

  it('sells three items: one scanned, one from a label-scale barcode, one found by pinyin initials', async () => {
    await co.openShiftIfNeeded('200');
    for (const n of [WATER.name, APPLE.name, COLA.name]) stockBefore[n] = skuByName(n).stock_qty;
    await expect.poll(() => co.focused()).toBe('scan-input');

    await co.scanAndWait(WATER.code, 1);
    expect(await co.line(WATER.name).count()).toBe(1);

    const label = makeScaleBarcode('20PPPPPWWWWWC', { plu: APPLE.plu, weightGrams: APPLE.grams });
    await co.scanAndWait(label, 2);
    const apple = co.line(APPLE.name);
    expect(await apple.textContent()).toContain('2.5斤');
    expect(await apple.textContent()).toContain(formatYuan(appleFen));

    const search = new SearchPanel(page);
    await search.open();
    await typeSlowly(page, 'kkkl', 40);
    await search.result(COLA.name).first().waitFor();
    expect(await search.results.first().textContent()).toContain('可口可乐');
    await search.result(COLA.name).first().click();
    await co.waitLines(3);
    await search.root.waitFor({ state: 'detached' });
    await expect.poll(() => co.focused()).toBe('scan-input');

    expect(await co.totalText()).toBe(formatYuan(WATER.fen + appleFen + COLA.fen));
    expect(await co.itemCount.textContent()).toBe('3');
    await page.screenshot({ path: join(shots, 'checkout-cart-1280.png') });
  });

  it('a discount above the cashier limit is approved by the manager PIN on the same screen', async () => {
    await co.line(APPLE.name).click();
    await co.key('F5');
    await co.dialog('discount-dialog').waitFor();
    await page.getByTestId('discount-line').click();
    await page.getByTestId('discount-percent').click();
    await page.getByTestId('discount-input').fill('5'); // 5折
    await page.getByTestId('discount-input').press('Enter');

    const approval = new ApprovalDialog(page);
    await approval.waitOpen();
    expect(await page.getByTestId('approval-action').textContent()).toBe('超限折扣');
    // The manager reads exactly what they approve: this line, this 折, this amount.
    expect(await page.getByTestId('approval-summary').textContent()).toBe(`${APPLE.name} 2.5斤 5折 −${formatYuan(appleDiscount)}`);
    await page.screenshot({ path: join(shots, 'manager-pin-1280.png') });
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.screenshot({ path: join(shots, 'manager-pin-1024.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
    await approval.approve('2222');
    await page.getByTestId('approval-granted').filter({ hasText: `李店长 批准：${APPLE.name}` }).waitFor();

    await co.dialog('discount-dialog').waitFor({ state: 'detached' });
    const total = WATER.fen + appleFen - appleDiscount + COLA.fen;
    await expect.poll(() => co.totalText()).toBe(formatYuan(total));
    expect(await co.line(APPLE.name).textContent()).toContain(formatYuan(-appleDiscount));
    expect(await co.line(APPLE.name).textContent()).toContain('5折');
    await expect.poll(() => co.focused()).toBe('scan-input');

    // Audited with both users: the cashier who asked and the manager who approved.
    const audit = one<{ cashier: string; approver: string }>(
      `SELECT u.name AS cashier, m.name AS approver FROM audit_log a
         JOIN users u ON u.id = a.user_id JOIN users m ON m.id = a.approver_id
        WHERE a.action LIKE '%discount%' ORDER BY a.seq DESC LIMIT 1`,
    );
    expect(audit).toEqual({ cashier: '小王', approver: '李店长' });
    await page.screenshot({ path: join(shots, 'checkout-cart-discount-1280.png') });
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.screenshot({ path: join(shots, 'checkout-cart-1024.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('pays part by card terminal and part cash, and shows the change large', async () => {
    const due = WATER.fen + appleFen - appleDiscount + COLA.fen;
    const pay = new PaymentPage(page);
    await pay.open();
    expect(await pay.due.textContent()).toBe(formatYuan(due));

    await pay.cardTerminal('10.00', '884213');
    expect(await pay.tenders.first().textContent()).toContain('884213');
    expect(await page.getByTestId('pay-short').textContent()).toBe(formatYuan(due - 1000));

    await pay.cash('5');
    const change = 1000 + 500 - due;
    await expect.poll(() => page.getByTestId('pay-change').textContent()).toBe(formatYuan(change));
    await page.screenshot({ path: join(shots, 'payment-before-1280.png') });
    await page.keyboard.press('Enter');

    await pay.done.waitFor();
    expect(await pay.change.textContent()).toBe(formatYuan(change));
    receiptNo = (await pay.receiptNo.textContent()) ?? '';
    expect(receiptNo).not.toBe('');
    await page.screenshot({ path: join(shots, 'payment-change-1280.png') });
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.screenshot({ path: join(shots, 'payment-change-1024.png') });
    await page.setViewportSize({ width: 1280, height: 800 });

    // In the database: the sale, both payments, and the receipt waiting in the print queue.
    const sale = one<{ id: string; total_fen: number; paid_fen: number; change_fen: number }>('SELECT * FROM sales WHERE receipt_no = ?', receiptNo);
    expect(sale.total_fen).toBe(due);
    expect(sale.paid_fen).toBe(1500);
    expect(sale.change_fen).toBe(change);
    const payments = sql<{ method: string; amount_fen: number; reference: string | null }>('SELECT method, amount_fen, reference FROM payments WHERE sale_id = ? ORDER BY method', sale.id);
    expect(payments.map((p) => p.method).sort()).toEqual(['card_terminal', 'cash']);
    expect(payments.find((p) => p.method === 'card_terminal')).toMatchObject({ amount_fen: 1000, reference: '884213' });
    const jobs = sql<{ kind: string; status: string }>('SELECT kind, status FROM print_jobs WHERE ref_id = ?', sale.id);
    expect(jobs.length).toBeGreaterThanOrEqual(1);
    expect(jobs[0].kind).toBe('sale');

    // Stock went down by what was sold (2.5 斤 of apples = 2500 thousandths).
    expect(skuByName(APPLE.name).stock_qty).toBe(stockBefore[APPLE.name] - 2500);
    expect(skuByName(COLA.name).stock_qty).toBe(stockBefore[COLA.name] - 1000);

    // Next customer: a fresh cart, the scan field ready.
    await page.keyboard.press('Enter');
    await pay.done.waitFor({ state: 'detached' });
    await co.waitLines(0);
    expect(await co.totalText()).toBe('¥0.00');
    await expect.poll(() => co.focused()).toBe('scan-input');
  });

  it('a line is returned with the manager PIN: refund to the tenders, stock and totals right', async () => {
    const sale = one<{ id: string }>('SELECT id FROM sales WHERE receipt_no = ?', receiptNo);
    const colaLine = one<{ id: string; net_fen: number }>('SELECT id, net_fen FROM sale_lines WHERE sale_id = ? AND name = ?', sale.id, COLA.name);
    const rt = new ReturnsPage(page);
    await rt.open();
    await rt.scanReceipt(receiptNo);
    expect(await page.getByTestId('return-sale-no').textContent()).toBe(receiptNo);
    expect(await rt.lines.count()).toBe(3);

    await rt.line(COLA.name).getByTestId('return-all').click();
    expect(await page.getByTestId('refund-preview').textContent()).toBe(`退 ${formatYuan(COLA.fen)}`); // never 退 -¥3.50
    await page.screenshot({ path: join(shots, 'return-1280.png') });
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.screenshot({ path: join(shots, 'return-1024.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
    // The refund goes back to the card first (tenders/returns-extra tests cover the split): after the
    // manager's PIN the cashier refunds it on the terminal and types the terminal's refund reference.
    await page.getByTestId('do-return').click();
    await new ApprovalDialog(page).approve('2222');
    await rt.confirmCardRefund('R884213');
    await rt.done.waitFor();
    expect(await page.getByTestId('refund-total').textContent()).toBe(`退 ${formatYuan(COLA.fen)}`);
    await page.screenshot({ path: join(shots, 'return-done-1280.png') });

    // The database: a return sale for -¥3.50, stock back, the ledger equals the stock cache.
    const ret = one<{ id: string; total_fen: number; kind: string }>("SELECT * FROM sales WHERE original_sale_id = ? AND kind = 'return'", sale.id);
    expect(ret.total_fen).toBe(-COLA.fen);
    const refunds = sql<{ amount_fen: number; method: string; reference: string | null }>('SELECT amount_fen, method, reference FROM payments WHERE sale_id = ?', ret.id);
    expect(refunds.reduce((s, p) => s + p.amount_fen, 0)).toBe(-COLA.fen);
    expect(refunds).toEqual([{ amount_fen: -COLA.fen, method: 'card_terminal', reference: 'R884213' }]);
    const returnedLine = one<{ qty: number; original_line_id: string }>('SELECT qty, original_line_id FROM sale_lines WHERE sale_id = ?', ret.id);
    expect(returnedLine).toMatchObject({ qty: -1000, original_line_id: colaLine.id });
    for (const n of [WATER.name, APPLE.name, COLA.name]) {
      const sku = skuByName(n);
      expect(ledger(sku.id)).toBe(sku.stock_qty);
    }
    expect(skuByName(COLA.name).stock_qty).toBe(stockBefore[COLA.name]);
    expect(skuByName(APPLE.name).stock_qty).toBe(stockBefore[APPLE.name] - 2500);

    // Returning it again is impossible: nothing left to return on that line.
    await expect.poll(() => rt.line(COLA.name).getByTestId('return-all').isDisabled()).toBe(true);
    await page.keyboard.press('Escape');
    await rt.root.waitFor({ state: 'detached' });
    await expect.poll(() => co.focused()).toBe('scan-input');
  });
});

describe('checkout e2e: scanning, holding, errors, Esc', () => {
  it('keys 120 ms apart outside the scan field are typing; a fast scan there goes to the cart', async () => {
    const search = new SearchPanel(page);
    await search.open();
    await typeSlowly(page, WATER.code);
    await page.keyboard.press('Enter');
    await search.result(WATER.name).first().waitFor(); // the search box got the typing…
    expect(await search.input.inputValue()).toBe(WATER.code);
    expect(await co.lines.count()).toBe(0); // …and the cart did not

    await search.input.fill('');
    await scan(page, WATER.code); // the scanner fires while focus is in the search box
    await co.waitLines(1);
    expect(await search.input.inputValue()).toBe(''); // the code never landed in the wrong field
    await page.keyboard.press('Escape');
    await search.root.waitFor({ state: 'detached' });
    await expect.poll(() => co.focused()).toBe('scan-input');

    // Typing a code by hand in the scan field + Enter adds it too; 6* multiplies the next scan.
    await typeSlowly(page, WATER.code);
    await page.keyboard.press('Enter');
    await expect.poll(() => co.line(WATER.name).textContent()).toContain('2瓶');
    await typeSlowly(page, '6*');
    await scan(page, WATER.code);
    await expect.poll(() => co.line(WATER.name).textContent()).toContain('8瓶');
    await page.keyboard.press('-');
    await expect.poll(() => co.line(WATER.name).textContent()).toContain('7瓶');
  });

  it('holds the cart and recalls it into an empty cart', async () => {
    const totalBefore = await co.totalText();
    await page.keyboard.press('F3');
    await co.waitLines(0);
    await expect.poll(() => page.getByTestId('held-count').textContent()).toContain('1');
    await (await co.openHeld()).first().click();
    await co.waitLines(1);
    expect(await co.totalText()).toBe(totalBefore);
    await expect.poll(() => co.focused()).toBe('scan-input');
  });

  it('an unknown barcode shows the Chinese error next to the scan field and offers search', async () => {
    const unknown = makeEan13('690123456789');
    const linesBefore = await co.lines.count();
    await co.scan(unknown);
    await expect.poll(() => co.message.textContent()).toContain(`商品条码不存在：${unknown}`);
    expect(await co.lines.count()).toBe(linesBefore);
    expect(await page.getByTestId('unknown-create').textContent()).toContain('需店长授权');
    await page.getByTestId('unknown-search').click();
    const search = new SearchPanel(page);
    await search.root.waitFor();
    expect(await search.input.inputValue()).toBe(unknown);
    await page.keyboard.press('Escape');
    await search.root.waitFor({ state: 'detached' });
  });

  it('Esc backs out of every dialog without losing the cart, and the scan field is ready again', async () => {
    const total = await co.totalText();
    const n = await co.lines.count();
    for (const [key, id] of [
      ['F5', 'discount-dialog'],
      ['F6', 'price-dialog'],
      ['F2', 'member-dialog'],
      ['F4', 'held-dialog'],
      ['F7', 'return-screen'],
      [' ', 'payment'],
    ] as const) {
      await page.keyboard.press(key);
      await page.getByTestId(id).waitFor();
      await page.keyboard.press('Escape');
      await page.getByTestId(id).waitFor({ state: 'detached' });
      await expect.poll(() => co.focused()).toBe('scan-input');
    }
    // After 结算 (even backed out of) removing a line needs the manager; Esc there keeps the line.
    await page.keyboard.press('Delete');
    await new ApprovalDialog(page).waitOpen();
    expect(await page.getByTestId('approval-action').textContent()).toContain('删除');
    await page.keyboard.press('Escape');
    await page.getByTestId('manager-approval').waitFor({ state: 'detached' });
    expect(await co.lines.count()).toBe(n);
    expect(await page.getByTestId('subtotaled').count()).toBe(1);

    // A price change asked of a cashier opens the manager dialog; Esc there changes nothing either.
    await page.keyboard.press('F6');
    await page.getByTestId('price-input').fill('1.00');
    await page.keyboard.press('Enter');
    await new ApprovalDialog(page).waitOpen();
    await page.keyboard.press('Escape');
    await page.getByTestId('manager-approval').waitFor({ state: 'detached' });
    await page.keyboard.press('Escape');
    await page.getByTestId('price-dialog').waitFor({ state: 'detached' });
    expect(await co.totalText()).toBe(total);
    expect(await co.lines.count()).toBe(n);
    await expect.poll(() => co.focused()).toBe('scan-input');
  });

  it('a weighed item from the quick-sale grid asks for its weight in its own unit (斤)', async () => {
    const n = await co.lines.count();
    await page.keyboard.press('F1');
    await page.getByTestId('tab-quick').click();
    await page.getByTestId('quick-category').filter({ hasText: '水果' }).click();
    await page.getByTestId('quick-results').getByTestId('search-result').filter({ hasText: '香蕉' }).click();
    await page.getByTestId('weight-dialog').waitFor();
    await page.getByTestId('weight-input').fill('1.5');
    expect(await page.getByTestId('weight-amount').textContent()).toContain(formatYuan(Math.round(399 * 1.5)));
    await page.keyboard.press('Enter');
    await co.waitLines(n + 1);
    expect(await co.line('香蕉').textContent()).toContain('1.5斤');
    expect(await co.line('香蕉').textContent()).toContain(formatYuan(Math.round(399 * 1.5)));
    await expect.poll(() => co.focused()).toBe('scan-input');
  });

  it('attaches a member by phone number from the keypad dialog (F2)', async () => {
    await page.keyboard.press('F2');
    await page.getByTestId('member-dialog').waitFor();
    for (const d of '13800000001') await page.locator(`[data-testid="member-phone-pad"] [data-key="${d}"]`).click();
    await page.locator('[data-testid="member-phone-pad"] [data-key="Enter"]').click();
    await page.getByTestId('member-panel').waitFor();
    expect(await page.getByTestId('member-panel').textContent()).toContain('王芳');
    await expect.poll(() => co.focused()).toBe('scan-input');
  });

  it('a cashier creates a product for an unknown barcode with the manager PIN, and it is in the cart', async () => {
    const unknown = makeEan13('690555000111');
    const n = await co.lines.count();
    await co.scan(unknown);
    await expect.poll(() => co.message.textContent()).toContain(`商品条码不存在：${unknown}`);
    await page.getByTestId('unknown-create').click();
    await page.getByTestId('create-name').fill('散装桂花糕');
    await page.getByTestId('create-price').fill('6.80');
    await page.getByTestId('create-price').press('Enter');
    await new ApprovalDialog(page).approve('2222');
    await co.waitLines(n + 1);
    expect(await co.line('散装桂花糕').textContent()).toContain('¥6.80');
  });

  it('F8 opens the drawer without a sale once the manager approves, and it is audited', async () => {
    await page.keyboard.press('F8');
    const approval = new ApprovalDialog(page);
    await approval.waitOpen();
    expect(await page.getByTestId('approval-action').textContent()).toBe('不销售开钱箱');
    await approval.approve('2222');
    await expect.poll(() => co.message.textContent()).toContain('钱箱已打开');
    const row = one<{ approver: string }>(
      `SELECT m.name AS approver FROM audit_log a JOIN users m ON m.id = a.approver_id WHERE a.action = 'drawer.no_sale' ORDER BY a.seq DESC LIMIT 1`,
    );
    expect(row.approver).toBe('李店长');
  });

  it('shows the checkout in English with nothing cut off at 1024×768', async () => {
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.getByTestId('fkey-hold').textContent()).toContain('Hold');
    expect(await page.getByTestId('pay-button').textContent()).toContain('Pay');
    await page.screenshot({ path: join(shots, 'checkout-en-1024.png') });
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.getByTestId('fkey-hold').textContent()).toContain('挂单');
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
