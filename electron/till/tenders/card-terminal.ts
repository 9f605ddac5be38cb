// An external bank-card terminal (not connected to the till): the cashier runs the card on the
// terminal, confirms it approved, and types the terminal's reference number. A refund is likewise
// done on the terminal by the cashier ("退货" on the terminal, against the original reference); the
// till records it with the refund reference the terminal printed, which the cashier types.
import { TillError } from '../../../shared/errors';
import { formatYuan } from '../../../shared/money';
import type { Tender } from './types';

export const cardTerminalTender: Tender<{ amountFen: number; reference: string }> = {
  method: 'card_terminal',
  label: '银行卡',
  givesChange: false,
  opensDrawer: false,
  refundNeedsReference: true,
  capture: (amountFen, input) => {
    const reference = input.reference.trim();
    if (reference.length < 4) throw new TillError('REFERENCE_REQUIRED', '请输入刷卡终端的参考号');
    return { method: 'card_terminal', amountFen, reference, status: 'approved' };
  },
  refund: (original, amountFen, _ctx, input) => {
    const reference = input.reference?.trim() ?? '';
    if (reference.length < 4) {
      throw new TillError('REFUND_REFERENCE_REQUIRED', `请在刷卡终端上退款 ${formatYuan(amountFen)}，并输入终端的退款参考号`, { amountFen });
    }
    return { method: 'card_terminal', amountFen: -amountFen, reference, status: 'approved', originalPaymentId: original.id };
  },
};
