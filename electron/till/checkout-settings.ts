// 收银设置 (shared/api/settings.ts): read the checkout settings, and save any of them in one
// transaction with one audit row that lists each changed key as [from, to]. Values were already
// checked at the boundary by the settings' own schemas; Settings.set checks them again on write.
import {
  CHECKOUT_SETTING_KEYS,
  type CheckoutSettingKey,
  type CheckoutSettings,
  type SaveCheckoutResult,
} from '../../shared/api/settings';
import { audit } from './audit';
import type { Till } from './till';

export function readCheckout(till: Till): CheckoutSettings {
  return Object.fromEntries(CHECKOUT_SETTING_KEYS.map((k) => [k, till.settings.get(k)])) as CheckoutSettings;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function saveCheckout(till: Till, input: Partial<CheckoutSettings>): SaveCheckoutResult {
  const session = till.auth.requireSession();
  return till.tx(() => {
    const before = readCheckout(till);
    const changed: SaveCheckoutResult['changed'] = {};
    const now = till.now();
    for (const key of CHECKOUT_SETTING_KEYS) {
      const next = input[key];
      if (next === undefined || same(next, before[key])) continue;
      till.settings.set(key as CheckoutSettingKey, next as never, now);
      changed[key] = [before[key], next];
    }
    if (Object.keys(changed).length) {
      audit(till.sqlite, { userId: session.userId, action: 'settings.checkout', details: { changed } }, now);
    }
    return { settings: readCheckout(till), changed };
  });
}
