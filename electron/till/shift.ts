// Shifts (班次): opened by a cashier with a float; closing with the count comes with the shift issue.
import type { ShiftView } from '../../shared/api/shift';
import { newId } from '../../shared/ids';
import { TillError } from '../../shared/errors';
import { audit } from './audit';
import type { Till } from './till';

export function currentShift(till: Till): ShiftView | null {
  const row = till
    .stmt(
      `SELECT s.id, s.user_id AS userId, u.name AS userName, s.business_day AS businessDay, s.opened_at AS openedAt,
         s.opening_cash_fen AS openingCashFen
       FROM shifts s JOIN users u ON u.id = s.user_id WHERE s.till_id = ? AND s.closed_at IS NULL
       ORDER BY s.opened_at DESC LIMIT 1`,
    )
    .get(till.tillId) as ShiftView | undefined;
  return row ?? null;
}

export function openShift(till: Till, openingCashFen: number): ShiftView {
  const session = till.auth.requireSession();
  return till.tx(() => {
    if (currentShift(till)) throw new TillError('SHIFT_OPEN', '已有未交班的班次，请先交班');
    const id = newId();
    const at = till.now();
    till.sqlite
      .prepare(
        `INSERT INTO shifts (id, till_id, user_id, business_day, opened_at, opening_cash_fen) VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(id, till.tillId, session.userId, till.businessDay(at), at, openingCashFen);
    audit(till.sqlite, { userId: session.userId, action: 'shift.open', target: id, details: { openingCashFen } }, at);
    return currentShift(till)!;
  });
}
