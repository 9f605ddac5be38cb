// The shift report (X report, 交班报表), computed from the rows: the shift's sales and returns, money
// per tender, voids and no-sale opens while it ran, and the drawer: the ledger (cash_moves: float,
// cash in and out) plus the cash payments net of change. Live while the shift is open; at the close
// shift-close.ts stores it with the count and prints it, and that stored copy is what is shown after.
import { asc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { CashCountLine, CashMoveView, ShiftReport } from '../../shared/api/shift';
import { byKindAndUser, cancelTotals, countHits, returnTotals, salesTotals, tenderTotals, voidsAndNoSales } from './report-totals';
import { cashMoves, shifts, users } from './schema';
import { shiftNo } from './shift';
import type { Till } from './till';

type ShiftRow = typeof shifts.$inferSelect;

const approver = alias(users, 'approver');

/** The drawer's ledger rows of a shift, oldest first, with who moved the cash. */
export function cashMovesOf(till: Till, shiftId: string): CashMoveView[] {
  return till.db
    .select({
      id: cashMoves.id,
      kind: cashMoves.kind,
      amountFen: cashMoves.amountFen,
      reason: cashMoves.reason,
      userName: users.name,
      approverName: approver.name,
      at: cashMoves.createdAt,
    })
    .from(cashMoves)
    .innerJoin(users, eq(users.id, cashMoves.userId))
    .leftJoin(approver, eq(approver.id, cashMoves.approvedBy))
    .where(eq(cashMoves.shiftId, shiftId))
    .orderBy(asc(cashMoves.createdAt), asc(cashMoves.id))
    .all();
}

/** The cash that should be in the drawer now: the ledger so far plus cash taken net of change. */
export function expectedCash(till: Till, shiftId: string): number {
  return shiftReport(till, till.db.select().from(shifts).where(eq(shifts.id, shiftId)).get()!).cash.expectedFen;
}

/**
 * The X report of a shift as its rows say now. `close` adds the count of a close being made (the
 * stored report of a closed shift is read with storedShiftReport instead).
 */
export function shiftReport(
  till: Till,
  row: ShiftRow,
  close?: { at: number; by: string; count: CashCountLine[]; countedFen: number; floatLeftFen: number; note: string | null },
): ShiftReport {
  const scope = { shiftId: row.id };
  const kinds = byKindAndUser(till, scope);
  const sales = salesTotals(kinds);
  const returns = returnTotals(kinds);
  const changeFen = kinds.reduce((s, r) => s + (r.kind === 'sale' ? r.change : 0), 0);
  const tenders = tenderTotals(till, scope, changeFen);
  const cashTender = tenders.find((t) => t.method === 'cash');
  const moves = cashMovesOf(till, row.id);
  const sum = (kind: CashMoveView['kind']) => moves.filter((m) => m.kind === kind).reduce((s, m) => s + m.amountFen, 0);
  const openingFen = sum('float');
  const inFen = sum('cash_in');
  const outFen = sum('cash_out');
  const salesFen = cashTender?.receivedFen ?? 0;
  const refundsFen = cashTender?.refundedFen ?? 0;
  const expectedFen = openingFen + salesFen + refundsFen + inFen + outFen;
  const until = close?.at ?? row.closedAt ?? till.now();
  const hits = countHits(voidsAndNoSales(till, row.openedAt, until));
  const cashier = till.db.select({ name: users.name }).from(users).where(eq(users.id, row.userId)).get()!.name;
  return {
    shiftId: row.id,
    shiftNo: shiftNo(till, row),
    tillId: row.tillId,
    cashierId: row.userId,
    cashier,
    businessDay: row.businessDay,
    openedAt: row.openedAt,
    closedAt: close?.at ?? null,
    closedBy: close?.by ?? null,
    sales,
    returns,
    cancels: cancelTotals(till, scope),
    voids: hits.voids,
    noSaleCount: hits.noSaleCount,
    tenders,
    cash: {
      openingFen,
      salesFen,
      refundsFen,
      inFen,
      outFen,
      expectedFen,
      countedFen: close?.countedFen ?? null,
      differenceFen: close ? close.countedFen - expectedFen : null,
      floatLeftFen: close?.floatLeftFen ?? null,
      handoverFen: close ? close.countedFen - close.floatLeftFen : null,
    },
    count: close?.count ?? null,
    moves: moves.filter((m) => m.kind === 'cash_in' || m.kind === 'cash_out'),
    note: close?.note ?? null,
  };
}
