// 退出 with a cart (UX.md: a cart belongs to its cashier): logging out with items asks 挂单 or 作废
// on the checkout, where the cashier sees the cart and a manager can approve a void after 结算.
// 挂单 is the logout itself: the main side holds the cart under its owner (cart-owner.ts), whatever
// the hold limit, so the till is never stuck in the cashier's session.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatYuan } from '../../../../shared/money';
import { call } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { beepError } from '../../feedback';
import { errorText, useCart } from '../../stores/cart';
import { useNav } from '../../stores/nav';
import { useSession } from '../../stores/session';
import { APPROVAL } from './actions';

/** The status bar's 退出: straight out with an empty cart, else the question on the checkout. */
export async function requestLogout(): Promise<void> {
  let items = 0;
  try {
    items = (await call('cart.get', {})).lines.length;
  } catch {
    // The cart cannot be read: log out all the same, the main side holds whatever cart is there.
  }
  if (!items) return useSession.getState().logout();
  useNav.getState().go('checkout');
  useCart.getState().open({ kind: 'logout' });
}

export function LogoutDialog() {
  const { t } = useTranslation();
  const close = useCart((s) => s.close);
  const view = useCart((s) => s.view);
  const [error, setError] = useState('');
  const fail = (e: unknown) => {
    beepError();
    setError(errorText(e));
  };
  const hold = () => useSession.getState().logout().catch(fail);
  const voidThenLeave = async () => {
    try {
      // After 结算 the void asks a manager on this screen; backing out of the PIN pad changes nothing.
      if (!(await useCart.getState().run('cart.void', {}, APPROVAL.void))) return;
      await useSession.getState().logout();
    } catch (e) {
      fail(e);
    }
  };
  return (
    <Dialog title={t('cartOwner.logoutTitle')} testId="logout-dialog" onClose={close}>
      <p className="big-note">
        {t('cartOwner.logoutQuestion', { count: view?.priced.itemCount ?? 0, amount: formatYuan(view?.priced.totalFen ?? 0) })}
      </p>
      <div className="logout-choices">
        <button type="button" className="btn primary" onClick={() => void hold()} data-testid="logout-hold" autoFocus>
          {t('cartOwner.logoutHold')}
          <small>{t('cartOwner.logoutHoldNote')}</small>
        </button>
        <button type="button" className="btn void" onClick={() => void voidThenLeave()} data-testid="logout-void">
          {t('cartOwner.logoutVoid')}
          {view?.subtotaled && <small>{t('cartOwner.logoutVoidNote')}</small>}
        </button>
        <button type="button" className="btn" onClick={close} data-testid="logout-cancel">
          {t('common.cancel')}
        </button>
      </div>
      <div className="error-line" role="alert" data-testid="dialog-error">
        {error}
      </div>
    </Dialog>
  );
}
