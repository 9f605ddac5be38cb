// The report summaries (rpt_* tables, migration 0009) are kept by triggers inside the transaction of
// each sale, return, cancel and payment. Their invariant: every table equals a recount from the rows
// (the migration's own backfill statements run again into scratch tables). Checked after sales with
// members and split tenders, partial returns, a cancel, a no-receipt return, a pending payment
// approved later, a sale moved to the next day as 0007 does after a day close, and a rolled-back sale.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiInput } from '../../../shared/api';
import type { SaleResult, SaleView } from '../../../shared/api/sales';
import { demoBarcode } from '../../../electron/till/seed';
import { newId } from '../../../shared/ids';
import { tempTill, type TempTill } from '../../support/temp-till';

const TABLES = ['rpt_hour', 'rpt_cashier', 'rpt_member', 'rpt_category', 'rpt_sku_day', 'rpt_sku_month', 'rpt_tender'] as const;
const KEYS: Record<(typeof TABLES)[number], string[]> = {
  rpt_hour: ['business_day', 'hour'],
  rpt_cashier: ['business_day', 'user_id'],
  rpt_member: ['business_day', 'member_id'],
  rpt_category: ['business_day', 'category_id'],
  rpt_sku_day: ['business_day', 'sku_id'],
  rpt_sku_month: ['month', 'sku_id'],
  rpt_tender: ['business_day', 'method'],
};

/** The backfill statements of migration 0009 (top-level INSERTs), one per summary table. */
function backfills(): Map<string, string> {
  const sql = readFileSync(join(import.meta.dirname, '../../../migrations/0009_report_triggers.sql'), 'utf8');
  const out = new Map<string, string>();
  for (const stmt of sql.split('--> statement-breakpoint')) {
    const body = stmt.replace(/^(\s*--.*\n)*/g, '').trim();
    const m = /^INSERT INTO (rpt_\w+)/.exec(body);
    if (m) out.set(m[1], body);
  }
  return out;
}

/** Rows of a table with all-zero rows dropped (a cancel or a move can leave one), keyed and sorted. */
function rowsOf(tt: TempTill, table: string, keys: string[]): Record<string, unknown>[] {
  const rows = tt.till.sqlite.prepare(`SELECT * FROM ${table} ORDER BY ${keys.join(', ')}`).all() as Record<string, unknown>[];
  return rows.filter((r) => Object.entries(r).some(([k, v]) => !keys.includes(k) && v !== 0));
}

/** Asserts every summary equals a recount from the rows. */
function expectSummariesMatchRecount(tt: TempTill): void {
  const fills = backfills();
  expect([...fills.keys()].sort()).toEqual([...TABLES].sort());
  for (const t of TABLES) {
    tt.till.sqlite.exec(`DROP TABLE IF EXISTS temp.re_${t}; CREATE TEMP TABLE re_${t} AS SELECT * FROM main.${t} WHERE 0`);
    tt.till.sqlite.exec(fills.get(t)!.replace(`INSERT INTO ${t} `, `INSERT INTO temp.re_${t} `));
    expect({ table: t, rows: rowsOf(tt, `main.${t}`, KEYS[t]) }).toEqual({ table: t, rows: rowsOf(tt, `temp.re_${t}`, KEYS[t]) });
  }
}

async function ring(tt: TempTill, codes: string[], payments: ApiInput<'sales.pay'>['payments'], member?: string): Promise<SaleView> {
  for (const c of codes) await tt.call('cart.scan', { code: c });
  if (member) await tt.call('cart.attachMember', { phone: member });
  const r = await tt.call('sales.pay', { requestId: randomUUID(), payments });
  return tt.call('sales.get', { saleId: r.saleId });
}

let tt: TempTill;
afterEach(() => tt?.cleanup());

describe('report summaries kept by triggers', () => {
  it('equal a recount after sales, returns, a cancel, a no-receipt return, a pending payment and a day move', async () => {
    tt = tempTill();
    await tt.loginAs('manager');
    await tt.call('shift.open', { openingCashFen: 10_000 });
    const phone = (tt.till.sqlite.prepare('SELECT phone FROM members LIMIT 1').get() as { phone: string } | undefined)?.phone;
    const a = await ring(tt, [demoBarcode(1), demoBarcode(1), demoBarcode(2)], [{ method: 'cash', amountFen: 2000 }], phone);
    const b = await ring(tt, [demoBarcode(3), demoBarcode(4)], [
      { method: 'card_terminal', amountFen: 500, reference: 'C0001' },
      { method: 'cash', amountFen: 5000 },
    ]);
    const c = await ring(tt, [demoBarcode(5)], [{ method: 'cash', amountFen: 1000 }]);
    // A partial return of a, a cancel of b (its rest comes back), a return without a receipt.
    await tt.call('sales.return', { requestId: randomUUID(), saleId: a.id, lines: [{ lineId: a.lines[0].id, qty: 1000 }], reason: '不要了' });
    await tt.call('sales.cancel', { requestId: randomUUID(), saleId: b.id, reason: '录错', refundReferences: { card_terminal: 'R0001' } });
    await tt.call('sales.returnWithoutReceipt', { // a manager's own session approves itself
      requestId: randomUUID(),
      items: [{ skuId: c.lines[0].skuId, qty: 1000, unitPriceFen: 100 }],
      reason: '无小票',
    });
    expect((tt.till.sqlite.prepare(`SELECT cancel_count AS n FROM rpt_hour WHERE cancel_count > 0`).get() as { n: number }).n).toBe(1);
    expectSummariesMatchRecount(tt);

    // A payment written pending and approved later counts once it is approved.
    const pid = newId();
    tt.till.sqlite
      .prepare(`INSERT INTO payments (id, sale_id, method, amount_fen, reference, status, created_at) VALUES (?, ?, 'wechat', 123, NULL, 'pending', 0)`)
      .run(pid, c.id);
    expect(tt.till.sqlite.prepare(`SELECT * FROM rpt_tender WHERE method = 'wechat'`).get()).toBeUndefined();
    tt.till.sqlite.prepare(`UPDATE payments SET status = 'approved' WHERE id = ?`).run(pid);
    expectSummariesMatchRecount(tt);

    // The day-close trigger (0007) moves a sale to the next day right after its insert; any later
    // move carries its lines and payments with it.
    tt.till.sqlite.prepare(`UPDATE sales SET business_day = '2031-01-02' WHERE id = ?`).run(a.id);
    expect((tt.till.sqlite.prepare(`SELECT sum(sold_qty) AS q FROM rpt_sku_day WHERE business_day = '2031-01-02'`).get() as { q: number }).q).toBe(3000);
    expectSummariesMatchRecount(tt);
  });

  it('follow a sale booked after a day close (0007 moves it in the same insert)', async () => {
    tt = tempTill();
    await tt.loginAs('manager');
    await tt.call('shift.open', { openingCashFen: 0 });
    const today = tt.till.businessDay();
    // Close "today" behind the app's back, as a close that committed while a card payment was awaited.
    tt.till.sqlite
      .prepare(`INSERT INTO day_closes (business_day, till_id, closed_at, closed_by, report) VALUES (?, 'T01', 0, 'x', '{}')`)
      .run(today);
    const s = await ring(tt, [demoBarcode(1)], [{ method: 'cash', amountFen: 500 }]);
    const day = (tt.till.sqlite.prepare('SELECT business_day AS d FROM sales WHERE id = ?').get(s.id) as { d: string }).d;
    const hourDays = tt.till.sqlite.prepare('SELECT business_day AS d FROM rpt_hour WHERE sale_count <> 0').all() as { d: string }[];
    expect(hourDays.map((r) => r.d)).toEqual([day]);
    expectSummariesMatchRecount(tt);
  });

  it('roll back with the sale: a failed transaction leaves the summaries as they were', async () => {
    tt = tempTill();
    await tt.loginAs('manager');
    await tt.call('shift.open', { openingCashFen: 0 });
    await ring(tt, [demoBarcode(1)], [{ method: 'cash', amountFen: 500 }]);
    const before = TABLES.map((t) => rowsOf(tt, t, KEYS[t]));
    const sale = tt.till.sqlite.prepare('SELECT * FROM sales LIMIT 1').get() as Record<string, unknown>;
    expect(() =>
      tt.till.tx(() => {
        const id = newId();
        tt.till.sqlite
          .prepare(`INSERT INTO sales (id, receipt_no, till_id, kind, business_day, user_id, gross_fen, discount_fen, rounding_fen, total_fen, paid_fen, change_fen, item_count, created_at)
            VALUES (?, 'X-1', 'T01', 'sale', ?, ?, 100, 0, 0, 100, 100, 0, 1, ?)`)
          .run(id, sale.business_day, sale.user_id, Date.now());
        tt.till.sqlite.prepare(`INSERT INTO payments (id, sale_id, method, amount_fen, status, created_at) VALUES (?, ?, 'cash', 100, 'approved', 0)`).run(newId(), id);
        throw new Error('crash before the commit');
      }),
    ).toThrow('crash before the commit');
    expect(TABLES.map((t) => rowsOf(tt, t, KEYS[t]))).toEqual(before);
  });
});
