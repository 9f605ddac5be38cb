// The providers the payments service talks to, built from the merchant settings (merchant-config.ts):
// null for a platform that is not configured or switched off (codePay then says so in Chinese). A
// provider is rebuilt when its settings row changes (a new key, the sandbox switch), not on every call:
// the flow asks for it on each query.
import { eq } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import type { PaymentProviderName } from '../../shared/api/payments';
import { log } from '../api/log';
import { settings } from '../till/schema';
import type { Till } from '../till/till';
import { createAlipayProvider } from './alipay/client';
import { readMerchantConfig } from './merchant-config';
import type { PaymentProvider } from './provider';
import { createWechatProvider } from './wechat';

const SETTING_KEY: Record<PaymentProviderName, string> = { wechat: 'payments.merchant.wechat', alipay: 'payments.merchant.alipay' };

export function providersFromSettings(till: Till): (name: PaymentProviderName) => PaymentProvider | null {
  const cache = new Map<PaymentProviderName, { stamp: string; provider: PaymentProvider | null }>();
  return (name) => {
    const row = till.db.select({ value: settings.value, at: settings.updatedAt }).from(settings).where(eq(settings.key, SETTING_KEY[name])).get();
    const stamp = row ? createHash('sha256').update(`${row.at}|${JSON.stringify(row.value)}`).digest('hex') : '';
    const hit = cache.get(name);
    if (hit && hit.stamp === stamp) return hit.provider;
    let provider: PaymentProvider | null = null;
    try {
      if (name === 'wechat') {
        const c = readMerchantConfig(till, 'wechat');
        provider = c ? createWechatProvider(c.config, c.transport) : null;
      } else {
        const c = readMerchantConfig(till, 'alipay');
        provider = c ? createAlipayProvider(c.config, c.transport) : null;
      }
    } catch (e) {
      log.error('payments: provider settings unusable', { provider: name, error: e instanceof Error ? e.message : String(e) });
      provider = null;
    }
    cache.set(name, { stamp, provider });
    return provider;
  };
}
