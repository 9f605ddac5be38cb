// 收银设置 endpoints (shared/api/settings.ts): thin wrappers over electron/till/checkout-settings.ts.
import type { settingsApi } from '../../../shared/api/settings';
import { readCheckout, saveCheckout } from '../../till/checkout-settings';
import { audit } from '../../till/audit';
import type { Till } from '../../till/till';
import type { Handlers } from '../registry';

export const settingsHandlers: Handlers<typeof settingsApi> = {
  'settings.checkout': (_i, { till }) => readCheckout(till),
  'settings.saveCheckout': (input, { till }) => saveCheckout(till, input),
  'settings.voice': (_i, { till }) => readVoice(till),
  'settings.saveVoice': (input, { till }) => {
    const session = till.auth.requireSession();
    return till.tx(() => {
      const before = readVoice(till);
      const now = till.now();
      if (input.enabled !== undefined) till.settings.set('payments.voice', input.enabled, now);
      if (input.volume !== undefined) till.settings.set('payments.voiceVolume', input.volume, now);
      const after = readVoice(till);
      if (JSON.stringify(before) !== JSON.stringify(after)) {
        audit(till.sqlite, { userId: session.userId, action: 'settings.voice', details: { before, after } }, now);
      }
      return after;
    });
  },
};

/** 语音播报 (payments voice broadcast) settings. */
function readVoice(till: Till) {
  return { enabled: till.settings.get('payments.voice'), volume: till.settings.get('payments.voiceVolume') };
}
