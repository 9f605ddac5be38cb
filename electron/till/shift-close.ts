// Closing a shift (交班): the cashier counts the drawer by denomination; the till compares it with
// the cash the ledger expects, and in ONE transaction marks the shift closed (only if still open),
// writes the ledger's last rows — the over/short (长短款) and the hand-over of the counted cash, so a
// closed shift's rows plus its cash payments sum to zero — keeps the X report as printed, enqueues
// its print job and audits. The float left in the drawer is the next shift's suggested float.
import { and, desc, eq, isNull } from 'drizzle-orm';
import { ROLE_RANK } from '../../shared/api/endpoint';
import { countedFen, type CashCountLine, type ShiftReport, type ShiftSummary } from '../../shared/api/shift';
import { TillError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { formatYuan } from '../../shared/money';
import type { ShiftReportPrint } from '../devices/receipt/report-templates';
import { audit } from './audit';
import { enqueuePrint } from './ledger';
import { cashMoves, shifts, users } from './schema';
import { shiftFor, shiftNo } from './shift';
import { shiftReport } from './shift-report';
import type { Till } from './till';

export interface CloseShiftInput {
  shiftId: string;
  count: CashCountLine[];
  floatLeftFen: number;
  note?: string;
}

export function closeShift(till: Till, input: CloseShiftInput): { report: ShiftReport; printJobId: string } {
  const session = till.auth.requireSession();
  const row = shiftFor(till, input.shiftId);
  if (row.closedAt !== null) throw new TillError('SHIFT_CLOSED', '该班次已经交班');
  const counted = countedFen(input.count);
  if (input.floatLeftFen > counted) {
    throw new TillError('FLOAT_TOO_BIG', `留存备用金 ${formatYuan(input.floatLeftFen)} 不能多于实点现金 ${formatYuan(counted)}`);
  }
  const at = till.now();
  const note = input.note?.trim() || null;
  return till.tx(() => {
    // A cart being rung up would be paid into a closed shift: finish it first.
    const cart = till.stmt(`SELECT json_array_length(data, '$.lines') AS n FROM carts WHERE status = 'active' LIMIT 1`).get() as { n: number } | undefined;
    if (cart && cart.n > 0) throw new TillError('CART_NOT_EMPTY', '购物车里还有商品：请先结算、挂单或作废，再交班');
    const report = shiftReport(till, row, { at, by: session.name, count: input.count, countedFen: counted, floatLeftFen: input.floatLeftFen, note });
    const closed = till.db
      .update(shifts)
      .set({
        closedAt: at, closedBy: session.userId, countedCashFen: counted, expectedCashFen: report.cash.expectedFen,
        cashCount: input.count, floatLeftFen: input.floatLeftFen, report, note,
      })
      .where(and(eq(shifts.id, row.id), isNull(shifts.closedAt)))
      .run();
    if (closed.changes !== 1) throw new TillError('SHIFT_CLOSED', '该班次已经交班');
    const diff = report.cash.differenceFen!;
    const day = row.businessDay; // a shift closes on its own business day, also the morning after
    const move = (kind: 'over_short' | 'handover', amountFen: number, reason: string) =>
      till.db.insert(cashMoves).values({ id: newId(), shiftId: row.id, businessDay: day, kind, amountFen, reason, userId: session.userId, createdAt: at }).run();
    if (diff !== 0) move('over_short', diff, diff > 0 ? '长款' : '短款');
    move('handover', -counted, `交班点清（留存备用金 ${formatYuan(input.floatLeftFen)}）`);
    const printJobId = enqueuePrint(till.db, { kind: 'shift_report', refId: row.id, payload: { v: 1, template: 'shift_report', data: report }, at });
    audit(till.sqlite, {
      userId: session.userId, action: 'shift.close', target: row.id,
      details: { expectedFen: report.cash.expectedFen, countedFen: counted, differenceFen: diff, floatLeftFen: input.floatLeftFen, cashierId: row.userId },
    }, at);
    return { report, printJobId };
  });
}

/** The X report: stored as printed for a closed shift, live for an open one. Own shift only for a cashier. */
export function readShiftReport(till: Till, shiftId: string | undefined): ShiftReport {
  let id = shiftId;
  if (!id) {
    const open = till.db.select({ id: shifts.id }).from(shifts).where(and(eq(shifts.tillId, till.tillId), isNull(shifts.closedAt))).get();
    if (!open) throw new TillError('NO_SHIFT', '没有未交班的班次');
    id = open.id;
  }
  const row = shiftFor(till, id);
  if (row.closedAt !== null && row.report) return row.report as ShiftReport;
  return shiftReport(till, row);
}

/** A copy of a closed shift's X report, marked 重印 (audited). */
export function reprintShiftReport(till: Till, shiftId: string): { printJobId: string } {
  const session = till.auth.requireSession();
  const row = shiftFor(till, shiftId);
  if (row.closedAt === null || !row.report) throw new TillError('SHIFT_OPEN', '该班次还没有交班，交班后才有交班报表');
  const at = till.now();
  const data: ShiftReportPrint = { ...(row.report as ShiftReport), reprint: { at, by: session.name } };
  return till.tx(() => {
    const printJobId = enqueuePrint(till.db, { kind: 'shift_report', refId: row.id, payload: { v: 1, template: 'shift_report', data }, isCopy: true, at });
    audit(till.sqlite, { userId: session.userId, action: 'shift.reprint', target: row.id }, at);
    return { printJobId };
  });
}

/** Shifts, newest first: a cashier's own, a manager's all (optionally of one business day). */
export function listShifts(till: Till, q: { businessDay?: string; limit: number }): ShiftSummary[] {
  const session = till.auth.requireSession();
  const manager = ROLE_RANK[session.role] >= ROLE_RANK.manager;
  const where = and(
    q.businessDay ? eq(shifts.businessDay, q.businessDay) : undefined,
    manager ? undefined : eq(shifts.userId, session.userId),
  );
  const rows = till.db
    .select({ s: shifts, userName: users.name })
    .from(shifts)
    .innerJoin(users, eq(users.id, shifts.userId))
    .where(where)
    .orderBy(desc(shifts.openedAt))
    .limit(q.limit)
    .all();
  return rows.map(({ s, userName }) => ({
    id: s.id,
    shiftNo: shiftNo(till, s),
    userName,
    businessDay: s.businessDay,
    openedAt: s.openedAt,
    closedAt: s.closedAt,
    expectedCashFen: s.expectedCashFen,
    countedCashFen: s.countedCashFen,
    differenceFen: s.countedCashFen !== null && s.expectedCashFen !== null ? s.countedCashFen - s.expectedCashFen : null,
  }));
}
