// 远程收款海报 (shared/api/poster.ts): thin wrapper over electron/payments/poster.ts.
import type { posterApi } from '../../../shared/api/poster';
import { posterForAttempt } from '../../payments/poster';
import type { Handlers } from '../registry';

export const posterHandlers: Handlers<typeof posterApi> = {
  'payments.poster': (input, { till }) => posterForAttempt(till, input.id),
};
