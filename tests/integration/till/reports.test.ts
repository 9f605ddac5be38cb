// Reports, exports and the journal through the API on a real till file, read by the real reports
// worker thread: every figure is checked against a recount from the sales, lines and payments rows;
// exports are read back (xlsx with exceljs, csv as bytes); roles and bad input are refused in the
// main process.
import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry } from '../../../electron/api/handlers';
import type { Registry } from '../../../electron/api/registry';
import { openReader } from '../../../electron/till/db';
import { runExport } from '../../../electron/till/reports/export';
import { startReportJobs, type ReportJobs } from '../../../electron/till/reports/jobs';
import { demoBarcode } from '../../../electron/till/seed';
import type { DashboardData, JobView, JournalPage, JournalSale } from '../../../shared/api/reports';
import type { ApiInput } from '../../../shared/api';
import type { SaleResult, SaleView } from '../../../shared/api/sales';
import type { ReportResult } from '../../../shared/reports/defs';
import { tempTill, type TempTill } from '../../support/temp-till';

let tt: TempTill;
let jobs: ReportJobs;
let registry: Registry;
let day: string;
const events: JobView[] = [];

async function call<T = any>(name: string, input: unknown = {}): Promise<T> {
  const r = await registry.call(name, input);
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
  return r.result as T;
}
const refused = (p: Promise<unknown>) => p.then(() => ({ code: 'NONE', message: '' }), (e: { code: string; message: string }) => e);
const one = <T>(sql: string, ...p: unknown[]) => tt.till.sqlite.prepare(sql).get(...p) as T;
const report = (kind: string, extra: object = {}) => call<ReportResult>('reports.run', { jobId: randomUUID(), kind, from: day, to: day, ...extra });
const loginAs = async (role: 'cashier' | 'manager' | 'owner') => {
  await call('auth.logout');
  await tt.loginAs(role);
};

async function ring(codes: string[], payments: ApiInput<'sales.pay'>['payments'], member?: string): Promise<SaleView> {
  for (const c of codes) await tt.call('cart.scan', { code: c });
  if (member) await tt.call('cart.attachMember', { phone: member });
  const r = await tt.call('sales.pay', { requestId: randomUUID(), payments });
  return tt.call('sales.get', { saleId: r.saleId });
}

/** Waits for an export job to end, following its 'job' events. */
async function exported(view: JobView): Promise<JobView> {
  for (let i = 0; i < 600; i++) {
    const v = await call<JobView>('reports.job', { jobId: view.jobId });
    if (v.state !== 'running') return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('export did not finish');
}

beforeAll(async () => {
  tt = tempTill();
  jobs = startReportJobs(tt.till);
  tt.till.events.onAny((name, payload) => name === 'job' && events.push(payload as JobView));
  registry = createRegistry({ till: tt.till, devices: null, reports: jobs }, 'browser');
  // The test's own registry shares the till (and its session) with tt.call.
  await tt.loginAs('manager');
  await tt.call('shift.open', { openingCashFen: 10_000 });
  day = tt.till.businessDay();
  await ring([demoBarcode(1), demoBarcode(1), demoBarcode(2)], [{ method: 'cash', amountFen: 2_000 }], '13800000001');
  const b = await ring([demoBarcode(3), demoBarcode(4)], [
    { method: 'card_terminal', amountFen: 500, reference: 'C0001' },
    { method: 'cash', amountFen: 5_000 },
  ], '13800000002');
  const c = await ring([demoBarcode(5), demoBarcode(6)], [{ method: 'cash', amountFen: 3_000 }], '13800000001');
  await ring([demoBarcode(7)], [{ method: 'cash', amountFen: 1_000 }]);
  await tt.call('sales.return', { requestId: randomUUID(), saleId: c.id, lines: [{ lineId: c.lines[0].id, qty: 1_000 }], reason: '不要了' });
  await tt.call('sales.cancel', { requestId: randomUUID(), saleId: b.id, reason: '录错', refundReferences: { card_terminal: 'R0001' } });
  // A voided cart (作废): not a sale, read from the audit log.
  await tt.call('cart.scan', { code: demoBarcode(8) });
  await tt.call('cart.void', {});
});

afterAll(async () => {
  await jobs?.close();
  tt?.cleanup();
});

describe('range reports from the summary tables', () => {
  it('by day: sales, refunds, tickets and 客单价 equal a recount from the rows', async () => {
    const r = await report('byDay');
    const rows = one<{ saleFen: number; saleCount: number; refundFen: number; returnCount: number; items: number }>(
      `SELECT sum(CASE WHEN kind = 'sale' THEN total_fen END) AS saleFen, sum(kind = 'sale') AS saleCount,
         -sum(CASE WHEN kind = 'return' THEN total_fen END) AS refundFen, sum(kind = 'return') AS returnCount,
         sum(CASE WHEN kind = 'sale' AND status = 'completed' THEN item_count END) AS items
       FROM sales WHERE business_day = ?`,
      day,
    );
    const cancelled = one<{ n: number; fen: number }>(`SELECT count(*) AS n, sum(total_fen) AS fen FROM sales WHERE status = 'cancelled' AND business_day = ?`, day);
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]).toMatchObject({
      day,
      saleCount: rows.saleCount,
      saleFen: rows.saleFen,
      returnCount: rows.returnCount,
      refundFen: rows.refundFen,
      netFen: rows.saleFen - rows.refundFen,
      cancelCount: 1,
      tickets: rows.saleCount - 1,
      avgTicketFen: Math.round((rows.saleFen - cancelled.fen) / (rows.saleCount - cancelled.n)),
      items: rows.items,
    });
    expect(r.totals).toMatchObject({ saleFen: rows.saleFen, refundFen: rows.refundFen });
  });

  it('by item and by category: net sales per SKU equal the lines; categories add up to the same', async () => {
    const byItem = await report('byItem');
    const lines = tt.till.sqlite
      .prepare(`SELECT k.code, sum(l.payable_fen) AS net, sum(CASE WHEN s.kind = 'sale' THEN l.qty ELSE 0 END) AS sold
         FROM sale_lines l JOIN sales s ON s.id = l.sale_id JOIN skus k ON k.id = l.sku_id WHERE s.business_day = ? GROUP BY k.code`)
      .all(day) as { code: string; net: number; sold: number }[];
    expect(Object.fromEntries(byItem.rows.map((r) => [r.code, [r.netFen, r.soldQty]]))).toEqual(Object.fromEntries(lines.map((l) => [l.code, [l.net, l.sold]])));
    const byCat = await report('byCategory');
    const totalNet = lines.reduce((a, l) => a + l.net, 0);
    expect(byCat.rows.reduce((a, r) => a + (r.netFen as number), 0)).toBe(totalNet);
    expect(byCat.totals!.netFen).toBe(totalNet);
    // demo SKUs have a cost: the margin is over everything sold
    const margin = await report('margin');
    expect(margin.totals!.coveragePct).toBe(100);
    expect(margin.totals!.profitFen).toBe((margin.totals!.costedFen as number) - (margin.totals!.costFen as number));
  });

  it('by tender: what each tender took, cash net of change and refunds, equals the payments', async () => {
    const r = await report('byTender');
    const pays = tt.till.sqlite
      .prepare(`SELECT p.method, sum(p.amount_fen) AS net FROM payments p JOIN sales s ON s.id = p.sale_id WHERE s.business_day = ? GROUP BY p.method`)
      .all(day) as { method: string; net: number }[];
    const change = one<{ c: number }>(`SELECT sum(change_fen) AS c FROM sales WHERE business_day = ?`, day).c;
    const want = Object.fromEntries(pays.map((p) => [p.method, p.method === 'cash' ? p.net - change : p.net]));
    expect(Object.fromEntries(r.rows.map((x) => [x.method, x.netFen]))).toEqual(want);
    // net taken over all tenders = net sales
    const byDay = await report('byDay');
    expect(r.totals!.netFen).toBe(byDay.totals!.netFen);
  });

  it('by cashier, hour and channel agree with the day; the online column is empty and says why', async () => {
    const byDay = (await report('byDay')).totals!;
    const cashier = await report('byCashier');
    expect(cashier.rows.map((r) => r.cashier)).toEqual(['李店长']);
    expect(cashier.rows[0]).toMatchObject({ saleFen: byDay.saleFen, refundFen: byDay.refundFen, tickets: byDay.tickets });
    const hour = await report('byHour');
    expect(hour.totals).toMatchObject({ tickets: byDay.tickets, netFen: byDay.netFen });
    const channel = await report('byChannel');
    expect(channel.rows[0]).toMatchObject({ channelCode: 'counter', netFen: byDay.netFen });
    expect(channel.rows[1]).toMatchObject({ channelCode: 'online', netFen: null });
    expect(channel.notes).toContain('onlineNotYet');
  });

  it('refunds and voids: the return, the cancel and the voided cart', async () => {
    const r = await report('refunds');
    expect(r.rows[0]).toMatchObject({ day, returnCount: 2, cancelCount: 1, voidCount: 1 });
    expect(r.rows[0].voidFen).toBeGreaterThan(0);
  });

  it('members: who bought, masked phones, and the repeat figures', async () => {
    const r = await report('members');
    expect(r.rows.map((m) => m.member).sort()).toEqual(['李强', '王芳']);
    expect(r.rows.find((m) => m.member === '王芳')).toMatchObject({ phone: '138****0001', saleCount: 2, days: 1 });
    expect(r.figures.find((f) => f.key === 'activeMembers')!.value).toBe(2);
  });

  it('best sellers, slow movers and stock value', async () => {
    const best = await report('bestSellers', { top: 3 });
    expect(best.rows.map((r) => r.rank)).toEqual([1, 2, 3]);
    expect(Number(best.rows[0].netFen)).toBeGreaterThanOrEqual(Number(best.rows[1].netFen));
    const slow = await report('slowMovers');
    const sold = new Set((await report('byItem')).rows.filter((r) => Number(r.soldQty) > 0).map((r) => r.code));
    expect(slow.rows.some((r) => sold.has(r.code as string))).toBe(false);
    const value = await report('stockValue');
    const want = one<{ v: number }>(`SELECT sum(CAST(round(stock_qty * price_fen / 1000.0) AS INTEGER)) AS v FROM skus WHERE active = 1 AND stock_qty > 0`).v;
    expect(value.totals!.retailValueFen).toBe(want);
  });

  it('a range with no sales gives zero rows, not errors', async () => {
    const r = await call<ReportResult>('reports.run', { jobId: randomUUID(), kind: 'byItem', from: '2020-01-01', to: '2020-12-31' });
    expect(r.rows).toEqual([]);
    const d = await call<ReportResult>('reports.run', { jobId: randomUUID(), kind: 'byDay', from: '2020-01-01', to: '2020-12-31' });
    expect(d.rows).toHaveLength(366);
    expect(d.totals!.netFen).toBe(0);
  });
});

describe('roles and bad input (checked in the main process)', () => {
  it('a cashier cannot read reports, the journal or export; a manager cannot open the dashboard; the owner can', async () => {
    await loginAs('cashier');
    for (const [name, input] of [
      ['reports.run', { jobId: randomUUID(), kind: 'byDay', from: day, to: day }],
      ['journal.page', { from: day, to: day }],
      ['exports.start', { jobId: randomUUID(), kind: 'lines', format: 'csv', from: day, to: day }],
    ] as const) {
      expect((await refused(call(name, input))).code).toBe('FORBIDDEN');
    }
    await loginAs('manager');
    const e = await refused(call('dashboard.load', {}));
    expect(e).toMatchObject({ code: 'FORBIDDEN', message: '需要店主权限' });
    await loginAs('owner');
    const d = await call<DashboardData>('dashboard.load', {});
    expect(d.day).toBe(day);
    expect(d.today.tickets).toBe((await report('byDay')).totals!.tickets);
    await loginAs('manager');
  });

  it('refuses a range that ends before it starts, in Chinese, and changes nothing', async () => {
    const e = await refused(call('reports.run', { jobId: randomUUID(), kind: 'byDay', from: '2026-02-01', to: '2026-01-01' }));
    expect(e.code).toBe('BAD_INPUT');
    expect(e.message).toContain('开始日期不能晚于结束日期');
    expect((await refused(call('journal.page', { from: day, to: day, cursor: 'nope' }))).code).toBe('BAD_INPUT');
  });
});

describe('sales journal', () => {
  it('pages through every sale once, newest first, and finds by receipt, amount, item and member', async () => {
    const all = tt.till.sqlite.prepare(`SELECT id FROM sales WHERE business_day = ? ORDER BY rowid DESC`).all(day) as { id: string }[];
    const seen: string[] = [];
    let cursor: string | undefined;
    let first: JournalPage | null = null;
    do {
      const p: JournalPage = await call('journal.page', { from: day, to: day, limit: 2, cursor });
      first ??= p;
      seen.push(...p.rows.map((r) => r.id));
      cursor = p.next ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all.map((r) => r.id));
    expect(first!.total).toBe(all.length);

    const sale = one<{ id: string; receipt_no: string; total_fen: number }>(`SELECT id, receipt_no, total_fen FROM sales WHERE kind = 'sale' ORDER BY rowid LIMIT 1`);
    const byNo = await call<JournalPage>('journal.page', { from: '2020-01-01', to: '2020-01-01', receiptNo: sale.receipt_no.toLowerCase() });
    expect(byNo.rows.map((r) => r.id)).toEqual([sale.id]); // a whole number finds it whatever the days
    const bySuffix = await call<JournalPage>('journal.page', { from: day, to: day, receiptNo: sale.receipt_no.slice(-4) });
    expect(bySuffix.rows.map((r) => r.id)).toEqual([sale.id]);
    const byAmount = await call<JournalPage>('journal.page', { from: day, to: day, amountFen: sale.total_fen });
    expect(byAmount.rows.map((r) => r.id)).toContain(sale.id);
    const byItem = await call<JournalPage>('journal.page', { from: day, to: day, item: demoBarcode(7) });
    expect(byItem.rows).toHaveLength(1);
    const byMember = await call<JournalPage>('journal.page', { from: day, to: day, member: '0001' });
    expect(byMember.rows.every((r) => r.member === '王芳')).toBe(true);
    expect(byMember.rows.length).toBeGreaterThanOrEqual(2); // two sales and the return of one
    const none = await call<JournalPage>('journal.page', { from: day, to: day, item: '不存在的商品' });
    expect(none).toEqual({ rows: [], next: null, total: 0 });
  });

  it('shows one sale with its lines, payments and receipt job', async () => {
    const id = one<{ id: string }>(`SELECT id FROM sales WHERE status = 'cancelled'`).id;
    const s = await call<JournalSale>('journal.sale', { saleId: id });
    expect(s.status).toBe('cancelled');
    expect(s.payments.map((p) => p.label)).toEqual(['银行卡', '现金']);
    expect(s.lines).toHaveLength(2);
    expect(s.printJobId).toBe(one<{ id: string }>(`SELECT id FROM print_jobs WHERE ref_id = ? AND is_copy = 0`, id).id);
    expect((await refused(call('journal.sale', { saleId: 'nope' }))).code).toBe('UNKNOWN_SALE');
  });
});

describe('exports', () => {
  it('sales lines to xlsx: Chinese headers, yuan numbers, dates; figures equal the database; audited', async () => {
    const view = await call<JobView>('exports.start', { jobId: randomUUID(), kind: 'lines', format: 'xlsx', from: day, to: day });
    expect(view.state).toBe('running');
    const done = await exported(view);
    expect(done.state).toBe('done');
    expect(done.file!.startsWith(join(tt.dataDir, 'exports'))).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(done.file!);
    const ws = wb.worksheets[0];
    expect(ws.name).toBe('销售明细');
    const head = (ws.getRow(1).values as unknown[]).slice(1);
    expect(head.slice(0, 4)).toEqual(['营业日', '时间', '小票号', '类型']);
    const col = (h: string) => head.indexOf(h) + 1;
    const lines = one<{ n: number; fen: number }>(
      `SELECT count(*) AS n, sum(l.payable_fen) AS fen FROM sale_lines l JOIN sales s ON s.id = l.sale_id WHERE s.business_day = ?`,
      day,
    );
    let n = 0;
    let fen = 0;
    ws.eachRow((row, i) => {
      if (i === 1 || typeof row.getCell(col('实收金额')).value !== 'number') return;
      n++;
      fen += Math.round((row.getCell(col('实收金额')).value as number) * 100);
      expect(row.getCell(col('营业日')).value).toBeInstanceOf(Date);
      expect(row.getCell(col('实收金额')).numFmt).toBe('#,##0.00');
    });
    expect(n).toBe(lines.n);
    expect(fen).toBe(lines.fen);
    expect(done.rows).toBe(lines.n);
    const auditRow = one<{ user_id: string; details: string }>(`SELECT user_id, details FROM audit_log WHERE action = 'report.export' ORDER BY seq DESC LIMIT 1`);
    expect(auditRow.user_id).toBe(tt.userId('manager'));
    expect(JSON.parse(auditRow.details)).toMatchObject({ format: 'xlsx', from: day, to: day, file: done.file });
    expect(events.filter((e) => e.jobId === view.jobId).at(-1)!.state).toBe('done');
  });

  it('a report to csv: UTF-8 with a BOM, money with 2 decimals, totals and notes under it', async () => {
    const done = await exported(await call<JobView>('exports.start', { jobId: randomUUID(), kind: 'byCategory', format: 'csv', from: day, to: day }));
    const bytes = readFileSync(done.file!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1).split('\r\n');
    expect(text[0].split(',').slice(0, 3)).toEqual(['分类', '销量', '销售额']);
    const byCat = await report('byCategory');
    const total = text.find((l) => l.startsWith('合计,'))!.split(',');
    const netCol = text[0].split(',').indexOf('净销售额');
    expect(total[netCol]).toBe(((byCat.totals!.netFen as number) / 100).toFixed(2));
    expect(text.some((l) => l.startsWith('按分类销售：'))).toBe(true);
  });

  it('one export at a time; the folder lists what was exported', async () => {
    const list = await call<{ dir: string; files: { name: string }[] }>('exports.list');
    expect(list.dir).toBe(join(tt.dataDir, 'exports'));
    expect(list.files.length).toBeGreaterThanOrEqual(2);
    expect(readdirSync(list.dir).some((f) => f.endsWith('.partial'))).toBe(false);
  });

  it('a new sheet every N rows (Excel stops at 1,048,576), each with its header', async () => {
    const file = join(tt.dataDir, 'split.xlsx');
    const r = await runExport(() => openReader(tt.till.dbFile), { kind: 'lines', format: 'xlsx', from: day, to: day, file, rowsPerSheet: 3 }, { progress: () => {}, cancelled: () => false });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(r.sheets).toBe(Math.ceil(r.rows / 3));
    expect(r.sheets).toBeGreaterThan(2);
    expect(wb.worksheets.map((w) => w.name)).toEqual(Array.from({ length: r.sheets }, (_, i) => (i ? `销售明细 (${i + 1})` : '销售明细')));
    for (const w of wb.worksheets) expect(w.getRow(1).getCell(1).value).toBe('营业日');
    let dataRows = 0;
    for (const w of wb.worksheets) w.eachRow((row) => void (row.getCell(1).value instanceof Date && dataRows++));
    expect(dataRows).toBe(r.rows);
    expect(wb.worksheets.slice(0, -1).every((w) => w.actualRowCount === 4)).toBe(true); // header + 3
  });

  it('xlsx data rows (written into the sheet beside exceljs): markup in names escaped, control characters dropped, local times, the totals row right after', async () => {
    const line = one<{ id: string; name: string; created_at: number }>(
      `SELECT l.id, l.name, s.created_at FROM sale_lines l JOIN sales s ON s.id = l.sale_id WHERE s.business_day = ? ORDER BY s.rowid, l.rowid LIMIT 1`,
      day,
    );
    const nasty = `A&B <奶茶> "大杯" 'x'\u0001\u001f]]>`;
    tt.till.sqlite.prepare('UPDATE sale_lines SET name = ? WHERE id = ?').run(nasty, line.id);
    try {
      const file = join(tt.dataDir, 'nasty.xlsx');
      const r = await runExport(() => openReader(tt.till.dbFile), { kind: 'lines', format: 'xlsx', from: day, to: day, file }, { progress: () => {}, cancelled: () => false });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(file);
      const ws = wb.worksheets[0];
      const head = (ws.getRow(1).values as unknown[]).slice(1);
      const first = ws.getRow(2);
      expect(first.getCell(head.indexOf('品名') + 1).value).toBe(`A&B <奶茶> "大杯" 'x']]>`);
      // Excel has no time zones: the cell shows the till's local wall-clock time, which exceljs reads back as that time in UTC.
      const at = first.getCell(head.indexOf('时间') + 1).value as Date;
      const local = new Date(line.created_at);
      expect(at.getTime() - Date.UTC(local.getFullYear(), local.getMonth(), local.getDate(), local.getHours(), local.getMinutes(), local.getSeconds(), local.getMilliseconds())).toBe(0);
      expect(first.getCell(head.indexOf('时间') + 1).numFmt).toBe('yyyy-mm-dd hh:mm:ss');
      expect(ws.getRow(r.rows + 1).getCell(1).value).toBeInstanceOf(Date); // the last data row
      expect(ws.getRow(r.rows + 3).getCell(1).value).toMatch(/^销售明细：/); // footer after one empty row
    } finally {
      tt.till.sqlite.prepare('UPDATE sale_lines SET name = ? WHERE id = ?').run(line.name, line.id);
    }
    const file = join(tt.dataDir, 'bycat.xlsx');
    const r = await runExport(() => openReader(tt.till.dbFile), { kind: 'byCategory', format: 'xlsx', from: day, to: day, file }, { progress: () => {}, cancelled: () => false });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.worksheets[0];
    const totals = ws.getRow(r.rows + 2);
    expect(totals.getCell(1).value).toBe('合计');
    expect(totals.getCell(1).font?.bold).toBe(true);
    const byCat = await report('byCategory');
    expect(byCat.rows.map((x) => x.category ?? null)).toEqual(Array.from({ length: r.rows }, (_, i) => ws.getRow(i + 2).getCell(1).value));
  });

  it('a cancelled export stops, says so and leaves no file', async () => {
    const file = join(tt.dataDir, 'cancelled.xlsx');
    const e = await refused(runExport(() => openReader(tt.till.dbFile), { kind: 'lines', format: 'xlsx', from: day, to: day, file }, { progress: () => {}, cancelled: () => true }));
    expect(e).toMatchObject({ code: 'CANCELLED', message: '已取消' });
    expect(existsSync(file) || existsSync(`${file}.partial`)).toBe(false);
    expect(await call('reports.cancel', { jobId: randomUUID() })).toEqual({ cancelled: false });
  });
});

describe('dashboard and the worker', () => {
  it('compares today with last week up to this hour, in business-day order (01:30 comes after 23:00)', async () => {
    const at = new Date(2026, 5, 10, 14, 30).getTime(); // a Wednesday, 14:30 local
    const t2 = tempTill({ now: () => at });
    const j2 = startReportJobs(t2.till);
    try {
      const r2 = createRegistry({ till: t2.till, devices: null, reports: j2 }, 'browser');
      const call2 = async <T>(name: string, input: unknown = {}) => {
        const r = await r2.call(name, input);
        if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
        return r.result as T;
      };
      await t2.loginAs('owner');
      await t2.call('shift.open', { openingCashFen: 0 });
      await t2.call('cart.scan', { code: demoBarcode(1) });
      await t2.call('sales.pay', { requestId: randomUUID(), payments: [{ method: 'cash', amountFen: 1_000 }] });
      const lastWeek = '2026-06-03';
      const user = t2.userId('owner');
      const sku = t2.till.sqlite.prepare(`SELECT id, name, price_fen AS p FROM skus LIMIT 1`).get() as { id: string; name: string; p: number };
      // Last week: 13:10 (before now), 15:10 (after), and 01:30 the night after (same business day, cutoff 04:00).
      for (const [n, d, h, m] of [[1, 3, 13, 10], [2, 3, 15, 10], [3, 4, 1, 30]] as const) {
        const id = `lw${n}`;
        t2.till.sqlite
          .prepare(`INSERT INTO sales (id, receipt_no, till_id, kind, business_day, user_id, gross_fen, discount_fen, rounding_fen, total_fen, paid_fen, change_fen, item_count, created_at)
            VALUES (?, ?, 'T01', 'sale', ?, ?, ?, 0, 0, ?, ?, 0, 1, ?)`)
          .run(id, `LW-${n}`, lastWeek, user, sku.p, sku.p, sku.p, new Date(2026, 5, d, h, m).getTime());
      }
      const d = await call2<DashboardData>('dashboard.load');
      expect(d.day).toBe('2026-06-10');
      expect(d.lastWeekDay).toBe(lastWeek);
      expect(d.asOfHour).toBe(14);
      expect(d.today.tickets).toBe(1);
      expect(d.lastWeek.tickets).toBe(3);
      expect(d.lastWeekSoFar!.tickets).toBe(1); // only 13:10
      expect(d.hourly.lastWeek[13] + d.hourly.lastWeek[15] + d.hourly.lastWeek[1]).toBe(3);
      // a past day is compared whole
      const past = await call2<DashboardData>('dashboard.load', { day: '2026-06-09' });
      expect(past.lastWeekSoFar).toBeNull();
    } finally {
      await j2.close();
      t2.cleanup();
    }
  });

  it('a worker that dies fails its jobs clearly, and the next job starts a new one', async () => {
    await loginAs('manager');
    await (jobs as unknown as { worker: { terminate(): Promise<number> } | null }).worker?.terminate();
    const r = await report('byDay');
    expect(r.rows[0].day).toBe(day);
  });
});
