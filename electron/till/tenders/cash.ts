// Cash: taken into the drawer, change given from it; a refund is paid out of the drawer.
import type { Tender } from './types';

export const cashTender: Tender<{ amountFen: number }> = {
  method: 'cash',
  label: '现金',
  givesChange: true,
  opensDrawer: true,
  refundNeedsReference: false,
  capture: (amountFen) => ({ method: 'cash', amountFen, reference: null, status: 'approved' }),
  refund: (original, amountFen) => ({
    method: 'cash',
    amountFen: -amountFen,
    reference: null,
    status: 'approved',
    originalPaymentId: original.id,
  }),
};
