// 收尾款: an online order's balance (货到付款 / 尾款) taken at the counter. The cashier opens the dialog
// and scans the customer's WeChat/Alipay payment code (orders.balanceCodePay, the amount is the balance),
// or makes a payment poster (orders.balancePoster); the attempt is polled until it is final. The main
// side refuses a wrong amount, an order without balance and a second payment. Once paid, the order
// says what the platform still needs (请在网店后台确认收款: no platform API marks a balance paid yet).
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrderBalanceView } from '../../../../shared/api/order-balance';
import type { PaymentAttemptView, PaymentProviderName } from '../../../../shared/api/payments';
import { formatYuan } from '../../../../shared/money';
import { paymentCodeKind } from '../../../../shared/payment-code';
import { call } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { PosterDialog } from '../../payments/PosterDialog';
import { errorText } from '../sync/words';

export function BalanceDue({ orderId, onPaid }: { orderId: string; onPaid(): void }) {
  const { t } = useTranslation();
  const [view, setView] = useState<OrderBalanceView | null>(null);
  const [open, setOpen] = useState(false);
  const load = useCallback(() => call('orders.balance', { orderId }).then(setView, () => setView(null)), [orderId]);
  useEffect(() => void load(), [load]);
  if (!view) return null;
  const provider = (p: PaymentProviderName) => t(`pay.methods.${p}`);
  if (view.paid) {
    return (
      <div className="oi-balance-paid" data-testid="order-balance-paid">
        {t('orderBalance.paid', { amount: formatYuan(view.paid.amountFen), provider: provider(view.paid.method) })}
        {view.platformNote && <strong data-testid="order-balance-platform"> · {view.platformNote}</strong>}
      </div>
    );
  }
  if (view.balanceDueFen <= 0) return null;
  return (
    <>
      <button type="button" className="btn primary" onClick={() => setOpen(true)} data-testid="order-balance-take">
        {t('orderBalance.take', { amount: formatYuan(view.balanceDueFen) })}
      </button>
      {open && (
        <TakeBalance
          view={view}
          onClose={() => {
            setOpen(false);
            void load();
          }}
          onPaid={() => {
            setOpen(false);
            void load();
            onPaid();
          }}
        />
      )}
    </>
  );
}

function TakeBalance({ view, onClose, onPaid }: { view: OrderBalanceView; onClose(): void; onPaid(): void }) {
  const { t } = useTranslation();
  const [attempt, setAttempt] = useState<PaymentAttemptView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [poster, setPoster] = useState<string | null>(null);
  const busy = useRef(false);
  // Poll the attempt until it is final (the main side settles it; the screen only reads).
  useEffect(() => {
    if (!attempt || attempt.final) {
      if (attempt?.state === 'SUCCESS') {
        const id = setTimeout(onPaid, 300); // the order side's record follows the payment at once
        return () => clearTimeout(id);
      }
      return;
    }
    const id = setTimeout(() => void call('payments.attempt', { id: attempt.id }).then(setAttempt, (e: unknown) => setError(errorText(e))), 700);
    return () => clearTimeout(id);
  }, [attempt, onPaid]);

  const pay = async (code: string) => {
    if (busy.current || (attempt && !attempt.final)) return;
    if (!paymentCodeKind(code)) {
      setError(t('orderBalance.notPayment'));
      return;
    }
    busy.current = true;
    setError(null);
    try {
      setAttempt(await call('orders.balanceCodePay', { orderId: view.orderId, requestId: crypto.randomUUID(), code, amountFen: view.balanceDueFen }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      busy.current = false;
    }
  };
  const makePoster = async (p: PaymentProviderName) => {
    setError(null);
    try {
      const r = await call('orders.balancePoster', { orderId: view.orderId, requestId: crypto.randomUUID(), provider: p, amountFen: view.balanceDueFen });
      setAttempt(r.attempt);
      setPoster(r.attempt.id);
    } catch (e) {
      setError(errorText(e));
    }
  };

  const words = attempt
    ? attempt.state === 'SUCCESS'
      ? t('orderBalance.paid', { amount: formatYuan(attempt.amountFen), provider: t(`pay.methods.${attempt.provider}`) })
      : attempt.final
        ? t('orderBalance.failed', { words: attempt.detail ?? attempt.words })
        : attempt.kind === 'remote'
          ? t('orderBalance.posterWaiting')
          : t('orderBalance.waiting', { words: attempt.words })
    : t('orderBalance.scan');
  return (
    <Dialog
      title={t('orderBalance.title')}
      testId="order-balance-dialog"
      onClose={onClose}
      onScan={(code) => {
        void pay(code);
        return true;
      }}
    >
      <p className="oi-due-line">
        {t('orderBalance.due')} <strong data-testid="order-balance-amount">{formatYuan(view.balanceDueFen)}</strong>
      </p>
      <p data-testid="order-balance-state" role="status">
        {words}
      </p>
      {error && (
        <p className="settings-error" role="alert" data-testid="order-balance-error">
          {error}
        </p>
      )}
      {!attempt && (
        <div className="oi-balance-actions">
          {(['wechat', 'alipay'] as const).map((p) => (
            <button key={p} type="button" className="btn" onClick={() => void makePoster(p)} data-testid={`order-balance-poster-${p}`}>
              {t('orderBalance.poster', { provider: t(`pay.methods.${p}`) })}
            </button>
          ))}
        </div>
      )}
      {poster && <PosterDialog attemptId={poster} onClose={() => setPoster(null)} />}
    </Dialog>
  );
}
