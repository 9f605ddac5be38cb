// Shifts (班次): opened by a cashier with a float; closing with the count comes with the shift issue.
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { ShiftView } from '../../shared/api/shift';
import { newId } from '../../shared/ids';
import { TillError } from '../../shared/errors';
import { audit } from './audit';
import { arg, LIMIT_1, prepared } from './prepared';
import { shifts, users } from './schema';
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
}));

export function currentShift(till: Till): ShiftView | null {
  return q(till.db).current.get({ tillId: till.tillId }) ?? null;
}

export function openShift(till: Till, openingCashFen: number): ShiftView {
  const session = till.auth.requireSession();
  return till.tx(() => {
    if (currentShift(till)) throw new TillError('SHIFT_OPEN', '已有未交班的班次，请先交班');
    const id = newId();
    const at = till.now();
    till.db
      .insert(shifts)
      .values({ id, tillId: till.tillId, userId: session.userId, businessDay: till.businessDay(at), openedAt: at, openingCashFen })
      .run();
    audit(till.sqlite, { userId: session.userId, action: 'shift.open', target: id, details: { openingCashFen } }, at);
    return currentShift(till)!;
  });
}
