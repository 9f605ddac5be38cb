// Start-up recovery: every attempt a previous run left not final (the till was killed or lost power
// between the charge and the answer, or between the answer and the sale) is queried and settled —
// reversed when the platform still has it waiting — before the till takes the next electronic payment.
// The outcome of each is logged (and its events are in payment_attempt_events); the service keeps the
// list for the cashier's notice (payments.recovered). A SUCCESS that no sale took needs nothing here:
// the payment screen shows it as received (payments.forCart) and the sale is finished with it.
import type { AttemptState, PaymentProviderName, RecoveryReport } from '../../shared/api/payments';
import { log } from '../api/log';
import type { Till } from '../till/till';
import { openAttempts, stateWords } from './attempts';
import type { PaymentFlow } from './flow';

export async function recoverAttempts(till: Till, flow: PaymentFlow): Promise<RecoveryReport['items']> {
  // Remote payment requests (远程收款) stay open for up to hours: PaymentRequests.resume polls them in the background.
  const open = openAttempts(till).filter((a) => a.kind !== 'remote');
  if (open.length) log.warn('payments: settling attempts left open by the last run', { count: open.length });
  const settled = await Promise.all(
    open.map(async (a) => {
      const after = await flow.settle(a.id);
      const item = {
        attemptId: a.id,
        provider: a.provider as PaymentProviderName,
        amountFen: a.amountFen,
        from: a.state as AttemptState,
        to: after.state as AttemptState,
        words: stateWords(after.state as AttemptState, after.kind),
        cartId: a.cartId,
      };
      log.info('payments: recovered', { ...item, outTradeNo: a.outTradeNo });
      return item;
    }),
  );
  return settled;
}
