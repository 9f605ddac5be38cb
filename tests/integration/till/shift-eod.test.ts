// Shifts, the end of day and backups on the main side, through the handler map on a real SQLite
// file, as a hostile cashier and a hurried manager use them: the drawer's ledger, the count and its
// difference, who may see and close which shift, a shift left open overnight, closing a day twice,
// sales after the close, the backup taken at the close, and restores (checked copy, live swap,
// receipt numbers never repeated).
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackupCheck, BackupFile, BackupOutcome, DayReport, DayStatus } from '../../../shared/api/day';
import type { ApiInput } from '../../../shared/api';
import type { SaleResult } from '../../../shared/api/sales';
import type { CashMoveView, ShiftReport, ShiftState } from '../../../shared/api/shift';
import { verifyAuditChain } from '../../../electron/till/audit';
import { backupDir, restoreInto } from '../../../electron/till/backup';
import { demoBarcode } from '../../../electron/till/seed';
import { Till } from '../../../electron/till/till';
import { tempTill, type TempTill } from '../../support/temp-till';
import { approveAsk, askOf, count, refusal } from '../../support/till-asserts';

let t: TempTill | undefined;
const scratch: string[] = [];
afterEach(() => {
  t?.cleanup();
  t = undefined;
  for (const d of scratch.splice(0)) rmSync(d, { recursive: true, force: true });
});

const COKE_330 = demoBarcode(1); // ¥3.00
const COKE_500 = demoBarcode(2); // ¥3.50

/** A clock the test moves: 2026-11-30 09:00 local. */
function clock() {
  const c = { now: new Date(2026, 10, 30, 9, 0, 0).getTime(), at: (h: number, m = 0, dayOffset = 0) => (c.now = new Date(2026, 10, 30 + dayOffset, h, m).getTime()) };
  return c;
}

async function till(c = clock()): Promise<{ tt: TempTill; c: ReturnType<typeof clock> }> {
  t = tempTill({ now: () => c.now });
  return { tt: t, c };
}

async function sell(tt: TempTill, codes: string[], payments: ApiInput<'sales.pay'>['payments']): Promise<SaleResult> {
  for (const code of codes) await tt.call('cart.scan', { code });
  return tt.call('sales.pay', { requestId: randomUUID(), payments });
}

const sumDb = (tt: TempTill, sql: string, ...args: unknown[]): number =>
  (tt.till.sqlite.prepare(sql).get(...args) as { v: number | null }).v ?? 0;

describe('shift: open, cash in/out, close with the count', () => {
  it('the drawer ledger gives the expected cash; the count gives the difference; the X report is kept and printed', async () => {
    const { tt, c } = await till();
    await tt.loginAs('cashier');
    const shift = await tt.call('shift.open', { openingCashFen: 50_000 });
    // The float is the ledger's first row.
    expect(count(tt, 'cash_moves', `shift_id = '${shift.id}' AND kind = 'float' AND amount_fen = 50000`)).toBe(1);

    c.at(10);
    await sell(tt, [COKE_330, COKE_500], [{ method: 'cash', amountFen: 1000 }]); // 650, change 350
    await sell(tt, [COKE_500], [{ method: 'card_terminal', amountFen: 350, reference: 'T123456' }]);
    await sell(tt, [COKE_330], [{ method: 'card_terminal', amountFen: 100, reference: 'T123457' }, { method: 'cash', amountFen: 500 }]); // split: 200 cash net

    // A cashier cannot take cash out on their own: the manager's PIN on the spot, bound to this amount and reason.
    const input = { kind: 'cash_out' as const, amountFen: 20_000, reason: '付供货商' };
    const ask = await askOf(tt.call('shift.cashMove', input));
    expect(ask).toMatchObject({ action: 'cash_move', summary: '钱箱取出 ¥200.00（付供货商）' });
    const token = await approveAsk(tt, ask);
    // The token does not take out more than approved.
    expect((await refusal(tt.call('shift.cashMove', { ...input, amountFen: 30_000, approval: token }))).code).toBe('APPROVAL_MISMATCH');
    const out = await tt.call('shift.cashMove', { ...input, approval: token });
    expect(out.move).toMatchObject({ kind: 'cash_out', amountFen: -20_000, reason: '付供货商', userName: '小王', approverName: '李店长' });
    expect(out.drawer.opened).toBe(false); // no devices in this test: said, not hidden
    // Spent: the same token again is refused.
    expect((await refusal(tt.call('shift.cashMove', { ...input, approval: token }))).code).toBe('APPROVAL_REQUIRED');
    expect(count(tt, 'audit_log', `action = 'drawer.cash_out' AND approver_id IS NOT NULL`)).toBe(1);

    const live = await tt.call('shift.report', {});
    expect(live.closedAt).toBeNull();
    expect(live.sales).toMatchObject({ count: 3, totalFen: 650 + 350 + 300 });
    expect(live.cash).toMatchObject({ openingFen: 50_000, salesFen: 650 + 200, outFen: -20_000, expectedFen: 50_000 + 850 - 20_000 });
    expect(live.tenders.map((x) => [x.method, x.netFen])).toEqual([
      ['cash', 850],
      ['card_terminal', 450],
    ]);

    // Counted ¥1.50 short: 3×¥100 + 1×¥5 + 3×¥1 + 4×¥0.1 = 308.40 … expected 308.50.
    c.at(17);
    const count1: ApiInput<'shift.close'>['count'] = [
      { denomFen: 10_000, count: 3 },
      { denomFen: 500, count: 1 },
      { denomFen: 100, count: 3 },
      { denomFen: 10, count: 4 },
    ];
    expect((await refusal(tt.call('shift.close', { shiftId: shift.id, count: count1, floatLeftFen: 40_000 }))).code).toBe('FLOAT_TOO_BIG');
    const closed = await tt.call('shift.close', { shiftId: shift.id, count: count1, floatLeftFen: 20_000, note: '少一角' });
    expect(closed.report.cash).toMatchObject({ expectedFen: 30_850, countedFen: 30_840, differenceFen: -10, floatLeftFen: 20_000, handoverFen: 10_840 });
    expect(closed.report.shiftNo).toBe(`T01-20261130-1`);
    // The ledger balances: rows + cash taken at sales = 0, and the difference is a row of its own.
    const ledger = sumDb(tt, 'SELECT sum(amount_fen) AS v FROM cash_moves WHERE shift_id = ?', shift.id);
    expect(ledger + 850).toBe(0);
    expect(count(tt, 'cash_moves', `shift_id = '${shift.id}' AND kind = 'over_short' AND amount_fen = -10`)).toBe(1);
    // Kept and printed as the same data.
    const job = tt.till.sqlite.prepare('SELECT kind, ref_id, payload FROM print_jobs WHERE id = ?').get(closed.printJobId) as { kind: string; ref_id: string; payload: string };
    expect(job.kind).toBe('shift_report');
    expect(JSON.parse(job.payload)).toMatchObject({ template: 'shift_report', data: { shiftId: shift.id, cash: { differenceFen: -10 } } });
    expect(await tt.call('shift.report', { shiftId: shift.id })).toEqual(closed.report);
    // Closing twice is refused; so is selling into the closed shift.
    expect((await refusal(tt.call('shift.close', { shiftId: shift.id, count: count1, floatLeftFen: 0 }))).code).toBe('SHIFT_CLOSED');
    expect((await refusal(sell(tt, [COKE_330], [{ method: 'cash', amountFen: 300 }]))).code).toBe('SHIFT_REQUIRED');
    // The next cashier is offered the float left in the drawer.
    expect((await tt.call('shift.state', {})).suggestedFloatFen).toBe(20_000);
    // A reprint is a copy.
    const re = await tt.call('shift.reprint', { shiftId: shift.id });
    expect(JSON.parse((tt.till.sqlite.prepare('SELECT payload FROM print_jobs WHERE id = ? AND is_copy = 1').get(re.printJobId) as { payload: string }).payload).data.reprint.by).toBe('小王');
    expect(verifyAuditChain(tt.till.sqlite)).toBeNull();
  });

  it('cash out never takes more than the drawer holds; bad counts are refused in Chinese and change nothing', async () => {
    const { tt } = await till();
    await tt.loginAs('manager');
    const s = await tt.call('shift.open', { openingCashFen: 10_000 });
    const r = await refusal(tt.call('shift.cashMove', { kind: 'cash_out', amountFen: 10_001, reason: '取款' }));
    expect(r).toMatchObject({ code: 'CASH_SHORT', message: '钱箱应有现金 ¥100.00，不能取出 ¥100.01' });
    expect((await refusal(tt.call('shift.cashMove', { kind: 'cash_in', amountFen: 100, reason: '  ' }))).message).toContain('请填写原因');
    expect((await refusal(tt.callRaw('shift.close', { shiftId: s.id, count: [{ denomFen: 300, count: 1 }], floatLeftFen: 0 }))).message).toContain('面额');
    expect((await refusal(tt.call('shift.close', { shiftId: s.id, count: [{ denomFen: 100, count: 1 }, { denomFen: 100, count: 2 }], floatLeftFen: 0 }))).message).toContain('同一面额');
    expect(count(tt, 'cash_moves')).toBe(1);
    // A manager moves cash on their own session (no PIN asked), audited with themself as approver.
    await tt.call('shift.cashMove', { kind: 'cash_in', amountFen: 5_000, reason: '补零钱' });
    expect((await tt.call('shift.report', {})).cash.expectedFen).toBe(15_000);
  });

  it('a cashier sees and closes only their own shift; another cashier cannot sell into it', async () => {
    const { tt } = await till();
    await tt.loginAs('manager');
    const mgr = await tt.call('shift.open', { openingCashFen: 10_000 });
    // A second cashier account.
    const { hashPin } = await import('../../../electron/till/auth');
    tt.till.sqlite.prepare(`INSERT INTO users (id, name, role_id, pin_hash, created_at) VALUES ('u-chen', '小陈', 'cashier', ?, 0)`).run(hashPin('3333'));
    await tt.call('auth.login', { userId: 'u-chen', pin: '3333' });
    const state = await tt.call('shift.state', {});
    expect(state.current).toMatchObject({ userName: '李店长', mine: false, openingCashFen: null });
    expect((await refusal(tt.call('shift.report', { shiftId: mgr.id }))).code).toBe('UNKNOWN_SHIFT');
    expect((await refusal(tt.call('shift.close', { shiftId: mgr.id, count: [], floatLeftFen: 0 }))).code).toBe('UNKNOWN_SHIFT');
    expect(await tt.call('shift.list', {})).toEqual([]);
    const r = await refusal(sell(tt, [COKE_330], [{ method: 'cash', amountFen: 300 }]));
    expect(r).toMatchObject({ code: 'SHIFT_NOT_YOURS' });
    expect((await refusal(tt.call('shift.open', { openingCashFen: 0 }))).message).toContain('李店长 的班次还没有交班');
    expect(count(tt, 'sales')).toBe(0);
  });

  it('a shift left open overnight takes no more money; the next login is told; it closes on its own business day', async () => {
    const { tt, c } = await till();
    await tt.loginAs('cashier');
    const s = await tt.call('shift.open', { openingCashFen: 10_000 });
    await sell(tt, [COKE_330], [{ method: 'cash', amountFen: 300 }]);
    c.at(9, 0, 1); // next morning
    await tt.loginAs('cashier');
    const state = await tt.call('shift.state', {});
    expect(state.current).toMatchObject({ id: s.id, stale: true, businessDay: '2026-11-30', mine: true });
    expect(state.businessDay).toBe('2026-12-01');
    const r = await refusal(sell(tt, [COKE_330], [{ method: 'cash', amountFen: 300 }]));
    expect(r.code).toBe('SHIFT_STALE');
    expect(r.message).toContain('营业日 2026-11-30');
    await tt.call('cart.void', {});
    const closed = await tt.call('shift.close', { shiftId: s.id, count: [{ denomFen: 10_000, count: 1 }, { denomFen: 100, count: 3 }], floatLeftFen: 10_000 });
    expect(closed.report).toMatchObject({ businessDay: '2026-11-30', cash: { differenceFen: 0 } });
    expect(count(tt, 'cash_moves', `shift_id = '${s.id}' AND business_day = '2026-11-30'`)).toBe(2); // float, hand-over (no difference)
    await tt.call('shift.open', { openingCashFen: 10_000 });
    expect((await tt.call('shift.state', {})).current).toMatchObject({ businessDay: '2026-12-01', stale: false });
  });

  it('a night shift logged in before the cutoff sells on through it; its later sales go to the new day', async () => {
    const { tt, c } = await till();
    c.at(22);
    await tt.loginAs('cashier');
    const s = await tt.call('shift.open', { openingCashFen: 10_000 });
    await sell(tt, [COKE_330], [{ method: 'cash', amountFen: 300 }]);
    c.at(5, 0, 1); // past the 04:00 cutoff, same session
    const late = await sell(tt, [COKE_330], [{ method: 'cash', amountFen: 300 }]);
    expect(sumDb(tt, `SELECT count(*) AS v FROM sales WHERE id = ? AND business_day = '2026-12-01'`, late.saleId)).toBe(1);
    expect((await tt.call('shift.state', {})).current).toMatchObject({ id: s.id, stale: false });
    // The shift's report has both sales; the closed day of the 30th waits for the hand-over.
    expect((await tt.call('shift.report', {})).sales.count).toBe(2);
    await tt.loginAs('manager'); // a new login after the cutoff: now it is a shift left open overnight
    expect((await tt.call('shift.state', {})).current).toMatchObject({ stale: true });
    expect((await refusal(tt.call('day.close', { businessDay: '2026-11-30' }))).code).toBe('SHIFT_OPEN');
  });
});

describe('end of day (日结)', () => {
  it('closes once; the Z equals the day in the database; later sales go to the next day; a backup is taken', async () => {
    const { tt, c } = await till();
    await tt.loginAs('cashier');
    const s = await tt.call('shift.open', { openingCashFen: 10_000 });
    await sell(tt, [COKE_330, COKE_500], [{ method: 'cash', amountFen: 2000 }]);
    const card = await sell(tt, [COKE_500, COKE_500], [{ method: 'card_terminal', amountFen: 700, reference: 'T0001' }]);
    await tt.call('cart.scan', { code: COKE_330 });
    await tt.call('cart.void', {}); // 作废 before payment
    await tt.loginAs('manager');
    const day = '2026-11-30';
    expect((await tt.call('day.status', {})).closable).toEqual([day]);
    // Shifts first.
    const early = await refusal(tt.call('day.close', { businessDay: day }));
    expect(early).toMatchObject({ code: 'SHIFT_OPEN' });
    expect(early.message).toContain('小王');
    // The manager cancels the card sale (a refund to the card, with the terminal's reference).
    await tt.call('sales.cancel', { requestId: randomUUID(), saleId: card.saleId, reason: '顾客不要了', refundReferences: { card_terminal: 'R0001' } });
    await tt.call('shift.close', { shiftId: s.id, count: [{ denomFen: 10_000, count: 1 }, { denomFen: 500, count: 1 }, { denomFen: 100, count: 1 }, { denomFen: 50, count: 1 }], floatLeftFen: 10_000 });
    expect((await refusal(tt.call('day.close', { businessDay: '2026-12-01' }))).code).toBe('DAY_NOT_YET');

    c.at(22);
    const closed = await tt.call('day.close', { businessDay: day });
    const z = closed.report;
    const dbTotal = sumDb(tt, `SELECT sum(total_fen) AS v FROM sales WHERE business_day = ?`, day);
    const dbPaid = sumDb(tt, `SELECT sum(p.amount_fen) - (SELECT sum(change_fen) FROM sales WHERE business_day = ?) AS v FROM payments p JOIN sales s ON s.id = p.sale_id WHERE s.business_day = ?`, day, day);
    expect(z.netFen).toBe(dbTotal);
    expect(z.tenders.reduce((a, x) => a + x.netFen, 0)).toBe(dbPaid);
    expect(z).toMatchObject({
      sales: { count: 2, totalFen: 650 + 700 },
      returns: { count: 1, totalFen: -700 },
      cancels: { count: 1, totalFen: -700 },
      voids: { count: 1, totalFen: 300 },
      netFen: 650,
      shifts: { count: 1, differenceFen: 0 },
    });
    expect(z.cashiers.map((x) => [x.name, x.saleCount, x.returnCount])).toEqual([
      ['小王', 2, 0],
      ['李店长', 0, 1],
    ]);
    expect(z.categories.reduce((a, x) => a + x.amountFen, 0)).toBe(dbTotal);
    expect(JSON.parse((tt.till.sqlite.prepare('SELECT payload FROM print_jobs WHERE id = ?').get(closed.printJobId) as { payload: string }).payload)).toMatchObject({
      template: 'day_report',
      data: { businessDay: day, netFen: 650 },
    });
    // Once only: refused by the till, and by the table itself.
    expect((await refusal(tt.call('day.close', { businessDay: day }))).code).toBe('DAY_CLOSED');
    expect(() =>
      tt.till.sqlite.prepare(`INSERT INTO day_closes (business_day, till_id, closed_at, closed_by, report) VALUES (?, 'T01', 0, 'x', '{}')`).run(day),
    ).toThrow(/UNIQUE|PRIMARY/);
    expect(await tt.call('day.report', { businessDay: day })).toEqual(z);

    // The backup of the close: a self-contained file (no -wal needed) holding the close.
    expect(closed.backup).toMatchObject({ ok: true, second: null });
    const file = join(backupDir(tt.till), closed.backup.file!);
    const b = new Database(file, { readonly: true });
    expect(b.prepare('SELECT business_day AS d FROM day_closes').all()).toEqual([{ d: day }]);
    expect(b.pragma('journal_mode', { simple: true })).toBe('delete');
    b.close();
    expect(count(tt, 'day_closes', `backup_file = '${closed.backup.file}' AND backup_error IS NULL`)).toBe(1);

    // Still 22:00 on the 30th: a sale now belongs to the 1st.
    expect(tt.till.businessDay()).toBe('2026-12-01');
    await tt.call('shift.open', { openingCashFen: 10_000 });
    const late = await sell(tt, [COKE_330], [{ method: 'cash', amountFen: 300 }]);
    expect(sumDb(tt, `SELECT count(*) AS v FROM sales WHERE id = ? AND business_day = '2026-12-01'`, late.saleId)).toBe(1);
    expect((await tt.call('day.report', { businessDay: day })).netFen).toBe(650);
    // A sale that read its day before the close committed is moved by the trigger.
    const uid = tt.userId('cashier');
    tt.till.sqlite
      .prepare(
        `INSERT INTO sales (id, receipt_no, till_id, kind, business_day, user_id, gross_fen, discount_fen, rounding_fen, total_fen, paid_fen, change_fen, item_count, created_at)
         VALUES ('late', 'X-1', 'T01', 'sale', ?, ?, 100, 0, 0, 100, 100, 0, 1, 0)`,
      )
      .run(day, uid);
    expect(sumDb(tt, `SELECT count(*) AS v FROM sales WHERE id = 'late' AND business_day = '2026-12-01'`)).toBe(1);
  });

  it('a backup that cannot be written does not undo the close; the second folder must exist', async () => {
    const { tt } = await till();
    await tt.loginAs('manager');
    await tt.call('backup.saveSettings', { secondDir: join(tt.dataDir, 'no-usb-stick') });
    const r = await tt.call('day.close', { businessDay: '2026-11-30' });
    expect(r.backup.ok).toBe(true);
    expect(r.backup.second).toMatchObject({ ok: false });
    expect(r.backup.second!.message).toContain('第二备份目录不存在');
    expect(existsSync(join(tt.dataDir, 'no-usb-stick'))).toBe(false);
    expect(count(tt, 'day_closes', `backup_error LIKE '%第二备份目录不存在%'`)).toBe(1);
  });

  it('rotation keeps the newest N in each folder and copies to the second folder', async () => {
    const { tt, c } = await till();
    await tt.loginAs('manager');
    const usb = mkdtempSync(join(tmpdir(), 'usb-'));
    scratch.push(usb);
    writeFileSync(join(usb, 'photo.jpg'), 'not ours'); // never touched
    await tt.call('backup.saveSettings', { keep: 2, secondDir: usb });
    for (let i = 0; i < 4; i++) {
      c.at(10, i);
      const o = await tt.call('backup.now', {});
      expect(o.second).toMatchObject({ ok: true });
    }
    const list = await tt.call('backup.list', {});
    expect(list.filter((f) => f.where === 'primary').map((f) => f.name)).toEqual(['till-20261130-100300-manual.db', 'till-20261130-100200-manual.db']);
    expect(list.filter((f) => f.where === 'second')).toHaveLength(2);
    expect(existsSync(join(usb, 'photo.jpg'))).toBe(true);
  });
});

describe('restore', () => {
  async function dayWithBackup() {
    const { tt, c } = await till();
    await tt.loginAs('cashier');
    const s = await tt.call('shift.open', { openingCashFen: 0 });
    const first = await sell(tt, [COKE_330], [{ method: 'cash', amountFen: 300 }]);
    await tt.call('shift.close', { shiftId: s.id, count: [{ denomFen: 100, count: 3 }], floatLeftFen: 0 });
    await tt.loginAs('manager');
    c.at(22);
    const closed = await tt.call('day.close', { businessDay: '2026-11-30' });
    return { tt, c, first, backup: closed.backup.file! };
  }

  it('restores a backup into a scratch folder and the till opens it', async () => {
    const { tt, backup } = await dayWithBackup();
    const dir = mkdtempSync(join(tmpdir(), 'restore-'));
    scratch.push(dir);
    const { check } = restoreInto(join(backupDir(tt.till), backup), dir);
    expect(check).toMatchObject({ ok: true, lastClosedDay: '2026-11-30', saleCount: 1, tillId: 'T01' });
    const other = new Till({ dataDir: dir });
    try {
      expect(other.businessDay(new Date(2026, 10, 30, 23).getTime())).toBe('2026-12-01');
      expect((other.sqlite.prepare('SELECT count(*) AS n FROM sales').get() as { n: number }).n).toBe(1);
    } finally {
      other.close();
    }
  });

  it('a damaged or foreign file is refused and nothing changes', async () => {
    const { tt, backup } = await dayWithBackup();
    const file = join(backupDir(tt.till), backup);
    // Damage a page in the middle of the file.
    const fs = await import('node:fs');
    const buf = fs.readFileSync(file);
    buf.fill(0xff, 4096 + 100, 4096 + 4000);
    fs.writeFileSync(file, buf);
    const check = await tt.call('backup.check', { name: backup, where: 'primary' });
    expect(check.ok).toBe(false);
    expect(check.problems.join()).toMatch(/完整性检查未通过|无法打开/);
    const before = count(tt, 'sales');
    expect((await refusal(tt.call('backup.restore', { name: backup, where: 'primary', confirm: true }))).code).toBe('BACKUP_BAD');
    expect(count(tt, 'sales')).toBe(before);
    expect((await refusal(tt.call('backup.check', { name: '../../till.db', where: 'primary' }))).code).toBe('BAD_INPUT');
  });

  it('restores live: the replaced database is kept as a backup, everyone logs in again, receipt numbers do not repeat', async () => {
    const { tt, c, backup } = await dayWithBackup();
    // The next day: a sale that the backup does not have.
    c.at(9, 0, 1);
    await tt.loginAs('cashier');
    const s = await tt.call('shift.open', { openingCashFen: 0 });
    const lost = await sell(tt, [COKE_500], [{ method: 'cash', amountFen: 350 }]);
    await tt.loginAs('manager');
    const refused = await refusal(tt.call('backup.restore', { name: backup, where: 'primary', confirm: true }));
    expect(refused.code).toBe('SHIFT_OPEN');
    await tt.loginAs('cashier');
    await tt.call('shift.close', { shiftId: s.id, count: [{ denomFen: 50, count: 7 }], floatLeftFen: 0 });
    await tt.loginAs('manager');
    const check = await tt.call('backup.check', { name: backup, where: 'primary' });
    expect(check).toMatchObject({ ok: true, newerSales: 1 });

    const r = await tt.call('backup.restore', { name: backup, where: 'primary', confirm: true });
    expect(r.replacedFile).toMatch(/before-restore\.db$/);
    expect(tt.till.auth.session).toBeNull();
    expect(count(tt, 'sales')).toBe(1);
    expect(count(tt, 'sales', `id = '${lost.saleId}'`)).toBe(0);
    // The replaced database is whole, listed, and itself restorable.
    const kept = new Database(join(backupDir(tt.till), r.replacedFile), { readonly: true });
    expect((kept.prepare('SELECT count(*) AS n FROM sales').get() as { n: number }).n).toBe(2);
    kept.close();
    await tt.loginAs('manager');
    expect((await tt.call('backup.list', {})).find((f) => f.name === r.replacedFile)?.kind).toBe('before_restore');
    expect(count(tt, 'audit_log', `action = 'backup.restored'`)).toBe(1);
    // The till sells on the restored data; the lost sale's receipt number is not given again.
    await tt.loginAs('cashier');
    await tt.call('shift.open', { openingCashFen: 0 });
    const next = await sell(tt, [COKE_330], [{ method: 'cash', amountFen: 300 }]);
    expect(next.receiptNo).not.toBe(lost.receiptNo);
    expect(next.receiptNo).toBe(lost.receiptNo.replace(/0001$/, '0002'));
    // And survives a restart.
    t = tt.reopen();
    expect(count(t, 'sales')).toBe(2);
  });

  it('a swap whose new file cannot be opened puts the old database back and the till keeps working', async () => {
    const { tt } = await dayWithBackup();
    const live = tt.till.dbFile;
    const aside = `${live}.aside`;
    expect(() =>
      tt.till.reopen(
        () => {
          renameSync(live, aside);
          writeFileSync(live, 'this is not a database');
        },
        () => {
          rmSync(live);
          renameSync(aside, live);
        },
      ),
    ).toThrow();
    await tt.loginAs('manager');
    expect(count(tt, 'sales')).toBe(1);
    expect(count(tt, 'day_closes')).toBe(1);
  });
});
