// 收银设置 endpoints (shared/api/settings.ts): thin wrappers over electron/till/checkout-settings.ts.
import type { settingsApi } from '../../../shared/api/settings';
import { readCheckout, saveCheckout } from '../../till/checkout-settings';
import type { Handlers } from '../registry';

export const settingsHandlers: Handlers<typeof settingsApi> = {
  'settings.checkout': (_i, { till }) => readCheckout(till),
  'settings.saveCheckout': (input, { till }) => saveCheckout(till, input),
};
