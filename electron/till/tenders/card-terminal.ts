// An external bank-card terminal (not connected to the till): the cashier runs the card on the
// terminal, confirms it approved, and types the terminal's reference number. A refund is likewise
// done on the terminal by the cashier ("退货" on the terminal, against the original reference); the
// till records it with that reference.
import { TillError } from '../../../shared/errors';
import type { Tender } from './types';

export const cardTerminalTender: Tender<{ amountFen: number; reference: string }> = {
  method: 'card_terminal',
  label: '银行卡',
  givesChange: false,
  opensDrawer: false,
  capture: (amountFen, input) => {
    const reference = input.reference.trim();
    if (reference.length < 4) throw new TillError('REFERENCE_REQUIRED', '请输入刷卡终端的参考号');
    return { method: 'card_terminal', amountFen, reference, status: 'approved' };
  },
  refund: (original, amountFen) => ({
    method: 'card_terminal',
    amountFen: -amountFen,
    reference: original.reference ? `退款:${original.reference}` : null,
    status: 'approved',
    originalPaymentId: original.id,
  }),
};
