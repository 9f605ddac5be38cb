// 货到付款 / 尾款 endpoints (shared/api/order-balance.ts): thin wrappers over electron/sync/order-balance.ts.
import type { orderBalanceApi } from '../../../shared/api/order-balance';
import { balanceView, payBalanceByCode, payBalanceByPoster, watchOrderBalances } from '../../sync/order-balance';
import type { Handlers } from '../registry';
import { requirePayments } from '../services';

export const orderBalanceHandlers: Handlers<typeof orderBalanceApi> = {
  'orders.balance': ({ orderId }, s) => {
    s.till.auth.requireSession();
    if (s.payments) watchOrderBalances(s.payments);
    return balanceView(s.till, orderId);
  },
  'orders.balanceCodePay': (input, s) => payBalanceByCode(s.till, requirePayments(s), input),
  'orders.balancePoster': (input, s) => payBalanceByPoster(s.till, requirePayments(s), input),
};
