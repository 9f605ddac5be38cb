// 收银设置 endpoints (shared/api/settings.ts): read the checkout settings, and save any of them in one
// transaction with one audit row that lists each changed key as [from, to]. Values were already
// checked at the boundary by the settings' own schemas; Settings.set checks them again on write.
import {
  CHECKOUT_SETTING_KEYS,
  type CheckoutSettingKey,
  type CheckoutSettings,
  type SaveCheckoutResult,
} from '../../../shared/api/settings';
import { audit } from '../../till/audit';
import type { Till } from '../../till/till';
import type { settingsApi } from '../../../shared/api/settings';
import type { Handlers } from '../registry';

function readCheckout(till: Till): CheckoutSettings {
  return Object.fromEntries(CHECKOUT_SETTING_KEYS.map((k) => [k, till.settings.get(k)])) as CheckoutSettings;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export const settingsHandlers: Handlers<typeof settingsApi> = {
  'settings.checkout': (_i, { till }) => readCheckout(till),

  'settings.saveCheckout': (input, { till }): SaveCheckoutResult => {
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
  },
};
