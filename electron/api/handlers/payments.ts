// The payments endpoints: the customer's payment code, a shown QR, polling, the cart's received
// payments, start-up recovery's outcome, reconciliation and the manager's query / reverse / abandon.
import type { paymentsApi } from '../../../shared/api/payments';
import type { Handlers } from '../registry';
import { requirePayments } from '../services';

export const paymentsHandlers: Handlers<typeof paymentsApi> = {
  'payments.codePay': (input, s) => requirePayments(s).codePay(input),
  'payments.attempt': ({ id }, s) => requirePayments(s).attempt(id),
  'payments.forCart': (_input, s) => requirePayments(s).forCart(),
  'payments.qrCreate': (input, s) => requirePayments(s).qrCreate(input),
  'payments.qrCancel': ({ id }, s) => requirePayments(s).qrCancel(id),
  'payments.recovered': (_input, s) => requirePayments(s).recovered(),
  'payments.reconcile': (input, s) => requirePayments(s).reconcile(input),
  'payments.query': ({ id }, s) => requirePayments(s).query(id),
  'payments.reverse': ({ id }, s) => requirePayments(s).reverse(id),
  'payments.requestCreate': (input, s) => requirePayments(s).requests.create(input),
  'payments.requests': (input, s) => requirePayments(s).requests.list(input),
  'payments.requestCancel': ({ id }, s) => requirePayments(s).requests.cancel(id),
  'payments.abandon': ({ id, approval }, s) => requirePayments(s).abandon(id, approval),
};
