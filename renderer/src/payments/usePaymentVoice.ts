// One listener for the whole app: every electronic payment that reaches SUCCESS (a scanned code, a
// shown QR, a remote payment poster, a recovery or a manager's query) is announced once, whichever
// screen is open. The main side sends 'payment' on every state change of an attempt.
import { useEffect } from 'react';
import { on } from '../api/client';
import { announcePayment } from './voice';

export function usePaymentVoice(active: boolean): void {
  useEffect(() => {
    if (!active) return;
    return on('payment', (a) => {
      if (a.state === 'SUCCESS') void announcePayment({ provider: a.provider, amountFen: a.amountFen, attemptId: a.id });
    });
  }, [active]);
}
