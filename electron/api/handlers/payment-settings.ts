// 收款设置 endpoints (shared/api/payment-settings.ts): thin wrappers over electron/payments/merchant-config.ts.
// Owner-only: the registry checks the role in the main process before any of these runs.
import type { paymentSettingsApi } from '../../../shared/api/payment-settings';
import { readMerchantSettings, saveAlipayMerchant, saveWechatMerchant, testMerchantConnection } from '../../payments/merchant-config';
import type { Handlers } from '../registry';

export const paymentSettingsHandlers: Handlers<typeof paymentSettingsApi> = {
  'merchant.settings': (_i, { till }) => readMerchantSettings(till),
  'merchant.saveWechat': (input, { till }) => saveWechatMerchant(till, input),
  'merchant.saveAlipay': (input, { till }) => saveAlipayMerchant(till, input),
  'merchant.testConnection': (input, { till }) => testMerchantConnection(till, input.provider),
};
