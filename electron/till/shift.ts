// Shifts (班次): one open shift per till holds the drawer's cash. Opened by a cashier with a float
// (the first row of the drawer's ledger, cash_moves); cash in and out: cash-moves.ts; the X report:
// shift-report.ts; the close with the count: shift-close.ts.
//
// Who may use the open shift: its own cashier, or a manager (a return or a cancel at the cashier's
// till). Another cashier may not take money into it, and a shift left open overnight (found by the
// next login after its business day: isStale) takes no more money: it is closed first, on its own
// business day.
import { and, desc, eq, isNotNull, isNull } from 'drizzle-orm';
import { ROLE_RANK } from '../../shared/api/endpoint';
import type { OpenShiftInfo, ShiftState, ShiftView } from '../../shared/api/shift';
import { TillError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { audit } from './audit';
import { arg, LIMIT_1, prepared } from './prepared';
import { cashMoves, shifts, users } from './schema';
import type { Till } from './till';

const q = prepared((db) => ({
  // Read on every pay and return (a required shift).
  current: db
    .select({
      id: shifts.id,
      userId: shifts.userId,
      userName: users.name,
      businessDay: shifts.businessDay,
      openedAt: shifts.openedAt,
      openingCashFen: shifts.openingCashFen,
    })
    .from(shifts)
    .innerJoin(users, eq(users.id, shifts.userId))
    .where(and(eq(shifts.tillId, arg('tillId')), isNull(shifts.closedAt)))
    .orderBy(desc(shifts.openedAt))
    .limit(LIMIT_1)
    .prepare(),
  lastClosed: db
    .select({ id: shifts.id, userName: users.name, closedAt: shifts.closedAt, floatLeftFen: shifts.floatLeftFen })
    .from(shifts)
    .innerJoin(users, eq(users.id, shifts.userId))
    .where(and(eq(shifts.tillId, arg('tillId')), isNotNull(shifts.closedAt)))
    .orderBy(desc(shifts.closedAt))
    .limit(1)
    .prepare(),
}));

export function currentShift(till: Till): ShiftView | null {
  return q(till.db).current.get({ tillId: till.tillId }) ?? null;
}

const isManager = (role: keyof typeof ROLE_RANK) => ROLE_RANK[role] >= ROLE_RANK.manager;

/**
 * Left open overnight: the shift's business day was already over when the user now at the till
 * logged in (the next morning's login). A cashier who logged in before the day rolled over and works
 * on through it (a night shift in a shop open round the clock) is not stopped in the middle of it;
 * their sales after the rollover are booked on the new day, and the old day closes once they hand over.
 */
export function isStale(till: Till, shift: Pick<ShiftView, 'businessDay'>): boolean {
  const loggedInAt = till.auth.session?.loggedInAt ?? till.now();
  return shift.businessDay < till.calendarDay(loggedInAt);
}

/**
 * The open shift a payment or a refund goes into, or null where the till does not require one.
 * Refuses another cashier's shift and a shift left open overnight, saying what to do.
 */
export function shiftForMoney(till: Till): string | null {
  const session = till.auth.requireSession();
  const shift = currentShift(till);
  if (!shift) {
    if (till.settings.get('checkout.requireShift')) throw new TillError('SHIFT_REQUIRED', '请先开班（输入备用金）后再收款或退款');
    return null;
  }
  if (isStale(till, shift)) {
    throw new TillError(
      'SHIFT_STALE',
      `${shift.userName} 的班次（营业日 ${shift.businessDay}）昨晚没有交班：请先在“交班”页点钞交班，再开新班`,
      { name: shift.userName, day: shift.businessDay },
    );
  }
  if (shift.userId !== session.userId && !isManager(session.role)) {
    throw new TillError('SHIFT_NOT_YOURS', `当前是 ${shift.userName} 的班次：请 ${shift.userName} 交班后再开自己的班，或请店长处理`, { name: shift.userName });
  }
  return shift.id;
}

export function openShift(till: Till, openingCashFen: number): ShiftView {
  const session = till.auth.requireSession();
  return till.tx(() => {
    const open = currentShift(till);
    if (open) {
      throw new TillError(
        'SHIFT_OPEN',
        open.userId === session.userId ? '您的班次还没有交班' : `${open.userName} 的班次还没有交班：请先交班（F9）`,
        open.userId === session.userId ? undefined : { name: open.userName },
      );
    }
    const id = newId();
    const at = till.now();
    const day = till.businessDay(at);
    till.db.insert(shifts).values({ id, tillId: till.tillId, userId: session.userId, businessDay: day, openedAt: at, openingCashFen }).run();
    // The float is the drawer ledger's first row: the expected cash is derived from rows, never a counter.
    till.db
      .insert(cashMoves)
      .values({ id: newId(), shiftId: id, businessDay: day, kind: 'float', amountFen: openingCashFen, reason: null, userId: session.userId, createdAt: at })
      .run();
    audit(till.sqlite, { userId: session.userId, action: 'shift.open', target: id, details: { openingCashFen } }, at);
    return currentShift(till)!;
  });
}

/** What the 交班 screen shows: the open shift as this user may see it, and the float to suggest. */
export function shiftState(till: Till): ShiftState {
  const session = till.auth.requireSession();
  const shift = currentShift(till);
  const last = q(till.db).lastClosed.get({ tillId: till.tillId });
  let current: OpenShiftInfo | null = null;
  if (shift) {
    const mine = shift.userId === session.userId;
    current = {
      id: shift.id,
      userId: shift.userId,
      userName: shift.userName,
      businessDay: shift.businessDay,
      openedAt: shift.openedAt,
      mine,
      stale: isStale(till, shift),
      openingCashFen: mine || isManager(session.role) ? shift.openingCashFen : null,
    };
  }
  return {
    businessDay: till.businessDay(),
    current,
    suggestedFloatFen: last?.floatLeftFen ?? 0,
    lastClosed: last && last.closedAt !== null ? { id: last.id, userName: last.userName, closedAt: last.closedAt, floatLeftFen: last.floatLeftFen ?? 0 } : null,
  };
}

/**
 * The shift a user may look at or close: a cashier only their own (the refusal does not say whose
 * it is), a manager any.
 */
export function shiftFor(till: Till, shiftId: string): typeof shifts.$inferSelect {
  const session = till.auth.requireSession();
  const row = till.db.select().from(shifts).where(eq(shifts.id, shiftId)).get();
  if (!row || (row.userId !== session.userId && !isManager(session.role))) {
    throw new TillError('UNKNOWN_SHIFT', '没有这个班次，或不是您的班次');
  }
  return row;
}

/** T01-20261130-2: the till, the business day and the shift's place among that day's shifts. */
export function shiftNo(till: Till, s: { id: string; tillId: string; businessDay: string; openedAt: number }): string {
  const n = till
    .stmt(`SELECT count(*) AS n FROM shifts WHERE till_id = ? AND business_day = ? AND (opened_at < ? OR (opened_at = ? AND id <= ?))`)
    .get(s.tillId, s.businessDay, s.openedAt, s.openedAt, s.id) as { n: number };
  return `${s.tillId}-${s.businessDay.replaceAll('-', '')}-${n.n}`;
}

