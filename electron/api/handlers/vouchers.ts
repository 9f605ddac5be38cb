// The voucher endpoints (团购券核销): prepare (what the cashier confirms), redeem, its state, the cart's
// redeemed vouchers, the manager's undo, the log and its export. Rules in electron/vouchers/service.ts.
import type { vouchersApi } from '../../../shared/api/vouchers';
import type { Handlers } from '../registry';
import { requireVouchers } from '../services';

export const vouchersHandlers: Handlers<typeof vouchersApi> = {
  'vouchers.prepare': (input, s) => requireVouchers(s).prepare(input),
  'vouchers.redeem': (input, s) => requireVouchers(s).redeem(input),
  'vouchers.get': ({ id }, s) => requireVouchers(s).get(id),
  'vouchers.forCart': (_input, s) => requireVouchers(s).forCart(),
  'vouchers.undo': (input, s) => requireVouchers(s).undo(input),
  'vouchers.log': (input, s) => requireVouchers(s).log(input),
  'vouchers.export': (input, s) => requireVouchers(s).export(input),
};
