// 数据看板, 报表 and 销售流水 in real Chromium against the browser host. Sales are rung through the API
// today and written straight into the till's file for the days before (the summary triggers keep
// the reports as they would at the till). The owner opens the dashboard: the KPIs equal the
// database, every chart is drawn, a definition opens on tap (screenshots at 1280×800 and 1024×768).
// The owner exports a report to xlsx and the test reads the file back with exceljs and checks its
// figures against the database; the journal finds a sale, shows its receipt and reprints it. A
// manager has reports and the journal but no dashboard; a cashier has none of them.
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoBarcode } from '../../electron/till/seed';
import { newId } from '../../shared/ids';
import { formatYuan } from '../../shared/money';
import { launchBrowser, login, scan } from '../support/browser';
import { repoRoot, startHost, type RunningHost } from '../support/till-host';

const shots = join(repoRoot, 'test-results');
mkdirSync(shots, { recursive: true });

let host: RunningHost;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let db: Database.Database;
let today: string;

async function api<T = any>(name: string, input: unknown = {}): Promise<T> {
  const r = await host.api<T>(name, input);
  if (!r.body.ok) throw new Error(`${name}: ${r.body.error?.code} ${r.body.error?.message}`);
  return r.body.result as T;
}
async function apiLogin(role: string, pin: string): Promise<void> {
  const users = await api<{ id: string; role: string }[]>('auth.users');
  await api('auth.login', { userId: users.find((u) => u.role === role)!.id, pin });
}
/** ¥ as the reports show it: formatYuan with thousands grouped (¥1,234.50). */
const money = (fen: number) => formatYuan(fen).replace(/\d+(?=\.)/, (i) => i.replace(/\B(?=(\d{3})+$)/g, ','));
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** A completed cash sale on a past day, written as the till writes one (the triggers do the rest). */
function pastSale(day: string, hour: number, skus: { id: string; name: string; price: number }[], memberId: string | null): void {
  const [y, m, d] = day.split('-').map(Number);
  const at = new Date(y, m - 1, d, hour, 10).getTime();
  const total = skus.reduce((a, s) => a + s.price, 0);
  const userId = (db.prepare(`SELECT id FROM users WHERE role_id = 'cashier'`).get() as { id: string }).id;
  const saleId = newId();
  db.transaction(() => {
    db.prepare(
      `INSERT INTO sales (id, receipt_no, till_id, kind, business_day, user_id, member_id, gross_fen, discount_fen, rounding_fen, total_fen, paid_fen, change_fen, item_count, created_at)
       VALUES (?, ?, 'T01', 'sale', ?, ?, ?, ?, 0, 0, ?, ?, 0, ?, ?)`,
    ).run(saleId, `T01-${day.replace(/-/g, '')}-9${String(hour).padStart(3, '0')}`, day, userId, memberId, total, total, total, skus.length, at);
    skus.forEach((s, i) =>
      db
        .prepare(
          `INSERT INTO sale_lines (id, sale_id, line_no, sku_id, name, qty, unit_price_fen, original_unit_price_fen, gross_fen, discount_fen, net_fen, payable_fen)
           VALUES (?, ?, ?, ?, ?, 1000, ?, ?, ?, 0, ?, ?)`,
        )
        .run(newId(), saleId, i + 1, s.id, s.name, s.price, s.price, s.price, s.price, s.price),
    );
    db.prepare(`INSERT INTO payments (id, sale_id, method, amount_fen, status, created_at) VALUES (?, ?, 'cash', ?, 'approved', ?)`).run(newId(), saleId, total, at);
  })();
}

beforeAll(async () => {
  host = await startHost();
  ({ browser, context } = await launchBrowser());
  page = await context.newPage();
  page.on('pageerror', (e) => console.error('pageerror', e));
  db = new Database(join(host.dataDir, 'till.db'), { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  today = (await api<{ businessDay: string }>('app.info')).businessDay;

  // Today: four sales through the API (one with a member), one partly returned.
  await apiLogin('manager', '2222');
  await api('shift.open', { openingCashFen: 10_000 });
  const phone = '13800000001';
  for (const [codes, member] of [
    [[demoBarcode(1), demoBarcode(1), demoBarcode(2)], phone],
    [[demoBarcode(3), demoBarcode(4), demoBarcode(5)], null],
    [[demoBarcode(2)], null],
    [[demoBarcode(6), demoBarcode(7)], null],
  ] as [string[], string | null][]) {
    for (const c of codes) await api('cart.scan', { code: c });
    if (member) await api('cart.attachMember', { phone: member });
    const total = (await api<{ priced: { totalFen: number } }>('cart.get')).priced.totalFen;
    await api('sales.pay', { requestId: randomUUID(), payments: [{ method: 'cash', amountFen: Math.ceil(total / 1000) * 1000 }] });
  }
  const first = (await api<{ id: string }[]>('sales.find', { businessDay: today, limit: 10 })).at(-1)!;
  const sale = await api<{ lines: { id: string }[] }>('sales.get', { saleId: first.id });
  await api('sales.return', { requestId: randomUUID(), saleId: first.id, lines: [{ lineId: sale.lines[0].id, qty: 1000 }], reason: '不要了' });
  await api('auth.logout');

  // The days before: last week's same weekday and a member who comes back.
  const skus = db.prepare(`SELECT id, name, price_fen AS price FROM skus WHERE active = 1 ORDER BY code LIMIT 8`).all() as { id: string; name: string; price: number }[];
  const member = (db.prepare(`SELECT id FROM members WHERE phone = ?`).get(phone) as { id: string }).id;
  for (let d = 40; d >= 1; d--) {
    const day = addDays(today, -d);
    pastSale(day, 9 + (d % 10), skus.slice(d % 4, (d % 4) + 2), d % 10 === 0 ? member : null);
    if (d === 7) pastSale(day, 18, skus.slice(0, 3), null);
  }

  await page.goto(host.appUrl);
  await page.locator('[data-ready="login"]').waitFor();
}, 120_000);

afterAll(async () => {
  db?.close();
  await browser?.close();
  await host?.stop();
});

/** The figures the dashboard must show for a day, recounted from the rows. */
function dayFigures(day: string) {
  const r = db
    .prepare(
      `SELECT sum(CASE WHEN kind = 'sale' THEN total_fen ELSE 0 END) AS sales, sum(kind = 'sale' AND status = 'completed') AS tickets,
         sum(CASE WHEN kind = 'sale' AND status = 'completed' THEN total_fen ELSE 0 END) AS ticketFen,
         sum(CASE WHEN kind = 'sale' AND status = 'completed' THEN item_count ELSE 0 END) AS items,
         -sum(CASE WHEN kind = 'return' THEN total_fen ELSE 0 END) AS refunds
       FROM sales WHERE business_day = ?`,
    )
    .get(day) as { sales: number; tickets: number; ticketFen: number; items: number; refunds: number };
  return { net: r.sales - r.refunds, tickets: r.tickets, avg: Math.round(r.ticketFen / r.tickets), ipt: (Math.round((r.items / r.tickets) * 100) / 100).toFixed(2) };
}

async function logInAs(name: string, pin: string): Promise<void> {
  if (await page.locator('[data-ready="till"]').count()) {
    await api('auth.logout');
    await page.reload();
  }
  await page.locator('[data-ready="login"]').waitFor();
  await login(page, name, pin);
  await page.locator('[data-ready="till"]').waitFor();
}

async function chartsDrawn(): Promise<void> {
  await page.locator('[data-testid="screen-dashboard"][data-loaded="1"]').waitFor({ timeout: 20_000 });
  for (const id of ['chart-hourly', 'chart-trend', 'chart-sellers']) {
    await page.locator(`[data-testid="${id}"][data-drawn="1"]`).waitFor({ timeout: 20_000 });
    // a canvas with something on it: not all one colour
    const painted = await page.getByTestId(id).locator('canvas').first().evaluate((c: HTMLCanvasElement) => {
      const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      const seen = new Set<number>();
      for (let i = 0; i < px.length; i += 16) seen.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
      return seen.size;
    });
    expect(painted).toBeGreaterThan(3);
  }
}

describe('reports e2e', () => {
  it('the owner opens the dashboard: KPIs equal the database, the charts are drawn, a definition opens on tap', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await logInAs('张老板', '8888');
    await page.getByTestId('nav-dashboard').click();
    await chartsDrawn();
    const want = dayFigures(today);
    expect(await page.getByTestId('kpi-netFen-value').textContent()).toBe(money(want.net));
    expect(await page.getByTestId('kpi-tickets-value').textContent()).toBe(String(want.tickets));
    expect(await page.getByTestId('kpi-avgTicketFen-value').textContent()).toBe(money(want.avg));
    expect(await page.getByTestId('kpi-itemsPerTicket-value').textContent()).toBe(want.ipt);
    // last week's same weekday is there to compare with (its whole day: 2 sales)
    expect(await page.getByTestId('kpi-tickets').textContent()).toMatch(/上周同日/);
    // the online column says honestly that there are no online orders yet
    expect(await page.getByTestId('sellers-online').textContent()).toContain('线上订单尚未接入');
    // the member who came back every 10 days
    expect(await page.getByTestId('kpi-repurchaseDays-value').textContent()).toBe('10 天');
    await page.getByTestId('def-avgTicketFen').click();
    expect(await page.getByTestId('def-text-avgTicketFen').textContent()).toContain('客单价 = 客单的实收合计 ÷ 客单数');
    await page.screenshot({ path: join(shots, 'dashboard-1280x800.png') });
    await page.getByTestId('def-avgTicketFen').click();

    // English: the same figures, every label and definition in English
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.getByTestId('kpi-avgTicketFen').textContent()).toContain('Average ticket');
    await page.getByTestId('def-itemsPerTicket').click();
    expect(await page.getByTestId('def-text-itemsPerTicket').textContent()).toContain('Items per ticket = items on the tickets ÷ tickets');
    await page.screenshot({ path: join(shots, 'dashboard-en-1280x800.png') });
    await page.getByTestId('def-itemsPerTicket').click();
    await page.getByTestId('lang-switch').click();

    await page.setViewportSize({ width: 1024, height: 768 });
    await page.getByTestId('dash-refresh').click();
    await chartsDrawn();
    await page.screenshot({ path: join(shots, 'dashboard-1024x768.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('exports a report to xlsx; the file read back with exceljs has the database figures', async () => {
    await page.getByTestId('nav-reports').click();
    await page.getByTestId('report-byCategory').click();
    await page.getByTestId('range-last7').click();
    await page.locator('[data-testid="report-table"] [data-testid="dt-row"]').first().waitFor();
    const from = addDays(today, -6);
    const want = db
      .prepare(
        `SELECT c.name AS category, sum(l.payable_fen) AS net FROM sale_lines l JOIN sales s ON s.id = l.sale_id JOIN skus k ON k.id = l.sku_id
           JOIN products p ON p.id = k.product_id JOIN categories c ON c.id = p.category_id
         WHERE s.business_day BETWEEN ? AND ? GROUP BY c.name`,
      )
      .all(from, today) as { category: string; net: number }[];
    const totalNet = want.reduce((a, w) => a + w.net, 0);
    expect(await page.locator('[data-testid="dt-totals"] [data-col="netFen"]').textContent()).toBe(money(totalNet));
    await page.screenshot({ path: join(shots, 'reports-by-category-1280x800.png') });

    await page.getByTestId('export-xlsx').click();
    const done = page.getByTestId('export-done');
    await done.waitFor({ timeout: 30_000 });
    const file = (await done.locator('code').textContent())!;
    expect(file).toContain(join(host.dataDir, 'exports'));
    expect(file).toMatch(/按分类销售_.*\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.worksheets[0];
    const head = (ws.getRow(1).values as unknown[]).slice(1);
    expect(head[0]).toBe('分类');
    const netCol = head.indexOf('净销售额') + 1;
    const got = new Map<string, number>();
    ws.eachRow((row, i) => {
      const v = row.getCell(netCol).value;
      if (i > 1 && typeof v === 'number') got.set(String(row.getCell(1).value), Math.round(v * 100));
    });
    expect(got.get('合计')).toBe(totalNet);
    for (const w of want) expect(got.get(w.category)).toBe(w.net);
    expect(ws.getRow(2).getCell(netCol).numFmt).toBe('#,##0.00');
    const audit = db.prepare(`SELECT details FROM audit_log WHERE action = 'report.export' ORDER BY seq DESC LIMIT 1`).get() as { details: string };
    expect(JSON.parse(audit.details)).toMatchObject({ format: 'xlsx', from, to: today, file });
    await page.screenshot({ path: join(shots, 'reports-exported-1280x800.png') });
  });

  it('the journal lists the day, finds a sale by receipt number, shows its receipt and reprints it', async () => {
    await page.getByTestId('nav-journal').click();
    const rows = page.getByTestId('journal-row');
    await rows.first().waitFor();
    const n = (db.prepare(`SELECT count(*) AS n FROM sales WHERE business_day = ?`).get(today) as { n: number }).n;
    await expect.poll(() => rows.count()).toBe(n);
    expect(await page.getByTestId('journal-count').textContent()).toBe(`共 ${n} 笔`);
    const target = db.prepare(`SELECT id, receipt_no FROM sales WHERE business_day = ? AND kind = 'sale' ORDER BY rowid LIMIT 1 OFFSET 1`).get(today) as { id: string; receipt_no: string };
    await page.getByTestId('journal-receiptNo').fill(target.receipt_no.slice(-4));
    await page.getByTestId('journal-search').click();
    await expect.poll(() => rows.count()).toBe(1);
    await expect.poll(() => page.getByTestId('journal-detail-no').textContent()).toBe(target.receipt_no);
    await page.getByTestId('journal-receipt').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('journal-receipt').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    // the picture really decodes (a receipt is at least 384 dots wide)
    await expect.poll(() => page.getByTestId('journal-receipt').evaluate((i: HTMLImageElement) => (i.complete ? i.naturalWidth : 0))).toBeGreaterThanOrEqual(384);
    await page.screenshot({ path: join(shots, 'journal-1280x800.png') });
    // A receipt's barcode scanned on this screen finds that sale, whatever was typed before.
    await page.getByTestId('journal-clear').click();
    await expect.poll(() => rows.count()).toBe(n);
    await scan(page, target.receipt_no);
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-receipt')).toBe(target.receipt_no);
    const copies = () => (db.prepare(`SELECT count(*) AS n FROM print_jobs WHERE ref_id = ? AND is_copy = 1`).get(target.id) as { n: number }).n;
    expect(copies()).toBe(0);
    await page.getByTestId('journal-reprint').click();
    await expect.poll(copies).toBe(1);
  });

  it('a manager has reports and the journal but not the dashboard; a cashier has none of them', async () => {
    await logInAs('李店长', '2222');
    expect(await page.getByTestId('nav-reports').count()).toBe(1);
    expect(await page.getByTestId('nav-journal').count()).toBe(1);
    expect(await page.getByTestId('nav-dashboard').count()).toBe(0);
    await logInAs('小王', '1111');
    for (const s of ['reports', 'journal', 'dashboard']) expect(await page.getByTestId(`nav-${s}`).count()).toBe(0);
  });
});
