// 自提核销 endpoints (shared/api/pickup.ts): thin wrappers over electron/sync/pickup.ts.
import type { pickupApi } from '../../../shared/api/pickup';
import { handOverPickup, lookupPickup, pickupLog } from '../../sync/pickup';
import type { Handlers } from '../registry';

export const pickupHandlers: Handlers<typeof pickupApi> = {
  'pickup.lookup': ({ code }, s) => lookupPickup(s, code),
  'pickup.handOver': (input, s) => handOverPickup(s, input),
  'pickup.log': ({ limit }, s) => {
    s.till.auth.requireSession();
    return pickupLog(s.till, limit);
  },
};
