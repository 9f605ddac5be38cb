// The sales endpoints: paying, past sales, returns, cancels, reprints.
import { cancelSale, refundPlan, returnSale, returnWithoutReceipt } from '../../till/returns';
import { findSales, getSale, pay, reprint } from '../../till/sales';
import type { SaleResult } from '../../../shared/api/sales';
import type { Till } from '../../till/till';
import type { salesApi } from '../../../shared/api/sales';
import type { Handlers } from '../registry';

/** Tells the listeners (customer display: change, thanks) a sale or return completed. */
async function done(till: Till, kind: 'sale' | 'return', p: Promise<SaleResult>): Promise<SaleResult> {
  const r = await p;
  till.events.emit('sale', { receiptNo: r.receiptNo, totalFen: r.totalFen, paidFen: r.paidFen, changeFen: r.changeFen, kind });
  return r;
}

export const salesHandlers: Handlers<typeof salesApi> = {
  'sales.pay': (input, { till }) => done(till, 'sale', pay(till, input)),
  'sales.get': ({ saleId }, { till }) => getSale(till, saleId),
  'sales.find': (input, { till }) => findSales(till, input),
  'sales.return': (input, { till }) => done(till, 'return', returnSale(till, input)),
  'sales.refundPlan': (input, { till }) => refundPlan(till, input),
  'sales.returnWithoutReceipt': (input, { till }) => done(till, 'return', returnWithoutReceipt(till, input)),
  'sales.cancel': (input, { till }) => done(till, 'return', cancelSale(till, input)),
  'sales.reprint': ({ saleId }, { till }) => reprint(till, saleId),
};
