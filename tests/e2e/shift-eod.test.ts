// 交班 and 日结 in the real UI (Chromium, browser host, a fake ESC/POS network printer): the cashier
// opens a shift, sells, takes cash out with the manager's PIN on the spot, counts the drawer ¥1 short
// on the touch counter and closes — the X report reaches the printer and decodes to the figures;
// the cashier hands over; the manager closes the day — the Z report reaches the printer and its
// totals equal the day's sales and payments in the database; the day's backup is checked in
// 设置 → 备份, restored into a scratch folder and opened; then restored live from the screen.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yuan } from '../../electron/devices/receipt/templates';
import { restoreInto } from '../../electron/till/backup';
import { demoBarcode } from '../../electron/till/seed';
import { Till } from '../../electron/till/till';
import { DENOMINATIONS_FEN } from '../../shared/api/shift';
import { FakePrinter, type FakeJob } from '../fakes/fake-printer';
import { launchBrowser, login } from '../support/browser';
import { startHost, type RunningHost } from '../support/till-host';

let fake: FakePrinter;
let host: RunningHost;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const scratch = mkdtempSync(join(tmpdir(), 'till-restore-'));

async function api<T = any>(name: string, input: unknown = {}): Promise<T> {
  const r = await host.api<T>(name, input);
  if (!r.body.ok) throw new Error(`${name}: ${r.body.error?.code} ${r.body.error?.message}`);
  return r.body.result as T;
}

/** The printed job whose text contains `title` (waits for it). */
async function printed(title: string): Promise<{ job: FakeJob; lines: string[] }> {
  let job: FakeJob | undefined;
  await expect
    .poll(() => (job = fake.jobs().find((j) => j.decoded.lines.some((l) => l.text.includes(title)))), { timeout: 20_000 })
    .toBeTruthy();
  expect(job!.decoded.errors).toEqual([]);
  return { job: job!, lines: job!.decoded.lines.map((l) => l.text) };
}
/** The amount at the end of the printed line that starts with `label`. */
const amountAfter = (lines: string[], label: string): string | undefined =>
  lines.find((l) => l.trim().startsWith(label))?.match(/-?￥\d+\.\d\d$/)?.[0];

const db = () => new Database(join(host.dataDir, 'till.db'), { readonly: true });
const money = (text: string | null) => Math.round(Number((text ?? '').replace(/[^\d.-]/g, '')) * 100);

beforeAll(async () => {
  fake = await FakePrinter.start();
  host = await startHost({
    env: {
      TILL_DEVICES_JSON: JSON.stringify([
        { id: 'front', name: '前台小票机', kind: 'printer', enabled: true, driver: { type: 'network', host: '127.0.0.1', port: fake.port }, roles: ['receipt'], paper: 58, drawerPin: 2 },
      ]),
    },
  });
  ({ browser, context } = await launchBrowser());
  page = await context.newPage();
  await page.goto(host.appUrl);
  await page.locator('[data-ready="login"]').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await fake?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('shift and end of day e2e', () => {
  let day = '';
  let expectedFen = 0;
  let countedFen = 0;

  it('the cashier opens a shift, sells, takes cash out with the manager’s PIN, counts about ¥1 short and closes: the X report prints', async () => {
    await login(page, '小王', '1111');
    await page.locator('[data-ready="till"]').waitFor();
    await page.keyboard.press('F9');
    await page.getByTestId('screen-shift').waitFor();
    await page.getByTestId('shift-open').click();
    await page.getByTestId('shift-open-float').fill('300');
    await page.getByTestId('shift-open-float').press('Enter');
    await page.getByTestId('shift-count').waitFor();
    day = (await api<{ businessDay: string }>('app.info')).businessDay;

    // Sales through the API as the logged-in cashier: cash with change, card, and a split.
    const sell = async (codes: number[], payments: (total: number) => object[]) => {
      for (const c of codes) await api('cart.scan', { code: demoBarcode(c) });
      const total = (await api<{ priced: { totalFen: number } }>('cart.get')).priced.totalFen;
      return api('sales.pay', { requestId: randomUUID(), payments: payments(total) });
    };
    await sell([1, 2, 2], (t) => [{ method: 'cash', amountFen: Math.ceil(t / 1000) * 1000 + 1000 }]);
    await sell([5], (t) => [{ method: 'card_terminal', amountFen: t, reference: 'T778899' }]);
    await sell([3, 4], (t) => [{ method: 'card_terminal', amountFen: Math.floor(t / 2), reference: 'T778900' }, { method: 'cash', amountFen: t - Math.floor(t / 2) }]);
    await page.getByRole('button', { name: '刷新' }).click();
    await expect.poll(() => page.getByTestId('shift-sales').textContent()).not.toBe('¥0.00');

    // Cash out ¥50: the cashier is asked for the manager's PIN on the spot.
    await page.getByTestId('cash-out').click();
    await page.getByRole('button', { name: '付供货商货款' }).click();
    await page.getByTestId('cash-move-amount').fill('50');
    await page.getByTestId('cash-move-amount').press('Enter');
    await page.getByTestId('manager-approval').waitFor();
    expect(await page.getByTestId('approval-summary').textContent()).toBe('钱箱取出 ¥50.00（付供货商货款）');
    await page.getByTestId('approval-pin').fill('2222');
    await page.getByTestId('approval-pin').press('Enter');
    await expect.poll(() => page.getByTestId('shift-message').textContent()).toContain('已取出 ¥50.00');
    await expect.poll(() => page.getByTestId('shift-moves').textContent()).toContain('付供货商货款');
    await page.screenshot({ path: 'test-results/shift-live.png' });

    // Count the drawer ¥1 short on the touch counter.
    await page.getByTestId('shift-count').click();
    await page.getByTestId('cash-counter').waitFor();
    expectedFen = money(await page.getByTestId('counter-expected').textContent());
    {
      // float ¥300 + the cash kept from the sales (net of change) − the ¥50 taken out
      const d = db();
      const cash = (d.prepare(`SELECT sum(p.amount_fen) AS v FROM payments p WHERE p.method = 'cash'`).get() as { v: number }).v;
      const change = (d.prepare(`SELECT sum(change_fen) AS v FROM sales`).get() as { v: number }).v;
      d.close();
      expect(expectedFen).toBe(30_000 + cash - change - 5_000);
    }
    // About ¥1 short: the counter counts to the jiao (¥100 … ¥0.1), the expected cash may end in fen.
    countedFen = Math.floor((expectedFen - 100) / 10) * 10;
    const diffFen = countedFen - expectedFen;
    let left = countedFen;
    for (const d of DENOMINATIONS_FEN) {
      const n = Math.floor(left / d);
      left -= n * d;
      if (n) await page.getByTestId(`count-${d}`).fill(String(n));
    }
    // The + and − buttons work too: one more ¥100 note, then one less.
    await page.getByTestId('count-10000-plus').click();
    await page.getByTestId('count-10000-minus').click();
    expect(money(await page.getByTestId('counter-counted').textContent())).toBe(countedFen);
    expect(await page.getByTestId('counter-diff').textContent()).toContain('短款');
    expect(money(await page.getByTestId('counter-diff').textContent())).toBe(diffFen);
    await page.getByTestId('counter-float').fill('200');
    await page.screenshot({ path: 'test-results/shift-counter.png' });
    // The counter on an old 1024×768 counter PC: every row and the confirm button within reach.
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.screenshot({ path: 'test-results/shift-counter-1024x768.png' });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByTestId('counter-confirm').click();
    await page.getByTestId('counter-confirm-note').waitFor(); // a difference asks once more
    expect(await page.getByTestId('counter-confirm-note').textContent()).toContain('短款');
    await page.getByTestId('counter-confirm').click();
    await page.getByTestId('shift-done').waitFor();
    expect(money(await page.getByTestId('done-diff').textContent())).toBe(diffFen);
    await page.screenshot({ path: 'test-results/shift-done.png' });

    // The X report on paper (58 mm).
    const x = await printed('交班报表');
    expect(amountAfter(x.lines, '应有现金')).toBe(yuan(expectedFen));
    expect(amountAfter(x.lines, '实点现金')).toBe(yuan(countedFen));
    expect(x.job.decoded.lines.find((l) => l.text.startsWith('短款'))?.text.endsWith(yuan(diffFen))).toBe(true);
    expect(amountAfter(x.lines, '取出')).toBe(yuan(-5000));
    expect(x.lines.some((l) => l.includes('付供货商货款'))).toBe(true);
    expect(x.lines.every((l) => l.length <= 32)).toBe(true);

    // Hand over: the cashier is logged out for the next one.
    await page.getByTestId('hand-over').click();
    await page.locator('[data-ready="login"]').waitFor();
  });

  it('the manager closes the day: the Z report prints, equal to the day in the database, and a backup is taken', async () => {
    await login(page, '李店长', '2222');
    await page.locator('[data-ready="till"]').waitFor();
    await page.getByTestId('nav-shift').click();
    await page.getByTestId('shift-tab-day').click();
    await page.getByTestId(`day-pick-${day}`).click();
    await page.getByTestId('day-report').waitFor();
    await page.screenshot({ path: 'test-results/day-preview.png' });
    await page.getByTestId('day-close').click();
    await page.getByTestId('day-confirm-do').click();
    await page.getByTestId('day-done').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('day-backup').textContent()).toContain('数据库已备份');
    await page.screenshot({ path: 'test-results/day-closed.png' });

    const z = await printed('日结报表');
    const d = db();
    try {
      const total = (d.prepare(`SELECT sum(total_fen) AS v FROM sales WHERE business_day = ?`).get(day) as { v: number }).v;
      const sales = (d.prepare(`SELECT count(*) AS n, sum(total_fen) AS v FROM sales WHERE business_day = ? AND kind = 'sale'`).get(day) as { n: number; v: number });
      const change = (d.prepare(`SELECT sum(change_fen) AS v FROM sales WHERE business_day = ?`).get(day) as { v: number }).v;
      const pay = (m: string) =>
        (d.prepare(`SELECT sum(p.amount_fen) AS v FROM payments p JOIN sales s ON s.id = p.sale_id WHERE s.business_day = ? AND p.method = ?`).get(day, m) as { v: number }).v;
      expect(z.job.decoded.lines.find((l) => l.text.startsWith('净收入'))!.text.endsWith(yuan(total))).toBe(true);
      expect(amountAfter(z.lines, '销售应收')).toBe(yuan(sales.v));
      expect(z.lines.some((l) => l.startsWith(`销售 ${sales.n}笔`))).toBe(true);
      // Per tender, as printed on 58 mm: 现金 n笔 net (cash net of the change), 银行卡 n笔 net.
      const tender = (label: string) => z.lines.find((l) => l.startsWith(label) && /笔/.test(l))?.match(/-?￥\d+\.\d\d$/)?.[0];
      expect(tender('现金')).toBe(yuan(pay('cash') - change));
      expect(tender('银行卡')).toBe(yuan(pay('card_terminal')));
      expect(pay('cash') - change + pay('card_terminal')).toBe(total);
      // The day's shift was about ¥1 short and the Z says so.
      expect(amountAfter(z.lines, '差额(短款)')).toBe(yuan(countedFen - expectedFen));
      expect(z.lines.every((l) => l.length <= 32)).toBe(true);
      expect(d.prepare(`SELECT count(*) AS n FROM day_closes WHERE business_day = ? AND backup_file IS NOT NULL`).get(day)).toEqual({ n: 1 });
    } finally {
      d.close();
    }
    // Closing the same day again is refused.
    const again = await host.api('day.close', { businessDay: day });
    expect(again.body.error?.code).toBe('DAY_CLOSED');
    // The day moved on.
    expect(await page.getByTestId('day-current').textContent()).not.toBe(day);
  });

  it('settings → 备份: yesterday’s backup checks out; restored into a scratch folder, it opens with its day and sales', async () => {
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-backup').click();
    const files = await api<{ name: string; kind: string; businessDay: string | null }[]>('backup.list');
    const backup = files.find((f) => f.kind === 'day_close' && f.businessDay === day)!;
    expect(backup).toBeTruthy();
    await page.getByTestId(`backup-check-btn-${backup.name}`).click();
    await expect.poll(() => page.getByTestId(`backup-check-${backup.name}`).textContent(), { timeout: 20_000 }).toContain('可以恢复');
    await page.screenshot({ path: 'test-results/backup-tab.png' });

    const { check } = restoreInto(join(host.dataDir, 'backups', backup.name), scratch);
    expect(check).toMatchObject({ ok: true, lastClosedDay: day });
    const other = new Till({ dataDir: scratch });
    try {
      const live = db();
      const liveSales = (live.prepare(`SELECT count(*) AS n FROM sales WHERE business_day <= ?`).get(day) as { n: number }).n;
      live.close();
      expect((other.sqlite.prepare('SELECT count(*) AS n FROM sales').get() as { n: number }).n).toBe(liveSales);
      expect(other.sqlite.prepare('SELECT business_day AS d FROM day_closes').all()).toEqual([{ d: day }]);
      expect(other.businessDay()).not.toBe(day); // the restored till books new sales on the next day too
    } finally {
      other.close();
    }
  });

  it('restores live from the screen: the current database is kept, everyone logs in again', async () => {
    const name = (await api<{ name: string; kind: string }[]>('backup.list')).find((f) => f.kind === 'day_close')!.name;
    await page.getByTestId(`backup-restore-btn-${name}`).click();
    await page.getByTestId('restore-dialog').waitFor();
    await page.screenshot({ path: 'test-results/backup-restore-dialog.png' });
    await page.getByTestId('restore-do').click();
    await page.locator('[data-ready="login"]').waitFor({ timeout: 20_000 });
    await login(page, '李店长', '2222');
    await page.locator('[data-ready="till"]').waitFor();
    const files = await api<{ kind: string }[]>('backup.list');
    expect(files.some((f) => f.kind === 'before_restore')).toBe(true);
    // The printer still prints after the devices restarted on the restored database.
    await page.getByTestId('nav-shift').click();
    await page.getByTestId('shift-tab-day').click();
    const before = fake.jobs().length;
    await page.getByTestId(`day-reprint-${day}`).click();
    await expect.poll(() => fake.jobs().length, { timeout: 20_000 }).toBeGreaterThan(before);
    expect(fake.jobs().at(-1)!.decoded.lines.some((l) => l.text.includes('重印'))).toBe(true);
  });

  it('a shift left open overnight: the next login says so and takes the cashier to close it on its own day', async () => {
    await page.getByTestId('logout').click();
    await page.locator('[data-ready="login"]').waitFor();
    await login(page, '小王', '1111');
    await page.locator('[data-ready="till"]').waitFor();
    await api('shift.open', { openingCashFen: 10_000 });
    await page.getByTestId('logout').click();
    await page.locator('[data-ready="login"]').waitFor();
    // A night passes: the open shift now belongs to an earlier business day than the till's.
    const w = new Database(join(host.dataDir, 'till.db'));
    w.pragma('busy_timeout = 5000');
    w.prepare(`UPDATE shifts SET business_day = '2026-01-02' WHERE closed_at IS NULL`).run();
    w.close();
    await login(page, '小王', '1111');
    await page.getByTestId('stale-shift').waitFor();
    expect(await page.getByTestId('stale-shift').textContent()).toContain('营业日 2026-01-02');
    await page.screenshot({ path: 'test-results/shift-stale-prompt.png' });
    await page.getByTestId('stale-shift-go').click();
    await page.getByTestId('shift-stale').waitFor();
    expect(await page.getByTestId('shift-stale').textContent()).toContain('2026-01-02');
    // It takes no more money until it is closed.
    await api('cart.scan', { code: demoBarcode(1) });
    const r = await host.api('sales.pay', { requestId: randomUUID(), payments: [{ method: 'cash', amountFen: 1000 }] });
    expect(r.body.error?.code).toBe('SHIFT_STALE');
  });
});
