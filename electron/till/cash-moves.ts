// Cash put into or taken out of the drawer outside a sale (存入零钱, 取出大额现金, 付供货商 …): a
// manager's act — their own session, or a cashier with the manager's PIN on the spot (one approval
// for this amount, this direction, this reason). One ledger row in the open shift and one audit row
// with both users, in one transaction; then the drawer opens (after the commit: a drawer that cannot
// be reached leaves the row, since the manager can still open the drawer with the key).
import { ApprovalAction } from '../../shared/approvals';
import type { CashMoveView } from '../../shared/api/shift';
import { TillError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { formatYuan } from '../../shared/money';
import { audit } from './audit';
import { cashMoves } from './schema';
import { currentShift, isStale } from './shift';
import { cashMovesOf, expectedCash } from './shift-report';
import type { Till } from './till';

export interface CashMoveInput {
  kind: 'cash_in' | 'cash_out';
  amountFen: number;
  reason: string;
  approval?: string;
}

const word = (k: CashMoveInput['kind']) => (k === 'cash_in' ? '存入' : '取出');

/** Writes the move; returns it. The caller opens the drawer afterwards. */
export function recordCashMove(till: Till, input: CashMoveInput): CashMoveView {
  const session = till.auth.requireSession();
  const shift = currentShift(till);
  if (!shift) throw new TillError('NO_SHIFT', '没有未交班的班次：钱箱存取款记在当前班次里，请先开班');
  if (isStale(till, shift)) throw new TillError('SHIFT_STALE', `该班次（营业日 ${shift.businessDay}）尚未交班：请先交班`);
  const reason = input.reason.trim();
  const grant = till.auth.approvals.check(input.approval, {
    action: ApprovalAction.cashMove,
    subject: { kind: input.kind, shiftId: shift.id, amountFen: input.amountFen, reason },
    summary: `钱箱${word(input.kind)} ${formatYuan(input.amountFen)}（${reason}）`,
    message: `钱箱${word(input.kind)}需要店长授权（输入店长 PIN）`,
  });
  const at = till.now();
  const id = newId();
  till.tx(() => {
    if (input.kind === 'cash_out') {
      const have = expectedCash(till, shift.id);
      if (input.amountFen > have) {
        throw new TillError('CASH_SHORT', `钱箱应有现金 ${formatYuan(have)}，不能取出 ${formatYuan(input.amountFen)}`);
      }
    }
    const amountFen = input.kind === 'cash_in' ? input.amountFen : -input.amountFen;
    till.db
      .insert(cashMoves)
      .values({
        id, shiftId: shift.id, businessDay: till.businessDay(at), kind: input.kind, amountFen, reason,
        userId: session.userId, approvedBy: grant.approverId, createdAt: at,
      })
      .run();
    audit(till.sqlite, {
      userId: session.userId, approverId: grant.approverId, action: `drawer.${input.kind}`, target: shift.id,
      details: { moveId: id, amountFen, reason },
    }, at);
  });
  till.auth.approvals.spend(grant);
  return cashMovesOf(till, shift.id).find((m) => m.id === id)!;
}
