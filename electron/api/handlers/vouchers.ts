// The voucher endpoints (团购券核销): prepare (what the cashier confirms), redeem, its state, the cart's
// redeemed vouchers, the manager's undo, the log and its export, the platforms' settings (owner). Rules in electron/vouchers/service.ts.
import type { vouchersApi } from '../../../shared/api/vouchers';
import type { Handlers } from '../registry';
import { requireVouchers } from '../services';
import { readVoucherSettings, saveVoucherSettings } from '../../vouchers/settings';
import { reloadVoucherConnectors } from '../../vouchers/start';

export const vouchersHandlers: Handlers<typeof vouchersApi> = {
  'vouchers.prepare': (input, s) => requireVouchers(s).prepare(input),
  'vouchers.redeem': (input, s) => requireVouchers(s).redeem(input),
  'vouchers.get': ({ id }, s) => requireVouchers(s).get(id),
  'vouchers.forCart': (_input, s) => requireVouchers(s).forCart(),
  'vouchers.undo': (input, s) => requireVouchers(s).undo(input),
  'vouchers.log': (input, s) => requireVouchers(s).log(input),
  'vouchers.export': (input, s) => requireVouchers(s).export(input),
  'vouchers.settings': (_input, s) => readVoucherSettings(s.till),
  'vouchers.saveSettings': (input, s) => {
    const { view, changed } = saveVoucherSettings(s.till, input);
    if (changed.length) reloadVoucherConnectors(s.till); // the service uses the new settings from the next call
    return view;
  },
};
